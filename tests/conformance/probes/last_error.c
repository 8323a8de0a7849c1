/* last_error: what the last error holds after *successful* Winsock and
 * kernel32 calls (the calls set it, leave it, or clear it).  The probe sets
 * a marker, makes a call that succeeds, and prints the last error.
 * Items: F20 (return convention). */
#include "probe.h"

#define MARK 0x1234u
#define AFTER(key, call)                                    \
  do {                                                      \
    SetLastError(MARK);                                     \
    long long r_ = (long long)(call);                       \
    DWORD e_ = GetLastError();                              \
    printf("%s: ok=%d lasterr=0x%lx\n", key, r_ != -1, e_); \
  } while (0)

int main(void) {
  WSADATA d;
  AFTER("WSAStartup", WSAStartup(MAKEWORD(2, 2), &d));
  SOCKET s = INVALID_SOCKET, c, a;
  AFTER("socket", s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
  struct sockaddr_in sa = probe_loopback(0);
  AFTER("bind", bind(s, (struct sockaddr *)&sa, sizeof sa));
  int len = sizeof sa;
  AFTER("getsockname", getsockname(s, (struct sockaddr *)&sa, &len));
  AFTER("listen", listen(s, 4));
  c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  AFTER("connect", connect(c, (struct sockaddr *)&sa, sizeof sa));
  AFTER("accept", a = accept(s, NULL, NULL));
  AFTER("send", send(c, "hello", 5, 0));
  char buf[8];
  probe_wait_readable(a);
  AFTER("recv", recv(a, buf, sizeof buf, 0));
  int v = 1;
  AFTER("setsockopt", setsockopt(c, IPPROTO_TCP, TCP_NODELAY, (char *)&v, sizeof v));
  len = sizeof v;
  AFTER("getsockopt", getsockopt(c, SOL_SOCKET, SO_TYPE, (char *)&v, &len));
  u_long nb = 1;
  AFTER("ioctlsocket", ioctlsocket(c, FIONBIO, &nb));
  AFTER("recv_wouldblock", recv(c, buf, sizeof buf, 0));
  WSABUF wb = {5, "world"};
  DWORD n;
  AFTER("WSASend", WSASend(c, &wb, 1, &n, 0, NULL, NULL));
  AFTER("shutdown", shutdown(c, SD_SEND));
  AFTER("WSAGetLastError_itself", WSAGetLastError());
  AFTER("closesocket", closesocket(c));
  AFTER("closesocket_a", closesocket(a));
  AFTER("closesocket_s", closesocket(s));
  HANDLE ev = NULL;
  AFTER("CreateEventA", ev = CreateEventA(NULL, TRUE, FALSE, NULL));
  AFTER("SetEvent", SetEvent(ev));
  AFTER("WaitForSingleObject", WaitForSingleObject(ev, 0));
  AFTER("CloseHandle", CloseHandle(ev));
  AFTER("CreateEventA_named_twice", ev = CreateEventA(NULL, TRUE, FALSE, "probe_ev"));
  HANDLE ev2 = NULL;
  AFTER("CreateEventA_named_again", ev2 = CreateEventA(NULL, TRUE, FALSE, "probe_ev"));
  CloseHandle(ev2);
  CloseHandle(ev);
  HANDLE port = NULL;
  AFTER("CreateIoCompletionPort", port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0));
  AFTER("PostQueuedCompletionStatus", PostQueuedCompletionStatus(port, 0, 0, NULL));
  DWORD b;
  ULONG_PTR k;
  LPOVERLAPPED o;
  AFTER("GetQueuedCompletionStatus", GetQueuedCompletionStatus(port, &b, &k, &o, 0));
  CloseHandle(port);
  AFTER("WSACleanup", WSACleanup());
  return 0;
}
