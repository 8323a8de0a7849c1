# fakewin's sockets and loopback network (helper `net`): spec/win32-fidelity.md
# F20-F35, F40, F41, F48, F49 and W4, W5, W9-W14.  Native tier only: the fake
# world does not exist on the real API.  The cases run in fake worlds through
# fw_testdev.c's runner; test_fw_sock_util.c holds the shared helpers.
if(NOT WIN32)
  foreach(t test_fw_sock_data test_fw_sock_dgram test_fw_sock_accept test_fw_sock_wsa)
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/unit/${t}.c)
      iocpsim_add_cmocka_test(NAME ${t}
        SOURCES unit/${t}.c unit/test_fw_sock_util.c unit/fw_testdev.c
        LIBS fakewin iocpsim_sim)
      target_include_directories(${t} PRIVATE ${CMAKE_SOURCE_DIR}/fakewin/src)
    endif()
  endforeach()
endif()
