/* bench_core.h: the benchmarks that run the core (core/) or fakewin's
 * sockets, for iocpsim_bench.c.  Plain C, no Win32 header: the bench's main
 * file is compiled with _GNU_SOURCE, whose BSD types collide with fakewin's
 * <winsock2.h>, so everything Winsock lives in bench_core.c. */
#ifndef IOCPSIM_BENCH_CORE_H
#define IOCPSIM_BENCH_CORE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct bench_pingpong {
  double ns_per_rt;   /* wall-clock nanoseconds per round trip */
  double ops_per_sec; /* core_fd_read/core_fd_write calls (or raw calls) per wall second */
  uint64_t ops;       /* calls made in the timed part */
  uint64_t trace_hash;
  double steps_per_rt;  /* scheduling points per round trip (whole world) */
  double events_per_rt; /* trace events (Win32 calls, completions, switches) per round trip */
  bool ok;              /* the world passed and every message came back intact */
  char why[600];        /* when !ok */
} bench_pingpong_t;

/* TCP ping-pong through the core: one fake thread Writes `msg` bytes and
 * Reads them back on its FD, the other Reads and Writes back on its own;
 * both FDs are loopback sockets with Init("tcp", pollable=true) and the
 * core's poller thread runs between them.  One world, seeded scheduling,
 * trace hashed only.  Each core_fd_read / core_fd_write call is one op. */
void bench_core_pingpong(long rounds, uint32_t msg, uint64_t seed, bench_pingpong_t *out);

/* The same exchange on the same fake sockets without the core: blocking
 * WSASend / WSARecv (no OVERLAPPED) on both fake threads.  Each call is one op. */
void bench_raw_pingpong(long rounds, uint32_t msg, uint64_t seed, bench_pingpong_t *out);

/* Scaling (issue 15): P connection pairs in one world, each pair two fake
 * threads ping-ponging 64-byte messages through the core for `rounds`
 * round trips, all pairs at once; with `deadline`, a read deadline one hour
 * ahead is set before every core_fd_read (each takes the core's global
 * timer lock).  Each core_fd_read / core_fd_write is one op. */
typedef struct bench_pairs {
  double ns_per_op;    /* wall time of the exchange / ops */
  double steps_per_op; /* scheduling points of the whole world / ops */
  double setup_s;      /* world start to every pair connected, FDs made, threads created */
  double teardown_s;   /* exchange done to sim_run returned (closes, joins, world end) */
  uint64_t ops, trace_hash;
  bool ok;
  char why[600];
} bench_pairs_t;
void bench_core_pairs(uint32_t pairs, long rounds, bool deadline, uint64_t seed,
                      bench_pairs_t *out);

/* A world of 2 * pairs loopback TCP sockets (connect + accept, raw
 * Winsock), the ephemeral range starting at `ephemeral_first`; setup_s is
 * the connecting, teardown_s the world's end with every socket open. */
void bench_sockets(uint32_t pairs, uint16_t ephemeral_first, bench_pairs_t *out);

/* A world of n fake threads (CreateThread), each parked on an event. */
typedef struct bench_threads {
  uint32_t threads;      /* that started */
  double kib_per_thread; /* resident memory added per thread */
  double setup_s, teardown_s;
  bool ok;
  char why[600];
} bench_threads_t;
void bench_threads(uint32_t n, bench_threads_t *out);

long bench_rss_kib(void); /* VmRSS of the process, KiB; -1 if unknown */

#endif
