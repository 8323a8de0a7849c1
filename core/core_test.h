/* core_test.h: the core's test interface, the C counterpart of Go's
 * export_test.go files.  Tests, benchmarks and the scenario runner include
 * this header (and core.h, which it includes), never core_int.h.  Nothing
 * here is for production code: every function reads or sets state that an
 * application has no business with.
 *
 * The functions read state that other threads change; a value is exact
 * only when the test knows that no thread is changing it (they are
 * observations for "wait until" loops and for end-of-run checks).  In the
 * fake world each read is one plain load, not a scheduling point. */
#ifndef IOCPSIM_CORE_TEST_H
#define IOCPSIM_CORE_TEST_H

#include "core.h"

/* ---- the FD's kind (fd_windows.go's fileKind) ---------------------------- */

/* Set by core_fd_init from the net name; kindNet until then. */
typedef enum core_file_kind {
  CORE_KIND_NET = 0,
  CORE_KIND_FILE = 1,
  CORE_KIND_CONSOLE = 2,
  CORE_KIND_PIPE = 3
} core_file_kind_t;
core_file_kind_t core_test_fd_kind(const core_fd_t *fd);
/* fd.isFile: every kind but kindNet (decides the closing error, B27). */
bool core_test_fd_is_file(const core_fd_t *fd);
/* fd.skipSyncNotif: FILE_SKIP_COMPLETION_PORT_ON_SUCCESS is set (B31). */
bool core_test_fd_skip_sync_notif(const core_fd_t *fd);

/* ---- the fdMutex of an FD (fd_mutex.go) ----------------------------------
 * core_test_fd_refs is what a run checks at its end: every FD whose methods
 * have all returned holds 0 references, and a closed one reads
 * core_test_fd_closed.  The counts are the fields of the state word
 * (core/fd_mutex.c has the bit table). */
uint64_t core_test_fd_mutex_state(const core_fd_t *fd);
uint32_t core_test_fd_refs(const core_fd_t *fd);
/* Threads blocked in the read ('r') or write ('w') lock. */
uint32_t core_test_fd_lock_waiters(const core_fd_t *fd, int mode);
/* Close has marked the fdMutex closed. */
bool core_test_fd_closed(const core_fd_t *fd);
/* Threads inside a method of fd (fd_lock.c's user count: holders of the
 * fdMutex and its waiters, a ConnectEx, a Close).  0 once every method
 * has returned. */
uint32_t core_test_fd_users(const core_fd_t *fd);

/* ---- the poller (runtime/netpoll*.go) --------------------------------------- */

/* A thread of fd sleeps in the poller waiting in mode 'r' or 'w' (its
 * request returned ERROR_IO_PENDING and execIO parked).  False for an FD
 * that is not pollable. */
bool core_test_fd_parked(const core_fd_t *fd, int mode);
/* fd is registered with the poller (pollable Init succeeded, not closed). */
bool core_test_fd_pollable(const core_fd_t *fd);
/* The OVERLAPPED of fd's read ('r') or write ('w') operation, the one the
 * kernel writes while a request is in flight (Internal, InternalHigh). */
const OVERLAPPED *core_test_fd_overlapped(const core_fd_t *fd, int mode);
/* The poller's completion port, INVALID_HANDLE_VALUE before the first
 * pollable FD (so a test can post packets to it). */
HANDLE core_test_poll_port(void);

/* ---- package and process state ---------------------------------------------- */

/* The package decision of B2-B5 (Go's useSetFileCompletionNotificationModes). */
bool core_test_package_use_sfcnm(void);
/* maxRW (B42, B72): tests lower it to test splitting without GiB buffers;
 * the production value is CORE_MAX_RW.  Set it while no I/O is in flight. */
extern size_t core_max_rw;
/* Forgets every process-wide state of the core (package init, the poller's
 * port and thread, the runtime's pollDesc cache), making no Win32 call, so
 * that a simulator running many worlds in one process starts each as a
 * fresh process would.  Only valid between worlds, when no core call is in
 * progress; never on the real API. */
void core_process_reset(void);

#endif
