/* fw_console.c: the console of a fake world and the standard handles.
 * GetStdHandle/SetStdHandle, ReadConsoleA/W, WriteConsoleA/W,
 * GetConsoleMode/SetConsoleMode, CreateFile on "CONIN$"/"CONOUT$", and
 * ReadFile/WriteFile on console handles (called from fw_file.c).
 *
 * The model (docs/fakewin-files.md).  With a console (the default), the
 * standard handles are console objects: one input object and one output
 * object per stream (stdout, stderr) per world, each handle a new handle to
 * one of them.  Input is the world's script (fakewin/world/fw_world.h):
 * ReadConsoleW returns the units of the current chunk, at most as many as
 * asked, one chunk per call (the rest of a chunk comes with the next call);
 * Ctrl-Z, CR and LF are plain data; an empty chunk reads as 0 units; after
 * the last chunk every read returns TRUE with 0 units.  A chunk that is not
 * due yet (its delay) blocks the reader in fw_io_sync_block, where
 * CancelIoEx(h, NULL) and CancelSynchronousIo release it (F42).  Output is
 * appended to the world's captured UTF-16 output of that stream.  F47:
 * ReadConsoleW/WriteConsoleW on anything but a console handle fail with
 * ERROR_INVALID_HANDLE; requests above the configured limits fail with
 * ERROR_NOT_ENOUGH_MEMORY, except under wine8 (W15).  ReadFile/WriteFile on
 * console handles pass bytes through: one byte per UTF-16 unit (Latin-1),
 * no code page conversion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_files.h"

typedef struct fw_console {
  fw_io_obj_t io;
  bool input;
  int stream; /* output: FW_CONSOLE_STDOUT or FW_CONSOLE_STDERR */
} fw_console_t;

/* ---- configuration ------------------------------------------------------------------------ */

void fw_world_console_defaults(fw_console_config_t *c) {
  memset(c, 0, sizeof *c);
  c->attached = true;
  /* F47: the old 64 KiB shared heap; Go saw reads fail "around but not
   * exactly 16384" units and writes in 16000-character chunks */
  c->read_limit = 16384;
  c->write_limit = 32767;
  c->input_mode = ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT |
                  ENABLE_MOUSE_INPUT | ENABLE_INSERT_MODE | ENABLE_QUICK_EDIT_MODE |
                  ENABLE_EXTENDED_FLAGS | ENABLE_AUTO_POSITION;
  c->output_mode = ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT;
}

static fw_console_config_t pending_cfg;
static bool pending_init;

static void ensure_pending(void) {
  if (!pending_init) {
    fw_world_console_defaults(&pending_cfg);
    pending_init = true;
  }
}

/* ---- world state ---------------------------------------------------------------------------- */

static struct {
  fw_console_config_t cfg;
  DWORD in_mode, out_mode;
  size_t chunk, off;         /* read position in the script */
  fw_console_t *in, *out[2]; /* created on first use; referenced */
  HANDLE std[3];
  bool std_set[3]; /* decided (by first use or SetStdHandle) */
} C;

void fw_world_set_console(const fw_console_config_t *c) {
  ensure_pending();
  pending_cfg = *c;
  if (sim_in_world()) C.cfg = *c;
}

const fw_console_config_t *fw_world_console(void) {
  ensure_pending();
  return sim_in_world() ? &C.cfg : &pending_cfg;
}

static void console_world_start(void *arg) {
  (void)arg;
  ensure_pending();
  memset(&C, 0, sizeof C);
  C.cfg = pending_cfg;
  C.in_mode = C.cfg.input_mode;
  C.out_mode = C.cfg.output_mode;
}

/* the objects themselves are destroyed with the world's other objects */
static void console_world_end(void *arg) {
  (void)arg;
  memset(&C, 0, sizeof C);
}

static sim_hook_t console_hook = {console_world_start, console_world_end, NULL, NULL, false};
__attribute__((constructor)) static void fw_console_register_hook(void) {
  fw_subsystem_add(&console_hook);
}

/* ---- objects --------------------------------------------------------------------------------- */

static void console_last_handle_closed(fw_obj_t *o) {
  fw_io_obj_handle_closed((fw_io_obj_t *)o);
}

static void console_destroy(fw_obj_t *o) {
  fw_io_obj_release((fw_io_obj_t *)o);
  free(o);
}

static void console_describe(fw_obj_t *o, char *buf, size_t len) {
  fw_console_t *c = (fw_console_t *)o;
  if (c->input)
    snprintf(buf, len, "console input, script chunk %zu", C.chunk);
  else
    snprintf(buf, len, "console output (%s)", c->stream == FW_CONSOLE_STDERR ? "stderr" : "stdout");
}

static const fw_obj_ops_t console_ops = {.type_name = "console",
                                         .is_signaled = fw_io_obj_is_signaled,
                                         .acquire = fw_io_obj_acquire,
                                         .last_handle_closed = console_last_handle_closed,
                                         .destroy = console_destroy,
                                         .describe = console_describe};

static fw_console_t *console_obj(bool input, int stream) {
  fw_console_t **slot = input ? &C.in : &C.out[stream];
  if (*slot == NULL) {
    fw_console_t *c = calloc(1, sizeof *c);
    if (c == NULL) abort();
    fw_io_obj_init(&c->io, FW_TYPE_CONSOLE, &console_ops, false);
    c->input = input;
    c->stream = stream;
    *slot = c; /* the creation reference stays with C for the world */
  }
  return *slot;
}

static fw_console_t *as_console(fw_io_obj_t *io) {
  return (io != NULL && io->obj.type == FW_TYPE_CONSOLE && io->obj.ops == &console_ops)
             ? (fw_console_t *)io
             : NULL;
}

/* The console object of a handle and direction: NULL when it is not one
 * (F47: ERROR_INVALID_HANDLE). */
static fw_console_t *console_get(HANDLE h, bool input) {
  fw_io_obj_t *io;
  if (fw_io_obj_get(h, &io) != 0) return NULL;
  fw_console_t *c = as_console(io);
  return c != NULL && c->input == input ? c : NULL;
}

HANDLE fw_console_open(fw_thread_t *t, bool input, DWORD *err) {
  (void)t;
  if (!C.cfg.attached) {
    *err = ERROR_INVALID_HANDLE;
    return NULL;
  }
  HANDLE h = fw_handle_new(&console_obj(input, FW_CONSOLE_STDOUT)->io.obj);
  *err = h ? 0 : ERROR_TOO_MANY_OPEN_FILES;
  return h;
}

/* ---- standard handles ------------------------------------------------------------------------ */

static int std_index(DWORD n) {
  if (n == STD_INPUT_HANDLE) return 0;
  if (n == STD_OUTPUT_HANDLE) return 1;
  if (n == STD_ERROR_HANDLE) return 2;
  return -1;
}

HANDLE fw_GetStdHandle(DWORD nStdHandle) {
  static sim_tracepoint_t tp = {"GetStdHandle", {{"which", 'x'}}, 'x', 0};
  fw_thread_t *t = fw_enter("GetStdHandle");
  int i = std_index(nStdHandle);
  HANDLE h = INVALID_HANDLE_VALUE;
  if (i < 0) {
    fw_set_error(t, ERROR_INVALID_HANDLE);
  } else {
    if (!C.std_set[i]) {
      /* created on first use, so a world that never asks has no std handles */
      DWORD err = 0;
      if (C.cfg.attached)
        C.std[i] = fw_handle_new(
            &console_obj(i == 0, i == 2 ? FW_CONSOLE_STDERR : FW_CONSOLE_STDOUT)->io.obj);
      else if (C.cfg.std_path[i][0] != 0)
        C.std[i] = fw_file_open_std(C.cfg.std_path[i], &err);
      else
        C.std[i] = NULL; /* no console, nothing redirected: a NULL standard handle */
      C.std_set[i] = true;
    }
    h = C.std[i];
  }
  FW_TRACE(&tp, t, FW_P(h), nStdHandle);
  return h;
}

BOOL fw_SetStdHandle(DWORD nStdHandle, HANDLE hHandle) {
  static sim_tracepoint_t tp = {"SetStdHandle", {{"which", 'x'}, {"h", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("SetStdHandle");
  int i = std_index(nStdHandle);
  if (i < 0) {
    fw_set_error(t, ERROR_INVALID_HANDLE);
  } else {
    C.std[i] = hHandle;
    C.std_set[i] = true;
  }
  FW_TRACE(&tp, t, i >= 0, nStdHandle, FW_P(hHandle));
  return i >= 0;
}

/* ---- input -------------------------------------------------------------------------------------
 */

/* Takes up to max units of the current chunk into out.  Returns 0 and
 * *n, or ERROR_OPERATION_ABORTED when a cancel released the thread while
 * it waited for a chunk that was not due yet, or completed the request
 * whose status block is `watch` (may be NULL) meanwhile. */
static DWORD script_take(fw_console_t *c, const char *call, uint16_t *out, DWORD max, DWORD *n,
                         const OVERLAPPED *watch) {
  *n = 0;
  for (;;) {
    size_t units = 0;
    uint64_t ready_at = 0;
    const uint16_t *chunk = fw_world_console_chunk(C.chunk, &units, &ready_at);
    if (chunk == NULL) return 0; /* end of the script: 0 units */
    uint64_t now = sim_now();
    if (ready_at > now) {
      DWORD w = fw_io_sync_block(&c->io, call, ready_at - now);
      if (w == ERROR_OPERATION_ABORTED) return w;
      if (watch != NULL && (NTSTATUS)(uint32_t)watch->Internal != STATUS_PENDING)
        return ERROR_OPERATION_ABORTED;
      continue;
    }
    size_t avail = units - C.off;
    size_t k = avail < max ? avail : max;
    if (out != NULL && k > 0) memcpy(out, chunk + C.off, k * sizeof *out);
    C.off += k;
    if (C.off >= units) {
      C.chunk++;
      C.off = 0;
    }
    *n = (DWORD)k;
    return 0;
  }
}

static bool limits_apply(void) {
  return fw_pers()->console_limits; /* W15 */
}

static BOOL read_console(const char *call, sim_tracepoint_t *tp, HANDLE h, void *buf, DWORD n,
                         LPDWORD pread, bool wide) {
  fw_thread_t *t = fw_enter(call);
  fw_fault_t f;
  fw_console_t *c = console_get(h, true);
  bool fired =
      fw_fault_check(FW_SITE_ReadConsoleW, FW_OP_CONSOLE_READ, h, c ? &c->io.obj : NULL, &f);
  DWORD err = 0, got = 0;
  if (fired && f.outcome == FW_FAULT_ERROR) {
    err = f.error;
  } else if (c == NULL) {
    err = ERROR_INVALID_HANDLE; /* F47: not a console input handle */
  } else if (limits_apply() && C.cfg.read_limit != 0 && n > C.cfg.read_limit) {
    err = ERROR_NOT_ENOUGH_MEMORY; /* F47, W15 */
  } else {
    DWORD want = n;
    if (fired && f.outcome == FW_FAULT_SHORT) want = fw_fault_short_cap(&f, n);
    if (fired && f.outcome == FW_FAULT_SUCCESS && f.bytes < want) want = f.bytes;
    if (want > 0) {
      if (wide) {
        err = script_take(c, call, buf, want, &got, NULL);
      } else {
        uint16_t *tmp = malloc(want * sizeof *tmp);
        if (tmp == NULL) abort();
        err = script_take(c, call, tmp, want, &got, NULL);
        for (DWORD i = 0; i < got; i++) ((char *)buf)[i] = tmp[i] <= 0xFF ? (char)tmp[i] : '?';
        free(tmp);
      }
    }
  }
  if (err == 0 && pread != NULL) *pread = got;
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(tp, t, err == 0, FW_P(h), n, got);
  return err == 0;
}

BOOL fw_ReadConsoleW(HANDLE hConsoleInput, LPVOID lpBuffer, DWORD nNumberOfCharsToRead,
                     LPDWORD lpNumberOfCharsRead, PCONSOLE_READCONSOLE_CONTROL pInputControl) {
  static sim_tracepoint_t tp = {"ReadConsoleW", {{"h", 'x'}, {"n", 'u'}, {"got", 'u'}}, 0, 0};
  (void)pInputControl; /* line editing control is not modelled */
  return read_console("ReadConsoleW", &tp, hConsoleInput, lpBuffer, nNumberOfCharsToRead,
                      lpNumberOfCharsRead, true);
}

BOOL fw_ReadConsoleA(HANDLE hConsoleInput, LPVOID lpBuffer, DWORD nNumberOfCharsToRead,
                     LPDWORD lpNumberOfCharsRead, PCONSOLE_READCONSOLE_CONTROL pInputControl) {
  static sim_tracepoint_t tp = {"ReadConsoleA", {{"h", 'x'}, {"n", 'u'}, {"got", 'u'}}, 0, 0};
  (void)pInputControl;
  return read_console("ReadConsoleA", &tp, hConsoleInput, lpBuffer, nNumberOfCharsToRead,
                      lpNumberOfCharsRead, false);
}

/* ---- output -------------------------------------------------------------------------------------
 */

static BOOL write_console(const char *call, sim_tracepoint_t *tp, HANDLE h, const void *buf,
                          DWORD n, LPDWORD pwritten, bool wide) {
  fw_thread_t *t = fw_enter(call);
  fw_fault_t f;
  fw_console_t *c = console_get(h, false);
  bool fired =
      fw_fault_check(FW_SITE_WriteConsoleW, FW_OP_CONSOLE_WRITE, h, c ? &c->io.obj : NULL, &f);
  DWORD err = 0, put = 0;
  if (fired && f.outcome == FW_FAULT_ERROR) {
    err = f.error;
  } else if (c == NULL) {
    err = ERROR_INVALID_HANDLE; /* F47 */
  } else if (limits_apply() && C.cfg.write_limit != 0 && n > C.cfg.write_limit) {
    err = ERROR_NOT_ENOUGH_MEMORY; /* F47, W15 */
  } else {
    put = n;
    /* a partial write: the caller must write the rest (B77) */
    if (fired && f.outcome == FW_FAULT_SHORT) put = fw_fault_short_cap(&f, n);
    if (fired && f.outcome == FW_FAULT_SUCCESS && f.bytes < put) put = f.bytes;
    if (wide) {
      fw_world_console_capture(c->stream, buf, put);
    } else if (put > 0) {
      uint16_t *tmp = malloc(put * sizeof *tmp);
      if (tmp == NULL) abort();
      for (DWORD i = 0; i < put; i++) tmp[i] = (unsigned char)((const char *)buf)[i];
      fw_world_console_capture(c->stream, tmp, put);
      free(tmp);
    }
  }
  if (err == 0 && pwritten != NULL) *pwritten = put;
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(tp, t, err == 0, FW_P(h), n, put);
  return err == 0;
}

BOOL fw_WriteConsoleW(HANDLE hConsoleOutput, CONST VOID *lpBuffer, DWORD nNumberOfCharsToWrite,
                      LPDWORD lpNumberOfCharsWritten, LPVOID lpReserved) {
  static sim_tracepoint_t tp = {"WriteConsoleW", {{"h", 'x'}, {"n", 'u'}, {"put", 'u'}}, 0, 0};
  (void)lpReserved;
  return write_console("WriteConsoleW", &tp, hConsoleOutput, lpBuffer, nNumberOfCharsToWrite,
                       lpNumberOfCharsWritten, true);
}

BOOL fw_WriteConsoleA(HANDLE hConsoleOutput, CONST VOID *lpBuffer, DWORD nNumberOfCharsToWrite,
                      LPDWORD lpNumberOfCharsWritten, LPVOID lpReserved) {
  static sim_tracepoint_t tp = {"WriteConsoleA", {{"h", 'x'}, {"n", 'u'}, {"put", 'u'}}, 0, 0};
  (void)lpReserved;
  return write_console("WriteConsoleA", &tp, hConsoleOutput, lpBuffer, nNumberOfCharsToWrite,
                       lpNumberOfCharsWritten, false);
}

/* ---- modes
 * ---------------------------------------------------------------------------------------- */

#define INPUT_MODE_BITS 0x3FFu /* ENABLE_PROCESSED_INPUT .. ENABLE_VIRTUAL_TERMINAL_INPUT */
#define OUTPUT_MODE_BITS 0x1Fu /* ENABLE_PROCESSED_OUTPUT .. ENABLE_LVB_GRID_WORLDWIDE */

BOOL fw_GetConsoleMode(HANDLE hConsoleHandle, LPDWORD lpMode) {
  static sim_tracepoint_t tp = {"GetConsoleMode", {{"h", 'x'}}, 'x', 0};
  fw_thread_t *t = fw_enter("GetConsoleMode");
  fw_io_obj_t *io = NULL;
  fw_console_t *c = fw_io_obj_get(hConsoleHandle, &io) == 0 ? as_console(io) : NULL;
  DWORD mode = 0;
  if (c == NULL) {
    fw_set_error(t, ERROR_INVALID_HANDLE); /* how Go tells a console from a file */
  } else {
    mode = c->input ? C.in_mode : C.out_mode;
    if (lpMode != NULL) *lpMode = mode;
  }
  FW_TRACE(&tp, t, mode, FW_P(hConsoleHandle));
  return c != NULL;
}

BOOL fw_SetConsoleMode(HANDLE hConsoleHandle, DWORD dwMode) {
  static sim_tracepoint_t tp = {"SetConsoleMode", {{"h", 'x'}, {"mode", 'x'}}, 0, 0};
  fw_thread_t *t = fw_enter("SetConsoleMode");
  fw_io_obj_t *io = NULL;
  fw_console_t *c = fw_io_obj_get(hConsoleHandle, &io) == 0 ? as_console(io) : NULL;
  DWORD err = 0;
  if (c == NULL)
    err = ERROR_INVALID_HANDLE;
  else if (dwMode & ~(c->input ? INPUT_MODE_BITS : OUTPUT_MODE_BITS))
    err = ERROR_INVALID_PARAMETER;
  else if (c->input)
    C.in_mode = dwMode;
  else
    C.out_mode = dwMode;
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(hConsoleHandle), dwMode);
  return err == 0;
}

/* ---- ReadFile / WriteFile on console handles
 * ------------------------------------------------------- */

static const fw_io_req_ops_t console_req_ops = {NULL, NULL, NULL};

fw_rw_result_t fw_console_rw(fw_rw_t *rw) {
  fw_console_t *c = as_console(rw->io);
  fw_rw_req_t *req =
      fw_rw_req_start(rw, rw->write ? FW_OP_WRITE : FW_OP_READ,
                      rw->write ? FW_SITE_WriteFile : FW_SITE_ReadFile, &console_req_ops);
  fw_rw_result_t res = {0, 0};
  if (c->input == rw->write) {
    res.err = fw_io_fail_immediate(&req->base, ERROR_INVALID_HANDLE);
    return res;
  }
  if (fw_rw_fault_is_request_outcome(&rw->fault) && rw->fault.outcome != FW_FAULT_SUCCESS) {
    /* errors and pending outcomes of the plan; SUCCESS moves real data below */
    return fw_rw_fault(rw, req, rw->write ? "WriteFile" : "ReadFile");
  }
  DWORD len = rw->len;
  if (rw->fault.rule != 0 && rw->fault.outcome == FW_FAULT_SUCCESS && rw->fault.bytes < len)
    len = rw->fault.bytes;
  if (rw->write) {
    /* bytes pass through, one unit each */
    uint16_t *tmp = malloc((len ? len : 1) * sizeof *tmp);
    if (tmp == NULL) abort();
    for (DWORD i = 0; i < len; i++) tmp[i] = ((const uint8_t *)rw->buf)[i];
    fw_world_console_capture(c->stream, tmp, len);
    free(tmp);
    return fw_rw_finish(rw, req, STATUS_SUCCESS, len);
  }
  /* the status block of this call says when a cancel completed the request */
  LPOVERLAPPED ov = req->base.ov;
  uint16_t *tmp = malloc((len ? len : 1) * sizeof *tmp);
  if (tmp == NULL) abort();
  DWORD got = 0;
  DWORD err = len ? script_take(c, "ReadFile", tmp, len, &got, ov) : 0;
  if (err == ERROR_OPERATION_ABORTED) {
    free(tmp);
    /* CancelIoEx(h, NULL) completed the request already; CancelSynchronousIo did not */
    if ((NTSTATUS)(uint32_t)ov->Internal == STATUS_PENDING)
      (void)fw_io_cancel_req(&req->base, STATUS_CANCELLED);
    res.err = ERROR_OPERATION_ABORTED;
    return res;
  }
  for (DWORD i = 0; i < got; i++)
    ((uint8_t *)rw->buf)[i] = tmp[i] <= 0xFF ? (uint8_t)tmp[i] : (uint8_t)'?';
  free(tmp);
  return fw_rw_finish(rw, req, STATUS_SUCCESS, got);
}
