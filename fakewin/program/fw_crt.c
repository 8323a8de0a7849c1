/* fw_crt.c: the Windows C runtime's printf family and wide-string functions
 * for Win32 programs built against fakewin (fakewin/include/fakewin/fw_crt.h
 * says what differs from glibc and why).
 *
 * This file is compiled without -fshort-wchar and never uses wchar_t: a
 * program's 16-bit wchar_t is fw_wchar_t (uint16_t) here.  Formatting is done
 * one conversion at a time: each msvcrt conversion is parsed (flags, width,
 * precision, LLP64 length), its argument is fetched with the C type the
 * Windows ABI gives it, and glibc's snprintf formats that one value; strings
 * and characters of 16-bit units are converted to UTF-8 first. */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint16_t fw_wchar_t;

/* ---- a growable output buffer -------------------------------------------------- */

typedef struct out {
  char *buf;
  size_t n, cap;
  bool oom;
} out_t;

static void out_put(out_t *o, const char *s, size_t n) {
  if (o->oom) return;
  if (o->n + n + 1 > o->cap) {
    size_t cap = o->cap ? o->cap : 128;
    while (cap < o->n + n + 1) cap *= 2;
    char *b = realloc(o->buf, cap);
    if (b == NULL) {
      o->oom = true;
      return;
    }
    o->buf = b;
    o->cap = cap;
  }
  memcpy(o->buf + o->n, s, n);
  o->n += n;
  o->buf[o->n] = '\0';
}

/* ---- UTF-16 <-> UTF-8 ------------------------------------------------------------- */

static size_t put_cp(char *d, uint32_t cp) {
  if (cp < 0x80) {
    d[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    d[0] = (char)(0xC0 | (cp >> 6));
    d[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    d[0] = (char)(0xE0 | (cp >> 12));
    d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  d[0] = (char)(0xF0 | (cp >> 18));
  d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  d[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* n units of s as UTF-8 (malloc'd, NUL-terminated); a lone surrogate becomes
 * U+FFFD. */
static char *utf16_to_utf8(const fw_wchar_t *s, size_t n) {
  char *d = malloc(n * 3 + 1);
  if (d == NULL) return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = s[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] < 0xE000) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00u);
      i++;
    } else if (c >= 0xD800 && c < 0xE000) {
      c = 0xFFFD;
    }
    k += put_cp(d + k, c);
  }
  d[k] = '\0';
  return d;
}

/* UTF-8 text as UTF-16 into d (at most cap units); returns the units the
 * whole text needs.  Invalid bytes become U+FFFD. */
static size_t utf8_to_utf16(const char *s, size_t n, fw_wchar_t *d, size_t cap) {
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    uint8_t b = (uint8_t)s[i];
    uint32_t cp = 0xFFFD;
    size_t len = 1;
    if (b < 0x80) {
      cp = b;
    } else if ((b & 0xE0) == 0xC0 && i + 1 < n) {
      cp = ((b & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
      len = 2;
    } else if ((b & 0xF0) == 0xE0 && i + 2 < n) {
      cp = ((b & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
      len = 3;
    } else if ((b & 0xF8) == 0xF0 && i + 3 < n) {
      cp = ((b & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
           (s[i + 3] & 0x3Fu);
      len = 4;
    }
    i += len;
    if (cp >= 0x10000) {
      if (k + 1 < cap) {
        d[k] = (fw_wchar_t)(0xD800 + ((cp - 0x10000) >> 10));
        d[k + 1] = (fw_wchar_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
      }
      k += 2;
    } else {
      if (k < cap) d[k] = (fw_wchar_t)cp;
      k++;
    }
  }
  return k;
}

size_t fw_wcslen(const fw_wchar_t *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

/* ---- the formatter ------------------------------------------------------------------ */

typedef enum len_mod { L_NONE, L_HH, L_H, L_32, L_64, L_PTR, L_LD } len_mod_t;

/* Formats `fmt` (UTF-8) into o with the rules of the C runtime a mingw-w64
 * program gets (observed under Wine 8.0 with gcc 12's mingw-w64): ISO C
 * conversions with LLP64 lengths and the MS I/I32/I64 sizes; %s and %c are
 * narrow in the narrow and in the wide functions alike, %S/%C and %ls/%lc
 * wide. */
static void format(out_t *o, const char *fmt, va_list *ap) {
  const char *p = fmt;
  while (*p) {
    if (*p != '%') {
      const char *q = strchr(p, '%');
      size_t n = q ? (size_t)(q - p) : strlen(p);
      out_put(o, p, n);
      p += n;
      continue;
    }
    const char *start = p++;
    char flags[8];
    size_t nf = 0;
    while (*p && strchr("-+ #0", *p) && nf < sizeof flags - 1) flags[nf++] = *p++;
    flags[nf] = '\0';
    int width = -1, prec = -1;
    if (*p == '*') {
      width = va_arg(*ap, int);
      if (width < 0) {
        /* a negative width is a '-' flag and its absolute value */
        if (nf < sizeof flags - 1) flags[nf++] = '-', flags[nf] = '\0';
        width = width == INT_MIN ? INT_MAX : -width;
      }
      p++;
    } else if (*p >= '0' && *p <= '9') {
      width = (int)strtol(p, (char **)&p, 10);
    }
    if (*p == '.') {
      p++;
      if (*p == '*') {
        prec = va_arg(*ap, int);
        p++;
      } else {
        prec = (int)strtol(p, (char **)&p, 10);
      }
    }
    len_mod_t lm = L_NONE;
    bool lwide = false, lnarrow = false;
    if (p[0] == 'h' && p[1] == 'h') {
      lm = L_HH;
      p += 2;
    } else if (*p == 'h') {
      lm = L_H;
      lnarrow = true;
      p++;
    } else if (p[0] == 'l' && p[1] == 'l') {
      lm = L_64;
      p += 2;
    } else if (*p == 'w') {
      /* MS's %ws is not a mingw-w64 conversion: printed as it stands, no
       * argument taken (observed under Wine 8.0) */
      p++;
      if (*p) p++;
      out_put(o, start, (size_t)(p - start));
      continue;
    } else if (*p == 'l') {
      lm = L_32; /* LLP64: long is 32-bit */
      lwide = true;
      p++;
    } else if (p[0] == 'I' && p[1] == '6' && p[2] == '4') {
      lm = L_64;
      p += 3;
    } else if (p[0] == 'I' && p[1] == '3' && p[2] == '2') {
      lm = L_32;
      p += 3;
    } else if (*p == 'I' || *p == 'z' || *p == 't' || *p == 'j') {
      lm = *p == 'j' ? L_64 : L_PTR;
      p++;
    } else if (*p == 'L') {
      lm = L_LD;
      p++;
    }
    char conv = *p;
    if (conv == '\0') {
      out_put(o, start, strlen(start));
      break;
    }
    p++;
    char spec[64], tmp[512];
    char wp[32] = "";
    if (width >= 0 && prec >= 0)
      snprintf(wp, sizeof wp, "%d.%d", width, prec);
    else if (width >= 0)
      snprintf(wp, sizeof wp, "%d", width);
    else if (prec >= 0)
      snprintf(wp, sizeof wp, ".%d", prec);
    char *dyn = NULL;
    int n = 0;
    switch (conv) {
      case 'd':
      case 'i': {
        long long v;
        switch (lm) {
          case L_HH:
            v = (signed char)va_arg(*ap, int);
            break;
          case L_H:
            v = (short)va_arg(*ap, int);
            break;
          case L_64:
          case L_LD:
            v = va_arg(*ap, long long);
            break;
          case L_PTR:
            v = (long long)va_arg(*ap, intptr_t);
            break;
          default:
            v = va_arg(*ap, int);
            break;
        }
        snprintf(spec, sizeof spec, "%%%s%slld", flags, wp);
        n = snprintf(tmp, sizeof tmp, spec, v);
        break;
      }
      case 'u':
      case 'o':
      case 'x':
      case 'X': {
        unsigned long long v;
        switch (lm) {
          case L_HH:
            v = (unsigned char)va_arg(*ap, unsigned);
            break;
          case L_H:
            v = (unsigned short)va_arg(*ap, unsigned);
            break;
          case L_64:
          case L_LD:
            v = va_arg(*ap, unsigned long long);
            break;
          case L_PTR:
            v = (unsigned long long)va_arg(*ap, uintptr_t);
            break;
          default:
            v = va_arg(*ap, unsigned);
            break;
        }
        snprintf(spec, sizeof spec, "%%%s%sll%c", flags, wp, conv);
        n = snprintf(tmp, sizeof tmp, spec, v);
        break;
      }
      case 'p': {
        /* the pointer as 16 lower-case hex digits, zero-padded */
        void *v = va_arg(*ap, void *);
        char digits[24];
        snprintf(digits, sizeof digits, "%016llx", (unsigned long long)(uintptr_t)v);
        snprintf(spec, sizeof spec, "%%%s%ss", strchr(flags, '-') ? "-" : "", width >= 0 ? wp : "");
        n = snprintf(tmp, sizeof tmp, spec, digits);
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
      case 'a':
      case 'A': {
        if (lm == L_LD) {
          long double v = va_arg(*ap, long double);
          snprintf(spec, sizeof spec, "%%%s%sL%c", flags, wp, conv);
          n = snprintf(tmp, sizeof tmp, spec, v);
        } else {
          double v = va_arg(*ap, double);
          snprintf(spec, sizeof spec, "%%%s%s%c", flags, wp, conv);
          n = snprintf(tmp, sizeof tmp, spec, v);
        }
        break;
      }
      case 'c':
      case 'C': {
        bool w = lwide || (conv == 'C' && !lnarrow);
        int c = va_arg(*ap, int);
        char u[8];
        size_t un;
        if (w) {
          fw_wchar_t wc = (fw_wchar_t)c;
          char *s8 = utf16_to_utf8(&wc, 1);
          un = s8 ? strlen(s8) : 0;
          memcpy(u, s8 ? s8 : "", un);
          free(s8);
        } else {
          u[0] = (char)c;
          un = 1;
        }
        u[un] = '\0';
        snprintf(spec, sizeof spec, "%%%s%ss", strchr(flags, '-') ? "-" : "", width >= 0 ? wp : "");
        if (un == 1 && u[0] == '\0') {
          /* a NUL character is output as one byte, padded like any other */
          int pad = width > 1 ? width - 1 : 0;
          bool left = strchr(flags, '-') != NULL;
          for (int i = 0; !left && i < pad; i++) out_put(o, " ", 1);
          out_put(o, "", 1);
          for (int i = 0; left && i < pad; i++) out_put(o, " ", 1);
          continue;
        }
        n = snprintf(tmp, sizeof tmp, spec, u);
        break;
      }
      case 's':
      case 'S': {
        bool w = lwide || (conv == 'S' && !lnarrow);
        void *arg = va_arg(*ap, void *);
        const char *s8;
        if (arg == NULL) {
          s8 = "(null)";
        } else if (w) {
          const fw_wchar_t *ws = arg;
          size_t len = 0;
          while (ws[len] && (prec < 0 || len < (size_t)prec)) len++;
          s8 = dyn = utf16_to_utf8(ws, len);
          if (dyn == NULL) s8 = "";
        } else {
          s8 = arg;
        }
        char wp2[32] = "";
        if (width >= 0 && prec >= 0 && !w)
          snprintf(wp2, sizeof wp2, "%d.%d", width, prec);
        else if (width >= 0)
          snprintf(wp2, sizeof wp2, "%d", width);
        else if (prec >= 0 && !w)
          snprintf(wp2, sizeof wp2, ".%d", prec);
        snprintf(spec, sizeof spec, "%%%s%ss", strchr(flags, '-') ? "-" : "", wp2);
        int need = snprintf(NULL, 0, spec, s8);
        if (need >= (int)sizeof tmp) {
          char *big = malloc((size_t)need + 1);
          if (big != NULL) {
            snprintf(big, (size_t)need + 1, spec, s8);
            out_put(o, big, (size_t)need);
            free(big);
          }
          free(dyn);
          continue;
        }
        n = snprintf(tmp, sizeof tmp, spec, s8);
        break;
      }
      case 'n': {
        /* the count so far, stored with the argument's LLP64 size */
        void *dst = va_arg(*ap, void *);
        if (lm == L_64 || lm == L_PTR)
          *(long long *)dst = (long long)o->n;
        else if (lm == L_H)
          *(short *)dst = (short)o->n;
        else
          *(int *)dst = (int)o->n;
        continue;
      }
      case '%':
        out_put(o, "%", 1);
        continue;
      default:
        /* an unknown conversion prints its character */
        out_put(o, &conv, 1);
        continue;
    }
    if (n > 0) out_put(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
    free(dyn);
  }
}

static char *fmt_narrow(const char *fmt, va_list ap, size_t *len) {
  out_t o = {0};
  va_list cp;
  va_copy(cp, ap);
  out_put(&o, "", 0);
  format(&o, fmt, &cp);
  va_end(cp);
  *len = o.n;
  return o.buf;
}

static char *fmt_wide(const fw_wchar_t *fmt, va_list ap, size_t *len) {
  char *f8 = utf16_to_utf8(fmt, fw_wcslen(fmt));
  if (f8 == NULL) return NULL;
  out_t o = {0};
  va_list cp;
  va_copy(cp, ap);
  out_put(&o, "", 0);
  format(&o, f8, &cp);
  va_end(cp);
  free(f8);
  *len = o.n;
  return o.buf;
}

static int emit(FILE *f, char *s, size_t n) {
  if (s == NULL) return -1;
  size_t w = fwrite(s, 1, n, f);
  free(s);
  return w == n ? (int)n : -1;
}

int fw_vfprintf(FILE *f, const char *fmt, va_list ap) {
  size_t n;
  char *s = fmt_narrow(fmt, ap, &n);
  return emit(f, s, n);
}

int fw_vprintf(const char *fmt, va_list ap) {
  return fw_vfprintf(stdout, fmt, ap);
}

int fw_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = fw_vfprintf(stdout, fmt, ap);
  va_end(ap);
  return r;
}

int fw_fprintf(FILE *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = fw_vfprintf(f, fmt, ap);
  va_end(ap);
  return r;
}

/* C99 snprintf (what mingw-w64's snprintf is): the length the whole output
 * needs, the buffer always NUL-terminated when n > 0. */
int fw_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap) {
  size_t len;
  char *s = fmt_narrow(fmt, ap, &len);
  if (s == NULL) return -1;
  if (n > 0) {
    size_t k = len < n - 1 ? len : n - 1;
    memcpy(buf, s, k);
    buf[k] = '\0';
  }
  free(s);
  return (int)len;
}

int fw_vsprintf(char *buf, const char *fmt, va_list ap) {
  return fw_vsnprintf(buf, (size_t)INT_MAX, fmt, ap);
}

/* msvcrt's _snprintf: -1 when the output does not fit (the buffer then holds
 * the first n bytes, unterminated), no terminator when it fits exactly. */
int fw__vsnprintf(char *buf, size_t n, const char *fmt, va_list ap) {
  size_t len;
  char *s = fmt_narrow(fmt, ap, &len);
  if (s == NULL) return -1;
  size_t k = len < n ? len : n;
  memcpy(buf, s, k);
  if (len < n) buf[len] = '\0';
  free(s);
  return len <= n ? (int)len : -1;
}

int fw_snprintf(char *buf, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = fw_vsnprintf(buf, n, fmt, ap);
  va_end(ap);
  return r;
}

int fw__snprintf(char *buf, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = fw__vsnprintf(buf, n, fmt, ap);
  va_end(ap);
  return r;
}

int fw_sprintf(char *buf, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = fw_vsprintf(buf, fmt, ap);
  va_end(ap);
  return r;
}

int fw_vfwprintf(FILE *f, const fw_wchar_t *fmt, va_list ap) {
  size_t n;
  char *s = fmt_wide(fmt, ap, &n);
  if (s == NULL) return -1;
  /* the count is in UTF-16 units, as the wide functions count */
  size_t units = utf8_to_utf16(s, n, NULL, 0);
  return emit(f, s, n) < 0 ? -1 : (int)units;
}

int fw_vwprintf(const fw_wchar_t *fmt, va_list ap) {
  return fw_vfwprintf(stdout, fmt, ap);
}

int fw_wprintf(const fw_wchar_t *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = fw_vfwprintf(stdout, fmt, ap);
  va_end(ap);
  return r;
}

int fw_fwprintf(FILE *f, const fw_wchar_t *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = fw_vfwprintf(f, fmt, ap);
  va_end(ap);
  return r;
}

/* msvcrt's _snwprintf: like _snprintf, in UTF-16 units. */
int fw__vsnwprintf(fw_wchar_t *buf, size_t n, const fw_wchar_t *fmt, va_list ap) {
  size_t len;
  char *s = fmt_wide(fmt, ap, &len);
  if (s == NULL) return -1;
  size_t units = utf8_to_utf16(s, len, buf, n);
  free(s);
  if (units < n) buf[units] = 0;
  return units <= n ? (int)units : -1;
}

int fw__snwprintf(fw_wchar_t *buf, size_t n, const fw_wchar_t *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = fw__vsnwprintf(buf, n, fmt, ap);
  va_end(ap);
  return r;
}

/* ---- wide strings (16-bit units) ------------------------------------------------------ */

size_t fw_wcsnlen(const fw_wchar_t *s, size_t max) {
  size_t n = 0;
  while (n < max && s[n]) n++;
  return n;
}

int fw_wcscmp(const fw_wchar_t *a, const fw_wchar_t *b) {
  while (*a && *a == *b) a++, b++;
  return (*a > *b) - (*a < *b);
}

int fw_wcsncmp(const fw_wchar_t *a, const fw_wchar_t *b, size_t n) {
  for (; n > 0; n--, a++, b++) {
    if (*a != *b) return (*a > *b) - (*a < *b);
    if (*a == 0) return 0;
  }
  return 0;
}

static fw_wchar_t lower(fw_wchar_t c) {
  return c >= 'A' && c <= 'Z' ? (fw_wchar_t)(c + 32) : c;
}

/* ASCII case folding (the "C" locale msvcrt starts in). */
int fw__wcsicmp(const fw_wchar_t *a, const fw_wchar_t *b) {
  while (*a && lower(*a) == lower(*b)) a++, b++;
  fw_wchar_t x = lower(*a), y = lower(*b);
  return (x > y) - (x < y);
}

fw_wchar_t *fw_wcscpy(fw_wchar_t *d, const fw_wchar_t *s) {
  size_t i = 0;
  do d[i] = s[i];
  while (s[i++]);
  return d;
}

fw_wchar_t *fw_wcsncpy(fw_wchar_t *d, const fw_wchar_t *s, size_t n) {
  size_t i = 0;
  for (; i < n && s[i]; i++) d[i] = s[i];
  for (; i < n; i++) d[i] = 0;
  return d;
}

fw_wchar_t *fw_wcscat(fw_wchar_t *d, const fw_wchar_t *s) {
  fw_wcscpy(d + fw_wcslen(d), s);
  return d;
}

fw_wchar_t *fw_wcschr(const fw_wchar_t *s, fw_wchar_t c) {
  for (;; s++) {
    if (*s == c) return (fw_wchar_t *)s;
    if (*s == 0) return NULL;
  }
}

fw_wchar_t *fw_wcsrchr(const fw_wchar_t *s, fw_wchar_t c) {
  const fw_wchar_t *last = NULL;
  for (;; s++) {
    if (*s == c) last = s;
    if (*s == 0) return (fw_wchar_t *)last;
  }
}

fw_wchar_t *fw_wcsstr(const fw_wchar_t *h, const fw_wchar_t *n) {
  size_t ln = fw_wcslen(n);
  if (ln == 0) return (fw_wchar_t *)h;
  for (; *h; h++)
    if (fw_wcsncmp(h, n, ln) == 0) return (fw_wchar_t *)h;
  return NULL;
}

/* Digits of base (2..36; 0: C prefixes) read from 16-bit units; *neg the
 * sign; returns the magnitude (saturated) and sets *end. */
static unsigned long long wcs_to_ull(const fw_wchar_t *s, fw_wchar_t **end, int base, bool *neg,
                                     bool *any, bool *overflow) {
  const fw_wchar_t *p = s;
  *neg = false;
  *any = false;
  *overflow = false;
  while (*p == ' ' || (*p >= 9 && *p <= 13)) p++;
  if (*p == '+' || *p == '-') *neg = *p++ == '-';
  if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    p += 2;
    base = 16;
  } else if (base == 0) {
    base = p[0] == '0' ? 8 : 10;
  }
  unsigned long long v = 0;
  for (;; p++) {
    int d;
    if (*p >= '0' && *p <= '9')
      d = *p - '0';
    else if (*p >= 'a' && *p <= 'z')
      d = *p - 'a' + 10;
    else if (*p >= 'A' && *p <= 'Z')
      d = *p - 'A' + 10;
    else
      break;
    if (d >= base) break;
    *any = true;
    if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base) *overflow = true;
    v = v * (unsigned)base + (unsigned)d;
  }
  if (end != NULL) *end = (fw_wchar_t *)(*any ? p : s);
  return v;
}

/* Windows' long is 32-bit: the range checks are LONG's and ULONG's; the
 * program's own `long` (64-bit here) holds the value. */
long fw_wcstol(const fw_wchar_t *s, fw_wchar_t **end, int base) {
  bool neg, any, ovf;
  unsigned long long v = wcs_to_ull(s, end, base, &neg, &any, &ovf);
  if (neg) return ovf || v > 0x80000000ull ? (long)INT32_MIN : -(long)v;
  return ovf || v > 0x7FFFFFFFull ? (long)INT32_MAX : (long)v;
}

unsigned long fw_wcstoul(const fw_wchar_t *s, fw_wchar_t **end, int base) {
  bool neg, any, ovf;
  unsigned long long v = wcs_to_ull(s, end, base, &neg, &any, &ovf);
  if (ovf || v > 0xFFFFFFFFull) return 0xFFFFFFFFul;
  return neg ? (unsigned long)(uint32_t)(0u - (uint32_t)v) : (unsigned long)v;
}

fw_wchar_t *fw_wmemcpy(fw_wchar_t *d, const fw_wchar_t *s, size_t n) {
  memcpy(d, s, n * sizeof *d);
  return d;
}

fw_wchar_t *fw_wmemmove(fw_wchar_t *d, const fw_wchar_t *s, size_t n) {
  memmove(d, s, n * sizeof *d);
  return d;
}

fw_wchar_t *fw_wmemset(fw_wchar_t *d, fw_wchar_t c, size_t n) {
  for (size_t i = 0; i < n; i++) d[i] = c;
  return d;
}

int fw_wmemcmp(const fw_wchar_t *a, const fw_wchar_t *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
