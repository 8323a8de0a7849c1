/* netpoll.c: ports the pollDesc of runtime/netpoll.go (Go 1.21/1.22 line:
 * rg/wg wait states, read/write deadlines with sequence-checked timers,
 * the poll_runtime_* entry points, netpolldeadlineimpl).  The completion
 * port and the poller thread are netpoll_windows.c (netpoll_windows.go),
 * the deadline timers and the clock netpoll_timers.c.  Spec: go-poll.md
 * §3.2.  docs/netpoll.md tells the whole story; the comments here state
 * invariants.
 *
 * A parked goroutine is, here, a thread waiting in its pollDesc's mode:
 * either polling the port itself (the leader) or asleep on the mode's
 * semaphore (a follower); netpoll_windows.c decides which. */
#include "netpoll_int.h"

#include <stdlib.h>

/* The pollDesc cache: pds are never given back to the allocator, because
 * a completion packet may still name one after its FD was closed (F8). */
typedef struct rt_pd_cache {
  SRWLOCK lock;
  core_rt_pd_t *free;
  core_rt_pd_t *all; /* every pd ever allocated (for core_rt_reset) */
} rt_pd_cache_t;

#define RT_PD_CACHE_INITIAL \
  { .lock = SRWLOCK_INIT, .free = NULL, .all = NULL }

static rt_pd_cache_t cache = RT_PD_CACHE_INITIAL;

/* ---- pollDesc cache ------------------------------------------------------ */

static int pd_alloc(core_rt_pd_t **out) {
  core_rt_pd_t *pd;
  AcquireSRWLockExclusive(&cache.lock);
  pd = cache.free;
  if (pd != NULL) cache.free = pd->link;
  ReleaseSRWLockExclusive(&cache.lock);
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
    pd->rfollow.pd = pd;
    pd->rfollow.mode = 'r';
    pd->wfollow.pd = pd;
    pd->wfollow.mode = 'w';
    AcquireSRWLockExclusive(&cache.lock);
    pd->all = cache.all;
    cache.all = pd;
    ReleaseSRWLockExclusive(&cache.lock);
  }
  *out = pd;
  return 0;
}

/* Back to the cache, never to the allocator.  Reuse is safe against stale
 * timers because poll_open and poll_unblock bump rseq/wseq; a packet is
 * taken as ours only if its OVERLAPPED names the pd as well as its key. */
static void pd_free(core_rt_pd_t *pd) {
  AcquireSRWLockExclusive(&cache.lock);
  pd->link = cache.free;
  cache.free = pd;
  ReleaseSRWLockExclusive(&cache.lock);
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

/* What a netpoll_unblock asks of its caller, once it has dropped the pd
 * lock: nothing, release the follower's semaphore, or break the leader's
 * sleep in the port. */
typedef enum wake { WAKE_NONE = 0, WAKE_FOLLOWER, WAKE_LEADER } wake_t;

/* Wakes the thread that netpoll_unblock took out of PD_PARKED or
 * PD_LEADING. */
static void wake_waiter(core_rt_pd_t *pd, int mode, wake_t how) {
  if (how == WAKE_LEADER) {
    core_rt_netpoll_break();
  } else if (how == WAKE_FOLLOWER && !ReleaseSemaphore(mode_sema(pd, mode), 1, NULL)) {
    core_panicf("runtime: netpoll: ReleaseSemaphore failed (errno=%lu)",
                (unsigned long)GetLastError());
  }
}

/* netpollunblock: moves the mode to READY (ioready, a completion) or NIL
 * (close or deadline; these never manufacture readiness and do nothing to
 * an idle mode).  Returns how the waiter, if one sleeps, must be woken. */
static wake_t netpoll_unblock(core_rt_pd_t *pd, int mode, bool ioready) {
  volatile LONG *gpp = mode_state(pd, mode);
  for (;;) {
    LONG old = *gpp;
    if (old == PD_READY) return WAKE_NONE;
    if (old == PD_NIL && !ioready) return WAKE_NONE;
    LONG new_ = ioready ? PD_READY : PD_NIL;
    if (InterlockedCompareExchange(gpp, new_, old) == old) {
      if (old == PD_PARKED) return WAKE_FOLLOWER;
      if (old == PD_LEADING) return WAKE_LEADER;
      return WAKE_NONE; /* WAIT: not asleep yet; HANDOFF: already woken */
    }
  }
}

/* netpollblock: true if a completion was (or becomes) ready, false if the
 * wait was cut short by close or a deadline.  With waitio, close and
 * deadlines are ignored and only a completion ends the sleep. */
static bool netpoll_block(core_rt_pd_t *pd, int mode, bool waitio) {
  volatile LONG *gpp = mode_state(pd, mode);
  /* Go tries READY -> NIL first, then NIL -> WAIT.  The same two CASes the
   * other way round reach the same states for every interleaving (a NIL ->
   * WAIT that fails on READY goes on to consume it), and the common case,
   * nothing ready yet, takes one CAS instead of two. */
  for (;;) {
    LONG old = InterlockedCompareExchange(gpp, PD_WAIT, PD_NIL);
    if (old == PD_NIL) break;
    if (old == PD_READY) {
      if (InterlockedCompareExchange(gpp, PD_NIL, PD_READY) == PD_READY) return true;
      continue;
    }
    /* Only one waiter per mode: fdMutex's read/write lock guarantees it. */
    core_panicf("runtime: double wait");
  }
  /* Re-check after announcing PD_WAIT: unblockers store closing/rd/wd and
   * publish before reading the wait state, so one of us sees the other. */
  if (waitio || check_err(pd, mode) == CORE_POLL_NO_ERROR) {
    /* Go's gopark: lead or follow; each commits (leaves PD_WAIT) only if
     * nobody has taken PD_WAIT away. */
    core_rt_netpoll_sleep(pd, mode, gpp, mode_sema(pd, mode));
  }
  /* Whoever woke us has already replaced our sleeping state; keep a READY
   * that raced with us. */
  LONG old = InterlockedExchange(gpp, PD_NIL);
  if (old > PD_WAIT) core_panicf("runtime: corrupted polldesc");
  return old == PD_READY;
}

void core_rt_netpoll_ready(core_rt_pd_t *pd, int mode) {
  /* Only the leader handles packets, so a mode in PD_LEADING is its own:
   * it sees READY when it looks at its state after this batch. */
  wake_t how = netpoll_unblock(pd, mode, true);
  if (how == WAKE_FOLLOWER) wake_waiter(pd, mode, how);
}

/* ---- runtime_poll* ------------------------------------------------------- */

/* poll_runtime_pollOpen + netpollopen: associates h with the port, key =
 * the pd.  Returns 0 or the Win32 error of CreateIoCompletionPort
 * (netpoll_windows.c). */
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

  err = core_rt_netpoll_open(h, pd);
  if (err != 0) {
    pd_free(pd);
    return err;
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
    if (pd->rd > 0) wake |= core_rt_timer_arm(&pd->rt, pd->rd, rkind, pd->rseq);
  } else if (pd->rd != rd0 || combo != combo0) {
    pd->rseq++;
    if (pd->rd > 0) {
      wake |= core_rt_timer_arm(&pd->rt, pd->rd, rkind, pd->rseq);
    } else {
      core_rt_timer_disarm(&pd->rt);
    }
  }
  if (!pd->wt.set) {
    if (pd->wd > 0 && !combo) wake |= core_rt_timer_arm(&pd->wt, pd->wd, TIMER_WRITE, pd->wseq);
  } else if (pd->wd != wd0 || combo != combo0) {
    pd->wseq++;
    if (pd->wd > 0 && !combo) {
      wake |= core_rt_timer_arm(&pd->wt, pd->wd, TIMER_WRITE, pd->wseq);
    } else {
      core_rt_timer_disarm(&pd->wt);
    }
  }

  /* A deadline in the past interrupts a wait in progress. */
  wake_t rwake = pd->rd < 0 ? netpoll_unblock(pd, 'r', false) : WAKE_NONE;
  wake_t wwake = pd->wd < 0 ? netpoll_unblock(pd, 'w', false) : WAKE_NONE;
  ReleaseSRWLockExclusive(&pd->lock);
  wake_waiter(pd, 'r', rwake);
  wake_waiter(pd, 'w', wwake);
  if (wake) core_rt_timer_wake();
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
  wake_t rwake = netpoll_unblock(pd, 'r', false);
  wake_t wwake = netpoll_unblock(pd, 'w', false);
  if (pd->rt.set) core_rt_timer_disarm(&pd->rt);
  if (pd->wt.set) core_rt_timer_disarm(&pd->wt);
  ReleaseSRWLockExclusive(&pd->lock);
  wake_waiter(pd, 'r', rwake);
  wake_waiter(pd, 'w', wwake);
}

/* Asleep in the wait, as a follower or as the leader (or a follower being
 * made the leader). */
bool core_rt_pd_parked(core_rt_pd_t *pd, int mode) {
  return *mode_state(pd, mode) >= PD_PARKED;
}

int core_rt_pd_sleep(core_rt_pd_t *pd, int mode) {
  LONG v = *mode_state(pd, mode);
  if (v == PD_LEADING) return CORE_RT_LEADING;
  if (v == PD_PARKED || v == PD_HANDOFF) return CORE_RT_FOLLOWING;
  return CORE_RT_AWAKE;
}

/* ---- netpolldeadlineimpl -------------------------------------------------- */

/* netpolldeadlineimpl: a timer fired.  seq is the mode's seq when the
 * timer was armed; if it moved since, the pd was reused, closed or given
 * a new deadline and the event is dropped. */
void core_rt_deadline_fired(core_rt_pd_t *pd, uintptr_t seq, bool read, bool write) {
  AcquireSRWLockExclusive(&pd->lock);
  uintptr_t current = read ? pd->rseq : pd->wseq;
  if (seq != current) {
    ReleaseSRWLockExclusive(&pd->lock);
    return;
  }
  wake_t rwake = WAKE_NONE;
  wake_t wwake = WAKE_NONE;
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
  wake_waiter(pd, 'r', rwake);
  wake_waiter(pd, 'w', wwake);
}

/* ---- test-only reset ----------------------------------------------------- */

/* Frees what the poller allocated and forgets the port, the poller thread,
 * the timers and every pollDesc, without a single Win32 call: those
 * objects belong to the world being discarded.  Only valid when no core
 * call is in progress and the poller thread no longer runs (the simulator
 * discards the old world's threads first); on the real API the poller
 * would keep running on freed state, so never call it there. */
void core_rt_reset(void) {
  core_rt_pd_t *pd = cache.all;
  while (pd != NULL) {
    core_rt_pd_t *next = pd->all;
    free(pd);
    pd = next;
  }
  rt_pd_cache_t fresh = RT_PD_CACHE_INITIAL;
  cache = fresh;
  core_rt_timers_reset();
  core_rt_server_reset();
}
