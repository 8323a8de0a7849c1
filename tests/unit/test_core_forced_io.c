/* test_core_forced_io.c: write loops and ICMP errors on fake sockets and
 * files (spec go-poll.md B32, B72, B73, B80, B81).
 *
 *  - A piece of a Write or Pwrite that reports 0 bytes and no error is
 *    retried (B73, B81), so a handle that keeps doing that makes the call
 *    loop forever: the seed has no progress guard, and docs/core-api.md
 *    keeps that on purpose.  No real handle does it; the fault plan makes
 *    WSASend / WriteFile succeed with 0 bytes, a few times (the write then
 *    finishes) or every time (the world runs out of its step budget and the
 *    simulator reports a livelock).
 *  - SIO_UDP_CONNRESET (B32): the core's udp Init turns off the reporting
 *    of ICMP port-unreachable as WSAECONNRESET (KB263823); a datagram
 *    socket initialised under another name keeps it (F48, Windows
 *    personality: Wine 8.0 never reports the error, W12). */
#include "test_core_forced.h"

#include <ws2tcpip.h>

/* A new empty file of the world's file system, opened for synchronous
 * read/write, as os would, in an FD of kind "file" (not pollable). */
static core_fd_t *file_fd(HANDLE *h) {
  *h = CreateFileA("C:\\forced\\data.bin", GENERIC_READ | GENERIC_WRITE,
                   FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL,
                   NULL);
  SIM_EXPECT(*h != INVALID_HANDLE_VALUE);
  return cf_fd(*h, "file", false, true, true);
}

/* The file's bytes [0, len) read through a second handle. */
static void expect_file(const char *want, DWORD len) {
  HANDLE h = CreateFileA("C:\\forced\\data.bin", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE,
                         NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  SIM_EXPECT(h != INVALID_HANDLE_VALUE);
  char buf[32];
  DWORD n = 0;
  SIM_EXPECT(ReadFile(h, buf, sizeof buf, &n, NULL));
  SIM_EXPECT(n == len && memcmp(buf, want, len) == 0);
  SIM_EXPECT(CloseHandle(h));
}

/* ---- B73 / B81: zero-byte pieces are retried ------------------------------------------ */

static void retried_main(void *arg) {
  (void)arg;
  SIM_EXPECT(core_package_init() == 0);
  SOCKET c, s;
  cf_tcp_pair(&c, &s);
  core_fd_t *fd = cf_tcp_fd(s);
  size_t n = 99;
  /* three WSASend pieces of 0 bytes, then the real one */
  SIM_EXPECT(core_fd_write(fd, "hello", 5, &n) == 0);
  SIM_EXPECT(n == 5);
  char buf[8];
  cf_recv_all(c, buf, 5);
  SIM_EXPECT(memcmp(buf, "hello", 5) == 0);
  SIM_EXPECT(fw_fault_fired(cf_rule[0]) == 3 && fw_fault_matched(cf_rule[0]) == 4);
  cf_close_free(fd);
  SIM_EXPECT(closesocket(c) == 0);

  HANDLE h;
  core_fd_t *f = file_fd(&h);
  /* Write: WriteFile calls 1 and 2 report 0 bytes, call 3 writes */
  SIM_EXPECT(core_fd_write(f, "abcdef", 6, &n) == 0);
  SIM_EXPECT(n == 6);
  SIM_EXPECT(fw_fault_fired(cf_rule[1]) == 2);
  /* Pwrite: calls 4 and 5 report 0 bytes, call 6 writes at offset 2; the
   * file position (6) is where it was */
  SIM_EXPECT(core_fd_pwrite(f, "XY", 2, 2, &n) == 0);
  SIM_EXPECT(n == 2);
  SIM_EXPECT(fw_fault_fired(cf_rule[2]) == 2);
  int64_t pos = -1;
  SIM_EXPECT(core_fd_seek(f, 0, CORE_SEEK_CUR, &pos) == 0);
  SIM_EXPECT(pos == 6);
  expect_file("abXYef", 6);
  cf_close_free(f);
}

/* @covers B73 B81 B72 B80
 * A piece that reports 0 bytes and no error is not an error: Write (socket
 * and file) and Pwrite retry it until the buffer is drained, and the bytes
 * arrive once. */
static void zero_byte_pieces_retried(void **state) {
  (void)state;
  cf_opts_t o = {.plan = {"WSASend nth=1 count=3 -> success bytes=0",
                          "WriteFile nth=1 count=2 -> success bytes=0",
                          "WriteFile nth=4 count=2 -> success bytes=0", NULL}};
  cf_run("zero_byte_pieces_retried", retried_main, NULL, &o);
}

/* The endless versions: which call loops. */
enum { LOOP_SOCKET_WRITE, LOOP_FILE_WRITE, LOOP_FILE_PWRITE, LOOP_KINDS };

/* The FDs of the worlds that never got to close them, kept reachable so
 * that the leak checker does not count them (their handles died with their
 * world; core_fd_free would need one). */
static core_fd_t *stranded[256];
static size_t n_stranded;
static core_fd_t *strand(core_fd_t *fd) {
  if (n_stranded < sizeof stranded / sizeof stranded[0]) stranded[n_stranded++] = fd;
  return fd;
}

static void loop_main(void *arg) {
  int kind = (int)(intptr_t)arg;
  SIM_EXPECT(core_package_init() == 0);
  size_t n = 0;
  if (kind == LOOP_SOCKET_WRITE) {
    SOCKET c, s;
    cf_tcp_pair(&c, &s);
    core_fd_t *fd = strand(cf_tcp_fd(s));
    (void)core_fd_write(fd, "hello", 5, &n);
  } else {
    HANDLE h;
    core_fd_t *f = strand(file_fd(&h));
    if (kind == LOOP_FILE_WRITE) {
      (void)core_fd_write(f, "abc", 3, &n);
    } else {
      (void)core_fd_pwrite(f, "abc", 3, 0, &n);
    }
  }
  SIM_EXPECT(!"the write returned");
}

/* @covers B73 B81
 * Every piece reports 0 bytes: Write on a socket, Write on a file and
 * Pwrite never return.  The seed's behaviour, kept: each world ends in the
 * simulator's livelock report (step budget), with the write's syscall
 * having been retried over and over. */
static void zero_byte_pieces_loop_forever(void **state) {
  (void)state;
  static const char *const names[LOOP_KINDS] = {"socket Write", "file Write", "file Pwrite"};
  cf_opts_t o = {
      .plan = {"WSASend from=1 -> success bytes=0", "WriteFile from=1 -> success bytes=0", NULL},
      .max_steps = 20000};
  uint64_t base, nseeds;
  cf_seed_range(10, &base, &nseeds);
  cf_setup(&o);
  for (int kind = 0; kind < LOOP_KINDS; kind++) {
    for (uint64_t seed = base; seed < base + nseeds; seed++) {
      sim_result_t r;
      sim_status_t st = cf_run_one(loop_main, (void *)(intptr_t)kind, seed, &o, NULL, &r);
      uint32_t fired = fw_fault_fired(cf_rule[kind == LOOP_SOCKET_WRITE ? 0 : 1]);
      bool ok =
          st == SIM_STATUS_LIVELOCK && strstr(r.message, "step budget") != NULL && fired >= 100;
      if (!ok) {
        fprintf(stderr, "%s: expected a livelock with >= 100 zero-byte pieces, got %s (%u)\n",
                names[kind], sim_status_name(st), fired);
        cf_report("zero_byte_pieces_loop_forever", seed, &r);
      }
      sim_result_free(&r);
      assert_true(ok);
    }
  }
  cf_reset();
}

/* ---- B32: SIO_UDP_CONNRESET ---------------------------------------------------------------- */

/* A UDP socket, bound, in an FD initialised as `net`; a peer; and the
 * address of a port nobody listens on. */
typedef struct ufix {
  core_fd_t *fd;
  SOCKET peer;
  struct sockaddr_in ua;
  core_sockaddr_t dead;
} ufix_t;

static void ufix_open(ufix_t *f, const char *net) {
  SIM_EXPECT(core_package_init() == 0);
  f->peer = cf_udp(NULL);
  SOCKET u = cf_udp(&f->ua);
  f->fd = cf_fd((HANDLE)u, net, true, false, false);
  struct sockaddr_in d;
  SOCKET tmp = cf_udp(&d);
  SIM_EXPECT(closesocket(tmp) == 0);
  memset(&f->dead, 0, sizeof f->dead);
  f->dead.kind = CORE_SA_INET4;
  f->dead.u.in4.port = ntohs(d.sin_port);
  memcpy(f->dead.u.in4.addr, &d.sin_addr, 4);
}

static void ufix_close(ufix_t *f) {
  cf_close_free(f->fd);
  SIM_EXPECT(closesocket(f->peer) == 0);
}

static void to_dead_port(ufix_t *f) {
  size_t n = 0;
  SIM_EXPECT(core_fd_write_to(f->fd, "x", 1, &f->dead, &n) == 0);
  SIM_EXPECT(n == 1);
}

static void from_peer(ufix_t *f) {
  SIM_EXPECT(sendto(f->peer, "data", 4, 0, (struct sockaddr *)&f->ua, sizeof f->ua) == 4);
}

static void expect_data(int err, size_t n, const char *buf) {
  SIM_EXPECT(err == 0);
  SIM_EXPECT(n == 4 && memcmp(buf, "data", 4) == 0);
}

typedef struct ureader {
  core_fd_t *fd;
  char buf[16];
  size_t n;
  int err;
} ureader_t;

static DWORD WINAPI read_from_thread(LPVOID p) {
  ureader_t *r = p;
  core_sockaddr_t from;
  r->err = core_fd_read_from(r->fd, r->buf, sizeof r->buf, &r->n, &from);
  return 0;
}

/* The two ways an ICMP error meets a receive: it is already there when
 * ReadFrom starts (the receive fails inside the call), or it arrives while
 * ReadFrom is pending (the receive completes with it).  with_ioctl says
 * whether the FD's Init disabled the reporting. */
static void icmp_program(bool with_ioctl) {
  ufix_t f;
  ufix_open(&f, with_ioctl ? "udp" : "ip");
  char buf[16];
  size_t n = 99;
  core_sockaddr_t from;

  to_dead_port(&f);
  from_peer(&f);
  int err = core_fd_read_from(f.fd, buf, sizeof buf, &n, &from);
  if (!with_ioctl) {
    /* F48: the next receive fails with WSAECONNRESET (B15) ... */
    SIM_EXPECT(err == WSAECONNRESET && n == 0 && from.kind == CORE_SA_NONE);
    err = core_fd_read_from(f.fd, buf, sizeof buf, &n, &from);
  }
  /* ... once; with the ioctl, never */
  expect_data(err, n, buf);

  ureader_t r;
  memset(&r, 0, sizeof r);
  r.fd = f.fd;
  HANDLE t = cf_thread(read_from_thread, &r);
  cf_wait_parked(f.fd, 'r');
  to_dead_port(&f);
  if (with_ioctl) from_peer(&f);
  cf_join(t);
  if (!with_ioctl) {
    /* the pending receive completed with it (B18) */
    SIM_EXPECT(r.err == WSAECONNRESET && r.n == 0);
    from_peer(&f);
    r.err = core_fd_read_from(f.fd, r.buf, sizeof r.buf, &r.n, &from);
  }
  expect_data(r.err, r.n, r.buf);
  ufix_close(&f);
}

static void with_ioctl_main(void *arg) {
  (void)arg;
  icmp_program(true);
}

/* @covers B32
 * Init("udp") issues SIO_UDP_CONNRESET(FALSE): a datagram sent to a port
 * nobody listens on draws an ICMP port-unreachable, yet neither a later
 * ReadFrom nor one already pending sees WSAECONNRESET; they get the next
 * datagram. */
static void udp_connreset_disabled_by_init(void **state) {
  (void)state;
  cf_opts_t o = {0};
  cf_run("udp_connreset_disabled_by_init", with_ioctl_main, NULL, &o);
}

static void without_ioctl_main(void *arg) {
  (void)arg;
  icmp_program(false);
}

/* @covers B32 B15 B18
 * The contrast: the same datagram socket initialised as "ip" (no ioctl)
 * gets WSAECONNRESET once, from the receive that meets the ICMP error -
 * inside the call (B15) or by completion (B18) - and the data after it. */
static void udp_connreset_without_ioctl(void **state) {
  (void)state;
  cf_opts_t o = {0};
  cf_run("udp_connreset_without_ioctl", without_ioctl_main, NULL, &o);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(zero_byte_pieces_retried),
    cmocka_unit_test(zero_byte_pieces_loop_forever),
    cmocka_unit_test(udp_connreset_disabled_by_init),
    cmocka_unit_test(udp_connreset_without_ioctl),
};

CF_MAIN(tests)
