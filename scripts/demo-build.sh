#!/bin/bash
# demo-build.sh KDIR: build the demo's programs against the kernel in KDIR
# (scripts/build.sh patched) into build/demo: subtree_guard (demo/, a
# libbpf skeleton loader, with the selftests' bpftool, libbpf, vmlinux.h
# and bpf_experimental.h) and the kernel's Landlock sandboxer
# (samples/landlock). Prints the directory.
. "$(dirname "$0")/lib.sh"

kdir=${1:?usage: demo-build.sh KDIR}
tools=$kdir/bpf/tools
dir=$BUILD/demo
[ -x "$tools/sbin/bpftool" ] && [ -f "$tools/build/libbpf/libbpf.a" ] ||
	die "no bpftool or libbpf in $tools: build the kernel with scripts/build.sh"
[ -f "$TREE/samples/landlock/sandboxer.c" ] || die "no kernel tree in $TREE: run make tree"
rm -rf "$dir" && mkdir -p "$dir"
o=$dir/subtree_guard
clang-19 -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_x86 -I"$tools/include" \
	-I"$TREE/tools/testing/selftests/bpf" -I"$TOP/demo" \
	-c "$TOP/demo/subtree_guard.bpf.c" -o "$o.bpf.o" ||
	die "demo/subtree_guard.bpf.c does not build"
llvm-strip-19 -g "$o.bpf.o"
"$tools/sbin/bpftool" gen skeleton "$o.bpf.o" name subtree_guard_bpf >"$o.skel.h" ||
	die "bpftool cannot make a skeleton of $o.bpf.o"
gcc -O2 -Wall -Werror -I"$dir" -I"$TOP/demo" -I"$tools/include" -isystem "$kdir/usr/include" \
	-o "$o" "$TOP/demo/subtree_guard.c" "$tools/build/libbpf/libbpf.a" -lelf -lz ||
	die "demo/subtree_guard.c does not build"
gcc -O2 -Wall -isystem "$kdir/usr/include" -o "$dir/sandboxer" "$TREE/samples/landlock/sandboxer.c" ||
	die "samples/landlock/sandboxer.c does not build"
echo "$dir"
