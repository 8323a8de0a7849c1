/* test_fw_sock_dgram.c: fakewin's UDP sockets against
 * spec/win32-fidelity.md F25-F28, F48 and W12-W14: datagram truncation
 * (immediate and pending), zero-byte reads with and without MSG_PEEK,
 * MSG_PEEK, WSARecvMsg/WSASendMsg, and the ICMP "port unreachable" error
 * that SIO_UDP_CONNRESET controls. */
#include "test_fw_sock_util.h"

typedef struct ufix {
  HANDLE port;
  SOCKET a, b; /* b receives, associated with the port */
  struct sockaddr_in aa, ba;
  UCHAR modes;
} ufix_t;

static void ufix_open(ufix_t *f, void *arg) {
  sk_startup();
  f->modes = (UCHAR)(uintptr_t)arg;
  f->port = sk_port();
  f->a = sk_udp(&f->aa);
  f->b = sk_udp(&f->ba);
  sk_assoc(f->port, f->b, 0x81, f->modes);
}

static void ufix_close(ufix_t *f) {
  SIM_EXPECT(closesocket(f->a) == 0 && closesocket(f->b) == 0);
  SIM_EXPECT(CloseHandle(f->port));
  sk_cleanup();
}

static void send_dgram(ufix_t *f, const char *data, int len) {
  SIM_EXPECT(sendto(f->a, data, len, 0, (struct sockaddr *)&f->ba, sizeof f->ba) == len);
}

static int recvfrom_ov(SOCKET s, char *buf, ULONG len, DWORD flags, OVERLAPPED *ov, DWORD *n,
                       struct sockaddr_in *from, int *fromlen) {
  WSABUF b = {len, buf};
  DWORD fl = flags;
  return WSARecvFrom(s, &b, 1, n, &fl, (struct sockaddr *)from, fromlen, ov, NULL);
}

static void set_nonblocking(SOCKET s) {
  u_long on = 1;
  SIM_EXPECT(ioctlsocket(s, FIONBIO, &on) == 0);
}

/* ---- F25 ----------------------------------------------------------------------------------------
 */

static void f25_immediate_main(void *arg) {
  ufix_t f;
  ufix_open(&f, arg);
  bool skip = f.modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS;
  char buf[16];
  OVERLAPPED ov;
  DWORD n = SK_SENTINEL;
  struct sockaddr_in from;
  int fromlen = sizeof from;

  send_dgram(&f, "0123456789", 10);
  sk_ov(&ov);
  memset(buf, '.', sizeof buf);
  SK_EXPECT_WSA(recvfrom_ov(f.b, buf, 4, 0, &ov, &n, &from, &fromlen), WSAEMSGSIZE);
  /* the first bytes are delivered; the count is not written, InternalHigh is */
  SIM_EXPECT(memcmp(buf, "0123", 4) == 0 && buf[4] == '.');
  SIM_EXPECT(n == SK_SENTINEL);
  SIM_EXPECT(ov.Internal == (ULONG_PTR)(uint32_t)STATUS_BUFFER_OVERFLOW && ov.InternalHigh == 4);
  SIM_EXPECT(from.sin_port == f.aa.sin_port);
  /* F10c / F11c: a packet (FALSE/234) only without skip mode */
  if (skip)
    sk_expect_no_pkt(f.port);
  else
    sk_expect_pkt(f.port, &ov, FALSE, ERROR_MORE_DATA, 4);
  /* the rest was discarded */
  set_nonblocking(f.b);
  SK_EXPECT_WSA(recv(f.b, buf, sizeof buf, 0), WSAEWOULDBLOCK);
  /* recv and recvfrom truncate the same way */
  send_dgram(&f, "abcdef", 6);
  SK_EXPECT_WSA(recv(f.b, buf, 3, 0), WSAEMSGSIZE);
  SIM_EXPECT(memcmp(buf, "abc", 3) == 0);
  send_dgram(&f, "ghijkl", 6);
  SK_EXPECT_WSA(recvfrom(f.b, buf, 2, 0, NULL, NULL), WSAEMSGSIZE);
  SIM_EXPECT(memcmp(buf, "gh", 2) == 0);
  SK_EXPECT_WSA(recv(f.b, buf, sizeof buf, 0), WSAEWOULDBLOCK);
  ufix_close(&f);
}

/* @covers F25 */
static void f25_datagram_truncation_immediate_reports_wsaemsgsize(void **state) {
  (void)state;
  sk_run_modes(f25_immediate_main, FW_PERSONALITY_WINDOWS);
}

static void f25_pending_main(void *arg) {
  ufix_t f;
  ufix_open(&f, arg);
  char buf[16];
  OVERLAPPED ov;
  DWORD n = SK_SENTINEL;
  struct sockaddr_in from;
  int fromlen = sizeof from;
  sk_ov(&ov);
  SK_EXPECT_WSA(recvfrom_ov(f.b, buf, 4, 0, &ov, &n, &from, &fromlen), WSA_IO_PENDING);
  send_dgram(&f, "0123456789", 10);
  /* STATUS_BUFFER_OVERFLOW with InternalHigh = the buffer size: GQCS
   * FALSE/ERROR_MORE_DATA, WSAGetOverlappedResult FALSE/WSAEMSGSIZE, n = 4 */
  sk_expect_pkt(f.port, &ov, FALSE, ERROR_MORE_DATA, 4);
  SIM_EXPECT(ov.Internal == (ULONG_PTR)(uint32_t)STATUS_BUFFER_OVERFLOW && ov.InternalHigh == 4);
  DWORD flags = 0;
  n = SK_SENTINEL;
  SIM_EXPECT(!WSAGetOverlappedResult(f.b, &ov, &n, FALSE, &flags));
  SIM_EXPECT(WSAGetLastError() == WSAEMSGSIZE && n == 4);
  SIM_EXPECT(memcmp(buf, "0123", 4) == 0);
  SIM_EXPECT(from.sin_port == f.aa.sin_port && fromlen == (int)sizeof from);
  set_nonblocking(f.b);
  SK_EXPECT_WSA(recv(f.b, buf, sizeof buf, 0), WSAEWOULDBLOCK);
  ufix_close(&f);
}

/* @covers F25 */
static void f25_datagram_truncation_pending_reports_buffer_overflow(void **state) {
  (void)state;
  sk_run_modes(f25_pending_main, FW_PERSONALITY_WINDOWS);
}

/* ---- F26, F27
 * ------------------------------------------------------------------------------------- */

static void f26_main(void *arg) {
  ufix_t f;
  ufix_open(&f, arg);
  char buf[16];
  OVERLAPPED ov;
  DWORD n = SK_SENTINEL;

  /* a 0-byte read without MSG_PEEK consumes the datagram with WSAEMSGSIZE */
  send_dgram(&f, "first", 5);
  sk_ov(&ov);
  SK_EXPECT_WSA(recvfrom_ov(f.b, buf, 0, 0, &ov, &n, NULL, NULL), WSAEMSGSIZE);
  SIM_EXPECT(ov.InternalHigh == 0);
  if (!(f.modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS))
    sk_expect_pkt(f.port, &ov, FALSE, ERROR_MORE_DATA, 0);
  sk_expect_no_pkt(f.port);
  /* with MSG_PEEK it reports WSAEMSGSIZE and leaves it queued */
  send_dgram(&f, "second", 6);
  SK_EXPECT_WSA(recv(f.b, buf, 0, MSG_PEEK), WSAEMSGSIZE);
  SIM_EXPECT(recv(f.b, buf, sizeof buf, 0) == 6 && memcmp(buf, "second", 6) == 0);
  /* pending 0-byte peek: ERROR_MORE_DATA with 0 bytes, the datagram stays */
  sk_ov(&ov);
  SK_EXPECT_WSA(recvfrom_ov(f.b, buf, 0, MSG_PEEK, &ov, &n, NULL, NULL), WSA_IO_PENDING);
  send_dgram(&f, "third", 5);
  sk_expect_pkt(f.port, &ov, FALSE, ERROR_MORE_DATA, 0);
  SIM_EXPECT(recv(f.b, buf, sizeof buf, 0) == 5 && memcmp(buf, "third", 5) == 0);
  /* zero-length datagrams are legal both ways */
  SIM_EXPECT(sendto(f.a, buf, 0, 0, (struct sockaddr *)&f.ba, sizeof f.ba) == 0);
  WSABUF eb = {0, buf};
  n = SK_SENTINEL;
  SIM_EXPECT(WSASendTo(f.a, &eb, 1, &n, 0, (struct sockaddr *)&f.ba, sizeof f.ba, NULL, NULL) ==
                 0 &&
             n == 0);
  SIM_EXPECT(recv(f.b, buf, sizeof buf, 0) == 0);
  /* and a 0-byte read of a 0-byte datagram is a plain success */
  SIM_EXPECT(recv(f.b, buf, 0, 0) == 0);
  set_nonblocking(f.b);
  SK_EXPECT_WSA(recv(f.b, buf, sizeof buf, 0), WSAEWOULDBLOCK);
  ufix_close(&f);
}

/* @covers F26 */
static void f26_zero_byte_datagram_reads_with_and_without_peek(void **state) {
  (void)state;
  sk_run_modes(f26_main, FW_PERSONALITY_WINDOWS);
}

static void f27_main(void *arg) {
  ufix_t f;
  ufix_open(&f, arg);
  char buf[16];
  send_dgram(&f, "peekaboo", 8);
  struct sockaddr_in from;
  int fromlen = sizeof from;
  SIM_EXPECT(recvfrom(f.b, buf, sizeof buf, MSG_PEEK, (struct sockaddr *)&from, &fromlen) == 8);
  SIM_EXPECT(memcmp(buf, "peekaboo", 8) == 0 && from.sin_port == f.aa.sin_port);
  /* still queued: the next read gets it again and takes it */
  memset(buf, 0, sizeof buf);
  SIM_EXPECT(recv(f.b, buf, sizeof buf, 0) == 8 && memcmp(buf, "peekaboo", 8) == 0);
  set_nonblocking(f.b);
  SK_EXPECT_WSA(recv(f.b, buf, sizeof buf, 0), WSAEWOULDBLOCK);
  ufix_close(&f);
}

/* @covers F27 */
static void f27_msg_peek_leaves_the_datagram_queued(void **state) {
  (void)state;
  sk_run(f27_main, FW_PERSONALITY_WINDOWS);
}

/* ---- F28, W13, W14
 * ------------------------------------------------------------------------------------ */

static void f28_main(void *arg) {
  ufix_t f;
  ufix_open(&f, arg);
  bool wine = sk_wine();
  static const GUID recvmsg_guid = WSAID_WSARECVMSG, sendmsg_guid = WSAID_WSASENDMSG;
  LPFN_WSARECVMSG pRecvMsg = (LPFN_WSARECVMSG)sk_ext(f.b, recvmsg_guid);
  LPFN_WSASENDMSG pSendMsg = (LPFN_WSASENDMSG)sk_ext(f.a, sendmsg_guid);
  char data[10] = "0123456789", buf[16];

  /* WSASendMsg on a datagram socket sends to msg.name */
  WSABUF sb = {sizeof data, data};
  WSAMSG sm = {(LPSOCKADDR)&f.ba, sizeof f.ba, &sb, 1, {0, NULL}, 0};
  DWORD n = SK_SENTINEL;
  SIM_EXPECT(pSendMsg(f.a, &sm, 0, &n, NULL, NULL) == 0 && n == 10);

  /* truncation: the F25 rules; dwFlags gets MSG_TRUNC on Windows, stays 0
   * under Wine 8.0 (W14) */
  struct sockaddr_in from;
  WSABUF rb = {4, buf};
  WSAMSG rm = {(LPSOCKADDR)&from, sizeof from, &rb, 1, {0, NULL}, 0};
  OVERLAPPED ov;
  sk_ov(&ov);
  n = SK_SENTINEL;
  SK_EXPECT_WSA(pRecvMsg(f.b, &rm, &n, &ov, NULL), WSAEMSGSIZE);
  SIM_EXPECT(n == SK_SENTINEL && ov.InternalHigh == 4 && memcmp(buf, "0123", 4) == 0);
  SIM_EXPECT(rm.dwFlags == (wine ? 0u : (ULONG)MSG_TRUNC));
  SIM_EXPECT(from.sin_port == f.aa.sin_port && rm.namelen == (INT)sizeof from);
  if (!(f.modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS))
    sk_expect_pkt(f.port, &ov, FALSE, ERROR_MORE_DATA, 4);
  /* pending: FALSE/234 with the buffer size */
  rm.dwFlags = 0;
  sk_ov(&ov);
  SK_EXPECT_WSA(pRecvMsg(f.b, &rm, &n, &ov, NULL), WSA_IO_PENDING);
  SIM_EXPECT(pSendMsg(f.a, &sm, 0, &n, NULL, NULL) == 0);
  sk_expect_pkt(f.port, &ov, FALSE, ERROR_MORE_DATA, 4);
  SIM_EXPECT(rm.dwFlags == (wine ? 0u : (ULONG)MSG_TRUNC));
  /* a message that fits: success, no flag */
  rb.len = sizeof buf;
  rm.dwFlags = 0;
  SIM_EXPECT(pSendMsg(f.a, &sm, 0, &n, NULL, NULL) == 0);
  n = SK_SENTINEL;
  SIM_EXPECT(pRecvMsg(f.b, &rm, &n, NULL, NULL) == 0 && n == 10 && rm.dwFlags == 0);

  /* on a stream socket: WSAEINVAL on Windows, accepted by Wine 8.0 (W13) */
  SOCKET c, s;
  sk_tcp_pair(&c, &s);
  WSABUF tb = {3, "abc"};
  WSAMSG tm = {NULL, 0, &tb, 1, {0, NULL}, 0};
  if (wine) {
    SIM_EXPECT(pSendMsg(c, &tm, 0, &n, NULL, NULL) == 0 && n == 3);
    WSABUF trb = {sizeof buf, buf};
    WSAMSG trm = {NULL, 0, &trb, 1, {0, NULL}, 0};
    SIM_EXPECT(pRecvMsg(s, &trm, &n, NULL, NULL) == 0 && n == 3);
  } else {
    SK_EXPECT_WSA(pSendMsg(c, &tm, 0, &n, NULL, NULL), WSAEINVAL);
    WSABUF trb = {sizeof buf, buf};
    WSAMSG trm = {NULL, 0, &trb, 1, {0, NULL}, 0};
    SK_EXPECT_WSA(pRecvMsg(s, &trm, &n, NULL, NULL), WSAEINVAL);
  }
  SIM_EXPECT(closesocket(c) == 0 && closesocket(s) == 0);
  ufix_close(&f);
}

/* @covers F28 */
static void f28_wsarecvmsg_truncates_like_recvfrom(void **state) {
  (void)state;
  sk_run_modes(f28_main, FW_PERSONALITY_WINDOWS);
}

/* @covers F28 W13 W14 */
static void w13_w14_wine8_msg_calls_on_streams_and_trunc_flag(void **state) {
  (void)state;
  sk_run_modes(f28_main, FW_PERSONALITY_WINE8);
}

/* ---- F48, W12
 * ------------------------------------------------------------------------------------------ */

static void f48_main(void *arg) {
  ufix_t f;
  ufix_open(&f, arg);
  bool wine = sk_wine();
  char buf[8];
  /* a port nobody listens on: bind a socket, note its port, close it */
  struct sockaddr_in dead;
  SOCKET tmp = sk_udp(&dead);
  SIM_EXPECT(closesocket(tmp) == 0);

  /* unconnected: the next receive fails with WSAECONNRESET (not on Wine, W12) */
  SIM_EXPECT(sendto(f.b, "x", 1, 0, (struct sockaddr *)&dead, sizeof dead) == 1);
  set_nonblocking(f.b);
  if (wine)
    SK_EXPECT_WSA(recv(f.b, buf, sizeof buf, 0), WSAEWOULDBLOCK);
  else
    SK_EXPECT_WSA(recv(f.b, buf, sizeof buf, 0), WSAECONNRESET);
  /* reported once */
  SK_EXPECT_WSA(recv(f.b, buf, sizeof buf, 0), WSAEWOULDBLOCK);

  /* a pending receive completes with it: GQCS ERROR_PORT_UNREACHABLE,
   * WSAGetOverlappedResult WSAECONNRESET */
  OVERLAPPED ov;
  sk_ov(&ov);
  DWORD n = SK_SENTINEL;
  SK_EXPECT_WSA(recvfrom_ov(f.b, buf, sizeof buf, 0, &ov, &n, NULL, NULL), WSA_IO_PENDING);
  SIM_EXPECT(sendto(f.b, "y", 1, 0, (struct sockaddr *)&dead, sizeof dead) == 1);
  if (wine) {
    sk_expect_no_pkt(f.port);
    SIM_EXPECT(CancelIoEx((HANDLE)f.b, &ov));
    sk_expect_pkt(f.port, &ov, FALSE, ERROR_OPERATION_ABORTED, 0);
  } else {
    sk_expect_pkt(f.port, &ov, FALSE, ERROR_PORT_UNREACHABLE, 0);
    DWORD flags;
    SIM_EXPECT(!WSAGetOverlappedResult(f.b, &ov, &n, FALSE, &flags) &&
               WSAGetLastError() == WSAECONNRESET);
  }

  /* connected sockets get it too */
  SIM_EXPECT(connect(f.a, (struct sockaddr *)&dead, sizeof dead) == 0);
  SIM_EXPECT(send(f.a, "z", 1, 0) == 1);
  set_nonblocking(f.a);
  if (wine)
    SK_EXPECT_WSA(recv(f.a, buf, sizeof buf, 0), WSAEWOULDBLOCK);
  else
    SK_EXPECT_WSA(recv(f.a, buf, sizeof buf, 0), WSAECONNRESET);

  /* SIO_UDP_CONNRESET FALSE turns it off (accepted on both) */
  BOOL off = FALSE;
  DWORD ret = SK_SENTINEL;
  SIM_EXPECT(WSAIoctl(f.a, SIO_UDP_CONNRESET, &off, sizeof off, NULL, 0, &ret, NULL, NULL) == 0 &&
             ret == 0);
  SIM_EXPECT(send(f.a, "z", 1, 0) == 1);
  SK_EXPECT_WSA(recv(f.a, buf, sizeof buf, 0), WSAEWOULDBLOCK);
  /* SIO_UDP_NETRESET is accepted the same way */
  SIM_EXPECT(WSAIoctl(f.a, SIO_UDP_NETRESET, &off, sizeof off, NULL, 0, &ret, NULL, NULL) == 0);
  ufix_close(&f);
}

/* @covers F48 */
static void f48_port_unreachable_surfaces_as_connreset(void **state) {
  (void)state;
  sk_run(f48_main, FW_PERSONALITY_WINDOWS);
}

/* @covers F48 W12 */
static void w12_wine8_never_reports_port_unreachable(void **state) {
  (void)state;
  sk_run(f48_main, FW_PERSONALITY_WINE8);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(f25_datagram_truncation_immediate_reports_wsaemsgsize),
      cmocka_unit_test(f25_datagram_truncation_pending_reports_buffer_overflow),
      cmocka_unit_test(f26_zero_byte_datagram_reads_with_and_without_peek),
      cmocka_unit_test(f27_msg_peek_leaves_the_datagram_queued),
      cmocka_unit_test(f28_wsarecvmsg_truncates_like_recvfrom),
      cmocka_unit_test(w13_w14_wine8_msg_calls_on_streams_and_trunc_flag),
      cmocka_unit_test(f48_port_unreachable_surfaces_as_connreset),
      cmocka_unit_test(w12_wine8_never_reports_port_unreachable),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
