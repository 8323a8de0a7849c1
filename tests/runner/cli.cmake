# The iocpsim command line, end to end.  Arguments: IOCPSIM, CASES, WORK.
# Each cases/*.scn names its exit status (`# expect-exit: N`) and strings its
# output must contain (`# expect-output: ...`).  Then: --rewrite round trip,
# --jobs and --shard consistency, JUnit, usage errors, help, exploration, and
# outcome sets (--outcomes, outcomes-check, outcomes-merge).
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
foreach(args "run" "run --seeds 0 x.scn" "run --shard 3/2 x.scn" "frobnicate" "run --bogus x.scn" "run /nonexistent.scn"
             "run ${CASES}/pass.scn --outcomes" "run ${CASES}/pass.scn --fail-fast --outcomes ${WORK}/ff.txt"
             "run ${CASES}/pass.scn --outcome-kind x --outcomes ${WORK}/ff.txt" "outcomes-check ${CASES}/pass.scn"
             "outcomes-merge ${CASES}/pass.scn")
  separate_arguments(a UNIX_COMMAND "${args}")
  execute_process(COMMAND ${IOCPSIM} ${a} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  check("rc EQUAL 64" "'iocpsim ${args}' exited ${rc}, not 64")
  check("NOT err STREQUAL \"\"" "'iocpsim ${args}' said nothing on stderr")
endforeach()

# help documents every option
execute_process(COMMAND ${IOCPSIM} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
check("rc EQUAL 0" "--help exited ${rc}")
foreach(o --seed --seeds --personality --trace --rewrite --jobs --shard --junit --list --hashes --timeline --fail-fast --quiet
          --outcomes --outcome-kind outcomes-check outcomes-merge coverage list check)
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

# ---- outcome sets (docs/explore.md §7) ----
# --outcomes: the same file with --jobs 1 and 2, and from merged --shard slices
set(ocrun ${IOCPSIM} run ${EXPL}/race.scn ${CASES}/pass.scn --seeds 60 -q)
execute_process(COMMAND ${ocrun} --outcomes ${WORK}/oc1.txt OUTPUT_QUIET RESULT_VARIABLE rc)
execute_process(COMMAND ${ocrun} --jobs 2 --outcomes ${WORK}/oc2.txt OUTPUT_QUIET RESULT_VARIABLE rc2)
check("rc EQUAL 1 AND rc2 EQUAL 1" "--outcomes sweeps over race.scn exited ${rc} and ${rc2}, not 1")
file(READ ${WORK}/oc1.txt oc1)
file(READ ${WORK}/oc2.txt oc2)
check("oc1 STREQUAL oc2" "--outcomes differs between --jobs 1 and 2:\n${oc1}\n---\n${oc2}")
string(REGEX MATCH "race.scn text=[0-9a-f]+ runs=60 distinct=([0-9]+) ([0-9a-f]+)@([0-9]+)" m "${oc1}")
set(ndist "${CMAKE_MATCH_1}")
check("ndist GREATER 1" "race.scn should have several outcomes over 60 seeds:\n${oc1}")
string(FIND "${oc1}" "pass.scn text=" at)
check("${at} GREATER -1" "pass.scn is not in the outcomes file")
execute_process(COMMAND ${ocrun} --shard 1/2 --outcomes ${WORK}/ocs1.txt OUTPUT_QUIET)
execute_process(COMMAND ${ocrun} --shard 2/2 --outcomes ${WORK}/ocs2.txt OUTPUT_QUIET)
execute_process(COMMAND ${IOCPSIM} outcomes-merge -o ${WORK}/ocm.txt ${WORK}/ocs2.txt ${WORK}/ocs1.txt
                ERROR_VARIABLE err RESULT_VARIABLE rc)
file(READ ${WORK}/ocm.txt ocm)
check("rc EQUAL 0 AND ocm STREQUAL oc1" "merged shards (exit ${rc}) differ from one sweep:\n${err}${ocm}\n---\n${oc1}")
execute_process(COMMAND ${IOCPSIM} outcomes-merge -o ${WORK}/ocm1.txt ${WORK}/ocs1.txt
                OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE rc)
string(FIND "${err}" "missing: 2/2" at)
check("rc EQUAL 64 AND ${at} GREATER -1" "merging one shard of two exited ${rc}: ${err}")
# the other run options shape the file and go into its options line
execute_process(COMMAND ${IOCPSIM} run ${EXPL}/race.scn --seeds 20 --strategy pct:2 --timing fixed --personality wine8
                        -q --outcomes ${WORK}/ocp.txt OUTPUT_QUIET)
file(READ ${WORK}/ocp.txt ocp)
string(FIND "${ocp}" "options outcome=history seeds=0..19 strategy=pct:2 timing=fixed personality=wine8 faults=none" at)
string(REGEX MATCH "race.scn text=[0-9a-f]+ runs=20 distinct=[0-9]+ k=[0-9]+ [0-9a-f]+@" m "${ocp}")
check("${at} GREATER -1 AND NOT m STREQUAL \"\"" "pct/timing/personality outcomes file:\n${ocp}")
# outcomes-check: identical files pass
execute_process(COMMAND ${IOCPSIM} outcomes-check ${WORK}/oc1.txt ${WORK}/oc2.txt OUTPUT_VARIABLE out RESULT_VARIABLE rc)
string(REGEX MATCH "lost: +0 " m "${out}")
check("rc EQUAL 0 AND NOT m STREQUAL \"\"" "outcomes-check of identical files exited ${rc}:\n${out}")
# a baseline with one more outcome (0000000000000001, first at seed 7): exit 1, the outcome, its seed, its command
math(EXPR nplus "${ndist} + 1")
string(REGEX REPLACE "(race.scn text=[0-9a-f]+ runs=60) distinct=[0-9]+ " "\\1 distinct=${nplus} 0000000000000001@7 "
       extra "${oc1}")
file(WRITE ${WORK}/oc-extra.txt "${extra}")
execute_process(COMMAND ${IOCPSIM} outcomes-check ${WORK}/oc-extra.txt ${WORK}/oc1.txt OUTPUT_VARIABLE out RESULT_VARIABLE rc)
check("rc EQUAL 1" "outcomes-check with a lost outcome exited ${rc}, not 1:\n${out}")
string(FIND "${out}" "race.scn: outcome 0000000000000001, first at seed 7 in the baseline" at)
check("${at} GREATER -1" "outcomes-check did not name the lost outcome and its seed:\n${out}")
string(FIND "${out}" "iocpsim run ${EXPL}/race.scn --seed 7\n" at)
check("${at} GREATER -1" "outcomes-check did not print the command of the lost outcome:\n${out}")
string(REGEX MATCH "lost: +1\n" m "${out}")
check("NOT m STREQUAL \"\"" "outcomes-check did not count one lost outcome:\n${out}")
# ... and the other way round, the new outcome is gained, nothing lost
execute_process(COMMAND ${IOCPSIM} outcomes-check ${WORK}/oc1.txt ${WORK}/oc-extra.txt OUTPUT_VARIABLE out RESULT_VARIABLE rc)
string(REGEX MATCH "gained: +1\n" m "${out}")
check("rc EQUAL 0 AND NOT m STREQUAL \"\"" "a gained outcome: exit ${rc}:\n${out}")
# a malformed baseline: 64 and FILE:LINE:COL
string(REPLACE "runs=60 distinct=" "runs=60 distinct=x" bad "${oc1}")
file(WRITE ${WORK}/oc-bad.txt "${bad}")
# where the x is: its line (newlines before it, plus 1) and column
string(FIND "${bad}" "distinct=x" at)
math(EXPR at "${at} + 9")
string(SUBSTRING "${bad}" 0 ${at} before)
string(REGEX MATCHALL "\n" nls "${before}")
list(LENGTH nls ln)
math(EXPR ln "${ln} + 1")
string(FIND "${before}" "\n" lastnl REVERSE)
math(EXPR col "${at} - ${lastnl}")
execute_process(COMMAND ${IOCPSIM} outcomes-check ${WORK}/oc-bad.txt ${WORK}/oc1.txt
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
string(FIND "${err}" "${WORK}/oc-bad.txt:${ln}:${col}: expected a decimal number" at)
check("rc EQUAL 64 AND ${at} GREATER -1" "malformed baseline: exit ${rc}, stderr '${err}' (wanted oc-bad.txt:${ln}:${col})")
# other options than the baseline's: 64
execute_process(COMMAND ${IOCPSIM} outcomes-check ${WORK}/oc1.txt ${WORK}/ocp.txt OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE rc)
string(FIND "${err}" "the options differ" at)
check("rc EQUAL 64 AND ${at} GREATER -1" "outcomes-check across different options exited ${rc}: ${err}")
# a scenario whose text changed is listed as not compared, and is no failure
file(READ ${CASES}/pass.scn ptext)
file(WRITE ${WORK}/tc.scn "${ptext}")
execute_process(COMMAND ${IOCPSIM} run ${WORK}/tc.scn --seeds 5 -q --outcomes ${WORK}/tc1.txt OUTPUT_QUIET)
file(WRITE ${WORK}/tc.scn "# one more comment line\n${ptext}")
execute_process(COMMAND ${IOCPSIM} run ${WORK}/tc.scn --seeds 5 -q --outcomes ${WORK}/tc2.txt OUTPUT_QUIET)
execute_process(COMMAND ${IOCPSIM} outcomes-check ${WORK}/tc1.txt ${WORK}/tc2.txt OUTPUT_VARIABLE out RESULT_VARIABLE rc)
string(FIND "${out}" "not compared (scenario text changed): ${WORK}/tc.scn" at)
string(REGEX MATCH "scenarios not compared: +1 \\(text changed 1" m "${out}")
check("rc EQUAL 0 AND ${at} GREATER -1 AND NOT m STREQUAL \"\"" "a changed scenario text: exit ${rc}:\n${out}")

if(failures)
  message(FATAL_ERROR "iocpsim command-line checks failed:\n${failures}")
endif()
