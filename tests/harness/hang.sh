#!/bin/bash
# A guest that hangs: vm.sh kills it after VM_TIMEOUT and says so.
. "$(dirname "$0")/../../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
VM_TIMEOUT=20 "$TOP/scripts/vm.sh" "$KDIR" "$tmp/console.log" sleep 1000 >"$tmp/out" 2>&1 || rc=$?
cat "$tmp/out"
[ $rc != 0 ] || die "vm.sh exited 0 on a hang"
grep -q 'timeout' "$tmp/out" || die "vm.sh did not report the timeout"
echo "vm.sh exits $rc and says: $(grep -m1 'timeout' "$tmp/out")"
