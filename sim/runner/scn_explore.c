/* scn_explore.c: replay tokens and shrinking (scn_explore.h). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "scn_explore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim.h"

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fputs("iocpsim: out of memory\n", stderr);
    exit(3);
  }
  return p;
}

static double wall(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- tokens ------------------------------------------------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void put_varint(uint8_t **buf, size_t *n, size_t *cap, uint64_t v) {
  do {
    if (*n == *cap) {
      *cap = *cap ? *cap * 2 : 64;
      *buf = realloc(*buf, *cap);
      if (!*buf) exit(3);
    }
    uint8_t b = (uint8_t)(v & 0x7f);
    v >>= 7;
    (*buf)[(*n)++] = (uint8_t)(b | (v ? 0x80 : 0));
  } while (v);
}

char *scn_token_format(const scn_token_t *t) {
  char pers = t->personality < 0 ? '-' : t->personality ? '8' : 'w';
  char payload[4096];
  if (t->kind == SCN_TOK_SEED) {
    snprintf(payload, sizeof payload, "s%llu", (unsigned long long)t->seed);
  } else if (t->kind == SCN_TOK_PCT) {
    snprintf(payload, sizeof payload, "p%u.%llu.%llu", t->depth, (unsigned long long)t->k,
             (unsigned long long)t->seed);
  } else {
    /* (zeros skipped, value) pairs; the trailing zeros are implied */
    uint8_t *bytes = NULL;
    size_t n = 0, cap = 0, zeros = 0;
    for (size_t i = 0; i < t->n_choices; i++) {
      if (t->choices[i] == 0) {
        zeros++;
        continue;
      }
      put_varint(&bytes, &n, &cap, zeros);
      put_varint(&bytes, &n, &cap, t->choices[i]);
      zeros = 0;
    }
    size_t k = 0;
    payload[k++] = 'c';
    for (size_t i = 0; i < n && k + 5 < sizeof payload; i += 3) {
      uint32_t v = (uint32_t)bytes[i] << 16 | (i + 1 < n ? (uint32_t)bytes[i + 1] << 8 : 0) |
                   (i + 2 < n ? bytes[i + 2] : 0);
      payload[k++] = b64[(v >> 18) & 63];
      payload[k++] = b64[(v >> 12) & 63];
      if (i + 1 < n) payload[k++] = b64[(v >> 6) & 63];
      if (i + 2 < n) payload[k++] = b64[v & 63];
    }
    payload[k] = '\0';
    free(bytes);
  }
  size_t len = strlen(t->path) + strlen(payload) + 16;
  char *out = xmalloc(len);
  snprintf(out, len, "v1:%s:%c:%s", t->path, pers, payload);
  return out;
}

static int b64val(int c) {
  const char *p = c ? strchr(b64, c) : NULL;
  return p ? (int)(p - b64) : -1;
}

bool scn_token_parse(const char *text, scn_token_t *out, char *err, size_t len) {
  memset(out, 0, sizeof *out);
  out->personality = -1;
  if (strncmp(text, "v1:", 3) != 0) {
    snprintf(err, len, "not a replay token (it starts with v1:)");
    return false;
  }
  const char *last = strrchr(text, ':');
  if (last == NULL || last < text + 5 || last[-2] != ':') {
    snprintf(err, len, "a token is v1:PATH:P:PAYLOAD");
    return false;
  }
  char pers = last[-1];
  if (pers != 'w' && pers != '8' && pers != '-') {
    snprintf(err, len, "personality '%c' in the token is not w, 8 or -", pers);
    return false;
  }
  out->personality = pers == '-' ? -1 : pers == '8';
  size_t plen = (size_t)(last - 2 - (text + 3));
  out->path = xmalloc(plen + 1);
  memcpy(out->path, text + 3, plen);
  out->path[plen] = '\0';
  const char *pl = last + 1;
  char *end;
  if (pl[0] == 's') {
    out->kind = SCN_TOK_SEED;
    out->seed = strtoull(pl + 1, &end, 10);
    if (end == pl + 1 || *end) goto bad;
  } else if (pl[0] == 'p') {
    out->kind = SCN_TOK_PCT;
    out->depth = (uint32_t)strtoul(pl + 1, &end, 10);
    if (*end != '.') goto bad;
    out->k = strtoull(end + 1, &end, 10);
    if (*end != '.') goto bad;
    out->seed = strtoull(end + 1, &end, 10);
    if (*end || out->depth < 1 || out->depth > 16) goto bad;
  } else if (pl[0] == 'c') {
    out->kind = SCN_TOK_CHOICES;
    size_t n = strlen(pl + 1);
    uint8_t *bytes = xmalloc(n);
    size_t nb = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
      int v = b64val((unsigned char)pl[1 + i]);
      if (v < 0) {
        free(bytes);
        goto bad;
      }
      acc = (acc << 6) | (uint32_t)v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        bytes[nb++] = (uint8_t)(acc >> bits);
        acc &= (1u << bits) - 1;
      }
    }
    size_t cap = 64, nc = 0, i = 0;
    uint32_t *ch = xmalloc(cap * sizeof *ch);
    while (i < nb) {
      uint64_t v[2] = {0, 0};
      for (int k = 0; k < 2; k++) {
        int shift = 0;
        for (;;) {
          if (i >= nb || shift > 35) {
            free(bytes);
            free(ch);
            goto bad;
          }
          uint8_t b = bytes[i++];
          v[k] |= (uint64_t)(b & 0x7f) << shift;
          shift += 7;
          if (!(b & 0x80)) break;
        }
      }
      if (v[0] > 100000000 || v[1] == 0 || v[1] > UINT32_MAX) {
        free(bytes);
        free(ch);
        goto bad;
      }
      while (nc + v[0] + 1 > cap) {
        cap *= 2;
        ch = realloc(ch, cap * sizeof *ch);
        if (!ch) exit(3);
      }
      for (uint64_t z = 0; z < v[0]; z++) ch[nc++] = 0;
      ch[nc++] = (uint32_t)v[1];
    }
    free(bytes);
    out->choices = ch;
    out->n_choices = nc;
  } else {
    goto bad;
  }
  return true;
bad:
  snprintf(err, len,
           "the token's decisions ('%.40s') are not s<seed>, p<d>.<k>.<seed> or c<base64url>", pl);
  free(out->path);
  out->path = NULL;
  return false;
}

void scn_token_free(scn_token_t *t) {
  free(t->path);
  free(t->choices);
  memset(t, 0, sizeof *t);
}

struct scn_token_strategy {
  sim_pct_t *pct;
  sim_prefix_t *prefix;
};

scn_token_strategy_t *scn_token_strategy(const scn_token_t *t, scn_run_opts_t *o) {
  scn_token_strategy_t *ts = calloc(1, sizeof *ts);
  if (!ts) exit(3);
  o->personality = t->personality;
  o->seed = t->seed;
  o->strategy = NULL;
  if (t->kind == SCN_TOK_PCT) {
    ts->pct = sim_pct_new(t->seed, t->depth, t->k);
    o->strategy = sim_pct_strategy(ts->pct);
  } else if (t->kind == SCN_TOK_CHOICES) {
    ts->prefix = sim_prefix_new(t->choices, t->n_choices);
    o->strategy = sim_prefix_strategy(ts->prefix);
  }
  return ts;
}

void scn_token_strategy_free(scn_token_strategy_t *ts) {
  if (!ts) return;
  sim_pct_free(ts->pct);
  sim_prefix_free(ts->prefix);
  free(ts);
}

/* ---- shrinking ---------------------------------------------------------------- */

/* How a run failed, without line numbers and counts (removing lines moves
 * them): the exit status and the first line of the message, digits
 * dropped, the file name's prefix dropped. */
static char *signature(const scn_run_result_t *r) {
  const char *m = r->message ? r->message : "";
  const char *nl = strchr(m, '\n');
  size_t n = nl ? (size_t)(nl - m) : strlen(m);
  const char *colon = memchr(m, ':', n);
  if (colon && colon - m >= 4 && strncmp(colon - 4, ".scn", 4) == 0) {
    n -= (size_t)(colon + 1 - m);
    m = colon + 1;
  }
  char *s = xmalloc(n + 16);
  size_t k = (size_t)snprintf(s, 16, "%d|", r->exit_code);
  for (size_t i = 0; i < n; i++)
    if (m[i] < '0' || m[i] > '9') s[k++] = m[i];
  s[k] = '\0';
  return s;
}

typedef struct lines {
  char **l;
  size_t n;
  bool *keep;
} lines_t;

static void split_lines(const char *text, lines_t *ls) {
  size_t n = 1;
  for (const char *p = text; *p; p++)
    if (*p == '\n') n++;
  ls->l = calloc(n, sizeof *ls->l);
  ls->keep = calloc(n, sizeof *ls->keep);
  if (!ls->l || !ls->keep) exit(3);
  ls->n = 0;
  const char *p = text;
  while (*p) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    ls->l[ls->n] = xmalloc(len + 1);
    memcpy(ls->l[ls->n], p, len);
    ls->l[ls->n][len] = '\0';
    ls->keep[ls->n] = true;
    ls->n++;
    p = e ? e + 1 : p + len;
  }
}

static char *join_lines(const lines_t *ls) {
  size_t len = 1;
  for (size_t i = 0; i < ls->n; i++)
    if (ls->keep[i]) len += strlen(ls->l[i]) + 1;
  char *out = xmalloc(len);
  size_t k = 0;
  for (size_t i = 0; i < ls->n; i++) {
    if (!ls->keep[i]) continue;
    size_t n = strlen(ls->l[i]);
    memcpy(out + k, ls->l[i], n);
    k += n;
    out[k++] = '\n';
  }
  out[k] = '\0';
  return out;
}

/* A line the shrinker may drop: an indented step, or a top-level fault,
 * expect or step line (not a comment, a block header, history, world
 * settings). */
static bool droppable(const char *l) {
  const char *p = l;
  while (*p == ' ' || *p == '\t') p++;
  if (*p == '\0' || *p == '#') return false;
  if (p != l) return true;
  static const char *const keep[] = {"thread", "at",  "history", "end",   "personality",
                                     "system", "net", "console", "limit", "invariant"};
  for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
    size_t n = strlen(keep[i]);
    if (strncmp(p, keep[i], n) == 0 && (p[n] == ' ' || p[n] == '\0')) return false;
  }
  return true;
}

typedef struct try_ctx {
  const char *path;
  const scn_token_t *tok; /* the strategy of the run */
  const char *sig;
  size_t runs;
} try_ctx_t;

/* Plays text with the token's strategy; true when it fails the same way. */
static bool fails_same(try_ctx_t *c, const char *text, const scn_token_t *tok,
                       scn_run_result_t *keep) {
  scn_error_t err;
  scn_t *s = scn_parse(c->path, text, strlen(text), &err);
  if (!s) return false;
  scn_run_opts_t o;
  memset(&o, 0, sizeof o);
  scn_token_strategy_t *ts = scn_token_strategy(tok, &o);
  o.record = keep != NULL;
  o.skip_history = false;
  scn_run_result_t r;
  scn_run(s, &o, &r);
  c->runs++;
  scn_token_strategy_free(ts);
  scn_free(s);
  bool same = false;
  if (r.exit_code != 0 && r.exit_code != 64) {
    char *sg = signature(&r);
    same = strcmp(sg, c->sig) == 0;
    free(sg);
  }
  if (same && keep)
    *keep = r;
  else
    scn_run_result_free(&r);
  return same;
}

static size_t prefix_len(const uint32_t *ch, size_t n) {
  while (n > 0 && ch[n - 1] == 0) n--;
  return n;
}

static size_t nondefault(const uint32_t *ch, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += ch[i] != 0;
  return k;
}

bool scn_shrink(const char *path, const scn_token_t *failing, double budget, const char *out_path,
                scn_shrink_stats_t *st, char *err, size_t len) {
  memset(st, 0, sizeof *st);
  double t0 = wall();
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, len, "%s: cannot open", path);
    return false;
  }
  size_t cap = 1 << 16, n = 0, k;
  char *text = xmalloc(cap + 1);
  while ((k = fread(text + n, 1, cap - n, f)) > 0) {
    n += k;
    if (n == cap) {
      text = realloc(text, (cap *= 2) + 1);
      if (!text) exit(3);
    }
  }
  fclose(f);
  text[n] = '\0';

  /* the original failure, recorded */
  try_ctx_t c = {.path = path, .tok = failing, .sig = NULL};
  scn_error_t perr;
  scn_t *s0 = scn_parse(path, text, n, &perr);
  if (!s0) {
    snprintf(err, len, "%s:%u:%u: %s", path, perr.line, perr.col, perr.msg);
    free(text);
    return false;
  }
  scn_run_opts_t o0;
  memset(&o0, 0, sizeof o0);
  scn_token_strategy_t *ts0 = scn_token_strategy(failing, &o0);
  o0.record = true;
  scn_run_result_t r0;
  scn_run(s0, &o0, &r0);
  scn_token_strategy_free(ts0);
  scn_free(s0);
  c.runs++;
  if (r0.exit_code == 0) {
    snprintf(err, len, "the run passes: nothing to shrink");
    scn_run_result_free(&r0);
    free(text);
    return false;
  }
  char *sig = signature(&r0);
  c.sig = sig;
  st->decisions_before = prefix_len(r0.choices, r0.n_choices);
  st->nondefault_before = nondefault(r0.choices, r0.n_choices);

  /* phase 1: drop lines (faults, steps, checks) under the same strategy */
  lines_t ls;
  split_lines(text, &ls);
  for (size_t i = 0; i < ls.n; i++)
    if (droppable(ls.l[i])) st->lines_before++;
  bool progress = true;
  while (progress && wall() - t0 < budget * 0.5) {
    progress = false;
    for (size_t i = ls.n; i-- > 0;) {
      if (!ls.keep[i] || !droppable(ls.l[i])) continue;
      ls.keep[i] = false;
      char *cand = join_lines(&ls);
      bool same = fails_same(&c, cand, failing, NULL);
      free(cand);
      if (same)
        progress = true;
      else
        ls.keep[i] = true;
      if (wall() - t0 >= budget * 0.5) break;
    }
  }
  for (size_t i = 0; i < ls.n; i++)
    if (ls.keep[i] && droppable(ls.l[i])) st->lines_after++;
  char *reduced = join_lines(&ls);

  /* phase 2: the decisions of the reduced scenario, as a prefix */
  scn_run_result_t r1;
  memset(&r1, 0, sizeof r1);
  if (!fails_same(&c, reduced, failing, &r1)) {
    /* cannot happen unless the run is not deterministic; keep the text */
    r1 = r0;
    memset(&r0, 0, sizeof r0);
  }
  scn_token_t pt = {
      .path = (char *)path, .personality = failing->personality, .kind = SCN_TOK_CHOICES};
  size_t pn = prefix_len(r1.choices, r1.n_choices);
  uint32_t *ch = xmalloc((pn + 1) * sizeof *ch);
  if (pn) memcpy(ch, r1.choices, pn * sizeof *ch);
  pt.choices = ch;
  pt.n_choices = pn;
  if (fails_same(&c, reduced, &pt, NULL)) {
    /* a: the shortest prefix that still fails (defaults after it) */
    size_t lo = 0, hi = pn;
    while (lo < hi && wall() - t0 < budget) {
      size_t mid = lo + (hi - lo) / 2;
      pt.n_choices = mid;
      if (fails_same(&c, reduced, &pt, NULL))
        hi = mid;
      else
        lo = mid + 1;
    }
    pt.n_choices = hi;
    /* b: every non-default choice that can be the default */
    for (size_t chunk = pt.n_choices; chunk >= 1 && wall() - t0 < budget; chunk /= 2) {
      for (size_t at = 0; at < pt.n_choices && wall() - t0 < budget; at += chunk) {
        size_t end = at + chunk < pt.n_choices ? at + chunk : pt.n_choices;
        uint32_t *save = xmalloc((end - at) * sizeof *save);
        memcpy(save, ch + at, (end - at) * sizeof *save);
        bool any = false;
        for (size_t i = at; i < end; i++) {
          any |= ch[i] != 0;
          ch[i] = 0;
        }
        if (any && !fails_same(&c, reduced, &pt, NULL))
          memcpy(ch + at, save, (end - at) * sizeof *save);
        free(save);
      }
      if (chunk == 1) break;
    }
    pt.n_choices = prefix_len(ch, pt.n_choices);
  } else {
    /* the prefix form does not reproduce (should not happen): keep the original strategy */
    pt.n_choices = 0;
  }
  st->decisions_after = pt.n_choices;
  st->nondefault_after = nondefault(ch, pt.n_choices);

  /* the minimal scenario, with how to replay it */
  pt.path = (char *)out_path;
  st->token = scn_token_format(&pt);
  FILE *o = fopen(out_path, "wb");
  bool ok = o != NULL;
  if (ok) {
    fprintf(o, "# Shrunk by iocpsim from %s: %zu of %zu steps and fault lines kept,\n", path,
            st->lines_after, st->lines_before);
    fprintf(o, "# decisions %zu -> %zu (non-default %zu -> %zu).  It fails as the original did:\n",
            st->decisions_before, st->decisions_after, st->nondefault_before, st->nondefault_after);
    fprintf(o, "#   %s\n", sig);
    fprintf(o, "# replay: iocpsim replay '%s'\n", st->token);
    fputs(reduced, o);
    ok = fclose(o) == 0;
  }
  if (!ok) snprintf(err, len, "%s: cannot write", out_path);
  st->runs = c.runs;
  st->secs = wall() - t0;
  free(ch);
  free(reduced);
  for (size_t i = 0; i < ls.n; i++) free(ls.l[i]);
  free(ls.l);
  free(ls.keep);
  free(sig);
  scn_run_result_free(&r0);
  scn_run_result_free(&r1);
  free(text);
  return ok;
}
