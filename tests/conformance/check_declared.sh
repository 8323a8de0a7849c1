#!/bin/sh
# check_declared.sh SRCDIR LIB...: the functions fakewin's headers declare
# but the libraries (libfakewin.a, libfakewin_program.a) do not define must be exactly those listed under
# "Declared, not implemented yet" in fakewin/include/README.md - so a new
# declaration without an implementation, or an implementation the README
# still calls missing, fails the test.
set -eu
src=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# (a type renamed by macro - u_long, struct timeval, fd_set, pollfd: see
# winsock2.h - is no function: those four are left out)
grep -ho '#define [A-Za-z_0-9]* fw_[A-Za-z_0-9]*' "$src"/fakewin/include/*.h "$src"/fakewin/include/fakewin/*.h |
  awk '{print $3}' | grep -vx 'fw_u_long\|fw_timeval\|fw_fd_set\|fw_pollfd' | sort -u > "$tmp/declared"
nm "$@" 2>/dev/null | awk '$2 == "T" {print $3}' | grep '^fw_' | sort -u > "$tmp/defined"
comm -23 "$tmp/declared" "$tmp/defined" > "$tmp/missing"
sed -n '/^## Declared, not implemented yet/,/^## [^D]/p' "$src/fakewin/include/README.md" |
  grep -o '`[A-Za-z_0-9]*`' | tr -d '`' | sed 's/^/fw_/' | sort -u > "$tmp/listed.all"
# only names the headers declare count (the prose also quotes other words)
comm -12 "$tmp/listed.all" "$tmp/declared" > "$tmp/listed"
if ! cmp -s "$tmp/missing" "$tmp/listed"; then
  echo "declared but not defined (left) vs listed in fakewin/include/README.md (right):"
  diff "$tmp/missing" "$tmp/listed" || true
  exit 1
fi
echo "fakewin: $(wc -l < "$tmp/declared") functions declared, $(wc -l < "$tmp/missing") listed as not implemented yet"
