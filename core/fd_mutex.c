/* fd_mutex.c: ports the fdMutex of internal/poll/fd_mutex.go (the version
 * with overflowMsg, Go 1.22 line).  Spec: go-poll.md §2.
 *
 * fdMutex serialises access to one FD: any number of plain references
 * (incref/decref), at most one reader and at most one writer (a read and a
 * write proceed concurrently), and Close, which marks the mutex closed so
 * that every later lock fails and every blocked locker wakes up and fails.
 *
 * This file depends on nothing but the Win32 kernel objects (Interlocked,
 * semaphores, waits) and errors.c, so a simulator can run it alone on fake
 * threads.  Every update of the state word is a load / compute /
 * InterlockedCompareExchange64 loop, and every panic happens before the CAS,
 * so a panic leaves the state exactly as it was (as in Go). */
#include "core_int.h"

/* The state word (one LONG64):
 *
 *   bit  0       mutexClosed  the FD is closed (Close has run increfAndClose)
 *   bit  1       mutexRLock   the read lock is held
 *   bit  2       mutexWLock   the write lock is held
 *   bits 3..22   references   reads + writes + plain references + close
 *   bits 23..42  read waiters blocked on rsema
 *   bits 43..62  write waiters blocked on wsema
 *   bit  63      unused
 *
 * Each 20-bit field saturates at 1048575; one more is the overflow panic. */
#define MUTEX_CLOSED 0x1ULL
#define MUTEX_RLOCK 0x2ULL
#define MUTEX_WLOCK 0x4ULL
#define MUTEX_REF 0x8ULL
#define MUTEX_REF_MASK 0x7FFFF8ULL
#define MUTEX_RWAIT 0x800000ULL
#define MUTEX_RMASK 0x7FFFF800000ULL
#define MUTEX_WWAIT 0x80000000000ULL
#define MUTEX_WMASK 0x7FFFF80000000000ULL

/* Go's panic texts; tests look for "too many" and "inconsistent". */
#define OVERFLOW_MSG "too many concurrent operations on a single file or socket (max 1048575)"
#define INCONSISTENT_MSG "inconsistent poll.fdMutex"

/* Semaphore limit: releases never outnumber the threads about to wait, so
 * this is only a bound the OS needs, never reached. */
#define SEMA_MAX 0x7FFFFFFF

static uint64_t load_state(core_fd_mutex_t *mu) {
  return (uint64_t)mu->state;
}

/* One CAS of the state word; true if old was still current. */
static bool cas_state(core_fd_mutex_t *mu, uint64_t old, uint64_t new_) {
  return (uint64_t)InterlockedCompareExchange64(&mu->state, (LONG64)new_, (LONG64)old) == old;
}

/* runtime_Semacquire: counting, so a release that happened between the
 * waiter's CAS and this wait is not lost. */
static void sema_acquire(HANDLE sema) {
  DWORD r = WaitForSingleObject(sema, INFINITE);
  if (r != WAIT_OBJECT_0) {
    core_panicf("poll.fdMutex: WaitForSingleObject returned %lu (errno=%lu)", (unsigned long)r,
                (unsigned long)GetLastError());
  }
}

/* runtime_Semrelease, n times at once. */
static void sema_release(HANDLE sema, LONG n) {
  if (!ReleaseSemaphore(sema, n, NULL)) {
    core_panicf("poll.fdMutex: ReleaseSemaphore failed (errno=%lu)", (unsigned long)GetLastError());
  }
}

int core_fd_mutex_init(core_fd_mutex_t *mu) {
  mu->state = 0;
  mu->rsema = CreateSemaphoreA(NULL, 0, SEMA_MAX, NULL);
  if (mu->rsema == NULL) {
    DWORD e = GetLastError();
    return e != 0 ? (int)e : CORE_EINVAL;
  }
  mu->wsema = CreateSemaphoreA(NULL, 0, SEMA_MAX, NULL);
  if (mu->wsema == NULL) {
    DWORD e = GetLastError();
    CloseHandle(mu->rsema);
    mu->rsema = NULL;
    return e != 0 ? (int)e : CORE_EINVAL;
  }
  return 0;
}

void core_fd_mutex_destroy(core_fd_mutex_t *mu) {
  if (mu->rsema != NULL) CloseHandle(mu->rsema);
  if (mu->wsema != NULL) CloseHandle(mu->wsema);
  mu->rsema = NULL;
  mu->wsema = NULL;
}

/* Adds a plain reference.  False if the mutex is closed. */
bool core_fd_mutex_incref(core_fd_mutex_t *mu) {
  for (;;) {
    uint64_t old = load_state(mu);
    if (old & MUTEX_CLOSED) return false;
    uint64_t new_ = old + MUTEX_REF;
    if ((new_ & MUTEX_REF_MASK) == 0) core_panicf("%s", OVERFLOW_MSG);
    if (cas_state(mu, old, new_)) return true;
  }
}

/* Close's half: marks the mutex closed and adds a reference in one CAS,
 * taking every blocked reader and writer off the waiter counts; those are
 * then released, re-read the state, see closed and fail.  False if the
 * mutex was already closed. */
bool core_fd_mutex_incref_and_close(core_fd_mutex_t *mu) {
  for (;;) {
    uint64_t old = load_state(mu);
    if (old & MUTEX_CLOSED) return false;
    uint64_t new_ = (old | MUTEX_CLOSED) + MUTEX_REF;
    if ((new_ & MUTEX_REF_MASK) == 0) core_panicf("%s", OVERFLOW_MSG);
    new_ &= ~(MUTEX_RMASK | MUTEX_WMASK);
    if (cas_state(mu, old, new_)) {
      LONG readers = (LONG)((old & MUTEX_RMASK) / MUTEX_RWAIT);
      LONG writers = (LONG)((old & MUTEX_WMASK) / MUTEX_WWAIT);
      if (readers > 0) sema_release(mu->rsema, readers);
      if (writers > 0) sema_release(mu->wsema, writers);
      return true;
    }
  }
}

/* Drops a plain reference.  True iff that left the mutex closed with no
 * references: the caller must then destroy the FD. */
bool core_fd_mutex_decref(core_fd_mutex_t *mu) {
  for (;;) {
    uint64_t old = load_state(mu);
    if ((old & MUTEX_REF_MASK) == 0) core_panicf("%s", INCONSISTENT_MSG);
    uint64_t new_ = old - MUTEX_REF;
    if (cas_state(mu, old, new_)) return (new_ & (MUTEX_CLOSED | MUTEX_REF_MASK)) == MUTEX_CLOSED;
  }
}

/* The bits one lock kind works with: readers exclude only readers, writers
 * only writers. */
typedef struct lock_kind {
  uint64_t bit, wait, mask;
  HANDLE sema;
} lock_kind_t;

static lock_kind_t lock_kind(core_fd_mutex_t *mu, bool read) {
  lock_kind_t k;
  if (read) {
    k.bit = MUTEX_RLOCK;
    k.wait = MUTEX_RWAIT;
    k.mask = MUTEX_RMASK;
    k.sema = mu->rsema;
  } else {
    k.bit = MUTEX_WLOCK;
    k.wait = MUTEX_WWAIT;
    k.mask = MUTEX_WMASK;
    k.sema = mu->wsema;
  }
  return k;
}

/* Takes the read (read=true) or write lock and a reference.  Blocks while
 * the lock is held; false if the mutex is or becomes closed.  A woken
 * waiter competes again with newcomers (no FIFO), exactly as in Go. */
bool core_fd_mutex_rwlock(core_fd_mutex_t *mu, bool read) {
  lock_kind_t k = lock_kind(mu, read);
  for (;;) {
    uint64_t old = load_state(mu);
    if (old & MUTEX_CLOSED) return false;
    uint64_t new_;
    if ((old & k.bit) == 0) {
      new_ = (old | k.bit) + MUTEX_REF;
      if ((new_ & MUTEX_REF_MASK) == 0) core_panicf("%s", OVERFLOW_MSG);
    } else {
      new_ = old + k.wait;
      if ((new_ & k.mask) == 0) core_panicf("%s", OVERFLOW_MSG);
    }
    if (cas_state(mu, old, new_)) {
      if ((old & k.bit) == 0) return true;
      /* Counted as a waiter: whoever releases us (rwunlock or
       * increfAndClose) has already taken us off the count. */
      sema_acquire(k.sema);
    }
  }
}

/* Releases the lock and its reference, waking one waiter if any.  True iff
 * that left the mutex closed with no references (the caller destroys). */
bool core_fd_mutex_rwunlock(core_fd_mutex_t *mu, bool read) {
  lock_kind_t k = lock_kind(mu, read);
  for (;;) {
    uint64_t old = load_state(mu);
    if ((old & k.bit) == 0 || (old & MUTEX_REF_MASK) == 0) core_panicf("%s", INCONSISTENT_MSG);
    uint64_t new_ = (old & ~k.bit) - MUTEX_REF;
    if (old & k.mask) new_ -= k.wait;
    if (cas_state(mu, old, new_)) {
      if (old & k.mask) sema_release(k.sema, 1);
      return (new_ & (MUTEX_CLOSED | MUTEX_REF_MASK)) == MUTEX_CLOSED;
    }
  }
}

/* Readers of the fields, for core_test.h. */
uint32_t core_fd_mutex_refs(const core_fd_mutex_t *mu) {
  return (uint32_t)(((uint64_t)mu->state & MUTEX_REF_MASK) / MUTEX_REF);
}

uint32_t core_fd_mutex_waiters(const core_fd_mutex_t *mu, bool read) {
  uint64_t st = (uint64_t)mu->state;
  if (read) return (uint32_t)((st & MUTEX_RMASK) / MUTEX_RWAIT);
  return (uint32_t)((st & MUTEX_WMASK) / MUTEX_WWAIT);
}

bool core_fd_mutex_closed(const core_fd_mutex_t *mu) {
  return ((uint64_t)mu->state & MUTEX_CLOSED) != 0;
}
