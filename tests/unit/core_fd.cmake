# The FD layer (core/fd_windows.c, core/fd_posix.c; spec go-poll.md
# B1-B111) and the behaviour-coverage table generated from the tests.

# The suites drive real sockets, pipes, files and threads.  They run on the
# mingw tier, on the real API under Wine; the native registration against
# the fake world comes with issue 5 (fakewin's network, pipes and files).
if(WIN32)
  foreach(suite tcp udp pipe file misc)
    iocpsim_add_cmocka_test(NAME test_fd_${suite}
      SOURCES unit/test_fd_${suite}.c unit/test_fd_util.c
      LIBS iocpsim_core)
  endforeach()
endif()
