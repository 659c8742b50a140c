#!/bin/bash
# A guest that panics: vm.sh fails and shows the panic.
. "$(dirname "$0")/../../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
VM_TIMEOUT=120 "$TOP/scripts/vm.sh" "$KDIR" "$tmp/console.log" \
	'echo c > /proc/sysrq-trigger' >"$tmp/out" 2>&1 || rc=$?
cat "$tmp/out"
[ $rc != 0 ] || die "vm.sh exited 0 after a panic"
grep -q 'Kernel panic - not syncing: sysrq triggered crash' "$tmp/out" ||
	die "vm.sh did not show the panic"
echo "vm.sh exits $rc and shows: $(grep -m1 'Kernel panic' "$tmp/out")"
