/* test_fw_pipe.c: fakewin's pipes (fakewin/src/fw_pipe.c) against
 * spec/win32-fidelity.md F29, F42, F43 and W1, and the message/byte rules
 * of Wine's dlls/kernel32/tests/pipe.c (which assert Windows' behaviour).
 * Each case is a program run inside sim worlds over several seeds; inside
 * a world SIM_EXPECT ends the run, the host asserts it passed and that the
 * program closed every handle it opened.  Outputs that must stay unwritten
 * are pre-filled with a sentinel (F53). */
#include "iocpsim_test.h"

#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "fw_int.h"
#include "fw_io.h"
#include "fw_world.h"
#include "sim.h"

#define SEEDS 12
#define SENTINEL 0xdeadbeefu
#define PIPE_NAME "\\\\.\\pipe\\fw_test"

static void run_seeds(void (*fn)(void *), void *arg) {
  for (uint64_t seed = 0; seed < SEEDS; seed++) {
    sim_config_t cfg = {.seed = seed};
    sim_result_t r;
    sim_status_t st = sim_run(&cfg, fn, arg, &r);
    if (st != SIM_STATUS_PASS)
      print_message("seed %llu:\n%s\n", (unsigned long long)seed, r.report);
    assert_int_equal(st, SIM_STATUS_PASS);
    assert_int_equal(fw_world_leaked_handles(), 0);
    sim_result_free(&r);
  }
}

static int teardown(void **state) {
  (void)state;
  fw_world_reset_config();
  return 0;
}

#define EXPECT_ERR(expr, err)                   \
  do {                                          \
    SetLastError(SENTINEL);                     \
    SIM_EXPECT(!(expr));                        \
    SIM_EXPECT(GetLastError() == (DWORD)(err)); \
  } while (0)

static void ov_init(OVERLAPPED *o) {
  memset(o, 0, sizeof *o);
  o->InternalHigh = SENTINEL;
}

/* A message pipe (server reads messages) with a connected client. */
static void message_pair(HANDLE *server, HANDLE *client, DWORD open_flags, DWORD client_flags) {
  *server = CreateNamedPipeA(PIPE_NAME, PIPE_ACCESS_DUPLEX | open_flags,
                             PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1, 1024, 1024,
                             0, NULL);
  SIM_EXPECT(*server != INVALID_HANDLE_VALUE);
  *client = CreateFileA(PIPE_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                        client_flags, NULL);
  SIM_EXPECT(*client != INVALID_HANDLE_VALUE);
}

static void write_all(HANDLE h, const void *p, DWORD n) {
  DWORD w = SENTINEL;
  SIM_EXPECT(WriteFile(h, p, n, &w, NULL));
  SIM_EXPECT(w == n);
}

/* ---- F29 ------------------------------------------------------------------------------------ */

static void f29_sync_main(void *arg) {
  (void)arg;
  HANDLE s, c;
  message_pair(&s, &c, 0, 0);
  char buf[32];
  DWORD n = SENTINEL;
  write_all(c, "0123456789", 10);
  EXPECT_ERR(ReadFile(s, buf, 4, &n, NULL), ERROR_MORE_DATA);
  SIM_EXPECT(n == 4 && memcmp(buf, "0123", 4) == 0); /* the bytes copied are reported */
  n = SENTINEL;
  SIM_EXPECT(ReadFile(s, buf, sizeof buf, &n, NULL));
  SIM_EXPECT(n == 6 && memcmp(buf, "456789", 6) == 0); /* the rest of the message */

  /* an OVERLAPPED on a synchronous handle: the status block has the
   * warning and the count, *lpNumberOfBytesRead stays 0 (Wine pipe.c
   * test_ReadFile) */
  write_all(c, "abcdefghij", 10);
  OVERLAPPED ov;
  ov_init(&ov);
  n = SENTINEL;
  EXPECT_ERR(ReadFile(s, buf, 4, &n, &ov), ERROR_MORE_DATA);
  SIM_EXPECT(n == 0);
  SIM_EXPECT((NTSTATUS)ov.Internal == STATUS_BUFFER_OVERFLOW && ov.InternalHigh == 4);
  SIM_EXPECT(memcmp(buf, "abcd", 4) == 0);
  SIM_EXPECT(ReadFile(s, buf, sizeof buf, &n, NULL) && n == 6 && memcmp(buf, "efghij", 6) == 0);
  SIM_EXPECT(CloseHandle(c));
  SIM_EXPECT(CloseHandle(s));
}

/* @covers F29
 * A message read with a short buffer: FALSE + ERROR_MORE_DATA with the bytes
 * copied, the rest of the message on the next read. */
static void f29_message_read_short_buffer_more_data(void **state) {
  (void)state;
  run_seeds(f29_sync_main, NULL);
}

static void f29_overlapped_main(void *arg) {
  bool skip = arg != NULL;
  HANDLE s, c;
  message_pair(&s, &c, FILE_FLAG_OVERLAPPED, 0);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  SIM_EXPECT(port != NULL && CreateIoCompletionPort(s, port, 7, 0) == port);
  if (skip) SIM_EXPECT(SetFileCompletionNotificationModes(s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
  char buf[32];
  DWORD n, bytes;
  ULONG_PTR key;
  OVERLAPPED *got;
  OVERLAPPED ov;

  /* immediate: the message is there already */
  write_all(c, "0123456789", 10);
  ov_init(&ov);
  n = SENTINEL;
  EXPECT_ERR(ReadFile(s, buf, 4, &n, &ov), ERROR_MORE_DATA);
  SIM_EXPECT(n == 0);
  SIM_EXPECT((NTSTATUS)ov.Internal == STATUS_BUFFER_OVERFLOW && ov.InternalHigh == 4);
  got = NULL;
  bytes = key = SENTINEL;
  if (skip) {
    /* F11c: skip-on-success drops the packet of the immediate warning */
    EXPECT_ERR(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0), WAIT_TIMEOUT);
    SIM_EXPECT(got == NULL && bytes == SENTINEL);
  } else {
    /* F10c: the call failed and a packet says FALSE/234 with the count */
    EXPECT_ERR(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0), ERROR_MORE_DATA);
    SIM_EXPECT(got == &ov && bytes == 4 && key == 7);
  }
  ov_init(&ov);
  SIM_EXPECT(ReadFile(s, buf, sizeof buf, &n, &ov) && n == 6); /* the rest, at once */
  if (!skip)
    SIM_EXPECT(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0) && got == &ov && bytes == 6);

  /* pending: the read waits, then the message comes */
  ov_init(&ov);
  n = SENTINEL;
  EXPECT_ERR(ReadFile(s, buf, 4, &n, &ov), ERROR_IO_PENDING);
  SIM_EXPECT(n == 0 && (NTSTATUS)ov.Internal == STATUS_PENDING &&
             ov.InternalHigh == SENTINEL); /* F16 */
  write_all(c, "abcdefghij", 10);
  got = NULL;
  EXPECT_ERR(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0), ERROR_MORE_DATA);
  SIM_EXPECT(got == &ov && bytes == 4 && key == 7 && memcmp(buf, "abcd", 4) == 0);
  SIM_EXPECT((NTSTATUS)ov.Internal == STATUS_BUFFER_OVERFLOW && ov.InternalHigh == 4);
  ov_init(&ov);
  SIM_EXPECT(ReadFile(s, buf, sizeof buf, &n, &ov) && n == 6 && memcmp(buf, "efghij", 6) == 0);
  if (!skip) SIM_EXPECT(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0) && got == &ov);
  EXPECT_ERR(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0), WAIT_TIMEOUT);
  SIM_EXPECT(CloseHandle(c));
  SIM_EXPECT(CloseHandle(s));
  SIM_EXPECT(CloseHandle(port));
}

/* @covers F29 F10 F11 F16
 * Overlapped message reads: immediate ERROR_MORE_DATA queues a packet
 * (FALSE/234, bytes copied) unless skip-on-success; a pending read that
 * completes short gets STATUS_BUFFER_OVERFLOW and its packet in both modes. */
static void f29_overlapped_more_data_packet_rules(void **state) {
  (void)state;
  run_seeds(f29_overlapped_main, NULL);
  run_seeds(f29_overlapped_main, (void *)1);
}

/* ---- F42, W1 --------------------------------------------------------------------------------- */

typedef struct io_thread {
  HANDLE h;
  bool write;
  DWORD len;
  char buf[16];
  BOOL ok;
  DWORD err, n;
  bool done;
} io_thread_t;

static DWORD WINAPI io_thread_fn(LPVOID arg) {
  io_thread_t *t = arg;
  t->n = SENTINEL;
  SetLastError(0);
  t->ok = t->write ? WriteFile(t->h, "0123456789abcdef", t->len, &t->n, NULL)
                   : ReadFile(t->h, t->buf, t->len, &t->n, NULL);
  t->err = GetLastError();
  t->done = true;
  return 0;
}

static HANDLE start(io_thread_t *t) {
  HANDLE th = CreateThread(NULL, 0, io_thread_fn, t, 0, NULL);
  SIM_EXPECT(th != NULL);
  /* every other fiber runs until it blocks before virtual time moves */
  Sleep(1);
  SIM_EXPECT(!t->done);
  return th;
}

static void join(HANDLE th) {
  SIM_EXPECT(WaitForSingleObject(th, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(CloseHandle(th));
}

static void f42_cancelioex_main(void *arg) {
  (void)arg;
  HANDLE r, w;
  SIM_EXPECT(CreatePipe(&r, &w, NULL, 0));
  /* nothing pending: FALSE + ERROR_NOT_FOUND (F36; W1 is Wine's TRUE) */
  EXPECT_ERR(CancelIoEx(r, NULL), ERROR_NOT_FOUND);
  io_thread_t t = {.h = r, .len = 8};
  HANDLE th = start(&t);
  SIM_EXPECT(CancelIoEx(r, NULL));
  join(th);
  SIM_EXPECT(!t.ok && t.err == ERROR_OPERATION_ABORTED && t.n == 0);
  /* the pipe still works */
  write_all(w, "x", 1);
  DWORD n = SENTINEL;
  char buf[4];
  SIM_EXPECT(ReadFile(r, buf, sizeof buf, &n, NULL) && n == 1 && buf[0] == 'x');

  /* a writer blocked on a full pipe is released the same way, and what it
   * had not delivered is withdrawn */
  HANDLE r2, w2;
  SIM_EXPECT(CreatePipe(&r2, &w2, NULL, 4));
  io_thread_t tw = {.h = w2, .write = true, .len = 10};
  th = start(&tw);
  SIM_EXPECT(CancelIoEx(w2, NULL));
  join(th);
  SIM_EXPECT(!tw.ok && tw.err == ERROR_OPERATION_ABORTED);
  DWORD avail = SENTINEL;
  SIM_EXPECT(PeekNamedPipe(r2, NULL, 0, NULL, &avail, NULL) && avail == 0);
  SIM_EXPECT(CloseHandle(r) && CloseHandle(w) && CloseHandle(r2) && CloseHandle(w2));
}

/* @covers F42 F36
 * A thread blocked in ReadFile on a synchronous pipe handle is released by
 * CancelIoEx(h, NULL) from another thread: TRUE there, FALSE +
 * ERROR_OPERATION_ABORTED in the reader; nothing pending gives FALSE +
 * ERROR_NOT_FOUND. */
static void f42_cancelioex_releases_blocked_sync_read(void **state) {
  (void)state;
  run_seeds(f42_cancelioex_main, NULL);
}

static void f42_csio_main(void *arg) {
  (void)arg;
  HANDLE r, w;
  SIM_EXPECT(CreatePipe(&r, &w, NULL, 0));
  EXPECT_ERR(CancelSynchronousIo(GetCurrentThread()), ERROR_NOT_FOUND); /* nothing pending */
  io_thread_t t = {.h = r, .len = 8};
  HANDLE th = start(&t);
  SIM_EXPECT(CancelSynchronousIo(th));
  join(th);
  SIM_EXPECT(!t.ok && t.err == ERROR_OPERATION_ABORTED && t.n == 0);
  SIM_EXPECT(CloseHandle(r) && CloseHandle(w));
}

/* @covers F42
 * CancelSynchronousIo(thread) releases the blocked ReadFile the same way and
 * returns FALSE + ERROR_NOT_FOUND when the thread has nothing pending. */
static void f42_cancel_synchronous_io_releases_blocked_read(void **state) {
  (void)state;
  run_seeds(f42_csio_main, NULL);
}

static void w1_main(void *arg) {
  (void)arg;
  HANDLE r, w;
  SIM_EXPECT(CreatePipe(&r, &w, NULL, 0));
  SetLastError(SENTINEL);
  SIM_EXPECT(CancelIoEx(r, NULL)); /* W1: Wine 8.0 says TRUE */
  SIM_EXPECT(CloseHandle(r) && CloseHandle(w));
}

/* @covers F36 F42 W1
 * W1: under the wine8 personality CancelIoEx(h, NULL) on a pipe with nothing
 * pending returns TRUE. */
static void w1_wine8_cancelioex_nothing_pending_succeeds(void **state) {
  (void)state;
  fw_world_set_personality(FW_PERSONALITY_WINE8);
  run_seeds(w1_main, NULL);
}

static void pipe_pointer_main(void *arg) {
  (void)arg;
  HANDLE r, w;
  SIM_EXPECT(CreatePipe(&r, &w, NULL, 0));
  LARGE_INTEGER d, np;
  d.QuadPart = 100;
  SIM_EXPECT(SetFilePointerEx(r, d, &np, FILE_BEGIN) && np.QuadPart == 100);
  d.QuadPart = 5;
  SIM_EXPECT(SetFilePointerEx(r, d, &np, FILE_CURRENT) && np.QuadPart == 105);
  d.QuadPart = -200;
  EXPECT_ERR(SetFilePointerEx(r, d, &np, FILE_CURRENT), ERROR_NEGATIVE_SEEK);
  d.QuadPart = 0;
  SIM_EXPECT(SetFilePointerEx(r, d, &np, FILE_CURRENT) && np.QuadPart == 105); /* not moved */
  /* the stored pointer means nothing to the pipe's data */
  write_all(w, "xy", 2);
  char buf[4];
  DWORD n = SENTINEL;
  SIM_EXPECT(ReadFile(r, buf, sizeof buf, &n, NULL) && n == 2 && memcmp(buf, "xy", 2) == 0);
  SIM_EXPECT(SetFilePointerEx(w, d, &np, FILE_CURRENT) && np.QuadPart == 0); /* per end */
  SIM_EXPECT(CloseHandle(r) && CloseHandle(w));
}

/* Windows accepts SetFilePointer(Ex) on a pipe handle: the I/O manager
 * stores the file object's pointer without asking the pipe driver, so
 * FILE_CURRENT reports what FILE_BEGIN set, per end, and data ignores it
 * (this is why Go's Seek checks kindPipe itself: ESPIPE, B96).  Wine 8.0
 * refuses the call instead (see test_fd_pipe's wine8 run). */
static void pipe_pointer_is_stored_and_ignored(void **state) {
  (void)state;
  run_seeds(pipe_pointer_main, NULL);
}

/* ---- F43
 * ----------------------------------------------------------------------------------------- */

static void f43_broken_main(void *arg) {
  (void)arg;
  HANDLE r, w;
  SIM_EXPECT(CreatePipe(&r, &w, NULL, 0));
  write_all(w, "ab", 2);
  SIM_EXPECT(CloseHandle(w));
  char buf[8];
  DWORD n = SENTINEL;
  SIM_EXPECT(ReadFile(r, buf, sizeof buf, &n, NULL) && n == 2); /* what was written is still read */
  n = SENTINEL;
  EXPECT_ERR(ReadFile(r, buf, sizeof buf, &n, NULL), ERROR_BROKEN_PIPE);
  SIM_EXPECT(n == 0);
  SIM_EXPECT(CloseHandle(r));

  /* a pending overlapped read completes with STATUS_PIPE_BROKEN */
  HANDLE s, c;
  message_pair(&s, &c, FILE_FLAG_OVERLAPPED, 0);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  SIM_EXPECT(CreateIoCompletionPort(s, port, 3, 0) == port);
  OVERLAPPED ov;
  ov_init(&ov);
  EXPECT_ERR(ReadFile(s, buf, sizeof buf, NULL, &ov), ERROR_IO_PENDING);
  SIM_EXPECT(CloseHandle(c));
  DWORD bytes = SENTINEL;
  ULONG_PTR key;
  OVERLAPPED *got = NULL;
  EXPECT_ERR(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0), ERROR_BROKEN_PIPE);
  SIM_EXPECT(got == &ov && bytes == 0 && key == 3);
  SIM_EXPECT((NTSTATUS)ov.Internal == STATUS_PIPE_BROKEN && ov.InternalHigh == 0);
  SIM_EXPECT(CloseHandle(s) && CloseHandle(port));
}

/* @covers F43
 * Write end closed: the reader gets the data left, then ReadFile FALSE +
 * ERROR_BROKEN_PIPE; a pending read completes with STATUS_PIPE_BROKEN. */
static void f43_write_end_closed_read_broken_pipe(void **state) {
  (void)state;
  run_seeds(f43_broken_main, NULL);
}

static void f43_no_data_main(void *arg) {
  (void)arg;
  HANDLE r, w;
  SIM_EXPECT(CreatePipe(&r, &w, NULL, 0));
  SIM_EXPECT(CloseHandle(r));
  DWORD n = SENTINEL;
  EXPECT_ERR(WriteFile(w, "ab", 2, &n, NULL), ERROR_NO_DATA);
  SIM_EXPECT(n == 0);
  SIM_EXPECT(CloseHandle(w));
}

/* @covers F43
 * Read end closed: WriteFile fails with ERROR_NO_DATA. */
static void f43_read_end_closed_write_no_data(void **state) {
  (void)state;
  run_seeds(f43_no_data_main, NULL);
}

static void f43_zero_main(void *arg) {
  (void)arg;
  HANDLE r, w;
  SIM_EXPECT(CreatePipe(&r, &w, NULL, 0));
  DWORD n = SENTINEL, avail = SENTINEL;
  SIM_EXPECT(WriteFile(w, "", 0, &n, NULL) && n == 0);
  SIM_EXPECT(PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL) && avail == 0);
  /* a reader blocked before the empty write is not woken by it */
  io_thread_t t = {.h = r, .len = 8};
  HANDLE th = start(&t);
  SIM_EXPECT(WriteFile(w, "", 0, &n, NULL) && n == 0);
  Sleep(1);
  SIM_EXPECT(!t.done);
  write_all(w, "z", 1);
  join(th);
  SIM_EXPECT(t.ok && t.n == 1 && t.buf[0] == 'z');
  SIM_EXPECT(CloseHandle(r) && CloseHandle(w));

  /* a message pipe does carry a zero-length message */
  HANDLE s, c;
  message_pair(&s, &c, 0, 0);
  write_all(c, "", 0);
  write_all(c, "m", 1);
  char buf[4];
  n = SENTINEL;
  SIM_EXPECT(ReadFile(s, buf, sizeof buf, &n, NULL) && n == 0);
  SIM_EXPECT(ReadFile(s, buf, sizeof buf, &n, NULL) && n == 1 && buf[0] == 'm');
  SIM_EXPECT(CloseHandle(c) && CloseHandle(s));
}

/* @covers F43
 * A zero-byte write to a byte-mode pipe is not seen by the reader (a message
 * pipe, by contrast, delivers a zero-length message). */
static void f43_zero_byte_write_not_seen_by_reader(void **state) {
  (void)state;
  run_seeds(f43_zero_main, NULL);
}

/* ---- message boundaries, peek, handle state
 * ----------------------------------------------------------- */

static void boundaries_main(void *arg) {
  (void)arg;
  static const char a[] = "Bit Bucket", b[] = "More bits";
  HANDLE s, c;
  message_pair(&s, &c, 0, 0);
  char buf[32];
  DWORD n = SENTINEL, avail = SENTINEL, left = SENTINEL;
  write_all(s, a, sizeof a);
  write_all(s, b, sizeof b);
  /* a message pipe peeks its first message only; left = message - peeked */
  SIM_EXPECT(PeekNamedPipe(c, buf, 4, &n, &avail, &left));
  SIM_EXPECT(n == 4 && avail == sizeof a + sizeof b && left == sizeof a - 4);
  SIM_EXPECT(PeekNamedPipe(c, buf, sizeof buf, &n, &avail, &left));
  SIM_EXPECT(n == sizeof a && left == 0);
  /* the client reads bytes (CreateFile's default), across messages */
  SIM_EXPECT(ReadFile(c, buf, sizeof buf, &n, NULL) && n == sizeof a + sizeof b);
  SIM_EXPECT(memcmp(buf, a, sizeof a) == 0 && memcmp(buf + sizeof a, b, sizeof b) == 0);
  /* the server reads messages: one per read */
  write_all(c, a, sizeof a);
  write_all(c, b, sizeof b);
  SIM_EXPECT(ReadFile(s, buf, sizeof buf, &n, NULL) && n == sizeof a && memcmp(buf, a, n) == 0);
  SIM_EXPECT(ReadFile(s, buf, sizeof buf, &n, NULL) && n == sizeof b && memcmp(buf, b, n) == 0);
  /* the client can switch to message reads on a message pipe */
  DWORD mode = PIPE_READMODE_MESSAGE;
  SIM_EXPECT(SetNamedPipeHandleState(c, &mode, NULL, NULL));
  write_all(s, a, sizeof a);
  write_all(s, b, sizeof b);
  SIM_EXPECT(ReadFile(c, buf, sizeof buf, &n, NULL) && n == sizeof a);
  SIM_EXPECT(ReadFile(c, buf, sizeof buf, &n, NULL) && n == sizeof b);
  SIM_EXPECT(CloseHandle(c) && CloseHandle(s));

  /* a byte pipe: no message read mode; peek's "left" is 0 minus the bytes peeked */
  s = CreateNamedPipeA(PIPE_NAME, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 1024, 1024, 0, NULL);
  SIM_EXPECT(s != INVALID_HANDLE_VALUE);
  c = CreateFileA(PIPE_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
  SIM_EXPECT(c != INVALID_HANDLE_VALUE);
  EXPECT_ERR(SetNamedPipeHandleState(c, &mode, NULL, NULL), ERROR_INVALID_PARAMETER);
  write_all(s, a, sizeof a);
  write_all(s, b, sizeof b);
  SIM_EXPECT(PeekNamedPipe(c, buf, 4, &n, &avail, &left) && n == 4 && left == (DWORD)-4);
  SIM_EXPECT(PeekNamedPipe(c, buf, sizeof buf, &n, &avail, &left) && n == sizeof a + sizeof b);
  SIM_EXPECT(ReadFile(c, buf, 4, &n, NULL) && n == 4); /* no ERROR_MORE_DATA on a byte pipe */
  SIM_EXPECT(ReadFile(c, buf, sizeof buf, &n, NULL) && n == sizeof a + sizeof b - 4);
  SIM_EXPECT(CloseHandle(c) && CloseHandle(s));
}

/* @covers F29
 * Message boundaries: a message reader gets one message per read, a byte
 * reader reads across them; PeekNamedPipe shows the first message of a
 * message pipe; a byte pipe cannot be switched to message reads. */
static void pipe_message_boundaries_and_peek(void **state) {
  (void)state;
  run_seeds(boundaries_main, NULL);
}

static void full_main(void *arg) {
  (void)arg;
  HANDLE r, w;
  SIM_EXPECT(CreatePipe(&r, &w, NULL, 4));
  io_thread_t t = {.h = w, .write = true, .len = 10};
  HANDLE th = start(&t); /* 10 bytes do not fit a 4-byte buffer */
  char buf[16];
  DWORD n = SENTINEL;
  SIM_EXPECT(ReadFile(r, buf, 4, &n, NULL) && n == 4 && memcmp(buf, "0123", 4) == 0);
  Sleep(1);
  SIM_EXPECT(!t.done); /* 6 unread still exceed the buffer */
  SIM_EXPECT(ReadFile(r, buf, 2, &n, NULL) && n == 2 && memcmp(buf, "45", 2) == 0);
  join(th); /* 4 unread fit: the write completes whole */
  SIM_EXPECT(t.ok && t.n == 10);
  SIM_EXPECT(ReadFile(r, buf, sizeof buf, &n, NULL) && n == 4 && memcmp(buf, "6789", 4) == 0);
  SIM_EXPECT(CloseHandle(r) && CloseHandle(w));
}

/* A write larger than the pipe's buffer waits until readers drained it to
 * the buffer size; the reader sees the data meanwhile. */
static void pipe_write_waits_while_buffer_full(void **state) {
  (void)state;
  run_seeds(full_main, NULL);
}

/* ---- named pipe life cycle
 * ---------------------------------------------------------------------------------- */

static void lifecycle_main(void *arg) {
  (void)arg;
  EXPECT_ERR(WaitNamedPipeA(PIPE_NAME, 10), ERROR_FILE_NOT_FOUND);
  EXPECT_ERR(
      CreateFileA(PIPE_NAME, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL) != INVALID_HANDLE_VALUE,
      ERROR_FILE_NOT_FOUND);
  EXPECT_ERR(CreateNamedPipeA("not a pipe", PIPE_ACCESS_DUPLEX, 0, 1, 64, 64, 0, NULL) !=
                 INVALID_HANDLE_VALUE,
             ERROR_INVALID_NAME);
  EXPECT_ERR(CreateNamedPipeA(PIPE_NAME, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_READMODE_MESSAGE,
                              1, 64, 64, 0, NULL) != INVALID_HANDLE_VALUE,
             ERROR_INVALID_PARAMETER);
  HANDLE s = CreateNamedPipeA(PIPE_NAME, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 64, 64, 0, NULL);
  SIM_EXPECT(s != INVALID_HANDLE_VALUE);
  EXPECT_ERR(CreateNamedPipeA(PIPE_NAME, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 64, 64, 0, NULL) !=
                 INVALID_HANDLE_VALUE,
             ERROR_PIPE_BUSY); /* nMaxInstances */
  char buf[8];
  DWORD n = SENTINEL;
  EXPECT_ERR(ReadFile(s, buf, sizeof buf, &n, NULL), ERROR_PIPE_LISTENING);
  EXPECT_ERR(PeekNamedPipe(s, NULL, 0, NULL, &n, NULL), ERROR_BAD_PIPE);
  SIM_EXPECT(WaitNamedPipeA(PIPE_NAME, NMPWAIT_USE_DEFAULT_WAIT));
  HANDLE c = CreateFileA(PIPE_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
  SIM_EXPECT(c != INVALID_HANDLE_VALUE);
  SIM_EXPECT(GetFileType(c) == FILE_TYPE_PIPE && GetFileType(s) == FILE_TYPE_PIPE);
  EXPECT_ERR(WaitNamedPipeA(PIPE_NAME, 100), ERROR_SEM_TIMEOUT);
  EXPECT_ERR(
      CreateFileA(PIPE_NAME, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL) != INVALID_HANDLE_VALUE,
      ERROR_PIPE_BUSY);
  /* the client came first: a good connection, reported as a failure */
  EXPECT_ERR(ConnectNamedPipe(s, NULL), ERROR_PIPE_CONNECTED);
  EXPECT_ERR(ConnectNamedPipe(c, NULL), ERROR_INVALID_FUNCTION);
  write_all(c, "hi", 2);
  SIM_EXPECT(DisconnectNamedPipe(s)); /* discards "hi" */
  EXPECT_ERR(ReadFile(c, buf, sizeof buf, &n, NULL), ERROR_PIPE_NOT_CONNECTED);
  OVERLAPPED ov;
  ov_init(&ov);
  EXPECT_ERR(ReadFile(s, buf, sizeof buf, &n, &ov), ERROR_PIPE_NOT_CONNECTED);
  /* Wine pipe.c test_ReadFile: a failure inside the call leaves the block alone */
  SIM_EXPECT((NTSTATUS)ov.Internal == STATUS_PENDING && ov.InternalHigh == SENTINEL && n == 0);
  EXPECT_ERR(WriteFile(c, "x", 1, &n, NULL), ERROR_PIPE_NOT_CONNECTED);
  /* disconnected, not listening: no new client yet */
  EXPECT_ERR(
      CreateFileA(PIPE_NAME, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL) != INVALID_HANDLE_VALUE,
      ERROR_PIPE_BUSY);
  SIM_EXPECT(CloseHandle(c));
  SIM_EXPECT(CloseHandle(s));
  EXPECT_ERR(WaitNamedPipeA(PIPE_NAME, 10),
             ERROR_FILE_NOT_FOUND); /* the last instance took the name */
}

/* Named pipe life cycle as Wine's pipe.c asserts it on Windows: busy,
 * connected-first, disconnect, listening, names and parameters. */
static void named_pipe_lifecycle(void **state) {
  (void)state;
  run_seeds(lifecycle_main, NULL);
}

typedef struct connector {
  bool connected;
  HANDLE c;
} connector_t;

static DWORD WINAPI client_fn(LPVOID arg) {
  connector_t *k = arg;
  SIM_EXPECT(WaitNamedPipeA(PIPE_NAME, NMPWAIT_WAIT_FOREVER));
  k->c = CreateFileA(PIPE_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
  SIM_EXPECT(k->c != INVALID_HANDLE_VALUE);
  k->connected = true;
  return 0;
}

static void connect_main(void *arg) {
  (void)arg;
  HANDLE s = CreateNamedPipeA(PIPE_NAME, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_TYPE_BYTE,
                              2, 64, 64, 0, NULL);
  SIM_EXPECT(s != INVALID_HANDLE_VALUE);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  SIM_EXPECT(CreateIoCompletionPort(s, port, 9, 0) == port);
  /* first client in, out, and the server listens again */
  HANDLE c = CreateFileA(PIPE_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
  SIM_EXPECT(c != INVALID_HANDLE_VALUE && CloseHandle(c));
  OVERLAPPED ov;
  ov_init(&ov);
  EXPECT_ERR(ConnectNamedPipe(s, &ov), ERROR_NO_DATA); /* came and went */
  SIM_EXPECT(DisconnectNamedPipe(s));
  ov_init(&ov);
  EXPECT_ERR(ConnectNamedPipe(s, &ov), ERROR_IO_PENDING);
  connector_t k = {0};
  HANDLE th = CreateThread(NULL, 0, client_fn, &k, 0, NULL);
  DWORD bytes = SENTINEL;
  ULONG_PTR key = 0;
  OVERLAPPED *got = NULL;
  SIM_EXPECT(GetQueuedCompletionStatus(port, &bytes, &key, &got, INFINITE));
  SIM_EXPECT(got == &ov && key == 9 && bytes == 0 && ov.Internal == 0);
  join(th);
  SIM_EXPECT(k.connected);
  write_all(k.c, "ok", 2);
  char buf[4];
  DWORD n = SENTINEL;
  ov_init(&ov);
  SIM_EXPECT(ReadFile(s, buf, sizeof buf, &n, &ov) && n == 2);
  SIM_EXPECT(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0) && got == &ov && bytes == 2);
  SIM_EXPECT(CloseHandle(k.c) && CloseHandle(s) && CloseHandle(port));
}

/* An overlapped ConnectNamedPipe pends until a client connects and then
 * completes with a packet; a client that came and went gives ERROR_NO_DATA. */
static void named_pipe_overlapped_connect_completes_with_packet(void **state) {
  (void)state;
  run_seeds(connect_main, NULL);
}

/* ---- overlapped requests on pipe ends
 * ----------------------------------------------------------------------- */

static void pending_main(void *arg) {
  (void)arg;
  HANDLE s = CreateNamedPipeA(PIPE_NAME, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_TYPE_BYTE,
                              1, 4, 64, 0, NULL);
  SIM_EXPECT(s != INVALID_HANDLE_VALUE);
  HANDLE c = CreateFileA(PIPE_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
  SIM_EXPECT(c != INVALID_HANDLE_VALUE);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  SIM_EXPECT(CreateIoCompletionPort(s, port, 4, 0) == port);
  OVERLAPPED o1, o2, *got;
  char b1[8], b2[8];
  DWORD bytes, n;
  ULONG_PTR key;

  /* two reads wait in order; cancelling the first leaves the second */
  ov_init(&o1);
  ov_init(&o2);
  EXPECT_ERR(ReadFile(s, b1, sizeof b1, NULL, &o1), ERROR_IO_PENDING);
  EXPECT_ERR(ReadFile(s, b2, sizeof b2, NULL, &o2), ERROR_IO_PENDING);
  SIM_EXPECT(CancelIoEx(s, &o1));
  got = NULL;
  EXPECT_ERR(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0), ERROR_OPERATION_ABORTED);
  SIM_EXPECT(got == &o1 && bytes == 0 && (NTSTATUS)o1.Internal == STATUS_CANCELLED);
  EXPECT_ERR(CancelIoEx(s, &o1), ERROR_NOT_FOUND); /* F36: no longer pending */
  write_all(c, "m1", 2);
  SIM_EXPECT(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0) && got == &o2 && bytes == 2);
  SIM_EXPECT(memcmp(b2, "m1", 2) == 0);

  /* a write larger than the 4-byte out buffer pends until the client read enough */
  ov_init(&o1);
  EXPECT_ERR(WriteFile(s, "0123456789", 10, NULL, &o1), ERROR_IO_PENDING);
  SIM_EXPECT(o1.InternalHigh == SENTINEL);
  SIM_EXPECT(ReadFile(c, b1, 6, &n, NULL) && n == 6 && memcmp(b1, "012345", 6) == 0);
  SIM_EXPECT(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0) && got == &o1 && bytes == 10);
  SIM_EXPECT(ReadFile(c, b1, sizeof b1, &n, NULL) && n == 4);

  /* closing the server with a read pending: STATUS_CANCELLED, and the client sees a broken pipe */
  ov_init(&o1);
  EXPECT_ERR(ReadFile(s, b1, sizeof b1, NULL, &o1), ERROR_IO_PENDING);
  SIM_EXPECT(CloseHandle(s));
  EXPECT_ERR(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0), ERROR_OPERATION_ABORTED);
  SIM_EXPECT(got == &o1 && key == 4);
  EXPECT_ERR(ReadFile(c, b1, sizeof b1, &n, NULL), ERROR_BROKEN_PIPE);
  EXPECT_ERR(WriteFile(c, "x", 1, &n, NULL), ERROR_NO_DATA);
  SIM_EXPECT(CloseHandle(c) && CloseHandle(port));
}

/* @covers F37 F36 F43
 * Overlapped requests on a pipe end: pending reads are served in order and
 * can be cancelled one by one; a write beyond the buffer pends until read;
 * closing the end completes its pending read with STATUS_CANCELLED and the
 * other end sees a broken pipe. */
static void pipe_overlapped_requests_cancel_and_close(void **state) {
  (void)state;
  run_seeds(pending_main, NULL);
}

/* ---- the fault plan
 * ------------------------------------------------------------------------------------------- */

static void fault_main(void *arg) {
  (void)arg;
  HANDLE r, w;
  SIM_EXPECT(CreatePipe(&r, &w, NULL, 0));
  write_all(w, "abcde", 5);
  char buf[8];
  DWORD n = SENTINEL;
  /* rule 1: the first ReadFile moves at most 2 bytes */
  SIM_EXPECT(ReadFile(r, buf, sizeof buf, &n, NULL) && n == 2 && memcmp(buf, "ab", 2) == 0);
  /* rule 2: the second fails with ERROR_IO_DEVICE and takes nothing */
  EXPECT_ERR(ReadFile(r, buf, sizeof buf, &n, NULL), ERROR_IO_DEVICE);
  SIM_EXPECT(n == 0);
  SIM_EXPECT(ReadFile(r, buf, sizeof buf, &n, NULL) && n == 3 && memcmp(buf, "cde", 3) == 0);
  SIM_EXPECT(CloseHandle(r) && CloseHandle(w));
}

/* Every ReadFile consults the fault plan before the default behaviour:
 * a short transfer and a synchronous error on a pipe. */
static void pipe_read_consults_fault_plan(void **state) {
  (void)state;
  char err[160];
  assert_int_not_equal(fw_fault_add_text("ReadFile nth=1 -> short bytes=2", err, sizeof err), 0);
  assert_int_not_equal(
      fw_fault_add_text("ReadFile nth=2 -> error code=ERROR_IO_DEVICE", err, sizeof err), 0);
  run_seeds(fault_main, NULL);
}

/* Same seed, same trace: the pipe programs are deterministic. */
static void pipe_runs_are_deterministic(void **state) {
  (void)state;
  for (uint64_t seed = 0; seed < 4; seed++) {
    sim_config_t cfg = {.seed = seed};
    sim_result_t a, b;
    assert_int_equal(sim_run(&cfg, full_main, NULL, &a), SIM_STATUS_PASS);
    assert_int_equal(sim_run(&cfg, full_main, NULL, &b), SIM_STATUS_PASS);
    assert_true(a.trace_hash == b.trace_hash);
    sim_result_free(&a);
    sim_result_free(&b);
  }
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(f29_message_read_short_buffer_more_data, teardown),
      cmocka_unit_test_teardown(f29_overlapped_more_data_packet_rules, teardown),
      cmocka_unit_test_teardown(f42_cancelioex_releases_blocked_sync_read, teardown),
      cmocka_unit_test_teardown(pipe_pointer_is_stored_and_ignored, teardown),
      cmocka_unit_test_teardown(f42_cancel_synchronous_io_releases_blocked_read, teardown),
      cmocka_unit_test_teardown(w1_wine8_cancelioex_nothing_pending_succeeds, teardown),
      cmocka_unit_test_teardown(f43_write_end_closed_read_broken_pipe, teardown),
      cmocka_unit_test_teardown(f43_read_end_closed_write_no_data, teardown),
      cmocka_unit_test_teardown(f43_zero_byte_write_not_seen_by_reader, teardown),
      cmocka_unit_test_teardown(pipe_message_boundaries_and_peek, teardown),
      cmocka_unit_test_teardown(pipe_write_waits_while_buffer_full, teardown),
      cmocka_unit_test_teardown(named_pipe_lifecycle, teardown),
      cmocka_unit_test_teardown(named_pipe_overlapped_connect_completes_with_packet, teardown),
      cmocka_unit_test_teardown(pipe_overlapped_requests_cancel_and_close, teardown),
      cmocka_unit_test_teardown(pipe_read_consults_fault_plan, teardown),
      cmocka_unit_test_teardown(pipe_runs_are_deterministic, teardown),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
