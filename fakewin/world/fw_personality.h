/* fw_personality.h: a personality as data - one table per imitated system,
 * one named field per difference between Windows and Wine 8.0 (the W table of
 * spec/win32-fidelity.md, W1..W30, and W31..W38 of docs/conformance.md).
 * fakewin reads a field where the difference matters
 * (`fw_pers()->acceptex_always_pends`), never the
 * personality's name; a later Wine (9, 10) is a new table in fw_personality.c
 * and a new fw_personality_t value, not an edit in every file.
 *
 * Like fw_world.h this header includes no Win32 header: NTSTATUS values and
 * error codes are plain uint32_t.  Each field names the W item it encodes; a
 * field whose Windows value is not established says which side the fake takes
 * and why. */
#ifndef FAKEWIN_WORLD_FW_PERSONALITY_H
#define FAKEWIN_WORLD_FW_PERSONALITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw_world.h"

#ifdef __cplusplus
extern "C" {
#endif

/* W30: what WSAIoctl(SIO_TCP_INFO) does. */
typedef enum fw_tcp_info_mode {
  FW_TCP_INFO_SNAPSHOT = 0,   /* Windows 10 1703+: a TCP_INFO_v0 snapshot */
  FW_TCP_INFO_UNSUPPORTED = 1 /* Wine 8.0: WSAEOPNOTSUPP; with an OVERLAPPED it reports
                                 pending, never signals the event, and queues an
                                 ERROR_NOT_SUPPORTED packet only without skip-on-success */
} fw_tcp_info_mode_t;

/* Which FormatMessage texts the system has (fw_message.c). */
typedef enum fw_message_texts {
  FW_MESSAGES_WINDOWS = 0, /* Windows' English system messages */
  FW_MESSAGES_WINE8 = 1    /* Wine 8.0's (shorter; none for many Winsock codes) */
} fw_message_texts_t;

typedef struct fw_personality_table {
  const char *name; /* "windows", "wine8" */

  bool cancelioex_null_idle_succeeds;    /* W1: CancelIoEx(h, NULL) with nothing pending is TRUE */
  uint32_t close_recv_status;            /* W2: NTSTATUS of a WSARecv pending at closesocket */
  uint32_t close_send_status;            /* W3: ... of a WSASend pending at closesocket */
  bool close_send_reports_zero;          /* W3: that packet carries 0 bytes (Wine), else the bytes
                                            already sent */
  bool recv_after_reset_is_eof;          /* W4: a new receive after the peer's RST reads end of
                                            stream instead of failing WSAECONNRESET */
  bool acceptex_early_reset_invalid;     /* W5: AcceptEx without receive data, connection reset
                                            before it: STATUS_INVALID_CONNECTION, not
                                            STATUS_CONNECTION_RESET */
  bool port_close_releases_waiters;      /* W6: closing the port wakes GQCS waiters with
                                            ERROR_ABANDONED_WAIT_0 (Windows); else they wait on */
  bool gqcsex_count0_succeeds;           /* W7: ulCount 0 gives TRUE, n = 1, nothing dequeued */
  bool gqcsex_timeout_writes_count;      /* a GQCSEx whose wait fails - timeout, an APC - writes
                                            n = 1: Wine 8.0 (probes iocp_core, apc) and Windows
                                            alike (file.c test_post_completion checks it without
                                            todo_wine; docs/conformance.md "Spec conflicts") */
  bool gqcsex_bad_port_writes_count;     /* W7: so does a GQCSEx on a handle that is not a port
                                            (Wine 8.0, probe iocp_core; Windows not established,
                                            the fake leaves n unwritten) */
  bool gqcsex_status_low_half;           /* W7: only the low 32 bits of OVERLAPPED_ENTRY.Internal
                                            are written */
  bool ex_submit_zeroes_internalhigh;    /* W8: AcceptEx/ConnectEx write 0 to InternalHigh when
                                            submitted, and to the byte count output even when
                                            they pend (probe accept_connect); ConnectEx does it
                                            before any check, so failing calls write it too
                                            (probe connectex_fail; Windows leaves both: sock.c
                                            test_connect, todo_wine) */
  bool acceptex_always_pends;            /* W9: never completes at once, even with a connection
                                            waiting */
  bool acceptex_lax_arguments;           /* W10: a bound/connected/UDP accept socket is taken as
                                            pending (and never completes) */
  uint32_t acceptex_address_slack;       /* W10: bytes an address area needs beyond the sockaddr
                                            (Windows 16, Wine 0) */
  bool update_context_required;          /* W11: getsockname/getpeername/shutdown on an AcceptEx or
                                            ConnectEx socket need SO_UPDATE_*_CONTEXT first */
  bool udp_port_unreachable_reported;    /* W12: ICMP port unreachable fails the next UDP receive */
  bool msg_calls_take_streams;           /* W13: WSASendMsg/WSARecvMsg work on SOCK_STREAM */
  bool recvmsg_sets_msg_trunc;           /* W14: a truncated WSARecvMsg sets MSG_TRUNC in dwFlags
                                            (Windows unverified; the docs say so) */
  bool console_limits;                   /* W15: ReadConsoleW/WriteConsoleW size limits apply */
  bool async_file_eof_pends;             /* W16: an overlapped read past EOF pends and completes
                                            STATUS_END_OF_FILE instead of failing at once */
  bool sync_eof_read_moves_pointer;      /* W17: a sync-handle ReadFile with an OVERLAPPED past EOF
                                            leaves the pointer at the requested offset (Windows
                                            not established: the fake leaves it alone) */
  bool gor_fails_informational;          /* W18: GetOverlappedResult fails informational statuses */
  bool disconnectex_skip_drops_packet;   /* W19: a pending DisconnectEx in skip-on-success mode
                                            queues no packet */
  bool connect_checks_connectex_context; /* W20: connect() on a socket ConnectEx connected and
                                            whose context is not updated: WSAEINVAL */
  uint32_t closed_end_data_error;        /* W21: the error a sender sees after its data reached an
                                            end that was closed (WSAECONNABORTED / WSAECONNRESET) */
  bool aborted_send_keeps_count;         /* W22: a cancelled or reset pending send reports the bytes
                                            already sent (Wine; Windows not established, the fake
                                            takes Wine's value on both) */
  bool pipe_seek_refused;                /* W23: SetFilePointer(Ex) on a pipe end fails */
  bool update_context_unchecked;         /* W24: setsockopt SO_UPDATE_*_CONTEXT succeeds on any
                                            handle */
  bool udp_connreset_ioctl_unchecked;    /* W25: SIO_UDP_CONNRESET/NETRESET succeed on a closed
                                            socket or a non-socket handle */
  bool exported_getacceptexsockaddrs_empty; /* W26: mswsock's exported GetAcceptExSockaddrs
                                               fills nothing (the extension pointer works) */
  uint32_t send_unconnected_error;          /* W27: WSASend on an unconnected TCP socket */
  bool set_file_info_checks_access; /* W28: SetFileInformationByHandle checks access rights */
  uint32_t max_wsabufs;             /* W29: most WSABUFs a send accepts (0: no limit) */
  fw_tcp_info_mode_t tcp_info;      /* W30: SIO_TCP_INFO */
  /* W31..W38: beyond the spec's table (docs/conformance.md, "W rows beyond
   * the spec"); W31..W34 found on the real tier, measured by probe udp_msg */
  bool recvmsg_keeps_flags;              /* W31: WSARecvMsg leaves WSAMSG.dwFlags as the caller
                                            passed it, the caller's MSG_PEEK comes back (Wine
                                            8.0, which only ORs in MSG_CTRUNC); Windows writes
                                            the returned flags (0 or MSG_TRUNC...) */
  uint32_t dgram_send_unconnected_error; /* W32: send, WSASend, WSASendTo or WSASendMsg without an
                                            address on an unconnected UDP socket: WSAENOTCONN
                                            (Windows: sock.c test_connect_udp) / WSAEINVAL
                                            (Wine 8.0, probes udp_connected, udp_msg) */
  bool dgram_unaddressed_send_binds;     /* W32: that failing send leaves the socket bound to an
                                            ephemeral port (Wine 8.0: the host's sendmsg
                                            autobinds); Windows not established, the fake
                                            leaves it unbound there */
  bool dgram_recv_unbound_waits;         /* W33: a receive on a UDP socket never bound waits
                                            (WSAEWOULDBLOCK non-blocking, pending overlapped) and
                                            binds nothing (Wine 8.0); Windows fails it WSAEINVAL
                                            (sock.c test_connect_udp) */
  bool sendmsg_fault_binds;              /* W34: a WSASendMsg with an address, no OVERLAPPED and
                                            no byte count output fails WSAEFAULT on both; Windows
                                            binds the socket first (sock.c test_WSASendMsg, "a bad
                                            call ... will also bind"), Wine 8.0 does not */
  bool sync_eof_writes_status;           /* W35: a ReadFile at or past EOF on a synchronous handle
                                            with an OVERLAPPED writes Internal =
                                            STATUS_END_OF_FILE (Wine 8.0, probe files); Windows
                                            leaves the STATUS_PENDING it stored on entry (file.c
                                            test_eof, todo_wine).  InternalHigh = 0 and the
                                            event signalled on both: Windows not established */
  bool peername_lost_when_closed;        /* W36: getpeername on a TCP socket fails WSAENOTCONN
                                            once the connection is closed at the host: FINs
                                            gone both ways, or a reset received (Wine 8.0,
                                            probe shutdown_names); Windows keeps answering
                                            after shutdown both ways (sock.c test_shutdown,
                                            todo_wine), after a reset not established (the
                                            fake answers) */
  bool connectex_lax_address;            /* W37: ConnectEx with a name shorter than the family's
                                             sockaddr fails WSAEADDRNOTAVAIL (Windows WSAEFAULT,
                                             docs),
                                             and with port 0 pends and is refused
                                             (STATUS_CONNECTION_REFUSED; Windows WSAEADDRNOTAVAIL
                                             at once, docs) (Wine 8.0, probe connectex_fail) */
  bool pipe_state_answers_remote_fields; /* W38: GetNamedPipeHandleState asked for the collection
                                            count, the collection timeout or the user name of a
                                            local pipe answers 0, 0 and the account's name (Wine
                                            8.0, probe pipe_state); Windows fails it
                                            ERROR_INVALID_PARAMETER (pipe.c
                                            test_NamedPipeHandleState, todo_wine) */

  /* Found by the differential probes (tests/conformance), not yet W rows of
   * the spec; Windows' side is not established, so the Windows table keeps
   * the documented behaviour (outputs left alone): */
  bool winsock_success_clears_error;    /* socket, bind, getsockname, listen, send/WSASend,
                                           recv/WSARecv, setsockopt, ioctlsocket, shutdown set
                                           the last error to 0 when they succeed (probe
                                           last_error; on Windows too: Wine's sock.c checks it
                                           without todo_wine, tests/winetests) */
  uint32_t wsacleanup_last_error;       /* a successful WSACleanup leaves this last error
                                           (Wine: ERROR_INVALID_HANDLE 6); 0: untouched */
  bool recv_without_buffers_reads_zero; /* WSARecv with no WSABUF (NULL, 0) is a zero-byte
                                           read instead of WSAEINVAL (F21; probe recv_modes) */
  bool wsapoll_invalid_fails;           /* WSAPoll with a socket that is not one: POLLNVAL is set
                                           and the call fails WSAENOTSOCK (Windows: counted as
                                           ready; probe new_apis) */
  bool module_name_unterminated;        /* GetModuleFileName truncating: nSize characters, no
                                           terminator (Windows XP; Vista+ terminates; probe
                                           new_apis) */
  bool async_file_read_pends;           /* an overlapped ReadFile on an overlapped file handle
                                           pends even when the data is there (Windows may finish
                                           it at once, as the fake does; probe files) */
  bool sockopt_type_keeps_len;          /* getsockopt(SO_TYPE) leaves *optlen as the caller gave
                                           it (probe sockopts) */
  bool bool_sockopts_one_byte;          /* getsockopt of SO_KEEPALIVE, TCP_NODELAY, IPV6_V6ONLY
                                           writes one byte, *optlen = 1 (probe sockopts) */
  uint32_t mismatched_protocol_error;   /* socket() whose protocol does not fit its type
                                           (probe sock_errors) */
  uint32_t ioctlsocket_unknown_error;   /* ioctlsocket with a command it does not know:
                                           WSAEINVAL (docs) / WSAEOPNOTSUPP (Wine 8.0) */
  bool sfcnm_checks_flags;              /* SetFileCompletionNotificationModes refuses unknown flags
                                           (ERROR_INVALID_PARAMETER; Wine 8.0 accepts them, probe
                                           sfcnm) */
  bool recvfrom_checks_fromlen; /* WSARecvFrom/recvfrom refuse a too short *lpFromlen at once
                                   (WSAEFAULT; Wine 8.0 does not, probe udp_ex) */
  bool set_eof_info_supported;  /* SetFileInformationByHandle(FileEndOfFileInfo) works (Wine
                                   8.0: ERROR_INVALID_PARAMETER, probe w28_fileinfo) */
  bool so_error_read_clears;    /* getsockopt(SO_ERROR) resets it (the fake's reading of
                                   Windows; Wine 8.0 keeps it: probe nonblocking) */
  /* the providers WSAEnumProtocols lists in a world that did not set its own
   * (fw_world_set_protocols): Windows' base providers; Wine 8.0's seven
   * entries with its names (probe protocols_all) */
  const fw_protocol_t *protocols;
  size_t n_protocols;
  bool wsagor_failure_writes_flags;     /* a failing WSAGetOverlappedResult writes *lpdwFlags = 0
                                           (probe tcp_reset) */
  bool getsockopt_success_clears_error; /* the same for getsockopt (Windows: sock.c
                                           test_timeout; Wine 8.0 leaves it: probe last_error) */

  /* not W items: the system's message texts, and the Wine identity export
   * (ntdll!wine_get_version "8.0") */
  fw_message_texts_t message_texts;
  const char *wine_version; /* NULL on Windows */
} fw_personality_table_t;

/* The table of personality p (fw_world.h's fw_personality_t, as an int so
 * the two headers stay independent); NULL for an unknown value. */
const fw_personality_table_t *fw_personality_table(int p);

#ifdef __cplusplus
}
#endif

#endif
