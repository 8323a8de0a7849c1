/* iocpsim.c: the command line (docs/scenarios.md §8).
 *
 *   iocpsim run FILE|DIR... [options]   play scenarios under one or many seeds
 *   iocpsim list FILE|DIR...            scenarios and the B-numbers each covers
 *   iocpsim coverage FILE|DIR...        which scenario covers which B-number
 *   iocpsim check FILE...               parse only
 *   iocpsim outcomes-check BASE NEW     compare two --outcomes files (scn_outcomes.c)
 *   iocpsim outcomes-merge -o OUT F...  join the --outcomes files of a sweep's shards
 *
 * A sweep is a list of tasks (scenario, seed).  With --jobs N the tasks are
 * dealt to N forked workers (the simulator is single-threaded and keeps
 * process-wide state, so workers are processes); each sends its results back
 * over a pipe.  Results are printed in task order whatever order they arrive
 * in, so the output of a sweep does not depend on --jobs. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scn.h"
#include "scn_explore.h"
#include "scn_report.h"
#include "scn_fuzz.h"
#include "scn_outcomes.h"
#include "scn_run.h"
#include "sim.h"

#define EXIT_USAGE 64

static const char usage_text[] =
    "usage: iocpsim COMMAND [options] [FILE|DIR]...\n"
    "\n"
    "Plays scenario files (.scn) against the core in a simulated Windows world:\n"
    "a fake kernel32/ws2_32 with a fake completion port, a seeded scheduler and\n"
    "a virtual clock.  The same scenario and seed always give the same run.\n"
    "\n"
    "commands:\n"
    "  run FILE|DIR...      play every scenario (a DIR is searched for *.scn)\n"
    "  list FILE|DIR...     print each scenario, its title and its B-numbers\n"
    "  coverage FILE|DIR... print which scenario covers each behaviour B1..B111\n"
    "                       of spec/go-poll.md and which are not covered\n"
    "  check FILE|DIR...    parse only; report every file's first error\n"
    "  replay TOKEN         replay one run exactly from the token a failure printed\n"
    "  report FILE|DIR... -o REPORT.html\n"
    "                       play runs and write one self-contained HTML report:\n"
    "                       one file and one seed (--seed N, default 0) or a\n"
    "                       token (--token TOKEN): that run's timeline, the\n"
    "                       scenario beside it, the failing line highlighted, the\n"
    "                       replay command; --seeds N or several files: a sweep,\n"
    "                       with a table of seeds, the first --max-detail N\n"
    "                       (default 10) failing runs in full and, per scenario,\n"
    "                       how often each allowed outcome occurred.  Takes\n"
    "                       --personality, --timing, --fault, --strategy pct:D\n"
    "                       (each seed a PCT run) and --perfetto FILE (the first\n"
    "                       failing run, else the first run)\n"
    "  from-fuzz INPUT [-o FILE.scn] [--trace FILE]\n"
    "                       turn a state-machine fuzz input into a scenario file\n"
    "                       and a replay token of its decisions (docs/fuzzing.md)\n"
    "  outcomes-check BASELINE NEW\n"
    "                       compare two --outcomes files: for each scenario in\n"
    "                       both with the same text, every baseline outcome must\n"
    "                       be in the new set; prints gained and lost outcomes,\n"
    "                       each lost one with its baseline seed and command, and\n"
    "                       the scenarios not compared; exit 0 nothing lost, 1\n"
    "                       an outcome lost, 64 a malformed file or other options\n"
    "  outcomes-merge -o OUT FILE...\n"
    "                       join the --outcomes files of a sweep's --shard slices\n"
    "                       into the file one unsharded sweep writes\n"
    "  help                 this text\n"
    "\n"
    "options of run:\n"
    "  --seed N             the first seed (default 0)\n"
    "  --seeds N            seeds per scenario: N, N+1, ... (default 1)\n"
    "  --personality P      windows or wine8 (default: each scenario's own,\n"
    "                       else windows)\n"
    "  --trace FILE         write the JSONL trace of the run (one scenario, one\n"
    "                       seed: with more, FILE gets the last run's trace)\n"
    "  --perfetto FILE      write the run as Chrome trace-event JSON for Perfetto\n"
    "                       or chrome://tracing (as --trace: one run; also with\n"
    "                       replay and report): a track per thread and for the\n"
    "                       completion port, steps as slices, each overlapped\n"
    "                       request a flow from submit to completion, faults,\n"
    "                       cancels and deadline expiries as instants\n"
    "  --rewrite            regenerate each file's golden `history` block from a\n"
    "                       run with the first seed (the file is replaced\n"
    "                       atomically; a failing run rewrites nothing)\n"
    "  --jobs N             run on N worker processes (default 1)\n"
    "  --shard I/N          run only the I-th of N slices of the tasks (1 <= I\n"
    "                       <= N), so a CI matrix can split a sweep\n"
    "  --junit FILE         write JUnit XML: one testcase per scenario\n"
    "  --list               same as the list command\n"
    "  --hashes             print `scenario seed trace-hash` for every run\n"
    "  --outcomes FILE      write, per scenario, the set of distinct outcomes of\n"
    "                       the sweep (a hash of the run's status and golden\n"
    "                       history) with the first seed of each, sorted by path;\n"
    "                       the same file with any --jobs (docs/explore.md §7)\n"
    "  --outcome-kind K     what --outcomes hashes: history (default: each thread's\n"
    "                       results) or order (also the order in which the steps'\n"
    "                       calls and returns interleaved across threads)\n"
    "  --timeline N         history events in a failure's timeline (default 24)\n"
    "  --strategy S         how runs choose: random (default: the seeded random\n"
    "                       walk, one run per seed), pct:D (PCT with depth D, one\n"
    "                       run per seed; prints the guaranteed probability bound),\n"
    "                       dfs:B (every schedule with at most B preemptions;\n"
    "                       --seeds is ignored; prints whether the space was\n"
    "                       exhausted)\n"
    "  --max-runs N         dfs: stop after N schedules per scenario (default 100000)\n"
    "  --shrink             for each failing scenario, reduce its first failing run\n"
    "                       (steps, fault lines, decisions) and write the minimal\n"
    "                       scenario as NAME.shrunk.scn in the current directory\n"
    "  --shrink-time SECS   time budget of one shrink (default 60)\n"
    "  --timing fixed|vary  vary (default): the decision stream chooses the timings\n"
    "                       Windows leaves open and a scenario does not pin (when\n"
    "                       bytes reach the peer, pending-but-finished calls, call\n"
    "                       durations near a timer); fixed: none is chosen\n"
    "  --backend fake|real  fake (this build's only backend); real is the mingw\n"
    "                       build's iocpsim.exe (docs/scenarios.md §14)\n"
    "  --fault RULE         add a fault rule (fakewin's grammar, docs/fakewin-io.md\n"
    "                       §6.1) to every run, in place at process start\n"
    "  --fail-nth           for each fault site the scenario reaches, each of its\n"
    "                       first 16 calls and each outcome Windows allows there\n"
    "                       (pending, success, an error, a completion error,\n"
    "                       complete-before-cancel, cancel-wins, a short transfer),\n"
    "                       one run with exactly that fault, until no run reaches\n"
    "                       a new site; reports every run outside the allowed results\n"
    "  --fail-fast          stop at the first failing run\n"
    "  -q, --quiet          print only failures and the summary\n"
    "\n"
    "A progress line is shown on a terminal (stderr) during long sweeps.  Each\n"
    "failure prints the scenario, the seed, a command line that replays it, a\n"
    "replay token (at most 160 characters: `iocpsim replay TOKEN`), the\n"
    "expectation that failed and the end of the run as a timeline.\n"
    "\n"
    "exit status: 0 every run passed; 1 an expectation failed; 2 a deadlock or\n"
    "livelock; 3 a crash; 64 usage or a scenario that does not parse.  With\n"
    "several failures the most severe wins (3 > 2 > 1).\n"
    "\n"
    "docs/scenarios.md is the language reference.\n";

static void usage_error(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("iocpsim: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\n(iocpsim help lists the commands and options)\n", stderr);
  exit(EXIT_USAGE);
}

static void *xcalloc(size_t n, size_t s) {
  void *p = calloc(n ? n : 1, s ? s : 1);
  if (!p) {
    fputs("iocpsim: out of memory\n", stderr);
    exit(3);
  }
  return p;
}
static void *xrealloc(void *p, size_t s) {
  void *q = realloc(p, s ? s : 1);
  if (!q) {
    fputs("iocpsim: out of memory\n", stderr);
    exit(3);
  }
  return q;
}
static char *xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p) exit(3);
  return p;
}

static double pow_u(double b, uint32_t e) {
  double r = 1;
  while (e--) r *= b;
  return r;
}

static double wall(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- files ---------------------------------------------------------------------- */

typedef struct paths {
  char **p;
  size_t n, cap;
} paths_t;

static void paths_add(paths_t *ps, const char *p) {
  if (ps->n == ps->cap) ps->p = xrealloc(ps->p, (ps->cap = ps->cap * 2 + 16) * sizeof *ps->p);
  ps->p[ps->n++] = xstrdup(p);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(paths_t *ps, const char *path, int depth) {
  struct stat sb;
  if (stat(path, &sb) != 0) usage_error("%s: %s", path, strerror(errno));
  if (!S_ISDIR(sb.st_mode)) {
    paths_add(ps, path);
    return;
  }
  if (depth > 16) return;
  DIR *d = opendir(path);
  if (!d) usage_error("%s: %s", path, strerror(errno));
  paths_t local = {0};
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    size_t n = strlen(path) + strlen(e->d_name) + 2;
    char *full = xcalloc(n, 1);
    snprintf(full, n, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
    struct stat es;
    if (stat(full, &es) == 0) {
      if (S_ISDIR(es.st_mode))
        paths_add(&local, full);
      else if (n > 5 && strcmp(full + strlen(full) - 4, ".scn") == 0)
        paths_add(&local, full);
    }
    free(full);
  }
  closedir(d);
  qsort(local.p, local.n, sizeof *local.p,
        cmp_str); /* a stable order, whatever the file system's */
  for (size_t i = 0; i < local.n; i++) {
    struct stat es;
    if (stat(local.p[i], &es) == 0 && S_ISDIR(es.st_mode))
      collect(ps, local.p[i], depth + 1);
    else
      paths_add(ps, local.p[i]);
    free(local.p[i]);
  }
  free(local.p);
}

/* ---- options -------------------------------------------------------------------------- */

enum { STRAT_RANDOM = 0, STRAT_PCT, STRAT_DFS };

typedef struct opts {
  uint64_t seed, seeds;
  int strategy;
  uint32_t depth, bound;
  uint64_t max_runs;
  bool shrink;
  double shrink_secs;
  bool fail_nth;
  bool fixed_timing;
  const char *faults[32]; /* --fault RULE */
  size_t n_faults;
  int personality;
  const char *trace, *junit;
  const char *perfetto, *output, *token; /* --perfetto; report's -o and --token */
  unsigned max_detail;                   /* report --max-detail */
  const char *outcomes;                  /* --outcomes FILE */
  bool outcome_order;                    /* --outcome-kind order */
  char **path_args;                      /* the FILE|DIR arguments, for its # command line */
  size_t n_path_args;
  bool rewrite, list, hashes, quiet, fail_fast;
  unsigned jobs, shard_i, shard_n, timeline;
} opts_t;

static uint64_t num_arg(const char *opt, const char *v, uint64_t lo, uint64_t hi) {
  if (!v) usage_error("%s needs a value", opt);
  char *end;
  errno = 0;
  unsigned long long x = strtoull(v, &end, 0);
  if (*v == '-' || *end || errno || x < lo || x > hi)
    usage_error("%s: expected a number from %" PRIu64 " to %" PRIu64 ", found '%s'", opt, lo, hi,
                v);
  return x;
}

/* ---- results of one task, as sent by a worker --------------------------------------------- */

typedef struct task {
  size_t file; /* index into the parsed scenarios */
  uint64_t seed;
} task_t;

typedef struct outcome {
  int exit_code;
  uint64_t hash;
  uint64_t outcome; /* scn_oc_outcome: status and golden history */
  double secs;
  char *status, *message, *timeline, *report;
} outcome_t;

static void put_str(FILE *f, const char *s) {
  uint32_t n = s ? (uint32_t)strlen(s) : 0;
  fwrite(&n, sizeof n, 1, f);
  if (n) fwrite(s, 1, n, f);
}

static char *get_str(FILE *f) {
  uint32_t n;
  if (fread(&n, sizeof n, 1, f) != 1) return NULL;
  char *s = xcalloc(n + 1, 1);
  if (n && fread(s, 1, n, f) != n) {
    free(s);
    return NULL;
  }
  return s;
}

/* --perfetto: the trace path a run writes (the --trace file, else a
 * temporary one next to the Perfetto file), then the conversion. */
static const char *perfetto_trace_path(const opts_t *o, char *buf, size_t len) {
  if (!o->perfetto || o->trace) return o->trace;
  snprintf(buf, len, "%s.jsonl.tmp", o->perfetto);
  return buf;
}

static void perfetto_convert(const scn_t *s, const opts_t *o, const char *trace,
                             const scn_run_result_t *r, const char *what) {
  if (!o->perfetto) return;
  char err[512];
  if (!scn_perfetto_from_jsonl(s, trace, r->history, r->message, what, o->perfetto, err,
                               sizeof err))
    fprintf(stderr, "iocpsim: --perfetto: %s\n", err);
  if (!o->trace) remove(trace);
}

static void play(scn_t *s, uint64_t seed, const opts_t *o, outcome_t *out) {
  scn_run_opts_t ro;
  memset(&ro, 0, sizeof ro);
  char pbuf[4096];
  ro.seed = seed;
  ro.personality = o->personality;
  ro.trace_path = perfetto_trace_path(o, pbuf, sizeof pbuf);
  ro.timeline = o->timeline;
  ro.extra_rules = o->faults;
  ro.n_extra_rules = o->n_faults;
  ro.fixed_timing = o->fixed_timing;
  scn_run_result_t r;
  double t = wall();
  scn_run(s, &ro, &r);
  out->secs = wall() - t;
  if (o->perfetto) {
    char what[48];
    snprintf(what, sizeof what, "seed %" PRIu64, seed);
    perfetto_convert(s, o, ro.trace_path, &r, what);
  }
  out->exit_code = r.exit_code;
  out->hash = r.trace_hash;
  out->outcome = scn_oc_outcome(r.status, o->outcome_order ? r.order : r.history);
  out->status = xstrdup(r.status ? r.status : "?");
  out->message = r.message ? xstrdup(r.message) : NULL;
  out->timeline = r.timeline ? xstrdup(r.timeline) : NULL;
  out->report = r.report ? xstrdup(r.report) : NULL;
  scn_run_result_free(&r);
}

static void outcome_free(outcome_t *o) {
  free(o->status);
  free(o->message);
  free(o->timeline);
  free(o->report);
  memset(o, 0, sizeof *o);
}

/* ---- printing --------------------------------------------------------------------------- */

static bool progress_on;
static double progress_last;

static void progress(size_t done, size_t total, size_t failed, double t0) {
  if (!progress_on) return;
  double now = wall();
  if (done != total && now - progress_last < 0.1) return;
  progress_last = now;
  fprintf(stderr, "\r\033[K[%zu/%zu] %zu failed, %.1fs", done, total, failed, now - t0);
  if (done == total) fputs("\r\033[K", stderr);
  fflush(stderr);
}

static void print_failure(const scn_t *s, const scn_token_t *tok, const opts_t *o,
                          const outcome_t *oc) {
  char where[64];
  if (tok->kind == SCN_TOK_SEED)
    snprintf(where, sizeof where, "seed %" PRIu64, tok->seed);
  else if (tok->kind == SCN_TOK_PCT)
    snprintf(where, sizeof where, "pct:%u seed %" PRIu64, tok->depth, tok->seed);
  else
    snprintf(where, sizeof where, "a dfs schedule");
  printf("\nFAIL %s  %s  (%s, exit %d)\n", s->path, where, oc->status, oc->exit_code);
  if (tok->kind == SCN_TOK_SEED) {
    printf("  replay: iocpsim run %s --seed %" PRIu64, s->path, tok->seed);
    if (o->personality >= 0) printf(" --personality %s", o->personality ? "wine8" : "windows");
    printf("\n");
  }
  char *t = scn_token_format(tok);
  printf("  replay: iocpsim replay '%s'", t);
  if (strlen(t) > SCN_TOKEN_MAX)
    printf("  (%zu characters: longer than %d; --shrink makes it shorter)", strlen(t),
           SCN_TOKEN_MAX);
  printf("\n");
  free(t);
  if (oc->message) {
    const char *m = oc->message;
    while (*m) {
      const char *e = strchr(m, '\n');
      int n = e ? (int)(e - m) : (int)strlen(m);
      printf("  %.*s\n", n, m);
      m = e ? e + 1 : m + n;
    }
  }
  if (oc->timeline && *oc->timeline)
    printf("  timeline (virtual time, thread, event):\n%s", oc->timeline);
  if (oc->report) {
    printf("  engine report:\n");
    const char *m = oc->report;
    while (*m) {
      const char *e = strchr(m, '\n');
      int n = e ? (int)(e - m) : (int)strlen(m);
      printf("    %.*s\n", n, m);
      m = e ? e + 1 : m + n;
    }
  }
}

/* --shrink: reduce the failing run and write NAME.shrunk.scn here. */
static void shrink_one(const scn_t *s, const scn_token_t *tok, const opts_t *o) {
  char out[512];
  snprintf(out, sizeof out, "%s.shrunk.scn", s->name);
  scn_shrink_stats_t st;
  char err[512];
  printf("  shrinking (budget %.0f s) ...\n", o->shrink_secs);
  fflush(stdout);
  if (!scn_shrink(s->path, tok, o->shrink_secs, out, &st, err, sizeof err)) {
    printf("  shrink: %s\n", err);
    return;
  }
  printf(
      "  shrunk in %.2f s, %zu runs: steps and fault lines %zu -> %zu; decisions %zu -> %zu "
      "(non-default %zu -> %zu)",
      st.secs, st.runs, st.lines_before, st.lines_after, st.decisions_before, st.decisions_after,
      st.nondefault_before, st.nondefault_after);
  if (st.decisions_after > 0)
    printf(", %.1fx fewer", (double)st.decisions_before / (double)st.decisions_after);
  printf("\n  minimal scenario: %s\n  replay: iocpsim replay '%s'\n", out, st.token);
  free(st.token);
}

/* ---- rewrite ------------------------------------------------------------------------------- */

static bool rewrite_history(const scn_t *s, const char *history) {
  FILE *f = fopen(s->path, "rb");
  if (!f) {
    fprintf(stderr, "iocpsim: %s: %s\n", s->path, strerror(errno));
    return false;
  }
  size_t cap = 1 << 16, n = 0;
  char *text = xcalloc(cap, 1);
  size_t k;
  while ((k = fread(text + n, 1, cap - n, f)) > 0) {
    n += k;
    if (n == cap) text = xrealloc(text, cap *= 2);
  }
  fclose(f);
  /* the lines before `history` and after its `end` stay as they are */
  size_t start = n, end = n;
  if (s->has_history) {
    uint32_t line = 1;
    for (size_t i = 0; i <= n; i++) {
      if (line == s->history_line && start == n) start = i;
      if (line == s->history_end_line + 1) {
        end = i;
        break;
      }
      if (i < n && text[i] == '\n') line++;
    }
    if (end < start) end = n;
  }
  size_t tn = strlen(s->path) + 16;
  char *tmp = xcalloc(tn, 1);
  snprintf(tmp, tn, "%s.tmp", s->path);
  FILE *o = fopen(tmp, "wb");
  if (!o) {
    fprintf(stderr, "iocpsim: %s: %s\n", tmp, strerror(errno));
    free(tmp);
    free(text);
    return false;
  }
  fwrite(text, 1, start, o);
  if (!s->has_history && start > 0 && text[start - 1] != '\n') fputc('\n', o);
  if (!s->has_history) fputc('\n', o);
  fputs("history\n", o);
  for (const char *p = history; *p;) {
    const char *e = strchr(p, '\n');
    size_t ln = e ? (size_t)(e - p) : strlen(p);
    fputs("  ", o);
    fwrite(p, 1, ln, o);
    fputc('\n', o);
    p = e ? e + 1 : p + ln;
  }
  fputs("end\n", o);
  if (end < n) fwrite(text + end, 1, n - end, o);
  bool ok = fflush(o) == 0 && !ferror(o);
  ok = fclose(o) == 0 && ok;
  if (ok && rename(tmp, s->path) != 0) ok = false;
  if (!ok) {
    fprintf(stderr, "iocpsim: %s: could not write the new file (%s); the original is unchanged\n",
            s->path, strerror(errno));
    remove(tmp);
  }
  free(tmp);
  free(text);
  return ok;
}

/* ---- commands ---------------------------------------------------------------------------- */

static scn_t **parse_all(paths_t *ps, int *worst, size_t *n_ok) {
  scn_t **ss = xcalloc(ps->n + 1, sizeof *ss);
  *n_ok = 0;
  for (size_t i = 0; i < ps->n; i++) {
    scn_error_t err;
    ss[i] = scn_parse_file(ps->p[i], &err);
    if (!ss[i]) {
      if (err.line)
        fprintf(stderr, "%s:%u:%u: error: %s\n", ps->p[i], err.line, err.col, err.msg);
      else
        fprintf(stderr, "%s: error: %s\n", ps->p[i], err.msg);
      *worst = EXIT_USAGE;
    } else {
      (*n_ok)++;
    }
  }
  return ss;
}

static void print_covers(const scn_t *s) {
  bool first = true;
  for (int b = 1; b <= 111; b++) {
    if (!s->covers[b]) continue;
    printf("%sB%d", first ? "" : " ", b);
    first = false;
  }
  if (first) printf("(none)");
}

static int cmd_list(scn_t **ss, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!ss[i]) continue;
    printf("%s\n  %s\n  covers: ", ss[i]->path, ss[i]->title ? ss[i]->title : "(no title)");
    print_covers(ss[i]);
    printf("\n");
  }
  return 0;
}

/* Reads `B<n> reason` lines (scenarios/coverage-exceptions.txt). */
static void read_exceptions(const char *path, char **why) {
  FILE *f = fopen(path, "r");
  if (!f) return;
  char line[512];
  while (fgets(line, sizeof line, f)) {
    if (line[0] != 'B') continue;
    int b = atoi(line + 1);
    if (b < 1 || b > 111) continue;
    char *sp = strchr(line, ' ');
    if (!sp) continue;
    sp[strcspn(sp, "\n")] = '\0';
    free(why[b]);
    why[b] = xstrdup(sp + 1);
  }
  fclose(f);
}

static int cmd_coverage(scn_t **ss, size_t n, const char *exceptions) {
  char *why[112] = {0};
  if (exceptions) read_exceptions(exceptions, why);
  int covered = 0, excepted = 0, missing = 0;
  printf("behaviour  scenarios\n");
  for (int b = 1; b <= 111; b++) {
    printf("B%-9d", b);
    int k = 0;
    for (size_t i = 0; i < n; i++) {
      if (!ss[i] || !ss[i]->covers[b]) continue;
      printf("%s%s", k ? ", " : "", ss[i]->name);
      k++;
    }
    if (k)
      covered++;
    else if (why[b]) {
      printf("(not a scenario's: %s)", why[b]);
      excepted++;
    } else {
      printf("NOT COVERED");
      missing++;
    }
    printf("\n");
  }
  printf("\ncovered by scenarios: %d of 111; explained exceptions: %d; not covered: %d\n", covered,
         excepted, missing);
  if (missing) {
    printf("not covered:");
    for (int b = 1; b <= 111; b++) {
      bool c = false;
      for (size_t i = 0; i < n && !c; i++) c = ss[i] && ss[i]->covers[b];
      if (!c && !why[b]) printf(" B%d", b);
    }
    printf("\n");
  }
  for (int b = 0; b < 112; b++) free(why[b]);
  return missing ? 1 : 0;
}

/* ---- --outcomes (docs/explore.md §7) --------------------------------------------------- */

/* The sweep's `options` line: what must match for two outcome files to be
 * compared.  --jobs is not in it (it changes nothing); a shard is. */
static void outcome_options(const opts_t *o, char *buf, size_t len) {
  size_t n = (size_t)snprintf(buf, len, "outcome=%s ", o->outcome_order ? "order" : "history");
  if (o->strategy == STRAT_DFS)
    n += (size_t)snprintf(buf + n, len - n, "seeds=- strategy=dfs:%u max-runs=%" PRIu64, o->bound,
                          o->max_runs);
  else
    n += (size_t)snprintf(buf + n, len - n, "seeds=%" PRIu64 "..%" PRIu64 " strategy=", o->seed,
                          o->seed + o->seeds - 1);
  if (o->strategy == STRAT_PCT)
    n += (size_t)snprintf(buf + n, len - n, "pct:%u", o->depth);
  else if (o->strategy == STRAT_RANDOM)
    n += (size_t)snprintf(buf + n, len - n, "random");
  n += (size_t)snprintf(buf + n, len - n,
                        " timing=%s personality=%s faults=", o->fixed_timing ? "fixed" : "vary",
                        o->personality < 0 ? "default"
                        : o->personality   ? "wine8"
                                           : "windows");
  if (o->n_faults == 0) {
    n += (size_t)snprintf(buf + n, len - n, "none");
  } else {
    uint64_t h = SCN_OC_FNV_INIT;
    for (size_t k = 0; k < o->n_faults; k++)
      h = scn_oc_fnv(scn_oc_fnv(h, o->faults[k], strlen(o->faults[k])), "\n", 1);
    n += (size_t)snprintf(buf + n, len - n, "%zu:%016" PRIx64, o->n_faults, h);
  }
  if (o->shard_n > 1 && n < len) snprintf(buf + n, len - n, " shard=%u/%u", o->shard_i, o->shard_n);
}

/* The sweep as a command line, for the file's `# command:` comment: the
 * options that shape the sets, not --jobs; the file itself as FILE so the
 * comment of a shard merge (which drops --shard) equals one sweep's. */
static char *outcome_command(const opts_t *o) {
  size_t cap = 256, n = 0;
  for (size_t k = 0; k < o->n_path_args; k++) cap += strlen(o->path_args[k]) + 1;
  for (size_t k = 0; k < o->n_faults; k++) cap += strlen(o->faults[k]) + 12;
  char *c = xcalloc(cap, 1);
  n += (size_t)snprintf(c + n, cap - n, "iocpsim run");
  for (size_t k = 0; k < o->n_path_args; k++)
    n += (size_t)snprintf(c + n, cap - n, " %s", o->path_args[k]);
  if (o->seed) n += (size_t)snprintf(c + n, cap - n, " --seed %" PRIu64, o->seed);
  if (o->strategy != STRAT_DFS)
    n += (size_t)snprintf(c + n, cap - n, " --seeds %" PRIu64, o->seeds);
  if (o->strategy == STRAT_PCT)
    n += (size_t)snprintf(c + n, cap - n, " --strategy pct:%u", o->depth);
  if (o->strategy == STRAT_DFS)
    n += (size_t)snprintf(c + n, cap - n, " --strategy dfs:%u --max-runs %" PRIu64, o->bound,
                          o->max_runs);
  if (o->fixed_timing) n += (size_t)snprintf(c + n, cap - n, " --timing fixed");
  if (o->personality >= 0)
    n +=
        (size_t)snprintf(c + n, cap - n, " --personality %s", o->personality ? "wine8" : "windows");
  for (size_t k = 0; k < o->n_faults; k++)
    n += (size_t)snprintf(c + n, cap - n, " --fault '%s'", o->faults[k]);
  if (o->shard_n > 1)
    n += (size_t)snprintf(c + n, cap - n, " --shard %u/%u", o->shard_i, o->shard_n);
  snprintf(c + n, cap - n, " --outcomes FILE%s", o->outcome_order ? " --outcome-kind order" : "");
  return c;
}

/* The outcome sets of one sweep; of[i] is scenario i's entry (NULL for
 * a file that did not parse; two arguments naming one file share one). */
typedef struct oc_sweep {
  scn_oc_file_t f;
  scn_oc_scn_t **of;
} oc_sweep_t;

static bool oc_begin(oc_sweep_t *w, scn_t **ss, size_t nf) {
  memset(w, 0, sizeof *w);
  w->of = xcalloc(nf + 1, sizeof *w->of);
  for (size_t i = 0; i < nf; i++) {
    if (!ss[i]) continue;
    uint64_t text;
    if (!scn_oc_text_hash(ss[i]->path, &text)) {
      fprintf(stderr, "iocpsim: --outcomes: %s: %s\n", ss[i]->path, strerror(errno));
      return false;
    }
    scn_oc_scenario(&w->f, ss[i]->path, text);
  }
  /* every entry exists now, so the array no longer moves */
  for (size_t i = 0; i < nf; i++)
    if (ss[i]) w->of[i] = scn_oc_scenario(&w->f, ss[i]->path, 0);
  return true;
}

/* Writes the file; returns the new worst exit status. */
static int oc_finish(oc_sweep_t *w, const opts_t *o, int worst) {
  char opt[256], err[512];
  outcome_options(o, opt, sizeof opt);
  w->f.options = xstrdup(opt);
  w->f.command = outcome_command(o);
  size_t total = 0;
  for (size_t i = 0; i < w->f.n; i++) total += w->f.s[i].n;
  if (!scn_oc_write(&w->f, o->outcomes, err, sizeof err)) {
    fprintf(stderr, "iocpsim: --outcomes: %s\n", err);
    if (scn_exit_severity(EXIT_USAGE) > scn_exit_severity(worst)) worst = EXIT_USAGE;
  } else {
    printf("outcomes: %zu scenarios, %zu distinct outcomes, written to %s\n", w->f.n, total,
           o->outcomes);
  }
  scn_oc_free(&w->f);
  free(w->of);
  return worst;
}

typedef struct file_stats {
  size_t runs, passed, failed;
  double secs;
  int worst;
  bool printed;
  uint64_t first_fail_seed;
  char *first_msg;
} file_stats_t;

static int cmd_run(scn_t **ss, size_t nf, const opts_t *o, int worst) {
  /* tasks, then the shard's slice */
  size_t total = 0;
  for (size_t i = 0; i < nf; i++)
    if (ss[i]) total += o->seeds;
  task_t *tasks = xcalloc(total + 1, sizeof *tasks);
  size_t nt = 0, k = 0;
  for (size_t i = 0; i < nf; i++) {
    if (!ss[i]) continue;
    for (uint64_t j = 0; j < o->seeds; j++, k++)
      if (k % o->shard_n == o->shard_i - 1) tasks[nt++] = (task_t){i, o->seed + j};
  }
  outcome_t *res = xcalloc(nt + 1, sizeof *res);
  file_stats_t *fs = xcalloc(nf + 1, sizeof *fs);
  oc_sweep_t ocs;
  if (o->outcomes && !oc_begin(&ocs, ss, nf)) {
    free(tasks);
    free(res);
    free(fs);
    return EXIT_USAGE;
  }
  double t0 = wall();
  progress_on = isatty(2) && !o->hashes && nt > 1;
  size_t done = 0, failed = 0;
  bool stop = false;
  unsigned jobs = o->jobs;
  if (jobs > nt) jobs = (unsigned)(nt ? nt : 1);

  /* per-task completion: bookkeeping and immediate failure reports */
  size_t next_print = 0;
  bool *have = xcalloc(nt + 1, sizeof *have);
#define FINISH(idx)                                                                         \
  do {                                                                                      \
    have[idx] = true;                                                                       \
    done++;                                                                                 \
    if (res[idx].exit_code != 0) failed++;                                                  \
    while (next_print < nt && have[next_print]) {                                           \
      task_t *t_ = &tasks[next_print];                                                      \
      outcome_t *r_ = &res[next_print];                                                     \
      file_stats_t *f_ = &fs[t_->file];                                                     \
      f_->runs++;                                                                           \
      f_->secs += r_->secs;                                                                 \
      if (o->hashes)                                                                        \
        printf("%s %" PRIu64 " %016" PRIx64 "\n", ss[t_->file]->path, t_->seed, r_->hash);  \
      if (r_->exit_code == 0) {                                                             \
        f_->passed++;                                                                       \
      } else {                                                                              \
        f_->failed++;                                                                       \
        if (scn_exit_severity(r_->exit_code) > scn_exit_severity(f_->worst))                \
          f_->worst = r_->exit_code;                                                        \
        if (!f_->printed) {                                                                 \
          if (progress_on) fputs("\r\033[K", stderr);                                       \
          scn_token_t tk_ = {                                                               \
              .path = ss[t_->file]->path, .personality = o->personality, .seed = t_->seed}; \
          print_failure(ss[t_->file], &tk_, o, r_);                                         \
          if (o->shrink) shrink_one(ss[t_->file], &tk_, o);                                 \
          f_->printed = true;                                                               \
          f_->first_fail_seed = t_->seed;                                                   \
          f_->first_msg = r_->message ? xstrdup(r_->message) : xstrdup(r_->status);         \
        }                                                                                   \
      }                                                                                     \
      free(r_->timeline);                                                                   \
      r_->timeline = NULL;                                                                  \
      free(r_->report);                                                                     \
      r_->report = NULL;                                                                    \
      next_print++;                                                                         \
    }                                                                                       \
    fflush(stdout);                                                                         \
    progress(done, nt, failed, t0);                                                         \
  } while (0)

  if (jobs <= 1) {
    for (size_t i = 0; i < nt && !stop; i++) {
      play(ss[tasks[i].file], tasks[i].seed, o, &res[i]);
      FINISH(i);
      if (o->fail_fast && res[i].exit_code != 0) stop = true;
    }
  } else {
    fflush(stdout);
    fflush(stderr);
    pid_t *pids = xcalloc(jobs, sizeof *pids);
    FILE **in = xcalloc(jobs, sizeof *in);
    for (unsigned w = 0; w < jobs; w++) {
      int fd[2];
      if (pipe(fd) != 0) usage_error("pipe: %s", strerror(errno));
      pid_t pid = fork();
      if (pid < 0) usage_error("fork: %s", strerror(errno));
      if (pid == 0) {
        close(fd[0]);
        FILE *out = fdopen(fd[1], "wb");
        for (size_t i = w; i < nt; i += jobs) {
          outcome_t oc;
          memset(&oc, 0, sizeof oc);
          play(ss[tasks[i].file], tasks[i].seed, o, &oc);
          uint64_t idx = i;
          fwrite(&idx, sizeof idx, 1, out);
          fwrite(&oc.exit_code, sizeof oc.exit_code, 1, out);
          fwrite(&oc.hash, sizeof oc.hash, 1, out);
          fwrite(&oc.outcome, sizeof oc.outcome, 1, out);
          fwrite(&oc.secs, sizeof oc.secs, 1, out);
          put_str(out, oc.status);
          put_str(out, oc.message);
          put_str(out, oc.timeline);
          put_str(out, oc.report);
          fflush(out);
          outcome_free(&oc);
        }
        fclose(out);
        _exit(0);
      }
      close(fd[1]);
      pids[w] = pid;
      in[w] = fdopen(fd[0], "rb");
    }
    /* round robin over the workers: worker w produces tasks w, w+jobs, ... in order */
    size_t got = 0;
    for (size_t i = 0; i < nt && !stop; i++) {
      unsigned w = (unsigned)(i % jobs);
      uint64_t idx;
      outcome_t oc;
      memset(&oc, 0, sizeof oc);
      if (fread(&idx, sizeof idx, 1, in[w]) != 1 || idx != i ||
          fread(&oc.exit_code, sizeof oc.exit_code, 1, in[w]) != 1 ||
          fread(&oc.hash, sizeof oc.hash, 1, in[w]) != 1 ||
          fread(&oc.outcome, sizeof oc.outcome, 1, in[w]) != 1 ||
          fread(&oc.secs, sizeof oc.secs, 1, in[w]) != 1) {
        /* the worker died: its runs count as crashes */
        res[i].exit_code = 3;
        res[i].status = xstrdup("crash");
        res[i].message =
            xstrdup("the worker process running this task died (see its output above)");
        res[i].outcome = scn_oc_outcome("worker died", "");
        FINISH(i);
        continue;
      }
      oc.status = get_str(in[w]);
      oc.message = get_str(in[w]);
      oc.timeline = get_str(in[w]);
      oc.report = get_str(in[w]);
      if (oc.message && !*oc.message) free(oc.message), oc.message = NULL;
      if (oc.timeline && !*oc.timeline) free(oc.timeline), oc.timeline = NULL;
      if (oc.report && !*oc.report) free(oc.report), oc.report = NULL;
      res[i] = oc;
      got++;
      FINISH(i);
      if (o->fail_fast && res[i].exit_code != 0) stop = true;
    }
    for (unsigned w = 0; w < jobs; w++) {
      if (stop) kill(pids[w], SIGTERM);
      fclose(in[w]);
      int status;
      waitpid(pids[w], &status, 0);
    }
    free(pids);
    free(in);
  }
#undef FINISH
  double secs = wall() - t0;

  /* summary */
  size_t runs = 0, passed = 0, nscn = 0, nfailed_scn = 0;
  for (size_t i = 0; i < nf; i++) {
    if (!ss[i] || fs[i].runs == 0) continue;
    nscn++;
    runs += fs[i].runs;
    passed += fs[i].passed;
    if (fs[i].failed) nfailed_scn++;
    if (scn_exit_severity(fs[i].worst) > scn_exit_severity(worst)) worst = fs[i].worst;
  }
  if (!o->quiet || worst != 0) {
    printf("\n%-52s %7s %7s %7s %8s\n", "scenario", "seeds", "passed", "failed", "time");
    for (size_t i = 0; i < nf; i++) {
      if (!ss[i] || fs[i].runs == 0) continue;
      if (o->quiet && fs[i].failed == 0) continue;
      const char *p = ss[i]->path;
      size_t pl = strlen(p);
      printf("%-52s %7zu %7zu %7zu %7.2fs%s\n", pl > 52 ? p + pl - 52 : p, fs[i].runs, fs[i].passed,
             fs[i].failed, fs[i].secs, fs[i].failed ? "  FAIL" : "");
    }
  }
  printf("%zu scenarios, %zu runs (%" PRIu64 " seed%s each from %" PRIu64
         "%s): %zu passed, %zu failed, %.2fs\n",
         nscn, runs, o->seeds, o->seeds == 1 ? "" : "s", o->seed,
         o->shard_n > 1 ? ", this shard" : "", passed, runs - passed, secs);
  if (nfailed_scn) printf("%zu scenario%s failed\n", nfailed_scn, nfailed_scn == 1 ? "" : "s");

  if (o->junit) {
    FILE *j = fopen(o->junit, "w");
    if (!j) {
      fprintf(stderr, "iocpsim: %s: %s\n", o->junit, strerror(errno));
      if (scn_exit_severity(EXIT_USAGE) > scn_exit_severity(worst)) worst = EXIT_USAGE;
    } else {
      fprintf(j, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
      fprintf(j, "<testsuites name=\"iocpsim\" tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n",
              nscn, nfailed_scn, secs);
      fprintf(j, "  <testsuite name=\"scenarios\" tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n",
              nscn, nfailed_scn, secs);
      for (size_t i = 0; i < nf; i++) {
        if (!ss[i] || fs[i].runs == 0) continue;
        fprintf(j, "    <testcase classname=\"");
        scn_xml_escape(j, ss[i]->path);
        fprintf(j, "\" name=\"");
        scn_xml_escape(j, ss[i]->name);
        fprintf(j, "\" time=\"%.3f\">\n", fs[i].secs);
        fprintf(j,
                "      <properties><property name=\"seeds\" value=\"%zu\"/><property "
                "name=\"passed\" value=\"%zu\"/>"
                "</properties>\n",
                fs[i].runs, fs[i].passed);
        if (fs[i].failed) {
          fprintf(j,
                  "      <failure message=\"%zu of %zu seeds failed; first: seed %" PRIu64
                  "\" type=\"exit %d\">",
                  fs[i].failed, fs[i].runs, fs[i].first_fail_seed, fs[i].worst);
          fprintf(j, "replay: iocpsim run ");
          scn_xml_escape(j, ss[i]->path);
          fprintf(j, " --seed %" PRIu64 "\n", fs[i].first_fail_seed);
          scn_xml_escape(j, fs[i].first_msg);
          fprintf(j, "</failure>\n");
        }
        fprintf(j, "    </testcase>\n");
      }
      fprintf(j, "  </testsuite>\n</testsuites>\n");
      fclose(j);
    }
  }
  if (o->outcomes) {
    for (size_t i = 0; i < nt; i++)
      if (have[i]) scn_oc_add(ocs.of[tasks[i].file], res[i].outcome, tasks[i].seed);
    worst = oc_finish(&ocs, o, worst);
  }
  for (size_t i = 0; i < nt; i++) outcome_free(&res[i]);
  for (size_t i = 0; i < nf; i++) free(fs[i].first_msg);
  free(res);
  free(fs);
  free(tasks);
  free(have);
  return worst;
}

/* One failing run of an exploration: the worst exit status so far, and the
 * full report (and a shrink) for the scenario's first failure only. */
static void note_failure(const scn_t *s, const scn_token_t *tk, const opts_t *o,
                         const scn_run_result_t *r, int *worst, bool *printed) {
  if (scn_exit_severity(r->exit_code) > scn_exit_severity(*worst)) *worst = r->exit_code;
  if (*printed) return;
  outcome_t oc = {.exit_code = r->exit_code,
                  .status = (char *)r->status,
                  .message = r->message,
                  .timeline = r->timeline,
                  .report = r->report};
  print_failure(s, tk, o, &oc);
  if (o->shrink) shrink_one(s, tk, o);
  *printed = true;
}

/* --strategy pct:D and dfs:B: one scenario after another, one process. */
static int cmd_explore(scn_t **ss, size_t nf, const opts_t *o, int worst) {
  double t0 = wall();
  size_t total_runs = 0, total_failed = 0, nscn = 0;
  oc_sweep_t ocs;
  if (o->outcomes && !oc_begin(&ocs, ss, nf)) return EXIT_USAGE;
  printf("%-52s %9s %7s  %s\n", "scenario", "runs", "failed",
         o->strategy == STRAT_PCT ? "PCT bound per run" : "space");
  for (size_t i = 0; i < nf; i++) {
    if (!ss[i]) continue;
    nscn++;
    scn_t *s = ss[i];
    size_t runs = 0, failed = 0;
    bool printed = false;
    char note[160] = "";
    scn_run_opts_t ro;
    memset(&ro, 0, sizeof ro);
    ro.personality = o->personality;
    ro.timeline = o->timeline;
    ro.fixed_timing = o->fixed_timing;
    if (o->strategy == STRAT_PCT) {
      /* calibrate k, the decisions of a run, with a depth-1 (no change point) run */
      sim_pct_t *cal = sim_pct_new(o->seed, 1, 1);
      ro.strategy = sim_pct_strategy(cal);
      scn_run_result_t r;
      scn_run(s, &ro, &r);
      uint64_t k = sim_pct_decisions(cal);
      scn_run_result_free(&r);
      sim_pct_free(cal);
      if (k < 1) k = 1;
      uint32_t fibers = 1;
      for (uint64_t j = 0; j < o->seeds; j++) {
        sim_pct_t *p = sim_pct_new(o->seed + j, o->depth, k);
        ro.strategy = sim_pct_strategy(p);
        ro.seed = o->seed + j;
        scn_run(s, &ro, &r);
        runs++;
        if (o->outcomes) {
          ocs.of[i]->pct_k = k;
          scn_oc_add(ocs.of[i], scn_oc_outcome(r.status, o->outcome_order ? r.order : r.history),
                     o->seed + j);
        }
        if (sim_pct_fibers(p) > fibers) fibers = sim_pct_fibers(p);
        if (r.exit_code != 0) {
          failed++;
          scn_token_t tk = {.path = s->path,
                            .personality = o->personality,
                            .kind = SCN_TOK_PCT,
                            .seed = o->seed + j,
                            .depth = o->depth,
                            .k = k};
          note_failure(s, &tk, o, &r, &worst, &printed);
        }
        scn_run_result_free(&r);
        sim_pct_free(p);
        if (o->fail_fast && failed) break;
      }
      double bound = 1.0 / ((double)fibers * pow_u((double)k, o->depth - 1));
      snprintf(note, sizeof note, ">= 1/(n*k^(d-1)) = %.3g  (n=%u fibers, k=%llu decisions, d=%u)",
               bound, fibers, (unsigned long long)k, o->depth);
    } else {
      sim_dfs_t *d = sim_dfs_new(o->bound);
      uint32_t *pref = malloc(1 << 20);
      for (;;) {
        ro.strategy = sim_dfs_strategy(d);
        scn_run_result_t r;
        scn_run(s, &ro, &r);
        runs++;
        if (o->outcomes)
          scn_oc_add(ocs.of[i], scn_oc_outcome(r.status, o->outcome_order ? r.order : r.history),
                     runs - 1);
        if (r.exit_code != 0) {
          failed++;
          size_t np = sim_dfs_choices(d, pref, (1 << 20) / sizeof *pref);
          scn_token_t tk = {.path = s->path,
                            .personality = o->personality,
                            .kind = SCN_TOK_CHOICES,
                            .choices = pref,
                            .n_choices = np};
          note_failure(s, &tk, o, &r, &worst, &printed);
        }
        scn_run_result_free(&r);
        if (o->fail_fast && failed) break;
        if (!sim_dfs_next(d)) break;
        if (runs >= o->max_runs) break;
      }
      snprintf(note, sizeof note, "dfs:%u %s after %llu schedules", o->bound,
               sim_dfs_exhausted(d) ? "exhausted" : "NOT exhausted (--max-runs)",
               (unsigned long long)sim_dfs_runs(d));
      free(pref);
      sim_dfs_free(d);
    }
    const char *p = s->path;
    size_t pl = strlen(p);
    printf("%-52s %9zu %7zu  %s\n", pl > 52 ? p + pl - 52 : p, runs, failed, note);
    fflush(stdout);
    total_runs += runs;
    total_failed += failed;
  }
  printf("%zu scenarios, %zu runs (%s): %zu passed, %zu failed, %.2fs\n", nscn, total_runs,
         o->strategy == STRAT_PCT ? "pct" : "dfs", total_runs - total_failed, total_failed,
         wall() - t0);
  if (o->outcomes) worst = oc_finish(&ocs, o, worst);
  return worst;
}

/* --fail-nth: for each fault site a scenario reaches and each call of it,
 * one run per outcome class Windows allows there, with exactly that fault;
 * sites that only the faulted runs reach join the list, until no run
 * reaches a new (site, call).  Every run whose results fall outside what
 * the scenario allows is reported. */
#define NTH_CAP 16
static int cmd_fail_nth(scn_t **ss, size_t nf, const opts_t *o, int worst) {
  double t0 = wall();
  size_t all_runs = 0, all_failed = 0;
  for (size_t i = 0; i < nf; i++) {
    if (!ss[i]) continue;
    scn_t *s = ss[i];
    const char *rules[34];
    for (size_t k = 0; k < o->n_faults; k++) rules[k] = o->faults[k];
    scn_run_opts_t ro;
    memset(&ro, 0, sizeof ro);
    ro.seed = o->seed;
    ro.personality = o->personality;
    ro.timeline = o->timeline;
    ro.count_sites = true;
    ro.fixed_timing = o->fixed_timing;
    ro.extra_rules = rules;
    ro.n_extra_rules = o->n_faults;
    scn_run_result_t r;
    scn_run(s, &ro, &r);
    bool queued[SCN_SITES][NTH_CAP + 1];
    memset(queued, 0, sizeof queued);
    int work_site[SCN_SITES * NTH_CAP];
    int work_nth[SCN_SITES * NTH_CAP];
    size_t nw = 0, wi = 0;
    for (int site = 1; site < SCN_SITES; site++)
      for (uint32_t k = 1; k <= r.site_calls[site] && k <= NTH_CAP; k++) {
        queued[site][k] = true;
        work_site[nw] = site;
        work_nth[nw++] = (int)k;
      }
    bool base_failed = r.exit_code != 0;
    scn_run_result_free(&r);
    printf("%s: %zu call sites reached (first %d calls of each site)%s\n", s->path, nw, NTH_CAP,
           base_failed ? "; the unfaulted run already fails" : "");
    size_t runs = 0, failed = 0, sites_done = 0;
    bool printed = false;
    while (wi < nw && runs < o->max_runs) {
      int site = work_site[wi], nth = work_nth[wi++];
      char classes[8][96];
      size_t nc = scn_site_outcomes(site, classes, 8);
      sites_done++;
      for (size_t c = 0; c < nc && runs < o->max_runs; c++) {
        char rule[300];
        snprintf(rule, sizeof rule, "%.64s nth=%d -> %.96s", scn_site_name(site), nth, classes[c]);
        rules[o->n_faults] = rule;
        ro.n_extra_rules = o->n_faults + 1;
        scn_run(s, &ro, &r);
        runs++;
        for (int st = 1; st < SCN_SITES; st++)
          for (uint32_t k = 1; k <= r.site_calls[st] && k <= NTH_CAP; k++)
            if (!queued[st][k]) {
              queued[st][k] = true;
              work_site[nw] = st;
              work_nth[nw++] = (int)k;
            }
        if (r.exit_code != 0) {
          failed++;
          if (scn_exit_severity(r.exit_code) > scn_exit_severity(worst)) worst = r.exit_code;
          const char *m = r.message ? r.message : r.status;
          const char *nl = strchr(m, '\n');
          int ml = nl ? (int)(nl - m) : (int)strlen(m);
          if (!printed) {
            scn_token_t tk = {.path = s->path, .personality = o->personality, .seed = o->seed};
            outcome_t oc = {.exit_code = r.exit_code,
                            .status = (char *)r.status,
                            .message = r.message,
                            .timeline = r.timeline,
                            .report = r.report};
            print_failure(s, &tk, o, &oc);
            printf("  with the fault: iocpsim run %s --seed %" PRIu64 " --fault '%s'\n", s->path,
                   o->seed, rule);
            printed = true;
          }
          printf("  outside the allowed results: --fault '%s': exit %d: %.*s\n", rule, r.exit_code,
                 ml, m);
        }
        scn_run_result_free(&r);
      }
    }
    printf("  %zu call sites, %zu runs, %zu outside the allowed results%s\n", sites_done, runs,
           failed, wi < nw ? " (stopped at --max-runs)" : "; no run reached a new site");
    all_runs += runs;
    all_failed += failed;
    fflush(stdout);
  }
  printf("fail-nth: %zu runs, %zu outside the allowed results, %.2fs\n", all_runs, all_failed,
         wall() - t0);
  return worst;
}

static int cmd_replay(const char *text, const opts_t *o) {
  scn_token_t t;
  char err[256];
  if (!scn_token_parse(text, &t, err, sizeof err)) usage_error("replay: %s", err);
  scn_error_t perr;
  scn_t *s = scn_parse_file(t.path, &perr);
  if (!s) {
    if (perr.line)
      fprintf(stderr, "%s:%u:%u: error: %s\n", t.path, perr.line, perr.col, perr.msg);
    else
      fprintf(stderr, "%s: error: %s\n", t.path, perr.msg);
    scn_token_free(&t);
    return EXIT_USAGE;
  }
  scn_run_opts_t ro;
  memset(&ro, 0, sizeof ro);
  scn_token_strategy_t *ts = scn_token_strategy(&t, &ro);
  if (o->personality >= 0) ro.personality = o->personality;
  char pbuf[4096];
  ro.trace_path = perfetto_trace_path(o, pbuf, sizeof pbuf);
  ro.timeline = o->timeline;
  ro.extra_rules = o->faults;
  ro.n_extra_rules = o->n_faults;
  ro.fixed_timing = o->fixed_timing;
  scn_run_result_t r;
  scn_run(s, &ro, &r);
  perfetto_convert(s, o, ro.trace_path, &r, "replay");
  int rc = r.exit_code;
  if (rc == 0) {
    printf("PASS %s (replayed: %llu decisions, trace %016llx)\n", s->path,
           (unsigned long long)r.n_decisions, (unsigned long long)r.trace_hash);
  } else {
    outcome_t oc = {.exit_code = r.exit_code,
                    .status = (char *)r.status,
                    .message = r.message,
                    .timeline = r.timeline,
                    .report = r.report};
    print_failure(s, &t, o, &oc);
  }
  scn_run_result_free(&r);
  scn_token_strategy_free(ts);
  scn_free(s);
  scn_token_free(&t);
  return rc;
}

static int cmd_rewrite(scn_t **ss, size_t nf, const opts_t *o, int worst) {
  for (size_t i = 0; i < nf; i++) {
    if (!ss[i]) continue;
    scn_run_opts_t ro;
    memset(&ro, 0, sizeof ro);
    ro.seed = o->seed;
    ro.personality = o->personality;
    ro.skip_history = true;
    ro.timeline = o->timeline;
    ro.fixed_timing = o->fixed_timing;
    scn_run_result_t r;
    scn_run(ss[i], &ro, &r);
    if (r.exit_code != 0) {
      outcome_t oc = {.exit_code = r.exit_code,
                      .status = (char *)r.status,
                      .message = r.message,
                      .timeline = r.timeline,
                      .report = r.report};
      scn_token_t tk = {.path = ss[i]->path, .personality = o->personality, .seed = o->seed};
      print_failure(ss[i], &tk, o, &oc);
      printf("  (history not rewritten: the run failed)\n");
      if (scn_exit_severity(r.exit_code) > scn_exit_severity(worst)) worst = r.exit_code;
    } else if (rewrite_history(ss[i], r.history)) {
      printf("rewrote the history of %s (seed %" PRIu64 ")\n", ss[i]->path, o->seed);
    } else {
      if (scn_exit_severity(1) > scn_exit_severity(worst)) worst = 1;
    }
    scn_run_result_free(&r);
  }
  return worst;
}

/* report: the HTML report and/or the Perfetto file of the runs named
 * (sim/runner/scn_report.c). */
static int cmd_report(paths_t *ps, const opts_t *o) {
  if (!o->output && !o->perfetto)
    usage_error("report: name the output, -o REPORT.html (and/or --perfetto FILE)");
  if (!o->token && ps->n == 0) usage_error("report: no scenario files given (or --token TOKEN)");
  if (o->token && ps->n > 0) usage_error("report: --token names its own scenario; drop the files");
  if (o->strategy == STRAT_DFS)
    usage_error("report: --strategy takes random or pct:D (a DFS failure replays with --token)");
  int worst = 0;
  size_t n_ok = 0;
  scn_t **ss = parse_all(ps, &worst, &n_ok);
  if (!o->token && n_ok == 0) {
    free(ss);
    return worst;
  }
  scn_report_opts_t ro = {.seed = o->seed,
                          .seeds = o->seeds,
                          .personality = o->personality,
                          .fixed_timing = o->fixed_timing,
                          .faults = o->faults,
                          .n_faults = o->n_faults,
                          .token = o->token,
                          .html = o->output,
                          .perfetto = o->perfetto,
                          .max_detail = o->max_detail,
                          .pct_depth = o->strategy == STRAT_PCT ? o->depth : 0};
  int rc = scn_report(ss, ps->n, &ro);
  for (size_t i = 0; i < ps->n; i++) scn_free(ss[i]);
  free(ss);
  return scn_exit_severity(worst) > scn_exit_severity(rc) ? worst : rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_text, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    fputs(usage_text, stdout);
    return 0;
  }
  if (strcmp(cmd, "from-fuzz") == 0)
    return scn_fuzz_from_fuzz_cmd(argc - 2, argv + 2); /* scn_fuzz.c */
  if (strcmp(cmd, "outcomes-check") == 0)
    return scn_oc_check_cmd(argc - 2, argv + 2); /* scn_outcomes.c */
  if (strcmp(cmd, "outcomes-merge") == 0) return scn_oc_merge_cmd(argc - 2, argv + 2);
  bool is_run = strcmp(cmd, "run") == 0, is_list = strcmp(cmd, "list") == 0,
       is_cov = strcmp(cmd, "coverage") == 0, is_check = strcmp(cmd, "check") == 0,
       is_replay = strcmp(cmd, "replay") == 0, is_report = strcmp(cmd, "report") == 0;
  if (!is_run && !is_list && !is_cov && !is_check && !is_replay && !is_report)
    usage_error("unknown command '%s'", cmd);
  opts_t o = {.seeds = 1,
              .personality = -1,
              .jobs = 1,
              .shard_i = 1,
              .shard_n = 1,
              .timeline = 24,
              .max_runs = 100000,
              .shrink_secs = 60};
  const char *token = NULL;
  const char *exceptions = NULL;
  paths_t ps = {0};
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage_text, stdout);
      return 0;
    } else if (strcmp(a, "--seed") == 0)
      o.seed = num_arg(a, v, 0, UINT64_MAX - 1000000000ull), i++;
    else if (strcmp(a, "--seeds") == 0)
      o.seeds = num_arg(a, v, 1, 100000000), i++;
    else if (strcmp(a, "--jobs") == 0)
      o.jobs = (unsigned)num_arg(a, v, 1, 256), i++;
    else if (strcmp(a, "--timeline") == 0)
      o.timeline = (unsigned)num_arg(a, v, 1, 100000), i++;
    else if (strcmp(a, "--max-runs") == 0)
      o.max_runs = num_arg(a, v, 1, 1000000000), i++;
    else if (strcmp(a, "--shrink-time") == 0)
      o.shrink_secs = (double)num_arg(a, v, 1, 86400), i++;
    else if (strcmp(a, "--shrink") == 0)
      o.shrink = true;
    else if (strcmp(a, "--fail-nth") == 0)
      o.fail_nth = true;
    else if (strcmp(a, "--timing") == 0) {
      if (!v || (strcmp(v, "fixed") && strcmp(v, "vary")))
        usage_error("--timing takes fixed or vary");
      o.fixed_timing = strcmp(v, "fixed") == 0;
      i++;
    } else if (strcmp(a, "--backend") == 0) {
      /* the real API is the mingw build's iocpsim.exe (docs/scenarios.md §14) */
      if (!v || (strcmp(v, "fake") && strcmp(v, "real")))
        usage_error("--backend takes fake or real");
      if (strcmp(v, "real") == 0)
        usage_error(
            "--backend real: this is the native build (the simulated world); the real API is "
            "played by the "
            "mingw build's iocpsim.exe under Wine (docs/scenarios.md §14)");
      i++;
    } else if (strcmp(a, "--fault") == 0) {
      if (!v) usage_error("--fault needs a rule (docs/fakewin-io.md §6.1)");
      if (o.n_faults == sizeof o.faults / sizeof o.faults[0])
        usage_error("at most 32 --fault rules");
      o.faults[o.n_faults++] = v;
      i++;
    } else if (strcmp(a, "--strategy") == 0) {
      if (!v) usage_error("--strategy needs random, pct:D or dfs:B");
      unsigned x;
      char extra;
      if (strcmp(v, "random") == 0)
        o.strategy = STRAT_RANDOM;
      else if (sscanf(v, "pct:%u%c", &x, &extra) == 1 && x >= 1 && x <= 16)
        o.strategy = STRAT_PCT, o.depth = x;
      else if (sscanf(v, "dfs:%u%c", &x, &extra) == 1 && x <= 64)
        o.strategy = STRAT_DFS, o.bound = x;
      else
        usage_error(
            "--strategy takes random, pct:D (1 <= D <= 16) or dfs:B (0 <= B <= 64), found '%s'", v);
      i++;
    } else if (strcmp(a, "--personality") == 0) {
      if (!v || (strcmp(v, "windows") && strcmp(v, "wine8")))
        usage_error("--personality takes windows or wine8");
      o.personality = strcmp(v, "wine8") == 0;
      i++;
    } else if (strcmp(a, "--trace") == 0) {
      if (!v) usage_error("--trace needs a file");
      o.trace = v;
      i++;
    } else if (strcmp(a, "--perfetto") == 0) {
      if (!v) usage_error("--perfetto needs a file");
      o.perfetto = v;
      i++;
    } else if (is_report && (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)) {
      if (!v) usage_error("report: -o needs a file");
      o.output = v;
      i++;
    } else if (is_report && strcmp(a, "--token") == 0) {
      if (!v) usage_error("report: --token needs a replay token");
      o.token = v;
      i++;
    } else if (is_report && strcmp(a, "--max-detail") == 0) {
      o.max_detail = (unsigned)num_arg(a, v, 1, 100000);
      i++;
    } else if (strcmp(a, "--junit") == 0) {
      if (!v) usage_error("--junit needs a file");
      o.junit = v;
      i++;
    } else if (is_run && strcmp(a, "--outcomes") == 0) {
      if (!v) usage_error("--outcomes needs a file");
      o.outcomes = v;
      i++;
    } else if (is_run && strcmp(a, "--outcome-kind") == 0) {
      if (!v || (strcmp(v, "history") && strcmp(v, "order")))
        usage_error("--outcome-kind takes history or order");
      o.outcome_order = strcmp(v, "order") == 0;
      i++;
    } else if (strcmp(a, "--exceptions") == 0) {
      if (!v) usage_error("--exceptions needs a file");
      exceptions = v;
      i++;
    } else if (strcmp(a, "--shard") == 0) {
      unsigned si, sn;
      char extra;
      if (!v || sscanf(v, "%u/%u%c", &si, &sn, &extra) != 2 || sn < 1 || si < 1 || si > sn)
        usage_error("--shard takes I/N with 1 <= I <= N (e.g. 2/4), found '%s'", v ? v : "");
      o.shard_i = si;
      o.shard_n = sn;
      i++;
    } else if (strcmp(a, "--rewrite") == 0)
      o.rewrite = true;
    else if (strcmp(a, "--list") == 0)
      o.list = true;
    else if (strcmp(a, "--hashes") == 0)
      o.hashes = true;
    else if (strcmp(a, "--fail-fast") == 0)
      o.fail_fast = true;
    else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
      o.quiet = true;
    else if (a[0] == '-' && a[1])
      usage_error("unknown option '%s'", a);
    else if (is_replay) {
      if (token) usage_error("replay takes one token");
      token = a;
    } else {
      collect(&ps, a, 0);
      o.path_args = xrealloc(o.path_args, (o.n_path_args + 1) * sizeof *o.path_args);
      o.path_args[o.n_path_args++] = (char *)a;
    }
  }
  if (is_replay) {
    if (!token) usage_error("replay: no token given");
    return cmd_replay(token, &o);
  }
  if (o.perfetto && o.jobs > 1) usage_error("--perfetto writes one run's trace: drop --jobs");
  if (is_report) {
    int rc = cmd_report(&ps, &o);
    for (size_t i = 0; i < ps.n; i++) free(ps.p[i]);
    free(ps.p);
    free(o.path_args);
    return rc;
  }
  if (ps.n == 0) usage_error("%s: no scenario files given", cmd);
  if (o.rewrite && (o.jobs > 1 || o.shard_n > 1))
    usage_error("--rewrite plays one seed per file: drop --jobs and --shard");
  if (o.outcomes && (o.rewrite || o.fail_nth || o.fail_fast || o.list))
    usage_error(
        "--outcomes records a whole sweep: drop --rewrite, --fail-nth, --fail-fast, --list");
  int worst = 0;
  size_t n_ok;
  scn_t **ss = parse_all(&ps, &worst, &n_ok);
  fflush(stderr);
  int rc;
  if (is_check) {
    printf("%zu of %zu files parse\n", n_ok, ps.n);
    rc = worst;
  } else if (is_list || o.list) {
    rc = cmd_list(ss, ps.n);
    if (scn_exit_severity(worst) > scn_exit_severity(rc)) rc = worst;
  } else if (is_cov) {
    rc = cmd_coverage(ss, ps.n, exceptions);
    if (worst) rc = worst;
  } else if (o.rewrite) {
    rc = cmd_rewrite(ss, ps.n, &o, worst);
  } else if (n_ok == 0) {
    rc = worst; /* nothing parsed: the errors above are the whole report */
  } else if (o.fail_nth) {
    if (o.jobs > 1 || o.shard_n > 1 || o.strategy != STRAT_RANDOM)
      usage_error("--fail-nth runs one seed in one process");
    rc = cmd_fail_nth(ss, ps.n, &o, worst);
  } else if (o.strategy != STRAT_RANDOM) {
    if (o.jobs > 1 || o.shard_n > 1)
      usage_error("--strategy pct/dfs runs in one process: drop --jobs and --shard");
    rc = cmd_explore(ss, ps.n, &o, worst);
  } else {
    rc = cmd_run(ss, ps.n, &o, worst);
  }
  for (size_t i = 0; i < ps.n; i++) {
    scn_free(ss[i]);
    free(ps.p[i]);
  }
  free(ss);
  free(ps.p);
  free(o.path_args);
  return rc;
}
