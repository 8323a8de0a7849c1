/* test_netpoll.c: the pollDesc and the IOCP poller (core/netpoll*.c) and the
 * poll side of the FD (core/fd_poll.c), driven directly through
 * core_rt_* / core_pd_* (netpoll.h, fd_poll.h) with real overlapped
 * loopback sockets.  Spec:
 * go-poll.md §3.  Each case does by hand what execIO (fd_windows.c) does:
 * prepare, submit, wait, and on a failed wait CancelIoEx + wait_canceled.
 *
 * Timing: deadlines are 50-200 ms in the future and the waits on them are
 * plain blocking calls; only hang guards have timeouts, nothing asserts how
 * long anything took. */
#include "iocpsim_test.h"
#include "core_panic.h"

#include <string.h>

#include "core_test.h"
#include "fd_poll.h"
#include "netpoll.h"

#define HANG_GUARD_MS 10000
#define MS (1000 * 1000LL) /* nanoseconds */

/* NTSTATUS values for hand-made completions (ntstatus.h is not included
 * by windows.h). */
#define TEST_STATUS_SUCCESS 0x00000000UL
#define TEST_STATUS_CANCELLED 0xC0000120UL

/* ---- fixture: a connected TCP pair, `a` associated with the port --------- */

typedef struct np {
  SOCKET a; /* overlapped, associated: the FD under test */
  SOCKET b; /* its peer, used with plain blocking send() */
  core_rt_pd_t *pd;
  bool unblocked;
  bool closed;
  core_net_op_t rop;
  char rbuf[64];
} np_t;

static int group_setup(void **state) {
  (void)state;
  WSADATA wsa;
  assert_int_equal(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
  core_rt_poll_server_init();
  core_rt_poll_server_init(); /* idempotent */
  return 0;
}

static int group_teardown(void **state) {
  (void)state;
  WSACleanup();
  return 0;
}

static SOCKET overlapped_tcp_socket(void) {
  SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  assert_true(s != INVALID_SOCKET);
  return s;
}

static void tcp_pair(SOCKET *a, SOCKET *b) {
  SOCKET l = overlapped_tcp_socket();
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof sa), 0);
  assert_int_equal(listen(l, 1), 0);
  int len = sizeof sa;
  assert_int_equal(getsockname(l, (struct sockaddr *)&sa, &len), 0);
  *a = overlapped_tcp_socket();
  assert_int_equal(connect(*a, (struct sockaddr *)&sa, sizeof sa), 0);
  *b = accept(l, NULL, NULL);
  assert_true(*b != INVALID_SOCKET);
  closesocket(l);
}

static int setup_np(void **state) {
  np_t *t = calloc(1, sizeof *t);
  assert_non_null(t);
  tcp_pair(&t->a, &t->b);
  assert_int_equal(core_rt_poll_open((HANDLE)t->a, &t->pd), 0);
  assert_non_null(t->pd);
  t->rop.runtime_ctx = t->pd;
  t->rop.mode = 'r';
  *state = t;
  return 0;
}

static void np_unblock(np_t *t) {
  core_rt_poll_unblock(t->pd);
  t->unblocked = true;
}

static void np_close(np_t *t) {
  if (!t->unblocked) np_unblock(t);
  core_rt_poll_close(t->pd);
  t->closed = true;
}

static int teardown_np(void **state) {
  np_t *t = *state;
  if (!t->closed) np_close(t);
  closesocket(t->a);
  closesocket(t->b);
  free(t);
  return 0;
}

/* Submits an overlapped WSARecv on t->a into t->rbuf with t->rop; no data
 * has been sent yet, so it must pend. */
static void submit_recv_pending(np_t *t) {
  WSABUF wb = {sizeof t->rbuf, t->rbuf};
  DWORD qty = 0;
  DWORD flags = 0;
  memset(&t->rop.o, 0, sizeof t->rop.o);
  t->rop.errno_ = -1;
  t->rop.qty = 0xFFFFFFFF;
  assert_int_equal(WSARecv(t->a, &wb, 1, &qty, &flags, &t->rop.o, NULL), SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
}

static void peer_send(np_t *t, const char *s) {
  assert_int_equal(send(t->b, s, (int)strlen(s), 0), (int)strlen(s));
}

/* execIO's interrupted path: cancel, then wait for the op's own packet. */
static void cancel_and_drain(np_t *t) {
  assert_true(CancelIoEx((HANDLE)t->a, &t->rop.o));
  core_rt_poll_wait_canceled(t->pd, 'r');
  assert_int_equal(t->rop.errno_, ERROR_OPERATION_ABORTED);
}

/* ---- threads that wait --------------------------------------------------- */

typedef struct waiter {
  core_rt_pd_t *pd;
  int mode;
  bool canceled;        /* wait_canceled instead of wait */
  volatile LONG result; /* -1 until the wait returns */
  HANDLE thread;
} waiter_t;

static DWORD WINAPI waiter_main(LPVOID p) {
  waiter_t *w = p;
  if (w->canceled) {
    core_rt_poll_wait_canceled(w->pd, w->mode);
    InterlockedExchange(&w->result, 0);
  } else {
    InterlockedExchange(&w->result, core_rt_poll_wait(w->pd, w->mode));
  }
  return 0;
}

/* Starts a waiter and returns once it sleeps in the poll wait. */
static void start_parked_waiter(waiter_t *w, core_rt_pd_t *pd, int mode, bool canceled) {
  w->pd = pd;
  w->mode = mode;
  w->canceled = canceled;
  w->result = -1;
  w->thread = CreateThread(NULL, 0, waiter_main, w, 0, NULL);
  assert_non_null(w->thread);
  for (int i = 0; i < HANG_GUARD_MS && !core_rt_pd_parked(pd, mode); i++) Sleep(1);
  assert_true(core_rt_pd_parked(pd, mode));
  assert_int_equal(w->result, -1);
}

static LONG join_waiter(waiter_t *w) {
  assert_int_equal(WaitForSingleObject(w->thread, HANG_GUARD_MS), WAIT_OBJECT_0);
  CloseHandle(w->thread);
  return w->result;
}

/* ---- completions ---------------------------------------------------------- */

/* A completion packet wakes the thread parked in the wait; the poller has
 * written errno_ and qty into the operation before it wakes. */
/* @covers B14 B16 */
static void completion_wakes_waiter(void **state) {
  np_t *t = *state;
  waiter_t w;
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  submit_recv_pending(t);
  start_parked_waiter(&w, t->pd, 'r', false);
  peer_send(t, "hello");
  assert_int_equal(join_waiter(&w), CORE_POLL_NO_ERROR);
  assert_int_equal(t->rop.errno_, 0);
  assert_int_equal(t->rop.qty, 5);
  assert_memory_equal(t->rbuf, "hello", 5);
}

/* Without FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, an op that completes at
 * once still queues its packet, and the wait must consume it: the poller
 * fills the operation from that packet. */
/* @covers B13 B16 */
static void sync_success_still_queues_packet(void **state) {
  np_t *t = *state;
  peer_send(t, "abc");
  u_long avail = 0;
  for (int i = 0; i < HANG_GUARD_MS && avail < 3; i++) {
    assert_int_equal(ioctlsocket(t->a, FIONREAD, &avail), 0);
    if (avail < 3) Sleep(1);
  }
  assert_int_equal(avail, 3);
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  WSABUF wb = {sizeof t->rbuf, t->rbuf};
  DWORD qty = 0;
  DWORD flags = 0;
  memset(&t->rop.o, 0, sizeof t->rop.o);
  t->rop.errno_ = -1;
  t->rop.qty = 0xFFFFFFFF;
  assert_int_equal(WSARecv(t->a, &wb, 1, &qty, &flags, &t->rop.o, NULL), 0);
  assert_int_equal(qty, 3);
  assert_int_equal(core_rt_poll_wait(t->pd, 'r'), CORE_POLL_NO_ERROR);
  assert_int_equal(t->rop.errno_, 0);
  assert_int_equal(t->rop.qty, 3);
  /* The next op starts from a clean state. */
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  submit_recv_pending(t);
  peer_send(t, "de");
  assert_int_equal(core_rt_poll_wait(t->pd, 'r'), CORE_POLL_NO_ERROR);
  assert_int_equal(t->rop.qty, 2);
}

/* Hand-made packets for our operation: the result comes from
 * WSAGetOverlappedResult on the OVERLAPPED (Internal/InternalHigh), never
 * from the entry's byte count, and a failure status arrives as its Win32
 * code. */
/* @covers B16 */
static void result_from_overlapped_not_entry(void **state) {
  np_t *t = *state;
  HANDLE port = core_rt_port();
  assert_true(core_is_poll_descriptor(port));

  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  memset(&t->rop.o, 0, sizeof t->rop.o);
  t->rop.o.Internal = TEST_STATUS_SUCCESS;
  t->rop.o.InternalHigh = 3;
  assert_true(PostQueuedCompletionStatus(port, 7, (ULONG_PTR)t->pd, &t->rop.o));
  assert_int_equal(core_rt_poll_wait(t->pd, 'r'), CORE_POLL_NO_ERROR);
  assert_int_equal(t->rop.errno_, 0);
  assert_int_equal(t->rop.qty, 3);

  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  t->rop.o.Internal = TEST_STATUS_CANCELLED;
  t->rop.o.InternalHigh = 0;
  assert_true(PostQueuedCompletionStatus(port, 9, (ULONG_PTR)t->pd, &t->rop.o));
  assert_int_equal(core_rt_poll_wait(t->pd, 'r'), CORE_POLL_NO_ERROR);
  assert_int_equal(t->rop.errno_, ERROR_OPERATION_ABORTED);
  assert_int_equal(t->rop.qty, 0);
}

/* ---- deadlines ------------------------------------------------------------ */

/* A deadline in the past fails prepare and wait at once, even with data
 * queued; only the expired mode is affected. */
/* @covers B11 */
static void past_deadline_fails_before_submit(void **state) {
  np_t *t = *state;
  peer_send(t, "queued");
  core_rt_poll_set_deadline(t->pd, -1, 'r');
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_ERR_TIMEOUT);
  assert_int_equal(core_rt_poll_wait(t->pd, 'r'), CORE_POLL_ERR_TIMEOUT);
  assert_int_equal(core_rt_poll_reset(t->pd, 'w'), CORE_POLL_NO_ERROR);
  core_poll_desc_t pd = {t->pd};
  assert_int_equal(core_pd_prepare(&pd, 'r', false), CORE_EDEADLINE);
  assert_int_equal(core_pd_wait(&pd, 'r', false), CORE_EDEADLINE);
  assert_int_equal(core_pd_prepare(&pd, 'w', false), 0);
}

/* A deadline timer fires while the op is pending: the wait reports the
 * timeout, and after CancelIoEx wait_canceled returns only once the
 * aborted packet (995) has been delivered. */
/* @covers B21 */
static void deadline_fires_while_waiting(void **state) {
  np_t *t = *state;
  core_rt_poll_set_deadline(t->pd, 100 * MS, 'r');
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  submit_recv_pending(t);
  assert_int_equal(core_rt_poll_wait(t->pd, 'r'), CORE_POLL_ERR_TIMEOUT);
  assert_int_equal(t->rop.errno_, -1); /* no packet yet: the op is still pending */
  cancel_and_drain(t);
  assert_int_equal(t->rop.qty, 0);
  /* Still expired until the deadline changes. */
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_ERR_TIMEOUT);
}

/* Extending a deadline after it expired makes the next operation work;
 * a later expiry still fires (the timer is re-armed, not left stale). */
/* @covers B11 B16 */
static void deadline_extended_after_expiry(void **state) {
  np_t *t = *state;
  core_rt_poll_set_deadline(t->pd, 50 * MS, 'r');
  assert_int_equal(core_rt_poll_wait(t->pd, 'r'), CORE_POLL_ERR_TIMEOUT);
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_ERR_TIMEOUT);

  core_rt_poll_set_deadline(t->pd, 10000 * MS, 'r');
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  submit_recv_pending(t);
  peer_send(t, "late");
  assert_int_equal(core_rt_poll_wait(t->pd, 'r'), CORE_POLL_NO_ERROR);
  assert_int_equal(t->rop.errno_, 0);
  assert_int_equal(t->rop.qty, 4);

  /* Shorten it again: the new timer replaces the 10 s one and fires. */
  core_rt_poll_set_deadline(t->pd, 50 * MS, 'r');
  assert_int_equal(core_rt_poll_wait(t->pd, 'r'), CORE_POLL_ERR_TIMEOUT);
  /* Zero removes the deadline. */
  core_rt_poll_set_deadline(t->pd, 0, 'r');
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
}

/* Read and write deadlines are independent, with separate timers and with
 * the combined timer used while both are equal. */
/* @covers B11 */
static void read_write_deadlines_independent(void **state) {
  np_t *t = *state;
  core_rt_poll_set_deadline(t->pd, -1, 'r');
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_ERR_TIMEOUT);
  assert_int_equal(core_rt_poll_reset(t->pd, 'w'), CORE_POLL_NO_ERROR);
  core_rt_poll_set_deadline(t->pd, -1, 'w');
  assert_int_equal(core_rt_poll_reset(t->pd, 'w'), CORE_POLL_ERR_TIMEOUT);
  core_rt_poll_set_deadline(t->pd, 0, 'r');
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  assert_int_equal(core_rt_poll_reset(t->pd, 'w'), CORE_POLL_ERR_TIMEOUT);
  core_rt_poll_set_deadline(t->pd, 0, 'w');
  assert_int_equal(core_rt_poll_reset(t->pd, 'w'), CORE_POLL_NO_ERROR);

  /* Separate timers: the read one fires, the write one (far) does not. */
  core_rt_poll_set_deadline(t->pd, 50 * MS, 'r');
  core_rt_poll_set_deadline(t->pd, 10000 * MS, 'w');
  assert_int_equal(core_rt_poll_wait(t->pd, 'r'), CORE_POLL_ERR_TIMEOUT);
  assert_int_equal(core_rt_poll_reset(t->pd, 'w'), CORE_POLL_NO_ERROR);

  /* Both at once ('r'+'w'): one combined timer expires both modes. */
  core_rt_poll_set_deadline(t->pd, 100 * MS, 'r' + 'w');
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  submit_recv_pending(t);
  assert_int_equal(core_rt_poll_wait(t->pd, 'r'), CORE_POLL_ERR_TIMEOUT);
  cancel_and_drain(t);
  assert_int_equal(core_rt_poll_reset(t->pd, 'w'), CORE_POLL_ERR_TIMEOUT);
  assert_int_equal(core_rt_poll_wait(t->pd, 'w'), CORE_POLL_ERR_TIMEOUT);
}

/* Setting a past deadline wakes a thread already parked in that mode
 * (runtime behaviour of spec §3.2/§3.5; no B-number of its own). */
static void past_deadline_wakes_parked_waiter(void **state) {
  np_t *t = *state;
  waiter_t w;
  start_parked_waiter(&w, t->pd, 'w', false);
  core_rt_poll_set_deadline(t->pd, -1, 'r'); /* the other mode: no effect */
  assert_true(core_rt_pd_parked(t->pd, 'w'));
  core_rt_poll_set_deadline(t->pd, -1, 'w');
  assert_int_equal(join_waiter(&w), CORE_POLL_ERR_TIMEOUT);
}

static void assert_timer_heap_ok(void) {
  bool ok = false;
  (void)core_rt_timers_check(&ok);
  assert_true(ok);
}

/* Many pollDescs whose deadlines are armed, re-armed out of order, made
 * combined and removed: the timer heap keeps its invariants after every
 * change and every firing, every remaining timer fires for its own pd and
 * mode, and removed ones never do. */
/* @covers B11 */
static void many_timers_fire(void **state) {
  (void)state;
  enum { N = 16 };
  SOCKET a[N], b[N];
  core_rt_pd_t *pd[N];
  for (int i = 0; i < N; i++) {
    tcp_pair(&a[i], &b[i]);
    assert_int_equal(core_rt_poll_open((HANDLE)a[i], &pd[i]), 0);
    core_rt_poll_set_deadline(pd[i], (10000 + 100 * i) * MS, 'r');
    assert_timer_heap_ok();
  }
  /* Re-arm in a scrambled order, each to its own time 100..475 ms away. */
  for (int k = 0; k < N; k++) {
    int i = (k * 5 + 3) % N;
    core_rt_poll_set_deadline(pd[i], (100 + 25 * ((i * 7) % N)) * MS, 'r');
    assert_timer_heap_ok();
  }
  /* Remove three from the middle of the heap; give one a write deadline
   * only; make one combined (read and write at the same instant). */
  static const int removed[] = {4, 9, 13};
  for (size_t k = 0; k < sizeof removed / sizeof removed[0]; k++) {
    core_rt_poll_set_deadline(pd[removed[k]], 0, 'r');
    assert_timer_heap_ok();
  }
  core_rt_poll_set_deadline(pd[11], 0, 'r');
  core_rt_poll_set_deadline(pd[11], 150 * MS, 'w');
  core_rt_poll_set_deadline(pd[6], 200 * MS, 'r' + 'w');
  assert_timer_heap_ok();

  for (int i = 0; i < N; i++) {
    bool gone = i == 4 || i == 9 || i == 13;
    if (gone) {
      assert_int_equal(core_rt_poll_reset(pd[i], 'r'), CORE_POLL_NO_ERROR);
    } else if (i == 11) {
      assert_int_equal(core_rt_poll_wait(pd[i], 'w'), CORE_POLL_ERR_TIMEOUT);
      assert_int_equal(core_rt_poll_reset(pd[i], 'r'), CORE_POLL_NO_ERROR);
    } else if (i == 6) {
      assert_int_equal(core_rt_poll_wait(pd[i], 'w'), CORE_POLL_ERR_TIMEOUT);
      assert_int_equal(core_rt_poll_reset(pd[i], 'r'), CORE_POLL_ERR_TIMEOUT);
    } else {
      assert_int_equal(core_rt_poll_wait(pd[i], 'r'), CORE_POLL_ERR_TIMEOUT);
      assert_int_equal(core_rt_poll_reset(pd[i], 'w'), CORE_POLL_NO_ERROR);
    }
    assert_timer_heap_ok();
  }
  for (int i = 0; i < N; i++) {
    core_rt_poll_unblock(pd[i]);
    core_rt_poll_close(pd[i]);
    closesocket(a[i]);
    closesocket(b[i]);
  }
  assert_timer_heap_ok();
}

/* ---- close (evict) ------------------------------------------------------- */

/* Unblock wakes the parked reader (with a pending op) and a parked writer
 * with "closing"; the reader's op must still be drained after the cancel;
 * later resets fail with closing; then close succeeds. */
/* @covers B38 B21 */
static void unblock_wakes_parked_waiters(void **state) {
  np_t *t = *state;
  waiter_t r, w;
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  submit_recv_pending(t);
  start_parked_waiter(&r, t->pd, 'r', false);
  start_parked_waiter(&w, t->pd, 'w', false);
  np_unblock(t);
  assert_int_equal(join_waiter(&r), CORE_POLL_ERR_CLOSING);
  assert_int_equal(join_waiter(&w), CORE_POLL_ERR_CLOSING);
  cancel_and_drain(t);
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_ERR_CLOSING);
  assert_int_equal(core_rt_poll_wait(t->pd, 'w'), CORE_POLL_ERR_CLOSING);
  /* Closing beats an expired deadline, and deadlines are ignored now. */
  core_rt_poll_set_deadline(t->pd, -1, 'r');
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_ERR_CLOSING);
  np_close(t);
}

/* wait_canceled ignores close: a thread in it sleeps through unblock and
 * returns only on its operation's packet. */
/* @covers B21 */
static void wait_canceled_ignores_close(void **state) {
  np_t *t = *state;
  waiter_t w;
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  submit_recv_pending(t);
  start_parked_waiter(&w, t->pd, 'r', true);
  np_unblock(t);
  /* Woken and parked again: wait until it sleeps once more. */
  for (int i = 0; i < HANG_GUARD_MS && !core_rt_pd_parked(t->pd, 'r'); i++) Sleep(1);
  assert_int_equal(w.result, -1);
  peer_send(t, "data");
  assert_int_equal(join_waiter(&w), 0);
  assert_int_equal(t->rop.errno_, 0);
  assert_int_equal(t->rop.qty, 4);
}

/* ---- packets that are not ours (golang/go#58870) ------------------------- */

/* An OVERLAPPED of someone else's, with the word after it readable. */
typedef struct foreign_op {
  OVERLAPPED o;
  void *trailing; /* where core_net_op_t keeps runtime_ctx */
  int32_t mode;   /* 0: the poller would panic "invalid mode" if it took this */
  int32_t errno_;
  uint32_t qty;
} foreign_op_t;

static void foreign_init(foreign_op_t *f, void *trailing) {
  memset(f, 0, sizeof *f);
  f->trailing = trailing;
  f->errno_ = 0x5A5A;
  f->qty = 0xA5A5;
}

static void assert_foreign_untouched(const foreign_op_t *f, void *trailing) {
  assert_ptr_equal(f->trailing, trailing);
  assert_int_equal(f->mode, 0);
  assert_int_equal(f->errno_, 0x5A5A);
  assert_int_equal(f->qty, 0xA5A5);
}

/* golang/go#58870: other code issues its own overlapped I/O on a socket
 * the core associated with its port.  The completion arrives with the
 * core's key but a foreign OVERLAPPED; the poller must ignore it (no
 * panic, nothing written), and the core's own op queued after it still
 * completes. */
/* @covers B16 */
static void foreign_op_on_our_socket_ignored(void **state) {
  np_t *t = *state;
  foreign_op_t f;
  foreign_init(&f, &f); /* anything but the pd */
  f.o.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
  assert_non_null(f.o.hEvent);
  char fbuf[8];
  WSABUF wb = {sizeof fbuf, fbuf};
  DWORD qty = 0;
  DWORD flags = 0;
  int r = WSARecv(t->a, &wb, 1, &qty, &flags, &f.o, NULL);
  assert_true(r == 0 || WSAGetLastError() == WSA_IO_PENDING);
  peer_send(t, "foreign");
  assert_int_equal(WaitForSingleObject(f.o.hEvent, HANG_GUARD_MS), WAIT_OBJECT_0);
  assert_true(WSAGetOverlappedResult(t->a, &f.o, &qty, FALSE, &flags));
  assert_int_equal(qty, 7);

  /* Our op's packet is queued after the foreign one, so once it has been
   * delivered the poller has dealt with the foreign packet too. */
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  submit_recv_pending(t);
  peer_send(t, "ours");
  assert_int_equal(core_rt_poll_wait(t->pd, 'r'), CORE_POLL_NO_ERROR);
  assert_int_equal(t->rop.qty, 4);
  assert_foreign_untouched(&f, &f);
  CloseHandle(f.o.hEvent);
}

/* Posted packets that are not ours: our key with a foreign OVERLAPPED, a
 * zero key with a zero trailing word, NULL-OVERLAPPED break packets with
 * and without our key.  None wakes the waiter or touches memory; the real
 * completion queued after them is delivered. */
/* @covers B16 */
static void posted_foreign_and_break_packets_ignored(void **state) {
  np_t *t = *state;
  HANDLE port = core_rt_port();
  foreign_op_t f1, f2;
  foreign_init(&f1, &f1);
  foreign_init(&f2, NULL);
  waiter_t w;
  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  submit_recv_pending(t);
  start_parked_waiter(&w, t->pd, 'r', false);
  assert_true(PostQueuedCompletionStatus(port, 1, (ULONG_PTR)t->pd, &f1.o));
  assert_true(PostQueuedCompletionStatus(port, 2, 0, &f2.o));
  assert_true(PostQueuedCompletionStatus(port, 0, (ULONG_PTR)t->pd, NULL));
  assert_true(PostQueuedCompletionStatus(port, 0, 0, NULL));
  peer_send(t, "real");
  assert_int_equal(join_waiter(&w), CORE_POLL_NO_ERROR);
  assert_int_equal(t->rop.errno_, 0);
  assert_int_equal(t->rop.qty, 4);
  assert_foreign_untouched(&f1, &f1);
  assert_foreign_untouched(&f2, NULL);
}

/* A completion can name a pollDesc after its FD was closed (the handle's
 * packets outlive it, F8): here a foreign op still pending at close.  The
 * pollDesc stays in the cache, the late packet is ignored, and a new FD
 * that reuses the same pollDesc (the same completion key) works.
 * (Runtime behaviour of spec §3.3; no B-number of its own.) */
static void packet_after_close_is_harmless(void **state) {
  np_t *t = *state;
  core_rt_pd_t *old = t->pd;
  foreign_op_t f;
  foreign_init(&f, &f);
  f.o.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
  assert_non_null(f.o.hEvent);
  char fbuf[8];
  WSABUF wb = {sizeof fbuf, fbuf};
  DWORD qty = 0;
  DWORD flags = 0;
  assert_int_equal(WSARecv(t->a, &wb, 1, &qty, &flags, &f.o, NULL), SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
  np_close(t);
  closesocket(t->a);
  t->a = INVALID_SOCKET;
  /* Closing the socket ends the foreign op; its packet carries the old key. */
  assert_int_equal(WaitForSingleObject(f.o.hEvent, HANG_GUARD_MS), WAIT_OBJECT_0);

  SOCKET a2, b2;
  tcp_pair(&a2, &b2);
  core_rt_pd_t *pd2;
  assert_int_equal(core_rt_poll_open((HANDLE)a2, &pd2), 0);
  assert_ptr_equal(pd2, old); /* the cache hands back the pd just freed */
  core_net_op_t op;
  memset(&op, 0, sizeof op);
  op.runtime_ctx = pd2;
  op.mode = 'r';
  op.errno_ = -1;
  char buf[8];
  WSABUF wb2 = {sizeof buf, buf};
  assert_int_equal(core_rt_poll_reset(pd2, 'r'), CORE_POLL_NO_ERROR);
  assert_int_equal(WSARecv(a2, &wb2, 1, &qty, &flags, &op.o, NULL), SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
  assert_int_equal(send(b2, "new", 3, 0), 3);
  assert_int_equal(core_rt_poll_wait(pd2, 'r'), CORE_POLL_NO_ERROR);
  assert_int_equal(op.errno_, 0);
  assert_int_equal(op.qty, 3);
  assert_foreign_untouched(&f, &f);
  core_rt_poll_unblock(pd2);
  core_rt_poll_close(pd2);
  closesocket(a2);
  closesocket(b2);
  CloseHandle(f.o.hEvent);
}

/* ---- poll side (fd_poll.c) ------------------------------------------------ */

/* fd_poll.c's FD deadline setters link fd_lock.c, which calls into
 * fd_windows.c; no case here uses an FD (test_fd_misc.c's
 * fd_set_deadline_kinds does), so these must never run. */
int core_fd_destroy(struct core_fd *fd) {
  (void)fd;
  fail_msg("core_fd_destroy called in test_netpoll");
  return 0;
}

void core_fd_release(struct core_fd *fd) {
  (void)fd;
  fail_msg("core_fd_release called in test_netpoll");
}

/* pd.init associates the handle (B28) and reports the Win32 error of a
 * handle that cannot be associated (B30), leaving the FD unpollable. */
/* @covers B28 B30 */
static void pd_init_and_failure(void **state) {
  (void)state;
  SOCKET a, b;
  tcp_pair(&a, &b);
  core_poll_desc_t pd = {NULL};
  assert_int_equal(core_pd_init(&pd, (HANDLE)a), 0);
  assert_non_null(pd.runtime_ctx);
  assert_false(core_is_poll_descriptor((HANDLE)a));

  core_poll_desc_t bad = {NULL};
  int err = core_pd_init(&bad, (HANDLE)(UINT_PTR)0x7FF0); /* not a handle */
  assert_true(err > 0);
  assert_null(bad.runtime_ctx);

  core_pd_evict(&pd);
  core_pd_close(&pd);
  assert_null(pd.runtime_ctx);
  closesocket(a);
  closesocket(b);
}

/* The closing error depends on is_file; a pd that is not pollable
 * prepares fine, cannot wait, and ignores evict/close/wait_canceled. */
/* @covers B27 B38 */
static void pd_closing_error_by_kind(void **state) {
  np_t *t = *state;
  core_poll_desc_t pd = {t->pd};
  assert_int_equal(core_pd_prepare(&pd, 'r', false), 0);
  core_pd_evict(&pd);
  t->unblocked = true;
  assert_int_equal(core_pd_prepare(&pd, 'r', false), CORE_ENETCLOSING);
  assert_int_equal(core_pd_prepare(&pd, 'w', true), CORE_EFILECLOSING);
  assert_int_equal(core_pd_wait(&pd, 'r', true), CORE_EFILECLOSING);
  assert_int_equal(core_pd_wait(&pd, 'w', false), CORE_ENETCLOSING);
  core_pd_close(&pd);
  t->closed = true;
  assert_null(pd.runtime_ctx);

  core_poll_desc_t none = {NULL};
  assert_int_equal(core_pd_prepare(&none, 'r', false), 0);
  assert_int_equal(core_pd_wait(&none, 'r', false), CORE_EWAITUNSUPPORTED);
  core_pd_wait_canceled(&none, 'r');
  core_pd_evict(&none);
  core_pd_close(&none);
}

/* convertErr, including the panic on a code the runtime never returns. */
/* @covers B27 */
static void pd_convert_err(void **state) {
  (void)state;
  const char *msg;
  assert_int_equal(core_pd_convert_err(CORE_POLL_NO_ERROR, false), 0);
  assert_int_equal(core_pd_convert_err(CORE_POLL_ERR_CLOSING, false), CORE_ENETCLOSING);
  assert_int_equal(core_pd_convert_err(CORE_POLL_ERR_CLOSING, true), CORE_EFILECLOSING);
  assert_int_equal(core_pd_convert_err(CORE_POLL_ERR_TIMEOUT, true), CORE_EDEADLINE);
  assert_int_equal(core_pd_convert_err(CORE_POLL_ERR_NOT_POLLABLE, false), CORE_ENOTPOLLABLE);
  CORE_CATCH_PANIC(msg, core_pd_convert_err(4, false));
  assert_non_null(msg);
  assert_non_null(strstr(msg, "unreachable"));
}

/* ---- time ------------------------------------------------------------------ */

/* core_nanotime's scaling of QueryPerformanceCounter: exact for the usual
 * frequencies, no overflow for large tick counts or absurd frequencies,
 * monotonic, saturating; and the clock itself never reads 0. */
static void nanotime_scaling(void **state) {
  (void)state;
  /* 10 MHz: Windows' and Wine's usual frequency. */
  assert_int_equal(core_rt_ticks_to_ns(0, 10000000), 0);
  assert_int_equal(core_rt_ticks_to_ns(12345678, 10000000), 1234567800);
  /* A year of uptime at 10 MHz would overflow a naive ticks * 1e9. */
  int64_t year = 365LL * 24 * 3600;
  assert_int_equal(core_rt_ticks_to_ns(year * 10000000 + 7, 10000000), year * 1000000000LL + 700);
  /* 1 GHz is the identity; an odd frequency rounds down. */
  assert_int_equal(core_rt_ticks_to_ns(987654321012LL, 1000000000), 987654321012LL);
  assert_int_equal(core_rt_ticks_to_ns(2, 3), 666666666);
  /* A frequency above 1.8e10 Hz, where rem * 1e9 no longer fits. */
  int64_t f = 30000000000LL;
  int64_t prev = -1;
  for (int64_t k = 0; k < 2000; k++) {
    int64_t ticks = k * (f / 1999) + 5 * f;
    int64_t ns = core_rt_ticks_to_ns(ticks, f);
    assert_true(ns >= prev);
    int64_t want = 5000000000LL + k * (f / 1999) / 30; /* exact: 1e9 / f = 1/30 */
    assert_true(ns - want < 2 && want - ns < 2);
    prev = ns;
  }
  assert_int_equal(core_rt_ticks_to_ns(f - 1, f), 999999999);
  /* Saturation. */
  assert_int_equal(core_rt_ticks_to_ns(INT64_MAX, 1), INT64_MAX);
  assert_int_equal(core_rt_ticks_to_ns(INT64_MAX, 10000000), INT64_MAX);
  assert_int_equal(core_rt_ticks_to_ns(9223372035LL * 10000000, 10000000),
                   9223372035LL * 1000000000);
  /* The clock: positive and monotonic. */
  int64_t a = core_nanotime();
  int64_t b = core_nanotime();
  assert_true(a > 0);
  assert_true(b >= a);
}

/* ---- throws ---------------------------------------------------------------- */

/* A second waiter on a mode panics "double wait" and changes nothing
 * (runtime throw of spec §3.2; no B-number of its own). */
static void double_wait_panics(void **state) {
  np_t *t = *state;
  waiter_t w;
  const char *msg;
  start_parked_waiter(&w, t->pd, 'r', false);
  CORE_CATCH_PANIC(msg, core_rt_poll_wait(t->pd, 'r'));
  assert_non_null(msg);
  assert_non_null(strstr(msg, "double wait"));
  assert_true(core_rt_pd_parked(t->pd, 'r'));
  np_unblock(t);
  assert_int_equal(join_waiter(&w), CORE_POLL_ERR_CLOSING);
}

/* Close before unblock, unblock twice, and close with a thread still
 * waiting (possible only in wait_canceled) all panic. */
/* @covers B35 */
static void close_misuse_panics(void **state) {
  np_t *t = *state;
  waiter_t w;
  const char *msg;
  CORE_CATCH_PANIC(msg, core_rt_poll_close(t->pd));
  assert_non_null(msg);
  assert_non_null(strstr(msg, "close polldesc w/o unblock"));

  assert_int_equal(core_rt_poll_reset(t->pd, 'r'), CORE_POLL_NO_ERROR);
  submit_recv_pending(t);
  start_parked_waiter(&w, t->pd, 'r', true);
  np_unblock(t);
  CORE_CATCH_PANIC(msg, core_rt_poll_unblock(t->pd));
  assert_non_null(msg);
  assert_non_null(strstr(msg, "unblock on closing polldesc"));

  for (int i = 0; i < HANG_GUARD_MS && !core_rt_pd_parked(t->pd, 'r'); i++) Sleep(1);
  CORE_CATCH_PANIC(msg, core_rt_poll_close(t->pd));
  assert_non_null(msg);
  assert_non_null(strstr(msg, "blocked read on closing polldesc"));

  peer_send(t, "x");
  assert_int_equal(join_waiter(&w), 0);
  assert_int_equal(t->rop.qty, 1);
  np_close(t);
}

/* ---- leader and followers (docs/netpoll.md, "Who polls the port") ------- */

/* Waits (hang guard) until the waiter of pd's mode sleeps the given way. */
static void await_sleep(core_rt_pd_t *pd, int mode, int how) {
  for (int i = 0; i < HANG_GUARD_MS && core_rt_pd_sleep(pd, mode) != how; i++) Sleep(1);
  assert_int_equal(core_rt_pd_sleep(pd, mode), how);
}

/* Pending receives on a and b; a thread waits on a and leads (polls the
 * port), then a thread waits on b and follows (sleeps on its semaphore). */
static void lead_and_follow(np_t *a, waiter_t *wa, np_t *b, waiter_t *wb) {
  assert_int_equal(core_rt_poll_reset(a->pd, 'r'), CORE_POLL_NO_ERROR);
  assert_int_equal(core_rt_poll_reset(b->pd, 'r'), CORE_POLL_NO_ERROR);
  submit_recv_pending(a);
  submit_recv_pending(b);
  start_parked_waiter(wa, a->pd, 'r', false);
  await_sleep(a->pd, 'r', CORE_RT_LEADING);
  start_parked_waiter(wb, b->pd, 'r', false);
  await_sleep(b->pd, 'r', CORE_RT_FOLLOWING);
}

/* Two connections: the first thread to wait leads and polls the port; the
 * second follows on its semaphore.  The follower's packet, dequeued by the
 * leader, wakes the follower with its result while the leader keeps the
 * port; then the leader gets its own. */
/* @covers B14 B16 */
static void leader_serves_follower(void **state) {
  np_t *a = *state;
  np_t *b = NULL;
  setup_np((void **)&b);
  waiter_t wa, wb;
  lead_and_follow(a, &wa, b, &wb);
  peer_send(b, "bee");
  assert_int_equal(join_waiter(&wb), CORE_POLL_NO_ERROR);
  assert_int_equal(b->rop.errno_, 0);
  assert_int_equal(b->rop.qty, 3);
  assert_memory_equal(b->rbuf, "bee", 3);
  assert_int_equal(core_rt_pd_sleep(a->pd, 'r'), CORE_RT_LEADING);
  peer_send(a, "ay");
  assert_int_equal(join_waiter(&wa), CORE_POLL_NO_ERROR);
  assert_int_equal(a->rop.qty, 2);
  teardown_np((void **)&b);
}

/* The leader's own packet ends its turn; it hands the port to the
 * follower, which then receives its own packet as the leader. */
/* @covers B14 B16 */
static void leader_hands_port_to_follower(void **state) {
  np_t *a = *state;
  np_t *b = NULL;
  setup_np((void **)&b);
  waiter_t wa, wb;
  lead_and_follow(a, &wa, b, &wb);
  peer_send(a, "first");
  assert_int_equal(join_waiter(&wa), CORE_POLL_NO_ERROR);
  assert_int_equal(a->rop.qty, 5);
  await_sleep(b->pd, 'r', CORE_RT_LEADING);
  peer_send(b, "second");
  assert_int_equal(join_waiter(&wb), CORE_POLL_NO_ERROR);
  assert_int_equal(b->rop.qty, 6);
  assert_memory_equal(b->rbuf, "second", 6);
  teardown_np((void **)&b);
}

/* Close (unblock) of the leader's pollDesc breaks its sleep in the port
 * with a break packet: it returns closing, cancels and collects its own
 * aborted packet (as leader again, or as a follower), and the port ends up
 * with the other waiter, whose data still arrives.  Then a past deadline on
 * a follower wakes it through its semaphore while another thread leads. */
/* @covers B20 B21 B22 B38 */
static void close_and_deadline_of_leader_and_follower(void **state) {
  np_t *a = *state;
  np_t *b = NULL;
  setup_np((void **)&b);
  waiter_t wa, wb;
  lead_and_follow(a, &wa, b, &wb);
  np_unblock(a);
  assert_int_equal(join_waiter(&wa), CORE_POLL_ERR_CLOSING);
  cancel_and_drain(a);
  peer_send(b, "still");
  assert_int_equal(join_waiter(&wb), CORE_POLL_NO_ERROR);
  assert_int_equal(b->rop.qty, 5);

  /* b leads now (nobody else waits); a third connection follows */
  np_t *c = NULL;
  setup_np((void **)&c);
  waiter_t wc;
  lead_and_follow(b, &wb, c, &wc);
  core_rt_poll_set_deadline(c->pd, -1, 'r');
  assert_int_equal(join_waiter(&wc), CORE_POLL_ERR_TIMEOUT);
  assert_int_equal(core_rt_pd_sleep(b->pd, 'r'), CORE_RT_LEADING);
  cancel_and_drain(c);
  peer_send(b, "end");
  assert_int_equal(join_waiter(&wb), CORE_POLL_NO_ERROR);
  assert_int_equal(b->rop.qty, 3);
  teardown_np((void **)&c);
  teardown_np((void **)&b);
}

/* Many waiters at once, each receiving a run of messages on its own
 * connection while one sender writes to the connections in a scrambled
 * order: whoever leads, every waiter gets every message, in order, and no
 * wait hangs (a follower left queued with nobody polling would). */
#define LF_CONNS 6
#define LF_ROUNDS 12

typedef struct lf_conn {
  np_t *np;
  HANDLE thread;
  volatile LONG got; /* messages received */
  volatile LONG bad; /* a wait or a result that was wrong */
} lf_conn_t;

static DWORD WINAPI lf_reader(LPVOID p) {
  lf_conn_t *c = p;
  for (LONG i = 0; i < LF_ROUNDS; i++) {
    if (core_rt_poll_reset(c->np->pd, 'r') != CORE_POLL_NO_ERROR) {
      InterlockedExchange(&c->bad, 1);
      return 1;
    }
    WSABUF wb = {1, c->np->rbuf};
    DWORD qty = 0;
    DWORD flags = 0;
    memset(&c->np->rop.o, 0, sizeof c->np->rop.o);
    if (WSARecv(c->np->a, &wb, 1, &qty, &flags, &c->np->rop.o, NULL) != 0 &&
        WSAGetLastError() != WSA_IO_PENDING) {
      InterlockedExchange(&c->bad, 2);
      return 1;
    }
    /* no skip mode: a receive that completed at once still queues its packet */
    if (core_rt_poll_wait(c->np->pd, 'r') != CORE_POLL_NO_ERROR || c->np->rop.errno_ != 0 ||
        c->np->rop.qty != 1 || c->np->rbuf[0] != (char)('a' + i)) {
      InterlockedExchange(&c->bad, 3);
      return 1;
    }
    InterlockedIncrement(&c->got);
  }
  return 0;
}

static void many_waiters_one_port(void **state) {
  (void)state;
  lf_conn_t conns[LF_CONNS];
  for (int k = 0; k < LF_CONNS; k++) {
    conns[k].np = NULL;
    setup_np((void **)&conns[k].np);
    conns[k].got = 0;
    conns[k].bad = 0;
  }
  for (int k = 0; k < LF_CONNS; k++) {
    conns[k].thread = CreateThread(NULL, 0, lf_reader, &conns[k], 0, NULL);
    assert_non_null(conns[k].thread);
  }
  /* round r sends message r to every connection, starting at a different
   * one each round */
  for (int r = 0; r < LF_ROUNDS; r++) {
    for (int j = 0; j < LF_CONNS; j++) {
      int k = (j * 5 + r * 3) % LF_CONNS;
      char m = (char)('a' + r);
      assert_int_equal(send(conns[k].np->b, &m, 1, 0), 1);
    }
    if (r % 4 == 0) Sleep(1);
  }
  for (int k = 0; k < LF_CONNS; k++) {
    assert_int_equal(WaitForSingleObject(conns[k].thread, HANG_GUARD_MS), WAIT_OBJECT_0);
    CloseHandle(conns[k].thread);
    assert_int_equal(conns[k].bad, 0);
    assert_int_equal(conns[k].got, LF_ROUNDS);
  }
  for (int k = 0; k < LF_CONNS; k++) teardown_np((void **)&conns[k].np);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(completion_wakes_waiter, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(sync_success_still_queues_packet, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(result_from_overlapped_not_entry, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(past_deadline_fails_before_submit, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(deadline_fires_while_waiting, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(deadline_extended_after_expiry, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(read_write_deadlines_independent, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(past_deadline_wakes_parked_waiter, setup_np, teardown_np),
      cmocka_unit_test(many_timers_fire),
      cmocka_unit_test_setup_teardown(unblock_wakes_parked_waiters, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(wait_canceled_ignores_close, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(foreign_op_on_our_socket_ignored, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(posted_foreign_and_break_packets_ignored, setup_np,
                                      teardown_np),
      cmocka_unit_test_setup_teardown(packet_after_close_is_harmless, setup_np, teardown_np),
      cmocka_unit_test(pd_init_and_failure),
      cmocka_unit_test_setup_teardown(pd_closing_error_by_kind, setup_np, teardown_np),
      cmocka_unit_test(pd_convert_err),
      cmocka_unit_test(nanotime_scaling),
      cmocka_unit_test_setup_teardown(double_wait_panics, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(close_misuse_panics, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(leader_serves_follower, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(leader_hands_port_to_follower, setup_np, teardown_np),
      cmocka_unit_test_setup_teardown(close_and_deadline_of_leader_and_follower, setup_np,
                                      teardown_np),
      cmocka_unit_test(many_waiters_one_port),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, group_setup, group_teardown);
}
