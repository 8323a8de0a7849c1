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

#define BW_MSG 64
#define BW_CHUNK 65536

#endif
