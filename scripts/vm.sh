#!/bin/bash
# vm.sh KDIR LOGFILE CMD...: boot KDIR/bzImage under QEMU (TCG) with the
# host's root shared read-only over 9p, run CMD in the guest and power off.
#
# CMD is joined with spaces and run by bash -c in a tmpfs scratch directory
# (like ssh does), so both `vm.sh K L ./prog -x` and `vm.sh K L 'a > b'` work.
# Its output is streamed to stdout; the serial console (kernel messages and
# the guest init's own) goes to LOGFILE, which is scanned after the run.
#
# Exit status: CMD's, or non-zero with the relevant log lines on stderr when
# the log shows a panic, oops, BUG, WARNING, lockdep or RCU splat, or when
# the guest hung (VM_TIMEOUT seconds, default 600) or gave no exit status.
# Env: VM_TIMEOUT, VM_SMP (number of vCPUs, default 2), VM_TCG_THREAD
# (single, the default, or multi: see below), VM_APPEND (extra
# kernel command line), VM_OUT (host directory shared writable with the guest
# as /run/out; default: temporary), VM_ICOUNT (a shift S from 0 to 10: the
# guest's clock counts instructions, 2^S ns each, QEMU's -icount;
# single-threaded TCG only, and with several vCPUs it counts those of all).
. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || die "usage: vm.sh KDIR LOGFILE CMD..."
kdir=$(realpath "$1") log=$2
shift 2
[ -f "$kdir/bzImage" ] || die "no bzImage in $kdir"
# The guest sees the host's files through the root share, except where it
# mounts tmpfs.
for p in "$TOP" "$kdir"; do
	case $p/ in /tmp/* | /run/* | /var/tmp/*) die "$p is under /tmp, /run or /var/tmp, which the guest covers with tmpfs" ;; esac
done
timeout=${VM_TIMEOUT:-600}

if [ -n "${VM_OUT:-}" ]; then
	out=$(realpath "$VM_OUT")
	mkdir -p "$out"
	rm -f "$out/status" "$out/output"
else
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi
# The guest binds KDIR's modules onto /lib/modules: the mount point must
# exist in the host root it boots from (Debian has it once a kernel is
# installed; a container may not).
[ -d /lib/modules ] || mkdir -p /lib/modules
printf 'KDIR=%q\nTOP=%q\n' "$kdir" "$TOP" >"$out/env"
printf '%s\n' "$*" >"$out/cmd"
: >"$out/output"

cmdline="root=root rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro"
cmdline+=" console=ttyS0 panic=-1 oops=panic printk.devkmsg=on init=$TOP/scripts/guest-init.sh ${VM_APPEND:-}"

# One host thread runs all vCPUs by default: with QEMU 7.2's multi-threaded
# TCG, a vCPU now and then runs code that another one has just patched with
# text_poke_bp() and oopses on a stale int3 (seen once in about 40 boots, at
# "sched_clock: Marking stable").  VM_TCG_THREAD=multi gives truer
# parallelism to stress runs, with that risk.
# With VM_ICOUNT, the guest's clocks (and so its timings and perf's
# cpu-clock samples) advance with the instructions it executes while it
# runs: a measurement that only computes (no I/O, no idle) gives nearly the
# same count whatever the host's load. Every instruction weighs the same
# (and each iteration of a REP string instruction counts as one): it
# measures instructions, not cycles.
icount=()
if [ -n "${VM_ICOUNT:-}" ]; then
	[[ $VM_ICOUNT =~ ^([0-9]|10)$ ]] || die "VM_ICOUNT must be a shift from 0 to 10, not '$VM_ICOUNT'"
	[ "${VM_TCG_THREAD:-single}" = single ] || die "VM_ICOUNT needs single-threaded TCG"
	icount=(-icount "shift=$VM_ICOUNT")
fi
t0=$(date +%s.%N)
timeout -k 5 "$timeout" qemu-system-x86_64 -accel tcg,thread="${VM_TCG_THREAD:-single}" -cpu max "${icount[@]}" \
	-smp "${VM_SMP:-2}" -m 4G -nographic -no-reboot \
	-kernel "$kdir/bzImage" -append "$cmdline" \
	-virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap \
	-virtfs local,path="$out",mount_tag=out,security_model=none,multidevs=remap \
	</dev/null >"$log" 2>&1 &
qemu=$!
tail -n +1 -s 0.2 --pid=$qemu -f "$out/output" &
tailpid=$!
rc=0
wait $qemu || rc=$?
wait $tailpid || true
secs=$(echo "$(date +%s.%N) - $t0" | bc)
# The guest init logs when the command starts: boot time = that moment.
boot=$(sed -n 's/^\[ *\([0-9.]*\)\] vm: running.*/\1/p' "$log" | head -1)
log "vm: ${secs%.*}s in QEMU (guest reached the command at ${boot:-?}s), log: $log"

# Lines that fail a run; tests/vm-log-allow.txt lists expected exceptions.
bad='Kernel panic|Oops|BUG:|WARNING:|possible circular locking|possible recursive locking|inconsistent lock state|lockdep|suspicious RCU usage|KASAN|UBSAN|Call Trace|blocked for more than|detected stall'
allow=$TOP/tests/vm-log-allow.txt
hits=$(grep -nE "$bad" "$log" | grep -vEf <(grep -v '^#' "$allow" | grep .) || true)

fail() {
	echo "vm: FAIL: $1 (kernel $kdir)" >&2
	shift
	[ $# -eq 0 ] || "$@" >&2
	exit 1
}
context() { # the first three splats, ~20 lines each
	local n end=0 shown=0
	for n in $(echo "$hits" | cut -d: -f1); do
		[ "$n" -gt "$end" ] && [ $shown -lt 3 ] || continue
		end=$((n + 17)) shown=$((shown + 1))
		echo "--- $log:$n"
		sed -n "$((n > 3 ? n - 3 : 1)),${end}p" "$log"
	done
}
case $rc in 124 | 137) fail "timeout after ${timeout}s" tail -n 20 "$log" ;; esac
[ "$rc" = 0 ] || fail "qemu exited with status $rc" tail -n 20 "$log"
[ -z "$hits" ] || fail "$(echo "$hits" | head -1 | cut -d: -f2-)" context
[ -s "$out/status" ] || fail "the guest gave no exit status" tail -n 20 "$log"
exit "$(cat "$out/status")"
