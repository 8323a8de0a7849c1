/* scn_explore.h: replay tokens and shrinking (docs/explore.md).
 *
 * A replay token is one line of at most SCN_TOKEN_MAX characters that names
 * a scenario file, the personality and the decisions of one run:
 *
 *   v1:PATH:P:s17            the seeded random walk, seed 17
 *   v1:PATH:P:p3.420.17      PCT, depth 3, 420 decisions expected, seed 17
 *   v1:PATH:P:cBASE64        a choice prefix (then the defaults): DFS, shrunk
 *
 * P is w (windows), 8 (wine8) or - (the scenario's own).  The prefix is
 * stored as (zeros before it, value) varint pairs in base64url, so a long
 * run with few non-default choices stays short.
 *
 * Lifetime: strings returned are malloc'd and owned by the caller;
 * scn_token_t owns its path and choices (scn_token_free). */
#ifndef IOCPSIM_SCN_EXPLORE_H
#define IOCPSIM_SCN_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scn.h"
#include "scn_run.h"

#define SCN_TOKEN_MAX 160

typedef enum scn_token_kind { SCN_TOK_SEED = 0, SCN_TOK_PCT, SCN_TOK_CHOICES } scn_token_kind_t;

typedef struct scn_token {
  char *path;
  int personality; /* -1, 0, 1 */
  scn_token_kind_t kind;
  uint64_t seed;
  uint32_t depth;
  uint64_t k;
  uint32_t *choices;
  size_t n_choices;
} scn_token_t;

char *scn_token_format(const scn_token_t *t);
bool scn_token_parse(const char *text, scn_token_t *out, char *err, size_t len);
void scn_token_free(scn_token_t *t);

/* The strategy a token names, ready for one run (free with
 * scn_token_strategy_free after the run). */
typedef struct scn_token_strategy scn_token_strategy_t;
scn_token_strategy_t *scn_token_strategy(const scn_token_t *t, scn_run_opts_t *o);
void scn_token_strategy_free(scn_token_strategy_t *ts);

/* Shrinking: reduces a failing run of the scenario at `path` (its steps and
 * fault lines first, under the same decisions, then the decision stream to
 * its shortest non-default prefix) while it keeps failing the same way (the
 * same exit status and the same first line of its message).  Writes the
 * minimal scenario to out_path and returns a report (malloc'd), or NULL with
 * *err set when the run does not fail to begin with. */
typedef struct scn_shrink_stats {
  size_t decisions_before, decisions_after;   /* prefix lengths */
  size_t nondefault_before, nondefault_after; /* choices other than 0 */
  size_t lines_before, lines_after;           /* steps and fault lines */
  size_t runs;
  double secs;
  char *token; /* of the shrunk run */
} scn_shrink_stats_t;

bool scn_shrink(const char *path, const scn_token_t *failing, double budget_secs,
                const char *out_path, scn_shrink_stats_t *st, char *err, size_t len);

#endif
