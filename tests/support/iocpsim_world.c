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
 *   IOCPSIM_SEEDS=N      worlds per case (default 100)
 *   IOCPSIM_SEED_BASE=S  first seed (default 0)
 *   IOCPSIM_SEED=S       exactly one world, seed S
 *   IOCPSIM_TRACE=PATH   JSONL trace of the run (meant with IOCPSIM_SEED)
 *
 * Before each world the line "world seed=S" is printed, so the output of a
 * failing case (ctest shows it) names the seed that reproduces it. */
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
static const struct CMUnitTest *current;
static CMFixtureFunction current_group_setup, current_group_teardown;

static void world_main(void *arg) {
  void **state = arg;
  if (current_group_setup && current_group_setup(state) != 0) fail_msg("group setup failed");
  if (current->setup_func && current->setup_func(state) != 0) fail_msg("setup failed");
  current->test_func(state);
  if (current->teardown_func && current->teardown_func(state) != 0) fail_msg("teardown failed");
  if (current_group_teardown && current_group_teardown(state) != 0) {
    fail_msg("group teardown failed");
  }
}

static uint64_t env_u64(const char *name, uint64_t dflt) {
  const char *v = getenv(name);
  if (!v || !*v) return dflt;
  char *end;
  unsigned long long x = strtoull(v, &end, 0);
  if (*end) {
    fprintf(stderr, "%s: not a number: %s\n", name, v);
    exit(64);
  }
  return x;
}

static void play_in_worlds(void **unused) {
  (void)unused;
  uint64_t base = env_u64("IOCPSIM_SEED_BASE", 0), n = env_u64("IOCPSIM_SEEDS", 100);
  if (getenv("IOCPSIM_SEED")) {
    base = env_u64("IOCPSIM_SEED", 0);
    n = 1;
  }
  const char *trace = getenv("IOCPSIM_TRACE");
  for (uint64_t seed = base; seed < base + n; seed++) {
    printf("world seed=%" PRIu64 "\n", seed);
    fflush(stdout);
    void *state = current->initial_state;
    sim_config_t cfg = {0};
    cfg.seed = seed;
    cfg.trace_path = trace;
    sim_result_t res;
    sim_status_t st = sim_run(&cfg, world_main, &state, &res);
    if (st != SIM_STATUS_PASS) {
      fprintf(stderr, "world seed=%" PRIu64 ": %s: %s\n%s", seed, sim_status_name(st), res.message,
              res.report ? res.report : "");
      sim_result_free(&res);
      fail_msg("case %s failed in the world of seed %" PRIu64 " (rerun with IOCPSIM_SEED=%" PRIu64
               ")",
               current->name, seed, seed);
    }
    sim_result_free(&res);
  }
}

static int run_case_in_worlds(const char *group, const struct CMUnitTest *test,
                              CMFixtureFunction group_setup, CMFixtureFunction group_teardown) {
  current = test;
  current_group_setup = group_setup;
  current_group_teardown = group_teardown;
  const struct CMUnitTest wrapped = {test->name, play_in_worlds, NULL, NULL, NULL};
  return _cmocka_run_group_tests(group, &wrapped, 1, NULL, NULL) != 0;
}

__attribute__((constructor)) static void install_world_runner(void) {
  sim_hook_add(&core_reset_hook);
  iocpsim_case_runner = run_case_in_worlds;
}
