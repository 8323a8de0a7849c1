/* fw_world.h: the runner-facing configuration of fakewin's worlds - the
 * personality (Windows or Wine 8.0), the loopback network's parameters, the
 * protocol providers WSAEnumProtocols reports, the console's scripted input
 * and captured output, and the fault plan (DESIGN.md §4).
 *
 * This header deliberately includes no Win32 header: a runner, a scenario
 * interpreter or a test harness includes it next to libc's own headers.
 * Win32 quantities appear as plain integers (uint32_t for DWORD error codes
 * and NTSTATUS values, uint64_t for handle values).
 *
 * Life cycle: everything set here is process state that applies to the
 * *next* world(s).  A sim world-start hook (fw_world.c) copies the current
 * configuration into the world being started and resets the per-world
 * parts of the fault plan (call counters, fire counts).  Settings persist
 * from world to world until changed; fw_world_reset_config() restores the
 * defaults.  Setters may also be called from inside a running world (a test
 * fiber); they then take effect from the next call that consults them.
 * Nothing here is thread-safe (nothing in the simulator is).
 *
 * docs/fakewin-io.md describes the model and the fault rule grammar. */
#ifndef FAKEWIN_WORLD_FW_WORLD_H
#define FAKEWIN_WORLD_FW_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- what the world that ran says (fw_object.c) ----------------------------- */

/* Handles still open in the running world (0 outside a world). */
uint32_t fw_world_open_handles(void);
/* The open handles of the running world in handle order: up to max are
 * written to out; returns how many there are.  `type` is the object's
 * type name ("socket", "file", "iocp", "thread", ...), static storage. */
typedef struct fw_world_handle {
  uint64_t value;
  const char *type;
  uint32_t serial;
} fw_world_handle_t;
size_t fw_world_handles(fw_world_handle_t *out, size_t max);
/* Overlapped requests pending in the running world (issued, not yet
 * completed or cancelled). */
uint32_t fw_world_pending_io(void);
/* Whether the last world ended through ExitProcess, and its exit code. */
bool fw_world_exit_code(uint32_t *code);

/* ---- personality --------------------------------------------------------------- */

/* Which system the fake imitates where Windows and Wine 8.0 differ (the W
 * table of spec/win32-fidelity.md, W31..W38 in docs/conformance.md).
 * WINDOWS is the default; WINE8
 * reproduces W1..W38 so the fake can be diffed with a run under Wine.  Each
 * value has a table of named differences (fw_personality.h); a new system
 * is a new value and a new table. */
typedef enum fw_personality {
  FW_PERSONALITY_WINDOWS = 0,
  FW_PERSONALITY_WINE8 = 1
} fw_personality_t;

void fw_world_set_personality(fw_personality_t p);
/* The personality of the running world (or of the next one outside a world). */
fw_personality_t fw_world_personality(void);

/* The path GetModuleFileName reports for the program's own module
 * [C:\\iocpsim\\program.exe]; the system DLLs are in C:\\windows\\system32. */
void fw_world_set_image_path(const char *path);

/* The name gethostname reports; getaddrinfo resolves it (and "localhost")
 * to the loopback addresses [iocpsim]. */
void fw_world_set_host_name(const char *name);

/* ---- the loopback network --------------------------------------------------------- */

/* Units: bytes and virtual nanoseconds.  Defaults in brackets. */
typedef struct fw_net_config {
  uint32_t tcp_send_buffer;  /* SO_SNDBUF of a new TCP socket [65536]; a send beyond what the
                                peer's receive buffer and this can hold pends */
  uint32_t tcp_recv_buffer;  /* SO_RCVBUF of a new TCP socket [65536] */
  uint32_t udp_recv_buffer;  /* bytes of datagrams a UDP socket queues; more are dropped [65536] */
  uint32_t udp_max_datagram; /* largest datagram a send accepts (WSAEMSGSIZE beyond) [65507] */
  uint32_t listen_backlog_max; /* SOMAXCONN cap for listen() [200] */
  uint64_t latency_ns;         /* time between a send and the bytes being receivable by the peer;
                                  0 = at once, within the sending call [0] */
  uint16_t ephemeral_first;    /* first port an implicit bind or bind to port 0 gets [49152] */
} fw_net_config_t;

void fw_world_net_defaults(fw_net_config_t *c);
void fw_world_set_net(const fw_net_config_t *c);
/* The active values (inside a world) or the pending ones (outside). */
const fw_net_config_t *fw_world_net(void);

/* ---- protocol providers (WSAEnumProtocolsW, F49) ------------------------------------ */

typedef struct fw_protocol {
  int32_t address_family;  /* AF_INET 2, AF_INET6 23 */
  int32_t socket_type;     /* SOCK_STREAM 1, SOCK_DGRAM 2 */
  int32_t protocol;        /* IPPROTO_TCP 6, IPPROTO_UDP 17 */
  uint32_t service_flags1; /* XP1_*: TCP base provider 0x20066, UDP 0x20609 */
  uint32_t catalog_id;     /* dwCatalogEntryId */
  char name[64];           /* szProtocol, ASCII */
} fw_protocol_t;

#define FW_WORLD_MAX_PROTOCOLS 16u
#define FW_XP1_IFS_HANDLES 0x00020000u

/* The default list: MSAFD Tcpip [TCP/IP], [UDP/IP], [TCP/IPv6], [UDP/IPv6]
 * with the base providers' flags (F49). */
void fw_world_set_protocols(const fw_protocol_t *list, size_t n); /* n <= FW_WORLD_MAX_PROTOCOLS */
size_t fw_world_protocols(const fw_protocol_t **list);
/* Shorthand for KB2568167 (B4): ifs=false clears XP1_IFS_HANDLES on every TCP
 * provider (a non-IFS layered service provider sits on TCP); true restores
 * the base flags. */
void fw_world_set_tcp_ifs(bool ifs);

/* ---- the console ---------------------------------------------------------------------- */

/* Scripted input: UTF-16 chunks handed to ReadConsoleW in order.  A chunk
 * becomes readable `delay_ns` of virtual time after the previous one (the
 * first after world start); a reader blocks until then.  After the last
 * chunk the console reports end of input as the `files` helper documents
 * (docs/fakewin-files.md). */
void fw_world_console_input(const uint16_t *units, size_t n, uint64_t delay_ns);
void fw_world_console_input_clear(void);

enum { FW_CONSOLE_STDOUT = 0, FW_CONSOLE_STDERR = 1 };
/* Everything written to the console's output (WriteConsoleW, WriteFile on a
 * console handle) in the running world, or the world that ran last.  The
 * buffer stays valid until the next world starts or output is appended. */
const uint16_t *fw_world_console_output(int stream, size_t *n_units);

/* ---- files and the console (helper `files`: fw_file.c, fw_console.c) ----------------- */

/* W16: how an overlapped ReadFile at or past the end of a file reports it.
 * DEFAULT: Windows fails it inside the call with ERROR_HANDLE_EOF (no
 * packet); wine8 pends and completes with STATUS_END_OF_FILE (a packet).
 * IMMEDIATE / PENDING force one of the two whatever the personality. */
typedef enum fw_async_eof {
  FW_ASYNC_EOF_DEFAULT = 0,
  FW_ASYNC_EOF_IMMEDIATE = 1,
  FW_ASYNC_EOF_PENDING = 2
} fw_async_eof_t;
void fw_world_set_async_eof(fw_async_eof_t mode);
fw_async_eof_t fw_world_async_eof(void);

/* The process's console and standard handles.  Limits are in UTF-16 code
 * units; 0 means no limit; the wine8 personality ignores them (W15). */
typedef struct fw_console_config {
  bool attached; /* the process has a console: GetStdHandle gives console handles [true] */
  uint32_t
      read_limit; /* ReadConsoleW asking for more units fails ERROR_NOT_ENOUGH_MEMORY [16384] */
  uint32_t write_limit; /* WriteConsoleW of more units fails ERROR_NOT_ENOUGH_MEMORY [32767] */
  uint32_t input_mode;  /* GetConsoleMode of the input at world start [0x1F7] */
  uint32_t output_mode; /* ... of the output [0x3] */
  /* Without a console: the file of the world's file system that
   * STD_INPUT/OUTPUT/ERROR_HANDLE open on first use (opened, or created
   * empty, with read+write access); "" gives a NULL standard handle. */
  char std_path[3][260];
} fw_console_config_t;

void fw_world_console_defaults(fw_console_config_t *c);
void fw_world_set_console(const fw_console_config_t *c);
const fw_console_config_t *fw_world_console(void);

/* ---- timings Windows leaves open (docs/explore.md §1) ------------------------------------- */

/* Each flag makes the decision stream choose a timing the fake would
 * otherwise fix (SIM_DECIDE_TIMING, choice 0 = the fixed behaviour):
 *   DELIVERY      with latency 0, whether bytes, a FIN, a reset or a datagram
 *                 reach the peer within the sending call (0) or once virtual
 *                 time next moves (1): a read that would pend on Windows can
 *                 pend in the fake;
 *   PENDING_DONE  whether an overlapped call that finished inside the call
 *                 says so (0) or returns ERROR_IO_PENDING with the request
 *                 already complete and its packet queued (1, F12).
 * None is set by default (the C tests keep their fixed timings); the
 * scenario runner sets them all unless a scenario pins them. */
enum { FW_TIMING_DELIVERY = 1u, FW_TIMING_PENDING_DONE = 2u };
void fw_world_set_timing(uint32_t flags);
uint32_t fw_world_timing(void);

/* ---- the fault plan --------------------------------------------------------------------- */

/* Operation kinds, for the op= matcher and for fakewin's requests. */
typedef enum fw_op {
  FW_OP_ANY = 0,
  FW_OP_RECV,          /* WSARecv, WSARecvFrom, WSARecvMsg, recv, recvfrom */
  FW_OP_SEND,          /* WSASend, WSASendTo, WSASendMsg, send, sendto */
  FW_OP_ACCEPT,        /* AcceptEx, accept */
  FW_OP_CONNECT,       /* ConnectEx, connect */
  FW_OP_DISCONNECT,    /* DisconnectEx */
  FW_OP_READ,          /* ReadFile */
  FW_OP_WRITE,         /* WriteFile */
  FW_OP_PIPE_CONNECT,  /* ConnectNamedPipe */
  FW_OP_CONSOLE_READ,  /* ReadConsoleW */
  FW_OP_CONSOLE_WRITE, /* WriteConsoleW */
  FW_OP_IOCTL,         /* WSAIoctl */
  FW_OP_CONTROL, /* calls that move no data: WSAStartup, bind, SetFileCompletionNotificationModes...
                  */
  FW_OP_DEVICE,  /* the calls of a device model registered with fw_site_register */
  FW_OP_COUNT
} fw_op_t;

/* Fault sites: one per API entry that consults the plan.  The numbers are
 * stable (reports, recorded plans and the text syntax's `site=` refer to
 * them); new sites get new numbers, none is ever renumbered. */
typedef enum fw_site {
  FW_SITE_NONE = 0,
  FW_SITE_WSAStartup = 1,
  FW_SITE_WSASocketW = 2,
  FW_SITE_bind = 3,
  FW_SITE_listen = 4,
  FW_SITE_connect = 5,
  FW_SITE_accept = 6,
  FW_SITE_shutdown = 7,
  FW_SITE_setsockopt = 8,
  FW_SITE_WSAIoctl = 9,
  FW_SITE_WSAEnumProtocolsW = 10,
  FW_SITE_WSARecv = 11,
  FW_SITE_WSASend = 12,
  FW_SITE_WSARecvFrom = 13,
  FW_SITE_WSASendTo = 14,
  FW_SITE_WSARecvMsg = 15,
  FW_SITE_WSASendMsg = 16,
  FW_SITE_AcceptEx = 17,
  FW_SITE_ConnectEx = 18,
  FW_SITE_DisconnectEx = 19,
  FW_SITE_recv = 20,
  FW_SITE_send = 21,
  FW_SITE_recvfrom = 22,
  FW_SITE_sendto = 23,
  FW_SITE_ReadFile = 30,
  FW_SITE_WriteFile = 31,
  FW_SITE_ConnectNamedPipe = 32,
  FW_SITE_ReadConsoleW = 33,
  FW_SITE_WriteConsoleW = 34,
  FW_SITE_CreateFileW = 35,
  FW_SITE_CreatePipe = 36,
  FW_SITE_SetFileCompletionNotificationModes = 40,
  FW_SITE_GetProcAddress = 41,
  FW_SITE_CreateIoCompletionPort = 42,
  FW_SITE_DEVICE_FIRST = 56, /* sites of device models outside fakewin (fw_site_register) */
  FW_SITE_DEVICE_LAST = 62,
  FW_SITE_World = 63, /* rules with no call to match: timed world events (peer FIN/RST) */
  FW_SITE_MAX = 64
} fw_site_t;

/* Device models.  Code outside fakewin that models a device of its own (a
 * test device, a simulated driver) on fw_io.h gets fault sites the same way
 * fakewin's APIs have them: it registers each site once per process, with
 * a stable number from FW_SITE_DEVICE_FIRST..FW_SITE_DEVICE_LAST, the name
 * rules use for it, and what its calls can do; rules for it are then
 * checked and matched like any other (op=device for "every device call").
 * The site's calls consult the plan with fw_fault_check(site,
 * FW_OP_DEVICE, ...). */
enum {
  FW_SITE_CAN_SUCCEED = 1u << 0, /* completes inside the call with success */
  FW_SITE_CAN_FAIL = 1u << 1,    /* fails inside the call */
  FW_SITE_CAN_PEND = 1u << 2,    /* returns ERROR_IO_PENDING (overlapped calls) */
  FW_SITE_CAN_SHORT = 1u << 3,   /* moves a byte count that can be short */
  FW_SITE_CAN_WARN = 1u << 4,    /* can end with STATUS_BUFFER_OVERFLOW (message reads) */
  FW_SITE_HAS_PEER = 1u << 5     /* a socket with a peer (peer-fin / peer-rst) */
};
#define FW_SITE_LIST_END 0xFFFFFFFFu
typedef struct fw_site_desc {
  fw_site_t site;           /* FW_SITE_DEVICE_FIRST..FW_SITE_DEVICE_LAST */
  const char *name;         /* the API name in rules and reports; unique; static storage */
  uint32_t caps;            /* FW_SITE_CAN_* | FW_SITE_HAS_PEER */
  const uint32_t *errors;   /* synchronous errors, FW_SITE_LIST_END-terminated */
  const uint32_t *statuses; /* completion statuses, FW_SITE_LIST_END-terminated */
  /* Its calls read whole messages: a forced ERROR_MORE_DATA or WSAEMSGSIZE
   * is the truncation warning (STATUS_BUFFER_OVERFLOW with the bytes, F25,
   * F29), as for ReadFile and the receives, not a plain failure. */
  bool message_reads;
} fw_site_desc_t;
/* Registers a device site (process state, never undone).  False, with
 * the reason in why, for a number outside the device range or taken, or a
 * name already in use. */
bool fw_site_register(const fw_site_desc_t *d, char *why, size_t len);

/* The API name of a site ("WSARecv"), NULL for an unknown number. */
const char *fw_site_name(fw_site_t s);
fw_site_t fw_site_by_name(const char *name); /* FW_SITE_NONE if unknown */

typedef enum fw_fault_outcome {
  FW_FAULT_NONE = 0,
  /* The call completes inside the call with success and `bytes` (an
   * overlapped call still writes the OVERLAPPED, sets the event and queues
   * a packet unless skip-on-success applies: F10/F11). */
  FW_FAULT_SUCCESS,
  /* The call fails inside the call with `error` (a Win32 or Winsock code).
   * ERROR_MORE_DATA on a read / WSAEMSGSIZE on a datagram receive is the
   * immediate *warning* (STATUS_BUFFER_OVERFLOW with `bytes`): fields
   * written and a packet queued without skip mode (F10c/F11c/F25/F29). */
  FW_FAULT_ERROR,
  /* The call returns ERROR_IO_PENDING; the operation completes with
   * (`status`, `bytes`) as `when` says. */
  FW_FAULT_PENDING,
  /* The call does its default, but moves at most `bytes` bytes
   * (bytes_draw: a count drawn in [1, requested] with
   * SIM_DECIDE_SHORT_TRANSFER). */
  FW_FAULT_SHORT,
  /* The call pends; a CancelIoEx aimed at it finds it already completed
   * with (`status`, `bytes`): CancelIoEx FALSE/ERROR_NOT_FOUND, the packet
   * says success (F38).  Without a cancel it completes as `when` says. */
  FW_FAULT_COMPLETE_BEFORE_CANCEL,
  /* The call pends and never completes by itself; a cancel completes it
   * with STATUS_CANCELLED (F37: "cancel wins"). */
  FW_FAULT_CANCEL_WINS,
  /* The call pends; a CancelIoEx aimed at it returns TRUE, yet the
   * operation completes with (`status`, `bytes`) (F38's other
   * interleaving: documented, not reproducible on demand on Windows). */
  FW_FAULT_CANCEL_TOO_LATE,
  /* The peer of the socket (`handle` or the matched call's socket)
   * shuts down its sending side (FIN) / resets the connection (RST) at
   * the time `when` says; executed by the socket layer (net). */
  FW_FAULT_PEER_FIN,
  FW_FAULT_PEER_RST,
  /* WSAEnumProtocolsW reports every TCP provider without XP1_IFS_HANDLES
   * (a non-IFS LSP, KB2568167). */
  FW_FAULT_NON_IFS,
  /* GetProcAddress returns NULL (ERROR_PROC_NOT_FOUND). */
  FW_FAULT_NULL,
  FW_FAULT_OUTCOME_COUNT
} fw_fault_outcome_t;

typedef enum fw_fault_when {
  FW_WHEN_DEFAULT = 0, /* pending: at the next scheduling point; peer FIN/RST: at once */
  FW_WHEN_NOW,         /* completed before the call returns, yet the call says pending (F12) */
  FW_WHEN_AT,          /* at virtual time `time_ns` (or the next scheduling point if past) */
  FW_WHEN_AFTER,       /* `time_ns` after the call */
  FW_WHEN_AFTER_RULE,  /* when the rule named `after_rule` fires next */
  FW_WHEN_NEVER        /* only a cancel or a close ends it */
} fw_fault_when_t;

#define FW_FAULT_NAME_MAX 32
#define FW_FAULT_ANY_HANDLE UINT64_MAX

typedef struct fw_fault_rule {
  /* --- match --- */
  fw_site_t site;  /* FW_SITE_NONE: every site ("*") */
  uint64_t handle; /* handle value the call is made on; FW_FAULT_ANY_HANDLE: any */
  uint32_t object; /* serial of the object (creation order in the world); 0: any */
  fw_op_t op;      /* FW_OP_ANY: any */
  char proc[64];   /* GetProcAddress: the procedure name; "": any */
  /* Which matching calls fire (SQLite's shapes).  Calls are counted per
   * rule from 1, every call that passes the matchers above counts.
   *   nth = N, count = 0: only the N-th call            (countdown)
   *   nth = N, count = K: calls N .. N+K-1              (N consecutive)
   *   from = N:           the N-th call and every later (persistent)
   *   all zero:           every call */
  uint32_t nth, count, from;
  /* Probability of firing on a call inside the window, as an integer ratio
   * drawn with sim_chance(SIM_DECIDE_FAULT, num, den); den 0: always. */
  uint32_t prob_num, prob_den;
  uint32_t max_fires;           /* stop after this many fires; 0: unlimited */
  char name[FW_FAULT_NAME_MAX]; /* optional; after-rule refers to it */

  /* --- outcome --- */
  fw_fault_outcome_t outcome;
  uint32_t error;  /* FW_FAULT_ERROR: Win32/Winsock code */
  uint32_t status; /* completion NTSTATUS (has_status) */
  bool has_status;
  uint32_t bytes;  /* bytes transferred / the short-transfer cap */
  bool bytes_draw; /* bytes drawn with SIM_DECIDE_SHORT_TRANSFER */
  fw_fault_when_t when;
  uint64_t time_ns; /* FW_WHEN_AT / FW_WHEN_AFTER */
  char after_rule[FW_FAULT_NAME_MAX];
} fw_fault_rule_t;

/* A rule matching nothing in particular, with every field at its default
 * (handle = FW_FAULT_ANY_HANDLE). */
void fw_fault_rule_init(fw_fault_rule_t *r);

/* Adds a rule to the plan.  Returns its id (1, 2, ... in order of addition)
 * or 0 when the rule asks for something Windows cannot produce for that call
 * (or is malformed); `why` then says why in one sentence. */
uint32_t fw_fault_add(const fw_fault_rule_t *r, char *why, size_t why_len);

/* Parses one line of the rule syntax (docs/fakewin-io.md), e.g.
 *   WSARecv handle=0x104 nth=2 -> pending status=STATUS_CONNECTION_RESET bytes=0 at=5ms
 * On error returns false, sets *err_col to the 1-based column of the
 * offending character and writes a message ("expected '->'", ...). */
bool fw_fault_parse(const char *line, fw_fault_rule_t *out, size_t *err_col, char *err,
                    size_t err_len);
/* Parses and adds; 0 on a parse error or a rejection (err says which,
 * parse errors prefixed with "column N: "). */
uint32_t fw_fault_add_text(const char *line, char *err, size_t err_len);

void fw_fault_clear(void); /* removes every rule */
uint32_t fw_fault_rule_count(void);
/* Fires of a rule in the running world or the world that ran last. */
uint32_t fw_fault_fired(uint32_t rule_id);
/* Calls that matched the rule's matchers (fired or not), same scope. */
uint32_t fw_fault_matched(uint32_t rule_id);
/* One line describing a rule in the text syntax (for reports). */
void fw_fault_describe(uint32_t rule_id, char *buf, size_t len);

/* Restores every setting of this header to its default and clears the plan. */
void fw_world_reset_config(void);

#ifdef __cplusplus
}
#endif

#endif
