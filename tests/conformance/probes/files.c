/* files: ReadFile/WriteFile with OVERLAPPED offsets on a synchronous handle,
 * end of file, the pointer afterwards; an overlapped handle's read past EOF.
 * Items: F44 F45 F46 W16 W17 W35. */
#include "probe.h"

int main(void) {
  const char *path = "probe_files.tmp";
  HANDLE h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL, NULL);
  printf("create: %s\n", h != INVALID_HANDLE_VALUE ? "ok" : "fail");
  DWORD n = SENT;
  BOOL ok = WriteFile(h, "0123456789abcdefghij", 20, &n, NULL);
  printf("write: ok=%d n=%lu\n", ok, n);
  LARGE_INTEGER z, pos;
  z.QuadPart = 0;
  SetFilePointerEx(h, z, &pos, FILE_CURRENT);
  printf("pointer_after_write: %ld\n", (LONG)pos.QuadPart);
  OVERLAPPED ov;
  char buf[32];
  probe_ov(&ov);
  ov.Offset = 5;
  n = SENT;
  ok = ReadFile(h, buf, 4, &n, &ov);
  printf("read_at_5: ok=%d n=%lu data=%.4s Internal=0x%lx InternalHigh=0x%lx\n", ok, n, buf,
         (DWORD)ov.Internal, (DWORD)ov.InternalHigh);
  SetFilePointerEx(h, z, &pos, FILE_CURRENT);
  printf("pointer_after_offset_read: %ld\n", (LONG)pos.QuadPart);
  probe_ov(&ov);
  ov.Offset = 50;
  n = SENT;
  SetLastError(0);
  ok = ReadFile(h, buf, 4, &n, &ov);
  printf("read_past_eof: ok=%d err=%lu n=0x%lx Internal=0x%lx InternalHigh=0x%lx\n", ok,
         ok ? 0 : GetLastError(), n, (DWORD)ov.Internal, (DWORD)ov.InternalHigh);
  SetFilePointerEx(h, z, &pos, FILE_CURRENT);
  printf("pointer_after_eof_read: %ld\n", (LONG)pos.QuadPart);
  z.QuadPart = 20;
  SetFilePointerEx(h, z, NULL, FILE_BEGIN);
  n = SENT;
  ok = ReadFile(h, buf, 4, &n, NULL);
  printf("read_at_eof_no_ov: ok=%d n=%lu\n", ok, n);
  probe_ov(&ov);
  ov.Offset = 18;
  ok = WriteFile(h, "XYZW", 4, &n, &ov);
  printf("write_at_18: ok=%d n=%lu\n", ok, n);
  LARGE_INTEGER size;
  GetFileSizeEx(h, &size);
  printf("size: %ld\n", (LONG)size.QuadPart);
  CloseHandle(h);
  /* an overlapped handle */
  h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED,
                  NULL);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort(h, port, 0x46, 0);
  probe_ov(&ov);
  ov.Offset = 0;
  n = SENT;
  SetLastError(0);
  ok = ReadFile(h, buf, 4, &n, &ov);
  printf("async_read: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  probe_gqcs("async_read_pkt", port, 1000, &ov);
  probe_ov(&ov);
  ov.Offset = 100;
  n = SENT;
  SetLastError(0);
  ok = ReadFile(h, buf, 4, &n, &ov);
  printf("async_read_past_eof: ok=%d err=%lu n=0x%lx\n", ok, ok ? 0 : GetLastError(), n);
  probe_gqcs("async_eof_pkt", port, 1000, &ov);
  SetLastError(0);
  ok = ReadFile(h, buf, 4, &n, NULL);
  printf("async_null_ov: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  CloseHandle(h);
  CloseHandle(port);
  printf("delete: %d\n", DeleteFileA(path));
  return 0;
}
