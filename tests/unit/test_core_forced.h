/* test_core_forced.h: helpers of the test_core_forced_*.c suites - the
 * core (core_fd_* on fakewin's sockets and files, with its real poller
 * thread) driven into the behaviours real Win32 cannot be made to show, by
 * the fault plan of fakewin/world/fw_world.h and by seeded scheduling.
 *
 * Every case is a program that runs as the main thread of fake worlds: the
 * host side (cf_run) plays it over many seeds, one fresh world and one fresh
 * core per seed, and asserts with cmocka on the results; inside a world the
 * program checks with SIM_EXPECT (cmocka's assertions must not jump out of
 * a fiber).  A failing world prints one line that reproduces it:
 *
 *   reproduce: IOCPSIM_SEED=17 build/native/tests/test_core_forced_cancel deadline_cancel_wins
 *
 * Environment (as tests/support/iocpsim_world.c):
 *   IOCPSIM_SEEDS=N      worlds per case instead of the case's own count
 *   IOCPSIM_SEED=S       exactly one world, seed S
 *   IOCPSIM_TRACE=PATH   JSONL trace of the world(s) (meant with IOCPSIM_SEED) */
#ifndef IOCPSIM_TEST_CORE_FORCED_H
#define IOCPSIM_TEST_CORE_FORCED_H

#include "iocpsim_test.h"

#include <stdio.h>
#include <string.h>

#include "core_test.h"
#include "fw_world.h"
#include "sim.h"

/* Worlds per case where scheduling matters (the issue asks for >= 100). */
#define CF_SEEDS 100

/* The test executable, for the reproduction line; set by each main. */
extern const char *cf_argv0;

#define CF_MAIN(tests)                                       \
  int main(int argc, char **argv) {                          \
    cf_argv0 = argv[0];                                      \
    return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL); \
  }

/* ---- host side ------------------------------------------------------------------ */

/* How the worlds of a case are set up.  Zero-initialised: Windows
 * personality, default network, no fault rules, CF_SEEDS seeds, the
 * engine's default step budget. */
#define CF_MAX_RULES 8
typedef struct cf_opts {
  fw_personality_t personality;
  const char *plan[CF_MAX_RULES]; /* fault rules in the text syntax; NULL ends the list */
  uint64_t seeds;                 /* 0: CF_SEEDS */
  uint64_t max_steps;             /* 0: the engine's default */
  bool tcp_non_ifs;               /* fw_world_set_tcp_ifs(false) (KB2568167) */
} cf_opts_t;

/* The ids of the plan's rules in the worlds being run, in plan order
 * (cf_rule[0] is the first line), for fw_fault_fired / fw_fault_matched
 * inside or right after a world. */
extern uint32_t cf_rule[CF_MAX_RULES];

/* Plays fn(arg) in one world per seed and asserts every world passed.  The
 * world configuration is reset and the plan cleared afterwards. */
void cf_run(const char *name, void (*fn)(void *), void *arg, const cf_opts_t *o);

/* One world of seed `seed` (trace to trace_path when non-NULL); returns its
 * status with *r filled (the caller frees it).  Configuration and plan stay
 * installed until cf_reset. */
void cf_setup(const cf_opts_t *o);
sim_status_t cf_run_one(void (*fn)(void *), void *arg, uint64_t seed, const cf_opts_t *o,
                        const char *trace_path, sim_result_t *r);
void cf_reset(void);
/* Prints the failure of world `seed` of case `name` with its reproduction line. */
void cf_report(const char *name, uint64_t seed, const sim_result_t *r);
/* The seeds a case should play: [*base, *base + *n), honouring the environment. */
void cf_seed_range(uint64_t dflt, uint64_t *base, uint64_t *n);

/* ---- traces (host side) ---------------------------------------------------------- */

/* The JSONL trace of a world, one line per event. */
typedef struct cf_trace {
  char **line;
  size_t n;
} cf_trace_t;
/* A fresh temporary path for a trace file (caller frees). */
char *cf_trace_path(void);
void cf_trace_load(const char *path, cf_trace_t *t);
void cf_trace_free(cf_trace_t *t);
/* Index of the first line at or after `from` that is a call of `call`
 * containing every fragment of `frags` (NULL-terminated, may be NULL);
 * t->n if none. */
size_t cf_trace_find(const cf_trace_t *t, size_t from, const char *call, const char *const *frags);
/* Number of calls of `call` in [from, to). */
size_t cf_trace_count(const cf_trace_t *t, size_t from, size_t to, const char *call);
/* The line of the first mark `label` (t->n if none). */
size_t cf_trace_mark(const cf_trace_t *t, uint32_t label);

/* cf_run with every world traced to a file: check(trace, why) must accept
 * each world's trace (why: one line for the report). */
typedef bool (*cf_trace_check_fn)(const cf_trace_t *t, char *why, size_t why_len);
void cf_run_traced(const char *name, void (*fn)(void *), void *arg, const cf_opts_t *o,
                   cf_trace_check_fn check);

/* ---- inside a world ---------------------------------------------------------------- */

/* A mark in the trace ("cf.mark", arg = label) that the host side finds with
 * cf_trace_find(t, 0, "cf.mark", (const char *[]){"\"label\":7", NULL}). */
void cf_mark(uint32_t label);

/* 127.0.0.1:port (host order). */
struct sockaddr_in cf_addr4(uint16_t port);
/* A listening TCP socket on 127.0.0.1:0 and its address. */
SOCKET cf_listener(struct sockaddr_in *addr);
/* A TCP client connected (blocking connect) to addr. */
SOCKET cf_connect(const struct sockaddr_in *addr);
/* A connected TCP pair through a throw-away listener. */
void cf_tcp_pair(SOCKET *client, SOCKET *server);
/* A UDP socket bound to 127.0.0.1:0 and its address. */
SOCKET cf_udp(struct sockaddr_in *addr);
/* Closes s with SO_LINGER {1, 0}: the connection is reset. */
void cf_reset_close(SOCKET s);

/* core_fd_new + core_fd_init expecting success. */
core_fd_t *cf_fd(HANDLE h, const char *net, bool pollable, bool is_stream, bool zero_read_is_eof);
core_fd_t *cf_tcp_fd(SOCKET s); /* "tcp", pollable, stream, EOF on 0 */
/* core_fd_close (expecting 0) + core_fd_free. */
void cf_close_free(core_fd_t *fd);

/* Sleeps (virtual time) until fd has a thread parked waiting in mode 'r' or 'w'. */
void cf_wait_parked(core_fd_t *fd, int mode);
/* An absolute core deadline `ns` from now. */
int64_t cf_after_ns(int64_t ns);

/* A fake thread running fn(arg); cf_join waits for it and closes it. */
HANDLE cf_thread(LPTHREAD_START_ROUTINE fn, void *arg);
void cf_join(HANDLE t);

/* recv until len bytes came (blocking). */
void cf_recv_all(SOCKET s, void *buf, int len);

/* Counts core_hook_close calls and remembers the sockets (then closes them
 * for real); cf_count_closes installs it. */
typedef struct cf_close_log {
  uint32_t calls;
  SOCKET socks[64];
} cf_close_log_t;
extern cf_close_log_t cf_closes;
void cf_count_closes(void);

/* Whether a socket handle still names an open socket. */
bool cf_socket_open(SOCKET s);

#endif
