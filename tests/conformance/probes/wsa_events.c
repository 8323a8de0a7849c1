/* wsa_events: Winsock events and WSAWaitForMultipleEvents. */
#include "probe.h"

int main(void) {
  WSAEVENT e[2];
  e[0] = WSACreateEvent();
  e[1] = WSACreateEvent();
  printf("created: %d\n", e[0] != WSA_INVALID_EVENT && e[1] != WSA_INVALID_EVENT);
  DWORD r = WSAWaitForMultipleEvents(2, e, FALSE, 0, FALSE);
  printf("wait_none: %lu\n", r);
  WSASetEvent(e[1]);
  r = WSAWaitForMultipleEvents(2, e, FALSE, 0, FALSE);
  printf("wait_any: %lu\n", r);
  r = WSAWaitForMultipleEvents(2, e, FALSE, 0, FALSE);
  printf("manual_reset_still: %lu\n", r);
  r = WSAWaitForMultipleEvents(2, e, TRUE, 0, FALSE);
  printf("wait_all_partial: %lu\n", r);
  WSASetEvent(e[0]);
  r = WSAWaitForMultipleEvents(2, e, TRUE, 0, FALSE);
  printf("wait_all: %lu\n", r);
  WSAResetEvent(e[0]);
  WSAResetEvent(e[1]);
  DWORD t0 = GetTickCount();
  r = WSAWaitForMultipleEvents(2, e, FALSE, 50, FALSE);
  printf("wait_timeout: %lu @%lu\n", r, GetTickCount() - t0);
  SetLastError(0);
  r = WSAWaitForMultipleEvents(0, e, FALSE, 0, FALSE);
  printf("wait_zero: %lu err=%d\n", r, WSAGetLastError());
  printf("close: %d\n", WSACloseEvent(e[0]));
  SetLastError(0);
  BOOL ok = WSACloseEvent(e[0]);
  printf("close_twice: %d err=%d\n", ok, WSAGetLastError());
  WSACloseEvent(e[1]);
  return 0;
}
