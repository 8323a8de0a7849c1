/* fw_io.h: the internal contract of fakewin's I/O half, shared by
 *
 *   fw_iocp.c     completion ports: CreateIoCompletionPort, GQCS(Ex), PQCS
 *   fw_io.c       overlapped requests, completion delivery, cancellation,
 *                 GetOverlappedResult(Ex), WSAGetOverlappedResult,
 *                 SetFileCompletionNotificationModes, the status tables
 *   fw_fault.c    the fault plan
 *   fw_world.c    the world configuration (fakewin/world/fw_world.h)
 *   fw_socket.c, fw_net.c                  (helper `net`)
 *   fw_file.c, fw_pipe.c, fw_console.c      (helper `files`)
 *
 * The model, in one paragraph.  Every file-like object (socket, file, pipe
 * end, console) starts with an fw_io_obj_t.  An overlapped call creates one
 * fw_io_req_t per OVERLAPPED in flight (fw_io_req_new + fw_io_start: the
 * OVERLAPPED gets STATUS_PENDING first, F15).  The owner of the object then
 * either finishes it inside the call (fw_io_finish_immediate: it decides,
 * from the status, what the call returns and whether a packet is queued,
 * F10/F11/F17/F20) or leaves it pending in its own wait queues and later
 * calls fw_io_complete (F16/F17).  Cancellation (F36-F39), closing (F40,
 * F33) and the fault plan's forced completions are done here; they call
 * back into the owner (req->ops->detach) so it can take the request out of
 * its queues first.  Everything here runs inside a world, on a fiber or in
 * a timed event; nothing here is a scheduling point unless it says so.
 *
 * Stability: helpers `net` and `files` code against this header; changes
 * are additive and announced in commit messages ("fw_io.h: ..."). */
#ifndef FAKEWIN_FW_IO_H
#define FAKEWIN_FW_IO_H

#include "fw_int.h"
/* NTSTATUS values typed NTSTATUS; fakewin's <ntstatus.h> may follow
 * <windows.h> without WIN32_NO_STATUS (see its header comment). */
#include <ntstatus.h>

/* The runner-facing header (personality, fw_op_t, fw_site_t, fault rules).
 * Named by its path: a plain "fw_world.h" from here would find
 * fakewin/src/fw_world.h first. */
#include "../world/fw_personality.h"
#include "../world/fw_world.h"

typedef struct fw_port fw_port_t;
typedef struct fw_io_obj fw_io_obj_t;
typedef struct fw_io_req fw_io_req_t;
typedef struct fw_io_req_ops fw_io_req_ops_t;
typedef struct fw_fault fw_fault_t;

/* ---- status helpers ------------------------------------------------------------- */

/* NTSTATUS severity: success/informational (>= 0), warning (0x8...), error (0xC...). */
static inline bool fw_nt_is_warning(NTSTATUS s) {
  return ((uint32_t)s >> 30) == 2u;
}
static inline bool fw_nt_is_error(NTSTATUS s) {
  return ((uint32_t)s >> 30) == 3u;
}

/* RtlNtStatusToDosError as GQCS and GetOverlappedResult apply it (F5, F18,
 * F50): the spec's constants table plus the usual rows for the statuses
 * fakewin produces; 0xC007xxxx (FACILITY_WIN32) gives xxxx; anything else
 * unknown gives ERROR_MR_MID_NOT_FOUND (317), as ntdll does. */
DWORD fw_nt_to_win32(NTSTATUS s);
/* The ws2_32 table WSAGetOverlappedResult applies (F50, sock.c map_status):
 * 0 for success and informational statuses; an error or warning status that
 * is not in the table gives WSAEINVAL. */
DWORD fw_nt_to_wsa(NTSTATUS s);
/* A status for a Win32 or Winsock error code: the first row of the table
 * whose mapping (Win32 or ws2) is `err`; 0 if none.  Used
 * by the fault plan to turn "error=WSAECONNRESET" into a completion status. */
NTSTATUS fw_status_for_error(DWORD err);
/* Names for traces and messages ("STATUS_CONNECTION_RESET", "WSAECONNRESET");
 * NULL if unknown.  by_name: 0 and false if unknown. */
const char *fw_status_name(NTSTATUS s);
const char *fw_error_name(DWORD err);
bool fw_status_by_name(const char *name, NTSTATUS *out);
bool fw_error_by_name(const char *name, DWORD *out);

/* ---- the I/O-capable object ------------------------------------------------------ */

/* Which family of APIs a request belongs to: decides how a warning status
 * is reported by the call itself (ERROR_MORE_DATA vs WSAEMSGSIZE) and which
 * table maps an immediate status to the call's error. */
typedef enum fw_io_family {
  FW_IO_KERNEL32 = 0, /* ReadFile, WriteFile, ConnectNamedPipe... : RtlNtStatusToDosError */
  FW_IO_WINSOCK = 1   /* WSARecv, AcceptEx, ConnectEx... : the ws2 table */
} fw_io_family_t;

/* Embedded first in every socket, file, pipe end and console object
 * (FW_TYPE_FILE / PIPE / SOCKET / CONSOLE): fakewin casts an fw_obj_t of
 * those types to fw_io_obj_t.  Fields are read by anyone, written only
 * through the functions below (the owner may set `overlapped` and
 * `close_status` after init). */
struct fw_io_obj {
  fw_obj_t obj;
  /* The access the handle was granted, generic rights mapped to the file
   * object's specific ones (FileAccessInformation); 0: not recorded (sockets,
   * console). */
  ACCESS_MASK granted;
  /* Association (F1-F3): one per object for its whole life; the port is
   * referenced by the association. */
  fw_port_t *port;
  ULONG_PTR key;
  /* Opened for overlapped I/O (FILE_FLAG_OVERLAPPED, WSA_FLAG_OVERLAPPED):
   * only such handles can be associated (F2: 87 otherwise). */
  bool overlapped;
  /* FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE;
   * bits are only ever added (F13). */
  UCHAR notify_modes;
  /* The handle object's own signalled state (F13): cleared when an I/O
   * starts, set when one completes unless FILE_SKIP_SET_EVENT_ON_HANDLE. */
  bool signaled;
  /* The last handle was closed (fw_io_obj_handle_closed ran). */
  bool closed;
  /* Requests issued on this object and still pending, in issue order. */
  fw_io_req_t *pend_head, *pend_tail;
  uint32_t n_pending;
  /* Threads blocked in synchronous I/O on this object (fw_io_sync_block). */
  struct fw_io_sync_wait *sync_head, *sync_tail;
  /* Called by fw_io_sync_wake_all, i.e. at every change of the object's
   * state that could unblock a waiter (data, FIN, reset, connection, room,
   * close); NULL: nobody watches.  WSAEventSelect records network events
   * here.  May run from a timed event: it must not block. */
  void (*changed)(fw_io_obj_t *io);
};

/* Initialises the object (fw_obj_init included: one reference, the
 * caller's).  ops->is_signaled / ops->acquire should be fw_io_obj_is_signaled
 * / fw_io_obj_acquire (a file object is a notification object: waits do not
 * consume it); ops->last_handle_closed must call fw_io_obj_handle_closed;
 * ops->destroy must call fw_io_obj_release before freeing. */
void fw_io_obj_init(fw_io_obj_t *io, fw_type_t type, const fw_obj_ops_t *ops, bool overlapped);
bool fw_io_obj_is_signaled(fw_obj_t *o, fw_thread_t *t);
bool fw_io_obj_acquire(fw_obj_t *o, fw_thread_t *t);
/* The last handle is gone: completes every request still pending on it with
 * its close status (fw_io_close_status; F40, F33 for AcceptEx), in an order
 * drawn with SIM_DECIDE_COMPLETION_ORDER (Windows does not promise one).
 * Owner-specific shutdown (a socket's FIN/RST to its peer, an AcceptEx on
 * another listener whose accept socket this is) is the owner's, before or
 * after this call.  Packets already queued stay queued (F8). */
void fw_io_obj_handle_closed(fw_io_obj_t *io);
/* Drops the association's reference on its port. */
void fw_io_obj_release(fw_io_obj_t *io);
/* The I/O object behind a handle: 0, or ERROR_INVALID_HANDLE for a bogus
 * handle or an object that is not file-like. */
DWORD fw_io_obj_get(HANDLE h, fw_io_obj_t **out);
static inline bool fw_type_is_io(fw_type_t t) {
  return t == FW_TYPE_FILE || t == FW_TYPE_PIPE || t == FW_TYPE_SOCKET || t == FW_TYPE_CONSOLE;
}

/* ---- requests ---------------------------------------------------------------------- */

typedef enum fw_io_req_state {
  FW_REQ_NEW = 0, /* created, not started */
  FW_REQ_PENDING, /* started (Internal = STATUS_PENDING), linked on issued_on */
  FW_REQ_DONE     /* completed; freed by the function that completed it */
} fw_io_req_state_t;

/* How the fault plan bends a pending request's cancellation (F38). */
typedef enum fw_io_race {
  FW_RACE_NONE = 0,
  FW_RACE_COMPLETE_FIRST, /* a cancel finds it completed (forced status/bytes) */
  FW_RACE_CANCEL_LATE     /* a cancel "succeeds" but it completes with forced status/bytes */
} fw_io_race_t;

/* Callbacks into the object's owner.  Every pointer may be NULL. */
struct fw_io_req_ops {
  /* fakewin is about to complete the request itself (cancel, close, a
   * forced completion of the fault plan): take it out of the owner's
   * queues.  Returns the bytes already transferred, reported with a
   * cancellation status (F24: a cancelled/reset send may carry a count);
   * for forced completions the return value is ignored. */
  DWORD (*detach)(fw_io_req_t *req);
  /* A forced completion (fault plan) is about to be delivered with
   * (*status, *bytes): the owner may perform the data side (copy up to
   * *bytes of real data into the caller's buffers, make an accept socket
   * connected...) and adjust *bytes (e.g. clamp to the buffer).  Not called
   * for cancellations. */
  void (*forced)(fw_io_req_t *req, NTSTATUS *status, DWORD *bytes);
  /* The request is being freed (after completion or at world end): free
   * owner memory hanging off it.  At world end this runs after objects may
   * already be gone: touch no object from here. */
  void (*release)(fw_io_req_t *req);
};

struct fw_io_req {
  fw_io_obj_t *issued_on; /* referenced; its association gives the key (F3) */
  fw_thread_t *thread;    /* issuing thread, referenced (CancelIo scope, F39) */
  LPOVERLAPPED ov;        /* NULL for synchronous requests without one */
  fw_op_t op;
  fw_site_t site;
  fw_io_family_t family;
  const fw_io_req_ops_t *ops;
  void *owner; /* free for the owner (e.g. the accept socket) */
  fw_io_req_state_t state;
  uint64_t seq;                     /* issue order in the world (reports, traces) */
  fw_io_req_t *prev, *next;         /* on issued_on's pending list */
  fw_io_req_t *all_prev, *all_next; /* every live request of the world */
  /* fault plan */
  fw_io_race_t race;
  NTSTATUS forced_status;
  DWORD forced_bytes;
  uint32_t fault_rule;    /* rule that made it pending, 0: none */
  sim_timer_t timer;      /* forced completion at a time */
  fw_io_req_t *rule_next; /* waiting for another rule to fire */
  uint32_t wait_rule;     /* that rule's id, 0: none */
  /* ReadFileEx/WriteFileEx: the completion routine, queued as an APC to the
   * issuing thread when the request completes (not when it fails inside the
   * call); the OVERLAPPED's hEvent is then the caller's, never touched. */
  LPOVERLAPPED_COMPLETION_ROUTINE routine;
};

/* Allocates a zeroed request of `size` bytes (>= sizeof(fw_io_req_t)); an
 * owner that needs more state embeds fw_io_req_t first in its own struct.
 * Takes references on issued_on and on the calling thread.  State NEW. */
fw_io_req_t *fw_io_req_new(fw_io_obj_t *issued_on, fw_op_t op, fw_site_t site,
                           fw_io_family_t family, LPOVERLAPPED ov, const fw_io_req_ops_t *ops,
                           size_t size);

/* F15 on its own: Internal = STATUS_PENDING.  For calls that fail before a
 * request exists (AcceptEx on a non-socket still writes it, F30). */
static inline void fw_io_mark_pending(LPOVERLAPPED ov) {
  if (ov != NULL) ov->Internal = (ULONG_PTR)(uint32_t)STATUS_PENDING;
}

/* Starts a request: Internal = STATUS_PENDING (F15), InternalHigh untouched
 * (F16), the hEvent (low bit masked, F14) reset as the I/O manager does at
 * submission, the handle object's signal cleared (F13), and the request
 * linked on issued_on.  State PENDING. */
void fw_io_start(fw_io_req_t *req);

/* The request finished inside the call with `status` and `bytes`.  Applies
 * F10/F11/F14/F17/F20 and tells the caller what to return:
 *   NT_SUCCESS(status): fields written, event set, handle signalled (unless
 *     skip-set-event), a packet unless FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
 *     or the low bit of hEvent; returns 0 - the call succeeds and writes
 *     *lpNumberOfBytes = bytes.
 *   warning (STATUS_BUFFER_OVERFLOW): fields written, event set, a packet
 *     unless skip-on-success (F10c/F11c) or the low bit; returns the call's
 *     error (ERROR_MORE_DATA / WSAEMSGSIZE by family) - the call fails; a
 *     kernel32 call writes *lpNumberOfBytesRead = bytes (F29), a Winsock
 *     call does not (F25).
 *   error: nothing written (Internal stays STATUS_PENDING, F15), no event,
 *     no packet; returns the mapped error - the call fails.
 * The request is freed in every case (req is invalid afterwards). */
DWORD fw_io_finish_immediate(fw_io_req_t *req, NTSTATUS status, DWORD bytes);

/* The request failed inside the call with a Win32/Winsock error that has no
 * status to report (argument checks after fw_io_start): frees it, writes
 * nothing more.  Returns err. */
DWORD fw_io_fail_immediate(fw_io_req_t *req, DWORD err);

/* A pending request completed (the owner has already taken it out of its
 * queues): Internal = status and InternalHigh = bytes are written first
 * (F17), then hEvent (masked) is set, then the handle object is signalled
 * (unless skip-set-event, F13), then exactly one packet is queued to
 * issued_on's port with issued_on's key (F3), unless the low bit of hEvent
 * is set (F14).  A pending request always gets its packet, skip mode or not
 * (F11b).  Frees the request. */
void fw_io_complete(fw_io_req_t *req, NTSTATUS status, DWORD bytes);

/* The status a request pending on a handle that is being closed completes
 * with (F40, F33, W2): AcceptEx STATUS_CANCELLED; socket receives and sends
 * STATUS_CONNECTION_ABORTED on Windows, STATUS_HANDLES_CLOSED (receives,
 * W2) / STATUS_INVALID_HANDLE (sends, W3 without its delay) under wine8;
 * everything else STATUS_CANCELLED. */
NTSTATUS fw_io_close_status(const fw_io_req_t *req);

/* Cancels one pending request now: detach, then complete with `status`
 * (normally STATUS_CANCELLED) and the byte count detach reported.  Honours
 * the fault plan's races: returns false when the request "had already
 * completed" (FW_RACE_COMPLETE_FIRST: completed with its forced result
 * instead, the cancel found nothing). */
bool fw_io_cancel_req(fw_io_req_t *req, NTSTATUS status);

/* The request the OVERLAPPED belongs to among those pending on io, or NULL. */
fw_io_req_t *fw_io_find(fw_io_obj_t *io, LPOVERLAPPED ov);

/* Iteration over io's pending requests in issue order (the owner's own
 * queues are its business; this is for reports and close handling). */
#define FW_IO_FOREACH_PENDING(io, r) for (fw_io_req_t *r = (io)->pend_head; r != NULL; r = r->next)

/* ---- synchronous blocking I/O (F42) ---------------------------------------------------- */

/* A request issued on a handle that is not overlapped is synchronous: its
 * thread is inside the call.  Cancel, CancelIo and close never complete such
 * a request themselves; they release the thread's fw_io_sync_block (which
 * returns ERROR_OPERATION_ABORTED) and the owner ends the request
 * (fw_io_fail_immediate / fw_io_finish_immediate). */

/* A thread blocked inside a synchronous call (ReadFile on a synchronous pipe,
 * ReadConsoleW, accept(), a blocking recv) waits in one of these, on its
 * stack.  CancelIoEx(h, NULL) on the object and CancelSynchronousIo on the
 * thread release it with ERROR_OPERATION_ABORTED. */
typedef struct fw_io_sync_wait {
  fw_thread_t *thread;
  fw_io_obj_t *io;
  struct fw_io_sync_wait *prev, *next;     /* on io */
  struct fw_io_sync_wait *g_prev, *g_next; /* world list (CancelSynchronousIo) */
  bool woken;
  bool cancelled;
} fw_io_sync_wait_t;

/* Blocks the calling thread until fw_io_sync_wake_all(io), a cancel, or the
 * timeout (virtual ns, SIM_NO_TIMEOUT for none).  A scheduling point.
 * Returns 0 when woken (re-check the condition and call again if needed),
 * ERROR_OPERATION_ABORTED when cancelled, WAIT_TIMEOUT on timeout.  `call`
 * names the API in deadlock reports. */
DWORD fw_io_sync_block(fw_io_obj_t *io, const char *call, uint64_t timeout_ns);
/* The same on several objects at once (select, WSAPoll): returns when any of
 * them changes (0), at the timeout (WAIT_TIMEOUT) or when one of the waits
 * is cancelled (ERROR_OPERATION_ABORTED). */
DWORD fw_io_sync_block_many(fw_io_obj_t *const *ios, size_t n, const char *call,
                            uint64_t timeout_ns);
/* Wakes every thread blocked in synchronous I/O on io (data arrived, the
 * peer closed...).  Not a scheduling point; callable from timed events. */
void fw_io_sync_wake_all(fw_io_obj_t *io);
/* True when req is a synchronous request whose thread a cancel has released
 * and which has not run yet: the request is cancelled (F42), so an owner
 * that would now satisfy it with data ends it with STATUS_CANCELLED
 * instead, and the data stays for the next call. */
bool fw_io_sync_cancelled(const fw_io_req_t *req);

/* ---- cancellation entry points (also the Win32 calls in fw_io.c) ------------------------ */

/* CancelIoEx(h, ov) / (h, NULL) on an object: returns 0 or ERROR_NOT_FOUND
 * (F36-F38, W1 under wine8 for ov == NULL).  Also releases synchronous
 * waiters when ov == NULL (F42). */
DWORD fw_io_cancel_ex(fw_io_obj_t *io, LPOVERLAPPED ov);

/* ---- completion ports (fw_iocp.c) ----------------------------------------------------------- */

/* Queues one packet (status, information, key, ov) at the tail of the port
 * (FIFO, F8) and releases a waiting thread (the most recent waiter first,
 * LIFO, as Windows releases completion-port waiters).  Works on a port
 * whose handles are all closed (the packet is just never dequeued).  Not a
 * scheduling point; callable from timed events. */
void fw_port_queue(fw_port_t *port, ULONG_PTR key, LPOVERLAPPED ov, NTSTATUS status,
                   ULONG_PTR info);
/* The port a handle names, or NULL (not a port, closed, bogus). */
fw_port_t *fw_port_from_handle(HANDLE h);
void fw_port_ref(fw_port_t *port);
void fw_port_unref(fw_port_t *port);
/* Packets queued and not yet dequeued (tests, reports). */
uint32_t fw_port_depth(const fw_port_t *port);

/* ---- the world configuration as fakewin sees it (fw_world.c) ------------------------------- */

/* The running world's personality table (fw_personality.h): every
 * Windows-vs-Wine difference is a field of it, read where it matters. */
static inline const fw_personality_table_t *fw_pers(void) {
  return fw_personality_table((int)fw_world_personality());
}

/* Console script for fw_console.c: chunk i of the running world (NULL past
 * the end), with its units, count and the virtual time at which it becomes
 * readable. */
const uint16_t *fw_world_console_chunk(size_t i, size_t *n_units, uint64_t *ready_at_ns);
/* fw_console.c appends what the program writes. */
void fw_world_console_capture(int stream, const uint16_t *units, size_t n);

/* ---- the fault plan (fw_fault.c) ------------------------------------------------------------- */

/* What a fired rule asks the caller to do; `rule == 0` means no rule fired:
 * do the default. */
struct fw_fault {
  uint32_t rule; /* id of the rule that fired, 0: none */
  fw_fault_outcome_t outcome;
  DWORD error;     /* FW_FAULT_ERROR */
  NTSTATUS status; /* PENDING / SUCCESS / races: the completion status */
  DWORD bytes;     /* SUCCESS / PENDING / races / SHORT (cap) */
  bool bytes_draw; /* SHORT / SUCCESS: draw with SIM_DECIDE_SHORT_TRANSFER */
  fw_fault_when_t when;
  uint64_t time_ns;
  uint32_t after_rule_id; /* FW_WHEN_AFTER_RULE: resolved id */
  bool peer_scheduled;    /* PEER_*: fw_fault_check scheduled it already */
};

/* Consulted at every fault site before the default behaviour: matches the
 * plan against (site, op, handle, object), counts, draws probabilities
 * (SIM_DECIDE_FAULT) and, when a rule fires, traces a "fault" event and
 * fills *f.  Returns true when a rule fired.  `o` may be NULL (calls on
 * bogus handles still count against handle= rules).  PEER_FIN/PEER_RST
 * outcomes are already scheduled when this returns (fw_fault_schedule_peer
 * with the rule's handle= or h): the caller just does its default. */
bool fw_fault_check(fw_site_t site, fw_op_t op, HANDLE h, fw_obj_t *o, fw_fault_t *f);
/* A registered device site whose reads take whole messages
 * (fw_site_desc_t.message_reads). */
bool fw_site_message_reads(fw_site_t site);
/* GetProcAddress's site: matches proc= against the procedure name. */
bool fw_fault_check_proc(const char *proc, fw_fault_t *f);

/* Applies a fired rule's outcome to a started request (after fw_io_start):
 *   SUCCESS      -> fw_io_finish_immediate(req, status or 0, bytes)
 *   ERROR        -> warning statuses for ERROR_MORE_DATA/WSAEMSGSIZE reads,
 *                   otherwise fw_io_fail_immediate
 *   PENDING, COMPLETE_BEFORE_CANCEL, CANCEL_WINS, CANCEL_TOO_LATE
 *                -> stays pending, its completion scheduled per `when`
 *                   (FW_WHEN_NOW: completed before returning, F12); the
 *                   owner must not queue it where its data path could
 *                   complete it (detach and forced are still called)
 * Returns what the call reports: 0 (succeeded inside the call; *bytes_out
 * = bytes), ERROR_IO_PENDING, or an error code.  The request is consumed
 * unless ERROR_IO_PENDING is returned with the request still pending.
 * SHORT, PEER_*, NON_IFS and NULL are not request outcomes: the caller
 * handles them (fw_fault_short_cap, the peer hook). */
DWORD fw_io_apply_fault(fw_io_req_t *req, const fw_fault_t *f, DWORD *bytes_out);

/* SHORT: how many of `requested` bytes the call may move (>= 1 when
 * requested >= 1; a drawn count when bytes_draw). */
DWORD fw_fault_short_cap(const fw_fault_t *f, DWORD requested);

/* Peer FIN/RST are executed by the socket layer: it registers this hook at
 * world start (or once, from a constructor).  what: FW_FAULT_PEER_FIN or
 * FW_FAULT_PEER_RST.  h is the rule's handle= or the matched call's handle;
 * o the object it resolved to when the fault fired (referenced until the
 * hook returns), possibly NULL.  Runs in a timed event (no fiber). */
typedef void (*fw_peer_fault_fn)(fw_fault_outcome_t what, HANDLE h, fw_obj_t *o);
void fw_fault_set_peer_hook(fw_peer_fault_fn fn);
/* Schedules a peer FIN/RST from a fired rule against (h, o) at the rule's
 * time (at=, after=; default: the next scheduling point).  A no-op for a
 * fault whose peer event fw_fault_check scheduled already
 * (f->peer_scheduled), so calling it again is harmless. */
void fw_fault_schedule_peer(const fw_fault_t *f, HANDLE h, fw_obj_t *o);

/* Requests waiting for FW_WHEN_AFTER_RULE (fw_io.c <-> fw_fault.c). */
void fw_io_rule_fired(uint32_t rule_id);

/* ---- world hooks of the I/O half ---------------------------------------------------------------
 */

/* Called from fw_world.c's hook (registered with fw_subsystem_add, so it
 * runs after the handle table is emptied at world start and before the
 * objects are destroyed at world end): at start the configuration is
 * copied, then fw_fault, then fw_io; at end fw_io, then fw_fault.  Ports
 * are objects and go with the object teardown. */
void fw_io_world_start(void);
void fw_io_world_end(void);
void fw_fault_world_start(void);
void fw_fault_world_end(void);

#endif
