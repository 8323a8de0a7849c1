/* core.h: public API of iocpsim's port of Go's internal/poll FD layer for
 * Windows (fd_windows.go of the Go 1.22 line, with fd_mutex.go,
 * fd_poll_runtime.go and the runtime's netpoll).  The spec is
 * spec/go-poll.md; B-numbers below refer to it.
 *
 * Conventions: every function returns an error in the single space of
 * core_errors.h (0, positive Win32 code, negative core error); byte counts
 * come back through out parameters.  A core_fd_t is created around an
 * existing handle, initialised with core_fd_init (Go's FD.Init) and must be
 * closed with core_fd_close before core_fd_free. */
#ifndef IOCPSIM_CORE_H
#define IOCPSIM_CORE_H

#include "core_errors.h"
#include "core_types.h"

typedef struct core_fd core_fd_t;

/* ---- deadlines (fd_poll_runtime.go) ------------------------------------
 * t is an absolute time on the core_now() clock in nanoseconds; 0 is Go's
 * zero time.Time ("no deadline").  A t equal to now means "already expired"
 * (never "none"); a t in the past is expired before any syscall (B11).
 * FDs that are not pollable (every file, pipe and console) return
 * CORE_ENODEADLINE; a closed FD returns the closing error. */
int64_t core_now(void);
int core_fd_set_deadline(core_fd_t *fd, int64_t t);
int core_fd_set_read_deadline(core_fd_t *fd, int64_t t);
int core_fd_set_write_deadline(core_fd_t *fd, int64_t t);

/* IsPollDescriptor (test helper): true iff h is the poller's IOCP handle. */
bool core_is_poll_descriptor(HANDLE h);

/* ---- console hooks (console.c) ------------------------------------------
 * Go's ReadConsole variable (default ReadConsoleW) and a matching seam for
 * WriteConsoleW, so tests can script UTF-16 input and capture output. */
extern core_read_console_fn core_hook_read_console;
extern core_write_console_fn core_hook_write_console;

/* ---- FD methods (fd_windows.go) -----------------------------------------
 * Declared below by fd_windows.c's author. */

#endif
