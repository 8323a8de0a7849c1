/* test_fw_cancel.c: cancellation and close on fakewin - CancelIoEx,
 * CancelIo, CancelSynchronousIo, closing a handle with pending I/O, the
 * completion-beats-cancel race - against spec/win32-fidelity.md F36-F40,
 * F42 and W1/W2.  The I/O object is the test-only message device of
 * fw_testdev.h (FW_TYPE_SOCKET for the socket rules of F40). */
#include "iocpsim_test.h"

#include <string.h>
#include <winsock2.h>

#include "fw_testdev.h"

#define SEEDS 8
#define SENTINEL 0xdeadbeefu

static HANDLE new_port(void) {
  HANDLE p = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  SIM_EXPECT(p != NULL);
  return p;
}

static HANDLE assoc(HANDLE port, fw_type_t type, ULONG_PTR key) {
  HANDLE d = testdev_open(type, true);
  SIM_EXPECT(CreateIoCompletionPort(d, port, key, 0) == port);
  return d;
}

static void ov_init(OVERLAPPED *o) {
  memset(o, 0, sizeof *o);
  o->InternalHigh = SENTINEL;
}

/* Dequeues one packet at once: ok, error, bytes, ov. */
typedef struct pkt {
  BOOL ok;
  DWORD err, n;
  ULONG_PTR key;
  OVERLAPPED *ov;
} pkt_t;

static bool get(HANDLE port, pkt_t *p) {
  p->ov = NULL;
  SetLastError(0);
  p->ok = GetQueuedCompletionStatus(port, &p->n, &p->key, &p->ov, 0);
  p->err = GetLastError();
  return p->ok || p->ov != NULL;
}

/* ---- F36, W1 ------------------------------------------------------------------------------- */

static void f36_main(void *arg) {
  (void)arg;
  bool wine = fw_world_personality() == FW_PERSONALITY_WINE8;
  HANDLE port = new_port();
  HANDLE d = assoc(port, FW_TYPE_SOCKET, 1);
  char buf[4];
  OVERLAPPED o;
  ov_init(&o);
  /* never issued */
  EXPECT_ERR(CancelIoEx(d, &o), ERROR_NOT_FOUND);
  /* nothing pending at all: FALSE/ERROR_NOT_FOUND on Windows, TRUE on Wine 8 (W1) */
  SetLastError(0);
  BOOL r = CancelIoEx(d, NULL);
  SIM_EXPECT(r == wine);
  if (!wine) SIM_EXPECT(GetLastError() == ERROR_NOT_FOUND);
  /* CancelIo with nothing pending: TRUE */
  SIM_EXPECT(CancelIo(d));
  /* completed */
  testdev_push(d, "a", 1);
  SIM_EXPECT(testdev_read(d, buf, sizeof buf, NULL, &o));
  EXPECT_ERR(CancelIoEx(d, &o), ERROR_NOT_FOUND);
  /* already cancelled */
  ov_init(&o);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  SIM_EXPECT(CancelIoEx(d, &o));
  EXPECT_ERR(CancelIoEx(d, &o), ERROR_NOT_FOUND);
  /* bad handles */
  EXPECT_ERR(CancelIoEx((HANDLE)(uintptr_t)0x9994, NULL), ERROR_INVALID_HANDLE);
  EXPECT_ERR(CancelIo((HANDLE)(uintptr_t)0x9994), ERROR_INVALID_HANDLE);
  pkt_t p;
  while (get(port, &p)) {
  }
  SIM_EXPECT(CloseHandle(d) && CloseHandle(port));
}

/* @covers F36 */
static void f36_cancelling_nothing_fails_with_not_found_except_cancelio(void **state) {
  (void)state;
  testdev_run(f36_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* W1: CancelIoEx(h, NULL) with nothing pending returns TRUE under wine8. */
/* @covers F36 W1 */
static void w01_wine8_cancelioex_null_with_nothing_pending_is_true(void **state) {
  (void)state;
  testdev_run(f36_main, NULL, SEEDS, FW_PERSONALITY_WINE8);
}

/* ---- F37 ------------------------------------------------------------------------------------ */

typedef struct two_ctx {
  HANDLE d;
  OVERLAPPED o;
  HANDLE issued;
} two_ctx_t;

static DWORD WINAPI issue_read(LPVOID arg) {
  two_ctx_t *c = arg;
  char buf[4];
  ov_init(&c->o);
  EXPECT_ERR(testdev_read(c->d, buf, 0, NULL, &c->o), ERROR_IO_PENDING);
  SIM_EXPECT(SetEvent(c->issued));
  return 0;
}

static void f37_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE s = assoc(port, FW_TYPE_SOCKET, 0x77);
  char buf[4];
  OVERLAPPED o;
  ov_init(&o);
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  SIM_EXPECT(CancelIoEx(s, &o));
  /* the cancel completes it; the packet still has to be dequeued */
  SIM_EXPECT(o.Internal == 0xC0000120u && o.InternalHigh == 0);
  pkt_t p;
  SIM_EXPECT(get(port, &p) && !p.ok && p.err == ERROR_OPERATION_ABORTED && p.n == 0 && p.ov == &o &&
             p.key == 0x77);
  DWORD n, flags;
  EXPECT_ERR(WSAGetOverlappedResult((SOCKET)(uintptr_t)s, &o, &n, FALSE, &flags),
             WSA_OPERATION_ABORTED);
  SIM_EXPECT(!get(port, &p));

  /* (h, NULL): every pending operation of the handle, whichever thread issued it */
  two_ctx_t c = {s, {0}, CreateEventA(NULL, FALSE, FALSE, NULL)};
  HANDLE th = CreateThread(NULL, 0, issue_read, &c, 0, NULL);
  SIM_EXPECT(WaitForSingleObject(c.issued, INFINITE) == WAIT_OBJECT_0);
  ov_init(&o);
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  SIM_EXPECT(testdev_pending(s) == 2);
  SIM_EXPECT(CancelIoEx(s, NULL));
  SIM_EXPECT(testdev_pending(s) == 0);
  int got = 0;
  bool seen_o = false, seen_c = false;
  while (get(port, &p)) {
    SIM_EXPECT(!p.ok && p.err == ERROR_OPERATION_ABORTED);
    seen_o |= p.ov == &o;
    seen_c |= p.ov == &c.o;
    got++;
  }
  SIM_EXPECT(got == 2 && seen_o && seen_c);
  SIM_EXPECT(WaitForSingleObject(th, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(CloseHandle(th) && CloseHandle(c.issued) && CloseHandle(s) && CloseHandle(port));
}

/* @covers F37 */
static void f37_cancel_completes_pending_ops_with_operation_aborted(void **state) {
  (void)state;
  testdev_run(f37_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* The packets of one CancelIoEx(h, NULL) come in an order the decision
 * stream picks (Windows promises none); each seed is deterministic and the
 * seeds together produce both orders. */
static int order_first;
static void order_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE d = assoc(port, FW_TYPE_FILE, 0);
  char buf[4];
  OVERLAPPED a, b;
  ov_init(&a);
  ov_init(&b);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &a), ERROR_IO_PENDING);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &b), ERROR_IO_PENDING);
  SIM_EXPECT(CancelIoEx(d, NULL));
  pkt_t p;
  SIM_EXPECT(get(port, &p));
  order_first = p.ov == &a ? 1 : 2;
  SIM_EXPECT(get(port, &p) && p.ov == (order_first == 1 ? &b : &a));
  SIM_EXPECT(CloseHandle(d) && CloseHandle(port));
}

/* @covers F37 */
static void f37_cancel_all_completion_order_is_drawn(void **state) {
  (void)state;
  bool seen[3] = {false, false, false};
  for (uint64_t seed = 0; seed < 32; seed++) {
    sim_result_t r1, r2;
    assert_int_equal(testdev_run_one(order_main, NULL, seed, &r1), SIM_STATUS_PASS);
    int first = order_first;
    assert_int_equal(testdev_run_one(order_main, NULL, seed, &r2), SIM_STATUS_PASS);
    assert_int_equal(order_first, first);
    assert_true(r1.trace_hash == r2.trace_hash);
    seen[first] = true;
    sim_result_free(&r1);
    sim_result_free(&r2);
  }
  assert_true(seen[1] && seen[2]);
}

/* ---- F38 ------------------------------------------------------------------------------------ */

static void f38_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE d = assoc(port, FW_TYPE_FILE, 0);
  char buf[8];
  OVERLAPPED o;
  pkt_t p;
  /* natural: the data came before the cancel looked */
  ov_init(&o);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  testdev_push(d, "data", 4);
  SIM_EXPECT(HasOverlappedIoCompleted(&o));
  EXPECT_ERR(CancelIoEx(d, &o), ERROR_NOT_FOUND);
  SIM_EXPECT(get(port, &p) && p.ok && p.n == 4);

  /* forced: it completes just before CancelIoEx looks */
  uint32_t rule = fw_fault_add_text("TestIo nth=1 -> complete-before-cancel bytes=3", NULL, 0);
  SIM_EXPECT(rule != 0);
  testdev_push(d, "xyz", 3);
  ov_init(&o);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o),
             ERROR_IO_PENDING); /* pends although data is there */
  SIM_EXPECT(o.Internal == 0x103);
  EXPECT_ERR(CancelIoEx(d, &o), ERROR_NOT_FOUND);
  SIM_EXPECT(o.Internal == 0 && o.InternalHigh == 3 && memcmp(buf, "xyz", 3) == 0);
  SIM_EXPECT(get(port, &p) && p.ok && p.n == 3);
  /* (h, NULL) with only such an operation: nothing was cancelled */
  SIM_EXPECT(fw_fault_add_text("TestIo nth=1 -> complete-before-cancel bytes=0", NULL, 0) != 0);
  ov_init(&o);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  EXPECT_ERR(CancelIoEx(d, NULL), ERROR_NOT_FOUND);
  SIM_EXPECT(get(port, &p) && p.ok && p.n == 0);

  /* the other interleaving: the cancel is accepted, the operation completes anyway */
  SIM_EXPECT(fw_fault_add_text("TestIo nth=1 -> cancel-too-late bytes=2", NULL, 0) != 0);
  testdev_push(d, "kl", 2);
  ov_init(&o);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  SIM_EXPECT(CancelIoEx(d, &o));
  SIM_EXPECT(get(port, &p) && p.ok && p.n == 2 && o.Internal == 0);

  /* cancel wins: the operation never completes by itself */
  SIM_EXPECT(fw_fault_add_text("TestIo nth=1 -> cancel-wins", NULL, 0) != 0);
  ov_init(&o);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  testdev_push(d, "ignored", 7); /* goes to the device, not to the forced request */
  Sleep(50);
  SIM_EXPECT(o.Internal == 0x103);
  SIM_EXPECT(CancelIoEx(d, &o));
  SIM_EXPECT(get(port, &p) && !p.ok && p.err == ERROR_OPERATION_ABORTED);
  SIM_EXPECT(!get(port, &p));
  fw_fault_clear();
  SIM_EXPECT(CloseHandle(d) && CloseHandle(port));
}

/* @covers F38 */
static void f38_completion_beats_cancel_and_the_other_races(void **state) {
  (void)state;
  testdev_run(f38_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F39 ------------------------------------------------------------------------------------ */

typedef struct exit_ctx {
  HANDLE d;
  OVERLAPPED o;
  char buf[8];
} exit_ctx_t;

static DWORD WINAPI issue_and_exit(LPVOID arg) {
  exit_ctx_t *c = arg;
  ov_init(&c->o);
  EXPECT_ERR(testdev_read(c->d, c->buf, sizeof c->buf, NULL, &c->o), ERROR_IO_PENDING);
  return 0;
}

static void f39_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE d = assoc(port, FW_TYPE_FILE, 0);
  exit_ctx_t c;
  memset(&c, 0, sizeof c);
  c.d = d;
  HANDLE th = CreateThread(NULL, 0, issue_and_exit, &c, 0, NULL);
  SIM_EXPECT(WaitForSingleObject(th, INFINITE) ==
             WAIT_OBJECT_0); /* the issuing thread has exited */
  SIM_EXPECT(CloseHandle(th));
  pkt_t p;
  /* the exit did not cancel it; CancelIo from another thread does not either */
  SIM_EXPECT(CancelIo(d));
  SIM_EXPECT(!get(port, &p) && testdev_pending(d) == 1);
  /* it completes with data */
  testdev_push(d, "late", 4);
  SIM_EXPECT(get(port, &p) && p.ok && p.n == 4 && p.ov == &c.o && memcmp(c.buf, "late", 4) == 0);
  /* CancelIo cancels what the calling thread issued */
  char buf[4];
  OVERLAPPED o;
  ov_init(&o);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  SIM_EXPECT(CancelIo(d));
  SIM_EXPECT(get(port, &p) && !p.ok && p.err == ERROR_OPERATION_ABORTED && p.ov == &o);
  SIM_EXPECT(CloseHandle(d) && CloseHandle(port));
}

/* @covers F39 */
static void f39_cancelio_is_thread_scoped_and_thread_exit_does_not_cancel(void **state) {
  (void)state;
  testdev_run(f39_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F40, W2 ------------------------------------------------------------------------------- */

static void f40_main(void *arg) {
  (void)arg;
  bool wine = fw_world_personality() == FW_PERSONALITY_WINE8;
  HANDLE port = new_port();
  HANDLE s = assoc(port, FW_TYPE_SOCKET, 0x40);
  char buf[4];
  OVERLAPPED a, b;
  ov_init(&a);
  ov_init(&b);
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, NULL, &a), ERROR_IO_PENDING);
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, NULL, &b), ERROR_IO_PENDING);
  SIM_EXPECT(CloseHandle(s));
  /* every pending receive still gets its packet */
  pkt_t p;
  for (int i = 0; i < 2; i++) {
    SIM_EXPECT(get(port, &p) && !p.ok && p.n == 0 && p.key == 0x40);
    SIM_EXPECT(p.err == (wine ? ERROR_HANDLES_CLOSED : ERROR_CONNECTION_ABORTED));
    SIM_EXPECT(p.ov->Internal == (wine ? 0x8000000Au : 0xC0000241u));
  }
  SIM_EXPECT(!get(port, &p));
  /* and WSAGetOverlappedResult on the closed socket says WSAENOTSOCK */
  DWORD n, flags;
  EXPECT_ERR(WSAGetOverlappedResult((SOCKET)(uintptr_t)s, &a, &n, FALSE, &flags), WSAENOTSOCK);
  /* a file-like object's pending reads are cancelled */
  HANDLE f = assoc(port, FW_TYPE_FILE, 0x41);
  EXPECT_ERR(testdev_read(f, buf, sizeof buf, NULL, &a), ERROR_IO_PENDING);
  SIM_EXPECT(CloseHandle(f));
  SIM_EXPECT(get(port, &p) && !p.ok && p.err == ERROR_OPERATION_ABORTED && p.key == 0x41);
  SIM_EXPECT(CloseHandle(port));
}

/* @covers F40 */
static void f40_close_with_pending_receives_aborts_each_with_a_packet(void **state) {
  (void)state;
  testdev_run(f40_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* W2: under wine8 the pending receive completes with STATUS_HANDLES_CLOSED. */
/* @covers F40 W2 */
static void w02_wine8_close_with_pending_receive_reports_handles_closed(void **state) {
  (void)state;
  testdev_run(f40_main, NULL, SEEDS, FW_PERSONALITY_WINE8);
}

/* ---- F42 ------------------------------------------------------------------------------------ */

typedef struct sync_ctx {
  HANDLE d;
  BOOL ok;
  DWORD err, n;
  bool done;
} sync_ctx_t;

static DWORD WINAPI sync_reader(LPVOID arg) {
  sync_ctx_t *c = arg;
  char buf[8];
  c->n = SENTINEL;
  SetLastError(0);
  c->ok = testdev_read(c->d, buf, sizeof buf, &c->n, NULL);
  c->err = GetLastError();
  c->done = true;
  return 0;
}

static void f42_main(void *arg) {
  bool by_thread = arg != NULL;
  HANDLE d = testdev_open(FW_TYPE_FILE, false);
  sync_ctx_t c = {d, FALSE, 0, 0, false};
  HANDLE th = CreateThread(NULL, 0, sync_reader, &c, 0, NULL);
  /* a thread that is not in synchronous I/O: nothing to cancel */
  if (by_thread) EXPECT_ERR(CancelSynchronousIo(GetCurrentThread()), ERROR_NOT_FOUND);
  Sleep(10);
  SIM_EXPECT(!c.done); /* blocked in the synchronous read */
  if (by_thread)
    SIM_EXPECT(CancelSynchronousIo(th));
  else
    SIM_EXPECT(CancelIoEx(d, NULL));
  SIM_EXPECT(WaitForSingleObject(th, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(c.done && !c.ok && c.err == ERROR_OPERATION_ABORTED && c.n == SENTINEL);
  /* the thread is no longer in I/O */
  if (by_thread) EXPECT_ERR(CancelSynchronousIo(th), ERROR_NOT_FOUND);
  /* a blocked read that data releases is not cancelled */
  c.done = false;
  HANDLE th2 = CreateThread(NULL, 0, sync_reader, &c, 0, NULL);
  Sleep(10);
  testdev_push(d, "abc", 3);
  SIM_EXPECT(WaitForSingleObject(th2, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(c.done && c.ok && c.n == 3);
  SIM_EXPECT(CloseHandle(th) && CloseHandle(th2) && CloseHandle(d));
}

/* @covers F42 */
static void f42_cancelioex_null_releases_a_blocked_synchronous_read(void **state) {
  (void)state;
  testdev_run(f42_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* @covers F42 */
static void f42_cancel_synchronous_io_releases_the_thread_or_finds_nothing(void **state) {
  (void)state;
  testdev_run(f42_main, (void *)1, SEEDS, FW_PERSONALITY_WINDOWS);
  testdev_run(f42_main, (void *)1, SEEDS, FW_PERSONALITY_WINE8);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(f36_cancelling_nothing_fails_with_not_found_except_cancelio),
      cmocka_unit_test(w01_wine8_cancelioex_null_with_nothing_pending_is_true),
      cmocka_unit_test(f37_cancel_completes_pending_ops_with_operation_aborted),
      cmocka_unit_test(f37_cancel_all_completion_order_is_drawn),
      cmocka_unit_test(f38_completion_beats_cancel_and_the_other_races),
      cmocka_unit_test(f39_cancelio_is_thread_scoped_and_thread_exit_does_not_cancel),
      cmocka_unit_test(f40_close_with_pending_receives_aborts_each_with_a_packet),
      cmocka_unit_test(w02_wine8_close_with_pending_receive_reports_handles_closed),
      cmocka_unit_test(f42_cancelioex_null_releases_a_blocked_synchronous_read),
      cmocka_unit_test(f42_cancel_synchronous_io_releases_the_thread_or_finds_nothing),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
