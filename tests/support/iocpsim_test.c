#include "iocpsim_test.h"

#include <stdio.h>
#include <string.h>

iocpsim_case_runner_fn iocpsim_case_runner = NULL;

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
    if (iocpsim_case_runner) return run_with_runner(group, tests, i, i + 1, setup, teardown);
    return _cmocka_run_group_tests(group, &tests[i], 1, setup, teardown);
  }
  if (iocpsim_case_runner) return run_with_runner(group, tests, 0, count, setup, teardown);
  return _cmocka_run_group_tests(group, tests, count, setup, teardown);
}
