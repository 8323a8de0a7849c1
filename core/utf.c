/* utf.c: ports the parts of Go's unicode/utf8 (FullRune, DecodeRune,
 * EncodeRune) and unicode/utf16 (IsSurrogate, DecodeRune, Encode) that
 * readConsole and writeConsole in fd_windows.go use.  The results for
 * invalid input follow Go's, case by case; tests/unit/test_utf.c holds the
 * table they are checked against. */
#include "utf.h"

/* What a first byte says: the length of the sequence it starts and the
 * range its second byte must fall in.  The narrowed second-byte ranges are
 * what rule out overlong forms (E0, F0), UTF-8-encoded surrogates (ED) and
 * values above U+10FFFF (F4).  len 1 covers both ASCII and the bytes that
 * cannot start a sequence (80..C1, F5..FF); the decoder tells them apart. */
typedef struct utf8_lead {
  uint8_t len;
  uint8_t lo;
  uint8_t hi;
} utf8_lead_t;

#define CONT_LO 0x80 /* every later byte of a sequence is 10xxxxxx */
#define CONT_HI 0xBF

static utf8_lead_t utf8_lead(uint8_t b) {
  utf8_lead_t one = {1, 0, 0};
  if (b < 0xC2) return one; /* ASCII, continuation bytes, C0/C1 (always overlong) */
  if (b <= 0xDF) return (utf8_lead_t){2, CONT_LO, CONT_HI};
  if (b == 0xE0) return (utf8_lead_t){3, 0xA0, CONT_HI}; /* >= U+0800 */
  if (b == 0xED) return (utf8_lead_t){3, CONT_LO, 0x9F}; /* < U+D800 */
  if (b <= 0xEF) return (utf8_lead_t){3, CONT_LO, CONT_HI};
  if (b == 0xF0) return (utf8_lead_t){4, 0x90, CONT_HI}; /* >= U+10000 */
  if (b <= 0xF3) return (utf8_lead_t){4, CONT_LO, CONT_HI};
  if (b == 0xF4) return (utf8_lead_t){4, CONT_LO, 0x8F}; /* <= U+10FFFF */
  return one;                                            /* F5..FF */
}

static bool is_cont(uint8_t b) {
  return b >= CONT_LO && b <= CONT_HI;
}

bool core_utf8_full_rune(const uint8_t *p, size_t n) {
  if (n == 0) return false;
  utf8_lead_t l = utf8_lead(p[0]);
  if (n >= l.len) return true;
  /* Short: complete all the same if a byte already present is wrong,
   * because the decoder will stop there with a width-1 error. */
  if (n > 1 && (p[1] < l.lo || p[1] > l.hi)) return true;
  if (n > 2 && !is_cont(p[2])) return true;
  return false;
}

int32_t core_utf8_decode_rune(const uint8_t *p, size_t n, size_t *width) {
  if (n == 0) {
    *width = 0;
    return CORE_UTF8_RUNE_ERROR;
  }
  uint8_t b0 = p[0];
  if (b0 < 0x80) {
    *width = 1;
    return b0;
  }
  utf8_lead_t l = utf8_lead(b0);
  *width = 1; /* every failure below consumes exactly one byte */
  if (l.len == 1 || n < l.len) return CORE_UTF8_RUNE_ERROR;
  if (p[1] < l.lo || p[1] > l.hi) return CORE_UTF8_RUNE_ERROR;
  if (l.len == 2) {
    *width = 2;
    return (int32_t)(b0 & 0x1F) << 6 | (int32_t)(p[1] & 0x3F);
  }
  if (!is_cont(p[2])) return CORE_UTF8_RUNE_ERROR;
  if (l.len == 3) {
    *width = 3;
    return (int32_t)(b0 & 0x0F) << 12 | (int32_t)(p[1] & 0x3F) << 6 | (int32_t)(p[2] & 0x3F);
  }
  if (!is_cont(p[3])) return CORE_UTF8_RUNE_ERROR;
  *width = 4;
  return (int32_t)(b0 & 0x07) << 18 | (int32_t)(p[1] & 0x3F) << 12 | (int32_t)(p[2] & 0x3F) << 6 |
         (int32_t)(p[3] & 0x3F);
}

size_t core_utf8_encode_rune(uint8_t *p, int32_t r) {
  uint32_t u = (uint32_t)r; /* negative values land above U+10FFFF */
  if (u < 0x80) {
    p[0] = (uint8_t)u;
    return 1;
  }
  if (u < 0x800) {
    p[0] = (uint8_t)(0xC0 | u >> 6);
    p[1] = (uint8_t)(0x80 | (u & 0x3F));
    return 2;
  }
  if (u > (uint32_t)CORE_UTF_MAX_RUNE || (u >= 0xD800 && u <= 0xDFFF))
    u = (uint32_t)CORE_UTF8_RUNE_ERROR;
  if (u < 0x10000) {
    p[0] = (uint8_t)(0xE0 | u >> 12);
    p[1] = (uint8_t)(0x80 | (u >> 6 & 0x3F));
    p[2] = (uint8_t)(0x80 | (u & 0x3F));
    return 3;
  }
  p[0] = (uint8_t)(0xF0 | u >> 18);
  p[1] = (uint8_t)(0x80 | (u >> 12 & 0x3F));
  p[2] = (uint8_t)(0x80 | (u >> 6 & 0x3F));
  p[3] = (uint8_t)(0x80 | (u & 0x3F));
  return 4;
}

#define SURR_HIGH 0xD800 /* 0xD800..0xDBFF: high half (top 10 bits) */
#define SURR_LOW 0xDC00  /* 0xDC00..0xDFFF: low half (bottom 10 bits) */
#define SURR_END 0xE000

bool core_utf16_is_surrogate(int32_t r) {
  return r >= SURR_HIGH && r < SURR_END;
}

int32_t core_utf16_decode_rune(int32_t r1, int32_t r2) {
  if (r1 >= SURR_HIGH && r1 < SURR_LOW && r2 >= SURR_LOW && r2 < SURR_END)
    return ((r1 - SURR_HIGH) << 10 | (r2 - SURR_LOW)) + 0x10000;
  return CORE_UTF8_RUNE_ERROR;
}

size_t core_utf16_encode_rune(uint16_t *u, int32_t r) {
  if ((r >= 0 && r < SURR_HIGH) || (r >= SURR_END && r < 0x10000)) {
    u[0] = (uint16_t)r;
    return 1;
  }
  if (r >= 0x10000 && r <= CORE_UTF_MAX_RUNE) {
    int32_t v = r - 0x10000;
    u[0] = (uint16_t)(SURR_HIGH + (v >> 10));
    u[1] = (uint16_t)(SURR_LOW + (v & 0x3FF));
    return 2;
  }
  u[0] = (uint16_t)CORE_UTF8_RUNE_ERROR;
  return 1;
}
