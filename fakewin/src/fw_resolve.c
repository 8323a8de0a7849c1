/* fw_resolve.c: name resolution of the loopback world - getaddrinfo,
 * freeaddrinfo, getnameinfo and gethostname.
 *
 * The world has one host: names it knows are numeric addresses, "localhost"
 * and the host's own name (fw_world_set_host_name, default "iocpsim"), the
 * last two resolving to the loopback addresses (::1 first, then 127.0.0.1,
 * as Windows orders them); any other name fails with WSAHOST_NOT_FOUND
 * (there is no DNS).  Services are port numbers or a few well-known names
 * (http, https, ...); another name fails with WSATYPE_NOT_FOUND.  Results carry the hints' socket
 * type and protocol (0 when the hints leave them 0), one entry per address. getnameinfo answers
 * numerically, except that without NI_NUMERICHOST a loopback address is named "localhost";
 * NI_NAMEREQD fails for other addresses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_sock.h"

static char host_name[64] = "iocpsim";

void fw_world_set_host_name(const char *name) {
  snprintf(host_name, sizeof host_name, "%s", name != NULL && *name ? name : "iocpsim");
}

int WSAAPI fw_gethostname(char *name, int namelen) {
  static sim_tracepoint_t tp = {"gethostname", {{"len", 'd'}}, 'd', 0};
  fw_thread_t *t = fw_enter("gethostname");
  int err = 0;
  if (!fw_wsa_started())
    err = WSANOTINITIALISED;
  else if (name == NULL || namelen < 0 || (size_t)namelen <= strlen(host_name))
    err = WSAEFAULT;
  else
    memcpy(name, host_name, strlen(host_name) + 1);
  if (err) fw_wsa_error(t, err);
  FW_TRACE(&tp, t, err ? SOCKET_ERROR : 0, (uint64_t)(int64_t)namelen);
  return err ? SOCKET_ERROR : 0;
}

static bool same_name(const char *a, const char *b);

/* The services file's well-known TCP/UDP ports (the names both Windows'
 * %SystemRoot%\system32\drivers\etc\services and a Linux host's have). */
static bool service_port(const char *name, uint16_t *port) {
  static const struct {
    const char *name;
    uint16_t port;
  } services[] = {{"echo", 7},    {"discard", 9}, {"ftp", 21},    {"ssh", 22},
                  {"telnet", 23}, {"smtp", 25},   {"domain", 53}, {"http", 80},
                  {"pop3", 110},  {"ntp", 123},   {"imap", 143},  {"https", 443}};
  for (size_t i = 0; i < sizeof services / sizeof services[0]; i++)
    if (same_name(name, services[i].name)) {
      *port = services[i].port;
      return true;
    }
  return false;
}

static bool same_name(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
    char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
    if (x != y) return false;
  }
  return *a == *b;
}

/* Appends one result; returns false when out of memory. */
static bool add(ADDRINFOA ***tail, int family, const uint8_t *addr, uint16_t port,
                const ADDRINFOA *hints) {
  size_t salen = family == AF_INET ? sizeof(SOCKADDR_IN) : sizeof(SOCKADDR_IN6);
  ADDRINFOA *ai = calloc(1, sizeof *ai + salen);
  if (ai == NULL) return false;
  ai->ai_family = family;
  ai->ai_socktype = hints ? hints->ai_socktype : 0;
  ai->ai_protocol = hints ? hints->ai_protocol : 0;
  ai->ai_addrlen = salen;
  ai->ai_addr = (struct sockaddr *)(ai + 1);
  if (family == AF_INET) {
    SOCKADDR_IN *sin = (SOCKADDR_IN *)ai->ai_addr;
    sin->sin_family = AF_INET;
    sin->sin_port = fw_htons(port);
    memcpy(&sin->sin_addr, addr, 4);
  } else {
    SOCKADDR_IN6 *sin6 = (SOCKADDR_IN6 *)ai->ai_addr;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = fw_htons(port);
    memcpy(&sin6->sin6_addr, addr, 16);
  }
  **tail = ai;
  *tail = &ai->ai_next;
  return true;
}

VOID WSAAPI fw_freeaddrinfo(PADDRINFOA pAddrInfo) {
  while (pAddrInfo != NULL) {
    ADDRINFOA *next = pAddrInfo->ai_next;
    free(pAddrInfo->ai_canonname);
    free(pAddrInfo);
    pAddrInfo = next;
  }
}

static int resolve(PCSTR node, PCSTR service, const ADDRINFOA *hints, PADDRINFOA *out) {
  int family = hints ? hints->ai_family : AF_UNSPEC;
  int flags = hints ? hints->ai_flags : 0;
  if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) return WSAEAFNOSUPPORT;
  if (hints && hints->ai_socktype != 0 && hints->ai_socktype != SOCK_STREAM &&
      hints->ai_socktype != SOCK_DGRAM && hints->ai_socktype != SOCK_RAW)
    return WSAESOCKTNOSUPPORT;
  if (node == NULL && service == NULL) return WSAHOST_NOT_FOUND;
  if ((flags & AI_CANONNAME) && node == NULL) return WSAEINVAL;
  uint16_t port = 0;
  if (service != NULL && *service) {
    char *end;
    unsigned long p = strtoul(service, &end, 10);
    if (*end != '\0' && !(flags & AI_NUMERICSERV) && service_port(service, &port)) {
      /* a well-known service name */
    } else if (*end != '\0' || p > 65535) {
      return WSATYPE_NOT_FOUND;
    } else {
      port = (uint16_t)p;
    }
  }
  static const uint8_t any6[16] = {0}, any4[4] = {0};
  static const uint8_t lo6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static const uint8_t lo4[4] = {127, 0, 0, 1};
  uint8_t a4[4], a6[16];
  const uint8_t *v6 = NULL, *v4 = NULL;
  if (node == NULL) {
    v6 = (flags & AI_PASSIVE) ? any6 : lo6;
    v4 = (flags & AI_PASSIVE) ? any4 : lo4;
  } else if (fw_inet_pton(AF_INET, node, a4) == 1) {
    v4 = a4;
  } else if (fw_inet_pton(AF_INET6, node, a6) == 1) {
    v6 = a6;
  } else if (flags & AI_NUMERICHOST) {
    return WSAHOST_NOT_FOUND;
  } else if (same_name(node, "localhost") || same_name(node, host_name)) {
    v6 = lo6;
    v4 = lo4;
  } else {
    return WSAHOST_NOT_FOUND;
  }
  if (family == AF_INET) v6 = NULL;
  if (family == AF_INET6) v4 = NULL;
  if (v4 == NULL && v6 == NULL) return WSAHOST_NOT_FOUND; /* e.g. a v4 literal asked as v6 */
  ADDRINFOA *head = NULL, **tail = &head;
  if ((v6 && !add(&tail, AF_INET6, v6, port, hints)) ||
      (v4 && !add(&tail, AF_INET, v4, port, hints))) {
    fw_freeaddrinfo(head);
    return WSA_NOT_ENOUGH_MEMORY;
  }
  if ((flags & AI_CANONNAME) && head != NULL) {
    size_t n = strlen(node) + 1;
    head->ai_canonname = malloc(n);
    if (head->ai_canonname != NULL) memcpy(head->ai_canonname, node, n);
  }
  *out = head;
  return 0;
}

INT WSAAPI fw_getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA *pHints,
                          PADDRINFOA *ppResult) {
  static sim_tracepoint_t tp = {"getaddrinfo", {{"family", 'd'}}, 'd', 0};
  fw_thread_t *t = fw_enter("getaddrinfo");
  int err;
  if (ppResult == NULL) {
    err = WSAEINVAL;
  } else {
    *ppResult = NULL;
    err = fw_wsa_started() ? resolve(pNodeName, pServiceName, pHints, ppResult) : WSANOTINITIALISED;
  }
  /* the error is both the result and the last error (getaddrinfo docs) */
  if (err) fw_wsa_error(t, err);
  FW_TRACE(&tp, t, (uint64_t)(int64_t)err, (uint64_t)(int64_t)(pHints ? pHints->ai_family : 0));
  return err;
}

INT WSAAPI fw_getnameinfo(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PCHAR pNodeBuffer,
                          DWORD NodeBufferSize, PCHAR pServiceBuffer, DWORD ServiceBufferSize,
                          INT Flags) {
  static sim_tracepoint_t tp = {"getnameinfo", {{"flags", 'x'}}, 'd', 0};
  fw_thread_t *t = fw_enter("getnameinfo");
  int err = 0;
  fw_addr_t a;
  if (!fw_wsa_started())
    err = WSANOTINITIALISED;
  else if (pSockaddr == NULL)
    err = WSAEFAULT;
  else if (pNodeBuffer == NULL && pServiceBuffer == NULL)
    err = WSAHOST_NOT_FOUND;
  else
    err = fw_addr_parse(pSockaddr, SockaddrLength, &a);
  /* a family other than IPv4/IPv6: WSAEAFNOSUPPORT; too short: WSAEFAULT */
  if ((err == WSAEFAULT || err == WSAEINVAL) && pSockaddr != NULL &&
      SockaddrLength >= (socklen_t)sizeof(ADDRESS_FAMILY) && pSockaddr->sa_family != AF_INET &&
      pSockaddr->sa_family != AF_INET6)
    err = WSAEAFNOSUPPORT;
  else if (err == WSAEINVAL)
    err = WSAEFAULT;
  if (err == 0 && pNodeBuffer != NULL) {
    char num[INET6_ADDRSTRLEN];
    (void)fw_inet_ntop(a.family, a.ip, num, sizeof num);
    const char *host = num;
    if (!(Flags & NI_NUMERICHOST) && fw_addr_is_loopback(&a))
      host = "localhost";
    else if (Flags & NI_NAMEREQD)
      err = WSAHOST_NOT_FOUND;
    if (err == 0 && strlen(host) + 1 > NodeBufferSize)
      err = WSAEFAULT;
    else if (err == 0)
      memcpy(pNodeBuffer, host, strlen(host) + 1);
  }
  if (err == 0 && pServiceBuffer != NULL) {
    char port[8];
    snprintf(port, sizeof port, "%u", (unsigned)a.port);
    if (strlen(port) + 1 > ServiceBufferSize)
      err = WSAEFAULT;
    else
      memcpy(pServiceBuffer, port, strlen(port) + 1);
  }
  if (err) fw_wsa_error(t, err);
  FW_TRACE(&tp, t, (uint64_t)(int64_t)err, (uint64_t)(uint32_t)Flags);
  return err;
}
