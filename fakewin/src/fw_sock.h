/* fw_sock.h: what the Winsock files of fakewin share (helper `net`).
 *
 *   fw_net.c       the loopback network: addresses, the port table,
 *                  TCP connections (two bounded byte pipes), datagram
 *                  queues, virtual latency, peer FIN/RST from the fault plan
 *   fw_socket.c    socket objects and the ws2_32 calls on them: WSASocket,
 *                  closesocket, bind, listen, connect, accept, shutdown,
 *                  getsockname/getpeername, recv/send and the WSA* data calls
 *   fw_sock_ext.c  the mswsock extensions: AcceptEx, GetAcceptExSockaddrs,
 *                  ConnectEx, DisconnectEx, WSARecvMsg, WSASendMsg
 *   fw_wsa.c       WSAStartup/WSACleanup, last error, WSAEnumProtocols,
 *                  WSAIoctl/ioctlsocket, get/setsockopt, byte order,
 *                  inet_pton/inet_ntop/inet_addr/inet_ntoa
 *
 * The model (docs/fakewin-net.md has the long version).  A socket is an
 * fw_io_obj_t (fw_io.h) plus its Winsock state.  A TCP connection is an
 * fw_conn_t with two pipes, one per direction; each pipe holds at most
 * (sender's SO_SNDBUF + receiver's SO_RCVBUF) bytes.  A send that fits
 * completes at once; the rest of a send waits in the sender's send queue and
 * moves into the pipe as the reader frees room (the request completes when
 * its last byte is in the pipe).  A receive with readable data completes at
 * once, otherwise it waits in the receiver's queue.  Bytes become readable
 * `latency_ns` after they entered the pipe (0 by default: within the sending
 * call).  Everything that becomes completable at the same moment completes
 * in queue order (FIFO per socket).  A UDP socket has a bounded queue of
 * datagrams; a datagram to a port nobody bound produces an ICMP "port
 * unreachable" for the sender (F48). */
#ifndef FAKEWIN_FW_SOCK_H
#define FAKEWIN_FW_SOCK_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>

#include "fw_io.h"

/* ---- addresses ----------------------------------------------------------------- */

/* An IPv4 or IPv6 socket address in host-friendly form: the port in host
 * order, the address bytes in network order (IPv4 in ip[0..3]). */
typedef struct fw_addr {
  uint16_t family; /* AF_INET, AF_INET6; 0: none */
  uint16_t port;
  uint8_t ip[16];
  uint32_t flowinfo;
  uint32_t scope;
} fw_addr_t;

/* Parses a caller's sockaddr: 0, WSAEFAULT (NULL or too short for its
 * family) or WSAEAFNOSUPPORT (a family other than AF_INET/AF_INET6). */
int fw_addr_parse(const struct sockaddr *sa, int len, fw_addr_t *out);
/* The sockaddr length of a family (16 or 28). */
int fw_addr_len(uint16_t family);
/* Writes a as a sockaddr into (sa, *len): 0, or WSAEFAULT when *len is too
 * small (nothing written then).  *len becomes the address length. */
int fw_addr_store(const fw_addr_t *a, struct sockaddr *sa, int *len);
/* Writes it unconditionally into a buffer of at least fw_addr_len bytes. */
void fw_addr_write(const fw_addr_t *a, void *buf);
bool fw_addr_is_any(const fw_addr_t *a);
bool fw_addr_is_loopback(const fw_addr_t *a);
/* Same family, bytes and port. */
bool fw_addr_equal(const fw_addr_t *a, const fw_addr_t *b);
bool fw_addr_same_ip(const fw_addr_t *a, const fw_addr_t *b);
/* The loopback / wildcard address of a family with a port. */
void fw_addr_loopback(uint16_t family, uint16_t port, fw_addr_t *out);
void fw_addr_any(uint16_t family, uint16_t port, fw_addr_t *out);
/* ::ffff:a.b.c.d for an IPv4 address (dual-stack sockets); unmap back. */
void fw_addr_v4mapped(const fw_addr_t *v4, fw_addr_t *out);
bool fw_addr_unmap(const fw_addr_t *v6, fw_addr_t *out);

/* ---- sockets --------------------------------------------------------------------- */

typedef struct fw_conn fw_conn_t;
typedef struct fw_dgram fw_dgram_t;
typedef struct fw_sock fw_sock_t;
typedef struct fw_sock_req fw_sock_req_t;

typedef enum fw_sock_state {
  FW_SOCK_NEW = 0,    /* created (maybe bound) */
  FW_SOCK_LISTENING,  /* listen() */
  FW_SOCK_CONNECTING, /* ConnectEx in flight, or a non-blocking connect */
  FW_SOCK_ACCEPTING,  /* the accept socket of a pending AcceptEx */
  FW_SOCK_CONNECTED,  /* a TCP connection, or a connected UDP socket */
  FW_SOCK_CLOSED      /* its last handle was closed */
} fw_sock_state_t;

/* Request kinds of the socket layer. */
typedef enum fw_sock_req_kind {
  FW_SR_RECV = 0,  /* WSARecv, WSARecvFrom, WSARecvMsg */
  FW_SR_SEND,      /* WSASend (stream) */
  FW_SR_ACCEPT,    /* AcceptEx (issued on the listener) */
  FW_SR_CONNECT,   /* ConnectEx */
  FW_SR_DISCONNECT /* DisconnectEx */
} fw_sock_req_kind_t;

/* One overlapped Winsock request; fw_io_req_t first (fw_io.h). */
struct fw_sock_req {
  fw_io_req_t base;
  fw_sock_req_kind_t kind;
  fw_sock_t *sock; /* whose queue holds it (the listener for AcceptEx) */
  fw_sock_req_t *q_prev, *q_next;
  bool queued;
  /* data: a copy of the caller's WSABUF array (the buffers stay the caller's) */
  WSABUF *bufs;
  DWORD nbufs;
  size_t total; /* sum of the lengths */
  size_t done;  /* bytes moved so far (sends) */
  DWORD flags;  /* MSG_PEEK... */
  DWORD cap;    /* a SHORT fault's cap on the bytes moved; UINT32_MAX: none */
  /* receives with an address: WSARecvFrom's lpFrom/lpFromlen, WSARecvMsg's msg
   * (the caller keeps them valid until completion, as Windows requires) */
  struct sockaddr *from;
  LPINT fromlen;
  LPWSAMSG msg;
  /* AcceptEx */
  fw_sock_t *acceptor;     /* referenced until the request is freed */
  char *out;               /* lpOutputBuffer */
  DWORD rlen, llen, rmlen; /* receive, local and remote address lengths */
  fw_conn_t *conn;         /* the connection it took (rlen > 0: waiting for data) */
  bool inert;              /* W10 under wine8: accepted as pending, never matched */
  /* ConnectEx */
  sim_event_id_t event;
  DWORD disc_flags; /* DisconnectEx */
};

typedef struct fw_sock_q {
  fw_sock_req_t *head, *tail;
} fw_sock_q_t;

struct fw_sock {
  fw_io_obj_t io;
  HANDLE handle;               /* the handle value WSASocket returned */
  uint32_t dgrams_in_flight;   /* datagrams (and ICMP errors) on their way to it */
  uint64_t dgram_last_arrival; /* when the last of them arrives */
  int af, type, protocol;
  uint32_t catalog_id; /* the provider entry it was created from */
  fw_sock_state_t state;
  bool bound;
  fw_addr_t local;       /* valid when bound */
  fw_addr_t peer;        /* valid when connected / connecting */
  bool nonblocking;      /* FIONBIO */
  bool shut_rd, shut_wr; /* shutdown() */
  /* F32/F35: the context an AcceptEx / ConnectEx socket lacks until
   * SO_UPDATE_ACCEPT_CONTEXT / SO_UPDATE_CONNECT_CONTEXT (Windows only, W11) */
  bool needs_accept_ctx, needs_connect_ctx;
  bool connect_failed; /* a non-blocking connect that was refused */
  /* options */
  int rcvbuf, sndbuf;
  bool linger_on;
  uint16_t linger_secs;
  bool reuseaddr, exclusive, nodelay, keepalive, broadcast, oobinline, v6only;
  DWORD rcvtimeo, sndtimeo; /* ms, 0: none */
  int ttl;
  DWORD so_error;        /* SO_ERROR */
  bool udp_connreset;    /* SIO_UDP_CONNRESET (on by default) */
  bool udp_netreset;     /* SIO_UDP_NETRESET */
  uint64_t connected_at; /* virtual ns, for SO_CONNECT_TIME */
  /* TCP */
  fw_conn_t *conn;
  int side; /* this end writes conn->dir[side] */
  int backlog;
  fw_conn_t *bl_head, *bl_tail; /* connections waiting for accept (listener) */
  uint32_t bl_count;
  fw_sock_q_t acceptq;       /* AcceptEx requests not yet given a connection (listener) */
  fw_sock_req_t *accepting;  /* the AcceptEx this socket is the accept socket of */
  fw_sock_req_t *connecting; /* the ConnectEx in flight */
  /* UDP */
  fw_dgram_t *dq_head, *dq_tail;
  uint32_t dq_bytes, dq_count;
  NTSTATUS icmp_status; /* an ICMP error waiting for the next receive (F48), 0: none */
  /* request queues, FIFO */
  fw_sock_q_t rq, sq;
  /* a pump (fw_sock_pump_recv/send) is running on this socket; set when a
   * nested call asked it to go round again */
  bool pump_recv_running, pump_recv_again, pump_send_running, pump_send_again;
  /* a reset reached this socket while its send pump was moving a request
   * (a write into an end that was closed resets the writer at once): the
   * pump completes its sends with this status when it stops, so the
   * request it is moving is not freed under it (found by fuzz_scn_run) */
  NTSTATUS send_reset_deferred; /* 0: none */
  /* WSAEventSelect (fw_poll.c): the event, the selected FD_* bits, what was
   * recorded since the last WSAEnumNetworkEvents with the error of each, and
   * which bits may be recorded now (a recorded bit waits for its
   * re-enabling call: recv for FD_READ, accept for FD_ACCEPT, a send that
   * would block for FD_WRITE) */
  HANDLE es_event;
  LONG es_mask, es_recorded, es_enabled;
  int es_error[FD_MAX_EVENTS];
  /* the port table */
  fw_sock_t *bind_prev, *bind_next;
  bool in_bind_table;
};

/* A datagram in a UDP socket's receive queue. */
struct fw_dgram {
  fw_dgram_t *next;
  fw_addr_t from;
  uint32_t len;
  uint8_t data[];
};

/* One direction of a TCP connection.  Offsets count bytes since the
 * connection opened: the pipe holds [read, written); [read, visible) is
 * readable now, [visible, written) still travels (latency). */
typedef struct fw_pipe {
  fw_conn_t *conn; /* back-pointers for the latency timer */
  int side;
  uint8_t *buf; /* the bytes [read, written), buf[0] first */
  size_t size;
  uint64_t read, visible, written;
  bool fin;         /* the writer sent FIN after `written` */
  uint64_t fin_at;  /* the offset the FIN follows */
  bool fin_visible; /* ... and the reader can see it */
  /* latency marks: bytes up to marks[i].offset become visible at marks[i].when */
  struct fw_pipe_mark {
    uint64_t when, offset;
    bool fin;
  } * marks;
  size_t n_marks, cap_marks, first_mark;
  sim_timer_t timer;
} fw_pipe_t;

/* A TCP connection between a client end (side 0) and a server end (side 1). */
struct fw_conn {
  fw_pipe_t dir[2];         /* dir[s]: written by end s, read by end 1-s */
  fw_sock_t *end[2];        /* NULL: not accepted yet (server) or closed */
  fw_addr_t addr[2];        /* end s's local address, as end s's family sees it */
  fw_addr_t peer[2];        /* end s's peer address, likewise */
  int sndbuf[2], rcvbuf[2]; /* the ends' buffer sizes */
  bool closed[2];           /* end s was closed (data for it elicits a reset) */
  /* end s has seen a reset; error its calls report afterwards */
  bool reset[2];
  DWORD reset_err[2];
  fw_sock_t *listener; /* while waiting in its backlog */
  fw_conn_t *bl_next;
  fw_sock_req_t *accept_req; /* the AcceptEx waiting for this connection's data */
  uint32_t serial;           /* creation order, for traces */
  fw_conn_t *all_next;
};

/* ---- fw_socket.c --------------------------------------------------------------------- */

/* Resolves a SOCKET: 0 or WSAENOTSOCK.  Not a reference. */
int fw_sock_get(SOCKET s, fw_sock_t **out);
/* WSANOTINITIALISED unless WSAStartup succeeded in this world (fw_wsa.c). */
bool fw_wsa_started(void);
/* Sets the calling thread's last error (the slot GetLastError reads). */
void fw_wsa_error(fw_thread_t *t, int err);
/* A call that succeeded: under a personality whose Winsock clears the last
 * error on success (winsock_success_clears_error) it becomes 0. */
static inline void fw_wsa_success(fw_thread_t *t) {
  if (fw_pers()->winsock_success_clears_error) fw_set_error(t, 0);
}

/* The socket layer's parts of the data path, called by fw_net.c when
 * something changed on a socket: satisfy its pending requests (FIFO), wake
 * its blocked threads. */
void fw_sock_pump_recv(fw_sock_t *s);
void fw_sock_pump_send(fw_sock_t *s);
/* A reset reached s: fail its pending receives and sends, AcceptEx waiting
 * for its data. */
void fw_sock_on_reset(fw_sock_t *s, NTSTATUS status);

/* Queue helpers. */
void fw_sock_q_push(fw_sock_q_t *q, fw_sock_req_t *r);
void fw_sock_q_remove(fw_sock_q_t *q, fw_sock_req_t *r);

/* Request plumbing shared by fw_socket.c and fw_sock_ext.c. */
extern const fw_io_req_ops_t fw_sock_req_ops;
fw_sock_req_t *fw_sock_req_new(fw_sock_t *s, fw_io_obj_t *issued_on, fw_sock_req_kind_t kind,
                               fw_op_t op, fw_site_t site, LPWSAOVERLAPPED ov, const WSABUF *bufs,
                               DWORD nbufs);
/* Copies up to n bytes of src into the request's buffers at offset off. */
void fw_sock_req_fill(fw_sock_req_t *r, size_t off, const uint8_t *src, size_t n);

/* The receive engine for one request against the socket's current state:
 * true when it completed (through fw_io_complete when `pending`, else the
 * outcome is left in *status / *bytes for fw_io_finish_immediate). */
bool fw_sock_try_recv(fw_sock_t *s, fw_sock_req_t *r, NTSTATUS *status, DWORD *bytes);

/* Makes the accept socket of a finished AcceptEx / accept() a connected end
 * of conn (side 1) (fw_net.c). */
void fw_sock_attach_server(fw_sock_t *acc, fw_conn_t *conn);

/* AcceptEx (fw_sock_ext.c): give queued connections to waiting AcceptEx
 * requests of listener l; progress of the AcceptEx that took c and waits
 * for its first data (data, FIN or reset arrived). */
void fw_sock_accept_pump(fw_sock_t *l);
void fw_sock_accept_data(fw_conn_t *c);
/* The data side of a forced (fault plan) AcceptEx / ConnectEx success;
 * *bytes may be lowered to what really moved. */
void fw_sock_accept_forced(fw_sock_req_t *r, DWORD *bytes);
void fw_sock_connect_forced(fw_sock_req_t *r, DWORD *bytes);
/* The function WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) returns for a
 * GUID; NULL if unknown. */
void *fw_sock_extension(const GUID *g);

/* ---- readiness (fw_poll.c) ---------------------------------------------- */

/* A re-enabling call happened on s (FD_READ after a receive, FD_ACCEPT after
 * accept, FD_WRITE after a send that would block): WSAEventSelect may record
 * that event again. */
void fw_sock_reenable(fw_sock_t *s, LONG bits);

/* ---- fw_net.c ------------------------------------------------------------------------ */

const fw_net_config_t *fw_net_cfg(void);

/* The port table (bind, implicit binds).  0 or a Winsock error. */
int fw_net_bind(fw_sock_t *s, const fw_addr_t *want);
void fw_net_unbind(fw_sock_t *s);
/* Binds s to the wildcard address of its family with an ephemeral port
 * unless it is bound already. */
int fw_net_autobind(fw_sock_t *s);

/* TCP.  connect: finds the listener for `to` and queues a new connection on
 * it (or gives it to a waiting AcceptEx).  0, WSAECONNREFUSED. */
int fw_net_connect(fw_sock_t *s, const fw_addr_t *to);
/* Moves up to n bytes from src into end s's outgoing pipe: the count moved
 * (limited by the room).  Makes them readable (now or after the latency). */
size_t fw_net_write(fw_conn_t *c, int side, const uint8_t *src, size_t n);
/* Room left in end s's outgoing pipe. */
size_t fw_net_room(fw_conn_t *c, int side);
/* Readable bytes for end s (incoming pipe). */
size_t fw_net_readable(fw_conn_t *c, int side);
/* Copies up to n readable bytes for end s (dst may be NULL: discard);
 * consumes them unless peek, which frees room for the writer (its queued
 * sends move on). */
size_t fw_net_read(fw_conn_t *c, int side, uint8_t *dst, size_t n, bool peek);
/* Whether end s sees the peer's FIN (all data before it read). */
bool fw_net_eof(fw_conn_t *c, int side);
/* End s sends FIN after what it wrote (shutdown SD_SEND, graceful close). */
void fw_net_fin(fw_conn_t *c, int side);
/* End s resets the connection: the peer sees STATUS_CONNECTION_RESET
 * (after the latency); `peer_err` is what the peer's later calls report. */
void fw_net_rst(fw_conn_t *c, int side, DWORD peer_err);
/* End s goes away (closesocket): FIN or RST as the socket's state asks. */
void fw_net_close_end(fw_sock_t *s);
/* A listener goes away: every connection in its backlog is reset. */
void fw_net_close_listener(fw_sock_t *s);
/* Takes the first connection of the backlog (NULL if empty). */
fw_conn_t *fw_net_backlog_pop(fw_sock_t *l);
/* Puts a connection back at the head of the backlog. */
void fw_net_backlog_unpop(fw_sock_t *l, fw_conn_t *c);
/* The buffer sizes of end s changed (setsockopt). */
void fw_net_resize(fw_sock_t *s);

/* UDP: sends one datagram from s to `to` (s is bound by then). */
void fw_net_sendto(fw_sock_t *s, const fw_addr_t *to, const uint8_t *data, uint32_t len);
fw_dgram_t *fw_net_dgram_pop(fw_sock_t *s);
void fw_net_dgram_free(fw_dgram_t *d);
void fw_net_dgram_clear(fw_sock_t *s);

/* A wake reason for tracing in events (no fiber there). */
void fw_net_trace_event(const char *what, uint64_t a, uint64_t b);

#endif
