/* close_send: closesocket with a WSASend pending on a full connection, and
 * a large pending send cancelled.  Items: W3 F24 W22. */
#include "probe.h"

static char big[8 << 20];

int main(void) {
  probe_start();
  SOCKET c, s;
  probe_pair(&c, &s);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)c, port, 0x33, 0);
  WSABUF wb = {sizeof big, big};
  DWORD n = SENT;
  OVERLAPPED ov;
  probe_ov(&ov);
  int r = WSASend(c, &wb, 1, &n, 0, &ov, NULL);
  printf("big_send: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  BOOL ok = CancelIoEx((HANDLE)c, &ov);
  printf("cancel: ok=%d\n", ok);
  DWORD b = SENT;
  ULONG_PTR k;
  LPOVERLAPPED o;
  SetLastError(0);
  BOOL g = GetQueuedCompletionStatus(port, &b, &k, &o, 1000);
  printf("cancel_pkt: ret=%d err=%lu partial_count=%d\n", g, g ? 0 : GetLastError(),
         b > 0 && b < sizeof big);
  /* W3: close with a pending send: under Wine no packet comes soon */
  probe_ov(&ov);
  r = WSASend(c, &wb, 1, &n, 0, &ov, NULL);
  printf("big_send2: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  closesocket(c);
  probe_gqcs("close_pkt_500ms", port, 500, &ov);
  closesocket(s);
  probe_gqcs("after_peer_close", port, 2000, &ov);
  CloseHandle(port);
  WSACleanup();
  return 0;
}
