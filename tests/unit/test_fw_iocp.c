/* test_fw_iocp.c: fakewin's completion ports against spec/win32-fidelity.md
 * F1-F9 and W6/W7.  Each case is a program run inside sim worlds (several
 * seeds); SIM_EXPECT ends a run that disagrees, and the host side asserts
 * every run passed.  Outputs that must stay unwritten are pre-filled with
 * the sentinel 0xdeadbeef (F53).  I/O comes from the test-only device of
 * fw_testdev.h and from raw packets queued the way NtSetIoCompletion does. */
#include "iocpsim_test.h"

#include <stdlib.h>
#include <string.h>

#include "fw_testdev.h"

#define SEEDS 8
#define SENTINEL 0xdeadbeefu
#define SENTINEL_PTR ((ULONG_PTR)0xdeadbeefdeadbeefull)

static HANDLE new_port(void) {
  HANDLE p = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  SIM_EXPECT(p != NULL);
  return p;
}

/* ---- F1, F2, F3 ---------------------------------------------------------------------- */

static void f01_main(void *arg) {
  (void)arg;
  /* the key of a creation call is ignored */
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0x77, 1);
  SIM_EXPECT(port != NULL && port != INVALID_HANDLE_VALUE);
  HANDLE d = testdev_open(FW_TYPE_FILE, true);
  SIM_EXPECT(CreateIoCompletionPort(d, port, 0x28, 0) == port);
  /* creating and associating in one call returns a fresh port */
  HANDLE d2 = testdev_open(FW_TYPE_FILE, true);
  HANDLE port2 = CreateIoCompletionPort(d2, NULL, 0x29, 0);
  SIM_EXPECT(port2 != NULL && port2 != port);
  /* an existing port with INVALID_HANDLE_VALUE is a bad combination */
  EXPECT_ERR(CreateIoCompletionPort(INVALID_HANDLE_VALUE, port, 0, 0) != NULL,
             ERROR_INVALID_PARAMETER);
  SIM_EXPECT(CloseHandle(d) && CloseHandle(d2) && CloseHandle(port) && CloseHandle(port2));
}

/* @covers F1 */
static void f01_create_port_and_associate_returns_the_port(void **state) {
  (void)state;
  testdev_run(f01_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

static void f02_main(void *arg) {
  (void)arg;
  HANDLE port = new_port(), other = new_port();
  HANDLE d = testdev_open(FW_TYPE_SOCKET, true);
  SIM_EXPECT(CreateIoCompletionPort(d, port, 1, 0) == port);
  /* E01[6]: same port, a different port, a new port: all 87 */
  EXPECT_ERR(CreateIoCompletionPort(d, port, 1, 0) != NULL, ERROR_INVALID_PARAMETER);
  EXPECT_ERR(CreateIoCompletionPort(d, other, 2, 0) != NULL, ERROR_INVALID_PARAMETER);
  EXPECT_ERR(CreateIoCompletionPort(d, NULL, 3, 0) != NULL, ERROR_INVALID_PARAMETER);
  /* a bogus handle: 6 */
  EXPECT_ERR(CreateIoCompletionPort((HANDLE)(uintptr_t)0x7654, port, 4, 0) != NULL,
             ERROR_INVALID_HANDLE);
  /* a bogus port: 6 */
  HANDLE d3 = testdev_open(FW_TYPE_SOCKET, true);
  EXPECT_ERR(CreateIoCompletionPort(d3, (HANDLE)(uintptr_t)0x7654, 4, 0) != NULL,
             ERROR_INVALID_HANDLE);
  /* a handle not opened for overlapped I/O: 87 */
  HANDLE sync = testdev_open(FW_TYPE_SOCKET, false);
  EXPECT_ERR(CreateIoCompletionPort(sync, port, 5, 0) != NULL, ERROR_INVALID_PARAMETER);
  /* an object that is no file: 6 */
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  EXPECT_ERR(CreateIoCompletionPort(ev, port, 6, 0) != NULL, ERROR_INVALID_HANDLE);
  /* the failed attempts created no port handle */
  SIM_EXPECT(fw_world_open_handles() == 6);
  SIM_EXPECT(CloseHandle(ev) && CloseHandle(sync) && CloseHandle(d3) && CloseHandle(d));
  SIM_EXPECT(CloseHandle(port) && CloseHandle(other));
}

/* @covers F2 */
static void f02_second_association_fails_with_invalid_parameter(void **state) {
  (void)state;
  testdev_run(f02_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

static void f03_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE a = testdev_open(FW_TYPE_FILE, true), b = testdev_open(FW_TYPE_FILE, true);
  SIM_EXPECT(CreateIoCompletionPort(a, port, 0x28, 0) == port);
  SIM_EXPECT(CreateIoCompletionPort(b, port, 0x29, 0) == port);
  char buf[8];
  OVERLAPPED oa, ob;
  memset(&oa, 0, sizeof oa);
  memset(&ob, 0, sizeof ob);
  EXPECT_ERR(testdev_read(b, buf, sizeof buf, NULL, &ob), ERROR_IO_PENDING);
  EXPECT_ERR(testdev_read(a, buf, sizeof buf, NULL, &oa), ERROR_IO_PENDING);
  testdev_push(a, "x", 1);
  testdev_push(b, "y", 1);
  DWORD n = SENTINEL;
  ULONG_PTR key = SENTINEL_PTR;
  OVERLAPPED *ov = NULL;
  SIM_EXPECT(GetQueuedCompletionStatus(port, &n, &key, &ov, 0));
  SIM_EXPECT(ov == &oa && key == 0x28 && n == 1);
  SIM_EXPECT(GetQueuedCompletionStatus(port, &n, &key, &ov, 0));
  SIM_EXPECT(ov == &ob && key == 0x29 && n == 1);
  SIM_EXPECT(CloseHandle(a) && CloseHandle(b) && CloseHandle(port));
}

/* Each packet carries the key of the handle its operation was issued on. */
/* @covers F3 */
static void f03_packet_key_is_the_issuing_handles_key(void **state) {
  (void)state;
  testdev_run(f03_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F4 ------------------------------------------------------------------------------------ */

static void f04_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  DWORD n = SENTINEL;
  ULONG_PTR key = SENTINEL;
  OVERLAPPED *ov = (OVERLAPPED *)SENTINEL_PTR;
  uint64_t t0 = sim_now();
  EXPECT_ERR(GetQueuedCompletionStatus(port, &n, &key, &ov, 0), WAIT_TIMEOUT);
  SIM_EXPECT(n == SENTINEL && key == SENTINEL && ov == NULL);
  SIM_EXPECT(sim_now() == t0); /* timeout 0 returns at once */
  ov = (OVERLAPPED *)SENTINEL_PTR;
  EXPECT_ERR(GetQueuedCompletionStatus(port, &n, &key, &ov, 100), WAIT_TIMEOUT);
  SIM_EXPECT(n == SENTINEL && key == SENTINEL && ov == NULL);
  SIM_EXPECT(sim_now() - t0 == 100 * 1000000ull); /* virtual time: exactly the timeout */
  SIM_EXPECT(CloseHandle(port));
}

/* @covers F4 F53 */
static void f04_gqcs_empty_port_times_out_leaving_outputs_unwritten(void **state) {
  (void)state;
  testdev_run(f04_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F5 ------------------------------------------------------------------------------------ */

static const struct {
  uint32_t status;
  BOOL ok;
  DWORD err;
} f05_rows[] = {
    {0xC0000120, FALSE, 995},  {0x80000005, FALSE, 234}, {0xC000020D, FALSE, 64},
    {0xC0000241, FALSE, 1236}, {0x00000103, TRUE, 0},    {0x40000000, TRUE, 0},
    {0xC0000011, FALSE, 38},   {0x00000000, TRUE, 0},
};

static void f05_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  fw_port_t *p = testdev_port(port);
  OVERLAPPED o;
  for (size_t i = 0; i < sizeof f05_rows / sizeof f05_rows[0]; i++) {
    fw_port_queue(p, 0x5a, &o, (NTSTATUS)f05_rows[i].status, 5);
    DWORD n = SENTINEL;
    ULONG_PTR key = SENTINEL;
    OVERLAPPED *ov = NULL;
    SetLastError(0x1234); /* success leaves the last error alone */
    BOOL ok = GetQueuedCompletionStatus(port, &n, &key, &ov, 0);
    SIM_EXPECT(ok == f05_rows[i].ok);
    SIM_EXPECT(GetLastError() == (f05_rows[i].ok ? 0x1234u : f05_rows[i].err));
    /* a failed I/O still fills bytes, key and OVERLAPPED */
    SIM_EXPECT(n == 5 && key == 0x5a && ov == &o);
  }
  SIM_EXPECT(CloseHandle(port));
}

/* @covers F5 */
static void f05_failed_packet_still_fills_bytes_key_and_overlapped(void **state) {
  (void)state;
  testdev_run(f05_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F6 ------------------------------------------------------------------------------------ */

static void f06_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  OVERLAPPED o1;
  memset(&o1, 0xab, sizeof o1);
  o1.Internal = 0xC0000120; /* junk that must not be read */
  OVERLAPPED copy = o1;
  SIM_EXPECT(PostQueuedCompletionStatus(port, 7, 0x11, &o1));
  SIM_EXPECT(memcmp(&o1, &copy, sizeof o1) == 0); /* neither read into the packet nor written */
  SIM_EXPECT(PostQueuedCompletionStatus(port, 0, 0x22, NULL));
  DWORD n = SENTINEL;
  ULONG_PTR key = 0;
  OVERLAPPED *ov = NULL;
  SIM_EXPECT(GetQueuedCompletionStatus(port, &n, &key, &ov, 0)); /* status 0, not o1.Internal */
  SIM_EXPECT(n == 7 && key == 0x11 && ov == &o1);
  SIM_EXPECT(memcmp(&o1, &copy, sizeof o1) == 0);
  ov = (OVERLAPPED *)SENTINEL_PTR;
  SIM_EXPECT(GetQueuedCompletionStatus(port, &n, &key, &ov, 0));
  SIM_EXPECT(ov == NULL && key == 0x22 && n == 0);
  /* the packet is a snapshot: changing the OVERLAPPED after queueing does not matter */
  HANDLE d = testdev_open(FW_TYPE_FILE, true);
  SIM_EXPECT(CreateIoCompletionPort(d, port, 0x33, 0) == port);
  OVERLAPPED o2;
  memset(&o2, 0, sizeof o2);
  char buf[4];
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o2), ERROR_IO_PENDING);
  testdev_push(d, "ab", 2);
  o2.Internal = 0xC000020D;
  o2.InternalHigh = 99;
  SIM_EXPECT(GetQueuedCompletionStatus(port, &n, &key, &ov, 0));
  SIM_EXPECT(n == 2 && ov == &o2);
  SIM_EXPECT(CloseHandle(d));
  /* posting to a closed port */
  SIM_EXPECT(CloseHandle(port));
  EXPECT_ERR(PostQueuedCompletionStatus(port, 0, 0, NULL), ERROR_INVALID_HANDLE);
}

/* @covers F6 */
static void f06_post_never_touches_the_overlapped_and_packets_are_snapshots(void **state) {
  (void)state;
  testdev_run(f06_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F7 ------------------------------------------------------------------------------------ */

static int apc_runs;
static void WINAPI count_apc(ULONG_PTR p) {
  apc_runs += (int)p;
}

static void f07_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  fw_port_t *p = testdev_port(port);
  OVERLAPPED a, b, c;
  OVERLAPPED_ENTRY e[4];
  memset(e, 0xff, sizeof e); /* the upper half of Internal must be cleared (F52) */
  ULONG removed = SENTINEL;
  fw_port_queue(p, 1, &a, STATUS_CANCELLED, 0);
  fw_port_queue(p, 2, &b, STATUS_CANCELLED, 0);
  fw_port_queue(p, 3, &c, STATUS_SUCCESS, 9);
  /* TRUE although every removed entry failed; at most ulCount, FIFO */
  SIM_EXPECT(GetQueuedCompletionStatusEx(port, e, 2, &removed, 0, FALSE));
  SIM_EXPECT(removed == 2);
  SIM_EXPECT(e[0].lpCompletionKey == 1 && e[0].lpOverlapped == &a && e[0].Internal == 0xC0000120u);
  SIM_EXPECT(e[1].lpCompletionKey == 2 && e[1].lpOverlapped == &b && e[1].Internal == 0xC0000120u);
  SIM_EXPECT(e[0].dwNumberOfBytesTransferred == 0);
  SIM_EXPECT(e[2].lpCompletionKey == (ULONG_PTR)-1); /* not touched beyond what was removed */
  SIM_EXPECT(GetQueuedCompletionStatusEx(port, e, 4, &removed, 0, FALSE));
  SIM_EXPECT(removed == 1 && e[0].lpOverlapped == &c && e[0].Internal == 0 &&
             e[0].dwNumberOfBytesTransferred == 9);
  /* nothing within the timeout */
  EXPECT_ERR(GetQueuedCompletionStatusEx(port, e, 4, &removed, 20, FALSE), WAIT_TIMEOUT);
  /* an alertable wait with an APC queued: the APC runs, WAIT_IO_COMPLETION */
  apc_runs = 0;
  SIM_EXPECT(QueueUserAPC(count_apc, GetCurrentThread(), 1));
  EXPECT_ERR(GetQueuedCompletionStatusEx(port, e, 4, &removed, 0, FALSE), WAIT_TIMEOUT);
  SIM_EXPECT(apc_runs == 0); /* a non-alertable wait does not run it */
  EXPECT_ERR(GetQueuedCompletionStatusEx(port, e, 4, &removed, INFINITE, TRUE), WAIT_IO_COMPLETION);
  SIM_EXPECT(apc_runs == 1);
  SIM_EXPECT(CloseHandle(port));
}

/* Windows personality only: W7 (Wine's half-written Internal) is
 * w07_gqcsex_wine8_quirks_and_windows_conventions's. */
/* @covers F7 F52 */
static void f07_gqcsex_is_true_when_entries_failed_and_reports_each_status(void **state) {
  (void)state;
  testdev_run(f07_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

typedef struct apc_ctx {
  HANDLE port;
  HANDLE waiter;
  int phase;
} apc_ctx_t;

static DWORD WINAPI alertable_waiter(LPVOID arg) {
  apc_ctx_t *c = arg;
  OVERLAPPED_ENTRY e[2];
  ULONG n;
  SetLastError(0);
  BOOL ok = GetQueuedCompletionStatusEx(c->port, e, 2, &n, INFINITE, TRUE);
  SIM_EXPECT(!ok && GetLastError() == WAIT_IO_COMPLETION && apc_runs == 5);
  c->phase = 1;
  return 0;
}

static void f07_apc_main(void *arg) {
  (void)arg;
  apc_ctx_t c = {new_port(), NULL, 0};
  apc_runs = 0;
  HANDLE th = CreateThread(NULL, 0, alertable_waiter, &c, 0, NULL);
  Sleep(10); /* the waiter is blocked by now: Sleep lets virtual time pass */
  SIM_EXPECT(c.phase == 0);
  SIM_EXPECT(QueueUserAPC(count_apc, th, 5));
  SIM_EXPECT(WaitForSingleObject(th, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(c.phase == 1);
  SIM_EXPECT(CloseHandle(th) && CloseHandle(c.port));
}

/* A thread blocked in an alertable GQCSEx is released by an APC. */
/* @covers F7 */
static void f07_apc_releases_a_blocked_alertable_gqcsex(void **state) {
  (void)state;
  testdev_run(f07_apc_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

static DWORD WINAPI port_closer(LPVOID arg) {
  Sleep(5);
  SIM_EXPECT(CloseHandle((HANDLE)arg));
  return 0;
}

static void f07_abandoned_main(void *arg) {
  bool ex = arg != NULL;
  HANDLE port = new_port();
  HANDLE th = CreateThread(NULL, 0, port_closer, port, 0, NULL);
  uint64_t t0 = sim_now();
  SetLastError(0);
  if (ex) {
    OVERLAPPED_ENTRY e[1];
    ULONG n;
    SIM_EXPECT(!GetQueuedCompletionStatusEx(port, e, 1, &n, 1000, FALSE));
  } else {
    DWORD n = SENTINEL;
    ULONG_PTR key = SENTINEL;
    OVERLAPPED *ov = (OVERLAPPED *)SENTINEL_PTR;
    SIM_EXPECT(!GetQueuedCompletionStatus(port, &n, &key, &ov, 1000));
    SIM_EXPECT(ov == NULL && n == SENTINEL && key == SENTINEL);
  }
  if (fw_world_personality() == FW_PERSONALITY_WINE8) {
    /* W6: the waiter keeps waiting until its timeout */
    SIM_EXPECT(GetLastError() == WAIT_TIMEOUT);
    SIM_EXPECT(sim_now() - t0 == 1000 * 1000000ull);
  } else {
    SIM_EXPECT(GetLastError() == ERROR_ABANDONED_WAIT_0);
    SIM_EXPECT(sim_now() - t0 < 1000 * 1000000ull);
  }
  SIM_EXPECT(WaitForSingleObject(th, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(CloseHandle(th));
}

/* Closing the port handle while threads wait on it releases them with ERROR_ABANDONED_WAIT_0. */
/* @covers F7 */
static void f07_port_closed_while_waiting_gives_abandoned_wait(void **state) {
  (void)state;
  testdev_run(f07_abandoned_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
  testdev_run(f07_abandoned_main, (void *)1, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* W6: under wine8 the waiter keeps waiting until its timeout. */
/* @covers W6 */
static void w06_wine8_port_close_leaves_the_waiter_waiting(void **state) {
  (void)state;
  testdev_run(f07_abandoned_main, NULL, SEEDS, FW_PERSONALITY_WINE8);
  testdev_run(f07_abandoned_main, (void *)1, SEEDS, FW_PERSONALITY_WINE8);
}

static void w07_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  OVERLAPPED_ENTRY e[2];
  memset(e, 0xff, sizeof e);
  ULONG n = SENTINEL;
  bool wine = fw_world_personality() == FW_PERSONALITY_WINE8;
  /* timeout: n = 1 on both (file.c test_post_completion, no todo_wine) */
  EXPECT_ERR(GetQueuedCompletionStatusEx(port, e, 2, &n, 0, FALSE), WAIT_TIMEOUT);
  SIM_EXPECT(n == 1u);
  /* W7: a handle that is not a port - Wine writes n = 1 there too */
  HANDLE other = new_port();
  SIM_EXPECT(CloseHandle(other));
  n = SENTINEL;
  EXPECT_ERR(GetQueuedCompletionStatusEx(other, e, 2, &n, 0, FALSE), ERROR_INVALID_HANDLE);
  SIM_EXPECT(n == (wine ? 1u : SENTINEL));
  /* ulCount == 0 */
  OVERLAPPED o;
  SIM_EXPECT(PostQueuedCompletionStatus(port, 1, 2, &o));
  n = SENTINEL;
  if (wine) {
    SIM_EXPECT(GetQueuedCompletionStatusEx(port, e, 0, &n, 0, FALSE));
    SIM_EXPECT(n == 1);
  } else {
    EXPECT_ERR(GetQueuedCompletionStatusEx(port, e, 0, &n, 0, FALSE), ERROR_INVALID_PARAMETER);
  }
  /* the packet is still there in both cases; the upper half of Internal */
  SIM_EXPECT(GetQueuedCompletionStatusEx(port, e, 2, &n, 0, FALSE));
  SIM_EXPECT(n == 1 && e[0].lpOverlapped == &o);
  SIM_EXPECT(e[0].Internal == (wine ? 0xFFFFFFFF00000000ull : 0));
  SIM_EXPECT(CloseHandle(port));
}

/* W7: GQCSEx's Wine details against the Windows conventions. */
/* @covers F7 F52 W7 */
static void w07_gqcsex_wine8_quirks_and_windows_conventions(void **state) {
  (void)state;
  testdev_run(w07_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
  testdev_run(w07_main, NULL, SEEDS, FW_PERSONALITY_WINE8);
}

/* ---- F8 ------------------------------------------------------------------------------------ */

static void f08_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE d = testdev_open(FW_TYPE_FILE, true);
  SIM_EXPECT(CreateIoCompletionPort(d, port, 0x5c, 0) == port);
  OVERLAPPED o;
  memset(&o, 0, sizeof o);
  char buf[4];
  SIM_EXPECT(PostQueuedCompletionStatus(port, 0, 0x1111, NULL));
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  testdev_push(d, "abc", 3);
  SIM_EXPECT(PostQueuedCompletionStatus(port, 0, 0x2222, NULL));
  /* the I/O packet survives the close of its handle */
  SIM_EXPECT(CloseHandle(d));
  ULONG_PTR keys[3];
  for (int i = 0; i < 3; i++) {
    DWORD n;
    OVERLAPPED *ov;
    SIM_EXPECT(GetQueuedCompletionStatus(port, &n, &keys[i], &ov, 0));
  }
  SIM_EXPECT(keys[0] == 0x1111 && keys[1] == 0x5c && keys[2] == 0x2222);
  SIM_EXPECT(CloseHandle(port));
}

/* @covers F8 */
static void f08_packets_are_fifo_and_survive_the_handle_close(void **state) {
  (void)state;
  testdev_run(f08_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* Waiting threads are released newest first (Windows' LIFO rule for ports). */
typedef struct lifo_ctx {
  HANDLE port;
  int order[2];
  int n;
} lifo_ctx_t;

static lifo_ctx_t lifo;
static DWORD WINAPI lifo_waiter(LPVOID arg) {
  int id = (int)(intptr_t)arg;
  DWORD n;
  ULONG_PTR key;
  OVERLAPPED *ov;
  SIM_EXPECT(GetQueuedCompletionStatus(lifo.port, &n, &key, &ov, INFINITE));
  lifo.order[lifo.n++] = id;
  return 0;
}

static void lifo_main(void *arg) {
  (void)arg;
  memset(&lifo, 0, sizeof lifo);
  lifo.port = new_port();
  HANDLE t1 = CreateThread(NULL, 0, lifo_waiter, (LPVOID)1, 0, NULL);
  Sleep(1);
  HANDLE t2 = CreateThread(NULL, 0, lifo_waiter, (LPVOID)2, 0, NULL);
  Sleep(1); /* both blocked, 1 first */
  SIM_EXPECT(PostQueuedCompletionStatus(lifo.port, 0, 0, NULL));
  Sleep(1);
  SIM_EXPECT(lifo.n == 1 && lifo.order[0] == 2);
  SIM_EXPECT(PostQueuedCompletionStatus(lifo.port, 0, 0, NULL));
  SIM_EXPECT(WaitForSingleObject(t1, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(WaitForSingleObject(t2, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(lifo.n == 2 && lifo.order[1] == 1);
  SIM_EXPECT(CloseHandle(t1) && CloseHandle(t2) && CloseHandle(lifo.port));
}

static void port_waiters_are_released_last_in_first_out(void **state) {
  (void)state;
  testdev_run(lifo_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- F9 ------------------------------------------------------------------------------------ */

static void f09_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  SIM_EXPECT(CloseHandle(port));
  HANDLE ev = CreateEventA(NULL, TRUE, TRUE, NULL);
  HANDLE bad[] = {port, (HANDLE)(uintptr_t)0x4444, NULL, INVALID_HANDLE_VALUE, ev};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    DWORD n = SENTINEL;
    ULONG_PTR key = SENTINEL;
    OVERLAPPED *ov = (OVERLAPPED *)SENTINEL_PTR;
    EXPECT_ERR(GetQueuedCompletionStatus(bad[i], &n, &key, &ov, 0), ERROR_INVALID_HANDLE);
    SIM_EXPECT(ov == NULL);
    OVERLAPPED_ENTRY e[1];
    ULONG r;
    EXPECT_ERR(GetQueuedCompletionStatusEx(bad[i], e, 1, &r, 0, FALSE), ERROR_INVALID_HANDLE);
  }
  SIM_EXPECT(CloseHandle(ev));
}

/* @covers F9 */
static void f09_invalid_port_handle_fails_with_invalid_handle(void **state) {
  (void)state;
  testdev_run(f09_main, NULL, SEEDS, FW_PERSONALITY_WINDOWS);
}

/* ---- determinism ---------------------------------------------------------------------------- */

#define WL_THREADS 3
#define WL_OPS 20

typedef struct wl {
  HANDLE port;
  HANDLE dev[WL_THREADS];
  LONG done;
} wl_t;
static wl_t wl;

static DWORD WINAPI wl_producer(LPVOID arg) {
  int id = (int)(intptr_t)arg;
  char buf[16];
  for (int i = 0; i < WL_OPS; i++) {
    OVERLAPPED *o = calloc(1, sizeof *o);
    if (!testdev_read(wl.dev[id], buf, sizeof buf, NULL, o))
      SIM_EXPECT(GetLastError() == ERROR_IO_PENDING);
    testdev_push_at(wl.dev[id], sim_now() + (uint64_t)(i % 3) * 1000, "data", 4);
    if (i % 4 == 0) SIM_EXPECT(PostQueuedCompletionStatus(wl.port, (DWORD)i, 0x99, NULL));
    Sleep(0);
  }
  return 0;
}

static DWORD WINAPI wl_consumer(LPVOID arg) {
  (void)arg;
  for (;;) {
    OVERLAPPED_ENTRY e[4];
    ULONG n;
    if (!GetQueuedCompletionStatusEx(wl.port, e, 4, &n, 50, FALSE)) return 0;
    for (ULONG i = 0; i < n; i++) {
      if (e[i].lpOverlapped) free(e[i].lpOverlapped);
      InterlockedIncrement(&wl.done);
    }
  }
}

static void workload_main(void *arg) {
  (void)arg;
  memset(&wl, 0, sizeof wl);
  wl.port = new_port();
  HANDLE th[2 * WL_THREADS];
  for (int i = 0; i < WL_THREADS; i++) {
    wl.dev[i] = testdev_open(FW_TYPE_FILE, true);
    SIM_EXPECT(CreateIoCompletionPort(wl.dev[i], wl.port, (ULONG_PTR)i, 0) == wl.port);
  }
  for (int i = 0; i < WL_THREADS; i++)
    th[i] = CreateThread(NULL, 0, wl_producer, (LPVOID)(intptr_t)i, 0, NULL);
  for (int i = 0; i < WL_THREADS; i++)
    th[WL_THREADS + i] = CreateThread(NULL, 0, wl_consumer, NULL, 0, NULL);
  SIM_EXPECT(WaitForMultipleObjects(2 * WL_THREADS, th, TRUE, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(wl.done == WL_THREADS * WL_OPS + WL_THREADS * (WL_OPS / 4));
  for (int i = 0; i < 2 * WL_THREADS; i++) SIM_EXPECT(CloseHandle(th[i]));
  for (int i = 0; i < WL_THREADS; i++) SIM_EXPECT(CloseHandle(wl.dev[i]));
  SIM_EXPECT(CloseHandle(wl.port));
}

/* Same seed, same trace hash, for a workload of several producer and
 * consumer threads on one port; and the schedule really depends on it. */
static void iocp_workload_is_deterministic_per_seed(void **state) {
  (void)state;
  uint64_t hashes[6];
  for (uint64_t seed = 0; seed < 6; seed++) {
    sim_result_t a, b;
    sim_status_t sa = testdev_run_one(workload_main, NULL, seed, &a);
    sim_status_t sb = testdev_run_one(workload_main, NULL, seed, &b);
    if (sa != SIM_STATUS_PASS) print_message("%s\n", a.report);
    assert_int_equal(sa, SIM_STATUS_PASS);
    assert_int_equal(sb, SIM_STATUS_PASS);
    assert_true(a.trace_hash == b.trace_hash);
    assert_int_equal(a.events, b.events);
    hashes[seed] = a.trace_hash;
    sim_result_free(&a);
    sim_result_free(&b);
  }
  bool differ = false;
  for (int i = 1; i < 6; i++) differ |= hashes[i] != hashes[0];
  assert_true(differ);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(f01_create_port_and_associate_returns_the_port),
      cmocka_unit_test(f02_second_association_fails_with_invalid_parameter),
      cmocka_unit_test(f03_packet_key_is_the_issuing_handles_key),
      cmocka_unit_test(f04_gqcs_empty_port_times_out_leaving_outputs_unwritten),
      cmocka_unit_test(f05_failed_packet_still_fills_bytes_key_and_overlapped),
      cmocka_unit_test(f06_post_never_touches_the_overlapped_and_packets_are_snapshots),
      cmocka_unit_test(f07_gqcsex_is_true_when_entries_failed_and_reports_each_status),
      cmocka_unit_test(f07_apc_releases_a_blocked_alertable_gqcsex),
      cmocka_unit_test(f07_port_closed_while_waiting_gives_abandoned_wait),
      cmocka_unit_test(w06_wine8_port_close_leaves_the_waiter_waiting),
      cmocka_unit_test(w07_gqcsex_wine8_quirks_and_windows_conventions),
      cmocka_unit_test(f08_packets_are_fifo_and_survive_the_handle_close),
      cmocka_unit_test(port_waiters_are_released_last_in_first_out),
      cmocka_unit_test(f09_invalid_port_handle_fails_with_invalid_handle),
      cmocka_unit_test(iocp_workload_is_deterministic_per_seed),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
