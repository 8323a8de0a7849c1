/* skip_probe.c: a program whose one case skips, for the ctest checks of
 * iocpsim_skip (tests/CMakeLists.txt): run alone, the skipped case exits
 * IOCPSIM_SKIP_CODE on the real tier and fails in the fake one. */
#include "iocpsim_test.h"

static void skips(void **state) {
  (void)state;
  iocpsim_skip("the probe always skips");
  fail_msg("iocpsim_skip returned");
}

static void passes(void **state) {
  (void)state;
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(skips),
      cmocka_unit_test(passes),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
