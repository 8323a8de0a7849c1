# The FD layer (core/fd_windows.c, core/fd_posix.c; spec go-poll.md
# B1-B111) and the behaviour-coverage table generated from the tests.

# The suites drive sockets, pipes, files and threads through plain Win32.
# Both tiers: on mingw the real API under Wine; natively fakewin, where
# iocpsim_world_support plays every case inside simulated worlds, once per
# seed (IOCPSIM_SEEDS, default 100).  Sources are named literally:
# scripts/gen-coverage reads the tier of each test file from here.
if(WIN32)
  set(IOCPSIM_FD_WORLD "")
  set(IOCPSIM_FD_WIN32 ws2_32 mswsock)
else()
  set(IOCPSIM_FD_WORLD iocpsim_world_support)
  set(IOCPSIM_FD_WIN32 iocpsim_world_support fakewin iocpsim_sim)
endif()

iocpsim_add_cmocka_test(NAME test_fd_tcp
  SOURCES unit/test_fd_tcp.c unit/test_fd_util.c LIBS iocpsim_core ${IOCPSIM_FD_WORLD})
iocpsim_add_cmocka_test(NAME test_fd_udp
  SOURCES unit/test_fd_udp.c unit/test_fd_util.c LIBS iocpsim_core ${IOCPSIM_FD_WORLD})
iocpsim_add_cmocka_test(NAME test_fd_pipe
  SOURCES unit/test_fd_pipe.c unit/test_fd_util.c LIBS iocpsim_core ${IOCPSIM_FD_WORLD})
iocpsim_add_cmocka_test(NAME test_fd_file
  SOURCES unit/test_fd_file.c unit/test_fd_util.c LIBS iocpsim_core ${IOCPSIM_FD_WORLD})
iocpsim_add_cmocka_test(NAME test_fd_misc
  SOURCES unit/test_fd_misc.c unit/test_fd_util.c LIBS iocpsim_core ${IOCPSIM_FD_WORLD})
# core_fd_free right after core_fd_close, with threads still inside (ASan
# on the native-asan tier, real threads under Wine on mingw).
iocpsim_add_cmocka_test(NAME test_fd_lifetime
  SOURCES unit/test_fd_lifetime.c unit/test_fd_util.c LIBS iocpsim_core ${IOCPSIM_FD_WORLD})
# fd_lock.c's wrappers (B110) on real FDs.
iocpsim_add_cmocka_test(NAME test_fd_lock
  SOURCES unit/test_fd_lock.c unit/test_fd_util.c LIBS iocpsim_core ${IOCPSIM_FD_WORLD})

# execIO under a scripted pollDesc (real Winsock I/O, chosen wake-ups):
# fd_windows.c is linked without fd_poll.c and netpoll.c.
iocpsim_add_cmocka_test(NAME test_fd_execio
  SOURCES unit/test_fd_execio.c unit/test_fd_util.c ../core/fd_windows.c ../core/fd_posix.c
          ../core/errors.c ../core/console.c ../core/utf.c ../core/fd_mutex.c ../core/fd_lock.c ../core/deadline.c ../core/core_test.c
  LIBS ${IOCPSIM_FD_WIN32})
target_include_directories(test_fd_execio PRIVATE ${PROJECT_SOURCE_DIR}/core)
target_compile_definitions(test_fd_execio PRIVATE FDT_SCRIPTED_POLLDESC)

# docs/coverage.md must match the tests' @covers tags and leave no
# behaviour UNCOVERED; plain sh + awk, so it runs on every tier.
add_test(NAME coverage.up_to_date
  COMMAND sh ${PROJECT_SOURCE_DIR}/scripts/gen-coverage --check
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
iocpsim_test_properties(coverage.up_to_date 60)

# A seeded run of no world is a usage error (exit 64), never a pass; so is
# a count that is not a number.  Native tier only (the worlds live there).
if(NOT WIN32)
  foreach(bad "IOCPSIM_SEEDS=0" "IOCPSIM_SEEDS=-1" "IOCPSIM_SEEDS=ten")
    string(REGEX REPLACE "[^A-Za-z0-9]" "_" tag "${bad}")
    add_test(NAME seeds.usage_error.${tag}
      COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:test_fd_lifetime>;free_after_close_alone"
              "-DENV=${bad}" -DEXPECT=64 "-DMATCH=IOCPSIM_SEEDS"
              -P ${CMAKE_CURRENT_SOURCE_DIR}/check_exit_code.cmake)
    iocpsim_test_properties(seeds.usage_error.${tag} 60)
  endforeach()
endif()
