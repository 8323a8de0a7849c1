# The core's runtime side: fdMutex (core/fd_mutex.c, fd_lock.c) and the
# pollDesc/IOCP poller (core/netpoll.c, fd_poll.c).  Spec: go-poll.md §2, §3.
#
# Each test compiles the core files it exercises directly (not the whole
# iocpsim_core library): the FD wrappers get a test double for
# core_fd_destroy, so neither test needs fd_windows.c.
#
# Real Win32 only for now (the mingw tier, under Wine): on the native tier
# these need fakewin's kernel objects and completion port, which arrive with
# issues 4 and 5; issue 5 registers them natively.
if(WIN32)
  iocpsim_add_cmocka_test(NAME test_fd_mutex
    SOURCES unit/test_fd_mutex.c ../core/fd_mutex.c ../core/fd_lock.c ../core/errors.c
    TIMEOUT 180)
  target_include_directories(test_fd_mutex PRIVATE ${PROJECT_SOURCE_DIR}/core)

  iocpsim_add_cmocka_test(NAME test_netpoll
    SOURCES unit/test_netpoll.c ../core/netpoll.c ../core/fd_poll.c ../core/fd_mutex.c
            ../core/fd_lock.c ../core/errors.c
    LIBS ws2_32 mswsock)
  target_include_directories(test_netpoll PRIVATE ${PROJECT_SOURCE_DIR}/core)
endif()
