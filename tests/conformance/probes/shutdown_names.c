/* shutdown_names: getpeername and getsockname on a TCP connection as it is
 * shut down - one direction, both directions, SD_BOTH on both ends, the
 * peer closing gracefully or with a reset.
 * Items: W36. */
#include "probe.h"

/* Prints getpeername's result on s and whether it names `want`, then
 * getsockname's. */
static void names(const char *key, SOCKET s, const struct sockaddr_in *want) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  int len = sizeof a;
  int r = getpeername(s, (struct sockaddr *)&a, &len);
  int e = r ? WSAGetLastError() : 0;
  int same = r == 0 && a.sin_port == want->sin_port && a.sin_addr.s_addr == want->sin_addr.s_addr;
  len = sizeof a;
  int r2 = getsockname(s, (struct sockaddr *)&a, &len);
  printf("%s: peer r=%d err=%d same=%d; sock r=%d\n", key, r, e, same, r2);
}

/* A connected pair and the address each end has. */
static void pair(SOCKET *c, SOCKET *s, struct sockaddr_in *ca, struct sockaddr_in *sa) {
  probe_pair(c, s);
  int len = sizeof *ca;
  getsockname(*c, (struct sockaddr *)ca, &len);
  len = sizeof *sa;
  getsockname(*s, (struct sockaddr *)sa, &len);
}

static int recv_now(SOCKET s) {
  char buf[16];
  probe_wait_readable(s);
  return recv(s, buf, sizeof buf, 0);
}

int main(void) {
  probe_start();
  SOCKET c, s;
  struct sockaddr_in ca, sa;

  /* one direction, then the other */
  pair(&c, &s, &ca, &sa);
  printf("sd_send_client: r=%d\n", shutdown(c, SD_SEND));
  printf("server_reads_eof: r=%d\n", recv_now(s));
  names("half_client", c, &sa);
  names("half_server", s, &ca);
  printf("sd_send_server: r=%d\n", shutdown(s, SD_SEND));
  printf("client_reads_eof: r=%d\n", recv_now(c));
  Sleep(50);
  names("both_fin_client", c, &sa);
  names("both_fin_server", s, &ca);
  closesocket(c);
  closesocket(s);

  /* SD_RECEIVE alone sends nothing */
  pair(&c, &s, &ca, &sa);
  printf("sd_receive_client: r=%d\n", shutdown(c, SD_RECEIVE));
  names("sd_receive_client", c, &sa);
  names("sd_receive_server", s, &ca);
  closesocket(c);
  closesocket(s);

  /* SD_BOTH on one end, then on the other */
  pair(&c, &s, &ca, &sa);
  printf("sd_both_client: r=%d\n", shutdown(c, SD_BOTH));
  printf("server_reads_eof2: r=%d\n", recv_now(s));
  names("sd_both_one_client", c, &sa);
  names("sd_both_one_server", s, &ca);
  printf("sd_both_server: r=%d\n", shutdown(s, SD_BOTH));
  Sleep(50);
  names("sd_both_two_client", c, &sa);
  names("sd_both_two_server", s, &ca);
  closesocket(c);
  closesocket(s);

  /* the peer closes gracefully */
  pair(&c, &s, &ca, &sa);
  closesocket(s);
  printf("client_reads_close: r=%d\n", recv_now(c));
  Sleep(50);
  names("after_peer_close", c, &sa);
  closesocket(c);

  /* the peer resets */
  pair(&c, &s, &ca, &sa);
  struct linger lg = {1, 0};
  setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof lg);
  closesocket(s);
  int r = recv_now(c);
  printf("client_reads_reset: r=%d err=%d\n", r, r < 0 ? WSAGetLastError() : 0);
  names("after_peer_reset", c, &sa);
  closesocket(c);

  WSACleanup();
  return 0;
}
