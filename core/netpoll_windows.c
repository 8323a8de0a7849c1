/* netpoll_windows.c: ports runtime/netpoll_windows.go of the seed's
 * generation: one process-wide completion port (Go's iocphandle), handles
 * associated with key = their pollDesc, a net_op head (errno/qty written by
 * the poller, the result read with WSAGetOverlappedResult per packet), and
 * netpollBreak.  Spec: go-poll.md §3.3; docs/netpoll.md tells the story.
 *
 * Go polls the port from its scheduler: whichever thread has nothing to
 * run calls netpoll and runs the goroutines it readies, so a goroutine
 * waiting for its own completion is resumed without a hand-off between
 * threads.  A C program has no scheduler; its threads are the goroutines.
 * So the threads that wait poll the port themselves, one at a time
 * (leader/follower):
 *
 *   - A thread about to sleep in a pollDesc wait becomes the leader if
 *     nobody is, and polls the port (GetQueuedCompletionStatusEx, no
 *     timeout) until its own mode leaves PD_LEADING: its own packet, or a
 *     close or deadline that breaks its sleep with a break packet.  Packets
 *     of other waiters are handled on the way (their modes become ready,
 *     their semaphores are released).
 *   - Otherwise it becomes a follower: it queues its mode and sleeps on the
 *     mode's semaphore.
 *   - A leader that leaves hands the port to the first follower still
 *     asleep (PD_PARKED -> PD_HANDOFF, release its semaphore), so that
 *     whenever somebody sleeps in a wait, somebody polls the port.
 *
 * A packet for an operation whose thread is not waiting yet stays in the
 * port until that thread (or another leader) polls it: every operation
 * of ours is waited for by the thread that issued it (execIO), so it is
 * never left behind.  Deadline timers do not depend on anybody polling:
 * the timer thread runs them (netpoll_timers.c).
 *
 * The leader lock guards the leader flag's slow paths and the queue of
 * followers; it is a leaf lock.  `lf` packs the leader flag (bit 0) and
 * the number of queued followers (the rest, in steps of 2), so that the
 * common cases (nobody leads, nobody follows) take or give the port with
 * one CAS and no lock. */
#include "netpoll_int.h"

#include <string.h>

typedef struct rt_server {
  SRWLOCK init_lock;
  volatile LONG ready; /* 1 once the port and the timer thread exist */
  HANDLE port;         /* Go's iocphandle; INVALID_HANDLE_VALUE before init */
  SRWLOCK lf_lock;     /* the leader lock */
  volatile LONG lf;    /* bit 0: a leader polls the port; bits 1..: 2 x queued followers */
  rt_follower_t *head; /* the followers, first come first served (lf_lock) */
  rt_follower_t *tail;
} rt_server_t;

#define RT_SERVER_INITIAL                                                                         \
  {                                                                                               \
    .init_lock = SRWLOCK_INIT, .ready = 0, .port = INVALID_HANDLE_VALUE, .lf_lock = SRWLOCK_INIT, \
    .lf = 0, .head = NULL, .tail = NULL                                                           \
  }

static rt_server_t srv = RT_SERVER_INITIAL;

/* netpollinit, once per process, with the timer thread.  Failure is
 * fatal, as Go's throw. */
void core_rt_poll_server_init(void) {
  if (srv.ready) return;
  AcquireSRWLockExclusive(&srv.init_lock);
  if (!srv.ready) {
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0xFFFFFFFF);
    if (port == NULL) {
      DWORD e = GetLastError();
      ReleaseSRWLockExclusive(&srv.init_lock);
      core_panicf("runtime: netpollinit failed: CreateIoCompletionPort (errno=%lu)",
                  (unsigned long)e);
    }
    DWORD e = core_rt_timer_thread_start();
    if (e != 0) {
      CloseHandle(port);
      ReleaseSRWLockExclusive(&srv.init_lock);
      core_panicf("runtime: netpollinit failed: timer thread (errno=%lu)", (unsigned long)e);
    }
    srv.port = port;
    InterlockedExchange(&srv.ready, 1);
  }
  ReleaseSRWLockExclusive(&srv.init_lock);
}

/* Go's netpollIsPollDescriptor: a plain comparison with iocphandle, which
 * is INVALID_HANDLE_VALUE until the server starts (so, as in Go, that value
 * "is" the poll descriptor before then). */
bool core_rt_is_poll_descriptor(HANDLE h) {
  return h == srv.port;
}

HANDLE core_rt_port(void) {
  return srv.port;
}

bool core_rt_is_runtime_handle(HANDLE h) {
  return (srv.ready && h == srv.port) || core_rt_is_timer_handle(h);
}

/* netpollBreak: make the leader's sleep in the port return.  Go keeps at
 * most one break in flight (netpollWakeSig) because it breaks the poller
 * for every earlier timer; here timers wake the timer thread instead, and
 * a break is posted only by the unblocker that took a leader's state away
 * from PD_LEADING, at most once per leading turn, so no flag is needed.  A
 * break that arrives after its leader left waits in the port for the next
 * leader, who only looks at its own state again. */
void core_rt_netpoll_break(void) {
  if (!PostQueuedCompletionStatus(srv.port, 0, 0, NULL)) {
    core_panicf("runtime: netpoll: PostQueuedCompletionStatus failed (errno=%lu)",
                (unsigned long)GetLastError());
  }
}

/* netpollopen: the packets of every overlapped operation on h carry the
 * pd as their key. */
int core_rt_netpoll_open(HANDLE h, core_rt_pd_t *pd) {
  if (CreateIoCompletionPort(h, srv.port, (ULONG_PTR)pd, 0) == NULL) {
    DWORD e = GetLastError();
    /* Go would take a zero last error for success; a handle left outside
     * the port would then hang every wait, so report EINVAL instead. */
    return e != 0 ? (int)e : CORE_EINVAL;
  }
  return 0;
}

/* ---- netpoll: the leader's turn at the port ------------------------------- */

/* handlecompletion: one of our operations finished. */
static void complete_op(core_rt_pd_t *pd, core_net_op_t *op) {
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
  core_rt_netpoll_ready(pd, mode);
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
    memcpy(&embedded, (const char *)e->lpOverlapped + offsetof(core_net_op_t, runtime_ctx),
           sizeof embedded);
#if defined(IOCPSIM_GO_BUG_D)
    /* Go bug d (golang/go#58870, docs/findings.md): no key check; every
     * packet with an OVERLAPPED is taken for one of ours and its pd read
     * from the word after it.  A foreign one's word is 0: Go crashed on the
     * nil pd (a nil pointer dereference in the runtime). */
    if (embedded == NULL)
      core_panicf(
          "runtime error: invalid memory address or nil pointer dereference "
          "(a foreign completion packet taken for the runtime's)");
    if (embedded != NULL) {
#else
    if (embedded != NULL && (ULONG_PTR)embedded == e->lpCompletionKey) {
#endif
      complete_op(embedded, (core_net_op_t *)e->lpOverlapped);
      return;
    }
  }
  /* A break packet (NULL OVERLAPPED) or a foreign one: nothing to do.
   * The leader looks at its own state after every batch, so unlike Go's
   * non-blocking netpoll(0) there is no blocked poller to forward the
   * break to. */
}

/* Most entries one GetQueuedCompletionStatusEx takes.  The leader asks
 * for as many as the last call found, doubled when it filled the array:
 * under Wine each entry beyond the queued ones costs a server request that
 * only finds the queue empty, and a leader most often waits for one
 * packet, its own. */
#define MAX_ENTRIES 64

/* netpoll(block) by the leader, whose own mode is at *gpp: until that
 * leaves PD_LEADING.  The port has no timeout: deadlines are the timer
 * thread's, and it breaks this sleep when one ends the leader's wait. */
static void lead(volatile LONG *gpp) {
  OVERLAPPED_ENTRY entries[MAX_ENTRIES];
  ULONG want = 1;
  do {
    ULONG n = 0;
    if (!GetQueuedCompletionStatusEx(srv.port, entries, want, &n, INFINITE, FALSE)) {
      core_panicf("runtime: netpoll failed: GetQueuedCompletionStatusEx (errno=%lu)",
                  (unsigned long)GetLastError());
    }
    for (ULONG i = 0; i < n; i++) handle_entry(&entries[i]);
    want = n == want ? (want < MAX_ENTRIES ? 2 * want : want) : (n > 0 ? n : 1);
  } while (*gpp == PD_LEADING);
}

/* ---- leader and followers --------------------------------------------------- */

static rt_follower_t *follower_of(core_rt_pd_t *pd, int mode) {
  return mode == 'w' ? &pd->wfollow : &pd->rfollow;
}

/* Takes the port if nobody leads (one CAS when nobody is queued either). */
static bool try_lead(void) {
  for (LONG v = 0;;) {
    LONG seen = InterlockedCompareExchange(&srv.lf, v | 1, v);
    if (seen == v) return true;
    if (seen & 1) return false;
    v = seen;
  }
}

/* The leader gives the port up: to the first queued follower still
 * asleep, whose semaphore it releases (the port passes to it directly, the
 * leader flag stays set), or to nobody.  Queued entries that no longer
 * sleep (woken by their completion, a close or a deadline since they
 * queued) are dropped on the way.  Under the leader lock nobody else
 * changes lf: followers change it only under the lock, and try_lead only
 * while bit 0 is clear. */
static void give_up_lead(void) {
  if (InterlockedCompareExchange(&srv.lf, 0, 1) == 1) return;
  AcquireSRWLockExclusive(&srv.lf_lock);
  for (;;) {
    rt_follower_t *f = srv.head;
    if (f == NULL) {
      InterlockedExchange(&srv.lf, srv.lf & ~1L);
      ReleaseSRWLockExclusive(&srv.lf_lock);
      return;
    }
    srv.head = f->next;
    if (srv.head == NULL) srv.tail = NULL;
    f->next = NULL;
    f->queued = false;
    InterlockedExchange(&srv.lf, srv.lf - 2);
    volatile LONG *gpp = f->mode == 'w' ? &f->pd->wg : &f->pd->rg;
    if (InterlockedCompareExchange(gpp, PD_HANDOFF, PD_PARKED) == PD_PARKED) {
      f->handed = true; /* read by the follower once its semaphore wakes it */
      ReleaseSRWLockExclusive(&srv.lf_lock);
      HANDLE sema = f->mode == 'w' ? f->pd->wsema : f->pd->rsema;
      if (!ReleaseSemaphore(sema, 1, NULL)) {
        core_panicf("runtime: netpoll: ReleaseSemaphore failed (errno=%lu)",
                    (unsigned long)GetLastError());
      }
      return;
    }
  }
}

/* Queues the follower and then commits its sleep (PD_WAIT -> PD_PARKED),
 * under the leader lock.  The count in lf goes up by CAS while the leader
 * flag is seen set, so a leader giving the port up either finds lf > 1 and
 * takes the lock (and then sees this follower queued and parked), or has
 * already cleared the flag, which this follower then sees.  Returns 1 if
 * it must sleep, 0 if somebody took PD_WAIT away (it stays queued, as a
 * stale entry), 2 if nobody leads any more (it took the port instead). */
static int follow(core_rt_pd_t *pd, int mode, volatile LONG *gpp) {
  rt_follower_t *f = follower_of(pd, mode);
  int r = 1;
  AcquireSRWLockExclusive(&srv.lf_lock);
  for (LONG v = srv.lf;;) {
    LONG want = (v & 1) == 0 ? (v | 1) : f->queued ? v : v + 2;
    LONG seen = InterlockedCompareExchange(&srv.lf, want, v);
    if (seen == v) {
      if ((v & 1) == 0) r = 2;
      break;
    }
    v = seen;
  }
  if (r == 1) {
    /* Still queued from an earlier sleep that ended without a hand-off:
     * that entry (already counted) stands for this sleep too. */
    if (!f->queued) {
      f->queued = true;
      f->next = NULL;
      if (srv.tail != NULL)
        srv.tail->next = f;
      else
        srv.head = f;
      srv.tail = f;
    }
    if (InterlockedCompareExchange(gpp, PD_PARKED, PD_WAIT) != PD_WAIT) r = 0;
  }
  ReleaseSRWLockExclusive(&srv.lf_lock);
  return r;
}

/* Leads with the port in hand: commits from `from` (PD_WAIT, or PD_HANDOFF
 * after a hand-off) to PD_LEADING unless an unblocker got there first,
 * polls, and gives the port up. */
static void lead_from(volatile LONG *gpp, LONG from) {
  if (InterlockedCompareExchange(gpp, PD_LEADING, from) == from) lead(gpp);
  give_up_lead();
}

void core_rt_netpoll_sleep(core_rt_pd_t *pd, int mode, volatile LONG *gpp, HANDLE sema) {
  if (try_lead()) {
    lead_from(gpp, PD_WAIT);
    return;
  }
  switch (follow(pd, mode, gpp)) {
    case 0:
      return;
    case 2:
      lead_from(gpp, PD_WAIT);
      return;
    default:
      break;
  }
  DWORD r = WaitForSingleObject(sema, INFINITE);
  if (r != WAIT_OBJECT_0) {
    core_panicf("runtime: netpoll: WaitForSingleObject returned %lu (errno=%lu)", (unsigned long)r,
                (unsigned long)GetLastError());
  }
  /* Woken by an unblocker (READY or NIL), or handed the port.  In the
   * second case the port is ours even if an unblocker has since replaced
   * PD_HANDOFF: lead_from then gives it up at once. */
  rt_follower_t *f = follower_of(pd, mode);
  if (f->handed) {
    f->handed = false;
    lead_from(gpp, PD_HANDOFF);
  }
}

void core_rt_server_reset(void) {
  rt_server_t fresh = RT_SERVER_INITIAL;
  srv = fresh;
}
