/* wt_harness.h: the harness's side of a test program (tests/winetests/README.md). */
#ifndef WT_HARNESS_H
#define WT_HARNESS_H

#include <stddef.h>

/* One selected test function, with its arguments bound. */
typedef struct {
  const char *name;
  void (*run)(void);
} wt_entry_t;

/* Runs the entry named by argv[1] (or lists them with --list). */
int wt_main(int argc, char **argv, const wt_entry_t *entries, size_t n);

/* Reports that `api` is not modelled and ends the world: the rest of the
 * running entry is not run (wt_run.py counts its remaining sites so). */
void wt_not_run(const char *api) __attribute__((noreturn));

#endif
