/* test_core_determinism.h: the narrow seam between test_core_determinism.c
 * (the host side: sim_run, temp files, libc) and
 * test_core_determinism_load.c (the program: the core on fakewin's Win32),
 * so that no translation unit includes both fakewin's headers and libc's
 * POSIX ones (DESIGN.md §1). */
#ifndef IOCPSIM_TEST_CORE_DETERMINISM_H
#define IOCPSIM_TEST_CORE_DETERMINISM_H

/* The world's main thread: a TCP echo through the core with a read deadline
 * that expires, a Close while another thread's read is pending, and a UDP
 * exchange.  Checks its own results with SIM_EXPECT (a failure ends the
 * world with SIM_STATUS_EXPECT_FAILED). */
void det_workload(void *arg);

/* Registers a sim hook that runs core_process_reset at every world start and
 * end (once per process; repeated calls are no-ops). */
void det_install_core_reset(void);

#endif
