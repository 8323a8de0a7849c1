/* disconnectex: DisconnectEx with and without skip-on-success, and what the
 * peer sees.  Items: W19. */
#include "probe.h"

static void run(UCHAR modes) {
  char tag[8];
  snprintf(tag, sizeof tag, "m%u", modes);
  SOCKET c, s;
  probe_pair(&c, &s);
  GUID gd = WSAID_DISCONNECTEX;
  LPFN_DISCONNECTEX disconnectex = NULL;
  DWORD n;
  WSAIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, &gd, sizeof gd, &disconnectex,
           sizeof disconnectex, &n, NULL, NULL);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)c, port, 0x19, 0);
  if (modes) SetFileCompletionNotificationModes((HANDLE)c, modes);
  OVERLAPPED ov;
  probe_ov(&ov);
  BOOL ok = disconnectex(c, &ov, 0, 0);
  printf("%s_disconnectex: ok=%d err=%d\n", tag, ok, ok ? 0 : WSAGetLastError());
  char key[32];
  snprintf(key, sizeof key, "%s_pkt", tag);
  probe_gqcs(key, port, 1000, &ov);
  printf("%s_fields: Internal=0x%lx\n", tag, (DWORD)ov.Internal);
  probe_wait_readable(s);
  char buf[4];
  int r = recv(s, buf, sizeof buf, 0);
  printf("%s_peer_recv: r=%d\n", tag, r);
  r = send(c, "x", 1, 0);
  printf("%s_send_after: r=%d err=%d\n", tag, r, r < 0 ? WSAGetLastError() : 0);
  closesocket(c);
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
