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

# ---- exploration (docs/explore.md), on explore/*.scn ----
get_filename_component(EXPL ${CASES}/../explore ABSOLUTE)
# DFS finds the failing schedules, says the space was exhausted, and prints a token that replays one exactly
execute_process(COMMAND ${IOCPSIM} run ${EXPL}/race.scn --strategy dfs:1 --fail-fast
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
check("rc EQUAL 1" "dfs:1 on race.scn exited ${rc}:\n${out}${err}")
string(REGEX MATCH "iocpsim replay '([^']+)'" m "${out}")
set(tok "${CMAKE_MATCH_1}")
string(LENGTH "${tok}" toklen)
check("toklen GREATER 10 AND toklen LESS_EQUAL 160" "dfs failure token '${tok}' (${toklen} characters)")
execute_process(COMMAND ${IOCPSIM} replay "${tok}" OUTPUT_VARIABLE rout RESULT_VARIABLE rrc)
check("rrc EQUAL 1" "replaying '${tok}' exited ${rrc}")
string(FIND "${rout}" "got:      ENETCLOSING" at)
check("${at} GREATER -1" "replay did not reproduce the failure:\n${rout}")
execute_process(COMMAND ${IOCPSIM} run ${EXPL}/race.scn --strategy dfs:1 OUTPUT_VARIABLE out RESULT_VARIABLE rc)
string(FIND "${out}" "dfs:1 exhausted after" at)
check("${at} GREATER -1" "dfs:1 did not exhaust the space:\n${out}")
# PCT prints its probability bound
execute_process(COMMAND ${IOCPSIM} run ${EXPL}/race.scn --strategy pct:2 --seeds 50 OUTPUT_VARIABLE out RESULT_VARIABLE rc)
string(REGEX MATCH ">= 1/\\(n\\*k\\^\\(d-1\\)\\) = [0-9.e-]+" m "${out}")
check("NOT m STREQUAL \"\"" "pct:2 printed no bound:\n${out}")
# a seeded failure's token replays it; a broken token is a usage error
execute_process(COMMAND ${IOCPSIM} run ${EXPL}/race.scn --seeds 200 --fail-fast OUTPUT_VARIABLE out RESULT_VARIABLE rc)
string(REGEX MATCH "iocpsim replay '([^']+)'" m "${out}")
set(stok "${CMAKE_MATCH_1}")
execute_process(COMMAND ${IOCPSIM} replay "${stok}" OUTPUT_QUIET RESULT_VARIABLE rrc)
check("rc EQUAL 1 AND rrc EQUAL 1" "seeded failure ${rc}, its replay ${rrc} ('${stok}')")
execute_process(COMMAND ${IOCPSIM} replay "v1:${EXPL}/race.scn:-:c!!" OUTPUT_QUIET ERROR_QUIET RESULT_VARIABLE rrc)
check("rrc EQUAL 64" "a malformed token exited ${rrc}, not 64")
# --shrink writes a smaller scenario that fails the same way, with a token that replays it
file(MAKE_DIRECTORY ${WORK}/shrink)
execute_process(COMMAND ${IOCPSIM} run ${EXPL}/race.scn --seeds 200 --fail-fast --shrink --shrink-time 20
                WORKING_DIRECTORY ${WORK}/shrink OUTPUT_VARIABLE out RESULT_VARIABLE rc)
check("EXISTS ${WORK}/shrink/race.shrunk.scn" "--shrink wrote no race.shrunk.scn:\n${out}")
if(EXISTS ${WORK}/shrink/race.shrunk.scn)
  file(STRINGS ${WORK}/shrink/race.shrunk.scn replay_line REGEX "^# replay: ")
  string(REGEX MATCH "'([^']+)'" m "${replay_line}")
  execute_process(COMMAND ${IOCPSIM} replay "${CMAKE_MATCH_1}" WORKING_DIRECTORY ${WORK}/shrink
                  OUTPUT_VARIABLE rout RESULT_VARIABLE rrc)
  check("rrc EQUAL 1" "the shrunk scenario's token does not fail (${rrc}):\n${rout}")
  file(STRINGS ${WORK}/shrink/race.shrunk.scn steps REGEX "^  ")
  list(LENGTH steps nsteps)
  check("nsteps LESS 5" "the shrunk scenario kept ${nsteps} steps of 5")
endif()
# --fail-nth tries every site and reports the runs outside the allowed results with their --fault
execute_process(COMMAND ${IOCPSIM} run ${CASES}/pass.scn --fail-nth OUTPUT_VARIABLE out RESULT_VARIABLE rc)
string(REGEX MATCH "([0-9]+) call sites, ([0-9]+) runs, ([0-9]+) outside the allowed results" m "${out}")
check("NOT m STREQUAL \"\" AND CMAKE_MATCH_2 GREATER 20 AND CMAKE_MATCH_3 GREATER 0" "fail-nth summary: '${m}'")
string(FIND "${out}" "--fault 'WSARecv nth=1 -> " at)
check("${at} GREATER -1" "fail-nth did not try WSARecv:\n${out}")
# timings: varied, a recv may get part of the bytes; fixed, it always gets them all
execute_process(COMMAND ${IOCPSIM} run ${EXPL}/delivery.scn --seeds 200 --timing fixed -q OUTPUT_VARIABLE out RESULT_VARIABLE rc_fixed)
execute_process(COMMAND ${IOCPSIM} run ${EXPL}/delivery.scn --seeds 200 -q OUTPUT_VARIABLE out RESULT_VARIABLE rc_vary)
string(FIND "${out}" "got:      ok \"hello\"" partial)
check("rc_fixed EQUAL 0 AND rc_vary EQUAL 1 AND partial GREATER -1"
      "delivery timing: fixed exited ${rc_fixed}, varied ${rc_vary} (partial read seen: ${partial})\n${out}")

if(failures)
  message(FATAL_ERROR "iocpsim command-line checks failed:\n${failures}")
endif()
