/* <ws2tcpip.h> of the fake Win32 world (fakewin): IPv6 addresses and
 * socket addresses, IP-level socket options, address strings and name
 * resolution (what ws2tcpip.h, ws2ipdef.h and in6addr.h provide on Windows).
 * Includes <winsock2.h> and <mstcpip.h>.  Functions are renamed to fw_ symbols; the
 * IN6_IS_ADDR_* and IN6ADDR_* helpers are pure inline computations, as in the
 * SDK. */
#ifndef FAKEWIN_WS2TCPIP_H
#define FAKEWIN_WS2TCPIP_H

#include "winsock2.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- IPv6 addresses ----------------------------------------------------- */

typedef struct in6_addr {
  union {
    UCHAR Byte[16];
    USHORT Word[8];
  } u;
} IN6_ADDR, *PIN6_ADDR, *LPIN6_ADDR;
#define in_addr6 in6_addr
#define _S6_un u
#define _S6_u8 Byte
#define s6_addr _S6_un._S6_u8
#define s6_bytes u.Byte
#define s6_words u.Word

#define IN6ADDR_ANY_INIT                                 \
  {                                                      \
    {                                                    \
      { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } \
    }                                                    \
  }
#define IN6ADDR_LOOPBACK_INIT                            \
  {                                                      \
    {                                                    \
      { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } \
    }                                                    \
  }

typedef enum {
  ScopeLevelInterface = 1,
  ScopeLevelLink = 2,
  ScopeLevelSubnet = 3,
  ScopeLevelAdmin = 4,
  ScopeLevelSite = 5,
  ScopeLevelOrganization = 8,
  ScopeLevelGlobal = 14,
  ScopeLevelCount = 16
} SCOPE_LEVEL;

typedef struct {
  union {
    struct {
      ULONG Zone : 28;
      ULONG Level : 4;
    };
    ULONG Value;
  };
} SCOPE_ID, *PSCOPE_ID;

typedef struct sockaddr_in6 {
  ADDRESS_FAMILY sin6_family;
  USHORT sin6_port;
  ULONG sin6_flowinfo;
  IN6_ADDR sin6_addr;
  union {
    ULONG sin6_scope_id;
    SCOPE_ID sin6_scope_struct;
  };
} SOCKADDR_IN6_LH, *PSOCKADDR_IN6_LH, *LPSOCKADDR_IN6_LH;
typedef SOCKADDR_IN6_LH SOCKADDR_IN6, *PSOCKADDR_IN6, *LPSOCKADDR_IN6;

typedef union _SOCKADDR_INET {
  SOCKADDR_IN Ipv4;
  SOCKADDR_IN6 Ipv6;
  ADDRESS_FAMILY si_family;
} SOCKADDR_INET, *PSOCKADDR_INET;

typedef struct ip_mreq {
  IN_ADDR imr_multiaddr;
  IN_ADDR imr_interface;
} IP_MREQ, *PIP_MREQ;

typedef struct ipv6_mreq {
  IN6_ADDR ipv6mr_multiaddr;
  ULONG ipv6mr_interface;
} IPV6_MREQ, *PIPV6_MREQ;

typedef struct in_pktinfo {
  IN_ADDR ipi_addr;
  ULONG ipi_ifindex;
} IN_PKTINFO, *PIN_PKTINFO;

typedef struct in6_pktinfo {
  IN6_ADDR ipi6_addr;
  ULONG ipi6_ifindex;
} IN6_PKTINFO, *PIN6_PKTINFO;

#define INET_ADDRSTRLEN 22
#define INET6_ADDRSTRLEN 65

/* ---- IP-level socket options ------------------------------------------- */

#define IP_OPTIONS 1
#define IP_HDRINCL 2
#define IP_TOS 3
#define IP_TTL 4
#define IP_MULTICAST_IF 9
#define IP_MULTICAST_TTL 10
#define IP_MULTICAST_LOOP 11
#define IP_ADD_MEMBERSHIP 12
#define IP_DROP_MEMBERSHIP 13
#define IP_DONTFRAGMENT 14
#define IP_ADD_SOURCE_MEMBERSHIP 15
#define IP_DROP_SOURCE_MEMBERSHIP 16
#define IP_BLOCK_SOURCE 17
#define IP_UNBLOCK_SOURCE 18
#define IP_PKTINFO 19
#define IP_RECEIVE_BROADCAST 22
#define IP_RECVIF 24
#define IP_RECVDSTADDR 25
#define IP_UNICAST_IF 31
#define IP_RECVTOS 40
#define IP_MTU_DISCOVER 71
#define IP_MTU 73

#define IPV6_HOPOPTS 1
#define IPV6_HDRINCL 2
#define IPV6_UNICAST_HOPS 4
#define IPV6_MULTICAST_IF 9
#define IPV6_MULTICAST_HOPS 10
#define IPV6_MULTICAST_LOOP 11
#define IPV6_ADD_MEMBERSHIP 12
#define IPV6_JOIN_GROUP IPV6_ADD_MEMBERSHIP
#define IPV6_DROP_MEMBERSHIP 13
#define IPV6_LEAVE_GROUP IPV6_DROP_MEMBERSHIP
#define IPV6_DONTFRAG 14
#define IPV6_PKTINFO 19
#define IPV6_HOPLIMIT 21
#define IPV6_PROTECTION_LEVEL 23
#define IPV6_RECVIF 24
#define IPV6_RECVDSTADDR 25
#define IPV6_CHECKSUM 26
#define IPV6_V6ONLY 27
#define IPV6_UNICAST_IF 31
#define IPV6_TCLASS 39
#define IPV6_RECVTCLASS 40
#define IPV6_MTU_DISCOVER 71
#define IPV6_MTU 72

/* ---- IN6 address tests (inline functions in the SDK; pure) -------------- */

static inline int IN6_ADDR_EQUAL(const struct in6_addr *a, const struct in6_addr *b) {
  return memcmp(a, b, sizeof(struct in6_addr)) == 0;
}
#define IN6_ARE_ADDR_EQUAL IN6_ADDR_EQUAL

static inline int IN6_IS_ADDR_UNSPECIFIED(const struct in6_addr *a) {
  static const struct in6_addr any = IN6ADDR_ANY_INIT;
  return memcmp(a, &any, sizeof any) == 0;
}

static inline int IN6_IS_ADDR_LOOPBACK(const struct in6_addr *a) {
  static const struct in6_addr loopback = IN6ADDR_LOOPBACK_INIT;
  return memcmp(a, &loopback, sizeof loopback) == 0;
}

static inline int IN6_IS_ADDR_MULTICAST(const struct in6_addr *a) {
  return a->u.Byte[0] == 0xff;
}

static inline int IN6_IS_ADDR_LINKLOCAL(const struct in6_addr *a) {
  return a->u.Byte[0] == 0xfe && (a->u.Byte[1] & 0xc0) == 0x80;
}

static inline int IN6_IS_ADDR_SITELOCAL(const struct in6_addr *a) {
  return a->u.Byte[0] == 0xfe && (a->u.Byte[1] & 0xc0) == 0xc0;
}

/* ::ffff:a.b.c.d */
static inline int IN6_IS_ADDR_V4MAPPED(const struct in6_addr *a) {
  static const UCHAR prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return memcmp(a->u.Byte, prefix, sizeof prefix) == 0;
}

static inline int IN6ADDR_ISANY(const SOCKADDR_IN6 *a) {
  return a->sin6_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&a->sin6_addr);
}

static inline int IN6ADDR_ISLOOPBACK(const SOCKADDR_IN6 *a) {
  return a->sin6_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
}

static inline void IN6ADDR_SETANY(SOCKADDR_IN6 *a) {
  static const struct in6_addr any = IN6ADDR_ANY_INIT;
  a->sin6_family = AF_INET6;
  a->sin6_port = 0;
  a->sin6_flowinfo = 0;
  a->sin6_addr = any;
  a->sin6_scope_id = 0;
}

static inline void IN6ADDR_SETLOOPBACK(SOCKADDR_IN6 *a) {
  static const struct in6_addr loopback = IN6ADDR_LOOPBACK_INIT;
  a->sin6_family = AF_INET6;
  a->sin6_port = 0;
  a->sin6_flowinfo = 0;
  a->sin6_addr = loopback;
  a->sin6_scope_id = 0;
}

/* ---- Name resolution ---------------------------------------------------- */

typedef struct addrinfo {
  int ai_flags;
  int ai_family;
  int ai_socktype;
  int ai_protocol;
  size_t ai_addrlen;
  char *ai_canonname;
  struct sockaddr *ai_addr;
  struct addrinfo *ai_next;
} ADDRINFOA, *PADDRINFOA;

typedef struct addrinfoW {
  int ai_flags;
  int ai_family;
  int ai_socktype;
  int ai_protocol;
  size_t ai_addrlen;
  PWSTR ai_canonname;
  struct sockaddr *ai_addr;
  struct addrinfoW *ai_next;
} ADDRINFOW, *PADDRINFOW;

#define AI_PASSIVE 0x00000001
#define AI_CANONNAME 0x00000002
#define AI_NUMERICHOST 0x00000004
#define AI_NUMERICSERV 0x00000008
#define AI_ALL 0x00000100
#define AI_ADDRCONFIG 0x00000400
#define AI_V4MAPPED 0x00000800

#define NI_NOFQDN 0x01
#define NI_NUMERICHOST 0x02
#define NI_NAMEREQD 0x04
#define NI_NUMERICSERV 0x08
#define NI_DGRAM 0x10
#define NI_MAXHOST 1025
#define NI_MAXSERV 32

#define EAI_AGAIN WSATRY_AGAIN
#define EAI_BADFLAGS WSAEINVAL
#define EAI_FAIL WSANO_RECOVERY
#define EAI_FAMILY WSAEAFNOSUPPORT
#define EAI_MEMORY WSA_NOT_ENOUGH_MEMORY
#define EAI_NONAME WSAHOST_NOT_FOUND
#define EAI_SERVICE WSATYPE_NOT_FOUND
#define EAI_SOCKTYPE WSAESOCKTNOSUPPORT
#define EAI_NODATA EAI_NONAME

#define getaddrinfo fw_getaddrinfo
INT WSAAPI getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA *pHints,
                       PADDRINFOA *ppResult);
#define freeaddrinfo fw_freeaddrinfo
VOID WSAAPI freeaddrinfo(PADDRINFOA pAddrInfo);
#define getnameinfo fw_getnameinfo
INT WSAAPI getnameinfo(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PCHAR pNodeBuffer,
                       DWORD NodeBufferSize, PCHAR pServiceBuffer, DWORD ServiceBufferSize,
                       INT Flags);
#define inet_pton fw_inet_pton
INT WSAAPI inet_pton(INT Family, PCSTR pszAddrString, PVOID pAddrBuf);
#define inet_ntop fw_inet_ntop
PCSTR WSAAPI inet_ntop(INT Family, const VOID *pAddr, PSTR pStringBuf, size_t StringBufSize);

#ifdef __cplusplus
}
#endif

/* As on Windows, ws2tcpip.h brings mstcpip.h (SIO_KEEPALIVE_VALS...). */
#include "mstcpip.h"

#endif /* FAKEWIN_WS2TCPIP_H */
