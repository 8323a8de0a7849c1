/* scn_interp.h: the seam between the scenario interpreter (scn_interp.c,
 * plain Win32 over the core) and the backend that hosts it (scn_fake.c:
 * the simulator and fakewin).  Private to sim/runner; no Win32 types. */
#ifndef IOCPSIM_SCN_INTERP_H
#define IOCPSIM_SCN_INTERP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scn.h"

typedef struct scn_interp scn_interp_t;

/* Made and freed outside the world; scn_interp_main is the world's main
 * thread. */
scn_interp_t *scn_interp_new(const scn_t *s);
void scn_interp_free(scn_interp_t *in);
void scn_interp_main(void *in);

/* After the run: the history in golden form (one string, lines ending in
 * '\n'; malloc'd), and the last `n` history events with virtual times as a
 * timeline (malloc'd). */
char *scn_interp_history(const scn_interp_t *in);
char *scn_interp_timeline(const scn_interp_t *in, unsigned n);
/* The history events in the order they happened across threads, one
 * "THREAD invoke|ok|fail TEXT" line each, without times (malloc'd): what
 * `--outcome-kind order` hashes (docs/explore.md §7). */
char *scn_interp_order(const scn_interp_t *in);
/* The handle value of the object named `name` as it is bound now; false
 * when no object of that name exists (yet). */
bool scn_interp_handle(const scn_interp_t *in, const char *name, uint64_t *value);
/* The names of the scenario's threads: 0 is "main" (the setup steps). */
const char *scn_interp_thread_name(const scn_interp_t *in, uint32_t idx);

/* ---- what the backend provides to the interpreter ---------------------- */

/* Nanoseconds since an arbitrary origin, read without a scheduling point
 * (the simulator's virtual clock). */
uint64_t scn_be_now(void);
/* Ends the run now as an expectation failure (never returns). */
void scn_be_fail(const char *msg) __attribute__((noreturn));
/* Adds a fault rule (text syntax, handles already substituted); false and a
 * message when rejected. */
bool scn_be_fault(const char *rule, char *err, size_t len);
/* Names the calling thread in reports and traces. */
void scn_be_name_thread(const char *name);
/* Marks a step in the trace: phase 0 = invoke, 1 = return. */
void scn_be_trace_step(int verb, uint32_t line, int phase, int64_t err, int64_t n);
/* Counts of what is still open in the world, for the invariants: handles
 * of the given type names ("socket", ...) not in the `before` snapshot. */
typedef struct scn_handle_snap {
  uint64_t *values;
  size_t n;
} scn_handle_snap_t;
void scn_be_handle_snapshot(scn_handle_snap_t *snap);
/* Writes a description of leaked handles into buf; returns how many. */
size_t scn_be_leaked_handles(const scn_handle_snap_t *before, char *buf, size_t len);
uint32_t scn_be_pending_io(void);
/* Serialise the interpreter's bookkeeping (history, object table, read
 * buffers) where the scenario's threads run truly in parallel (the real
 * backend, scn_real.c).  The fake backend's fibers never switch inside
 * bookkeeping, so there both are empty and add no scheduling point. */
void scn_be_lock(void);
void scn_be_unlock(void);
/* The name a scenario's file path (pipe false) or named pipe name (pipe
 * true) stands for in this world, written to out[0..cap): the fake world
 * takes it as written; the real backend maps files into a directory of the
 * run and gives pipes a name of the process. */
void scn_be_path(const char *path, bool pipe, char *out, size_t cap);
/* The serial number of the object an open handle value refers to, 0 when
 * the value is not open (no scheduling point).  Handle values are reused;
 * serials are not. */
uint32_t scn_be_handle_serial(uint64_t value);

#endif
