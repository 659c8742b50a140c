#!/bin/bash
# progs-build.sh KDIR: build the harness's own programs against the kernel
# in KDIR (scripts/build.sh patched) into build/progs, and print that
# directory:
#   subtree_guard  demo/: make run's BPF LSM program and its libbpf loader
#   walk_stress    tests/stress/: make test-debug's stress program
#   sandboxer      samples/landlock/sandboxer.c, the kernel's Landlock sample
# The BPF programs use the selftests' bpftool, libbpf, vmlinux.h and
# bpf_experimental.h (bpf_clang in lib.sh).
. "$(dirname "$0")/lib.sh"

kdir=${1:?usage: progs-build.sh KDIR}
tools=$kdir/bpf/tools
dir=$BUILD/progs
[ -x "$tools/sbin/bpftool" ] && [ -f "$tools/build/libbpf/libbpf.a" ] ||
	die "no bpftool or libbpf in $tools: build the kernel with scripts/build.sh"
[ -f "$TREE/samples/landlock/sandboxer.c" ] || die "no kernel tree in $TREE: run make tree"
rm -rf "$dir" && mkdir -p "$dir"

# skel_prog SRCDIR NAME: SRCDIR/NAME.bpf.c, its skeleton, and SRCDIR/NAME.c.
skel_prog() {
	local src=$TOP/$1 o=$dir/$2
	bpf_clang "$tools" -Werror -I"$src" -c "$src/$2.bpf.c" -o "$o.bpf.o" ||
		die "$1/$2.bpf.c does not build"
	llvm-strip-19 -g "$o.bpf.o"
	"$tools/sbin/bpftool" gen skeleton "$o.bpf.o" name "$2_bpf" >"$o.skel.h" ||
		die "bpftool cannot make a skeleton of $o.bpf.o"
	gcc -O2 -Wall -Werror -I"$dir" -I"$src" -I"$tools/include" -isystem "$kdir/usr/include" \
		-o "$o" "$src/$2.c" "$tools/build/libbpf/libbpf.a" -lelf -lz -lpthread ||
		die "$1/$2.c does not build"
}
skel_prog demo subtree_guard
skel_prog tests/stress walk_stress
gcc -O2 -Wall -isystem "$kdir/usr/include" -o "$dir/sandboxer" "$TREE/samples/landlock/sandboxer.c" ||
	die "samples/landlock/sandboxer.c does not build"
echo "$dir"
