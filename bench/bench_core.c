/* bench_core.c: the core's TCP ping-pong and its raw-Winsock baseline (see
 * bench_core.h).  Both run one fake world each: fibers for the two sides
 * (and the core's poller thread), fakewin's loopback sockets, seeded
 * scheduling, the trace hashed and not written.  Wall time is measured
 * around the exchange only, after the connection and the FDs are set up. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime; not _GNU_SOURCE (see bench_core.h) */
#include "bench_core.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <winsock2.h>
#include <ws2tcpip.h>

#include "core_test.h"
#include "sim.h"

#define MSG_MAX 4096

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
