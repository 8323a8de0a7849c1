/* fd_poll.h: the FD's pollDesc (fd_poll.c, a port of
 * internal/poll/fd_poll_runtime.go): one runtime_ctx word and the calls
 * that turn the runtime's poll codes into the core's errors. */
#ifndef IOCPSIM_FD_POLL_H
#define IOCPSIM_FD_POLL_H

#include "netpoll.h"

typedef struct core_poll_desc {
  core_rt_pd_t *runtime_ctx; /* NULL: not pollable */
} core_poll_desc_t;

/* pollDesc.init: starts the poll server once, then associates the
 * handle with the port (Go passes the FD; only its Sysfd is used).  0 or
 * the Win32 error (B28, B30). */
int core_pd_init(core_poll_desc_t *pd, HANDLE sysfd);
void core_pd_close(core_poll_desc_t *pd);
void core_pd_evict(core_poll_desc_t *pd);
int core_pd_prepare(core_poll_desc_t *pd, int mode, bool is_file);
int core_pd_wait(core_poll_desc_t *pd, int mode, bool is_file);
void core_pd_wait_canceled(core_poll_desc_t *pd, int mode);
/* convertErr: CORE_POLL_* to 0 / closing / CORE_EDEADLINE /
 * CORE_ENOTPOLLABLE; anything else panics "unreachable". */
int core_pd_convert_err(int res, bool is_file);

#endif
