# Scenario files on the real API (docs/scenarios.md "On the real API"), mingw
# tier only: the mingw build's iocpsim.exe plays the whole library under Wine
# on real threads, sockets, pipes, files and the real completion port.
#   scn.real.library      every scenario; skips print their reasons
#   scn.real.fails        a wrong expectation fails the run (exit 1, expected/got)
#   scn.real.hang         a run that never ends is killed and reported as a hang
if(WIN32)
  add_test(NAME scn.real.library COMMAND iocpsim run ${CMAKE_SOURCE_DIR}/scenarios --backend real -q)
  iocpsim_test_properties(scn.real.library 600)
  add_test(NAME scn.real.fails COMMAND iocpsim run ${CMAKE_CURRENT_SOURCE_DIR}/runner/cases/expect_fail.scn)
  iocpsim_test_properties(scn.real.fails 120)
  # PASS_REGULAR_EXPRESSION replaces the exit status as the verdict: the
  # failure must be reported with what was expected and what came
  set_tests_properties(scn.real.fails PROPERTIES
    PASS_REGULAR_EXPRESSION "expected: ok \"pang\"\n *got: +ok \"pong\".*1 played \\(0 passed, 1 failed\\)")
  add_test(NAME scn.real.hang COMMAND iocpsim run ${CMAKE_CURRENT_SOURCE_DIR}/runner/cases/deadlock.scn --timeout 3)
  iocpsim_test_properties(scn.real.hang 120)
  set_tests_properties(scn.real.hang PROPERTIES
    PASS_REGULAR_EXPRESSION "deadlock, exit 2.*no verdict within 3 s.*1 played \\(0 passed, 1 failed\\)")
endif()
