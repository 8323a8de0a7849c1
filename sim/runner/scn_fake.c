/* scn_fake.c: plays a scenario in a simulated world (fakewin + sim).
 *
 * Configures the world from the scenario (personality, network, system,
 * console), runs the interpreter as the world's main thread under one seed,
 * then judges the run: the engine's verdict, the trace checks (fed by a
 * trace observer while the world runs, so nothing is stored per event),
 * the fault-fired checks and the golden history.  This file includes no
 * Win32 header: the world is reached through fw_world.h and sim.h only. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../fakewin/world/fw_world.h"
#include "core_test.h"
#include "scn.h"
#include "scn_interp.h"
#include "scn_run.h"
#include "scn_verbs.h"
#include "sim.h"

/* The core's process-wide state is reset at every world start and end (as
 * the test harness does), and its panics end the world as a crash. */
extern void core_process_reset(void);
typedef void (*core_panic_fn)(const char *msg);
extern core_panic_fn core_set_panic_hook(core_panic_fn hook);

static void reset_core(void *arg) {
  (void)arg;
  core_process_reset();
}
static sim_hook_t core_hook = {.world_start = reset_core, .world_end = reset_core};

static void on_panic(const char *msg) {
  sim_fail(SIM_STATUS_CRASH, "panic: %s", msg);
}

/* ---- per run ------------------------------------------------------------------- */

typedef struct check_state {
  int64_t count; /* matching events (contains/lacks/count) */
  size_t next;   /* order: patterns matched so far */
  /* a field no event of that call has as an argument: the pattern can
   * never match, which would make `lacks` pass vacuously */
  const char *bad_field;
  const sim_tracepoint_t *bad_tp;
} check_state_t;

typedef struct rule_name {
  char name[40];
  uint32_t id;
} rule_name_t;

static struct {
  const scn_t *s;
  scn_interp_t *in;
  check_state_t *checks;
  rule_name_t rules[64];
  size_t n_rules;
  uint32_t *site_calls; /* opts.count_sites */
} R;

uint64_t scn_be_now(void) {
  return sim_now();
}

void scn_be_fail(const char *msg) {
  sim_fail(SIM_STATUS_EXPECT_FAILED, "%s", msg);
}

static void remember_rule(const char *rule, uint32_t id) {
  const char *p = strstr(rule, "name=");
  if (!p || R.n_rules == sizeof R.rules / sizeof R.rules[0]) return;
  if (p != rule && p[-1] != ' ' && p[-1] != '\t') return;
  p += 5;
  size_t n = 0;
  while (p[n] && p[n] != ' ' && p[n] != '\t' && n + 1 < sizeof R.rules[0].name) n++;
  memcpy(R.rules[R.n_rules].name, p, n);
  R.rules[R.n_rules].name[n] = '\0';
  R.rules[R.n_rules].id = id;
  R.n_rules++;
}

bool scn_be_fault(const char *rule, char *err, size_t len) {
  uint32_t id = fw_fault_add_text(rule, err, len);
  if (id != 0) remember_rule(rule, id);
  return id != 0;
}

void scn_be_name_thread(const char *name) {
  sim_fiber_set_name(sim_current(), name);
}

static sim_tracepoint_t step_tps[SCN_V_COUNT];
static char step_names[SCN_V_COUNT][40];

void scn_be_trace_step(int verb, uint32_t line, int phase, int64_t err, int64_t n) {
  if (verb < 0 || verb >= SCN_V_COUNT) return;
  sim_tracepoint_t *tp = &step_tps[verb];
  if (tp->name == NULL) {
    snprintf(step_names[verb], sizeof step_names[verb], "scn.%s", scn_verb_name(verb));
    tp->name = step_names[verb];
    tp->args[0] = (sim_trace_arg_t){"line", 'u'};
    tp->args[1] = (sim_trace_arg_t){"phase", 'u'};
    tp->args[2] = (sim_trace_arg_t){"n", 'd'};
    tp->ret_fmt = 'd';
  }
  uint64_t args[3] = {line, (uint64_t)phase, (uint64_t)n};
  sim_trace_call(tp, args, (uint64_t)err, 0);
}

/* Kinds of handle a scenario's objects are made of; the runtime's own
 * (the poller's port and thread, pollDesc semaphores) are not counted. */
static bool counted_type(const char *t) {
  return strcmp(t, "socket") == 0 || strcmp(t, "file") == 0 || strcmp(t, "pipe") == 0 ||
         strcmp(t, "console") == 0 || strcmp(t, "event") == 0;
}

void scn_be_handle_snapshot(scn_handle_snap_t *snap) {
  size_t n = fw_world_handles(NULL, 0);
  fw_world_handle_t *hs = calloc(n + 1, sizeof *hs);
  if (!hs) exit(3);
  n = fw_world_handles(hs, n);
  snap->values = calloc(n + 1, sizeof *snap->values);
  if (!snap->values) exit(3);
  snap->n = 0;
  for (size_t i = 0; i < n; i++) snap->values[snap->n++] = hs[i].value;
  free(hs);
}

size_t scn_be_leaked_handles(const scn_handle_snap_t *before, char *buf, size_t len) {
  size_t n = fw_world_handles(NULL, 0);
  fw_world_handle_t *hs = calloc(n + 1, sizeof *hs);
  if (!hs) exit(3);
  n = fw_world_handles(hs, n);
  size_t leaked = 0, w = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    if (!counted_type(hs[i].type)) continue;
    if (core_test_is_runtime_handle((HANDLE)(uintptr_t)hs[i].value)) continue;
    bool old = false;
    for (size_t j = 0; j < before->n && !old; j++) old = before->values[j] == hs[i].value;
    if (old) continue;
    leaked++;
    if (w < len)
      w += (size_t)snprintf(buf + w, len - w, "%s%s 0x%" PRIx64 " (object #%u)",
                            leaked > 1 ? ", " : "", hs[i].type, hs[i].value, hs[i].serial);
  }
  free(hs);
  return leaked;
}

uint32_t scn_be_pending_io(void) {
  return fw_world_pending_io();
}

/* Fibers switch only inside Win32 calls: bookkeeping needs no lock. */
void scn_be_lock(void) {}
void scn_be_unlock(void) {}

void scn_be_path(const char *path, bool pipe, char *out, size_t cap) {
  (void)pipe;
  snprintf(out, cap, "%s", path);
}

uint32_t scn_be_handle_serial(uint64_t value) {
  size_t n = fw_world_handles(NULL, 0);
  fw_world_handle_t *all = calloc(n + 1, sizeof *all);
  if (!all) exit(3);
  n = fw_world_handles(all, n);
  uint32_t serial = 0;
  for (size_t i = 0; i < n && !serial; i++)
    if (all[i].value == value) serial = all[i].serial;
  free(all);
  return serial;
}

/* ---- trace checks -------------------------------------------------------------- */

static bool pattern_matches(const scn_pattern_t *p, const sim_trace_view_t *ev) {
  if (strcmp(p->call, ev->tp->name) != 0) return false;
  for (uint32_t k = 0; k < p->n_fields; k++) {
    const char *f = p->field[k];
    if (strcmp(f, "ret") == 0) {
      if ((int64_t)ev->ret != p->value[k] && (int64_t)(int32_t)ev->ret != p->value[k]) return false;
    } else if (strcmp(f, "err") == 0) {
      if ((int64_t)ev->err != p->value[k]) return false;
    } else if (p->svalue[k] && p->svalue[k][0] == '@') {
      /* an argument that must be this object's handle */
      uint64_t h;
      if (!scn_interp_handle(R.in, p->svalue[k] + 1, &h)) return false;
      bool found = false;
      for (int a = 0; a < SIM_TRACE_MAX_ARGS && ev->tp->args[a].name; a++)
        if (strcmp(ev->tp->args[a].name, f) == 0 && ev->args[a] == h) found = true;
      if (!found) return false;
    } else if (strcmp(f, "thread") == 0) {
      sim_fiber_t *fb = ev->fiber ? sim_fiber_by_id(ev->fiber) : NULL;
      if (!fb || strcmp(sim_fiber_name(fb), p->svalue[k]) != 0) return false;
    } else {
      bool found = false;
      for (int a = 0; a < SIM_TRACE_MAX_ARGS && ev->tp->args[a].name; a++) {
        if (strcmp(ev->tp->args[a].name, f) == 0) {
          found = true;
          uint64_t v = ev->tp->args[a].fmt == 'p' ? ev->args[a] != 0 : ev->args[a];
          if ((int64_t)v != p->value[k] && (int64_t)(int32_t)v != p->value[k]) return false;
        }
      }
      if (!found) return false;
    }
  }
  return true;
}

/* The fault site of a tracepoint, cached by its address (tracepoints are
 * static objects). */
static const void *site_tp[256];
static int8_t site_of_tp[256];

static int tp_site(const sim_tracepoint_t *tp) {
  size_t h = ((uintptr_t)tp >> 4) & 255;
  for (size_t k = 0; k < 256; k++, h = (h + 1) & 255) {
    if (site_tp[h] == tp) return site_of_tp[h];
    if (site_tp[h] == NULL) {
      site_tp[h] = tp;
      site_of_tp[h] = (int8_t)fw_site_by_name(tp->name);
      return site_of_tp[h];
    }
  }
  return (int)fw_site_by_name(tp->name);
}

/* The first field of p that names nothing the call has (NULL: all fine). */
static const char *unknown_field(const scn_pattern_t *p, const sim_trace_view_t *ev) {
  if (strcmp(p->call, ev->tp->name) != 0) return NULL;
  for (uint32_t k = 0; k < p->n_fields; k++) {
    const char *f = p->field[k];
    if (strcmp(f, "ret") == 0 || strcmp(f, "err") == 0 || strcmp(f, "thread") == 0) continue;
    bool known = false;
    for (int a = 0; a < SIM_TRACE_MAX_ARGS && ev->tp->args[a].name; a++)
      if (strcmp(ev->tp->args[a].name, f) == 0) known = true;
    if (!known) return f;
  }
  return NULL;
}

static void observe(void *arg, const sim_trace_view_t *ev) {
  (void)arg;
  const scn_t *s = R.s;
  for (size_t i = 0; i < s->n_checks; i++) {
    const scn_check_t *c = &s->checks[i];
    for (size_t j = 0; j < c->n_pats && !R.checks[i].bad_field; j++) {
      const char *bad = unknown_field(&c->pats[j], ev);
      if (bad) {
        R.checks[i].bad_field = bad;
        R.checks[i].bad_tp = ev->tp;
      }
    }
  }
  if (R.site_calls) {
    int site = tp_site(ev->tp);
    if (site > 0 && site < SCN_SITES) R.site_calls[site]++;
  }
  for (size_t i = 0; i < s->n_checks; i++) {
    const scn_check_t *c = &s->checks[i];
    check_state_t *cs = &R.checks[i];
    switch (c->kind) {
      case SCN_C_TRACE_CONTAINS:
      case SCN_C_TRACE_LACKS:
      case SCN_C_TRACE_COUNT:
        if (pattern_matches(&c->pats[0], ev)) cs->count++;
        break;
      case SCN_C_TRACE_ORDER:
        if (cs->next < c->n_pats && pattern_matches(&c->pats[cs->next], ev)) cs->next++;
        break;
      default:
        break;
    }
  }
}

static bool cmp_ok(scn_cmp_t cmp, int64_t have, int64_t want) {
  return cmp == SCN_CMP_EQ ? have == want : cmp == SCN_CMP_GE ? have >= want : have <= want;
}

static const char *cmp_text(scn_cmp_t cmp) {
  return cmp == SCN_CMP_EQ ? "" : cmp == SCN_CMP_GE ? ">= " : "<= ";
}

static bool has_sub(const char *h, size_t hl, const uint8_t *n, size_t nl) {
  if (nl == 0) return true;
  for (size_t i = 0; i + nl <= hl; i++)
    if (memcmp(h + i, n, nl) == 0) return true;
  return false;
}

/* UTF-16 to UTF-8; a lone surrogate becomes U+FFFD. */
static char *units_to_utf8(const uint16_t *u, size_t n) {
  char *out = malloc(n * 3 + 1);
  if (!out) exit(3);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = u[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] < 0xE000) {
      c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] - 0xDC00);
      i++;
    } else if (c >= 0xD800 && c < 0xE000) {
      c = 0xFFFD;
    }
    if (c < 0x80)
      out[k++] = (char)c;
    else if (c < 0x800)
      out[k++] = (char)(0xC0 | (c >> 6)), out[k++] = (char)(0x80 | (c & 63));
    else if (c < 0x10000)
      out[k++] = (char)(0xE0 | (c >> 12)), out[k++] = (char)(0x80 | ((c >> 6) & 63)),
      out[k++] = (char)(0x80 | (c & 63));
    else {
      out[k++] = (char)(0xF0 | (c >> 18));
      out[k++] = (char)(0x80 | ((c >> 12) & 63));
      out[k++] = (char)(0x80 | ((c >> 6) & 63));
      out[k++] = (char)(0x80 | (c & 63));
    }
  }
  out[k] = '\0';
  return out;
}

/* The end-of-run checks; returns a message for the first that fails. */
static char *judge_checks(const scn_t *s) {
  for (size_t i = 0; i < s->n_checks; i++) {
    const scn_check_t *c = &s->checks[i];
    const check_state_t *cs = &R.checks[i];
    if (cs->bad_field) {
      char args[256] = "";
      size_t n = 0;
      for (int a = 0; a < SIM_TRACE_MAX_ARGS && cs->bad_tp->args[a].name && n < sizeof args; a++)
        n += (size_t)snprintf(args + n, sizeof args - n, "%s%s", a ? ", " : "",
                              cs->bad_tp->args[a].name);
      return scn_strf(
          "%s:%u: %s\n  '%s' is not an argument of %s (its arguments: %s; also ret=, err=, "
          "thread=)",
          s->path, c->line, c->text, cs->bad_field, cs->bad_tp->name, n ? args : "none");
    }
    switch (c->kind) {
      case SCN_C_TRACE_CONTAINS:
        if (cs->count == 0)
          return scn_strf("%s:%u: %s\n  no such event in the trace", s->path, c->line, c->text);
        break;
      case SCN_C_TRACE_LACKS:
        if (cs->count != 0)
          return scn_strf("%s:%u: %s\n  the trace has %" PRId64 " such events", s->path, c->line,
                          c->text, cs->count);
        break;
      case SCN_C_TRACE_COUNT:
        if (!cmp_ok(c->cmp, cs->count, c->count))
          return scn_strf("%s:%u: %s\n  expected %s%" PRId64 ", the trace has %" PRId64, s->path,
                          c->line, c->text, cmp_text(c->cmp), c->count, cs->count);
        break;
      case SCN_C_TRACE_ORDER:
        if (cs->next < c->n_pats)
          return scn_strf("%s:%u: %s\n  matched %zu of %zu in order; the first missing is %s",
                          s->path, c->line, c->text, cs->next, c->n_pats, c->pats[cs->next].call);
        break;
      case SCN_C_CONSOLE: {
        size_t nu = 0;
        const uint16_t *u =
            fw_world_console_output(c->stream ? FW_CONSOLE_STDERR : FW_CONSOLE_STDOUT, &nu);
        char *have = units_to_utf8(u, nu);
        size_t hl = strlen(have);
        bool ok = c->contains ? has_sub(have, hl, c->data, c->len)
                              : (hl == c->len && memcmp(have, c->data, hl) == 0);
        if (!ok) {
          char *m = scn_strf("%s:%u: %s\n  the console's %s has %zu bytes: \"%.200s\"%s", s->path,
                             c->line, c->text, c->stream ? "stderr" : "stdout", hl, have,
                             hl > 200 ? "..." : "");
          free(have);
          return m;
        }
        free(have);
        break;
      }
      case SCN_C_FAULT_FIRED: {
        uint32_t id = 0;
        for (size_t k = 0; k < R.n_rules; k++)
          if (strcmp(R.rules[k].name, c->rule) == 0) id = R.rules[k].id;
        if (id == 0)
          return scn_strf("%s:%u: %s\n  no fault rule named '%s' was added in this run", s->path,
                          c->line, c->text, c->rule);
        int64_t fired = fw_fault_fired(id);
        if (!cmp_ok(c->cmp, fired, c->count))
          return scn_strf("%s:%u: %s\n  expected %s%" PRId64 " fires, it fired %" PRId64 " times",
                          s->path, c->line, c->text, cmp_text(c->cmp), c->count, fired);
        break;
      }
    }
  }
  return NULL;
}

/* ---- configuration ---------------------------------------------------------------- */

static uint16_t *utf8_to_units(const uint8_t *d, size_t len, size_t *out_n) {
  uint16_t *u = calloc(len * 2 + 1, sizeof *u);
  if (!u) exit(3);
  size_t n = 0;
  for (size_t i = 0; i < len;) {
    uint32_t c = d[i];
    size_t k = 1;
    if (c >= 0xF0 && i + 3 < len) {
      c = ((c & 7u) << 18) | ((d[i + 1] & 63u) << 12) | ((d[i + 2] & 63u) << 6) | (d[i + 3] & 63u);
      k = 4;
    } else if (c >= 0xE0 && i + 2 < len) {
      c = ((c & 15u) << 12) | ((d[i + 1] & 63u) << 6) | (d[i + 2] & 63u);
      k = 3;
    } else if (c >= 0xC0 && i + 1 < len) {
      c = ((c & 31u) << 6) | (d[i + 1] & 63u);
      k = 2;
    }
    i += k;
    if (c >= 0x10000) {
      c -= 0x10000;
      u[n++] = (uint16_t)(0xD800 + (c >> 10));
      u[n++] = (uint16_t)(0xDC00 + (c & 0x3FF));
    } else {
      u[n++] = (uint16_t)c;
    }
  }
  *out_n = n;
  return u;
}

static bool configure(const scn_t *s, const scn_run_opts_t *o, char *why, size_t len) {
  fw_world_reset_config();
  int pers = o->personality >= 0 ? o->personality : s->personality >= 0 ? s->personality : 0;
  fw_world_set_personality(pers == 1 ? FW_PERSONALITY_WINE8 : FW_PERSONALITY_WINDOWS);
  fw_net_config_t nc;
  fw_world_net_defaults(&nc);
  for (size_t i = 0; i < s->n_net; i++) {
    const scn_kv_t *kv = &s->net[i];
    uint32_t v = (uint32_t)kv->num;
    if (strcmp(kv->key, "tcp_sndbuf") == 0)
      nc.tcp_send_buffer = v;
    else if (strcmp(kv->key, "tcp_rcvbuf") == 0)
      nc.tcp_recv_buffer = v;
    else if (strcmp(kv->key, "udp_rcvbuf") == 0)
      nc.udp_recv_buffer = v;
    else if (strcmp(kv->key, "udp_max") == 0)
      nc.udp_max_datagram = v;
    else if (strcmp(kv->key, "backlog_max") == 0)
      nc.listen_backlog_max = v;
    else if (strcmp(kv->key, "latency") == 0)
      nc.latency_ns = (uint64_t)kv->num;
  }
  fw_world_set_net(&nc);
  uint32_t timing = 0;
  if (!o->fixed_timing && s->timing_delivery != 0) timing |= FW_TIMING_DELIVERY;
  if (!o->fixed_timing && s->timing_pending != 0) timing |= FW_TIMING_PENDING_DONE;
  fw_world_set_timing(timing);
  for (size_t i = 0; i < s->n_system; i++) {
    const scn_kv_t *kv = &s->system[i];
    const char *rule = NULL;
    if (strcmp(kv->key, "ifs") == 0)
      fw_world_set_tcp_ifs(strcmp(kv->value, "off") != 0);
    else if (strcmp(kv->key, "setfcnm") == 0 && strcmp(kv->value, "missing") == 0)
      rule = "GetProcAddress proc=SetFileCompletionNotificationModes -> null";
    else if (strcmp(kv->key, "setfcnm") == 0 && strcmp(kv->value, "fails") == 0)
      rule = "SetFileCompletionNotificationModes -> error code=ERROR_INVALID_PARAMETER";
    else if (strcmp(kv->key, "wsastartup") == 0 && strcmp(kv->value, "fails") == 0)
      rule = "WSAStartup -> error code=WSASYSNOTREADY";
    if (rule && fw_fault_add_text(rule, why, len) == 0) return false;
  }
  fw_world_console_input_clear();
  for (size_t i = 0; i < s->setup.body.n; i++) {
    const scn_step_t *st = &s->setup.body.steps[i];
    if (st->verb >= 0) continue;
    const char *mode = st->args[0].text;
    uint64_t after = 0;
    for (uint32_t k = 0; k < st->n_args; k++)
      if (st->args[k].key && strcmp(st->args[k].key, "after") == 0) after = (uint64_t)st->args[k].i;
    if (strcmp(mode, "input") == 0) {
      size_t n;
      uint16_t *u = utf8_to_units(st->args[1].data, st->args[1].len, &n);
      fw_world_console_input(u, n, after);
      free(u);
    } else if (strcmp(mode, "units") == 0) {
      uint16_t u[SCN_MAX_ARGS];
      size_t n = 0;
      for (uint32_t k = 1; k < st->n_args; k++)
        if (!st->args[k].key) u[n++] = (uint16_t)st->args[k].i;
      fw_world_console_input(u, n, after);
    } else {
      fw_console_config_t cc;
      fw_world_console_defaults(&cc);
      cc.attached = false;
      for (uint32_t k = 1; k < st->n_args; k++) {
        int which = strcmp(st->args[k].key, "stdin") == 0    ? 0
                    : strcmp(st->args[k].key, "stdout") == 0 ? 1
                                                             : 2;
        snprintf(cc.std_path[which], sizeof cc.std_path[which], "%s", st->args[k].text);
      }
      fw_world_set_console(&cc);
    }
  }
  return true;
}

static const char *status_word(sim_status_t st) {
  switch (st) {
    case SIM_STATUS_PASS:
      return "pass";
    case SIM_STATUS_EXPECT_FAILED:
      return "expect";
    case SIM_STATUS_DEADLOCK:
      return "deadlock";
    case SIM_STATUS_LIVELOCK:
      return "livelock";
    case SIM_STATUS_CRASH:
      return "crash";
    case SIM_STATUS_INVARIANT:
      return "invariant";
    case SIM_STATUS_REPLAY_DIVERGED:
      return "diverged";
    default:
      return "usage";
  }
}

/* The end of every scn_run: the run's state released, the configuration
 * and the core's panic hook as they were. */
static int run_done(core_panic_fn prev_panic, scn_run_result_t *r) {
  scn_interp_free(R.in);
  free(R.checks);
  memset(&R, 0, sizeof R);
  fw_world_reset_config();
  core_set_panic_hook(prev_panic);
  return r->exit_code;
}

int scn_run(const scn_t *s, const scn_run_opts_t *o, scn_run_result_t *r) {
  memset(r, 0, sizeof *r);
  sim_hook_add(&core_hook);
  core_panic_fn prev_panic = core_set_panic_hook(on_panic);
  char why[512];
  if (!configure(s, o, why, sizeof why)) {
    r->exit_code = 64;
    r->status = "usage";
    r->message = scn_strf("%s: %s", s->path, why);
    core_set_panic_hook(prev_panic);
    return r->exit_code;
  }
  memset(&R, 0, sizeof R);
  R.s = s;
  R.checks = calloc(s->n_checks + 1, sizeof *R.checks);
  if (!R.checks) exit(3);
  R.in = scn_interp_new(s);
  if (o->count_sites) R.site_calls = r->site_calls;
  for (size_t i = 0; i < o->n_extra_rules; i++) {
    if (fw_fault_add_text(o->extra_rules[i], why, sizeof why) == 0) {
      r->exit_code = 64;
      r->status = "usage";
      r->message = scn_strf("fault rule '%s': %s", o->extra_rules[i], why);
      return run_done(prev_panic, r);
    }
    remember_rule(o->extra_rules[i], fw_fault_rule_count());
  }
  sim_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.seed = o->seed;
  cfg.trace_path = o->trace_path;
  cfg.observer = observe;
  cfg.max_time_ns = s->max_time_ns ? s->max_time_ns : 3600ull * 1000000000ull;
  cfg.main_name = "main";
  cfg.strategy = o->strategy;
  cfg.time_jitter_ns = o->fixed_timing            ? 0
                       : s->timing_jitter_ns >= 0 ? (uint64_t)s->timing_jitter_ns
                                                  : SCN_DEFAULT_JITTER_NS;
  if (o->bytes != NULL && o->strategy == NULL) {
    cfg.source = SIM_SOURCE_BYTES;
    cfg.bytes = o->bytes;
    cfg.bytes_len = o->n_bytes;
  }
  cfg.record_decisions = o->record;
  sim_result_t res;
  sim_status_t st = sim_run(&cfg, scn_interp_main, R.in, &res);
  r->status = status_word(st);
  r->exit_code = sim_exit_code(st);
  if (st == SIM_STATUS_INVARIANT) r->exit_code = 3;
  r->trace_hash = res.trace_hash;
  r->steps = res.steps;
  r->events = res.events;
  r->end_time_ns = res.end_time_ns;
  r->n_decisions = res.n_decisions;
  if (o->record && res.decisions) {
    r->choices = malloc((res.n_decisions ? res.n_decisions : 1) * sizeof *r->choices);
    if (!r->choices) exit(3);
    for (size_t i = 0; i < res.n_decisions; i++) r->choices[i] = res.decisions[i].choice;
    r->n_choices = res.n_decisions;
  }
  r->history = scn_interp_history(R.in);
  r->order = scn_interp_order(R.in);
  if (st != SIM_STATUS_PASS) {
    r->message = scn_strf("%s", res.message);
    if (st != SIM_STATUS_EXPECT_FAILED && res.report) r->report = scn_strf("%s", res.report);
  } else {
    char *m = judge_checks(s);
    if (!m && s->has_history && !o->skip_history)
      m = scn_judge_history(s, r->history, NULL, NULL,
                            "\n  (iocpsim run --rewrite regenerates the block)");
    if (m) {
      r->message = m;
      r->status = "expect";
      r->exit_code = 1;
    }
  }
  if (r->exit_code != 0) r->timeline = scn_interp_timeline(R.in, o->timeline ? o->timeline : 24);
  sim_result_free(&res);
  return run_done(prev_panic, r);
}

void scn_run_result_free(scn_run_result_t *r) {
  free(r->message);
  free(r->timeline);
  free(r->report);
  free(r->history);
  free(r->order);
  free(r->choices);
  memset(r, 0, sizeof *r);
}

bool scn_check_fault_syntax(const char *rule, uint32_t *col, char *msg, size_t len) {
  /* @name stands for a handle: check it as a number of the same width so
   * that columns stay right */
  size_t n = strlen(rule);
  char *t = malloc(n + 1);
  if (!t) exit(3);
  memcpy(t, rule, n + 1);
  for (size_t i = 0; i < n; i++) {
    if (t[i] != '@') continue;
    t[i] = '0';
    for (size_t j = i + 1; j < n && t[j] != ' ' && t[j] != '\t'; j++) t[j] = '0';
  }
  fw_fault_rule_t fr;
  size_t c = 0;
  bool ok = fw_fault_parse(t, &fr, &c, msg, len);
  free(t);
  *col = (uint32_t)c;
  return ok;
}

const char *scn_site_name(int site) {
  return site > 0 && site < SCN_SITES ? fw_site_name((fw_site_t)site) : NULL;
}

size_t scn_site_outcomes(int site, char out[][96], size_t max) {
  const char *name = scn_site_name(site);
  if (!name || site == FW_SITE_World) return 0;
  /* one representative per class; fakewin's plan says which Windows allows here */
  static const char *const classes[][6] = {
      {"pending", NULL},
      {"success", NULL},
      {"error code=WSAECONNRESET", "error code=ERROR_NETNAME_DELETED",
       "error code=ERROR_BROKEN_PIPE", "error code=WSAENOBUFS", "error code=ERROR_ACCESS_DENIED",
       "error code=ERROR_INVALID_PARAMETER"},
      {"pending code=WSAECONNRESET", "pending code=ERROR_NETNAME_DELETED",
       "pending code=ERROR_BROKEN_PIPE", "pending code=ERROR_OPERATION_ABORTED", NULL},
      {"complete-before-cancel", NULL},
      {"cancel-wins", NULL},
      {"short bytes=1", NULL},
      {"null", NULL},
  };
  size_t n = 0;
  char why[256], rule[160];
  for (size_t c = 0; c < sizeof classes / sizeof classes[0] && n < max; c++) {
    for (size_t k = 0; k < 6 && classes[c][k]; k++) {
      snprintf(rule, sizeof rule, "%s nth=1 -> %s", name, classes[c][k]);
      fw_fault_clear();
      if (fw_fault_add_text(rule, why, sizeof why) != 0) {
        snprintf(out[n++], 96, "%s", classes[c][k]);
        break;
      }
    }
  }
  fw_fault_clear();
  return n;
}
