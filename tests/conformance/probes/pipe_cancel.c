/* pipe_cancel: overlapped named-pipe reads - pending, cancelled with
 * CancelIoEx, completed by a write; CancelIoEx with nothing pending.
 * Items: F36 F37 W1. */
#include "probe.h"

int main(void) {
  HANDLE srv = CreateNamedPipeA("\\\\.\\pipe\\iocpsim_probe_cancel",
                                PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                                PIPE_TYPE_BYTE | PIPE_WAIT, 1, 4096, 4096, 0, NULL);
  HANDLE cli = CreateFileA("\\\\.\\pipe\\iocpsim_probe_cancel", GENERIC_READ | GENERIC_WRITE, 0,
                           NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort(srv, port, 0x42, 0);
  char buf[8];
  DWORD n = SENT;
  OVERLAPPED ov;
  probe_ov(&ov);
  SetLastError(0);
  BOOL ok = ReadFile(srv, buf, sizeof buf, &n, &ov);
  printf("read_pending: ok=%d err=%lu n=0x%lx Internal=0x%lx\n", ok, ok ? 0 : GetLastError(), n,
         (DWORD)ov.Internal);
  ok = CancelIoEx(srv, &ov);
  printf("cancel: ok=%d\n", ok);
  probe_gqcs("cancel_pkt", port, 1000, &ov);
  SetLastError(0);
  ok = CancelIoEx(srv, NULL);
  printf("cancel_nothing: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  probe_ov(&ov);
  ReadFile(srv, buf, sizeof buf, &n, &ov);
  OVERLAPPED wo;
  probe_ov(&wo);
  wo.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
  ok = WriteFile(cli, "pipe", 4, &n, &wo);
  printf("write: ok=%d\n", ok || GetLastError() == ERROR_IO_PENDING);
  probe_gqcs("read_pkt", port, 1000, &ov);
  printf("data: %.4s\n", buf);
  n = SENT;
  ok = GetOverlappedResult(srv, &ov, &n, FALSE);
  printf("gor: ok=%d n=%lu\n", ok, n);
  CloseHandle(wo.hEvent);
  CloseHandle(cli);
  CloseHandle(srv);
  CloseHandle(port);
  return 0;
}
