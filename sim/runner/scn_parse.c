/* scn_parse.c: the scenario parser (docs/scenarios.md).
 *
 * Line oriented: each line is cut into tokens with their columns, then read
 * by the statement it starts.  Indentation opens a block under `thread`,
 * `at` and `repeat`; `history` runs to its `end`.  Every error names
 * line:column, what was expected and what was found, and, for a misspelt
 * name, the nearest valid one.  No input makes it crash, loop or allocate
 * without bound: the file, a line, a literal, a count and the nesting are
 * all capped (scn.h). */
#include "scn.h"
#include "scn_verbs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small utilities ------------------------------------------------------------ */

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (p == NULL) {
    fprintf(stderr, "iocpsim: out of memory\n");
    exit(3);
  }
  return p;
}

static void *xrealloc(void *p, size_t size) {
  void *q = realloc(p, size ? size : 1);
  if (q == NULL) {
    fprintf(stderr, "iocpsim: out of memory\n");
    exit(3);
  }
  return q;
}

static char *xstrndup(const char *s, size_t n) {
  char *p = xcalloc(n + 1, 1);
  memcpy(p, s, n);
  return p;
}

static char *xstrdup(const char *s) {
  return xstrndup(s, strlen(s));
}

/* ---- verb table -------------------------------------------------------------------- */

typedef struct verb_info {
  const char *name, *sig, *keys, *usage;
} verb_info_t;

static const verb_info_t verbs[] = {
#define SCN_VERB_ROW(id, name, sig, keys, usage) {name, sig, keys, usage},
    SCN_VERB_LIST(SCN_VERB_ROW)
#undef SCN_VERB_ROW
};

const char *scn_verb_name(int verb) {
  return verb >= 0 && verb < SCN_V_COUNT ? verbs[verb].name : "?";
}
const char *scn_verb_usage(int verb) {
  return verb >= 0 && verb < SCN_V_COUNT ? verbs[verb].usage : "?";
}
int scn_verb_count(void) {
  return SCN_V_COUNT;
}

/* The words a verb's `w` arguments accept, one list per `w` in order. */
static const char *const *verb_words(int verb, int which) {
  static const char *const tcp_nets[] = {"tcp", "tcp4", "tcp6", NULL};
  static const char *const udp_nets[] = {"udp", "udp4", "udp6", NULL};
  static const char *const sock_nets[] = {"tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", NULL};
  static const char *const pollable[] = {"pollable", "unpollable", NULL};
  static const char *const pipe_modes[] = {"byte", "message", NULL};
  static const char *const open_flags[] = {"rdonly", "wronly", "rdwr",   "create",
                                           "excl",   "trunc",  "append", NULL};
  static const char *const whence[] = {"set", "cur", "end", NULL};
  static const char *const boolean[] = {"true", "false", NULL};
  static const char *const how[] = {"send", "recv", "both", NULL};
  (void)which;
  switch (verb) {
    case SCN_V_LISTEN:
    case SCN_V_DIAL:
      return tcp_nets;
    case SCN_V_DIAL_UDP:
      return udp_nets;
    case SCN_V_SOCKET:
      return sock_nets;
    case SCN_V_INIT:
      return pollable;
    case SCN_V_NAMEDPIPE:
      return pipe_modes;
    case SCN_V_OPEN:
      return open_flags;
    case SCN_V_SEEK:
      return whence;
    case SCN_V_RAW_WRITE:
      return boolean;
    case SCN_V_SHUTDOWN:
      return how;
    default:
      return NULL;
  }
}

static const char *invariant_names[SCN_INV_COUNT] = {
    "handles-closed", "no-pending-io", "fd-refs-zero", "bytes-conserved", "closed-on-return"};
const char *scn_invariant_name(scn_invariant_t i) {
  return i < SCN_INV_COUNT ? invariant_names[i] : "?";
}

void scn_fmt_data(char *buf, size_t cap, const uint8_t *d, size_t len) {
  size_t n = 0;
  if (cap < 16) return;
  buf[n++] = '"';
  size_t shown = len > 48 ? 40 : len;
  for (size_t i = 0; i < shown && n + 8 < cap; i++) {
    uint8_t c = d[i];
    if (c == '"' || c == '\\')
      n += (size_t)snprintf(buf + n, cap - n, "\\%c", c);
    else if (c == '\n')
      n += (size_t)snprintf(buf + n, cap - n, "\\n");
    else if (c == '\r')
      n += (size_t)snprintf(buf + n, cap - n, "\\r");
    else if (c == '\t')
      n += (size_t)snprintf(buf + n, cap - n, "\\t");
    else if (c < 32 || c >= 127)
      n += (size_t)snprintf(buf + n, cap - n, "\\x%02x", c);
    else
      buf[n++] = (char)c;
  }
  if (n + 1 < cap) buf[n++] = '"';
  buf[n] = '\0';
  if (shown < len) snprintf(buf + n, cap - n, "...(%zu bytes)", len);
}

/* An expected result as messages and reports show it (scn.h). */
void scn_fmt_alt(const scn_alt_t *a, char *buf, size_t cap) {
  char eb[32], db[200];
  const char *head = a->kind == SCN_R_ANY  ? "any"
                     : a->kind == SCN_R_OK ? "ok"
                                           : scn_error_name(a->err, eb, sizeof eb);
  size_t n;
  if (a->has_data) {
    scn_fmt_data(db, sizeof db, a->data, a->len);
    n = (size_t)snprintf(buf, cap, "%s %s", head, db);
  } else if (a->has_n) {
    n = (size_t)snprintf(buf, cap, "%s %lld", head, (long long)a->n);
  } else {
    n = (size_t)snprintf(buf, cap, "%s", head);
  }
  if (a->rest && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, " rest%s%s", *a->rest ? " " : "", a->rest);
  if (a->has_oob && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, " oob=%lld", (long long)a->oob);
  if (a->has_flags && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, " flags=0x%llx", (long long)a->flags);
  if (a->from && n < cap) snprintf(buf + n, cap - n, " from=%s", a->from);
}

char *scn_strf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = xcalloc((size_t)n + 1, 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void scn_xml_escape(FILE *f, const char *s) {
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '<')
      fputs("&lt;", f);
    else if (c == '>')
      fputs("&gt;", f);
    else if (c == '&')
      fputs("&amp;", f);
    else if (c == '"')
      fputs("&quot;", f);
    else if (c < 32 && c != '\n' && c != '\t')
      fprintf(f, "&#%u;", c);
    else
      fputc(c, f);
  }
}

int scn_exit_severity(int code) {
  return code == 3 ? 4 : code == 2 ? 3 : code == 1 ? 2 : code == 64 ? 1 : 0;
}

char *scn_judge_history(const scn_t *s, const char *hist,
                        bool (*tolerate)(const scn_t *s, const char *run, const char *golden),
                        size_t *tolerated, const char *hint) {
  size_t i = 0;
  const char *p = hist;
  if (tolerated) *tolerated = 0;
  while (*p || i < s->n_history) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (i >= s->n_history)
      return scn_strf(
          "%s:%u: the history has more events than the golden block; the first extra one is:\n  "
          "%.*s%s",
          s->path, s->history_end_line, (int)n, p, hint);
    if (!*p)
      return scn_strf("%s:%u: the run ended before this history line:\n  %s%s", s->path,
                      s->history[i].line, s->history[i].text, hint);
    if (strlen(s->history[i].text) != n || memcmp(s->history[i].text, p, n) != 0) {
      char *line = xcalloc(n + 1, 1);
      memcpy(line, p, n);
      bool ok = tolerate != NULL && tolerate(s, line, s->history[i].text);
      free(line);
      if (!ok)
        return scn_strf(
            "%s:%u: the history differs from the golden block\n  golden: %s\n  run:    %.*s%s",
            s->path, s->history[i].line, s->history[i].text, (int)n, p, hint);
      if (tolerated) (*tolerated)++;
    }
    i++;
    p = e ? e + 1 : p + n;
  }
  return NULL;
}

/* ---- nearest name -------------------------------------------------------------------- */

static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) return 1000;
  size_t d[66][66];
  for (size_t i = 0; i <= la; i++) d[i][0] = i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = j;
  for (size_t i = 1; i <= la; i++) {
    for (size_t j = 1; j <= lb; j++) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  }
  return d[la][lb];
}

const char *scn_nearest(const char *word, const char *const *cands, size_t n) {
  const char *best = NULL;
  size_t bestd = (size_t)-1, wl = strlen(word);
  size_t limit = wl / 3 + 1;
  for (size_t i = 0; i < n; i++) {
    if (cands[i] == NULL) continue;
    size_t dd = edit_distance(word, cands[i]);
    if (dd < bestd) {
      bestd = dd;
      best = cands[i];
    }
  }
  return bestd <= limit ? best : NULL;
}

/* ---- tokens ----------------------------------------------------------------------------- */

typedef enum tok_kind {
  T_WORD = 0, /* names, numbers, durations, addresses, key=value (split later) */
  T_STRING,   /* "..." or x"..." decoded into data */
  T_ARROW,    /* => */
  T_BAR,      /* | */
  T_COMMA
} tok_kind_t;

typedef struct tok {
  tok_kind_t kind;
  uint32_t col;
  char *text;    /* T_WORD: the word; for key="str": the key with '=' */
  uint8_t *data; /* T_STRING */
  size_t len;
  bool keyed; /* T_STRING preceded by key= (text holds the key) */
} tok_t;

#define MAX_TOKS 64

typedef struct parser {
  const char *path;
  scn_error_t *err;
  bool failed;
  uint32_t line;
  /* the current line's tokens */
  tok_t toks[MAX_TOKS];
  int ntok;
  uint32_t eol; /* the column just past the line's last token */
  scn_t *s;
  /* object names bound so far */
  char **objs;
  size_t nobjs, capobjs;
} parser_t;

static bool fail(parser_t *p, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(parser_t *p, uint32_t col, const char *fmt, ...) {
  if (p->failed) return false;
  p->failed = true;
  p->err->line = p->line;
  /* column 0 means "at the end of the line": something is missing there */
  p->err->col = col ? col : (p->eol ? p->eol : 1);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
  va_end(ap);
  return false;
}

static void free_toks(parser_t *p) {
  for (int i = 0; i < p->ntok; i++) {
    free(p->toks[i].text);
    free(p->toks[i].data);
  }
  p->ntok = 0;
}

/* Shows a found token in a message: at most 24 characters, printable. */
static const char *show(const tok_t *t, char *buf, size_t len) {
  if (t == NULL) return "the end of the line";
  if (t->kind == T_ARROW) return "'=>'";
  if (t->kind == T_BAR) return "'|'";
  if (t->kind == T_COMMA) return "','";
  if (t->kind == T_STRING && !t->keyed) return "a string";
  const char *s = t->text ? t->text : "";
  size_t n = 0;
  buf[n++] = '\'';
  for (size_t i = 0; s[i] && n + 5 < len && i < 24; i++)
    buf[n++] = (s[i] >= 32 && s[i] < 127) ? s[i] : '?';
  if (strlen(s) > 24 && n + 4 < len) {
    memcpy(buf + n, "...", 3);
    n += 3;
  }
  buf[n++] = '\'';
  buf[n] = '\0';
  return buf;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes a quoted string starting at s[i] == '"'.  Returns the index past
 * the closing quote, or 0 on error (reported). */
static size_t lex_string(parser_t *p, const char *s, size_t i, size_t n, int mode, tok_t *t) {
  /* mode: 0 "text" with escapes, 1 x"hex", 2 r"raw" (backslashes are plain:
   * r"\\.\pipe\name" is a pipe name) */
  bool hex = mode == 1;
  uint32_t start = (uint32_t)i + 1;
  i++;
  size_t cap = 16, len = 0;
  uint8_t *buf = xcalloc(cap, 1);
  while (i < n && s[i] != '"') {
    int c = (unsigned char)s[i];
    if (mode == 2) {
      i++;
    } else if (hex) {
      if (c == ' ' || c == '_') {
        i++;
        continue;
      }
      int h = hexval(c), l = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
      if (h < 0 || l < 0) {
        free(buf);
        fail(p, (uint32_t)i + 1, "expected two hex digits in x\"...\"");
        return 0;
      }
      c = h * 16 + l;
      i += 2;
    } else if (c == '\\') {
      if (i + 1 >= n) break;
      int e = s[i + 1];
      i += 2;
      switch (e) {
        case 'n':
          c = '\n';
          break;
        case 'r':
          c = '\r';
          break;
        case 't':
          c = '\t';
          break;
        case '0':
          c = 0;
          break;
        case '\\':
          c = '\\';
          break;
        case '"':
          c = '"';
          break;
        case 'x': {
          int h = i < n ? hexval((unsigned char)s[i]) : -1;
          int l = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
          if (h < 0 || l < 0) {
            free(buf);
            fail(p, (uint32_t)i + 1, "expected two hex digits after \\x");
            return 0;
          }
          c = h * 16 + l;
          i += 2;
          break;
        }
        default:
          free(buf);
          fail(p, (uint32_t)i - 1, "unknown escape '\\%c' (use \\n \\r \\t \\0 \\\\ \\\" \\xHH)",
               (e >= 32 && e < 127) ? e : '?');
          return 0;
      }
    } else {
      i++;
    }
    if (len + 1 > cap) buf = xrealloc(buf, cap *= 2);
    buf[len++] = (uint8_t)c;
  }
  if (i >= n) {
    free(buf);
    fail(p, start - 1, "unterminated string (a string ends on its own line)");
    return 0;
  }
  t->kind = T_STRING;
  t->data = buf;
  t->len = len;
  return i + 1;
}

/* Cuts one line (without its newline) into tokens.  Returns false on a
 * lexical error. */
static bool lex_line(parser_t *p, const char *s, size_t n) {
  free_toks(p);
  size_t i = 0;
  p->eol = 1;
  {
    /* the end of the content: before a comment, without trailing blanks */
    bool str = false;
    size_t end = 0;
    for (size_t k = 0; k < n; k++) {
      if (s[k] == '"' && (k == 0 || s[k - 1] != '\\')) str = !str;
      if (!str && s[k] == '#') break;
      if (s[k] != ' ' && s[k] != '\t') end = k + 1;
    }
    p->eol = (uint32_t)end + 2;
  }
  while (i < n) {
    int c = (unsigned char)s[i];
    if (c == ' ' || c == '\t') {
      i++;
      continue;
    }
    if (c == '#') break;
    if (p->ntok == MAX_TOKS)
      return fail(p, (uint32_t)i + 1, "too many words on one line (at most %d)", MAX_TOKS);
    tok_t *t = &p->toks[p->ntok];
    memset(t, 0, sizeof *t);
    t->col = (uint32_t)i + 1;
    if (c == '"' || ((c == 'x' || c == 'r') && i + 1 < n && s[i + 1] == '"')) {
      int mode = c == 'x' ? 1 : c == 'r' ? 2 : 0;
      size_t end = lex_string(p, s, mode ? i + 1 : i, n, mode, t);
      if (end == 0) return false;
      p->ntok++;
      i = end;
      continue;
    }
    if (c == '=' && i + 1 < n && s[i + 1] == '>') {
      t->kind = T_ARROW;
      p->ntok++;
      i += 2;
      continue;
    }
    if (c == '|' || c == ',') {
      t->kind = c == '|' ? T_BAR : T_COMMA;
      p->ntok++;
      i++;
      continue;
    }
    if (c < 33 || c > 126) return fail(p, (uint32_t)i + 1, "unexpected character (byte 0x%02x)", c);
    size_t j = i;
    while (j < n && s[j] > 32 && s[j] < 127 && s[j] != '#' && s[j] != '|' && s[j] != ',' &&
           !(s[j] == '"' && j > i && s[j - 1] == '=') &&
           !(s[j] == '=' && j + 1 < n && s[j + 1] == '>'))
      j++;
    t->kind = T_WORD;
    t->text = xstrndup(s + i, j - i);
    p->ntok++;
    /* key="string": the string joins the key's token */
    if (j < n && s[j] == '"' && j > i && s[j - 1] == '=') {
      tok_t tmp;
      memset(&tmp, 0, sizeof tmp);
      size_t end = lex_string(p, s, j, n, 0, &tmp);
      if (end == 0) return false;
      t->kind = T_STRING;
      t->keyed = true;
      t->data = tmp.data;
      t->len = tmp.len;
      i = end;
      continue;
    }
    i = j;
  }
  return true;
}

/* ---- values --------------------------------------------------------------------------- */

/* Parses a decimal or 0x number with an optional sign into *out. */
static bool parse_int(parser_t *p, const char *w, uint32_t col, bool allow_neg, int64_t *out) {
  const char *s = w;
  bool neg = false;
  if (*s == '-' || *s == '+') {
    neg = *s == '-';
    if (neg && !allow_neg) return fail(p, col, "expected a number >= 0, found '%s'", w);
    s++;
  }
  int base = 10;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s += 2;
  }
  if (*s == '\0') return fail(p, col, "expected a number, found '%s'", w);
  uint64_t v = 0;
  for (; *s; s++) {
    int d = base == 16 ? hexval((unsigned char)*s) : (*s >= '0' && *s <= '9' ? *s - '0' : -1);
    if (d < 0) return fail(p, col, "expected a number, found '%s'", w);
    if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base ||
        v * (uint64_t)base + (uint64_t)d > (uint64_t)INT64_MAX)
      return fail(p, col, "number too large: '%.40s' (at most 9223372036854775807)", w);
    v = v * (uint64_t)base + (uint64_t)d;
  }
  *out = neg ? -(int64_t)v : (int64_t)v;
  return true;
}

static bool is_int_word(const char *w) {
  const char *s = w;
  if (*s == '-' || *s == '+') s++;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) return s[2] != '\0';
  if (!*s) return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9') return false;
  return true;
}

/* A duration: digits then ns|us|ms|s, optional sign (when allow_sign). */
static bool parse_duration(parser_t *p, const char *w, uint32_t col, bool allow_sign,
                           int64_t *out) {
  const char *s = w;
  bool neg = false;
  if (*s == '+' || *s == '-') {
    if (!allow_sign) return fail(p, col, "expected a duration such as 5ms, found '%s'", w);
    neg = *s == '-';
    s++;
  }
  if (*s < '0' || *s > '9') return fail(p, col, "expected a duration such as 5ms, found '%s'", w);
  uint64_t v = 0;
  while (*s >= '0' && *s <= '9') {
    if (v > 922337203685477580ull) return fail(p, col, "duration too large: '%.40s'", w);
    v = v * 10 + (uint64_t)(*s - '0');
    s++;
  }
  uint64_t mul;
  if (strcmp(s, "ns") == 0)
    mul = 1;
  else if (strcmp(s, "us") == 0)
    mul = 1000;
  else if (strcmp(s, "ms") == 0)
    mul = 1000000;
  else if (strcmp(s, "s") == 0)
    mul = 1000000000;
  else if (*s == '\0')
    return fail(p, col + (uint32_t)(s - w), "expected a time unit after '%s': ns, us, ms or s", w);
  else
    return fail(p, col + (uint32_t)(s - w), "unknown time unit '%s' (ns, us, ms or s)", s);
  if (v > (uint64_t)INT64_MAX / mul) return fail(p, col, "duration too large: '%.40s'", w);
  *out = neg ? -(int64_t)(v * mul) : (int64_t)(v * mul);
  return true;
}

static bool looks_like_addr(const char *w) {
  return strchr(w, ':') != NULL && (w[0] == '[' || (w[0] >= '0' && w[0] <= '9') || w[0] == ':');
}

static bool valid_name(const char *w) {
  if (!((w[0] >= 'a' && w[0] <= 'z') || (w[0] >= 'A' && w[0] <= 'Z') || w[0] == '_')) return false;
  for (const char *s = w; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '_' || *s == '-' || *s == '.'))
      return false;
  return strlen(w) <= 63;
}

static bool known_obj(parser_t *p, const char *w) {
  for (size_t i = 0; i < p->nobjs; i++)
    if (strcmp(p->objs[i], w) == 0) return true;
  return false;
}

static bool bind_obj(parser_t *p, const char *w, uint32_t col) {
  if (!valid_name(w))
    return fail(
        p, col,
        "expected an object name (a letter, then letters, digits, '_', '-', '.'), found '%.40s'",
        w);
  if (known_obj(p, w)) return true; /* rebinding in another thread or loop is allowed */
  if (p->nobjs == p->capobjs)
    p->objs = xrealloc(p->objs, (p->capobjs = p->capobjs * 2 + 8) * sizeof *p->objs);
  p->objs[p->nobjs++] = xstrdup(w);
  return true;
}

static bool ref_obj(parser_t *p, const char *w, uint32_t col) {
  if (known_obj(p, w)) return true;
  const char *near = scn_nearest(w, (const char *const *)p->objs, p->nobjs);
  if (near) return fail(p, col, "unknown object '%.40s'; did you mean '%s'?", w, near);
  return fail(
      p, col,
      "unknown object '%.40s' (an object is made by an earlier line: listen, dial, pair, ...)", w);
}

/* Data: a string token, or `fill N`. */
static bool parse_data(parser_t *p, int *ti, scn_arg_t *a) {
  char sb[40];
  tok_t *t = *ti < p->ntok ? &p->toks[*ti] : NULL;
  if (t && t->kind == T_STRING && !t->keyed) {
    a->kind = SCN_A_DATA;
    a->col = t->col;
    a->data = t->data;
    a->len = t->len;
    t->data = NULL;
    (*ti)++;
    return true;
  }
  if (t && t->kind == T_WORD && strcmp(t->text, "fill") == 0) {
    tok_t *nt = *ti + 1 < p->ntok ? &p->toks[*ti + 1] : NULL;
    if (!nt || nt->kind != T_WORD)
      return fail(p, nt ? nt->col : t->col + 4, "expected a byte count after 'fill'");
    int64_t v;
    if (!parse_int(p, nt->text, nt->col, false, &v)) return false;
    if (v > (int64_t)SCN_MAX_DATA)
      return fail(p, nt->col, "fill of %lld bytes is too large (at most %u)", (long long)v,
                  SCN_MAX_DATA);
    a->kind = SCN_A_DATA;
    a->col = t->col;
    a->len = (size_t)v;
    a->data = xcalloc(a->len + 1, 1);
    /* `fill N of "pattern"`: the pattern repeated (non-ASCII text, binary);
     * `fill N` alone: abc...z.  (`of` keeps a following data argument of
     * writev from being read as a pattern.) */
    tok_t *of = *ti + 2 < p->ntok ? &p->toks[*ti + 2] : NULL;
    if (of && of->kind == T_WORD && strcmp(of->text, "of") == 0) {
      tok_t *pt = *ti + 3 < p->ntok ? &p->toks[*ti + 3] : NULL;
      if (!pt || pt->kind != T_STRING || pt->keyed) {
        free(a->data);
        a->data = NULL;
        return fail(p, pt ? pt->col : of->col + 2,
                    "expected a pattern in quotes after 'fill %lld of'", (long long)v);
      }
      if (pt->len == 0) {
        free(a->data);
        a->data = NULL;
        return fail(p, pt->col, "a fill pattern cannot be empty");
      }
      for (size_t k = 0; k < a->len; k++) a->data[k] = pt->data[k % pt->len];
      *ti += 4;
      return true;
    }
    for (size_t k = 0; k < a->len; k++) a->data[k] = (uint8_t)('a' + k % 26);
    *ti += 2;
    return true;
  }
  return fail(p, t ? t->col : 0,
              "expected data (\"text\", x\"0a0b\", r\"raw\" or fill N [of \"pattern\"]), found %s",
              show(t, sb, sizeof sb));
}

static bool parse_deadline(parser_t *p, tok_t *t, scn_arg_t *a) {
  a->kind = SCN_A_DEADLINE;
  a->col = t->col;
  if (strcmp(t->text, "none") == 0) {
    a->dl = SCN_DL_NONE;
    return true;
  }
  if (strcmp(t->text, "past") == 0) {
    a->dl = SCN_DL_PAST;
    return true;
  }
  if (strcmp(t->text, "now") == 0) {
    a->dl = SCN_DL_NOW;
    return true;
  }
  a->dl = SCN_DL_REL;
  if (t->text[0] != '+' && t->text[0] != '-')
    return fail(p, t->col, "expected a deadline (+50ms, -5s, past, now or none), found '%.40s'",
                t->text);
  return parse_duration(p, t->text, t->col, true, &a->i);
}

static bool parse_target(parser_t *p, tok_t *t, scn_arg_t *a) {
  char sb[40];
  if (!t || t->kind != T_WORD)
    return fail(p, t ? t->col : 0, "expected an address (127.0.0.1:80) or an object name, found %s",
                show(t, sb, sizeof sb));
  a->col = t->col;
  /* the name is checked before it is copied: an argument that fails is
   * not counted in n_args, so nothing of it may be allocated.  `other` is an
   * address of neither inet family (Go's other Sockaddr types, B103). */
  bool addr = looks_like_addr(t->text) || (strcmp(t->text, "other") == 0 && !known_obj(p, t->text));
  if (!addr && !ref_obj(p, t->text, t->col)) return false;
  a->kind = addr ? SCN_A_ADDR : SCN_A_NAME;
  a->text = xstrdup(t->text);
  return true;
}

/* ---- expectations ------------------------------------------------------------------ */

static bool parse_alt_clauses(parser_t *p, int *ti, scn_alt_t *alt);
static bool parse_rest(parser_t *p, int *ti, scn_alt_t *alt);

static bool parse_alt(parser_t *p, int *ti, scn_alt_t *alt) {
  char sb[40];
  tok_t *t = *ti < p->ntok ? &p->toks[*ti] : NULL;
  memset(alt, 0, sizeof *alt);
  if (t == NULL || t->kind == T_BAR)
    return fail(p, t ? t->col : 0,
                "expected a result after '=>' (ok, an error name, \"data\" or any)");
  if (t->kind == T_STRING && !t->keyed) {
    alt->kind = SCN_R_OK;
    alt->has_data = true;
    alt->data = t->data;
    alt->len = t->len;
    alt->has_n = true;
    alt->n = (int64_t)t->len;
    t->data = NULL;
    (*ti)++;
    return parse_alt_clauses(p, ti, alt);
  }
  if (t->kind != T_WORD)
    return fail(p, t->col, "expected a result, found %s", show(t, sb, sizeof sb));
  if (strcmp(t->text, "any") == 0) {
    alt->kind = SCN_R_ANY;
    (*ti)++;
    return true;
  }
  if (strcmp(t->text, "ok") == 0) {
    alt->kind = SCN_R_OK;
  } else if (is_int_word(t->text) && t->text[0] != '-' && t->text[0] != '+') {
    /* an error by its number, for codes without a name in the list */
    int64_t v;
    if (!parse_int(p, t->text, t->col, false, &v)) return false;
    if (v == 0 || v > 0x7fffffff)
      return fail(p, t->col, "an error number is between 1 and 2147483647 (0 is 'ok')");
    alt->kind = SCN_R_ERR;
    alt->err = (int)v;
  } else {
    int e;
    if (!scn_error_by_name(t->text, &e)) {
      extern const char *const *scn_error_names(size_t * n);
      size_t nn;
      const char *const *names = scn_error_names(&nn);
      const char *near = scn_nearest(t->text, names, nn);
      if (near) return fail(p, t->col, "unknown result '%.40s'; did you mean '%s'?", t->text, near);
      return fail(p, t->col,
                  "unknown result '%.40s' (ok, any, \"data\", or an error name such as EOF or "
                  "WSAECONNRESET)",
                  t->text);
    }
    alt->kind = e == 0 ? SCN_R_OK : SCN_R_ERR;
    alt->err = e;
  }
  (*ti)++;
  t = *ti < p->ntok ? &p->toks[*ti] : NULL;
  if (t && t->kind == T_STRING && !t->keyed) {
    alt->has_data = true;
    alt->data = t->data;
    alt->len = t->len;
    alt->has_n = true;
    alt->n = (int64_t)t->len;
    t->data = NULL;
    (*ti)++;
  } else if (t && t->kind == T_WORD && strcmp(t->text, "rest") != 0 && !strchr(t->text, '=')) {
    if (!is_int_word(t->text))
      return fail(p, t->col,
                  "expected a byte count, \"data\", '|' or the end of the line, found %s",
                  show(t, sb, sizeof sb));
    if (!parse_int(p, t->text, t->col, false, &alt->n)) return false;
    alt->has_n = true;
    (*ti)++;
  }
  return parse_alt_clauses(p, ti, alt);
}

/* The clauses after a result: rest "a" "b", from=NAME|ADDR, oob=N, flags=N. */
static bool parse_alt_clauses(parser_t *p, int *ti, scn_alt_t *alt) {
  char sb[40];
  for (;;) {
    tok_t *t = *ti < p->ntok ? &p->toks[*ti] : NULL;
    if (!t || t->kind != T_WORD) return true;
    if (strcmp(t->text, "rest") == 0) {
      if (alt->rest) return fail(p, t->col, "duplicate 'rest'");
      if (!parse_rest(p, ti, alt)) return false;
      continue;
    }
    const char *eq = strchr(t->text, '=');
    if (!eq)
      return fail(p, t->col,
                  "expected rest, from=, oob=, flags=, '|' or the end of the line, found %s",
                  show(t, sb, sizeof sb));
    size_t kl = (size_t)(eq - t->text);
    const char *v = eq + 1;
    uint32_t vcol = t->col + (uint32_t)kl + 1;
    if (!*v) return fail(p, vcol, "expected a value after '%.*s='", (int)kl, t->text);
    if (kl == 4 && strncmp(t->text, "from", 4) == 0) {
      if (alt->from) return fail(p, t->col, "duplicate 'from='");
      if (!looks_like_addr(v) && !ref_obj(p, v, vcol)) return false;
      alt->from = xstrdup(v);
    } else if (kl == 3 && strncmp(t->text, "oob", 3) == 0) {
      if (!parse_int(p, v, vcol, false, &alt->oob)) return false;
      alt->has_oob = true;
    } else if (kl == 5 && strncmp(t->text, "flags", 5) == 0) {
      if (!parse_int(p, v, vcol, false, &alt->flags)) return false;
      alt->has_flags = true;
    } else {
      return fail(p, t->col, "unknown result clause '%.*s=' (from=, oob= or flags=)", (int)kl,
                  t->text);
    }
    (*ti)++;
  }
}

static bool parse_rest(parser_t *p, int *ti, scn_alt_t *alt) {
  tok_t *t = *ti < p->ntok ? &p->toks[*ti] : NULL;
  if (t && t->kind == T_WORD && strcmp(t->text, "rest") == 0) {
    /* writev's unwritten buffers: rest "d" "ef" (or `rest` alone: none left) */
    (*ti)++;
    size_t cap = 16, n = 0;
    char *r = xcalloc(cap, 1);
    while (*ti < p->ntok && p->toks[*ti].kind == T_STRING && !p->toks[*ti].keyed) {
      tok_t *d = &p->toks[*ti];
      char piece[256];
      scn_fmt_data(piece, sizeof piece, d->data, d->len);
      size_t pl = strlen(piece);
      while (n + pl + 2 > cap) r = xrealloc(r, cap *= 2);
      if (n) r[n++] = ' ';
      memcpy(r + n, piece, pl);
      n += pl;
      r[n] = '\0';
      (*ti)++;
    }
    alt->rest = r;
  }
  return true;
}

static bool parse_expect(parser_t *p, int *ti, scn_expect_t *ex) {
  char sb[40];
  ex->col = p->toks[*ti].col;
  (*ti)++;
  for (;;) {
    if (ex->n_alts == SCN_MAX_ALTS)
      return fail(p, p->toks[*ti].col, "too many alternatives (at most %u)", SCN_MAX_ALTS);
    if (!parse_alt(p, ti, &ex->alts[ex->n_alts])) {
      /* not counted yet: free what the failed alternative took */
      scn_alt_t *a = &ex->alts[ex->n_alts];
      free(a->data);
      free(a->rest);
      free(a->from);
      memset(a, 0, sizeof *a);
      return false;
    }
    ex->n_alts++;
    if (*ti >= p->ntok) return true;
    tok_t *t = &p->toks[*ti];
    if (t->kind != T_BAR)
      return fail(p, t->col, "expected '|' or the end of the line, found %s",
                  show(t, sb, sizeof sb));
    (*ti)++;
  }
}

/* ---- steps ------------------------------------------------------------------------- */

static const char *kind_name(char k) {
  switch (k) {
    case 'N':
      return "a new object name";
    case 'o':
      return "an object name";
    case 'n':
      return "a number";
    case 'i':
      return "a number";
    case 'd':
      return "data (\"text\", x\"0a0b\" or fill N)";
    case 's':
      return "a string in quotes";
    case 'D':
      return "a deadline (+50ms, -5s, past, now or none)";
    case 't':
      return "a duration such as 5ms";
    case 'a':
      return "an address (127.0.0.1:80) or an object name";
    case 'w':
      return "a word";
    case 'x':
      return "a word";
    default:
      return "an argument";
  }
}

static void words_list(const char *const *ws, char *buf, size_t len) {
  size_t n = 0;
  buf[0] = '\0';
  for (int i = 0; ws && ws[i]; i++)
    n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", i ? ", " : "", ws[i]);
}

static bool parse_key_arg(parser_t *p, int verb, tok_t *t, scn_step_t *st) {
  const char *keys = verbs[verb].keys;
  const char *eq = t->kind == T_STRING ? t->text + strlen(t->text) - 1 : strchr(t->text, '=');
  size_t klen = (size_t)(eq - t->text);
  char key[32];
  if (klen == 0 || klen >= sizeof key) return fail(p, t->col, "expected key=value");
  memcpy(key, t->text, klen);
  key[klen] = '\0';
  /* find key:kind in keys */
  char kind = 0;
  const char *cands[8];
  size_t nc = 0;
  char names[8][32];
  for (const char *k = keys; *k;) {
    const char *colon = strchr(k, ':');
    if (!colon) break;
    size_t kl = (size_t)(colon - k);
    if (nc < 8 && kl < 32) {
      memcpy(names[nc], k, kl);
      names[nc][kl] = '\0';
      cands[nc] = names[nc];
      nc++;
    }
    if (kl == klen && memcmp(k, key, klen) == 0) kind = colon[1];
    k = colon + 2;
    if (*k == ',') k++;
  }
  if (!kind) {
    const char *near = scn_nearest(key, cands, nc);
    if (nc == 0)
      return fail(p, t->col, "'%s' takes no key=value options, found '%s='", verbs[verb].name, key);
    if (near)
      return fail(p, t->col, "unknown option '%s=' for '%s'; did you mean '%s='?", key,
                  verbs[verb].name, near);
    return fail(p, t->col, "unknown option '%s=' for '%s' (%s)", key, verbs[verb].name, keys);
  }
  for (uint32_t i = 0; i < st->n_args; i++)
    if (st->args[i].key && strcmp(st->args[i].key, key) == 0)
      return fail(p, t->col, "duplicate option '%s='", key);
  if (st->n_args == SCN_MAX_ARGS) return fail(p, t->col, "too many arguments");
  scn_arg_t *a = &st->args[st->n_args];
  memset(a, 0, sizeof *a);
  a->col = t->col;
  uint32_t vcol = t->col + (uint32_t)klen + 1;
  if (kind == 'd') {
    if (t->kind != T_STRING) return fail(p, vcol, "expected data in quotes after '%s='", key);
    a->kind = SCN_A_DATA;
    a->data = t->data;
    a->len = t->len;
    t->data = NULL;
  } else {
    if (t->kind == T_STRING)
      return fail(p, vcol, "'%s=' takes %s, not a string", key, kind_name(kind));
    const char *v = eq + 1;
    if (!*v) return fail(p, vcol, "expected %s after '%s='", kind_name(kind), key);
    tok_t vt = {.kind = T_WORD, .col = vcol, .text = (char *)v};
    if (kind == 'n' || kind == 'i') {
      a->kind = SCN_A_INT;
      if (!parse_int(p, v, vcol, kind == 'i', &a->i)) return false;
    } else if (kind == 'D') {
      if (!parse_deadline(p, &vt, a)) return false;
    } else if (kind == 't') {
      a->kind = SCN_A_DURATION;
      if (!parse_duration(p, v, vcol, false, &a->i)) return false;
    } else if (kind == 'a') {
      if (!parse_target(p, &vt, a)) return false;
    }
  }
  a->key = xstrdup(key);
  a->col = t->col;
  st->n_args++;
  return true;
}

/* Parses the arguments of a generic verb from token ti on. */
static bool parse_args(parser_t *p, int verb, int ti, scn_step_t *st) {
  char sb[40], wl[160];
  const char *sig = verbs[verb].sig;
  bool optional = false;
  char prev = 0;
  const char *sp = sig;
  for (;;) {
    char k = *sp;
    if (k == '?') {
      optional = true;
      sp++;
      continue;
    }
    if (k == '*') k = prev;
    tok_t *t = ti < p->ntok ? &p->toks[ti] : NULL;
    bool at_end =
        t == NULL || t->kind == T_ARROW ||
        (t->kind == T_WORD && strchr(t->text, '=') && !looks_like_addr(t->text) && k != 'D') ||
        (t->kind == T_STRING && t->keyed) || (t->kind == T_WORD && strcmp(t->text, "as") == 0);
    if (k == '\0') break;
    if (k == 'P') {
      if (t && t->kind == T_WORD && strcmp(t->text, "peer") == 0) {
        scn_arg_t *a = &st->args[st->n_args++];
        memset(a, 0, sizeof *a);
        a->kind = SCN_A_NAME;
        a->col = t->col;
        a->text = xstrdup("peer");
        ti++;
      } else {
        scn_arg_t *a = &st->args[st->n_args++];
        memset(a, 0, sizeof *a);
        a->kind = SCN_A_NONE;
      }
      prev = k;
      sp++;
      continue;
    }
    if (at_end) {
      if (optional || *sp == '*') break;
      if (verb == SCN_V_ACCEPT) break;
      return fail(
          p,
          t ? t->col
            : p->toks[p->ntok - 1].col +
                  (uint32_t)(p->toks[p->ntok - 1].text ? strlen(p->toks[p->ntok - 1].text) : 1),
          "'%s' expects %s here (usage: %s)", verbs[verb].name, kind_name(k), verbs[verb].usage);
    }
    if (st->n_args == SCN_MAX_ARGS)
      return fail(p, t->col, "too many arguments (at most %u)", SCN_MAX_ARGS);
    scn_arg_t *a = &st->args[st->n_args];
    memset(a, 0, sizeof *a);
    a->col = t->col;
    if (k == 'd') {
      if (!parse_data(p, &ti, a)) return false;
      st->n_args++;
      prev = k;
      if (*sp != '*') sp++;
      continue;
    }
    if (k == 's') {
      if (t->kind != T_STRING || t->keyed)
        return fail(p, t->col, "expected %s, found %s", kind_name(k), show(t, sb, sizeof sb));
      if (memchr(t->data, 0, t->len))
        return fail(p, t->col, "a path or name cannot contain a NUL byte");
      a->kind = SCN_A_NAME;
      a->text = xstrndup((const char *)t->data, t->len);
      st->n_args++;
      ti++;
      prev = k;
      if (*sp != '*') sp++;
      continue;
    }
    if (t->kind != T_WORD)
      return fail(p, t->col, "expected %s, found %s (usage: %s)", kind_name(k),
                  show(t, sb, sizeof sb), verbs[verb].usage);
    switch (k) {
      case 'N':
        if (!bind_obj(p, t->text, t->col)) return false;
        a->kind = SCN_A_NAME;
        a->text = xstrdup(t->text);
        break;
      case 'o':
        if (!ref_obj(p, t->text, t->col)) return false;
        a->kind = SCN_A_NAME;
        a->text = xstrdup(t->text);
        break;
      case 'n':
      case 'i':
        a->kind = SCN_A_INT;
        if (!parse_int(p, t->text, t->col, k == 'i', &a->i)) return false;
        break;
      case 'D':
        if (!parse_deadline(p, t, a)) return false;
        break;
      case 't':
        a->kind = SCN_A_DURATION;
        if (!parse_duration(p, t->text, t->col, false, &a->i)) return false;
        break;
      case 'a':
        if (!parse_target(p, t, a)) return false;
        break;
      case 'x':
        if (!valid_name(t->text)) return fail(p, t->col, "expected a word, found '%.40s'", t->text);
        a->kind = SCN_A_NAME;
        a->text = xstrdup(t->text);
        break;
      case 'w': {
        const char *const *ws = verb_words(verb, 0);
        bool ok = false;
        for (int i = 0; ws && ws[i]; i++)
          if (strcmp(ws[i], t->text) == 0) ok = true;
        if (!ok) {
          size_t nw = 0;
          while (ws && ws[nw]) nw++;
          words_list(ws, wl, sizeof wl);
          const char *near = scn_nearest(t->text, ws, nw);
          if (near)
            return fail(p, t->col, "unknown word '%.40s' for '%s'; did you mean '%s'? (one of: %s)",
                        t->text, verbs[verb].name, near, wl);
          return fail(p, t->col, "expected one of %s for '%s', found '%.40s'", wl, verbs[verb].name,
                      t->text);
        }
        a->kind = SCN_A_NAME;
        a->text = xstrdup(t->text);
        break;
      }
      default:
        return fail(p, t->col, "internal: bad signature");
    }
    st->n_args++;
    ti++;
    prev = k;
    if (*sp != '*') sp++;
  }
  /* key=value options, `as NAME`, `=> results` */
  while (ti < p->ntok) {
    tok_t *t = &p->toks[ti];
    if (t->kind == T_ARROW) {
      /* the step's text (history, messages) stops before its results */
      size_t cut = t->col - st->col;
      if (cut <= strlen(st->raw)) {
        while (cut > 0 && (st->raw[cut - 1] == ' ' || st->raw[cut - 1] == '\t')) cut--;
        st->raw[cut] = '\0';
      }
      return parse_expect(p, &ti, &st->expect) &&
             (ti == p->ntok || fail(p, p->toks[ti].col, "unexpected text after the results"));
    }
    if (t->kind == T_WORD && strcmp(t->text, "as") == 0) {
      if (verb != SCN_V_ACCEPT) return fail(p, t->col, "'as NAME' only follows 'accept'");
      if (st->bind) return fail(p, t->col, "duplicate 'as'");
      tok_t *nt = ti + 1 < p->ntok ? &p->toks[ti + 1] : NULL;
      if (!nt || nt->kind != T_WORD)
        return fail(p, nt ? nt->col : t->col + 2, "expected a new object name after 'as'");
      if (!bind_obj(p, nt->text, nt->col)) return false;
      st->bind = xstrdup(nt->text);
      ti += 2;
      continue;
    }
    if ((t->kind == T_WORD && strchr(t->text, '=')) || (t->kind == T_STRING && t->keyed)) {
      if (!parse_key_arg(p, verb, t, st)) return false;
      ti++;
      continue;
    }
    return fail(p, t->col, "unexpected %s: '%s' takes no more arguments (usage: %s)",
                show(t, sb, sizeof sb), verbs[verb].name, verbs[verb].usage);
  }
  if (verb == SCN_V_ACCEPT && !st->bind)
    return fail(p, st->col, "'accept' needs 'as NAME' (usage: %s)", verbs[verb].usage);
  return true;
}

static void block_push(scn_block_t *b, scn_step_t **out) {
  if (b->n == b->cap) b->steps = xrealloc(b->steps, (b->cap = b->cap * 2 + 8) * sizeof *b->steps);
  *out = &b->steps[b->n++];
  memset(*out, 0, sizeof **out);
}

static int find_verb(const char *w) {
  for (int i = 0; i < SCN_V_COUNT; i++)
    if (strcmp(verbs[i].name, w) == 0) return i;
  return -1;
}

static const char *const top_words[] = {"personality", "system",    "net",     "console",
                                        "expect",      "invariant", "history", "thread",
                                        "at",          "limit",     "timing",  NULL};

static bool unknown_statement(parser_t *p, tok_t *t, bool top) {
  const char *cands[SCN_V_COUNT + 16];
  size_t n = 0;
  for (int i = 0; i < SCN_V_COUNT; i++) cands[n++] = verbs[i].name;
  if (top)
    for (int i = 0; top_words[i]; i++) cands[n++] = top_words[i];
  char sb[40];
  if (t->kind != T_WORD)
    return fail(p, t->col, "expected a step, found %s", show(t, sb, sizeof sb));
  const char *near = scn_nearest(t->text, cands, n);
  if (near) return fail(p, t->col, "unknown step '%.40s'; did you mean '%s'?", t->text, near);
  return fail(p, t->col, "unknown step '%.40s' (docs/scenarios.md lists the steps)", t->text);
}

/* Parses a step from the current line's tokens into b. */
static bool parse_step(parser_t *p, scn_block_t *b, const char *line, size_t len, bool top) {
  tok_t *t = &p->toks[0];
  if (t->kind != T_WORD) return unknown_statement(p, t, top);
  int verb = find_verb(t->text);
  if (verb < 0) return unknown_statement(p, t, top);
  scn_step_t *st;
  block_push(b, &st);
  st->line = p->line;
  st->col = t->col;
  st->verb = verb;
  /* the source text of the step (for history and messages), without comment */
  size_t end = len;
  {
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
      if (line[i] == '"' && (i == 0 || line[i - 1] != '\\')) in_str = !in_str;
      if (!in_str && line[i] == '#') {
        end = i;
        break;
      }
    }
    while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) end--;
  }
  if (verb == SCN_V_FAULT) {
    size_t k = t->col - 1 + 5;
    while (k < end && (line[k] == ' ' || line[k] == '\t')) k++;
    if (k >= end)
      return fail(p, t->col + 5, "expected a fault rule after 'fault' (docs/fakewin-io.md §6.1)");
    st->raw = xstrndup(line + k, end - k);
    st->raw_col = (uint32_t)k + 1;
    /* @names must be objects */
    for (const char *q = st->raw; (q = strchr(q, '@')) != NULL; q++) {
      size_t nl = 1;
      while (q[nl] && q[nl] != ' ' && q[nl] != '\t') nl++;
      char nm[64];
      if (nl - 1 == 0 || nl - 1 >= sizeof nm)
        return fail(p, st->raw_col + (uint32_t)(q - st->raw), "expected an object name after '@'");
      memcpy(nm, q + 1, nl - 1);
      nm[nl - 1] = '\0';
      if (!ref_obj(p, nm, st->raw_col + (uint32_t)(q - st->raw) + 1)) return false;
    }
    extern bool scn_check_fault_syntax(const char *rule, uint32_t *col, char *msg, size_t len);
    uint32_t ecol = 0;
    char emsg[256];
    if (!scn_check_fault_syntax(st->raw, &ecol, emsg, sizeof emsg))
      return fail(p, st->raw_col + (ecol ? ecol - 1 : 0), "%s", emsg);
    return true;
  }
  st->raw = xstrndup(line + t->col - 1, end - (t->col - 1));
  return parse_args(p, verb, 1, st);
}

/* ---- top-level statements ---------------------------------------------------------- */

static bool parse_kvs(parser_t *p, int from, scn_kv_t **list, size_t *n, const char *const *keys,
                      const char *what) {
  char sb[40];
  if (from >= p->ntok)
    return fail(p, p->toks[0].col + (uint32_t)strlen(p->toks[0].text),
                "expected key=value after '%s'", what);
  for (int i = from; i < p->ntok; i++) {
    tok_t *t = &p->toks[i];
    if (t->kind != T_WORD || !strchr(t->text, '='))
      return fail(p, t->col, "expected key=value, found %s", show(t, sb, sizeof sb));
    char *eq = strchr(t->text, '=');
    *eq = '\0';
    bool ok = false;
    size_t nk = 0;
    for (; keys[nk]; nk++)
      if (strcmp(keys[nk], t->text) == 0) ok = true;
    if (!ok) {
      const char *near = scn_nearest(t->text, keys, nk);
      if (near)
        return fail(p, t->col, "unknown %s setting '%s'; did you mean '%s'?", what, t->text, near);
      return fail(p, t->col, "unknown %s setting '%s'", what, t->text);
    }
    if (!eq[1])
      return fail(p, t->col + (uint32_t)strlen(t->text) + 1, "expected a value after '%s='",
                  t->text);
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    scn_kv_t *kv = &(*list)[(*n)++];
    memset(kv, 0, sizeof *kv);
    kv->key = xstrdup(t->text);
    kv->value = xstrdup(eq + 1);
    kv->line = p->line;
    kv->col = t->col;
    *eq = '=';
  }
  return true;
}

static void kvs_free(scn_kv_t *kv, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(kv[i].key);
    free(kv[i].value);
  }
  free(kv);
}

static bool check_system(parser_t *p, scn_kv_t *kv) {
  if (strcmp(kv->key, "maxrw") == 0) {
    uint32_t vcol = kv->col + 6;
    if (!parse_int(p, kv->value, vcol, false, &kv->num)) return false;
    if (kv->num < 1 || kv->num > (1ll << 30))
      return fail(p, vcol, "'maxrw=' is between 1 and 1073741824 (Go's maxRW)");
    return true;
  }
  static const char *const onoff[] = {"on", "off", NULL};
  static const char *const fcnm[] = {"present", "missing", "fails", NULL};
  static const char *const okfails[] = {"ok", "fails", NULL};
  const char *const *allowed = strcmp(kv->key, "ifs") == 0       ? onoff
                               : strcmp(kv->key, "setfcnm") == 0 ? fcnm
                                                                 : okfails;
  size_t n = 0;
  for (; allowed[n]; n++)
    if (strcmp(allowed[n], kv->value) == 0) return true;
  char wl[80];
  words_list(allowed, wl, sizeof wl);
  return fail(p, kv->col + (uint32_t)strlen(kv->key) + 1, "'%s=' takes one of %s, found '%.40s'",
              kv->key, wl, kv->value);
}

static bool check_net(parser_t *p, scn_kv_t *kv) {
  uint32_t vcol = kv->col + (uint32_t)strlen(kv->key) + 1;
  if (strcmp(kv->key, "latency") == 0) return parse_duration(p, kv->value, vcol, false, &kv->num);
  if (!parse_int(p, kv->value, vcol, false, &kv->num)) return false;
  if (kv->num > 0x7fffffff) return fail(p, vcol, "'%s=' is at most 2147483647", kv->key);
  return true;
}

/* A pattern over trace events: CALL [field=value]... up to a separator. */
static bool parse_pattern(parser_t *p, int *ti, scn_pattern_t *pat) {
  char sb[40];
  tok_t *t = *ti < p->ntok ? &p->toks[*ti] : NULL;
  if (!t || t->kind != T_WORD || strchr(t->text, '='))
    return fail(p, t ? t->col : 0, "expected an API name (e.g. AcceptEx or core.read), found %s",
                show(t, sb, sizeof sb));
  pat->call = xstrdup(t->text);
  (*ti)++;
  while (*ti < p->ntok) {
    t = &p->toks[*ti];
    if (t->kind != T_WORD || !strchr(t->text, '=')) break;
    if (strcmp(t->text, "=") == 0 || strcmp(t->text, ">=") == 0 || strcmp(t->text, "<=") == 0)
      break;
    if (pat->n_fields == SCN_MAX_FIELDS)
      return fail(p, t->col, "too many fields (at most %u)", SCN_MAX_FIELDS);
    char *eq = strchr(t->text, '=');
    uint32_t k = pat->n_fields;
    pat->field[k] = xstrndup(t->text, (size_t)(eq - t->text));
    pat->n_fields++; /* counted at once, so scn_free frees it if the value is bad */
    const char *v = eq + 1;
    if (!*v)
      return fail(p, t->col + (uint32_t)(eq - t->text) + 1, "expected a value after '%s='",
                  pat->field[k]);
    if (strcmp(pat->field[k], "thread") == 0) {
      pat->svalue[k] = xstrdup(v);
    } else if (v[0] == '@') {
      /* an object's handle, resolved when the event is seen */
      if (!ref_obj(p, v + 1, t->col + (uint32_t)(eq - t->text) + 2)) return false;
      pat->svalue[k] = xstrdup(v);
    } else if (strcmp(v, "ptr") == 0 || strcmp(v, "NULL") == 0) {
      /* pointer arguments are traced as NULL or not (their values are not deterministic) */
      pat->value[k] = v[0] == 'p';
    } else if (is_int_word(v)) {
      if (!parse_int(p, v, t->col + (uint32_t)(eq - t->text) + 1, true, &pat->value[k]))
        return false;
    } else {
      int e;
      if (!scn_error_by_name(v, &e))
        return fail(p, t->col + (uint32_t)(eq - t->text) + 1,
                    "expected a number, an error name, ptr or NULL, found '%.40s'", v);
      pat->value[k] = e;
    }
    (*ti)++;
  }
  return true;
}

static bool parse_cmp(parser_t *p, int *ti, scn_cmp_t *cmp, int64_t *n) {
  char sb[40];
  tok_t *t = *ti < p->ntok ? &p->toks[*ti] : NULL;
  *cmp = SCN_CMP_EQ;
  if (t && t->kind == T_WORD &&
      (strcmp(t->text, ">=") == 0 || strcmp(t->text, "<=") == 0 || strcmp(t->text, "=") == 0)) {
    *cmp = t->text[0] == '>' ? SCN_CMP_GE : t->text[0] == '<' ? SCN_CMP_LE : SCN_CMP_EQ;
    (*ti)++;
    t = *ti < p->ntok ? &p->toks[*ti] : NULL;
  }
  if (!t || t->kind != T_WORD)
    return fail(p, t ? t->col : 0, "expected a count, found %s", show(t, sb, sizeof sb));
  if (!parse_int(p, t->text, t->col, false, n)) return false;
  (*ti)++;
  return true;
}

static bool parse_check(parser_t *p, const char *line, size_t len) {
  char sb[40];
  scn_t *s = p->s;
  s->checks = xrealloc(s->checks, (s->n_checks + 1) * sizeof *s->checks);
  scn_check_t *c = &s->checks[s->n_checks++];
  memset(c, 0, sizeof *c);
  c->line = p->line;
  size_t e = len;
  while (e > 0 && (line[e - 1] == ' ' || line[e - 1] == '\t' || line[e - 1] == '\r')) e--;
  {
    const char *h = memchr(line, '#', e);
    if (h) e = (size_t)(h - line);
    while (e > 0 && (line[e - 1] == ' ' || line[e - 1] == '\t')) e--;
  }
  c->text = xstrndup(line, e);
  tok_t *t = p->ntok > 1 ? &p->toks[1] : NULL;
  static const char *const what[] = {"trace", "fault", "console", NULL};
  if (!t || t->kind != T_WORD)
    return fail(p, t ? t->col : 8,
                "expected 'trace', 'fault' or 'console' after 'expect', found %s",
                show(t, sb, sizeof sb));
  int ti = 2;
  if (strcmp(t->text, "console") == 0) {
    /* expect console stdout|stderr [contains] "text" */
    c->kind = SCN_C_CONSOLE;
    tok_t *st = ti < p->ntok ? &p->toks[ti] : NULL;
    if (!st || st->kind != T_WORD || (strcmp(st->text, "stdout") && strcmp(st->text, "stderr")))
      return fail(p, st ? st->col : t->col + 8,
                  "expected stdout or stderr after 'expect console', found %s",
                  show(st, sb, sizeof sb));
    c->stream = st->text[3] == 'e';
    ti++;
    tok_t *ct = ti < p->ntok ? &p->toks[ti] : NULL;
    if (ct && ct->kind == T_WORD && strcmp(ct->text, "contains") == 0) {
      c->contains = true;
      ti++;
    }
    scn_arg_t a;
    memset(&a, 0, sizeof a);
    if (!parse_data(p, &ti, &a)) return false;
    c->data = a.data;
    c->len = a.len;
  } else if (strcmp(t->text, "fault") == 0) {
    c->kind = SCN_C_FAULT_FIRED;
    tok_t *nt = ti < p->ntok ? &p->toks[ti] : NULL;
    if (!nt || nt->kind != T_WORD)
      return fail(p, nt ? nt->col : 0, "expected a rule name (the name= of a fault line)");
    c->rule = xstrdup(nt->text);
    ti++;
    nt = ti < p->ntok ? &p->toks[ti] : NULL;
    if (!nt || nt->kind != T_WORD || strcmp(nt->text, "fired") != 0)
      return fail(p, nt ? nt->col : 0, "expected 'fired' after the rule name");
    ti++;
    if (!parse_cmp(p, &ti, &c->cmp, &c->count)) return false;
  } else if (strcmp(t->text, "trace") == 0) {
    tok_t *mt = ti < p->ntok ? &p->toks[ti] : NULL;
    static const char *const modes[] = {"contains", "lacks", "count", "order", NULL};
    if (!mt || mt->kind != T_WORD)
      return fail(p, mt ? mt->col : 0, "expected contains, lacks, count or order after 'trace'");
    ti++;
    c->pats = xcalloc(1, sizeof *c->pats);
    if (strcmp(mt->text, "contains") == 0 || strcmp(mt->text, "lacks") == 0) {
      c->kind = mt->text[0] == 'c' ? SCN_C_TRACE_CONTAINS : SCN_C_TRACE_LACKS;
      c->n_pats = 1;
      if (!parse_pattern(p, &ti, &c->pats[0])) return false;
    } else if (strcmp(mt->text, "count") == 0) {
      c->kind = SCN_C_TRACE_COUNT;
      c->n_pats = 1;
      if (!parse_pattern(p, &ti, &c->pats[0])) return false;
      if (!parse_cmp(p, &ti, &c->cmp, &c->count)) return false;
    } else if (strcmp(mt->text, "order") == 0) {
      c->kind = SCN_C_TRACE_ORDER;
      for (;;) {
        if (c->n_pats == 32)
          return fail(p, p->toks[ti < p->ntok ? ti : p->ntok - 1].col,
                      "too many patterns (at most 32)");
        c->pats = xrealloc(c->pats, (c->n_pats + 1) * sizeof *c->pats);
        memset(&c->pats[c->n_pats], 0, sizeof *c->pats);
        c->n_pats++;
        if (!parse_pattern(p, &ti, &c->pats[c->n_pats - 1])) return false;
        if (ti >= p->ntok) break;
        if (p->toks[ti].kind != T_COMMA)
          return fail(p, p->toks[ti].col, "expected ',' between the calls of 'order', found %s",
                      show(&p->toks[ti], sb, sizeof sb));
        ti++;
      }
      if (c->n_pats < 2)
        return fail(p, mt->col, "'order' needs at least two calls separated by ','");
    } else {
      const char *near = scn_nearest(mt->text, modes, 4);
      if (near)
        return fail(p, mt->col, "unknown trace check '%.40s'; did you mean '%s'?", mt->text, near);
      return fail(p, mt->col, "expected contains, lacks, count or order, found '%.40s'", mt->text);
    }
  } else {
    const char *near = scn_nearest(t->text, what, 3);
    if (near) return fail(p, t->col, "unknown check '%.40s'; did you mean '%s'?", t->text, near);
    return fail(p, t->col, "expected 'trace', 'fault' or 'console' after 'expect', found '%.40s'",
                t->text);
  }
  if (ti < p->ntok)
    return fail(p, p->toks[ti].col, "unexpected %s at the end of the check",
                show(&p->toks[ti], sb, sizeof sb));
  return true;
}

/* ---- the file ----------------------------------------------------------------------- */

typedef struct frame {
  uint32_t indent;
  scn_block_t *block;
} frame_t;

static void parse_covers(parser_t *p, const char *c, size_t n) {
  /* "# covers: B12 B13, B40" -> bitmap */
  for (size_t i = 0; i < n; i++) {
    if (c[i] == 'B' && i + 1 < n && c[i + 1] >= '0' && c[i + 1] <= '9') {
      unsigned v = 0;
      size_t j = i + 1;
      while (j < n && c[j] >= '0' && c[j] <= '9' && v < 1000) v = v * 10 + (unsigned)(c[j++] - '0');
      if (v >= 1 && v <= 111 && !p->s->covers[v]) {
        p->s->covers[v] = 1;
        p->s->n_covers++;
      }
      i = j;
    }
  }
}

static char *stem_of(const char *path) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  const char *dot = strrchr(b, '.');
  return xstrndup(b, dot && dot > b ? (size_t)(dot - b) : strlen(b));
}

static bool parse_lines(parser_t *p, const char *text, size_t len) {
  scn_t *s = p->s;
  frame_t stack[SCN_MAX_DEPTH + 2];
  int depth = 0; /* 0: top level */
  stack[0].indent = 0;
  stack[0].block = &s->setup.body;
  bool in_history = false, header = true;
  size_t comment_len = 0;
  char *comment = xcalloc(1, 1);
  size_t pos = 0;
  p->line = 0;
  bool ok = true;
  while (pos < len && ok) {
    size_t e = pos;
    while (e < len && text[e] != '\n') e++;
    p->line++;
    const char *line = text + pos;
    size_t n = e - pos;
    pos = e < len ? e + 1 : e;
    if (n > 0 && line[n - 1] == '\r') n--;
    if (n > SCN_MAX_LINE) {
      ok = fail(p, SCN_MAX_LINE + 1, "line too long (%zu characters; at most %u)", n, SCN_MAX_LINE);
      break;
    }
    for (size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)line[i];
      if (c == 0) {
        ok = fail(p, (uint32_t)i + 1, "NUL byte: this is not a text file");
        break;
      }
      if (c == '\r') {
        ok = fail(p, (uint32_t)i + 1, "carriage return inside a line (line ends are LF or CRLF)");
        break;
      }
      if (c < 32 && c != '\t') {
        ok = fail(p, (uint32_t)i + 1, "control character 0x%02x (scenarios are text)", c);
        break;
      }
    }
    if (!ok) break;
    /* indentation */
    uint32_t ind = 0;
    size_t k = 0;
    while (k < n && (line[k] == ' ' || line[k] == '\t')) {
      ind += line[k] == '\t' ? 8 - ind % 8 : 1;
      k++;
    }
    bool blank = k == n || line[k] == '#';
    if (in_history) {
      if (blank) continue;
      if (ind == 0) {
        if (n - k >= 3 && strncmp(line + k, "end", 3) == 0 &&
            (n - k == 3 || line[k + 3] == ' ' || line[k + 3] == '#')) {
          in_history = false;
          s->history_end_line = p->line;
          continue;
        }
        ok = fail(p, 1,
                  "expected an indented history line or 'end' (a history block ends with 'end')");
        break;
      }
      s->history = xrealloc(s->history, (s->n_history + 1) * sizeof *s->history);
      /* normalise spaces */
      char *h = xcalloc(n - k + 1, 1);
      size_t hn = 0;
      bool sp = false, str = false;
      for (size_t i = k; i < n; i++) {
        char c = line[i];
        if (c == '"' && (i == k || line[i - 1] != '\\')) str = !str;
        if (!str && (c == ' ' || c == '\t')) {
          sp = true;
          continue;
        }
        if (sp && hn) h[hn++] = ' ';
        sp = false;
        h[hn++] = c;
      }
      s->history[s->n_history].line = p->line;
      s->history[s->n_history++].text = h;
      continue;
    }
    if (blank) {
      if (header && k < n && line[k] == '#') {
        const char *c = line + k + 1;
        size_t cn = n - k - 1;
        if (cn > 0 && *c == ' ') c++, cn--;
        if (cn >= 7 && strncmp(c, "covers:", 7) == 0) parse_covers(p, c + 7, cn - 7);
        if (!s->title && cn > 0) s->title = xstrndup(c, cn);
        comment = xrealloc(comment, comment_len + cn + 2);
        memcpy(comment + comment_len, c, cn);
        comment_len += cn;
        comment[comment_len++] = '\n';
        comment[comment_len] = '\0';
      } else if (header && k == n && comment_len) {
        header = false;
      }
      continue;
    }
    header = false;
    if (!lex_line(p, line, n)) {
      ok = false;
      break;
    }
    if (p->ntok == 0) continue;
    /* close blocks the indentation has left */
    while (depth > 0 && ind <= stack[depth - 1].indent) depth--;
    if (depth > 0 && ind <= stack[depth].indent && stack[depth].indent != 0 &&
        ind != stack[depth].indent) {
      /* inconsistent dedent inside a block */
      ok = fail(p, ind + 1, "indentation does not match any open block");
      break;
    }
    tok_t *t0 = &p->toks[0];
    if (depth == 0 && ind > 0) {
      ok = fail(
          p, 1,
          "unexpected indentation (only the steps of 'thread', 'at' and 'repeat' are indented)");
      break;
    }
    if (depth > 0) {
      if (stack[depth].indent == 0)
        stack[depth].indent = ind;
      else if (ind > stack[depth].indent) {
        ok = fail(p, ind + 1, "unexpected indentation (more than the block's steps)");
        break;
      }
    }
    const char *w = t0->kind == T_WORD ? t0->text : "";
    if (depth == 0) {
      if (strcmp(w, "thread") == 0 || strcmp(w, "at") == 0) {
        s->threads = xrealloc(s->threads, (s->n_threads + 1) * sizeof *s->threads);
        scn_thread_t *th = &s->threads[s->n_threads++];
        memset(th, 0, sizeof *th);
        th->line = p->line;
        if (w[0] == 't') {
          if (p->ntok < 2 || p->toks[1].kind != T_WORD || !valid_name(p->toks[1].text)) {
            ok = fail(p, p->ntok > 1 ? p->toks[1].col : 8, "expected a thread name after 'thread'");
            break;
          }
          if (p->ntok > 2) {
            ok = fail(
                p, p->toks[2].col,
                "unexpected text after the thread name (steps go on the indented lines below)");
            break;
          }
          for (size_t i = 0; i + 1 < s->n_threads; i++)
            if (strcmp(s->threads[i].name, p->toks[1].text) == 0) {
              ok = fail(p, p->toks[1].col, "duplicate thread name '%s' (line %u)", p->toks[1].text,
                        s->threads[i].line);
              break;
            }
          if (!ok) break;
          th->name = xstrdup(p->toks[1].text);
        } else {
          th->is_at = true;
          if (p->ntok < 2 || p->toks[1].kind != T_WORD) {
            ok = fail(p, p->ntok > 1 ? p->toks[1].col : 4,
                      "expected a time after 'at' (e.g. at 5ms)");
            break;
          }
          if (!parse_duration(p, p->toks[1].text, p->toks[1].col, false, &th->at_ns)) {
            ok = false;
            break;
          }
          char nm[64];
          snprintf(nm, sizeof nm, "at@%s", p->toks[1].text);
          th->name = xstrdup(nm);
          if (p->ntok > 2) {
            /* inline: `at 5ms STEP ...` (the two tokens shifted out are
             * freed here: free_toks only sees the ntok left) */
            for (int i = 0; i < 2; i++) {
              free(p->toks[i].text);
              free(p->toks[i].data);
            }
            for (int i = 2; i < p->ntok; i++) p->toks[i - 2] = p->toks[i];
            for (int i = p->ntok - 2; i < p->ntok; i++) memset(&p->toks[i], 0, sizeof p->toks[i]);
            p->ntok -= 2;
            ok = parse_step(p, &th->body, line, n, false);
            continue;
          }
        }
        depth = 1;
        stack[1].indent = 0;
        stack[1].block = &th->body;
        stack[0].indent = 0;
        continue;
      }
      if (strcmp(w, "personality") == 0) {
        static const char *const ps[] = {"windows", "wine8", NULL};
        if (p->ntok != 2 || p->toks[1].kind != T_WORD) {
          ok = fail(p, p->ntok > 1 ? p->toks[p->ntok > 2 ? 2 : 1].col : 13,
                    "expected 'personality windows' or 'personality wine8'");
          break;
        }
        if (strcmp(p->toks[1].text, "windows") == 0)
          s->personality = 0;
        else if (strcmp(p->toks[1].text, "wine8") == 0)
          s->personality = 1;
        else {
          const char *near = scn_nearest(p->toks[1].text, ps, 2);
          ok = near ? fail(p, p->toks[1].col, "unknown personality '%.40s'; did you mean '%s'?",
                           p->toks[1].text, near)
                    : fail(p, p->toks[1].col, "unknown personality '%.40s' (windows or wine8)",
                           p->toks[1].text);
        }
        continue;
      }
      if (strcmp(w, "system") == 0) {
        static const char *const keys[] = {"ifs", "setfcnm", "wsastartup", "maxrw", NULL};
        size_t before = s->n_system;
        ok = parse_kvs(p, 1, &s->system, &s->n_system, keys, "system");
        for (size_t i = before; ok && i < s->n_system; i++) ok = check_system(p, &s->system[i]);
        continue;
      }
      if (strcmp(w, "net") == 0) {
        static const char *const keys[] = {"tcp_sndbuf",  "tcp_rcvbuf", "udp_rcvbuf", "udp_max",
                                           "backlog_max", "latency",    NULL};
        size_t before = s->n_net;
        ok = parse_kvs(p, 1, &s->net, &s->n_net, keys, "net");
        for (size_t i = before; ok && i < s->n_net; i++) ok = check_net(p, &s->net[i]);
        continue;
      }
      if (strcmp(w, "timing") == 0) {
        static const char *const keys[] = {"delivery", "pending", "jitter", NULL};
        scn_kv_t *kv = NULL;
        size_t nkv = 0;
        ok = parse_kvs(p, 1, &kv, &nkv, keys, "timing");
        for (size_t i = 0; ok && i < nkv; i++) {
          uint32_t vcol = kv[i].col + (uint32_t)strlen(kv[i].key) + 1;
          if (strcmp(kv[i].key, "jitter") == 0) {
            int64_t v;
            ok = parse_duration(p, kv[i].value, vcol, false, &v);
            if (ok) s->timing_jitter_ns = v;
          } else {
            bool del = kv[i].key[0] == 'd';
            const char *fixed = del ? "now" : "done";
            if (strcmp(kv[i].value, "decide") == 0)
              *(del ? &s->timing_delivery : &s->timing_pending) = 1;
            else if (strcmp(kv[i].value, fixed) == 0)
              *(del ? &s->timing_delivery : &s->timing_pending) = 0;
            else
              ok = fail(p, vcol, "'%s=' takes decide or %s, found '%.40s'", kv[i].key, fixed,
                        kv[i].value);
          }
        }
        kvs_free(kv, nkv);
        continue;
      }
      if (strcmp(w, "limit") == 0) {
        static const char *const keys[] = {"time", NULL};
        scn_kv_t *kv = NULL;
        size_t nkv = 0;
        ok = parse_kvs(p, 1, &kv, &nkv, keys, "limit");
        for (size_t i = 0; ok && i < nkv; i++) {
          int64_t v;
          ok = parse_duration(p, kv[i].value, kv[i].col + 5, false, &v);
          if (ok) s->max_time_ns = (uint64_t)v;
        }
        kvs_free(kv, nkv);
        continue;
      }
      if (strcmp(w, "console") == 0) {
        /* console input DATA [after=DUR] | console units N... [after=DUR] | console none
         * [stdin=".."]... */
        scn_step_t *st;
        block_push(&s->setup.body, &st);
        st->line = p->line;
        st->col = t0->col;
        st->verb = -1;
        st->raw = xstrndup(line + t0->col - 1, n - (t0->col - 1));
        tok_t *m = p->ntok > 1 ? &p->toks[1] : NULL;
        static const char *const modes[] = {"input", "units", "none", NULL};
        if (!m || m->kind != T_WORD ||
            (strcmp(m->text, "input") && strcmp(m->text, "units") && strcmp(m->text, "none"))) {
          const char *near = m && m->kind == T_WORD ? scn_nearest(m->text, modes, 3) : NULL;
          ok = near
                   ? fail(p, m->col, "unknown console setting '%.40s'; did you mean '%s'?", m->text,
                          near)
                   : fail(p, m ? m->col : 9, "expected 'input', 'units' or 'none' after 'console'");
          continue;
        }
        st->args[0].kind = SCN_A_NAME;
        st->args[0].text = xstrdup(m->text);
        st->args[0].col = m->col;
        st->n_args = 1;
        int ti = 2;
        if (strcmp(m->text, "input") == 0) {
          ok = parse_data(p, &ti, &st->args[st->n_args]);
          if (ok) st->n_args++;
        } else if (strcmp(m->text, "units") == 0) {
          while (ok && ti < p->ntok && p->toks[ti].kind == T_WORD &&
                 !strchr(p->toks[ti].text, '=')) {
            if (st->n_args == SCN_MAX_ARGS - 1) {
              ok = fail(p, p->toks[ti].col, "too many units on one line (at most %u)",
                        SCN_MAX_ARGS - 2);
              break;
            }
            scn_arg_t *a = &st->args[st->n_args];
            a->kind = SCN_A_INT;
            a->col = p->toks[ti].col;
            ok = parse_int(p, p->toks[ti].text, a->col, false, &a->i);
            if (ok && a->i > 0xffff) ok = fail(p, a->col, "a UTF-16 unit is at most 0xffff");
            st->n_args++;
            ti++;
          }
          if (ok && st->n_args == 1)
            ok = fail(p, ti < p->ntok ? p->toks[ti].col : m->col + 5,
                      "expected UTF-16 units (e.g. 0xD83D 0xDE00)");
        }
        while (ok && ti < p->ntok) {
          tok_t *t = &p->toks[ti];
          const char *key = t->text ? t->text : "";
          bool none = strcmp(m->text, "none") == 0;
          if (!none && t->kind == T_WORD && strncmp(key, "after=", 6) == 0) {
            scn_arg_t *a = &st->args[st->n_args];
            a->kind = SCN_A_DURATION;
            a->key = xstrdup("after");
            a->col = t->col;
            ok = parse_duration(p, key + 6, t->col + 6, false, &a->i);
            st->n_args++;
          } else if (none && t->kind == T_STRING && t->keyed &&
                     (strcmp(key, "stdin=") == 0 || strcmp(key, "stdout=") == 0 ||
                      strcmp(key, "stderr=") == 0)) {
            if (st->n_args == SCN_MAX_ARGS) {
              ok = fail(p, t->col, "too many settings");
              break;
            }
            scn_arg_t *a = &st->args[st->n_args];
            a->kind = SCN_A_NAME;
            a->key = xstrndup(key, strlen(key) - 1);
            a->text = xstrndup((const char *)t->data, t->len);
            a->col = t->col;
            if (t->len >= 260 || memchr(t->data, 0, t->len))
              ok = fail(p, t->col, "a path is shorter than 260 bytes and has no NUL");
            st->n_args++;
          } else {
            char sb[40];
            ok = fail(p, t->col,
                      none ? "expected stdin=\"path\", stdout=\"path\" or stderr=\"path\", found %s"
                           : "expected after=DURATION or the end of the line, found %s",
                      show(t, sb, sizeof sb));
          }
          ti++;
        }
        continue;
      }
      if (strcmp(w, "expect") == 0) {
        ok = parse_check(p, line + k, n - k);
        continue;
      }
      if (strcmp(w, "invariant") == 0) {
        if (p->ntok != 3 || p->toks[1].kind != T_WORD || strcmp(p->toks[1].text, "off") != 0 ||
            p->toks[2].kind != T_WORD) {
          ok = fail(p, p->ntok > 1 ? p->toks[1].col : 10,
                    "expected 'invariant off NAME' (NAME: handles-closed, no-pending-io, "
                    "fd-refs-zero, bytes-conserved, closed-on-return)");
          continue;
        }
        int found = -1;
        for (int i = 0; i < SCN_INV_COUNT; i++)
          if (strcmp(invariant_names[i], p->toks[2].text) == 0) found = i;
        if (found < 0) {
          const char *near = scn_nearest(p->toks[2].text, invariant_names, SCN_INV_COUNT);
          ok = near ? fail(p, p->toks[2].col, "unknown invariant '%.40s'; did you mean '%s'?",
                           p->toks[2].text, near)
                    : fail(p, p->toks[2].col,
                           "unknown invariant '%.40s' (handles-closed, no-pending-io, "
                           "fd-refs-zero, bytes-conserved, closed-on-return)",
                           p->toks[2].text);
          continue;
        }
        s->inv_off[found] = true;
        continue;
      }
      if (strcmp(w, "history") == 0) {
        if (s->has_history) {
          ok = fail(p, t0->col, "a second history block (line %u has the first)", s->history_line);
          continue;
        }
        if (p->ntok > 1) {
          ok = fail(p, p->toks[1].col, "unexpected text after 'history'");
          continue;
        }
        s->has_history = true;
        s->history_line = p->line;
        in_history = true;
        continue;
      }
      if (strcmp(w, "repeat") == 0) {
        ok = fail(p, t0->col, "'repeat' belongs inside a thread");
        continue;
      }
      if (strcmp(w, "end") == 0) {
        ok = fail(p, t0->col, "'end' without a history block");
        continue;
      }
    }
    /* a step (top level: setup steps run by the main thread) */
    if (depth > 0 && t0->kind == T_WORD &&
        (strcmp(w, "thread") == 0 || strcmp(w, "at") == 0 || strcmp(w, "expect") == 0 ||
         strcmp(w, "history") == 0)) {
      ok = fail(p, t0->col, "'%s' belongs at the top level (not indented)", w);
      continue;
    }
    scn_block_t *b = stack[depth].block;
    ok = parse_step(p, b, line, n, depth == 0);
    if (!ok) break;
    scn_step_t *st = &b->steps[b->n - 1];
    if (st->verb == SCN_V_REPEAT) {
      if (depth == 0) {
        ok = fail(p, t0->col, "'repeat' belongs inside a thread");
        break;
      }
      if (st->args[0].i < 1 || st->args[0].i > (int64_t)SCN_MAX_REPEAT) {
        ok = fail(p, st->args[0].col, "repeat count must be between 1 and %u", SCN_MAX_REPEAT);
        break;
      }
      if (depth >= (int)SCN_MAX_DEPTH) {
        ok = fail(p, t0->col, "nesting deeper than %u levels", SCN_MAX_DEPTH);
        break;
      }
      depth++;
      stack[depth].indent = 0;
      stack[depth].block = &st->body;
      stack[depth - 1].indent = ind;
    }
  }
  free_toks(p);
  if (ok && in_history) {
    p->line = s->history_line;
    ok = fail(p, 1, "history block is not closed: expected 'end' at the start of a line");
  }
  if (ok) {
    /* empty blocks */
    for (size_t i = 0; i < s->n_threads && ok; i++) {
      if (s->threads[i].body.n == 0) {
        p->line = s->threads[i].line;
        ok = fail(p, 1, "'%s' has no steps (indent them under it)", s->threads[i].name);
      }
    }
  }
  s->comment = comment;
  return ok;
}

static void free_block(scn_block_t *b);

static void free_args(scn_step_t *st) {
  for (uint32_t i = 0; i < st->n_args; i++) {
    free(st->args[i].key);
    free(st->args[i].text);
    free(st->args[i].data);
  }
  for (uint32_t i = 0; i < st->expect.n_alts; i++) {
    free(st->expect.alts[i].data);
    free(st->expect.alts[i].rest);
    free(st->expect.alts[i].from);
  }
  free(st->bind);
  free(st->raw);
  free_block(&st->body);
}

static void free_block(scn_block_t *b) {
  for (size_t i = 0; i < b->n; i++) free_args(&b->steps[i]);
  free(b->steps);
  b->steps = NULL;
  b->n = b->cap = 0;
}

void scn_free(scn_t *s) {
  if (!s) return;
  free(s->path);
  free(s->name);
  free(s->title);
  free(s->comment);
  kvs_free(s->system, s->n_system);
  kvs_free(s->net, s->n_net);
  free_block(&s->setup.body);
  free(s->setup.name);
  for (size_t i = 0; i < s->n_threads; i++) {
    free(s->threads[i].name);
    free_block(&s->threads[i].body);
  }
  free(s->threads);
  for (size_t i = 0; i < s->n_checks; i++) {
    scn_check_t *c = &s->checks[i];
    for (size_t j = 0; j < c->n_pats; j++) {
      free(c->pats[j].call);
      for (uint32_t k = 0; k < c->pats[j].n_fields; k++)
        free(c->pats[j].field[k]), free(c->pats[j].svalue[k]);
    }
    free(c->pats);
    free(c->text);
    free(c->rule);
    free(c->data);
  }
  free(s->checks);
  for (size_t i = 0; i < s->n_history; i++) free(s->history[i].text);
  free(s->history);
  for (uint32_t i = 0; i < s->n_objects; i++) free(s->objects[i]);
  free(s->objects);
  free(s);
}

scn_t *scn_parse(const char *path, const char *text, size_t len, scn_error_t *err) {
  memset(err, 0, sizeof *err);
  parser_t p;
  memset(&p, 0, sizeof p);
  p.path = path;
  p.err = err;
  scn_t *s = xcalloc(1, sizeof *s);
  s->path = xstrdup(path ? path : "<input>");
  s->name = stem_of(s->path);
  s->personality = -1;
  s->timing_delivery = -1;
  s->timing_pending = -1;
  s->timing_jitter_ns = -1;
  s->setup.name = xstrdup("main");
  p.s = s;
  bool ok;
  if (len > SCN_MAX_FILE) {
    p.line = 1;
    ok = fail(&p, 1, "file too large (%zu bytes; at most %u)", len, SCN_MAX_FILE);
  } else if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
             (unsigned char)text[2] == 0xBF) {
    ok = parse_lines(&p, text + 3, len - 3); /* a UTF-8 byte order mark is skipped */
  } else {
    ok = parse_lines(&p, text, len);
  }
  if (ok && s->setup.body.n == 0 && s->n_threads == 0) {
    p.line = p.line ? p.line : 1;
    ok = fail(&p, 1, "the scenario has no steps (an empty file?)");
  }
  s->objects = p.objs;
  s->n_objects = (uint32_t)p.nobjs;
  if (!ok) {
    scn_free(s);
    return NULL;
  }
  return s;
}

scn_t *scn_parse_file(const char *path, scn_error_t *err) {
  memset(err, 0, sizeof *err);
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err->msg, sizeof err->msg, "cannot open: %s", strerror(errno));
    return NULL;
  }
  size_t cap = 4096, n = 0;
  char *buf = xcalloc(cap, 1);
  for (;;) {
    if (n == cap) {
      if (cap > SCN_MAX_FILE) break;
      buf = xrealloc(buf, cap *= 2);
    }
    size_t k = fread(buf + n, 1, cap - n, f);
    n += k;
    if (k == 0) break;
  }
  bool rerr = ferror(f);
  fclose(f);
  if (rerr) {
    free(buf);
    snprintf(err->msg, sizeof err->msg, "read error");
    return NULL;
  }
  scn_t *s = scn_parse(path, buf, n, err);
  free(buf);
  return s;
}
