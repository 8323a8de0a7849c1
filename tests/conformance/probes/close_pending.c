/* close_pending: closesocket with a pending WSARecv, and the packet of a
 * pending AcceptEx when its listener closes.
 * Items: F33 F40 W2. */
#include "probe.h"

int main(void) {
  probe_start();
  SOCKET c, s;
  probe_pair(&c, &s);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)s, port, 0x33, 0);
  char buf[8];
  WSABUF wb = {sizeof buf, buf};
  DWORD n, fl = 0;
  OVERLAPPED ov;
  probe_ov(&ov);
  int r = WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
  printf("recv: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  closesocket(s);
  probe_gqcs("close_recv_pkt", port, 2000, &ov);
  printf("close_recv_fields: Internal=0x%lx InternalHigh=0x%lx\n", (DWORD)ov.Internal,
         (DWORD)ov.InternalHigh);
  closesocket(c);
  struct sockaddr_in la;
  SOCKET l = probe_listener(&la);
  CreateIoCompletionPort((HANDLE)l, port, 0x34, 0);
  GUID ga = WSAID_ACCEPTEX;
  LPFN_ACCEPTEX acceptex;
  WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &ga, sizeof ga, &acceptex, sizeof acceptex, &n,
           NULL, NULL);
  SOCKET acc = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  char abuf[64];
  probe_ov(&ov);
  acceptex(l, acc, abuf, 0, 32, 32, &n, &ov);
  closesocket(l);
  probe_gqcs("close_listener_pkt", port, 2000, &ov);
  printf("close_listener_fields: Internal=0x%lx\n", (DWORD)ov.Internal);
  SOCKET l2 = probe_listener(&la);
  CreateIoCompletionPort((HANDLE)l2, port, 0x35, 0);
  SOCKET acc2 = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  probe_ov(&ov);
  acceptex(l2, acc2, abuf, 0, 32, 32, &n, &ov);
  closesocket(acc2);
  probe_gqcs("close_acceptor_pkt", port, 2000, &ov);
  printf("close_acceptor_fields: Internal=0x%lx\n", (DWORD)ov.Internal);
  closesocket(acc);
  closesocket(l2);
  CloseHandle(port);
  WSACleanup();
  return 0;
}
