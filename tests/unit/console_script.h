/* console_script.h: a scripted console behind core_hook_read_console and
 * core_hook_write_console, shared by test_console.c (console.c alone) and
 * test_console_fd.c (through the FD).
 *
 * Read side: a list of steps, each a chunk of UTF-16 units (handed out over
 * as many ReadConsole calls as the caller's requests and an optional
 * per-call limit need; chunks are never merged), an empty chunk (one call
 * that returns 0 units: "no more input") or a failure with a given last
 * error.  Past the end of the script every call returns 0 units.
 *
 * Write side: captures the units the console accepted, with scripted
 * per-call 'written' counts and one injectable failure.
 *
 * Both record what each call was asked (up to CS_MAX_CALLS calls) and flag
 * calls with a wrong handle, a non-NULL input control or reserved pointer,
 * or an empty write; cs_uninstall fails the case if any happened. */
#ifndef IOCPSIM_CONSOLE_SCRIPT_H
#define IOCPSIM_CONSOLE_SCRIPT_H

#include "iocpsim_test.h"

#include "core_test.h"

#define CS_MAX_CALLS 64
#define CS_CAP_UNITS (1u << 17)

typedef struct cs_step {
  const uint16_t *u; /* NULL with n == 0: a 0-unit read */
  size_t n;
  DWORD fail;     /* nonzero: the call fails with this last error */
  bool fail_zero; /* the call fails with last error 0 */
} cs_step_t;

typedef struct cs_read_state {
  const core_console_t *console; /* whose readuint16 `at` is measured in */
  HANDLE handle;                 /* every call must pass this handle */
  const cs_step_t *steps;
  size_t nsteps;
  size_t step;
  size_t off;         /* units of steps[step] already handed out */
  size_t console_max; /* 0: no limit, else at most this many units per call */
  size_t calls;
  bool past_end; /* a call came after the last step */
  bool bad_args;
  DWORD toread[CS_MAX_CALLS];
  ptrdiff_t at[CS_MAX_CALLS]; /* where in readuint16 the call was asked to write */
  DWORD overclaim;            /* nonzero: report this many units read */
  void (*on_call)(void);      /* nonzero: called first in every call */
} cs_read_state_t;

typedef struct cs_write_state {
  HANDLE handle;
  uint16_t out[CS_CAP_UNITS]; /* every unit the console accepted, in order */
  size_t nout;
  size_t calls;
  DWORD towrite[CS_MAX_CALLS];
  uint16_t first[CS_MAX_CALLS]; /* first unit offered to each call */
  long written[CS_MAX_CALLS];   /* scripted per-call count; 0 = take everything */
  size_t fail_call;             /* 1-based call to fail; 0 = none */
  DWORD fail_err;
  bool bad_args;
  DWORD overreport;      /* nonzero: report this many written */
  void (*on_call)(void); /* nonzero: called first in every call */
} cs_write_state_t;

extern cs_read_state_t cs_rf;
extern cs_write_state_t cs_wf;

/* Installs both hooks (saving the previous ones) with empty state; calls
 * must pass handle h, and `at` is measured in c's readuint16. */
void cs_install(const core_console_t *c, HANDLE h);
/* Restores the saved hooks; fails the case if a call had bad arguments. */
void cs_uninstall(void);

/* Starts a read script from its first step (console_max is kept). */
void cs_script(const cs_step_t *steps, size_t n);
/* Forgets everything captured and scripted on the write side. */
void cs_reset_write(void);

/* Fails the case unless the captured output is exactly want[0..n). */
void cs_expect_out(const uint16_t *want, size_t n);
#define CS_EXPECT_OUT(...)                                \
  do {                                                    \
    static const uint16_t want_[] = {__VA_ARGS__};        \
    cs_expect_out(want_, sizeof want_ / sizeof want_[0]); \
  } while (0)

/* Valid UTF-8 (a NUL-terminated literal) to UTF-16; returns the units. */
size_t cs_to_utf16(const char *s, uint16_t *u);

#endif
