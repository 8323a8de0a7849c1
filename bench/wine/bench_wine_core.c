/* bench_wine_core.c: the Wine benchmark through the core (bench_wine.h):
 * both ends are core FDs made as Go's net package makes them (listen,
 * dial, accept: pollable, on the core's completion port, skip-on-success
 * where the provider allows it); the client runs on the main thread and
 * the echo server on a second thread, as two goroutines would. */
#include "core.h"
#include "core_net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_wine.h"

static void die(const char *what, int err) {
  bw_die("bench_wine_core", what, err);
}

static int read_full(core_fd_t *fd, char *buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    size_t n = 0;
    int err = core_fd_read(fd, buf + got, len - got, &n);
    if (err != 0) return err;
    if (n == 0) return -1;
    got += n;
  }
  return 0;
}

typedef struct server {
  core_fd_t *fd;
  long rounds;    /* pingpong: echo this many messages */
  long long bulk; /* bulk: read this many bytes */
} server_t;

static DWORD WINAPI serve(LPVOID p) {
  server_t *s = p;
  if (s->bulk > 0) {
    char *buf = malloc(BW_CHUNK);
    long long left = s->bulk;
    while (left > 0) {
      size_t n = 0;
      int err = core_fd_read(s->fd, buf, BW_CHUNK, &n);
      if (err != 0 || n == 0) die("server read", err);
      left -= (long long)n;
    }
    char ack = 'k';
    size_t n = 0;
    int err = core_fd_write(s->fd, &ack, 1, &n);
    if (err != 0) die("server ack", err);
    free(buf);
    return 0;
  }
  char msg[BW_MSG];
  for (long i = 0; i < s->rounds; i++) {
    int err = read_full(s->fd, msg, sizeof msg);
    if (err != 0) die("server read", err);
    size_t n = 0;
    err = core_fd_write(s->fd, msg, sizeof msg, &n);
    if (err != 0) die("server write", err);
  }
  return 0;
}

int main(int argc, char **argv) {
  bool bulk;
  long count;
  if (!bw_args("bench_wine_core", argc, argv, &bulk, &count)) return 64;
  int err = core_package_init();
  if (err != 0) die("package init", err);
  core_sockaddr_t sa;
  core_net_parse_addr("127.0.0.1:0", &sa);
  core_fd_t *ln = NULL, *c = NULL, *s = NULL;
  if ((err = core_net_listen("tcp4", &sa, 16, &ln)) != 0) die("listen", err);
  if ((err = core_net_local_addr(ln, &sa)) != 0) die("local addr", err);
  if ((err = core_net_dial("tcp4", &sa, 0, &c)) != 0) die("dial", err);
  if ((err = core_net_accept(ln, &s, NULL)) != 0) die("accept", err);
  server_t sv = {s, bulk ? 0 : count, bulk ? (long long)count << 20 : 0};
  double t0 = bw_now_s();
  HANDLE th = CreateThread(NULL, 0, serve, &sv, 0, NULL);
  if (bulk) {
    char *buf = calloc(1, BW_CHUNK);
    for (long long sent = 0; sent < sv.bulk; sent += BW_CHUNK) {
      size_t n = 0;
      if ((err = core_fd_write(c, buf, BW_CHUNK, &n)) != 0) die("client write", err);
    }
    char ack;
    if ((err = read_full(c, &ack, 1)) != 0) die("client ack", err);
    free(buf);
  } else {
    char msg[BW_MSG], back[BW_MSG];
    memset(msg, 'x', sizeof msg);
    for (long i = 0; i < count; i++) {
      size_t n = 0;
      if ((err = core_fd_write(c, msg, sizeof msg, &n)) != 0) die("client write", err);
      if ((err = read_full(c, back, sizeof back)) != 0) die("client read", err);
      if (memcmp(msg, back, sizeof msg) != 0) die("echo compare", -1);
    }
  }
  double t1 = bw_now_s();
  WaitForSingleObject(th, INFINITE);
  CloseHandle(th);
  printf("%s %ld %.6f\n", argv[1], count, t1 - t0);
  core_fd_close(c);
  core_fd_close(s);
  core_fd_close(ln);
  return 0;
}
