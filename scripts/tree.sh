#!/bin/bash
# Make build/linux: Debian's linux-source-7.3 as a git repository with one
# base commit (tag "base"), and the series in patches/ applied with git am.
# An existing tree is kept when its commits are exactly the series.
. "$(dirname "$0")/lib.sh"

ver=$(base_version) || die "$SRC_PKG is missing: run scripts/deps.sh"
rec=$(recorded_version)
[ "$ver" = "$rec" ] ||
	log "note: $SRC_PKG is $ver, the series was recorded against $rec"

# Base repository, cached outside the clone, keyed by the package version.
base_repo=$CACHE/src/$ver.git
if [ ! -d "$base_repo" ]; then
	log "extracting $SRC_PKG $ver"
	tmp=$CACHE/src/tmp.$$
	rm -rf "$tmp" && mkdir -p "$tmp"
	src_tarball | tar -C "$tmp" -xJ --strip-components=1
	# Debian's top-level .gitignore ignores everything but debian/ (its
	# packaging repository's view); drop that rule so git sees the sources.
	sed -i '/^# Debian packaging: ignore everything/,$d' "$tmp/.gitignore"
	sed -i '${/^#$/d}' "$tmp/.gitignore"
	git -C "$tmp" init -q
	git -C "$tmp" -c user.name=base -c user.email=base@localhost add -A -f
	GIT_AUTHOR_DATE="2000-01-01 00:00:00 +0000" GIT_COMMITTER_DATE="2000-01-01 00:00:00 +0000" git -C "$tmp" \
		-c user.name=base -c user.email=base@localhost \
		commit -q -m "Debian $SRC_PKG $ver"
	git -C "$tmp" tag base
	git clone -q --bare "$tmp" "$base_repo.tmp" && mv "$base_repo.tmp" "$base_repo"
	rm -rf "$tmp"
fi
base_rev=$(git -C "$base_repo" rev-parse base)

# The series as the tree would export it, compared with patches/.
tree_matches() {
	[ -d "$TREE/.git" ] || return 1
	[ "$(git -C "$TREE" rev-parse base 2>/dev/null)" = "$base_rev" ] || return 1
	"$TOP/scripts/export.sh" --check >/dev/null 2>&1
}

if tree_matches; then
	log "tree is up to date with patches/"
	exit 0
fi
if [ -d "$TREE/.git" ] && [ "${1:-}" != --force ]; then
	if [ "$(git -C "$TREE" rev-parse base 2>/dev/null)" = "$base_rev" ] &&
		[ -n "$(git -C "$TREE" rev-list base..HEAD)" ]; then
		die "build/linux has commits that differ from patches/: run 'make export' to keep them, or 'make tree FORCE=1' to discard them"
	fi
fi
rm -rf "$TREE"
git clone -q "$base_repo" "$TREE"
git -C "$TREE" config user.name "${GIT_AUTHOR_NAME:-vfs-walk harness}"
git -C "$TREE" config user.email "${GIT_AUTHOR_EMAIL:-harness@localhost}"
git -C "$TREE" tag base "$base_rev" 2>/dev/null || true
for p in $(series); do
	git -C "$TREE" am -q --keep-cr "$p" >/dev/null 2>&1 || {
		git -C "$TREE" am --abort >/dev/null 2>&1 || true
		die "patch ${p##*/} does not apply on $SRC_PKG $ver"
	}
done
log "tree: base $ver + $(series | wc -l) patches"
