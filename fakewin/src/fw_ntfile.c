/* fw_ntfile.c: the native (ntdll) calls fakewin models on file objects
 * (fakewin/include/winternl.h): NtClose, NtQueryInformationFile for
 * FileAccessInformation, NtFsControlFile for FSCTL_PIPE_PEEK, and
 * RtlNtStatusToDosErrorNoTeb.
 *
 * Invariant: these calls never touch the thread's last error (ntdll does
 * not); they report through their NTSTATUS and the IO_STATUS_BLOCK. */
#include <string.h>

#include <winternl.h>

#include "fw_files.h"

NTSTATUS fw_NtClose(HANDLE Handle) {
  static sim_tracepoint_t tp = {"NtClose", {{"h", 'x'}}, 'x', 0};
  fw_thread_t *t = fw_enter("NtClose");
  NTSTATUS r = STATUS_SUCCESS;
  if (Handle != FW_PSEUDO_PROCESS && Handle != FW_PSEUDO_THREAD && fw_handle_close(Handle) != 0)
    r = STATUS_INVALID_HANDLE;
  FW_TRACE(&tp, t, (uint32_t)r, FW_P(Handle));
  return r;
}

/* FileAccessInformation: the access the handle was granted (files and pipe
 * ends record it; sockets and the console do not, and answer
 * STATUS_INVALID_INFO_CLASS here).  Other classes are not modelled:
 * STATUS_INVALID_INFO_CLASS. */
NTSTATUS fw_NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock,
                                   PVOID FileInformation, ULONG Length,
                                   FILE_INFORMATION_CLASS FileInformationClass) {
  static sim_tracepoint_t tp = {"NtQueryInformationFile", {{"h", 'x'}, {"class", 'u'}}, 'x', 0};
  fw_thread_t *t = fw_enter("NtQueryInformationFile");
  fw_io_obj_t *io = NULL;
  NTSTATUS r;
  if (fw_io_obj_get(FileHandle, &io) != 0) {
    r = STATUS_INVALID_HANDLE;
  } else if (FileInformationClass != FileAccessInformation || io->granted == 0) {
    r = STATUS_INVALID_INFO_CLASS;
  } else if (Length < sizeof(FILE_ACCESS_INFORMATION)) {
    r = STATUS_INFO_LENGTH_MISMATCH;
  } else {
    FILE_ACCESS_INFORMATION info = {io->granted};
    memcpy(FileInformation, &info, sizeof info);
    IoStatusBlock->Status = STATUS_SUCCESS;
    IoStatusBlock->Information = sizeof info;
    r = STATUS_SUCCESS;
  }
  FW_TRACE(&tp, t, (uint32_t)r, FW_P(FileHandle), (uint32_t)FileInformationClass);
  return r;
}

/* FSCTL_PIPE_PEEK completes at once: the IO_STATUS_BLOCK is written, the
 * event (if any) set, and on a handle bound to a completion port a non-NULL
 * ApcContext queues a packet, as a synchronous completion does.  An
 * ApcRoutine is not modelled (STATUS_NOT_SUPPORTED); any other control
 * code, or a handle that is not a pipe, is STATUS_INVALID_DEVICE_REQUEST
 * (the file systems' answer to a code they do not know). */
NTSTATUS fw_NtFsControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                            PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, ULONG FsControlCode,
                            PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer,
                            ULONG OutputBufferLength) {
  static sim_tracepoint_t tp = {
      "NtFsControlFile", {{"h", 'x'}, {"code", 'x'}, {"out", 'u'}}, 'x', 0};
  fw_thread_t *t = fw_enter("NtFsControlFile");
  (void)InputBuffer;
  (void)InputBufferLength;
  fw_io_obj_t *io = NULL;
  NTSTATUS r;
  ULONG_PTR info = 0;
  if (fw_io_obj_get(FileHandle, &io) != 0) {
    r = STATUS_INVALID_HANDLE;
  } else if (ApcRoutine != NULL) {
    r = STATUS_NOT_SUPPORTED;
  } else if (FsControlCode != FSCTL_PIPE_PEEK || io->obj.type != FW_TYPE_PIPE) {
    r = STATUS_INVALID_DEVICE_REQUEST;
  } else {
    r = fw_pipe_fsctl_peek(io, OutputBuffer, OutputBufferLength, &info);
    /* a completion (success or warning) is reported; an error is not */
    if (!fw_nt_is_error(r)) {
      IoStatusBlock->Status = r;
      IoStatusBlock->Information = info;
      if (Event != NULL) fw_SetEvent(Event);
      bool skip = r == STATUS_SUCCESS && (io->notify_modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
      if (io->port != NULL && ApcContext != NULL && !skip)
        fw_port_queue(io->port, io->key, (LPOVERLAPPED)ApcContext, r, info);
    }
  }
  FW_TRACE(&tp, t, (uint32_t)r, FW_P(FileHandle), FsControlCode, OutputBufferLength);
  return r;
}

/* The mapping of RtlNtStatusToDosError (F50), which never reads the TEB. */
ULONG fw_RtlNtStatusToDosErrorNoTeb(NTSTATUS Status) {
  fw_enter_local("RtlNtStatusToDosErrorNoTeb");
  return fw_nt_to_win32(Status);
}
