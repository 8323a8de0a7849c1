# Scenario files (docs/scenarios.md), native tier only: the runner plays them
# in simulated worlds.
#   scn.<area>.<topic>     one test per scenarios/**/*.scn, under many seeds
#   scn.library.*          the whole library: determinism, coverage
#   scn.outcomes           the library's outcome sets keep the baseline's
#   scn.runner.*           the runner itself: parser corpus, CLI behaviour,
#                          exit codes, --rewrite round trip, JUnit, shards
if(NOT WIN32)
  if(CMAKE_C_FLAGS MATCHES "sanitize")
    set(IOCPSIM_SCN_SEEDS 200 CACHE STRING "seeds per scenario file in ctest")
  else()
    set(IOCPSIM_SCN_SEEDS 1000 CACHE STRING "seeds per scenario file in ctest")
  endif()
  set(SCN_DIR ${CMAKE_SOURCE_DIR}/scenarios)
  file(GLOB_RECURSE SCN_FILES CONFIGURE_DEPENDS ${SCN_DIR}/*.scn)
  foreach(f ${SCN_FILES})
    file(RELATIVE_PATH rel ${SCN_DIR} ${f})
    string(REGEX REPLACE "\\.scn$" "" rel ${rel})
    string(REPLACE "/" "." rel ${rel})
    add_test(NAME scn.${rel} COMMAND iocpsim run ${f} --seeds ${IOCPSIM_SCN_SEEDS} -q)
    iocpsim_test_properties(scn.${rel} 300)
    set_tests_properties(scn.${rel} PROPERTIES LABELS scenario)
  endforeach()

  # Same library, same seeds, twice: identical trace hashes, run for run.
  add_test(NAME scn.library.determinism
    COMMAND ${CMAKE_COMMAND} -DIOCPSIM=$<TARGET_FILE:iocpsim> -DDIR=${SCN_DIR} -DSEEDS=100
            -DWORK=${CMAKE_CURRENT_BINARY_DIR}/scn-determinism
            -P ${CMAKE_CURRENT_SOURCE_DIR}/runner/determinism.cmake)
  iocpsim_test_properties(scn.library.determinism 600)

  # Every behaviour B1..B111 is covered by a scenario or explained.
  add_test(NAME scn.library.coverage
    COMMAND iocpsim coverage ${SCN_DIR} --exceptions ${SCN_DIR}/coverage-exceptions.txt)
  iocpsim_test_properties(scn.library.coverage 60)

  # The sets of distinct outcomes of the library over seeds 0..999 keep every
  # outcome of tests/runner/outcomes-1000.txt (docs/explore.md §7); not under
  # ASan (its scenario tests run fewer seeds, and the sets are the same).
  if(NOT CMAKE_C_FLAGS MATCHES "sanitize")
    add_test(NAME scn.outcomes
      COMMAND ${CMAKE_COMMAND} -DIOCPSIM=$<TARGET_FILE:iocpsim> -DSRC=${CMAKE_SOURCE_DIR}
              -DBASELINE=${CMAKE_CURRENT_SOURCE_DIR}/runner/outcomes-1000.txt
              -DOUT=${CMAKE_CURRENT_BINARY_DIR}/scn-outcomes-1000.txt
              -P ${CMAKE_CURRENT_SOURCE_DIR}/runner/outcomes.cmake)
    iocpsim_test_properties(scn.outcomes 900)
  endif()

  iocpsim_add_cmocka_test(NAME test_scn_parse SOURCES runner/test_scn_parse.c LIBS iocpsim_runner)

  # The command line: exit codes, failure reports, --rewrite, JUnit, shards, help.
  add_test(NAME scn.runner.cli
    COMMAND ${CMAKE_COMMAND} -DIOCPSIM=$<TARGET_FILE:iocpsim> -DCASES=${CMAKE_CURRENT_SOURCE_DIR}/runner/cases
            -DWORK=${CMAKE_CURRENT_BINARY_DIR}/scn-cli
            -P ${CMAKE_CURRENT_SOURCE_DIR}/runner/cli.cmake)
  iocpsim_test_properties(scn.runner.cli 300)
endif()
