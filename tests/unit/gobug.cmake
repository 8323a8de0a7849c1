# gobug.caught (native tier, plain build only: it builds the core six more
# times in build/<preset>/gobug): each historical Go bug re-introduced with
# IOCPSIM_GO_BUG=a..f is caught by the scenario library and, for the
# schedule-dependent one, by --strategy pct/dfs and a seed sweep
# (tests/gobug/check_gobugs.cmake, docs/findings.md).
if(NOT WIN32 AND NOT CMAKE_C_FLAGS MATCHES "sanitize" AND NOT IOCPSIM_GO_BUG AND NOT IOCPSIM_LIBFUZZER)
  add_test(NAME gobug.caught
    COMMAND ${CMAKE_COMMAND} -DSRC=${CMAKE_SOURCE_DIR} -DWORK=${CMAKE_BINARY_DIR}/gobug -DCC=${CMAKE_C_COMPILER}
            "-DFLAGS=${CMAKE_C_FLAGS}" -DGENERATOR=${CMAKE_GENERATOR}
            -P ${CMAKE_SOURCE_DIR}/tests/gobug/check_gobugs.cmake)
  iocpsim_test_properties(gobug.caught 900)
  set_tests_properties(gobug.caught PROPERTIES RUN_SERIAL TRUE)
endif()
