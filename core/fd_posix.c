/* fd_posix.c: ports eofError (internal/poll/fd_posix.go, B108) and consume
 * (internal/poll/fd.go, B109). */
#include "core_int.h"

/* A read that asked for bytes and got none without an error is the end of
 * the stream, but only on FDs where an empty read means that: a zero-length
 * datagram is a valid message (zero_read_is_eof false).  An error is never
 * replaced, and n > 0 is never EOF. */
int core_eof_error(const struct core_fd *fd, size_t n, int err) {
  if (n == 0 && err == 0 && fd->zero_read_is_eof) return CORE_EOF;
  return err;
}

int core_fd_eof_error(const core_fd_t *fd, size_t n, int err) {
  return core_eof_error(fd, n, err);
}

/* Drops n bytes from the front of the list: whole leading buffers that n
 * covers (empty ones always) leave the list and are cleared in the
 * caller's array, the first buffer that n only partly covers is advanced
 * in place. */
void core_consume(core_iovec_t **bufs, size_t *nbufs, int64_t n) {
  while (*nbufs > 0) {
    core_iovec_t *v = &(*bufs)[0];
    int64_t ln0 = (int64_t)v->len;
    if (ln0 > n) {
      v->base += n;
      v->len -= (size_t)n;
      return;
    }
    n -= ln0;
    v->base = NULL;
    v->len = 0;
    (*bufs)++;
    (*nbufs)--;
  }
}
