/* fw_sock_ext.c: the mswsock extension functions - AcceptEx,
 * GetAcceptExSockaddrs, ConnectEx, DisconnectEx, WSARecvMsg, WSASendMsg -
 * reached through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) or, for
 * AcceptEx and GetAcceptExSockaddrs, called directly.
 *
 * AcceptEx (F30-F33, W5, W8-W11).  The request is issued on the listener
 * (its port and key get the packet, F3) and waits in the listener's accept
 * queue; connections wait in the listener's backlog; the two are matched in
 * FIFO order.  With a receive length the request takes the connection and
 * then waits for its first data (or FIN, or reset).  The output buffer
 * holds the received data, then the local address area, then the remote
 * address area; each area starts with the sockaddr itself (the layout is
 * private: callers use GetAcceptExSockaddrs, as on Windows).
 *
 * ConnectEx (F34, F35, W8): always pends and always gets a packet; the
 * connection is made one virtual round trip (2 x latency) after the call,
 * at a scheduling point. */
#include <stdlib.h>
#include <string.h>

#include "fw_sock.h"

/* fw_socket.c */
int fw_sock_recvmsg(fw_thread_t *t, SOCKET s, LPWSAMSG msg, LPDWORD nbytes, LPWSAOVERLAPPED ov,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);
int fw_sock_sendmsg(fw_thread_t *t, SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD nbytes,
                    LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);

/* ---- AcceptEx ----------------------------------------------------------------------------------
 */

/* The smallest address area AcceptEx accepts: the sockaddr plus 16 bytes on
 * Windows (AcceptEx docs; sock.c test_AcceptEx: sizeof + 15 fails); Wine
 * 8.0 only needs the sockaddr itself (W10). */
static DWORD area_min(int af) {
  return (DWORD)fw_addr_len((uint16_t)af) + fw_pers()->acceptex_address_slack;
}

static void write_addresses(fw_sock_req_t *r, const fw_conn_t *c) {
  if (r->llen >= (DWORD)fw_addr_len(c->addr[1].family))
    fw_addr_write(&c->addr[1], r->out + r->rlen);
  if (r->rmlen >= (DWORD)fw_addr_len(c->peer[1].family))
    fw_addr_write(&c->peer[1], r->out + r->rlen + r->llen);
}

/* The accept socket becomes the connected server end of c. */
static void finish_accept(fw_sock_req_t *r, fw_conn_t *c) {
  fw_sock_t *acc = r->acceptor;
  c->accept_req = NULL;
  r->conn = NULL;
  if (acc == NULL) return;
  acc->accepting = NULL;
  /* F32: getsockname/getpeername/shutdown need SO_UPDATE_ACCEPT_CONTEXT
   * first on Windows; Wine 8.0 does not ask for it (W11) */
  acc->needs_accept_ctx = fw_pers()->update_context_required;
  write_addresses(r, c);
  fw_sock_attach_server(acc, c);
}

typedef enum { ACC_NONE, ACC_DONE, ACC_WAITING } acc_result_t;

/* Tries to give request r (rlen > 0: waiting for data) the first connection
 * of l's backlog. */
static acc_result_t try_accept(fw_sock_t *l, fw_sock_req_t *r, NTSTATUS *status, DWORD *bytes) {
  *status = STATUS_SUCCESS;
  *bytes = 0;
  fw_conn_t *c = l->bl_head;
  if (c == NULL) return ACC_NONE;
  if ((r->llen != 0 && r->llen < area_min(l->af)) || r->rmlen < area_min(l->af)) {
    /* sock.c test_AcceptEx: a short address area fails the AcceptEx when a
     * connection comes; the connection stays queued */
    *status = STATUS_BUFFER_TOO_SMALL;
    return ACC_DONE;
  }
  c = fw_net_backlog_pop(l);
  if (c->reset[1]) {
    /* F31: reset before the AcceptEx got it; W5: Wine 8.0 reports
     * STATUS_INVALID_CONNECTION when no data was asked for */
    c->closed[1] = true;
    *status = fw_pers()->acceptex_early_reset_invalid && r->rlen == 0 ? STATUS_INVALID_CONNECTION
                                                                      : STATUS_CONNECTION_RESET;
    return ACC_DONE;
  }
  if (r->rlen == 0) {
    finish_accept(r, c);
    return ACC_DONE;
  }
  /* with a receive length it completes on the first data or the FIN */
  c->accept_req = r;
  r->conn = c;
  size_t avail = fw_net_readable(c, 1);
  if (avail > 0 || fw_net_eof(c, 1)) {
    size_t n = fw_net_read(c, 1, (uint8_t *)r->out, avail < r->rlen ? avail : r->rlen, false);
    finish_accept(r, c);
    *bytes = (DWORD)n;
    return ACC_DONE;
  }
  return ACC_WAITING;
}

void fw_sock_accept_pump(fw_sock_t *l) {
  fw_sock_req_t *r;
  while ((r = l->acceptq.head) != NULL && l->bl_head != NULL) {
    NTSTATUS st;
    DWORD n;
    acc_result_t a = try_accept(l, r, &st, &n);
    if (a == ACC_NONE) break;
    fw_sock_q_remove(&l->acceptq, r);
    if (a == ACC_DONE) {
      if (st != STATUS_SUCCESS && r->acceptor != NULL) {
        r->acceptor->accepting = NULL;
        r->acceptor->state = FW_SOCK_NEW;
      }
      fw_io_complete(&r->base, st, n);
    }
  }
}

void fw_sock_accept_data(fw_conn_t *c) {
  fw_sock_req_t *r = c->accept_req;
  if (r == NULL) return;
  if (c->reset[1]) {
    /* F31: the peer reset while AcceptEx waited for its data */
    c->accept_req = NULL;
    r->conn = NULL;
    c->closed[1] = true;
    if (r->acceptor != NULL) {
      r->acceptor->accepting = NULL;
      r->acceptor->state = FW_SOCK_NEW;
    }
    fw_io_complete(&r->base, STATUS_CONNECTION_RESET, 0);
    return;
  }
  size_t avail = fw_net_readable(c, 1);
  if (avail == 0 && !fw_net_eof(c, 1)) return;
  size_t n = fw_net_read(c, 1, (uint8_t *)r->out, avail < r->rlen ? avail : r->rlen, false);
  finish_accept(r, c);
  fw_io_complete(&r->base, STATUS_SUCCESS, (DWORD)n);
}

/* A forced successful AcceptEx (fault plan) takes a queued connection. */
void fw_sock_accept_forced(fw_sock_req_t *r, DWORD *bytes) {
  fw_sock_t *l = r->sock;
  fw_sock_t *acc = r->acceptor;
  if (acc == NULL) return;
  if (acc->accepting == r) {
    acc->accepting = NULL;
    if (acc->state == FW_SOCK_ACCEPTING) acc->state = FW_SOCK_NEW;
  }
  if (acc->state != FW_SOCK_NEW) return;
  fw_conn_t *c = r->conn;
  if (c == NULL) {
    if (l->state != FW_SOCK_LISTENING || l->bl_head == NULL || l->bl_head->reset[1]) {
      *bytes = 0;
      return;
    }
    c = fw_net_backlog_pop(l);
  }
  size_t n = fw_net_readable(c, 1);
  if (n > r->rlen) n = r->rlen;
  if (n > *bytes) n = *bytes;
  n = fw_net_read(c, 1, (uint8_t *)r->out, n, false);
  finish_accept(r, c);
  *bytes = (DWORD)n;
}

BOOL PASCAL fw_AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer,
                        DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
                        DWORD dwRemoteAddressLength, LPDWORD lpdwBytesReceived,
                        LPOVERLAPPED lpOverlapped) {
  static sim_tracepoint_t tp = {
      "AcceptEx",
      {{"listen", 'x'}, {"accept", 'x'}, {"rlen", 'u'}, {"llen", 'u'}, {"rmlen", 'u'}, {"ov", 'p'}},
      'd',
      0};
  fw_thread_t *t = fw_enter("AcceptEx");
  int err = 0;
  fw_sock_t *l = NULL, *acc = NULL;
  fw_fault_t f = {0};
  BOOL ret = FALSE;
  if (!fw_wsa_started()) err = WSANOTINITIALISED;
  if (err == 0) {
    /* F15/F30: STATUS_PENDING goes in before any check, even for bad sockets */
    fw_io_mark_pending(lpOverlapped);
    err = fw_sock_get(sListenSocket, &l);
    if (!fw_fault_check(FW_SITE_AcceptEx, FW_OP_ACCEPT, (HANDLE)sListenSocket,
                        l ? &l->io.obj : NULL, &f))
      f.rule = 0;
  }
  if (err == 0) err = fw_sock_get(sAcceptSocket, &acc);
  if (err == 0 && lpOverlapped == NULL) err = ERROR_INVALID_PARAMETER;
  if (err == 0 && f.rule != 0 && f.outcome == FW_FAULT_ERROR) err = (int)f.error;
  if (err == 0 && dwRemoteAddressLength == 0) err = WSAEFAULT;
  if (err == 0 && acc->accepting != NULL) err = WSAEINVAL; /* "accept into the same socket twice" */
  /* W10: the checks Wine 8.0 does not make; there the AcceptEx pends and
   * never matches a connection */
  bool inert = false;
  if (err == 0) {
    int bad = 0;
    if (l->state != FW_SOCK_LISTENING)
      bad = WSAEINVAL;
    else if (lpOutputBuffer == NULL)
      bad = WSAEFAULT;
    else if (acc->type != SOCK_STREAM || acc->af != l->af || acc->bound ||
             acc->state != FW_SOCK_NEW)
      bad = WSAEINVAL;
    if (bad != 0) {
      if (fw_pers()->acceptex_lax_arguments) /* W10 */
        inert = true;
      else
        err = bad;
    }
  }
  if (err == 0 && f.rule != 0 &&
      (f.outcome == FW_FAULT_PEER_FIN || f.outcome == FW_FAULT_PEER_RST)) {
    fw_fault_schedule_peer(&f, (HANDLE)sListenSocket, &l->io.obj);
    f.rule = 0;
  }
  if (err == 0) {
    fw_sock_req_t *r = fw_sock_req_new(l, &l->io, FW_SR_ACCEPT, FW_OP_ACCEPT, FW_SITE_AcceptEx,
                                       lpOverlapped, NULL, 0);
    r->acceptor = acc;
    fw_obj_ref(&acc->io.obj);
    r->out = lpOutputBuffer;
    r->rlen = dwReceiveDataLength;
    r->llen = dwLocalAddressLength;
    r->rmlen = dwRemoteAddressLength;
    r->inert = inert;
    acc->accepting = r;
    if (acc->state == FW_SOCK_NEW) acc->state = FW_SOCK_ACCEPTING;
    fw_io_start(&r->base);
    if (fw_pers()->ex_submit_zeroes_internalhigh) {
      /* W8: Wine 8.0 writes 0 to both even when the call pends */
      lpOverlapped->InternalHigh = 0;
      if (lpdwBytesReceived) *lpdwBytesReceived = 0;
    }
    if (f.rule != 0) {
      DWORD b = 0;
      DWORD e = fw_io_apply_fault(&r->base, &f, &b);
      if (e == 0) {
        ret = TRUE;
        if (lpdwBytesReceived) *lpdwBytesReceived = b;
      } else {
        err = (int)e;
      }
    } else if (inert) {
      err = ERROR_IO_PENDING;
    } else {
      NTSTATUS st;
      DWORD n;
      acc_result_t a = ACC_NONE;
      /* W9: Windows may complete at once when a connection is waiting;
       * Wine 8.0 always pends (and may have completed by the return, F12) */
      if (!fw_pers()->acceptex_always_pends && l->acceptq.head == NULL)
        a = try_accept(l, r, &st, &n);
      if (a == ACC_DONE && st == STATUS_SUCCESS) {
        DWORD e = fw_io_finish_immediate(&r->base, st, n);
        if (e == 0) {
          ret = TRUE;
          if (lpdwBytesReceived) *lpdwBytesReceived = n;
        } else {
          err = (int)e;
        }
      } else {
        if (a == ACC_DONE) {
          /* an error outcome is reported through the completion */
          acc->accepting = NULL;
          acc->state = FW_SOCK_NEW;
          fw_io_complete(&r->base, st, n);
        } else if (a == ACC_NONE) {
          fw_sock_q_push(&l->acceptq, r);
          fw_sock_accept_pump(l);
        }
        err = ERROR_IO_PENDING;
      }
    }
  }
  if (err) fw_wsa_error(t, err);
  FW_TRACE(&tp, t, ret, FW_P(sListenSocket), FW_P(sAcceptSocket), dwReceiveDataLength,
           dwLocalAddressLength, dwRemoteAddressLength, FW_P(lpOverlapped));
  return ret;
}

/* The implementation behind both entry points; `exported` says whether the
 * program called mswsock's export (W26) or the extension pointer. */
static void get_sockaddrs(bool exported, PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                          DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength,
                          struct sockaddr **LocalSockaddr, LPINT LocalSockaddrLength,
                          struct sockaddr **RemoteSockaddr, LPINT RemoteSockaddrLength) {
  static sim_tracepoint_t tp = {
      "GetAcceptExSockaddrs", {{"rlen", 'u'}, {"llen", 'u'}, {"rmlen", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter_local("GetAcceptExSockaddrs");
  /* W26: Wine 8.0's exported GetAcceptExSockaddrs is a stub that writes
   * nothing; the pointer from SIO_GET_EXTENSION_FUNCTION_POINTER works */
  char *base = exported && fw_pers()->exported_getacceptexsockaddrs_empty ? NULL : lpOutputBuffer;
  if (base != NULL) {
    /* an area too small to hold an address is left alone (sock.c
     * test_AcceptEx: local length 0 leaves the outputs untouched) */
    char *area[2] = {base + dwReceiveDataLength, base + dwReceiveDataLength + dwLocalAddressLength};
    DWORD size[2] = {dwLocalAddressLength, dwRemoteAddressLength};
    struct sockaddr **out[2] = {LocalSockaddr, RemoteSockaddr};
    LPINT outlen[2] = {LocalSockaddrLength, RemoteSockaddrLength};
    for (int i = 0; i < 2; i++) {
      if (size[i] < sizeof(SOCKADDR_IN)) continue;
      ADDRESS_FAMILY fam;
      memcpy(&fam, area[i], sizeof fam);
      int len = fw_addr_len(fam);
      if ((fam != AF_INET && fam != AF_INET6) || size[i] < (DWORD)len) continue;
      if (out[i]) *out[i] = (struct sockaddr *)area[i];
      if (outlen[i]) *outlen[i] = len;
    }
  }
  FW_TRACE(&tp, t, 0, dwReceiveDataLength, dwLocalAddressLength, dwRemoteAddressLength);
}

VOID PASCAL fw_GetAcceptExSockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                    DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength,
                                    struct sockaddr **LocalSockaddr, LPINT LocalSockaddrLength,
                                    struct sockaddr **RemoteSockaddr, LPINT RemoteSockaddrLength) {
  get_sockaddrs(true, lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength,
                dwRemoteAddressLength, LocalSockaddr, LocalSockaddrLength, RemoteSockaddr,
                RemoteSockaddrLength);
}

/* What SIO_GET_EXTENSION_FUNCTION_POINTER hands out for
 * WSAID_GETACCEPTEXSOCKADDRS. */
static VOID PASCAL ext_GetAcceptExSockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                            DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength,
                                            struct sockaddr **LocalSockaddr,
                                            LPINT LocalSockaddrLength,
                                            struct sockaddr **RemoteSockaddr,
                                            LPINT RemoteSockaddrLength) {
  get_sockaddrs(false, lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength,
                dwRemoteAddressLength, LocalSockaddr, LocalSockaddrLength, RemoteSockaddr,
                RemoteSockaddrLength);
}

/* ---- ConnectEx
 * ---------------------------------------------------------------------------------------- */

static void connect_event(void *arg) {
  fw_sock_req_t *r = arg;
  fw_sock_t *s = r->sock;
  r->event = 0;
  if (r->base.state != FW_REQ_PENDING) return;
  fw_addr_t to = s->peer;
  int cerr = fw_net_connect(s, &to);
  if (cerr != 0) {
    /* F34: refused -> STATUS_CONNECTION_REFUSED, packet queued */
    s->connecting = NULL;
    s->state = FW_SOCK_NEW;
    fw_io_complete(&r->base, STATUS_CONNECTION_REFUSED, 0);
    return;
  }
  /* F35: getpeername/shutdown need SO_UPDATE_CONNECT_CONTEXT on Windows (W11) */
  s->needs_connect_ctx = fw_pers()->update_context_required;
  s->connected_at = sim_now();
  if (r->total > 0) {
    /* the optional send buffer goes out first; the request completes when
     * it is all in the pipe, with its size */
    fw_sock_q_push(&s->sq, r);
    fw_sock_pump_send(s);
    return;
  }
  s->connecting = NULL;
  s->state = FW_SOCK_CONNECTED;
  fw_io_complete(&r->base, STATUS_SUCCESS, 0);
}

/* A forced ConnectEx success (fault plan) connects for real when it can. */
void fw_sock_connect_forced(fw_sock_req_t *r, DWORD *bytes) {
  fw_sock_t *s = r->sock;
  if (r->event) {
    sim_cancel(r->event);
    r->event = 0;
  }
  s->connecting = NULL;
  if (s->state == FW_SOCK_CLOSED) return;
  if (s->conn == NULL) {
    fw_addr_t to = s->peer;
    if (fw_net_connect(s, &to) != 0) {
      s->state = FW_SOCK_NEW;
      *bytes = 0;
      return;
    }
  }
  s->needs_connect_ctx = fw_pers()->update_context_required;
  s->connected_at = sim_now();
  s->state = FW_SOCK_CONNECTED;
  if (*bytes > r->total) *bytes = (DWORD)r->total;
  r->cap = *bytes;
  size_t off = 0;
  for (DWORD i = 0; i < r->nbufs && off < *bytes; i++) {
    size_t k = r->bufs[i].len;
    if (k > *bytes - off) k = *bytes - off;
    off += fw_net_write(s->conn, s->side, (const uint8_t *)r->bufs[i].buf, k);
  }
}

static BOOL PASCAL fw_ConnectEx(SOCKET s, const struct sockaddr *name, int namelen,
                                PVOID lpSendBuffer, DWORD dwSendDataLength, LPDWORD lpdwBytesSent,
                                LPOVERLAPPED lpOverlapped) {
  static sim_tracepoint_t tp = {
      "ConnectEx", {{"s", 'x'}, {"port", 'u'}, {"len", 'u'}, {"ov", 'p'}}, 'd', 0};
  fw_thread_t *t = fw_enter("ConnectEx");
  int err = 0;
  fw_sock_t *so = NULL;
  fw_fault_t f = {0};
  fw_addr_t to = {0};
  BOOL ret = FALSE;
  if (!fw_wsa_started()) err = WSANOTINITIALISED;
  if (err == 0) {
    fw_io_mark_pending(lpOverlapped); /* F15, F34 */
    if (fw_pers()->ex_submit_zeroes_internalhigh) {
      /* W8: Wine 8.0 zeroes both before any check, so a call that then
       * fails leaves 0 there too (probe connectex_fail) */
      if (lpOverlapped != NULL) lpOverlapped->InternalHigh = 0;
      if (lpdwBytesSent != NULL) *lpdwBytesSent = 0;
    }
    err = fw_sock_get(s, &so);
    if (!fw_fault_check(FW_SITE_ConnectEx, FW_OP_CONNECT, (HANDLE)s, so ? &so->io.obj : NULL, &f))
      f.rule = 0;
  }
  if (err == 0 && lpOverlapped == NULL) err = ERROR_INVALID_PARAMETER;
  if (err == 0 && f.rule != 0 && f.outcome == FW_FAULT_ERROR) err = (int)f.error;
  if (err == 0) {
    if (so->type != SOCK_STREAM)
      err = WSAEINVAL;
    else if (so->state == FW_SOCK_LISTENING || so->state == FW_SOCK_ACCEPTING)
      err = WSAEINVAL;
    else if (so->state == FW_SOCK_CONNECTED)
      err = WSAEISCONN;
    else if (so->state == FW_SOCK_CONNECTING)
      err = WSAEALREADY;
    else if (!so->bound)
      err = WSAEINVAL; /* F34: ConnectEx needs a bound socket */
  }
  if (err == 0) err = fw_addr_parse(name, namelen, &to);
  /* W37: Wine 8.0 says WSAEADDRNOTAVAIL for a name too short */
  if (err == WSAEFAULT && name != NULL && fw_pers()->connectex_lax_address) err = WSAEADDRNOTAVAIL;
  if (err == 0 && to.family != so->af) err = WSAEFAULT;
  /* W37: Wine 8.0 lets port 0 through: the attempt pends and is refused */
  if (err == 0 && (fw_addr_is_any(&to) || (to.port == 0 && !fw_pers()->connectex_lax_address)))
    err = WSAEADDRNOTAVAIL;
  if (err == 0 && f.rule != 0 &&
      (f.outcome == FW_FAULT_PEER_FIN || f.outcome == FW_FAULT_PEER_RST)) {
    fw_fault_schedule_peer(&f, (HANDLE)s, &so->io.obj);
    f.rule = 0;
  }
  if (err == 0) {
    WSABUF b = {dwSendDataLength, lpSendBuffer};
    fw_sock_req_t *r = fw_sock_req_new(so, &so->io, FW_SR_CONNECT, FW_OP_CONNECT, FW_SITE_ConnectEx,
                                       lpOverlapped, &b, lpSendBuffer && dwSendDataLength ? 1 : 0);
    so->connecting = r;
    so->state = FW_SOCK_CONNECTING;
    so->peer = to;
    fw_io_start(&r->base);
    if (f.rule != 0 && f.outcome == FW_FAULT_SHORT) {
      r->cap = fw_fault_short_cap(&f, (DWORD)r->total);
      f.rule = 0;
    }
    if (f.rule != 0) {
      DWORD bytes = 0;
      DWORD e = fw_io_apply_fault(&r->base, &f, &bytes);
      if (e == 0) {
        ret = TRUE;
        if (lpdwBytesSent) *lpdwBytesSent = bytes;
      } else {
        err = (int)e;
      }
    } else {
      /* F34: always pending, even in skip mode; one round trip later */
      r->event = sim_after(2 * fw_net_cfg()->latency_ns, connect_event, r);
      err = ERROR_IO_PENDING;
    }
  }
  if (err) fw_wsa_error(t, err);
  FW_TRACE(&tp, t, ret, FW_P(s), to.port, dwSendDataLength, FW_P(lpOverlapped));
  return ret;
}

/* ---- DisconnectEx
 * ---------------------------------------------------------------------------------------- */

static void disconnect_done(fw_sock_req_t *r) {
  fw_sock_t *s = r->sock;
  if (r->disc_flags & TF_REUSE_SOCKET) {
    /* the socket can be given to AcceptEx or ConnectEx again */
    if (s->conn != NULL) fw_net_close_end(s);
    fw_net_unbind(s);
    s->bound = false;
    s->state = FW_SOCK_NEW;
    s->shut_rd = s->shut_wr = false;
    s->needs_accept_ctx = s->needs_connect_ctx = false;
    memset(&s->local, 0, sizeof s->local);
    memset(&s->peer, 0, sizeof s->peer);
  }
}

static void disconnect_event(void *arg) {
  fw_sock_req_t *r = arg;
  r->event = 0;
  if (r->base.state != FW_REQ_PENDING) return;
  disconnect_done(r);
  fw_io_complete(&r->base, STATUS_SUCCESS, 0);
}

static BOOL PASCAL fw_DisconnectEx(SOCKET s, LPOVERLAPPED lpOverlapped, DWORD dwFlags,
                                   DWORD dwReserved) {
  static sim_tracepoint_t tp = {"DisconnectEx", {{"s", 'x'}, {"flags", 'x'}, {"ov", 'p'}}, 'd', 0};
  fw_thread_t *t = fw_enter("DisconnectEx");
  int err = 0;
  fw_sock_t *so = NULL;
  fw_fault_t f = {0};
  BOOL ret = FALSE;
  if (!fw_wsa_started()) err = WSANOTINITIALISED;
  if (err == 0) {
    fw_io_mark_pending(lpOverlapped);
    err = fw_sock_get(s, &so);
    if (!fw_fault_check(FW_SITE_DisconnectEx, FW_OP_DISCONNECT, (HANDLE)s, so ? &so->io.obj : NULL,
                        &f))
      f.rule = 0;
  }
  if (err == 0 && dwReserved != 0) err = WSAEINVAL;
  if (err == 0 && f.rule != 0 && f.outcome == FW_FAULT_ERROR) err = (int)f.error;
  if (err == 0 && (so->type != SOCK_STREAM || so->state != FW_SOCK_CONNECTED)) err = WSAENOTCONN;
  if (err == 0) {
    so->shut_wr = true;
    if (so->conn != NULL && so->sq.head == NULL) fw_net_fin(so->conn, so->side);
    fw_sock_req_t *r = fw_sock_req_new(so, &so->io, FW_SR_DISCONNECT, FW_OP_DISCONNECT,
                                       FW_SITE_DisconnectEx, lpOverlapped, NULL, 0);
    r->disc_flags = dwFlags;
    if (lpOverlapped == NULL) {
      /* without an OVERLAPPED it is done when the call returns */
      disconnect_done(r);
      fw_io_fail_immediate(&r->base, 0);
      ret = TRUE;
    } else {
      fw_io_start(&r->base);
      if (f.rule != 0 && f.outcome != FW_FAULT_SHORT) {
        DWORD b = 0;
        DWORD e = fw_io_apply_fault(&r->base, &f, &b);
        if (e == 0)
          ret = TRUE;
        else
          err = (int)e;
      } else if (fw_pers()->disconnectex_skip_drops_packet &&
                 (so->io.notify_modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS)) {
        /* W19: Wine 8.0 reports it pending but, in skip mode, never queues
         * its packet: done here like a skipped immediate success */
        disconnect_done(r);
        DWORD e = fw_io_finish_immediate(&r->base, STATUS_SUCCESS, 0);
        err = e ? (int)e : ERROR_IO_PENDING;
      } else {
        /* pending, with a packet even in skip mode (W19's Windows column) */
        r->event = sim_after(0, disconnect_event, r);
        err = ERROR_IO_PENDING;
      }
    }
  }
  if (err) fw_wsa_error(t, err);
  FW_TRACE(&tp, t, ret, FW_P(s), dwFlags, FW_P(lpOverlapped));
  return ret;
}

/* ---- WSARecvMsg, WSASendMsg
 * ------------------------------------------------------------------------------ */

static INT PASCAL fw_WSARecvMsg(SOCKET s, LPWSAMSG lpMsg, LPDWORD lpdwNumberOfBytesRecvd,
                                LPWSAOVERLAPPED lpOverlapped,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
  static sim_tracepoint_t tp = {"WSARecvMsg", {{"s", 'x'}, {"ov", 'p'}}, 'd', 0};
  fw_thread_t *t = fw_enter("WSARecvMsg");
  int ret;
  fw_sock_t *so = NULL;
  if (fw_wsa_started() && fw_sock_get(s, &so) == 0 && lpMsg != NULL) {
    int err = 0;
    if ((lpMsg->name == NULL && lpMsg->namelen != 0) ||
        (lpMsg->Control.buf == NULL && lpMsg->Control.len != 0))
      err = WSAEFAULT;
    /* F28: for datagram and raw sockets; Wine 8.0 also takes streams (W13) */
    else if (so->type == SOCK_STREAM && !fw_pers()->msg_calls_take_streams)
      err = WSAEINVAL;
    if (err) {
      fw_io_mark_pending(lpOverlapped);
      fw_wsa_error(t, err);
      FW_TRACE(&tp, t, (uint64_t)(int64_t)SOCKET_ERROR, FW_P(s), FW_P(lpOverlapped));
      return SOCKET_ERROR;
    }
  }
  ret = fw_sock_recvmsg(t, s, lpMsg, lpdwNumberOfBytesRecvd, lpOverlapped, lpCompletionRoutine);
  FW_TRACE(&tp, t, (uint64_t)(int64_t)ret, FW_P(s), FW_P(lpOverlapped));
  return ret;
}

int WSAAPI fw_WSASendMsg(SOCKET Handle, LPWSAMSG lpMsg, DWORD dwFlags, LPDWORD lpNumberOfBytesSent,
                         LPWSAOVERLAPPED lpOverlapped,
                         LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
  static sim_tracepoint_t tp = {"WSASendMsg", {{"s", 'x'}, {"flags", 'x'}, {"ov", 'p'}}, 'd', 0};
  fw_thread_t *t = fw_enter("WSASendMsg");
  int ret = fw_sock_sendmsg(t, Handle, lpMsg, dwFlags, lpNumberOfBytesSent, lpOverlapped,
                            lpCompletionRoutine);
  FW_TRACE(&tp, t, (uint64_t)(int64_t)ret, FW_P(Handle), dwFlags, FW_P(lpOverlapped));
  return ret;
}

/* ---- the extension table
 * ------------------------------------------------------------------------------------ */

typedef struct ext_entry {
  GUID guid;
  void *fn;
} ext_entry_t;

/* The pointer WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) hands out for a
 * GUID, or NULL (fw_wsa.c). */
void *fw_sock_extension(const GUID *g) {
  static const GUID acceptex = WSAID_ACCEPTEX, getsockaddrs = WSAID_GETACCEPTEXSOCKADDRS,
                    connectex = WSAID_CONNECTEX, disconnectex = WSAID_DISCONNECTEX,
                    recvmsg = WSAID_WSARECVMSG, sendmsg = WSAID_WSASENDMSG;
  const ext_entry_t table[] = {
      {acceptex, (void *)(LPFN_ACCEPTEX)fw_AcceptEx},
      {getsockaddrs, (void *)(LPFN_GETACCEPTEXSOCKADDRS)ext_GetAcceptExSockaddrs},
      {connectex, (void *)(LPFN_CONNECTEX)fw_ConnectEx},
      {disconnectex, (void *)(LPFN_DISCONNECTEX)fw_DisconnectEx},
      {recvmsg, (void *)(LPFN_WSARECVMSG)fw_WSARecvMsg},
      {sendmsg, (void *)(LPFN_WSASENDMSG)fw_WSASendMsg},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (memcmp(&table[i].guid, g, sizeof *g) == 0) return table[i].fn;
  return NULL;
}
