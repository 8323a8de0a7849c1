/* fw_poll.c: socket readiness - select, WSAPoll, WSAEventSelect and
 * WSAEnumNetworkEvents.
 *
 * One function, ready(), says what a socket is ready for from the loopback
 * model's state; select and WSAPoll report it and, when nothing is ready,
 * block the thread on every socket at once (fw_io_sync_block_many) until one
 * of them changes or the timeout.  WSAEventSelect watches a socket through
 * its io.changed hook (called at every state change that wakes waiters),
 * records FD_* events, and signals the event; a recorded event is recorded
 * again only after its re-enabling call (fw_sock_reenable), as Winsock's
 * "re-enabling functions" say (WSAEventSelect docs).
 *
 * Readiness (the model's reading of the select/WSAPoll docs):
 *   read   - a listener with a connection waiting; a stream with bytes, the
 *            peer's FIN or a reset; a datagram socket with a datagram or an
 *            ICMP error queued;
 *   write  - a connected stream with send room (or reset: a send fails at
 *            once); a datagram socket;
 *   except - a non-blocking connect that failed (select's exceptfds);
 *   hup    - WSAPoll only: the stream got FIN or a reset. */
#include <stdlib.h>
#include <string.h>

#include "fw_sock.h"

typedef struct ready {
  bool read, write, except, hup, err;
  bool data; /* streams: bytes are queued (WSAPoll reports a bare FIN as POLLHUP only) */
} ready_t;

static ready_t ready(fw_sock_t *s) {
  ready_t r = {false, false, false, false, false, false};
  if (s->io.closed) return r;
  if (s->connect_failed) r.except = r.err = true;
  if (s->type != SOCK_STREAM) {
    r.read = r.data = s->dq_head != NULL || s->icmp_status != 0;
    r.write = true;
    return r;
  }
  if (s->state == FW_SOCK_LISTENING) {
    r.read = s->bl_head != NULL;
    return r;
  }
  fw_conn_t *c = s->conn;
  if (s->state != FW_SOCK_CONNECTED || c == NULL) return r;
  bool reset = c->reset[s->side];
  bool fin = fw_net_eof(c, s->side);
  r.read = reset || fin || fw_net_readable(c, s->side) > 0;
  r.data = fw_net_readable(c, s->side) > 0;
  r.write = reset || (!s->shut_wr && fw_net_room(c, s->side) > 0);
  r.hup = reset || fin;
  return r;
}

/* ---- select ------------------------------------------------------------------ */

static int set_sockets(fd_set *set, fw_sock_t **out, size_t *n, size_t max) {
  if (set == NULL) return 0;
  if (set->fd_count > FD_SETSIZE) return WSAEINVAL;
  for (u_int i = 0; i < set->fd_count; i++) {
    fw_sock_t *s;
    int err = fw_sock_get(set->fd_array[i], &s);
    if (err) return err;
    if (*n < max) out[(*n)++] = s;
  }
  return 0;
}

/* Keeps in `set` the sockets ready for `what` (0 read, 1 write, 2 except). */
static int filter(fd_set *set, int what) {
  if (set == NULL) return 0;
  u_int k = 0;
  for (u_int i = 0; i < set->fd_count; i++) {
    fw_sock_t *s;
    if (fw_sock_get(set->fd_array[i], &s) != 0) continue;
    ready_t r = ready(s);
    bool yes = what == 0 ? r.read : what == 1 ? r.write : r.except;
    if (yes) set->fd_array[k++] = set->fd_array[i];
  }
  set->fd_count = k;
  return (int)k;
}

static int count_ready(fd_set *set, int what) {
  if (set == NULL) return 0;
  int k = 0;
  for (u_int i = 0; i < set->fd_count; i++) {
    fw_sock_t *s;
    if (fw_sock_get(set->fd_array[i], &s) != 0) continue;
    ready_t r = ready(s);
    k += what == 0 ? r.read : what == 1 ? r.write : r.except;
  }
  return k;
}

int WSAAPI fw_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                     const struct timeval *timeout) {
  static sim_tracepoint_t tp = {"select", {{"n", 'u'}, {"ms", 'd'}}, 'd', 0};
  fw_thread_t *t = fw_enter("select");
  (void)nfds; /* ignored, as on Windows */
  int err = 0, ret = SOCKET_ERROR;
  fw_sock_t *socks[3 * FD_SETSIZE];
  size_t n = 0;
  int64_t ms = -1;
  if (!fw_wsa_started()) err = WSANOTINITIALISED;
  if (err == 0 && timeout != NULL) {
    if (timeout->tv_sec < 0 || timeout->tv_usec < 0) err = WSAEINVAL;
    ms = (int64_t)timeout->tv_sec * 1000 + timeout->tv_usec / 1000;
  }
  if (err == 0) err = set_sockets(readfds, socks, &n, 3 * FD_SETSIZE);
  if (err == 0) err = set_sockets(writefds, socks, &n, 3 * FD_SETSIZE);
  if (err == 0) err = set_sockets(exceptfds, socks, &n, 3 * FD_SETSIZE);
  /* every set empty: WSAEINVAL (select docs) */
  if (err == 0 && n == 0) err = WSAEINVAL;
  uint64_t deadline = ms < 0 ? UINT64_MAX : sim_now() + (uint64_t)ms * 1000000ull;
  while (err == 0) {
    int k = count_ready(readfds, 0) + count_ready(writefds, 1) + count_ready(exceptfds, 2);
    uint64_t now = sim_now();
    if (k > 0 || now >= deadline) {
      ret = filter(readfds, 0) + filter(writefds, 1) + filter(exceptfds, 2);
      break;
    }
    fw_io_obj_t *ios[3 * FD_SETSIZE];
    for (size_t i = 0; i < n; i++) ios[i] = &socks[i]->io;
    DWORD w = fw_io_sync_block_many(ios, n, "select",
                                    deadline == UINT64_MAX ? SIM_NO_TIMEOUT : deadline - now);
    if (w == ERROR_OPERATION_ABORTED) err = WSAEINTR;
    /* a socket closed under the wait: WSAENOTSOCK on the next look */
    for (size_t i = 0; err == 0 && i < n; i++)
      if (socks[i]->io.closed) err = WSAENOTSOCK;
  }
  if (err) fw_wsa_error(t, err);
  FW_TRACE(&tp, t, err ? SOCKET_ERROR : ret, (uint64_t)n, (uint64_t)ms);
  return err ? SOCKET_ERROR : ret;
}

/* ---- WSAPoll ------------------------------------------------------------------- */

static SHORT revents_of(WSAPOLLFD *p) {
  fw_sock_t *s;
  if (fw_sock_get(p->fd, &s) != 0) return POLLNVAL;
  ready_t r = ready(s);
  SHORT ev = 0;
  /* a stream at FIN or reset with nothing queued is POLLHUP alone
   * (observed under Wine 8.0, probe new_apis) */
  if (r.read && (r.data || !r.hup)) ev |= (SHORT)(p->events & POLLRDNORM);
  if (r.write) ev |= (SHORT)(p->events & POLLWRNORM);
  /* POLLERR and POLLHUP are reported whatever was asked */
  if (r.err) ev |= POLLERR;
  if (r.hup) ev |= POLLHUP;
  return ev;
}

int WSAAPI fw_WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout) {
  static sim_tracepoint_t tp = {"WSAPoll", {{"n", 'u'}, {"ms", 'd'}}, 'd', 0};
  fw_thread_t *t = fw_enter("WSAPoll");
  int err = 0, ret = SOCKET_ERROR;
  if (!fw_wsa_started())
    err = WSANOTINITIALISED;
  else if (fdArray == NULL || fds == 0)
    err = WSAEINVAL;
  for (ULONG i = 0; err == 0 && i < fds; i++)
    if (fdArray[i].events & ~(POLLRDNORM | POLLRDBAND | POLLPRI | POLLWRNORM | POLLWRBAND))
      err = WSAEINVAL; /* only those may be asked for (WSAPoll docs) */
  uint64_t deadline = timeout < 0 ? UINT64_MAX : sim_now() + (uint64_t)timeout * 1000000ull;
  while (err == 0) {
    int k = 0;
    bool invalid = false;
    for (ULONG i = 0; i < fds; i++) {
      fdArray[i].revents = revents_of(&fdArray[i]);
      k += fdArray[i].revents != 0;
      invalid |= fdArray[i].revents == POLLNVAL;
    }
    if (invalid && fw_pers()->wsapoll_invalid_fails) {
      err = WSAENOTSOCK;
      break;
    }
    uint64_t now = sim_now();
    if (k > 0 || now >= deadline) {
      ret = k;
      break;
    }
    fw_io_obj_t **ios = calloc(fds, sizeof *ios);
    if (ios == NULL) sim_fail(SIM_STATUS_CRASH, "fakewin: out of memory in WSAPoll");
    for (ULONG i = 0; i < fds; i++) {
      fw_sock_t *s;
      (void)fw_sock_get(fdArray[i].fd, &s); /* all valid: none was POLLNVAL */
      ios[i] = &s->io;
    }
    DWORD w = fw_io_sync_block_many(ios, fds, "WSAPoll",
                                    deadline == UINT64_MAX ? SIM_NO_TIMEOUT : deadline - now);
    free(ios);
    if (w == ERROR_OPERATION_ABORTED) err = WSAEINTR;
  }
  if (err) fw_wsa_error(t, err);
  FW_TRACE(&tp, t, err ? SOCKET_ERROR : ret, (uint64_t)fds, (uint64_t)(int64_t)timeout);
  return err ? SOCKET_ERROR : ret;
}

/* ---- WSAEventSelect / WSAEnumNetworkEvents ------------------------------------------- */

static void record(fw_sock_t *s, int bit, int error) {
  LONG b = 1L << bit;
  if (!(s->es_mask & b) || !(s->es_enabled & b)) return;
  s->es_enabled &= ~b;
  s->es_recorded |= b;
  s->es_error[bit] = error;
  if (s->es_event != NULL) (void)fw_event_set_handle(s->es_event);
}

/* Records what the socket's state now says (io.changed). */
static void es_check(fw_io_obj_t *io) {
  fw_sock_t *s = (fw_sock_t *)io;
  if (s->es_mask == 0 || io->closed) return;
  ready_t r = ready(s);
  if (s->type == SOCK_STREAM && s->state == FW_SOCK_LISTENING) {
    if (r.read) record(s, FD_ACCEPT_BIT, 0);
    return;
  }
  if (s->connect_failed) record(s, FD_CONNECT_BIT, (int)s->so_error);
  if (s->type == SOCK_STREAM && s->state == FW_SOCK_CONNECTED && s->conn != NULL) {
    fw_conn_t *c = s->conn;
    record(s, FD_CONNECT_BIT, 0);
    bool reset = c->reset[s->side];
    if (fw_net_readable(c, s->side) > 0) record(s, FD_READ_BIT, 0);
    if (reset)
      record(s, FD_CLOSE_BIT, (int)c->reset_err[s->side]);
    else if (fw_net_eof(c, s->side))
      record(s, FD_CLOSE_BIT, 0);
  } else if (s->type != SOCK_STREAM && r.read) {
    record(s, FD_READ_BIT, 0);
  }
  if (r.write && !(s->type == SOCK_STREAM && s->conn != NULL && s->conn->reset[s->side]))
    record(s, FD_WRITE_BIT, 0);
}

void fw_sock_reenable(fw_sock_t *s, LONG bits) {
  if (s->es_mask == 0) return;
  s->es_enabled |= bits & ~(FD_CONNECT | FD_CLOSE); /* those two are recorded once */
  es_check(&s->io);
}

int WSAAPI fw_WSAEventSelect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents) {
  static sim_tracepoint_t tp = {"WSAEventSelect", {{"s", 'x'}, {"ev", 'x'}, {"mask", 'x'}}, 'd', 0};
  fw_thread_t *t = fw_enter("WSAEventSelect");
  fw_sock_t *so = NULL;
  int err = fw_wsa_started() ? fw_sock_get(s, &so) : WSANOTINITIALISED;
  if (err == 0 && lNetworkEvents != 0 && hEventObject == NULL) err = WSAEINVAL;
  if (err == 0) {
    /* a new selection replaces the old one; it makes the socket
     * non-blocking (WSAEventSelect docs) */
    so->es_event = lNetworkEvents != 0 ? hEventObject : NULL;
    so->es_mask = lNetworkEvents & FD_ALL_EVENTS;
    so->es_enabled = FD_ALL_EVENTS;
    so->es_recorded = 0;
    memset(so->es_error, 0, sizeof so->es_error);
    so->io.changed = so->es_mask != 0 ? es_check : NULL;
    so->nonblocking = true;
    es_check(&so->io);
  }
  if (err) fw_wsa_error(t, err);
  FW_TRACE(&tp, t, err ? SOCKET_ERROR : 0, FW_P(s), FW_P(hEventObject), (uint64_t)lNetworkEvents);
  return err ? SOCKET_ERROR : 0;
}

int WSAAPI fw_WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject,
                                   LPWSANETWORKEVENTS lpNetworkEvents) {
  static sim_tracepoint_t tp = {"WSAEnumNetworkEvents", {{"s", 'x'}, {"events", 'x'}}, 'd', 0};
  fw_thread_t *t = fw_enter("WSAEnumNetworkEvents");
  fw_sock_t *so = NULL;
  int err = fw_wsa_started() ? fw_sock_get(s, &so) : WSANOTINITIALISED;
  if (err == 0 && lpNetworkEvents == NULL) err = WSAEFAULT;
  LONG ev = 0;
  if (err == 0) {
    ev = so->es_recorded;
    lpNetworkEvents->lNetworkEvents = ev;
    for (int i = 0; i < FD_MAX_EVENTS; i++)
      lpNetworkEvents->iErrorCode[i] = (ev & (1L << i)) ? so->es_error[i] : 0;
    so->es_recorded = 0;
    if (hEventObject != NULL) (void)fw_event_reset_handle(hEventObject);
  }
  if (err) fw_wsa_error(t, err);
  FW_TRACE(&tp, t, err ? SOCKET_ERROR : 0, FW_P(s), (uint64_t)ev);
  return err ? SOCKET_ERROR : 0;
}
