/* core.h: public API of iocpsim's port of Go's internal/poll FD layer for
 * Windows (fd_windows.go of the Go 1.22 line, with fd_mutex.go,
 * fd_poll_runtime.go and the runtime's netpoll).  The spec is
 * spec/go-poll.md; B-numbers below refer to it.
 *
 * Conventions: every function returns an error in the single space of
 * core_errors.h (0, positive Win32 code, negative core error); byte counts
 * come back through out parameters.  A core_fd_t is created around an
 * existing handle, initialised with core_fd_init (Go's FD.Init) and must be
 * closed with core_fd_close before core_fd_free; core_fd_free may follow
 * core_fd_close at once, whatever other threads are still doing inside the
 * FD's methods (see "lifecycle" below). */
#ifndef IOCPSIM_CORE_H
#define IOCPSIM_CORE_H

#include "core_errors.h"
#include "core_types.h"

typedef struct core_fd core_fd_t;

/* ---- deadlines (fd_poll_runtime.go) ------------------------------------
 * t is an absolute time on the core_now() clock in nanoseconds; 0 is Go's
 * zero time.Time ("no deadline"), and core_now() itself is never 0.  A t
 * equal to now means "already expired" (never "none"); a t in the past is
 * expired at once: waiters are woken and later operations in that mode fail
 * with CORE_EDEADLINE before any syscall (B11).  A future t arms a timer
 * that the timer thread fires; extending a deadline after it expired makes
 * later operations work again.  Read and write deadlines are independent;
 * core_fd_set_deadline sets both.  FDs that are not pollable (every file,
 * pipe and console) return CORE_ENODEADLINE; a closed FD returns the
 * closing error.  Otherwise 0. */
int64_t core_now(void); /* core_nanotime(): QueryPerformanceCounter in ns */

/* The two deadlines that are not "now plus something", and the helper that
 * computes those that are.  CORE_DEADLINE_NONE is Go's zero time.Time.
 * CORE_DEADLINE_PAST is the earliest representable time, which every clock
 * reading follows (net's aLongTimeAgo: setting it expires the deadline now,
 * e.g. to interrupt a blocked call).  core_deadline_after(d) is Go's
 * time.Now().Add(d): core_now() + d, saturating at INT64_MIN and INT64_MAX
 * instead of overflowing (Go's tests use d = MinInt64 and MaxInt64), and
 * never CORE_DEADLINE_NONE (a sum of exactly 0 is in the past, so it gives
 * -1, which is too).  Write t = core_deadline_after(d), never core_now() + d. */
#define CORE_DEADLINE_NONE ((int64_t)0)
#define CORE_DEADLINE_PAST INT64_MIN
int64_t core_deadline_after(int64_t d);
int core_fd_set_deadline(core_fd_t *fd, int64_t t);
int core_fd_set_read_deadline(core_fd_t *fd, int64_t t);
int core_fd_set_write_deadline(core_fd_t *fd, int64_t t);

/* IsPollDescriptor (test helper): true iff h is the poller's IOCP handle
 * (as in Go, INVALID_HANDLE_VALUE before the first pollable FD exists). */
bool core_is_poll_descriptor(HANDLE h);

/* ---- console hooks (console.c) ------------------------------------------
 * Go's ReadConsole variable (default ReadConsoleW) and a matching seam for
 * WriteConsoleW, so tests can script UTF-16 input and capture output. */
extern core_read_console_fn core_hook_read_console;
extern core_write_console_fn core_hook_write_console;

/* ---- FD methods (fd_windows.go) -----------------------------------------
 *
 * Go's names map one to one: FD.Read is core_fd_read, FD.ReadFromInet4 is
 * core_fd_read_from_inet4, and so on (docs/core-api.md has the table).
 * Go's multiple results become out parameters, which must not be NULL
 * unless a comment says so; they are written on every return.  Byte counts
 * are size_t where Go has int.  A buffer of length 0 may have a NULL base.
 *
 * Every method except core_fd_free may be called from any thread at any
 * time, concurrently with Close, exactly as in Go: the fdMutex serialises
 * readers with readers and writers with writers, and Close wakes every
 * method in progress (they then return the closing error) and waits until
 * the handle is closed.  Close does not wait for those methods to return:
 * a method may still be on its way out after Close has returned; the FD's
 * memory stays valid for it (see core_fd_free).  Pread, Pwrite, Seek, Fchmod, Fchdir, GetFileType,
 * GetFileInformationByHandle, Setsockopt, WSAIoctl and Fsync take only a
 * reference (Go's incref), so they run alongside reads and writes. */

/* ---- package (fd_windows.go init) --------------------------------------
 * Go's package init: WSAStartup(0x0202), then the KB2568167 check that
 * decides whether FILE_SKIP_COMPLETION_PORT_ON_SUCCESS may be used (B1-B5).
 * It runs exactly once per process, lazily on the first core_fd_init; a
 * caller may trigger it earlier with core_package_init.  Returns Go's
 * initErr: 0, or WSAStartup's error, which every later core_fd_init then
 * returns (B1). */
int core_package_init(void);

/* ---- lifecycle ----------------------------------------------------------
 * core_fd_new wraps an existing handle or socket (Go's FD{Sysfd: h,
 * IsStream: ..., ZeroReadIsEOF: ...}).  The net package sets is_stream for
 * SOCK_STREAM sockets and zero_read_is_eof for everything but datagram and
 * raw sockets; os files set both.  The FD owns the handle from here on:
 * core_fd_close closes it.  Returns 0 or a Win32 error (semaphore creation,
 * ERROR_NOT_ENOUGH_MEMORY); *out is NULL on error.
 *
 * core_fd_free gives up the caller's hold on the FD.  It does not close
 * sysfd.  It is legal as soon as core_fd_close has returned, whatever other
 * threads are still doing in the FD's methods (blocked in the fdMutex,
 * parked in the poller, in a synchronous pipe call, or on their way out):
 * the FD's memory and kernel objects are released by whichever of
 * core_fd_free or the last of those methods finishes last (a count of the
 * threads inside the methods, waiters included, fd_lock.c).  It is also
 * legal on an FD that was never used.  What stays illegal: calling it
 * twice (that panics), calling it on an FD that is open and in use, and
 * starting a method call once core_fd_free has begun (nothing can make a
 * pointer that is about to be freed safe to enter with). */
int core_fd_new(HANDLE sysfd, bool is_stream, bool zero_read_is_eof, core_fd_t **out);
void core_fd_free(core_fd_t *fd);
/* For a harness whose simulated world has ended with FDs still alive (a
 * failed run): releases the FD's memory only.  Its kernel objects and
 * handle ended with the world; never call this while a world that could
 * use the FD is running, or on the real API (it would leak them). */
void core_fd_discard(core_fd_t *fd);

/* The handle (Go's fd.Sysfd); INVALID_HANDLE_VALUE once destroyed. */
HANDLE core_fd_sysfd(const core_fd_t *fd);

/* FD.Init (B26-B33).  net is a network name of the net package ("tcp",
 * "tcp4", "tcp6", "udp", "udp4", "udp6", "ip", "ip4", "ip6", "unix",
 * "unixgram", "unixpacket") or "file", "dir", "console", "pipe"; anything
 * else is CORE_EUNKNOWNNET.  pollable=true associates the handle with the
 * poller's completion port (only sockets should be: golang/go#21172).
 * *errcall (may be NULL) receives "" or, when disabling SIO_UDP_CONNRESET
 * failed, "wsaioctl" (Go's errcall string).  May be called more than once,
 * but a second pollable Init fails: a handle joins one port only. */
int core_fd_init(core_fd_t *fd, const char *net, bool pollable, const char **errcall);

/* FD.Close (B34-B40): marks the FD closed, cancels blocking pipe I/O,
 * wakes pending socket I/O (which then returns the closing error), and
 * returns once the handle is closed.  Closing twice gives the closing
 * error (CORE_EFILECLOSING for file kinds, CORE_ENETCLOSING for sockets). */
int core_fd_close(core_fd_t *fd);

/* ---- reading ------------------------------------------------------------
 * The EOF rule (fd_posix.go eofError, B108): a read of a non-empty buffer
 * that returns 0 bytes and no error on an FD with zero_read_is_eof gives
 * CORE_EOF.  Reads ask for at most CORE_MAX_RW bytes (golang/go#26923). */
int core_fd_eof_error(const core_fd_t *fd, size_t n, int err);

/* FD.Read (B41-B49): overlapped WSARecv for sockets, blocking ReadFile for
 * files and pipes (a broken pipe reads as CORE_EOF), the console path for
 * consoles.  A zero-length Read returns 0 bytes and no error (never EOF). */
int core_fd_read(core_fd_t *fd, void *buf, size_t len, size_t *n);

/* FD.Pread (B57-B63): positional read that leaves the file position as it
 * was.  Pipes give CORE_ESPIPE, even when closed. */
int core_fd_pread(core_fd_t *fd, void *buf, size_t len, int64_t off, size_t *n);

/* FD.ReadFrom / ReadFromInet4 / ReadFromInet6 (B64-B68).  A zero-length
 * buffer returns at once (0 bytes, no address, no error), even on a closed
 * FD.  On error the count is kept (a truncated datagram gives the buffer
 * length and WSAEMSGSIZE) and no address is returned: ReadFrom sets
 * from->kind = CORE_SA_NONE, while the Inet variants do not write *from at
 * all on error or for a zero-length buffer (as Go's sa4/sa6 out
 * parameters): it keeps whatever the caller had stored there, so a caller
 * that reads it must check the error first. */
int core_fd_read_from(core_fd_t *fd, void *buf, size_t len, size_t *n, core_sockaddr_t *from);
int core_fd_read_from_inet4(core_fd_t *fd, void *buf, size_t len, size_t *n,
                            core_sockaddr_inet4_t *from);
int core_fd_read_from_inet6(core_fd_t *fd, void *buf, size_t len, size_t *n,
                            core_sockaddr_inet6_t *from);

/* FD.ReadMsg / ReadMsgInet4 / ReadMsgInet6 (B104, B105): WSARecvMsg with
 * the caller's flags as input.  *oobn and *flags_out are what the kernel
 * wrote back into the WSAMSG (Control.len, dwFlags).  The address is
 * converted only on success; for ReadMsg a family that is neither AF_INET,
 * AF_INET6 nor AF_UNIX becomes CORE_EAFNOSUPPORT, and AF_UNIX gives
 * CORE_SA_OTHER.  On error ReadMsg sets from->kind = CORE_SA_NONE and the
 * Inet variants leave *from untouched, as ReadFrom's do. */
int core_fd_read_msg(core_fd_t *fd, void *p, size_t plen, void *oob, size_t ooblen, int flags,
                     size_t *n, size_t *oobn, int *flags_out, core_sockaddr_t *from);
int core_fd_read_msg_inet4(core_fd_t *fd, void *p, size_t plen, void *oob, size_t ooblen, int flags,
                           size_t *n, size_t *oobn, int *flags_out, core_sockaddr_inet4_t *from);
int core_fd_read_msg_inet6(core_fd_t *fd, void *p, size_t plen, void *oob, size_t ooblen, int flags,
                           size_t *n, size_t *oobn, int *flags_out, core_sockaddr_inet6_t *from);

/* ---- writing ------------------------------------------------------------
 * FD.Write (B69-B73): writes everything, in pieces of at most CORE_MAX_RW,
 * retrying short writes; on error *n counts the pieces already written.
 * Kept from the seed: a piece that reports 0 bytes and no error is retried
 * forever (no progress guard), and a zero-length Write issues no syscall. */
int core_fd_write(core_fd_t *fd, const void *buf, size_t len, size_t *n);

/* FD.Pwrite (B79-B81): positional write that leaves the file position as
 * it was.  Pipes give CORE_ESPIPE, even when closed. */
int core_fd_pwrite(core_fd_t *fd, const void *buf, size_t len, int64_t off, size_t *n);

/* FD.Writev (B82, B83): one WSASend of every buffer (each split at
 * CORE_MAX_RW), then core_hook_did_writev(n), then core_consume: on return
 * *bufs and *nbufs describe what was not written (fully written entries are
 * dropped and set to {NULL, 0}, a partly written one is advanced in the
 * caller's array).  *nbufs == 0 returns at once, even on a closed FD. */
int core_fd_writev(core_fd_t *fd, core_iovec_t **bufs, size_t *nbufs, int64_t *n);

/* consume (fd.go, B109): drop n bytes from the front of the buffer list. */
void core_consume(core_iovec_t **bufs, size_t *nbufs, int64_t n);

/* FD.WriteTo / WriteToInet4 / WriteToInet6 (B84-B87).  A zero-length
 * buffer sends one empty datagram (golang/go#26668).  For WriteTo, a NULL
 * or CORE_SA_NONE address sends without one (connected socket); a port
 * outside 0..65535 gives CORE_EINVAL and CORE_SA_OTHER gives CORE_EWINDOWS,
 * both from inside the submission (after the lock and deadline checks). */
int core_fd_write_to(core_fd_t *fd, const void *buf, size_t len, const core_sockaddr_t *to,
                     size_t *n);
int core_fd_write_to_inet4(core_fd_t *fd, const void *buf, size_t len,
                           const core_sockaddr_inet4_t *to, size_t *n);
int core_fd_write_to_inet6(core_fd_t *fd, const void *buf, size_t len,
                           const core_sockaddr_inet6_t *to, size_t *n);

/* FD.WriteMsg / WriteMsgInet4 / WriteMsgInet6 (B106, B107): WSASendMsg.
 * plen > CORE_MAX_RW gives CORE_ETOOLARGE before anything else.  For
 * WriteMsg a NULL or CORE_SA_NONE address sends unnamed and CORE_SA_OTHER
 * gives CORE_EWINDOWS (B103).  *oobn is the WSAMSG's Control.len. */
int core_fd_write_msg(core_fd_t *fd, const void *p, size_t plen, const void *oob, size_t ooblen,
                      const core_sockaddr_t *to, size_t *n, size_t *oobn);
int core_fd_write_msg_inet4(core_fd_t *fd, const void *p, size_t plen, const void *oob,
                            size_t ooblen, const core_sockaddr_inet4_t *to, size_t *n,
                            size_t *oobn);
int core_fd_write_msg_inet6(core_fd_t *fd, const void *p, size_t plen, const void *oob,
                            size_t ooblen, const core_sockaddr_inet6_t *to, size_t *n,
                            size_t *oobn);

/* ---- connecting and accepting --------------------------------------------
 * FD.ConnectEx (B88): ConnectEx on the write operation, without locking
 * (call it while the FD is being set up, as net does; the socket must be
 * bound).  Write deadlines and Close apply.  A NULL, CORE_SA_NONE or
 * CORE_SA_OTHER address gives CORE_EINVAL / CORE_EINVAL / CORE_EWINDOWS; a
 * port outside 0..65535 gives CORE_EINVAL. */
int core_fd_connect_ex(core_fd_t *fd, const core_sockaddr_t *ra);

/* The socket factory of FD.Accept (Go's sysSocket): store a fresh,
 * unbound overlapped socket of the listener's family in *s and return 0,
 * or return an error. */
typedef int (*core_sys_socket_fn)(void *ctx, SOCKET *s);

/* FD.Accept (B89-B95): repeats AcceptEx with a fresh socket from
 * sys_socket while it fails with ERROR_NETNAME_DELETED or WSAECONNRESET
 * (a connection reset before it was accepted; the listener is fine).  On
 * success *s is the accepted socket (SO_UPDATE_ACCEPT_CONTEXT done),
 * rawsa[0..1] is AcceptEx's address buffer (parse it with
 * GetAcceptExSockaddrs using 0, *rsan, *rsan) and *rsan is 116.  On error
 * *s is INVALID_SOCKET, *rsan 0 and *errcall (may be NULL) "", "acceptex"
 * or "setsockopt"; the failed socket has been closed with core_hook_close. */
int core_fd_accept(core_fd_t *fd, core_sys_socket_fn sys_socket, void *ctx, SOCKET *s,
                   core_raw_sockaddr_any_t rawsa[2], uint32_t *rsan, const char **errcall);

/* ---- files ---------------------------------------------------------------
 * FD.Seek (B96): SetFilePointerEx with whence 0 (FILE_BEGIN), 1
 * (FILE_CURRENT) or 2 (FILE_END); any other whence acts as 0, as in Go's
 * syscall.Seek.  Pipes give CORE_ESPIPE, even when closed. */
#define CORE_SEEK_SET 0
#define CORE_SEEK_CUR 1
#define CORE_SEEK_END 2
int core_fd_seek(core_fd_t *fd, int64_t offset, int whence, int64_t *pos);

/* FD.Fchmod (B97): only the S_IWRITE bit matters; it clears (set) or sets
 * (clear) FILE_ATTRIBUTE_READONLY, writing attributes only on a change. */
#define CORE_S_IWRITE 0x80
int core_fd_fchmod(core_fd_t *fd, uint32_t mode);

/* FD.Fchdir (B98): Go 1.22's syscall.Fchdir is not implemented on Windows,
 * so this returns CORE_EWINDOWS on an open FD (the closing error on a
 * closed one). */
int core_fd_fchdir(core_fd_t *fd);

/* FD.GetFileType / FD.GetFileInformationByHandle (B98).  GetFileType's
 * FILE_TYPE_UNKNOWN with no last error is CORE_EINVAL, as in Go. */
int core_fd_get_file_type(core_fd_t *fd, DWORD *type);
int core_fd_get_file_information_by_handle(core_fd_t *fd, BY_HANDLE_FILE_INFORMATION *data);

/* FD.Fsync (fd_fsync_windows.go, B111): FlushFileBuffers. */
int core_fd_fsync(core_fd_t *fd);

/* ---- raw access and socket options ---------------------------------------
 * FD.RawRead (B99, B100): calls f(ctx, sysfd) under the read lock until it
 * returns true, waiting for readability between calls with a zero-byte
 * WSARecv (MSG_PEEK on non-stream sockets; the flag then stays set on the
 * read operation, a seed quirk: see docs/core-api.md).  FD.RawWrite
 * (B101): calls f once under the write lock; false gives CORE_EWINDOWS. */
typedef bool (*core_raw_fn)(void *ctx, uintptr_t sysfd);
int core_fd_raw_read(core_fd_t *fd, core_raw_fn f, void *ctx);
int core_fd_raw_write(core_fd_t *fd, core_raw_fn f, void *ctx);

/* FD.Setsockopt and FD.WSAIoctl (sockopt_windows.go, B111): the Winsock
 * call under a reference. */
int core_fd_setsockopt(core_fd_t *fd, int level, int optname, const void *optval, int optlen);
int core_fd_wsaioctl(core_fd_t *fd, DWORD code, void *inbuf, DWORD inlen, void *outbuf,
                     DWORD outlen, DWORD *returned, LPWSAOVERLAPPED ov,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);

/* ---- sockaddr helpers (B102, B103) -----------------------------------------
 * core_sockaddr_to_raw: Go's sockaddrToRaw.  Zeroes *rsa, writes the
 * family, the port as two network-order bytes (the low 16 bits of port,
 * unchecked), the address and, for IPv6, Scope_id = zone_id; *len is 16 or
 * 28.  Any other kind gives CORE_EWINDOWS.  The raw_to_* helpers are Go's
 * rawToSockaddrInet4/6 (no family check); core_raw_to_sockaddr is
 * RawSockaddrAny.Sockaddr (CORE_EAFNOSUPPORT for unknown families). */
int core_sockaddr_to_raw(core_raw_sockaddr_any_t *rsa, const core_sockaddr_t *sa, int32_t *len);
void core_raw_to_sockaddr_inet4(const core_raw_sockaddr_any_t *rsa, core_sockaddr_inet4_t *sa);
void core_raw_to_sockaddr_inet6(const core_raw_sockaddr_any_t *rsa, core_sockaddr_inet6_t *sa);
int core_raw_to_sockaddr(const core_raw_sockaddr_any_t *rsa, core_sockaddr_t *sa);

/* ---- hooks (hook_windows.go, fd.go, fd_windows.go) -------------------------
 * Plain variables, as in Go: set them before the FDs that should see them
 * are used, not while I/O is in flight.  core_process_reset restores the
 * defaults.
 *   core_hook_close      CloseFunc: closes kindNet sockets (closesocket).
 *   core_hook_accept     AcceptFunc: AcceptEx, found once through
 *                        WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER).
 *   core_hook_connectex  ConnectExFunc: ConnectEx, found the same way.
 *   core_hook_log_init_fd  logInitFD: NULL, or called by every Init that
 *                        got past package init and kind parsing, with the
 *                        error of the poller registration (B29).
 *   core_hook_did_writev TestHookDidWritev: called once per Writev with the
 *                        byte count (NULL allowed). */
typedef void (*core_log_init_fd_fn)(const char *net, core_fd_t *fd, int err);
typedef void (*core_did_writev_fn)(int64_t n);
extern core_close_fn core_hook_close;
extern core_accept_fn core_hook_accept;
extern core_connectex_fn core_hook_connectex;
extern core_log_init_fd_fn core_hook_log_init_fd;
extern core_did_writev_fn core_hook_did_writev;

#endif
