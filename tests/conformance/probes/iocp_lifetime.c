/* iocp_lifetime: packets outlive their handle; a port closed under a
 * waiting thread.  Items: F8 W6. */
#include "probe.h"

static HANDLE g_port;
static DWORD WINAPI waiter(LPVOID arg) {
  (void)arg;
  DWORD n;
  ULONG_PTR k;
  LPOVERLAPPED o;
  DWORD t0 = GetTickCount();
  SetLastError(0);
  BOOL r = GetQueuedCompletionStatus(g_port, &n, &k, &o, 400);
  DWORD e = GetLastError();
  printf("waiter: ret=%d err=%lu @%lu\n", r, e, GetTickCount() - t0);
  return 0;
}

int main(void) {
  probe_start();
  SOCKET c, s;
  probe_pair(&c, &s);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)s, port, 0x5c, 0);
  PostQueuedCompletionStatus(port, 1, 0x1111, NULL);
  char buf[8];
  WSABUF wb = {sizeof buf, buf};
  DWORD n, fl = 0;
  OVERLAPPED ov;
  probe_ov(&ov);
  send(c, "abc", 3, 0);
  probe_wait_readable(s);
  WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
  PostQueuedCompletionStatus(port, 2, 0x2222, NULL);
  closesocket(s);
  probe_gqcs("first", port, 0, &ov);
  probe_gqcs("second", port, 0, &ov);
  probe_gqcs("third", port, 0, &ov);
  probe_gqcs("empty", port, 0, &ov);
  g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  HANDLE th = CreateThread(NULL, 0, waiter, NULL, 0, NULL);
  Sleep(100);
  CloseHandle(g_port);
  WaitForSingleObject(th, 5000);
  CloseHandle(th);
  closesocket(c);
  CloseHandle(port);
  WSACleanup();
  return 0;
}
