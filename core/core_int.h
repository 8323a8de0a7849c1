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
#include "fd_poll.h"
#include "netpoll.h"

/* ---- errors.c ---------------------------------------------------------- */

/* Go's panic(): calls the panic hook, never returns. */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 1, 2)))
#endif
void core_panicf(const char *fmt, ...);

/* fd.go's errClosing: CORE_EFILECLOSING if is_file, else CORE_ENETCLOSING
 * (B27). */
int core_err_closing(bool is_file);

/* ---- fd_mutex.c (fd_mutex.go): core_fd_mutex_t is in core_test.h ------ */

/* ---- netpoll*.c: netpoll.h; fd_poll.c: fd_poll.h ----------------------- */

/* ---- operation (fd_windows.go) ------------------------------------------ */

/* One overlapped operation.  The head, up to qty, is the runtime's net_op
 * (core_net_op_t, netpoll.h), shared with the poller. */
typedef struct core_operation {
  OVERLAPPED o;
  core_rt_pd_t *runtime_ctx;
  int32_t mode;   /* 'r' or 'w' */
  int32_t errno_; /* written by the poller for every packet */
  DWORD qty;      /* written by the poller, and by the syscall on sync success */

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

/* The head is the runtime's net_op (netpoll.h): the poller reads and writes
 * an operation through core_net_op_t. */
_Static_assert(offsetof(core_operation_t, o) == offsetof(core_net_op_t, o), "net_op head");
_Static_assert(offsetof(core_operation_t, runtime_ctx) == offsetof(core_net_op_t, runtime_ctx),
               "net_op head");
_Static_assert(offsetof(core_operation_t, mode) == offsetof(core_net_op_t, mode), "net_op head");
_Static_assert(offsetof(core_operation_t, errno_) == offsetof(core_net_op_t, errno_),
               "net_op head");
_Static_assert(offsetof(core_operation_t, qty) == offsetof(core_net_op_t, qty), "net_op head");

/* ---- console state (console.c): core_console_t is in core_test.h ------ */

/* ---- FD (fd_windows.go) ------------------------------------------------- */

struct core_fd {
  core_fd_mutex_t fdmu;
  HANDLE sysfd; /* immutable until Close; INVALID_HANDLE_VALUE once destroyed */
  core_operation_t rop;
  core_operation_t wop;
  core_poll_desc_t pd;
  SRWLOCK l; /* file position and console state (Go's fd.l) */
  core_console_t console;
  HANDLE csema;       /* released by destroy, acquired by Close */
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

/* fd_lock.c: the FD wrappers of fd_mutex.go (B110; declared in core_test.h,
 * where tests reach them too).  Lock failures return
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

/* fd_posix.c / fd.go */
int core_eof_error(const struct core_fd *fd, size_t n, int err);

/* core_process_reset (core_test.h) is in fd_windows.c and calls this. */

/* core_max_rw is declared in core_test.h. */

#endif
