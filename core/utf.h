/* utf.h: the few UTF-8 and UTF-16 codec functions that the console code of
 * fd_windows.go takes from Go's unicode/utf8 and unicode/utf16, with Go's
 * exact results for invalid input (those results are observable: they
 * decide what a console prints and how many bytes a console Read returns).
 *
 * Runes are int32_t like Go's rune.  Nothing here allocates or fails. */
#ifndef IOCPSIM_CORE_UTF_H
#define IOCPSIM_CORE_UTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CORE_UTF8_RUNE_ERROR ((int32_t)0xFFFD) /* utf8.RuneError, U+FFFD */
#define CORE_UTF8_MAX 4                        /* utf8.UTFMax */
#define CORE_UTF_MAX_RUNE ((int32_t)0x10FFFF)  /* utf8.MaxRune */

/* utf8.FullRune: whether p[0:n] begins with a complete encoding of a rune.
 * An invalid encoding counts as complete (it decodes as a width-1 error),
 * so false means "a valid prefix that more bytes could finish"; n == 0 is
 * false. */
bool core_utf8_full_rune(const uint8_t *p, size_t n);

/* utf8.DecodeRune: the first rune of p[0:n] and its width.  n == 0 gives
 * (U+FFFD, 0); any invalid encoding - a stray continuation byte, C0/C1 or
 * F5..FF, an overlong form, a surrogate (ED A0..BF ..), a value above
 * U+10FFFF, or a sequence cut short by the end of p or by a byte outside
 * the continuation range - gives (U+FFFD, 1). */
int32_t core_utf8_decode_rune(const uint8_t *p, size_t n, size_t *width);

/* utf8.EncodeRune / AppendRune: writes 1..4 bytes into p (room for
 * CORE_UTF8_MAX needed) and returns how many.  A negative rune, a
 * surrogate or a value above U+10FFFF is written as U+FFFD. */
size_t core_utf8_encode_rune(uint8_t *p, int32_t r);

/* utf16.IsSurrogate: 0xD800 <= r < 0xE000 (high or low half). */
bool core_utf16_is_surrogate(int32_t r);

/* utf16.DecodeRune: the rune of the pair (r1, r2) if r1 is a high half and
 * r2 a low half, else U+FFFD. */
int32_t core_utf16_decode_rune(int32_t r1, int32_t r2);

/* One rune of utf16.Encode / AppendRune: writes 1 or 2 units into u and
 * returns how many.  Runes above U+FFFF become a surrogate pair; a
 * surrogate, a negative value or one above U+10FFFF becomes U+FFFD. */
size_t core_utf16_encode_rune(uint16_t *u, int32_t r);

#endif
