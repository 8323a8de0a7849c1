# Runs COMMAND (a ;-list) with ENV (a ;-list of NAME=VALUE) and fails unless
# it exits with EXPECT and its output contains MATCH (a regex, optional).
#   cmake -DCOMMAND=... -DENV=... -DEXPECT=64 -DMATCH=... -P check_exit_code.cmake
foreach(kv ${ENV})
  string(REGEX MATCH "^[^=]+" name "${kv}")
  string(REGEX REPLACE "^[^=]+=" "" value "${kv}")
  set(ENV{${name}} "${value}")
endforeach()
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT "${rc}" STREQUAL "${EXPECT}")
  message(FATAL_ERROR "expected exit ${EXPECT}, got ${rc}\n${out}${err}")
endif()
if(MATCH AND NOT "${out}${err}" MATCHES "${MATCH}")
  message(FATAL_ERROR "output does not match '${MATCH}':\n${out}${err}")
endif()
message(STATUS "exit ${rc} as expected")
