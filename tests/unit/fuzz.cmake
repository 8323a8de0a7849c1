# Fuzz targets (docs/fuzzing.md), native tier only.
#   fuzz_scn_parse   the scenario parser on arbitrary bytes
#   fuzz_scn_run     the state machine: an operation program and the decisions
# With IOCPSIM_LIBFUZZER (the `fuzz` preset: clang, ASan + UBSan) they link
# libFuzzer; otherwise tests/fuzz/fuzz_main.c is their main (plain gcc here,
# afl-clang-fast for AFL++), which runs each file given once.
#   fuzz.replay.*    replays every corpus file through both entry points
if(NOT WIN32)
  option(IOCPSIM_LIBFUZZER "Link the fuzz targets with libFuzzer (the fuzz preset)" OFF)
  set(IOCPSIM_FUZZ_ENGINE "-fsanitize=fuzzer" CACHE STRING
      "Link flags of the fuzzing engine (OSS-Fuzz/ClusterFuzzLite pass $LIB_FUZZING_ENGINE)")
  set(FUZZ_DIR ${CMAKE_SOURCE_DIR}/tests/fuzz)
  foreach(t scn_parse scn_run)
    if(IOCPSIM_LIBFUZZER)
      add_executable(fuzz_${t} ${FUZZ_DIR}/fuzz_${t}.c)
      separate_arguments(engine UNIX_COMMAND "${IOCPSIM_FUZZ_ENGINE}")
      target_link_options(fuzz_${t} PRIVATE ${engine})
    else()
      add_executable(fuzz_${t} ${FUZZ_DIR}/fuzz_${t}.c ${FUZZ_DIR}/fuzz_main.c)
    endif()
    iocpsim_warnings(fuzz_${t})
    target_link_libraries(fuzz_${t} PRIVATE iocpsim_runner)
  endforeach()
  add_executable(fuzz-gen-corpus ${FUZZ_DIR}/gen_corpus.c)
  iocpsim_warnings(fuzz-gen-corpus)
  target_link_libraries(fuzz-gen-corpus PRIVATE iocpsim_runner)

  # The parser's corpus: every scenario of the library and of the runner's
  # own tests, plus the checked-in inputs (corpus/scn_parse).  The state
  # machine's: the checked-in inputs (corpus/scn_run, written by
  # fuzz-gen-corpus), and every parser input read as a program too.
  file(GLOB_RECURSE FUZZ_SCN_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/scenarios/*.scn
       ${CMAKE_SOURCE_DIR}/tests/runner/cases/*.scn)
  # A flat copy of them, since libFuzzer replays directories only (refreshed
  # at every configure; the glob re-runs it when a file is added).
  set(FUZZ_SCN_CORPUS ${CMAKE_CURRENT_BINARY_DIR}/fuzz-corpus-scn)
  file(REMOVE_RECURSE ${FUZZ_SCN_CORPUS})
  foreach(f ${FUZZ_SCN_FILES})
    file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${f})
    string(REPLACE "/" "_" flat ${rel})
    configure_file(${f} ${FUZZ_SCN_CORPUS}/${flat} COPYONLY)
  endforeach()
  if(IOCPSIM_LIBFUZZER)
    set(replay_flags -runs=0)
  else()
    set(replay_flags "")
  endif()
  add_test(NAME fuzz.replay.scn_parse
           COMMAND fuzz_scn_parse ${replay_flags} ${FUZZ_DIR}/corpus/scn_parse ${FUZZ_SCN_CORPUS})
  iocpsim_test_properties(fuzz.replay.scn_parse 120)
  add_test(NAME fuzz.replay.scn_run
           COMMAND fuzz_scn_run ${replay_flags} ${FUZZ_DIR}/corpus/scn_run ${FUZZ_DIR}/corpus/scn_parse
                   ${FUZZ_SCN_CORPUS})
  iocpsim_test_properties(fuzz.replay.scn_run 300)
  # The checked-in state-machine corpus is what the generator writes.
  add_test(NAME fuzz.corpus.up_to_date
           COMMAND ${CMAKE_COMMAND} -DGEN=$<TARGET_FILE:fuzz-gen-corpus> -DCORPUS=${FUZZ_DIR}/corpus/scn_run
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/fuzz-corpus -P ${FUZZ_DIR}/check_corpus.cmake)
  iocpsim_test_properties(fuzz.corpus.up_to_date 60)
endif()
