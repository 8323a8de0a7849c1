/* core_test.h: the core's test interface, the C counterpart of Go's
 * export_test.go files.  Tests, benchmarks and the scenario runner include
 * this header (and core.h, which it includes), never core_int.h; the
 * poller's own tests also use its module headers, netpoll.h and fd_poll.h.
 * Nothing here is for production code: every function reads or sets state
 * that an application has no business with.  A scenario runner checks at
 * the end of a world that every FD it made reads core_test_fd_refs == 0
 * and core_test_fd_users == 0.
 *
 * The functions read state that other threads change; a value is exact
 * only when the test knows that no thread is changing it (they are
 * observations for "wait until" loops and for end-of-run checks).  In the
 * fake world each read is one plain load, not a scheduling point. */
#ifndef IOCPSIM_CORE_TEST_H
#define IOCPSIM_CORE_TEST_H

#include "core.h"

#include <stddef.h>
#include <stdint.h>

/* ---- the fdMutex alone (fd_mutex.go; Go's export_test FDMutex) -------------
 * The same type and functions the FD uses (fd_mutex.c), for tests that
 * drive a bare mutex.  It needs only kernel objects, so such a test links
 * fd_mutex.c and errors.c alone. */

/* The 64-bit state word of spec §2.1 plus the reader and writer semaphores
 * (counting Win32 semaphores: a release before the acquire is not lost).
 * Must be set up by core_fd_mutex_init (it creates the semaphores); tests
 * may read `state` directly (core/fd_mutex.c has the bit table).  Misuse panics "inconsistent
 * poll.fdMutex", a 20-bit counter overflow panics "too many concurrent operations ..."; both before
 * any change to the state. */
typedef struct core_fd_mutex {
  volatile LONG64 state;
  HANDLE rsema;
  HANDLE wsema;
} core_fd_mutex_t;

int core_fd_mutex_init(core_fd_mutex_t *mu);     /* 0 or the Win32 error */
void core_fd_mutex_destroy(core_fd_mutex_t *mu); /* closes the semaphores */
/* Each returns Go's result: incref/rwlock false = closed; increfAndClose
 * false = already closed; decref/rwunlock true = that was the last
 * reference of a closed mutex, the caller must destroy the FD. */
bool core_fd_mutex_incref(core_fd_mutex_t *mu);
bool core_fd_mutex_incref_and_close(core_fd_mutex_t *mu);
bool core_fd_mutex_decref(core_fd_mutex_t *mu);
bool core_fd_mutex_rwlock(core_fd_mutex_t *mu, bool read);
bool core_fd_mutex_rwunlock(core_fd_mutex_t *mu, bool read);
/* The fields of the state word: references, blocked readers (read=true) or
 * writers, the closed bit. */
uint32_t core_fd_mutex_refs(const core_fd_mutex_t *mu);
uint32_t core_fd_mutex_waiters(const core_fd_mutex_t *mu, bool read);
bool core_fd_mutex_closed(const core_fd_mutex_t *mu);

/* ---- the console's state (console.c; Go's FD.lastbits, readuint16, ...) ----
 * What a console FD holds between calls: the bytes of an incomplete rune
 * a Write held back (B76) and the UTF-16 and UTF-8 buffers of Read (B51).
 * readConsole and writeConsole can be driven on a state of their own. */

typedef struct core_console {
  uint8_t lastbits[4]; /* first bytes of an incomplete rune from the last write (B76) */
  size_t nlastbits;
  uint16_t *readuint16; /* capacity CORE_CONSOLE_READ_UNITS (B51) */
  size_t nreaduint16;
  uint8_t *readbyte; /* capacity 4 * CORE_CONSOLE_READ_UNITS */
  size_t nreadbyte;
  size_t readbyte_offset;
} core_console_t;

#define CORE_CONSOLE_READ_UNITS 10000
#define CORE_CONSOLE_MAX_WRITE 16000

int core_console_read(core_console_t *c, HANDLE h, uint8_t *b, size_t len, size_t *n);
int core_console_write(core_console_t *c, HANDLE h, const uint8_t *b, size_t len, size_t *n);
void core_console_free(core_console_t *c);
/* The state of a console FD (after core_fd_init(fd, "console", ...)). */
const core_console_t *core_test_fd_console(const core_fd_t *fd);

/* ---- the FD's lock wrappers (fd_mutex.go's FD methods, B110) ---------------
 * What every method holds for its duration.  Lock failures return the
 * closing error of the FD's kind; decref returns destroy's error when it
 * dropped the last reference of a closed FD, the unlocks discard it.  A
 * successful incref or lock must be matched by its decref or unlock. */
int core_fd_incref(core_fd_t *fd);
int core_fd_decref(core_fd_t *fd);
int core_fd_read_lock(core_fd_t *fd);
void core_fd_read_unlock(core_fd_t *fd);
int core_fd_write_lock(core_fd_t *fd);
void core_fd_write_unlock(core_fd_t *fd);

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
/* fd.IsStream and fd.ZeroReadIsEOF as the FD was made (core_fd_new). */
bool core_test_fd_is_stream(const core_fd_t *fd);
bool core_test_fd_zero_read_is_eof(const core_fd_t *fd);
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
/* h is one of the runtime's own objects, made once per process and never
 * closed: the completion port, the timer thread or its wake-up event.  A
 * check for leaked handles leaves these out. */
bool core_test_is_runtime_handle(HANDLE h);

/* ---- the FD's two operations (fd_windows.go's rop and wop) -----------------
 * mode 'r' is the read operation, 'w' the write operation. */
/* The operation's mode field ('r' / 'w' once Init set it up, B33; 0 before). */
int core_test_fd_op_mode(const core_fd_t *fd, int mode);
/* The FD the operation points back to (fd once Init set it up; NULL before). */
const core_fd_t *core_test_fd_op_owner(const core_fd_t *fd, int mode);
/* The operation carries the FD's pollDesc (what the poller matches a
 * packet's key against, golang/go#58870). */
bool core_test_fd_op_has_pd(const core_fd_t *fd, int mode);
/* The operation's WSARecv/WSASend flags, which persist across operations
 * (the sticky MSG_PEEK of B25/B100). */
DWORD core_test_fd_op_flags(const core_fd_t *fd, int mode);
/* The operation's WSABUF array: entries in use and capacity (Writev reuses
 * it, B82). */
void core_test_fd_op_bufs(const core_fd_t *fd, int mode, size_t *n, size_t *cap);

/* ---- fd.l ------------------------------------------------------------------ */

/* True if fd.l (the lock of the file position and the console state, B43)
 * was free: it is taken and released at once.  SRW locks are not
 * recursive, so a thread that holds it gets false. */
bool core_test_fd_l_try(core_fd_t *fd);

/* ---- Close's internals ----------------------------------------------------- */

/* destroy (B34, B35) called directly, as Go's tests can: closes the handle
 * unless it is already INVALID_HANDLE_VALUE (then CORE_EINVAL) and
 * releases Close's semaphore.  Only on an FD nobody else is using. */
int core_test_fd_destroy(core_fd_t *fd);
/* Takes one release of Close's semaphore if there is one (a 0 ms wait);
 * true if there was. */
bool core_test_fd_close_sema_take(core_fd_t *fd);

/* Releases an FD whose method panicked under a test that caught the panic
 * (CORE_CATCH_PANIC longjmps out of the method): that method never
 * leaves, so core_fd_free would wait for it forever.  Nothing may use the
 * FD afterwards; its handle is not closed. */
void core_test_fd_free_after_panic(core_fd_t *fd);

/* ---- a free-standing operation (the buffer helpers, B6-B9) --------------------
 * An operation that belongs to no FD, to test InitBuf, InitBufs, ClearBufs
 * and InitMsg alone. */
typedef struct core_operation core_test_op_t;
/* Every byte of the new operation is `fill` (0xA5 shows which fields the
 * helpers leave alone), except its WSABUF array, which starts empty. */
core_test_op_t *core_test_op_new(int fill);
void core_test_op_free(core_test_op_t *o); /* and its WSABUF array */
void core_test_op_init_buf(core_test_op_t *o, void *buf, size_t len);
void core_test_op_init_bufs(core_test_op_t *o, const core_iovec_t *bufs, size_t nbufs);
void core_test_op_clear_bufs(core_test_op_t *o);
void core_test_op_init_msg(core_test_op_t *o, void *p, size_t plen, void *oob, size_t ooblen);
/* The operation's own WSABUF (InitBuf, InitMsg's one buffer). */
const WSABUF *core_test_op_buf(const core_test_op_t *o);
/* Its WSABUF array, entries in use and capacity. */
const WSABUF *core_test_op_bufs(const core_test_op_t *o, size_t *n, size_t *cap);
/* Its WSAMSG (InitMsg). */
const WSAMSG *core_test_op_msg(const core_test_op_t *o);

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
