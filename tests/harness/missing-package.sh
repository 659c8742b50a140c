#!/bin/bash
# A missing package: deps.sh stops with a one-line reason, both when a
# command is missing after installation and when a package is missing and
# it cannot install it (not root).
. "$(dirname "$0")/../../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect_one_line_failure WHAT REGEX: deps.sh must fail with one line.
expect_one_line_failure() {
	local rc=0
	"$TOP/scripts/deps.sh" >"$tmp/out" 2>&1 || rc=$?
	cat "$tmp/out"
	[ $rc != 0 ] || die "$1: deps.sh exited 0"
	[ "$(wc -l <"$tmp/out")" = 1 ] || die "$1: deps.sh said more than one line"
	grep -qE "$2" "$tmp/out" || die "$1: deps.sh did not say /$2/"
}

# 1. pahole missing from PATH: a PATH of every host command but pahole.
mkdir "$tmp/bin"
for f in /usr/local/bin/* /usr/sbin/* /usr/bin/*; do
	[ "${f##*/}" = pahole ] || ln -sf "$f" "$tmp/bin/"
done
PATH=$tmp/bin expect_one_line_failure "no pahole" 'missing command pahole \(Debian package dwarves\)'

# 2. qemu-system-x86 not installed, and not root.
mkdir "$tmp/fake"
cat >"$tmp/fake/dpkg-query" <<'FAKE'
#!/bin/sh
for a; do [ "$a" = qemu-system-x86 ] && { echo "deinstall ok config-files"; exit 0; }; done
exec /usr/bin/dpkg-query "$@"
FAKE
printf '#!/bin/sh\necho 1000\n' >"$tmp/fake/id"
chmod +x "$tmp/fake/dpkg-query" "$tmp/fake/id"
PATH=$tmp/fake:$PATH expect_one_line_failure "qemu not installed" 'packages missing .*: qemu-system-x86$'
echo "deps.sh stops with one line when a command or a package is missing"
