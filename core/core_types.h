/* core_types.h: public value types of the port (Go's syscall.Sockaddr
 * family, RawSockaddrAny, [][]byte) and the hook function types.
 * Included by core.h; plain Win32 C, compiles against fakewin or the real
 * headers alike. */
#ifndef IOCPSIM_CORE_TYPES_H
#define IOCPSIM_CORE_TYPES_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* maxRW (golang/go#26923): ReadFile/WSARecv take a DWORD length, so reads
 * are capped and writes split at 1 GiB. */
#define CORE_MAX_RW ((size_t)1 << 30)

/* syscall.SockaddrInet4 / SockaddrInet6.  Port in host order. */
typedef struct core_sockaddr_inet4 {
  int port;
  uint8_t addr[4];
} core_sockaddr_inet4_t;

typedef struct core_sockaddr_inet6 {
  int port;
  uint32_t zone_id;
  uint8_t addr[16];
} core_sockaddr_inet6_t;

/* syscall.Sockaddr: a tagged union.  CORE_SA_NONE is Go's nil Sockaddr;
 * CORE_SA_OTHER stands for any other Sockaddr implementation (sockaddrToRaw
 * rejects it with CORE_EWINDOWS, B103). */
typedef enum core_sa_kind {
  CORE_SA_NONE = 0,
  CORE_SA_INET4,
  CORE_SA_INET6,
  CORE_SA_OTHER
} core_sa_kind_t;

typedef struct core_sockaddr {
  core_sa_kind_t kind;
  union {
    core_sockaddr_inet4_t in4;
    core_sockaddr_inet6_t in6;
  } u;
} core_sockaddr_t;

/* syscall.RawSockaddrAny: a 16-byte RawSockaddr followed by 100 bytes of
 * padding, 116 bytes in all (the size Go passes as rsan / to AcceptEx). */
typedef struct core_raw_sockaddr_any {
  uint16_t family;
  char data[14];
  char pad[100];
} core_raw_sockaddr_any_t;

#define CORE_RAW_SOCKADDR_ANY_SIZE 116

/* One element of Go's [][]byte (Writev). */
typedef struct core_iovec {
  uint8_t *base;
  size_t len;
} core_iovec_t;

/* Hooks of hook_windows.go and fd_windows.go, as function pointers. */
typedef int(WSAAPI *core_close_fn)(SOCKET s); /* CloseFunc: closesocket */
typedef BOOL(PASCAL *core_accept_fn)(SOCKET listen, SOCKET accept, PVOID buf, DWORD rlen,
                                     DWORD llen, DWORD rmlen, LPDWORD recvd,
                                     LPOVERLAPPED ov); /* AcceptFunc: AcceptEx */
typedef BOOL(PASCAL *core_connectex_fn)(SOCKET s, const struct sockaddr *name, int namelen,
                                        PVOID sendbuf, DWORD sendlen, LPDWORD sent,
                                        LPOVERLAPPED ov); /* ConnectExFunc */
typedef BOOL(WINAPI *core_read_console_fn)(HANDLE h, LPVOID buf, DWORD toread, LPDWORD read,
                                           LPVOID input_control); /* ReadConsole */
typedef BOOL(WINAPI *core_write_console_fn)(HANDLE h, const VOID *buf, DWORD towrite,
                                            LPDWORD written,
                                            LPVOID reserved); /* WriteConsoleW seam */

#endif
