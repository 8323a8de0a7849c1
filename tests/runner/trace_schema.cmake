# The JSONL trace format (docs/trace.md) against its schema
# (docs/trace.schema.json).  Arguments: IOCPSIM, PYTHON (Debian's python3),
# SCHEMA, VALIDATOR (validate_trace.py), SCENARIOS, CASES, WORK.
#
# Traces of runs that pass and fail, over sockets, deadlines, faults, files,
# pipes and the console, must validate line by line and across lines; two
# corrupted copies (a field the format does not have, a completion whose
# request was removed) must not.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
if(NOT PYTHON OR NOT EXISTS "${PYTHON}")
  message(FATAL_ERROR "python3 not found: run scripts/setup (it installs python3 and python3-jsonschema)")
endif()
set(runs
  "${CASES}/five_threads.scn|0"
  "${SCENARIOS}/deadline/deadline_races_completion.scn|3"
  "${SCENARIOS}/accept/reset_before_accept.scn|1"
  "${SCENARIOS}/close/close_during_read_race.scn|5"
  "${SCENARIOS}/pipes|0"
  "${SCENARIOS}/console/one_byte_reads.scn|0"
  "${SCENARIOS}/files|0"
  "${SCENARIOS}/udp|0")
set(traces "")
set(k 0)
foreach(r ${runs})
  string(REPLACE "|" ";" parts "${r}")
  list(GET parts 0 path)
  list(GET parts 1 seed)
  if(IS_DIRECTORY ${path})
    file(GLOB_RECURSE fs ${path}/*.scn)
    list(SORT fs)
    list(GET fs 0 path)
  endif()
  set(t ${WORK}/trace-${k}.jsonl)
  execute_process(COMMAND ${IOCPSIM} run ${path} --seed ${seed} --trace ${t} -q OUTPUT_QUIET RESULT_VARIABLE rc)
  if(NOT EXISTS ${t})
    message(FATAL_ERROR "${path} seed ${seed}: no trace written (exit ${rc})")
  endif()
  list(APPEND traces ${t})
  math(EXPR k "${k} + 1")
endforeach()
execute_process(COMMAND ${PYTHON} ${VALIDATOR} ${SCHEMA} ${traces} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "traces do not match docs/trace.schema.json (exit ${rc}):\n${out}${err}")
endif()
message(STATUS "${out}")

# The checks can fail: a field the format does not have ...
file(STRINGS ${WORK}/trace-0.jsonl lines)
list(GET lines 0 first)
string(REPLACE "\"err\":" "\"extra\":1,\"err\":" bad "${first}")
list(REMOVE_AT lines 0)
list(INSERT lines 0 "${bad}")
list(JOIN lines "\n" text)
file(WRITE ${WORK}/bad-field.jsonl "${text}\n")
# ... and a completion whose request is not in the trace (its line replaced by a Sleep of the same number)
file(STRINGS ${WORK}/trace-0.jsonl lines)
set(out_lines "")
set(done 0)
foreach(l ${lines})
  if(NOT done AND l MATCHES "\"call\":\"IoRequest\"")
    string(REGEX REPLACE "\"call\":\"IoRequest\",\"args\":\\{[^}]*\\},\"ret\":[0-9]+" "\"call\":\"Sleep\",\"args\":{\"ms\":0},\"ret\":0" l "${l}")
    set(done 1)
  endif()
  list(APPEND out_lines "${l}")
endforeach()
list(JOIN out_lines "\n" text)
file(WRITE ${WORK}/bad-request.jsonl "${text}\n")
foreach(b bad-field bad-request)
  execute_process(COMMAND ${PYTHON} ${VALIDATOR} ${SCHEMA} ${WORK}/${b}.jsonl OUTPUT_VARIABLE out ERROR_VARIABLE err
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 1)
    message(FATAL_ERROR "the corrupted trace ${b}.jsonl was not rejected (exit ${rc}):\n${out}${err}")
  endif()
  message(STATUS "${b}.jsonl rejected as it must be: ${out}")
endforeach()
