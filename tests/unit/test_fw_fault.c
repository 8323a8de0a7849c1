/* test_fw_fault.c: the fault plan (DESIGN.md §4, docs/fakewin-io.md) -
 * matching by n-th call, windows, probability (deterministic per seed),
 * every outcome kind, the rejection of outcomes Windows cannot produce,
 * the text syntax and its column-accurate errors, fire counts and the
 * "fault" trace events.  Calls go to the test-only device of fw_testdev.h
 * (site TestIo) and to the fault sites fw_io.c and fw_iocp.c own
 * (SetFileCompletionNotificationModes, CreateIoCompletionPort). */
#include "iocpsim_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <winsock2.h>

#include "fw_testdev.h"

#define SENTINEL 0xdeadbeefu

static HANDLE new_port(void) {
  HANDLE p = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  SIM_EXPECT(p != NULL);
  return p;
}

static uint32_t add(const char *line) {
  char err[256];
  uint32_t id = fw_fault_add_text(line, err, sizeof err);
  if (id == 0) sim_fail(SIM_STATUS_EXPECT_FAILED, "rule '%s' rejected: %s", line, err);
  return id;
}

/* Host side: adds a rule that must be accepted. */
static uint32_t host_add(const char *line) {
  char err[256];
  uint32_t id = fw_fault_add_text(line, err, sizeof err);
  if (id == 0) print_message("rule '%s' rejected: %s\n", line, err);
  assert_int_not_equal(id, 0);
  return id;
}

/* One call: a read of a freshly pushed message; 1 if it failed with the
 * rule's error (a failed read leaves its message queued for later reads). */
static int read_once(HANDLE d) {
  char buf[16];
  DWORD n;
  testdev_push(d, "m", 1);
  if (testdev_read(d, buf, sizeof buf, &n, NULL)) return 0;
  SIM_EXPECT(GetLastError() == ERROR_BROKEN_PIPE);
  return 1;
}

/* ---- which calls fire
 * ----------------------------------------------------------------------------- */

static uint32_t fired_mask;
static void calls_main(void *arg) {
  int calls = (int)(intptr_t)arg;
  HANDLE d = testdev_open(FW_TYPE_FILE, false);
  fired_mask = 0;
  for (int i = 0; i < calls; i++) fired_mask |= (uint32_t)read_once(d) << i;
  SIM_EXPECT(CloseHandle(d));
}

static void run_calls(int calls) {
  sim_result_t r;
  sim_status_t st = testdev_run_one(calls_main, (void *)(intptr_t)calls, 0, &r);
  if (st != SIM_STATUS_PASS) print_message("%s\n", r.report);
  sim_result_free(&r);
  assert_int_equal(st, SIM_STATUS_PASS);
}

static void fault_nth_countdown_fires_only_the_nth_call(void **state) {
  (void)state;
  uint32_t id = host_add("TestIo nth=3 -> error code=ERROR_BROKEN_PIPE");
  run_calls(5);
  assert_int_equal(fired_mask, 1u << 2);
  assert_int_equal(fw_fault_fired(id), 1);
  assert_int_equal(fw_fault_matched(id), 5);
  fw_world_reset_config();
}

static void fault_from_n_fires_every_later_call(void **state) {
  (void)state;
  uint32_t id = host_add("TestIo from=4 -> error code=ERROR_BROKEN_PIPE");
  run_calls(6);
  assert_int_equal(fired_mask, 0x38u); /* calls 4, 5, 6 */
  assert_int_equal(fw_fault_fired(id), 3);
  fw_fault_clear();
  /* max= bounds a persistent rule */
  id = host_add("TestIo from=2 max=2 -> error code=ERROR_BROKEN_PIPE");
  run_calls(6);
  assert_int_equal(fired_mask, 0x06u); /* calls 2, 3 */
  assert_int_equal(fw_fault_fired(id), 2);
  assert_int_equal(fw_fault_matched(id), 6);
  fw_world_reset_config();
}

static void fault_n_consecutive_calls(void **state) {
  (void)state;
  uint32_t id = host_add("TestIo nth=2 count=1 -> error code=ERROR_BROKEN_PIPE");
  uint32_t id2 = host_add("TestIo nth=5 count=2 -> error code=ERROR_BROKEN_PIPE");
  run_calls(7);
  assert_int_equal(fired_mask, (1u << 1) | (1u << 4) | (1u << 5));
  assert_int_equal(fw_fault_fired(id), 1);
  assert_int_equal(fw_fault_fired(id2), 2);
  fw_world_reset_config();
}

/* One call gets one outcome: the first rule that fires wins, later rules
 * still count the call. */
static void fault_first_firing_rule_wins_and_later_rules_still_count(void **state) {
  (void)state;
  uint32_t a = host_add("TestIo nth=2 -> error code=ERROR_BROKEN_PIPE");
  uint32_t b = host_add("TestIo nth=2 -> error code=ERROR_OPERATION_ABORTED");
  uint32_t c = host_add("TestIo nth=3 -> error code=ERROR_BROKEN_PIPE");
  run_calls(3);
  assert_int_equal(fired_mask, 0x6u);
  assert_int_equal(fw_fault_fired(a), 1);
  assert_int_equal(fw_fault_fired(b), 0);
  assert_int_equal(fw_fault_matched(b), 3);
  assert_int_equal(fw_fault_fired(c), 1);
  fw_world_reset_config();
}

/* A probability draws one SIM_DECIDE_FAULT decision per candidate call: the
 * same seed fires the same calls, other seeds other calls. */
static uint64_t prob_mask;
static void prob_main(void *arg) {
  (void)arg;
  HANDLE d = testdev_open(FW_TYPE_FILE, false);
  prob_mask = 0;
  for (int i = 0; i < 64; i++) prob_mask |= (uint64_t)read_once(d) << i;
  SIM_EXPECT(CloseHandle(d));
}

static void fault_probability_is_deterministic_per_seed(void **state) {
  (void)state;
  uint32_t id = host_add("TestIo prob=1/2 -> error code=ERROR_BROKEN_PIPE");
  uint64_t masks[4];
  for (uint64_t seed = 0; seed < 4; seed++) {
    sim_result_t r1, r2;
    assert_int_equal(testdev_run_one(prob_main, NULL, seed, &r1), SIM_STATUS_PASS);
    uint64_t m = prob_mask;
    uint32_t fires = fw_fault_fired(id);
    assert_int_equal(testdev_run_one(prob_main, NULL, seed, &r2), SIM_STATUS_PASS);
    assert_true(prob_mask == m);
    assert_int_equal(fw_fault_fired(id), fires);
    assert_true(r1.trace_hash == r2.trace_hash);
    /* 1/2 over 64 reads: neither never nor always */
    assert_true(m != 0 && m != UINT64_MAX);
    masks[seed] = m;
    sim_result_free(&r1);
    sim_result_free(&r2);
  }
  assert_true(masks[0] != masks[1] || masks[0] != masks[2] || masks[0] != masks[3]);
  fw_world_reset_config();
}

/* ---- matchers
 * ------------------------------------------------------------------------------------- */

static void matchers_main(void *arg) {
  (void)arg;
  HANDLE a = testdev_open(FW_TYPE_FILE, false);
  HANDLE b = testdev_open(FW_TYPE_FILE, false);
  char line[128];
  snprintf(line, sizeof line, "TestIo handle=0x%llx -> error code=ERROR_BROKEN_PIPE",
           (unsigned long long)(uintptr_t)b);
  uint32_t by_handle = add(line);
  SIM_EXPECT(read_once(a) == 0 && read_once(b) == 1);
  SIM_EXPECT(fw_fault_matched(by_handle) == 1 && fw_fault_fired(by_handle) == 1);
  fw_fault_clear();
  /* object= is the object's serial: the world's creation order */
  fw_obj_t *oa;
  SIM_EXPECT(fw_handle_get(a, FW_TYPE_ANY, false, &oa) == 0);
  snprintf(line, sizeof line, "TestIo object=%u -> error code=ERROR_BROKEN_PIPE", oa->serial);
  uint32_t by_object = add(line);
  SIM_EXPECT(read_once(b) == 0 && read_once(a) == 1);
  SIM_EXPECT(fw_fault_matched(by_object) == 1 && fw_fault_fired(by_object) == 1);
  fw_fault_clear();
  /* op= with '*' */
  uint32_t by_op = add("* op=device nth=1 -> error code=ERROR_BROKEN_PIPE");
  SIM_EXPECT(read_once(b) == 1);
  SIM_EXPECT(fw_fault_fired(by_op) == 1);
  /* a rule for another site does not count these calls */
  fw_fault_clear();
  uint32_t other = add("ReadFile -> error code=ERROR_BROKEN_PIPE");
  SIM_EXPECT(read_once(a) == 0 && fw_fault_matched(other) == 0);
  fw_fault_clear();
  SIM_EXPECT(CloseHandle(a) && CloseHandle(b));
}

static void fault_matchers_handle_object_op_and_site(void **state) {
  (void)state;
  testdev_run(matchers_main, NULL, 3, FW_PERSONALITY_WINDOWS);
}

/* ---- outcomes
 * -------------------------------------------------------------------------------------- */

static void success_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE d = testdev_open(FW_TYPE_FILE, true);
  SIM_EXPECT(CreateIoCompletionPort(d, port, 1, 0) == port);
  add("TestIo nth=1 -> success bytes=5");
  testdev_push(d, "hello world", 11);
  char buf[16];
  OVERLAPPED o;
  memset(&o, 0, sizeof o);
  DWORD n = SENTINEL;
  SIM_EXPECT(testdev_read(d, buf, sizeof buf, &n, &o) && n == 5 && memcmp(buf, "hello", 5) == 0);
  SIM_EXPECT(o.Internal == 0 && o.InternalHigh == 5);
  ULONG_PTR key;
  OVERLAPPED *ov;
  SIM_EXPECT(GetQueuedCompletionStatus(port, &n, &key, &ov, 0) && n == 5 && ov == &o);
  /* a synchronous error on an overlapped call: nothing queued, Internal stays pending */
  add("TestIo nth=1 -> error code=ERROR_BROKEN_PIPE");
  memset(&o, 0, sizeof o);
  n = SENTINEL;
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, &n, &o), ERROR_BROKEN_PIPE);
  SIM_EXPECT(n == SENTINEL && o.Internal == 0x103);
  EXPECT_ERR(GetQueuedCompletionStatus(port, &n, &key, &ov, 0), WAIT_TIMEOUT);
  /* the immediate warning as an error outcome */
  add("TestIo nth=1 -> error code=ERROR_MORE_DATA bytes=2");
  memset(&o, 0, sizeof o);
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, &n, &o), ERROR_MORE_DATA);
  SIM_EXPECT(n == 2 && o.Internal == 0x80000005u && o.InternalHigh == 2);
  EXPECT_ERR(GetQueuedCompletionStatus(port, &n, &key, &ov, 0), ERROR_MORE_DATA);
  SIM_EXPECT(ov == &o && n == 2);
  fw_fault_clear();
  SIM_EXPECT(CloseHandle(d) && CloseHandle(port));
}

static void fault_outcomes_success_error_and_warning_inside_the_call(void **state) {
  (void)state;
  testdev_run(success_main, NULL, 3, FW_PERSONALITY_WINDOWS);
}

static void pending_main(void *arg) {
  (void)arg;
  HANDLE port = new_port();
  HANDLE s = testdev_open(FW_TYPE_SOCKET, true);
  SIM_EXPECT(CreateIoCompletionPort(s, port, 7, 0) == port);
  char buf[8];
  OVERLAPPED o;
  DWORD n;
  ULONG_PTR key;
  OVERLAPPED *ov;
  /* at an absolute virtual time */
  add("TestIo nth=1 -> pending status=STATUS_CONNECTION_RESET bytes=0 at=5ms");
  memset(&o, 0, sizeof o);
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  EXPECT_ERR(GetQueuedCompletionStatus(port, &n, &key, &ov, INFINITE), ERROR_NETNAME_DELETED);
  SIM_EXPECT(sim_now() == 5000000 && ov == &o && n == 0 && key == 7);
  DWORD flags;
  EXPECT_ERR(WSAGetOverlappedResult((SOCKET)(uintptr_t)s, &o, &n, FALSE, &flags), WSAECONNRESET);
  /* after a delay, given as an error code */
  add("TestIo nth=1 -> pending code=WSAECONNREFUSED after=250us");
  memset(&o, 0, sizeof o);
  uint64_t t0 = sim_now();
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  EXPECT_ERR(GetQueuedCompletionStatus(port, &n, &key, &ov, INFINITE), ERROR_CONNECTION_REFUSED);
  SIM_EXPECT(sim_now() - t0 == 250000 && o.Internal == 0xC0000236u);
  /* after another rule fires */
  add("TestIo nth=1 -> pending status=STATUS_SUCCESS bytes=0 after-rule=trigger");
  add("TestIo nth=2 name=trigger -> error code=WSAECONNRESET");
  memset(&o, 0, sizeof o);
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  EXPECT_ERR(GetQueuedCompletionStatus(port, &n, &key, &ov, 100), WAIT_TIMEOUT); /* nothing yet */
  OVERLAPPED o2;
  memset(&o2, 0, sizeof o2);
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, NULL, &o2), WSAECONNRESET); /* the trigger */
  SIM_EXPECT(GetQueuedCompletionStatus(port, &n, &key, &ov, INFINITE) && ov == &o);
  /* never: only a cancel ends it */
  fw_fault_clear();
  add("TestIo nth=1 -> pending never");
  memset(&o, 0, sizeof o);
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  EXPECT_ERR(GetQueuedCompletionStatus(port, &n, &key, &ov, 10000), WAIT_TIMEOUT);
  SIM_EXPECT(CancelIoEx(s, &o));
  EXPECT_ERR(GetQueuedCompletionStatus(port, &n, &key, &ov, 0), ERROR_OPERATION_ABORTED);
  /* default: at the next scheduling point */
  add("TestIo nth=1 -> pending bytes=0");
  memset(&o, 0, sizeof o);
  EXPECT_ERR(testdev_read(s, buf, sizeof buf, NULL, &o), ERROR_IO_PENDING);
  SIM_EXPECT(o.Internal == 0x103);
  SIM_EXPECT(GetQueuedCompletionStatus(port, &n, &key, &ov, INFINITE) && ov == &o);
  SIM_EXPECT(sim_now() == t0 + 250000 + 100000000 + 10000000000ull);
  fw_fault_clear();
  SIM_EXPECT(CloseHandle(s) && CloseHandle(port));
}

static void fault_outcomes_pending_at_after_after_rule_never_default(void **state) {
  (void)state;
  testdev_run(pending_main, NULL, 3, FW_PERSONALITY_WINDOWS);
}

static DWORD short_n[8];
static void short_main(void *arg) {
  (void)arg;
  HANDLE d = testdev_open(FW_TYPE_FILE, false);
  char buf[8];
  DWORD n = SENTINEL;
  add("TestIo nth=1 -> short bytes=2");
  testdev_push(d, "abcdef", 6);
  /* the device is message-mode: a short read of a message is a truncation */
  EXPECT_ERR(testdev_read(d, buf, sizeof buf, &n, NULL), ERROR_MORE_DATA);
  SIM_EXPECT(n == 2 && memcmp(buf, "ab", 2) == 0);
  SIM_EXPECT(testdev_read(d, buf, sizeof buf, &n, NULL) && n == 4);
  fw_fault_clear();
  add("TestIo -> short bytes=draw");
  for (int i = 0; i < 8; i++) {
    testdev_push(d, "0123456789", 10);
    n = SENTINEL;
    SIM_EXPECT(!testdev_read(d, buf, sizeof buf, &n, NULL) && GetLastError() == ERROR_MORE_DATA);
    SIM_EXPECT(n >= 1 && n <= 7); /* fewer than the 8 asked for */
    short_n[i] = n;
    fw_fault_clear();
    char rest[16];
    SIM_EXPECT(testdev_read(d, rest, sizeof rest, &n, NULL));
    add("TestIo -> short bytes=draw");
  }
  fw_fault_clear();
  SIM_EXPECT(CloseHandle(d));
}

static void fault_short_transfer_caps_or_draws_the_count(void **state) {
  (void)state;
  DWORD first[8];
  bool varied = false;
  for (uint64_t seed = 0; seed < 4; seed++) {
    sim_result_t r;
    sim_status_t st = testdev_run_one(short_main, NULL, seed, &r);
    if (st != SIM_STATUS_PASS) print_message("%s\n", r.report);
    sim_result_free(&r);
    assert_int_equal(st, SIM_STATUS_PASS);
    if (seed == 0)
      memcpy(first, short_n, sizeof first);
    else
      varied |= memcmp(first, short_n, sizeof first) != 0;
    for (int i = 1; i < 8; i++) varied |= short_n[i] != short_n[0];
  }
  assert_true(varied);
}

typedef struct peer_call {
  fw_fault_outcome_t what;
  HANDLE h;
  uint64_t at;
} peer_call_t;
static peer_call_t peer_calls[4];
static int n_peer_calls;

static void record_peer(fw_fault_outcome_t what, HANDLE h, fw_obj_t *o) {
  (void)o;
  if (n_peer_calls < 4) peer_calls[n_peer_calls++] = (peer_call_t){what, h, sim_now()};
}

static void peer_main(void *arg) {
  (void)arg;
  fw_fault_set_peer_hook(record_peer);
  n_peer_calls = 0;
  HANDLE s = testdev_open(FW_TYPE_SOCKET, false);
  add("TestIo nth=1 -> peer-rst after=2ms");
  testdev_push(s, "m", 1);
  char buf[4];
  DWORD n;
  SIM_EXPECT(testdev_read(s, buf, sizeof buf, &n, NULL)); /* the call itself does its default */
  SIM_EXPECT(n_peer_calls == 0);
  /* scheduling the fired fault again (as an owner may) does not double it */
  fw_fault_t f;
  memset(&f, 0, sizeof f);
  f.outcome = FW_FAULT_PEER_RST;
  f.peer_scheduled = true;
  fw_fault_schedule_peer(&f, s, NULL);
  Sleep(10);
  SIM_EXPECT(n_peer_calls == 2);
  SIM_EXPECT(peer_calls[0].what == FW_FAULT_PEER_RST && peer_calls[0].h == s &&
             peer_calls[0].at == 2000000);
  /* the world rule added before the run, for handle 0x104 at 7 ms */
  SIM_EXPECT(peer_calls[1].what == FW_FAULT_PEER_FIN && peer_calls[1].h == (HANDLE)0x104 &&
             peer_calls[1].at == 7000000);
  SIM_EXPECT(CloseHandle(s));
  fw_fault_set_peer_hook(NULL);
}

static void fault_peer_fin_and_rst_reach_the_peer_hook_at_their_time(void **state) {
  (void)state;
  uint32_t w = host_add("world handle=0x104 -> peer-fin at=7ms");
  testdev_run(peer_main, NULL, 2, FW_PERSONALITY_WINDOWS);
  (void)w;
}

static void sites_main(void *arg) {
  (void)arg;
  fw_fault_t f;
  /* non-ifs and null are outcomes of their own sites */
  add("WSAEnumProtocolsW -> non-ifs");
  add("GetProcAddress proc=SetFileCompletionNotificationModes -> null");
  SIM_EXPECT(fw_fault_check(FW_SITE_WSAEnumProtocolsW, FW_OP_CONTROL, NULL, NULL, &f) &&
             f.outcome == FW_FAULT_NON_IFS);
  SIM_EXPECT(!fw_fault_check_proc("CreateIoCompletionPort", &f) && f.rule == 0);
  SIM_EXPECT(fw_fault_check_proc("SetFileCompletionNotificationModes", &f) &&
             f.outcome == FW_FAULT_NULL);
  fw_fault_clear();
  /* SetFileCompletionNotificationModes failing (B31): the modes stay off */
  HANDLE port = new_port();
  HANDLE d = testdev_open(FW_TYPE_FILE, true);
  SIM_EXPECT(CreateIoCompletionPort(d, port, 1, 0) == port);
  add("SetFileCompletionNotificationModes nth=1 -> error code=ERROR_INVALID_PARAMETER");
  EXPECT_ERR(SetFileCompletionNotificationModes(d, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS),
             ERROR_INVALID_PARAMETER);
  testdev_push(d, "a", 1);
  char buf[4];
  OVERLAPPED o;
  memset(&o, 0, sizeof o);
  SIM_EXPECT(testdev_read(d, buf, sizeof buf, NULL, &o));
  DWORD n;
  ULONG_PTR key;
  OVERLAPPED *ov;
  SIM_EXPECT(GetQueuedCompletionStatus(port, &n, &key, &ov, 0)); /* no skip: the packet came */
  SIM_EXPECT(
      SetFileCompletionNotificationModes(d, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS)); /* nth=1 only */
  /* CreateIoCompletionPort failing */
  add("CreateIoCompletionPort nth=1 -> error code=ERROR_NOT_ENOUGH_MEMORY");
  EXPECT_ERR(CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0) != NULL,
             ERROR_NOT_ENOUGH_MEMORY);
  fw_fault_clear();
  SIM_EXPECT(CloseHandle(d) && CloseHandle(port));
}

static void fault_non_ifs_null_sfcnm_and_port_creation_sites(void **state) {
  (void)state;
  testdev_run(sites_main, NULL, 2, FW_PERSONALITY_WINDOWS);
}

/* ---- validation
 * -------------------------------------------------------------------------------------- */

static const struct {
  const char *line, *why;
} rejected[] = {
    {"ConnectEx -> error code=ERROR_MORE_DATA",
     "ConnectEx cannot complete synchronously with ERROR_MORE_DATA: ERROR_MORE_DATA only comes "
     "from message-mode "
     "reads and datagram receives"},
    {"AcceptEx -> error code=WSAEMSGSIZE",
     "AcceptEx cannot fail with WSAEMSGSIZE: WSAEMSGSIZE only comes from datagram receives and "
     "oversized datagram "
     "sends"},
    {"WSARecv -> error code=ERROR_IO_PENDING",
     "a synchronous error cannot be ERROR_IO_PENDING: ERROR_IO_PENDING is how a call says it pends "
     "(use -> "
     "pending)"},
    {"WSARecv -> error code=WSA_IO_PENDING",
     "a synchronous error cannot be ERROR_IO_PENDING: ERROR_IO_PENDING is how a call says it pends "
     "(use -> "
     "pending)"},
    {"WSASend -> pending status=STATUS_BUFFER_OVERFLOW",
     "WSASend cannot complete with STATUS_BUFFER_OVERFLOW: it only comes from message-mode reads "
     "and datagram "
     "receives"},
    {"AcceptEx -> pending status=STATUS_END_OF_FILE",
     "AcceptEx cannot complete with STATUS_END_OF_FILE"},
    {"recv -> pending", "recv cannot pend: only overlapped calls return ERROR_IO_PENDING"},
    {"AcceptEx -> short bytes=1",
     "AcceptEx cannot make a short transfer: only receives, sends, reads and writes move a byte "
     "count"},
    {"WSARecv -> short bytes=0",
     "a short transfer moves at least 1 byte (bytes=0 would read as end of stream)"},
    {"ReadFile -> peer-rst",
     "ReadFile has no peer: peer-fin and peer-rst apply to connected sockets"},
    {"WSARecv -> non-ifs", "non-ifs applies only to WSAEnumProtocolsW, not WSARecv"},
    {"WSAStartup -> null", "null applies only to GetProcAddress, not WSAStartup"},
    {"WSAStartup -> error code=WSAECONNRESET", "WSAStartup cannot fail with WSAECONNRESET"},
    {"WSAStartup -> success",
     "WSAStartup cannot be forced to succeed: only calls that move data or complete an I/O can"},
    {"WSARecv -> success status=STATUS_CANCELLED",
     "a synchronous success completes with STATUS_SUCCESS, not STATUS_CANCELLED: use -> error for "
     "failures"},
    {"ConnectEx -> complete-before-cancel status=STATUS_BUFFER_OVERFLOW",
     "ConnectEx cannot complete with STATUS_BUFFER_OVERFLOW: it only comes from message-mode reads "
     "and datagram receives"},
    {"* -> error code=WSAECONNRESET", "a rule for every API ('*') needs op="},
    {"* op=accept -> error code=WSAEMSGSIZE",
     "accept cannot fail with WSAEMSGSIZE: WSAEMSGSIZE only comes from datagram receives and "
     "oversized datagram sends"},
    {"WSARecv op=send -> error code=WSAECONNRESET", "WSARecv is a recv call, never op=send"},
    {"WSARecv nth=2 from=3 -> error code=WSAECONNRESET", "nth= and from= exclude each other"},
    {"WSARecv count=2 -> error code=WSAECONNRESET",
     "count= needs nth= (the first call of the run)"},
    {"WSARecv proc=x -> error code=WSAECONNRESET", "proc= only matches GetProcAddress"},
    {"world -> peer-rst", "a world rule needs handle= (whose peer)"},
    {"WSARecv name=me -> pending after-rule=me", "rule 'me' cannot wait for its own fire"},
    {"WSARecv -> error", "-> error needs code=<error>"},
};

static void fault_rejects_outcomes_windows_cannot_produce(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof rejected / sizeof rejected[0]; i++) {
    char err[512];
    uint32_t id = fw_fault_add_text(rejected[i].line, err, sizeof err);
    if (id != 0 || strcmp(err, rejected[i].why) != 0)
      print_message("line '%s'\n  got      '%s'\n  expected '%s'\n", rejected[i].line, err,
                    rejected[i].why);
    assert_int_equal(id, 0);
    assert_string_equal(err, rejected[i].why);
  }
  assert_int_equal(fw_fault_rule_count(), 0);
  /* names are unique */
  host_add("WSARecv name=a -> error code=WSAECONNRESET");
  char err[256];
  assert_int_equal(fw_fault_add_text("WSASend name=a -> error code=WSAECONNRESET", err, sizeof err),
                   0);
  assert_string_equal(err, "a rule named 'a' exists already");
  fw_fault_clear();
}

static const char *const accepted[] = {
    "AcceptEx -> pending code=WSAECONNRESET",
    "AcceptEx -> pending code=ERROR_NETNAME_DELETED",
    "AcceptEx -> pending status=STATUS_CONNECTION_RESET",
    "AcceptEx -> success",
    "ConnectEx -> success bytes=4",
    "WSARecvFrom -> error code=WSAEMSGSIZE bytes=4",
    "WSARecv -> pending status=STATUS_BUFFER_OVERFLOW bytes=16",
    "ReadFile -> error code=ERROR_MORE_DATA bytes=4",
    "ReadFile -> pending status=STATUS_END_OF_FILE",
    "WriteFile -> error code=ERROR_NO_DATA",
    "WSAStartup -> error code=WSASYSNOTREADY",
    "SetFileCompletionNotificationModes -> error code=ERROR_INVALID_PARAMETER",
    "WSAEnumProtocolsW -> non-ifs",
    "GetProcAddress proc=SetFileCompletionNotificationModes -> null",
    "WSASend -> peer-rst at=1ms",
    "* op=recv -> pending status=STATUS_CONNECTION_RESET",
    "WSARecv -> complete-before-cancel bytes=3",
    /* an operation that failed on its own just before the cancel (F38, B23) */
    "ConnectEx -> complete-before-cancel status=STATUS_CONNECTION_REFUSED",
    "WSARecv -> complete-before-cancel status=STATUS_CONNECTION_RESET",
    "WSARecvFrom -> cancel-too-late status=STATUS_BUFFER_OVERFLOW bytes=8",
    "WSARecv -> cancel-too-late",
    "WSARecv -> cancel-wins",
    "ReadConsoleW -> short bytes=1",
};

static void fault_accepts_what_windows_can_produce(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) host_add(accepted[i]);
  assert_int_equal(fw_fault_rule_count(), sizeof accepted / sizeof accepted[0]);
  fw_fault_clear();
  /* the struct form: the same checks */
  fw_fault_rule_t r;
  fw_fault_rule_init(&r);
  r.site = FW_SITE_AcceptEx;
  r.outcome = FW_FAULT_ERROR;
  r.error = WSAEMSGSIZE;
  char why[256];
  assert_int_equal(fw_fault_add(&r, why, sizeof why), 0);
  r.error = WSAECONNRESET;
  assert_int_equal(fw_fault_add(&r, why, sizeof why), 1);
  fw_fault_clear();
}

/* ---- the text syntax
 * --------------------------------------------------------------------------------- */

static void fault_parser_reads_good_lines(void **state) {
  (void)state;
  fw_fault_rule_t r;
  size_t col = 99;
  char err[256];
  assert_true(fw_fault_parse(
      "WSARecv handle=0x104 nth=2 -> pending status=STATUS_CONNECTION_RESET bytes=0 at=5ms", &r,
      &col, err, sizeof err));
  assert_int_equal(col, 0);
  assert_int_equal(r.site, FW_SITE_WSARecv);
  assert_true(r.handle == 0x104);
  assert_int_equal(r.nth, 2);
  assert_int_equal(r.outcome, FW_FAULT_PENDING);
  assert_true(r.has_status && r.status == 0xC000020Du);
  assert_int_equal(r.bytes, 0);
  assert_int_equal(r.when, FW_WHEN_AT);
  assert_true(r.time_ns == 5000000);

  assert_true(fw_fault_parse("  * op=recv prob=1/8 max=3 name=r1 -> short bytes=draw  ", &r, &col,
                             err, sizeof err));
  assert_int_equal(r.site, FW_SITE_NONE);
  assert_int_equal(r.op, FW_OP_RECV);
  assert_true(r.prob_num == 1 && r.prob_den == 8 && r.max_fires == 3);
  assert_string_equal(r.name, "r1");
  assert_true(r.outcome == FW_FAULT_SHORT && r.bytes_draw);
  assert_true(r.handle == FW_FAULT_ANY_HANDLE);

  assert_true(fw_fault_parse("world handle=260 -> peer-rst at=1s # the peer goes away", &r, &col,
                             err, sizeof err));
  assert_true(r.site == FW_SITE_World && r.handle == 260 && r.outcome == FW_FAULT_PEER_RST);
  assert_true(r.time_ns == 1000000000ull);

  assert_true(fw_fault_parse("GetProcAddress proc=SetFileCompletionNotificationModes -> null", &r,
                             &col, err, sizeof err));
  assert_string_equal(r.proc, "SetFileCompletionNotificationModes");

  assert_true(fw_fault_parse("AcceptEx from=2 -> pending code=WSAECONNRESET after=250us", &r, &col,
                             err, sizeof err));
  assert_true(r.from == 2 && r.error == WSAECONNRESET && r.when == FW_WHEN_AFTER &&
              r.time_ns == 250000);

  assert_true(
      fw_fault_parse("ConnectEx -> pending status=0xC0000236 never", &r, &col, err, sizeof err));
  assert_true(r.status == 0xC0000236u && r.when == FW_WHEN_NEVER);

  assert_true(
      fw_fault_parse("WSASend nth=1 count=3 -> error code=10054", &r, &col, err, sizeof err));
  assert_true(r.count == 3 && r.error == 10054);

  assert_true(fw_fault_parse("TestIo -> pending now", &r, &col, err, sizeof err));
  assert_int_equal(r.when, FW_WHEN_NOW);

  assert_true(fw_fault_parse("WSARecv object=12 -> pending after-rule=other.rule-1 bytes=7", &r,
                             &col, err, sizeof err));
  assert_true(r.object == 12 && r.when == FW_WHEN_AFTER_RULE && r.bytes == 7);
  assert_string_equal(r.after_rule, "other.rule-1");
}

static const struct {
  const char *line;
  size_t col;
  const char *msg;
} bad_lines[] = {
    {"", 1, "expected an API name, '*' or 'world'"},
    {"   # only a comment", 4, "expected an API name, '*' or 'world'"},
    {"WSARecvv -> error", 1, "unknown API 'WSARecvv'"},
    {"WSARecv nth=2", 14, "expected '->' and an outcome"},
    {"WSARecv nth=x -> error", 13, "expected a decimal digit"},
    {"WSARecv handle=0x10g -> error", 20, "expected a hexadecimal digit"},
    {"WSARecv bogus=1 -> error", 9, "unknown matcher 'bogus='"},
    {"WSARecv nth -> error", 9,
     "expected a matcher (handle=, object=, op=, proc=, nth=, count=, from=, prob=, max=, name=) "
     "or '->', not 'nth'"},
    {"WSARecv nth= -> error", 13, "expected a value after 'nth='"},
    {"WSARecv nth=1 nth=2 -> error", 15, "duplicate 'nth='"},
    {"WSARecv op=frobnicate -> error", 12, "unknown op 'frobnicate'"},
    {"WSARecv prob=3/2 -> error", 14, "a probability cannot exceed 1"},
    {"WSARecv prob=1/0 -> error", 16, "the denominator of a probability cannot be 0"},
    {"WSARecv prob=half -> error", 14, "expected a probability as a ratio such as 1/8"},
    {"WSARecv name=a$b -> error", 15, "a name is made of letters, digits, '_', '-' and '.'"},
    {"WSARecv nth=99999999999 -> error", 13, "number too large (at most 4294967295)"},
    {"WSARecv ->", 11, "expected an outcome after '->'"},
    {"WSARecv -> explode", 12,
     "unknown outcome 'explode' (success, error, pending, short, complete-before-cancel, "
     "cancel-wins, "
     "cancel-too-late, peer-fin, peer-rst, non-ifs, null)"},
    {"WSARecv -> pending at=5parsecs", 24, "expected a time unit: ns, us, ms or s"},
    {"WSARecv -> pending at=ms", 23, "expected a duration such as 5ms (units ns, us, ms, s)"},
    {"WSARecv -> pending status=STATUS_NOPE", 27, "unknown status 'STATUS_NOPE'"},
    {"WSARecv -> error code=ERROR_NOPE", 23, "unknown error code 'ERROR_NOPE'"},
    {"WSARecv -> success code=WSAECONNRESET", 20, "success does not take 'code='"},
    {"WSARecv -> peer-rst now", 21, "peer-rst does not take 'now'"},
    {"WSARecv -> pending at=1ms after=2ms", 27, "the completion time is given twice"},
    {"WSARecv -> pending bytes=1 bytes=2", 28, "duplicate 'bytes='"},
    {"WSARecv -> pending now=1", 23, "'now' takes no value"},
    {"WSARecv -> pending at", 22, "expected '=' after 'at'"},
    {"WSARecv -> pending flavour=salty", 20, "unknown parameter 'flavour'"},
    {"world handle=1 -> error code=WSAECONNRESET", 19,
     "a world rule's outcome is peer-fin or peer-rst"},
};

static void fault_parser_reports_exact_columns(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof bad_lines / sizeof bad_lines[0]; i++) {
    fw_fault_rule_t r;
    size_t col = 0;
    char err[256] = "";
    bool ok = fw_fault_parse(bad_lines[i].line, &r, &col, err, sizeof err);
    if (ok || col != bad_lines[i].col || strcmp(err, bad_lines[i].msg) != 0)
      print_message("line '%s'\n  got      col %zu '%s'\n  expected col %zu '%s'\n",
                    bad_lines[i].line, col, err, bad_lines[i].col, bad_lines[i].msg);
    assert_false(ok);
    assert_int_equal(col, bad_lines[i].col);
    assert_string_equal(err, bad_lines[i].msg);
  }
  /* fw_fault_add_text prefixes the column */
  char err[256];
  assert_int_equal(fw_fault_add_text("WSARecv -> explode", err, sizeof err), 0);
  assert_true(strncmp(err, "column 12: unknown outcome 'explode'", 36) == 0);
  assert_int_equal(fw_fault_rule_count(), 0);
}

static void fault_describe_round_trips_through_the_parser(void **state) {
  (void)state;
  const char *lines[] = {
      "WSARecv handle=0x104 nth=2 count=3 name=x -> pending status=STATUS_CONNECTION_RESET bytes=9 "
      "at=5ms",
      "* op=send prob=1/8 max=2 -> short bytes=draw",
      "GetProcAddress proc=SetFileCompletionNotificationModes -> null",
      "AcceptEx from=3 -> pending status=STATUS_CANCELLED after-rule=x",
      "ReadFile object=4 -> error code=ERROR_MORE_DATA bytes=2",
      "TestIo -> pending now",
  };
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
    fw_fault_rule_t a, b;
    char err[256], text[256];
    size_t col;
    assert_true(fw_fault_parse(lines[i], &a, &col, err, sizeof err));
    uint32_t id = host_add(lines[i]);
    fw_fault_describe(id, text, sizeof text);
    if (!fw_fault_parse(text, &b, &col, err, sizeof err))
      print_message("'%s': col %zu %s\n", text, col, err);
    assert_true(fw_fault_parse(text, &b, &col, err, sizeof err));
    assert_memory_equal(&a, &b, sizeof a);
  }
  fw_fault_clear();
}

/* ---- counts and traces
 * ---------------------------------------------------------------------------------- */

static void trace_main(void *arg) {
  (void)arg;
  HANDLE d = testdev_open(FW_TYPE_FILE, false);
  for (int i = 0; i < 6; i++) (void)read_once(d);
  SIM_EXPECT(CloseHandle(d));
}

static int count_lines(const char *path, const char *needle) {
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char line[1024];
  int n = 0;
  while (fgets(line, sizeof line, f))
    if (strstr(line, needle)) n++;
  fclose(f);
  return n;
}

/* Every fire is a "fault" trace event naming the rule and the outcome; the
 * counts are per world and start again in the next one. */
static void fault_fires_are_counted_per_world_and_traced(void **state) {
  (void)state;
  uint32_t id = host_add("TestIo nth=2 count=3 -> error code=ERROR_BROKEN_PIPE");
  /* unique per process (the stack address differs from run to run); only
   * the file name depends on it, never the world */
  char path[96];
  snprintf(path, sizeof path, "/tmp/iocpsim-fault-trace-%p.jsonl", (void *)path);
  for (int world = 0; world < 2; world++) {
    sim_config_t cfg = {.seed = (uint64_t)world, .trace_path = path};
    sim_result_t r;
    sim_status_t st = sim_run(&cfg, trace_main, NULL, &r);
    if (st != SIM_STATUS_PASS) print_message("%s\n", r.report);
    sim_result_free(&r);
    assert_int_equal(st, SIM_STATUS_PASS);
    assert_int_equal(fw_fault_fired(id), 3); /* calls 2, 3, 4 of each world */
    char needle[64];
    snprintf(needle, sizeof needle, "\"call\":\"fault\",\"args\":{\"rule\":%u,", id);
    assert_int_equal(count_lines(path, needle), 3);
    assert_int_equal(count_lines(path, "\"outcome\":2,\"error\":109"), 3);
  }
  remove(path);
  fw_world_reset_config();
}

/* ---- the world configuration
 * ------------------------------------------------------------------------ */

static void config_main(void *arg) {
  (void)arg;
  SIM_EXPECT(fw_world_personality() == FW_PERSONALITY_WINE8); /* set on the host before the run */
  const fw_protocol_t *p;
  size_t n = fw_world_protocols(&p);
  SIM_EXPECT(n == 7); /* Wine 8.0's list: IP providers, then IPX/SPX (probe protocols_all) */
  for (size_t i = 0; i < n; i++) {
    if (p[i].address_family != 2 && p[i].address_family != 23) continue;
    bool tcp = p[i].protocol == 6;
    SIM_EXPECT(((p[i].service_flags1 & FW_XP1_IFS_HANDLES) != 0) == !tcp); /* non-IFS TCP only */
  }
  SIM_EXPECT(fw_world_net()->tcp_recv_buffer == 1000);
  /* the console script: chunks with cumulative ready times */
  size_t k;
  uint64_t at;
  const uint16_t *c = fw_world_console_chunk(0, &k, &at);
  SIM_EXPECT(c != NULL && k == 3 && c[0] == 'a' && at == 5);
  c = fw_world_console_chunk(1, &k, &at);
  SIM_EXPECT(c != NULL && k == 1 && c[0] == 0x263a && at == 12);
  SIM_EXPECT(fw_world_console_chunk(2, &k, &at) == NULL);
  /* captured output is the world's */
  size_t m = 99;
  (void)fw_world_console_output(FW_CONSOLE_STDOUT, &m);
  SIM_EXPECT(m == 0);
  const uint16_t hi[] = {'h', 'i'};
  fw_world_console_capture(FW_CONSOLE_STDOUT, hi, 2);
  fw_world_console_capture(FW_CONSOLE_STDERR, hi, 1);
  /* a setter inside the world changes this world too */
  fw_world_set_personality(FW_PERSONALITY_WINDOWS);
  SIM_EXPECT(fw_world_personality() == FW_PERSONALITY_WINDOWS);
}

static void config_after_main(void *arg) {
  (void)arg;
  /* the change made inside the last world persists; the output was reset */
  SIM_EXPECT(fw_world_personality() == FW_PERSONALITY_WINDOWS);
  size_t m = 99;
  (void)fw_world_console_output(FW_CONSOLE_STDOUT, &m);
  SIM_EXPECT(m == 0);
}

static void world_config_applies_to_the_next_worlds(void **state) {
  (void)state;
  fw_net_config_t net;
  fw_world_net_defaults(&net);
  assert_int_equal(net.tcp_send_buffer, 65536);
  assert_int_equal(net.udp_max_datagram, 65507);
  const fw_protocol_t *p;
  assert_int_equal(fw_world_protocols(&p), 4);
  assert_int_equal(p[0].service_flags1, 0x20066);
  assert_int_equal(p[1].service_flags1, 0x20609);
  assert_int_equal(fw_world_personality(), FW_PERSONALITY_WINDOWS);

  fw_world_set_personality(FW_PERSONALITY_WINE8);
  net.tcp_recv_buffer = 1000;
  fw_world_set_net(&net);
  fw_world_set_tcp_ifs(false);
  const uint16_t abc[] = {'a', 'b', 'c'}, smile[] = {0x263a};
  fw_world_console_input(abc, 3, 5);
  fw_world_console_input(smile, 1, 7);
  sim_result_t r;
  sim_status_t st = testdev_run_one(config_main, NULL, 0, &r);
  if (st != SIM_STATUS_PASS) print_message("%s\n", r.report);
  sim_result_free(&r);
  assert_int_equal(st, SIM_STATUS_PASS);
  /* after the world: its captured output is still readable */
  size_t n;
  const uint16_t *out = fw_world_console_output(FW_CONSOLE_STDOUT, &n);
  assert_int_equal(n, 2);
  assert_true(out[0] == 'h' && out[1] == 'i');
  (void)fw_world_console_output(FW_CONSOLE_STDERR, &n);
  assert_int_equal(n, 1);
  st = testdev_run_one(config_after_main, NULL, 0, &r);
  if (st != SIM_STATUS_PASS) print_message("%s\n", r.report);
  sim_result_free(&r);
  assert_int_equal(st, SIM_STATUS_PASS);
  /* reset: every default back */
  fw_world_reset_config();
  assert_int_equal(fw_world_net()->tcp_recv_buffer, 65536);
  assert_int_equal(fw_world_protocols(&p), 4);
  assert_int_equal(p[0].service_flags1, 0x20066);
  size_t k;
  assert_null(fw_world_console_chunk(0, &k, NULL));
  /* ... including the settings the files half keeps (W16 mode, console) */
  fw_world_set_async_eof(FW_ASYNC_EOF_PENDING);
  fw_console_config_t con;
  fw_world_console_defaults(&con);
  con.attached = false;
  con.read_limit = 7;
  fw_world_set_console(&con);
  fw_world_reset_config();
  assert_int_equal(fw_world_async_eof(), FW_ASYNC_EOF_DEFAULT);
  assert_true(fw_world_console()->attached);
  assert_int_equal(fw_world_console()->read_limit, 16384);
}

/* Every case leaves the process as it found it, even when it fails. */
static int reset_plan(void **state) {
  (void)state;
  fw_world_reset_config();
  return 0;
}

/* Device models register their fault sites (fw_site_register): the number
 * must lie in the device range and be free, the name must be new, and the
 * registered site's rules are checked against what it says it can do. */
static void device_site_registration(void **state) {
  (void)state;
  static const uint32_t errs[] = {ERROR_BROKEN_PIPE, FW_SITE_LIST_END};
  static const uint32_t sts[] = {STATUS_SUCCESS, FW_SITE_LIST_END};
  fw_site_desc_t d = {.site = FW_SITE_DEVICE_FIRST - 1,
                      .name = "OtherDev",
                      .caps = FW_SITE_CAN_FAIL,
                      .errors = errs,
                      .statuses = sts};
  char why[160];
  assert_false(fw_site_register(&d, why, sizeof why)); /* outside the range */
  d.site = (fw_site_t)60;
  assert_false(fw_site_register(&d, why, sizeof why)); /* TestIo's number */
  d.site = (fw_site_t)61;
  d.name = "TestIo";
  assert_false(fw_site_register(&d, why, sizeof why)); /* a device's name */
  d.name = "ReadFile";
  assert_false(fw_site_register(&d, why, sizeof why)); /* a built-in name */
  d.name = "OtherDev";
  d.caps = FW_SITE_CAN_FAIL | (1u << 7);
  assert_false(fw_site_register(&d, why, sizeof why)); /* not a device capability */
  d.caps = FW_SITE_CAN_FAIL;
  assert_true(fw_site_register(&d, why, sizeof why));
  assert_int_equal(fw_site_by_name("OtherDev"), 61);
  assert_string_equal(fw_site_name((fw_site_t)61), "OtherDev");
  /* Its rules: only what it declared. */
  host_add("OtherDev nth=1 -> error code=ERROR_BROKEN_PIPE");
  char err[256];
  assert_int_equal(fw_fault_add_text("OtherDev -> error code=ERROR_HANDLE_EOF", err, sizeof err),
                   0);
  assert_int_equal(fw_fault_add_text("OtherDev -> pending", err, sizeof err), 0);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(fault_nth_countdown_fires_only_the_nth_call, reset_plan),
      cmocka_unit_test_teardown(fault_from_n_fires_every_later_call, reset_plan),
      cmocka_unit_test_teardown(fault_n_consecutive_calls, reset_plan),
      cmocka_unit_test_teardown(fault_first_firing_rule_wins_and_later_rules_still_count,
                                reset_plan),
      cmocka_unit_test_teardown(fault_probability_is_deterministic_per_seed, reset_plan),
      cmocka_unit_test_teardown(fault_matchers_handle_object_op_and_site, reset_plan),
      cmocka_unit_test_teardown(fault_outcomes_success_error_and_warning_inside_the_call,
                                reset_plan),
      cmocka_unit_test_teardown(fault_outcomes_pending_at_after_after_rule_never_default,
                                reset_plan),
      cmocka_unit_test_teardown(fault_short_transfer_caps_or_draws_the_count, reset_plan),
      cmocka_unit_test_teardown(fault_peer_fin_and_rst_reach_the_peer_hook_at_their_time,
                                reset_plan),
      cmocka_unit_test_teardown(fault_non_ifs_null_sfcnm_and_port_creation_sites, reset_plan),
      cmocka_unit_test_teardown(fault_rejects_outcomes_windows_cannot_produce, reset_plan),
      cmocka_unit_test_teardown(fault_accepts_what_windows_can_produce, reset_plan),
      cmocka_unit_test_teardown(fault_parser_reads_good_lines, reset_plan),
      cmocka_unit_test_teardown(fault_parser_reports_exact_columns, reset_plan),
      cmocka_unit_test_teardown(fault_describe_round_trips_through_the_parser, reset_plan),
      cmocka_unit_test_teardown(fault_fires_are_counted_per_world_and_traced, reset_plan),
      cmocka_unit_test_teardown(world_config_applies_to_the_next_worlds, reset_plan),
      cmocka_unit_test_teardown(device_site_registration, reset_plan),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
