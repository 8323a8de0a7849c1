/* scn_real.h: the real-API backend of the scenario runner (scn_real.c),
 * built only by the mingw tier (docs/scenarios.md §14 "On the real API").
 *
 * scn_run (scn_run.h) on this tier plays each scenario in a child process
 * of the running iocpsim.exe (`iocpsim play-real FILE`), so that a failing
 * step can end the run at once whatever the scenario's other threads are
 * doing, and a hung run can be killed: the child plays the interpreter on
 * real threads, real loopback sockets, real pipes and files and the real
 * completion port, prints its verdict in sections on stdout, and exits.
 * The parent reads the sections back into a scn_run_result_t and compares
 * the golden history.
 *
 * What the real system cannot be made to do (fault rules, the fake
 * system's settings, a scripted console, trace checks) is decided here,
 * before anything runs: a scenario that depends on it is skipped with the
 * reason; a check that cannot apply is left out and counted. */
#ifndef IOCPSIM_SCN_REAL_H
#define IOCPSIM_SCN_REAL_H

#include <stdbool.h>
#include <stddef.h>

#include "scn.h"

/* Exit code and status of a skipped scenario (scn_run_result_t.exit_code,
 * .status "skip", .message the reason). */
#define SCN_REAL_SKIP 77

/* Why the scenario cannot be played on the real API: a reason written to
 * buf and true; false when it can be played. */
bool scn_real_skip_reason(const scn_t *s, char *buf, size_t len);

/* The checks of the scenario that do not apply on the real API, as a
 * short list ("2 trace checks, handles-closed, no-pending-io") written to
 * buf; returns how many. */
size_t scn_real_skipped_checks(const scn_t *s, char *buf, size_t len);

/* Seconds a child may run before it is killed as hung (default 60). */
void scn_real_set_timeout(unsigned secs);

/* Durations, relative deadlines and `at` times are multiplied by this on
 * the real API (default 20; scn_real.c says why). */
void scn_real_set_dilation(unsigned k);

/* The child's side: plays the scenario at path in this process, its
 * durations multiplied by `dilation`, and exits with its verdict (never
 * returns). */
void scn_real_child(const char *path, unsigned dilation) __attribute__((noreturn));

/* Whether this process runs under Wine (ntdll exports wine_get_version). */
bool scn_real_on_wine(void);

#endif
