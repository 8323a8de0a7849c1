/* <winternl.h> of the fake Win32 world (fakewin): the few native (ntdll)
 * calls and structures fakewin models, with the SDK's names and layout.
 * FSCTL_PIPE_PEEK and FILE_PIPE_PEEK_BUFFER (winioctl.h / ntifs.h on
 * Windows) are here too.  Implemented in fakewin/src/fw_ntfile.c. */
#ifndef FAKEWIN_WINTERNL_H
#define FAKEWIN_WINTERNL_H

#include "fakewin/fw_base.h"

typedef struct _IO_STATUS_BLOCK {
  union {
    NTSTATUS Status;
    PVOID Pointer;
  };
  ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

typedef VOID(NTAPI *PIO_APC_ROUTINE)(PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                                     ULONG Reserved);

typedef enum _FILE_INFORMATION_CLASS {
  FileDirectoryInformation = 1,
  FileAccessInformation = 8,
} FILE_INFORMATION_CLASS,
    *PFILE_INFORMATION_CLASS;

typedef struct _FILE_ACCESS_INFORMATION {
  ACCESS_MASK AccessFlags;
} FILE_ACCESS_INFORMATION, *PFILE_ACCESS_INFORMATION;

#define FSCTL_PIPE_PEEK \
  0x0011400C /* CTL_CODE(FILE_DEVICE_NAMED_PIPE, 3, METHOD_BUFFERED, FILE_READ_DATA) */
#define FILE_PIPE_DISCONNECTED_STATE 0x00000001
#define FILE_PIPE_LISTENING_STATE 0x00000002
#define FILE_PIPE_CONNECTED_STATE 0x00000003
#define FILE_PIPE_CLOSING_STATE 0x00000004
#define FILE_PIPE_CLIENT_END 0x00000000
#define FILE_PIPE_SERVER_END 0x00000001

typedef struct _FILE_PIPE_PEEK_BUFFER {
  ULONG NamedPipeState;
  ULONG ReadDataAvailable;
  ULONG NumberOfMessages;
  ULONG MessageLength;
  CHAR Data[1];
} FILE_PIPE_PEEK_BUFFER, *PFILE_PIPE_PEEK_BUFFER;

#define NtClose fw_NtClose
NTSTATUS NTAPI NtClose(HANDLE Handle);
#define NtFsControlFile fw_NtFsControlFile
NTSTATUS NTAPI NtFsControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                               PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                               ULONG FsControlCode, PVOID InputBuffer, ULONG InputBufferLength,
                               PVOID OutputBuffer, ULONG OutputBufferLength);
#define NtQueryInformationFile fw_NtQueryInformationFile
NTSTATUS NTAPI NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock,
                                      PVOID FileInformation, ULONG Length,
                                      FILE_INFORMATION_CLASS FileInformationClass);
#define RtlNtStatusToDosError fw_RtlNtStatusToDosError
ULONG NTAPI RtlNtStatusToDosError(NTSTATUS Status);
#define RtlNtStatusToDosErrorNoTeb fw_RtlNtStatusToDosErrorNoTeb
ULONG NTAPI RtlNtStatusToDosErrorNoTeb(NTSTATUS Status);

#endif
