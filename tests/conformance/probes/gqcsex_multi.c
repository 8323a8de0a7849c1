/* gqcsex_multi: GetQueuedCompletionStatusEx removing several entries in
 * FIFO order, limited by ulCount.  Items: F7 F8. */
#include "probe.h"

int main(void) {
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  for (int i = 1; i <= 5; i++) PostQueuedCompletionStatus(port, (DWORD)i * 10, (ULONG_PTR)i, NULL);
  OVERLAPPED_ENTRY e[8];
  ULONG n = SENT;
  BOOL r = GetQueuedCompletionStatusEx(port, e, 3, &n, 0, FALSE);
  printf("first: ret=%d n=%lu", r, n);
  for (ULONG i = 0; r && i < n; i++)
    printf(" [%lu:%lu]", (DWORD)e[i].lpCompletionKey, e[i].dwNumberOfBytesTransferred);
  printf("\n");
  n = SENT;
  r = GetQueuedCompletionStatusEx(port, e, 8, &n, 0, FALSE);
  printf("rest: ret=%d n=%lu", r, n);
  for (ULONG i = 0; r && i < n; i++)
    printf(" [%lu:%lu]", (DWORD)e[i].lpCompletionKey, e[i].dwNumberOfBytesTransferred);
  printf("\n");
  SetLastError(0);
  r = GetQueuedCompletionStatusEx(port, NULL, 1, &n, 0, FALSE);
  printf("null_entries: ret=%d err=%lu\n", r, r ? 0 : GetLastError());
  DWORD t0 = GetTickCount();
  n = SENT;
  SetLastError(0);
  r = GetQueuedCompletionStatusEx(port, e, 1, &n, 70, FALSE);
  printf("timeout: ret=%d err=%lu @%lu\n", r, r ? 0 : GetLastError(), GetTickCount() - t0);
  CloseHandle(port);
  return 0;
}
