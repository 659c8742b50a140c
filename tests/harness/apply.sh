#!/bin/bash
# make apply: the series applies with git am -3 to a kernel git tree of the
# user's (here a clone of the 7.3 base), on a branch of its own; a patch
# that does not apply is named with its conflicting files, and the tree is
# left as it was (its branch, no new branch, clean).
. "$(dirname "$0")/../../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
base_repo=$CACHE/src/$(base_version).git
[ -d "$base_repo" ] || die "no base repository $base_repo: run scripts/tree.sh"
git clone -q --shared "$base_repo" "$tmp/k"
git -C "$tmp/k" config user.name "Harness Test" && git -C "$tmp/k" config user.email harness@localhost
n=$(series | wc -l)
br=$(git -C "$tmp/k" symbolic-ref --short HEAD)

"$TOP/scripts/apply.sh" "$tmp/k" >"$tmp/out" 2>&1 || { cat "$tmp/out"; die "the series does not apply to the base"; }
cat "$tmp/out"
[ "$(grep -c '^ok ' "$tmp/out")" = "$n" ] || die "not $n patches applied"
[ "$(git -C "$tmp/k" rev-list --count "$br"..vfs-walk-ancestors-v2)" = "$n" ] || die "the branch has not $n commits"
[ "$(git -C "$tmp/k" rev-parse 'HEAD^{tree}')" = "$(git -C "$TREE" rev-parse 'HEAD^{tree}')" ] ||
	die "the applied tree differs from build/linux"

# a tree where patch 4's fs/namei.c hunk conflicts
git -C "$tmp/k" checkout -q "$br"
printf 'x\n' >"$tmp/k/fs/namei.c"
git -C "$tmp/k" commit -q -am "harness: a namei.c the series does not apply to"
head=$(git -C "$tmp/k" rev-parse HEAD)
rc=0
BRANCH=other "$TOP/scripts/apply.sh" "$tmp/k" >"$tmp/out2" 2>&1 || rc=$?
cat "$tmp/out2"
[ $rc != 0 ] || die "apply.sh exited 0 on a tree the series does not apply to"
grep -q '^FAIL 0004-.*conflicts in .*fs/namei.c' "$tmp/out2" || die "patch 4's conflict in fs/namei.c not reported"
[ "$(git -C "$tmp/k" rev-parse HEAD)" = "$head" ] || die "the tree is not back at its commit"
[ "$(git -C "$tmp/k" symbolic-ref --short HEAD)" = "$br" ] || die "the tree is not back on its branch"
! git -C "$tmp/k" rev-parse -q --verify refs/heads/other >/dev/null || die "the branch of the failed apply is left"
[ -z "$(git -C "$tmp/k" status --porcelain --untracked-files=no)" ] || die "the tree is not clean after a failed apply"
# a tree in the middle of the user's own git am is refused and left so
git -C "$tmp/k" am -q "$(series | sed -n 4p)" >/dev/null 2>&1 && die "patch 4 applied to the broken namei.c"
[ -d "$tmp/k/.git/rebase-apply" ] || die "no git am in progress to test with"
rc=0
BRANCH=third "$TOP/scripts/apply.sh" "$tmp/k" >"$tmp/out3" 2>&1 || rc=$?
[ $rc != 0 ] && grep -q "in the middle of a git am" "$tmp/out3" ||
	{ cat "$tmp/out3"; die "apply.sh did not refuse a tree in the middle of a git am"; }
[ -d "$tmp/k/.git/rebase-apply" ] || die "apply.sh dropped the user's git am"
git -C "$tmp/k" am --abort
echo "make apply: all $n patches apply to the 7.3 tree (same tree as build/linux); a conflict is named ($(grep -c '^FAIL' "$tmp/out2") patches) and the tree left as it was; a tree in the middle of a git am refused"
