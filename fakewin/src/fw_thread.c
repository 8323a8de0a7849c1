/* fw_thread.c: threads (each one a sim fiber), last error, TLS, APCs,
 * Sleep/SleepEx/SwitchToThread, process and system information.
 *
 * Identity: the process id is FW_PID; thread ids are FW_PID + 4, + 8, ... in
 * creation order (the main thread first), multiples of 4 like Windows' ids.
 * A thread object holds one reference for as long as its thread runs, so a
 * thread whose handle was closed still exits cleanly; on exit it records
 * its exit code, abandons the mutexes it owns, becomes signalled and drops
 * that reference.  A fiber that did not come from CreateThread (the main
 * fiber, or one a test spawned) gets its thread object on its first Win32
 * call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ntstatus.h>

#include "fw_int.h"
#include "fw_io.h"

#define FW_PID 0x1000u

static DWORD next_tid = FW_PID;
static uint8_t tls_used[FW_TLS_SLOTS];

/* ---- thread objects --------------------------------------------------------------- */

static bool thread_signaled(fw_obj_t *o, fw_thread_t *t) {
  (void)t;
  return ((fw_thread_t *)o)->exited;
}

static void thread_destroy(fw_obj_t *o) {
  fw_thread_t *t = (fw_thread_t *)o;
  while (t->apc_head) {
    fw_apc_t *a = t->apc_head;
    t->apc_head = a->next;
    free(a);
  }
  free(t->tls);
  free(t);
}

static void thread_describe(fw_obj_t *o, char *buf, size_t len) {
  fw_thread_t *t = (fw_thread_t *)o;
  if (t->exited)
    snprintf(buf, len, "thread 0x%x, exited with %u", (unsigned)t->tid, (unsigned)t->exit_code);
  else
    snprintf(buf, len, "thread 0x%x, running", (unsigned)t->tid);
}

static const fw_obj_ops_t thread_ops = {.type_name = "thread",
                                        .is_signaled = thread_signaled,
                                        .destroy = thread_destroy,
                                        .describe = thread_describe};

static fw_thread_t *thread_new(void) {
  fw_thread_t *t = calloc(1, sizeof *t);
  if (t == NULL) abort();
  fw_obj_init(&t->obj, FW_TYPE_THREAD, &thread_ops);
  next_tid += 4;
  t->tid = next_tid;
  t->exit_code = STILL_ACTIVE;
  t->priority = THREAD_PRIORITY_NORMAL;
  return t;
}

fw_thread_t *fw_thread_current(void) {
  sim_fiber_t *f = sim_current();
  if (f == NULL) sim_require_fiber("a Win32 function"); /* aborts with a clear message */
  fw_thread_t *t = sim_fiber_user(f);
  if (t != NULL) return t;
  t = thread_new(); /* its creation reference is the "running" reference */
  t->fiber = f;
  t->started = true;
  sim_fiber_set_user(f, t);
  return t;
}

void fw_threads_reset(void) {
  next_tid = FW_PID;
  memset(tls_used, 0, sizeof tls_used);
}

SIM_NORETURN static void thread_exit(fw_thread_t *t, DWORD code) {
  sim_fiber_t *f = t->fiber;
  t->exit_code = code;
  t->exited = true;
  t->fiber = NULL;
  fw_mutex_abandon_all(t);
  free(t->tls);
  t->tls = NULL;
  sim_fiber_set_user(f, NULL);
  fw_obj_signal(&t->obj);
  fw_obj_unref(&t->obj); /* the running reference; t may be gone now */
  sim_fiber_exit();
}

static void thread_main(void *arg) {
  fw_thread_t *t = arg;
  DWORD code = t->start(t->param);
  thread_exit(t, code);
}

/* ---- Win32: threads ---------------------------------------------------------------- */

HANDLE fw_CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                       LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                       DWORD dwCreationFlags, LPDWORD lpThreadId) {
  static sim_tracepoint_t tp = {
      "CreateThread", {{"stack", 'u'}, {"start", 'p'}, {"param", 'p'}, {"flags", 'x'}}, 'x', 0};
  fw_thread_t *self = fw_enter("CreateThread");
  (void)lpThreadAttributes;
  if (lpStartAddress == NULL)
    sim_fail(SIM_STATUS_CRASH,
             "CreateThread with a NULL start address: the new thread would fault at once");
  HANDLE h = NULL;
  fw_thread_t *t = thread_new();
  t->start = lpStartAddress;
  t->param = lpParameter;
  bool suspended = (dwCreationFlags & CREATE_SUSPENDED) != 0;
  char name[32];
  snprintf(name, sizeof name, "thread-0x%x", (unsigned)t->tid);
  /* the stack size is a minimum: the world's default may be larger */
  sim_fiber_t *f = sim_spawn(name, thread_main, t, dwStackSize, suspended);
  if (f == NULL) {
    fw_obj_unref(&t->obj);
    fw_set_error(self, ERROR_NOT_ENOUGH_MEMORY);
  } else {
    t->fiber = f;
    t->started = !suspended;
    t->suspend_count = suspended ? 1 : 0;
    sim_fiber_set_user(f, t);
    h = fw_handle_new(&t->obj);
    if (lpThreadId != NULL) *lpThreadId = t->tid;
  }
  FW_TRACE(&tp, self, FW_P(h), dwStackSize, FW_P(lpStartAddress), FW_P(lpParameter),
           dwCreationFlags);
  return h;
}

void fw_ExitThread(DWORD dwExitCode) {
  static sim_tracepoint_t tp = {"ExitThread", {{"code", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter("ExitThread");
  FW_TRACE(&tp, t, 0, dwExitCode);
  thread_exit(t, dwExitCode);
}

static fw_thread_t *thread_get(fw_thread_t *self, HANDLE h) {
  fw_obj_t *o;
  if (fw_handle_get(h, FW_TYPE_THREAD, true, &o) != 0) {
    fw_set_error(self, ERROR_INVALID_HANDLE);
    return NULL;
  }
  return (fw_thread_t *)o;
}

BOOL fw_GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode) {
  static sim_tracepoint_t tp = {"GetExitCodeThread", {{"h", 'x'}}, 0, 0};
  fw_thread_t *self = fw_enter("GetExitCodeThread");
  fw_thread_t *t = thread_get(self, hThread);
  DWORD code = 0;
  if (t != NULL) {
    code = t->exited ? t->exit_code : STILL_ACTIVE;
    if (lpExitCode != NULL) *lpExitCode = code;
  }
  FW_TRACE(&tp, self, t != NULL, FW_P(hThread));
  return t != NULL;
}

DWORD fw_ResumeThread(HANDLE hThread) {
  static sim_tracepoint_t tp = {"ResumeThread", {{"h", 'x'}}, 'd', 0};
  fw_thread_t *self = fw_enter("ResumeThread");
  fw_thread_t *t = thread_get(self, hThread);
  DWORD prev = (DWORD)-1;
  if (t != NULL) {
    prev = t->suspend_count;
    if (t->suspend_count > 0 && --t->suspend_count == 0 && !t->started && !t->exited) {
      t->started = true;
      sim_fiber_start(t->fiber);
    }
  }
  FW_TRACE(&tp, self, (int64_t)(int32_t)prev, FW_P(hThread));
  return prev;
}

HANDLE fw_GetCurrentThread(VOID) {
  sim_require_fiber("GetCurrentThread");
  return FW_PSEUDO_THREAD;
}

DWORD fw_GetCurrentThreadId(VOID) {
  return fw_enter_local("GetCurrentThreadId")->tid;
}

DWORD fw_GetThreadId(HANDLE Thread) {
  static sim_tracepoint_t tp = {"GetThreadId", {{"h", 'x'}}, 'x', 0};
  fw_thread_t *self = fw_enter_local("GetThreadId");
  fw_thread_t *t = thread_get(self, Thread);
  DWORD id = t ? t->tid : 0;
  FW_TRACE(&tp, self, id, FW_P(Thread));
  return id;
}

HANDLE fw_GetCurrentProcess(VOID) {
  sim_require_fiber("GetCurrentProcess");
  return FW_PSEUDO_PROCESS;
}

DWORD fw_GetCurrentProcessId(VOID) {
  sim_require_fiber("GetCurrentProcessId");
  return FW_PID;
}

static bool valid_priority(int p) {
  return (p >= THREAD_PRIORITY_LOWEST && p <= THREAD_PRIORITY_HIGHEST) ||
         p == THREAD_PRIORITY_IDLE || p == THREAD_PRIORITY_TIME_CRITICAL;
}

/* Priorities are recorded, not scheduled by: the decision stream decides. */
BOOL fw_SetThreadPriority(HANDLE hThread, int nPriority) {
  static sim_tracepoint_t tp = {"SetThreadPriority", {{"h", 'x'}, {"priority", 'd'}}, 0, 0};
  fw_thread_t *self = fw_enter("SetThreadPriority");
  fw_thread_t *t = thread_get(self, hThread);
  BOOL ok = FALSE;
  if (t != NULL) {
    if (!valid_priority(nPriority)) {
      fw_set_error(self, ERROR_INVALID_PARAMETER);
    } else {
      t->priority = nPriority;
      ok = TRUE;
    }
  }
  FW_TRACE(&tp, self, ok, FW_P(hThread), (uint64_t)(int64_t)nPriority);
  return ok;
}

int fw_GetThreadPriority(HANDLE hThread) {
  static sim_tracepoint_t tp = {"GetThreadPriority", {{"h", 'x'}}, 'd', 0};
  fw_thread_t *self = fw_enter_local("GetThreadPriority");
  fw_thread_t *t = thread_get(self, hThread);
  int p = t ? t->priority : MAXLONG; /* THREAD_PRIORITY_ERROR_RETURN */
  FW_TRACE(&tp, self, (int64_t)p, FW_P(hThread));
  return p;
}

VOID fw_GetSystemInfo(LPSYSTEM_INFO si) {
  fw_enter_local("GetSystemInfo");
  memset(si, 0, sizeof *si);
#if defined(__aarch64__)
  si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_ARM64;
#else
  si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
#endif
  si->dwPageSize = 4096;
  si->lpMinimumApplicationAddress = (LPVOID)(uintptr_t)0x10000;
  si->lpMaximumApplicationAddress = (LPVOID)(uintptr_t)0x7ffffffeffffull;
  /* a fixed, host-independent machine: 4 processors */
  si->dwActiveProcessorMask = 0xf;
  si->dwNumberOfProcessors = 4;
  si->dwProcessorType = 8664; /* PROCESSOR_AMD_X8664 */
  si->dwAllocationGranularity = 65536;
}

/* ---- last error ----------------------------------------------------------------------- */

DWORD fw_GetLastError(VOID) {
  return fw_enter_local("GetLastError")->last_error;
}

VOID fw_SetLastError(DWORD dwErrCode) {
  fw_enter_local("SetLastError")->last_error = dwErrCode;
}

/* ---- APCs and sleeping ---------------------------------------------------------------- */

uint32_t fw_thread_run_apcs(fw_thread_t *t) {
  uint32_t n = 0;
  while (t->apc_head != NULL) {
    fw_apc_t *a = t->apc_head;
    t->apc_head = a->next;
    if (t->apc_head == NULL) t->apc_tail = NULL;
    PAPCFUNC fn = a->fn;
    ULONG_PTR data = a->data;
    free(a);
    fn(data);
    n++;
  }
  return n;
}

void fw_thread_queue_apc(fw_thread_t *t, PAPCFUNC fn, ULONG_PTR data) {
  fw_apc_t *a = calloc(1, sizeof *a);
  if (a == NULL) abort();
  a->fn = fn;
  a->data = data;
  if (t->apc_tail)
    t->apc_tail->next = a;
  else
    t->apc_head = a;
  t->apc_tail = a;
  /* a thread in an alertable wait is released to run it */
  if (t->waiting != NULL && t->waiting->alertable && t->fiber != NULL &&
      sim_fiber_state(t->fiber) == SIM_FIBER_BLOCKED)
    sim_wake(t->fiber, FW_WAKE_APC, 0);
}

typedef struct {
  LPOVERLAPPED_COMPLETION_ROUTINE fn;
  DWORD err, bytes;
  LPOVERLAPPED ov;
} routine_call_t;

static VOID NTAPI run_routine(ULONG_PTR data) {
  routine_call_t c = *(routine_call_t *)data;
  free((void *)data);
  c.fn(c.err, c.bytes, c.ov);
}

void fw_thread_queue_routine(fw_thread_t *t, LPOVERLAPPED_COMPLETION_ROUTINE fn, NTSTATUS status,
                             DWORD bytes, LPOVERLAPPED ov) {
  /* an APC queued to a thread that has exited is dropped, as the kernel does */
  if (t->exited) return;
  routine_call_t *c = malloc(sizeof *c);
  if (c == NULL) abort();
  c->fn = fn;
  c->err = status == STATUS_SUCCESS ? 0 : fw_nt_to_win32(status);
  c->bytes = bytes;
  c->ov = ov;
  fw_thread_queue_apc(t, run_routine, (ULONG_PTR)c);
}

DWORD fw_QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData) {
  static sim_tracepoint_t tp = {"QueueUserAPC", {{"fn", 'p'}, {"h", 'x'}, {"data", 'x'}}, 0, 0};
  fw_thread_t *self = fw_enter("QueueUserAPC");
  fw_thread_t *t = thread_get(self, hThread);
  DWORD ok = 0;
  if (t != NULL && t->exited) {
    fw_set_error(self, ERROR_GEN_FAILURE);
  } else if (t != NULL) {
    fw_thread_queue_apc(t, pfnAPC, dwData);
    ok = 1;
  }
  FW_TRACE(&tp, self, ok, FW_P(pfnAPC), FW_P(hThread), dwData);
  return ok;
}

static DWORD sleep_for(fw_thread_t *t, const char *call, DWORD ms, bool alertable) {
  if (ms == 0 && !(alertable && t->apc_head))
    return 0; /* the entry's scheduling point was the sleep */
  DWORD r = fw_wait_objects(t, call, 0, NULL, false, ms, alertable);
  return r == WAIT_IO_COMPLETION ? WAIT_IO_COMPLETION : 0;
}

VOID fw_Sleep(DWORD dwMilliseconds) {
  static sim_tracepoint_t tp = {"Sleep", {{"ms", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter("Sleep");
  sleep_for(t, "Sleep", dwMilliseconds, false);
  FW_TRACE(&tp, t, 0, dwMilliseconds);
}

DWORD fw_SleepEx(DWORD dwMilliseconds, BOOL bAlertable) {
  static sim_tracepoint_t tp = {"SleepEx", {{"ms", 'u'}, {"alertable", 'u'}}, 'x', 0};
  fw_thread_t *t = fw_enter("SleepEx");
  DWORD r = sleep_for(t, "SleepEx", dwMilliseconds, bAlertable);
  FW_TRACE(&tp, t, r, dwMilliseconds, (uint64_t)bAlertable);
  return r;
}

/* TRUE when another thread ran (the scheduling point switched away). */
BOOL fw_SwitchToThread(VOID) {
  static sim_tracepoint_t tp = {"SwitchToThread", {{NULL, 0}}, 0, 0};
  sim_require_fiber("SwitchToThread");
  BOOL switched = sim_yield();
  FW_TRACE0(&tp, fw_thread_current(), switched);
  return switched;
}

/* ---- TLS ------------------------------------------------------------------------------- */

static void tls_clear_slot(fw_obj_t *o, void *arg) {
  fw_thread_t *t = (fw_thread_t *)o;
  if (t->tls) t->tls[(uintptr_t)arg] = NULL;
}

DWORD fw_TlsAlloc(VOID) {
  static sim_tracepoint_t tp = {"TlsAlloc", {{NULL, 0}}, 'x', 0};
  fw_thread_t *t = fw_enter("TlsAlloc");
  DWORD idx = TLS_OUT_OF_INDEXES;
  for (DWORD i = 0; i < FW_TLS_SLOTS; i++) {
    if (!tls_used[i]) {
      tls_used[i] = 1;
      idx = i;
      /* a new index starts out NULL in every thread */
      fw_obj_foreach(FW_TYPE_THREAD, tls_clear_slot, (void *)(uintptr_t)i);
      break;
    }
  }
  if (idx == TLS_OUT_OF_INDEXES) fw_set_error(t, ERROR_NO_MORE_ITEMS);
  FW_TRACE0(&tp, t, idx);
  return idx;
}

BOOL fw_TlsFree(DWORD dwTlsIndex) {
  static sim_tracepoint_t tp = {"TlsFree", {{"index", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter("TlsFree");
  BOOL ok = dwTlsIndex < FW_TLS_SLOTS && tls_used[dwTlsIndex];
  if (ok)
    tls_used[dwTlsIndex] = 0;
  else
    fw_set_error(t, ERROR_INVALID_PARAMETER);
  FW_TRACE(&tp, t, ok, dwTlsIndex);
  return ok;
}

/* Success clears the last error (TlsGetValue docs): 0 is a valid value. */
LPVOID fw_TlsGetValue(DWORD dwTlsIndex) {
  fw_thread_t *t = fw_enter_local("TlsGetValue");
  if (dwTlsIndex >= FW_TLS_SLOTS) {
    fw_set_error(t, ERROR_INVALID_PARAMETER);
    return NULL;
  }
  fw_set_error(t, ERROR_SUCCESS);
  return t->tls ? t->tls[dwTlsIndex] : NULL;
}

BOOL fw_TlsSetValue(DWORD dwTlsIndex, LPVOID lpTlsValue) {
  fw_thread_t *t = fw_enter_local("TlsSetValue");
  if (dwTlsIndex >= FW_TLS_SLOTS) {
    fw_set_error(t, ERROR_INVALID_PARAMETER);
    return FALSE;
  }
  if (t->tls == NULL) {
    t->tls = calloc(FW_TLS_SLOTS, sizeof *t->tls);
    if (t->tls == NULL) abort();
  }
  t->tls[dwTlsIndex] = lpTlsValue;
  return TRUE;
}
