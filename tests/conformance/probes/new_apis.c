/* new_apis: select, WSAPoll, WSAEventSelect/WSAEnumNetworkEvents,
 * getaddrinfo/getnameinfo/gethostname, FormatMessage, GetModuleFileNameW,
 * RtlNtStatusToDosError (issue 10: what an ordinary program needs).
 * Items: F50 (RtlNtStatusToDosError rows). */
#include "probe.h"

typedef ULONG(NTAPI *to_dos_fn)(LONG);

static void fmt(const char *key, DWORD code, DWORD flags) {
  char b[512];
  SetLastError(0);
  DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS | flags, NULL,
                           code, 0, b, sizeof b, NULL);
  DWORD e = GetLastError();
  printf("%s: n=%lu err=%lu [", key, n, n ? 0 : e);
  for (DWORD i = 0; i < n; i++) {
    if (b[i] == '\r')
      printf("\\r");
    else if (b[i] == '\n')
      printf("\\n");
    else
      putchar(b[i]);
  }
  printf("]\n");
}

int main(void) {
  probe_start();
  SOCKET c, s;
  probe_pair(&c, &s);
  fd_set r, w;
  struct timeval tv = {0, 0};
  FD_ZERO(&r);
  FD_SET(s, &r);
  FD_ZERO(&w);
  FD_SET(c, &w);
  int k = select(0, &r, &w, NULL, &tv);
  printf("select_idle: r=%d rd=%u wr=%u\n", k, r.fd_count, w.fd_count);
  send(c, "ab", 2, 0);
  FD_ZERO(&r);
  FD_SET(s, &r);
  tv.tv_sec = 2;
  k = select(0, &r, NULL, NULL, &tv);
  printf("select_data: r=%d rd=%u\n", k, r.fd_count);
  FD_ZERO(&r);
  k = select(0, &r, NULL, NULL, &tv);
  printf("select_empty: r=%d err=%d\n", k, k < 0 ? WSAGetLastError() : 0);
  WSAPOLLFD p[2] = {{s, POLLRDNORM, 0}, {c, POLLRDNORM | POLLWRNORM, 0}};
  k = WSAPoll(p, 2, 0);
  printf("poll_data: r=%d s=0x%x c=0x%x\n", k, p[0].revents, p[1].revents);
  char buf[8];
  recv(s, buf, sizeof buf, 0);
  shutdown(c, SD_SEND);
  Sleep(50);
  p[0].revents = 0;
  k = WSAPoll(p, 1, 1000);
  printf("poll_fin: r=%d s=0x%x\n", k, p[0].revents);
  SOCKET dead = socket(AF_INET, SOCK_STREAM, 0);
  closesocket(dead);
  WSAPOLLFD pd = {dead, POLLRDNORM, 0};
  k = WSAPoll(&pd, 1, 0);
  printf("poll_dead: r=%d err=%d revents=0x%x\n", k, k < 0 ? WSAGetLastError() : 0, pd.revents);
  WSAPOLLFD pm[2] = {{dead, POLLRDNORM, 0}, {INVALID_SOCKET, POLLRDNORM, 0}};
  k = WSAPoll(pm, 2, 0);
  printf("poll_dead_invalid: r=%d err=%d revents=0x%x 0x%x\n", k, k < 0 ? WSAGetLastError() : 0,
         pm[0].revents, pm[1].revents);
  closesocket(c);
  closesocket(s);
  probe_pair(&c, &s);
  WSAEVENT ev = WSACreateEvent();
  k = WSAEventSelect(s, ev, FD_READ | FD_WRITE | FD_CLOSE);
  printf("eventselect: r=%d signalled=%lu\n", k, WaitForSingleObject(ev, 0));
  WSANETWORKEVENTS ne;
  memset(&ne, 0xee, sizeof ne);
  k = WSAEnumNetworkEvents(s, ev, &ne);
  printf("enum1: r=%d events=0x%lx signalled=%lu\n", k, ne.lNetworkEvents,
         WaitForSingleObject(ev, 0));
  send(c, "xy", 2, 0);
  WaitForSingleObject(ev, 2000);
  k = WSAEnumNetworkEvents(s, ev, &ne);
  printf("enum_read: r=%d events=0x%lx err=%d\n", k, ne.lNetworkEvents, ne.iErrorCode[FD_READ_BIT]);
  send(c, "z", 1, 0);
  Sleep(50);
  printf("read_again_signalled: %lu\n", WaitForSingleObject(ev, 0));
  recv(s, buf, 1, 0);
  Sleep(20);
  k = WSAEnumNetworkEvents(s, ev, &ne);
  printf("enum_reenabled: r=%d events=0x%lx\n", k, ne.lNetworkEvents);
  recv(s, buf, sizeof buf, 0);
  shutdown(c, SD_SEND);
  WaitForSingleObject(ev, 2000);
  k = WSAEnumNetworkEvents(s, ev, &ne);
  printf("enum_close: r=%d events=0x%lx err=%d\n", k, ne.lNetworkEvents,
         ne.iErrorCode[FD_CLOSE_BIT]);
  k = recv(s, buf, sizeof buf, 0);
  printf("recv_nonblocking_eof: r=%d\n", k);
  WSACloseEvent(ev);
  closesocket(c);
  closesocket(s);
  /* resolver */
  ADDRINFOA hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  k = getaddrinfo("127.0.0.1", "8080", &hints, &res);
  printf("gai_numeric: r=%d", k);
  for (ADDRINFOA *a = res; a; a = a->ai_next) {
    char h[64];
    struct sockaddr_in *sin = (struct sockaddr_in *)a->ai_addr;
    inet_ntop(AF_INET, &sin->sin_addr, h, sizeof h);
    printf(" [fam=%d type=%d proto=%d len=%d %s:%u canon=%s]", a->ai_family, a->ai_socktype,
           a->ai_protocol, (int)a->ai_addrlen, h, ntohs(sin->sin_port),
           a->ai_canonname ? a->ai_canonname : "NULL");
  }
  printf("\n");
  if (res) freeaddrinfo(res);
  hints.ai_family = AF_INET6;
  res = NULL;
  k = getaddrinfo("::1", "80", &hints, &res);
  printf("gai_v6: r=%d fam=%d\n", k, res ? res->ai_family : -1);
  if (res) freeaddrinfo(res);
  hints.ai_family = AF_INET;
  hints.ai_flags = AI_PASSIVE;
  res = NULL;
  k = getaddrinfo(NULL, "0", &hints, &res);
  printf("gai_passive: r=%d any=%d\n", k,
         res ? ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr == 0 : -1);
  if (res) freeaddrinfo(res);
  hints.ai_flags = AI_NUMERICHOST;
  res = NULL;
  k = getaddrinfo("localhost", NULL, &hints, &res);
  printf("gai_numerichost_name: r=%d err=%d\n", k, WSAGetLastError());
  hints.ai_flags = 0;
  k = getaddrinfo("127.0.0.1", "http", &hints, &res);
  printf("gai_service_name: r=%d\n", k == 0 ? 0 : k);
  if (k == 0) freeaddrinfo(res);
  k = getaddrinfo("nonexistent.invalid", NULL, &hints, &res);
  printf("gai_unknown: r=%d\n", k);
  k = getaddrinfo(NULL, NULL, &hints, &res);
  printf("gai_nothing: r=%d\n", k);
  struct sockaddr_in sa = probe_loopback(443);
  char host[NI_MAXHOST], serv[NI_MAXSERV];
  k = getnameinfo((struct sockaddr *)&sa, sizeof sa, host, sizeof host, serv, sizeof serv,
                  NI_NUMERICHOST | NI_NUMERICSERV);
  printf("gni_numeric: r=%d %s %s\n", k, host, serv);
  char name[256];
  k = gethostname(name, sizeof name);
  printf("gethostname: r=%d ~%s\n", k, name);
  k = gethostname(name, 1);
  printf("gethostname_short: r=%d err=%d\n", k, WSAGetLastError());
  /* FormatMessage */
  fmt("fmt_0", 0, 0);
  fmt("fmt_6", 6, 0);
  fmt("fmt_87", 87, 0);
  fmt("fmt_995", 995, 0);
  fmt("fmt_10054", 10054, 0);
  fmt("fmt_10035", 10035, 0);
  fmt("fmt_6_width", 6, FORMAT_MESSAGE_MAX_WIDTH_MASK);
  fmt("fmt_unknown", 0x1234567, 0);
  char small[4];
  DWORD fn = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 6, 0, small, sizeof small, NULL);
  printf("fmt_small: n=%lu err=%lu\n", fn, GetLastError());
  LPWSTR wb = NULL;
  fn = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER, NULL, 87, 0,
                      (LPWSTR)&wb, 0, NULL);
  printf("fmt_w_alloc: n=%lu first=%c\n", fn, wb ? (char)wb[0] : '?');
  LocalFree(wb);
  /* GetModuleFileNameW and ntdll */
  WCHAR path[MAX_PATH];
  DWORD pn = GetModuleFileNameW(NULL, path, MAX_PATH);
  printf("module_file_name: n_ok=%d ends_exe=%d\n", pn > 4,
         pn > 4 && path[pn - 4] == '.' && (path[pn - 1] == 'e' || path[pn - 1] == 'E'));
  WCHAR tiny[4];
  SetLastError(0);
  pn = GetModuleFileNameW(NULL, tiny, 4);
  printf("module_file_name_short: n=%lu err=%lu term=%d\n", pn, GetLastError(), tiny[3] == 0);
  to_dos_fn to_dos = (to_dos_fn)(void (*)(void))GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                                               "RtlNtStatusToDosError");
  static const DWORD st[] = {0,          0x103,      0x80000005, 0x8000000A, 0xC0000120,
                             0xC000020D, 0xC0000241, 0xC0000236, 0xC00000B5, 0xC0000008,
                             0xC0000225, 0xC00000BB, 0xC0000001, 0xC000000D, 0xC0000022,
                             0xC0000034, 0xC0000043, 0xC00000BA, 0xC000009A, 0xC0000206,
                             0xC0000140, 0xC0000237, 0xC000014B, 0xC00000B0};
  for (unsigned i = 0; to_dos && i < sizeof st / sizeof st[0]; i++)
    printf("ntstatus_%08lx: %lu\n", st[i], to_dos((LONG)st[i]));
  WSACleanup();
  return 0;
}
