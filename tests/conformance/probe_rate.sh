#!/bin/sh
# probe_rate.sh OUTDIR [SIDE]: the agreement rate of the differential probes,
# from the OUTDIR/NAME.SIDE.cmp files probe_diff.sh wrote (SIDE: fake, the
# default).  A line agrees when it is identical after masking; a known
# (listed) difference counts as a disagreement here: the rate measures the
# fake against Wine 8.0, the list only keeps the tests green.
set -eu
outdir=${1:?usage: probe_rate.sh OUTDIR [SIDE]}
side=${2:-fake}
set -- "$outdir"/*."$side".cmp
if [ ! -f "$1" ]; then
  echo "no probe results in $outdir (run ctest -R conformance.probe first)"
  exit 1
fi
cat "$@" | awk -v n_probes=$# '
  { total++; if ($1 == "agree") ok++; else if ($1 == "known") known++; else bad++ }
  END {
    printf "lines: %d of %d agree with Wine 8.0 (%.1f%%); %d known differences, %d unexpected\n",
           ok, total, total ? 100 * ok / total : 0, known, bad
  }'
full=0
for f in "$@"; do
  if ! grep -qv '^agree' "$f"; then full=$((full + 1)); fi
done
awk -v f=$full -v n=$# 'BEGIN { printf "probes: %d of %d agree on every line (%.1f%%)\n", f, n, n ? 100 * f / n : 0 }'
