/* sim_trace.c: trace events, the run's hash, the ring of recent events and
 * the JSONL file.
 *
 * Two event kinds: a call (virtual time, fiber, API name, arguments, result,
 * last error) and a switch (time, from, to).  The hash is fed the fields
 * themselves (the name through its cached FNV-1a hash), so no text is
 * formatted unless a trace file was asked for.  Pointer arguments contribute
 * only whether they are NULL. */
#include "sim_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static inline uint64_t mix(uint64_t h, uint64_t v) {
  v *= 0x9e3779b97f4a7c15ull;
  v ^= v >> 32;
  h ^= v;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 29;
  return h;
}

/* k in 1..63 */
static inline uint64_t rotl(uint64_t v, unsigned k) {
  return (v << k) | (v >> (64 - k));
}

/* One odd multiplier per field of an event (time, fiber, result, last
 * error, then each argument).  An event's fields are folded into one word
 * by products that do not depend on each other (so the CPU overlaps them),
 * and only that word goes through the chained mix: the hash is the hot
 * path of every scheduling point. */
static const uint64_t field_k[4 + SIM_TRACE_MAX_ARGS] = {
    0x9e3779b97f4a7c15ull, 0xc2b2ae3d27d4eb4full, 0x165667b19e3779f9ull, 0xd6e8feb86659fd93ull,
    0xff51afd7ed558ccdull, 0xc4ceb9fe1a85ec53ull, 0x87c37b91114253d5ull, 0x4cf5ad432745937full,
    0xa0761d6478bd642full, 0xe7037ed1a0b428dbull};

static inline uint64_t field(int i, uint64_t v) {
  return rotl(v * field_k[i], (unsigned)(7 * i + 5) % 63u + 1u);
}

static int tp_nargs(const sim_tracepoint_t *tp) {
  int n = 0;
  while (n < SIM_TRACE_MAX_ARGS && tp->args[n].name != NULL) n++;
  return n;
}

/* The tracepoint's cache word (name_hash_), computed on first use: bit 0
 * set (0 means "not computed"), bits 1-3 the argument count, bits 4-9
 * which arguments are pointers, bit 10 a pointer result, bits 11-63 the
 * name's FNV-1a hash. */
static uint64_t tp_cache(sim_tracepoint_t *tp) {
  if (tp->name_hash_ == 0) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (const char *p = tp->name; *p; p++) h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
    int n = tp_nargs(tp);
    uint64_t c = 1u | (uint64_t)n << 1;
    for (int i = 0; i < n; i++)
      if (tp->args[i].fmt == 'p') c |= 1ull << (4 + i);
    if (tp->ret_fmt == 'p') c |= 1ull << 10;
    tp->name_hash_ = c | h << 11;
  }
  return tp->name_hash_;
}

/* Formats one value; returns chars written (snprintf semantics). */
static int fmt_value(char *buf, size_t len, char fmt, uint64_t v, bool json) {
  switch (fmt) {
    case 'x':
      return snprintf(buf, len, json ? "\"0x%" PRIx64 "\"" : "0x%" PRIx64, v);
    case 'd':
      return snprintf(buf, len, "%" PRId64, (int64_t)v);
    case 'p':
      return snprintf(buf, len, json ? "\"%s\"" : "%s", v ? "ptr" : "NULL");
    default:
      return snprintf(buf, len, "%" PRIu64, v);
  }
}

static void write_json(sim_world_t *w, const sim_trace_ev_t *e) {
  FILE *f = w->trace_file;
  char v[48];
  fprintf(f, "{\"i\":%" PRIu64 ",\"t\":%" PRIu64 ",\"f\":%" PRIu32, w->n_events, e->t, e->fiber);
  if (e->tp == NULL) {
    fprintf(f, ",\"switch\":%" PRIu32 "}\n", e->to);
    return;
  }
  fprintf(f, ",\"call\":\"%s\",\"args\":{", e->tp->name);
  int na = tp_nargs(e->tp);
  for (int i = 0; i < na; i++) {
    fmt_value(v, sizeof v, e->tp->args[i].fmt, e->args[i], true);
    fprintf(f, "%s\"%s\":%s", i ? "," : "", e->tp->args[i].name, v);
  }
  fmt_value(v, sizeof v, e->tp->ret_fmt, e->ret, true);
  fprintf(f, "},\"ret\":%s,\"err\":%" PRIu32 "}\n", v, e->err);
}

static void record(sim_world_t *w, const sim_trace_ev_t *e) {
  w->n_events++;
  if (w->trace_file != NULL) write_json(w, e);
  w->ring[w->ring_pos] = *e;
  w->ring_pos = w->ring_pos + 1 == w->ring_cap ? 0 : w->ring_pos + 1;
}

void sim_trace_call(sim_tracepoint_t *tp, const uint64_t *args, uint64_t ret, uint32_t last_error) {
  sim_world_t *w = sim_world_;
  if (w == NULL) {
    fprintf(stderr, "sim: %s traced outside any world\n", tp->name);
    abort();
  }
  sim_trace_ev_t e;
  e.t = w->now;
  e.fiber = w->in_event || w->cur == &w->host ? 0 : w->cur->id;
  e.tp = tp;
  e.to = 0;
  e.ret = ret;
  e.err = last_error;
  uint64_t c = tp_cache(tp);
  int na = (int)((c >> 1) & 7u);
  /* Pointer arguments and results count only as NULL or not. */
  uint64_t acc = (c >> 11) ^ field(0, e.t) ^ field(1, e.fiber) ^
                 field(2, (c >> 10) & 1u ? (ret != 0) : ret) ^ field(3, last_error);
  for (int i = 0; i < na; i++) {
    e.args[i] = args[i];
    acc ^= field(4 + i, (c >> (4 + i)) & 1u ? (args[i] != 0) : args[i]);
  }
  for (int i = na; i < SIM_TRACE_MAX_ARGS; i++) e.args[i] = 0;
  w->hash = mix(w->hash, acc ^ 1);
  record(w, &e);
  if (w->cfg->observer != NULL) {
    sim_trace_view_t v = {
        .t = e.t, .fiber = e.fiber, .tp = tp, .args = e.args, .ret = ret, .err = last_error};
    w->cfg->observer(w->cfg->observer_arg, &v);
  }
}

void sim_trace_switch(sim_world_t *w, uint32_t from, uint32_t to) {
  sim_trace_ev_t e;
  memset(&e, 0, sizeof e);
  e.t = w->now;
  e.fiber = from;
  e.to = to;
  w->hash = mix(w->hash, field(0, e.t) ^ field(1, from) ^ field(2, to) ^ 2);
  record(w, &e);
}

uint64_t sim_trace_hash(void) {
  return sim_world_ ? sim_world_->hash : 0;
}

bool sim_trace_open(sim_world_t *w, char *why, size_t why_len) {
  w->hash = 0x6a09e667f3bcc908ull;
  w->ring_cap = w->cfg->trace_ring ? w->cfg->trace_ring : SIM_DEFAULT_TRACE_RING;
  w->ring = calloc(w->ring_cap, sizeof *w->ring);
  if (w->ring == NULL) abort();
  w->ring_pos = 0;
  if (w->cfg->trace_path != NULL) {
    w->trace_file = fopen(w->cfg->trace_path, "w");
    if (w->trace_file == NULL) {
      snprintf(why, why_len, "cannot open trace file %s", w->cfg->trace_path);
      return false;
    }
  }
  return true;
}

void sim_trace_close(sim_world_t *w) {
  if (w->trace_file != NULL) fclose(w->trace_file);
  w->trace_file = NULL;
  free(w->ring);
  w->ring = NULL;
}

void sim_buf_printf(char **buf, size_t *len, size_t *cap, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    size_t room = *cap - *len;
    va_start(ap, fmt);
    int k = vsnprintf(*buf ? *buf + *len : NULL, *buf ? room : 0, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    if (*buf != NULL && (size_t)k < room) {
      *len += (size_t)k;
      return;
    }
    size_t ncap = (*cap ? *cap : 256);
    while (ncap - *len <= (size_t)k) ncap *= 2;
    char *p = realloc(*buf, ncap);
    if (p == NULL) abort();
    *buf = p;
    *cap = ncap;
  }
}

void sim_trace_tail(sim_world_t *w, char **buf, size_t *len, size_t *cap) {
  size_t have = w->n_events < w->ring_cap ? (size_t)w->n_events : w->ring_cap;
  sim_buf_printf(buf, len, cap, "trace tail (last %zu of %" PRIu64 " events):\n", have,
                 w->n_events);
  for (size_t i = 0; i < have; i++) {
    size_t idx = (w->ring_pos + w->ring_cap - have + i) % w->ring_cap;
    const sim_trace_ev_t *e = &w->ring[idx];
    if (e->tp == NULL) {
      sim_buf_printf(buf, len, cap, "  t=%" PRIu64 " #%" PRIu32 " -> #%" PRIu32 "\n", e->t,
                     e->fiber, e->to);
      continue;
    }
    char args[256];
    size_t n = 0;
    args[0] = '\0';
    int na = tp_nargs(e->tp);
    for (int a = 0; a < na && n < sizeof args; a++) {
      int k = snprintf(args + n, sizeof args - n, "%s%s=", a ? ", " : "", e->tp->args[a].name);
      if (k > 0) n = (size_t)k < sizeof args - n ? n + (size_t)k : sizeof args - 1;
      k = fmt_value(args + n, sizeof args - n, e->tp->args[a].fmt, e->args[a], false);
      if (k > 0) n = (size_t)k < sizeof args - n ? n + (size_t)k : sizeof args - 1;
    }
    char ret[40];
    fmt_value(ret, sizeof ret, e->tp->ret_fmt, e->ret, false);
    sim_buf_printf(buf, len, cap, "  t=%" PRIu64 " #%" PRIu32 " %s(%s) = %s, err %" PRIu32 "\n",
                   e->t, e->fiber, e->tp->name, args, ret, e->err);
  }
}
