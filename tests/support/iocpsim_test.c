#include "iocpsim_test.h"

#include <stdio.h>
#include <string.h>

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
    return _cmocka_run_group_tests(group, &tests[i], 1, setup, teardown);
  }
  return _cmocka_run_group_tests(group, tests, count, setup, teardown);
}
