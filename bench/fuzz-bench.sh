#!/usr/bin/env bash
# bench/fuzz-bench.sh: fuzz executions per second of both fuzz targets
# (docs/bench.md "Fuzzing").  Builds the `fuzz` preset (clang, libFuzzer,
# ASan + UBSan), runs each target SECS seconds (default 60) from its seed
# corpus in a fresh working corpus, and prints libFuzzer's executions, its
# exec/s (wall clock) and the executions per CPU second of the process (on a
# shared machine the wall-clock rate drops with the load; the CPU rate does
# not).  Printed, never asserted.  A finding ends that target's run early and
# is reported.
#   bench/fuzz-bench.sh [SECS]
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
secs=${1:-60}
command -v clang >/dev/null || { echo "fuzz-bench: needs clang (the fuzz preset)"; exit 1; }
cmake --preset fuzz >/dev/null && cmake --build --preset fuzz >/dev/null || { echo "fuzz-bench: build failed"; exit 1; }
b=build/fuzz/tests
work=build/fuzz/bench
rm -rf "$work"
printf '%-16s %8s %10s %12s %10s  %s\n' target seconds execs "exec/s" "exec/cpu-s" load
for t in scn_parse scn_run; do
  mkdir -p "$work/$t" "$work/art"
  if [ "$t" = scn_parse ]; then
    seeds=(tests/fuzz/corpus/scn_parse "$b/fuzz-corpus-scn"); extra=(-dict=tests/fuzz/scn.dict -max_len=4096)
  else
    seeds=(tests/fuzz/corpus/scn_run); extra=(-max_len=512)
  fi
  log=$work/$t.log
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/env time -f '%U %S' -o "$work/$t.time" "$b/fuzz_$t" -max_total_time="$secs" -timeout=60 \
    -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$work/art/$t-" "${extra[@]}" "$work/$t" "${seeds[@]}" \
    >"$log" 2>&1
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cpu=$(tail -1 "$work/$t.time" 2>/dev/null | awk '{print $1 + $2}')
  per_cpu=$(awk -v e="${execs:-0}" -v c="${cpu:-0}" 'BEGIN { if (c > 0) printf "%.0f", e / c; else print "?" }')
  note=""
  ls "$work/art/$t-"* >/dev/null 2>&1 && note="  FINDING: $(ls "$work/art/$t-"* | head -1)"
  printf '%-16s %8s %10s %12s %10s  %s%s\n' "fuzz_$t" "$secs" "${execs:-?}" "${eps:-?}" "$per_cpu" "$load" "$note"
done
echo "(target: 10000 exec/s for fuzz_scn_run under ASan; see docs/bench.md)"
