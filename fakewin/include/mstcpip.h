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

/* SIO_TCP_INFO (Windows 10 1703+): input a DWORD version (0), output a
 * TCP_INFO_v0 snapshot of the connection. */
#define SIO_TCP_INFO _WSAIORW(IOC_VENDOR, 39)

typedef enum _TCPSTATE {
  TCPSTATE_CLOSED,
  TCPSTATE_LISTEN,
  TCPSTATE_SYN_SENT,
  TCPSTATE_SYN_RCVD,
  TCPSTATE_ESTABLISHED,
  TCPSTATE_FIN_WAIT_1,
  TCPSTATE_FIN_WAIT_2,
  TCPSTATE_CLOSE_WAIT,
  TCPSTATE_CLOSING,
  TCPSTATE_LAST_ACK,
  TCPSTATE_TIME_WAIT,
  TCPSTATE_MAX
} TCPSTATE;

typedef struct _TCP_INFO_v0 {
  TCPSTATE State;
  ULONG Mss;
  ULONG64 ConnectionTimeMs;
  BOOLEAN TimestampsEnabled;
  ULONG RttUs;
  ULONG MinRttUs;
  ULONG BytesInFlight;
  ULONG Cwnd;
  ULONG SndWnd;
  ULONG RcvWnd;
  ULONG RcvBuf;
  ULONG64 BytesOut;
  ULONG64 BytesIn;
  ULONG BytesReordered;
  ULONG BytesRetrans;
  ULONG FastRetrans;
  ULONG DupAcksIn;
  ULONG TimeoutEpisodes;
  UCHAR SynRetrans;
} TCP_INFO_v0, *PTCP_INFO_v0;

/* Also in <mswsock.h>, with identical definitions. */
#define SIO_UDP_CONNRESET _WSAIOW(IOC_VENDOR, 12)
#define SIO_UDP_NETRESET _WSAIOW(IOC_VENDOR, 15)

#endif /* FAKEWIN_MSTCPIP_H */
