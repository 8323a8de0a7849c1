/* test_fw_objects.c: fakewin's kernel objects against the rules of the
 * Win32 documentation, each case run as programs inside sim worlds over
 * several seeds.  Inside a world, SIM_EXPECT ends the run; the host side
 * asserts the run passed and prints the failure report otherwise. */
#define _GNU_SOURCE /* fork, pipe */
#include "iocpsim_test.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <windows.h>

#include "fw_int.h" /* fw_world_leaked_handles */
#include "fw_world.h"
#include "sim.h"

#define SEEDS 20

static void run_seeds(void (*fn)(void *), void *arg, uint64_t seeds) {
  for (uint64_t seed = 0; seed < seeds; seed++) {
    sim_config_t cfg = {.seed = seed};
    sim_result_t r;
    sim_status_t st = sim_run(&cfg, fn, arg, &r);
    if (st != SIM_STATUS_PASS)
      print_message("seed %llu:\n%s\n", (unsigned long long)seed, r.report);
    assert_int_equal(st, SIM_STATUS_PASS);
    assert_int_equal(fw_world_leaked_handles(), 0); /* the program closed what it opened */
    sim_result_free(&r);
  }
}

#define EXPECT_ERR(expr, err)                   \
  do {                                          \
    SetLastError(0xdeadbeef);                   \
    SIM_EXPECT(!(expr));                        \
    SIM_EXPECT(GetLastError() == (DWORD)(err)); \
  } while (0)

/* ---- handles -------------------------------------------------------------- */

static void handles_main(void *arg) {
  (void)arg;
  HANDLE a = CreateEventA(NULL, FALSE, FALSE, NULL);
  HANDLE b = CreateSemaphoreA(NULL, 0, 1, NULL);
  SIM_EXPECT(a != NULL && b != NULL && a != b);
  SIM_EXPECT(((uintptr_t)a & 3) == 0 && ((uintptr_t)b & 3) == 0);
  SIM_EXPECT((uintptr_t)a == 0x100); /* the first handle of a fresh world */
  SIM_EXPECT(CloseHandle(a));
  EXPECT_ERR(CloseHandle(a), ERROR_INVALID_HANDLE);
  EXPECT_ERR(CloseHandle(NULL), ERROR_INVALID_HANDLE);
  EXPECT_ERR(CloseHandle((HANDLE)(uintptr_t)0x1234567), ERROR_INVALID_HANDLE);
  /* closing a pseudo-handle has no effect */
  SIM_EXPECT(CloseHandle(GetCurrentThread()));
  SIM_EXPECT(CloseHandle(GetCurrentProcess()));
  SIM_EXPECT(CloseHandle(b));
}

/* Handle values are multiples of 4; closing twice, NULL or garbage fails with ERROR_INVALID_HANDLE.
 */
static void close_handle_twice_fails_invalid_handle(void **state) {
  (void)state;
  run_seeds(handles_main, NULL, SEEDS);
}

static void misuse_main(void *arg) {
  (void)arg;
  HANDLE e = CreateEventA(NULL, TRUE, FALSE, NULL);
  HANDLE s = CreateSemaphoreA(NULL, 1, 1, NULL);
  EXPECT_ERR(SetEvent(s), ERROR_INVALID_HANDLE); /* wrong object type */
  EXPECT_ERR(ReleaseSemaphore(e, 1, NULL), ERROR_INVALID_HANDLE);
  EXPECT_ERR(SetEvent(INVALID_HANDLE_VALUE), ERROR_INVALID_HANDLE);
  SIM_EXPECT(CloseHandle(e));
  SetLastError(0);
  SIM_EXPECT(WaitForSingleObject(e, 0) == WAIT_FAILED); /* closed */
  SIM_EXPECT(GetLastError() == ERROR_INVALID_HANDLE);
  SIM_EXPECT(WaitForSingleObject(NULL, INFINITE) == WAIT_FAILED);
  SIM_EXPECT(GetLastError() == ERROR_INVALID_HANDLE);
  /* INVALID_HANDLE_VALUE is the current process: waitable, never signalled while it runs */
  SIM_EXPECT(WaitForSingleObject(INVALID_HANDLE_VALUE, 0) == WAIT_TIMEOUT);
  SIM_EXPECT(CloseHandle(s));
}

/* Using a closed handle, a handle of the wrong type or INVALID_HANDLE_VALUE fails with
 * ERROR_INVALID_HANDLE. */
static void misused_handles_fail_invalid_handle(void **state) {
  (void)state;
  run_seeds(misuse_main, NULL, SEEDS);
}

static void dup_main(void *arg) {
  (void)arg;
  HANDLE e = CreateEventA(NULL, TRUE, FALSE, NULL);
  HANDLE d = NULL;
  SIM_EXPECT(DuplicateHandle(GetCurrentProcess(), e, GetCurrentProcess(), &d, 0, FALSE,
                             DUPLICATE_SAME_ACCESS));
  SIM_EXPECT(d != NULL && d != e);
  SIM_EXPECT(CloseHandle(e));
  SIM_EXPECT(SetEvent(d)); /* the object lives while a handle refers to it */
  SIM_EXPECT(WaitForSingleObject(d, 0) == WAIT_OBJECT_0);
  HANDLE d2 = NULL;
  SIM_EXPECT(DuplicateHandle(GetCurrentProcess(), d, GetCurrentProcess(), &d2, 0, FALSE,
                             DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
  EXPECT_ERR(CloseHandle(d), ERROR_INVALID_HANDLE); /* closed by DUPLICATE_CLOSE_SOURCE */
  HANDLE th = NULL;
  SIM_EXPECT(DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &th, 0,
                             FALSE, DUPLICATE_SAME_ACCESS));
  SIM_EXPECT(GetThreadId(th) == GetCurrentThreadId());
  DWORD flags = 99;
  SIM_EXPECT(
      SetHandleInformation(d2, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE));
  SIM_EXPECT(GetHandleInformation(d2, &flags) && flags == HANDLE_FLAG_PROTECT_FROM_CLOSE);
  EXPECT_ERR(CloseHandle(d2), ERROR_INVALID_HANDLE);
  SIM_EXPECT(SetHandleInformation(d2, HANDLE_FLAG_PROTECT_FROM_CLOSE, 0));
  SIM_EXPECT(CloseHandle(d2));
  SIM_EXPECT(CloseHandle(th));
}

/* DuplicateHandle gives a second handle to the same object (pseudo-handles become real ones). */
static void duplicate_handle_refers_to_same_object(void **state) {
  (void)state;
  run_seeds(dup_main, NULL, 3);
}

/* ---- events ---------------------------------------------------------------- */

typedef struct evt_ctx {
  HANDLE ev;
  HANDLE done;
  volatile LONG woken;
} evt_ctx_t;

static DWORD WINAPI evt_waiter(LPVOID p) {
  evt_ctx_t *c = p;
  SIM_EXPECT(WaitForSingleObject(c->ev, INFINITE) == WAIT_OBJECT_0);
  InterlockedIncrement(&c->woken);
  ReleaseSemaphore(c->done, 1, NULL);
  return 0;
}

static void start_waiters(evt_ctx_t *c, int n, HANDLE *th) {
  for (int i = 0; i < n; i++) th[i] = CreateThread(NULL, 0, evt_waiter, c, 0, NULL);
  Sleep(10); /* every waiter is blocked after 10 ms of virtual time */
}

static void auto_event_main(void *arg) {
  (void)arg;
  evt_ctx_t c = {CreateEventA(NULL, FALSE, FALSE, NULL), CreateSemaphoreA(NULL, 0, 10, NULL), 0};
  HANDLE th[3];
  start_waiters(&c, 3, th);
  SIM_EXPECT(c.woken == 0);
  SIM_EXPECT(SetEvent(c.ev));
  SIM_EXPECT(WaitForSingleObject(c.done, INFINITE) == WAIT_OBJECT_0);
  Sleep(10);
  SIM_EXPECT(c.woken == 1); /* one waiter released, and the event reset itself */
  SIM_EXPECT(WaitForSingleObject(c.ev, 0) == WAIT_TIMEOUT);
  SIM_EXPECT(SetEvent(c.ev));
  Sleep(10);
  SIM_EXPECT(c.woken == 2);
  SIM_EXPECT(SetEvent(c.ev));
  SIM_EXPECT(WaitForMultipleObjects(3, th, TRUE, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(c.woken == 3);
  /* with nobody waiting, setting a set event does not count twice */
  SIM_EXPECT(SetEvent(c.ev) && SetEvent(c.ev));
  SIM_EXPECT(WaitForSingleObject(c.ev, 0) == WAIT_OBJECT_0);
  SIM_EXPECT(WaitForSingleObject(c.ev, 0) == WAIT_TIMEOUT);
  for (int i = 0; i < 3; i++) CloseHandle(th[i]);
  CloseHandle(c.ev);
  CloseHandle(c.done);
}

/* An auto-reset event releases exactly one waiting thread and resets itself. */
static void auto_reset_event_releases_one_waiter_and_resets(void **state) {
  (void)state;
  run_seeds(auto_event_main, NULL, SEEDS);
}

static void manual_event_main(void *arg) {
  (void)arg;
  evt_ctx_t c = {CreateEventA(NULL, TRUE, FALSE, NULL), CreateSemaphoreA(NULL, 0, 10, NULL), 0};
  HANDLE th[3];
  start_waiters(&c, 3, th);
  SIM_EXPECT(SetEvent(c.ev));
  SIM_EXPECT(WaitForMultipleObjects(3, th, TRUE, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(c.woken == 3);
  SIM_EXPECT(WaitForSingleObject(c.ev, 0) == WAIT_OBJECT_0); /* still set */
  SIM_EXPECT(ResetEvent(c.ev));
  SIM_EXPECT(WaitForSingleObject(c.ev, 0) == WAIT_TIMEOUT);
  HANDLE pre = CreateEventW(NULL, TRUE, TRUE, NULL); /* initially set */
  SIM_EXPECT(WaitForSingleObject(pre, 0) == WAIT_OBJECT_0);
  for (int i = 0; i < 3; i++) CloseHandle(th[i]);
  CloseHandle(pre);
  CloseHandle(c.ev);
  CloseHandle(c.done);
}

/* A manual-reset event releases every waiter and stays set until ResetEvent; the initial state is
 * honoured. */
static void manual_reset_event_releases_all_and_stays_set(void **state) {
  (void)state;
  run_seeds(manual_event_main, NULL, SEEDS);
}

static void pulse_main(void *arg) {
  (void)arg;
  evt_ctx_t c = {CreateEventA(NULL, TRUE, FALSE, NULL), CreateSemaphoreA(NULL, 0, 10, NULL), 0};
  HANDLE th[2];
  start_waiters(&c, 2, th);
  SIM_EXPECT(PulseEvent(c.ev));
  SIM_EXPECT(WaitForSingleObject(c.ev, 0) == WAIT_TIMEOUT); /* not left set */
  SIM_EXPECT(WaitForMultipleObjects(2, th, TRUE, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(c.woken == 2);
  /* a pulse with nobody waiting is lost */
  SIM_EXPECT(PulseEvent(c.ev));
  SIM_EXPECT(WaitForSingleObject(c.ev, 0) == WAIT_TIMEOUT);
  for (int i = 0; i < 2; i++) CloseHandle(th[i]);
  CloseHandle(c.ev);
  CloseHandle(c.done);
}

/* PulseEvent releases the threads waiting at that moment and leaves the event reset. */
static void pulse_event_releases_current_waiters_then_resets(void **state) {
  (void)state;
  run_seeds(pulse_main, NULL, SEEDS);
}

static void named_main(void *arg) {
  (void)arg;
  HANDLE a = CreateEventA(NULL, TRUE, FALSE, "iocpsim-ev");
  SIM_EXPECT(a != NULL && GetLastError() == 0);
  HANDLE b = CreateEventW(NULL, FALSE, TRUE,
                          (const WCHAR[]){'i', 'o', 'c', 'p', 's', 'i', 'm', '-', 'e', 'v', 0});
  SIM_EXPECT(b != NULL && b != a && GetLastError() == ERROR_ALREADY_EXISTS);
  SIM_EXPECT(SetEvent(a));
  SIM_EXPECT(WaitForSingleObject(b, 0) == WAIT_OBJECT_0); /* same object: manual, stays set */
  SIM_EXPECT(WaitForSingleObject(a, 0) == WAIT_OBJECT_0);
  SIM_EXPECT(CreateSemaphoreA(NULL, 0, 1, "iocpsim-ev") == NULL &&
             GetLastError() == ERROR_INVALID_HANDLE);
  CloseHandle(a);
  CloseHandle(b);
}

/* Creating a named object that exists opens it and reports ERROR_ALREADY_EXISTS; another type
 * holding the name fails. */
static void named_event_exists_reports_already_exists(void **state) {
  (void)state;
  run_seeds(named_main, NULL, 2);
}

/* ---- semaphores ------------------------------------------------------------------ */

static void sem_main(void *arg) {
  (void)arg;
  HANDLE s = CreateSemaphoreA(NULL, 2, 3, NULL);
  SIM_EXPECT(WaitForSingleObject(s, 0) == WAIT_OBJECT_0);
  SIM_EXPECT(WaitForSingleObject(s, 0) == WAIT_OBJECT_0);
  SIM_EXPECT(WaitForSingleObject(s, 0) == WAIT_TIMEOUT);
  LONG prev = -7;
  SIM_EXPECT(ReleaseSemaphore(s, 2, &prev) && prev == 0);
  SIM_EXPECT(ReleaseSemaphore(s, 1, &prev) && prev == 2);
  SIM_EXPECT(ReleaseSemaphore(s, 1, NULL) == FALSE && GetLastError() == ERROR_TOO_MANY_POSTS);
  CloseHandle(s);
}

/* A wait takes one count; ReleaseSemaphore adds counts and reports the previous count. */
static void semaphore_wait_decrements_and_release_returns_previous_count(void **state) {
  (void)state;
  run_seeds(sem_main, NULL, 3);
}

static void sem_max_main(void *arg) {
  (void)arg;
  HANDLE s = CreateSemaphoreA(NULL, 1, 2, NULL);
  LONG prev = -7;
  SetLastError(0);
  SIM_EXPECT(!ReleaseSemaphore(s, 2, &prev));
  SIM_EXPECT(GetLastError() == ERROR_TOO_MANY_POSTS);
  SIM_EXPECT(prev == -7);                                 /* not written */
  SIM_EXPECT(ReleaseSemaphore(s, 1, &prev) && prev == 1); /* the count was left unchanged */
  SIM_EXPECT(!ReleaseSemaphore(s, 1, NULL) && GetLastError() == ERROR_TOO_MANY_POSTS);
  CloseHandle(s);
}

/* Releasing beyond the maximum count fails with ERROR_TOO_MANY_POSTS and leaves the count
 * unchanged. */
static void semaphore_release_beyond_max_fails_too_many_posts(void **state) {
  (void)state;
  run_seeds(sem_max_main, NULL, 3);
}

static void sem_param_main(void *arg) {
  (void)arg;
  EXPECT_ERR(CreateSemaphoreA(NULL, 0, 0, NULL), ERROR_INVALID_PARAMETER);
  EXPECT_ERR(CreateSemaphoreA(NULL, -1, 5, NULL), ERROR_INVALID_PARAMETER);
  EXPECT_ERR(CreateSemaphoreA(NULL, 6, 5, NULL), ERROR_INVALID_PARAMETER);
  HANDLE s = CreateSemaphoreA(NULL, 0, 5, NULL);
  EXPECT_ERR(ReleaseSemaphore(s, 0, NULL), ERROR_INVALID_PARAMETER);
  EXPECT_ERR(ReleaseSemaphore(s, -2, NULL), ERROR_INVALID_PARAMETER);
  CloseHandle(s);
}

/* Bad initial/maximum counts and non-positive release counts fail with ERROR_INVALID_PARAMETER. */
static void semaphore_bad_counts_fail_invalid_parameter(void **state) {
  (void)state;
  run_seeds(sem_param_main, NULL, 2);
}

/* ---- waits ------------------------------------------------------------------------ */

static void timeout_main(void *arg) {
  (void)arg;
  HANDLE e = CreateEventA(NULL, FALSE, FALSE, NULL);
  ULONGLONG t0 = GetTickCount64();
  SIM_EXPECT(WaitForSingleObject(e, 250) == WAIT_TIMEOUT);
  SIM_EXPECT(GetTickCount64() - t0 == 250);
  SIM_EXPECT(WaitForSingleObject(e, 0) == WAIT_TIMEOUT);
  SIM_EXPECT(GetTickCount64() - t0 == 250); /* a zero timeout does not wait */
  CloseHandle(e);
}

/* A wait that is not satisfied returns WAIT_TIMEOUT after exactly its timeout of virtual time. */
static void wait_times_out_with_wait_timeout_after_virtual_time(void **state) {
  (void)state;
  run_seeds(timeout_main, NULL, 3);
}

typedef struct multi_ctx {
  HANDLE h[3];
} multi_ctx_t;

static DWORD WINAPI set_second(LPVOID p) {
  multi_ctx_t *c = p;
  Sleep(5);
  SetEvent(c->h[2]);
  SetEvent(c->h[1]);
  return 0;
}

static void multi_any_main(void *arg) {
  (void)arg;
  multi_ctx_t c;
  for (int i = 0; i < 3; i++) c.h[i] = CreateEventA(NULL, TRUE, FALSE, NULL);
  SetEvent(c.h[2]);
  SetEvent(c.h[1]);
  SIM_EXPECT(WaitForMultipleObjects(3, c.h, FALSE, 0) ==
             WAIT_OBJECT_0 + 1); /* lowest signalled index */
  ResetEvent(c.h[1]);
  ResetEvent(c.h[2]);
  HANDLE t = CreateThread(NULL, 0, set_second, &c, 0, NULL);
  DWORD r = WaitForMultipleObjects(3, c.h, FALSE, INFINITE);
  SIM_EXPECT(r == WAIT_OBJECT_0 + 1 || r == WAIT_OBJECT_0 + 2);
  WaitForSingleObject(t, INFINITE);
  CloseHandle(t);
  for (int i = 0; i < 3; i++) CloseHandle(c.h[i]);
}

/* Wait-any returns WAIT_OBJECT_0 + the lowest index among the signalled objects. */
static void wait_any_returns_lowest_signalled_index(void **state) {
  (void)state;
  run_seeds(multi_any_main, NULL, SEEDS);
}

static DWORD WINAPI release_both_slowly(LPVOID p) {
  multi_ctx_t *c = p;
  ReleaseSemaphore(c->h[0], 1, NULL);
  Sleep(7);
  ReleaseSemaphore(c->h[1], 1, NULL);
  return 0;
}

static void multi_all_main(void *arg) {
  (void)arg;
  multi_ctx_t c;
  c.h[0] = CreateSemaphoreA(NULL, 0, 5, NULL);
  c.h[1] = CreateSemaphoreA(NULL, 0, 5, NULL);
  HANDLE t = CreateThread(NULL, 0, release_both_slowly, &c, 0, NULL);
  ULONGLONG t0 = GetTickCount64();
  SIM_EXPECT(WaitForMultipleObjects(2, c.h, TRUE, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(GetTickCount64() - t0 == 7); /* not before the second object */
  /* both counts were taken */
  SIM_EXPECT(WaitForSingleObject(c.h[0], 0) == WAIT_TIMEOUT);
  SIM_EXPECT(WaitForSingleObject(c.h[1], 0) == WAIT_TIMEOUT);
  /* only one signalled: the wait-all times out and takes nothing */
  ReleaseSemaphore(c.h[0], 1, NULL);
  SIM_EXPECT(WaitForMultipleObjects(2, c.h, TRUE, 3) == WAIT_TIMEOUT);
  SIM_EXPECT(WaitForSingleObject(c.h[0], 0) == WAIT_OBJECT_0);
  HANDLE dup2[2] = {c.h[0], c.h[0]};
  SIM_EXPECT(WaitForMultipleObjects(2, dup2, TRUE, 0) == WAIT_FAILED &&
             GetLastError() == ERROR_INVALID_PARAMETER);
  WaitForSingleObject(t, INFINITE);
  CloseHandle(t);
  CloseHandle(c.h[0]);
  CloseHandle(c.h[1]);
}

/* Wait-all returns only when every object is signalled at once, and then takes them all. */
static void wait_all_waits_for_every_object_and_takes_all(void **state) {
  (void)state;
  run_seeds(multi_all_main, NULL, SEEDS);
}

static void multi_param_main(void *arg) {
  (void)arg;
  HANDLE hs[MAXIMUM_WAIT_OBJECTS + 1];
  for (int i = 0; i <= MAXIMUM_WAIT_OBJECTS; i++) hs[i] = CreateEventA(NULL, TRUE, TRUE, NULL);
  SIM_EXPECT(WaitForMultipleObjects(0, hs, FALSE, 0) == WAIT_FAILED &&
             GetLastError() == ERROR_INVALID_PARAMETER);
  SIM_EXPECT(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, hs, FALSE, 0) == WAIT_FAILED &&
             GetLastError() == ERROR_INVALID_PARAMETER);
  SIM_EXPECT(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, hs, TRUE, 0) == WAIT_OBJECT_0);
  for (int i = 0; i <= MAXIMUM_WAIT_OBJECTS; i++) CloseHandle(hs[i]);
}

/* 0 or more than MAXIMUM_WAIT_OBJECTS handles fail with ERROR_INVALID_PARAMETER; exactly 64 work.
 */
static void wait_multiple_count_limits_fail_invalid_parameter(void **state) {
  (void)state;
  run_seeds(multi_param_main, NULL, 1);
}

/* ---- threads --------------------------------------------------------------------- */

static DWORD WINAPI returns_42(LPVOID p) {
  HANDLE gate = p;
  WaitForSingleObject(gate, INFINITE);
  return 42;
}

static void thread_exit_main(void *arg) {
  (void)arg;
  HANDLE gate = CreateEventA(NULL, TRUE, FALSE, NULL);
  DWORD tid = 0;
  HANDLE t = CreateThread(NULL, 0, returns_42, gate, 0, &tid);
  SIM_EXPECT(t != NULL && tid != 0 && (tid & 3) == 0 && tid != GetCurrentThreadId());
  SIM_EXPECT(GetThreadId(t) == tid);
  DWORD code = 0;
  SIM_EXPECT(GetExitCodeThread(t, &code) && code == STILL_ACTIVE);
  SIM_EXPECT(WaitForSingleObject(t, 0) == WAIT_TIMEOUT);
  SetEvent(gate);
  SIM_EXPECT(WaitForSingleObject(t, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(GetExitCodeThread(t, &code) && code == 42);
  SIM_EXPECT(WaitForSingleObject(t, 0) == WAIT_OBJECT_0); /* stays signalled */
  SIM_EXPECT(GetExitCodeThread(GetCurrentThread(), &code) && code == STILL_ACTIVE);
  CloseHandle(t);
  CloseHandle(gate);
}

/* A thread handle is signalled when the thread exits; GetExitCodeThread gives STILL_ACTIVE, then
 * the return value. */
static void thread_handle_signalled_on_exit_with_exit_code(void **state) {
  (void)state;
  run_seeds(thread_exit_main, NULL, SEEDS);
}

static volatile LONG ran_flag;
static DWORD WINAPI set_flag_then_exit_thread(LPVOID p) {
  (void)p;
  InterlockedExchange(&ran_flag, 1);
  ExitThread(7);
}

static void suspended_main(void *arg) {
  (void)arg;
  ran_flag = 0;
  HANDLE t = CreateThread(NULL, 0, set_flag_then_exit_thread, NULL, CREATE_SUSPENDED, NULL);
  Sleep(100);
  SIM_EXPECT(ran_flag == 0);
  SIM_EXPECT(WaitForSingleObject(t, 10) == WAIT_TIMEOUT);
  SIM_EXPECT(ResumeThread(t) == 1);
  SIM_EXPECT(WaitForSingleObject(t, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(ran_flag == 1);
  DWORD code = 0;
  SIM_EXPECT(GetExitCodeThread(t, &code) && code == 7); /* ExitThread's code */
  SIM_EXPECT(ResumeThread(t) == 0);
  SIM_EXPECT(ResumeThread(NULL) == (DWORD)-1 && GetLastError() == ERROR_INVALID_HANDLE);
  CloseHandle(t);
}

/* CREATE_SUSPENDED threads run only after ResumeThread; ExitThread sets the exit code. */
static void create_suspended_runs_after_resume_and_exit_thread_sets_code(void **state) {
  (void)state;
  run_seeds(suspended_main, NULL, SEEDS);
}

static DWORD WINAPI set_own_error(LPVOID p) {
  SetLastError((DWORD)(uintptr_t)p);
  Sleep(1);
  SIM_EXPECT(GetLastError() == (DWORD)(uintptr_t)p);
  return 0;
}

static void last_error_main(void *arg) {
  (void)arg;
  SetLastError(1111);
  HANDLE a = CreateThread(NULL, 0, set_own_error, (LPVOID)2222, 0, NULL);
  HANDLE b = CreateThread(NULL, 0, set_own_error, (LPVOID)3333, 0, NULL);
  HANDLE both[2] = {a, b};
  SIM_EXPECT(WaitForMultipleObjects(2, both, TRUE, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(GetLastError() == 1111);
  CloseHandle(a);
  CloseHandle(b);
}

/* The last error is per thread. */
static void last_error_is_per_thread(void **state) {
  (void)state;
  run_seeds(last_error_main, NULL, SEEDS);
}

/* ---- mutexes ------------------------------------------------------------------------ */

static DWORD WINAPI take_and_die(LPVOID p) {
  SIM_EXPECT(WaitForSingleObject(p, INFINITE) == WAIT_OBJECT_0);
  return 0; /* exits owning the mutex */
}

static void mutex_main(void *arg) {
  (void)arg;
  HANDLE m = CreateMutexA(NULL, TRUE, NULL);
  SIM_EXPECT(WaitForSingleObject(m, 0) == WAIT_OBJECT_0); /* recursive */
  SIM_EXPECT(ReleaseMutex(m));
  SIM_EXPECT(ReleaseMutex(m));
  EXPECT_ERR(ReleaseMutex(m), ERROR_NOT_OWNER);
  HANDLE t = CreateThread(NULL, 0, take_and_die, m, 0, NULL);
  WaitForSingleObject(t, INFINITE);
  SIM_EXPECT(WaitForSingleObject(m, INFINITE) == WAIT_ABANDONED_0);
  SIM_EXPECT(ReleaseMutex(m)); /* the abandoned mutex is now ours */
  SIM_EXPECT(WaitForSingleObject(m, 0) == WAIT_OBJECT_0);
  SIM_EXPECT(ReleaseMutex(m));
  CloseHandle(t);
  CloseHandle(m);
}

/* Mutexes are recursive; ReleaseMutex by a non-owner fails ERROR_NOT_OWNER; an owner's exit gives
 * WAIT_ABANDONED. */
static void mutex_recursive_not_owner_and_abandoned(void **state) {
  (void)state;
  run_seeds(mutex_main, NULL, SEEDS);
}

/* ---- alertable waits and APCs --------------------------------------------------------- */

static volatile LONG apc_ran;
static void WINAPI apc_fn(ULONG_PTR data) {
  apc_ran += (LONG)data;
}

static DWORD WINAPI alertable_sleeper(LPVOID p) {
  HANDLE e = p;
  SIM_EXPECT(WaitForSingleObjectEx(e, INFINITE, TRUE) == WAIT_IO_COMPLETION);
  SIM_EXPECT(apc_ran == 5);
  SIM_EXPECT(WaitForSingleObject(e, 0) == WAIT_TIMEOUT); /* non-alertable waits do not run APCs */
  SIM_EXPECT(SleepEx(INFINITE, TRUE) == WAIT_IO_COMPLETION);
  SIM_EXPECT(apc_ran == 12);
  return 0;
}

static void apc_main(void *arg) {
  (void)arg;
  apc_ran = 0;
  HANDLE e = CreateEventA(NULL, FALSE, FALSE, NULL);
  HANDLE t = CreateThread(NULL, 0, alertable_sleeper, e, 0, NULL);
  Sleep(10);
  SIM_EXPECT(QueueUserAPC(apc_fn, t, 5));
  Sleep(10);
  SIM_EXPECT(QueueUserAPC(apc_fn, t, 7));
  SIM_EXPECT(WaitForSingleObject(t, INFINITE) == WAIT_OBJECT_0);
  EXPECT_ERR(QueueUserAPC(apc_fn, NULL, 1), ERROR_INVALID_HANDLE);
  CloseHandle(t);
  CloseHandle(e);
}

/* An alertable wait runs queued APCs and returns WAIT_IO_COMPLETION. */
static void alertable_wait_runs_apc_and_returns_wait_io_completion(void **state) {
  (void)state;
  run_seeds(apc_main, NULL, SEEDS);
}

static void soaw_main(void *arg) {
  (void)arg;
  HANDLE s = CreateSemaphoreA(NULL, 0, 1, NULL);
  HANDLE e = CreateEventA(NULL, FALSE, TRUE, NULL);
  SIM_EXPECT(SignalObjectAndWait(s, e, 0, FALSE) == WAIT_OBJECT_0);
  SIM_EXPECT(WaitForSingleObject(s, 0) == WAIT_OBJECT_0); /* it was released */
  SIM_EXPECT(SignalObjectAndWait(e, e, 0, FALSE) == WAIT_OBJECT_0);
  ReleaseSemaphore(s, 1, NULL);
  SIM_EXPECT(SignalObjectAndWait(s, e, 0, FALSE) == WAIT_FAILED &&
             GetLastError() == ERROR_TOO_MANY_POSTS);
  CloseHandle(s);
  CloseHandle(e);
}

/* SignalObjectAndWait signals one object and waits on another as one step. */
static void signal_object_and_wait_signals_then_waits(void **state) {
  (void)state;
  run_seeds(soaw_main, NULL, 2);
}

/* ---- TLS ------------------------------------------------------------------------------- */

static DWORD tls_index;
static DWORD WINAPI tls_thread(LPVOID p) {
  SIM_EXPECT(TlsGetValue(tls_index) == NULL); /* a new thread starts with NULL */
  SIM_EXPECT(TlsSetValue(tls_index, p));
  Sleep(1);
  SIM_EXPECT(TlsGetValue(tls_index) == p);
  return 0;
}

static void tls_main(void *arg) {
  (void)arg;
  tls_index = TlsAlloc();
  SIM_EXPECT(tls_index != TLS_OUT_OF_INDEXES);
  SetLastError(77);
  SIM_EXPECT(TlsGetValue(tls_index) == NULL &&
             GetLastError() == 0); /* success clears the last error */
  SIM_EXPECT(TlsSetValue(tls_index, (LPVOID)1));
  HANDLE a = CreateThread(NULL, 0, tls_thread, (LPVOID)2, 0, NULL);
  HANDLE b = CreateThread(NULL, 0, tls_thread, (LPVOID)3, 0, NULL);
  HANDLE both[2] = {a, b};
  WaitForMultipleObjects(2, both, TRUE, INFINITE);
  SIM_EXPECT(TlsGetValue(tls_index) == (LPVOID)1);
  SIM_EXPECT(TlsFree(tls_index));
  EXPECT_ERR(TlsFree(tls_index), ERROR_INVALID_PARAMETER);
  DWORD again = TlsAlloc();
  SIM_EXPECT(again == tls_index && TlsGetValue(again) == NULL); /* reallocated slots start NULL */
  EXPECT_ERR(TlsSetValue(100000, NULL), ERROR_INVALID_PARAMETER);
  TlsFree(again);
  CloseHandle(a);
  CloseHandle(b);
}

/* TLS slots hold one value per thread and start out NULL; TlsGetValue clears the last error. */
static void tls_slots_are_per_thread_and_start_null(void **state) {
  (void)state;
  run_seeds(tls_main, NULL, SEEDS);
}

/* ---- SRW locks, critical sections, condition variables --------------------------------- */

typedef struct lock_ctx {
  SRWLOCK srw;
  CRITICAL_SECTION cs;
  CONDITION_VARIABLE cv;
  int inside_excl, inside_shared, max_shared;
  int items;
  int consumed;
} lock_ctx_t;

static DWORD WINAPI srw_worker(LPVOID p) {
  lock_ctx_t *c = p;
  for (int i = 0; i < 5; i++) {
    AcquireSRWLockExclusive(&c->srw);
    SIM_EXPECT(c->inside_excl == 0 && c->inside_shared == 0);
    c->inside_excl++;
    SwitchToThread();
    c->inside_excl--;
    ReleaseSRWLockExclusive(&c->srw);
    AcquireSRWLockShared(&c->srw);
    SIM_EXPECT(c->inside_excl == 0);
    c->inside_shared++;
    if (c->inside_shared > c->max_shared) c->max_shared = c->inside_shared;
    SwitchToThread();
    c->inside_shared--;
    ReleaseSRWLockShared(&c->srw);
  }
  return 0;
}

static void srw_main(void *arg) {
  lock_ctx_t *c = arg;
  memset(c, 0, sizeof *c);
  InitializeSRWLock(&c->srw);
  HANDLE th[3];
  for (int i = 0; i < 3; i++) th[i] = CreateThread(NULL, 0, srw_worker, c, 0, NULL);
  WaitForMultipleObjects(3, th, TRUE, INFINITE);
  SIM_EXPECT(TryAcquireSRWLockExclusive(&c->srw));
  SIM_EXPECT(!TryAcquireSRWLockShared(&c->srw));
  SIM_EXPECT(!TryAcquireSRWLockExclusive(&c->srw)); /* not recursive */
  ReleaseSRWLockExclusive(&c->srw);
  SIM_EXPECT(TryAcquireSRWLockShared(&c->srw) && TryAcquireSRWLockShared(&c->srw));
  SIM_EXPECT(!TryAcquireSRWLockExclusive(&c->srw));
  ReleaseSRWLockShared(&c->srw);
  ReleaseSRWLockShared(&c->srw);
  for (int i = 0; i < 3; i++) CloseHandle(th[i]);
}

/* An exclusive SRW owner excludes everyone; shared owners exclude only exclusive ones. */
static void srw_lock_exclusive_excludes_shared_shares(void **state) {
  (void)state;
  int max_shared_seen = 0;
  for (uint64_t seed = 0; seed < 50; seed++) {
    lock_ctx_t c;
    sim_config_t cfg = {.seed = seed};
    sim_result_t r;
    sim_status_t st = sim_run(&cfg, srw_main, &c, &r);
    if (st != SIM_STATUS_PASS) print_message("%s\n", r.report);
    assert_int_equal(st, SIM_STATUS_PASS);
    if (c.max_shared > max_shared_seen) max_shared_seen = c.max_shared;
    sim_result_free(&r);
  }
  assert_true(max_shared_seen > 1); /* readers did overlap in some schedule */
}

/* Who a release wakes: threads queue on an exclusively held lock in the
 * order of `roles` (E exclusive, S shared); the release must wake the
 * oldest waiter alone if it is exclusive, else every shared waiter. */
typedef struct srw_wake_ctx {
  SRWLOCK l;
  const char *roles;
  sim_fiber_t *fib[8];
  int acquired;
} srw_wake_ctx_t;

typedef struct srw_waiter_arg {
  srw_wake_ctx_t *c;
  int i;
} srw_waiter_arg_t;

static DWORD WINAPI srw_waiter(LPVOID p) {
  srw_waiter_arg_t *a = p;
  srw_wake_ctx_t *c = a->c;
  c->fib[a->i] = sim_current();
  if (c->roles[a->i] == 'E') {
    AcquireSRWLockExclusive(&c->l);
    c->acquired++;
    ReleaseSRWLockExclusive(&c->l);
  } else {
    AcquireSRWLockShared(&c->l);
    c->acquired++;
    ReleaseSRWLockShared(&c->l);
  }
  return 0;
}

static void srw_wake_main(void *arg) {
  srw_wake_ctx_t *c = arg;
  int n = (int)strlen(c->roles);
  srw_waiter_arg_t args[8];
  HANDLE th[8];
  InitializeSRWLock(&c->l);
  AcquireSRWLockExclusive(&c->l);
  for (int i = 0; i < n; i++) {
    args[i] = (srw_waiter_arg_t){c, i};
    th[i] = CreateThread(NULL, 0, srw_waiter, &args[i], 0, NULL);
    /* one at a time, so the queue order is the roles' order */
    while (c->fib[i] == NULL || sim_fiber_state(c->fib[i]) != SIM_FIBER_BLOCKED) Sleep(1);
  }
  ReleaseSRWLockExclusive(&c->l);
  /* nothing has run since the release took effect */
  for (int i = 0; i < n; i++) {
    bool woken = c->roles[0] == 'E' ? i == 0 : c->roles[i] == 'S';
    SIM_EXPECT((sim_fiber_state(c->fib[i]) == SIM_FIBER_RUNNABLE) == woken);
  }
  WaitForMultipleObjects((DWORD)n, th, TRUE, INFINITE);
  SIM_EXPECT(c->acquired == n);
  for (int i = 0; i < n; i++) CloseHandle(th[i]);
}

/* An SRW lock that becomes free wakes as Windows' does: the oldest waiter
 * if it waits exclusively, otherwise all the shared waiters (an exclusive
 * one among them keeps waiting) - never every waiter. */
static void srw_release_wakes_one_exclusive_or_the_shared(void **state) {
  (void)state;
  static const char *const cases[] = {"EEE", "ESSE", "SESE", "SSE", "E"};
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    for (uint64_t seed = 0; seed < 20; seed++) {
      srw_wake_ctx_t c;
      memset(&c, 0, sizeof c);
      c.roles = cases[k];
      sim_config_t cfg = {.seed = seed};
      sim_result_t r;
      sim_status_t st = sim_run(&cfg, srw_wake_main, &c, &r);
      if (st != SIM_STATUS_PASS)
        print_message("roles %s seed %u: %s\n", cases[k], (unsigned)seed, r.report);
      assert_int_equal(st, SIM_STATUS_PASS);
      sim_result_free(&r);
    }
  }
}

static void srw_misuse_main(void *arg) {
  (void)arg;
  SRWLOCK l = SRWLOCK_INIT;
  ReleaseSRWLockExclusive(&l);
}

/* Releasing an SRW lock that is not held is reported as a crash (Windows raises an exception). */
static void srw_release_unheld_is_a_crash(void **state) {
  (void)state;
  sim_result_t r;
  assert_int_equal(sim_run(NULL, srw_misuse_main, NULL, &r), SIM_STATUS_CRASH);
  assert_non_null(strstr(r.message, "not held"));
  sim_result_free(&r);
}

static DWORD WINAPI cs_worker(LPVOID p) {
  lock_ctx_t *c = p;
  for (int i = 0; i < 5; i++) {
    EnterCriticalSection(&c->cs);
    EnterCriticalSection(&c->cs); /* recursive */
    SIM_EXPECT(c->inside_excl == 0);
    c->inside_excl++;
    SwitchToThread();
    c->inside_excl--;
    LeaveCriticalSection(&c->cs);
    LeaveCriticalSection(&c->cs);
  }
  return 0;
}

static DWORD WINAPI cs_try_other(LPVOID p) {
  lock_ctx_t *c = p;
  return TryEnterCriticalSection(&c->cs) ? 1 : 0;
}

static void cs_main(void *arg) {
  lock_ctx_t *c = arg;
  memset(c, 0, sizeof *c);
  InitializeCriticalSection(&c->cs);
  HANDLE th[3];
  for (int i = 0; i < 3; i++) th[i] = CreateThread(NULL, 0, cs_worker, c, 0, NULL);
  WaitForMultipleObjects(3, th, TRUE, INFINITE);
  EnterCriticalSection(&c->cs);
  SIM_EXPECT((DWORD)(uintptr_t)c->cs.OwningThread == GetCurrentThreadId());
  HANDLE o = CreateThread(NULL, 0, cs_try_other, c, 0, NULL);
  DWORD code = 9;
  WaitForSingleObject(o, INFINITE);
  SIM_EXPECT(GetExitCodeThread(o, &code) && code == 0); /* TryEnter fails for another thread */
  LeaveCriticalSection(&c->cs);
  DeleteCriticalSection(&c->cs);
  for (int i = 0; i < 3; i++) CloseHandle(th[i]);
  CloseHandle(o);
}

/* A critical section is recursive for its owner and excludes other threads. */
static void critical_section_recursive_and_exclusive(void **state) {
  (void)state;
  lock_ctx_t c;
  run_seeds(cs_main, &c, SEEDS);
}

static DWORD WINAPI consumer(LPVOID p) {
  lock_ctx_t *c = p;
  for (int i = 0; i < 3; i++) {
    AcquireSRWLockExclusive(&c->srw);
    while (c->items == 0) SleepConditionVariableSRW(&c->cv, &c->srw, INFINITE, 0);
    c->items--;
    c->consumed++;
    ReleaseSRWLockExclusive(&c->srw);
  }
  return 0;
}

static void cv_main(void *arg) {
  lock_ctx_t *c = arg;
  memset(c, 0, sizeof *c);
  InitializeConditionVariable(&c->cv);
  /* a sleep nobody wakes times out: FALSE with ERROR_TIMEOUT, the lock held again */
  AcquireSRWLockExclusive(&c->srw);
  ULONGLONG t0 = GetTickCount64();
  SetLastError(0);
  SIM_EXPECT(!SleepConditionVariableSRW(&c->cv, &c->srw, 40, 0));
  SIM_EXPECT(GetLastError() == ERROR_TIMEOUT && GetTickCount64() - t0 == 40);
  SIM_EXPECT(!TryAcquireSRWLockShared(&c->srw));
  ReleaseSRWLockExclusive(&c->srw);
  InitializeCriticalSection(&c->cs);
  EnterCriticalSection(&c->cs);
  SIM_EXPECT(!SleepConditionVariableCS(&c->cv, &c->cs, 5) && GetLastError() == ERROR_TIMEOUT);
  SIM_EXPECT((DWORD)(uintptr_t)c->cs.OwningThread == GetCurrentThreadId());
  LeaveCriticalSection(&c->cs);
  /* producer / consumers */
  HANDLE th[2];
  for (int i = 0; i < 2; i++) th[i] = CreateThread(NULL, 0, consumer, c, 0, NULL);
  for (int i = 0; i < 6; i++) {
    AcquireSRWLockExclusive(&c->srw);
    c->items++;
    ReleaseSRWLockExclusive(&c->srw);
    if (i % 2)
      WakeAllConditionVariable(&c->cv);
    else
      WakeConditionVariable(&c->cv);
  }
  SIM_EXPECT(WaitForMultipleObjects(2, th, TRUE, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(c->consumed == 6 && c->items == 0);
  for (int i = 0; i < 2; i++) CloseHandle(th[i]);
}

/* SleepConditionVariable* returns FALSE with ERROR_TIMEOUT on timeout, and a wake releases sleepers
 * with the lock held. */
static void condition_variable_timeout_is_error_timeout_and_wake_works(void **state) {
  (void)state;
  lock_ctx_t c;
  run_seeds(cv_main, &c, SEEDS);
}

/* ---- WaitOnAddress, InitOnce ------------------------------------------------------------- */

static volatile LONG woa_value;
static DWORD WINAPI woa_setter(LPVOID p) {
  (void)p;
  Sleep(3);
  InterlockedExchange(&woa_value, 1);
  WakeByAddressSingle((PVOID)&woa_value);
  return 0;
}

static void woa_main(void *arg) {
  (void)arg;
  woa_value = 0;
  LONG cmp = 5;
  SIM_EXPECT(WaitOnAddress(&woa_value, &cmp, sizeof cmp, INFINITE)); /* differs already */
  cmp = 0;
  SetLastError(0);
  SIM_EXPECT(!WaitOnAddress(&woa_value, &cmp, sizeof cmp, 2) && GetLastError() == ERROR_TIMEOUT);
  EXPECT_ERR(WaitOnAddress(&woa_value, &cmp, 3, 0), ERROR_INVALID_PARAMETER);
  HANDLE t = CreateThread(NULL, 0, woa_setter, NULL, 0, NULL);
  while (woa_value == cmp) WaitOnAddress(&woa_value, &cmp, sizeof cmp, INFINITE);
  SIM_EXPECT(woa_value == 1);
  WaitForSingleObject(t, INFINITE);
  CloseHandle(t);
}

/* WaitOnAddress returns at once when the value differs, times out with ERROR_TIMEOUT, and wakes by
 * address. */
static void wait_on_address_compares_times_out_and_wakes(void **state) {
  (void)state;
  run_seeds(woa_main, NULL, SEEDS);
}

static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static volatile LONG once_calls;
static BOOL WINAPI once_fn(PINIT_ONCE io, PVOID param, PVOID *ctx) {
  (void)io;
  InterlockedIncrement(&once_calls);
  Sleep(2); /* others arrive while it runs */
  *ctx = param;
  return TRUE;
}

static DWORD WINAPI once_user(LPVOID p) {
  LPVOID ctx = NULL;
  SIM_EXPECT(InitOnceExecuteOnce(&once, once_fn, p, &ctx));
  SIM_EXPECT(ctx == (LPVOID)(uintptr_t)0x40);
  return 0;
}

static void once_main(void *arg) {
  (void)arg;
  InitOnceInitialize(&once);
  once_calls = 0;
  HANDLE th[3];
  for (int i = 0; i < 3; i++)
    th[i] = CreateThread(NULL, 0, once_user, (LPVOID)(uintptr_t)0x40, 0, NULL);
  WaitForMultipleObjects(3, th, TRUE, INFINITE);
  SIM_EXPECT(once_calls == 1);
  BOOL pending = TRUE;
  LPVOID ctx = NULL;
  SIM_EXPECT(InitOnceBeginInitialize(&once, INIT_ONCE_CHECK_ONLY, &pending, &ctx) && !pending);
  SIM_EXPECT(ctx == (LPVOID)(uintptr_t)0x40);
  INIT_ONCE two = INIT_ONCE_STATIC_INIT;
  SIM_EXPECT(!InitOnceBeginInitialize(&two, INIT_ONCE_CHECK_ONLY, &pending, &ctx));
  SIM_EXPECT(InitOnceBeginInitialize(&two, 0, &pending, &ctx) && pending);
  SIM_EXPECT(InitOnceComplete(&two, 0, (LPVOID)(uintptr_t)0x80));
  SIM_EXPECT(InitOnceBeginInitialize(&two, 0, &pending, &ctx) && !pending &&
             ctx == (LPVOID)(uintptr_t)0x80);
  for (int i = 0; i < 3; i++) CloseHandle(th[i]);
}

/* InitOnceExecuteOnce runs the function exactly once and hands every caller its context. */
static void init_once_runs_function_exactly_once(void **state) {
  (void)state;
  run_seeds(once_main, NULL, SEEDS);
}

/* ---- Interlocked and time ------------------------------------------------------------------ */

static void interlocked_main(void *arg) {
  (void)arg;
  volatile LONG v = 5;
  SIM_EXPECT(InterlockedIncrement(&v) == 6 && v == 6);
  SIM_EXPECT(InterlockedDecrement(&v) == 5);
  SIM_EXPECT(InterlockedExchange(&v, 9) == 5 && v == 9);
  SIM_EXPECT(InterlockedExchangeAdd(&v, 3) == 9 && v == 12);
  SIM_EXPECT(InterlockedAdd(&v, 3) == 15);
  SIM_EXPECT(InterlockedCompareExchange(&v, 1, 14) == 15 && v == 15); /* no match, no store */
  SIM_EXPECT(InterlockedCompareExchange(&v, 1, 15) == 15 && v == 1);
  SIM_EXPECT(InterlockedOr(&v, 6) == 1 && v == 7);
  SIM_EXPECT(InterlockedAnd(&v, 3) == 7 && v == 3);
  SIM_EXPECT(InterlockedXor(&v, 1) == 3 && v == 2);
  volatile LONG m = 0x7fffffff;
  SIM_EXPECT(InterlockedIncrement(&m) == (LONG)0x80000000); /* wraps */
  volatile LONG64 w = 1;
  SIM_EXPECT(InterlockedIncrement64(&w) == 2 && InterlockedDecrement64(&w) == 1);
  SIM_EXPECT(InterlockedExchangeAdd64(&w, 1ll << 40) == 1 && w == (1ll << 40) + 1);
  SIM_EXPECT(InterlockedCompareExchange64(&w, 3, (1ll << 40) + 1) == (1ll << 40) + 1 && w == 3);
  SIM_EXPECT(InterlockedAdd64(&w, 2) == 5 && InterlockedExchange64(&w, 8) == 5);
  SIM_EXPECT(InterlockedAnd64(&w, 12) == 8 && InterlockedOr64(&w, 1) == 8 &&
             InterlockedXor64(&w, 9) == 9 && w == 0);
  int x = 0, y = 0;
  PVOID volatile pp = &x;
  SIM_EXPECT(InterlockedCompareExchangePointer(&pp, &y, &x) == &x && pp == &y);
  SIM_EXPECT(InterlockedExchangePointer(&pp, NULL) == &y && pp == NULL);
  MemoryBarrier();
}

/* Every Interlocked function returns the value its documentation names (the new one or the
 * original). */
static void interlocked_functions_return_documented_values(void **state) {
  (void)state;
  run_seeds(interlocked_main, NULL, 2);
}

static void time_main(void *arg) {
  (void)arg;
  LARGE_INTEGER f, c0, c1;
  SIM_EXPECT(QueryPerformanceFrequency(&f) && f.QuadPart == 10000000);
  SIM_EXPECT(GetTickCount64() == 0 && GetTickCount() == 0);
  FILETIME ft;
  GetSystemTimeAsFileTime(&ft);
  SIM_EXPECT((((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime) == 133485408000000000ull);
  QueryPerformanceCounter(&c0);
  Sleep(1500);
  QueryPerformanceCounter(&c1);
  SIM_EXPECT(c1.QuadPart - c0.QuadPart == 15000000);
  SIM_EXPECT(GetTickCount64() == 1500 && GetTickCount() == 1500);
  Sleep(0);
  SwitchToThread();
  SIM_EXPECT(GetTickCount64() == 1500); /* scheduling points without time passing */
  GetSystemTimePreciseAsFileTime(&ft);
  SIM_EXPECT((((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime) ==
             133485408000000000ull + 15000000ull);
}

/* Time functions read the virtual clock: it starts at 0 and moves only by waits (FILETIME epoch
 * 2024-01-01). */
static void time_functions_read_the_virtual_clock(void **state) {
  (void)state;
  run_seeds(time_main, NULL, 3);
}

/* ---- worlds ------------------------------------------------------------------------------- */

static void leak_handles_main(void *arg) {
  (void)arg;
  HANDLE e = CreateEventA(NULL, TRUE, FALSE, NULL);
  SIM_EXPECT((uintptr_t)e == 0x100);
  SIM_EXPECT(fw_world_open_handles() == 1);
  SIM_EXPECT(TlsAlloc() == 0);
  /* neither the handle nor the TLS index is released: the next world must not see them */
}

static void no_leak_main(void *arg) {
  (void)arg;
  SIM_EXPECT(fw_world_open_handles() == 0);
}

/* Each world starts fresh: handle values, TLS indexes and thread ids restart, leftovers are freed.
 */
static void each_world_starts_with_a_fresh_handle_table(void **state) {
  (void)state;
  for (int i = 0; i < 3; i++) {
    sim_result_t r;
    assert_int_equal(sim_run(NULL, leak_handles_main, NULL, &r), SIM_STATUS_PASS);
    assert_int_equal(fw_world_leaked_handles(), 1);
    sim_result_free(&r);
  }
  sim_result_t r;
  assert_int_equal(sim_run(NULL, no_leak_main, NULL, &r), SIM_STATUS_PASS);
  assert_int_equal(fw_world_leaked_handles(), 0);
  sim_result_free(&r);
}

typedef struct dl_ctx {
  HANDLE a, b;
} dl_ctx_t;

static DWORD WINAPI dl_thread(LPVOID p) {
  dl_ctx_t *c = p;
  WaitForSingleObject(c->b, INFINITE);
  SetEvent(c->a);
  return 0;
}

static void dl_main(void *arg) {
  dl_ctx_t *c = arg;
  c->a = CreateEventA(NULL, FALSE, FALSE, NULL);
  c->b = CreateSemaphoreA(NULL, 0, 1, NULL);
  HANDLE t = CreateThread(NULL, 0, dl_thread, c, 0, NULL);
  WaitForSingleObject(c->a, INFINITE); /* nobody releases b: both wait forever */
  CloseHandle(t);
}

/* A program whose threads wait on each other is reported as a deadlock naming each thread's wait.
 */
static void deadlock_report_names_each_threads_wait(void **state) {
  (void)state;
  dl_ctx_t c;
  sim_result_t r;
  assert_int_equal(sim_run(NULL, dl_main, &c, &r), SIM_STATUS_DEADLOCK);
  assert_non_null(strstr(r.report, "#1 main"));
  assert_non_null(strstr(r.report, "blocked in WaitForSingleObject [event #"));
  assert_non_null(strstr(r.report, "auto-reset, not set"));
  assert_non_null(strstr(r.report, "#2 thread-0x1008"));
  assert_non_null(strstr(r.report, "semaphore #"));
  assert_non_null(strstr(r.report, "count 0 of 1"));
  sim_result_free(&r);
}

static void spin_on_clock_main(void *arg) {
  (void)arg;
  ULONGLONG t0 = GetTickCount64();
  while (GetTickCount64() - t0 < 100) {
  }
}

/* Spinning on the clock without waiting is a livelock (time only moves when threads wait). */
static void spinning_on_the_clock_is_a_livelock(void **state) {
  (void)state;
  sim_config_t cfg = {.max_steps = 100000};
  sim_result_t r;
  assert_int_equal(sim_run(&cfg, spin_on_clock_main, NULL, &r), SIM_STATUS_LIVELOCK);
  sim_result_free(&r);
  /* with a per-step cost, the same loop ends */
  cfg.step_cost_ns = 1000;
  assert_int_equal(sim_run(&cfg, spin_on_clock_main, NULL, &r), SIM_STATUS_PASS);
  sim_result_free(&r);
}

static DWORD WINAPI exit_process_thread(LPVOID p) {
  (void)p;
  ExitProcess(3);
}

static void exit_process_main(void *arg) {
  (void)arg;
  HANDLE t = CreateThread(NULL, 0, exit_process_thread, NULL, 0, NULL);
  WaitForSingleObject(t, INFINITE);
  SIM_EXPECT(!"not reached: ExitProcess ends every thread");
}

/* ExitProcess from any thread ends the world and records the exit code. */
static void exit_process_ends_the_world_with_its_code(void **state) {
  (void)state;
  sim_result_t r;
  assert_int_equal(sim_run(NULL, exit_process_main, NULL, &r), SIM_STATUS_PASS);
  uint32_t code = 0;
  assert_true(fw_world_exit_code(&code));
  assert_int_equal(code, 3);
  sim_result_free(&r);
}

/* A Win32 call outside any world aborts with a clear message instead of silently working. */
static void win32_call_outside_a_world_aborts(void **state) {
  (void)state;
  int pfd[2];
  assert_int_equal(pipe(pfd), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    dup2(pfd[1], 2);
    close(pfd[0]);
    CreateEventA(NULL, FALSE, FALSE, NULL);
    _exit(0);
  }
  close(pfd[1]);
  char out[1024];
  size_t n = 0;
  ssize_t k;
  while ((k = read(pfd[0], out + n, sizeof out - 1 - n)) > 0) n += (size_t)k;
  out[n] = '\0';
  close(pfd[0]);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
  assert_non_null(strstr(out, "CreateEventA called outside any simulated world"));
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(close_handle_twice_fails_invalid_handle),
      cmocka_unit_test(misused_handles_fail_invalid_handle),
      cmocka_unit_test(duplicate_handle_refers_to_same_object),
      cmocka_unit_test(auto_reset_event_releases_one_waiter_and_resets),
      cmocka_unit_test(manual_reset_event_releases_all_and_stays_set),
      cmocka_unit_test(pulse_event_releases_current_waiters_then_resets),
      cmocka_unit_test(named_event_exists_reports_already_exists),
      cmocka_unit_test(semaphore_wait_decrements_and_release_returns_previous_count),
      cmocka_unit_test(semaphore_release_beyond_max_fails_too_many_posts),
      cmocka_unit_test(semaphore_bad_counts_fail_invalid_parameter),
      cmocka_unit_test(wait_times_out_with_wait_timeout_after_virtual_time),
      cmocka_unit_test(wait_any_returns_lowest_signalled_index),
      cmocka_unit_test(wait_all_waits_for_every_object_and_takes_all),
      cmocka_unit_test(wait_multiple_count_limits_fail_invalid_parameter),
      cmocka_unit_test(thread_handle_signalled_on_exit_with_exit_code),
      cmocka_unit_test(create_suspended_runs_after_resume_and_exit_thread_sets_code),
      cmocka_unit_test(last_error_is_per_thread),
      cmocka_unit_test(mutex_recursive_not_owner_and_abandoned),
      cmocka_unit_test(alertable_wait_runs_apc_and_returns_wait_io_completion),
      cmocka_unit_test(signal_object_and_wait_signals_then_waits),
      cmocka_unit_test(tls_slots_are_per_thread_and_start_null),
      cmocka_unit_test(srw_lock_exclusive_excludes_shared_shares),
      cmocka_unit_test(srw_release_wakes_one_exclusive_or_the_shared),
      cmocka_unit_test(srw_release_unheld_is_a_crash),
      cmocka_unit_test(critical_section_recursive_and_exclusive),
      cmocka_unit_test(condition_variable_timeout_is_error_timeout_and_wake_works),
      cmocka_unit_test(wait_on_address_compares_times_out_and_wakes),
      cmocka_unit_test(init_once_runs_function_exactly_once),
      cmocka_unit_test(interlocked_functions_return_documented_values),
      cmocka_unit_test(time_functions_read_the_virtual_clock),
      cmocka_unit_test(each_world_starts_with_a_fresh_handle_table),
      cmocka_unit_test(deadlock_report_names_each_threads_wait),
      cmocka_unit_test(spinning_on_the_clock_is_a_livelock),
      cmocka_unit_test(exit_process_ends_the_world_with_its_code),
      cmocka_unit_test(win32_call_outside_a_world_aborts),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
