/* test_fw_sock_util.c: see test_fw_sock_util.h. */
#include "test_fw_sock_util.h"

void sk_run_modes(void (*fn)(void *), fw_personality_t p) {
  testdev_run(fn, (void *)(uintptr_t)0, SK_SEEDS, p);
  testdev_run(fn, (void *)(uintptr_t)SK_MODES_SKIP, SK_SEEDS, p);
}

void sk_run(void (*fn)(void *), fw_personality_t p) {
  testdev_run(fn, NULL, SK_SEEDS, p);
}

bool sk_wine(void) {
  return fw_world_personality() == FW_PERSONALITY_WINE8;
}

void sk_startup(void) {
  WSADATA d;
  SIM_EXPECT(WSAStartup(MAKEWORD(2, 2), &d) == 0);
}

void sk_cleanup(void) {
  SIM_EXPECT(WSACleanup() == 0);
}

struct sockaddr_in sk_addr4(uint16_t port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

SOCKET sk_listener(struct sockaddr_in *addr) {
  SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  SIM_EXPECT(l != INVALID_SOCKET);
  struct sockaddr_in a = sk_addr4(0);
  SIM_EXPECT(bind(l, (struct sockaddr *)&a, sizeof a) == 0);
  int len = sizeof a;
  SIM_EXPECT(getsockname(l, (struct sockaddr *)&a, &len) == 0);
  SIM_EXPECT(listen(l, 8) == 0);
  if (addr) *addr = a;
  return l;
}

void sk_tcp_pair(SOCKET *client, SOCKET *server) {
  struct sockaddr_in a;
  SOCKET l = sk_listener(&a);
  *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  SIM_EXPECT(*client != INVALID_SOCKET);
  SIM_EXPECT(connect(*client, (struct sockaddr *)&a, sizeof a) == 0);
  *server = accept(l, NULL, NULL);
  SIM_EXPECT(*server != INVALID_SOCKET);
  SIM_EXPECT(closesocket(l) == 0);
}

SOCKET sk_udp(struct sockaddr_in *addr) {
  SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  SIM_EXPECT(s != INVALID_SOCKET);
  struct sockaddr_in a = sk_addr4(0);
  SIM_EXPECT(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
  int len = sizeof a;
  SIM_EXPECT(getsockname(s, (struct sockaddr *)&a, &len) == 0);
  if (addr) *addr = a;
  return s;
}

HANDLE sk_port(void) {
  HANDLE p = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  SIM_EXPECT(p != NULL);
  return p;
}

void sk_assoc(HANDLE port, SOCKET s, ULONG_PTR key, UCHAR modes) {
  SIM_EXPECT(CreateIoCompletionPort((HANDLE)s, port, key, 0) == port);
  if (modes) SIM_EXPECT(SetFileCompletionNotificationModes((HANDLE)s, modes));
}

void sk_ov(OVERLAPPED *o) {
  memset(o, 0, sizeof *o);
  o->InternalHigh = SK_SENTINEL;
}

bool sk_get(HANDLE port, sk_pkt_t *p, DWORD timeout_ms) {
  p->ov = NULL;
  p->n = SK_SENTINEL;
  p->key = SK_SENTINEL;
  SetLastError(0);
  p->ok = GetQueuedCompletionStatus(port, &p->n, &p->key, &p->ov, timeout_ms);
  p->err = GetLastError();
  return p->ok || p->ov != NULL;
}

void sk_expect_pkt(HANDLE port, OVERLAPPED *ov, BOOL ok, DWORD err, DWORD n) {
  sk_pkt_t p;
  SIM_EXPECT(sk_get(port, &p, 0));
  SIM_EXPECT(p.ov == ov);
  SIM_EXPECT(p.ok == ok);
  if (!ok) SIM_EXPECT(p.err == err);
  SIM_EXPECT(p.n == n);
}

void sk_expect_no_pkt(HANDLE port) {
  sk_pkt_t p;
  SIM_EXPECT(!sk_get(port, &p, 0));
  SIM_EXPECT(p.err == WAIT_TIMEOUT);
}

void *sk_ext(SOCKET s, GUID g) {
  void *fn = NULL;
  DWORD n = SK_SENTINEL;
  SIM_EXPECT(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof g, &fn, sizeof fn, &n, NULL,
                      NULL) == 0);
  SIM_EXPECT(n == sizeof fn);
  SIM_EXPECT(fn != NULL);
  return fn;
}

void sk_settle(void) {
  /* a zero-length sleep is a scheduling point; events due now fire there */
  for (int i = 0; i < 4; i++) Sleep(0);
}
