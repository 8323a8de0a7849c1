/* test_fw_personality.c: the personality as data (fakewin/world/
 * fw_personality.h) and the W items W22..W38 it added, under both
 * personalities.  Native tier; each case runs inside simulated worlds
 * (iocpsim_world_support) and switches the personality inside the world. */
#include "iocpsim_test.h"

#include <string.h>
#include <ntstatus.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>
#include <windows.h>

#include "fw_personality.h"
#include "fw_world.h"

static void startup(void) {
  WSADATA d;
  assert_int_equal(WSAStartup(MAKEWORD(2, 2), &d), 0);
}

static void pair(SOCKET *c, SOCKET *s) {
  SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof a), 0);
  int len = sizeof a;
  assert_int_equal(getsockname(l, (struct sockaddr *)&a, &len), 0);
  assert_int_equal(listen(l, 1), 0);
  *c = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  assert_int_equal(connect(*c, (struct sockaddr *)&a, sizeof a), 0);
  *s = accept(l, NULL, NULL);
  assert_true(*s != INVALID_SOCKET);
  closesocket(l);
}

/* @covers W22
 * The two tables differ in every W field whose Windows value is known, and
 * the W3/W22 choices are the documented ones. */
static void tables_differ_where_documented(void **state) {
  (void)state;
  const fw_personality_table_t *w = fw_personality_table(FW_PERSONALITY_WINDOWS);
  const fw_personality_table_t *x = fw_personality_table(FW_PERSONALITY_WINE8);
  assert_non_null(w);
  assert_non_null(x);
  assert_null(fw_personality_table(99));
  assert_string_equal(w->name, "windows");
  assert_string_equal(x->name, "wine8");
  assert_true(w->cancelioex_null_idle_succeeds != x->cancelioex_null_idle_succeeds);
  assert_int_not_equal(w->close_recv_status, x->close_recv_status);
  assert_true(w->acceptex_always_pends != x->acceptex_always_pends);
  assert_true(w->update_context_required != x->update_context_required);
  assert_int_equal(w->max_wsabufs, 0);
  assert_int_equal(x->max_wsabufs, 1024);
  assert_int_equal(w->send_unconnected_error, WSAENOTCONN);
  assert_int_equal(x->send_unconnected_error, WSAECONNRESET);
  assert_true(w->aborted_send_keeps_count && x->aborted_send_keeps_count); /* W22 */
  assert_null(w->wine_version);
  assert_string_equal(x->wine_version, "8.0");
}

/* @covers W25
 * W25: SIO_UDP_CONNRESET on a closed socket or a non-socket handle. */
static void w25_udp_connreset_ioctl_on_bad_handles(void **state) {
  (void)state;
  startup();
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  for (int pass = 0; pass < 2; pass++) {
    fw_world_set_personality(pass ? FW_PERSONALITY_WINE8 : FW_PERSONALITY_WINDOWS);
    SOCKET dead = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    closesocket(dead);
    BOOL off = FALSE;
    DWORD n = 0xdeadbeef;
    int r1 = WSAIoctl(dead, SIO_UDP_CONNRESET, &off, sizeof off, NULL, 0, &n, NULL, NULL);
    int e1 = r1 ? WSAGetLastError() : 0;
    int r2 = WSAIoctl((SOCKET)ev, SIO_UDP_CONNRESET, &off, sizeof off, NULL, 0, &n, NULL, NULL);
    int e2 = r2 ? WSAGetLastError() : 0;
    int r3 = WSAIoctl(INVALID_SOCKET, SIO_UDP_CONNRESET, &off, sizeof off, NULL, 0, &n, NULL, NULL);
    int e3 = r3 ? WSAGetLastError() : 0;
    assert_int_equal(e1, pass ? 0 : WSAENOTSOCK);
    assert_int_equal(e2, pass ? 0 : WSAENOTSOCK);
    assert_int_equal(e3, WSAENOTSOCK);
  }
  fw_world_reset_config();
  CloseHandle(ev);
  assert_int_equal(WSACleanup(), 0);
}

/* @covers W26
 * W26: the exported GetAcceptExSockaddrs fills nothing under Wine 8.0; the
 * extension pointer fills both addresses under both. */
static void w26_exported_getacceptexsockaddrs(void **state) {
  (void)state;
  startup();
  SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  GUID g = WSAID_GETACCEPTEXSOCKADDRS;
  LPFN_GETACCEPTEXSOCKADDRS ext = NULL;
  DWORD n;
  assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof g, &ext, sizeof ext,
                            &n, NULL, NULL),
                   0);
  enum { AL = sizeof(struct sockaddr_in) + 16 };
  char buf[2 * AL];
  memset(buf, 0, sizeof buf);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  memcpy(buf, &a, sizeof a);
  memcpy(buf + AL, &a, sizeof a);
  for (int pass = 0; pass < 2; pass++) {
    fw_world_set_personality(pass ? FW_PERSONALITY_WINE8 : FW_PERSONALITY_WINDOWS);
    struct sockaddr *lp = (struct sockaddr *)(uintptr_t)0xdeadbeef, *rp = lp;
    INT ll = 0xdead, rl = 0xdead;
    GetAcceptExSockaddrs(buf, 0, AL, AL, &lp, &ll, &rp, &rl);
    if (pass) {
      assert_true(lp == (struct sockaddr *)(uintptr_t)0xdeadbeef && ll == 0xdead && rl == 0xdead);
    } else {
      assert_true(lp == (struct sockaddr *)buf && rp == (struct sockaddr *)(buf + AL));
      assert_int_equal(ll, sizeof a);
    }
    lp = rp = NULL;
    ext(buf, 0, AL, AL, &lp, &ll, &rp, &rl);
    assert_true(lp == (struct sockaddr *)buf && rp == (struct sockaddr *)(buf + AL));
  }
  fw_world_reset_config();
  closesocket(s);
  assert_int_equal(WSACleanup(), 0);
}

/* @covers W27
 * W27: WSASend on a TCP socket that never connected. */
static void w27_send_unconnected_stream(void **state) {
  (void)state;
  startup();
  for (int pass = 0; pass < 2; pass++) {
    fw_world_set_personality(pass ? FW_PERSONALITY_WINE8 : FW_PERSONALITY_WINDOWS);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    char b = 'x';
    WSABUF wb = {1, &b};
    DWORD n = 0xdeadbeef;
    assert_int_equal(WSASend(s, &wb, 1, &n, 0, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), pass ? WSAECONNRESET : WSAENOTCONN);
    assert_int_equal(n, 0xdeadbeef);
    closesocket(s);
  }
  fw_world_reset_config();
  assert_int_equal(WSACleanup(), 0);
}

/* @covers W28
 * W28: SetFileInformationByHandle without the access right. */
static void w28_set_file_info_access(void **state) {
  (void)state;
  HANDLE h = CreateFileA("w28.txt", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
  assert_true(h != INVALID_HANDLE_VALUE);
  CloseHandle(h);
  for (int pass = 0; pass < 2; pass++) {
    fw_world_set_personality(pass ? FW_PERSONALITY_WINE8 : FW_PERSONALITY_WINDOWS);
    h = CreateFileA("w28.txt", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    FILE_BASIC_INFO b;
    memset(&b, 0, sizeof b);
    b.FileAttributes = FILE_ATTRIBUTE_HIDDEN;
    SetLastError(0);
    BOOL ok = SetFileInformationByHandle(h, FileBasicInfo, &b, sizeof b);
    FILE_END_OF_FILE_INFO e;
    e.EndOfFile.QuadPart = 10;
    SetLastError(0);
    BOOL ok_eof = SetFileInformationByHandle(h, FileEndOfFileInfo, &e, sizeof e);
    DWORD err_eof = GetLastError();
    if (pass) {
      assert_true(ok);      /* W28: no access check (probe w28_fileinfo) */
      assert_false(ok_eof); /* the class is not supported by Wine 8.0 */
      assert_int_equal(err_eof, ERROR_INVALID_PARAMETER);
    } else {
      assert_false(ok);
      assert_false(ok_eof);
      assert_int_equal(err_eof, ERROR_ACCESS_DENIED);
    }
    CloseHandle(h);
  }
  fw_world_reset_config();
  DeleteFileA("w28.txt");
}

/* @covers W29
 * W29: more than 1024 WSABUFs. */
static void w29_send_many_buffers(void **state) {
  (void)state;
  startup();
  SOCKET c, s;
  pair(&c, &s);
  static WSABUF bufs[1025];
  char b = 'x';
  for (int i = 0; i < 1025; i++) {
    bufs[i].len = 1;
    bufs[i].buf = &b;
  }
  for (int pass = 0; pass < 2; pass++) {
    fw_world_set_personality(pass ? FW_PERSONALITY_WINE8 : FW_PERSONALITY_WINDOWS);
    DWORD n = 0;
    assert_int_equal(WSASend(c, bufs, 1024, &n, 0, NULL, NULL), 0);
    assert_int_equal(n, 1024);
    int r = WSASend(c, bufs, 1025, &n, 0, NULL, NULL);
    if (pass) {
      assert_int_equal(r, SOCKET_ERROR);
      assert_int_equal(WSAGetLastError(), WSAEMSGSIZE);
    } else {
      assert_int_equal(r, 0);
      assert_int_equal(n, 1025);
    }
  }
  fw_world_reset_config();
  closesocket(c);
  closesocket(s);
  assert_int_equal(WSACleanup(), 0);
}

/* @covers W30
 * W30: SIO_TCP_INFO. */
static void w30_sio_tcp_info(void **state) {
  (void)state;
  startup();
  SOCKET c, s;
  pair(&c, &s);
  char data[5] = "hello";
  assert_int_equal(send(c, data, 5, 0), 5);
  DWORD ver = 0, n = 0xdeadbeef;
  TCP_INFO_v0 ti;
  /* Windows: a snapshot */
  assert_int_equal(WSAIoctl(c, SIO_TCP_INFO, &ver, sizeof ver, &ti, sizeof ti, &n, NULL, NULL), 0);
  assert_int_equal(n, sizeof ti);
  assert_int_equal(ti.State, TCPSTATE_ESTABLISHED);
  assert_int_equal(ti.BytesOut, 5);
  assert_int_equal(ti.Mss, 65495);
  /* Wine 8.0: WSAEOPNOTSUPP without an OVERLAPPED; with one, "pending", a
   * packet ERROR_NOT_SUPPORTED without skip mode, the event never set */
  fw_world_set_personality(FW_PERSONALITY_WINE8);
  assert_int_equal(WSAIoctl(c, SIO_TCP_INFO, &ver, sizeof ver, &ti, sizeof ti, &n, NULL, NULL),
                   SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSAEOPNOTSUPP);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  assert_non_null(port);
  assert_true(CreateIoCompletionPort((HANDLE)c, port, 7, 0) == port);
  OVERLAPPED ov;
  memset(&ov, 0, sizeof ov);
  ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
  assert_int_equal(WSAIoctl(c, SIO_TCP_INFO, &ver, sizeof ver, &ti, sizeof ti, &n, &ov, NULL),
                   SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
  assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED got;
  assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));
  assert_int_equal(GetLastError(), ERROR_NOT_SUPPORTED);
  assert_ptr_equal(got, &ov);
  assert_int_equal(key, 7);
  fw_world_reset_config();
  CloseHandle(ov.hEvent);
  closesocket(c);
  closesocket(s);
  CloseHandle(port);
  assert_int_equal(WSACleanup(), 0);
}

/* A bound UDP socket on 127.0.0.1 and its address. */
static SOCKET udp(struct sockaddr_in *a) {
  SOCKET u = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
  assert_true(u != INVALID_SOCKET);
  memset(a, 0, sizeof *a);
  a->sin_family = AF_INET;
  a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(u, (struct sockaddr *)a, sizeof *a), 0);
  int len = sizeof *a;
  assert_int_equal(getsockname(u, (struct sockaddr *)a, &len), 0);
  return u;
}

static bool is_bound(SOCKET u) {
  struct sockaddr_in a;
  int len = sizeof a;
  return getsockname(u, (struct sockaddr *)&a, &len) == 0;
}

static void *ext_fn(SOCKET s, GUID g) {
  void *fn = NULL;
  DWORD n = 0;
  assert_int_equal(
      WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof g, &fn, sizeof fn, &n, NULL, NULL),
      0);
  assert_non_null(fn);
  return fn;
}

/* @covers W31 W14
 * W31: WSARecvMsg's dwFlags after a peek and after a truncated peek -
 * Windows writes the returned flags (0, MSG_TRUNC), Wine 8.0 writes nothing
 * (the caller's MSG_PEEK stays, and no MSG_TRUNC is added, W14). */
static void w31_recvmsg_leaves_dwflags(void **state) {
  (void)state;
  startup();
  struct sockaddr_in aa, ba;
  SOCKET a = udp(&aa), b = udp(&ba);
  LPFN_WSARECVMSG recvmsg_fn = (LPFN_WSARECVMSG)ext_fn(b, (GUID)WSAID_WSARECVMSG);
  for (int pass = 0; pass < 2; pass++) {
    fw_world_set_personality(pass ? FW_PERSONALITY_WINE8 : FW_PERSONALITY_WINDOWS);
    char buf[16], small[4];
    WSABUF wb = {sizeof buf, buf}, ws = {sizeof small, small};
    WSAMSG m;
    memset(&m, 0, sizeof m);
    m.lpBuffers = &wb;
    m.dwBufferCount = 1;
    assert_int_equal(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&ba, sizeof ba), 10);
    m.dwFlags = MSG_PEEK;
    DWORD n = 0;
    assert_int_equal(recvmsg_fn(b, &m, &n, NULL, NULL), 0);
    assert_int_equal(n, 10);
    assert_int_equal(m.dwFlags, pass ? MSG_PEEK : 0);
    /* truncated, still peeking: the datagram stays */
    m.lpBuffers = &ws;
    m.dwFlags = MSG_PEEK;
    assert_int_equal(recvmsg_fn(b, &m, &n, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEMSGSIZE);
    assert_int_equal(m.dwFlags, pass ? MSG_PEEK : MSG_TRUNC);
    /* truncated, consumed */
    m.dwFlags = 0;
    assert_int_equal(recvmsg_fn(b, &m, &n, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEMSGSIZE);
    assert_int_equal(m.dwFlags, pass ? 0 : MSG_TRUNC);
    u_long avail = 1;
    assert_int_equal(ioctlsocket(b, FIONREAD, &avail), 0);
    assert_int_equal(avail, 0);
  }
  fw_world_reset_config();
  closesocket(a);
  closesocket(b);
  assert_int_equal(WSACleanup(), 0);
}

/* @covers W32
 * W32: sends without an address on an unconnected UDP socket - Windows
 * WSAENOTCONN, Wine 8.0 WSAEINVAL and the socket bound afterwards. */
static void w32_dgram_send_without_address(void **state) {
  (void)state;
  startup();
  for (int pass = 0; pass < 2; pass++) {
    fw_world_set_personality(pass ? FW_PERSONALITY_WINE8 : FW_PERSONALITY_WINDOWS);
    int want = pass ? WSAEINVAL : WSAENOTCONN;
    SOCKET u = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    LPFN_WSASENDMSG sendmsg_fn = (LPFN_WSASENDMSG)ext_fn(u, (GUID)WSAID_WSASENDMSG);
    char data[4] = "data";
    WSABUF wb = {sizeof data, data};
    WSAMSG m;
    memset(&m, 0, sizeof m);
    m.lpBuffers = &wb;
    m.dwBufferCount = 1;
    DWORD n = 0xdeadbeef;
    assert_int_equal(sendmsg_fn(u, &m, 0, &n, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), want);
    assert_int_equal(n, 0xdeadbeef);
    assert_true(is_bound(u) == (pass == 1));
    closesocket(u);
    u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_int_equal(send(u, data, 4, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), want);
    assert_true(is_bound(u) == (pass == 1));
    assert_int_equal(WSASend(u, &wb, 1, &n, 0, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), want);
    assert_int_equal(WSASendTo(u, &wb, 1, &n, 0, NULL, 0, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), want);
    closesocket(u);
  }
  fw_world_reset_config();
  assert_int_equal(WSACleanup(), 0);
}

/* @covers W33
 * W33: receives on a UDP socket never bound - Windows WSAEINVAL; Wine 8.0
 * waits (WSAEWOULDBLOCK non-blocking, pending overlapped until cancelled)
 * and binds nothing. */
static void w33_recv_on_unbound_udp(void **state) {
  (void)state;
  startup();
  for (int pass = 0; pass < 2; pass++) {
    fw_world_set_personality(pass ? FW_PERSONALITY_WINE8 : FW_PERSONALITY_WINDOWS);
    SOCKET u = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    u_long nb = 1;
    assert_int_equal(ioctlsocket(u, FIONBIO, &nb), 0);
    char buf[8];
    assert_int_equal(recv(u, buf, sizeof buf, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), pass ? WSAEWOULDBLOCK : WSAEINVAL);
    struct sockaddr_in from;
    int fromlen = sizeof from;
    assert_int_equal(recvfrom(u, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen),
                     SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), pass ? WSAEWOULDBLOCK : WSAEINVAL);
    WSABUF wb = {sizeof buf, buf};
    DWORD fl = 0;
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    assert_int_equal(WSARecv(u, &wb, 1, NULL, &fl, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), pass ? WSA_IO_PENDING : WSAEINVAL);
    if (pass) {
      assert_true(CancelIoEx((HANDLE)u, &ov));
      DWORD n = 0xdeadbeef;
      assert_false(GetOverlappedResult((HANDLE)u, &ov, &n, TRUE));
      assert_int_equal(GetLastError(), ERROR_OPERATION_ABORTED);
      assert_int_equal(n, 0);
    }
    assert_false(is_bound(u));
    closesocket(u);
  }
  fw_world_reset_config();
  assert_int_equal(WSACleanup(), 0);
}

/* @covers W34
 * W34: WSASendMsg with an address but neither an OVERLAPPED nor a byte
 * count output fails WSAEFAULT on both; Windows has bound the socket, Wine
 * 8.0 has not.  A NULL message binds nothing on either. */
static void w34_sendmsg_without_count(void **state) {
  (void)state;
  startup();
  struct sockaddr_in ba;
  SOCKET b = udp(&ba);
  for (int pass = 0; pass < 2; pass++) {
    fw_world_set_personality(pass ? FW_PERSONALITY_WINE8 : FW_PERSONALITY_WINDOWS);
    SOCKET u = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    LPFN_WSASENDMSG sendmsg_fn = (LPFN_WSASENDMSG)ext_fn(u, (GUID)WSAID_WSASENDMSG);
    char data[4] = "data";
    WSABUF wb = {sizeof data, data};
    WSAMSG m;
    memset(&m, 0, sizeof m);
    m.name = (struct sockaddr *)&ba;
    m.namelen = sizeof ba;
    m.lpBuffers = &wb;
    m.dwBufferCount = 1;
    assert_int_equal(sendmsg_fn(u, &m, 0, NULL, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_true(is_bound(u) == (pass == 0));
    u_long avail = 1;
    assert_int_equal(ioctlsocket(b, FIONREAD, &avail), 0);
    assert_int_equal(avail, 0); /* nothing was sent */
    closesocket(u);
    u = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    DWORD n = 0;
    assert_int_equal(sendmsg_fn(u, NULL, 0, &n, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_false(is_bound(u));
    closesocket(u);
  }
  fw_world_reset_config();
  closesocket(b);
  assert_int_equal(WSACleanup(), 0);
}

/* Reads until end of stream or error; the result of the last recv. */
static int read_to_end(SOCKET s) {
  char buf[16];
  int r;
  do {
    r = recv(s, buf, sizeof buf, 0);
  } while (r > 0);
  return r;
}

static int peer_error(SOCKET s) {
  struct sockaddr_in a;
  int len = sizeof a;
  return getpeername(s, (struct sockaddr *)&a, &len) == 0 ? 0 : WSAGetLastError();
}

/* @covers W36
 * W36: getpeername once the connection is closed - Windows answers after
 * shutdown both ways; Wine 8.0 fails WSAENOTCONN once both FINs are through
 * or a reset arrived, and answers while only one direction is closed. */
static void w36_getpeername_after_close(void **state) {
  (void)state;
  startup();
  for (int pass = 0; pass < 2; pass++) {
    fw_world_set_personality(pass ? FW_PERSONALITY_WINE8 : FW_PERSONALITY_WINDOWS);
    int gone = pass ? WSAENOTCONN : 0;
    SOCKET c, s;
    pair(&c, &s);
    assert_int_equal(shutdown(c, SD_SEND), 0);
    assert_int_equal(read_to_end(s), 0);
    assert_int_equal(peer_error(c), 0); /* one direction only */
    assert_int_equal(peer_error(s), 0);
    assert_int_equal(shutdown(s, SD_BOTH), 0);
    assert_int_equal(read_to_end(c), 0);
    assert_int_equal(peer_error(c), gone);
    assert_int_equal(peer_error(s), gone);
    struct sockaddr_in a;
    int len = sizeof a;
    assert_int_equal(getsockname(c, (struct sockaddr *)&a, &len), 0);
    closesocket(c);
    closesocket(s);
    /* a reset: Windows not established, the fake answers there */
    pair(&c, &s);
    struct linger lg = {1, 0};
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof lg), 0);
    closesocket(s);
    (void)read_to_end(c);
    assert_int_equal(peer_error(c), gone);
    closesocket(c);
  }
  fw_world_reset_config();
  assert_int_equal(WSACleanup(), 0);
}

/* @covers W8 W37
 * W8: a ConnectEx that fails inside the call - Wine 8.0 has written 0 to
 * InternalHigh and the byte count, Windows leaves both.  W37: a name too
 * short fails WSAEADDRNOTAVAIL (Windows WSAEFAULT); port 0 pends and is
 * refused (Windows WSAEADDRNOTAVAIL at once). */
static void w37_connectex_failures(void **state) {
  (void)state;
  startup();
  SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in la;
  memset(&la, 0, sizeof la);
  la.sin_family = AF_INET;
  la.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(l, (struct sockaddr *)&la, sizeof la), 0);
  int len = sizeof la;
  assert_int_equal(getsockname(l, (struct sockaddr *)&la, &len), 0);
  assert_int_equal(listen(l, 4), 0);
  LPFN_CONNECTEX connectex = (LPFN_CONNECTEX)ext_fn(l, (GUID)WSAID_CONNECTEX);
  char data[5] = "hello";
  for (int pass = 0; pass < 2; pass++) {
    fw_world_set_personality(pass ? FW_PERSONALITY_WINE8 : FW_PERSONALITY_WINDOWS);
    DWORD unwritten = pass ? 0 : 0xdeadbeef;
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.InternalHigh = 0xdeadbeef;
    DWORD n = 0xdeadbeef;
    assert_false(connectex(l, (struct sockaddr *)&la, sizeof la, data, 5, &n, &ov));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(ov.Internal, STATUS_PENDING);
    assert_int_equal(ov.InternalHigh, unwritten);
    assert_int_equal(n, unwritten);
    /* a name too short, on a bound socket */
    SOCKET u = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    struct sockaddr_in ba;
    memset(&ba, 0, sizeof ba);
    ba.sin_family = AF_INET;
    ba.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(u, (struct sockaddr *)&ba, sizeof ba), 0);
    ov.InternalHigh = 0xdeadbeef;
    n = 0xdeadbeef;
    assert_false(connectex(u, (struct sockaddr *)&la, 8, NULL, 0, &n, &ov));
    assert_int_equal(WSAGetLastError(), pass ? WSAEADDRNOTAVAIL : WSAEFAULT);
    assert_int_equal(ov.InternalHigh, unwritten);
    /* port 0 */
    struct sockaddr_in zero = la;
    zero.sin_port = 0;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    assert_false(connectex(u, (struct sockaddr *)&zero, sizeof zero, data, 5, &n, &ov));
    if (pass) {
      assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
      assert_int_equal(n, 0);
      DWORD got = 0xdeadbeef;
      assert_false(GetOverlappedResult((HANDLE)u, &ov, &got, TRUE));
      assert_int_equal(GetLastError(), ERROR_CONNECTION_REFUSED);
      assert_int_equal(ov.Internal, (ULONG_PTR)(uint32_t)STATUS_CONNECTION_REFUSED);
    } else {
      assert_int_equal(WSAGetLastError(), WSAEADDRNOTAVAIL);
    }
    CloseHandle(ov.hEvent);
    closesocket(u);
  }
  fw_world_reset_config();
  closesocket(l);
  assert_int_equal(WSACleanup(), 0);
}

/* @covers W38
 * W38: GetNamedPipeHandleState asked for the fields a local pipe does not
 * have - Windows ERROR_INVALID_PARAMETER; Wine 8.0 answers 0, 0 and the
 * account's name (cut to the buffer). */
static void w38_pipe_state_remote_fields(void **state) {
  (void)state;
  HANDLE srv = CreateNamedPipeA("\\\\.\\pipe\\w38", PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 512, 512,
                                0, NULL);
  assert_true(srv != INVALID_HANDLE_VALUE);
  for (int pass = 0; pass < 2; pass++) {
    fw_world_set_personality(pass ? FW_PERSONALITY_WINE8 : FW_PERSONALITY_WINDOWS);
    DWORD st = 0xdeadbeef, inst = 0xdeadbeef, count = 0xdeadbeef, timeout = 0xdeadbeef;
    assert_true(GetNamedPipeHandleStateA(srv, &st, &inst, NULL, NULL, NULL, 0));
    assert_int_equal(st, 0);
    assert_int_equal(inst, 1);
    SetLastError(0);
    BOOL ok = GetNamedPipeHandleStateA(srv, &st, &inst, &count, &timeout, NULL, 0);
    char user[4] = "xxx";
    BOOL ok_user = GetNamedPipeHandleStateA(srv, NULL, NULL, NULL, NULL, user, sizeof user);
    WCHAR wuser[16];
    wuser[0] = 'x';
    BOOL ok_wuser = GetNamedPipeHandleStateW(srv, NULL, NULL, NULL, NULL, wuser, 16);
    if (pass) {
      assert_true(ok && ok_user && ok_wuser);
      assert_int_equal(count, 0);
      assert_int_equal(timeout, 0);
      assert_string_equal(user, "ioc"); /* cut to the buffer, terminated */
      assert_int_equal(wuser[0], 'i');
      assert_int_equal(wuser[7], 0);
    } else {
      assert_false(ok);
      assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
      assert_int_equal(count, 0xdeadbeef);
      assert_false(ok_user);
      assert_string_equal(user, "xxx");
      assert_false(ok_wuser);
    }
  }
  fw_world_reset_config();
  CloseHandle(srv);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(tables_differ_where_documented),
      cmocka_unit_test(w25_udp_connreset_ioctl_on_bad_handles),
      cmocka_unit_test(w26_exported_getacceptexsockaddrs),
      cmocka_unit_test(w27_send_unconnected_stream),
      cmocka_unit_test(w28_set_file_info_access),
      cmocka_unit_test(w29_send_many_buffers),
      cmocka_unit_test(w30_sio_tcp_info),
      cmocka_unit_test(w31_recvmsg_leaves_dwflags),
      cmocka_unit_test(w32_dgram_send_without_address),
      cmocka_unit_test(w33_recv_on_unbound_udp),
      cmocka_unit_test(w34_sendmsg_without_count),
      cmocka_unit_test(w36_getpeername_after_close),
      cmocka_unit_test(w37_connectex_failures),
      cmocka_unit_test(w38_pipe_state_remote_fields),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
