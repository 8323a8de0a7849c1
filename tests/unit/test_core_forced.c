/* test_core_forced.c: see test_core_forced.h. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen, getline, strdup */
#include "test_core_forced.h"

#include <inttypes.h>
#include <stdlib.h>

#include <ws2tcpip.h>

const char *cf_argv0 = "test_core_forced";
uint32_t cf_rule[CF_MAX_RULES];
cf_close_log_t cf_closes;

/* ---- host side ------------------------------------------------------------------ */

/* A panic of the core ends the world as a crash; the message goes into
 * the result (sim_fail never returns, as the hook must not). */
static void cf_panic(const char *msg) {
  sim_fail(SIM_STATUS_CRASH, "core panic: %s", msg);
}

typedef struct cf_ctx {
  void (*fn)(void *);
  void *arg;
} cf_ctx_t;

/* Every world starts the core afresh, as a new process would: package
 * init, extension pointers, hooks and the poller all belong to the world
 * before.  core_process_reset makes Win32 calls (SRW locks), so it runs in
 * the world's main fiber rather than in a host-side hook. */
static void cf_world_main(void *arg) {
  cf_ctx_t *c = arg;
  core_process_reset();
  core_set_panic_hook(cf_panic);
  memset(&cf_closes, 0, sizeof cf_closes);
  c->fn(c->arg);
}

void cf_seed_range(uint64_t dflt, uint64_t *base, uint64_t *n) {
  iocpsim_seed_range(dflt, base, n);
}

void cf_setup(const cf_opts_t *o) {
  fw_world_reset_config();
  fw_world_set_personality(o->personality);
  if (o->tcp_non_ifs) fw_world_set_tcp_ifs(false);
  memset(cf_rule, 0, sizeof cf_rule);
  for (size_t i = 0; i < CF_MAX_RULES && o->plan[i] != NULL; i++) {
    char err[256];
    cf_rule[i] = fw_fault_add_text(o->plan[i], err, sizeof err);
    if (cf_rule[i] == 0) fail_msg("fault rule rejected: %s: %s", o->plan[i], err);
  }
}

void cf_reset(void) {
  fw_world_reset_config();
  memset(cf_rule, 0, sizeof cf_rule);
}

sim_status_t cf_run_one(void (*fn)(void *), void *arg, uint64_t seed, const cf_opts_t *o,
                        const char *trace_path, sim_result_t *r) {
  cf_ctx_t c = {fn, arg};
  sim_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.seed = seed;
  cfg.max_steps = o->max_steps;
  cfg.trace_path = trace_path ? trace_path : getenv("IOCPSIM_TRACE");
  return sim_run(&cfg, cf_world_main, &c, r);
}

void cf_report(const char *name, uint64_t seed, const sim_result_t *r) {
  fprintf(stderr, "%s: world seed=%" PRIu64 " ended %s: %s\n%s", name, seed,
          sim_status_name(r->status), r->message, r->report ? r->report : "");
  fprintf(stderr, "reproduce: IOCPSIM_SEED=%" PRIu64 " %s %s\n", seed, cf_argv0, name);
  fflush(stderr);
}

void cf_run(const char *name, void (*fn)(void *), void *arg, const cf_opts_t *o) {
  uint64_t base, n;
  cf_seed_range(o->seeds ? o->seeds : CF_SEEDS, &base, &n);
  cf_setup(o);
  for (uint64_t seed = base; seed < base + n; seed++) {
    sim_result_t r;
    sim_status_t st = cf_run_one(fn, arg, seed, o, NULL, &r);
    if (st != SIM_STATUS_PASS) {
      cf_report(name, seed, &r);
      sim_result_free(&r);
      cf_reset();
      fail_msg("%s failed in the world of seed %" PRIu64, name, seed);
    }
    sim_result_free(&r);
  }
  cf_reset();
}

/* ---- traces ----------------------------------------------------------------------- */

char *cf_trace_path(void) {
  const char *dir = getenv("TMPDIR");
  if (dir == NULL || *dir == '\0') dir = "/tmp";
  size_t len = strlen(dir) + 64;
  char *p = malloc(len);
  assert_non_null(p);
  snprintf(p, len, "%s/iocpsim-forced-XXXXXX", dir);
  int fd = mkstemp(p);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  fclose(f);
  return p;
}

void cf_trace_load(const char *path, cf_trace_t *t) {
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  t->line = NULL;
  t->n = 0;
  size_t cap = 0;
  char *buf = NULL;
  size_t bufcap = 0;
  ssize_t len;
  while ((len = getline(&buf, &bufcap, f)) >= 0) {
    if (t->n == cap) {
      cap = cap ? 2 * cap : 256;
      t->line = realloc(t->line, cap * sizeof *t->line);
      assert_non_null(t->line);
    }
    t->line[t->n] = strdup(buf);
    assert_non_null(t->line[t->n]);
    t->n++;
  }
  free(buf);
  fclose(f);
}

void cf_trace_free(cf_trace_t *t) {
  for (size_t i = 0; i < t->n; i++) free(t->line[i]);
  free(t->line);
  t->line = NULL;
  t->n = 0;
}

static bool is_call(const char *line, const char *call) {
  char key[128];
  snprintf(key, sizeof key, "\"call\":\"%s\",", call);
  return strstr(line, key) != NULL;
}

size_t cf_trace_find(const cf_trace_t *t, size_t from, const char *call, const char *const *frags) {
  for (size_t i = from; i < t->n; i++) {
    if (!is_call(t->line[i], call)) continue;
    bool all = true;
    for (size_t k = 0; frags != NULL && frags[k] != NULL; k++) {
      if (strstr(t->line[i], frags[k]) == NULL) all = false;
    }
    if (all) return i;
  }
  return t->n;
}

size_t cf_trace_count(const cf_trace_t *t, size_t from, size_t to, const char *call) {
  size_t c = 0;
  for (size_t i = from; i < to && i < t->n; i++) {
    if (is_call(t->line[i], call)) c++;
  }
  return c;
}

size_t cf_trace_mark(const cf_trace_t *t, uint32_t label) {
  char frag[32];
  snprintf(frag, sizeof frag, "\"label\":%u}", (unsigned)label);
  const char *const frags[] = {frag, NULL};
  return cf_trace_find(t, 0, "cf.mark", frags);
}

void cf_run_traced(const char *name, void (*fn)(void *), void *arg, const cf_opts_t *o,
                   cf_trace_check_fn check) {
  uint64_t base, n;
  cf_seed_range(o->seeds ? o->seeds : CF_SEEDS, &base, &n);
  /* IOCPSIM_TRACE keeps the (last) world's trace where the user wants it */
  const char *keep = getenv("IOCPSIM_TRACE");
  char *path = keep != NULL && *keep != '\0' ? strdup(keep) : cf_trace_path();
  assert_non_null(path);
  cf_setup(o);
  for (uint64_t seed = base; seed < base + n; seed++) {
    sim_result_t r;
    sim_status_t st = cf_run_one(fn, arg, seed, o, path, &r);
    if (st != SIM_STATUS_PASS) {
      cf_report(name, seed, &r);
      sim_result_free(&r);
      cf_reset();
      fail_msg("%s failed in the world of seed %" PRIu64, name, seed);
    }
    sim_result_free(&r);
    cf_trace_t t;
    cf_trace_load(path, &t);
    char why[256] = "";
    bool ok = check(&t, why, sizeof why);
    cf_trace_free(&t);
    if (!ok) {
      fprintf(stderr, "%s: world seed=%" PRIu64 ": trace check failed: %s\n", name, seed, why);
      fprintf(stderr, "reproduce: IOCPSIM_SEED=%" PRIu64 " IOCPSIM_TRACE=trace.jsonl %s %s\n", seed,
              cf_argv0, name);
      cf_reset();
      fail_msg("%s: trace check failed for seed %" PRIu64, name, seed);
    }
  }
  cf_reset();
  if (keep == NULL || *keep == '\0') remove(path);
  free(path);
}

/* ---- inside a world ---------------------------------------------------------------- */

void cf_mark(uint32_t label) {
  static sim_tracepoint_t tp = {"cf.mark", {{"label", 'u'}}, 'u', 0};
  sim_trace_call(&tp, (const uint64_t[SIM_TRACE_MAX_ARGS]){label}, 0, 0);
}

struct sockaddr_in cf_addr4(uint16_t port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

SOCKET cf_listener(struct sockaddr_in *addr) {
  SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  SIM_EXPECT(l != INVALID_SOCKET);
  struct sockaddr_in a = cf_addr4(0);
  SIM_EXPECT(bind(l, (struct sockaddr *)&a, sizeof a) == 0);
  int len = sizeof a;
  SIM_EXPECT(getsockname(l, (struct sockaddr *)&a, &len) == 0);
  SIM_EXPECT(listen(l, 16) == 0);
  if (addr != NULL) *addr = a;
  return l;
}

SOCKET cf_connect(const struct sockaddr_in *addr) {
  SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  SIM_EXPECT(c != INVALID_SOCKET);
  SIM_EXPECT(connect(c, (const struct sockaddr *)addr, sizeof *addr) == 0);
  return c;
}

void cf_tcp_pair(SOCKET *client, SOCKET *server) {
  struct sockaddr_in a;
  SOCKET l = cf_listener(&a);
  *client = cf_connect(&a);
  *server = accept(l, NULL, NULL);
  SIM_EXPECT(*server != INVALID_SOCKET);
  SIM_EXPECT(closesocket(l) == 0);
}

SOCKET cf_udp(struct sockaddr_in *addr) {
  SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  SIM_EXPECT(s != INVALID_SOCKET);
  struct sockaddr_in a = cf_addr4(0);
  SIM_EXPECT(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
  int len = sizeof a;
  SIM_EXPECT(getsockname(s, (struct sockaddr *)&a, &len) == 0);
  if (addr != NULL) *addr = a;
  return s;
}

void cf_reset_close(SOCKET s) {
  struct linger lg = {1, 0};
  SIM_EXPECT(setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg) == 0);
  SIM_EXPECT(closesocket(s) == 0);
}

core_fd_t *cf_fd(HANDLE h, const char *net, bool pollable, bool is_stream, bool zero_read_is_eof) {
  core_fd_t *fd = NULL;
  SIM_EXPECT(core_fd_new(h, is_stream, zero_read_is_eof, &fd) == 0);
  const char *errcall = "unset";
  SIM_EXPECT(core_fd_init(fd, net, pollable, &errcall) == 0);
  SIM_EXPECT(strcmp(errcall, "") == 0);
  return fd;
}

core_fd_t *cf_tcp_fd(SOCKET s) {
  return cf_fd((HANDLE)s, "tcp", true, true, true);
}

void cf_close_free(core_fd_t *fd) {
  SIM_EXPECT(core_fd_close(fd) == 0);
  core_fd_free(fd);
}

void cf_wait_parked(core_fd_t *fd, int mode) {
  /* Sleep lets virtual time pass only when nothing else can run, so this
   * never outruns the thread it waits for; the bound is a hang guard. */
  for (int i = 0; i < 100000; i++) {
    if (core_test_fd_parked(fd, mode)) return;
    Sleep(0);
  }
  SIM_EXPECT(!"the operation never parked");
}

int64_t cf_after_ns(int64_t ns) {
  return core_deadline_after(ns);
}

HANDLE cf_thread(LPTHREAD_START_ROUTINE fn, void *arg) {
  HANDLE t = CreateThread(NULL, 0, fn, arg, 0, NULL);
  SIM_EXPECT(t != NULL);
  return t;
}

void cf_join(HANDLE t) {
  SIM_EXPECT(WaitForSingleObject(t, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(CloseHandle(t));
}

void cf_recv_all(SOCKET s, void *buf, int len) {
  char *p = buf;
  while (len > 0) {
    int n = recv(s, p, len, 0);
    SIM_EXPECT(n > 0);
    p += n;
    len -= n;
  }
}

static int WSAAPI counting_close(SOCKET s) {
  if (cf_closes.calls < sizeof cf_closes.socks / sizeof cf_closes.socks[0]) {
    cf_closes.socks[cf_closes.calls] = s;
  }
  cf_closes.calls++;
  return closesocket(s);
}

void cf_count_closes(void) {
  memset(&cf_closes, 0, sizeof cf_closes);
  core_hook_close = counting_close;
}

bool cf_socket_open(SOCKET s) {
  int type = 0;
  int len = sizeof type;
  return getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len) == 0;
}
