/* netpoll.c: ports the pollDesc of runtime/netpoll.go (Go 1.21/1.22 line:
 * rg/wg wait states, read/write deadlines with sequence-checked timers) and
 * the completion-port poller of runtime/netpoll_windows.go of the seed's
 * generation (key = pollDesc, net_op head with errno/qty written by the
 * poller, WSAGetOverlappedResult per packet).  Spec: go-poll.md §3.2, §3.3.
 * docs/netpoll.md tells the whole story; the comments here state invariants.
 *
 * Go's runtime polls the port from its scheduler and parks goroutines.  A C
 * program has neither, so:
 *   - one poller thread (started with the port) loops on
 *     GetQueuedCompletionStatusEx with a timeout that reaches the earliest
 *     armed deadline timer, and fires expired timers itself;
 *   - a parked goroutine is a thread waiting on its pollDesc's per-mode
 *     semaphore.
 * Threads, waits, locks and time all go through Win32, so in the fake world
 * the simulator schedules the poller like any other thread. */
#include "core_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- pollDesc ------------------------------------------------------------ */

/* Wait state of one mode (Go's rg/wg).  Go stores the parked goroutine's
 * pointer in place of pdWait; here PD_PARKED says "a thread committed to
 * sleeping on the mode's semaphore", and only the CAS that takes the state
 * away from PD_PARKED may release that semaphore. */
enum { PD_NIL = 0, PD_READY = 1, PD_WAIT = 2, PD_PARKED = 3 };

/* Go's atomicInfo bits, published under pd->lock for lock-free readers.
 * (eventErr, bit 2, is never set on Windows, so pollErrNotPollable never
 * arises here.) */
enum { INFO_CLOSING = 1, INFO_EXPIRED_READ = 4, INFO_EXPIRED_WRITE = 8 };

typedef enum timer_kind { TIMER_READ = 1, TIMER_WRITE = 2, TIMER_BOTH = 3 } timer_kind_t;

#define NOT_IN_HEAP ((size_t)-1)

/* A deadline timer (Go's pd.rt / pd.wt).  Every field except pd is
 * protected by the timer lock. */
typedef struct rt_timer {
  core_rt_pd_t *pd;
  int64_t when;   /* absolute core_nanotime */
  uint64_t order; /* arming order: breaks ties in `when` (never the address) */
  uintptr_t seq;  /* pd's rseq/wseq when armed; a mismatch at firing = stale */
  timer_kind_t kind;
  bool set;     /* Go's t.f != nil: armed, possibly already fired */
  size_t index; /* slot in the timer heap, NOT_IN_HEAP when not queued */
} rt_timer_t;

struct core_rt_pd {
  SRWLOCK lock; /* Go's pd.lock: closing, rd, wd, seqs, timers */
  HANDLE fd;
  volatile LONG info; /* INFO_* bits */
  volatile LONG rg;   /* PD_* */
  volatile LONG wg;
  HANDLE rsema; /* a parked reader sleeps here; at most one release pending */
  HANDLE wsema;
  bool closing;
  int64_t rd; /* read deadline: 0 none, < 0 expired, > 0 absolute nanotime */
  int64_t wd;
  uintptr_t rseq; /* bumped to invalidate armed read timers */
  uintptr_t wseq;
  rt_timer_t rt; /* read timer, or the combined one when rd == wd > 0 */
  rt_timer_t wt;
  core_rt_pd_t *link; /* free list */
  core_rt_pd_t *all;  /* every pd ever allocated (for core_rt_reset) */
};

/* ---- process-wide state -------------------------------------------------- */

typedef struct rt_state {
  /* poll server: created once by core_rt_poll_server_init */
  SRWLOCK init_lock;
  volatile LONG ready; /* 1 once port and poller thread exist */
  HANDLE port;         /* Go's iocphandle; INVALID_HANDLE_VALUE before init */
  HANDLE thread;
  volatile LONG wake_sig; /* Go's netpollWakeSig: a break packet is queued */

  /* pollDesc cache: pds are never given back to the allocator, because a
   * completion packet may still name one after its FD was closed (F8) */
  SRWLOCK cache_lock;
  core_rt_pd_t *free;
  core_rt_pd_t *all;

  /* deadline timers, a min-heap ordered by (when, order) */
  SRWLOCK timer_lock;
  rt_timer_t **heap;
  size_t nheap;
  size_t capheap;
  uint64_t next_order;
  /* When the poller, if asleep, wakes by itself (INT64_MAX: only on a
   * packet).  A timer armed earlier than this must break the poller's
   * sleep (Go's wakeNetPoller against sched.pollUntil). */
  int64_t poll_until;

  volatile LONG64 qpc_freq; /* QueryPerformanceFrequency, cached */
} rt_state_t;

#define RT_STATE_INITIAL                                                                 \
  {                                                                                      \
    .init_lock = SRWLOCK_INIT, .ready = 0, .port = INVALID_HANDLE_VALUE, .thread = NULL, \
    .wake_sig = 0, .cache_lock = SRWLOCK_INIT, .free = NULL, .all = NULL,                \
    .timer_lock = SRWLOCK_INIT, .heap = NULL, .nheap = 0, .capheap = 0, .next_order = 0, \
    .poll_until = INT64_MAX, .qpc_freq = 0                                               \
  }

static rt_state_t rt = RT_STATE_INITIAL;

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
  LONG64 freq = rt.qpc_freq;
  if (freq == 0) {
    LARGE_INTEGER f;
    if (!QueryPerformanceFrequency(&f) || f.QuadPart <= 0) {
      core_panicf("runtime: QueryPerformanceFrequency failed");
    }
    freq = f.QuadPart;
    InterlockedExchange64(&rt.qpc_freq, freq);
  }
  LARGE_INTEGER c;
  QueryPerformanceCounter(&c);
  int64_t ns = core_rt_ticks_to_ns(c.QuadPart < 0 ? 0 : c.QuadPart, freq);
  return ns == INT64_MAX ? ns : ns + 1;
}

int64_t core_now(void) {
  return core_nanotime();
}

/* ---- poll server: port and poller thread --------------------------------- */

static void netpoll_break(void);
static DWORD WINAPI poller_main(LPVOID arg);

/* netpollinit, once per process.  Failure is fatal, as Go's throw. */
void core_rt_poll_server_init(void) {
  if (rt.ready) return;
  AcquireSRWLockExclusive(&rt.init_lock);
  if (!rt.ready) {
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0xFFFFFFFF);
    if (port == NULL) {
      DWORD e = GetLastError();
      ReleaseSRWLockExclusive(&rt.init_lock);
      core_panicf("runtime: netpollinit failed: CreateIoCompletionPort (errno=%lu)",
                  (unsigned long)e);
    }
    /* The thread gets the port as its argument and never reads rt.port. */
    HANDLE thread = CreateThread(NULL, 0, poller_main, port, 0, NULL);
    if (thread == NULL) {
      DWORD e = GetLastError();
      CloseHandle(port);
      ReleaseSRWLockExclusive(&rt.init_lock);
      core_panicf("runtime: netpollinit failed: CreateThread (errno=%lu)", (unsigned long)e);
    }
    rt.port = port;
    rt.thread = thread;
    InterlockedExchange(&rt.ready, 1);
  }
  ReleaseSRWLockExclusive(&rt.init_lock);
}

/* Go's netpollIsPollDescriptor: a plain comparison with iocphandle, which
 * is INVALID_HANDLE_VALUE until the server starts (so, as in Go, that value
 * "is" the poll descriptor before then). */
bool core_rt_is_poll_descriptor(HANDLE h) {
  return h == rt.port;
}

HANDLE core_rt_port(void) {
  return rt.port;
}

/* netpollBreak: make the sleeping poller return, at most one packet in
 * flight.  The poller clears wake_sig when it dequeues the packet. */
static void netpoll_break(void) {
  if (InterlockedCompareExchange(&rt.wake_sig, 1, 0) != 0) return;
  if (!PostQueuedCompletionStatus(rt.port, 0, 0, NULL)) {
    core_panicf("runtime: netpoll: PostQueuedCompletionStatus failed (errno=%lu)",
                (unsigned long)GetLastError());
  }
}

/* ---- pollDesc cache ------------------------------------------------------ */

static int pd_alloc(core_rt_pd_t **out) {
  core_rt_pd_t *pd;
  AcquireSRWLockExclusive(&rt.cache_lock);
  pd = rt.free;
  if (pd != NULL) rt.free = pd->link;
  ReleaseSRWLockExclusive(&rt.cache_lock);
  if (pd == NULL) {
    pd = calloc(1, sizeof *pd);
    if (pd == NULL) return ERROR_NOT_ENOUGH_MEMORY;
    InitializeSRWLock(&pd->lock);
    /* Maximum 1: a release happens only for a thread in PD_PARKED, and
     * there is at most one per mode ("double wait" otherwise). */
    pd->rsema = CreateSemaphoreA(NULL, 0, 1, NULL);
    pd->wsema = pd->rsema != NULL ? CreateSemaphoreA(NULL, 0, 1, NULL) : NULL;
    if (pd->wsema == NULL) {
      DWORD e = GetLastError();
      if (pd->rsema != NULL) CloseHandle(pd->rsema);
      free(pd);
      return e != 0 ? (int)e : CORE_EINVAL;
    }
    pd->rt.pd = pd;
    pd->rt.index = NOT_IN_HEAP;
    pd->wt.pd = pd;
    pd->wt.index = NOT_IN_HEAP;
    AcquireSRWLockExclusive(&rt.cache_lock);
    pd->all = rt.all;
    rt.all = pd;
    ReleaseSRWLockExclusive(&rt.cache_lock);
  }
  *out = pd;
  return 0;
}

/* Back to the cache, never to the allocator.  Reuse is safe against stale
 * timers because poll_open and poll_unblock bump rseq/wseq; a packet is
 * taken as ours only if its OVERLAPPED names the pd as well as its key. */
static void pd_free(core_rt_pd_t *pd) {
  AcquireSRWLockExclusive(&rt.cache_lock);
  pd->link = rt.free;
  rt.free = pd;
  ReleaseSRWLockExclusive(&rt.cache_lock);
}

/* ---- timers -------------------------------------------------------------- */

static bool timer_before(const rt_timer_t *a, const rt_timer_t *b) {
  return a->when < b->when || (a->when == b->when && a->order < b->order);
}

static void heap_set(size_t i, rt_timer_t *t) {
  rt.heap[i] = t;
  t->index = i;
}

static void heap_sift_up(size_t i) {
  rt_timer_t *t = rt.heap[i];
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!timer_before(t, rt.heap[parent])) break;
    heap_set(i, rt.heap[parent]);
    i = parent;
  }
  heap_set(i, t);
}

static void heap_sift_down(size_t i) {
  rt_timer_t *t = rt.heap[i];
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= rt.nheap) break;
    if (child + 1 < rt.nheap && timer_before(rt.heap[child + 1], rt.heap[child])) child++;
    if (!timer_before(rt.heap[child], t)) break;
    heap_set(i, rt.heap[child]);
    i = child;
  }
  heap_set(i, t);
}

/* Callers hold the timer lock. */
static void heap_remove(rt_timer_t *t) {
  size_t i = t->index;
  size_t last = --rt.nheap;
  t->index = NOT_IN_HEAP;
  if (i == last) return;
  rt_timer_t *moved = rt.heap[last];
  heap_set(i, moved);
  heap_sift_down(i);
  heap_sift_up(moved->index);
}

static void heap_push(rt_timer_t *t) {
  if (rt.nheap == rt.capheap) {
    size_t cap = rt.capheap ? 2 * rt.capheap : 64;
    rt_timer_t **h = realloc(rt.heap, cap * sizeof *h);
    if (h == NULL) core_panicf("runtime: out of memory (timer heap)");
    rt.heap = h;
    rt.capheap = cap;
  }
  heap_set(rt.nheap++, t);
  heap_sift_up(t->index);
}

/* Go's resettimer/modtimer: (re)queue t to fire at `when`.  Returns true
 * if the poller must be woken to shorten its sleep. */
static bool timer_arm(rt_timer_t *t, int64_t when, timer_kind_t kind, uintptr_t seq) {
  bool wake = false;
  AcquireSRWLockExclusive(&rt.timer_lock);
  if (t->index != NOT_IN_HEAP) heap_remove(t);
  t->when = when;
  t->kind = kind;
  t->seq = seq;
  t->order = rt.next_order++;
  t->set = true;
  heap_push(t);
  if (when < rt.poll_until) {
    rt.poll_until = when;
    wake = true;
  }
  ReleaseSRWLockExclusive(&rt.timer_lock);
  return wake;
}

/* Go's deltimer plus `t.f = nil`.  A sleeping poller is not woken: it
 * wakes at the old time, finds nothing due and sleeps again. */
static void timer_disarm(rt_timer_t *t) {
  AcquireSRWLockExclusive(&rt.timer_lock);
  if (t->index != NOT_IN_HEAP) heap_remove(t);
  t->set = false;
  ReleaseSRWLockExclusive(&rt.timer_lock);
}

/* ---- wait states (netpollblock / netpollunblock) ------------------------- */

static volatile LONG *mode_state(core_rt_pd_t *pd, int mode) {
  return mode == 'w' ? &pd->wg : &pd->rg;
}

static HANDLE mode_sema(core_rt_pd_t *pd, int mode) {
  return mode == 'w' ? pd->wsema : pd->rsema;
}

/* Go's publishInfo; callers hold pd->lock. */
static void publish_info(core_rt_pd_t *pd) {
  LONG info = 0;
  if (pd->closing) info |= INFO_CLOSING;
  if (pd->rd < 0) info |= INFO_EXPIRED_READ;
  if (pd->wd < 0) info |= INFO_EXPIRED_WRITE;
  InterlockedExchange(&pd->info, info);
}

/* netpollcheckerr. */
static int check_err(core_rt_pd_t *pd, int mode) {
  LONG info = pd->info;
  if (info & INFO_CLOSING) return CORE_POLL_ERR_CLOSING;
  if ((mode == 'r' && (info & INFO_EXPIRED_READ)) || (mode == 'w' && (info & INFO_EXPIRED_WRITE))) {
    return CORE_POLL_ERR_TIMEOUT;
  }
  return CORE_POLL_NO_ERROR;
}

/* Wakes the thread that netpollunblock took out of PD_PARKED. */
static void wake_parked(core_rt_pd_t *pd, int mode) {
  if (!ReleaseSemaphore(mode_sema(pd, mode), 1, NULL)) {
    core_panicf("runtime: netpoll: ReleaseSemaphore failed (errno=%lu)",
                (unsigned long)GetLastError());
  }
}

/* netpollunblock: moves the mode to READY (ioready, a completion) or NIL
 * (close or deadline; these never manufacture readiness and do nothing to
 * an idle mode).  Returns true if a parked thread must now be woken. */
static bool netpoll_unblock(core_rt_pd_t *pd, int mode, bool ioready) {
  volatile LONG *gpp = mode_state(pd, mode);
  for (;;) {
    LONG old = *gpp;
    if (old == PD_READY) return false;
    if (old == PD_NIL && !ioready) return false;
    LONG new_ = ioready ? PD_READY : PD_NIL;
    if (InterlockedCompareExchange(gpp, new_, old) == old) return old == PD_PARKED;
  }
}

/* netpollblock: true if a completion was (or becomes) ready, false if the
 * wait was cut short by close or a deadline.  With waitio, close and
 * deadlines are ignored and only a completion ends the sleep. */
static bool netpoll_block(core_rt_pd_t *pd, int mode, bool waitio) {
  volatile LONG *gpp = mode_state(pd, mode);
  for (;;) {
    if (InterlockedCompareExchange(gpp, PD_NIL, PD_READY) == PD_READY) return true;
    if (InterlockedCompareExchange(gpp, PD_WAIT, PD_NIL) == PD_NIL) break;
    /* Only one waiter per mode: fdMutex's read/write lock guarantees it. */
    LONG v = *gpp;
    if (v != PD_READY && v != PD_NIL) core_panicf("runtime: double wait");
  }
  /* Re-check after announcing PD_WAIT: unblockers store closing/rd/wd and
   * publish before reading the wait state, so one of us sees the other. */
  if (waitio || check_err(pd, mode) == CORE_POLL_NO_ERROR) {
    /* Go's gopark commit: sleep only if nobody has taken PD_WAIT away. */
    if (InterlockedCompareExchange(gpp, PD_PARKED, PD_WAIT) == PD_WAIT) {
      DWORD r = WaitForSingleObject(mode_sema(pd, mode), INFINITE);
      if (r != WAIT_OBJECT_0) {
        core_panicf("runtime: netpoll: WaitForSingleObject returned %lu (errno=%lu)",
                    (unsigned long)r, (unsigned long)GetLastError());
      }
    }
  }
  /* Whoever woke us has already replaced PD_PARKED; keep a READY that
   * raced with us. */
  LONG old = InterlockedExchange(gpp, PD_NIL);
  if (old > PD_WAIT) core_panicf("runtime: corrupted polldesc");
  return old == PD_READY;
}

/* ---- runtime_poll* ------------------------------------------------------- */

/* poll_runtime_pollOpen + netpollopen: associates h with the port, key =
 * the pd.  Returns 0 or the Win32 error of CreateIoCompletionPort. */
int core_rt_poll_open(HANDLE h, core_rt_pd_t **out) {
  core_rt_pd_t *pd;
  *out = NULL;
  int err = pd_alloc(&pd);
  if (err != 0) return err;
  AcquireSRWLockExclusive(&pd->lock);
  LONG wg = pd->wg;
  LONG rg = pd->rg;
  if (wg != PD_NIL && wg != PD_READY) {
    ReleaseSRWLockExclusive(&pd->lock);
    core_panicf("runtime: blocked write on free polldesc");
  }
  if (rg != PD_NIL && rg != PD_READY) {
    ReleaseSRWLockExclusive(&pd->lock);
    core_panicf("runtime: blocked read on free polldesc");
  }
  pd->fd = h;
  pd->closing = false;
  pd->rseq++;
  InterlockedExchange(&pd->rg, PD_NIL);
  pd->rd = 0;
  pd->wseq++;
  InterlockedExchange(&pd->wg, PD_NIL);
  pd->wd = 0;
  publish_info(pd);
  ReleaseSRWLockExclusive(&pd->lock);

  if (CreateIoCompletionPort(h, rt.port, (ULONG_PTR)pd, 0) == NULL) {
    DWORD e = GetLastError();
    pd_free(pd);
    /* Go would take a zero last error for success; a handle left outside
     * the port would then hang every wait, so report EINVAL instead. */
    return e != 0 ? (int)e : CORE_EINVAL;
  }
  *out = pd;
  return 0;
}

/* poll_runtime_pollClose: only after pollUnblock, and with nobody left
 * waiting.  netpollclose has nothing to do on Windows (the handle leaves
 * the port when it is closed). */
void core_rt_poll_close(core_rt_pd_t *pd) {
  AcquireSRWLockExclusive(&pd->lock);
  bool closing = pd->closing;
  LONG wg = pd->wg;
  LONG rg = pd->rg;
  ReleaseSRWLockExclusive(&pd->lock);
  if (!closing) core_panicf("runtime: close polldesc w/o unblock");
  if (wg != PD_NIL && wg != PD_READY) core_panicf("runtime: blocked write on closing polldesc");
  if (rg != PD_NIL && rg != PD_READY) core_panicf("runtime: blocked read on closing polldesc");
  pd_free(pd);
}

/* poll_runtime_pollReset (pollDesc.prepare): fail fast on close or an
 * expired deadline, else forget a stale ready notification. */
int core_rt_poll_reset(core_rt_pd_t *pd, int mode) {
  int err = check_err(pd, mode);
  if (err != CORE_POLL_NO_ERROR) return err;
  if (mode == 'r' || mode == 'w') InterlockedExchange(mode_state(pd, mode), PD_NIL);
  return CORE_POLL_NO_ERROR;
}

/* poll_runtime_pollWait. */
int core_rt_poll_wait(core_rt_pd_t *pd, int mode) {
  int err = check_err(pd, mode);
  if (err != CORE_POLL_NO_ERROR) return err;
  while (!netpoll_block(pd, mode, false)) {
    err = check_err(pd, mode);
    if (err != CORE_POLL_NO_ERROR) return err;
    /* Woken by a deadline that was then extended before we ran: sleep
     * again as if nothing had happened. */
  }
  return CORE_POLL_NO_ERROR;
}

/* poll_runtime_pollWaitCanceled: after CancelIoEx the kernel still owns
 * the OVERLAPPED and the buffer until the operation's packet has been
 * delivered, so wait for exactly that, ignoring close and deadlines. */
void core_rt_poll_wait_canceled(core_rt_pd_t *pd, int mode) {
  while (!netpoll_block(pd, mode, true)) {
  }
}

/* poll_runtime_pollSetDeadline.  d: 0 none, < 0 already expired, > 0
 * relative nanoseconds.  mode: 'r', 'w' or 'r'+'w'. */
void core_rt_poll_set_deadline(core_rt_pd_t *pd, int64_t d, int mode) {
  AcquireSRWLockExclusive(&pd->lock);
  if (pd->closing) {
    ReleaseSRWLockExclusive(&pd->lock);
    return;
  }
  int64_t rd0 = pd->rd;
  int64_t wd0 = pd->wd;
  bool combo0 = rd0 > 0 && rd0 == wd0;
  if (d > 0) {
    int64_t now = core_nanotime();
    /* A future deadline too far away to represent is "the end of time". */
    d = d > INT64_MAX - now ? INT64_MAX : d + now;
  }
  if (mode == 'r' || mode == 'r' + 'w') pd->rd = d;
  if (mode == 'w' || mode == 'r' + 'w') pd->wd = d;
  publish_info(pd);

  /* One timer serves both modes while rd == wd > 0.  Changing a deadline
   * bumps that mode's seq, so a timer already taken off the heap by the
   * poller is recognised as stale when it fires. */
  bool combo = pd->rd > 0 && pd->rd == pd->wd;
  timer_kind_t rkind = combo ? TIMER_BOTH : TIMER_READ;
  bool wake = false;
  if (!pd->rt.set) {
    if (pd->rd > 0) wake |= timer_arm(&pd->rt, pd->rd, rkind, pd->rseq);
  } else if (pd->rd != rd0 || combo != combo0) {
    pd->rseq++;
    if (pd->rd > 0) {
      wake |= timer_arm(&pd->rt, pd->rd, rkind, pd->rseq);
    } else {
      timer_disarm(&pd->rt);
    }
  }
  if (!pd->wt.set) {
    if (pd->wd > 0 && !combo) wake |= timer_arm(&pd->wt, pd->wd, TIMER_WRITE, pd->wseq);
  } else if (pd->wd != wd0 || combo != combo0) {
    pd->wseq++;
    if (pd->wd > 0 && !combo) {
      wake |= timer_arm(&pd->wt, pd->wd, TIMER_WRITE, pd->wseq);
    } else {
      timer_disarm(&pd->wt);
    }
  }

  /* A deadline in the past interrupts a wait in progress. */
  bool rwake = pd->rd < 0 && netpoll_unblock(pd, 'r', false);
  bool wwake = pd->wd < 0 && netpoll_unblock(pd, 'w', false);
  ReleaseSRWLockExclusive(&pd->lock);
  if (rwake) wake_parked(pd, 'r');
  if (wwake) wake_parked(pd, 'w');
  if (wake) netpoll_break();
}

/* poll_runtime_pollUnblock (pollDesc.evict): marks the pd closing and
 * wakes both modes; their waits then report CORE_POLL_ERR_CLOSING. */
void core_rt_poll_unblock(core_rt_pd_t *pd) {
  AcquireSRWLockExclusive(&pd->lock);
  if (pd->closing) {
    ReleaseSRWLockExclusive(&pd->lock);
    core_panicf("runtime: unblock on closing polldesc");
  }
  pd->closing = true;
  pd->rseq++;
  pd->wseq++;
  publish_info(pd);
  bool rwake = netpoll_unblock(pd, 'r', false);
  bool wwake = netpoll_unblock(pd, 'w', false);
  if (pd->rt.set) timer_disarm(&pd->rt);
  if (pd->wt.set) timer_disarm(&pd->wt);
  ReleaseSRWLockExclusive(&pd->lock);
  if (rwake) wake_parked(pd, 'r');
  if (wwake) wake_parked(pd, 'w');
}

bool core_rt_pd_parked(core_rt_pd_t *pd, int mode) {
  return *mode_state(pd, mode) == PD_PARKED;
}

/* Test helper: the timer heap's invariants (each timer no earlier than its
 * parent, every index field naming its own slot, every queued timer set). */
size_t core_rt_timers_check(bool *ok) {
  AcquireSRWLockExclusive(&rt.timer_lock);
  size_t n = rt.nheap;
  bool good = true;
  for (size_t i = 0; i < n; i++) {
    const rt_timer_t *t = rt.heap[i];
    if (t->index != i || !t->set) good = false;
    if (i > 0 && timer_before(t, rt.heap[(i - 1) / 2])) good = false;
  }
  ReleaseSRWLockExclusive(&rt.timer_lock);
  *ok = good;
  return n;
}

/* ---- the poller thread --------------------------------------------------- */

/* netpolldeadlineimpl: a timer fired.  seq is the mode's seq when the
 * timer was armed; if it moved since, the pd was reused, closed or given
 * a new deadline and the event is dropped. */
static void deadline_fired(core_rt_pd_t *pd, uintptr_t seq, bool read, bool write) {
  AcquireSRWLockExclusive(&pd->lock);
  uintptr_t current = read ? pd->rseq : pd->wseq;
  if (seq != current) {
    ReleaseSRWLockExclusive(&pd->lock);
    return;
  }
  bool rwake = false;
  bool wwake = false;
  if (read) {
    if (pd->rd <= 0 || !pd->rt.set) {
      ReleaseSRWLockExclusive(&pd->lock);
      core_panicf("runtime: inconsistent read deadline");
    }
    pd->rd = -1;
    publish_info(pd);
    rwake = netpoll_unblock(pd, 'r', false);
  }
  if (write) {
    if (pd->wd <= 0 || (!pd->wt.set && !read)) {
      ReleaseSRWLockExclusive(&pd->lock);
      core_panicf("runtime: inconsistent write deadline");
    }
    pd->wd = -1;
    publish_info(pd);
    wwake = netpoll_unblock(pd, 'w', false);
  }
  ReleaseSRWLockExclusive(&pd->lock);
  if (rwake) wake_parked(pd, 'r');
  if (wwake) wake_parked(pd, 'w');
}

/* Fires every due timer, one at a time and outside the timer lock (the pd
 * lock comes first in the lock order).  Returns the nanoseconds until the
 * next timer, or -1 if none is armed, and records the poller's wake time. */
static int64_t run_timers(void) {
  for (;;) {
    AcquireSRWLockExclusive(&rt.timer_lock);
    if (rt.nheap == 0) {
      rt.poll_until = INT64_MAX;
      ReleaseSRWLockExclusive(&rt.timer_lock);
      return -1;
    }
    rt_timer_t *t = rt.heap[0];
    int64_t now = core_nanotime();
    if (t->when > now) {
      rt.poll_until = t->when;
      ReleaseSRWLockExclusive(&rt.timer_lock);
      return t->when - now;
    }
    heap_remove(t);
    core_rt_pd_t *pd = t->pd;
    uintptr_t seq = t->seq;
    timer_kind_t kind = t->kind;
    ReleaseSRWLockExclusive(&rt.timer_lock);
    deadline_fired(pd, seq, (kind & TIMER_READ) != 0, (kind & TIMER_WRITE) != 0);
  }
}

/* netpoll's timeout rounding: never sleep 0 ms for a positive delay. */
static DWORD poll_timeout_ms(int64_t delay) {
  if (delay < 0) return INFINITE;
  if (delay == 0) return 0;
  if (delay < 1000000) return 1;
  if (delay < 1000000000000000LL) return (DWORD)(delay / 1000000);
  return 1000000000; /* Go's arbitrary cap, about 11.5 days */
}

/* handlecompletion: one of our operations finished. */
static void complete_op(core_rt_pd_t *pd, core_operation_t *op) {
  DWORD qty = 0;
  DWORD flags = 0;
  int32_t err = 0;
  /* The result comes from the OVERLAPPED, never from the entry's own byte
   * count. */
  if (!WSAGetOverlappedResult((SOCKET)(UINT_PTR)pd->fd, &op->o, &qty, FALSE, &flags)) {
    err = (int32_t)GetLastError();
  }
  int32_t mode = op->mode;
  if (mode != 'r' && mode != 'w') {
    core_panicf("runtime: GetQueuedCompletionStatusEx returned invalid mode=%d", (int)mode);
  }
  op->errno_ = err;
  op->qty = qty;
  /* netpollready; the interlocked CAS publishes errno_/qty to the waiter. */
  if (netpoll_unblock(pd, mode, true)) wake_parked(pd, mode);
}

static void handle_entry(const OVERLAPPED_ENTRY *e) {
  if (e->lpOverlapped != NULL) {
    /* golang/go#58870: other code may issue overlapped I/O on a handle we
     * associated (or post to our port); its packets carry our key but not
     * our OVERLAPPED.  An operation is ours only if the word right after
     * its OVERLAPPED names the pd that is the key.  That word of a foreign
     * OVERLAPPED is read (never written), as Go does.  A zero key is never
     * a pd (Go would crash on it; we ignore it). */
    core_rt_pd_t *embedded;
    memcpy(&embedded, (const char *)e->lpOverlapped + offsetof(core_operation_t, runtime_ctx),
           sizeof embedded);
    if (embedded != NULL && (ULONG_PTR)embedded == e->lpCompletionKey) {
      complete_op(embedded, (core_operation_t *)e->lpOverlapped);
      return;
    }
  }
  /* A break packet (NULL OVERLAPPED) or a foreign one.  The poller always
   * recomputes its timeout after a wake-up, so unlike Go's non-blocking
   * netpoll(0) there is no blocked poller to forward the break to. */
  InterlockedExchange(&rt.wake_sig, 0);
}

/* The poller thread: the only caller of GetQueuedCompletionStatusEx. */
static DWORD WINAPI poller_main(LPVOID arg) {
  HANDLE port = arg;
  OVERLAPPED_ENTRY entries[64];
  for (;;) {
    DWORD ms = poll_timeout_ms(run_timers());
    ULONG n = 0;
    if (!GetQueuedCompletionStatusEx(port, entries, 64, &n, ms, FALSE)) {
      DWORD e = GetLastError();
      if (e == WAIT_TIMEOUT) continue;
      core_panicf("runtime: netpoll failed: GetQueuedCompletionStatusEx (errno=%lu)",
                  (unsigned long)e);
    }
    for (ULONG i = 0; i < n; i++) handle_entry(&entries[i]);
  }
}

/* ---- test-only reset ----------------------------------------------------- */

/* Frees what this file allocated and forgets the port, the poller thread
 * and every pollDesc, without a single Win32 call: those objects belong to
 * the world being discarded.  Only valid when no core call is in progress
 * and the poller thread no longer runs (the simulator discards the old
 * world's threads first); on the real API the poller would keep running on
 * freed state, so never call it there. */
void core_rt_reset(void) {
  core_rt_pd_t *pd = rt.all;
  while (pd != NULL) {
    core_rt_pd_t *next = pd->all;
    free(pd);
    pd = next;
  }
  free(rt.heap);
  rt_state_t fresh = RT_STATE_INITIAL;
  rt = fresh;
}
