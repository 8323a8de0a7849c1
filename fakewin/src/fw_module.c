/* fw_module.c: the loaded modules of the fake process - GetModuleHandleA/W,
 * LoadLibraryA/W, FreeLibrary and GetProcAddress for kernel32.dll,
 * ws2_32.dll, mswsock.dll and ntdll.dll.
 *
 * The model.  A program that uses the supported subset has these four
 * modules loaded for its whole life (it links them), so GetModuleHandle and
 * LoadLibrary find them and nothing else; FreeLibrary never unloads them.
 * Each module exports, by name, exactly the functions fakewin implements
 * that the real DLL exports on x64 Windows: GetProcAddress returns the fw_
 * function itself, so calling through the pointer is calling the API.
 * Everything else - a name the real DLL exports but the fake does not
 * implement, an ordinal, another module - is NULL with ERROR_PROC_NOT_FOUND
 * (or ERROR_MOD_NOT_FOUND for a module that is not one of these).
 *
 * What is deliberately missing from the export lists: the Interlocked*
 * functions and MemoryBarrier (compiler intrinsics on x64; kernel32 exports
 * them on x86 only) and WaitOnAddress/WakeByAddress* (exported by
 * KernelBase.dll through the API set, not by kernel32).
 *
 * Personality: under wine8, ntdll also exports wine_get_version (returning
 * "8.0"), the export programs and tests use to tell Wine from Windows; on
 * Windows it does not exist.  So a test's "am I under Wine?" probe answers
 * from the world's personality without knowing it runs in a fake.
 *
 * Fault plan: GetProcAddress is fault site 41; a rule with outcome `null`
 * (optionally proc=NAME) makes a lookup fail with ERROR_PROC_NOT_FOUND -
 * "kernel32 without SetFileCompletionNotificationModes" (spec go-poll.md B2).
 * The plan is consulted for every lookup, before the export lists.
 *
 * Module handles are the addresses of the module descriptors below (an
 * HMODULE is the image base on Windows: an address the program must not
 * interpret); they reach the trace only as "ptr". */
#include <stdio.h>
#include <string.h>

#include <mswsock.h>
#include <winsock2.h>
#include <winternl.h>
#include <ws2tcpip.h>

#include "fw_io.h"

typedef void (*fw_any_fn)(void);

typedef struct fw_export {
  const char *name;
  fw_any_fn fn;
} fw_export_t;

typedef struct fw_module {
  const char *name; /* lower case, with ".dll" */
  const fw_export_t *exports;
  size_t n_exports;
  /* extra exports of the wine8 personality */
  const fw_export_t *wine_exports;
  size_t n_wine_exports;
} fw_module_t;

/* One entry per export: the API name (stringised before the header's
 * renaming macro applies) and the fw_ function it is renamed to. */
#define FW_EXPORT(api) \
  { #api, (fw_any_fn)api }

/* kernel32.dll (x64). */
static const fw_export_t kernel32_exports[] = {
    FW_EXPORT(AcquireSRWLockExclusive),
    FW_EXPORT(AcquireSRWLockShared),
    FW_EXPORT(CancelIo),
    FW_EXPORT(CancelIoEx),
    FW_EXPORT(CancelSynchronousIo),
    FW_EXPORT(CloseHandle),
    FW_EXPORT(ConnectNamedPipe),
    FW_EXPORT(CreateEventA),
    FW_EXPORT(CreateEventW),
    FW_EXPORT(CreateFileA),
    FW_EXPORT(CreateFileW),
    FW_EXPORT(CreateIoCompletionPort),
    FW_EXPORT(CreateMutexA),
    FW_EXPORT(CreateMutexW),
    FW_EXPORT(CreateNamedPipeA),
    FW_EXPORT(CreateNamedPipeW),
    FW_EXPORT(CreatePipe),
    FW_EXPORT(CreateSemaphoreA),
    FW_EXPORT(CreateSemaphoreW),
    FW_EXPORT(CreateThread),
    FW_EXPORT(DeleteCriticalSection),
    FW_EXPORT(DeleteFileA),
    FW_EXPORT(DeleteFileW),
    FW_EXPORT(DisconnectNamedPipe),
    FW_EXPORT(DuplicateHandle),
    FW_EXPORT(EnterCriticalSection),
    FW_EXPORT(ExitProcess),
    FW_EXPORT(ExitThread),
    FW_EXPORT(FlushFileBuffers),
    FW_EXPORT(FormatMessageA),
    FW_EXPORT(FormatMessageW),
    FW_EXPORT(GetModuleFileNameA),
    FW_EXPORT(GetModuleFileNameW),
    FW_EXPORT(FreeLibrary),
    FW_EXPORT(GetConsoleMode),
    FW_EXPORT(GetCurrentProcess),
    FW_EXPORT(GetCurrentProcessId),
    FW_EXPORT(GetCurrentThread),
    FW_EXPORT(GetCurrentThreadId),
    FW_EXPORT(GetExitCodeThread),
    FW_EXPORT(GetFileInformationByHandle),
    FW_EXPORT(GetFileInformationByHandleEx),
    FW_EXPORT(GetFileSize),
    FW_EXPORT(GetFileSizeEx),
    FW_EXPORT(GetFileType),
    FW_EXPORT(GetHandleInformation),
    FW_EXPORT(GetLastError),
    FW_EXPORT(GetModuleHandleA),
    FW_EXPORT(GetModuleHandleW),
    FW_EXPORT(GetOverlappedResult),
    FW_EXPORT(GetOverlappedResultEx),
    FW_EXPORT(GetProcAddress),
    FW_EXPORT(GetQueuedCompletionStatus),
    FW_EXPORT(GetQueuedCompletionStatusEx),
    FW_EXPORT(GetStdHandle),
    FW_EXPORT(GetSystemInfo),
    FW_EXPORT(GetSystemTimeAsFileTime),
    FW_EXPORT(GetSystemTimePreciseAsFileTime),
    FW_EXPORT(GetTempFileNameA),
    FW_EXPORT(GetTempFileNameW),
    FW_EXPORT(GetTempPathA),
    FW_EXPORT(GetTempPathW),
    FW_EXPORT(GetThreadId),
    FW_EXPORT(GetThreadPriority),
    FW_EXPORT(GetTickCount),
    FW_EXPORT(GetTickCount64),
    FW_EXPORT(InitOnceBeginInitialize),
    FW_EXPORT(InitOnceComplete),
    FW_EXPORT(InitOnceExecuteOnce),
    FW_EXPORT(InitOnceInitialize),
    FW_EXPORT(InitializeConditionVariable),
    FW_EXPORT(InitializeCriticalSection),
    FW_EXPORT(InitializeCriticalSectionAndSpinCount),
    FW_EXPORT(InitializeCriticalSectionEx),
    FW_EXPORT(InitializeSRWLock),
    FW_EXPORT(LeaveCriticalSection),
    FW_EXPORT(LoadLibraryA),
    FW_EXPORT(LoadLibraryW),
    FW_EXPORT(PeekNamedPipe),
    FW_EXPORT(PostQueuedCompletionStatus),
    FW_EXPORT(PulseEvent),
    FW_EXPORT(QueryPerformanceCounter),
    FW_EXPORT(QueryPerformanceFrequency),
    FW_EXPORT(QueueUserAPC),
    FW_EXPORT(ReadConsoleA),
    FW_EXPORT(ReadConsoleW),
    FW_EXPORT(ReadFile),
    FW_EXPORT(ReleaseMutex),
    FW_EXPORT(ReleaseSRWLockExclusive),
    FW_EXPORT(ReleaseSRWLockShared),
    FW_EXPORT(ReleaseSemaphore),
    FW_EXPORT(ResetEvent),
    FW_EXPORT(ResumeThread),
    FW_EXPORT(SetConsoleMode),
    FW_EXPORT(SetEndOfFile),
    FW_EXPORT(SetEvent),
    FW_EXPORT(SetFileCompletionNotificationModes),
    FW_EXPORT(SetFileInformationByHandle),
    FW_EXPORT(SetFilePointer),
    FW_EXPORT(SetFilePointerEx),
    FW_EXPORT(SetHandleInformation),
    FW_EXPORT(SetLastError),
    FW_EXPORT(SetNamedPipeHandleState),
    FW_EXPORT(SetStdHandle),
    FW_EXPORT(SetThreadPriority),
    FW_EXPORT(SignalObjectAndWait),
    FW_EXPORT(Sleep),
    FW_EXPORT(SleepConditionVariableCS),
    FW_EXPORT(SleepConditionVariableSRW),
    FW_EXPORT(SleepEx),
    FW_EXPORT(SwitchToThread),
    FW_EXPORT(TlsAlloc),
    FW_EXPORT(TlsFree),
    FW_EXPORT(TlsGetValue),
    FW_EXPORT(TlsSetValue),
    FW_EXPORT(TryAcquireSRWLockExclusive),
    FW_EXPORT(TryAcquireSRWLockShared),
    FW_EXPORT(TryEnterCriticalSection),
    FW_EXPORT(WaitForMultipleObjects),
    FW_EXPORT(WaitForMultipleObjectsEx),
    FW_EXPORT(WaitForSingleObject),
    FW_EXPORT(WaitForSingleObjectEx),
    FW_EXPORT(WaitNamedPipeA),
    FW_EXPORT(WaitNamedPipeW),
    FW_EXPORT(WakeAllConditionVariable),
    FW_EXPORT(WakeConditionVariable),
    FW_EXPORT(WriteConsoleA),
    FW_EXPORT(WriteConsoleW),
    FW_EXPORT(WriteFile),
};

/* ws2_32.dll.  The extension functions (AcceptEx through its GUID,
 * ConnectEx, WSARecvMsg...) are not exports: SIO_GET_EXTENSION_FUNCTION_POINTER
 * hands them out. */
static const fw_export_t ws2_32_exports[] = {
    FW_EXPORT(WSACleanup),
    FW_EXPORT(WSAEnumProtocolsA),
    FW_EXPORT(WSAEnumProtocolsW),
    FW_EXPORT(WSAEnumNetworkEvents),
    FW_EXPORT(WSAEventSelect),
    FW_EXPORT(WSAPoll),
    FW_EXPORT(freeaddrinfo),
    FW_EXPORT(getaddrinfo),
    FW_EXPORT(gethostname),
    FW_EXPORT(getnameinfo),
    FW_EXPORT(select),
    FW_EXPORT(WSAGetLastError),
    FW_EXPORT(WSAGetOverlappedResult),
    FW_EXPORT(WSAIoctl),
    FW_EXPORT(WSARecv),
    FW_EXPORT(WSARecvFrom),
    FW_EXPORT(WSASend),
    FW_EXPORT(WSASendMsg),
    FW_EXPORT(WSASendTo),
    FW_EXPORT(WSASetLastError),
    FW_EXPORT(WSASocketA),
    FW_EXPORT(WSASocketW),
    FW_EXPORT(WSAStartup),
    FW_EXPORT(__WSAFDIsSet),
    FW_EXPORT(accept),
    FW_EXPORT(bind),
    FW_EXPORT(closesocket),
    FW_EXPORT(connect),
    FW_EXPORT(getpeername),
    FW_EXPORT(getsockname),
    FW_EXPORT(getsockopt),
    FW_EXPORT(htonl),
    FW_EXPORT(htons),
    FW_EXPORT(inet_addr),
    FW_EXPORT(inet_ntoa),
    FW_EXPORT(inet_ntop),
    FW_EXPORT(inet_pton),
    FW_EXPORT(ioctlsocket),
    FW_EXPORT(listen),
    FW_EXPORT(ntohl),
    FW_EXPORT(ntohs),
    FW_EXPORT(recv),
    FW_EXPORT(recvfrom),
    FW_EXPORT(send),
    FW_EXPORT(sendto),
    FW_EXPORT(setsockopt),
    FW_EXPORT(shutdown),
    FW_EXPORT(socket),
};

/* ntdll.dll: the native entry points test programs resolve through
 * GetProcAddress (Wine's sock.c does, to queue packets of any status). */
static NTSTATUS NTAPI fw_NtSetIoCompletion(HANDLE port, ULONG_PTR key, PVOID apc_context,
                                           NTSTATUS status, ULONG_PTR information) {
  static sim_tracepoint_t tp = {"NtSetIoCompletion", {{"port", 'x'}, {"status", 'x'}}, 'x', 0};
  fw_thread_t *t = fw_enter("NtSetIoCompletion");
  fw_port_t *p = fw_port_from_handle(port);
  /* a packet with the status as given: GQCS maps it (F5) */
  if (p != NULL) fw_port_queue(p, key, (LPOVERLAPPED)apc_context, status, information);
  NTSTATUS r = p != NULL ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
  FW_TRACE(&tp, t, (uint32_t)r, FW_P(port), (uint32_t)status);
  return r;
}

/* RtlNtStatusToDosError: the kernel32 mapping (F50); 317 for a status it
 * does not know.  Does not touch the last error. */
ULONG NTAPI fw_RtlNtStatusToDosError(NTSTATUS status) {
  fw_enter_local("RtlNtStatusToDosError");
  return fw_nt_to_win32(status);
}

static const fw_export_t ntdll_exports[] = {
    {"NtSetIoCompletion", (fw_any_fn)fw_NtSetIoCompletion},
    {"RtlNtStatusToDosError", (fw_any_fn)fw_RtlNtStatusToDosError},
    {"RtlNtStatusToDosErrorNoTeb", (fw_any_fn)fw_RtlNtStatusToDosErrorNoTeb},
    {"NtClose", (fw_any_fn)fw_NtClose},
    {"NtFsControlFile", (fw_any_fn)fw_NtFsControlFile},
    {"NtQueryInformationFile", (fw_any_fn)fw_NtQueryInformationFile},
};

/* mswsock.dll: the directly exported forms of two extension functions. */
static const fw_export_t mswsock_exports[] = {
    FW_EXPORT(AcceptEx),
    FW_EXPORT(GetAcceptExSockaddrs),
};

/* Wine's ntdll: the version query every Wine-detecting program uses. */
/* The version string of the personality that resolved the export: a
 * pointer a program got under wine8 keeps answering like that Wine. */
static const char *resolved_wine_version = "";
static const char *fw_wine_get_version(void) {
  return resolved_wine_version;
}

static const fw_export_t ntdll_wine_exports[] = {
    {"wine_get_version", (fw_any_fn)fw_wine_get_version},
};

#define FW_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const fw_module_t modules[] = {
    {"kernel32.dll", kernel32_exports, FW_COUNT(kernel32_exports), NULL, 0},
    {"ws2_32.dll", ws2_32_exports, FW_COUNT(ws2_32_exports), NULL, 0},
    {"mswsock.dll", mswsock_exports, FW_COUNT(mswsock_exports), NULL, 0},
    {"ntdll.dll", ntdll_exports, FW_COUNT(ntdll_exports), ntdll_wine_exports,
     FW_COUNT(ntdll_wine_exports)},
};

/* ---- names ------------------------------------------------------------------------ */

/* Module names compare without case, as the loader does; a name without an
 * extension means ".dll" (GetModuleHandle and LoadLibrary both append it),
 * a trailing "." means "no extension" and so matches nothing here.  Paths
 * are not modelled: only the base name of a system DLL is accepted.  The
 * name arrives as 16-bit units (a W call's units, or an A call's bytes). */
static const fw_module_t *module_by_units(const uint16_t *units, size_t n) {
  bool has_dot = false;
  for (size_t i = 0; i < n; i++) {
    if (units[i] == '.') has_dot = true;
  }
  for (size_t m = 0; m < FW_COUNT(modules); m++) {
    const char *want = modules[m].name;
    size_t wl = strlen(want), cmp = has_dot ? wl : wl - 4; /* 4: ".dll" */
    if (n != cmp) continue;
    bool same = true;
    for (size_t i = 0; i < n && same; i++) {
      uint16_t c = units[i];
      if (c >= 'A' && c <= 'Z') c = (uint16_t)(c - 'A' + 'a');
      same = c == (uint16_t)(unsigned char)want[i];
    }
    if (same) return &modules[m];
  }
  return NULL;
}

#define FW_MODULE_NAME_MAX 260

static const fw_module_t *module_by_a(LPCSTR name) {
  uint16_t units[FW_MODULE_NAME_MAX];
  size_t n = 0;
  while (name[n] != '\0') {
    if (n == FW_MODULE_NAME_MAX) return NULL;
    units[n] = (uint16_t)(unsigned char)name[n];
    n++;
  }
  return module_by_units(units, n);
}

static const fw_module_t *module_by_w(LPCWSTR name) {
  size_t n = 0;
  while (name[n] != 0) {
    if (n == FW_MODULE_NAME_MAX) return NULL;
    n++;
  }
  return module_by_units((const uint16_t *)name, n);
}

/* NULL names the program's own module.  The fake process has no image, and
 * GetProcAddress on it finds nothing (the program's functions are not
 * exports); its handle is a descriptor of its own. */
static const fw_module_t exe_module = {"program.exe", NULL, 0, NULL, 0};

static const fw_module_t *module_by_handle(HMODULE h) {
  if (h == NULL || h == (HMODULE)(uintptr_t)&exe_module) return &exe_module;
  for (size_t m = 0; m < FW_COUNT(modules); m++) {
    if ((HMODULE)(uintptr_t)&modules[m] == h) return &modules[m];
  }
  return NULL;
}

static HMODULE module_handle(const fw_module_t *m) {
  return m == NULL ? NULL : (HMODULE)(uintptr_t)m;
}

/* The traced module: 0 for none, the program's own module 1, the DLLs 2.. */
static uint64_t module_index(const fw_module_t *m) {
  if (m == NULL) return 0;
  if (m == &exe_module) return 1;
  return (uint64_t)(m - modules) + 2;
}

/* FNV-1a of a procedure name: the trace cannot hold strings, and a
 * pointer to the name would not be deterministic. */
static uint32_t name_hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s != '\0'; s++) {
    h ^= (unsigned char)*s;
    h *= 16777619u;
  }
  return h;
}

/* ---- GetModuleHandle, LoadLibrary, FreeLibrary ------------------------------------- */

static HMODULE get_module(fw_thread_t *t, const fw_module_t *m, bool is_null_name) {
  if (is_null_name) return (HMODULE)(uintptr_t)&exe_module;
  if (m == NULL) {
    fw_set_error(t, ERROR_MOD_NOT_FOUND);
    return NULL;
  }
  return module_handle(m);
}

HMODULE fw_GetModuleHandleA(LPCSTR lpModuleName) {
  static sim_tracepoint_t tp = {"GetModuleHandleA", {{"name", 'p'}}, 'u', 0};
  fw_thread_t *t = fw_enter_local("GetModuleHandleA");
  const fw_module_t *m = lpModuleName ? module_by_a(lpModuleName) : NULL;
  HMODULE r = get_module(t, m, lpModuleName == NULL);
  FW_TRACE(&tp, t, lpModuleName == NULL ? 1 : module_index(m), FW_P(lpModuleName));
  return r;
}

HMODULE fw_GetModuleHandleW(LPCWSTR lpModuleName) {
  static sim_tracepoint_t tp = {"GetModuleHandleW", {{"name", 'p'}}, 'u', 0};
  fw_thread_t *t = fw_enter_local("GetModuleHandleW");
  const fw_module_t *m = lpModuleName ? module_by_w(lpModuleName) : NULL;
  HMODULE r = get_module(t, m, lpModuleName == NULL);
  FW_TRACE(&tp, t, lpModuleName == NULL ? 1 : module_index(m), FW_P(lpModuleName));
  return r;
}

/* LoadLibrary of a module that is already loaded returns its handle; the
 * fake loads nothing else. */
static HMODULE load_library(fw_thread_t *t, const fw_module_t *m) {
  if (m == NULL) {
    fw_set_error(t, ERROR_MOD_NOT_FOUND);
    return NULL;
  }
  return module_handle(m);
}

HMODULE fw_LoadLibraryA(LPCSTR lpLibFileName) {
  static sim_tracepoint_t tp = {"LoadLibraryA", {{"name", 'p'}}, 'u', 0};
  fw_thread_t *t = fw_enter("LoadLibraryA");
  const fw_module_t *m = lpLibFileName ? module_by_a(lpLibFileName) : NULL;
  HMODULE r = load_library(t, m);
  FW_TRACE(&tp, t, module_index(m), FW_P(lpLibFileName));
  return r;
}

HMODULE fw_LoadLibraryW(LPCWSTR lpLibFileName) {
  static sim_tracepoint_t tp = {"LoadLibraryW", {{"name", 'p'}}, 'u', 0};
  fw_thread_t *t = fw_enter("LoadLibraryW");
  const fw_module_t *m = lpLibFileName ? module_by_w(lpLibFileName) : NULL;
  HMODULE r = load_library(t, m);
  FW_TRACE(&tp, t, module_index(m), FW_P(lpLibFileName));
  return r;
}

/* The system DLLs stay loaded whatever the count (the program links them). */
BOOL fw_FreeLibrary(HMODULE hLibModule) {
  static sim_tracepoint_t tp = {"FreeLibrary", {{"module", 'u'}}, 'u', 0};
  fw_thread_t *t = fw_enter("FreeLibrary");
  const fw_module_t *m = hLibModule == NULL ? NULL : module_by_handle(hLibModule);
  BOOL r = m != NULL;
  if (!r) fw_set_error(t, ERROR_MOD_NOT_FOUND);
  FW_TRACE(&tp, t, r, module_index(m));
  return r;
}

/* ---- GetModuleFileName ------------------------------------------------------------------ */

static char image_path[260] = "C:\\iocpsim\\program.exe";

void fw_world_set_image_path(const char *path) {
  snprintf(image_path, sizeof image_path, "%s",
           path != NULL && *path ? path : "C:\\iocpsim\\program.exe");
}

/* The module's path into `out` (ASCII); 0 or ERROR_MOD_NOT_FOUND. */
static DWORD module_path(HMODULE h, char *out, size_t cap) {
  const fw_module_t *m = module_by_handle(h);
  if (m == NULL) return ERROR_MOD_NOT_FOUND;
  if (m == &exe_module)
    snprintf(out, cap, "%s", image_path);
  else
    snprintf(out, cap, "C:\\windows\\system32\\%s", m->name);
  return 0;
}

/* A path that does not fit: Windows Vista and later truncate it to nSize - 1
 * characters and terminate it; Windows XP and Wine 8.0 copy nSize characters
 * without a terminator (module_name_unterminated).  Either way the result is
 * nSize and the last error ERROR_INSUFFICIENT_BUFFER; otherwise the length
 * without the terminator. */
DWORD fw_GetModuleFileNameA(HMODULE hModule, LPSTR lpFilename, DWORD nSize) {
  static sim_tracepoint_t tp = {"GetModuleFileNameA", {{"module", 'u'}, {"size", 'u'}}, 'u', 0};
  fw_thread_t *t = fw_enter("GetModuleFileNameA");
  char path[300];
  DWORD r = 0, err = module_path(hModule, path, sizeof path);
  if (err == 0 && nSize > 0) {
    size_t len = strlen(path);
    if (len + 1 > nSize) {
      bool unterminated = fw_pers()->module_name_unterminated;
      memcpy(lpFilename, path, unterminated ? nSize : nSize - 1);
      if (!unterminated) lpFilename[nSize - 1] = '\0';
      r = nSize;
      err = ERROR_INSUFFICIENT_BUFFER;
    } else {
      memcpy(lpFilename, path, len + 1);
      r = (DWORD)len;
    }
  } else if (err == 0) {
    err = ERROR_INSUFFICIENT_BUFFER;
  }
  if (err) fw_set_error(t, err);
  FW_TRACE(&tp, t, r, module_index(module_by_handle(hModule)), nSize);
  return r;
}

DWORD fw_GetModuleFileNameW(HMODULE hModule, LPWSTR lpFilename, DWORD nSize) {
  static sim_tracepoint_t tp = {"GetModuleFileNameW", {{"module", 'u'}, {"size", 'u'}}, 'u', 0};
  fw_thread_t *t = fw_enter("GetModuleFileNameW");
  char path[300];
  DWORD r = 0, err = module_path(hModule, path, sizeof path);
  if (err == 0 && nSize > 0) {
    size_t len = strlen(path); /* ASCII paths: one unit per byte */
    bool unterminated = len + 1 > nSize && fw_pers()->module_name_unterminated;
    size_t n = len + 1 > nSize ? (unterminated ? nSize : nSize - 1) : len;
    for (size_t i = 0; i < n; i++) lpFilename[i] = (WCHAR)(uint8_t)path[i];
    if (!unterminated) lpFilename[n] = 0;
    if (len + 1 > nSize) {
      r = nSize;
      err = ERROR_INSUFFICIENT_BUFFER;
    } else {
      r = (DWORD)len;
    }
  } else if (err == 0) {
    err = ERROR_INSUFFICIENT_BUFFER;
  }
  if (err) fw_set_error(t, err);
  FW_TRACE(&tp, t, r, module_index(module_by_handle(hModule)), nSize);
  return r;
}

/* ---- GetProcAddress -------------------------------------------------------------------- */

static fw_any_fn find_export(const fw_export_t *list, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++) {
    if (strcmp(list[i].name, name) == 0) return list[i].fn;
  }
  return NULL;
}

FARPROC fw_GetProcAddress(HMODULE hModule, LPCSTR lpProcName) {
  static sim_tracepoint_t tp = {"GetProcAddress", {{"module", 'u'}, {"proc", 'x'}}, 'p', 0};
  fw_thread_t *t = fw_enter("GetProcAddress");
  /* An ordinal is a name pointer whose high bits are zero (MAKEINTRESOURCE);
   * the fake exports nothing by ordinal. */
  bool ordinal = ((uintptr_t)lpProcName >> 16) == 0;
  const char *name = ordinal ? NULL : lpProcName;
  const fw_module_t *m = module_by_handle(hModule);
  fw_any_fn fn = NULL;
  fw_fault_t f;
  if (fw_fault_check_proc(name, &f) && f.outcome == FW_FAULT_NULL) {
    fw_set_error(t, ERROR_PROC_NOT_FOUND);
  } else if (m == NULL) {
    fw_set_error(t, ERROR_MOD_NOT_FOUND);
  } else if (name != NULL) {
    fn = find_export(m->exports, m->n_exports, name);
    if (fn == NULL && fw_pers()->wine_version != NULL) {
      fn = find_export(m->wine_exports, m->n_wine_exports, name);
      if (fn != NULL) resolved_wine_version = fw_pers()->wine_version;
    }
    if (fn == NULL) fw_set_error(t, ERROR_PROC_NOT_FOUND);
  } else {
    fw_set_error(t, ERROR_PROC_NOT_FOUND);
  }
  FW_TRACE(&tp, t, FW_P(fn), module_index(m),
           name ? name_hash(name) : (uint64_t)(uintptr_t)lpProcName);
  return (FARPROC)fn;
}
