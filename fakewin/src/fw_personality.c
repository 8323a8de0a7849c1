/* fw_personality.c: the personality tables of fakewin/world/fw_personality.h
 * - what Windows does and what Wine 8.0 does, one field per W item of
 * spec/win32-fidelity.md.  The Wine 8.0 values were observed with probes
 * (the spec's "run" column and tests/conformance/); the Windows values come
 * from Microsoft's documentation and from Wine's own conformance tests, which
 * encode Windows' results. */
#include <stddef.h>

#include <ntstatus.h>
#include <winsock2.h>

#include "fw_io.h"

/* F49: the base providers' flags (TCP 0x20066, UDP 0x20609) and names */
static const fw_protocol_t windows_protocols[] = {
    {2, 1, 6, 0x20066u, 1001, "MSAFD Tcpip [TCP/IP]"},
    {2, 2, 17, 0x20609u, 1002, "MSAFD Tcpip [UDP/IP]"},
    {23, 1, 6, 0x20066u, 1004, "MSAFD Tcpip [TCP/IPv6]"},
    {23, 2, 17, 0x20609u, 1005, "MSAFD Tcpip [UDP/IPv6]"},
};

/* What Wine 8.0 lists (probe protocols_all): the same four with short
 * names, then IPX, SPX and SPX II (AF_IPX 6); catalog ids are the fake's */
static const fw_protocol_t wine8_protocols[] = {
    {2, 1, 6, 0x20066u, 1001, "TCP/IP"},    {2, 2, 17, 0x20609u, 1002, "UDP/IP"},
    {23, 1, 6, 0x20066u, 1004, "TCP/IPv6"}, {23, 2, 17, 0x20609u, 1005, "UDP/IPv6"},
    {6, 2, 1000, 0x40609u, 1006, "IPX"},    {6, 5, 1256, 0x2001eu, 1007, "SPX"},
    {6, 5, 1257, 0x2003eu, 1008, "SPX II"},
};

static const fw_personality_table_t windows_table = {
    .name = "windows",
    .cancelioex_null_idle_succeeds = false,                   /* W1: ERROR_NOT_FOUND */
    .close_recv_status = (uint32_t)STATUS_CONNECTION_ABORTED, /* W2 (F40) */
    .close_send_status = (uint32_t)STATUS_CONNECTION_ABORTED, /* W3 */
    .close_send_reports_zero = false,
    .recv_after_reset_is_eof = false,             /* W4: WSAECONNRESET */
    .acceptex_early_reset_invalid = false,        /* W5: STATUS_CONNECTION_RESET */
    .port_close_releases_waiters = true,          /* W6: ERROR_ABANDONED_WAIT_0 */
    .gqcsex_count0_succeeds = false,              /* W7: ERROR_INVALID_PARAMETER */
    .gqcsex_timeout_writes_count = true,          /* file.c test_post_completion */
    .gqcsex_bad_port_writes_count = false,        /* W7: not established */
    .gqcsex_status_low_half = false,              /* W7: a zero-extended status (F52) */
    .ex_submit_zeroes_internalhigh = false,       /* W8 */
    .acceptex_always_pends = false,               /* W9 */
    .acceptex_lax_arguments = false,              /* W10: WSAEINVAL */
    .acceptex_address_slack = 16,                 /* W10: AcceptEx docs */
    .update_context_required = true,              /* W11 */
    .udp_port_unreachable_reported = true,        /* W12: KB 263823 */
    .msg_calls_take_streams = false,              /* W13: WSAEINVAL */
    .recvmsg_sets_msg_trunc = true,               /* W14 */
    .console_limits = true,                       /* W15 */
    .async_file_eof_pends = false,                /* W16 */
    .sync_eof_read_moves_pointer = false,         /* W17 */
    .gor_fails_informational = false,             /* W18 */
    .disconnectex_skip_drops_packet = false,      /* W19 */
    .connect_checks_connectex_context = true,     /* W20 */
    .closed_end_data_error = WSAECONNABORTED,     /* W21 */
    .aborted_send_keeps_count = true,             /* W22 */
    .pipe_seek_refused = false,                   /* W23 */
    .update_context_unchecked = false,            /* W24: WSAENOTSOCK */
    .udp_connreset_ioctl_unchecked = false,       /* W25: WSAENOTSOCK */
    .exported_getacceptexsockaddrs_empty = false, /* W26 */
    .send_unconnected_error = WSAENOTCONN,        /* W27 */
    .set_file_info_checks_access = true,          /* W28 */
    .max_wsabufs = 0,                             /* W29: no limit */
    .tcp_info = FW_TCP_INFO_SNAPSHOT,             /* W30 */
    .recvmsg_keeps_flags = false,                 /* W31: WSAMSG docs, returned flags */
    .dgram_send_unconnected_error = WSAENOTCONN,  /* W32: sock.c test_connect_udp */
    .dgram_unaddressed_send_binds = false,        /* W32: not established */
    .dgram_recv_unbound_waits = false,            /* W33: WSAEINVAL, test_connect_udp */
    .sendmsg_fault_binds = true,                  /* W34: sock.c test_WSASendMsg */
    .sync_eof_writes_status = false,              /* W35: file.c test_eof */
    .peername_lost_when_closed = false,           /* W36: sock.c test_shutdown */
    .connectex_lax_address = false,               /* W37: ConnectEx docs */
    .pipe_state_answers_remote_fields = false,    /* W38: pipe.c test_NamedPipeHandleState */
    /* Wine's sock.c, written to pass on Windows, checks a last error of 0
     * after successful setsockopt, send, recv and getsockopt calls without
     * todo_wine (test_set_linger, test_WSARecv, test_timeout) */
    .winsock_success_clears_error = true,
    .getsockopt_success_clears_error = true,
    .wsacleanup_last_error = 0,
    .recv_without_buffers_reads_zero = false,
    .wsapoll_invalid_fails = false,
    .module_name_unterminated = false,
    .async_file_read_pends = false,
    .sockopt_type_keeps_len = false,
    .bool_sockopts_one_byte = false,
    .mismatched_protocol_error = WSAEPROTOTYPE,
    .ioctlsocket_unknown_error = WSAEINVAL,
    .sfcnm_checks_flags = true,
    .recvfrom_checks_fromlen = true,
    .set_eof_info_supported = true,
    .so_error_read_clears = true,
    .protocols = windows_protocols,
    .n_protocols = sizeof windows_protocols / sizeof windows_protocols[0],
    .wsagor_failure_writes_flags = false,
    .message_texts = FW_MESSAGES_WINDOWS,
    .wine_version = NULL,
};

static const fw_personality_table_t wine8_table = {
    .name = "wine8",
    .cancelioex_null_idle_succeeds = true,
    .close_recv_status = (uint32_t)STATUS_HANDLES_CLOSED,
    .close_send_status = (uint32_t)STATUS_INVALID_HANDLE, /* its delay is not reproduced */
    .close_send_reports_zero = true,
    .recv_after_reset_is_eof = true,
    .acceptex_early_reset_invalid = true,
    .port_close_releases_waiters = false,
    .gqcsex_count0_succeeds = true,
    .gqcsex_timeout_writes_count = true,
    .gqcsex_bad_port_writes_count = true,
    .gqcsex_status_low_half = true,
    .ex_submit_zeroes_internalhigh = true,
    .acceptex_always_pends = true,
    .acceptex_lax_arguments = true,
    .acceptex_address_slack = 0,
    .update_context_required = false,
    .udp_port_unreachable_reported = false,
    .msg_calls_take_streams = true,
    .recvmsg_sets_msg_trunc = false,
    .console_limits = false,
    .async_file_eof_pends = true,
    .sync_eof_read_moves_pointer = true,
    .gor_fails_informational = true,
    .disconnectex_skip_drops_packet = true,
    .connect_checks_connectex_context = false,
    .closed_end_data_error = WSAECONNRESET,
    .aborted_send_keeps_count = true,
    .pipe_seek_refused = true,
    .update_context_unchecked = true,
    .udp_connreset_ioctl_unchecked = true,
    .exported_getacceptexsockaddrs_empty = true,
    .send_unconnected_error = WSAECONNRESET,
    .set_file_info_checks_access = false,
    .max_wsabufs = 1024,
    .tcp_info = FW_TCP_INFO_UNSUPPORTED,
    .recvmsg_keeps_flags = true,
    .dgram_send_unconnected_error = WSAEINVAL,
    .dgram_unaddressed_send_binds = true,
    .dgram_recv_unbound_waits = true,
    .sendmsg_fault_binds = false,
    .sync_eof_writes_status = true,
    .peername_lost_when_closed = true,
    .connectex_lax_address = true,
    .pipe_state_answers_remote_fields = true,
    .winsock_success_clears_error = true,
    .getsockopt_success_clears_error = false,
    .wsacleanup_last_error = 6,
    .recv_without_buffers_reads_zero = true,
    .wsapoll_invalid_fails = true,
    .module_name_unterminated = true,
    .async_file_read_pends = true,
    .sockopt_type_keeps_len = true,
    .bool_sockopts_one_byte = true,
    .mismatched_protocol_error = WSAEPROTONOSUPPORT,
    .ioctlsocket_unknown_error = WSAEOPNOTSUPP,
    .sfcnm_checks_flags = false,
    .recvfrom_checks_fromlen = false,
    .set_eof_info_supported = false,
    .so_error_read_clears = false,
    .protocols = wine8_protocols,
    .n_protocols = sizeof wine8_protocols / sizeof wine8_protocols[0],
    .wsagor_failure_writes_flags = true,
    .message_texts = FW_MESSAGES_WINE8,
    .wine_version = "8.0",
};

const fw_personality_table_t *fw_personality_table(int p) {
  switch (p) {
    case FW_PERSONALITY_WINDOWS:
      return &windows_table;
    case FW_PERSONALITY_WINE8:
      return &wine8_table;
    default:
      return NULL;
  }
}
