/* core_errors.h: the core's single error space and its panic hook.
 *
 * Ports the error values of Go's internal/poll (fd.go, fd_windows.go) and
 * the Go-invented errno values (EINVAL, ESPIPE, EWINDOWS) of syscall on
 * Windows.  One integer space (STYLE.md rule 3):
 *   0           success
 *   > 0         a Win32 or Winsock error code exactly as the OS reported it
 *   < 0         one of the core's own errors below, with Go's text
 */
#ifndef IOCPSIM_CORE_ERRORS_H
#define IOCPSIM_CORE_ERRORS_H

/* X(name, value, text).  Values are stable: scenarios and traces name them. */
#define CORE_ERROR_LIST(X)                                                           \
  X(CORE_EOF, -1, "EOF")                                                             \
  X(CORE_ENETCLOSING, -2, "use of closed network connection")                        \
  X(CORE_EFILECLOSING, -3, "use of closed file")                                     \
  X(CORE_EDEADLINE, -4, "i/o timeout")                                               \
  X(CORE_ENODEADLINE, -5, "file type does not support deadline")                     \
  X(CORE_ENOTPOLLABLE, -6, "not pollable")                                           \
  X(CORE_EUNSUPPORTED, -7, "internal error: polling on unsupported descriptor type") \
  X(CORE_EUNKNOWNNET, -8, "internal error: unknown network type")                    \
  X(CORE_ETOOLARGE, -9, "packet is too large (only 1GB is allowed)")                 \
  X(CORE_EWAITUNSUPPORTED, -10, "waiting for unsupported file type")                 \
  X(CORE_EINVAL, -11, "invalid argument")                                            \
  X(CORE_ESPIPE, -12, "illegal seek")                                                \
  X(CORE_EWINDOWS, -13, "not supported by windows")                                  \
  X(CORE_EAFNOSUPPORT, -14, "address family not supported by protocol")

enum core_error {
#define CORE_ERROR_ENUM(name, value, text) name = value,
  CORE_ERROR_LIST(CORE_ERROR_ENUM)
#undef CORE_ERROR_ENUM
};

/* Text of err: Go's text for a core error, "errno N" style text for a
 * Win32/Winsock code ("Win32 error 995"), "success" for 0.  The returned
 * string is static or thread-local and stays valid until the next call on
 * the same thread. */
const char *core_strerror(int err);

/* Name of a core error ("CORE_EOF"), or NULL if err is not one. */
const char *core_error_name(int err);

/* Go's ErrDeadlineExceeded reports Timeout() and Temporary() true; the
 * closing errors report both false (fd.go). */
int core_error_is_timeout(int err);

/* Go panics become calls to the panic hook.  The hook must not return: the
 * default prints "panic: <msg>" to stderr and aborts; a test harness may
 * longjmp out of it (every core panic happens before the state it guards is
 * modified, as in Go).  If a hook returns, the core aborts. */
typedef void (*core_panic_fn)(const char *msg);
/* Returns the previous hook; NULL stands for the default. */
core_panic_fn core_set_panic_hook(core_panic_fn hook);

#endif
