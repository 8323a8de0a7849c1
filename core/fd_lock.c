/* fd_lock.c: ports the FD methods of internal/poll/fd_mutex.go (incref,
 * decref, readLock, readUnlock, writeLock, writeUnlock).  Spec: go-poll.md
 * B110.
 *
 * Every operation on an FD holds one of these for its duration, so an FD is
 * destroyed (handle closed, core_fd_destroy in fd_windows.c) exactly once,
 * by whichever of Close or a concurrent operation drops the last reference
 * after Close has marked the mutex closed.
 *
 * The FD's memory has a lifetime of its own, which Go leaves to its garbage
 * collector.  The fdMutex's references do not cover it: a thread blocked in
 * rwlock's semaphore holds none (increfAndClose takes it off the waiter
 * count and releases it, and it then re-reads the state word), and rwunlock
 * releases a waiter's semaphore after the CAS that may have let Close
 * return.  So each wrapper below also counts its thread as a user of the
 * memory, from before it first touches the fdMutex to after its unlock or
 * decref (and the destroy that may follow) returned, and core_fd_free
 * frees the memory only once no user is left.  The word fd->life:
 *
 *   bit  0       LIFE_FREED  core_fd_free has been called
 *   bits 1..30   users       threads between core_fd_enter and core_fd_leave
 *
 * The memory is released exactly once, by whichever of core_fd_mark_freed
 * or core_fd_leave moves the word to LIFE_FREED with no user. */
#include "core_int.h"

#define LIFE_FREED 1
#define LIFE_USER 2

void core_fd_enter(struct core_fd *fd) {
  LONG now = InterlockedAdd(&fd->life, LIFE_USER);
  if (now & LIFE_FREED) core_panicf("poll.FD: method called on a freed FD");
  if (now < LIFE_USER) core_panicf("poll.FD: too many threads in one FD's methods");
}

void core_fd_leave(struct core_fd *fd) {
  LONG now = InterlockedAdd(&fd->life, -LIFE_USER);
  if (now < 0) core_panicf("poll.FD: inconsistent user count");
  if (now == LIFE_FREED) core_fd_release(fd);
}

void core_fd_mark_freed(struct core_fd *fd) {
  LONG old = InterlockedOr(&fd->life, LIFE_FREED);
  if (old & LIFE_FREED) core_panicf("poll.FD: freed twice");
  if (old == 0) core_fd_release(fd);
}

LONG core_fd_users(const struct core_fd *fd) {
  return fd->life / LIFE_USER;
}

/* Takes a plain reference (misc operations: Setsockopt, SetDeadline, Pread,
 * Seek, ...).  The closing error once Close has begun. */
int core_fd_incref(struct core_fd *fd) {
  core_fd_enter(fd);
  if (core_fd_mutex_incref(&fd->fdmu)) return 0;
  int err = core_err_closing(fd->is_file);
  core_fd_leave(fd);
  return err;
}

/* Drops a plain reference; if it was the last one of a closed FD, destroys
 * the FD and returns destroy's error. */
int core_fd_decref(struct core_fd *fd) {
  int err = 0;
  if (core_fd_mutex_decref(&fd->fdmu)) err = core_fd_destroy(fd);
  core_fd_leave(fd);
  return err;
}

static int rwlock(struct core_fd *fd, bool read) {
  core_fd_enter(fd);
  if (core_fd_mutex_rwlock(&fd->fdmu, read)) return 0;
  int err = core_err_closing(fd->is_file);
  core_fd_leave(fd);
  return err;
}

/* Destroy's error has no one to go to here and is dropped, as in Go. */
static void rwunlock(struct core_fd *fd, bool read) {
  if (core_fd_mutex_rwunlock(&fd->fdmu, read)) (void)core_fd_destroy(fd);
  core_fd_leave(fd);
}

int core_fd_read_lock(struct core_fd *fd) {
  return rwlock(fd, true);
}

void core_fd_read_unlock(struct core_fd *fd) {
  rwunlock(fd, true);
}

int core_fd_write_lock(struct core_fd *fd) {
  return rwlock(fd, false);
}

void core_fd_write_unlock(struct core_fd *fd) {
  rwunlock(fd, false);
}
