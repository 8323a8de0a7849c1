# The core's runtime side: the bare fdMutex (core/fd_mutex.c) and the
# pollDesc/IOCP poller (core/netpoll*.c, fd_poll.c).  Spec: go-poll.md §2, §3.
# (The FD wrappers of fd_lock.c are tested on real FDs: test_fd_lock.)
#
# Each test compiles the core files it exercises directly (not the whole
# iocpsim_core library); test_netpoll links fd_poll.c, whose FD deadline
# setters need fd_lock.c, with doubles of fd_windows.c's destroy and
# release that fail if ever called.
#
# Both tiers: on mingw against the real Win32 API under Wine; natively
# against fakewin, where iocpsim_world_support plays every case inside
# simulated worlds, once per seed (IOCPSIM_SEEDS, default 100).
if(WIN32)
  set(IOCPSIM_RT_LIBS ws2_32 mswsock)
else()
  set(IOCPSIM_RT_LIBS iocpsim_world_support fakewin iocpsim_sim)
endif()

iocpsim_add_cmocka_test(NAME test_fd_mutex
  SOURCES unit/test_fd_mutex.c ../core/fd_mutex.c ../core/errors.c
  LIBS ${IOCPSIM_RT_LIBS}
  TIMEOUT 180)
target_include_directories(test_fd_mutex PRIVATE ${PROJECT_SOURCE_DIR}/core)

iocpsim_add_cmocka_test(NAME test_netpoll
  SOURCES unit/test_netpoll.c ../core/netpoll.c ../core/netpoll_windows.c ../core/netpoll_timers.c ../core/fd_poll.c ../core/fd_mutex.c
          ../core/fd_lock.c ../core/deadline.c ../core/errors.c
  LIBS ${IOCPSIM_RT_LIBS})
target_include_directories(test_netpoll PRIVATE ${PROJECT_SOURCE_DIR}/core)
