/* ipv6: IPv6 loopback sockets, dual-stack binding, addresses as seen by
 * getsockname/getpeername. */
#include "probe.h"

int main(void) {
  probe_start();
  SOCKET l = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in6 a;
  memset(&a, 0, sizeof a);
  a.sin6_family = AF_INET6;
  a.sin6_addr.s6_addr[15] = 1; /* ::1 */
  int r = bind(l, (struct sockaddr *)&a, sizeof a);
  printf("bind6: r=%d\n", r);
  int len = sizeof a;
  getsockname(l, (struct sockaddr *)&a, &len);
  printf("getsockname6: len=%d family=%d loopback=%d\n", len, a.sin6_family,
         IN6_IS_ADDR_LOOPBACK(&a.sin6_addr));
  listen(l, 2);
  SOCKET c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
  r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("connect6: r=%d\n", r);
  SOCKET s = accept(l, NULL, NULL);
  struct sockaddr_in6 p;
  len = sizeof p;
  r = getpeername(s, (struct sockaddr *)&p, &len);
  printf("getpeername6: r=%d len=%d loopback=%d\n", r, len, IN6_IS_ADDR_LOOPBACK(&p.sin6_addr));
  /* a dual-stack socket: V6ONLY off, an IPv4 client */
  SOCKET d = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
  int off = 0;
  r = setsockopt(d, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&off, sizeof off);
  printf("v6only_off: r=%d\n", r);
  struct sockaddr_in6 any;
  memset(&any, 0, sizeof any);
  any.sin6_family = AF_INET6;
  bind(d, (struct sockaddr *)&any, sizeof any);
  len = sizeof any;
  getsockname(d, (struct sockaddr *)&any, &len);
  listen(d, 2);
  SOCKET c4 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in to = probe_loopback(ntohs(any.sin6_port));
  r = connect(c4, (struct sockaddr *)&to, sizeof to);
  printf("connect_v4_to_dual: r=%d\n", r);
  SOCKET s4 = accept(d, (struct sockaddr *)&p, &len);
  printf("accept_dual: ok=%d family=%d mapped=%d\n", s4 != INVALID_SOCKET, p.sin6_family,
         IN6_IS_ADDR_V4MAPPED(&p.sin6_addr));
  closesocket(s4);
  closesocket(c4);
  closesocket(d);
  closesocket(s);
  closesocket(c);
  closesocket(l);
  WSACleanup();
  return 0;
}
