/* scn_run.h: playing one scenario once (one world, one seed).
 *
 * No Win32 header: the command-line tool and the tests include this next to
 * libc.  scn_run is implemented by a backend: scn_fake.c plays the scenario
 * in a simulated world (fakewin + sim).  The interpreter behind it
 * (scn_interp.c) is plain Win32 C over the core.
 *
 * Lifetime: every string in scn_run_result_t is malloc'd and owned by the
 * result; scn_run_result_free releases them.  The scenario must outlive the
 * call only. */
#ifndef IOCPSIM_SCN_RUN_H
#define IOCPSIM_SCN_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scn.h"
#include "sim.h"

#define SCN_SITES 64 /* fakewin's FW_SITE_MAX */

typedef struct scn_run_opts {
  uint64_t seed;
  int personality;                /* -1: the scenario's (default windows); 0 windows; 1 wine8 */
  const char *trace_path;         /* JSONL trace of this run, or NULL */
  unsigned timeline;              /* history events in the failure timeline; 0: 24 */
  bool skip_history;              /* do not compare with the golden history (for --rewrite) */
  const sim_strategy_t *strategy; /* NULL: the seeded random walk */
  bool record;          /* keep the run's choices in the result (replay tokens, shrinking) */
  const uint8_t *bytes; /* non-NULL (and no strategy): decisions drawn from these bytes, as a
                           fuzzer gives them (sim.h SIM_SOURCE_BYTES); the seed is unused */
  size_t n_bytes;
  const char *const
      *extra_rules; /* fault rules added before the run (process start), e.g. --fault */
  size_t n_extra_rules;
  bool count_sites;  /* count the calls of every fault site (result.site_calls) */
  bool fixed_timing; /* decide no timing (docs/explore.md §1); else what the scenario does not
                        pin is decided: delivery, pending-but-done, jitter SCN_DEFAULT_JITTER_NS */
} scn_run_opts_t;

#define SCN_DEFAULT_JITTER_NS 10000u

/* How one run ended; exit codes are the engine's (sim.h): 0 pass,
 * 1 expectation failed, 2 deadlock or livelock, 3 crash, 64 usage. */
typedef struct scn_run_result {
  int exit_code;
  const char *status; /* "pass", "expect", "deadlock", "livelock", "crash", ... (static) */
  char *message;      /* what failed, one or a few lines; NULL on pass */
  char *timeline;     /* the end of the run as a readable timeline; NULL on pass */
  char *report;       /* the engine's report (fibers, trace tail) for liveness/crash; or NULL */
  char *history;      /* the run's history block (per thread, golden form) */
  char *order;        /* the same events in the order they happened, no times (or NULL) */
  uint64_t trace_hash;
  uint64_t steps, events, end_time_ns;
  uint64_t n_decisions;
  uint32_t site_calls[SCN_SITES]; /* with opts.count_sites: calls per fault site (fw_site_t) */
  uint32_t *choices; /* with opts.record: every decision's choice, in order (malloc'd) */
  size_t n_choices;
} scn_run_result_t;

int scn_run(const scn_t *s, const scn_run_opts_t *o, scn_run_result_t *r);

/* Fault sites (fakewin's fw_site_t numbers) for fail-nth sweeps: the API
 * name of site i ("WSARecv", NULL for none), and the outcomes Windows allows
 * at that site, as rule text after "->" (one per class: pending, success,
 * an error, a completion error, complete-before-cancel, cancel-wins, a
 * short transfer), written to out[0..max); returns how many. */
const char *scn_site_name(int site);
size_t scn_site_outcomes(int site, char out[][96], size_t max);
void scn_run_result_free(scn_run_result_t *r);

/* Checks the syntax of one fault rule (fakewin's one-line grammar), with
 * `@name` object references standing for handles.  Returns false with a
 * 1-based column and a message on error. */
bool scn_check_fault_syntax(const char *rule, uint32_t *col, char *msg, size_t len);

#endif
