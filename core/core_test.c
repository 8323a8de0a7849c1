/* core_test.c: the test interface of core_test.h, read from the FD and
 * the state that core_int.h keeps private.  Go's counterpart is the
 * export_test.go of internal/poll.  What needs the poller (netpoll*.c) is
 * in core_test_rt.c, so a test that links fd_windows.c with a pollDesc
 * double of its own can still link this file. */
#include "core_int.h"

#include <stdlib.h>
#include <string.h>

core_file_kind_t core_test_fd_kind(const core_fd_t *fd) {
  return fd->kind;
}

bool core_test_fd_is_file(const core_fd_t *fd) {
  return fd->is_file;
}

bool core_test_fd_is_stream(const core_fd_t *fd) {
  return fd->is_stream;
}

bool core_test_fd_zero_read_is_eof(const core_fd_t *fd) {
  return fd->zero_read_is_eof;
}

bool core_test_fd_skip_sync_notif(const core_fd_t *fd) {
  return fd->skip_sync_notif;
}

uint64_t core_test_fd_mutex_state(const core_fd_t *fd) {
  return (uint64_t)fd->fdmu.state;
}

uint32_t core_test_fd_refs(const core_fd_t *fd) {
  return core_fd_mutex_refs(&fd->fdmu);
}

uint32_t core_test_fd_lock_waiters(const core_fd_t *fd, int mode) {
  return core_fd_mutex_waiters(&fd->fdmu, mode == 'r');
}

bool core_test_fd_closed(const core_fd_t *fd) {
  return core_fd_mutex_closed(&fd->fdmu);
}

uint32_t core_test_fd_users(const core_fd_t *fd) {
  return (uint32_t)core_fd_users(fd);
}

bool core_test_fd_pollable(const core_fd_t *fd) {
  return fd->pd.runtime_ctx != NULL;
}

const OVERLAPPED *core_test_fd_overlapped(const core_fd_t *fd, int mode) {
  return mode == 'r' ? &fd->rop.o : &fd->wop.o;
}

bool core_test_package_use_sfcnm(void) {
  return core_package_use_sfcnm();
}

static const core_operation_t *op_of(const core_fd_t *fd, int mode) {
  return mode == 'r' ? &fd->rop : &fd->wop;
}

int core_test_fd_op_mode(const core_fd_t *fd, int mode) {
  return op_of(fd, mode)->mode;
}

const core_fd_t *core_test_fd_op_owner(const core_fd_t *fd, int mode) {
  return op_of(fd, mode)->fd;
}

bool core_test_fd_op_has_pd(const core_fd_t *fd, int mode) {
  return op_of(fd, mode)->runtime_ctx == fd->pd.runtime_ctx;
}

DWORD core_test_fd_op_flags(const core_fd_t *fd, int mode) {
  return op_of(fd, mode)->flags;
}

void core_test_fd_op_bufs(const core_fd_t *fd, int mode, size_t *n, size_t *cap) {
  *n = op_of(fd, mode)->nbufs;
  *cap = op_of(fd, mode)->capbufs;
}

int core_test_fd_destroy(core_fd_t *fd) {
  return core_fd_destroy(fd);
}

bool core_test_fd_close_sema_take(core_fd_t *fd) {
  return WaitForSingleObject(fd->csema, 0) == WAIT_OBJECT_0;
}

core_test_op_t *core_test_op_new(int fill) {
  core_operation_t *o = malloc(sizeof *o);
  if (o == NULL) return NULL;
  memset(o, fill, sizeof *o);
  o->bufs = NULL; /* the WSABUF array is owned: it starts empty */
  o->nbufs = 0;
  o->capbufs = 0;
  return o;
}

void core_test_op_free(core_test_op_t *o) {
  if (o == NULL) return;
  free(o->bufs);
  free(o);
}

void core_test_op_init_buf(core_test_op_t *o, void *buf, size_t len) {
  core_op_init_buf(o, buf, len);
}

void core_test_op_init_bufs(core_test_op_t *o, const core_iovec_t *bufs, size_t nbufs) {
  core_op_init_bufs(o, bufs, nbufs);
}

void core_test_op_clear_bufs(core_test_op_t *o) {
  core_op_clear_bufs(o);
}

void core_test_op_init_msg(core_test_op_t *o, void *p, size_t plen, void *oob, size_t ooblen) {
  core_op_init_msg(o, p, plen, oob, ooblen);
}

const WSABUF *core_test_op_buf(const core_test_op_t *o) {
  return &o->buf;
}

const WSABUF *core_test_op_bufs(const core_test_op_t *o, size_t *n, size_t *cap) {
  *n = o->nbufs;
  *cap = o->capbufs;
  return o->bufs;
}

const WSAMSG *core_test_op_msg(const core_test_op_t *o) {
  return &o->msg;
}

const core_console_t *core_test_fd_console(const core_fd_t *fd) {
  return &fd->console;
}

bool core_test_fd_l_try(core_fd_t *fd) {
  if (!TryAcquireSRWLockExclusive(&fd->l)) return false;
  ReleaseSRWLockExclusive(&fd->l);
  return true;
}

void core_test_fd_free_after_panic(core_fd_t *fd) {
  core_fd_release(fd);
}
