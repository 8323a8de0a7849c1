/* probe.h: helpers shared by the differential probes (ordinary Win32
 * console programs, built with mingw-w64 and against fakewin by
 * iocpsim_add_win32_program).  Output is one "key: value" line per
 * observation.  Values that legitimately differ between runs are marked
 * with a leading '~' (handles, pointers, port numbers) and elapsed times
 * as "@<ms>"; probe_diff.sh masks both.  Outputs that may stay unwritten
 * are pre-filled with the sentinel 0xdeadbeef, so "not written" shows. */
#ifndef PROBE_H
#define PROBE_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define SENT 0xdeadbeefu

static void probe_start(void) {
  WSADATA d;
  if (WSAStartup(MAKEWORD(2, 2), &d) != 0) {
    printf("WSAStartup failed\n");
    ExitProcess(2);
  }
}

static struct sockaddr_in probe_loopback(u_short port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

/* A listening TCP socket on 127.0.0.1 (overlapped) and its address. */
static SOCKET probe_listener(struct sockaddr_in *a) {
  SOCKET l = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  *a = probe_loopback(0);
  bind(l, (struct sockaddr *)a, sizeof *a);
  int len = sizeof *a;
  getsockname(l, (struct sockaddr *)a, &len);
  listen(l, 8);
  return l;
}

/* A connected pair of overlapped TCP sockets. */
static void probe_pair(SOCKET *c, SOCKET *s) {
  struct sockaddr_in a;
  SOCKET l = probe_listener(&a);
  *c = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  connect(*c, (struct sockaddr *)&a, sizeof a);
  *s = accept(l, NULL, NULL);
  closesocket(l);
}

/* A bound overlapped UDP socket and its address. */
static SOCKET probe_udp(struct sockaddr_in *a) {
  SOCKET u = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
  *a = probe_loopback(0);
  bind(u, (struct sockaddr *)a, sizeof *a);
  int len = sizeof *a;
  getsockname(u, (struct sockaddr *)a, &len);
  return u;
}

static void probe_ov(OVERLAPPED *o) {
  memset(o, 0, sizeof *o);
  o->Internal = SENT;
  o->InternalHigh = SENT;
}

/* Waits until `s` is readable (data, FIN or reset have arrived). */
static void probe_wait_readable(SOCKET s) {
  fd_set r;
  FD_ZERO(&r);
  FD_SET(s, &r);
  struct timeval tv = {2, 0};
  select(0, &r, NULL, NULL, &tv);
}

/* One dequeue without waiting (or `ms`), printed as
 * "key: ret=R err=E bytes=B key=K ov=O" with the OVERLAPPED named. */
static void probe_gqcs(const char *key, HANDLE port, DWORD ms, OVERLAPPED *mine) {
  DWORD n = SENT;
  ULONG_PTR k = SENT;
  LPOVERLAPPED o = (LPOVERLAPPED)(ULONG_PTR)SENT;
  SetLastError(0);
  BOOL r = GetQueuedCompletionStatus(port, &n, &k, &o, ms);
  DWORD e = GetLastError();
  printf("%s: ret=%d err=%lu bytes=0x%lx key=0x%lx ov=%s\n", key, r, r ? 0 : e, n, (DWORD)k,
         o == NULL                            ? "NULL"
         : o == mine                          ? "mine"
         : o == (LPOVERLAPPED)(ULONG_PTR)SENT ? "sentinel"
                                              : "other");
}

#endif
