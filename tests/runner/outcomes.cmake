# scn.outcomes: the scenario library's sets of distinct outcomes over seeds
# 0..999 must include every outcome of the recorded baseline
# (docs/explore.md §7).  Arguments: IOCPSIM, SRC (the source tree: the sweep
# runs there so its paths read `scenarios/...` as in the baseline),
# BASELINE, OUT.
file(REMOVE ${OUT})
execute_process(COMMAND ${IOCPSIM} run scenarios --seeds 1000 --jobs 2 -q --outcomes ${OUT}
                WORKING_DIRECTORY ${SRC} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT EXISTS ${OUT})
  message(FATAL_ERROR "the sweep wrote no outcomes file (exit ${rc}):\n${out}${err}")
endif()
# a failing run is a new outcome (and fails its own scn.<area>.<topic> test);
# it fails this test only if it costs a baseline outcome
if(NOT rc EQUAL 0)
  message(STATUS "the sweep exited ${rc}:\n${out}")
endif()
execute_process(COMMAND ${IOCPSIM} outcomes-check ${BASELINE} ${OUT}
                OUTPUT_VARIABLE cout ERROR_VARIABLE cerr RESULT_VARIABLE crc)
message(STATUS "${cout}${cerr}")
if(NOT crc EQUAL 0)
  message(FATAL_ERROR "outcomes-check ${BASELINE} ${OUT} exited ${crc} (1: outcomes lost, 64: bad input)")
endif()
