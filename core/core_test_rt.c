/* core_test_rt.c: the part of core_test.h that reads the poller's state
 * (netpoll*.c); the rest is core_test.c. */
#include "core_int.h"

bool core_test_fd_parked(const core_fd_t *fd, int mode) {
  core_rt_pd_t *pd = fd->pd.runtime_ctx;
  return pd != NULL && core_rt_pd_parked(pd, mode);
}

HANDLE core_test_poll_port(void) {
  return core_rt_port();
}

bool core_test_is_runtime_handle(HANDLE h) {
  return core_rt_is_runtime_handle(h);
}
