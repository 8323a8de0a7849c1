/* test_console.c: readConsole and writeConsole (core/console.c), spec
 * go-poll.md B50-B56 and B74-B78, driven directly on a core_console_t
 * through the scripted console of console_script.h.  The hooks replace
 * ReadConsoleW/WriteConsoleW, so nothing here needs a real console; on the
 * mingw tier SetLastError/GetLastError are the real ones. */
#include "iocpsim_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console_script.h"

#define FAKE_HANDLE ((HANDLE)(uintptr_t)0x5A5A)
#define H_HALF 0xD83D /* high half of U+1F600 */
#define L_HALF 0xDE00 /* its low half */

static core_console_t con;

/* ---- helpers ------------------------------------------------------------ */

/* One Read of len bytes; asserts success and returns the count. */
static size_t rd(uint8_t *b, size_t len) {
  size_t n = 99;
  int err = core_console_read(&con, FAKE_HANDLE, b, len, &n);
  assert_int_equal(err, 0);
  return n;
}

/* A Read that must return exactly the bytes of want (possibly none). */
static void rd_expect(size_t len, const char *want, size_t nwant) {
  uint8_t b[256];
  assert_true(len <= sizeof b);
  size_t n = rd(b, len);
  if (n != nwant || memcmp(b, want, n) != 0) {
    fail_msg("read(%lu): got %lu bytes, want %lu", (unsigned long)len, (unsigned long)n,
             (unsigned long)nwant);
  }
}
#define RD_EXPECT(len, lit) rd_expect((len), (lit), sizeof(lit) - 1)

static int wr(const void *b, size_t len, size_t *n) {
  return core_console_write(&con, FAKE_HANDLE, b, len, n);
}

/* A Write that must succeed and report len. */
static void wr_ok(const void *b, size_t len) {
  size_t n = 99;
  assert_int_equal(wr(b, len, &n), 0);
  assert_int_equal(n, len);
}
#define WR_OK(lit) wr_ok((lit), sizeof(lit) - 1)

/* ---- fixture -------------------------------------------------------------- */

static int setup(void **state) {
  (void)state;
  memset(&con, 0, sizeof con);
  cs_install(&con, FAKE_HANDLE);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  core_console_free(&con);
  cs_uninstall();
  return 0;
}

/* ---- read: buffers and requests ------------------------------------------ */

/* @covers B50 */
static void read_empty_buffer_makes_no_call(void **state) {
  (void)state;
  static const uint16_t u[] = {'a'};
  static const cs_step_t steps[] = {{u, 1, 0, false}};
  cs_script(steps, 1);
  uint8_t b[1];
  size_t n = 99;
  assert_int_equal(core_console_read(&con, FAKE_HANDLE, b, 0, &n), 0);
  assert_int_equal(n, 0);
  assert_int_equal(cs_rf.calls, 0);
  assert_null(con.readuint16); /* nothing allocated either */
}

/* @covers B51 B52 */
static void read_first_use_allocates_and_caps_request(void **state) {
  (void)state;
  static const uint16_t u[] = {'h', 'i'};
  static const cs_step_t steps[] = {{u, 2, 0, false}};
  cs_script(steps, 1);
  assert_null(con.readuint16);
  static uint8_t big[50000];
  assert_int_equal(rd(big, sizeof big), 2);
  assert_memory_equal(big, "hi", 2);
  assert_non_null(con.readuint16);
  assert_non_null(con.readbyte);
  /* a 50000-byte buffer asks for the whole 10000-unit batch, not more */
  assert_int_equal(cs_rf.calls, 1);
  assert_int_equal(cs_rf.toread[0], CORE_CONSOLE_READ_UNITS);
  assert_int_equal(cs_rf.at[0], 0);
}

/* The byte length of the caller's buffer is used as the unit count: a
 * 7-byte Read of 3-byte characters asks for 7 units, decodes 21 bytes, and
 * the next Reads are served from them without calling ReadConsole.
 * @covers B52 B56 */
static void read_request_is_byte_count_in_units(void **state) {
  (void)state;
  static uint16_t u[20];
  for (size_t i = 0; i < 20; i++) u[i] = 0x20AC; /* EURO SIGN, E2 82 AC */
  static const cs_step_t steps[] = {{u, 20, 0, false}};
  cs_script(steps, 1);
  RD_EXPECT(7, "\xE2\x82\xAC\xE2\x82\xAC\xE2");
  assert_int_equal(cs_rf.calls, 1);
  assert_int_equal(cs_rf.toread[0], 7);
  RD_EXPECT(7, "\x82\xAC\xE2\x82\xAC\xE2\x82");
  RD_EXPECT(7, "\xAC\xE2\x82\xAC\xE2\x82\xAC");
  assert_int_equal(cs_rf.calls, 1); /* 21 bytes served from one batch */
  RD_EXPECT(2, "\xE2\x82");
  assert_int_equal(cs_rf.calls, 2);
  assert_int_equal(cs_rf.toread[1], 2);
}

/* A pending half surrogate takes one unit of the batch: the next request
 * is 10000 - 1 units, written just after it.
 * @covers B52 B53 */
static void read_request_shrinks_by_pending_half(void **state) {
  (void)state;
  static const uint16_t a[] = {'a', H_HALF};
  static const uint16_t b[] = {L_HALF, 'b'};
  static const cs_step_t steps[] = {{a, 2, 0, false}, {b, 2, 0, false}};
  cs_script(steps, 2);
  static uint8_t buf[50000];
  assert_int_equal(rd(buf, sizeof buf), 1);
  assert_memory_equal(buf, "a", 1);
  assert_int_equal(con.nreaduint16, 1);
  assert_int_equal(con.readuint16[0], H_HALF);
  assert_int_equal(rd(buf, sizeof buf), 5);
  assert_memory_equal(buf,
                      "\xF0\x9F\x98\x80"
                      "b",
                      5);
  assert_int_equal(cs_rf.calls, 2);
  assert_int_equal(cs_rf.toread[1], CORE_CONSOLE_READ_UNITS - 1);
  assert_int_equal(cs_rf.at[1], 1);
  /* and a small buffer still asks for its byte count */
  static const uint16_t c[] = {'x', H_HALF};
  static const uint16_t d[] = {L_HALF};
  static const cs_step_t steps2[] = {{c, 2, 0, false}, {d, 1, 0, false}};
  cs_script(steps2, 2);
  RD_EXPECT(2, "x");
  RD_EXPECT(2, "\xF0\x9F");
  assert_int_equal(cs_rf.toread[1], 2);
  assert_int_equal(cs_rf.at[1], 1);
}

/* A full batch of 3-byte characters (30000 bytes) fits the 40000-byte
 * decode buffer and comes back intact.
 * @covers B51 */
static void read_full_batch_of_three_byte_chars(void **state) {
  (void)state;
  static uint16_t u[CORE_CONSOLE_READ_UNITS];
  for (size_t i = 0; i < CORE_CONSOLE_READ_UNITS; i++) u[i] = (uint16_t)(0x3042 + i % 80);
  static const cs_step_t steps[] = {{u, CORE_CONSOLE_READ_UNITS, 0, false}};
  cs_script(steps, 1);
  static uint8_t buf[4 * CORE_CONSOLE_READ_UNITS];
  assert_int_equal(rd(buf, sizeof buf), 3 * CORE_CONSOLE_READ_UNITS);
  for (size_t i = 0; i < CORE_CONSOLE_READ_UNITS; i++) {
    uint32_t r = 0x3042 + i % 80;
    uint8_t e[3] = {(uint8_t)(0xE0 | r >> 12), (uint8_t)(0x80 | (r >> 6 & 0x3F)),
                    (uint8_t)(0x80 | (r & 0x3F))};
    if (memcmp(buf + 3 * i, e, 3) != 0) fail_msg("char %lu differs", (unsigned long)i);
  }
  assert_int_equal(cs_rf.calls, 1);
}

/* ---- read: surrogates ----------------------------------------------------- */

/* A console that hands out one unit per call: the high half arrives alone,
 * is kept, and the same Read calls again (nothing decoded yet) to pair it.
 * @covers B53 B54 */
static void read_pair_split_across_calls(void **state) {
  (void)state;
  static const uint16_t u[] = {H_HALF, L_HALF};
  static const cs_step_t steps[] = {{u, 2, 0, false}};
  cs_script(steps, 1);
  cs_rf.console_max = 1;
  RD_EXPECT(100, "\xF0\x9F\x98\x80");
  assert_int_equal(cs_rf.calls, 2);
  assert_int_equal(cs_rf.at[1], 1);
  assert_int_equal(con.nreaduint16, 0);
}

/* Pairs split across separate script chunks (two ReadConsole results),
 * and with a 1-byte buffer.
 * @covers B53 B56 */
static void read_pair_split_across_chunks(void **state) {
  (void)state;
  static const uint16_t a[] = {'x', 0xD800};
  static const uint16_t b[] = {0xDC00, 0xDBFF};
  static const uint16_t c[] = {0xDFFF};
  static const cs_step_t steps[] = {{a, 2, 0, false}, {b, 2, 0, false}, {c, 1, 0, false}};
  cs_script(steps, 3);
  /* "x" U+10000 U+10FFFF, read one byte at a time */
  static const char want[] = "x\xF0\x90\x80\x80\xF4\x8F\xBF\xBF";
  for (size_t i = 0; i < sizeof want - 1; i++) rd_expect(1, want + i, 1);
  /* a 1-byte Read asks for 1 unit: x | high (kept) | low -> pair | high
   * (kept) | low -> pair */
  assert_int_equal(cs_rf.calls, 5);
  assert_int_equal(cs_rf.at[2], 1);
  assert_int_equal(cs_rf.at[4], 1);
  RD_EXPECT(1, ""); /* past the script: 0 units, 0 bytes */
}

/* A high half followed by anything but a low half is U+FFFD for the high
 * half alone; the next unit is decoded on its own (and may itself start a
 * pair).
 * @covers B53 */
static void read_lone_high_half(void **state) {
  (void)state;
  static const uint16_t u[] = {H_HALF, 'x', H_HALF, H_HALF, L_HALF, 0xDBFF, 0xE000};
  static const cs_step_t steps[] = {{u, 7, 0, false}};
  cs_script(steps, 1);
  RD_EXPECT(100,
            "\xEF\xBF\xBD"
            "x"
            "\xEF\xBF\xBD"
            "\xF0\x9F\x98\x80"
            "\xEF\xBF\xBD"
            "\xEE\x80\x80");
}

/* A low half never starts a pair: U+FFFD, and the next unit is decoded on
 * its own.
 * @covers B53 */
static void read_lone_low_half(void **state) {
  (void)state;
  static const uint16_t u[] = {L_HALF, 'x', 0xDFFF, H_HALF, L_HALF, L_HALF, L_HALF, 'y'};
  static const cs_step_t steps[] = {{u, 8, 0, false}};
  cs_script(steps, 1);
  RD_EXPECT(100,
            "\xEF\xBF\xBD"
            "x"
            "\xEF\xBF\xBD"
            "\xF0\x9F\x98\x80"
            "\xEF\xBF\xBD"
            "\xEF\xBF\xBD"
            "y");
}

/* A low half that ends a batch is kept as pending too (IsSurrogate covers
 * both halves); the next batch then turns it into U+FFFD.
 * @covers B53 */
static void read_low_half_at_batch_end_is_kept(void **state) {
  (void)state;
  static const uint16_t a[] = {'a', L_HALF};
  static const uint16_t b[] = {'b'};
  static const cs_step_t steps[] = {{a, 2, 0, false}, {b, 1, 0, false}};
  cs_script(steps, 2);
  RD_EXPECT(100, "a");
  assert_int_equal(con.nreaduint16, 1);
  assert_int_equal(con.readuint16[0], L_HALF);
  RD_EXPECT(100,
            "\xEF\xBF\xBD"
            "b");
}

/* A half that ends a batch followed by a 0-unit read becomes U+FFFD, and
 * that Read returns it: the 0-unit read is not reported as EOF.  The next
 * Read reads on.
 * @covers B53 B54 */
static void read_half_then_zero_units_is_fffd(void **state) {
  (void)state;
  static const uint16_t a[] = {'a', H_HALF};
  static const uint16_t b[] = {L_HALF};
  static const uint16_t c[] = {'z'};
  static const cs_step_t steps[] = {{a, 2, 0, false},
                                    {NULL, 0, 0, false},
                                    {b, 1, 0, false},
                                    {NULL, 0, 0, false},
                                    {c, 1, 0, false}};
  cs_script(steps, 5);
  RD_EXPECT(100, "a");
  RD_EXPECT(100, "\xEF\xBF\xBD"); /* the high half, flushed by the 0-unit read */
  assert_int_equal(con.nreaduint16, 0);
  assert_int_equal(cs_rf.calls, 2);
  /* One Read: the low half alone decodes to nothing and is kept, so the
   * loop calls again; that call returns 0 units and flushes it. */
  RD_EXPECT(100, "\xEF\xBF\xBD");
  assert_int_equal(cs_rf.calls, 4);
  RD_EXPECT(100, "z");
  assert_int_equal(cs_rf.calls, 5);
}

/* ---- read: EOF and Ctrl-Z ------------------------------------------------ */

/* A 0-unit ReadConsole ends the Read with 0 bytes (EOF at the FD), and the
 * next Read asks the console again.
 * @covers B54 */
static void read_zero_units_returns_zero(void **state) {
  (void)state;
  static const uint16_t u[] = {'o', 'k'};
  static const cs_step_t steps[] = {{NULL, 0, 0, false}, {u, 2, 0, false}};
  cs_script(steps, 2);
  RD_EXPECT(10, "");
  assert_int_equal(cs_rf.calls, 1);
  RD_EXPECT(10, "ok");
  assert_int_equal(cs_rf.calls, 2);
}

/* Ctrl-Z as the first byte is consumed and the Read returns 0.
 * @covers B55 */
static void read_ctrl_z_first(void **state) {
  (void)state;
  static const uint16_t u[] = {0x1A, 'a', 'b', 'c'};
  static const cs_step_t steps[] = {{u, 4, 0, false}};
  cs_script(steps, 1);
  RD_EXPECT(100, "");
  RD_EXPECT(100, "abc");
  assert_int_equal(cs_rf.calls, 1);
}

/* Ctrl-Z after other bytes ends the Read before it; it stays, and the next
 * Read consumes it and returns 0.
 * @covers B55 B56 */
static void read_ctrl_z_later(void **state) {
  (void)state;
  static const uint16_t u[] = {'a', 'b', 0x1A, 'c', 'd'};
  static const cs_step_t steps[] = {{u, 5, 0, false}};
  cs_script(steps, 1);
  RD_EXPECT(100, "ab");
  assert_int_equal(con.readbyte[con.readbyte_offset], 0x1A);
  RD_EXPECT(100, "");
  RD_EXPECT(100, "cd");
  assert_int_equal(cs_rf.calls, 1);
}

/* Each Ctrl-Z of a run is one 0-byte Read.
 * @covers B55 */
static void read_ctrl_z_repeated(void **state) {
  (void)state;
  static const uint16_t u[] = {0x1A, 0x1A, 'x', 0x1A, 0x1A, 'y'};
  static const cs_step_t steps[] = {{u, 6, 0, false}};
  cs_script(steps, 1);
  RD_EXPECT(100, "");
  RD_EXPECT(100, "");
  RD_EXPECT(100, "x");
  RD_EXPECT(100, "");
  RD_EXPECT(100, "");
  RD_EXPECT(100, "y");
  assert_int_equal(cs_rf.calls, 1);
}

/* ---- read: errors ---------------------------------------------------------- */

/* A failed ReadConsole returns its last error and 0 bytes; a pending half
 * survives the failure and pairs with the next batch.
 * @covers B52 */
static void read_error_propagates(void **state) {
  (void)state;
  static const uint16_t a[] = {'a', H_HALF};
  static const uint16_t b[] = {L_HALF};
  static const cs_step_t steps[] = {
      {a, 2, 0, false}, {NULL, 0, ERROR_INVALID_HANDLE, false}, {b, 1, 0, false}};
  cs_script(steps, 3);
  RD_EXPECT(100, "a");
  uint8_t buf[100];
  size_t n = 99;
  assert_int_equal(core_console_read(&con, FAKE_HANDLE, buf, sizeof buf, &n), ERROR_INVALID_HANDLE);
  assert_int_equal(n, 0);
  assert_int_equal(con.nreaduint16, 1);
  RD_EXPECT(100, "\xF0\x9F\x98\x80");
}

/* Go's syscall reports a failure whose last error is 0 as EINVAL.
 * @covers B52 */
static void read_error_without_code_is_einval(void **state) {
  (void)state;
  static const cs_step_t steps[] = {{NULL, 0, 0, true}};
  cs_script(steps, 1);
  uint8_t buf[8];
  size_t n = 99;
  assert_int_equal(core_console_read(&con, FAKE_HANDLE, buf, sizeof buf, &n), CORE_EINVAL);
  assert_int_equal(n, 0);
}

/* ---- read: every buffer size --------------------------------------------- */

/* Go's TestReadStdin (os/os_windows_test.go), at the console level: for
 * each string, each console size (units per ReadConsole) and every buffer
 * size from 1 to 100 bytes, read until five 0-byte Reads; the bytes
 * between them must be the string split at its Ctrl-Z, padded with empty
 * pieces to five.
 * @covers B52 B53 B54 B55 B56 */
static void read_every_buffer_size_go_strings(void **state) {
  (void)state;
  static const char *const strs[] = {
      "abc",
      "\xC3\xA4\xC3\xB6\xC3\xBC",               /* äöü */
      "\xE3\x81\x82",                           /* U+3042 */
      "\xE2\x80\x9Chi\xE2\x80\x9D\xE2\x84\xA2", /* “hi”™ */
      "hello\x1Aworld",
      "\xF0\x9F\x99\x88\xF0\x9F\x99\x89\xF0\x9F\x99\x8A", /* U+1F648..U+1F64A */
  };
  static const size_t console_sizes[] = {1, 2, 3, 10, 16, 100, 1000};
  for (size_t si = 0; si < sizeof strs / sizeof strs[0]; si++) {
    uint16_t u[64];
    size_t nu = cs_to_utf16(strs[si], u);
    /* the expected pieces */
    char want[5][64];
    size_t nwant[5] = {0};
    size_t k = 0;
    for (const char *p = strs[si]; *p; p++) {
      if (*p == 0x1A) {
        k++;
      } else {
        want[k][nwant[k]++] = *p;
      }
    }
    for (size_t ci = 0; ci < sizeof console_sizes / sizeof console_sizes[0]; ci++) {
      for (size_t rs = 1; rs <= 100; rs++) {
        core_console_free(&con);
        cs_step_t step = {u, nu, 0, false};
        cs_script(&step, 1);
        cs_rf.console_max = console_sizes[ci];
        char got[64];
        size_t ngot = 0, pieces = 0, guard = 0;
        while (pieces < 5) {
          uint8_t b[100];
          size_t n = rd(b, rs);
          if (n == 0) {
            if (ngot != nwant[pieces] || memcmp(got, want[pieces], ngot) != 0) {
              fail_msg("string %lu, console %lu, buffer %lu: piece %lu differs", (unsigned long)si,
                       (unsigned long)console_sizes[ci], (unsigned long)rs, (unsigned long)pieces);
            }
            pieces++;
            ngot = 0;
          } else {
            if (ngot + n > sizeof got) fail_msg("string %lu: runaway read", (unsigned long)si);
            memcpy(got + ngot, b, n);
            ngot += n;
          }
          if (++guard > 10000) fail_msg("string %lu: stuck", (unsigned long)si);
        }
      }
    }
  }
}

/* A deterministic generated script (splitmix64, fixed seed) mixing ASCII,
 * 2- and 3-byte characters, pairs, lone high and low halves, Ctrl-Z,
 * chunk boundaries anywhere (inside pairs too) and 0-unit reads.  Every
 * buffer size 1..100 and three console sizes must give the same stream of
 * bytes and 0-byte Reads as a reference decoder written independently
 * below. */

static uint64_t rng_state;
static uint64_t rng_next(void) {
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

#define GEN_UNITS 3000
#define GEN_STEPS 512
#define EV_EOF 0x100 /* a 0-byte Read in an event stream */
#define EV_MAX 16384

static uint16_t gen_u[GEN_UNITS + 4];
static cs_step_t gen_steps[GEN_STEPS];
static size_t gen_nsteps;

static void gen_script(uint64_t seed) {
  rng_state = seed;
  size_t nu = 0, start = 0;
  gen_nsteps = 0;
  while (nu < GEN_UNITS && gen_nsteps < GEN_STEPS - 2) {
    unsigned pick = (unsigned)(rng_next() % 100);
    if (pick < 45) {
      gen_u[nu++] = (uint16_t)('a' + rng_next() % 26);
    } else if (pick < 52) {
      gen_u[nu++] = 0x1A;
    } else if (pick < 60) {
      gen_u[nu++] = (uint16_t)(0xC0 + rng_next() % 0x700); /* 2-byte */
    } else if (pick < 68) {
      gen_u[nu++] = (uint16_t)(0x3000 + rng_next() % 0x1000); /* 3-byte */
    } else if (pick < 78) {
      uint32_t r = 0x10000 + (uint32_t)(rng_next() % 0x100000);
      gen_u[nu++] = (uint16_t)(0xD800 + ((r - 0x10000) >> 10));
      gen_u[nu++] = (uint16_t)(0xDC00 + ((r - 0x10000) & 0x3FF));
    } else if (pick < 84) {
      gen_u[nu++] = (uint16_t)(0xD800 + rng_next() % 0x400); /* lone high */
    } else if (pick < 90) {
      gen_u[nu++] = (uint16_t)(0xDC00 + rng_next() % 0x400); /* lone low */
    } else if (pick < 97) {
      if (nu > start) { /* end the chunk here (may split a pair) */
        gen_steps[gen_nsteps++] = (cs_step_t){gen_u + start, nu - start, 0, false};
        start = nu;
      }
    } else {
      if (nu > start) {
        gen_steps[gen_nsteps++] = (cs_step_t){gen_u + start, nu - start, 0, false};
        start = nu;
      }
      gen_steps[gen_nsteps++] = (cs_step_t){NULL, 0, 0, false};
    }
  }
  if (nu > start) gen_steps[gen_nsteps++] = (cs_step_t){gen_u + start, nu - start, 0, false};
}

static void ev_push(uint16_t *ev, size_t *nev, uint16_t e) {
  if (*nev >= EV_MAX) fail_msg("event stream too long");
  ev[(*nev)++] = e;
}

static void ev_push_utf8(uint16_t *ev, size_t *nev, uint32_t r) {
  if (r < 0x80) {
    ev_push(ev, nev, (uint16_t)r);
  } else if (r < 0x800) {
    ev_push(ev, nev, (uint16_t)(0xC0 | r >> 6));
    ev_push(ev, nev, (uint16_t)(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    ev_push(ev, nev, (uint16_t)(0xE0 | r >> 12));
    ev_push(ev, nev, (uint16_t)(0x80 | (r >> 6 & 0x3F)));
    ev_push(ev, nev, (uint16_t)(0x80 | (r & 0x3F)));
  } else {
    ev_push(ev, nev, (uint16_t)(0xF0 | r >> 18));
    ev_push(ev, nev, (uint16_t)(0x80 | (r >> 12 & 0x3F)));
    ev_push(ev, nev, (uint16_t)(0x80 | (r >> 6 & 0x3F)));
    ev_push(ev, nev, (uint16_t)(0x80 | (r & 0x3F)));
  }
}

/* The reference: the units between two 0-unit reads form one stream
 * (chunk boundaries do not matter); a high half directly followed by a low
 * half is one rune, any other half is U+FFFD; Ctrl-Z is a 0-byte Read.
 * Each 0-unit read is a 0-byte Read, except when the stream before it
 * ended in an unpaired half: then the 0-unit read only flushes that half
 * as U+FFFD (B53/B54).  The end of the script is a last 0-unit read. */
static size_t reference_events(uint16_t *ev) {
  size_t nev = 0;
  size_t i = 0;
  while (i <= gen_nsteps) {
    /* gather one stream: steps up to the next 0-unit step (or the end) */
    static uint16_t s[GEN_UNITS + 4];
    size_t ns = 0;
    while (i < gen_nsteps && gen_steps[i].n > 0) {
      memcpy(s + ns, gen_steps[i].u, gen_steps[i].n * sizeof(uint16_t));
      ns += gen_steps[i].n;
      i++;
    }
    bool unpaired_tail = false;
    for (size_t j = 0; j < ns; j++) {
      uint16_t x = s[j];
      if (x >= 0xD800 && x < 0xDC00 && j + 1 < ns && s[j + 1] >= 0xDC00 && s[j + 1] < 0xE000) {
        ev_push_utf8(ev, &nev, 0x10000 + ((uint32_t)(x - 0xD800) << 10) + (s[j + 1] - 0xDC00));
        j++;
      } else if (x >= 0xD800 && x < 0xE000) {
        ev_push_utf8(ev, &nev, 0xFFFD);
        if (j + 1 == ns) unpaired_tail = true;
      } else if (x == 0x1A) {
        ev_push(ev, &nev, EV_EOF);
      } else {
        ev_push_utf8(ev, &nev, x);
      }
    }
    if (i == gen_nsteps) { /* the end of the script: 0 units from now on */
      ev_push(ev, &nev, EV_EOF);
      break;
    }
    if (!unpaired_tail) ev_push(ev, &nev, EV_EOF);
    i++; /* past the 0-unit step */
  }
  return nev;
}

/* @covers B53 B54 B55 B56 */
static void read_every_buffer_size_generated(void **state) {
  (void)state;
  static uint16_t want[EV_MAX], got[EV_MAX];
  static const size_t console_sizes[] = {0, 1, 3};
  static const uint64_t seeds[] = {1, 0xC0FFEE, 20261101};
  for (size_t sd = 0; sd < sizeof seeds / sizeof seeds[0]; sd++) {
    gen_script(seeds[sd]);
    size_t nwant = reference_events(want);
    for (size_t ci = 0; ci < 3; ci++) {
      for (size_t rs = 1; rs <= 100; rs++) {
        core_console_free(&con);
        cs_script(gen_steps, gen_nsteps);
        cs_rf.console_max = console_sizes[ci];
        size_t ngot = 0;
        for (;;) {
          uint8_t b[100];
          size_t n = rd(b, rs);
          if (n == 0) {
            ev_push(got, &ngot, EV_EOF);
            if (cs_rf.past_end) break;
          }
          for (size_t k = 0; k < n; k++) ev_push(got, &ngot, b[k]);
        }
        if (ngot != nwant || memcmp(got, want, ngot * sizeof got[0]) != 0) {
          size_t k = 0;
          while (k < ngot && k < nwant && got[k] == want[k]) k++;
          fail_msg("seed %lu console %lu buffer %lu: streams differ at event %lu (%lu vs %lu)",
                   (unsigned long)sd, (unsigned long)console_sizes[ci], (unsigned long)rs,
                   (unsigned long)k, (unsigned long)ngot, (unsigned long)nwant);
        }
      }
    }
  }
}

/* ---- write ---------------------------------------------------------------- */

/* @covers B74 B77 */
static void write_ascii(void **state) {
  (void)state;
  WR_OK("hello");
  assert_int_equal(cs_wf.calls, 1);
  assert_int_equal(cs_wf.towrite[0], 5);
  CS_EXPECT_OUT('h', 'e', 'l', 'l', 'o');
  assert_int_equal(con.nlastbits, 0);
}

/* A rune split across Writes is held back and printed once, whole; each
 * Write still reports its full length.
 * @covers B74 B76 */
static void write_rune_split_across_writes(void **state) {
  (void)state;
  WR_OK("a\xE2\x82");
  CS_EXPECT_OUT('a');
  assert_int_equal(con.nlastbits, 2);
  assert_memory_equal(con.lastbits, "\xE2\x82", 2);
  WR_OK(
      "\xAC"
      "b");
  CS_EXPECT_OUT('a', 0x20AC, 'b');
  assert_int_equal(con.nlastbits, 0);
  assert_int_equal(cs_wf.calls, 2);
}

/* A 4-byte rune split at every point, and fed one byte per Write: no
 * WriteConsole until it is complete, then one pair.
 * @covers B74 B76 */
static void write_four_byte_rune_every_split(void **state) {
  (void)state;
  static const char r4[] = "\xF0\x9F\x98\x80";
  for (size_t cut = 1; cut < 4; cut++) {
    core_console_free(&con);
    cs_reset_write();
    wr_ok(r4, cut);
    assert_int_equal(cs_wf.calls, 0);
    assert_int_equal(con.nlastbits, cut);
    wr_ok(r4 + cut, 4 - cut);
    CS_EXPECT_OUT(H_HALF, L_HALF);
    assert_int_equal(cs_wf.calls, 1);
  }
  core_console_free(&con);
  cs_reset_write();
  for (size_t i = 0; i < 4; i++) wr_ok(r4 + i, 1);
  CS_EXPECT_OUT(H_HALF, L_HALF);
  assert_int_equal(cs_wf.calls, 1);
}

typedef struct bad_case {
  const char *in;
  size_t nin;
  uint16_t out[8];
  size_t nout;
  size_t nlast; /* bytes left in lastbits (the input's last nlast bytes) */
} bad_case_t;

#define FFFD 0xFFFD

/* Invalid UTF-8 in one Write, class by class (utf8.DecodeRune: U+FFFD of
 * width 1 for each bad byte; utf8.FullRune decides what waits).
 * @covers B75 B76 */
static void write_invalid_utf8_classes(void **state) {
  (void)state;
  static const bad_case_t cases[] = {
      /* stray continuation bytes */
      {"\x80", 1, {FFFD}, 1, 0},
      {"a\xBF"
       "b",
       3,
       {'a', FFFD, 'b'},
       3,
       0},
      /* C0/C1 leads: overlong 2-byte forms */
      {"\xC0\x80", 2, {FFFD, FFFD}, 2, 0},
      {"\xC1\xBF", 2, {FFFD, FFFD}, 2, 0},
      /* overlong 3- and 4-byte forms */
      {"\xE0\x80\x80", 3, {FFFD, FFFD, FFFD}, 3, 0},
      {"\xE0\x9F\xBF", 3, {FFFD, FFFD, FFFD}, 3, 0},
      {"\xF0\x8F\xBF\xBF", 4, {FFFD, FFFD, FFFD, FFFD}, 4, 0},
      /* UTF-8-encoded surrogates ED A0..BF */
      {"\xED\xA0\x80", 3, {FFFD, FFFD, FFFD}, 3, 0},
      {"\xED\xBF\xBF", 3, {FFFD, FFFD, FFFD}, 3, 0},
      {"\xED\x9F\xBF", 3, {0xD7FF}, 1, 0}, /* the last code point below them is fine */
      /* above U+10FFFF, and leads that can never start a sequence */
      {"\xF4\x90\x80\x80", 4, {FFFD, FFFD, FFFD, FFFD}, 4, 0},
      {"\xF4\x8F\xBF\xBF", 4, {0xDBFF, 0xDFFF}, 2, 0}, /* U+10FFFF itself */
      {"\xF5\x80\x80\x80", 4, {FFFD, FFFD, FFFD, FFFD}, 4, 0},
      {"\xFF", 1, {FFFD}, 1, 0},
      {"\xF8\x88\x80\x80\x80", 5, {FFFD, FFFD, FFFD, FFFD, FFFD}, 5, 0},
      /* cut short inside the Write by a non-continuation byte */
      {"a\xE2\x82"
       "Xb",
       5,
       {'a', FFFD, FFFD, 'X', 'b'},
       5,
       0},
      {"\xF0\x9F\x98"
       "A",
       4,
       {FFFD, FFFD, FFFD, 'A'},
       4,
       0},
      /* cut short at the end, but FullRune already sees a bad byte: written
       * now, nothing held back */
      {"\xE2\x28", 2, {FFFD, '('}, 2, 0},
      {"\xF0\x9F\x28", 3, {FFFD, FFFD, '('}, 3, 0},
      {"\xED\xA0", 2, {FFFD, FFFD}, 2, 0},
      {"\xF4\x90", 2, {FFFD, FFFD}, 2, 0},
      {"\xE0\x9F", 2, {FFFD, FFFD}, 2, 0},
      {"\xC0", 1, {FFFD}, 1, 0},
      /* valid prefixes at the end: held back */
      {"x\xC2", 2, {'x'}, 1, 1},
      {"x\xE0\xA0", 3, {'x'}, 1, 2},
      {"x\xF0\x90\x80", 4, {'x'}, 1, 3},
      {"\xF4\x8F\xBF", 3, {0}, 0, 3},
      /* U+FFFD written literally is just a rune */
      {"\xEF\xBF\xBD", 3, {FFFD}, 1, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    core_console_free(&con);
    cs_reset_write();
    size_t n = 99;
    assert_int_equal(wr(cases[i].in, cases[i].nin, &n), 0);
    assert_int_equal(n, cases[i].nin);
    if (cs_wf.nout != cases[i].nout || memcmp(cs_wf.out, cases[i].out, cs_wf.nout * 2) != 0) {
      fail_msg("case %lu: %lu units written, want %lu", (unsigned long)i, (unsigned long)cs_wf.nout,
               (unsigned long)cases[i].nout);
    }
    if (con.nlastbits != cases[i].nlast ||
        memcmp(con.lastbits, cases[i].in + cases[i].nin - cases[i].nlast, cases[i].nlast) != 0) {
      fail_msg("case %lu: lastbits holds %lu bytes, want %lu", (unsigned long)i,
               (unsigned long)con.nlastbits, (unsigned long)cases[i].nlast);
    }
    assert_int_equal(cs_wf.calls, cases[i].nout > 0 ? 1 : 0);
  }
}

/* A held-back prefix that the next Write does not complete: the joined
 * bytes decode as Go decodes append(lastbits, b...).
 * @covers B75 B76 */
static void write_prefix_completed_badly(void **state) {
  (void)state;
  WR_OK("\xE2\x82");
  assert_int_equal(cs_wf.calls, 0);
  WR_OK("A");
  CS_EXPECT_OUT(FFFD, FFFD, 'A');
  /* a 3-byte prefix followed by a new lead: all three bytes are errors */
  cs_reset_write();
  WR_OK("\xF0\x9F\x98");
  WR_OK("\xF0\x9F\x98\x80");
  CS_EXPECT_OUT(FFFD, FFFD, FFFD, H_HALF, L_HALF);
  /* a prefix that the next Write extends but still does not finish */
  cs_reset_write();
  WR_OK("\xF0");
  WR_OK("\x9F");
  assert_int_equal(con.nlastbits, 2);
  WR_OK(
      "\x98"
      "\x80"
      "z");
  CS_EXPECT_OUT(H_HALF, L_HALF, 'z');
}

/* A Write of nothing keeps a held prefix and writes nothing.
 * @covers B76 */
static void write_empty_keeps_lastbits(void **state) {
  (void)state;
  WR_OK("\xE2");
  size_t n = 99;
  assert_int_equal(wr("", 0, &n), 0);
  assert_int_equal(n, 0);
  assert_int_equal(con.nlastbits, 1);
  assert_int_equal(cs_wf.calls, 0);
}

static uint8_t big_in[4 * 16002 + 8];

/* @covers B77 */
static void write_chunks_of_16000_runes(void **state) {
  (void)state;
  memset(big_in, 'a', 16000);
  wr_ok(big_in, 16000);
  assert_int_equal(cs_wf.calls, 1);
  assert_int_equal(cs_wf.towrite[0], 16000);
  cs_reset_write();
  memset(big_in, 'b', 16001);
  wr_ok(big_in, 16001);
  assert_int_equal(cs_wf.calls, 2);
  assert_int_equal(cs_wf.towrite[0], 16000);
  assert_int_equal(cs_wf.towrite[1], 1);
  assert_int_equal(cs_wf.nout, 16001);
  for (size_t i = 0; i < cs_wf.nout; i++) assert_int_equal(cs_wf.out[i], 'b');
}

/* The chunk is counted in runes: supplementary runes make 32000-unit calls.
 * @covers B77 */
static void write_chunks_count_runes_not_units(void **state) {
  (void)state;
  for (size_t i = 0; i < 16001; i++) memcpy(big_in + 4 * i, "\xF0\x9F\x98\x80", 4);
  wr_ok(big_in, 4 * 16000);
  assert_int_equal(cs_wf.calls, 1);
  assert_int_equal(cs_wf.towrite[0], 32000);
  cs_reset_write();
  wr_ok(big_in, 4 * 16001);
  assert_int_equal(cs_wf.calls, 2);
  assert_int_equal(cs_wf.towrite[0], 32000);
  assert_int_equal(cs_wf.towrite[1], 2);
  for (size_t i = 0; i < cs_wf.nout; i += 2) {
    assert_int_equal(cs_wf.out[i], H_HALF);
    assert_int_equal(cs_wf.out[i + 1], L_HALF);
  }
  /* 15999 ASCII + 2 pairs: the first chunk ends after the first pair */
  cs_reset_write();
  memset(big_in, 'c', 15999);
  memcpy(big_in + 15999, "\xF0\x9F\x98\x80\xF0\x9F\x98\x81", 8);
  wr_ok(big_in, 15999 + 8);
  assert_int_equal(cs_wf.calls, 2);
  assert_int_equal(cs_wf.towrite[0], 16001);
  assert_int_equal(cs_wf.towrite[1], 2);
  assert_int_equal(cs_wf.first[1], H_HALF);
  assert_int_equal(cs_wf.out[16002], 0xDE01);
}

/* A console that takes fewer units than offered gets the rest again, even
 * when the cut falls between the halves of a pair.
 * @covers B77 */
static void write_partial_written_retried(void **state) {
  (void)state;
  cs_wf.written[0] = 3;
  cs_wf.written[1] = 5;
  WR_OK("abcdefghij");
  assert_int_equal(cs_wf.calls, 3);
  assert_int_equal(cs_wf.towrite[0], 10);
  assert_int_equal(cs_wf.towrite[1], 7);
  assert_int_equal(cs_wf.towrite[2], 2);
  assert_int_equal(cs_wf.first[1], 'd');
  assert_int_equal(cs_wf.first[2], 'i');
  CS_EXPECT_OUT('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');

  cs_reset_write();
  cs_wf.written[0] = 2; /* 'x' and the high half */
  WR_OK("x\xF0\x9F\x98\x80y");
  assert_int_equal(cs_wf.calls, 2);
  assert_int_equal(cs_wf.towrite[1], 2);
  assert_int_equal(cs_wf.first[1], L_HALF);
  CS_EXPECT_OUT('x', H_HALF, L_HALF, 'y');
}

/* A failed WriteConsole returns (0, err) although the first chunk went out,
 * and lastbits keeps what this Write held back (Go stores it before
 * writing); the next Write completes that rune.
 * @covers B78 B76 */
static void write_error_after_first_chunk(void **state) {
  (void)state;
  memset(big_in, 'a', 16001);
  memcpy(big_in + 16001, "\xE2\x82", 2);
  cs_wf.fail_call = 2;
  cs_wf.fail_err = ERROR_INVALID_HANDLE;
  size_t n = 99;
  assert_int_equal(wr(big_in, 16003, &n), ERROR_INVALID_HANDLE);
  assert_int_equal(n, 0);
  assert_int_equal(cs_wf.nout, 16000); /* the first chunk was written */
  assert_int_equal(cs_wf.calls, 2);
  assert_int_equal(con.nlastbits, 2);
  assert_memory_equal(con.lastbits, "\xE2\x82", 2);
  cs_reset_write();
  WR_OK("\xAC");
  CS_EXPECT_OUT(0x20AC);
}

/* A failure while retrying the tail of a partly written chunk.
 * @covers B78 */
static void write_error_during_retry(void **state) {
  (void)state;
  cs_wf.written[0] = 4;
  cs_wf.fail_call = 2;
  cs_wf.fail_err = ERROR_NOT_ENOUGH_MEMORY;
  size_t n = 99;
  assert_int_equal(wr("abcdefgh", 8, &n), ERROR_NOT_ENOUGH_MEMORY);
  assert_int_equal(n, 0);
  CS_EXPECT_OUT('a', 'b', 'c', 'd');
  assert_int_equal(con.nlastbits, 0);
}

/* @covers B78 */
static void write_error_without_code_is_einval(void **state) {
  (void)state;
  cs_wf.fail_call = 1;
  cs_wf.fail_err = 0;
  size_t n = 99;
  assert_int_equal(wr("a", 1, &n), CORE_EINVAL);
  assert_int_equal(n, 0);
}

/* Random valid and invalid UTF-8 built from pieces with known output,
 * split into Writes of 1..100 bytes: the console must receive exactly the
 * expected units, whatever the split (a truncated piece is always followed
 * by ASCII so that it cannot join its neighbour).
 * @covers B74 B75 B76 */
static void write_split_anywhere_matches_reference(void **state) {
  (void)state;
  /* pieces whose output does not depend on their neighbours */
  static const struct {
    const char *b;
    size_t nb;
    uint16_t u[4];
    size_t nu;
  } pieces[] = {
      {"\xC3\xA9", 2, {0xE9}, 1},                           /* U+00E9 */
      {"\xE6\x97\xA5", 3, {0x65E5}, 1},                     /* U+65E5 */
      {"\xF0\x9F\x98\x80", 4, {H_HALF, L_HALF}, 2},         /* U+1F600 */
      {"\x80", 1, {FFFD}, 1},                               /* stray continuation */
      {"\xC0\x80", 2, {FFFD, FFFD}, 2},                     /* overlong NUL */
      {"\xED\xA0\x80", 3, {FFFD, FFFD, FFFD}, 3},           /* encoded surrogate */
      {"\xF4\x90\x80\x80", 4, {FFFD, FFFD, FFFD, FFFD}, 4}, /* above U+10FFFF */
      /* truncated sequences, each closed by ASCII so that a following
       * continuation byte cannot complete them */
      {"\xE2\x82"
       "q",
       3,
       {FFFD, FFFD, 'q'},
       3},
      {"\xF0\x9F\x98"
       "r",
       4,
       {FFFD, FFFD, FFFD, 'r'},
       4},
  };
  static uint8_t in[20000];
  static uint16_t want[20000];
  size_t nin = 0, nwant = 0;
  rng_state = 77;
  while (nin < sizeof in - 8) {
    size_t pick = (size_t)(rng_next() % (sizeof pieces / sizeof pieces[0] + 3));
    if (pick >= sizeof pieces / sizeof pieces[0]) { /* ASCII, more often */
      in[nin] = (uint8_t)('A' + rng_next() % 26);
      want[nwant++] = in[nin++];
      continue;
    }
    memcpy(in + nin, pieces[pick].b, pieces[pick].nb);
    nin += pieces[pick].nb;
    memcpy(want + nwant, pieces[pick].u, pieces[pick].nu * sizeof(uint16_t));
    nwant += pieces[pick].nu;
  }
  for (size_t maxw = 1; maxw <= 100; maxw++) {
    core_console_free(&con);
    cs_reset_write();
    size_t pos = 0;
    while (pos < nin) {
      size_t k = 1 + (size_t)(rng_next() % maxw);
      if (k > nin - pos) k = nin - pos;
      wr_ok(in + pos, k);
      pos += k;
    }
    assert_int_equal(con.nlastbits, 0);
    if (cs_wf.nout != nwant || memcmp(cs_wf.out, want, nwant * 2) != 0) {
      size_t k = 0;
      while (k < cs_wf.nout && k < nwant && cs_wf.out[k] == want[k]) k++;
      fail_msg("writes of up to %lu bytes: output differs at unit %lu", (unsigned long)maxw,
               (unsigned long)k);
    }
  }
}

/* ---- Go's slice-bounds panics ---------------------------------------------
 * A hook that reports more units than it was given makes Go's reslicing
 * panic; the port panics through the core's panic hook. */

static jmp_buf panic_jmp;
static char panic_msg[256];

static void catch_panic(const char *msg) {
  snprintf(panic_msg, sizeof panic_msg, "%s", msg);
  longjmp(panic_jmp, 1);
}

static void read_overclaim_panics(void **state) {
  (void)state;
  cs_rf.overclaim = CORE_CONSOLE_READ_UNITS + 1;
  core_panic_fn old = core_set_panic_hook(catch_panic);
  uint8_t b[8];
  size_t n;
  if (setjmp(panic_jmp) == 0) {
    core_console_read(&con, FAKE_HANDLE, b, sizeof b, &n);
    core_set_panic_hook(old);
    fail_msg("no panic");
  }
  core_set_panic_hook(old);
  assert_non_null(strstr(panic_msg, "slice bounds out of range"));
}

static void write_overreport_panics(void **state) {
  (void)state;
  cs_wf.overreport = 6;
  core_panic_fn old = core_set_panic_hook(catch_panic);
  size_t n;
  if (setjmp(panic_jmp) == 0) {
    wr("abcde", 5, &n);
    core_set_panic_hook(old);
    fail_msg("no panic");
  }
  core_set_panic_hook(old);
  assert_non_null(strstr(panic_msg, "slice bounds out of range"));
}

/* core_console_free releases the buffers and forgets all state; the next
 * Read allocates afresh.
 * @covers B51 */
static void free_resets_state(void **state) {
  (void)state;
  static const uint16_t u[] = {'a', 'b', 'c', H_HALF};
  static const cs_step_t steps[] = {{u, 4, 0, false}};
  cs_script(steps, 1);
  RD_EXPECT(1, "a");
  WR_OK("\xE2");
  core_console_free(&con);
  assert_null(con.readuint16);
  assert_null(con.readbyte);
  assert_int_equal(con.nreaduint16, 0);
  assert_int_equal(con.nreadbyte, 0);
  assert_int_equal(con.readbyte_offset, 0);
  assert_int_equal(con.nlastbits, 0);
  static const uint16_t v[] = {'z'};
  static const cs_step_t steps2[] = {{v, 1, 0, false}};
  cs_script(steps2, 1);
  RD_EXPECT(4, "z");
  assert_non_null(con.readuint16);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(read_empty_buffer_makes_no_call, setup, teardown),
      cmocka_unit_test_setup_teardown(read_first_use_allocates_and_caps_request, setup, teardown),
      cmocka_unit_test_setup_teardown(read_request_is_byte_count_in_units, setup, teardown),
      cmocka_unit_test_setup_teardown(read_request_shrinks_by_pending_half, setup, teardown),
      cmocka_unit_test_setup_teardown(read_full_batch_of_three_byte_chars, setup, teardown),
      cmocka_unit_test_setup_teardown(read_pair_split_across_calls, setup, teardown),
      cmocka_unit_test_setup_teardown(read_pair_split_across_chunks, setup, teardown),
      cmocka_unit_test_setup_teardown(read_lone_high_half, setup, teardown),
      cmocka_unit_test_setup_teardown(read_lone_low_half, setup, teardown),
      cmocka_unit_test_setup_teardown(read_low_half_at_batch_end_is_kept, setup, teardown),
      cmocka_unit_test_setup_teardown(read_half_then_zero_units_is_fffd, setup, teardown),
      cmocka_unit_test_setup_teardown(read_zero_units_returns_zero, setup, teardown),
      cmocka_unit_test_setup_teardown(read_ctrl_z_first, setup, teardown),
      cmocka_unit_test_setup_teardown(read_ctrl_z_later, setup, teardown),
      cmocka_unit_test_setup_teardown(read_ctrl_z_repeated, setup, teardown),
      cmocka_unit_test_setup_teardown(read_error_propagates, setup, teardown),
      cmocka_unit_test_setup_teardown(read_error_without_code_is_einval, setup, teardown),
      cmocka_unit_test_setup_teardown(read_every_buffer_size_go_strings, setup, teardown),
      cmocka_unit_test_setup_teardown(read_every_buffer_size_generated, setup, teardown),
      cmocka_unit_test_setup_teardown(write_ascii, setup, teardown),
      cmocka_unit_test_setup_teardown(write_rune_split_across_writes, setup, teardown),
      cmocka_unit_test_setup_teardown(write_four_byte_rune_every_split, setup, teardown),
      cmocka_unit_test_setup_teardown(write_invalid_utf8_classes, setup, teardown),
      cmocka_unit_test_setup_teardown(write_prefix_completed_badly, setup, teardown),
      cmocka_unit_test_setup_teardown(write_empty_keeps_lastbits, setup, teardown),
      cmocka_unit_test_setup_teardown(write_chunks_of_16000_runes, setup, teardown),
      cmocka_unit_test_setup_teardown(write_chunks_count_runes_not_units, setup, teardown),
      cmocka_unit_test_setup_teardown(write_partial_written_retried, setup, teardown),
      cmocka_unit_test_setup_teardown(write_error_after_first_chunk, setup, teardown),
      cmocka_unit_test_setup_teardown(write_error_during_retry, setup, teardown),
      cmocka_unit_test_setup_teardown(write_error_without_code_is_einval, setup, teardown),
      cmocka_unit_test_setup_teardown(write_split_anywhere_matches_reference, setup, teardown),
      cmocka_unit_test_setup_teardown(read_overclaim_panics, setup, teardown),
      cmocka_unit_test_setup_teardown(write_overreport_panics, setup, teardown),
      cmocka_unit_test_setup_teardown(free_resets_state, setup, teardown),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
