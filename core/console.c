/* console.c: ports readConsole and writeConsole of internal/poll/
 * fd_windows.go (seed blob 2095a6aa, Go 1.22 line) and its ReadConsole hook
 * variable, plus a WriteConsoleW seam of our own (Go calls
 * syscall.WriteConsole directly).  Spec: go-poll.md B50-B56, B74-B78.
 *
 * Callers (fd_windows.c) hold fd->l for the whole call (B43/B70), so the
 * state in core_console_t is never touched by two threads at once.
 *
 * Errors: 0, or a positive Win32 code from GetLastError() after a failed
 * hook call.  A failed call with a last error of 0 is reported as
 * CORE_EINVAL, as Go's syscall.errnoErr does.  Where Go would fail an
 * allocation by crashing, we return ERROR_NOT_ENOUGH_MEMORY (8) and leave
 * the state as it was. */
#include "core_int.h"
#include "utf.h"

#include <stdlib.h>
#include <string.h>

/* ReadConsoleW's last parameter is LPVOID in mingw-w64's header but
 * PCONSOLE_READCONSOLE_CONTROL in the Windows SDK's (and fakewin's), so the
 * function's address only matches the hook type on some headers; a
 * forwarding call converts the pointer on all of them. */
static BOOL WINAPI read_console_w(HANDLE h, LPVOID buf, DWORD toread, LPDWORD nread, LPVOID ctl) {
  return ReadConsoleW(h, buf, toread, nread, ctl);
}

/* Go's `var ReadConsole = syscall.ReadConsole` ("changed for testing"). */
core_read_console_fn core_hook_read_console = read_console_w;
core_write_console_fn core_hook_write_console = WriteConsoleW;

#define CTRL_Z 0x1A

/* syscall.errnoErr: the error of a Win32 call that returned FALSE. */
static int last_error(void) {
  DWORD e = GetLastError();
  return e == 0 ? CORE_EINVAL : (int)e;
}

/* ---- readConsole (B50-B56) ----------------------------------------------
 * State between calls:
 *   readuint16[0 .. nreaduint16)  at most one unit: a surrogate that ended
 *                                 the previous batch (pending half, B53)
 *   readbyte[readbyte_offset .. nreadbyte)  decoded UTF-8 not yet returned
 *                                 (served before any new ReadConsole, B56) */

/* B53/B54: decodes readuint16[0 .. pending+nw) into readbyte. */
static void decode_batch(core_console_t *c, DWORD nw) {
  const uint16_t *u = c->readuint16;
  size_t total = c->nreaduint16 + nw;
  size_t o = 0;
  c->nreaduint16 = 0;
  for (size_t i = 0; i < total; i++) {
    int32_t r = u[i];
    if (core_utf16_is_surrogate(r)) {
      if (i + 1 == total) {
        /* A half ends the batch: kept for the next batch, which may hold
         * its partner.  IsSurrogate does not tell high from low, so a low
         * half (which nothing can complete) is kept too.  After a 0-unit
         * read nothing more is coming: U+FFFD. */
        if (nw > 0) {
          c->readuint16[0] = (uint16_t)r;
          c->nreaduint16 = 1;
          break;
        }
        r = CORE_UTF8_RUNE_ERROR;
      } else {
        /* Not a high+low pair: U+FFFD stands for the first unit only and
         * the second is decoded on its own next time round. */
        r = core_utf16_decode_rune(r, u[i + 1]);
        if (r != CORE_UTF8_RUNE_ERROR) i++;
      }
    }
    /* At most 3 bytes per unit (a pair is 4 bytes for 2 units), so the
     * 4-bytes-per-unit buffer of B51 cannot overflow. */
    o += core_utf8_encode_rune(c->readbyte + o, r);
  }
  c->nreadbyte = o;
  c->readbyte_offset = 0;
}

int core_console_read(core_console_t *c, HANDLE h, uint8_t *b, size_t len, size_t *n) {
  *n = 0;
  if (len == 0) return 0; /* B50: no ReadConsole call */

  /* B51: ReadConsoleW fails for requests somewhere around (not exactly)
   * 16384 units, so the batch stays at 10000.  calloc, like Go's make,
   * so that a hook reporting more units than it wrote exposes zeros. */
  if (c->readuint16 == NULL) {
    uint16_t *u = calloc(CORE_CONSOLE_READ_UNITS, sizeof *u);
    uint8_t *bytes = calloc(4 * (size_t)CORE_CONSOLE_READ_UNITS, 1);
    if (u == NULL || bytes == NULL) {
      free(u);
      free(bytes);
      return ERROR_NOT_ENOUGH_MEMORY;
    }
    c->readuint16 = u;
    c->readbyte = bytes;
    c->nreaduint16 = 0;
    c->nreadbyte = 0;
    c->readbyte_offset = 0;
  }

  while (c->readbyte_offset >= c->nreadbyte) {
    /* B52: the caller's byte count doubles as the unit count (a quirk of
     * the seed, kept): a 1-byte Read asks for 1 unit. */
    size_t want = CORE_CONSOLE_READ_UNITS - c->nreaduint16;
    if (want > len) want = len;
    DWORD nw = 0;
    if (!core_hook_read_console(h, c->readuint16 + c->nreaduint16, (DWORD)want, &nw, NULL)) {
      return last_error(); /* the pending half, if any, is kept */
    }
    /* Go slices readuint16[:pending+nw] within its capacity: a hook that
     * claims more than fits is a slice-bounds panic there. */
    if (nw > CORE_CONSOLE_READ_UNITS - c->nreaduint16) {
      core_panicf("runtime error: slice bounds out of range [:%lu] with capacity %d",
                  (unsigned long)(c->nreaduint16 + nw), CORE_CONSOLE_READ_UNITS);
    }
    decode_batch(c, nw);
    /* B54: a zero-unit read ends the loop even with nothing decoded; the
     * caller then sees 0 bytes, which the FD reports as EOF (B49). */
    if (nw == 0) break;
  }

  /* B55: Ctrl-Z (0x1A) ends a Read.  First byte: consumed, 0 returned
   * (EOF at the FD).  Later: the bytes before it are returned and it stays
   * for the next Read. */
  const uint8_t *src = c->readbyte + c->readbyte_offset;
  size_t avail = c->nreadbyte - c->readbyte_offset;
  size_t i;
  for (i = 0; i < avail && i < len; i++) {
    if (src[i] == CTRL_Z) {
      if (i == 0) c->readbyte_offset++;
      break;
    }
    b[i] = src[i];
  }
  c->readbyte_offset += i;
  *n = i;
  return 0;
}

/* ---- writeConsole (B74-B78) ---------------------------------------------
 * Go decodes append(lastbits, b...) into one []rune before writing.  We
 * walk that concatenation in place (head = the saved lastbits, tail = b)
 * twice: once to find where decoding stops and how many runes there are,
 * once to encode and write them a chunk at a time, so memory stays at one
 * chunk however large the Write. */

typedef struct wsrc {
  uint8_t head[CORE_UTF8_MAX];
  size_t nhead;
  const uint8_t *tail;
  size_t ntail;
} wsrc_t;

static uint8_t wsrc_byte(const wsrc_t *s, size_t pos) {
  return pos < s->nhead ? s->head[pos] : s->tail[pos - s->nhead];
}

/* One step of Go's loop `for len(b) >= utf8.UTFMax || utf8.FullRune(b)`:
 * false when the rest must wait in lastbits, else the rune at pos and its
 * width.  DecodeRune and FullRune look at no more than UTFMax bytes, so a
 * window of min(UTFMax, rest) bytes gives their exact answers. */
static bool wsrc_next(const wsrc_t *s, size_t pos, int32_t *r, size_t *width) {
  size_t rest = s->nhead + s->ntail - pos;
  size_t nwin = rest < CORE_UTF8_MAX ? rest : CORE_UTF8_MAX;
  uint8_t win[CORE_UTF8_MAX];
  const uint8_t *p;
  if (pos >= s->nhead) {
    p = s->tail + (pos - s->nhead);
  } else {
    for (size_t k = 0; k < nwin; k++) win[k] = wsrc_byte(s, pos + k);
    p = win;
  }
  if (rest < CORE_UTF8_MAX && !core_utf8_full_rune(p, nwin)) return false;
  *r = core_utf8_decode_rune(p, nwin, width);
  return true;
}

int core_console_write(core_console_t *c, HANDLE h, const uint8_t *b, size_t len, size_t *n) {
  *n = 0;
  wsrc_t s;
  memcpy(s.head, c->lastbits, c->nlastbits);
  s.nhead = c->nlastbits;
  s.tail = b;
  s.ntail = len;
  size_t total = s.nhead + len;

  /* Pass 1 (B75): where decoding stops and how many runes precede it.
   * Invalid bytes are U+FFFD of width 1 (utf8.DecodeRune). */
  size_t end = 0;
  size_t nrunes = 0;
  int32_t r = 0;
  size_t w = 0;
  while (wsrc_next(&s, end, &r, &w)) {
    end += w;
    nrunes++;
  }

  /* One chunk of UTF-16: a rune is at most two units. */
  size_t chunk_runes = nrunes < CORE_CONSOLE_MAX_WRITE ? nrunes : CORE_CONSOLE_MAX_WRITE;
  uint16_t *units = NULL;
  if (chunk_runes > 0) {
    units = malloc(2 * chunk_runes * sizeof *units);
    if (units == NULL) return ERROR_NOT_ENOUGH_MEMORY; /* lastbits untouched */
  }

  /* B76: the unfinished valid prefix (1-3 bytes: a 4th byte would have
   * made the loop run) waits for the next Write.  Go stores it before
   * writing anything, so an error below does not undo it (B78). */
  c->nlastbits = total - end;
  for (size_t k = 0; k < c->nlastbits; k++) c->lastbits[k] = wsrc_byte(&s, end + k);

  /* Pass 2 (B77): WriteConsoleW fails for large buffers (Go found 16000
   * characters to work by experiment), so at most 16000 runes - up to
   * 32000 units with surrogate pairs - go to one call. */
  size_t pos = 0;
  while (pos < end) {
    size_t nu = 0;
    for (size_t m = 0; m < CORE_CONSOLE_MAX_WRITE && pos < end; m++) {
      (void)wsrc_next(&s, pos, &r, &w); /* true below end: pass 1 said so */
      nu += core_utf16_encode_rune(units + nu, r);
      pos += w;
    }
    /* The console may take fewer units than offered: retry the rest.  A
     * call that succeeds with 0 written spins here forever, as the seed
     * does (no guard in Go either). */
    const uint16_t *q = units;
    while (nu > 0) {
      DWORD written = 0;
      if (!core_hook_write_console(h, q, (DWORD)nu, &written, NULL)) {
        int err = last_error();
        free(units);
        return err; /* B78: (0, err) even after earlier chunks were written */
      }
      if (written > nu) {
        /* Go reslices uint16s[written:]: a slice-bounds panic. */
        free(units);
        core_panicf("runtime error: slice bounds out of range [%lu:%lu]", (unsigned long)written,
                    (unsigned long)nu);
      }
      q += written;
      nu -= written;
    }
  }
  free(units);
  *n = len; /* B74: the whole chunk, bytes held in lastbits included */
  return 0;
}

void core_console_free(core_console_t *c) {
  free(c->readuint16);
  free(c->readbyte);
  memset(c, 0, sizeof *c);
}
