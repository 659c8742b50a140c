#!/bin/bash
# Install the Debian packages the harness needs (idempotent, apt-get only),
# then check that every tool is really there.
. "$(dirname "$0")/lib.sh"

PKGS="linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev
dwarves ccache rsync cpio kmod python3 git qemu-system-x86 clang-19 llvm-19
lld-19 libcap-dev libzstd-dev zlib1g-dev pkg-config libmnl-dev iproute2
python3-docutils gnuplot-nox"
# command:package pairs checked after installation
NEED="gcc:build-essential make:build-essential bc:bc bison:bison flex:flex
pahole:dwarves ccache:ccache qemu-system-x86_64:qemu-system-x86
clang-19:clang-19 llc-19:llvm-19 ld.lld-19:lld-19 git:git rsync:rsync
cpio:cpio gnuplot:gnuplot-nox"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || die "packages missing and not root to install them:$missing"
	log "apt-get install$missing"
	stamp=/var/lib/apt/periodic/vfs-walk-update
	if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440)" ]; then
		apt-get update -qq >/dev/null || die "apt-get update failed"
		mkdir -p "${stamp%/*}" && touch "$stamp"
	fi
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		$missing >"$BUILD/apt.log" 2>&1 ||
		die "apt-get install failed for:$missing (see $BUILD/apt.log)"
fi
for nc in $NEED; do
	command -v "${nc%%:*}" >/dev/null ||
		die "missing command ${nc%%:*} (Debian package ${nc#*:})"
done
[ -r "$SRC_TARBALL" ] || die "missing $SRC_TARBALL (Debian package $SRC_PKG)"
