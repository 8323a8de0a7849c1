/* errors.c: the core's error texts (Go's fd.go error values and the
 * Go-invented errnos of syscall on Windows) and the panic hook. */
#include "core_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char *core_error_name(int err) {
  switch (err) {
#define CORE_ERROR_NAME(name, value, text) \
  case value:                              \
    return #name;
    CORE_ERROR_LIST(CORE_ERROR_NAME)
#undef CORE_ERROR_NAME
    default:
      return NULL;
  }
}

const char *core_strerror(int err) {
  static _Thread_local char buf[48];
  switch (err) {
#define CORE_ERROR_TEXT(name, value, text) \
  case value:                              \
    return text;
    CORE_ERROR_LIST(CORE_ERROR_TEXT)
#undef CORE_ERROR_TEXT
    case 0:
      return "success";
    default:
      break;
  }
  if (err > 0) {
    snprintf(buf, sizeof buf, "Win32 error %d", err);
  } else {
    snprintf(buf, sizeof buf, "unknown core error %d", err);
  }
  return buf;
}

int core_error_is_timeout(int err) {
  return err == CORE_EDEADLINE;
}

/* fd.go's errClosing: files (isFile, B27) and sockets report a closed FD
 * with different errors. */
int core_err_closing(bool is_file) {
  return is_file ? CORE_EFILECLOSING : CORE_ENETCLOSING;
}

#if defined(__GNUC__)
__attribute__((noreturn))
#endif
static void
default_panic(const char *msg) {
  fprintf(stderr, "panic: %s\n", msg);
  fflush(stderr);
  abort();
}

/* Written once by a test harness before threads start; read on panic. */
static core_panic_fn panic_hook = NULL; /* NULL: default_panic */

core_panic_fn core_set_panic_hook(core_panic_fn hook) {
  core_panic_fn old = panic_hook;
  panic_hook = hook;
  return old;
}

void core_panicf(const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (panic_hook) panic_hook(msg);
  /* A hook that returns would let the caller run on past a broken
   * invariant. */
  default_panic(msg);
}
