/* fw_sync.c: the user-mode synchronisation API: Interlocked*, SRW locks,
 * critical sections, condition variables, WaitOnAddress, InitOnce.
 *
 * Each call is a scheduling point, then acts atomically.  State lives where
 * Windows keeps it (the SRWLOCK word, the CRITICAL_SECTION fields, the
 * INIT_ONCE word), so statically initialised objects just work; threads
 * that must wait are queued per address in a world-scoped table (keyed by
 * address for lookup only: every queue is FIFO in arrival order, and nothing
 * is ever ordered by address).  An SRW lock that becomes free wakes as
 * Windows' does: the oldest waiter if it waits exclusively, otherwise every
 * thread waiting shared (an exclusive waiter queued among them stays).
 * Critical-section releases wake every waiter.  Woken threads compete again:
 * like Windows' SRW locks and critical sections these are not FIFO-fair, and
 * a releasing thread may take the lock back before a woken one runs (the
 * woken one then queues again at the tail; the next release wakes again, so
 * no wake-up is lost).
 *
 * Misuse that Windows turns into an exception or undefined behaviour
 * (releasing an SRW lock not held in that mode, leaving a critical section
 * the caller does not own) ends the run with SIM_STATUS_CRASH. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_int.h"

/* ---- per-address wait queues ---------------------------------------------------- */

typedef struct fw_addr_waiter {
  struct fw_addr_waiter *next, *prev;
  const volatile void *addr;
  sim_fiber_t *fiber;
  bool linked;
  bool shared; /* SRW: waits to acquire shared */
} fw_addr_waiter_t;

#define FW_ADDR_BUCKETS 256
static struct { fw_addr_waiter_t *head, *tail; } buckets[FW_ADDR_BUCKETS];

static unsigned bucket_of(const volatile void *addr) {
  return (unsigned)((((uintptr_t)addr >> 3) * 0x9e3779b97f4a7c15ull) >> 56);
}

void fw_sync_reset(void) {
  memset(buckets, 0, sizeof buckets);
}

static void addr_unlink(fw_addr_waiter_t *w) {
  unsigned b = bucket_of(w->addr);
  if (w->prev)
    w->prev->next = w->next;
  else
    buckets[b].head = w->next;
  if (w->next)
    w->next->prev = w->prev;
  else
    buckets[b].tail = w->prev;
  w->next = w->prev = NULL;
  w->linked = false;
}

/* Blocks the caller on addr; true if woken, false on timeout.  `shared`
 * marks an SRW waiter that wants the lock shared. */
static bool addr_wait_mode(const volatile void *addr, bool shared, const char *call,
                           uint64_t timeout_ns, sim_describe_fn describe, void *ctx) {
  fw_addr_waiter_t w = {NULL, NULL, addr, sim_current(), true, shared};
  unsigned b = bucket_of(addr);
  w.prev = buckets[b].tail;
  if (buckets[b].tail)
    buckets[b].tail->next = &w;
  else
    buckets[b].head = &w;
  buckets[b].tail = &w;
  sim_wake_t wk = sim_block(call, timeout_ns, describe, ctx);
  if (w.linked) addr_unlink(&w);
  return wk.reason != SIM_WAKE_TIMEOUT;
}

static bool addr_wait(const volatile void *addr, const char *call, uint64_t timeout_ns,
                      sim_describe_fn describe, void *ctx) {
  return addr_wait_mode(addr, false, call, timeout_ns, describe, ctx);
}

/* Wakes up to max (0: all) threads blocked on addr, oldest first. */
static void addr_wake(const volatile void *addr, uint32_t max) {
  unsigned b = bucket_of(addr);
  uint32_t n = 0;
  fw_addr_waiter_t *next;
  for (fw_addr_waiter_t *w = buckets[b].head; w != NULL; w = next) {
    next = w->next;
    if (w->addr != addr || sim_fiber_state(w->fiber) != SIM_FIBER_BLOCKED) continue;
    addr_unlink(w);
    sim_wake(w->fiber, FW_WAKE_CUSTOM, 0);
    if (max != 0 && ++n == max) return;
  }
}

/* An SRW lock became free: wake its oldest waiter if that one waits
 * exclusively, else every shared waiter, oldest first (Windows' rule; Wine's
 * futex version does the same). */
static void srw_wake(const volatile void *addr) {
  unsigned b = bucket_of(addr);
  fw_addr_waiter_t *next;
  bool first = true;
  for (fw_addr_waiter_t *w = buckets[b].head; w != NULL; w = next) {
    next = w->next;
    if (w->addr != addr || sim_fiber_state(w->fiber) != SIM_FIBER_BLOCKED) continue;
    if (first && !w->shared) {
      addr_unlink(w);
      sim_wake(w->fiber, FW_WAKE_CUSTOM, 0);
      return;
    }
    first = false;
    if (!w->shared) continue;
    addr_unlink(w);
    sim_wake(w->fiber, FW_WAKE_CUSTOM, 0);
  }
}

/* ---- Interlocked ---------------------------------------------------------------- */

#define FW_INTERLOCKED(name, T, body, ...)                                                   \
  T fw_##name(__VA_ARGS__) {                                                                 \
    static sim_tracepoint_t tp = {#name, {{"addr", 'p'}, {"v", 'x'}, {"cmp", 'x'}}, 'x', 0}; \
    fw_thread_t *t = fw_enter(#name);                                                        \
    T r_;                                                                                    \
    uint64_t v_ = 0, c_ = 0;                                                                 \
    body;                                                                                    \
    FW_TRACE(&tp, t, (uint64_t)(r_), FW_P(p_), v_, c_);                                      \
    return r_;                                                                               \
  }

/* body: p_ is the target, r_ the result (the value the SDK documents).
 * Arithmetic wraps as on Windows: it is done unsigned (no C overflow). */
FW_INTERLOCKED(InterlockedIncrement, LONG, LONG volatile *p_ = a;
               r_ = *p_ = (LONG)((uint32_t)*p_ + 1u), LONG volatile *a)
FW_INTERLOCKED(InterlockedDecrement, LONG, LONG volatile *p_ = a;
               r_ = *p_ = (LONG)((uint32_t)*p_ - 1u), LONG volatile *a)
FW_INTERLOCKED(InterlockedExchange, LONG, LONG volatile *p_ = a; v_ = (uint32_t)v; r_ = *p_;
               *p_ = v, LONG volatile *a, LONG v)
FW_INTERLOCKED(InterlockedExchangeAdd, LONG, LONG volatile *p_ = a; v_ = (uint32_t)v; r_ = *p_;
               *p_ = (LONG)((uint32_t)r_ + (uint32_t)v), LONG volatile *a, LONG v)
FW_INTERLOCKED(InterlockedAdd, LONG, LONG volatile *p_ = a; v_ = (uint32_t)v;
               r_ = *p_ = (LONG)((uint32_t)*p_ + (uint32_t)v), LONG volatile *a, LONG v)
FW_INTERLOCKED(InterlockedCompareExchange, LONG, LONG volatile *p_ = a; v_ = (uint32_t)x;
               c_ = (uint32_t)c; r_ = *p_; if (r_ == c) *p_ = x, LONG volatile *a, LONG x, LONG c)
FW_INTERLOCKED(InterlockedAnd, LONG, LONG volatile *p_ = a; v_ = (uint32_t)v; r_ = *p_;
               *p_ = r_ & v, LONG volatile *a, LONG v)
FW_INTERLOCKED(InterlockedOr, LONG, LONG volatile *p_ = a; v_ = (uint32_t)v; r_ = *p_;
               *p_ = r_ | v, LONG volatile *a, LONG v)
FW_INTERLOCKED(InterlockedXor, LONG, LONG volatile *p_ = a; v_ = (uint32_t)v; r_ = *p_;
               *p_ = r_ ^ v, LONG volatile *a, LONG v)

FW_INTERLOCKED(InterlockedIncrement64, LONG64, LONG64 volatile *p_ = a;
               r_ = *p_ = (LONG64)((uint64_t)*p_ + 1), LONG64 volatile *a)
FW_INTERLOCKED(InterlockedDecrement64, LONG64, LONG64 volatile *p_ = a;
               r_ = *p_ = (LONG64)((uint64_t)*p_ - 1), LONG64 volatile *a)
FW_INTERLOCKED(InterlockedExchange64, LONG64, LONG64 volatile *p_ = a; v_ = (uint64_t)v; r_ = *p_;
               *p_ = v, LONG64 volatile *a, LONG64 v)
FW_INTERLOCKED(InterlockedExchangeAdd64, LONG64, LONG64 volatile *p_ = a; v_ = (uint64_t)v;
               r_ = *p_; *p_ = (LONG64)((uint64_t)r_ + (uint64_t)v), LONG64 volatile *a, LONG64 v)
FW_INTERLOCKED(InterlockedAdd64, LONG64, LONG64 volatile *p_ = a; v_ = (uint64_t)v;
               r_ = *p_ = (LONG64)((uint64_t)*p_ + (uint64_t)v), LONG64 volatile *a, LONG64 v)
FW_INTERLOCKED(InterlockedCompareExchange64, LONG64, LONG64 volatile *p_ = a; v_ = (uint64_t)x;
               c_ = (uint64_t)c; r_ = *p_;
               if (r_ == c) *p_ = x, LONG64 volatile *a, LONG64 x, LONG64 c)
FW_INTERLOCKED(InterlockedAnd64, LONG64, LONG64 volatile *p_ = a; v_ = (uint64_t)v; r_ = *p_;
               *p_ = r_ & v, LONG64 volatile *a, LONG64 v)
FW_INTERLOCKED(InterlockedOr64, LONG64, LONG64 volatile *p_ = a; v_ = (uint64_t)v; r_ = *p_;
               *p_ = r_ | v, LONG64 volatile *a, LONG64 v)
FW_INTERLOCKED(InterlockedXor64, LONG64, LONG64 volatile *p_ = a; v_ = (uint64_t)v; r_ = *p_;
               *p_ = r_ ^ v, LONG64 volatile *a, LONG64 v)

/* Pointer results are traced by nullness only. */
PVOID fw_InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID Exchange,
                                           PVOID Comperand) {
  static sim_tracepoint_t tp = {
      "InterlockedCompareExchangePointer", {{"addr", 'p'}, {"v", 'p'}, {"cmp", 'p'}}, 'p', 0};
  fw_thread_t *t = fw_enter("InterlockedCompareExchangePointer");
  PVOID r = *Destination;
  if (r == Comperand) *Destination = Exchange;
  FW_TRACE(&tp, t, FW_P(r), FW_P(Destination), FW_P(Exchange), FW_P(Comperand));
  return r;
}

PVOID fw_InterlockedExchangePointer(PVOID volatile *Target, PVOID Value) {
  static sim_tracepoint_t tp = {"InterlockedExchangePointer", {{"addr", 'p'}, {"v", 'p'}}, 'p', 0};
  fw_thread_t *t = fw_enter("InterlockedExchangePointer");
  PVOID r = *Target;
  *Target = Value;
  FW_TRACE(&tp, t, FW_P(r), FW_P(Target), FW_P(Value));
  return r;
}

VOID fw_MemoryBarrier(VOID) {
  static sim_tracepoint_t tp = {"MemoryBarrier", {{NULL, 0}}, 0, 0};
  fw_thread_t *t = fw_enter("MemoryBarrier");
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  FW_TRACE0(&tp, t, 0);
}

/* ---- SRW locks -------------------------------------------------------------------- */

#define SRW_EXCL ((uintptr_t)1)
/* The lock and once words are pointer-sized; read and written as PVOID (no
 * type punning).  SRW word: 0 free, 1 held exclusively, 2*k held by k readers. */
static uintptr_t word_get(PVOID *w) {
  return (uintptr_t) * (PVOID volatile *)w;
}
static void word_set(PVOID *w, uintptr_t v) {
  *(PVOID volatile *)w = (PVOID)v;
}

static void srw_describe(void *ctx, char *buf, size_t len) {
  uintptr_t v = word_get(&((PSRWLOCK)ctx)->Ptr);
  if (v == SRW_EXCL)
    snprintf(buf, len, "SRW lock held exclusively");
  else if (v != 0)
    snprintf(buf, len, "SRW lock held by %zu readers", (size_t)(v >> 1));
  else
    snprintf(buf, len, "SRW lock free (a wake is on its way)");
}

static void srw_lock(PSRWLOCK l, bool shared, const char *call) {
  for (;;) {
    uintptr_t v = word_get(&(l)->Ptr);
    if (shared ? (v & SRW_EXCL) == 0 : v == 0) {
      word_set(&(l)->Ptr, shared ? v + 2 : SRW_EXCL);
      return;
    }
    addr_wait_mode(l, shared, call, SIM_NO_TIMEOUT, srw_describe, l);
  }
}

static void srw_unlock(PSRWLOCK l, bool shared, const char *call) {
  uintptr_t v = word_get(&(l)->Ptr);
  if (shared ? (v == 0 || (v & SRW_EXCL)) : v != SRW_EXCL)
    sim_fail(SIM_STATUS_CRASH,
             "%s on an SRW lock not held %s (Windows raises STATUS_RESOURCE_NOT_OWNED)", call,
             shared ? "shared" : "exclusively");
  word_set(&(l)->Ptr, shared ? v - 2 : 0);
  if (word_get(&(l)->Ptr) == 0) srw_wake(l);
}

VOID fw_InitializeSRWLock(PSRWLOCK SRWLock) {
  fw_enter_local("InitializeSRWLock");
  word_set(&(SRWLock)->Ptr, 0);
}

#define FW_SRW_CALL(name, stmt)                                  \
  VOID fw_##name(PSRWLOCK SRWLock) {                             \
    static sim_tracepoint_t tp = {#name, {{"lock", 'p'}}, 0, 0}; \
    fw_thread_t *t = fw_enter(#name);                            \
    stmt;                                                        \
    FW_TRACE(&tp, t, 0, FW_P(SRWLock));                          \
  }
FW_SRW_CALL(AcquireSRWLockExclusive, srw_lock(SRWLock, false, "AcquireSRWLockExclusive"))
FW_SRW_CALL(AcquireSRWLockShared, srw_lock(SRWLock, true, "AcquireSRWLockShared"))
FW_SRW_CALL(ReleaseSRWLockExclusive, srw_unlock(SRWLock, false, "ReleaseSRWLockExclusive"))
FW_SRW_CALL(ReleaseSRWLockShared, srw_unlock(SRWLock, true, "ReleaseSRWLockShared"))

BOOLEAN fw_TryAcquireSRWLockExclusive(PSRWLOCK SRWLock) {
  static sim_tracepoint_t tp = {"TryAcquireSRWLockExclusive", {{"lock", 'p'}}, 0, 0};
  fw_thread_t *t = fw_enter("TryAcquireSRWLockExclusive");
  BOOLEAN ok = word_get(&(SRWLock)->Ptr) == 0;
  if (ok) word_set(&(SRWLock)->Ptr, SRW_EXCL);
  FW_TRACE(&tp, t, ok, FW_P(SRWLock));
  return ok;
}

BOOLEAN fw_TryAcquireSRWLockShared(PSRWLOCK SRWLock) {
  static sim_tracepoint_t tp = {"TryAcquireSRWLockShared", {{"lock", 'p'}}, 0, 0};
  fw_thread_t *t = fw_enter("TryAcquireSRWLockShared");
  uintptr_t v = word_get(&(SRWLock)->Ptr);
  BOOLEAN ok = (v & SRW_EXCL) == 0;
  if (ok) word_set(&(SRWLock)->Ptr, v + 2);
  FW_TRACE(&tp, t, ok, FW_P(SRWLock));
  return ok;
}

/* ---- critical sections -------------------------------------------------------------- */

/* OwningThread holds the owner's thread id, as on Windows; LockCount is -1
 * when free and 0 when held (contention is not counted). */
#define CS_OWNER(cs) ((DWORD)(uintptr_t)(cs)->OwningThread)

static void cs_describe(void *ctx, char *buf, size_t len) {
  LPCRITICAL_SECTION cs = ctx;
  snprintf(buf, len, "critical section owned by thread 0x%x (%d deep)", (unsigned)CS_OWNER(cs),
           (int)cs->RecursionCount);
}

static void cs_init(LPCRITICAL_SECTION cs, DWORD spin) {
  memset(cs, 0, sizeof *cs);
  cs->LockCount = -1;
  cs->SpinCount = spin;
}

VOID fw_InitializeCriticalSection(LPCRITICAL_SECTION cs) {
  fw_enter_local("InitializeCriticalSection");
  cs_init(cs, 0);
}

BOOL fw_InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION cs, DWORD dwSpinCount) {
  fw_enter_local("InitializeCriticalSectionAndSpinCount");
  cs_init(cs, dwSpinCount);
  return TRUE;
}

BOOL fw_InitializeCriticalSectionEx(LPCRITICAL_SECTION cs, DWORD dwSpinCount, DWORD Flags) {
  (void)Flags; /* CRITICAL_SECTION_NO_DEBUG_INFO and friends change nothing observable here */
  fw_enter_local("InitializeCriticalSectionEx");
  cs_init(cs, dwSpinCount);
  return TRUE;
}

static bool cs_try(LPCRITICAL_SECTION cs, DWORD tid) {
  if (CS_OWNER(cs) == 0) {
    cs->OwningThread = (HANDLE)(uintptr_t)tid;
    cs->RecursionCount = 1;
    cs->LockCount = 0;
    return true;
  }
  if (CS_OWNER(cs) == tid) {
    cs->RecursionCount++;
    return true;
  }
  return false;
}

static void cs_enter(LPCRITICAL_SECTION cs, DWORD tid, const char *call) {
  while (!cs_try(cs, tid)) addr_wait(cs, call, SIM_NO_TIMEOUT, cs_describe, cs);
}

static void cs_leave_all(LPCRITICAL_SECTION cs) {
  cs->RecursionCount = 0;
  cs->OwningThread = NULL;
  cs->LockCount = -1;
  addr_wake(cs, 0);
}

VOID fw_EnterCriticalSection(LPCRITICAL_SECTION cs) {
  static sim_tracepoint_t tp = {"EnterCriticalSection", {{"cs", 'p'}}, 0, 0};
  fw_thread_t *t = fw_enter("EnterCriticalSection");
  cs_enter(cs, t->tid, "EnterCriticalSection");
  FW_TRACE(&tp, t, 0, FW_P(cs));
}

BOOL fw_TryEnterCriticalSection(LPCRITICAL_SECTION cs) {
  static sim_tracepoint_t tp = {"TryEnterCriticalSection", {{"cs", 'p'}}, 0, 0};
  fw_thread_t *t = fw_enter("TryEnterCriticalSection");
  BOOL ok = cs_try(cs, t->tid);
  FW_TRACE(&tp, t, ok, FW_P(cs));
  return ok;
}

VOID fw_LeaveCriticalSection(LPCRITICAL_SECTION cs) {
  static sim_tracepoint_t tp = {"LeaveCriticalSection", {{"cs", 'p'}}, 0, 0};
  fw_thread_t *t = fw_enter("LeaveCriticalSection");
  if (CS_OWNER(cs) != t->tid || cs->RecursionCount <= 0)
    sim_fail(SIM_STATUS_CRASH,
             "LeaveCriticalSection by thread 0x%x, which does not own it (owner 0x%x)",
             (unsigned)t->tid, (unsigned)CS_OWNER(cs));
  if (--cs->RecursionCount == 0) cs_leave_all(cs);
  FW_TRACE(&tp, t, 0, FW_P(cs));
}

VOID fw_DeleteCriticalSection(LPCRITICAL_SECTION cs) {
  fw_enter_local("DeleteCriticalSection");
  memset(cs, 0, sizeof *cs);
}

/* ---- condition variables ---------------------------------------------------------- */

static void cv_describe(void *ctx, char *buf, size_t len) {
  (void)ctx;
  snprintf(buf, len, "condition variable");
}

BOOL fw_SleepConditionVariableSRW(PCONDITION_VARIABLE cv, PSRWLOCK lock, DWORD dwMilliseconds,
                                  ULONG Flags) {
  static sim_tracepoint_t tp = {
      "SleepConditionVariableSRW", {{"cv", 'p'}, {"lock", 'p'}, {"ms", 'u'}, {"flags", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("SleepConditionVariableSRW");
  bool shared = (Flags & CONDITION_VARIABLE_LOCKMODE_SHARED) != 0;
  srw_unlock(lock, shared, "SleepConditionVariableSRW");
  bool woken =
      addr_wait(cv, "SleepConditionVariableSRW", fw_ms_to_ns(dwMilliseconds), cv_describe, cv);
  srw_lock(lock, shared, "SleepConditionVariableSRW");
  if (!woken) fw_set_error(t, ERROR_TIMEOUT);
  FW_TRACE(&tp, t, woken, FW_P(cv), FW_P(lock), dwMilliseconds, Flags);
  return woken;
}

BOOL fw_SleepConditionVariableCS(PCONDITION_VARIABLE cv, PCRITICAL_SECTION cs,
                                 DWORD dwMilliseconds) {
  static sim_tracepoint_t tp = {
      "SleepConditionVariableCS", {{"cv", 'p'}, {"cs", 'p'}, {"ms", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter("SleepConditionVariableCS");
  if (CS_OWNER(cs) != t->tid)
    sim_fail(SIM_STATUS_CRASH,
             "SleepConditionVariableCS by thread 0x%x, which does not own the critical section",
             (unsigned)t->tid);
  LONG depth = cs->RecursionCount; /* released completely, restored on return */
  cs_leave_all(cs);
  bool woken =
      addr_wait(cv, "SleepConditionVariableCS", fw_ms_to_ns(dwMilliseconds), cv_describe, cv);
  cs_enter(cs, t->tid, "SleepConditionVariableCS");
  cs->RecursionCount = depth;
  if (!woken) fw_set_error(t, ERROR_TIMEOUT);
  FW_TRACE(&tp, t, woken, FW_P(cv), FW_P(cs), dwMilliseconds);
  return woken;
}

VOID fw_InitializeConditionVariable(PCONDITION_VARIABLE cv) {
  fw_enter_local("InitializeConditionVariable");
  cv->Ptr = NULL;
}

VOID fw_WakeConditionVariable(PCONDITION_VARIABLE cv) {
  static sim_tracepoint_t tp = {"WakeConditionVariable", {{"cv", 'p'}}, 0, 0};
  fw_thread_t *t = fw_enter("WakeConditionVariable");
  addr_wake(cv, 1);
  FW_TRACE(&tp, t, 0, FW_P(cv));
}

VOID fw_WakeAllConditionVariable(PCONDITION_VARIABLE cv) {
  static sim_tracepoint_t tp = {"WakeAllConditionVariable", {{"cv", 'p'}}, 0, 0};
  fw_thread_t *t = fw_enter("WakeAllConditionVariable");
  addr_wake(cv, 0);
  FW_TRACE(&tp, t, 0, FW_P(cv));
}

/* ---- WaitOnAddress ------------------------------------------------------------------ */

static void woa_describe(void *ctx, char *buf, size_t len) {
  (void)ctx;
  snprintf(buf, len, "address value unchanged");
}

BOOL fw_WaitOnAddress(volatile VOID *Address, PVOID CompareAddress, SIZE_T AddressSize,
                      DWORD dwMilliseconds) {
  static sim_tracepoint_t tp = {"WaitOnAddress", {{"addr", 'p'}, {"size", 'u'}, {"ms", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter("WaitOnAddress");
  BOOL ok;
  if (AddressSize != 1 && AddressSize != 2 && AddressSize != 4 && AddressSize != 8) {
    fw_set_error(t, ERROR_INVALID_PARAMETER);
    ok = FALSE;
  } else if (memcmp((const void *)Address, CompareAddress, AddressSize) != 0) {
    ok = TRUE; /* the value already differs: return at once */
  } else {
    ok = addr_wait(Address, "WaitOnAddress", fw_ms_to_ns(dwMilliseconds), woa_describe, NULL);
    if (!ok) fw_set_error(t, ERROR_TIMEOUT);
  }
  FW_TRACE(&tp, t, ok, FW_P(Address), AddressSize, dwMilliseconds);
  return ok;
}

VOID fw_WakeByAddressSingle(PVOID Address) {
  static sim_tracepoint_t tp = {"WakeByAddressSingle", {{"addr", 'p'}}, 0, 0};
  fw_thread_t *t = fw_enter("WakeByAddressSingle");
  addr_wake(Address, 1);
  FW_TRACE(&tp, t, 0, FW_P(Address));
}

VOID fw_WakeByAddressAll(PVOID Address) {
  static sim_tracepoint_t tp = {"WakeByAddressAll", {{"addr", 'p'}}, 0, 0};
  fw_thread_t *t = fw_enter("WakeByAddressAll");
  addr_wake(Address, 0);
  FW_TRACE(&tp, t, 0, FW_P(Address));
}

/* ---- InitOnce (synchronous mode) ------------------------------------------------------ */

/* The INIT_ONCE word: 0 not started, 1 in progress, (context | 2) done. */

#define IO_STATE(v) ((v)&3u)
#define IO_BUSY 1u
#define IO_DONE 2u

static void io_describe(void *ctx, char *buf, size_t len) {
  (void)ctx;
  snprintf(buf, len, "one-time initialisation in progress on another thread");
}

VOID fw_InitOnceInitialize(PINIT_ONCE InitOnce) {
  fw_enter_local("InitOnceInitialize");
  word_set(&(InitOnce)->Ptr, 0);
}

/* Waits while another thread initialises; returns the settled word. */
static uintptr_t io_settle(PINIT_ONCE io, const char *call) {
  while (IO_STATE(word_get(&(io)->Ptr)) == IO_BUSY)
    addr_wait(io, call, SIM_NO_TIMEOUT, io_describe, NULL);
  return word_get(&(io)->Ptr);
}

BOOL fw_InitOnceExecuteOnce(PINIT_ONCE InitOnce, PINIT_ONCE_FN InitFn, PVOID Parameter,
                            LPVOID *Context) {
  static sim_tracepoint_t tp = {"InitOnceExecuteOnce", {{"once", 'p'}}, 0, 0};
  fw_thread_t *t = fw_enter("InitOnceExecuteOnce");
  BOOL ok;
  uintptr_t v = io_settle(InitOnce, "InitOnceExecuteOnce");
  if (IO_STATE(v) == IO_DONE) {
    if (Context) *Context = (LPVOID)(v & ~(uintptr_t)3);
    ok = TRUE;
  } else {
    word_set(&(InitOnce)->Ptr, IO_BUSY);
    PVOID ctx = NULL;
    ok = InitFn(InitOnce, Parameter, &ctx);
    if (ok) {
      word_set(&(InitOnce)->Ptr, ((uintptr_t)ctx & ~(uintptr_t)3) | IO_DONE);
      if (Context) *Context = (LPVOID)((uintptr_t)ctx & ~(uintptr_t)3);
    } else {
      word_set(&(InitOnce)->Ptr, 0); /* a failed initialisation may be attempted again */
    }
    addr_wake(InitOnce, 0);
  }
  FW_TRACE(&tp, t, ok, FW_P(InitOnce));
  return ok;
}

BOOL fw_InitOnceBeginInitialize(LPINIT_ONCE lpInitOnce, DWORD dwFlags, PBOOL fPending,
                                LPVOID *lpContext) {
  static sim_tracepoint_t tp = {"InitOnceBeginInitialize", {{"once", 'p'}, {"flags", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("InitOnceBeginInitialize");
  BOOL ok = FALSE;
  if (dwFlags & ~(DWORD)INIT_ONCE_CHECK_ONLY) {
    /* INIT_ONCE_ASYNC is not modelled: refuse it rather than get it wrong */
    fw_set_error(t, ERROR_INVALID_PARAMETER);
  } else if (dwFlags & INIT_ONCE_CHECK_ONLY) {
    uintptr_t v = word_get(&(lpInitOnce)->Ptr);
    if (IO_STATE(v) == IO_DONE) {
      *fPending = FALSE;
      if (lpContext) *lpContext = (LPVOID)(v & ~(uintptr_t)3);
      ok = TRUE;
    } else {
      fw_set_error(t, ERROR_GEN_FAILURE); /* STATUS_UNSUCCESSFUL */
    }
  } else {
    uintptr_t v = io_settle(lpInitOnce, "InitOnceBeginInitialize");
    if (IO_STATE(v) == IO_DONE) {
      *fPending = FALSE;
      if (lpContext) *lpContext = (LPVOID)(v & ~(uintptr_t)3);
    } else {
      word_set(&(lpInitOnce)->Ptr, IO_BUSY);
      *fPending = TRUE;
    }
    ok = TRUE;
  }
  FW_TRACE(&tp, t, ok, FW_P(lpInitOnce), dwFlags);
  return ok;
}

BOOL fw_InitOnceComplete(LPINIT_ONCE lpInitOnce, DWORD dwFlags, LPVOID lpContext) {
  static sim_tracepoint_t tp = {"InitOnceComplete", {{"once", 'p'}, {"flags", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("InitOnceComplete");
  BOOL ok = FALSE;
  if ((dwFlags & ~(DWORD)INIT_ONCE_INIT_FAILED) || ((uintptr_t)lpContext & 3u) ||
      ((dwFlags & INIT_ONCE_INIT_FAILED) && lpContext != NULL)) {
    fw_set_error(t, ERROR_INVALID_PARAMETER);
  } else if (IO_STATE(word_get(&(lpInitOnce)->Ptr)) != IO_BUSY) {
    fw_set_error(t, ERROR_GEN_FAILURE);
  } else {
    word_set(&(lpInitOnce)->Ptr,
             (dwFlags & INIT_ONCE_INIT_FAILED) ? 0 : ((uintptr_t)lpContext | IO_DONE));
    addr_wake(lpInitOnce, 0);
    ok = TRUE;
  }
  FW_TRACE(&tp, t, ok, FW_P(lpInitOnce), dwFlags);
  return ok;
}
