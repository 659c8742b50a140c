#!/bin/bash
# make send's dry run: it refuses, with one line, to send without a git
# identity or with the repository's placeholder one; with a sender's
# identity it gives the cover letter and every patch with the subject
# prefix "[PATCH bpf-next v2 N/M]", the sender as From and in a
# Signed-off-by (no placeholder left), and To/Cc of each patch from
# get_maintainer.pl: the checks below name what each patch must reach.
# Runs on a copy of the harness, with the real tree (read only) and its
# output in a directory of its own.
. "$(dirname "$0")/../../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -a "$TOP/scripts" "$TOP/patches" "$TOP/config" "$tmp/"
mkdir -p "$tmp/build" "$tmp/home"
ln -s "$TREE" "$tmp/build/linux"

# run_send: send.sh in the copy, with only $tmp/home/.gitconfig for git
# config, none of the caller's GIT_* identity, and never for real (no SEND).
run_send() {
	(cd "$tmp" && env -u SEND -u GIT_AUTHOR_NAME -u GIT_AUTHOR_EMAIL -u GIT_COMMITTER_NAME \
		-u GIT_COMMITTER_EMAIL -u EMAIL -u XDG_CONFIG_HOME HOME="$tmp/home" \
		GIT_CONFIG_GLOBAL="$tmp/home/.gitconfig" GIT_CONFIG_NOSYSTEM=1 BUILD="$tmp/build" \
		"$tmp/scripts/send.sh")
}
# expect_refusal WHAT REGEX: send.sh fails with one line matching REGEX.
expect_refusal() {
	local rc=0
	run_send >"$tmp/out" 2>&1 || rc=$?
	cat "$tmp/out"
	[ $rc != 0 ] || die "$1: send.sh exited 0"
	[ "$(wc -l <"$tmp/out")" = 1 ] || die "$1: send.sh said more than one line"
	grep -qE "$2" "$tmp/out" || die "$1: send.sh did not say /$2/"
}
identity() { # NAME EMAIL: the git identity in $tmp/home/.gitconfig
	rm -f "$tmp/home/.gitconfig"
	[ -z "$1" ] || git config -f "$tmp/home/.gitconfig" user.name "$1"
	[ -z "$2" ] || git config -f "$tmp/home/.gitconfig" user.email "$2"
}

identity "" ""
expect_refusal "no identity" '^error: no git identity'
identity "Seed acc58790 maintainers" maintainers@users.noreply.r-seed-acc58790.example
expect_refusal "placeholder" "^error: git identity .* is the repository's placeholder"

# sending for real without a configured sendemail refuses too
identity "Test Sender" sender@example.org
(cd "$tmp" && env -u GIT_AUTHOR_NAME -u GIT_AUTHOR_EMAIL HOME="$tmp/home" GIT_CONFIG_GLOBAL="$tmp/home/.gitconfig" \
	GIT_CONFIG_NOSYSTEM=1 BUILD="$tmp/build" SEND=1 "$tmp/scripts/send.sh") >"$tmp/out" 2>&1 &&
	die "SEND=1 without sendemail.smtpServer did not refuse"
grep -q '^error: SEND=1 needs git send-email configured' "$tmp/out" || die "SEND=1 refused without saying why: $(cat "$tmp/out")"

run_send >"$tmp/out" 2>&1 ||
	{ cat "$tmp/out"; die "the dry run failed"; }
cat "$tmp/out"
out=$tmp/build/send
n=$(series | wc -l)
log=$out/send-email.log
[ "$(grep -c '^Dry-OK' "$log")" = $((n + 1)) ] || die "not $((n + 1)) mails in the dry run"
grep -q "^dry run: $((n + 1)) mails from Test Sender <sender@example.org>" "$tmp/out" ||
	die "no summary line"
# every mail: the prefix, numbered; From the sender; a sign-off of the
# sender in every patch and none of the placeholder
for i in $(seq 0 "$n"); do
	nn=$(printf %02d "$i")
	grep -q "^Subject: \[PATCH bpf-next v2 $nn/$n\] " "$log" || die "no mail $nn/$n with the prefix"
done
[ "$(grep -c '^From: Test Sender <sender@example.org>' "$log")" = $((n + 1)) ] || die "a mail is not from the sender"
for p in "$out"/v2-0*.patch; do
	case $p in *-0000-cover-letter.patch) continue ;; esac
	grep -qx 'Signed-off-by: Test Sender <sender@example.org>' "$p" || die "${p##*/}: no sign-off of the sender"
	! grep -q 'r-seed-' "$p" || die "${p##*/}: the placeholder identity is left"
done
# the mails: threaded under the cover letter, no template left, and each
# patch's message the commit's, but for the sign-off
grep -q '\*\*\* \(SUBJECT\|BLURB\) HERE' "$out"/*.patch && die "the cover letter's template is left"
[ "$(grep -c "^In-Reply-To: <.*sender@example.org>" "$log")" = "$n" ] || die "not $n mails in reply to the cover letter"
i=0
for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	i=$((i + 1))
	p=$(ls "$out"/v2-"$(printf %04d $i)"-*.patch)
	git -C "$TREE" log -1 --format=%b "$c" | grep -v -e '^Signed-off-by: ' -e '^$' >"$tmp/want"
	awk '/^$/ && !body { body = 1; next } body && /^---$/ { exit } body' "$p" |
		grep -v -e '^Signed-off-by: ' -e '^$' >"$tmp/got" || true
	diff -q "$tmp/want" "$tmp/got" >/dev/null || die "${p##*/}: the message differs from the commit's"
done
# recipients: each patch's To/Cc are what get_maintainer.pl names for it
# (all of them, maintainers in To), and the cover letter reaches all
hdr() { awk '/^$/ { exit } { print }' "$1"; }
for p in "$out"/v2-0*.patch; do
	case $p in *-0000-cover-letter.patch) continue ;; esac
	(cd "$TREE" && ./scripts/get_maintainer.pl --no-git --no-git-fallback --no-rolestats --no-tree --no-fixes --no-keywords "$p") >"$tmp/gm"
	[ -s "$tmp/gm" ] || die "get_maintainer.pl names nobody for ${p##*/}"
	while read -r who; do
		hdr "$p" | grep -qxF -e "To: $who" -e "Cc: $who" || die "${p##*/}: $who not in To/Cc"
		hdr "$out"/v2-0000-cover-letter.patch | grep -qxF -e "To: $who" -e "Cc: $who" ||
			die "cover letter: $who not in To/Cc"
	done <"$tmp/gm"
	(cd "$TREE" && ./scripts/get_maintainer.pl --no-git --no-git-fallback --no-rolestats --no-tree --no-fixes --no-keywords --m --no-r --no-l "$p") |
		while read -r who; do hdr "$p" | grep -qxF "To: $who" || die "${p##*/}: maintainer $who not in To"; done
done
# the VFS, Landlock and BPF lists get their patches
grep -q '^Cc: linux-fsdevel@vger.kernel.org' "$out"/v2-0004-*.patch || die "patch 4 does not reach linux-fsdevel"
grep -q '^Cc: linux-security-module@vger.kernel.org' "$out"/v2-0008-*.patch || die "patch 8 does not reach linux-security-module"
grep -q '^Cc: bpf@vger.kernel.org' "$out"/v2-0012-*.patch || die "patch 12 does not reach bpf"
echo "make send refuses no identity and the placeholder; its dry run: $((n + 1)) mails [PATCH bpf-next v2 NN/$n] from the sender, signed off, To/Cc = get_maintainer.pl's $(sort -u "$out"/v2-0*.patch | grep -cE '^(To|Cc): ') recipients"
