#!/bin/bash
# PID 1 of the guest that vm.sh boots: set up the mounts the selftests
# expect, run the command from the out share, write its exit status there
# and power off. No `set -e` and no lib.sh here: if PID 1 exits, the kernel
# panics; every step below is allowed to fail and the power-off still runs.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin HOME=/tmp LANG=C.UTF-8
out=/run/out
echo "vm: init" >/dev/kmsg 2>/dev/null

# devtmpfs is on /dev already (CONFIG_DEVTMPFS_MOUNT); one mount -a does
# the rest: each process started costs ~0.1 s under TCG.
mount -t proc proc /proc
mount -a -T "${0%/*}/guest-fstab"
ip link set lo up
. $out/env # KDIR, TOP
# The kernel's modules where modprobe looks for them.
mount --bind "$KDIR/lib/modules" /lib/modules
export KDIR TOP

cd /run/scratch || cd /tmp
cmd=$(<$out/cmd)
echo "vm: running $cmd" >/dev/kmsg
bash -c "$cmd" >>$out/output 2>&1 </dev/null
rc=$?
echo $rc >$out/status
echo "vm: exit status $rc" >/dev/kmsg
# Wait for the power-off with bash's builtin read on a FIFO that never
# delivers: once it has started, the root share may fail lookups, and an
# external sleep that cannot be found makes PID 1 exit (a panic).
mkfifo /run/poweroff && exec 3<>/run/poweroff
sync
echo o >/proc/sysrq-trigger
# a timeout (status > 128) is the wait done; anything else, the old way
{ read -r -t 10 -u 3 _; [ $? -gt 128 ]; } || sleep 10
