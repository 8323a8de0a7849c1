/* core_test.c: the test interface of core_test.h, read from the FD and
 * the runtime state that core_int.h keeps private.  Go's counterpart is
 * the export_test.go of internal/poll. */
#include "core_int.h"

core_file_kind_t core_test_fd_kind(const core_fd_t *fd) {
  return fd->kind;
}

bool core_test_fd_is_file(const core_fd_t *fd) {
  return fd->is_file;
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

bool core_test_fd_parked(const core_fd_t *fd, int mode) {
  core_rt_pd_t *pd = fd->pd.runtime_ctx;
  return pd != NULL && core_rt_pd_parked(pd, mode);
}

bool core_test_fd_pollable(const core_fd_t *fd) {
  return fd->pd.runtime_ctx != NULL;
}

const OVERLAPPED *core_test_fd_overlapped(const core_fd_t *fd, int mode) {
  return mode == 'r' ? &fd->rop.o : &fd->wop.o;
}

HANDLE core_test_poll_port(void) {
  return core_rt_port();
}

bool core_test_package_use_sfcnm(void) {
  return core_package_use_sfcnm();
}
