/* iocpsim_test.h: the one main() shape every cmocka test file uses.
 *
 *   int main(int argc, char **argv) {
 *     static const struct CMUnitTest tests[] = { cmocka_unit_test(x), ... };
 *     return IOCPSIM_RUN_TESTS(argc, argv, tests, setup, teardown);
 *   }
 *
 * With no argument every case runs; with one argument exactly that case runs
 * (ctest registers one test per case, see cmake/iocpsim.cmake).  A name that
 * matches no case is an error (exit 2), never a vacuous pass. */
#ifndef IOCPSIM_TEST_H
#define IOCPSIM_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* A case runner replaces the plain cmocka run of each selected case; the
 * fake-world support (iocpsim_world.c, native tier) installs one that runs
 * the case, with its fixtures, inside simulated worlds over many seeds.
 * Returns the number of failed cases (0 or 1). */
typedef int (*iocpsim_case_runner_fn)(const char *group, const struct CMUnitTest *test,
                                      CMFixtureFunction group_setup,
                                      CMFixtureFunction group_teardown);
extern iocpsim_case_runner_fn iocpsim_case_runner;

int iocpsim_run_tests(int argc, char **argv, const char *group, const struct CMUnitTest *tests,
                      size_t count, CMFixtureFunction setup, CMFixtureFunction teardown);

/* Skipping.  A case that cannot run where it runs (the real machine lacks
 * something it needs, such as IPv6 loopback) calls iocpsim_skip("why"),
 * never cmocka's bare skip(): on the real tier (mingw, _WIN32) it prints
 * "SKIPPED: why (file:line)" and skips the case, and an executable that
 * ran exactly one case, and skipped it, exits IOCPSIM_SKIP_CODE, which
 * ctest reports as skipped (SKIP_RETURN_CODE, cmake/iocpsim.cmake).  The
 * fake world provides everything a case needs, so on the native tier the
 * same call fails the case.  scripts/gen-coverage counts a case that
 * contains iocpsim_skip on the fake tier only. */
#define IOCPSIM_SKIP_CODE 77
void iocpsim_skip_note(const char *why, const char *file, int line);
#define iocpsim_skip(why)                         \
  do {                                            \
    iocpsim_skip_note((why), __FILE__, __LINE__); \
    skip();                                       \
  } while (0)

/* The seeds a case plays, from the environment shared by every seeded
 * runner: IOCPSIM_SEEDS=N worlds (default dflt) from IOCPSIM_SEED_BASE=S
 * (default 0), or IOCPSIM_SEED=S alone (one world).  A value that is not a
 * number, a count of 0 (a run of no world would report a pass it never
 * earned) or a range past UINT64_MAX is a usage error: the message names
 * the variable and the process exits 64 (EX_USAGE). */
void iocpsim_seed_range(uint64_t dflt, uint64_t *base, uint64_t *n);

#define IOCPSIM_RUN_TESTS(argc, argv, tests, setup, teardown)                                     \
  iocpsim_run_tests((argc), (argv), #tests, (tests), sizeof(tests) / sizeof((tests)[0]), (setup), \
                    (teardown))

#endif
