/* fd_windows.c: ports internal/poll/fd_windows.go of the Go 1.22 line (the
 * seed, spec/go-poll.md B1-B107) with hook_windows.go, sockopt_windows.go
 * and fd_fsync_windows.go, plus the pieces of Go's syscall and
 * internal/syscall/windows packages whose semantics the FD relies on
 * (syscall.Read/Write/Seek, the WSASendto address conversion, the lazily
 * loaded ConnectEx/WSARecvMsg/WSASendMsg).  fdMutex and the poller are in
 * fd_mutex.c, fd_lock.c, fd_poll.c and netpoll*.c; readConsole and
 * writeConsole in console.c.
 *
 * Errors: 0, a positive Win32/Winsock code as GetLastError/WSAGetLastError
 * reported it, or a negative core error (core_errors.h).  Where Go's
 * generated syscall wrappers turn "failed, but no last error" into EINVAL
 * (errnoErr(0)), so does win_err below. */
#include "core_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* maxRW (golang/go#26923); lowered only by tests. */
size_t core_max_rw = CORE_MAX_RW;

/* ---- error helpers -------------------------------------------------------- */

static int win_err(DWORD e) {
  return e == 0 ? CORE_EINVAL : (int)e;
}
static int last_err(void) {
  return win_err(GetLastError());
}
static int wsa_err(void) {
  return win_err((DWORD)WSAGetLastError());
}

static size_t min_size(size_t a, size_t b) {
  return a < b ? a : b;
}

/* ---- package state (Go's init, initErr, useSetFileCompletionNotificationModes) */

typedef BOOL(WINAPI *sfcnm_fn)(HANDLE h, UCHAR flags);

/* Guarded by pkg_lock; written once per process (or per core_process_reset). */
static SRWLOCK pkg_lock = SRWLOCK_INIT;
static bool pkg_done;
static int pkg_init_err;
static bool pkg_use_sfcnm;
static sfcnm_fn pkg_sfcnm;
/* Go's [32]syscall.WSAProtocolInfo; static so that a small fiber stack in
 * the fake world does not have to hold 20 KB. */
static WSAPROTOCOL_INFOW pkg_protos[32];

/* checkSetFileCompletionNotificationModes (KB2568167): skipping completion
 * packets on success is only safe when no non-IFS layered service provider
 * sits on TCP, so every TCP provider must report XP1_IFS_HANDLES (B2-B5). */
static void check_sfcnm(void) {
  HMODULE k32 = GetModuleHandleA("kernel32.dll");
  FARPROC p = k32 ? GetProcAddress(k32, "SetFileCompletionNotificationModes") : NULL;
  if (p == NULL) return; /* B2 */
  /* FARPROC is a generic function pointer; the detour through void(*)(void)
   * tells gcc the signature change is intended. */
  pkg_sfcnm = (sfcnm_fn)(void (*)(void))p;
  INT protos[2] = {IPPROTO_TCP, 0};
  DWORD len = (DWORD)sizeof pkg_protos;
  int n = WSAEnumProtocolsW(protos, pkg_protos, &len);
  if (n == SOCKET_ERROR) return; /* B3 */
  for (int i = 0; i < n; i++) {
    if ((pkg_protos[i].dwServiceFlags1 & XP1_IFS_HANDLES) == 0) return; /* B4 */
  }
  pkg_use_sfcnm = true; /* B5 */
}

int core_package_init(void) {
  AcquireSRWLockExclusive(&pkg_lock);
  if (!pkg_done) {
    pkg_done = true;
    WSADATA d;
    int e = WSAStartup(0x0202, &d);
    /* WSAStartup returns its error instead of setting the last error. */
    if (e != 0) pkg_init_err = e; /* B1 */
    check_sfcnm();
  }
  int err = pkg_init_err;
  ReleaseSRWLockExclusive(&pkg_lock);
  return err;
}

bool core_package_use_sfcnm(void) {
  AcquireSRWLockShared(&pkg_lock);
  bool v = pkg_use_sfcnm;
  ReleaseSRWLockShared(&pkg_lock);
  return v;
}

/* ---- extension functions (syscall.LoadConnectEx, windows.loadWSASendRecvMsg;
 * AcceptEx, which Go links from mswsock directly, is found the same way) ---
 * Each is looked up once per process with WSAIoctl(SIO_GET_EXTENSION_
 * FUNCTION_POINTER) on a temporary socket; the outcome, error included, is
 * remembered, as Go's sync.Once does. */

typedef struct ext_fn {
  bool done;
  int err;
  void (*fn)(void);
} ext_fn_t;

static SRWLOCK ext_lock = SRWLOCK_INIT;
static ext_fn_t ext_acceptex, ext_connectex, ext_recvmsg, ext_sendmsg;

static int ext_lookup(SOCKET s, GUID guid, void (**fn)(void)) {
  DWORD n = 0;
  void *p = NULL;
  if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, (DWORD)sizeof guid, &p,
               (DWORD)sizeof p, &n, NULL, NULL) == SOCKET_ERROR) {
    return wsa_err();
  }
  /* The ioctl hands back a function address in a data pointer. */
  memcpy(fn, &p, sizeof p);
  return 0;
}

/* Loads one or two functions through one temporary socket. */
static int ext_load(ext_fn_t *a, GUID ga, ext_fn_t *b, GUID gb, int type, int proto) {
  AcquireSRWLockExclusive(&ext_lock);
  if (!a->done) {
    a->done = true;
    if (b) b->done = true;
    SOCKET s = socket(AF_INET, type, proto);
    if (s == INVALID_SOCKET) {
      a->err = wsa_err();
    } else {
      a->err = ext_lookup(s, ga, &a->fn);
      /* Go stops at the first failure and reports it for both. */
      if (b) b->err = a->err == 0 ? ext_lookup(s, gb, &b->fn) : a->err;
      closesocket(s);
    }
    if (b && a->err != 0 && b->err == 0) b->err = a->err;
  }
  int err = a->err;
  ReleaseSRWLockExclusive(&ext_lock);
  return err;
}

static const GUID guid_acceptex = WSAID_ACCEPTEX;
static const GUID guid_connectex = WSAID_CONNECTEX;
static const GUID guid_recvmsg = WSAID_WSARECVMSG;
static const GUID guid_sendmsg = WSAID_WSASENDMSG;

/* Both message functions come from one UDP socket, in Go's order: a failure
 * to find WSARecvMsg is reported by WSASendMsg too. */
static int load_msg_fns(void) {
  int err =
      ext_load(&ext_recvmsg, guid_recvmsg, &ext_sendmsg, guid_sendmsg, SOCK_DGRAM, IPPROTO_UDP);
  if (err != 0) return err;
  AcquireSRWLockShared(&ext_lock);
  err = ext_sendmsg.err;
  ReleaseSRWLockShared(&ext_lock);
  return err;
}

static BOOL PASCAL default_acceptex(SOCKET listen, SOCKET accept, PVOID buf, DWORD rlen, DWORD llen,
                                    DWORD rmlen, LPDWORD recvd, LPOVERLAPPED ov) {
  int err = ext_load(&ext_acceptex, guid_acceptex, NULL, guid_acceptex, SOCK_STREAM, IPPROTO_TCP);
  if (err != 0) {
    WSASetLastError(err > 0 ? err : WSAEINVAL);
    return FALSE;
  }
  LPFN_ACCEPTEX f = (LPFN_ACCEPTEX)ext_acceptex.fn;
  return f(listen, accept, buf, rlen, llen, rmlen, recvd, ov);
}

/* Go's ConnectEx wraps a failed lookup in an ad-hoc error ("failed to find
 * ConnectEx: ..."); here the lookup's Winsock error is the result. */
static BOOL PASCAL default_connectex(SOCKET s, const struct sockaddr *name, int namelen,
                                     PVOID sendbuf, DWORD sendlen, LPDWORD sent, LPOVERLAPPED ov) {
  int err =
      ext_load(&ext_connectex, guid_connectex, NULL, guid_connectex, SOCK_STREAM, IPPROTO_TCP);
  if (err != 0) {
    WSASetLastError(err > 0 ? err : WSAEINVAL);
    return FALSE;
  }
  LPFN_CONNECTEX f = (LPFN_CONNECTEX)ext_connectex.fn;
  return f(s, name, namelen, sendbuf, sendlen, sent, ov);
}

/* ---- hooks --------------------------------------------------------------- */

/* A wrapper, not closesocket itself: the address of a dllimport function is
 * not a constant initializer. */
static int WSAAPI default_close(SOCKET s) {
  return closesocket(s);
}

core_close_fn core_hook_close = default_close;
core_accept_fn core_hook_accept = default_acceptex;
core_connectex_fn core_hook_connectex = default_connectex;
core_log_init_fd_fn core_hook_log_init_fd = NULL;

static void did_writev_nop(int64_t n) {
  (void)n;
}
core_did_writev_fn core_hook_did_writev = did_writev_nop;

/* Runs between worlds, outside any thread of the program (a simulator's
 * world hook), so it makes no Win32 call: the locks are re-initialised, not
 * taken - a thread of the old world may have been abandoned holding one. */
void core_process_reset(void) {
  pkg_lock = (SRWLOCK)SRWLOCK_INIT;
  pkg_done = false;
  pkg_init_err = 0;
  pkg_use_sfcnm = false;
  pkg_sfcnm = NULL;
  ext_lock = (SRWLOCK)SRWLOCK_INIT;
  memset(&ext_acceptex, 0, sizeof ext_acceptex);
  memset(&ext_connectex, 0, sizeof ext_connectex);
  memset(&ext_recvmsg, 0, sizeof ext_recvmsg);
  memset(&ext_sendmsg, 0, sizeof ext_sendmsg);
  core_hook_close = default_close;
  core_hook_accept = default_acceptex;
  core_hook_connectex = default_connectex;
  core_hook_log_init_fd = NULL;
  core_hook_did_writev = did_writev_nop;
  core_max_rw = CORE_MAX_RW;
  core_rt_reset();
}

/* ---- operation buffers (B6-B9) ------------------------------------------- */

/* Go would die with "out of memory"; the panic hook is the nearest thing. */
static void *must_realloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (q == NULL) core_panicf("out of memory");
  return q;
}

static core_raw_sockaddr_any_t *op_rsa(core_operation_t *o) {
  if (o->rsa == NULL) {
    o->rsa = must_realloc(NULL, sizeof *o->rsa);
    memset(o->rsa, 0, sizeof *o->rsa);
  }
  return o->rsa;
}

void core_op_init_buf(core_operation_t *o, void *buf, size_t len) {
  o->buf.len = (ULONG)len;
  o->buf.buf = len != 0 ? (CHAR *)buf : NULL;
}

static void op_append_buf(core_operation_t *o, ULONG len, void *base) {
  if (o->nbufs == o->capbufs) {
    size_t cap = o->capbufs ? 2 * o->capbufs : 4;
    o->bufs = must_realloc(o->bufs, cap * sizeof *o->bufs);
    o->capbufs = cap;
  }
  o->bufs[o->nbufs].len = len;
  o->bufs[o->nbufs].buf = (CHAR *)base;
  o->nbufs++;
}

/* An empty slice still takes one WSABUF; a slice longer than maxRW is cut
 * into maxRW pieces so no length overflows the WSABUF's ULONG. */
void core_op_init_bufs(core_operation_t *o, const core_iovec_t *bufs, size_t nbufs) {
  o->nbufs = 0; /* the array and its capacity are reused */
  for (size_t i = 0; i < nbufs; i++) {
    uint8_t *base = bufs[i].base;
    size_t len = bufs[i].len;
    if (len == 0) {
      op_append_buf(o, 0, NULL);
      continue;
    }
    while (len > core_max_rw) {
      op_append_buf(o, (ULONG)core_max_rw, base);
      base += core_max_rw;
      len -= core_max_rw;
    }
    if (len > 0) op_append_buf(o, (ULONG)len, base);
  }
}

/* Forget the caller's buffers (Go lets the GC have them); keep capacity. */
void core_op_clear_bufs(core_operation_t *o) {
  for (size_t i = 0; i < o->nbufs; i++) o->bufs[i].buf = NULL;
  o->nbufs = 0;
}

void core_op_init_msg(core_operation_t *o, void *p, size_t plen, void *oob, size_t ooblen) {
  core_op_init_buf(o, p, plen);
  o->msg.lpBuffers = &o->buf;
  o->msg.dwBufferCount = 1;
  o->msg.name = NULL;
  o->msg.namelen = 0;
  o->msg.dwFlags = 0;
  o->msg.Control.len = (ULONG)ooblen;
  o->msg.Control.buf = ooblen != 0 ? (CHAR *)oob : NULL;
}

/* ---- sockaddr helpers (B102, B103) ---------------------------------------- */

static void put_port(uint8_t *p, int port) {
  p[0] = (uint8_t)(port >> 8);
  p[1] = (uint8_t)port;
}

static int get_port(const uint8_t *p) {
  return ((int)p[0] << 8) + (int)p[1];
}

/* Byte offsets of the raw layouts (RawSockaddrInet4/6 = sockaddr_in/in6). */
enum { RAW_PORT = 2, RAW4_ADDR = 4, RAW6_FLOW = 4, RAW6_ADDR = 8, RAW6_SCOPE = 24 };

static int32_t inet4_to_raw(core_raw_sockaddr_any_t *rsa, const core_sockaddr_inet4_t *sa) {
  memset(rsa, 0, sizeof *rsa);
  uint8_t *b = (uint8_t *)rsa;
  rsa->family = AF_INET;
  put_port(b + RAW_PORT, sa->port);
  memcpy(b + RAW4_ADDR, sa->addr, 4);
  return 16;
}

static int32_t inet6_to_raw(core_raw_sockaddr_any_t *rsa, const core_sockaddr_inet6_t *sa) {
  memset(rsa, 0, sizeof *rsa);
  uint8_t *b = (uint8_t *)rsa;
  rsa->family = AF_INET6;
  put_port(b + RAW_PORT, sa->port);
  memcpy(b + RAW6_SCOPE, &sa->zone_id, 4);
  memcpy(b + RAW6_ADDR, sa->addr, 16);
  return 28;
}

int core_sockaddr_to_raw(core_raw_sockaddr_any_t *rsa, const core_sockaddr_t *sa, int32_t *len) {
  switch (sa->kind) {
    case CORE_SA_INET4:
      *len = inet4_to_raw(rsa, &sa->u.in4);
      return 0;
    case CORE_SA_INET6:
      *len = inet6_to_raw(rsa, &sa->u.in6);
      return 0;
    default:
      *len = 0;
      return CORE_EWINDOWS;
  }
}

void core_raw_to_sockaddr_inet4(const core_raw_sockaddr_any_t *rsa, core_sockaddr_inet4_t *sa) {
  const uint8_t *b = (const uint8_t *)rsa;
  sa->port = get_port(b + RAW_PORT);
  memcpy(sa->addr, b + RAW4_ADDR, 4);
}

void core_raw_to_sockaddr_inet6(const core_raw_sockaddr_any_t *rsa, core_sockaddr_inet6_t *sa) {
  const uint8_t *b = (const uint8_t *)rsa;
  sa->port = get_port(b + RAW_PORT);
  memcpy(&sa->zone_id, b + RAW6_SCOPE, 4);
  memcpy(sa->addr, b + RAW6_ADDR, 16);
}

/* RawSockaddrAny.Sockaddr.  AF_UNIX is a valid Go Sockaddr (SockaddrUnix)
 * that this port does not model: it comes back as CORE_SA_OTHER. */
int core_raw_to_sockaddr(const core_raw_sockaddr_any_t *rsa, core_sockaddr_t *sa) {
  memset(sa, 0, sizeof *sa);
  switch (rsa->family) {
    case AF_UNIX:
      sa->kind = CORE_SA_OTHER;
      return 0;
    case AF_INET:
      sa->kind = CORE_SA_INET4;
      core_raw_to_sockaddr_inet4(rsa, &sa->u.in4);
      return 0;
    case AF_INET6:
      sa->kind = CORE_SA_INET6;
      core_raw_to_sockaddr_inet6(rsa, &sa->u.in6);
      return 0;
    default:
      sa->kind = CORE_SA_NONE;
      return CORE_EAFNOSUPPORT;
  }
}

/* The conversion inside Go's syscall layer (Sockaddr.sockaddr(), used by
 * WSASendto and ConnectEx): unlike sockaddrToRaw it rejects ports outside
 * 0..65535 with EINVAL. */
static int syscall_sockaddr(const core_sockaddr_t *sa, core_raw_sockaddr_any_t *rsa, int32_t *len) {
  int port;
  switch (sa->kind) {
    case CORE_SA_INET4:
      port = sa->u.in4.port;
      break;
    case CORE_SA_INET6:
      port = sa->u.in6.port;
      break;
    default:
      return CORE_EWINDOWS;
  }
  if (port < 0 || port > 0xFFFF) return CORE_EINVAL;
  return core_sockaddr_to_raw(rsa, sa, len);
}

/* ---- execIO (B10-B25) ------------------------------------------------------ */

/* Starts one overlapped operation: 0 (completed now, o->qty set),
 * ERROR_IO_PENDING, or another error (nothing queued for it). */
typedef int (*submit_fn)(core_operation_t *o, const void *arg);

/* Runs one overlapped socket operation to its end and returns its error
 * and byte count.  The FD's pollDesc decides who waits: prepare fails fast
 * on a closed FD or an expired deadline before anything is submitted
 * (B11); a wait cut short by Close or a deadline cancels the operation and
 * then still waits for its packet, because until the packet arrives the
 * kernel owns the OVERLAPPED and the buffer (B20, B21). */
static int exec_io(core_operation_t *o, submit_fn submit, const void *arg, size_t *n) {
  core_fd_t *fd = o->fd;
  *n = 0;
  /* o->fd is NULL until Init has run (Go would crash on the nil pointer):
   * treated like an FD that is not pollable. */
  if (fd == NULL || fd->pd.runtime_ctx == NULL) return CORE_EUNSUPPORTED; /* B10 */
  int err = core_pd_prepare(&fd->pd, o->mode, fd->is_file);
  if (err != 0) return err; /* B11 */
  err = submit(o, arg);
  switch (err) {
    case 0:
      /* Completed at once.  With FILE_SKIP_COMPLETION_PORT_ON_SUCCESS no
       * packet follows (B12); without it the packet must be consumed (B13). */
      if (fd->skip_sync_notif) {
        *n = o->qty;
        return 0;
      }
      break;
    case ERROR_IO_PENDING: /* B14 */
      break;
    default:
      return err; /* B15: failed at once, nothing queued */
  }
  err = core_pd_wait(&fd->pd, o->mode, fd->is_file);
  if (err == 0) {
    if (o->errno_ != 0) {
      err = o->errno_;
      /* A truncated message or datagram: the bytes received and the error
       * (golang/go#14074, B17). */
#if !defined(IOCPSIM_GO_BUG_F)
      if (err == ERROR_MORE_DATA || err == WSAEMSGSIZE) *n = o->qty;
#else
      /* Go bug f (golang/go#14074, docs/findings.md): a truncated datagram
       * came back as (0, WSAEMSGSIZE), its bytes dropped. */
#endif
      return err; /* B18 */
    }
    *n = o->qty; /* B16 */
    return 0;
  }
  int netpoll_err = err;
  switch (netpoll_err) {
    case CORE_ENETCLOSING:
    case CORE_EFILECLOSING:
    case CORE_EDEADLINE:
      break;
    default: /* B19 */
      core_panicf("unexpected runtime.netpoll error: %s", core_strerror(netpoll_err));
  }
  /* ERROR_NOT_FOUND means the operation completed before the cancel. */
  if (!CancelIoEx(fd->sysfd, &o->o)) {
    int e = last_err();
    if (e != ERROR_NOT_FOUND) core_panicf("%s", core_strerror(e)); /* B20 */
  }
  core_pd_wait_canceled(&fd->pd, o->mode); /* B21 */
  if (o->errno_ != 0) {
    err = o->errno_;
    /* Cancelled: report why (B22).  Any other error, even a truncation,
     * comes back with 0 bytes on this path (B23, kept from the seed). */
    if (err == ERROR_OPERATION_ABORTED) err = netpoll_err;
    return err;
  }
  /* The operation won the race against the cancel: its bytes really moved,
   * so this is a success despite the close or deadline (B24). */
#if defined(IOCPSIM_GO_BUG_C)
  /* Go bug c (docs/findings.md): the count of an operation that completed
   * before its cancel is dropped, so the bytes it moved are lost. */
  *n = 0;
#else
  *n = o->qty;
#endif
  return 0;
}

/* The submissions.  Go's generated wrappers return errnoErr(WSAGetLastError)
 * on SOCKET_ERROR; ERROR_IO_PENDING (== WSA_IO_PENDING) passes through. */

static SOCKET op_sock(const core_operation_t *o) {
  return (SOCKET)o->fd->sysfd;
}

static int submit_wsarecv(core_operation_t *o, const void *arg) {
  (void)arg;
  if (WSARecv(op_sock(o), &o->buf, 1, &o->qty, &o->flags, &o->o, NULL) == SOCKET_ERROR) {
    return wsa_err();
  }
  return 0;
}

static int submit_wsasend(core_operation_t *o, const void *arg) {
  (void)arg;
  if (WSASend(op_sock(o), &o->buf, 1, &o->qty, 0, &o->o, NULL) == SOCKET_ERROR) return wsa_err();
  return 0;
}

static int submit_wsasend_bufs(core_operation_t *o, const void *arg) {
  (void)arg;
  if (WSASend(op_sock(o), o->bufs, (DWORD)o->nbufs, &o->qty, 0, &o->o, NULL) == SOCKET_ERROR) {
    return wsa_err();
  }
  return 0;
}

/* ReadFrom's submission: the address buffer is allocated on first use and
 * its length reset before every call (B65). */
static int submit_wsarecvfrom(core_operation_t *o, const void *arg) {
  (void)arg;
  core_raw_sockaddr_any_t *rsa = op_rsa(o);
  o->rsan = CORE_RAW_SOCKADDR_ANY_SIZE;
  if (WSARecvFrom(op_sock(o), &o->buf, 1, &o->qty, &o->flags, (struct sockaddr *)rsa, &o->rsan,
                  &o->o, NULL) == SOCKET_ERROR) {
    return wsa_err();
  }
  return 0;
}

/* syscall.WSASendto and its Inet4/Inet6 twins.  arg is the Go Sockaddr:
 * NULL sends without an address.  The raw form lives in the operation so
 * that it outlives the call however the provider treats it. */
static int submit_wsasendto(core_operation_t *o, const void *arg) {
  const core_sockaddr_t *sa = arg;
  const struct sockaddr *to = NULL;
  int32_t tolen = 0;
  if (sa != NULL && sa->kind != CORE_SA_NONE) {
    int err = syscall_sockaddr(sa, op_rsa(o), &tolen);
    if (err != 0) return err;
    to = (const struct sockaddr *)o->rsa;
  }
  if (WSASendTo(op_sock(o), &o->buf, 1, &o->qty, 0, to, tolen, &o->o, NULL) == SOCKET_ERROR) {
    return wsa_err();
  }
  return 0;
}

static int submit_wsarecvmsg(core_operation_t *o, const void *arg) {
  (void)arg;
  int err = load_msg_fns();
  if (err != 0) return err;
  LPFN_WSARECVMSG f = (LPFN_WSARECVMSG)ext_recvmsg.fn;
  if (f(op_sock(o), &o->msg, &o->qty, &o->o, NULL) == SOCKET_ERROR) return wsa_err();
  return 0;
}

static int submit_wsasendmsg(core_operation_t *o, const void *arg) {
  (void)arg;
  int err = load_msg_fns();
  if (err != 0) return err;
  LPFN_WSASENDMSG f = (LPFN_WSASENDMSG)ext_sendmsg.fn;
  if (f(op_sock(o), &o->msg, 0, &o->qty, &o->o, NULL) == SOCKET_ERROR) return wsa_err();
  return 0;
}

/* syscall.ConnectEx: the address conversion happens at submission. */
static int submit_connectex(core_operation_t *o, const void *arg) {
  const core_sockaddr_t *sa = arg;
  int32_t len = 0;
  int err = syscall_sockaddr(sa, op_rsa(o), &len);
  if (err != 0) return err;
  if (!core_hook_connectex(op_sock(o), (const struct sockaddr *)o->rsa, len, NULL, 0, NULL,
                           &o->o)) {
    return wsa_err();
  }
  return 0;
}

/* AcceptFunc(listener, o->handle, rawsa, 0 bytes of data, rsan, rsan). */
static int submit_acceptex(core_operation_t *o, const void *arg) {
  void *rawsa = (void *)arg;
  if (!core_hook_accept(op_sock(o), o->handle, rawsa, 0, (DWORD)o->rsan, (DWORD)o->rsan, &o->qty,
                        &o->o)) {
    return wsa_err();
  }
  return 0;
}

/* ---- syscall-layer helpers for files ------------------------------------------ */

/* syscall.Read: a blocking ReadFile; a broken pipe is a clean end of
 * stream, (0, nil), which eofError then turns into EOF. */
static int sys_read(HANDLE h, void *buf, size_t len, size_t *n) {
  DWORD done = 0;
  *n = 0;
  if (!ReadFile(h, len ? buf : NULL, (DWORD)len, &done, NULL)) {
    int e = last_err();
    if (e == ERROR_BROKEN_PIPE) return 0;
    return e;
  }
  *n = done;
  return 0;
}

/* syscall.Write: (done, nil) or (0, err). */
static int sys_write(HANDLE h, const void *buf, size_t len, size_t *n) {
  DWORD done = 0;
  *n = 0;
  if (!WriteFile(h, buf, (DWORD)len, &done, NULL)) return last_err();
  *n = done;
  return 0;
}

/* syscall.Seek: whence 0/1/2; anything else leaves Go's method variable at
 * its zero value, FILE_BEGIN. */
static int sys_seek(HANDLE h, int64_t offset, int whence, int64_t *pos) {
  DWORD method = FILE_BEGIN;
  if (whence == 1) method = FILE_CURRENT;
  if (whence == 2) method = FILE_END;
  LARGE_INTEGER dist, out;
  dist.QuadPart = offset;
  out.QuadPart = 0;
  BOOL ok = SetFilePointerEx(h, dist, &out, method);
  *pos = out.QuadPart;
  return ok ? 0 : last_err();
}

/* ---- lifecycle ------------------------------------------------------------------ */

int core_fd_new(HANDLE sysfd, bool is_stream, bool zero_read_is_eof, core_fd_t **out) {
  *out = NULL;
  core_fd_t *fd = calloc(1, sizeof *fd);
  if (fd == NULL) return ERROR_NOT_ENOUGH_MEMORY;
  int err = core_fd_mutex_init(&fd->fdmu);
  if (err != 0) {
    free(fd);
    return err;
  }
  /* A counting semaphore: destroy may release it before Close waits. */
  fd->csema = CreateSemaphoreA(NULL, 0, MAXLONG, NULL);
  if (fd->csema == NULL) {
    err = last_err();
    core_fd_mutex_destroy(&fd->fdmu);
    free(fd);
    return err;
  }
  fd->sysfd = sysfd;
  InitializeSRWLock(&fd->l);
  fd->is_stream = is_stream;
  fd->zero_read_is_eof = zero_read_is_eof;
  fd->kind = CORE_KIND_NET; /* Go's zero value, until Init */
  *out = fd;
  return 0;
}

/* The memory goes when the last thread still inside a method leaves
 * (fd_lock.c), which may be now. */
void core_fd_free(core_fd_t *fd) {
  if (fd == NULL) return;
  core_fd_mark_freed(fd);
}

void core_fd_release(core_fd_t *fd) {
  core_console_free(&fd->console);
  core_fd_mutex_destroy(&fd->fdmu);
  CloseHandle(fd->csema);
  free(fd->rop.rsa);
  free(fd->wop.rsa);
  free(fd->rop.bufs);
  free(fd->wop.bufs);
  free(fd);
}

void core_fd_discard(core_fd_t *fd) {
  if (fd == NULL) return;
  core_console_free(&fd->console);
  free(fd->rop.rsa);
  free(fd->wop.rsa);
  free(fd->rop.bufs);
  free(fd->wop.bufs);
  free(fd);
}

HANDLE core_fd_sysfd(const core_fd_t *fd) {
  return fd->sysfd;
}

static bool net_in(const char *net, const char *const *list) {
  for (; *list; list++) {
    if (strcmp(net, *list) == 0) return true;
  }
  return false;
}

static const char *const nets_socket[] = {"tcp",      "tcp4",       "tcp6", "udp", "udp4",
                                          "udp6",     "ip",         "ip4",  "ip6", "unix",
                                          "unixgram", "unixpacket", NULL};
/* Only these skip completion packets on synchronous success (B31;
 * golang/go#40243 widened it from "tcp" alone). */
static const char *const nets_skip[] = {"tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", NULL};
static const char *const nets_udp[] = {"udp", "udp4", "udp6", NULL};
static const char *const nets_file[] = {"file", "dir", "console", "pipe", NULL};

/* The static copy of net kept in fd->net (net is known to be valid). */
static const char *net_static_name(const char *net) {
  const char *const *lists[] = {nets_socket, nets_file};
  for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
    for (const char *const *p = lists[i]; *p; p++) {
      if (strcmp(net, *p) == 0) return *p;
    }
  }
  return NULL;
}

int core_fd_init(core_fd_t *fd, const char *net, bool pollable, const char **errcall) {
  const char *dummy;
  if (errcall == NULL) errcall = &dummy;
  *errcall = "";
  int err = core_package_init();
  if (err != 0) return err; /* B1 */

  core_file_kind_t kind;
  if (strcmp(net, "file") == 0 || strcmp(net, "dir") == 0) {
    kind = CORE_KIND_FILE;
  } else if (strcmp(net, "console") == 0) {
    kind = CORE_KIND_CONSOLE;
  } else if (strcmp(net, "pipe") == 0) {
    kind = CORE_KIND_PIPE;
  } else if (net_in(net, nets_socket)) {
    kind = CORE_KIND_NET;
  } else {
    return CORE_EUNKNOWNNET; /* B26 */
  }
  fd->kind = kind;
  fd->net = net_static_name(net);
  fd->is_file = kind != CORE_KIND_NET; /* B27 */

  err = 0;
  /* Only sockets join the poller: os files stay out of the completion port
   * so a program's own overlapped I/O on them is never taken for Go's
   * (golang/go#21172).  An FD that is not pollable fails every socket
   * operation in exec_io (B10) and every deadline (ErrNoDeadline). */
  if (pollable) err = core_pd_init(&fd->pd, fd->sysfd);           /* B28 */
  if (core_hook_log_init_fd) core_hook_log_init_fd(net, fd, err); /* B29 */
  if (err != 0) return err;                                       /* B30 */

  AcquireSRWLockShared(&pkg_lock);
  bool use_sfcnm = pkg_use_sfcnm;
  sfcnm_fn sfcnm = pkg_sfcnm;
  ReleaseSRWLockShared(&pkg_lock);
  if (pollable && use_sfcnm) {                   /* B31; the pollable guard is golang/go#22149 */
    UCHAR flags = FILE_SKIP_SET_EVENT_ON_HANDLE; /* nobody waits on the handle */
#if defined(IOCPSIM_GO_BUG_A)
    /* Go bug a (golang/go#40243, docs/findings.md): only "tcp" skipped the
     * completion packet; tcp4/tcp6 and udp* paid for a packet per call. */
    if (strcmp(net, nets_skip[0]) == 0) flags |= FILE_SKIP_COMPLETION_PORT_ON_SUCCESS; /* "tcp" */
#else
    if (net_in(net, nets_skip)) flags |= FILE_SKIP_COMPLETION_PORT_ON_SUCCESS;
#endif
    /* Its failure only costs the optimisation. */
    if (sfcnm(fd->sysfd, flags) && (flags & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS)) {
      fd->skip_sync_notif = true;
    }
  }

  /* An ICMP port-unreachable for an earlier datagram must not fail later
   * receives with WSAECONNRESET (KB263823, golang/go#5834).  B32. */
  if (net_in(net, nets_udp)) {
    DWORD ret = 0;
    DWORD flag = 0;
    if (WSAIoctl((SOCKET)fd->sysfd, SIO_UDP_CONNRESET, &flag, (DWORD)sizeof flag, NULL, 0, &ret,
                 NULL, NULL) == SOCKET_ERROR) {
      *errcall = "wsaioctl";
      return wsa_err();
    }
  }
  /* B33 */
  fd->rop.mode = 'r';
  fd->wop.mode = 'w';
  fd->rop.fd = fd;
  fd->wop.fd = fd;
  fd->rop.runtime_ctx = fd->pd.runtime_ctx;
  fd->wop.runtime_ctx = fd->pd.runtime_ctx;
  return 0;
}

/* Runs once, from whichever of Close or an Unlock/decref drops the last
 * reference of a closed FD (B34, B35). */
int core_fd_destroy(core_fd_t *fd) {
  if (fd->sysfd == INVALID_HANDLE_VALUE) return CORE_EINVAL;
  /* The poller may still hold the pollDesc: release it before the handle
   * goes away. */
  core_pd_close(&fd->pd);
  int err = 0;
  if (fd->kind == CORE_KIND_NET) {
    if (core_hook_close((SOCKET)fd->sysfd) == SOCKET_ERROR) err = wsa_err();
  } else if (!CloseHandle(fd->sysfd)) {
    err = last_err();
  }
  fd->sysfd = INVALID_HANDLE_VALUE;
  ReleaseSemaphore(fd->csema, 1, NULL);
  return err;
}

int core_fd_close(core_fd_t *fd) {
  core_fd_enter(fd); /* Close is a user of the memory until it returns */
  if (!core_fd_mutex_incref_and_close(&fd->fdmu)) {
    int err = core_err_closing(fd->is_file); /* B36 */
    core_fd_leave(fd);
    return err;
  }
  /* A thread blocked in a synchronous ReadFile/WriteFile on a pipe would
   * keep its reference forever; cancel every I/O on the handle, whoever
   * issued it (golang/go#28477, B37).  The reader then sees
   * ERROR_OPERATION_ABORTED and reports ErrFileClosing (B46). */
  if (fd->kind == CORE_KIND_PIPE) (void)CancelIoEx(fd->sysfd, NULL);
  core_pd_evict(&fd->pd); /* B38: wake pending socket I/O */
  int err = 0;
  if (core_fd_mutex_decref(&fd->fdmu)) err = core_fd_destroy(fd); /* B39 */
  /* Return only once the handle is closed, by us or by the last user (B40). */
  WaitForSingleObject(fd->csema, INFINITE);
  core_fd_leave(fd);
  return err;
}

/* ---- Read (B41-B49) ---------------------------------------------------------- */

int core_fd_read(core_fd_t *fd, void *buf, size_t len, size_t *n) {
  *n = 0;
  int err = core_fd_read_lock(fd);
  if (err != 0) return err;         /* B41 */
  len = min_size(len, core_max_rw); /* B42 */
  size_t got = 0;
  if (fd->is_file) {
    AcquireSRWLockExclusive(&fd->l); /* B43 */
    if (fd->kind == CORE_KIND_CONSOLE) {
      err = core_console_read(&fd->console, fd->sysfd, buf, len, &got); /* B44 */
    } else {
      err = sys_read(fd->sysfd, buf, len, &got); /* B45 */
      /* Close cancels pipe I/O; an abort on a pipe is taken to be Close. */
      if (fd->kind == CORE_KIND_PIPE && err == ERROR_OPERATION_ABORTED) err = CORE_EFILECLOSING;
    }
    if (err != 0) got = 0; /* B47 */
    if (len != 0) err = core_eof_error(fd, got, err);
    ReleaseSRWLockExclusive(&fd->l);
  } else {
    core_operation_t *o = &fd->rop;
    core_op_init_buf(o, buf, len);
    err = exec_io(o, submit_wsarecv, NULL, &got); /* B48 */
    /* A zero-length read is a readiness probe and never EOF (B49). */
    if (len != 0) err = core_eof_error(fd, got, err);
  }
  core_fd_read_unlock(fd);
  *n = got;
  return err;
}

/* ---- Pread (B57-B63) --------------------------------------------------------- */

int core_fd_pread(core_fd_t *fd, void *buf, size_t len, int64_t off, size_t *n) {
  *n = 0;
  /* Checked before the reference: even a closed pipe says ESPIPE (B57). */
  if (fd->kind == CORE_KIND_PIPE) return CORE_ESPIPE;
  int err = core_fd_incref(fd);
  if (err != 0) return err; /* B58 */
  len = min_size(len, core_max_rw);
  AcquireSRWLockExclusive(&fd->l);
  int64_t cur;
  err = sys_seek(fd->sysfd, 0, CORE_SEEK_CUR, &cur);
  if (err == 0) { /* B59 */
    /* A positional read on a synchronous handle moves the file pointer;
     * it is put back below (B60, B63). */
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.Offset = (DWORD)off;
    ov.OffsetHigh = (DWORD)((uint64_t)off >> 32);
    DWORD done = 0;
    if (!ReadFile(fd->sysfd, len ? buf : NULL, (DWORD)len, &done, &ov)) {
      err = last_err();
      done = 0;
      if (err == ERROR_HANDLE_EOF) err = CORE_EOF; /* B61 */
    }
    if (len != 0) err = core_eof_error(fd, done, err); /* B62 */
    *n = done;
    int64_t ignored;
    (void)sys_seek(fd->sysfd, cur, CORE_SEEK_SET, &ignored);
  }
  ReleaseSRWLockExclusive(&fd->l);
  (void)core_fd_decref(fd);
  return err;
}

/* ---- ReadFrom (B64-B68) ---------------------------------------------------------- */

/* The common part of the three ReadFrom variants: the caller has checked
 * len != 0.  Returns the error after eofError; on success *rsa is the
 * sender, copied while the read lock is held (as Go converts o.rsa before
 * its deferred readUnlock): after the unlock another reader may overwrite
 * o.rsa, and the FD itself may be gone. */
static int read_from(core_fd_t *fd, void *buf, size_t len, size_t *n,
                     core_raw_sockaddr_any_t *rsa) {
  *n = 0;
  len = min_size(len, core_max_rw);
  int err = core_fd_read_lock(fd);
  if (err != 0) return err;
  core_operation_t *o = &fd->rop;
  core_op_init_buf(o, buf, len);
  err = exec_io(o, submit_wsarecvfrom, NULL, n); /* B65 */
  err = core_eof_error(fd, *n, err);             /* B66 */
  if (err == 0) *rsa = *o->rsa;
  core_fd_read_unlock(fd);
  return err;
}

int core_fd_read_from(core_fd_t *fd, void *buf, size_t len, size_t *n, core_sockaddr_t *from) {
  memset(from, 0, sizeof *from);
  *n = 0;
  /* Before the lock: even a closed FD answers (0, nil, nil) here (B64). */
  if (len == 0) return 0;
  core_raw_sockaddr_any_t rsa;
  int err = read_from(fd, buf, len, n, &rsa);
  if (err != 0) return err; /* B67: the count stays */
  /* Go ignores the conversion error: an unknown family is a nil address. */
  (void)core_raw_to_sockaddr(&rsa, from); /* B68 */
  return 0;
}

int core_fd_read_from_inet4(core_fd_t *fd, void *buf, size_t len, size_t *n,
                            core_sockaddr_inet4_t *from) {
  *n = 0;
  if (len == 0) return 0;
  core_raw_sockaddr_any_t rsa;
  int err = read_from(fd, buf, len, n, &rsa);
  if (err != 0) return err;
  core_raw_to_sockaddr_inet4(&rsa, from);
  return 0;
}

int core_fd_read_from_inet6(core_fd_t *fd, void *buf, size_t len, size_t *n,
                            core_sockaddr_inet6_t *from) {
  *n = 0;
  if (len == 0) return 0;
  core_raw_sockaddr_any_t rsa;
  int err = read_from(fd, buf, len, n, &rsa);
  if (err != 0) return err;
  core_raw_to_sockaddr_inet6(&rsa, from);
  return 0;
}

/* ---- Write (B69-B73) ------------------------------------------------------------ */

int core_fd_write(core_fd_t *fd, const void *buf, size_t len, size_t *n) {
  *n = 0;
  int err = core_fd_write_lock(fd);
  if (err != 0) return err;                         /* B69 */
  if (fd->is_file) AcquireSRWLockExclusive(&fd->l); /* B70 */
  const uint8_t *p = buf;
  size_t ntotal = 0;
  /* A zero-length Write never enters the loop: no syscall at all (B71). */
  while (len > 0) {
    size_t chunk = min_size(len, core_max_rw);
    size_t done = 0;
    if (fd->is_file) {
      if (fd->kind == CORE_KIND_CONSOLE) {
        err = core_console_write(&fd->console, fd->sysfd, p, chunk, &done);
      } else {
        err = sys_write(fd->sysfd, p, chunk, &done);
        if (fd->kind == CORE_KIND_PIPE && err == ERROR_OPERATION_ABORTED) err = CORE_EFILECLOSING;
      }
      if (err != 0) done = 0;
    } else {
      core_operation_t *o = &fd->wop;
      core_op_init_buf(o, (void *)p, chunk);
      err = exec_io(o, submit_wsasend, NULL, &done);
    }
    ntotal += done;
    if (err != 0) break; /* B73: the pieces written so far count */
    /* Kept from the seed: a piece that moved 0 bytes without an error is
     * simply tried again, forever if it keeps doing so. */
    p += done;
    len -= done;
  }
  if (fd->is_file) ReleaseSRWLockExclusive(&fd->l);
  core_fd_write_unlock(fd);
  *n = ntotal;
  return err;
}

/* ---- Pwrite (B79-B81) -------------------------------------------------------------- */

int core_fd_pwrite(core_fd_t *fd, const void *buf, size_t len, int64_t off, size_t *n) {
  *n = 0;
  if (fd->kind == CORE_KIND_PIPE) return CORE_ESPIPE; /* B79 */
  int err = core_fd_incref(fd);
  if (err != 0) return err;
  AcquireSRWLockExclusive(&fd->l);
  int64_t cur;
  err = sys_seek(fd->sysfd, 0, CORE_SEEK_CUR, &cur); /* B80 */
  if (err == 0) {
    const uint8_t *p = buf;
    size_t ntotal = 0;
    while (len > 0) { /* B81; a 0-byte success loops forever, as in the seed */
      size_t chunk = min_size(len, core_max_rw);
      OVERLAPPED ov;
      memset(&ov, 0, sizeof ov);
      ov.Offset = (DWORD)off;
      ov.OffsetHigh = (DWORD)((uint64_t)off >> 32);
      DWORD done = 0;
      BOOL ok = WriteFile(fd->sysfd, p, (DWORD)chunk, &done, &ov);
      ntotal += done;
      if (!ok) {
        err = last_err();
        break;
      }
      p += done;
      len -= done;
      off += (int64_t)done;
    }
    *n = ntotal;
    int64_t ignored;
    (void)sys_seek(fd->sysfd, cur, CORE_SEEK_SET, &ignored);
  }
  ReleaseSRWLockExclusive(&fd->l);
  (void)core_fd_decref(fd);
  return err;
}

/* ---- Writev (B82, B83) ------------------------------------------------------------- */

int core_fd_writev(core_fd_t *fd, core_iovec_t **bufs, size_t *nbufs, int64_t *n) {
  *n = 0;
  if (*nbufs == 0) return 0; /* B82 */
  int err = core_fd_write_lock(fd);
  if (err != 0) return err;
  core_operation_t *o = &fd->wop;
  core_op_init_bufs(o, *bufs, *nbufs);
  size_t done = 0;
  err = exec_io(o, submit_wsasend_bufs, NULL, &done); /* one WSASend, no loop */
  core_op_clear_bufs(o);
  if (core_hook_did_writev) core_hook_did_writev((int64_t)done);
  core_consume(bufs, nbufs, (int64_t)done);
  core_fd_write_unlock(fd);
  *n = (int64_t)done;
  return err;
}

/* ---- WriteTo (B84-B87) --------------------------------------------------------------- */

/* The loop shared by the three variants; sa is passed to the submission as
 * is (NULL: no address). */
static int write_to(core_fd_t *fd, const void *buf, size_t len, const core_sockaddr_t *sa,
                    size_t *n) {
  *n = 0;
  int err = core_fd_write_lock(fd);
  if (err != 0) return err; /* B84 */
  core_operation_t *o = &fd->wop;
#if defined(IOCPSIM_GO_BUG_E)
  /* Go bug e (golang/go#26668, docs/findings.md): the chunk loop below never
   * runs for an empty buffer, so no empty datagram is sent: (0, nil). */
  if (len == 0) {
    core_fd_write_unlock(fd);
    return 0;
  }
#endif
  if (len == 0) {
    /* One empty datagram really goes out (golang/go#26668, B85). */
    core_op_init_buf(o, NULL, 0);
    err = exec_io(o, submit_wsasendto, sa, n);
    core_fd_write_unlock(fd);
    return err;
  }
  const uint8_t *p = buf;
  size_t ntotal = 0;
  while (len > 0) { /* B86 */
    size_t chunk = min_size(len, core_max_rw);
    size_t done = 0;
    core_op_init_buf(o, (void *)p, chunk);
    err = exec_io(o, submit_wsasendto, sa, &done);
    ntotal += done;
    if (err != 0) break;
    p += done;
    len -= done;
  }
  core_fd_write_unlock(fd);
  *n = ntotal;
  return err;
}

int core_fd_write_to(core_fd_t *fd, const void *buf, size_t len, const core_sockaddr_t *to,
                     size_t *n) {
  return write_to(fd, buf, len, to, n); /* B87 */
}

int core_fd_write_to_inet4(core_fd_t *fd, const void *buf, size_t len,
                           const core_sockaddr_inet4_t *to, size_t *n) {
  core_sockaddr_t sa;
  memset(&sa, 0, sizeof sa);
  sa.kind = CORE_SA_INET4;
  sa.u.in4 = *to;
  return write_to(fd, buf, len, &sa, n);
}

int core_fd_write_to_inet6(core_fd_t *fd, const void *buf, size_t len,
                           const core_sockaddr_inet6_t *to, size_t *n) {
  core_sockaddr_t sa;
  memset(&sa, 0, sizeof sa);
  sa.kind = CORE_SA_INET6;
  sa.u.in6 = *to;
  return write_to(fd, buf, len, &sa, n);
}

/* ---- ConnectEx, Accept (B88-B95) ------------------------------------------------------- */

int core_fd_connect_ex(core_fd_t *fd, const core_sockaddr_t *ra) {
  /* Go would dereference a nil Sockaddr; here it is an invalid argument. */
  if (ra == NULL || ra->kind == CORE_SA_NONE) return CORE_EINVAL;
  size_t n;
  /* No fdMutex here (as in Go), but a user of the memory all the same: a
   * Close during the connect wakes it, and the FD may be freed after that. */
  core_fd_enter(fd);
  int err = exec_io(&fd->wop, submit_connectex, ra, &n); /* B88 */
  core_fd_leave(fd);
  return err;
}

/* acceptOne: one AcceptEx into s, then inherit the listener's properties
 * (SO_UPDATE_ACCEPT_CONTEXT).  On error s has been closed. */
static int accept_one(core_fd_t *fd, SOCKET s, core_raw_sockaddr_any_t *rawsa,
                      const char **errcall) {
  core_operation_t *o = &fd->rop;
  o->handle = s;
  o->rsan = CORE_RAW_SOCKADDR_ANY_SIZE;
  size_t n;
  int err = exec_io(o, submit_acceptex, rawsa, &n); /* B91 */
  if (err != 0) {
    (void)core_hook_close(s);
    *errcall = "acceptex";
    return err;
  }
  if (setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (const char *)&fd->sysfd,
                 (int)sizeof fd->sysfd) == SOCKET_ERROR) { /* B92 */
    err = wsa_err();
    (void)core_hook_close(s);
    *errcall = "setsockopt";
    return err;
  }
  return 0;
}

int core_fd_accept(core_fd_t *fd, core_sys_socket_fn sys_socket, void *ctx, SOCKET *s,
                   core_raw_sockaddr_any_t rawsa[2], uint32_t *rsan, const char **errcall) {
  const char *dummy;
  if (errcall == NULL) errcall = &dummy;
  *errcall = "";
  *s = INVALID_SOCKET;
  *rsan = 0;
  int err = core_fd_read_lock(fd);
  if (err != 0) return err; /* B89 */
  for (;;) {
    SOCKET ns = INVALID_SOCKET;
    err = sys_socket(ctx, &ns);
    if (err != 0) break; /* B90 */
    err = accept_one(fd, ns, rawsa, errcall);
    if (err == 0) { /* B93 */
      *s = ns;
      *rsan = (uint32_t)fd->rop.rsan;
      break;
    }
    /* The reset belongs to the new connection, not to the listener: try
     * again with a fresh socket, without limit (B94). */
#if !defined(IOCPSIM_GO_BUG_B)
    if (err == ERROR_NETNAME_DELETED || err == WSAECONNRESET) {
      *errcall = "";
      continue;
    }
#else
    /* Go bug b (docs/findings.md): no retry; the reset of a connection that
     * died in the backlog is returned as the listener's Accept error. */
#endif
    break; /* B95 */
  }
  core_fd_read_unlock(fd);
  return err;
}

/* ---- Seek, Fchmod, Fchdir, GetFileType, GetFileInformationByHandle (B96-B98) ----------------- */

int core_fd_seek(core_fd_t *fd, int64_t offset, int whence, int64_t *pos) {
  *pos = 0;
  if (fd->kind == CORE_KIND_PIPE) return CORE_ESPIPE; /* B96 */
  int err = core_fd_incref(fd);
  if (err != 0) return err;
  AcquireSRWLockExclusive(&fd->l);
  err = sys_seek(fd->sysfd, offset, whence, pos);
  ReleaseSRWLockExclusive(&fd->l);
  (void)core_fd_decref(fd);
  return err;
}

int core_fd_fchmod(core_fd_t *fd, uint32_t mode) {
  int err = core_fd_incref(fd);
  if (err != 0) return err;
  BY_HANDLE_FILE_INFORMATION d;
  if (!GetFileInformationByHandle(fd->sysfd, &d)) {
    err = last_err();
  } else {
    DWORD attrs = d.dwFileAttributes;
    if (mode & CORE_S_IWRITE) {
      attrs &= ~(DWORD)FILE_ATTRIBUTE_READONLY;
    } else {
      attrs |= FILE_ATTRIBUTE_READONLY;
    }
    if (attrs != d.dwFileAttributes) { /* B97: no write when nothing changes */
      /* Zero times mean "leave unchanged". */
      FILE_BASIC_INFO du;
      memset(&du, 0, sizeof du);
      du.FileAttributes = attrs;
      if (!SetFileInformationByHandle(fd->sysfd, FileBasicInfo, &du, (DWORD)sizeof du)) {
        err = last_err();
      }
    }
  }
  (void)core_fd_decref(fd);
  return err;
}

int core_fd_fchdir(core_fd_t *fd) {
  int err = core_fd_incref(fd);
  if (err != 0) return err;
  (void)core_fd_decref(fd);
  return CORE_EWINDOWS; /* Go 1.22 syscall.Fchdir on Windows */
}

int core_fd_get_file_type(core_fd_t *fd, DWORD *type) {
  *type = 0;
  int err = core_fd_incref(fd);
  if (err != 0) return err;
  DWORD t = GetFileType(fd->sysfd);
  if (t == FILE_TYPE_UNKNOWN) err = last_err();
  *type = t;
  (void)core_fd_decref(fd);
  return err;
}

int core_fd_get_file_information_by_handle(core_fd_t *fd, BY_HANDLE_FILE_INFORMATION *data) {
  int err = core_fd_incref(fd);
  if (err != 0) return err;
  if (!GetFileInformationByHandle(fd->sysfd, data)) err = last_err();
  (void)core_fd_decref(fd);
  return err;
}

int core_fd_fsync(core_fd_t *fd) {
  int err = core_fd_incref(fd);
  if (err != 0) return err;
  if (!FlushFileBuffers(fd->sysfd)) err = last_err();
  (void)core_fd_decref(fd);
  return err;
}

/* ---- RawRead, RawWrite (B99-B101) ---------------------------------------------------------- */

int core_fd_raw_read(core_fd_t *fd, core_raw_fn f, void *ctx) {
  int err = core_fd_read_lock(fd);
  if (err != 0) return err;
  for (;;) {
    if (f(ctx, (uintptr_t)fd->sysfd)) break; /* B99 */
    /* A zero-byte receive completes when the socket becomes readable
     * (golang/go#15735).  On a datagram socket it must not consume the
     * datagram, hence MSG_PEEK, which then stays in rop.flags for later
     * reads on this FD (seed quirk, B25/B100). */
    core_operation_t *o = &fd->rop;
    core_op_init_buf(o, NULL, 0);
    if (!fd->is_stream) o->flags |= MSG_PEEK;
    size_t n;
    err = exec_io(o, submit_wsarecv, NULL, &n);
    /* A zero-byte peek at a non-empty datagram reports truncation. */
    if (err == WSAEMSGSIZE) err = 0;
    if (err != 0) break;
  }
  core_fd_read_unlock(fd);
  return err;
}

int core_fd_raw_write(core_fd_t *fd, core_raw_fn f, void *ctx) {
  int err = core_fd_write_lock(fd);
  if (err != 0) return err;
  /* There is no way to wait for writability (B101). */
  if (!f(ctx, (uintptr_t)fd->sysfd)) err = CORE_EWINDOWS;
  core_fd_write_unlock(fd);
  return err;
}

/* ---- Setsockopt, WSAIoctl (B111) ------------------------------------------------------------ */

int core_fd_setsockopt(core_fd_t *fd, int level, int optname, const void *optval, int optlen) {
  int err = core_fd_incref(fd);
  if (err != 0) return err;
  if (setsockopt((SOCKET)fd->sysfd, level, optname, optval, optlen) == SOCKET_ERROR) {
    err = wsa_err();
  }
  (void)core_fd_decref(fd);
  return err;
}

int core_fd_wsaioctl(core_fd_t *fd, DWORD code, void *inbuf, DWORD inlen, void *outbuf,
                     DWORD outlen, DWORD *returned, LPWSAOVERLAPPED ov,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine) {
  int err = core_fd_incref(fd);
  if (err != 0) return err;
  if (WSAIoctl((SOCKET)fd->sysfd, code, inbuf, inlen, outbuf, outlen, returned, ov, routine) ==
      SOCKET_ERROR) {
    err = wsa_err();
  }
  (void)core_fd_decref(fd);
  return err;
}

/* ---- ReadMsg (B104, B105) ------------------------------------------------------------------ */

/* The part shared by the three variants.  Returns the error after eofError;
 * fills the counts whatever happened. */
static int read_msg(core_fd_t *fd, void *p, size_t plen, void *oob, size_t ooblen, int flags,
                    size_t *n, size_t *oobn, int *flags_out, core_raw_sockaddr_any_t *rsa) {
  *n = 0;
  *oobn = 0;
  *flags_out = 0;
  int err = core_fd_read_lock(fd);
  if (err != 0) return err;
  plen = min_size(plen, core_max_rw); /* no zero-length shortcut here */
  core_operation_t *o = &fd->rop;
  core_op_init_msg(o, p, plen, oob, ooblen);
  o->msg.name = (LPSOCKADDR)op_rsa(o);
  o->msg.namelen = CORE_RAW_SOCKADDR_ANY_SIZE;
  o->msg.dwFlags = (ULONG)flags;
  err = exec_io(o, submit_wsarecvmsg, NULL, n);
  err = core_eof_error(fd, *n, err);
  *oobn = o->msg.Control.len;
  *flags_out = (int)o->msg.dwFlags;
  if (err == 0) *rsa = *o->rsa; /* under the lock, as in read_from */
  core_fd_read_unlock(fd);
  return err;
}

int core_fd_read_msg(core_fd_t *fd, void *p, size_t plen, void *oob, size_t ooblen, int flags,
                     size_t *n, size_t *oobn, int *flags_out, core_sockaddr_t *from) {
  memset(from, 0, sizeof *from);
  core_raw_sockaddr_any_t rsa;
  int err = read_msg(fd, p, plen, oob, ooblen, flags, n, oobn, flags_out, &rsa);
  /* Here, unlike ReadFrom, a conversion failure is the result. */
  if (err == 0) err = core_raw_to_sockaddr(&rsa, from);
  return err;
}

int core_fd_read_msg_inet4(core_fd_t *fd, void *p, size_t plen, void *oob, size_t ooblen, int flags,
                           size_t *n, size_t *oobn, int *flags_out, core_sockaddr_inet4_t *from) {
  core_raw_sockaddr_any_t rsa;
  int err = read_msg(fd, p, plen, oob, ooblen, flags, n, oobn, flags_out, &rsa);
  if (err == 0) core_raw_to_sockaddr_inet4(&rsa, from);
  return err;
}

int core_fd_read_msg_inet6(core_fd_t *fd, void *p, size_t plen, void *oob, size_t ooblen, int flags,
                           size_t *n, size_t *oobn, int *flags_out, core_sockaddr_inet6_t *from) {
  core_raw_sockaddr_any_t rsa;
  int err = read_msg(fd, p, plen, oob, ooblen, flags, n, oobn, flags_out, &rsa);
  if (err == 0) core_raw_to_sockaddr_inet6(&rsa, from);
  return err;
}

/* ---- WriteMsg (B106, B107) ----------------------------------------------------------------- */

/* sa: the Go Sockaddr (NULL or CORE_SA_NONE: unnamed). */
static int write_msg(core_fd_t *fd, const void *p, size_t plen, const void *oob, size_t ooblen,
                     const core_sockaddr_t *sa, size_t *n, size_t *oobn) {
  *n = 0;
  *oobn = 0;
  /* Refused before locking (B106). */
  if (plen > core_max_rw) return CORE_ETOOLARGE;
  int err = core_fd_write_lock(fd);
  if (err != 0) return err;
  core_operation_t *o = &fd->wop;
  core_op_init_msg(o, (void *)p, plen, (void *)oob, ooblen);
  if (sa != NULL && sa->kind != CORE_SA_NONE) {
    int32_t len = 0;
    err = core_sockaddr_to_raw(op_rsa(o), sa, &len); /* B103 */
    if (err != 0) {
      core_fd_write_unlock(fd);
      return err;
    }
    o->msg.name = (LPSOCKADDR)o->rsa;
    o->msg.namelen = len;
  }
  err = exec_io(o, submit_wsasendmsg, NULL, n); /* B107 */
  *oobn = o->msg.Control.len;
  core_fd_write_unlock(fd);
  return err;
}

int core_fd_write_msg(core_fd_t *fd, const void *p, size_t plen, const void *oob, size_t ooblen,
                      const core_sockaddr_t *to, size_t *n, size_t *oobn) {
  return write_msg(fd, p, plen, oob, ooblen, to, n, oobn);
}

int core_fd_write_msg_inet4(core_fd_t *fd, const void *p, size_t plen, const void *oob,
                            size_t ooblen, const core_sockaddr_inet4_t *to, size_t *n,
                            size_t *oobn) {
  core_sockaddr_t sa;
  memset(&sa, 0, sizeof sa);
  sa.kind = CORE_SA_INET4;
  sa.u.in4 = *to;
  return write_msg(fd, p, plen, oob, ooblen, &sa, n, oobn);
}

int core_fd_write_msg_inet6(core_fd_t *fd, const void *p, size_t plen, const void *oob,
                            size_t ooblen, const core_sockaddr_inet6_t *to, size_t *n,
                            size_t *oobn) {
  core_sockaddr_t sa;
  memset(&sa, 0, sizeof sa);
  sa.kind = CORE_SA_INET6;
  sa.u.in6 = *to;
  return write_msg(fd, p, plen, oob, ooblen, &sa, n, oobn);
}
