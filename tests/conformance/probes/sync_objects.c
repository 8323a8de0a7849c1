/* sync_objects: events, semaphores, mutexes and the wait functions. */
#include "probe.h"

int main(void) {
  SetLastError(0);
  HANDLE e1 = CreateEventA(NULL, TRUE, FALSE, "probe_named_event");
  printf("event_create: err=%lu\n", GetLastError());
  HANDLE e2 = CreateEventA(NULL, FALSE, TRUE, "probe_named_event");
  printf("event_create_existing: err=%lu same_state=%lu\n", GetLastError(),
         WaitForSingleObject(e2, 0));
  SetEvent(e1);
  printf("manual_wait1: %lu\n", WaitForSingleObject(e1, 0));
  printf("manual_wait2: %lu\n", WaitForSingleObject(e1, 0));
  ResetEvent(e1);
  printf("after_reset: %lu\n", WaitForSingleObject(e1, 0));
  HANDLE a = CreateEventA(NULL, FALSE, TRUE, NULL);
  printf("auto_wait1: %lu\n", WaitForSingleObject(a, 0));
  printf("auto_wait2: %lu\n", WaitForSingleObject(a, 0));
  DWORD t0 = GetTickCount();
  printf("timeout_wait: %lu\n", WaitForSingleObject(a, 60));
  printf("timeout_elapsed: @%lu\n", GetTickCount() - t0);
  HANDLE s = CreateSemaphoreA(NULL, 1, 2, NULL);
  LONG prev = -5;
  printf("sem_release: ok=%d prev=%ld\n", ReleaseSemaphore(s, 1, &prev), prev);
  SetLastError(0);
  BOOL ok = ReleaseSemaphore(s, 1, &prev);
  printf("sem_over_max: ok=%d err=%lu prev=%ld\n", ok, GetLastError(), prev);
  printf("sem_wait: %lu %lu %lu\n", WaitForSingleObject(s, 0), WaitForSingleObject(s, 0),
         WaitForSingleObject(s, 0));
  SetLastError(0);
  HANDLE bad = CreateSemaphoreA(NULL, 3, 2, NULL);
  printf("sem_bad_initial: %s err=%lu\n", bad ? "handle" : "NULL", GetLastError());
  HANDLE m = CreateMutexA(NULL, TRUE, NULL);
  printf("mutex_recursive: %lu\n", WaitForSingleObject(m, 0));
  printf("mutex_release: %d %d\n", ReleaseMutex(m), ReleaseMutex(m));
  SetLastError(0);
  ok = ReleaseMutex(m);
  printf("mutex_release_unowned: ok=%d err=%lu\n", ok, GetLastError());
  HANDLE hs[3] = {e1, a, s};
  SetEvent(a);
  printf("wfmo_any: %lu\n", WaitForMultipleObjects(3, hs, FALSE, 0));
  printf("wfmo_all_unsignalled: %lu\n", WaitForMultipleObjects(3, hs, TRUE, 0));
  SetEvent(e1);
  SetEvent(a);
  ReleaseSemaphore(s, 1, NULL);
  printf("wfmo_all: %lu\n", WaitForMultipleObjects(3, hs, TRUE, 0));
  SetLastError(0);
  DWORD w = WaitForSingleObject((HANDLE)(ULONG_PTR)0x5678, 0);
  printf("wait_bogus: %lu err=%lu\n", w, GetLastError());
  HANDLE dup[2] = {a, a};
  SetLastError(0);
  w = WaitForMultipleObjects(2, dup, TRUE, 0);
  printf("wfmo_duplicate_all: %lu err=%lu\n", w, GetLastError());
  SetLastError(0);
  w = WaitForMultipleObjects(0, hs, FALSE, 0);
  printf("wfmo_zero: %lu err=%lu\n", w, GetLastError());
  CloseHandle(e1);
  CloseHandle(e2);
  CloseHandle(a);
  CloseHandle(s);
  CloseHandle(m);
  SetLastError(0);
  ok = CloseHandle(m);
  printf("close_twice: ok=%d err=%lu\n", ok, GetLastError());
  return 0;
}
