# Findings (docs/findings.md): scenarios that show a bug of the seed itself
# (faithful to Go), kept out of scenarios/ so that the library stays green.
# Each must still FAIL over a sweep of 1000 seeds, with the output its
# `# finding-output:` line names (a regex); when the core is fixed the test
# turns red and the scenario moves to scenarios/regressions/.
if(NOT WIN32)
  file(GLOB FINDING_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/findings/*.scn)
  foreach(f ${FINDING_FILES})
    get_filename_component(name ${f} NAME_WE)
    file(STRINGS ${f} shows REGEX "^# finding-output: ")
    string(REPLACE "# finding-output: " "" shows "${shows}")
    add_test(NAME findings.${name}
      COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:iocpsim>;run;${f};--seeds;1000;-q" -DEXPECT=1
              "-DMATCH=${shows}" -P ${CMAKE_SOURCE_DIR}/tests/check_exit_code.cmake)
    iocpsim_test_properties(findings.${name} 120)
  endforeach()
endif()
