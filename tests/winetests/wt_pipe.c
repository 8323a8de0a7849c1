/* wt_pipe.c: Wine's dlls/kernel32/tests/pipe.c, the selected functions
 * (extracted unmodified by wt_extract.py into pipe_sel.c), each an entry
 * of wt_main.  The setup is what pipe.c's START_TEST does before its tests:
 * the optional kernel32 functions are looked up by name. */
#include "pipe_sel.c"
#include "wt_harness.h"

static void setup(void) {
  HMODULE hmod = GetModuleHandleA("kernel32.dll");
  pCancelIoEx = (void *)GetProcAddress(hmod, "CancelIoEx");
  pCancelSynchronousIo = (void *)GetProcAddress(hmod, "CancelSynchronousIo");
  pGetOverlappedResultEx = (void *)GetProcAddress(hmod, "GetOverlappedResultEx");
}

#define ENTRY(name, call)        \
  static void run_##name(void) { \
    setup();                     \
    call;                        \
  }
ENTRY(DisconnectNamedPipe, test_DisconnectNamedPipe())
ENTRY(CreateNamedPipe_instances_must_match, test_CreateNamedPipe_instances_must_match())
ENTRY(NamedPipe_2, test_NamedPipe_2())
ENTRY(CreateNamedPipe_byte, test_CreateNamedPipe(PIPE_TYPE_BYTE))
ENTRY(CreateNamedPipe_message, test_CreateNamedPipe(PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE))
ENTRY(CreatePipe, test_CreatePipe())
ENTRY(ReadFile, test_ReadFile())
ENTRY(CloseHandle, test_CloseHandle())
ENTRY(overlapped, test_overlapped())
ENTRY(overlapped_error, test_overlapped_error())
ENTRY(NamedPipeHandleState, test_NamedPipeHandleState())
ENTRY(readfileex_pending, test_readfileex_pending())
ENTRY(overlapped_transport_msg, test_overlapped_transport(TRUE, FALSE))
ENTRY(overlapped_transport_msg_byteread, test_overlapped_transport(TRUE, TRUE))
ENTRY(overlapped_transport_byte, test_overlapped_transport(FALSE, FALSE))
ENTRY(multiple_instances, test_multiple_instances())
ENTRY(wait_pipe, test_wait_pipe())
ENTRY(nowait_byte, test_nowait(PIPE_TYPE_BYTE))
ENTRY(nowait_message, test_nowait(PIPE_TYPE_MESSAGE))
ENTRY(GetOverlappedResultEx, test_GetOverlappedResultEx())
ENTRY(CancelSynchronousIo, test_CancelSynchronousIo())

#define E(name) \
  { #name, run_##name }
static const wt_entry_t entries[] = {
    E(DisconnectNamedPipe),
    E(CreateNamedPipe_instances_must_match),
    E(NamedPipe_2),
    E(CreateNamedPipe_byte),
    E(CreateNamedPipe_message),
    E(CreatePipe),
    E(ReadFile),
    E(CloseHandle),
    E(overlapped),
    E(overlapped_error),
    E(NamedPipeHandleState),
    E(readfileex_pending),
    E(overlapped_transport_msg),
    E(overlapped_transport_msg_byteread),
    E(overlapped_transport_byte),
    E(multiple_instances),
    E(wait_pipe),
    E(nowait_byte),
    E(nowait_message),
    E(GetOverlappedResultEx),
    E(CancelSynchronousIo),
};

int main(int argc, char **argv) {
  return wt_main(argc, argv, entries, sizeof entries / sizeof entries[0]);
}
