/* test_fd_util.c: see test_fd_util.h. */
#include "test_fd_util.h"

#include <stdio.h>
#include <string.h>

static bool saved;
static core_close_fn orig_close;
static core_accept_fn orig_accept;
static core_connectex_fn orig_connectex;
static core_did_writev_fn orig_did_writev;

void fdt_startup(void) {
  assert_int_equal(core_package_init(), 0);
  if (!saved) {
    saved = true;
    orig_close = core_hook_close;
    orig_accept = core_hook_accept;
    orig_connectex = core_hook_connectex;
    orig_did_writev = core_hook_did_writev;
  }
}

int fdt_teardown(void **state) {
  (void)state;
  if (saved) {
    core_hook_close = orig_close;
    core_hook_accept = orig_accept;
    core_hook_connectex = orig_connectex;
    core_hook_did_writev = orig_did_writev;
  }
  core_hook_log_init_fd = NULL;
  core_max_rw = CORE_MAX_RW;
  return 0;
}

struct sockaddr_in fdt_loopback4(uint16_t port) {
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return sin;
}

uint16_t fdt_local_port(SOCKET s) {
  struct sockaddr_in sin;
  int len = (int)sizeof sin;
  assert_int_equal(getsockname(s, (struct sockaddr *)&sin, &len), 0);
  return ntohs(sin.sin_port);
}

SOCKET fdt_tcp_listener(uint16_t *port) {
  SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  assert_true(l != INVALID_SOCKET);
  struct sockaddr_in sin = fdt_loopback4(0);
  assert_int_equal(bind(l, (struct sockaddr *)&sin, (int)sizeof sin), 0);
  assert_int_equal(listen(l, 16), 0);
  *port = fdt_local_port(l);
  return l;
}

void fdt_tcp_pair(SOCKET *client, SOCKET *server) {
  uint16_t port;
  SOCKET l = fdt_tcp_listener(&port);
  SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  assert_true(c != INVALID_SOCKET);
  struct sockaddr_in sin = fdt_loopback4(port);
  assert_int_equal(connect(c, (struct sockaddr *)&sin, (int)sizeof sin), 0);
  SOCKET s = accept(l, NULL, NULL);
  assert_true(s != INVALID_SOCKET);
  closesocket(l);
  *client = c;
  *server = s;
}

SOCKET fdt_udp_bound(uint16_t *port) {
  SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  assert_true(s != INVALID_SOCKET);
  struct sockaddr_in sin = fdt_loopback4(0);
  assert_int_equal(bind(s, (struct sockaddr *)&sin, (int)sizeof sin), 0);
  *port = fdt_local_port(s);
  return s;
}

void fdt_reset_close(SOCKET s) {
  struct linger lg;
  lg.l_onoff = 1;
  lg.l_linger = 0;
  assert_int_equal(setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&lg, (int)sizeof lg), 0);
  assert_int_equal(closesocket(s), 0);
}

core_fd_t *fdt_fd(HANDLE h, const char *net, bool pollable, bool is_stream, bool zero_read_is_eof) {
  core_fd_t *fd = NULL;
  assert_int_equal(core_fd_new(h, is_stream, zero_read_is_eof, &fd), 0);
  assert_non_null(fd);
  const char *errcall = "unset";
  assert_int_equal(core_fd_init(fd, net, pollable, &errcall), 0);
  assert_string_equal(errcall, "");
  return fd;
}

core_fd_t *fdt_tcp_fd(SOCKET s) {
  return fdt_fd((HANDLE)s, "tcp", true, true, true);
}
core_fd_t *fdt_udp_fd(SOCKET s) {
  return fdt_fd((HANDLE)s, "udp", true, false, false);
}
core_fd_t *fdt_file_fd(HANDLE h, const char *kind) {
  return fdt_fd(h, kind, false, true, true);
}

void fdt_close_free(core_fd_t *fd) {
  (void)core_fd_close(fd);
  core_fd_free(fd);
}

HANDLE fdt_thread(LPTHREAD_START_ROUTINE fn, void *arg) {
  HANDLE t = CreateThread(NULL, 0, fn, arg, 0, NULL);
  assert_non_null(t);
  return t;
}

void fdt_join(HANDLE t) {
  assert_int_equal(WaitForSingleObject(t, FDT_GUARD_MS), WAIT_OBJECT_0);
  CloseHandle(t);
}

#ifdef FDT_SCRIPTED_POLLDESC
/* test_fd_execio replaces fd_poll.c and netpoll.c and sets its own probe. */
bool (*fdt_submitted_probe)(const core_fd_t *fd, int mode) = NULL;
#else
bool (*fdt_submitted_probe)(const core_fd_t *fd, int mode) = core_test_fd_parked;
#endif

void fdt_wait_pending(const core_fd_t *fd, int mode) {
  const volatile ULONG_PTR *internal = &core_test_fd_overlapped(fd, mode)->Internal;
  for (int waited = 0; (LONG)*internal != FDT_STATUS_PENDING; waited++) {
    assert_true(waited < FDT_GUARD_MS);
    Sleep(1);
  }
  assert_non_null(fdt_submitted_probe);
  for (int waited = 0; !fdt_submitted_probe(fd, mode); waited++) {
    assert_true(waited < FDT_GUARD_MS);
    Sleep(1);
  }
}

void fdt_wait_readable(SOCKET s) {
  for (int waited = 0;; waited++) {
    u_long avail = 0;
    assert_int_equal(ioctlsocket(s, FIONREAD, &avail), 0);
    if (avail > 0) return;
    assert_true(waited < FDT_GUARD_MS);
    Sleep(1);
  }
}

int64_t fdt_after_ms(int64_t ms) {
  return core_deadline_after(ms * 1000000);
}

HANDLE fdt_temp_file(char path[MAX_PATH]) {
  char dir[MAX_PATH];
  DWORD n = GetTempPathA(MAX_PATH, dir);
  assert_true(n > 0 && n < MAX_PATH);
  assert_true(GetTempFileNameA(dir, "fdt", 0, path) != 0);
  HANDLE h =
      CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                  CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE, NULL);
  assert_true(h != INVALID_HANDLE_VALUE);
  return h;
}

HANDLE fdt_reopen(const char path[MAX_PATH], DWORD access) {
  HANDLE h = CreateFileA(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                         OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  assert_true(h != INVALID_HANDLE_VALUE);
  return h;
}

void fdt_recv_all(SOCKET s, void *buf, int len) {
  char *p = buf;
  while (len > 0) {
    int r = recv(s, p, len, 0);
    assert_true(r > 0);
    p += r;
    len -= r;
  }
}

void fdt_send_all(SOCKET s, const void *buf, int len) {
  const char *p = buf;
  while (len > 0) {
    int r = send(s, p, len, 0);
    assert_true(r > 0);
    p += r;
    len -= r;
  }
}

fdt_close_log_t fdt_closes;

static int WSAAPI counting_close(SOCKET s) {
  LONG i = InterlockedIncrement(&fdt_closes.calls) - 1;
  if (i < 16) {
    fdt_closes.socks[i] = s;
    fdt_closes.tids[i] = GetCurrentThreadId();
  }
  int r = closesocket(s);
  if (fdt_closes.fail_with != 0) {
    WSASetLastError(fdt_closes.fail_with);
    return SOCKET_ERROR;
  }
  return r;
}

void fdt_count_closes(int fail_with) {
  memset(&fdt_closes, 0, sizeof fdt_closes);
  fdt_closes.fail_with = fail_with;
  core_hook_close = counting_close;
}

bool fdt_is_wine(void) {
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  return ntdll != NULL && GetProcAddress(ntdll, "wine_get_version") != NULL;
}
