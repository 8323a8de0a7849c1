/* sockopts: option defaults and round trips on TCP and UDP sockets. */
#include "probe.h"

static void get(const char *key, SOCKET s, int level, int name) {
  char v[16];
  memset(v, 0xee, sizeof v);
  int len = sizeof v;
  int r = getsockopt(s, level, name, v, &len);
  int iv;
  memcpy(&iv, v, sizeof iv);
  printf("%s: r=%d err=%d len=%d value=%d\n", key, r, r ? WSAGetLastError() : 0, len, iv);
}

int main(void) {
  probe_start();
  SOCKET t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP),
         u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  SOCKET t6 = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
  get("tcp_type", t, SOL_SOCKET, SO_TYPE);
  get("udp_type", u, SOL_SOCKET, SO_TYPE);
  get("tcp_error", t, SOL_SOCKET, SO_ERROR);
  get("tcp_reuseaddr", t, SOL_SOCKET, SO_REUSEADDR);
  get("tcp_exclusive", t, SOL_SOCKET, SO_EXCLUSIVEADDRUSE);
  get("tcp_keepalive", t, SOL_SOCKET, SO_KEEPALIVE);
  get("tcp_nodelay", t, IPPROTO_TCP, TCP_NODELAY);
  get("udp_broadcast", u, SOL_SOCKET, SO_BROADCAST);
  get("tcp_acceptconn", t, SOL_SOCKET, SO_ACCEPTCONN);
  get("tcp_v6only", t6, IPPROTO_IPV6, IPV6_V6ONLY);
  get("tcp_rcvtimeo", t, SOL_SOCKET, SO_RCVTIMEO);
  struct linger lg;
  int len = sizeof lg;
  int r = getsockopt(t, SOL_SOCKET, SO_LINGER, (char *)&lg, &len);
  printf("tcp_linger: r=%d len=%d onoff=%u linger=%u\n", r, len, lg.l_onoff, lg.l_linger);
  int one = 1;
  r = setsockopt(t, IPPROTO_TCP, TCP_NODELAY, (char *)&one, sizeof one);
  printf("set_nodelay: r=%d\n", r);
  get("tcp_nodelay_after", t, IPPROTO_TCP, TCP_NODELAY);
  int big = 1 << 20;
  r = setsockopt(t, SOL_SOCKET, SO_RCVBUF, (char *)&big, sizeof big);
  printf("set_rcvbuf: r=%d\n", r);
  get("tcp_rcvbuf_after", t, SOL_SOCKET, SO_RCVBUF);
  DWORD ms = 1234;
  setsockopt(t, SOL_SOCKET, SO_RCVTIMEO, (char *)&ms, sizeof ms);
  get("tcp_rcvtimeo_after", t, SOL_SOCKET, SO_RCVTIMEO);
  r = setsockopt(t, SOL_SOCKET, SO_REUSEADDR, (char *)&one, 2);
  printf("set_short_len: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  len = 2;
  r = getsockopt(t, SOL_SOCKET, SO_TYPE, (char *)&one, &len);
  printf("get_short_len: r=%d err=%d len=%d\n", r, r ? WSAGetLastError() : 0, len);
  r = getsockopt(t, SOL_SOCKET, 0x7777, (char *)&one, &len);
  printf("get_unknown: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  closesocket(t);
  closesocket(u);
  closesocket(t6);
  WSACleanup();
  return 0;
}
