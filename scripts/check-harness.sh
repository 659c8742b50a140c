#!/bin/bash
# check-harness.sh: the harness's own tests, tests/harness/*.sh. Each must
# exit 0 and say in its last line what it checked; this prints one line
# "PASS|FAIL harness/<name>: ..." per test and fails if any failed.
# KDIR: the kernel the tests boot (default: the base kernel, built if need be).
. "$(dirname "$0")/lib.sh"

if [ -z "${KDIR:-}" ]; then
	KDIR=$("$TOP/scripts/build.sh" base | tail -n 1)
fi
export KDIR
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
quiet() { "$@" >"$tmp" 2>&1; }
rc=0
for t in "$TOP"/tests/harness/*.sh; do
	name=harness/$(basename "$t" .sh)
	if stage "$name" quiet "$t"; then
		echo "PASS $name: $(tail -n 1 "$tmp")"
	else
		echo "FAIL $name: $(tail -n 1 "$tmp")"
		sed 's/^/    /' "$tmp" | tail -n 30
		rc=1
	fi
done
exit $rc
