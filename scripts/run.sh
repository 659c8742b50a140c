#!/bin/bash
# run.sh: the body of `make run`. Build the kernel with the series and the
# demo's programs, boot the kernel and run the scene of demo/scene.sh: a
# directory protected by a BPF LSM program that walks ancestors with
# bpf_iter_path (demo/subtree_guard), then by Landlock, step by step.
# Exits non-zero if the scene cannot run.
. "$(dirname "$0")/lib.sh"

stage deps "$TOP/scripts/deps.sh"
stage tree "$TOP/scripts/tree.sh"
kdir=$(stage build "$TOP/scripts/build.sh" patched | tail -n 1)
stage build-progs "$TOP/scripts/progs-build.sh" "$kdir" >/dev/null
dir=$BUILD/run
rm -rf "$dir" && mkdir -p "$dir"
log "booting $kdir"
VM_OUT=$dir/out stage vm "$TOP/scripts/vm.sh" "$kdir" "$dir/console.log" \
	"$TOP/tests/guest-run.sh"
