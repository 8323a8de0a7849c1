/* fw_file.c: file objects on the in-memory file system (fw_fs.c) and the
 * kernel32 file calls: CreateFileA/W (which also routes pipe and console
 * names), ReadFile/WriteFile for every file-like object, the file pointer,
 * sizes, information classes, FlushFileBuffers, SetEndOfFile, DeleteFile,
 * GetTempPath, GetTempFileName and GetFileType.
 *
 * Semantics: spec/win32-fidelity.md F44-F46 and W16/W17; the I/O manager
 * rules (what is written where, packets) are fw_io.c's.  The kernel32 layer
 * rules reproduced here (Wine's kernelbase ReadFile/WriteFile and pipe.c
 * test_ReadFile agree with Windows on them):
 *   - *lpNumberOfBytes is zeroed at entry and, when the call fails with an
 *     OVERLAPPED, stays 0 even if the status carried a count;
 *   - with an OVERLAPPED, Internal = STATUS_PENDING before anything can
 *     fail (F15);
 *   - STATUS_END_OF_FILE without an OVERLAPPED is success with 0 bytes
 *     (F45);
 *   - a call without an OVERLAPPED on a synchronous handle waits for the
 *     I/O on an IO_STATUS_BLOCK of its own.
 * docs/fakewin-files.md has the model and its deviations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_files.h"

/* ---- configuration: async EOF (W16) ------------------------------------------------------ */

static fw_async_eof_t async_eof_pending_cfg, async_eof_active;

void fw_world_set_async_eof(fw_async_eof_t mode) {
  async_eof_pending_cfg = mode;
  if (sim_in_world()) async_eof_active = mode;
}

fw_async_eof_t fw_world_async_eof(void) {
  return sim_in_world() ? async_eof_active : async_eof_pending_cfg;
}

/* W16: Windows may fail an async read past EOF at once; Wine 8.0 always
 * pends and completes with STATUS_END_OF_FILE. */
static bool async_eof_pends(void) {
  switch (fw_world_async_eof()) {
    case FW_ASYNC_EOF_IMMEDIATE:
      return false;
    case FW_ASYNC_EOF_PENDING:
      return true;
    default:
      return fw_pers()->async_file_eof_pends; /* W16 */
  }
}

static void file_world_start(void *arg) {
  (void)arg;
  async_eof_active = async_eof_pending_cfg;
}
static sim_hook_t file_hook = {file_world_start, NULL, NULL, NULL, false};
__attribute__((constructor)) static void fw_file_register_hook(void) {
  fw_subsystem_add(&file_hook);
}

/* ---- access rights -------------------------------------------------------------------------- */

ACCESS_MASK fw_file_granted(DWORD access) {
  ACCESS_MASK g = access & ~(DWORD)(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL |
                                    MAXIMUM_ALLOWED);
  if (access & GENERIC_READ) g |= FILE_GENERIC_READ;
  if (access & GENERIC_WRITE) g |= FILE_GENERIC_WRITE;
  if (access & GENERIC_EXECUTE) g |= FILE_GENERIC_EXECUTE;
  if (access & (GENERIC_ALL | MAXIMUM_ALLOWED)) g |= FILE_ALL_ACCESS;
  return g;
}

uint32_t fw_access_rights(DWORD access) {
  uint32_t r = 0;
  if (access & (GENERIC_READ | GENERIC_ALL | FILE_READ_DATA | FILE_EXECUTE | GENERIC_EXECUTE))
    r |= FW_ACC_READ;
  if (access & (GENERIC_WRITE | GENERIC_ALL | FILE_WRITE_DATA))
    r |= FW_ACC_WRITE;
  else if (access & FILE_APPEND_DATA)
    r |= FW_ACC_APPEND;
  if (access & (GENERIC_ALL | DELETE)) r |= FW_ACC_DELETE;
  if (access & (GENERIC_WRITE | GENERIC_ALL | FILE_WRITE_ATTRIBUTES)) r |= FW_ACC_WATTR;
  return r;
}

/* ---- file objects ------------------------------------------------------------------------------
 */

typedef struct fw_file {
  fw_io_obj_t io;
  fw_fs_node_t *node; /* referenced */
  uint64_t pos;       /* the file pointer (CurrentByteOffset) */
  uint32_t rights;    /* FW_ACC_* */
  DWORD share;        /* FILE_SHARE_* */
  bool shared;        /* counted in the node's share accounting */
  bool delete_on_close;
} fw_file_t;

/* Attributes a file can carry (the rest of dwFlagsAndAttributes is flags
 * or not applicable to files). */
#define FW_ATTR_MASK                                                            \
  (FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM |    \
   FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_TEMPORARY | FILE_ATTRIBUTE_OFFLINE | \
   FILE_ATTRIBUTE_NOT_CONTENT_INDEXED)

/* A file with no attribute reports FILE_ATTRIBUTE_NORMAL. */
static DWORD attrs_reported(const fw_fs_node_t *n) {
  return n->attributes ? n->attributes : FILE_ATTRIBUTE_NORMAL;
}

static void share_add(fw_file_t *f) {
  fw_fs_node_t *n = f->node;
  n->opens++;
  f->shared = (f->rights & (FW_ACC_READ | FW_ACC_WRITE | FW_ACC_APPEND | FW_ACC_DELETE)) != 0;
  if (!f->shared) return;
  n->n_shared++;
  if (f->rights & FW_ACC_READ) n->n_read++;
  if (f->rights & (FW_ACC_WRITE | FW_ACC_APPEND)) n->n_write++;
  if (f->rights & FW_ACC_DELETE) n->n_delete++;
  if (f->share & FILE_SHARE_READ) n->n_share_read++;
  if (f->share & FILE_SHARE_WRITE) n->n_share_write++;
  if (f->share & FILE_SHARE_DELETE) n->n_share_delete++;
}

static void share_remove(fw_file_t *f) {
  fw_fs_node_t *n = f->node;
  n->opens--;
  if (!f->shared) return;
  f->shared = false;
  n->n_shared--;
  if (f->rights & FW_ACC_READ) n->n_read--;
  if (f->rights & (FW_ACC_WRITE | FW_ACC_APPEND)) n->n_write--;
  if (f->rights & FW_ACC_DELETE) n->n_delete--;
  if (f->share & FILE_SHARE_READ) n->n_share_read--;
  if (f->share & FILE_SHARE_WRITE) n->n_share_write--;
  if (f->share & FILE_SHARE_DELETE) n->n_share_delete--;
}

/* IoCheckShareAccess: a new open with `rights` and `share` against the
 * opens that take part in sharing. */
static bool share_violation(const fw_fs_node_t *n, uint32_t rights, DWORD share) {
  if (!(rights & (FW_ACC_READ | FW_ACC_WRITE | FW_ACC_APPEND | FW_ACC_DELETE))) return false;
  if ((rights & FW_ACC_READ) && n->n_share_read < n->n_shared) return true;
  if ((rights & (FW_ACC_WRITE | FW_ACC_APPEND)) && n->n_share_write < n->n_shared) return true;
  if ((rights & FW_ACC_DELETE) && n->n_share_delete < n->n_shared) return true;
  if (n->n_read && !(share & FILE_SHARE_READ)) return true;
  if (n->n_write && !(share & FILE_SHARE_WRITE)) return true;
  if (n->n_delete && !(share & FILE_SHARE_DELETE)) return true;
  return false;
}

/* Cleanup (the last handle of this file object): pending I/O completes
 * with its close status, the share access is removed, and a delete-pending
 * file whose last open this was loses its name. */
static void file_last_handle_closed(fw_obj_t *o) {
  fw_file_t *f = (fw_file_t *)o;
  fw_io_obj_handle_closed(&f->io);
  if (f->node == NULL) return;
  share_remove(f);
  if (f->delete_on_close) f->node->delete_pending = true;
  if (f->node->delete_pending && f->node->opens == 0) fw_fs_unlink(f->node);
}

static void file_destroy(fw_obj_t *o) {
  fw_file_t *f = (fw_file_t *)o;
  fw_io_obj_release(&f->io);
  if (f->node) fw_fs_unref(f->node);
  free(f);
}

static void file_describe(fw_obj_t *o, char *buf, size_t len) {
  fw_file_t *f = (fw_file_t *)o;
  snprintf(buf, len, "file \"%s\"%s, pointer %llu of %llu", f->node ? f->node->path : "?",
           f->io.overlapped ? " (overlapped)" : "", (unsigned long long)f->pos,
           (unsigned long long)(f->node ? f->node->size : 0));
}

static const fw_obj_ops_t file_ops = {.type_name = "file",
                                      .is_signaled = fw_io_obj_is_signaled,
                                      .acquire = fw_io_obj_acquire,
                                      .last_handle_closed = file_last_handle_closed,
                                      .destroy = file_destroy,
                                      .describe = file_describe};

bool fw_file_node(fw_io_obj_t *io, fw_fs_node_t **node) {
  if (io->obj.type != FW_TYPE_FILE || io->obj.ops != &file_ops) return false;
  *node = ((fw_file_t *)io)->node;
  return true;
}

static fw_file_t *as_file(fw_io_obj_t *io) {
  return (io != NULL && io->obj.type == FW_TYPE_FILE && io->obj.ops == &file_ops) ? (fw_file_t *)io
                                                                                  : NULL;
}

/* ---- the read/write plumbing shared with pipes and the console
 * ------------------------------------ */

fw_rw_req_t *fw_rw_req_start(fw_rw_t *rw, fw_op_t op, fw_site_t site, const fw_io_req_ops_t *ops) {
  LPOVERLAPPED ov = rw->ov_user;
  if (ov == NULL) {
    memset(&rw->local_iosb, 0, sizeof rw->local_iosb);
    rw->local_iosb.hEvent = (HANDLE)(uintptr_t)1;
    ov = &rw->local_iosb;
  }
  fw_rw_req_t *r =
      (fw_rw_req_t *)fw_io_req_new(rw->io, op, site, FW_IO_KERNEL32, ov, ops, sizeof(fw_rw_req_t));
  r->rw = rw;
  r->buf = rw->buf;
  r->len = rw->len;
  r->base.routine = rw->routine;
  fw_io_start(&r->base);
  return r;
}

static fw_rw_result_t result_of(fw_rw_t *rw, DWORD err, NTSTATUS status, DWORD bytes) {
  fw_rw_result_t res = {err, 0};
  if (err == 0)
    res.bytes = bytes;
  else if (status == STATUS_BUFFER_OVERFLOW && rw->ov_user == NULL)
    res.bytes = bytes; /* F29 */
  return res;
}

fw_rw_result_t fw_rw_finish(fw_rw_t *rw, fw_rw_req_t *req, NTSTATUS status, DWORD bytes) {
  DWORD err = fw_io_finish_immediate(&req->base, status, bytes);
  return result_of(rw, err, status, bytes);
}

static fw_rw_result_t rw_fail(fw_rw_req_t *req, DWORD err) {
  fw_rw_result_t res = {fw_io_fail_immediate(&req->base, err), 0};
  return res;
}

/* The final status of a completed call, as kernel32 reports it. */
static fw_rw_result_t result_from_iosb(fw_rw_t *rw, const OVERLAPPED *ov) {
  NTSTATUS s = (NTSTATUS)(uint32_t)ov->Internal;
  DWORD bytes = (DWORD)ov->InternalHigh;
  if (s == STATUS_END_OF_FILE && rw->ov_user == NULL) s = STATUS_SUCCESS; /* F45 */
  DWORD err = s >= 0 ? 0 : fw_nt_to_win32(s);
  return result_of(rw, err, s, bytes);
}

fw_rw_result_t fw_rw_pend(fw_rw_t *rw, fw_rw_req_t *req, const char *call) {
  if (rw->io->overlapped && rw->ov_user != NULL) {
    fw_rw_result_t res = {ERROR_IO_PENDING, 0};
    return res;
  }
  /* a synchronous call: the I/O manager waits for the request; req is
   * valid exactly as long as its status block says pending */
  LPOVERLAPPED ov = rw->ov_user ? rw->ov_user : &rw->local_iosb;
  req->rw = rw;
  while ((NTSTATUS)(uint32_t)ov->Internal == STATUS_PENDING) {
    DWORD w = fw_io_sync_block(rw->io, call, SIM_NO_TIMEOUT);
    /* CancelSynchronousIo released this thread: it cancels its own I/O
     * (CancelIoEx(h, NULL) has already completed it) */
    if (w == ERROR_OPERATION_ABORTED && (NTSTATUS)(uint32_t)ov->Internal == STATUS_PENDING)
      (void)fw_io_cancel_req(&req->base, STATUS_CANCELLED);
  }
  return result_from_iosb(rw, ov);
}

bool fw_rw_fault_is_request_outcome(const fw_fault_t *f) {
  switch (f->outcome) {
    case FW_FAULT_SUCCESS:
    case FW_FAULT_ERROR:
    case FW_FAULT_PENDING:
    case FW_FAULT_COMPLETE_BEFORE_CANCEL:
    case FW_FAULT_CANCEL_WINS:
    case FW_FAULT_CANCEL_TOO_LATE:
      return f->rule != 0;
    default:
      return false;
  }
}

fw_rw_result_t fw_rw_fault(fw_rw_t *rw, fw_rw_req_t *req, const char *call) {
  DWORD bytes = 0;
  LPOVERLAPPED ov = req->base.ov;
  DWORD r = fw_io_apply_fault(&req->base, &rw->fault, &bytes);
  if (r == ERROR_IO_PENDING) {
    /* an async call reports pending even when the plan completed it
     * already (F12); a synchronous one waits for the status block */
    if (rw->io->overlapped && rw->ov_user != NULL) return fw_rw_pend(rw, req, call);
    if ((NTSTATUS)(uint32_t)ov->Internal != STATUS_PENDING) return result_from_iosb(rw, ov);
    return fw_rw_pend(rw, req, call);
  }
  return result_of(rw, r, r == ERROR_MORE_DATA ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS, bytes);
}

/* ---- files: read and write
 * ------------------------------------------------------------------------------ */

static void touch_write(fw_fs_node_t *n) {
  n->write_time = n->change_time = fw_fs_now();
  n->attributes |= FILE_ATTRIBUTE_ARCHIVE;
}

/* Forced completions of the fault plan move real data: at most *bytes at
 * the request's offset (clamped to the buffer and, for reads, to the end of
 * file); a synchronous handle's pointer follows. */
static void file_forced(fw_io_req_t *base, NTSTATUS *status, DWORD *bytes) {
  fw_rw_req_t *r = (fw_rw_req_t *)base;
  fw_file_t *f = as_file(base->issued_on);
  if (f == NULL || f->node == NULL || !NT_SUCCESS(*status)) {
    if (*bytes > r->len) *bytes = r->len;
    return;
  }
  DWORD n = *bytes < r->len ? *bytes : r->len;
  if (base->op == FW_OP_READ) {
    n = (DWORD)fw_fs_read(f->node, r->offset, r->buf, n);
  } else if (n > 0) {
    if (fw_fs_write(f->node, r->offset, r->buf, n) != 0)
      n = 0;
    else
      touch_write(f->node);
  }
  *bytes = n;
  if (r->sync_pointer) f->pos = r->offset + n;
}

static DWORD file_detach(fw_io_req_t *base) {
  fw_rw_req_t *r = (fw_rw_req_t *)base;
  if (r->later != 0) {
    (void)sim_cancel(r->later);
    r->later = 0;
  }
  fw_io_sync_wake_all(base->issued_on);
  return 0;
}

static const fw_io_req_ops_t file_req_ops = {.detach = file_detach, .forced = file_forced};

/* W16 under wine8: the read past EOF completes at the next scheduling point. */
static void file_eof_later(void *arg) {
  fw_rw_req_t *r = arg;
  r->later = 0;
  fw_io_complete(&r->base, STATUS_END_OF_FILE, 0);
}

/* An overlapped read that pends although its data was there (wine8): the
 * bytes were copied in the call, the completion follows. */
static void file_read_later(void *arg) {
  fw_rw_req_t *r = arg;
  r->later = 0;
  fw_io_complete(&r->base, STATUS_SUCCESS, r->done);
}

static uint64_t ov_offset(const OVERLAPPED *ov) {
  return ((uint64_t)ov->OffsetHigh << 32) | ov->Offset;
}

static fw_rw_result_t file_rw(fw_rw_t *rw) {
  fw_file_t *f = (fw_file_t *)rw->io;
  fw_fs_node_t *n = f->node;
  const char *call = rw->write ? "WriteFile" : "ReadFile";
  fw_rw_result_t res = {0, 0};
  /* F46: an overlapped file handle keeps no pointer, so every call needs
   * an offset */
  if (f->io.overlapped && rw->ov_user == NULL) {
    res.err = ERROR_INVALID_PARAMETER;
    return res;
  }
  fw_rw_req_t *req =
      fw_rw_req_start(rw, rw->write ? FW_OP_WRITE : FW_OP_READ,
                      rw->write ? FW_SITE_WriteFile : FW_SITE_ReadFile, &file_req_ops);
  bool append = false;
  uint64_t off = f->pos;
  if (rw->ov_user != NULL) {
    off = ov_offset(rw->ov_user);
    /* F44: 0xFFFFFFFF:0xFFFFFFFF writes at the end of file */
    if (rw->write && off == UINT64_MAX) append = true;
  }
  if (rw->write && (f->rights & (FW_ACC_WRITE | FW_ACC_APPEND)) == FW_ACC_APPEND) append = true;
  req->offset = off;
  req->sync_pointer = !f->io.overlapped;

  if (rw->write ? !(f->rights & (FW_ACC_WRITE | FW_ACC_APPEND)) : !(f->rights & FW_ACC_READ))
    return rw_fail(req, ERROR_ACCESS_DENIED);
  if (fw_rw_fault_is_request_outcome(&rw->fault)) {
    if (append) req->offset = n->size;
    return fw_rw_fault(rw, req, call);
  }

  if (rw->write) {
    if (append) off = req->offset = n->size;
    DWORD err = fw_fs_write(n, off, rw->buf, rw->len);
    if (err != 0) return rw_fail(req, err);
    if (rw->len > 0) touch_write(n);
    if (!f->io.overlapped) f->pos = off + rw->len;
    return fw_rw_finish(rw, req, STATUS_SUCCESS, rw->len);
  }

  /* a zero-length read succeeds wherever the offset is */
  if (rw->len > 0 && off >= n->size) {
    if (f->io.overlapped) {
      if (async_eof_pends()) {
        req->later = sim_after(0, file_eof_later, req);
        return fw_rw_pend(rw, req, call);
      }
      return fw_rw_finish(rw, req, STATUS_END_OF_FILE, 0);
    }
    res = fw_rw_finish(rw, req, STATUS_END_OF_FILE, 0);
    if (rw->ov_user != NULL) {
      /* F45: the failed read's status block.  W35: Wine 8.0 writes
       * STATUS_END_OF_FILE; Windows leaves the STATUS_PENDING of F15 (file.c
       * test_eof).  InternalHigh and the event: Windows not established */
      rw->ov_user->Internal =
          (ULONG_PTR)(uint32_t)(fw_pers()->sync_eof_writes_status ? STATUS_END_OF_FILE
                                                                  : STATUS_PENDING);
      rw->ov_user->InternalHigh = 0;
      HANDLE ev = (HANDLE)((uintptr_t)rw->ov_user->hEvent & ~(uintptr_t)1);
      if (ev != NULL) (void)fw_event_set_handle(ev);
      /* W17: Wine 8.0 leaves the pointer at the requested offset;
       * Windows' behaviour is not established, the fake leaves it alone */
      if (fw_pers()->sync_eof_read_moves_pointer) f->pos = off;
    } else {
      res.err = 0; /* F45: no OVERLAPPED, TRUE with 0 bytes */
    }
    return res;
  }
  DWORD got = (DWORD)fw_fs_read(n, off, rw->buf, rw->len);
  if (!f->io.overlapped) f->pos = off + got; /* F44 */
  if (f->io.overlapped && fw_pers()->async_file_read_pends) {
    /* Wine 8.0 pends every overlapped file read (probe files) */
    req->done = got;
    req->later = sim_after(0, file_read_later, req);
    return fw_rw_pend(rw, req, call);
  }
  return fw_rw_finish(rw, req, STATUS_SUCCESS, got);
}

/* ---- ReadFile / WriteFile
 * ---------------------------------------------------------------------------------- */

static BOOL read_write(fw_rw_t *rw, sim_tracepoint_t *tp, LPDWORD pn) {
  fw_thread_t *t = rw->t;
  if (pn != NULL) *pn = 0;
  fw_io_obj_t *io = NULL;
  DWORD herr = fw_io_obj_get(rw->h, &io);
  rw->io = io;
  if (!fw_fault_check(rw->write ? FW_SITE_WriteFile : FW_SITE_ReadFile,
                      rw->write ? FW_OP_WRITE : FW_OP_READ, rw->h, io ? &io->obj : NULL,
                      &rw->fault))
    memset(&rw->fault, 0, sizeof rw->fault);
  if (rw->fault.rule != 0 && rw->fault.outcome == FW_FAULT_SHORT)
    rw->len = fw_fault_short_cap(&rw->fault, rw->len);

  fw_rw_result_t res = {0, 0};
  if (herr != 0) {
    /* kernel32 stores STATUS_PENDING before the system call fails (F15) */
    fw_io_mark_pending(rw->ov_user);
    res.err = rw->fault.rule != 0 && rw->fault.outcome == FW_FAULT_ERROR ? rw->fault.error : herr;
  } else if (rw->buf == NULL && rw->len > 0) {
    /* The handle is checked first, then the system call probes the buffer:
     * a NULL one with a length fails before any transfer, nothing moved
     * (Wine's file.c test_read_write, as on Windows NT) */
    fw_io_mark_pending(rw->ov_user);
    res.err = rw->write ? ERROR_INVALID_USER_BUFFER : ERROR_NOACCESS;
  } else {
    switch (io->obj.type) {
      case FW_TYPE_FILE:
        res = file_rw(rw);
        break;
      case FW_TYPE_PIPE:
        res = fw_pipe_rw(rw);
        break;
      case FW_TYPE_CONSOLE:
        res = fw_console_rw(rw);
        break;
      default:
        /* ReadFile/WriteFile on a socket handle is not modelled */
        fw_io_mark_pending(rw->ov_user);
        res.err = ERROR_INVALID_FUNCTION;
        break;
    }
  }
  if (pn != NULL) *pn = res.bytes;
  if (res.err != 0) fw_set_error(t, res.err);
  FW_TRACE(tp, t, res.err == 0, FW_P(rw->h), rw->len, FW_P(rw->ov_user), res.bytes);
  return res.err == 0;
}

BOOL fw_ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                 LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped) {
  static sim_tracepoint_t tp = {
      "ReadFile", {{"h", 'x'}, {"len", 'u'}, {"ov", 'p'}, {"n", 'u'}}, 0, 0};
  fw_rw_t rw;
  memset(&rw, 0, sizeof rw);
  rw.t = fw_enter("ReadFile");
  rw.h = hFile;
  rw.buf = lpBuffer;
  rw.len = nNumberOfBytesToRead;
  rw.ov_user = lpOverlapped;
  return read_write(&rw, &tp, lpNumberOfBytesRead);
}

BOOL fw_WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                  LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped) {
  static sim_tracepoint_t tp = {
      "WriteFile", {{"h", 'x'}, {"len", 'u'}, {"ov", 'p'}, {"n", 'u'}}, 0, 0};
  fw_rw_t rw;
  memset(&rw, 0, sizeof rw);
  rw.t = fw_enter("WriteFile");
  rw.h = hFile;
  rw.write = true;
  rw.buf = (void *)(uintptr_t)lpBuffer;
  rw.len = nNumberOfBytesToWrite;
  rw.ov_user = lpOverlapped;
  return read_write(&rw, &tp, lpNumberOfBytesWritten);
}

/* ReadFileEx / WriteFileEx: the overlapped transfer with a completion
 * routine instead of an event or a packet.  The OVERLAPPED is required
 * (ERROR_INVALID_PARAMETER); a handle bound to a completion port cannot take
 * a routine (ERROR_INVALID_PARAMETER, the I/O manager refuses an APC routine
 * on such a file object).  TRUE when the request was queued or completed
 * (the routine then runs in the thread's next alertable wait), FALSE with
 * the error when it failed inside the call (no routine). */
static BOOL transfer_ex(const char *call, sim_tracepoint_t *tp, HANDLE h, void *buf, DWORD len,
                        bool write, LPOVERLAPPED ov, LPOVERLAPPED_COMPLETION_ROUTINE routine) {
  fw_rw_t rw;
  memset(&rw, 0, sizeof rw);
  rw.t = fw_enter(call);
  rw.h = h;
  rw.write = write;
  rw.buf = buf;
  rw.len = len;
  rw.ov_user = ov;
  rw.routine = routine;
  fw_io_obj_t *io = NULL;
  if (ov == NULL || (fw_io_obj_get(h, &io) == 0 && io->port != NULL)) {
    fw_set_error(rw.t, ERROR_INVALID_PARAMETER);
    FW_TRACE(tp, rw.t, 0, FW_P(h), len, FW_P(ov), 0);
    return FALSE;
  }
  DWORD n = 0;
  BOOL ok = read_write(&rw, tp, &n);
  /* pending is success for the Ex forms; the last error is then 0 */
  if (!ok && rw.t->last_error == ERROR_IO_PENDING) {
    rw.t->last_error = 0;
    ok = TRUE;
  }
  return ok;
}

BOOL fw_ReadFileEx(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                   LPOVERLAPPED lpOverlapped, LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
  static sim_tracepoint_t tp = {
      "ReadFileEx", {{"h", 'x'}, {"len", 'u'}, {"ov", 'p'}, {"n", 'u'}}, 0, 0};
  return transfer_ex("ReadFileEx", &tp, hFile, lpBuffer, nNumberOfBytesToRead, false, lpOverlapped,
                     lpCompletionRoutine);
}

BOOL fw_WriteFileEx(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                    LPOVERLAPPED lpOverlapped,
                    LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
  static sim_tracepoint_t tp = {
      "WriteFileEx", {{"h", 'x'}, {"len", 'u'}, {"ov", 'p'}, {"n", 'u'}}, 0, 0};
  return transfer_ex("WriteFileEx", &tp, hFile, (void *)(uintptr_t)lpBuffer, nNumberOfBytesToWrite,
                     true, lpOverlapped, lpCompletionRoutine);
}

/* ---- CreateFile
 * ---------------------------------------------------------------------------------------------- */

static bool valid_file_name(const char *p) {
  size_t len = strlen(p);
  if (len == 0 || p[len - 1] == '\\') return false;
  /* a drive prefix "X:" is the only colon allowed (no alternate streams) */
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c < 0x20 || c == '<' || c == '>' || c == '"' || c == '|' || c == '?' || c == '*')
      return false;
    if (c == ':' && i != 1) return false;
  }
  return true;
}

static bool name_is(const char *p, const char *name) {
  return fw_fs_has_prefix(p, name) && p[strlen(name)] == 0;
}

static HANDLE create_file(fw_thread_t *t, const char *path, DWORD access, DWORD share,
                          DWORD disposition, DWORD flags, DWORD *err,
                          DWORD *last_error_on_success) {
  *last_error_on_success = (DWORD)-1; /* untouched */
  if (path == NULL) {
    *err = ERROR_PATH_NOT_FOUND;
    return INVALID_HANDLE_VALUE;
  }
  if (fw_fs_has_prefix(path, "\\\\.\\pipe\\")) {
    /* a client opens an existing instance; it cannot create one */
    if (disposition != OPEN_EXISTING && disposition != OPEN_ALWAYS) {
      *err = ERROR_INVALID_PARAMETER;
      return INVALID_HANDLE_VALUE;
    }
    HANDLE h = fw_pipe_open_client(t, path, access, flags, err);
    return h ? h : INVALID_HANDLE_VALUE;
  }
  if (name_is(path, "CONIN$") || name_is(path, "CONOUT$")) {
    HANDLE h = fw_console_open(t, name_is(path, "CONIN$"), err);
    return h ? h : INVALID_HANDLE_VALUE;
  }
  if (!valid_file_name(path)) {
    *err = ERROR_INVALID_NAME;
    return INVALID_HANDLE_VALUE;
  }
  if (disposition < CREATE_NEW || disposition > TRUNCATE_EXISTING) {
    *err = ERROR_INVALID_PARAMETER;
    return INVALID_HANDLE_VALUE;
  }
  uint32_t rights = fw_access_rights(access);
  bool delete_on_close = (flags & FILE_FLAG_DELETE_ON_CLOSE) != 0;
  if (delete_on_close) rights |= FW_ACC_DELETE;
  if (disposition == TRUNCATE_EXISTING && !(rights & FW_ACC_WRITE)) {
    *err = ERROR_INVALID_PARAMETER;
    return INVALID_HANDLE_VALUE;
  }
  DWORD attrs = (flags & FW_ATTR_MASK) | FILE_ATTRIBUTE_ARCHIVE;

  fw_fs_node_t *n = fw_fs_lookup(path);
  bool created = false, existed = n != NULL;
  if (n != NULL) {
    if (disposition == CREATE_NEW) {
      *err = ERROR_FILE_EXISTS;
      return INVALID_HANDLE_VALUE;
    }
    /* a file being deleted cannot be opened (STATUS_DELETE_PENDING) */
    if (n->delete_pending) {
      *err = ERROR_ACCESS_DENIED;
      return INVALID_HANDLE_VALUE;
    }
    bool overwrite = disposition == CREATE_ALWAYS || disposition == TRUNCATE_EXISTING;
    if ((n->attributes & FILE_ATTRIBUTE_READONLY) &&
        (overwrite || delete_on_close || (rights & (FW_ACC_WRITE | FW_ACC_APPEND)))) {
      *err = ERROR_ACCESS_DENIED;
      return INVALID_HANDLE_VALUE;
    }
    /* CreateFile docs: CREATE_ALWAYS over a hidden or system file needs
     * those attributes in the request */
    if (disposition == CREATE_ALWAYS &&
        (n->attributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM)) &
            ~(flags & FW_ATTR_MASK)) {
      *err = ERROR_ACCESS_DENIED;
      return INVALID_HANDLE_VALUE;
    }
    if (share_violation(n, rights, share)) {
      *err = ERROR_SHARING_VIOLATION;
      return INVALID_HANDLE_VALUE;
    }
    if (overwrite) {
      (void)fw_fs_set_size(n, 0);
      touch_write(n);
      if (disposition == CREATE_ALWAYS) n->attributes |= attrs;
    }
    fw_fs_ref(n);
  } else {
    if (disposition == OPEN_EXISTING || disposition == TRUNCATE_EXISTING) {
      *err = ERROR_FILE_NOT_FOUND;
      return INVALID_HANDLE_VALUE;
    }
    n = fw_fs_create(path, attrs);
    created = true;
    fw_fs_ref(n); /* the open's reference; the name holds the other */
  }

  fw_file_t *f = calloc(1, sizeof *f);
  if (f == NULL) abort();
  fw_io_obj_init(&f->io, FW_TYPE_FILE, &file_ops, (flags & FILE_FLAG_OVERLAPPED) != 0);
  f->node = n;
  f->rights = rights;
  /* kernel32's CreateFile always adds SYNCHRONIZE and FILE_READ_ATTRIBUTES */
  f->io.granted = fw_file_granted(access) | SYNCHRONIZE | FILE_READ_ATTRIBUTES;
  f->share = share;
  f->delete_on_close = delete_on_close;
  share_add(f);
  HANDLE h = fw_handle_new(&f->io.obj);
  if (h == NULL) {
    *err = ERROR_TOO_MANY_OPEN_FILES;
    share_remove(f);
    if (created) fw_fs_unlink(n);
    fw_obj_unref(&f->io.obj);
    return INVALID_HANDLE_VALUE;
  }
  fw_obj_unref(&f->io.obj); /* the handle holds it now */
  /* CreateFile docs: CREATE_ALWAYS and OPEN_ALWAYS say whether the file
   * existed; the other dispositions leave the last error alone */
  if (disposition == CREATE_ALWAYS || disposition == OPEN_ALWAYS)
    *last_error_on_success = existed ? ERROR_ALREADY_EXISTS : 0;
  *err = 0;
  return h;
}

HANDLE fw_file_open_std(const char *path, DWORD *err) {
  char *p = fw_fs_path_from_a(path);
  DWORD le;
  HANDLE h =
      create_file(fw_thread_current(), p, GENERIC_READ | GENERIC_WRITE,
                  FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, OPEN_ALWAYS, 0, err, &le);
  free(p);
  return h == INVALID_HANDLE_VALUE ? NULL : h;
}

static HANDLE create_file_call(const char *name, char *path, DWORD access, DWORD share,
                               DWORD disposition, DWORD flags) {
  static sim_tracepoint_t tp = {
      "CreateFile",
      {{"access", 'x'}, {"share", 'x'}, {"disposition", 'u'}, {"flags", 'x'}},
      'x',
      0};
  fw_thread_t *t = fw_enter(name);
  DWORD err = 0, le = (DWORD)-1;
  HANDLE h = INVALID_HANDLE_VALUE;
  fw_fault_t f;
  if (fw_fault_check(FW_SITE_CreateFileW, FW_OP_CONTROL, NULL, NULL, &f) &&
      f.outcome == FW_FAULT_ERROR)
    err = f.error;
  else
    h = create_file(t, path, access, share, disposition, flags, &err, &le);
  free(path);
  if (err != 0)
    fw_set_error(t, err);
  else if (le != (DWORD)-1)
    fw_set_error(t, le);
  FW_TRACE(&tp, t, err == 0 ? FW_P(h) : FW_P(INVALID_HANDLE_VALUE), access, share, disposition,
           flags);
  return h;
}

HANDLE fw_CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                      LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                      DWORD dwFlagsAndAttributes, HANDLE hTemplateFile) {
  (void)lpSecurityAttributes;
  (void)hTemplateFile; /* templates are not modelled: attributes come from the call */
  return create_file_call("CreateFileA", fw_fs_path_from_a(lpFileName), dwDesiredAccess,
                          dwShareMode, dwCreationDisposition, dwFlagsAndAttributes);
}

HANDLE fw_CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                      LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                      DWORD dwFlagsAndAttributes, HANDLE hTemplateFile) {
  (void)lpSecurityAttributes;
  (void)hTemplateFile;
  return create_file_call("CreateFileW", fw_fs_path_from_w(lpFileName), dwDesiredAccess,
                          dwShareMode, dwCreationDisposition, dwFlagsAndAttributes);
}

/* ---- DeleteFile
 * --------------------------------------------------------------------------------------------------
 */

static BOOL delete_file(const char *name, char *path) {
  static sim_tracepoint_t tp = {"DeleteFile", {{"found", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter(name);
  DWORD err = 0;
  fw_fs_node_t *n = path && valid_file_name(path) ? fw_fs_lookup(path) : NULL;
  if (path == NULL)
    err = ERROR_PATH_NOT_FOUND;
  else if (!valid_file_name(path))
    err = ERROR_INVALID_NAME;
  else if (n == NULL)
    err = ERROR_FILE_NOT_FOUND;
  else if (n->delete_pending)
    err = ERROR_ACCESS_DENIED;
  else if (n->attributes & FILE_ATTRIBUTE_READONLY)
    err = ERROR_ACCESS_DENIED;
  /* DeleteFile opens with DELETE access, sharing everything */
  else if (share_violation(n, FW_ACC_DELETE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE))
    err = ERROR_SHARING_VIOLATION;
  else if (n->opens == 0)
    fw_fs_unlink(n);
  else
    n->delete_pending = true; /* the name goes with the last close */
  free(path);
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, n != NULL);
  return err == 0;
}

BOOL fw_DeleteFileA(LPCSTR lpFileName) {
  return delete_file("DeleteFileA", fw_fs_path_from_a(lpFileName));
}
BOOL fw_DeleteFileW(LPCWSTR lpFileName) {
  return delete_file("DeleteFileW", fw_fs_path_from_w(lpFileName));
}

/* ---- the pointer
 * ------------------------------------------------------------------------------------------------
 */

/* Moves the pointer of a file object.  Pipes accept the call and keep a
 * position nobody uses (the synchronous I/O manager stores it without
 * asking the driver); a console handle is rejected.  Wine 8.0 refuses pipes
 * (probed on an anonymous pipe): FILE_BEGIN fails with ERROR_BAD_DEV_TYPE
 * (ERROR_NEGATIVE_SEEK when negative), FILE_CURRENT and FILE_END, which
 * first query the position or the size, with ERROR_INVALID_FUNCTION. */
static DWORD seek(fw_io_obj_t *io, int64_t dist, DWORD method, uint64_t *out) {
  fw_file_t *f = as_file(io);
  if (io->obj.type == FW_TYPE_CONSOLE || io->obj.type == FW_TYPE_SOCKET)
    return ERROR_INVALID_HANDLE;
  if (method > FILE_END) return ERROR_INVALID_PARAMETER;
  if (f == NULL && fw_pers()->pipe_seek_refused) { /* W23 */
    if (method != FILE_BEGIN) return ERROR_INVALID_FUNCTION;
    return dist < 0 ? ERROR_NEGATIVE_SEEK : ERROR_BAD_DEV_TYPE;
  }
  if (f == NULL) {
    /* a pipe end: the I/O manager keeps the file object's pointer without
     * asking the driver, so FILE_BEGIN and FILE_CURRENT move a stored
     * position that reads and writes ignore.  FILE_END asks the size, which
     * a pipe reports as 0 here (not verified on Windows). */
    uint64_t *pos = fw_pipe_position(io);
    if (pos == NULL) return ERROR_INVALID_HANDLE;
    int64_t base = method == FILE_CURRENT ? (int64_t)*pos : 0, np;
    if (__builtin_add_overflow(base, dist, &np)) return ERROR_INVALID_PARAMETER;
    if (np < 0) return ERROR_NEGATIVE_SEEK;
    *pos = (uint64_t)np;
    *out = *pos;
    return 0;
  }
  int64_t base = method == FILE_BEGIN     ? 0
                 : method == FILE_CURRENT ? (int64_t)f->pos
                                          : (int64_t)f->node->size;
  int64_t np;
  if (__builtin_add_overflow(base, dist, &np)) return ERROR_INVALID_PARAMETER;
  if (np < 0) return ERROR_NEGATIVE_SEEK;
  f->pos = (uint64_t)np;
  *out = f->pos;
  return 0;
}

BOOL fw_SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove,
                         PLARGE_INTEGER lpNewFilePointer, DWORD dwMoveMethod) {
  static sim_tracepoint_t tp = {
      "SetFilePointerEx", {{"h", 'x'}, {"dist", 'd'}, {"method", 'u'}}, 'u', 0};
  fw_thread_t *t = fw_enter("SetFilePointerEx");
  fw_io_obj_t *io;
  uint64_t np = 0;
  DWORD err = fw_io_obj_get(hFile, &io);
  if (err == 0) err = seek(io, liDistanceToMove.QuadPart, dwMoveMethod, &np);
  if (err == 0 && lpNewFilePointer != NULL) lpNewFilePointer->QuadPart = (LONGLONG)np;
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0 ? np : 0, FW_P(hFile), (uint64_t)liDistanceToMove.QuadPart,
           dwMoveMethod);
  return err == 0;
}

DWORD fw_SetFilePointer(HANDLE hFile, LONG lDistanceToMove, PLONG lpDistanceToMoveHigh,
                        DWORD dwMoveMethod) {
  static sim_tracepoint_t tp = {
      "SetFilePointer", {{"h", 'x'}, {"dist", 'd'}, {"method", 'u'}}, 'x', 0};
  fw_thread_t *t = fw_enter("SetFilePointer");
  int64_t dist =
      lpDistanceToMoveHigh
          ? (int64_t)(((uint64_t)(uint32_t)*lpDistanceToMoveHigh << 32) | (uint32_t)lDistanceToMove)
          : (int64_t)lDistanceToMove;
  fw_io_obj_t *io;
  uint64_t np = 0;
  DWORD err = fw_io_obj_get(hFile, &io);
  if (err == 0) {
    fw_file_t *f = as_file(io);
    uint64_t saved = f ? f->pos : 0;
    err = seek(io, dist, dwMoveMethod, &np);
    /* SetFilePointer docs: without lpDistanceToMoveHigh the new position
     * must fit in 32 bits (ReactOS: ERROR_INVALID_PARAMETER, not moved) */
    if (err == 0 && lpDistanceToMoveHigh == NULL && np > 0xFFFFFFFFull) {
      if (f) f->pos = saved;
      err = ERROR_INVALID_PARAMETER;
    }
  }
  DWORD ret;
  if (err != 0) {
    fw_set_error(t, err);
    ret = INVALID_SET_FILE_POINTER;
  } else {
    if (lpDistanceToMoveHigh) *lpDistanceToMoveHigh = (LONG)(uint32_t)(np >> 32);
    ret = (DWORD)np;
    /* a success that looks like INVALID_SET_FILE_POINTER says NO_ERROR */
    if (ret == INVALID_SET_FILE_POINTER) fw_set_error(t, NO_ERROR);
  }
  FW_TRACE(&tp, t, ret, FW_P(hFile), (uint64_t)dist, dwMoveMethod);
  return ret;
}

/* ---- sizes and information
 * ----------------------------------------------------------------------------------------- */

/* The size GetFileSize reports: a file's end of file, the bytes a pipe end
 * can read.  Consoles and sockets: ERROR_INVALID_HANDLE. */
static DWORD size_of(fw_io_obj_t *io, uint64_t *out) {
  fw_file_t *f = as_file(io);
  if (f != NULL) {
    *out = f->node->size;
    return 0;
  }
  if (io->obj.type == FW_TYPE_PIPE) {
    *out = fw_pipe_available(io);
    return 0;
  }
  return ERROR_INVALID_HANDLE;
}

DWORD fw_GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh) {
  static sim_tracepoint_t tp = {"GetFileSize", {{"h", 'x'}}, 'x', 0};
  fw_thread_t *t = fw_enter("GetFileSize");
  fw_io_obj_t *io;
  uint64_t size = 0;
  DWORD err = fw_io_obj_get(hFile, &io);
  if (err == 0) err = size_of(io, &size);
  DWORD ret = INVALID_FILE_SIZE;
  if (err != 0) {
    fw_set_error(t, err);
  } else {
    ret = (DWORD)size;
    if (lpFileSizeHigh) *lpFileSizeHigh = (DWORD)(size >> 32);
    if (ret == INVALID_FILE_SIZE) fw_set_error(t, NO_ERROR);
  }
  FW_TRACE(&tp, t, ret, FW_P(hFile));
  return ret;
}

BOOL fw_GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize) {
  static sim_tracepoint_t tp = {"GetFileSizeEx", {{"h", 'x'}}, 'u', 0};
  fw_thread_t *t = fw_enter("GetFileSizeEx");
  fw_io_obj_t *io;
  uint64_t size = 0;
  DWORD err = fw_io_obj_get(hFile, &io);
  if (err == 0) err = size_of(io, &size);
  if (err != 0)
    fw_set_error(t, err);
  else if (lpFileSize)
    lpFileSize->QuadPart = (LONGLONG)size;
  FW_TRACE(&tp, t, size, FW_P(hFile));
  return err == 0;
}

/* The disk file behind a handle for the information calls: pipes are not
 * modelled there (ERROR_INVALID_FUNCTION), consoles, sockets and bogus
 * handles are ERROR_INVALID_HANDLE. */
static DWORD file_for_info(HANDLE h, fw_file_t **out) {
  fw_io_obj_t *io;
  *out = NULL;
  if (fw_io_obj_get(h, &io) != 0) return ERROR_INVALID_HANDLE;
  if (io->obj.type == FW_TYPE_PIPE) return ERROR_INVALID_FUNCTION;
  *out = as_file(io);
  return *out ? 0 : ERROR_INVALID_HANDLE;
}

static void filetime_of(uint64_t v, FILETIME *ft) {
  ft->dwLowDateTime = (DWORD)v;
  ft->dwHighDateTime = (DWORD)(v >> 32);
}

/* The fake volume's serial number (GetVolumeInformation would say the same). */
#define FW_VOLUME_SERIAL 0x5EED0001u

BOOL fw_GetFileInformationByHandle(HANDLE hFile, LPBY_HANDLE_FILE_INFORMATION lpFileInformation) {
  static sim_tracepoint_t tp = {"GetFileInformationByHandle", {{"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("GetFileInformationByHandle");
  fw_file_t *f;
  DWORD err = file_for_info(hFile, &f);
  if (err == 0 && lpFileInformation != NULL) {
    fw_fs_node_t *n = f->node;
    BY_HANDLE_FILE_INFORMATION *i = lpFileInformation;
    i->dwFileAttributes = attrs_reported(n);
    filetime_of(n->creation_time, &i->ftCreationTime);
    filetime_of(n->access_time, &i->ftLastAccessTime);
    filetime_of(n->write_time, &i->ftLastWriteTime);
    i->dwVolumeSerialNumber = FW_VOLUME_SERIAL;
    i->nFileSizeHigh = (DWORD)(n->size >> 32);
    i->nFileSizeLow = (DWORD)n->size;
    /* a delete-pending file keeps its link until the last close */
    i->nNumberOfLinks = n->linked ? 1 : 0;
    i->nFileIndexHigh = (DWORD)(n->file_index >> 32);
    i->nFileIndexLow = (DWORD)n->file_index;
  }
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(hFile));
  return err == 0;
}

BOOL fw_GetFileInformationByHandleEx(HANDLE hFile, FILE_INFO_BY_HANDLE_CLASS FileInformationClass,
                                     LPVOID lpFileInformation, DWORD dwBufferSize) {
  static sim_tracepoint_t tp = {
      "GetFileInformationByHandleEx", {{"h", 'x'}, {"class", 'u'}, {"size", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter("GetFileInformationByHandleEx");
  fw_file_t *f;
  DWORD err = file_for_info(hFile, &f);
  if (err == 0) {
    fw_fs_node_t *n = f->node;
    switch (FileInformationClass) {
      case FileBasicInfo: {
        /* STATUS_INFO_LENGTH_MISMATCH → ERROR_BAD_LENGTH */
        if (dwBufferSize < sizeof(FILE_BASIC_INFO)) {
          err = ERROR_BAD_LENGTH;
          break;
        }
        FILE_BASIC_INFO *b = lpFileInformation;
        b->CreationTime.QuadPart = (LONGLONG)n->creation_time;
        b->LastAccessTime.QuadPart = (LONGLONG)n->access_time;
        b->LastWriteTime.QuadPart = (LONGLONG)n->write_time;
        b->ChangeTime.QuadPart = (LONGLONG)n->change_time;
        b->FileAttributes = attrs_reported(n);
        break;
      }
      case FileStandardInfo: {
        if (dwBufferSize < sizeof(FILE_STANDARD_INFO)) {
          err = ERROR_BAD_LENGTH;
          break;
        }
        FILE_STANDARD_INFO *s = lpFileInformation;
        s->AllocationSize.QuadPart = (LONGLONG)((n->size + 4095u) & ~(uint64_t)4095u);
        s->EndOfFile.QuadPart = (LONGLONG)n->size;
        s->NumberOfLinks = n->linked ? 1 : 0;
        s->DeletePending = n->delete_pending;
        s->Directory = FALSE;
        break;
      }
      case FileAttributeTagInfo: {
        if (dwBufferSize < sizeof(FILE_ATTRIBUTE_TAG_INFO)) {
          err = ERROR_BAD_LENGTH;
          break;
        }
        FILE_ATTRIBUTE_TAG_INFO *a = lpFileInformation;
        a->FileAttributes = attrs_reported(n);
        a->ReparseTag = 0;
        break;
      }
      default:
        err = ERROR_INVALID_PARAMETER; /* classes the fake does not model */
        break;
    }
  }
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(hFile), (uint64_t)FileInformationClass, dwBufferSize);
  return err == 0;
}

BOOL fw_SetFileInformationByHandle(HANDLE hFile, FILE_INFO_BY_HANDLE_CLASS FileInformationClass,
                                   LPVOID lpFileInformation, DWORD dwBufferSize) {
  static sim_tracepoint_t tp = {
      "SetFileInformationByHandle", {{"h", 'x'}, {"class", 'u'}, {"size", 'u'}}, 0, 0};
  fw_thread_t *t = fw_enter("SetFileInformationByHandle");
  fw_file_t *f;
  DWORD err = file_for_info(hFile, &f);
  if (err == 0) {
    fw_fs_node_t *n = f->node;
    switch (FileInformationClass) {
      case FileBasicInfo: {
        if (dwBufferSize < sizeof(FILE_BASIC_INFO)) {
          err = ERROR_BAD_LENGTH;
          break;
        }
        if (!(f->rights & FW_ACC_WATTR) && fw_pers()->set_file_info_checks_access) { /* W28 */
          err = ERROR_ACCESS_DENIED;
          break;
        }
        const FILE_BASIC_INFO *b = lpFileInformation;
        /* 0 leaves a field unchanged; -1 (stop updating) is taken as unchanged too */
        if (b->CreationTime.QuadPart != 0 && b->CreationTime.QuadPart != -1)
          n->creation_time = (uint64_t)b->CreationTime.QuadPart;
        if (b->LastAccessTime.QuadPart != 0 && b->LastAccessTime.QuadPart != -1)
          n->access_time = (uint64_t)b->LastAccessTime.QuadPart;
        if (b->LastWriteTime.QuadPart != 0 && b->LastWriteTime.QuadPart != -1)
          n->write_time = (uint64_t)b->LastWriteTime.QuadPart;
        if (b->ChangeTime.QuadPart != 0 && b->ChangeTime.QuadPart != -1)
          n->change_time = (uint64_t)b->ChangeTime.QuadPart;
        else
          n->change_time = fw_fs_now();
        /* attributes 0: unchanged; FILE_ATTRIBUTE_NORMAL alone clears them
         * (B97: Go's Fchmod sets or clears READONLY this way) */
        if (b->FileAttributes != 0) n->attributes = b->FileAttributes & FW_ATTR_MASK;
        break;
      }
      case FileEndOfFileInfo: {
        if (dwBufferSize < sizeof(FILE_END_OF_FILE_INFO)) {
          err = ERROR_BAD_LENGTH;
          break;
        }
        const FILE_END_OF_FILE_INFO *e = lpFileInformation;
        if (!fw_pers()->set_eof_info_supported) /* Wine 8.0 (probe w28_fileinfo) */
          err = ERROR_INVALID_PARAMETER;
        else if (!(f->rights & FW_ACC_WRITE) && fw_pers()->set_file_info_checks_access) /* W28 */
          err = ERROR_ACCESS_DENIED;
        else if (e->EndOfFile.QuadPart < 0)
          err = ERROR_INVALID_PARAMETER;
        else
          err = fw_fs_set_size(n, (uint64_t)e->EndOfFile.QuadPart);
        if (err == 0) touch_write(n);
        break;
      }
      default:
        err = ERROR_INVALID_PARAMETER;
        break;
    }
  }
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(hFile), (uint64_t)FileInformationClass, dwBufferSize);
  return err == 0;
}

BOOL fw_FlushFileBuffers(HANDLE hFile) {
  static sim_tracepoint_t tp = {"FlushFileBuffers", {{"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("FlushFileBuffers");
  fw_io_obj_t *io;
  DWORD err = fw_io_obj_get(hFile, &io);
  if (err == 0) {
    fw_file_t *f = as_file(io);
    if (f != NULL)
      err = (f->rights & (FW_ACC_WRITE | FW_ACC_APPEND)) ? 0 : ERROR_ACCESS_DENIED;
    else if (io->obj.type == FW_TYPE_PIPE)
      err = fw_pipe_flush(io);
    else if (io->obj.type != FW_TYPE_CONSOLE)
      err = ERROR_INVALID_HANDLE;
  }
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(hFile));
  return err == 0;
}

BOOL fw_SetEndOfFile(HANDLE hFile) {
  static sim_tracepoint_t tp = {"SetEndOfFile", {{"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("SetEndOfFile");
  fw_file_t *f;
  DWORD err = file_for_info(hFile, &f);
  if (err == 0) {
    if (!(f->rights & FW_ACC_WRITE))
      err = ERROR_ACCESS_DENIED;
    else
      err = fw_fs_set_size(f->node, f->pos);
    if (err == 0) touch_write(f->node);
  }
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(hFile));
  return err == 0;
}

DWORD fw_GetFileType(HANDLE hFile) {
  static sim_tracepoint_t tp = {"GetFileType", {{"h", 'x'}}, 'u', 0};
  fw_thread_t *t = fw_enter("GetFileType");
  fw_obj_t *o;
  DWORD type = FILE_TYPE_UNKNOWN;
  if (fw_handle_get(hFile, FW_TYPE_ANY, false, &o) != 0) {
    fw_set_error(t, ERROR_INVALID_HANDLE);
  } else {
    switch (o->type) {
      case FW_TYPE_FILE:
        type = FILE_TYPE_DISK;
        break;
      case FW_TYPE_PIPE:
      case FW_TYPE_SOCKET: /* a socket reports FILE_TYPE_PIPE */
        type = FILE_TYPE_PIPE;
        break;
      case FW_TYPE_CONSOLE:
        type = FILE_TYPE_CHAR;
        break;
      default:
        /* not a file object (an event, a thread...): STATUS_OBJECT_TYPE_MISMATCH */
        fw_set_error(t, ERROR_INVALID_HANDLE);
        break;
    }
  }
  FW_TRACE(&tp, t, type, FW_P(hFile));
  return type;
}

/* ---- temp names
 * ----------------------------------------------------------------------------------------------------
 */

/* The world's Windows directory (GetWindowsDirectory): the directory of the
 * system DLLs' paths (fw_module.c) without "\\system32"; no trailing
 * backslash.  Fits: the length without the NUL; too small: the size needed
 * with it. */
#define FW_WINDOWS_DIR "C:\\windows"

UINT fw_GetWindowsDirectoryA(LPSTR lpBuffer, UINT uSize) {
  static sim_tracepoint_t tp = {"GetWindowsDirectoryA", {{"len", 'u'}}, 'u', 0};
  fw_thread_t *t = fw_enter_local("GetWindowsDirectoryA");
  UINT need = (UINT)strlen(FW_WINDOWS_DIR), ret = need + 1;
  if (lpBuffer != NULL && uSize > need) {
    memcpy(lpBuffer, FW_WINDOWS_DIR, need + 1);
    ret = need;
  }
  FW_TRACE(&tp, t, ret, uSize);
  return ret;
}

UINT fw_GetWindowsDirectoryW(LPWSTR lpBuffer, UINT uSize) {
  static sim_tracepoint_t tp = {"GetWindowsDirectoryW", {{"len", 'u'}}, 'u', 0};
  fw_thread_t *t = fw_enter_local("GetWindowsDirectoryW");
  UINT need = (UINT)strlen(FW_WINDOWS_DIR), ret = need + 1;
  if (lpBuffer != NULL && uSize > need) {
    for (UINT i = 0; i <= need; i++) lpBuffer[i] = (WCHAR)FW_WINDOWS_DIR[i];
    ret = need;
  }
  FW_TRACE(&tp, t, ret, uSize);
  return ret;
}

/* The world's temp directory (GetTempPath). */
#define FW_TEMP_PATH "C:\\Temp\\"

DWORD fw_GetTempPathA(DWORD nBufferLength, LPSTR lpBuffer) {
  static sim_tracepoint_t tp = {"GetTempPathA", {{"len", 'u'}}, 'u', 0};
  fw_thread_t *t = fw_enter_local("GetTempPathA");
  DWORD need = (DWORD)strlen(FW_TEMP_PATH);
  DWORD ret;
  /* fits: the length without the NUL; too small: the size needed with it */
  if (lpBuffer != NULL && nBufferLength > need) {
    memcpy(lpBuffer, FW_TEMP_PATH, need + 1);
    ret = need;
  } else {
    ret = need + 1;
  }
  FW_TRACE(&tp, t, ret, nBufferLength);
  return ret;
}

DWORD fw_GetTempPathW(DWORD nBufferLength, LPWSTR lpBuffer) {
  static sim_tracepoint_t tp = {"GetTempPathW", {{"len", 'u'}}, 'u', 0};
  fw_thread_t *t = fw_enter_local("GetTempPathW");
  DWORD need = (DWORD)strlen(FW_TEMP_PATH);
  DWORD ret;
  if (lpBuffer != NULL && nBufferLength > need) {
    for (DWORD i = 0; i <= need; i++) lpBuffer[i] = (WCHAR)(unsigned char)FW_TEMP_PATH[i];
    ret = need;
  } else {
    ret = need + 1;
  }
  FW_TRACE(&tp, t, ret, nBufferLength);
  return ret;
}

/* GetTempFileName on byte strings: "<dir>\<up to 3 prefix chars><HEX>.tmp".
 * With uUnique 0 the number comes from the world's counter (deterministic)
 * and the file is created empty; otherwise only the low 16 bits are used
 * and nothing is created.  Returns the number or 0 with *err. */
static UINT temp_file_name(const char *dir, const char *prefix, UINT unique, char *out,
                           size_t out_len, DWORD *err) {
  if (dir == NULL || out == NULL) {
    *err = ERROR_INVALID_PARAMETER;
    return 0;
  }
  size_t dl = strlen(dir);
  if (dl > MAX_PATH - 14) {
    *err = ERROR_BUFFER_OVERFLOW;
    return 0;
  }
  char pre[4] = {0};
  if (prefix != NULL) {
    size_t pl = strlen(prefix);
    memcpy(pre, prefix, pl < 3 ? pl : 3);
  }
  bool sep = dl > 0 && (dir[dl - 1] == '\\' || dir[dl - 1] == '/');
  unique &= 0xFFFFu;
  bool create = unique == 0;
  for (uint32_t tries = 0; tries < 0x10000u; tries++) {
    UINT u = create ? fw_fs_next_temp_unique() : unique;
    snprintf(out, out_len, "%s%s%s%X.tmp", dir, sep || dl == 0 ? "" : "\\", pre, u);
    if (!create) return u;
    char *p = fw_fs_path_from_a(out);
    bool taken = p == NULL || fw_fs_lookup(p) != NULL;
    if (!taken) {
      fw_fs_create(p, FILE_ATTRIBUTE_ARCHIVE);
      free(p);
      return u;
    }
    free(p);
  }
  *err = ERROR_FILE_EXISTS;
  return 0;
}

UINT fw_GetTempFileNameA(LPCSTR lpPathName, LPCSTR lpPrefixString, UINT uUnique,
                         LPSTR lpTempFileName) {
  static sim_tracepoint_t tp = {"GetTempFileNameA", {{"unique", 'x'}}, 'x', 0};
  fw_thread_t *t = fw_enter("GetTempFileNameA");
  DWORD err = 0;
  UINT ret = temp_file_name(lpPathName, lpPrefixString, uUnique, lpTempFileName, MAX_PATH, &err);
  if (ret == 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, ret, uUnique);
  return ret;
}

static char *w_to_a(LPCWSTR w) {
  return w ? fw_fs_path_from_w(w) : NULL;
}

UINT fw_GetTempFileNameW(LPCWSTR lpPathName, LPCWSTR lpPrefixString, UINT uUnique,
                         LPWSTR lpTempFileName) {
  static sim_tracepoint_t tp = {"GetTempFileNameW", {{"unique", 'x'}}, 'x', 0};
  fw_thread_t *t = fw_enter("GetTempFileNameW");
  DWORD err = 0;
  char *dir = lpPathName && lpPathName[0] == 0 ? calloc(1, 1) : w_to_a(lpPathName);
  char *pre = w_to_a(lpPrefixString);
  char out[MAX_PATH * 3];
  UINT ret = lpTempFileName ? temp_file_name(dir, pre, uUnique, out, sizeof out, &err) : 0;
  if (lpTempFileName == NULL) err = ERROR_INVALID_PARAMETER;
  if (ret != 0) {
    /* back to UTF-16 (the name is the directory's UTF-8 plus ASCII) */
    size_t o = 0;
    for (size_t i = 0; out[i] != 0 && o + 1 < MAX_PATH;) {
      unsigned char c = (unsigned char)out[i];
      uint32_t cp;
      int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      cp = len == 1 ? c : len == 2 ? c & 0x1Fu : len == 3 ? c & 0x0Fu : c & 0x07u;
      for (int k = 1; k < len && out[i + (size_t)k] != 0; k++)
        cp = (cp << 6) | ((unsigned char)out[i + (size_t)k] & 0x3Fu);
      i += (size_t)len;
      if (cp >= 0x10000) {
        cp -= 0x10000;
        lpTempFileName[o++] = (WCHAR)(0xD800 + (cp >> 10));
        lpTempFileName[o++] = (WCHAR)(0xDC00 + (cp & 0x3FF));
      } else {
        lpTempFileName[o++] = (WCHAR)cp;
      }
    }
    lpTempFileName[o] = 0;
  }
  free(dir);
  free(pre);
  if (ret == 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, ret, uUnique);
  return ret;
}
