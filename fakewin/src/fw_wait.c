/* fw_wait.c: the dispatcher - waits on kernel objects - and the simple
 * dispatcher objects: events, semaphores, mutexes.
 *
 * A waiting thread links one wait block per object into the objects' FIFO
 * wait queues and blocks its fiber (sim_block) with the wait's timeout.
 * Whoever makes an object signalled calls fw_obj_signal, which satisfies
 * waiters in queue order while the object stays signalled (an auto-reset
 * event or a semaphore count is consumed by the first satisfied waiter; a
 * manual-reset event satisfies them all).  A wait-any takes the
 * lowest-index signalled object, as Windows does; a wait-all is satisfied
 * only when every object is signalled at once, and takes them all in one
 * step.  A waiter whose timeout already fired but which has not run yet is
 * skipped: its wait has ended with WAIT_TIMEOUT.
 *
 * Semantics follow the Win32 documentation of WaitForSingleObject(Ex),
 * WaitForMultipleObjects(Ex), SignalObjectAndWait, CreateEvent, SetEvent,
 * ResetEvent, PulseEvent, CreateSemaphore, ReleaseSemaphore, CreateMutex,
 * ReleaseMutex. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winsock2.h>

#include "fw_int.h"

/* ---- wait queues ------------------------------------------------------------- */

static void wq_link(fw_obj_t *o, fw_wait_block_t *b) {
  b->obj = o;
  b->next = NULL;
  b->prev = o->wq_tail;
  if (o->wq_tail)
    o->wq_tail->next = b;
  else
    o->wq_head = b;
  o->wq_tail = b;
  b->linked = true;
}

static void wq_unlink(fw_wait_block_t *b) {
  fw_obj_t *o = b->obj;
  if (b->prev)
    b->prev->next = b->next;
  else
    o->wq_head = b->next;
  if (b->next)
    b->next->prev = b->prev;
  else
    o->wq_tail = b->prev;
  b->next = b->prev = NULL;
  b->linked = false;
}

static void waiter_unlink_all(fw_waiter_t *w) {
  for (uint32_t i = 0; i < w->count; i++)
    if (w->blocks[i].linked) wq_unlink(&w->blocks[i]);
}

static bool signaled(fw_obj_t *o, fw_thread_t *t) {
  return o->ops->is_signaled && o->ops->is_signaled(o, t);
}

/* Takes every object of a satisfied wait-all; returns the index of the
 * first abandoned mutex among them, or -1. */
static int acquire_all(fw_obj_t *const *objs, uint32_t n, fw_thread_t *t) {
  int abandoned = -1;
  for (uint32_t i = 0; i < n; i++)
    if (objs[i]->ops->acquire && objs[i]->ops->acquire(objs[i], t) && abandoned < 0)
      abandoned = (int)i;
  return abandoned;
}

void fw_obj_signal(fw_obj_t *o) {
restart:
  for (fw_wait_block_t *b = o->wq_head; b != NULL; b = b->next) {
    fw_waiter_t *w = b->waiter;
    if (sim_fiber_state(w->fiber) != SIM_FIBER_BLOCKED) continue; /* timed out, not yet run */
    if (!signaled(o, w->thread)) continue;
    uint64_t value;
    if (w->wait_all) {
      fw_obj_t *objs[MAXIMUM_WAIT_OBJECTS];
      bool all = true;
      for (uint32_t i = 0; i < w->count && all; i++) {
        objs[i] = w->blocks[i].obj;
        all = signaled(objs[i], w->thread);
      }
      if (!all) continue;
      int ab = acquire_all(objs, w->count, w->thread);
      value = ab >= 0 ? (uint64_t)ab | FW_WAKE_ABANDONED_BIT : 0;
    } else {
      bool ab = o->ops->acquire && o->ops->acquire(o, w->thread);
      value = b->index | (ab ? FW_WAKE_ABANDONED_BIT : 0);
    }
    waiter_unlink_all(w);
    sim_wake(w->fiber, FW_WAKE_OBJECT, value);
    goto restart; /* the queue changed under us */
  }
}

static void describe_wait(void *ctx, char *buf, size_t len) {
  fw_waiter_t *w = ctx;
  size_t n = 0;
  if (w->count == 0) {
    snprintf(buf, len, "%ssleep", w->alertable ? "alertable " : "");
    return;
  }
  int k = snprintf(buf, len, "%s%s", w->alertable ? "alertable, " : "",
                   w->count > 1 ? (w->wait_all ? "all of " : "any of ") : "");
  if (k > 0) n = (size_t)k < len ? (size_t)k : len - 1;
  for (uint32_t i = 0; i < w->count && n + 1 < len; i++) {
    fw_obj_t *o = w->blocks[i].obj;
    char d[128] = "";
    if (o->ops->describe) o->ops->describe(o, d, sizeof d);
    k = snprintf(buf + n, len - n, "%s%s #%u%s%s", i ? "; " : "", o->ops->type_name, o->serial,
                 d[0] ? ": " : "", d);
    if (k > 0) n = (size_t)k < len - n ? n + (size_t)k : len - 1;
  }
}

DWORD fw_wait_objects(fw_thread_t *t, const char *call, DWORD n, fw_obj_t *const *objs,
                      bool wait_all, DWORD ms, bool alertable) {
  /* an alertable wait with an APC already queued runs it and returns at once */
  if (alertable && t->apc_head != NULL) {
    fw_thread_run_apcs(t);
    return WAIT_IO_COMPLETION;
  }
  if (!wait_all) {
    for (DWORD i = 0; i < n; i++) {
      if (signaled(objs[i], t)) {
        bool ab = objs[i]->ops->acquire && objs[i]->ops->acquire(objs[i], t);
        return (ab ? WAIT_ABANDONED_0 : WAIT_OBJECT_0) + i;
      }
    }
  } else {
    bool all = true;
    for (DWORD i = 0; i < n && all; i++) all = signaled(objs[i], t);
    if (all) {
      int ab = acquire_all(objs, n, t);
      return ab >= 0 ? WAIT_ABANDONED_0 + (DWORD)ab : WAIT_OBJECT_0;
    }
  }
  if (ms == 0) return WAIT_TIMEOUT;

  fw_waiter_t w;
  w.thread = t;
  w.fiber = t->fiber;
  w.count = n;
  w.wait_all = wait_all;
  w.alertable = alertable;
  w.call = call;
  for (DWORD i = 0; i < n; i++) {
    w.blocks[i].waiter = &w;
    w.blocks[i].index = i;
    wq_link(objs[i], &w.blocks[i]);
  }
  t->waiting = &w;
  sim_wake_t wk = sim_block(call, fw_ms_to_ns(ms), describe_wait, &w);
  t->waiting = NULL;
  waiter_unlink_all(&w);
  switch (wk.reason) {
    case FW_WAKE_OBJECT:
      return ((wk.value & FW_WAKE_ABANDONED_BIT) ? WAIT_ABANDONED_0 : WAIT_OBJECT_0) +
             (DWORD)(wk.value & 0xffffffffu);
    case FW_WAKE_APC:
      fw_thread_run_apcs(t);
      return WAIT_IO_COMPLETION;
    default:
      return WAIT_TIMEOUT;
  }
}

/* ---- Win32 waits ---------------------------------------------------------------- */

static DWORD wait_handles(sim_tracepoint_t *tp, DWORD n, const HANDLE *hs, BOOL all, DWORD ms,
                          BOOL alertable) {
  fw_thread_t *t = fw_enter(tp->name);
  fw_obj_t *objs[MAXIMUM_WAIT_OBJECTS];
  DWORD r = WAIT_FAILED;
  if (n == 0 || n > MAXIMUM_WAIT_OBJECTS || hs == NULL) {
    fw_set_error(t, ERROR_INVALID_PARAMETER);
    goto out;
  }
  for (DWORD i = 0; i < n; i++) {
    if (fw_handle_get(hs[i], FW_TYPE_ANY, true, &objs[i]) != 0) {
      fw_set_error(t, ERROR_INVALID_HANDLE);
      goto out;
    }
  }
  if (all) {
    /* a wait-all cannot name one object twice (STATUS_INVALID_PARAMETER_MIX) */
    for (DWORD i = 0; i < n; i++)
      for (DWORD j = i + 1; j < n; j++)
        if (objs[i] == objs[j]) {
          fw_set_error(t, ERROR_INVALID_PARAMETER);
          goto out;
        }
  }
  for (DWORD i = 0; i < n; i++) fw_obj_ref(objs[i]);
  r = fw_wait_objects(t, tp->name, n, objs, all, ms, alertable);
  for (DWORD i = 0; i < n; i++) fw_obj_unref(objs[i]);
out:
  FW_TRACE(tp, t, r, n, FW_P(hs ? hs[0] : NULL), (uint64_t)all, ms, (uint64_t)alertable);
  return r;
}

static sim_tracepoint_t tp_wfso = {
    "WaitForSingleObject",
    {{"n", 'u'}, {"h", 'x'}, {"all", 'u'}, {"ms", 'u'}, {"alertable", 'u'}},
    'x',
    0};
static sim_tracepoint_t tp_wfsoex = {
    "WaitForSingleObjectEx",
    {{"n", 'u'}, {"h", 'x'}, {"all", 'u'}, {"ms", 'u'}, {"alertable", 'u'}},
    'x',
    0};
static sim_tracepoint_t tp_wfmo = {
    "WaitForMultipleObjects",
    {{"n", 'u'}, {"h0", 'x'}, {"all", 'u'}, {"ms", 'u'}, {"alertable", 'u'}},
    'x',
    0};
static sim_tracepoint_t tp_wfmoex = {
    "WaitForMultipleObjectsEx",
    {{"n", 'u'}, {"h0", 'x'}, {"all", 'u'}, {"ms", 'u'}, {"alertable", 'u'}},
    'x',
    0};

DWORD fw_WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds) {
  return wait_handles(&tp_wfso, 1, &hHandle, FALSE, dwMilliseconds, FALSE);
}

DWORD fw_WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable) {
  return wait_handles(&tp_wfsoex, 1, &hHandle, FALSE, dwMilliseconds, bAlertable);
}

DWORD fw_WaitForMultipleObjects(DWORD nCount, CONST HANDLE *lpHandles, BOOL bWaitAll,
                                DWORD dwMilliseconds) {
  return wait_handles(&tp_wfmo, nCount, lpHandles, bWaitAll, dwMilliseconds, FALSE);
}

DWORD fw_WaitForMultipleObjectsEx(DWORD nCount, CONST HANDLE *lpHandles, BOOL bWaitAll,
                                  DWORD dwMilliseconds, BOOL bAlertable) {
  return wait_handles(&tp_wfmoex, nCount, lpHandles, bWaitAll, dwMilliseconds, bAlertable);
}

/* ---- events ---------------------------------------------------------------------- */

typedef struct fw_event {
  fw_obj_t obj;
  bool manual;
  bool set;
} fw_event_t;

static bool event_signaled(fw_obj_t *o, fw_thread_t *t) {
  (void)t;
  return ((fw_event_t *)o)->set;
}
static bool event_acquire(fw_obj_t *o, fw_thread_t *t) {
  (void)t;
  fw_event_t *e = (fw_event_t *)o;
  if (!e->manual) e->set = false;
  return false;
}
static void event_describe(fw_obj_t *o, char *buf, size_t len) {
  fw_event_t *e = (fw_event_t *)o;
  snprintf(buf, len, "%s-reset, %s", e->manual ? "manual" : "auto", e->set ? "set" : "not set");
}
static void plain_destroy(fw_obj_t *o) {
  free(o);
}
static const fw_obj_ops_t event_ops = {.type_name = "event",
                                       .is_signaled = event_signaled,
                                       .acquire = event_acquire,
                                       .destroy = plain_destroy,
                                       .describe = event_describe};

/* Opens an existing named object or reports why not: NULL + *err, or the
 * handle (ERROR_ALREADY_EXISTS).  Returns false when the name is free. */
static bool open_named(uint16_t *name, fw_type_t type, HANDLE *h, DWORD *err) {
  if (name == NULL) return false;
  fw_obj_t *o = fw_name_lookup(name);
  if (o == NULL) return false;
  free(name);
  if (o->type != type) {
    /* a different object type holds the name */
    *h = NULL;
    *err = ERROR_INVALID_HANDLE;
    return true;
  }
  *h = fw_handle_new(o);
  *err = *h ? ERROR_ALREADY_EXISTS : ERROR_NO_SYSTEM_RESOURCES;
  return true;
}

/* Gives a new object its first handle and drops the creation reference. */
static HANDLE publish(fw_obj_t *o, uint16_t *name, DWORD *err) {
  o->name = name;
  HANDLE h = fw_handle_new(o);
  fw_obj_unref(o);
  *err = h ? 0 : ERROR_NO_SYSTEM_RESOURCES;
  return h;
}

static HANDLE create_event(sim_tracepoint_t *tp, BOOL manual, BOOL initial, uint16_t *name) {
  fw_thread_t *t = fw_enter(tp->name);
  HANDLE h;
  DWORD err;
  if (!open_named(name, FW_TYPE_EVENT, &h, &err)) {
    fw_event_t *e = calloc(1, sizeof *e);
    if (e == NULL) abort();
    fw_obj_init(&e->obj, FW_TYPE_EVENT, &event_ops);
    e->manual = manual != FALSE;
    e->set = initial != FALSE;
    h = publish(&e->obj, name, &err);
  }
  /* success sets the last error too: 0, or ERROR_ALREADY_EXISTS */
  fw_set_error(t, err);
  FW_TRACE(tp, t, FW_P(h), (uint64_t)manual, (uint64_t)initial, (uint64_t)(name != NULL));
  return h;
}

HANDLE fw_CreateEventA(LPSECURITY_ATTRIBUTES sa, BOOL bManualReset, BOOL bInitialState,
                       LPCSTR lpName) {
  static sim_tracepoint_t tp = {
      "CreateEventA", {{"manual", 'u'}, {"initial", 'u'}, {"named", 'u'}}, 'x', 0};
  (void)sa;
  return create_event(&tp, bManualReset, bInitialState, fw_name_from_a(lpName));
}

HANDLE fw_CreateEventW(LPSECURITY_ATTRIBUTES sa, BOOL bManualReset, BOOL bInitialState,
                       LPCWSTR lpName) {
  static sim_tracepoint_t tp = {
      "CreateEventW", {{"manual", 'u'}, {"initial", 'u'}, {"named", 'u'}}, 'x', 0};
  (void)sa;
  return create_event(&tp, bManualReset, bInitialState, fw_name_from_w(lpName));
}

static fw_event_t *event_get(fw_thread_t *t, HANDLE h) {
  fw_obj_t *o;
  if (fw_handle_get(h, FW_TYPE_EVENT, false, &o) != 0) {
    fw_set_error(t, ERROR_INVALID_HANDLE);
    return NULL;
  }
  return (fw_event_t *)o;
}

/* SetEvent and WSASetEvent: the same call under two names. */
static BOOL set_event(sim_tracepoint_t *tp, HANDLE h) {
  fw_thread_t *t = fw_enter(tp->name);
  fw_event_t *e = event_get(t, h);
  if (e != NULL) {
    e->set = true;
    fw_obj_signal(&e->obj);
  }
  FW_TRACE(tp, t, e != NULL, FW_P(h));
  return e != NULL;
}

/* ResetEvent and WSAResetEvent. */
static BOOL reset_event(sim_tracepoint_t *tp, HANDLE h) {
  fw_thread_t *t = fw_enter(tp->name);
  fw_event_t *e = event_get(t, h);
  if (e != NULL) e->set = false;
  FW_TRACE(tp, t, e != NULL, FW_P(h));
  return e != NULL;
}

BOOL fw_SetEvent(HANDLE hEvent) {
  static sim_tracepoint_t tp = {"SetEvent", {{"h", 'x'}}, 0, 0};
  return set_event(&tp, hEvent);
}

bool fw_event_set_handle(HANDLE h) {
  fw_obj_t *o;
  if (fw_handle_get(h, FW_TYPE_EVENT, false, &o) != 0) return false;
  ((fw_event_t *)o)->set = true;
  fw_obj_signal(o);
  return true;
}

bool fw_event_reset_handle(HANDLE h) {
  fw_obj_t *o;
  if (fw_handle_get(h, FW_TYPE_EVENT, false, &o) != 0) return false;
  ((fw_event_t *)o)->set = false;
  return true;
}

BOOL fw_ResetEvent(HANDLE hEvent) {
  static sim_tracepoint_t tp = {"ResetEvent", {{"h", 'x'}}, 0, 0};
  return reset_event(&tp, hEvent);
}

/* ---- Winsock events (ws2_32 wraps the kernel32 event) -------------------------------- */

/* WSACreateEvent: a manual-reset, unnamed event, initially not set
 * (WSACreateEvent docs); failure returns WSA_INVALID_EVENT. */
WSAEVENT fw_WSACreateEvent(void) {
  static sim_tracepoint_t tp = {
      "WSACreateEvent", {{"manual", 'u'}, {"initial", 'u'}, {"named", 'u'}}, 'x', 0};
  HANDLE h = create_event(&tp, TRUE, FALSE, NULL);
  return h ? h : WSA_INVALID_EVENT;
}

/* WSACloseEvent is CloseHandle: FALSE and WSA_INVALID_HANDLE (the same 6 as
 * ERROR_INVALID_HANDLE) for a handle that is not open. */
BOOL fw_WSACloseEvent(WSAEVENT hEvent) {
  static sim_tracepoint_t tp = {"WSACloseEvent", {{"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("WSACloseEvent");
  DWORD err = fw_handle_close(hEvent);
  if (err != 0) fw_set_error(t, WSA_INVALID_HANDLE);
  FW_TRACE(&tp, t, err == 0, FW_P(hEvent));
  return err == 0;
}

BOOL fw_WSASetEvent(WSAEVENT hEvent) {
  static sim_tracepoint_t tp = {"WSASetEvent", {{"h", 'x'}}, 0, 0};
  return set_event(&tp, hEvent);
}

BOOL fw_WSAResetEvent(WSAEVENT hEvent) {
  static sim_tracepoint_t tp = {"WSAResetEvent", {{"h", 'x'}}, 0, 0};
  return reset_event(&tp, hEvent);
}

/* WSAWaitForMultipleEvents is WaitForMultipleObjectsEx on the events:
 * WSA_WAIT_EVENT_0 + i, WSA_WAIT_TIMEOUT, WSA_WAIT_IO_COMPLETION, or
 * WSA_WAIT_FAILED with the error (WSA_INVALID_PARAMETER / WSA_INVALID_HANDLE
 * share kernel32's values). */
DWORD fw_WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents, BOOL fWaitAll,
                                  DWORD dwTimeout, BOOL fAlertable) {
  static sim_tracepoint_t tp = {
      "WSAWaitForMultipleEvents",
      {{"n", 'u'}, {"h0", 'x'}, {"all", 'u'}, {"ms", 'u'}, {"alertable", 'u'}},
      'x',
      0};
  return wait_handles(&tp, cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable);
}

/* Releases the threads waiting right now (all of them for a manual-reset
 * event, one for auto-reset), then leaves the event not set. */
BOOL fw_PulseEvent(HANDLE hEvent) {
  static sim_tracepoint_t tp = {"PulseEvent", {{"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("PulseEvent");
  fw_event_t *e = event_get(t, hEvent);
  if (e != NULL) {
    e->set = true;
    fw_obj_signal(&e->obj);
    e->set = false;
  }
  FW_TRACE(&tp, t, e != NULL, FW_P(hEvent));
  return e != NULL;
}

/* ---- semaphores ------------------------------------------------------------------ */

typedef struct fw_semaphore {
  fw_obj_t obj;
  LONG count;
  LONG max;
} fw_semaphore_t;

static bool sem_signaled(fw_obj_t *o, fw_thread_t *t) {
  (void)t;
  return ((fw_semaphore_t *)o)->count > 0;
}
static bool sem_acquire(fw_obj_t *o, fw_thread_t *t) {
  (void)t;
  ((fw_semaphore_t *)o)->count--;
  return false;
}
static void sem_describe(fw_obj_t *o, char *buf, size_t len) {
  fw_semaphore_t *s = (fw_semaphore_t *)o;
  snprintf(buf, len, "count %d of %d", (int)s->count, (int)s->max);
}
static const fw_obj_ops_t sem_ops = {.type_name = "semaphore",
                                     .is_signaled = sem_signaled,
                                     .acquire = sem_acquire,
                                     .destroy = plain_destroy,
                                     .describe = sem_describe};

static HANDLE create_semaphore(sim_tracepoint_t *tp, LONG initial, LONG max, uint16_t *name) {
  fw_thread_t *t = fw_enter(tp->name);
  HANDLE h = NULL;
  DWORD err;
  if (max <= 0 || initial < 0 || initial > max) {
    free(name);
    err = ERROR_INVALID_PARAMETER;
  } else if (!open_named(name, FW_TYPE_SEMAPHORE, &h, &err)) {
    fw_semaphore_t *s = calloc(1, sizeof *s);
    if (s == NULL) abort();
    fw_obj_init(&s->obj, FW_TYPE_SEMAPHORE, &sem_ops);
    s->count = initial;
    s->max = max;
    h = publish(&s->obj, name, &err);
  }
  fw_set_error(t, err);
  FW_TRACE(tp, t, FW_P(h), (uint64_t)(int64_t)initial, (uint64_t)(int64_t)max);
  return h;
}

HANDLE fw_CreateSemaphoreA(LPSECURITY_ATTRIBUTES sa, LONG lInitialCount, LONG lMaximumCount,
                           LPCSTR lpName) {
  static sim_tracepoint_t tp = {"CreateSemaphoreA", {{"initial", 'd'}, {"max", 'd'}}, 'x', 0};
  (void)sa;
  return create_semaphore(&tp, lInitialCount, lMaximumCount, fw_name_from_a(lpName));
}

HANDLE fw_CreateSemaphoreW(LPSECURITY_ATTRIBUTES sa, LONG lInitialCount, LONG lMaximumCount,
                           LPCWSTR lpName) {
  static sim_tracepoint_t tp = {"CreateSemaphoreW", {{"initial", 'd'}, {"max", 'd'}}, 'x', 0};
  (void)sa;
  return create_semaphore(&tp, lInitialCount, lMaximumCount, fw_name_from_w(lpName));
}

/* 0 or the Win32 error; *prev gets the count before the release. */
static DWORD sem_release(HANDLE h, LONG n, LONG *prev) {
  fw_obj_t *o;
  if (fw_handle_get(h, FW_TYPE_SEMAPHORE, false, &o) != 0) return ERROR_INVALID_HANDLE;
  fw_semaphore_t *s = (fw_semaphore_t *)o;
  if (n <= 0) return ERROR_INVALID_PARAMETER;
  if ((int64_t)s->count + n > s->max) return ERROR_TOO_MANY_POSTS; /* the count is left unchanged */
  *prev = s->count;
  s->count += n;
  fw_obj_signal(o);
  return 0;
}

BOOL fw_ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount, LPLONG lpPreviousCount) {
  static sim_tracepoint_t tp = {"ReleaseSemaphore", {{"h", 'x'}, {"n", 'd'}}, 0, 0};
  fw_thread_t *t = fw_enter("ReleaseSemaphore");
  LONG prev = 0;
  DWORD err = sem_release(hSemaphore, lReleaseCount, &prev);
  if (err != 0)
    fw_set_error(t, err);
  else if (lpPreviousCount != NULL)
    *lpPreviousCount = prev;
  FW_TRACE(&tp, t, err == 0, FW_P(hSemaphore), (uint64_t)(int64_t)lReleaseCount);
  return err == 0;
}

/* ---- mutexes --------------------------------------------------------------------- */

typedef struct fw_mutex {
  fw_obj_t obj;
  fw_thread_t *owner;
  LONG recursion;
  bool abandoned;
} fw_mutex_t;

static bool mutex_signaled(fw_obj_t *o, fw_thread_t *t) {
  fw_mutex_t *m = (fw_mutex_t *)o;
  return m->owner == NULL || m->owner == t;
}
static bool mutex_acquire(fw_obj_t *o, fw_thread_t *t) {
  fw_mutex_t *m = (fw_mutex_t *)o;
  bool ab = m->abandoned;
  m->abandoned = false;
  if (m->owner == NULL) t->mutexes_owned++;
  m->owner = t;
  m->recursion++;
  return ab;
}
static void mutex_describe(fw_obj_t *o, char *buf, size_t len) {
  fw_mutex_t *m = (fw_mutex_t *)o;
  if (m->owner)
    snprintf(buf, len, "owned by thread 0x%x (%d deep)", (unsigned)m->owner->tid,
             (int)m->recursion);
  else
    snprintf(buf, len, "free%s", m->abandoned ? ", abandoned" : "");
}
/* The owner pointer holds no reference: a thread abandons its mutexes when
 * it exits, before its object can go away. */
static void mutex_destroy(fw_obj_t *o) {
  free(o);
}
static const fw_obj_ops_t mutex_ops = {.type_name = "mutex",
                                       .is_signaled = mutex_signaled,
                                       .acquire = mutex_acquire,
                                       .destroy = mutex_destroy,
                                       .describe = mutex_describe};

static HANDLE create_mutex(sim_tracepoint_t *tp, BOOL owner, uint16_t *name) {
  fw_thread_t *t = fw_enter(tp->name);
  HANDLE h;
  DWORD err;
  /* an existing named mutex is opened; bInitialOwner is then ignored */
  if (!open_named(name, FW_TYPE_MUTEX, &h, &err)) {
    fw_mutex_t *m = calloc(1, sizeof *m);
    if (m == NULL) abort();
    fw_obj_init(&m->obj, FW_TYPE_MUTEX, &mutex_ops);
    if (owner) {
      m->owner = t;
      t->mutexes_owned++;
      m->recursion = 1;
    }
    h = publish(&m->obj, name, &err);
  }
  fw_set_error(t, err);
  FW_TRACE(tp, t, FW_P(h), (uint64_t)owner);
  return h;
}

HANDLE fw_CreateMutexA(LPSECURITY_ATTRIBUTES sa, BOOL bInitialOwner, LPCSTR lpName) {
  static sim_tracepoint_t tp = {"CreateMutexA", {{"owner", 'u'}}, 'x', 0};
  (void)sa;
  return create_mutex(&tp, bInitialOwner, fw_name_from_a(lpName));
}

HANDLE fw_CreateMutexW(LPSECURITY_ATTRIBUTES sa, BOOL bInitialOwner, LPCWSTR lpName) {
  static sim_tracepoint_t tp = {"CreateMutexW", {{"owner", 'u'}}, 'x', 0};
  (void)sa;
  return create_mutex(&tp, bInitialOwner, fw_name_from_w(lpName));
}

static DWORD mutex_release(fw_thread_t *t, HANDLE h) {
  fw_obj_t *o;
  if (fw_handle_get(h, FW_TYPE_MUTEX, false, &o) != 0) return ERROR_INVALID_HANDLE;
  fw_mutex_t *m = (fw_mutex_t *)o;
  if (m->owner != t) return ERROR_NOT_OWNER;
  if (--m->recursion == 0) {
    m->owner = NULL;
    t->mutexes_owned--;
    fw_obj_signal(o);
  }
  return 0;
}

BOOL fw_ReleaseMutex(HANDLE hMutex) {
  static sim_tracepoint_t tp = {"ReleaseMutex", {{"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("ReleaseMutex");
  DWORD err = mutex_release(t, hMutex);
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(hMutex));
  return err == 0;
}

static void abandon_one(fw_obj_t *o, void *arg) {
  fw_mutex_t *m = (fw_mutex_t *)o;
  if (m->owner != arg) return;
  m->owner->mutexes_owned--;
  m->owner = NULL;
  m->recursion = 0;
  m->abandoned = true;
  fw_obj_signal(o);
}

/* Abandons in creation order (the order waiters see); a thread that owns
 * no mutex, the common case, costs nothing here, so thread exits stay O(1)
 * however many objects the world holds. */
void fw_mutex_abandon_all(fw_thread_t *t) {
  if (t->mutexes_owned > 0) fw_obj_foreach(FW_TYPE_MUTEX, abandon_one, t);
}

/* ---- SignalObjectAndWait --------------------------------------------------------- */

DWORD fw_SignalObjectAndWait(HANDLE hObjectToSignal, HANDLE hObjectToWaitOn, DWORD dwMilliseconds,
                             BOOL bAlertable) {
  static sim_tracepoint_t tp = {"SignalObjectAndWait",
                                {{"signal", 'x'}, {"wait", 'x'}, {"ms", 'u'}, {"alertable", 'u'}},
                                'x',
                                0};
  fw_thread_t *t = fw_enter("SignalObjectAndWait");
  DWORD r = WAIT_FAILED, err = 0;
  fw_obj_t *sig, *wo;
  if (fw_handle_get(hObjectToSignal, FW_TYPE_ANY, false, &sig) != 0 ||
      fw_handle_get(hObjectToWaitOn, FW_TYPE_ANY, true, &wo) != 0) {
    err = ERROR_INVALID_HANDLE;
  } else if (sig->type == FW_TYPE_EVENT) {
    ((fw_event_t *)sig)->set = true;
    fw_obj_signal(sig);
  } else if (sig->type == FW_TYPE_SEMAPHORE) {
    LONG prev;
    err = sem_release(hObjectToSignal, 1, &prev);
  } else if (sig->type == FW_TYPE_MUTEX) {
    err = mutex_release(t, hObjectToSignal);
  } else {
    err = ERROR_INVALID_HANDLE;
  }
  if (err == 0) {
    /* no scheduling point between the signal and the wait: that is the point */
    fw_obj_ref(wo);
    r = fw_wait_objects(t, "SignalObjectAndWait", 1, &wo, false, dwMilliseconds, bAlertable);
    fw_obj_unref(wo);
  } else {
    fw_set_error(t, err);
  }
  FW_TRACE(&tp, t, r, FW_P(hObjectToSignal), FW_P(hObjectToWaitOn), dwMilliseconds,
           (uint64_t)bAlertable);
  return r;
}
