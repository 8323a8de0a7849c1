/* test_fd_lock.c: the FD wrappers of fd_mutex.go (core/fd_lock.c, spec
 * go-poll.md B110) on real FDs: the closing error of the FD's kind when a
 * lock fails, and the destroy that runs in whichever decref or unlock
 * drops the last reference after Close, its error returned by decref and
 * dropped by the unlocks.  destroy is observed through CloseFunc
 * (core_hook_close), which closes the socket and can report an error. */
#include "test_fd_util.h"

/* A closed FD's locks fail with the closing error of its kind, and every
 * failed attempt leaves the FD as it found it (no reference, no user). */
/* @covers B110 B27 */
static void fd_lock_errors_by_kind(void **state) {
  (void)state;
  fdt_startup();
  SOCKET c, s;
  fdt_tcp_pair(&c, &s);
  core_fd_t *net = fdt_tcp_fd(s);
  assert_int_equal(core_fd_incref(net), 0);
  assert_int_equal(core_fd_read_lock(net), 0);
  assert_int_equal(core_fd_write_lock(net), 0);
  assert_int_equal(core_test_fd_refs(net), 3);
  core_fd_read_unlock(net);
  core_fd_write_unlock(net);
  assert_int_equal(core_fd_decref(net), 0);
  assert_int_equal(core_test_fd_refs(net), 0);
  assert_int_equal(core_fd_close(net), 0);
  assert_int_equal(core_fd_incref(net), CORE_ENETCLOSING);
  assert_int_equal(core_fd_read_lock(net), CORE_ENETCLOSING);
  assert_int_equal(core_fd_write_lock(net), CORE_ENETCLOSING);
  assert_int_equal(core_test_fd_refs(net), 0);
  assert_int_equal(core_test_fd_users(net), 0);
  core_fd_free(net);
  closesocket(c);

  char path[MAX_PATH];
  core_fd_t *file = fdt_file_fd(fdt_temp_file(path), "file");
  assert_int_equal(core_fd_close(file), 0);
  assert_int_equal(core_fd_incref(file), CORE_EFILECLOSING);
  assert_int_equal(core_fd_read_lock(file), CORE_EFILECLOSING);
  assert_int_equal(core_fd_write_lock(file), CORE_EFILECLOSING);
  assert_int_equal(core_test_fd_users(file), 0);
  core_fd_free(file);
}

typedef struct closer {
  core_fd_t *fd;
  int err;
} closer_t;

static DWORD WINAPI close_thread(LPVOID arg) {
  closer_t *c = arg;
  c->err = core_fd_close(c->fd);
  return 0;
}

static bool closed(const core_fd_t *fd, int mode) {
  (void)mode;
  return core_test_fd_closed(fd);
}

/* Starts Close of fd on another thread and waits until it has marked the
 * fdMutex closed; Close then waits for the holder of the last reference. */
static HANDLE start_close(closer_t *cl) {
  HANDLE t = fdt_thread(close_thread, cl);
  for (int waited = 0; !closed(cl->fd, 0); waited++) {
    assert_true(waited < FDT_GUARD_MS);
    Sleep(1);
  }
  return t;
}

enum { HOLD_REF, HOLD_READ, HOLD_WRITE };

/* One holder (a plain reference, the read lock or the write lock) outlives
 * Close's own reference: the holder's release destroys the FD, once;
 * destroy's error (CloseFunc reports WSAEACCES) comes back from decref and
 * is dropped by the unlocks; Close returns nil, the handle closed. */
static void last_reference_destroys(int hold) {
  SOCKET c, s;
  fdt_tcp_pair(&c, &s);
  core_fd_t *fd = fdt_tcp_fd(s);
  fdt_count_closes(WSAEACCES);
  if (hold == HOLD_REF) assert_int_equal(core_fd_incref(fd), 0);
  if (hold == HOLD_READ) assert_int_equal(core_fd_read_lock(fd), 0);
  if (hold == HOLD_WRITE) assert_int_equal(core_fd_write_lock(fd), 0);
  closer_t cl = {.fd = fd, .err = -1};
  HANDLE t = start_close(&cl);
  assert_int_equal(fdt_closes.calls, 0); /* Close's decref was not the last */
  if (hold == HOLD_REF) assert_int_equal(core_fd_decref(fd), WSAEACCES);
  if (hold == HOLD_READ) core_fd_read_unlock(fd);
  if (hold == HOLD_WRITE) core_fd_write_unlock(fd);
  fdt_join(t);
  assert_int_equal(fdt_closes.calls, 1);
  assert_true(fdt_closes.socks[0] == s);
  assert_int_equal(cl.err, 0); /* the error went to the holder, not to Close */
  assert_true(core_fd_sysfd(fd) == INVALID_HANDLE_VALUE);
  assert_int_equal(core_test_fd_refs(fd), 0);
  core_fd_free(fd);
  closesocket(c);
}

/* @covers B110 B39 */
static void fd_last_reference_destroys(void **state) {
  (void)state;
  fdt_startup();
  last_reference_destroys(HOLD_REF);
  last_reference_destroys(HOLD_READ);
  last_reference_destroys(HOLD_WRITE);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(fd_lock_errors_by_kind, fdt_teardown),
      cmocka_unit_test_teardown(fd_last_reference_destroys, fdt_teardown),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
