/* netpoll_int.h: what the three files of the poller share, and nothing
 * else includes.
 *
 *   netpoll.c          runtime/netpoll.go: the pollDesc, its wait states,
 *                      the runtime_poll* entry points, netpolldeadlineimpl
 *   netpoll_windows.c  runtime/netpoll_windows.go: the completion port,
 *                      polled by a waiting thread (leader/follower: netpoll,
 *                      handlecompletion), netpollBreak
 *   netpoll_timers.c   the deadline timers (Go keeps them on the P's timer
 *                      heap, run by the scheduler; here one heap, run by the
 *                      timer thread) and the clock (nanotime)
 *
 * Lock order: a pd's lock before the timer lock; nothing is called with the
 * timer lock held.  The leader lock (netpoll_windows.c) is a leaf: nothing
 * else is taken while it is held. */
#ifndef IOCPSIM_NETPOLL_INT_H
#define IOCPSIM_NETPOLL_INT_H

#include "core_int.h"

/* Wait state of one mode (Go's rg/wg).  Go stores the parked goroutine's
 * pointer in place of pdWait; here three values stand for "a thread is
 * asleep in the wait" (docs/netpoll.md, "Who polls the port"):
 *   PD_PARKED   a follower, asleep on the mode's semaphore.  Only the CAS
 *               that takes the state away from PD_PARKED may release that
 *               semaphore (to READY/NIL: an unblocker; to HANDOFF: a leader
 *               handing the port over).
 *   PD_LEADING  the leader: the waiter itself polls the port.  An unblocker
 *               that takes the state away from PD_LEADING posts a break
 *               packet, unless it is the leader itself handling its own
 *               completion.
 *   PD_HANDOFF  a follower whose semaphore was released to make it the
 *               leader; it still sleeps or is waking up.  Unblockers move
 *               it to READY/NIL and wake nobody (it is already woken). */
enum { PD_NIL = 0, PD_READY = 1, PD_WAIT = 2, PD_PARKED = 3, PD_LEADING = 4, PD_HANDOFF = 5 };

/* A pollDesc mode's place in the leader's queue of followers (netpoll_windows.c);
 * every field is protected by the leader lock. */
typedef struct rt_follower {
  struct rt_follower *next;
  core_rt_pd_t *pd;
  int mode;    /* 'r' or 'w' */
  bool queued; /* in the queue; possibly stale (no longer parked), see netpoll_windows.c */
  bool handed; /* the port was handed to this sleep; set before its semaphore is released,
                  read and cleared by the woken follower */
} rt_follower_t;

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
  rt_follower_t rfollow; /* the reader's and the writer's places among the followers */
  rt_follower_t wfollow;
  core_rt_pd_t *link; /* free list */
  core_rt_pd_t *all;  /* every pd ever allocated (for core_rt_reset) */
};

/* ---- netpoll.c ------------------------------------------------------------ */

/* netpolldeadlineimpl: the timer armed with seq for (read, write) fired. */
void core_rt_deadline_fired(core_rt_pd_t *pd, uintptr_t seq, bool read, bool write);
/* netpollready for one completed operation, called by the leader only:
 * the mode becomes ready and a parked follower is woken (the leader's own
 * mode needs no wake-up). */
void core_rt_netpoll_ready(core_rt_pd_t *pd, int mode);

/* ---- netpoll_windows.c ------------------------------------------------------ */

/* netpollopen: associates h with the port, key = pd.  0 or the Win32 error. */
int core_rt_netpoll_open(HANDLE h, core_rt_pd_t *pd);
/* netpollBreak: the leader, if it sleeps in the port, returns and looks at
 * its own state again.  Called once per PD_LEADING taken away. */
void core_rt_netpoll_break(void);
/* The sleep of netpoll_block, after it announced PD_WAIT in *gpp (pd's
 * `mode`): becomes the leader and polls the port until its own state
 * leaves PD_LEADING, or sleeps on the mode's semaphore as a follower until
 * woken.  Returns once the state is no longer WAIT/PARKED/LEADING/HANDOFF
 * of this wait, i.e. an unblocker (or the leader's own completion) moved it
 * to READY or NIL. */
void core_rt_netpoll_sleep(core_rt_pd_t *pd, int mode, volatile LONG *gpp, HANDLE sema);
/* Forgets the port, the leader, the followers and the timer thread (no
 * Win32 call; core_rt_reset). */
void core_rt_server_reset(void);

/* ---- netpoll_timers.c ------------------------------------------------------- */

/* Go's resettimer/modtimer: (re)queue t to fire at `when`.  True if the
 * poller must be woken to shorten its sleep. */
bool core_rt_timer_arm(rt_timer_t *t, int64_t when, timer_kind_t kind, uintptr_t seq);
/* Go's deltimer plus `t.f = nil`. */
void core_rt_timer_disarm(rt_timer_t *t);
/* Fires every due timer (core_rt_deadline_fired, outside the timer lock).
 * Returns the nanoseconds until the next one, or -1 if none is armed. */
int64_t core_rt_run_timers(void);
/* Starts the timer thread (with the port, once per process); 0 or the
 * Win32 error.  And wakes it to recompute its sleep after a timer was
 * armed earlier than its wake-up time (at most one wake in flight). */
DWORD core_rt_timer_thread_start(void);
/* The timer thread's handle or its event (core_rt_is_runtime_handle). */
bool core_rt_is_timer_handle(HANDLE h);
void core_rt_timer_wake(void);
/* Frees the heap and forgets every timer (no Win32 call; core_rt_reset). */
void core_rt_timers_reset(void);

#endif
