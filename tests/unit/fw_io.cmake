# fakewin's I/O foundation: completion ports, overlapped requests,
# cancellation, status tables and the fault plan (native tier only: the fake
# world does not exist on the real API).  fw_testdev.c is a test-only I/O
# object shared by these tests (see its header).
if(NOT WIN32)
  foreach(t test_fw_iocp test_fw_overlapped test_fw_cancel test_fw_fault)
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/unit/${t}.c)
      iocpsim_add_cmocka_test(NAME ${t}
        SOURCES unit/${t}.c unit/fw_testdev.c
        LIBS fakewin iocpsim_sim)
      target_include_directories(${t} PRIVATE ${CMAKE_SOURCE_DIR}/fakewin/src)
    endif()
  endforeach()
endif()
