/* test_fw_overlapped.c: overlapped requests on fakewin - notification modes,
 * OVERLAPPED fields at every stage, GetOverlappedResult and
 * WSAGetOverlappedResult with their two status mappings - against
 * spec/win32-fidelity.md F10-F19, F50-F53 and W18.  The I/O object is the
 * test-only message device of fw_testdev.h (a read of a message larger than
 * the buffer is the immediate-warning case, as on a message pipe or a
 * datagram socket).  Outputs that must stay unwritten are pre-filled with
 * 0xdeadbeef (F53). */
#include "iocpsim_test.h"

#include <string.h>

#include <winsock2.h>

#include "fw_testdev.h"

#define SEEDS 6
#define SENTINEL 0xdeadbeefu

static HANDLE new_port(void) {
  HANDLE p = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  SIM_EXPECT(p != NULL);
  return p;
}

static void ov_init(OVERLAPPED *o) {
  memset(o, 0, sizeof *o);
  o->Internal = SENTINEL;
  o->InternalHigh = SENTINEL;
}

/* How many packets the port holds, dequeuing them; the last one's
 * outcome in *ok / *err / *n. */
static int drain(HANDLE port, BOOL *ok, DWORD *err, DWORD *n) {
  int k = 0;
  for (;;) {
    DWORD b = SENTINEL;
    ULONG_PTR key;
    OVERLAPPED *ov = NULL;
    SetLastError(0);
    BOOL r = GetQueuedCompletionStatus(port, &b, &key, &ov, 0);
    if (!r && ov == NULL) return k;
    k++;
    if (ok) *ok = r;
    if (err) *err = GetLastError();
    if (n) *n = b;
  }
}

/* An associated overlapped device with the given modes. */
static HANDLE assoc_dev(HANDLE port, fw_type_t type, UCHAR modes) {
  HANDLE d = testdev_open(type, true);
  SIM_EXPECT(CreateIoCompletionPort(d, port, 0x42, 0) == port);
  if (modes) SIM_EXPECT(SetFileCompletionNotificationModes(d, modes));
  return d;
}

/* ---- F10, F11 ------------------------------------------------------------------------------- */

/* The four kinds of outcome of one overlapped call, each with the number
 * of packets it queued. */
static void four_outcomes(UCHAR modes) {
  bool skip = (modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) != 0;
  HANDLE port = new_port();
  HANDLE d = assoc_dev(port, FW_TYPE_FILE, modes);
  char buf[4];
  OVERLAPPED o;
  DWORD n = SENTINEL;
  BOOL ok;
  DWORD err, pn;

  /* (a) immediate success, also with 0 bytes */
  testdev_push(d, "abc", 3);
  ov_init(&o);
  SIM_EXPECT(testdev_read(d, buf, sizeof buf, &n, &o) && n == 3);
  SIM_EXPECT(drain(port, &ok, &err, &pn) == (skip ? 0 : 1));
  testdev_push(d, "", 0);
  ov_init(&o);
  SIM_EXPECT(testdev_read(d, buf, sizeof buf, &n, &o) && n == 0);
  SIM_EXPECT(drain(port, &ok, &err, &pn) == (skip ? 0 : 1));

  /* (b) pending: always a packet, even when it succeeds */
  ov_init(&o);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, &n, &o), ERROR_IO_PENDING);
  testdev_push(d, "xy", 2);
  SIM_EXPECT(drain(port, &ok, &err, &pn) == 1 && ok && pn == 2);

  /* (c) immediate warning: the call fails, a packet only without skip */
  testdev_push(d, "0123456789", 10);
  ov_init(&o);
  n = SENTINEL;
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, &n, &o), ERROR_MORE_DATA);
  SIM_EXPECT(n == 4 && o.Internal == 0x80000005u && o.InternalHigh == 4);
  if (skip) {
    SIM_EXPECT(drain(port, NULL, NULL, NULL) == 0);
  } else {
    SIM_EXPECT(drain(port, &ok, &err, &pn) == 1 && !ok && err == ERROR_MORE_DATA && pn == 4);
  }
  /* the rest of the message comes with the next read */
  char big[16];
  ov_init(&o);
  SIM_EXPECT(testdev_read(d, big, sizeof big, &n, &o) && n == 6 && memcmp(big, "456789", 6) == 0);
  SIM_EXPECT(drain(port, NULL, NULL, NULL) == (skip ? 0 : 1));

  /* (d) immediate error: no packet in any mode */
  uint32_t rule = fw_fault_add_text("TestIo nth=1 -> error code=ERROR_BROKEN_PIPE", NULL, 0);
  SIM_EXPECT(rule != 0);
  ov_init(&o);
  n = SENTINEL;
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, &n, &o), ERROR_BROKEN_PIPE);
  SIM_EXPECT(n == SENTINEL);
  SIM_EXPECT(drain(port, NULL, NULL, NULL) == 0);
  fw_fault_clear();
  SIM_EXPECT(CloseHandle(d) && CloseHandle(port));
}

static void f10_main(void *arg) {
  (void)arg;
  four_outcomes(0);
  four_outcomes(FILE_SKIP_SET_EVENT_ON_HANDLE);
}

/* @covers F10 */
static void f10_without_skip_every_op_that_does_not_fail_queues_one_packet(void **state) {
  (void)state;
  testdev_run(f10_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

static void f11_main(void *arg) {
  (void)arg;
  four_outcomes(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
  four_outcomes(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE);
}

/* @covers F11 */
static void f11_skip_on_success_drops_packets_of_immediate_completions_only(void **state) {
  (void)state;
  testdev_run(f11_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* Winsock family: the immediate warning is WSAEMSGSIZE, and the byte count
 * is not written (F25); WSAGetOverlappedResult maps the packet to WSAEMSGSIZE. */
static void warn_wsa_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE s = assoc_dev(port, FW_TYPE_SOCKET, 0);
  char buf[4];
  OVERLAPPED o;
  DWORD n = SENTINEL;
  testdev_push(s, "0123456789", 10);
  ov_init(&o);
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, &n, &o), WSAEMSGSIZE);
  SIM_EXPECT(n == SENTINEL && o.InternalHigh == 4);
  DWORD k = SENTINEL, flags;
  EXPECT_ERR(WSAGetOverlappedResult((SOCKET)(uintptr_t)s, &o, &k, FALSE, &flags), WSAEMSGSIZE);
  SIM_EXPECT(k == 4);
  BOOL ok;
  DWORD err;
  SIM_EXPECT(drain(port, &ok, &err, &n) == 1 && !ok && err == ERROR_MORE_DATA && n == 4);
  SIM_EXPECT(CloseHandle(s) && CloseHandle(port));
}

/* @covers F10 F50 */
static void f10_winsock_immediate_warning_is_wsaemsgsize_with_a_packet(void **state) {
  (void)state;
  testdev_run(warn_wsa_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F12 ------------------------------------------------------------------------------------ */

static void f12_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE d = assoc_dev(port, FW_TYPE_FILE, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
  SIM_EXPECT(fw_fault_add_text("TestIo -> pending status=STATUS_SUCCESS bytes=3 now", NULL, 0) !=
             0);
  char buf[4];
  OVERLAPPED o;
  ov_init(&o);
  DWORD n = SENTINEL;
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, &n, &o), ERROR_IO_PENDING);
  /* already complete when the caller looks ... */
  SIM_EXPECT(o.Internal == 0 && o.InternalHigh == 3 && n == SENTINEL);
  /* ... and the packet still follows, skip mode or not */
  BOOL ok;
  SIM_EXPECT(drain(port, &ok, NULL, &n) == 1 && ok && n == 3);
  fw_fault_clear();
  SIM_EXPECT(CloseHandle(d) && CloseHandle(port));
}

/* @covers F12 */
static void f12_pending_may_already_be_complete_and_still_queues(void **state) {
  (void)state;
  testdev_run(f12_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F13 ------------------------------------------------------------------------------------ */

static void f13_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE d = assoc_dev(port, FW_TYPE_FILE, 0);
  char buf[4];
  OVERLAPPED o;
  ov_init(&o);
  SIM_EXPECT(WaitForSingleObject(d, 0) == WAIT_TIMEOUT);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  SIM_EXPECT(WaitForSingleObject(d, 0) == WAIT_TIMEOUT);
  testdev_push(d, "a", 1);
  SIM_EXPECT(WaitForSingleObject(d, 0) == WAIT_OBJECT_0);
  SIM_EXPECT(WaitForSingleObject(d, 0) ==
             WAIT_OBJECT_0); /* a notification object: waits do not reset it */
  /* a new I/O clears it */
  ov_init(&o);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  SIM_EXPECT(WaitForSingleObject(d, 0) == WAIT_TIMEOUT);
  testdev_push(d, "b", 1);
  SIM_EXPECT(WaitForSingleObject(d, 0) == WAIT_OBJECT_0);

  /* with FILE_SKIP_SET_EVENT_ON_HANDLE the handle stays unsignalled, the hEvent is still set */
  HANDLE s = assoc_dev(port, FW_TYPE_FILE, FILE_SKIP_SET_EVENT_ON_HANDLE);
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  ov_init(&o);
  o.hEvent = ev;
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  testdev_push(s, "c", 1);
  SIM_EXPECT(WaitForSingleObject(s, 0) == WAIT_TIMEOUT);
  SIM_EXPECT(WaitForSingleObject(ev, 0) == WAIT_OBJECT_0);
  /* the modes cannot be removed */
  SIM_EXPECT(SetFileCompletionNotificationModes(s, 0));
  ov_init(&o);
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  testdev_push(s, "d", 1);
  SIM_EXPECT(WaitForSingleObject(s, 0) == WAIT_TIMEOUT);
  /* bad flags and bad handles */
  EXPECT_ERR(SetFileCompletionNotificationModes(s, 4), ERROR_INVALID_PARAMETER);
  EXPECT_ERR(SetFileCompletionNotificationModes(ev, 1), ERROR_INVALID_HANDLE);
  EXPECT_ERR(SetFileCompletionNotificationModes((HANDLE)(uintptr_t)0x9990, 1),
             ERROR_INVALID_HANDLE);
  (void)drain(port, NULL, NULL, NULL);
  SIM_EXPECT(CloseHandle(ev) && CloseHandle(s) && CloseHandle(d) && CloseHandle(port));
}

/* @covers F13 */
static void f13_handle_is_signalled_on_completion_unless_skip_set_event(void **state) {
  (void)state;
  testdev_run(f13_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F14 ------------------------------------------------------------------------------------ */

static void f14_mode(UCHAR modes) {
  HANDLE port = new_port();
  HANDLE d = assoc_dev(port, FW_TYPE_FILE, modes);
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  char buf[4];
  OVERLAPPED o;
  /* immediate success */
  testdev_push(d, "a", 1);
  ov_init(&o);
  o.hEvent = (HANDLE)((uintptr_t)ev | 1);
  SIM_EXPECT(testdev_read(d, buf, sizeof buf, NULL, &o));
  SIM_EXPECT(WaitForSingleObject(ev, 0) == WAIT_OBJECT_0);
  SIM_EXPECT(drain(port, NULL, NULL, NULL) == 0);
  SIM_EXPECT(ResetEvent(ev));
  /* pending */
  ov_init(&o);
  o.hEvent = (HANDLE)((uintptr_t)ev | 1);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  SIM_EXPECT(WaitForSingleObject(ev, 0) == WAIT_TIMEOUT);
  testdev_push(d, "b", 1);
  SIM_EXPECT(WaitForSingleObject(ev, 0) == WAIT_OBJECT_0);
  SIM_EXPECT(o.Internal == 0 && o.InternalHigh == 1);
  SIM_EXPECT(drain(port, NULL, NULL, NULL) == 0);
  SIM_EXPECT(CloseHandle(ev) && CloseHandle(d) && CloseHandle(port));
}

static void f14_main(void *arg) {
  (void)arg;
  f14_mode(0);
  f14_mode(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
  f14_mode(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE);
}

/* @covers F14 */
static void f14_low_bit_of_hevent_suppresses_the_packet_not_the_event(void **state) {
  (void)state;
  testdev_run(f14_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F15, F16, F17 ------------------------------------------------------------------------------
 */

static void f15_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE s = assoc_dev(port, FW_TYPE_SOCKET, 0);
  SIM_EXPECT(fw_fault_add_text("TestIo -> error code=ERROR_NETNAME_DELETED", NULL, 0) != 0);
  char buf[4];
  OVERLAPPED o;
  ov_init(&o);
  DWORD n = SENTINEL;
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, &n, &o), ERROR_NETNAME_DELETED);
  /* STATUS_PENDING was written first and stays; nothing else was written */
  SIM_EXPECT(o.Internal == 0x103 && o.InternalHigh == SENTINEL && n == SENTINEL);
  SIM_EXPECT(drain(port, NULL, NULL, NULL) == 0);
  fw_fault_clear();
  SIM_EXPECT(CloseHandle(s) && CloseHandle(port));
}

/* @covers F15 */
static void f15_internal_is_status_pending_first_even_on_a_synchronous_failure(void **state) {
  (void)state;
  testdev_run(f15_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

static void f16_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE d = assoc_dev(port, FW_TYPE_FILE, 0);
  char buf[4];
  OVERLAPPED o;
  ov_init(&o);
  DWORD n = SENTINEL;
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, &n, &o), ERROR_IO_PENDING);
  SIM_EXPECT(o.Internal == 0x103 && o.InternalHigh == SENTINEL && n == SENTINEL);
  SIM_EXPECT(!HasOverlappedIoCompleted(&o));
  testdev_push(d, "abcd", 4);
  SIM_EXPECT(HasOverlappedIoCompleted(&o));
  SIM_EXPECT(n == SENTINEL); /* the caller's byte count is never written for a pending call */
  (void)drain(port, NULL, NULL, NULL);
  SIM_EXPECT(CloseHandle(d) && CloseHandle(port));
}

/* @covers F16 F53 */
static void f16_while_pending_internalhigh_and_byte_count_stay_unwritten(void **state) {
  (void)state;
  testdev_run(f16_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

typedef struct f17_ctx {
  HANDLE port;
  OVERLAPPED o;
  ULONG_PTR seen_internal, seen_high;
  bool got;
} f17_ctx_t;

static DWORD WINAPI f17_dequeuer(LPVOID arg) {
  f17_ctx_t *c = arg;
  DWORD n;
  ULONG_PTR key;
  OVERLAPPED *ov;
  SIM_EXPECT(GetQueuedCompletionStatus(c->port, &n, &key, &ov, INFINITE));
  /* by the time any thread can dequeue the packet the fields are final */
  c->seen_internal = ov->Internal;
  c->seen_high = ov->InternalHigh;
  c->got = true;
  return 0;
}

static void f17_main(void *arg) {
  (void)arg;
  f17_ctx_t c;
  memset(&c, 0, sizeof c);
  c.port = new_port();
  HANDLE d = assoc_dev(c.port, FW_TYPE_FILE, 0);
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  HANDLE th = CreateThread(NULL, 0, f17_dequeuer, &c, 0, NULL);
  char buf[16];
  ov_init(&c.o);
  c.o.hEvent = ev;
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &c.o), ERROR_IO_PENDING);
  testdev_push_at(d, sim_now() + 1000, "hello world!", 12);
  SIM_EXPECT(WaitForSingleObject(ev, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(c.o.Internal == 0 && c.o.InternalHigh == 12); /* final before the event */
  SIM_EXPECT(WaitForSingleObject(th, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(c.got && c.seen_internal == 0 && c.seen_high == 12);
  /* an immediate success fills the caller's count too */
  DWORD n = SENTINEL;
  testdev_push(d, "xyz", 3);
  ov_init(&c.o);
  SIM_EXPECT(testdev_read(d, buf, sizeof buf, &n, &c.o) && n == 3 && c.o.Internal == 0 &&
             c.o.InternalHigh == 3);
  (void)drain(c.port, NULL, NULL, NULL);
  SIM_EXPECT(CloseHandle(th) && CloseHandle(ev) && CloseHandle(d) && CloseHandle(c.port));
}

/* @covers F17 */
static void f17_fields_are_final_before_the_event_and_the_packet(void **state) {
  (void)state;
  testdev_run(f17_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F18 ------------------------------------------------------------------------------------ */

static DWORD WINAPI push_later(LPVOID arg) {
  Sleep(3);
  testdev_push((HANDLE)arg, "late", 4);
  return 0;
}

static void f18_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE s = assoc_dev(port, FW_TYPE_SOCKET, 0);
  char buf[8];
  OVERLAPPED o;
  DWORD n = SENTINEL, flags = SENTINEL;
  ov_init(&o);
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  /* pending, no wait: 996, n untouched, h not even looked at */
  EXPECT_ERR(GetOverlappedResult((HANDLE)(uintptr_t)0x8888, &o, &n, FALSE), ERROR_IO_INCOMPLETE);
  SIM_EXPECT(n == SENTINEL);
  EXPECT_ERR(WSAGetOverlappedResult((SOCKET)(uintptr_t)s, &o, &n, FALSE, &flags),
             WSA_IO_INCOMPLETE);
  SIM_EXPECT(n == SENTINEL);
  EXPECT_ERR(GetOverlappedResultEx(s, &o, &n, 0, FALSE), ERROR_IO_INCOMPLETE);
  EXPECT_ERR(GetOverlappedResultEx(s, &o, &n, 5, FALSE), WAIT_TIMEOUT);
  /* bWait: waits on the handle when there is no event */
  HANDLE th = CreateThread(NULL, 0, push_later, s, 0, NULL);
  SIM_EXPECT(GetOverlappedResult(s, &o, &n, TRUE) && n == 4);
  SIM_EXPECT(WaitForSingleObject(th, INFINITE) == WAIT_OBJECT_0 && CloseHandle(th));
  /* done: both succeed with the count; bogus h still fine without waiting */
  n = SENTINEL;
  SIM_EXPECT(GetOverlappedResult((HANDLE)(uintptr_t)0x8888, &o, &n, FALSE) && n == 4);
  n = SENTINEL;
  SIM_EXPECT(WSAGetOverlappedResult((SOCKET)(uintptr_t)s, &o, &n, FALSE, &flags) && n == 4);
  /* WSAGetOverlappedResult validates the socket first, whatever ov holds */
  HANDLE f = testdev_open(FW_TYPE_FILE, true);
  n = SENTINEL;
  EXPECT_ERR(WSAGetOverlappedResult((SOCKET)(uintptr_t)f, &o, &n, FALSE, &flags), WSAENOTSOCK);
  EXPECT_ERR(WSAGetOverlappedResult((SOCKET)0x8888, &o, &n, FALSE, &flags), WSAENOTSOCK);
  SIM_EXPECT(n == SENTINEL);
  /* an error status: mapped differently by the two calls */
  o.Internal = 0xC000020D;
  o.InternalHigh = 0;
  EXPECT_ERR(GetOverlappedResult(s, &o, &n, FALSE), ERROR_NETNAME_DELETED);
  EXPECT_ERR(WSAGetOverlappedResult((SOCKET)(uintptr_t)s, &o, &n, FALSE, &flags), WSAECONNRESET);
  /* E12: after closesocket, WSAGetOverlappedResult says WSAENOTSOCK, GetOverlappedResult still
   * reads ov */
  o.Internal = 0;
  o.InternalHigh = 3;
  SIM_EXPECT(CloseHandle(s));
  EXPECT_ERR(WSAGetOverlappedResult((SOCKET)(uintptr_t)s, &o, &n, FALSE, &flags), WSAENOTSOCK);
  n = SENTINEL;
  SIM_EXPECT(GetOverlappedResult(s, &o, &n, FALSE) && n == 3);
  (void)drain(port, NULL, NULL, NULL);
  SIM_EXPECT(CloseHandle(f) && CloseHandle(port));
}

/* @covers F18 */
static void f18_get_overlapped_result_and_wsa_variant_conventions(void **state) {
  (void)state;
  testdev_run(f18_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

static void WINAPI noop_apc(ULONG_PTR p) {
  (void)p;
}

static void f18_event_main(void *arg) {
  (void)arg;
  HANDLE d = testdev_open(FW_TYPE_FILE, true);
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  char buf[8];
  OVERLAPPED o;
  ov_init(&o);
  o.hEvent = ev;
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  testdev_push_at(d, sim_now() + 2000000, "abc", 3);
  DWORD n = SENTINEL;
  uint64_t t0 = sim_now();
  SIM_EXPECT(GetOverlappedResult(d, &o, &n, TRUE) && n == 3);
  SIM_EXPECT(sim_now() - t0 == 2000000);
  /* an alertable GetOverlappedResultEx returns WAIT_IO_COMPLETION for an APC */
  ov_init(&o);
  o.hEvent = ev;
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  SIM_EXPECT(QueueUserAPC(noop_apc, GetCurrentThread(), 0));
  EXPECT_ERR(GetOverlappedResultEx(d, &o, &n, INFINITE, TRUE), WAIT_IO_COMPLETION);
  SIM_EXPECT(CancelIoEx(d, &o));
  SIM_EXPECT(CloseHandle(ev) && CloseHandle(d));
}

/* bWait waits on the (low-bit masked) hEvent. */
/* @covers F18 */
static void f18_wait_uses_the_event_and_ex_is_alertable(void **state) {
  (void)state;
  testdev_run(f18_event_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F19 ------------------------------------------------------------------------------------ */

static void f19_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE a = assoc_dev(port, FW_TYPE_FILE, 0);
  HANDLE b = testdev_open(FW_TYPE_FILE, true);
  SIM_EXPECT(CreateIoCompletionPort(b, port, 0x5b, 0) == port);
  char buf[8];
  OVERLAPPED o;
  ov_init(&o);
  EXPECT_ERR(testdev_read(a, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  SIM_EXPECT(CloseHandle(a)); /* its packet (cancelled) is now queued */
  /* the OVERLAPPED is reused before that packet was dequeued */
  ov_init(&o);
  EXPECT_ERR(testdev_read(b, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  SIM_EXPECT(o.Internal == 0x103);
  DWORD n;
  ULONG_PTR key;
  OVERLAPPED *ov;
  SetLastError(0);
  /* the late packet reports the first operation, while ov describes the second */
  SIM_EXPECT(!GetQueuedCompletionStatus(port, &n, &key, &ov, 0));
  SIM_EXPECT(GetLastError() == ERROR_OPERATION_ABORTED && ov == &o && key == 0x42 &&
             o.Internal == 0x103);
  testdev_push(b, "z", 1);
  SIM_EXPECT(GetQueuedCompletionStatus(port, &n, &key, &ov, 0) && key == 0x5b && o.Internal == 0);
  SIM_EXPECT(CloseHandle(b) && CloseHandle(port));
}

/* @covers F19 */
static void f19_late_packet_of_a_reused_overlapped_describes_the_old_operation(void **state) {
  (void)state;
  testdev_run(f19_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F50, F51, F52 ------------------------------------------------------------------------------
 */

/* The spec's constants table, transcribed: status, GetOverlappedResult /
 * GQCS error, WSAGetOverlappedResult error (0: TRUE). */
static const struct {
  uint32_t status;
  DWORD win32, wsa;
} f50_rows[] = {
    {0x00000000, 0, 0},
    {0x80000005, ERROR_MORE_DATA, WSAEMSGSIZE},
    {0x8000000A, ERROR_HANDLES_CLOSED, WSAEINVAL},
    {0xC0000120, ERROR_OPERATION_ABORTED, ERROR_OPERATION_ABORTED},
    {0xC0000011, ERROR_HANDLE_EOF, WSAEINVAL},
    {0xC000020D, ERROR_NETNAME_DELETED, WSAECONNRESET},
    {0xC000013B, ERROR_NETNAME_DELETED, WSAECONNABORTED},
    {0xC000013C, ERROR_NETNAME_DELETED, WSAECONNRESET},
    {0xC000020C, ERROR_NETNAME_DELETED, WSAECONNRESET},
    {0xC0000241, ERROR_CONNECTION_ABORTED, WSAECONNABORTED},
    {0xC0000236, ERROR_CONNECTION_REFUSED, WSAECONNREFUSED},
    {0xC000023F, ERROR_PORT_UNREACHABLE, WSAECONNRESET},
    {0xC000023D, ERROR_HOST_UNREACHABLE, WSAEHOSTUNREACH},
    {0xC000023C, ERROR_NETWORK_UNREACHABLE, WSAENETUNREACH},
    {0xC0000140, ERROR_UNEXP_NET_ERR, WSAENOTCONN},
    {0xC00000B5, ERROR_SEM_TIMEOUT, WSAETIMEDOUT},
    {0xC0000237, ERROR_GRACEFUL_DISCONNECT, WSAEDISCON},
    {0xC000014B, ERROR_BROKEN_PIPE, WSAEINVAL},
    {0xC00000B1, ERROR_NO_DATA, WSAEINVAL},
    {0xC00000B0, ERROR_PIPE_NOT_CONNECTED, WSAESHUTDOWN},
    {0xC0000023, ERROR_INSUFFICIENT_BUFFER, WSAEFAULT},
    {0xC0000008, ERROR_INVALID_HANDLE, WSAENOTSOCK},
    {0xC0000225, ERROR_NOT_FOUND, WSAEINVAL},
    {0xC000009A, ERROR_NO_SYSTEM_RESOURCES, WSAENOBUFS},
    {0xC0000206, ERROR_INVALID_USER_BUFFER, WSAEMSGSIZE},
    {0xC00000BB, ERROR_NOT_SUPPORTED, WSAEOPNOTSUPP},
    /* an error status in neither table: WSAEINVAL from ws2, ntdll's "not found" */
    {0xC0FFEE01, 317, WSAEINVAL},
};

static void f50_main(void *arg) {
  (void)arg;
  HANDLE s = testdev_open(FW_TYPE_SOCKET, true);
  HANDLE port = new_port();
  fw_port_t *p = testdev_port(port);
  for (size_t i = 0; i < sizeof f50_rows / sizeof f50_rows[0]; i++) {
    OVERLAPPED o;
    memset(&o, 0, sizeof o);
    o.Internal = f50_rows[i].status;
    o.InternalHigh = 7;
    DWORD n = SENTINEL, flags = 0;
    SetLastError(0);
    BOOL ok = GetOverlappedResult(s, &o, &n, FALSE);
    SIM_EXPECT(ok == (f50_rows[i].win32 == 0) && n == 7);
    if (!ok) SIM_EXPECT(GetLastError() == f50_rows[i].win32);
    n = SENTINEL;
    SetLastError(0);
    ok = WSAGetOverlappedResult((SOCKET)(uintptr_t)s, &o, &n, FALSE, &flags);
    SIM_EXPECT(ok == (f50_rows[i].wsa == 0) && n == 7);
    if (!ok) SIM_EXPECT(GetLastError() == f50_rows[i].wsa);
    /* GQCS uses the first mapping */
    fw_port_queue(p, 1, &o, (NTSTATUS)f50_rows[i].status, 7);
    ULONG_PTR key;
    OVERLAPPED *ov;
    SetLastError(0);
    ok = GetQueuedCompletionStatus(port, &n, &key, &ov, 0);
    SIM_EXPECT(ok == (f50_rows[i].win32 == 0));
    if (!ok) SIM_EXPECT(GetLastError() == f50_rows[i].win32);
  }
  SIM_EXPECT(CloseHandle(port) && CloseHandle(s));
}

/* @covers F50 F18 */
static void f50_two_status_mappings_row_by_row(void **state) {
  (void)state;
  testdev_run(f50_main, NULL, 2, FW_PERSONALITY_WINDOWS);
}

static void f51_main(void *arg) {
  (void)arg;
  bool wine = fw_world_personality() == FW_PERSONALITY_WINE8;
  HANDLE s = testdev_open(FW_TYPE_SOCKET, true);
  OVERLAPPED o;
  memset(&o, 0, sizeof o);
  o.Internal = 0x40000000;
  o.InternalHigh = 2;
  DWORD n = SENTINEL, flags;
  SetLastError(0);
  BOOL ok = GetOverlappedResult(s, &o, &n, FALSE);
  /* W18: Wine fails it with the mapped code; Windows treats it as success */
  SIM_EXPECT(ok == !wine && n == 2);
  SIM_EXPECT(WSAGetOverlappedResult((SOCKET)(uintptr_t)s, &o, &n, FALSE, &flags));
  SIM_EXPECT(CloseHandle(s));
}

/* @covers F51 */
static void f51_informational_status_succeeds_in_wsagetoverlappedresult(void **state) {
  (void)state;
  testdev_run(f51_main, NULL, 2, FW_PERSONALITY_WINDOWS);
}

/* W18: GetOverlappedResult on an informational status under wine8. */
/* @covers F51 W18 */
static void w18_wine8_get_overlapped_result_fails_informational_status(void **state) {
  (void)state;
  testdev_run(f51_main, NULL, 2, FW_PERSONALITY_WINE8);
}

static void f52_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE d = assoc_dev(port, FW_TYPE_FILE, 0);
  char buf[4];
  OVERLAPPED o;
  memset(&o, 0xff, sizeof o);
  o.hEvent = NULL;
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  SIM_EXPECT(o.Internal == 0x103);
  SIM_EXPECT(CancelIoEx(d, &o));
  /* a zero-extended 32-bit status; a DWORD byte count */
  SIM_EXPECT(o.Internal == 0x00000000C0000120ull && o.InternalHigh == 0);
  SIM_EXPECT((LONG)o.Internal == (LONG)0xC0000120);
  OVERLAPPED_ENTRY e;
  memset(&e, 0xff, sizeof e);
  ULONG r;
  SIM_EXPECT(GetQueuedCompletionStatusEx(port, &e, 1, &r, 0, FALSE) && r == 1);
  SIM_EXPECT(e.Internal == 0x00000000C0000120ull && e.dwNumberOfBytesTransferred == 0);
  SIM_EXPECT(CloseHandle(d) && CloseHandle(port));
}

/* @covers F52 */
static void f52_internal_holds_a_zero_extended_32_bit_status(void **state) {
  (void)state;
  testdev_run(f52_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(f10_without_skip_every_op_that_does_not_fail_queues_one_packet),
      cmocka_unit_test(f11_skip_on_success_drops_packets_of_immediate_completions_only),
      cmocka_unit_test(f10_winsock_immediate_warning_is_wsaemsgsize_with_a_packet),
      cmocka_unit_test(f12_pending_may_already_be_complete_and_still_queues),
      cmocka_unit_test(f13_handle_is_signalled_on_completion_unless_skip_set_event),
      cmocka_unit_test(f14_low_bit_of_hevent_suppresses_the_packet_not_the_event),
      cmocka_unit_test(f15_internal_is_status_pending_first_even_on_a_synchronous_failure),
      cmocka_unit_test(f16_while_pending_internalhigh_and_byte_count_stay_unwritten),
      cmocka_unit_test(f17_fields_are_final_before_the_event_and_the_packet),
      cmocka_unit_test(f18_get_overlapped_result_and_wsa_variant_conventions),
      cmocka_unit_test(f18_wait_uses_the_event_and_ex_is_alertable),
      cmocka_unit_test(f19_late_packet_of_a_reused_overlapped_describes_the_old_operation),
      cmocka_unit_test(f50_two_status_mappings_row_by_row),
      cmocka_unit_test(f51_informational_status_succeeds_in_wsagetoverlappedresult),
      cmocka_unit_test(w18_wine8_get_overlapped_result_fails_informational_status),
      cmocka_unit_test(f52_internal_holds_a_zero_extended_32_bit_status),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
