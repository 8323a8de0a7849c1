/* test_utf.c: core/utf.c against Go's unicode/utf8 and unicode/utf16.
 *
 * The expected values are Go's documented results.  Tables marked "Go
 * utf8_test.go" restate cases of golang/go src/unicode/utf8/utf8_test.go
 * (utf8map, surrogateMap, invalidSequenceTests, TestFullRune); the rest
 * follow from the doc comments of utf8.DecodeRune ("if the encoding is
 * invalid, it returns (RuneError, 1)"; invalid = incorrect UTF-8, out of
 * range, or not the shortest form), utf8.FullRune ("an invalid encoding is
 * considered a full Rune since it will convert as a width-1 error rune"),
 * utf8.EncodeRune (invalid runes are written as RuneError) and utf16's
 * DecodeRune/EncodeRune. */
#include "iocpsim_test.h"

#include <stdio.h>
#include <string.h>

#include "utf.h"

typedef struct rune_bytes {
  int32_t r;
  const char *s; /* its UTF-8 form */
} rune_bytes_t;

/* Go utf8_test.go utf8map: every length, the edges of each length, the
 * code points around the surrogate gap, U+10FFFF and U+FFFD. */
static const rune_bytes_t valid_map[] = {
    {0x0000, "\x00"},
    {0x0001, "\x01"},
    {0x007e, "\x7e"},
    {0x007f, "\x7f"},
    {0x0080, "\xc2\x80"},
    {0x0081, "\xc2\x81"},
    {0x00bf, "\xc2\xbf"},
    {0x00c0, "\xc3\x80"},
    {0x00ff, "\xc3\xbf"},
    {0x0100, "\xc4\x80"},
    {0x07ff, "\xdf\xbf"},
    {0x0400, "\xd0\x80"},
    {0x0800, "\xe0\xa0\x80"},
    {0x0801, "\xe0\xa0\x81"},
    {0x1000, "\xe1\x80\x80"},
    {0xd000, "\xed\x80\x80"},
    {0xd7ff, "\xed\x9f\xbf"}, /* last before the surrogates */
    {0xe000, "\xee\x80\x80"}, /* first after them */
    {0xfffe, "\xef\xbf\xbe"},
    {0xffff, "\xef\xbf\xbf"},
    {0x10000, "\xf0\x90\x80\x80"},
    {0x10001, "\xf0\x90\x80\x81"},
    {0x40000, "\xf1\x80\x80\x80"},
    {0x10fffe, "\xf4\x8f\xbf\xbe"},
    {0x10ffff, "\xf4\x8f\xbf\xbf"},
    {0xFFFD, "\xef\xbf\xbd"},
};
#define NVALID (sizeof valid_map / sizeof valid_map[0])

/* The length of s, counting a leading NUL (valid_map's U+0000). */
static size_t blen(const char *s) {
  return s[0] == 0 ? 1 : strlen(s);
}

/* @covers B75 */
static void decode_valid_runes(void **state) {
  (void)state;
  for (size_t i = 0; i < NVALID; i++) {
    uint8_t b[8];
    size_t n = blen(valid_map[i].s), w = 99;
    memcpy(b, valid_map[i].s, n);
    assert_int_equal(core_utf8_decode_rune(b, n, &w), valid_map[i].r);
    assert_int_equal(w, n);
    /* a byte after the rune changes nothing */
    b[n] = 'x';
    assert_int_equal(core_utf8_decode_rune(b, n + 1, &w), valid_map[i].r);
    assert_int_equal(w, n);
    /* one byte short: (RuneError, 1), or (RuneError, 0) when nothing is left */
    assert_int_equal(core_utf8_decode_rune(b, n - 1, &w), CORE_UTF8_RUNE_ERROR);
    assert_int_equal(w, n == 1 ? 0 : 1);
    /* a bad last byte (0x80 for ASCII, 0x7F otherwise): (RuneError, 1) */
    b[n - 1] = n == 1 ? 0x80 : 0x7F;
    assert_int_equal(core_utf8_decode_rune(b, n, &w), CORE_UTF8_RUNE_ERROR);
    assert_int_equal(w, 1);
  }
}

/* Go utf8_test.go invalidSequenceTests (each 4 bytes long, so the length
 * never excuses them), plus the classes the spec names for B75. */
static const char *const invalid_seqs[] = {
    "\xed\xa0\x80\x80", "\xed\xbf\xbf\x80", /* U+D800, U+DFFF encoded */
    "\x91\x80\x80\x80",                     /* continuation byte first */
    "\xC2\x7F\x80\x80", "\xC2\xC0\x80\x80", "\xDF\x7F\x80\x80", "\xDF\xC0\x80\x80",
    "\xE0\x9F\xBF\x80", /* overlong 3-byte */
    "\xE0\xA0\x7F\x80", "\xE0\xBF\xC0\x80", "\xE0\xC0\x80\x80", "\xE1\x7F\xBF\x80",
    "\xE1\x80\x7F\x80", "\xE1\xBF\xC0\x80", "\xE1\xC0\x80\x80", "\xED\x7F\xBF\x80",
    "\xED\x80\x7F\x80", "\xED\x9F\xC0\x80", "\xED\xA0\x80\x80",
    "\xF0\x8F\xBF\xBF", /* overlong 4-byte */
    "\xF0\x90\x7F\xBF", "\xF0\x90\x80\x7F", "\xF0\xBF\xBF\xC0", "\xF0\xBF\xC0\x80",
    "\xF0\xC0\x80\x80", "\xF1\x7F\xBF\xBF", "\xF1\x80\x7F\xBF", "\xF1\x80\x80\x7F",
    "\xF1\xBF\xBF\xC0", "\xF1\xBF\xC0\x80", "\xF1\xC0\x80\x80", "\xF4\x7F\xBF\xBF",
    "\xF4\x80\x7F\xBF", "\xF4\x80\x80\x7F", "\xF4\x8F\xBF\xC0", "\xF4\x8F\xC0\x80",
    "\xF4\x90\x80\x80", /* U+110000 */
    /* further classes: C0/C1 leads (always overlong), F5..FF leads, a
     * stray continuation byte, a 5-byte form, overlong NUL */
    "\xC0\x80\x80\x80", "\xC1\xBF\x80\x80", "\xF5\x80\x80\x80", "\xF7\xBF\xBF\xBF",
    "\xF8\x88\x80\x80", "\xFF\x80\x80\x80", "\xBF\x41\x41\x41", "\xFE\x41\x41\x41"};

/* @covers B75 */
static void decode_invalid_is_width_1(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof invalid_seqs / sizeof invalid_seqs[0]; i++) {
    size_t w = 99;
    int32_t r = core_utf8_decode_rune((const uint8_t *)invalid_seqs[i], 4, &w);
    if (r != CORE_UTF8_RUNE_ERROR || w != 1) {
      fail_msg("case %lu: got U+%04X width %lu, want U+FFFD width 1", (unsigned long)i, (unsigned)r,
               (unsigned long)w);
    }
  }
  size_t w = 99;
  assert_int_equal(core_utf8_decode_rune((const uint8_t *)"", 0, &w), CORE_UTF8_RUNE_ERROR);
  assert_int_equal(w, 0);
}

typedef struct full_case {
  const char *s;
  size_t n;
  bool full;
} full_case_t;

/* @covers B75 B76 */
static void full_rune_cases(void **state) {
  (void)state;
  /* Go utf8_test.go TestFullRune: every valid rune is full, and without its
   * last byte it is not; C0 and C1 are full (invalid, width 1). */
  for (size_t i = 0; i < NVALID; i++) {
    size_t n = blen(valid_map[i].s);
    assert_true(core_utf8_full_rune((const uint8_t *)valid_map[i].s, n));
    assert_false(core_utf8_full_rune((const uint8_t *)valid_map[i].s, n - 1));
  }
  static const full_case_t cases[] = {
      {"\xc0", 1, true},
      {"\xc1", 1, true},
      {"\x80", 1, true}, /* stray continuation */
      {"\xf5", 1, true}, /* never a lead */
      {"\xff", 1, true},
      /* short but already wrong: the second byte is outside the lead's range */
      {"\xe2\x28", 2, true},
      {"\xe0\x9f", 2, true},     /* overlong 3-byte */
      {"\xed\xa0", 2, true},     /* a surrogate */
      {"\xf0\x8f", 2, true},     /* overlong 4-byte */
      {"\xf4\x90", 2, true},     /* above U+10FFFF */
      {"\xf0\x9f\x28", 3, true}, /* third byte not a continuation */
      /* valid prefixes that more bytes could finish */
      {"\xc2", 1, false},
      {"\xe0\xa0", 2, false},
      {"\xed\x9f", 2, false},
      {"\xf0\x90\x80", 3, false},
      {"\xf4\x8f\xbf", 3, false},
      {"\xf0", 1, false},
      /* F1..F3 take any continuation second byte: still a valid prefix */
      {"\xf1\x80", 2, false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (core_utf8_full_rune((const uint8_t *)cases[i].s, cases[i].n) != cases[i].full) {
      fail_msg("FullRune case %lu: want %d", (unsigned long)i, cases[i].full);
    }
  }
  assert_false(core_utf8_full_rune((const uint8_t *)"", 0));
}

/* @covers B54 */
static void encode_utf8(void **state) {
  (void)state;
  uint8_t b[CORE_UTF8_MAX];
  for (size_t i = 0; i < NVALID; i++) {
    size_t n = blen(valid_map[i].s);
    assert_int_equal(core_utf8_encode_rune(b, valid_map[i].r), n);
    assert_memory_equal(b, valid_map[i].s, n);
  }
  /* Go EncodeRune: a negative rune, a surrogate or one above MaxRune is
   * written as RuneError (utf8_test.go TestNegativeRune for -1). */
  static const int32_t bad[] = {-1, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0x110000, 0x7FFFFFFF};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(core_utf8_encode_rune(b, bad[i]), 3);
    assert_memory_equal(b, "\xef\xbf\xbd", 3);
  }
}

/* @covers B53 */
static void utf16_surrogates_and_pairs(void **state) {
  (void)state;
  assert_false(core_utf16_is_surrogate(0xD7FF));
  assert_true(core_utf16_is_surrogate(0xD800));
  assert_true(core_utf16_is_surrogate(0xDBFF));
  assert_true(core_utf16_is_surrogate(0xDC00));
  assert_true(core_utf16_is_surrogate(0xDFFF));
  assert_false(core_utf16_is_surrogate(0xE000));
  assert_false(core_utf16_is_surrogate(0xFFFD));

  assert_int_equal(core_utf16_decode_rune(0xD800, 0xDC00), 0x10000);
  assert_int_equal(core_utf16_decode_rune(0xD83D, 0xDE00), 0x1F600);
  assert_int_equal(core_utf16_decode_rune(0xDBFF, 0xDFFF), 0x10FFFF);
  /* only high-then-low is a pair */
  assert_int_equal(core_utf16_decode_rune(0xDC00, 0xD800), 0xFFFD);
  assert_int_equal(core_utf16_decode_rune(0xD800, 0xD800), 0xFFFD);
  assert_int_equal(core_utf16_decode_rune(0xDC00, 0xDC00), 0xFFFD);
  assert_int_equal(core_utf16_decode_rune(0xD800, 'a'), 0xFFFD);
  assert_int_equal(core_utf16_decode_rune(0xD800, 0xE000), 0xFFFD);
}

/* @covers B77 */
static void utf16_encode(void **state) {
  (void)state;
  uint16_t u[2];
  static const struct {
    int32_t r;
    size_t n;
    uint16_t u0, u1;
  } cases[] = {
      {'a', 1, 'a', 0},
      {0xD7FF, 1, 0xD7FF, 0},
      {0xE000, 1, 0xE000, 0},
      {0xFFFF, 1, 0xFFFF, 0},
      {0x10000, 2, 0xD800, 0xDC00},
      {0x1F600, 2, 0xD83D, 0xDE00},
      {0x10FFFF, 2, 0xDBFF, 0xDFFF},
      /* utf16.Encode: not encodable -> U+FFFD */
      {0xD800, 1, 0xFFFD, 0},
      {0xDFFF, 1, 0xFFFD, 0},
      {0x110000, 1, 0xFFFD, 0},
      {-1, 1, 0xFFFD, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n = core_utf16_encode_rune(u, cases[i].r);
    assert_int_equal(n, cases[i].n);
    assert_int_equal(u[0], cases[i].u0);
    if (n == 2) assert_int_equal(u[1], cases[i].u1);
  }
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(decode_valid_runes),
      cmocka_unit_test(decode_invalid_is_width_1),
      cmocka_unit_test(full_rune_cases),
      cmocka_unit_test(encode_utf8),
      cmocka_unit_test(utf16_surrogates_and_pairs),
      cmocka_unit_test(utf16_encode),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
