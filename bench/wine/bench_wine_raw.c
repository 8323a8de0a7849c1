/* bench_wine_raw.c: the floor of the Wine benchmark (bench_wine.h): the
 * same exchange on a minimal raw IOCP loop, no core.  Each end is an
 * overlapped socket with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS on a
 * completion port of its own; a call that finishes at once is taken as
 * done (no packet), one that pends is waited for in
 * GetQueuedCompletionStatusEx by the thread that issued it.  The client runs
 * on the main thread, the echo server on a second thread. */
#include <winsock2.h>
#include <windows.h>
#include <mswsock.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_wine.h"

static void die(const char *what, int err) {
  bw_die("bench_wine_raw", what, err);
}

typedef struct end {
  SOCKET s;
  HANDLE port;
  OVERLAPPED ov;
} end_t;

static void end_init(end_t *e, SOCKET s) {
  e->s = s;
  e->port = CreateIoCompletionPort((HANDLE)s, NULL, 1, 1);
  if (e->port == NULL) die("CreateIoCompletionPort", (int)GetLastError());
  if (!SetFileCompletionNotificationModes(
          (HANDLE)s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE))
    die("SetFileCompletionNotificationModes", (int)GetLastError());
}

/* Waits for the packet of e's operation; returns the bytes it moved. */
static DWORD wait_done(end_t *e) {
  for (;;) {
    OVERLAPPED_ENTRY ent;
    ULONG got = 0;
    if (!GetQueuedCompletionStatusEx(e->port, &ent, 1, &got, INFINITE, FALSE))
      die("GQCSEx", (int)GetLastError());
    if (got == 1 && ent.lpOverlapped == &e->ov) {
      DWORD n = 0, flags = 0;
      if (!WSAGetOverlappedResult(e->s, &e->ov, &n, FALSE, &flags))
        die("overlapped result", WSAGetLastError());
      return n;
    }
  }
}

static DWORD io(end_t *e, char *buf, DWORD len, bool send) {
  WSABUF b = {len, buf};
  DWORD n = 0, flags = 0;
  memset(&e->ov, 0, sizeof e->ov);
  int r = send ? WSASend(e->s, &b, 1, &n, 0, &e->ov, NULL)
               : WSARecv(e->s, &b, 1, &n, &flags, &e->ov, NULL);
  if (r == 0) return n; /* done at once: skip-on-success, no packet */
  int err = WSAGetLastError();
  if (err != WSA_IO_PENDING) die(send ? "WSASend" : "WSARecv", err);
  return wait_done(e);
}

static void read_full(end_t *e, char *buf, DWORD len) {
  DWORD got = 0;
  while (got < len) {
    DWORD n = io(e, buf + got, len - got, false);
    if (n == 0) die("read (EOF)", 0);
    got += n;
  }
}

static void write_full(end_t *e, const char *buf, DWORD len) {
  DWORD put = 0;
  while (put < len) put += io(e, (char *)buf + put, len - put, true);
}

typedef struct server {
  end_t e;
  long rounds;
  long long bulk;
} server_t;

static DWORD WINAPI serve(LPVOID p) {
  server_t *s = p;
  if (s->bulk > 0) {
    char *buf = malloc(BW_CHUNK);
    for (long long left = s->bulk; left > 0;) {
      DWORD n = io(&s->e, buf, BW_CHUNK, false);
      if (n == 0) die("server read (EOF)", 0);
      left -= n;
    }
    write_full(&s->e, "k", 1);
    free(buf);
    return 0;
  }
  char msg[BW_MSG];
  for (long i = 0; i < s->rounds; i++) {
    read_full(&s->e, msg, sizeof msg);
    write_full(&s->e, msg, sizeof msg);
  }
  return 0;
}

int main(int argc, char **argv) {
  bool bulk;
  long count;
  if (!bw_args("bench_wine_raw", argc, argv, &bulk, &count)) return 64;
  WSADATA wd;
  if (WSAStartup(MAKEWORD(2, 2), &wd) != 0) die("WSAStartup", 0);
  SOCKET ln = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int len = sizeof sin;
  if (bind(ln, (struct sockaddr *)&sin, sizeof sin) != 0 || listen(ln, 16) != 0 ||
      getsockname(ln, (struct sockaddr *)&sin, &len) != 0)
    die("listen", WSAGetLastError());
  SOCKET c = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  if (connect(c, (struct sockaddr *)&sin, sizeof sin) != 0) die("connect", WSAGetLastError());
  SOCKET s = accept(ln, NULL, NULL);
  if (s == INVALID_SOCKET) die("accept", WSAGetLastError());
  /* as Go does for TCP: no Nagle */
  BOOL one = TRUE;
  setsockopt(c, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
  end_t ce;
  end_init(&ce, c);
  server_t sv = {.rounds = bulk ? 0 : count, .bulk = bulk ? (long long)count << 20 : 0};
  end_init(&sv.e, s);
  double t0 = bw_now_s();
  HANDLE th = CreateThread(NULL, 0, serve, &sv, 0, NULL);
  if (bulk) {
    char *buf = calloc(1, BW_CHUNK);
    for (long long sent = 0; sent < sv.bulk; sent += BW_CHUNK) write_full(&ce, buf, BW_CHUNK);
    char ack;
    read_full(&ce, &ack, 1);
    free(buf);
  } else {
    char msg[BW_MSG], back[BW_MSG];
    memset(msg, 'x', sizeof msg);
    for (long i = 0; i < count; i++) {
      write_full(&ce, msg, sizeof msg);
      read_full(&ce, back, sizeof back);
      if (memcmp(msg, back, sizeof msg) != 0) die("echo compare", -1);
    }
  }
  double t1 = bw_now_s();
  WaitForSingleObject(th, INFINITE);
  CloseHandle(th);
  printf("%s %ld %.6f\n", argv[1], count, t1 - t0);
  closesocket(c);
  closesocket(s);
  closesocket(ln);
  return 0;
}
