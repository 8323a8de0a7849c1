/* layout_probe.c: prints the layout of every Win32 type and the value of
 * every Win32 constant of the subset that fakewin/include declares, one fact
 * per line, in a fixed order.
 *
 * Built twice from this one source: natively against fakewin/include, and
 * with mingw-w64 against the real Windows headers (run under Wine).  The
 * conformance.layout test diffs the two outputs; any difference is a fakewin
 * bug (or a mingw deviation from the Windows SDK, listed below).
 *
 * Calls no Win32 function, so the native build needs no fakewin library.
 * Output format:
 *   sizeof(T)=N / alignof(T)=N / signed(T)=0|1   for every type
 *   offsetof(T,field)=N                          for every field
 *   NAME=value                                   for every constant; integers
 *       in decimal after conversion to long long (signed types) or unsigned
 *       long long (unsigned types), pointers as unsigned; GUIDs field by field
 *   expr=value                                   for a few macro computations
 *
 * Documented exclusions (mingw-w64 12 headers lack the name or deviate from
 * the Windows SDK): listed in DOC_ONLY() lines below; for those the native
 * build asserts the documented value at compile time and both builds print
 * the same line, so the diff cannot hide a change on the fakewin side. */
#define WIN32_NO_STATUS
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>
#include <windows.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <winternl.h> /* NTSTATUS and NT_SUCCESS live here on Windows; the native calls */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- Output ---------------------------------------------------------------- */

/* Own decimal formatting: the msvcrt printf of the mingw build and glibc's
 * must not be trusted to agree on long long conversions. */
static void put_line_u(const char *prefix, const char *name, const char *suffix, unsigned long long v, int neg) {
  char digits[32];
  int n = 0;
  do {
    digits[n++] = (char)('0' + (int)(v % 10));
    v /= 10;
  } while (v != 0);
  fputs(prefix, stdout);
  fputs(name, stdout);
  fputs(suffix, stdout);
  if (neg) {
    putchar('-');
  }
  while (n > 0) {
    putchar(digits[--n]);
  }
  putchar('\n');
}

static void put_s(const char *name, long long v) {
  if (v < 0) {
    put_line_u("", name, "=", 0ULL - (unsigned long long)v, 1);
  } else {
    put_line_u("", name, "=", (unsigned long long)v, 0);
  }
}

static void put_u(const char *name, unsigned long long v) {
  put_line_u("", name, "=", v, 0);
}

static void put_fact(const char *what, const char *name, unsigned long long v) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s(%s)=", what, name);
  put_line_u("", buf, "", v, 0);
}

/* An integer constant, printed by the signedness of its (promoted) type. */
#define C(X)                                                                                   \
  _Generic((X) + 0, int: put_s, long: put_s, long long: put_s, unsigned int: put_u,             \
           unsigned long: put_u, unsigned long long: put_u)(#X, (X))
/* A pointer-valued constant. */
#define CP(X) put_u(#X, (unsigned long long)(uintptr_t)(X))
/* A value computed by an expression (a macro applied to arguments). */
#define E(label, X)                                                                            \
  _Generic((X) + 0, int: put_s, long: put_s, long long: put_s, unsigned int: put_u,             \
           unsigned long: put_u, unsigned long long: put_u)(label, (X))

/* Size, alignment and signedness of a type.  The name is stringified at the
 * outer level: fakewin renames some Winsock types by macro (u_long ->
 * fw_u_long, to stay clear of glibc's BSD types) and the fact must carry the
 * SDK's name. */
#define T(Ty) T_(Ty, #Ty)
#define T_(Ty, name)                                                                           \
  do {                                                                                         \
    put_fact("sizeof", name, sizeof(Ty));                                                      \
    put_fact("alignof", name, _Alignof(Ty));                                                   \
  } while (0)
#define TI(Ty)                                                                                 \
  do {                                                                                         \
    T_(Ty, #Ty);                                                                               \
    put_fact("signed", #Ty, (unsigned long long)!((Ty)-1 > (Ty)0));                            \
  } while (0)
/* Offset of a field (nested designators allowed: u.LowPart). */
#define O(Ty, f) put_fact("offsetof", #Ty "," #f, offsetof(Ty, f))
/* Size of a field (arrays, nested structs). */
#define FS(Ty, f) put_fact("fieldsize", #Ty "," #f, sizeof(((Ty *)0)->f))

/* A GUID from its brace initialiser. */
#define G(X)                                                                                   \
  do {                                                                                         \
    static const GUID g_ = X;                                                                  \
    put_guid(#X, &g_);                                                                         \
  } while (0)

static void put_guid(const char *name, const GUID *g) {
  char buf[128];
  snprintf(buf, sizeof buf, "%s.Data1", name);
  put_u(buf, g->Data1);
  snprintf(buf, sizeof buf, "%s.Data2", name);
  put_u(buf, g->Data2);
  snprintf(buf, sizeof buf, "%s.Data3", name);
  put_u(buf, g->Data3);
  for (int i = 0; i < 8; i++) {
    snprintf(buf, sizeof buf, "%s.Data4[%d]", name, i);
    put_u(buf, g->Data4[i]);
  }
}

/* A name mingw-w64 lacks or defines differently from the Windows SDK:
 * fakewin's value is checked against the documentation at compile time and
 * the documented value is printed by both builds. */
#ifdef _WIN32
#define DOC_ONLY(X, V) put_s(#X "(documented)", (long long)(V))
#else
#define DOC_ONLY(X, V)                                                                         \
  do {                                                                                         \
    _Static_assert((X) == (V), #X " differs from the documented value");                       \
    put_s(#X "(documented)", (long long)(V));                                                  \
  } while (0)
#endif

/* ---- Types ------------------------------------------------------------------ */

static void probe_basic_types(void) {
  TI(CHAR);
  TI(UCHAR);
  TI(BYTE);
  TI(BOOLEAN);
  TI(SHORT);
  TI(USHORT);
  TI(WORD);
  TI(WCHAR);
  TI(INT);
  TI(UINT);
  TI(BOOL);
  TI(LONG);
  TI(ULONG);
  TI(DWORD);
  TI(LONGLONG);
  TI(ULONGLONG);
  TI(LONG64);
  TI(ULONG64);
  TI(DWORD64);
  TI(DWORDLONG);
  TI(INT8);
  TI(UINT8);
  TI(INT16);
  TI(UINT16);
  TI(INT32);
  TI(UINT32);
  TI(INT64);
  TI(UINT64);
  TI(LONG32);
  TI(ULONG32);
  TI(DWORD32);
  TI(INT_PTR);
  TI(UINT_PTR);
  TI(LONG_PTR);
  TI(ULONG_PTR);
  TI(DWORD_PTR);
  TI(SIZE_T);
  TI(SSIZE_T);
  TI(NTSTATUS);
  TI(HRESULT);
  TI(ACCESS_MASK);
  TI(LANGID);
  TI(SOCKET);
  TI(u_char);
  TI(u_short);
  TI(u_int);
  TI(u_long);
  TI(ADDRESS_FAMILY);
  TI(socklen_t);
  TI(GROUP);
  T(FLOAT);
  T(HANDLE);
  T(PVOID);
  T(LPVOID);
  T(LPCVOID);
  T(PHANDLE);
  T(HMODULE);
  T(HINSTANCE);
  T(HLOCAL);
  T(FARPROC);
  T(WSAEVENT);
  T(LPSTR);
  T(LPCSTR);
  T(LPWSTR);
  T(LPCWSTR);
  T(LPDWORD);
  T(PULONG_PTR);
  T(PLONG64);
  T(LPOVERLAPPED);
  T(LPOVERLAPPED_COMPLETION_ROUTINE);
  T(LPWSAOVERLAPPED_COMPLETION_ROUTINE);
  T(LPTHREAD_START_ROUTINE);
  T(PTHREAD_START_ROUTINE);
  T(PAPCFUNC);
  T(PINIT_ONCE_FN);
  T(LPFN_ACCEPTEX);
  T(LPFN_CONNECTEX);
  T(LPFN_GETACCEPTEXSOCKADDRS);
  T(LPFN_WSARECVMSG);
  T(LPFN_WSASENDMSG);
  T(LPFN_DISCONNECTEX);
  T(LPFN_TRANSMITFILE);
  T(FILE_INFO_BY_HANDLE_CLASS);
  /* IPPROTO (the SDK's enum type of the IPPROTO_ values) is absent from
   * mingw-w64, which has the values as plain macros: not probed. */
  T(SCOPE_LEVEL);
}

static void probe_base_structs(void) {
  T(LARGE_INTEGER);
  O(LARGE_INTEGER, LowPart);
  O(LARGE_INTEGER, HighPart);
  O(LARGE_INTEGER, u.LowPart);
  O(LARGE_INTEGER, u.HighPart);
  O(LARGE_INTEGER, QuadPart);
  T(ULARGE_INTEGER);
  O(ULARGE_INTEGER, LowPart);
  O(ULARGE_INTEGER, HighPart);
  O(ULARGE_INTEGER, u.LowPart);
  O(ULARGE_INTEGER, u.HighPart);
  O(ULARGE_INTEGER, QuadPart);

  T(FILETIME);
  O(FILETIME, dwLowDateTime);
  O(FILETIME, dwHighDateTime);

  T(SYSTEMTIME);
  O(SYSTEMTIME, wYear);
  O(SYSTEMTIME, wMonth);
  O(SYSTEMTIME, wDayOfWeek);
  O(SYSTEMTIME, wDay);
  O(SYSTEMTIME, wHour);
  O(SYSTEMTIME, wMinute);
  O(SYSTEMTIME, wSecond);
  O(SYSTEMTIME, wMilliseconds);

  T(GUID);
  O(GUID, Data1);
  O(GUID, Data2);
  O(GUID, Data3);
  O(GUID, Data4);
  FS(GUID, Data1);

  T(LIST_ENTRY);
  O(LIST_ENTRY, Flink);
  O(LIST_ENTRY, Blink);

  T(OVERLAPPED);
  O(OVERLAPPED, Internal);
  O(OVERLAPPED, InternalHigh);
  O(OVERLAPPED, Offset);
  O(OVERLAPPED, OffsetHigh);
  O(OVERLAPPED, Pointer);
  O(OVERLAPPED, hEvent);
  T(WSAOVERLAPPED);
  O(WSAOVERLAPPED, Internal);
  O(WSAOVERLAPPED, hEvent);

  T(OVERLAPPED_ENTRY);
  O(OVERLAPPED_ENTRY, lpCompletionKey);
  O(OVERLAPPED_ENTRY, lpOverlapped);
  O(OVERLAPPED_ENTRY, Internal);
  O(OVERLAPPED_ENTRY, dwNumberOfBytesTransferred);

  T(SECURITY_ATTRIBUTES);
  O(SECURITY_ATTRIBUTES, nLength);
  O(SECURITY_ATTRIBUTES, lpSecurityDescriptor);
  O(SECURITY_ATTRIBUTES, bInheritHandle);

  T(SRWLOCK);
  O(SRWLOCK, Ptr);
  T(CONDITION_VARIABLE);
  O(CONDITION_VARIABLE, Ptr);
  T(INIT_ONCE);
  O(INIT_ONCE, Ptr);

  T(RTL_CRITICAL_SECTION_DEBUG);
  O(RTL_CRITICAL_SECTION_DEBUG, Type);
  O(RTL_CRITICAL_SECTION_DEBUG, CreatorBackTraceIndex);
  O(RTL_CRITICAL_SECTION_DEBUG, CriticalSection);
  O(RTL_CRITICAL_SECTION_DEBUG, ProcessLocksList);
  O(RTL_CRITICAL_SECTION_DEBUG, EntryCount);
  O(RTL_CRITICAL_SECTION_DEBUG, ContentionCount);
  O(RTL_CRITICAL_SECTION_DEBUG, Flags);
  O(RTL_CRITICAL_SECTION_DEBUG, CreatorBackTraceIndexHigh);
  O(RTL_CRITICAL_SECTION_DEBUG, SpareWORD);
  T(CRITICAL_SECTION);
  O(CRITICAL_SECTION, DebugInfo);
  O(CRITICAL_SECTION, LockCount);
  O(CRITICAL_SECTION, RecursionCount);
  O(CRITICAL_SECTION, OwningThread);
  O(CRITICAL_SECTION, LockSemaphore);
  O(CRITICAL_SECTION, SpinCount);

  T(SYSTEM_INFO);
  O(SYSTEM_INFO, dwOemId);
  O(SYSTEM_INFO, wProcessorArchitecture);
  O(SYSTEM_INFO, wReserved);
  O(SYSTEM_INFO, dwPageSize);
  O(SYSTEM_INFO, lpMinimumApplicationAddress);
  O(SYSTEM_INFO, lpMaximumApplicationAddress);
  O(SYSTEM_INFO, dwActiveProcessorMask);
  O(SYSTEM_INFO, dwNumberOfProcessors);
  O(SYSTEM_INFO, dwProcessorType);
  O(SYSTEM_INFO, dwAllocationGranularity);
  O(SYSTEM_INFO, wProcessorLevel);
  O(SYSTEM_INFO, wProcessorRevision);

  T(BY_HANDLE_FILE_INFORMATION);
  O(BY_HANDLE_FILE_INFORMATION, dwFileAttributes);
  O(BY_HANDLE_FILE_INFORMATION, ftCreationTime);
  O(BY_HANDLE_FILE_INFORMATION, ftLastAccessTime);
  O(BY_HANDLE_FILE_INFORMATION, ftLastWriteTime);
  O(BY_HANDLE_FILE_INFORMATION, dwVolumeSerialNumber);
  O(BY_HANDLE_FILE_INFORMATION, nFileSizeHigh);
  O(BY_HANDLE_FILE_INFORMATION, nFileSizeLow);
  O(BY_HANDLE_FILE_INFORMATION, nNumberOfLinks);
  O(BY_HANDLE_FILE_INFORMATION, nFileIndexHigh);
  O(BY_HANDLE_FILE_INFORMATION, nFileIndexLow);

  T(FILE_BASIC_INFO);
  O(FILE_BASIC_INFO, CreationTime);
  O(FILE_BASIC_INFO, LastAccessTime);
  O(FILE_BASIC_INFO, LastWriteTime);
  O(FILE_BASIC_INFO, ChangeTime);
  O(FILE_BASIC_INFO, FileAttributes);
  T(FILE_STANDARD_INFO);
  O(FILE_STANDARD_INFO, AllocationSize);
  O(FILE_STANDARD_INFO, EndOfFile);
  O(FILE_STANDARD_INFO, NumberOfLinks);
  O(FILE_STANDARD_INFO, DeletePending);
  O(FILE_STANDARD_INFO, Directory);
  T(FILE_END_OF_FILE_INFO);
  O(FILE_END_OF_FILE_INFO, EndOfFile);
  T(FILE_ATTRIBUTE_TAG_INFO);
  O(FILE_ATTRIBUTE_TAG_INFO, FileAttributes);
  O(FILE_ATTRIBUTE_TAG_INFO, ReparseTag);

  T(CONSOLE_READCONSOLE_CONTROL);
  O(CONSOLE_READCONSOLE_CONTROL, nLength);
  O(CONSOLE_READCONSOLE_CONTROL, nInitialChars);
  O(CONSOLE_READCONSOLE_CONTROL, dwCtrlWakeupMask);
  O(CONSOLE_READCONSOLE_CONTROL, dwControlKeyState);
}

static void probe_winsock_structs(void) {
  T(WSADATA);
  O(WSADATA, wVersion);
  O(WSADATA, wHighVersion);
  O(WSADATA, iMaxSockets);
  O(WSADATA, iMaxUdpDg);
  O(WSADATA, lpVendorInfo);
  O(WSADATA, szDescription);
  O(WSADATA, szSystemStatus);
  FS(WSADATA, szDescription);
  FS(WSADATA, szSystemStatus);

  T(WSABUF);
  O(WSABUF, len);
  O(WSABUF, buf);

  T(WSAPROTOCOLCHAIN);
  O(WSAPROTOCOLCHAIN, ChainLen);
  O(WSAPROTOCOLCHAIN, ChainEntries);
  FS(WSAPROTOCOLCHAIN, ChainEntries);

  T(WSAPROTOCOL_INFOW);
  O(WSAPROTOCOL_INFOW, dwServiceFlags1);
  O(WSAPROTOCOL_INFOW, dwServiceFlags2);
  O(WSAPROTOCOL_INFOW, dwServiceFlags3);
  O(WSAPROTOCOL_INFOW, dwServiceFlags4);
  O(WSAPROTOCOL_INFOW, dwProviderFlags);
  O(WSAPROTOCOL_INFOW, ProviderId);
  O(WSAPROTOCOL_INFOW, dwCatalogEntryId);
  O(WSAPROTOCOL_INFOW, ProtocolChain);
  O(WSAPROTOCOL_INFOW, iVersion);
  O(WSAPROTOCOL_INFOW, iAddressFamily);
  O(WSAPROTOCOL_INFOW, iMaxSockAddr);
  O(WSAPROTOCOL_INFOW, iMinSockAddr);
  O(WSAPROTOCOL_INFOW, iSocketType);
  O(WSAPROTOCOL_INFOW, iProtocol);
  O(WSAPROTOCOL_INFOW, iProtocolMaxOffset);
  O(WSAPROTOCOL_INFOW, iNetworkByteOrder);
  O(WSAPROTOCOL_INFOW, iSecurityScheme);
  O(WSAPROTOCOL_INFOW, dwMessageSize);
  O(WSAPROTOCOL_INFOW, dwProviderReserved);
  O(WSAPROTOCOL_INFOW, szProtocol);
  FS(WSAPROTOCOL_INFOW, szProtocol);
  T(WSAPROTOCOL_INFOA);
  O(WSAPROTOCOL_INFOA, dwProviderReserved);
  O(WSAPROTOCOL_INFOA, szProtocol);
  FS(WSAPROTOCOL_INFOA, szProtocol);

  T(struct sockaddr);
  T(SOCKADDR);
  O(SOCKADDR, sa_family);
  O(SOCKADDR, sa_data);
  FS(SOCKADDR, sa_data);

  T(IN_ADDR);
  O(IN_ADDR, S_un);
  O(IN_ADDR, S_un.S_un_b.s_b1);
  O(IN_ADDR, S_un.S_un_b.s_b2);
  O(IN_ADDR, S_un.S_un_b.s_b3);
  O(IN_ADDR, S_un.S_un_b.s_b4);
  O(IN_ADDR, S_un.S_un_w.s_w1);
  O(IN_ADDR, S_un.S_un_w.s_w2);
  O(IN_ADDR, S_un.S_addr);
  O(IN_ADDR, s_addr);
  O(IN_ADDR, s_host);
  O(IN_ADDR, s_net);
  O(IN_ADDR, s_imp);
  O(IN_ADDR, s_impno);
  O(IN_ADDR, s_lh);

  T(struct sockaddr_in);
  T(SOCKADDR_IN);
  O(SOCKADDR_IN, sin_family);
  O(SOCKADDR_IN, sin_port);
  O(SOCKADDR_IN, sin_addr);
  O(SOCKADDR_IN, sin_zero);

  T(IN6_ADDR);
  O(IN6_ADDR, u.Byte);
  O(IN6_ADDR, u.Word);
  O(IN6_ADDR, s6_addr);
  O(IN6_ADDR, s6_words);
  FS(IN6_ADDR, s6_addr);
  FS(IN6_ADDR, s6_words);

  T(SCOPE_ID);
  O(SCOPE_ID, Value);
  {
    SCOPE_ID id;
    id.Value = 0;
    id.Zone = 0x1234567;
    id.Level = 0xA;
    E("SCOPE_ID{Zone=0x1234567,Level=0xA}.Value", id.Value);
  }

  T(struct sockaddr_in6);
  T(SOCKADDR_IN6);
  O(SOCKADDR_IN6, sin6_family);
  O(SOCKADDR_IN6, sin6_port);
  O(SOCKADDR_IN6, sin6_flowinfo);
  O(SOCKADDR_IN6, sin6_addr);
  O(SOCKADDR_IN6, sin6_scope_id);
  O(SOCKADDR_IN6, sin6_scope_struct);

  T(SOCKADDR_STORAGE);
  T(struct sockaddr_storage);
  O(SOCKADDR_STORAGE, ss_family);
  O(SOCKADDR_STORAGE, __ss_pad1);
  O(SOCKADDR_STORAGE, __ss_align);
  O(SOCKADDR_STORAGE, __ss_pad2);

  T(SOCKADDR_INET);
  O(SOCKADDR_INET, Ipv4);
  O(SOCKADDR_INET, Ipv6);
  O(SOCKADDR_INET, si_family);

  T(struct linger);
  T(LINGER);
  O(LINGER, l_onoff);
  O(LINGER, l_linger);
  FS(LINGER, l_onoff);

  T(struct timeval);
  O(struct timeval, tv_sec);
  O(struct timeval, tv_usec);

  T(fd_set);
  O(fd_set, fd_count);
  O(fd_set, fd_array);
  FS(fd_set, fd_array);

  T(WSAMSG);
  O(WSAMSG, name);
  O(WSAMSG, namelen);
  O(WSAMSG, lpBuffers);
  O(WSAMSG, dwBufferCount);
  O(WSAMSG, Control);
  O(WSAMSG, dwFlags);

  T(WSACMSGHDR);
  O(WSACMSGHDR, cmsg_len);
  O(WSACMSGHDR, cmsg_level);
  O(WSACMSGHDR, cmsg_type);
  E("WSA_CMSG_LEN(4)", WSA_CMSG_LEN(4));
  E("WSA_CMSG_SPACE(4)", WSA_CMSG_SPACE(4));
  E("WSA_CMSG_SPACE(20)", WSA_CMSG_SPACE(20));

  T(WSANETWORKEVENTS);
  O(WSANETWORKEVENTS, lNetworkEvents);
  O(WSANETWORKEVENTS, iErrorCode);

  T(IP_MREQ);
  O(IP_MREQ, imr_multiaddr);
  O(IP_MREQ, imr_interface);
  T(IPV6_MREQ);
  O(IPV6_MREQ, ipv6mr_multiaddr);
  O(IPV6_MREQ, ipv6mr_interface);
  T(IN_PKTINFO);
  O(IN_PKTINFO, ipi_addr);
  O(IN_PKTINFO, ipi_ifindex);
  T(IN6_PKTINFO);
  O(IN6_PKTINFO, ipi6_addr);
  O(IN6_PKTINFO, ipi6_ifindex);

  T(ADDRINFOA);
  T(struct addrinfo);
  O(ADDRINFOA, ai_flags);
  O(ADDRINFOA, ai_family);
  O(ADDRINFOA, ai_socktype);
  O(ADDRINFOA, ai_protocol);
  O(ADDRINFOA, ai_addrlen);
  O(ADDRINFOA, ai_canonname);
  O(ADDRINFOA, ai_addr);
  O(ADDRINFOA, ai_next);
  T(ADDRINFOW);
  O(ADDRINFOW, ai_canonname);
  O(ADDRINFOW, ai_next);

  T(TRANSMIT_FILE_BUFFERS);
  O(TRANSMIT_FILE_BUFFERS, Head);
  O(TRANSMIT_FILE_BUFFERS, HeadLength);
  O(TRANSMIT_FILE_BUFFERS, Tail);
  O(TRANSMIT_FILE_BUFFERS, TailLength);

  T(struct tcp_keepalive);
  O(struct tcp_keepalive, onoff);
  O(struct tcp_keepalive, keepalivetime);
  O(struct tcp_keepalive, keepaliveinterval);
}

/* ---- Constants -------------------------------------------------------------- */

static void probe_base_constants(void) {
  C(TRUE);
  C(FALSE);
  C(INFINITE);
  CP(INVALID_HANDLE_VALUE);
  C(INVALID_FILE_SIZE);
  C(INVALID_SET_FILE_POINTER);
  C(INVALID_FILE_ATTRIBUTES);
  C(WAIT_OBJECT_0);
  C(WAIT_ABANDONED);
  C(WAIT_ABANDONED_0);
  C(WAIT_TIMEOUT);
  C(WAIT_FAILED);
  C(WAIT_IO_COMPLETION);
  C(MAXIMUM_WAIT_OBJECTS);
  C(STILL_ACTIVE);
  C(CREATE_SUSPENDED);
  C(STACK_SIZE_PARAM_IS_A_RESERVATION);
  C(TLS_OUT_OF_INDEXES);
  C(CREATE_MUTEX_INITIAL_OWNER);
  C(CREATE_EVENT_MANUAL_RESET);
  C(CREATE_EVENT_INITIAL_SET);
  C(CONDITION_VARIABLE_LOCKMODE_SHARED);
  C(INIT_ONCE_CHECK_ONLY);
  C(INIT_ONCE_ASYNC);
  C(INIT_ONCE_INIT_FAILED);
  C(INIT_ONCE_CTX_RESERVED_BITS);
  C(THREAD_PRIORITY_LOWEST);
  C(THREAD_PRIORITY_BELOW_NORMAL);
  C(THREAD_PRIORITY_NORMAL);
  C(THREAD_PRIORITY_ABOVE_NORMAL);
  C(THREAD_PRIORITY_HIGHEST);
  C(THREAD_PRIORITY_TIME_CRITICAL);
  C(THREAD_PRIORITY_IDLE);
  C(DUPLICATE_CLOSE_SOURCE);
  C(DUPLICATE_SAME_ACCESS);
  C(HANDLE_FLAG_INHERIT);
  C(HANDLE_FLAG_PROTECT_FROM_CLOSE);
  C(HEAP_NO_SERIALIZE);
  C(HEAP_GENERATE_EXCEPTIONS);
  C(HEAP_ZERO_MEMORY);
  C(LMEM_FIXED);
  C(LMEM_ZEROINIT);
  C(LPTR);
  C(FORMAT_MESSAGE_ALLOCATE_BUFFER);
  C(FORMAT_MESSAGE_IGNORE_INSERTS);
  C(FORMAT_MESSAGE_FROM_STRING);
  C(FORMAT_MESSAGE_FROM_HMODULE);
  C(FORMAT_MESSAGE_FROM_SYSTEM);
  C(FORMAT_MESSAGE_ARGUMENT_ARRAY);
  C(FORMAT_MESSAGE_MAX_WIDTH_MASK);
  C(LANG_NEUTRAL);
  C(LANG_ENGLISH);
  C(SUBLANG_NEUTRAL);
  C(SUBLANG_DEFAULT);
  C(SUBLANG_ENGLISH_US);
  C(PROCESSOR_ARCHITECTURE_INTEL);
  C(PROCESSOR_ARCHITECTURE_ARM);
  C(PROCESSOR_ARCHITECTURE_AMD64);
  C(PROCESSOR_ARCHITECTURE_ARM64);
  C(PROCESSOR_ARCHITECTURE_UNKNOWN);

  C(MINCHAR);
  C(MAXCHAR);
  C(MINSHORT);
  C(MAXSHORT);
  C(MINLONG);
  C(MAXLONG);
  C(MAXBYTE);
  C(MAXWORD);
  C(MAXDWORD);
  C(MAXLONGLONG);
  C(MAXULONG_PTR);
  C(MAXLONG_PTR);
  C(MINLONG_PTR);
  C(MAXSIZE_T);
  C(MAX_PATH);

  C(DELETE);
  C(READ_CONTROL);
  C(WRITE_DAC);
  C(WRITE_OWNER);
  C(SYNCHRONIZE);
  C(STANDARD_RIGHTS_REQUIRED);
  C(STANDARD_RIGHTS_READ);
  C(STANDARD_RIGHTS_WRITE);
  C(STANDARD_RIGHTS_EXECUTE);
  C(STANDARD_RIGHTS_ALL);
  C(SPECIFIC_RIGHTS_ALL);
  C(ACCESS_SYSTEM_SECURITY);
  C(MAXIMUM_ALLOWED);
  C(GENERIC_READ);
  C(GENERIC_WRITE);
  C(GENERIC_EXECUTE);
  C(GENERIC_ALL);
  C(EVENT_MODIFY_STATE);
  C(EVENT_ALL_ACCESS);
  C(SEMAPHORE_MODIFY_STATE);
  C(SEMAPHORE_ALL_ACCESS);
  C(MUTANT_QUERY_STATE);
  C(MUTANT_ALL_ACCESS);
  C(MUTEX_MODIFY_STATE);
  C(MUTEX_ALL_ACCESS);
  C(THREAD_TERMINATE);
  C(THREAD_SUSPEND_RESUME);
  C(THREAD_QUERY_INFORMATION);
  C(THREAD_ALL_ACCESS);
  C(FILE_READ_DATA);
  C(FILE_LIST_DIRECTORY);
  C(FILE_WRITE_DATA);
  C(FILE_ADD_FILE);
  C(FILE_APPEND_DATA);
  C(FILE_ADD_SUBDIRECTORY);
  C(FILE_CREATE_PIPE_INSTANCE);
  C(FILE_READ_EA);
  C(FILE_WRITE_EA);
  C(FILE_EXECUTE);
  C(FILE_TRAVERSE);
  C(FILE_DELETE_CHILD);
  C(FILE_READ_ATTRIBUTES);
  C(FILE_WRITE_ATTRIBUTES);
  C(FILE_ALL_ACCESS);
  C(FILE_GENERIC_READ);
  C(FILE_GENERIC_WRITE);
  C(FILE_GENERIC_EXECUTE);

  C(FILE_SHARE_READ);
  C(FILE_SHARE_WRITE);
  C(FILE_SHARE_DELETE);
  C(CREATE_NEW);
  C(CREATE_ALWAYS);
  C(OPEN_EXISTING);
  C(OPEN_ALWAYS);
  C(TRUNCATE_EXISTING);
  C(FILE_ATTRIBUTE_READONLY);
  C(FILE_ATTRIBUTE_HIDDEN);
  C(FILE_ATTRIBUTE_SYSTEM);
  C(FILE_ATTRIBUTE_DIRECTORY);
  C(FILE_ATTRIBUTE_ARCHIVE);
  C(FILE_ATTRIBUTE_DEVICE);
  C(FILE_ATTRIBUTE_NORMAL);
  C(FILE_ATTRIBUTE_TEMPORARY);
  C(FILE_ATTRIBUTE_SPARSE_FILE);
  C(FILE_ATTRIBUTE_REPARSE_POINT);
  C(FILE_ATTRIBUTE_COMPRESSED);
  C(FILE_ATTRIBUTE_OFFLINE);
  C(FILE_ATTRIBUTE_NOT_CONTENT_INDEXED);
  C(FILE_ATTRIBUTE_ENCRYPTED);
  C(FILE_FLAG_WRITE_THROUGH);
  C(FILE_FLAG_OVERLAPPED);
  C(FILE_FLAG_NO_BUFFERING);
  C(FILE_FLAG_RANDOM_ACCESS);
  C(FILE_FLAG_SEQUENTIAL_SCAN);
  C(FILE_FLAG_DELETE_ON_CLOSE);
  C(FILE_FLAG_BACKUP_SEMANTICS);
  C(FILE_FLAG_POSIX_SEMANTICS);
  C(FILE_FLAG_OPEN_REPARSE_POINT);
  C(FILE_FLAG_OPEN_NO_RECALL);
  C(FILE_FLAG_FIRST_PIPE_INSTANCE);
  C(FILE_BEGIN);
  C(FILE_CURRENT);
  C(FILE_END);
  C(FILE_TYPE_UNKNOWN);
  C(FILE_TYPE_DISK);
  C(FILE_TYPE_CHAR);
  C(FILE_TYPE_PIPE);
  C(FILE_TYPE_REMOTE);
  C(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
  C(FILE_SKIP_SET_EVENT_ON_HANDLE);
  C(STD_INPUT_HANDLE);
  C(STD_OUTPUT_HANDLE);
  C(STD_ERROR_HANDLE);
  C(PIPE_ACCESS_INBOUND);
  C(PIPE_ACCESS_OUTBOUND);
  C(PIPE_ACCESS_DUPLEX);
  C(PIPE_CLIENT_END);
  C(PIPE_SERVER_END);
  /* winternl.h: the native calls' structures (FSCTL_PIPE_PEEK and its
   * buffer are ntifs.h's, which a user-mode program does not include) */
  T(IO_STATUS_BLOCK);
  O(IO_STATUS_BLOCK, Information);
  T(FILE_ACCESS_INFORMATION);
  C(FileAccessInformation);
  DOC_ONLY(FSCTL_PIPE_PEEK, 0x0011400C);
  C(PIPE_WAIT);
  C(PIPE_NOWAIT);
  C(PIPE_READMODE_BYTE);
  C(PIPE_READMODE_MESSAGE);
  C(PIPE_TYPE_BYTE);
  C(PIPE_TYPE_MESSAGE);
  C(PIPE_ACCEPT_REMOTE_CLIENTS);
  C(PIPE_REJECT_REMOTE_CLIENTS);
  C(PIPE_UNLIMITED_INSTANCES);
  C(NMPWAIT_WAIT_FOREVER);
  C(NMPWAIT_NOWAIT);
  C(NMPWAIT_USE_DEFAULT_WAIT);
  C(ENABLE_PROCESSED_INPUT);
  C(ENABLE_LINE_INPUT);
  C(ENABLE_ECHO_INPUT);
  C(ENABLE_WINDOW_INPUT);
  C(ENABLE_MOUSE_INPUT);
  C(ENABLE_INSERT_MODE);
  C(ENABLE_QUICK_EDIT_MODE);
  C(ENABLE_EXTENDED_FLAGS);
  C(ENABLE_AUTO_POSITION);
  C(ENABLE_VIRTUAL_TERMINAL_INPUT);
  C(ENABLE_PROCESSED_OUTPUT);
  C(ENABLE_WRAP_AT_EOL_OUTPUT);
  C(ENABLE_VIRTUAL_TERMINAL_PROCESSING);
  C(DISABLE_NEWLINE_AUTO_RETURN);
  C(ENABLE_LVB_GRID_WORLDWIDE);

  C(FileBasicInfo);
  C(FileStandardInfo);
  C(FileNameInfo);
  C(FileRenameInfo);
  C(FileDispositionInfo);
  C(FileAllocationInfo);
  C(FileEndOfFileInfo);
  C(FileStreamInfo);
  C(FileCompressionInfo);
  C(FileAttributeTagInfo);
  C(FileIdBothDirectoryInfo);
  C(FileIdBothDirectoryRestartInfo);
  C(FileIoPriorityHintInfo);
  C(FileRemoteProtocolInfo);
  C(FileFullDirectoryInfo);
  C(FileFullDirectoryRestartInfo);
  C(FileStorageInfo);
  C(FileAlignmentInfo);
  C(FileIdInfo);
  C(FileIdExtdDirectoryInfo);
  C(FileIdExtdDirectoryRestartInfo);
  /* mingw-w64 leaves out FileDispositionInfoEx/FileRenameInfoEx below
   * _WIN32_WINNT 0x0A000002, which shifts the rest down by two. */
  DOC_ONLY(FileDispositionInfoEx, 21);
  DOC_ONLY(FileRenameInfoEx, 22);
  DOC_ONLY(FileCaseSensitiveInfo, 23);
  DOC_ONLY(FileNormalizedNameInfo, 24);
  DOC_ONLY(MaximumFileInfoByHandleClass, 25);
}

static void probe_error_constants(void) {
  C(NO_ERROR);
  C(ERROR_SUCCESS);
  C(ERROR_INVALID_FUNCTION);
  C(ERROR_FILE_NOT_FOUND);
  C(ERROR_PATH_NOT_FOUND);
  C(ERROR_TOO_MANY_OPEN_FILES);
  C(ERROR_ACCESS_DENIED);
  C(ERROR_INVALID_HANDLE);
  C(ERROR_NOT_ENOUGH_MEMORY);
  C(ERROR_INVALID_BLOCK);
  C(ERROR_INVALID_ACCESS);
  C(ERROR_INVALID_DATA);
  C(ERROR_OUTOFMEMORY);
  C(ERROR_INVALID_DRIVE);
  C(ERROR_NOT_SAME_DEVICE);
  C(ERROR_NO_MORE_FILES);
  C(ERROR_WRITE_PROTECT);
  C(ERROR_NOT_READY);
  C(ERROR_BAD_COMMAND);
  C(ERROR_BAD_LENGTH);
  C(ERROR_SEEK);
  C(ERROR_WRITE_FAULT);
  C(ERROR_READ_FAULT);
  C(ERROR_GEN_FAILURE);
  C(ERROR_SHARING_VIOLATION);
  C(ERROR_LOCK_VIOLATION);
  C(ERROR_HANDLE_EOF);
  C(ERROR_HANDLE_DISK_FULL);
  C(ERROR_NOT_SUPPORTED);
  C(ERROR_BAD_NETPATH);
  C(ERROR_NETWORK_BUSY);
  C(ERROR_DEV_NOT_EXIST);
  C(ERROR_UNEXP_NET_ERR);
  C(ERROR_NETNAME_DELETED);
  C(ERROR_NETWORK_ACCESS_DENIED);
  C(ERROR_BAD_DEV_TYPE);
  C(ERROR_BAD_NET_NAME);
  C(ERROR_FILE_EXISTS);
  C(ERROR_CANNOT_MAKE);
  C(ERROR_INVALID_PARAMETER);
  C(ERROR_TOO_MANY_SEMAPHORES);
  C(ERROR_EXCL_SEM_ALREADY_OWNED);
  C(ERROR_SEM_IS_SET);
  C(ERROR_TOO_MANY_SEM_REQUESTS);
  C(ERROR_BROKEN_PIPE);
  C(ERROR_OPEN_FAILED);
  C(ERROR_BUFFER_OVERFLOW);
  C(ERROR_DISK_FULL);
  C(ERROR_CALL_NOT_IMPLEMENTED);
  C(ERROR_SEM_TIMEOUT);
  C(ERROR_INSUFFICIENT_BUFFER);
  C(ERROR_INVALID_NAME);
  C(ERROR_MOD_NOT_FOUND);
  C(ERROR_PROC_NOT_FOUND);
  C(ERROR_WAIT_NO_CHILDREN);
  C(ERROR_NEGATIVE_SEEK);
  C(ERROR_DIR_NOT_EMPTY);
  C(ERROR_BAD_PATHNAME);
  C(ERROR_BUSY);
  C(ERROR_ALREADY_EXISTS);
  C(ERROR_SEM_NOT_FOUND);
  C(ERROR_BAD_EXE_FORMAT);
  C(ERROR_ENVVAR_NOT_FOUND);
  C(ERROR_FILENAME_EXCED_RANGE);
  C(ERROR_PIPE_LOCAL);
  C(ERROR_BAD_PIPE);
  C(ERROR_PIPE_BUSY);
  C(ERROR_NO_DATA);
  C(ERROR_PIPE_NOT_CONNECTED);
  C(ERROR_MORE_DATA);
  C(ERROR_NO_MORE_ITEMS);
  C(ERROR_DIRECTORY);
  C(ERROR_NOT_OWNER);
  C(ERROR_TOO_MANY_POSTS);
  C(ERROR_PARTIAL_COPY);
  DOC_ONLY(ERROR_OPERATION_IN_PROGRESS, 329); /* absent from mingw-w64 */
  C(ERROR_INVALID_ADDRESS);
  C(ERROR_ARITHMETIC_OVERFLOW);
  C(ERROR_PIPE_CONNECTED);
  C(ERROR_PIPE_LISTENING);
  DOC_ONLY(ERROR_CANT_WAIT, 554);      /* absent from mingw-w64 */
  DOC_ONLY(ERROR_HANDLES_CLOSED, 676); /* absent from mingw-w64 */
  C(ERROR_ABANDONED_WAIT_0);
  C(ERROR_OPERATION_ABORTED);
  C(ERROR_IO_INCOMPLETE);
  C(ERROR_IO_PENDING);
  C(ERROR_NOACCESS);
  C(ERROR_STACK_OVERFLOW);
  C(ERROR_INVALID_MESSAGE);
  C(ERROR_CAN_NOT_COMPLETE);
  C(ERROR_INVALID_FLAGS);
  C(ERROR_NO_TOKEN);
  C(ERROR_DLL_INIT_FAILED);
  C(ERROR_IO_DEVICE);
  C(ERROR_NOT_FOUND);
  C(ERROR_CANCELLED);
  C(ERROR_CONNECTION_REFUSED);
  C(ERROR_GRACEFUL_DISCONNECT);
  C(ERROR_ADDRESS_ALREADY_ASSOCIATED);
  C(ERROR_ADDRESS_NOT_ASSOCIATED);
  C(ERROR_CONNECTION_INVALID);
  C(ERROR_CONNECTION_ACTIVE);
  C(ERROR_NETWORK_UNREACHABLE);
  C(ERROR_HOST_UNREACHABLE);
  C(ERROR_PROTOCOL_UNREACHABLE);
  C(ERROR_PORT_UNREACHABLE);
  C(ERROR_REQUEST_ABORTED);
  C(ERROR_CONNECTION_ABORTED);
  C(ERROR_RETRY);
  C(ERROR_CONNECTION_COUNT_LIMIT);
  C(ERROR_ALREADY_INITIALIZED);
  C(ERROR_PRIVILEGE_NOT_HELD);
  C(ERROR_NO_SYSTEM_RESOURCES);
  C(ERROR_NONPAGED_SYSTEM_RESOURCES);
  C(ERROR_PAGED_SYSTEM_RESOURCES);
  C(ERROR_WORKING_SET_QUOTA);
  C(ERROR_PAGEFILE_QUOTA);
  C(ERROR_TIMEOUT);
  C(ERROR_INVALID_HANDLE_STATE);
  C(ERROR_INVALID_USER_BUFFER);
  C(ERROR_NOT_ENOUGH_QUOTA);
  C(ERROR_NOT_CONNECTED);
  C(ERROR_INVALID_OPERATION);

  C(S_OK);
  C(S_FALSE);
  C(E_FAIL);
  C(E_INVALIDARG);
  C(E_OUTOFMEMORY);

  C(WSABASEERR);
  C(WSAEINTR);
  C(WSAEBADF);
  C(WSAEACCES);
  C(WSAEFAULT);
  C(WSAEINVAL);
  C(WSAEMFILE);
  C(WSAEWOULDBLOCK);
  C(WSAEINPROGRESS);
  C(WSAEALREADY);
  C(WSAENOTSOCK);
  C(WSAEDESTADDRREQ);
  C(WSAEMSGSIZE);
  C(WSAEPROTOTYPE);
  C(WSAENOPROTOOPT);
  C(WSAEPROTONOSUPPORT);
  C(WSAESOCKTNOSUPPORT);
  C(WSAEOPNOTSUPP);
  C(WSAEPFNOSUPPORT);
  C(WSAEAFNOSUPPORT);
  C(WSAEADDRINUSE);
  C(WSAEADDRNOTAVAIL);
  C(WSAENETDOWN);
  C(WSAENETUNREACH);
  C(WSAENETRESET);
  C(WSAECONNABORTED);
  C(WSAECONNRESET);
  C(WSAENOBUFS);
  C(WSAEISCONN);
  C(WSAENOTCONN);
  C(WSAESHUTDOWN);
  C(WSAETOOMANYREFS);
  C(WSAETIMEDOUT);
  C(WSAECONNREFUSED);
  C(WSAELOOP);
  C(WSAENAMETOOLONG);
  C(WSAEHOSTDOWN);
  C(WSAEHOSTUNREACH);
  C(WSAENOTEMPTY);
  C(WSAEPROCLIM);
  C(WSAEUSERS);
  C(WSAEDQUOT);
  C(WSAESTALE);
  C(WSAEREMOTE);
  C(WSASYSNOTREADY);
  C(WSAVERNOTSUPPORTED);
  C(WSANOTINITIALISED);
  C(WSAEDISCON);
  C(WSAENOMORE);
  C(WSAECANCELLED);
  C(WSAEINVALIDPROCTABLE);
  C(WSAEINVALIDPROVIDER);
  C(WSAEPROVIDERFAILEDINIT);
  C(WSASYSCALLFAILURE);
  C(WSASERVICE_NOT_FOUND);
  C(WSATYPE_NOT_FOUND);
  C(WSA_E_NO_MORE);
  C(WSA_E_CANCELLED);
  C(WSAEREFUSED);
  C(WSAHOST_NOT_FOUND);
  C(WSATRY_AGAIN);
  C(WSANO_RECOVERY);
  C(WSANO_DATA);
  C(WSANO_ADDRESS);
  C(WSA_IO_PENDING);
  C(WSA_IO_INCOMPLETE);
  C(WSA_INVALID_HANDLE);
  C(WSA_INVALID_PARAMETER);
  C(WSA_NOT_ENOUGH_MEMORY);
  C(WSA_OPERATION_ABORTED);
  CP(WSA_INVALID_EVENT);
  C(WSA_MAXIMUM_WAIT_EVENTS);
  C(WSA_WAIT_FAILED);
  C(WSA_WAIT_EVENT_0);
  C(WSA_WAIT_IO_COMPLETION);
  C(WSA_WAIT_TIMEOUT);
  C(WSA_INFINITE);
}

static void probe_status_constants(void) {
  C(STATUS_SUCCESS);
  C(STATUS_WAIT_0);
  C(STATUS_WAIT_1);
  C(STATUS_WAIT_2);
  C(STATUS_WAIT_3);
  C(STATUS_WAIT_63);
  C(STATUS_ABANDONED);
  C(STATUS_ABANDONED_WAIT_0);
  C(STATUS_ABANDONED_WAIT_63);
  C(STATUS_USER_APC);
  C(STATUS_KERNEL_APC);
  C(STATUS_ALERTED);
  C(STATUS_TIMEOUT);
  C(STATUS_PENDING);
  C(STATUS_REPARSE);
  C(STATUS_MORE_ENTRIES);
  C(STATUS_NOT_ALL_ASSIGNED);
  C(STATUS_SOME_NOT_MAPPED);
  C(DBG_EXCEPTION_HANDLED);
  C(DBG_CONTINUE);
  C(STATUS_OBJECT_NAME_EXISTS);
  C(STATUS_SEGMENT_NOTIFICATION);
  C(STATUS_FATAL_APP_EXIT);
  C(DBG_TERMINATE_THREAD);
  C(DBG_TERMINATE_PROCESS);
  C(DBG_CONTROL_C);
  C(DBG_PRINTEXCEPTION_C);
  C(DBG_RIPEXCEPTION);
  C(DBG_CONTROL_BREAK);
  C(DBG_COMMAND_EXCEPTION);
  C(STATUS_GUARD_PAGE_VIOLATION);
  C(STATUS_DATATYPE_MISALIGNMENT);
  C(STATUS_BREAKPOINT);
  C(STATUS_SINGLE_STEP);
  C(STATUS_BUFFER_OVERFLOW);
  C(STATUS_NO_MORE_FILES);
  C(STATUS_HANDLES_CLOSED);
  C(STATUS_NO_MORE_ENTRIES);
  C(STATUS_LONGJUMP);
  C(STATUS_UNWIND_CONSOLIDATE);
  C(DBG_EXCEPTION_NOT_HANDLED);
  C(STATUS_UNSUCCESSFUL);
  C(STATUS_NOT_IMPLEMENTED);
  C(STATUS_INVALID_INFO_CLASS);
  C(STATUS_INFO_LENGTH_MISMATCH);
  C(STATUS_ACCESS_VIOLATION);
  C(STATUS_IN_PAGE_ERROR);
  C(STATUS_INVALID_HANDLE);
  C(STATUS_INVALID_PARAMETER);
  C(STATUS_NO_SUCH_DEVICE);
  C(STATUS_NO_SUCH_FILE);
  C(STATUS_INVALID_DEVICE_REQUEST);
  C(STATUS_END_OF_FILE);
  C(STATUS_MORE_PROCESSING_REQUIRED);
  C(STATUS_NO_MEMORY);
  C(STATUS_ILLEGAL_INSTRUCTION);
  C(STATUS_ACCESS_DENIED);
  C(STATUS_BUFFER_TOO_SMALL);
  C(STATUS_OBJECT_TYPE_MISMATCH);
  C(STATUS_NONCONTINUABLE_EXCEPTION);
  C(STATUS_INVALID_DISPOSITION);
  C(STATUS_OBJECT_NAME_INVALID);
  C(STATUS_OBJECT_NAME_NOT_FOUND);
  C(STATUS_OBJECT_NAME_COLLISION);
  C(STATUS_OBJECT_PATH_NOT_FOUND);
  C(STATUS_SHARING_VIOLATION);
  C(STATUS_MUTANT_NOT_OWNED);
  C(STATUS_SEMAPHORE_LIMIT_EXCEEDED);
  C(STATUS_THREAD_IS_TERMINATING);
  C(STATUS_DELETE_PENDING);
  C(STATUS_PRIVILEGE_NOT_HELD);
  C(STATUS_DISK_FULL);
  C(STATUS_ARRAY_BOUNDS_EXCEEDED);
  C(STATUS_FLOAT_DENORMAL_OPERAND);
  C(STATUS_FLOAT_DIVIDE_BY_ZERO);
  C(STATUS_FLOAT_INEXACT_RESULT);
  C(STATUS_FLOAT_INVALID_OPERATION);
  C(STATUS_FLOAT_OVERFLOW);
  C(STATUS_FLOAT_STACK_CHECK);
  C(STATUS_FLOAT_UNDERFLOW);
  C(STATUS_INTEGER_DIVIDE_BY_ZERO);
  C(STATUS_INTEGER_OVERFLOW);
  C(STATUS_PRIVILEGED_INSTRUCTION);
  C(STATUS_INSUFFICIENT_RESOURCES);
  C(STATUS_INSTANCE_NOT_AVAILABLE);
  C(STATUS_PIPE_NOT_AVAILABLE);
  C(STATUS_INVALID_PIPE_STATE);
  C(STATUS_PIPE_BUSY);
  C(STATUS_ILLEGAL_FUNCTION);
  C(STATUS_PIPE_DISCONNECTED);
  C(STATUS_PIPE_CLOSING);
  C(STATUS_PIPE_CONNECTED);
  C(STATUS_PIPE_LISTENING);
  C(STATUS_INVALID_READ_MODE);
  C(STATUS_IO_TIMEOUT);
  C(STATUS_FILE_FORCED_CLOSED);
  C(STATUS_FILE_IS_A_DIRECTORY);
  C(STATUS_NOT_SUPPORTED);
  C(STATUS_BAD_NETWORK_PATH);
  C(STATUS_NETWORK_BUSY);
  C(STATUS_INVALID_NETWORK_RESPONSE);
  C(STATUS_UNEXPECTED_NETWORK_ERROR);
  C(STATUS_NETWORK_NAME_DELETED);
  C(STATUS_CANT_WAIT);
  C(STATUS_PIPE_EMPTY);
  C(STATUS_INVALID_USER_BUFFER);
  C(STATUS_STACK_OVERFLOW);
  C(STATUS_DIRECTORY_NOT_EMPTY);
  C(STATUS_NOT_A_DIRECTORY);
  C(STATUS_PROCESS_IS_TERMINATING);
  C(STATUS_TOO_MANY_OPENED_FILES);
  C(STATUS_CANCELLED);
  C(STATUS_FILE_CLOSED);
  C(STATUS_DLL_NOT_FOUND);
  C(STATUS_ORDINAL_NOT_FOUND);
  C(STATUS_ENTRYPOINT_NOT_FOUND);
  C(STATUS_CONTROL_C_EXIT);
  C(STATUS_LOCAL_DISCONNECT);
  C(STATUS_REMOTE_DISCONNECT);
  C(STATUS_REMOTE_RESOURCES);
  C(STATUS_LINK_FAILED);
  C(STATUS_LINK_TIMEOUT);
  C(STATUS_INVALID_CONNECTION);
  C(STATUS_INVALID_ADDRESS);
  C(STATUS_DLL_INIT_FAILED);
  C(STATUS_PIPE_BROKEN);
  C(STATUS_INVALID_DEVICE_STATE);
  C(STATUS_INVALID_BUFFER_SIZE);
  C(STATUS_INVALID_ADDRESS_COMPONENT);
  C(STATUS_INVALID_ADDRESS_WILDCARD);
  C(STATUS_TOO_MANY_ADDRESSES);
  C(STATUS_ADDRESS_ALREADY_EXISTS);
  C(STATUS_ADDRESS_CLOSED);
  C(STATUS_CONNECTION_DISCONNECTED);
  C(STATUS_CONNECTION_RESET);
  C(STATUS_NOT_FOUND);
  C(STATUS_CONNECTION_REFUSED);
  C(STATUS_GRACEFUL_DISCONNECT);
  C(STATUS_ADDRESS_ALREADY_ASSOCIATED);
  C(STATUS_ADDRESS_NOT_ASSOCIATED);
  C(STATUS_CONNECTION_INVALID);
  C(STATUS_CONNECTION_ACTIVE);
  C(STATUS_NETWORK_UNREACHABLE);
  C(STATUS_HOST_UNREACHABLE);
  C(STATUS_PROTOCOL_UNREACHABLE);
  C(STATUS_PORT_UNREACHABLE);
  C(STATUS_REQUEST_ABORTED);
  C(STATUS_CONNECTION_ABORTED);
  C(STATUS_CONNECTION_COUNT_LIMIT);
  C(STATUS_HOST_DOWN);
  C(STATUS_HEAP_CORRUPTION);
  C(STATUS_STACK_BUFFER_OVERRUN);
  C(STATUS_INVALID_CRUNTIME_PARAMETER);
  C(STATUS_ASSERTION_FAILURE);

  E("NT_SUCCESS(STATUS_SUCCESS)", NT_SUCCESS(STATUS_SUCCESS));
  E("NT_SUCCESS(STATUS_PENDING)", NT_SUCCESS(STATUS_PENDING));
  E("NT_SUCCESS(STATUS_BUFFER_OVERFLOW)", NT_SUCCESS(STATUS_BUFFER_OVERFLOW));
  E("NT_SUCCESS(STATUS_CANCELLED)", NT_SUCCESS(STATUS_CANCELLED));
  E("NT_INFORMATION(STATUS_OBJECT_NAME_EXISTS)", NT_INFORMATION(STATUS_OBJECT_NAME_EXISTS));
  E("NT_INFORMATION(STATUS_PENDING)", NT_INFORMATION(STATUS_PENDING));
  E("NT_WARNING(STATUS_BUFFER_OVERFLOW)", NT_WARNING(STATUS_BUFFER_OVERFLOW));
  E("NT_WARNING(STATUS_CANCELLED)", NT_WARNING(STATUS_CANCELLED));
  E("NT_ERROR(STATUS_CONNECTION_RESET)", NT_ERROR(STATUS_CONNECTION_RESET));
  E("NT_ERROR(STATUS_HANDLES_CLOSED)", NT_ERROR(STATUS_HANDLES_CLOSED));
}

static void probe_winsock_constants(void) {
  C(INVALID_SOCKET);
  C(SOCKET_ERROR);
  C(WSADESCRIPTION_LEN);
  C(WSASYS_STATUS_LEN);
  C(MAX_PROTOCOL_CHAIN);
  C(BASE_PROTOCOL);
  C(LAYERED_PROTOCOL);
  C(WSAPROTOCOL_LEN);
  C(SOMAXCONN);
  DOC_ONLY(SOMAXCONN_HINT(200), -200); /* absent from mingw-w64 */
  C(FD_SETSIZE);

  C(AF_UNSPEC);
  C(AF_UNIX);
  C(AF_INET);
  C(AF_IMPLINK);
  C(AF_PUP);
  C(AF_CHAOS);
  C(AF_NS);
  C(AF_IPX);
  C(AF_ISO);
  C(AF_OSI);
  C(AF_ECMA);
  C(AF_DATAKIT);
  C(AF_CCITT);
  C(AF_SNA);
  C(AF_DECnet);
  C(AF_DLI);
  C(AF_LAT);
  C(AF_HYLINK);
  C(AF_APPLETALK);
  C(AF_NETBIOS);
  C(AF_VOICEVIEW);
  C(AF_FIREFOX);
  C(AF_UNKNOWN1);
  C(AF_BAN);
  C(AF_ATM);
  C(AF_INET6);
  C(AF_CLUSTER);
  C(AF_12844);
  C(AF_IRDA);
  C(AF_NETDES);
  C(PF_UNSPEC);
  C(PF_UNIX);
  C(PF_INET);
  C(PF_IMPLINK);
  C(PF_PUP);
  C(PF_CHAOS);
  C(PF_NS);
  C(PF_IPX);
  C(PF_ISO);
  C(PF_OSI);
  C(PF_ECMA);
  C(PF_DATAKIT);
  C(PF_CCITT);
  C(PF_SNA);
  C(PF_DECnet);
  C(PF_DLI);
  C(PF_LAT);
  C(PF_HYLINK);
  C(PF_APPLETALK);
  C(PF_VOICEVIEW);
  C(PF_FIREFOX);
  C(PF_UNKNOWN1);
  C(PF_BAN);
  C(PF_ATM);
  C(PF_INET6);

  C(SOCK_STREAM);
  C(SOCK_DGRAM);
  C(SOCK_RAW);
  C(SOCK_RDM);
  C(SOCK_SEQPACKET);

  C(IPPROTO_IP);
  C(IPPROTO_HOPOPTS);
  C(IPPROTO_ICMP);
  C(IPPROTO_IGMP);
  C(IPPROTO_GGP);
  C(IPPROTO_IPV4);
  C(IPPROTO_ST);
  C(IPPROTO_TCP);
  C(IPPROTO_CBT);
  C(IPPROTO_EGP);
  C(IPPROTO_IGP);
  C(IPPROTO_PUP);
  C(IPPROTO_UDP);
  C(IPPROTO_IDP);
  C(IPPROTO_RDP);
  C(IPPROTO_IPV6);
  C(IPPROTO_ROUTING);
  C(IPPROTO_FRAGMENT);
  C(IPPROTO_ESP);
  C(IPPROTO_AH);
  C(IPPROTO_ICMPV6);
  C(IPPROTO_NONE);
  C(IPPROTO_DSTOPTS);
  C(IPPROTO_ND);
  C(IPPROTO_ICLFXBM);
  C(IPPROTO_PIM);
  C(IPPROTO_PGM);
  C(IPPROTO_L2TP);
  C(IPPROTO_SCTP);
  C(IPPROTO_RAW);
  C(IPPROTO_MAX);

  C(SOL_SOCKET);
  C(SO_DEBUG);
  C(SO_ACCEPTCONN);
  C(SO_REUSEADDR);
  C(SO_KEEPALIVE);
  C(SO_DONTROUTE);
  C(SO_BROADCAST);
  C(SO_USELOOPBACK);
  C(SO_LINGER);
  C(SO_OOBINLINE);
  C(SO_DONTLINGER);
  C(SO_EXCLUSIVEADDRUSE);
  C(SO_SNDBUF);
  C(SO_RCVBUF);
  C(SO_SNDLOWAT);
  C(SO_RCVLOWAT);
  C(SO_SNDTIMEO);
  C(SO_RCVTIMEO);
  C(SO_ERROR);
  C(SO_TYPE);
  C(SO_GROUP_ID);
  C(SO_GROUP_PRIORITY);
  C(SO_MAX_MSG_SIZE);
  C(SO_PROTOCOL_INFOA);
  C(SO_PROTOCOL_INFOW);
  C(SO_PROTOCOL_INFO);
  C(PVD_CONFIG);
  C(SO_CONDITIONAL_ACCEPT);
  C(TCP_NODELAY);

  C(MSG_OOB);
  C(MSG_PEEK);
  C(MSG_DONTROUTE);
  C(MSG_WAITALL);
  C(MSG_PUSH_IMMEDIATE);
  C(MSG_PARTIAL);
  C(MSG_INTERRUPT);
  C(MSG_MAXIOVLEN);
  C(MSG_TRUNC);
  C(MSG_CTRUNC);
  C(MSG_BCAST);
  C(MSG_MCAST);
  DOC_ONLY(MSG_ERRQUEUE, 0x1000); /* absent from mingw-w64 */
  C(SD_RECEIVE);
  C(SD_SEND);
  C(SD_BOTH);

  C(WSA_FLAG_OVERLAPPED);
  C(WSA_FLAG_MULTIPOINT_C_ROOT);
  C(WSA_FLAG_MULTIPOINT_C_LEAF);
  C(WSA_FLAG_MULTIPOINT_D_ROOT);
  C(WSA_FLAG_MULTIPOINT_D_LEAF);
  C(WSA_FLAG_ACCESS_SYSTEM_SECURITY);
  C(WSA_FLAG_NO_HANDLE_INHERIT);
  C(WSA_FLAG_REGISTERED_IO);

  C(XP1_CONNECTIONLESS);
  C(XP1_GUARANTEED_DELIVERY);
  C(XP1_GUARANTEED_ORDER);
  C(XP1_MESSAGE_ORIENTED);
  C(XP1_PSEUDO_STREAM);
  C(XP1_GRACEFUL_CLOSE);
  C(XP1_EXPEDITED_DATA);
  C(XP1_CONNECT_DATA);
  C(XP1_DISCONNECT_DATA);
  C(XP1_SUPPORT_BROADCAST);
  C(XP1_SUPPORT_MULTIPOINT);
  C(XP1_MULTIPOINT_CONTROL_PLANE);
  C(XP1_MULTIPOINT_DATA_PLANE);
  C(XP1_QOS_SUPPORTED);
  C(XP1_INTERRUPT);
  C(XP1_UNI_SEND);
  C(XP1_UNI_RECV);
  C(XP1_IFS_HANDLES);
  C(XP1_PARTIAL_MESSAGE);
  C(XP1_SAN_SUPPORT_SDP);
  C(PFL_MULTIPLE_PROTO_ENTRIES);
  C(PFL_RECOMMENDED_PROTO_ENTRY);
  C(PFL_HIDDEN);
  C(PFL_MATCHES_PROTOCOL_ZERO);
  C(PFL_NETWORKDIRECT_PROVIDER);
  C(BIGENDIAN);
  C(LITTLEENDIAN);
  DOC_ONLY(SECURITY_NATIVE_DREP, 0x10); /* mingw-w64 has it in sspi.h only */
  C(FROM_PROTOCOL_INFO);

  C(IOCPARM_MASK);
  C(IOC_VOID);
  C(IOC_OUT);
  C(IOC_IN);
  C(IOC_INOUT);
  C(FIONREAD);
  C(FIONBIO);
  C(FIOASYNC);
  C(SIOCSHIWAT);
  C(SIOCGHIWAT);
  C(SIOCSLOWAT);
  C(SIOCGLOWAT);
  C(SIOCATMARK);
  C(IOC_UNIX);
  C(IOC_WS2);
  C(IOC_PROTOCOL);
  C(IOC_VENDOR);
  E("_WSAIO(IOC_WS2,1)", _WSAIO(IOC_WS2, 1));
  E("_WSAIOR(IOC_WS2,1)", _WSAIOR(IOC_WS2, 1));
  E("_WSAIOW(IOC_WS2,1)", _WSAIOW(IOC_WS2, 1));
  E("_WSAIORW(IOC_WS2,1)", _WSAIORW(IOC_WS2, 1));
  C(SIO_ASSOCIATE_HANDLE);
  C(SIO_ENABLE_CIRCULAR_QUEUEING);
  C(SIO_FIND_ROUTE);
  C(SIO_FLUSH);
  C(SIO_GET_BROADCAST_ADDRESS);
  C(SIO_GET_EXTENSION_FUNCTION_POINTER);
  C(SIO_GET_QOS);
  C(SIO_GET_GROUP_QOS);
  C(SIO_MULTIPOINT_LOOPBACK);
  C(SIO_MULTICAST_SCOPE);
  C(SIO_SET_QOS);
  C(SIO_SET_GROUP_QOS);
  C(SIO_TRANSLATE_HANDLE);
  C(SIO_ROUTING_INTERFACE_QUERY);
  C(SIO_ROUTING_INTERFACE_CHANGE);
  C(SIO_ADDRESS_LIST_QUERY);
  C(SIO_ADDRESS_LIST_CHANGE);
  C(SIO_QUERY_TARGET_PNP_HANDLE);

  C(FD_READ_BIT);
  C(FD_READ);
  C(FD_WRITE_BIT);
  C(FD_WRITE);
  C(FD_OOB_BIT);
  C(FD_OOB);
  C(FD_ACCEPT_BIT);
  C(FD_ACCEPT);
  C(FD_CONNECT_BIT);
  C(FD_CONNECT);
  C(FD_CLOSE_BIT);
  C(FD_CLOSE);
  C(FD_MAX_EVENTS);
  C(FD_ALL_EVENTS);

  C(INADDR_ANY);
  C(INADDR_LOOPBACK);
  C(INADDR_BROADCAST);
  C(INADDR_NONE);
  C(ADDR_ANY);
  C(_SS_MAXSIZE);
  C(_SS_ALIGNSIZE);
  C(_SS_PAD1SIZE);
  C(_SS_PAD2SIZE);

  C(INET_ADDRSTRLEN);
  C(INET6_ADDRSTRLEN);
  C(IP_OPTIONS);
  C(IP_HDRINCL);
  C(IP_TOS);
  C(IP_TTL);
  C(IP_MULTICAST_IF);
  C(IP_MULTICAST_TTL);
  C(IP_MULTICAST_LOOP);
  C(IP_ADD_MEMBERSHIP);
  C(IP_DROP_MEMBERSHIP);
  C(IP_DONTFRAGMENT);
  C(IP_ADD_SOURCE_MEMBERSHIP);
  C(IP_DROP_SOURCE_MEMBERSHIP);
  C(IP_BLOCK_SOURCE);
  C(IP_UNBLOCK_SOURCE);
  C(IP_PKTINFO);
  C(IP_RECEIVE_BROADCAST);
  C(IP_RECVIF);
  C(IP_RECVDSTADDR);
  C(IP_UNICAST_IF);
  C(IP_RECVTOS);
  C(IP_MTU_DISCOVER);
  C(IP_MTU);
  C(IPV6_HOPOPTS);
  C(IPV6_HDRINCL);
  C(IPV6_UNICAST_HOPS);
  C(IPV6_MULTICAST_IF);
  C(IPV6_MULTICAST_HOPS);
  C(IPV6_MULTICAST_LOOP);
  C(IPV6_ADD_MEMBERSHIP);
  C(IPV6_JOIN_GROUP);
  C(IPV6_DROP_MEMBERSHIP);
  C(IPV6_LEAVE_GROUP);
  C(IPV6_DONTFRAG);
  C(IPV6_PKTINFO);
  C(IPV6_HOPLIMIT);
  C(IPV6_PROTECTION_LEVEL);
  C(IPV6_RECVIF);
  C(IPV6_RECVDSTADDR);
  C(IPV6_CHECKSUM);
  C(IPV6_V6ONLY);
  C(IPV6_UNICAST_IF);
  C(IPV6_TCLASS);
  C(IPV6_RECVTCLASS);
  C(IPV6_MTU_DISCOVER);
  C(IPV6_MTU);
  C(ScopeLevelInterface);
  C(ScopeLevelLink);
  C(ScopeLevelSubnet);
  C(ScopeLevelAdmin);
  C(ScopeLevelSite);
  C(ScopeLevelOrganization);
  C(ScopeLevelGlobal);
  C(ScopeLevelCount);

  C(AI_PASSIVE);
  C(AI_CANONNAME);
  C(AI_NUMERICHOST);
  C(AI_NUMERICSERV);
  C(AI_ALL);
  C(AI_ADDRCONFIG);
  C(AI_V4MAPPED);
  C(NI_NOFQDN);
  C(NI_NUMERICHOST);
  C(NI_NAMEREQD);
  C(NI_NUMERICSERV);
  C(NI_DGRAM);
  C(NI_MAXHOST);
  C(NI_MAXSERV);
  C(EAI_AGAIN);
  C(EAI_BADFLAGS);
  C(EAI_FAIL);
  C(EAI_FAMILY);
  C(EAI_MEMORY);
  C(EAI_NONAME);
  C(EAI_SERVICE);
  C(EAI_SOCKTYPE);
  /* The SDK's ws2tcpip.h makes EAI_NODATA an alias of EAI_NONAME (11001);
   * mingw-w64 maps it to WSANO_DATA (11004). */
  DOC_ONLY(EAI_NODATA, 11001);

  /* mswsock.h */
  C(SO_CONNDATA);
  C(SO_CONNOPT);
  C(SO_DISCDATA);
  C(SO_DISCOPT);
  C(SO_CONNDATALEN);
  C(SO_CONNOPTLEN);
  C(SO_DISCDATALEN);
  C(SO_DISCOPTLEN);
  C(SO_OPENTYPE);
  C(SO_SYNCHRONOUS_ALERT);
  C(SO_SYNCHRONOUS_NONALERT);
  C(SO_MAXDG);
  C(SO_MAXPATHDG);
  C(SO_UPDATE_ACCEPT_CONTEXT);
  C(SO_CONNECT_TIME);
  C(SO_UPDATE_CONNECT_CONTEXT);
  C(TCP_BSDURGENT);
  C(SIO_UDP_CONNRESET);
  /* mingw-w64 has no SIO_UDP_NETRESET (the SDK's mstcpip.h does). */
  DOC_ONLY(SIO_UDP_NETRESET, 0x9800000F);
  C(SIO_BSP_HANDLE);
  C(SIO_BSP_HANDLE_SELECT);
  C(SIO_BSP_HANDLE_POLL);
  C(SIO_EXT_SELECT);
  C(SIO_EXT_POLL);
  C(SIO_EXT_SENDMSG);
  C(SIO_BASE_HANDLE);
  C(TF_DISCONNECT);
  C(TF_REUSE_SOCKET);
  C(TF_WRITE_BEHIND);
  C(TF_USE_DEFAULT_WORKER);
  C(TF_USE_SYSTEM_THREAD);
  C(TF_USE_KERNEL_APC);
  C(TP_DISCONNECT);
  C(TP_REUSE_SOCKET);
  C(DE_REUSE_SOCKET);

  /* mstcpip.h */
  C(SIO_RCVALL);
  C(SIO_RCVALL_MCAST);
  C(SIO_RCVALL_IGMPMCAST);
  C(SIO_KEEPALIVE_VALS);
  C(SIO_ABSORB_RTRALERT);
  C(SIO_UCAST_IF);
  C(SIO_LIMIT_BROADCASTS);
  C(SIO_INDEX_BIND);
  C(SIO_INDEX_MCASTIF);
  C(SIO_INDEX_ADD_MCAST);
  C(SIO_INDEX_DEL_MCAST);
  C(SIO_LOOPBACK_FAST_PATH);
}

static void probe_guids(void) {
  G(WSAID_ACCEPTEX);
  G(WSAID_CONNECTEX);
  G(WSAID_GETACCEPTEXSOCKADDRS);
  G(WSAID_WSARECVMSG);
  G(WSAID_WSASENDMSG);
  G(WSAID_DISCONNECTEX);
  G(WSAID_TRANSMITFILE);
}

/* ---- Macro computations ------------------------------------------------------- */

static void probe_macros(void) {
  E("MAKEWORD(2,2)", MAKEWORD(2, 2));
  E("MAKEWORD(0x1ff,0x102)", MAKEWORD(0x1ff, 0x102));
  E("MAKELONG(0x1234,0x5678)", MAKELONG(0x1234, 0x5678));
  E("LOWORD(0x12345678)", LOWORD(0x12345678));
  E("HIWORD(0x12345678)", HIWORD(0x12345678));
  E("LOBYTE(0x1234)", LOBYTE(0x1234));
  E("HIBYTE(0x1234)", HIBYTE(0x1234));
  E("MAKELANGID(LANG_NEUTRAL,SUBLANG_DEFAULT)", MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT));

  OVERLAPPED o;
  memset(&o, 0, sizeof o);
  o.Internal = (ULONG_PTR)STATUS_PENDING;
  E("HasOverlappedIoCompleted(Internal=STATUS_PENDING)", HasOverlappedIoCompleted(&o));
  o.Internal = (ULONG_PTR)STATUS_SUCCESS;
  E("HasOverlappedIoCompleted(Internal=STATUS_SUCCESS)", HasOverlappedIoCompleted(&o));
  o.Internal = (ULONG_PTR)STATUS_CANCELLED;
  E("HasOverlappedIoCompleted(Internal=STATUS_CANCELLED)", HasOverlappedIoCompleted(&o));

  LARGE_INTEGER li;
  li.QuadPart = -2;
  E("LARGE_INTEGER{-2}.LowPart", li.LowPart);
  E("LARGE_INTEGER{-2}.HighPart", li.HighPart);
  E("LARGE_INTEGER{-2}.u.HighPart", li.u.HighPart);
  o.Pointer = NULL;
  o.Offset = 0x11223344;
  o.OffsetHigh = 0x55667788;
  E("OVERLAPPED{Offset,OffsetHigh}.Pointer", (unsigned long long)(uintptr_t)o.Pointer);

  fd_set fs;
  FD_ZERO(&fs);
  FD_SET((SOCKET)5, &fs);
  FD_SET((SOCKET)7, &fs);
  FD_SET((SOCKET)5, &fs);
  E("FD_SET(5,7,5).fd_count", fs.fd_count);
  FD_CLR((SOCKET)5, &fs);
  E("FD_CLR(5).fd_count", fs.fd_count);
  E("FD_CLR(5).fd_array[0]", fs.fd_array[0]);

  IN6_ADDR any = IN6ADDR_ANY_INIT;
  IN6_ADDR loop = IN6ADDR_LOOPBACK_INIT;
  E("IN6_IS_ADDR_UNSPECIFIED(any)", IN6_IS_ADDR_UNSPECIFIED(&any));
  E("IN6_IS_ADDR_UNSPECIFIED(loopback)", IN6_IS_ADDR_UNSPECIFIED(&loop));
  E("IN6_IS_ADDR_LOOPBACK(loopback)", IN6_IS_ADDR_LOOPBACK(&loop));
  E("IN6_IS_ADDR_LOOPBACK(any)", IN6_IS_ADDR_LOOPBACK(&any));
  E("IN6ADDR_LOOPBACK_INIT.s6_addr[15]", loop.s6_addr[15]);
  E("IN6ADDR_LOOPBACK_INIT.s6_words[7]", loop.s6_words[7]);
}

int main(void) {
  probe_basic_types();
  probe_base_structs();
  probe_winsock_structs();
  probe_base_constants();
  probe_error_constants();
  probe_status_constants();
  probe_winsock_constants();
  probe_guids();
  probe_macros();
  return fflush(stdout) == 0 ? 0 : 1;
}
