/* fw_iocp.c: I/O completion ports - CreateIoCompletionPort,
 * GetQueuedCompletionStatus(Ex), PostQueuedCompletionStatus - and the
 * packet queue the rest of fakewin feeds (fw_port_queue).
 *
 * Semantics follow spec/win32-fidelity.md F1-F9 and W6/W7:
 *   - one FIFO queue per port (F8); a packet holds a snapshot of the status,
 *     byte count, key and OVERLAPPED pointer (F6), never the OVERLAPPED's
 *     current contents;
 *   - waiting threads are released last-in first-out, as Windows releases
 *     completion-port waiters (the most recently blocked thread has the
 *     warmest cache); a packet arriving while a thread waits is handed to
 *     that thread directly, so FIFO holds per port whatever the release
 *     order.  Across ports and between completions that become ready in the
 *     same instant, the order comes from the engine (timer ties, scheduling)
 *     and from fw_io.c's cancel/close order draws
 *     (SIM_DECIDE_COMPLETION_ORDER): Windows promises nothing there;
 *   - NumberOfConcurrentThreads is recorded but not enforced: the fake has
 *     no notion of a released thread "running" versus "blocked elsewhere",
 *     so the concurrency gate would be guesswork (documented in
 *     docs/fakewin-io.md);
 *   - closing the last port handle while threads wait releases them with
 *     ERROR_ABANDONED_WAIT_0 (F7); under wine8 they keep waiting (W6).  The
 *     port object lives on while associations or waiters reference it;
 *     packets queued to it after the close are never dequeued. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_io.h"

typedef struct fw_packet {
  struct fw_packet *next;
  ULONG_PTR key;
  LPOVERLAPPED ov;
  NTSTATUS status;
  ULONG_PTR info;
} fw_packet_t;

typedef struct port_waiter {
  struct port_waiter *prev, *next; /* the port's waiter stack, newest first */
  fw_thread_t *thread;
  bool linked;
  bool has_packet;
  bool abandoned;
  fw_packet_t packet; /* handed over by fw_port_queue */
  fw_port_t *port;
} port_waiter_t;

struct fw_port {
  fw_obj_t obj;
  fw_packet_t *head, *tail;
  uint32_t depth;
  port_waiter_t *waiters; /* LIFO */
  DWORD concurrency;
  bool closed;
};

enum { WAKE_PACKET = FW_WAKE_CUSTOM + 1, WAKE_PORT_CLOSED = FW_WAKE_CUSTOM + 2 };

/* ---- the port object --------------------------------------------------------------- */

static void port_unlink_waiter(port_waiter_t *w) {
  if (!w->linked) return;
  if (w->prev)
    w->prev->next = w->next;
  else
    w->port->waiters = w->next;
  if (w->next) w->next->prev = w->prev;
  w->prev = w->next = NULL;
  w->linked = false;
}

static void port_last_handle_closed(fw_obj_t *o) {
  fw_port_t *p = (fw_port_t *)o;
  p->closed = true;
  /* W6: under Wine 8.0 waiters keep waiting until their timeout */
  if (!fw_pers()->port_close_releases_waiters) return;
  port_waiter_t *w = p->waiters;
  while (w != NULL) {
    port_waiter_t *next = w->next;
    if (sim_fiber_state(w->thread->fiber) == SIM_FIBER_BLOCKED) {
      port_unlink_waiter(w);
      w->abandoned = true;
      sim_wake(w->thread->fiber, WAKE_PORT_CLOSED, 0);
    }
    w = next;
  }
}

static void port_destroy(fw_obj_t *o) {
  fw_port_t *p = (fw_port_t *)o;
  fw_packet_t *k = p->head;
  while (k != NULL) {
    fw_packet_t *next = k->next;
    free(k);
    k = next;
  }
  free(p);
}

static void port_describe(fw_obj_t *o, char *buf, size_t len) {
  fw_port_t *p = (fw_port_t *)o;
  uint32_t n = 0;
  for (port_waiter_t *w = p->waiters; w != NULL; w = w->next) n++;
  snprintf(buf, len, "%u packet(s) queued, %u waiter(s)%s", p->depth, n,
           p->closed ? ", handle closed" : "");
}

static const fw_obj_ops_t port_ops = {.type_name = "iocp",
                                      .last_handle_closed = port_last_handle_closed,
                                      .destroy = port_destroy,
                                      .describe = port_describe};

void fw_port_ref(fw_port_t *port) {
  fw_obj_ref(&port->obj);
}
void fw_port_unref(fw_port_t *port) {
  fw_obj_unref(&port->obj);
}
uint32_t fw_port_depth(const fw_port_t *port) {
  return port->depth;
}

void fw_port_queue(fw_port_t *port, ULONG_PTR key, LPOVERLAPPED ov, NTSTATUS status,
                   ULONG_PTR info) {
  /* A waiter can only exist while the queue is empty, except for waiters
   * whose wait already ended (timeout, APC) and that have not run yet:
   * they are skipped and remove themselves. */
  if (port->head == NULL) {
    for (port_waiter_t *w = port->waiters; w != NULL; w = w->next) {
      if (sim_fiber_state(w->thread->fiber) != SIM_FIBER_BLOCKED) continue;
      port_unlink_waiter(w);
      w->has_packet = true;
      w->packet = (fw_packet_t){NULL, key, ov, status, info};
      sim_wake(w->thread->fiber, WAKE_PACKET, 0);
      return;
    }
  }
  fw_packet_t *k = malloc(sizeof *k);
  if (k == NULL) abort();
  *k = (fw_packet_t){NULL, key, ov, status, info};
  if (port->tail)
    port->tail->next = k;
  else
    port->head = k;
  port->tail = k;
  port->depth++;
}

static bool port_pop(fw_port_t *p, fw_packet_t *out) {
  fw_packet_t *k = p->head;
  if (k == NULL) return false;
  p->head = k->next;
  if (p->head == NULL) p->tail = NULL;
  p->depth--;
  *out = *k;
  free(k);
  return true;
}

/* ---- waiting ------------------------------------------------------------------------ */

typedef enum { PW_PACKET, PW_TIMEOUT, PW_APC, PW_ABANDONED } port_wait_t;

static void waiter_describe(void *ctx, char *buf, size_t len) {
  port_waiter_t *w = ctx;
  snprintf(buf, len, "completion port #%u (%u queued)", w->port->obj.serial, w->port->depth);
}

/* Dequeues one packet, waiting up to ms (INFINITE: forever). */
static port_wait_t port_wait(fw_thread_t *t, const char *call, fw_port_t *p, DWORD ms,
                             bool alertable, fw_packet_t *out) {
  /* a queued packet is taken before a queued APC is considered: the NT wait
   * is satisfied by a signalled object first (KeRemoveQueue; observed under
   * Wine 8.0, probe apc: the APC runs in the next alertable wait) */
  if (port_pop(p, out)) return PW_PACKET;
  /* an alertable wait with an APC already queued runs it at once (F7) */
  if (alertable && t->apc_head != NULL) {
    fw_thread_run_apcs(t);
    return PW_APC;
  }
  if (ms == 0) return PW_TIMEOUT;

  port_waiter_t w;
  memset(&w, 0, sizeof w);
  w.thread = t;
  w.port = p;
  w.linked = true;
  w.next = p->waiters;
  if (p->waiters) p->waiters->prev = &w;
  p->waiters = &w;
  fw_obj_ref(&p->obj);
  /* QueueUserAPC releases a thread whose t->waiting is alertable (fw_thread.c):
   * an empty dispatcher waiter stands for this wait there */
  fw_waiter_t apc_gate;
  apc_gate.thread = t;
  apc_gate.fiber = t->fiber;
  apc_gate.count = 0;
  apc_gate.wait_all = false;
  apc_gate.alertable = alertable;
  apc_gate.call = call;
  t->waiting = &apc_gate;
  t->in_alertable_wait = alertable;
  sim_wake_t wk = sim_block(call, fw_ms_to_ns(ms), waiter_describe, &w);
  t->waiting = NULL;
  t->in_alertable_wait = false;
  port_unlink_waiter(&w);
  fw_obj_unref(&p->obj);
  if (w.has_packet) {
    *out = w.packet;
    return PW_PACKET;
  }
  if (w.abandoned) return PW_ABANDONED;
  if (wk.reason == FW_WAKE_APC) {
    fw_thread_run_apcs(t);
    return PW_APC;
  }
  return PW_TIMEOUT;
}

static fw_port_t *port_get(HANDLE h) {
  fw_obj_t *o;
  if (fw_handle_get(h, FW_TYPE_IOCP, false, &o) != 0) return NULL;
  return (fw_port_t *)o;
}

fw_port_t *fw_port_from_handle(HANDLE h) {
  return port_get(h);
}

/* ---- Win32 ------------------------------------------------------------------------------ */

static fw_port_t *port_new(DWORD concurrency) {
  fw_port_t *p = calloc(1, sizeof *p);
  if (p == NULL) abort();
  fw_obj_init(&p->obj, FW_TYPE_IOCP, &port_ops);
  p->concurrency = concurrency;
  return p;
}

HANDLE fw_CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                 ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads) {
  static sim_tracepoint_t tp = {"CreateIoCompletionPort",
                                {{"h", 'x'}, {"port", 'x'}, {"key", 'p'}, {"threads", 'u'}},
                                'x',
                                0};
  fw_thread_t *t = fw_enter("CreateIoCompletionPort");
  HANDLE result = NULL;
  DWORD err = 0;
  fw_obj_t *fo = NULL;
  if (FileHandle != INVALID_HANDLE_VALUE) (void)fw_handle_get(FileHandle, FW_TYPE_ANY, false, &fo);
  fw_fault_t f;
  if (fw_fault_check(FW_SITE_CreateIoCompletionPort, FW_OP_CONTROL, FileHandle, fo, &f) &&
      f.outcome == FW_FAULT_ERROR) {
    err = f.error;
  } else if (FileHandle == INVALID_HANDLE_VALUE) {
    /* F1: a new port; the key is ignored */
    if (ExistingCompletionPort != NULL) {
      err = ERROR_INVALID_PARAMETER;
    } else {
      fw_port_t *p = port_new(NumberOfConcurrentThreads);
      result = fw_handle_new(&p->obj);
      fw_obj_unref(&p->obj);
      if (result == NULL) err = ERROR_NO_SYSTEM_RESOURCES;
    }
  } else if (fo == NULL || !fw_type_is_io(fo->type)) {
    /* a bogus handle, or one that is no file object (F2) */
    err = ERROR_INVALID_HANDLE;
  } else {
    fw_io_obj_t *io = (fw_io_obj_t *)fo;
    fw_port_t *p = NULL;
    if (ExistingCompletionPort != NULL && (p = port_get(ExistingCompletionPort)) == NULL) {
      err = ERROR_INVALID_HANDLE;
    } else if (io->port != NULL || !io->overlapped) {
      /* F2: one association per handle, to whichever port; and only
       * handles opened for overlapped I/O */
      err = ERROR_INVALID_PARAMETER;
    } else {
      if (p == NULL) {
        p = port_new(NumberOfConcurrentThreads);
        result = fw_handle_new(&p->obj);
        if (result == NULL) err = ERROR_NO_SYSTEM_RESOURCES;
      } else {
        fw_obj_ref(&p->obj);
        result = ExistingCompletionPort; /* F1: the port itself */
      }
      if (err == 0) {
        io->port = p; /* the creation/extra reference becomes the association's */
        io->key = CompletionKey;
      } else {
        fw_obj_unref(&p->obj);
      }
    }
  }
  if (err != 0) {
    result = NULL;
    fw_set_error(t, err);
  }
  FW_TRACE(&tp, t, FW_P(result), FW_P(FileHandle), FW_P(ExistingCompletionPort),
           FW_P(CompletionKey), NumberOfConcurrentThreads);
  return result;
}

BOOL fw_GetQueuedCompletionStatus(HANDLE CompletionPort, LPDWORD lpNumberOfBytesTransferred,
                                  PULONG_PTR lpCompletionKey, LPOVERLAPPED *lpOverlapped,
                                  DWORD dwMilliseconds) {
  static sim_tracepoint_t tp = {
      "GetQueuedCompletionStatus",
      {{"port", 'x'}, {"ms", 'u'}, {"bytes", 'u'}, {"key", 'p'}, {"ov", 'p'}},
      0,
      0};
  fw_thread_t *t = fw_enter("GetQueuedCompletionStatus");
  fw_port_t *p = port_get(CompletionPort);
  BOOL ok = FALSE;
  fw_packet_t k = {0};
  bool got = false;
  if (p == NULL) {
    /* F9 */
    if (lpOverlapped) *lpOverlapped = NULL;
    fw_set_error(t, ERROR_INVALID_HANDLE);
  } else {
    switch (port_wait(t, "GetQueuedCompletionStatus", p, dwMilliseconds, false, &k)) {
      case PW_PACKET:
        got = true;
        /* F5: a failed I/O still fills bytes, key and OVERLAPPED */
        if (lpNumberOfBytesTransferred) *lpNumberOfBytesTransferred = (DWORD)k.info;
        if (lpCompletionKey) *lpCompletionKey = k.key;
        if (lpOverlapped) *lpOverlapped = k.ov;
        ok = k.status >= 0;
        if (!ok) fw_set_error(t, fw_nt_to_win32(k.status));
        break;
      case PW_ABANDONED:
        if (lpOverlapped) *lpOverlapped = NULL;
        fw_set_error(t, ERROR_ABANDONED_WAIT_0);
        break;
      default:
        /* F4: bytes and key are not written */
        if (lpOverlapped) *lpOverlapped = NULL;
        fw_set_error(t, WAIT_TIMEOUT);
        break;
    }
  }
  FW_TRACE(&tp, t, ok, FW_P(CompletionPort), dwMilliseconds, got ? (uint32_t)k.info : 0,
           got ? FW_P(k.key) : 0, got ? FW_P(k.ov) : 0);
  return ok;
}

BOOL fw_GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                    LPOVERLAPPED_ENTRY lpCompletionPortEntries, ULONG ulCount,
                                    PULONG ulNumEntriesRemoved, DWORD dwMilliseconds,
                                    BOOL fAlertable) {
  static sim_tracepoint_t tp = {
      "GetQueuedCompletionStatusEx",
      {{"port", 'x'}, {"count", 'u'}, {"ms", 'u'}, {"alertable", 'u'}, {"removed", 'u'}},
      0,
      0};
  fw_thread_t *t = fw_enter("GetQueuedCompletionStatusEx");
  fw_port_t *p = port_get(CompletionPort);
  BOOL ok = FALSE;
  ULONG n = 0;
  const fw_personality_table_t *pers = fw_pers();
  if (p == NULL) {
    fw_set_error(t, ERROR_INVALID_HANDLE); /* F9 */
    if (pers->gqcsex_bad_port_writes_count && ulNumEntriesRemoved != NULL)
      *ulNumEntriesRemoved = 1; /* W7 */
  } else if (lpCompletionPortEntries == NULL || ulNumEntriesRemoved == NULL) {
    fw_set_error(t, ERROR_INVALID_PARAMETER);
  } else if (ulCount == 0) {
    /* W7: Wine says TRUE with one entry "removed" and dequeues nothing */
    if (pers->gqcsex_count0_succeeds) {
      *ulNumEntriesRemoved = 1;
      ok = TRUE;
    } else {
      fw_set_error(t, ERROR_INVALID_PARAMETER);
    }
  } else {
    fw_packet_t k;
    port_wait_t r =
        port_wait(t, "GetQueuedCompletionStatusEx", p, dwMilliseconds, fAlertable != 0, &k);
    if (r == PW_PACKET) {
      /* F7: up to ulCount entries in FIFO order; TRUE even if all failed */
      do {
        OVERLAPPED_ENTRY *e = &lpCompletionPortEntries[n++];
        e->lpCompletionKey = k.key;
        e->lpOverlapped = k.ov;
        /* F52: a zero-extended 32-bit status; W7: Wine writes the low half only */
        if (pers->gqcsex_status_low_half)
          e->Internal = (e->Internal & ~(ULONG_PTR)0xFFFFFFFFu) | (uint32_t)k.status;
        else
          e->Internal = (ULONG_PTR)(uint32_t)k.status;
        e->dwNumberOfBytesTransferred = (DWORD)k.info;
      } while (n < ulCount && port_pop(p, &k));
      *ulNumEntriesRemoved = n;
      ok = TRUE;
    } else {
      /* 1 when the wait fails (timeout, APC): Wine 8.0, and Windows by
       * file.c test_post_completion (docs/conformance.md "Spec conflicts") */
      if (pers->gqcsex_timeout_writes_count && r != PW_ABANDONED) *ulNumEntriesRemoved = 1;
      fw_set_error(t, r == PW_APC         ? WAIT_IO_COMPLETION
                      : r == PW_ABANDONED ? ERROR_ABANDONED_WAIT_0
                                          : WAIT_TIMEOUT);
    }
  }
  FW_TRACE(&tp, t, ok, FW_P(CompletionPort), ulCount, dwMilliseconds, (uint64_t)(fAlertable != 0),
           ok ? n : 0);
  return ok;
}

BOOL fw_PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD dwNumberOfBytesTransferred,
                                   ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped) {
  static sim_tracepoint_t tp = {"PostQueuedCompletionStatus",
                                {{"port", 'x'}, {"bytes", 'u'}, {"key", 'p'}, {"ov", 'p'}},
                                0,
                                0};
  fw_thread_t *t = fw_enter("PostQueuedCompletionStatus");
  fw_port_t *p = port_get(CompletionPort);
  /* F6: status 0, the OVERLAPPED is neither read nor written */
  if (p != NULL)
    fw_port_queue(p, dwCompletionKey, lpOverlapped, STATUS_SUCCESS, dwNumberOfBytesTransferred);
  else
    fw_set_error(t, ERROR_INVALID_HANDLE);
  FW_TRACE(&tp, t, p != NULL, FW_P(CompletionPort), dwNumberOfBytesTransferred,
           FW_P(dwCompletionKey), FW_P(lpOverlapped));
  return p != NULL;
}
