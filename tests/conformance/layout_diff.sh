#!/bin/sh
# Mingw tier: compare the layout probe built against fakewin/include (host
# binary) with the one built against the real Windows headers (run under the
# emulator, i.e. Wine).  Any difference fails with a unified diff.
#   layout_diff.sh OUTDIR FAKEWIN_PROBE [EMULATOR...] REAL_PROBE.exe
set -eu
outdir=${1:?usage: layout_diff.sh OUTDIR FAKEWIN_PROBE [EMULATOR...] REAL_PROBE}
fake_probe=${2:?missing FAKEWIN_PROBE}
shift 2
[ $# -ge 1 ] || { echo "layout_diff.sh: missing REAL_PROBE" >&2; exit 2; }
fake_out=$outdir/layout_fakewin.txt
real_out=$outdir/layout_real.txt

"$fake_probe" > "$fake_out"
# The real probe runs under Wine: its stdout has CRLF line ends.
"$@" > "$real_out.raw"
tr -d '\r' < "$real_out.raw" > "$real_out"
rm -f "$real_out.raw"

# Both outputs must be complete, so that two empty or truncated files
# cannot compare equal.
for f in "$fake_out" "$real_out"; do
  if ! grep -qxF 'sizeof(OVERLAPPED)=32' "$f" || ! grep -qxF 'IN6ADDR_LOOPBACK_INIT.s6_addr[15]=1' "$f"; then
    echo "layout_diff.sh: $f is incomplete" >&2
    exit 1
  fi
done

if diff -u --label "real headers (mingw-w64)" --label "fakewin/include" "$real_out" "$fake_out"; then
  echo "layout probe: $(wc -l < "$fake_out") facts identical in fakewin and the real headers"
else
  echo "layout probe: fakewin differs from the real headers (- real, + fakewin)" >&2
  exit 1
fi
