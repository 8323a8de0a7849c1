/* test_fd_lifetime.c: the FD's memory without a garbage collector.
 *
 * core.h promises that core_fd_free is legal as soon as core_fd_close has
 * returned, whatever other threads are still doing inside the FD's
 * methods.  Each case below frees the FD right after Close while threads
 * are blocked in the fdMutex (they hold no reference: Close only releases
 * them), parked in the poller, in a synchronous pipe call, or between an
 * unlock's CAS and its semaphore release; then it joins them and checks
 * what each returned.  A thread that touched the FD after its memory went
 * is a heap-use-after-free under ASan (the native-asan tier runs every case
 * in 100 seeded worlds) and a crash or a wrong result elsewhere; on the
 * mingw tier the same cases run on real threads under Wine. */
#include "test_fd_util.h"

#include <stdlib.h>
#include <string.h>

typedef struct io_thread {
  core_fd_t *fd;
  char rbuf[64];
  const void *wbuf;
  size_t len;
  size_t n;
  int err;
} io_thread_t;

static DWORD WINAPI read_thread(LPVOID arg) {
  io_thread_t *t = arg;
  t->err = core_fd_read(t->fd, t->rbuf, sizeof t->rbuf, &t->n);
  return 0;
}

static DWORD WINAPI write_thread(LPVOID arg) {
  io_thread_t *t = arg;
  t->err = core_fd_write(t->fd, t->wbuf, t->len, &t->n);
  return 0;
}

/* Waits (hang guard) until cond(fd, mode) holds; polls, never asserts timing. */
static void wait_for(bool (*cond)(const core_fd_t *, int), const core_fd_t *fd, int mode) {
  for (int waited = 0; !cond(fd, mode); waited++) {
    assert_true(waited < FDT_GUARD_MS);
    Sleep(1);
  }
}

static bool two_waiters(const core_fd_t *fd, int mode) {
  return core_test_fd_lock_waiters(fd, mode) == 2;
}

static bool one_waiter(const core_fd_t *fd, int mode) {
  return core_test_fd_lock_waiters(fd, mode) == 1;
}

/* A blocking ReadFile/WriteFile cannot be observed from outside; give the
 * thread time to get into it.  Only liveness depends on this. */
static void let_it_block(void) {
  Sleep(200);
}

/* Small socket buffers, so that a big write stays pending. */
static void small_buffers(SOCKET s) {
  int sz = 4096;
  assert_int_equal(setsockopt(s, SOL_SOCKET, SO_SNDBUF, (const char *)&sz, (int)sizeof sz), 0);
  assert_int_equal(setsockopt(s, SOL_SOCKET, SO_RCVBUF, (const char *)&sz, (int)sizeof sz), 0);
}

#define BIG_WRITE ((size_t)8 << 20)

/* @covers B38 B110
 * A socket FD with a reader and a writer parked in the poller (each holding
 * its lock) and two more of each blocked in the lock behind them: Close
 * wakes them all, returns once the handle is closed, and the FD is freed
 * at once.  Every thread returns the closing error, and no thread is left
 * counted as a user of the (freed) FD's memory. */
static void free_after_close_socket_waiters(void **state) {
  (void)state;
  fdt_startup();
  SOCKET c, s;
  fdt_tcp_pair(&c, &s);
  small_buffers(c);
  small_buffers(s);
  core_fd_t *fd = fdt_tcp_fd(s);
  char *big = calloc(1, BIG_WRITE);
  assert_non_null(big);

  io_thread_t r[3], w[3];
  HANDLE th[6];
  for (int i = 0; i < 3; i++) {
    r[i] = (io_thread_t){.fd = fd};
    w[i] = (io_thread_t){.fd = fd, .wbuf = big, .len = i == 0 ? BIG_WRITE : 16};
  }
  th[0] = fdt_thread(read_thread, &r[0]);
  wait_for(core_test_fd_parked, fd, 'r');
  th[1] = fdt_thread(write_thread, &w[0]);
  wait_for(core_test_fd_parked, fd, 'w');
  th[2] = fdt_thread(read_thread, &r[1]);
  th[3] = fdt_thread(read_thread, &r[2]);
  wait_for(two_waiters, fd, 'r');
  th[4] = fdt_thread(write_thread, &w[1]);
  th[5] = fdt_thread(write_thread, &w[2]);
  wait_for(two_waiters, fd, 'w');

  assert_int_equal(core_fd_close(fd), 0);
  core_fd_free(fd);

  for (int i = 0; i < 6; i++) fdt_join(th[i]);
  for (int i = 0; i < 3; i++) {
    assert_int_equal(r[i].err, CORE_ENETCLOSING);
    assert_int_equal(r[i].n, 0);
    assert_int_equal(w[i].err, CORE_ENETCLOSING);
  }
  /* The waiters never got the lock, so they wrote nothing. */
  assert_int_equal(w[1].n, 0);
  assert_int_equal(w[2].n, 0);
  free(big);
  closesocket(c);
}

/* @covers B37 B46 B110
 * Pipes: a reader blocked in a synchronous ReadFile and a writer blocked
 * in a synchronous WriteFile (each holding its lock; two pipes, so that
 * the writer does not feed the reader), with two more threads blocked in
 * the lock behind each.  Close cancels the
 * synchronous calls (CancelIoEx) and wakes the waiters; both FDs are freed
 * right after their Close. */
static void free_after_close_pipe_waiters(void **state) {
  (void)state;
  fdt_startup();
  HANDLE hr, hr_peer, hw, hw_peer;
  assert_true(CreatePipe(&hr, &hr_peer, NULL, 1)); /* nobody writes to hr */
  assert_true(CreatePipe(&hw_peer, &hw, NULL, 1)); /* nobody reads from hw */
  core_fd_t *fr = fdt_file_fd(hr, "pipe");
  core_fd_t *fw = fdt_file_fd(hw, "pipe");
  const size_t big = (size_t)4 << 20;
  char *buf = calloc(1, big);
  assert_non_null(buf);

  io_thread_t r[3], w[3];
  HANDLE th[6];
  for (int i = 0; i < 3; i++) {
    r[i] = (io_thread_t){.fd = fr};
    w[i] = (io_thread_t){.fd = fw, .wbuf = buf, .len = i == 0 ? big : 16};
  }
  th[0] = fdt_thread(read_thread, &r[0]);
  th[1] = fdt_thread(write_thread, &w[0]);
  let_it_block();
  th[2] = fdt_thread(read_thread, &r[1]);
  th[3] = fdt_thread(read_thread, &r[2]);
  wait_for(two_waiters, fr, 'r');
  th[4] = fdt_thread(write_thread, &w[1]);
  th[5] = fdt_thread(write_thread, &w[2]);
  wait_for(two_waiters, fw, 'w');

  assert_int_equal(core_fd_close(fr), 0);
  core_fd_free(fr);
  assert_int_equal(core_fd_close(fw), 0);
  core_fd_free(fw);

  for (int i = 0; i < 6; i++) fdt_join(th[i]);
  for (int i = 0; i < 3; i++) {
    assert_int_equal(r[i].err, CORE_EFILECLOSING);
    assert_int_equal(r[i].n, 0);
    assert_int_equal(w[i].err, CORE_EFILECLOSING);
  }
  assert_int_equal(w[1].n, 0);
  assert_int_equal(w[2].n, 0);
  free(buf);
  CloseHandle(hr_peer);
  CloseHandle(hw_peer);
}

/* RawRead's callback: says it is in, blocks until the test lets it go,
 * then ends. */
typedef struct gate {
  HANDLE in, go;
} gate_t;

static bool wait_at_gate(void *ctx, uintptr_t sysfd) {
  (void)sysfd;
  gate_t *g = ctx;
  SetEvent(g->in);
  return WaitForSingleObject(g->go, FDT_GUARD_MS) == WAIT_OBJECT_0;
}

typedef struct raw_thread {
  core_fd_t *fd;
  gate_t *gate;
  int err;
} raw_thread_t;

static DWORD WINAPI raw_read_thread(LPVOID arg) {
  raw_thread_t *t = arg;
  t->err = core_fd_raw_read(t->fd, wait_at_gate, t->gate);
  return 0;
}

/* @covers B99 B110
 * The unlock race: a RawRead holds the read lock with a reader blocked
 * behind it; the test lets the RawRead go and at once closes and frees the
 * FD.  The RawRead's unlock takes the waiter off the count with its CAS
 * and only then releases the semaphore, and the waiter then re-reads the
 * state word; under many schedules either of those comes after Close
 * returned.  The RawRead succeeds; the waiter fails with the closing error,
 * whether it lost the lock to Close or got it and was parked and woken. */
static void free_after_close_unlock_race(void **state) {
  (void)state;
  fdt_startup();
  SOCKET c, s;
  fdt_tcp_pair(&c, &s);
  core_fd_t *fd = fdt_tcp_fd(s);
  gate_t g = {.in = CreateEventA(NULL, TRUE, FALSE, NULL),
              .go = CreateEventA(NULL, TRUE, FALSE, NULL)};
  assert_non_null(g.in);
  assert_non_null(g.go);
  raw_thread_t raw = {.fd = fd, .gate = &g};
  io_thread_t r = {.fd = fd};
  HANDLE th0 = fdt_thread(raw_read_thread, &raw);
  assert_int_equal(WaitForSingleObject(g.in, FDT_GUARD_MS), WAIT_OBJECT_0);
  HANDLE th1 = fdt_thread(read_thread, &r);
  wait_for(one_waiter, fd, 'r');

  assert_true(SetEvent(g.go));
  assert_int_equal(core_fd_close(fd), 0);
  core_fd_free(fd);

  fdt_join(th0);
  fdt_join(th1);
  assert_int_equal(raw.err, 0);
  assert_int_equal(r.err, CORE_ENETCLOSING);
  assert_int_equal(r.n, 0);
  CloseHandle(g.in);
  CloseHandle(g.go);
  closesocket(c);
}

/* @covers B36 B40
 * Without other users the memory goes inside core_fd_free; a second
 * Close before it still returns the closing error and touches nothing it
 * should not.  (ASan checks the rest: no leak, no use after free.) */
static void free_after_close_alone(void **state) {
  (void)state;
  fdt_startup();
  SOCKET c, s;
  fdt_tcp_pair(&c, &s);
  core_fd_t *fd = fdt_tcp_fd(s);
  assert_int_equal(core_fd_close(fd), 0);
  assert_int_equal(core_fd_close(fd), CORE_ENETCLOSING);
  assert_true(core_fd_sysfd(fd) == INVALID_HANDLE_VALUE);
  assert_int_equal(core_test_fd_users(fd), 0);
  assert_int_equal(core_test_fd_refs(fd), 0);
  assert_true(core_test_fd_closed(fd));
  core_fd_free(fd);
  closesocket(c);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(free_after_close_socket_waiters, fdt_teardown),
      cmocka_unit_test_teardown(free_after_close_pipe_waiters, fdt_teardown),
      cmocka_unit_test_teardown(free_after_close_unlock_race, fdt_teardown),
      cmocka_unit_test_teardown(free_after_close_alone, fdt_teardown),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
