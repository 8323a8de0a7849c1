/* deadline.c: core_deadline_after, the time.Now().Add(d) of Go's time
 * package for the deadlines of core.h.  Its own file so that tests which
 * link part of the core (a scripted pollDesc, the poller alone) get it
 * with whatever core_now they link. */
#include "core_int.h"

int64_t core_deadline_after(int64_t d) {
  int64_t now = core_now();
  int64_t t;
  if (d > 0 && now > INT64_MAX - d) {
    t = INT64_MAX;
  } else if (d < 0 && now < INT64_MIN - d) {
    t = INT64_MIN;
  } else {
    t = now + d;
  }
  /* 0 would read as "no deadline"; it can only be reached with d <= 0 from
   * a clock that is never 0, so it lies in the past, and so does -1. */
  return t == CORE_DEADLINE_NONE ? -1 : t;
}
