/* wt_extra.h: what the selected Wine tests name that fakewin's headers do not
 * declare (tests/winetests/README.md).  Types and constants carry the SDK's
 * names and documented values.  A function fakewin does not have is declared
 * here with its SDK prototype under the name wt_stub_<Name>; wt_stubs.c
 * defines each as a call that marks the rest of the running test function
 * "not run".  Every entry is guarded: once fakewin declares the name (its
 * header maps it to fw_<Name>), fakewin's function is used and the stub is
 * dead. */
#ifndef WT_EXTRA_H
#define WT_EXTRA_H

#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>
#include <winternl.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
/* Wine's nameless-union accessors: fakewin's structures use anonymous unions. */
#ifndef U
#define U(x) (x)
#endif
#ifndef S
#define S(x) (x)
#endif

/* ---- NTSTATUS values the Winsock status table names ---------------------------- */
#ifndef STATUS_QUOTA_EXCEEDED
#define STATUS_QUOTA_EXCEEDED ((NTSTATUS)0xC0000044)
#endif
#ifndef STATUS_PAGEFILE_QUOTA
#define STATUS_PAGEFILE_QUOTA ((NTSTATUS)0xC0000007)
#endif
#ifndef STATUS_CONFLICTING_ADDRESSES
#define STATUS_CONFLICTING_ADDRESSES ((NTSTATUS)0xC0000018)
#endif
#ifndef STATUS_TOO_MANY_PAGING_FILES
#define STATUS_TOO_MANY_PAGING_FILES ((NTSTATUS)0xC0000097)
#endif
#ifndef STATUS_WORKING_SET_QUOTA
#define STATUS_WORKING_SET_QUOTA ((NTSTATUS)0xC00000A1)
#endif
#ifndef STATUS_DEVICE_NOT_READY
#define STATUS_DEVICE_NOT_READY ((NTSTATUS)0xC00000A3)
#endif
#ifndef STATUS_REMOTE_NOT_LISTENING
#define STATUS_REMOTE_NOT_LISTENING ((NTSTATUS)0xC00000BC)
#endif
#ifndef STATUS_REQUEST_NOT_ACCEPTED
#define STATUS_REQUEST_NOT_ACCEPTED ((NTSTATUS)0xC00000D0)
#endif
#ifndef STATUS_COMMITMENT_LIMIT
#define STATUS_COMMITMENT_LIMIT ((NTSTATUS)0xC000012D)
#endif
#ifndef STATUS_TRANSACTION_ABORTED
#define STATUS_TRANSACTION_ABORTED ((NTSTATUS)0xC000020F)
#endif
#ifndef STATUS_DATATYPE_MISALIGNMENT_ERROR
#define STATUS_DATATYPE_MISALIGNMENT_ERROR ((NTSTATUS)0xC00002C5)
#endif

/* ---- native API (winternl.h / ntifs.h) ------------------------------------------ */
#ifndef FSCTL_PIPE_PEEK
typedef struct _IO_STATUS_BLOCK {
  union {
    NTSTATUS Status;
    PVOID Pointer;
  };
  ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;
typedef VOID(NTAPI *PIO_APC_ROUTINE)(PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                                     ULONG Reserved);
typedef enum _FILE_INFORMATION_CLASS { FileAccessInformation = 8 } FILE_INFORMATION_CLASS;
typedef struct _FILE_ACCESS_INFORMATION {
  ACCESS_MASK AccessFlags;
} FILE_ACCESS_INFORMATION;
typedef struct _FILE_PIPE_PEEK_BUFFER {
  ULONG NamedPipeState;
  ULONG ReadDataAvailable;
  ULONG NumberOfMessages;
  ULONG MessageLength;
  CHAR Data[1];
} FILE_PIPE_PEEK_BUFFER;
#define FSCTL_PIPE_PEEK 0x0011400C
#define FILE_PIPE_CLIENT_END 0
#define FILE_PIPE_SERVER_END 1
#define NtFsControlFile wt_stub_NtFsControlFile
NTSTATUS NTAPI NtFsControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                               PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                               ULONG FsControlCode, PVOID InputBuffer, ULONG InputBufferLength,
                               PVOID OutputBuffer, ULONG OutputBufferLength);
#define NtQueryInformationFile wt_stub_NtQueryInformationFile
NTSTATUS NTAPI NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock,
                                      PVOID FileInformation, ULONG Length,
                                      FILE_INFORMATION_CLASS FileInformationClass);
#endif
#ifndef RtlNtStatusToDosErrorNoTeb
#define RtlNtStatusToDosErrorNoTeb wt_stub_RtlNtStatusToDosErrorNoTeb
ULONG NTAPI RtlNtStatusToDosErrorNoTeb(NTSTATUS Status);
#endif

#ifndef FILE_READ_PROPERTIES
#define FILE_READ_PROPERTIES FILE_READ_EA
#define FILE_WRITE_PROPERTIES FILE_WRITE_EA
#endif

/* ---- processes and security tokens (not modelled: one process per world) -------- */
#ifndef CreateProcessA
typedef struct _STARTUPINFOA {
  DWORD cb;
  LPSTR lpReserved;
  LPSTR lpDesktop;
  LPSTR lpTitle;
  DWORD dwX, dwY, dwXSize, dwYSize, dwXCountChars, dwYCountChars, dwFillAttribute, dwFlags;
  WORD wShowWindow;
  WORD cbReserved2;
  LPBYTE lpReserved2;
  HANDLE hStdInput, hStdOutput, hStdError;
} STARTUPINFOA, *LPSTARTUPINFOA;
typedef struct _PROCESS_INFORMATION {
  HANDLE hProcess;
  HANDLE hThread;
  DWORD dwProcessId;
  DWORD dwThreadId;
} PROCESS_INFORMATION, *LPPROCESS_INFORMATION;
#define CreateProcessA wt_stub_CreateProcessA
BOOL WINAPI CreateProcessA(LPCSTR lpApplicationName, LPSTR lpCommandLine,
                           LPSECURITY_ATTRIBUTES lpProcessAttributes,
                           LPSECURITY_ATTRIBUTES lpThreadAttributes, BOOL bInheritHandles,
                           DWORD dwCreationFlags, LPVOID lpEnvironment, LPCSTR lpCurrentDirectory,
                           LPSTARTUPINFOA lpStartupInfo,
                           LPPROCESS_INFORMATION lpProcessInformation);
#endif
#ifndef TerminateProcess
#define TerminateProcess wt_stub_TerminateProcess
BOOL WINAPI TerminateProcess(HANDLE hProcess, UINT uExitCode);
#endif
typedef enum _WT_TOKEN_TYPE { TokenPrimary = 1, TokenImpersonation } TOKEN_TYPE;
typedef enum _WT_SECURITY_IMPERSONATION_LEVEL {
  SecurityAnonymous,
  SecurityIdentification,
  SecurityImpersonation,
  SecurityDelegation
} SECURITY_IMPERSONATION_LEVEL;

/* ---- named pipes ------------------------------------------------------------------ */
#ifndef GetNamedPipeInfo
#define GetNamedPipeInfo wt_stub_GetNamedPipeInfo
BOOL WINAPI GetNamedPipeInfo(HANDLE hNamedPipe, LPDWORD lpFlags, LPDWORD lpOutBufferSize,
                             LPDWORD lpInBufferSize, LPDWORD lpMaxInstances);
#endif
#ifndef GetNamedPipeHandleStateA
#define GetNamedPipeHandleStateA wt_stub_GetNamedPipeHandleStateA
BOOL WINAPI GetNamedPipeHandleStateA(HANDLE hNamedPipe, LPDWORD lpState, LPDWORD lpCurInstances,
                                     LPDWORD lpMaxCollectionCount, LPDWORD lpCollectDataTimeout,
                                     LPSTR lpUserName, DWORD nMaxUserNameSize);
#endif

/* ---- Winsock ----------------------------------------------------------------------- */
typedef struct _QualityOfService QOS, *LPQOS;
#ifndef WSAAccept
typedef int(CALLBACK *LPCONDITIONPROC)(LPWSABUF lpCallerId, LPWSABUF lpCallerData, LPQOS lpSQOS,
                                       LPQOS lpGQOS, LPWSABUF lpCalleeId, LPWSABUF lpCalleeData,
                                       GROUP *g, DWORD_PTR dwCallbackData);
#define WSAAccept wt_stub_WSAAccept
SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen,
                        LPCONDITIONPROC lpfnCondition, DWORD_PTR dwCallbackData);
#endif
#ifndef CF_ACCEPT
#define CF_ACCEPT 0x0000
#define CF_REJECT 0x0001
#define CF_DEFER 0x0002
#endif
#ifndef WSASendDisconnect
#define WSASendDisconnect wt_stub_WSASendDisconnect
int WSAAPI WSASendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData);
#endif
#ifndef WSARecvDisconnect
#define WSARecvDisconnect wt_stub_WSARecvDisconnect
int WSAAPI WSARecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData);
#endif
#ifndef WSADuplicateSocketA
#define WSADuplicateSocketA wt_stub_WSADuplicateSocketA
int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOA lpProtocolInfo);
#endif

/* ---- memory and file mappings (not modelled) --------------------------------------- */
#ifndef PAGE_READWRITE
#define PAGE_NOACCESS 0x01
#define PAGE_READONLY 0x02
#define PAGE_READWRITE 0x04
#define MEM_COMMIT 0x00001000
#define MEM_RESERVE 0x00002000
#define MEM_RELEASE 0x00008000
#define FILE_MAP_WRITE 0x0002
#define FILE_MAP_READ 0x0004
#endif
#ifndef ERROR_USER_MAPPED_FILE
#define ERROR_USER_MAPPED_FILE 1224
#endif
#ifndef VirtualAlloc
#define VirtualAlloc wt_stub_VirtualAlloc
LPVOID WINAPI VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType,
                           DWORD flProtect);
#endif
#ifndef VirtualFree
#define VirtualFree wt_stub_VirtualFree
BOOL WINAPI VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType);
#endif
#ifndef VirtualProtect
#define VirtualProtect wt_stub_VirtualProtect
BOOL WINAPI VirtualProtect(LPVOID lpAddress, SIZE_T dwSize, DWORD flNewProtect,
                           PDWORD lpflOldProtect);
#endif
#ifndef CreateFileMappingA
#define CreateFileMappingA wt_stub_CreateFileMappingA
HANDLE WINAPI CreateFileMappingA(HANDLE hFile, LPSECURITY_ATTRIBUTES lpFileMappingAttributes,
                                 DWORD flProtect, DWORD dwMaximumSizeHigh, DWORD dwMaximumSizeLow,
                                 LPCSTR lpName);
#endif
#ifndef CreateFileMappingW
#define CreateFileMappingW wt_stub_CreateFileMappingW
HANDLE WINAPI CreateFileMappingW(HANDLE hFile, LPSECURITY_ATTRIBUTES lpFileMappingAttributes,
                                 DWORD flProtect, DWORD dwMaximumSizeHigh, DWORD dwMaximumSizeLow,
                                 LPCWSTR lpName);
#endif
#ifndef MapViewOfFile
#define MapViewOfFile wt_stub_MapViewOfFile
LPVOID WINAPI MapViewOfFile(HANDLE hFileMappingObject, DWORD dwDesiredAccess,
                            DWORD dwFileOffsetHigh, DWORD dwFileOffsetLow,
                            SIZE_T dwNumberOfBytesToMap);
#endif
#ifndef UnmapViewOfFile
#define UnmapViewOfFile wt_stub_UnmapViewOfFile
BOOL WINAPI UnmapViewOfFile(LPCVOID lpBaseAddress);
#endif

/* ---- other kernel32 ---------------------------------------------------------------- */
#ifndef GetWindowsDirectoryA
#define GetWindowsDirectoryA wt_stub_GetWindowsDirectoryA
UINT WINAPI GetWindowsDirectoryA(LPSTR lpBuffer, UINT uSize);
#endif
#ifndef CreateMailslotW
#define CreateMailslotW wt_stub_CreateMailslotW
HANDLE WINAPI CreateMailslotW(LPCWSTR lpName, DWORD nMaxMessageSize, DWORD lReadTimeout,
                              LPSECURITY_ATTRIBUTES lpSecurityAttributes);
#endif

/* ---- window messages (user32; out of scope: no window station in a fake world) ---- */
#ifndef PeekMessageA
typedef UINT_PTR WPARAM;
typedef LONG_PTR LPARAM;
DECLARE_HANDLE(HMENU);
typedef struct tagPOINT {
  LONG x, y;
} POINT;
typedef struct tagMSG {
  HWND hwnd;
  UINT message;
  WPARAM wParam;
  LPARAM lParam;
  DWORD time;
  POINT pt;
} MSG, *LPMSG;
#define WM_USER 0x0400
#define WS_POPUP 0x80000000u
#define PM_REMOVE 0x0001
#define PeekMessageA wt_stub_PeekMessageA
BOOL WINAPI PeekMessageA(LPMSG lpMsg, HWND hWnd, UINT wMsgFilterMin, UINT wMsgFilterMax,
                         UINT wRemoveMsg);
#define CreateWindowExA wt_stub_CreateWindowExA
HWND WINAPI CreateWindowExA(DWORD dwExStyle, LPCSTR lpClassName, LPCSTR lpWindowName, DWORD dwStyle,
                            int X, int Y, int nWidth, int nHeight, HWND hWndParent, HMENU hMenu,
                            HINSTANCE hInstance, LPVOID lpParam);
#define DestroyWindow wt_stub_DestroyWindow
BOOL WINAPI DestroyWindow(HWND hWnd);
#define WSAAsyncSelect wt_stub_WSAAsyncSelect
int WSAAPI WSAAsyncSelect(SOCKET s, HWND hWnd, UINT wMsg, LONG lEvent);
#endif

#endif
