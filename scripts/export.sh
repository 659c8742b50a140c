#!/bin/bash
# Export the commits of build/linux (base..HEAD) to patches/ with a cover
# letter; with --check, only compare and fail if patches/ differs.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no kernel tree in $TREE: run 'make tree' first"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=$(git -C "$TREE" rev-list --count base..HEAD)
if [ "$n" -gt 0 ]; then
	# The same commits must give the same files in any clone: a fixed
	# abbreviation (git's default grows with the number of packed objects:
	# 7 digits in a fresh tree, all loose, 9 in a packed one), and the
	# cover letter from the last commit's author, not from the tree's user.
	git -C "$TREE" -c core.abbrev=9 \
		-c user.name="$(git -C "$TREE" log -1 --format=%an HEAD)" \
		-c user.email="$(git -C "$TREE" log -1 --format=%ae HEAD)" \
		format-patch -q --no-signature --zero-commit --cover-letter \
		--base=base -o "$out" base..HEAD
	# The cover letter's text is kept in patches/cover-letter.txt:
	# subject on the first line, then the body.
	if [ -f "$TOP/patches/cover-letter.txt" ]; then
		subj=$(head -n1 "$TOP/patches/cover-letter.txt")
		awk -v subj="$subj" -v body="$TOP/patches/cover-letter.txt" '
			/^Subject: .*\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subj) }
			/^\*\*\* BLURB HERE \*\*\*/ {
				getline l < body  # skip the subject line
				while ((getline l < body) > 0) print l
				next
			}
			{ print }' "$out/0000-cover-letter.patch" >"$out/c" &&
			mv "$out/c" "$out/0000-cover-letter.patch"
	fi
	# format-patch dates the cover letter "now": date it like the last
	# commit instead, so that exporting the same commits gives the same
	# files.
	sed -i "s/^Date: .*/Date: $(git -C "$TREE" log -1 --format=%aD HEAD)/" \
		"$out/0000-cover-letter.patch"
fi
if [ "${1:-}" = --check ]; then
	if ! diff -r -q -x BASE -x cover-letter.txt -x checkpatch-exceptions "$TOP/patches" "$out" >/dev/null; then
		diff -r -u -x BASE -x cover-letter.txt -x checkpatch-exceptions "$TOP/patches" "$out" | head -40 >&2
		die "patches/ differs from the commits in build/linux (run 'make export')"
	fi
	exit 0
fi
find "$TOP/patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' -delete
cp "$out"/*.patch "$TOP/patches/" 2>/dev/null || true
log "exported $n patches to patches/"
