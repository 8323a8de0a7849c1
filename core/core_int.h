/* core_int.h: what the files of core/ share among themselves.
 *
 *   fd_mutex.c    ports internal/poll/fd_mutex.go (the bare fdMutex; links
 *                 alone against kernel objects)
 *   fd_lock.c     the FD wrappers of fd_mutex.go (incref/readLock/...)
 *   netpoll.c     ports runtime/netpoll.go (pollDesc, deadlines)
 *   netpoll_windows.c  ports runtime/netpoll_windows.go (the IOCP poller)
 *   netpoll_timers.c   the deadline timer heap and the clock
 *                 (the three share netpoll_int.h)
 *   deadline.c    core_deadline_after (time.Now().Add)
 *   core_test.c   the test interface of core_test.h
 *   fd_poll.c     ports internal/poll/fd_poll_runtime.go
 *   fd_windows.c  ports internal/poll/fd_windows.go (+ hook_windows.go)
 *   fd_posix.c    ports eofError (fd_posix.go) and consume (fd.go)
 *   console.c     ports readConsole/writeConsole of fd_windows.go
 *   errors.c      error texts (fd.go) and the panic hook
 *
 * Not a public header, and not for tests either: they reach what Go's
 * export_test.go files expose through core_test.h (core_test.c). */
#ifndef IOCPSIM_CORE_INT_H
#define IOCPSIM_CORE_INT_H

#include "core.h"
#include "core_test.h"

/* ---- errors.c ---------------------------------------------------------- */

/* Go's panic(): calls the panic hook, never returns. */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 1, 2)))
#endif
void core_panicf(const char *fmt, ...);

/* fd.go's errClosing: CORE_EFILECLOSING if is_file, else CORE_ENETCLOSING
 * (B27). */
int core_err_closing(bool is_file);

/* ---- fd_mutex.c (fd_mutex.go) ------------------------------------------ */

/* The 64-bit state word of spec §2.1 plus the reader and writer semaphores
 * (counting Win32 semaphores: a release before the acquire is not lost).
 * Must be set up by core_fd_mutex_init (it creates the semaphores); tests
 * may read `state` directly.  Misuse panics "inconsistent poll.fdMutex",
 * a 20-bit counter overflow panics "too many concurrent operations ...";
 * both before any change to the state. */
typedef struct core_fd_mutex {
  volatile LONG64 state;
  HANDLE rsema;
  HANDLE wsema;
} core_fd_mutex_t;

int core_fd_mutex_init(core_fd_mutex_t *mu); /* 0 or the Win32 error */
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

/* ---- netpoll*.c (runtime/netpoll.go + netpoll_windows.go) -------------- */

/* The runtime's pollDesc; opaque outside netpoll*.c (netpoll_int.h). */
typedef struct core_rt_pd core_rt_pd_t;

/* runtime poll error codes (pollNoError ... pollErrNotPollable). */
enum {
  CORE_POLL_NO_ERROR = 0,
  CORE_POLL_ERR_CLOSING = 1,
  CORE_POLL_ERR_TIMEOUT = 2,
  CORE_POLL_ERR_NOT_POLLABLE = 3
};

/* Monotonic time in nanoseconds (runtime nanotime), read through
 * QueryPerformanceCounter/Frequency so the fake world's virtual clock
 * drives it.  Never 0 (that is "no deadline" to core_fd_set_deadline). */
int64_t core_nanotime(void);
/* Its scaling, exposed for tests: ticks (>= 0) at freq (> 0) per second to
 * nanoseconds, exact where it fits, monotonic, saturating at INT64_MAX. */
int64_t core_rt_ticks_to_ns(int64_t ticks, int64_t freq);

/* The runtime_poll* functions.  mode is 'r' or 'w' ('r'+'w' for
 * set_deadline); d is relative: 0 none, < 0 expired, > 0 nanoseconds from
 * now.  Misuse panics with Go's throw texts ("runtime: double wait",
 * "runtime: close polldesc w/o unblock", "runtime: unblock on closing
 * polldesc", "runtime: blocked read/write on closing polldesc").
 * docs/netpoll.md describes the poller thread and the fake world's duties. */
void core_rt_poll_server_init(void);                 /* once per process; idempotent */
int core_rt_poll_open(HANDLE h, core_rt_pd_t **out);  /* 0 or Win32 errno */
void core_rt_poll_close(core_rt_pd_t *pd);
int core_rt_poll_reset(core_rt_pd_t *pd, int mode);   /* CORE_POLL_* */
int core_rt_poll_wait(core_rt_pd_t *pd, int mode);    /* CORE_POLL_* */
void core_rt_poll_wait_canceled(core_rt_pd_t *pd, int mode);
void core_rt_poll_set_deadline(core_rt_pd_t *pd, int64_t d, int mode);
void core_rt_poll_unblock(core_rt_pd_t *pd);
bool core_rt_is_poll_descriptor(HANDLE h);
/* Test helpers: true while a thread sleeps in a wait on that mode; the
 * poller's port (INVALID_HANDLE_VALUE before core_rt_poll_server_init), so
 * a test can post packets to it. */
bool core_rt_pd_parked(core_rt_pd_t *pd, int mode);
HANDLE core_rt_port(void);
/* Test helper: number of queued deadline timers; *ok tells whether the
 * timer heap's ordering and bookkeeping invariants hold. */
size_t core_rt_timers_check(bool *ok);

/* ---- operation (fd_windows.go) ------------------------------------------ */

/* One overlapped operation.  The head, up to qty, is shared with the
 * poller (the runtime's net_op): the OVERLAPPED must be the first field,
 * since the OVERLAPPED* handed to the kernel *is* the operation, and
 * runtime_ctx must follow it, since the poller compares that word with the
 * packet's completion key and ignores packets where they differ
 * (golang/go#58870). */
typedef struct core_operation {
  OVERLAPPED o;
  core_rt_pd_t *runtime_ctx;
  int32_t mode;  /* 'r' or 'w' */
  int32_t errno_; /* written by the poller for every packet */
  DWORD qty;     /* written by the poller, and by the syscall on sync success */

  /* private to the FD layer */
  struct core_fd *fd;
  WSABUF buf;
  WSAMSG msg;
  core_sockaddr_t sa;
  core_raw_sockaddr_any_t *rsa; /* allocated on first use */
  INT rsan;
  SOCKET handle;
  DWORD flags; /* persists across operations (sticky MSG_PEEK, B25/B100) */
  WSABUF *bufs;
  size_t nbufs;
  size_t capbufs;
} core_operation_t;

/* ---- pollDesc, poll side (fd_poll_runtime.go) -------------------------- */

typedef struct core_poll_desc {
  core_rt_pd_t *runtime_ctx; /* NULL: not pollable */
} core_poll_desc_t;

/* ---- console state (console.c) ----------------------------------------- */

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

/* ---- FD (fd_windows.go) ------------------------------------------------- */

struct core_fd {
  core_fd_mutex_t fdmu;
  HANDLE sysfd; /* immutable until Close; INVALID_HANDLE_VALUE once destroyed */
  core_operation_t rop;
  core_operation_t wop;
  core_poll_desc_t pd;
  SRWLOCK l;       /* file position and console state (Go's fd.l) */
  core_console_t console;
  HANDLE csema;    /* released by destroy, acquired by Close */
  volatile LONG life; /* users and the freed bit; see fd_lock.c */
  bool skip_sync_notif;
  bool is_stream;
  bool zero_read_is_eof;
  bool is_file;
  core_file_kind_t kind;
  /* The net string of the last Init that got past kind parsing, as a
   * static string of fd_windows.c (never the caller's pointer); NULL before
   * that.  Go keeps only the kind; core_fd_kind_name (core_net.h) needs the
   * name. */
  const char *net;
};

/* fd_lock.c: the FD wrappers of fd_mutex.go (B110).  Lock failures return
 * core_err_closing(fd->is_file); decref returns destroy's error when it
 * dropped the last reference of a closed FD, the unlock variants discard it.
 *
 * Each of them also counts the calling thread as a user of the FD's memory
 * (core_fd_enter before it touches the fdMutex, core_fd_leave after the
 * unlock or decref, and after destroy, returned), so a thread blocked in
 * the lock's semaphore, or between its final CAS and the semaphore release,
 * keeps the memory alive; the memory goes when core_fd_free has been called
 * and the last user has left.  A method must not touch the FD after its
 * unlock or decref, and one that takes no lock (ConnectEx, Close) brackets
 * its body with core_fd_enter/core_fd_leave itself. */
void core_fd_enter(struct core_fd *fd);
void core_fd_leave(struct core_fd *fd);
/* core_fd_free's half: marks the FD freed; releases it now if no user is
 * left.  A second call panics. */
void core_fd_mark_freed(struct core_fd *fd);
/* fd_windows.c: closes the FD's kernel objects and frees its memory; called
 * exactly once, by whichever of core_fd_mark_freed or core_fd_leave sees the
 * FD freed with no user. */
void core_fd_release(struct core_fd *fd);
/* Test support: the number of threads inside a method of fd (0 when none). */
LONG core_fd_users(const struct core_fd *fd);
int core_fd_incref(struct core_fd *fd);
int core_fd_decref(struct core_fd *fd);
int core_fd_read_lock(struct core_fd *fd);
void core_fd_read_unlock(struct core_fd *fd);
int core_fd_write_lock(struct core_fd *fd);
void core_fd_write_unlock(struct core_fd *fd);

/* fd_windows.c: closes the handle once the last reference is gone (B34/B35). */
int core_fd_destroy(struct core_fd *fd);

/* fd_windows.c internals that tests reach the way Go's export_test.go
 * does: the operation buffer helpers (B6-B9) and the package decision of
 * B2-B5 (Go's useSetFileCompletionNotificationModes). */
void core_op_init_buf(core_operation_t *o, void *buf, size_t len);
void core_op_init_bufs(core_operation_t *o, const core_iovec_t *bufs, size_t nbufs);
void core_op_clear_bufs(core_operation_t *o);
void core_op_init_msg(core_operation_t *o, void *p, size_t plen, void *oob, size_t ooblen);
bool core_package_use_sfcnm(void);

/* fd_poll.c */
int core_pd_init(core_poll_desc_t *pd, struct core_fd *fd); /* 0 or Win32 errno */
void core_pd_close(core_poll_desc_t *pd);
void core_pd_evict(core_poll_desc_t *pd);
int core_pd_prepare(core_poll_desc_t *pd, int mode, bool is_file);
int core_pd_wait(core_poll_desc_t *pd, int mode, bool is_file);
void core_pd_wait_canceled(core_poll_desc_t *pd, int mode);
/* convertErr: CORE_POLL_* to 0 / closing / CORE_EDEADLINE /
 * CORE_ENOTPOLLABLE; anything else panics "unreachable". */
int core_pd_convert_err(int res, bool is_file);

/* fd_posix.c / fd.go */
int core_eof_error(const struct core_fd *fd, size_t n, int err);

/* core_process_reset (core_test.h) is in fd_windows.c and calls this. */
/* netpoll.c: frees the pollDesc cache and timer heap and forgets the port
 * and poller thread, making no Win32 call (those objects die with their
 * world).  Only valid when no core call is in progress and the old world's
 * threads, the poller included, are gone; never on the real API. */
void core_rt_reset(void);

/* core_max_rw is declared in core_test.h. */

#endif
