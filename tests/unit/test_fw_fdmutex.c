/* test_fw_fdmutex.c: Go's fdMutex tests (internal/poll/fd_mutex_test.go:
 * TestMutexLock, TestMutexClose, TestMutexCloseUnblock, TestMutexPanic,
 * TestMutexOverflowPanics, TestMutexStress) run on fake threads, with
 * core/fd_mutex.c and core/errors.c compiled into this executable.
 *
 * Where Go relies on real parallelism, the port relies on the scheduler:
 * every Interlocked call and every wait is a scheduling point, and
 * SwitchToThread opens the window Go's readState/writeState checks watch.
 * Every test runs under 1000 seeds, except the overflow test (a million
 * increfs per world): it draws no decision at all (asserted), so every seed
 * would replay the same world, and it runs under a few seeds only. */
#include "iocpsim_test.h"

#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "core_test.h"
#include "core_panic.h"
#include "sim.h"

static void sim_panic_hook(const char *msg) {
  sim_fail(SIM_STATUS_CRASH, "panic: %s", msg);
}

typedef struct sweep {
  uint64_t seeds;
  uint64_t fail_seed; /* first failing seed, if any */
  uint32_t failures;
  sim_status_t fail_status;
  char fail_msg[512];
  uint64_t decisions;
} sweep_t;

static void sweep(void (*fn)(void *), void *arg, uint64_t seeds, sweep_t *s) {
  memset(s, 0, sizeof *s);
  s->seeds = seeds;
  for (uint64_t seed = 0; seed < seeds; seed++) {
    core_set_panic_hook(sim_panic_hook);
    sim_config_t cfg = {.seed = seed};
    sim_result_t r;
    sim_status_t st = sim_run(&cfg, fn, arg, &r);
    s->decisions += r.n_decisions;
    if (st != SIM_STATUS_PASS) {
      if (s->failures++ == 0) {
        s->fail_seed = seed;
        s->fail_status = st;
        snprintf(s->fail_msg, sizeof s->fail_msg, "%s", r.report ? r.report : r.message);
      }
    }
    sim_result_free(&r);
  }
}

static void expect_all_pass(void (*fn)(void *), void *arg, uint64_t seeds, sweep_t *s) {
  sweep(fn, arg, seeds, s);
  if (s->failures)
    print_message("seed %llu of %llu failed:\n%s\n", (unsigned long long)s->fail_seed,
                  (unsigned long long)seeds, s->fail_msg);
  assert_int_equal(s->failures, 0);
}

/* ---- TestMutexLock, TestMutexClose ---------------------------------------------- */

static void lock_main(void *arg) {
  (void)arg;
  core_fd_mutex_t mu;
  SIM_EXPECT(core_fd_mutex_init(&mu) == 0);
  SIM_EXPECT(core_fd_mutex_incref(&mu));
  SIM_EXPECT(!core_fd_mutex_decref(&mu));
  SIM_EXPECT(core_fd_mutex_rwlock(&mu, true));
  SIM_EXPECT(!core_fd_mutex_rwunlock(&mu, true));
  SIM_EXPECT(core_fd_mutex_rwlock(&mu, false));
  SIM_EXPECT(!core_fd_mutex_rwunlock(&mu, false));
  core_fd_mutex_destroy(&mu);
}

/* go-poll.md §2.3. TestMutexLock: incref/decref and both locks succeed on an open mutex, and none
 * reports the last reference. */
static void fdmutex_lock(void **state) {
  (void)state;
  sweep_t s;
  expect_all_pass(lock_main, NULL, 1000, &s);
  assert_int_equal(s.decisions, 0); /* one thread: nothing to decide */
}

static void close_main(void *arg) {
  (void)arg;
  core_fd_mutex_t mu;
  SIM_EXPECT(core_fd_mutex_init(&mu) == 0);
  SIM_EXPECT(core_fd_mutex_incref_and_close(&mu));
  SIM_EXPECT(!core_fd_mutex_incref(&mu));
  SIM_EXPECT(!core_fd_mutex_rwlock(&mu, true));
  SIM_EXPECT(!core_fd_mutex_rwlock(&mu, false));
  SIM_EXPECT(!core_fd_mutex_incref_and_close(&mu));
  core_fd_mutex_destroy(&mu);
}

/* TestMutexClose: after increfAndClose every incref, lock and second close fails. */
static void fdmutex_close(void **state) {
  (void)state;
  sweep_t s;
  expect_all_pass(close_main, NULL, 1000, &s);
  assert_int_equal(s.decisions, 0);
}

/* ---- TestMutexCloseUnblock --------------------------------------------------------- */

typedef struct unblock_ctx {
  core_fd_mutex_t mu;
  volatile LONG done;
} unblock_ctx_t;

static DWORD WINAPI unblock_reader(LPVOID p) {
  unblock_ctx_t *c = p;
  SIM_EXPECT(!core_fd_mutex_rwlock(&c->mu, true)); /* blocked, then released by the close: fails */
  InterlockedIncrement(&c->done);
  return 0;
}

static void close_unblock_main(void *arg) {
  (void)arg;
  unblock_ctx_t c = {.done = 0};
  SIM_EXPECT(core_fd_mutex_init(&c.mu) == 0);
  SIM_EXPECT(core_fd_mutex_rwlock(&c.mu, true));
  HANDLE th[4];
  for (int i = 0; i < 4; i++) th[i] = CreateThread(NULL, 0, unblock_reader, &c, 0, NULL);
  /* concurrent threads must not be able to read-lock the mutex: after 1 ms
   * of virtual time every reader has run and is blocked */
  Sleep(1);
  SIM_EXPECT(c.done == 0);
  core_fd_mutex_incref_and_close(&c.mu); /* must unblock the readers */
  SIM_EXPECT(WaitForMultipleObjects(4, th, TRUE, 10000) == WAIT_OBJECT_0);
  SIM_EXPECT(c.done == 4);
  SIM_EXPECT(!core_fd_mutex_decref(&c.mu));
  SIM_EXPECT(core_fd_mutex_rwunlock(&c.mu, true)); /* the last reference of a closed mutex */
  for (int i = 0; i < 4; i++) CloseHandle(th[i]);
  core_fd_mutex_destroy(&c.mu);
}

/* TestMutexCloseUnblock: blocked readers are woken by increfAndClose and fail; the last unlock
 * reports it. */
static void fdmutex_close_unblock_1000_seeds(void **state) {
  (void)state;
  sweep_t s;
  expect_all_pass(close_unblock_main, NULL, 1000, &s);
  assert_true(s.decisions > 1000); /* the seeds did steer the schedule */
}

/* ---- TestMutexPanic ------------------------------------------------------------------- */

static int panics_seen;

#define ENSURE_PANICS(stmt)                           \
  do {                                                \
    const char *msg_;                                 \
    CORE_CATCH_PANIC(msg_, stmt);                     \
    SIM_EXPECT(msg_ != NULL);                         \
    SIM_EXPECT(strstr(msg_, "inconsistent") != NULL); \
    panics_seen++;                                    \
  } while (0)

static void panic_main(void *arg) {
  (void)arg;
  core_fd_mutex_t mu;
  SIM_EXPECT(core_fd_mutex_init(&mu) == 0);
  ENSURE_PANICS(core_fd_mutex_decref(&mu));
  ENSURE_PANICS(core_fd_mutex_rwunlock(&mu, true));
  ENSURE_PANICS(core_fd_mutex_rwunlock(&mu, false));
  ENSURE_PANICS({
    core_fd_mutex_incref(&mu);
    core_fd_mutex_decref(&mu);
    core_fd_mutex_decref(&mu);
  });
  ENSURE_PANICS({
    core_fd_mutex_rwlock(&mu, true);
    core_fd_mutex_rwunlock(&mu, true);
    core_fd_mutex_rwunlock(&mu, true);
  });
  ENSURE_PANICS({
    core_fd_mutex_rwlock(&mu, false);
    core_fd_mutex_rwunlock(&mu, false);
    core_fd_mutex_rwunlock(&mu, false);
  });
  /* ensure that it's still not broken, in every mode */
  SIM_EXPECT(core_fd_mutex_incref(&mu));
  SIM_EXPECT(!core_fd_mutex_decref(&mu));
  SIM_EXPECT(core_fd_mutex_rwlock(&mu, true));
  SIM_EXPECT(!core_fd_mutex_rwunlock(&mu, true));
  SIM_EXPECT(core_fd_mutex_rwlock(&mu, false));
  SIM_EXPECT(!core_fd_mutex_rwunlock(&mu, false));
  core_fd_mutex_destroy(&mu);
}

/* TestMutexPanic: unbalanced decref/unlock panic with "inconsistent" and leave the mutex usable. */
static void fdmutex_panic(void **state) {
  (void)state;
  sweep_t s;
  panics_seen = 0;
  expect_all_pass(panic_main, NULL, 1000, &s);
  assert_int_equal(panics_seen, 6 * 1000);
  assert_int_equal(s.decisions, 0);
}

static void decref_main(void *arg) {
  core_fd_mutex_decref(arg);
}

/* An uncaught panic inside the world ends the run as a crash carrying Go's text. */
static void panic_outside_catch_is_reported_as_crash(void **state) {
  (void)state;
  sweep_t s;
  sweep(lock_main, NULL, 1, &s); /* sanity: passes */
  assert_int_equal(s.failures, 0);
  core_set_panic_hook(sim_panic_hook);
  sim_result_t r;
  static core_fd_mutex_t mu; /* zero state: decref panics */
  assert_int_equal(sim_run(NULL, decref_main, &mu, &r), SIM_STATUS_CRASH);
  assert_non_null(strstr(r.message, "panic: inconsistent poll.fdMutex"));
  assert_int_equal(r.exit_code, SIM_EXIT_CRASH);
  sim_result_free(&r);
}

/* ---- TestMutexOverflowPanics ------------------------------------------------------------ */

static char overflow_msg[512];

static void overflow_main(void *arg) {
  (void)arg;
  static core_fd_mutex_t mu1; /* static: the loop is long and the panic leaves it as it was */
  memset(&mu1, 0, sizeof mu1);
  const char *msg = NULL;
  static volatile int ok_calls; /* volatile: read after the panic's longjmp */
  ok_calls = 0;
  CORE_CATCH_PANIC(msg, {
    for (int i = 0; i < (1 << 21); i++) {
      core_fd_mutex_incref(&mu1);
      ok_calls++;
    }
  });
  SIM_EXPECT(msg != NULL);
  SIM_EXPECT(ok_calls == 1048575); /* call 1048576 is the one that panics */
  snprintf(overflow_msg, sizeof overflow_msg, "%s", msg);
}

/* TestMutexOverflowPanics: reference 1048576 panics with "too many", not "inconsistent". */
static void fdmutex_overflow_panics(void **state) {
  (void)state;
  overflow_msg[0] = '\0';
  sim_result_t r;
  sim_config_t cfg = {.seed = 1};
  assert_int_equal(sim_run(&cfg, overflow_main, NULL, &r), SIM_STATUS_PASS);
  assert_int_equal(r.n_decisions, 0);
  sim_result_free(&r);
  assert_non_null(strstr(overflow_msg, "too many"));
  assert_null(strstr(overflow_msg, "inconsistent"));
}

/* ---- TestMutexStress ------------------------------------------------------------------------ */

#define STRESS_P 4
#define STRESS_N 250

typedef struct stress_ctx {
  core_fd_mutex_t mu;
  uint64_t read_state[2];
  uint64_t write_state[2];
  bool broken_read_lock; /* mutant: read "lock" is only a reference */
} stress_ctx_t;

static DWORD WINAPI stress_worker(LPVOID p) {
  stress_ctx_t *c = p;
  for (int i = 0; i < STRESS_N; i++) {
    switch (sim_decide(SIM_DECIDE_VALUE, 3, NULL)) { /* Go: r.Intn(3) */
      case 0:
        SIM_EXPECT(core_fd_mutex_incref(&c->mu));
        SIM_EXPECT(!core_fd_mutex_decref(&c->mu));
        break;
      case 1:
        if (c->broken_read_lock)
          SIM_EXPECT(core_fd_mutex_incref(&c->mu));
        else
          SIM_EXPECT(core_fd_mutex_rwlock(&c->mu, true));
        /* ensure that it provides mutual exclusion for readers */
        SIM_EXPECT(c->read_state[0] == c->read_state[1]);
        c->read_state[0]++;
        SwitchToThread();
        c->read_state[1]++;
        if (c->broken_read_lock)
          SIM_EXPECT(!core_fd_mutex_decref(&c->mu));
        else
          SIM_EXPECT(!core_fd_mutex_rwunlock(&c->mu, true));
        break;
      case 2:
        SIM_EXPECT(core_fd_mutex_rwlock(&c->mu, false));
        SIM_EXPECT(c->write_state[0] == c->write_state[1]);
        c->write_state[0]++;
        SwitchToThread();
        c->write_state[1]++;
        SIM_EXPECT(!core_fd_mutex_rwunlock(&c->mu, false));
        break;
    }
  }
  return 0;
}

static void stress_main(void *arg) {
  stress_ctx_t *c = arg;
  bool broken = c->broken_read_lock;
  memset(c, 0, sizeof *c);
  c->broken_read_lock = broken;
  SIM_EXPECT(core_fd_mutex_init(&c->mu) == 0);
  HANDLE th[STRESS_P];
  for (int i = 0; i < STRESS_P; i++) th[i] = CreateThread(NULL, 0, stress_worker, c, 0, NULL);
  SIM_EXPECT(WaitForMultipleObjects(STRESS_P, th, TRUE, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(core_fd_mutex_incref_and_close(&c->mu));
  SIM_EXPECT(core_fd_mutex_decref(&c->mu));
  for (int i = 0; i < STRESS_P; i++) CloseHandle(th[i]);
  core_fd_mutex_destroy(&c->mu);
}

/* TestMutexStress: 4 threads mixing references, read locks and write locks keep readers and writers
 * exclusive. */
static void fdmutex_stress_1000_seeds(void **state) {
  (void)state;
  stress_ctx_t c = {.broken_read_lock = false};
  sweep_t s;
  expect_all_pass(stress_main, &c, 1000, &s);
}

/* The stress test can fail: with the read lock replaced by a plain reference, some seed catches two
 * readers inside. */
static void fdmutex_stress_detects_a_broken_read_lock(void **state) {
  (void)state;
  stress_ctx_t c = {.broken_read_lock = true};
  sweep_t s;
  sweep(stress_main, &c, 200, &s);
  assert_true(s.failures > 0);
  assert_int_equal(s.fail_status, SIM_STATUS_EXPECT_FAILED);
  assert_non_null(strstr(s.fail_msg, "read_state[0] == c->read_state[1]"));
}

/* The fdMutex stress program is deterministic: each seed run twice gives the same trace hash. */
static void fdmutex_stress_same_seed_same_hash(void **state) {
  (void)state;
  for (uint64_t seed = 0; seed < 100; seed++) {
    uint64_t h[2];
    for (int k = 0; k < 2; k++) {
      stress_ctx_t c = {.broken_read_lock = false};
      core_set_panic_hook(sim_panic_hook);
      sim_config_t cfg = {.seed = seed};
      sim_result_t r;
      assert_int_equal(sim_run(&cfg, stress_main, &c, &r), SIM_STATUS_PASS);
      h[k] = r.trace_hash;
      sim_result_free(&r);
    }
    assert_true(h[0] == h[1]);
  }
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(fdmutex_lock),
      cmocka_unit_test(fdmutex_close),
      cmocka_unit_test(fdmutex_close_unblock_1000_seeds),
      cmocka_unit_test(fdmutex_panic),
      cmocka_unit_test(panic_outside_catch_is_reported_as_crash),
      cmocka_unit_test(fdmutex_overflow_panics),
      cmocka_unit_test(fdmutex_stress_1000_seeds),
      cmocka_unit_test(fdmutex_stress_detects_a_broken_read_lock),
      cmocka_unit_test(fdmutex_stress_same_seed_same_hash),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
