/* udp_connected: a connected UDP socket - send, recv, recvfrom's address,
 * getpeername, sendto elsewhere, disconnect with AF_UNSPEC.
 * Items: W32. */
#include "probe.h"

int main(void) {
  probe_start();
  struct sockaddr_in aa, ba, from;
  SOCKET a = probe_udp(&aa), b = probe_udp(&ba);
  int len = sizeof from;
  int r = getpeername(a, (struct sockaddr *)&from, &len);
  printf("getpeername_unconnected: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  r = send(a, "x", 1, 0);
  printf("send_unconnected: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  r = connect(a, (struct sockaddr *)&ba, sizeof ba);
  printf("connect: r=%d\n", r);
  len = sizeof from;
  r = getpeername(a, (struct sockaddr *)&from, &len);
  printf("getpeername: r=%d same_port=%d len=%d\n", r, from.sin_port == ba.sin_port, len);
  r = send(a, "hello", 5, 0);
  printf("send: r=%d\n", r);
  char buf[16];
  probe_wait_readable(b);
  len = sizeof from;
  r = recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
  printf("recvfrom: r=%d from_matches=%d len=%d\n", r, from.sin_port == aa.sin_port, len);
  r = sendto(b, "back", 4, 0, (struct sockaddr *)&aa, sizeof aa);
  printf("sendto_back: r=%d\n", r);
  probe_wait_readable(a);
  r = recv(a, buf, sizeof buf, 0);
  printf("recv_back: r=%d\n", r);
  struct sockaddr_in other;
  SOCKET o = probe_udp(&other);
  r = sendto(a, "z", 1, 0, (struct sockaddr *)&other, sizeof other);
  printf("sendto_other_while_connected: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  sendto(o, "q", 1, 0, (struct sockaddr *)&aa, sizeof aa);
  Sleep(50);
  u_long nb = 1;
  ioctlsocket(a, FIONBIO, &nb);
  r = recv(a, buf, sizeof buf, 0);
  printf("recv_from_stranger: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  struct sockaddr un;
  memset(&un, 0, sizeof un);
  un.sa_family = AF_UNSPEC;
  r = connect(a, &un, sizeof un);
  printf("disconnect: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  len = sizeof from;
  r = getpeername(a, (struct sockaddr *)&from, &len);
  printf("getpeername_after_disconnect: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  closesocket(a);
  closesocket(b);
  closesocket(o);
  WSACleanup();
  return 0;
}
