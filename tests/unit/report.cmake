# Reports (docs/scenarios.md §11.1, docs/trace.md), native tier only:
#   scn.report.browser   `iocpsim report` and --perfetto on a failing run and
#                        a sweep, opened in headless Chromium (screenshots in
#                        <build>/tests/report/)
#   trace.schema         JSONL traces validated against docs/trace.schema.json
if(NOT WIN32)
  find_program(IOCPSIM_CHROMIUM NAMES chromium chromium-browser)
  if(NOT IOCPSIM_CHROMIUM)
    set(IOCPSIM_CHROMIUM "")
  endif()
  find_program(IOCPSIM_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
  add_test(NAME scn.report.browser
    COMMAND ${CMAKE_COMMAND} -DIOCPSIM=$<TARGET_FILE:iocpsim> -DCASES=${CMAKE_CURRENT_SOURCE_DIR}/runner/report
            -DSCENARIOS=${CMAKE_SOURCE_DIR}/scenarios -DWORK=${CMAKE_CURRENT_BINARY_DIR}/report
            -DCHROMIUM=${IOCPSIM_CHROMIUM} -DPYTHON=${IOCPSIM_PYTHON3}
            -DPERFETTO_CHECK=${CMAKE_CURRENT_SOURCE_DIR}/runner/check_perfetto.py
            -P ${CMAKE_CURRENT_SOURCE_DIR}/runner/report.cmake)
  iocpsim_test_properties(scn.report.browser 300)

  add_test(NAME trace.schema
    COMMAND ${CMAKE_COMMAND} -DIOCPSIM=$<TARGET_FILE:iocpsim> -DPYTHON=${IOCPSIM_PYTHON3}
            -DSCHEMA=${CMAKE_SOURCE_DIR}/docs/trace.schema.json
            -DVALIDATOR=${CMAKE_CURRENT_SOURCE_DIR}/runner/validate_trace.py
            -DSCENARIOS=${CMAKE_SOURCE_DIR}/scenarios -DCASES=${CMAKE_CURRENT_SOURCE_DIR}/runner/report
            -DWORK=${CMAKE_CURRENT_BINARY_DIR}/trace-schema
            -P ${CMAKE_CURRENT_SOURCE_DIR}/runner/trace_schema.cmake)
  iocpsim_test_properties(trace.schema 300)
endif()
