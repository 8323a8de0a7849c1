/* wt_file.c: Wine's dlls/kernel32/tests/file.c, the selected functions
 * (extracted unmodified by wt_extract.py into file_sel.c), each an entry of
 * wt_main.  The setup is the part of file.c's START_TEST these functions
 * need: the optional functions they call looked up by name (its
 * InitFunctionPointers looks up more), and the temporary file name. */
#include "file_sel.c"
#include "wt_harness.h"

static void setup(void) {
  char temp_path[MAX_PATH];
  HMODULE hkernel32 = GetModuleHandleA("kernel32.dll");
  pGetQueuedCompletionStatusEx = (void *)GetProcAddress(hkernel32, "GetQueuedCompletionStatusEx");
  DWORD ret = GetTempPathA(MAX_PATH, temp_path);
  ok(ret != 0, "GetTempPath error %lu\n", GetLastError());
  ret = GetTempFileNameA(temp_path, "tmp", 0, filename);
  ok(ret != 0, "GetTempFileName error %lu\n", GetLastError());
  ret = DeleteFileA(filename);
  ok(ret != 0, "DeleteFile error %lu\n", GetLastError());
}

#define ENTRY(name)              \
  static void run_##name(void) { \
    setup();                     \
    test_##name();               \
  }
ENTRY(GetFileType)
ENTRY(async_file_errors)
ENTRY(read_write)
ENTRY(offset_in_overlapped_structure)
ENTRY(overlapped)
ENTRY(post_completion)
ENTRY(overlapped_read)
ENTRY(eof)

#define E(name) \
  { #name, run_##name }
static const wt_entry_t entries[] = {
    E(GetFileType), E(async_file_errors), E(read_write),      E(offset_in_overlapped_structure),
    E(overlapped),  E(post_completion),   E(overlapped_read), E(eof),
};

int main(int argc, char **argv) {
  return wt_main(argc, argv, entries, sizeof entries / sizeof entries[0]);
}
