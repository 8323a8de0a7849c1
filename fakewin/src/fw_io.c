/* fw_io.c: overlapped requests and their completion, cancellation,
 * synchronous blocking I/O, the two status tables, and the Win32 calls that
 * read or steer results: GetOverlappedResult(Ex), WSAGetOverlappedResult,
 * SetFileCompletionNotificationModes, CancelIo, CancelIoEx,
 * CancelSynchronousIo.
 *
 * Semantics follow spec/win32-fidelity.md F10-F19, F36-F42, F50-F53 and the
 * W table (W1, W2, W3, W18 here).  The I/O manager rules this file encodes:
 *   - at submission the OVERLAPPED gets STATUS_PENDING before anything can
 *     fail (F15), the event is reset and the file object's own signal is
 *     cleared;
 *   - a request completed inside the call with an *error* status leaves the
 *     OVERLAPPED, the event and the port alone (F10d, F15); with a success
 *     or warning status it is reported like any completion, except that
 *     FILE_SKIP_COMPLETION_PORT_ON_SUCCESS drops the packet (F11a, F11c);
 *   - a request that returned pending always gets exactly one packet
 *     (F10b, F11b), unless the low bit of hEvent is set (F14);
 *   - Internal and InternalHigh are final before the event is set and before
 *     the packet can be dequeued (F17). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winsock2.h>

#include "fw_io.h"
#include <fakewin/fw_errnames.h>

/* ---- the status tables (F50) ---------------------------------------------------- */

typedef struct status_row {
  NTSTATUS status;
  DWORD win32; /* RtlNtStatusToDosError */
  DWORD wsa;   /* ws2_32's table; 0 = not in it (WSAEINVAL for errors) */
  const char *name;
} status_row_t;

#define ROW(s, w, k) \
  { (NTSTATUS)(s), (DWORD)(w), (DWORD)(k), #s }
/* Order matters for fw_status_for_error: the first row mapping to an error
 * is the canonical status for it (STATUS_CONNECTION_RESET for both
 * ERROR_NETNAME_DELETED and WSAECONNRESET). */
static const status_row_t status_rows[] = {
    /* the spec's constants table, every row */
    ROW(STATUS_SUCCESS, 0, 0),
    ROW(STATUS_PENDING, ERROR_IO_PENDING, 0),
    ROW(STATUS_BUFFER_OVERFLOW, ERROR_MORE_DATA, WSAEMSGSIZE),
    ROW(STATUS_HANDLES_CLOSED, ERROR_HANDLES_CLOSED, 0),
    ROW(STATUS_CANCELLED, ERROR_OPERATION_ABORTED, ERROR_OPERATION_ABORTED),
    ROW(STATUS_END_OF_FILE, ERROR_HANDLE_EOF, 0),
    ROW(STATUS_CONNECTION_RESET, ERROR_NETNAME_DELETED, WSAECONNRESET),
    ROW(STATUS_LOCAL_DISCONNECT, ERROR_NETNAME_DELETED, WSAECONNABORTED),
    ROW(STATUS_REMOTE_DISCONNECT, ERROR_NETNAME_DELETED, WSAECONNRESET),
    ROW(STATUS_CONNECTION_DISCONNECTED, ERROR_NETNAME_DELETED, WSAECONNRESET),
    ROW(STATUS_CONNECTION_ABORTED, ERROR_CONNECTION_ABORTED, WSAECONNABORTED),
    ROW(STATUS_CONNECTION_REFUSED, ERROR_CONNECTION_REFUSED, WSAECONNREFUSED),
    ROW(STATUS_PORT_UNREACHABLE, ERROR_PORT_UNREACHABLE, WSAECONNRESET),
    ROW(STATUS_HOST_UNREACHABLE, ERROR_HOST_UNREACHABLE, WSAEHOSTUNREACH),
    ROW(STATUS_NETWORK_UNREACHABLE, ERROR_NETWORK_UNREACHABLE, WSAENETUNREACH),
    ROW(STATUS_INVALID_CONNECTION, ERROR_UNEXP_NET_ERR, WSAENOTCONN),
    ROW(STATUS_IO_TIMEOUT, ERROR_SEM_TIMEOUT, WSAETIMEDOUT),
    ROW(STATUS_GRACEFUL_DISCONNECT, ERROR_GRACEFUL_DISCONNECT, WSAEDISCON),
    ROW(STATUS_PIPE_BROKEN, ERROR_BROKEN_PIPE, 0),
    ROW(STATUS_PIPE_CLOSING, ERROR_NO_DATA, 0),
    ROW(STATUS_PIPE_DISCONNECTED, ERROR_PIPE_NOT_CONNECTED, WSAESHUTDOWN),
    ROW(STATUS_BUFFER_TOO_SMALL, ERROR_INSUFFICIENT_BUFFER, WSAEFAULT),
    ROW(STATUS_INVALID_HANDLE, ERROR_INVALID_HANDLE, WSAENOTSOCK),
    ROW(STATUS_NOT_FOUND, ERROR_NOT_FOUND, 0),
    ROW(STATUS_INSUFFICIENT_RESOURCES, ERROR_NO_SYSTEM_RESOURCES, WSAENOBUFS),
    ROW(STATUS_INVALID_BUFFER_SIZE, ERROR_INVALID_USER_BUFFER, WSAEMSGSIZE),
    ROW(STATUS_NOT_SUPPORTED, ERROR_NOT_SUPPORTED, WSAEOPNOTSUPP),
    /* a few more that fakewin or a fault plan can produce; Win32 codes from
     * the NTSTATUS-to-Win32 table, Winsock codes as ws2_32 maps them (Wine's
     * table, which the E06 probe matched row for row) */
    ROW(STATUS_TIMEOUT, WAIT_TIMEOUT, 0),
    ROW(STATUS_UNSUCCESSFUL, ERROR_GEN_FAILURE, 0),
    ROW(STATUS_NOT_IMPLEMENTED, ERROR_INVALID_FUNCTION, WSAEOPNOTSUPP),
    ROW(STATUS_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, 0),
    ROW(STATUS_NO_MEMORY, ERROR_NOT_ENOUGH_MEMORY, WSAENOBUFS),
    ROW(STATUS_ACCESS_DENIED, ERROR_ACCESS_DENIED, WSAEACCES),
    ROW(STATUS_DISK_FULL, ERROR_DISK_FULL, 0),
    ROW(STATUS_CONNECTION_ACTIVE, ERROR_CONNECTION_ACTIVE, WSAEISCONN),
    ROW(STATUS_PROTOCOL_UNREACHABLE, ERROR_PROTOCOL_UNREACHABLE, WSAENETUNREACH),
    ROW(STATUS_REQUEST_ABORTED, ERROR_REQUEST_ABORTED, WSAEINTR),
    ROW(STATUS_ADDRESS_ALREADY_EXISTS, 52 /* ERROR_DUP_NAME */, WSAEADDRINUSE),
    ROW(STATUS_HOST_DOWN, 1256 /* ERROR_HOST_DOWN */, WSAEHOSTDOWN),
    /* RtlNtStatusToDosError rows the differential probe new_apis/ov_result
     * observed under Wine 8.0 (the standard NTSTATUS table's values) */
    ROW(STATUS_OBJECT_NAME_EXISTS, 698 /* ERROR_OBJECT_NAME_EXISTS */, 0),
    ROW(STATUS_OBJECT_NAME_NOT_FOUND, ERROR_FILE_NOT_FOUND, 0),
    ROW(STATUS_SHARING_VIOLATION, ERROR_SHARING_VIOLATION, 0),
    ROW(STATUS_FILE_IS_A_DIRECTORY, ERROR_ACCESS_DENIED, 0),
};
#undef ROW
#define N_STATUS_ROWS (sizeof status_rows / sizeof status_rows[0])

static const status_row_t *status_row(NTSTATUS s) {
  for (size_t i = 0; i < N_STATUS_ROWS; i++)
    if (status_rows[i].status == s) return &status_rows[i];
  return NULL;
}

DWORD fw_nt_to_win32(NTSTATUS s) {
  const status_row_t *r = status_row(s);
  if (r != NULL) return r->win32;
  /* HRESULT_FROM_NT(HRESULT_FROM_WIN32(x)) style statuses carry the code */
  if (((uint32_t)s & 0xFFFF0000u) == 0xC0070000u) return (uint32_t)s & 0xFFFFu;
  return 317; /* ERROR_MR_MID_NOT_FOUND: ntdll's answer for statuses it does not know */
}

DWORD fw_nt_to_wsa(NTSTATUS s) {
  if (s >= 0) return 0;
  const status_row_t *r = status_row(s);
  if (r != NULL && r->wsa != 0) return r->wsa;
  /* ERROR_IO_INCOMPLETE carried in a warning or error status (FACILITY_WIN32
   * 7, or facility 1) stays itself (sock.c map_status, Windows 8 and later) */
  uint32_t u = (uint32_t)s;
  if (u == 0x800703E4u || u == 0xC00103E4u || u == 0xC00703E4u) return ERROR_IO_INCOMPLETE;
  return WSAEINVAL; /* map_status: anything else */
}

NTSTATUS fw_status_for_error(DWORD err) {
  if (err == 0) return STATUS_SUCCESS;
  for (size_t i = 0; i < N_STATUS_ROWS; i++)
    if (status_rows[i].status < 0 && (status_rows[i].win32 == err || status_rows[i].wsa == err))
      return status_rows[i].status;
  return 0;
}

const char *fw_status_name(NTSTATUS s) {
  const status_row_t *r = status_row(s);
  return r ? r->name : NULL;
}

bool fw_status_by_name(const char *name, NTSTATUS *out) {
  for (size_t i = 0; i < N_STATUS_ROWS; i++) {
    if (strcmp(status_rows[i].name, name) == 0) {
      *out = status_rows[i].status;
      return true;
    }
  }
  return false;
}

typedef struct error_name {
  DWORD code;
  const char *name;
} error_name_t;

#define E(x) {(DWORD)(x), #x},
static const error_name_t error_names[] = {FW_ERROR_NAMES(E)};
#undef E

const char *fw_error_name(DWORD err) {
  for (size_t i = 0; i < sizeof error_names / sizeof error_names[0]; i++)
    if (error_names[i].code == err) return error_names[i].name;
  return NULL;
}

bool fw_error_by_name(const char *name, DWORD *out) {
  /* the Winsock aliases of Win32 codes */
  static const error_name_t aliases[] = {{WSA_IO_PENDING, "WSA_IO_PENDING"},
                                         {WSA_IO_INCOMPLETE, "WSA_IO_INCOMPLETE"},
                                         {WSA_OPERATION_ABORTED, "WSA_OPERATION_ABORTED"},
                                         {WSA_INVALID_PARAMETER, "WSA_INVALID_PARAMETER"},
                                         {WSA_INVALID_HANDLE, "WSA_INVALID_HANDLE"},
                                         {WSA_NOT_ENOUGH_MEMORY, "WSA_NOT_ENOUGH_MEMORY"}};
  for (size_t i = 0; i < sizeof error_names / sizeof error_names[0]; i++) {
    if (strcmp(error_names[i].name, name) == 0) {
      *out = error_names[i].code;
      return true;
    }
  }
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
    if (strcmp(aliases[i].name, name) == 0) {
      *out = aliases[i].code;
      return true;
    }
  }
  return false;
}

static DWORD family_error(fw_io_family_t fam, NTSTATUS s) {
  return fam == FW_IO_WINSOCK ? fw_nt_to_wsa(s) : fw_nt_to_win32(s);
}

/* ---- world state ------------------------------------------------------------------ */

static struct {
  fw_io_req_t *all_head, *all_tail; /* every live request */
  uint64_t seq;
  fw_io_sync_wait_t *sync_head, *sync_tail; /* every synchronous waiter */
  fw_io_req_t *rule_waiters;                /* FW_WHEN_AFTER_RULE */
} IO;

enum { WAKE_SYNC_IO = FW_WAKE_CUSTOM + 0 };

void fw_io_world_start(void) {
  memset(&IO, 0, sizeof IO);
}

/* Requests still alive belong to abandoned fibers or never completed: free
 * their memory.  Objects may be gone already, so nothing but the request
 * itself is touched. */
void fw_io_world_end(void) {
  fw_io_req_t *r = IO.all_head;
  while (r != NULL) {
    fw_io_req_t *next = r->all_next;
    if (r->ops && r->ops->release) r->ops->release(r);
    free(r);
    r = next;
  }
  memset(&IO, 0, sizeof IO);
}

/* ---- tracing ---------------------------------------------------------------------------- */

/* One event per completion delivered: object serial, OVERLAPPED (NULL or
 * not), status, bytes, whether a packet was queued and whether it happened
 * inside the call. */
static void trace_completion(const fw_io_req_t *req, NTSTATUS status, DWORD bytes, bool queued,
                             bool immediate) {
  static sim_tracepoint_t tp = {"IoCompletion",
                                {{"object", 'u'},
                                 {"ov", 'p'},
                                 {"status", 'x'},
                                 {"bytes", 'u'},
                                 {"packet", 'u'},
                                 {"immediate", 'u'}},
                                'u',
                                0};
  sim_trace_call(&tp,
                 (const uint64_t[SIM_TRACE_MAX_ARGS]){req->issued_on->obj.serial, FW_P(req->ov),
                                                      (uint32_t)status, bytes, queued, immediate},
                 req->seq, 0);
}

/* One event per request made: object serial, OVERLAPPED (NULL or not), the
 * fault site (fw_site_t: which API issued it), and the request's sequence
 * number as the result; the request's IoCompletion carries the same number,
 * so a trace reader can link a submit to its completion (docs/trace.md). */
static void trace_request(const fw_io_req_t *req) {
  static sim_tracepoint_t tp = {"IoRequest", {{"object", 'u'}, {"ov", 'p'}, {"site", 'u'}}, 'u', 0};
  sim_trace_call(&tp,
                 (const uint64_t[SIM_TRACE_MAX_ARGS]){req->issued_on->obj.serial, FW_P(req->ov),
                                                      (uint64_t)req->site},
                 req->seq, 0);
}

/* ---- objects ------------------------------------------------------------------------------ */

void fw_io_obj_init(fw_io_obj_t *io, fw_type_t type, const fw_obj_ops_t *ops, bool overlapped) {
  memset((char *)io + sizeof io->obj, 0, sizeof *io - sizeof io->obj);
  fw_obj_init(&io->obj, type, ops);
  io->overlapped = overlapped;
}

bool fw_io_obj_is_signaled(fw_obj_t *o, fw_thread_t *t) {
  (void)t;
  return ((fw_io_obj_t *)o)->signaled;
}

/* A file object is a notification object: satisfying a wait leaves it set. */
bool fw_io_obj_acquire(fw_obj_t *o, fw_thread_t *t) {
  (void)o;
  (void)t;
  return false;
}

void fw_io_obj_release(fw_io_obj_t *io) {
  if (io->port != NULL) {
    fw_port_unref(io->port);
    io->port = NULL;
  }
}

DWORD fw_io_obj_get(HANDLE h, fw_io_obj_t **out) {
  fw_obj_t *o;
  *out = NULL;
  if (fw_handle_get(h, FW_TYPE_ANY, false, &o) != 0 || !fw_type_is_io(o->type))
    return ERROR_INVALID_HANDLE;
  *out = (fw_io_obj_t *)o;
  return 0;
}

/* ---- requests ------------------------------------------------------------------------------- */

fw_io_req_t *fw_io_req_new(fw_io_obj_t *issued_on, fw_op_t op, fw_site_t site,
                           fw_io_family_t family, LPOVERLAPPED ov, const fw_io_req_ops_t *ops,
                           size_t size) {
  if (size < sizeof(fw_io_req_t)) size = sizeof(fw_io_req_t);
  fw_io_req_t *r = calloc(1, size);
  if (r == NULL) abort();
  r->issued_on = issued_on;
  fw_obj_ref(&issued_on->obj);
  if (sim_in_fiber()) {
    r->thread = fw_thread_current();
    fw_obj_ref(&r->thread->obj);
  }
  r->ov = ov;
  r->op = op;
  r->site = site;
  r->family = family;
  r->ops = ops;
  r->state = FW_REQ_NEW;
  r->seq = ++IO.seq;
  trace_request(r);
  sim_timer_init(&r->timer);
  r->all_prev = IO.all_tail;
  if (IO.all_tail)
    IO.all_tail->all_next = r;
  else
    IO.all_head = r;
  IO.all_tail = r;
  return r;
}

static void rule_wait_remove(fw_io_req_t *req) {
  if (req->wait_rule == 0) return;
  for (fw_io_req_t **pp = &IO.rule_waiters; *pp != NULL; pp = &(*pp)->rule_next) {
    if (*pp == req) {
      *pp = req->rule_next;
      break;
    }
  }
  req->rule_next = NULL;
  req->wait_rule = 0;
}

/* Requests pending in the whole world (fw_world_pending_io). */
static uint32_t world_pending;
static void pending_reset(void *arg) {
  (void)arg;
  world_pending = 0;
}
static sim_hook_t pending_hook = {.world_start = pending_reset};
__attribute__((constructor)) static void fw_io_register_hook(void) {
  fw_subsystem_add(&pending_hook);
}
uint32_t fw_world_pending_io(void) {
  return world_pending;
}

static void pend_unlink(fw_io_req_t *req) {
  if (req->state != FW_REQ_PENDING) return;
  fw_io_obj_t *io = req->issued_on;
  if (req->prev)
    req->prev->next = req->next;
  else
    io->pend_head = req->next;
  if (req->next)
    req->next->prev = req->prev;
  else
    io->pend_tail = req->prev;
  req->prev = req->next = NULL;
  io->n_pending--;
  world_pending--;
}

static void req_free(fw_io_req_t *req) {
  sim_timer_cancel(&req->timer);
  rule_wait_remove(req);
  if (req->all_prev)
    req->all_prev->all_next = req->all_next;
  else
    IO.all_head = req->all_next;
  if (req->all_next)
    req->all_next->all_prev = req->all_prev;
  else
    IO.all_tail = req->all_prev;
  if (req->ops && req->ops->release) req->ops->release(req);
  fw_obj_unref(&req->issued_on->obj);
  if (req->thread) fw_obj_unref(&req->thread->obj);
  free(req);
}

static HANDLE ov_event(const OVERLAPPED *ov) {
  return ov ? (HANDLE)((uintptr_t)ov->hEvent & ~(uintptr_t)1) : NULL;
}
static bool ov_no_packet(const OVERLAPPED *ov) {
  return ov != NULL && ((uintptr_t)ov->hEvent & 1u) != 0;
}

void fw_io_start(fw_io_req_t *req) {
  if (req->state != FW_REQ_NEW)
    sim_fail(SIM_STATUS_INVARIANT, "fakewin: request #%llu started twice",
             (unsigned long long)req->seq);
  fw_io_obj_t *io = req->issued_on;
  fw_io_mark_pending(req->ov);
  HANDLE ev = req->routine ? NULL : ov_event(req->ov);
  if (ev != NULL) (void)fw_event_reset_handle(ev);
  io->signaled = false;
  req->state = FW_REQ_PENDING;
  req->prev = io->pend_tail;
  req->next = NULL;
  if (io->pend_tail)
    io->pend_tail->next = req;
  else
    io->pend_head = req;
  io->pend_tail = req;
  io->n_pending++;
  world_pending++;
}

/* Writes the result and notifies: OVERLAPPED fields first (F17), then the
 * event, the handle object (F13) and the packet (F10/F11/F14).  Returns
 * whether a packet was queued. */
static bool deliver(fw_io_req_t *req, NTSTATUS status, DWORD bytes, bool immediate) {
  fw_io_obj_t *io = req->issued_on;
  LPOVERLAPPED ov = req->ov;
  if (ov != NULL) {
    /* F52: a zero-extended 32-bit NTSTATUS */
    ov->Internal = (ULONG_PTR)(uint32_t)status;
    ov->InternalHigh = bytes;
  }
  HANDLE ev = req->routine ? NULL : ov_event(ov);
  if (ev != NULL) (void)fw_event_set_handle(ev);
  if (!(io->notify_modes & FILE_SKIP_SET_EVENT_ON_HANDLE)) {
    io->signaled = true;
    fw_obj_signal(&io->obj);
  }
  if (req->routine != NULL) fw_thread_queue_routine(req->thread, req->routine, status, bytes, ov);
  bool packet = io->port != NULL && ov != NULL && !ov_no_packet(ov) &&
                !(immediate && (io->notify_modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
  if (packet) fw_port_queue(io->port, io->key, ov, status, bytes);
  trace_completion(req, status, bytes, packet, immediate);
  return packet;
}

DWORD fw_io_finish_immediate(fw_io_req_t *req, NTSTATUS status, DWORD bytes) {
  pend_unlink(req);
  req->state = FW_REQ_DONE;
  DWORD err = 0;
  if (!fw_nt_is_error(status) && req->ov != NULL && req->issued_on->overlapped &&
      (fw_world_timing() & FW_TIMING_PENDING_DONE) && sim_decide(SIM_DECIDE_TIMING, 2, NULL) == 1) {
    /* F12: the call says ERROR_IO_PENDING although the request is already
     * complete; the result is in the OVERLAPPED and the packet follows,
     * whatever the skip mode (to the caller this is a pending request) */
    deliver(req, status, bytes, false);
    req_free(req);
    return ERROR_IO_PENDING;
  }
  if (fw_nt_is_error(status)) {
    /* F10d/F15: an error inside the call touches nothing */
    err = family_error(req->family, status);
    trace_completion(req, status, 0, false, true);
  } else {
    deliver(req, status, bytes, true);
    if (fw_nt_is_warning(status)) err = family_error(req->family, status);
  }
  req_free(req);
  return err;
}

DWORD fw_io_fail_immediate(fw_io_req_t *req, DWORD err) {
  pend_unlink(req);
  req->state = FW_REQ_DONE;
  req_free(req);
  return err;
}

void fw_io_complete(fw_io_req_t *req, NTSTATUS status, DWORD bytes) {
  if (req->state != FW_REQ_PENDING)
    sim_fail(SIM_STATUS_INVARIANT, "fakewin: request #%llu completed while not pending",
             (unsigned long long)req->seq);
  pend_unlink(req);
  req->state = FW_REQ_DONE;
  deliver(req, status, bytes, false);
  req_free(req);
}

fw_io_req_t *fw_io_find(fw_io_obj_t *io, LPOVERLAPPED ov) {
  FW_IO_FOREACH_PENDING(io, r) {
    if (r->ov == ov) return r;
  }
  return NULL;
}

NTSTATUS fw_io_close_status(const fw_io_req_t *req) {
  if (req->issued_on->obj.type != FW_TYPE_SOCKET) return STATUS_CANCELLED;
  switch (req->op) {
    case FW_OP_RECV:
      /* F40 (Vista+); W2: Wine reports the handle closed */
      return (NTSTATUS)fw_pers()->close_recv_status;
    case FW_OP_SEND:
      /* W3: Wine's late packet says STATUS_INVALID_HANDLE (its delay is not
       * reproduced) */
      return (NTSTATUS)fw_pers()->close_send_status;
    case FW_OP_DISCONNECT:
      return STATUS_CONNECTION_ABORTED;
    default:
      /* F33: AcceptEx; ConnectEx and the rest are plain cancellations */
      return STATUS_CANCELLED;
  }
}

/* A forced completion from the fault plan delivered now. */
static void forced_complete(fw_io_req_t *req) {
  if (req->ops && req->ops->detach) (void)req->ops->detach(req);
  NTSTATUS s = req->forced_status;
  DWORD b = req->forced_bytes;
  if (req->ops && req->ops->forced) req->ops->forced(req, &s, &b);
  fw_io_complete(req, s, b);
}

static void forced_timer(void *arg) {
  fw_io_req_t *req = arg;
  if (req->state == FW_REQ_PENDING) forced_complete(req);
}

bool fw_io_cancel_req(fw_io_req_t *req, NTSTATUS status) {
  if (req->state != FW_REQ_PENDING) return false;
  sim_timer_cancel(&req->timer);
  rule_wait_remove(req);
  switch (req->race) {
    case FW_RACE_COMPLETE_FIRST:
      /* F38: it finished just before the cancel looked */
      forced_complete(req);
      return false;
    case FW_RACE_CANCEL_LATE:
      /* F38's other interleaving: the cancel was accepted, the I/O won */
      forced_complete(req);
      return true;
    default: {
      DWORD bytes = req->ops && req->ops->detach ? req->ops->detach(req) : 0;
      fw_io_complete(req, status, bytes);
      return true;
    }
  }
}

/* The pending requests of io (filtered by thread when t != NULL) in an
 * order drawn with SIM_DECIDE_COMPLETION_ORDER: Windows walks its own IRP
 * lists when it cancels or closes, and promises no order among the packets
 * that produces.  Returns a malloc'd array (NULL when n == 0). */
static bool snapshot_takes(const fw_io_req_t *r, const fw_thread_t *t) {
  /* a request on a synchronous handle belongs to a thread blocked in the
   * call: it is cancelled through that thread's wait (F42), never here */
  return r->issued_on->overlapped && (t == NULL || r->thread == t);
}

static fw_io_req_t **pending_snapshot(fw_io_obj_t *io, fw_thread_t *t, uint32_t *n_out) {
  uint32_t n = 0;
  FW_IO_FOREACH_PENDING(io, r) {
    if (snapshot_takes(r, t)) n++;
  }
  *n_out = n;
  if (n == 0) return NULL;
  fw_io_req_t **v = malloc(n * sizeof *v);
  if (v == NULL) abort();
  uint32_t i = 0;
  FW_IO_FOREACH_PENDING(io, r) {
    if (snapshot_takes(r, t)) v[i++] = r;
  }
  /* choice 0 at every step keeps issue order */
  for (i = 0; i + 1 < n; i++) {
    uint32_t j = i + sim_decide(SIM_DECIDE_COMPLETION_ORDER, n - i, NULL);
    fw_io_req_t *x = v[i];
    v[i] = v[j];
    v[j] = x;
  }
  return v;
}

void fw_io_obj_handle_closed(fw_io_obj_t *io) {
  io->closed = true;
  uint32_t n;
  fw_io_req_t **v = pending_snapshot(io, NULL, &n);
  for (uint32_t i = 0; i < n; i++) {
    /* completing one request may have completed others through the owner */
    if (v[i]->state == FW_REQ_PENDING && v[i]->issued_on == io)
      fw_io_cancel_req(v[i], fw_io_close_status(v[i]));
  }
  free(v);
}

/* ---- fault outcomes on requests -----------------------------------------------------------------
 */

void fw_io_rule_fired(uint32_t rule_id) {
  for (fw_io_req_t **pp = &IO.rule_waiters; *pp != NULL;) {
    fw_io_req_t *r = *pp;
    if (r->wait_rule == rule_id) {
      *pp = r->rule_next;
      r->rule_next = NULL;
      r->wait_rule = 0;
      /* at the next scheduling point: the firing call is still running */
      sim_timer_arm(&r->timer, sim_now(), forced_timer, r);
    } else {
      pp = &r->rule_next;
    }
  }
}

DWORD fw_io_apply_fault(fw_io_req_t *req, const fw_fault_t *f, DWORD *bytes_out) {
  switch (f->outcome) {
    case FW_FAULT_SUCCESS: {
      NTSTATUS s = f->status;
      DWORD b =
          f->bytes_draw ? sim_decide(SIM_DECIDE_SHORT_TRANSFER, f->bytes + 1u, NULL) : f->bytes;
      if (req->ops && req->ops->forced) req->ops->forced(req, &s, &b);
      DWORD err = fw_io_finish_immediate(req, s, b);
      if (bytes_out) *bytes_out = b;
      return err;
    }
    case FW_FAULT_ERROR: {
      bool reads =
          req->op == FW_OP_RECV || req->op == FW_OP_READ || fw_site_message_reads(req->site);
      if (reads && (f->error == ERROR_MORE_DATA || f->error == WSAEMSGSIZE)) {
        /* the immediate warning: truncated message or datagram (F25, F29) */
        NTSTATUS s = STATUS_BUFFER_OVERFLOW;
        DWORD b = f->bytes;
        if (req->ops && req->ops->forced) req->ops->forced(req, &s, &b);
        if (bytes_out) *bytes_out = b;
        (void)fw_io_finish_immediate(req, s, b);
        return f->error;
      }
      return fw_io_fail_immediate(req, f->error);
    }
    case FW_FAULT_PENDING:
    case FW_FAULT_COMPLETE_BEFORE_CANCEL:
    case FW_FAULT_CANCEL_TOO_LATE:
    case FW_FAULT_CANCEL_WINS: {
      req->fault_rule = f->rule;
      req->forced_status = f->status;
      req->forced_bytes = f->bytes;
      req->race = f->outcome == FW_FAULT_COMPLETE_BEFORE_CANCEL ? FW_RACE_COMPLETE_FIRST
                  : f->outcome == FW_FAULT_CANCEL_TOO_LATE      ? FW_RACE_CANCEL_LATE
                                                                : FW_RACE_NONE;
      fw_fault_when_t when = f->when;
      if (f->outcome == FW_FAULT_CANCEL_WINS) when = FW_WHEN_NEVER;
      if (when == FW_WHEN_DEFAULT && req->race != FW_RACE_NONE) when = FW_WHEN_NEVER;
      switch (when) {
        case FW_WHEN_NOW:
          /* F12: already complete when the caller sees ERROR_IO_PENDING */
          forced_complete(req);
          break;
        case FW_WHEN_DEFAULT:
          sim_timer_arm(&req->timer, sim_now(), forced_timer, req);
          break;
        case FW_WHEN_AT:
          sim_timer_arm(&req->timer, f->time_ns, forced_timer, req);
          break;
        case FW_WHEN_AFTER:
          sim_timer_arm(&req->timer, sim_now() + f->time_ns, forced_timer, req);
          break;
        case FW_WHEN_AFTER_RULE:
          if (f->after_rule_id != 0) {
            req->wait_rule = f->after_rule_id;
            req->rule_next = IO.rule_waiters;
            IO.rule_waiters = req;
          }
          break;
        case FW_WHEN_NEVER:
          break;
      }
      return ERROR_IO_PENDING;
    }
    default:
      sim_fail(SIM_STATUS_CRASH, "fakewin: fault outcome %d of rule %u is not a request outcome",
               (int)f->outcome, f->rule);
  }
}

/* ---- synchronous blocking I/O (F42)
 * ------------------------------------------------------------------ */

static void sync_describe(void *ctx, char *buf, size_t len) {
  fw_io_sync_wait_t *w = ctx;
  snprintf(buf, len, "synchronous I/O on %s #%u", w->io->obj.ops->type_name, w->io->obj.serial);
}

static void sync_link(fw_io_sync_wait_t *w, fw_thread_t *t, fw_io_obj_t *io) {
  memset(w, 0, sizeof *w);
  w->thread = t;
  w->io = io;
  w->prev = io->sync_tail;
  if (io->sync_tail)
    io->sync_tail->next = w;
  else
    io->sync_head = w;
  io->sync_tail = w;
  w->g_prev = IO.sync_tail;
  if (IO.sync_tail)
    IO.sync_tail->g_next = w;
  else
    IO.sync_head = w;
  IO.sync_tail = w;
  fw_obj_ref(&io->obj);
}

static void sync_unlink(fw_io_sync_wait_t *w) {
  fw_io_obj_t *io = w->io;
  if (w->prev)
    w->prev->next = w->next;
  else
    io->sync_head = w->next;
  if (w->next)
    w->next->prev = w->prev;
  else
    io->sync_tail = w->prev;
  if (w->g_prev)
    w->g_prev->g_next = w->g_next;
  else
    IO.sync_head = w->g_next;
  if (w->g_next)
    w->g_next->g_prev = w->g_prev;
  else
    IO.sync_tail = w->g_prev;
  fw_obj_unref(&io->obj);
}

DWORD fw_io_sync_block(fw_io_obj_t *io, const char *call, uint64_t timeout_ns) {
  return fw_io_sync_block_many(&io, 1, call, timeout_ns);
}

/* One wait record per object, all for the calling thread: whichever object
 * changes first releases the thread; the other records then find it no
 * longer blocked and leave it alone (sync_release). */
DWORD fw_io_sync_block_many(fw_io_obj_t *const *ios, size_t n, const char *call,
                            uint64_t timeout_ns) {
  fw_thread_t *t = fw_thread_current();
  fw_io_sync_wait_t one, *w = n == 1 ? &one : calloc(n, sizeof *w);
  if (w == NULL) sim_fail(SIM_STATUS_CRASH, "fakewin: out of memory in %s", call);
  for (size_t i = 0; i < n; i++) sync_link(&w[i], t, ios[i]);
  sim_wake_t wk = sim_block(call, timeout_ns, sync_describe, &w[0]);
  bool cancelled = false;
  for (size_t i = 0; i < n; i++) {
    cancelled |= w[i].cancelled;
    sync_unlink(&w[i]);
  }
  if (w != &one) free(w);
  if (cancelled) return ERROR_OPERATION_ABORTED;
  if (wk.reason == SIM_WAKE_TIMEOUT) return WAIT_TIMEOUT;
  return 0;
}

/* Releases one waiter; a waiter whose wake-up is already under way (data
 * came, or its timeout fired) is left alone: the I/O is no longer waiting. */
static bool sync_release(fw_io_sync_wait_t *w, bool cancel) {
  if (w->woken || sim_fiber_state(w->thread->fiber) != SIM_FIBER_BLOCKED) return false;
  w->woken = true;
  w->cancelled = cancel;
  sim_wake(w->thread->fiber, WAKE_SYNC_IO, 0);
  return true;
}

bool fw_io_sync_cancelled(const fw_io_req_t *req) {
  if (req->issued_on->overlapped) return false;
  for (const fw_io_sync_wait_t *w = req->issued_on->sync_head; w != NULL; w = w->next)
    if (w->thread == req->thread && w->woken && w->cancelled) return true;
  return false;
}

void fw_io_sync_wake_all(fw_io_obj_t *io) {
  if (io->changed != NULL) io->changed(io);
  for (fw_io_sync_wait_t *w = io->sync_head; w != NULL; w = w->next) (void)sync_release(w, false);
}

/* ---- cancellation
 * --------------------------------------------------------------------------------------- */

DWORD fw_io_cancel_ex(fw_io_obj_t *io, LPOVERLAPPED ov) {
  if (ov != NULL) {
    fw_io_req_t *r = fw_io_find(io, ov);
    /* F36: not pending (never issued, completed, already cancelled) */
    if (r == NULL) return ERROR_NOT_FOUND;
    if (!io->overlapped) {
      /* synchronous I/O with an OVERLAPPED (offsets): release its thread */
      for (fw_io_sync_wait_t *w = io->sync_head; w != NULL; w = w->next)
        if (w->thread == r->thread && sync_release(w, true)) return 0;
      return ERROR_NOT_FOUND;
    }
    return fw_io_cancel_req(r, STATUS_CANCELLED) ? 0 : ERROR_NOT_FOUND;
  }
  /* F37: every pending operation of the handle, from every thread */
  uint32_t n, cancelled = 0;
  fw_io_req_t **v = pending_snapshot(io, NULL, &n);
  for (uint32_t i = 0; i < n; i++) {
    if (v[i]->state == FW_REQ_PENDING && v[i]->issued_on == io &&
        fw_io_cancel_req(v[i], STATUS_CANCELLED))
      cancelled++;
  }
  free(v);
  /* F42: and the threads blocked in synchronous I/O on it */
  for (fw_io_sync_wait_t *w = io->sync_head; w != NULL; w = w->next)
    cancelled += sync_release(w, true);
  if (cancelled > 0) return 0;
  return fw_pers()->cancelioex_null_idle_succeeds ? 0 : ERROR_NOT_FOUND; /* W1 */
}

BOOL fw_CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped) {
  static sim_tracepoint_t tp = {"CancelIoEx", {{"h", 'x'}, {"ov", 'p'}}, 0, 0};
  fw_thread_t *t = fw_enter("CancelIoEx");
  fw_io_obj_t *io;
  DWORD err = fw_io_obj_get(hFile, &io);
  if (err == 0) err = fw_io_cancel_ex(io, lpOverlapped);
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(hFile), FW_P(lpOverlapped));
  return err == 0;
}

BOOL fw_CancelIo(HANDLE hFile) {
  static sim_tracepoint_t tp = {"CancelIo", {{"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("CancelIo");
  fw_io_obj_t *io;
  DWORD err = fw_io_obj_get(hFile, &io);
  if (err == 0) {
    /* F39: only what the calling thread issued on this handle; F36: TRUE
     * even when that is nothing */
    uint32_t n;
    fw_io_req_t **v = pending_snapshot(io, t, &n);
    for (uint32_t i = 0; i < n; i++)
      if (v[i]->state == FW_REQ_PENDING && v[i]->issued_on == io)
        (void)fw_io_cancel_req(v[i], STATUS_CANCELLED);
    free(v);
  } else {
    fw_set_error(t, err);
  }
  FW_TRACE(&tp, t, err == 0, FW_P(hFile));
  return err == 0;
}

BOOL fw_CancelSynchronousIo(HANDLE hThread) {
  static sim_tracepoint_t tp = {"CancelSynchronousIo", {{"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("CancelSynchronousIo");
  fw_obj_t *o;
  DWORD err = fw_handle_get(hThread, FW_TYPE_THREAD, true, &o);
  if (err == 0) {
    err = ERROR_NOT_FOUND; /* F42: nothing pending */
    for (fw_io_sync_wait_t *w = IO.sync_head; w != NULL; w = w->g_next) {
      if (&w->thread->obj == o && sync_release(w, true)) {
        err = 0;
        break;
      }
    }
  }
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(hThread));
  return err == 0;
}

/* ---- results
 * -------------------------------------------------------------------------------------------- */

/* Waits for a pending OVERLAPPED on its event (low bit masked) or, without
 * one, on the file object itself.  Returns 0 or the error of the call. */
static DWORD wait_overlapped(fw_thread_t *t, const char *call, HANDLE h, LPOVERLAPPED ov, DWORD ms,
                             bool alertable) {
  fw_obj_t *o;
  HANDLE ev = ov_event(ov);
  if (ev != NULL) {
    if (fw_handle_get(ev, FW_TYPE_ANY, true, &o) != 0) return ERROR_INVALID_HANDLE;
  } else {
    fw_io_obj_t *io;
    if (fw_io_obj_get(h, &io) != 0) return ERROR_INVALID_HANDLE;
    o = &io->obj;
  }
  fw_obj_ref(o);
  DWORD r = fw_wait_objects(t, call, 1, &o, false, ms, alertable);
  fw_obj_unref(o);
  switch (r) {
    case WAIT_OBJECT_0:
      return 0;
    case WAIT_TIMEOUT:
      return WAIT_TIMEOUT;
    case WAIT_IO_COMPLETION:
      return WAIT_IO_COMPLETION;
    default:
      return ERROR_INVALID_HANDLE;
  }
}

/* GetOverlappedResult(Ex): F18, W18.  ms == 0 never waits (bWait FALSE). */
static BOOL overlapped_result(fw_thread_t *t, const char *call, HANDLE h, LPOVERLAPPED ov,
                              LPDWORD n, DWORD ms, bool alertable) {
  if (ov == NULL) {
    fw_set_error(t, ERROR_INVALID_PARAMETER);
    return FALSE;
  }
  NTSTATUS s = (NTSTATUS)(uint32_t)ov->Internal;
  if (s == STATUS_PENDING) {
    /* F18: no wait, no validation of h, n untouched */
    if (ms == 0) {
      fw_set_error(t, ERROR_IO_INCOMPLETE);
      return FALSE;
    }
    DWORD err = wait_overlapped(t, call, h, ov, ms, alertable);
    if (err != 0) {
      fw_set_error(t, err);
      return FALSE;
    }
    s = (NTSTATUS)(uint32_t)ov->Internal;
    if (s == STATUS_PENDING) {
      /* the object was signalled by something else (another I/O on the
       * same handle): the operation is still running */
      fw_set_error(t, ERROR_IO_INCOMPLETE);
      return FALSE;
    }
  }
  if (n != NULL) *n = (DWORD)ov->InternalHigh;
  /* W18: Wine fails every non-zero status, informational ones included */
  bool ok = fw_pers()->gor_fails_informational ? s == STATUS_SUCCESS : s >= 0;
  if (!ok) fw_set_error(t, fw_nt_to_win32(s));
  return ok;
}

BOOL fw_GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                            LPDWORD lpNumberOfBytesTransferred, BOOL bWait) {
  static sim_tracepoint_t tp = {
      "GetOverlappedResult", {{"h", 'x'}, {"ov", 'p'}, {"wait", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter("GetOverlappedResult");
  BOOL ok = overlapped_result(t, "GetOverlappedResult", hFile, lpOverlapped,
                              lpNumberOfBytesTransferred, bWait ? INFINITE : 0, false);
  FW_TRACE(&tp, t, ok, FW_P(hFile), FW_P(lpOverlapped), (uint64_t)(bWait != 0));
  return ok;
}

BOOL fw_GetOverlappedResultEx(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                              LPDWORD lpNumberOfBytesTransferred, DWORD dwMilliseconds,
                              BOOL bAlertable) {
  static sim_tracepoint_t tp = {
      "GetOverlappedResultEx", {{"h", 'x'}, {"ov", 'p'}, {"ms", 'u'}, {"alertable", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter("GetOverlappedResultEx");
  BOOL ok = overlapped_result(t, "GetOverlappedResultEx", hFile, lpOverlapped,
                              lpNumberOfBytesTransferred, dwMilliseconds, bAlertable != 0);
  FW_TRACE(&tp, t, ok, FW_P(hFile), FW_P(lpOverlapped), dwMilliseconds,
           (uint64_t)(bAlertable != 0));
  return ok;
}

BOOL fw_WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                               BOOL fWait, LPDWORD lpdwFlags) {
  static sim_tracepoint_t tp = {
      "WSAGetOverlappedResult", {{"s", 'x'}, {"ov", 'p'}, {"wait", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter("WSAGetOverlappedResult");
  HANDLE h = (HANDLE)(uintptr_t)s;
  fw_obj_t *o;
  BOOL ok = FALSE;
  DWORD err = 0;
  if (fw_handle_get(h, FW_TYPE_SOCKET, false, &o) != 0) {
    /* F18: the socket is validated first, whatever the OVERLAPPED holds */
    err = WSAENOTSOCK;
  } else if (lpOverlapped == NULL) {
    err = WSA_INVALID_PARAMETER;
  } else {
    NTSTATUS st = (NTSTATUS)(uint32_t)lpOverlapped->Internal;
    if (st == STATUS_PENDING) {
      err = fWait ? wait_overlapped(t, "WSAGetOverlappedResult", h, lpOverlapped, INFINITE, false)
                  : WSA_IO_INCOMPLETE;
      st = (NTSTATUS)(uint32_t)lpOverlapped->Internal;
      if (err == 0 && st == STATUS_PENDING) err = WSA_IO_INCOMPLETE;
    }
    if (err == 0) {
      if (lpcbTransfer != NULL) *lpcbTransfer = (DWORD)lpOverlapped->InternalHigh;
      /* F51: informational statuses succeed here */
      err = fw_nt_to_wsa(st);
      ok = err == 0;
      if (ok && lpdwFlags != NULL) *lpdwFlags = 0;
      if (!ok && lpdwFlags != NULL && fw_pers()->wsagor_failure_writes_flags) *lpdwFlags = 0;
    }
  }
  if (!ok) fw_set_error(t, err);
  FW_TRACE(&tp, t, ok, (uint64_t)s, FW_P(lpOverlapped), (uint64_t)(fWait != 0));
  return ok;
}

/* ---- notification modes (F10, F11, F13)
 * ------------------------------------------------------------------- */

BOOL fw_SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags) {
  static sim_tracepoint_t tp = {
      "SetFileCompletionNotificationModes", {{"h", 'x'}, {"flags", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("SetFileCompletionNotificationModes");
  fw_io_obj_t *io = NULL;
  DWORD err = fw_io_obj_get(FileHandle, &io);
  fw_fault_t f;
  if (fw_fault_check(FW_SITE_SetFileCompletionNotificationModes, FW_OP_CONTROL, FileHandle,
                     io ? &io->obj : NULL, &f) &&
      f.outcome == FW_FAULT_ERROR) {
    err = f.error; /* B31 */
  } else if (err == 0 && fw_pers()->sfcnm_checks_flags &&
             (Flags & ~(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE)) !=
                 0) {
    err = ERROR_INVALID_PARAMETER;
  } else if (err == 0) {
    /* modes are only ever added: they cannot be removed */
    io->notify_modes |= Flags;
  }
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(FileHandle), Flags);
  return err == 0;
}
