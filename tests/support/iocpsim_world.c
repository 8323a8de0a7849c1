/* iocpsim_world.c: runs ordinary cmocka cases inside simulated worlds.
 *
 * Linking this file into a test executable of the native tier installs a
 * case runner (iocpsim_test.h) that plays each selected case - group setup,
 * case setup, the case, case teardown, group teardown - as the main thread of
 * a fresh fake-Win32 world, once per seed.  The test code is the same code
 * that runs on the real API under Wine: only the world behind the Win32
 * names changes.
 *
 * Environment:
 *   IOCPSIM_SEEDS=N      worlds per case (default 100; 0 is a usage error, exit 64)
 *   IOCPSIM_SEED_BASE=S  first seed (default 0)
 *   IOCPSIM_SEED=S       exactly one world, seed S
 *   IOCPSIM_TRACE=PATH   JSONL trace of the run (meant with IOCPSIM_SEED)
 *
 * Before each world the line "world seed=S" is printed, and a failing case
 * ends with a "reproduce: IOCPSIM_SEED=S ..." line (ctest shows the output
 * of failing tests).  The first failing world stops the run. */
#include "iocpsim_test.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim.h"

/* The core keeps process-wide state (package init, the poller's port and
 * thread); every world must start it afresh.  Weak references: a test that
 * links only part of the core (the fdMutex alone, or the poller without
 * fd_windows.c) has less to reset, and an unresolved weak symbol is NULL. */
extern void core_process_reset(void) __attribute__((weak));
extern void core_rt_reset(void) __attribute__((weak));

static void reset_core(void *arg) {
  (void)arg;
  if (core_process_reset) {
    core_process_reset();
  } else if (core_rt_reset) {
    core_rt_reset();
  }
}

static sim_hook_t core_reset_hook = {.world_start = reset_core, .world_end = reset_core};

/* The case being played; one at a time in this process. */
static const char *current_group;
static const struct CMUnitTest *current;
static CMFixtureFunction current_group_setup, current_group_teardown;
static int world_failures;

/* The world's main thread runs the case through cmocka itself, fixtures
 * included, so that a failing assertion unwinds only within this fiber's
 * stack: cmocka's longjmp lands on the setjmp it made here, never across
 * to the host stack (which ASan would see as a wild jump, and which would
 * leave the world unfinished). */
static void world_main(void *arg) {
  (void)arg;
  world_failures = _cmocka_run_group_tests(current_group, current, 1, current_group_setup,
                                           current_group_teardown);
}

static int run_case_in_worlds(const char *group, const struct CMUnitTest *test,
                              CMFixtureFunction group_setup, CMFixtureFunction group_teardown) {
  current_group = group;
  current = test;
  current_group_setup = group_setup;
  current_group_teardown = group_teardown;
  uint64_t base, n;
  iocpsim_seed_range(100, &base, &n);
  const char *trace = getenv("IOCPSIM_TRACE");
  for (uint64_t i = 0; i < n; i++) {
    uint64_t seed = base + i;
    printf("world seed=%" PRIu64 "\n", seed);
    fflush(stdout);
    sim_config_t cfg = {0};
    cfg.seed = seed;
    cfg.trace_path = trace;
    sim_result_t res;
    world_failures = -1;
    sim_status_t st = sim_run(&cfg, world_main, NULL, &res);
    if (st != SIM_STATUS_PASS) {
      /* The world ended under the case (deadlock, livelock, crash): cmocka's
       * run inside it never finished, so nothing more can run here. */
      fprintf(stderr, "%s\ncase %s: the world of seed %" PRIu64 " ended: %s: %s\n",
              res.report ? res.report : "", test->name, seed, sim_status_name(st), res.message);
    } else if (world_failures != 0) {
      fprintf(stderr, "case %s failed in the world of seed %" PRIu64 "\n", test->name, seed);
    }
    sim_result_free(&res);
    if (st != SIM_STATUS_PASS || world_failures != 0) {
      fprintf(stderr, "reproduce: IOCPSIM_SEED=%" PRIu64 " <test exe> %s\n", seed, test->name);
      return 1;
    }
  }
  printf("[  PASSED  ] %s in %" PRIu64 " worlds (seeds %" PRIu64 "..%" PRIu64 ")\n", test->name, n,
         base, base + n - 1);
  return 0;
}

__attribute__((constructor)) static void install_world_runner(void) {
  sim_hook_add(&core_reset_hook);
  iocpsim_case_runner = run_case_in_worlds;
}
