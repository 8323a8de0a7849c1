/* ov_result: GetOverlappedResult and WSAGetOverlappedResult on crafted
 * OVERLAPPED statuses, and after closesocket.
 * Items: F18 F50 F51 W18. */
#include "probe.h"

int main(void) {
  probe_start();
  SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  static const DWORD st[] = {0,          0x103,      0x40000000, 0x80000005, 0x8000000A,
                             0xC0000120, 0xC0000011, 0xC000020D, 0xC000013B, 0xC000013C,
                             0xC000020C, 0xC0000241, 0xC0000236, 0xC000023F, 0xC000023D,
                             0xC000023C, 0xC0000140, 0xC00000B5, 0xC0000237, 0xC000014B,
                             0xC00000B1, 0xC00000B0, 0xC0000023, 0xC0000008, 0xC0000225,
                             0xC000009A, 0xC0000206, 0xC00000BB, 0xC0000001, 0xC000000D};
  for (unsigned i = 0; i < sizeof st / sizeof st[0]; i++) {
    OVERLAPPED ov;
    probe_ov(&ov);
    ov.Internal = st[i];
    ov.InternalHigh = 7;
    DWORD n = SENT, fl = SENT;
    SetLastError(0);
    BOOL a = GetOverlappedResult((HANDLE)s, &ov, &n, FALSE);
    DWORD ea = GetLastError();
    printf("gor_%08lx: ok=%d err=%lu n=0x%lx\n", st[i], a, a ? 0 : ea, n);
    n = SENT;
    WSASetLastError(0);
    BOOL b = WSAGetOverlappedResult(s, &ov, &n, FALSE, &fl);
    int eb = WSAGetLastError();
    printf("wsagor_%08lx: ok=%d err=%d n=0x%lx flags=0x%lx\n", st[i], b, b ? 0 : eb, n, fl);
  }
  OVERLAPPED ov;
  probe_ov(&ov);
  ov.Internal = 0;
  ov.InternalHigh = 3;
  closesocket(s);
  DWORD n = SENT, fl = SENT;
  BOOL b = WSAGetOverlappedResult(s, &ov, &n, FALSE, &fl);
  printf("wsagor_closed: ok=%d err=%d n=0x%lx\n", b, b ? 0 : WSAGetLastError(), n);
  n = SENT;
  BOOL a = GetOverlappedResult((HANDLE)s, &ov, &n, FALSE);
  printf("gor_closed: ok=%d n=0x%lx\n", a, n);
  WSACleanup();
  return 0;
}
