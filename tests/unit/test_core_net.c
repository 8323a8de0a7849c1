/* test_core_net.c: core/core_net.c, the net/os layer around the FD:
 * address parsing and printing, TCP listen/dial/accept with Go's flags and
 * kinds, dial deadlines, a refused dial, UDP listen_packet + dial_udp,
 * os.Pipe, os.OpenFile flags, os.NewFile kind detection, named pipe pairs.
 * Both tiers: the real API under Wine, and fake worlds over many seeds. */
#include "test_fd_util.h"

#include "core_net.h"
#include "core_test.h"

#include <stdio.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------------- */

static core_sockaddr_t addr(const char *text) {
  core_sockaddr_t sa;
  assert_int_equal(core_net_parse_addr(text, &sa), 0);
  return sa;
}

static void assert_addr(const core_sockaddr_t *sa, const char *want) {
  char buf[CORE_NET_ADDR_MAX];
  core_net_format_addr(sa, buf, sizeof buf);
  assert_string_equal(buf, want);
}

static int port_of(const core_sockaddr_t *sa) {
  return sa->kind == CORE_SA_INET4 ? sa->u.in4.port : sa->u.in6.port;
}

/* Writes everything, reads exactly len bytes back on the other FD. */
static void send_recv(core_fd_t *from, core_fd_t *to, const char *msg) {
  size_t len = strlen(msg), n = 0, got = 0;
  char buf[64];
  assert_true(len <= sizeof buf);
  assert_int_equal(core_fd_write(from, msg, len, &n), 0);
  assert_int_equal(n, len);
  while (got < len) {
    assert_int_equal(core_fd_read(to, buf + got, len - got, &n), 0);
    assert_true(n > 0);
    got += n;
  }
  assert_memory_equal(buf, msg, len);
}

/* A name unique to this process and case (ctest runs cases in parallel). */
static void unique_name(char *buf, size_t len, const char *prefix, const char *tag) {
  int w = snprintf(buf, len, "%s%lu-%s", prefix, (unsigned long)GetCurrentProcessId(), tag);
  assert_true(w > 0 && (size_t)w < len);
}

/* A path in the temp directory with nothing there: a file left by an
 * earlier run that failed half-way (Wine reuses process ids) is made
 * writable and deleted. */
static void temp_path(char path[MAX_PATH], const char *tag) {
  char dir[MAX_PATH];
  DWORD n = GetTempPathA(MAX_PATH, dir);
  assert_true(n > 0 && n < MAX_PATH - 40);
  unique_name(path, MAX_PATH, dir, tag);
  HANDLE h = CreateFileA(path, FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                         OPEN_EXISTING, 0, NULL);
  if (h == INVALID_HANDLE_VALUE) return;
  FILE_BASIC_INFO info;
  memset(&info, 0, sizeof info);
  info.FileAttributes = FILE_ATTRIBUTE_NORMAL;
  assert_true(SetFileInformationByHandle(h, FileBasicInfo, &info, (DWORD)sizeof info));
  CloseHandle(h);
  assert_true(DeleteFileA(path));
}

static volatile LONG init_logs;
static void count_init(const char *net, core_fd_t *fd, int err) {
  (void)net;
  (void)fd;
  (void)err;
  InterlockedIncrement(&init_logs);
}

/* ---- addresses -------------------------------------------------------------- */

/* Parse and print: the forms Go's SplitHostPort/ParseIP accept, the ones
 * they refuse, and TCPAddr.String's output. */
static void addr_parse_format(void **state) {
  (void)state;
  core_sockaddr_t sa;
  sa = addr("127.0.0.1:80");
  assert_int_equal(sa.kind, CORE_SA_INET4);
  assert_int_equal(sa.u.in4.port, 80);
  assert_addr(&sa, "127.0.0.1:80");
  sa = addr(":0");
  assert_int_equal(sa.kind, CORE_SA_INET4);
  assert_addr(&sa, "0.0.0.0:0");
  sa = addr("10.0.0.1:");
  assert_int_equal(sa.u.in4.port, 0); /* Go's parsePort("") */
  sa = addr("[::1]:0");
  assert_int_equal(sa.kind, CORE_SA_INET6);
  assert_int_equal(sa.u.in6.addr[15], 1);
  assert_addr(&sa, "[::1]:0");
  sa = addr("[::]:65535");
  assert_addr(&sa, "[::]:65535");
  sa = addr("[127.0.0.1]:8");
  assert_int_equal(sa.kind, CORE_SA_INET4);
  sa = addr("[fe80::1%7]:443");
  assert_int_equal(sa.u.in6.zone_id, 7);
  assert_addr(&sa, "[fe80::1%7]:443");
  sa = addr("[2001:DB8:0:0:1:0:0:1]:1");
  assert_addr(&sa, "[2001:db8::1:0:0:1]:1"); /* first longest zero run */
  sa = addr("[2001:db8:0:1:1:1:1:1]:1");
  assert_addr(&sa, "[2001:db8:0:1:1:1:1:1]:1"); /* one zero group is not "::" */
  sa = addr("[1:2:3:4:5:6:7::]:1");
  assert_addr(&sa, "[1:2:3:4:5:6:7:0]:1");
  sa = addr("[::ffff:1.2.3.4]:9");
  assert_int_equal(sa.kind, CORE_SA_INET6);
  assert_addr(&sa, "1.2.3.4:9"); /* IP.String prints a mapped address as IPv4 */
  sa = addr("[::1.2.3.4]:9");
  assert_addr(&sa, "[::102:304]:9");

  static const char *const bad[] = {
      "",
      "127.0.0.1",
      "127.0.0.1:65536",
      "127.0.0.1:-1",
      "127.0.0.1:8x",
      "1.2.3:80",
      "1.2.3.4.5:80",
      "01.2.3.4:80",
      "256.0.0.1:80",
      "::1:80",
      "[::1]80",
      "[::1",
      "[]:80",
      "[1::2::3]:80",
      "[1:2:3:4:5:6:7:8:9]:1",
      "[12345::]:1",
      "[::1%x]:1",
      "[::1%]:1",
      "localhost:80",
      "[1:2:3:4:5:6:7:8::]:1",
      "[::1:2:3:4:5:6:7:8]:1",
      "[:1]:1",
      "[1:]:1",
      "a:b:c",
      "[::1]:123456",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sa.kind = CORE_SA_INET4;
    if (core_net_parse_addr(bad[i], &sa) != CORE_EINVAL) fail_msg("accepted \"%s\"", bad[i]);
    assert_int_equal(sa.kind, CORE_SA_NONE);
  }
  assert_int_equal(core_net_parse_addr(NULL, &sa), CORE_EINVAL);

  assert_addr(NULL, "<nil>");
  core_sockaddr_t other = {.kind = CORE_SA_OTHER};
  assert_addr(&other, "<other>");
  char tiny[5];
  sa = addr("127.0.0.1:80");
  core_net_format_addr(&sa, tiny, sizeof tiny);
  assert_string_equal(tiny, "127.");
}

/* ---- TCP -------------------------------------------------------------------- */

/* net.Listen / Dial / Accept: the FDs carry Go's flags and kinds, the
 * addresses agree on both ends, data flows both ways, CloseWrite gives the
 * peer EOF, and a closed listener's Accept is net.ErrClosed. */
static void tcp_listen_dial_accept(void **state) {
  (void)state;
  fdt_startup();
  core_fd_t *ln = NULL;
  assert_int_equal(core_net_listen("tcp", NULL, 0, &ln), 0);
  assert_non_null(ln);
  assert_string_equal(core_fd_kind_name(ln), "tcp");
  assert_true(core_test_fd_is_stream(ln) && core_test_fd_zero_read_is_eof(ln) &&
              !core_test_fd_is_file(ln));
  core_sockaddr_t la;
  assert_int_equal(core_net_local_addr(ln, &la), 0);
  assert_int_equal(la.kind, CORE_SA_INET4);
  assert_int_equal(la.u.in4.addr[0], 127);
  assert_true(la.u.in4.port != 0);

  core_fd_t *c = NULL;
  assert_int_equal(core_net_dial("tcp", &la, 0, &c), 0);
  assert_string_equal(core_fd_kind_name(c), "tcp");
  assert_true(core_test_fd_is_stream(c) && core_test_fd_zero_read_is_eof(c));
  core_fd_t *s = NULL;
  core_sockaddr_t from;
  assert_int_equal(core_net_accept(ln, &s, &from), 0);
  assert_string_equal(core_fd_kind_name(s), "tcp");
  assert_true(core_test_fd_is_stream(s) && core_test_fd_zero_read_is_eof(s));

  core_sockaddr_t cl, cr, sl, sr;
  assert_int_equal(core_net_local_addr(c, &cl), 0);
  assert_int_equal(core_net_remote_addr(c, &cr), 0);
  assert_int_equal(core_net_local_addr(s, &sl), 0);
  assert_int_equal(core_net_remote_addr(s, &sr), 0);
  assert_memory_equal(&from, &cl, sizeof from); /* GetAcceptExSockaddrs' remote */
  assert_memory_equal(&sr, &cl, sizeof sr);
  assert_memory_equal(&cr, &la, sizeof cr);
  assert_int_equal(port_of(&sl), la.u.in4.port);

  /* newTCPConn turned TCP_NODELAY on at both ends. */
  int nodelay = 0, optlen = (int)sizeof nodelay;
  assert_int_equal(
      getsockopt((SOCKET)core_fd_sysfd(s), IPPROTO_TCP, TCP_NODELAY, (char *)&nodelay, &optlen), 0);
  assert_true(nodelay != 0);
  nodelay = 0;
  assert_int_equal(
      getsockopt((SOCKET)core_fd_sysfd(c), IPPROTO_TCP, TCP_NODELAY, (char *)&nodelay, &optlen), 0);
  assert_true(nodelay != 0);

  send_recv(c, s, "ping");
  send_recv(s, c, "pong!");
  assert_int_equal(core_net_close_write(c), 0);
  char buf[8];
  size_t n = 99;
  assert_int_equal(core_fd_read(s, buf, sizeof buf, &n), CORE_EOF);
  assert_int_equal(n, 0);
  send_recv(s, c, "still"); /* the other direction stays open */

  assert_int_equal(core_fd_close(s), 0);
  assert_int_equal(core_net_close_write(s), CORE_ENETCLOSING);
  assert_int_equal(core_net_close_read(s), CORE_ENETCLOSING);
  assert_int_equal(core_net_local_addr(s, &sl), CORE_ENETCLOSING);
  assert_int_equal(sl.kind, CORE_SA_NONE);
  assert_int_equal(core_net_remote_addr(s, &sr), CORE_ENETCLOSING);
  core_fd_free(s);
  fdt_close_free(c);

  /* A listener has no peer. */
  assert_int_equal(core_net_remote_addr(ln, &cr), WSAENOTCONN);
  assert_int_equal(cr.kind, CORE_SA_NONE);
  assert_int_equal(core_fd_close(ln), 0);
  core_fd_t *none = (core_fd_t *)&none;
  from.kind = CORE_SA_INET4;
  assert_int_equal(core_net_accept(ln, &none, &from), CORE_ENETCLOSING);
  assert_null(none);
  assert_int_equal(from.kind, CORE_SA_NONE);
  core_fd_free(ln);
}

/* "tcp6": AF_INET6 on ::1, kind "tcp6" on both ends; "tcp4" with an IPv6
 * address is Go's "non-IPv4 address"; unknown networks are refused before
 * any socket exists. */
static void tcp6_and_network_names(void **state) {
  (void)state;
  fdt_startup();
  core_fd_t *ln = NULL;
  assert_int_equal(core_net_listen("tcp6", NULL, 4, &ln), 0);
  core_sockaddr_t la;
  assert_int_equal(core_net_local_addr(ln, &la), 0);
  assert_int_equal(la.kind, CORE_SA_INET6);
  assert_int_equal(la.u.in6.addr[15], 1);
  assert_string_equal(core_fd_kind_name(ln), "tcp6");
  core_fd_t *c = NULL, *s = NULL;
  assert_int_equal(core_net_dial("tcp6", &la, 0, &c), 0);
  core_sockaddr_t from;
  assert_int_equal(core_net_accept(ln, &s, &from), 0);
  assert_int_equal(from.kind, CORE_SA_INET6);
  assert_string_equal(core_fd_kind_name(s), "tcp6");
  send_recv(c, s, "six");
  fdt_close_free(s);
  fdt_close_free(c);

  core_fd_t *out = (core_fd_t *)&out;
  assert_int_equal(core_net_dial("tcp4", &la, 0, &out), CORE_EAFNOSUPPORT);
  assert_null(out);
  fdt_close_free(ln);

  init_logs = 0;
  core_hook_log_init_fd = count_init;
  core_sockaddr_t any = addr("127.0.0.1:0");
  out = (core_fd_t *)&out;
  assert_int_equal(core_net_listen("udp", &any, 0, &out), CORE_EUNKNOWNNET);
  assert_null(out);
  assert_int_equal(core_net_listen("tcp5", &any, 0, &out), CORE_EUNKNOWNNET);
  assert_int_equal(core_net_listen(NULL, &any, 0, &out), CORE_EUNKNOWNNET);
  assert_int_equal(core_net_dial("udp", &any, 0, &out), CORE_EUNKNOWNNET);
  assert_int_equal(core_net_dial("tcp", NULL, 0, &out), CORE_EINVAL);
  assert_int_equal(core_net_listen_packet("tcp", &any, &out), CORE_EUNKNOWNNET);
  assert_int_equal(core_net_dial_udp("udp4x", NULL, &any, &out), CORE_EUNKNOWNNET);
  assert_int_equal(core_net_dial_udp("udp", NULL, NULL, &out), CORE_EINVAL);
  assert_null(out);
  assert_int_equal(init_logs, 0);
}

/* Failures after the socket exists close it (Go's fd.Close() in socket())
 * and hand out nothing: a taken address fails bind, an IPv6 address on a
 * "tcp4" socket fails ipToSockaddr (after the socket, in Go's order). */
static void error_paths_close_sockets(void **state) {
  (void)state;
  fdt_startup();
  core_fd_t *ln = NULL, *u = NULL;
  assert_int_equal(core_net_listen("tcp", NULL, 0, &ln), 0);
  assert_int_equal(core_net_listen_packet("udp", NULL, &u), 0);
  core_sockaddr_t tl, ul;
  assert_int_equal(core_net_local_addr(ln, &tl), 0);
  assert_int_equal(core_net_local_addr(u, &ul), 0);
  init_logs = 0;
  core_hook_log_init_fd = count_init;
  fdt_count_closes(0);

  core_fd_t *out = (core_fd_t *)&out;
  assert_int_equal(core_net_listen("tcp", &tl, 0, &out), WSAEADDRINUSE);
  assert_null(out);
  assert_int_equal(fdt_closes.calls, 1);
  out = (core_fd_t *)&out;
  assert_int_equal(core_net_listen_packet("udp", &ul, &out), WSAEADDRINUSE);
  assert_null(out);
  assert_int_equal(fdt_closes.calls, 2);
  out = (core_fd_t *)&out;
  assert_int_equal(core_net_dial_udp("udp", &ul, &tl, &out), WSAEADDRINUSE);
  assert_null(out);
  assert_int_equal(fdt_closes.calls, 3);
  core_sockaddr_t v6 = addr("[::1]:0");
  assert_int_equal(core_net_listen("tcp4", &v6, 0, &out), CORE_EAFNOSUPPORT);
  assert_null(out);
  assert_int_equal(fdt_closes.calls, 4);
  assert_int_equal(init_logs, 0); /* every failure came before Init */
  fdt_close_free(u);
  fdt_close_free(ln);
}

/* Listen("tcp", ":0") on a wildcard: favoriteAddrFamily asks the stack
 * probe; where IPv4-mapped addresses work (Windows, Wine) the listener is
 * a dual-stack AF_INET6 socket on [::], and an IPv4 dial reaches it. */
static void tcp_wildcard_listen_dual_stack(void **state) {
  (void)state;
  fdt_startup();
  core_fd_t *ln = NULL;
  core_sockaddr_t any = addr(":0");
  assert_int_equal(core_net_listen("tcp", &any, 0, &ln), 0);
  core_sockaddr_t la;
  assert_int_equal(core_net_local_addr(ln, &la), 0);
  assert_int_equal(la.kind, CORE_SA_INET6);
  assert_addr(&(core_sockaddr_t){.kind = CORE_SA_INET6}, "[::]:0");
  char want[CORE_NET_ADDR_MAX];
  snprintf(want, sizeof want, "[::]:%d", la.u.in6.port);
  assert_addr(&la, want);
  core_sockaddr_t ra = addr("127.0.0.1:0");
  ra.u.in4.port = la.u.in6.port;
  core_fd_t *c = NULL, *s = NULL;
  assert_int_equal(core_net_dial("tcp4", &ra, 0, &c), 0);
  core_sockaddr_t from;
  assert_int_equal(core_net_accept(ln, &s, &from), 0);
  char seen[CORE_NET_ADDR_MAX];
  core_net_format_addr(&from, seen, sizeof seen);
  assert_int_equal(strncmp(seen, "127.0.0.1:", 10), 0); /* mapped, printed as IPv4 */
  send_recv(c, s, "dual");
  fdt_close_free(s);
  fdt_close_free(c);
  fdt_close_free(ln);
}

/* Dialer{Deadline} with the deadline already reached: CORE_EDEADLINE
 * before any socket is made (dialSerial checks first): no Init, no close. */
static void dial_expired_deadline(void **state) {
  (void)state;
  fdt_startup();
  core_fd_t *ln = NULL;
  assert_int_equal(core_net_listen("tcp", NULL, 0, &ln), 0);
  core_sockaddr_t la;
  assert_int_equal(core_net_local_addr(ln, &la), 0);
  init_logs = 0;
  core_hook_log_init_fd = count_init;
  fdt_count_closes(0);
  /* The fake world's clock starts at core_now() == 1: let time pass so
   * that "1 ms ago" is not 0, the zero deadline ("none"). */
  Sleep(10);
  core_fd_t *c = (core_fd_t *)&c;
  assert_int_equal(core_net_dial("tcp", &la, core_now() - 1000000, &c), CORE_EDEADLINE);
  assert_null(c);
  c = (core_fd_t *)&c;
  assert_int_equal(core_net_dial("tcp", &la, core_now(), &c), CORE_EDEADLINE);
  assert_null(c);
  assert_int_equal(init_logs, 0);
  assert_int_equal(fdt_closes.calls, 0);
  fdt_close_free(ln);
}

/* A deadline in the future: the dial works and the write deadline it used
 * is cleared afterwards, so a write after that time still succeeds. */
static void dial_future_deadline_cleared(void **state) {
  (void)state;
  fdt_startup();
  core_fd_t *ln = NULL;
  assert_int_equal(core_net_listen("tcp", NULL, 0, &ln), 0);
  core_sockaddr_t la;
  assert_int_equal(core_net_local_addr(ln, &la), 0);
  core_fd_t *c = NULL, *s = NULL;
  assert_int_equal(core_net_dial("tcp", &la, fdt_after_ms(100), &c), 0);
  assert_int_equal(core_net_accept(ln, &s, NULL), 0);
  Sleep(300);
  send_recv(c, s, "after");
  fdt_close_free(s);
  fdt_close_free(c);
  fdt_close_free(ln);
}

/* A port nobody listens on: ConnectEx completes with the refusal, which
 * the poller reads through WSAGetOverlappedResult: WSAECONNREFUSED (Go:
 * "connectex: No connection could be made..."), with or without a
 * deadline; the failed socket is closed. */
static void dial_refused(void **state) {
  (void)state;
  fdt_startup();
  core_fd_t *ln = NULL;
  assert_int_equal(core_net_listen("tcp", NULL, 0, &ln), 0);
  core_sockaddr_t la;
  assert_int_equal(core_net_local_addr(ln, &la), 0);
  fdt_close_free(ln); /* nobody listens on la now */
  fdt_count_closes(0);
  core_fd_t *c = (core_fd_t *)&c;
  assert_int_equal(core_net_dial("tcp", &la, 0, &c), WSAECONNREFUSED);
  assert_null(c);
  assert_int_equal(fdt_closes.calls, 1);
  c = (core_fd_t *)&c;
  assert_int_equal(core_net_dial("tcp", &la, fdt_after_ms(FDT_GUARD_MS), &c), WSAECONNREFUSED);
  assert_null(c);
  assert_int_equal(fdt_closes.calls, 2);
}

/* ---- UDP -------------------------------------------------------------------- */

/* ListenUDP + DialUDP: datagram FDs (no stream flag, no EOF on zero
 * reads), kind "udp", a connected client whose peer is the listener, and
 * one datagram each way. */
static void udp_exchange(void **state) {
  (void)state;
  fdt_startup();
  core_fd_t *srv = NULL;
  assert_int_equal(core_net_listen_packet("udp", NULL, &srv), 0);
  assert_string_equal(core_fd_kind_name(srv), "udp");
  assert_false(core_test_fd_is_stream(srv));
  assert_false(core_test_fd_zero_read_is_eof(srv));
  core_sockaddr_t sa;
  assert_int_equal(core_net_local_addr(srv, &sa), 0);
  assert_int_equal(sa.kind, CORE_SA_INET4);
  core_sockaddr_t none;
  assert_int_equal(core_net_remote_addr(srv, &none), WSAENOTCONN);

  core_sockaddr_t lo = addr("127.0.0.1:0");
  core_fd_t *cli = NULL;
  assert_int_equal(core_net_dial_udp("udp4", &lo, &sa, &cli), 0);
  assert_string_equal(core_fd_kind_name(cli), "udp4");
  assert_false(core_test_fd_is_stream(cli));
  core_sockaddr_t cl, cr;
  assert_int_equal(core_net_local_addr(cli, &cl), 0);
  assert_int_equal(core_net_remote_addr(cli, &cr), 0);
  assert_memory_equal(&cr, &sa, sizeof cr);

  size_t n = 0;
  assert_int_equal(core_fd_write(cli, "dgram", 5, &n), 0);
  assert_int_equal(n, 5);
  char buf[16];
  core_sockaddr_t from;
  assert_int_equal(core_fd_read_from(srv, buf, sizeof buf, &n, &from), 0);
  assert_int_equal(n, 5);
  assert_memory_equal(buf, "dgram", 5);
  assert_memory_equal(&from, &cl, sizeof from);
  assert_int_equal(core_fd_write_to(srv, "back", 4, &from, &n), 0);
  assert_int_equal(core_fd_read(cli, buf, sizeof buf, &n), 0);
  assert_int_equal(n, 4);
  assert_memory_equal(buf, "back", 4);
  fdt_close_free(cli);
  fdt_close_free(srv);
}

/* ---- os --------------------------------------------------------------------- */

/* os.Pipe: both ends "pipe" (not pollable: no deadlines), data, EOF once
 * the writer is closed, ESPIPE on Seek. */
static void os_pipe(void **state) {
  (void)state;
  fdt_startup();
  core_fd_t *r = NULL, *w = NULL;
  assert_int_equal(core_os_pipe(&r, &w), 0);
  assert_string_equal(core_fd_kind_name(r), "pipe");
  assert_string_equal(core_fd_kind_name(w), "pipe");
  assert_true(core_test_fd_is_file(r) && core_test_fd_is_stream(r) &&
              core_test_fd_zero_read_is_eof(r));
  assert_int_equal(core_fd_set_deadline(r, fdt_after_ms(10)), CORE_ENODEADLINE);
  send_recv(w, r, "through the pipe");
  int64_t pos = 0;
  assert_int_equal(core_fd_seek(r, 0, CORE_SEEK_SET, &pos), CORE_ESPIPE);
  fdt_close_free(w);
  char buf[4];
  size_t n = 9;
  assert_int_equal(core_fd_read(r, buf, sizeof buf, &n), CORE_EOF);
  assert_int_equal(n, 0);
  fdt_close_free(r);
}

static void read_all_of(const char *path, const char *want) {
  core_fd_t *f = NULL;
  assert_int_equal(core_os_open(path, CORE_O_RDONLY, 0, &f), 0);
  char buf[64];
  size_t got = 0, n = 0;
  int err;
  while ((err = core_fd_read(f, buf + got, sizeof buf - got, &n)) == 0) got += n;
  assert_int_equal(err, CORE_EOF);
  assert_int_equal(got, strlen(want));
  assert_memory_equal(buf, want, got);
  fdt_close_free(f);
}

static void write_str(core_fd_t *f, const char *s) {
  size_t n = 0;
  assert_int_equal(core_fd_write(f, s, strlen(s), &n), 0);
  assert_int_equal(n, strlen(s));
}

/* os.OpenFile: missing file, O_CREAT|O_EXCL, O_APPEND writing at the end
 * whatever the position, O_TRUNC, O_CREAT|O_TRUNC, and kind "file". */
static void os_open_flags(void **state) {
  (void)state;
  fdt_startup();
  char path[MAX_PATH];
  temp_path(path, "open.txt");
  core_fd_t *f = (core_fd_t *)&f;
  assert_int_equal(core_os_open(path, CORE_O_RDWR, 0666, &f), ERROR_FILE_NOT_FOUND);
  assert_null(f);
  assert_int_equal(core_os_open("", CORE_O_RDONLY, 0, &f), ERROR_FILE_NOT_FOUND);

  assert_int_equal(core_os_open(path, CORE_O_WRONLY | CORE_O_CREAT | CORE_O_EXCL, 0666, &f), 0);
  assert_string_equal(core_fd_kind_name(f), "file");
  assert_true(core_test_fd_is_file(f) && core_test_fd_is_stream(f) &&
              core_test_fd_zero_read_is_eof(f));
  write_str(f, "hello world");
  fdt_close_free(f);
  f = (core_fd_t *)&f;
  assert_int_equal(core_os_open(path, CORE_O_WRONLY | CORE_O_CREAT | CORE_O_EXCL, 0666, &f),
                   ERROR_FILE_EXISTS);
  assert_null(f);
  read_all_of(path, "hello world");

  assert_int_equal(core_os_open(path, CORE_O_WRONLY | CORE_O_APPEND, 0, &f), 0);
  int64_t pos = -1;
  assert_int_equal(core_fd_seek(f, 0, CORE_SEEK_SET, &pos), 0);
  write_str(f, "!");
  fdt_close_free(f);
  read_all_of(path, "hello world!");

  assert_int_equal(core_os_open(path, CORE_O_WRONLY | CORE_O_TRUNC, 0, &f), 0);
  write_str(f, "x");
  fdt_close_free(f);
  read_all_of(path, "x");

  assert_int_equal(core_os_open(path, CORE_O_RDWR | CORE_O_CREAT | CORE_O_TRUNC, 0666, &f), 0);
  write_str(f, "abc");
  assert_int_equal(core_fd_seek(f, 0, CORE_SEEK_SET, &pos), 0);
  char buf[8];
  size_t n = 0;
  assert_int_equal(core_fd_read(f, buf, sizeof buf, &n), 0);
  assert_int_equal(n, 3);
  assert_memory_equal(buf, "abc", 3);
  fdt_close_free(f);

  /* O_RDONLY: writes are refused by the handle. */
  assert_int_equal(core_os_open(path, CORE_O_RDONLY, 0, &f), 0);
  assert_int_equal(core_fd_write(f, "no", 2, &n), ERROR_ACCESS_DENIED);
  fdt_close_free(f);
  assert_true(DeleteFileA(path));
}

/* FILE_ATTRIBUTE_READONLY of the file at path, read through an FD. */
static bool readonly_attr(const char *path) {
  core_fd_t *f = NULL;
  assert_int_equal(core_os_open(path, CORE_O_RDONLY, 0, &f), 0);
  BY_HANDLE_FILE_INFORMATION info;
  assert_int_equal(core_fd_get_file_information_by_handle(f, &info), 0);
  fdt_close_free(f);
  return (info.dwFileAttributes & FILE_ATTRIBUTE_READONLY) != 0;
}

/* perm without S_IWRITE: a new file is created with the read-only
 * attribute, yet the creating handle may write; O_CREAT|O_TRUNC on an
 * existing writable file truncates it and leaves it writable
 * (golang/go#38225). */
static void os_open_readonly_perm(void **state) {
  (void)state;
  fdt_startup();
  char path[MAX_PATH];
  temp_path(path, "ro.txt");
  core_fd_t *f = NULL, *g = NULL;
  assert_int_equal(core_os_open(path, CORE_O_RDWR | CORE_O_CREAT | CORE_O_EXCL, 0444, &f), 0);
  write_str(f, "ro");
  assert_true(readonly_attr(path));
  /* Windows refuses write opens of a read-only file.  Wine maps the
   * attribute to the Unix mode, which a test run as root (this CI's
   * container) gets past, so only the fake world and Windows check it. */
  if (!fdt_is_wine()) {
    assert_int_equal(core_os_open(path, CORE_O_WRONLY, 0, &g), ERROR_ACCESS_DENIED);
    assert_null(g);
  }
  read_all_of(path, "ro");
  assert_int_equal(core_fd_fchmod(f, 0666), 0); /* so the file can be deleted */
  fdt_close_free(f);
  assert_false(readonly_attr(path));

  assert_int_equal(core_os_open(path, CORE_O_WRONLY | CORE_O_CREAT | CORE_O_TRUNC, 0444, &f), 0);
  fdt_close_free(f);
  read_all_of(path, "");
  assert_false(readonly_attr(path)); /* kept its permissions */
  assert_int_equal(core_os_open(path, CORE_O_WRONLY, 0, &g), 0);
  write_str(g, "w");
  fdt_close_free(g);
  read_all_of(path, "w");
  assert_true(DeleteFileA(path));
}

/* os.NewFile's kind detection: a disk file stays "file", a pipe handle
 * becomes "pipe", a console handle "console" (the fake world always has a
 * console; under Wine only when GetConsoleMode works on CONOUT$);
 * INVALID_HANDLE_VALUE is os.ErrInvalid.  Before any Init the kind name is
 * empty. */
static void new_file_kinds(void **state) {
  (void)state;
  fdt_startup();
  core_fd_t *f = (core_fd_t *)&f;
  assert_int_equal(core_os_new_file(INVALID_HANDLE_VALUE, &f), CORE_EINVAL);
  assert_null(f);
  assert_int_equal(core_os_std(3, &f), CORE_EINVAL);
  assert_int_equal(core_os_std(-1, &f), CORE_EINVAL);

  char path[MAX_PATH];
  HANDLE h = fdt_temp_file(path);
  assert_int_equal(core_fd_new(h, true, true, &f), 0);
  assert_string_equal(core_fd_kind_name(f), "");
  core_fd_free(f); /* never initialised: h is still ours */
  assert_int_equal(core_os_new_file(h, &f), 0);
  assert_string_equal(core_fd_kind_name(f), "file");
  fdt_close_free(f);

  HANDLE r, w;
  assert_true(CreatePipe(&r, &w, NULL, 0));
  core_fd_t *fr = NULL, *fw = NULL;
  assert_int_equal(core_os_new_file(r, &fr), 0);
  assert_int_equal(core_os_new_file(w, &fw), 0);
  assert_string_equal(core_fd_kind_name(fr), "pipe");
  assert_string_equal(core_fd_kind_name(fw), "pipe");
  send_recv(fw, fr, "np");
  fdt_close_free(fw);
  fdt_close_free(fr);

  HANDLE con = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
#ifndef _WIN32
  assert_true(con != INVALID_HANDLE_VALUE); /* the fake world's console */
#endif
  if (con != INVALID_HANDLE_VALUE) {
    DWORD mode;
    bool is_console = GetConsoleMode(con, &mode) != 0;
#ifndef _WIN32
    assert_true(is_console);
#endif
    assert_int_equal(core_os_new_file(con, &f), 0);
    assert_string_equal(core_fd_kind_name(f), is_console ? "console" : "file");
    fdt_close_free(f);
  }

  /* os.Stdout: what the handle is decides the kind. */
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  DWORD mode;
  const char *want = GetConsoleMode(out, &mode)           ? "console"
                     : GetFileType(out) == FILE_TYPE_PIPE ? "pipe"
                                                          : "file";
#ifndef _WIN32
  assert_string_equal(want, "console");
#endif
  assert_int_equal(core_os_std(1, &f), 0);
  assert_true(core_fd_sysfd(f) == out);
  assert_string_equal(core_fd_kind_name(f), want);
#ifdef _WIN32
  core_fd_free(f); /* not closed: it is this process's real stdout */
#else
  fdt_close_free(f);                   /* os.Stdout.Close() closes the standard handle */
#endif
}

/* A named pipe pair in byte mode: both ends "pipe", a reader takes bytes
 * across writes, both directions work, the server sees EOF when the client
 * goes. */
static void named_pipe_byte(void **state) {
  (void)state;
  fdt_startup();
  char name[MAX_PATH];
  unique_name(name, sizeof name, "\\\\.\\pipe\\iocpsim-net-", "byte");
  core_fd_t *srv = NULL, *cli = NULL;
  assert_int_equal(core_os_named_pipe(name, false, &srv, &cli), 0);
  assert_string_equal(core_fd_kind_name(srv), "pipe");
  assert_string_equal(core_fd_kind_name(cli), "pipe");
  write_str(srv, "ab");
  write_str(srv, "cd");
  char buf[8];
  size_t n = 0;
  assert_int_equal(core_fd_read(cli, buf, sizeof buf, &n), 0);
  assert_int_equal(n, 4);
  assert_memory_equal(buf, "abcd", 4);
  send_recv(cli, srv, "up");

  /* The name is taken by a live pair's instance only while it listens:
   * a second pair of the same name works. */
  core_fd_t *srv2 = NULL, *cli2 = NULL;
  assert_int_equal(core_os_named_pipe(name, false, &srv2, &cli2), 0);
  send_recv(srv2, cli2, "two");
  fdt_close_free(cli2);
  fdt_close_free(srv2);

  fdt_close_free(cli);
  assert_int_equal(core_fd_read(srv, buf, sizeof buf, &n), CORE_EOF);
  fdt_close_free(srv);
}

/* Message mode: one read takes one message; a buffer too small gets
 * ERROR_MORE_DATA with no count (syscall.Read drops the count on error)
 * and the rest of the message comes with the next read. */
static void named_pipe_message(void **state) {
  (void)state;
  fdt_startup();
  char name[MAX_PATH];
  unique_name(name, sizeof name, "\\\\.\\pipe\\iocpsim-net-", "msg");
  core_fd_t *srv = NULL, *cli = NULL;
  assert_int_equal(core_os_named_pipe(name, true, &srv, &cli), 0);
  assert_string_equal(core_fd_kind_name(srv), "pipe");
  assert_string_equal(core_fd_kind_name(cli), "pipe");
  write_str(srv, "ab");
  write_str(srv, "cd");
  char buf[8];
  size_t n = 0;
  assert_int_equal(core_fd_read(cli, buf, sizeof buf, &n), 0);
  assert_int_equal(n, 2);
  assert_memory_equal(buf, "ab", 2);
  assert_int_equal(core_fd_read(cli, buf, 1, &n), ERROR_MORE_DATA);
  assert_int_equal(n, 0);
  assert_int_equal(core_fd_read(cli, buf, sizeof buf, &n), 0);
  assert_int_equal(n, 1);
  assert_memory_equal(buf, "d", 1);
  write_str(cli, "xyz"); /* the client reads messages; the server too */
  assert_int_equal(core_fd_read(srv, buf, sizeof buf, &n), 0);
  assert_int_equal(n, 3);
  fdt_close_free(srv);
  fdt_close_free(cli);

  /* A name outside \\.\pipe\: CreateNamedPipeW's error comes back as is.
   * Wine 8.0 reports ERROR_PATH_NOT_FOUND (its pipe.c conformance test
   * expects that of Windows too); fakewin reports ERROR_INVALID_NAME
   * (docs/fakewin-files.md), a deviation of the fake reported to the lead,
   * not fixed here. */
  core_fd_t *a = (core_fd_t *)&a, *b = (core_fd_t *)&b;
#ifdef _WIN32
  const int want = ERROR_PATH_NOT_FOUND;
#else
  const int want = ERROR_INVALID_NAME; /* fakewin deviation, see above */
#endif
  assert_int_equal(core_os_named_pipe("\\\\.\\notapipe\\x", true, &a, &b), want);
  assert_null(a);
  assert_null(b);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(addr_parse_format, fdt_teardown),
      cmocka_unit_test_teardown(tcp_listen_dial_accept, fdt_teardown),
      cmocka_unit_test_teardown(tcp6_and_network_names, fdt_teardown),
      cmocka_unit_test_teardown(error_paths_close_sockets, fdt_teardown),
      cmocka_unit_test_teardown(tcp_wildcard_listen_dual_stack, fdt_teardown),
      cmocka_unit_test_teardown(dial_expired_deadline, fdt_teardown),
      cmocka_unit_test_teardown(dial_future_deadline_cleared, fdt_teardown),
      cmocka_unit_test_teardown(dial_refused, fdt_teardown),
      cmocka_unit_test_teardown(udp_exchange, fdt_teardown),
      cmocka_unit_test_teardown(os_pipe, fdt_teardown),
      cmocka_unit_test_teardown(os_open_flags, fdt_teardown),
      cmocka_unit_test_teardown(os_open_readonly_perm, fdt_teardown),
      cmocka_unit_test_teardown(new_file_kinds, fdt_teardown),
      cmocka_unit_test_teardown(named_pipe_byte, fdt_teardown),
      cmocka_unit_test_teardown(named_pipe_message, fdt_teardown),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
