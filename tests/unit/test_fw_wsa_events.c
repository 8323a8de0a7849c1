/* test_fw_wsa_events.c: Winsock events and the process heap, on both
 * tiers: on the real API under Wine (the check that the fake is not a shared
 * misunderstanding) and on fakewin, where every case runs in simulated worlds
 * over seeds (iocpsim_world.c).  Rules from the WSACreateEvent,
 * WSASetEvent, WSAResetEvent, WSACloseEvent, WSAWaitForMultipleEvents,
 * GetProcessHeap, HeapAlloc and HeapFree documentation. */
#include "iocpsim_test.h"

#include <winsock2.h>
#include <windows.h>

#include <string.h>

/* WSACreateEvent: manual reset, initially not set; a set event stays set
 * through any number of waits until WSAResetEvent. */
static void wsa_event_is_manual_reset_and_starts_unset(void **state) {
  (void)state;
  WSAEVENT e = WSACreateEvent();
  assert_true(e != WSA_INVALID_EVENT);
  assert_int_equal(WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
  assert_true(WSASetEvent(e));
  assert_int_equal(WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE), WSA_WAIT_EVENT_0);
  assert_int_equal(WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE), WSA_WAIT_EVENT_0);
  assert_true(WSAResetEvent(e));
  assert_int_equal(WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
  assert_true(WSACloseEvent(e));
}

/* Wait-any reports the lowest signalled index; wait-all only when all are
 * set; a Winsock event is a kernel event, so the kernel32 calls work on it. */
static void wsa_wait_any_and_all(void **state) {
  (void)state;
  WSAEVENT e[3];
  for (int i = 0; i < 3; i++) e[i] = WSACreateEvent();
  assert_true(SetEvent(e[2]));
  assert_int_equal(WSAWaitForMultipleEvents(3, e, FALSE, 0, FALSE), WSA_WAIT_EVENT_0 + 2);
  assert_true(WSASetEvent(e[1]));
  assert_int_equal(WSAWaitForMultipleEvents(3, e, FALSE, 0, FALSE), WSA_WAIT_EVENT_0 + 1);
  assert_int_equal(WSAWaitForMultipleEvents(3, e, TRUE, 0, FALSE), WSA_WAIT_TIMEOUT);
  assert_true(WSASetEvent(e[0]));
  assert_int_equal(WSAWaitForMultipleEvents(3, e, TRUE, 0, FALSE), WSA_WAIT_EVENT_0);
  assert_int_equal(WaitForSingleObject(e[1], 0), WAIT_OBJECT_0);
  for (int i = 0; i < 3; i++) assert_true(WSACloseEvent(e[i]));
}

typedef struct setter {
  WSAEVENT e;
  DWORD delay_ms;
} setter_t;

static DWORD WINAPI set_later(LPVOID p) {
  setter_t *s = p;
  Sleep(s->delay_ms);
  WSASetEvent(s->e);
  return 0;
}

/* A waiter blocked with WSA_INFINITE is released by another thread's
 * WSASetEvent. */
static void wsa_wait_released_by_another_thread(void **state) {
  (void)state;
  setter_t s = {WSACreateEvent(), 20};
  HANDLE th = CreateThread(NULL, 0, set_later, &s, 0, NULL);
  assert_non_null(th);
  assert_int_equal(WSAWaitForMultipleEvents(1, &s.e, FALSE, WSA_INFINITE, FALSE), WSA_WAIT_EVENT_0);
  assert_int_equal(WaitForSingleObject(th, 10000), WAIT_OBJECT_0);
  CloseHandle(th);
  assert_true(WSACloseEvent(s.e));
}

/* Bad arguments: no events, too many, a closed handle. */
static void wsa_event_errors(void **state) {
  (void)state;
  WSAEVENT e = WSACreateEvent();
  assert_int_equal(WSAWaitForMultipleEvents(0, &e, FALSE, 0, FALSE), WSA_WAIT_FAILED);
  assert_int_equal(WSAGetLastError(), WSA_INVALID_PARAMETER);
  WSAEVENT many[WSA_MAXIMUM_WAIT_EVENTS + 1];
  for (int i = 0; i <= WSA_MAXIMUM_WAIT_EVENTS; i++) many[i] = e;
  assert_int_equal(WSAWaitForMultipleEvents(WSA_MAXIMUM_WAIT_EVENTS + 1, many, FALSE, 0, FALSE),
                   WSA_WAIT_FAILED);
  assert_int_equal(WSAGetLastError(), WSA_INVALID_PARAMETER);
  assert_true(WSACloseEvent(e));
  assert_false(WSACloseEvent(e));
  assert_int_equal(WSAGetLastError(), WSA_INVALID_HANDLE);
  assert_false(WSASetEvent(e));
  assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

/* HeapAlloc with HEAP_ZERO_MEMORY zeroes; a block is writable to its size;
 * HeapFree of NULL succeeds. */
static void process_heap_alloc_and_free(void **state) {
  (void)state;
  HANDLE heap = GetProcessHeap();
  assert_non_null(heap);
  unsigned char *p = HeapAlloc(heap, HEAP_ZERO_MEMORY, 4096);
  assert_non_null(p);
  for (int i = 0; i < 4096; i++) assert_int_equal(p[i], 0);
  memset(p, 0xab, 4096);
  assert_true(HeapFree(heap, 0, p));
  void *z = HeapAlloc(heap, 0, 0);
  assert_non_null(z);
  assert_true(HeapFree(heap, 0, z));
  assert_true(HeapFree(heap, 0, NULL));
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(wsa_event_is_manual_reset_and_starts_unset),
      cmocka_unit_test(wsa_wait_any_and_all),
      cmocka_unit_test(wsa_wait_released_by_another_thread),
      cmocka_unit_test(wsa_event_errors),
      cmocka_unit_test(process_heap_alloc_and_free),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
