/* tcp_reset: a peer's RST - a pending receive, then synchronous calls.
 * Items: F23 W4. */
#include "probe.h"

int main(void) {
  probe_start();
  SOCKET c, s;
  probe_pair(&c, &s);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)s, port, 0x11, 0);
  char buf[16];
  WSABUF wb = {sizeof buf, buf};
  DWORD n = SENT, fl = 0;
  OVERLAPPED ov;
  probe_ov(&ov);
  int r = WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
  printf("pending_recv: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  struct linger lg = {1, 0};
  setsockopt(c, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof lg);
  closesocket(c);
  probe_gqcs("reset_pkt", port, 2000, &ov);
  printf("reset_fields: Internal=0x%lx InternalHigh=0x%lx\n", (DWORD)ov.Internal,
         (DWORD)ov.InternalHigh);
  DWORD tn = SENT, tf = SENT;
  BOOL ok = WSAGetOverlappedResult(s, &ov, &tn, FALSE, &tf);
  printf("reset_wsagor: ok=%d err=%d n=0x%lx flags=0x%lx\n", ok, ok ? 0 : WSAGetLastError(), tn,
         tf);
  int soerr = -1, len = sizeof soerr;
  getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&soerr, &len);
  printf("so_error: %d\n", soerr);
  probe_ov(&ov);
  n = SENT;
  fl = 0;
  r = WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
  printf("recv_after_reset: r=%d err=%d n=0x%lx\n", r, r ? WSAGetLastError() : 0, n);
  probe_gqcs("recv_after_reset_pkt", port, 0, &ov);
  r = send(s, "x", 1, 0);
  printf("send_after_reset: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  r = recv(s, buf, sizeof buf, 0);
  printf("sync_recv_after_reset: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  closesocket(s);
  CloseHandle(port);
  WSACleanup();
  return 0;
}
