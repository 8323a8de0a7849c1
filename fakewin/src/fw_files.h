/* fw_files.h: what fw_file.c, fw_pipe.c and fw_console.c share (helper
 * `files`).  docs/fakewin-files.md describes the model.
 *
 *   fw_fs.c       the in-memory file system (fw_fs.h)
 *   fw_file.c     file objects; CreateFileA/W (routing pipe and console
 *                 names to the files below), ReadFile/WriteFile and the
 *                 read/write plumbing they share, pointers, sizes,
 *                 information classes, DeleteFile, temp names, GetFileType
 *   fw_pipe.c     anonymous and named pipes
 *   fw_console.c  the console: std handles, ReadConsole/WriteConsole, modes
 *
 * ReadFile/WriteFile are implemented once (fw_file.c) and dispatch on the
 * object type to the owner's read/write function, which gets an fw_rw_t
 * describing the call and returns how it ended (fw_rw_end). */
#ifndef FAKEWIN_FW_FILES_H
#define FAKEWIN_FW_FILES_H

#include "fw_fs.h"
#include "fw_io.h"

/* ---- one ReadFile / WriteFile call ------------------------------------------------- */

typedef struct fw_rw {
  fw_thread_t *t;
  HANDLE h;
  fw_io_obj_t *io;
  bool write;
  void *buf;                               /* const for writes */
  DWORD len;                               /* after a SHORT fault: the capped length */
  LPOVERLAPPED ov_user;                    /* the caller's OVERLAPPED, or NULL */
  LPOVERLAPPED_COMPLETION_ROUTINE routine; /* ReadFileEx/WriteFileEx, or NULL */
  /* the fault that fired at entry (rule == 0: none) */
  fw_fault_t fault;
  /* The IO_STATUS_BLOCK of a call without an OVERLAPPED: on the caller's
   * stack, so it outlives the request (freed when it completes).  Its
   * hEvent has the low bit set: such a call never queues a packet. */
  OVERLAPPED local_iosb;
} fw_rw_t;

/* How the call ended: ok, or failed with `err`; `bytes` is what the call
 * writes to *lpNumberOfBytes (kernel32 zeroes it when it fails with an
 * OVERLAPPED, Wine's pipe.c test_ReadFile). */
typedef struct fw_rw_result {
  DWORD err; /* 0: TRUE; else FALSE with this last error (ERROR_IO_PENDING included) */
  DWORD bytes;
} fw_rw_result_t;

/* The request a read or write of this family uses: fw_io_req_t first, then
 * the owner's state. */
typedef struct fw_rw_req fw_rw_req_t;
struct fw_rw_req {
  fw_io_req_t base;
  fw_rw_t *rw; /* the call, while the issuing thread is inside it (sync); NULL for async */
  uint8_t *buf;
  DWORD len;
  DWORD done;        /* bytes moved so far */
  uint64_t offset;   /* files: where the transfer starts */
  bool sync_pointer; /* files: a synchronous handle, whose pointer moves */
  bool queued;       /* on an owner queue */
  fw_rw_req_t *q_prev, *q_next;
  void *owner_data;     /* owner-specific (pipe: the data entry of a write) */
  sim_event_id_t later; /* a completion the owner scheduled (W16), 0: none */
};

/* Creates and starts the request for a call (Internal = STATUS_PENDING,
 * F15): on the caller's OVERLAPPED, or on the request's own IOSB for a
 * synchronous call without one. */
fw_rw_req_t *fw_rw_req_start(fw_rw_t *rw, fw_op_t op, fw_site_t site, const fw_io_req_ops_t *ops);

/* Finishes a started request inside the call (fw_io_finish_immediate) and
 * says what the call returns.  Error statuses leave the OVERLAPPED alone
 * (F15); ERROR_MORE_DATA reports the bytes copied (F29). */
fw_rw_result_t fw_rw_finish(fw_rw_t *rw, fw_rw_req_t *req, NTSTATUS status, DWORD bytes);

/* The request stays pending.  Async handle: the call returns
 * ERROR_IO_PENDING.  Sync handle: blocks (fw_io_sync_block) until the
 * request completes, then reports its final status.  A thread released by
 * CancelSynchronousIo cancels its own request. */
fw_rw_result_t fw_rw_pend(fw_rw_t *rw, fw_rw_req_t *req, const char *call);

/* Applies a request outcome of the entry fault (fw_io_apply_fault) and
 * maps it to the call's result (blocking when a sync handle pends). */
fw_rw_result_t fw_rw_fault(fw_rw_t *rw, fw_rw_req_t *req, const char *call);

/* Whether the fault that fired is one fw_io_apply_fault handles. */
bool fw_rw_fault_is_request_outcome(const fw_fault_t *f);

/* ---- the owners' entry points (called by fw_ReadFile / fw_WriteFile) --------------- */

fw_rw_result_t fw_pipe_rw(fw_rw_t *rw);
fw_rw_result_t fw_console_rw(fw_rw_t *rw);

/* CreateFile on "\\.\pipe\name": the client end of a named pipe. */
HANDLE fw_pipe_open_client(fw_thread_t *t, const char *path, DWORD access, DWORD flags, DWORD *err);
/* CreateFile on "CONIN$" / "CONOUT$": a handle to the console's input or
 * output (stdout stream); ERROR_INVALID_HANDLE without a console. */
HANDLE fw_console_open(fw_thread_t *t, bool input, DWORD *err);

/* FlushFileBuffers on a pipe end: waits until the other end has read
 * everything this end wrote (or cannot read any more). */
DWORD fw_pipe_flush(fw_io_obj_t *io);
/* Bytes waiting to be read on a pipe end (GetFileSize on a pipe). */
uint64_t fw_pipe_available(fw_io_obj_t *io);
/* The pointer of a pipe end's file object (SetFilePointer stores it; reads
 * and writes ignore it); NULL if io is not a pipe end. */
uint64_t *fw_pipe_position(fw_io_obj_t *io);

/* Opens (OPEN_ALWAYS, read+write, sharing everything, synchronous) a file
 * of the world's file system for a standard handle; NULL with *err. */
HANDLE fw_file_open_std(const char *path, DWORD *err);

/* A file object opened on a disk file: true and its node; pipes, consoles
 * and sockets: false. */
bool fw_file_node(fw_io_obj_t *io, fw_fs_node_t **node);

/* Converts a Win32 access mask to the generic read/write/delete rights the
 * fake checks. */
#define FW_ACC_READ 1u
#define FW_ACC_WRITE 2u  /* write data */
#define FW_ACC_APPEND 4u /* append data only (FILE_APPEND_DATA without FILE_WRITE_DATA) */
#define FW_ACC_DELETE 8u
#define FW_ACC_WATTR 16u /* FILE_WRITE_ATTRIBUTES */
uint32_t fw_access_rights(DWORD access);
/* The file object's access for a requested mask: generic rights mapped to
 * FILE_GENERIC_READ/WRITE/EXECUTE and FILE_ALL_ACCESS (GENERIC_ALL,
 * MAXIMUM_ALLOWED), specific rights kept. */
ACCESS_MASK fw_file_granted(DWORD access);
/* FSCTL_PIPE_PEEK on a pipe end (fw_pipe.c, for NtFsControlFile). */
NTSTATUS fw_pipe_fsctl_peek(fw_io_obj_t *io, void *out, ULONG out_len, ULONG_PTR *info);

#endif
