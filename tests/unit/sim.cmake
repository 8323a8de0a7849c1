# sim/ engine and fakewin kernel objects (native tier only: the fake world
# does not exist on the real API).
if(NOT WIN32)
  iocpsim_add_cmocka_test(NAME test_sim_engine
    SOURCES unit/test_sim_engine.c
    LIBS iocpsim_sim)
endif()

# fakewin's kernel objects, run inside sim worlds.
if(NOT WIN32)
  iocpsim_add_cmocka_test(NAME test_fw_objects
    SOURCES unit/test_fw_objects.c
    LIBS fakewin iocpsim_sim)
  target_include_directories(test_fw_objects PRIVATE ${CMAKE_SOURCE_DIR}/fakewin/src)
endif()

# Go's fdMutex tests on fake threads: core/fd_mutex.c and core/errors.c are
# compiled in directly (iocpsim_core also holds files that need fake I/O).
if(NOT WIN32)
  iocpsim_add_cmocka_test(NAME test_fw_fdmutex
    SOURCES unit/test_fw_fdmutex.c ../core/fd_mutex.c ../core/errors.c
    LIBS fakewin iocpsim_sim
    TIMEOUT 120)
  target_include_directories(test_fw_fdmutex PRIVATE ${CMAKE_SOURCE_DIR}/core ${CMAKE_SOURCE_DIR}/fakewin/src)
endif()
