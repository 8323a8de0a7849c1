/* fd_poll.c: ports internal/poll/fd_poll_runtime.go (the `unix || windows`
 * build of the Go 1.22 line, convertErr → ErrDeadlineExceeded): the FD's
 * pollDesc, a single runtime_ctx word, and the deadline setters.
 * Spec: go-poll.md §3.1.
 *
 * A NULL runtime_ctx means "not pollable" (every file, pipe and console
 * FD, golang/go#21172): prepare succeeds, wait fails, deadlines are not
 * supported, close/evict/wait_canceled do nothing. */
#include "core_int.h"

/* pollDesc.init: starts the poll server once per process, then associates
 * the FD's handle with the port.  0 or the Win32 error (B28, B30). */
int core_pd_init(core_poll_desc_t *pd, HANDLE sysfd) {
  core_rt_poll_server_init();
  core_rt_pd_t *ctx;
  int err = core_rt_poll_open(sysfd, &ctx);
  if (err != 0) return err;
  pd->runtime_ctx = ctx;
  return 0;
}

/* pollDesc.close: requires evict first (B35). */
void core_pd_close(core_poll_desc_t *pd) {
  if (pd->runtime_ctx == NULL) return;
  core_rt_poll_close(pd->runtime_ctx);
  pd->runtime_ctx = NULL;
}

/* pollDesc.evict: Close wakes every waiter with the closing error (B38). */
void core_pd_evict(core_poll_desc_t *pd) {
  if (pd->runtime_ctx == NULL) return;
  core_rt_poll_unblock(pd->runtime_ctx);
}

/* pollDesc.prepare: fails fast, before any syscall, on a closing FD or an
 * expired deadline (B11). */
int core_pd_prepare(core_poll_desc_t *pd, int mode, bool is_file) {
  if (pd->runtime_ctx == NULL) return 0;
  return core_pd_convert_err(core_rt_poll_reset(pd->runtime_ctx, mode), is_file);
}

int core_pd_wait(core_poll_desc_t *pd, int mode, bool is_file) {
  if (pd->runtime_ctx == NULL) return CORE_EWAITUNSUPPORTED;
  return core_pd_convert_err(core_rt_poll_wait(pd->runtime_ctx, mode), is_file);
}

/* After CancelIoEx: wait for the cancelled operation's own packet (B21). */
void core_pd_wait_canceled(core_poll_desc_t *pd, int mode) {
  if (pd->runtime_ctx == NULL) return;
  core_rt_poll_wait_canceled(pd->runtime_ctx, mode);
}

/* convertErr: the runtime's poll codes to the core's errors. */
int core_pd_convert_err(int res, bool is_file) {
  switch (res) {
    case CORE_POLL_NO_ERROR:
      return 0;
    case CORE_POLL_ERR_CLOSING:
      return core_err_closing(is_file);
    case CORE_POLL_ERR_TIMEOUT:
      return CORE_EDEADLINE;
    case CORE_POLL_ERR_NOT_POLLABLE:
      return CORE_ENOTPOLLABLE;
    default:
      core_panicf("unreachable: %d", res);
  }
}

/* time.Until(t) in nanoseconds, saturating like time.Time.Sub. */
static int64_t until(int64_t t) {
  int64_t now = core_now();
  if (now < 0 && t > INT64_MAX + now) return INT64_MAX;
  if (now > 0 && t < INT64_MIN + now) return INT64_MIN;
  return t - now;
}

/* setDeadlineImpl. */
static int set_deadline(core_fd_t *fd, int64_t t, int mode) {
  int64_t d = 0;
  if (t != 0) {
    d = until(t);
    /* A deadline of exactly now is expired, not "no deadline". */
    if (d == 0) d = -1;
  }
  int err = core_fd_incref(fd);
  if (err != 0) return err;
  if (fd->pd.runtime_ctx == NULL) {
    err = CORE_ENODEADLINE;
  } else {
    core_rt_poll_set_deadline(fd->pd.runtime_ctx, d, mode);
  }
  /* Go defers decref and drops its result. */
  (void)core_fd_decref(fd);
  return err;
}

int core_fd_set_deadline(core_fd_t *fd, int64_t t) {
  return set_deadline(fd, t, 'r' + 'w');
}

int core_fd_set_read_deadline(core_fd_t *fd, int64_t t) {
  return set_deadline(fd, t, 'r');
}

int core_fd_set_write_deadline(core_fd_t *fd, int64_t t) {
  return set_deadline(fd, t, 'w');
}

bool core_is_poll_descriptor(HANDLE h) {
  return core_rt_is_poll_descriptor(h);
}
