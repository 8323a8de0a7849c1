/* fw_fault.c: the fault plan (DESIGN.md §4, docs/fakewin-io.md).
 *
 * Shapes after SQLite's test VFS and TigerBeetle's simulator: a rule counts
 * the calls that match it (countdown "the N-th call", "N consecutive calls",
 * persistent "every call from N"), may fire with a probability given as an
 * integer ratio (one SIM_DECIDE_FAULT decision per candidate call, so a
 * replay reproduces it), counts its fires, and every fire is traced.  Each
 * API entry that consults the plan is a *site* with a stable number
 * (fw_site_t).
 *
 * Only outcomes Windows can produce for a call are accepted: fw_fault_add
 * checks each rule against a table, per site, of the synchronous errors the
 * call can return and the statuses its completion can carry (from the API
 * documentation and spec/win32-fidelity.md), and rejects anything else with
 * a sentence saying why.
 *
 * Rules are process state (they survive from world to world); call and
 * fire counts are per world, reset at world start and readable after the
 * world ended. */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winsock2.h>

#include "fw_io.h"

/* ---- what each site can do ------------------------------------------------------------ */

/* The first six are the FW_SITE_CAN_* of fw_world.h, which device models
 * use to describe their sites. */
enum {
  CAP_SUCCESS = FW_SITE_CAN_SUCCEED,
  CAP_ERROR = FW_SITE_CAN_FAIL,
  CAP_PENDING = FW_SITE_CAN_PEND,
  CAP_SHORT = FW_SITE_CAN_SHORT,
  CAP_WARN = FW_SITE_CAN_WARN, /* message/datagram reads */
  CAP_PEER = FW_SITE_HAS_PEER,
  CAP_NON_IFS = 1u << 6,
  CAP_NULL = 1u << 7
};

#define LIST(...)            \
  (const uint32_t[]) {       \
    __VA_ARGS__, 0xFFFFFFFFu \
  }
#define END FW_SITE_LIST_END

/* Synchronous errors: the documented error lists of each call (MS docs
 * "Return value"/"Error codes" sections) plus the observed ones of the spec
 * (F20-F35, F42-F47). */
#define WSA_COMMON \
  WSANOTINITIALISED, WSAENETDOWN, WSAENOTSOCK, WSAEFAULT, WSAEINVAL, WSAEINTR, WSAEINPROGRESS
#define RECV_ERRORS                                                                               \
  WSA_COMMON, WSAECONNABORTED, WSAECONNRESET, WSAEDISCON, WSAEMSGSIZE, WSAENETRESET, WSAENOTCONN, \
      WSAEOPNOTSUPP, WSAESHUTDOWN, WSAETIMEDOUT, WSAEWOULDBLOCK, WSAENOBUFS, WSA_OPERATION_ABORTED
#define SEND_ERRORS                                                                               \
  WSA_COMMON, WSAECONNABORTED, WSAECONNRESET, WSAEMSGSIZE, WSAENETRESET, WSAENOBUFS, WSAENOTCONN, \
      WSAEOPNOTSUPP, WSAESHUTDOWN, WSAEWOULDBLOCK, WSAETIMEDOUT, WSAEHOSTUNREACH, WSAENETUNREACH, \
      WSAEACCES, WSAEADDRNOTAVAIL, WSAEAFNOSUPPORT, WSAEDESTADDRREQ, WSA_OPERATION_ABORTED
#define CONNECT_ERRORS                                                                        \
  WSA_COMMON, WSAEADDRINUSE, WSAEALREADY, WSAEADDRNOTAVAIL, WSAEAFNOSUPPORT, WSAECONNREFUSED, \
      WSAEISCONN, WSAENETUNREACH, WSAEHOSTUNREACH, WSAENOBUFS, WSAETIMEDOUT, WSAEACCES
/* Completion statuses */
#define RECV_STATUSES                                                                    \
  STATUS_SUCCESS, STATUS_CANCELLED, STATUS_CONNECTION_RESET, STATUS_CONNECTION_ABORTED,  \
      STATUS_LOCAL_DISCONNECT, STATUS_REMOTE_DISCONNECT, STATUS_CONNECTION_DISCONNECTED, \
      STATUS_PORT_UNREACHABLE, STATUS_HOST_UNREACHABLE, STATUS_NETWORK_UNREACHABLE,      \
      STATUS_IO_TIMEOUT, STATUS_INSUFFICIENT_RESOURCES, STATUS_HANDLES_CLOSED,           \
      STATUS_INVALID_CONNECTION, STATUS_GRACEFUL_DISCONNECT
#define SEND_STATUSES                                                                    \
  STATUS_SUCCESS, STATUS_CANCELLED, STATUS_CONNECTION_RESET, STATUS_CONNECTION_ABORTED,  \
      STATUS_LOCAL_DISCONNECT, STATUS_REMOTE_DISCONNECT, STATUS_CONNECTION_DISCONNECTED, \
      STATUS_HOST_UNREACHABLE, STATUS_NETWORK_UNREACHABLE, STATUS_IO_TIMEOUT,            \
      STATUS_INSUFFICIENT_RESOURCES, STATUS_INVALID_HANDLE, STATUS_INVALID_BUFFER_SIZE

typedef struct site_caps {
  fw_site_t site;
  const char *name;
  fw_op_t op;
  uint32_t caps;
  const uint32_t *errors;   /* END-terminated */
  const uint32_t *statuses; /* END-terminated; completion statuses of pending calls */
} site_caps_t;

static const site_caps_t sites[] = {
    {FW_SITE_WSAStartup, "WSAStartup", FW_OP_CONTROL, CAP_ERROR,
     LIST(WSASYSNOTREADY, WSAVERNOTSUPPORTED, WSAEINPROGRESS, WSAEPROCLIM, WSAEFAULT), LIST(END)},
    {FW_SITE_WSASocketW, "WSASocketW", FW_OP_CONTROL, CAP_ERROR,
     LIST(WSANOTINITIALISED, WSAENETDOWN, WSAEAFNOSUPPORT, WSAEFAULT, WSAEINPROGRESS, WSAEINVAL,
          WSAEINVALIDPROVIDER, WSAEINVALIDPROCTABLE, WSAEMFILE, WSAENOBUFS, WSAEPROTONOSUPPORT,
          WSAEPROTOTYPE, WSAEPROVIDERFAILEDINIT, WSAESOCKTNOSUPPORT),
     LIST(END)},
    {FW_SITE_bind, "bind", FW_OP_CONTROL, CAP_ERROR,
     LIST(WSA_COMMON, WSAEACCES, WSAEADDRINUSE, WSAEADDRNOTAVAIL, WSAENOBUFS), LIST(END)},
    {FW_SITE_listen, "listen", FW_OP_CONTROL, CAP_ERROR,
     LIST(WSA_COMMON, WSAEADDRINUSE, WSAEISCONN, WSAEMFILE, WSAENOBUFS, WSAEOPNOTSUPP), LIST(END)},
    {FW_SITE_connect, "connect", FW_OP_CONNECT, CAP_ERROR, LIST(CONNECT_ERRORS, WSAEWOULDBLOCK),
     LIST(END)},
    {FW_SITE_accept, "accept", FW_OP_ACCEPT, CAP_ERROR,
     LIST(WSA_COMMON, WSAECONNRESET, WSAEMFILE, WSAENOBUFS, WSAEOPNOTSUPP, WSAEWOULDBLOCK),
     LIST(END)},
    {FW_SITE_shutdown, "shutdown", FW_OP_CONTROL, CAP_ERROR,
     LIST(WSA_COMMON, WSAECONNABORTED, WSAECONNRESET, WSAENOTCONN), LIST(END)},
    {FW_SITE_setsockopt, "setsockopt", FW_OP_CONTROL, CAP_ERROR,
     LIST(WSA_COMMON, WSAENETRESET, WSAENOPROTOOPT, WSAENOTCONN), LIST(END)},
    {FW_SITE_WSAIoctl, "WSAIoctl", FW_OP_IOCTL, CAP_ERROR,
     LIST(WSA_COMMON, WSAEOPNOTSUPP, WSAEWOULDBLOCK, WSAENOPROTOOPT), LIST(END)},
    {FW_SITE_WSAEnumProtocolsW, "WSAEnumProtocolsW", FW_OP_CONTROL, CAP_ERROR | CAP_NON_IFS,
     LIST(WSANOTINITIALISED, WSAENETDOWN, WSAEINPROGRESS, WSAEINVAL, WSAENOBUFS, WSAEFAULT),
     LIST(END)},
    {FW_SITE_WSARecv, "WSARecv", FW_OP_RECV,
     CAP_SUCCESS | CAP_ERROR | CAP_PENDING | CAP_SHORT | CAP_WARN | CAP_PEER, LIST(RECV_ERRORS),
     LIST(RECV_STATUSES, STATUS_BUFFER_OVERFLOW)},
    {FW_SITE_WSASend, "WSASend", FW_OP_SEND,
     CAP_SUCCESS | CAP_ERROR | CAP_PENDING | CAP_SHORT | CAP_PEER, LIST(SEND_ERRORS),
     LIST(SEND_STATUSES)},
    {FW_SITE_WSARecvFrom, "WSARecvFrom", FW_OP_RECV,
     CAP_SUCCESS | CAP_ERROR | CAP_PENDING | CAP_SHORT | CAP_WARN | CAP_PEER, LIST(RECV_ERRORS),
     LIST(RECV_STATUSES, STATUS_BUFFER_OVERFLOW)},
    {FW_SITE_WSASendTo, "WSASendTo", FW_OP_SEND,
     CAP_SUCCESS | CAP_ERROR | CAP_PENDING | CAP_SHORT | CAP_PEER, LIST(SEND_ERRORS),
     LIST(SEND_STATUSES)},
    {FW_SITE_WSARecvMsg, "WSARecvMsg", FW_OP_RECV,
     CAP_SUCCESS | CAP_ERROR | CAP_PENDING | CAP_SHORT | CAP_WARN | CAP_PEER, LIST(RECV_ERRORS),
     LIST(RECV_STATUSES, STATUS_BUFFER_OVERFLOW)},
    {FW_SITE_WSASendMsg, "WSASendMsg", FW_OP_SEND,
     CAP_SUCCESS | CAP_ERROR | CAP_PENDING | CAP_SHORT | CAP_PEER, LIST(SEND_ERRORS),
     LIST(SEND_STATUSES)},
    /* F30/F31/F33; W9: Windows may complete AcceptEx at once */
    {FW_SITE_AcceptEx, "AcceptEx", FW_OP_ACCEPT, CAP_SUCCESS | CAP_ERROR | CAP_PENDING,
     LIST(WSA_COMMON, WSAECONNRESET, WSAENOBUFS, WSAEOPNOTSUPP, WSAEISCONN, WSA_INVALID_PARAMETER),
     LIST(STATUS_SUCCESS, STATUS_CANCELLED, STATUS_CONNECTION_RESET, STATUS_REMOTE_DISCONNECT,
          STATUS_LOCAL_DISCONNECT, STATUS_CONNECTION_DISCONNECTED, STATUS_CONNECTION_ABORTED,
          STATUS_INVALID_CONNECTION, STATUS_BUFFER_TOO_SMALL, STATUS_INSUFFICIENT_RESOURCES,
          STATUS_HANDLES_CLOSED)},
    /* F34 */
    {FW_SITE_ConnectEx, "ConnectEx", FW_OP_CONNECT,
     CAP_SUCCESS | CAP_ERROR | CAP_PENDING | CAP_PEER,
     LIST(CONNECT_ERRORS, WSAEOPNOTSUPP, WSA_INVALID_PARAMETER),
     LIST(STATUS_SUCCESS, STATUS_CONNECTION_REFUSED, STATUS_IO_TIMEOUT, STATUS_NETWORK_UNREACHABLE,
          STATUS_HOST_UNREACHABLE, STATUS_PROTOCOL_UNREACHABLE, STATUS_CANCELLED,
          STATUS_CONNECTION_ABORTED, STATUS_CONNECTION_RESET, STATUS_INSUFFICIENT_RESOURCES,
          STATUS_ADDRESS_ALREADY_EXISTS, STATUS_HANDLES_CLOSED)},
    {FW_SITE_DisconnectEx, "DisconnectEx", FW_OP_DISCONNECT, CAP_SUCCESS | CAP_ERROR | CAP_PENDING,
     LIST(WSA_COMMON, WSAENOTCONN, WSAEOPNOTSUPP, WSA_INVALID_PARAMETER),
     LIST(STATUS_SUCCESS, STATUS_CANCELLED, STATUS_CONNECTION_RESET, STATUS_CONNECTION_ABORTED,
          STATUS_IO_TIMEOUT, STATUS_HANDLES_CLOSED)},
    {FW_SITE_recv, "recv", FW_OP_RECV, CAP_SUCCESS | CAP_ERROR | CAP_SHORT | CAP_WARN | CAP_PEER,
     LIST(RECV_ERRORS), LIST(END)},
    {FW_SITE_send, "send", FW_OP_SEND, CAP_SUCCESS | CAP_ERROR | CAP_SHORT | CAP_PEER,
     LIST(SEND_ERRORS), LIST(END)},
    {FW_SITE_recvfrom, "recvfrom", FW_OP_RECV,
     CAP_SUCCESS | CAP_ERROR | CAP_SHORT | CAP_WARN | CAP_PEER, LIST(RECV_ERRORS), LIST(END)},
    {FW_SITE_sendto, "sendto", FW_OP_SEND, CAP_SUCCESS | CAP_ERROR | CAP_SHORT | CAP_PEER,
     LIST(SEND_ERRORS), LIST(END)},
    /* F29, F42-F46 */
    {FW_SITE_ReadFile, "ReadFile", FW_OP_READ,
     CAP_SUCCESS | CAP_ERROR | CAP_PENDING | CAP_SHORT | CAP_WARN,
     LIST(ERROR_HANDLE_EOF, ERROR_BROKEN_PIPE, ERROR_MORE_DATA, ERROR_OPERATION_ABORTED,
          ERROR_ACCESS_DENIED, ERROR_INVALID_PARAMETER, ERROR_INVALID_USER_BUFFER,
          ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_ENOUGH_QUOTA, ERROR_NO_DATA, ERROR_PIPE_NOT_CONNECTED,
          ERROR_LOCK_VIOLATION, ERROR_IO_DEVICE, ERROR_NO_SYSTEM_RESOURCES, ERROR_NETNAME_DELETED,
          ERROR_CONNECTION_ABORTED),
     LIST(STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW, STATUS_END_OF_FILE, STATUS_PIPE_BROKEN,
          STATUS_PIPE_DISCONNECTED, STATUS_CANCELLED, STATUS_INSUFFICIENT_RESOURCES,
          STATUS_CONNECTION_RESET, STATUS_CONNECTION_ABORTED)},
    {FW_SITE_WriteFile, "WriteFile", FW_OP_WRITE, CAP_SUCCESS | CAP_ERROR | CAP_PENDING | CAP_SHORT,
     LIST(ERROR_NO_DATA, ERROR_BROKEN_PIPE, ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL,
          ERROR_ACCESS_DENIED, ERROR_OPERATION_ABORTED, ERROR_INVALID_PARAMETER,
          ERROR_INVALID_USER_BUFFER, ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_ENOUGH_QUOTA,
          ERROR_LOCK_VIOLATION, ERROR_IO_DEVICE, ERROR_NO_SYSTEM_RESOURCES,
          ERROR_PIPE_NOT_CONNECTED, ERROR_NETNAME_DELETED, ERROR_CONNECTION_ABORTED),
     LIST(STATUS_SUCCESS, STATUS_PIPE_CLOSING, STATUS_PIPE_BROKEN, STATUS_PIPE_DISCONNECTED,
          STATUS_DISK_FULL, STATUS_CANCELLED, STATUS_INSUFFICIENT_RESOURCES,
          STATUS_CONNECTION_RESET, STATUS_CONNECTION_ABORTED)},
    {FW_SITE_ConnectNamedPipe, "ConnectNamedPipe", FW_OP_PIPE_CONNECT,
     CAP_SUCCESS | CAP_ERROR | CAP_PENDING,
     LIST(ERROR_PIPE_CONNECTED, ERROR_NO_DATA, ERROR_PIPE_LISTENING, ERROR_OPERATION_ABORTED,
          ERROR_BROKEN_PIPE, ERROR_INVALID_PARAMETER),
     LIST(STATUS_SUCCESS, STATUS_CANCELLED, STATUS_PIPE_CLOSING, STATUS_PIPE_BROKEN)},
    /* F47 */
    {FW_SITE_ReadConsoleW, "ReadConsoleW", FW_OP_CONSOLE_READ, CAP_ERROR | CAP_SHORT,
     LIST(ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY, ERROR_OPERATION_ABORTED,
          ERROR_INVALID_PARAMETER),
     LIST(END)},
    {FW_SITE_WriteConsoleW, "WriteConsoleW", FW_OP_CONSOLE_WRITE, CAP_ERROR | CAP_SHORT,
     LIST(ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY, ERROR_INVALID_PARAMETER), LIST(END)},
    {FW_SITE_CreateFileW, "CreateFileW", FW_OP_CONTROL, CAP_ERROR,
     LIST(ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION,
          ERROR_FILE_EXISTS, ERROR_TOO_MANY_OPEN_FILES, ERROR_INVALID_PARAMETER, ERROR_INVALID_NAME,
          ERROR_DISK_FULL, ERROR_NOT_ENOUGH_MEMORY, ERROR_PIPE_BUSY, ERROR_NO_SYSTEM_RESOURCES),
     LIST(END)},
    {FW_SITE_CreatePipe, "CreatePipe", FW_OP_CONTROL, CAP_ERROR,
     LIST(ERROR_NOT_ENOUGH_MEMORY, ERROR_NO_SYSTEM_RESOURCES, ERROR_TOO_MANY_OPEN_FILES,
          ERROR_ACCESS_DENIED),
     LIST(END)},
    /* B31 */
    {FW_SITE_SetFileCompletionNotificationModes, "SetFileCompletionNotificationModes",
     FW_OP_CONTROL, CAP_ERROR,
     LIST(ERROR_INVALID_PARAMETER, ERROR_INVALID_HANDLE, ERROR_NOT_SUPPORTED, ERROR_ACCESS_DENIED,
          ERROR_INVALID_FUNCTION),
     LIST(END)},
    /* B2 */
    {FW_SITE_GetProcAddress, "GetProcAddress", FW_OP_CONTROL, CAP_NULL, LIST(END), LIST(END)},
    {FW_SITE_CreateIoCompletionPort, "CreateIoCompletionPort", FW_OP_CONTROL, CAP_ERROR,
     LIST(ERROR_INVALID_PARAMETER, ERROR_NOT_ENOUGH_MEMORY, ERROR_NO_SYSTEM_RESOURCES,
          ERROR_INVALID_HANDLE),
     LIST(END)},
    {FW_SITE_World, "world", FW_OP_ANY, CAP_PEER, LIST(END), LIST(END)},
};
#define N_BUILTIN (sizeof sites / sizeof sites[0])

/* Sites registered by device models, in registration order. */
#define N_DEVICE_MAX (FW_SITE_DEVICE_LAST - FW_SITE_DEVICE_FIRST + 1)
static site_caps_t device_sites[N_DEVICE_MAX];
static bool device_message_reads[N_DEVICE_MAX]; /* fw_site_desc_t.message_reads */
static size_t n_device;

/* Every site, built-in ones first: site_at(0 .. n_sites() - 1). */
static size_t n_sites(void) {
  return N_BUILTIN + n_device;
}

static const site_caps_t *site_at(size_t i) {
  return i < N_BUILTIN ? &sites[i] : &device_sites[i - N_BUILTIN];
}

static const site_caps_t *caps_of(fw_site_t s) {
  for (size_t i = 0; i < n_sites(); i++)
    if (site_at(i)->site == s) return site_at(i);
  return NULL;
}

const char *fw_site_name(fw_site_t s) {
  const site_caps_t *c = caps_of(s);
  return c ? c->name : NULL;
}

fw_site_t fw_site_by_name(const char *name) {
  for (size_t i = 0; i < n_sites(); i++)
    if (strcmp(site_at(i)->name, name) == 0) return site_at(i)->site;
  return FW_SITE_NONE;
}

bool fw_site_message_reads(fw_site_t s) {
  for (size_t i = 0; i < n_device; i++)
    if (device_sites[i].site == s) return device_message_reads[i];
  return false;
}

static bool reject(char *why, size_t len, const char *fmt, ...) SIM_PRINTF(3, 4);

bool fw_site_register(const fw_site_desc_t *d, char *why, size_t len) {
  const uint32_t device_caps =
      CAP_SUCCESS | CAP_ERROR | CAP_PENDING | CAP_SHORT | CAP_WARN | CAP_PEER;
  if (d->site < FW_SITE_DEVICE_FIRST || d->site > FW_SITE_DEVICE_LAST)
    return reject(why, len, "site %d is outside the device range %d..%d", (int)d->site,
                  FW_SITE_DEVICE_FIRST, FW_SITE_DEVICE_LAST);
  if (caps_of(d->site) != NULL)
    return reject(why, len, "site %d is already registered", (int)d->site);
  if (d->name == NULL || d->name[0] == '\0' || fw_site_by_name(d->name) != FW_SITE_NONE)
    return reject(why, len, "site name '%s' is empty or taken", d->name ? d->name : "");
  if ((d->caps & ~device_caps) != 0 || d->errors == NULL || d->statuses == NULL)
    return reject(why, len, "site %s: unknown capability bits or no error/status lists", d->name);
  site_caps_t *c = &device_sites[n_device++];
  c->site = d->site;
  c->name = d->name;
  c->op = FW_OP_DEVICE;
  c->caps = d->caps;
  c->errors = d->errors;
  c->statuses = d->statuses;
  device_message_reads[c - device_sites] = d->message_reads;
  if (why && len) why[0] = '\0';
  return true;
}

static bool in_list(const uint32_t *l, uint32_t v) {
  for (; *l != END; l++)
    if (*l == v) return true;
  return false;
}

static const char *const op_names[FW_OP_COUNT] = {
    "any",   "recv",         "send",         "accept",        "connect", "disconnect", "read",
    "write", "pipe-connect", "console-read", "console-write", "ioctl",   "control",    "device"};
static const char *const outcome_names[FW_FAULT_OUTCOME_COUNT] = {
    "none",        "success",         "error",    "pending",  "short",   "complete-before-cancel",
    "cancel-wins", "cancel-too-late", "peer-fin", "peer-rst", "non-ifs", "null"};

/* ---- the plan ------------------------------------------------------------------------------ */

typedef struct rule_rec {
  fw_fault_rule_t r;
  uint32_t id;
  uint32_t matched; /* this world */
  uint32_t fired;   /* this world */
} rule_rec_t;

static rule_rec_t *plan;
static uint32_t n_rules, cap_rules;

/* Peer faults waiting for their time (world-scoped allocations). */
typedef struct peer_ev {
  struct peer_ev *next;
  fw_fault_outcome_t what;
  HANDLE h;
  fw_obj_t *o;
  uint32_t rule;
  sim_timer_t timer;
} peer_ev_t;
static peer_ev_t *peer_evs;
static fw_peer_fault_fn peer_hook;

void fw_fault_rule_init(fw_fault_rule_t *r) {
  memset(r, 0, sizeof *r);
  r->handle = FW_FAULT_ANY_HANDLE;
}

static rule_rec_t *rule_by_id(uint32_t id) {
  return id >= 1 && id <= n_rules ? &plan[id - 1] : NULL;
}

static uint32_t rule_id_by_name(const char *name) {
  for (uint32_t i = 0; i < n_rules; i++)
    if (plan[i].r.name[0] && strcmp(plan[i].r.name, name) == 0) return plan[i].id;
  return 0;
}

uint32_t fw_fault_rule_count(void) {
  return n_rules;
}
uint32_t fw_fault_fired(uint32_t id) {
  rule_rec_t *r = rule_by_id(id);
  return r ? r->fired : 0;
}
uint32_t fw_fault_matched(uint32_t id) {
  rule_rec_t *r = rule_by_id(id);
  return r ? r->matched : 0;
}

void fw_fault_clear(void) {
  free(plan);
  plan = NULL;
  n_rules = cap_rules = 0;
}

void fw_fault_set_peer_hook(fw_peer_fault_fn fn) {
  peer_hook = fn;
}

/* ---- validation ------------------------------------------------------------------------------ */

static bool reject(char *why, size_t len, const char *fmt, ...) SIM_PRINTF(3, 4);
static bool reject(char *why, size_t len, const char *fmt, ...) {
  if (why != NULL && len > 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
  }
  return false;
}

static void name_of_error(DWORD e, char *buf, size_t len) {
  const char *n = fw_error_name(e);
  if (n)
    snprintf(buf, len, "%s", n);
  else
    snprintf(buf, len, "error %" PRIu32, e);
}

static void name_of_status(NTSTATUS s, char *buf, size_t len) {
  const char *n = fw_status_name(s);
  if (n)
    snprintf(buf, len, "%s", n);
  else
    snprintf(buf, len, "status 0x%08" PRIX32, (uint32_t)s);
}

/* The completion status a rule's outcome stands for. */
static NTSTATUS rule_status(const fw_fault_rule_t *r) {
  if (r->has_status) return (NTSTATUS)r->status;
  if (r->outcome == FW_FAULT_PENDING && r->error != 0) return fw_status_for_error(r->error);
  return STATUS_SUCCESS;
}

/* Checks one rule against one site. */
static bool check_site(const fw_fault_rule_t *r, const site_caps_t *c, char *why, size_t len) {
  char a[64], b[64];
  const char *api = c->name;
  switch (r->outcome) {
    case FW_FAULT_SUCCESS:
      if (!(c->caps & CAP_SUCCESS))
        return reject(
            why, len,
            "%s cannot be forced to succeed: only calls that move data or complete an I/O can",
            api);
      if (r->has_status && (NTSTATUS)r->status != STATUS_SUCCESS) {
        name_of_status((NTSTATUS)r->status, a, sizeof a);
        return reject(why, len,
                      "a synchronous success completes with STATUS_SUCCESS, not %s: use -> error "
                      "for failures",
                      a);
      }
      return true;
    case FW_FAULT_ERROR: {
      if (r->error == ERROR_IO_PENDING)
        return reject(why, len,
                      "a synchronous error cannot be ERROR_IO_PENDING: ERROR_IO_PENDING is how a "
                      "call says it pends "
                      "(use -> pending)");
      if (r->error == 0) return reject(why, len, "-> error needs code=<error>");
      if (!(c->caps & CAP_ERROR)) return reject(why, len, "%s cannot be made to fail", api);
      name_of_error(r->error, a, sizeof a);
      if (r->error == ERROR_MORE_DATA && !(c->caps & CAP_WARN))
        return reject(why, len,
                      "%s cannot complete synchronously with ERROR_MORE_DATA: ERROR_MORE_DATA only "
                      "comes from "
                      "message-mode reads and datagram receives",
                      api);
      if (r->error == WSAEMSGSIZE && !in_list(c->errors, r->error))
        return reject(why, len,
                      "%s cannot fail with WSAEMSGSIZE: WSAEMSGSIZE only comes from datagram "
                      "receives and oversized "
                      "datagram sends",
                      api);
      if (!in_list(c->errors, r->error)) return reject(why, len, "%s cannot fail with %s", api, a);
      return true;
    }
    case FW_FAULT_PENDING:
    case FW_FAULT_COMPLETE_BEFORE_CANCEL:
    case FW_FAULT_CANCEL_TOO_LATE:
    case FW_FAULT_CANCEL_WINS: {
      if (!(c->caps & CAP_PENDING))
        return reject(why, len, "%s cannot pend: only overlapped calls return ERROR_IO_PENDING",
                      api);
      if (r->outcome == FW_FAULT_CANCEL_WINS) return true;
      NTSTATUS s = rule_status(r);
      if (!r->has_status && r->error != 0 && s == 0) {
        name_of_error(r->error, a, sizeof a);
        return reject(why, len, "no completion status maps to %s", a);
      }
      name_of_status(s, a, sizeof a);
      if (s == STATUS_PENDING) return reject(why, len, "a completion cannot carry STATUS_PENDING");
      if (s == STATUS_BUFFER_OVERFLOW && !(c->caps & CAP_WARN))
        return reject(why, len,
                      "%s cannot complete with STATUS_BUFFER_OVERFLOW: it only comes from "
                      "message-mode reads and "
                      "datagram receives",
                      api);
      /* complete-before-cancel / cancel-too-late may carry any status the
       * call can complete with: an operation that failed on its own (a reset,
       * a refused connect, a truncated datagram) just before CancelIoEx is as
       * "already completed" as one that succeeded - CancelIoEx finds nothing
       * (ERROR_NOT_FOUND) and the packet carries the operation's own status
       * (CancelIoEx docs; spec F38; the core's B23). */
      if (!in_list(c->statuses, (uint32_t)s)) {
        snprintf(b, sizeof b, "%s", a);
        return reject(why, len, "%s cannot complete with %s", api, b);
      }
      return true;
    }
    case FW_FAULT_SHORT:
      if (!(c->caps & CAP_SHORT))
        return reject(why, len,
                      "%s cannot make a short transfer: only receives, sends, reads and writes "
                      "move a byte count",
                      api);
      if (!r->bytes_draw && r->bytes == 0)
        return reject(
            why, len,
            "a short transfer moves at least 1 byte (bytes=0 would read as end of stream)");
      return true;
    case FW_FAULT_PEER_FIN:
    case FW_FAULT_PEER_RST:
      if (!(c->caps & CAP_PEER))
        return reject(why, len, "%s has no peer: peer-fin and peer-rst apply to connected sockets",
                      api);
      return true;
    case FW_FAULT_NON_IFS:
      if (!(c->caps & CAP_NON_IFS))
        return reject(why, len, "non-ifs applies only to WSAEnumProtocolsW, not %s", api);
      return true;
    case FW_FAULT_NULL:
      if (!(c->caps & CAP_NULL))
        return reject(why, len, "null applies only to GetProcAddress, not %s", api);
      return true;
    default:
      return reject(why, len, "unknown outcome %d", (int)r->outcome);
  }
}

static bool validate(const fw_fault_rule_t *r, char *why, size_t len) {
  if (r->outcome <= FW_FAULT_NONE || r->outcome >= FW_FAULT_OUTCOME_COUNT)
    return reject(why, len, "no outcome");
  if (r->op < 0 || r->op >= FW_OP_COUNT) return reject(why, len, "unknown op %d", (int)r->op);
  if (r->count != 0 && r->nth == 0)
    return reject(why, len, "count= needs nth= (the first call of the run)");
  if (r->nth != 0 && r->from != 0) return reject(why, len, "nth= and from= exclude each other");
  if (r->prob_den != 0 && r->prob_num > r->prob_den)
    return reject(why, len, "probability %" PRIu32 "/%" PRIu32 " is above 1", r->prob_num,
                  r->prob_den);
  if (r->prob_den == 0 && r->prob_num != 0)
    return reject(why, len, "probability with a zero denominator");
  if (r->when == FW_WHEN_AFTER_RULE) {
    if (r->after_rule[0] == '\0') return reject(why, len, "after-rule= needs a rule name");
    if (r->name[0] && strcmp(r->name, r->after_rule) == 0)
      return reject(why, len, "rule '%s' cannot wait for its own fire", r->name);
  }
  if (r->name[0] && rule_id_by_name(r->name) != 0)
    return reject(why, len, "a rule named '%s' exists already", r->name);
  if (r->proc[0] && r->site != FW_SITE_GetProcAddress)
    return reject(why, len, "proc= only matches GetProcAddress");
  if (r->when == FW_WHEN_NOW && r->outcome != FW_FAULT_PENDING)
    return reject(why, len, "'now' (completed before the call returns) applies to -> pending only");

  if (r->site == FW_SITE_World) {
    if (r->outcome != FW_FAULT_PEER_FIN && r->outcome != FW_FAULT_PEER_RST)
      return reject(why, len,
                    "a world rule matches no call: its outcome can only be peer-fin or peer-rst");
    if (r->handle == FW_FAULT_ANY_HANDLE)
      return reject(why, len, "a world rule needs handle= (whose peer)");
    return true;
  }
  if (r->site != FW_SITE_NONE) {
    const site_caps_t *c = caps_of(r->site);
    if (c == NULL) return reject(why, len, "unknown site %d", (int)r->site);
    if (r->op != FW_OP_ANY && r->op != c->op)
      return reject(why, len, "%s is a %s call, never op=%s", c->name, op_names[c->op],
                    op_names[r->op]);
    return check_site(r, c, why, len);
  }
  /* "*": it applies to the sites of the op that can produce the outcome
   * (fw_fault_check skips the others); at least one must */
  if (r->op == FW_OP_ANY) return reject(why, len, "a rule for every API ('*') needs op=");
  bool first = true;
  for (size_t i = 0; i < n_sites(); i++) {
    if (site_at(i)->op != r->op) continue;
    /* the first site's reason is the one reported if none fits */
    if (check_site(r, site_at(i), first ? why : NULL, first ? len : 0)) {
      if (why && len) why[0] = '\0';
      return true;
    }
    first = false;
  }
  if (first) return reject(why, len, "no API does op=%s", op_names[r->op]);
  return false;
}

/* Whether a '*' rule applies at a site (validated when added). */
static bool star_applies(const fw_fault_rule_t *r, fw_site_t site) {
  const site_caps_t *c = caps_of(site);
  return c != NULL && check_site(r, c, NULL, 0);
}

uint32_t fw_fault_add(const fw_fault_rule_t *r, char *why, size_t why_len) {
  if (why && why_len) why[0] = '\0';
  if (!validate(r, why, why_len)) return 0;
  if (n_rules == cap_rules) {
    uint32_t cap = cap_rules ? cap_rules * 2 : 8;
    rule_rec_t *p = realloc(plan, cap * sizeof *p);
    if (p == NULL) abort();
    plan = p;
    cap_rules = cap;
  }
  rule_rec_t *rec = &plan[n_rules++];
  memset(rec, 0, sizeof *rec);
  rec->r = *r;
  /* -> pending code=X stands for the canonical status of X */
  if (!rec->r.has_status && rec->r.error != 0 && rec->r.outcome != FW_FAULT_ERROR) {
    rec->r.status = (uint32_t)fw_status_for_error(rec->r.error);
    rec->r.has_status = true;
  }
  rec->id = n_rules;
  return rec->id;
}

/* ---- matching and firing -------------------------------------------------------------------- */

static void trace_fire(const rule_rec_t *rec, fw_site_t site, const fw_fault_t *f) {
  static sim_tracepoint_t tp = {"fault",
                                {{"rule", 'u'},
                                 {"site", 'u'},
                                 {"outcome", 'u'},
                                 {"error", 'u'},
                                 {"status", 'x'},
                                 {"bytes", 'u'}},
                                'u',
                                0};
  sim_trace_call(&tp,
                 (const uint64_t[SIM_TRACE_MAX_ARGS]){rec->id, (uint64_t)site, (uint64_t)f->outcome,
                                                      f->error, (uint32_t)f->status, f->bytes},
                 rec->fired, 0);
}

static bool in_window(const fw_fault_rule_t *r, uint32_t k) {
  if (r->nth != 0) return k >= r->nth && k - r->nth < (r->count ? r->count : 1u);
  if (r->from != 0) return k >= r->from;
  return true;
}

/* Decides whether a matching call (the k-th) fires; draws the probability. */
static bool should_fire(rule_rec_t *rec, uint32_t k) {
  const fw_fault_rule_t *r = &rec->r;
  if (!in_window(r, k)) return false;
  if (r->max_fires != 0 && rec->fired >= r->max_fires) return false;
  if (r->prob_den != 0 && !sim_chance(SIM_DECIDE_FAULT, r->prob_num, r->prob_den)) return false;
  return true;
}

static void fire(rule_rec_t *rec, fw_site_t site, HANDLE h, fw_obj_t *o, fw_fault_t *f) {
  const fw_fault_rule_t *r = &rec->r;
  memset(f, 0, sizeof *f);
  f->rule = rec->id;
  f->outcome = r->outcome;
  f->error = r->error;
  f->status = rule_status(r);
  f->bytes = r->bytes;
  f->bytes_draw = r->bytes_draw;
  f->when = r->when;
  f->time_ns = r->time_ns;
  if (r->when == FW_WHEN_AFTER_RULE) {
    f->after_rule_id = rule_id_by_name(r->after_rule);
    if (f->after_rule_id == 0)
      f->when = FW_WHEN_NEVER; /* names no rule: nothing will ever fire it */
  }
  rec->fired++;
  trace_fire(rec, site, f);
  if (r->outcome == FW_FAULT_PEER_FIN || r->outcome == FW_FAULT_PEER_RST) {
    fw_fault_schedule_peer(f, r->handle != FW_FAULT_ANY_HANDLE ? (HANDLE)(uintptr_t)r->handle : h,
                           o);
    f->peer_scheduled = true;
  }
  fw_io_rule_fired(rec->id);
}

bool fw_fault_check(fw_site_t site, fw_op_t op, HANDLE h, fw_obj_t *o, fw_fault_t *f) {
  memset(f, 0, sizeof *f);
  if (!sim_in_world()) return false;
  bool fired = false;
  for (uint32_t i = 0; i < n_rules; i++) {
    rule_rec_t *rec = &plan[i];
    const fw_fault_rule_t *r = &rec->r;
    if (r->site == FW_SITE_World || r->proc[0] != '\0') continue;
    if (r->site != FW_SITE_NONE && r->site != site) continue;
    if (r->op != FW_OP_ANY && r->op != op) continue;
    if (r->site == FW_SITE_NONE && !star_applies(r, site)) continue;
    if (r->handle != FW_FAULT_ANY_HANDLE && r->handle != (uint64_t)(uintptr_t)h) continue;
    if (r->object != 0 && (o == NULL || o->serial != r->object)) continue;
    uint32_t k = ++rec->matched;
    /* later rules still count the call, but one call gets one outcome */
    if (fired || !should_fire(rec, k)) continue;
    fire(rec, site, h, o, f);
    fired = true;
  }
  return fired;
}

bool fw_fault_check_proc(const char *proc, fw_fault_t *f) {
  memset(f, 0, sizeof *f);
  if (!sim_in_world() || proc == NULL) return false;
  bool fired = false;
  for (uint32_t i = 0; i < n_rules; i++) {
    rule_rec_t *rec = &plan[i];
    const fw_fault_rule_t *r = &rec->r;
    if (r->site != FW_SITE_GetProcAddress) continue;
    if (r->proc[0] != '\0' && strcmp(r->proc, proc) != 0) continue;
    uint32_t k = ++rec->matched;
    if (fired || !should_fire(rec, k)) continue;
    fire(rec, FW_SITE_GetProcAddress, NULL, NULL, f);
    fired = true;
  }
  return fired;
}

DWORD fw_fault_short_cap(const fw_fault_t *f, DWORD requested) {
  if (requested == 0) return 0;
  if (f->bytes_draw) {
    /* a short transfer moves fewer bytes than asked, when it can */
    if (requested == 1) return 1;
    return 1 + sim_decide(SIM_DECIDE_SHORT_TRANSFER, requested - 1, NULL);
  }
  DWORD b = f->bytes ? f->bytes : 1;
  return b < requested ? b : requested;
}

/* ---- peer faults ----------------------------------------------------------------------------- */

static void peer_fire(void *arg) {
  peer_ev_t *e = arg;
  for (peer_ev_t **pp = &peer_evs; *pp != NULL; pp = &(*pp)->next) {
    if (*pp == e) {
      *pp = e->next;
      break;
    }
  }
  if (peer_hook != NULL) peer_hook(e->what, e->h, e->o);
  if (e->o != NULL) fw_obj_unref(e->o);
  free(e);
}

void fw_fault_schedule_peer(const fw_fault_t *f, HANDLE h, fw_obj_t *o) {
  if (f->peer_scheduled) return;
  peer_ev_t *e = calloc(1, sizeof *e);
  if (e == NULL) abort();
  e->what = f->outcome;
  e->h = h;
  e->o = o;
  e->rule = f->rule;
  if (o != NULL) fw_obj_ref(o);
  sim_timer_init(&e->timer);
  e->next = peer_evs;
  peer_evs = e;
  uint64_t when = sim_now();
  if (f->when == FW_WHEN_AT)
    when = f->time_ns;
  else if (f->when == FW_WHEN_AFTER)
    when = sim_now() + f->time_ns;
  sim_timer_arm(&e->timer, when, peer_fire, e);
}

/* A world rule's time has come. */
static void world_rule_due(void *arg) {
  rule_rec_t *rec = rule_by_id((uint32_t)(uintptr_t)arg);
  if (rec == NULL) return;
  uint32_t k = ++rec->matched;
  if (!should_fire(rec, k)) return;
  HANDLE h = (HANDLE)(uintptr_t)rec->r.handle;
  fw_obj_t *o = NULL;
  (void)fw_handle_get(h, FW_TYPE_ANY, false, &o);
  fw_fault_t f;
  memset(&f, 0, sizeof f);
  f.rule = rec->id;
  f.outcome = rec->r.outcome;
  rec->fired++;
  trace_fire(rec, FW_SITE_World, &f);
  if (peer_hook != NULL) peer_hook(f.outcome, h, o);
  fw_io_rule_fired(rec->id);
}

void fw_fault_world_start(void) {
  peer_evs = NULL;
  for (uint32_t i = 0; i < n_rules; i++) {
    plan[i].matched = plan[i].fired = 0;
    const fw_fault_rule_t *r = &plan[i].r;
    if (r->site != FW_SITE_World) continue;
    uint64_t at = r->when == FW_WHEN_AT || r->when == FW_WHEN_AFTER ? r->time_ns : 0;
    (void)sim_at(at, world_rule_due, (void *)(uintptr_t)plan[i].id);
  }
}

void fw_fault_world_end(void) {
  /* objects are destroyed by the world teardown: only the events are ours */
  while (peer_evs != NULL) {
    peer_ev_t *e = peer_evs;
    peer_evs = e->next;
    free(e);
  }
}

/* ---- the text syntax ----------------------------------------------------------------------------
 */

typedef struct parser {
  const char *s;
  size_t i;
  bool failed;
  size_t err_col;
  char *err;
  size_t err_len;
} parser_t;

static bool perr(parser_t *p, size_t at, const char *fmt, ...) SIM_PRINTF(3, 4);
static bool perr(parser_t *p, size_t at, const char *fmt, ...) {
  if (p->failed) return false;
  p->failed = true;
  p->err_col = at + 1;
  if (p->err != NULL && p->err_len > 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, p->err_len, fmt, ap);
    va_end(ap);
  }
  return false;
}

static bool at_end(const parser_t *p) {
  return p->s[p->i] == '\0' || p->s[p->i] == '#';
}

static void skip_ws(parser_t *p) {
  while (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\r' || p->s[p->i] == '\n')
    p->i++;
}

/* The next whitespace-delimited token: [*start, *start + *len). */
static bool token(parser_t *p, size_t *start, size_t *len) {
  skip_ws(p);
  if (at_end(p)) return false;
  *start = p->i;
  while (p->s[p->i] != '\0' && p->s[p->i] != ' ' && p->s[p->i] != '\t' && p->s[p->i] != '\r' &&
         p->s[p->i] != '\n')
    p->i++;
  *len = p->i - *start;
  return true;
}

static bool tok_is(const parser_t *p, size_t start, size_t len, const char *w) {
  return strlen(w) == len && memcmp(p->s + start, w, len) == 0;
}

static void tok_copy(const parser_t *p, size_t start, size_t len, char *buf, size_t cap) {
  size_t n = len < cap - 1 ? len : cap - 1;
  memcpy(buf, p->s + start, n);
  buf[n] = '\0';
}

static bool parse_u64(parser_t *p, size_t start, size_t len, uint64_t *out) {
  const char *s = p->s + start;
  uint64_t v = 0;
  size_t i = 0;
  unsigned base = 10;
  if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    i = 2;
  }
  if (i == len) return perr(p, start, "expected a number");
  for (; i < len; i++) {
    int c = (unsigned char)s[i], d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return perr(p, start + i, "expected a %s digit", base == 16 ? "hexadecimal" : "decimal");
    if (v > (UINT64_MAX - (uint64_t)d) / base) return perr(p, start, "number too large");
    v = v * base + (uint64_t)d;
  }
  *out = v;
  return true;
}

static bool parse_u32(parser_t *p, size_t start, size_t len, uint32_t *out) {
  uint64_t v;
  if (!parse_u64(p, start, len, &v)) return false;
  if (v > UINT32_MAX) return perr(p, start, "number too large (at most 4294967295)");
  *out = (uint32_t)v;
  return true;
}

static bool parse_duration(parser_t *p, size_t start, size_t len, uint64_t *out) {
  size_t n = 0;
  while (n < len && isdigit((unsigned char)p->s[start + n])) n++;
  if (n == 0) return perr(p, start, "expected a duration such as 5ms (units ns, us, ms, s)");
  uint64_t v, mul;
  const char *u = p->s + start + n;
  size_t ul = len - n;
  if (ul == 2 && memcmp(u, "ns", 2) == 0)
    mul = 1;
  else if (ul == 2 && memcmp(u, "us", 2) == 0)
    mul = 1000;
  else if (ul == 2 && memcmp(u, "ms", 2) == 0)
    mul = 1000000;
  else if (ul == 1 && u[0] == 's')
    mul = 1000000000;
  else
    return perr(p, start + n, "expected a time unit: ns, us, ms or s");
  if (!parse_u64(p, start, n, &v)) return false;
  if (v > UINT64_MAX / mul) return perr(p, start, "duration too large");
  *out = v * mul;
  return true;
}

static bool parse_ident(parser_t *p, size_t start, size_t len, char *buf, size_t cap) {
  if (len == 0) return perr(p, start, "expected a name");
  if (len >= cap) return perr(p, start, "name longer than %zu characters", cap - 1);
  for (size_t i = 0; i < len; i++) {
    int c = (unsigned char)p->s[start + i];
    if (!isalnum(c) && c != '_' && c != '-' && c != '.')
      return perr(p, start + i, "a name is made of letters, digits, '_', '-' and '.'");
  }
  tok_copy(p, start, len, buf, cap);
  return true;
}

static bool parse_status(parser_t *p, size_t start, size_t len, uint32_t *out) {
  char name[64];
  if (len > 0 && isdigit((unsigned char)p->s[start])) return parse_u32(p, start, len, out);
  tok_copy(p, start, len, name, sizeof name);
  NTSTATUS s;
  if (!fw_status_by_name(name, &s)) return perr(p, start, "unknown status '%s'", name);
  *out = (uint32_t)s;
  return true;
}

static bool parse_error_code(parser_t *p, size_t start, size_t len, uint32_t *out) {
  char name[64];
  if (len > 0 && isdigit((unsigned char)p->s[start])) return parse_u32(p, start, len, out);
  tok_copy(p, start, len, name, sizeof name);
  DWORD e;
  if (!fw_error_by_name(name, &e)) return perr(p, start, "unknown error code '%s'", name);
  *out = e;
  return true;
}

/* Splits key=value into the key length and the value span; false without an equals sign. */
static bool split_kv(const parser_t *p, size_t start, size_t len, size_t *klen, size_t *vstart,
                     size_t *vlen) {
  const char *eq = memchr(p->s + start, '=', len);
  if (eq == NULL) return false;
  *klen = (size_t)(eq - (p->s + start));
  *vstart = start + *klen + 1;
  *vlen = len - *klen - 1;
  return true;
}

static bool outcome_takes(fw_fault_outcome_t o, const char *key) {
  bool pend = o == FW_FAULT_PENDING || o == FW_FAULT_COMPLETE_BEFORE_CANCEL ||
              o == FW_FAULT_CANCEL_TOO_LATE;
  if (strcmp(key, "code") == 0) return o == FW_FAULT_ERROR || o == FW_FAULT_PENDING;
  if (strcmp(key, "status") == 0) return pend || o == FW_FAULT_SUCCESS;
  if (strcmp(key, "bytes") == 0)
    return pend || o == FW_FAULT_SUCCESS || o == FW_FAULT_ERROR || o == FW_FAULT_SHORT;
  if (strcmp(key, "at") == 0 || strcmp(key, "after") == 0)
    return pend || o == FW_FAULT_PEER_FIN || o == FW_FAULT_PEER_RST;
  if (strcmp(key, "after-rule") == 0 || strcmp(key, "never") == 0) return pend;
  if (strcmp(key, "now") == 0) return o == FW_FAULT_PENDING;
  return false;
}

bool fw_fault_parse(const char *line, fw_fault_rule_t *out, size_t *err_col, char *err,
                    size_t err_len) {
  parser_t p = {line ? line : "", 0, false, 0, err, err_len};
  fw_fault_rule_t r;
  fw_fault_rule_init(&r);
  size_t ts, tl;
  if (err && err_len) err[0] = '\0';

  /* the API */
  if (!token(&p, &ts, &tl)) {
    perr(&p, p.i, "expected an API name, '*' or 'world'");
    goto out;
  }
  if (tok_is(&p, ts, tl, "*")) {
    r.site = FW_SITE_NONE;
  } else {
    char name[64];
    tok_copy(&p, ts, tl, name, sizeof name);
    r.site = fw_site_by_name(name);
    if (r.site == FW_SITE_NONE || tl >= sizeof name) {
      perr(&p, ts, "unknown API '%s'", name);
      goto out;
    }
  }

  /* matchers up to "->" */
  uint32_t seen = 0;
  for (;;) {
    if (!token(&p, &ts, &tl)) {
      perr(&p, p.i, "expected '->' and an outcome");
      goto out;
    }
    if (tok_is(&p, ts, tl, "->")) break;
    size_t kl, vs, vl;
    if (!split_kv(&p, ts, tl, &kl, &vs, &vl)) {
      char w[64];
      tok_copy(&p, ts, tl, w, sizeof w);
      perr(&p, ts,
           "expected a matcher (handle=, object=, op=, proc=, nth=, count=, from=, prob=, max=, "
           "name=) or '->', "
           "not '%s'",
           w);
      goto out;
    }
    static const char *const keys[] = {"handle", "object", "op",   "proc", "nth",
                                       "count",  "from",   "prob", "max",  "name"};
    int k = -1;
    for (int i = 0; i < (int)(sizeof keys / sizeof keys[0]); i++)
      if (strlen(keys[i]) == kl && memcmp(line + ts, keys[i], kl) == 0) k = i;
    if (k < 0) {
      char w[64];
      tok_copy(&p, ts, kl, w, sizeof w);
      perr(&p, ts, "unknown matcher '%s='", w);
      goto out;
    }
    if (seen & (1u << k)) {
      perr(&p, ts, "duplicate '%s='", keys[k]);
      goto out;
    }
    seen |= 1u << k;
    if (vl == 0) {
      perr(&p, vs, "expected a value after '%s='", keys[k]);
      goto out;
    }
    bool ok = true;
    switch (k) {
      case 0:
        ok = parse_u64(&p, vs, vl, &r.handle);
        break;
      case 1:
        ok = parse_u32(&p, vs, vl, &r.object);
        break;
      case 2: {
        int op = -1;
        for (int i = 1; i < FW_OP_COUNT; i++)
          if (tok_is(&p, vs, vl, op_names[i])) op = i;
        if (op < 0) {
          char w[64];
          tok_copy(&p, vs, vl, w, sizeof w);
          ok = perr(&p, vs, "unknown op '%s'", w);
        } else {
          r.op = (fw_op_t)op;
        }
        break;
      }
      case 3:
        ok = parse_ident(&p, vs, vl, r.proc, sizeof r.proc);
        break;
      case 4:
        ok = parse_u32(&p, vs, vl, &r.nth);
        break;
      case 5:
        ok = parse_u32(&p, vs, vl, &r.count);
        break;
      case 6:
        ok = parse_u32(&p, vs, vl, &r.from);
        break;
      case 7: {
        const char *slash = memchr(line + vs, '/', vl);
        if (slash == NULL) {
          ok = perr(&p, vs, "expected a probability as a ratio such as 1/8");
          break;
        }
        size_t nl = (size_t)(slash - (line + vs));
        ok = parse_u32(&p, vs, nl, &r.prob_num) &&
             parse_u32(&p, vs + nl + 1, vl - nl - 1, &r.prob_den);
        if (ok && r.prob_den == 0)
          ok = perr(&p, vs + nl + 1, "the denominator of a probability cannot be 0");
        else if (ok && r.prob_num > r.prob_den)
          ok = perr(&p, vs, "a probability cannot exceed 1");
        break;
      }
      case 8:
        ok = parse_u32(&p, vs, vl, &r.max_fires);
        break;
      case 9:
        ok = parse_ident(&p, vs, vl, r.name, sizeof r.name);
        break;
    }
    if (!ok) goto out;
  }

  /* the outcome */
  if (!token(&p, &ts, &tl)) {
    perr(&p, p.i, "expected an outcome after '->'");
    goto out;
  }
  size_t outcome_at = ts;
  r.outcome = FW_FAULT_NONE;
  for (int i = 1; i < FW_FAULT_OUTCOME_COUNT; i++)
    if (tok_is(&p, ts, tl, outcome_names[i])) r.outcome = (fw_fault_outcome_t)i;
  if (r.outcome == FW_FAULT_NONE) {
    char w[64];
    tok_copy(&p, ts, tl, w, sizeof w);
    perr(&p, ts,
         "unknown outcome '%s' (success, error, pending, short, complete-before-cancel, "
         "cancel-wins, "
         "cancel-too-late, peer-fin, peer-rst, non-ifs, null)",
         w);
    goto out;
  }

  /* its parameters */
  seen = 0;
  while (token(&p, &ts, &tl)) {
    static const char *const keys[] = {"code",  "status",     "bytes", "at",
                                       "after", "after-rule", "now",   "never"};
    size_t kl, vs = 0, vl = 0;
    bool kv = split_kv(&p, ts, tl, &kl, &vs, &vl);
    if (!kv) kl = tl;
    int k = -1;
    for (int i = 0; i < (int)(sizeof keys / sizeof keys[0]); i++)
      if (strlen(keys[i]) == kl && memcmp(line + ts, keys[i], kl) == 0) k = i;
    char w[64];
    tok_copy(&p, ts, kl, w, sizeof w);
    if (k < 0) {
      perr(&p, ts, "unknown parameter '%s'", w);
      goto out;
    }
    bool bare = k >= 6;
    if (bare && kv) {
      perr(&p, ts + kl, "'%s' takes no value", keys[k]);
      goto out;
    }
    if (!bare && !kv) {
      perr(&p, ts + kl, "expected '=' after '%s'", keys[k]);
      goto out;
    }
    if (!outcome_takes(r.outcome, keys[k])) {
      perr(&p, ts, "%s does not take '%s%s'", outcome_names[r.outcome], keys[k], bare ? "" : "=");
      goto out;
    }
    /* at, after, after-rule, now, never all say when: one of them */
    unsigned bit = k >= 3 ? 1u << 3 : 1u << k;
    if (seen & bit) {
      perr(&p, ts, k >= 3 ? "the completion time is given twice" : "duplicate '%s='", keys[k]);
      goto out;
    }
    seen |= bit;
    if (!bare && vl == 0) {
      perr(&p, vs, "expected a value after '%s='", keys[k]);
      goto out;
    }
    bool ok = true;
    switch (k) {
      case 0:
        ok = parse_error_code(&p, vs, vl, &r.error);
        break;
      case 1:
        ok = parse_status(&p, vs, vl, &r.status);
        r.has_status = ok;
        break;
      case 2:
        if (tok_is(&p, vs, vl, "draw"))
          r.bytes_draw = true;
        else
          ok = parse_u32(&p, vs, vl, &r.bytes);
        break;
      case 3:
        r.when = FW_WHEN_AT;
        ok = parse_duration(&p, vs, vl, &r.time_ns);
        break;
      case 4:
        r.when = FW_WHEN_AFTER;
        ok = parse_duration(&p, vs, vl, &r.time_ns);
        break;
      case 5:
        r.when = FW_WHEN_AFTER_RULE;
        ok = parse_ident(&p, vs, vl, r.after_rule, sizeof r.after_rule);
        break;
      case 6:
        r.when = FW_WHEN_NOW;
        break;
      case 7:
        r.when = FW_WHEN_NEVER;
        break;
    }
    if (!ok) goto out;
  }
  if (r.site == FW_SITE_World && r.outcome != FW_FAULT_PEER_FIN && r.outcome != FW_FAULT_PEER_RST) {
    perr(&p, outcome_at, "a world rule's outcome is peer-fin or peer-rst");
    goto out;
  }

out:
  if (p.failed) {
    if (err_col) *err_col = p.err_col;
    return false;
  }
  if (err_col) *err_col = 0;
  if (out) *out = r;
  return true;
}

uint32_t fw_fault_add_text(const char *line, char *err, size_t err_len) {
  fw_fault_rule_t r;
  size_t col;
  char msg[256];
  if (!fw_fault_parse(line, &r, &col, msg, sizeof msg)) {
    if (err && err_len) snprintf(err, err_len, "column %zu: %s", col, msg);
    return 0;
  }
  return fw_fault_add(&r, err, err_len);
}

/* ---- describing a rule
 * ------------------------------------------------------------------------------- */

static void appendf(char *buf, size_t len, size_t *n, const char *fmt, ...) SIM_PRINTF(4, 5);
static void appendf(char *buf, size_t len, size_t *n, const char *fmt, ...) {
  if (*n >= len) return;
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(buf + *n, len - *n, fmt, ap);
  va_end(ap);
  if (k > 0) *n = *n + (size_t)k < len ? *n + (size_t)k : len - 1;
}

void fw_fault_describe(uint32_t rule_id, char *buf, size_t len) {
  if (len == 0) return;
  buf[0] = '\0';
  rule_rec_t *rec = rule_by_id(rule_id);
  if (rec == NULL) return;
  const fw_fault_rule_t *r = &rec->r;
  size_t n = 0;
  char a[64];
  appendf(buf, len, &n, "%s", r->site == FW_SITE_NONE ? "*" : fw_site_name(r->site));
  if (r->handle != FW_FAULT_ANY_HANDLE) appendf(buf, len, &n, " handle=0x%" PRIx64, r->handle);
  if (r->object) appendf(buf, len, &n, " object=%" PRIu32, r->object);
  if (r->op != FW_OP_ANY) appendf(buf, len, &n, " op=%s", op_names[r->op]);
  if (r->proc[0]) appendf(buf, len, &n, " proc=%s", r->proc);
  if (r->nth) appendf(buf, len, &n, " nth=%" PRIu32, r->nth);
  if (r->count) appendf(buf, len, &n, " count=%" PRIu32, r->count);
  if (r->from) appendf(buf, len, &n, " from=%" PRIu32, r->from);
  if (r->prob_den) appendf(buf, len, &n, " prob=%" PRIu32 "/%" PRIu32, r->prob_num, r->prob_den);
  if (r->max_fires) appendf(buf, len, &n, " max=%" PRIu32, r->max_fires);
  if (r->name[0]) appendf(buf, len, &n, " name=%s", r->name);
  appendf(buf, len, &n, " -> %s", outcome_names[r->outcome]);
  if (r->outcome == FW_FAULT_ERROR) {
    name_of_error(r->error, a, sizeof a);
    appendf(buf, len, &n, " code=%s", a);
  }
  if (r->has_status) {
    name_of_status((NTSTATUS)r->status, a, sizeof a);
    if (a[0] == 's')
      appendf(buf, len, &n, " status=0x%08" PRIX32, r->status);
    else
      appendf(buf, len, &n, " status=%s", a);
  }
  if (r->bytes_draw)
    appendf(buf, len, &n, " bytes=draw");
  else if (r->bytes)
    appendf(buf, len, &n, " bytes=%" PRIu32, r->bytes);
  switch (r->when) {
    case FW_WHEN_NOW:
      appendf(buf, len, &n, " now");
      break;
    case FW_WHEN_AT:
      appendf(buf, len, &n, " at=%" PRIu64 "ns", r->time_ns);
      break;
    case FW_WHEN_AFTER:
      appendf(buf, len, &n, " after=%" PRIu64 "ns", r->time_ns);
      break;
    case FW_WHEN_AFTER_RULE:
      appendf(buf, len, &n, " after-rule=%s", r->after_rule);
      break;
    case FW_WHEN_NEVER:
      appendf(buf, len, &n, " never");
      break;
    default:
      break;
  }
}
