/* wsaioctl_ov: WSAIoctl with an OVERLAPPED completes through the port (no
 * skip mode) or not (skip mode); FIONBIO through WSAIoctl.  Items: F10 F11. */
#include "probe.h"
#include <mstcpip.h>

static void run(UCHAR modes) {
  SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)s, port, 0x10, 0);
  if (modes) SetFileCompletionNotificationModes((HANDLE)s, modes);
  struct tcp_keepalive ka = {1, 5000, 500};
  DWORD n = SENT;
  OVERLAPPED ov;
  probe_ov(&ov);
  int r = WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof ka, NULL, 0, &n, &ov, NULL);
  printf("m%u_keepalive_ov: r=%d err=%d n=0x%lx Internal=0x%lx\n", modes, r,
         r ? WSAGetLastError() : 0, n, (DWORD)ov.Internal);
  char key[32];
  snprintf(key, sizeof key, "m%u_pkt", modes);
  probe_gqcs(key, port, 0, &ov);
  u_long nb = 1;
  r = WSAIoctl(s, FIONBIO, &nb, sizeof nb, NULL, 0, &n, NULL, NULL);
  printf("m%u_fionbio: r=%d\n", modes, r);
  closesocket(s);
  CloseHandle(port);
}

int main(void) {
  probe_start();
  run(0);
  run(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
  WSACleanup();
  return 0;
}
