#!/usr/bin/env bash
# bench/gobug-hunt.sh: how many runs each search strategy needs to catch each
# historical Go bug re-introduced with IOCPSIM_GO_BUG=a..f (docs/findings.md).
# Builds the core with each bug in build/gobug-hunt (one tree: a switch
# recompiles only the core), then for every scenario that catches the bug
# prints the runs to the first failure under: the seeded random walk (seeds
# 0, 1, ...), pct:3 (seeds 0, 1, ...) and dfs:2 (every schedule with at most
# two preemptions, in order).  Printed, never asserted (gobug.caught asserts).
#   bench/gobug-hunt.sh [a b ...]     only the named bugs
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
work=build/gobug-hunt
bugs=("$@")
[ ${#bugs[@]} -gt 0 ] || bugs=(a b c d e f)
declare -A catchers=(
  [a]="init/skip_modes.scn init/skip_modes_effect.scn execio/sync_error_msgsize.scn udp/msgsize.scn"
  [b]="accept/retry_reset_errors.scn accept/reset_before_accept.scn accept/retry_without_limit.scn"
  [c]="execio/complete_before_cancel.scn execio/cancel_too_late.scn deadline/deadline_races_completion.scn"
  [d]="poller/foreign_completion.scn regressions/golang-go-58870.scn"
  [e]="stream/eof_rules.scn udp/zero_byte.scn"
  [f]="execio/completion_msgsize.scn udp/msgsize.scn msg/writemsg_oob.scn"
)
runs() { # the "N runs" of a summary line, or "-" when nothing failed
  local out rc
  out=$("$@" --fail-fast -q 2>&1); rc=$?
  local n
  n=$(printf '%s\n' "$out" | sed -n 's/^1 scenarios, \([0-9]*\) runs.*/\1/p' | tail -1)
  if [ $rc -eq 0 ]; then echo "- (${n:-?} passed)"; else echo "${n:-?} (exit $rc)"; fi
}
printf '%-4s %-44s %-14s %-14s %-14s\n' bug scenario random pct:3 dfs:2
for b in "${bugs[@]}"; do
  if [ ! -f $work/CMakeCache.txt ]; then
    cmake -S . -B $work -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=gcc "-DCMAKE_C_FLAGS=-g -O1" \
      -DIOCPSIM_GO_BUG=$b >/dev/null 2>&1 || { echo "configure failed"; exit 1; }
  else
    cmake -DIOCPSIM_GO_BUG=$b $work >/dev/null 2>&1 || { echo "configure failed"; exit 1; }
  fi
  cmake --build $work --target iocpsim >/dev/null 2>&1 || { echo "build of bug $b failed"; exit 1; }
  io=$work/sim/runner/iocpsim
  for s in ${catchers[$b]}; do
    f=scenarios/$s
    printf '%-4s %-44s %-14s %-14s %-14s\n' "$b" "$s" "$(runs $io run $f --seeds 10000)" \
      "$(runs $io run $f --strategy pct:3 --seeds 10000)" "$(runs $io run $f --strategy dfs:2 --max-runs 100000)"
  done
done
