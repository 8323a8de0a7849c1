/* test_fw_console.c: fakewin's console and standard handles
 * (fakewin/src/fw_console.c) against spec/win32-fidelity.md F47, F42 and
 * W15: scripted UTF-16 input, captured output, size limits, console calls
 * on other handles, cancellation of a blocked read, modes, std handles with
 * and without a console.  Each case is a program run inside sim worlds over
 * several seeds; SIM_EXPECT ends a failing run, the host asserts it passed,
 * that every handle was closed and, where it matters, the captured output. */
#include "iocpsim_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "fw_int.h"
#include "fw_world.h"
#include "sim.h"

#define SEEDS 8
#define SENTINEL 0xdeadbeefu

typedef void (*host_check_fn)(void);

static void run_seeds_check(void (*fn)(void *), void *arg, host_check_fn check) {
  for (uint64_t seed = 0; seed < SEEDS; seed++) {
    sim_config_t cfg = {.seed = seed};
    sim_result_t r;
    sim_status_t st = sim_run(&cfg, fn, arg, &r);
    if (st != SIM_STATUS_PASS)
      print_message("seed %llu:\n%s\n", (unsigned long long)seed, r.report);
    assert_int_equal(st, SIM_STATUS_PASS);
    assert_int_equal(fw_world_leaked_handles(), 0);
    if (check) check();
    sim_result_free(&r);
  }
}

static void run_seeds(void (*fn)(void *), void *arg) {
  run_seeds_check(fn, arg, NULL);
}

static int teardown(void **state) {
  (void)state;
  fw_world_reset_config();
  fw_world_console_input_clear();
  fw_console_config_t c;
  fw_world_console_defaults(&c);
  fw_world_set_console(&c);
  return 0;
}

#define EXPECT_ERR(expr, err)                   \
  do {                                          \
    SetLastError(SENTINEL);                     \
    SIM_EXPECT(!(expr));                        \
    SIM_EXPECT(GetLastError() == (DWORD)(err)); \
  } while (0)

/* Adds an ASCII (or \x escapes < 0x80) chunk to the script. */
static void script(const char *s, uint64_t delay_ns) {
  uint16_t u[64];
  size_t n = strlen(s);
  for (size_t i = 0; i < n; i++) u[i] = (unsigned char)s[i];
  fw_world_console_input(u, n, delay_ns);
}

static bool units_eq(const uint16_t *u, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (u[i] != (unsigned char)s[i]) return false;
  return true;
}

static void std_handles(HANDLE *in, HANDLE *out, HANDLE *err) {
  *in = GetStdHandle(STD_INPUT_HANDLE);
  *out = GetStdHandle(STD_OUTPUT_HANDLE);
  *err = GetStdHandle(STD_ERROR_HANDLE);
  SIM_EXPECT(*in != NULL && *in != INVALID_HANDLE_VALUE && *out != NULL && *err != NULL);
}

static void close3(HANDLE a, HANDLE b, HANDLE c) {
  SIM_EXPECT(CloseHandle(a) && CloseHandle(b) && CloseHandle(c));
}

/* ---- F47: console calls on other handles
 * --------------------------------------------------------- */

static void non_console_main(void *arg) {
  (void)arg;
  HANDLE in, out, err;
  std_handles(&in, &out, &err);
  HANDLE r, w;
  SIM_EXPECT(CreatePipe(&r, &w, NULL, 0));
  HANDLE f = CreateFileA("C:\\c.txt", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
  SIM_EXPECT(f != INVALID_HANDLE_VALUE);
  uint16_t buf[8];
  DWORD n = SENTINEL, mode = SENTINEL;
  static const uint16_t hi[] = {'h', 'i'};
  HANDLE others[] = {r, w, f};
  for (int i = 0; i < 3; i++) {
    EXPECT_ERR(ReadConsoleW(others[i], buf, 8, &n, NULL), ERROR_INVALID_HANDLE);
    EXPECT_ERR(WriteConsoleW(others[i], hi, 2, &n, NULL), ERROR_INVALID_HANDLE);
    EXPECT_ERR(GetConsoleMode(others[i], &mode), ERROR_INVALID_HANDLE);
  }
  SIM_EXPECT(n == SENTINEL && mode == SENTINEL);
  /* input and output are not interchangeable */
  EXPECT_ERR(ReadConsoleW(out, buf, 8, &n, NULL), ERROR_INVALID_HANDLE);
  EXPECT_ERR(WriteConsoleW(in, hi, 2, &n, NULL), ERROR_INVALID_HANDLE);
  /* the console's own modes */
  SIM_EXPECT(GetConsoleMode(in, &mode) && mode == 0x1F7);
  SIM_EXPECT(GetConsoleMode(out, &mode) &&
             mode == (ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT));
  SIM_EXPECT(SetConsoleMode(in, ENABLE_PROCESSED_INPUT) && GetConsoleMode(in, &mode) &&
             mode == ENABLE_PROCESSED_INPUT);
  EXPECT_ERR(SetConsoleMode(out, 0x100), ERROR_INVALID_PARAMETER);
  SIM_EXPECT(GetFileType(in) == FILE_TYPE_CHAR && GetFileType(out) == FILE_TYPE_CHAR);
  SIM_EXPECT(CloseHandle(r) && CloseHandle(w) && CloseHandle(f));
  close3(in, out, err);
}

/* @covers F47
 * ReadConsoleW, WriteConsoleW and GetConsoleMode on a pipe or a file (or
 * the wrong console direction) fail with ERROR_INVALID_HANDLE; console
 * handles report modes and FILE_TYPE_CHAR. */
static void f47_console_calls_on_other_handles_fail_invalid_handle(void **state) {
  (void)state;
  run_seeds(non_console_main, NULL);
}

/* ---- F47: scripted input
 * --------------------------------------------------------------------------- */

static void script_main(void *arg) {
  (void)arg;
  HANDLE in, out, err;
  std_handles(&in, &out, &err);
  uint16_t buf[16];
  DWORD n = SENTINEL;
  /* one chunk per call, CR LF passed through */
  SIM_EXPECT(ReadConsoleW(in, buf, 16, &n, NULL) && n == 5 && units_eq(buf, "abc\r\n", 5));
  /* a chunk longer than the request is split by the request size */
  SIM_EXPECT(ReadConsoleW(in, buf, 2, &n, NULL) && n == 2 && units_eq(buf, "lo", 2));
  SIM_EXPECT(ReadConsoleW(in, buf, 16, &n, NULL) && n == 4 && units_eq(buf, "ng\r\n", 4));
  /* Ctrl-Z is data */
  SIM_EXPECT(ReadConsoleW(in, buf, 16, &n, NULL) && n == 1 && buf[0] == 0x1A);
  /* a surrogate pair arrives as two units */
  SIM_EXPECT(ReadConsoleW(in, buf, 16, &n, NULL) && n == 2 && buf[0] == 0xD834 && buf[1] == 0xDD1E);
  /* an empty chunk reads as 0 units */
  n = SENTINEL;
  SIM_EXPECT(ReadConsoleW(in, buf, 16, &n, NULL) && n == 0);
  SIM_EXPECT(ReadConsoleW(in, buf, 16, &n, NULL) && n == 3 && units_eq(buf, "end", 3));
  /* the end of the script: TRUE with 0 units, every time */
  for (int i = 0; i < 3; i++) {
    n = SENTINEL;
    SIM_EXPECT(ReadConsoleW(in, buf, 16, &n, NULL) && n == 0);
  }
  close3(in, out, err);
}

static void add_script(void) {
  script("abc\r\n", 0);
  script("long\r\n", 0);
  script("\x1a", 0);
  static const uint16_t clef[] = {0xD834, 0xDD1E};
  fw_world_console_input(clef, 2, 0);
  fw_world_console_input(NULL, 0, 0);
  script("end", 0);
}

/* @covers F47
 * ReadConsoleW hands out the world's scripted UTF-16 chunks: one chunk per
 * call, split by the request size, Ctrl-Z/CR LF/surrogates as data, an
 * empty chunk as 0 units, and TRUE with 0 units after the last chunk. */
static void f47_read_console_returns_script_chunks(void **state) {
  (void)state;
  add_script();
  run_seeds(script_main, NULL);
}

/* ---- F47, W15: size limits
 * ------------------------------------------------------------------------- */

static uint16_t big[70000];

static void limits_main(void *arg) {
  bool wine = arg != NULL;
  HANDLE in, out, err;
  std_handles(&in, &out, &err);
  DWORD n = SENTINEL;
  if (!wine) {
    EXPECT_ERR(ReadConsoleW(in, big, 16385, &n, NULL), ERROR_NOT_ENOUGH_MEMORY);
    EXPECT_ERR(WriteConsoleW(out, big, 32768, &n, NULL), ERROR_NOT_ENOUGH_MEMORY);
    SIM_EXPECT(n == SENTINEL);
    SIM_EXPECT(ReadConsoleW(in, big, 16384, &n, NULL) && n == 3);
    SIM_EXPECT(WriteConsoleW(out, big, 32767, &n, NULL) && n == 32767);
  } else {
    /* W15: Wine 8.0 takes 70000-unit writes and 65536-unit reads */
    SIM_EXPECT(ReadConsoleW(in, big, 65536, &n, NULL) && n == 3);
    SIM_EXPECT(WriteConsoleW(out, big, 70000, &n, NULL) && n == 70000);
  }
  close3(in, out, err);
}

static void check_out_32767(void) {
  size_t n;
  (void)fw_world_console_output(FW_CONSOLE_STDOUT, &n);
  assert_int_equal(n, 32767);
}

static void check_out_70000(void) {
  size_t n;
  (void)fw_world_console_output(FW_CONSOLE_STDOUT, &n);
  assert_int_equal(n, 70000);
}

/* @covers F47
 * Requests above the console's limits (the old 64 KiB shared heap: reads
 * above 16384 units, writes above 32767) fail with ERROR_NOT_ENOUGH_MEMORY
 * and move nothing; at the limits they work. */
static void f47_size_limits_fail_not_enough_memory(void **state) {
  (void)state;
  script("abc", 0);
  run_seeds_check(limits_main, NULL, check_out_32767);
}

/* @covers F47 W15
 * W15: under wine8 there is no limit up to 70000/65536 units. */
static void w15_wine8_no_console_size_limits(void **state) {
  (void)state;
  script("abc", 0);
  fw_world_set_personality(FW_PERSONALITY_WINE8);
  run_seeds_check(limits_main, (void *)1, check_out_70000);
}

/* ---- F42 on the console: a blocked read released
 * --------------------------------------------------- */

typedef struct reader {
  HANDLE in;
  BOOL ok;
  DWORD err, n;
  uint16_t buf[8];
  bool done;
} reader_t;

static DWORD WINAPI reader_fn(LPVOID arg) {
  reader_t *r = arg;
  r->n = SENTINEL;
  SetLastError(0);
  r->ok = ReadConsoleW(r->in, r->buf, 8, &r->n, NULL);
  r->err = GetLastError();
  r->done = true;
  return 0;
}

static void cancel_main(void *arg) {
  bool csio = arg != NULL;
  HANDLE in, out, err;
  std_handles(&in, &out, &err);
  reader_t r = {.in = in};
  HANDLE th = CreateThread(NULL, 0, reader_fn, &r, 0, NULL);
  Sleep(1); /* the chunk is due at 1 s: the reader waits */
  SIM_EXPECT(!r.done);
  if (csio)
    SIM_EXPECT(CancelSynchronousIo(th));
  else
    SIM_EXPECT(CancelIoEx(in, NULL));
  SIM_EXPECT(WaitForSingleObject(th, INFINITE) == WAIT_OBJECT_0 && CloseHandle(th));
  SIM_EXPECT(!r.ok && r.err == ERROR_OPERATION_ABORTED && r.n == SENTINEL);
  /* the input was not consumed: a new read waits for the chunk's time */
  uint16_t buf[8];
  DWORD n = SENTINEL;
  SIM_EXPECT(ReadConsoleW(in, buf, 8, &n, NULL) && n == 2 && units_eq(buf, "ok", 2));
  SIM_EXPECT(GetTickCount64() >= 1000);
  close3(in, out, err);
}

/* @covers F42 F47
 * A ReadConsoleW waiting for input is released by CancelIoEx(h, NULL) and
 * by CancelSynchronousIo with FALSE + ERROR_OPERATION_ABORTED; the input
 * stays for the next read, which waits for the chunk's time. */
static void f42_blocked_read_console_released_by_cancel(void **state) {
  (void)state;
  script("ok", 1000000000ull);
  run_seeds(cancel_main, NULL);
  run_seeds(cancel_main, (void *)1);
}

/* ---- output
 * --------------------------------------------------------------------------------------------- */

static void output_main(void *arg) {
  (void)arg;
  HANDLE in, out, err;
  std_handles(&in, &out, &err);
  static const uint16_t msg[] = {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'};
  DWORD n = SENTINEL;
  /* the fault plan makes the first write partial: the caller writes the rest */
  SIM_EXPECT(WriteConsoleW(out, msg, 11, &n, NULL) && n == 3);
  SIM_EXPECT(WriteConsoleW(out, msg + 3, 8, &n, NULL) && n == 8);
  SIM_EXPECT(WriteConsoleA(err, "E!", 2, &n, NULL) && n == 2);
  /* WriteFile passes bytes through, one unit each */
  SIM_EXPECT(WriteFile(err, "\xe9", 1, &n, NULL) && n == 1);
  HANDLE con = CreateFileA("CONOUT$", GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
  SIM_EXPECT(con != INVALID_HANDLE_VALUE && WriteConsoleA(con, "!", 1, &n, NULL));
  SIM_EXPECT(CloseHandle(con));
  close3(in, out, err);
}

static void check_output(void) {
  size_t n;
  const uint16_t *o = fw_world_console_output(FW_CONSOLE_STDOUT, &n);
  assert_int_equal(n, 12);
  for (size_t i = 0; i < 12; i++) assert_int_equal(o[i], (unsigned char)"hello world!"[i]);
  o = fw_world_console_output(FW_CONSOLE_STDERR, &n);
  assert_int_equal(n, 3);
  assert_int_equal(o[0], 'E');
  assert_int_equal(o[1], '!');
  assert_int_equal(o[2], 0xE9);
}

/* @covers F47
 * WriteConsoleW appends to the world's captured output per stream; a short
 * write from the fault plan reports the units written; CONOUT$ is stdout. */
static void write_console_captures_output_and_partial_writes(void **state) {
  (void)state;
  char e[160];
  assert_int_not_equal(fw_fault_add_text("WriteConsoleW nth=1 -> short bytes=3", e, sizeof e), 0);
  run_seeds_check(output_main, NULL, check_output);
}

static void readfile_main(void *arg) {
  (void)arg;
  HANDLE in = CreateFileA("CONIN$", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
  SIM_EXPECT(in != INVALID_HANDLE_VALUE);
  char buf[8];
  DWORD n = SENTINEL;
  /* ReadFile passes units through as bytes; a unit above 0xFF reads as '?' */
  SIM_EXPECT(ReadFile(in, buf, sizeof buf, &n, NULL) && n == 3 && memcmp(buf, "a?\r", 3) == 0);
  EXPECT_ERR(WriteFile(in, "x", 1, &n, NULL), ERROR_INVALID_HANDLE);
  SIM_EXPECT(ReadFile(in, buf, sizeof buf, &n, NULL) && n == 0);
  SIM_EXPECT(CloseHandle(in));
}

/* ReadFile/WriteFile on console handles pass bytes through (no code page). */
static void console_readfile_passes_bytes_through(void **state) {
  (void)state;
  static const uint16_t u[] = {'a', 0x263A, '\r'};
  fw_world_console_input(u, 3, 0);
  run_seeds(readfile_main, NULL);
}

/* ---- standard handles without a console
 * ------------------------------------------------------------------ */

static void no_console_main(void *arg) {
  (void)arg;
  SIM_EXPECT(GetStdHandle(STD_INPUT_HANDLE) == NULL); /* nothing redirected */
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  SIM_EXPECT(out != NULL && out != INVALID_HANDLE_VALUE && GetStdHandle(STD_OUTPUT_HANDLE) == out);
  SIM_EXPECT(GetFileType(out) == FILE_TYPE_DISK);
  DWORD n, mode;
  EXPECT_ERR(GetConsoleMode(out, &mode), ERROR_INVALID_HANDLE);
  SIM_EXPECT(WriteFile(out, "log", 3, &n, NULL) && n == 3);
  EXPECT_ERR(
      CreateFileA("CONIN$", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL) != INVALID_HANDLE_VALUE,
      ERROR_INVALID_HANDLE);
  EXPECT_ERR(GetStdHandle(5) != INVALID_HANDLE_VALUE, ERROR_INVALID_HANDLE);
  HANDLE r, w;
  SIM_EXPECT(CreatePipe(&r, &w, NULL, 0));
  SIM_EXPECT(SetStdHandle(STD_ERROR_HANDLE, w) && GetStdHandle(STD_ERROR_HANDLE) == w);
  SIM_EXPECT(GetFileType(GetStdHandle(STD_ERROR_HANDLE)) == FILE_TYPE_PIPE);
  SIM_EXPECT(CloseHandle(out) && CloseHandle(r) && CloseHandle(w));
  /* the redirected output is an ordinary file of the world */
  HANDLE f =
      CreateFileA("C:\\log\\out.txt", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  char buf[8];
  SIM_EXPECT(f != INVALID_HANDLE_VALUE && ReadFile(f, buf, sizeof buf, &n, NULL) && n == 3);
  SIM_EXPECT(memcmp(buf, "log", 3) == 0 && CloseHandle(f));
}

/* Without a console GetStdHandle gives NULL, or a file of the world's file
 * system when the configuration redirects that stream; SetStdHandle
 * replaces a standard handle. */
static void std_handles_without_console(void **state) {
  (void)state;
  fw_console_config_t c;
  fw_world_console_defaults(&c);
  c.attached = false;
  snprintf(c.std_path[1], sizeof c.std_path[1], "C:\\log\\out.txt");
  fw_world_set_console(&c);
  run_seeds(no_console_main, NULL);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(f47_console_calls_on_other_handles_fail_invalid_handle, teardown),
      cmocka_unit_test_teardown(f47_read_console_returns_script_chunks, teardown),
      cmocka_unit_test_teardown(f47_size_limits_fail_not_enough_memory, teardown),
      cmocka_unit_test_teardown(w15_wine8_no_console_size_limits, teardown),
      cmocka_unit_test_teardown(f42_blocked_read_console_released_by_cancel, teardown),
      cmocka_unit_test_teardown(write_console_captures_output_and_partial_writes, teardown),
      cmocka_unit_test_teardown(console_readfile_passes_bytes_through, teardown),
      cmocka_unit_test_teardown(std_handles_without_console, teardown),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
