/* test_fw_sock_data.c: fakewin's TCP data path against
 * spec/win32-fidelity.md F20-F24, F40, F41 and W2, W4: the WSARecv/WSASend
 * return convention, zero-byte reads, FIN, RST, partial counts, close and
 * shutdown with I/O pending.  Items whose packets depend on the notification
 * mode run in both modes (arg = the modes). */
#include "test_fw_sock_util.h"

/* A connected pair whose server end (`srv`) is associated with a port. */
typedef struct fix {
  HANDLE port;
  SOCKET cli, srv;
  UCHAR modes;
} fix_t;

static void fix_open(fix_t *f, void *arg) {
  sk_startup();
  f->modes = (UCHAR)(uintptr_t)arg;
  f->port = sk_port();
  sk_tcp_pair(&f->cli, &f->srv);
  sk_assoc(f->port, f->srv, 0x51, f->modes);
}

static void fix_close(fix_t *f) {
  if (f->cli != INVALID_SOCKET) SIM_EXPECT(closesocket(f->cli) == 0);
  if (f->srv != INVALID_SOCKET) SIM_EXPECT(closesocket(f->srv) == 0);
  SIM_EXPECT(CloseHandle(f->port));
  sk_cleanup();
}

static int post_recv(SOCKET s, char *buf, ULONG len, OVERLAPPED *ov, DWORD *n) {
  WSABUF b = {len, buf};
  DWORD flags = 0;
  return WSARecv(s, &b, 1, n, &flags, ov, NULL);
}

/* ---- F20 ----------------------------------------------------------------------------------- */

static void f20_main(void *arg) {
  fix_t f;
  fix_open(&f, arg);
  bool skip = f.modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS;
  char buf[16];
  OVERLAPPED ov;
  DWORD n;

  /* immediate completion: 0 and the count; a packet unless skip mode */
  SIM_EXPECT(send(f.cli, "abc", 3, 0) == 3);
  sk_ov(&ov);
  n = SK_SENTINEL;
  DWORD flags = 0;
  WSABUF b = {sizeof buf, buf};
  SIM_EXPECT(WSARecv(f.srv, &b, 1, &n, &flags, &ov, NULL) == 0);
  SIM_EXPECT(n == 3 && flags == 0 && memcmp(buf, "abc", 3) == 0);
  SIM_EXPECT(ov.Internal == 0 && ov.InternalHigh == 3);
  if (skip)
    sk_expect_no_pkt(f.port);
  else
    sk_expect_pkt(f.port, &ov, TRUE, 0, 3);

  /* pending: SOCKET_ERROR + WSA_IO_PENDING; the packet arrives in both modes */
  sk_ov(&ov);
  n = SK_SENTINEL;
  SK_EXPECT_WSA(post_recv(f.srv, buf, sizeof buf, &ov, &n), WSA_IO_PENDING);
  SIM_EXPECT(n == SK_SENTINEL);
  SIM_EXPECT(ov.Internal == (ULONG_PTR)STATUS_PENDING && ov.InternalHigh == SK_SENTINEL);
  sk_expect_no_pkt(f.port);
  SIM_EXPECT(send(f.cli, "hello", 5, 0) == 5);
  sk_expect_pkt(f.port, &ov, TRUE, 0, 5);
  SIM_EXPECT(n == SK_SENTINEL && memcmp(buf, "hello", 5) == 0);

  /* immediate sends follow the same convention */
  sk_ov(&ov);
  n = SK_SENTINEL;
  WSABUF sb = {4, "pong"};
  SIM_EXPECT(WSASend(f.srv, &sb, 1, &n, 0, &ov, NULL) == 0);
  SIM_EXPECT(n == 4);
  if (skip)
    sk_expect_no_pkt(f.port);
  else
    sk_expect_pkt(f.port, &ov, TRUE, 0, 4);
  SIM_EXPECT(recv(f.cli, buf, sizeof buf, 0) == 4);

  /* failure: the error, no packet, Internal stays STATUS_PENDING (F15) */
  SOCKET lone = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  sk_assoc(f.port, lone, 0x52, f.modes);
  sk_ov(&ov);
  SK_EXPECT_WSA(post_recv(lone, buf, sizeof buf, &ov, &n), WSAENOTCONN);
  SIM_EXPECT(ov.Internal == (ULONG_PTR)STATUS_PENDING);
  sk_expect_no_pkt(f.port);
  SIM_EXPECT(closesocket(lone) == 0);

  /* a completion routine on an associated socket is refused */
  sk_ov(&ov);
  SK_EXPECT_WSA(
      WSARecv(f.srv, &b, 1, &n, &flags, &ov, (LPWSAOVERLAPPED_COMPLETION_ROUTINE)(uintptr_t)1),
      WSAEINVAL);
  sk_expect_no_pkt(f.port);
  fix_close(&f);
}

/* @covers F20 */
static void f20_return_convention_immediate_pending_failed(void **state) {
  (void)state;
  sk_run_modes(f20_main, FW_PERSONALITY_WINDOWS);
}

/* ---- F21 ------------------------------------------------------------------------------------ */

static void f21_main(void *arg) {
  fix_t f;
  fix_open(&f, arg);
  bool skip = f.modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS;
  char buf[8];
  OVERLAPPED ov;
  DWORD n = SK_SENTINEL;

  /* data queued: a 0-byte read completes at once with 0 and leaves the data */
  SIM_EXPECT(send(f.cli, "xyz", 3, 0) == 3);
  sk_ov(&ov);
  SIM_EXPECT(post_recv(f.srv, buf, 0, &ov, &n) == 0);
  SIM_EXPECT(n == 0 && ov.Internal == 0 && ov.InternalHigh == 0);
  if (skip)
    sk_expect_no_pkt(f.port);
  else
    sk_expect_pkt(f.port, &ov, TRUE, 0, 0);
  SIM_EXPECT(recv(f.srv, buf, sizeof buf, 0) == 3);

  /* nothing queued: it pends and completes with 0 when data arrives */
  sk_ov(&ov);
  n = SK_SENTINEL;
  SK_EXPECT_WSA(post_recv(f.srv, buf, 0, &ov, &n), WSA_IO_PENDING);
  SIM_EXPECT(send(f.cli, "hi", 2, 0) == 2);
  sk_expect_pkt(f.port, &ov, TRUE, 0, 0);
  SIM_EXPECT(n == SK_SENTINEL);
  SIM_EXPECT(recv(f.srv, buf, sizeof buf, 0) == 2 && memcmp(buf, "hi", 2) == 0);

  /* no buffers at all: WSAEINVAL */
  DWORD flags = 0;
  WSABUF b = {sizeof buf, buf};
  sk_ov(&ov);
  SK_EXPECT_WSA(WSARecv(f.srv, &b, 0, &n, &flags, &ov, NULL), WSAEINVAL);
  SK_EXPECT_WSA(WSARecv(f.srv, NULL, 1, &n, &flags, &ov, NULL), WSAEINVAL);
  sk_expect_no_pkt(f.port);
  fix_close(&f);
}

/* @covers F21 */
static void f21_zero_byte_stream_reads(void **state) {
  (void)state;
  sk_run_modes(f21_main, FW_PERSONALITY_WINDOWS);
}

/* ---- F22 ------------------------------------------------------------------------------------ */

static void f22_main(void *arg) {
  fix_t f;
  fix_open(&f, arg);
  bool skip = f.modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS;
  char buf[8];
  OVERLAPPED ov;
  DWORD n = SK_SENTINEL;

  sk_ov(&ov);
  SK_EXPECT_WSA(post_recv(f.srv, buf, sizeof buf, &ov, &n), WSA_IO_PENDING);
  SIM_EXPECT(shutdown(f.cli, SD_SEND) == 0);
  /* the FIN completes the pending read with success and 0 bytes */
  sk_expect_pkt(f.port, &ov, TRUE, 0, 0);
  SIM_EXPECT(ov.Internal == 0 && ov.InternalHigh == 0);
  /* later reads return 0 at once: a success, so a packet without skip mode */
  for (int i = 0; i < 2; i++) {
    sk_ov(&ov);
    n = SK_SENTINEL;
    SIM_EXPECT(post_recv(f.srv, buf, sizeof buf, &ov, &n) == 0);
    SIM_EXPECT(n == 0);
    if (skip)
      sk_expect_no_pkt(f.port);
    else
      sk_expect_pkt(f.port, &ov, TRUE, 0, 0);
  }
  /* data sent before the FIN is read first; a graceful close is a FIN too */
  SIM_EXPECT(closesocket(f.srv) == 0);
  SOCKET c2, s2;
  sk_tcp_pair(&c2, &s2);
  sk_assoc(f.port, s2, 0x53, f.modes);
  SIM_EXPECT(send(c2, "ab", 2, 0) == 2);
  SIM_EXPECT(closesocket(c2) == 0);
  SIM_EXPECT(recv(s2, buf, sizeof buf, 0) == 2);
  SIM_EXPECT(recv(s2, buf, sizeof buf, 0) == 0);
  SIM_EXPECT(closesocket(s2) == 0);
  f.srv = INVALID_SOCKET;
  fix_close(&f);
}

/* @covers F22 */
static void f22_fin_completes_reads_with_zero(void **state) {
  (void)state;
  sk_run_modes(f22_main, FW_PERSONALITY_WINDOWS);
}

/* ---- F23, W4 -------------------------------------------------------------------------------- */

static void reset_by_peer(SOCKET s) {
  struct linger lg = {1, 0};
  SIM_EXPECT(setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg) == 0);
  SIM_EXPECT(closesocket(s) == 0);
}

static void f23_main(void *arg) {
  fix_t f;
  fix_open(&f, arg);
  bool skip = f.modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS;
  char buf[8];
  OVERLAPPED ov;
  DWORD n = SK_SENTINEL;

  sk_ov(&ov);
  SK_EXPECT_WSA(post_recv(f.srv, buf, sizeof buf, &ov, &n), WSA_IO_PENDING);
  reset_by_peer(f.cli);
  f.cli = INVALID_SOCKET;
  /* the pending read: STATUS_CONNECTION_RESET -> 64 through GQCS ... */
  sk_expect_pkt(f.port, &ov, FALSE, ERROR_NETNAME_DELETED, 0);
  SIM_EXPECT(ov.Internal == (ULONG_PTR)(uint32_t)STATUS_CONNECTION_RESET && ov.InternalHigh == 0);
  /* ... and WSAECONNRESET through WSAGetOverlappedResult */
  DWORD flags = 0;
  n = SK_SENTINEL;
  SIM_EXPECT(!WSAGetOverlappedResult(f.srv, &ov, &n, FALSE, &flags));
  SIM_EXPECT(WSAGetLastError() == WSAECONNRESET && n == 0);
  /* SO_ERROR stays 0 */
  int soerr = -1, len = sizeof soerr;
  SIM_EXPECT(getsockopt(f.srv, SOL_SOCKET, SO_ERROR, (char *)&soerr, &len) == 0 && soerr == 0);
  /* afterwards reads fail at once, without a packet (W4: Wine says EOF) */
  sk_ov(&ov);
  n = SK_SENTINEL;
  if (!sk_wine()) {
    SK_EXPECT_WSA(post_recv(f.srv, buf, sizeof buf, &ov, &n), WSAECONNRESET);
    SIM_EXPECT(ov.Internal == (ULONG_PTR)STATUS_PENDING);
    sk_expect_no_pkt(f.port);
    SK_EXPECT_WSA(recv(f.srv, buf, sizeof buf, 0), WSAECONNRESET);
  } else {
    SIM_EXPECT(post_recv(f.srv, buf, sizeof buf, &ov, &n) == 0);
    SIM_EXPECT(n == 0);
    if (skip)
      sk_expect_no_pkt(f.port);
    else
      sk_expect_pkt(f.port, &ov, TRUE, 0, 0);
    SIM_EXPECT(recv(f.srv, buf, sizeof buf, 0) == 0);
  }
  /* sends fail with WSAECONNRESET on both */
  sk_ov(&ov);
  WSABUF sb = {2, "zz"};
  SK_EXPECT_WSA(WSASend(f.srv, &sb, 1, &n, 0, &ov, NULL), WSAECONNRESET);
  sk_expect_no_pkt(f.port);
  SK_EXPECT_WSA(send(f.srv, "zz", 2, 0), WSAECONNRESET);
  fix_close(&f);
}

/* @covers F23 */
static void f23_reset_fails_pending_recv_then_calls_fail_at_once(void **state) {
  (void)state;
  sk_run_modes(f23_main, FW_PERSONALITY_WINDOWS);
}

/* @covers F23 W4 */
static void w4_wine8_recv_after_reset_reports_eof(void **state) {
  (void)state;
  sk_run_modes(f23_main, FW_PERSONALITY_WINE8);
}

/* ---- F24 --------------------------------------------------------------------------------------
 */

static void set_buf(SOCKET s, int opt, int v) {
  SIM_EXPECT(setsockopt(s, SOL_SOCKET, opt, (const char *)&v, sizeof v) == 0);
}

static void f24_main(void *arg) {
  (void)arg;
  sk_startup();
  HANDLE port = sk_port();
  static char big[5000];
  memset(big, 'q', sizeof big);
  for (int round = 0; round < 2; round++) {
    SOCKET cli, srv;
    sk_tcp_pair(&cli, &srv);
    sk_assoc(port, cli, 0x61, 0);
    /* the pipe from cli to srv holds 1000 + 1000 bytes */
    set_buf(cli, SO_SNDBUF, 1000);
    set_buf(srv, SO_RCVBUF, 1000);
    OVERLAPPED ov;
    sk_ov(&ov);
    DWORD n = SK_SENTINEL;
    WSABUF b = {sizeof big, big};
    SK_EXPECT_WSA(WSASend(cli, &b, 1, &n, 0, &ov, NULL), WSA_IO_PENDING);
    SIM_EXPECT(ov.InternalHigh == SK_SENTINEL);
    if (round == 0) {
      /* reset by the peer: STATUS_CONNECTION_RESET with the bytes already sent */
      reset_by_peer(srv);
      sk_expect_pkt(port, &ov, FALSE, ERROR_NETNAME_DELETED, 2000);
      SIM_EXPECT(ov.Internal == (ULONG_PTR)(uint32_t)STATUS_CONNECTION_RESET);
    } else {
      /* cancelled: STATUS_CANCELLED with the non-zero count */
      SIM_EXPECT(CancelIoEx((HANDLE)cli, &ov));
      sk_expect_pkt(port, &ov, FALSE, ERROR_OPERATION_ABORTED, 2000);
      SIM_EXPECT(closesocket(srv) == 0);
    }
    SIM_EXPECT(closesocket(cli) == 0);
  }
  SIM_EXPECT(CloseHandle(port));
  sk_cleanup();
}

/* @covers F24 */
static void f24_reset_or_cancelled_send_reports_bytes_sent(void **state) {
  (void)state;
  sk_run(f24_main, FW_PERSONALITY_WINDOWS);
}

/* @covers F24 W22 */
static void w22_wine8_reset_or_cancelled_send_reports_bytes_sent(void **state) {
  (void)state;
  sk_run(f24_main, FW_PERSONALITY_WINE8);
}

/* ---- F40 with a pending send, W3
 * ------------------------------------------------------------------ */

static void w3_main(void *arg) {
  (void)arg;
  sk_startup();
  HANDLE port = sk_port();
  SOCKET cli, srv;
  sk_tcp_pair(&cli, &srv);
  sk_assoc(port, cli, 0x73, 0);
  set_buf(cli, SO_SNDBUF, 100);
  set_buf(srv, SO_RCVBUF, 100);
  static char big[1000];
  WSABUF b = {sizeof big, big};
  OVERLAPPED ov;
  sk_ov(&ov);
  DWORD n;
  SK_EXPECT_WSA(WSASend(cli, &b, 1, &n, 0, &ov, NULL), WSA_IO_PENDING);
  SIM_EXPECT(closesocket(cli) == 0);
  /* Windows: a prompt abort; Wine 8.0: STATUS_INVALID_HANDLE with 0 bytes
   * (its 2 s delay is not reproduced) */
  if (sk_wine()) {
    sk_expect_pkt(port, &ov, FALSE, ERROR_INVALID_HANDLE, 0);
    SIM_EXPECT(ov.Internal == (ULONG_PTR)(uint32_t)STATUS_INVALID_HANDLE);
  } else {
    sk_expect_pkt(port, &ov, FALSE, ERROR_CONNECTION_ABORTED, 200);
    SIM_EXPECT(ov.Internal == (ULONG_PTR)(uint32_t)STATUS_CONNECTION_ABORTED);
  }
  SIM_EXPECT(closesocket(srv) == 0 && CloseHandle(port));
  sk_cleanup();
}

/* @covers F40 */
static void f40_close_aborts_pending_send(void **state) {
  (void)state;
  sk_run(w3_main, FW_PERSONALITY_WINDOWS);
}

/* @covers W3 */
static void w3_wine8_close_with_pending_send_reports_invalid_handle(void **state) {
  (void)state;
  sk_run(w3_main, FW_PERSONALITY_WINE8);
}

/* ---- W21
 * ------------------------------------------------------------------------------------------- */

static void w21_main(void *arg) {
  (void)arg;
  sk_startup();
  SOCKET cli, srv;
  sk_tcp_pair(&cli, &srv);
  SIM_EXPECT(shutdown(cli, SD_SEND) == 0);
  SIM_EXPECT(closesocket(cli) == 0);
  /* the send goes out; the closed peer answers with a reset */
  SIM_EXPECT(send(srv, "test", 5, 0) == 5);
  char buf[8];
  /* Windows: WSAECONNABORTED; Wine 8.0 (W21 "differs"): end of stream, as
   * after any reset there (W4) */
  if (sk_wine())
    SIM_EXPECT(recv(srv, buf, sizeof buf, 0) == 0);
  else
    SK_EXPECT_WSA(recv(srv, buf, sizeof buf, 0), WSAECONNABORTED);
  SIM_EXPECT(closesocket(srv) == 0);
  sk_cleanup();
}

/* @covers W21 */
static void w21_recv_after_sending_to_closed_peer(void **state) {
  (void)state;
  sk_run(w21_main, FW_PERSONALITY_WINDOWS);
  sk_run(w21_main, FW_PERSONALITY_WINE8);
}

/* ---- F40, W2 ------------------------------------------------------------------------------------
 */

static void f40_main(void *arg) {
  (void)arg;
  sk_startup();
  HANDLE port = sk_port();
  SOCKET cli, srv;
  sk_tcp_pair(&cli, &srv);
  sk_assoc(port, srv, 0x71, 0);
  char buf[8];
  OVERLAPPED ov[2];
  DWORD n = SK_SENTINEL;
  sk_ov(&ov[0]);
  sk_ov(&ov[1]);
  SK_EXPECT_WSA(post_recv(srv, buf, 4, &ov[0], &n), WSA_IO_PENDING);
  SK_EXPECT_WSA(post_recv(srv, buf + 4, 4, &ov[1], &n), WSA_IO_PENDING);
  SIM_EXPECT(closesocket(srv) == 0);
  /* every pending receive gets its packet: STATUS_CONNECTION_ABORTED ->
   * 1236 on Windows, STATUS_HANDLES_CLOSED -> 676 under Wine 8.0 (W2) */
  NTSTATUS want = sk_wine() ? STATUS_HANDLES_CLOSED : STATUS_CONNECTION_ABORTED;
  DWORD err = sk_wine() ? ERROR_HANDLES_CLOSED : ERROR_CONNECTION_ABORTED;
  bool seen[2] = {false, false};
  for (int i = 0; i < 2; i++) {
    sk_pkt_t p;
    SIM_EXPECT(sk_get(port, &p, 0));
    SIM_EXPECT(!p.ok && p.err == err && p.n == 0 && p.key == 0x71);
    SIM_EXPECT(p.ov == &ov[0] || p.ov == &ov[1]);
    seen[p.ov == &ov[1]] = true;
    SIM_EXPECT(p.ov->Internal == (ULONG_PTR)(uint32_t)want);
  }
  SIM_EXPECT(seen[0] && seen[1]);
  sk_expect_no_pkt(port);
  /* a packet queued before the close is still delivered after it (F8) */
  SOCKET c2, s2;
  sk_tcp_pair(&c2, &s2);
  sk_assoc(port, s2, 0x72, 0);
  SIM_EXPECT(send(c2, "q", 1, 0) == 1);
  OVERLAPPED ov3;
  sk_ov(&ov3);
  SIM_EXPECT(post_recv(s2, buf, sizeof buf, &ov3, &n) == 0);
  SIM_EXPECT(closesocket(s2) == 0 && closesocket(c2) == 0);
  sk_expect_pkt(port, &ov3, TRUE, 0, 1);
  /* the socket is gone: WSAGetOverlappedResult says WSAENOTSOCK (F18) */
  DWORD flags;
  SIM_EXPECT(!WSAGetOverlappedResult(srv, &ov[0], &n, FALSE, &flags));
  SIM_EXPECT(WSAGetLastError() == WSAENOTSOCK);
  /* the peer sees the graceful close */
  SIM_EXPECT(recv(cli, buf, sizeof buf, 0) == 0);
  SIM_EXPECT(closesocket(cli) == 0);
  SIM_EXPECT(CloseHandle(port));
  sk_cleanup();
}

/* @covers F8 F40 */
static void f40_close_aborts_pending_receives(void **state) {
  (void)state;
  sk_run(f40_main, FW_PERSONALITY_WINDOWS);
}

/* @covers F40 W2 */
static void w2_wine8_close_reports_handles_closed(void **state) {
  (void)state;
  sk_run(f40_main, FW_PERSONALITY_WINE8);
}

/* ---- F41 ----------------------------------------------------------------------------------------
 */

static void f41_main(void *arg) {
  fix_t f;
  fix_open(&f, arg);
  char buf[8];
  OVERLAPPED ov;
  DWORD n = SK_SENTINEL;
  sk_ov(&ov);
  SK_EXPECT_WSA(post_recv(f.srv, buf, sizeof buf, &ov, &n), WSA_IO_PENDING);
  /* shutdown(SD_RECEIVE) leaves it pending and queues nothing */
  SIM_EXPECT(shutdown(f.srv, SD_RECEIVE) == 0);
  sk_expect_no_pkt(f.port);
  SIM_EXPECT(ov.Internal == (ULONG_PTR)STATUS_PENDING);
  /* new receives fail with WSAESHUTDOWN */
  OVERLAPPED ov2;
  sk_ov(&ov2);
  SK_EXPECT_WSA(post_recv(f.srv, buf, sizeof buf, &ov2, &n), WSAESHUTDOWN);
  SK_EXPECT_WSA(recv(f.srv, buf, sizeof buf, 0), WSAESHUTDOWN);
  /* data that arrives still completes the pending one */
  SIM_EXPECT(send(f.cli, "test", 4, 0) == 4);
  sk_expect_pkt(f.port, &ov, TRUE, 0, 4);
  /* SD_SEND: sends fail with WSAESHUTDOWN, the peer sees FIN, no packet */
  SIM_EXPECT(shutdown(f.srv, SD_SEND) == 0);
  sk_expect_no_pkt(f.port);
  SK_EXPECT_WSA(send(f.srv, "x", 1, 0), WSAESHUTDOWN);
  SIM_EXPECT(recv(f.cli, buf, sizeof buf, 0) == 0);
  /* argument and state checks */
  SK_EXPECT_WSA(shutdown(f.srv, 7), WSAEINVAL);
  SOCKET lone = socket(AF_INET, SOCK_STREAM, 0);
  SK_EXPECT_WSA(shutdown(lone, SD_SEND), WSAENOTCONN);
  struct sockaddr_in a;
  SOCKET l = sk_listener(&a);
  SK_EXPECT_WSA(shutdown(l, SD_RECEIVE), WSAENOTCONN);
  SIM_EXPECT(closesocket(l) == 0 && closesocket(lone) == 0);
  fix_close(&f);
}

/* @covers F41 */
static void f41_shutdown_does_not_cancel(void **state) {
  (void)state;
  sk_run_modes(f41_main, FW_PERSONALITY_WINDOWS);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(f20_return_convention_immediate_pending_failed),
      cmocka_unit_test(f21_zero_byte_stream_reads),
      cmocka_unit_test(f22_fin_completes_reads_with_zero),
      cmocka_unit_test(f23_reset_fails_pending_recv_then_calls_fail_at_once),
      cmocka_unit_test(w4_wine8_recv_after_reset_reports_eof),
      cmocka_unit_test(f24_reset_or_cancelled_send_reports_bytes_sent),
      cmocka_unit_test(w22_wine8_reset_or_cancelled_send_reports_bytes_sent),
      cmocka_unit_test(f40_close_aborts_pending_send),
      cmocka_unit_test(w3_wine8_close_with_pending_send_reports_invalid_handle),
      cmocka_unit_test(w21_recv_after_sending_to_closed_peer),
      cmocka_unit_test(f40_close_aborts_pending_receives),
      cmocka_unit_test(w2_wine8_close_reports_handles_closed),
      cmocka_unit_test(f41_shutdown_does_not_cancel),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
