# fakewin's files, pipes and console (fw_fs.c, fw_file.c, fw_pipe.c,
# fw_console.c; spec/win32-fidelity.md F29, F42-F47, W1, W15-W17), each case
# run as programs inside sim worlds over several seeds (native tier only:
# the fake world does not exist on the real API).
if(NOT WIN32)
  foreach(t test_fw_file test_fw_pipe test_fw_console)
    iocpsim_add_cmocka_test(NAME ${t}
      SOURCES unit/${t}.c
      LIBS fakewin iocpsim_sim)
    target_include_directories(${t} PRIVATE ${CMAKE_SOURCE_DIR}/fakewin/src)
  endforeach()
endif()
