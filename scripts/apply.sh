#!/bin/bash
# apply.sh KERNEL_TREE: the body of `make apply`. Applies patches/ to a
# kernel git tree the user already has (a bpf-next checkout, say) on a new
# branch, with git am -3, and reports each patch that does not apply, with
# the files in conflict. The tree must be clean; nothing of it is lost: a
# patch that does not apply is skipped (its conflict reported), and if any
# was, the tree goes back to its branch and the new one is deleted.
# BRANCH names the branch (default vfs-walk-ancestors-v2).
. "$(dirname "$0")/lib.sh"

kt=${1:-}
[ -n "$kt" ] || die "usage: make apply KERNEL_TREE=<a kernel git tree>"
git -C "$kt" rev-parse --git-dir >/dev/null 2>&1 || die "$kt is not a git tree"
[ -f "$kt/fs/namei.c" ] || die "$kt is not a kernel tree (no fs/namei.c)"
[ -z "$(git -C "$kt" status --porcelain --untracked-files=no)" ] ||
	die "$kt has uncommitted changes: commit or stash them first"
gd=$(git -C "$kt" rev-parse --absolute-git-dir)
[ ! -d "$gd/rebase-apply" ] && [ ! -d "$gd/rebase-merge" ] ||
	die "$kt is in the middle of a git am or rebase"
git -C "$kt" var GIT_COMMITTER_IDENT >/dev/null 2>&1 ||
	die "$kt has no committer identity for git am (git config user.name/user.email)"
branch=${BRANCH:-vfs-walk-ancestors-v2}
! git -C "$kt" rev-parse -q --verify "refs/heads/$branch" >/dev/null ||
	die "$kt already has a branch $branch (BRANCH=... names another)"
orig=$(git -C "$kt" symbolic-ref -q --short HEAD || git -C "$kt" rev-parse HEAD)
git -C "$kt" checkout -q -b "$branch"
# interrupted: the tree goes back as it was
restore() {
	git -C "$kt" am --abort >/dev/null 2>&1 || true
	git -C "$kt" checkout -q -f "$orig" || true
	git -C "$kt" branch -q -D "$branch" || true
}
trap 'done=1; restore; echo "interrupted: $kt is back on $orig" >&2; exit 130' INT TERM
# any other way out before the end (set -e) restores it too
trap '[ -n "${done:-}" ] || { restore; echo "apply.sh stopped: $kt is back on $orig" >&2; }' EXIT

n=0 bad=0
for p in $(series); do
	n=$((n + 1))
	if err=$(git -C "$kt" am -q -3 "$p" 2>&1 >/dev/null); then
		echo "ok ${p##*/}"
	else
		bad=$((bad + 1))
		files=$(git -C "$kt" diff --name-only --diff-filter=U | paste -sd' ')
		if [ -n "$files" ]; then
			why=" (conflicts in $files)"
		else # no conflict to name: git am's own reason
			why=$(grep -m1 -E '^(error|fatal):' <<<"$err" || true)
			why=${why:+ ($why)}
		fi
		echo "FAIL ${p##*/}: does not apply$why"
		git -C "$kt" am --skip >/dev/null 2>&1 || git -C "$kt" am --abort >/dev/null 2>&1 || true
	fi
done
done=1
if [ $bad = 0 ]; then
	echo "all $n patches apply on $(git -C "$kt" log -1 --format='%h %s' "$orig"): branch $branch"
else
	restore
	echo "$bad of $n patches do not apply on $(git -C "$kt" log -1 --format='%h %s' "$orig"); $kt is back on $orig"
	exit 1
fi
