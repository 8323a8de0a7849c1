/* fakewin/fw_kernel32.h: the kernel32 functions fakewin provides.
 *
 * Every name is first defined as a macro to its fw_ symbol and then
 * declared, so the prototype below declares fw_Name with the SDK's exact
 * parameter types, and code under test that calls Name() calls fw_Name().
 * Functions that the SDK makes intrinsics or inline functions (Interlocked*,
 * InitializeSRWLock...) are real fw_ functions here: in the simulator each of
 * them is a scheduling point.  Declarations only; fakewin/src implements them.
 *
 * A/W pairs: the unsuffixed name maps to the A function, or to the W
 * function when UNICODE is defined, as in the SDK. */
#ifndef FAKEWIN_FW_KERNEL32_H
#define FAKEWIN_FW_KERNEL32_H

#include "fw_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef UNICODE
#define FAKEWIN_AW(a, w) w
#else
#define FAKEWIN_AW(a, w) a
#endif

/* ---- Last error -------------------------------------------------------- */

#define GetLastError fw_GetLastError
WINBASEAPI DWORD WINAPI GetLastError(VOID);
#define SetLastError fw_SetLastError
WINBASEAPI VOID WINAPI SetLastError(DWORD dwErrCode);

/* ---- Processes and threads --------------------------------------------- */

#define CreateThread fw_CreateThread
WINBASEAPI HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                                      LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                                      DWORD dwCreationFlags, LPDWORD lpThreadId);
#define ExitThread fw_ExitThread
WINBASEAPI DECLSPEC_NORETURN VOID WINAPI ExitThread(DWORD dwExitCode);
#define GetCurrentThread fw_GetCurrentThread
WINBASEAPI HANDLE WINAPI GetCurrentThread(VOID);
#define GetCurrentThreadId fw_GetCurrentThreadId
WINBASEAPI DWORD WINAPI GetCurrentThreadId(VOID);
#define GetThreadId fw_GetThreadId
WINBASEAPI DWORD WINAPI GetThreadId(HANDLE Thread);
#define GetCurrentProcess fw_GetCurrentProcess
WINBASEAPI HANDLE WINAPI GetCurrentProcess(VOID);
#define GetCurrentProcessId fw_GetCurrentProcessId
WINBASEAPI DWORD WINAPI GetCurrentProcessId(VOID);
#define GetExitCodeThread fw_GetExitCodeThread
WINBASEAPI BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode);
#define ResumeThread fw_ResumeThread
WINBASEAPI DWORD WINAPI ResumeThread(HANDLE hThread);
#define SuspendThread fw_SuspendThread
WINBASEAPI DWORD WINAPI SuspendThread(HANDLE hThread);
#define SetThreadPriority fw_SetThreadPriority
WINBASEAPI BOOL WINAPI SetThreadPriority(HANDLE hThread, int nPriority);
#define GetThreadPriority fw_GetThreadPriority
WINBASEAPI int WINAPI GetThreadPriority(HANDLE hThread);
#define ExitProcess fw_ExitProcess
WINBASEAPI DECLSPEC_NORETURN VOID WINAPI ExitProcess(UINT uExitCode);
#define GetSystemInfo fw_GetSystemInfo
WINBASEAPI VOID WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo);

/* ---- Waits, alerts, APCs ----------------------------------------------- */

#define WaitForSingleObject fw_WaitForSingleObject
WINBASEAPI DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);
#define WaitForSingleObjectEx fw_WaitForSingleObjectEx
WINBASEAPI DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds,
                                              BOOL bAlertable);
#define WaitForMultipleObjects fw_WaitForMultipleObjects
WINBASEAPI DWORD WINAPI WaitForMultipleObjects(DWORD nCount, CONST HANDLE *lpHandles, BOOL bWaitAll,
                                               DWORD dwMilliseconds);
#define WaitForMultipleObjectsEx fw_WaitForMultipleObjectsEx
WINBASEAPI DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, CONST HANDLE *lpHandles,
                                                 BOOL bWaitAll, DWORD dwMilliseconds,
                                                 BOOL bAlertable);
#define SignalObjectAndWait fw_SignalObjectAndWait
WINBASEAPI DWORD WINAPI SignalObjectAndWait(HANDLE hObjectToSignal, HANDLE hObjectToWaitOn,
                                            DWORD dwMilliseconds, BOOL bAlertable);
#define Sleep fw_Sleep
WINBASEAPI VOID WINAPI Sleep(DWORD dwMilliseconds);
#define SleepEx fw_SleepEx
WINBASEAPI DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable);
#define SwitchToThread fw_SwitchToThread
WINBASEAPI BOOL WINAPI SwitchToThread(VOID);
#define QueueUserAPC fw_QueueUserAPC
WINBASEAPI DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData);

/* ---- Events, semaphores, mutexes --------------------------------------- */

#define CreateEventA fw_CreateEventA
WINBASEAPI HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCSTR lpName);
#define CreateEventW fw_CreateEventW
WINBASEAPI HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCWSTR lpName);
#define CreateEvent FAKEWIN_AW(CreateEventA, CreateEventW)
#define SetEvent fw_SetEvent
WINBASEAPI BOOL WINAPI SetEvent(HANDLE hEvent);
#define ResetEvent fw_ResetEvent
WINBASEAPI BOOL WINAPI ResetEvent(HANDLE hEvent);
#define PulseEvent fw_PulseEvent
WINBASEAPI BOOL WINAPI PulseEvent(HANDLE hEvent);

#define CreateSemaphoreA fw_CreateSemaphoreA
WINBASEAPI HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                          LONG lInitialCount, LONG lMaximumCount, LPCSTR lpName);
#define CreateSemaphoreW fw_CreateSemaphoreW
WINBASEAPI HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                          LONG lInitialCount, LONG lMaximumCount, LPCWSTR lpName);
#define CreateSemaphore FAKEWIN_AW(CreateSemaphoreA, CreateSemaphoreW)
#define ReleaseSemaphore fw_ReleaseSemaphore
WINBASEAPI BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount,
                                        LPLONG lpPreviousCount);

#define CreateMutexA fw_CreateMutexA
WINBASEAPI HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                      LPCSTR lpName);
#define CreateMutexW fw_CreateMutexW
WINBASEAPI HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                      LPCWSTR lpName);
#define CreateMutex FAKEWIN_AW(CreateMutexA, CreateMutexW)
#define ReleaseMutex fw_ReleaseMutex
WINBASEAPI BOOL WINAPI ReleaseMutex(HANDLE hMutex);

/* ---- Handles ------------------------------------------------------------ */

#define CloseHandle fw_CloseHandle
WINBASEAPI BOOL WINAPI CloseHandle(HANDLE hObject);
#define DuplicateHandle fw_DuplicateHandle
WINBASEAPI BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                                       HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle,
                                       DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions);
#define GetHandleInformation fw_GetHandleInformation
WINBASEAPI BOOL WINAPI GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags);
#define SetHandleInformation fw_SetHandleInformation
WINBASEAPI BOOL WINAPI SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags);

/* ---- Interlocked (intrinsics in the SDK; scheduling points here) ------- */

#define InterlockedIncrement fw_InterlockedIncrement
LONG InterlockedIncrement(LONG volatile *Addend);
#define InterlockedDecrement fw_InterlockedDecrement
LONG InterlockedDecrement(LONG volatile *Addend);
#define InterlockedExchange fw_InterlockedExchange
LONG InterlockedExchange(LONG volatile *Target, LONG Value);
#define InterlockedExchangeAdd fw_InterlockedExchangeAdd
LONG InterlockedExchangeAdd(LONG volatile *Addend, LONG Value);
#define InterlockedAdd fw_InterlockedAdd
LONG InterlockedAdd(LONG volatile *Addend, LONG Value);
#define InterlockedCompareExchange fw_InterlockedCompareExchange
LONG InterlockedCompareExchange(LONG volatile *Destination, LONG ExChange, LONG Comperand);
#define InterlockedAnd fw_InterlockedAnd
LONG InterlockedAnd(LONG volatile *Destination, LONG Value);
#define InterlockedOr fw_InterlockedOr
LONG InterlockedOr(LONG volatile *Destination, LONG Value);
#define InterlockedXor fw_InterlockedXor
LONG InterlockedXor(LONG volatile *Destination, LONG Value);

#define InterlockedIncrement64 fw_InterlockedIncrement64
LONG64 InterlockedIncrement64(LONG64 volatile *Addend);
#define InterlockedDecrement64 fw_InterlockedDecrement64
LONG64 InterlockedDecrement64(LONG64 volatile *Addend);
#define InterlockedExchange64 fw_InterlockedExchange64
LONG64 InterlockedExchange64(LONG64 volatile *Target, LONG64 Value);
#define InterlockedExchangeAdd64 fw_InterlockedExchangeAdd64
LONG64 InterlockedExchangeAdd64(LONG64 volatile *Addend, LONG64 Value);
#define InterlockedAdd64 fw_InterlockedAdd64
LONG64 InterlockedAdd64(LONG64 volatile *Addend, LONG64 Value);
#define InterlockedCompareExchange64 fw_InterlockedCompareExchange64
LONG64 InterlockedCompareExchange64(LONG64 volatile *Destination, LONG64 ExChange,
                                    LONG64 Comperand);
#define InterlockedAnd64 fw_InterlockedAnd64
LONG64 InterlockedAnd64(LONG64 volatile *Destination, LONG64 Value);
#define InterlockedOr64 fw_InterlockedOr64
LONG64 InterlockedOr64(LONG64 volatile *Destination, LONG64 Value);
#define InterlockedXor64 fw_InterlockedXor64
LONG64 InterlockedXor64(LONG64 volatile *Destination, LONG64 Value);

#define InterlockedCompareExchangePointer fw_InterlockedCompareExchangePointer
PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID Exchange,
                                        PVOID Comperand);
#define InterlockedExchangePointer fw_InterlockedExchangePointer
PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value);

/* A full fence; also a scheduling point. */
#define MemoryBarrier fw_MemoryBarrier
VOID MemoryBarrier(VOID);

/* ---- SRW locks, critical sections, condition variables ----------------- */

#define InitializeSRWLock fw_InitializeSRWLock
WINBASEAPI VOID WINAPI InitializeSRWLock(PSRWLOCK SRWLock);
#define AcquireSRWLockExclusive fw_AcquireSRWLockExclusive
WINBASEAPI VOID WINAPI AcquireSRWLockExclusive(PSRWLOCK SRWLock);
#define AcquireSRWLockShared fw_AcquireSRWLockShared
WINBASEAPI VOID WINAPI AcquireSRWLockShared(PSRWLOCK SRWLock);
#define ReleaseSRWLockExclusive fw_ReleaseSRWLockExclusive
WINBASEAPI VOID WINAPI ReleaseSRWLockExclusive(PSRWLOCK SRWLock);
#define ReleaseSRWLockShared fw_ReleaseSRWLockShared
WINBASEAPI VOID WINAPI ReleaseSRWLockShared(PSRWLOCK SRWLock);
#define TryAcquireSRWLockExclusive fw_TryAcquireSRWLockExclusive
WINBASEAPI BOOLEAN WINAPI TryAcquireSRWLockExclusive(PSRWLOCK SRWLock);
#define TryAcquireSRWLockShared fw_TryAcquireSRWLockShared
WINBASEAPI BOOLEAN WINAPI TryAcquireSRWLockShared(PSRWLOCK SRWLock);

#define InitializeCriticalSection fw_InitializeCriticalSection
WINBASEAPI VOID WINAPI InitializeCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
#define InitializeCriticalSectionAndSpinCount fw_InitializeCriticalSectionAndSpinCount
WINBASEAPI BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION lpCriticalSection,
                                                             DWORD dwSpinCount);
#define InitializeCriticalSectionEx fw_InitializeCriticalSectionEx
WINBASEAPI BOOL WINAPI InitializeCriticalSectionEx(LPCRITICAL_SECTION lpCriticalSection,
                                                   DWORD dwSpinCount, DWORD Flags);
#define EnterCriticalSection fw_EnterCriticalSection
WINBASEAPI VOID WINAPI EnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
#define TryEnterCriticalSection fw_TryEnterCriticalSection
WINBASEAPI BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
#define LeaveCriticalSection fw_LeaveCriticalSection
WINBASEAPI VOID WINAPI LeaveCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
#define DeleteCriticalSection fw_DeleteCriticalSection
WINBASEAPI VOID WINAPI DeleteCriticalSection(LPCRITICAL_SECTION lpCriticalSection);

#define InitializeConditionVariable fw_InitializeConditionVariable
WINBASEAPI VOID WINAPI InitializeConditionVariable(PCONDITION_VARIABLE ConditionVariable);
#define SleepConditionVariableSRW fw_SleepConditionVariableSRW
WINBASEAPI BOOL WINAPI SleepConditionVariableSRW(PCONDITION_VARIABLE ConditionVariable,
                                                 PSRWLOCK SRWLock, DWORD dwMilliseconds,
                                                 ULONG Flags);
#define SleepConditionVariableCS fw_SleepConditionVariableCS
WINBASEAPI BOOL WINAPI SleepConditionVariableCS(PCONDITION_VARIABLE ConditionVariable,
                                                PCRITICAL_SECTION CriticalSection,
                                                DWORD dwMilliseconds);
#define WakeConditionVariable fw_WakeConditionVariable
WINBASEAPI VOID WINAPI WakeConditionVariable(PCONDITION_VARIABLE ConditionVariable);
#define WakeAllConditionVariable fw_WakeAllConditionVariable
WINBASEAPI VOID WINAPI WakeAllConditionVariable(PCONDITION_VARIABLE ConditionVariable);

/* ---- WaitOnAddress, one-time initialisation ----------------------------- */

#define WaitOnAddress fw_WaitOnAddress
WINBASEAPI BOOL WINAPI WaitOnAddress(volatile VOID *Address, PVOID CompareAddress,
                                     SIZE_T AddressSize, DWORD dwMilliseconds);
#define WakeByAddressSingle fw_WakeByAddressSingle
WINBASEAPI VOID WINAPI WakeByAddressSingle(PVOID Address);
#define WakeByAddressAll fw_WakeByAddressAll
WINBASEAPI VOID WINAPI WakeByAddressAll(PVOID Address);

#define InitOnceInitialize fw_InitOnceInitialize
WINBASEAPI VOID WINAPI InitOnceInitialize(PINIT_ONCE InitOnce);
#define InitOnceExecuteOnce fw_InitOnceExecuteOnce
WINBASEAPI BOOL WINAPI InitOnceExecuteOnce(PINIT_ONCE InitOnce, PINIT_ONCE_FN InitFn,
                                           PVOID Parameter, LPVOID *Context);
#define InitOnceBeginInitialize fw_InitOnceBeginInitialize
WINBASEAPI BOOL WINAPI InitOnceBeginInitialize(LPINIT_ONCE lpInitOnce, DWORD dwFlags,
                                               PBOOL fPending, LPVOID *lpContext);
#define InitOnceComplete fw_InitOnceComplete
WINBASEAPI BOOL WINAPI InitOnceComplete(LPINIT_ONCE lpInitOnce, DWORD dwFlags, LPVOID lpContext);

/* ---- Thread-local storage ----------------------------------------------- */

#define TlsAlloc fw_TlsAlloc
WINBASEAPI DWORD WINAPI TlsAlloc(VOID);
#define TlsGetValue fw_TlsGetValue
WINBASEAPI LPVOID WINAPI TlsGetValue(DWORD dwTlsIndex);
#define TlsSetValue fw_TlsSetValue
WINBASEAPI BOOL WINAPI TlsSetValue(DWORD dwTlsIndex, LPVOID lpTlsValue);
#define TlsFree fw_TlsFree
WINBASEAPI BOOL WINAPI TlsFree(DWORD dwTlsIndex);

/* ---- Time --------------------------------------------------------------- */

#define GetTickCount fw_GetTickCount
WINBASEAPI DWORD WINAPI GetTickCount(VOID);
#define GetTickCount64 fw_GetTickCount64
WINBASEAPI ULONGLONG WINAPI GetTickCount64(VOID);
#define QueryPerformanceCounter fw_QueryPerformanceCounter
WINBASEAPI BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *lpPerformanceCount);
#define QueryPerformanceFrequency fw_QueryPerformanceFrequency
WINBASEAPI BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *lpFrequency);
#define GetSystemTimeAsFileTime fw_GetSystemTimeAsFileTime
WINBASEAPI VOID WINAPI GetSystemTimeAsFileTime(LPFILETIME lpSystemTimeAsFileTime);
#define GetSystemTimePreciseAsFileTime fw_GetSystemTimePreciseAsFileTime
WINBASEAPI VOID WINAPI GetSystemTimePreciseAsFileTime(LPFILETIME lpSystemTimeAsFileTime);

/* ---- I/O completion ports and overlapped results ------------------------ */

#define CreateIoCompletionPort fw_CreateIoCompletionPort
WINBASEAPI HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                                ULONG_PTR CompletionKey,
                                                DWORD NumberOfConcurrentThreads);
#define GetQueuedCompletionStatus fw_GetQueuedCompletionStatus
WINBASEAPI BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort,
                                                 LPDWORD lpNumberOfBytesTransferred,
                                                 PULONG_PTR lpCompletionKey,
                                                 LPOVERLAPPED *lpOverlapped, DWORD dwMilliseconds);
#define GetQueuedCompletionStatusEx fw_GetQueuedCompletionStatusEx
WINBASEAPI BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                                   LPOVERLAPPED_ENTRY lpCompletionPortEntries,
                                                   ULONG ulCount, PULONG ulNumEntriesRemoved,
                                                   DWORD dwMilliseconds, BOOL fAlertable);
#define PostQueuedCompletionStatus fw_PostQueuedCompletionStatus
WINBASEAPI BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort,
                                                  DWORD dwNumberOfBytesTransferred,
                                                  ULONG_PTR dwCompletionKey,
                                                  LPOVERLAPPED lpOverlapped);
#define SetFileCompletionNotificationModes fw_SetFileCompletionNotificationModes
WINBASEAPI BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags);
#define CancelIo fw_CancelIo
WINBASEAPI BOOL WINAPI CancelIo(HANDLE hFile);
#define CancelIoEx fw_CancelIoEx
WINBASEAPI BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped);
#define CancelSynchronousIo fw_CancelSynchronousIo
WINBASEAPI BOOL WINAPI CancelSynchronousIo(HANDLE hThread);
#define GetOverlappedResult fw_GetOverlappedResult
WINBASEAPI BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                           LPDWORD lpNumberOfBytesTransferred, BOOL bWait);
#define GetOverlappedResultEx fw_GetOverlappedResultEx
WINBASEAPI BOOL WINAPI GetOverlappedResultEx(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                             LPDWORD lpNumberOfBytesTransferred,
                                             DWORD dwMilliseconds, BOOL bAlertable);

/* ---- Files -------------------------------------------------------------- */

#define CreateFileA fw_CreateFileA
WINBASEAPI HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                     DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                     HANDLE hTemplateFile);
#define CreateFileW fw_CreateFileW
WINBASEAPI HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                     DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                     HANDLE hTemplateFile);
#define CreateFile FAKEWIN_AW(CreateFileA, CreateFileW)
#define ReadFile fw_ReadFile
WINBASEAPI BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped);
#define WriteFile fw_WriteFile
WINBASEAPI BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                 LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped);
#define ReadFileEx fw_ReadFileEx
WINBASEAPI BOOL WINAPI ReadFileEx(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                  LPOVERLAPPED lpOverlapped,
                                  LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
#define WriteFileEx fw_WriteFileEx
WINBASEAPI BOOL WINAPI WriteFileEx(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                   LPOVERLAPPED lpOverlapped,
                                   LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
#define SetFilePointer fw_SetFilePointer
WINBASEAPI DWORD WINAPI SetFilePointer(HANDLE hFile, LONG lDistanceToMove,
                                       PLONG lpDistanceToMoveHigh, DWORD dwMoveMethod);
#define SetFilePointerEx fw_SetFilePointerEx
WINBASEAPI BOOL WINAPI SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove,
                                        PLARGE_INTEGER lpNewFilePointer, DWORD dwMoveMethod);
#define GetFileType fw_GetFileType
WINBASEAPI DWORD WINAPI GetFileType(HANDLE hFile);
#define GetFileSize fw_GetFileSize
WINBASEAPI DWORD WINAPI GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh);
#define GetFileSizeEx fw_GetFileSizeEx
WINBASEAPI BOOL WINAPI GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize);
#define GetFileInformationByHandle fw_GetFileInformationByHandle
WINBASEAPI BOOL WINAPI GetFileInformationByHandle(HANDLE hFile,
                                                  LPBY_HANDLE_FILE_INFORMATION lpFileInformation);
#define GetFileInformationByHandleEx fw_GetFileInformationByHandleEx
WINBASEAPI BOOL WINAPI GetFileInformationByHandleEx(HANDLE hFile,
                                                    FILE_INFO_BY_HANDLE_CLASS FileInformationClass,
                                                    LPVOID lpFileInformation, DWORD dwBufferSize);
#define SetFileInformationByHandle fw_SetFileInformationByHandle
WINBASEAPI BOOL WINAPI SetFileInformationByHandle(HANDLE hFile,
                                                  FILE_INFO_BY_HANDLE_CLASS FileInformationClass,
                                                  LPVOID lpFileInformation, DWORD dwBufferSize);
#define FlushFileBuffers fw_FlushFileBuffers
WINBASEAPI BOOL WINAPI FlushFileBuffers(HANDLE hFile);
#define SetEndOfFile fw_SetEndOfFile
WINBASEAPI BOOL WINAPI SetEndOfFile(HANDLE hFile);
#define DeleteFileA fw_DeleteFileA
WINBASEAPI BOOL WINAPI DeleteFileA(LPCSTR lpFileName);
#define DeleteFileW fw_DeleteFileW
WINBASEAPI BOOL WINAPI DeleteFileW(LPCWSTR lpFileName);
#define DeleteFile FAKEWIN_AW(DeleteFileA, DeleteFileW)
#define GetTempPathA fw_GetTempPathA
WINBASEAPI DWORD WINAPI GetTempPathA(DWORD nBufferLength, LPSTR lpBuffer);
#define GetTempPathW fw_GetTempPathW
WINBASEAPI DWORD WINAPI GetTempPathW(DWORD nBufferLength, LPWSTR lpBuffer);
#define GetTempPath FAKEWIN_AW(GetTempPathA, GetTempPathW)
#define GetWindowsDirectoryA fw_GetWindowsDirectoryA
WINBASEAPI UINT WINAPI GetWindowsDirectoryA(LPSTR lpBuffer, UINT uSize);
#define GetWindowsDirectoryW fw_GetWindowsDirectoryW
WINBASEAPI UINT WINAPI GetWindowsDirectoryW(LPWSTR lpBuffer, UINT uSize);
#define GetWindowsDirectory FAKEWIN_AW(GetWindowsDirectoryA, GetWindowsDirectoryW)
#define GetTempFileNameA fw_GetTempFileNameA
WINBASEAPI UINT WINAPI GetTempFileNameA(LPCSTR lpPathName, LPCSTR lpPrefixString, UINT uUnique,
                                        LPSTR lpTempFileName);
#define GetTempFileNameW fw_GetTempFileNameW
WINBASEAPI UINT WINAPI GetTempFileNameW(LPCWSTR lpPathName, LPCWSTR lpPrefixString, UINT uUnique,
                                        LPWSTR lpTempFileName);
#define GetTempFileName FAKEWIN_AW(GetTempFileNameA, GetTempFileNameW)

/* ---- Pipes -------------------------------------------------------------- */

#define CreatePipe fw_CreatePipe
WINBASEAPI BOOL WINAPI CreatePipe(PHANDLE hReadPipe, PHANDLE hWritePipe,
                                  LPSECURITY_ATTRIBUTES lpPipeAttributes, DWORD nSize);
#define CreateNamedPipeA fw_CreateNamedPipeA
WINBASEAPI HANDLE WINAPI CreateNamedPipeA(LPCSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode,
                                          DWORD nMaxInstances, DWORD nOutBufferSize,
                                          DWORD nInBufferSize, DWORD nDefaultTimeOut,
                                          LPSECURITY_ATTRIBUTES lpSecurityAttributes);
#define CreateNamedPipeW fw_CreateNamedPipeW
WINBASEAPI HANDLE WINAPI CreateNamedPipeW(LPCWSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode,
                                          DWORD nMaxInstances, DWORD nOutBufferSize,
                                          DWORD nInBufferSize, DWORD nDefaultTimeOut,
                                          LPSECURITY_ATTRIBUTES lpSecurityAttributes);
#define CreateNamedPipe FAKEWIN_AW(CreateNamedPipeA, CreateNamedPipeW)
#define ConnectNamedPipe fw_ConnectNamedPipe
WINBASEAPI BOOL WINAPI ConnectNamedPipe(HANDLE hNamedPipe, LPOVERLAPPED lpOverlapped);
#define DisconnectNamedPipe fw_DisconnectNamedPipe
WINBASEAPI BOOL WINAPI DisconnectNamedPipe(HANDLE hNamedPipe);
#define WaitNamedPipeA fw_WaitNamedPipeA
WINBASEAPI BOOL WINAPI WaitNamedPipeA(LPCSTR lpNamedPipeName, DWORD nTimeOut);
#define WaitNamedPipeW fw_WaitNamedPipeW
WINBASEAPI BOOL WINAPI WaitNamedPipeW(LPCWSTR lpNamedPipeName, DWORD nTimeOut);
#define WaitNamedPipe FAKEWIN_AW(WaitNamedPipeA, WaitNamedPipeW)
#define PeekNamedPipe fw_PeekNamedPipe
WINBASEAPI BOOL WINAPI PeekNamedPipe(HANDLE hNamedPipe, LPVOID lpBuffer, DWORD nBufferSize,
                                     LPDWORD lpBytesRead, LPDWORD lpTotalBytesAvail,
                                     LPDWORD lpBytesLeftThisMessage);
#define GetNamedPipeHandleStateA fw_GetNamedPipeHandleStateA
WINBASEAPI BOOL WINAPI GetNamedPipeHandleStateA(HANDLE hNamedPipe, LPDWORD lpState,
                                                LPDWORD lpCurInstances,
                                                LPDWORD lpMaxCollectionCount,
                                                LPDWORD lpCollectDataTimeout, LPSTR lpUserName,
                                                DWORD nMaxUserNameSize);
#define GetNamedPipeHandleStateW fw_GetNamedPipeHandleStateW
WINBASEAPI BOOL WINAPI GetNamedPipeHandleStateW(HANDLE hNamedPipe, LPDWORD lpState,
                                                LPDWORD lpCurInstances,
                                                LPDWORD lpMaxCollectionCount,
                                                LPDWORD lpCollectDataTimeout, LPWSTR lpUserName,
                                                DWORD nMaxUserNameSize);
#define GetNamedPipeHandleState FAKEWIN_AW(GetNamedPipeHandleStateA, GetNamedPipeHandleStateW)
#define GetNamedPipeInfo fw_GetNamedPipeInfo
WINBASEAPI BOOL WINAPI GetNamedPipeInfo(HANDLE hNamedPipe, LPDWORD lpFlags, LPDWORD lpOutBufferSize,
                                        LPDWORD lpInBufferSize, LPDWORD lpMaxInstances);
#define SetNamedPipeHandleState fw_SetNamedPipeHandleState
WINBASEAPI BOOL WINAPI SetNamedPipeHandleState(HANDLE hNamedPipe, LPDWORD lpMode,
                                               LPDWORD lpMaxCollectionCount,
                                               LPDWORD lpCollectDataTimeout);

/* ---- Standard handles and the console ----------------------------------- */

#define GetStdHandle fw_GetStdHandle
WINBASEAPI HANDLE WINAPI GetStdHandle(DWORD nStdHandle);
#define SetStdHandle fw_SetStdHandle
WINBASEAPI BOOL WINAPI SetStdHandle(DWORD nStdHandle, HANDLE hHandle);
#define ReadConsoleA fw_ReadConsoleA
WINBASEAPI BOOL WINAPI ReadConsoleA(HANDLE hConsoleInput, LPVOID lpBuffer,
                                    DWORD nNumberOfCharsToRead, LPDWORD lpNumberOfCharsRead,
                                    PCONSOLE_READCONSOLE_CONTROL pInputControl);
#define ReadConsoleW fw_ReadConsoleW
WINBASEAPI BOOL WINAPI ReadConsoleW(HANDLE hConsoleInput, LPVOID lpBuffer,
                                    DWORD nNumberOfCharsToRead, LPDWORD lpNumberOfCharsRead,
                                    PCONSOLE_READCONSOLE_CONTROL pInputControl);
#define ReadConsole FAKEWIN_AW(ReadConsoleA, ReadConsoleW)
#define WriteConsoleA fw_WriteConsoleA
WINBASEAPI BOOL WINAPI WriteConsoleA(HANDLE hConsoleOutput, CONST VOID *lpBuffer,
                                     DWORD nNumberOfCharsToWrite, LPDWORD lpNumberOfCharsWritten,
                                     LPVOID lpReserved);
#define WriteConsoleW fw_WriteConsoleW
WINBASEAPI BOOL WINAPI WriteConsoleW(HANDLE hConsoleOutput, CONST VOID *lpBuffer,
                                     DWORD nNumberOfCharsToWrite, LPDWORD lpNumberOfCharsWritten,
                                     LPVOID lpReserved);
#define WriteConsole FAKEWIN_AW(WriteConsoleA, WriteConsoleW)
#define GetConsoleMode fw_GetConsoleMode
WINBASEAPI BOOL WINAPI GetConsoleMode(HANDLE hConsoleHandle, LPDWORD lpMode);
#define SetConsoleMode fw_SetConsoleMode
WINBASEAPI BOOL WINAPI SetConsoleMode(HANDLE hConsoleHandle, DWORD dwMode);

/* ---- Modules, memory, messages ------------------------------------------ */

#define GetModuleFileNameA fw_GetModuleFileNameA
WINBASEAPI DWORD WINAPI GetModuleFileNameA(HMODULE hModule, LPSTR lpFilename, DWORD nSize);
#define GetModuleFileNameW fw_GetModuleFileNameW
WINBASEAPI DWORD WINAPI GetModuleFileNameW(HMODULE hModule, LPWSTR lpFilename, DWORD nSize);
#define GetModuleFileName FAKEWIN_AW(GetModuleFileNameA, GetModuleFileNameW)
#define GetModuleHandleA fw_GetModuleHandleA
WINBASEAPI HMODULE WINAPI GetModuleHandleA(LPCSTR lpModuleName);
#define GetModuleHandleW fw_GetModuleHandleW
WINBASEAPI HMODULE WINAPI GetModuleHandleW(LPCWSTR lpModuleName);
#define GetModuleHandle FAKEWIN_AW(GetModuleHandleA, GetModuleHandleW)
#define LoadLibraryA fw_LoadLibraryA
WINBASEAPI HMODULE WINAPI LoadLibraryA(LPCSTR lpLibFileName);
#define LoadLibraryW fw_LoadLibraryW
WINBASEAPI HMODULE WINAPI LoadLibraryW(LPCWSTR lpLibFileName);
#define LoadLibrary FAKEWIN_AW(LoadLibraryA, LoadLibraryW)
#define FreeLibrary fw_FreeLibrary
WINBASEAPI BOOL WINAPI FreeLibrary(HMODULE hLibModule);
#define GetProcAddress fw_GetProcAddress
WINBASEAPI FARPROC WINAPI GetProcAddress(HMODULE hModule, LPCSTR lpProcName);

#define GetProcessHeap fw_GetProcessHeap
WINBASEAPI HANDLE WINAPI GetProcessHeap(VOID);
#define HeapAlloc fw_HeapAlloc
WINBASEAPI LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes);
#define HeapFree fw_HeapFree
WINBASEAPI BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem);
#define LocalFree fw_LocalFree
WINBASEAPI HLOCAL WINAPI LocalFree(HLOCAL hMem);

#define FormatMessageA fw_FormatMessageA
WINBASEAPI DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                                       DWORD dwLanguageId, LPSTR lpBuffer, DWORD nSize,
                                       va_list *Arguments);
#define FormatMessageW fw_FormatMessageW
WINBASEAPI DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                                       DWORD dwLanguageId, LPWSTR lpBuffer, DWORD nSize,
                                       va_list *Arguments);
#define FormatMessage FAKEWIN_AW(FormatMessageA, FormatMessageW)

#ifdef __cplusplus
}
#endif

#endif /* FAKEWIN_FW_KERNEL32_H */
