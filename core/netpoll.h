/* netpoll.h: the runtime poller (netpoll.c, netpoll_windows.c,
 * netpoll_timers.c) as internal/poll reaches it: the runtime_poll*
 * functions Go links in by name, the head every operation shares with the
 * poller (net_op), and the clock.  fd_poll.c and fd_windows.c use it; so
 * do the poller's own unit tests (tests/unit/test_netpoll.c), which drive
 * it with operations of their own.  docs/netpoll.md tells the story. */
#ifndef IOCPSIM_NETPOLL_H
#define IOCPSIM_NETPOLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

/* The runtime's pollDesc; opaque outside netpoll*.c (netpoll_int.h). */
typedef struct core_rt_pd core_rt_pd_t;

/* runtime poll error codes (pollNoError ... pollErrNotPollable). */
enum {
  CORE_POLL_NO_ERROR = 0,
  CORE_POLL_ERR_CLOSING = 1,
  CORE_POLL_ERR_TIMEOUT = 2,
  CORE_POLL_ERR_NOT_POLLABLE = 3
};

/* Monotonic time in nanoseconds (runtime nanotime), read through
 * QueryPerformanceCounter/Frequency so the fake world's virtual clock
 * drives it.  Never 0 (that is "no deadline" to core_fd_set_deadline). */
int64_t core_nanotime(void);
/* Its scaling, exposed for tests: ticks (>= 0) at freq (> 0) per second to
 * nanoseconds, exact where it fits, monotonic, saturating at INT64_MAX. */
int64_t core_rt_ticks_to_ns(int64_t ticks, int64_t freq);

/* The runtime_poll* functions.  mode is 'r' or 'w' ('r'+'w' for
 * set_deadline); d is relative: 0 none, < 0 expired, > 0 nanoseconds from
 * now.  Misuse panics with Go's throw texts ("runtime: double wait",
 * "runtime: close polldesc w/o unblock", "runtime: unblock on closing
 * polldesc", "runtime: blocked read/write on closing polldesc").
 * docs/netpoll.md describes who polls the port and the fake world's duties. */
void core_rt_poll_server_init(void);                 /* once per process; idempotent */
int core_rt_poll_open(HANDLE h, core_rt_pd_t **out); /* 0 or Win32 errno */
void core_rt_poll_close(core_rt_pd_t *pd);
int core_rt_poll_reset(core_rt_pd_t *pd, int mode); /* CORE_POLL_* */
int core_rt_poll_wait(core_rt_pd_t *pd, int mode);  /* CORE_POLL_* */
void core_rt_poll_wait_canceled(core_rt_pd_t *pd, int mode);
void core_rt_poll_set_deadline(core_rt_pd_t *pd, int64_t d, int mode);
void core_rt_poll_unblock(core_rt_pd_t *pd);
bool core_rt_is_poll_descriptor(HANDLE h);
/* Test helpers: true while a thread sleeps in a wait on that mode; the
 * poller's port (INVALID_HANDLE_VALUE before core_rt_poll_server_init), so
 * a test can post packets to it. */
bool core_rt_pd_parked(core_rt_pd_t *pd, int mode);
/* Test helper: how a thread sleeps in that mode's wait (docs/netpoll.md,
 * "Who polls the port"): polling the port as the leader, asleep on the
 * semaphore as a follower (or being handed the port), or not at all. */
enum { CORE_RT_AWAKE = 0, CORE_RT_LEADING = 1, CORE_RT_FOLLOWING = 2 };
int core_rt_pd_sleep(core_rt_pd_t *pd, int mode);
HANDLE core_rt_port(void);
/* Test helper: h is the port, the timer thread or its event (the
 * runtime's own objects, never closed). */
bool core_rt_is_runtime_handle(HANDLE h);
/* Test helper: number of queued deadline timers; *ok tells whether the
 * timer heap's ordering and bookkeeping invariants hold. */
size_t core_rt_timers_check(bool *ok);

/* The head of every overlapped operation (the runtime's net_op): the
 * OVERLAPPED must be the first field, since the OVERLAPPED* handed to the
 * kernel *is* the operation, and runtime_ctx must follow it, since the
 * poller compares that word with the packet's completion key and ignores
 * packets where they differ (golang/go#58870).  The poller writes errno_
 * and qty for every packet of the operation, then wakes its waiter. */
typedef struct core_net_op {
  OVERLAPPED o;
  core_rt_pd_t *runtime_ctx;
  int32_t mode;   /* 'r' or 'w' */
  int32_t errno_; /* written by the poller for every packet */
  DWORD qty;      /* written by the poller, and by the syscall on sync success */
} core_net_op_t;

/* netpoll.c: frees the pollDesc cache and timer heap and forgets the port
 * and timer thread, making no Win32 call (those objects die with their
 * world).  Only valid when no core call is in progress and the old world's
 * threads, the timer thread included, are gone; never on the real API. */
void core_rt_reset(void);

#endif
