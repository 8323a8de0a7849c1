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

#endif
