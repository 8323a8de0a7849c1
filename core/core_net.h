/* core_net.h: the thin layer of Go's net and os packages around poll.FD on
 * Windows (Go 1.22 line: net/fd_windows.go, sock_windows.go,
 * sock_posix.go, ipsock_posix.go, tcpsock_posix.go, udpsock_posix.go,
 * sockopt_windows.go, dial.go; os/file_windows.go and syscall.Open),
 * ported so that a C test or a scenario creates its FDs the way a Go
 * program would: the same Win32 calls in the same order, the same kinds
 * passed to Init, the same flags on the FD.  docs/core-net.md lists each
 * function's Go counterpart and its exact call sequence.
 *
 * The API has the shape of net.ListenTCP / DialTCP / ListenUDP / DialUDP:
 * addresses come in already parsed (core_net_parse_addr takes numeric
 * addresses only, "localhost" and service names are not resolved), so the
 * resolver's filtering by network ("tcp4" refusing "[::1]:80" with "no
 * suitable address") does not happen; a mismatch is decided by Go's
 * ipToSockaddr instead (below).
 *
 * Conventions, for every function that returns int: 0, a positive Win32 or
 * Winsock code exactly as the call reported it, or a negative CORE_* error
 * (core_errors.h).  An FD handed out through *out is the caller's: close it
 * with core_fd_close, then core_fd_free it.  On error *out (every out FD)
 * is NULL and everything the function created has been closed and freed.
 *
 * Error mapping.  Go wraps errors in *net.OpError, *os.SyscallError and
 * *os.PathError; none of the wrappers exists here, the code inside them is
 * returned as is (the name of the failing call is lost: "connectex",
 * "bind", "setsockopt" ... are all the bare code).  The values that have a
 * C analogue:
 *   - net.ErrClosed (= poll.ErrNetClosing): CORE_ENETCLOSING, e.g.
 *     core_net_accept on a closed listener, local/remote address, close
 *     read/write on a closed socket.
 *   - os.ErrClosed: os rewrites poll.ErrFileClosing to it; there is no
 *     separate value, CORE_EFILECLOSING stands for it.
 *   - os.ErrDeadlineExceeded / a dial whose context is done (mapErr of
 *     context.DeadlineExceeded): CORE_EDEADLINE.
 *   - os.ErrInvalid (a nil *File, e.g. os.Stdin when GetStdHandle failed):
 *     CORE_EINVAL.
 *   - syscall.ENOENT for os.OpenFile(""): ERROR_FILE_NOT_FOUND (Go's
 *     errors.Is treats the two alike).
 *   - net.UnknownNetworkError: CORE_EUNKNOWNNET; errMissingAddress and a
 *     malformed address (net.AddrError / ParseError): CORE_EINVAL;
 *     AddrError "non-IPv4 address": CORE_EAFNOSUPPORT.
 *   - io.EOF: CORE_EOF, from the core's reads.
 * Go's os.File methods check for a nil *File first and net.Conn methods for
 * a nil fd (syscall.EINVAL); C callers pass valid FDs.
 *
 * Deviations from Go, all forced by C or by the simulator:
 *   - Go caches its IPv4/IPv6 stack probe (ipStackCapabilities) once per
 *     process; here the probe runs on every wildcard listen of "tcp"/"udp",
 *     because process-wide state would leak from one simulated world into
 *     the next.  The outcome is the same, the probe's calls repeat.
 *   - GetAcceptExSockaddrs is taken through WSAIoctl(SIO_GET_EXTENSION_
 *     FUNCTION_POINTER) on the accepted socket, not imported from mswsock
 *     as Go does: Wine 8.0's mswsock export is a stub.
 *   - Where Go leaks a socket on an error path (accept when the new FD's
 *     Init fails), it is closed here; see core_net_accept.
 *   - Go's SupportTCPInitialRTONoSYNRetransmissions() reads the Windows
 *     build; here the build is taken to be >= 16299 (Go 1.21+ needs
 *     Windows 10 anyway). */
#ifndef IOCPSIM_CORE_NET_H
#define IOCPSIM_CORE_NET_H

#include "core.h"

/* ---- addresses ------------------------------------------------------------
 * core_net_parse_addr: "host:port" with a numeric host: "127.0.0.1:80",
 * "[::1]:0", "[fe80::1%2]:80" (numeric zone only), ":0" (empty host: the
 * IPv4 wildcard 0.0.0.0, which Go treats as "any" like its nil IP), a
 * bracketed IPv4 "[127.0.0.1]:80".  The port is decimal digits, 0..65535;
 * an empty port ("127.0.0.1:") is 0, as Go's parsePort makes it.  IPv4
 * parts take no leading zeros (Go 1.17+).  An IPv4-mapped IPv6 address
 * ("[::ffff:1.2.3.4]:1") stays CORE_SA_INET6, but counts as IPv4 where Go
 * asks IP.To4() (address family choice).  Anything else, host names
 * included, is CORE_EINVAL with *sa set to CORE_SA_NONE. */
int core_net_parse_addr(const char *text, core_sockaddr_t *sa);

/* core_net_format_addr: TCPAddr.String(): "127.0.0.1:80", "[::1]:80",
 * "[fe80::1%2]:80"; IPv6 in RFC 5952 form as Go's IP.String prints it (an
 * IPv4-mapped address prints as IPv4, without brackets); CORE_SA_NONE is
 * "<nil>", CORE_SA_OTHER "<other>".  Always NUL-terminated when len > 0
 * (truncated if buf is short); 64 bytes always suffice. */
void core_net_format_addr(const core_sockaddr_t *sa, char *buf, size_t len);
#define CORE_NET_ADDR_MAX 64

/* ---- TCP -------------------------------------------------------------------
 * core_net_listen: net.ListenTCP(network, laddr) with a backlog.  network
 * "tcp", "tcp4" or "tcp6" (else CORE_EUNKNOWNNET).  laddr NULL: the
 * loopback address of the network's family (127.0.0.1, or ::1 for "tcp6"),
 * port 0.  Sequence: the address family (favoriteAddrFamily: "tcp4" AF_INET,
 * "tcp6" AF_INET6 + IPV6_V6ONLY; "tcp" with a wildcard laddr AF_INET6
 * dual-stack when the stack probe finds IPv4-mapping support, else the
 * address's family), WSASocketW(family, SOCK_STREAM, 0, NULL, 0,
 * WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT), setDefaultSockopts
 * (IPV6_V6ONLY on AF_INET6 sockets, its error ignored), core_fd_new(stream,
 * EOF on zero read), the address conversion (ipToSockaddr: 0.0.0.0 becomes
 * :: on AF_INET6, other IPv4 addresses become IPv4-mapped; an IPv6 address
 * on AF_INET is CORE_EAFNOSUPPORT), bind, listen (backlog <= 0: SOMAXCONN,
 * what Go always passes), core_fd_init(network, pollable), getsockname.
 * Go sets no listener socket option on Windows (setDefaultListenerSockopts
 * is empty: Windows reuses addresses by default and SO_REUSEADDR would let
 * another socket steal the port). */
int core_net_listen(const char *network, const core_sockaddr_t *laddr, int backlog,
                    core_fd_t **out);

/* core_net_dial: net.Dialer{Deadline: deadline}.Dial(network, raddr) for
 * "tcp", "tcp4", "tcp6".  raddr NULL or not an IP address: CORE_EINVAL.
 * deadline is absolute on the core_now() clock, 0 = none.  As Go's
 * dialSerial does before anything else (ctx.Done, then partialDeadline),
 * a deadline at or before now fails with CORE_EDEADLINE and no socket is
 * made.  Otherwise: WSASocketW (as core_net_listen), setDefaultSockopts,
 * core_fd_new, then netFD.connect: core_fd_init(network, pollable), the
 * write deadline set to deadline (only when there is one), bind to the
 * wildcard address of raddr's family (ConnectEx needs a bound socket), for
 * a loopback raddr WSAIoctl(SIO_TCP_INITIAL_RTO, no SYN retransmissions;
 * its error ignored, as Go does: it only makes a refused loopback connect
 * fail at once), core_fd_connect_ex, setsockopt(SO_UPDATE_CONNECT_CONTEXT),
 * the write deadline cleared (also when the connect failed).  A connect
 * that fails once the deadline has passed returns CORE_EDEADLINE (Go
 * returns the context's error), otherwise the connect's error, e.g.
 * WSAECONNREFUSED for a port nobody listens on.  Then getsockname and
 * getpeername; if the socket connected to itself (same address and port,
 * or no local address) it is closed and the dial repeated, at most twice
 * (Go's selfConnect loop).  Last, newTCPConn: TCP_NODELAY on, SO_KEEPALIVE
 * on and SIO_KEEPALIVE_VALS with 15 s (defaultTCPKeepAlive), errors
 * ignored. */
int core_net_dial(const char *network, const core_sockaddr_t *raddr, int64_t deadline,
                  core_fd_t **out);

/* core_net_accept: TCPListener.Accept.  core_fd_accept with Go's sysSocket
 * (WSASocketW of the listener's family - read once with getsockname on the
 * listener, under the accept's read lock - SOCK_STREAM, protocol 0), then
 * core_fd_new(stream) and core_fd_init with the listener's net name
 * (core_fd_kind_name(ln)), then the addresses of AcceptEx's buffer through
 * GetAcceptExSockaddrs, then newTCPConn (as core_net_dial).  raddr may be
 * NULL; otherwise it receives the remote address, CORE_SA_NONE if the
 * buffer held none or an error was returned.  A closed listener gives
 * CORE_ENETCLOSING (net.ErrClosed).
 * Go quirk kept: when the new FD's Init fails, Go closes the *listener*
 * (netFD.accept calls fd.Close(), not netfd.Close()) and returns the error;
 * so does this function (core_fd_close(ln), its result ignored; the caller
 * still owns ln and must free it).  Go leaks the accepted socket there;
 * here it is closed. */
int core_net_accept(core_fd_t *ln, core_fd_t **out, core_sockaddr_t *raddr);

/* ---- UDP -------------------------------------------------------------------
 * core_net_listen_packet: net.ListenUDP(network, laddr) ("udp", "udp4",
 * "udp6"; laddr NULL as for core_net_listen): family as above,
 * WSASocketW(family, SOCK_DGRAM, 0, ...), setDefaultSockopts (IPV6_V6ONLY
 * on AF_INET6, error ignored; SO_BROADCAST on AF_INET, error returned),
 * core_fd_new(datagram: neither is_stream nor zero_read_is_eof), for a
 * multicast laddr SO_REUSEADDR (setDefaultMulticastSockopts), bind,
 * core_fd_init(network, pollable) (which disables SIO_UDP_CONNRESET),
 * getsockname.
 * core_net_dial_udp: net.DialUDP(network, laddr, raddr): raddr required
 * (CORE_EINVAL), laddr optional (bound first when given); then
 * core_fd_init, a plain connect() (ConnectEx is for streams only), then
 * getsockname and getpeername.  No deadline: DialUDP has no context. */
int core_net_listen_packet(const char *network, const core_sockaddr_t *laddr, core_fd_t **out);
int core_net_dial_udp(const char *network, const core_sockaddr_t *laddr,
                      const core_sockaddr_t *raddr, core_fd_t **out);

/* ---- socket state ---------------------------------------------------------
 * getsockname / getpeername of the FD's socket under a reference (Go keeps
 * the addresses it read at creation; these ask the socket now).  A closed
 * FD gives the closing error; a Winsock failure its code (e.g.
 * WSAENOTCONN); *sa is CORE_SA_NONE on error. */
int core_net_local_addr(core_fd_t *fd, core_sockaddr_t *sa);
int core_net_remote_addr(core_fd_t *fd, core_sockaddr_t *sa);

/* TCPConn.CloseWrite / CloseRead: netFD.shutdown -> poll.FD.Shutdown
 * (fd_posix.go), i.e. shutdown(SD_SEND) / shutdown(SD_RECEIVE) under a
 * reference only (no read or write lock: it runs beside pending I/O).
 * The closing error when closed, else shutdown's error or 0. */
int core_net_close_write(core_fd_t *fd);
int core_net_close_read(core_fd_t *fd);

/* ---- os ----------------------------------------------------------------------
 * os.newFile(h, kind): with kind "file" the handle is looked at first:
 * GetConsoleMode succeeding makes it "console", then GetFileType ==
 * FILE_TYPE_PIPE makes it "pipe" (Go 1.22's order: both calls are made).
 * Then core_fd_new(h, is_stream, zero_read_is_eof) and core_fd_init(kind,
 * not pollable), whose error is ignored, as Go ignores it ("problems will
 * show up in later I/O").  Only core_fd_new can fail (memory, semaphore);
 * then core_os_new_file leaves h open (it is still the caller's), while
 * the functions below close what they opened. */

/* os.Pipe: CreatePipe with an inheritable SECURITY_ATTRIBUTES (syscall.Pipe
 * uses makeInheritSa) and size 0, then both ends through os.newFile with
 * kind "pipe".  *r reads, *w writes. */
int core_os_pipe(core_fd_t **r, core_fd_t **w);

/* os.OpenFile(path, flag, perm): path is UTF-8 ("" gives
 * ERROR_FILE_NOT_FOUND; invalid UTF-8 becomes U+FFFD, as Go's UTF-16
 * conversion does).  syscall.Open of Go 1.22 with O_CLOEXEC added (no
 * security attributes, so not inheritable): access GENERIC_READ /
 * GENERIC_WRITE / both, plus GENERIC_WRITE with O_CREAT; O_APPEND replaces
 * GENERIC_WRITE with FILE_APPEND_DATA; share FILE_SHARE_READ |
 * FILE_SHARE_WRITE; disposition CREATE_NEW (O_CREAT|O_EXCL), CREATE_ALWAYS
 * (O_CREAT|O_TRUNC), OPEN_ALWAYS (O_CREAT), TRUNCATE_EXISTING (O_TRUNC),
 * else OPEN_EXISTING; attributes FILE_ATTRIBUTE_NORMAL, or
 * FILE_ATTRIBUTE_READONLY when perm lacks S_IWRITE (0200), in which case
 * CREATE_ALWAYS first tries TRUNCATE_EXISTING with normal attributes so an
 * existing file keeps its permissions (golang/go#38225) and only a missing
 * file (ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_BAD_NETPATH) goes
 * on to be created; OPEN_EXISTING with GENERIC_READ alone adds
 * FILE_FLAG_BACKUP_SEMANTICS (directories).  CreateFileW's error is
 * returned as is.  Then os.newFile(h, "file") (so a named pipe path gives
 * "pipe", CONIN$ "console").  Not ported: fixLongPath (\\?\ prefixing of
 * long paths), O_SYNC, and the directory fallback of OpenFile. */
#define CORE_O_RDONLY 0x0
#define CORE_O_WRONLY 0x1
#define CORE_O_RDWR 0x2
#define CORE_O_APPEND 0x400
#define CORE_O_CREAT 0x40
#define CORE_O_EXCL 0x80
#define CORE_O_TRUNC 0x200
int core_os_open(const char *path, int flags, uint32_t perm, core_fd_t **out);

/* os.NewFile(h): INVALID_HANDLE_VALUE gives CORE_EINVAL (Go returns a nil
 * *File, whose methods fail with os.ErrInvalid); otherwise os.newFile with
 * kind "file", upgraded as described above.  The FD owns h from here on. */
int core_os_new_file(HANDLE h, core_fd_t **out);

/* os.Stdin / Stdout / Stderr (which = 0, 1, 2; else CORE_EINVAL):
 * GetStdHandle(STD_INPUT/OUTPUT/ERROR_HANDLE), then core_os_new_file.  A
 * NULL handle (no console, nothing redirected) is wrapped like any other
 * value, as Go does; INVALID_HANDLE_VALUE is CORE_EINVAL.  Closing the FD
 * closes the process's standard handle, as os.Stdout.Close() does. */
int core_os_std(int which, core_fd_t **out);

/* Not in Go's os, for scenarios: a connected named pipe pair.  name is
 * UTF-8 ("\\\\.\\pipe\\x").  Server: CreateNamedPipeW(name,
 * PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_READMODE_BYTE or
 * PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, PIPE_UNLIMITED_INSTANCES,
 * 65536, 65536, 0, NULL): a synchronous handle, as os uses handles.  Client:
 * CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
 * NULL), switched to PIPE_READMODE_MESSAGE with SetNamedPipeHandleState in
 * message mode.  Then the server's ConnectNamedPipe(NULL), where
 * ERROR_PIPE_CONNECTED (the client came first) is success.  Both handles
 * then go through core_os_new_file (kind "pipe" by GetFileType). */
int core_os_named_pipe(const char *name, bool message_mode, core_fd_t **server, core_fd_t **client);

/* The net string of the FD's last Init that got past kind parsing ("file",
 * "console", "pipe", "tcp", "udp6", ...), as a static string; "" if no
 * Init did (never called, or only with unknown kinds). */
const char *core_fd_kind_name(const core_fd_t *fd);

#endif
