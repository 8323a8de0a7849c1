/* connectex_fail: ConnectEx calls that fail inside the call - on a
 * listener, on an unbound socket, on connected sockets, with and without
 * send data - and what they leave in the OVERLAPPED and the byte count.
 * Items: F15 W8 W37. */
#include "probe.h"

static LPFN_CONNECTEX connectex;

static void try_connectex(const char *key, SOCKET s, const struct sockaddr_in *to, char *data,
                          DWORD len) {
  OVERLAPPED ov;
  probe_ov(&ov);
  DWORD n = SENT;
  WSASetLastError(0);
  BOOL ok = connectex(s, (const struct sockaddr *)to, sizeof *to, data, len, &n, &ov);
  int err = ok ? 0 : WSAGetLastError();
  printf("%s: ok=%d err=%d n=0x%lx Internal=0x%lx InternalHigh=0x%lx\n", key, ok, err, n,
         (DWORD)ov.Internal, (DWORD)ov.InternalHigh);
}

int main(void) {
  probe_start();
  struct sockaddr_in la;
  SOCKET l = probe_listener(&la);
  GUID g = WSAID_CONNECTEX;
  DWORD n;
  WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof g, &connectex, sizeof connectex, &n,
           NULL, NULL);
  char data[5] = "hello";

  try_connectex("on_listener", l, &la, NULL, 0);
  try_connectex("on_listener_data", l, &la, data, 5);

  SOCKET u = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  try_connectex("unbound", u, &la, NULL, 0);
  try_connectex("unbound_data", u, &la, data, 5);
  closesocket(u);

  try_connectex("invalid_socket", INVALID_SOCKET, &la, data, 5);
  struct sockaddr_in ba;
  u = probe_listener(&ba); /* a bound, non-listening socket: */
  closesocket(u);
  u = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  ba = probe_loopback(0);
  bind(u, (struct sockaddr *)&ba, sizeof ba);
  struct sockaddr_in zero = probe_loopback(0);
  {
    OVERLAPPED ov;
    probe_ov(&ov);
    n = SENT;
    BOOL ok = connectex(u, (const struct sockaddr *)&zero, sizeof zero, data, 5, &n, &ov);
    int err = ok ? 0 : WSAGetLastError();
    /* Internal is not printed here: the refusal may already have come */
    printf("port_zero: ok=%d err=%d n=0x%lx InternalHigh=0x%lx\n", ok, err, n,
           (DWORD)ov.InternalHigh);
    if (err == WSA_IO_PENDING) {
      DWORD w = WaitForSingleObject((HANDLE)u, 2000);
      DWORD got = SENT;
      BOOL r = GetOverlappedResult((HANDLE)u, &ov, &got, FALSE);
      printf("port_zero_done: wait=%lu ok=%d err=%lu n=0x%lx Internal=0x%lx\n", w, r,
             r ? 0 : GetLastError(), got, (DWORD)ov.Internal);
    }
  }
  closesocket(u);
  /* names shorter than a sockaddr_in, each on a fresh bound socket */
  static const int lens[] = {4, 8, 15};
  for (int i = 0; i < 3; i++) {
    u = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ba = probe_loopback(0);
    bind(u, (struct sockaddr *)&ba, sizeof ba);
    OVERLAPPED ov;
    probe_ov(&ov);
    n = SENT;
    BOOL ok = connectex(u, (const struct sockaddr *)&la, lens[i], NULL, 0, &n, &ov);
    printf("namelen_%d: ok=%d err=%d n=0x%lx Internal=0x%lx InternalHigh=0x%lx\n", lens[i], ok,
           ok ? 0 : WSAGetLastError(), n, (DWORD)ov.Internal, (DWORD)ov.InternalHigh);
    closesocket(u);
  }

  SOCKET c, s;
  probe_pair(&c, &s);
  try_connectex("connected_client", c, &la, NULL, 0);
  try_connectex("connected_client_data", c, &la, data, 5);
  try_connectex("connected_server", s, &la, data, 3);
  closesocket(c);
  closesocket(s);
  closesocket(l);
  WSACleanup();
  return 0;
}
