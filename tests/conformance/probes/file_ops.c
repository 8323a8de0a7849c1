/* file_ops: CreateFile dispositions and sharing, sizes, delete.
 * Items: F44. */
#include "probe.h"

#define SHOWH(key, h)                                                                    \
  do {                                                                                   \
    DWORD e_ = GetLastError();                                                           \
    printf("%s: %s err=%lu\n", key, (h) == INVALID_HANDLE_VALUE ? "INVALID" : "ok", e_); \
  } while (0)

int main(void) {
  const char *p = "probe_file_ops.tmp";
  DeleteFileA(p);
  SetLastError(0);
  HANDLE h = CreateFileA(p, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
  SHOWH("open_missing", h);
  SetLastError(0);
  h = CreateFileA(p, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_NEW, 0, NULL);
  SHOWH("create_new", h);
  SetLastError(0);
  HANDLE h2 = CreateFileA(p, GENERIC_READ, FILE_SHARE_READ, NULL, CREATE_NEW, 0, NULL);
  SHOWH("create_new_exists", h2);
  SetLastError(0);
  h2 = CreateFileA(p, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                   NULL);
  SHOWH("open_write_while_shared_read", h2);
  SetLastError(0);
  h2 = CreateFileA(p, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                   NULL);
  SHOWH("open_read_shared", h2);
  if (h2 != INVALID_HANDLE_VALUE) CloseHandle(h2);
  SetLastError(0);
  h2 = CreateFileA(p, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_ALWAYS, 0, NULL);
  SHOWH("open_always_existing", h2);
  if (h2 != INVALID_HANDLE_VALUE) CloseHandle(h2);
  DWORD n;
  WriteFile(h, "abcdef", 6, &n, NULL);
  LARGE_INTEGER sz;
  GetFileSizeEx(h, &sz);
  printf("size: %ld\n", (LONG)sz.QuadPart);
  DWORD hi = SENT;
  printf("getfilesize: %lu hi=%lu\n", GetFileSize(h, &hi), hi);
  LARGE_INTEGER d;
  d.QuadPart = 3;
  SetFilePointerEx(h, d, NULL, FILE_BEGIN);
  printf("setendoffile: %d\n", SetEndOfFile(h));
  GetFileSizeEx(h, &sz);
  printf("size_after_truncate: %ld\n", (LONG)sz.QuadPart);
  printf("type: %lu\n", GetFileType(h));
  SetLastError(0);
  BOOL ok = DeleteFileA(p);
  printf("delete_open: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  CloseHandle(h);
  SetLastError(0);
  ok = DeleteFileA(p);
  printf("delete: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  SetLastError(0);
  ok = DeleteFileA(p);
  printf("delete_again: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  SetLastError(0);
  h = CreateFileA("no_such_dir\\x.tmp", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
  SHOWH("create_in_missing_dir", h);
  h = CreateFileA(p, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
  SetLastError(0);
  h2 = CreateFileA(p, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
  SHOWH("create_always_locked", h2);
  CloseHandle(h);
  SetLastError(0);
  h2 = CreateFileA(p, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
  SHOWH("create_always_existing", h2);
  CloseHandle(h2);
  DeleteFileA(p);
  return 0;
}
