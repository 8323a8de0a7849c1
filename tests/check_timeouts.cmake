# cmake -DBUILD_DIR=... -P check_timeouts.cmake: fails if any ctest test of the
# build tree lacks a TIMEOUT property (a hang, under Wine above all, must fail
# fast instead of stalling CI).
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --show-only=json-v1
                WORKING_DIRECTORY ${BUILD_DIR} OUTPUT_VARIABLE json RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ctest --show-only failed in ${BUILD_DIR}")
endif()
string(JSON n LENGTH "${json}" tests)
set(missing "")
math(EXPR last "${n} - 1")
# One JSON parse per test (its properties as text, searched for the
# TIMEOUT entry): parsing the whole document once per property made this
# check slow enough to time out on a loaded machine.
foreach(i RANGE ${last})
  string(JSON props ERROR_VARIABLE err GET "${json}" tests ${i} properties)
  set(has FALSE)
  if(NOT err AND props MATCHES "\"name\" *: *\"TIMEOUT\"")
    set(has TRUE)
  endif()
  if(NOT has)
    string(JSON name GET "${json}" tests ${i} name)
    list(APPEND missing ${name})
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "tests without a TIMEOUT: ${missing}")
endif()
message(STATUS "all ${n} tests have a TIMEOUT")
