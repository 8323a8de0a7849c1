#include "iocpsim_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

iocpsim_case_runner_fn iocpsim_case_runner = NULL;

#define EX_USAGE_CODE 64

/* Set by iocpsim_skip in the case that runs; read after the run. */
static volatile int skipped_cases;

void iocpsim_skip_note(const char *why, const char *file, int line) {
#ifdef _WIN32
  printf("SKIPPED: %s (%s:%d)\n", why, file, line);
  fflush(stdout);
  skipped_cases++;
#else
  fail_msg("%s:%d: the fake world cannot skip (%s): it must provide what the case needs", file,
           line, why);
#endif
}

static uint64_t env_u64(const char *name, uint64_t dflt) {
  const char *v = getenv(name);
  if (v == NULL || *v == '\0') return dflt;
  char *end;
  unsigned long long x = strtoull(v, &end, 0);
  /* strtoull takes "-1" as UINT64_MAX: a sign is not a number of seeds. */
  if (*end != '\0' || strchr(v, '-') != NULL) {
    fprintf(stderr, "%s: not a number: %s\n", name, v);
    exit(EX_USAGE_CODE);
  }
  return x;
}

void iocpsim_seed_range(uint64_t dflt, uint64_t *base, uint64_t *n) {
  *base = env_u64("IOCPSIM_SEED_BASE", 0);
  *n = env_u64("IOCPSIM_SEEDS", dflt);
  if (getenv("IOCPSIM_SEED") != NULL && *getenv("IOCPSIM_SEED") != '\0') {
    *base = env_u64("IOCPSIM_SEED", 0);
    *n = 1;
  }
  if (*n == 0) {
    fprintf(stderr, "IOCPSIM_SEEDS=0: a run of no world tests nothing (give N >= 1)\n");
    exit(EX_USAGE_CODE);
  }
  if (*base > UINT64_MAX - *n) {
    fprintf(stderr, "IOCPSIM_SEED_BASE + IOCPSIM_SEEDS runs past the last seed\n");
    exit(EX_USAGE_CODE);
  }
}

/* Runs tests[first..last) through the installed case runner, stopping at the
 * first failure: a case that failed inside a simulated world may have left
 * that world unfinished, so nothing more can run in this process. */
static int run_with_runner(const char *group, const struct CMUnitTest *tests, size_t first,
                           size_t last, CMFixtureFunction setup, CMFixtureFunction teardown) {
  for (size_t i = first; i < last; i++) {
    if (iocpsim_case_runner(group, &tests[i], setup, teardown) != 0) return 1;
  }
  return 0;
}

int iocpsim_run_tests(int argc, char **argv, const char *group, const struct CMUnitTest *tests,
                      size_t count, CMFixtureFunction setup, CMFixtureFunction teardown) {
  if (argc > 2) {
    fprintf(stderr, "usage: %s [CASE]\n", argv[0]);
    return 2;
  }
  if (argc == 2) {
    size_t i;
    for (i = 0; i < count; i++) {
      if (strcmp(tests[i].name, argv[1]) == 0) break;
    }
    if (i == count) {
      fprintf(stderr, "%s: no test case named '%s'\n", argv[0], argv[1]);
      return 2;
    }
    /* Exact names only: cmocka's filter is a glob, so run the one case
     * through a one-element group instead. */
    int failed = iocpsim_case_runner
                     ? run_with_runner(group, tests, i, i + 1, setup, teardown)
                     : _cmocka_run_group_tests(group, &tests[i], 1, setup, teardown);
    if (failed == 0 && skipped_cases > 0) return IOCPSIM_SKIP_CODE;
    return failed;
  }
  if (iocpsim_case_runner) return run_with_runner(group, tests, 0, count, setup, teardown);
  return _cmocka_run_group_tests(group, tests, count, setup, teardown);
}
