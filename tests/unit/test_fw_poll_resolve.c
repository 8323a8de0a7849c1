/* test_fw_poll_resolve.c: the APIs an ordinary Win32 program needs that
 * fakewin declared without implementing (issue 10): select, WSAPoll,
 * WSAEventSelect/WSAEnumNetworkEvents, getaddrinfo/freeaddrinfo/getnameinfo,
 * gethostname, FormatMessageA/W for system errors, ntdll's NtSetIoCompletion
 * and RtlNtStatusToDosError through GetProcAddress, GetModuleFileNameA/W.
 * Native tier; each case runs inside simulated worlds over seeds
 * (iocpsim_world_support).  Their agreement with Wine 8.0 is measured by the
 * probes of tests/conformance/probes. */
#include "iocpsim_test.h"

#include <string.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <ntstatus.h>

#include "fw_world.h"

static void startup(void) {
  WSADATA d;
  assert_int_equal(WSAStartup(MAKEWORD(2, 2), &d), 0);
}

static SOCKET listener(struct sockaddr_in *a) {
  SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  memset(a, 0, sizeof *a);
  a->sin_family = AF_INET;
  a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(l, (struct sockaddr *)a, sizeof *a), 0);
  int len = sizeof *a;
  assert_int_equal(getsockname(l, (struct sockaddr *)a, &len), 0);
  assert_int_equal(listen(l, 4), 0);
  return l;
}

static void pair(SOCKET *c, SOCKET *s) {
  struct sockaddr_in a;
  SOCKET l = listener(&a);
  *c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  assert_int_equal(connect(*c, (struct sockaddr *)&a, sizeof a), 0);
  *s = accept(l, NULL, NULL);
  assert_true(*s != INVALID_SOCKET);
  closesocket(l);
}

static DWORD WINAPI send_later(LPVOID arg) {
  SOCKET c = (SOCKET)arg;
  Sleep(50);
  assert_int_equal(send(c, "x", 1, 0), 1);
  return 0;
}

/* select: readiness, the timeout in virtual time, the empty-set error, and a
 * wait ended by data another thread sends. */
static void select_readiness_and_wait(void **state) {
  (void)state;
  startup();
  SOCKET c, s;
  pair(&c, &s);
  fd_set r, w;
  struct timeval tv = {0, 0};
  FD_ZERO(&r);
  FD_SET(s, &r);
  FD_ZERO(&w);
  FD_SET(c, &w);
  assert_int_equal(select(0, &r, &w, NULL, &tv), 1); /* only c writable */
  assert_int_equal(r.fd_count, 0);
  assert_int_equal(w.fd_count, 1);
  /* nothing to read: waits the whole 100 ms */
  FD_ZERO(&r);
  FD_SET(s, &r);
  tv.tv_usec = 100000;
  DWORD t0 = GetTickCount();
  assert_int_equal(select(0, &r, NULL, NULL, &tv), 0);
  assert_true(GetTickCount() - t0 >= 100);
  /* data sent by another thread after 50 ms ends an unbounded wait */
  HANDLE th = CreateThread(NULL, 0, send_later, (LPVOID)c, 0, NULL);
  FD_ZERO(&r);
  FD_SET(s, &r);
  assert_int_equal(select(0, &r, NULL, NULL, NULL), 1);
  assert_true(FD_ISSET(s, &r));
  WaitForSingleObject(th, INFINITE);
  CloseHandle(th);
  /* all sets empty: WSAEINVAL; a closed socket: WSAENOTSOCK */
  FD_ZERO(&r);
  assert_int_equal(select(0, &r, NULL, NULL, &tv), SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSAEINVAL);
  SOCKET dead = socket(AF_INET, SOCK_STREAM, 0);
  closesocket(dead);
  FD_SET(dead, &r);
  assert_int_equal(select(0, &r, NULL, NULL, &tv), SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
  /* a listener is readable when a connection waits */
  struct sockaddr_in a;
  SOCKET l = listener(&a);
  FD_ZERO(&r);
  FD_SET(l, &r);
  tv.tv_usec = 0;
  assert_int_equal(select(0, &r, NULL, NULL, &tv), 0);
  SOCKET k = socket(AF_INET, SOCK_STREAM, 0);
  assert_int_equal(connect(k, (struct sockaddr *)&a, sizeof a), 0);
  FD_SET(l, &r);
  assert_int_equal(select(0, &r, NULL, NULL, &tv), 1);
  closesocket(k);
  closesocket(l);
  closesocket(c);
  closesocket(s);
  assert_int_equal(WSACleanup(), 0);
}

/* WSAPoll: POLLRDNORM/POLLWRNORM as asked, POLLHUP after FIN whatever was
 * asked, POLLNVAL for a bad socket, the timeout. */
static void wsapoll_events(void **state) {
  (void)state;
  startup();
  SOCKET c, s;
  pair(&c, &s);
  WSAPOLLFD p[2];
  p[0].fd = s;
  p[0].events = POLLRDNORM;
  p[0].revents = 0x7777;
  p[1].fd = c;
  p[1].events = POLLWRNORM;
  p[1].revents = 0x7777;
  assert_int_equal(WSAPoll(p, 2, 0), 1);
  assert_int_equal(p[0].revents, 0);
  assert_int_equal(p[1].revents, POLLWRNORM);
  DWORD t0 = GetTickCount();
  assert_int_equal(WSAPoll(p, 1, 30), 0);
  assert_true(GetTickCount() - t0 >= 30);
  assert_int_equal(shutdown(c, SD_SEND), 0);
  assert_int_equal(WSAPoll(p, 1, 0), 1);
  assert_int_equal(p[0].revents, POLLHUP); /* a bare FIN: POLLHUP alone (Wine 8.0 probed) */
  SOCKET dead = socket(AF_INET, SOCK_STREAM, 0);
  closesocket(dead);
  p[0].fd = dead;
  assert_int_equal(WSAPoll(p, 1, 0), 1);
  assert_int_equal(p[0].revents, POLLNVAL);
  /* Wine 8.0 fails the call when a socket is not one (POLLNVAL still set) */
  fw_world_set_personality(FW_PERSONALITY_WINE8);
  p[0].revents = 0;
  assert_int_equal(WSAPoll(p, 1, 0), SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
  assert_int_equal(p[0].revents, POLLNVAL);
  fw_world_reset_config();
  p[0].events = POLLERR; /* not something one may ask for */
  assert_int_equal(WSAPoll(p, 1, 0), SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSAEINVAL);
  closesocket(c);
  closesocket(s);
  assert_int_equal(WSACleanup(), 0);
}

/* WSAEventSelect: FD_WRITE at once, FD_READ recorded once until recv
 * re-enables it, FD_CLOSE on FIN; WSAEnumNetworkEvents clears and resets. */
static void event_select_records_and_reenables(void **state) {
  (void)state;
  startup();
  SOCKET c, s;
  pair(&c, &s);
  WSAEVENT ev = WSACreateEvent();
  assert_int_equal(WSAEventSelect(s, ev, FD_READ | FD_WRITE | FD_CLOSE), 0);
  WSANETWORKEVENTS ne;
  assert_int_equal(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
  assert_int_equal(WSAEnumNetworkEvents(s, ev, &ne), 0);
  assert_int_equal(ne.lNetworkEvents, FD_WRITE);
  assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
  assert_int_equal(send(c, "ab", 2, 0), 2);
  assert_int_equal(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
  assert_int_equal(WSAEnumNetworkEvents(s, ev, &ne), 0);
  assert_int_equal(ne.lNetworkEvents, FD_READ);
  assert_int_equal(ne.iErrorCode[FD_READ_BIT], 0);
  /* more data without a recv in between: not recorded again */
  assert_int_equal(send(c, "c", 1, 0), 1);
  assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
  char b[1];
  assert_int_equal(recv(s, b, 1, 0), 1); /* re-enables; data remains */
  assert_int_equal(WSAEnumNetworkEvents(s, NULL, &ne), 0);
  assert_int_equal(ne.lNetworkEvents, FD_READ);
  char rest[4];
  assert_int_equal(recv(s, rest, sizeof rest, 0), 2);
  assert_int_equal(shutdown(c, SD_SEND), 0);
  assert_int_equal(WSAEnumNetworkEvents(s, ev, &ne), 0);
  assert_int_equal(ne.lNetworkEvents & FD_CLOSE, FD_CLOSE);
  assert_int_equal(ne.iErrorCode[FD_CLOSE_BIT], 0);
  /* the socket became non-blocking */
  assert_int_equal(recv(s, rest, sizeof rest, 0), 0);
  WSACloseEvent(ev);
  closesocket(c);
  closesocket(s);
  assert_int_equal(WSACleanup(), 0);
}

/* getaddrinfo for numeric and loopback names, getnameinfo, gethostname. */
static void resolver_numeric_and_loopback(void **state) {
  (void)state;
  ADDRINFOA *res = NULL;
  assert_int_equal(getaddrinfo("127.0.0.1", "80", NULL, &res), WSANOTINITIALISED);
  startup();
  ADDRINFOA hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  assert_int_equal(getaddrinfo("127.0.0.1", "8080", &hints, &res), 0);
  assert_non_null(res);
  assert_null(res->ai_next);
  assert_int_equal(res->ai_family, AF_INET);
  assert_int_equal(res->ai_socktype, SOCK_STREAM);
  assert_int_equal(res->ai_addrlen, sizeof(struct sockaddr_in));
  struct sockaddr_in *sin = (struct sockaddr_in *)res->ai_addr;
  assert_int_equal(ntohs(sin->sin_port), 8080);
  assert_int_equal(ntohl(sin->sin_addr.s_addr), INADDR_LOOPBACK);
  freeaddrinfo(res);
  hints.ai_family = AF_UNSPEC;
  assert_int_equal(getaddrinfo("localhost", NULL, &hints, &res), 0);
  assert_int_equal(res->ai_family, AF_INET6);
  assert_non_null(res->ai_next);
  assert_int_equal(res->ai_next->ai_family, AF_INET);
  freeaddrinfo(res);
  hints.ai_flags = AI_PASSIVE;
  hints.ai_family = AF_INET;
  assert_int_equal(getaddrinfo(NULL, "0", &hints, &res), 0);
  assert_int_equal(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr, 0);
  freeaddrinfo(res);
  hints.ai_flags = 0;
  assert_int_equal(getaddrinfo("no.such.host", NULL, &hints, &res), WSAHOST_NOT_FOUND);
  assert_int_equal(WSAGetLastError(), WSAHOST_NOT_FOUND);
  assert_int_equal(getaddrinfo("::1", NULL, &hints, &res), WSAHOST_NOT_FOUND); /* v6 as AF_INET */
  assert_int_equal(getaddrinfo("127.0.0.1", "http", &hints, &res), 0);         /* well-known name */
  assert_int_equal(ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port), 80);
  freeaddrinfo(res);
  assert_int_equal(getaddrinfo("127.0.0.1", "nosuchservice", &hints, &res), WSATYPE_NOT_FOUND);
  char host[NI_MAXHOST], serv[NI_MAXSERV];
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(443);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(getnameinfo((struct sockaddr *)&a, sizeof a, host, sizeof host, serv,
                               sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV),
                   0);
  assert_string_equal(host, "127.0.0.1");
  assert_string_equal(serv, "443");
  assert_int_equal(getnameinfo((struct sockaddr *)&a, sizeof a, host, sizeof host, NULL, 0, 0), 0);
  assert_string_equal(host, "localhost");
  char name[64];
  assert_int_equal(gethostname(name, sizeof name), 0);
  assert_string_equal(name, "iocpsim");
  assert_int_equal(gethostname(name, 3), SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSAEFAULT);
  assert_int_equal(getaddrinfo(name, NULL, &hints, &res), 0); /* the host's own name resolves */
  freeaddrinfo(res);
  assert_int_equal(WSACleanup(), 0);
}

/* FormatMessageA/W: Windows' texts, Wine 8.0's under wine8; the buffer
 * rules; unknown codes fail with ERROR_MR_MID_NOT_FOUND. */
static void format_message_system_errors(void **state) {
  (void)state;
  char b[256];
  DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                           ERROR_INVALID_HANDLE, 0, b, sizeof b, NULL);
  assert_string_equal(b, "The handle is invalid.\r\n");
  assert_int_equal(n, strlen(b));
  assert_int_equal(
      FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, ERROR_INVALID_HANDLE, 0, b, 5, NULL), 0);
  assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
  assert_int_equal(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 99999, 0, b, sizeof b, NULL),
                   0);
  assert_int_equal(GetLastError(), 317);
  LPWSTR w = NULL;
  n = FormatMessageW(
      FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_MAX_WIDTH_MASK,
      NULL, WSAECONNRESET, 0, (LPWSTR)&w, 0, NULL);
  assert_non_null(w);
  assert_int_equal(n, strlen("An existing connection was forcibly closed by the remote host. "));
  assert_int_equal(w[n - 1], ' ');
  LocalFree(w);
  fw_world_set_personality(FW_PERSONALITY_WINE8);
  n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, ERROR_INVALID_HANDLE, 0, b, sizeof b, NULL);
  assert_string_equal(b, "Invalid handle.\r\n");
  assert_int_equal(
      FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, WSAEWOULDBLOCK, 0, b, sizeof b, NULL), 0);
  assert_int_equal(GetLastError(), 317);
  fw_world_reset_config();
}

typedef NTSTATUS(NTAPI *set_io_completion_fn)(HANDLE, ULONG_PTR, PVOID, NTSTATUS, ULONG_PTR);
typedef ULONG(NTAPI *status_to_dos_fn)(NTSTATUS);

/* ntdll through GetProcAddress; GetModuleFileNameA/W. */
static void ntdll_exports_and_module_file_name(void **state) {
  (void)state;
  HMODULE nt = GetModuleHandleA("ntdll.dll");
  set_io_completion_fn set =
      (set_io_completion_fn)(void (*)(void))GetProcAddress(nt, "NtSetIoCompletion");
  status_to_dos_fn to_dos =
      (status_to_dos_fn)(void (*)(void))GetProcAddress(nt, "RtlNtStatusToDosError");
  assert_non_null(set);
  assert_non_null(to_dos);
  assert_int_equal(to_dos(STATUS_CONNECTION_RESET), ERROR_NETNAME_DELETED);
  assert_int_equal(to_dos((NTSTATUS)0xC0001234), 317);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  OVERLAPPED ov;
  assert_int_equal(set(port, 9, &ov, STATUS_BUFFER_OVERFLOW, 5), STATUS_SUCCESS);
  DWORD n;
  ULONG_PTR key;
  LPOVERLAPPED got;
  assert_false(GetQueuedCompletionStatus(port, &n, &key, &got, 0));
  assert_int_equal(GetLastError(), ERROR_MORE_DATA);
  assert_int_equal(n, 5);
  assert_int_equal(key, 9);
  assert_ptr_equal(got, &ov);
  CloseHandle(port);
  assert_int_equal(set(port, 0, NULL, 0, 0), STATUS_INVALID_HANDLE);
  WCHAR w[MAX_PATH];
  n = GetModuleFileNameW(NULL, w, MAX_PATH);
  assert_int_equal(n, strlen("C:\\iocpsim\\program.exe"));
  assert_int_equal(w[0], 'C');
  char a[8];
  assert_int_equal(GetModuleFileNameA(nt, a, sizeof a), sizeof a);
  assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
  assert_string_equal(a, "C:\\wind");
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(select_readiness_and_wait),
      cmocka_unit_test(wsapoll_events),
      cmocka_unit_test(event_select_records_and_reenables),
      cmocka_unit_test(resolver_numeric_and_loopback),
      cmocka_unit_test(format_message_system_errors),
      cmocka_unit_test(ntdll_exports_and_module_file_name),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
