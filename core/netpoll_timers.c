/* netpoll_timers.c: the deadline timers of the pollDescs and the clock
 * they run on.  Go arms pd.rt/pd.wt on the P's timer heap and its
 * scheduler runs them; a C program has no scheduler, so here one min-heap
 * ordered by (when, arming order) holds every armed deadline timer, and
 * the timer thread (started with the port) runs it and sleeps on an event
 * no longer than the earliest timer.  The timers do not wait for anybody
 * to poll the port: a deadline expires on time even while no thread waits
 * (the next prepare must see it, spec §3.5).  Spec: go-poll.md §3.2.  The clock is the
 * runtime's nanotime, read through QueryPerformanceCounter so that the fake
 * world's virtual clock drives it. */
#include "netpoll_int.h"

#include <stdlib.h>

typedef struct rt_timers {
  SRWLOCK lock;
  rt_timer_t **heap; /* min-heap ordered by (when, order) */
  size_t nheap;
  size_t capheap;
  uint64_t next_order;
  /* When the timer thread, if asleep, wakes by itself (INT64_MAX: only
   * when woken).  A timer armed earlier than this must wake it (Go's
   * wakeNetPoller against sched.pollUntil). */
  int64_t poll_until;
  volatile LONG64 qpc_freq; /* QueryPerformanceFrequency, cached */
  HANDLE event;             /* auto-reset: wakes the timer thread */
  HANDLE thread;
  volatile LONG wake_sig; /* the event is set and the thread has not yet seen it */
} rt_timers_t;

#define RT_TIMERS_INITIAL                                                                \
  {                                                                                      \
    .lock = SRWLOCK_INIT, .heap = NULL, .nheap = 0, .capheap = 0, .next_order = 0,       \
    .poll_until = INT64_MAX, .qpc_freq = 0, .event = NULL, .thread = NULL, .wake_sig = 0 \
  }

static rt_timers_t tm = RT_TIMERS_INITIAL;

/* ---- time ---------------------------------------------------------------- */

#define NS_PER_SEC 1000000000ULL

/* QueryPerformanceCounter ticks to nanoseconds without overflowing:
 * whole seconds and the remainder are scaled separately, and for a
 * frequency so high that remainder * 1e9 would not fit, both remainder and
 * frequency drop the same low bits (a shift chosen from the frequency
 * alone, so the result stays monotonic in ticks).  Saturates at
 * INT64_MAX. */
int64_t core_rt_ticks_to_ns(int64_t ticks, int64_t freq) {
  uint64_t t = (uint64_t)ticks;
  uint64_t f = (uint64_t)freq;
  uint64_t whole = t / f;
  uint64_t rem = t % f;
  unsigned shift = 0;
  while (((f - 1) >> shift) > UINT64_MAX / NS_PER_SEC) shift++;
  uint64_t frac = (rem >> shift) * NS_PER_SEC / (f >> shift);
  if (whole > ((uint64_t)INT64_MAX - NS_PER_SEC) / NS_PER_SEC) return INT64_MAX;
  return (int64_t)(whole * NS_PER_SEC + frac);
}

/* runtime nanotime: QueryPerformanceCounter in nanoseconds, plus one, so
 * that the value is never 0 (0 is Go's zero time.Time, "no deadline", in
 * core_fd_set_deadline; a clock that starts at 0, like a fresh virtual
 * clock, must not make "now" mean "none"). */
int64_t core_nanotime(void) {
  LONG64 freq = tm.qpc_freq;
  if (freq == 0) {
    LARGE_INTEGER f;
    if (!QueryPerformanceFrequency(&f) || f.QuadPart <= 0) {
      core_panicf("runtime: QueryPerformanceFrequency failed");
    }
    freq = f.QuadPart;
    InterlockedExchange64(&tm.qpc_freq, freq);
  }
  LARGE_INTEGER c;
  QueryPerformanceCounter(&c);
  int64_t ns = core_rt_ticks_to_ns(c.QuadPart < 0 ? 0 : c.QuadPart, freq);
  return ns == INT64_MAX ? ns : ns + 1;
}

int64_t core_now(void) {
  return core_nanotime();
}

/* ---- the heap ------------------------------------------------------------ */

static bool timer_before(const rt_timer_t *a, const rt_timer_t *b) {
  return a->when < b->when || (a->when == b->when && a->order < b->order);
}

static void heap_set(size_t i, rt_timer_t *t) {
  tm.heap[i] = t;
  t->index = i;
}

static void heap_sift_up(size_t i) {
  rt_timer_t *t = tm.heap[i];
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!timer_before(t, tm.heap[parent])) break;
    heap_set(i, tm.heap[parent]);
    i = parent;
  }
  heap_set(i, t);
}

static void heap_sift_down(size_t i) {
  rt_timer_t *t = tm.heap[i];
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= tm.nheap) break;
    if (child + 1 < tm.nheap && timer_before(tm.heap[child + 1], tm.heap[child])) child++;
    if (!timer_before(tm.heap[child], t)) break;
    heap_set(i, tm.heap[child]);
    i = child;
  }
  heap_set(i, t);
}

/* Callers hold the timer lock. */
static void heap_remove(rt_timer_t *t) {
  size_t i = t->index;
  size_t last = --tm.nheap;
  t->index = NOT_IN_HEAP;
  if (i == last) return;
  rt_timer_t *moved = tm.heap[last];
  heap_set(i, moved);
  heap_sift_down(i);
  heap_sift_up(moved->index);
}

static void heap_push(rt_timer_t *t) {
  if (tm.nheap == tm.capheap) {
    size_t cap = tm.capheap ? 2 * tm.capheap : 64;
    rt_timer_t **h = realloc(tm.heap, cap * sizeof *h);
    if (h == NULL) core_panicf("runtime: out of memory (timer heap)");
    tm.heap = h;
    tm.capheap = cap;
  }
  heap_set(tm.nheap++, t);
  heap_sift_up(t->index);
}

bool core_rt_timer_arm(rt_timer_t *t, int64_t when, timer_kind_t kind, uintptr_t seq) {
  bool wake = false;
  AcquireSRWLockExclusive(&tm.lock);
  if (t->index != NOT_IN_HEAP) heap_remove(t);
  t->when = when;
  t->kind = kind;
  t->seq = seq;
  t->order = tm.next_order++;
  t->set = true;
  heap_push(t);
  if (when < tm.poll_until) {
    tm.poll_until = when;
    wake = true;
  }
  ReleaseSRWLockExclusive(&tm.lock);
  return wake;
}

/* Go's deltimer plus `t.f = nil`.  A sleeping timer thread is not woken:
 * it wakes at the old time, finds nothing due and sleeps again. */
void core_rt_timer_disarm(rt_timer_t *t) {
  AcquireSRWLockExclusive(&tm.lock);
  if (t->index != NOT_IN_HEAP) heap_remove(t);
  t->set = false;
  ReleaseSRWLockExclusive(&tm.lock);
}

/* Fires every due timer, one at a time and outside the timer lock (the pd
 * lock comes first in the lock order).  Returns the nanoseconds until the
 * next timer, or -1 if none is armed, and records the timer thread's wake
 * time. */
int64_t core_rt_run_timers(void) {
  for (;;) {
    AcquireSRWLockExclusive(&tm.lock);
    if (tm.nheap == 0) {
      tm.poll_until = INT64_MAX;
      ReleaseSRWLockExclusive(&tm.lock);
      return -1;
    }
    rt_timer_t *t = tm.heap[0];
    int64_t now = core_nanotime();
    if (t->when > now) {
      tm.poll_until = t->when;
      ReleaseSRWLockExclusive(&tm.lock);
      return t->when - now;
    }
    heap_remove(t);
    core_rt_pd_t *pd = t->pd;
    uintptr_t seq = t->seq;
    timer_kind_t kind = t->kind;
    ReleaseSRWLockExclusive(&tm.lock);
    core_rt_deadline_fired(pd, seq, (kind & TIMER_READ) != 0, (kind & TIMER_WRITE) != 0);
  }
}

/* ---- the timer thread ------------------------------------------------------- */

/* netpoll's timeout rounding: never sleep 0 ms for a positive delay. */
static DWORD sleep_ms(int64_t delay) {
  if (delay < 0) return INFINITE;
  if (delay == 0) return 0;
  if (delay < 1000000) return 1;
  if (delay < 1000000000000000LL) return (DWORD)(delay / 1000000);
  return 1000000000; /* Go's arbitrary cap, about 11.5 days */
}

/* Runs due timers, sleeps until the next one or until woken, forever.  It
 * clears wake_sig before it runs the timers, so a timer armed after that
 * sets the event again and one armed before is seen by this turn. */
static DWORD WINAPI timer_main(LPVOID arg) {
  HANDLE event = arg;
  for (;;) {
    DWORD r = WaitForSingleObject(event, sleep_ms(core_rt_run_timers()));
    if (r == WAIT_OBJECT_0) {
      InterlockedExchange(&tm.wake_sig, 0);
    } else if (r != WAIT_TIMEOUT) {
      core_panicf("runtime: timers: WaitForSingleObject returned %lu (errno=%lu)", (unsigned long)r,
                  (unsigned long)GetLastError());
    }
  }
}

DWORD core_rt_timer_thread_start(void) {
  HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
  if (event == NULL) return GetLastError();
  /* The thread gets the event as its argument and never reads tm.event. */
  HANDLE thread = CreateThread(NULL, 0, timer_main, event, 0, NULL);
  if (thread == NULL) {
    DWORD e = GetLastError();
    CloseHandle(event);
    return e != 0 ? e : ERROR_NOT_ENOUGH_MEMORY;
  }
  tm.event = event;
  tm.thread = thread;
  return 0;
}

bool core_rt_is_timer_handle(HANDLE h) {
  return h != NULL && (h == tm.event || h == tm.thread);
}

void core_rt_timer_wake(void) {
  if (InterlockedCompareExchange(&tm.wake_sig, 1, 0) != 0) return;
  if (!SetEvent(tm.event)) {
    core_panicf("runtime: timers: SetEvent failed (errno=%lu)", (unsigned long)GetLastError());
  }
}

/* Test helper: the timer heap's invariants (each timer no earlier than its
 * parent, every index field naming its own slot, every queued timer set). */
size_t core_rt_timers_check(bool *ok) {
  AcquireSRWLockExclusive(&tm.lock);
  size_t n = tm.nheap;
  bool good = true;
  for (size_t i = 0; i < n; i++) {
    const rt_timer_t *t = tm.heap[i];
    if (t->index != i || !t->set) good = false;
    if (i > 0 && timer_before(t, tm.heap[(i - 1) / 2])) good = false;
  }
  ReleaseSRWLockExclusive(&tm.lock);
  *ok = good;
  return n;
}

void core_rt_timers_reset(void) {
  free(tm.heap);
  rt_timers_t fresh = RT_TIMERS_INITIAL;
  tm = fresh;
}
