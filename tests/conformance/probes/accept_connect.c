/* accept_connect: AcceptEx and ConnectEx - submission fields, completion
 * keys, argument checks, and the context updates.
 * Items: F3 F30 F32 F34 F35 W8 W9 W10 W11 W20. */
#include "probe.h"

static LPFN_ACCEPTEX acceptex;
static LPFN_CONNECTEX connectex;

static void load(SOCKET s) {
  GUID ga = WSAID_ACCEPTEX, gc = WSAID_CONNECTEX;
  DWORD n;
  WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &ga, sizeof ga, &acceptex, sizeof acceptex, &n,
           NULL, NULL);
  WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &gc, sizeof gc, &connectex, sizeof connectex, &n,
           NULL, NULL);
}

int main(void) {
  probe_start();
  struct sockaddr_in la;
  SOCKET l = probe_listener(&la);
  load(l);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)l, port, 0x28, 0);
  SOCKET acc = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  CreateIoCompletionPort((HANDLE)acc, port, 0x29, 0);
  char buf[2 * (sizeof(struct sockaddr_in) + 16) + 16];
  OVERLAPPED ov;
  DWORD n = SENT;
  /* a connection is already waiting when AcceptEx is called (W9) */
  SOCKET cl = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  connect(cl, (struct sockaddr *)&la, sizeof la);
  probe_ov(&ov);
  BOOL r = acceptex(l, acc, buf, 0, sizeof(struct sockaddr_in) + 16,
                    sizeof(struct sockaddr_in) + 16, &n, &ov);
  int e = r ? 0 : WSAGetLastError();
  printf("acceptex_waiting: r=%d err=%d n=0x%lx InternalHigh=0x%lx\n", r, e, n,
         (DWORD)ov.InternalHigh);
  probe_gqcs("acceptex_waiting_pkt", port, 1000, &ov);
  /* F32, W11: getpeername before the context update */
  struct sockaddr_in pa;
  int len = sizeof pa;
  int g = getpeername(acc, (struct sockaddr *)&pa, &len);
  printf("getpeername_before_ctx: r=%d err=%d\n", g, g ? WSAGetLastError() : 0);
  int u = setsockopt(acc, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof l);
  printf("update_accept_ctx: %d\n", u);
  len = sizeof pa;
  g = getpeername(acc, (struct sockaddr *)&pa, &len);
  printf("getpeername_after_ctx: r=%d err=%d\n", g, g ? WSAGetLastError() : 0);
  closesocket(cl);
  closesocket(acc);
  /* F30: NULL OVERLAPPED; W10: a bound accept socket */
  SOCKET acc2 = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  r = acceptex(l, acc2, buf, 0, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16,
               &n, NULL);
  printf("acceptex_null_ov: r=%d err=%d\n", r, r ? 0 : WSAGetLastError());
  struct sockaddr_in any = probe_loopback(0);
  bind(acc2, (struct sockaddr *)&any, sizeof any);
  probe_ov(&ov);
  r = acceptex(l, acc2, buf, 0, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16,
               &n, &ov);
  printf("acceptex_bound_acceptor: r=%d err=%d Internal=0x%lx\n", r, r ? 0 : WSAGetLastError(),
         (DWORD)ov.Internal);
  /* W10: an address area of exactly sizeof(sockaddr_in) */
  SOCKET acc3 = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  OVERLAPPED ov3;
  probe_ov(&ov3);
  r = acceptex(l, acc3, buf, 0, sizeof(struct sockaddr_in), sizeof(struct sockaddr_in) + 16, &n,
               &ov3);
  printf("acceptex_short_area: r=%d err=%d\n", r, r ? 0 : WSAGetLastError());
  closesocket(acc3);
  closesocket(acc2);
  /* F30: AcceptEx posted first, then the connection arrives */
  SOCKET acc4 = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  probe_ov(&ov);
  n = SENT;
  r = acceptex(l, acc4, buf, 0, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16,
               &n, &ov);
  printf("acceptex_first: r=%d err=%d n=0x%lx InternalHigh=0x%lx\n", r, r ? 0 : WSAGetLastError(),
         n, (DWORD)ov.InternalHigh);
  SOCKET cl2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  connect(cl2, (struct sockaddr *)&la, sizeof la);
  probe_gqcs("acceptex_first_pkt", port, 1000, &ov);
  closesocket(cl2);
  closesocket(acc4);
  /* ConnectEx: unbound socket, then success */
  SOCKET cs = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  CreateIoCompletionPort((HANDLE)cs, port, 0x31, 0);
  probe_ov(&ov);
  r = connectex(cs, (struct sockaddr *)&la, sizeof la, NULL, 0, NULL, &ov);
  printf("connectex_unbound: r=%d err=%d Internal=0x%lx\n", r, r ? 0 : WSAGetLastError(),
         (DWORD)ov.Internal);
  bind(cs, (struct sockaddr *)&any, sizeof any);
  probe_ov(&ov);
  n = SENT;
  r = connectex(cs, (struct sockaddr *)&la, sizeof la, "hi", 2, &n, &ov);
  /* under Wine the count at submission is 0 or the send length, depending on
   * whether the connection was already made (F12-like timing): print the
   * class only */
  printf("connectex: r=%d err=%d n_written=%d n_0_or_len=%d ih_0_or_len=%d\n", r,
         r ? 0 : WSAGetLastError(), n != SENT, n == 0 || n == 2,
         ov.InternalHigh == 0 || ov.InternalHigh == 2);
  probe_gqcs("connectex_pkt", port, 1000, &ov);
  len = sizeof pa;
  g = getpeername(cs, (struct sockaddr *)&pa, &len);
  printf("connectex_getpeername_before_ctx: r=%d err=%d\n", g, g ? WSAGetLastError() : 0);
  g = connect(cs, (struct sockaddr *)&la, sizeof la);
  printf("connectex_then_connect: r=%d err=%d\n", g, g ? WSAGetLastError() : 0);
  u = setsockopt(cs, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0);
  printf("update_connect_ctx: %d\n", u);
  probe_ov(&ov);
  r = connectex(cs, (struct sockaddr *)&la, sizeof la, NULL, 0, NULL, &ov);
  printf("connectex_again: r=%d err=%d\n", r, r ? 0 : WSAGetLastError());
  /* ConnectEx to a port nobody listens on */
  struct sockaddr_in dead;
  SOCKET tmp = probe_listener(&dead);
  closesocket(tmp);
  SOCKET cs2 = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  CreateIoCompletionPort((HANDLE)cs2, port, 0x32, 0);
  bind(cs2, (struct sockaddr *)&any, sizeof any);
  probe_ov(&ov);
  r = connectex(cs2, (struct sockaddr *)&dead, sizeof dead, NULL, 0, NULL, &ov);
  printf("connectex_refused: r=%d err=%d\n", r, r ? 0 : WSAGetLastError());
  probe_gqcs("connectex_refused_pkt", port, 3000, &ov);
  closesocket(cs2);
  closesocket(cs);
  closesocket(l);
  CloseHandle(port);
  WSACleanup();
  return 0;
}
