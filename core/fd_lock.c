/* fd_lock.c: ports the FD methods of internal/poll/fd_mutex.go (incref,
 * decref, readLock, readUnlock, writeLock, writeUnlock).  Spec: go-poll.md
 * B110.
 *
 * Every operation on an FD holds one of these for its duration, so an FD is
 * destroyed (handle closed, core_fd_destroy in fd_windows.c) exactly once,
 * by whichever of Close or a concurrent operation drops the last reference
 * after Close has marked the mutex closed. */
#include "core_int.h"

/* Takes a plain reference (misc operations: Setsockopt, SetDeadline, Pread,
 * Seek, ...).  The closing error once Close has begun. */
int core_fd_incref(struct core_fd *fd) {
  if (!core_fd_mutex_incref(&fd->fdmu)) return core_err_closing(fd->is_file);
  return 0;
}

/* Drops a plain reference; if it was the last one of a closed FD, destroys
 * the FD and returns destroy's error. */
int core_fd_decref(struct core_fd *fd) {
  if (core_fd_mutex_decref(&fd->fdmu)) return core_fd_destroy(fd);
  return 0;
}

int core_fd_read_lock(struct core_fd *fd) {
  if (!core_fd_mutex_rwlock(&fd->fdmu, true)) return core_err_closing(fd->is_file);
  return 0;
}

/* Destroy's error has no one to go to here and is dropped, as in Go. */
void core_fd_read_unlock(struct core_fd *fd) {
  if (core_fd_mutex_rwunlock(&fd->fdmu, true)) (void)core_fd_destroy(fd);
}

int core_fd_write_lock(struct core_fd *fd) {
  if (!core_fd_mutex_rwlock(&fd->fdmu, false)) return core_err_closing(fd->is_file);
  return 0;
}

void core_fd_write_unlock(struct core_fd *fd) {
  if (core_fd_mutex_rwunlock(&fd->fdmu, false)) (void)core_fd_destroy(fd);
}
