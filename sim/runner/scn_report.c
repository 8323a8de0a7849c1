/* scn_report.c: Perfetto export and the HTML report (scn_report.h).
 *
 * Everything is built from a run's JSONL trace (docs/trace.md), read back
 * after the run: the runner re-plays what it reports (runs are
 * deterministic), so no state of the world is kept across runs.
 *
 * The model of one run: lanes (one per fiber, named from the scenario's
 * threads through the `scn.VERB line=` marks, plus the completion port and,
 * when timed events traced anything, the world's own events) and items on
 * them: steps (invoke to return, labelled from the history), overlapped
 * requests (IoRequest to the IoCompletion with the same sequence number),
 * Win32 calls, faults, cancels, packets and deadline expiries.  Items are
 * placed on two clocks: `x`, the ordinal of the event among the events that
 * are not the runtime's own synchronisation (Interlocked, SRW locks, clock
 * reads), which the HTML timeline uses so that the many events of one
 * virtual instant stay apart; and `ts`, virtual time in nanoseconds nudged
 * forward by 1 ns per event where several share an instant, which the
 * Perfetto file uses (each event also carries its exact virtual time).
 *
 * Deadline expiries are not traced by the core (its timers call no Win32
 * function when they fire); they are derived from the scenario's
 * set_*deadline steps: a deadline that was not replaced or cleared before
 * it came due is shown at the virtual time it came due. */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include "scn_report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scn.h"
#include "scn_explore.h"
#include "scn_run.h"

/* fakewin: the name of an NTSTATUS ("STATUS_CANCELLED"), NULL if unknown */
extern const char *fw_status_name(int32_t s);

#define STATUS_CANCELLED_ 0xC0000120u

static void *xmalloc(size_t n) {
  void *p = calloc(1, n ? n : 1);
  if (!p) {
    fputs("iocpsim: out of memory\n", stderr);
    exit(3);
  }
  return p;
}
static void *xgrow(void *p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return p;
  size_t c = *cap ? *cap : 16;
  while (c < need) c *= 2;
  void *q = realloc(p, c * elem);
  if (!q) exit(3);
  memset((char *)q + *cap * elem, 0, (c - *cap) * elem);
  *cap = c;
  return q;
}
static char *xstrdup_(const char *s) {
  size_t n = strlen(s);
  char *p = xmalloc(n + 1);
  memcpy(p, s, n + 1);
  return p;
}
static char *xfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xfmt(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

/* ---- reading the JSONL trace ---------------------------------------------------------- */

#define MAX_ARGS 6

typedef struct tev {
  uint64_t i, t;
  uint32_t f;
  bool sw; /* a switch event */
  uint32_t to;
  char *call;
  int na;
  char *an[MAX_ARGS], *av[MAX_ARGS]; /* argument names and values as written (strings unquoted) */
  char *ret;
  uint32_t err;
} tev_t;

typedef struct trace {
  tev_t *ev;
  size_t n, cap;
} trace_t;

static void skip_ws(const char **p) {
  while (**p == ' ' || **p == '\t') (*p)++;
}

/* A JSON string at *p (after its quote); returns it malloc'd. */
static char *read_string(const char **p) {
  size_t cap = 32, n = 0;
  char *s = xmalloc(cap);
  while (**p && **p != '"') {
    char c = **p;
    if (c == '\\' && (*p)[1]) {
      (*p)++;
      c = **p == 'n' ? '\n' : **p == 't' ? '\t' : **p;
    }
    if (n + 2 > cap) s = realloc(s, cap *= 2);
    if (!s) exit(3);
    s[n++] = c;
    (*p)++;
  }
  if (**p == '"') (*p)++;
  s[n] = '\0';
  return s;
}

/* A scalar value: a string (unquoted) or the text of a number. */
static char *read_scalar(const char **p) {
  skip_ws(p);
  if (**p == '"') {
    (*p)++;
    return read_string(p);
  }
  const char *b = *p;
  while (**p && **p != ',' && **p != '}' && **p != ' ') (*p)++;
  char *s = xmalloc((size_t)(*p - b) + 1);
  memcpy(s, b, (size_t)(*p - b));
  return s;
}

static uint64_t vnum(const char *v) {
  if (!v) return 0;
  if (strcmp(v, "ptr") == 0) return 1;
  if (strcmp(v, "NULL") == 0) return 0;
  if (v[0] == '-') return (uint64_t)strtoll(v, NULL, 10);
  return strtoull(v, NULL, 0);
}

/* One line of the trace; false when it is not an event line. */
static bool parse_line(const char *line, tev_t *e) {
  memset(e, 0, sizeof *e);
  const char *p = line;
  skip_ws(&p);
  if (*p != '{') return false;
  p++;
  bool have_i = false;
  for (;;) {
    skip_ws(&p);
    if (*p == '}') break;
    if (*p != '"') return false;
    p++;
    char *key = read_string(&p);
    skip_ws(&p);
    if (*p != ':') {
      free(key);
      return false;
    }
    p++;
    skip_ws(&p);
    if (strcmp(key, "args") == 0 && *p == '{') {
      p++;
      for (;;) {
        skip_ws(&p);
        if (*p == '}') {
          p++;
          break;
        }
        if (*p != '"') {
          free(key);
          return false;
        }
        p++;
        char *an = read_string(&p);
        skip_ws(&p);
        if (*p == ':') p++;
        char *av = read_scalar(&p);
        if (e->na < MAX_ARGS) {
          e->an[e->na] = an;
          e->av[e->na++] = av;
        } else {
          free(an);
          free(av);
        }
        skip_ws(&p);
        if (*p == ',') p++;
      }
    } else {
      char *v = read_scalar(&p);
      if (strcmp(key, "i") == 0)
        e->i = vnum(v), have_i = true;
      else if (strcmp(key, "t") == 0)
        e->t = vnum(v);
      else if (strcmp(key, "f") == 0)
        e->f = (uint32_t)vnum(v);
      else if (strcmp(key, "switch") == 0)
        e->sw = true, e->to = (uint32_t)vnum(v);
      else if (strcmp(key, "call") == 0) {
        e->call = v;
        v = NULL;
      } else if (strcmp(key, "ret") == 0) {
        e->ret = v;
        v = NULL;
      } else if (strcmp(key, "err") == 0)
        e->err = (uint32_t)vnum(v);
      free(v);
    }
    free(key);
    skip_ws(&p);
    if (*p == ',') p++;
  }
  return have_i && (e->sw || e->call != NULL);
}

static void tev_free(tev_t *e) {
  free(e->call);
  free(e->ret);
  for (int k = 0; k < e->na; k++) free(e->an[k]), free(e->av[k]);
}

static bool trace_read(const char *path, trace_t *tr, char *err, size_t len) {
  memset(tr, 0, sizeof *tr);
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, len, "%s: %s", path, strerror(errno));
    return false;
  }
  size_t cap = 1024;
  char *line = xmalloc(cap);
  for (;;) {
    size_t n = 0;
    int c;
    while ((c = fgetc(f)) != EOF && c != '\n') {
      if (n + 2 > cap) line = realloc(line, cap *= 2);
      if (!line) exit(3);
      line[n++] = (char)c;
    }
    line[n] = '\0';
    if (n > 0) {
      tr->ev = xgrow(tr->ev, &tr->cap, tr->n + 1, sizeof *tr->ev);
      if (parse_line(line, &tr->ev[tr->n]))
        tr->n++;
      else
        tev_free(&tr->ev[tr->n]);
    }
    if (c == EOF) break;
  }
  free(line);
  fclose(f);
  return true;
}

static void trace_free(trace_t *tr) {
  for (size_t i = 0; i < tr->n; i++) tev_free(&tr->ev[i]);
  free(tr->ev);
  memset(tr, 0, sizeof *tr);
}

static const char *arg(const tev_t *e, const char *name) {
  for (int k = 0; k < e->na; k++)
    if (strcmp(e->an[k], name) == 0) return e->av[k];
  return NULL;
}

/* The runtime's own synchronisation and clock reads: left off both clocks. */
static bool is_noise(const tev_t *e) {
  if (e->sw) return true;
  const char *c = e->call;
  return strncmp(c, "Interlocked", 11) == 0 || strstr(c, "SRWLock") != NULL ||
         strncmp(c, "QueryPerformance", 16) == 0 || strstr(c, "CriticalSection") != NULL ||
         strncmp(c, "Tls", 3) == 0 || strcmp(c, "GetLastError") == 0 ||
         strcmp(c, "SetLastError") == 0 || strcmp(c, "GetCurrentThreadId") == 0;
}

/* ---- the scenario's steps by line ---------------------------------------------------- */

typedef struct line_map {
  const scn_step_t **step; /* by line */
  int *thread;             /* by line: 0 main (setup), k thread k (1-based), -1 none */
  uint32_t n;
} line_map_t;

static void map_block(line_map_t *m, const scn_block_t *b, int th) {
  for (size_t i = 0; i < b->n; i++) {
    const scn_step_t *st = &b->steps[i];
    if (st->line < m->n) {
      m->step[st->line] = st;
      m->thread[st->line] = th;
    }
    map_block(m, &st->body, th);
  }
}

static uint32_t max_line(const scn_block_t *b, uint32_t m) {
  for (size_t i = 0; i < b->n; i++) {
    if (b->steps[i].line > m) m = b->steps[i].line;
    m = max_line(&b->steps[i].body, m);
  }
  return m;
}

static void line_map_build(const scn_t *s, line_map_t *m) {
  uint32_t maxl = max_line(&s->setup.body, 1);
  for (size_t k = 0; k < s->n_threads; k++) maxl = max_line(&s->threads[k].body, maxl);
  m->n = maxl + 1;
  m->step = xmalloc(m->n * sizeof *m->step);
  m->thread = xmalloc(m->n * sizeof *m->thread);
  for (uint32_t i = 0; i < m->n; i++) m->thread[i] = -1;
  map_block(m, &s->setup.body, 0);
  for (size_t k = 0; k < s->n_threads; k++) map_block(m, &s->threads[k].body, (int)k + 1);
}

static void line_map_free(line_map_t *m) {
  free(m->step);
  free(m->thread);
}

static const char *thread_name(const scn_t *s, int th) {
  return th <= 0 || (size_t)th > s->n_threads ? "main" : s->threads[th - 1].name;
}

/* ---- the history: per thread, the invoke and ok/fail texts ---------------------------- */

typedef struct hist_thread {
  char **inv, **ret; /* in order */
  size_t n_inv, n_ret, cap_inv, cap_ret;
} hist_thread_t;

static hist_thread_t *history_split(const scn_t *s, const char *history) {
  hist_thread_t *h = xmalloc((s->n_threads + 1) * sizeof *h);
  for (const char *p = history ? history : ""; *p;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    char *ln = xmalloc(n + 1);
    memcpy(ln, p, n);
    p = e ? e + 1 : p + n;
    char *sp = strchr(ln, ' ');
    char *sp2 = sp ? strchr(sp + 1, ' ') : NULL;
    if (!sp || !sp2) {
      free(ln);
      continue;
    }
    *sp = '\0';
    *sp2 = '\0';
    int th = 0;
    for (size_t k = 0; k < s->n_threads; k++)
      if (strcmp(s->threads[k].name, ln) == 0) th = (int)k + 1;
    hist_thread_t *t = &h[th];
    if (strcmp(sp + 1, "invoke") == 0) {
      t->inv = xgrow(t->inv, &t->cap_inv, t->n_inv + 1, sizeof *t->inv);
      t->inv[t->n_inv++] = xstrdup_(sp2 + 1);
    } else {
      t->ret = xgrow(t->ret, &t->cap_ret, t->n_ret + 1, sizeof *t->ret);
      t->ret[t->n_ret++] = xstrdup_(sp2 + 1);
    }
    free(ln);
  }
  return h;
}

static void history_free(const scn_t *s, hist_thread_t *h) {
  for (size_t k = 0; k <= s->n_threads; k++) {
    for (size_t i = 0; i < h[k].n_inv; i++) free(h[k].inv[i]);
    for (size_t i = 0; i < h[k].n_ret; i++) free(h[k].ret[i]);
    free(h[k].inv);
    free(h[k].ret);
  }
  free(h);
}

/* ---- the model of one run ----------------------------------------------------------- */

enum { IT_STEP = 0, IT_OP, IT_CALL, IT_FAULT, IT_CANCEL, IT_DEADLINE, IT_PACKET };
static const char *const item_kind[] = {"step",   "op",       "call",  "fault",
                                        "cancel", "deadline", "packet"};

enum { LANE_THREAD = 0, LANE_POLLER, LANE_OTHER, LANE_EVENTS, LANE_PORT };

typedef struct lane {
  uint32_t fiber; /* 0 for the events and port lanes */
  int kind;
  int thread; /* scenario thread index for LANE_THREAD */
  char name[80];
} lane_t;

typedef struct item {
  int kind;
  int lane;
  uint64_t x0, x1;   /* ordinal clock */
  uint64_t ts0, ts1; /* nudged virtual time, ns */
  uint64_t t0, t1;   /* exact virtual time, ns */
  char *label;
  char *detail;
  uint32_t line;  /* scenario line, 0 none */
  bool fail;      /* the failing step */
  bool error;     /* a step whose result is an error, a request that failed */
  bool cancelled; /* a request completed with STATUS_CANCELLED */
  bool open;      /* never finished */
  uint64_t seq;   /* IT_OP, IT_PACKET: the request */
  int to_lane;    /* IT_OP: the lane of its completion packet (-1 none) */
} item_t;

typedef struct model {
  lane_t *lanes;
  size_t n_lanes, cap_lanes;
  item_t *items;
  size_t n_items, cap_items;
  uint64_t n_x; /* ordinal ticks */
  uint64_t end_t, end_ts;
  uint64_t *tick_t; /* exact virtual time of each tick */
  size_t cap_tick;
  uint32_t fail_line;
} model_t;

static item_t *add_item(model_t *m, int kind, int lane) {
  m->items = xgrow(m->items, &m->cap_items, m->n_items + 1, sizeof *m->items);
  item_t *it = &m->items[m->n_items++];
  memset(it, 0, sizeof *it);
  it->kind = kind;
  it->lane = lane;
  it->to_lane = -1;
  return it;
}

static void model_free(model_t *m) {
  for (size_t i = 0; i < m->n_items; i++) {
    free(m->items[i].label);
    free(m->items[i].detail);
  }
  free(m->items);
  free(m->lanes);
  free(m->tick_t);
  memset(m, 0, sizeof *m);
}

/* The line a failure message names ("path:LINE: ..."), 0 if none. */
static uint32_t failing_line(const scn_t *s, const char *msg) {
  if (!msg) return 0;
  size_t pl = strlen(s->path);
  const char *p = strncmp(msg, s->path, pl) == 0 && msg[pl] == ':' ? msg + pl + 1 : NULL;
  if (!p) {
    /* a message from deeper down may name the file after a prefix */
    const char *q = strstr(msg, s->path);
    if (q && q[pl] == ':') p = q + pl + 1;
  }
  if (!p || *p < '1' || *p > '9') return 0;
  return (uint32_t)strtoul(p, NULL, 10);
}

static const char *status_text(uint32_t st, char *buf, size_t len) {
  const char *n = fw_status_name((int32_t)st);
  if (n) return n;
  snprintf(buf, len, "0x%08" PRIx32, st);
  return buf;
}

static const char *const outcome_names[] = {
    "none",        "success",         "error",    "pending",  "short",   "complete-before-cancel",
    "cancel-wins", "cancel-too-late", "peer-fin", "peer-rst", "non-ifs", "null"};

typedef struct pending_dl {
  char obj[64];
  int rw; /* 1 read, 2 write, 3 both */
  uint64_t due, set_t;
  int lane;
  uint32_t line;
  bool live;
} pending_dl_t;

static void event_detail(const tev_t *e, char *buf, size_t len) {
  size_t n = (size_t)snprintf(buf, len, "%s(", e->call);
  for (int k = 0; k < e->na && n < len; k++)
    n += (size_t)snprintf(buf + n, len - n, "%s%s=%s", k ? ", " : "", e->an[k], e->av[k]);
  if (n < len) n += (size_t)snprintf(buf + n, len - n, ") = %s", e->ret ? e->ret : "?");
  if (e->err && n < len) {
    char eb[32];
    snprintf(buf + n, len - n, ", last error %s", scn_error_name((int)e->err, eb, sizeof eb));
  }
}

static void fmt_time(uint64_t t, char *buf, size_t len) {
  if (t >= 1000000000ull && t % 1000000ull == 0)
    snprintf(buf, len, "%" PRIu64 ".%03" PRIu64 "s", t / UINT64_C(1000000000),
             t / UINT64_C(1000000) % 1000);
  else if (t >= 1000000ull)
    snprintf(buf, len, "%" PRIu64 ".%03" PRIu64 "ms", t / UINT64_C(1000000),
             t / UINT64_C(1000) % 1000);
  else if (t >= 1000ull)
    snprintf(buf, len, "%" PRIu64 ".%03" PRIu64 "us", t / UINT64_C(1000), t % UINT64_C(1000));
  else
    snprintf(buf, len, "%" PRIu64 "ns", t);
}

static int lane_for_fiber(const uint32_t *fiber_lane, size_t n_fl, uint32_t f) {
  return f < n_fl ? (int)fiber_lane[f] : 0;
}

static void model_build(const scn_t *s, const trace_t *tr, const char *history, const char *message,
                        model_t *m) {
  memset(m, 0, sizeof *m);
  line_map_t lm;
  line_map_build(s, &lm);
  m->fail_line = failing_line(s, message);

  /* fibers: their scenario thread (from scn.* marks) or their role */
  uint32_t max_f = 0;
  for (size_t i = 0; i < tr->n; i++)
    if (tr->ev[i].f > max_f) max_f = tr->ev[i].f;
  size_t nf = (size_t)max_f + 1;
  int *f_thread = xmalloc(nf * sizeof *f_thread);
  bool *f_poller = xmalloc(nf * sizeof *f_poller), *f_seen = xmalloc(nf * sizeof *f_seen);
  bool events_lane = false;
  for (size_t i = 0; i < nf; i++) f_thread[i] = -1;
  for (size_t i = 0; i < tr->n; i++) {
    const tev_t *e = &tr->ev[i];
    if (e->sw) continue;
    f_seen[e->f] = true;
    if (e->f == 0 && !is_noise(e) && strcmp(e->call, "IoCompletion") != 0) events_lane = true;
    if (strncmp(e->call, "scn.", 4) == 0 && f_thread[e->f] < 0) {
      uint32_t line = (uint32_t)vnum(arg(e, "line"));
      if (line < lm.n) f_thread[e->f] = lm.thread[line];
    }
    if (strncmp(e->call, "GetQueuedCompletionStatus", 25) == 0) f_poller[e->f] = true;
  }
  if (nf > 1 && f_thread[1] < 0) f_thread[1] = 0; /* the first fiber is the main thread */
  uint32_t *fiber_lane = xmalloc(nf * sizeof *fiber_lane);
  /* lane order: main and the scenario's threads in file order, the poller, other fibers, events,
   * the port */
  for (int th = 0; th <= (int)s->n_threads; th++)
    for (size_t f = 1; f < nf; f++)
      if (f_seen[f] && f_thread[f] == th) {
        m->lanes = xgrow(m->lanes, &m->cap_lanes, m->n_lanes + 1, sizeof *m->lanes);
        lane_t *l = &m->lanes[m->n_lanes];
        l->fiber = (uint32_t)f;
        l->kind = LANE_THREAD;
        l->thread = th;
        snprintf(l->name, sizeof l->name, "%s", thread_name(s, th));
        fiber_lane[f] = (uint32_t)m->n_lanes++;
      }
  for (int pass = 0; pass < 2; pass++)
    for (size_t f = 1; f < nf; f++)
      if (f_seen[f] && f_thread[f] < 0 && f_poller[f] == (pass == 0)) {
        m->lanes = xgrow(m->lanes, &m->cap_lanes, m->n_lanes + 1, sizeof *m->lanes);
        lane_t *l = &m->lanes[m->n_lanes];
        l->fiber = (uint32_t)f;
        l->kind = pass == 0 ? LANE_POLLER : LANE_OTHER;
        l->thread = -1;
        snprintf(l->name, sizeof l->name, pass == 0 ? "poller (fiber %zu)" : "fiber %zu", f);
        fiber_lane[f] = (uint32_t)m->n_lanes++;
      }
  int ev_lane = -1;
  if (events_lane) {
    m->lanes = xgrow(m->lanes, &m->cap_lanes, m->n_lanes + 1, sizeof *m->lanes);
    lane_t *l = &m->lanes[m->n_lanes];
    l->kind = LANE_EVENTS;
    l->thread = -1;
    snprintf(l->name, sizeof l->name, "world events");
    ev_lane = (int)m->n_lanes++;
  }
  fiber_lane[0] = (uint32_t)(ev_lane >= 0 ? ev_lane : 0);
  m->lanes = xgrow(m->lanes, &m->cap_lanes, m->n_lanes + 1, sizeof *m->lanes);
  lane_t *pl = &m->lanes[m->n_lanes];
  pl->kind = LANE_PORT;
  pl->thread = -1;
  snprintf(pl->name, sizeof pl->name, "completion port");
  int port_lane = (int)m->n_lanes++;

  /* the steps' texts */
  hist_thread_t *h = history_split(s, history);
  size_t *inv_k = xmalloc(nf * sizeof *inv_k), *ret_k = xmalloc(nf * sizeof *ret_k);
  long *open_step = xmalloc(nf * sizeof *open_step);
  for (size_t f = 0; f < nf; f++) open_step[f] = -1;

  /* requests by sequence number */
  size_t cap_req = 0;
  long *req_item = NULL;
  pending_dl_t dls[64];
  size_t n_dl = 0;
  long last_fail_step = -1;

  uint64_t x = 0, ts = 0, last_t = 0;
  bool first = true;
  for (size_t i = 0; i < tr->n; i++) {
    const tev_t *e = &tr->ev[i];
    if (is_noise(e)) continue;
    /* the clocks */
    if (first || e->t > ts)
      ts = e->t;
    else
      ts++;
    first = false;
    last_t = e->t;
    m->tick_t = xgrow(m->tick_t, &m->cap_tick, x + 1, sizeof *m->tick_t);
    m->tick_t[x] = e->t;
    /* deadlines that came due before this event */
    for (size_t d = 0; d < n_dl; d++) {
      pending_dl_t *dl = &dls[d];
      if (!dl->live || dl->due > e->t) continue;
      dl->live = false;
      item_t *it = add_item(m, IT_DEADLINE, dl->lane);
      it->x0 = it->x1 = x;
      it->t0 = it->t1 = dl->due;
      it->ts0 = it->ts1 = ts;
      it->line = dl->line;
      char tb[32], sb[32];
      fmt_time(dl->due, tb, sizeof tb);
      fmt_time(dl->set_t, sb, sizeof sb);
      it->label = xfmt("%s deadline of %s expires",
                       dl->rw == 1   ? "read"
                       : dl->rw == 2 ? "write"
                                     : "read+write",
                       dl->obj);
      it->detail = xfmt(
          "the %s deadline of %s, set at %s (line %u), came due at %s; derived from the scenario's "
          "steps",
          dl->rw == 1   ? "read"
          : dl->rw == 2 ? "write"
                        : "read and write",
          dl->obj, sb, dl->line, tb);
    }
    int lane = lane_for_fiber(fiber_lane, nf, e->f);
    char det[600];
    event_detail(e, det, sizeof det);
    if (strncmp(e->call, "scn.", 4) == 0) {
      uint32_t line = (uint32_t)vnum(arg(e, "line"));
      int phase = (int)vnum(arg(e, "phase"));
      int th = line < lm.n ? lm.thread[line] : -1;
      if (th < 0) th = 0;
      hist_thread_t *ht = &h[th];
      if (phase == 0) {
        item_t *it = add_item(m, IT_STEP, lane);
        it->x0 = it->x1 = x;
        it->t0 = it->t1 = e->t;
        it->ts0 = it->ts1 = ts;
        it->line = line;
        it->open = true;
        const char *text = inv_k[e->f] < ht->n_inv ? ht->inv[inv_k[e->f]] : e->call + 4;
        inv_k[e->f]++;
        it->label = xstrdup_(text);
        open_step[e->f] = (long)(it - m->items);
        /* a deadline step: remember when it comes due */
        const scn_step_t *st = line < lm.n ? lm.step[line] : NULL;
        const char *vb = e->call + 4;
        int rw = strcmp(vb, "set_read_deadline") == 0    ? 1
                 : strcmp(vb, "set_write_deadline") == 0 ? 2
                 : strcmp(vb, "set_deadline") == 0       ? 3
                                                         : 0;
        if (rw && st && st->n_args >= 2 && st->args[1].kind == SCN_A_DEADLINE && st->args[0].text) {
          for (size_t d = 0; d < n_dl; d++)
            if (dls[d].live && strcmp(dls[d].obj, st->args[0].text) == 0 && (dls[d].rw & rw)) {
              dls[d].rw &= ~rw;
              if (dls[d].rw == 0) dls[d].live = false;
            }
          size_t slot = 0; /* a slot whose deadline is done, else a new one */
          while (slot < n_dl && dls[slot].live) slot++;
          if (st->args[1].dl != SCN_DL_NONE && slot < sizeof dls / sizeof dls[0]) {
            if (slot == n_dl) n_dl++;
            pending_dl_t *dl = &dls[slot];
            snprintf(dl->obj, sizeof dl->obj, "%s", st->args[0].text);
            dl->rw = rw;
            int64_t rel = st->args[1].dl == SCN_DL_REL ? st->args[1].i : 0;
            dl->due = rel <= 0 ? e->t : e->t + (uint64_t)rel;
            dl->set_t = e->t;
            dl->lane = lane;
            dl->line = line;
            dl->live = true;
          }
        }
      } else {
        long si = open_step[e->f];
        const char *text = ret_k[e->f] < ht->n_ret ? ht->ret[ret_k[e->f]] : NULL;
        ret_k[e->f]++;
        if (si >= 0) {
          item_t *it = &m->items[si];
          it->x1 = x;
          it->t1 = e->t;
          it->ts1 = ts;
          it->open = false;
          const char *res = text ? strstr(text, " -> ") : NULL;
          if (res) {
            free(it->label);
            it->label = xstrdup_(text);
            it->error = strncmp(res + 4, "ok", 2) != 0;
          }
          if (line == m->fail_line) last_fail_step = si;
          open_step[e->f] = -1;
        }
      }
      x++;
      continue;
    }
    if (strcmp(e->call, "IoRequest") == 0) {
      uint64_t seq = vnum(e->ret);
      item_t *it = add_item(m, IT_OP, lane);
      it->x0 = it->x1 = x;
      it->t0 = it->t1 = e->t;
      it->ts0 = it->ts1 = ts;
      it->seq = seq;
      it->open = true;
      const char *site = scn_site_name((int)vnum(arg(e, "site")));
      it->label = xfmt("%s #%" PRIu64, site ? site : "request", seq);
      it->detail =
          xfmt("request #%" PRIu64 ": %s on object #%s, OVERLAPPED %s", seq, site ? site : "?",
               arg(e, "object") ? arg(e, "object") : "?", arg(e, "ov") ? arg(e, "ov") : "?");
      req_item = xgrow(req_item, &cap_req, seq + 1, sizeof *req_item);
      req_item[seq] = (long)(it - m->items) + 1;
      x++;
      continue;
    }
    if (strcmp(e->call, "IoCompletion") == 0) {
      uint64_t seq = vnum(e->ret);
      uint32_t st = (uint32_t)vnum(arg(e, "status"));
      uint64_t bytes = vnum(arg(e, "bytes"));
      bool packet = vnum(arg(e, "packet")) != 0, immediate = vnum(arg(e, "immediate")) != 0;
      char sb[32];
      const char *stn = status_text(st, sb, sizeof sb);
      item_t *op = seq < cap_req && req_item[seq] > 0 ? &m->items[req_item[seq] - 1] : NULL;
      if (op) {
        op->x1 = x;
        op->t1 = e->t;
        op->ts1 = ts;
        op->open = false;
        op->cancelled = st == STATUS_CANCELLED_;
        op->error = (st >> 30) == 3u;
        char *lb = xfmt("%s -> %s, %" PRIu64 " bytes%s", op->label, stn, bytes,
                        immediate ? " (inside the call)" : "");
        free(op->label);
        op->label = lb;
        char *dt = xfmt("%s; completed with %s, %" PRIu64 " bytes, %s%s", op->detail, stn, bytes,
                        packet ? "packet queued to the port" : "no packet",
                        immediate ? ", inside the call" : "");
        free(op->detail);
        op->detail = dt;
        if (packet) op->to_lane = port_lane;
      }
      if (packet) {
        /* add_item may move m->items: keep the request's index, not op */
        size_t op_at = op ? (size_t)(op - m->items) : 0;
        item_t *it = add_item(m, IT_PACKET, port_lane);
        if (op) op = &m->items[op_at];
        it->x0 = it->x1 = x;
        it->t0 = it->t1 = e->t;
        it->ts0 = it->ts1 = ts;
        it->seq = seq;
        it->cancelled = st == STATUS_CANCELLED_;
        it->error = (st >> 30) == 3u;
        const char *name = op ? op->label : "request";
        it->label = xfmt("packet of #%" PRIu64 ": %s", seq, stn);
        it->detail = xfmt("completion packet of request #%" PRIu64 " (%.*s): %s, %" PRIu64 " bytes",
                          seq, (int)strcspn(name, " "), name, stn, bytes);
      }
      x++;
      continue;
    }
    if (strcmp(e->call, "fault") == 0) {
      item_t *it = add_item(m, IT_FAULT, lane);
      it->x0 = it->x1 = x;
      it->t0 = it->t1 = e->t;
      it->ts0 = it->ts1 = ts;
      const char *site = scn_site_name((int)vnum(arg(e, "site")));
      uint64_t oc = vnum(arg(e, "outcome"));
      const char *ocn =
          oc < sizeof outcome_names / sizeof outcome_names[0] ? outcome_names[oc] : "?";
      it->label = xfmt("fault: %s -> %s", site ? site : "?", ocn);
      it->detail = xfmt("fault rule #%s fired at %s: %s (fire %s); %s",
                        arg(e, "rule") ? arg(e, "rule") : "?", site ? site : "?", ocn,
                        e->ret ? e->ret : "?", det);
      x++;
      continue;
    }
    int kind = IT_CALL;
    if (strncmp(e->call, "Cancel", 6) == 0) kind = IT_CANCEL;
    item_t *it =
        add_item(m, kind, strcmp(e->call, "PostQueuedCompletionStatus") == 0 ? lane : lane);
    it->x0 = it->x1 = x;
    it->t0 = it->t1 = e->t;
    it->ts0 = it->ts1 = ts;
    it->label = xstrdup_(e->call);
    it->detail = xstrdup_(det);
    if (strcmp(e->call, "PostQueuedCompletionStatus") == 0) {
      item_t *pk = add_item(m, IT_PACKET, port_lane);
      pk->x0 = pk->x1 = x;
      pk->t0 = pk->t1 = e->t;
      pk->ts0 = pk->ts1 = ts;
      pk->label = xstrdup_("posted packet");
      pk->detail = xfmt("a packet posted with %s", det);
    }
    x++;
  }
  m->n_x = x;
  m->end_t = last_t;
  m->end_ts = ts;
  /* deadlines due exactly at the end */
  for (size_t d = 0; d < n_dl; d++) {
    if (!dls[d].live || dls[d].due > last_t) continue;
    item_t *it = add_item(m, IT_DEADLINE, dls[d].lane);
    it->x0 = it->x1 = x ? x - 1 : 0;
    it->t0 = it->t1 = dls[d].due;
    it->ts0 = it->ts1 = ts;
    it->line = dls[d].line;
    it->label = xfmt("deadline of %s expires", dls[d].obj);
    it->detail = xfmt("deadline set at line %u came due", dls[d].line);
  }
  /* what never finished runs to the end */
  for (size_t i = 0; i < m->n_items; i++) {
    item_t *it = &m->items[i];
    if (!it->open) continue;
    it->x1 = x ? x - 1 : 0;
    it->t1 = last_t;
    it->ts1 = ts;
    char *lb = xfmt("%s (unfinished when the run ended)", it->label);
    free(it->label);
    it->label = lb;
  }
  /* the failing step: the last one on the failing line (or one that never returned there) */
  if (m->fail_line) {
    for (size_t i = 0; i < m->n_items; i++)
      if (m->items[i].kind == IT_STEP && m->items[i].line == m->fail_line && m->items[i].open)
        last_fail_step = (long)i;
    if (last_fail_step >= 0) m->items[last_fail_step].fail = true;
  }
  free(req_item);
  free(inv_k);
  free(ret_k);
  free(open_step);
  history_free(s, h);
  free(f_thread);
  free(f_poller);
  free(f_seen);
  free(fiber_lane);
  line_map_free(&lm);
}

/* ---- JSON output helpers --------------------------------------------------------------- */

/* A JSON string; <, > and & escaped too, so it can sit inside a <script>. */
static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p == '"')
      fputs("\\\"", f);
    else if (*p == '\\')
      fputs("\\\\", f);
    else if (*p == '\n')
      fputs("\\n", f);
    else if (*p == '\t')
      fputs("\\t", f);
    else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&')
      fprintf(f, "\\u%04x", *p);
    else
      fputc(*p, f);
  }
  fputc('"', f);
}

static void html_esc(FILE *f, const char *s) {
  for (const char *p = s ? s : ""; *p; p++) {
    if (*p == '<')
      fputs("&lt;", f);
    else if (*p == '>')
      fputs("&gt;", f);
    else if (*p == '&')
      fputs("&amp;", f);
    else if (*p == '"')
      fputs("&quot;", f);
    else
      fputc(*p, f);
  }
}

/* microseconds with nanosecond precision, exactly */
static void us(FILE *f, uint64_t ns) {
  fprintf(f, "%" PRIu64 ".%03" PRIu64, ns / 1000, ns % 1000);
}

/* ---- Perfetto (Chrome trace-event JSON) ----------------------------------------------- */

static void perfetto_write(FILE *f, const scn_t *s, const model_t *m, const char *what) {
  fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"iocpsim\",\"scenario\":", f);
  json_str(f, s->path);
  fputs(",\"run\":", f);
  json_str(f, what);
  fputs(
      ",\"clock\":\"virtual time in us; events of one virtual instant are 1 ns apart in trace "
      "order; args.vt_ns is "
      "exact\"},\n\"traceEvents\":[\n",
      f);
  fputs("{\"ph\":\"M\",\"pid\":1,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":", f);
  char *pn = xfmt("%s (%s)", s->path, what);
  json_str(f, pn);
  free(pn);
  fputs("}}", f);
  for (size_t l = 0; l < m->n_lanes; l++) {
    fprintf(f,
            ",\n{\"ph\":\"M\",\"pid\":1,\"tid\":%zu,\"name\":\"thread_name\",\"args\":{\"name\":",
            l + 1);
    json_str(f, m->lanes[l].name);
    fprintf(f,
            "}},\n{\"ph\":\"M\",\"pid\":1,\"tid\":%zu,\"name\":\"thread_sort_index\",\"args\":{"
            "\"sort_index\":%zu}}",
            l + 1, l);
  }
  for (size_t i = 0; i < m->n_items; i++) {
    const item_t *it = &m->items[i];
    size_t tid = (size_t)it->lane + 1;
    switch (it->kind) {
      case IT_STEP:
        fprintf(f, ",\n{\"ph\":\"X\",\"pid\":1,\"tid\":%zu,\"cat\":\"step%s\",\"ts\":", tid,
                it->fail ? ",failing" : "");
        us(f, it->ts0);
        fputs(",\"dur\":", f);
        us(f, it->ts1 > it->ts0 ? it->ts1 - it->ts0 : 1);
        fputs(",\"name\":", f);
        json_str(f, it->label);
        fprintf(f,
                ",\"args\":{\"line\":%" PRIu32 ",\"vt_ns\":%" PRIu64 ",\"vt_end_ns\":%" PRIu64
                ",\"failing\":%s}}",
                it->line, it->t0, it->t1, it->fail ? "true" : "false");
        break;
      case IT_OP:
        /* the submit as a 1 ns slice the flow starts from */
        fprintf(f, ",\n{\"ph\":\"X\",\"pid\":1,\"tid\":%zu,\"cat\":\"io\",\"ts\":", tid);
        us(f, it->ts0);
        fputs(",\"dur\":0.001,\"name\":", f);
        char *sn = xfmt("submit %.*s", (int)strcspn(it->label, " "), it->label);
        json_str(f, sn);
        free(sn);
        fprintf(f, ",\"args\":{\"request\":%" PRIu64 ",\"vt_ns\":%" PRIu64 ",\"detail\":", it->seq,
                it->t0);
        json_str(f, it->detail);
        fputs("}}", f);
        /* the request as an async slice, submit to completion */
        fprintf(f,
                ",\n{\"ph\":\"b\",\"pid\":1,\"tid\":%zu,\"cat\":\"io\",\"id\":%" PRIu64 ",\"ts\":",
                tid, it->seq);
        us(f, it->ts0);
        fputs(",\"name\":", f);
        json_str(f, it->label);
        fprintf(f, ",\"args\":{\"cancelled\":%s}}", it->cancelled ? "true" : "false");
        fprintf(f,
                ",\n{\"ph\":\"e\",\"pid\":1,\"tid\":%zu,\"cat\":\"io\",\"id\":%" PRIu64 ",\"ts\":",
                tid, it->seq);
        us(f, it->ts1 > it->ts0 ? it->ts1 : it->ts0 + 1);
        fputs(",\"name\":", f);
        json_str(f, it->label);
        fputs("}", f);
        if (it->to_lane >= 0) {
          fprintf(f,
                  ",\n{\"ph\":\"s\",\"pid\":1,\"tid\":%zu,\"cat\":\"flow\",\"id\":%" PRIu64
                  ",\"name\":\"completion\",\"ts\":",
                  tid, it->seq);
          us(f, it->ts0);
          fprintf(
              f,
              "},\n{\"ph\":\"f\",\"bp\":\"e\",\"pid\":1,\"tid\":%d,\"cat\":\"flow\",\"id\":%" PRIu64
              ",\"name\":\"completion\",\"ts\":",
              it->to_lane + 1, it->seq);
          us(f, it->ts1);
          fputs("}", f);
        }
        break;
      case IT_PACKET:
        fprintf(f, ",\n{\"ph\":\"X\",\"pid\":1,\"tid\":%zu,\"cat\":\"packet\",\"ts\":", tid);
        us(f, it->ts0);
        fputs(",\"dur\":0.001,\"name\":", f);
        json_str(f, it->label);
        fprintf(f, ",\"args\":{\"vt_ns\":%" PRIu64 ",\"detail\":", it->t0);
        json_str(f, it->detail);
        fputs("}}", f);
        break;
      case IT_CALL:
        fprintf(f, ",\n{\"ph\":\"X\",\"pid\":1,\"tid\":%zu,\"cat\":\"win32\",\"ts\":", tid);
        us(f, it->ts0);
        fputs(",\"dur\":0.001,\"name\":", f);
        json_str(f, it->label);
        fprintf(f, ",\"args\":{\"vt_ns\":%" PRIu64 ",\"call\":", it->t0);
        json_str(f, it->detail);
        fputs("}}", f);
        break;
      default: /* fault, cancel, deadline: instants */
        fprintf(f, ",\n{\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":%zu,\"cat\":\"%s\",\"ts\":", tid,
                item_kind[it->kind]);
        us(f, it->ts0);
        fputs(",\"name\":", f);
        json_str(f, it->label);
        fprintf(f, ",\"args\":{\"vt_ns\":%" PRIu64 ",\"detail\":", it->t0);
        json_str(f, it->detail);
        fputs("}}", f);
        break;
    }
  }
  fputs("\n]}\n", f);
}

bool scn_perfetto_from_jsonl(const scn_t *s, const char *jsonl_path, const char *history,
                             const char *message, const char *what, const char *out_path, char *err,
                             size_t len) {
  trace_t tr;
  if (!trace_read(jsonl_path, &tr, err, len)) return false;
  model_t m;
  model_build(s, &tr, history, message, &m);
  trace_free(&tr);
  FILE *f = fopen(out_path, "w");
  if (!f) {
    snprintf(err, len, "%s: %s", out_path, strerror(errno));
    model_free(&m);
    return false;
  }
  perfetto_write(f, s, &m, what ? what : "one run");
  model_free(&m);
  bool ok = fflush(f) == 0 && !ferror(f);
  ok = fclose(f) == 0 && ok;
  if (!ok) snprintf(err, len, "%s: write failed", out_path);
  return ok;
}

/* ---- playing runs ----------------------------------------------------------------------- */

typedef struct run_rec {
  const scn_t *s;
  uint64_t seed;
  int exit_code;
  char status[16];
  char *message, *history;
  uint64_t end_time_ns, events, n_decisions;
  char what[64];    /* "seed 17" */
  char *replay_cmd; /* `iocpsim run ... --seed N` (seed runs) */
  char *token;      /* replay token */
  model_t model;    /* when played with a trace (detail) */
  bool has_model;
  int anchor; /* index of its detail section, -1 none */
} run_rec_t;

static void run_rec_free(run_rec_t *r) {
  free(r->message);
  free(r->history);
  free(r->replay_cmd);
  free(r->token);
  if (r->has_model) model_free(&r->model);
  memset(r, 0, sizeof *r);
}

/* Plays one run; with `detail`, with a trace, and builds its model (and the
 * Perfetto file when perfetto != NULL). */
static bool play(const scn_t *s, const scn_report_opts_t *o, const scn_token_t *tok, uint64_t seed,
                 bool detail, const char *perfetto, run_rec_t *rr, char *err, size_t len) {
  memset(rr, 0, sizeof *rr);
  rr->s = s;
  rr->seed = seed;
  rr->anchor = -1;
  scn_run_opts_t ro;
  memset(&ro, 0, sizeof ro);
  scn_token_strategy_t *ts = NULL;
  scn_token_t seed_tok = {
      .path = s->path, .personality = o->personality, .kind = SCN_TOK_SEED, .seed = seed};
  if (tok) {
    ts = scn_token_strategy(tok, &ro);
    if (o->personality >= 0) ro.personality = o->personality;
  } else {
    ro.seed = seed;
    ro.personality = o->personality;
  }
  ro.fixed_timing = o->fixed_timing;
  ro.extra_rules = o->faults;
  ro.n_extra_rules = o->n_faults;
  char tmp[64] = "";
  if (detail) {
    snprintf(tmp, sizeof tmp, "/tmp/iocpsim-report-XXXXXX");
    int fd = mkstemp(tmp);
    if (fd < 0) {
      snprintf(err, len, "cannot make a temporary trace file: %s", strerror(errno));
      if (ts) scn_token_strategy_free(ts);
      return false;
    }
    close(fd);
    ro.trace_path = tmp;
  }
  scn_run_result_t r;
  scn_run(s, &ro, &r);
  rr->exit_code = r.exit_code;
  snprintf(rr->status, sizeof rr->status, "%s", r.status ? r.status : "?");
  rr->message = r.message ? xstrdup_(r.message) : NULL;
  rr->history = xstrdup_(r.history ? r.history : "");
  rr->end_time_ns = r.end_time_ns;
  rr->events = r.events;
  rr->n_decisions = r.n_decisions;
  scn_run_result_free(&r);
  if (ts) scn_token_strategy_free(ts);
  const scn_token_t *t = tok ? tok : &seed_tok;
  rr->token = scn_token_format(t);
  if (t->kind == SCN_TOK_SEED) {
    snprintf(rr->what, sizeof rr->what, "seed %" PRIu64, t->seed);
    rr->replay_cmd = xfmt("iocpsim run %s --seed %" PRIu64 "%s%s", s->path, t->seed,
                          o->personality < 0 ? ""
                          : o->personality   ? " --personality wine8"
                                             : " --personality windows",
                          o->fixed_timing ? " --timing fixed" : "");
  } else {
    if (t->kind == SCN_TOK_PCT)
      snprintf(rr->what, sizeof rr->what, "pct:%" PRIu32 " seed %" PRIu64, t->depth, t->seed);
    else
      snprintf(rr->what, sizeof rr->what, "a choice prefix");
  }
  bool ok = true;
  if (detail) {
    trace_t tr;
    if (!trace_read(tmp, &tr, err, len))
      ok = false;
    else {
      model_build(s, &tr, rr->history, rr->message, &rr->model);
      rr->has_model = true;
      trace_free(&tr);
      if (perfetto) {
        FILE *f = fopen(perfetto, "w");
        if (!f) {
          snprintf(err, len, "%s: %s", perfetto, strerror(errno));
          ok = false;
        } else {
          perfetto_write(f, s, &rr->model, rr->what);
          ok = fclose(f) == 0;
          if (!ok) snprintf(err, len, "%s: write failed", perfetto);
        }
      }
    }
    remove(tmp);
  }
  return ok;
}

/* ---- outcomes of a sweep ---------------------------------------------------------------- */

typedef struct outcome_step {
  int thread;
  const scn_step_t *st;
  char *raw; /* the step's text as the history shows it */
  char *alts[SCN_MAX_ALTS];
  size_t n_alts;
  uint64_t alt_count[SCN_MAX_ALTS];
  char **other; /* results outside every alternative */
  uint64_t *other_count;
  size_t n_other, cap_other, cap_other_c;
} outcome_step_t;

/* Whether a result as the history shows it falls under an alternative as
 * scn_fmt_alt shows it: equal, or the alternative followed by more detail
 * ("ok" covers "ok 5", "EDEADLINE" covers "EDEADLINE 3"); `any` covers all.
 * For the chart only: the run's own verdict decides pass or fail. */
static bool alt_covers(const char *alt, const char *res) {
  if (strcmp(alt, "any") == 0) return true;
  size_t n = strlen(alt);
  return strncmp(alt, res, n) == 0 && (res[n] == '\0' || res[n] == ' ');
}

static void collect_steps(const scn_block_t *b, int th, outcome_step_t **out, size_t *n,
                          size_t *cap) {
  for (size_t i = 0; i < b->n; i++) {
    const scn_step_t *st = &b->steps[i];
    collect_steps(&st->body, th, out, n, cap);
    if (st->expect.n_alts < 2 || !st->raw) continue;
    *out = xgrow(*out, cap, *n + 1, sizeof **out);
    outcome_step_t *os = &(*out)[(*n)++];
    memset(os, 0, sizeof *os);
    os->thread = th;
    os->st = st;
    os->raw = st->raw;
    for (uint32_t k = 0; k < st->expect.n_alts && k < SCN_MAX_ALTS; k++) {
      char a[300];
      scn_fmt_alt(&st->expect.alts[k], a, sizeof a);
      os->alts[os->n_alts++] = xstrdup_(a);
    }
  }
}

/* Whether a step adds to the history (scn_interp.c: every step but control). */
static bool is_operation(const scn_step_t *st) {
  if (st->verb < 0) return false;
  static const char *const control[] = {"sleep",  "until", "yield", "fault", "repeat",
                                        "signal", "wait",  "event", "file"};
  const char *v = scn_verb_name(st->verb);
  for (size_t i = 0; i < sizeof control / sizeof control[0]; i++)
    if (v && strcmp(v, control[i]) == 0) return false;
  return true;
}

/* A thread's operations in the order it runs them (repeat bodies expanded,
 * at most `max` entries): the k-th result line of that thread in a history
 * is the k-th entry. */
typedef struct flat {
  const scn_step_t **st;
  size_t n, cap;
} flat_t;

static void flatten(const scn_block_t *b, flat_t *fl, size_t max) {
  for (size_t i = 0; i < b->n && fl->n < max; i++) {
    const scn_step_t *st = &b->steps[i];
    if (st->verb >= 0 && scn_verb_name(st->verb) &&
        strcmp(scn_verb_name(st->verb), "repeat") == 0) {
      for (int64_t k = 0; k < st->args[0].i && fl->n < max; k++) flatten(&st->body, fl, max);
      continue;
    }
    if (!is_operation(st)) continue;
    fl->st = xgrow(fl->st, &fl->cap, fl->n + 1, sizeof *fl->st);
    fl->st[fl->n++] = st;
  }
}

static void outcome_add(const scn_t *s, const flat_t *flat, outcome_step_t *os, size_t n,
                        const char *history) {
  size_t *k_of = xmalloc((s->n_threads + 1) * sizeof *k_of);
  for (const char *p = history ? history : ""; *p;) {
    const char *e = strchr(p, '\n');
    size_t ln = e ? (size_t)(e - p) : strlen(p);
    char *line = xmalloc(ln + 1);
    memcpy(line, p, ln);
    p = e ? e + 1 : p + ln;
    char *sp = strchr(line, ' ');
    char *sp2 = sp ? strchr(sp + 1, ' ') : NULL;
    if (sp && sp2 && strncmp(sp + 1, "invoke", 6) != 0) {
      *sp = '\0';
      int th = 0;
      for (size_t k = 0; k < s->n_threads; k++)
        if (strcmp(s->threads[k].name, line) == 0) th = (int)k + 1;
      size_t k = k_of[th]++;
      const scn_step_t *st = k < flat[th].n ? flat[th].st[k] : NULL;
      const char *text = sp2 + 1;
      for (size_t i = 0; st && i < n; i++) {
        size_t rl = strlen(os[i].raw);
        if (os[i].st != st || strncmp(text, os[i].raw, rl) != 0 ||
            strncmp(text + rl, " -> ", 4) != 0)
          continue;
        const char *res = text + rl + 4;
        bool hit = false;
        for (size_t a = 0; a < os[i].n_alts && !hit; a++)
          if (alt_covers(os[i].alts[a], res)) os[i].alt_count[a]++, hit = true;
        if (!hit) {
          size_t o = 0;
          while (o < os[i].n_other && strcmp(os[i].other[o], res) != 0) o++;
          if (o == os[i].n_other) {
            os[i].other = xgrow(os[i].other, &os[i].cap_other, o + 1, sizeof *os[i].other);
            os[i].other_count =
                xgrow(os[i].other_count, &os[i].cap_other_c, o + 1, sizeof *os[i].other_count);
            os[i].other[o] = xstrdup_(res);
            os[i].n_other++;
          }
          os[i].other_count[o]++;
        }
        break;
      }
    }
    free(line);
  }
  free(k_of);
}

/* ---- HTML --------------------------------------------------------------------------------- */

static const char html_head[] =
    "<!doctype html>\n<html lang=\"en\"><head><meta "
    "charset=\"utf-8\">\n<title>%s</title>\n<style>\n"
    "body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#1d2228;background:#fafbfc}\n"
    "h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:24px 0 "
    "6px}h3{font-size:14px;margin:14px 0 4px}\n"
    ".pass{color:#17803d;font-weight:600}.fail{color:#c0262d;font-weight:600}\n"
    "code,pre,.mono{font-family:ui-monospace,Consolas,monospace;font-size:12px}\n"
    "pre.msg{background:#fff1f0;border:1px solid #f3b7b3;padding:8px;white-space:pre-wrap}\n"
    ".replay{background:#eef3fb;border:1px solid #c7d5ee;padding:6px 8px;margin:4px "
    "0;user-select:all}\n"
    ".runbody{display:flex;gap:12px;align-items:flex-start}\n"
    ".tlwrap{flex:1 1 auto;min-width:0;overflow-x:auto;border:1px solid #d6dbe1;background:#fff}\n"
    ".scn{flex:0 0 380px;max-height:640px;overflow:auto;border:1px solid "
    "#d6dbe1;background:#fff;margin:0;padding:4px 0}\n"
    ".scn .ln{display:block;padding:0 6px;white-space:pre}.scn .ln "
    "i{display:inline-block;width:30px;color:#8a939d;"
    "font-style:normal;text-align:right;margin-right:8px}\n"
    ".scn .ln.failing{background:#ffd7d5;outline:1px solid #e0605a}.scn "
    ".ln.hl{background:#fff3b0}\n"
    ".detail{min-height:3em;border:1px solid #d6dbe1;background:#fff;padding:6px "
    "8px;margin-top:6px;white-space:pre-wrap}\n"
    "a.seed{display:inline-block;min-width:22px;margin:1px;padding:0 "
    "2px;font-size:10px;text-align:center;"
    "color:#fff;text-decoration:none}a.seed.pass{background:#3e9b5f}a.seed.fail{background:#c0262d}"
    "a.seed.fail[href]{outline:2px solid #5a0a0d}\n"
    "table.seeds{border-collapse:collapse}table.seeds td,table.seeds th{border:1px solid "
    "#d6dbe1;padding:2px 8px;"
    "text-align:left}\n"
    ".chart .row{display:flex;align-items:center;gap:6px;margin:1px 0}.chart "
    ".lab{width:260px;overflow:hidden;"
    "text-overflow:ellipsis;white-space:nowrap}\n"
    ".chart .bar{height:12px;background:#4a7bd0}.chart .bar.zero{background:none;border-left:2px "
    "solid #c0262d}"
    ".chart .bar.other{background:#c0262d}\n"
    ".legend "
    "span{margin-right:14px}.sw{display:inline-block;width:12px;height:10px;margin-right:4px;"
    "vertical-align:middle}\n"
    "svg text{font-family:ui-monospace,Consolas,monospace;font-size:11px}\n"
    "</style></head><body>\n";

/* The renderer: reads the embedded data and draws each run's timeline as
 * SVG (lanes per fiber and the completion port, steps and requests as bars,
 * marks for faults, cancels, deadlines and packets, hover for details).
 * When done it sets body[data-rendered] to the number of runs drawn. */
static const char html_script[] =
    "<script>\n"
    "(function(){\n"
    "'use strict';\n"
    "var NS='http://www.w3.org/2000/svg';\n"
    "var data=JSON.parse(document.getElementById('iocpsim-data').textContent);\n"
    "function el(n,a,p){var e=document.createElementNS(NS,n);for(var k in "
    "a)e.setAttribute(k,a[k]);if(p)p.appendChild(e);"
    "return e;}\n"
    "function ft(t){if(t>=1e9&&t%1e6===0)return (t/1e9).toFixed(3)+'s';if(t>=1e6)return "
    "(t/1e6).toFixed(3)+'ms';"
    "if(t>=1e3)return (t/1e3).toFixed(3)+'us';return t+'ns';}\n"
    "var "
    "COL={step:'#7aa7e8',stepErr:'#e8a33d',stepFail:'#d93a3a',op:'#56b38a',opCancel:'#f08c2e',"
    "opErr:'#c96b6b',"
    "call:'#9aa5b1',packet:'#6f4fb8',fault:'#d11f1f',cancel:'#f08c2e',deadline:'#8a2be2'};\n"
    "function render(run,W){\n"
    "  var host=document.getElementById('tl-'+run.id);var "
    "det=document.getElementById('detail-'+run.id);\n"
    "  while(host.firstChild)host.removeChild(host.firstChild);\n"
    "  var "
    "LW=150,TOP=34;if(!W)W=Math.max(3,Math.min(36,(host.clientWidth-LW-24)/"
    "Math.max(1,run.ticks)));run.W=W;\n"
    "  var lanes=run.lanes.map(function(l){return {name:l.name,kind:l.kind,rows:[],y:0,h:0};});\n"
    "  run.items.forEach(function(it){if(it.k!=='op')return;var L=lanes[it.lane];var r=0;"
    "while(r<L.rows.length&&L.rows[r]>=it.x0)r++;L.rows[r]=it.x1;it.row=r;});\n"
    "  var y=TOP;lanes.forEach(function(L){L.y=y;L.h=44+12*L.rows.length;L.my=y+L.h-9;y+=L.h;});\n"
    "  var width=LW+W*run.ticks+12,height=y+10;\n"
    "  var "
    "svg=el('svg',{width:width,height:height,'class':'timeline','data-lanes':lanes.length},host);\n"
    "  function X(x){return LW+W*x+W/2;}\n"
    "  var hl=null;function "
    "show(it,on){det.textContent=on?(it.label+(it.detail?'\\n'+it.detail:'')+'\\nvirtual time '+"
    "ft(it.t0)+(it.t1!==it.t0?' .. '+ft(it.t1):'')+(it.line?'  (line "
    "'+it.line+')':'')):det.textContent;"
    "if(hl)hl.classList.remove('hl');hl=null;if(on&&it.line){hl=document.getElementById('r'+run.id+"
    "'-l'+it.line);"
    "if(hl)hl.classList.add('hl');}}\n"
    "  function hover(g,it){var "
    "t=el('title',{},g);t.textContent=it.label+(it.detail?'\\n'+it.detail:'');"
    "g.addEventListener('mouseenter',function(){show(it,true);});g.addEventListener('click',"
    "function(){show(it,true);});}\n"
    "  lanes.forEach(function(L,i){var "
    "g=el('g',{'class':'lane','data-name':L.name,'data-kind':L.kind},svg);"
    "el('rect',{x:0,y:L.y,width:width,height:L.h,fill:i%2?'#f4f6f9':'#ffffff'},g);"
    "var t=el('text',{x:6,y:L.y+16,'font-weight':'bold'},g);t.textContent=L.name;});\n"
    "  var lastLab=[-1e9,-1e9],lastT=-1;for(var x=0;x<run.ticks;x++){var "
    "t=run.tick_t[x];if(t!==lastT){"
    "el('line',{x1:X(x)-W/2,x2:X(x)-W/"
    "2,y1:TOP-8,y2:height,stroke:'#c9d1da','stroke-dasharray':'2,3'},svg);"
    "for(var r=0;r<2;r++){if(X(x)-lastLab[r]>70){var "
    "tx=el('text',{x:X(x)-W/"
    "2+2,y:12+11*r,'class':'tick'},svg);tx.textContent=ft(t);lastLab[r]=X(x);break;}}"
    "lastT=t;}}\n"
    "  var ax=el('text',{x:6,y:31,fill:'#5c6670'},svg);ax.textContent='virtual time \\u2192 (one "
    "column per event)';\n"
    "  run.items.forEach(function(it){var L=lanes[it.lane];var "
    "g=el('g',{'class':(it.k==='step'||it.k==='op'?'bar ':'mark ')+"
    "it.k+(it.fail?' fail':'')+(it.cancelled?' cancelled':'')+(it.error?' "
    "error':''),'data-line':it.line||''},svg);\n"
    "    var x0=X(it.x0)-W/2+1,x1=X(it.x1)+W/2-1;\n"
    "    if(it.k==='step'){var c=it.fail?COL.stepFail:it.error?COL.stepErr:COL.step;"
    "el('rect',{x:x0,y:L.y+20,width:Math.max(3,x1-x0),height:8,rx:2,fill:c,stroke:it.fail?'#7a0000'"
    ":'none',"
    "'stroke-width':it.fail?2:0},g);var "
    "lt=el('text',{x:x0+2,y:L.y+17,fill:it.fail?'#b00000':'#27313b'},g);"
    "var room=Math.max(4,Math.floor(Math.max(x1-x0,60)/6.7));"
    "lt.textContent=it.label.length>room?it.label.slice(0,room-1)+'\\u2026':it.label;}\n"
    "    else if(it.k==='op'){var c2=it.cancelled?COL.opCancel:it.error?COL.opErr:COL.op;var "
    "yy=L.y+31+12*it.row;"
    "el('rect',{x:x0,y:yy,width:Math.max(3,x1-x0),height:7,rx:3,fill:c2,opacity:0.9},g);"
    "if(it.cancelled){var "
    "cx=el('text',{x:x1-8,y:yy+7,fill:'#7a3b00','font-weight':'bold'},g);cx.textContent='\\u2715';}"
    "if(it.to_lane>=0){var P=lanes[it.to_lane];el('path',{d:'M'+x1+' '+(yy+3)+' C'+(x1+20)+' "
    "'+(yy+3)+' '+(x1+20)+' '+(P.y+20)+' '"
    "+X(it.x1)+' '+(P.y+20),fill:'none',stroke:c2,'stroke-width':1.2,'class':'flow'},g);}}\n"
    "    else "
    "if(it.k==='packet'){el('circle',{cx:X(it.x0),cy:L.y+20,r:4.5,fill:it.cancelled?COL.opCancel:"
    "COL.packet},g);}\n"
    "    else if(it.k==='fault'){var fx=X(it.x0);el('path',{d:'M'+(fx-6)+' '+(L.my+6)+' L'+fx+' "
    "'+(L.my-6)+' L'+(fx+6)+' '+"
    "(L.my+6)+' Z',fill:COL.fault},g);var "
    "ft_=el('text',{x:fx-3,y:L.my+5,fill:'#fff','font-size':'9px'},g);ft_.textContent='!';}\n"
    "    else if(it.k==='cancel'){var "
    "kx=X(it.x0);el('line',{x1:kx-5,y1:L.my-5,x2:kx+5,y2:L.my+5,stroke:COL.cancel,"
    "'stroke-width':3},g);el('line',{x1:kx+5,y1:L.my-5,x2:kx-5,y2:L.my+5,stroke:COL.cancel,'stroke-"
    "width':3},g);}\n"
    "    else if(it.k==='deadline'){var "
    "dx=X(it.x0)-W/2;el('line',{x1:dx,x2:dx,y1:L.y+2,y2:L.y+L.h-2,stroke:COL.deadline,"
    "'stroke-width':2},g);el('path',{d:'M'+(dx-6)+' '+(L.y+6)+' L'+dx+' '+L.y+' L'+(dx+6)+' "
    "'+(L.y+6)+' L'+dx+' '+(L.y+12)+' Z',"
    "fill:COL.deadline},g);}\n"
    "    else{el('rect',{x:X(it.x0)-1,y:L.my-3,width:2,height:6,fill:COL.call},g);}\n"
    "    hover(g,it);});\n"
    "  return svg;}\n"
    "var n=0;data.runs.forEach(function(r){render(r);n++;"
    "var z=document.getElementById('zoom-'+r.id);if(z)z.addEventListener('click',function(ev){var "
    "b=ev.target.getAttribute('data-z');"
    "if(!b)return;render(r,b==='fit'?0:Math.max(1,Math.min(200,r.W*parseFloat(b))));});});\n"
    "document.body.setAttribute('data-rendered',String(n));\n"
    "if(location.hash==='#hover-check'){['.mark.fault','.bar.step.fail'].forEach(function(q){var "
    "g=document.querySelector(q);if(g)g.dispatchEvent(new MouseEvent('mouseenter'));});}\n"
    "})();\n"
    "</script>\n";

static void write_scn_text(FILE *f, const scn_t *s, int run_id, uint32_t fail_line) {
  FILE *in = fopen(s->path, "r");
  fprintf(f, "<pre class=\"scn\" id=\"scn-%d\">", run_id);
  if (!in) {
    fprintf(f, "(cannot read %s)", s->path);
  } else {
    char buf[4200];
    uint32_t line = 0;
    while (fgets(buf, sizeof buf, in)) {
      line++;
      buf[strcspn(buf, "\r\n")] = '\0';
      fprintf(f, "<span class=\"ln%s\" id=\"r%d-l%u\" data-line=\"%u\"><i>%u</i>",
              line == fail_line ? " failing" : "", run_id, line, line, line);
      html_esc(f, buf);
      fputs("</span>", f);
    }
    fclose(in);
  }
  fputs("</pre>\n", f);
}

static void write_run_section(FILE *f, const run_rec_t *r, int id) {
  const scn_t *s = r->s;
  fprintf(f, "<section class=\"run\" id=\"run-%d\">\n<h2>", id);
  html_esc(f, s->path);
  fprintf(f, " &mdash; %s &mdash; <span class=\"%s\">%s</span>", r->what,
          r->exit_code ? "fail" : "pass", r->exit_code ? "FAIL" : "PASS");
  if (r->exit_code) fprintf(f, " (%s, exit %d)", r->status, r->exit_code);
  fputs("</h2>\n", f);
  if (s->title) {
    fputs("<div>", f);
    html_esc(f, s->title);
    fputs("</div>\n", f);
  }
  fputs("<div>replay:</div>\n", f);
  if (r->replay_cmd) {
    fputs("<div class=\"replay mono\">", f);
    html_esc(f, r->replay_cmd);
    fputs("</div>\n", f);
  }
  fputs("<div class=\"replay mono\">iocpsim replay '", f);
  html_esc(f, r->token);
  fputs("'</div>\n", f);
  if (r->message) {
    fputs("<pre class=\"msg\">", f);
    html_esc(f, r->message);
    fputs("</pre>\n", f);
  }
  char tb[32];
  fmt_time(r->end_time_ns, tb, sizeof tb);
  fprintf(f, "<div>%" PRIu64 " trace events; the run ended at virtual time %s.</div>\n", r->events,
          tb);
  fputs(
      "<div class=\"legend\"><span><i class=\"sw\" style=\"background:#7aa7e8\"></i>step (invoke "
      "to return)</span>"
      "<span><i class=\"sw\" style=\"background:#d93a3a\"></i>the failing step</span>"
      "<span><i class=\"sw\" style=\"background:#e8a33d\"></i>step with an error result</span>"
      "<span><i class=\"sw\" style=\"background:#56b38a\"></i>overlapped request (submit to "
      "completion)</span>"
      "<span><i class=\"sw\" style=\"background:#f08c2e\"></i>cancelled request / cancel "
      "call</span>"
      "<span><i class=\"sw\" style=\"background:#6f4fb8\"></i>completion packet</span>"
      "<span><i class=\"sw\" style=\"background:#d11f1f\"></i>fault fired</span>"
      "<span><i class=\"sw\" style=\"background:#8a2be2\"></i>deadline expires</span>"
      "<span><i class=\"sw\" style=\"background:#9aa5b1\"></i>other Win32 call</span></div>\n",
      f);
  fprintf(f,
          "<div class=\"zoom\" id=\"zoom-%d\">zoom: <button data-z=\"0.5\">&minus;</button> "
          "<button data-z=\"2\">+</button> "
          "<button data-z=\"fit\">fit</button></div>\n",
          id);
  fprintf(f, "<div class=\"runbody\"><div class=\"tlwrap\" id=\"tl-%d\"></div>\n", id);
  write_scn_text(f, s, id, r->model.fail_line);
  fprintf(f,
          "</div>\n<div class=\"detail\" id=\"detail-%d\">Hover over a bar or a mark for its "
          "details.</div>\n</section>\n",
          id);
}

static void write_run_data(FILE *f, const run_rec_t *r, int id) {
  const model_t *m = &r->model;
  static const char *const lane_kind[] = {"thread", "poller", "fiber", "events", "port"};
  fprintf(f, "{\"id\":%d,\"ticks\":%" PRIu64 ",\"fail_line\":%u,\"lanes\":[", id, m->n_x,
          m->fail_line);
  for (size_t l = 0; l < m->n_lanes; l++) {
    fprintf(f, "%s{\"name\":", l ? "," : "");
    json_str(f, m->lanes[l].name);
    fprintf(f, ",\"kind\":\"%s\"}", lane_kind[m->lanes[l].kind]);
  }
  fputs("],\"tick_t\":[", f);
  for (uint64_t x = 0; x < m->n_x; x++) fprintf(f, "%s%" PRIu64, x ? "," : "", m->tick_t[x]);
  fputs("],\"items\":[", f);
  for (size_t i = 0; i < m->n_items; i++) {
    const item_t *it = &m->items[i];
    fprintf(f,
            "%s\n{\"k\":\"%s\",\"lane\":%d,\"x0\":%" PRIu64 ",\"x1\":%" PRIu64 ",\"t0\":%" PRIu64
            ",\"t1\":%" PRIu64,
            i ? "," : "", item_kind[it->kind], it->lane, it->x0, it->x1, it->t0, it->t1);
    if (it->line) fprintf(f, ",\"line\":%u", it->line);
    if (it->fail) fputs(",\"fail\":true", f);
    if (it->error) fputs(",\"error\":true", f);
    if (it->cancelled) fputs(",\"cancelled\":true", f);
    if (it->kind == IT_OP) fprintf(f, ",\"to_lane\":%d", it->to_lane);
    fputs(",\"label\":", f);
    json_str(f, it->label);
    if (it->detail) {
      fputs(",\"detail\":", f);
      json_str(f, it->detail);
    }
    fputs("}", f);
  }
  fputs("]}", f);
}

typedef struct scn_sweep {
  const scn_t *s;
  uint64_t runs, passed;
  outcome_step_t *steps;
  size_t n_steps, cap_steps;
  flat_t *flat; /* per thread (0 main) */
} scn_sweep_t;

static void write_chart(FILE *f, const scn_sweep_t *sw) {
  fputs("<div class=\"chart\">", f);
  if (sw->n_steps == 0) fputs("<div>(no step lists more than one allowed outcome)</div>", f);
  for (size_t i = 0; i < sw->n_steps; i++) {
    const outcome_step_t *os = &sw->steps[i];
    uint64_t total = 0, max = 1;
    for (size_t k = 0; k < os->n_alts; k++)
      total += os->alt_count[k], max = os->alt_count[k] > max ? os->alt_count[k] : max;
    for (size_t k = 0; k < os->n_other; k++)
      total += os->other_count[k], max = os->other_count[k] > max ? os->other_count[k] : max;
    size_t reached = 0;
    for (size_t k = 0; k < os->n_alts; k++) reached += os->alt_count[k] > 0;
    fprintf(f, "<h3 class=\"mono\">line %u, %s: ", os->st->line, thread_name(sw->s, os->thread));
    html_esc(f, os->raw);
    fprintf(f, " &mdash; <span class=\"%s\">%zu of %zu allowed outcomes reached</span></h3>\n",
            reached == os->n_alts ? "pass" : "fail", reached, os->n_alts);
    for (size_t k = 0; k < os->n_alts; k++) {
      fputs("<div class=\"row outcome\"><span class=\"lab mono\">", f);
      html_esc(f, os->alts[k]);
      fprintf(f,
              "</span><span class=\"bar%s\" style=\"width:%upx\"></span><span>%" PRIu64
              "%s</span></div>\n",
              os->alt_count[k] ? "" : " zero", (unsigned)(os->alt_count[k] * 400 / max),
              os->alt_count[k], os->alt_count[k] ? "" : " (never reached)");
    }
    for (size_t k = 0; k < os->n_other; k++) {
      fputs("<div class=\"row outcome other\"><span class=\"lab mono\">not allowed: ", f);
      html_esc(f, os->other[k]);
      fprintf(f,
              "</span><span class=\"bar other\" style=\"width:%upx\"></span><span>%" PRIu64
              "</span></div>\n",
              (unsigned)(os->other_count[k] * 400 / max), os->other_count[k]);
    }
    fprintf(f,
            "<div class=\"mono\" style=\"color:#5c6670\">%" PRIu64 " results in %" PRIu64
            " runs</div>\n",
            total, sw->runs);
  }
  fputs("</div>\n", f);
}

static int severity(int code) {
  return code == 3 ? 4 : code == 2 ? 3 : code == 1 ? 2 : code == 64 ? 1 : 0;
}

int scn_report(scn_t **ss, size_t n, const scn_report_opts_t *o) {
  char err[512];
  unsigned max_detail = o->max_detail ? o->max_detail : 10;
  run_rec_t *runs = NULL;
  size_t n_runs = 0, cap_runs = 0;
  scn_sweep_t *sweeps = xmalloc((n + 1) * sizeof *sweeps);
  size_t n_sw = 0;
  int worst = 0;
  bool sweep = false;
  size_t n_detail = 0;
  bool perfetto_done = false;
  int rc_io = 0;
  scn_token_t tok;
  bool have_tok = false;
  scn_t *tok_scn = NULL;
  if (o->token) {
    if (!scn_token_parse(o->token, &tok, err, sizeof err)) {
      fprintf(stderr, "iocpsim: report: %s\n", err);
      free(sweeps);
      return 64;
    }
    have_tok = true;
    scn_error_t perr;
    tok_scn = scn_parse_file(tok.path, &perr);
    if (!tok_scn) {
      fprintf(stderr, "%s:%u:%u: error: %s\n", tok.path, perr.line, perr.col, perr.msg);
      scn_token_free(&tok);
      free(sweeps);
      return 64;
    }
    runs = xgrow(runs, &cap_runs, 1, sizeof *runs);
    if (!play(tok_scn, o, &tok, 0, true, o->perfetto, &runs[0], err, sizeof err)) {
      fprintf(stderr, "iocpsim: report: %s\n", err);
      rc_io = 64;
    }
    perfetto_done = o->perfetto != NULL;
    runs[0].anchor = 0;
    n_runs = 1;
    n_detail = 1;
    worst = runs[0].exit_code;
  } else {
    size_t n_ok = 0;
    for (size_t i = 0; i < n; i++) n_ok += ss[i] != NULL;
    sweep = o->seeds > 1 || n_ok > 1;
    for (size_t i = 0; i < n; i++) {
      if (!ss[i]) continue;
      scn_sweep_t *sw = &sweeps[n_sw++];
      memset(sw, 0, sizeof *sw);
      sw->s = ss[i];
      collect_steps(&ss[i]->setup.body, 0, &sw->steps, &sw->n_steps, &sw->cap_steps);
      for (size_t k = 0; k < ss[i]->n_threads; k++)
        collect_steps(&ss[i]->threads[k].body, (int)k + 1, &sw->steps, &sw->n_steps,
                      &sw->cap_steps);
      sw->flat = xmalloc((ss[i]->n_threads + 1) * sizeof *sw->flat);
      flatten(&ss[i]->setup.body, &sw->flat[0], 1000000);
      for (size_t k = 0; k < ss[i]->n_threads; k++)
        flatten(&ss[i]->threads[k].body, &sw->flat[k + 1], 1000000);
      /* PCT: k, the decisions of a run, from a depth-1 calibration run (as `run --strategy pct:D`)
       */
      uint64_t k = 1;
      if (o->pct_depth) {
        scn_token_t cal = {.path = ss[i]->path,
                           .personality = o->personality,
                           .kind = SCN_TOK_PCT,
                           .seed = o->seed,
                           .depth = 1,
                           .k = 1};
        run_rec_t cr;
        if (play(ss[i], o, &cal, o->seed, false, NULL, &cr, err, sizeof err) && cr.n_decisions > 0)
          k = cr.n_decisions;
        run_rec_free(&cr);
      }
      for (uint64_t j = 0; j < o->seeds; j++) {
        runs = xgrow(runs, &cap_runs, n_runs + 1, sizeof *runs);
        run_rec_t *rr = &runs[n_runs++];
        bool detail = !sweep;
        scn_token_t pt = {.path = ss[i]->path,
                          .personality = o->personality,
                          .kind = SCN_TOK_PCT,
                          .seed = o->seed + j,
                          .depth = o->pct_depth,
                          .k = k};
        const scn_token_t *tk = o->pct_depth ? &pt : NULL;
        if (!play(ss[i], o, tk, o->seed + j, detail, detail ? o->perfetto : NULL, rr, err,
                  sizeof err)) {
          fprintf(stderr, "iocpsim: report: %s\n", err);
          rc_io = 64;
        }
        if (detail && o->perfetto) perfetto_done = true;
        sw->runs++;
        if (rr->exit_code == 0) sw->passed++;
        if (severity(rr->exit_code) > severity(worst)) worst = rr->exit_code;
        outcome_add(ss[i], sw->flat, sw->steps, sw->n_steps, rr->history);
        if (!detail && rr->exit_code != 0 && n_detail < max_detail) {
          /* play it again with a trace: runs are deterministic */
          run_rec_t again;
          const char *pf = o->perfetto && !perfetto_done ? o->perfetto : NULL;
          if (!play(ss[i], o, tk, o->seed + j, true, pf, &again, err, sizeof err)) {
            fprintf(stderr, "iocpsim: report: %s\n", err);
            rc_io = 64;
          }
          if (pf) perfetto_done = true;
          if (again.exit_code != rr->exit_code || strcmp(again.history, rr->history) != 0)
            fprintf(stderr, "iocpsim: report: %s seed %" PRIu64 " did not replay the same way\n",
                    ss[i]->path, o->seed + j);
          again.anchor = (int)n_detail++;
          run_rec_free(rr);
          *rr = again;
        }
        if (!detail) {
          free(rr->history);
          rr->history = NULL;
        } else {
          rr->anchor = (int)n_detail++;
        }
      }
    }
    if (o->perfetto && !perfetto_done && n_runs > 0) {
      /* a sweep without failures: the first run (its token, for PCT) */
      run_rec_t first;
      scn_token_t ft;
      bool have_ft = o->pct_depth && scn_token_parse(runs[0].token, &ft, err, sizeof err);
      if (!play(runs[0].s, o, have_ft ? &ft : NULL, runs[0].seed, true, o->perfetto, &first, err,
                sizeof err)) {
        fprintf(stderr, "iocpsim: report: %s\n", err);
        rc_io = 64;
      }
      run_rec_free(&first);
      if (have_ft) scn_token_free(&ft);
    }
  }

  if (o->html) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", o->html);
    FILE *f = fopen(tmp, "w");
    if (!f) {
      fprintf(stderr, "iocpsim: report: %s: %s\n", tmp, strerror(errno));
      rc_io = 64;
    } else {
      fprintf(f, html_head, "iocpsim report");
      fputs("<h1>iocpsim report</h1>\n", f);
      size_t failed = 0;
      for (size_t i = 0; i < n_runs; i++) failed += runs[i].exit_code != 0;
      fprintf(f,
              "<div class=\"summary\">%zu run%s: %zu passed, <span class=\"%s\">%zu "
              "failed</span>.</div>\n",
              n_runs, n_runs == 1 ? "" : "s", n_runs - failed, failed ? "fail" : "pass", failed);
      if (sweep) {
        fputs(
            "<section id=\"sweep\"><h2>Scenarios</h2>\n<table "
            "class=\"seeds\"><tr><th>scenario</th><th>runs</th>"
            "<th>passed</th><th>failed</th><th>first failure</th></tr>\n",
            f);
        for (size_t k = 0; k < n_sw; k++) {
          const run_rec_t *ff = NULL;
          for (size_t i = 0; i < n_runs && !ff; i++)
            if (runs[i].s == sweeps[k].s && runs[i].exit_code) ff = &runs[i];
          fputs("<tr class=\"scn-row\"><td class=\"mono\">", f);
          html_esc(f, sweeps[k].s->path);
          fprintf(f,
                  "</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td class=\"%s\">%" PRIu64
                  "</td><td class=\"mono\">",
                  sweeps[k].runs, sweeps[k].passed,
                  sweeps[k].runs == sweeps[k].passed ? "pass" : "fail",
                  sweeps[k].runs - sweeps[k].passed);
          if (ff && ff->message) {
            int ml = (int)strcspn(ff->message, "\n");
            char *m1 = xfmt("seed %" PRIu64 ": %.*s", ff->seed, ml, ff->message);
            html_esc(f, m1);
            free(m1);
          }
          fputs("</td></tr>\n", f);
        }
        fputs(
            "</table>\n<h2>Seeds</h2>\n<div>One cell per seed: green passed, red failed; a failing "
            "seed links to its "
            "run below (the first ones) or shows its replay command on hover.</div>\n<table "
            "class=\"seeds grid\">\n",
            f);
        for (size_t k = 0; k < n_sw; k++) {
          fputs("<tr><td class=\"mono\">", f);
          html_esc(f, sweeps[k].s->path);
          fputs("</td><td>", f);
          for (size_t i = 0; i < n_runs; i++) {
            const run_rec_t *r = &runs[i];
            if (r->s != sweeps[k].s) continue;
            fprintf(
                f, "<a class=\"seed %s\" data-seed=\"%" PRIu64 "\" title=\"seed %" PRIu64 ": %s",
                r->exit_code ? "fail" : "pass", r->seed, r->seed, r->exit_code ? "FAIL" : "pass");
            if (r->exit_code && r->replay_cmd) {
              fputs(" &#10;", f);
              html_esc(f, r->replay_cmd);
            } else if (r->exit_code && r->token) {
              fputs(" &#10;iocpsim replay '", f);
              html_esc(f, r->token);
              fputs("'", f);
            }
            fputs("\"", f);
            if (r->anchor >= 0) fprintf(f, " href=\"#run-%d\"", r->anchor);
            fprintf(f, ">%" PRIu64 "</a>", r->seed);
          }
          fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
        if (n_detail < failed)
          fprintf(f,
                  "<div>The first %zu failing runs are shown in full below; the others replay with "
                  "the command their "
                  "cell shows.</div>\n",
                  n_detail);
        fputs(
            "<h2>Outcomes per scenario</h2>\n<div>For each step that allows more than one outcome: "
            "how often each "
            "allowed outcome occurred over the sweep (a red line: never reached).</div>\n",
            f);
        for (size_t k = 0; k < n_sw; k++) {
          fputs("<h3 class=\"mono\">", f);
          html_esc(f, sweeps[k].s->path);
          fprintf(f, " &mdash; %" PRIu64 " runs, %" PRIu64 " passed</h3>\n", sweeps[k].runs,
                  sweeps[k].passed);
          write_chart(f, &sweeps[k]);
        }
        fputs("</section>\n", f);
      }
      for (size_t i = 0; i < n_runs; i++)
        if (runs[i].anchor >= 0 && runs[i].has_model)
          write_run_section(f, &runs[i], runs[i].anchor);
      fputs("<script type=\"application/json\" id=\"iocpsim-data\">{\"runs\":[", f);
      bool first = true;
      for (size_t i = 0; i < n_runs; i++) {
        if (runs[i].anchor < 0 || !runs[i].has_model) continue;
        if (!first) fputs(",\n", f);
        first = false;
        write_run_data(f, &runs[i], runs[i].anchor);
      }
      fputs("]}</script>\n", f);
      fputs(html_script, f);
      fputs("</body></html>\n", f);
      bool ok = fflush(f) == 0 && !ferror(f);
      ok = fclose(f) == 0 && ok;
      if (ok && rename(tmp, o->html) != 0) ok = false;
      if (!ok) {
        fprintf(stderr, "iocpsim: report: could not write %s: %s\n", o->html, strerror(errno));
        remove(tmp);
        rc_io = 64;
      }
    }
  }
  /* one line per run on stdout, and where the files are */
  size_t failed = 0;
  for (size_t i = 0; i < n_runs; i++) failed += runs[i].exit_code != 0;
  printf("%zu run%s, %zu failed", n_runs, n_runs == 1 ? "" : "s", failed);
  if (o->html && !rc_io) printf("; report: %s", o->html);
  if (o->perfetto && !rc_io) printf("; perfetto: %s", o->perfetto);
  printf("\n");
  for (size_t i = 0; i < n_runs; i++) run_rec_free(&runs[i]);
  free(runs);
  for (size_t k = 0; k < n_sw; k++) {
    for (size_t i = 0; i < sweeps[k].n_steps; i++) {
      outcome_step_t *os = &sweeps[k].steps[i];
      for (size_t a = 0; a < os->n_alts; a++) free(os->alts[a]);
      for (size_t a = 0; a < os->n_other; a++) free(os->other[a]);
      free(os->other);
      free(os->other_count);
    }
    free(sweeps[k].steps);
    for (size_t t = 0; sweeps[k].flat && t <= sweeps[k].s->n_threads; t++)
      free(sweeps[k].flat[t].st);
    free(sweeps[k].flat);
  }
  free(sweeps);
  if (have_tok) {
    scn_token_free(&tok);
    scn_free(tok_scn);
  }
  return rc_io ? rc_io : worst;
}
