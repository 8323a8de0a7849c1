# The core on the fake world with behaviours real Win32 cannot be made to
# show, forced through fakewin's fault plan and seeded scheduling (issue 5:
# B1-B5, B13, B17, B20-B24, B31, B32, B73, B81, B92, B94, B95).  Each case
# plays its program in its own simulated worlds (test_core_forced.c's
# runner, >= 100 seeds where scheduling matters).  Native tier only: the
# fault plan and the fake world do not exist on the real API.  Sources are
# named literally: scripts/gen-coverage reads each test file's tier here.
if(NOT WIN32)
  foreach(t test_core_forced_accept test_core_forced_cancel test_core_forced_package test_core_forced_io)
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/unit/${t}.c)
      iocpsim_add_cmocka_test(NAME ${t}
        SOURCES unit/${t}.c unit/test_core_forced.c
        LIBS iocpsim_core iocpsim_sim fakewin TIMEOUT 300)
    endif()
  endforeach()
endif()
