/* test_fw_core_findings.c: fakewin behaviours that running the core's own
 * suites in fake worlds brought to light (issue 5), pinned down one by one
 * against what Windows and Wine 8.0 do.  Native tier; each case runs inside
 * simulated worlds (iocpsim_world_support) under both personalities.  The
 * Wine 8.0 answers were probed under Wine 8.0 on the mingw tier. */
#include "iocpsim_test.h"

#include <winsock2.h>
#include <mswsock.h>
#include <windows.h>

#include "fw_world.h"

static void startup(void) {
  WSADATA d;
  assert_int_equal(WSAStartup(MAKEWORD(2, 2), &d), 0);
}

static int ctx_opt(SOCKET s, int opt, SOCKET arg) {
  WSASetLastError(0);
  int r = setsockopt(s, SOL_SOCKET, opt, (const char *)&arg, (int)sizeof arg);
  return r == 0 ? 0 : WSAGetLastError();
}

/* The four handles test_fd_tcp's accept_update_context_fails and a probe
 * under Wine 8.0 use: a closed socket, INVALID_SOCKET, a fresh unconnected
 * TCP socket and a UDP socket. */
typedef struct ctx_results {
  int accept_closed, accept_invalid, accept_fresh, accept_udp;
  int connect_closed, connect_invalid, connect_fresh, connect_udp;
} ctx_results_t;

static ctx_results_t update_contexts(void) {
  SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  SOCKET dead = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  SOCKET fresh = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  SOCKET udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  assert_true(l != INVALID_SOCKET && dead != INVALID_SOCKET);
  assert_true(fresh != INVALID_SOCKET && udp != INVALID_SOCKET);
  assert_int_equal(closesocket(dead), 0);
  ctx_results_t r;
  r.accept_closed = ctx_opt(dead, SO_UPDATE_ACCEPT_CONTEXT, l);
  r.accept_invalid = ctx_opt(INVALID_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, l);
  r.accept_fresh = ctx_opt(fresh, SO_UPDATE_ACCEPT_CONTEXT, l);
  r.accept_udp = ctx_opt(udp, SO_UPDATE_ACCEPT_CONTEXT, l);
  r.connect_closed = ctx_opt(dead, SO_UPDATE_CONNECT_CONTEXT, 0);
  r.connect_invalid = ctx_opt(INVALID_SOCKET, SO_UPDATE_CONNECT_CONTEXT, 0);
  r.connect_fresh = ctx_opt(fresh, SO_UPDATE_CONNECT_CONTEXT, 0);
  r.connect_udp = ctx_opt(udp, SO_UPDATE_CONNECT_CONTEXT, 0);
  assert_int_equal(closesocket(l), 0);
  assert_int_equal(closesocket(fresh), 0);
  assert_int_equal(closesocket(udp), 0);
  return r;
}

/* @covers W11 W24
 * SO_UPDATE_ACCEPT_CONTEXT / SO_UPDATE_CONNECT_CONTEXT.  Windows validates
 * the handle (a closed socket or INVALID_SOCKET: WSAENOTSOCK, so Go's Accept
 * fails with errcall "setsockopt" when the accept socket died).  Wine 8.0
 * answers 0 whatever the handle and whatever the socket's state, which is
 * why Accept's setsockopt failure never happens under Wine (test_fd_tcp's
 * accept_update_context_fails). */
static void update_context_validation_by_personality(void **state) {
  (void)state;
  startup();
  ctx_results_t win = update_contexts();
  fw_world_set_personality(FW_PERSONALITY_WINE8);
  ctx_results_t wine = update_contexts();
  fw_world_reset_config();

  /* the unconnected and UDP sockets' Windows answers are fakewin's own
   * reading of F32/F35 and belong to its socket tests; only the handle
   * check is asserted here */
  assert_int_equal(win.accept_closed, WSAENOTSOCK);
  assert_int_equal(win.accept_invalid, WSAENOTSOCK);
  assert_int_equal(win.connect_closed, WSAENOTSOCK);
  assert_int_equal(win.connect_invalid, WSAENOTSOCK);

  assert_int_equal(wine.accept_closed, 0);
  assert_int_equal(wine.accept_invalid, 0);
  assert_int_equal(wine.accept_fresh, 0);
  assert_int_equal(wine.accept_udp, 0);
  assert_int_equal(wine.connect_closed, 0);
  assert_int_equal(wine.connect_invalid, 0);
  assert_int_equal(wine.connect_fresh, 0);
  assert_int_equal(wine.connect_udp, 0);
  assert_int_equal(WSACleanup(), 0);
}

typedef struct seek_result {
  BOOL ok;
  DWORD err;
} seek_result_t;

static seek_result_t seek(HANDLE h, LONGLONG dist, DWORD method) {
  LARGE_INTEGER d, out;
  d.QuadPart = dist;
  SetLastError(0);
  seek_result_t r;
  r.ok = SetFilePointerEx(h, d, &out, method);
  r.err = GetLastError();
  return r;
}

/* @covers W23
 * SetFilePointerEx on a pipe (test_fd_file's file_path_errors_count_zero).
 * Windows' I/O manager keeps a position for any synchronous file object
 * without asking the pipe driver, so the call succeeds (which is why Go's
 * Seek answers ESPIPE for pipes itself, and why C runtimes "seek" pipes);
 * only a negative position is refused.  Wine 8.0 refuses pipes:
 * FILE_BEGIN with ERROR_BAD_DEV_TYPE, FILE_CURRENT and FILE_END with
 * ERROR_INVALID_FUNCTION.  A handle that is no file object fails on both
 * with ERROR_INVALID_HANDLE. */
static void pipe_seek_by_personality(void **state) {
  (void)state;
  HANDLE r, w;
  assert_true(CreatePipe(&r, &w, NULL, 0));
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  assert_non_null(ev);
  seek_result_t win[5], wine[5];
  for (int pass = 0; pass < 2; pass++) {
    seek_result_t *res = pass == 0 ? win : wine;
    if (pass == 1) fw_world_set_personality(FW_PERSONALITY_WINE8);
    res[0] = seek(r, 0, FILE_BEGIN);
    res[1] = seek(r, -1, FILE_BEGIN);
    res[2] = seek(w, 0, FILE_CURRENT);
    res[3] = seek(r, 0, FILE_END);
    res[4] = seek(ev, 0, FILE_CURRENT);
  }
  fw_world_reset_config();

  assert_true(win[0].ok);
  assert_false(win[1].ok);
  assert_int_equal(win[1].err, ERROR_NEGATIVE_SEEK);
  assert_true(win[2].ok);
  assert_true(win[3].ok);
  assert_false(win[4].ok);
  assert_int_equal(win[4].err, ERROR_INVALID_HANDLE);

  assert_false(wine[0].ok);
  assert_int_equal(wine[0].err, ERROR_BAD_DEV_TYPE);
  assert_false(wine[1].ok);
  assert_int_equal(wine[1].err, ERROR_NEGATIVE_SEEK);
  assert_false(wine[2].ok);
  assert_int_equal(wine[2].err, ERROR_INVALID_FUNCTION);
  assert_false(wine[3].ok);
  assert_int_equal(wine[3].err, ERROR_INVALID_FUNCTION);
  assert_false(wine[4].ok);
  assert_int_equal(wine[4].err, ERROR_INVALID_HANDLE);
  CloseHandle(r);
  CloseHandle(w);
  CloseHandle(ev);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(update_context_validation_by_personality),
      cmocka_unit_test(pipe_seek_by_personality),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
