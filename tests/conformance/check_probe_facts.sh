#!/bin/sh
# Native tier: run the layout probe (built against fakewin/include) and check
# facts the Windows x64 ABI documents.  The full comparison against the real
# headers is conformance.layout on the mingw tier.
set -eu
probe=${1:?usage: check_probe_facts.sh LAYOUT_PROBE}
out=$("$probe")
status=0
for fact in \
  'sizeof(DWORD)=4' 'sizeof(LONG)=4' 'sizeof(ULONG_PTR)=8' 'sizeof(HANDLE)=8' 'sizeof(SOCKET)=8' \
  'sizeof(WCHAR)=2' 'signed(WCHAR)=0' 'sizeof(u_long)=4' 'sizeof(LONG64)=8' \
  'sizeof(OVERLAPPED)=32' 'offsetof(OVERLAPPED,Offset)=16' 'offsetof(OVERLAPPED,Pointer)=16' \
  'offsetof(OVERLAPPED,hEvent)=24' 'sizeof(OVERLAPPED_ENTRY)=32' \
  'sizeof(WSABUF)=16' 'offsetof(WSABUF,len)=0' 'offsetof(WSABUF,buf)=8' 'sizeof(WSAMSG)=56' \
  'sizeof(WSAPROTOCOL_INFOW)=628' 'sizeof(WSADATA)=408' 'sizeof(SOCKADDR_IN)=16' \
  'sizeof(SOCKADDR_IN6)=28' 'offsetof(SOCKADDR_IN6,sin6_scope_id)=24' 'sizeof(SOCKADDR_STORAGE)=128' \
  'sizeof(FILE_BASIC_INFO)=40' 'sizeof(BY_HANDLE_FILE_INFORMATION)=52' 'sizeof(SRWLOCK)=8' \
  'sizeof(CRITICAL_SECTION)=40' 'sizeof(GUID)=16' 'sizeof(FILETIME)=8' 'alignof(FILETIME)=4' \
  'sizeof(LARGE_INTEGER)=8' 'alignof(LARGE_INTEGER)=8' 'sizeof(LINGER)=4' 'sizeof(struct timeval)=8' \
  'ERROR_IO_PENDING=997' 'WSA_IO_PENDING=997' 'ERROR_MORE_DATA=234' 'WSAEMSGSIZE=10040' \
  'ERROR_NETNAME_DELETED=64' 'ERROR_NOT_FOUND=1168' 'ERROR_HANDLE_EOF=38' 'WAIT_TIMEOUT=258' \
  'STATUS_PENDING=259' 'STATUS_CANCELLED=-1073741536' 'STATUS_BUFFER_OVERFLOW=-2147483643' \
  'XP1_IFS_HANDLES=131072' 'SIO_UDP_CONNRESET=2550136844' 'SIO_GET_EXTENSION_FUNCTION_POINTER=3355443206' \
  'FILE_SKIP_COMPLETION_PORT_ON_SUCCESS=1' 'FILE_SKIP_SET_EVENT_ON_HANDLE=2' 'INFINITE=4294967295' \
  'INVALID_SOCKET=18446744073709551615' 'WSAID_ACCEPTEX.Data1=3040247281'; do
  if ! printf '%s\n' "$out" | grep -qxF -- "$fact"; then
    echo "layout probe: expected line '$fact' is missing" >&2
    printf '%s\n' "$out" | grep -F -- "${fact%%=*}=" >&2 || true
    status=1
  fi
done
lines=$(printf '%s\n' "$out" | wc -l)
echo "layout probe: $lines facts printed"
exit $status
