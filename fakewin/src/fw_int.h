/* fw_int.h: what the files of fakewin/src share (kernel objects here; the
 * I/O half - IOCP, sockets, files, pipes, console, faults - builds on it).
 *
 *   fw_object.c  the handle table, object lifetime, CloseHandle,
 *                DuplicateHandle, handle flags, world hooks, tracing helpers
 *   fw_wait.c    the dispatcher: waits on objects (single, multiple, all),
 *                events, semaphores, mutexes, alertable waits
 *   fw_thread.c  threads, last error, TLS, APCs, Sleep, SwitchToThread
 *   fw_sync.c    Interlocked*, SRW locks, critical sections, condition
 *                variables, WaitOnAddress, InitOnce
 *   fw_time.c    tick counts, the performance counter, FILETIME
 *
 * Every Win32 entry point starts with fw_enter() (a scheduling point) or
 * fw_enter_local() (thread-local calls that are not), and ends by tracing
 * itself with FW_TRACE.  Objects are reference counted: each handle holds a
 * reference, and so does anything that uses an object across a scheduling
 * point (a wait holds its objects). */
#ifndef FAKEWIN_FW_INT_H
#define FAKEWIN_FW_INT_H

#include <windows.h>

#include "sim.h"

/* ---- objects ------------------------------------------------------------ */

typedef enum fw_type {
  FW_TYPE_ANY = 0, /* for lookups: any type */
  FW_TYPE_PROCESS,
  FW_TYPE_THREAD,
  FW_TYPE_EVENT,
  FW_TYPE_SEMAPHORE,
  FW_TYPE_MUTEX,
  FW_TYPE_IOCP,
  FW_TYPE_FILE,
  FW_TYPE_PIPE,
  FW_TYPE_SOCKET,
  FW_TYPE_CONSOLE,
  FW_TYPE_COUNT
} fw_type_t;

typedef struct fw_obj fw_obj_t;
typedef struct fw_thread fw_thread_t;
typedef struct fw_wait_block fw_wait_block_t;

typedef struct fw_obj_ops {
  const char *type_name;
  /* Dispatcher objects: whether a wait by thread t would be satisfied now,
   * and taking that satisfaction (auto-reset, count--, ownership).  acquire
   * returns true when the satisfaction is an abandoned mutex.  NULL
   * is_signaled: the object is never signalled. */
  bool (*is_signaled)(fw_obj_t *o, fw_thread_t *t);
  bool (*acquire)(fw_obj_t *o, fw_thread_t *t);
  /* The last handle to the object was closed (a socket shuts down here);
   * may be NULL. */
  void (*last_handle_closed)(fw_obj_t *o);
  /* The last reference is gone: free it (the object memory included). */
  void (*destroy)(fw_obj_t *o);
  /* One line for deadlock reports; may be NULL. */
  void (*describe)(fw_obj_t *o, char *buf, size_t len);
} fw_obj_ops_t;

struct fw_obj {
  const fw_obj_ops_t *ops;
  fw_type_t type;
  uint32_t refs;                      /* handles + internal references */
  uint32_t handles;                   /* open handles */
  uint32_t serial;                    /* creation order in this world, for reports */
  fw_wait_block_t *wq_head, *wq_tail; /* waiting threads, FIFO */
  fw_obj_t *all_prev, *all_next;      /* every live object of the world */
  uint16_t *name;                     /* named kernel objects; NULL otherwise */
};

/* Links a freshly allocated object into the world with one reference (the
 * caller's); drop it with fw_obj_unref once handles hold their own. */
void fw_obj_init(fw_obj_t *o, fw_type_t type, const fw_obj_ops_t *ops);
void fw_obj_ref(fw_obj_t *o);
void fw_obj_unref(fw_obj_t *o);
/* Calls fn on every live object of `type` in creation order. */
void fw_obj_foreach(fw_type_t type, void (*fn)(fw_obj_t *o, void *arg), void *arg);

/* Per-world hooks of other fakewin files (I/O, ports, faults).  Register
 * them here rather than with sim_hook_add, so the order is fixed whatever the
 * link order: world_start runs after the handle table has been emptied,
 * world_end before the objects still alive are destroyed (registration
 * order at start, reverse at end).  At world end every live object then
 * gets ops->destroy, in creation order, whatever its reference count; while
 * that runs fw_obj_unref does nothing, so destroy must free only its own
 * object (and its private memory), never rely on another object's memory. */
void fw_subsystem_add(sim_hook_t *hook);

/* ---- handles ------------------------------------------------------------- */

/* Handle values are 0x100 + 4 * slot, like Windows' multiples of 4; freed
 * slots are reused oldest-first, so a stale handle usually fails with
 * ERROR_INVALID_HANDLE before its value comes back.  Pseudo-handles:
 * GetCurrentProcess() == (HANDLE)-1 (== INVALID_HANDLE_VALUE, as on Windows),
 * GetCurrentThread() == (HANDLE)-2. */
#define FW_HANDLE_BASE 0x100u
#define FW_PSEUDO_PROCESS ((HANDLE)(LONG_PTR)-1)
#define FW_PSEUDO_THREAD ((HANDLE)(LONG_PTR)-2)

/* A new handle referring to o (takes its own reference); NULL when the
 * table is full (ERROR_NO_SYSTEM_RESOURCES / ERROR_TOO_MANY_OPEN_FILES). */
HANDLE fw_handle_new(fw_obj_t *o);
/* Resolves h to an object of `type` (FW_TYPE_ANY: any) without taking a
 * reference: 0 or ERROR_INVALID_HANDLE.  allow_pseudo: whether the process
 * and thread pseudo-handles resolve (they do for waits and thread calls, not
 * for I/O calls, where INVALID_HANDLE_VALUE is just invalid). */
DWORD fw_handle_get(HANDLE h, fw_type_t type, bool allow_pseudo, fw_obj_t **out);
/* Closes a real handle: 0 or ERROR_INVALID_HANDLE. */
DWORD fw_handle_close(HANDLE h);
uint32_t fw_handle_count(void); /* open handles in this world */
/* Handles the program left open when the last world ended (fw_object.c;
 * fw_world_open_handles and fw_world_exit_code are in world/fw_world.h). */
uint32_t fw_world_leaked_handles(void);

/* ---- threads ------------------------------------------------------------- */

typedef struct fw_apc {
  PAPCFUNC fn;
  ULONG_PTR data;
  struct fw_apc *next;
} fw_apc_t;

typedef struct fw_waiter fw_waiter_t;

struct fw_thread {
  fw_obj_t obj;
  sim_fiber_t *fiber; /* NULL once exited */
  DWORD tid;
  DWORD exit_code; /* STILL_ACTIVE while running */
  bool exited;
  bool started;
  DWORD last_error;
  DWORD suspend_count;
  int priority;
  LPVOID *tls; /* FW_TLS_SLOTS values, allocated on first use */
  PTHREAD_START_ROUTINE start;
  LPVOID param;
  fw_apc_t *apc_head, *apc_tail;
  fw_waiter_t *waiting; /* the wait it is blocked in, if any */
  bool in_alertable_wait;
  uint32_t mutexes_owned; /* mutexes whose owner it is: exit scans for them only if > 0 */
};

#define FW_TLS_SLOTS 1088 /* TLS_MINIMUM_AVAILABLE + 1024 expansion slots */

/* The calling fiber's thread object (created for the main fiber on first
 * use).  Aborts outside a fiber. */
fw_thread_t *fw_thread_current(void);
/* Runs the queued APCs of t (the caller is t); returns how many ran. */
uint32_t fw_thread_run_apcs(fw_thread_t *t);
/* Queues a user APC to t (QueueUserAPC without the call): an alertable
 * wait of t is released to run it. */
void fw_thread_queue_apc(fw_thread_t *t, PAPCFUNC fn, ULONG_PTR data);
/* Queues an I/O completion routine (ReadFileEx/WriteFileEx) to t as an APC:
 * it runs with the Win32 error of `status` (0 for success), the bytes and
 * the OVERLAPPED, in t's next alertable wait. */
void fw_thread_queue_routine(fw_thread_t *t, LPOVERLAPPED_COMPLETION_ROUTINE fn, NTSTATUS status,
                             DWORD bytes, LPOVERLAPPED ov);
void fw_threads_reset(void); /* fw_thread.c, at world start and end */
void fw_sync_reset(void);    /* fw_sync.c */

/* ---- waits ------------------------------------------------------------------ */

/* Wake reasons passed to sim_wake by the dispatcher. */
enum {
  FW_WAKE_OBJECT = 1, /* value: index | FW_WAKE_ABANDONED_BIT */
  FW_WAKE_APC = 2,
  FW_WAKE_CUSTOM = 16 /* first reason free for other fakewin files */
};
#define FW_WAKE_ABANDONED_BIT 0x100000000ull

struct fw_wait_block {
  fw_wait_block_t *next, *prev;
  fw_obj_t *obj;
  fw_waiter_t *waiter;
  uint32_t index;
  bool linked;
};

struct fw_waiter {
  fw_thread_t *thread;
  sim_fiber_t *fiber;
  uint32_t count;
  bool wait_all;
  bool alertable;
  const char *call;
  fw_wait_block_t blocks[MAXIMUM_WAIT_OBJECTS];
};

/* The object's state may have become signalled: satisfy waiting threads in
 * FIFO order while it stays signalled.  Not a scheduling point. */
void fw_obj_signal(fw_obj_t *o);

/* The dispatcher wait behind WaitForSingleObject(Ex)/WaitForMultipleObjects(Ex):
 * returns a WAIT_* value; WAIT_FAILED only for bad arguments, with the
 * error in *err (0 otherwise).  objs must be referenced by the caller. */
DWORD fw_wait_objects(fw_thread_t *t, const char *call, DWORD n, fw_obj_t *const *objs,
                      bool wait_all, DWORD ms, bool alertable);

/* A timeout in milliseconds as sim_block wants it. */
static inline uint64_t fw_ms_to_ns(DWORD ms) {
  return ms == INFINITE ? SIM_NO_TIMEOUT : (uint64_t)ms * 1000000ull;
}

/* Thread exit: abandons the mutexes t owns (fw_wait.c). */
void fw_mutex_abandon_all(fw_thread_t *t);

/* Events set and reset from inside fakewin (fw_io.c: an OVERLAPPED's hEvent
 * at submission and completion), with no scheduling point and no trace, so
 * also from timed events.  False when h is not an event handle. */
bool fw_event_set_handle(HANDLE h);
bool fw_event_reset_handle(HANDLE h);

/* ---- calls ----------------------------------------------------------------- */

/* Entry of a Win32 call: checks that a world runs and the caller is one of
 * its fibers, then makes a scheduling point. */
static inline fw_thread_t *fw_enter(const char *call) {
  sim_require_fiber(call);
  sim_yield();
  return fw_thread_current();
}
/* Entry of a thread-local call: no scheduling point. */
static inline fw_thread_t *fw_enter_local(const char *call) {
  sim_require_fiber(call);
  return fw_thread_current();
}

static inline void fw_set_error(fw_thread_t *t, DWORD err) {
  t->last_error = err;
}

#define FW_P(p) ((uint64_t)(uintptr_t)(p))
/* Traces a call: FW_TRACE(&tp, thread, result, arg0, arg1, ...). */
#define FW_TRACE(tp, t, ret, ...)                                                          \
  sim_trace_call((tp), (const uint64_t[SIM_TRACE_MAX_ARGS]){__VA_ARGS__}, (uint64_t)(ret), \
                 (t)->last_error)
#define FW_TRACE0(tp, t, ret) sim_trace_call((tp), NULL, (uint64_t)(ret), (t)->last_error)

/* Names of kernel objects (events, semaphores, mutexes): a UTF-16 copy. */
uint16_t *fw_name_from_a(LPCSTR s);
uint16_t *fw_name_from_w(LPCWSTR s);
fw_obj_t *fw_name_lookup(const uint16_t *name);

#endif
