/* test_fd_execio.c: execIO's outcomes that depend on how the poller's
 * wake-up and the operation's completion interleave (spec/go-poll.md B19,
 * B20, B23, B24).  On the real API those interleavings are races the poller
 * thread wins or loses by timing, so this suite links fd_windows.c against a
 * scripted pollDesc instead of fd_poll.c/netpoll.c: the I/O is real Winsock
 * on loopback sockets; only the answer of core_pd_wait is chosen, and
 * core_pd_wait_canceled collects the operation's real result with
 * WSAGetOverlappedResult, as the runtime's poller does (spec §3.3).
 *
 * The FDs are initialised as "ip" so that completions are never skipped
 * and every operation goes through the wait (B13). */
#include "test_fd_util.h"
#include "core_panic.h"
#include "fd_poll.h"
#include "netpoll.h"

#include <stddef.h>
#include <string.h>

/* ---- the scripted pollDesc (replaces fd_poll.c) ------------------------- */

typedef enum wait_mode {
  WAIT_NOW,          /* return the scripted error at once */
  WAIT_AFTER_DONE,   /* first let the operation complete, then return it */
  WAIT_CLOSE_HANDLE, /* close the socket under the operation, then return it */
} wait_mode_t;

static wait_mode_t script_mode;
static int script_err;
static int dummy_pd;

/* The FD under test: each case sets it right after creating it.  The
 * double finds the FD's operations through it (core_test_fd_overlapped: the
 * OVERLAPPED is the first field of the operation's net_op head). */
static core_fd_t *scripted_fd;

static core_net_op_t *op_of(int mode) {
  return (core_net_op_t *)core_test_fd_overlapped(scripted_fd, mode);
}

static void wait_until_done(const core_net_op_t *o) {
  const volatile ULONG_PTR *internal = &o->o.Internal;
  for (int waited = 0; (LONG)*internal == FDT_STATUS_PENDING; waited++) {
    assert_true(waited < FDT_GUARD_MS);
    Sleep(1);
  }
}

int core_pd_init(core_poll_desc_t *pd, HANDLE sysfd) {
  (void)sysfd;
  pd->runtime_ctx = (core_rt_pd_t *)&dummy_pd;
  return 0;
}

void core_pd_close(core_poll_desc_t *pd) {
  pd->runtime_ctx = NULL;
}
void core_pd_evict(core_poll_desc_t *pd) {
  (void)pd;
}

/* Set once execIO has submitted and gone on to wait (fdt_wait_pending). */
static volatile LONG waiting_mode;

static bool scripted_waiting(const core_fd_t *fd, int mode) {
  (void)fd;
  return waiting_mode == mode;
}

int core_pd_prepare(core_poll_desc_t *pd, int mode, bool is_file) {
  (void)pd, (void)mode, (void)is_file;
  InterlockedExchange(&waiting_mode, 0);
  return 0;
}

int core_pd_wait(core_poll_desc_t *pd, int mode, bool is_file) {
  (void)pd, (void)is_file;
  core_net_op_t *o = op_of(mode);
  InterlockedExchange(&waiting_mode, mode);
  if (script_mode == WAIT_AFTER_DONE) wait_until_done(o);
  if (script_mode == WAIT_CLOSE_HANDLE) closesocket((SOCKET)core_fd_sysfd(scripted_fd));
  return script_err;
}

/* The poller's handlecompletion for this operation: the result comes from
 * the OVERLAPPED, fetched with WSAGetOverlappedResult. */
void core_pd_wait_canceled(core_poll_desc_t *pd, int mode) {
  (void)pd;
  core_net_op_t *o = op_of(mode);
  wait_until_done(o);
  DWORD qty = 0, flags = 0;
  if (WSAGetOverlappedResult((SOCKET)core_fd_sysfd(scripted_fd), &o->o, &qty, FALSE, &flags)) {
    o->errno_ = 0;
  } else {
    o->errno_ = WSAGetLastError();
  }
  o->qty = qty;
}

void core_rt_reset(void) {}

/* fd_poll.c's clock, for test_fd_util.c. */
int64_t core_now(void) {
  LARGE_INTEGER c, f;
  QueryPerformanceCounter(&c);
  QueryPerformanceFrequency(&f);
  return (int64_t)((double)c.QuadPart * 1e9 / (double)f.QuadPart);
}

/* ---- cases ------------------------------------------------------------------ */

typedef struct reader {
  core_fd_t *fd;
  char buf[16];
  size_t len;
  size_t n;
  int err;
  bool from; /* ReadFrom instead of Read */
} reader_t;

static DWORD WINAPI read_thread(LPVOID arg) {
  reader_t *r = arg;
  if (r->from) {
    core_sockaddr_t sa;
    r->err = core_fd_read_from(r->fd, r->buf, r->len, &r->n, &sa);
  } else {
    r->err = core_fd_read(r->fd, r->buf, r->len, &r->n);
  }
  return 0;
}

/* @covers B24
 * The deadline fires after the WSARecv completed but before its packet was
 * seen: CancelIoEx finds nothing to cancel, the completed result is
 * collected, and Read reports the bytes with no error -- they really left
 * the socket, so dropping them would lose data. */
static void cancel_after_success_keeps_bytes(void **state) {
  (void)state;
  fdt_startup();
  SOCKET sa, sb;
  fdt_tcp_pair(&sa, &sb);
  core_fd_t *b = fdt_fd((HANDLE)sb, "ip", true, true, true);
  scripted_fd = b;
  script_mode = WAIT_AFTER_DONE;
  script_err = CORE_EDEADLINE;
  reader_t r = {.fd = b, .len = sizeof r.buf};
  HANDLE t = fdt_thread(read_thread, &r);
  fdt_wait_pending(b, 'r');
  fdt_send_all(sa, "kept", 4);
  fdt_join(t);
  assert_int_equal(r.err, 0);
  assert_int_equal(r.n, 4);
  assert_memory_equal(r.buf, "kept", 4);
  assert_int_equal((LONG)op_of('r')->o.Internal, 0);
  closesocket(sa);
  fdt_close_free(b);
}

/* @covers B23
 * The same race with a truncated datagram: the operation completed with
 * WSAEMSGSIZE and 4 bytes, but on the after-cancel path the seed reports
 * (0, WSAEMSGSIZE) -- unlike B17, the count is dropped. */
static void cancel_after_truncation_drops_count(void **state) {
  (void)state;
  fdt_startup();
  uint16_t p1, p2;
  SOCKET s1 = fdt_udp_bound(&p1);
  SOCKET s2 = fdt_udp_bound(&p2);
  core_fd_t *f2 = fdt_fd((HANDLE)s2, "ip", true, false, false);
  scripted_fd = f2;
  script_mode = WAIT_AFTER_DONE;
  script_err = CORE_EDEADLINE;
  reader_t r = {.fd = f2, .len = 4, .from = true};
  HANDLE t = fdt_thread(read_thread, &r);
  fdt_wait_pending(f2, 'r');
  struct sockaddr_in to = fdt_loopback4(p2);
  assert_int_equal(sendto(s1, "0123456789", 10, 0, (struct sockaddr *)&to, (int)sizeof to), 10);
  fdt_join(t);
  assert_int_equal(r.err, WSAEMSGSIZE);
  assert_int_equal(r.n, 0);
  assert_int_equal(op_of('r')->qty, 4);
  assert_memory_equal(r.buf, "0123", 4);
  closesocket(s1);
  fdt_close_free(f2);
}

/* @covers B22
 * The usual order for comparison: the deadline wins, the cancel takes, the
 * aborted packet turns into the deadline error. */
static void cancel_before_completion_reports_wake_reason(void **state) {
  (void)state;
  fdt_startup();
  SOCKET sa, sb;
  fdt_tcp_pair(&sa, &sb);
  core_fd_t *b = fdt_fd((HANDLE)sb, "ip", true, true, true);
  scripted_fd = b;
  script_mode = WAIT_NOW;
  script_err = CORE_ENETCLOSING;
  char buf[8];
  size_t n = 99;
  assert_int_equal(core_fd_read(b, buf, sizeof buf, &n), CORE_ENETCLOSING);
  assert_int_equal(n, 0);
  assert_int_equal(op_of('r')->errno_, ERROR_OPERATION_ABORTED);
  closesocket(sa);
  fdt_close_free(b);
}

/* @covers B19
 * A wait error other than closing or deadline (ErrNotPollable, which the
 * Windows poller never produces) is a panic with Go's text. */
static void unexpected_wait_error_panics(void **state) {
  (void)state;
  fdt_startup();
  SOCKET sa, sb;
  fdt_tcp_pair(&sa, &sb);
  core_fd_t *b = fdt_fd((HANDLE)sb, "ip", true, true, true);
  scripted_fd = b;
  script_mode = WAIT_NOW;
  script_err = CORE_ENOTPOLLABLE;
  char buf[8];
  size_t n;
  const char *msg;
  CORE_CATCH_PANIC(msg, (void)core_fd_read(b, buf, sizeof buf, &n));
  assert_non_null(msg);
  assert_string_equal(msg, "unexpected runtime.netpoll error: not pollable");
  /* The panic left the read lock held, as a Go panic would without its
   * deferred unlock running, so Close would wait forever: the sockets are
   * closed directly, and the FD is released as one whose method never
   * returned. */
  closesocket(sa);
  closesocket(sb);
  core_test_fd_free_after_panic(b);
}

/* @covers B20
 * CancelIoEx failing with anything but ERROR_NOT_FOUND is a panic carrying
 * that error: here the handle was closed under the pending operation, so
 * the cancel fails with ERROR_INVALID_HANDLE. */
static void cancel_failure_panics(void **state) {
  (void)state;
  fdt_startup();
  SOCKET sa, sb;
  fdt_tcp_pair(&sa, &sb);
  core_fd_t *b = fdt_fd((HANDLE)sb, "ip", true, true, true);
  scripted_fd = b;
  script_mode = WAIT_CLOSE_HANDLE;
  script_err = CORE_EDEADLINE;
  char buf[8];
  size_t n;
  const char *msg;
  CORE_CATCH_PANIC(msg, (void)core_fd_read(b, buf, sizeof buf, &n));
  assert_non_null(msg);
  assert_string_equal(msg, core_strerror(ERROR_INVALID_HANDLE));
  closesocket(sa);
  core_test_fd_free_after_panic(b); /* the panicked Read never leaves it */
}

int main(int argc, char **argv) {
  fdt_submitted_probe = scripted_waiting;
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(cancel_after_success_keeps_bytes, fdt_teardown),
      cmocka_unit_test_teardown(cancel_after_truncation_drops_count, fdt_teardown),
      cmocka_unit_test_teardown(cancel_before_completion_reports_wake_reason, fdt_teardown),
      cmocka_unit_test_teardown(unexpected_wait_error_panics, fdt_teardown),
      cmocka_unit_test_teardown(cancel_failure_panics, fdt_teardown),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
