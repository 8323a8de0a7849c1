/* bench_core.c: the core's TCP ping-pong and its raw-Winsock baseline (see
 * bench_core.h).  Both run one fake world each: fibers for the two sides
 * (and the core's poller thread), fakewin's loopback sockets, seeded
 * scheduling, the trace hashed and not written.  Wall time is measured
 * around the exchange only, after the connection and the FDs are set up. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime; not _GNU_SOURCE (see bench_core.h) */
#include "bench_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <winsock2.h>
#include <ws2tcpip.h>

#include "core_test.h"
#include "fw_world.h"
#include "sim.h"

#define MSG_MAX 4096
#define TCP_PAIRS_MSG 64

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One run's parameters and results, shared by its fibers. */
typedef struct pp {
  long rounds;
  uint32_t msg;
  bool use_core;
  core_fd_t *fa, *fb; /* the two ends, core flavour */
  SOCKET sa, sb;      /* the two ends, raw flavour */
  uint64_t ops;
  double t0, t1;
  bool bad;
  char why[160];
} pp_t;

static void bad(pp_t *p, const char *what, int err) {
  if (!p->bad) snprintf(p->why, sizeof p->why, "%s failed (%d)", what, err);
  p->bad = true;
}

/* Reads exactly len bytes; every call counts. */
static bool read_full(pp_t *p, int side, uint8_t *buf, uint32_t len) {
  uint32_t got = 0;
  while (got < len) {
    int err;
    size_t n = 0;
    if (p->use_core) {
      err = core_fd_read(side ? p->fb : p->fa, buf + got, len - got, &n);
    } else {
      WSABUF b = {len - got, (CHAR *)buf + got};
      DWORD nn = 0, flags = 0;
      err = WSARecv(side ? p->sb : p->sa, &b, 1, &nn, &flags, NULL, NULL) == 0 ? 0
                                                                               : WSAGetLastError();
      n = nn;
    }
    p->ops++;
    if (err != 0 || n == 0) {
      bad(p, "read", err);
      return false;
    }
    got += (uint32_t)n;
  }
  return true;
}

static bool write_full(pp_t *p, int side, const uint8_t *buf, uint32_t len) {
  int err;
  size_t n = 0;
  if (p->use_core) {
    /* Write loops until everything is written */
    err = core_fd_write(side ? p->fb : p->fa, buf, len, &n);
  } else {
    WSABUF b = {len, (CHAR *)buf};
    DWORD nn = 0;
    err = WSASend(side ? p->sb : p->sa, &b, 1, &nn, 0, NULL, NULL) == 0 ? 0 : WSAGetLastError();
    n = nn;
  }
  p->ops++;
  if (err != 0 || n != len) {
    bad(p, "write", err);
    return false;
  }
  return true;
}

static DWORD WINAPI echo_side(LPVOID arg) {
  pp_t *p = arg;
  uint8_t buf[MSG_MAX];
  for (long i = 0; i < p->rounds; i++) {
    if (!read_full(p, 1, buf, p->msg) || !write_full(p, 1, buf, p->msg)) break;
  }
  return 0;
}

static void pp_main(void *arg) {
  pp_t *p = arg;
  if (p->use_core) {
    core_process_reset();
    if (core_package_init() != 0) {
      bad(p, "package init", 0);
      return;
    }
  } else {
    WSADATA d;
    if (WSAStartup(0x0202, &d) != 0) {
      bad(p, "WSAStartup", 0);
      return;
    }
  }
  /* a loopback connection */
  SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int alen = sizeof a;
  if (l == INVALID_SOCKET || bind(l, (struct sockaddr *)&a, sizeof a) != 0 ||
      getsockname(l, (struct sockaddr *)&a, &alen) != 0 || listen(l, 1) != 0) {
    bad(p, "listener", WSAGetLastError());
    return;
  }
  p->sa = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (p->sa == INVALID_SOCKET || connect(p->sa, (struct sockaddr *)&a, sizeof a) != 0) {
    bad(p, "connect", WSAGetLastError());
    return;
  }
  p->sb = accept(l, NULL, NULL);
  closesocket(l);
  if (p->sb == INVALID_SOCKET) {
    bad(p, "accept", WSAGetLastError());
    return;
  }
  if (p->use_core) {
    const char *errcall;
    if (core_fd_new((HANDLE)p->sa, true, true, &p->fa) != 0 ||
        core_fd_new((HANDLE)p->sb, true, true, &p->fb) != 0 ||
        core_fd_init(p->fa, "tcp", true, &errcall) != 0 ||
        core_fd_init(p->fb, "tcp", true, &errcall) != 0) {
      bad(p, "core_fd_init", 0);
      return;
    }
  }
  HANDLE t = CreateThread(NULL, 0, echo_side, p, 0, NULL);
  uint8_t out[MSG_MAX], in[MSG_MAX];
  for (uint32_t i = 0; i < p->msg; i++) out[i] = (uint8_t)(i * 7u + 1u);
  p->t0 = now_ns();
  for (long i = 0; i < p->rounds; i++) {
    out[0] = (uint8_t)i;
    if (!write_full(p, 0, out, p->msg) || !read_full(p, 0, in, p->msg)) break;
    if (memcmp(in, out, p->msg) != 0) {
      bad(p, "echo (bytes differ)", 0);
      break;
    }
  }
  p->t1 = now_ns();
  WaitForSingleObject(t, INFINITE);
  CloseHandle(t);
  if (p->use_core) {
    core_fd_close(p->fa);
    core_fd_close(p->fb);
    core_fd_free(p->fa);
    core_fd_free(p->fb);
  } else {
    closesocket(p->sa);
    closesocket(p->sb);
  }
}

static void core_panic(const char *msg) {
  sim_fail(SIM_STATUS_CRASH, "core panic: %s", msg);
}

static void run(long rounds, uint32_t msg, uint64_t seed, bool use_core, bench_pingpong_t *out) {
  memset(out, 0, sizeof *out);
  if (msg == 0) msg = 1;
  if (msg > MSG_MAX) msg = MSG_MAX;
  pp_t p;
  memset(&p, 0, sizeof p);
  p.rounds = rounds;
  p.msg = msg;
  p.use_core = use_core;
  if (use_core) core_set_panic_hook(core_panic);
  sim_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.seed = seed;
  cfg.max_steps = UINT64_MAX;
  /* IOCPSIM_BENCH_TRACE=FILE: write the core ping-pong's trace (JSONL), to
   * count what a round trip costs; the figures are then not comparable. */
  if (use_core) cfg.trace_path = getenv("IOCPSIM_BENCH_TRACE");
  sim_result_t r;
  sim_status_t st = sim_run(&cfg, pp_main, &p, &r);
  out->trace_hash = r.trace_hash;
  out->ops = p.ops;
  if (rounds > 0) {
    out->steps_per_rt = (double)r.steps / (double)rounds;
    out->events_per_rt = (double)r.events / (double)rounds;
  }
  double dt = p.t1 - p.t0;
  if (rounds > 0 && dt > 0) {
    out->ns_per_rt = dt / (double)rounds;
    out->ops_per_sec = (double)p.ops / (dt / 1e9);
  }
  out->ok = st == SIM_STATUS_PASS && !p.bad;
  if (st != SIM_STATUS_PASS) {
    snprintf(out->why, sizeof out->why, "%.20s: %.500s", sim_status_name(st), r.message);
  } else if (p.bad) {
    snprintf(out->why, sizeof out->why, "%s", p.why);
  }
  sim_result_free(&r);
}

void bench_core_pingpong(long rounds, uint32_t msg, uint64_t seed, bench_pingpong_t *out) {
  run(rounds, msg, seed, true, out);
}

void bench_raw_pingpong(long rounds, uint32_t msg, uint64_t seed, bench_pingpong_t *out) {
  run(rounds, msg, seed, false, out);
}

/* ---- scaling: P connection pairs in one world ------------------------------------------ */

/* The scaling figures are CPU time of this (the only) thread: the machine
 * they are taken on is shared, and wall time there swings by 2x. */
static double cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Resident memory of the process, KiB (VmRSS), or -1. */
long bench_rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (f == NULL) return -1;
  char line[256];
  long v = -1;
  while (fgets(line, sizeof line, f) != NULL)
    if (sscanf(line, "VmRSS: %ld", &v) == 1) break;
  fclose(f);
  return v;
}

typedef struct pairs_world {
  uint32_t pairs;
  long rounds;
  bool deadline;
  core_fd_t **fd; /* 2 per pair: [2i] client, [2i+1] server */
  volatile LONG remaining;
  HANDLE done;
  uint64_t ops;
  double t_start, t_setup, t0, t1;
  bool bad;
  char why[160];
} pairs_world_t;

typedef struct pair_side {
  pairs_world_t *w;
  uint32_t i;
  bool echo;
} pair_side_t;

static bool pairs_read(pairs_world_t *w, core_fd_t *fd, uint8_t *buf, uint32_t len) {
  uint32_t got = 0;
  while (got < len) {
    if (w->deadline && core_fd_set_read_deadline(fd, core_now() + 3600ll * 1000000000ll) != 0)
      return false;
    size_t n = 0;
    int err = core_fd_read(fd, buf + got, len - got, &n);
    w->ops++;
    if (err != 0 || n == 0) return false;
    got += (uint32_t)n;
  }
  return true;
}

static DWORD WINAPI pair_side_main(LPVOID arg) {
  pair_side_t *s = arg;
  pairs_world_t *w = s->w;
  core_fd_t *fd = w->fd[2 * s->i + (s->echo ? 1 : 0)];
  uint8_t buf[TCP_PAIRS_MSG];
  for (uint32_t k = 0; k < TCP_PAIRS_MSG; k++) buf[k] = (uint8_t)(k + s->i);
  bool ok = true;
  for (long r = 0; ok && r < w->rounds; r++) {
    size_t n = 0;
    if (s->echo) {
      ok = pairs_read(w, fd, buf, TCP_PAIRS_MSG) && core_fd_write(fd, buf, TCP_PAIRS_MSG, &n) == 0;
    } else {
      ok = core_fd_write(fd, buf, TCP_PAIRS_MSG, &n) == 0 && pairs_read(w, fd, buf, TCP_PAIRS_MSG);
    }
    w->ops++;
  }
  if (!ok && !w->bad) {
    w->bad = true;
    snprintf(w->why, sizeof w->why, "pair %u (%s side) failed", (unsigned)s->i,
             s->echo ? "echo" : "client");
  }
  if (InterlockedDecrement(&w->remaining) == 0) SetEvent(w->done);
  return 0;
}

/* Connects `pairs` loopback TCP connections through one listener; the two
 * sockets of pair i land in out[2i] (client) and out[2i+1] (server). */
static bool connect_pairs(uint32_t pairs, SOCKET *out, char *why, size_t why_len) {
  SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int alen = sizeof a;
  if (l == INVALID_SOCKET || bind(l, (struct sockaddr *)&a, sizeof a) != 0 ||
      getsockname(l, (struct sockaddr *)&a, &alen) != 0 || listen(l, SOMAXCONN) != 0) {
    snprintf(why, why_len, "listener failed (%d)", WSAGetLastError());
    return false;
  }
  for (uint32_t i = 0; i < pairs; i++) {
    out[2 * i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (out[2 * i] == INVALID_SOCKET || connect(out[2 * i], (struct sockaddr *)&a, sizeof a) != 0) {
      snprintf(why, why_len, "connect #%u failed (%d)", (unsigned)i, WSAGetLastError());
      return false;
    }
    out[2 * i + 1] = accept(l, NULL, NULL);
    if (out[2 * i + 1] == INVALID_SOCKET) {
      snprintf(why, why_len, "accept #%u failed (%d)", (unsigned)i, WSAGetLastError());
      return false;
    }
  }
  closesocket(l);
  return true;
}

static void pairs_main(void *arg) {
  pairs_world_t *w = arg;
  w->t_start = cpu_ns();
  core_process_reset();
  if (core_package_init() != 0) {
    w->bad = true;
    snprintf(w->why, sizeof w->why, "package init failed");
    return;
  }
  uint32_t nfd = 2 * w->pairs;
  SOCKET *socks = calloc(nfd, sizeof *socks);
  w->fd = calloc(nfd, sizeof *w->fd);
  pair_side_t *sides = calloc(nfd, sizeof *sides);
  HANDLE *th = calloc(nfd, sizeof *th);
  if (socks == NULL || w->fd == NULL || sides == NULL || th == NULL) abort();
  if (!connect_pairs(w->pairs, socks, w->why, sizeof w->why)) {
    w->bad = true;
    return;
  }
  for (uint32_t i = 0; i < nfd; i++) {
    const char *errcall;
    if (core_fd_new((HANDLE)socks[i], true, true, &w->fd[i]) != 0 ||
        core_fd_init(w->fd[i], "tcp", true, &errcall) != 0) {
      w->bad = true;
      snprintf(w->why, sizeof w->why, "core_fd_init #%u failed", (unsigned)i);
      return;
    }
  }
  w->remaining = (LONG)nfd;
  w->done = CreateEventW(NULL, TRUE, FALSE, NULL);
  for (uint32_t i = 0; i < nfd; i++) {
    sides[i] = (pair_side_t){w, i / 2, (i & 1) != 0};
    th[i] = CreateThread(NULL, 0, pair_side_main, &sides[i], 0, NULL);
    if (th[i] == NULL) {
      w->bad = true;
      snprintf(w->why, sizeof w->why, "CreateThread #%u failed (%lu)", (unsigned)i,
               (unsigned long)GetLastError());
      return;
    }
  }
  w->t0 = cpu_ns();
  w->t_setup = w->t0 - w->t_start;
  WaitForSingleObject(w->done, INFINITE);
  w->t1 = cpu_ns();
  for (uint32_t i = 0; i < nfd; i++) {
    WaitForSingleObject(th[i], INFINITE);
    CloseHandle(th[i]);
    core_fd_close(w->fd[i]);
    core_fd_free(w->fd[i]);
  }
  CloseHandle(w->done);
  free(socks);
  free(w->fd);
  free(sides);
  free(th);
}

void bench_core_pairs(uint32_t pairs, long rounds, bool deadline, uint64_t seed,
                      bench_pairs_t *out) {
  memset(out, 0, sizeof *out);
  pairs_world_t w;
  memset(&w, 0, sizeof w);
  w.pairs = pairs;
  w.rounds = rounds;
  w.deadline = deadline;
  core_set_panic_hook(core_panic);
  sim_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.seed = seed;
  cfg.max_steps = UINT64_MAX;
  cfg.expect_fibers = 2 * pairs + 2;
  sim_result_t r;
  double t_run = cpu_ns();
  sim_status_t st = sim_run(&cfg, pairs_main, &w, &r);
  double t_end = cpu_ns();
  out->ok = st == SIM_STATUS_PASS && !w.bad;
  if (st != SIM_STATUS_PASS)
    snprintf(out->why, sizeof out->why, "%.20s: %.500s", sim_status_name(st), r.message);
  else if (w.bad)
    snprintf(out->why, sizeof out->why, "%s", w.why);
  if (out->ok && w.ops > 0) {
    out->ops = w.ops;
    out->ns_per_op = (w.t1 - w.t0) / (double)w.ops;
    out->setup_s = (w.t0 - t_run) / 1e9;
    out->teardown_s = (t_end - w.t1) / 1e9;
    out->steps_per_op = (double)r.steps / (double)w.ops;
    out->trace_hash = r.trace_hash;
  }
  sim_result_free(&r);
}

/* ---- scaling: a world of many sockets ---------------------------------------------------- */

typedef struct socks_world {
  uint32_t pairs;
  double t_connected;
  bool bad;
  char why[160];
} socks_world_t;

static void socks_main(void *arg) {
  socks_world_t *w = arg;
  WSADATA d;
  if (WSAStartup(0x0202, &d) != 0) {
    w->bad = true;
    snprintf(w->why, sizeof w->why, "WSAStartup failed");
    return;
  }
  SOCKET *s = calloc(2 * (size_t)w->pairs, sizeof *s);
  if (s == NULL) abort();
  if (!connect_pairs(w->pairs, s, w->why, sizeof w->why)) w->bad = true;
  w->t_connected = cpu_ns();
  /* left open: the world's end closes them (teardown is measured) */
  free(s);
}

void bench_sockets(uint32_t pairs, uint16_t ephemeral_first, bench_pairs_t *out) {
  memset(out, 0, sizeof *out);
  fw_net_config_t saved = *fw_world_net(), c = saved;
  c.ephemeral_first = ephemeral_first;
  fw_world_set_net(&c);
  socks_world_t w;
  memset(&w, 0, sizeof w);
  w.pairs = pairs;
  sim_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.max_steps = UINT64_MAX;
  sim_result_t r;
  double t0 = cpu_ns();
  sim_status_t st = sim_run(&cfg, socks_main, &w, &r);
  double t1 = cpu_ns();
  fw_world_set_net(&saved);
  out->ok = st == SIM_STATUS_PASS && !w.bad;
  if (st != SIM_STATUS_PASS)
    snprintf(out->why, sizeof out->why, "%.20s: %.500s", sim_status_name(st), r.message);
  else if (w.bad)
    snprintf(out->why, sizeof out->why, "%s", w.why);
  out->setup_s = (w.t_connected - t0) / 1e9;
  out->teardown_s = (t1 - w.t_connected) / 1e9;
  sim_result_free(&r);
}

/* ---- scaling: many fake threads ----------------------------------------------------------- */

typedef struct threads_world {
  uint32_t n;
  HANDLE go;
  volatile LONG started;
  long rss0, rss1;
  double t_created;
  bool bad;
  char why[160];
} threads_world_t;

static DWORD WINAPI parked_thread(LPVOID arg) {
  threads_world_t *w = arg;
  InterlockedIncrement(&w->started);
  WaitForSingleObject(w->go, INFINITE);
  return 0;
}

static void threads_main(void *arg) {
  threads_world_t *w = arg;
  w->go = CreateEventW(NULL, TRUE, FALSE, NULL);
  w->rss0 = bench_rss_kib();
  for (uint32_t i = 0; i < w->n; i++) {
    HANDLE h = CreateThread(NULL, 0, parked_thread, w, 0, NULL);
    if (h == NULL) {
      w->bad = true;
      snprintf(w->why, sizeof w->why, "CreateThread #%u failed (%lu)", (unsigned)i,
               (unsigned long)GetLastError());
      return;
    }
    CloseHandle(h);
  }
  while ((uint32_t)w->started < w->n) Sleep(1);
  w->rss1 = bench_rss_kib();
  w->t_created = cpu_ns();
  SetEvent(w->go); /* main returns: the threads are abandoned, the world ends */
}

void bench_threads(uint32_t n, bench_threads_t *out) {
  memset(out, 0, sizeof *out);
  threads_world_t w;
  memset(&w, 0, sizeof w);
  w.n = n;
  sim_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.max_steps = UINT64_MAX;
  cfg.expect_fibers = n + 1;
  sim_result_t r;
  double t0 = cpu_ns();
  sim_status_t st = sim_run(&cfg, threads_main, &w, &r);
  double t1 = cpu_ns();
  out->ok = st == SIM_STATUS_PASS && !w.bad;
  if (st != SIM_STATUS_PASS)
    snprintf(out->why, sizeof out->why, "%.20s: %.500s", sim_status_name(st), r.message);
  else if (w.bad)
    snprintf(out->why, sizeof out->why, "%s", w.why);
  out->threads = (uint32_t)w.started;
  out->kib_per_thread = n ? (double)(w.rss1 - w.rss0) / (double)n : 0;
  out->setup_s = (w.t_created - t0) / 1e9;
  out->teardown_s = (t1 - w.t_created) / 1e9;
  sim_result_free(&r);
}
