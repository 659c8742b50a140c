#!/bin/bash
# Install the Debian packages the harness needs (idempotent, apt-get only),
# then check that every tool is really there.
. "$(dirname "$0")/lib.sh"

PKGS="build-essential bc bison flex libelf-dev libssl-dev
dwarves ccache rsync cpio kmod python3 git qemu-system-x86 clang-19 llvm-19
lld-19 libcap-dev libzstd-dev zlib1g-dev pkg-config libmnl-dev iproute2
python3-docutils gnuplot-nox codespell sparse git-email libmailtools-perl
libauthen-sasl-perl libio-socket-ssl-perl python3-ply python3-git linux-perf"
# command:package pairs checked after installation
NEED="gcc:build-essential make:build-essential bc:bc bison:bison flex:flex
pahole:dwarves ccache:ccache qemu-system-x86_64:qemu-system-x86
clang-19:clang-19 llc-19:llvm-19 ld.lld-19:lld-19 git:git rsync:rsync
cpio:cpio gnuplot:gnuplot-nox codespell:codespell sparse:sparse perf:linux-perf"

mkdir -p "$BUILD"
missing=
# Debian 13 has the base in its suites (trixie-backports); Debian 12 does not.
if ! src_installed && apt-cache show "$SRC_PKG" >/dev/null 2>&1; then
	PKGS="$PKGS $SRC_PKG"
fi
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
[ -x "$(git --exec-path)/git-send-email" ] ||
	die "missing command git send-email (Debian package git-email)"
for nc in $NEED; do
	command -v "${nc%%:*}" >/dev/null ||
		die "missing command ${nc%%:*} (Debian package ${nc#*:})"
done

# fetch_source: download $SRC_PKG from trixie-backports with an apt
# configuration of our own (its lists in $CACHE/apt), leaving the system's
# sources and packages as they are. The recorded version is preferred.
fetch_source() {
	local dir=$CACHE/apt rec
	rec=$(recorded_version)
	mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$SRC_DEBS"
	cat >"$dir/sources.list" <<-EOF
	deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie-backports main
	EOF
	cat >"$dir/apt.conf" <<-EOF
	Dir::Etc::SourceList "$dir/sources.list";
	Dir::Etc::SourceParts "/nonexistent";
	Dir::State::Lists "$dir/lists";
	Dir::State::status "$dir/status";
	Dir::Cache "$dir";
	APT::Sandbox::User "root";
	EOF
	: >"$dir/status"
	export APT_CONFIG=$dir/apt.conf
	log "downloading $SRC_PKG from trixie-backports"
	apt-get update -qq >"$BUILD/apt.log" 2>&1 ||
		die "apt-get update for trixie-backports failed (see $BUILD/apt.log)"
	(cd "$SRC_DEBS" && { apt-get download -qq "$SRC_PKG=$rec" ||
		apt-get download -qq "$SRC_PKG"; }) >>"$BUILD/apt.log" 2>&1 ||
		die "cannot download $SRC_PKG from trixie-backports (see $BUILD/apt.log)"
	unset APT_CONFIG
}
# tree.sh notes a version other than the recorded one.
if ! src_installed; then
	[ "$(base_version)" = "$(recorded_version)" ] || fetch_source
	[ -n "$(src_deb)" ] || die "missing $SRC_PKG (Debian package, trixie-backports)"
fi

# sparse_ok CMD: CMD accepts what 7.3's scripts/checker-valid.sh checks.
sparse_ok() {
	printf 'static inline int u(const int *q)\n{\n\t__typeof_unqual__(*q) v = *q;\n\treturn v;\n}\n' >"$1.t.c"
	local out
	out=$("$2" "$1.t.c" 2>&1) || return 1
	! grep -q error <<<"$out"
}
# a sparse that can check 7.3: the system's, else sid's source package
# built here (its Makefile wants gcc-16: Debian 12's gcc builds it)
if [ ! -x "$SPARSE_DIR/sparse" ] && ! sparse_ok "$BUILD/sparse" sparse; then
	log "building $SPARSE_SRC from sid's source package (the system's sparse cannot check 7.3)"
	dir=$CACHE/apt-sid
	rm -rf "$dir" "$SPARSE_DIR.tmp"
	mkdir -p "$dir/lists/partial" "$SPARSE_DIR.tmp"
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" >"$dir/sources.list"
	: >"$dir/status"
	cat >"$dir/apt.conf" <<-EOF
	Dir::Etc::SourceList "$dir/sources.list";
	Dir::Etc::SourceParts "/nonexistent";
	Dir::State::Lists "$dir/lists";
	Dir::State::status "$dir/status";
	Dir::Cache "$dir";
	APT::Sandbox::User "root";
	EOF
	{
		APT_CONFIG=$dir/apt.conf apt-get update -qq &&
			(cd "$SPARSE_DIR.tmp" && APT_CONFIG=$dir/apt.conf apt-get source -qq "$SPARSE_SRC") &&
			make -C "$SPARSE_DIR.tmp/sparse-"*/ -j"$JOBS" CC=gcc sparse
	} >"$BUILD/sparse.log" 2>&1 || die "cannot build $SPARSE_SRC (see $BUILD/sparse.log)"
	cp "$SPARSE_DIR.tmp/sparse-"*/sparse "$SPARSE_DIR.tmp/sparse"
	sparse_ok "$BUILD/sparse" "$SPARSE_DIR.tmp/sparse" ||
		die "$SPARSE_SRC cannot check 7.3 either (see $BUILD/sparse.log)"
	rm -rf "$SPARSE_DIR" && mv "$SPARSE_DIR.tmp" "$SPARSE_DIR"
fi
