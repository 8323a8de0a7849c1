# The iocpsim command line, end to end.  Arguments: IOCPSIM, CASES, WORK.
# Each cases/*.scn names its exit status (`# expect-exit: N`) and strings its
# output must contain (`# expect-output: ...`).  Then: --rewrite round trip,
# --jobs and --shard consistency, JUnit, usage errors, help.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(failures "")
# check(CONDITION MESSAGE): CONDITION is if() syntax over variable names.
macro(check cond msg)
  cmake_language(EVAL CODE "if(${cond})\nset(_ok 1)\nelse()\nset(_ok 0)\nendif()")
  if(NOT _ok)
    string(APPEND failures "  ${msg}\n")
  endif()
endmacro()

file(GLOB cases ${CASES}/*.scn)
foreach(f ${cases})
  get_filename_component(name ${f} NAME)
  file(STRINGS ${f} want_exit REGEX "^# expect-exit: ")
  string(REPLACE "# expect-exit: " "" want_exit "${want_exit}")
  file(STRINGS ${f} wants REGEX "^# expect-output: ")
  execute_process(COMMAND ${IOCPSIM} run ${f} --seeds 20 OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  check("rc STREQUAL want_exit" "${name}: exit ${rc}, expected ${want_exit}\n${out}${err}")
  foreach(w ${wants})
    string(REPLACE "# expect-output: " "" w "${w}")
    string(FIND "${out}${err}" "${w}" at)
    check("${at} GREATER -1" "${name}: output lacks '${w}'")
  endforeach()
endforeach()

# --rewrite: strip the history of a passing file, regenerate it, and it passes;
# rewriting again changes nothing (byte for byte).
file(READ ${CASES}/pass.scn text)
file(WRITE ${WORK}/rw.scn "${text}")
execute_process(COMMAND ${IOCPSIM} run ${WORK}/rw.scn --rewrite OUTPUT_VARIABLE out RESULT_VARIABLE rc)
check("rc EQUAL 0" "rewrite: exit ${rc}\n${out}")
file(READ ${WORK}/rw.scn once)
string(FIND "${once}" "history\n  main invoke pair c s\n" at)
check("${at} GREATER -1" "rewrite: no history block written:\n${once}")
string(FIND "${once}" "${text}" at)
check("${at} EQUAL 0" "rewrite: the lines before the block changed")
execute_process(COMMAND ${IOCPSIM} run ${WORK}/rw.scn --seeds 50 -q OUTPUT_VARIABLE out RESULT_VARIABLE rc)
check("rc EQUAL 0" "rewritten file does not pass: ${out}")
execute_process(COMMAND ${IOCPSIM} run ${WORK}/rw.scn --rewrite OUTPUT_QUIET RESULT_VARIABLE rc)
file(READ ${WORK}/rw.scn twice)
check("once STREQUAL twice" "rewrite is not idempotent")
# a wrong golden line is replaced; a failing run rewrites nothing
string(REPLACE "ok \"pong\"" "ok \"pang\"" bad "${once}")
file(WRITE ${WORK}/rw.scn "${bad}")
execute_process(COMMAND ${IOCPSIM} run ${WORK}/rw.scn -q OUTPUT_QUIET RESULT_VARIABLE rc)
check("rc EQUAL 1" "a wrong golden history passed")
execute_process(COMMAND ${IOCPSIM} run ${WORK}/rw.scn --rewrite OUTPUT_QUIET RESULT_VARIABLE rc)
file(READ ${WORK}/rw.scn fixed)
check("fixed STREQUAL once" "rewrite did not restore the golden block")
file(READ ${CASES}/expect_fail.scn ef)
file(WRITE ${WORK}/ef.scn "${ef}")
execute_process(COMMAND ${IOCPSIM} run ${WORK}/ef.scn --rewrite OUTPUT_QUIET RESULT_VARIABLE rc)
file(READ ${WORK}/ef.scn ef2)
check("rc EQUAL 1 AND ef STREQUAL ef2" "a failing run rewrote its file (exit ${rc})")

# --jobs: the same report as one job (times masked); --shard: the slices add up.
execute_process(COMMAND ${IOCPSIM} run ${CASES}/pass.scn ${CASES}/invariant_off.scn --seeds 40 --hashes OUTPUT_VARIABLE j1)
execute_process(COMMAND ${IOCPSIM} run ${CASES}/pass.scn ${CASES}/invariant_off.scn --seeds 40 --hashes --jobs 3 OUTPUT_VARIABLE j3)
string(REGEX REPLACE "[0-9]+\\.[0-9]+s" "T" j1 "${j1}")
string(REGEX REPLACE "[0-9]+\\.[0-9]+s" "T" j3 "${j3}")
check("j1 STREQUAL j3" "--jobs 3 reported differently from --jobs 1:\n${j1}\n---\n${j3}")
set(total 0)
foreach(i 1 2 3)
  execute_process(COMMAND ${IOCPSIM} run ${CASES}/pass.scn ${CASES}/invariant_off.scn --seeds 40 --shard ${i}/3 --hashes
                  OUTPUT_VARIABLE s)
  string(REGEX MATCHALL "\n[^ \n]+\\.scn [0-9]+ [0-9a-f]+" lines "\n${s}")
  list(LENGTH lines n)
  math(EXPR total "${total} + ${n}")
endforeach()
check("total EQUAL 80" "the three shards ran ${total} runs, not 80")

# JUnit: one testcase per scenario, the failure with its replay line.
execute_process(COMMAND ${IOCPSIM} run ${CASES}/pass.scn ${CASES}/expect_fail.scn --seeds 3 --junit ${WORK}/j.xml -q
                OUTPUT_QUIET RESULT_VARIABLE rc)
file(READ ${WORK}/j.xml xml)
string(REGEX MATCHALL "<testcase " tcs "${xml}")
list(LENGTH tcs ntc)
check("ntc EQUAL 2" "JUnit has ${ntc} testcases")
string(FIND "${xml}" "<failure message=\"3 of 3 seeds failed; first: seed 0\"" at)
check("${at} GREATER -1" "JUnit lacks the failure:\n${xml}")
string(FIND "${xml}" "replay: iocpsim run" at)
check("${at} GREATER -1" "JUnit failure lacks the replay line")

# usage errors are 64 and say what is wrong
foreach(args "run" "run --seeds 0 x.scn" "run --shard 3/2 x.scn" "frobnicate" "run --bogus x.scn" "run /nonexistent.scn")
  separate_arguments(a UNIX_COMMAND "${args}")
  execute_process(COMMAND ${IOCPSIM} ${a} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  check("rc EQUAL 64" "'iocpsim ${args}' exited ${rc}, not 64")
  check("NOT err STREQUAL \"\"" "'iocpsim ${args}' said nothing on stderr")
endforeach()

# help documents every option
execute_process(COMMAND ${IOCPSIM} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
check("rc EQUAL 0" "--help exited ${rc}")
foreach(o --seed --seeds --personality --trace --rewrite --jobs --shard --junit --list --hashes --timeline --fail-fast --quiet coverage list check)
  string(FIND "${help}" "${o}" at)
  check("${at} GREATER -1" "--help does not mention ${o}")
endforeach()

if(failures)
  message(FATAL_ERROR "iocpsim command-line checks failed:\n${failures}")
endif()
