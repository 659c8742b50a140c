#!/bin/bash
# guest-run.sh: what `make run` shows from inside the patched kernel (run by
# scripts/run.sh in the VM): the kernel, its LSMs, its BTF, and a run of the
# series' own tests (results left in the out share, as guest-suites.sh does).
. "$(dirname "$0")/../scripts/lib.sh"

echo "kernel: $(uname -r)"
echo "LSMs:   $(cat /sys/kernel/security/lsm)"
if [ -r /sys/kernel/btf/vmlinux ]; then
	echo "BTF:    present (/sys/kernel/btf/vmlinux, $(stat -c %s /sys/kernel/btf/vmlinux) bytes)"
else
	echo "BTF:    MISSING (/sys/kernel/btf/vmlinux)"
fi
# The series' own test_progs tests: those of tests/bpf-tests.txt named path_iter*.
own=$(grep '^path_iter' "$TOP/tests/bpf-tests.txt" | paste -sd, || true)
BPF_TESTS=$own "$TOP/tests/guest-suites.sh" ${own:+bpf} kunit
