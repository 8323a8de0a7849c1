/* bench_scale.c: the scaling benchmark of issue 15, printed by
 * `iocpsim-bench --scale [--big]` (and after the other benchmarks by a
 * plain `iocpsim-bench`):
 *
 *   scheduling point   N fibers that only call sim_yield, for each
 *                      strategy: seed (built-in PRNG), replay (the seed
 *                      run's recorded stream), accessor (a custom strategy
 *                      that looks up its pick's fiber id, O(log n)), labels
 *                      (a custom strategy that takes the O(n) label array)
 *   core ping-pong     P connection pairs through the core, without and
 *                      with a read deadline set before every read; setup
 *                      and teardown of that world
 *   fibers             memory per fiber, and a world of 100,000 fake threads
 *                      (--big)
 *   sockets            a world of 50,000 sockets (--big)
 *
 * N, P in {1, 10, 100, 1,000} and, with --big, 10,000.  Median of 3 runs
 * for the per-step and per-op figures.  Times are CPU time of the bench's
 * thread (CLOCK_THREAD_CPUTIME_ID): the development machine is shared by
 * several jobs, and wall time there moves by 2x between runs.  Benchmarks print; nothing is
 * asserted. */
#include "bench_scale.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_core.h"
#include "sim.h"
#include "sim_int.h"

/* CPU time of this (the only) thread: the machine is shared, and wall time
 * there swings by 2x. */
static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double median3(double a, double b, double c) {
  if (a > b) {
    double t = a;
    a = b;
    b = t;
  }
  if (b > c) b = c;
  return a > b ? a : b;
}

/* ---- scheduling points -------------------------------------------------------------------- */

typedef struct yield_world {
  uint32_t n;
  long rounds;
  uint32_t finished;
  sim_fiber_t *main;
  double t0, t1;
} yield_world_t;

static void yield_fiber(void *arg) {
  yield_world_t *w = arg;
  for (long i = 0; i < w->rounds; i++) sim_yield();
  if (++w->finished == w->n) {
    w->t1 = now_ns();
    sim_wake(w->main, 0, 0);
  }
}

static void yield_main(void *arg) {
  yield_world_t *w = arg;
  w->main = sim_current();
  for (uint32_t i = 0; i < w->n; i++) sim_spawn(NULL, yield_fiber, w, 16 * 1024, false);
  w->t0 = now_ns();
  sim_block("join", SIM_NO_TIMEOUT, NULL, NULL);
}

typedef struct rng_strategy {
  sim_rng_t rng;
  uint64_t sink;
  bool lookup;
} rng_strategy_t;

static uint32_t rng_choose(void *st, sim_decision_kind_t kind, uint32_t n, const uint32_t *labels,
                           char *why, size_t why_len) {
  rng_strategy_t *s = st;
  (void)why;
  (void)why_len;
  uint32_t c = sim_rng_below(&s->rng, n);
  if (labels != NULL)
    s->sink += labels[c];
  else if (s->lookup && kind == SIM_DECIDE_SCHEDULE)
    s->sink += sim_schedule_candidate(c);
  return c;
}

enum { STRAT_SEED, STRAT_REPLAY, STRAT_ACCESSOR, STRAT_LABELS, STRAT_COUNT };
static const char *const strat_names[STRAT_COUNT] = {"seed", "replay", "accessor", "labels"};

/* ns per scheduling point with n fibers yielding `total` times in all. */
static double yield_once(uint32_t n, long total, int strat, bool *ok) {
  yield_world_t w;
  memset(&w, 0, sizeof w);
  w.n = n;
  w.rounds = total / n;
  if (w.rounds < 20) w.rounds = 20;
  sim_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.seed = 42;
  cfg.max_steps = UINT64_MAX;
  cfg.stack_size = 16 * 1024;
  rng_strategy_t rs;
  memset(&rs, 0, sizeof rs);
  sim_rng_seed(&rs.rng, 42);
  sim_strategy_t strategy = {.state = &rs, .choose = rng_choose};
  sim_result_t rec;
  memset(&rec, 0, sizeof rec);
  if (strat == STRAT_REPLAY) {
    cfg.record_decisions = true;
    yield_world_t w0 = w;
    if (sim_run(&cfg, yield_main, &w0, &rec) != SIM_STATUS_PASS) *ok = false;
    cfg.record_decisions = false;
    cfg.source = SIM_SOURCE_REPLAY;
    cfg.replay = rec.decisions;
    cfg.replay_len = rec.n_decisions;
  } else if (strat == STRAT_ACCESSOR || strat == STRAT_LABELS) {
    rs.lookup = strat == STRAT_ACCESSOR;
    strategy.wants_labels = strat == STRAT_LABELS;
    cfg.strategy = &strategy;
  }
  sim_result_t r;
  if (sim_run(&cfg, yield_main, &w, &r) != SIM_STATUS_PASS) *ok = false;
  sim_result_free(&r);
  sim_result_free(&rec);
  return (w.t1 - w.t0) / ((double)w.rounds * (double)n);
}

static double yield_median(uint32_t n, long total, int strat, bool *ok) {
  /* the label array is O(n) per step by design: fewer steps keep the big
   * rows of that strategy to seconds */
  if (strat == STRAT_LABELS && n >= 1000) total /= 10;
  double a = yield_once(n, total, strat, ok);
  double b = yield_once(n, total, strat, ok);
  double c = yield_once(n, total, strat, ok);
  return median3(a, b, c);
}

void bench_yield_one(uint32_t n, const char *only) {
  bool ok = true;
  printf("N=%u:", (unsigned)n);
  for (int s = 0; s < STRAT_COUNT; s++)
    if (only == NULL || strcmp(only, strat_names[s]) == 0)
      printf(" %s %.1f", strat_names[s], yield_median(n, 1000000, s, &ok));
  printf("%s\n", ok ? "" : " (a run failed)");
}

/* ---- the floor: the bare switch among n stacks ------------------------------------------- */

#if !defined(IOCPSIM_FIBER_UCONTEXT)
/* What any scheduler pays here: a switch to a fiber picked at random among
 * n, touching its record (one line) and its stack top, with nothing else
 * (no decision stream, queue, trace).  Fibers are engine stacks (slabs). */
typedef struct floor_rec {
  void *sp;
  char pad[56];
} floor_rec_t;

static floor_rec_t *floor_recs[10000];
static void *floor_main_sp;
static uint32_t floor_n, floor_cur;
static long floor_steps, floor_k;
static sim_rng_t floor_rng;

static void floor_entry(void) {
  for (;;) {
    uint32_t me = floor_cur;
    if (++floor_k >= floor_steps) sim_ctx_swap_raw(&floor_recs[me]->sp, floor_main_sp);
    uint32_t nx = sim_rng_below(&floor_rng, floor_n);
    if (nx == me) nx = (nx + 1) % floor_n;
    floor_cur = nx;
    sim_ctx_swap_raw(&floor_recs[me]->sp, floor_recs[nx]->sp);
  }
}

static double floor_once(uint32_t n) {
  if (n < 2 || n > 10000) return 0;
  sim_stack_t *st = calloc(n, sizeof *st);
  if (st == NULL) abort();
  floor_n = n;
  floor_k = 0;
  floor_steps = 1000000;
  floor_cur = 0;
  sim_rng_seed(&floor_rng, 42);
  for (uint32_t i = 0; i < n; i++) {
    floor_recs[i] = calloc(1, sizeof *floor_recs[i]);
    if (floor_recs[i] == NULL || !sim_stack_alloc(&st[i], 16 * 1024)) abort();
    sim_ctx_t c;
    sim_ctx_make(&c, st[i].lo, st[i].size, floor_entry);
    floor_recs[i]->sp = c.sp;
  }
  double t0 = now_ns();
  sim_ctx_swap_raw(&floor_main_sp, floor_recs[0]->sp);
  double ns = (now_ns() - t0) / (double)floor_steps;
  for (uint32_t i = 0; i < n; i++) {
    sim_stack_release(&st[i]);
    free(floor_recs[i]);
  }
  free(st);
  return ns;
}
#else
static double floor_once(uint32_t n) {
  (void)n;
  return 0;
}
#endif

/* ---- memory per fiber --------------------------------------------------------------------- */

typedef struct mem_world {
  uint32_t n, started;
  long rss0, rss1;
} mem_world_t;

static void mem_fiber(void *arg) {
  mem_world_t *m = arg;
  m->started++;
  sim_block("hold", SIM_NO_TIMEOUT, NULL, NULL);
}

static void mem_main(void *arg) {
  mem_world_t *m = arg;
  m->rss0 = bench_rss_kib();
  for (uint32_t i = 0; i < m->n; i++)
    if (sim_spawn(NULL, mem_fiber, m, 0, false) == NULL) break;
  while (m->started < m->n) sim_block("nap", 1, NULL, NULL);
  m->rss1 = bench_rss_kib();
}

/* ---- the table ---------------------------------------------------------------------------- */

void bench_scale(bool big) {
  static const uint32_t sizes[] = {1, 10, 100, 1000, 10000};
  size_t n_sizes = big ? 5 : 4;
  double t_start = now_ns();
  printf("\niocpsim-bench --scale%s (medians of 3; N, P up to %u%s)\n", big ? " --big" : "",
         (unsigned)sizes[n_sizes - 1],
         big ? "" : "; --big adds 10,000, 100,000 threads, 50,000 sockets");

  /* scheduling points */
  printf("  ns per scheduling point, N fibers calling sim_yield (2 = the baseline of the ratio)\n");
  printf("  %-10s", "strategy");
  printf(" %9s", "N=2");
  for (size_t i = 0; i < n_sizes; i++) printf(" %8s%u", "N=", (unsigned)sizes[i]);
  printf("  %s\n", "largest/2");
  for (int s = 0; s < STRAT_COUNT; s++) {
    bool ok = true;
    double base = yield_median(2, 1000000, s, &ok);
    printf("  %-10s %9.1f", strat_names[s], base);
    double last = base;
    for (size_t i = 0; i < n_sizes; i++) {
      last = yield_median(sizes[i], 1000000, s, &ok);
      printf(" %9.1f", last);
    }
    printf("  %6.2fx%s\n", last / base, ok ? "" : "  (a run failed)");
  }
  {
    /* N = 1 has no switch; the floor starts at 2 */
    double base = median3(floor_once(2), floor_once(2), floor_once(2)), last = base;
    printf("  %-10s %9.1f %9s", "floor", base, "-");
    for (size_t i = 1; i < n_sizes; i++) {
      last = median3(floor_once(sizes[i]), floor_once(sizes[i]), floor_once(sizes[i]));
      printf(" %9.1f", last);
    }
    printf("  %6.2fx  bare switch to a random one of N fibers (record + stack), no engine\n",
           base > 0 ? last / base : 0.0);
  }

  /* core ping-pong */
  printf("  core ping-pong, P connection pairs at once (64-byte messages)\n");
  printf("  %-8s %12s %12s %9s %12s %9s %12s %12s\n", "P", "ns/op", "ns/op+dl", "dl/plain",
         "steps/op", "vs P=1", "setup s", "teardown s");
  double p1 = 0, p1dl = 0;
  for (size_t i = 0; i < n_sizes; i++) {
    uint32_t p = sizes[i];
    long rounds = 60000 / (long)p;
    if (rounds < 8) rounds = 8;
    double v[2][3];
    bench_pairs_t last[2];
    bool ok = true;
    for (int dl = 0; dl < 2; dl++) {
      for (int k = 0; k < 3; k++) {
        bench_core_pairs(p, rounds, dl != 0, 42, &last[dl]);
        if (!last[dl].ok) {
          printf("  P=%u%s failed: %s\n", (unsigned)p, dl ? " (deadline)" : "", last[dl].why);
          ok = false;
          break;
        }
        v[dl][k] = last[dl].ns_per_op;
      }
      if (!ok) break;
    }
    if (!ok) continue;
    double plain = median3(v[0][0], v[0][1], v[0][2]);
    double dl = median3(v[1][0], v[1][1], v[1][2]);
    if (p == 1) {
      p1 = plain;
      p1dl = dl;
    }
    printf("  %-8u %12.1f %12.1f %8.2fx %12.1f %4.2f/%4.2fx %12.3f %12.3f\n", (unsigned)p, plain,
           dl, dl / plain, last[0].steps_per_op, p1 > 0 ? plain / p1 : 0.0,
           p1dl > 0 ? dl / p1dl : 0.0, last[1].setup_s, last[1].teardown_s);
  }

  /* fibers and memory */
  {
    mem_world_t m = {.n = big ? 100000 : 10000};
    sim_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.expect_fibers = m.n + 1;
    sim_result_t r;
    double t0 = now_ns();
    sim_status_t st = sim_run(&cfg, mem_main, &m, &r);
    double t1 = now_ns();
    const char *limit = NULL;
    size_t room = sim_fiber_capacity(0, &limit);
    if (st != SIM_STATUS_PASS) {
      printf("  engine fibers: %s\n", r.message);
    } else {
      printf(
          "  engine fibers: %u blocked at once, %.1f KiB resident per fiber (256 KiB stacks "
          "reserved, "
          "touched lazily), world %.2f s; room for %zu more (%s)\n",
          (unsigned)m.started, (double)(m.rss1 - m.rss0) / m.n, (t1 - t0) / 1e9, room, limit);
    }
    sim_result_free(&r);
  }
  if (big) {
    bench_threads_t t;
    bench_threads(100000, &t);
    if (!t.ok)
      printf("  fake threads: failed: %s\n", t.why);
    else
      printf(
          "  fake threads: %u CreateThread'ed and parked, %.1f KiB resident per thread, setup %.2f "
          "s, "
          "teardown %.2f s\n",
          (unsigned)t.threads, t.kib_per_thread, t.setup_s, t.teardown_s);
    bench_pairs_t so;
    bench_sockets(25000, 10000, &so);
    if (!so.ok)
      printf("  sockets: failed: %s\n", so.why);
    else
      printf(
          "  sockets: 50,000 loopback TCP sockets (25,000 connections, ephemeral range "
          "10000-65535), "
          "setup %.2f s, teardown %.2f s\n",
          so.setup_s, so.teardown_s);
  }
  printf("  (scaling benchmark took %.1f s)\n", (now_ns() - t_start) / 1e9);
}
