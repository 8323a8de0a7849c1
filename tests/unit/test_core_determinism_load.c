/* test_core_determinism_load.c: the core workload test_core_determinism.c
 * runs in fake worlds (see test_core_determinism.h).  Plain Win32 and the
 * core API; every check is a SIM_EXPECT, since this runs as a fiber. */
#include <string.h>

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include "core_test.h"
#include "sim.h"
#include "test_core_determinism.h"

#define DET_STATUS_PENDING 0x00000103L

static struct sockaddr_in loopback4(uint16_t port) {
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return sin;
}

static uint16_t local_port(SOCKET s) {
  struct sockaddr_in sin;
  int len = (int)sizeof sin;
  SIM_EXPECT(getsockname(s, (struct sockaddr *)&sin, &len) == 0);
  return ntohs(sin.sin_port);
}

/* A connected loopback TCP pair (plain blocking connect/accept). */
static void tcp_pair(SOCKET *client, SOCKET *server) {
  SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  SIM_EXPECT(l != INVALID_SOCKET);
  struct sockaddr_in sin = loopback4(0);
  SIM_EXPECT(bind(l, (struct sockaddr *)&sin, (int)sizeof sin) == 0);
  SIM_EXPECT(listen(l, 4) == 0);
  sin = loopback4(local_port(l));
  SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  SIM_EXPECT(c != INVALID_SOCKET);
  SIM_EXPECT(connect(c, (struct sockaddr *)&sin, (int)sizeof sin) == 0);
  SOCKET s = accept(l, NULL, NULL);
  SIM_EXPECT(s != INVALID_SOCKET);
  SIM_EXPECT(closesocket(l) == 0);
  *client = c;
  *server = s;
}

static SOCKET udp_bound(uint16_t *port) {
  SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  SIM_EXPECT(s != INVALID_SOCKET);
  struct sockaddr_in sin = loopback4(0);
  SIM_EXPECT(bind(s, (struct sockaddr *)&sin, (int)sizeof sin) == 0);
  *port = local_port(s);
  return s;
}

static core_fd_t *new_fd(SOCKET s, const char *net, bool stream) {
  core_fd_t *fd = NULL;
  SIM_EXPECT(core_fd_new((HANDLE)s, stream, stream, &fd) == 0);
  const char *errcall = NULL;
  SIM_EXPECT(core_fd_init(fd, net, true, &errcall) == 0);
  return fd;
}

static HANDLE start(LPTHREAD_START_ROUTINE fn, void *arg) {
  HANDLE t = CreateThread(NULL, 0, fn, arg, 0, NULL);
  SIM_EXPECT(t != NULL);
  return t;
}

static void join(HANDLE t) {
  SIM_EXPECT(WaitForSingleObject(t, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(CloseHandle(t));
}

/* ---- TCP echo with deadlines --------------------------------------------------- */

static DWORD WINAPI echo_thread(LPVOID arg) {
  core_fd_t *fd = arg;
  char buf[64];
  for (;;) {
    size_t n = 0, w = 0;
    int err = core_fd_read(fd, buf, sizeof buf, &n);
    if (err == CORE_EOF) return 0;
    SIM_EXPECT(err == 0 && n > 0);
    SIM_EXPECT(core_fd_write(fd, buf, n, &w) == 0 && w == n);
  }
}

static void read_full(core_fd_t *fd, char *buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    size_t n = 0;
    SIM_EXPECT(core_fd_read(fd, buf + got, len - got, &n) == 0 && n > 0);
    got += n;
  }
}

static void tcp_echo_with_deadline(void) {
  SOCKET cs, ss;
  tcp_pair(&cs, &ss);
  core_fd_t *c = new_fd(cs, "tcp", true), *s = new_fd(ss, "tcp", true);
  HANDLE echo = start(echo_thread, s);
  /* a deadline far enough away never fires: the echo comes first */
  SIM_EXPECT(core_fd_set_read_deadline(c, core_deadline_after(1000000000LL)) == 0);
  for (int i = 0; i < 4; i++) {
    char msg[16] = "ping #", back[16];
    msg[6] = (char)('0' + i);
    size_t w = 0;
    SIM_EXPECT(core_fd_write(c, msg, 7, &w) == 0 && w == 7);
    read_full(c, back, 7);
    SIM_EXPECT(memcmp(back, msg, 7) == 0);
  }
  /* nothing more comes: a 5 ms deadline cancels the pending read */
  char buf[8];
  size_t n = 99;
  SIM_EXPECT(core_fd_set_read_deadline(c, core_deadline_after(5000000LL)) == 0);
  SIM_EXPECT(core_fd_read(c, buf, sizeof buf, &n) == CORE_EDEADLINE);
  SIM_EXPECT(n == 0);
  SIM_EXPECT(core_fd_set_read_deadline(c, 0) == 0);
  /* closing the client ends the echo with EOF */
  SIM_EXPECT(core_fd_close(c) == 0);
  join(echo);
  SIM_EXPECT(core_fd_close(s) == 0);
  core_fd_free(c);
  core_fd_free(s);
}

/* ---- Close while another thread's read is pending ------------------------------ */

typedef struct reader {
  core_fd_t *fd;
  char buf[16];
  size_t n;
  int err;
} reader_t;

static DWORD WINAPI read_thread(LPVOID arg) {
  reader_t *r = arg;
  r->err = core_fd_read(r->fd, r->buf, sizeof r->buf, &r->n);
  return 0;
}

static void close_during_read(void) {
  SOCKET cs, ss;
  tcp_pair(&cs, &ss);
  core_fd_t *s = new_fd(ss, "tcp", true);
  reader_t r = {.fd = s, .n = 99};
  HANDLE t = start(read_thread, &r);
  /* the WSARecv is in flight once Internal says STATUS_PENDING */
  const volatile ULONG_PTR *internal = &core_test_fd_overlapped(s, 'r')->Internal;
  while ((LONG)*internal != DET_STATUS_PENDING) Sleep(1);
  SIM_EXPECT(core_fd_close(s) == 0); /* whoever drops the last reference, closesocket succeeds */
  join(t);
  SIM_EXPECT(r.err == CORE_ENETCLOSING);
  SIM_EXPECT(r.n == 0);
  SIM_EXPECT(core_fd_sysfd(s) == INVALID_HANDLE_VALUE);
  SIM_EXPECT(closesocket(cs) == 0);
  core_fd_free(s);
}

/* ---- UDP exchange ------------------------------------------------------------ */

static DWORD WINAPI udp_reply_thread(LPVOID arg) {
  core_fd_t *fd = arg;
  char buf[32];
  size_t n = 0, w = 0;
  core_sockaddr_inet4_t from;
  memset(&from, 0, sizeof from);
  SIM_EXPECT(core_fd_read_from_inet4(fd, buf, sizeof buf, &n, &from) == 0);
  SIM_EXPECT(n == 9 && memcmp(buf, "hello udp", 9) == 0);
  for (size_t i = 0; i < n / 2; i++) {
    char x = buf[i];
    buf[i] = buf[n - 1 - i];
    buf[n - 1 - i] = x;
  }
  SIM_EXPECT(core_fd_write_to_inet4(fd, buf, n, &from, &w) == 0 && w == n);
  return 0;
}

static void udp_exchange(void) {
  uint16_t pa, pb;
  SOCKET sa = udp_bound(&pa), sb = udp_bound(&pb);
  core_fd_t *a = new_fd(sa, "udp", false), *b = new_fd(sb, "udp", false);
  HANDLE t = start(udp_reply_thread, b);
  core_sockaddr_inet4_t to = {.port = pb, .addr = {127, 0, 0, 1}}, from;
  memset(&from, 0, sizeof from);
  size_t w = 0, n = 0;
  SIM_EXPECT(core_fd_write_to_inet4(a, "hello udp", 9, &to, &w) == 0 && w == 9);
  char buf[32];
  SIM_EXPECT(core_fd_read_from_inet4(a, buf, sizeof buf, &n, &from) == 0);
  SIM_EXPECT(n == 9 && memcmp(buf, "pdu olleh", 9) == 0);
  SIM_EXPECT(from.port == pb);
  SIM_EXPECT(memcmp(from.addr, to.addr, 4) == 0);
  join(t);
  SIM_EXPECT(core_fd_close(a) == 0);
  SIM_EXPECT(core_fd_close(b) == 0);
  core_fd_free(a);
  core_fd_free(b);
}

void det_workload(void *arg) {
  (void)arg;
  SIM_EXPECT(core_package_init() == 0);
  tcp_echo_with_deadline();
  close_during_read();
  udp_exchange();
}

/* ---- per-world reset of the core's process state -------------------------------- */

static void reset_core(void *arg) {
  (void)arg;
  core_process_reset();
}

static sim_hook_t core_reset_hook = {.world_start = reset_core, .world_end = reset_core};

void det_install_core_reset(void) {
  sim_hook_add(&core_reset_hook);
}
