/* iocpsim_bench.c: `build/<tree>/bench/iocpsim-bench [scale]` prints, side by
 * side in one run:
 *
 *   bare switch      the engine's assembly context switch alone, between two
 *                    raw stacks (nothing else)
 *   fiber switch     the engine's fiber switch (context + bookkeeping +
 *                    sanitizer hooks, no scheduling) between two fibers
 *   swapcontext      glibc's swapcontext between two ucontexts
 *   sim_yield        a full scheduling point between two fibers that always
 *                    switches (decision, ready queue, trace event, hash)
 *   semaphore ping-pong  two fake threads bouncing through two fakewin
 *                    semaphores (ReleaseSemaphore + WaitForSingleObject on
 *                    each side), seeded scheduling, trace to hash only
 *   core TCP ping-pong   the core (core_fd_write / core_fd_read on two
 *                    loopback sockets with Init("tcp", pollable)), its
 *                    poller thread between the two sides (bench_core.c);
 *                    also as core I/O calls per second of wall time
 *   raw TCP ping-pong    the same exchange with blocking WSASend/WSARecv on
 *                    the same fake sockets, without the core (the baseline)
 *
 * All are round trips (there and back).  Times are wall clock, best of 5
 * repetitions; `scale` multiplies the iteration counts (default 1).
 * Targets from the sim engine issue: fiber switch >= 10x faster than
 * swapcontext and within 2x of the bare switch; ping-pong <= 300 ns.  From
 * the fakewin I/O issue: >= 1,000,000 core I/O operations per second. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>

#include "bench_core.h"
#include "bench_scale.h"
#include "fw_int.h"
#include "sim_int.h"

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static long iters = 2000000;

/* ---- bare switch ------------------------------------------------------------------- */

#if !defined(IOCPSIM_FIBER_UCONTEXT)
static void *bare_main_sp, *bare_peer_sp;
static void bare_peer(void) {
  for (;;) sim_ctx_swap_raw(&bare_peer_sp, bare_main_sp);
}

static double bench_bare(void) {
  static char stack[64 * 1024] __attribute__((aligned(16)));
  sim_ctx_t c;
  sim_ctx_make(&c, stack, sizeof stack, bare_peer);
  bare_peer_sp = c.sp;
  double t0 = now_ns();
  for (long i = 0; i < iters; i++) sim_ctx_swap_raw(&bare_main_sp, bare_peer_sp);
  return (now_ns() - t0) / (double)iters;
}
#endif

/* ---- swapcontext --------------------------------------------------------------------- */

static ucontext_t uc_main, uc_peer;
static void uc_peer_fn(void) {
  for (;;) swapcontext(&uc_peer, &uc_main);
}

static double bench_swapcontext(void) {
  static char stack[64 * 1024] __attribute__((aligned(16)));
  getcontext(&uc_peer);
  uc_peer.uc_stack.ss_sp = stack;
  uc_peer.uc_stack.ss_size = sizeof stack;
  uc_peer.uc_link = NULL;
  makecontext(&uc_peer, uc_peer_fn, 0);
  long n = iters / 10;
  double t0 = now_ns();
  for (long i = 0; i < n; i++) swapcontext(&uc_main, &uc_peer);
  return (now_ns() - t0) / (double)n;
}

/* ---- fiber switch -------------------------------------------------------------------------- */

static sim_fiber_t *fa, *fb;
static double fiber_result;

static void fiber_peer(void *arg) {
  (void)arg;
  for (;;) sim_fiber_switch_raw_(fa);
}

static void fiber_main(void *arg) {
  (void)arg;
  fa = sim_current();
  fb = sim_spawn("peer", fiber_peer, NULL, 0,
                 true); /* suspended: never scheduled, only switched to */
  double t0 = now_ns();
  for (long i = 0; i < iters; i++) sim_fiber_switch_raw_(fb);
  fiber_result = (now_ns() - t0) / (double)iters;
}

static double bench_fiber(void) {
  sim_result_t r;
  sim_run(NULL, fiber_main, NULL, &r);
  sim_result_free(&r);
  return fiber_result;
}

/* ---- sim_yield --------------------------------------------------------------------------- */

static uint32_t always_switch(void *st, sim_decision_kind_t kind, uint32_t n,
                              const uint32_t *labels, char *why, size_t why_len) {
  (void)st;
  (void)kind;
  (void)labels;
  (void)why;
  (void)why_len;
  return n - 1; /* the other fiber */
}

static volatile int yield_stop;
static double yield_result;
static void yield_peer(void *arg) {
  (void)arg;
  while (!yield_stop) sim_yield();
}

static void yield_main(void *arg) {
  (void)arg;
  yield_stop = 0;
  sim_spawn("peer", yield_peer, NULL, 0, false);
  long n = iters / 2;
  double t0 = now_ns();
  for (long i = 0; i < n; i++) sim_yield();
  yield_result = (now_ns() - t0) / (double)n;
  yield_stop = 1;
}

static double bench_yield(void) {
  sim_strategy_t st = {
      .state = NULL, .wants_labels = false, .choose = always_switch, .finish = NULL};
  sim_config_t cfg = {.strategy = &st, .max_steps = UINT64_MAX};
  sim_result_t r;
  sim_run(&cfg, yield_main, NULL, &r);
  sim_result_free(&r);
  return yield_result;
}

/* ---- semaphore ping-pong -------------------------------------------------------------------- */

static HANDLE s_ping, s_pong;
static long pp_rounds;
static double pp_result;

static DWORD WINAPI pong_thread(LPVOID p) {
  (void)p;
  for (long i = 0; i < pp_rounds; i++) {
    WaitForSingleObject(s_ping, INFINITE);
    ReleaseSemaphore(s_pong, 1, NULL);
  }
  return 0;
}

static void pingpong_main(void *arg) {
  (void)arg;
  s_ping = CreateSemaphoreA(NULL, 0, 1, NULL);
  s_pong = CreateSemaphoreA(NULL, 0, 1, NULL);
  HANDLE t = CreateThread(NULL, 0, pong_thread, NULL, 0, NULL);
  double t0 = now_ns();
  for (long i = 0; i < pp_rounds; i++) {
    ReleaseSemaphore(s_ping, 1, NULL);
    WaitForSingleObject(s_pong, INFINITE);
  }
  pp_result = (now_ns() - t0) / (double)pp_rounds;
  WaitForSingleObject(t, INFINITE);
  CloseHandle(t);
  CloseHandle(s_ping);
  CloseHandle(s_pong);
}

static uint64_t pp_hash;
static double bench_pingpong(void) {
  pp_rounds = iters / 10;
  sim_config_t cfg = {.seed = 42, .max_steps = UINT64_MAX};
  sim_result_t r;
  sim_run(&cfg, pingpong_main, NULL, &r);
  pp_hash = r.trace_hash;
  if (r.status != SIM_STATUS_PASS) printf("ping-pong run failed: %s\n", r.message);
  sim_result_free(&r);
  return pp_result;
}

/* ---- TCP ping-pong through the core, and without it ---------------------------------------- */

#define TCP_MSG 64
static bench_pingpong_t core_pp, raw_pp;

static void best_pingpong(void (*fn)(long, uint32_t, uint64_t, bench_pingpong_t *),
                          bench_pingpong_t *best) {
  long rounds = iters / 20;
  if (rounds < 100) rounds = 100;
  memset(best, 0, sizeof *best);
  for (int i = 0; i < 5; i++) {
    bench_pingpong_t r;
    fn(rounds, TCP_MSG, 42, &r);
    if (!r.ok) {
      *best = r; /* a failed run is reported, not timed */
      return;
    }
    if (!best->ok || r.ns_per_rt < best->ns_per_rt) *best = r;
  }
}

static double best_of(double (*fn)(void)) {
  double best = 1e30;
  for (int i = 0; i < 5; i++) {
    double v = fn();
    if (v < best) best = v;
  }
  return best;
}

int main(int argc, char **argv) {
  bool scale_only = false, big = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--pairs") == 0 && i + 1 < argc) {
      /* one core ping-pong world, for profiling: --pairs P [--deadline] */
      uint32_t p = (uint32_t)atol(argv[++i]);
      bool dl = i + 1 < argc && strcmp(argv[i + 1], "--deadline") == 0;
      long rounds = 60000 / (long)(p ? p : 1);
      bench_pairs_t r;
      bench_core_pairs(p ? p : 1, rounds < 8 ? 8 : rounds, dl, 42, &r);
      if (!r.ok)
        printf("failed: %s\n", r.why);
      else
        printf("P=%u%s: %.1f ns/op, %.1f steps/op, setup %.3f s, teardown %.3f s\n", (unsigned)p,
               dl ? " deadline" : "", r.ns_per_op, r.steps_per_op, r.setup_s, r.teardown_s);
      return 0;
    }
    if (strcmp(argv[i], "--yield") == 0 && i + 1 < argc) {
      uint32_t n = (uint32_t)atol(argv[++i]);
      bench_yield_one(n, i + 1 < argc ? argv[i + 1] : NULL);
      return 0;
    }
    if (strcmp(argv[i], "--scale") == 0)
      scale_only = true;
    else if (strcmp(argv[i], "--big") == 0)
      big = true;
    else
      iters = (long)(2000000 * atof(argv[i]));
  }
  if (iters < 1000) iters = 1000;
  if (scale_only) {
    bench_scale(big);
    return 0;
  }
#if !defined(IOCPSIM_FIBER_UCONTEXT)
  double bare = best_of(bench_bare);
#else
  double bare = 0;
#endif
  double fiber = best_of(bench_fiber);
  double uc = best_of(bench_swapcontext);
  double yield = best_of(bench_yield);
  double pp = best_of(bench_pingpong);
  best_pingpong(bench_core_pingpong, &core_pp);
  best_pingpong(bench_raw_pingpong, &raw_pp);

  printf("iocpsim-bench (round trips, best of 5, %ld iterations)\n", iters);
  printf("  %-36s %9s %s\n", "benchmark", "ns/rt", "note");
#if !defined(IOCPSIM_FIBER_UCONTEXT)
  printf("  %-36s %9.1f\n", "bare register-save switch", bare);
#else
  printf("  %-36s %9s  (ucontext build: no assembly switch)\n", "bare register-save switch", "-");
#endif
  if (bare > 0)
    printf("  %-36s %9.1f  %.2fx bare (target <= 2x)\n", "fiber switch (engine)", fiber,
           fiber / bare);
  else
    printf("  %-36s %9.1f\n", "fiber switch (engine)", fiber);
  printf("  %-36s %9.1f  %.1fx slower than fiber switch (target >= 10x)\n", "swapcontext", uc,
         uc / fiber);
  printf("  %-36s %9.1f  full scheduling point, always switching\n", "sim_yield", yield);
  printf("  %-36s %9.1f  target <= 300 ns (trace hash %016llx)\n", "fake semaphore ping-pong", pp,
         (unsigned long long)pp_hash);
  if (!raw_pp.ok) {
    printf("  %-36s failed: %s\n", "raw TCP ping-pong", raw_pp.why);
  } else {
    printf("  %-36s %9.1f  %d-byte messages, blocking WSASend/WSARecv (%.0f calls/s)\n",
           "raw TCP ping-pong (no core)", raw_pp.ns_per_rt, TCP_MSG, raw_pp.ops_per_sec);
  }
  if (!core_pp.ok) {
    printf("  %-36s failed: %s\n", "core TCP ping-pong", core_pp.why);
  } else {
    printf(
        "  %-36s %9.1f  %.2fx raw (target <= 3x), %.1fx semaphore ping-pong (trace hash %016llx)\n",
        "core TCP ping-pong", core_pp.ns_per_rt,
        raw_pp.ok ? core_pp.ns_per_rt / raw_pp.ns_per_rt : 0.0, core_pp.ns_per_rt / pp,
        (unsigned long long)core_pp.trace_hash);
    printf("  %-36s %9.0f  core I/O operations per second of wall time (target >= 1000000)\n",
           "core I/O ops/s", core_pp.ops_per_sec);
    printf(
        "  %-36s %9.1f  scheduling points per round trip (raw: %.1f); trace events %.1f (raw: "
        "%.1f)\n",
        "core ping-pong work", core_pp.steps_per_rt, raw_pp.steps_per_rt, core_pp.events_per_rt,
        raw_pp.events_per_rt);
  }
  bench_scale(big);
  return 0;
}
