/* udp_ex: WSARecvFrom pending with an address, WSASendTo, completion
 * fields and the sender's address.  Items: F20 F25. */
#include "probe.h"

int main(void) {
  probe_start();
  struct sockaddr_in aa, ba;
  SOCKET a = probe_udp(&aa), b = probe_udp(&ba);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)b, port, 0x55, 0);
  char buf[32];
  WSABUF wb = {sizeof buf, buf};
  struct sockaddr_in from;
  INT fromlen = sizeof from;
  memset(&from, 0, sizeof from);
  DWORD n = SENT, fl = 0;
  OVERLAPPED ov;
  probe_ov(&ov);
  int r = WSARecvFrom(b, &wb, 1, &n, &fl, (struct sockaddr *)&from, &fromlen, &ov, NULL);
  printf("recvfrom_pending: r=%d err=%d n=0x%lx\n", r, r ? WSAGetLastError() : 0, n);
  WSABUF sb = {5, "hello"};
  DWORD sent = SENT;
  r = WSASendTo(a, &sb, 1, &sent, 0, (struct sockaddr *)&ba, sizeof ba, NULL, NULL);
  printf("sendto: r=%d sent=%lu\n", r, sent);
  probe_gqcs("recvfrom_pkt", port, 1000, &ov);
  printf("from: family=%d port_matches=%d fromlen=%d data=%.5s\n", from.sin_family,
         from.sin_port == aa.sin_port, fromlen, buf);
  fromlen = 2;
  probe_ov(&ov);
  fl = 0;
  r = WSARecvFrom(b, &wb, 1, &n, &fl, (struct sockaddr *)&from, &fromlen, &ov, NULL);
  printf("recvfrom_short_fromlen: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  r = WSASendTo(a, &sb, 1, &sent, 0, (struct sockaddr *)&ba, 4, NULL, NULL);
  printf("sendto_short_addr: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  closesocket(a);
  closesocket(b);
  CloseHandle(port);
  WSACleanup();
  return 0;
}
