/* sim_int.h: what the files of sim/ share among themselves.
 *
 *   sim_ctx.c     the context switch (x86-64 / aarch64 assembly, ucontext fallback)
 *   sim_fiber.c   fiber stacks: mmap + guard page, stack pool, SIGSEGV reporting
 *   sim_decide.c  the decision stream: PRNG, replay, bytes, recording
 *   sim_sched.c   worlds, the scheduler, blocking, timers, liveness
 *   sim_ready.c   the ready queue (FIFO with O(log n) take-the-i-th)
 *   sim_trace.c   trace events, hash, ring buffer, JSONL
 *
 * Only one world exists at a time (sim_world_). */
#ifndef IOCPSIM_SIM_INT_H
#define IOCPSIM_SIM_INT_H

#include <stdio.h>

#include "sim.h"

/* ---- sim_ctx.c ------------------------------------------------------------ */

#if defined(IOCPSIM_FIBER_UCONTEXT)
#include <ucontext.h>
typedef struct sim_ctx {
  ucontext_t uc;
} sim_ctx_t;
#else
/* The saved stack pointer; everything else lives on the fiber's stack. */
typedef struct sim_ctx {
  void *sp;
} sim_ctx_t;
#endif

/* Prepares `ctx` so that switching to it calls entry() on the given stack
 * (entry must never return). */
void sim_ctx_make(sim_ctx_t *ctx, void *stack_lo, size_t stack_size, void (*entry)(void));
/* Saves the current context into `from` and resumes `to`. */
void sim_ctx_switch(sim_ctx_t *from, sim_ctx_t *to);

/* ---- sim_fiber.c ---------------------------------------------------------- */

typedef struct sim_slab sim_slab_t;
typedef struct sim_stack {
  void *map;        /* the slot's base: guard pages first */
  size_t map_size;  /* guard + usable */
  void *lo;         /* lowest usable byte */
  size_t size;      /* usable bytes */
  sim_slab_t *slab; /* the mmap it is a slot of */
  uint32_t slot;
} sim_stack_t;

bool sim_stack_alloc(sim_stack_t *s, size_t size); /* size: usable, page multiple */
void sim_stack_release(sim_stack_t *s);            /* back to its slab */
void sim_stack_pool_trim(void);                    /* unmap slabs with no stack in use */
size_t sim_page_size(void);
void sim_guard_install(void); /* SIGSEGV handler + alternate stack, once per process */

/* ASan fiber annotations (no-ops without ASan). */
void sim_asan_start_switch(void **fake_stack_save, const void *bottom, size_t size);
void sim_asan_finish_switch(void *fake_stack_save, const void **bottom_old, size_t *size_old);
void sim_asan_unpoison(void *p, size_t n);

/* ---- sim_sched.c ---------------------------------------------------------- */

struct sim_fiber {
  /* what a switch touches, in the first cache line (with thousands of
   * fibers a switch is a cache miss per line it touches) */
  sim_ctx_t ctx;
  uint32_t id;
  sim_fiber_state_t state;
  uint32_t ready_pos; /* slot in the ready queue while queued */
  bool queued;
  void *asan_fake_stack;
  const void *asan_bottom; /* stack bounds as ASan knows them (host: learned) */
  size_t asan_size;

  char name[32];
  void (*fn)(void *);
  void *arg;
  void *user;
  sim_stack_t stack;

  /* while blocked */
  const char *block_call;
  sim_describe_fn block_describe;
  void *block_ctx;
  uint64_t block_since;
  sim_timer_t timeout;
  sim_wake_t wake;
};

typedef struct sim_ev_slot sim_ev_slot_t; /* sim_at storage */

/* ---- sim_ready.c ------------------------------------------------------------ */

/* The ready queue: FIFO order, push at the tail, take the i-th in O(log n)
 * (sim_ready.c states the layout and its invariants). */
typedef struct sim_ready {
  sim_fiber_t **slots;
  uint64_t *bits;
  uint32_t *fen;
  uint32_t cap, end, n;
} sim_ready_t;

void sim_ready_init(sim_ready_t *q);
void sim_ready_free(sim_ready_t *q);
void sim_ready_push(sim_ready_t *q, sim_fiber_t *f);
sim_fiber_t *sim_ready_take(sim_ready_t *q, uint32_t i);     /* i < q->n; 0 = the oldest */
sim_fiber_t *sim_ready_at(const sim_ready_t *q, uint32_t i); /* the same without removing it */
uint32_t sim_ready_rank(const sim_ready_t *q, const sim_fiber_t *f); /* f queued: its index */
uint32_t sim_ready_ids(const sim_ready_t *q,
                       uint32_t *out); /* fiber ids in FIFO order; returns n */

typedef struct sim_trace_ev {
  uint64_t t;
  uint64_t args[SIM_TRACE_MAX_ARGS];
  uint64_t ret;
  const sim_tracepoint_t *tp; /* NULL: a switch event */
  uint32_t fiber;
  uint32_t to; /* switch target */
  uint32_t err;
} sim_trace_ev_t;

#define SIM_DECISION_WINDOW 16u

typedef struct sim_world {
  const sim_config_t *cfg;
  sim_strategy_t strategy;
  void *strategy_state_mem; /* built-in strategy state */

  /* fibers, by id - 1 */
  sim_fiber_t **fibers;
  uint32_t n_fibers, cap_fibers;
  sim_fiber_t host;    /* the sim_run caller's context */
  sim_fiber_t *cur;    /* running fiber; &host when on the host */
  sim_fiber_t *zombie; /* dead fiber whose stack awaits release */
  sim_ready_t ready;
  uint32_t n_live;  /* fibers not DEAD */
  uint32_t *labels; /* scratch for SCHEDULE labels */
  uint32_t cap_labels;
  bool deciding_schedule;       /* inside a SCHEDULE decision: candidates are ... */
  bool candidates_with_current; /* ... [cur, ready...] (true) or [ready...] */

  /* clock and timed events: a binary min-heap on (when, seq) */
  uint64_t now;
  uint64_t timer_seq;
  sim_timer_t **heap;
  uint32_t n_heap, cap_heap;
  bool in_event;
  sim_ev_slot_t *ev_free;
  sim_ev_slot_t **ev_slots; /* every slot, by index (sim_at ids name them) */
  uint32_t n_ev_slots, cap_ev_slots;

  /* budgets and counters */
  uint64_t steps, max_steps, max_time, step_cost;
  uint64_t time_jitter; /* cfg->time_jitter_ns */
  uint64_t switches;
  size_t stack_size;

  /* decisions: counted and hashed always; kept whole only on request, the
   * last SIM_DECISION_WINDOW always (for reports) */
  sim_decision_t *rec;
  size_t n_rec, cap_rec;
  uint64_t n_decisions;
  uint64_t decision_hash;
  bool record;
  sim_decision_t window[SIM_DECISION_WINDOW]; /* ring: decision k at k % WINDOW */

  /* trace */
  uint64_t hash;
  uint64_t n_events;
  FILE *trace_file;
  sim_trace_ev_t *ring;
  size_t ring_cap, ring_pos;

  /* ending */
  bool ended;
  sim_status_t status;
  char message[512];
} sim_world_t;

extern sim_world_t *sim_world_;

/* Benchmarks only: switches from the running fiber straight to `to`, with
 * no scheduling, counting or tracing.  Neither fiber changes state. */
void sim_fiber_switch_raw_(sim_fiber_t *to);
#if !defined(IOCPSIM_FIBER_UCONTEXT)
void sim_ctx_swap_raw(void **save_sp, void *new_sp); /* the bare assembly */
#endif

/* sim_decide.c */
bool sim_strategy_setup(sim_world_t *w, const sim_config_t *cfg, char *why, size_t why_len);
void sim_strategy_teardown(sim_world_t *w);

/* sim_trace.c */
bool sim_trace_open(sim_world_t *w, char *why, size_t why_len);
void sim_trace_close(sim_world_t *w);
void sim_trace_switch(sim_world_t *w, uint32_t from, uint32_t to);
/* Appends the ring's events, oldest first, to a report buffer. */
void sim_trace_tail(sim_world_t *w, char **buf, size_t *len, size_t *cap);
void sim_buf_printf(char **buf, size_t *len, size_t *cap, const char *fmt, ...) SIM_PRINTF(4, 5);

#endif
