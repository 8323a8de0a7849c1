/* wt_sock.c: Wine's dlls/ws2_32/tests/sock.c, the selected functions
 * (extracted unmodified by wt_extract.py into sock_sel.c), each an entry of
 * wt_main between the file's own Init() (WSAStartup, optional functions by
 * name) and Exit() (WSACleanup), as its START_TEST runs them. */
#include "sock_sel.c"
#include "wt_harness.h"

#define ENTRY(name)              \
  static void run_##name(void) { \
    Init();                      \
    test_##name();               \
    Exit();                      \
  }
ENTRY(listen)
ENTRY(accept)
ENTRY(circular_queueing)
ENTRY(WSARecv)
ENTRY(iocp)
ENTRY(AcceptEx)
ENTRY(connect)
ENTRY(shutdown)
ENTRY(DisconnectEx)
ENTRY(completion_port)
ENTRY(connect_completion_port)
ENTRY(shutdown_completion_port)
ENTRY(connecting_socket)
ENTRY(WSAGetOverlappedResult)
ENTRY(nonblocking_async_recv)
ENTRY(simultaneous_async_recv)
ENTRY(empty_recv)
ENTRY(timeout)
ENTRY(tcp_reset)

#define E(name) \
  { #name, run_##name }
static const wt_entry_t entries[] = {
    E(listen),
    E(accept),
    E(circular_queueing),
    E(WSARecv),
    E(iocp),
    E(AcceptEx),
    E(connect),
    E(shutdown),
    E(DisconnectEx),
    E(completion_port),
    E(connect_completion_port),
    E(shutdown_completion_port),
    E(connecting_socket),
    E(WSAGetOverlappedResult),
    E(nonblocking_async_recv),
    E(simultaneous_async_recv),
    E(empty_recv),
    E(timeout),
    E(tcp_reset),
};

int main(int argc, char **argv) {
  return wt_main(argc, argv, entries, sizeof entries / sizeof entries[0]);
}
