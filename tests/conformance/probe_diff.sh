#!/bin/sh
# probe_diff.sh SIDE NAME SRCDIR OUTDIR [EMULATOR...] PROBE
# Runs one differential probe and compares its output with what the same
# program printed under Wine 8.0 (SRCDIR/wine/NAME.out, recorded by
# scripts/probe-record).
#   SIDE fake: PROBE is the native build; it runs in a fake world with the
#              wine8 personality (IOCPSIM_PERSONALITY=wine8, seed 0) and,
#              as under ctest's Wine, no console (IOCPSIM_CONSOLE=none).
#   SIDE wine: PROBE is the mingw .exe, run under the emulator (Wine): checks
#              that the recorded output is still what Wine prints.
# The probe's exit status is compared too (a last line "exit: N").
#
# Lines are "key: value" and compared in order.  Masked: a token that starts
# with '~' (handle and pointer values, port numbers: the probe marks them);
# a token "@N" is an elapsed time in ms and agrees within 60 ms or 25%.
# Carriage returns are dropped (Wine's C runtime writes CRLF).  A difference
# is allowed only if SRCDIR/known-differences.txt lists "NAME KEY" (fake side
# only); a listed difference that no longer occurs fails too, so the list
# stays true.  Writes OUTDIR/NAME.SIDE.out and OUTDIR/NAME.SIDE.cmp (one line
# per compared line: "agree KEY", "known KEY" or "differ KEY").
set -u
side=${1:?usage: probe_diff.sh SIDE NAME SRCDIR OUTDIR [EMULATOR...] PROBE}
name=${2:?missing NAME}
srcdir=${3:?missing SRCDIR}
outdir=${4:?missing OUTDIR}
shift 4
[ $# -ge 1 ] || { echo "probe_diff.sh: missing PROBE" >&2; exit 2; }
mkdir -p "$outdir"
golden=$srcdir/wine/$name.out
known=$srcdir/known-differences.txt
out=$outdir/$name.$side.out
cmp=$outdir/$name.$side.cmp

if [ "$side" = fake ]; then
  IOCPSIM_PERSONALITY=wine8 IOCPSIM_SEED=0 IOCPSIM_CONSOLE=none "$@" > "$out.raw" 2>"$outdir/$name.$side.err"
  rc=$?
else
  "$@" > "$out.raw"
  rc=$?
fi
tr -d '\r' < "$out.raw" > "$out"
rm -f "$out.raw"
echo "exit: $rc" >> "$out"

if [ ! -f "$golden" ]; then
  echo "probe_diff.sh: no recorded Wine output $golden (run scripts/probe-record)" >&2
  cat "$out"
  exit 1
fi

awk -v name="$name" -v side="$side" -v cmpfile="$cmp" -v knownfile="$known" '
  function key(line,   k) {
    k = line
    if (index(k, ": ") > 0) k = substr(k, 1, index(k, ": ") - 1)
    return k
  }
  function same(a, b,   na, nb, ta, tb, i, x, y, d, tol) {
    if (a == b) return 1
    na = split(a, ta, " ")
    nb = split(b, tb, " ")
    if (na != nb) return 0
    for (i = 1; i <= na; i++) {
      if (ta[i] == tb[i]) continue
      if (substr(ta[i], 1, 1) == "~" && substr(tb[i], 1, 1) == "~") continue
      if (ta[i] ~ /^@[0-9]+$/ && tb[i] ~ /^@[0-9]+$/) {
        x = substr(ta[i], 2) + 0; y = substr(tb[i], 2) + 0
        d = x > y ? x - y : y - x
        tol = (x > y ? x : y) / 4
        if (tol < 60) tol = 60
        if (d <= tol) continue
      }
      return 0
    }
    return 1
  }
  BEGIN {
    if (side == "fake") {
      while ((getline l < knownfile) > 0) {
        if (l ~ /^[ \t]*(#|$)/) continue
        split(l, f, /[ \t]+/)
        if (f[1] == name) { allowed[f[2]] = 1; listed[f[2]] = 0 }
      }
    }
  }
  FNR == NR { g[++ng] = $0; next }
  { o[++no] = $0 }
  END {
    n = ng > no ? ng : no
    bad = 0
    for (i = 1; i <= n; i++) {
      k = i <= ng ? key(g[i]) : key(o[i])
      if (i <= ng && i <= no && same(g[i], o[i])) { print "agree " k > cmpfile; continue }
      if (k in allowed) { print "known " k > cmpfile; listed[k] = 1; continue }
      print "differ " k > cmpfile
      printf "%s: line %d differs\n  wine: %s\n  %s: %s\n", name, i,
             i <= ng ? g[i] : "(none)", side, i <= no ? o[i] : "(none)"
      bad++
    }
    for (k in listed) if (!listed[k]) {
      printf "%s: known-differences.txt lists %s, which no longer differs: remove it\n", name, k
      bad++
    }
    exit bad > 0
  }
' "$golden" "$out"
st=$?
a=$(grep -c '^agree' "$cmp"); k=$(grep -c '^known' "$cmp"); d=$(grep -c '^differ' "$cmp")
echo "probe $name ($side): $a lines agree, $k known differences, $d unexpected"
if [ "$side" = fake ] && [ -s "$outdir/$name.$side.err" ]; then
  echo "stderr of the fake run:"; cat "$outdir/$name.$side.err"
fi
exit $st
