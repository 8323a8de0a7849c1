/* sim_decide.c: the decision stream.
 *
 * Every choice of a run goes through sim_decide, which asks the world's
 * strategy, counts and hashes (kind, n, choice), keeps the last
 * SIM_DECISION_WINDOW of them, and keeps the whole stream only when
 * cfg->record_decisions asks for it.  Three built-in strategies:
 *   seed   - xoshiro256** seeded by splitmix64(seed); choice = high bits of
 *            a 64x32 multiply (Lemire), so it never depends on n's parity
 *   replay - answers from a recorded stream; strict mode ends the run as
 *            SIM_STATUS_REPLAY_DIVERGED when the program asks a question the
 *            stream did not record (kind or n differ, stream exhausted, or
 *            left over at the end); lenient mode clamps (choice % n) and
 *            answers 0 past the end, which is what a shrinker needs
 *   bytes  - fuzzer input: one byte per choice when n <= 256, four bytes
 *            (little endian) otherwise, reduced mod n; 0 once exhausted
 * A custom strategy (cfg->strategy) replaces all of them. */
#include "sim_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static inline uint64_t rotl64(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

void sim_rng_seed(sim_rng_t *r, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

uint64_t sim_rng_next(sim_rng_t *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl64(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl64(s[3], 45);
  return result;
}

uint32_t sim_rng_below(sim_rng_t *r, uint32_t n) {
  uint64_t x = sim_rng_next(r) >> 32;
  return (uint32_t)((x * (uint64_t)n) >> 32);
}

const char *sim_decision_kind_name(sim_decision_kind_t kind) {
  switch (kind) {
    case SIM_DECIDE_SCHEDULE:
      return "schedule";
    case SIM_DECIDE_TIMER_TIE:
      return "timer-tie";
    case SIM_DECIDE_FAULT:
      return "fault";
    case SIM_DECIDE_COMPLETION_ORDER:
      return "completion-order";
    case SIM_DECIDE_SHORT_TRANSFER:
      return "short-transfer";
    case SIM_DECIDE_VALUE:
      return "value";
    case SIM_DECIDE_TIMING:
      return "timing";
    case SIM_DECIDE_KIND_COUNT:
      break;
  }
  return "?";
}

/* ---- built-in strategies ---------------------------------------------------- */

typedef struct seed_state {
  sim_rng_t rng;
} seed_state_t;

static uint32_t seed_choose(void *st, sim_decision_kind_t kind, uint32_t n, const uint32_t *labels,
                            char *why, size_t why_len) {
  (void)kind;
  (void)labels;
  (void)why;
  (void)why_len;
  return sim_rng_below(&((seed_state_t *)st)->rng, n);
}

typedef struct replay_state {
  const sim_decision_t *d;
  size_t len, pos;
  bool lenient;
} replay_state_t;

static uint32_t replay_choose(void *st, sim_decision_kind_t kind, uint32_t n,
                              const uint32_t *labels, char *why, size_t why_len) {
  replay_state_t *r = st;
  (void)labels;
  if (r->pos >= r->len) {
    if (r->lenient) return 0;
    snprintf(why, why_len,
             "the recorded stream ended after %zu decisions; the program asks for a %s decision "
             "over %" PRIu32,
             r->len, sim_decision_kind_name(kind), n);
    return SIM_CHOICE_DIVERGED;
  }
  const sim_decision_t *d = &r->d[r->pos];
  if (d->kind != (uint32_t)kind || d->n != n || d->choice >= n) {
    if (r->lenient) {
      r->pos++;
      return d->choice % n;
    }
    snprintf(why, why_len,
             "decision #%zu: recorded %s over %" PRIu32 " (choice %" PRIu32
             "), the program asks for %s over %" PRIu32,
             r->pos,
             sim_decision_kind_name((sim_decision_kind_t)(d->kind < SIM_DECIDE_KIND_COUNT
                                                              ? d->kind
                                                              : SIM_DECIDE_KIND_COUNT)),
             d->n, d->choice, sim_decision_kind_name(kind), n);
    return SIM_CHOICE_DIVERGED;
  }
  r->pos++;
  return d->choice;
}

static bool replay_finish(void *st, char *why, size_t why_len) {
  replay_state_t *r = st;
  if (r->lenient || r->pos == r->len) return true;
  snprintf(why, why_len, "the run ended after %zu of %zu recorded decisions", r->pos, r->len);
  return false;
}

typedef struct bytes_state {
  const uint8_t *b;
  size_t len, pos;
} bytes_state_t;

static uint32_t bytes_choose(void *st, sim_decision_kind_t kind, uint32_t n, const uint32_t *labels,
                             char *why, size_t why_len) {
  bytes_state_t *s = st;
  (void)kind;
  (void)labels;
  (void)why;
  (void)why_len;
  uint32_t v = 0;
  size_t need = n <= 256 ? 1 : 4;
  if (s->pos + need > s->len) {
    s->pos = s->len;
    return 0;
  }
  for (size_t i = 0; i < need; i++) v |= (uint32_t)s->b[s->pos + i] << (8 * i);
  s->pos += need;
  return v % n;
}

bool sim_strategy_setup(sim_world_t *w, const sim_config_t *cfg, char *why, size_t why_len) {
  memset(&w->strategy, 0, sizeof w->strategy);
  if (cfg->strategy != NULL) {
    if (cfg->strategy->choose == NULL) {
      snprintf(why, why_len, "custom strategy without choose()");
      return false;
    }
    w->strategy = *cfg->strategy;
    return true;
  }
  switch (cfg->source) {
    case SIM_SOURCE_SEED: {
      seed_state_t *s = calloc(1, sizeof *s);
      if (s == NULL) abort();
      sim_rng_seed(&s->rng, cfg->seed);
      w->strategy_state_mem = s;
      w->strategy.state = s;
      w->strategy.choose = seed_choose;
      return true;
    }
    case SIM_SOURCE_REPLAY: {
      if (cfg->replay == NULL && cfg->replay_len != 0) {
        snprintf(why, why_len, "replay source with a NULL stream");
        return false;
      }
      replay_state_t *s = calloc(1, sizeof *s);
      if (s == NULL) abort();
      s->d = cfg->replay;
      s->len = cfg->replay_len;
      s->lenient = cfg->replay_lenient;
      w->strategy_state_mem = s;
      w->strategy.state = s;
      w->strategy.choose = replay_choose;
      w->strategy.finish = replay_finish;
      return true;
    }
    case SIM_SOURCE_BYTES: {
      if (cfg->bytes == NULL && cfg->bytes_len != 0) {
        snprintf(why, why_len, "bytes source with a NULL buffer");
        return false;
      }
      bytes_state_t *s = calloc(1, sizeof *s);
      if (s == NULL) abort();
      s->b = cfg->bytes;
      s->len = cfg->bytes_len;
      w->strategy_state_mem = s;
      w->strategy.state = s;
      w->strategy.choose = bytes_choose;
      return true;
    }
  }
  snprintf(why, why_len, "unknown decision source %d", (int)cfg->source);
  return false;
}

void sim_strategy_teardown(sim_world_t *w) {
  free(w->strategy_state_mem);
  w->strategy_state_mem = NULL;
}

/* Every decision is counted, hashed and kept in the window; the whole
 * stream is kept only when the configuration asks for it, so a run's memory
 * does not grow with its length otherwise. */
static void record(sim_world_t *w, sim_decision_t d) {
  /* FNV-1a over 64-bit words (kind and n, then choice): cheap, and every
   * field changes the result */
  w->decision_hash = (w->decision_hash ^ (((uint64_t)d.kind << 32) | d.n)) * 0x100000001b3ull;
  w->decision_hash = (w->decision_hash ^ d.choice) * 0x100000001b3ull;
  w->window[w->n_decisions % SIM_DECISION_WINDOW] = d;
  w->n_decisions++;
  if (!w->record) return;
  if (w->n_rec == w->cap_rec) {
    size_t cap = w->cap_rec ? w->cap_rec * 2 : 256;
    sim_decision_t *p = realloc(w->rec, cap * sizeof *p);
    if (p == NULL) abort();
    w->rec = p;
    w->cap_rec = cap;
  }
  w->rec[w->n_rec++] = d;
}

uint32_t sim_decide(sim_decision_kind_t kind, uint32_t n, const uint32_t *labels) {
  sim_world_t *w = sim_world_;
  if (w == NULL) {
    fprintf(stderr, "sim: sim_decide called outside any world\n");
    abort();
  }
  if (n <= 1) return 0;
  char why[256];
  why[0] = '\0';
  uint32_t c = w->strategy.choose(w->strategy.state, kind, n, labels, why, sizeof why);
  if (c == SIM_CHOICE_DIVERGED || c >= n) {
    if (why[0] == '\0')
      snprintf(why, sizeof why, "strategy answered %" PRIu32 " to a choice over %" PRIu32, c, n);
    sim_fail(SIM_STATUS_REPLAY_DIVERGED, "decision stream diverged: %s", why);
  }
  record(w, (sim_decision_t){(uint32_t)kind, n, c});
  return c;
}

bool sim_chance(sim_decision_kind_t kind, uint32_t num, uint32_t den) {
  if (den == 0 || num == 0) return false;
  if (num >= den) return true;
  /* the last num of the den choices say yes, so choice 0 (a replay's or a
   * shrinker's default, and DFS's first try) is "no": nothing happens */
  return sim_decide(kind, den, NULL) >= den - num;
}
