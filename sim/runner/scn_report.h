/* scn_report.h: reports people look at (docs/scenarios.md §11.1).
 *
 * Two products, both built from runs the runner can repeat exactly:
 *
 *   - a Chrome trace-event JSON file (Perfetto, chrome://tracing) of one
 *     run, converted from the run's JSONL trace (docs/trace.md): one track
 *     per fiber and one for the completion port, the scenario's steps as
 *     slices from invoke to return, every overlapped request as a flow
 *     from its submit to its completion, faults, cancels and deadline
 *     expiries as instant events, virtual time as the clock;
 *   - one self-contained HTML file (no network access needed): for one run
 *     the timeline, the scenario text with the failing line highlighted and
 *     the replay command; for a sweep a table of seeds, the failing runs in
 *     full, and per scenario how often each allowed outcome occurred.
 *
 * No Win32 header; the runs go through scn_run (scn_run.h). */
#ifndef IOCPSIM_SCN_REPORT_H
#define IOCPSIM_SCN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scn.h"

typedef struct scn_report_opts {
  uint64_t seed, seeds;      /* seeds seed, seed+1, ... (seeds >= 1) */
  int personality;           /* -1: each scenario's own */
  bool fixed_timing;         /* --timing fixed */
  const char *const *faults; /* --fault rules for every run */
  size_t n_faults;
  const char *token; /* one run named by a replay token (the scenarios are then ignored) */
  const char *html;  /* -o FILE: the HTML report; NULL: none */
  const char
      *perfetto; /* --perfetto FILE: the Chrome trace of the (first failing, else first) run */
  unsigned max_detail; /* failing runs shown in full in a sweep (0: 10) */
  uint32_t pct_depth;  /* > 0: each seed a PCT run of this depth (--strategy pct:D); 0: random */
} scn_report_opts_t;

/* Converts the JSONL trace of one run of `s` into a Chrome trace-event JSON
 * file: its fibers named from the scenario's threads, its steps labelled
 * from `history` (the run's history block; may be NULL), the step on the
 * line `message` names (the run's failure message; may be NULL) marked as
 * failing, `what` ("seed 17") naming the run.  Returns false with a message
 * on an unreadable input or an unwritable output. */
bool scn_perfetto_from_jsonl(const scn_t *s, const char *jsonl_path, const char *history,
                             const char *message, const char *what, const char *out_path, char *err,
                             size_t len);

/* `iocpsim report`: plays the runs the options name and writes the HTML
 * report and/or the Perfetto file.  Returns the exit status of the runs (as
 * `iocpsim run` would: 0 all passed, 1/2/3 the most severe failure) or 64
 * when a file could not be written. */
int scn_report(scn_t **ss, size_t n, const scn_report_opts_t *o);

#endif
