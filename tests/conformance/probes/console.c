/* console: the standard handles of a program whose output is a pipe (no
 * console): types, and the console functions on them.
 * Items: F47. */
#include "probe.h"

int main(void) {
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  printf("stdout_valid: %d\n", out != NULL && out != INVALID_HANDLE_VALUE);
  printf("stdout_type_pipe: %d\n", GetFileType(out) == FILE_TYPE_PIPE);
  DWORD mode = SENT;
  SetLastError(0);
  BOOL ok = GetConsoleMode(out, &mode);
  printf("getconsolemode: ok=%d err=%lu mode_written=%d\n", ok, ok ? 0 : GetLastError(),
         mode != SENT);
  DWORD n = SENT;
  fflush(stdout);
  SetLastError(0);
  ok = WriteConsoleW(out, L"x", 1, &n, NULL);
  printf("writeconsolew_pipe: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  return 0;
}
