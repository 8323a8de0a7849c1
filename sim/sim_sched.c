/* sim_sched.c: worlds, the scheduler, blocking, virtual time, liveness.
 *
 * Invariants:
 *  - exactly one context runs: w->cur (a fiber, or &w->host outside fibers);
 *  - a fiber is in the ready queue iff it is RUNNABLE and not w->cur;
 *  - the ready queue is FIFO: fibers join at the tail (woken, spawned, or
 *    preempted at a scheduling point), so candidate order never depends on
 *    addresses;
 *  - virtual time moves only when no fiber can run (it jumps to the earliest
 *    timed event) or by cfg->step_cost_ns per scheduling point;
 *  - every choice is a sim_decide() call; with one candidate nothing is drawn.
 * Fibers switch directly to each other; the host context is entered only
 * when the world ends. */
#include "sim_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

sim_world_t *sim_world_;

static sim_hook_t *hooks_head, *hooks_tail;

SIM_NORETURN static void end_world(sim_world_t *w);

/* ---- status names ------------------------------------------------------------ */

sim_exit_code_t sim_exit_code(sim_status_t status) {
  switch (status) {
    case SIM_STATUS_PASS:
      return SIM_EXIT_PASS;
    case SIM_STATUS_EXPECT_FAILED:
      return SIM_EXIT_EXPECT;
    case SIM_STATUS_DEADLOCK:
    case SIM_STATUS_LIVELOCK:
      return SIM_EXIT_LIVENESS;
    case SIM_STATUS_CRASH:
    case SIM_STATUS_INVARIANT:
      return SIM_EXIT_CRASH;
    case SIM_STATUS_REPLAY_DIVERGED:
    case SIM_STATUS_USAGE:
      return SIM_EXIT_USAGE;
  }
  return SIM_EXIT_CRASH;
}

const char *sim_status_name(sim_status_t status) {
  switch (status) {
    case SIM_STATUS_PASS:
      return "pass";
    case SIM_STATUS_EXPECT_FAILED:
      return "expectation failed";
    case SIM_STATUS_DEADLOCK:
      return "deadlock";
    case SIM_STATUS_LIVELOCK:
      return "livelock";
    case SIM_STATUS_CRASH:
      return "crash";
    case SIM_STATUS_INVARIANT:
      return "invariant violated";
    case SIM_STATUS_REPLAY_DIVERGED:
      return "replay diverged";
    case SIM_STATUS_USAGE:
      return "usage error";
  }
  return "?";
}

/* ---- hooks ----------------------------------------------------------------------- */

void sim_hook_add(sim_hook_t *hook) {
  if (hook->added_) return;
  hook->added_ = true;
  hook->next_ = NULL;
  if (hooks_tail)
    hooks_tail->next_ = hook;
  else
    hooks_head = hook;
  hooks_tail = hook;
}

static void run_end_hooks(sim_hook_t *h) {
  if (h == NULL) return;
  run_end_hooks(h->next_);
  if (h->world_end) h->world_end(h->arg);
}

/* ---- world access -------------------------------------------------------------- */

bool sim_in_world(void) {
  return sim_world_ != NULL && !sim_world_->ended;
}

bool sim_in_fiber(void) {
  sim_world_t *w = sim_world_;
  return w != NULL && !w->ended && !w->in_event && w->cur != &w->host;
}

void sim_require_fiber(const char *call) {
  sim_world_t *w = sim_world_;
  if (w == NULL || w->ended) {
    fprintf(stderr,
            "fakewin: %s called outside any simulated world (no sim_run is active); "
            "the fake Win32 API only works inside sim_run\n",
            call);
    abort();
  }
  if (w->in_event || w->cur == &w->host) {
    fprintf(stderr, "fakewin: %s called from a %s, not from a simulated thread\n", call,
            w->in_event ? "timed event" : "world hook");
    abort();
  }
}

static sim_world_t *need_fiber(const char *what) {
  sim_world_t *w = sim_world_;
  if (w == NULL || w->ended || w->in_event || w->cur == &w->host) {
    fprintf(stderr, "sim: %s must be called from a fiber of a running world\n", what);
    abort();
  }
  return w;
}

static sim_world_t *need_world(const char *what) {
  sim_world_t *w = sim_world_;
  if (w == NULL) {
    fprintf(stderr, "sim: %s called outside any world\n", what);
    abort();
  }
  return w;
}

sim_fiber_t *sim_current(void) {
  return sim_in_fiber() ? sim_world_->cur : NULL;
}
uint32_t sim_fiber_id(const sim_fiber_t *f) {
  return f->id;
}
const char *sim_fiber_name(const sim_fiber_t *f) {
  return f->name;
}
sim_fiber_state_t sim_fiber_state(const sim_fiber_t *f) {
  return f->state;
}
void *sim_fiber_user(const sim_fiber_t *f) {
  return f->user;
}
void sim_fiber_set_user(sim_fiber_t *f, void *user) {
  f->user = user;
}

void sim_fiber_set_name(sim_fiber_t *f, const char *name) {
  snprintf(f->name, sizeof f->name, "%s", name);
}

sim_fiber_t *sim_fiber_by_id(uint32_t id) {
  sim_world_t *w = sim_world_;
  if (w == NULL || id == 0 || id > w->n_fibers) return NULL;
  return w->fibers[id - 1];
}

uint64_t sim_now(void) {
  return need_world("sim_now")->now;
}

/* ---- ready queue --------------------------------------------------------------- */

static void ready_push(sim_world_t *w, sim_fiber_t *f) {
  if (f->queued) sim_fail(SIM_STATUS_INVARIANT, "fiber #%" PRIu32 " queued twice", f->id);
  f->queued = true;
  sim_ready_push(&w->ready, f);
}

/* Removes and returns the i-th ready fiber (0 = the oldest). */
static sim_fiber_t *ready_take(sim_world_t *w, uint32_t i) {
  sim_fiber_t *f = sim_ready_take(&w->ready, i);
  f->queued = false;
  return f;
}

/* Candidate labels for strategies that want them (fiber ids): O(n). */
static const uint32_t *labels_for(sim_world_t *w, bool with_current) {
  if (!w->strategy.wants_labels) return NULL;
  uint32_t need = w->ready.n + 1;
  if (w->cap_labels < need) {
    uint32_t cap = need * 2;
    uint32_t *p = realloc(w->labels, cap * sizeof *p);
    if (p == NULL) abort();
    w->labels = p;
    w->cap_labels = cap;
  }
  uint32_t n = 0;
  if (with_current) w->labels[n++] = w->cur->id;
  sim_ready_ids(&w->ready, w->labels + n);
  return w->labels;
}

/* One SCHEDULE decision over [current (if with_current), ready fibers]. */
static uint32_t decide_schedule(sim_world_t *w, bool with_current) {
  uint32_t n = w->ready.n + (with_current ? 1u : 0u);
  w->deciding_schedule = true;
  w->candidates_with_current = with_current;
  uint32_t c = sim_decide(SIM_DECIDE_SCHEDULE, n, labels_for(w, with_current));
  w->deciding_schedule = false;
  return c;
}

static sim_world_t *need_schedule_decision(const char *what) {
  sim_world_t *w = sim_world_;
  if (w == NULL || !w->deciding_schedule) {
    fprintf(stderr, "sim: %s is only valid inside a strategy's choose() for a SCHEDULE decision\n",
            what);
    abort();
  }
  return w;
}

uint32_t sim_schedule_candidate(uint32_t index) {
  sim_world_t *w = need_schedule_decision("sim_schedule_candidate");
  if (w->candidates_with_current) {
    if (index == 0) return w->cur->id;
    index--;
  }
  if (index >= w->ready.n) return 0;
  return sim_ready_at(&w->ready, index)->id;
}

uint32_t sim_schedule_index(uint32_t fiber_id) {
  sim_world_t *w = need_schedule_decision("sim_schedule_index");
  uint32_t off = w->candidates_with_current ? 1u : 0u;
  if (off && fiber_id == w->cur->id) return 0;
  sim_fiber_t *f = sim_fiber_by_id(fiber_id);
  if (f == NULL || !f->queued) return UINT32_MAX;
  return off + sim_ready_rank(&w->ready, f);
}

/* ---- switching ------------------------------------------------------------------- */

static void release_zombie(sim_world_t *w) {
  sim_fiber_t *z = w->zombie;
  if (z != NULL && z != w->cur) {
    sim_stack_release(&z->stack);
    w->zombie = NULL;
  }
}

static sim_fiber_t *switch_from_; /* the fiber that just switched away */

/* The fiber switch itself: context, sanitizer bookkeeping, stack reuse. */
static void fiber_switch(sim_world_t *w, sim_fiber_t *to) {
  sim_fiber_t *from = w->cur;
  w->cur = to;
  switch_from_ = from;
  bool dying = from->state == SIM_FIBER_DEAD;
  sim_asan_start_switch(dying ? NULL : &from->asan_fake_stack, to->asan_bottom, to->asan_size);
  sim_ctx_switch(&from->ctx, &to->ctx);
  /* resumed: someone switched back to `from` */
  sim_asan_finish_switch(from->asan_fake_stack, &switch_from_->asan_bottom,
                         &switch_from_->asan_size);
  release_zombie(sim_world_);
}

void sim_fiber_switch_raw_(sim_fiber_t *to) {
  fiber_switch(sim_world_, to);
}

/* Starts loading the top of to's saved stack (its registers and the frames
 * it returns through) while the switch's bookkeeping runs: with thousands
 * of fibers those lines are cold, and fetched one after another they cost
 * more than the rest of a scheduling point. */
static void prefetch_fiber(const sim_fiber_t *to) {
#if !defined(IOCPSIM_FIBER_UCONTEXT)
  const char *sp = to->ctx.sp;
  if (sp == NULL) return;
  for (int i = 0; i < 8; i++) __builtin_prefetch(sp + 64 * i);
#else
  (void)to;
#endif
}

/* A scheduling switch: counted and traced. */
static void switch_to(sim_world_t *w, sim_fiber_t *to) {
  if (to == w->cur) return;
  prefetch_fiber(to);
  w->switches++;
  sim_trace_switch(w, w->cur->id, to->id);
  fiber_switch(w, to);
}

static void fiber_entry(void) {
  sim_world_t *w = sim_world_;
  sim_fiber_t *self = w->cur;
  sim_asan_finish_switch(NULL, &switch_from_->asan_bottom, &switch_from_->asan_size);
  release_zombie(w);
  self->fn(self->arg);
  if (self->id == 1) {
    /* main returned: the process ends, whatever else is still running */
    self->state = SIM_FIBER_DEAD;
    w->n_live--;
    w->status = SIM_STATUS_PASS;
    end_world(w);
  }
  sim_fiber_exit();
}

/* ---- timed events: binary heap on (when, seq) -------------------------------------- */

static bool timer_before(const sim_timer_t *a, const sim_timer_t *b) {
  return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void heap_set(sim_world_t *w, uint32_t i, sim_timer_t *t) {
  w->heap[i] = t;
  t->heap_index = i;
}

static void heap_up(sim_world_t *w, uint32_t i) {
  sim_timer_t *t = w->heap[i];
  while (i > 0) {
    uint32_t p = (i - 1) / 2;
    if (!timer_before(t, w->heap[p])) break;
    heap_set(w, i, w->heap[p]);
    i = p;
  }
  heap_set(w, i, t);
}

static void heap_down(sim_world_t *w, uint32_t i) {
  sim_timer_t *t = w->heap[i];
  for (;;) {
    uint32_t l = 2 * i + 1, r = l + 1, m = i;
    sim_timer_t *best = t;
    if (l < w->n_heap && timer_before(w->heap[l], best)) {
      m = l;
      best = w->heap[l];
    }
    if (r < w->n_heap && timer_before(w->heap[r], best)) m = r;
    if (m == i) break;
    heap_set(w, i, w->heap[m]);
    i = m;
  }
  heap_set(w, i, t);
}

static void heap_remove(sim_world_t *w, sim_timer_t *t) {
  uint32_t i = t->heap_index;
  sim_timer_t *last = w->heap[--w->n_heap];
  t->heap_index = UINT32_MAX;
  if (i == w->n_heap) return;
  heap_set(w, i, last);
  heap_down(w, i);
  heap_up(w, last->heap_index);
}

void sim_timer_init(sim_timer_t *t) {
  memset(t, 0, sizeof *t);
  t->heap_index = UINT32_MAX;
}

bool sim_timer_armed(const sim_timer_t *t) {
  return t->heap_index != UINT32_MAX;
}

void sim_timer_arm(sim_timer_t *t, uint64_t when_ns, void (*fn)(void *arg), void *arg) {
  sim_world_t *w = need_world("sim_timer_arm");
  if (sim_timer_armed(t)) heap_remove(w, t);
  if (w->n_heap == w->cap_heap) {
    uint32_t cap = w->cap_heap ? w->cap_heap * 2 : 64;
    sim_timer_t **p = realloc(w->heap, cap * sizeof *p);
    if (p == NULL) abort();
    w->heap = p;
    w->cap_heap = cap;
  }
  t->when = when_ns;
  t->seq = ++w->timer_seq;
  t->fn = fn;
  t->arg = arg;
  heap_set(w, w->n_heap++, t);
  heap_up(w, t->heap_index);
}

bool sim_timer_cancel(sim_timer_t *t) {
  if (!sim_timer_armed(t)) return false;
  heap_remove(need_world("sim_timer_cancel"), t);
  return true;
}

/* sim_at storage: slots live in w->ev_slots and are reused through a free
 * list.  An id is (use count of the slot << 32) | slot index, so it finds
 * its slot in O(1) and is never handed out twice in a world. */
struct sim_ev_slot {
  sim_timer_t timer;
  sim_event_id_t id; /* 0 when free */
  uint32_t index;
  uint32_t uses;
  void (*fn)(void *);
  void *arg;
  sim_ev_slot_t *next_free;
};

static void slot_free(sim_world_t *w, sim_ev_slot_t *s) {
  s->id = 0;
  s->next_free = w->ev_free;
  w->ev_free = s;
}

static void slot_fire(void *arg) {
  sim_ev_slot_t *s = arg;
  sim_world_t *w = sim_world_;
  void (*fn)(void *) = s->fn;
  void *fa = s->arg;
  slot_free(w, s);
  fn(fa);
}

sim_event_id_t sim_at(uint64_t when_ns, void (*fn)(void *arg), void *arg) {
  sim_world_t *w = need_world("sim_at");
  sim_ev_slot_t *s = w->ev_free;
  if (s != NULL) {
    w->ev_free = s->next_free;
  } else {
    if (w->n_ev_slots == w->cap_ev_slots) {
      uint32_t cap = w->cap_ev_slots ? w->cap_ev_slots * 2 : 64;
      sim_ev_slot_t **p = realloc(w->ev_slots, cap * sizeof *p);
      if (p == NULL) abort();
      w->ev_slots = p;
      w->cap_ev_slots = cap;
    }
    s = calloc(1, sizeof *s);
    if (s == NULL) abort();
    s->index = w->n_ev_slots;
    w->ev_slots[w->n_ev_slots++] = s;
  }
  sim_timer_init(&s->timer);
  s->uses++;
  s->id = ((sim_event_id_t)s->uses << 32) | s->index;
  s->fn = fn;
  s->arg = arg;
  sim_timer_arm(&s->timer, when_ns, slot_fire, s);
  return s->id;
}

sim_event_id_t sim_after(uint64_t delay_ns, void (*fn)(void *arg), void *arg) {
  uint64_t now = sim_now();
  uint64_t when = delay_ns > UINT64_MAX - now ? UINT64_MAX : now + delay_ns;
  return sim_at(when, fn, arg);
}

bool sim_cancel(sim_event_id_t id) {
  sim_world_t *w = need_world("sim_cancel");
  uint32_t index = (uint32_t)id;
  if (id == 0 || index >= w->n_ev_slots) return false;
  sim_ev_slot_t *s = w->ev_slots[index];
  if (s->id != id || !sim_timer_armed(&s->timer)) return false;
  heap_remove(w, &s->timer);
  slot_free(w, s);
  return true;
}

/* Fires every event due at or before now, earliest first; events due at
 * the same instant are ordered by TIMER_TIE decisions. */
static void fire_due(sim_world_t *w) {
  sim_timer_t *ties[16];
  while (w->n_heap > 0 && w->heap[0]->when <= w->now) {
    sim_timer_t *t = w->heap[0];
    heap_remove(w, t);
    if (w->n_heap > 0 && w->heap[0]->when == t->when) {
      uint32_t k = 0;
      ties[k++] = t;
      while (k < 16 && w->n_heap > 0 && w->heap[0]->when == t->when) {
        ties[k] = w->heap[0];
        heap_remove(w, ties[k]);
        k++;
      }
      uint32_t c = sim_decide(SIM_DECIDE_TIMER_TIE, k, NULL);
      /* the others go back with their sequence numbers: order among them
       * is decided again next round */
      for (uint32_t i = 0; i < k; i++) {
        if (i == c) continue;
        if (w->n_heap == w->cap_heap) abort(); /* cannot happen: they were in it */
        heap_set(w, w->n_heap++, ties[i]);
        heap_up(w, ties[i]->heap_index);
      }
      t = ties[c];
    }
    bool was = w->in_event;
    w->in_event = true;
    t->fn(t->arg);
    w->in_event = was;
  }
}

/* One scheduling point's bookkeeping: budgets, step cost, due events. */
static void step(sim_world_t *w) {
  if (++w->steps > w->max_steps)
    sim_fail(SIM_STATUS_LIVELOCK,
             "livelock: step budget of %" PRIu64 " scheduling points exhausted", w->max_steps);
  if (w->step_cost) {
    w->now += w->step_cost;
    if (w->max_time && w->now > w->max_time)
      sim_fail(SIM_STATUS_LIVELOCK, "livelock: virtual time budget of %" PRIu64 " ns exhausted",
               w->max_time);
  }
  if (w->time_jitter && w->n_heap > 0) {
    uint64_t due = w->heap[0]->when;
    if (due > w->now && due - w->now <= w->time_jitter &&
        sim_decide(SIM_DECIDE_TIMING, 2, NULL) == 1) {
      w->now = due; /* the call took long enough for the event to come due */
      if (w->max_time && w->now > w->max_time)
        sim_fail(SIM_STATUS_LIVELOCK, "livelock: virtual time budget of %" PRIu64 " ns exhausted",
                 w->max_time);
    }
  }
  if (w->n_heap > 0 && w->heap[0]->when <= w->now) fire_due(w);
}

/* The current fiber cannot go on (blocked or dead): run someone else,
 * moving time forward when nobody can run.  Returns when the current fiber
 * is switched back to (never if it is dead). */
static void run_next(sim_world_t *w) {
  for (;;) {
    if (w->ready.n > 0) {
      uint32_t c = decide_schedule(w, false);
      switch_to(w, ready_take(w, c));
      return;
    }
    if (w->n_live == 0) {
      w->status = SIM_STATUS_PASS;
      end_world(w);
    }
    if (w->n_heap == 0) {
      sim_fail(SIM_STATUS_DEADLOCK,
               "deadlock: all %" PRIu32 " live fibers are blocked and no timed event is pending",
               w->n_live);
    }
    uint64_t when = w->heap[0]->when;
    if (when > w->now) w->now = when;
    if (w->max_time && w->now > w->max_time)
      sim_fail(SIM_STATUS_LIVELOCK, "livelock: virtual time budget of %" PRIu64 " ns exhausted",
               w->max_time);
    fire_due(w);
  }
}

bool sim_yield(void) {
  sim_world_t *w = need_fiber("sim_yield");
  step(w);
  if (w->ready.n == 0) return false;
  uint32_t c = decide_schedule(w, true);
  if (c == 0) return false;
  sim_fiber_t *next = ready_take(w, c - 1);
  ready_push(w, w->cur);
  switch_to(w, next);
  return true;
}

static void timeout_fired(void *arg) {
  sim_fiber_t *f = arg;
  if (f->state != SIM_FIBER_BLOCKED) return;
  f->state = SIM_FIBER_RUNNABLE;
  f->wake.reason = SIM_WAKE_TIMEOUT;
  f->wake.value = 0;
  ready_push(sim_world_, f);
}

sim_wake_t sim_block(const char *call, uint64_t timeout_ns, sim_describe_fn describe, void *ctx) {
  sim_world_t *w = need_fiber(call);
  sim_fiber_t *f = w->cur;
  f->state = SIM_FIBER_BLOCKED;
  f->block_call = call;
  f->block_describe = describe;
  f->block_ctx = ctx;
  f->block_since = w->now;
  f->wake.reason = SIM_WAKE_TIMEOUT;
  f->wake.value = 0;
  if (timeout_ns != SIM_NO_TIMEOUT) {
    uint64_t when = timeout_ns > UINT64_MAX - w->now ? UINT64_MAX : w->now + timeout_ns;
    sim_timer_arm(&f->timeout, when, timeout_fired, f);
  }
  step(w); /* a due event may wake f already: it then competes in run_next */
  run_next(w);
  sim_timer_cancel(&f->timeout);
  f->block_call = NULL;
  f->block_describe = NULL;
  f->block_ctx = NULL;
  return f->wake;
}

void sim_wake(sim_fiber_t *f, int reason, uint64_t value) {
  sim_world_t *w = need_world("sim_wake");
  if (f->state != SIM_FIBER_BLOCKED)
    sim_fail(SIM_STATUS_INVARIANT, "sim_wake: fiber #%" PRIu32 " (%s) is not blocked", f->id,
             f->name);
  sim_timer_cancel(&f->timeout);
  f->state = SIM_FIBER_RUNNABLE;
  f->wake.reason = reason;
  f->wake.value = value;
  ready_push(w, f);
}

/* ---- fibers -------------------------------------------------------------------- */

sim_fiber_t *sim_spawn(const char *name, void (*fn)(void *), void *arg, size_t stack_size,
                       bool suspended) {
  sim_world_t *w = need_world("sim_spawn");
  size_t page = sim_page_size();
  size_t size = stack_size > w->stack_size ? stack_size : w->stack_size;
  size = (size + page - 1) / page * page;
  sim_fiber_t *f = calloc(1, sizeof *f);
  if (f == NULL) abort();
  if (!sim_stack_alloc(&f->stack, size)) {
    free(f);
    return NULL;
  }
  if (w->n_fibers == w->cap_fibers) {
    uint32_t cap = w->cap_fibers ? w->cap_fibers * 2 : 16;
    sim_fiber_t **p = realloc(w->fibers, cap * sizeof *p);
    if (p == NULL) abort();
    w->fibers = p;
    w->cap_fibers = cap;
  }
  w->fibers[w->n_fibers++] = f;
  w->n_live++;
  f->id = w->n_fibers;
  if (name != NULL)
    snprintf(f->name, sizeof f->name, "%s", name);
  else
    snprintf(f->name, sizeof f->name, "fiber-%" PRIu32, f->id);
  f->fn = fn;
  f->arg = arg;
  f->asan_bottom = f->stack.lo;
  f->asan_size = f->stack.size;
  sim_timer_init(&f->timeout);
  sim_ctx_make(&f->ctx, f->stack.lo, f->stack.size, fiber_entry);
  if (suspended) {
    f->state = SIM_FIBER_SUSPENDED;
  } else {
    f->state = SIM_FIBER_RUNNABLE;
    ready_push(w, f);
  }
  return f;
}

void sim_fiber_start(sim_fiber_t *f) {
  sim_world_t *w = need_world("sim_fiber_start");
  if (f->state != SIM_FIBER_SUSPENDED)
    sim_fail(SIM_STATUS_INVARIANT, "sim_fiber_start: fiber #%" PRIu32 " is not suspended", f->id);
  f->state = SIM_FIBER_RUNNABLE;
  ready_push(w, f);
}

void sim_fiber_exit(void) {
  sim_world_t *w = need_fiber("sim_fiber_exit");
  sim_fiber_t *f = w->cur;
  step(w);
  f->state = SIM_FIBER_DEAD;
  w->n_live--;
  w->zombie = f;
  run_next(w);
  abort(); /* a dead fiber is never switched back to */
}

/* ---- ending ----------------------------------------------------------------------- */

static void end_world(sim_world_t *w) {
  if (w->cur == &w->host) {
    fprintf(stderr, "sim: the world ended from a hook (%s: %s)\n", sim_status_name(w->status),
            w->message);
    abort();
  }
  w->ended = true;
  w->in_event = false;
  sim_fiber_t *from = w->cur;
  w->cur = &w->host;
  /* the fiber left here never runs again: NULL lets ASan drop its fake stack */
  sim_asan_start_switch(NULL, w->host.asan_bottom, w->host.asan_size);
  sim_ctx_switch(&from->ctx, &w->host.ctx);
  abort();
}

void sim_fail(sim_status_t status, const char *fmt, ...) {
  sim_world_t *w = sim_world_;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (w == NULL || w->ended) {
    fprintf(stderr, "sim: failure outside a running world: %s\n", msg);
    abort();
  }
  if (status == SIM_STATUS_PASS) status = SIM_STATUS_INVARIANT;
  w->status = status;
  snprintf(w->message, sizeof w->message, "%s", msg);
  end_world(w);
}

void sim_exit_world(void) {
  sim_world_t *w = need_fiber("sim_exit_world");
  w->cur->state = SIM_FIBER_DEAD;
  w->n_live--;
  w->status = SIM_STATUS_PASS;
  end_world(w);
}

static const char *state_name(const sim_world_t *w, const sim_fiber_t *f) {
  switch (f->state) {
    case SIM_FIBER_RUNNABLE:
      return f == w->cur ? "running" : "ready";
    case SIM_FIBER_BLOCKED:
      return "blocked";
    case SIM_FIBER_SUSPENDED:
      return "suspended";
    case SIM_FIBER_DEAD:
      return "exited";
  }
  return "?";
}

static char *build_report(sim_world_t *w, sim_fiber_t *failing) {
  char *buf = NULL;
  size_t len = 0, cap = 0;
  sim_buf_printf(&buf, &len, &cap, "%s: %s\n", sim_status_name(w->status), w->message);
  sim_buf_printf(&buf, &len, &cap,
                 "at virtual time %" PRIu64 " ns, step %" PRIu64 ", %" PRIu64 " decisions\n",
                 w->now, w->steps, w->n_decisions);
  if (w->n_decisions > 0) {
    uint64_t k = w->n_decisions > SIM_DECISION_WINDOW ? w->n_decisions - SIM_DECISION_WINDOW : 0;
    sim_buf_printf(&buf, &len, &cap, "last decisions (#%" PRIu64 " on, kind choice/n):", k);
    for (; k < w->n_decisions; k++) {
      const sim_decision_t *d = &w->window[k % SIM_DECISION_WINDOW];
      sim_buf_printf(&buf, &len, &cap, " %s %" PRIu32 "/%" PRIu32,
                     sim_decision_kind_name((sim_decision_kind_t)d->kind), d->choice, d->n);
    }
    sim_buf_printf(&buf, &len, &cap, "\n");
  }
  sim_buf_printf(&buf, &len, &cap, "fibers (%" PRIu32 "):\n", w->n_fibers);
  for (uint32_t i = 0; i < w->n_fibers; i++) {
    sim_fiber_t *f = w->fibers[i];
    const char *st = f == failing && f->state == SIM_FIBER_RUNNABLE ? "running" : state_name(w, f);
    sim_buf_printf(&buf, &len, &cap, "  #%" PRIu32 " %-16s %s", f->id, f->name, st);
    if (f->state == SIM_FIBER_BLOCKED && f->block_call != NULL) {
      char detail[256];
      detail[0] = '\0';
      if (f->block_describe) f->block_describe(f->block_ctx, detail, sizeof detail);
      sim_buf_printf(&buf, &len, &cap, " in %s%s%s%s (since t=%" PRIu64 ")", f->block_call,
                     detail[0] ? " [" : "", detail, detail[0] ? "]" : "", f->block_since);
      if (sim_timer_armed(&f->timeout))
        sim_buf_printf(&buf, &len, &cap, ", times out at t=%" PRIu64, f->timeout.when);
    }
    sim_buf_printf(&buf, &len, &cap, "\n");
  }
  sim_trace_tail(w, &buf, &len, &cap);
  return buf;
}

/* ---- sim_run -------------------------------------------------------------------------- */

sim_status_t sim_run(const sim_config_t *cfg, void (*main_fn)(void *), void *arg,
                     sim_result_t *out) {
  static const sim_config_t defaults;
  memset(out, 0, sizeof *out);
  if (sim_world_ != NULL) {
    fprintf(stderr, "sim_run: called inside a running world (worlds do not nest)\n");
    abort();
  }
  if (cfg == NULL) cfg = &defaults;
  sim_world_t *w = calloc(1, sizeof *w);
  if (w == NULL) abort();
  w->cfg = cfg;
  w->max_steps = cfg->max_steps ? cfg->max_steps : SIM_DEFAULT_MAX_STEPS;
  w->max_time = cfg->max_time_ns;
  w->step_cost = cfg->step_cost_ns;
  w->time_jitter = cfg->time_jitter_ns;
  size_t page = sim_page_size();
  size_t ss = cfg->stack_size ? cfg->stack_size : SIM_DEFAULT_STACK_SIZE;
  w->stack_size = (ss + page - 1) / page * page;
  w->host.id = 0;
  snprintf(w->host.name, sizeof w->host.name, "host");
  w->cur = &w->host;
  sim_ready_init(&w->ready);
  w->record = cfg->record_decisions;

  char why[256] = "";
  if (main_fn == NULL) snprintf(why, sizeof why, "sim_run without a main function");
  if (why[0] == '\0' && cfg->expect_fibers > 0) {
    const char *limit = "";
    size_t room = sim_fiber_capacity(w->stack_size, &limit);
    if (room < cfg->expect_fibers)
      snprintf(why, sizeof why,
               "this world expects %" PRIu32
               " fibers but the kernel's %s leaves room for %zu; raise it "
               "(sysctl vm.max_map_count) or run fewer fibers",
               cfg->expect_fibers, limit, room);
  }
  if (why[0] == '\0' && !sim_strategy_setup(w, cfg, why, sizeof why)) {
    /* why is set */
  }
  if (why[0] == '\0' && !sim_trace_open(w, why, sizeof why)) {
    /* why is set */
  }
  if (why[0] != '\0') {
    out->status = SIM_STATUS_USAGE;
    out->exit_code = sim_exit_code(out->status);
    snprintf(out->message, sizeof out->message, "%s", why);
    sim_trace_close(w);
    sim_strategy_teardown(w);
    sim_ready_free(&w->ready);
    free(w);
    return out->status;
  }
  sim_guard_install();
  sim_world_ = w;
  for (sim_hook_t *h = hooks_head; h; h = h->next_)
    if (h->world_start) h->world_start(h->arg);

  sim_fiber_t *main_fiber =
      sim_spawn(cfg->main_name ? cfg->main_name : "main", main_fn, arg, 0, false);
  if (main_fiber == NULL) {
    fprintf(stderr, "sim_run: cannot allocate the main fiber's stack\n");
    abort();
  }
  ready_take(w, 0);
  w->cur = main_fiber;
  switch_from_ = &w->host;
  sim_asan_start_switch(&w->host.asan_fake_stack, main_fiber->asan_bottom, main_fiber->asan_size);
  sim_ctx_switch(&w->host.ctx, &main_fiber->ctx);
  sim_asan_finish_switch(w->host.asan_fake_stack, NULL, NULL);

  /* the world has ended; `from` fibers are abandoned where they stood */
  sim_fiber_t *failing = NULL;
  if (w->status != SIM_STATUS_PASS) {
    for (uint32_t i = 0; i < w->n_fibers; i++) {
      if (w->fibers[i]->state == SIM_FIBER_RUNNABLE && !w->fibers[i]->queued)
        failing = w->fibers[i];
    }
  }
  if (w->strategy.finish != NULL && w->status == SIM_STATUS_PASS) {
    char fwhy[256] = "";
    if (!w->strategy.finish(w->strategy.state, fwhy, sizeof fwhy)) {
      w->status = SIM_STATUS_REPLAY_DIVERGED;
      snprintf(w->message, sizeof w->message, "decision stream diverged: %s", fwhy);
    }
  }
  out->status = w->status;
  out->exit_code = sim_exit_code(w->status);
  snprintf(out->message, sizeof out->message, "%s", w->message);
  out->trace_hash = w->hash;
  out->events = w->n_events;
  out->steps = w->steps;
  out->switches = w->switches;
  out->end_time_ns = w->now;
  out->fibers_created = w->n_fibers;
  for (uint32_t i = 0; i < w->n_fibers; i++)
    out->fibers_abandoned += w->fibers[i]->state != SIM_FIBER_DEAD;
  if (w->status != SIM_STATUS_PASS) out->report = build_report(w, failing);
  out->decisions = w->rec;
  out->n_decisions = w->n_decisions;
  out->decision_hash = w->decision_hash;
  w->rec = NULL;

  run_end_hooks(hooks_head);

  for (uint32_t i = 0; i < w->n_fibers; i++) {
    sim_stack_release(&w->fibers[i]->stack);
    free(w->fibers[i]);
  }
  free(w->fibers);
  sim_ready_free(&w->ready);
  free(w->labels);
  free(w->heap);
  for (uint32_t i = 0; i < w->n_ev_slots; i++) free(w->ev_slots[i]);
  free(w->ev_slots);
  sim_trace_close(w);
  sim_strategy_teardown(w);
  sim_world_ = NULL;
  free(w);
  return out->status;
}

void sim_result_free(sim_result_t *r) {
  free(r->report);
  free(r->decisions);
  r->report = NULL;
  r->decisions = NULL;
  r->n_decisions = 0;
}
