/* wt_stubs.c: the functions wt_extra.h declares for what fakewin does not have.
 * Each marks the rest of the running test entry "not run" and never returns,
 * so its parameters and result are never used (the declarations the tests
 * see carry the SDK prototypes).  A name fakewin declares is mapped to
 * fakewin's function by its own header and its stub here is unused. */
#include "wt_harness.h"

#define WT_STUB(name)         \
  void wt_stub_##name(void);  \
  void wt_stub_##name(void) { \
    wt_not_run(#name);        \
  }

WT_STUB(NtFsControlFile)
WT_STUB(NtQueryInformationFile)
WT_STUB(RtlNtStatusToDosErrorNoTeb)
WT_STUB(CreateProcessA)
WT_STUB(TerminateProcess)
WT_STUB(GetNamedPipeInfo)
WT_STUB(GetNamedPipeHandleStateA)
WT_STUB(WSAAccept)
WT_STUB(WSASendDisconnect)
WT_STUB(WSARecvDisconnect)
WT_STUB(WSADuplicateSocketA)
WT_STUB(VirtualAlloc)
WT_STUB(VirtualFree)
WT_STUB(VirtualProtect)
WT_STUB(CreateFileMappingA)
WT_STUB(CreateFileMappingW)
WT_STUB(MapViewOfFile)
WT_STUB(UnmapViewOfFile)
WT_STUB(GetWindowsDirectoryA)
WT_STUB(CreateMailslotW)
WT_STUB(PeekMessageA)
WT_STUB(CreateWindowExA)
WT_STUB(DestroyWindow)
WT_STUB(WSAAsyncSelect)

/* Declared by fakewin's headers but not defined by fakewin yet
 * (fakewin/include/README.md): weak, so fakewin's definition wins once it
 * exists. */
#define WT_FW_STUB(name)                       \
  __attribute__((weak)) void fw_##name(void);  \
  __attribute__((weak)) void fw_##name(void) { \
    wt_not_run(#name);                         \
  }
WT_FW_STUB(TransmitFile)
WT_FW_STUB(SuspendThread)
