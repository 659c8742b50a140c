# Common definitions for the harness; sourced by the other scripts.
# shellcheck shell=bash
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=$BUILD/linux
# Caches live outside the clone; every entry is keyed by what it was built from.
CACHE=${VWA_CACHE:-/var/cache/vfs-walk}
JOBS=${JOBS:-$(($(nproc) + 1))}
SRC_TARBALL=/usr/src/linux-source-6.12.tar.xz
SRC_PKG=linux-source-6.12

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

# Patches of the series, in order, cover letter excluded.
series() { find "$TOP/patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort; }

# Hash of files' contents (and their names), for cache keys.
hash_files() { (for f in "$@"; do echo "== ${f##*/}"; cat "$f"; done) | sha256sum | cut -c1-16; }

base_version() { dpkg-query -W -f='${Version}' "$SRC_PKG" 2>/dev/null; }
recorded_version() { sed -n 's/^package: *//p' "$TOP/patches/BASE"; }
