/* test_core_forced_package.c: the package initialisation of fd_windows.go
 * (spec go-poll.md B1-B5) and its consequence for every pollable socket
 * (B31, B12/B13), in fake worlds whose Winsock and kernel32 misbehave the
 * way a real machine can but a test machine will not: WSAStartup failing,
 * kernel32 without SetFileCompletionNotificationModes, WSAEnumProtocols
 * failing, a non-IFS layered service provider on TCP (KB2568167), and
 * SetFileCompletionNotificationModes failing.
 *
 * How often the core called an API is read from the fault plan: a "probe"
 * rule whose window (nth=4000000) no world reaches never fires, but
 * fw_fault_matched counts every call that matched it.  Whether a
 * synchronous success waited for its completion packet is read from the
 * world's trace. */
#include "test_core_forced.h"

#include <ws2tcpip.h>

#define PROBE_SFCNM \
  "SetFileCompletionNotificationModes nth=4000000 -> error code=ERROR_INVALID_PARAMETER"
#define PROBE_ENUM "WSAEnumProtocolsW nth=4000000 -> error code=WSAENOBUFS"
#define PROBE_GPA "GetProcAddress proc=SetFileCompletionNotificationModes nth=4000000 -> null"

static uint32_t log_calls;
static void count_log(const char *net, core_fd_t *fd, int err) {
  (void)net;
  (void)fd;
  (void)err;
  log_calls++;
}

/* ---- B1 ------------------------------------------------------------------------------------ */

static void startup_fails_main(void *arg) {
  (void)arg;
  log_calls = 0;
  core_hook_log_init_fd = count_log;
  HANDLE h = CreateEventA(NULL, TRUE, FALSE, NULL);
  SIM_EXPECT(h != NULL);
  core_fd_t *fd = NULL;
  SIM_EXPECT(core_fd_new(h, true, true, &fd) == 0);
  const char *errcall = "unset";
  /* the first Init runs the package init, which fails */
  SIM_EXPECT(core_fd_init(fd, "tcp", true, &errcall) == WSASYSNOTREADY);
  SIM_EXPECT(strcmp(errcall, "") == 0);
  /* every later Init returns the same error before looking at the kind:
   * an unknown network is not reported, logInitFD is not called */
  SIM_EXPECT(core_fd_init(fd, "no-such-net", false, &errcall) == WSASYSNOTREADY);
  SIM_EXPECT(core_fd_init(fd, "file", false, &errcall) == WSASYSNOTREADY);
  SIM_EXPECT(core_fd_init(fd, "udp", true, &errcall) == WSASYSNOTREADY);
  SIM_EXPECT(core_package_init() == WSASYSNOTREADY);
  SIM_EXPECT(log_calls == 0);
  /* nothing joined a completion port: the poller was never started */
  SIM_EXPECT(core_test_poll_port() == INVALID_HANDLE_VALUE);
  /* WSAStartup ran once; the KB2568167 check still ran after it (it looked
   * the function up; its WSAEnumProtocolsW then fails, Winsock not being
   * started, so the optimisation is off) */
  SIM_EXPECT(fw_fault_fired(cf_rule[0]) == 1);
  SIM_EXPECT(fw_fault_matched(cf_rule[1]) == 1);
  SIM_EXPECT(!core_test_package_use_sfcnm());
  core_fd_free(fd);
  SIM_EXPECT(CloseHandle(h));
}

/* @covers B1 B29
 * WSAStartup fails (WSASYSNOTREADY): Init returns that error for every
 * later call - before kind parsing (an unknown network is not noticed) and
 * before logInitFD - and the package init is not retried. */
static void wsastartup_fails(void **state) {
  (void)state;
  cf_opts_t o = {.plan = {"WSAStartup -> error code=WSASYSNOTREADY", PROBE_GPA, NULL}};
  cf_run("wsastartup_fails", startup_fails_main, NULL, &o);
}

/* ---- an echo through the core, to show I/O works whatever was decided ---------------- */

static void echo(core_fd_t *fd, SOCKET peer) {
  SIM_EXPECT(send(peer, "hello", 5, 0) == 5);
  char buf[8];
  size_t n = 0;
  SIM_EXPECT(core_fd_read(fd, buf, sizeof buf, &n) == 0);
  SIM_EXPECT(n == 5 && memcmp(buf, "hello", 5) == 0);
  SIM_EXPECT(core_fd_write(fd, "world", 5, &n) == 0);
  SIM_EXPECT(n == 5);
  cf_recv_all(peer, buf, 5);
  SIM_EXPECT(memcmp(buf, "world", 5) == 0);
}

/* Opens a tcp FD, a udp FD and an ip FD (all pollable), checks each one's
 * skip flag against `skip`, echoes through the tcp one and closes all. */
static void fds_without_skip(bool skip) {
  SOCKET c, s;
  cf_tcp_pair(&c, &s);
  core_fd_t *t = cf_tcp_fd(s);
  core_fd_t *u = cf_fd((HANDLE)cf_udp(NULL), "udp", true, false, false);
  SOCKET is = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  core_fd_t *ip = cf_fd((HANDLE)is, "ip", true, true, true);
  SIM_EXPECT(core_test_fd_skip_sync_notif(t) == skip);
  SIM_EXPECT(core_test_fd_skip_sync_notif(u) == skip);
  SIM_EXPECT(!core_test_fd_skip_sync_notif(ip)); /* ip* never skips (B31) */
  echo(t, c);
  cf_close_free(t);
  cf_close_free(u);
  cf_close_free(ip);
  SIM_EXPECT(closesocket(c) == 0);
}

/* ---- B2, B3 --------------------------------------------------------------------------------- */

static void no_sfcnm_main(void *arg) {
  (void)arg;
  SIM_EXPECT(core_package_init() == 0);
  SIM_EXPECT(!core_test_package_use_sfcnm());
  SIM_EXPECT(fw_fault_fired(cf_rule[0]) == 1);
  /* B2 gives up before asking for the providers */
  SIM_EXPECT(fw_fault_matched(cf_rule[1]) == 0);
  fds_without_skip(false);
  /* and no FD ever asks for the notification modes */
  SIM_EXPECT(fw_fault_matched(cf_rule[2]) == 0);
}

/* @covers B2
 * kernel32 without SetFileCompletionNotificationModes (GetProcAddress
 * returns NULL): the optimisation is off before WSAEnumProtocols is even
 * asked; no FD calls the function, none skips packets, I/O works. */
static void sfcnm_not_exported(void **state) {
  (void)state;
  cf_opts_t o = {.plan = {"GetProcAddress proc=SetFileCompletionNotificationModes -> null",
                          PROBE_ENUM, PROBE_SFCNM, NULL}};
  cf_run("sfcnm_not_exported", no_sfcnm_main, NULL, &o);
}

static void enum_fails_main(void *arg) {
  (void)arg;
  SIM_EXPECT(core_package_init() == 0);
  SIM_EXPECT(!core_test_package_use_sfcnm());
  SIM_EXPECT(fw_fault_fired(cf_rule[0]) == 1);
  fds_without_skip(false);
  SIM_EXPECT(fw_fault_matched(cf_rule[1]) == 0);
}

/* @covers B3
 * WSAEnumProtocolsW({IPPROTO_TCP, 0}) fails: optimisation off, no FD
 * calls SetFileCompletionNotificationModes, I/O works. */
static void enum_protocols_fails(void **state) {
  (void)state;
  cf_opts_t o = {.plan = {"WSAEnumProtocolsW -> error code=WSAENOBUFS", PROBE_SFCNM, NULL}};
  cf_run("enum_protocols_fails", enum_fails_main, NULL, &o);
}

/* ---- B4 / B5 / B31 with the packet of a synchronous success ------------------------------- */

/* A read that finds its data already queued completes inside WSARecv.
 * Marks 1 and 2 bracket it in the trace. */
static void sync_success_read(void) {
  SOCKET c, s;
  cf_tcp_pair(&c, &s);
  core_fd_t *fd = cf_tcp_fd(s);
  SIM_EXPECT(send(c, "first", 5, 0) == 5);
  char buf[8];
  size_t n = 0;
  cf_mark(1);
  SIM_EXPECT(core_fd_read(fd, buf, sizeof buf, &n) == 0);
  cf_mark(2);
  SIM_EXPECT(n == 5 && memcmp(buf, "first", 5) == 0);
  /* the FD keeps working after that packet */
  echo(fd, c);
  cf_close_free(fd);
  SIM_EXPECT(closesocket(c) == 0);
}

/* The synchronous success queued its packet, and the read returned only
 * after the poller had fetched that packet's result (B13). */
static bool waited_for_packet(const cf_trace_t *t, char *why, size_t len) {
  size_t m1 = cf_trace_mark(t, 1), m2 = cf_trace_mark(t, 2);
  const char *const imm[] = {"\"immediate\":1", NULL};
  size_t c = cf_trace_find(t, m1, "IoCompletion", imm);
  if (m2 == t->n || c > m2) {
    snprintf(why, len, "no immediate completion between the marks");
    return false;
  }
  if (strstr(t->line[c], "\"packet\":1") == NULL) {
    snprintf(why, len, "the synchronous success queued no packet: %s", t->line[c]);
    return false;
  }
  if (cf_trace_find(t, c, "WSAGetOverlappedResult", NULL) > m2) {
    snprintf(why, len, "the read returned before the poller fetched its packet");
    return false;
  }
  return true;
}

/* The synchronous success queued no packet and the read returned without
 * the poller (B12). */
static bool skipped_packet(const cf_trace_t *t, char *why, size_t len) {
  size_t m1 = cf_trace_mark(t, 1), m2 = cf_trace_mark(t, 2);
  const char *const imm[] = {"\"immediate\":1", NULL};
  size_t c = cf_trace_find(t, m1, "IoCompletion", imm);
  if (m2 == t->n || c > m2) {
    snprintf(why, len, "no immediate completion between the marks");
    return false;
  }
  if (strstr(t->line[c], "\"packet\":0") == NULL) {
    snprintf(why, len, "a packet was queued: %s", t->line[c]);
    return false;
  }
  if (cf_trace_count(t, m1, m2, "WSAGetOverlappedResult") != 0) {
    snprintf(why, len, "the poller fetched a result during the read");
    return false;
  }
  return true;
}

static void non_ifs_main(void *arg) {
  (void)arg;
  SIM_EXPECT(core_package_init() == 0);
  SIM_EXPECT(!core_test_package_use_sfcnm());
  fds_without_skip(false);
  sync_success_read();
  SIM_EXPECT(fw_fault_matched(cf_rule[0]) == 0);
}

/* @covers B4 B13
 * KB2568167: the TCP providers lack XP1_IFS_HANDLES (the world's provider
 * list, as a non-IFS LSP would leave it).  The core never asks for
 * skip-on-success: SetFileCompletionNotificationModes is never called, and
 * a read that completes inside WSARecv still waits for its packet. */
static void non_ifs_provider_list(void **state) {
  (void)state;
  cf_opts_t o = {.plan = {PROBE_SFCNM, NULL}, .tcp_non_ifs = true};
  cf_run_traced("non_ifs_provider_list", non_ifs_main, NULL, &o, waited_for_packet);
}

/* @covers B4 B13
 * The same through the fault plan: WSAEnumProtocolsW -> non-ifs. */
static void non_ifs_provider_fault(void **state) {
  (void)state;
  cf_opts_t o = {.plan = {PROBE_SFCNM, "WSAEnumProtocolsW -> non-ifs", NULL}};
  cf_run_traced("non_ifs_provider_fault", non_ifs_main, NULL, &o, waited_for_packet);
}

static void ifs_main(void *arg) {
  (void)arg;
  SIM_EXPECT(core_package_init() == 0);
  SIM_EXPECT(core_test_package_use_sfcnm());
  fds_without_skip(true);
  /* every pollable Init asked, ip included (without the skip bit) */
  SIM_EXPECT(fw_fault_matched(cf_rule[0]) == 3);
  sync_success_read();
  SIM_EXPECT(fw_fault_matched(cf_rule[0]) == 4);
  /* decided once per process */
  SIM_EXPECT(fw_fault_matched(cf_rule[1]) == 1);
}

/* @covers B5 B12 B31
 * The contrast: all providers IFS (the default list) - the decision is
 * taken once, every pollable Init sets the modes, tcp and udp skip, and a
 * synchronous success queues no packet and returns without the poller. */
static void ifs_providers(void **state) {
  (void)state;
  cf_opts_t o = {.plan = {PROBE_SFCNM, PROBE_ENUM, NULL}};
  cf_run_traced("ifs_providers", ifs_main, NULL, &o, skipped_packet);
}

static void sfcnm_fails_main(void *arg) {
  (void)arg;
  SIM_EXPECT(core_package_init() == 0);
  SIM_EXPECT(core_test_package_use_sfcnm());
  /* Init ignores the failure; the FDs just do not skip */
  fds_without_skip(false);
  SIM_EXPECT(fw_fault_fired(cf_rule[0]) == 3);
  sync_success_read();
}

/* @covers B31 B13
 * SetFileCompletionNotificationModes fails (ERROR_INVALID_PARAMETER) for
 * every FD: Init still succeeds, skipSyncNotif stays false, and the packet
 * of a synchronous success is waited for and consumed; I/O works. */
static void sfcnm_fails(void **state) {
  (void)state;
  cf_opts_t o = {
      .plan = {"SetFileCompletionNotificationModes -> error code=ERROR_INVALID_PARAMETER", NULL}};
  cf_run_traced("sfcnm_fails", sfcnm_fails_main, NULL, &o, waited_for_packet);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(wsastartup_fails),
    cmocka_unit_test(sfcnm_not_exported),
    cmocka_unit_test(enum_protocols_fails),
    cmocka_unit_test(non_ifs_provider_list),
    cmocka_unit_test(non_ifs_provider_fault),
    cmocka_unit_test(ifs_providers),
    cmocka_unit_test(sfcnm_fails),
};

CF_MAIN(tests)
