/* test_fd_pipe.c: the FD on pipes (spec/go-poll.md B37, B43, B45-B47,
 * B57, B70, B72, B79, B96): blocking ReadFile/WriteFile under fd.l, Close
 * cancelling a blocked reader or writer, ESPIPE, end of stream.  Pipes are
 * initialised as os does it: "pipe", pollable=false. */
#include "test_fd_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct io_thread {
  core_fd_t *fd;
  char buf[64];
  const void *wbuf;
  size_t len;
  size_t n;
  int err;
  volatile LONG *seq; /* shared completion counter */
  LONG done_at;       /* value of *seq when this call returned */
} io_thread_t;

static DWORD WINAPI read_thread(LPVOID arg) {
  io_thread_t *t = arg;
  t->err = core_fd_read(t->fd, t->buf, t->len, &t->n);
  if (t->seq) t->done_at = InterlockedIncrement(t->seq);
  return 0;
}

static DWORD WINAPI write_thread(LPVOID arg) {
  io_thread_t *t = arg;
  t->err = core_fd_write(t->fd, t->wbuf, t->len, &t->n);
  if (t->seq) t->done_at = InterlockedIncrement(t->seq);
  return 0;
}

/* A blocking ReadFile/WriteFile cannot be observed from outside; give the
 * thread time to get into it.  Only liveness depends on this (a thread
 * that was not blocked yet makes the case hang and time out), never a
 * result. */
static void let_it_block(void) {
  Sleep(200);
}

/* @covers B37 B46
 * Close of a pipe whose reader is blocked in a synchronous ReadFile:
 * Close's CancelIoEx(h, NULL) aborts it and the reader reports
 * file-closing; Close returns once the handle is closed. */
static void pipe_close_unblocks_reader(void **state) {
  (void)state;
  fdt_startup();
  HANDLE r, w;
  assert_true(CreatePipe(&r, &w, NULL, 0));
  core_fd_t *fd = fdt_file_fd(r, "pipe");
  io_thread_t t = {.fd = fd, .len = sizeof t.buf};
  HANDLE th = fdt_thread(read_thread, &t);
  let_it_block();
  assert_int_equal(core_fd_close(fd), 0);
  fdt_join(th);
  assert_int_equal(t.err, CORE_EFILECLOSING);
  assert_int_equal(t.n, 0);
  assert_true(core_fd_sysfd(fd) == INVALID_HANDLE_VALUE);
  core_fd_free(fd);
  CloseHandle(w);
}

/* @covers B37 B46 B72
 * The same for a writer blocked on a full pipe nobody reads. */
static void pipe_close_unblocks_writer(void **state) {
  (void)state;
  fdt_startup();
  HANDLE r, w;
  assert_true(CreatePipe(&r, &w, NULL, 1));
  core_fd_t *fd = fdt_file_fd(w, "pipe");
  const size_t big = (size_t)4 << 20;
  char *buf = calloc(1, big);
  assert_non_null(buf);
  io_thread_t t = {.fd = fd, .wbuf = buf, .len = big};
  HANDLE th = fdt_thread(write_thread, &t);
  let_it_block();
  assert_int_equal(core_fd_close(fd), 0);
  fdt_join(th);
  assert_int_equal(t.err, CORE_EFILECLOSING);
  assert_int_equal(t.n, 0);
  free(buf);
  core_fd_free(fd);
  CloseHandle(r);
}

/* @covers B57 B79 B96
 * Pread, Pwrite and Seek on a pipe say ESPIPE, checked before the
 * reference: a closed pipe FD says ESPIPE too, not file-closing. */
static void pipe_espipe_even_closed(void **state) {
  (void)state;
  fdt_startup();
  HANDLE r, w;
  assert_true(CreatePipe(&r, &w, NULL, 0));
  core_fd_t *fd = fdt_file_fd(r, "pipe");
  for (int round = 0; round < 2; round++) {
    char buf[4];
    size_t n = 99;
    assert_int_equal(core_fd_pread(fd, buf, sizeof buf, 0, &n), CORE_ESPIPE);
    assert_int_equal(n, 0);
    assert_int_equal(core_fd_pwrite(fd, "x", 1, 0, &n), CORE_ESPIPE);
    assert_int_equal(n, 0);
    int64_t pos = 99;
    assert_int_equal(core_fd_seek(fd, 0, CORE_SEEK_CUR, &pos), CORE_ESPIPE);
    assert_int_equal(pos, 0);
    if (round == 0) assert_int_equal(core_fd_close(fd), 0);
  }
  char buf[4];
  size_t n;
  assert_int_equal(core_fd_read(fd, buf, sizeof buf, &n), CORE_EFILECLOSING);
  core_fd_free(fd);
  CloseHandle(w);
}

/* @covers B45 B49 B108
 * Read returns what was written; once the write end is closed ReadFile
 * fails with ERROR_BROKEN_PIPE, which syscall.Read turns into (0, nil) and
 * eofError into EOF.  A zero-length Read is (0, nil). */
static void pipe_broken_reads_eof(void **state) {
  (void)state;
  fdt_startup();
  HANDLE r, w;
  assert_true(CreatePipe(&r, &w, NULL, 0));
  core_fd_t *rfd = fdt_file_fd(r, "pipe");
  core_fd_t *wfd = fdt_file_fd(w, "pipe");
  size_t n = 0;
  assert_int_equal(core_fd_write(wfd, "ab", 2, &n), 0);
  assert_int_equal(n, 2);
  assert_int_equal(core_fd_close(wfd), 0);
  char buf[8];
  assert_int_equal(core_fd_read(rfd, buf, sizeof buf, &n), 0);
  assert_int_equal(n, 2);
  assert_memory_equal(buf, "ab", 2);
  assert_int_equal(core_fd_read(rfd, buf, 0, &n), 0);
  assert_int_equal(n, 0);
  assert_int_equal(core_fd_read(rfd, buf, sizeof buf, &n), CORE_EOF);
  assert_int_equal(n, 0);
  core_fd_free(wfd);
  fdt_close_free(rfd);
}

/* @covers B47 B72
 * A write to a pipe whose read end is gone fails with ERROR_NO_DATA and
 * counts 0 bytes. */
static void pipe_write_without_reader(void **state) {
  (void)state;
  fdt_startup();
  HANDLE r, w;
  assert_true(CreatePipe(&r, &w, NULL, 0));
  CloseHandle(r);
  core_fd_t *wfd = fdt_file_fd(w, "pipe");
  size_t n = 99;
  assert_int_equal(core_fd_write(wfd, "lost", 4, &n), ERROR_NO_DATA);
  assert_int_equal(n, 0);
  fdt_close_free(wfd);
}

static unsigned pipe_serial;

/* A message-mode named pipe: *server (wrapped by the caller), *client. */
static void message_pipe(HANDLE *server, HANDLE *client, DWORD type) {
  char name[96];
  snprintf(name, sizeof name, "\\\\.\\pipe\\iocpsim-fdt-%lu-%u",
           (unsigned long)GetCurrentProcessId(), pipe_serial++);
  *server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, type | PIPE_WAIT, 1, 4096, 4096, 0, NULL);
  assert_true(*server != INVALID_HANDLE_VALUE);
  *client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
  assert_true(*client != INVALID_HANDLE_VALUE);
  if (!ConnectNamedPipe(*server, NULL)) assert_int_equal(GetLastError(), ERROR_PIPE_CONNECTED);
  if (type & PIPE_TYPE_MESSAGE) {
    DWORD mode = PIPE_READMODE_MESSAGE;
    assert_true(SetNamedPipeHandleState(*client, &mode, NULL, NULL));
  }
}

/* @covers B72 B73
 * On a message pipe every WriteFile is one message, which makes Write's
 * pieces visible: with maxRW lowered to 4, ten bytes arrive as messages of
 * 4, 4 and 2 bytes, and Write reports all ten. */
static void pipe_write_splits_at_max_rw(void **state) {
  (void)state;
  fdt_startup();
  HANDLE server, client;
  message_pipe(&server, &client, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE);
  core_fd_t *fd = fdt_file_fd(server, "pipe");
  core_max_rw = 4;
  size_t n = 0;
  assert_int_equal(core_fd_write(fd, "0123456789", 10, &n), 0);
  assert_int_equal(n, 10);
  char buf[16];
  DWORD got = 0;
  assert_true(ReadFile(client, buf, sizeof buf, &got, NULL));
  assert_int_equal(got, 4);
  assert_memory_equal(buf, "0123", 4);
  assert_true(ReadFile(client, buf, sizeof buf, &got, NULL));
  assert_int_equal(got, 4);
  assert_true(ReadFile(client, buf, sizeof buf, &got, NULL));
  assert_int_equal(got, 2);
  assert_memory_equal(buf, "89", 2);
  fdt_close_free(fd);
  CloseHandle(client);
}

/* @covers B42 B47
 * Read asks for at most maxRW bytes; and any error on the file path counts
 * 0 bytes, even ERROR_MORE_DATA on a message pipe, where ReadFile did copy
 * the first part of the message (syscall.Read drops the count). */
static void pipe_message_read_errors(void **state) {
  (void)state;
  fdt_startup();
  HANDLE server, client;
  message_pipe(&server, &client, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE);
  core_fd_t *fd = fdt_file_fd(server, "pipe");
  DWORD put = 0;
  assert_true(WriteFile(client, "abcdefgh", 8, &put, NULL));
  char buf[16];
  memset(buf, 0, sizeof buf);
  core_max_rw = 4;
  size_t n = 99;
  assert_int_equal(core_fd_read(fd, buf, sizeof buf, &n), ERROR_MORE_DATA);
  assert_int_equal(n, 0);
  assert_memory_equal(buf, "abcd", 4); /* copied, yet not counted */
  core_max_rw = CORE_MAX_RW;
  assert_int_equal(core_fd_read(fd, buf, sizeof buf, &n), 0);
  assert_int_equal(n, 4);
  assert_memory_equal(buf, "efgh", 4);
  fdt_close_free(fd);
  CloseHandle(client);
}

/* @covers B43 B70
 * File kinds hold fd.l for the whole Read and the whole Write, so on a
 * duplex pipe a Write waits for a Read blocked in ReadFile to finish: the
 * write has not completed while the read is blocked, although it had
 * nothing to wait for on the pipe itself.  (Which of the two threads
 * returns first once the read is released is not ordered: the reader
 * drops fd.l before it returns.) */
static void pipe_read_holds_file_lock(void **state) {
  (void)state;
  fdt_startup();
  HANDLE server, client;
  message_pipe(&server, &client, PIPE_TYPE_BYTE | PIPE_READMODE_BYTE);
  core_fd_t *fd = fdt_file_fd(server, "pipe");
  volatile LONG seq = 0;
  io_thread_t rd = {.fd = fd, .len = sizeof rd.buf, .seq = &seq};
  io_thread_t wr = {.fd = fd, .wbuf = "w", .len = 1, .seq = &seq};
  HANDLE rt = fdt_thread(read_thread, &rd);
  let_it_block();
  HANDLE wt = fdt_thread(write_thread, &wr);
  let_it_block();
  assert_int_equal(InterlockedCompareExchange(&seq, 0, 0), 0); /* neither returned */
  DWORD put = 0;
  assert_true(WriteFile(client, "r", 1, &put, NULL));
  fdt_join(rt);
  fdt_join(wt);
  assert_int_equal(rd.err, 0);
  assert_int_equal(rd.n, 1);
  assert_int_equal(wr.err, 0);
  assert_int_equal(wr.n, 1);
  assert_int_equal(rd.done_at + wr.done_at, 3); /* both returned, once each */
  char c = 0;
  DWORD got = 0;
  assert_true(ReadFile(client, &c, 1, &got, NULL));
  assert_int_equal(c, 'w');
  fdt_close_free(fd);
  CloseHandle(client);
}

/* Files and pipes have no deadlines in the seed (ErrNoDeadline). */
static void pipe_no_deadline(void **state) {
  (void)state;
  fdt_startup();
  HANDLE r, w;
  assert_true(CreatePipe(&r, &w, NULL, 0));
  core_fd_t *fd = fdt_file_fd(r, "pipe");
  assert_int_equal(core_fd_set_read_deadline(fd, fdt_after_ms(10)), CORE_ENODEADLINE);
  assert_int_equal(core_fd_set_write_deadline(fd, fdt_after_ms(10)), CORE_ENODEADLINE);
  assert_int_equal(core_fd_set_deadline(fd, 0), CORE_ENODEADLINE);
  fdt_close_free(fd);
  CloseHandle(w);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(pipe_close_unblocks_reader, fdt_teardown),
      cmocka_unit_test_teardown(pipe_close_unblocks_writer, fdt_teardown),
      cmocka_unit_test_teardown(pipe_espipe_even_closed, fdt_teardown),
      cmocka_unit_test_teardown(pipe_broken_reads_eof, fdt_teardown),
      cmocka_unit_test_teardown(pipe_write_without_reader, fdt_teardown),
      cmocka_unit_test_teardown(pipe_write_splits_at_max_rw, fdt_teardown),
      cmocka_unit_test_teardown(pipe_message_read_errors, fdt_teardown),
      cmocka_unit_test_teardown(pipe_read_holds_file_lock, fdt_teardown),
      cmocka_unit_test_teardown(pipe_no_deadline, fdt_teardown),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
