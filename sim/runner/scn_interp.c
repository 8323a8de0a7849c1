/* scn_interp.c: plays a parsed scenario as a Win32 program over the core.
 *
 * The world's main thread runs the top-level steps (the setup), starts one
 * Win32 thread per `thread` and `at` block, joins them, closes whatever the
 * scenario left open, and checks the end-of-run invariants.  Every step is
 * an ordinary call: core_* for FD methods, core_net_* / core_os_* for what
 * Go's net and os do around them, and raw Winsock/kernel32 calls for the
 * peer's side and for what Go's tests do behind the core's back.  Nothing
 * here knows which world it runs in; what only a simulator can provide
 * (fault rules, trace marks, handle lists) comes through scn_interp.h.
 *
 * Recording: each step that is an operation (not sleep/yield/fault/...)
 * adds an `invoke` and an `ok`/`fail` event to the history, stamped with
 * the backend's clock (scn_be_now) relative to the start of the run.  The
 * interpreter's own bookkeeping makes no Win32 call (a clock read is one),
 * so it adds no scheduling point and no other thread runs in its middle. */
#include "core.h"
#include "core_net.h"
#include "core_test.h" /* core_max_rw; the fdMutex reference count for fd-refs-zero */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "scn_interp.h"
#include "scn_verbs.h"

/* ---- objects -------------------------------------------------------------------- */

typedef enum obj_kind { O_NONE = 0, O_FD, O_SOCK, O_HANDLE, O_EVENT } obj_kind_t;

typedef struct obj {
  obj_kind_t kind;
  core_fd_t *fd;
  SOCKET s;
  HANDLE h;
  bool closed; /* closed through the core or raw; the cleanup skips it */
  bool stream; /* a TCP stream: counted for bytes-conserved */
  bool eof;    /* a read saw the end of the stream */
  int64_t wrote, got;
  core_sockaddr_t local, remote;
  bool has_addr;
  uint32_t line; /* where it was made */
} obj_t;

typedef struct hist {
  uint32_t thread;
  uint64_t t;
  char kind; /* 'i' invoke, 'o' ok, 'f' fail */
  char *text;
} hist_t;

struct scn_interp {
  const scn_t *s;
  obj_t **slot; /* by object index (s->objects) */
  obj_t **all;  /* every object ever made, for cleanup */
  size_t n_all, cap_all;
  hist_t *hist;
  size_t n_hist, cap_hist;
  uint64_t t0; /* scn_be_now() when the run started */
  size_t saved_max_rw;
  scn_handle_snap_t before;
  uint32_t n_threads;
  HANDLE *hs;
  struct thread_arg *targs;
  uint8_t **bufs; /* read buffers of steps in progress */
  size_t n_bufs, cap_bufs;
  struct foreign_ov *foreign; /* foreign_recv's OVERLAPPEDs, kept to the end of the run */
};

/* foreign_recv's OVERLAPPED and the words after it.  Its packet sits in the
 * core's port until the poller dequeues it, which may be after the step
 * returned; the poller then reads the word after the OVERLAPPED (its key
 * check, golang/go#58870), so the memory lives as long as the run
 * (docs/findings.md F-1: on the stack it was read after its scope ended). */
typedef struct foreign_ov {
  WSAOVERLAPPED ov;
  uintptr_t slack[4];
  struct foreign_ov *next;
} foreign_ov_t;

typedef struct thread_arg {
  scn_interp_t *in;
  uint32_t idx; /* 1..n: s->threads[idx-1] */
} thread_arg_t;

static void *xcalloc(size_t n, size_t sz) {
  void *p = calloc(n ? n : 1, sz ? sz : 1);
  if (!p) {
    fprintf(stderr, "iocpsim: out of memory\n");
    exit(3);
  }
  return p;
}

static char *xstrdup(const char *s) {
  size_t n = strlen(s);
  char *p = xcalloc(n + 1, 1);
  memcpy(p, s, n);
  return p;
}

static void failf(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void failf(const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  scn_be_fail(msg);
}

static int obj_index(const scn_interp_t *in, const char *name) {
  for (uint32_t i = 0; i < in->s->n_objects; i++)
    if (strcmp(in->s->objects[i], name) == 0) return (int)i;
  return -1;
}

static obj_t *obj_get(scn_interp_t *in, const scn_step_t *st, const char *name) {
  int i = obj_index(in, name);
  scn_be_lock();
  obj_t *o = i < 0 ? NULL : in->slot[i];
  scn_be_unlock();
  if (o == NULL)
    failf("%s:%u: %s: object '%s' does not exist yet (made by a step that has not run)",
          in->s->path, st->line, scn_verb_name(st->verb), name);
  return o;
}

static obj_t *obj_new(scn_interp_t *in, const char *name, obj_kind_t kind, uint32_t line) {
  obj_t *o = xcalloc(1, sizeof *o);
  o->kind = kind;
  o->s = INVALID_SOCKET;
  o->line = line;
  scn_be_lock();
  if (in->n_all == in->cap_all) {
    in->cap_all = in->cap_all * 2 + 16;
    in->all = realloc(in->all, in->cap_all * sizeof *in->all);
    if (!in->all) exit(3);
  }
  in->all[in->n_all++] = o;
  int i = obj_index(in, name);
  if (i >= 0) in->slot[i] = o; /* a rebinding leaves the old object in `all` */
  scn_be_unlock();
  return o;
}

static SOCKET obj_socket(const obj_t *o) {
  if (o->kind == O_FD) return (SOCKET)(uintptr_t)core_fd_sysfd(o->fd);
  return o->s;
}

static HANDLE obj_handle(const obj_t *o) {
  if (o->kind == O_FD) return core_fd_sysfd(o->fd);
  if (o->kind == O_SOCK) return (HANDLE)(uintptr_t)o->s;
  return o->h;
}

static void obj_addrs(obj_t *o) {
  SOCKET s = obj_socket(o);
  struct sockaddr_storage ss;
  int len = (int)sizeof ss;
  memset(&ss, 0, sizeof ss);
  if (getsockname(s, (struct sockaddr *)&ss, &len) == 0) {
    core_raw_sockaddr_any_t raw;
    memset(&raw, 0, sizeof raw);
    memcpy(&raw, &ss, (size_t)len < sizeof raw ? (size_t)len : sizeof raw);
    (void)core_raw_to_sockaddr(&raw, &o->local);
  }
  len = (int)sizeof ss;
  memset(&ss, 0, sizeof ss);
  if (getpeername(s, (struct sockaddr *)&ss, &len) == 0) {
    core_raw_sockaddr_any_t raw;
    memset(&raw, 0, sizeof raw);
    memcpy(&raw, &ss, (size_t)len < sizeof raw ? (size_t)len : sizeof raw);
    (void)core_raw_to_sockaddr(&raw, &o->remote);
    o->has_addr = true;
  }
}

/* ---- history ------------------------------------------------------------------- */

static void hist_add(scn_interp_t *in, uint32_t th, char kind, const char *text) {
  uint64_t t = scn_be_now() - in->t0;
  scn_be_lock();
  if (in->n_hist == in->cap_hist) {
    in->cap_hist = in->cap_hist * 2 + 64;
    in->hist = realloc(in->hist, in->cap_hist * sizeof *in->hist);
    if (!in->hist) exit(3);
  }
  hist_t *h = &in->hist[in->n_hist++];
  h->thread = th;
  h->t = t;
  h->kind = kind;
  h->text = xstrdup(text);
  scn_be_unlock();
}

/* ---- results --------------------------------------------------------------------- */

typedef struct result {
  int err;
  bool has_n;
  int64_t n;
  bool has_data;
  uint8_t *data; /* owned */
  size_t len;
  char *rest;    /* writev: the buffers left, as `"d" "ef"` (owned) */
  char from[72]; /* the source: an object's name or an address; "" none */
  bool has_oob, has_flags;
  int64_t oob, flags;
} result_t;

static void fmt_result_main(const result_t *r, char *buf, size_t cap);
static void fmt_result(const result_t *r, char *buf, size_t cap) {
  fmt_result_main(r, buf, cap);
  size_t n = strlen(buf);
  if (r->rest && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, " rest%s%s", *r->rest ? " " : "", r->rest);
  if (r->has_oob && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, " oob=%lld", (long long)r->oob);
  if (r->has_flags && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, " flags=0x%llx", (long long)r->flags);
  if (r->from[0] && n < cap) snprintf(buf + n, cap - n, " from=%s", r->from);
}

static void fmt_result_main(const result_t *r, char *buf, size_t cap) {
  char eb[32], db[200];
  if (r->err == 0) {
    if (r->has_data) {
      scn_fmt_data(db, sizeof db, r->data, r->len);
      snprintf(buf, cap, "ok %s", db);
    } else if (r->has_n) {
      snprintf(buf, cap, "ok %lld", (long long)r->n);
    } else {
      snprintf(buf, cap, "ok");
    }
    return;
  }
  const char *en = scn_error_name(r->err, eb, sizeof eb);
  if (r->has_data && r->len > 0) {
    scn_fmt_data(db, sizeof db, r->data, r->len);
    snprintf(buf, cap, "%s %s", en, db);
  } else if (r->has_n && r->n != 0) {
    snprintf(buf, cap, "%s %lld", en, (long long)r->n);
  } else {
    snprintf(buf, cap, "%s", en);
  }
}

static bool alt_matches(const scn_alt_t *a, const result_t *r) {
  if (a->kind == SCN_R_ANY) return true;
  if (a->rest && strcmp(a->rest, r->rest ? r->rest : "") != 0) return false;
  if (a->from && strcmp(a->from, r->from) != 0) return false;
  if (a->has_oob && (!r->has_oob || a->oob != r->oob)) return false;
  if (a->has_flags && (!r->has_flags || a->flags != r->flags)) return false;
  if (a->kind == SCN_R_OK && r->err != 0) return false;
  if (a->kind == SCN_R_ERR && r->err != a->err) return false;
  if (a->has_data) {
    if (!r->has_data || r->len != a->len) return false;
    return a->len == 0 || memcmp(r->data, a->data, a->len) == 0;
  }
  if (a->has_n) return r->has_n ? r->n == a->n : a->n == 0;
  return true;
}

/* ---- argument helpers ----------------------------------------------------------------- */

static const scn_arg_t *key_arg(const scn_step_t *st, const char *key) {
  for (uint32_t i = 0; i < st->n_args; i++)
    if (st->args[i].key && strcmp(st->args[i].key, key) == 0) return &st->args[i];
  return NULL;
}

/* The positional arguments (key=value ones come after them). */
static uint32_t n_pos(const scn_step_t *st) {
  uint32_t n = 0;
  while (n < st->n_args && st->args[n].key == NULL) n++;
  return n;
}

/* An absolute deadline on the core clock; 0 = none. */
static int64_t deadline_of(const scn_arg_t *a) {
  switch (a->dl) {
    case SCN_DL_NONE:
      return 0;
    case SCN_DL_NOW:
      return core_now();
    case SCN_DL_PAST:
      return 1; /* the core's clock is never below 1: always in the past */
    default: {
      int64_t now = core_now(), d = a->i;
      if (d > 0 && now > INT64_MAX - d) return INT64_MAX;
      int64_t t = now + d;
      return t < 1 ? 1 : t;
    }
  }
}

/* An address literal; the parser checked its shape, the core's parser has
 * the last word (an out-of-range port, say). */
static void parse_addr(const scn_interp_t *in, const scn_step_t *st, const scn_arg_t *a,
                       core_sockaddr_t *sa) {
  if (core_net_parse_addr(a->text, sa) != 0)
    failf("%s:%u:%u: '%s' is not an address core_net_parse_addr accepts", in->s->path, st->line,
          a->col, a->text);
}

/* A target: an address, or an object whose local address (a listener, a
 * bound UDP socket) is the destination. */
static void target_of(scn_interp_t *in, const scn_step_t *st, const scn_arg_t *a,
                      core_sockaddr_t *sa) {
  if (a->kind == SCN_A_ADDR && strcmp(a->text, "other") == 0) {
    memset(sa, 0, sizeof *sa);
    sa->kind = CORE_SA_OTHER; /* neither inet family: sockaddrToRaw says EWINDOWS (B103) */
    return;
  }
  if (a->kind == SCN_A_ADDR) {
    parse_addr(in, st, a, sa);
    return;
  }
  obj_t *o = obj_get(in, st, a->text);
  if (o->kind != O_FD && o->kind != O_SOCK)
    failf("%s:%u:%u: '%s' is not a socket, so it has no address", in->s->path, st->line, a->col,
          a->text);
  obj_addrs(o);
  *sa = o->local;
}

static core_fd_t *need_fd(scn_interp_t *in, const scn_step_t *st, const char *name) {
  obj_t *o = obj_get(in, st, name);
  if (o->kind != O_FD)
    failf("%s:%u: %s: '%s' is not a core FD (it was made as a raw %s)", in->s->path, st->line,
          scn_verb_name(st->verb), name,
          o->kind == O_SOCK    ? "socket"
          : o->kind == O_EVENT ? "event"
                               : "handle");
  return o->fd;
}

/* Read buffers live in the interpreter until their step ends, so that a
 * run that ends in the middle of a step (a deadlock, a failure in another
 * thread) still frees them. */
static uint8_t *read_buf(scn_interp_t *in, const scn_step_t *st, int64_t n) {
  if (n < 0 || n > (int64_t)SCN_MAX_DATA)
    failf(
        "%s:%u: %s: a read of %lld bytes is larger than the runner's limit (%u); lower it or use "
        "`system maxrw=`",
        in->s->path, st->line, scn_verb_name(st->verb), (long long)n, SCN_MAX_DATA);
  uint8_t *b = xcalloc((size_t)n + 1, 1);
  scn_be_lock();
  if (in->n_bufs == in->cap_bufs) {
    in->cap_bufs = in->cap_bufs * 2 + 8;
    in->bufs = realloc(in->bufs, in->cap_bufs * sizeof *in->bufs);
    if (!in->bufs) exit(3);
  }
  in->bufs[in->n_bufs++] = b;
  scn_be_unlock();
  return b;
}

static void buf_free(scn_interp_t *in, uint8_t *b) {
  if (b == NULL) return;
  scn_be_lock();
  for (size_t i = in->n_bufs; i-- > 0;) {
    if (in->bufs[i] == b) {
      in->bufs[i] = in->bufs[--in->n_bufs];
      break;
    }
  }
  scn_be_unlock();
  free(b);
}

/* UTF-8 path to UTF-16 (paths in scenarios are ASCII or UTF-8). */
static void to_wide(const char *s, WCHAR *w, size_t cap) {
  size_t n = 0;
  const uint8_t *p = (const uint8_t *)s;
  while (*p && n + 2 < cap) {
    uint32_t c = *p++;
    if (c >= 0xF0 && p[0] && p[1] && p[2]) {
      c = ((c & 7u) << 18) | ((p[0] & 63u) << 12) | ((p[1] & 63u) << 6) | (p[2] & 63u);
      p += 3;
    } else if (c >= 0xE0 && p[0] && p[1]) {
      c = ((c & 15u) << 12) | ((p[0] & 63u) << 6) | (p[1] & 63u);
      p += 2;
    } else if (c >= 0xC0 && p[0]) {
      c = ((c & 31u) << 6) | (p[0] & 63u);
      p += 1;
    }
    if (c >= 0x10000) {
      c -= 0x10000;
      w[n++] = (WCHAR)(0xD800 + (c >> 10));
      w[n++] = (WCHAR)(0xDC00 + (c & 0x3FF));
    } else {
      w[n++] = (WCHAR)c;
    }
  }
  w[n] = 0;
}

static int wsa_err(void) {
  return WSAGetLastError();
}
static int win_err(void) {
  return (int)GetLastError();
}

/* RawRead's callback: ready when the socket has bytes (or a datagram) queued. */
static bool raw_ready(void *ctx, uintptr_t sysfd) {
  (void)ctx;
  u_long avail = 0;
  if (ioctlsocket((SOCKET)sysfd, FIONREAD, &avail) != 0) return true; /* let the error surface */
  return avail > 0;
}
static bool raw_fixed(void *ctx, uintptr_t sysfd) {
  (void)sysfd;
  return *(bool *)ctx;
}

/* Address equality by kind (the union's unused bytes are not compared). */
static bool same_addr(const core_sockaddr_t *a, const core_sockaddr_t *b) {
  if (a->kind != b->kind) return false;
  if (a->kind == CORE_SA_INET4)
    return a->u.in4.port == b->u.in4.port && memcmp(a->u.in4.addr, b->u.in4.addr, 4) == 0;
  if (a->kind == CORE_SA_INET6)
    return a->u.in6.port == b->u.in6.port && a->u.in6.zone_id == b->u.in6.zone_id &&
           memcmp(a->u.in6.addr, b->u.in6.addr, 16) == 0;
  return a->kind == CORE_SA_NONE;
}

/* A socket bound to the wildcard address sends from a specific one: it is
 * the source when the port matches. */
static bool same_port_wildcard(const core_sockaddr_t *local, const core_sockaddr_t *src) {
  static const uint8_t zero[16];
  if (local->kind != src->kind) return false;
  if (local->kind == CORE_SA_INET4)
    return local->u.in4.port == src->u.in4.port && memcmp(local->u.in4.addr, zero, 4) == 0;
  if (local->kind == CORE_SA_INET6)
    return local->u.in6.port == src->u.in6.port && memcmp(local->u.in6.addr, zero, 16) == 0;
  return false;
}

/* The source of a datagram as the result shows it: the name of the object
 * bound to that address, else the address. */
static void name_source(scn_interp_t *in, const core_sockaddr_t *sa, char *buf, size_t len) {
  if (sa->kind == CORE_SA_NONE) {
    buf[0] = '\0';
    return;
  }
  for (uint32_t i = 0; i < in->s->n_objects; i++) {
    obj_t *o = in->slot[i];
    if (!o || (o->kind != O_FD && o->kind != O_SOCK) || o->closed) continue;
    if (o->local.kind == CORE_SA_NONE) obj_addrs(o);
    if (same_addr(&o->local, sa) || same_port_wildcard(&o->local, sa)) {
      snprintf(buf, len, "%s", in->s->objects[i]);
      return;
    }
  }
  core_net_format_addr(sa, buf, len);
}

/* A stream read that returned EOF drained the stream (bytes-conserved). */
static void mark_eof(obj_t *o, const result_t *r) {
  if (o->stream && r->err == CORE_EOF) o->eof = true;
}

/* ---- steps ------------------------------------------------------------------------ */

static void run_block(scn_interp_t *in, uint32_t th, const scn_block_t *b);

static bool is_operation(int verb) {
  switch (verb) {
    case SCN_V_SLEEP:
    case SCN_V_UNTIL:
    case SCN_V_YIELD:
    case SCN_V_FAULT:
    case SCN_V_REPEAT:
    case SCN_V_SIGNAL:
    case SCN_V_WAIT:
    case SCN_V_EVENT:
    case SCN_V_FILE:
      return false;
    default:
      return true;
  }
}

static bool makes_object(int verb) {
  switch (verb) {
    case SCN_V_LISTEN:
    case SCN_V_DIAL:
    case SCN_V_ACCEPT:
    case SCN_V_PAIR:
    case SCN_V_UDP:
    case SCN_V_DIAL_UDP:
    case SCN_V_SOCKET:
    case SCN_V_PIPE:
    case SCN_V_NAMEDPIPE:
    case SCN_V_OPEN:
    case SCN_V_STDIN:
    case SCN_V_STDOUT:
    case SCN_V_STDERR:
    case SCN_V_CONNECT:
      return true;
    default:
      return false;
  }
}

static void sleep_ns(int64_t ns) {
  if (ns <= 0) {
    Sleep(0);
    return;
  }
  int64_t ms = (ns + 999999) / 1000000;
  Sleep((DWORD)(ms > 0x7ffffffe ? 0x7ffffffe : ms));
}

/* Substitutes @name with the object's handle value in a fault rule. */
static void fault_text(scn_interp_t *in, const scn_step_t *st, char *out, size_t cap) {
  size_t n = 0;
  for (const char *p = st->raw; *p && n + 24 < cap;) {
    if (*p == '@') {
      char nm[64];
      size_t k = 0;
      p++;
      while (*p && *p != ' ' && *p != '\t' && k + 1 < sizeof nm) nm[k++] = *p++;
      nm[k] = '\0';
      obj_t *o = obj_get(in, st, nm);
      n += (size_t)snprintf(out + n, cap - n, "0x%llx",
                            (unsigned long long)(uintptr_t)obj_handle(o));
      continue;
    }
    out[n++] = *p++;
  }
  out[n] = '\0';
}

static void exec_step(scn_interp_t *in, uint32_t th, const scn_step_t *st) {
  const scn_arg_t *A = st->args;
  uint32_t np = n_pos(st);
  result_t r;
  memset(&r, 0, sizeof r);
  bool op = is_operation(st->verb);
  if (op) {
    hist_add(in, th, 'i', st->raw);
    scn_be_trace_step(st->verb, st->line, 0, 0, 0);
  }
  switch ((scn_verb_t)st->verb) {
    /* ---- objects ---- */
    case SCN_V_LISTEN: {
      core_sockaddr_t sa, *psa = NULL;
      if (np > 2) {
        parse_addr(in, st, &A[2], &sa);
        psa = &sa;
      }
      const scn_arg_t *bl = key_arg(st, "backlog");
      core_fd_t *fd = NULL;
      r.err = core_net_listen(A[1].text, psa, bl ? (int)bl->i : 0, &fd);
      if (r.err == 0) obj_new(in, A[0].text, O_FD, st->line)->fd = fd;
      break;
    }
    case SCN_V_DIAL: {
      core_sockaddr_t sa;
      target_of(in, st, &A[2], &sa);
      const scn_arg_t *dl = key_arg(st, "deadline");
      core_fd_t *fd = NULL;
      r.err = core_net_dial(A[1].text, &sa, dl ? deadline_of(dl) : 0, &fd);
      if (r.err == 0) {
        obj_t *o = obj_new(in, A[0].text, O_FD, st->line);
        o->fd = fd;
        o->stream = true;
        obj_addrs(o);
      }
      break;
    }
    case SCN_V_ACCEPT: {
      core_fd_t *ln = need_fd(in, st, A[0].text), *fd = NULL;
      r.err = core_net_accept(ln, &fd, NULL);
      if (r.err == 0) {
        obj_t *o = obj_new(in, st->bind, O_FD, st->line);
        o->fd = fd;
        o->stream = true;
        obj_addrs(o);
      }
      break;
    }
    case SCN_V_PAIR: {
      /* a loopback connection: A dialled through the core; B accepted by the
       * core, or (pair A peer B) accepted with plain accept() as a raw socket */
      bool raw = A[1].kind == SCN_A_NAME;
      const char *an = A[0].text, *bn = A[2].text;
      core_fd_t *ln = NULL, *a = NULL, *b = NULL;
      SOCKET rl = INVALID_SOCKET, bs = INVALID_SOCKET;
      core_sockaddr_t lsa;
      if (!raw) {
        r.err = core_net_listen("tcp", NULL, 1, &ln);
        if (r.err == 0) r.err = core_net_local_addr(ln, &lsa);
      } else {
        rl = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        struct sockaddr_in sin;
        memset(&sin, 0, sizeof sin);
        sin.sin_family = AF_INET;
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int len = (int)sizeof sin;
        if (rl == INVALID_SOCKET || bind(rl, (struct sockaddr *)&sin, sizeof sin) != 0 ||
            listen(rl, 1) != 0 || getsockname(rl, (struct sockaddr *)&sin, &len) != 0)
          r.err = wsa_err();
        lsa.kind = CORE_SA_INET4;
        lsa.u.in4.port = ntohs(sin.sin_port);
        memcpy(lsa.u.in4.addr, "\x7f\0\0\x01", 4);
      }
      if (r.err == 0) r.err = core_net_dial("tcp", &lsa, 0, &a);
      if (r.err == 0) {
        if (!raw) {
          r.err = core_net_accept(ln, &b, NULL);
        } else {
          bs = accept(rl, NULL, NULL);
          if (bs == INVALID_SOCKET) r.err = wsa_err();
        }
      }
      if (ln) {
        (void)core_fd_close(ln);
        core_fd_free(ln);
      }
      if (rl != INVALID_SOCKET) closesocket(rl);
      if (r.err == 0) {
        obj_t *oa = obj_new(in, an, O_FD, st->line);
        oa->fd = a;
        oa->stream = true;
        obj_addrs(oa);
        obj_t *ob = obj_new(in, bn, raw ? O_SOCK : O_FD, st->line);
        ob->fd = b;
        ob->s = bs;
        ob->stream = true;
        obj_addrs(ob);
      }
      break;
    }
    case SCN_V_UDP: {
      bool raw = A[0].kind == SCN_A_NAME;
      core_sockaddr_t sa;
      if (np > 2)
        parse_addr(in, st, &A[2], &sa);
      else
        core_net_parse_addr("127.0.0.1:0", &sa);
      if (!raw) {
        core_fd_t *fd = NULL;
        r.err = core_net_listen_packet(sa.kind == CORE_SA_INET6 ? "udp6" : "udp4", &sa, &fd);
        if (r.err == 0) obj_new(in, A[1].text, O_FD, st->line)->fd = fd;
      } else {
        core_raw_sockaddr_any_t raw_sa;
        int32_t len = 0;
        core_sockaddr_to_raw(&raw_sa, &sa, &len);
        SOCKET s = socket(sa.kind == CORE_SA_INET6 ? AF_INET6 : AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        if (s == INVALID_SOCKET || bind(s, (struct sockaddr *)&raw_sa, len) != 0) {
          r.err = wsa_err();
          if (s != INVALID_SOCKET) closesocket(s);
        } else {
          obj_new(in, A[1].text, O_SOCK, st->line)->s = s;
        }
      }
      break;
    }
    case SCN_V_DIAL_UDP: {
      core_sockaddr_t sa;
      target_of(in, st, &A[2], &sa);
      core_fd_t *fd = NULL;
      r.err = core_net_dial_udp(A[1].text, NULL, &sa, &fd);
      if (r.err == 0) obj_new(in, A[0].text, O_FD, st->line)->fd = fd;
      break;
    }
    case SCN_V_SOCKET: {
      const char *net = A[1].text;
      bool v6 = net[strlen(net) - 1] == '6', tcp = net[0] == 't';
      SOCKET s = WSASocketW(v6 ? AF_INET6 : AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM,
                            tcp ? IPPROTO_TCP : IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
      if (s == INVALID_SOCKET) {
        r.err = wsa_err();
        break;
      }
      core_fd_t *fd = NULL;
      r.err = core_fd_new((HANDLE)(uintptr_t)s, tcp, tcp, &fd);
      if (r.err != 0) {
        closesocket(s);
        break;
      }
      obj_t *o = obj_new(in, A[0].text, O_FD, st->line);
      o->fd = fd;
      o->stream = tcp;
      break;
    }
    case SCN_V_INIT: {
      core_fd_t *fd = need_fd(in, st, A[0].text);
      bool pollable = np < 3 || strcmp(A[2].text, "pollable") == 0;
      r.err = core_fd_init(fd, A[1].text, pollable, NULL);
      break;
    }
    case SCN_V_PIPE: {
      core_fd_t *rd = NULL, *wr = NULL;
      r.err = core_os_pipe(&rd, &wr);
      if (r.err == 0) {
        obj_t *a = obj_new(in, A[0].text, O_FD, st->line),
              *b = obj_new(in, A[1].text, O_FD, st->line);
        a->fd = rd;
        b->fd = wr;
      }
      break;
    }
    case SCN_V_NAMEDPIPE: {
      core_fd_t *sv = NULL, *cl = NULL;
      bool msg = np > 3 && strcmp(A[3].text, "message") == 0;
      char path[MAX_PATH];
      scn_be_path(A[2].text, true, path, sizeof path);
      r.err = core_os_named_pipe(path, msg, &sv, &cl);
      if (r.err == 0) {
        obj_new(in, A[0].text, O_FD, st->line)->fd = sv;
        obj_new(in, A[1].text, O_FD, st->line)->fd = cl;
      }
      break;
    }
    case SCN_V_FILE: {
      WCHAR wp[MAX_PATH];
      char path[MAX_PATH];
      scn_be_path(A[0].text, false, path, sizeof path);
      to_wide(path, wp, MAX_PATH);
      HANDLE h = CreateFileW(wp, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                             NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
      if (h == INVALID_HANDLE_VALUE)
        failf("%s:%u: file: cannot create '%s' (error %d)", in->s->path, st->line, A[0].text,
              win_err());
      DWORD done = 0;
      if (A[1].len > 0 &&
          (!WriteFile(h, A[1].data, (DWORD)A[1].len, &done, NULL) || done != A[1].len))
        failf("%s:%u: file: cannot write '%s' (error %d)", in->s->path, st->line, A[0].text,
              win_err());
      CloseHandle(h);
      break;
    }
    case SCN_V_OPEN: {
      int flags = 0;
      bool access = false;
      for (uint32_t i = 2; i < np; i++) {
        const char *w = A[i].text;
        if (strcmp(w, "rdonly") == 0)
          access = true, flags |= CORE_O_RDONLY;
        else if (strcmp(w, "wronly") == 0)
          access = true, flags |= CORE_O_WRONLY;
        else if (strcmp(w, "rdwr") == 0)
          access = true, flags |= CORE_O_RDWR;
        else if (strcmp(w, "create") == 0)
          flags |= CORE_O_CREAT;
        else if (strcmp(w, "excl") == 0)
          flags |= CORE_O_EXCL;
        else if (strcmp(w, "trunc") == 0)
          flags |= CORE_O_TRUNC;
        else if (strcmp(w, "append") == 0)
          flags |= CORE_O_APPEND;
      }
      if (!access) flags |= CORE_O_RDWR;
      const scn_arg_t *perm = key_arg(st, "perm");
      core_fd_t *fd = NULL;
      char path[MAX_PATH];
      scn_be_path(A[1].text, false, path, sizeof path);
      r.err = core_os_open(path, flags, perm ? (uint32_t)perm->i : 0666, &fd);
      if (r.err == 0) obj_new(in, A[0].text, O_FD, st->line)->fd = fd;
      break;
    }
    case SCN_V_STDIN:
    case SCN_V_STDOUT:
    case SCN_V_STDERR: {
      core_fd_t *fd = NULL;
      r.err = core_os_std(st->verb == SCN_V_STDIN ? 0 : st->verb == SCN_V_STDOUT ? 1 : 2, &fd);
      if (r.err == 0) obj_new(in, A[0].text, O_FD, st->line)->fd = fd;
      break;
    }
    case SCN_V_EVENT: {
      HANDLE h = CreateEventW(NULL, TRUE, FALSE, NULL);
      if (h == NULL)
        failf("%s:%u: event: CreateEventW failed (%d)", in->s->path, st->line, win_err());
      obj_new(in, A[0].text, O_EVENT, st->line)->h = h;
      break;
    }
    /* ---- reads ---- */
    case SCN_V_READ:
    case SCN_V_PREAD:
    case SCN_V_READ_FROM:
    case SCN_V_READ_FROM4:
    case SCN_V_READ_FROM6:
    case SCN_V_READ_MSG:
    case SCN_V_READ_MSG4:
    case SCN_V_READ_MSG6: {
      obj_t *o = obj_get(in, st, A[0].text);
      core_fd_t *fd = need_fd(in, st, A[0].text);
      uint8_t *buf = read_buf(in, st, A[1].i);
      size_t len = (size_t)A[1].i, n = 0;
      switch (st->verb) {
        case SCN_V_READ:
          r.err = core_fd_read(fd, buf, len, &n);
          break;
        case SCN_V_PREAD:
          r.err = core_fd_pread(fd, buf, len, A[2].i, &n);
          break;
        case SCN_V_READ_FROM: {
          core_sockaddr_t from;
          memset(&from, 0, sizeof from);
          r.err = core_fd_read_from(fd, buf, len, &n, &from);
          if (r.err == 0) name_source(in, &from, r.from, sizeof r.from);
          break;
        }
        case SCN_V_READ_FROM4: {
          /* port -1: "not written" (the Inet variants leave *from alone when
           * they return early, B64, or fail) */
          core_sockaddr_t from = {.kind = CORE_SA_INET4, .u.in4.port = -1};
          r.err = core_fd_read_from_inet4(fd, buf, len, &n, &from.u.in4);
          if (r.err == 0 && from.u.in4.port != -1) name_source(in, &from, r.from, sizeof r.from);
          break;
        }
        case SCN_V_READ_FROM6: {
          core_sockaddr_t from = {.kind = CORE_SA_INET6, .u.in6.port = -1};
          r.err = core_fd_read_from_inet6(fd, buf, len, &n, &from.u.in6);
          if (r.err == 0 && from.u.in6.port != -1) name_source(in, &from, r.from, sizeof r.from);
          break;
        }
        default: {
          const scn_arg_t *oob = key_arg(st, "oob"), *fl = key_arg(st, "flags");
          size_t oobcap = oob ? (size_t)oob->i : 0, oobn = 0;
          if (oobcap > 65536) failf("%s:%u: oob buffer too large", in->s->path, st->line);
          uint8_t *oobb = xcalloc(oobcap + 1, 1);
          int flags_out = 0, flags = fl ? (int)fl->i : 0;
          core_sockaddr_t from;
          memset(&from, 0, sizeof from);
          if (st->verb == SCN_V_READ_MSG) {
            r.err =
                core_fd_read_msg(fd, buf, len, oobb, oobcap, flags, &n, &oobn, &flags_out, &from);
          } else if (st->verb == SCN_V_READ_MSG4) {
            from.kind = CORE_SA_INET4;
            from.u.in4.port = -1;
            r.err = core_fd_read_msg_inet4(fd, buf, len, oobb, oobcap, flags, &n, &oobn, &flags_out,
                                           &from.u.in4);
          } else {
            from.kind = CORE_SA_INET6;
            from.u.in6.port = -1;
            r.err = core_fd_read_msg_inet6(fd, buf, len, oobb, oobcap, flags, &n, &oobn, &flags_out,
                                           &from.u.in6);
          }
          /* what the kernel wrote back, when it wrote anything (data or a partial message) */
          r.has_oob = r.has_flags = r.err == 0 || n > 0;
          r.oob = (int64_t)oobn;
          r.flags = (int64_t)(uint32_t)flags_out;
          bool written = !((from.kind == CORE_SA_INET4 && from.u.in4.port == -1) ||
                           (from.kind == CORE_SA_INET6 && from.u.in6.port == -1));
          if (r.err == 0 && written) name_source(in, &from, r.from, sizeof r.from);
          free(oobb);
          break;
        }
      }
      r.has_n = true;
      r.n = (int64_t)n;
      r.has_data = true;
      r.data = buf;
      r.len = n <= len ? n : len;
      o->got += (int64_t)r.len;
      mark_eof(o, &r);
      break;
    }
    /* ---- writes ---- */
    case SCN_V_WRITE:
    case SCN_V_PWRITE: {
      obj_t *o = obj_get(in, st, A[0].text);
      core_fd_t *fd = need_fd(in, st, A[0].text);
      size_t n = 0;
      if (st->verb == SCN_V_WRITE)
        r.err = core_fd_write(fd, A[1].data, A[1].len, &n);
      else
        r.err = core_fd_pwrite(fd, A[1].data, A[1].len, A[2].i, &n);
      r.has_n = true;
      r.n = (int64_t)n;
      o->wrote += (int64_t)n;
      break;
    }
    case SCN_V_WRITEV: {
      obj_t *o = obj_get(in, st, A[0].text);
      core_fd_t *fd = need_fd(in, st, A[0].text);
      size_t nb = np - 1;
      core_iovec_t *v = xcalloc(nb + 1, sizeof *v), *vp = v;
      for (size_t i = 0; i < nb; i++) {
        v[i].base = A[1 + i].data;
        v[i].len = A[1 + i].len;
      }
      int64_t n = 0;
      r.err = core_fd_writev(fd, &vp, &nb, &n);
      /* what consume left of the caller's list (B83, B109) */
      size_t rcap = 1 + nb * 200, rn = 0;
      r.rest = xcalloc(rcap, 1);
      for (size_t i = 0; i < nb && rn + 200 < rcap; i++) {
        char piece[200];
        scn_fmt_data(piece, sizeof piece, vp[i].base, vp[i].len);
        rn += (size_t)snprintf(r.rest + rn, rcap - rn, "%s%s", i ? " " : "", piece);
      }
      free(v);
      r.has_n = true;
      r.n = n;
      o->wrote += n;
      break;
    }
    case SCN_V_WRITE_TO:
    case SCN_V_WRITE_TO4:
    case SCN_V_WRITE_TO6:
    case SCN_V_WRITE_MSG:
    case SCN_V_WRITE_MSG4:
    case SCN_V_WRITE_MSG6: {
      obj_t *o = obj_get(in, st, A[0].text);
      core_fd_t *fd = need_fd(in, st, A[0].text);
      core_sockaddr_t sa;
      memset(&sa, 0, sizeof sa);
      bool has_to = false;
      if (np > 2) {
        target_of(in, st, &A[2], &sa);
        has_to = true;
      } else if (key_arg(st, "to")) {
        target_of(in, st, key_arg(st, "to"), &sa);
        has_to = true;
      }
      const scn_arg_t *oob = key_arg(st, "oob");
      size_t n = 0, oobn = 0;
      switch (st->verb) {
        case SCN_V_WRITE_TO:
          r.err = core_fd_write_to(fd, A[1].data, A[1].len, has_to ? &sa : NULL, &n);
          break;
        case SCN_V_WRITE_TO4:
          r.err = core_fd_write_to_inet4(fd, A[1].data, A[1].len, &sa.u.in4, &n);
          break;
        case SCN_V_WRITE_TO6:
          r.err = core_fd_write_to_inet6(fd, A[1].data, A[1].len, &sa.u.in6, &n);
          break;
        case SCN_V_WRITE_MSG:
          r.err = core_fd_write_msg(fd, A[1].data, A[1].len, oob ? oob->data : NULL,
                                    oob ? oob->len : 0, has_to ? &sa : NULL, &n, &oobn);
          break;
        case SCN_V_WRITE_MSG4:
          r.err = core_fd_write_msg_inet4(fd, A[1].data, A[1].len, oob ? oob->data : NULL,
                                          oob ? oob->len : 0, &sa.u.in4, &n, &oobn);
          break;
        default:
          r.err = core_fd_write_msg_inet6(fd, A[1].data, A[1].len, oob ? oob->data : NULL,
                                          oob ? oob->len : 0, &sa.u.in6, &n, &oobn);
          break;
      }
      r.has_n = true;
      r.n = (int64_t)n;
      if ((st->verb == SCN_V_WRITE_MSG || st->verb == SCN_V_WRITE_MSG4 ||
           st->verb == SCN_V_WRITE_MSG6) &&
          (r.err == 0 || n > 0)) {
        r.has_oob = true;
        r.oob = (int64_t)oobn;
      }
      o->wrote += (int64_t)n;
      break;
    }
    /* ---- the rest of the FD ---- */
    case SCN_V_CLOSE: {
      obj_t *o = obj_get(in, st, A[0].text);
      core_fd_t *fd = need_fd(in, st, A[0].text);
      uint64_t h = (uint64_t)(uintptr_t)core_fd_sysfd(fd);
      uint32_t serial = scn_be_handle_serial(h);
      r.err = core_fd_close(fd);
      o->closed = true;
      /* B40: a Close that did the closing returns only once the handle is
       * closed, whoever dropped the last reference (the same object: another
       * thread may have been given the same handle value since) */
      if (!in->s->inv_off[SCN_INV_CLOSED] && r.err != CORE_ENETCLOSING &&
          r.err != CORE_EFILECLOSING && serial != 0 && scn_be_handle_serial(h) == serial)
        failf("%s:%u: invariant closed-on-return: %s returned, but the handle 0x%llx is still open",
              in->s->path, st->line, st->raw, (unsigned long long)h);
      break;
    }
    case SCN_V_CLOSE_WRITE:
      r.err = core_net_close_write(need_fd(in, st, A[0].text));
      break;
    case SCN_V_CLOSE_READ:
      r.err = core_net_close_read(need_fd(in, st, A[0].text));
      break;
    case SCN_V_SEEK: {
      int whence = strcmp(A[2].text, "set") == 0   ? CORE_SEEK_SET
                   : strcmp(A[2].text, "cur") == 0 ? CORE_SEEK_CUR
                                                   : CORE_SEEK_END;
      int64_t pos = 0;
      r.err = core_fd_seek(need_fd(in, st, A[0].text), A[1].i, whence, &pos);
      r.has_n = true;
      r.n = pos;
      break;
    }
    case SCN_V_FCHMOD:
      r.err = core_fd_fchmod(need_fd(in, st, A[0].text), (uint32_t)A[1].i);
      break;
    case SCN_V_FCHDIR:
      r.err = core_fd_fchdir(need_fd(in, st, A[0].text));
      break;
    case SCN_V_FSYNC:
      r.err = core_fd_fsync(need_fd(in, st, A[0].text));
      break;
    case SCN_V_FILETYPE: {
      DWORD type = 0;
      r.err = core_fd_get_file_type(need_fd(in, st, A[0].text), &type);
      r.has_n = true;
      r.n = type;
      break;
    }
    case SCN_V_STAT: {
      BY_HANDLE_FILE_INFORMATION bi;
      memset(&bi, 0, sizeof bi);
      r.err = core_fd_get_file_information_by_handle(need_fd(in, st, A[0].text), &bi);
      r.has_n = true;
      r.n = ((int64_t)bi.nFileSizeHigh << 32) | bi.nFileSizeLow;
      break;
    }
    case SCN_V_SET_DEADLINE:
      r.err = core_fd_set_deadline(need_fd(in, st, A[0].text), deadline_of(&A[1]));
      break;
    case SCN_V_SET_READ_DEADLINE:
      r.err = core_fd_set_read_deadline(need_fd(in, st, A[0].text), deadline_of(&A[1]));
      break;
    case SCN_V_SET_WRITE_DEADLINE:
      r.err = core_fd_set_write_deadline(need_fd(in, st, A[0].text), deadline_of(&A[1]));
      break;
    case SCN_V_RAW_READ:
      r.err = core_fd_raw_read(need_fd(in, st, A[0].text), raw_ready, NULL);
      break;
    case SCN_V_RAW_WRITE: {
      bool v = strcmp(A[1].text, "true") == 0;
      r.err = core_fd_raw_write(need_fd(in, st, A[0].text), raw_fixed, &v);
      break;
    }
    /* ---- raw ---- */
    case SCN_V_SEND: {
      obj_t *o = obj_get(in, st, A[0].text);
      int k = send(obj_socket(o), (const char *)A[1].data, (int)A[1].len, 0);
      if (k == SOCKET_ERROR) r.err = wsa_err();
      r.has_n = true;
      r.n = k < 0 ? 0 : k;
      o->wrote += r.n;
      break;
    }
    case SCN_V_SENDTO: {
      obj_t *o = obj_get(in, st, A[0].text);
      core_sockaddr_t sa;
      target_of(in, st, &A[2], &sa);
      core_raw_sockaddr_any_t raw;
      int32_t len = 0;
      core_sockaddr_to_raw(&raw, &sa, &len);
      int k = sendto(obj_socket(o), (const char *)A[1].data, (int)A[1].len, 0,
                     (struct sockaddr *)&raw, len);
      if (k == SOCKET_ERROR) r.err = wsa_err();
      r.has_n = true;
      r.n = k < 0 ? 0 : k;
      break;
    }
    case SCN_V_RECV:
    case SCN_V_RECVFROM: {
      obj_t *o = obj_get(in, st, A[0].text);
      uint8_t *buf = read_buf(in, st, A[1].i);
      int k = st->verb == SCN_V_RECV
                  ? recv(obj_socket(o), (char *)buf, (int)A[1].i, 0)
                  : recvfrom(obj_socket(o), (char *)buf, (int)A[1].i, 0, NULL, NULL);
      if (k == SOCKET_ERROR) r.err = wsa_err();
      r.has_n = true;
      r.n = k < 0 ? 0 : k;
      r.has_data = true;
      r.data = buf;
      r.len = (size_t)r.n;
      o->got += r.n;
      if (k == 0 && A[1].i > 0 && o->stream) o->eof = true;
      break;
    }
    case SCN_V_SHUTDOWN: {
      int how = strcmp(A[1].text, "send") == 0   ? SD_SEND
                : strcmp(A[1].text, "recv") == 0 ? SD_RECEIVE
                                                 : SD_BOTH;
      if (shutdown(obj_socket(obj_get(in, st, A[0].text)), how) != 0) r.err = wsa_err();
      break;
    }
    case SCN_V_RESET: {
      obj_t *o = obj_get(in, st, A[0].text);
      struct linger lg = {1, 0};
      SOCKET s = obj_socket(o);
      if (setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg) != 0 ||
          closesocket(s) != 0)
        r.err = wsa_err();
      if (o->kind == O_SOCK) o->closed = true;
      break;
    }
    case SCN_V_CLOSESOCKET: {
      obj_t *o = obj_get(in, st, A[0].text);
      if (closesocket(obj_socket(o)) != 0) r.err = wsa_err();
      if (o->kind == O_SOCK) o->closed = true;
      break;
    }
    case SCN_V_CLOSEHANDLE: {
      obj_t *o = obj_get(in, st, A[0].text);
      if (!CloseHandle(obj_handle(o))) r.err = win_err();
      if (o->kind != O_FD) o->closed = true;
      break;
    }
    case SCN_V_CONNECT: {
      core_sockaddr_t sa;
      target_of(in, st, &A[1], &sa);
      core_raw_sockaddr_any_t raw;
      int32_t len = 0;
      core_sockaddr_to_raw(&raw, &sa, &len);
      SOCKET s = socket(sa.kind == CORE_SA_INET6 ? AF_INET6 : AF_INET, SOCK_STREAM, IPPROTO_TCP);
      if (s == INVALID_SOCKET) {
        r.err = wsa_err();
        break;
      }
      if (connect(s, (struct sockaddr *)&raw, len) != 0) {
        r.err = wsa_err();
        closesocket(s);
        break;
      }
      obj_t *o = obj_new(in, A[0].text, O_SOCK, st->line);
      o->s = s;
      o->stream = true;
      obj_addrs(o);
      break;
    }
    case SCN_V_CANCEL_IO:
      if (!CancelIoEx(obj_handle(obj_get(in, st, A[0].text)), NULL)) r.err = win_err();
      break;
    case SCN_V_FOREIGN_RECV: {
      /* An overlapped WSARecv that is not the core's, on a socket the core
       * associated with its port: its packet carries the FD's key but an
       * OVERLAPPED the poller does not own (golang/go#58870).  The word after
       * the OVERLAPPED is read by the poller's key check: it exists and is 0. */
      obj_t *o = obj_get(in, st, A[0].text);
      foreign_ov_t *fop = xcalloc(1, sizeof *fop);
      fop->next = in->foreign;
      in->foreign = fop;
      fop->ov.hEvent = WSACreateEvent();
      uint8_t *buf = read_buf(in, st, A[1].i);
      WSABUF wb = {(ULONG)A[1].i, (char *)buf};
      DWORD got = 0, flags = 0;
      SOCKET s = obj_socket(o);
      if (WSARecv(s, &wb, 1, &got, &flags, &fop->ov, NULL) != 0) {
        int e = wsa_err();
        if (e != WSA_IO_PENDING) r.err = e;
      }
      if (r.err == 0) {
        if (!WSAGetOverlappedResult(s, &fop->ov, &got, TRUE, &flags)) r.err = wsa_err();
      }
      WSACloseEvent(fop->ov.hEvent);
      r.has_n = true;
      r.n = got;
      r.has_data = true;
      r.data = buf;
      r.len = r.err == 0 ? got : 0;
      o->got += (int64_t)r.len;
      break;
    }
    case SCN_V_WRITE_FILE: {
      obj_t *o = obj_get(in, st, A[0].text);
      DWORD done = 0;
      if (!WriteFile(obj_handle(o), A[1].data, (DWORD)A[1].len, &done, NULL)) r.err = win_err();
      r.has_n = true;
      r.n = done;
      break;
    }
    /* ---- control ---- */
    case SCN_V_SLEEP:
      sleep_ns(A[0].i);
      break;
    case SCN_V_UNTIL:
      sleep_ns(A[0].i - (int64_t)(scn_be_now() - in->t0));
      break;
    case SCN_V_SIGNAL:
      SetEvent(obj_handle(obj_get(in, st, A[0].text)));
      break;
    case SCN_V_WAIT:
      WaitForSingleObject(obj_handle(obj_get(in, st, A[0].text)), INFINITE);
      break;
    case SCN_V_YIELD:
      Sleep(0);
      break;
    case SCN_V_FAULT: {
      char rule[1024], why[256];
      fault_text(in, st, rule, sizeof rule);
      if (!scn_be_fault(rule, why, sizeof why))
        failf("%s:%u: fault rule rejected: %s", in->s->path, st->line, why);
      break;
    }
    case SCN_V_REPEAT:
      for (int64_t i = 0; i < A[0].i; i++) run_block(in, th, &st->body);
      break;
    case SCN_V_COUNT:
      break;
  }
  if (!op) return;
  char res[1400], line[2400];
  fmt_result(&r, res, sizeof res);
  snprintf(line, sizeof line, "%s -> %s", st->raw, res);
  hist_add(in, th, r.err == 0 ? 'o' : 'f', line);
  scn_be_trace_step(st->verb, st->line, 1, r.err, r.n);
  if (st->expect.n_alts == 0 && r.err != 0 && makes_object(st->verb))
    failf(
        "%s:%u: %s\n  failed: %s\n  (a step that makes an object must succeed, unless it says what "
        "it expects with =>)",
        in->s->path, st->line, st->raw, res);
  if (st->expect.n_alts > 0) {
    bool ok = false;
    for (uint32_t i = 0; i < st->expect.n_alts && !ok; i++)
      ok = alt_matches(&st->expect.alts[i], &r);
    if (!ok) {
      char want[600];
      size_t w = 0;
      want[0] = '\0';
      for (uint32_t i = 0; i < st->expect.n_alts; i++) {
        char a[300];
        scn_fmt_alt(&st->expect.alts[i], a, sizeof a);
        w += (size_t)snprintf(want + w, w < sizeof want ? sizeof want - w : 0, "%s%s",
                              i ? " | " : "", a);
      }
      buf_free(in, r.data);
      free(r.rest);
      failf("%s:%u: %s\n  expected: %s\n  got:      %s", in->s->path, st->line, st->raw, want, res);
    }
  }
  buf_free(in, r.data);
  free(r.rest);
}

static void run_block(scn_interp_t *in, uint32_t th, const scn_block_t *b) {
  for (size_t i = 0; i < b->n; i++) {
    const scn_step_t *st = &b->steps[i];
    if (st->verb < 0) continue; /* console settings: applied by the backend before the run */
    exec_step(in, th, st);
  }
}

static DWORD WINAPI thread_main(LPVOID p) {
  thread_arg_t *a = p;
  scn_interp_t *in = a->in;
  const scn_thread_t *t = &in->s->threads[a->idx - 1];
  scn_be_name_thread(t->name);
  if (t->is_at) sleep_ns(t->at_ns - (int64_t)(scn_be_now() - in->t0));
  run_block(in, a->idx, &t->body);
  return 0;
}

/* ---- end of run ------------------------------------------------------------------- */

static int64_t fd_refs(core_fd_t *fd) {
  return (int64_t)core_test_fd_refs(fd);
}

static void cleanup_and_check(scn_interp_t *in) {
  const scn_t *s = in->s;
  /* close what the scenario left open, in creation order */
  for (size_t i = 0; i < in->n_all; i++) {
    obj_t *o = in->all[i];
    if (o->closed) continue;
    switch (o->kind) {
      case O_FD:
        (void)core_fd_close(o->fd);
        break;
      case O_SOCK:
        closesocket(o->s);
        break;
      case O_HANDLE:
      case O_EVENT:
        CloseHandle(o->h);
        break;
      default:
        break;
    }
    o->closed = true;
  }
  char msg[1024];
  if (!s->inv_off[SCN_INV_FD_REFS]) {
    for (size_t i = 0; i < in->n_all; i++) {
      obj_t *o = in->all[i];
      if (o->kind == O_FD && fd_refs(o->fd) != 0)
        failf(
            "%s: invariant fd-refs-zero: the FD made at line %u still holds %lld references after "
            "Close returned",
            s->path, o->line, (long long)fd_refs(o->fd));
      if (o->kind == O_FD && core_test_fd_users(o->fd) != 0)
        failf(
            "%s: invariant fd-refs-zero: %u threads are still inside methods of the FD made at "
            "line %u after every "
            "thread of the run ended",
            s->path, core_test_fd_users(o->fd), o->line);
    }
  }
  for (size_t i = 0; i < in->n_all; i++) {
    if (in->all[i]->kind == O_FD) {
      core_fd_free(in->all[i]->fd);
      in->all[i]->fd = NULL;
    }
  }
  if (!s->inv_off[SCN_INV_BYTES]) {
    for (size_t i = 0; i < in->n_all; i++) {
      obj_t *b = in->all[i];
      if (!b->stream || !b->eof || !b->has_addr) continue;
      for (size_t j = 0; j < in->n_all; j++) {
        obj_t *a = in->all[j];
        if (a == b || !a->stream || !a->has_addr) continue;
        if (!same_addr(&a->local, &b->remote) || !same_addr(&a->remote, &b->local)) continue;
        if (a->wrote != b->got)
          failf(
              "%s: invariant bytes-conserved: the stream from line %u to line %u was drained to "
              "EOF, but %lld bytes were "
              "written and %lld read",
              s->path, a->line, b->line, (long long)a->wrote, (long long)b->got);
      }
    }
  }
  if (!s->inv_off[SCN_INV_PENDING]) {
    uint32_t p = scn_be_pending_io();
    if (p != 0)
      failf(
          "%s: invariant no-pending-io: %u overlapped operations still pending after every handle "
          "was closed",
          s->path, p);
  }
  if (!s->inv_off[SCN_INV_HANDLES]) {
    size_t k = scn_be_leaked_handles(&in->before, msg, sizeof msg);
    if (k != 0) failf("%s: invariant handles-closed: %zu handles left open: %s", s->path, k, msg);
  }
}

void scn_interp_main(void *p) {
  scn_interp_t *in = p;
  const scn_t *s = in->s;
  in->t0 = scn_be_now();
  scn_be_handle_snapshot(&in->before);
  /* The fault lines that open the setup are in place when the process
   * starts; then Go's package init runs (WSAStartup, the KB2568167 check),
   * whose failure is kept and returned by every Init (B1). */
  size_t first = 0;
  while (first < s->setup.body.n &&
         (s->setup.body.steps[first].verb == SCN_V_FAULT || s->setup.body.steps[first].verb < 0)) {
    if (s->setup.body.steps[first].verb == SCN_V_FAULT)
      exec_step(in, 0, &s->setup.body.steps[first]);
    first++;
  }
  (void)core_package_init();
  in->saved_max_rw = core_max_rw;
  for (size_t i = 0; i < s->n_system; i++)
    if (strcmp(s->system[i].key, "maxrw") == 0) core_max_rw = (size_t)s->system[i].num;
  /* no setup steps: steps is NULL, and NULL + 0 is undefined (UBSan, fuzz_scn_run) */
  scn_block_t rest = {s->setup.body.steps ? s->setup.body.steps + first : NULL,
                      s->setup.body.n - first, 0};
  run_block(in, 0, &rest);
  /* kept in `in` so that a run ended by a failure still frees them */
  HANDLE *hs = in->hs = xcalloc(s->n_threads + 1, sizeof *hs);
  thread_arg_t *args = in->targs = xcalloc(s->n_threads + 1, sizeof *args);
  for (size_t i = 0; i < s->n_threads; i++) {
    args[i].in = in;
    args[i].idx = (uint32_t)i + 1;
    hs[i] = CreateThread(NULL, 0, thread_main, &args[i], 0, NULL);
    if (hs[i] == NULL) failf("%s: CreateThread failed (%d)", s->path, win_err());
  }
  for (size_t i = 0; i < s->n_threads; i++) {
    WaitForSingleObject(hs[i], INFINITE);
    CloseHandle(hs[i]);
  }
  cleanup_and_check(in);
  core_max_rw = in->saved_max_rw;
}

scn_interp_t *scn_interp_new(const scn_t *s) {
  scn_interp_t *in = xcalloc(1, sizeof *in);
  in->s = s;
  in->slot = xcalloc(s->n_objects + 1, sizeof *in->slot);
  in->n_threads = (uint32_t)s->n_threads;
  return in;
}

void scn_interp_free(scn_interp_t *in) {
  if (!in) return;
  core_max_rw = in->saved_max_rw ? in->saved_max_rw : core_max_rw;
  for (size_t i = 0; i < in->n_all; i++) {
    /* a run that failed left FDs behind; their kernel objects went with
     * the world, their memory is ours to release */
    if (in->all[i]->kind == O_FD && in->all[i]->fd) core_fd_discard(in->all[i]->fd);
    free(in->all[i]);
  }
  free(in->all);
  free(in->slot);
  for (size_t i = 0; i < in->n_hist; i++) free(in->hist[i].text);
  free(in->hist);
  free(in->before.values);
  free(in->hs);
  free(in->targs);
  for (size_t i = 0; i < in->n_bufs; i++) free(in->bufs[i]);
  free(in->bufs);
  while (in->foreign) {
    foreign_ov_t *f = in->foreign;
    in->foreign = f->next;
    free(f);
  }
  free(in);
}

bool scn_interp_handle(const scn_interp_t *in, const char *name, uint64_t *value) {
  int i = obj_index(in, name);
  if (i < 0 || in->slot[i] == NULL) return false;
  const obj_t *o = in->slot[i];
  if (o->kind == O_FD && o->fd == NULL) return false;
  *value = (uint64_t)(uintptr_t)obj_handle(o);
  return true;
}

const char *scn_interp_thread_name(const scn_interp_t *in, uint32_t idx) {
  if (idx == 0 || idx > in->n_threads) return "main";
  return in->s->threads[idx - 1].name;
}

typedef struct sbuf {
  char *p;
  size_t n, cap;
} sbuf_t;

static void sb_add(sbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(sbuf_t *b, const char *fmt, ...) {
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    if (b->p && (size_t)k < b->cap - b->n) {
      b->n += (size_t)k;
      return;
    }
    b->cap = (b->cap + (size_t)k + 1) * 2;
    b->p = realloc(b->p, b->cap);
    if (!b->p) exit(3);
  }
}

char *scn_interp_history(const scn_interp_t *in) {
  sbuf_t b = {0};
  sb_add(&b, "%s", "");
  for (uint32_t th = 0; th <= in->n_threads; th++) {
    const char *name = scn_interp_thread_name(in, th);
    for (size_t i = 0; i < in->n_hist; i++) {
      const hist_t *h = &in->hist[i];
      if (h->thread != th) continue;
      sb_add(&b, "%s %s %s\n", name,
             h->kind == 'i'   ? "invoke"
             : h->kind == 'o' ? "ok"
                              : "fail",
             h->text);
    }
  }
  return b.p;
}

char *scn_interp_order(const scn_interp_t *in) {
  sbuf_t b = {0};
  sb_add(&b, "%s", "");
  for (size_t i = 0; i < in->n_hist; i++) {
    const hist_t *h = &in->hist[i];
    sb_add(&b, "%s %s %s\n", scn_interp_thread_name(in, h->thread),
           h->kind == 'i'   ? "invoke"
           : h->kind == 'o' ? "ok"
                            : "fail",
           h->text);
  }
  return b.p;
}

char *scn_interp_timeline(const scn_interp_t *in, unsigned n) {
  sbuf_t b = {0};
  sb_add(&b, "%s", "");
  size_t from = in->n_hist > n ? in->n_hist - n : 0;
  if (from > 0) sb_add(&b, "  ... %zu earlier events\n", from);
  for (size_t i = from; i < in->n_hist; i++) {
    const hist_t *h = &in->hist[i];
    uint64_t t = h->t;
    char tb[32];
    if (t >= 1000000000ull && t % 1000000ull == 0)
      snprintf(tb, sizeof tb, "%llu.%03llus", (unsigned long long)(t / 1000000000ull),
               (unsigned long long)(t / 1000000ull % 1000));
    else if (t >= 1000000ull)
      snprintf(tb, sizeof tb, "%llu.%03llums", (unsigned long long)(t / 1000000ull),
               (unsigned long long)(t / 1000ull % 1000));
    else
      snprintf(tb, sizeof tb, "%lluus", (unsigned long long)(t / 1000ull));
    sb_add(&b, "  %12s  %-10s %-6s %s\n", tb, scn_interp_thread_name(in, h->thread),
           h->kind == 'i'   ? "invoke"
           : h->kind == 'o' ? "ok"
                            : "fail",
           h->text);
  }
  return b.p;
}
