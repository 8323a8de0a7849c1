/* udp: datagram truncation, zero-byte and peek reads, WSARecvMsg, ICMP.
 * Items: F25 F26 F27 F28 F48 W12 W13 W14. */
#include "probe.h"
#include <mstcpip.h>

int main(void) {
  probe_start();
  struct sockaddr_in aa, ba;
  SOCKET a = probe_udp(&aa), b = probe_udp(&ba);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)b, port, 0x55, 0);
  char buf[16];
  WSABUF wb = {4, buf};
  DWORD n, fl;
  OVERLAPPED ov;
  int r;
  /* immediate truncation */
  sendto(a, "0123456789", 10, 0, (struct sockaddr *)&ba, sizeof ba);
  probe_wait_readable(b);
  probe_ov(&ov);
  n = SENT;
  fl = 0;
  r = WSARecv(b, &wb, 1, &n, &fl, &ov, NULL);
  printf("trunc_imm: r=%d err=%d n=0x%lx Internal=0x%lx InternalHigh=0x%lx buf=%.4s\n", r,
         r ? WSAGetLastError() : 0, n, (DWORD)ov.Internal, (DWORD)ov.InternalHigh, buf);
  probe_gqcs("trunc_imm_pkt", port, 0, &ov);
  /* pending truncation */
  probe_ov(&ov);
  fl = 0;
  r = WSARecv(b, &wb, 1, &n, &fl, &ov, NULL);
  printf("trunc_pend: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  sendto(a, "abcdefgh", 8, 0, (struct sockaddr *)&ba, sizeof ba);
  probe_gqcs("trunc_pend_pkt", port, 1000, &ov);
  DWORD tn = SENT, tf = SENT;
  BOOL ok = WSAGetOverlappedResult(b, &ov, &tn, FALSE, &tf);
  printf("trunc_pend_wsagor: ok=%d err=%d n=0x%lx flags=0x%lx\n", ok, ok ? 0 : WSAGetLastError(),
         tn, tf);
  /* zero-byte reads: peek keeps, plain consumes */
  sendto(a, "xyz", 3, 0, (struct sockaddr *)&ba, sizeof ba);
  probe_wait_readable(b);
  r = recv(b, buf, 0, MSG_PEEK);
  printf("zero_peek: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  r = recv(b, buf, sizeof buf, MSG_PEEK);
  printf("peek_full: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  r = recv(b, buf, 0, 0);
  printf("zero_plain: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  u_long avail = SENT;
  ioctlsocket(b, FIONREAD, &avail);
  printf("after_zero_plain_fionread: %lu\n", avail);
  /* zero-length datagram */
  r = sendto(a, "", 0, 0, (struct sockaddr *)&ba, sizeof ba);
  printf("send_empty: r=%d\n", r);
  probe_wait_readable(b);
  r = recv(b, buf, sizeof buf, 0);
  printf("recv_empty: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  /* WSARecvMsg truncation and on a stream socket */
  GUID g = WSAID_WSARECVMSG, gs = WSAID_WSASENDMSG;
  LPFN_WSARECVMSG recvmsg_fn = NULL;
  LPFN_WSASENDMSG sendmsg_fn = NULL;
  WSAIoctl(b, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof g, &recvmsg_fn, sizeof recvmsg_fn, &n,
           NULL, NULL);
  WSAIoctl(b, SIO_GET_EXTENSION_FUNCTION_POINTER, &gs, sizeof gs, &sendmsg_fn, sizeof sendmsg_fn,
           &n, NULL, NULL);
  sendto(a, "0123456789", 10, 0, (struct sockaddr *)&ba, sizeof ba);
  probe_wait_readable(b);
  WSAMSG m;
  struct sockaddr_in from;
  memset(&m, 0, sizeof m);
  m.name = (struct sockaddr *)&from;
  m.namelen = sizeof from;
  m.lpBuffers = &wb;
  m.dwBufferCount = 1;
  m.dwFlags = 0;
  n = SENT;
  r = recvmsg_fn(b, &m, &n, NULL, NULL);
  printf("recvmsg_trunc: r=%d err=%d n=0x%lx flags=0x%lx\n", r, r ? WSAGetLastError() : 0, n,
         m.dwFlags);
  SOCKET c, s;
  probe_pair(&c, &s);
  m.name = NULL;
  m.namelen = 0;
  r = sendmsg_fn(c, &m, 0, &n, NULL, NULL);
  printf("sendmsg_stream: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  closesocket(c);
  closesocket(s);
  /* ICMP port unreachable (F48, W12): send to a closed port, then read */
  struct sockaddr_in dead;
  SOCKET d = probe_udp(&dead);
  closesocket(d);
  sendto(a, "?", 1, 0, (struct sockaddr *)&dead, sizeof dead);
  Sleep(100);
  u_long nb = 1;
  ioctlsocket(a, FIONBIO, &nb);
  r = recv(a, buf, sizeof buf, 0);
  printf("after_icmp_recv: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  BOOL off = FALSE;
  r = WSAIoctl(a, SIO_UDP_CONNRESET, &off, sizeof off, NULL, 0, &n, NULL, NULL);
  printf("udp_connreset_off: r=%d\n", r);
  closesocket(a);
  closesocket(b);
  CloseHandle(port);
  WSACleanup();
  return 0;
}
