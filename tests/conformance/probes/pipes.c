/* pipes: message-mode pipes and ERROR_MORE_DATA, a broken pipe, and a
 * blocked synchronous read released by CancelSynchronousIo.
 * Items: F29 F42 F43. */
#include "probe.h"

static HANDLE g_read;
static DWORD WINAPI reader(LPVOID arg) {
  (void)arg;
  char b[8];
  DWORD n = SENT;
  SetLastError(0);
  BOOL ok = ReadFile(g_read, b, sizeof b, &n, NULL);
  printf("blocked_read: ok=%d err=%lu n=0x%lx\n", ok, ok ? 0 : GetLastError(), n);
  return 0;
}

int main(void) {
  HANDLE srv = CreateNamedPipeA(
      "\\\\.\\pipe\\iocpsim_probe_pipes", PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
      PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1, 4096, 4096, 0, NULL);
  printf("server: %s\n", srv != INVALID_HANDLE_VALUE ? "ok" : "fail");
  HANDLE cli = CreateFileA("\\\\.\\pipe\\iocpsim_probe_pipes", GENERIC_READ | GENERIC_WRITE, 0,
                           NULL, OPEN_EXISTING, 0, NULL);
  printf("client: %s\n", cli != INVALID_HANDLE_VALUE ? "ok" : "fail");
  DWORD mode = PIPE_READMODE_MESSAGE;
  SetNamedPipeHandleState(cli, &mode, NULL, NULL);
  DWORD n;
  WriteFile(cli, "0123456789", 10, &n, NULL);
  char buf[16];
  OVERLAPPED ov;
  probe_ov(&ov);
  ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
  n = SENT;
  SetLastError(0);
  BOOL ok = ReadFile(srv, buf, 4, &n, &ov);
  printf("msg_short_ov: ok=%d err=%lu n=0x%lx Internal=0x%lx InternalHigh=0x%lx\n", ok,
         ok ? 0 : GetLastError(), n, (DWORD)ov.Internal, (DWORD)ov.InternalHigh);
  n = SENT;
  ok = ReadFile(srv, buf, sizeof buf, &n, &ov);
  printf("msg_rest: ok=%d n=%lu data=%.6s\n", ok, n, buf);
  WriteFile(srv, "abcdefgh", 8, &n, &ov);
  n = SENT;
  SetLastError(0);
  ok = ReadFile(cli, buf, 3, &n, NULL);
  printf("msg_short_sync: ok=%d err=%lu n=%lu\n", ok, ok ? 0 : GetLastError(), n);
  ok = ReadFile(cli, buf, sizeof buf, &n, NULL);
  printf("msg_rest_sync: ok=%d n=%lu\n", ok, n);
  CloseHandle(cli);
  n = SENT;
  SetLastError(0);
  ok = ReadFile(srv, buf, sizeof buf, &n, &ov);
  printf("broken: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  SetLastError(0);
  ok = WriteFile(srv, "x", 1, &n, &ov);
  printf("broken_write: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  CloseHandle(ov.hEvent);
  CloseHandle(srv);
  /* anonymous pipe: a blocked read released by CancelSynchronousIo */
  HANDLE w;
  CreatePipe(&g_read, &w, NULL, 0);
  HANDLE th = CreateThread(NULL, 0, reader, NULL, 0, NULL);
  Sleep(100);
  ok = CancelSynchronousIo(th);
  printf("cancel_sync: ok=%d\n", ok);
  WaitForSingleObject(th, 2000);
  SetLastError(0);
  ok = CancelSynchronousIo(th);
  printf("cancel_sync_after: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  CloseHandle(th);
  CloseHandle(w);
  n = SENT;
  SetLastError(0);
  ok = ReadFile(g_read, buf, sizeof buf, &n, NULL);
  printf("read_writer_closed: ok=%d err=%lu n=%lu\n", ok, ok ? 0 : GetLastError(), n);
  CloseHandle(g_read);
  return 0;
}
