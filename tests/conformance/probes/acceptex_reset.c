/* acceptex_reset: a connection reset before or during AcceptEx, with and
 * without a receive length; a graceful close before data.
 * Items: F31 W5. */
#include "probe.h"

static LPFN_ACCEPTEX acceptex;

static void reset_client(SOCKET c) {
  struct linger lg = {1, 0};
  setsockopt(c, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof lg);
  closesocket(c);
}

static void run(const char *tag, DWORD rlen, int before) {
  struct sockaddr_in la;
  SOCKET l = probe_listener(&la);
  GUID ga = WSAID_ACCEPTEX;
  DWORD n;
  WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &ga, sizeof ga, &acceptex, sizeof acceptex, &n,
           NULL, NULL);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)l, port, 0x51, 0);
  SOCKET acc = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  char buf[256];
  OVERLAPPED ov;
  char key[64];
  SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
  if (before) {
    connect(c, (struct sockaddr *)&la, sizeof la);
    reset_client(c);
    Sleep(100);
  }
  probe_ov(&ov);
  acceptex(l, acc, buf, rlen, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16, &n,
           &ov);
  if (!before) {
    connect(c, (struct sockaddr *)&la, sizeof la);
    Sleep(50);
    reset_client(c);
  }
  snprintf(key, sizeof key, "%s_pkt", tag);
  probe_gqcs(key, port, 2000, &ov);
  DWORD tn = SENT, tf = SENT;
  BOOL ok = WSAGetOverlappedResult(l, &ov, &tn, FALSE, &tf);
  printf("%s_wsagor: ok=%d err=%d n=0x%lx\n", tag, ok, ok ? 0 : WSAGetLastError(), tn);
  closesocket(acc);
  closesocket(l);
  CloseHandle(port);
}

int main(void) {
  probe_start();
  run("rlen0_before", 0, 1);
  run("rlen16_before", 16, 1);
  run("rlen16_during", 16, 0);
  /* graceful close before any data: completes with 0 bytes */
  struct sockaddr_in la;
  SOCKET l = probe_listener(&la);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)l, port, 0x52, 0);
  SOCKET acc = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  char buf[256];
  DWORD n;
  OVERLAPPED ov;
  probe_ov(&ov);
  acceptex(l, acc, buf, 16, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16, &n,
           &ov);
  SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
  connect(c, (struct sockaddr *)&la, sizeof la);
  closesocket(c);
  probe_gqcs("graceful_pkt", port, 2000, &ov);
  /* data: completes with the bytes */
  SOCKET acc2 = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  probe_ov(&ov);
  acceptex(l, acc2, buf, 16, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16, &n,
           &ov);
  c = socket(AF_INET, SOCK_STREAM, 0);
  connect(c, (struct sockaddr *)&la, sizeof la);
  send(c, "12345", 5, 0);
  probe_gqcs("data_pkt", port, 2000, &ov);
  printf("data: %.5s\n", buf);
  closesocket(c);
  closesocket(acc);
  closesocket(acc2);
  closesocket(l);
  CloseHandle(port);
  WSACleanup();
  return 0;
}
