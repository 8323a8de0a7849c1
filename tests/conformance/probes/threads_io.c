/* threads_io: CancelIo is thread-scoped and thread exit does not cancel;
 * shutdown does not cancel a pending receive; a receive after sending to a
 * peer that closed; OVERLAPPED_ENTRY.Internal's upper half.
 * Items: F39 F41 F52 W7 W21. */
#include "probe.h"

static SOCKET g_s;
static OVERLAPPED g_ov;
static char g_buf[8];
static DWORD WINAPI issue(LPVOID arg) {
  (void)arg;
  WSABUF wb = {sizeof g_buf, g_buf};
  DWORD n, fl = 0;
  probe_ov(&g_ov);
  int r = WSARecv(g_s, &wb, 1, &n, &fl, &g_ov, NULL);
  printf("thread_recv: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  return 0;
}

int main(void) {
  probe_start();
  SOCKET c;
  probe_pair(&c, &g_s);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)g_s, port, 0x39, 0);
  HANDLE th = CreateThread(NULL, 0, issue, NULL, 0, NULL);
  WaitForSingleObject(th, 5000);
  CloseHandle(th);
  BOOL ok = CancelIo((HANDLE)g_s);
  printf("foreign_cancelio: ok=%d\n", ok);
  probe_gqcs("foreign_cancelio_pkt", port, 100, &g_ov);
  send(c, "abc", 3, 0);
  /* the entry's Internal is pre-filled with all ones: which half is written */
  OVERLAPPED_ENTRY e;
  memset(&e, 0xff, sizeof e);
  ULONG n = 0;
  ok = GetQueuedCompletionStatusEx(port, &e, 1, &n, 1000, FALSE);
  printf("after_thread_exit: ret=%d n=%lu bytes=%lu internal_hi=0x%lx internal_lo=0x%lx\n", ok, n,
         e.dwNumberOfBytesTransferred, (DWORD)((ULONGLONG)e.Internal >> 32), (DWORD)e.Internal);
  /* F41: shutdown(SD_RECEIVE) leaves a pending recv pending */
  char buf[8];
  WSABUF wb = {sizeof buf, buf};
  DWORD bn, fl = 0;
  OVERLAPPED ov;
  probe_ov(&ov);
  int r = WSARecv(g_s, &wb, 1, &bn, &fl, &ov, NULL);
  printf("recv_pending: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  r = shutdown(g_s, SD_RECEIVE);
  printf("shutdown_receive: r=%d\n", r);
  probe_gqcs("after_shutdown_pkt", port, 100, &ov);
  send(c, "de", 2, 0);
  probe_gqcs("data_after_shutdown_pkt", port, 1000, &ov);
  probe_ov(&ov);
  fl = 0;
  r = WSARecv(g_s, &wb, 1, &bn, &fl, &ov, NULL);
  printf("new_recv_after_shutdown: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  /* W21: data sent to an end that closed, then a receive */
  closesocket(g_s);
  Sleep(50);
  r = send(c, "zz", 2, 0);
  printf("send_to_closed: r=%d\n", r);
  Sleep(100);
  r = recv(c, buf, sizeof buf, 0);
  printf("recv_after_rst: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  closesocket(c);
  CloseHandle(port);
  WSACleanup();
  return 0;
}
