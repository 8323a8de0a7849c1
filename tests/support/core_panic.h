/* core_panic.h: catch the core's panics (Go's panic/throw) in a test.
 *
 *   const char *msg;
 *   CORE_CATCH_PANIC(msg, core_fd_mutex_decref(&mu));
 *   assert_non_null(msg);                       // it panicked
 *   assert_non_null(strstr(msg, "inconsistent"));
 *
 * CORE_CATCH_PANIC(msg, stmt) runs stmt with the calling thread armed.  If
 * the core panics inside it, the hook records the message and longjmps
 * back; msg then points at the recorded text (thread-local, valid until
 * the next catch on this thread).  If stmt completes, msg is NULL.  A panic
 * on a thread that is not inside CORE_CATCH_PANIC (the poller thread, a
 * helper thread) prints and aborts as the default hook does, so the test
 * fails loudly.
 *
 * Safe because every core panic happens before the state it guards is
 * modified and with no lock held.  Values assigned inside stmt are
 * indeterminate after a panic unless the variable is volatile.  Header-only;
 * each translation unit that includes it has its own state. */
#ifndef IOCPSIM_CORE_PANIC_H
#define IOCPSIM_CORE_PANIC_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_errors.h"

typedef struct core_panic_catcher {
  jmp_buf env;
  bool armed;
  char msg[512];
} core_panic_catcher_t;

static _Thread_local core_panic_catcher_t core_panic_catcher;

static inline void core_panic_catch_hook(const char *msg) {
  core_panic_catcher_t *c = &core_panic_catcher;
  if (!c->armed) {
    fprintf(stderr, "panic (not inside CORE_CATCH_PANIC): %s\n", msg);
    fflush(stderr);
    abort();
  }
  c->armed = false;
  snprintf(c->msg, sizeof c->msg, "%s", msg);
  longjmp(c->env, 1);
}

/* Installs the hook (idempotent) and arms this thread; returns its jmp_buf. */
static inline jmp_buf *core_panic_arm(void) {
  core_set_panic_hook(core_panic_catch_hook);
  core_panic_catcher.msg[0] = '\0';
  core_panic_catcher.armed = true;
  return &core_panic_catcher.env;
}

static inline void core_panic_disarm(void) {
  core_panic_catcher.armed = false;
}

static inline const char *core_panic_message(void) {
  return core_panic_catcher.msg;
}

#define CORE_CATCH_PANIC(msgvar, stmt)           \
  do {                                           \
    jmp_buf *core_panic_env_ = core_panic_arm(); \
    if (setjmp(*core_panic_env_) == 0) {         \
      stmt;                                      \
      core_panic_disarm();                       \
      (msgvar) = NULL;                           \
    } else {                                     \
      (msgvar) = core_panic_message();           \
    }                                            \
  } while (0)

#endif
