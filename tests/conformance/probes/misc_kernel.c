/* misc_kernel: the process heap, last-error slots, ids, clocks. */
#include "probe.h"

int main(void) {
  HANDLE heap = GetProcessHeap();
  printf("heap: %d\n", heap != NULL);
  void *p = HeapAlloc(heap, HEAP_ZERO_MEMORY, 16);
  printf("heapalloc_zeroed: %d\n", p != NULL && ((char *)p)[15] == 0);
  printf("heapfree: %d\n", HeapFree(heap, 0, p));
  printf("heapfree_null: %d\n", HeapFree(heap, 0, NULL));
  SetLastError(1234);
  printf("lasterror: %lu wsa=%d\n", GetLastError(), WSAGetLastError());
  WSASetLastError(4321);
  printf("wsa_sets_thread_error: %lu\n", GetLastError());
  printf("ids_nonzero: %d %d\n", GetCurrentThreadId() != 0, GetCurrentProcessId() != 0);
  LARGE_INTEGER f, c1, c2;
  printf("qpf: %d nonzero=%d\n", QueryPerformanceFrequency(&f), f.QuadPart > 0);
  QueryPerformanceCounter(&c1);
  Sleep(20);
  QueryPerformanceCounter(&c2);
  printf("qpc_advances: %d\n", c2.QuadPart > c1.QuadPart);
  ULONGLONG t64 = GetTickCount64();
  printf("tick64_consistent: %d\n",
         (DWORD)t64 - GetTickCount() < 100 || GetTickCount() - (DWORD)t64 < 100);
  FILETIME ft1, ft2;
  GetSystemTimeAsFileTime(&ft1);
  Sleep(20);
  GetSystemTimeAsFileTime(&ft2);
  ULARGE_INTEGER u1, u2;
  u1.LowPart = ft1.dwLowDateTime;
  u1.HighPart = ft1.dwHighDateTime;
  u2.LowPart = ft2.dwLowDateTime;
  u2.HighPart = ft2.dwHighDateTime;
  printf("filetime_advances: %d\n", u2.QuadPart > u1.QuadPart);
  printf("sleep0: ok\n");
  Sleep(0);
  return 0;
}
