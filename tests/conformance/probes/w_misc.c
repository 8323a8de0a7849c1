/* w_misc: the Wine deviations W23..W30 and the socket-level W1.
 * Items: W1 W23 W24 W25 W26 W27 W29 W30. */
#include "probe.h"
#include <mstcpip.h>

int main(void) {
  probe_start();
  /* W23: SetFilePointerEx on a pipe */
  HANDLE rd, wr;
  CreatePipe(&rd, &wr, NULL, 0);
  LARGE_INTEGER d, out;
  d.QuadPart = 0;
  SetLastError(0);
  BOOL ok = SetFilePointerEx(rd, d, &out, FILE_BEGIN);
  printf("w23_pipe_seek_begin: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  SetLastError(0);
  ok = SetFilePointerEx(wr, d, &out, FILE_CURRENT);
  printf("w23_pipe_seek_current: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  /* W1 on a pipe */
  SetLastError(0);
  ok = CancelIoEx(rd, NULL);
  printf("w1_pipe_cancel_nothing: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  CloseHandle(rd);
  CloseHandle(wr);
  /* W24: SO_UPDATE_ACCEPT_CONTEXT on a closed socket */
  SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP),
         dead = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  closesocket(dead);
  int r = setsockopt(dead, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof l);
  printf("w24_update_ctx_closed: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  /* W25: SIO_UDP_CONNRESET on a closed socket */
  BOOL off = FALSE;
  DWORD n;
  r = WSAIoctl(dead, SIO_UDP_CONNRESET, &off, sizeof off, NULL, 0, &n, NULL, NULL);
  printf("w25_connreset_closed: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  r = WSAIoctl(INVALID_SOCKET, SIO_UDP_CONNRESET, &off, sizeof off, NULL, 0, &n, NULL, NULL);
  printf("w25_connreset_invalid: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  /* W27: WSASend on an unconnected TCP socket */
  WSABUF wb = {1, "x"};
  n = SENT;
  r = WSASend(l, &wb, 1, &n, 0, NULL, NULL);
  printf("w27_send_unconnected: r=%d err=%d n=0x%lx\n", r, r ? WSAGetLastError() : 0, n);
  closesocket(l);
  /* W26: the exported GetAcceptExSockaddrs */
  char buf[2 * (sizeof(struct sockaddr_in) + 16)];
  memset(buf, 0, sizeof buf);
  struct sockaddr_in a = probe_loopback(1234);
  memcpy(buf, &a, sizeof a);
  memcpy(buf + sizeof a + 16, &a, sizeof a);
  struct sockaddr *lp = (struct sockaddr *)(ULONG_PTR)SENT, *rp = lp;
  INT ll = (INT)SENT, rl = (INT)SENT;
  GetAcceptExSockaddrs(buf, 0, sizeof a + 16, sizeof a + 16, &lp, &ll, &rp, &rl);
  printf("w26_exported: local_written=%d len=0x%x\n", lp != (struct sockaddr *)(ULONG_PTR)SENT,
         (unsigned)ll);
  /* W29: more than 1024 WSABUFs */
  SOCKET c, s;
  probe_pair(&c, &s);
  static WSABUF many[1025];
  for (int i = 0; i < 1025; i++) {
    many[i].len = 1;
    many[i].buf = "y";
  }
  r = WSASend(c, many, 1024, &n, 0, NULL, NULL);
  printf("w29_1024: r=%d n=%lu\n", r, n);
  r = WSASend(c, many, 1025, &n, 0, NULL, NULL);
  printf("w29_1025: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  /* W30: SIO_TCP_INFO without and with an OVERLAPPED */
  DWORD ver = 0;
  char ti[128];
  n = SENT;
  r = WSAIoctl(c, _WSAIORW(IOC_VENDOR, 39), &ver, sizeof ver, ti, sizeof ti, &n, NULL, NULL);
  printf("w30_tcp_info: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  SOCKET oc = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  struct sockaddr_in la;
  SOCKET ls = probe_listener(&la);
  connect(oc, (struct sockaddr *)&la, sizeof la);
  CreateIoCompletionPort((HANDLE)oc, port, 0x30, 0);
  OVERLAPPED ov;
  probe_ov(&ov);
  ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
  r = WSAIoctl(oc, _WSAIORW(IOC_VENDOR, 39), &ver, sizeof ver, ti, sizeof ti, &n, &ov, NULL);
  printf("w30_tcp_info_ov: r=%d err=%d Internal=0x%lx\n", r, r ? WSAGetLastError() : 0,
         (DWORD)ov.Internal);
  printf("w30_event: %lu\n", WaitForSingleObject(ov.hEvent, 100));
  probe_gqcs("w30_pkt", port, 100, &ov);
  CloseHandle(ov.hEvent);
  closesocket(oc);
  closesocket(ls);
  closesocket(c);
  closesocket(s);
  CloseHandle(port);
  WSACleanup();
  return 0;
}
