# cmake -DBUILD_DIR=... -P check_timeouts.cmake: fails if any ctest test of the
# build tree lacks a TIMEOUT property (a hang, under Wine above all, must fail
# fast instead of stalling CI).
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --show-only=json-v1
                WORKING_DIRECTORY ${BUILD_DIR} OUTPUT_VARIABLE json RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ctest --show-only failed in ${BUILD_DIR}")
endif()
# Each string(JSON) call parses the text it is given: take the tests array
# out once, then each test object once, and read its fields from that small
# object (parsing the whole document per field grew quadratically).
string(JSON tests GET "${json}" tests)
string(JSON n LENGTH "${tests}")
# Fast path, linear in the number of tests: a test has at most one TIMEOUT
# property, so as many TIMEOUT properties as tests means every test has one;
# the walk below (still quadratic in CMake's JSON) only names the missing.
string(REGEX MATCHALL "\"name\" : \"TIMEOUT\"" timeouts "${tests}")
list(LENGTH timeouts nt)
if(nt EQUAL n)
  message(STATUS "all ${n} tests have a TIMEOUT")
  return()
endif()
set(missing "")
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  string(JSON t GET "${tests}" ${i})
  string(JSON name GET "${t}" name)
  string(JSON np ERROR_VARIABLE err LENGTH "${t}" properties)
  set(has FALSE)
  if(NOT err AND np GREATER 0)
    math(EXPR plast "${np} - 1")
    foreach(j RANGE ${plast})
      string(JSON pname GET "${t}" properties ${j} name)
      if(pname STREQUAL "TIMEOUT")
        set(has TRUE)
      endif()
    endforeach()
  endif()
  if(NOT has)
    list(APPEND missing ${name})
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "tests without a TIMEOUT: ${missing}")
endif()
message(STATUS "all ${n} tests have a TIMEOUT")
