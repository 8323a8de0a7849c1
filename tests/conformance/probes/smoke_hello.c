/* smoke_hello: what an ordinary console program needs (no F/W item): the
 * C runtime through <windows.h> (malloc, strcpy), printf with Windows'
 * LLP64 rules, UTF-16 L"" literals and wcslen, the Winsock types' sizes,
 * argv, and ExitProcess's code as the exit status (checked by the runner). */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>

int main(int argc, char **argv) {
  DWORD d = 4000000000u;
  LONG l = -5;
  WSADATA w;
  char *p = malloc(16);
  char b[8];
  (void)argv;
  strcpy(p, "heap");
  int r = WSAStartup(MAKEWORD(2, 2), &w);
  printf("argc: %d\n", argc);
  printf("malloc: %s\n", p);
  printf("WSAStartup: %d\n", r);
  printf("dword_lu: %lu\n", d);
  printf("long_ld: %ld\n", l);
  printf("wide_ls: %ls\n", L"hello");
  printf("wcslen: %u\n", (unsigned)wcslen(L"abc"));
  printf("I64u: %I64u\n", (unsigned long long)1 << 40);
  printf("zu: %zu\n", sizeof(void *));
  printf("float: %5.2f\n", 3.14159);
  printf("pad: [%-4s]\n", "x");
  printf("chars: %c%lc\n", 'A', L'B');
  printf("lx: %lx %08lX %+ld %Id %llx\n", 0xdeadbeefUL, 0xcafeUL, 5L, (INT_PTR)-1,
         0x123456789abULL);
  printf("p: %p\n", (void *)(ULONG_PTR)0x1234abcdu);
  printf("S: %S %C\n", L"wide", L'W');
  printf("null: %s\n", (char *)NULL);
  wprintf(L"wprintf: %s %ls %S %d\n", "narrow", L"wide", L"wide2", 7);
  r = snprintf(b, 4, "abcdef");
  printf("snprintf: %d %s\n", r, b);
  memset(b, 'z', sizeof b);
  r = _snprintf(b, 4, "abcdef");
  printf("_snprintf: %d %.8s\n", r, b);
  u_long nb = 1;
  printf("sizes: u_long=%u timeval=%u fd_set=%u\n", (unsigned)sizeof nb,
         (unsigned)sizeof(struct timeval), (unsigned)sizeof(fd_set));
  free(p);
  WSACleanup();
  fflush(stdout);
  ExitProcess(3);
}
