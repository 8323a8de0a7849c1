/* udp_msg: what WSARecvMsg leaves in dwFlags after MSG_PEEK and after a
 * truncation (at once, pending, through the port), the byte counts of
 * truncated datagrams completed through the port by WSARecv, WSARecvFrom
 * and WSARecvMsg, the in/out flags of WSARecv and WSARecvFrom, sends
 * without an address on an unconnected UDP socket (send, WSASendTo,
 * WSASendMsg), and receives on a UDP socket that was never bound.
 * Items: F25 F26 F27 W14 W31 W32 W33 W34. */
#include "probe.h"

static LPFN_WSARECVMSG recvmsg_fn;
static LPFN_WSASENDMSG sendmsg_fn;

static void msg_init(WSAMSG *m, struct sockaddr_in *from, WSABUF *wb, DWORD flags) {
  memset(m, 0, sizeof *m);
  memset(from, 0, sizeof *from);
  m->name = (struct sockaddr *)from;
  m->namelen = sizeof *from;
  m->lpBuffers = wb;
  m->dwBufferCount = 1;
  m->Control.len = 0;
  m->Control.buf = NULL;
  m->dwFlags = flags;
}

/* Reads (and so drops) whatever datagram is queued on s. */
static void drain(SOCKET s) {
  char tmp[64];
  probe_wait_readable(s);
  recv(s, tmp, sizeof tmp, 0);
}

int main(void) {
  probe_start();
  struct sockaddr_in aa, ba;
  SOCKET a = probe_udp(&aa), b = probe_udp(&ba);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  CreateIoCompletionPort((HANDLE)b, port, 0x55, 0);
  GUID gr = WSAID_WSARECVMSG, gs = WSAID_WSASENDMSG;
  DWORD n;
  WSAIoctl(b, SIO_GET_EXTENSION_FUNCTION_POINTER, &gr, sizeof gr, &recvmsg_fn, sizeof recvmsg_fn,
           &n, NULL, NULL);
  WSAIoctl(b, SIO_GET_EXTENSION_FUNCTION_POINTER, &gs, sizeof gs, &sendmsg_fn, sizeof sendmsg_fn,
           &n, NULL, NULL);
  char buf[16], small[4];
  WSABUF wb = {sizeof buf, buf}, ws = {sizeof small, small};
  WSAMSG m;
  struct sockaddr_in from;
  OVERLAPPED ov;
  int r;

  /* W31: MSG_PEEK in dwFlags, no OVERLAPPED */
  sendto(a, "hello", 5, 0, (struct sockaddr *)&ba, sizeof ba);
  probe_wait_readable(b);
  msg_init(&m, &from, &wb, MSG_PEEK);
  n = SENT;
  r = recvmsg_fn(b, &m, &n, NULL, NULL);
  printf("peek_sync: r=%d err=%d n=0x%lx flags=0x%lx namelen=%d\n", r, r ? WSAGetLastError() : 0, n,
         m.dwFlags, m.namelen);
  msg_init(&m, &from, &wb, 0);
  n = SENT;
  r = recvmsg_fn(b, &m, &n, NULL, NULL);
  printf("plain_sync: r=%d err=%d n=0x%lx flags=0x%lx\n", r, r ? WSAGetLastError() : 0, n,
         m.dwFlags);

  /* W31: MSG_PEEK with an OVERLAPPED, the datagram already there */
  sendto(a, "world", 5, 0, (struct sockaddr *)&ba, sizeof ba);
  probe_wait_readable(b);
  msg_init(&m, &from, &wb, MSG_PEEK);
  probe_ov(&ov);
  n = SENT;
  r = recvmsg_fn(b, &m, &n, &ov, NULL);
  printf("peek_ov_imm: r=%d err=%d n=0x%lx flags=0x%lx\n", r, r ? WSAGetLastError() : 0, n,
         m.dwFlags);
  probe_gqcs("peek_ov_imm_pkt", port, 1000, &ov);
  printf("peek_ov_imm_after: flags=0x%lx\n", m.dwFlags);
  drain(b);

  /* W31: MSG_PEEK pending, then the datagram */
  msg_init(&m, &from, &wb, MSG_PEEK);
  probe_ov(&ov);
  r = recvmsg_fn(b, &m, NULL, &ov, NULL);
  printf("peek_pend: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  sendto(a, "later", 5, 0, (struct sockaddr *)&ba, sizeof ba);
  probe_gqcs("peek_pend_pkt", port, 1000, &ov);
  DWORD tn = SENT, tf = SENT;
  BOOL ok = WSAGetOverlappedResult(b, &ov, &tn, FALSE, &tf);
  printf("peek_pend_after: flags=0x%lx wsagor_ok=%d n=0x%lx wsagor_flags=0x%lx\n", m.dwFlags, ok,
         tn, tf);
  drain(b);

  /* WSARecv's and WSARecvFrom's in/out flags after a peek */
  sendto(a, "flags", 5, 0, (struct sockaddr *)&ba, sizeof ba);
  probe_wait_readable(b);
  DWORD fl = MSG_PEEK;
  n = SENT;
  r = WSARecv(b, &wb, 1, &n, &fl, NULL, NULL);
  printf("wsarecv_peek: r=%d err=%d n=0x%lx flags=0x%lx\n", r, r ? WSAGetLastError() : 0, n, fl);
  int fromlen = sizeof from;
  fl = MSG_PEEK;
  n = SENT;
  r = WSARecvFrom(b, &wb, 1, &n, &fl, (struct sockaddr *)&from, &fromlen, NULL, NULL);
  printf("wsarecvfrom_peek: r=%d err=%d n=0x%lx flags=0x%lx\n", r, r ? WSAGetLastError() : 0, n,
         fl);
  drain(b);

  /* W14: truncation with MSG_PEEK, no OVERLAPPED: the datagram stays */
  sendto(a, "0123456789", 10, 0, (struct sockaddr *)&ba, sizeof ba);
  probe_wait_readable(b);
  msg_init(&m, &from, &ws, MSG_PEEK);
  n = SENT;
  r = recvmsg_fn(b, &m, &n, NULL, NULL);
  printf("trunc_peek_sync: r=%d err=%d n=0x%lx flags=0x%lx buf=%.4s\n", r,
         r ? WSAGetLastError() : 0, n, m.dwFlags, small);
  u_long avail = SENT;
  ioctlsocket(b, FIONREAD, &avail);
  printf("trunc_peek_sync_fionread: %lu\n", avail);
  drain(b);

  /* W14: truncated datagrams completed through the port after pending */
  probe_ov(&ov);
  fl = 0;
  r = WSARecv(b, &ws, 1, NULL, &fl, &ov, NULL);
  printf("trunc_pend_wsarecv: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  sendto(a, "abcdefghij", 10, 0, (struct sockaddr *)&ba, sizeof ba);
  probe_gqcs("trunc_pend_wsarecv_pkt", port, 1000, &ov);
  printf("trunc_pend_wsarecv_flags: 0x%lx\n", fl);

  probe_ov(&ov);
  fl = 0;
  fromlen = sizeof from;
  r = WSARecvFrom(b, &ws, 1, NULL, &fl, (struct sockaddr *)&from, &fromlen, &ov, NULL);
  printf("trunc_pend_wsarecvfrom: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  sendto(a, "ABCDEFGHIJ", 10, 0, (struct sockaddr *)&ba, sizeof ba);
  probe_gqcs("trunc_pend_wsarecvfrom_pkt", port, 1000, &ov);
  printf("trunc_pend_wsarecvfrom_from: len=%d port_ok=%d flags=0x%lx\n", fromlen,
         from.sin_port == aa.sin_port, fl);

  msg_init(&m, &from, &ws, 0);
  probe_ov(&ov);
  r = recvmsg_fn(b, &m, NULL, &ov, NULL);
  printf("trunc_pend_recvmsg: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  sendto(a, "klmnopqrst", 10, 0, (struct sockaddr *)&ba, sizeof ba);
  probe_gqcs("trunc_pend_recvmsg_pkt", port, 1000, &ov);
  tn = SENT;
  tf = SENT;
  ok = WSAGetOverlappedResult(b, &ov, &tn, FALSE, &tf);
  printf(
      "trunc_pend_recvmsg_after: flags=0x%lx namelen=%d buf=%.4s Internal=0x%lx "
      "InternalHigh=0x%lx wsagor_ok=%d err=%d n=0x%lx wsagor_flags=0x%lx\n",
      m.dwFlags, m.namelen, small, (DWORD)ov.Internal, (DWORD)ov.InternalHigh, ok,
      ok ? 0 : WSAGetLastError(), tn, tf);

  /* W14: a truncated WSARecvMsg with an OVERLAPPED, the datagram there */
  sendto(a, "uvwxyz0123", 10, 0, (struct sockaddr *)&ba, sizeof ba);
  probe_wait_readable(b);
  msg_init(&m, &from, &ws, 0);
  probe_ov(&ov);
  n = SENT;
  r = recvmsg_fn(b, &m, &n, &ov, NULL);
  printf("trunc_imm_recvmsg: r=%d err=%d n=0x%lx flags=0x%lx Internal=0x%lx InternalHigh=0x%lx\n",
         r, r ? WSAGetLastError() : 0, n, m.dwFlags, (DWORD)ov.Internal, (DWORD)ov.InternalHigh);
  probe_gqcs("trunc_imm_recvmsg_pkt", port, 1000, &ov);

  /* W14: the same in skip-on-success mode, dequeued with GQCSEx and read
   * back with WSAGetOverlappedResult, as Go's poller does */
  {
    struct sockaddr_in ka;
    SOCKET k = probe_udp(&ka);
    CreateIoCompletionPort((HANDLE)k, port, 0x66, 0);
    SetFileCompletionNotificationModes(
        (HANDLE)k, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE);
    for (int i = 0; i < 3; i++) {
      static const char *const names[] = {"wsarecv", "wsarecvfrom", "recvmsg"};
      probe_ov(&ov);
      fl = 0;
      fromlen = sizeof from;
      msg_init(&m, &from, &ws, 0);
      if (i == 0)
        r = WSARecv(k, &ws, 1, NULL, &fl, &ov, NULL);
      else if (i == 1)
        r = WSARecvFrom(k, &ws, 1, NULL, &fl, (struct sockaddr *)&from, &fromlen, &ov, NULL);
      else
        r = recvmsg_fn(k, &m, NULL, &ov, NULL);
      printf("skip_trunc_pend_%s: r=%d err=%d\n", names[i], r, r ? WSAGetLastError() : 0);
      sendto(a, "0123456789", 10, 0, (struct sockaddr *)&ka, sizeof ka);
      OVERLAPPED_ENTRY e[2];
      memset(e, 0xee, sizeof e);
      ULONG got = SENT;
      BOOL gok = GetQueuedCompletionStatusEx(port, e, 2, &got, 1000, FALSE);
      printf("skip_trunc_pend_%s_entry: ok=%d n=%lu bytes=0x%lx key=0x%lx Internal=0x%lx ov=%s\n",
             names[i], gok, got, e[0].dwNumberOfBytesTransferred, (DWORD)e[0].lpCompletionKey,
             (DWORD)e[0].Internal, e[0].lpOverlapped == &ov ? "mine" : "other");
      tn = 0;
      tf = SENT;
      ok = WSAGetOverlappedResult(k, &ov, &tn, FALSE, &tf);
      printf("skip_trunc_pend_%s_wsagor: ok=%d err=%d n=0x%lx flags=0x%lx msgflags=0x%lx\n",
             names[i], ok, ok ? 0 : WSAGetLastError(), tn, tf, m.dwFlags);
    }
    /* the datagram already queued: the call fails at once, no packet */
    sendto(a, "0123456789", 10, 0, (struct sockaddr *)&ka, sizeof ka);
    probe_wait_readable(k);
    probe_ov(&ov);
    fl = 0;
    n = SENT;
    fromlen = sizeof from;
    r = WSARecvFrom(k, &ws, 1, &n, &fl, (struct sockaddr *)&from, &fromlen, &ov, NULL);
    printf("skip_trunc_imm_wsarecvfrom: r=%d err=%d n=0x%lx Internal=0x%lx InternalHigh=0x%lx\n", r,
           r ? WSAGetLastError() : 0, n, (DWORD)ov.Internal, (DWORD)ov.InternalHigh);
    probe_gqcs("skip_trunc_imm_wsarecvfrom_pkt", port, 100, &ov);
    closesocket(k);
  }

  /* W32: sends without an address on an unconnected UDP socket */
  SOCKET u = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
  WSABUF out = {4, "data"};
  msg_init(&m, &from, &out, 0);
  m.name = NULL;
  m.namelen = 0;
  n = SENT;
  r = sendmsg_fn(u, &m, 0, &n, NULL, NULL);
  printf("sendmsg_unbound_noaddr: r=%d err=%d n=0x%lx\n", r, r ? WSAGetLastError() : 0, n);
  struct sockaddr_in ua;
  int ualen = sizeof ua;
  r = getsockname(u, (struct sockaddr *)&ua, &ualen);
  printf("sendmsg_unbound_noaddr_getsockname: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  closesocket(u);
  u = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
  r = send(u, "data", 4, 0);
  printf("send_unbound: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  ualen = sizeof ua;
  r = getsockname(u, (struct sockaddr *)&ua, &ualen);
  printf("send_unbound_getsockname: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  closesocket(u);
  u = probe_udp(&ua);
  n = SENT;
  r = sendmsg_fn(u, &m, 0, &n, NULL, NULL);
  printf("sendmsg_bound_noaddr: r=%d err=%d n=0x%lx\n", r, r ? WSAGetLastError() : 0, n);
  probe_ov(&ov);
  n = SENT;
  r = sendmsg_fn(u, &m, 0, &n, &ov, NULL);
  printf("sendmsg_bound_noaddr_ov: r=%d err=%d n=0x%lx Internal=0x%lx\n", r,
         r ? WSAGetLastError() : 0, n, (DWORD)ov.Internal);
  n = SENT;
  r = WSASendTo(u, &out, 1, &n, 0, NULL, 0, NULL, NULL);
  printf("wsasendto_bound_noaddr: r=%d err=%d n=0x%lx\n", r, r ? WSAGetLastError() : 0, n);
  n = SENT;
  r = WSASend(u, &out, 1, &n, 0, NULL, NULL);
  printf("wsasend_bound: r=%d err=%d n=0x%lx\n", r, r ? WSAGetLastError() : 0, n);
  /* with an address it works, unconnected */
  m.name = (struct sockaddr *)&ba;
  m.namelen = sizeof ba;
  n = SENT;
  r = sendmsg_fn(u, &m, 0, &n, NULL, NULL);
  printf("sendmsg_bound_addr: r=%d err=%d n=0x%lx\n", r, r ? WSAGetLastError() : 0, n);
  drain(b);
  closesocket(u);

  /* W33: receives on a UDP socket that was never bound */
  u = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
  u_long nb = 1;
  ioctlsocket(u, FIONBIO, &nb);
  r = recv(u, buf, sizeof buf, 0);
  printf("recv_unbound: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  fromlen = sizeof from;
  r = recvfrom(u, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
  printf("recvfrom_unbound: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  msg_init(&m, &from, &wb, 0);
  n = SENT;
  r = recvmsg_fn(u, &m, &n, NULL, NULL);
  printf("recvmsg_unbound: r=%d err=%d n=0x%lx\n", r, r ? WSAGetLastError() : 0, n);
  ualen = sizeof ua;
  probe_ov(&ov);
  fl = 0;
  r = WSARecv(u, &wb, 1, NULL, &fl, &ov, NULL);
  printf("wsarecv_ov_unbound: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  if (r != 0 && WSAGetLastError() == WSA_IO_PENDING) {
    CancelIoEx((HANDLE)u, &ov);
    tn = SENT;
    ok = GetOverlappedResult((HANDLE)u, &ov, &tn, TRUE);
    printf("wsarecv_ov_unbound_cancelled: ok=%d err=%lu n=0x%lx\n", ok, ok ? 0 : GetLastError(),
           tn);
  }
  ualen = sizeof ua;
  r = getsockname(u, (struct sockaddr *)&ua, &ualen);
  printf("unbound_after_recvs_getsockname: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  closesocket(u);

  /* W34: WSASendMsg without a byte count output fails; is the socket bound? */
  u = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
  msg_init(&m, &from, &out, 0);
  m.name = (struct sockaddr *)&ba;
  m.namelen = sizeof ba;
  r = sendmsg_fn(u, &m, 0, NULL, NULL, NULL);
  printf("sendmsg_nullcount: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  ualen = sizeof ua;
  r = getsockname(u, (struct sockaddr *)&ua, &ualen);
  printf("sendmsg_nullcount_getsockname: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  closesocket(u);
  /* and without a message: no bind */
  u = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
  n = SENT;
  r = sendmsg_fn(u, NULL, 0, &n, NULL, NULL);
  printf("sendmsg_nullmsg: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  ualen = sizeof ua;
  r = getsockname(u, (struct sockaddr *)&ua, &ualen);
  printf("sendmsg_nullmsg_getsockname: r=%d err=%d\n", r, r ? WSAGetLastError() : 0);
  closesocket(u);

  closesocket(a);
  closesocket(b);
  CloseHandle(port);
  WSACleanup();
  return 0;
}
