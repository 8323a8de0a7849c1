# The core suites a second time on the native tier, in fake worlds with the
# wine8 personality (unit/wine8_personality.c): the cases assert Windows or
# Wine 8.0 behaviour by the world they run in, and they pass under the real
# Wine 8.0 on the mingw tier, so the fake's Wine imitation must pass them
# too.  (test_fd_mutex does no I/O: the personality changes nothing there.)
if(NOT WIN32)
  set(IOCPSIM_WINE8_LIBS iocpsim_world_support fakewin iocpsim_sim)
  foreach(t test_fd_tcp test_fd_udp test_fd_pipe test_fd_file test_fd_misc)
    iocpsim_add_cmocka_test(NAME ${t}_wine8
      SOURCES unit/${t}.c unit/test_fd_util.c unit/wine8_personality.c
      LIBS iocpsim_core ${IOCPSIM_WINE8_LIBS})
  endforeach()
  iocpsim_add_cmocka_test(NAME test_fd_execio_wine8
    SOURCES unit/test_fd_execio.c unit/test_fd_util.c unit/wine8_personality.c
            ../core/fd_windows.c ../core/fd_posix.c ../core/errors.c ../core/console.c
            ../core/utf.c ../core/fd_mutex.c ../core/fd_lock.c ../core/deadline.c ../core/core_test.c
    LIBS ${IOCPSIM_WINE8_LIBS})
  target_include_directories(test_fd_execio_wine8 PRIVATE ${PROJECT_SOURCE_DIR}/core)
  target_compile_definitions(test_fd_execio_wine8 PRIVATE FDT_SCRIPTED_POLLDESC)
  iocpsim_add_cmocka_test(NAME test_netpoll_wine8
    SOURCES unit/test_netpoll.c unit/wine8_personality.c ../core/netpoll.c ../core/netpoll_windows.c ../core/netpoll_timers.c ../core/fd_poll.c
            ../core/fd_mutex.c ../core/fd_lock.c ../core/deadline.c ../core/errors.c
    LIBS ${IOCPSIM_WINE8_LIBS})
  target_include_directories(test_netpoll_wine8 PRIVATE ${PROJECT_SOURCE_DIR}/core)
  foreach(t test_console test_console_fd)
    iocpsim_add_cmocka_test(NAME ${t}_wine8
      SOURCES unit/${t}.c unit/console_script.c unit/wine8_personality.c
      LIBS iocpsim_core ${IOCPSIM_WINE8_LIBS})
  endforeach()
endif()

# fakewin behaviours the core suites brought to light, each pinned under
# both personalities.
if(NOT WIN32)
  iocpsim_add_cmocka_test(NAME test_fw_core_findings
    SOURCES unit/test_fw_core_findings.c
    LIBS iocpsim_world_support fakewin iocpsim_sim)
endif()

# The personality as data (fakewin/world/fw_personality.h) and W22..W38.
if(NOT WIN32)
  iocpsim_add_cmocka_test(NAME test_fw_personality
    SOURCES unit/test_fw_personality.c
    LIBS iocpsim_world_support fakewin iocpsim_sim)
  # no fakewin source outside the table and the world configuration names a
  # personality: every difference is a field of fw_personality_table_t
  add_test(NAME fakewin.personality_is_data
    COMMAND sh -c "! grep -n 'FW_PERSONALITY_WINE8\\|fw_wine8' ${CMAKE_SOURCE_DIR}/fakewin/src/*.c ${CMAKE_SOURCE_DIR}/fakewin/src/*.h | grep -v '/fw_personality.c:'")
  iocpsim_test_properties(fakewin.personality_is_data 30)
endif()
