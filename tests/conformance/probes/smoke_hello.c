#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>

int main(int argc, char **argv) {
  DWORD d = 4000000000u;
  LONG l = -5;
  WSADATA w;
  char *p = malloc(16);
  strcpy(p, "heap");
  int r = WSAStartup(MAKEWORD(2, 2), &w);
  printf("argc=%d %s WSAStartup=%d err=%lu long=%ld wide=%ls len=%u %I64u %zu %5.2f [%-4s] %c%lc\n", argc, p, r,
         d, l, L"h\u00e9llo", (unsigned)wcslen(L"abc"), (unsigned long long)1 << 40, sizeof(void *), 3.14159, "x", 'A', L'\u00e9');
  wprintf(L"%s-%S-%d\n", L"wide", "narrow", 7);
  u_long nb = 1;
  printf("u_long=%u timeval=%u fd_set=%u\n", (unsigned)sizeof nb, (unsigned)sizeof(struct timeval), (unsigned)sizeof(fd_set));
  free(p);
  WSACleanup();
  ExitProcess(3);
}
