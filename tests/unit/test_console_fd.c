/* test_console_fd.c: console FDs through core_fd_read/core_fd_write, spec
 * go-poll.md B42-B44, B47, B49, B69-B73 where they meet readConsole and
 * writeConsole (B50-B56, B74-B78).  The FD is Go's os console file:
 * core_fd_new(h, stream, EOF on 0) + core_fd_init(fd, "console", false).
 * Its handle is an event: console I/O only goes through the scripted hooks
 * of console_script.h, and Close only needs something CloseHandle takes. */
#include "iocpsim_test.h"

#include <string.h>

#include "console_script.h"

static core_fd_t *fd;
static HANDLE fd_handle;
static bool fd_closed;

static int setup(void **state) {
  (void)state;
  fd_handle = CreateEventW(NULL, TRUE, FALSE, NULL);
  assert_non_null(fd_handle);
  assert_int_equal(core_fd_new(fd_handle, true, true, &fd), 0);
  const char *errcall = NULL;
  assert_int_equal(core_fd_init(fd, "console", false, &errcall), 0);
  assert_int_equal(core_test_fd_kind(fd), CORE_KIND_CONSOLE);
  fd_closed = false;
  cs_install(core_test_fd_console(fd), fd_handle);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  core_max_rw = CORE_MAX_RW;
  if (!fd_closed) assert_int_equal(core_fd_close(fd), 0);
  core_fd_free(fd);
  cs_uninstall();
  return 0;
}

/* A Read that must succeed with exactly the bytes of want. */
static void fd_read_expect(size_t len, const char *want, size_t nwant) {
  char b[128];
  size_t n = 99;
  assert_true(len <= sizeof b);
  assert_int_equal(core_fd_read(fd, b, len, &n), 0);
  assert_int_equal(n, nwant);
  assert_memory_equal(b, want, nwant);
}
#define FD_READ_EXPECT(len, lit) fd_read_expect((len), (lit), sizeof(lit) - 1)

static void fd_read_expect_err(int want) {
  char b[16];
  size_t n = 99;
  assert_int_equal(core_fd_read(fd, b, sizeof b, &n), want);
  assert_int_equal(n, 0);
}

/* ---- fd.l --------------------------------------------------------------------- */

static bool l_was_free; /* the hook found fd->l not held */

static void probe_l(void) {
  /* SRW locks are not recursive: held by this thread, the try fails. */
  if (core_test_fd_l_try(fd)) l_was_free = true;
}

/* The console hooks run with fd.l held (readConsole/writeConsole state is
 * guarded by it), and it is released when the call returns.
 * @covers B43 B70 */
static void console_io_holds_fd_l(void **state) {
  (void)state;
  static const uint16_t u[] = {'o', 'k'};
  static const cs_step_t steps[] = {{u, 2, 0, false}};
  cs_script(steps, 1);
  l_was_free = false;
  cs_rf.on_call = probe_l;
  cs_wf.on_call = probe_l;
  FD_READ_EXPECT(8, "ok");
  size_t n = 0;
  assert_int_equal(core_fd_write(fd, "w", 1, &n), 0);
  assert_int_equal(n, 1);
  assert_int_equal(cs_rf.calls, 1);
  assert_int_equal(cs_wf.calls, 1);
  assert_false(l_was_free);
  assert_true(core_test_fd_l_try(fd));
}

/* ---- EOF ------------------------------------------------------------------------ */

/* A 0-byte readConsole is io.EOF at the FD: after a 0-unit ReadConsole and
 * after a leading Ctrl-Z.  A zero-length Read is (0, nil) and never asks
 * the console.
 * @covers B49 B54 B55 B50 */
static void console_zero_bytes_is_eof(void **state) {
  (void)state;
  static const uint16_t a[] = {'h', 'i'};
  static const uint16_t b[] = {0x1A, 'x', 0x1A};
  static const cs_step_t steps[] = {{a, 2, 0, false}, {NULL, 0, 0, false}, {b, 3, 0, false}};
  cs_script(steps, 3);
  FD_READ_EXPECT(8, "hi");
  fd_read_expect_err(CORE_EOF); /* 0 units */
  fd_read_expect_err(CORE_EOF); /* leading Ctrl-Z */
  FD_READ_EXPECT(8, "x");
  fd_read_expect_err(CORE_EOF); /* the second Ctrl-Z */
  size_t calls = cs_rf.calls;
  size_t n = 99;
  assert_int_equal(core_fd_read(fd, NULL, 0, &n), 0);
  assert_int_equal(n, 0);
  assert_int_equal(cs_rf.calls, calls);
  fd_read_expect_err(CORE_EOF); /* past the script */
}

/* A failed ReadConsole is that error with 0 bytes, never EOF.
 * @covers B47 B49 */
static void console_read_error_is_not_eof(void **state) {
  (void)state;
  static const cs_step_t steps[] = {{NULL, 0, ERROR_INVALID_HANDLE, false}, {NULL, 0, 0, true}};
  cs_script(steps, 2);
  fd_read_expect_err(ERROR_INVALID_HANDLE);
  fd_read_expect_err(CORE_EINVAL); /* failed with last error 0 (syscall.errnoErr) */
}

/* Go's TestReadStdin (os/os_windows_test.go) as Go runs it, through the FD:
 * one console FD for all cases, each string fed through the ReadConsole
 * hook with console sizes 1..1000 and Read sizes 1..100; reading until the
 * fifth io.EOF must give the string split at Ctrl-Z, padded with empty
 * pieces to five.
 * @covers B44 B49 B55 B56 */
static void console_read_stdin_like_go(void **state) {
  (void)state;
  static const char *const strs[] = {
      "abc",
      "\xC3\xA4\xC3\xB6\xC3\xBC",                         /* äöü */
      "\xE3\x81\x82",                                     /* U+3042 */
      "\xE2\x80\x9Chi\xE2\x80\x9D\xE2\x84\xA2",           /* “hi”™ */
      "hello\x1Aworld",                                   /* Ctrl-Z inside */
      "\xF0\x9F\x99\x88\xF0\x9F\x99\x89\xF0\x9F\x99\x8A", /* U+1F648..U+1F64A */
  };
  static const size_t console_sizes[] = {1, 2, 3, 10, 16, 100, 1000};
  static const size_t read_sizes[] = {1, 2, 3, 4, 5, 8, 10, 16, 20, 50, 100};
  for (size_t ci = 0; ci < sizeof console_sizes / sizeof console_sizes[0]; ci++) {
    for (size_t ri = 0; ri < sizeof read_sizes / sizeof read_sizes[0]; ri++) {
      for (size_t si = 0; si < sizeof strs / sizeof strs[0]; si++) {
        uint16_t u[32];
        cs_step_t step = {u, cs_to_utf16(strs[si], u), 0, false};
        cs_script(&step, 1);
        cs_rf.console_max = console_sizes[ci];
        char want[5][32] = {{0}};
        size_t k = 0;
        for (const char *p = strs[si]; *p; p++) {
          if (*p == 0x1A) {
            k++;
          } else {
            strncat(want[k], p, 1);
          }
        }
        char got[64];
        size_t ngot = 0, pieces = 0;
        while (pieces < 5) {
          char b[100];
          size_t n = 99;
          int err = core_fd_read(fd, b, read_sizes[ri], &n);
          if (ngot + n > sizeof got) fail_msg("string %lu: runaway read", (unsigned long)si);
          memcpy(got + ngot, b, n);
          ngot += n;
          if (err == CORE_EOF) {
            if (ngot != strlen(want[pieces]) || memcmp(got, want[pieces], ngot) != 0) {
              fail_msg("console %lu, read %lu, string %lu: piece %lu differs",
                       (unsigned long)console_sizes[ci], (unsigned long)read_sizes[ri],
                       (unsigned long)si, (unsigned long)pieces);
            }
            pieces++;
            ngot = 0;
          } else if (err != 0) {
            fail_msg("string %lu: error %d", (unsigned long)si, err);
          }
        }
      }
    }
  }
}

/* ---- maxRW ---------------------------------------------------------------------- */

/* The FD truncates the buffer to maxRW before readConsole, so the unit
 * request follows the truncated length (lowered here through the test
 * hook; the production value is checked too).
 * @covers B42 B52 */
static void console_read_truncated_at_max_rw(void **state) {
  (void)state;
  assert_int_equal(core_max_rw, (size_t)1 << 30);
  static const uint16_t u[] = {'a', 'b', 'c', 'd', 'e', 'f'};
  static const cs_step_t steps[] = {{u, 6, 0, false}};
  cs_script(steps, 1);
  core_max_rw = 3;
  FD_READ_EXPECT(100, "abc");
  assert_int_equal(cs_rf.toread[0], 3);
  FD_READ_EXPECT(100, "def");
  assert_int_equal(cs_rf.calls, 2);
}

/* Write hands writeConsole maxRW-sized pieces; a rune cut by the piece
 * boundary waits in lastbits and is printed once, and each piece counts in
 * full.
 * @covers B72 B74 B76 */
static void console_write_split_at_max_rw(void **state) {
  (void)state;
  core_max_rw = 4;
  size_t n = 0;
  assert_int_equal(core_fd_write(fd,
                                 "ab\xE2\x82\xAC"
                                 "c",
                                 6, &n),
                   0);
  assert_int_equal(n, 6);
  assert_int_equal(cs_wf.calls, 2);
  assert_int_equal(cs_wf.towrite[0], 2); /* "ab"; E2 82 held back */
  assert_int_equal(cs_wf.towrite[1], 2); /* U+20AC "c" */
  CS_EXPECT_OUT('a', 'b', 0x20AC, 'c');
}

/* A failing WriteConsole: writeConsole reports 0 for its piece, and Write
 * returns what the earlier pieces wrote with the error.
 * @covers B73 B78 */
static void console_write_error_counts_earlier_pieces(void **state) {
  (void)state;
  core_max_rw = 4;
  cs_wf.fail_call = 2;
  cs_wf.fail_err = ERROR_INVALID_HANDLE;
  size_t n = 99;
  assert_int_equal(core_fd_write(fd, "abcdefgh", 8, &n), ERROR_INVALID_HANDLE);
  assert_int_equal(n, 4);
  CS_EXPECT_OUT('a', 'b', 'c', 'd');
  /* in one piece, nothing counts */
  core_max_rw = CORE_MAX_RW;
  cs_reset_write();
  cs_wf.fail_call = 1;
  cs_wf.fail_err = ERROR_INVALID_HANDLE;
  n = 99;
  assert_int_equal(core_fd_write(fd, "abcdefgh", 8, &n), ERROR_INVALID_HANDLE);
  assert_int_equal(n, 0);
}

/* A zero-length Write never reaches writeConsole, so a held-back prefix
 * stays held.
 * @covers B71 B76 */
static void console_zero_length_write(void **state) {
  (void)state;
  size_t n = 99;
  assert_int_equal(core_fd_write(fd, "\xF0\x9F", 2, &n), 0);
  assert_int_equal(n, 2);
  assert_int_equal(core_fd_write(fd, "", 0, &n), 0);
  assert_int_equal(n, 0);
  assert_int_equal(cs_wf.calls, 0);
  assert_int_equal(core_test_fd_console(fd)->nlastbits, 2);
  assert_int_equal(core_fd_write(fd, "\x98\x80", 2, &n), 0);
  CS_EXPECT_OUT(0xD83D, 0xDE00);
}

/* ---- Close ------------------------------------------------------------------------ */

/* A closed console FD is a file: use of closed file, and the console is
 * not asked.
 * @covers B41 B69 B27 */
static void console_closed(void **state) {
  (void)state;
  assert_int_equal(core_fd_close(fd), 0);
  fd_closed = true;
  fd_read_expect_err(CORE_EFILECLOSING);
  size_t n = 99;
  assert_int_equal(core_fd_write(fd, "x", 1, &n), CORE_EFILECLOSING);
  assert_int_equal(n, 0);
  assert_int_equal(cs_rf.calls, 0);
  assert_int_equal(cs_wf.calls, 0);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(console_io_holds_fd_l, setup, teardown),
      cmocka_unit_test_setup_teardown(console_zero_bytes_is_eof, setup, teardown),
      cmocka_unit_test_setup_teardown(console_read_error_is_not_eof, setup, teardown),
      cmocka_unit_test_setup_teardown(console_read_stdin_like_go, setup, teardown),
      cmocka_unit_test_setup_teardown(console_read_truncated_at_max_rw, setup, teardown),
      cmocka_unit_test_setup_teardown(console_write_split_at_max_rw, setup, teardown),
      cmocka_unit_test_setup_teardown(console_write_error_counts_earlier_pieces, setup, teardown),
      cmocka_unit_test_setup_teardown(console_zero_length_write, setup, teardown),
      cmocka_unit_test_setup_teardown(console_closed, setup, teardown),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
