/* core_net.c: ports the layer of Go's net and os packages that builds
 * poll.FDs on Windows (Go 1.22 line): socket creation and default options
 * (net/sock_windows.go, sock_posix.go, sockopt_windows.go), the address
 * family choice (ipsock_posix.go), listen / dial / accept (sock_posix.go,
 * fd_windows.go, tcpsock_posix.go, udpsock_posix.go, the deadline rules of
 * dial.go), and os.newFile / Pipe / OpenFile (os/file_windows.go,
 * syscall.Open).  The contract is core_net.h; docs/core-net.md has the
 * call sequences side by side with Go's functions. */
#include "core_net.h"

#include "core_int.h"
#include "utf.h"

#include <mstcpip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SIO_TCP_INITIAL_RTO (mstcpip.h, Windows 10): declared by mingw-w64, not
 * by every header set; the value and layout are the SDK's. */
#ifndef SIO_TCP_INITIAL_RTO
#define SIO_TCP_INITIAL_RTO 0x98000011u
#endif
typedef struct net_initial_rto {
  USHORT rtt;                    /* TCP_INITIAL_RTO_UNSPECIFIED_RTT: 0xFFFF */
  UCHAR max_syn_retransmissions; /* TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS: 0xFE */
} net_initial_rto_t;

#ifndef ERROR_BAD_NETPATH
#define ERROR_BAD_NETPATH 53L
#endif

/* defaultTCPKeepAlive (net/dial.go), in milliseconds. */
#define NET_DEFAULT_KEEPALIVE_MS 15000u

static int win_err(DWORD e) {
  return e == 0 ? CORE_EINVAL : (int)e;
}
static int last_err(void) {
  return win_err(GetLastError());
}
static int wsa_err(void) {
  return win_err((DWORD)WSAGetLastError());
}

/* Go runs WSAStartup and the KB2568167 check in internal/poll's package
 * init, before main: every socket or file that Go makes is made after it.
 * Its error is not returned here (Go does not look at initErr before
 * making a socket; WSASocketW then fails with WSANOTINITIALISED, and Init
 * returns initErr). */
static void package_init(void) {
  (void)core_package_init();
}

/* ---- addresses: Go's IP semantics on core_sockaddr_t ------------------------ */

static const uint8_t v4_in_v6_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* IP.To4: the IPv4 address of an INET4 address or of an IPv4-mapped INET6
 * one; false otherwise. */
static bool ip_to4(const core_sockaddr_t *sa, uint8_t v4[4]) {
  if (sa->kind == CORE_SA_INET4) {
    memcpy(v4, sa->u.in4.addr, 4);
    return true;
  }
  if (sa->kind == CORE_SA_INET6 && memcmp(sa->u.in6.addr, v4_in_v6_prefix, 12) == 0) {
    memcpy(v4, sa->u.in6.addr + 12, 4);
    return true;
  }
  return false;
}

static int sa_port(const core_sockaddr_t *sa) {
  return sa->kind == CORE_SA_INET4 ? sa->u.in4.port : sa->u.in6.port;
}

static bool is_ip(const core_sockaddr_t *sa) {
  return sa != NULL && (sa->kind == CORE_SA_INET4 || sa->kind == CORE_SA_INET6);
}

/* TCPAddr.family(): AF_INET for IPv4 and IPv4-mapped addresses. */
static int addr_family(const core_sockaddr_t *sa) {
  uint8_t v4[4] = {0};
  return ip_to4(sa, v4) ? AF_INET : AF_INET6;
}

/* IP.IsUnspecified: 0.0.0.0 (also IPv4-mapped) or ::. */
static bool is_wildcard(const core_sockaddr_t *sa) {
  static const uint8_t zero[16];
  uint8_t v4[4] = {0};
  if (ip_to4(sa, v4)) return memcmp(v4, zero, 4) == 0;
  return memcmp(sa->u.in6.addr, zero, 16) == 0;
}

static bool is_multicast(const core_sockaddr_t *sa) {
  uint8_t v4[4] = {0};
  if (ip_to4(sa, v4)) return (v4[0] & 0xF0) == 0xE0;
  return sa->u.in6.addr[0] == 0xFF;
}

/* ipToSockaddr(family, ip, port, zone): the address as a socket of that
 * family takes it.  AF_INET needs IP.To4 ("non-IPv4 address" otherwise);
 * AF_INET6 turns 0.0.0.0 into :: and other IPv4 addresses into
 * IPv4-mapped ones. */
static int ip_to_sockaddr(int family, const core_sockaddr_t *sa, core_sockaddr_t *out) {
  memset(out, 0, sizeof *out);
  uint8_t v4[4] = {0};
  bool has4 = ip_to4(sa, v4);
  if (family == AF_INET) {
    if (!has4) return CORE_EAFNOSUPPORT;
    out->kind = CORE_SA_INET4;
    out->u.in4.port = sa_port(sa);
    memcpy(out->u.in4.addr, v4, 4);
    return 0;
  }
  out->kind = CORE_SA_INET6;
  out->u.in6.port = sa_port(sa);
  if (sa->kind == CORE_SA_INET6) {
    memcpy(out->u.in6.addr, sa->u.in6.addr, 16);
    out->u.in6.zone_id = sa->u.in6.zone_id;
  } else if (!is_wildcard(sa)) {
    memcpy(out->u.in6.addr, v4_in_v6_prefix, 12);
    memcpy(out->u.in6.addr + 12, v4, 4);
  }
  /* An IPv4-mapped 0.0.0.0 is IPv4zero to Go's Equal: it becomes :: too. */
  if (is_wildcard(sa)) memset(out->u.in6.addr, 0, 16);
  return 0;
}

/* The syscall layer's conversion for bind/connect/getsockname. */
static int to_raw(const core_sockaddr_t *sa, core_raw_sockaddr_any_t *rsa, int *len) {
  if (sa_port(sa) < 0 || sa_port(sa) > 0xFFFF) return CORE_EINVAL;
  int32_t n = 0;
  int err = core_sockaddr_to_raw(rsa, sa, &n);
  *len = (int)n;
  return err;
}

/* ---- core_net_parse_addr / core_net_format_addr ------------------------------ */

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Dotted decimal, exactly four parts of 1..3 digits, each <= 255, without
 * leading zeros (Go 1.17's parseIPv4).  s[0..n). */
static bool parse_ipv4(const char *s, size_t n, uint8_t out[4]) {
  size_t i = 0;
  for (int part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= n || s[i] != '.') return false;
      i++;
    }
    size_t start = i;
    unsigned v = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 3) {
      v = v * 10 + (unsigned)(s[i] - '0');
      i++;
    }
    if (i == start || v > 255) return false;
    if (i - start > 1 && s[start] == '0') return false;
    out[part] = (uint8_t)v;
  }
  return i == n;
}

/* RFC 4291 text form with at most one "::" and an optional trailing IPv4
 * part (Go's parseIPv6).  s[0..n). */
static bool parse_ipv6(const char *s, size_t n, uint8_t out[16]) {
  memset(out, 0, 16);
  int ellipsis = -1; /* byte index where "::" was */
  size_t i = 0;
  int j = 0;
  if (n >= 2 && s[0] == ':' && s[1] == ':') {
    ellipsis = 0;
    i = 2;
    if (i == n) return true;
  }
  while (j < 16) {
    size_t start = i;
    unsigned v = 0;
    while (i < n && hexval(s[i]) >= 0 && i - start < 4) {
      v = v * 16 + (unsigned)hexval(s[i]);
      i++;
    }
    if (i == start) return false;
    if (i < n && s[i] == '.') {
      /* A trailing IPv4 address takes the last four bytes. */
      if (ellipsis < 0 && j != 12) return false;
      if (j + 4 > 16) return false;
      if (!parse_ipv4(s + start, n - start, out + j)) return false;
      i = n;
      j += 4;
      break;
    }
    if (i < n && hexval(s[i]) >= 0) return false; /* more than 4 hex digits */
    out[j] = (uint8_t)(v >> 8);
    out[j + 1] = (uint8_t)v;
    j += 2;
    if (i == n) break;
    if (s[i] != ':' || i + 1 == n) return false;
    i++;
    if (s[i] == ':') {
      if (ellipsis >= 0) return false;
      ellipsis = j;
      i++;
      if (i == n) break;
    }
  }
  if (i != n) return false;
  if (j < 16) {
    if (ellipsis < 0) return false;
    int tail = j - ellipsis;
    memmove(out + 16 - tail, out + ellipsis, (size_t)tail);
    memset(out + ellipsis, 0, (size_t)(16 - tail - ellipsis));
  } else if (ellipsis >= 0) {
    return false; /* "::" must stand for at least one group */
  }
  return true;
}

static bool parse_decimal(const char *s, size_t n, uint32_t max, uint32_t *v) {
  *v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    *v = *v * 10 + (uint32_t)(s[i] - '0');
    if (*v > max) return false;
  }
  return true;
}

int core_net_parse_addr(const char *text, core_sockaddr_t *sa) {
  memset(sa, 0, sizeof *sa);
  sa->kind = CORE_SA_NONE;
  if (text == NULL) return CORE_EINVAL;
  size_t len = strlen(text);
  const char *host, *port;
  size_t hostlen, portlen;
  bool bracketed = text[0] == '[';
  /* net.SplitHostPort */
  if (bracketed) {
    const char *end = strchr(text, ']');
    if (end == NULL || end[1] != ':') return CORE_EINVAL;
    host = text + 1;
    hostlen = (size_t)(end - host);
    port = end + 2;
    if (memchr(host, '[', hostlen) != NULL) return CORE_EINVAL;
  } else {
    const char *colon = strrchr(text, ':');
    if (colon == NULL) return CORE_EINVAL; /* missing port */
    host = text;
    hostlen = (size_t)(colon - text);
    if (memchr(host, ':', hostlen) != NULL) return CORE_EINVAL; /* too many colons */
    if (memchr(host, ']', hostlen) != NULL) return CORE_EINVAL;
    port = colon + 1;
  }
  portlen = len - (size_t)(port - text);
  if (memchr(port, '[', portlen) || memchr(port, ']', portlen)) return CORE_EINVAL;
  uint32_t portv = 0;
  if (portlen > 5 || !parse_decimal(port, portlen, 0xFFFF, &portv)) return CORE_EINVAL;

  core_sockaddr_t r;
  memset(&r, 0, sizeof r);
  if (hostlen == 0) {
    if (bracketed) return CORE_EINVAL;
    r.kind = CORE_SA_INET4; /* wildcard */
    r.u.in4.port = (int)portv;
  } else if (memchr(host, ':', hostlen) == NULL) {
    r.kind = CORE_SA_INET4;
    r.u.in4.port = (int)portv;
    if (!parse_ipv4(host, hostlen, r.u.in4.addr)) return CORE_EINVAL;
  } else {
    if (!bracketed) return CORE_EINVAL;
    r.kind = CORE_SA_INET6;
    r.u.in6.port = (int)portv;
    const char *pct = memchr(host, '%', hostlen);
    size_t iplen = pct ? (size_t)(pct - host) : hostlen;
    if (!parse_ipv6(host, iplen, r.u.in6.addr)) return CORE_EINVAL;
    if (pct) {
      uint32_t zone = 0;
      size_t zlen = hostlen - iplen - 1;
      if (zlen == 0 || zlen > 10 || !parse_decimal(pct + 1, zlen, 0xFFFFFFFFu, &zone)) {
        return CORE_EINVAL;
      }
      r.u.in6.zone_id = zone;
    }
  }
  *sa = r;
  return 0;
}

/* IP.String for a non-mapped IPv6 address: lower-case hex groups, the
 * first longest run of two or more zero groups as "::" (RFC 5952). */
static void format_ipv6(const uint8_t a[16], char *out, size_t len) {
  int e0 = -1, e1 = -1;
  for (int i = 0; i < 16; i += 2) {
    int j = i;
    while (j < 16 && a[j] == 0 && a[j + 1] == 0) j += 2;
    if (j > i && j - i > e1 - e0) {
      e0 = i;
      e1 = j;
      i = j;
    }
  }
  if (e1 - e0 <= 2) e0 = e1 = -1;
  size_t w = 0;
  for (int i = 0; i < 16; i += 2) {
    if (i == e0) {
      w += (size_t)snprintf(out + w, w < len ? len - w : 0, "::");
      i = e1;
      if (i >= 16) break;
    } else if (i > 0) {
      w += (size_t)snprintf(out + w, w < len ? len - w : 0, ":");
    }
    unsigned g = ((unsigned)a[i] << 8) | a[i + 1];
    w += (size_t)snprintf(out + w, w < len ? len - w : 0, "%x", g);
  }
}

void core_net_format_addr(const core_sockaddr_t *sa, char *buf, size_t len) {
  if (len == 0) return;
  uint8_t v4[4] = {0};
  if (sa == NULL || sa->kind == CORE_SA_NONE) {
    snprintf(buf, len, "<nil>");
  } else if (sa->kind == CORE_SA_OTHER) {
    snprintf(buf, len, "<other>");
  } else if (ip_to4(sa, v4)) {
    snprintf(buf, len, "%u.%u.%u.%u:%d", v4[0], v4[1], v4[2], v4[3], sa_port(sa));
  } else {
    char ip[48];
    format_ipv6(sa->u.in6.addr, ip, sizeof ip);
    if (sa->u.in6.zone_id != 0) {
      snprintf(buf, len, "[%s%%%u]:%d", ip, (unsigned)sa->u.in6.zone_id, sa->u.in6.port);
    } else {
      snprintf(buf, len, "[%s]:%d", ip, sa->u.in6.port);
    }
  }
}

/* ---- networks and families (ipsock_posix.go) ----------------------------------- */

/* Checks network against "<base>", "<base>4", "<base>6"; *last is the
 * family digit or 0. */
static int parse_network(const char *network, const char *base, char *last) {
  if (network == NULL) return CORE_EUNKNOWNNET;
  size_t n = strlen(base);
  if (strncmp(network, base, n) != 0) return CORE_EUNKNOWNNET;
  if (network[n] == 0) {
    *last = 0;
    return 0;
  }
  if ((network[n] == '4' || network[n] == '6') && network[n + 1] == 0) {
    *last = network[n];
    return 0;
  }
  return CORE_EUNKNOWNNET;
}

/* sysSocket (sock_windows.go): overlapped, not inheritable. */
static int sys_socket(int family, int sotype, int proto, SOCKET *s) {
  *s = WSASocketW(family, sotype, proto, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
  return *s == INVALID_SOCKET ? wsa_err() : 0;
}

static int set_int_opt(SOCKET s, int level, int name, int v) {
  if (setsockopt(s, level, name, (const char *)&v, (int)sizeof v) == SOCKET_ERROR) return wsa_err();
  return 0;
}

static int sock_bind(SOCKET s, const core_sockaddr_t *sa) {
  core_raw_sockaddr_any_t rsa;
  int len = 0;
  int err = to_raw(sa, &rsa, &len);
  if (err != 0) return err;
  if (bind(s, (const struct sockaddr *)&rsa, len) == SOCKET_ERROR) return wsa_err();
  return 0;
}

/* ipStackCapabilities.probe: can an AF_INET socket be made, and can an
 * AF_INET6 socket with IPV6_V6ONLY off bind an IPv4-mapped loopback
 * address?  (Go also probes plain IPv6, which only feeds supportsIPv6.)
 * Not cached: see core_net.h. */
static void probe_stack(bool *ipv4, bool *ipv4map) {
  *ipv4 = false;
  *ipv4map = false;
  SOCKET s;
  if (sys_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP, &s) == 0) {
    core_hook_close(s);
    *ipv4 = true;
  }
  static const struct {
    uint8_t addr[16];
    int v6only;
  } probes[2] = {
      {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 1},
      {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1}, 0},
  };
  SOCKET open[2] = {INVALID_SOCKET, INVALID_SOCKET};
  for (int i = 0; i < 2; i++) {
    if (sys_socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP, &open[i]) != 0) continue;
    (void)set_int_opt(open[i], IPPROTO_IPV6, IPV6_V6ONLY, probes[i].v6only);
    core_sockaddr_t sa;
    memset(&sa, 0, sizeof sa);
    sa.kind = CORE_SA_INET6;
    memcpy(sa.u.in6.addr, probes[i].addr, 16);
    if (sock_bind(open[i], &sa) != 0) continue;
    if (i == 1) *ipv4map = true;
  }
  /* Go defers the closes: they run after both probes, last first. */
  for (int i = 1; i >= 0; i--) {
    if (open[i] != INVALID_SOCKET) core_hook_close(open[i]);
  }
}

/* favoriteAddrFamily. */
static void favorite_family(char last, const core_sockaddr_t *laddr, const core_sockaddr_t *raddr,
                            bool listen, int *family, bool *ipv6only) {
  *ipv6only = false;
  if (last == '4') {
    *family = AF_INET;
    return;
  }
  if (last == '6') {
    *family = AF_INET6;
    *ipv6only = true;
    return;
  }
  if (listen && (laddr == NULL || is_wildcard(laddr))) {
    bool ipv4, ipv4map;
    probe_stack(&ipv4, &ipv4map);
    if (ipv4map || !ipv4) {
      *family = AF_INET6;
    } else {
      *family = laddr == NULL ? AF_INET : addr_family(laddr);
    }
    return;
  }
  if ((laddr == NULL || addr_family(laddr) == AF_INET) &&
      (raddr == NULL || addr_family(raddr) == AF_INET)) {
    *family = AF_INET;
  } else {
    *family = AF_INET6;
  }
}

/* The loopback address of a network with no local address given. */
static void default_laddr(char last, core_sockaddr_t *sa) {
  memset(sa, 0, sizeof *sa);
  if (last == '6') {
    sa->kind = CORE_SA_INET6;
    sa->u.in6.addr[15] = 1;
  } else {
    sa->kind = CORE_SA_INET4;
    sa->u.in4.addr[0] = 127;
    sa->u.in4.addr[3] = 1;
  }
}

/* ---- socket() of sock_posix.go: make the socket and its FD ---------------------- */

/* fd.Close() of a net FD that never reached the caller. */
static void close_free(core_fd_t *fd) {
  (void)core_fd_close(fd);
  core_fd_free(fd);
}

/* sysSocket, setDefaultSockopts, newFD.  On error nothing is left open. */
static int new_socket_fd(int family, int sotype, bool ipv6only, core_fd_t **out) {
  *out = NULL;
  SOCKET s;
  int err = sys_socket(family, sotype, 0, &s);
  if (err != 0) return err;
  /* setDefaultSockopts (sockopt_windows.go). */
  if (family == AF_INET6) {
    (void)set_int_opt(s, IPPROTO_IPV6, IPV6_V6ONLY, ipv6only ? 1 : 0); /* error ignored */
  }
  if (sotype == SOCK_DGRAM && family != AF_INET6) {
    err = set_int_opt(s, SOL_SOCKET, SO_BROADCAST, 1);
    if (err != 0) {
      core_hook_close(s);
      return err;
    }
  }
  err = core_fd_new((HANDLE)s, sotype == SOCK_STREAM, sotype != SOCK_DGRAM, out);
  if (err != 0) {
    core_hook_close(s);
    return err;
  }
  return 0;
}

static SOCKET fd_sock(core_fd_t *fd) {
  return (SOCKET)core_fd_sysfd(fd);
}

/* netFD.init: Init(net, pollable).  Go wraps the "wsaioctl" errcall in a
 * SyscallError; the code is the same. */
static int net_init(core_fd_t *fd, const char *network) {
  return core_fd_init(fd, network, true, NULL);
}

static int sock_name(SOCKET s, bool peer, core_sockaddr_t *sa) {
  core_raw_sockaddr_any_t rsa;
  memset(&rsa, 0, sizeof rsa);
  int len = (int)sizeof rsa;
  int r = peer ? getpeername(s, (struct sockaddr *)&rsa, &len)
               : getsockname(s, (struct sockaddr *)&rsa, &len);
  if (r == SOCKET_ERROR) {
    memset(sa, 0, sizeof *sa);
    return wsa_err();
  }
  return core_raw_to_sockaddr(&rsa, sa);
}

/* newTCPConn (tcpsock.go): no delay, keep-alive at the default period;
 * every error ignored. */
static void new_tcp_conn(core_fd_t *fd) {
  int one = 1;
  (void)core_fd_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, (int)sizeof one);
  (void)core_fd_setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, (int)sizeof one);
  struct tcp_keepalive ka;
  ka.onoff = 1;
  ka.keepalivetime = NET_DEFAULT_KEEPALIVE_MS;
  ka.keepaliveinterval = NET_DEFAULT_KEEPALIVE_MS;
  DWORD ret = 0;
  (void)core_fd_wsaioctl(fd, SIO_KEEPALIVE_VALS, &ka, (DWORD)sizeof ka, NULL, 0, &ret, NULL, NULL);
}

/* ---- listen (sock_posix.go listenStream / listenDatagram) --------------------------- */

static int listen_common(const char *network, const char *base, int sotype,
                         const core_sockaddr_t *laddr, int backlog, core_fd_t **out) {
  *out = NULL;
  package_init();
  char last;
  int err = parse_network(network, base, &last);
  if (err != 0) return err;
  core_sockaddr_t dflt;
  if (laddr == NULL) {
    default_laddr(last, &dflt);
    laddr = &dflt;
  }
  if (!is_ip(laddr)) return CORE_EINVAL;
  int family;
  bool ipv6only;
  favorite_family(last, laddr, NULL, true, &family, &ipv6only);
  core_fd_t *fd;
  err = new_socket_fd(family, sotype, ipv6only, &fd);
  if (err != 0) return err;
  SOCKET s = fd_sock(fd);
  if (sotype == SOCK_DGRAM && is_multicast(laddr)) {
    /* setDefaultMulticastSockopts. */
    err = set_int_opt(s, SOL_SOCKET, SO_REUSEADDR, 1);
  }
  core_sockaddr_t lsa;
  if (err == 0) err = ip_to_sockaddr(family, laddr, &lsa);
  if (err == 0) err = sock_bind(s, &lsa);
  if (err == 0 && sotype == SOCK_STREAM) {
    if (listen(s, backlog <= 0 ? SOMAXCONN : backlog) == SOCKET_ERROR) err = wsa_err();
  }
  if (err == 0) err = net_init(fd, network);
  if (err != 0) {
    close_free(fd);
    return err;
  }
  core_sockaddr_t got;
  (void)sock_name(s, false, &got); /* Go records it as the listener's address */
  *out = fd;
  return 0;
}

int core_net_listen(const char *network, const core_sockaddr_t *laddr, int backlog,
                    core_fd_t **out) {
  return listen_common(network, "tcp", SOCK_STREAM, laddr, backlog, out);
}

int core_net_listen_packet(const char *network, const core_sockaddr_t *laddr, core_fd_t **out) {
  return listen_common(network, "udp", SOCK_DGRAM, laddr, 0, out);
}

/* ---- dial (sock_posix.go netFD.dial, fd_windows.go netFD.connect) -------------------- */

static bool is_loopback(const core_sockaddr_t *ra) {
  static const uint8_t lo6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  if (ra->kind == CORE_SA_INET4) return ra->u.in4.addr[0] == 127;
  return memcmp(ra->u.in6.addr, lo6, 16) == 0;
}

/* netFD.connect for a stream socket (ConnectEx).  ra is already in the
 * socket's family. */
static int connect_stream(core_fd_t *fd, const char *network, const core_sockaddr_t *ra,
                          int64_t deadline) {
  int err = net_init(fd, network);
  if (err != 0) return err;
  /* The context's deadline becomes the write deadline for the connect and
   * is cleared on the way out, whatever happened (Go's deferred
   * SetWriteDeadline(noDeadline)). */
  if (deadline != 0) (void)core_fd_set_write_deadline(fd, deadline);
  /* ConnectEx needs a bound socket: the wildcard of ra's family. */
  core_sockaddr_t la;
  memset(&la, 0, sizeof la);
  la.kind = ra->kind;
  err = sock_bind(fd_sock(fd), &la);
  if (err == 0 && is_loopback(ra)) {
    /* Fail a refused loopback connect at once instead of after the SYN
     * retransmissions (golang/go#23366); only an optimisation, so its
     * error is ignored. */
    net_initial_rto_t rto;
    rto.rtt = 0xFFFF;
    rto.max_syn_retransmissions = 0xFE;
    DWORD ret = 0;
    (void)core_fd_wsaioctl(fd, SIO_TCP_INITIAL_RTO, &rto, (DWORD)sizeof rto, NULL, 0, &ret, NULL,
                           NULL);
  }
  if (err == 0) {
    err = core_fd_connect_ex(fd, ra);
    /* select on ctx.Done(): once the deadline passed, the context's error
     * wins over the connect's. */
    if (err != 0 && deadline != 0 && core_now() >= deadline) err = CORE_EDEADLINE;
  }
  if (err == 0) {
    /* Refresh the socket's properties (getpeername, shutdown need it). */
    SOCKET s = fd_sock(fd);
    if (setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, (const char *)&s, (int)sizeof s) ==
        SOCKET_ERROR) {
      err = wsa_err();
    }
  }
  if (deadline != 0) (void)core_fd_set_write_deadline(fd, 0);
  return err;
}

/* internetSocket + netFD.dial + the address reads that follow it.  *self
 * tells whether the socket connected to itself (selfConnect). */
static int dial_once(const char *network, char last, int sotype, const core_sockaddr_t *laddr,
                     const core_sockaddr_t *raddr, int64_t deadline, core_fd_t **out, bool *self) {
  *out = NULL;
  *self = false;
  int family;
  bool ipv6only;
  favorite_family(last, laddr, raddr, false, &family, &ipv6only);
  core_fd_t *fd;
  int err = new_socket_fd(family, sotype, ipv6only, &fd);
  if (err != 0) return err;
  SOCKET s = fd_sock(fd);
  core_sockaddr_t lsa, rsa;
  if (laddr != NULL) {
    err = ip_to_sockaddr(family, laddr, &lsa);
    if (err == 0) err = sock_bind(s, &lsa);
  }
  if (err == 0) err = ip_to_sockaddr(family, raddr, &rsa);
  if (err == 0) {
    if (sotype == SOCK_STREAM) {
      err = connect_stream(fd, network, &rsa, deadline);
    } else {
      err = net_init(fd, network);
      if (err == 0) {
        core_raw_sockaddr_any_t raw;
        int len = 0;
        err = to_raw(&rsa, &raw, &len);
        if (err == 0 && connect(s, (const struct sockaddr *)&raw, len) == SOCKET_ERROR) {
          err = wsa_err();
        }
      }
    }
  }
  if (err != 0) {
    close_free(fd);
    return err;
  }
  /* Go records the local address and the peer's (getpeername, else the
   * address dialled). */
  core_sockaddr_t got_l, got_r;
  bool have_l = sock_name(s, false, &got_l) == 0 && is_ip(&got_l);
  if (!(sock_name(s, true, &got_r) == 0 && is_ip(&got_r))) got_r = rsa;
  if (!have_l) {
    *self = true; /* selfConnect: a nil laddr asks for another try */
  } else {
    uint8_t a4[4] = {0}, b4[4] = {0};
    bool same_ip;
    bool l4 = ip_to4(&got_l, a4), r4 = ip_to4(&got_r, b4);
    if (l4 || r4) {
      same_ip = l4 && r4 && memcmp(a4, b4, 4) == 0;
    } else {
      same_ip = memcmp(got_l.u.in6.addr, got_r.u.in6.addr, 16) == 0;
    }
    *self = same_ip && sa_port(&got_l) == sa_port(&got_r);
  }
  *out = fd;
  return 0;
}

int core_net_dial(const char *network, const core_sockaddr_t *raddr, int64_t deadline,
                  core_fd_t **out) {
  *out = NULL;
  package_init();
  char last;
  int err = parse_network(network, "tcp", &last);
  if (err != 0) return err;
  if (!is_ip(raddr)) return CORE_EINVAL; /* errMissingAddress */
  /* dialSerial: a done context or no time left fails before any socket. */
  if (deadline != 0 && deadline <= core_now()) return CORE_EDEADLINE;
  core_fd_t *fd;
  bool self;
  err = dial_once(network, last, SOCK_STREAM, NULL, raddr, deadline, &fd, &self);
  /* doDialTCP: a connection to itself is retried twice, then kept. */
  for (int i = 0; i < 2 && err == 0 && self; i++) {
    close_free(fd);
    err = dial_once(network, last, SOCK_STREAM, NULL, raddr, deadline, &fd, &self);
  }
  if (err != 0) return err;
  new_tcp_conn(fd);
  *out = fd;
  return 0;
}

int core_net_dial_udp(const char *network, const core_sockaddr_t *laddr,
                      const core_sockaddr_t *raddr, core_fd_t **out) {
  *out = NULL;
  package_init();
  char last;
  int err = parse_network(network, "udp", &last);
  if (err != 0) return err;
  if (!is_ip(raddr)) return CORE_EINVAL;
  if (laddr != NULL && !is_ip(laddr)) return CORE_EINVAL;
  bool self;
  return dial_once(network, last, SOCK_DGRAM, laddr, raddr, 0, out, &self);
}

/* ---- accept (fd_windows.go netFD.accept, tcpsock_posix.go) ------------------------- */

typedef struct accept_ctx {
  core_fd_t *ln;
  int family; /* 0 until the first socket is asked for */
} accept_ctx_t;

/* sysSocket(fd.family, fd.sotype, 0), called by core_fd_accept under the
 * listener's read lock, so the listener's socket is valid here. */
static int accept_socket(void *arg, SOCKET *s) {
  accept_ctx_t *ctx = arg;
  *s = INVALID_SOCKET;
  if (ctx->family == 0) {
    core_sockaddr_t sa;
    int err = sock_name(fd_sock(ctx->ln), false, &sa);
    if (err != 0) return err;
    ctx->family = sa.kind == CORE_SA_INET6 ? AF_INET6 : AF_INET;
  }
  return sys_socket(ctx->family, SOCK_STREAM, 0, s);
}

/* GetAcceptExSockaddrs through the extension pointer (core_net.h). */
static void accept_remote(SOCKET s, core_raw_sockaddr_any_t rawsa[2], uint32_t rsan,
                          core_sockaddr_t *raddr) {
  GUID gid = WSAID_GETACCEPTEXSOCKADDRS;
  LPFN_GETACCEPTEXSOCKADDRS get = NULL;
  DWORD got = 0;
  memset(raddr, 0, sizeof *raddr);
  if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &gid, (DWORD)sizeof gid, &get,
               (DWORD)sizeof get, &got, NULL, NULL) == SOCKET_ERROR ||
      get == NULL) {
    return;
  }
  struct sockaddr *local = NULL, *remote = NULL;
  INT llen = 0, rlen = 0;
  get(rawsa, 0, (DWORD)rsan, (DWORD)rsan, &local, &llen, &remote, &rlen);
  if (remote == NULL || rlen <= 0) return;
  core_raw_sockaddr_any_t r;
  memset(&r, 0, sizeof r);
  memcpy(&r, remote, (size_t)rlen < sizeof r ? (size_t)rlen : sizeof r);
  if (core_raw_to_sockaddr(&r, raddr) != 0) memset(raddr, 0, sizeof *raddr); /* Go ignores it */
}

int core_net_accept(core_fd_t *ln, core_fd_t **out, core_sockaddr_t *raddr) {
  *out = NULL;
  if (raddr) memset(raddr, 0, sizeof *raddr);
  accept_ctx_t ctx = {.ln = ln, .family = 0};
  SOCKET s = INVALID_SOCKET;
  core_raw_sockaddr_any_t rawsa[2];
  memset(rawsa, 0, sizeof rawsa);
  uint32_t rsan = 0;
  int err = core_fd_accept(ln, accept_socket, &ctx, &s, rawsa, &rsan, NULL);
  if (err != 0) return err;
  core_fd_t *fd;
  err = core_fd_new((HANDLE)s, true, true, &fd);
  if (err != 0) {
    core_hook_close(s); /* poll.CloseFunc(s) */
    return err;
  }
  const char *network = core_fd_kind_name(ln);
  err = net_init(fd, *network ? network : "tcp");
  if (err != 0) {
    (void)core_fd_close(ln); /* Go's netFD.accept closes the listener here */
    close_free(fd);          /* Go leaks it; not here */
    return err;
  }
  /* Go reads both addresses whether anyone asks or not. */
  core_sockaddr_t remote;
  accept_remote(s, rawsa, rsan, &remote);
  if (raddr) *raddr = remote;
  new_tcp_conn(fd);
  *out = fd;
  return 0;
}

/* ---- socket state ------------------------------------------------------------------ */

static int addr_of(core_fd_t *fd, bool peer, core_sockaddr_t *sa) {
  memset(sa, 0, sizeof *sa);
  int err = core_fd_incref(fd);
  if (err != 0) return err;
  err = sock_name(fd_sock(fd), peer, sa);
  (void)core_fd_decref(fd);
  if (err != 0) memset(sa, 0, sizeof *sa);
  return err;
}

int core_net_local_addr(core_fd_t *fd, core_sockaddr_t *sa) {
  return addr_of(fd, false, sa);
}

int core_net_remote_addr(core_fd_t *fd, core_sockaddr_t *sa) {
  return addr_of(fd, true, sa);
}

/* poll.FD.Shutdown: a reference, not a read or write lock. */
static int shutdown_fd(core_fd_t *fd, int how) {
  int err = core_fd_incref(fd);
  if (err != 0) return err;
  if (shutdown(fd_sock(fd), how) == SOCKET_ERROR) err = wsa_err();
  (void)core_fd_decref(fd);
  return err;
}

int core_net_close_write(core_fd_t *fd) {
  return shutdown_fd(fd, SD_SEND);
}

int core_net_close_read(core_fd_t *fd) {
  return shutdown_fd(fd, SD_RECEIVE);
}

/* ---- os (os/file_windows.go) ---------------------------------------------------------- */

const char *core_fd_kind_name(const core_fd_t *fd) {
  return fd->net ? fd->net : "";
}

/* os.newFile: the kind upgrade, then an FD that is not pollable; Init's
 * error is ignored as Go ignores it.  On error h is left open. */
static int new_file(HANDLE h, const char *kind, core_fd_t **out) {
  *out = NULL;
  if (strcmp(kind, "file") == 0) {
    DWORD m = 0;
    if (GetConsoleMode(h, &m)) kind = "console";
    if (GetFileType(h) == FILE_TYPE_PIPE) kind = "pipe";
  }
  core_fd_t *fd;
  int err = core_fd_new(h, true, true, &fd);
  if (err != 0) return err;
  (void)core_fd_init(fd, kind, false, NULL);
  *out = fd;
  return 0;
}

int core_os_new_file(HANDLE h, core_fd_t **out) {
  *out = NULL;
  package_init();
  if (h == INVALID_HANDLE_VALUE) return CORE_EINVAL;
  return new_file(h, "file", out);
}

int core_os_std(int which, core_fd_t **out) {
  static const DWORD ids[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
  *out = NULL;
  package_init();
  if (which < 0 || which > 2) return CORE_EINVAL;
  return core_os_new_file(GetStdHandle(ids[which]), out);
}

int core_os_pipe(core_fd_t **r, core_fd_t **w) {
  *r = *w = NULL;
  package_init();
  SECURITY_ATTRIBUTES sa;
  memset(&sa, 0, sizeof sa);
  sa.nLength = (DWORD)sizeof sa;
  sa.bInheritHandle = TRUE; /* syscall.Pipe: makeInheritSa */
  HANDLE hr, hw;
  if (!CreatePipe(&hr, &hw, &sa, 0)) return last_err();
  core_fd_t *fr, *fw;
  int err = new_file(hr, "pipe", &fr);
  if (err != 0) {
    CloseHandle(hr);
    CloseHandle(hw);
    return err;
  }
  err = new_file(hw, "pipe", &fw);
  if (err != 0) {
    close_free(fr);
    CloseHandle(hw);
    return err;
  }
  *r = fr;
  *w = fw;
  return 0;
}

/* syscall.UTF16PtrFromString: invalid UTF-8 becomes U+FFFD.  The caller
 * frees *out. */
static int utf16_from_utf8(const char *s, WCHAR **out) {
  size_t n = strlen(s);
  WCHAR *w = malloc((2 * n + 1) * sizeof *w);
  if (w == NULL) return ERROR_NOT_ENOUGH_MEMORY;
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    size_t width = 0;
    int32_t r = core_utf8_decode_rune((const uint8_t *)s + i, n - i, &width);
    uint16_t u[2];
    size_t m = core_utf16_encode_rune(u, r);
    for (size_t j = 0; j < m; j++) w[k++] = (WCHAR)u[j];
    i += width;
  }
  w[k] = 0;
  *out = w;
  return 0;
}

/* syscall.Open of Go 1.22 (see core_net.h). */
static int sys_open(const WCHAR *path, int flags, uint32_t perm, HANDLE *h) {
  DWORD access = 0;
  switch (flags & (CORE_O_RDONLY | CORE_O_WRONLY | CORE_O_RDWR)) {
    case CORE_O_RDONLY:
      access = GENERIC_READ;
      break;
    case CORE_O_WRONLY:
      access = GENERIC_WRITE;
      break;
    case CORE_O_RDWR:
      access = GENERIC_READ | GENERIC_WRITE;
      break;
    default: /* O_WRONLY|O_RDWR: no access bit, as Go's switch falls through none */
      break;
  }
  if (flags & CORE_O_CREAT) access |= GENERIC_WRITE;
  if (flags & CORE_O_APPEND) {
    access &= ~(DWORD)GENERIC_WRITE;
    access |= FILE_APPEND_DATA;
  }
  DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE;
  DWORD create;
  if ((flags & (CORE_O_CREAT | CORE_O_EXCL)) == (CORE_O_CREAT | CORE_O_EXCL)) {
    create = CREATE_NEW;
  } else if ((flags & (CORE_O_CREAT | CORE_O_TRUNC)) == (CORE_O_CREAT | CORE_O_TRUNC)) {
    create = CREATE_ALWAYS;
  } else if (flags & CORE_O_CREAT) {
    create = OPEN_ALWAYS;
  } else if (flags & CORE_O_TRUNC) {
    create = TRUNCATE_EXISTING;
  } else {
    create = OPEN_EXISTING;
  }
  DWORD attrs = FILE_ATTRIBUTE_NORMAL;
  if ((perm & CORE_S_IWRITE) == 0) {
    attrs = FILE_ATTRIBUTE_READONLY;
    if (create == CREATE_ALWAYS) {
      /* Keep an existing file's permissions (golang/go#38225): truncate it
       * if it exists, create it read-only only if it does not. */
      *h = CreateFileW(path, access, share, NULL, TRUNCATE_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
      if (*h != INVALID_HANDLE_VALUE) return 0;
      DWORD e = GetLastError();
      if (e != ERROR_FILE_NOT_FOUND && e != ERROR_BAD_NETPATH && e != ERROR_PATH_NOT_FOUND) {
        return win_err(e);
      }
    }
  }
  if (create == OPEN_EXISTING && access == GENERIC_READ) attrs |= FILE_FLAG_BACKUP_SEMANTICS;
  *h = CreateFileW(path, access, share, NULL, create, attrs, NULL);
  return *h == INVALID_HANDLE_VALUE ? last_err() : 0;
}

int core_os_open(const char *path, int flags, uint32_t perm, core_fd_t **out) {
  *out = NULL;
  package_init();
  if (path == NULL || path[0] == 0) return ERROR_FILE_NOT_FOUND; /* os: syscall.ENOENT */
  WCHAR *wpath;
  int err = utf16_from_utf8(path, &wpath);
  if (err != 0) return err;
  HANDLE h = INVALID_HANDLE_VALUE;
  err = sys_open(wpath, flags, perm, &h);
  free(wpath);
  if (err != 0) return err;
  err = new_file(h, "file", out);
  if (err != 0) CloseHandle(h);
  return err;
}

int core_os_named_pipe(const char *name, bool message_mode, core_fd_t **server,
                       core_fd_t **client) {
  *server = *client = NULL;
  package_init();
  if (name == NULL) return CORE_EINVAL;
  WCHAR *wname;
  int err = utf16_from_utf8(name, &wname);
  if (err != 0) return err;
  DWORD mode = message_mode ? PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE
                            : PIPE_TYPE_BYTE | PIPE_READMODE_BYTE;
  HANDLE hs = CreateNamedPipeW(wname, PIPE_ACCESS_DUPLEX, mode | PIPE_WAIT,
                               PIPE_UNLIMITED_INSTANCES, 65536, 65536, 0, NULL);
  if (hs == INVALID_HANDLE_VALUE) {
    err = last_err();
    free(wname);
    return err;
  }
  HANDLE hc = CreateFileW(wname, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
  free(wname);
  if (hc == INVALID_HANDLE_VALUE) {
    err = last_err();
    CloseHandle(hs);
    return err;
  }
  if (message_mode) {
    DWORD rm = PIPE_READMODE_MESSAGE;
    if (!SetNamedPipeHandleState(hc, &rm, NULL, NULL)) err = last_err();
  }
  if (err == 0 && !ConnectNamedPipe(hs, NULL)) {
    DWORD e = GetLastError();
    if (e != ERROR_PIPE_CONNECTED) err = win_err(e);
  }
  core_fd_t *fs = NULL, *fc = NULL;
  if (err == 0) {
    err = new_file(hs, "file", &fs);
    if (err == 0) hs = INVALID_HANDLE_VALUE;
  }
  if (err == 0) {
    err = new_file(hc, "file", &fc);
    if (err == 0) hc = INVALID_HANDLE_VALUE;
  }
  if (err != 0) {
    if (fs) close_free(fs);
    if (hs != INVALID_HANDLE_VALUE) CloseHandle(hs);
    if (hc != INVALID_HANDLE_VALUE) CloseHandle(hc);
    return err;
  }
  *server = fs;
  *client = fc;
  return 0;
}
