/* ov_event: the OVERLAPPED's event on completion, GetOverlappedResult with
 * bWait, HasOverlappedIoCompleted.  Items: F16 F17 F18. */
#include "probe.h"

int main(void) {
  probe_start();
  SOCKET c, s;
  probe_pair(&c, &s);
  char buf[8];
  WSABUF wb = {sizeof buf, buf};
  DWORD n = SENT, fl = 0;
  OVERLAPPED ov;
  probe_ov(&ov);
  ov.hEvent = CreateEventA(NULL, TRUE, TRUE, NULL);
  int r = WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
  printf("recv: r=%d err=%d event=%lu completed=%d\n", r, r ? WSAGetLastError() : 0,
         WaitForSingleObject(ov.hEvent, 0), HasOverlappedIoCompleted(&ov));
  n = SENT;
  SetLastError(0);
  BOOL ok = GetOverlappedResult((HANDLE)s, &ov, &n, FALSE);
  printf("gor_nowait: ok=%d err=%lu n=0x%lx\n", ok, ok ? 0 : GetLastError(), n);
  DWORD tf = SENT;
  ok = WSAGetOverlappedResult(s, &ov, &n, FALSE, &tf);
  printf("wsagor_nowait: ok=%d err=%d n=0x%lx flags=0x%lx\n", ok, ok ? 0 : WSAGetLastError(), n,
         tf);
  send(c, "abcd", 4, 0);
  n = SENT;
  ok = GetOverlappedResult((HANDLE)s, &ov, &n, TRUE);
  printf("gor_wait: ok=%d n=%lu event=%lu completed=%d\n", ok, n, WaitForSingleObject(ov.hEvent, 0),
         HasOverlappedIoCompleted(&ov));
  tf = SENT;
  ok = WSAGetOverlappedResult(s, &ov, &n, TRUE, &tf);
  printf("wsagor_done: ok=%d n=%lu flags=0x%lx\n", ok, n, tf);
  CloseHandle(ov.hEvent);
  closesocket(c);
  closesocket(s);
  WSACleanup();
  return 0;
}
