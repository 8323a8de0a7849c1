/* fw_pipe.c: anonymous and named pipes.  CreatePipe, CreateNamedPipeA/W,
 * the client side of CreateFile on "\\.\pipe\name", ConnectNamedPipe,
 * DisconnectNamedPipe, WaitNamedPipeA/W, PeekNamedPipe,
 * SetNamedPipeHandleState, and ReadFile/WriteFile on pipe ends (called from
 * fw_file.c).
 *
 * The model (docs/fakewin-files.md has the long version).  A pipe instance
 * joins a server end (side 0) and a client end (side 1); an anonymous pipe
 * is an instance whose read handle is the server end and whose write handle
 * is the client end, as CreatePipe builds it on Windows.  Each side reads
 * from its own queue of entries, one entry per WriteFile from the other
 * side (a zero-byte write to a byte pipe adds nothing, F43).  A byte-mode
 * reader takes bytes across entries; a message-mode reader takes one entry
 * and gets STATUS_BUFFER_OVERFLOW / ERROR_MORE_DATA with the bytes copied
 * when it is longer than the buffer, the rest staying for the next read
 * (F29).  A write is queued whole at once and readers may take it at once;
 * the write itself completes when the bytes still unread up to its end fit
 * the queue's quota (the buffer size), so a write larger than the buffer
 * waits until readers drained it (NPFS queues writes the same way).  A read
 * with nothing to read waits in its end's FIFO queue; requests of
 * synchronous handles wait the same way, their thread blocked in
 * fw_io_sync_block, so CancelIoEx(h, NULL) and CancelSynchronousIo release
 * them (F42).  When one end's last handle closes, the other end reads what
 * is left, then ERROR_BROKEN_PIPE (a pending read completes with
 * STATUS_PIPE_BROKEN), and its writes fail with ERROR_NO_DATA (F43). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_files.h"

#define FW_PIPE_DEFAULT_QUOTA 4096u /* CreatePipe with nSize 0 */
#define FW_PIPE_DEFAULT_WAIT_MS 50u /* CreateNamedPipe nDefaultTimeOut 0 */

typedef enum pipe_state {
  PS_LISTENING = 0, /* a server waiting for a client */
  PS_CONNECTED,
  PS_DISCONNECTED, /* DisconnectNamedPipe ran; ConnectNamedPipe must listen again */
  PS_CLOSING       /* one end is closed: the other reads the rest, then broken pipe */
} pipe_state_t;

static const char *const state_names[] = {"listening", "connected", "disconnected", "closing"};

typedef struct pipe_entry {
  struct pipe_entry *next;
  uint8_t *data;
  size_t len, off;     /* off: bytes consumed */
  fw_rw_req_t *writer; /* the write waiting for quota, NULL once completed */
  bool *gone;          /* set when the entry is freed (its writer's call watches it) */
} pipe_entry_t;

typedef struct pipe_queue {
  pipe_entry_t *head, *tail;
  uint64_t unread;
  uint32_t quota;
} pipe_queue_t;

typedef struct pipe_waiter {
  sim_fiber_t *fiber;
  struct pipe_waiter *next;
  bool woken;
} pipe_waiter_t;

typedef struct pipe_name pipe_name_t;
typedef struct pipe_inst pipe_inst_t;
typedef struct pipe_end pipe_end_t;

struct pipe_name {
  char *path;            /* as created, separators normalised */
  DWORD access;          /* PIPE_ACCESS_* of the first instance */
  DWORD max_instances;   /* of the first instance; PIPE_UNLIMITED_INSTANCES */
  DWORD default_timeout; /* ms */
  uint32_t n_instances;  /* instances whose server end is open */
  uint32_t refs;         /* instances alive + WaitNamedPipe callers */
  bool linked;
  pipe_inst_t *insts; /* creation order */
  pipe_waiter_t *waiters;
  pipe_name_t *next;
};

struct pipe_inst {
  uint32_t refs;     /* ends */
  pipe_name_t *name; /* NULL: anonymous */
  pipe_inst_t *name_next;
  bool in_name; /* counted in name->n_instances */
  pipe_state_t state;
  bool message_type;
  DWORD info_out, info_in; /* the buffer sizes GetNamedPipeInfo reports (as created) */
  bool dropped[2];         /* dropped[i]: end i closed with data it had not read */
  pipe_end_t *end[2];
  pipe_queue_t q[2]; /* q[i]: what end i reads */
};

struct pipe_end {
  fw_io_obj_t io;
  uint64_t position; /* the file object's pointer: stored by SetFilePointer(Ex), used by nothing */
  pipe_inst_t *inst; /* referenced */
  int side;          /* 0 server, 1 client */
  bool attached;     /* false: a client end after DisconnectNamedPipe */
  bool can_read, can_write;
  bool read_message;              /* PIPE_READMODE_MESSAGE */
  bool nowait;                    /* PIPE_NOWAIT */
  fw_rw_req_t *rq_head, *rq_tail; /* pending reads */
  fw_rw_req_t *cq_head, *cq_tail; /* pending ConnectNamedPipe (server) */
};

static pipe_name_t *names; /* the world's named pipes */

/* ---- queues ----------------------------------------------------------------------------- */

static void entry_free(pipe_entry_t *e) {
  if (e->gone) *e->gone = true;
  free(e->data);
  free(e);
}

static void q_append(pipe_queue_t *q, pipe_entry_t *e) {
  e->next = NULL;
  if (q->tail)
    q->tail->next = e;
  else
    q->head = e;
  q->tail = e;
  q->unread += e->len - e->off;
}

static void q_remove(pipe_queue_t *q, pipe_entry_t *e) {
  pipe_entry_t **pp = &q->head, *prev = NULL;
  while (*pp != NULL && *pp != e) {
    prev = *pp;
    pp = &(*pp)->next;
  }
  if (*pp == NULL) return;
  *pp = e->next;
  if (q->tail == e) q->tail = prev;
  q->unread -= e->len - e->off;
}

/* Bytes still unread from the head up to and including e; false if e is
 * no longer queued (consumed entirely). */
static bool q_unread_through(const pipe_queue_t *q, const pipe_entry_t *e, uint64_t *out) {
  uint64_t sum = 0;
  for (const pipe_entry_t *x = q->head; x != NULL; x = x->next) {
    sum += x->len - x->off;
    if (x == e) {
      *out = sum;
      return true;
    }
  }
  return false;
}

/* Completes the writers whose data now fits the quota, in queue order. */
static void q_release_writers(pipe_queue_t *q) {
  uint64_t sum = 0;
  for (pipe_entry_t *e = q->head; e != NULL; e = e->next) {
    sum += e->len - e->off;
    if (e->writer == NULL) continue;
    if (sum > q->quota) break;
    fw_rw_req_t *w = e->writer;
    e->writer = NULL;
    w->owner_data = NULL;
    fw_io_obj_t *wio = w->base.issued_on;
    fw_io_complete(&w->base, STATUS_SUCCESS, w->len);
    fw_io_sync_wake_all(wio);
  }
}

/* Pops a consumed entry; its writer (if still waiting) has nothing left
 * unread and completes. */
static void q_pop_head(pipe_queue_t *q) {
  pipe_entry_t *e = q->head;
  q->head = e->next;
  if (q->tail == e) q->tail = NULL;
  if (e->writer != NULL) {
    fw_rw_req_t *w = e->writer;
    w->owner_data = NULL;
    fw_io_obj_t *wio = w->base.issued_on;
    fw_io_complete(&w->base, STATUS_SUCCESS, w->len);
    fw_io_sync_wake_all(wio);
  }
  entry_free(e);
}

/* Reads up to len bytes.  message: one entry only, *overflow when it does
 * not fit (the rest stays).  A zero-length byte-mode read consumes nothing.
 * Returns the bytes copied. */
static DWORD q_read(pipe_queue_t *q, uint8_t *buf, DWORD len, bool message, bool *overflow) {
  *overflow = false;
  DWORD done = 0;
  if (message) {
    pipe_entry_t *e = q->head;
    size_t rest = e->len - e->off;
    size_t n = rest < len ? rest : len;
    if (n) memcpy(buf, e->data + e->off, n);
    e->off += n;
    q->unread -= n;
    done = (DWORD)n;
    if (n < rest)
      *overflow = true;
    else
      q_pop_head(q);
  } else if (len > 0) {
    while (q->head != NULL && done < len) {
      pipe_entry_t *e = q->head;
      size_t rest = e->len - e->off;
      size_t n = rest < len - done ? rest : len - done;
      if (n) memcpy(buf + done, e->data + e->off, n);
      e->off += n;
      q->unread -= n;
      done += (DWORD)n;
      if (e->off == e->len) q_pop_head(q);
    }
  }
  q_release_writers(q);
  return done;
}

/* Completes a queued write with `status`, dropping what of it is unread. */
static void q_drop_all(pipe_queue_t *q, NTSTATUS writer_status) {
  while (q->head != NULL) {
    pipe_entry_t *e = q->head;
    q->head = e->next;
    if (e->writer != NULL) {
      fw_rw_req_t *w = e->writer;
      w->owner_data = NULL;
      e->writer = NULL;
      fw_io_obj_t *wio = w->base.issued_on;
      fw_io_complete(&w->base, writer_status, (DWORD)e->off);
      fw_io_sync_wake_all(wio);
    }
    entry_free(e);
  }
  q->tail = NULL;
  q->unread = 0;
}

/* ---- names ---------------------------------------------------------------------------- */

static pipe_name_t *name_find(const char *path) {
  size_t len = strlen(path);
  for (pipe_name_t *n = names; n != NULL; n = n->next)
    if (strlen(n->path) == len && fw_fs_has_prefix(n->path, path)) return n;
  return NULL;
}

static void name_unref(pipe_name_t *n) {
  if (--n->refs > 0) return;
  if (n->linked) {
    for (pipe_name_t **pp = &names; *pp != NULL; pp = &(*pp)->next) {
      if (*pp == n) {
        *pp = n->next;
        break;
      }
    }
  }
  free(n->path);
  free(n);
}

/* Wakes WaitNamedPipe callers (an instance became connectable or the name
 * lost an instance). */
static void name_wake(pipe_name_t *n) {
  if (n == NULL) return;
  for (pipe_waiter_t *w = n->waiters; w != NULL; w = w->next) {
    if (!w->woken && sim_fiber_state(w->fiber) == SIM_FIBER_BLOCKED) {
      w->woken = true;
      sim_wake(w->fiber, FW_WAKE_CUSTOM + 8, 0);
    }
  }
}

static void inst_unlink_from_name(pipe_inst_t *i) {
  pipe_name_t *n = i->name;
  if (n == NULL || !i->in_name) return;
  for (pipe_inst_t **pp = &n->insts; *pp != NULL; pp = &(*pp)->name_next) {
    if (*pp == i) {
      *pp = i->name_next;
      break;
    }
  }
  i->in_name = false;
  n->n_instances--;
  name_wake(n);
}

static void inst_unref(pipe_inst_t *i) {
  if (--i->refs > 0) return;
  inst_unlink_from_name(i);
  for (int s = 0; s < 2; s++) {
    while (i->q[s].head != NULL) {
      pipe_entry_t *e = i->q[s].head;
      i->q[s].head = e->next;
      entry_free(e);
    }
  }
  if (i->name) name_unref(i->name);
  free(i);
}

static void pipe_world_reset(void *arg) {
  (void)arg;
  /* names still referenced by instances are freed with them */
  while (names != NULL) {
    pipe_name_t *n = names;
    names = n->next;
    n->linked = false;
    n->waiters = NULL;
    if (n->refs == 0) {
      free(n->path);
      free(n);
    }
  }
}
static sim_hook_t pipe_hook = {pipe_world_reset, pipe_world_reset, NULL, NULL, false};
__attribute__((constructor)) static void fw_pipe_register_hook(void) {
  fw_subsystem_add(&pipe_hook);
}

/* ---- end objects ---------------------------------------------------------------------------- */

static void list_add(fw_rw_req_t **head, fw_rw_req_t **tail, fw_rw_req_t *r) {
  r->q_next = NULL;
  r->q_prev = *tail;
  if (*tail)
    (*tail)->q_next = r;
  else
    *head = r;
  *tail = r;
  r->queued = true;
}

static void list_del(fw_rw_req_t **head, fw_rw_req_t **tail, fw_rw_req_t *r) {
  if (!r->queued) return;
  if (r->q_prev)
    r->q_prev->q_next = r->q_next;
  else
    *head = r->q_next;
  if (r->q_next)
    r->q_next->q_prev = r->q_prev;
  else
    *tail = r->q_prev;
  r->q_prev = r->q_next = NULL;
  r->queued = false;
}

static pipe_end_t *peer_of(pipe_end_t *e) {
  return e->attached ? e->inst->end[1 - e->side] : NULL;
}

/* Serves the pending reads of e in FIFO order while there is something to
 * read or the pipe is broken. */
static void serve_readers(pipe_end_t *e) {
  if (!e->attached) return;
  pipe_queue_t *q = &e->inst->q[e->side];
  bool served = false;
  while (e->rq_head != NULL) {
    fw_rw_req_t *r = e->rq_head;
    if (fw_io_sync_cancelled(&r->base)) {
      /* F42: a cancelled synchronous read takes nothing */
      list_del(&e->rq_head, &e->rq_tail, r);
      fw_io_complete(&r->base, STATUS_CANCELLED, 0);
      served = true;
    } else if (q->head != NULL) {
      list_del(&e->rq_head, &e->rq_tail, r);
      bool overflow = false;
      DWORD n = 0;
      /* a zero-byte read in byte mode sees data without taking any */
      if (r->len > 0 || e->read_message) n = q_read(q, r->buf, r->len, e->read_message, &overflow);
      fw_io_complete(&r->base, overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS, n);
      served = true;
    } else if (e->inst->state == PS_CLOSING) {
      list_del(&e->rq_head, &e->rq_tail, r);
      fw_io_complete(&r->base, STATUS_PIPE_BROKEN, 0); /* F43 */
      served = true;
    } else {
      break;
    }
  }
  if (served) {
    fw_io_sync_wake_all(&e->io);
    pipe_end_t *p = peer_of(e);
    if (p) fw_io_sync_wake_all(&p->io); /* a flush may be waiting for this */
  }
}

static void pipe_describe(fw_obj_t *o, char *buf, size_t len) {
  pipe_end_t *e = (pipe_end_t *)o;
  snprintf(buf, len, "%s end of %s%s, %s", e->side ? "client" : "server",
           e->inst->name ? e->inst->name->path : "an anonymous pipe",
           e->attached ? "" : " (disconnected)", state_names[e->inst->state]);
}

/* The other side of an instance stops existing (closed, or detached by
 * DisconnectNamedPipe): e's pending reads break once nothing is left. */
static void end_closed(pipe_end_t *e) {
  pipe_inst_t *i = e->inst;
  int s = e->side;
  i->end[s] = NULL;
  /* what nobody will read any more; writers stuck on it fail */
  if (i->q[s].head != NULL) i->dropped[s] = true;
  q_drop_all(&i->q[s], STATUS_PIPE_BROKEN);
  switch (i->state) {
    case PS_CONNECTED: {
      i->state = PS_CLOSING;
      pipe_end_t *p = i->end[1 - s];
      if (p != NULL) {
        serve_readers(p);
        fw_io_sync_wake_all(&p->io);
      }
      break;
    }
    default:
      break;
  }
  /* a server that goes takes its instance out of the name */
  if (s == 0) inst_unlink_from_name(i);
}

static void pipe_last_handle_closed(fw_obj_t *o) {
  pipe_end_t *e = (pipe_end_t *)o;
  fw_io_obj_handle_closed(&e->io);
  if (e->attached) end_closed(e);
  e->attached = false;
}

static void pipe_destroy(fw_obj_t *o) {
  pipe_end_t *e = (pipe_end_t *)o;
  fw_io_obj_release(&e->io);
  if (e->inst->end[e->side] == e) e->inst->end[e->side] = NULL;
  inst_unref(e->inst);
  free(e);
}

static const fw_obj_ops_t pipe_ops = {.type_name = "pipe",
                                      .is_signaled = fw_io_obj_is_signaled,
                                      .acquire = fw_io_obj_acquire,
                                      .last_handle_closed = pipe_last_handle_closed,
                                      .destroy = pipe_destroy,
                                      .describe = pipe_describe};

static pipe_end_t *end_new(pipe_inst_t *i, int side, bool overlapped) {
  pipe_end_t *e = calloc(1, sizeof *e);
  if (e == NULL) abort();
  fw_io_obj_init(&e->io, FW_TYPE_PIPE, &pipe_ops, overlapped);
  /* a new pipe end is signalled until an I/O starts on it (Wine's pipe.c
   * checks test_signaled on new ends, server and client, on Windows) */
  e->io.signaled = true;
  e->inst = i;
  i->refs++;
  e->side = side;
  e->attached = true;
  i->end[side] = e;
  return e;
}

static pipe_inst_t *inst_new(pipe_name_t *name, bool message_type, uint32_t quota_server_in,
                             uint32_t quota_client_in) {
  pipe_inst_t *i = calloc(1, sizeof *i);
  if (i == NULL) abort();
  i->message_type = message_type;
  i->q[0].quota = quota_server_in;
  i->q[1].quota = quota_client_in;
  if (name != NULL) {
    i->name = name;
    name->refs++;
    pipe_inst_t **pp = &name->insts;
    while (*pp) pp = &(*pp)->name_next;
    *pp = i;
    i->in_name = true;
    name->n_instances++;
  }
  return i;
}

/* A handle for a new end (the object's creation reference moves to it);
 * NULL when the table is full. */
static HANDLE end_publish(pipe_end_t *e) {
  HANDLE h = fw_handle_new(&e->io.obj);
  fw_obj_unref(&e->io.obj);
  return h;
}

static pipe_end_t *as_end(fw_io_obj_t *io) {
  return (io != NULL && io->obj.type == FW_TYPE_PIPE && io->obj.ops == &pipe_ops) ? (pipe_end_t *)io
                                                                                  : NULL;
}

uint64_t *fw_pipe_position(fw_io_obj_t *io) {
  pipe_end_t *e = as_end(io);
  return e ? &e->position : NULL;
}

/* ---- requests ---------------------------------------------------------------------------------
 */

static DWORD pipe_detach(fw_io_req_t *base) {
  fw_rw_req_t *r = (fw_rw_req_t *)base;
  pipe_end_t *e = as_end(base->issued_on);
  DWORD done = 0;
  if (e != NULL) {
    if (base->op == FW_OP_READ) {
      list_del(&e->rq_head, &e->rq_tail, r);
    } else if (base->op == FW_OP_PIPE_CONNECT) {
      list_del(&e->cq_head, &e->cq_tail, r);
    } else if (base->op == FW_OP_WRITE && r->owner_data != NULL) {
      /* a waiting write takes back what nobody read yet */
      pipe_entry_t *x = r->owner_data;
      pipe_queue_t *q = &e->inst->q[1 - e->side];
      x->writer = NULL;
      r->owner_data = NULL;
      done = (DWORD)x->off;
      /* a partly read entry is the head: reads take from the front */
      if (x->off == 0) {
        q_remove(q, x);
        entry_free(x);
      } else {
        /* partly read: the part already taken stays taken */
        q->unread -= x->len - x->off;
        x->len = x->off;
        q_pop_head(q);
      }
      q_release_writers(q);
    }
    fw_io_sync_wake_all(&e->io);
  }
  return done;
}

/* Forced completions move real data: a read takes up to *bytes of what is
 * there, a write queues up to *bytes. */
static void pipe_forced(fw_io_req_t *base, NTSTATUS *status, DWORD *bytes) {
  fw_rw_req_t *r = (fw_rw_req_t *)base;
  pipe_end_t *e = as_end(base->issued_on);
  DWORD cap = *bytes < r->len ? *bytes : r->len;
  if (e == NULL || !e->attached || base->op == FW_OP_PIPE_CONNECT || fw_nt_is_error(*status)) {
    *bytes = base->op == FW_OP_PIPE_CONNECT ? 0 : cap;
    return;
  }
  pipe_queue_t *q = &e->inst->q[base->op == FW_OP_READ ? e->side : 1 - e->side];
  if (base->op == FW_OP_READ) {
    bool overflow = false;
    *bytes = q->head != NULL ? q_read(q, r->buf, cap, e->read_message, &overflow) : 0;
    if (overflow && *status == STATUS_SUCCESS) *status = STATUS_BUFFER_OVERFLOW;
  } else if (cap > 0 || e->inst->message_type) {
    pipe_entry_t *x = calloc(1, sizeof *x);
    if (x == NULL) abort();
    x->data = malloc(cap ? cap : 1);
    if (x->data == NULL) abort();
    if (cap) memcpy(x->data, r->buf, cap);
    x->len = cap;
    q_append(q, x);
    *bytes = cap;
    pipe_end_t *p = peer_of(e);
    if (p) serve_readers(p);
  } else {
    *bytes = 0;
  }
}

static const fw_io_req_ops_t pipe_req_ops = {.detach = pipe_detach, .forced = pipe_forced};

/* The state check shared by reads, writes and peeks: 0 or the error. */
static DWORD usable(pipe_end_t *e) {
  if (!e->attached) return ERROR_PIPE_NOT_CONNECTED;
  switch (e->inst->state) {
    case PS_LISTENING:
      return ERROR_PIPE_LISTENING;
    case PS_DISCONNECTED:
      return ERROR_PIPE_NOT_CONNECTED;
    default:
      return 0;
  }
}

static fw_rw_result_t pipe_read(fw_rw_t *rw, pipe_end_t *e) {
  fw_rw_req_t *req = fw_rw_req_start(rw, FW_OP_READ, FW_SITE_ReadFile, &pipe_req_ops);
  DWORD err = usable(e);
  if (err == 0 && !e->can_read) err = ERROR_ACCESS_DENIED;
  if (err != 0) {
    fw_rw_result_t res = {fw_io_fail_immediate(&req->base, err), 0};
    return res;
  }
  if (fw_rw_fault_is_request_outcome(&rw->fault)) return fw_rw_fault(rw, req, "ReadFile");
  pipe_queue_t *q = &e->inst->q[e->side];
  if (q->head != NULL && e->rq_head == NULL) {
    bool overflow = false;
    DWORD n = 0;
    if (rw->len > 0 || e->read_message) n = q_read(q, rw->buf, rw->len, e->read_message, &overflow);
    pipe_end_t *p = peer_of(e);
    if (p) fw_io_sync_wake_all(&p->io);
    /* F29: a message longer than the buffer */
    return fw_rw_finish(rw, req, overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS, n);
  }
  if (e->inst->state == PS_CLOSING && q->head == NULL)
    return fw_rw_finish(rw, req, STATUS_PIPE_BROKEN, 0); /* F43 */
  if (e->nowait) {
    fw_rw_result_t res = {fw_io_fail_immediate(&req->base, ERROR_NO_DATA), 0};
    return res;
  }
  list_add(&e->rq_head, &e->rq_tail, req);
  return fw_rw_pend(rw, req, "ReadFile");
}

static fw_rw_result_t pipe_write(fw_rw_t *rw, pipe_end_t *e) {
  fw_rw_req_t *req = fw_rw_req_start(rw, FW_OP_WRITE, FW_SITE_WriteFile, &pipe_req_ops);
  DWORD err = usable(e);
  if (err == 0 && !e->can_write) err = ERROR_ACCESS_DENIED;
  /* F43: the reading end is gone (STATUS_PIPE_CLOSING) */
  if (err == 0 && e->inst->state == PS_CLOSING)
    return fw_rw_finish(rw, req, STATUS_PIPE_CLOSING, 0);
  if (err != 0) {
    fw_rw_result_t res = {fw_io_fail_immediate(&req->base, err), 0};
    return res;
  }
  if (fw_rw_fault_is_request_outcome(&rw->fault)) return fw_rw_fault(rw, req, "WriteFile");
  pipe_inst_t *i = e->inst;
  pipe_queue_t *q = &i->q[1 - e->side];
  /* F43: a zero-byte write to a byte pipe is not seen by the reader */
  if (rw->len == 0 && !i->message_type) return fw_rw_finish(rw, req, STATUS_SUCCESS, 0);
  DWORD len = rw->len;
  if (e->nowait) {
    /* PIPE_NOWAIT: what fits is written (byte pipe) or nothing (message
     * pipe), and the call returns at once */
    uint64_t room = q->unread < q->quota ? q->quota - q->unread : 0;
    if (len > room) len = i->message_type ? 0 : (DWORD)room;
    if (len == 0 && rw->len > 0) return fw_rw_finish(rw, req, STATUS_SUCCESS, 0);
  }
  pipe_entry_t *x = calloc(1, sizeof *x);
  if (x == NULL) abort();
  x->data = malloc(len ? len : 1);
  if (x->data == NULL) abort();
  if (len) memcpy(x->data, rw->buf, len);
  x->len = len;
  bool gone = false;
  x->gone = &gone;
  q_append(q, x);
  pipe_end_t *p = i->end[1 - e->side];
  if (p != NULL) serve_readers(p);
  uint64_t left = 0;
  if (!gone) {
    x->gone = NULL;
    (void)q_unread_through(q, x, &left);
  }
  if (gone || left <= q->quota) return fw_rw_finish(rw, req, STATUS_SUCCESS, len);
  /* more than the buffer holds: completes as readers drain it */
  x->writer = req;
  req->owner_data = x;
  req->len = len;
  return fw_rw_pend(rw, req, "WriteFile");
}

fw_rw_result_t fw_pipe_rw(fw_rw_t *rw) {
  pipe_end_t *e = as_end(rw->io);
  return rw->write ? pipe_write(rw, e) : pipe_read(rw, e);
}

uint64_t fw_pipe_available(fw_io_obj_t *io) {
  pipe_end_t *e = as_end(io);
  return e && e->attached ? e->inst->q[e->side].unread : 0;
}

DWORD fw_pipe_flush(fw_io_obj_t *io) {
  pipe_end_t *e = as_end(io);
  if (e == NULL) return ERROR_INVALID_HANDLE;
  if (!e->can_write) return ERROR_ACCESS_DENIED;
  for (bool waited = false;; waited = true) {
    DWORD err = usable(e);
    if (err != 0) return err;
    pipe_queue_t *q = &e->inst->q[1 - e->side];
    /* a flush that waited for the reader and saw it close with the data
     * unread fails (Wine pipe.c test_overlapped_transport on Windows); a
     * reader that read everything first lets it succeed (test_NamedPipe_2) */
    if (waited && e->inst->state == PS_CLOSING && e->inst->dropped[1 - e->side])
      return ERROR_BROKEN_PIPE;
    if (q->head == NULL) return 0;
    if (e->inst->state == PS_CLOSING) return ERROR_BROKEN_PIPE;
    err = fw_io_sync_block(io, "FlushFileBuffers", SIM_NO_TIMEOUT);
    if (err == ERROR_OPERATION_ABORTED) return err;
  }
}

/* ---- CreatePipe --------------------------------------------------------------------------------
 */

BOOL fw_CreatePipe(PHANDLE hReadPipe, PHANDLE hWritePipe, LPSECURITY_ATTRIBUTES lpPipeAttributes,
                   DWORD nSize) {
  static sim_tracepoint_t tp = {"CreatePipe", {{"size", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter("CreatePipe");
  (void)lpPipeAttributes; /* inheritance is not modelled (no child processes) */
  DWORD err = 0;
  fw_fault_t f;
  if (fw_fault_check(FW_SITE_CreatePipe, FW_OP_CONTROL, NULL, NULL, &f) &&
      f.outcome == FW_FAULT_ERROR) {
    err = f.error;
  } else if (hReadPipe == NULL || hWritePipe == NULL) {
    err = ERROR_INVALID_PARAMETER;
  } else {
    pipe_inst_t *i = inst_new(NULL, false, nSize ? nSize : FW_PIPE_DEFAULT_QUOTA, 0);
    i->state = PS_CONNECTED;
    i->info_out = i->info_in = nSize ? nSize : FW_PIPE_DEFAULT_QUOTA;
    pipe_end_t *r = end_new(i, 0, false), *w = end_new(i, 1, false);
    r->can_read = true;
    w->can_write = true;
    /* Wine pipe.c on Windows: each end can also write (read) its attributes */
    r->io.granted = FILE_GENERIC_READ | FILE_WRITE_ATTRIBUTES;
    w->io.granted = FILE_GENERIC_WRITE | FILE_READ_ATTRIBUTES;
    /* a failed publish has already destroyed its end */
    HANDLE hr = end_publish(r);
    HANDLE hw = NULL;
    if (hr == NULL)
      fw_obj_unref(&w->io.obj);
    else if ((hw = end_publish(w)) == NULL)
      (void)fw_handle_close(hr);
    if (hr == NULL || hw == NULL) {
      err = ERROR_TOO_MANY_OPEN_FILES;
    } else {
      *hReadPipe = hr;
      *hWritePipe = hw;
    }
  }
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, nSize);
  return err == 0;
}

/* ---- named pipes
 * ---------------------------------------------------------------------------------- */

static HANDLE create_named_pipe(fw_thread_t *t, char *path, DWORD open_mode, DWORD pipe_mode,
                                DWORD max_inst, DWORD out_size, DWORD in_size, DWORD timeout,
                                DWORD *err) {
  DWORD access = open_mode & PIPE_ACCESS_DUPLEX;
  (void)t;
  *err = 0;
  if (path == NULL)
    *err = ERROR_PATH_NOT_FOUND;
  else if (!fw_fs_has_prefix(path, "\\\\.\\pipe\\") || path[9] == 0)
    *err = ERROR_INVALID_NAME;
  else if (access == 0)
    *err = ERROR_INVALID_PARAMETER;
  else if (max_inst == 0 || max_inst > PIPE_UNLIMITED_INSTANCES)
    *err = ERROR_INVALID_PARAMETER;
  /* a byte pipe cannot be read in message mode */
  else if ((pipe_mode & PIPE_READMODE_MESSAGE) && !(pipe_mode & PIPE_TYPE_MESSAGE))
    *err = ERROR_INVALID_PARAMETER;
  else if (pipe_mode & ~(DWORD)(PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_NOWAIT |
                                PIPE_REJECT_REMOTE_CLIENTS))
    *err = ERROR_INVALID_PARAMETER;
  if (*err != 0) {
    free(path);
    return INVALID_HANDLE_VALUE;
  }

  pipe_name_t *n = name_find(path);
  if (n != NULL) {
    if (open_mode & FILE_FLAG_FIRST_PIPE_INSTANCE)
      *err = ERROR_ACCESS_DENIED;
    else if (n->access != access)
      *err = ERROR_ACCESS_DENIED; /* Wine pipe.c: instances must match */
    else if (n->max_instances != PIPE_UNLIMITED_INSTANCES && n->n_instances >= n->max_instances)
      *err = ERROR_PIPE_BUSY;
    if (*err != 0) {
      free(path);
      return INVALID_HANDLE_VALUE;
    }
  } else {
    n = calloc(1, sizeof *n);
    if (n == NULL) abort();
    n->path = path;
    path = NULL;
    n->access = access;
    n->max_instances = max_inst;
    n->default_timeout = timeout ? timeout : FW_PIPE_DEFAULT_WAIT_MS;
    n->linked = true;
    n->next = names;
    names = n;
  }
  free(path);
  /* nInBufferSize is what the server can be sent, nOutBufferSize what it
   * can send before writes wait */
  pipe_inst_t *i = inst_new(n, (pipe_mode & PIPE_TYPE_MESSAGE) != 0, in_size, out_size);
  i->state = PS_LISTENING;
  i->info_out = out_size;
  i->info_in = in_size;
  pipe_end_t *e = end_new(i, 0, (open_mode & FILE_FLAG_OVERLAPPED) != 0);
  e->can_read = (access & PIPE_ACCESS_INBOUND) != 0;
  e->can_write = (access & PIPE_ACCESS_OUTBOUND) != 0;
  /* the server end: GENERIC_READ for inbound, GENERIC_WRITE for outbound */
  e->io.granted = (e->can_read ? FILE_GENERIC_READ : 0) | (e->can_write ? FILE_GENERIC_WRITE : 0);
  e->read_message = (pipe_mode & PIPE_READMODE_MESSAGE) != 0;
  e->nowait = (pipe_mode & PIPE_NOWAIT) != 0;
  HANDLE h = end_publish(e);
  if (h == NULL) {
    *err = ERROR_TOO_MANY_OPEN_FILES;
    return INVALID_HANDLE_VALUE;
  }
  name_wake(n);
  return h;
}

static HANDLE named_pipe_call(const char *call, char *path, DWORD open_mode, DWORD pipe_mode,
                              DWORD max_inst, DWORD out_size, DWORD in_size, DWORD timeout) {
  static sim_tracepoint_t tp = {
      "CreateNamedPipe",
      {{"open_mode", 'x'}, {"pipe_mode", 'x'}, {"max", 'u'}, {"out", 'u'}, {"in", 'u'}},
      'x',
      0};
  fw_thread_t *t = fw_enter(call);
  DWORD err;
  HANDLE h =
      create_named_pipe(t, path, open_mode, pipe_mode, max_inst, out_size, in_size, timeout, &err);
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, FW_P(h), open_mode, pipe_mode, max_inst, out_size, in_size);
  return h;
}

HANDLE fw_CreateNamedPipeA(LPCSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode, DWORD nMaxInstances,
                           DWORD nOutBufferSize, DWORD nInBufferSize, DWORD nDefaultTimeOut,
                           LPSECURITY_ATTRIBUTES lpSecurityAttributes) {
  (void)lpSecurityAttributes;
  return named_pipe_call("CreateNamedPipeA", fw_fs_path_from_a(lpName), dwOpenMode, dwPipeMode,
                         nMaxInstances, nOutBufferSize, nInBufferSize, nDefaultTimeOut);
}

HANDLE fw_CreateNamedPipeW(LPCWSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode, DWORD nMaxInstances,
                           DWORD nOutBufferSize, DWORD nInBufferSize, DWORD nDefaultTimeOut,
                           LPSECURITY_ATTRIBUTES lpSecurityAttributes) {
  (void)lpSecurityAttributes;
  return named_pipe_call("CreateNamedPipeW", fw_fs_path_from_w(lpName), dwOpenMode, dwPipeMode,
                         nMaxInstances, nOutBufferSize, nInBufferSize, nDefaultTimeOut);
}

HANDLE fw_pipe_open_client(fw_thread_t *t, const char *path, DWORD access, DWORD flags,
                           DWORD *err) {
  (void)t;
  pipe_name_t *n = name_find(path);
  if (n == NULL) {
    *err = ERROR_FILE_NOT_FOUND;
    return NULL;
  }
  pipe_inst_t *i = n->insts;
  while (i != NULL && i->state != PS_LISTENING) i = i->name_next;
  if (i == NULL) {
    *err = ERROR_PIPE_BUSY; /* every instance has (or had) a client */
    return NULL;
  }
  uint32_t rights = fw_access_rights(access);
  bool want_read = (rights & FW_ACC_READ) != 0,
       want_write = (rights & (FW_ACC_WRITE | FW_ACC_APPEND)) != 0;
  if ((want_read && !(n->access & PIPE_ACCESS_OUTBOUND)) ||
      (want_write && !(n->access & PIPE_ACCESS_INBOUND))) {
    *err = ERROR_ACCESS_DENIED;
    return NULL;
  }
  pipe_end_t *c = end_new(i, 1, (flags & FILE_FLAG_OVERLAPPED) != 0);
  c->can_read = want_read;
  c->can_write = want_write;
  c->io.granted =
      fw_file_granted(access) | SYNCHRONIZE | FILE_READ_ATTRIBUTES; /* as CreateFile's */
  /* a client always starts in byte read mode (Wine pipe.c) */
  HANDLE h = end_publish(c);
  if (h == NULL) {
    *err = ERROR_TOO_MANY_OPEN_FILES;
    return NULL;
  }
  i->state = PS_CONNECTED;
  pipe_end_t *s = i->end[0];
  if (s != NULL) {
    /* pending ConnectNamedPipe calls succeed */
    while (s->cq_head != NULL) {
      fw_rw_req_t *r = s->cq_head;
      list_del(&s->cq_head, &s->cq_tail, r);
      fw_io_complete(&r->base, STATUS_SUCCESS, 0);
    }
    fw_io_sync_wake_all(&s->io);
  }
  *err = 0;
  return h;
}

BOOL fw_ConnectNamedPipe(HANDLE hNamedPipe, LPOVERLAPPED lpOverlapped) {
  static sim_tracepoint_t tp = {"ConnectNamedPipe", {{"h", 'x'}, {"ov", 'p'}}, 0, 0};
  fw_rw_t rw;
  memset(&rw, 0, sizeof rw);
  rw.t = fw_enter("ConnectNamedPipe");
  rw.h = hNamedPipe;
  rw.ov_user = lpOverlapped;
  fw_io_obj_t *io = NULL;
  DWORD err = fw_io_obj_get(hNamedPipe, &io);
  if (!fw_fault_check(FW_SITE_ConnectNamedPipe, FW_OP_PIPE_CONNECT, hNamedPipe,
                      io ? &io->obj : NULL, &rw.fault))
    memset(&rw.fault, 0, sizeof rw.fault);
  pipe_end_t *e = as_end(io);
  fw_rw_result_t res = {0, 0};
  if (err == 0 && e == NULL) err = ERROR_INVALID_HANDLE;
  if (err != 0) {
    fw_io_mark_pending(lpOverlapped);
    res.err = err;
  } else {
    rw.io = io;
    fw_rw_req_t *req =
        fw_rw_req_start(&rw, FW_OP_PIPE_CONNECT, FW_SITE_ConnectNamedPipe, &pipe_req_ops);
    if (e->side != 0) {
      res.err = fw_io_fail_immediate(&req->base, ERROR_INVALID_FUNCTION);
    } else if (fw_rw_fault_is_request_outcome(&rw.fault)) {
      res = fw_rw_fault(&rw, req, "ConnectNamedPipe");
    } else {
      switch (e->inst->state) {
        case PS_CONNECTED:
          /* the client came first: a good connection, reported as failure */
          res.err = fw_io_fail_immediate(&req->base, ERROR_PIPE_CONNECTED);
          break;
        case PS_CLOSING:
          /* the client came and went before ConnectNamedPipe */
          res.err = fw_io_fail_immediate(&req->base, ERROR_NO_DATA);
          break;
        case PS_DISCONNECTED:
        case PS_LISTENING:
          e->inst->state = PS_LISTENING;
          name_wake(e->inst->name);
          list_add(&e->cq_head, &e->cq_tail, req);
          res = fw_rw_pend(&rw, req, "ConnectNamedPipe");
          break;
      }
    }
  }
  if (res.err != 0) fw_set_error(rw.t, res.err);
  FW_TRACE(&tp, rw.t, res.err == 0, FW_P(hNamedPipe), FW_P(lpOverlapped));
  return res.err == 0;
}

BOOL fw_DisconnectNamedPipe(HANDLE hNamedPipe) {
  static sim_tracepoint_t tp = {"DisconnectNamedPipe", {{"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("DisconnectNamedPipe");
  fw_io_obj_t *io = NULL;
  DWORD err = fw_io_obj_get(hNamedPipe, &io);
  pipe_end_t *e = as_end(io);
  if (err == 0 && e == NULL) err = ERROR_INVALID_HANDLE;
  if (err == 0 && e->side != 0) err = ERROR_INVALID_FUNCTION;
  if (err == 0 && e->inst->state == PS_DISCONNECTED) err = ERROR_PIPE_NOT_CONNECTED;
  if (err == 0) {
    pipe_inst_t *i = e->inst;
    pipe_state_t was = i->state;
    i->state = PS_DISCONNECTED;
    /* a pending ConnectNamedPipe ends */
    while (e->cq_head != NULL) {
      fw_rw_req_t *r = e->cq_head;
      list_del(&e->cq_head, &e->cq_tail, r);
      fw_io_complete(&r->base, STATUS_PIPE_DISCONNECTED, 0);
    }
    /* unread data is discarded; reads and writes waiting on either side end */
    for (int s = 0; s < 2; s++) q_drop_all(&i->q[s], STATUS_PIPE_DISCONNECTED);
    for (int s = 0; s < 2; s++) {
      pipe_end_t *x = i->end[s];
      if (x == NULL) continue;
      while (x->rq_head != NULL) {
        fw_rw_req_t *r = x->rq_head;
        list_del(&x->rq_head, &x->rq_tail, r);
        fw_io_complete(&r->base, STATUS_PIPE_DISCONNECTED, 0);
      }
      fw_io_sync_wake_all(&x->io);
    }
    pipe_end_t *c = i->end[1];
    if (c != NULL && was != PS_LISTENING) {
      c->attached = false;
      i->end[1] = NULL;
    }
  }
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(hNamedPipe));
  return err == 0;
}

static void waitpipe_describe(void *ctx, char *buf, size_t len) {
  pipe_name_t *n = ctx;
  snprintf(buf, len, "an instance of %s to listen", n->path);
}

static BOOL wait_named_pipe(const char *call, char *path, DWORD timeout) {
  static sim_tracepoint_t tp = {"WaitNamedPipe", {{"timeout", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter(call);
  DWORD err = 0;
  pipe_name_t *n = path ? name_find(path) : NULL;
  if (n == NULL) {
    err = ERROR_FILE_NOT_FOUND;
  } else {
    uint64_t ms = timeout == NMPWAIT_USE_DEFAULT_WAIT ? n->default_timeout : timeout;
    uint64_t deadline =
        timeout == NMPWAIT_WAIT_FOREVER ? SIM_NO_TIMEOUT : sim_now() + ms * 1000000ull;
    n->refs++;
    for (;;) {
      bool listening = false;
      for (pipe_inst_t *i = n->insts; i != NULL; i = i->name_next)
        listening |= i->state == PS_LISTENING;
      if (listening) break;
      if (!n->linked || n->n_instances == 0) {
        err = ERROR_FILE_NOT_FOUND;
        break;
      }
      uint64_t now = sim_now();
      if (deadline != SIM_NO_TIMEOUT && now >= deadline) {
        err = ERROR_SEM_TIMEOUT;
        break;
      }
      pipe_waiter_t w = {sim_current(), n->waiters, false};
      n->waiters = &w;
      sim_wake_t wk = sim_block(call, deadline == SIM_NO_TIMEOUT ? SIM_NO_TIMEOUT : deadline - now,
                                waitpipe_describe, n);
      for (pipe_waiter_t **pp = &n->waiters; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == &w) {
          *pp = w.next;
          break;
        }
      }
      (void)wk;
    }
    name_unref(n);
  }
  free(path);
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, timeout);
  return err == 0;
}

BOOL fw_WaitNamedPipeA(LPCSTR lpNamedPipeName, DWORD nTimeOut) {
  return wait_named_pipe("WaitNamedPipeA", fw_fs_path_from_a(lpNamedPipeName), nTimeOut);
}

BOOL fw_WaitNamedPipeW(LPCWSTR lpNamedPipeName, DWORD nTimeOut) {
  return wait_named_pipe("WaitNamedPipeW", fw_fs_path_from_w(lpNamedPipeName), nTimeOut);
}

/* ---- peek and handle state
 * -------------------------------------------------------------------------- */

/* What PeekNamedPipe and FSCTL_PIPE_PEEK see: up to `size` bytes copied into
 * buf (a message pipe shows its first message only, whatever the read
 * mode), the bytes available, the first message's length (0 on a byte pipe)
 * and the messages queued (0 on a byte pipe).  0 or the Win32 error. */
static DWORD pipe_peek(pipe_end_t *e, void *buf, DWORD size, DWORD *copied, DWORD *avail,
                       DWORD *msg_len, DWORD *n_msgs) {
  *copied = 0;
  DWORD err = usable(e);
  /* Wine pipe.c: peeking at a listening or disconnected server is
   * ERROR_BAD_PIPE (STATUS_INVALID_PIPE_STATE); a disconnected client gets
   * ERROR_PIPE_NOT_CONNECTED */
  if (err == ERROR_PIPE_LISTENING || (err == ERROR_PIPE_NOT_CONNECTED && e->side == 0))
    err = ERROR_BAD_PIPE;
  if (err == 0 && !e->can_read) err = ERROR_ACCESS_DENIED;
  if (err != 0) return err;
  pipe_inst_t *i = e->inst;
  pipe_queue_t *q = &i->q[e->side];
  if (q->head == NULL && i->state == PS_CLOSING) return ERROR_BROKEN_PIPE;
  for (pipe_entry_t *x = q->head; x != NULL && buf != NULL && *copied < size; x = x->next) {
    size_t rest = x->len - x->off;
    size_t n = rest < size - *copied ? rest : size - *copied;
    memcpy((uint8_t *)buf + *copied, x->data + x->off, n);
    *copied += (DWORD)n;
    if (i->message_type) break;
  }
  *avail = (DWORD)q->unread;
  *msg_len = i->message_type && q->head ? (DWORD)(q->head->len - q->head->off) : 0;
  *n_msgs = 0;
  if (i->message_type)
    for (pipe_entry_t *x = q->head; x != NULL; x = x->next) (*n_msgs)++;
  return 0;
}

BOOL fw_PeekNamedPipe(HANDLE hNamedPipe, LPVOID lpBuffer, DWORD nBufferSize, LPDWORD lpBytesRead,
                      LPDWORD lpTotalBytesAvail, LPDWORD lpBytesLeftThisMessage) {
  static sim_tracepoint_t tp = {"PeekNamedPipe", {{"h", 'x'}, {"size", 'u'}}, 'u', 0};
  fw_thread_t *t = fw_enter("PeekNamedPipe");
  fw_io_obj_t *io = NULL;
  DWORD err = fw_io_obj_get(hNamedPipe, &io);
  pipe_end_t *e = as_end(io);
  DWORD copied = 0, avail = 0, msg = 0, n_msgs = 0;
  if (err == 0 && e == NULL) err = ERROR_INVALID_HANDLE;
  if (err == 0)
    err = pipe_peek(e, lpBuffer, lpBuffer ? nBufferSize : 0, &copied, &avail, &msg, &n_msgs);
  if (err == 0) {
    if (lpBytesRead) *lpBytesRead = copied;
    if (lpTotalBytesAvail) *lpTotalBytesAvail = avail;
    /* Wine pipe.c on Windows: the message length minus the bytes
     * peeked, and a byte pipe's "message" has length 0 (so -n) */
    if (lpBytesLeftThisMessage) *lpBytesLeftThisMessage = msg - copied;
  }
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, copied, FW_P(hNamedPipe), nBufferSize);
  return err == 0;
}

/* FSCTL_PIPE_PEEK (NtFsControlFile, fw_ntfile.c): the FILE_PIPE_PEEK_BUFFER
 * header (16 bytes) then the data; a buffer shorter than the header is
 * STATUS_BUFFER_TOO_SMALL, data that does not fit STATUS_BUFFER_OVERFLOW
 * with what fits.  *info: the bytes written. */
NTSTATUS fw_pipe_fsctl_peek(fw_io_obj_t *io, void *out, ULONG out_len, ULONG_PTR *info) {
  pipe_end_t *e = as_end(io);
  *info = 0;
  if (e == NULL) return STATUS_INVALID_PARAMETER;
  if (out_len < 16) return STATUS_BUFFER_TOO_SMALL;
  DWORD copied = 0, avail = 0, msg = 0, n_msgs = 0;
  DWORD err = pipe_peek(e, (uint8_t *)out + 16, out_len - 16, &copied, &avail, &msg, &n_msgs);
  switch (err) {
    case 0:
      break;
    case ERROR_BAD_PIPE:
      return STATUS_INVALID_PIPE_STATE;
    case ERROR_BROKEN_PIPE:
      return STATUS_PIPE_BROKEN;
    case ERROR_ACCESS_DENIED:
      return STATUS_ACCESS_DENIED;
    default:
      return STATUS_PIPE_DISCONNECTED;
  }
  ULONG hdr[4] = {3 /* FILE_PIPE_CONNECTED_STATE */, avail, n_msgs, msg};
  if (e->inst->state == PS_CLOSING) hdr[0] = 4; /* FILE_PIPE_CLOSING_STATE */
  memcpy(out, hdr, sizeof hdr);
  *info = 16 + copied;
  DWORD first = e->inst->message_type ? msg : avail;
  return copied < first ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

BOOL fw_SetNamedPipeHandleState(HANDLE hNamedPipe, LPDWORD lpMode, LPDWORD lpMaxCollectionCount,
                                LPDWORD lpCollectDataTimeout) {
  static sim_tracepoint_t tp = {"SetNamedPipeHandleState", {{"h", 'x'}, {"mode", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("SetNamedPipeHandleState");
  /* collection count and timeout only apply to remote clients: ignored */
  (void)lpMaxCollectionCount;
  (void)lpCollectDataTimeout;
  fw_io_obj_t *io = NULL;
  DWORD err = fw_io_obj_get(hNamedPipe, &io);
  pipe_end_t *e = as_end(io);
  DWORD mode = lpMode ? *lpMode : 0;
  if (err == 0 && e == NULL) err = ERROR_INVALID_HANDLE;
  if (err == 0 && lpMode != NULL) {
    if (mode & ~(DWORD)(PIPE_READMODE_MESSAGE | PIPE_NOWAIT)) err = ERROR_INVALID_PARAMETER;
    /* Wine pipe.c: a byte pipe cannot switch to message reads */
    else if ((mode & PIPE_READMODE_MESSAGE) && !e->inst->message_type)
      err = ERROR_INVALID_PARAMETER;
    else {
      e->read_message = (mode & PIPE_READMODE_MESSAGE) != 0;
      e->nowait = (mode & PIPE_NOWAIT) != 0;
    }
  }
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(hNamedPipe), mode);
  return err == 0;
}

/* The account name GetNamedPipeHandleState reports under a personality that
 * answers it (W38): the fake world has one user. */
#define FW_PIPE_USER_NAME "iocpsim"

/* GetNamedPipeHandleState: the handle's PIPE_NOWAIT and PIPE_READMODE_MESSAGE
 * bits and the instances of its name (1 for an anonymous pipe).  The
 * collection count, timeout and user name have no meaning on a local pipe:
 * asking for them is ERROR_INVALID_PARAMETER (Wine pipe.c on Windows); W38:
 * Wine 8.0 answers 0, 0 and the account's name.  `user` is the caller's
 * buffer (char or WCHAR units, `wide`), `user_size` its size in units. */
static BOOL named_pipe_handle_state(const char *call, HANDLE h, LPDWORD lpState,
                                    LPDWORD lpCurInstances, LPDWORD lpMaxCollectionCount,
                                    LPDWORD lpCollectDataTimeout, void *user, DWORD user_size,
                                    bool wide) {
  bool want_user = user != NULL;
  static sim_tracepoint_t tp = {"GetNamedPipeHandleState", {{"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter(call);
  fw_io_obj_t *io = NULL;
  DWORD err = fw_io_obj_get(h, &io);
  pipe_end_t *e = as_end(io);
  if (err == 0 && e == NULL) err = ERROR_INVALID_HANDLE;
  bool answers = fw_pers()->pipe_state_answers_remote_fields;
  if (err == 0 && !answers &&
      (lpMaxCollectionCount != NULL || lpCollectDataTimeout != NULL || want_user))
    err = ERROR_INVALID_PARAMETER;
  if (err == 0) {
    if (lpState)
      *lpState = (e->nowait ? PIPE_NOWAIT : 0) | (e->read_message ? PIPE_READMODE_MESSAGE : 0);
    if (lpCurInstances) *lpCurInstances = e->inst->name ? e->inst->name->n_instances : 1;
    if (lpMaxCollectionCount) *lpMaxCollectionCount = 0;
    if (lpCollectDataTimeout) *lpCollectDataTimeout = 0;
    if (want_user && user_size > 0) {
      /* the name, cut to the buffer and terminated */
      static const char name[] = FW_PIPE_USER_NAME;
      DWORD n = sizeof name - 1 < user_size - 1 ? (DWORD)(sizeof name - 1) : user_size - 1;
      for (DWORD i = 0; i <= n; i++) {
        char ch = i < n ? name[i] : 0;
        if (wide)
          ((WCHAR *)user)[i] = (WCHAR)(unsigned char)ch;
        else
          ((char *)user)[i] = ch;
      }
    }
  }
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(h));
  return err == 0;
}

BOOL fw_GetNamedPipeHandleStateA(HANDLE hNamedPipe, LPDWORD lpState, LPDWORD lpCurInstances,
                                 LPDWORD lpMaxCollectionCount, LPDWORD lpCollectDataTimeout,
                                 LPSTR lpUserName, DWORD nMaxUserNameSize) {
  return named_pipe_handle_state("GetNamedPipeHandleStateA", hNamedPipe, lpState, lpCurInstances,
                                 lpMaxCollectionCount, lpCollectDataTimeout, lpUserName,
                                 nMaxUserNameSize, false);
}

BOOL fw_GetNamedPipeHandleStateW(HANDLE hNamedPipe, LPDWORD lpState, LPDWORD lpCurInstances,
                                 LPDWORD lpMaxCollectionCount, LPDWORD lpCollectDataTimeout,
                                 LPWSTR lpUserName, DWORD nMaxUserNameSize) {
  return named_pipe_handle_state("GetNamedPipeHandleStateW", hNamedPipe, lpState, lpCurInstances,
                                 lpMaxCollectionCount, lpCollectDataTimeout, lpUserName,
                                 nMaxUserNameSize, true);
}

/* GetNamedPipeInfo: PIPE_SERVER_END for the end CreateNamedPipe (or
 * CreatePipe's read end) made, PIPE_TYPE_MESSAGE; the buffer sizes as the
 * pipe was created, from the server's side whichever end asks (CreatePipe:
 * nSize or 4096 both ways); the name's maximum instances (255 for
 * PIPE_UNLIMITED_INSTANCES, 1 for an anonymous pipe). */
BOOL fw_GetNamedPipeInfo(HANDLE hNamedPipe, LPDWORD lpFlags, LPDWORD lpOutBufferSize,
                         LPDWORD lpInBufferSize, LPDWORD lpMaxInstances) {
  static sim_tracepoint_t tp = {"GetNamedPipeInfo", {{"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("GetNamedPipeInfo");
  fw_io_obj_t *io = NULL;
  DWORD err = fw_io_obj_get(hNamedPipe, &io);
  pipe_end_t *e = as_end(io);
  if (err == 0 && e == NULL) err = ERROR_INVALID_HANDLE;
  if (err == 0) {
    pipe_inst_t *i = e->inst;
    if (lpFlags)
      *lpFlags = (e->side == 0 ? PIPE_SERVER_END : PIPE_CLIENT_END) |
                 (i->message_type ? PIPE_TYPE_MESSAGE : 0);
    if (lpOutBufferSize) *lpOutBufferSize = i->info_out;
    if (lpInBufferSize) *lpInBufferSize = i->info_in;
    if (lpMaxInstances) *lpMaxInstances = i->name ? i->name->max_instances : 1;
  }
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(hNamedPipe));
  return err == 0;
}
