/* fuzz_scn_parse.c: the scenario parser on arbitrary bytes (docs/fuzzing.md).
 *
 * Any input must either parse or be rejected with a line, a column and a
 * message; no input may crash, leak, read out of bounds or hang the parser
 * (docs/scenarios.md §1 limits).  A parsed scenario is walked once so that
 * every string and array it owns is touched under the sanitizers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk_block(const scn_block_t *b) {
  size_t n = 0;
  for (size_t i = 0; i < b->n; i++) {
    const scn_step_t *st = &b->steps[i];
    n += st->n_args + st->expect.n_alts + (st->raw ? strlen(st->raw) : 0);
    for (uint32_t k = 0; k < st->n_args; k++)
      n += st->args[k].len + (st->args[k].text ? strlen(st->args[k].text) : 0);
    n += walk_block(&st->body);
  }
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  scn_error_t err;
  memset(&err, 0, sizeof err);
  scn_t *s = scn_parse("fuzz.scn", (const char *)data, size, &err);
  if (s == NULL) {
    /* a rejection always says where and why */
    if (err.msg[0] == '\0' || memchr(err.msg, '\0', sizeof err.msg) == NULL) {
      fprintf(stderr, "fuzz_scn_parse: a rejection without a message (line %u col %u)\n", err.line,
              err.col);
      abort();
    }
    return 0;
  }
  size_t n = walk_block(&s->setup.body);
  for (size_t i = 0; i < s->n_threads; i++)
    n += walk_block(&s->threads[i].body) + strlen(s->threads[i].name);
  for (size_t i = 0; i < s->n_checks; i++) n += strlen(s->checks[i].text);
  for (size_t i = 0; i < s->n_history; i++) n += strlen(s->history[i].text);
  for (uint32_t i = 0; i < s->n_objects; i++) n += strlen(s->objects[i]);
  /* keeps the walk from being optimised away */
  if (n == (size_t)-1) abort();
  scn_free(s);
  return 0;
}
