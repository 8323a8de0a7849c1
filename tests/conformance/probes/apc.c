/* apc: alertable waits and APCs - GetQueuedCompletionStatusEx woken by an
 * APC, SleepEx, and what the outputs hold afterwards.
 * Items: F7. */
#include "probe.h"

static int ran;
static void CALLBACK apc_fn(ULONG_PTR arg) {
  ran += (int)arg;
}

int main(void) {
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  QueueUserAPC(apc_fn, GetCurrentThread(), 1);
  OVERLAPPED_ENTRY e[2];
  memset(e, 0xee, sizeof e);
  ULONG n = SENT;
  SetLastError(0);
  BOOL r = GetQueuedCompletionStatusEx(port, e, 2, &n, 1000, TRUE);
  printf("gqcsex_apc: ret=%d err=%lu n=0x%lx ran=%d entry_key=0x%lx\n", r, r ? 0 : GetLastError(),
         n, ran, (DWORD)e[0].lpCompletionKey);
  QueueUserAPC(apc_fn, GetCurrentThread(), 2);
  n = SENT;
  SetLastError(0);
  r = GetQueuedCompletionStatusEx(port, e, 2, &n, 0, FALSE);
  printf("gqcsex_nonalertable: ret=%d err=%lu n=0x%lx ran=%d\n", r, r ? 0 : GetLastError(), n, ran);
  DWORD s = SleepEx(0, TRUE);
  printf("sleepex: r=%lu ran=%d\n", s, ran);
  PostQueuedCompletionStatus(port, 3, 0x77, NULL);
  QueueUserAPC(apc_fn, GetCurrentThread(), 4);
  n = SENT;
  SetLastError(0);
  r = GetQueuedCompletionStatusEx(port, e, 2, &n, 0, TRUE);
  printf("gqcsex_packet_and_apc: ret=%d err=%lu n=0x%lx ran=%d\n", r, r ? 0 : GetLastError(), n,
         ran);
  n = SENT;
  r = GetQueuedCompletionStatusEx(port, e, 2, &n, 0, TRUE);
  printf("gqcsex_after: ret=%d err=%lu n=0x%lx ran=%d\n", r, r ? 0 : GetLastError(), n, ran);
  DWORD b = SENT;
  ULONG_PTR k = SENT;
  LPOVERLAPPED o = (LPOVERLAPPED)(ULONG_PTR)SENT;
  QueueUserAPC(apc_fn, GetCurrentThread(), 8);
  SetLastError(0);
  r = GetQueuedCompletionStatus(port, &b, &k, &o, 1000);
  printf("gqcs_nonalertable_timeout: ret=%d err=%lu ran=%d\n", r, r ? 0 : GetLastError(), ran);
  s = SleepEx(0, TRUE);
  printf("sleepex2: r=%lu ran=%d\n", s, ran);
  CloseHandle(port);
  return 0;
}
