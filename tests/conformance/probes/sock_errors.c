/* sock_errors: the errors of bind, listen, connect, accept, shutdown and
 * getpeername in their usual misuses. */
#include "probe.h"

#define SHOW(key, expr)                                                                    \
  do {                                                                                     \
    WSASetLastError(0);                                                                    \
    int r_ = (int)(expr);                                                                  \
    printf("%s: r=%d err=%d\n", key, r_ == -1 ? -1 : 0, r_ == -1 ? WSAGetLastError() : 0); \
  } while (0)

int main(void) {
  SOCKET early = socket(AF_INET, SOCK_STREAM, 0);
  printf("socket_before_startup: %s err=%d\n", early == INVALID_SOCKET ? "INVALID" : "ok",
         WSAGetLastError());
  probe_start();
  struct sockaddr_in a = probe_loopback(0), b;
  SOCKET s = socket(AF_INET, SOCK_STREAM, 0), t = socket(AF_INET, SOCK_STREAM, 0);
  SHOW("listen_unbound", listen(s, 1));
  SHOW("bind", bind(s, (struct sockaddr *)&a, sizeof a));
  SHOW("bind_again", bind(s, (struct sockaddr *)&a, sizeof a));
  int len = sizeof b;
  getsockname(s, (struct sockaddr *)&b, &len);
  SHOW("bind_in_use", bind(t, (struct sockaddr *)&b, sizeof b));
  SHOW("bind_short", bind(t, (struct sockaddr *)&a, 4));
  struct sockaddr_in bad = a;
  bad.sin_addr.s_addr = htonl(0x0a0b0c0d);
  SHOW("bind_foreign_addr", bind(t, (struct sockaddr *)&bad, sizeof bad));
  SHOW("getpeername_unconnected", getpeername(s, (struct sockaddr *)&b, &len));
  SHOW("accept_not_listening", accept(s, NULL, NULL));
  SHOW("shutdown_unconnected", shutdown(s, SD_BOTH));
  SHOW("listen", listen(s, 1));
  SHOW("connect_listener", connect(s, (struct sockaddr *)&b, sizeof b));
  /* (a blocking send on a listening socket never returns under Wine 8.0: not probed) */
  struct sockaddr_in dead;
  SOCKET tmp = socket(AF_INET, SOCK_STREAM, 0);
  dead = probe_loopback(0);
  bind(tmp, (struct sockaddr *)&dead, sizeof dead);
  len = sizeof dead;
  getsockname(tmp, (struct sockaddr *)&dead, &len);
  closesocket(tmp);
  SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
  SHOW("connect_refused", connect(c, (struct sockaddr *)&dead, sizeof dead));
  closesocket(c);
  c = socket(AF_INET, SOCK_STREAM, 0);
  SHOW("connect", connect(c, (struct sockaddr *)&b, sizeof b));
  SHOW("connect_again", connect(c, (struct sockaddr *)&b, sizeof b));
  SHOW("shutdown_send", shutdown(c, SD_SEND));
  SHOW("send_after_shutdown", send(c, "x", 1, 0));
  SHOW("shutdown_bad_how", shutdown(c, 7));
  SHOW("closesocket", closesocket(c));
  SHOW("closesocket_twice", closesocket(c));
  SHOW("send_closed", send(c, "x", 1, 0));
  SHOW("socket_bad_af", socket(77, SOCK_STREAM, 0));
  SHOW("socket_bad_type", socket(AF_INET, 77, 0));
  SHOW("socket_bad_proto", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
  closesocket(s);
  closesocket(t);
  SHOW("WSACleanup", WSACleanup());
  SHOW("WSACleanup_again", WSACleanup());
  return 0;
}
