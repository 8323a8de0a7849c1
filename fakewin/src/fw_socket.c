/* fw_socket.c: socket objects and the ws2_32 calls on them - WSASocketA/W,
 * socket, closesocket, bind, listen, connect, accept, shutdown,
 * getsockname, getpeername, recv, send, recvfrom, sendto, WSARecv, WSASend,
 * WSARecvFrom, WSASendTo - and the socket side of the data path (the
 * receive and send queues that fw_net.c feeds).
 *
 * Conventions (spec/win32-fidelity.md):
 *   - every call is a scheduling point (fw_enter), consults the fault plan
 *     at its site before its default behaviour, and traces itself;
 *   - an overlapped call writes STATUS_PENDING into the OVERLAPPED before
 *     anything can fail (F15) and reports per F20: 0 and the byte count
 *     for an immediate completion, SOCKET_ERROR + WSA_IO_PENDING when
 *     pending, SOCKET_ERROR + the error (and no packet) for a failure;
 *     which completions queue a packet is fw_io.c's business (F10/F11);
 *   - blocking calls (no OVERLAPPED) block the calling thread in
 *     fw_io_sync_block; a close or CancelIoEx(h, NULL) ends them with
 *     WSAEINTR, SO_RCVTIMEO/SO_SNDTIMEO with WSAETIMEDOUT; FIONBIO turns the
 *     waits into WSAEWOULDBLOCK.  Overlapped calls ignore FIONBIO, as on
 *     Windows.  An overlapped call on a socket created without
 *     WSA_FLAG_OVERLAPPED waits inside the call and then reports an
 *     immediate completion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_sock.h"

/* ---- queues ------------------------------------------------------------------------------ */

void fw_sock_q_push(fw_sock_q_t *q, fw_sock_req_t *r) {
  r->q_next = NULL;
  r->q_prev = q->tail;
  if (q->tail)
    q->tail->q_next = r;
  else
    q->head = r;
  q->tail = r;
  r->queued = true;
}

void fw_sock_q_remove(fw_sock_q_t *q, fw_sock_req_t *r) {
  if (!r->queued) return;
  if (r->q_prev)
    r->q_prev->q_next = r->q_next;
  else
    q->head = r->q_next;
  if (r->q_next)
    r->q_next->q_prev = r->q_prev;
  else
    q->tail = r->q_prev;
  r->q_prev = r->q_next = NULL;
  r->queued = false;
}

/* ---- socket objects ------------------------------------------------------------------------ */

static void sock_last_handle_closed(fw_obj_t *o);

static void sock_destroy(fw_obj_t *o) {
  fw_sock_t *s = (fw_sock_t *)o;
  fw_net_dgram_clear(s);
  fw_io_obj_release(&s->io);
  free(s);
}

static void sock_describe(fw_obj_t *o, char *buf, size_t len) {
  static const char *const states[] = {"new",       "listening", "connecting",
                                       "accepting", "connected", "closed"};
  fw_sock_t *s = (fw_sock_t *)o;
  snprintf(buf, len, "%s %s socket, port %u, %s, %u pending", s->af == AF_INET6 ? "IPv6" : "IPv4",
           s->type == SOCK_STREAM ? "TCP" : "UDP", (unsigned)s->local.port, states[s->state],
           (unsigned)s->io.n_pending);
}

static const fw_obj_ops_t sock_ops = {.type_name = "socket",
                                      .is_signaled = fw_io_obj_is_signaled,
                                      .acquire = fw_io_obj_acquire,
                                      .last_handle_closed = sock_last_handle_closed,
                                      .destroy = sock_destroy,
                                      .describe = sock_describe};

int fw_sock_get(SOCKET s, fw_sock_t **out) {
  fw_obj_t *o;
  if (fw_handle_get((HANDLE)s, FW_TYPE_SOCKET, false, &o) != 0) {
    *out = NULL;
    return WSAENOTSOCK;
  }
  *out = (fw_sock_t *)o;
  return 0;
}

static fw_sock_t *sock_new(int af, int type, int protocol, uint32_t catalog, bool overlapped) {
  fw_sock_t *s = calloc(1, sizeof *s);
  if (s == NULL) abort();
  fw_io_obj_init(&s->io, FW_TYPE_SOCKET, &sock_ops, overlapped);
  const fw_net_config_t *cfg = fw_net_cfg();
  s->af = af;
  s->type = type;
  s->protocol = protocol;
  s->catalog_id = catalog;
  s->state = FW_SOCK_NEW;
  if (type == SOCK_STREAM) {
    s->rcvbuf = (int)cfg->tcp_recv_buffer;
    s->sndbuf = (int)cfg->tcp_send_buffer;
  } else {
    s->rcvbuf = (int)cfg->udp_recv_buffer;
    s->sndbuf = (int)cfg->tcp_send_buffer;
  }
  /* Windows' defaults: IPV6_V6ONLY on, SIO_UDP_CONNRESET on */
  s->v6only = true;
  s->udp_connreset = true;
  s->udp_netreset = true;
  s->ttl = 128;
  return s;
}

/* A new handle for a fresh socket (drops the creation reference). */
static SOCKET sock_publish(fw_sock_t *s, int *err) {
  HANDLE h = fw_handle_new(&s->io.obj);
  fw_obj_unref(&s->io.obj);
  if (h == NULL) {
    *err = WSAEMFILE;
    return INVALID_SOCKET;
  }
  s->handle = h;
  return (SOCKET)h;
}

/* ---- requests ------------------------------------------------------------------------------- */

static DWORD req_detach(fw_io_req_t *base);
static void req_forced(fw_io_req_t *base, NTSTATUS *status, DWORD *bytes);
static void req_release(fw_io_req_t *base);

const fw_io_req_ops_t fw_sock_req_ops = {
    .detach = req_detach, .forced = req_forced, .release = req_release};

fw_sock_req_t *fw_sock_req_new(fw_sock_t *s, fw_io_obj_t *issued_on, fw_sock_req_kind_t kind,
                               fw_op_t op, fw_site_t site, LPWSAOVERLAPPED ov, const WSABUF *bufs,
                               DWORD nbufs) {
  fw_sock_req_t *r = (fw_sock_req_t *)fw_io_req_new(issued_on, op, site, FW_IO_WINSOCK, ov,
                                                    &fw_sock_req_ops, sizeof *r);
  r->kind = kind;
  r->sock = s;
  r->cap = UINT32_MAX;
  if (nbufs > 0) {
    /* the array is copied, as Winsock does at submission; the buffers stay
     * the caller's until completion */
    r->bufs = malloc(nbufs * sizeof *r->bufs);
    if (r->bufs == NULL) abort();
    memcpy(r->bufs, bufs, nbufs * sizeof *r->bufs);
    r->nbufs = nbufs;
    for (DWORD i = 0; i < nbufs; i++) r->total += bufs[i].len;
  }
  return r;
}

static void req_release(fw_io_req_t *base) {
  fw_sock_req_t *r = (fw_sock_req_t *)base;
  free(r->bufs);
  r->bufs = NULL;
  /* the accept socket's reference; at world end (no world running any
   * more) objects may be gone and are torn down anyway */
  if (r->acceptor != NULL && sim_in_world()) {
    if (r->acceptor->accepting == r) r->acceptor->accepting = NULL;
    fw_obj_unref(&r->acceptor->io.obj);
  }
  r->acceptor = NULL;
}

void fw_sock_req_fill(fw_sock_req_t *r, size_t off, const uint8_t *src, size_t n) {
  for (DWORD i = 0; i < r->nbufs && n > 0; i++) {
    size_t len = r->bufs[i].len;
    if (off >= len) {
      off -= len;
      continue;
    }
    size_t k = len - off;
    if (k > n) k = n;
    memcpy(r->bufs[i].buf + off, src, k);
    src += k;
    n -= k;
    off = 0;
  }
}

/* The bytes a request may move: its buffers, capped by a SHORT fault. */
static size_t req_want(const fw_sock_req_t *r) {
  return r->total < r->cap ? r->total : r->cap;
}

/* ---- the receive engine ------------------------------------------------------------------------
 */

/* Writes a received datagram's source where the request asked for it. */
static void recv_store_from(fw_sock_req_t *r, const fw_addr_t *from, bool truncated) {
  if (r->from != NULL && r->fromlen != NULL) (void)fw_addr_store(from, r->from, r->fromlen);
  if (r->msg != NULL) {
    if (r->msg->name != NULL) {
      int len = r->msg->namelen;
      if (fw_addr_store(from, r->msg->name, &len) == 0) r->msg->namelen = len;
    }
    r->msg->Control.len = 0; /* no control data is produced */
    /* W14: whether Windows sets MSG_TRUNC is unverified (the docs say so).
     * W31: Windows writes the returned flags only (the caller's MSG_PEEK is
     * gone); Wine 8.0 leaves what the caller passed (it only ORs in
     * MSG_CTRUNC, and the fake produces no control data) */
    DWORD out = truncated && fw_pers()->recvmsg_sets_msg_trunc ? MSG_TRUNC : 0;
    if (fw_pers()->recvmsg_keeps_flags)
      r->msg->dwFlags |= out;
    else
      r->msg->dwFlags = out;
  }
}

/* Copies n stream bytes for a request into its buffers (one copy when the
 * request has one buffer). */
static size_t stream_copy(fw_sock_t *s, fw_sock_req_t *r, size_t n, bool peek) {
  if (n == 0) return 0;
  if (r->nbufs == 1) return fw_net_read(s->conn, s->side, (uint8_t *)r->bufs[0].buf, n, peek);
  uint8_t *tmp = malloc(n);
  if (tmp == NULL) abort();
  size_t got = fw_net_read(s->conn, s->side, tmp, n, peek);
  fw_sock_req_fill(r, 0, tmp, got);
  free(tmp);
  return got;
}

bool fw_sock_try_recv(fw_sock_t *s, fw_sock_req_t *r, NTSTATUS *status, DWORD *bytes) {
  bool peek = (r->flags & MSG_PEEK) != 0;
  size_t want = req_want(r);
  *status = STATUS_SUCCESS;
  *bytes = 0;
  if (s->type == SOCK_STREAM) {
    fw_conn_t *c = s->conn;
    if (c == NULL) return false;
    if (c->reset[s->side]) {
      /* W4: after a reset Wine 8.0 reports end of stream to new reads */
      *status = fw_pers()->recv_after_reset_is_eof ? STATUS_SUCCESS : STATUS_CONNECTION_RESET;
      return true;
    }
    size_t avail = fw_net_readable(c, s->side);
    if (avail > 0) {
      /* F21: a zero-byte read completes with 0 and consumes nothing */
      *bytes = (DWORD)stream_copy(s, r, want < avail ? want : avail, peek);
      return true;
    }
    /* F22: the peer's FIN completes a read with 0 bytes, now and later */
    return fw_net_eof(c, s->side);
  }
  /* datagrams */
  if (s->icmp_status != 0) {
    /* F48: the ICMP error surfaces on the next receive */
    *status = s->icmp_status;
    s->icmp_status = 0;
    return true;
  }
  fw_dgram_t *d = s->dq_head;
  if (d == NULL) return false;
  size_t room = r->total;
  bool truncated = d->len > room;
  size_t n = truncated ? room : d->len;
  fw_sock_req_fill(r, 0, d->data, n);
  recv_store_from(r, &d->from, truncated);
  /* F25/F26: the rest of a truncated datagram is discarded unless peeking;
   * F27: a peek leaves it queued */
  if (!peek) fw_net_dgram_free(fw_net_dgram_pop(s));
  *status = truncated ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
  *bytes = (DWORD)n; /* F25: InternalHigh = the buffer size when truncated */
  return true;
}

/* Reentrancy: completing a receive can consume data, which frees room for
 * the peer, whose sends then deliver more data to us.  A pump that finds
 * itself already running on the same socket asks the running one to loop
 * (fw_sock_t.pump_*). */
void fw_sock_pump_recv(fw_sock_t *s) {
  if (s->state == FW_SOCK_LISTENING) {
    fw_sock_accept_pump(s);
    return;
  }
  if (s->pump_recv_running) {
    s->pump_recv_again = true;
    return;
  }
  s->pump_recv_running = true;
  do {
    s->pump_recv_again = false;
    fw_sock_req_t *r;
    while ((r = s->rq.head) != NULL) {
      NTSTATUS st;
      DWORD n;
      if (!fw_sock_try_recv(s, r, &st, &n)) break;
      fw_sock_q_remove(&s->rq, r);
      fw_io_complete(&r->base, st, n);
    }
  } while (s->pump_recv_again);
  s->pump_recv_running = false;
}

/* ---- the send engine
 * ------------------------------------------------------------------------------ */

static void fail_sends(fw_sock_t *s, NTSTATUS status);

/* Moves as much of r as fits into s's outgoing pipe; true when all of it is in. */
static bool send_move(fw_sock_t *s, fw_sock_req_t *r) {
  size_t want = req_want(r);
  size_t off = 0;
  for (DWORD i = 0; i < r->nbufs && r->done < want; i++) {
    size_t len = r->bufs[i].len;
    if (r->done >= off + len) {
      off += len;
      continue;
    }
    size_t skip = r->done - off;
    size_t k = len - skip;
    if (k > want - r->done) k = want - r->done;
    size_t m = fw_net_write(s->conn, s->side, (const uint8_t *)r->bufs[i].buf + skip, k);
    r->done += m;
    if (m < k) break;
    off += len;
  }
  return r->done >= want;
}

void fw_sock_pump_send(fw_sock_t *s) {
  if (s->conn == NULL) return;
  if (s->pump_send_running) {
    s->pump_send_again = true;
    return;
  }
  s->pump_send_running = true;
  do {
    s->pump_send_again = false;
    fw_sock_req_t *r;
    while ((r = s->sq.head) != NULL && s->conn != NULL && !s->conn->reset[s->side]) {
      if (!send_move(s, r)) break;
      fw_sock_q_remove(&s->sq, r);
      if (r->kind == FW_SR_CONNECT) {
        s->connecting = NULL;
        s->state = FW_SOCK_CONNECTED;
      }
      fw_io_complete(&r->base, STATUS_SUCCESS, (DWORD)r->done);
    }
    /* a shutdown(SD_SEND) waits for the queued sends, then FIN (F41) */
    if (s->sq.head == NULL && s->shut_wr && s->conn != NULL) fw_net_fin(s->conn, s->side);
  } while (s->pump_send_again);
  s->pump_send_running = false;
  if (s->send_reset_deferred != 0) {
    NTSTATUS st = s->send_reset_deferred;
    s->send_reset_deferred = 0;
    fail_sends(s, st);
  }
}

static void fail_sends(fw_sock_t *s, NTSTATUS status) {
  fw_sock_req_t *r;
  while ((r = s->sq.head) != NULL) {
    fw_sock_q_remove(&s->sq, r);
    if (r->kind == FW_SR_CONNECT) s->connecting = NULL;
    fw_io_complete(&r->base, status, (DWORD)r->done);
  }
}

void fw_sock_on_reset(fw_sock_t *s, NTSTATUS status) {
  fw_sock_req_t *r;
  /* F23: pending receives fail with the reset, 0 bytes; F24: pending sends
   * carry the bytes already sent */
  while ((r = s->rq.head) != NULL) {
    fw_sock_q_remove(&s->rq, r);
    fw_io_complete(&r->base, status, 0);
  }
  if (s->pump_send_running) {
    /* called from inside send_move: the pump fails the sends when it stops */
    if (s->send_reset_deferred == 0) s->send_reset_deferred = status;
    return;
  }
  fail_sends(s, status);
}

/* ---- request callbacks
 * ---------------------------------------------------------------------------- */

static DWORD req_detach(fw_io_req_t *base) {
  fw_sock_req_t *r = (fw_sock_req_t *)base;
  fw_sock_t *s = r->sock;
  switch (r->kind) {
    case FW_SR_RECV:
      fw_sock_q_remove(&s->rq, r);
      return 0;
    case FW_SR_SEND:
      fw_sock_q_remove(&s->sq, r);
      /* W3: Wine's late packet for a send pending at close says 0 bytes */
      if (s->state == FW_SOCK_CLOSED && fw_pers()->close_send_reports_zero) return 0;
      /* W22: otherwise the bytes already sent (F24) */
      return fw_pers()->aborted_send_keeps_count ? (DWORD)r->done : 0;
    case FW_SR_CONNECT:
      fw_sock_q_remove(&s->sq, r);
      if (r->event) {
        sim_cancel(r->event);
        r->event = 0;
      }
      if (s->connecting == r) {
        s->connecting = NULL;
        if (s->state == FW_SOCK_CONNECTING) s->state = FW_SOCK_NEW;
      }
      return (DWORD)r->done;
    case FW_SR_ACCEPT:
      fw_sock_q_remove(&s->acceptq, r);
      if (r->acceptor != NULL && r->acceptor->accepting == r) {
        r->acceptor->accepting = NULL;
        if (r->acceptor->state == FW_SOCK_ACCEPTING) r->acceptor->state = FW_SOCK_NEW;
      }
      if (r->conn != NULL) {
        /* it had taken a connection and waited for its data: the connection
         * goes back to the head of the backlog (or is reset if the listener
         * is gone) */
        fw_conn_t *c = r->conn;
        c->accept_req = NULL;
        r->conn = NULL;
        if (s->state == FW_SOCK_LISTENING) {
          fw_net_backlog_unpop(s, c);
        } else {
          c->closed[1] = true;
          fw_net_rst(c, 1, WSAECONNRESET);
        }
      }
      return 0;
    case FW_SR_DISCONNECT:
      if (r->event) {
        sim_cancel(r->event);
        r->event = 0;
      }
      return 0;
  }
  return 0;
}

/* A forced completion (fault plan): do what Windows would have done for
 * that outcome with the real data where there is some.  A forced receive
 * reports the count it was told (clamped to the buffers) and fills the
 * buffers with real bytes as far as there are some; a forced send moves
 * the bytes it reports as far as they fit; a forced successful AcceptEx
 * takes the first queued connection if there is one. */
static void req_forced(fw_io_req_t *base, NTSTATUS *status, DWORD *bytes) {
  fw_sock_req_t *r = (fw_sock_req_t *)base;
  fw_sock_t *s = r->sock;
  if (fw_nt_is_error(*status)) return;
  switch (r->kind) {
    case FW_SR_RECV: {
      if (*bytes > r->total) *bytes = (DWORD)r->total;
      if (s->state == FW_SOCK_CLOSED) return;
      if (s->type == SOCK_STREAM && s->conn != NULL) {
        size_t avail = fw_net_readable(s->conn, s->side);
        (void)stream_copy(s, r, *bytes < avail ? *bytes : avail, (r->flags & MSG_PEEK) != 0);
      } else if (s->type == SOCK_DGRAM && s->dq_head != NULL) {
        fw_dgram_t *d = s->dq_head;
        size_t n = *bytes < d->len ? *bytes : d->len;
        fw_sock_req_fill(r, 0, d->data, n);
        recv_store_from(r, &d->from, d->len > r->total);
        if (!(r->flags & MSG_PEEK)) fw_net_dgram_free(fw_net_dgram_pop(s));
      }
      return;
    }
    case FW_SR_SEND:
      if (*bytes > r->total) *bytes = (DWORD)r->total;
      if (s->type == SOCK_STREAM && s->conn != NULL && *bytes > r->done) {
        r->cap = *bytes;
        (void)send_move(s, r);
      }
      return;
    case FW_SR_ACCEPT:
      fw_sock_accept_forced(r, bytes);
      return;
    case FW_SR_CONNECT:
      fw_sock_connect_forced(r, bytes);
      return;
    default:
      return;
  }
}

/* ---- closing ------------------------------------------------------------------------------------
 */

static void sock_last_handle_closed(fw_obj_t *o) {
  fw_sock_t *s = (fw_sock_t *)o;
  fw_sock_state_t was = s->state;
  /* F33: the AcceptEx this socket was the accept socket of (it was issued
   * on the listener) */
  if (s->accepting != NULL) {
    fw_sock_req_t *r = s->accepting;
    s->accepting = NULL;
    if (r->base.state == FW_REQ_PENDING)
      (void)fw_io_cancel_req(&r->base, fw_io_close_status(&r->base));
  }
  /* F40/F33/W2: every request issued on it completes with the close status */
  s->state = FW_SOCK_CLOSED;
  fw_io_obj_handle_closed(&s->io);
  /* then the network side: FIN or RST to the peer, the backlog reset, the
   * datagrams dropped, the port freed */
  if (was == FW_SOCK_LISTENING) fw_net_close_listener(s);
  if (s->conn != NULL) fw_net_close_end(s);
  fw_net_dgram_clear(s);
  fw_net_unbind(s);
  /* threads blocked in recv/send/accept on it return WSAEINTR */
  fw_io_sync_wake_all(&s->io);
}

/* ---- small helpers
 * --------------------------------------------------------------------------------- */

void fw_wsa_error(fw_thread_t *t, int err) {
  fw_set_error(t, (DWORD)err);
}

/* The common head of every socket call: startup, the socket, the fault
 * plan.  Returns 0 or the error to report.  `overlapped`: a fired error
 * rule is left in *f for fw_io_apply_fault (an overlapped receive's
 * WSAEMSGSIZE is a completion with STATUS_BUFFER_OVERFLOW, F25). */
static int sock_enter_ex(SOCKET h, fw_site_t site, fw_op_t op, fw_sock_t **out, fw_fault_t *f,
                         bool overlapped) {
  *out = NULL;
  if (!fw_wsa_started()) return WSANOTINITIALISED;
  int err = fw_sock_get(h, out);
  bool fired = fw_fault_check(site, op, (HANDLE)h, *out ? &(*out)->io.obj : NULL, f);
  if (!fired) f->rule = 0;
  if (err) return err;
  if (f->rule != 0) {
    if (f->outcome == FW_FAULT_ERROR && !(overlapped && (*out)->io.overlapped))
      return (int)f->error;
    if (f->outcome == FW_FAULT_PEER_FIN || f->outcome == FW_FAULT_PEER_RST) {
      fw_fault_schedule_peer(f, (HANDLE)h, &(*out)->io.obj);
      f->rule = 0;
    }
  }
  return 0;
}

static int sock_enter(SOCKET h, fw_site_t site, fw_op_t op, fw_sock_t **out, fw_fault_t *f) {
  return sock_enter_ex(h, site, op, out, f, false);
}

/* Blocks the calling thread on s until something changes or the timeout;
 * 0 to retry, else the Winsock error to report. */
static int sock_wait(fw_sock_t *s, const char *call, DWORD timeout_ms, uint64_t deadline) {
  if (s->io.closed) return WSAEINTR;
  uint64_t tmo = SIM_NO_TIMEOUT;
  if (timeout_ms != 0) {
    uint64_t now = sim_now();
    if (now >= deadline) return WSAETIMEDOUT;
    tmo = deadline - now;
  }
  DWORD err = fw_io_sync_block(&s->io, call, tmo);
  if (err == ERROR_OPERATION_ABORTED) return WSAEINTR;
  if (err == WAIT_TIMEOUT) return WSAETIMEDOUT;
  if (s->io.closed) return WSAEINTR;
  return 0;
}

static uint64_t deadline_of(DWORD ms) {
  return ms == 0 ? UINT64_MAX : sim_now() + (uint64_t)ms * 1000000ull;
}

/* Whether a socket's address needs context it lacks (F32, F35). */
static bool lacks_context(const fw_sock_t *s) {
  return s->needs_accept_ctx || s->needs_connect_ctx;
}

/* ---- WSASocket, socket
 * ------------------------------------------------------------------------------ */

static int provider_for(int *af, int *type, int *protocol, uint32_t *catalog) {
  const fw_protocol_t *list;
  size_t n = fw_world_protocols(&list);
  if (*af != AF_INET && *af != AF_INET6 && *af != AF_UNSPEC) return WSAEAFNOSUPPORT;
  if (*type == SOCK_RAW) return WSAEACCES; /* raw sockets need privileges */
  if (*type != SOCK_STREAM && *type != SOCK_DGRAM && *type != 0) return WSAESOCKTNOSUPPORT;
  for (size_t i = 0; i < n; i++) {
    const fw_protocol_t *p = &list[i];
    if (*af != AF_UNSPEC && p->address_family != *af) continue;
    if (*type != 0 && p->socket_type != *type) continue;
    if (*protocol != 0 && p->protocol != *protocol) continue;
    *af = p->address_family;
    *type = p->socket_type;
    *protocol = p->protocol;
    *catalog = p->catalog_id;
    return 0;
  }
  if (*type == 0) return WSAESOCKTNOSUPPORT;
  if (*protocol != 0 && *protocol != IPPROTO_TCP && *protocol != IPPROTO_UDP)
    return WSAEPROTONOSUPPORT;
  /* e.g. SOCK_STREAM with IPPROTO_UDP: WSAEPROTOTYPE (the fake's reading of
   * Windows), WSAEPROTONOSUPPORT under Wine 8.0 (probe sock_errors) */
  return (int)fw_pers()->mismatched_protocol_error;
}

static SOCKET wsa_socket(const char *call, sim_tracepoint_t *tp, int af, int type, int protocol,
                         const int *pi_fields, DWORD dwFlags) {
  fw_thread_t *t = fw_enter(call);
  int err = 0;
  SOCKET res = INVALID_SOCKET;
  fw_fault_t f;
  if (!fw_wsa_started())
    err = WSANOTINITIALISED;
  else if (fw_fault_check(FW_SITE_WSASocketW, FW_OP_CONTROL, NULL, NULL, &f) &&
           f.outcome == FW_FAULT_ERROR)
    err = (int)f.error;
  if (err == 0 && pi_fields != NULL) {
    /* FROM_PROTOCOL_INFO takes the value from the WSAPROTOCOL_INFO */
    if (af == FROM_PROTOCOL_INFO) af = pi_fields[0];
    if (type == FROM_PROTOCOL_INFO) type = pi_fields[1];
    if (protocol == FROM_PROTOCOL_INFO) protocol = pi_fields[2];
  }
  uint32_t catalog = 0;
  if (err == 0) err = provider_for(&af, &type, &protocol, &catalog);
  if (err == 0) {
    fw_sock_t *s = sock_new(af, type, protocol, catalog, (dwFlags & WSA_FLAG_OVERLAPPED) != 0);
    res = sock_publish(s, &err);
  }
  if (err)
    fw_wsa_error(t, err);
  else
    fw_wsa_success(t);
  FW_TRACE(tp, t, res, (uint64_t)af, (uint64_t)type, (uint64_t)protocol, dwFlags);
  return res;
}

SOCKET WSAAPI fw_WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                            GROUP g, DWORD dwFlags) {
  static sim_tracepoint_t tp = {
      "WSASocketW", {{"af", 'd'}, {"type", 'd'}, {"proto", 'd'}, {"flags", 'x'}}, 'x', 0};
  (void)g;
  int pi[3];
  if (lpProtocolInfo) {
    pi[0] = lpProtocolInfo->iAddressFamily;
    pi[1] = lpProtocolInfo->iSocketType;
    pi[2] = lpProtocolInfo->iProtocol;
  }
  return wsa_socket("WSASocketW", &tp, af, type, protocol, lpProtocolInfo ? pi : NULL, dwFlags);
}

SOCKET WSAAPI fw_WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo,
                            GROUP g, DWORD dwFlags) {
  static sim_tracepoint_t tp = {
      "WSASocketA", {{"af", 'd'}, {"type", 'd'}, {"proto", 'd'}, {"flags", 'x'}}, 'x', 0};
  (void)g;
  int pi[3];
  if (lpProtocolInfo) {
    pi[0] = lpProtocolInfo->iAddressFamily;
    pi[1] = lpProtocolInfo->iSocketType;
    pi[2] = lpProtocolInfo->iProtocol;
  }
  return wsa_socket("WSASocketA", &tp, af, type, protocol, lpProtocolInfo ? pi : NULL, dwFlags);
}

SOCKET WSAAPI fw_socket(int af, int type, int protocol) {
  static sim_tracepoint_t tp = {"socket", {{"af", 'd'}, {"type", 'd'}, {"proto", 'd'}}, 'x', 0};
  /* socket() creates overlapped sockets, as on Windows */
  return wsa_socket("socket", &tp, af, type, protocol, NULL, WSA_FLAG_OVERLAPPED);
}

/* ---- closesocket
 * ------------------------------------------------------------------------------------ */

int WSAAPI fw_closesocket(SOCKET s) {
  static sim_tracepoint_t tp = {"closesocket", {{"s", 'x'}}, 'd', 0};
  fw_thread_t *t = fw_enter("closesocket");
  int err = 0;
  fw_sock_t *so = NULL;
  if (!fw_wsa_started())
    err = WSANOTINITIALISED;
  else
    err = fw_sock_get(s, &so);
  if (err == 0 && fw_handle_close((HANDLE)s) != 0) err = WSAENOTSOCK;
  if (err) fw_wsa_error(t, err);
  FW_TRACE(&tp, t, err ? SOCKET_ERROR : 0, FW_P(s));
  return err ? SOCKET_ERROR : 0;
}

/* ---- bind, listen
 * --------------------------------------------------------------------------------------- */

int WSAAPI fw_bind(SOCKET s, const struct sockaddr *name, int namelen) {
  static sim_tracepoint_t tp = {"bind", {{"s", 'x'}, {"port", 'u'}}, 'd', 0};
  fw_thread_t *t = fw_enter("bind");
  fw_sock_t *so;
  fw_fault_t f;
  fw_addr_t a = {0};
  int err = sock_enter(s, FW_SITE_bind, FW_OP_CONTROL, &so, &f);
  if (err == 0) err = fw_addr_parse(name, namelen, &a);
  if (err == 0 && a.family != so->af) err = WSAEFAULT;
  if (err == 0 && so->state != FW_SOCK_NEW) err = WSAEINVAL;
  if (err == 0) err = fw_net_bind(so, &a);
  if (err)
    fw_wsa_error(t, err);
  else
    fw_wsa_success(t);
  FW_TRACE(&tp, t, err ? SOCKET_ERROR : 0, FW_P(s), a.port);
  return err ? SOCKET_ERROR : 0;
}

int WSAAPI fw_listen(SOCKET s, int backlog) {
  static sim_tracepoint_t tp = {"listen", {{"s", 'x'}, {"backlog", 'd'}}, 'd', 0};
  fw_thread_t *t = fw_enter("listen");
  fw_sock_t *so;
  fw_fault_t f;
  int err = sock_enter(s, FW_SITE_listen, FW_OP_CONTROL, &so, &f);
  if (err == 0) {
    if (so->type != SOCK_STREAM)
      err = WSAEOPNOTSUPP;
    else if (so->state == FW_SOCK_CONNECTED)
      err = WSAEISCONN;
    else if (!so->bound || (so->state != FW_SOCK_NEW && so->state != FW_SOCK_LISTENING))
      err = WSAEINVAL;
  }
  if (err == 0) {
    int max = (int)fw_net_cfg()->listen_backlog_max;
    if (max < 1) max = 200;
    int b = backlog;
    if (backlog == SOMAXCONN)
      b = max;
    else if (backlog < 0)
      b = -backlog < 200 ? 200 : (-backlog > 65535 ? 65535 : -backlog); /* SOMAXCONN_HINT */
    else if (b > max)
      b = max;
    if (b < 1) b = 1;
    so->backlog = b;
    so->state = FW_SOCK_LISTENING;
    fw_sock_accept_pump(so);
  }
  if (err)
    fw_wsa_error(t, err);
  else
    fw_wsa_success(t);
  FW_TRACE(&tp, t, err ? SOCKET_ERROR : 0, FW_P(s), (uint64_t)backlog);
  return err ? SOCKET_ERROR : 0;
}

/* ---- connect
 * ------------------------------------------------------------------------------------------- */

/* Checks a destination: 0 or the error connect/sendto/ConnectEx report. */
static int check_dest(const fw_sock_t *so, const fw_addr_t *a) {
  if (a->family != so->af) return WSAEFAULT;
  if (fw_addr_is_any(a) || a->port == 0) return WSAEADDRNOTAVAIL;
  return 0;
}

/* Waits out the handshake's round trip (2 x latency) in a blocking connect. */
static int handshake_wait(fw_sock_t *so) {
  uint64_t lat = fw_net_cfg()->latency_ns;
  if (lat == 0) return 0;
  uint64_t until = sim_now() + 2 * lat;
  while (sim_now() < until) {
    DWORD e = fw_io_sync_block(&so->io, "connect", until - sim_now());
    if (e == ERROR_OPERATION_ABORTED || so->io.closed) return WSAEINTR;
  }
  return 0;
}

int WSAAPI fw_connect(SOCKET s, const struct sockaddr *name, int namelen) {
  static sim_tracepoint_t tp = {"connect", {{"s", 'x'}, {"port", 'u'}}, 'd', 0};
  fw_thread_t *t = fw_enter("connect");
  fw_sock_t *so;
  fw_fault_t f;
  fw_addr_t a = {0};
  int err = sock_enter(s, FW_SITE_connect, FW_OP_CONNECT, &so, &f);
  bool dissolve = false;
  if (err == 0 && so->type == SOCK_DGRAM && name != NULL &&
      namelen >= (int)sizeof(ADDRESS_FAMILY)) {
    /* UDP: AF_UNSPEC, or the wildcard address, dissolves the association */
    ADDRESS_FAMILY fam;
    memcpy(&fam, name, sizeof fam);
    dissolve = fam == AF_UNSPEC;
  }
  if (err == 0 && !dissolve) err = fw_addr_parse(name, namelen, &a);
  if (err == 0 && so->type == SOCK_DGRAM) {
    /* UDP: sets the default peer and the only source datagrams come from */
    if (!dissolve && a.family != so->af)
      err = WSAEFAULT;
    else if (dissolve || fw_addr_is_any(&a)) {
      memset(&so->peer, 0, sizeof so->peer);
      if (so->state == FW_SOCK_CONNECTED) so->state = FW_SOCK_NEW;
    } else if (a.port == 0) {
      err = WSAEADDRNOTAVAIL;
    } else {
      err = fw_net_autobind(so);
      if (err == 0) {
        so->peer = a;
        so->state = FW_SOCK_CONNECTED;
      }
    }
  } else if (err == 0) {
    if (so->state == FW_SOCK_LISTENING || so->state == FW_SOCK_ACCEPTING)
      err = WSAEINVAL;
    else if (so->state == FW_SOCK_CONNECTED)
      /* W20: a socket ConnectEx connected (context not updated) gives WSAEINVAL on Windows */
      err = so->needs_connect_ctx && fw_pers()->connect_checks_connectex_context ? WSAEINVAL
                                                                                 : WSAEISCONN;
    else if (so->state == FW_SOCK_CONNECTING)
      err = WSAEALREADY;
    if (err == 0) err = check_dest(so, &a);
    if (err == 0) err = fw_net_autobind(so);
    if (err == 0) {
      fw_sock_t *keep = so;
      fw_obj_ref(&keep->io.obj);
      int cerr = fw_net_connect(so, &a);
      if (so->nonblocking) {
        /* a non-blocking connect always reports WSAEWOULDBLOCK; the result
         * shows in SO_ERROR */
        if (cerr) {
          so->so_error = (DWORD)cerr;
          so->connect_failed = true;
        } else {
          so->state = FW_SOCK_CONNECTED;
          so->connected_at = sim_now();
        }
        err = WSAEWOULDBLOCK;
      } else {
        if (cerr == 0) {
          so->state = FW_SOCK_CONNECTING;
          err = handshake_wait(so);
          if (so->state == FW_SOCK_CONNECTING) {
            so->state = FW_SOCK_CONNECTED;
            so->connected_at = sim_now();
          }
        } else {
          (void)handshake_wait(so);
          err = cerr;
        }
      }
      fw_obj_unref(&keep->io.obj);
    }
  }
  if (err) fw_wsa_error(t, err);
  FW_TRACE(&tp, t, err ? SOCKET_ERROR : 0, FW_P(s), a.port);
  return err ? SOCKET_ERROR : 0;
}

/* ---- accept
 * -----------------------------------------------------------------------------------------------
 */

SOCKET WSAAPI fw_accept(SOCKET s, struct sockaddr *addr, int *addrlen) {
  static sim_tracepoint_t tp = {"accept", {{"s", 'x'}}, 'x', 0};
  fw_thread_t *t = fw_enter("accept");
  fw_sock_t *so;
  fw_fault_t f;
  SOCKET res = INVALID_SOCKET;
  int err = sock_enter(s, FW_SITE_accept, FW_OP_ACCEPT, &so, &f);
  if (err == 0 && so->state != FW_SOCK_LISTENING) err = WSAEINVAL;
  if (err == 0 && addr != NULL && (addrlen == NULL || *addrlen < fw_addr_len((uint16_t)so->af)))
    err = WSAEFAULT;
  if (err == 0) {
    fw_obj_ref(&so->io.obj);
    uint64_t deadline = deadline_of(so->rcvtimeo);
    for (;;) {
      if (so->state != FW_SOCK_LISTENING) {
        err = WSAEINTR;
        break;
      }
      fw_conn_t *c = fw_net_backlog_pop(so);
      if (c != NULL) {
        if (c->reset[1]) {
          /* reset before it was accepted: accept reports it and drops it */
          c->closed[1] = true;
          err = WSAECONNRESET;
          break;
        }
        fw_sock_t *ns = sock_new(so->af, so->type, so->protocol, so->catalog_id, so->io.overlapped);
        /* the accepted socket inherits the listener's options */
        ns->rcvbuf = so->rcvbuf;
        ns->sndbuf = so->sndbuf;
        ns->linger_on = so->linger_on;
        ns->linger_secs = so->linger_secs;
        ns->nodelay = so->nodelay;
        ns->keepalive = so->keepalive;
        ns->nonblocking = so->nonblocking;
        fw_sock_attach_server(ns, c);
        res = sock_publish(ns, &err);
        if (res != INVALID_SOCKET && addr != NULL) (void)fw_addr_store(&ns->peer, addr, addrlen);
        break;
      }
      if (so->nonblocking) {
        err = WSAEWOULDBLOCK;
        break;
      }
      err = sock_wait(so, "accept", so->rcvtimeo, deadline);
      if (err) break;
    }
    fw_obj_unref(&so->io.obj);
  }
  if (err) fw_wsa_error(t, err);
  if (so != NULL && so->state == FW_SOCK_LISTENING) fw_sock_reenable(so, FD_ACCEPT);
  FW_TRACE(&tp, t, res, FW_P(s));
  return res;
}

/* ---- shutdown
 * --------------------------------------------------------------------------------------------------
 */

/* shutdown and its WSA forms; `data`: disconnect data was passed, which
 * TCP and UDP do not carry (WSAENOPROTOOPT, the WSASendDisconnect and
 * WSARecvDisconnect docs). */
static int shutdown_call(fw_thread_t *t, sim_tracepoint_t *tp, SOCKET s, int how, bool data) {
  fw_sock_t *so;
  fw_fault_t f;
  int err = sock_enter(s, FW_SITE_shutdown, FW_OP_CONTROL, &so, &f);
  if (err == 0 && data) err = WSAENOPROTOOPT;
  if (err == 0 && how != SD_RECEIVE && how != SD_SEND && how != SD_BOTH) err = WSAEINVAL;
  if (err == 0 && so->type == SOCK_STREAM) {
    /* F32/F35: an AcceptEx/ConnectEx socket without its context is not
     * connected as far as shutdown is concerned */
    if (so->state != FW_SOCK_CONNECTED || lacks_context(so)) err = WSAENOTCONN;
  }
  if (err == 0) {
    /* F41: nothing pending is cancelled and no packet is queued */
    if (how == SD_RECEIVE || how == SD_BOTH) so->shut_rd = true;
    if (how == SD_SEND || how == SD_BOTH) {
      so->shut_wr = true;
      if (so->type == SOCK_STREAM && so->conn != NULL && so->sq.head == NULL)
        fw_net_fin(so->conn, so->side);
    }
  }
  if (err)
    fw_wsa_error(t, err);
  else
    fw_wsa_success(t);
  FW_TRACE(tp, t, err ? SOCKET_ERROR : 0, FW_P(s), (uint64_t)how);
  return err ? SOCKET_ERROR : 0;
}

int WSAAPI fw_shutdown(SOCKET s, int how) {
  static sim_tracepoint_t tp = {"shutdown", {{"s", 'x'}, {"how", 'd'}}, 'd', 0};
  return shutdown_call(fw_enter("shutdown"), &tp, s, how, false);
}

/* shutdown(SD_SEND) / shutdown(SD_RECEIVE): no completion is queued (F41;
 * Wine sock.c test_shutdown_completion_port). */
int WSAAPI fw_WSASendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData) {
  static sim_tracepoint_t tp = {"WSASendDisconnect", {{"s", 'x'}, {"how", 'd'}}, 'd', 0};
  return shutdown_call(fw_enter("WSASendDisconnect"), &tp, s, SD_SEND,
                       lpOutboundDisconnectData != NULL);
}

int WSAAPI fw_WSARecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData) {
  static sim_tracepoint_t tp = {"WSARecvDisconnect", {{"s", 'x'}, {"how", 'd'}}, 'd', 0};
  return shutdown_call(fw_enter("WSARecvDisconnect"), &tp, s, SD_RECEIVE,
                       lpInboundDisconnectData != NULL);
}

/* ---- getsockname, getpeername
 * ------------------------------------------------------------------------------------ */

int WSAAPI fw_getsockname(SOCKET s, struct sockaddr *name, int *namelen) {
  static sim_tracepoint_t tp = {"getsockname", {{"s", 'x'}}, 'd', 0};
  fw_thread_t *t = fw_enter("getsockname");
  int err = 0;
  fw_sock_t *so = NULL;
  if (!fw_wsa_started())
    err = WSANOTINITIALISED;
  else
    err = fw_sock_get(s, &so);
  /* an AcceptEx socket is not bound until SO_UPDATE_ACCEPT_CONTEXT (F32) */
  if (err == 0 && (!so->bound || so->needs_accept_ctx)) err = WSAEINVAL;
  if (err == 0) {
    fw_addr_t a = so->local;
    /* a connected socket reports the connection's local address; a
     * ConnectEx socket still lacking its context reports what it was bound to (F35) */
    if (so->conn != NULL && so->state == FW_SOCK_CONNECTED && !so->needs_connect_ctx)
      a = so->conn->addr[so->side];
    err = fw_addr_store(&a, name, namelen);
  }
  if (err)
    fw_wsa_error(t, err);
  else
    fw_wsa_success(t);
  FW_TRACE(&tp, t, err ? SOCKET_ERROR : 0, FW_P(s));
  return err ? SOCKET_ERROR : 0;
}

int WSAAPI fw_getpeername(SOCKET s, struct sockaddr *name, int *namelen) {
  static sim_tracepoint_t tp = {"getpeername", {{"s", 'x'}}, 'd', 0};
  fw_thread_t *t = fw_enter("getpeername");
  int err = 0;
  fw_sock_t *so = NULL;
  if (!fw_wsa_started())
    err = WSANOTINITIALISED;
  else
    err = fw_sock_get(s, &so);
  if (err == 0 && (so->state != FW_SOCK_CONNECTED || lacks_context(so))) err = WSAENOTCONN;
  /* W36: Wine 8.0 asks the host, whose TCP socket has no peer any more once
   * both FINs have been delivered or a reset arrived */
  if (err == 0 && so->type == SOCK_STREAM && so->conn != NULL &&
      fw_pers()->peername_lost_when_closed &&
      (so->conn->reset[so->side] || (so->conn->dir[0].fin_visible && so->conn->dir[1].fin_visible)))
    err = WSAENOTCONN;
  if (err == 0) err = fw_addr_store(&so->peer, name, namelen);
  if (err) fw_wsa_error(t, err);
  FW_TRACE(&tp, t, err ? SOCKET_ERROR : 0, FW_P(s));
  return err ? SOCKET_ERROR : 0;
}

/* ---- the data calls
 * -----------------------------------------------------------------------------------------------
 */

/* Everything one data call carries. */
typedef struct io_call {
  const char *name;
  fw_site_t site;
  SOCKET h;
  fw_sock_t *s;
  const WSABUF *bufs;
  DWORD nbufs;
  DWORD flags;
  LPDWORD lpflags;       /* WSARecv*'s in/out flags: read, never written back (a
                          * MSG_PEEK the caller passed stays there, as the seed's
                          * RawRead relies on under Wine, B100) */
  struct sockaddr *from; /* receives */
  LPINT fromlen;
  LPWSAMSG msg;
  const struct sockaddr *to; /* sends */
  int tolen;
  LPDWORD nbytes;
  LPWSAOVERLAPPED ov;
  LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
  fw_fault_t f;
  bool stream_only_msg; /* WSASendMsg on a stream socket (W13) */
} io_call_t;

/* Argument and state checks shared by the receive calls; 0 or the error. */
static int recv_checks(io_call_t *c) {
  fw_sock_t *s = c->s;
  if (c->ov != NULL && c->routine != NULL) return s->io.port != NULL ? WSAEINVAL : WSAEOPNOTSUPP;
  /* F21: Windows refuses no buffers; Wine 8.0 takes it as a zero-byte read */
  if ((c->bufs == NULL || c->nbufs == 0) && !fw_pers()->recv_without_buffers_reads_zero)
    return WSAEINVAL;
  /* a short address length: WSAEFAULT (docs); Wine 8.0 does not check it
   * when the call is made (probe udp_ex) */
  if (c->from != NULL && fw_pers()->recvfrom_checks_fromlen &&
      (c->fromlen == NULL || *c->fromlen < fw_addr_len((uint16_t)s->af)))
    return WSAEFAULT;
  if (s->type == SOCK_STREAM) {
    if (s->state != FW_SOCK_CONNECTED) return WSAENOTCONN;
    if (s->shut_rd) return WSAESHUTDOWN;
  } else {
    /* W33: Windows refuses a socket never bound; under Wine 8.0 the receive
     * waits like any other (nothing can arrive until it is bound) */
    if (!s->bound && !fw_pers()->dgram_recv_unbound_waits) return WSAEINVAL;
    if (s->shut_rd) return WSAESHUTDOWN;
  }
  return 0;
}

static int send_checks(io_call_t *c, fw_addr_t *to, bool *has_to) {
  fw_sock_t *s = c->s;
  *has_to = false;
  if (c->ov != NULL && c->routine != NULL) return s->io.port != NULL ? WSAEINVAL : WSAEOPNOTSUPP;
  if (c->bufs == NULL && c->nbufs > 0) return WSAEFAULT;
  /* W29: Wine 8.0 passes the buffers to the host's sendmsg (IOV_MAX) */
  uint32_t max_bufs = fw_pers()->max_wsabufs;
  if (max_bufs != 0 && c->nbufs > max_bufs) return WSAEMSGSIZE;
  if (s->type == SOCK_STREAM) {
    /* W27: Wine 8.0 says WSAECONNRESET for a socket that never connected */
    if (s->state == FW_SOCK_NEW) return (int)fw_pers()->send_unconnected_error;
    if (s->state != FW_SOCK_CONNECTED) return WSAENOTCONN;
    if (s->shut_wr) return WSAESHUTDOWN;
    if (s->conn != NULL && s->conn->reset[s->side]) return (int)s->conn->reset_err[s->side];
    return 0;
  }
  if (c->to != NULL) {
    int e = fw_addr_parse(c->to, c->tolen, to);
    if (e) return e;
    e = check_dest(s, to);
    if (e) return e;
    *has_to = true;
  } else if (s->state == FW_SOCK_CONNECTED) {
    *to = s->peer;
    *has_to = true;
  } else {
    /* W32: WSAENOTCONN (Windows) / WSAEINVAL (Wine 8.0, whose host sendmsg
     * binds the socket before it finds no destination) */
    if (fw_pers()->dgram_unaddressed_send_binds) (void)fw_net_autobind(s);
    return (int)fw_pers()->dgram_send_unconnected_error;
  }
  if (s->shut_wr) return WSAESHUTDOWN;
  size_t total = 0;
  for (DWORD i = 0; i < c->nbufs; i++) total += c->bufs[i].len;
  if (total > fw_net_cfg()->udp_max_datagram) return WSAEMSGSIZE;
  return fw_net_autobind(s);
}

/* A datagram send: gathers the buffers and hands them to the network. */
static DWORD dgram_send(fw_sock_t *s, const fw_addr_t *to, const WSABUF *bufs, DWORD n) {
  size_t total = 0;
  for (DWORD i = 0; i < n; i++) total += bufs[i].len;
  uint8_t *tmp = malloc(total ? total : 1);
  if (tmp == NULL) abort();
  size_t off = 0;
  for (DWORD i = 0; i < n; i++) {
    if (bufs[i].len) memcpy(tmp + off, bufs[i].buf, bufs[i].len);
    off += bufs[i].len;
  }
  fw_net_sendto(s, to, tmp, (uint32_t)total);
  free(tmp);
  return (DWORD)total;
}

/* The blocking receive (no OVERLAPPED, or a non-overlapped socket):
 * 0 with the outcome in *status and *bytes, or an error. */
static int recv_blocking(io_call_t *c, fw_sock_req_t *r, NTSTATUS *status, DWORD *bytes) {
  fw_sock_t *s = c->s;
  uint64_t deadline = deadline_of(s->rcvtimeo);
  for (;;) {
    if (s->io.closed) return WSAEINTR;
    if (s->type == SOCK_STREAM && s->conn != NULL && s->conn->reset[s->side] &&
        !fw_pers()->recv_after_reset_is_eof)
      return (int)s->conn->reset_err[s->side];
    /* queued overlapped receives come first */
    if (s->rq.head == NULL && fw_sock_try_recv(s, r, status, bytes)) return 0;
    if (s->nonblocking) return WSAEWOULDBLOCK;
    int err = sock_wait(s, c->name, s->rcvtimeo, deadline);
    if (err) return err;
  }
}

/* Shared body of recv, recvfrom, WSARecv, WSARecvFrom and WSARecvMsg.
 * Returns the byte count (>= 0) or SOCKET_ERROR with the error set. */
/* WSAEventSelect: a receive re-enables FD_READ once it is done, so that
 * data still queued after it is recorded again. */
static void reenable_read(SOCKET h) {
  fw_sock_t *s;
  if (fw_sock_get(h, &s) == 0) fw_sock_reenable(s, FD_READ | FD_OOB);
}

static int do_recv(fw_thread_t *t, io_call_t *c) {
  int err = 0;
  if (!fw_wsa_started()) {
    fw_wsa_error(t, WSANOTINITIALISED);
    return SOCKET_ERROR;
  }
  fw_io_mark_pending(c->ov); /* F15 */
  err = sock_enter_ex(c->h, c->site, FW_OP_RECV, &c->s, &c->f, c->ov != NULL);
  if (err == 0) err = recv_checks(c);
  fw_sock_t *s = c->s;
  if (err == 0 && s->type == SOCK_STREAM && s->conn != NULL && s->conn->reset[s->side] &&
      !fw_pers()->recv_after_reset_is_eof) {
    /* F23: after a reset, receives fail at once (W4: Wine reports EOF) */
    err = (int)s->conn->reset_err[s->side];
  }
  if (err) {
    fw_wsa_error(t, err);
    return SOCKET_ERROR;
  }
  NTSTATUS st;
  DWORD n;
  if (c->ov == NULL || !s->io.overlapped) {
    /* blocking: a request on the stack carries the buffers; an OVERLAPPED
     * (non-overlapped socket) is filled in afterwards as an immediate
     * completion */
    fw_sock_req_t lr;
    memset(&lr, 0, sizeof lr);
    lr.kind = FW_SR_RECV;
    lr.sock = s;
    lr.bufs = (WSABUF *)c->bufs;
    lr.nbufs = c->nbufs;
    for (DWORD i = 0; i < c->nbufs; i++) lr.total += c->bufs[i].len;
    lr.cap = UINT32_MAX;
    lr.flags = c->flags;
    lr.from = c->from;
    lr.fromlen = c->fromlen;
    lr.msg = c->msg;
    if (c->f.rule != 0 && c->f.outcome == FW_FAULT_SHORT)
      lr.cap = fw_fault_short_cap(&c->f, (DWORD)lr.total);
    fw_obj_ref(&s->io.obj);
    if (c->f.rule != 0 && c->f.outcome == FW_FAULT_SUCCESS) {
      st = STATUS_SUCCESS;
      n = c->f.bytes;
      req_forced(&lr.base, &st, &n);
    } else {
      err = recv_blocking(c, &lr, &st, &n);
    }
    if (err == 0 && c->ov != NULL) {
      fw_sock_req_t *r =
          fw_sock_req_new(s, &s->io, FW_SR_RECV, FW_OP_RECV, c->site, c->ov, NULL, 0);
      fw_io_start(&r->base);
      err = (int)fw_io_finish_immediate(&r->base, st, n);
    } else if (err == 0 && fw_nt_is_warning(st)) {
      err = WSAEMSGSIZE;
    } else if (err == 0 && fw_nt_is_error(st)) {
      err = (int)fw_nt_to_wsa(st);
    }
    fw_obj_unref(&s->io.obj);
    if (err) {
      fw_wsa_error(t, err);
      return SOCKET_ERROR;
    }
    if (c->nbytes) *c->nbytes = n;
    return (int)n;
  }
  fw_sock_req_t *r =
      fw_sock_req_new(s, &s->io, FW_SR_RECV, FW_OP_RECV, c->site, c->ov, c->bufs, c->nbufs);
  r->flags = c->flags;
  r->from = c->from;
  r->fromlen = c->fromlen;
  r->msg = c->msg;
  if (c->f.rule != 0 && c->f.outcome == FW_FAULT_SHORT) {
    r->cap = fw_fault_short_cap(&c->f, (DWORD)r->total);
    c->f.rule = 0;
  }
  fw_io_start(&r->base);
  if (c->f.rule != 0) {
    DWORD b = 0;
    DWORD e = fw_io_apply_fault(&r->base, &c->f, &b);
    if (e == 0) {
      if (c->nbytes) *c->nbytes = b;
      return (int)b;
    }
    fw_wsa_error(t, (int)e);
    return SOCKET_ERROR;
  }
  if (s->rq.head == NULL && fw_sock_try_recv(s, r, &st, &n)) {
    DWORD e = fw_io_finish_immediate(&r->base, st, n);
    if (e == 0) {
      if (c->nbytes) *c->nbytes = n;
      return (int)n;
    }
    fw_wsa_error(t, (int)e);
    return SOCKET_ERROR;
  }
  fw_sock_q_push(&s->rq, r);
  fw_wsa_error(t, WSA_IO_PENDING);
  return SOCKET_ERROR;
}

/* The blocking stream send: waits until all of it is in the pipe. */
static int send_blocking_stream(io_call_t *c, fw_sock_req_t *r) {
  fw_sock_t *s = c->s;
  uint64_t deadline = deadline_of(s->sndtimeo);
  for (;;) {
    if (s->io.closed) return WSAEINTR;
    if (s->conn == NULL) return WSAENOTCONN;
    if (s->conn->reset[s->side]) return (int)s->conn->reset_err[s->side];
    if (s->sq.head == NULL) {
      if (s->nonblocking) {
        /* non-blocking: whatever fits now, WSAEWOULDBLOCK if nothing does */
        if (fw_net_room(s->conn, s->side) == 0 && req_want(r) > 0) return WSAEWOULDBLOCK;
        (void)send_move(s, r);
        return 0;
      }
      if (send_move(s, r)) return 0;
    } else if (s->nonblocking) {
      return WSAEWOULDBLOCK;
    }
    int err = sock_wait(s, c->name, s->sndtimeo, deadline);
    if (err) return err;
  }
}

static int do_send(fw_thread_t *t, io_call_t *c) {
  if (!fw_wsa_started()) {
    fw_wsa_error(t, WSANOTINITIALISED);
    return SOCKET_ERROR;
  }
  fw_io_mark_pending(c->ov); /* F15 */
  fw_addr_t to = {0};
  bool has_to = false;
  int err = sock_enter_ex(c->h, c->site, FW_OP_SEND, &c->s, &c->f, c->ov != NULL);
  if (err == 0) err = send_checks(c, &to, &has_to);
  if (err == 0 && c->stream_only_msg && c->s->type == SOCK_STREAM &&
      !fw_pers()->msg_calls_take_streams)
    err = WSAEINVAL; /* F28, W13 */
  if (err) {
    fw_wsa_error(t, err);
    return SOCKET_ERROR;
  }
  fw_sock_t *s = c->s;
  DWORD n = 0;
  if (c->ov == NULL || !s->io.overlapped) {
    fw_sock_req_t lr;
    memset(&lr, 0, sizeof lr);
    lr.kind = FW_SR_SEND;
    lr.sock = s;
    lr.bufs = (WSABUF *)c->bufs;
    lr.nbufs = c->nbufs;
    for (DWORD i = 0; i < c->nbufs; i++) lr.total += c->bufs[i].len;
    lr.cap = UINT32_MAX;
    lr.flags = c->flags;
    if (c->f.rule != 0 && c->f.outcome == FW_FAULT_SHORT)
      lr.cap = fw_fault_short_cap(&c->f, (DWORD)lr.total);
    fw_obj_ref(&s->io.obj);
    if (s->type == SOCK_DGRAM) {
      n = dgram_send(s, &to, c->bufs, c->nbufs);
    } else if (c->f.rule != 0 && c->f.outcome == FW_FAULT_SUCCESS) {
      NTSTATUS st = STATUS_SUCCESS;
      n = c->f.bytes;
      req_forced(&lr.base, &st, &n);
    } else {
      err = send_blocking_stream(c, &lr);
      n = (DWORD)lr.done;
    }
    if (err == 0 && c->ov != NULL) {
      fw_sock_req_t *r =
          fw_sock_req_new(s, &s->io, FW_SR_SEND, FW_OP_SEND, c->site, c->ov, NULL, 0);
      fw_io_start(&r->base);
      err = (int)fw_io_finish_immediate(&r->base, STATUS_SUCCESS, n);
    }
    fw_obj_unref(&s->io.obj);
    if (err == WSAEWOULDBLOCK) fw_sock_reenable(s, FD_WRITE); /* WSAEventSelect */
    if (err) {
      fw_wsa_error(t, err);
      return SOCKET_ERROR;
    }
    if (c->nbytes) *c->nbytes = n;
    return (int)n;
  }
  fw_sock_req_t *r =
      fw_sock_req_new(s, &s->io, FW_SR_SEND, FW_OP_SEND, c->site, c->ov, c->bufs, c->nbufs);
  r->flags = c->flags;
  if (c->f.rule != 0 && c->f.outcome == FW_FAULT_SHORT) {
    r->cap = fw_fault_short_cap(&c->f, (DWORD)r->total);
    c->f.rule = 0;
  }
  fw_io_start(&r->base);
  if (c->f.rule != 0) {
    DWORD b = 0;
    DWORD e = fw_io_apply_fault(&r->base, &c->f, &b);
    if (e == 0) {
      if (c->nbytes) *c->nbytes = b;
      return (int)b;
    }
    fw_wsa_error(t, (int)e);
    return SOCKET_ERROR;
  }
  if (s->type == SOCK_DGRAM) {
    /* datagrams never wait for room */
    n = dgram_send(s, &to, c->bufs, c->nbufs);
    DWORD e = fw_io_finish_immediate(&r->base, STATUS_SUCCESS, n);
    if (e == 0) {
      if (c->nbytes) *c->nbytes = n;
      return (int)n;
    }
    fw_wsa_error(t, (int)e);
    return SOCKET_ERROR;
  }
  /* stream: what fits completes at once; the rest waits for room */
  if (s->sq.head == NULL && fw_net_room(s->conn, s->side) >= req_want(r)) {
    (void)send_move(s, r);
    n = (DWORD)r->done;
    DWORD e = fw_io_finish_immediate(&r->base, STATUS_SUCCESS, n);
    if (e == 0) {
      if (c->nbytes) *c->nbytes = n;
      return (int)n;
    }
    fw_wsa_error(t, (int)e);
    return SOCKET_ERROR;
  }
  fw_sock_q_push(&s->sq, r);
  fw_sock_pump_send(s);
  fw_wsa_error(t, WSA_IO_PENDING);
  return SOCKET_ERROR;
}

/* ---- the public data calls
 * ---------------------------------------------------------------------------------------- */

int WSAAPI fw_recv(SOCKET s, char *buf, int len, int flags) {
  static sim_tracepoint_t tp = {"recv", {{"s", 'x'}, {"len", 'd'}, {"flags", 'x'}}, 'd', 0};
  fw_thread_t *t = fw_enter("recv");
  WSABUF b = {(ULONG)(len < 0 ? 0 : len), buf};
  io_call_t c = {
      .name = "recv", .site = FW_SITE_recv, .h = s, .bufs = &b, .nbufs = 1, .flags = (DWORD)flags};
  int ret = len < 0 ? (fw_wsa_error(t, WSAEINVAL), SOCKET_ERROR) : do_recv(t, &c);
  if (ret != SOCKET_ERROR) fw_wsa_success(t);
  reenable_read(s);
  FW_TRACE(&tp, t, (uint64_t)(int64_t)ret, FW_P(s), (uint64_t)len, (uint64_t)flags);
  return ret;
}

int WSAAPI fw_recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from,
                       int *fromlen) {
  static sim_tracepoint_t tp = {"recvfrom", {{"s", 'x'}, {"len", 'd'}, {"flags", 'x'}}, 'd', 0};
  fw_thread_t *t = fw_enter("recvfrom");
  WSABUF b = {(ULONG)(len < 0 ? 0 : len), buf};
  io_call_t c = {.name = "recvfrom",
                 .site = FW_SITE_recvfrom,
                 .h = s,
                 .bufs = &b,
                 .nbufs = 1,
                 .flags = (DWORD)flags,
                 .from = from,
                 .fromlen = from ? fromlen : NULL};
  int ret = len < 0 ? (fw_wsa_error(t, WSAEINVAL), SOCKET_ERROR) : do_recv(t, &c);
  if (ret != SOCKET_ERROR) fw_wsa_success(t);
  reenable_read(s);
  FW_TRACE(&tp, t, (uint64_t)(int64_t)ret, FW_P(s), (uint64_t)len, (uint64_t)flags);
  return ret;
}

int WSAAPI fw_send(SOCKET s, const char *buf, int len, int flags) {
  static sim_tracepoint_t tp = {"send", {{"s", 'x'}, {"len", 'd'}, {"flags", 'x'}}, 'd', 0};
  fw_thread_t *t = fw_enter("send");
  WSABUF b = {(ULONG)(len < 0 ? 0 : len), (CHAR *)buf};
  io_call_t c = {
      .name = "send", .site = FW_SITE_send, .h = s, .bufs = &b, .nbufs = 1, .flags = (DWORD)flags};
  int ret = len < 0 ? (fw_wsa_error(t, WSAEINVAL), SOCKET_ERROR) : do_send(t, &c);
  if (ret != SOCKET_ERROR) fw_wsa_success(t);
  FW_TRACE(&tp, t, (uint64_t)(int64_t)ret, FW_P(s), (uint64_t)len, (uint64_t)flags);
  return ret;
}

int WSAAPI fw_sendto(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to,
                     int tolen) {
  static sim_tracepoint_t tp = {"sendto", {{"s", 'x'}, {"len", 'd'}, {"flags", 'x'}}, 'd', 0};
  fw_thread_t *t = fw_enter("sendto");
  WSABUF b = {(ULONG)(len < 0 ? 0 : len), (CHAR *)buf};
  io_call_t c = {.name = "sendto",
                 .site = FW_SITE_sendto,
                 .h = s,
                 .bufs = &b,
                 .nbufs = 1,
                 .flags = (DWORD)flags,
                 .to = to,
                 .tolen = tolen};
  int ret = len < 0 ? (fw_wsa_error(t, WSAEINVAL), SOCKET_ERROR) : do_send(t, &c);
  if (ret != SOCKET_ERROR) fw_wsa_success(t);
  FW_TRACE(&tp, t, (uint64_t)(int64_t)ret, FW_P(s), (uint64_t)len, (uint64_t)flags);
  return ret;
}

int WSAAPI fw_WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                      LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
  static sim_tracepoint_t tp = {"WSARecv", {{"s", 'x'}, {"n", 'u'}, {"ov", 'p'}}, 'd', 0};
  fw_thread_t *t = fw_enter("WSARecv");
  io_call_t c = {.name = "WSARecv",
                 .site = FW_SITE_WSARecv,
                 .h = s,
                 .bufs = lpBuffers,
                 .nbufs = dwBufferCount,
                 .flags = lpFlags ? *lpFlags : 0,
                 .lpflags = lpFlags,
                 .nbytes = lpNumberOfBytesRecvd,
                 .ov = lpOverlapped,
                 .routine = lpCompletionRoutine};
  int ret = do_recv(t, &c);
  ret = ret == SOCKET_ERROR ? SOCKET_ERROR : 0;
  if (ret != SOCKET_ERROR) fw_wsa_success(t);
  reenable_read(s);
  FW_TRACE(&tp, t, (uint64_t)(int64_t)ret, FW_P(s), dwBufferCount, FW_P(lpOverlapped));
  return ret;
}

int WSAAPI fw_WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                          LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags, struct sockaddr *lpFrom,
                          LPINT lpFromlen, LPWSAOVERLAPPED lpOverlapped,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
  static sim_tracepoint_t tp = {"WSARecvFrom", {{"s", 'x'}, {"n", 'u'}, {"ov", 'p'}}, 'd', 0};
  fw_thread_t *t = fw_enter("WSARecvFrom");
  io_call_t c = {.name = "WSARecvFrom",
                 .site = FW_SITE_WSARecvFrom,
                 .h = s,
                 .bufs = lpBuffers,
                 .nbufs = dwBufferCount,
                 .flags = lpFlags ? *lpFlags : 0,
                 .lpflags = lpFlags,
                 .from = lpFrom,
                 .fromlen = lpFrom ? lpFromlen : NULL,
                 .nbytes = lpNumberOfBytesRecvd,
                 .ov = lpOverlapped,
                 .routine = lpCompletionRoutine};
  int ret = do_recv(t, &c);
  ret = ret == SOCKET_ERROR ? SOCKET_ERROR : 0;
  if (ret != SOCKET_ERROR) fw_wsa_success(t);
  reenable_read(s);
  FW_TRACE(&tp, t, (uint64_t)(int64_t)ret, FW_P(s), dwBufferCount, FW_P(lpOverlapped));
  return ret;
}

int WSAAPI fw_WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                      LPDWORD lpNumberOfBytesSent, DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
  static sim_tracepoint_t tp = {"WSASend", {{"s", 'x'}, {"n", 'u'}, {"ov", 'p'}}, 'd', 0};
  fw_thread_t *t = fw_enter("WSASend");
  io_call_t c = {.name = "WSASend",
                 .site = FW_SITE_WSASend,
                 .h = s,
                 .bufs = lpBuffers,
                 .nbufs = dwBufferCount,
                 .flags = dwFlags,
                 .nbytes = lpNumberOfBytesSent,
                 .ov = lpOverlapped,
                 .routine = lpCompletionRoutine};
  int ret = do_send(t, &c);
  ret = ret == SOCKET_ERROR ? SOCKET_ERROR : 0;
  if (ret != SOCKET_ERROR) fw_wsa_success(t);
  FW_TRACE(&tp, t, (uint64_t)(int64_t)ret, FW_P(s), dwBufferCount, FW_P(lpOverlapped));
  return ret;
}

int WSAAPI fw_WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                        LPDWORD lpNumberOfBytesSent, DWORD dwFlags, const struct sockaddr *lpTo,
                        int iTolen, LPWSAOVERLAPPED lpOverlapped,
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
  static sim_tracepoint_t tp = {"WSASendTo", {{"s", 'x'}, {"n", 'u'}, {"ov", 'p'}}, 'd', 0};
  fw_thread_t *t = fw_enter("WSASendTo");
  io_call_t c = {.name = "WSASendTo",
                 .site = FW_SITE_WSASendTo,
                 .h = s,
                 .bufs = lpBuffers,
                 .nbufs = dwBufferCount,
                 .flags = dwFlags,
                 .to = lpTo,
                 .tolen = iTolen,
                 .nbytes = lpNumberOfBytesSent,
                 .ov = lpOverlapped,
                 .routine = lpCompletionRoutine};
  int ret = do_send(t, &c);
  ret = ret == SOCKET_ERROR ? SOCKET_ERROR : 0;
  if (ret != SOCKET_ERROR) fw_wsa_success(t);
  FW_TRACE(&tp, t, (uint64_t)(int64_t)ret, FW_P(s), dwBufferCount, FW_P(lpOverlapped));
  return ret;
}

/* WSARecvMsg / WSASendMsg bodies for fw_sock_ext.c. */
int fw_sock_recvmsg(fw_thread_t *t, SOCKET s, LPWSAMSG msg, LPDWORD nbytes, LPWSAOVERLAPPED ov,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine) {
  if (msg == NULL) {
    fw_io_mark_pending(ov);
    fw_wsa_error(t, WSAEFAULT);
    return SOCKET_ERROR;
  }
  io_call_t c = {.name = "WSARecvMsg",
                 .site = FW_SITE_WSARecvMsg,
                 .h = s,
                 .bufs = msg->lpBuffers,
                 .nbufs = msg->dwBufferCount,
                 .flags = msg->dwFlags,
                 .msg = msg,
                 .nbytes = nbytes,
                 .ov = ov,
                 .routine = routine};
  int ret = do_recv(t, &c);
  return ret == SOCKET_ERROR ? SOCKET_ERROR : 0;
}

int fw_sock_sendmsg(fw_thread_t *t, SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD nbytes,
                    LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine) {
  if (msg == NULL) {
    fw_io_mark_pending(ov);
    fw_wsa_error(t, WSAEFAULT);
    return SOCKET_ERROR;
  }
  fw_sock_t *so = NULL;
  if (nbytes == NULL && ov == NULL && fw_wsa_started() && fw_sock_get(s, &so) == 0) {
    /* the byte count may be NULL only with an OVERLAPPED (docs; sock.c
     * test_WSASendMsg expects WSAEFAULT on both systems).  W34: Windows has
     * bound a datagram socket by then, Wine 8.0 has not */
    if (fw_pers()->sendmsg_fault_binds && so->type == SOCK_DGRAM && msg->name != NULL)
      (void)fw_net_autobind(so);
    fw_wsa_error(t, WSAEFAULT);
    return SOCKET_ERROR;
  }
  io_call_t c = {.name = "WSASendMsg",
                 .site = FW_SITE_WSASendMsg,
                 .h = s,
                 .bufs = msg->lpBuffers,
                 .nbufs = msg->dwBufferCount,
                 .flags = flags,
                 .to = msg->name,
                 .tolen = msg->namelen,
                 .nbytes = nbytes,
                 .ov = ov,
                 .routine = routine,
                 .stream_only_msg = true};
  int ret = do_send(t, &c);
  return ret == SOCKET_ERROR ? SOCKET_ERROR : 0;
}
