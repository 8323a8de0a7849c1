/* test_fw_sock_util.h: helpers shared by the socket tests of fakewin
 * (test_fw_sock_*.c, spec/win32-fidelity.md F20-F35, F40, F41, F48, F49 and
 * the W rows W4, W5, W9-W14).
 *
 * Every case is a program that runs as the main thread of fake worlds
 * (testdev_run: several seeds, a personality, no leaked handle allowed);
 * SIM_EXPECT ends a run that disagrees with the spec.  Outputs that must stay
 * unwritten are pre-filled with the sentinel 0xdeadbeef (F53). */
#ifndef IOCPSIM_TESTS_TEST_FW_SOCK_UTIL_H
#define IOCPSIM_TESTS_TEST_FW_SOCK_UTIL_H

#include "iocpsim_test.h"

#include <string.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <ntstatus.h>

#include "fw_testdev.h"

#define SK_SEEDS 6
#define SK_SENTINEL 0xdeadbeefu
#define SK_MODES_SKIP (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE)

/* Runs fn in worlds of both notification modes: arg = (void *)(uintptr_t)modes. */
void sk_run_modes(void (*fn)(void *), fw_personality_t p);
void sk_run(void (*fn)(void *), fw_personality_t p);

bool sk_wine(void);
void sk_startup(void);
void sk_cleanup(void);

/* 127.0.0.1:port. */
struct sockaddr_in sk_addr4(uint16_t port);

/* A bound, listening TCP socket on 127.0.0.1 and its address. */
SOCKET sk_listener(struct sockaddr_in *addr);
/* A connected TCP pair through a throw-away listener (connect + accept). */
void sk_tcp_pair(SOCKET *client, SOCKET *server);
/* A UDP socket bound to 127.0.0.1:0 and its address. */
SOCKET sk_udp(struct sockaddr_in *addr);

/* A completion port; associates s with it under key, sets the modes. */
HANDLE sk_port(void);
void sk_assoc(HANDLE port, SOCKET s, ULONG_PTR key, UCHAR modes);

/* An OVERLAPPED with InternalHigh = the sentinel (F16). */
void sk_ov(OVERLAPPED *o);

/* One packet without waiting: fills p, returns whether one was there. */
typedef struct sk_pkt {
  BOOL ok;
  DWORD err, n;
  ULONG_PTR key;
  OVERLAPPED *ov;
} sk_pkt_t;
bool sk_get(HANDLE port, sk_pkt_t *p, DWORD timeout_ms);
/* Exactly one packet for ov with (ok, err, n) is queued now; err is only
 * checked when !ok. */
void sk_expect_pkt(HANDLE port, OVERLAPPED *ov, BOOL ok, DWORD err, DWORD n);
void sk_expect_no_pkt(HANDLE port);

/* Loads an extension function. */
void *sk_ext(SOCKET s, GUID g);

/* Lets pending timed events (zero-latency deliveries, ConnectEx) run. */
void sk_settle(void);

/* WSA error expectation: the call fails and WSAGetLastError() == err. */
#define SK_EXPECT_WSA(expr, err)                 \
  do {                                           \
    WSASetLastError(0xdeadbeef);                 \
    SIM_EXPECT((expr) == SOCKET_ERROR);          \
    SIM_EXPECT(WSAGetLastError() == (int)(err)); \
  } while (0)

#endif
