/* cancel: CancelIoEx on one operation, on all, on nothing; CancelIo.
 * Items: F36 F37 F38 W1. */
#include "probe.h"

int main(void) {
  probe_start();
  SOCKET c, s;
  probe_pair(&c, &s);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)s, port, 0x21, 0);
  char b1[8], b2[8];
  WSABUF w1 = {sizeof b1, b1}, w2 = {sizeof b2, b2};
  DWORD n, fl = 0;
  OVERLAPPED o1, o2;
  SetLastError(0);
  BOOL r = CancelIoEx((HANDLE)s, NULL);
  printf("cancel_nothing: r=%d err=%lu\n", r, r ? 0 : GetLastError());
  probe_ov(&o1);
  probe_ov(&o2);
  WSARecv(s, &w1, 1, &n, &fl, &o1, NULL);
  fl = 0;
  WSARecv(s, &w2, 1, &n, &fl, &o2, NULL);
  r = CancelIoEx((HANDLE)s, &o2);
  printf("cancel_one: r=%d\n", r);
  probe_gqcs("cancel_one_pkt", port, 1000, &o2);
  printf("o2: Internal=0x%lx InternalHigh=0x%lx\n", (DWORD)o2.Internal, (DWORD)o2.InternalHigh);
  SetLastError(0);
  r = CancelIoEx((HANDLE)s, &o2);
  printf("cancel_again: r=%d err=%lu\n", r, r ? 0 : GetLastError());
  r = CancelIoEx((HANDLE)s, NULL);
  printf("cancel_all: r=%d\n", r);
  probe_gqcs("cancel_all_pkt", port, 1000, &o1);
  /* completion before cancel: data arrived, then CancelIoEx finds nothing */
  probe_ov(&o1);
  fl = 0;
  WSARecv(s, &w1, 1, &n, &fl, &o1, NULL);
  send(c, "abc", 3, 0);
  for (int i = 0; i < 200 && o1.Internal == 0x103; i++) Sleep(5);
  SetLastError(0);
  r = CancelIoEx((HANDLE)s, &o1);
  printf("cancel_completed: r=%d err=%lu\n", r, r ? 0 : GetLastError());
  probe_gqcs("cancel_completed_pkt", port, 1000, &o1);
  /* CancelIo: this thread's operations */
  probe_ov(&o1);
  fl = 0;
  WSARecv(s, &w1, 1, &n, &fl, &o1, NULL);
  r = CancelIo((HANDLE)s);
  printf("cancelio: r=%d\n", r);
  probe_gqcs("cancelio_pkt", port, 1000, &o1);
  SetLastError(0);
  r = CancelIoEx((HANDLE)(ULONG_PTR)0x4444, NULL);
  printf("cancel_bogus: r=%d err=%lu\n", r, r ? 0 : GetLastError());
  closesocket(c);
  closesocket(s);
  CloseHandle(port);
  WSACleanup();
  return 0;
}
