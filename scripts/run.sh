#!/bin/bash
# run.sh: the body of `make run`. Build the kernel with the series, boot it
# and show it at work: kernel version, active LSMs, BTF, and the results of
# the series' own tests: test_progs path_iter*, and KUnit (the modules of
# tests/kunit-modules.txt and the built-in suites, which include the
# series' if it builds them in, and Landlock's). Exits non-zero if one fails.
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/results.sh"

stage deps "$TOP/scripts/deps.sh"
stage tree "$TOP/scripts/tree.sh"
kdir=$(stage build "$TOP/scripts/build.sh" patched | tail -n 1)
dir=$BUILD/run
rm -rf "$dir" && mkdir -p "$dir"
log "booting $kdir"
VM_OUT=$dir/out stage vm "$TOP/scripts/vm.sh" "$kdir" "$dir/console.log" \
	"KLABEL=patched $TOP/tests/guest-run.sh"

echo "the series' own tests, and the built-in KUnit suites:"
parse_out "$dir/out" | awk -F'\t' '$1 ~ /^kunit/ || ($1 == "bpf" && ($2 ~ /^path_iter/ || $3 == "error"))' >"$dir/own.tsv"
grep -qP '^bpf\t' "$dir/own.tsv" || echo "SKIP bpf: no path_iter* test in this kernel's test_progs"
judge /dev/null "$dir/own.tsv" >"$dir/judged.tsv"
COUNTS=$dir/counts report "$dir/judged.tsv"
read -r passed failed skipped <"$dir/counts"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
