/* sfcnm: SetFileCompletionNotificationModes on sockets, files and bad
 * handles.  Items: F11 F13. */
#include "probe.h"

int main(void) {
  probe_start();
  SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  BOOL ok = SetFileCompletionNotificationModes((HANDLE)s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
  printf("socket_unassociated: ok=%d\n", ok);
  ok = SetFileCompletionNotificationModes((HANDLE)s, FILE_SKIP_SET_EVENT_ON_HANDLE);
  printf("socket_add_mode: ok=%d\n", ok);
  ok = SetFileCompletionNotificationModes((HANDLE)s, 0);
  printf("socket_zero: ok=%d\n", ok);
  SetLastError(0);
  ok = SetFileCompletionNotificationModes((HANDLE)s, 0x80);
  printf("socket_bad_flag: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  SetLastError(0);
  ok = SetFileCompletionNotificationModes((HANDLE)(ULONG_PTR)0x4444,
                                          FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
  printf("bogus_handle: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  SetLastError(0);
  ok = SetFileCompletionNotificationModes(ev, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
  printf("event_handle: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  HANDLE f = CreateFileA("probe_sfcnm.tmp", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                         FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, NULL);
  ok = SetFileCompletionNotificationModes(f, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
  printf("file: ok=%d\n", ok);
  CloseHandle(f);
  CloseHandle(ev);
  closesocket(s);
  WSACleanup();
  return 0;
}
