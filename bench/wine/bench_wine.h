/* bench_wine.h: what the three programs of the Wine benchmark share
 * (docs/bench.md "Performance on Wine").  Each program takes
 *   pingpong N   N round trips of a 64-byte message over loopback TCP
 *   bulk M       M MiB from one end to the other in 64 KiB writes
 * and prints one line, the same in all three (the Go program too):
 *   pingpong N S       (N round trips in S seconds)
 *   bulk M S           (M MiB in S seconds)
 * Time is measured around the exchange only, after the connection is made. */
#ifndef IOCPSIM_BENCH_WINE_H
#define IOCPSIM_BENCH_WINE_H

#include <windows.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BW_MSG 64
#define BW_CHUNK 65536

/* Seconds on the performance counter. */
static inline double bw_now_s(void) {
  static LARGE_INTEGER f;
  LARGE_INTEGER c;
  if (f.QuadPart == 0) QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&c);
  return (double)c.QuadPart / (double)f.QuadPart;
}

/* A failed step ends the program (exit 1); the script prints no figure. */
static inline void bw_die(const char *prog, const char *what, int err) {
  fprintf(stderr, "%s: %s failed (%d)\n", prog, what, err);
  exit(1);
}

/* The command line: `pingpong N` or `bulk MIB`.  False after printing the
 * usage (the caller exits 64). */
static inline bool bw_args(const char *prog, int argc, char **argv, bool *bulk, long *count) {
  if (argc != 3 || (strcmp(argv[1], "pingpong") && strcmp(argv[1], "bulk"))) {
    fprintf(stderr, "usage: %s pingpong N | bulk MIB\n", prog);
    return false;
  }
  *bulk = strcmp(argv[1], "bulk") == 0;
  *count = atol(argv[2]);
  return true;
}

#endif
