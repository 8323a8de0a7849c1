/* recv_modes: WSARecv/WSASend immediate success, pending, immediate error
 * and the packets, OVERLAPPED fields and handle signalling in each
 * completion-notification mode.
 * Items: F10 F11 F13 F14 F15 F16 F17 F20 F21 F22. */
#include "probe.h"

static char kbuf[64];
static const char *K(const char *tag, const char *what) {
  snprintf(kbuf, sizeof kbuf, "%s_%s", tag, what);
  return kbuf;
}

static void run(UCHAR modes) {
  char tag[16];
  snprintf(tag, sizeof tag, "m%u", modes);
  SOCKET c, s;
  probe_pair(&c, &s);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)s, port, 0x5c, 0);
  if (modes) printf("%s_sfcnm: %d\n", tag, SetFileCompletionNotificationModes((HANDLE)s, modes));
  char buf[16];
  WSABUF wb = {sizeof buf, buf};
  DWORD n, fl;
  OVERLAPPED ov;
  int r;
  /* immediate success: data already there */
  send(c, "abc", 3, 0);
  probe_wait_readable(s);
  probe_ov(&ov);
  n = SENT;
  fl = 0;
  r = WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
  printf("%s_imm: r=%d err=%d n=0x%lx Internal=0x%lx InternalHigh=0x%lx\n", tag, r,
         r ? WSAGetLastError() : 0, n, (DWORD)ov.Internal, (DWORD)ov.InternalHigh);
  probe_gqcs(K(tag, "pkt"), port, 0, &ov);
  /* pending, then completed by data */
  probe_ov(&ov);
  n = SENT;
  fl = 0;
  printf("%s_sock_signalled_before: %lu\n", tag, WaitForSingleObject((HANDLE)s, 0));
  r = WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
  printf("%s_pend: r=%d err=%d n=0x%lx Internal=0x%lx InternalHigh=0x%lx\n", tag, r,
         r ? WSAGetLastError() : 0, n, (DWORD)ov.Internal, (DWORD)ov.InternalHigh);
  printf("%s_pend_signalled: %lu\n", tag, WaitForSingleObject((HANDLE)s, 0));
  send(c, "defg", 4, 0);
  probe_gqcs(K(tag, "pkt_pend"), port, 1000, &ov);
  printf("%s_pend_done: Internal=0x%lx InternalHigh=0x%lx\n", tag, (DWORD)ov.Internal,
         (DWORD)ov.InternalHigh);
  printf("%s_done_signalled: %lu\n", tag, WaitForSingleObject((HANDLE)s, 0));
  /* zero-byte read with nothing queued pends; data completes it with 0 */
  WSABUF zb = {0, buf};
  probe_ov(&ov);
  fl = 0;
  r = WSARecv(s, &zb, 1, &n, &fl, &ov, NULL);
  printf("%s_zero_pend: r=%d err=%d\n", tag, r, r ? WSAGetLastError() : 0);
  send(c, "h", 1, 0);
  probe_gqcs(K(tag, "pkt_zero"), port, 1000, &ov);
  /* the hEvent low bit suppresses the packet; the event is still set */
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  probe_ov(&ov);
  ov.hEvent = (HANDLE)((ULONG_PTR)ev | 1);
  fl = 0;
  r = WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
  printf("%s_lowbit: r=%d err=%d ev=%lu\n", tag, r, r ? WSAGetLastError() : 0,
         WaitForSingleObject(ev, 0));
  probe_gqcs(K(tag, "pkt_lowbit"), port, 0, &ov);
  CloseHandle(ev);
  /* graceful close: pending recv completes with 0, later recv 0 at once */
  probe_ov(&ov);
  fl = 0;
  r = WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
  shutdown(c, SD_SEND);
  probe_gqcs(K(tag, "pkt_fin"), port, 1000, &ov);
  probe_ov(&ov);
  n = SENT;
  fl = 0;
  r = WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
  printf("%s_after_fin: r=%d err=%d n=0x%lx\n", tag, r, r ? WSAGetLastError() : 0, n);
  probe_gqcs(K(tag, "pkt_after_fin"), port, 0, &ov);
  /* immediate error: no packet, Internal stays STATUS_PENDING */
  SOCKET u = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  CreateIoCompletionPort((HANDLE)u, port, 0x77, 0);
  probe_ov(&ov);
  n = SENT;
  fl = 0;
  r = WSARecv(u, &wb, 1, &n, &fl, &ov, NULL);
  printf("%s_err_notconn: r=%d err=%d n=0x%lx Internal=0x%lx\n", tag, r, r ? WSAGetLastError() : 0,
         n, (DWORD)ov.Internal);
  probe_gqcs(K(tag, "pkt_err"), port, 0, &ov);
  WSABUF none = {0, NULL};
  (void)none;
  /* no buffers at all, on a fresh connection with nothing queued */
  SOCKET c2, s2;
  probe_pair(&c2, &s2);
  probe_ov(&ov);
  fl = 0;
  r = WSARecv(s2, NULL, 0, &n, &fl, &ov, NULL);
  printf("%s_err_nobufs: r=%d err=%d\n", tag, r, r ? WSAGetLastError() : 0);
  closesocket(c2);
  closesocket(s2);
  closesocket(u);
  closesocket(c);
  closesocket(s);
  CloseHandle(port);
}

int main(void) {
  probe_start();
  run(0);
  run(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
  run(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE);
  WSACleanup();
  return 0;
}
