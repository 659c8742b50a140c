#!/bin/bash
# send.sh: the body of `make send`. Mails the series with git send-email,
# as the sender: the commits of build/linux, rewritten so that the sender
# is their author where the repository's placeholder identity is, and signs
# them off (Signed-off-by of the sender's git identity, the placeholder's
# removed); the subject prefix of the tree and version ("[PATCH bpf-next
# v2 N/M]"), patches/cover-letter.txt as the cover letter, and To/Cc of
# each patch from scripts/get_maintainer.pl of the tree with the series
# applied (To: the maintainers, Cc: reviewers and lists; the cover letter
# goes to everyone). The mails are kept in build/send/.
#
# By default a dry run (git send-email --dry-run) that prints who would
# receive what; SEND=1 sends for real, with the sender's sendemail config.
# TREE_NAME (bpf-next) and SEND_VERSION (2) make the prefix. The
# recipients: get_maintainer.pl without its keyword matches (K: lines,
# which name dma-buf and RT maintainers for words in a commit message)
# and without git history (the tree has none; the authors of the commits
# that Fixes: tags name are not added: check them in a tree with history).
. "$(dirname "$0")/lib.sh"

TREE_NAME=${TREE_NAME:-bpf-next}
SEND_VERSION=${SEND_VERSION:-2}
OUT=$BUILD/send
# The repository's own identity, which no maintainer can take as a
# Signed-off-by (see the commits in build/linux).
PLACEHOLDER='@users\.noreply\.r-seed-[0-9a-f]+\.example>'

[ -x "$(git --exec-path)/git-send-email" ] ||
	die "git send-email is missing (Debian package git-email): run scripts/deps.sh"
# The sender: git's author identity (GIT_AUTHOR_* or user.name and
# user.email), never one git makes up from the host's name.
ident=$(git -c user.useConfigOnly=true var GIT_AUTHOR_IDENT 2>/dev/null | sed 's/ [0-9]* [-+][0-9]*$//') || ident=
name=${ident% <*} email=${ident##*<}
email=${email%>}
if [ -z "$ident" ] || [ -z "$name" ] || [ -z "$email" ]; then
	die "no git identity to sign off and send with: set git config user.name and user.email"
fi
me="$name <$email>"
if grep -qE "$PLACEHOLDER" <<<"$me"; then
	die "git identity $me is the repository's placeholder: set your own user.name and user.email"
fi
if [ "${SEND:-0}" = 1 ] && [ -z "$(git config sendemail.smtpServer || git config sendemail.sendmailCmd || true)" ]; then
	die "SEND=1 needs git send-email configured: set sendemail.smtpServer (or sendemail.sendmailCmd)"
fi
"$TOP/scripts/tree.sh" >/dev/null 2>&1 || "$TOP/scripts/tree.sh"
[ -n "$(git -C "$TREE" rev-list base..HEAD)" ] || die "the series is empty"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$OUT.tmp"' EXIT
# The commits as the sender sends them (git commit-tree: same trees, no
# checkout): the sender as author where the placeholder is, every
# other trailer kept, the placeholder's Signed-off-by replaced by the
# sender's, the sender as committer.
g() { git -C "$TREE" "$@"; }
new=$(g rev-parse base)
for c in $(g rev-list --reverse base..HEAD); do
	g log -1 --format=%B "$c" | grep -vE "^Signed-off-by: .*$PLACEHOLDER" |
		git interpret-trailers --if-exists addIfDifferent --trailer "Signed-off-by: $me" >"$tmp/msg"
	an=$(g log -1 --format=%an "$c") ae=$(g log -1 --format=%ae "$c")
	if grep -qE "$PLACEHOLDER" <<<"$an <$ae>"; then an=$name ae=$email; fi
	new=$(GIT_AUTHOR_NAME=$an GIT_AUTHOR_EMAIL=$ae GIT_AUTHOR_DATE=$(g log -1 --format=%aD "$c") \
		GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email \
		g commit-tree "$c^{tree}" -p "$new" -F "$tmp/msg")
done

# Into $OUT.tmp, moved to $OUT at the end: a failed run leaves no mails
# half made. The user's format.* settings (extra headers, notes, From,
# sign-off, attachments) do not change what is sent.
rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp"
g -c core.abbrev=12 -c user.name="$name" -c user.email="$email" -c format.useAutoBase=false \
	-c format.signOff=false -c format.forceInBodyFrom=false -c format.mboxrd=false \
	format-patch -q --no-signature --cover-letter --no-thread --suffix=.patch \
	--no-to --no-cc --no-add-header --no-notes --no-from --no-attach -v "$SEND_VERSION" \
	--subject-prefix="PATCH $TREE_NAME" -o "$OUT.tmp" "base..$new"
cover=$(find "$OUT.tmp" -name '*0000-cover-letter.patch')
# the cover letter's text (subject on its first line, then the body)
awk -v subj="$(head -n1 "$TOP/patches/cover-letter.txt")" -v body="$TOP/patches/cover-letter.txt" '
	/^Subject: .*\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subj) }
	/^\*\*\* BLURB HERE \*\*\*/ {
		getline l < body
		while ((getline l < body) > 0) print l
		next
	}
	{ print }' "$cover" >"$tmp/c" && mv "$tmp/c" "$cover"
# base-commit: the upstream commit the Debian package is made from, if
# patches/BASE records it (the tree made from the package has no upstream
# history for format-patch --base to name).
base_commit=$(sed -n 's/^base-commit: *//p' "$TOP/patches/BASE")
if [ -n "$base_commit" ]; then
	printf '\nbase-commit: %s\n' "$base_commit" >>"$cover"
else
	log "note: patches/BASE records no upstream base-commit; the cover letter names $(sed -n 's/^upstream: *//p' "$TOP/patches/BASE")"
fi

# To/Cc of each patch from get_maintainer.pl (no git history in this tree).
gm() { (cd "$TREE" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
	--no-rolestats --no-tree --no-fixes --no-keywords "$@"); }
: >"$tmp/all-to" && : >"$tmp/all-cc"
# add_headers FILE TOFILE CCFILE: To: and Cc: lines after the Subject.
add_headers() {
	awk -v to="$2" -v cc="$3" '
		!done && /^Subject: / { print; insub = 1; next }
		insub && /^[ \t]/ { print; next }
		insub && !done {
			while ((getline a < to) > 0) print "To: " a
			while ((getline a < cc) > 0) print "Cc: " a
			done = 1; insub = 0
		}
		{ print }' "$1" >"$1.new" && mv "$1.new" "$1"
}
for p in "$OUT.tmp"/*.patch; do
	[ "$p" != "$cover" ] || continue
	gm --m --no-r --no-l "$p" | sort -u >"$tmp/to"
	gm --no-m --r --l "$p" | sort -u | grep -vxFf "$tmp/to" >"$tmp/cc" || true
	[ -s "$tmp/to" ] || die "get_maintainer.pl names no maintainer for ${p##*/}"
	cat "$tmp/to" >>"$tmp/all-to" && cat "$tmp/cc" >>"$tmp/all-cc"
	add_headers "$p" "$tmp/to" "$tmp/cc"
done
sort -u "$tmp/all-to" -o "$tmp/all-to"
sort -u "$tmp/all-cc" | grep -vxFf "$tmp/all-to" >"$tmp/cc" || true
add_headers "$cover" "$tmp/all-to" "$tmp/cc"

rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
dry=--dry-run
if [ "${SEND:-0}" = 1 ]; then
	dry=
	log "sending $(find "$OUT" -name '*.patch' | wc -l) mails"
fi
git send-email $dry --no-to --no-cc --no-bcc --confirm=never --no-annotate --8bit-encoding=UTF-8 \
	--from="$me" --suppress-cc=self --no-chain-reply-to --thread \
	"$OUT"/*.patch >"$OUT/send-email.log" 2>&1 || {
	tail -n 20 "$OUT/send-email.log" >&2
	die "git send-email failed (log: $OUT/send-email.log)"
}
# who receives what: each mail's subject, To and Cc (headers unfolded)
awk 'function addrs(s,  r) {
		while (match(s, /[^ <>,"]+@[^ <>,"]+/)) {
			r = r (r ? " " : "") substr(s, RSTART, RLENGTH)
			s = substr(s, RSTART + RLENGTH)
		}
		return r
	}
	/^(Dry-)?OK\. Log says:/ { inmail = 1; h = ""; next }
	!inmail { next }
	/^[ \t]/ { sub(/^[ \t]+/, " "); v[h] = v[h] $0; next }
	/^Result: / {
		print v["Subject:"]
		print "    To: " addrs(v["To:"])
		print "    Cc: " addrs(v["Cc:"])
		inmail = 0; delete v
		next
	}
	/^[A-Za-z-]+: / { h = $1; v[h] = substr($0, length($1) + 2); next }' "$OUT/send-email.log"
n=$(grep -c '^Subject: ' "$OUT/send-email.log" || true)
if [ -n "$dry" ]; then
	echo "dry run: $n mails from $me in $OUT (SEND=1 sends them)"
else
	echo "sent $n mails from $me"
fi
