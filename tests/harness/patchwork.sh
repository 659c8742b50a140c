#!/bin/bash
# scripts/patchwork.sh can fail: on a copy of the kernel tree with one more
# commit, "probe", that adds to fs/namei.c a function with a wrong
# kernel-doc comment, no prototype and an unused variable, and that has no
# Signed-off-by, each of its checks (signoff, kernel-doc, build-gcc, sparse,
# build-llvm) must fail for that commit and for no other. The series' own
# results come from the cache of make test's run; the probe's are built
# here once, then cached like any commit's.
. "$(dirname "$0")/../../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -d "$TREE/.git" ] || die "no kernel tree: run scripts/tree.sh first"
mkdir -p "$tmp/build"
git clone -q --shared "$TREE" "$tmp/build/linux"
git -C "$tmp/build/linux" tag -f base "$(git -C "$TREE" rev-parse base)" >/dev/null
cat >>"$tmp/build/linux/fs/namei.c" <<'EOF'

/**
 * vwa_probe() - a function that the patchwork checks must warn about
 * @x: a parameter that does not exist
 */
int vwa_probe(int y)
{
	int unused;

	return y;
}
EOF
git -C "$tmp/build/linux" -c user.name="Harness Probe" -c user.email=probe@localhost \
	commit -q -am "probe: warnings of every kind"
probe=$(git -C "$tmp/build/linux" rev-parse HEAD)

rc=0
BUILD=$tmp/build "$TOP/scripts/patchwork.sh" >"$tmp/out" 2>"$tmp/err" || rc=$?
cat "$tmp/out"
[ $rc = 0 ] || { tail -n 5 "$tmp/err"; die "patchwork.sh stopped (exit $rc)"; }
for s in signoff kernel-doc build-gcc sparse build-llvm; do
	grep -q "^FAIL $s: 1 of " "$tmp/out" || die "$s did not fail on the probe alone"
	# the failing commit named under the suite's line is the probe
	for c in $(awk -v s="$s" '/^(PASS|FAIL|SKIP) / { cur = $2 }
		cur == s ":" && /^    [0-9a-f]+ \(/ { print $1 }' "$tmp/out"); do
		[ "$(git -C "$tmp/build/linux" rev-parse "$c")" = "$probe" ] ||
			die "$s failed on another commit than the probe: $c"
	done
done
grep -q "^    .*vwa_probe.*Wmissing-prototypes" "$tmp/out" || die "gcc's missing prototype not reported"
grep -q "^    .*symbol 'vwa_probe' was not declared" "$tmp/out" || die "sparse's warning not reported"
grep -q "^    .*unused variable 'unused'" "$tmp/out" || die "clang's unused variable not reported"
grep -q "^    .*Excess function parameter 'x'" "$tmp/out" || die "kernel-doc's warning not reported"
echo "patchwork.sh fails each of its 5 checks on a probe commit (missing prototype, unused variable, sparse, kernel-doc, no sign-off) and no other commit"
