/* test_core_net_forced.c: core/core_net.c in fake worlds where the real
 * API cannot go: a connect that never finishes before the dial deadline,
 * an accepted socket that cannot join the completion port (Go then closes
 * the listener), and the Win32 call sequences of dial and accept read back
 * from the trace.  Native tier only (fault plan, traces, handle counts). */
#include "test_core_forced.h"

#include "core_net.h"

static core_sockaddr_t listen_addr(core_fd_t **ln) {
  SIM_EXPECT(core_net_listen("tcp", NULL, 0, ln) == 0);
  core_sockaddr_t la;
  SIM_EXPECT(core_net_local_addr(*ln, &la) == 0);
  return la;
}

/* ---- the dial deadline while ConnectEx is in flight ------------------------------------------ */

static void deadline_main(void *arg) {
  (void)arg;
  core_fd_t *ln = NULL;
  core_sockaddr_t la = listen_addr(&ln);
  /* A first connection, closed again, leaves its runtime pollDescs (two
   * semaphores each) in the poller's cache, as Go's pollcache keeps them;
   * the failing dial reuses one, so the handle count must come back. */
  core_fd_t *w = NULL, *ws = NULL;
  SIM_EXPECT(core_net_dial("tcp", &la, 0, &w) == 0);
  SIM_EXPECT(core_net_accept(ln, &ws, NULL) == 0);
  cf_close_free(ws);
  cf_close_free(w);
  cf_count_closes();
  uint32_t handles = fw_world_open_handles();
  int64_t deadline = cf_after_ns(50 * 1000 * 1000);
  core_fd_t *c = (core_fd_t *)&c;
  SIM_EXPECT(core_net_dial("tcp", &la, deadline, &c) == CORE_EDEADLINE);
  SIM_EXPECT(c == NULL);
  SIM_EXPECT(core_now() >= deadline);
  SIM_EXPECT(fw_fault_fired(cf_rule[0]) == 1);
  SIM_EXPECT(cf_closes.calls == 1);
  SIM_EXPECT(fw_world_open_handles() == handles); /* socket and semaphores gone */

  /* The next dial (the rule fires once) connects, and the deadline it was
   * given does not outlive the connect. */
  SIM_EXPECT(core_net_dial("tcp", &la, cf_after_ns(20 * 1000 * 1000), &c) == 0);
  core_fd_t *s = NULL;
  SIM_EXPECT(core_net_accept(ln, &s, NULL) == 0);
  Sleep(50);
  size_t n = 0;
  char buf[4];
  SIM_EXPECT(core_fd_write(c, "ok", 2, &n) == 0 && n == 2);
  SIM_EXPECT(core_fd_read(s, buf, sizeof buf, &n) == 0 && n == 2);
  cf_close_free(s);
  cf_close_free(c);
  cf_close_free(ln);
}

/* Dialer{Deadline} while the connect pends past the deadline: the write
 * deadline set for the connect cancels ConnectEx, the dial returns the
 * deadline error (Go: the context's error), the socket is closed, nothing
 * is left open. */
static void dial_deadline_cancels_connect(void **state) {
  (void)state;
  cf_opts_t o = {.plan = {"ConnectEx nth=2 -> cancel-wins", NULL}};
  cf_run("dial_deadline_cancels_connect", deadline_main, NULL, &o);
}

/* ---- accept when the new socket cannot join the port --------------------------------------------
 */

static void accept_init_main(void *arg) {
  (void)arg;
  core_fd_t *ln = NULL;
  core_sockaddr_t la = listen_addr(&ln);
  core_fd_t *c = NULL;
  SIM_EXPECT(core_net_dial("tcp", &la, 0, &c) == 0);
  cf_count_closes();
  core_fd_t *s = (core_fd_t *)&s;
  core_sockaddr_t from;
  SIM_EXPECT(core_net_accept(ln, &s, &from) == ERROR_INVALID_PARAMETER);
  SIM_EXPECT(fw_fault_fired(cf_rule[0]) == 1);
  SIM_EXPECT(s == NULL);
  SIM_EXPECT(from.kind == CORE_SA_NONE);
  /* Go's netFD.accept closes the listener, and (here, not in Go) the
   * accepted socket. */
  SIM_EXPECT(cf_closes.calls == 2);
  core_sockaddr_t sa;
  SIM_EXPECT(core_net_local_addr(ln, &sa) == CORE_ENETCLOSING);
  SIM_EXPECT(core_fd_close(ln) == CORE_ENETCLOSING);
  core_fd_free(ln);
  cf_close_free(c);
}

/* The accepted socket's Init fails (its association with the port):
 * core_net_accept returns that error and, as Go does, closes the
 * listener. */
static void accept_init_failure_closes_listener(void **state) {
  (void)state;
  /* CreateIoCompletionPort calls: 1 the port, 2 the listener, 3 the
   * dialer, 4 the accepted socket. */
  cf_opts_t o = {
      .plan = {"CreateIoCompletionPort nth=4 -> error code=ERROR_INVALID_PARAMETER", NULL}};
  cf_run("accept_init_failure_closes_listener", accept_init_main, NULL, &o);
}

/* ---- standard handles without a console -------------------------------------------------------
 */

static void std_main(void *arg) {
  (void)arg;
  /* Set inside the world (cf_run's setup restores the defaults first); it
   * applies at once, before anything asked for a standard handle. */
  fw_console_config_t c;
  fw_world_console_defaults(&c);
  c.attached = false;
  snprintf(c.std_path[1], sizeof c.std_path[1], "C:\\Temp\\stdout.txt");
  fw_world_set_console(&c);
  core_fd_t *in = NULL, *out = NULL;
  /* No console, nothing redirected: GetStdHandle gives NULL, which Go wraps
   * all the same (only INVALID_HANDLE_VALUE makes os.Stdin nil). */
  SIM_EXPECT(core_os_std(0, &in) == 0);
  SIM_EXPECT(core_fd_sysfd(in) == NULL);
  SIM_EXPECT(strcmp(core_fd_kind_name(in), "file") == 0);
  char buf[4];
  size_t n = 9;
  SIM_EXPECT(core_fd_read(in, buf, sizeof buf, &n) == ERROR_INVALID_HANDLE && n == 0);
  SIM_EXPECT(core_fd_close(in) == ERROR_INVALID_HANDLE);
  core_fd_free(in);
  /* Redirected to a file: kind "file", writes land in the file. */
  SIM_EXPECT(core_os_std(1, &out) == 0);
  SIM_EXPECT(strcmp(core_fd_kind_name(out), "file") == 0);
  SIM_EXPECT(core_fd_write(out, "log", 3, &n) == 0 && n == 3);
  cf_close_free(out);
  core_fd_t *f = NULL;
  SIM_EXPECT(core_os_open("C:\\Temp\\stdout.txt", CORE_O_RDONLY, 0, &f) == 0);
  SIM_EXPECT(core_fd_read(f, buf, sizeof buf, &n) == 0 && n == 3 && memcmp(buf, "log", 3) == 0);
  cf_close_free(f);
}

/* os.Stdin / os.Stdout of a process without a console: a NULL standard
 * handle and one redirected to a file are both wrapped as kind "file". */
static void std_handles_without_console(void **state) {
  (void)state;
  cf_opts_t o = {.seeds = 10};
  cf_run("std_handles_without_console", std_main, NULL, &o); /* cf_reset restores the console */
}

/* ---- the call sequences
 * ---------------------------------------------------------------------------- */

static void sequence_main(void *arg) {
  (void)arg;
  core_fd_t *ln = NULL;
  core_sockaddr_t la = listen_addr(&ln);
  cf_mark(1);
  core_fd_t *c = NULL, *s = NULL;
  SIM_EXPECT(core_net_dial("tcp", &la, 0, &c) == 0);
  cf_mark(2);
  SIM_EXPECT(core_net_accept(ln, &s, NULL) == 0);
  cf_mark(3);
  cf_close_free(s);
  cf_close_free(c);
  cf_close_free(ln);
}

typedef struct step {
  const char *call;
  const char *frag; /* NULL: any arguments */
} step_t;

/* The steps appear in this order between the marks (other calls may come
 * in between: locks, the poller, ConnectEx's lookup). */
static bool in_order(const cf_trace_t *t, size_t from, size_t to, const step_t *steps, char *why,
                     size_t len) {
  size_t at = from;
  for (const step_t *p = steps; p->call; p++) {
    const char *const frags[] = {p->frag, NULL};
    size_t i = cf_trace_find(t, at, p->call, p->frag ? frags : NULL);
    if (i >= to) {
      snprintf(why, len, "%s %s not found in order after line %zu", p->call, p->frag ? p->frag : "",
               at);
      return false;
    }
    at = i + 1;
  }
  return true;
}

static bool dial_accept_sequence(const cf_trace_t *t, char *why, size_t len) {
  size_t m1 = cf_trace_mark(t, 1), m2 = cf_trace_mark(t, 2), m3 = cf_trace_mark(t, 3);
  if (m3 == t->n) {
    snprintf(why, len, "marks missing");
    return false;
  }
  /* socket -> Init -> bind -> RTO ioctl -> ConnectEx -> update context ->
   * addresses -> newTCPConn's options */
  static const step_t dial[] = {
      {"WSASocketW", "\"flags\":\"0x81\""},
      {"CreateIoCompletionPort", NULL},
      {"bind", "\"port\":0"},
      {"WSAIoctl", "\"code\":\"0x98000011\""},
      {"ConnectEx", NULL},
      {"setsockopt", "\"name\":\"0x7010\""},
      {"getsockname", NULL},
      {"getpeername", NULL},
      {"setsockopt", "\"name\":\"0x1\""},
      {"setsockopt", "\"name\":\"0x8\""},
      {"WSAIoctl", "\"code\":\"0x98000004\""},
      {NULL, NULL},
  };
  if (!in_order(t, m1, m2, dial, why, len)) return false;
  /* the listener's family -> socket -> AcceptEx -> update context -> Init
   * -> the addresses -> newTCPConn's options */
  static const step_t accept[] = {
      {"getsockname", NULL},
      {"WSASocketW", "\"flags\":\"0x81\""},
      {"AcceptEx", NULL},
      {"setsockopt", "\"name\":\"0x700b\""},
      {"CreateIoCompletionPort", NULL},
      {"GetAcceptExSockaddrs", NULL},
      {"setsockopt", "\"name\":\"0x1\""},
      {"setsockopt", "\"name\":\"0x8\""},
      {"WSAIoctl", "\"code\":\"0x98000004\""},
      {NULL, NULL},
  };
  if (!in_order(t, m2, m3, accept, why, len)) return false;
  /* No listen-side option and no deadline syscall sneaked in. */
  if (cf_trace_count(t, m1, m2, "WSASocketW") != 1 ||
      cf_trace_count(t, m2, m3, "WSASocketW") != 1) {
    snprintf(why, len, "more than one socket per dial or accept");
    return false;
  }
  return true;
}

/* net.Dial and TCPListener.Accept make their Win32 calls in Go's order
 * (docs/core-net.md). */
static void dial_accept_call_sequence(void **state) {
  (void)state;
  cf_opts_t o = {.seeds = 10};
  cf_run_traced("dial_accept_call_sequence", sequence_main, NULL, &o, dial_accept_sequence);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(dial_deadline_cancels_connect),
    cmocka_unit_test(accept_init_failure_closes_listener),
    cmocka_unit_test(std_handles_without_console),
    cmocka_unit_test(dial_accept_call_sequence),
};

CF_MAIN(tests)
