/* netpoll_windows.c: ports runtime/netpoll_windows.go of the seed's
 * generation: one process-wide completion port (Go's iocphandle), handles
 * associated with key = their pollDesc, a net_op head (errno/qty written by
 * the poller, the result read with WSAGetOverlappedResult per packet), and
 * netpollBreak.  Spec: go-poll.md §3.3; docs/netpoll.md tells the story.
 *
 * Go polls the port from its scheduler; a C program has none, so one poller
 * thread, started with the port, loops on GetQueuedCompletionStatusEx with a
 * timeout that reaches the earliest deadline timer (netpoll_timers.c), and
 * fires due timers itself.  Threads, waits and time all go through Win32,
 * so in the fake world the simulator schedules the poller like any other
 * thread. */
#include "netpoll_int.h"

#include <string.h>

typedef struct rt_server {
  SRWLOCK init_lock;
  volatile LONG ready; /* 1 once port and poller thread exist */
  HANDLE port;         /* Go's iocphandle; INVALID_HANDLE_VALUE before init */
  HANDLE thread;
  volatile LONG wake_sig; /* Go's netpollWakeSig: a break packet is queued */
} rt_server_t;

#define RT_SERVER_INITIAL                                                                \
  {                                                                                      \
    .init_lock = SRWLOCK_INIT, .ready = 0, .port = INVALID_HANDLE_VALUE, .thread = NULL, \
    .wake_sig = 0                                                                        \
  }

static rt_server_t srv = RT_SERVER_INITIAL;

static DWORD WINAPI poller_main(LPVOID arg);

/* netpollinit, once per process.  Failure is fatal, as Go's throw. */
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
    /* The thread gets the port as its argument and never reads srv.port. */
    HANDLE thread = CreateThread(NULL, 0, poller_main, port, 0, NULL);
    if (thread == NULL) {
      DWORD e = GetLastError();
      CloseHandle(port);
      ReleaseSRWLockExclusive(&srv.init_lock);
      core_panicf("runtime: netpollinit failed: CreateThread (errno=%lu)", (unsigned long)e);
    }
    srv.port = port;
    srv.thread = thread;
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

/* netpollBreak: make the sleeping poller return, at most one packet in
 * flight.  The poller clears wake_sig when it dequeues the packet. */
void core_rt_netpoll_break(void) {
  if (InterlockedCompareExchange(&srv.wake_sig, 1, 0) != 0) return;
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

/* ---- the poller thread --------------------------------------------------- */

/* netpoll's timeout rounding: never sleep 0 ms for a positive delay. */
static DWORD poll_timeout_ms(int64_t delay) {
  if (delay < 0) return INFINITE;
  if (delay == 0) return 0;
  if (delay < 1000000) return 1;
  if (delay < 1000000000000000LL) return (DWORD)(delay / 1000000);
  return 1000000000; /* Go's arbitrary cap, about 11.5 days */
}

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
  /* A break packet (NULL OVERLAPPED) or a foreign one.  The poller always
   * recomputes its timeout after a wake-up, so unlike Go's non-blocking
   * netpoll(0) there is no blocked poller to forward the break to. */
  InterlockedExchange(&srv.wake_sig, 0);
}

/* The poller thread: the only caller of GetQueuedCompletionStatusEx. */
static DWORD WINAPI poller_main(LPVOID arg) {
  HANDLE port = arg;
  OVERLAPPED_ENTRY entries[64];
  for (;;) {
    DWORD ms = poll_timeout_ms(core_rt_run_timers());
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

void core_rt_server_reset(void) {
  rt_server_t fresh = RT_SERVER_INITIAL;
  srv = fresh;
}
