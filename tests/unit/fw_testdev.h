/* fw_testdev.h: a TEST-ONLY I/O object for the unit tests of fakewin's
 * completion-port and overlapped-request machinery (test_fw_iocp.c,
 * test_fw_overlapped.c, test_fw_cancel.c, test_fw_fault.c).
 *
 * It is not part of fakewin and no program under test sees it.  It stands in
 * for a message-mode device until the real sockets, pipes and files of
 * helpers `net` and `files` exist, and it exercises fw_io.h exactly the way
 * they do: fw_io_req_new + fw_io_start, fw_io_finish_immediate for what is
 * done inside the call, a queue of pending readers completed later with
 * fw_io_complete, fw_io_sync_block for synchronous handles, the fault plan
 * consulted at the entry (its own fault site, 60 "TestIo", registered with
 * fw_site_register like any device model outside fakewin would).
 *
 * Model: a queue of messages.  A read takes the first message: a buffer
 * smaller than the message gets the first bytes and STATUS_BUFFER_OVERFLOW,
 * the rest of the message stays for the next read (message-pipe rules,
 * F29).  With no message an overlapped read pends, a synchronous one
 * blocks.  testdev_push adds a message and satisfies the oldest pending
 * reader; it may be called from a fiber or from a timed event. */
#ifndef IOCPSIM_TESTS_FW_TESTDEV_H
#define IOCPSIM_TESTS_FW_TESTDEV_H

#include "fw_io.h"

/* Creates a device and a handle to it (inside a fiber).  type: FW_TYPE_FILE
 * (kernel32-family reads, closing cancels) or FW_TYPE_SOCKET (Winsock-family
 * receives: WSAGetOverlappedResult accepts it, closing aborts, F40). */
HANDLE testdev_open(fw_type_t type, bool overlapped);

/* ReadFile / WSARecv-like read.  Returns TRUE (done inside the call, *n =
 * bytes), or FALSE with the last error set: ERROR_IO_PENDING, or the error
 * the call failed with (ERROR_MORE_DATA / WSAEMSGSIZE for a truncated
 * message, with *n written only for the kernel32 family, F25/F29). */
BOOL testdev_read(HANDLE h, void *buf, DWORD len, DWORD *n, OVERLAPPED *ov);

/* Adds a message of len bytes (0 allowed) and completes the oldest pending
 * read with it.  Not a Win32 call: no scheduling point, no trace. */
void testdev_push(HANDLE h, const void *data, DWORD len);
/* The same from a timed event, `at` virtual ns (data copied). */
void testdev_push_at(HANDLE h, uint64_t at, const void *data, DWORD len);

/* Reads pending on the device. */
uint32_t testdev_pending(HANDLE h);

/* The completion port object behind a port handle (NULL if none), for the
 * tests that queue raw packets the way NtSetIoCompletion does. */
fw_port_t *testdev_port(HANDLE port);

/* Host side: runs fn(arg) as the main fiber of one world per seed in
 * [0, seeds) with the given personality, asserts (cmocka) that each run
 * passed - printing the failure report otherwise - and that no request or
 * handle leaked; restores the default configuration and clears the fault
 * plan afterwards. */
void testdev_run(void (*fn)(void *), void *arg, uint64_t seeds, fw_personality_t p);
/* The same for one seed, returning the result (the caller frees it). */
sim_status_t testdev_run_one(void (*fn)(void *), void *arg, uint64_t seed, sim_result_t *r);

/* Inside a world: expect a failing call with a given last error. */
#define EXPECT_ERR(expr, err)                   \
  do {                                          \
    SetLastError(0xdeadbeef);                   \
    SIM_EXPECT(!(expr));                        \
    SIM_EXPECT(GetLastError() == (DWORD)(err)); \
  } while (0)

#endif
