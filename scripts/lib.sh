# Common definitions for the harness; sourced by the other scripts.
# shellcheck shell=bash
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=$BUILD/linux
# Caches live outside the clone; every entry is keyed by what it was built from.
CACHE=${VWA_CACHE:-/var/cache/vfs-walk}
JOBS=${JOBS:-$(($(nproc) + 1))}
# The base: Debian's linux-source-7.3. Debian 13 installs it from
# trixie-backports; on Debian 12, whose suites lack it, scripts/deps.sh
# downloads the package into $SRC_DEBS with a private apt configuration.
SRC_PKG=linux-source-7.3
SRC_DEBS=$CACHE/deb

die() { echo "error: $*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# stage NAME CMD...: run a stage and print its wall time.
stage() {
	local name=$1 t0 rc=0
	shift
	t0=$(date +%s)
	"$@" || rc=$?
	log "stage $name: $(($(date +%s) - t0))s (rc=$rc)"
	return $rc
}

# bpf_clang TOOLS ARG...: clang for the harness's BPF programs (the demo,
# the stress and benchmark programs), with the selftests' libbpf headers and
# vmlinux.h in TOOLS/include, their bpf_experimental.h, and libarena's
# bpf_may_goto.h that it includes; 7.3's vmlinux.h needs -fms-extensions.
bpf_clang() {
	clang-19 -g -O2 -Wall -fms-extensions -Wno-microsoft-anon-tag -target bpf \
		-D__TARGET_ARCH_x86 -I"$1/include" -I"$TREE/tools/testing/selftests/bpf" \
		-I"$TREE/tools/testing/selftests/bpf/libarena/include" "${@:2}"
}

# Patches of the series, in order, cover letter excluded.
series() { find "$TOP/patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort; }

# Hash of files' contents (and their names), for cache keys.
hash_files() { (for f in "$@"; do echo "== ${f##*/}"; cat "$f"; done) | sha256sum | cut -c1-16; }

recorded_version() { sed -n 's/^package: *//p' "$TOP/patches/BASE"; }
src_installed() { dpkg-query -W -f='${Status}' "$SRC_PKG" 2>/dev/null | grep -q 'ok installed'; }
# The downloaded package: the recorded version if it is there, else the newest.
src_deb() {
	local rec f
	rec=$(recorded_version)
	f=$SRC_DEBS/${SRC_PKG}_${rec/:/%3a}_all.deb
	[ -f "$f" ] || f=$(find "$SRC_DEBS" -maxdepth 1 -name "${SRC_PKG}_*_all.deb" 2>/dev/null | sort -V | tail -1)
	echo "$f"
}
# sparse for C=2: Debian 12's 0.6.4 lacks __typeof_unqual__, which 7.3's
# headers use, and which scripts/checker-valid.sh tests for (the kernel then
# silently skips sparse). scripts/deps.sh builds sid's sparse source package
# into $SPARSE_DIR when the system's fails that test.
SPARSE_SRC=sparse=0.6.5~rc1-2
SPARSE_DIR=$CACHE/sparse/${SPARSE_SRC#*=}
sparse_cmd() {
	if [ -x "$SPARSE_DIR/sparse" ]; then echo "$SPARSE_DIR/sparse"; else echo sparse; fi
}
base_version() {
	if src_installed; then
		dpkg-query -W -f='${Version}' "$SRC_PKG"
	else
		local deb
		deb=$(src_deb) && [ -n "$deb" ] && dpkg-deb -f "$deb" Version
	fi
}
# The source tarball, on stdout.
src_tarball() {
	if src_installed; then
		cat "/usr/src/$SRC_PKG.tar.xz"
	else
		dpkg-deb --fsys-tarfile "$(src_deb)" | tar -xO "./usr/src/$SRC_PKG.tar.xz"
	fi
}
