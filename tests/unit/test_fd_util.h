/* test_fd_util.h: helpers shared by the test_fd_*.c suites (loopback
 * socket pairs, threads with hang guards, temp files, pending-state
 * probes).  Plain Win32, so the suites can later run against fakewin too.
 *
 * Failures inside helpers fail the calling cmocka case (they assert). */
#ifndef IOCPSIM_TEST_FD_UTIL_H
#define IOCPSIM_TEST_FD_UTIL_H

#include "iocpsim_test.h"

#include "core_test.h"

/* Generous hang guard for anything that must happen "soon": a case that
 * waits this long has failed, it is never a timing assertion. */
#define FDT_GUARD_MS 20000

/* NTSTATUS values seen in OVERLAPPED.Internal (spec/win32-fidelity.md F15-F17). */
#define FDT_STATUS_PENDING 0x00000103L
#define FDT_STATUS_CANCELLED ((LONG)0xC0000120L)

/* Runs core_package_init and asserts it succeeded; call first in every case. */
void fdt_startup(void);

/* 127.0.0.1 with the given port (host order). */
struct sockaddr_in fdt_loopback4(uint16_t port);
uint16_t fdt_local_port(SOCKET s);

/* A listening TCP socket on 127.0.0.1, its port in *port. */
SOCKET fdt_tcp_listener(uint16_t *port);
/* A connected loopback TCP pair made with plain connect/accept. */
void fdt_tcp_pair(SOCKET *client, SOCKET *server);
/* A UDP socket bound to 127.0.0.1, its port in *port. */
SOCKET fdt_udp_bound(uint16_t *port);
/* Resets the connection on close (SO_LINGER {1, 0}) and closes s. */
void fdt_reset_close(SOCKET s);

/* core_fd_new + core_fd_init, asserting success. */
core_fd_t *fdt_fd(HANDLE h, const char *net, bool pollable, bool is_stream, bool zero_read_is_eof);
core_fd_t *fdt_tcp_fd(SOCKET s);                    /* "tcp", pollable, stream, EOF on 0 */
core_fd_t *fdt_udp_fd(SOCKET s);                    /* "udp", pollable, datagram */
core_fd_t *fdt_file_fd(HANDLE h, const char *kind); /* pollable=false, as os does */

/* Closes (result ignored) and frees. */
void fdt_close_free(core_fd_t *fd);

/* Threads: start, and join with the hang guard (fails the case on expiry). */
HANDLE fdt_thread(LPTHREAD_START_ROUTINE fn, void *arg);
void fdt_join(HANDLE t);

/* Waits (hang guard) until fd's operation of mode 'r' or 'w' is really
 * pending: its OVERLAPPED is in flight *and* the submitting call has
 * returned ERROR_IO_PENDING, i.e. execIO has gone on to wait.  Internal
 * alone is not enough: Winsock stores STATUS_PENDING in it when the call
 * starts (F15), before the call decides whether it completes at once, so
 * data sent as soon as Internal reads 0x103 can still complete the call
 * synchronously (a race seen under load).  The second condition is
 * fdt_submitted_probe: by default "execIO is parked in the poller"
 * (core_test_fd_parked); a test that replaces the pollDesc sets its own
 * before running. */
void fdt_wait_pending(const core_fd_t *fd, int mode);
extern bool (*fdt_submitted_probe)(const core_fd_t *fd, int mode);

/* Waits (hang guard) until s has at least one byte or datagram queued. */
void fdt_wait_readable(SOCKET s);

/* An absolute deadline ms milliseconds from now on the core's clock. */
int64_t fdt_after_ms(int64_t ms);

/* A new empty temp file opened read/write (synchronous), its path in path. */
HANDLE fdt_temp_file(char path[MAX_PATH]);
/* The same file opened again with the given access. */
HANDLE fdt_reopen(const char path[MAX_PATH], DWORD access);

/* Reads exactly len bytes from a blocking socket (recv loop). */
void fdt_recv_all(SOCKET s, void *buf, int len);
/* Sends everything with send(). */
void fdt_send_all(SOCKET s, const void *buf, int len);

/* Counts calls of core_hook_close and remembers the sockets, then closes
 * them for real; installed by fdt_count_closes. */
typedef struct fdt_close_log {
  volatile LONG calls;
  SOCKET socks[16];
  DWORD tids[16]; /* the thread each close ran on (whoever dropped the last reference) */
  int fail_with;  /* if non-zero: close for real, then report this error */
} fdt_close_log_t;
extern fdt_close_log_t fdt_closes;
void fdt_count_closes(int fail_with);

/* True when running under Wine: ntdll exports wine_get_version.  In the
 * fake world that is the case exactly under the wine8 personality
 * (fakewin/src/fw_module.c), so a case that asserts Windows or Wine 8.0
 * behaviour by this probe asserts Windows' on the default fake world. */
bool fdt_is_wine(void);

/* Restores the hooks and maxRW the suites change; use as cmocka teardown. */
int fdt_teardown(void **state);

#endif
