# Builds the core with each historical Go bug a..f in turn (core/CMakeLists.txt
# IOCPSIM_GO_BUG) in one separate build tree, WORK, and shows that the
# scenario library catches each one, and that the search strategies catch the
# schedule-dependent one (docs/findings.md).  One tree: switching the bug
# recompiles only the core, so the six builds cost one build plus six small
# ones.  Arguments: SRC, WORK, CC, FLAGS, GENERATOR.
#
# For each bug: `iocpsim run scenarios/ -q` must fail, and every scenario
# named in `catchers` below must be among the failures (the ones that catch it
# at seed 0); then the extra runs named in `searches` must fail too.
set(bugs a b c d e f)
set(catchers_a init/skip_modes.scn)
set(catchers_b accept/retry_reset_errors.scn accept/reset_before_accept.scn)
set(catchers_c execio/complete_before_cancel.scn execio/cancel_too_late.scn)
set(catchers_d regressions/golang-go-58870.scn)
set(catchers_e stream/eof_rules.scn)
set(catchers_f execio/completion_msgsize.scn)
# schedule-dependent: the three strategies each find the middle of the race
set(searches_c "deadline/deadline_races_completion.scn|--strategy|pct:3|--seeds|200"
               "deadline/deadline_races_completion.scn|--strategy|dfs:2"
               "deadline/deadline_races_completion.scn|--seeds|200")

set(failures "")
foreach(bug ${bugs})
  if(NOT EXISTS ${WORK}/CMakeCache.txt)
    execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${WORK} -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Debug
                            -DCMAKE_C_COMPILER=${CC} "-DCMAKE_C_FLAGS=${FLAGS}" -DIOCPSIM_GO_BUG=${bug}
                    OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
  else()
    execute_process(COMMAND ${CMAKE_COMMAND} -DIOCPSIM_GO_BUG=${bug} ${WORK}
                    OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "bug ${bug}: configure failed:\n${out}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK} --target iocpsim
                  OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "bug ${bug}: build failed:\n${out}")
  endif()
  set(iocpsim ${WORK}/sim/runner/iocpsim)
  execute_process(COMMAND ${iocpsim} run scenarios -q
                  WORKING_DIRECTORY ${SRC} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  string(REGEX MATCHALL "FAIL scenarios/[^ ]+\\.scn" failed "${out}")
  string(REPLACE "FAIL scenarios/" "" failed "${failed}")
  list(REMOVE_DUPLICATES failed)
  message(STATUS "bug ${bug}: the library fails (exit ${rc}) in: ${failed}")
  if(rc EQUAL 0)
    string(APPEND failures "  bug ${bug}: the scenario library passed\n")
  endif()
  foreach(c ${catchers_${bug}})
    list(FIND failed ${c} at)
    if(at LESS 0)
      string(APPEND failures "  bug ${bug}: ${c} did not fail\n")
    endif()
  endforeach()
  foreach(s ${searches_${bug}})
    string(REPLACE "|" ";" args "${s}")
    list(POP_FRONT args file)
    execute_process(COMMAND ${iocpsim} run scenarios/${file} ${args} --fail-fast -q
                    WORKING_DIRECTORY ${SRC} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
    string(REGEX MATCH "[0-9]+ runs[^\n]*" summary "${out}")
    string(REPLACE ";" " " shown "${args}")
    message(STATUS "bug ${bug}: ${file} ${shown}: exit ${rc}, ${summary}")
    if(rc EQUAL 0)
      string(APPEND failures "  bug ${bug}: ${file} ${shown} found nothing\n")
    endif()
  endforeach()
endforeach()
if(failures)
  message(FATAL_ERROR "a re-introduced Go bug went unnoticed:\n${failures}")
endif()
message(STATUS "every re-introduced Go bug was caught")
