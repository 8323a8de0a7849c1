/* test_core_forced_accept.c: FD.Accept (spec go-poll.md B89-B95) on fake
 * sockets, with the resets and failures real Win32 does not produce on
 * demand forced by the fault plan: AcceptEx completing (or failing at once)
 * with WSAECONNRESET / ERROR_NETNAME_DELETED is retried with a fresh socket
 * and without limit (B94), anything else is returned (B95), and a failing
 * SO_UPDATE_ACCEPT_CONTEXT closes the accepted socket (B92).
 *
 * What reaches the core from a reset AcceptEx: the seed's poller fetches
 * every result with WSAGetOverlappedResult, which maps the completion
 * status STATUS_CONNECTION_RESET to WSAECONNRESET; ERROR_NETNAME_DELETED is
 * that status through RtlNtStatusToDosError, i.e. what GetQueuedCompletion-
 * Status said in the runtimes Go's check was written for.  So a rule
 * "pending code=ERROR_NETNAME_DELETED" is the same completion as one with
 * WSAECONNRESET and reaches Accept as WSAECONNRESET; 64 itself can only come
 * from an AcceptFunc hook (Go's socktest), which test_fd_tcp's
 * accept_retries_injected_resets does. */
#include "test_core_forced.h"

#include <ws2tcpip.h>

/* Go's sysSocket: every attempt gets a fresh socket; they are remembered. */
typedef struct sockets {
  SOCKET made[64];
  uint32_t n;
} sockets_t;

static int make_socket(void *ctx, SOCKET *s) {
  sockets_t *k = ctx;
  *s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (*s == INVALID_SOCKET) return WSAGetLastError();
  if (k->n < sizeof k->made / sizeof k->made[0]) k->made[k->n] = *s;
  k->n++;
  return 0;
}

/* A listener FD with every process-wide thing the core creates lazily
 * (package init, poller, the AcceptEx lookup) already made, so that handle
 * counts taken afterwards only see what Accept itself does. */
typedef struct lfix {
  SOCKET l;
  struct sockaddr_in addr;
  core_fd_t *fd;
  sockets_t socks;
} lfix_t;

static void lfix_open(lfix_t *f) {
  SIM_EXPECT(core_package_init() == 0);
  memset(f, 0, sizeof *f);
  f->l = cf_listener(&f->addr);
  f->fd = cf_tcp_fd(f->l);
  cf_count_closes();
}

static void lfix_close(lfix_t *f) {
  cf_close_free(f->fd);
}

typedef struct accepted {
  int err;
  SOCKET s;
  uint32_t rsan;
  const char *errcall;
  core_raw_sockaddr_any_t rawsa[2];
} accepted_t;

static void do_accept(lfix_t *f, accepted_t *a) {
  a->errcall = "unset";
  a->err = core_fd_accept(f->fd, make_socket, &f->socks, &a->s, a->rawsa, &a->rsan, &a->errcall);
}

/* The accepted socket is the server end of client c: context updated
 * (getpeername works, F32) and bytes flow both ways. */
static void expect_connected(SOCKET s, SOCKET c) {
  struct sockaddr_in peer, local;
  int len = sizeof peer;
  SIM_EXPECT(getpeername(s, (struct sockaddr *)&peer, &len) == 0);
  len = sizeof local;
  SIM_EXPECT(getsockname(c, (struct sockaddr *)&local, &len) == 0);
  SIM_EXPECT(peer.sin_port == local.sin_port);
  SIM_EXPECT(send(c, "ping", 4, 0) == 4);
  char buf[4];
  cf_recv_all(s, buf, 4);
  SIM_EXPECT(memcmp(buf, "ping", 4) == 0);
  SIM_EXPECT(send(s, "pong", 4, 0) == 4);
  cf_recv_all(c, buf, 4);
  SIM_EXPECT(memcmp(buf, "pong", 4) == 0);
}

/* Accept took `tries` sockets, closed all but the last with CloseFunc, and
 * returned the last: nothing leaked (one new handle: the accepted socket). */
static void expect_retried(const lfix_t *f, const accepted_t *a, uint32_t tries,
                           uint32_t handles_before) {
  SIM_EXPECT(a->err == 0);
  SIM_EXPECT(strcmp(a->errcall, "") == 0);
  SIM_EXPECT(a->rsan == CORE_RAW_SOCKADDR_ANY_SIZE);
  SIM_EXPECT(f->socks.n == tries);
  SIM_EXPECT(a->s == f->socks.made[tries - 1]);
  SIM_EXPECT(cf_closes.calls == tries - 1);
  for (uint32_t i = 0; i + 1 < tries; i++) SIM_EXPECT(cf_closes.socks[i] == f->socks.made[i]);
  SIM_EXPECT(fw_world_open_handles() == handles_before + 1);
}

/* ---- B94: retried resets ---------------------------------------------------------------- */

static void retry_main(void *arg) {
  (void)arg;
  lfix_t f;
  lfix_open(&f);
  SOCKET c = cf_connect(&f.addr);
  uint32_t before = fw_world_open_handles();
  accepted_t a;
  do_accept(&f, &a);
  expect_retried(&f, &a, 4, before);
  for (int i = 0; i < 3; i++) SIM_EXPECT(fw_fault_fired(cf_rule[i]) == 1);
  expect_connected(a.s, c);

  /* the listener is unharmed: the next connection is accepted at once */
  SOCKET c2 = cf_connect(&f.addr);
  accepted_t b;
  do_accept(&f, &b);
  SIM_EXPECT(b.err == 0);
  SIM_EXPECT(f.socks.n == 5);
  SIM_EXPECT(cf_closes.calls == 3);
  expect_connected(b.s, c2);

  SIM_EXPECT(closesocket(a.s) == 0 && closesocket(b.s) == 0);
  SIM_EXPECT(closesocket(c) == 0 && closesocket(c2) == 0);
  lfix_close(&f);
}

/* @covers B94 B91 B93 B14 B15
 * Three resets in a row - a completion with WSAECONNRESET, a completion
 * asked for as ERROR_NETNAME_DELETED, a synchronous WSAECONNRESET - then
 * the queued connection is accepted on the fourth socket; the three failed
 * sockets were closed, and the listener keeps accepting afterwards. */
static void accept_retries_forced_resets(void **state) {
  (void)state;
  cf_opts_t o = {.plan = {"AcceptEx nth=1 -> pending code=WSAECONNRESET",
                          "AcceptEx nth=2 -> pending code=ERROR_NETNAME_DELETED after=1ms",
                          "AcceptEx nth=3 -> error code=WSAECONNRESET", NULL}};
  cf_run("accept_retries_forced_resets", retry_main, NULL, &o);
}

static void many_main(void *arg) {
  (void)arg;
  lfix_t f;
  lfix_open(&f);
  SOCKET c = cf_connect(&f.addr);
  uint32_t before = fw_world_open_handles();
  accepted_t a;
  do_accept(&f, &a);
  expect_retried(&f, &a, 41, before);
  SIM_EXPECT(fw_fault_fired(cf_rule[0]) == 40);
  expect_connected(a.s, c);
  SIM_EXPECT(closesocket(a.s) == 0 && closesocket(c) == 0);
  lfix_close(&f);
}

/* @covers B94
 * No retry limit: forty resets, then the connection on socket 41. */
static void accept_retries_without_limit(void **state) {
  (void)state;
  cf_opts_t o = {.plan = {"AcceptEx nth=1 count=40 -> pending code=WSAECONNRESET", NULL}};
  cf_run("accept_retries_without_limit", many_main, NULL, &o);
}

static void natural_main(void *arg) {
  (void)arg;
  lfix_t f;
  lfix_open(&f);
  for (int i = 0; i < 3; i++) cf_reset_close(cf_connect(&f.addr));
  SOCKET c = cf_connect(&f.addr);
  uint32_t before = fw_world_open_handles();
  accepted_t a;
  do_accept(&f, &a);
  expect_retried(&f, &a, 4, before);
  expect_connected(a.s, c);
  SIM_EXPECT(closesocket(a.s) == 0 && closesocket(c) == 0);
  lfix_close(&f);
}

/* @covers B94 B18
 * The real thing, without a fault plan: three clients connect and reset
 * before Accept runs (SO_LINGER {1, 0}); on Windows each queued dead
 * connection completes an AcceptEx with STATUS_CONNECTION_RESET (F31), the
 * core retries, and the fourth, healthy client is the one accepted. */
static void accept_retries_real_resets(void **state) {
  (void)state;
  cf_opts_t o = {0};
  cf_run("accept_retries_real_resets", natural_main, NULL, &o);
}

/* ---- B95: everything else is returned ---------------------------------------------------- */

/* Accept failed after one attempt: the socket was closed, nothing leaked. */
static void expect_failed_once(const lfix_t *f, const accepted_t *a, int err, const char *errcall,
                               uint32_t tries_so_far, uint32_t handles_before) {
  SIM_EXPECT(a->err == err);
  SIM_EXPECT(strcmp(a->errcall, errcall) == 0);
  SIM_EXPECT(a->s == INVALID_SOCKET);
  SIM_EXPECT(a->rsan == 0);
  SIM_EXPECT(f->socks.n == tries_so_far);
  SIM_EXPECT(cf_closes.calls == tries_so_far);
  SIM_EXPECT(cf_closes.socks[tries_so_far - 1] == f->socks.made[tries_so_far - 1]);
  SIM_EXPECT(fw_world_open_handles() == handles_before);
}

static void other_main(void *arg) {
  (void)arg;
  lfix_t f;
  lfix_open(&f);
  SOCKET c = cf_connect(&f.addr);
  uint32_t before = fw_world_open_handles();
  accepted_t a;
  do_accept(&f, &a);
  expect_failed_once(&f, &a, WSAENOBUFS, "acceptex", 1, before);
  do_accept(&f, &a);
  expect_failed_once(&f, &a, WSAEOPNOTSUPP, "acceptex", 2, before);
  do_accept(&f, &a);
  SIM_EXPECT(a.err == 0 && f.socks.n == 3 && a.s == f.socks.made[2]);
  expect_connected(a.s, c);
  SIM_EXPECT(closesocket(a.s) == 0 && closesocket(c) == 0);
  lfix_close(&f);
}

/* @covers B95 B91 B15 B18
 * WSAENOBUFS by completion, then WSAEOPNOTSUPP inside the call: neither is
 * a reset, so each Accept returns it (errcall "acceptex") after closing its
 * one socket; the connection stays queued and the third Accept gets it. */
static void accept_other_errors_returned(void **state) {
  (void)state;
  cf_opts_t o = {.plan = {"AcceptEx nth=1 -> pending code=WSAENOBUFS",
                          "AcceptEx nth=2 -> error code=WSAEOPNOTSUPP", NULL}};
  cf_run("accept_other_errors_returned", other_main, NULL, &o);
}

static void deadline_main(void *arg) {
  (void)arg;
  lfix_t f;
  lfix_open(&f);
  uint32_t before = fw_world_open_handles();
  SIM_EXPECT(core_fd_set_read_deadline(f.fd, cf_after_ns(5000000)) == 0);
  accepted_t a;
  do_accept(&f, &a);
  expect_failed_once(&f, &a, CORE_EDEADLINE, "acceptex", 1, before);
  SIM_EXPECT(fw_fault_fired(cf_rule[0]) == 1);
  lfix_close(&f);
}

/* @covers B95 B22 B20 B21 B91
 * A deadline is not an Errno: an AcceptEx that only a cancel can end is
 * cancelled by the expired read deadline, Accept returns ErrDeadline-
 * Exceeded with errcall "acceptex" and does not retry. */
static void accept_deadline_not_retried(void **state) {
  (void)state;
  cf_opts_t o = {.plan = {"AcceptEx nth=1 -> cancel-wins", NULL}};
  cf_run("accept_deadline_not_retried", deadline_main, NULL, &o);
}

static void wine_main(void *arg) {
  (void)arg;
  lfix_t f;
  lfix_open(&f);
  cf_reset_close(cf_connect(&f.addr));
  uint32_t before = fw_world_open_handles();
  accepted_t a;
  do_accept(&f, &a);
  expect_failed_once(&f, &a, WSAENOTCONN, "acceptex", 1, before);
  lfix_close(&f);
}

/* @covers B95 B91
 * Wine 8.0's answer to a reset before a zero-length AcceptEx is
 * STATUS_INVALID_CONNECTION (W5), which the poller reports as WSAENOTCONN:
 * not a reset in Go's eyes, so Accept returns it.  The same program as
 * accept_retries_real_resets, under the wine8 personality. */
static void accept_reset_wine8_returned(void **state) {
  (void)state;
  cf_opts_t o = {.personality = FW_PERSONALITY_WINE8};
  cf_run("accept_reset_wine8_returned", wine_main, NULL, &o);
}

/* ---- B92: SO_UPDATE_ACCEPT_CONTEXT fails ------------------------------------------------ */

static void update_main(void *arg) {
  (void)arg;
  lfix_t f;
  lfix_open(&f);
  SOCKET c = cf_connect(&f.addr);
  uint32_t before = fw_world_open_handles();
  accepted_t a;
  do_accept(&f, &a);
  expect_failed_once(&f, &a, WSAEINVAL, "setsockopt", 1, before);
  SIM_EXPECT(fw_fault_fired(cf_rule[0]) == 1);
  SOCKET c2 = cf_connect(&f.addr);
  do_accept(&f, &a);
  SIM_EXPECT(a.err == 0 && f.socks.n == 2);
  expect_connected(a.s, c2);
  SIM_EXPECT(closesocket(a.s) == 0 && closesocket(c) == 0 && closesocket(c2) == 0);
  lfix_close(&f);
}

/* @covers B92 B95 B93
 * AcceptEx succeeds but the context update fails (Windows personality;
 * Wine 8.0 never fails it, W11): the accepted socket is closed, Accept
 * returns the error with errcall "setsockopt" and does not retry.  The next
 * connection is accepted normally. */
static void accept_update_context_fails(void **state) {
  (void)state;
  cf_opts_t o = {.plan = {"setsockopt nth=1 -> error code=WSAEINVAL", NULL}};
  cf_run("accept_update_context_fails", update_main, NULL, &o);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(accept_retries_forced_resets), cmocka_unit_test(accept_retries_without_limit),
    cmocka_unit_test(accept_retries_real_resets),   cmocka_unit_test(accept_other_errors_returned),
    cmocka_unit_test(accept_deadline_not_retried),  cmocka_unit_test(accept_reset_wine8_returned),
    cmocka_unit_test(accept_update_context_fails),
};

CF_MAIN(tests)
