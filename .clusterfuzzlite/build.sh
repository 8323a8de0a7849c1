#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script (docs/fuzzing.md).  The
# environment gives $CC, $CFLAGS (the sanitizer and -fsanitize=fuzzer-no-link),
# $LIB_FUZZING_ENGINE (the engine's link flags), $SRC and $OUT.  Builds the two
# fuzz targets with the engine, and puts next to them in $OUT their seed
# corpora, the parser's dictionary and the run target's options.
cd "$SRC/iocpsim"
cmake -S . -B build/cflite -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_EXE_LINKER_FLAGS="$CFLAGS" \
  -DIOCPSIM_LIBFUZZER=ON -DIOCPSIM_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" -DIOCPSIM_WERROR=OFF
cmake --build build/cflite --target fuzz_scn_parse fuzz_scn_run
cp build/cflite/tests/fuzz_scn_parse build/cflite/tests/fuzz_scn_run "$OUT/"

# seed corpora: the scenario files (flattened names) for the parser; the
# generated programs for the state machine
corpus=$(mktemp -d)
for f in scenarios/*/*.scn tests/runner/cases/*.scn tests/findings/*.scn tests/fuzz/corpus/scn_parse/*; do
  cp "$f" "$corpus/$(echo "$f" | tr '/' '_')"
done
(cd "$corpus" && zip -q "$OUT/fuzz_scn_parse_seed_corpus.zip" ./*)
rm -rf "$corpus"
(cd tests/fuzz/corpus/scn_run && zip -q "$OUT/fuzz_scn_run_seed_corpus.zip" ./*)
cp tests/fuzz/scn.dict "$OUT/fuzz_scn_parse.dict"
cat > "$OUT/fuzz_scn_parse.options" <<'OPT'
[libfuzzer]
dict = fuzz_scn_parse.dict
max_len = 4096
OPT
# one run may take seconds (a livelock is declared after 10^7 steps)
cat > "$OUT/fuzz_scn_run.options" <<'OPT'
[libfuzzer]
max_len = 512
timeout = 60
OPT
