#!/bin/bash
# A guest that runs fine: its exit status comes back, VM_APPEND reaches the
# kernel's command line, and the set-up the suites rely on is there
# (loopback up, the kernel's modules in /lib/modules, a tmpfs cwd).
. "$(dirname "$0")/../../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
VM_TIMEOUT=120 VM_APPEND=vwa.harness_marker=1 "$TOP/scripts/vm.sh" "$KDIR" "$tmp/console.log" '
	grep -qw vwa.harness_marker=1 /proc/cmdline || exit 11
	ip -o link show lo | grep -q "<LOOPBACK,UP" || exit 12
	[ -f /lib/modules/$(uname -r)/modules.dep ] || exit 13
	[ "$(stat -f -c %T .)" = tmpfs ] || exit 14
	touch ./x || exit 15
	echo guest ok
	exit 7' >"$tmp/out" 2>&1 || rc=$?
cat "$tmp/out"
[ $rc = 7 ] || die "vm.sh exited $rc, expected the guest's 7"
echo "exit status 7 came back; VM_APPEND, lo, /lib/modules and the tmpfs cwd are in place"
