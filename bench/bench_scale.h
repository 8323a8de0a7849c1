/* bench_scale.h: the scaling benchmark (bench_scale.c). */
#ifndef IOCPSIM_BENCH_SCALE_H
#define IOCPSIM_BENCH_SCALE_H

#include <stdbool.h>
#include <stdint.h>

/* Prints the scaling table; big adds the 10,000-size rows, a world of
 * 100,000 fake threads and one of 50,000 sockets. */
void bench_scale(bool big);
/* One row of the scheduling-point table (for profiling): --yield N
 * [strategy]; only: one strategy's name, or NULL for all. */
void bench_yield_one(uint32_t n, const char *only);

#endif
