/* sim_explore.c: search strategies on the one decision stream (DESIGN.md
 * §3, §7): PCT and bounded-preemption depth-first enumeration.
 *
 * Both are sim_strategy_t sources, so nothing below the engine changes:
 * the scheduler asks "which candidate runs?" and fakewin asks its other
 * questions (fault probabilities, completion order, short transfers, timer
 * ties) exactly as under the seeded random walk.
 *
 * PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010): every
 * fiber gets a random priority when first seen; d-1 change points are drawn
 * among the run's expected k scheduling decisions; at each decision the
 * highest-priority candidate runs, and at the i-th change point the fiber
 * that would run drops to priority i (below every initial one).  A bug of
 * depth d is found with probability at least 1/(n k^(d-1)) per run, n the
 * number of fibers and k the number of decisions.  Other decisions are drawn
 * from the seeded generator.
 *
 * DFS: stateless enumeration.  A run follows the current prefix of choices
 * and takes choice 0 after it (keep running the current fiber: no
 * preemption), recording each decision point.  After the run, the deepest
 * point with an untried alternative that keeps the preemption count within
 * the bound becomes the next prefix.  A SCHEDULE choice other than 0 while
 * the current fiber could go on is a preemption; when the current fiber
 * blocked or exited, every candidate is free.  A non-default TIMING
 * decision (a call that took long enough for a deadline to pass, bytes that
 * arrive later than at once) spends the bound too.  Other decisions are free
 * alternatives; those with more than DFS_WIDE choices are explored at 0, 1
 * and n-1 only (a short transfer of any size would otherwise multiply the
 * space by the buffer length). */
#include "sim_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DFS_WIDE 8u

/* ---- PCT ------------------------------------------------------------------------ */

struct sim_pct {
  sim_strategy_t strategy;
  sim_rng_t rng;
  uint32_t depth;
  uint64_t k_estimate;
  uint64_t change[16]; /* decision indices of the d-1 change points, ascending */
  uint32_t n_change;
  uint64_t decisions; /* SCHEDULE decisions made in this run */
  /* priority per fiber id (0 = not seen yet); higher runs first */
  uint64_t *prio;
  uint32_t cap_prio;
  uint32_t fibers_seen;
};

static uint64_t *pct_prio_slot(sim_pct_t *p, uint32_t id) {
  if (id >= p->cap_prio) {
    uint32_t cap = p->cap_prio ? p->cap_prio : 64;
    while (cap <= id) cap *= 2;
    uint64_t *np = realloc(p->prio, cap * sizeof *np);
    if (np == NULL) abort();
    memset(np + p->cap_prio, 0, (cap - p->cap_prio) * sizeof *np);
    p->prio = np;
    p->cap_prio = cap;
  }
  return &p->prio[id];
}

static uint32_t pct_choose(void *state, sim_decision_kind_t kind, uint32_t n,
                           const uint32_t *labels, char *why, size_t why_len) {
  (void)why;
  (void)why_len;
  sim_pct_t *p = state;
  if (kind != SIM_DECIDE_SCHEDULE || labels == NULL) return sim_rng_below(&p->rng, n);
  p->decisions++;
  uint32_t best = 0;
  uint64_t best_prio = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint64_t *slot = pct_prio_slot(p, labels[i]);
    if (*slot == 0) {
      /* a new fiber: a random initial priority above every change-point
       * priority (those are 1..d-1) */
      *slot = p->depth + 1 + (sim_rng_next(&p->rng) >> 8);
      p->fibers_seen++;
    }
    if (*slot > best_prio) {
      best_prio = *slot;
      best = i;
    }
  }
  for (uint32_t c = 0; c < p->n_change; c++) {
    if (p->change[c] == p->decisions) {
      /* the c-th change point: the chosen fiber drops below everyone */
      *pct_prio_slot(p, labels[best]) = p->n_change - c;
      best = 0;
      best_prio = 0;
      for (uint32_t i = 0; i < n; i++) {
        uint64_t pr = *pct_prio_slot(p, labels[i]);
        if (pr > best_prio) {
          best_prio = pr;
          best = i;
        }
      }
    }
  }
  return best;
}

sim_pct_t *sim_pct_new(uint64_t seed, uint32_t depth, uint64_t k_estimate) {
  sim_pct_t *p = calloc(1, sizeof *p);
  if (p == NULL) abort();
  if (depth < 1) depth = 1;
  if (depth > 16) depth = 16;
  if (k_estimate < 1) k_estimate = 1;
  p->depth = depth;
  p->k_estimate = k_estimate;
  sim_rng_seed(&p->rng, seed);
  p->n_change = depth - 1;
  for (uint32_t i = 0; i < p->n_change; i++) p->change[i] = 1 + sim_rng_next(&p->rng) % k_estimate;
  /* ascending, so that change point i gives priority d-1-i ... 1 */
  for (uint32_t i = 1; i < p->n_change; i++)
    for (uint32_t j = i; j > 0 && p->change[j - 1] > p->change[j]; j--) {
      uint64_t t = p->change[j];
      p->change[j] = p->change[j - 1];
      p->change[j - 1] = t;
    }
  p->strategy.state = p;
  p->strategy.wants_labels = true;
  p->strategy.choose = pct_choose;
  return p;
}

const sim_strategy_t *sim_pct_strategy(sim_pct_t *p) {
  return &p->strategy;
}
uint64_t sim_pct_decisions(const sim_pct_t *p) {
  return p->decisions;
}
uint32_t sim_pct_fibers(const sim_pct_t *p) {
  return p->fibers_seen;
}
void sim_pct_free(sim_pct_t *p) {
  if (p == NULL) return;
  free(p->prio);
  free(p);
}

/* ---- DFS ------------------------------------------------------------------------------- */

typedef struct dfs_frame {
  uint32_t kind, n, choice;
  bool costs; /* a non-default choice here spends the bound: a preemption, or a timing left open */
  uint32_t preempt_before; /* preemptions on the path before this decision */
} dfs_frame_t;

struct sim_dfs {
  sim_strategy_t strategy;
  uint32_t bound;
  dfs_frame_t *stack; /* the last run's decision points */
  size_t n, cap;
  size_t prefix; /* decisions [0, prefix) are forced from the stack */
  size_t pos;    /* the next decision of the running run */
  uint64_t runs;
  bool exhausted;
  bool diverged;
  uint32_t preempt_now;
};

/* The alternatives DFS tries at a point, in order. */
static uint32_t dfs_next_alt(const dfs_frame_t *f, uint32_t after) {
  if (f->kind == SIM_DECIDE_SCHEDULE || f->n <= DFS_WIDE)
    return after + 1 < f->n ? after + 1 : UINT32_MAX;
  /* wide non-schedule decisions: 0, 1, n-1 */
  if (after == 0) return 1;
  if (after == 1 && f->n - 1 > 1) return f->n - 1;
  return UINT32_MAX;
}

static uint32_t dfs_choose(void *state, sim_decision_kind_t kind, uint32_t n,
                           const uint32_t *labels, char *why, size_t why_len) {
  sim_dfs_t *d = state;
  bool with_current = false;
  if (kind == SIM_DECIDE_SCHEDULE && labels != NULL) {
    sim_fiber_t *cur = sim_current();
    with_current = cur != NULL && labels[0] == sim_fiber_id(cur);
  }
  if (d->pos < d->prefix) {
    dfs_frame_t *f = &d->stack[d->pos];
    if (f->kind != (uint32_t)kind || f->n != n) {
      snprintf(why, why_len,
               "dfs: decision %zu was %s of %u, now %s of %u: the run is not deterministic", d->pos,
               sim_decision_kind_name((sim_decision_kind_t)f->kind), f->n,
               sim_decision_kind_name(kind), n);
      d->diverged = true;
      return SIM_CHOICE_DIVERGED;
    }
    d->pos++;
    if (f->costs && f->choice != 0) d->preempt_now++;
    return f->choice;
  }
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 256;
    d->stack = realloc(d->stack, d->cap * sizeof *d->stack);
    if (d->stack == NULL) abort();
  }
  dfs_frame_t *f = &d->stack[d->n++];
  f->kind = (uint32_t)kind;
  f->n = n;
  f->choice = 0;
  f->costs = with_current || kind == SIM_DECIDE_TIMING;
  f->preempt_before = d->preempt_now;
  d->pos++;
  return 0;
}

sim_dfs_t *sim_dfs_new(uint32_t max_preemptions) {
  sim_dfs_t *d = calloc(1, sizeof *d);
  if (d == NULL) abort();
  d->bound = max_preemptions;
  d->strategy.state = d;
  d->strategy.wants_labels = true;
  d->strategy.choose = dfs_choose;
  return d;
}

const sim_strategy_t *sim_dfs_strategy(sim_dfs_t *d) {
  d->pos = 0;
  d->preempt_now = 0;
  return &d->strategy;
}

bool sim_dfs_next(sim_dfs_t *d) {
  d->runs++;
  if (d->diverged) {
    d->exhausted = true;
    return false;
  }
  /* the run may have ended before using the whole prefix (a failure) */
  if (d->n > d->pos) d->n = d->pos;
  while (d->n > 0) {
    dfs_frame_t *f = &d->stack[d->n - 1];
    for (uint32_t alt = dfs_next_alt(f, f->choice); alt != UINT32_MAX; alt = dfs_next_alt(f, alt)) {
      uint32_t cost = f->preempt_before + ((f->costs && alt != 0) ? 1u : 0u);
      if (cost <= d->bound) {
        f->choice = alt;
        d->prefix = d->n;
        return true;
      }
    }
    d->n--;
  }
  d->exhausted = true;
  return false;
}

uint64_t sim_dfs_runs(const sim_dfs_t *d) {
  return d->runs;
}
bool sim_dfs_exhausted(const sim_dfs_t *d) {
  return d->exhausted;
}

size_t sim_dfs_choices(const sim_dfs_t *d, uint32_t *out, size_t max) {
  /* the running schedule's forced prefix, without its trailing zeros */
  size_t n = d->prefix;
  while (n > 0 && d->stack[n - 1].choice == 0) n--;
  for (size_t i = 0; i < n && i < max; i++) out[i] = d->stack[i].choice;
  return n;
}

void sim_dfs_free(sim_dfs_t *d) {
  if (d == NULL) return;
  free(d->stack);
  free(d);
}

/* ---- a prefix of choices, then the defaults --------------------------------------- */

struct sim_prefix {
  sim_strategy_t strategy;
  uint32_t *choices;
  size_t n, pos;
};

static uint32_t prefix_choose(void *state, sim_decision_kind_t kind, uint32_t n,
                              const uint32_t *labels, char *why, size_t why_len) {
  (void)kind;
  (void)labels;
  sim_prefix_t *p = state;
  if (p->pos >= p->n) return 0;
  uint32_t c = p->choices[p->pos++];
  if (c >= n) {
    snprintf(why, why_len,
             "replay: decision %zu asks for choice %u of %u: the token does not fit this scenario",
             p->pos - 1, c, n);
    return SIM_CHOICE_DIVERGED;
  }
  return c;
}

sim_prefix_t *sim_prefix_new(const uint32_t *choices, size_t n) {
  sim_prefix_t *p = calloc(1, sizeof *p);
  if (p == NULL) abort();
  p->choices = malloc((n ? n : 1) * sizeof *p->choices);
  if (p->choices == NULL) abort();
  if (n) memcpy(p->choices, choices, n * sizeof *choices);
  p->n = n;
  p->strategy.state = p;
  p->strategy.choose = prefix_choose;
  return p;
}

const sim_strategy_t *sim_prefix_strategy(sim_prefix_t *p) {
  p->pos = 0;
  return &p->strategy;
}

void sim_prefix_free(sim_prefix_t *p) {
  if (p == NULL) return;
  free(p->choices);
  free(p);
}
