/* ioctls_inet: socket ioctls and the address-conversion helpers. */
#include "probe.h"
#include <mstcpip.h>

int main(void) {
  probe_start();
  SOCKET c, s;
  probe_pair(&c, &s);
  u_long v = SENT;
  int r = ioctlsocket(s, FIONREAD, &v);
  printf("fionread_empty: r=%d v=%lu\n", r, v);
  send(c, "12345", 5, 0);
  probe_wait_readable(s);
  r = ioctlsocket(s, FIONREAD, &v);
  printf("fionread: r=%d v=%lu\n", r, v);
  r = ioctlsocket(s, SIOCATMARK, &v);
  printf("siocatmark: r=%d v=%lu\n", r, v);
  r = ioctlsocket(s, 0x12345, &v);
  printf("ioctl_unknown: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  struct tcp_keepalive ka = {1, 1000, 100};
  DWORD n = SENT;
  r = WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof ka, NULL, 0, &n, NULL, NULL);
  printf("keepalive_vals: r=%d n=%lu\n", r, n);
  SOCKET base = 0;
  r = WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof base, &n, NULL, NULL);
  printf("base_handle: r=%d same=%d n=%lu\n", r, base == s, n);
  GUID bogus = {1, 2, 3, {4, 5, 6, 7, 8, 9, 10, 11}};
  void *fn = NULL;
  r = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &bogus, sizeof bogus, &fn, sizeof fn, &n,
               NULL, NULL);
  printf("ext_unknown: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  closesocket(c);
  closesocket(s);
  struct in_addr a4;
  struct in6_addr a6;
  char buf[64];
  printf("pton4: %d\n", inet_pton(AF_INET, "10.1.2.3", &a4));
  printf("pton4_bad: %d\n", inet_pton(AF_INET, "10.1.2", &a4));
  printf("pton4_leading0: %d\n", inet_pton(AF_INET, "010.1.2.3", &a4));
  printf("pton6: %d\n", inet_pton(AF_INET6, "fe80::1:2", &a6));
  printf("ntop6: %s\n", inet_ntop(AF_INET6, &a6, buf, sizeof buf));
  inet_pton(AF_INET6, "::ffff:1.2.3.4", &a6);
  printf("ntop6_mapped: %s\n", inet_ntop(AF_INET6, &a6, buf, sizeof buf));
  inet_pton(AF_INET6, "1:0:0:2:0:0:0:3", &a6);
  printf("ntop6_zeros: %s\n", inet_ntop(AF_INET6, &a6, buf, sizeof buf));
  r = inet_pton(77, "1.2.3.4", &a4);
  printf("pton_bad_family: %d err=%d\n", r, WSAGetLastError());
  printf("inet_addr: 0x%lx\n", (DWORD)ntohl(inet_addr("1.2.3.4")));
  printf("inet_addr_short: 0x%lx\n", (DWORD)ntohl(inet_addr("1.2")));
  printf("inet_addr_bad: 0x%lx\n", (DWORD)inet_addr("x.y"));
  struct in_addr ia;
  ia.s_addr = htonl(0x7f000001);
  printf("inet_ntoa: %s\n", inet_ntoa(ia));
  printf("htons: 0x%x ntohl: 0x%lx\n", htons(0x1234), (DWORD)ntohl(0x11223344));
  WSACleanup();
  return 0;
}
