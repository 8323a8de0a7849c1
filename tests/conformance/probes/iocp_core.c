/* iocp_core: the completion port without I/O.
 * Items: F1 F2 F4 F5 F6 F7 F8 F9 F50 W7. */
#include "probe.h"

typedef LONG(NTAPI *set_fn)(HANDLE, ULONG_PTR, PVOID, LONG, ULONG_PTR);

static void gqcsex(const char *key, HANDLE port, ULONG count, DWORD ms) {
  OVERLAPPED_ENTRY e[4];
  memset(e, 0xee, sizeof e);
  ULONG n = SENT;
  SetLastError(0);
  BOOL r = GetQueuedCompletionStatusEx(port, e, count, &n, ms, FALSE);
  DWORD err = GetLastError();
  printf("%s: ret=%d err=%lu n=0x%lx", key, r, r ? 0 : err, n);
  if (r)
    for (ULONG i = 0; i < n && i < 4; i++)
      printf(" [key=0x%lx bytes=%lu status_lo=0x%lx]", (DWORD)e[i].lpCompletionKey,
             e[i].dwNumberOfBytesTransferred, (DWORD)(e[i].Internal & 0xffffffffu));
  printf("\n");
}

int main(void) {
  probe_start();
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 7, 0);
  printf("create: %s\n", port ? "ok" : "fail");
  /* F4: empty port, timeout 0 and 100 ms */
  probe_gqcs("empty0", port, 0, NULL);
  DWORD t0 = GetTickCount();
  probe_gqcs("empty100", port, 100, NULL);
  printf("empty100_elapsed: @%lu\n", GetTickCount() - t0);
  gqcsex("ex_empty", port, 4, 0);
  gqcsex("ex_count0", port, 0, 0);
  /* F6, F8: posts are FIFO, NULL ov, the OVERLAPPED untouched */
  OVERLAPPED a, b;
  probe_ov(&a);
  probe_ov(&b);
  a.Internal = 0xC0000120;
  printf("post1: %d\n", PostQueuedCompletionStatus(port, 11, 0x1111, &a));
  printf("post2: %d\n", PostQueuedCompletionStatus(port, 22, 0x2222, NULL));
  printf("post3: %d\n", PostQueuedCompletionStatus(port, 33, 0x3333, &b));
  probe_gqcs("deq1", port, 0, &a);
  printf("a_after: Internal=0x%lx InternalHigh=0x%lx\n", (DWORD)a.Internal, (DWORD)a.InternalHigh);
  probe_gqcs("deq2", port, 0, NULL);
  gqcsex("ex_deq3", port, 4, 0);
  /* F5, F50: packet statuses through NtSetIoCompletion */
  set_fn set =
      (set_fn)(void (*)(void))GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtSetIoCompletion");
  printf("NtSetIoCompletion: %s\n", set ? "found" : "missing");
  static const LONG st[] = {
      (LONG)0xC0000120, (LONG)0x80000005, (LONG)0xC000020D, (LONG)0xC0000241, 0x103,
      0x40000000,       (LONG)0xC0000011, (LONG)0xC0000236, (LONG)0xC000023F, (LONG)0xC00000B5,
      (LONG)0xC000014B, (LONG)0xC0000008};
  for (unsigned i = 0; set && i < sizeof st / sizeof st[0]; i++) {
    char key[32];
    LONG r = set(port, 0x40 + i, &a, st[i], 5);
    snprintf(key, sizeof key, "status_%08lx", (DWORD)st[i]);
    if (r != 0) printf("%s_set: 0x%lx\n", key, (DWORD)r);
    probe_gqcs(key, port, 0, &a);
  }
  /* GQCSEx keeps the packet status in Internal (F7) */
  if (set) {
    set(port, 0x99, &a, (LONG)0xC0000120, 3);
    set(port, 0x98, &b, 0, 4);
  }
  gqcsex("ex_two", port, 4, 0);
  gqcsex("ex_after", port, 1, 0);
  /* F2: associations */
  SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  HANDLE p2 = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  HANDLE r1 = CreateIoCompletionPort((HANDLE)s, port, 1, 0);
  printf("assoc1: %s\n", r1 == port ? "port" : "other");
  SetLastError(0);
  HANDLE r2 = CreateIoCompletionPort((HANDLE)s, port, 2, 0);
  printf("assoc_same: %s err=%lu\n", r2 ? "handle" : "NULL", GetLastError());
  SetLastError(0);
  HANDLE r3 = CreateIoCompletionPort((HANDLE)s, p2, 3, 0);
  printf("assoc_other: %s err=%lu\n", r3 ? "handle" : "NULL", GetLastError());
  SOCKET sync = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0);
  SetLastError(0);
  HANDLE r4 = CreateIoCompletionPort((HANDLE)sync, port, 4, 0);
  printf("assoc_nonoverlapped: %s err=%lu\n", r4 ? "handle" : "NULL", GetLastError());
  SetLastError(0);
  HANDLE r5 = CreateIoCompletionPort((HANDLE)(ULONG_PTR)0x12340, port, 5, 0);
  printf("assoc_bogus: %s err=%lu\n", r5 ? "handle" : "NULL", GetLastError());
  closesocket(s);
  closesocket(sync);
  CloseHandle(p2);
  /* F9: closed port */
  CloseHandle(port);
  probe_gqcs("closed_port", port, 0, NULL);
  gqcsex("ex_closed_port", port, 1, 0);
  SetLastError(0);
  BOOL pc = PostQueuedCompletionStatus(port, 1, 1, NULL);
  printf("post_closed: %d err=%lu\n", pc, GetLastError());
  WSACleanup();
  return 0;
}
