/* scn_outcomes.h: the set of distinct outcomes of a sweep (docs/explore.md §7).
 *
 * An outcome is what a run of a scenario showed the scenario's threads: a
 * 64-bit FNV-1a hash of the run's status word ("pass", "expect",
 * "deadlock", ...) and its history in golden form (per thread, each step's
 * text and result; scn_run.h result.history).  No virtual time, handle
 * value, internal thread or trace event is in that text, so a change of the
 * core's internals that shows the scenario the same results keeps the
 * outcome.  `iocpsim run ... --outcomes FILE` writes, per scenario, the set
 * of outcomes a sweep reached and the first run that reached each;
 * `iocpsim outcomes-check BASELINE NEW` says whether a later sweep lost any.
 *
 * The file (one line each, `#` lines and empty lines skipped):
 *
 *   options seeds=A..B strategy=S timing=T personality=P faults=F [max-runs=N] [shard=I/N]
 *   PATH text=HEX16 runs=N distinct=K [k=N] HEX16@ID HEX16@ID ...
 *
 * Scenario lines sorted by path (byte order), outcomes by value; ID is the
 * seed that first gave the outcome (PCT too: with k, PCT's calibrated
 * decisions, the replay token is known), or for dfs the index of the
 * first schedule.  text= is the hash of the scenario file's bytes: a
 * baseline is compared only with the same text.
 *
 * Lifetime: a scn_oc_file_t owns every string and array in it
 * (scn_oc_free). */
#ifndef IOCPSIM_SCN_OUTCOMES_H
#define IOCPSIM_SCN_OUTCOMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCN_OC_FNV_INIT 0xcbf29ce484222325ull

typedef struct scn_oc {
  uint64_t hash; /* the outcome */
  uint64_t id;   /* the first (lowest) seed, or dfs schedule index, that gave it */
} scn_oc_t;

typedef struct scn_oc_scn {
  char *path;
  uint64_t text;  /* FNV-1a 64 of the file's bytes */
  uint64_t runs;  /* runs played */
  uint64_t pct_k; /* strategy pct: the decisions k of the calibration run; else 0 */
  scn_oc_t *v;    /* sorted by hash, unique */
  size_t n, cap;
  uint32_t line; /* the line it was read from (0: made by a sweep) */
} scn_oc_scn_t;

typedef struct scn_oc_file {
  char *command; /* the `# command: ` comment's text, or NULL */
  char *options; /* the text after `options ` */
  uint32_t options_line;
  scn_oc_scn_t *s;
  size_t n, cap;
} scn_oc_file_t;

uint64_t scn_oc_fnv(uint64_t h, const void *p, size_t n);
/* The outcome of one run: its status word and its golden history. */
uint64_t scn_oc_outcome(const char *status, const char *history);
/* The hash of a file's bytes; false if it cannot be read. */
bool scn_oc_text_hash(const char *path, uint64_t *out);

/* The entry of `path` (added with `text` if absent; an existing entry keeps
 * its text). */
scn_oc_scn_t *scn_oc_scenario(scn_oc_file_t *f, const char *path, uint64_t text);
/* One run with outcome `hash` and id `id`: counted, and the outcome added
 * or its first id lowered. */
void scn_oc_add(scn_oc_scn_t *s, uint64_t hash, uint64_t id);

/* Writes f (scenarios sorted first) to path through path.tmp and a rename;
 * f->command becomes a `# command:` comment.  False with err set. */
bool scn_oc_write(scn_oc_file_t *f, const char *path, char *err, size_t len);
/* Reads a file; false with err = "FILE:LINE:COL: message". */
bool scn_oc_read(const char *path, scn_oc_file_t *f, char *err, size_t len);
void scn_oc_free(scn_oc_file_t *f);

/* iocpsim outcomes-check BASELINE NEW: 0 nothing lost, 1 an outcome lost,
 * 64 bad input.  iocpsim outcomes-merge -o OUT FILE...: the union of shard
 * files (or of any files made with the same options); 0 or 64. */
int scn_oc_check_cmd(int argc, char **argv);
int scn_oc_merge_cmd(int argc, char **argv);

#endif
