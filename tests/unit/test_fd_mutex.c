/* test_fd_mutex.c: Go's internal/poll/fd_mutex_test.go, ported, plus the
 * FD wrappers of fd_mutex.go (B110).  Spec: go-poll.md §2.
 *
 * Runs on real threads (CreateThread) and real semaphores; on the mingw
 * tier that is the Win32 API under Wine.  Nothing here measures time:
 * waits have generous hang guards only. */
#include "iocpsim_test.h"
#include "core_panic.h"

#include <string.h>

#include "core_test.h"

/* The state word's fields (spec §2.1), for assertions. */
#define ST_CLOSED 0x1ULL
#define ST_RLOCK 0x2ULL
#define ST_WLOCK 0x4ULL
#define ST_REF 0x8ULL
#define ST_REF_MASK 0x7FFFF8ULL
#define ST_RWAIT 0x800000ULL
#define ST_RMASK 0x7FFFF800000ULL
#define ST_WWAIT 0x80000000000ULL
#define ST_WMASK 0x7FFFF80000000000ULL

#define HANG_GUARD_MS 10000

static uint64_t state_of(core_fd_mutex_t *mu) {
  return (uint64_t)mu->state;
}

static int setup_mutex(void **state) {
  core_fd_mutex_t *mu = calloc(1, sizeof *mu);
  assert_non_null(mu);
  assert_int_equal(core_fd_mutex_init(mu), 0);
  *state = mu;
  return 0;
}

static int teardown_mutex(void **state) {
  core_fd_mutex_t *mu = *state;
  core_fd_mutex_destroy(mu);
  free(mu);
  return 0;
}

/* Polls cond (a state-word predicate) until true; fails after the guard. */
static void wait_until_state(core_fd_mutex_t *mu, uint64_t mask, uint64_t want) {
  for (int i = 0; i < HANG_GUARD_MS; i++) {
    if ((state_of(mu) & mask) == want) return;
    Sleep(1);
  }
  fail_msg("state 0x%llx never reached 0x%llx under mask 0x%llx", (unsigned long long)state_of(mu),
           (unsigned long long)want, (unsigned long long)mask);
}

/* ---- TestMutexLock, TestMutexClose --------------------------------------- */
/* The fdMutex cases are tagged B110 (the FD wrappers stand on them); their
 * spec is go-poll.md §2.2/§2.3. */

/* @covers B110 */
static void mutex_lock(void **state) {
  core_fd_mutex_t *mu = *state;
  assert_true(core_fd_mutex_incref(mu));
  assert_false(core_fd_mutex_decref(mu));
  assert_true(core_fd_mutex_rwlock(mu, true));
  assert_false(core_fd_mutex_rwunlock(mu, true));
  assert_true(core_fd_mutex_rwlock(mu, false));
  assert_false(core_fd_mutex_rwunlock(mu, false));
  assert_int_equal(state_of(mu), 0);
}

/* @covers B110 */
static void mutex_close(void **state) {
  core_fd_mutex_t *mu = *state;
  assert_true(core_fd_mutex_incref_and_close(mu));
  assert_false(core_fd_mutex_incref(mu));
  assert_false(core_fd_mutex_rwlock(mu, true));
  assert_false(core_fd_mutex_rwlock(mu, false));
  assert_false(core_fd_mutex_incref_and_close(mu));
  /* Close's own reference, and nothing else. */
  assert_int_equal(state_of(mu), ST_CLOSED | ST_REF);
  assert_true(core_fd_mutex_decref(mu));
}

/* ---- TestMutexCloseUnblock ----------------------------------------------- */

typedef struct blocked_locker {
  core_fd_mutex_t *mu;
  bool read;
  volatile LONG *returned;
  volatile LONG result; /* -1 until the lock call returns */
} blocked_locker_t;

static DWORD WINAPI locker_thread(LPVOID p) {
  blocked_locker_t *a = p;
  bool ok = core_fd_mutex_rwlock(a->mu, a->read);
  InterlockedExchange(&a->result, ok ? 1 : 0);
  InterlockedIncrement(a->returned);
  return 0;
}

static HANDLE start_thread(LPTHREAD_START_ROUTINE fn, void *arg) {
  HANDLE h = CreateThread(NULL, 0, fn, arg, 0, NULL);
  assert_non_null(h);
  return h;
}

static void join_threads(HANDLE *h, DWORD n) {
  assert_int_equal(WaitForMultipleObjects(n, h, TRUE, HANG_GUARD_MS), WAIT_OBJECT_0);
  for (DWORD i = 0; i < n; i++) CloseHandle(h[i]);
}

/* Four readers blocked behind a held read lock are all released by Close
 * and all fail; the held lock keeps the last reference. */
/* @covers B110 */
static void mutex_close_unblock(void **state) {
  core_fd_mutex_t *mu = *state;
  enum { N = 4 };
  volatile LONG returned = 0;
  blocked_locker_t args[N];
  HANDLE threads[N];
  assert_true(core_fd_mutex_rwlock(mu, true));
  for (int i = 0; i < N; i++) {
    args[i] = (blocked_locker_t){mu, true, &returned, -1};
    threads[i] = start_thread(locker_thread, &args[i]);
  }
  /* Instead of Go's 1 ms sleep: wait until all four are counted as
   * waiters, then check that none got the lock. */
  wait_until_state(mu, ST_RMASK, N * ST_RWAIT);
  assert_int_equal(returned, 0);
  assert_true(core_fd_mutex_incref_and_close(mu));
  join_threads(threads, N);
  for (int i = 0; i < N; i++) assert_int_equal(args[i].result, 0);
  assert_int_equal(state_of(mu) & (ST_RMASK | ST_WMASK), 0);
  assert_false(core_fd_mutex_decref(mu));        /* the read lock still holds one */
  assert_true(core_fd_mutex_rwunlock(mu, true)); /* last reference of a closed mutex */
  assert_int_equal(state_of(mu), ST_CLOSED);
}

/* ---- TestMutexPanic ------------------------------------------------------ */

/* Runs ops ('I' incref, 'D' decref, 'R'/'r' read lock/unlock, 'W'/'w'
 * write lock/unlock); all but the last must succeed quietly, the last must
 * panic "inconsistent" and leave the state word untouched. */
static void expect_inconsistent(core_fd_mutex_t *mu, const char *ops) {
  size_t n = strlen(ops);
  for (size_t i = 0; i < n; i++) {
    const char *msg;
    uint64_t before = state_of(mu);
    switch (ops[i]) {
      case 'I':
        CORE_CATCH_PANIC(msg, core_fd_mutex_incref(mu));
        break;
      case 'D':
        CORE_CATCH_PANIC(msg, core_fd_mutex_decref(mu));
        break;
      case 'R':
        CORE_CATCH_PANIC(msg, core_fd_mutex_rwlock(mu, true));
        break;
      case 'r':
        CORE_CATCH_PANIC(msg, core_fd_mutex_rwunlock(mu, true));
        break;
      case 'W':
        CORE_CATCH_PANIC(msg, core_fd_mutex_rwlock(mu, false));
        break;
      case 'w':
        CORE_CATCH_PANIC(msg, core_fd_mutex_rwunlock(mu, false));
        break;
      default:
        fail_msg("bad op %c", ops[i]);
    }
    if (i + 1 < n) {
      if (msg != NULL) fail_msg("%s: op %zu panicked early: %s", ops, i, msg);
      continue;
    }
    if (msg == NULL) fail_msg("%s: last op did not panic", ops);
    assert_non_null(strstr(msg, "inconsistent"));
    assert_string_equal(msg, "inconsistent poll.fdMutex");
    assert_int_equal(state_of(mu), before);
  }
}

/* @covers B110 */
static void mutex_panic(void **state) {
  core_fd_mutex_t *mu = *state;
  expect_inconsistent(mu, "D");
  expect_inconsistent(mu, "r");
  expect_inconsistent(mu, "w");
  expect_inconsistent(mu, "IDD");
  expect_inconsistent(mu, "Rrr");
  expect_inconsistent(mu, "Www");
  /* A lock bit without a reference is just as inconsistent. */
  mu->state = (LONG64)ST_RLOCK;
  expect_inconsistent(mu, "r");
  mu->state = (LONG64)ST_WLOCK;
  expect_inconsistent(mu, "w");
  mu->state = 0;
  /* Still works afterwards. */
  assert_true(core_fd_mutex_incref(mu));
  assert_false(core_fd_mutex_decref(mu));
  assert_true(core_fd_mutex_rwlock(mu, true));
  assert_false(core_fd_mutex_rwunlock(mu, true));
  assert_true(core_fd_mutex_rwlock(mu, false));
  assert_false(core_fd_mutex_rwunlock(mu, false));
  assert_int_equal(state_of(mu), 0);
}

/* ---- TestMutexOverflowPanic ---------------------------------------------- */

static void assert_overflow_msg(const char *msg) {
  assert_non_null(msg);
  assert_non_null(strstr(msg, "too many"));
  assert_null(strstr(msg, "inconsistent"));
  assert_string_equal(msg,
                      "too many concurrent operations on a single file or socket (max 1048575)");
}

/* Calls 1..1048575 succeed; call 1048576 panics, state unchanged. */
/* @covers B110 */
static void mutex_overflow_panic(void **state) {
  core_fd_mutex_t *mu = *state;
  const char *msg;
  for (uint32_t i = 1; i <= 1048575; i++) {
    if (!core_fd_mutex_incref(mu)) fail_msg("incref %u failed", i);
  }
  assert_int_equal(state_of(mu), 0x7FFFF8);
  CORE_CATCH_PANIC(msg, core_fd_mutex_incref(mu));
  assert_overflow_msg(msg);
  assert_int_equal(state_of(mu), 0x7FFFF8);
  /* Every other way to add a reference overflows at the same point. */
  CORE_CATCH_PANIC(msg, core_fd_mutex_incref_and_close(mu));
  assert_overflow_msg(msg);
  CORE_CATCH_PANIC(msg, core_fd_mutex_rwlock(mu, true));
  assert_overflow_msg(msg);
  CORE_CATCH_PANIC(msg, core_fd_mutex_rwlock(mu, false));
  assert_overflow_msg(msg);
  assert_int_equal(state_of(mu), 0x7FFFF8);
  /* One reference fewer and the next one fits again. */
  assert_false(core_fd_mutex_decref(mu));
  assert_true(core_fd_mutex_incref(mu));
  assert_int_equal(state_of(mu), 0x7FFFF8);
}

/* The 20-bit waiter counts overflow the same way (a crafted state: a held
 * lock with 1048575 waiters already counted). */
/* @covers B110 */
static void mutex_waiter_overflow_panic(void **state) {
  core_fd_mutex_t *mu = *state;
  const char *msg;
  uint64_t full_readers = ST_RLOCK | ST_REF | ST_RMASK;
  mu->state = (LONG64)full_readers;
  CORE_CATCH_PANIC(msg, core_fd_mutex_rwlock(mu, true));
  assert_overflow_msg(msg);
  assert_int_equal(state_of(mu), full_readers);
  uint64_t full_writers = ST_WLOCK | ST_REF | ST_WMASK;
  mu->state = (LONG64)full_writers;
  CORE_CATCH_PANIC(msg, core_fd_mutex_rwlock(mu, false));
  assert_overflow_msg(msg);
  assert_int_equal(state_of(mu), full_writers);
  mu->state = 0;
}

/* ---- readers and writers are independent --------------------------------- */

/* A read and a write proceed together; a second reader waits for the
 * first and is handed the lock through the semaphore. */
/* @covers B110 */
static void mutex_read_write_independent(void **state) {
  core_fd_mutex_t *mu = *state;
  assert_true(core_fd_mutex_rwlock(mu, true));
  assert_true(core_fd_mutex_rwlock(mu, false)); /* would hang if they excluded each other */
  assert_int_equal(state_of(mu), ST_RLOCK | ST_WLOCK | 2 * ST_REF);

  volatile LONG returned = 0;
  blocked_locker_t reader = {mu, true, &returned, -1};
  blocked_locker_t writer = {mu, false, &returned, -1};
  HANDLE th[2];
  th[0] = start_thread(locker_thread, &reader);
  th[1] = start_thread(locker_thread, &writer);
  wait_until_state(mu, ST_RMASK | ST_WMASK, ST_RWAIT | ST_WWAIT);
  assert_int_equal(returned, 0);
  /* Releasing the read lock admits the reader only. */
  assert_false(core_fd_mutex_rwunlock(mu, true));
  assert_int_equal(WaitForSingleObject(th[0], HANG_GUARD_MS), WAIT_OBJECT_0);
  assert_int_equal(reader.result, 1);
  assert_int_equal(writer.result, -1);
  assert_false(core_fd_mutex_rwunlock(mu, false));
  assert_int_equal(WaitForSingleObject(th[1], HANG_GUARD_MS), WAIT_OBJECT_0);
  assert_int_equal(writer.result, 1);
  CloseHandle(th[0]);
  CloseHandle(th[1]);
  assert_int_equal(state_of(mu), ST_RLOCK | ST_WLOCK | 2 * ST_REF);
  assert_false(core_fd_mutex_rwunlock(mu, true));
  assert_false(core_fd_mutex_rwunlock(mu, false));
  assert_int_equal(state_of(mu), 0);
}

/* ---- TestMutexStress ----------------------------------------------------- */

/* Go's full size (8 goroutines x 1e6 iterations): about half a second under
 * Wine, with thousands of contended lock attempts per run.  In the fake
 * world (native tier) every Interlocked operation is a scheduling point
 * drawn from the seed and the case runs once per seed (100 by default), so
 * the iteration count is scaled down there: the seeds, not the length of
 * one run, provide the interleavings. */
#ifdef _WIN32
enum { STRESS_P = 8, STRESS_N = 1000000 };
#else
enum { STRESS_P = 8, STRESS_N = 5000 };
#endif

typedef struct stress_shared {
  core_fd_mutex_t *mu;
  HANDLE start;            /* manual-reset event: all threads begin together */
  volatile LONG contended; /* lock attempts that found the lock held */
  /* Touched non-atomically, only under the matching lock: if two readers
   * (or two writers) were ever inside together, a pair would drift apart
   * or an increment would be lost. */
  volatile uint64_t read_state[2];
  volatile uint64_t write_state[2];
} stress_shared_t;

typedef struct stress_arg {
  stress_shared_t *sh;
  uint64_t seed;
  uint32_t counts[3];
  const char *failure; /* NULL if the thread saw nothing wrong */
} stress_arg_t;

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static DWORD WINAPI stress_thread(LPVOID p) {
  stress_arg_t *a = p;
  core_fd_mutex_t *mu = a->sh->mu;
  uint64_t rng = a->seed;
  if (WaitForSingleObject(a->sh->start, HANG_GUARD_MS) != WAIT_OBJECT_0) {
    return a->failure = "start gate", 1;
  }
  for (int i = 0; i < STRESS_N; i++) {
    int op = (int)(splitmix64(&rng) % 3);
    a->counts[op]++;
    switch (op) {
      case 0:
        if (!core_fd_mutex_incref(mu)) return a->failure = "incref failed", 1;
        if (core_fd_mutex_decref(mu)) return a->failure = "decref reported last", 1;
        break;
      case 1:
        if (state_of(mu) & ST_RLOCK) InterlockedIncrement(&a->sh->contended);
        if (!core_fd_mutex_rwlock(mu, true)) return a->failure = "read lock failed", 1;
        if (a->sh->read_state[0] != a->sh->read_state[1]) {
          return a->failure = "two readers inside", 1;
        }
        a->sh->read_state[0]++;
        a->sh->read_state[1]++;
        if (core_fd_mutex_rwunlock(mu, true)) return a->failure = "read unlock reported last", 1;
        break;
      default:
        if (state_of(mu) & ST_WLOCK) InterlockedIncrement(&a->sh->contended);
        if (!core_fd_mutex_rwlock(mu, false)) return a->failure = "write lock failed", 1;
        if (a->sh->write_state[0] != a->sh->write_state[1]) {
          return a->failure = "two writers inside", 1;
        }
        a->sh->write_state[0]++;
        a->sh->write_state[1]++;
        if (core_fd_mutex_rwunlock(mu, false)) return a->failure = "write unlock reported last", 1;
        break;
    }
  }
  return 0;
}

/* @covers B110 */
static void mutex_stress(void **state) {
  stress_shared_t sh = {.mu = *state};
  stress_arg_t args[STRESS_P];
  HANDLE th[STRESS_P];
  sh.start = CreateEventA(NULL, TRUE, FALSE, NULL);
  assert_non_null(sh.start);
  for (int p = 0; p < STRESS_P; p++) {
    args[p] = (stress_arg_t){.sh = &sh, .seed = 0x5eed0000u + (uint64_t)p};
    th[p] = start_thread(stress_thread, &args[p]);
  }
  assert_true(SetEvent(sh.start));
  /* Stress runs take longer than the usual guard under Wine. */
  assert_int_equal(WaitForMultipleObjects(STRESS_P, th, TRUE, 6 * HANG_GUARD_MS), WAIT_OBJECT_0);
  CloseHandle(sh.start);
  /* Informational: how often a locker found the lock taken (how much the
   * run exercised the blocking path).  Not asserted: it depends on the
   * scheduler. */
  print_message("contended lock attempts: %ld\n", (long)sh.contended);
  uint64_t reads = 0;
  uint64_t writes = 0;
  for (int p = 0; p < STRESS_P; p++) {
    CloseHandle(th[p]);
    if (args[p].failure != NULL) fail_msg("thread %d: %s", p, args[p].failure);
    reads += args[p].counts[1];
    writes += args[p].counts[2];
  }
  /* No increment lost: every locked section ran alone. */
  assert_int_equal(sh.read_state[0], reads);
  assert_int_equal(sh.read_state[1], reads);
  assert_int_equal(sh.write_state[0], writes);
  assert_int_equal(sh.write_state[1], writes);
  assert_int_equal(state_of(sh.mu), 0);
  assert_true(core_fd_mutex_incref_and_close(sh.mu));
  assert_true(core_fd_mutex_decref(sh.mu));
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(mutex_lock, setup_mutex, teardown_mutex),
      cmocka_unit_test_setup_teardown(mutex_close, setup_mutex, teardown_mutex),
      cmocka_unit_test_setup_teardown(mutex_close_unblock, setup_mutex, teardown_mutex),
      cmocka_unit_test_setup_teardown(mutex_panic, setup_mutex, teardown_mutex),
      cmocka_unit_test_setup_teardown(mutex_overflow_panic, setup_mutex, teardown_mutex),
      cmocka_unit_test_setup_teardown(mutex_waiter_overflow_panic, setup_mutex, teardown_mutex),
      cmocka_unit_test_setup_teardown(mutex_read_write_independent, setup_mutex, teardown_mutex),
      cmocka_unit_test_setup_teardown(mutex_stress, setup_mutex, teardown_mutex),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
