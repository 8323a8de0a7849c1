/* test_fw_sock_wsa.c: the rest of fakewin's Winsock - WSAEnumProtocols (F49),
 * WSAStartup/WSACleanup, the last-error slot, bind and ports, socket
 * options, ioctls, blocking calls across threads, the loopback network's
 * buffer sizes and latency, IPv6 and dual-stack, address strings, and the
 * fault plan at socket call sites. */
#include "test_fw_sock_util.h"

#include <stdio.h>

static void set_int(SOCKET s, int level, int opt, int v) {
  SIM_EXPECT(setsockopt(s, level, opt, (const char *)&v, sizeof v) == 0);
}

static int get_int(SOCKET s, int level, int opt) {
  int v = -1, len = sizeof v;
  SIM_EXPECT(getsockopt(s, level, opt, (char *)&v, &len) == 0);
  return v;
}

static void set_nonblocking(SOCKET s, u_long on) {
  SIM_EXPECT(ioctlsocket(s, FIONBIO, &on) == 0);
}

/* ---- F49
 * -------------------------------------------------------------------------------------------- */

static void f49_main(void *arg) {
  (void)arg;
  INT tcp[] = {IPPROTO_TCP, 0}, udp[] = {IPPROTO_UDP, 0};
  DWORD len = 0;
  /* before WSAStartup */
  SK_EXPECT_WSA(WSAEnumProtocolsW(tcp, NULL, &len), WSANOTINITIALISED);
  sk_startup();
  /* the size query: WSAENOBUFS and the length needed (1256 for two entries) */
  len = 0;
  SK_EXPECT_WSA(WSAEnumProtocolsW(tcp, NULL, &len), WSAENOBUFS);
  SIM_EXPECT(len == 2 * sizeof(WSAPROTOCOL_INFOW) && len == 1256);
  WSAPROTOCOL_INFOW pi[8];
  DWORD small = sizeof pi[0];
  SK_EXPECT_WSA(WSAEnumProtocolsW(tcp, pi, &small), WSAENOBUFS);
  SIM_EXPECT(small == 1256);
  len = sizeof pi;
  int n = WSAEnumProtocolsW(tcp, pi, &len);
  SIM_EXPECT(n == 2);
  bool fam[2] = {false, false};
  for (int i = 0; i < n; i++) {
    SIM_EXPECT(pi[i].iProtocol == IPPROTO_TCP && pi[i].iSocketType == SOCK_STREAM);
    SIM_EXPECT(pi[i].dwServiceFlags1 == 0x20066);
    SIM_EXPECT(pi[i].ProtocolChain.ChainLen == BASE_PROTOCOL);
    fam[pi[i].iAddressFamily == AF_INET6] = true;
  }
  SIM_EXPECT(fam[0] && fam[1]);
  len = sizeof pi;
  n = WSAEnumProtocolsW(udp, pi, &len);
  SIM_EXPECT(n == 2 && pi[0].dwServiceFlags1 == 0x20609 && pi[0].iSocketType == SOCK_DGRAM);
  len = sizeof pi;
  SIM_EXPECT(WSAEnumProtocolsW(NULL, pi, &len) == 4);
  WSAPROTOCOL_INFOA pa[4];
  len = sizeof pa;
  SIM_EXPECT(WSAEnumProtocolsA(tcp, pa, &len) == 2 && strstr(pa[0].szProtocol, "TCP") != NULL);
  /* a non-IFS LSP on TCP (KB2568167) clears XP1_IFS_HANDLES */
  fw_world_set_tcp_ifs(false);
  len = sizeof pi;
  SIM_EXPECT(WSAEnumProtocolsW(tcp, pi, &len) == 2);
  SIM_EXPECT(!(pi[0].dwServiceFlags1 & XP1_IFS_HANDLES) &&
             !(pi[1].dwServiceFlags1 & XP1_IFS_HANDLES));
  len = sizeof pi;
  SIM_EXPECT(WSAEnumProtocolsW(udp, pi, &len) == 2 && (pi[0].dwServiceFlags1 & XP1_IFS_HANDLES));
  fw_world_set_tcp_ifs(true);
  /* the same through the fault plan */
  char why[128];
  SIM_EXPECT(fw_fault_add_text("WSAEnumProtocolsW nth=1 -> non-ifs", why, sizeof why) != 0);
  len = sizeof pi;
  SIM_EXPECT(WSAEnumProtocolsW(tcp, pi, &len) == 2 && !(pi[0].dwServiceFlags1 & XP1_IFS_HANDLES));
  len = sizeof pi;
  SIM_EXPECT(WSAEnumProtocolsW(tcp, pi, &len) == 2 && (pi[0].dwServiceFlags1 & XP1_IFS_HANDLES));
  fw_fault_clear();
  sk_cleanup();
}

/* @covers F49 */
static void f49_enum_protocols_flags_and_size_query(void **state) {
  (void)state;
  sk_run(f49_main, FW_PERSONALITY_WINDOWS);
  fw_fault_clear();
}

/* ---- WSAStartup, last error
 * ----------------------------------------------------------------------------- */

static void startup_main(void *arg) {
  (void)arg;
  SIM_EXPECT(socket(AF_INET, SOCK_STREAM, 0) == INVALID_SOCKET &&
             WSAGetLastError() == WSANOTINITIALISED);
  SK_EXPECT_WSA(WSACleanup(), WSANOTINITIALISED);
  WSADATA d;
  SIM_EXPECT(WSAStartup(MAKEWORD(2, 2), NULL) == WSAEFAULT);
  /* B1: the fault plan makes it fail with its return value */
  char why[128];
  SIM_EXPECT(fw_fault_add_text("WSAStartup nth=1 -> error code=WSASYSNOTREADY", why, sizeof why) !=
             0);
  SIM_EXPECT(WSAStartup(MAKEWORD(2, 2), &d) == WSASYSNOTREADY);
  SIM_EXPECT(socket(AF_INET, SOCK_STREAM, 0) == INVALID_SOCKET);
  SIM_EXPECT(WSAStartup(MAKEWORD(2, 2), &d) == 0);
  SIM_EXPECT(d.wVersion == MAKEWORD(2, 2) && d.wHighVersion == MAKEWORD(2, 2));
  SIM_EXPECT(WSAStartup(MAKEWORD(3, 0), &d) == 0 && d.wVersion == MAKEWORD(2, 2));
  /* the last-error slot is GetLastError's */
  SetLastError(1234);
  SIM_EXPECT(WSAGetLastError() == 1234);
  WSASetLastError(WSAECONNRESET);
  SIM_EXPECT(GetLastError() == WSAECONNRESET);
  SIM_EXPECT(WSACleanup() == 0 && WSACleanup() == 0);
  SK_EXPECT_WSA(WSACleanup(), WSANOTINITIALISED);
  fw_fault_clear();
}

static void wsastartup_cleanup_and_last_error(void **state) {
  (void)state;
  sk_run(startup_main, FW_PERSONALITY_WINDOWS);
  fw_fault_clear();
}

/* ---- bind, ports
 * ----------------------------------------------------------------------------------------- */

static void bind_main(void *arg) {
  (void)arg;
  sk_startup();
  struct sockaddr_in a = sk_addr4(0), got;
  int len = sizeof got;
  /* ephemeral ports are deterministic: the first is ephemeral_first */
  SOCKET s1 = socket(AF_INET, SOCK_STREAM, 0);
  SIM_EXPECT(bind(s1, (struct sockaddr *)&a, sizeof a) == 0);
  SIM_EXPECT(getsockname(s1, (struct sockaddr *)&got, &len) == 0 && ntohs(got.sin_port) == 49152);
  SK_EXPECT_WSA(bind(s1, (struct sockaddr *)&a, sizeof a), WSAEINVAL);
  /* the same port again: in use; SO_REUSEADDR shares it; SO_EXCLUSIVEADDRUSE refuses */
  SOCKET s2 = socket(AF_INET, SOCK_STREAM, 0);
  SK_EXPECT_WSA(bind(s2, (struct sockaddr *)&got, sizeof got), WSAEADDRINUSE);
  set_int(s2, SOL_SOCKET, SO_REUSEADDR, 1);
  SIM_EXPECT(bind(s2, (struct sockaddr *)&got, sizeof got) == 0);
  SOCKET s3 = socket(AF_INET, SOCK_STREAM, 0);
  set_int(s3, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1);
  struct sockaddr_in a3 = sk_addr4(0);
  SIM_EXPECT(bind(s3, (struct sockaddr *)&a3, sizeof a3) == 0);
  len = sizeof a3;
  SIM_EXPECT(getsockname(s3, (struct sockaddr *)&a3, &len) == 0 && ntohs(a3.sin_port) == 49153);
  SOCKET s4 = socket(AF_INET, SOCK_STREAM, 0);
  set_int(s4, SOL_SOCKET, SO_REUSEADDR, 1);
  SK_EXPECT_WSA(bind(s4, (struct sockaddr *)&a3, sizeof a3), WSAEACCES);
  /* the wildcard overlaps a specific address; UDP ports are separate */
  struct sockaddr_in wild = a3;
  wild.sin_addr.s_addr = htonl(INADDR_ANY);
  SOCKET s5 = socket(AF_INET, SOCK_STREAM, 0);
  SK_EXPECT_WSA(bind(s5, (struct sockaddr *)&wild, sizeof wild), WSAEADDRINUSE);
  SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
  SIM_EXPECT(bind(u, (struct sockaddr *)&a3, sizeof a3) == 0);
  /* no such local address; a closed socket frees its port */
  struct sockaddr_in far = sk_addr4(0);
  far.sin_addr.s_addr = htonl(0x0a000001);
  SOCKET s6 = socket(AF_INET, SOCK_STREAM, 0);
  SK_EXPECT_WSA(bind(s6, (struct sockaddr *)&far, sizeof far), WSAEADDRNOTAVAIL);
  SIM_EXPECT(closesocket(s3) == 0);
  SIM_EXPECT(bind(s6, (struct sockaddr *)&a3, sizeof a3) == 0);
  /* an unbound socket has no name */
  struct sockaddr_in x;
  len = sizeof x;
  SK_EXPECT_WSA(getsockname(s5, (struct sockaddr *)&x, &len), WSAEINVAL);
  len = 4;
  SK_EXPECT_WSA(getsockname(s1, (struct sockaddr *)&x, &len), WSAEFAULT);
  SOCKET all[] = {s1, s2, s4, s5, s6, u};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) SIM_EXPECT(closesocket(all[i]) == 0);
  SK_EXPECT_WSA(closesocket(s1), WSAENOTSOCK);
  sk_cleanup();
}

static void bind_ephemeral_ports_and_address_reuse(void **state) {
  (void)state;
  sk_run(bind_main, FW_PERSONALITY_WINDOWS);
}

/* ---- options and ioctls
 * ------------------------------------------------------------------------------------ */

static void opts_main(void *arg) {
  (void)arg;
  sk_startup();
  SOCKET c, s;
  sk_tcp_pair(&c, &s);
  SIM_EXPECT(get_int(c, SOL_SOCKET, SO_TYPE) == SOCK_STREAM);
  SIM_EXPECT(get_int(c, SOL_SOCKET, SO_RCVBUF) == 65536 &&
             get_int(c, SOL_SOCKET, SO_SNDBUF) == 65536);
  set_int(c, SOL_SOCKET, SO_RCVBUF, 1234);
  SIM_EXPECT(get_int(c, SOL_SOCKET, SO_RCVBUF) == 1234);
  SIM_EXPECT(get_int(c, IPPROTO_TCP, TCP_NODELAY) == 0);
  set_int(c, IPPROTO_TCP, TCP_NODELAY, 1);
  SIM_EXPECT(get_int(c, IPPROTO_TCP, TCP_NODELAY) == 1);
  struct linger lg = {7, 7};
  int len = sizeof lg;
  SIM_EXPECT(getsockopt(c, SOL_SOCKET, SO_LINGER, (char *)&lg, &len) == 0 && lg.l_onoff == 0);
  int v;
  len = 2;
  SK_EXPECT_WSA(getsockopt(c, SOL_SOCKET, SO_RCVBUF, (char *)&v, &len), WSAEFAULT);
  len = sizeof v;
  SK_EXPECT_WSA(getsockopt(c, SOL_SOCKET, 0x7777, (char *)&v, &len), WSAENOPROTOOPT);
  SK_EXPECT_WSA(setsockopt(c, SOL_SOCKET, SO_TYPE, (char *)&v, sizeof v), WSAENOPROTOOPT);
  WSAPROTOCOL_INFOW pi;
  len = sizeof pi;
  SIM_EXPECT(getsockopt(c, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&pi, &len) == 0 &&
             pi.iProtocol == IPPROTO_TCP);
  /* FIONREAD, FIONBIO */
  SIM_EXPECT(send(s, "12345", 5, 0) == 5);
  u_long avail = 0;
  SIM_EXPECT(ioctlsocket(c, FIONREAD, &avail) == 0 && avail == 5);
  char buf[8];
  SIM_EXPECT(recv(c, buf, sizeof buf, 0) == 5);
  set_nonblocking(c, 1);
  SK_EXPECT_WSA(recv(c, buf, sizeof buf, 0), WSAEWOULDBLOCK);
  /* WSAIoctl: unknown codes and GUIDs */
  DWORD ret;
  SK_EXPECT_WSA(WSAIoctl(c, 0x88887777, NULL, 0, NULL, 0, &ret, NULL, NULL), WSAEOPNOTSUPP);
  GUID bogus = {1, 2, 3, {4, 5, 6, 7, 8, 9, 10, 11}};
  void *fn;
  SK_EXPECT_WSA(WSAIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, &bogus, sizeof bogus, &fn,
                         sizeof fn, &ret, NULL, NULL),
                WSAEINVAL);
  SOCKET base = 0;
  SIM_EXPECT(WSAIoctl(c, SIO_BASE_HANDLE, NULL, 0, &base, sizeof base, &ret, NULL, NULL) == 0 &&
             base == c);
  SK_EXPECT_WSA(ioctlsocket(c, 0x12345, &avail), WSAEINVAL);
  /* SIO_UDP_CONNRESET is for UDP sockets */
  BOOL off = FALSE;
  SK_EXPECT_WSA(WSAIoctl(c, SIO_UDP_CONNRESET, &off, sizeof off, NULL, 0, &ret, NULL, NULL),
                WSAEINVAL);
  /* IPv6 options: V6ONLY on by default, only before bind, only on IPv6 sockets */
  SK_EXPECT_WSA(setsockopt(c, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, sizeof v), WSAEINVAL);
  SOCKET s6 = socket(AF_INET6, SOCK_STREAM, 0);
  SIM_EXPECT(get_int(s6, IPPROTO_IPV6, IPV6_V6ONLY) == 1);
  set_int(s6, IPPROTO_IPV6, IPV6_V6ONLY, 0);
  SIM_EXPECT(get_int(s6, IPPROTO_IPV6, IPV6_V6ONLY) == 0);
  SOCKADDR_IN6 a6;
  IN6ADDR_SETLOOPBACK(&a6);
  SIM_EXPECT(bind(s6, (struct sockaddr *)&a6, sizeof a6) == 0);
  v = 1;
  SK_EXPECT_WSA(setsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, sizeof v), WSAEINVAL);
  /* a non-blocking connect reports WSAEWOULDBLOCK; a refusal lands in SO_ERROR */
  struct sockaddr_in dead;
  SOCKET t = sk_listener(&dead);
  SIM_EXPECT(closesocket(t) == 0);
  SOCKET nb = socket(AF_INET, SOCK_STREAM, 0);
  set_nonblocking(nb, 1);
  SK_EXPECT_WSA(connect(nb, (struct sockaddr *)&dead, sizeof dead), WSAEWOULDBLOCK);
  SIM_EXPECT(get_int(nb, SOL_SOCKET, SO_ERROR) == WSAECONNREFUSED);
  SIM_EXPECT(get_int(nb, SOL_SOCKET, SO_ERROR) == 0);
  SIM_EXPECT(closesocket(nb) == 0 && closesocket(s6) == 0 && closesocket(c) == 0 &&
             closesocket(s) == 0);
  sk_cleanup();
}

static void socket_options_and_ioctls(void **state) {
  (void)state;
  sk_run(opts_main, FW_PERSONALITY_WINDOWS);
}

/* ---- blocking calls across threads
 * ------------------------------------------------------------------------ */

typedef struct blk {
  SOCKET s;
  int ret, err;
  char buf[16];
  SOCKET accepted;
} blk_t;

static DWORD WINAPI recv_thread(LPVOID p) {
  blk_t *b = p;
  b->ret = recv(b->s, b->buf, sizeof b->buf, 0);
  b->err = b->ret < 0 ? WSAGetLastError() : 0;
  return 0;
}

static DWORD WINAPI accept_thread(LPVOID p) {
  blk_t *b = p;
  b->accepted = accept(b->s, NULL, NULL);
  b->err = b->accepted == INVALID_SOCKET ? WSAGetLastError() : 0;
  return 0;
}

static void join(HANDLE t) {
  SIM_EXPECT(WaitForSingleObject(t, INFINITE) == WAIT_OBJECT_0);
  SIM_EXPECT(CloseHandle(t));
}

static void blocking_main(void *arg) {
  (void)arg;
  sk_startup();
  SOCKET c, s;
  sk_tcp_pair(&c, &s);
  /* a blocked recv returns when data arrives */
  blk_t b = {.s = s};
  HANDLE t = CreateThread(NULL, 0, recv_thread, &b, 0, NULL);
  Sleep(5);
  SIM_EXPECT(send(c, "wake", 4, 0) == 4);
  join(t);
  SIM_EXPECT(b.ret == 4 && memcmp(b.buf, "wake", 4) == 0);
  /* a blocked accept returns with the connection */
  struct sockaddr_in la;
  SOCKET l = sk_listener(&la);
  blk_t ab = {.s = l};
  t = CreateThread(NULL, 0, accept_thread, &ab, 0, NULL);
  Sleep(5);
  SOCKET c2 = socket(AF_INET, SOCK_STREAM, 0);
  SIM_EXPECT(connect(c2, (struct sockaddr *)&la, sizeof la) == 0);
  join(t);
  SIM_EXPECT(ab.accepted != INVALID_SOCKET);
  /* closing the socket from another thread ends a blocked recv with WSAEINTR */
  blk_t cb = {.s = c2};
  t = CreateThread(NULL, 0, recv_thread, &cb, 0, NULL);
  Sleep(5);
  SIM_EXPECT(closesocket(c2) == 0);
  join(t);
  SIM_EXPECT(cb.ret == SOCKET_ERROR && cb.err == WSAEINTR);
  /* SO_RCVTIMEO ends it with WSAETIMEDOUT, at that virtual time */
  DWORD ms = 30;
  SIM_EXPECT(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof ms) == 0);
  char buf[4];
  DWORD t0 = GetTickCount();
  SK_EXPECT_WSA(recv(c, buf, sizeof buf, 0), WSAETIMEDOUT);
  SIM_EXPECT(GetTickCount() - t0 >= 30);
  SIM_EXPECT(closesocket(ab.accepted) == 0 && closesocket(l) == 0 && closesocket(c) == 0 &&
             closesocket(s) == 0);
  sk_cleanup();
}

static void blocking_calls_wake_on_data_connection_close_and_timeout(void **state) {
  (void)state;
  sk_run(blocking_main, FW_PERSONALITY_WINDOWS);
}

/* ---- buffer sizes, FIFO, latency
 * ---------------------------------------------------------------------------- */

static void buffers_main(void *arg) {
  (void)arg;
  sk_startup();
  HANDLE port = sk_port();
  SOCKET c, s;
  sk_tcp_pair(&c, &s);
  sk_assoc(port, c, 1, 0);
  sk_assoc(port, s, 2, 0);
  set_int(c, SOL_SOCKET, SO_SNDBUF, 100);
  set_int(s, SOL_SOCKET, SO_RCVBUF, 100);
  static char data[500];
  for (int i = 0; i < (int)sizeof data; i++) data[i] = (char)i;
  /* 200 bytes fit (100 + 100): done at once */
  WSABUF b1 = {200, data};
  OVERLAPPED o1, o2, o3;
  sk_ov(&o1);
  DWORD n = 0;
  SIM_EXPECT(WSASend(c, &b1, 1, &n, 0, &o1, NULL) == 0 && n == 200);
  sk_expect_pkt(port, &o1, TRUE, 0, 200);
  /* the next 300 do not: pending until the reader makes room */
  WSABUF b2 = {300, data + 200};
  sk_ov(&o2);
  SK_EXPECT_WSA(WSASend(c, &b2, 1, &n, 0, &o2, NULL), WSA_IO_PENDING);
  sk_expect_no_pkt(port);
  char got[500];
  int have = 0;
  while (have < 500) {
    int r = recv(s, got + have, 64, 0);
    SIM_EXPECT(r > 0);
    have += r;
  }
  SIM_EXPECT(memcmp(got, data, 500) == 0);
  sk_expect_pkt(port, &o2, TRUE, 0, 300);
  /* two pending receives complete in issue order when data comes at once */
  char r1[3], r2[3];
  DWORD flags = 0;
  WSABUF rb1 = {3, r1}, rb2 = {3, r2};
  sk_ov(&o1);
  sk_ov(&o3);
  SK_EXPECT_WSA(WSARecv(s, &rb1, 1, &n, &flags, &o1, NULL), WSA_IO_PENDING);
  SK_EXPECT_WSA(WSARecv(s, &rb2, 1, &n, &flags, &o3, NULL), WSA_IO_PENDING);
  SIM_EXPECT(send(c, "abcdef", 6, 0) == 6);
  sk_expect_pkt(port, &o1, TRUE, 0, 3);
  sk_expect_pkt(port, &o3, TRUE, 0, 3);
  SIM_EXPECT(memcmp(r1, "abc", 3) == 0 && memcmp(r2, "def", 3) == 0);
  SIM_EXPECT(closesocket(c) == 0 && closesocket(s) == 0 && CloseHandle(port));
  sk_cleanup();
}

static void buffer_sizes_shape_pending_sends_and_fifo_completions(void **state) {
  (void)state;
  sk_run(buffers_main, FW_PERSONALITY_WINDOWS);
}

static void latency_main(void *arg) {
  (void)arg;
  sk_startup();
  SOCKET c, s;
  uint64_t t0 = sim_now();
  sk_tcp_pair(&c, &s);
  /* a blocking connect takes one round trip */
  SIM_EXPECT(sim_now() - t0 >= 2000000u);
  set_nonblocking(s, 1);
  char buf[8];
  SIM_EXPECT(send(c, "late", 4, 0) == 4);
  SK_EXPECT_WSA(recv(s, buf, sizeof buf, 0), WSAEWOULDBLOCK);
  Sleep(1);
  SIM_EXPECT(recv(s, buf, sizeof buf, 0) == 4 && memcmp(buf, "late", 4) == 0);
  /* the FIN travels too */
  SIM_EXPECT(shutdown(c, SD_SEND) == 0);
  SK_EXPECT_WSA(recv(s, buf, sizeof buf, 0), WSAEWOULDBLOCK);
  Sleep(1);
  SIM_EXPECT(recv(s, buf, sizeof buf, 0) == 0);
  SIM_EXPECT(closesocket(c) == 0 && closesocket(s) == 0);
  /* datagrams and resets travel too */
  struct sockaddr_in ua, ub;
  SOCKET a = sk_udp(&ua), b = sk_udp(&ub);
  set_nonblocking(b, 1);
  SIM_EXPECT(sendto(a, "dg", 2, 0, (struct sockaddr *)&ub, sizeof ub) == 2);
  SK_EXPECT_WSA(recv(b, buf, sizeof buf, 0), WSAEWOULDBLOCK);
  Sleep(1);
  SIM_EXPECT(recv(b, buf, sizeof buf, 0) == 2);
  sk_tcp_pair(&c, &s);
  set_nonblocking(s, 1);
  struct linger lg = {1, 0};
  SIM_EXPECT(setsockopt(c, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg) == 0);
  SIM_EXPECT(closesocket(c) == 0);
  SK_EXPECT_WSA(recv(s, buf, sizeof buf, 0), WSAEWOULDBLOCK);
  Sleep(1);
  SK_EXPECT_WSA(recv(s, buf, sizeof buf, 0), WSAECONNRESET);
  SIM_EXPECT(closesocket(s) == 0);
  /* still in flight when the world ends: freed with the world */
  SIM_EXPECT(sendto(a, "late", 4, 0, (struct sockaddr *)&ub, sizeof ub) == 4);
  SIM_EXPECT(closesocket(a) == 0 && closesocket(b) == 0);
  sk_cleanup();
}

static void latency_delays_data_fin_and_handshake(void **state) {
  (void)state;
  fw_net_config_t cfg;
  fw_world_net_defaults(&cfg);
  cfg.latency_ns = 1000000; /* 1 ms */
  fw_world_set_net(&cfg);
  sk_run(latency_main, FW_PERSONALITY_WINDOWS);
}

/* ---- IPv6, dual stack
 * ------------------------------------------------------------------------------------------ */

static void ipv6_main(void *arg) {
  (void)arg;
  sk_startup();
  SOCKET l = socket(AF_INET6, SOCK_STREAM, 0);
  set_int(l, IPPROTO_IPV6, IPV6_V6ONLY, 0);
  SOCKADDR_IN6 a6;
  IN6ADDR_SETANY(&a6);
  SIM_EXPECT(bind(l, (struct sockaddr *)&a6, sizeof a6) == 0);
  int len = sizeof a6;
  SIM_EXPECT(getsockname(l, (struct sockaddr *)&a6, &len) == 0 && len == (int)sizeof a6);
  SIM_EXPECT(listen(l, 4) == 0);
  /* over ::1 */
  SOCKET c6 = socket(AF_INET6, SOCK_STREAM, 0);
  SOCKADDR_IN6 to6;
  IN6ADDR_SETLOOPBACK(&to6);
  to6.sin6_port = a6.sin6_port;
  SIM_EXPECT(connect(c6, (struct sockaddr *)&to6, sizeof to6) == 0);
  SOCKADDR_IN6 peer;
  len = sizeof peer;
  SOCKET s6 = accept(l, (struct sockaddr *)&peer, &len);
  SIM_EXPECT(s6 != INVALID_SOCKET && peer.sin6_family == AF_INET6 &&
             IN6_IS_ADDR_LOOPBACK(&peer.sin6_addr));
  /* an IPv4 client reaches the dual-stack listener and shows up v4-mapped */
  SOCKET c4 = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in to4 = sk_addr4(ntohs(a6.sin6_port));
  SIM_EXPECT(connect(c4, (struct sockaddr *)&to4, sizeof to4) == 0);
  len = sizeof peer;
  SOCKET s4 = accept(l, (struct sockaddr *)&peer, &len);
  SIM_EXPECT(s4 != INVALID_SOCKET && IN6_IS_ADDR_V4MAPPED(&peer.sin6_addr));
  char txt[INET6_ADDRSTRLEN];
  SIM_EXPECT(inet_ntop(AF_INET6, &peer.sin6_addr, txt, sizeof txt) != NULL &&
             strcmp(txt, "::ffff:127.0.0.1") == 0);
  SIM_EXPECT(send(c4, "v4", 2, 0) == 2);
  char buf[4];
  SIM_EXPECT(recv(s4, buf, sizeof buf, 0) == 2);
  SOCKET all[] = {l, c6, s6, c4, s4};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) SIM_EXPECT(closesocket(all[i]) == 0);
  sk_cleanup();
}

static void ipv6_loopback_and_dual_stack(void **state) {
  (void)state;
  sk_run(ipv6_main, FW_PERSONALITY_WINDOWS);
}

/* ---- address strings, byte order
 * ------------------------------------------------------------------------------ */

static void strings_main(void *arg) {
  (void)arg;
  SIM_EXPECT(htons(0x1234) == 0x3412 && ntohs(0x3412) == 0x1234);
  SIM_EXPECT(htonl(0x01020304) == 0x04030201 && ntohl(0x04030201) == 0x01020304);
  uint8_t v4[4];
  SIM_EXPECT(inet_pton(AF_INET, "127.0.0.1", v4) == 1 && v4[0] == 127 && v4[3] == 1);
  SIM_EXPECT(inet_pton(AF_INET, "256.0.0.1", v4) == 0);
  SIM_EXPECT(inet_pton(AF_INET, "1.2.3", v4) == 0);
  SIM_EXPECT(inet_pton(AF_INET, "01.2.3.4", v4) == 0);
  SIM_EXPECT(inet_pton(99, "1.2.3.4", v4) == -1 && WSAGetLastError() == WSAEAFNOSUPPORT);
  static const struct {
    const char *in, *out;
  } v6[] = {{"::1", "::1"},
            {"::", "::"},
            {"2001:db8::1", "2001:db8::1"},
            {"2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1"},
            {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},
            {"::ffff:10.1.2.3", "::ffff:10.1.2.3"},
            {"fe80::1:2", "fe80::1:2"},
            {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"}};
  for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
    uint8_t a[16];
    char txt[INET6_ADDRSTRLEN];
    SIM_EXPECT(inet_pton(AF_INET6, v6[i].in, a) == 1);
    SIM_EXPECT(inet_ntop(AF_INET6, a, txt, sizeof txt) == txt);
    SIM_EXPECT(strcmp(txt, v6[i].out) == 0);
  }
  uint8_t a[16];
  SIM_EXPECT(inet_pton(AF_INET6, "1::2::3", a) == 0);
  SIM_EXPECT(inet_pton(AF_INET6, "1:2:3:4:5:6:7:8:9", a) == 0);
  SIM_EXPECT(inet_pton(AF_INET6, ":1", a) == 0);
  char small[4];
  SIM_EXPECT(inet_ntop(AF_INET, v4, small, sizeof small) == NULL &&
             WSAGetLastError() == ERROR_INVALID_PARAMETER);
  SIM_EXPECT(inet_addr("127.0.0.1") == htonl(INADDR_LOOPBACK));
  SIM_EXPECT(inet_addr("0x7f.1") == htonl(0x7f000001));
  SIM_EXPECT(inet_addr("1.2.3.400") == INADDR_NONE);
  struct in_addr ia;
  ia.s_addr = htonl(0x0a000102);
  SIM_EXPECT(strcmp(inet_ntoa(ia), "10.0.1.2") == 0);
}

static void address_strings_and_byte_order(void **state) {
  (void)state;
  sk_run(strings_main, FW_PERSONALITY_WINDOWS);
}

/* ---- the fault plan at socket sites
 * ------------------------------------------------------------------------------ */

static void faults_main(void *arg) {
  (void)arg;
  sk_startup();
  HANDLE port = sk_port();
  SOCKET c, s;
  sk_tcp_pair(&c, &s);
  sk_assoc(port, s, 9, 0);
  char why[160];
  char buf[16];
  /* rules count the calls made after they were added; a pending receive forced to fail with a reset
   * (B94-like outcomes) */
  SIM_EXPECT(
      fw_fault_add_text("WSARecv nth=1 -> pending status=STATUS_CONNECTION_RESET bytes=0 at=5ms",
                        why, sizeof why) != 0);
  OVERLAPPED ov;
  sk_ov(&ov);
  DWORD n, flags = 0;
  WSABUF b = {sizeof buf, buf};
  SK_EXPECT_WSA(WSARecv(s, &b, 1, &n, &flags, &ov, NULL), WSA_IO_PENDING);
  sk_expect_no_pkt(port);
  sk_pkt_t p;
  SIM_EXPECT(sk_get(port, &p, 100) && !p.ok && p.err == ERROR_NETNAME_DELETED && p.ov == &ov);
  SIM_EXPECT(sim_now() >= 5000000u);
  /* a forced success moves real data */
  SIM_EXPECT(send(c, "forced", 6, 0) == 6);
  SIM_EXPECT(fw_fault_add_text("WSARecv nth=1 -> pending bytes=4 at=1ms", why, sizeof why) != 0);
  sk_ov(&ov);
  SK_EXPECT_WSA(WSARecv(s, &b, 1, &n, &flags, &ov, NULL), WSA_IO_PENDING);
  SIM_EXPECT(sk_get(port, &p, 100) && p.ok && p.n == 4 && memcmp(buf, "forc", 4) == 0);
  SIM_EXPECT(recv(s, buf, sizeof buf, 0) == 2 && memcmp(buf, "ed", 2) == 0);
  /* a short send moves fewer bytes */
  SIM_EXPECT(fw_fault_add_text("send nth=1 -> short bytes=3", why, sizeof why) != 0);
  SIM_EXPECT(send(c, "abcdef", 6, 0) == 3);
  SIM_EXPECT(recv(s, buf, sizeof buf, 0) == 3);
  /* the peer resets at a time: the pending receive fails */
  SIM_EXPECT(fw_fault_add_text("WSARecv nth=1 -> peer-rst at=2ms", why, sizeof why) != 0);
  sk_ov(&ov);
  SK_EXPECT_WSA(WSARecv(s, &b, 1, &n, &flags, &ov, NULL), WSA_IO_PENDING);
  SIM_EXPECT(sk_get(port, &p, 100) && !p.ok && p.err == ERROR_NETNAME_DELETED && p.ov == &ov);
  SK_EXPECT_WSA(send(c, "x", 1, 0), WSAECONNABORTED);
  /* a peer FIN some time after the call: the peer of s shuts down its side */
  SIM_EXPECT(closesocket(c) == 0 && closesocket(s) == 0);
  sk_tcp_pair(&c, &s);
  sk_assoc(port, s, 10, 0);
  SIM_EXPECT(fw_fault_add_text("WSARecv nth=1 -> peer-fin after=3ms", why, sizeof why) != 0);
  uint64_t t_fin = sim_now();
  sk_ov(&ov);
  SK_EXPECT_WSA(WSARecv(s, &b, 1, &n, &flags, &ov, NULL), WSA_IO_PENDING);
  SIM_EXPECT(sk_get(port, &p, 100) && p.ok && p.n == 0 && p.ov == &ov);
  SIM_EXPECT(sim_now() - t_fin >= 3000000u);
  SK_EXPECT_WSA(send(c, "x", 1, 0), WSAESHUTDOWN);
  SIM_EXPECT(send(s, "back", 4, 0) == 4 && recv(c, buf, sizeof buf, 0) == 4);
  /* a synchronous error */
  SIM_EXPECT(fw_fault_add_text("bind nth=1 -> error code=WSAEADDRINUSE", why, sizeof why) != 0);
  SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = sk_addr4(0);
  SK_EXPECT_WSA(bind(t, (struct sockaddr *)&a, sizeof a), WSAEADDRINUSE);
  SIM_EXPECT(bind(t, (struct sockaddr *)&a, sizeof a) == 0);
  SIM_EXPECT(closesocket(t) == 0 && closesocket(c) == 0 && closesocket(s) == 0 &&
             CloseHandle(port));
  fw_fault_clear();
  sk_cleanup();
}

static void fault_plan_outcomes_at_socket_calls(void **state) {
  (void)state;
  sk_run(faults_main, FW_PERSONALITY_WINDOWS);
  fw_fault_clear();
}

/* ---- DisconnectEx, UDP association
 * ------------------------------------------------------------------------------ */

static void disconnect_main(void *arg) {
  UCHAR modes = (UCHAR)(uintptr_t)arg;
  sk_startup();
  static const GUID gd = WSAID_DISCONNECTEX, ga = WSAID_ACCEPTEX;
  HANDLE port = sk_port();
  struct sockaddr_in la;
  SOCKET l = sk_listener(&la);
  LPFN_DISCONNECTEX pDisconnectEx = (LPFN_DISCONNECTEX)sk_ext(l, gd);
  LPFN_ACCEPTEX pAcceptEx = (LPFN_ACCEPTEX)sk_ext(l, ga);
  SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
  sk_assoc(port, c, 5, modes);
  OVERLAPPED ov;
  sk_ov(&ov);
  /* not connected */
  SIM_EXPECT(!pDisconnectEx(c, &ov, 0, 0) && WSAGetLastError() == WSAENOTCONN);
  SIM_EXPECT(connect(c, (struct sockaddr *)&la, sizeof la) == 0);
  SOCKET s = accept(l, NULL, NULL);
  /* pending, then a packet in either mode; the peer sees FIN */
  SIM_EXPECT(!pDisconnectEx(c, &ov, TF_REUSE_SOCKET, 0) && WSAGetLastError() == ERROR_IO_PENDING);
  sk_pkt_t p;
  SIM_EXPECT(sk_get(port, &p, 100) && p.ok && p.ov == &ov && p.n == 0);
  char buf[4];
  SIM_EXPECT(recv(s, buf, sizeof buf, 0) == 0);
  /* TF_REUSE_SOCKET: the socket can be accepted into again */
  char out[2 * (sizeof(struct sockaddr_in) + 16)];
  DWORD n;
  sk_ov(&ov);
  SIM_EXPECT(!pAcceptEx(l, c, out, 0, sizeof(struct sockaddr_in) + 16,
                        sizeof(struct sockaddr_in) + 16, &n, &ov));
  SIM_EXPECT(WSAGetLastError() == ERROR_IO_PENDING);
  SOCKET c2 = socket(AF_INET, SOCK_STREAM, 0);
  SIM_EXPECT(connect(c2, (struct sockaddr *)&la, sizeof la) == 0);
  SIM_EXPECT(HasOverlappedIoCompleted(&ov) && ov.Internal == 0);
  /* an accept socket of another family is refused */
  SOCKET c6 = socket(AF_INET6, SOCK_STREAM, 0);
  sk_ov(&ov);
  SIM_EXPECT(!pAcceptEx(l, c6, out, 0, sizeof(struct sockaddr_in) + 16,
                        sizeof(struct sockaddr_in) + 16, &n, &ov));
  SIM_EXPECT(WSAGetLastError() == WSAEINVAL);
  SOCKET all[] = {l, c, s, c2, c6};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) SIM_EXPECT(closesocket(all[i]) == 0);
  SIM_EXPECT(CloseHandle(port));

  /* a connected UDP socket takes datagrams from its peer only; AF_UNSPEC
   * dissolves the association */
  struct sockaddr_in aa, ba, xa;
  SOCKET a = sk_udp(&aa), b = sk_udp(&ba), x = sk_udp(&xa);
  SIM_EXPECT(connect(b, (struct sockaddr *)&aa, sizeof aa) == 0);
  SIM_EXPECT(sendto(x, "no", 2, 0, (struct sockaddr *)&ba, sizeof ba) == 2);
  SIM_EXPECT(sendto(a, "yes", 3, 0, (struct sockaddr *)&ba, sizeof ba) == 3);
  SIM_EXPECT(recv(b, buf, sizeof buf, 0) == 3 && memcmp(buf, "yes", 3) == 0);
  SIM_EXPECT(send(b, "up", 2, 0) == 2 && recv(a, buf, sizeof buf, 0) == 2);
  struct sockaddr un;
  memset(&un, 0, sizeof un);
  un.sa_family = AF_UNSPEC;
  SIM_EXPECT(connect(b, &un, sizeof un) == 0);
  SK_EXPECT_WSA(send(b, "up", 2, 0), WSAENOTCONN);
  SIM_EXPECT(sendto(x, "now", 3, 0, (struct sockaddr *)&ba, sizeof ba) == 3);
  SIM_EXPECT(recv(b, buf, sizeof buf, 0) == 3 && memcmp(buf, "now", 3) == 0);
  SIM_EXPECT(closesocket(a) == 0 && closesocket(b) == 0 && closesocket(x) == 0);
  sk_cleanup();
}

static void disconnectex_reuse_and_udp_association(void **state) {
  (void)state;
  sk_run_modes(disconnect_main, FW_PERSONALITY_WINDOWS);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(f49_enum_protocols_flags_and_size_query),
      cmocka_unit_test(wsastartup_cleanup_and_last_error),
      cmocka_unit_test(bind_ephemeral_ports_and_address_reuse),
      cmocka_unit_test(socket_options_and_ioctls),
      cmocka_unit_test(blocking_calls_wake_on_data_connection_close_and_timeout),
      cmocka_unit_test(buffer_sizes_shape_pending_sends_and_fifo_completions),
      cmocka_unit_test(latency_delays_data_fin_and_handshake),
      cmocka_unit_test(ipv6_loopback_and_dual_stack),
      cmocka_unit_test(address_strings_and_byte_order),
      cmocka_unit_test(fault_plan_outcomes_at_socket_calls),
      cmocka_unit_test(disconnectex_reuse_and_udp_association),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
