/* shutdown_modes: SD_RECEIVE, SD_SEND, SD_BOTH and what each side sees. */
#include "probe.h"

int main(void) {
  probe_start();
  SOCKET c, s;
  probe_pair(&c, &s);
  char buf[8];
  int r = shutdown(s, SD_RECEIVE);
  printf("shutdown_receive: r=%d\n", r);
  r = recv(s, buf, sizeof buf, 0);
  printf("recv_after_sd_receive: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  r = send(s, "ok", 2, 0);
  printf("send_after_sd_receive: r=%d\n", r);
  probe_wait_readable(c);
  r = recv(c, buf, sizeof buf, 0);
  printf("peer_recv: r=%d\n", r);
  r = shutdown(c, SD_SEND);
  printf("shutdown_send: r=%d\n", r);
  r = send(c, "x", 1, 0);
  printf("send_after_sd_send: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  r = shutdown(c, SD_SEND);
  printf("shutdown_send_twice: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  r = shutdown(c, SD_BOTH);
  printf("shutdown_both: r=%d\n", r);
  r = recv(c, buf, sizeof buf, 0);
  printf("recv_after_sd_both: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  closesocket(c);
  closesocket(s);
  WSACleanup();
  return 0;
}
