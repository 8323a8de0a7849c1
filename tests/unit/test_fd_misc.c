/* test_fd_misc.c: the FD's pure helpers and its bookkeeping (spec/go-poll.md
 * B6-B9 operation buffers, B26-B29 Init's kinds and logInitFD, B44/B72
 * console dispatch, B102/B103 sockaddr conversions, B108 eofError, B109
 * consume), and the package init (B5). */
#include "test_fd_util.h"

#include <stdlib.h>
#include <string.h>

/* ---- operation buffers ----------------------------------------------------- */

/* @covers B6
 * InitBuf: the length, and a NULL pointer exactly when it is 0. */
static void op_init_buf(void **state) {
  (void)state;
  core_test_op_t *o = core_test_op_new(0);
  assert_non_null(o);
  char b[8];
  core_test_op_init_buf(o, b, 5);
  assert_int_equal(core_test_op_buf(o)->len, 5);
  assert_ptr_equal(core_test_op_buf(o)->buf, b);
  core_test_op_init_buf(o, b, 0);
  assert_int_equal(core_test_op_buf(o)->len, 0);
  assert_null(core_test_op_buf(o)->buf);
  core_test_op_free(o);
}

/* @covers B7 B8
 * InitBufs: one empty WSABUF per empty slice, slices over maxRW cut into
 * maxRW pieces plus the rest (10 bytes at maxRW 4: 4, 4, 2 -- the scaled
 * 2.5 GiB -> 1, 1, 0.5 GiB of the spec); a second call reuses the array.
 * ClearBufs nulls every pointer and empties the list, keeping capacity. */
static void op_init_bufs_and_clear(void **state) {
  (void)state;
  core_test_op_t *o = core_test_op_new(0);
  assert_non_null(o);
  core_max_rw = 4;
  uint8_t a[10], c[3];
  core_iovec_t in[3] = {{a, 10}, {NULL, 0}, {c, 3}};
  core_test_op_init_bufs(o, in, 3);
  size_t n, cap;
  const WSABUF *bufs = core_test_op_bufs(o, &n, &cap);
  assert_int_equal(n, 5);
  ULONG lens[5] = {4, 4, 2, 0, 3};
  uint8_t *bases[5] = {a, a + 4, a + 8, NULL, c};
  for (int i = 0; i < 5; i++) {
    assert_int_equal(bufs[i].len, lens[i]);
    assert_ptr_equal(bufs[i].buf, bases[i]);
  }
  const WSABUF *array = bufs;
  size_t cap0 = cap;
  assert_true(cap0 >= 5);

  core_test_op_clear_bufs(o);
  bufs = core_test_op_bufs(o, &n, &cap);
  assert_int_equal(n, 0);
  assert_int_equal(cap, cap0);
  for (int i = 0; i < 5; i++) assert_null(array[i].buf);

  core_iovec_t one[1] = {{c, 2}};
  core_test_op_init_bufs(o, one, 1);
  bufs = core_test_op_bufs(o, &n, &cap);
  assert_ptr_equal(bufs, array);
  assert_int_equal(n, 1);
  assert_int_equal(bufs[0].len, 2);
  core_max_rw = CORE_MAX_RW;
  core_test_op_free(o);
}

/* @covers B9
 * InitMsg: one buffer (the operation's own WSABUF), no name, flags 0,
 * control = oob (NULL when empty). */
static void op_init_msg(void **state) {
  (void)state;
  core_test_op_t *o = core_test_op_new(0xA5);
  assert_non_null(o);
  char p[4], oob[6];
  core_test_op_init_msg(o, p, 4, oob, 6);
  const WSAMSG *msg = core_test_op_msg(o);
  const WSABUF *buf = core_test_op_buf(o);
  assert_ptr_equal(msg->lpBuffers, buf);
  assert_int_equal(msg->dwBufferCount, 1);
  assert_int_equal(buf->len, 4);
  assert_ptr_equal(buf->buf, p);
  assert_null(msg->name);
  assert_int_equal(msg->namelen, 0);
  assert_int_equal(msg->dwFlags, 0);
  assert_int_equal(msg->Control.len, 6);
  assert_ptr_equal(msg->Control.buf, oob);
  core_test_op_init_msg(o, NULL, 0, NULL, 0);
  assert_null(buf->buf);
  assert_int_equal(msg->Control.len, 0);
  assert_null(msg->Control.buf);
  core_test_op_free(o);
}

/* ---- consume, eofError ----------------------------------------------------------- */

/* @covers B109
 * consume drops whole leading buffers (empty ones always) and reslices the
 * first one that is only partly covered. */
static void consume_rules(void **state) {
  (void)state;
  uint8_t a[3], b[4];
  core_iovec_t v[4] = {{NULL, 0}, {a, 3}, {NULL, 0}, {b, 4}};
  core_iovec_t *p = v;
  size_t n = 4;
  core_consume(&p, &n, 0); /* only the leading empty buffer goes */
  assert_ptr_equal(p, v + 1);
  assert_int_equal(n, 3);
  core_consume(&p, &n, 2);
  assert_ptr_equal(p, v + 1);
  assert_ptr_equal(p[0].base, a + 2);
  assert_int_equal(p[0].len, 1);
  core_consume(&p, &n, 2); /* rest of a, the empty one, 1 byte of b */
  assert_ptr_equal(p, v + 3);
  assert_int_equal(n, 1);
  assert_null(v[1].base);
  assert_int_equal(v[1].len, 0);
  assert_ptr_equal(p[0].base, b + 1);
  assert_int_equal(p[0].len, 3);
  core_consume(&p, &n, 3);
  assert_int_equal(n, 0);
  core_consume(&p, &n, 5); /* nothing left: no-op */
  assert_int_equal(n, 0);
}

/* @covers B108
 * EOF only for (0 bytes, no error) on an FD where zero means EOF; an
 * error is never replaced and n > 0 is never EOF. */
static void eof_error_rule(void **state) {
  (void)state;
  core_fd_t *stream = NULL, *dgram = NULL;
  assert_int_equal(core_fd_new(INVALID_HANDLE_VALUE, true, true, &stream), 0);
  assert_int_equal(core_fd_new(INVALID_HANDLE_VALUE, false, false, &dgram), 0);
  assert_int_equal(core_fd_eof_error(stream, 0, 0), CORE_EOF);
  assert_int_equal(core_fd_eof_error(stream, 1, 0), 0);
  assert_int_equal(core_fd_eof_error(stream, 0, WSAECONNRESET), WSAECONNRESET);
  assert_int_equal(core_fd_eof_error(stream, 0, CORE_EDEADLINE), CORE_EDEADLINE);
  assert_int_equal(core_fd_eof_error(dgram, 0, 0), 0);
  core_fd_free(stream);
  core_fd_free(dgram);
}

/* ---- sockaddr helpers --------------------------------------------------------------- */

/* @covers B102
 * Inet4 -> raw: the whole 116-byte buffer zeroed, family AF_INET, port in
 * network order (low 16 bits, unchecked), address; 16 bytes.  Inet6 ->
 * raw: AF_INET6 (23), port, Scope_id = zone id, address; 28 bytes.  And
 * back. */
static void sockaddr_to_raw_and_back(void **state) {
  (void)state;
  core_raw_sockaddr_any_t raw;
  memset(&raw, 0xEE, sizeof raw);
  core_sockaddr_t sa = {.kind = CORE_SA_INET4};
  sa.u.in4.port = 0x11234; /* only 0x1234 goes into the two bytes */
  memcpy(sa.u.in4.addr, "\x0a\x01\x02\x03", 4);
  int32_t len = 0;
  assert_int_equal(core_sockaddr_to_raw(&raw, &sa, &len), 0);
  assert_int_equal(len, 16);
  const uint8_t *b = (const uint8_t *)&raw;
  assert_int_equal(raw.family, AF_INET);
  assert_int_equal(b[2], 0x12);
  assert_int_equal(b[3], 0x34);
  assert_memory_equal(b + 4, "\x0a\x01\x02\x03", 4);
  for (int i = 8; i < CORE_RAW_SOCKADDR_ANY_SIZE; i++) assert_int_equal(b[i], 0);
  struct sockaddr_in sin;
  memcpy(&sin, &raw, sizeof sin);
  assert_int_equal(ntohs(sin.sin_port), 0x1234);
  core_sockaddr_inet4_t back4;
  core_raw_to_sockaddr_inet4(&raw, &back4);
  assert_int_equal(back4.port, 0x1234);
  assert_memory_equal(back4.addr, "\x0a\x01\x02\x03", 4);

  memset(&raw, 0xEE, sizeof raw);
  core_sockaddr_t sa6 = {.kind = CORE_SA_INET6};
  sa6.u.in6.port = 443;
  sa6.u.in6.zone_id = 7;
  for (int i = 0; i < 16; i++) sa6.u.in6.addr[i] = (uint8_t)(0xF0 + i);
  assert_int_equal(core_sockaddr_to_raw(&raw, &sa6, &len), 0);
  assert_int_equal(len, 28);
  assert_int_equal(raw.family, AF_INET6);
  assert_int_equal(AF_INET6, 23);
  struct sockaddr_in6 sin6;
  memcpy(&sin6, &raw, sizeof sin6);
  assert_int_equal(ntohs(sin6.sin6_port), 443);
  assert_int_equal(sin6.sin6_scope_id, 7);
  assert_int_equal(sin6.sin6_flowinfo, 0);
  assert_memory_equal(&sin6.sin6_addr, sa6.u.in6.addr, 16);
  for (int i = 28; i < CORE_RAW_SOCKADDR_ANY_SIZE; i++) assert_int_equal(b[i], 0);
  core_sockaddr_inet6_t back6;
  core_raw_to_sockaddr_inet6(&raw, &back6);
  assert_int_equal(back6.port, 443);
  assert_int_equal(back6.zone_id, 7);
  assert_memory_equal(back6.addr, sa6.u.in6.addr, 16);

  core_sockaddr_t any;
  assert_int_equal(core_raw_to_sockaddr(&raw, &any), 0);
  assert_int_equal(any.kind, CORE_SA_INET6);
  assert_int_equal(any.u.in6.port, 443);
}

/* @covers B103
 * sockaddrToRaw of any other kind is EWINDOWS; RawSockaddrAny.Sockaddr of
 * an unknown family is EAFNOSUPPORT (AF_UNIX is a valid Go address this
 * port calls CORE_SA_OTHER). */
static void sockaddr_unknown_kinds(void **state) {
  (void)state;
  core_raw_sockaddr_any_t raw;
  memset(&raw, 0, sizeof raw);
  core_sockaddr_t other = {.kind = CORE_SA_OTHER};
  int32_t len = 99;
  assert_int_equal(core_sockaddr_to_raw(&raw, &other, &len), CORE_EWINDOWS);
  assert_int_equal(len, 0);
  core_sockaddr_t none = {.kind = CORE_SA_NONE};
  assert_int_equal(core_sockaddr_to_raw(&raw, &none, &len), CORE_EWINDOWS);
  core_sockaddr_t sa;
  raw.family = 0;
  assert_int_equal(core_raw_to_sockaddr(&raw, &sa), CORE_EAFNOSUPPORT);
  assert_int_equal(sa.kind, CORE_SA_NONE);
  raw.family = AF_UNIX;
  assert_int_equal(core_raw_to_sockaddr(&raw, &sa), 0);
  assert_int_equal(sa.kind, CORE_SA_OTHER);
}

/* ---- Init ------------------------------------------------------------------------------ */

static int log_calls;
static const char *log_nets[32];
static int log_errs[32];

static void log_init(const char *net, core_fd_t *fd, int err) {
  (void)fd;
  if (log_calls < 32) {
    log_nets[log_calls] = net;
    log_errs[log_calls] = err;
  }
  log_calls++;
}

/* @covers B26 B27 B29
 * Every kind name maps to its kind, isFile is "not a socket", logInitFD
 * sees each Init; an unknown name fails before logInitFD with Go's
 * internal error. */
static void init_kinds(void **state) {
  (void)state;
  fdt_startup();
  static const struct {
    const char *net;
    core_file_kind_t kind;
  } kinds[] = {
      {"file", CORE_KIND_FILE},      {"dir", CORE_KIND_FILE}, {"console", CORE_KIND_CONSOLE},
      {"pipe", CORE_KIND_PIPE},      {"tcp", CORE_KIND_NET},  {"tcp4", CORE_KIND_NET},
      {"tcp6", CORE_KIND_NET},       {"ip", CORE_KIND_NET},   {"ip4", CORE_KIND_NET},
      {"ip6", CORE_KIND_NET},        {"unix", CORE_KIND_NET}, {"unixgram", CORE_KIND_NET},
      {"unixpacket", CORE_KIND_NET}, {"udp", CORE_KIND_NET},  {"udp4", CORE_KIND_NET},
      {"udp6", CORE_KIND_NET}};
  const size_t nk = sizeof kinds / sizeof kinds[0];
  SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  assert_true(s != INVALID_SOCKET);
  core_fd_t *fd = NULL;
  assert_int_equal(core_fd_new((HANDLE)s, false, false, &fd), 0);
  log_calls = 0;
  core_hook_log_init_fd = log_init;
  for (size_t i = 0; i < nk; i++) {
    const char *errcall = "unset";
    assert_int_equal(core_fd_init(fd, kinds[i].net, false, &errcall), 0);
    assert_string_equal(errcall, "");
    assert_int_equal(core_test_fd_kind(fd), kinds[i].kind);
    assert_int_equal(core_test_fd_is_file(fd), kinds[i].kind != CORE_KIND_NET);
  }
  assert_int_equal(log_calls, (int)nk);
  for (size_t i = 0; i < nk; i++) {
    assert_string_equal(log_nets[i], kinds[i].net);
    assert_int_equal(log_errs[i], 0);
  }
  static const char *const unknown[] = {"sctp", "", "TCP", "tcp ", "files"};
  for (int i = 0; i < 5; i++) {
    const char *errcall = "unset";
    assert_int_equal(core_fd_init(fd, unknown[i], false, &errcall), CORE_EUNKNOWNNET);
    assert_string_equal(errcall, "");
  }
  assert_int_equal(log_calls, (int)nk);
  assert_string_equal(core_strerror(CORE_EUNKNOWNNET), "internal error: unknown network type");
  fdt_close_free(fd);
}

/* @covers B5
 * The package init runs once: it succeeds, and a second call gives the
 * same answer without redoing it (the decision stays what it was). */
static void package_init_once(void **state) {
  (void)state;
  assert_int_equal(core_package_init(), 0);
  bool first = core_test_package_use_sfcnm();
  assert_int_equal(core_package_init(), 0);
  assert_int_equal(core_test_package_use_sfcnm(), first);
}

/* ---- console dispatch -------------------------------------------------------------------- */

static const uint16_t console_units[] = {'h', 'i'};
static int console_reads;

static BOOL WINAPI scripted_read_console(HANDLE h, LPVOID buf, DWORD toread, LPDWORD nread,
                                         LPVOID ctl) {
  (void)h, (void)ctl;
  DWORD n = console_reads++ == 0 ? 2 : 0;
  if (n > toread) n = toread;
  memcpy(buf, console_units, n * sizeof(uint16_t));
  *nread = n;
  return TRUE;
}

static uint16_t console_out[16];
static DWORD console_out_n;

static BOOL WINAPI capturing_write_console(HANDLE h, const VOID *buf, DWORD n, LPDWORD written,
                                           LPVOID reserved) {
  (void)h, (void)reserved;
  memcpy(console_out + console_out_n, buf, n * sizeof(uint16_t));
  console_out_n += n;
  *written = n;
  return TRUE;
}

/* @covers B44 B72
 * A "console" FD reads and writes through the console path (the
 * ReadConsole hook and the WriteConsole seam), not ReadFile/WriteFile:
 * the handle here is a pipe nobody writes to, which ReadFile would block
 * on forever. */
static void console_dispatch(void **state) {
  (void)state;
  fdt_startup();
  HANDLE r, w;
  assert_true(CreatePipe(&r, &w, NULL, 0));
  core_read_console_fn old_read = core_hook_read_console;
  core_write_console_fn old_write = core_hook_write_console;
  core_hook_read_console = scripted_read_console;
  core_hook_write_console = capturing_write_console;
  console_reads = 0;
  console_out_n = 0;
  core_fd_t *fd = fdt_file_fd(r, "console");
  char buf[8];
  size_t n = 0;
  assert_int_equal(core_fd_read(fd, buf, sizeof buf, &n), 0);
  assert_int_equal(n, 2);
  assert_memory_equal(buf, "hi", 2);
  assert_int_equal(core_fd_read(fd, buf, sizeof buf, &n), CORE_EOF);
  assert_int_equal(core_fd_write(fd, "ok", 2, &n), 0);
  assert_int_equal(n, 2);
  assert_int_equal(console_out_n, 2);
  assert_int_equal(console_out[0], 'o');
  assert_int_equal(console_out[1], 'k');
  fdt_close_free(fd);
  core_hook_read_console = old_read;
  core_hook_write_console = old_write;
  CloseHandle(w);
}

/* @covers B11
 * core_deadline_after is time.Now().Add(d) without overflow: Go's MinInt64
 * and MaxInt64 rows saturate, d = 0 is "now" (expired, never "none"), and
 * the distant past, set on a socket, fails the next read at once with
 * the deadline error, before any syscall. */
static void deadline_after_saturates(void **state) {
  (void)state;
  fdt_startup();
  assert_true(core_deadline_after(INT64_MAX) == INT64_MAX);
  assert_true(core_deadline_after(INT64_MAX - 1) == INT64_MAX);
  /* The clock is positive, so now + MinInt64 cannot overflow: it is a time
   * long past, as in Go, and expired. */
  int64_t t_min = core_deadline_after(INT64_MIN);
  assert_true(t_min < 0 && t_min >= INT64_MIN);
  int64_t before = core_now();
  int64_t t = core_deadline_after(0);
  assert_true(t >= before && t <= core_now());
  /* A sum that lands on or around 0 is in the past, never "no deadline". */
  t = core_deadline_after(-core_now());
  assert_true(t != CORE_DEADLINE_NONE && t <= core_now());

  SOCKET c, s;
  fdt_tcp_pair(&c, &s);
  core_fd_t *fd = fdt_tcp_fd(s);
  assert_int_equal(core_fd_set_read_deadline(fd, CORE_DEADLINE_PAST), 0);
  char buf[4];
  size_t n = 1;
  assert_int_equal(core_fd_read(fd, buf, sizeof buf, &n), CORE_EDEADLINE);
  assert_int_equal(n, 0);
  assert_int_equal(core_fd_set_read_deadline(fd, core_deadline_after(INT64_MAX)), 0);
  assert_int_equal(core_fd_set_read_deadline(fd, CORE_DEADLINE_NONE), 0);
  fdt_close_free(fd);
  closesocket(c);
}

/* @covers B11 B27
 * The FD deadline setters: zero is "none", a past time is expired before
 * any syscall (the call fails at once with the deadline error) and only in
 * its mode, a future time is not, "now" is expired; an unpollable FD gives
 * CORE_ENODEADLINE, a closed one the closing error of its kind; the
 * references they take balance. */
static void fd_set_deadline_kinds(void **state) {
  (void)state;
  fdt_startup();
  SOCKET c, s;
  fdt_tcp_pair(&c, &s);
  core_fd_t *fd = fdt_tcp_fd(s);
  char buf[4];
  size_t n = 0;
  assert_int_equal(core_fd_set_read_deadline(fd, core_deadline_after(-1000000000LL)), 0);
  assert_int_equal(core_fd_read(fd, buf, sizeof buf, &n), CORE_EDEADLINE);
  assert_int_equal(core_fd_write(fd, "w", 1, &n), 0); /* the write mode is not expired */
  assert_int_equal(n, 1);
  assert_int_equal(core_fd_set_read_deadline(fd, CORE_DEADLINE_NONE), 0);
  fdt_send_all(c, "r", 1);
  assert_int_equal(core_fd_read(fd, buf, sizeof buf, &n), 0);
  assert_int_equal(n, 1);
  assert_int_equal(core_fd_set_write_deadline(fd, core_deadline_after(-1)), 0);
  assert_int_equal(core_fd_write(fd, "w", 1, &n), CORE_EDEADLINE);
  assert_int_equal(n, 0);
  assert_int_equal(core_fd_set_deadline(fd, core_deadline_after(10000000000LL)), 0);
  assert_int_equal(core_fd_write(fd, "w", 1, &n), 0);
  assert_int_equal(core_fd_set_deadline(fd, core_now()), 0); /* "now" is expired */
  assert_int_equal(core_fd_read(fd, buf, sizeof buf, &n), CORE_EDEADLINE);
  assert_int_equal(core_fd_write(fd, "w", 1, &n), CORE_EDEADLINE);
  assert_int_equal(core_fd_set_deadline(fd, CORE_DEADLINE_NONE), 0);
  assert_int_equal(core_test_fd_refs(fd), 0);
  assert_int_equal(core_fd_close(fd), 0);
  assert_int_equal(core_fd_set_write_deadline(fd, 0), CORE_ENETCLOSING);
  assert_int_equal(core_fd_set_deadline(fd, core_now()), CORE_ENETCLOSING);
  core_fd_free(fd);
  closesocket(c);

  char path[MAX_PATH];
  core_fd_t *f = fdt_file_fd(fdt_temp_file(path), "file");
  assert_int_equal(core_fd_set_deadline(f, core_now()), CORE_ENODEADLINE);
  assert_int_equal(core_fd_set_read_deadline(f, 0), CORE_ENODEADLINE);
  assert_int_equal(core_test_fd_refs(f), 0);
  assert_int_equal(core_fd_close(f), 0);
  assert_int_equal(core_fd_set_deadline(f, 0), CORE_EFILECLOSING);
  core_fd_free(f);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(op_init_buf, fdt_teardown),
      cmocka_unit_test_teardown(op_init_bufs_and_clear, fdt_teardown),
      cmocka_unit_test_teardown(op_init_msg, fdt_teardown),
      cmocka_unit_test_teardown(consume_rules, fdt_teardown),
      cmocka_unit_test_teardown(eof_error_rule, fdt_teardown),
      cmocka_unit_test_teardown(sockaddr_to_raw_and_back, fdt_teardown),
      cmocka_unit_test_teardown(sockaddr_unknown_kinds, fdt_teardown),
      cmocka_unit_test_teardown(init_kinds, fdt_teardown),
      cmocka_unit_test_teardown(package_init_once, fdt_teardown),
      cmocka_unit_test_teardown(console_dispatch, fdt_teardown),
      cmocka_unit_test_teardown(deadline_after_saturates, fdt_teardown),
      cmocka_unit_test_teardown(fd_set_deadline_kinds, fdt_teardown),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
