/* scn_outcomes.c: outcome sets of sweeps, their file, the check and the
 * merge (scn_outcomes.h, docs/explore.md §7). */
#include "scn_outcomes.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_explore.h"

static void *oc_alloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) {
    fputs("iocpsim: out of memory\n", stderr);
    exit(3);
  }
  return q;
}

static char *oc_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = oc_alloc(NULL, n);
  memcpy(p, s, n);
  return p;
}

uint64_t scn_oc_fnv(uint64_t h, const void *p, size_t n) {
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3ull;
  return h;
}

uint64_t scn_oc_outcome(const char *status, const char *history) {
  /* the status first, then a separator no status word contains */
  uint64_t h = scn_oc_fnv(SCN_OC_FNV_INIT, status ? status : "?", strlen(status ? status : "?"));
  h = scn_oc_fnv(h, "\n", 1);
  return scn_oc_fnv(h, history ? history : "", history ? strlen(history) : 0);
}

bool scn_oc_text_hash(const char *path, uint64_t *out) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  uint64_t h = SCN_OC_FNV_INIT;
  char buf[8192];
  size_t k;
  while ((k = fread(buf, 1, sizeof buf, f)) > 0) h = scn_oc_fnv(h, buf, k);
  bool ok = !ferror(f);
  fclose(f);
  *out = h;
  return ok;
}

/* ---- sets ----------------------------------------------------------------------------- */

scn_oc_scn_t *scn_oc_scenario(scn_oc_file_t *f, const char *path, uint64_t text) {
  for (size_t i = 0; i < f->n; i++)
    if (strcmp(f->s[i].path, path) == 0) return &f->s[i];
  if (f->n == f->cap) f->s = oc_alloc(f->s, (f->cap = f->cap * 2 + 16) * sizeof *f->s);
  scn_oc_scn_t *s = &f->s[f->n++];
  memset(s, 0, sizeof *s);
  s->path = oc_strdup(path);
  s->text = text;
  return s;
}

/* The first slot of s->v (sorted by hash) whose hash is not below `hash`. */
static size_t oc_lower_bound(const scn_oc_scn_t *s, uint64_t hash) {
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->v[mid].hash < hash)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Inserts (hash, id) keeping v sorted by hash; an outcome already there
 * keeps the lower id.  Does not count a run. */
static void oc_insert(scn_oc_scn_t *s, uint64_t hash, uint64_t id) {
  size_t lo = oc_lower_bound(s, hash);
  if (lo < s->n && s->v[lo].hash == hash) {
    if (id < s->v[lo].id) s->v[lo].id = id;
    return;
  }
  if (s->n == s->cap) s->v = oc_alloc(s->v, (s->cap = s->cap * 2 + 8) * sizeof *s->v);
  memmove(&s->v[lo + 1], &s->v[lo], (s->n - lo) * sizeof *s->v);
  s->v[lo] = (scn_oc_t){hash, id};
  s->n++;
}

void scn_oc_add(scn_oc_scn_t *s, uint64_t hash, uint64_t id) {
  s->runs++;
  oc_insert(s, hash, id);
}

static const scn_oc_t *oc_find(const scn_oc_scn_t *s, uint64_t hash) {
  size_t lo = oc_lower_bound(s, hash);
  return lo < s->n && s->v[lo].hash == hash ? &s->v[lo] : NULL;
}

static const scn_oc_scn_t *oc_scn_find(const scn_oc_file_t *f, const char *path) {
  size_t lo = 0, hi = f->n; /* f is sorted: read files are checked, made ones sorted on write */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(f->s[mid].path, path);
    if (c == 0) return &f->s[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

static int cmp_scn(const void *a, const void *b) {
  return strcmp(((const scn_oc_scn_t *)a)->path, ((const scn_oc_scn_t *)b)->path);
}

void scn_oc_free(scn_oc_file_t *f) {
  for (size_t i = 0; i < f->n; i++) {
    free(f->s[i].path);
    free(f->s[i].v);
  }
  free(f->s);
  free(f->options);
  free(f->command);
  memset(f, 0, sizeof *f);
}

/* ---- the file -------------------------------------------------------------------------- */

bool scn_oc_write(scn_oc_file_t *f, const char *path, char *err, size_t len) {
  qsort(f->s, f->n, sizeof *f->s, cmp_scn);
  for (size_t i = 0; i < f->n; i++)
    if (strpbrk(f->s[i].path, " \t\r\n") != NULL) {
      snprintf(err, len, "%s: a path with white space cannot go in an outcomes file", f->s[i].path);
      return false;
    }
  size_t tn = strlen(path) + 8;
  char *tmp = oc_alloc(NULL, tn);
  snprintf(tmp, tn, "%s.tmp", path);
  FILE *o = fopen(tmp, "wb");
  if (!o) {
    snprintf(err, len, "%s: %s", tmp, strerror(errno));
    free(tmp);
    return false;
  }
  fprintf(o,
          "# iocpsim outcomes (docs/explore.md section 7): per scenario, the distinct outcomes of\n"
          "# a sweep (FNV-1a 64 of a run's status and history, see outcome= below), each with the\n"
          "# first run that gave it.  Made by the command below, run where its paths resolve;\n"
          "# FILE is this file; --jobs N gives the same file.\n");
  if (f->command) fprintf(o, "# command: %s\n", f->command);
  fprintf(o, "options %s\n", f->options ? f->options : "");
  for (size_t i = 0; i < f->n; i++) {
    const scn_oc_scn_t *s = &f->s[i];
    fprintf(o, "%s text=%016" PRIx64 " runs=%" PRIu64 " distinct=%zu", s->path, s->text, s->runs,
            s->n);
    if (s->pct_k) fprintf(o, " k=%" PRIu64, s->pct_k);
    for (size_t j = 0; j < s->n; j++)
      fprintf(o, " %016" PRIx64 "@%" PRIu64, s->v[j].hash, s->v[j].id);
    fputc('\n', o);
  }
  bool ok = fflush(o) == 0 && !ferror(o);
  ok = fclose(o) == 0 && ok;
  if (ok && rename(tmp, path) != 0) ok = false;
  if (!ok) {
    snprintf(err, len, "%s: could not write (%s)", path, strerror(errno));
    remove(tmp);
  }
  free(tmp);
  return ok;
}

typedef struct rd {
  const char *file;
  uint32_t line;
  const char *start, *p; /* the line, the cursor */
  char *err;
  size_t len;
} rd_t;

static bool rd_fail(rd_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool rd_fail(rd_t *r, const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(r->err, r->len, "%s:%u:%u: %s", r->file, r->line, (unsigned)(r->p - r->start) + 1, msg);
  return false;
}

static bool rd_hex16(rd_t *r, uint64_t *out) {
  uint64_t v = 0;
  for (int i = 0; i < 16; i++) {
    char c = r->p[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) {
      r->p += i;
      return rd_fail(r, "expected 16 lowercase hex digits");
    }
    v = v << 4 | (uint64_t)d;
  }
  r->p += 16;
  *out = v;
  return true;
}

static bool rd_dec(rd_t *r, uint64_t *out) {
  if (*r->p < '0' || *r->p > '9') return rd_fail(r, "expected a decimal number");
  uint64_t v = 0;
  while (*r->p >= '0' && *r->p <= '9') {
    uint64_t d = (uint64_t)(*r->p - '0');
    if (v > (UINT64_MAX - d) / 10) return rd_fail(r, "number too large");
    v = v * 10 + d;
    r->p++;
  }
  *out = v;
  return true;
}

static bool rd_word(rd_t *r, const char *w) {
  size_t n = strlen(w);
  if (strncmp(r->p, w, n) != 0) return rd_fail(r, "expected '%s'", w);
  r->p += n;
  return true;
}

/* One scenario line into s (its path already read). */
static bool rd_scenario(rd_t *r, scn_oc_scn_t *s) {
  uint64_t distinct;
  if (!rd_word(r, " text=") || !rd_hex16(r, &s->text) || !rd_word(r, " runs=") ||
      !rd_dec(r, &s->runs) || !rd_word(r, " distinct=") || !rd_dec(r, &distinct))
    return false;
  if (strncmp(r->p, " k=", 3) == 0) {
    r->p += 3;
    if (!rd_dec(r, &s->pct_k)) return false;
  }
  while (*r->p == ' ') {
    r->p++;
    const char *at = r->p;
    scn_oc_t oc;
    if (!rd_hex16(r, &oc.hash) || !rd_word(r, "@") || !rd_dec(r, &oc.id)) return false;
    if (s->n > 0 && oc.hash <= s->v[s->n - 1].hash) {
      r->p = at;
      return rd_fail(r, "outcomes must be sorted and distinct");
    }
    oc_insert(s, oc.hash, oc.id);
  }
  if (*r->p)
    return rd_fail(r, "unexpected '%c' (expected ' HASH@ID' or the end of the line)", *r->p);
  if (distinct != s->n) {
    r->p = r->start;
    return rd_fail(r, "distinct=%" PRIu64 " but %zu outcomes listed", distinct, s->n);
  }
  if (s->n > s->runs) {
    r->p = r->start;
    return rd_fail(r, "more outcomes (%zu) than runs (%" PRIu64 ")", s->n, s->runs);
  }
  return true;
}

bool scn_oc_read(const char *path, scn_oc_file_t *f, char *err, size_t len) {
  memset(f, 0, sizeof *f);
  FILE *in = fopen(path, "rb");
  if (!in) {
    snprintf(err, len, "%s: %s", path, strerror(errno));
    return false;
  }
  rd_t r = {.file = path, .err = err, .len = len};
  size_t cap = 1 << 12;
  char *line = oc_alloc(NULL, cap);
  bool ok = true;
  for (;;) {
    size_t n = 0;
    int c;
    while ((c = fgetc(in)) != EOF && c != '\n') {
      if (c == '\0') c = 1; /* reported below as an unexpected character */
      if (n + 1 >= cap) line = oc_alloc(line, cap *= 2);
      line[n++] = (char)c;
    }
    if (c == EOF && n == 0) break;
    line[n] = '\0';
    r.line++;
    r.start = r.p = line;
    if (strncmp(line, "# command: ", 11) == 0 && !f->command) f->command = oc_strdup(line + 11);
    if (n == 0 || line[0] == '#') continue;
    if (strncmp(line, "options", 7) == 0 && (line[7] == ' ' || line[7] == '\0')) {
      if (f->options) {
        ok = rd_fail(&r, "a second options line (the first is line %u)", f->options_line);
        break;
      }
      if (f->n) {
        ok = rd_fail(&r, "the options line must come before the scenarios");
        break;
      }
      f->options = oc_strdup(line[7] ? line + 8 : "");
      f->options_line = r.line;
      continue;
    }
    if (!f->options) {
      ok = rd_fail(&r, "expected the options line first");
      break;
    }
    const char *sp = strchr(line, ' ');
    if (!sp || sp == line) {
      ok = rd_fail(&r, "expected 'PATH text=HASH runs=N distinct=K HASH@ID...'");
      break;
    }
    char *p = oc_alloc(NULL, (size_t)(sp - line) + 1);
    memcpy(p, line, (size_t)(sp - line));
    p[sp - line] = '\0';
    if (f->n > 0 && strcmp(f->s[f->n - 1].path, p) >= 0) {
      ok = rd_fail(&r, "scenarios must be sorted by path and appear once ('%s' after '%s')", p,
                   f->s[f->n - 1].path);
      free(p);
      break;
    }
    scn_oc_scn_t *s = scn_oc_scenario(f, p, 0);
    free(p);
    s->line = r.line;
    r.p = sp;
    if (!rd_scenario(&r, s)) {
      ok = false;
      break;
    }
  }
  if (ok && !f->options) {
    snprintf(err, len, "%s:%u:1: no options line (not an outcomes file?)", path, r.line + 1);
    ok = false;
  }
  free(line);
  fclose(in);
  if (!ok) scn_oc_free(f);
  return ok;
}

/* ---- the check --------------------------------------------------------------------------- */

/* The value of `key=` in an options text, or "" if absent. */
static void opt_get(const char *options, const char *key, char *buf, size_t len) {
  size_t kn = strlen(key);
  buf[0] = '\0';
  for (const char *p = options; p && *p;) {
    while (*p == ' ') p++;
    const char *e = strchr(p, ' ');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n > kn && strncmp(p, key, kn) == 0 && p[kn] == '=') {
      snprintf(buf, len, "%.*s", (int)(n - kn - 1), p + kn + 1);
      return;
    }
    p += n;
  }
}

/* The command that replays the run that first gave an outcome. */
static void print_replay(const char *options, const scn_oc_scn_t *s, uint64_t id) {
  char strat[32], timing[16], pers[16], faults[64], maxr[32];
  opt_get(options, "strategy", strat, sizeof strat);
  opt_get(options, "timing", timing, sizeof timing);
  opt_get(options, "personality", pers, sizeof pers);
  opt_get(options, "faults", faults, sizeof faults);
  opt_get(options, "max-runs", maxr, sizeof maxr);
  char flags[128] = "";
  size_t n = 0;
  if (strcmp(timing, "fixed") == 0)
    n += (size_t)snprintf(flags + n, sizeof flags - n, " --timing fixed");
  if (*pers && strcmp(pers, "default") != 0 && n < sizeof flags)
    n += (size_t)snprintf(flags + n, sizeof flags - n, " --personality %s", pers);
  (void)n;
  unsigned d;
  if (strncmp(strat, "pct:", 4) == 0 && sscanf(strat + 4, "%u", &d) == 1) {
    scn_token_t t = {.path = s->path,
                     .personality = strcmp(pers, "wine8") == 0     ? 1
                                    : strcmp(pers, "windows") == 0 ? 0
                                                                   : -1,
                     .kind = SCN_TOK_PCT,
                     .seed = id,
                     .depth = d,
                     .k = s->pct_k};
    char *tok = scn_token_format(&t);
    printf("    iocpsim replay '%s'%s\n", tok,
           strcmp(timing, "fixed") == 0 ? " --timing fixed" : "");
    free(tok);
  } else if (strncmp(strat, "dfs:", 4) == 0) {
    printf("    iocpsim run %s --strategy %s --max-runs %" PRIu64 "%s  (its last schedule)\n",
           s->path, strat, id + 1, flags);
  } else {
    printf("    iocpsim run %s --seed %" PRIu64 "%s\n", s->path, id, flags);
  }
  if (*faults && strcmp(faults, "none") != 0)
    printf("    (add the sweep's --fault rules, faults=%s: see the baseline's # command line)\n",
           faults);
}

static int oc_usage(const char *cmd, const char *why) {
  fprintf(stderr,
          "iocpsim %s: %s\nusage: iocpsim outcomes-check BASELINE NEW\n"
          "       iocpsim outcomes-merge -o OUT FILE...\n",
          cmd, why);
  return 64;
}

/* Whether `wide` is the random-walk sweep `base` over a range of seeds
 * that includes base's: more runs can only add outcomes, so the check still
 * holds.  (Not PCT: its calibration depends on the first seed.) */
static bool seeds_cover(const char *base, const char *wide) {
  char sb[64], sw[64];
  if (!strstr(base, " strategy=random ")) return false;
  opt_get(base, "seeds", sb, sizeof sb);
  opt_get(wide, "seeds", sw, sizeof sw);
  unsigned long long b0, b1, w0, w1;
  if (sscanf(sb, "%llu..%llu", &b0, &b1) != 2 || sscanf(sw, "%llu..%llu", &w0, &w1) != 2)
    return false;
  if (w0 > b0 || w1 < b1) return false;
  /* the rest must match word for word */
  char *a = oc_strdup(base), *c = oc_strdup(wide);
  char *pa = strstr(a, sb), *pc = strstr(c, sw);
  memmove(pa, pa + strlen(sb), strlen(pa + strlen(sb)) + 1);
  memmove(pc, pc + strlen(sw), strlen(pc + strlen(sw)) + 1);
  bool same = strcmp(a, c) == 0;
  free(a);
  free(c);
  return same;
}

int scn_oc_check_cmd(int argc, char **argv) {
  if (argc != 2 || argv[0][0] == '-' || argv[1][0] == '-')
    return oc_usage("outcomes-check", "expected two files, BASELINE and NEW");
  const char *bp = argv[0], *np = argv[1];
  scn_oc_file_t b, nw;
  char err[512];
  if (!scn_oc_read(bp, &b, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    return 64;
  }
  if (!scn_oc_read(np, &nw, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    scn_oc_free(&b);
    return 64;
  }
  bool wider = false;
  if (strcmp(b.options, nw.options) != 0 && !(wider = seeds_cover(b.options, nw.options))) {
    fprintf(stderr,
            "%s:%u:1: the options differ from the baseline's (%s:%u); the sets are comparable only "
            "for the same sweep, or a new one over more seeds\n  baseline: %s\n  new:      %s\n",
            np, nw.options_line, bp, b.options_line, b.options, nw.options);
    scn_oc_free(&b);
    scn_oc_free(&nw);
    return 64;
  }
  printf("outcomes-check: baseline %s, new %s\n  options %s\n", bp, np, b.options);
  if (wider) printf("  new:    %s (its seeds include the baseline's)\n", nw.options);
  printf("\n");
  size_t compared = 0, changed = 0, only_base = 0, only_new = 0, lost_scn = 0;
  uint64_t tot_b = 0, tot_n = 0, gained = 0, lost = 0;
  bool header = false;
  for (size_t i = 0; i < b.n; i++) {
    const scn_oc_scn_t *bs = &b.s[i], *ns = oc_scn_find(&nw, bs->path);
    if (!ns || ns->text != bs->text) continue;
    compared++;
    size_t g = 0, l = 0;
    for (size_t j = 0; j < bs->n; j++) l += oc_find(ns, bs->v[j].hash) == NULL;
    for (size_t j = 0; j < ns->n; j++) g += oc_find(bs, ns->v[j].hash) == NULL;
    tot_b += bs->n;
    tot_n += ns->n;
    gained += g;
    lost += l;
    if (l) lost_scn++;
    if (!g && !l) continue;
    if (!header) {
      printf("%-56s %8s %8s %7s %7s\n", "scenario (changed sets only)", "baseline", "new", "gained",
             "lost");
      header = true;
    }
    size_t pl = strlen(bs->path);
    printf("%-56s %8zu %8zu %7zu %7zu%s\n", pl > 56 ? bs->path + pl - 56 : bs->path, bs->n, ns->n,
           g, l, l ? "  LOST" : "");
  }
  for (size_t i = 0; i < b.n; i++) {
    const scn_oc_scn_t *ns = oc_scn_find(&nw, b.s[i].path);
    if ((!ns || ns->text != b.s[i].text) && header) printf("\n"), header = false;
    if (!ns) {
      printf("not compared (only in the baseline): %s\n", b.s[i].path);
      only_base++;
    } else if (ns->text != b.s[i].text) {
      printf("not compared (scenario text changed): %s\n", b.s[i].path);
      changed++;
    }
  }
  for (size_t i = 0; i < nw.n; i++)
    if (!oc_scn_find(&b, nw.s[i].path)) {
      if (header) printf("\n"), header = false;
      printf("not compared (only in the new file): %s\n", nw.s[i].path);
      only_new++;
    }
  if (lost) {
    printf("\nlost outcomes (the baseline's run that gave each, and its command):\n");
    for (size_t i = 0; i < b.n; i++) {
      const scn_oc_scn_t *bs = &b.s[i], *ns = oc_scn_find(&nw, bs->path);
      if (!ns || ns->text != bs->text) continue;
      for (size_t j = 0; j < bs->n; j++) {
        if (oc_find(ns, bs->v[j].hash)) continue;
        printf("  %s: outcome %016" PRIx64 ", first at %s %" PRIu64 " in the baseline\n", bs->path,
               bs->v[j].hash, strstr(b.options, "seeds=- ") ? "schedule" : "seed", bs->v[j].id);
        print_replay(b.options, bs, bs->v[j].id);
      }
    }
  }
  printf(
      "\n%-40s %zu\n%-40s %zu (text changed %zu, only in the baseline %zu, only in the new file "
      "%zu)\n%-40s %" PRIu64 " baseline, %" PRIu64 " new\n%-40s %" PRIu64 "\n%-40s %" PRIu64 "%s\n",
      "scenarios compared:", compared, "scenarios not compared:", changed + only_base + only_new,
      changed, only_base, only_new, "distinct outcomes (compared scenarios):", tot_b, tot_n,
      "gained:", gained, "lost:", lost, lost ? "" : "  (every baseline outcome is in the new set)");
  if (lost)
    printf("FAIL: %" PRIu64 " outcome%s lost in %zu scenario%s\n", lost, lost == 1 ? "" : "s",
           lost_scn, lost_scn == 1 ? "" : "s");
  scn_oc_free(&b);
  scn_oc_free(&nw);
  return lost ? 1 : 0;
}

/* ---- the merge ------------------------------------------------------------------------------ */

/* The options without ` shard=I/N`; *si, *sn the shard (0 if none). */
static char *strip_shard(const char *options, unsigned *si, unsigned *sn) {
  char *o = oc_strdup(options);
  *si = *sn = 0;
  char *p = strstr(o, "shard=");
  if (p && (p == o || p[-1] == ' ')) {
    char *e = strchr(p, ' ');
    if (sscanf(p, "shard=%u/%u", si, sn) != 2) *si = *sn = 0;
    if (p > o) p--; /* the space before */
    memmove(p, e ? e : p + strlen(p), strlen(e ? e : p + strlen(p)) + 1);
  }
  return o;
}

/* A command line without ` --shard I/N`. */
static char *strip_shard_flag(const char *command, unsigned *si, unsigned *sn) {
  char *c = oc_strdup(command);
  char *p = strstr(c, " --shard ");
  if (p && sscanf(p, " --shard %u/%u", si, sn) == 2) {
    char *e = strchr(p + 9, ' ');
    memmove(p, e ? e : p + strlen(p), strlen(e ? e : p + strlen(p)) + 1);
  }
  return c;
}

int scn_oc_merge_cmd(int argc, char **argv) {
  const char *out = NULL;
  int first = -1;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
      out = argv[++i];
    else if (argv[i][0] == '-')
      return oc_usage("outcomes-merge", "unknown option (or -o without its file)");
    else if (first < 0)
      first = i;
  }
  if (!out) return oc_usage("outcomes-merge", "name the output, -o OUT");
  if (first < 0) return oc_usage("outcomes-merge", "no input files");
  scn_oc_file_t m;
  memset(&m, 0, sizeof m);
  unsigned shard_n = 0, n_in = 0;
  bool *seen = NULL;
  char err[512];
  int rc = 0;
  for (int i = first; i < argc && rc == 0; i++) {
    if (strcmp(argv[i], "-o") == 0) {
      i++;
      continue;
    }
    scn_oc_file_t f;
    if (!scn_oc_read(argv[i], &f, err, sizeof err)) {
      fprintf(stderr, "%s\n", err);
      rc = 64;
      break;
    }
    unsigned si, sn;
    char *opts = strip_shard(f.options, &si, &sn);
    if (sn == 0) {
      fprintf(stderr,
              "%s:%u:1: not a shard (no shard=I/N in its options); outcomes-merge joins the shard "
              "files of one sweep\n",
              argv[i], f.options_line);
      rc = 64;
    } else if (n_in == 0) {
      m.options = oc_strdup(opts);
      if (f.command) { /* the sweep's command without its --shard */
        unsigned ci, cn;
        m.command = strip_shard_flag(f.command, &ci, &cn);
      }
      shard_n = sn;
      seen = oc_alloc(NULL, sn + 1);
      memset(seen, 0, sn + 1);
    } else if (strcmp(opts, m.options) != 0 || sn != shard_n) {
      fprintf(stderr, "%s:%u:1: options differ from the first file's: %s\n", argv[i],
              f.options_line, f.options);
      rc = 64;
    }
    if (rc == 0 && seen[si]) {
      fprintf(stderr, "%s:%u:1: shard %u/%u given twice\n", argv[i], f.options_line, si, sn);
      rc = 64;
    }
    if (rc == 0) {
      seen[si] = true;
      n_in++;
      for (size_t k = 0; k < f.n && rc == 0; k++) {
        const scn_oc_scn_t *s = &f.s[k];
        scn_oc_scn_t *d = scn_oc_scenario(&m, s->path, s->text);
        if (d->text != s->text || (d->runs && d->pct_k != s->pct_k)) {
          fprintf(stderr, "%s:%u:1: %s: its text (or PCT calibration) differs between the shards\n",
                  argv[i], s->line, s->path);
          rc = 64;
          break;
        }
        d->pct_k = s->pct_k;
        d->runs += s->runs;
        for (size_t j = 0; j < s->n; j++) oc_insert(d, s->v[j].hash, s->v[j].id);
      }
    }
    free(opts);
    scn_oc_free(&f);
  }
  if (rc == 0 && n_in != shard_n) {
    fprintf(stderr, "iocpsim outcomes-merge: %u of %u shards given; missing:", n_in, shard_n);
    for (unsigned k = 1; k <= shard_n; k++)
      if (!seen[k]) fprintf(stderr, " %u/%u", k, shard_n);
    fprintf(stderr, "\n");
    rc = 64;
  }
  if (rc == 0 && !scn_oc_write(&m, out, err, sizeof err)) {
    fprintf(stderr, "iocpsim outcomes-merge: %s\n", err);
    rc = 64;
  }
  free(seen);
  scn_oc_free(&m);
  return rc;
}
