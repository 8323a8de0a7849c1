/* <mstcpip.h> of the fake Win32 world (fakewin): TCP/IP-specific ioctls
 * (keep-alive values, UDP connection-reset control, loopback fast path).
 * Includes <winsock2.h>. */
#ifndef FAKEWIN_MSTCPIP_H
#define FAKEWIN_MSTCPIP_H

#include "winsock2.h"

struct tcp_keepalive {
  ULONG onoff;
  ULONG keepalivetime;     /* milliseconds */
  ULONG keepaliveinterval; /* milliseconds */
};

#define SIO_RCVALL _WSAIOW(IOC_VENDOR, 1)
#define SIO_RCVALL_MCAST _WSAIOW(IOC_VENDOR, 2)
#define SIO_RCVALL_IGMPMCAST _WSAIOW(IOC_VENDOR, 3)
#define SIO_KEEPALIVE_VALS _WSAIOW(IOC_VENDOR, 4)
#define SIO_ABSORB_RTRALERT _WSAIOW(IOC_VENDOR, 5)
#define SIO_UCAST_IF _WSAIOW(IOC_VENDOR, 6)
#define SIO_LIMIT_BROADCASTS _WSAIOW(IOC_VENDOR, 7)
#define SIO_INDEX_BIND _WSAIOW(IOC_VENDOR, 8)
#define SIO_INDEX_MCASTIF _WSAIOW(IOC_VENDOR, 9)
#define SIO_INDEX_ADD_MCAST _WSAIOW(IOC_VENDOR, 10)
#define SIO_INDEX_DEL_MCAST _WSAIOW(IOC_VENDOR, 11)
#define SIO_LOOPBACK_FAST_PATH _WSAIOW(IOC_VENDOR, 16)

/* Also in <mswsock.h>, with identical definitions. */
#define SIO_UDP_CONNRESET _WSAIOW(IOC_VENDOR, 12)
#define SIO_UDP_NETRESET _WSAIOW(IOC_VENDOR, 15)

#endif /* FAKEWIN_MSTCPIP_H */
