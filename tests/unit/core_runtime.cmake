# The core's runtime side: fdMutex (core/fd_mutex.c, fd_lock.c) and the
# pollDesc/IOCP poller (core/netpoll*.c, fd_poll.c).  Spec: go-poll.md §2, §3.
#
# Each test compiles the core files it exercises directly (not the whole
# iocpsim_core library): the FD wrappers get a test double for
# core_fd_destroy, so neither test needs fd_windows.c.
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
  SOURCES unit/test_fd_mutex.c ../core/fd_mutex.c ../core/fd_lock.c ../core/errors.c
  LIBS ${IOCPSIM_RT_LIBS}
  TIMEOUT 180)
target_include_directories(test_fd_mutex PRIVATE ${PROJECT_SOURCE_DIR}/core)

iocpsim_add_cmocka_test(NAME test_netpoll
  SOURCES unit/test_netpoll.c ../core/netpoll.c ../core/netpoll_windows.c ../core/netpoll_timers.c ../core/fd_poll.c ../core/fd_mutex.c
          ../core/fd_lock.c ../core/deadline.c ../core/errors.c
  LIBS ${IOCPSIM_RT_LIBS})
target_include_directories(test_netpoll PRIVATE ${PROJECT_SOURCE_DIR}/core)
