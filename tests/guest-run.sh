#!/bin/bash
# guest-run.sh: what `make run` shows from inside the patched kernel (run by
# scripts/run.sh in the VM): the kernel, its LSMs, the series' KUnit cases
# that ran at boot, then the scene of demo/scene.sh.
. "$(dirname "$0")/../scripts/lib.sh"

echo "kernel: $(uname -r)"
echo "LSMs:   $(cat /sys/kernel/security/lsm)"
k=/sys/kernel/debug/kunit/vfs_walk_ancestors/results
if [ -r $k ]; then
	echo "KUnit:  vfs_walk_ancestors at boot: $(grep -c '^    ok ' $k) passed, $(grep -c '^    not ok ' $k) failed"
else
	echo "KUnit:  vfs_walk_ancestors did not run ($k missing)"
fi
echo
"$TOP/demo/scene.sh"
