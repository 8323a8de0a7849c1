/* fw_object.c: the handle table, object lifetime, CloseHandle,
 * DuplicateHandle, handle flags and the per-world reset of fakewin.
 *
 * All state here is world-scoped: a hook registered with the sim engine
 * empties it at every world start and end.  At world end every object still
 * alive is destroyed, whatever its reference count (handles the program
 * never closed, objects held by abandoned threads); while that happens
 * fw_obj_unref does nothing, so destroy() callbacks may drop references to
 * other objects without caring about order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_int.h"
#include "../world/fw_world.h"

typedef struct fw_slot {
  fw_obj_t *obj; /* NULL: free */
  DWORD flags;   /* HANDLE_FLAG_* */
  uint32_t next_free;
} fw_slot_t;

#define FW_MAX_HANDLES (1u << 20)

static struct {
  fw_obj_t *all_head, *all_tail;
  uint32_t serial;
  fw_slot_t *slots;
  uint32_t n_slots, cap_slots;
  uint32_t free_head, free_tail; /* slot index + 1; 0: empty */
  uint32_t open_handles;
  bool tearing_down;
  bool exited;
  uint32_t exit_code;
  uint32_t leaked_handles;
} W;

/* ---- objects --------------------------------------------------------------- */

void fw_obj_init(fw_obj_t *o, fw_type_t type, const fw_obj_ops_t *ops) {
  o->ops = ops;
  o->type = type;
  o->refs = 1;
  o->handles = 0;
  o->serial = ++W.serial;
  o->wq_head = o->wq_tail = NULL;
  o->name = NULL;
  o->all_next = NULL;
  o->all_prev = W.all_tail;
  if (W.all_tail)
    W.all_tail->all_next = o;
  else
    W.all_head = o;
  W.all_tail = o;
}

void fw_obj_ref(fw_obj_t *o) {
  o->refs++;
}

static void obj_unlink(fw_obj_t *o) {
  if (o->all_prev)
    o->all_prev->all_next = o->all_next;
  else
    W.all_head = o->all_next;
  if (o->all_next)
    o->all_next->all_prev = o->all_prev;
  else
    W.all_tail = o->all_prev;
  o->all_prev = o->all_next = NULL;
}

void fw_obj_unref(fw_obj_t *o) {
  if (W.tearing_down || o->type == FW_TYPE_PROCESS) return;
  if (o->refs == 0)
    sim_fail(SIM_STATUS_INVARIANT, "fakewin: %s object #%u released twice", o->ops->type_name,
             o->serial);
  if (--o->refs > 0) return;
  obj_unlink(o);
  free(o->name);
  o->name = NULL;
  o->ops->destroy(o);
}

void fw_obj_foreach(fw_type_t type, void (*fn)(fw_obj_t *o, void *arg), void *arg) {
  fw_obj_t *next;
  for (fw_obj_t *o = W.all_head; o != NULL; o = next) {
    next = o->all_next;
    if (type == FW_TYPE_ANY || o->type == type) fn(o, arg);
  }
}

/* ---- names ------------------------------------------------------------------- */

uint16_t *fw_name_from_a(LPCSTR s) {
  if (s == NULL) return NULL;
  size_t n = strlen(s);
  uint16_t *w = malloc((n + 1) * sizeof *w);
  if (w == NULL) abort();
  for (size_t i = 0; i <= n; i++) w[i] = (uint8_t)s[i];
  return w;
}

uint16_t *fw_name_from_w(LPCWSTR s) {
  if (s == NULL) return NULL;
  size_t n = 0;
  while (s[n]) n++;
  uint16_t *w = malloc((n + 1) * sizeof *w);
  if (w == NULL) abort();
  memcpy(w, s, (n + 1) * sizeof *w);
  return w;
}

static bool name_eq(const uint16_t *a, const uint16_t *b) {
  while (*a && *a == *b) {
    a++;
    b++;
  }
  return *a == *b;
}

fw_obj_t *fw_name_lookup(const uint16_t *name) {
  for (fw_obj_t *o = W.all_head; o != NULL; o = o->all_next)
    if (o->name != NULL && name_eq(o->name, name)) return o;
  return NULL;
}

/* ---- the process pseudo-object ------------------------------------------------ */

static void process_describe(fw_obj_t *o, char *buf, size_t len) {
  (void)o;
  snprintf(buf, len, "the current process (signalled only when it exits)");
}
static void process_destroy(fw_obj_t *o) {
  (void)o;
}
static const fw_obj_ops_t process_ops = {
    .type_name = "process", .destroy = process_destroy, .describe = process_describe};
static fw_obj_t process_obj = {.ops = &process_ops, .type = FW_TYPE_PROCESS, .refs = 1};

/* ---- handles ------------------------------------------------------------------ */

static HANDLE slot_handle(uint32_t i) {
  return (HANDLE)(uintptr_t)(FW_HANDLE_BASE + 4u * i);
}

HANDLE fw_handle_new(fw_obj_t *o) {
  uint32_t i;
  if (W.free_head != 0) {
    i = W.free_head - 1;
    W.free_head = W.slots[i].next_free;
    if (W.free_head == 0) W.free_tail = 0;
  } else {
    if (W.n_slots == FW_MAX_HANDLES) return NULL;
    if (W.n_slots == W.cap_slots) {
      uint32_t cap = W.cap_slots ? W.cap_slots * 2 : 64;
      fw_slot_t *p = realloc(W.slots, cap * sizeof *p);
      if (p == NULL) abort();
      W.slots = p;
      W.cap_slots = cap;
    }
    i = W.n_slots++;
  }
  W.slots[i].obj = o;
  W.slots[i].flags = 0;
  W.slots[i].next_free = 0;
  o->refs++;
  o->handles++;
  W.open_handles++;
  return slot_handle(i);
}

/* The object manager ignores a handle value's two low bits (the tag bits
 * an application may use, OBJ_HANDLE_TAGBITS): Wine's sock.c waits on
 * hEvent | 1 after a ConnectEx/DisconnectEx and expects it signalled. */
static fw_slot_t *slot_of(HANDLE h) {
  uintptr_t v = (uintptr_t)h & ~(uintptr_t)3;
  if (v < FW_HANDLE_BASE) return NULL;
  uintptr_t i = (v - FW_HANDLE_BASE) / 4;
  if (i >= W.n_slots || W.slots[i].obj == NULL) return NULL;
  return &W.slots[i];
}

DWORD fw_handle_get(HANDLE h, fw_type_t type, bool allow_pseudo, fw_obj_t **out) {
  fw_obj_t *o = NULL;
  if (h == FW_PSEUDO_PROCESS) {
    if (allow_pseudo) o = &process_obj;
  } else if (h == FW_PSEUDO_THREAD) {
    if (allow_pseudo) o = &fw_thread_current()->obj;
  } else {
    fw_slot_t *s = slot_of(h);
    if (s != NULL) o = s->obj;
  }
  if (o == NULL || (type != FW_TYPE_ANY && o->type != type)) {
    *out = NULL;
    return ERROR_INVALID_HANDLE;
  }
  *out = o;
  return 0;
}

static void free_slot(fw_slot_t *s) {
  uint32_t i = (uint32_t)(s - W.slots);
  s->obj = NULL;
  s->flags = 0;
  s->next_free = 0;
  if (W.free_tail)
    W.slots[W.free_tail - 1].next_free = i + 1;
  else
    W.free_head = i + 1;
  W.free_tail = i + 1;
}

DWORD fw_handle_close(HANDLE h) {
  fw_slot_t *s = slot_of(h);
  if (s == NULL) return ERROR_INVALID_HANDLE;
  /* STATUS_HANDLE_NOT_CLOSABLE maps to ERROR_INVALID_HANDLE */
  if (s->flags & HANDLE_FLAG_PROTECT_FROM_CLOSE) return ERROR_INVALID_HANDLE;
  fw_obj_t *o = s->obj;
  free_slot(s);
  W.open_handles--;
  if (--o->handles == 0 && o->ops->last_handle_closed) o->ops->last_handle_closed(o);
  fw_obj_unref(o);
  return 0;
}

uint32_t fw_handle_count(void) {
  return W.open_handles;
}

/* ---- Win32: handles -------------------------------------------------------------- */

BOOL fw_CloseHandle(HANDLE hObject) {
  static sim_tracepoint_t tp = {"CloseHandle", {{"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("CloseHandle");
  BOOL ok = TRUE;
  if (hObject == FW_PSEUDO_PROCESS || hObject == FW_PSEUDO_THREAD) {
    /* closing a pseudo-handle has no effect (CloseHandle docs) */
  } else {
    DWORD err = fw_handle_close(hObject);
    if (err != 0) {
      fw_set_error(t, err);
      ok = FALSE;
    }
  }
  FW_TRACE(&tp, t, ok, FW_P(hObject));
  return ok;
}

BOOL fw_DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                        HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle, DWORD dwDesiredAccess,
                        BOOL bInheritHandle, DWORD dwOptions) {
  static sim_tracepoint_t tp = {"DuplicateHandle", {{"h", 'x'}, {"options", 'x'}}, 'x', 0};
  fw_thread_t *t = fw_enter("DuplicateHandle");
  (void)dwDesiredAccess; /* access rights are not modelled: every handle has all of them */
  HANDLE result = NULL;
  DWORD err = 0;
  fw_obj_t *sp, *tpr, *o = NULL;
  if (fw_handle_get(hSourceProcessHandle, FW_TYPE_PROCESS, true, &sp) != 0 ||
      fw_handle_get(hTargetProcessHandle, FW_TYPE_PROCESS, true, &tpr) != 0) {
    err = ERROR_INVALID_HANDLE;
  } else {
    err = fw_handle_get(hSourceHandle, FW_TYPE_ANY, true, &o);
  }
  if (err == 0 && lpTargetHandle != NULL) {
    if (o->type == FW_TYPE_PROCESS) {
      /* a real handle to the process is the pseudo-handle's object again */
      result = FW_PSEUDO_PROCESS;
    } else {
      result = fw_handle_new(o);
      if (result == NULL)
        err = ERROR_NO_SYSTEM_RESOURCES;
      else if (bInheritHandle)
        slot_of(result)->flags |= HANDLE_FLAG_INHERIT;
    }
  }
  /* DUPLICATE_CLOSE_SOURCE closes the source even when duplication fails */
  if ((dwOptions & DUPLICATE_CLOSE_SOURCE) && hSourceHandle != FW_PSEUDO_PROCESS &&
      hSourceHandle != FW_PSEUDO_THREAD &&
      fw_handle_get(hSourceProcessHandle, FW_TYPE_PROCESS, true, &sp) == 0)
    (void)fw_handle_close(hSourceHandle);
  if (err == 0 && lpTargetHandle != NULL) *lpTargetHandle = result;
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0 ? FW_P(result) : 0, FW_P(hSourceHandle), dwOptions);
  return err == 0;
}

BOOL fw_GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags) {
  static sim_tracepoint_t tp = {"GetHandleInformation", {{"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter_local("GetHandleInformation");
  fw_slot_t *s = slot_of(hObject);
  BOOL ok = s != NULL;
  if (!ok)
    fw_set_error(t, ERROR_INVALID_HANDLE);
  else if (lpdwFlags != NULL)
    *lpdwFlags = s->flags;
  FW_TRACE(&tp, t, ok, FW_P(hObject));
  return ok;
}

BOOL fw_SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags) {
  static sim_tracepoint_t tp = {
      "SetHandleInformation", {{"h", 'x'}, {"mask", 'x'}, {"flags", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("SetHandleInformation");
  fw_slot_t *s = slot_of(hObject);
  BOOL ok = s != NULL;
  if (!ok)
    fw_set_error(t, ERROR_INVALID_HANDLE);
  else {
    DWORD m = dwMask & (HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE);
    s->flags = (s->flags & ~m) | (dwFlags & m);
  }
  FW_TRACE(&tp, t, ok, FW_P(hObject), dwMask, dwFlags);
  return ok;
}

/* ---- ExitProcess ----------------------------------------------------------------- */

void fw_ExitProcess(UINT uExitCode) {
  static sim_tracepoint_t tp = {"ExitProcess", {{"code", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter("ExitProcess");
  W.exited = true;
  W.exit_code = uExitCode;
  FW_TRACE(&tp, t, 0, uExitCode);
  sim_exit_world();
}

/* ---- the world ------------------------------------------------------------------- */

static void world_reset(void) {
  W.tearing_down = true;
  while (W.all_head != NULL) {
    fw_obj_t *o = W.all_head;
    obj_unlink(o);
    free(o->name);
    o->name = NULL;
    o->ops->destroy(o);
  }
  W.tearing_down = false;
  free(W.slots);
  W.slots = NULL;
  W.n_slots = W.cap_slots = 0;
  W.free_head = W.free_tail = 0;
  W.open_handles = 0;
  W.serial = 0;
  process_obj.wq_head = process_obj.wq_tail = NULL;
  fw_threads_reset();
  fw_sync_reset();
}

static sim_hook_t *sub_head, *sub_tail;

void fw_subsystem_add(sim_hook_t *hook) {
  if (hook->added_) return;
  hook->added_ = true;
  hook->next_ = NULL;
  if (sub_tail)
    sub_tail->next_ = hook;
  else
    sub_head = hook;
  sub_tail = hook;
}

static void sub_end(sim_hook_t *h) {
  if (h == NULL) return;
  sub_end(h->next_);
  if (h->world_end) h->world_end(h->arg);
}

static void world_start(void *arg) {
  (void)arg;
  world_reset();
  W.exited = false;
  W.exit_code = 0;
  for (sim_hook_t *h = sub_head; h; h = h->next_)
    if (h->world_start) h->world_start(h->arg);
}

static void world_end(void *arg) {
  (void)arg;
  W.leaked_handles = W.open_handles;
  sub_end(sub_head);
  world_reset();
}

static sim_hook_t fw_hook = {world_start, world_end, NULL, NULL, false};

/* Registered when the program starts: any program that calls a fakewin
 * function links this file, since every entry point uses the handle table. */
__attribute__((constructor)) static void fw_register_hook(void) {
  sim_hook_add(&fw_hook);
}

uint32_t fw_world_open_handles(void) {
  return W.open_handles;
}
uint32_t fw_world_leaked_handles(void) {
  return W.leaked_handles;
}

size_t fw_world_handles(fw_world_handle_t *out, size_t max) {
  size_t n = 0;
  for (uint32_t i = 0; i < W.n_slots; i++) {
    if (W.slots[i].obj == NULL) continue;
    if (n < max) {
      out[n].value = (uint64_t)(uintptr_t)slot_handle(i);
      out[n].type = W.slots[i].obj->ops->type_name;
      out[n].serial = W.slots[i].obj->serial;
    }
    n++;
  }
  return n;
}
bool fw_world_exit_code(uint32_t *code) {
  if (W.exited && code) *code = W.exit_code;
  return W.exited;
}
