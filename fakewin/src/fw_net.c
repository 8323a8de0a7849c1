/* fw_net.c: the loopback network of the fake world - addresses, the port
 * table, TCP connections as two bounded byte pipes, datagram delivery,
 * virtual latency, and the peer FIN/RST outcomes of the fault plan.
 *
 * Only loopback exists: 127.0.0.0/8 and ::1 (and the wildcard addresses for
 * bind).  Connections and datagrams never leave the process.  State here is
 * world-scoped: a sim hook empties it at world start and end.  Connections
 * live until the world ends (their buffers are freed as soon as both ends
 * are gone); that keeps timed events that point at them safe.
 *
 * Nothing here is a scheduling point: it runs inside the calling API (on a
 * fiber) or in timed events (latency, fault-plan peer events). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_sock.h"

/* A timed arrival (a reset, a datagram, an ICMP error) in flight.  They are
 * listed so that the ones still in flight when the world ends are freed. */
typedef struct net_event {
  struct net_event *prev, *next;
  sim_timer_t timer;
  void (*fire)(struct net_event *e);
  fw_conn_t *c; /* resets */
  int r;
  DWORD err;
  fw_sock_t *to; /* datagrams and ICMP errors: referenced */
  fw_dgram_t *d; /* NULL: an ICMP error */
  NTSTATUS icmp;
} net_event_t;

/* Bound sockets, in bind order within each bucket; a bucket holds the
 * ports equal modulo NET_PORT_BUCKETS, so a bind or a lookup walks only the
 * sockets that could share its port, never the whole table. */
#define NET_PORT_BUCKETS 4096u

static struct {
  net_event_t *events; /* in flight */
  struct {
    fw_sock_t *head, *tail;
  } port_bucket[NET_PORT_BUCKETS];
  bool any_bound;   /* some bucket is not empty (so the reset clears them) */
  fw_conn_t *conns; /* every connection of the world */
  uint32_t conn_serial;
  uint32_t next_ephemeral;
} N;

const fw_net_config_t *fw_net_cfg(void) {
  return fw_world_net();
}

static void event_fired(void *arg) {
  net_event_t *e = arg;
  if (e->prev)
    e->prev->next = e->next;
  else
    N.events = e->next;
  if (e->next) e->next->prev = e->prev;
  e->fire(e);
  free(e);
}

/* Schedules e->fire(e) `delay` ns from now; e is freed after it ran. */
static void event_after(net_event_t *e, uint64_t delay) {
  e->prev = NULL;
  e->next = N.events;
  if (N.events) N.events->prev = e;
  N.events = e;
  sim_timer_init(&e->timer);
  sim_timer_arm(&e->timer, sim_now() + delay, event_fired, e);
}

static net_event_t *event_new(void (*fire)(net_event_t *e)) {
  net_event_t *e = calloc(1, sizeof *e);
  if (e == NULL) abort();
  e->fire = fire;
  return e;
}

/* ---- tracing from events ------------------------------------------------------------- */

void fw_net_trace_event(const char *what, uint64_t a, uint64_t b) {
  /* one tracepoint per event kind; `what` must be a string literal */
  static struct {
    const char *what;
    sim_tracepoint_t tp;
  } tps[16];
  sim_tracepoint_t *tp = NULL;
  for (size_t i = 0; i < sizeof tps / sizeof tps[0]; i++) {
    if (tps[i].what == what) {
      tp = &tps[i].tp;
      break;
    }
    if (tps[i].what == NULL) {
      tps[i].what = what;
      tps[i].tp.name = what;
      tps[i].tp.args[0].name = "a";
      tps[i].tp.args[0].fmt = 'u';
      tps[i].tp.args[1].name = "b";
      tps[i].tp.args[1].fmt = 'u';
      tp = &tps[i].tp;
      break;
    }
  }
  if (tp == NULL) return;
  uint64_t args[SIM_TRACE_MAX_ARGS] = {a, b};
  sim_trace_call(tp, args, 0, 0);
}

/* ---- addresses ------------------------------------------------------------------------ */

int fw_addr_len(uint16_t family) {
  return family == AF_INET6 ? (int)sizeof(SOCKADDR_IN6) : (int)sizeof(SOCKADDR_IN);
}

int fw_addr_parse(const struct sockaddr *sa, int len, fw_addr_t *out) {
  memset(out, 0, sizeof *out);
  if (sa == NULL || len < (int)sizeof(ADDRESS_FAMILY)) return WSAEFAULT;
  ADDRESS_FAMILY fam;
  memcpy(&fam, sa, sizeof fam);
  if (fam == AF_INET) {
    SOCKADDR_IN in;
    if (len < (int)sizeof in) return WSAEFAULT;
    memcpy(&in, sa, sizeof in);
    out->family = AF_INET;
    out->port = fw_ntohs(in.sin_port);
    memcpy(out->ip, &in.sin_addr, 4);
    return 0;
  }
  if (fam == AF_INET6) {
    SOCKADDR_IN6 in6;
    if (len < (int)sizeof in6) return WSAEFAULT;
    memcpy(&in6, sa, sizeof in6);
    out->family = AF_INET6;
    out->port = fw_ntohs(in6.sin6_port);
    memcpy(out->ip, &in6.sin6_addr, 16);
    out->flowinfo = in6.sin6_flowinfo;
    out->scope = in6.sin6_scope_id;
    return 0;
  }
  return WSAEAFNOSUPPORT;
}

void fw_addr_write(const fw_addr_t *a, void *buf) {
  if (a->family == AF_INET6) {
    SOCKADDR_IN6 in6;
    memset(&in6, 0, sizeof in6);
    in6.sin6_family = AF_INET6;
    in6.sin6_port = fw_htons(a->port);
    in6.sin6_flowinfo = a->flowinfo;
    memcpy(&in6.sin6_addr, a->ip, 16);
    in6.sin6_scope_id = a->scope;
    memcpy(buf, &in6, sizeof in6);
  } else {
    SOCKADDR_IN in;
    memset(&in, 0, sizeof in);
    in.sin_family = AF_INET;
    in.sin_port = fw_htons(a->port);
    memcpy(&in.sin_addr, a->ip, 4);
    memcpy(buf, &in, sizeof in);
  }
}

int fw_addr_store(const fw_addr_t *a, struct sockaddr *sa, int *len) {
  int need = fw_addr_len(a->family);
  if (len == NULL || sa == NULL || *len < need) return WSAEFAULT;
  fw_addr_write(a, sa);
  *len = need;
  return 0;
}

bool fw_addr_is_any(const fw_addr_t *a) {
  static const uint8_t zero[16];
  return memcmp(a->ip, zero, a->family == AF_INET6 ? 16 : 4) == 0;
}

bool fw_addr_is_loopback(const fw_addr_t *a) {
  if (a->family == AF_INET) return a->ip[0] == 127;
  static const uint8_t lo6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  if (memcmp(a->ip, lo6, 16) == 0) return true;
  fw_addr_t v4;
  return fw_addr_unmap(a, &v4) && v4.ip[0] == 127;
}

bool fw_addr_same_ip(const fw_addr_t *a, const fw_addr_t *b) {
  return a->family == b->family && memcmp(a->ip, b->ip, a->family == AF_INET6 ? 16 : 4) == 0;
}

bool fw_addr_equal(const fw_addr_t *a, const fw_addr_t *b) {
  return fw_addr_same_ip(a, b) && a->port == b->port;
}

void fw_addr_loopback(uint16_t family, uint16_t port, fw_addr_t *out) {
  memset(out, 0, sizeof *out);
  out->family = family;
  out->port = port;
  if (family == AF_INET6)
    out->ip[15] = 1;
  else {
    out->ip[0] = 127;
    out->ip[3] = 1;
  }
}

void fw_addr_any(uint16_t family, uint16_t port, fw_addr_t *out) {
  memset(out, 0, sizeof *out);
  out->family = family;
  out->port = port;
}

void fw_addr_v4mapped(const fw_addr_t *v4, fw_addr_t *out) {
  memset(out, 0, sizeof *out);
  out->family = AF_INET6;
  out->port = v4->port;
  out->ip[10] = 0xff;
  out->ip[11] = 0xff;
  memcpy(out->ip + 12, v4->ip, 4);
}

bool fw_addr_unmap(const fw_addr_t *v6, fw_addr_t *out) {
  static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (v6->family != AF_INET6 || memcmp(v6->ip, prefix, 12) != 0) return false;
  memset(out, 0, sizeof *out);
  out->family = AF_INET;
  out->port = v6->port;
  memcpy(out->ip, v6->ip + 12, 4);
  return true;
}

/* ---- the port table --------------------------------------------------------------------- */

/* Whether two local addresses (of sockets of the same protocol and port)
 * claim a common (address, port): same family and one is the wildcard or
 * both are equal; across families only through a dual-stack IPv6 socket
 * (IPV6_V6ONLY off), which also owns the port on IPv4. */
static bool addr_overlap(const fw_addr_t *a, bool a_v6only, const fw_addr_t *b, bool b_v6only) {
  if (a->family == b->family)
    return fw_addr_is_any(a) || fw_addr_is_any(b) || fw_addr_same_ip(a, b);
  const fw_addr_t *v6 = a->family == AF_INET6 ? a : b;
  const fw_addr_t *v4 = a->family == AF_INET6 ? b : a;
  bool v6only = a->family == AF_INET6 ? a_v6only : b_v6only;
  if (v6only) return false;
  if (fw_addr_is_any(v6)) return true;
  fw_addr_t m;
  return fw_addr_unmap(v6, &m) && (fw_addr_is_any(v4) || fw_addr_same_ip(&m, v4));
}

#define BUCKET(port) (N.port_bucket[(port) % NET_PORT_BUCKETS])

static bool port_used(int type, const fw_addr_t *a, bool v6only, uint16_t port) {
  for (fw_sock_t *o = BUCKET(port).head; o != NULL; o = o->bind_next) {
    if (o->type != type || o->local.port != port) continue;
    if (addr_overlap(a, v6only, &o->local, o->v6only)) return true;
  }
  return false;
}

static void table_add(fw_sock_t *s) {
  s->bind_prev = BUCKET(s->local.port).tail;
  s->bind_next = NULL;
  if (BUCKET(s->local.port).tail)
    BUCKET(s->local.port).tail->bind_next = s;
  else
    BUCKET(s->local.port).head = s;
  BUCKET(s->local.port).tail = s;
  s->in_bind_table = true;
  N.any_bound = true;
}

void fw_net_unbind(fw_sock_t *s) {
  if (!s->in_bind_table) return;
  if (s->bind_prev)
    s->bind_prev->bind_next = s->bind_next;
  else
    BUCKET(s->local.port).head = s->bind_next;
  if (s->bind_next)
    s->bind_next->bind_prev = s->bind_prev;
  else
    BUCKET(s->local.port).tail = s->bind_prev;
  s->bind_prev = s->bind_next = NULL;
  s->in_bind_table = false;
}

/* Ephemeral ports come from one counter per world, so they are the same in
 * every run: the first free port at or after the counter (wrapping inside
 * [ephemeral_first, 65535]). */
static int pick_ephemeral(fw_sock_t *s, const fw_addr_t *a, uint16_t *port) {
  uint32_t first = fw_net_cfg()->ephemeral_first ? fw_net_cfg()->ephemeral_first : 49152u;
  if (N.next_ephemeral < first || N.next_ephemeral > 65535u) N.next_ephemeral = first;
  uint32_t span = 65536u - first;
  for (uint32_t i = 0; i < span; i++) {
    uint32_t p = N.next_ephemeral;
    N.next_ephemeral = p >= 65535u ? first : p + 1;
    if (!port_used(s->type, a, s->v6only, (uint16_t)p)) {
      *port = (uint16_t)p;
      return 0;
    }
  }
  return WSAENOBUFS; /* the dynamic range is exhausted */
}

int fw_net_bind(fw_sock_t *s, const fw_addr_t *want) {
  if (s->bound) return WSAEINVAL;
  if (want->family != s->af) return WSAEFAULT;
  if (!fw_addr_is_any(want) && !fw_addr_is_loopback(want)) return WSAEADDRNOTAVAIL;
  fw_addr_t a = *want;
  if (a.port == 0) {
    int err = pick_ephemeral(s, &a, &a.port);
    if (err) return err;
  } else {
    for (fw_sock_t *o = BUCKET(a.port).head; o != NULL; o = o->bind_next) {
      if (o->type != s->type || o->local.port != a.port) continue;
      if (!addr_overlap(&a, s->v6only, &o->local, o->v6only)) continue;
      /* SO_EXCLUSIVEADDRUSE on the holder wins over everything; otherwise
       * SO_REUSEADDR on the newcomer lets it share (Winsock's rules,
       * "Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE") */
      if (o->exclusive) return s->reuseaddr ? WSAEACCES : WSAEADDRINUSE;
      if (s->exclusive || !s->reuseaddr) return WSAEADDRINUSE;
    }
  }
  s->local = a;
  s->bound = true;
  table_add(s);
  return 0;
}

int fw_net_autobind(fw_sock_t *s) {
  if (s->bound) return 0;
  fw_addr_t any;
  fw_addr_any((uint16_t)s->af, 0, &any);
  return fw_net_bind(s, &any);
}

/* A bound socket of `type` that receives for `to`: an exact address match
 * first, then a wildcard, then a dual-stack IPv6 wildcard for IPv4.
 * `want_listening`: TCP listeners only. */
static fw_sock_t *lookup(int type, const fw_addr_t *to, bool want_listening) {
  fw_sock_t *wild = NULL, *dual = NULL;
  for (fw_sock_t *o = BUCKET(to->port).head; o != NULL; o = o->bind_next) {
    if (o->type != type || o->local.port != to->port || o->state == FW_SOCK_CLOSED) continue;
    if (want_listening && o->state != FW_SOCK_LISTENING) continue;
    if (o->local.family == to->family) {
      if (fw_addr_same_ip(&o->local, to)) return o;
      if (fw_addr_is_any(&o->local) && wild == NULL) wild = o;
    } else if (to->family == AF_INET && o->local.family == AF_INET6 && !o->v6only && dual == NULL) {
      fw_addr_t m;
      if (fw_addr_is_any(&o->local) || (fw_addr_unmap(&o->local, &m) && fw_addr_same_ip(&m, to)))
        dual = o;
    }
  }
  return wild ? wild : dual;
}

/* The address a datagram or a connection really travels to: a v4-mapped
 * IPv6 destination (from a dual-stack socket) is the IPv4 address. */
static void wire_addr(const fw_addr_t *to, fw_addr_t *out) {
  if (!fw_addr_unmap(to, out)) *out = *to;
}

/* The address s sends from towards `wire` (same family as `wire`): its
 * bound address, with the wildcard (or a mapped wildcard) replaced by the
 * destination's loopback address. */
static void source_addr(const fw_sock_t *s, const fw_addr_t *wire, fw_addr_t *out) {
  fw_addr_t l;
  wire_addr(&s->local, &l);
  if (l.family == wire->family && !fw_addr_is_any(&l)) {
    *out = l;
    return;
  }
  *out = *wire;
  out->port = s->local.port;
  out->flowinfo = 0;
  out->scope = 0;
}

/* The address `a` as seen by a socket of family `fam` (v4-mapped for a
 * dual-stack IPv6 socket). */
static void as_family(const fw_addr_t *a, int fam, fw_addr_t *out) {
  if (a->family == AF_INET && fam == AF_INET6)
    fw_addr_v4mapped(a, out);
  else
    *out = *a;
}

/* ---- pipes -------------------------------------------------------------------------------- */

static size_t pipe_cap(const fw_conn_t *c, int s) {
  long cap = (long)c->sndbuf[s] + (long)c->rcvbuf[1 - s];
  return cap < 1 ? 1u : (size_t)cap;
}

static size_t pipe_len(const fw_pipe_t *p) {
  return (size_t)(p->written - p->read);
}

static void pipe_free(fw_pipe_t *p) {
  if (sim_timer_armed(&p->timer)) sim_timer_cancel(&p->timer);
  free(p->buf);
  free(p->marks);
  p->buf = NULL;
  p->marks = NULL;
  p->size = 0;
  p->n_marks = p->cap_marks = p->first_mark = 0;
}

/* Data lives in buf[0 .. len) after compaction: the byte at offset `read`
 * is buf[0].  (A plain buffer; memmove on consumption keeps it simple and
 * the pipes are small.) */
static void pipe_append(fw_pipe_t *p, const uint8_t *src, size_t n) {
  size_t len = pipe_len(p);
  if (len + n > p->size) {
    size_t sz = p->size ? p->size : 256;
    while (sz < len + n) sz *= 2;
    uint8_t *nb = realloc(p->buf, sz);
    if (nb == NULL) abort();
    p->buf = nb;
    p->size = sz;
  }
  memcpy(p->buf + len, src, n);
  p->written += n;
}

static void pipe_consume(fw_pipe_t *p, size_t n) {
  size_t len = pipe_len(p);
  memmove(p->buf, p->buf + n, len - n);
  p->read += n;
}

static void notify_reader(fw_conn_t *c, int s);

static void pipe_timer(void *arg);

/* The latency of one delivery: the configured one, or with latency 0 and
 * FW_TIMING_DELIVERY, a TIMING decision between "within the call" (0) and
 * "once virtual time next moves" (1 ns). */
static uint64_t delivery_latency(void) {
  uint64_t lat = fw_net_cfg()->latency_ns;
  if (lat == 0 && (fw_world_timing() & FW_TIMING_DELIVERY) &&
      sim_decide(SIM_DECIDE_TIMING, 2, NULL) == 1)
    lat = 1;
  return lat;
}

/* Schedules visibility of everything written so far (and the FIN if `fin`). */
static void pipe_mark(fw_conn_t *c, int s, bool fin) {
  fw_pipe_t *p = &c->dir[s];
  uint64_t lat = delivery_latency();
  if (lat == 0) {
    p->visible = p->written;
    if (fin) p->fin_visible = true;
    notify_reader(c, s);
    return;
  }
  if (p->n_marks == p->cap_marks) {
    size_t cap = p->cap_marks ? p->cap_marks * 2 : 8;
    struct fw_pipe_mark *m = realloc(p->marks, cap * sizeof *m);
    if (m == NULL) abort();
    p->marks = m;
    p->cap_marks = cap;
  }
  p->marks[p->n_marks++] = (struct fw_pipe_mark){sim_now() + lat, p->written, fin};
  if (!sim_timer_armed(&p->timer))
    sim_timer_arm(&p->timer, p->marks[p->first_mark].when, pipe_timer, p);
}

static void pipe_timer(void *arg) {
  fw_pipe_t *p = arg;
  fw_conn_t *c = p->conn;
  int s = p->side;
  uint64_t now = sim_now();
  while (p->first_mark < p->n_marks && p->marks[p->first_mark].when <= now) {
    /* never backwards: a later write delivered at once (a timing decision
     * of 0 after one of 1) made these bytes visible already, and the reader
     * may have consumed them (found by fuzz_scn_run) */
    if (p->marks[p->first_mark].offset > p->visible) p->visible = p->marks[p->first_mark].offset;
    if (p->marks[p->first_mark].fin) p->fin_visible = true;
    p->first_mark++;
  }
  if (p->first_mark == p->n_marks)
    p->first_mark = p->n_marks = 0;
  else
    sim_timer_arm(&p->timer, p->marks[p->first_mark].when, pipe_timer, p);
  notify_reader(c, s);
}

/* ---- connections ----------------------------------------------------------------------------- */

static fw_conn_t *conn_new(void) {
  fw_conn_t *c = calloc(1, sizeof *c);
  if (c == NULL) abort();
  for (int d = 0; d < 2; d++) {
    sim_timer_init(&c->dir[d].timer);
    c->dir[d].conn = c;
    c->dir[d].side = d;
  }
  c->serial = ++N.conn_serial;
  c->all_next = N.conns;
  N.conns = c;
  return c;
}

/* Both ends are gone: the buffers go (the struct stays until world end). */
static void conn_maybe_free(fw_conn_t *c) {
  if (c->end[0] == NULL && c->end[1] == NULL && c->listener == NULL && c->accept_req == NULL) {
    pipe_free(&c->dir[0]);
    pipe_free(&c->dir[1]);
  }
}

size_t fw_net_room(fw_conn_t *c, int s) {
  if (c->reset[s] || c->reset[1 - s]) return 0;
  size_t cap = pipe_cap(c, s), len = pipe_len(&c->dir[s]);
  return len >= cap ? 0 : cap - len;
}

size_t fw_net_readable(fw_conn_t *c, int s) {
  const fw_pipe_t *p = &c->dir[1 - s];
  return (size_t)(p->visible - p->read);
}

bool fw_net_eof(fw_conn_t *c, int s) {
  const fw_pipe_t *p = &c->dir[1 - s];
  return p->fin_visible && p->read == p->fin_at;
}

size_t fw_net_write(fw_conn_t *c, int s, const uint8_t *src, size_t n) {
  size_t room = fw_net_room(c, s);
  if (n > room) n = room;
  if (n == 0) return 0;
  pipe_append(&c->dir[s], src, n);
  pipe_mark(c, s, false);
  return n;
}

size_t fw_net_read(fw_conn_t *c, int s, uint8_t *dst, size_t n, bool peek) {
  fw_pipe_t *p = &c->dir[1 - s];
  size_t avail = (size_t)(p->visible - p->read);
  if (n > avail) n = avail;
  if (n > 0 && dst != NULL) memcpy(dst, p->buf, n);
  if (!peek && n > 0) {
    pipe_consume(p, n);
    /* room freed for the writer */
    fw_sock_t *w = c->end[1 - s];
    if (w != NULL) {
      fw_sock_pump_send(w);
      fw_io_sync_wake_all(&w->io);
    }
  }
  return n;
}

void fw_net_fin(fw_conn_t *c, int s) {
  fw_pipe_t *p = &c->dir[s];
  if (p->fin || c->reset[s] || c->reset[1 - s]) return;
  p->fin = true;
  p->fin_at = p->written;
  pipe_mark(c, s, true);
}

/* The reset reaches end r (the receiving side). */
static void apply_reset(fw_conn_t *c, int r, DWORD err) {
  if (c->reset[r]) return;
  c->reset[r] = true;
  c->reset_err[r] = err;
  /* the stream is gone in both directions */
  for (int d = 0; d < 2; d++) {
    fw_pipe_t *p = &c->dir[d];
    if (sim_timer_armed(&p->timer)) sim_timer_cancel(&p->timer);
    p->read = p->visible = p->written;
    p->n_marks = p->first_mark = 0;
    p->fin_visible = p->fin;
  }
  fw_net_trace_event("net.reset", c->serial, (uint64_t)r);
  fw_sock_t *e = c->end[r];
  if (e != NULL) {
    fw_sock_on_reset(e, STATUS_CONNECTION_RESET);
    fw_io_sync_wake_all(&e->io);
  } else if (c->accept_req != NULL) {
    /* an AcceptEx waiting for this connection's first data (F31) */
    fw_sock_accept_data(c);
  }
  /* a connection still in a backlog keeps its place: AcceptEx reports the
   * reset when it gets there (F31), accept() skips it */
}

static void rst_fire(net_event_t *e) {
  apply_reset(e->c, e->r, e->err);
}

void fw_net_rst(fw_conn_t *c, int s, DWORD peer_err) {
  if (c->reset[1 - s]) return;
  uint64_t lat = delivery_latency();
  /* the sender is done with the connection at once */
  c->dir[s].fin = true;
  if (lat == 0) {
    apply_reset(c, 1 - s, peer_err);
    return;
  }
  net_event_t *e = event_new(rst_fire);
  e->c = c;
  e->r = 1 - s;
  e->err = peer_err;
  event_after(e, lat);
}

/* New bytes, a FIN or a reset are visible to end 1-s of c. */
static void notify_reader(fw_conn_t *c, int s) {
  int r = 1 - s;
  fw_sock_t *e = c->end[r];
  if (e != NULL) {
    fw_sock_pump_recv(e);
    fw_io_sync_wake_all(&e->io);
    return;
  }
  if (c->accept_req != NULL) {
    /* the AcceptEx that took this connection waits for data, FIN or reset */
    fw_sock_accept_data(c);
    return;
  }
  if (c->closed[r] && !c->reset[s] && fw_net_readable(c, r) > 0) {
    /* data for an end that was closed: the stack answers with a reset;
     * Windows reports it as an abort (W21: Wine differs) */
    fw_pipe_t *p = &c->dir[s];
    pipe_consume(p, (size_t)(p->visible - p->read));
    fw_net_rst(c, r, (int)fw_pers()->closed_end_data_error); /* W21 */
  }
}

/* ---- connect, accept --------------------------------------------------------------------------
 */

static int backlog_cap(const fw_sock_t *l) {
  return l->backlog < 1 ? 1 : l->backlog;
}

int fw_net_connect(fw_sock_t *s, const fw_addr_t *to) {
  fw_addr_t wire;
  wire_addr(to, &wire);
  fw_sock_t *l = lookup(SOCK_STREAM, &wire, true);
  if (l == NULL || l->bl_count >= (uint32_t)backlog_cap(l)) return WSAECONNREFUSED;
  fw_conn_t *c = conn_new();
  fw_addr_t src;
  source_addr(s, &wire, &src);
  as_family(&src, s->af, &c->addr[0]);
  c->peer[0] = *to;
  as_family(&wire, l->af, &c->addr[1]);
  as_family(&src, l->af, &c->peer[1]);
  c->end[0] = s;
  c->sndbuf[0] = s->sndbuf;
  c->rcvbuf[0] = s->rcvbuf;
  /* until accepted, the server end buffers as the listener would */
  c->sndbuf[1] = l->sndbuf;
  c->rcvbuf[1] = l->rcvbuf;
  s->conn = c;
  s->side = 0;
  s->peer = *to;
  c->listener = l;
  if (l->bl_tail)
    l->bl_tail->bl_next = c;
  else
    l->bl_head = c;
  l->bl_tail = c;
  l->bl_count++;
  fw_net_trace_event("net.connect", c->serial, to->port);
  /* a waiting AcceptEx or accept() takes it */
  fw_sock_accept_pump(l);
  fw_io_sync_wake_all(&l->io);
  return 0;
}

fw_conn_t *fw_net_backlog_pop(fw_sock_t *l) {
  fw_conn_t *c = l->bl_head;
  if (c == NULL) return NULL;
  l->bl_head = c->bl_next;
  if (l->bl_head == NULL) l->bl_tail = NULL;
  c->bl_next = NULL;
  c->listener = NULL;
  l->bl_count--;
  return c;
}

void fw_net_backlog_unpop(fw_sock_t *l, fw_conn_t *c) {
  c->bl_next = l->bl_head;
  l->bl_head = c;
  if (l->bl_tail == NULL) l->bl_tail = c;
  c->listener = l;
  l->bl_count++;
}

void fw_sock_attach_server(fw_sock_t *acc, fw_conn_t *c) {
  c->end[1] = acc;
  c->closed[1] = false;
  c->sndbuf[1] = acc->sndbuf;
  c->rcvbuf[1] = acc->rcvbuf;
  acc->conn = c;
  acc->side = 1;
  acc->local = c->addr[1];
  acc->peer = c->peer[1];
  acc->bound = true; /* shares the listener's port; not in the port table */
  acc->state = FW_SOCK_CONNECTED;
  acc->connected_at = sim_now();
  if (c->reset[1]) return;
  /* data or a FIN that arrived before the accept is readable now */
  if (fw_net_readable(c, 1) > 0 || fw_net_eof(c, 1)) fw_sock_pump_recv(acc);
}

void fw_net_close_end(fw_sock_t *s) {
  fw_conn_t *c = s->conn;
  if (c == NULL) return;
  int side = s->side;
  bool dead = c->reset[0] || c->reset[1];
  if (!dead) {
    /* SO_LINGER {1, 0} is an abortive close; so is closing with received
     * data nobody read (TCP answers the unread data with RST) */
    fw_pipe_t *in = &c->dir[1 - side];
    bool unread = in->written > in->read;
    if ((s->linger_on && s->linger_secs == 0) || unread)
      fw_net_rst(c, side, WSAECONNRESET);
    else
      fw_net_fin(c, side);
  }
  c->end[side] = NULL;
  c->closed[side] = true;
  s->conn = NULL;
  conn_maybe_free(c);
}

void fw_net_close_listener(fw_sock_t *l) {
  fw_conn_t *c;
  while ((c = fw_net_backlog_pop(l)) != NULL) {
    /* the kernel had accepted it for the listener: it is reset now */
    c->closed[1] = true;
    fw_net_rst(c, 1, WSAECONNRESET);
    conn_maybe_free(c);
  }
}

void fw_net_resize(fw_sock_t *s) {
  fw_conn_t *c = s->conn;
  if (c == NULL) return;
  c->sndbuf[s->side] = s->sndbuf;
  c->rcvbuf[s->side] = s->rcvbuf;
  /* more room may let queued sends move on either side */
  fw_sock_pump_send(s);
  if (c->end[1 - s->side]) fw_sock_pump_send(c->end[1 - s->side]);
}

/* ---- datagrams ----------------------------------------------------------------------------------
 */

static void dgram_enqueue(fw_sock_t *r, fw_dgram_t *d) {
  uint32_t limit = r->rcvbuf > 0 ? (uint32_t)r->rcvbuf : 0;
  if (r->state == FW_SOCK_CLOSED || r->shut_rd || r->dq_bytes + d->len > limit) {
    /* a full (or closed) receive queue drops datagrams silently */
    fw_net_trace_event("net.drop", d->from.port, d->len);
    free(d);
    return;
  }
  d->next = NULL;
  if (r->dq_tail)
    r->dq_tail->next = d;
  else
    r->dq_head = d;
  r->dq_tail = d;
  r->dq_bytes += d->len;
  r->dq_count++;
  fw_sock_pump_recv(r);
  fw_io_sync_wake_all(&r->io);
}

static void icmp_arrive(fw_sock_t *s, NTSTATUS st) {
  if (s->state == FW_SOCK_CLOSED) return;
  fw_net_trace_event("net.icmp", s->local.port, (uint32_t)st);
  s->icmp_status = st;
  fw_sock_pump_recv(s);
  fw_io_sync_wake_all(&s->io);
}

static void dgram_fire(net_event_t *e) {
  e->to->dgrams_in_flight--;
  if (e->d)
    dgram_enqueue(e->to, e->d);
  else
    icmp_arrive(e->to, e->icmp);
  e->d = NULL;
  fw_obj_unref(&e->to->io.obj);
}

static void dgram_later(fw_sock_t *to, fw_dgram_t *d, NTSTATUS icmp) {
  /* loopback keeps a sender's order: nothing overtakes what is still on
   * its way (so once one datagram is late, the next ones follow it) */
  uint64_t lat = to->dgrams_in_flight > 0 && fw_net_cfg()->latency_ns == 0 ? 1 : delivery_latency();
  if (lat == 0) {
    if (d)
      dgram_enqueue(to, d);
    else
      icmp_arrive(to, icmp);
    return;
  }
  net_event_t *e = event_new(dgram_fire);
  e->to = to;
  e->d = d;
  e->icmp = icmp;
  /* strictly after the one before it: arrivals at one instant would be
   * ordered by a timer-tie decision */
  if (to->dgrams_in_flight > 0 && sim_now() + lat <= to->dgram_last_arrival)
    lat = to->dgram_last_arrival + 1 - sim_now();
  to->dgrams_in_flight++;
  to->dgram_last_arrival = sim_now() + lat;
  fw_obj_ref(&to->io.obj);
  event_after(e, lat);
}

void fw_net_sendto(fw_sock_t *s, const fw_addr_t *to, const uint8_t *data, uint32_t len) {
  fw_addr_t wire;
  wire_addr(to, &wire);
  fw_sock_t *r = lookup(SOCK_DGRAM, &wire, false);
  if (r == NULL) {
    /* nobody listens there: ICMP port unreachable comes back (F48); Wine
     * 8.0 never reports it (W12) */
    fw_net_trace_event("net.unreachable", to->port, len);
    if (s->udp_connreset && fw_pers()->udp_port_unreachable_reported)
      dgram_later(s, NULL, STATUS_PORT_UNREACHABLE);
    return;
  }
  fw_addr_t src, from;
  source_addr(s, &wire, &src);
  as_family(&src, r->af, &from);
  if (r->state == FW_SOCK_CONNECTED && !fw_addr_equal(&r->peer, &from)) return; /* filtered */
  fw_dgram_t *d = malloc(sizeof *d + (len ? len : 1));
  if (d == NULL) abort();
  d->next = NULL;
  d->from = from;
  d->len = len;
  if (len) memcpy(d->data, data, len);
  dgram_later(r, d, 0);
}

fw_dgram_t *fw_net_dgram_pop(fw_sock_t *s) {
  fw_dgram_t *d = s->dq_head;
  if (d == NULL) return NULL;
  s->dq_head = d->next;
  if (s->dq_head == NULL) s->dq_tail = NULL;
  s->dq_bytes -= d->len;
  s->dq_count--;
  d->next = NULL;
  return d;
}

void fw_net_dgram_free(fw_dgram_t *d) {
  free(d);
}

void fw_net_dgram_clear(fw_sock_t *s) {
  fw_dgram_t *d;
  while ((d = fw_net_dgram_pop(s)) != NULL) free(d);
}

/* ---- peer FIN/RST from the fault plan
 * ------------------------------------------------------------ */

static void peer_fault(fw_fault_outcome_t what, HANDLE h, fw_obj_t *o) {
  (void)h;
  if (o == NULL || o->type != FW_TYPE_SOCKET) return;
  fw_sock_t *s = (fw_sock_t *)o;
  fw_conn_t *c = s->conn;
  if (c == NULL) return;
  int p = 1 - s->side;
  if (what == FW_FAULT_PEER_FIN) {
    if (c->end[p]) c->end[p]->shut_wr = true;
    fw_net_fin(c, p);
  } else if (what == FW_FAULT_PEER_RST) {
    /* the peer aborts: it is done too */
    if (c->end[p] && !c->reset[p]) {
      c->reset[p] = true;
      c->reset_err[p] = WSAECONNABORTED;
    }
    fw_net_rst(c, p, WSAECONNRESET);
  }
}

/* ---- world hooks --------------------------------------------------------------------------------
 */

static void net_reset(void) {
  /* arrivals still in flight: the engine drops their timers at world end */
  while (N.events) {
    net_event_t *e = N.events;
    N.events = e->next;
    free(e->d);
    free(e);
  }
  while (N.conns) {
    fw_conn_t *c = N.conns;
    N.conns = c->all_next;
    free(c->dir[0].buf);
    free(c->dir[1].buf);
    free(c->dir[0].marks);
    free(c->dir[1].marks);
    free(c);
  }
  if (N.any_bound) memset(N.port_bucket, 0, sizeof N.port_bucket);
  N.any_bound = false;
  N.conn_serial = 0;
  N.next_ephemeral = 0;
}

static void net_world_start(void *arg) {
  (void)arg;
  net_reset();
  fw_fault_set_peer_hook(peer_fault);
}

static void net_world_end(void *arg) {
  (void)arg;
  net_reset();
}

static sim_hook_t net_hook = {net_world_start, net_world_end, NULL, NULL, false};

/* fw_subsystem_add: a fixed order with the object teardown (fw_int.h) */
__attribute__((constructor)) static void fw_net_register_hook(void) {
  fw_subsystem_add(&net_hook);
}
