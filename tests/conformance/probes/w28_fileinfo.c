/* w28_fileinfo: SetFileInformationByHandle without the access right.
 * Items: W28. */
#include "probe.h"

int main(void) {
  const char *p = "probe_w28.tmp";
  HANDLE h = CreateFileA(p, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                         CREATE_ALWAYS, 0, NULL);
  DWORD n;
  WriteFile(h, "0123456789", 10, &n, NULL);
  CloseHandle(h);
  h = CreateFileA(p, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                  NULL);
  FILE_END_OF_FILE_INFO e;
  e.EndOfFile.QuadPart = 4;
  SetLastError(0);
  BOOL ok = SetFileInformationByHandle(h, FileEndOfFileInfo, &e, sizeof e);
  printf("eof_readonly_handle: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  LARGE_INTEGER sz;
  GetFileSizeEx(h, &sz);
  printf("size: %ld\n", (LONG)sz.QuadPart);
  FILE_BASIC_INFO b;
  memset(&b, 0, sizeof b);
  b.FileAttributes = FILE_ATTRIBUTE_READONLY;
  SetLastError(0);
  ok = SetFileInformationByHandle(h, FileBasicInfo, &b, sizeof b);
  printf("basic_readonly_handle: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  b.FileAttributes = FILE_ATTRIBUTE_NORMAL;
  SetFileInformationByHandle(h, FileBasicInfo, &b, sizeof b);
  CloseHandle(h);
  printf("delete: %d\n", DeleteFileA(p));
  return 0;
}
