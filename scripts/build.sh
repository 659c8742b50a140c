#!/bin/bash
# build.sh base|patched|debug|bisect|warnings
#   base, patched: build that kernel, its modules and headers, the Landlock
#     selftests and, for the patched kernel, the BPF selftests (test_progs),
#     for the base only its test modules (kmods/); print the directory that
#     holds them.
#   debug: the patched kernel with config/debug/kernel.config on top (lockdep,
#     KASAN, kmemleak...: make test-debug), in an object directory of its own.
#   bisect: compile every commit of the series in order (incremental builds
#     of vmlinux.a, all built-in objects; the patched kernel links the last).
#   warnings: for the base and every commit, the warnings of gcc W=1, sparse
#     (C=2) and clang W=1 (LLVM=-19, its own object directory) that building
#     the objects of the kernel .c files that commit or the next one
#     touches prints (what the BPF patchwork compares: scripts/patchwork.sh);
#     print "<commit> <directory> <object>..." lines (the objects of that
#     commit's own files), the directory holding gcc/, sparse/ and llvm/
#     with a file per object.
# Builds happen in a clone of the tree kept in $CACHE (stable paths, so make
# and ccache stay incremental across runs); results are stored under a key
# made of the package version, the config fragments and the series content,
# so that a cached kernel is always the one the current inputs describe.
. "$(dirname "$0")/lib.sh"

what=${1:?usage: build.sh base|patched|debug|bisect|warnings}
ver=$(base_version)
[ -d "$TREE/.git" ] || die "no kernel tree: run scripts/tree.sh first"
mkdir -p "$CACHE"
head=$(git -C "$TREE" rev-parse HEAD)

export PATH=/usr/lib/llvm-19/bin:$PATH
export CCACHE_DIR=$CACHE/ccache CCACHE_MAXSIZE=20G CCACHE_NOHASHDIR=1
export KBUILD_BUILD_TIMESTAMP="2000-01-01" KBUILD_BUILD_USER=vfs-walk KBUILD_BUILD_HOST=harness

# One build at a time (the machine has 2 cores), in the clone $WORK of the
# tree; a kernel already in the cache needs neither.
WORK=$CACHE/work
lock_work() {
	exec 9>"$CACHE/build.lock"
	flock 9
	if [ ! -d "$WORK/.git" ]; then
		git clone -q --no-checkout "$CACHE/src/$ver.git" "$WORK"
	fi
	git -C "$WORK" fetch -q "$TREE" "+refs/heads/*:refs/remotes/tree/*" "+refs/tags/base:refs/tags/base"
}

cfgkey=$(hash_files "$TOP"/config/*.config | cut -c1-8)
# The toolchain that builds the kernel, its BTF and the BPF selftests: a new
# compiler or pahole never reuses a kernel built by the old one.
toolkey=$( (gcc --version; ld --version; pahole --version; clang-19 --version;
	ld.lld-19 --version) 2>&1 |
	sha256sum | cut -c1-8)
OBJ=$CACHE/obj/$ver-$cfgkey
# make's arguments for the compiler: clang for the LLVM=-19 warnings.
CCARGS=(CC="ccache gcc")
# The debug kernel: one more fragment, its own object directory and key.
extra=() dbg=
if [ "$what" = debug ]; then
	extra=("$TOP/config/debug/kernel.config")
	dbg=-debug-$(hash_files "${extra[@]}" | cut -c1-8)
	OBJ=$OBJ$dbg
fi

# key_for REV: the cache key of what REV builds.
key_for() {
	local patches
	patches=$(git -C "$TREE" log --format=%T base.."$1" | sha256sum | cut -c1-12)
	# tree ids identify the content; the list of each commit's tree makes
	# bisect stamps per commit. Not commit ids: git am gives the same
	# patches other ids in every fresh tree (committer, date), which made
	# each clone rebuild the series.
	echo "$ver-$cfgkey-$toolkey-$(git -C "$TREE" rev-parse "$1^{tree}" | cut -c1-12)-$patches"
}

checkout() {
	git -C "$WORK" checkout -q -f --detach "$1"
	git -C "$WORK" clean -q -fdx -e '!tools/testing/selftests/bpf/tools' >/dev/null
}

configure() {
	mkdir -p "$OBJ"
	# The BPF selftests' configs are needed in full: test_progs builds
	# every BPF program of the selftests, and they need the types and
	# kfuncs of every feature those configs enable in vmlinux.h.
	local frags=(
		"$WORK/tools/testing/selftests/bpf/config"
		"$WORK/tools/testing/selftests/bpf/config.vm"
		"$WORK/tools/testing/selftests/landlock/config"
		"$TOP/config/harness.config"
		"$TOP/config/trim.config"
		"${extra[@]}"
	)
	# Merged again for every commit: a patch may add a Kconfig symbol that
	# the fragments set.  When nothing changes, kbuild rebuilds nothing.
	make -s -C "$WORK" O="$OBJ" "${CCARGS[@]}" x86_64_defconfig >/dev/null
	KCONFIG_CONFIG=$OBJ/.config "$WORK/scripts/kconfig/merge_config.sh" -m -O "$OBJ" \
		"$OBJ/.config" "${frags[@]}" >"$OBJ/merge.log" 2>&1
	make -s -C "$WORK" O="$OBJ" "${CCARGS[@]}" olddefconfig >/dev/null
	check_config
}

# Every option the fragments ask for must have survived olddefconfig, except
# the ones a kernel without the series cannot have.
check_config() {
	local line opt want got bad=
	while read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		opt=${line%%=*} want=${line#*=}
		got=$(grep -E "^$opt=|^# $opt is not set" "$OBJ/.config" | head -1 || true)
		case "$got" in
		"$opt=$want") ;;
		"# $opt is not set") [ "$want" = n ] || bad="$bad $opt" ;;
		"") [ "$want" = n ] || grep -rqs "config ${opt#CONFIG_}\$" --include='Kconfig*' "$WORK" || continue; [ "$want" = n ] || bad="$bad $opt" ;;
		*) bad="$bad $opt" ;;
		esac
	done < <(cat "$TOP/config/harness.config" "${extra[@]}")
	[ -z "$bad" ] || die "config options not set as config/harness.config${extra:+ and ${extra#"$TOP"/}} ask:$bad"
}

kmake() {
	make -C "$WORK" O="$OBJ" -j"$JOBS" "${CCARGS[@]}" "$@" >>"$OBJ/build.log" 2>&1 || {
		grep -E 'error|Error' "$OBJ/build.log" | tail -20 >&2
		return 1
	}
}

build_one() { # REV [TARGET...]
	local rev=$1
	checkout "$rev"
	configure
	: >"$OBJ/build.log"
	kmake "${@:2}" || die "kernel build failed at $(git -C "$TREE" log -1 --format='%h %s' "$rev") (log: $OBJ/build.log)"
}

install_kernel() { # OUT
	local out=$1 tmp=$1.tmp
	rm -rf "$tmp" && mkdir -p "$tmp"
	cp "$OBJ/arch/x86/boot/bzImage" "$OBJ/.config" "$OBJ/System.map" "$tmp/"
	make -s -C "$WORK" O="$OBJ" INSTALL_MOD_PATH="$tmp" modules_install >/dev/null
	make -s -C "$WORK" O="$OBJ" INSTALL_HDR_PATH="$tmp/usr" headers_install >/dev/null
	if [ "$what" = base ]; then
		build_test_kmods "$tmp"
	else
		build_bpf_selftests "$tmp"
	fi
	build_landlock_selftests "$tmp"
	git -C "$WORK" checkout -q -f -- tools/testing/selftests
	rm -rf "$out" && mv "$tmp" "$out"
}

# The selftests are built against the kernel just built; a defect of the
# base tree in them would be worked around here, with its reason, never in
# the series.
#
# test_progs is built once, with the series, against the patched kernel
# (about 8 minutes on 2 cores): the base kernel runs the same test_progs
# (make test copies it, with the base's test modules), so that both kernels
# run the same tests. A test or subtest that the base tree does not have is
# the series' own: results.sh judges it by the patched kernel alone.
st=$WORK/tools/testing/selftests
build_bpf_selftests() { # OUT
	local out=$1
	mkdir -p "$out/bpf"
	log "building BPF selftests"
	# libarena's BPF objects are built without -mcpu, and clang-19 (whose
	# default is v1) cannot compile their 32-bit atomics and signed
	# divisions. Ask for v4 with the target of every BPF object; the
	# selftests' own rules give their -mcpu after it.
	# BPF_STRICT_BUILD=0: a BPF program that needs what this configuration
	# or clang-19 lacks (a kfunc of CONFIG_MEMCG, say) is skipped with its
	# test (SKIP-BPF in bpf.log) instead of failing the build; test.sh
	# checks that every test of tests/bpf-tests.txt is there.
	KBUILD_OUTPUT=$OBJ make -C "$st/bpf" -j"$JOBS" OUTPUT="$out/bpf" \
		BPF_STRICT_BUILD=0 BPF_TARGET_ENDIAN="--target=bpfel -mcpu=v4" \
		VMLINUX_BTF="$OBJ/vmlinux" CLANG=clang LLC=llc LLVM_STRIP=llvm-strip \
		test_progs >"$out/bpf.log" 2>&1 || {
		grep -E 'error' "$out/bpf.log" | head -20 >&2
		die "BPF selftests failed to build (log: $out/bpf.log)"
	}
}

# The base kernel's own test modules (bpf_testmod...), for the patched
# kernel's test_progs: a module is built for the kernel it loads in.
build_test_kmods() { # OUT
	local out=$1
	log "building the BPF selftests' test modules"
	mkdir -p "$out/kmods"
	make -C "$st/bpf/test_kmods" -j"$JOBS" O="$OBJ" >"$out/kmods.log" 2>&1 ||
		die "the BPF test modules failed to build (log: $out/kmods.log)"
	cp "$st"/bpf/test_kmods/*.ko "$out/kmods/"
}

build_landlock_selftests() { # OUT
	local out=$1
	log "building Landlock selftests"
	mkdir -p "$out/landlock"
	make -C "$st/landlock" OUTPUT="$out/landlock" \
		CFLAGS="-O2 -Wall -isystem $out/usr/include -I$st" \
		>"$out/landlock.log" 2>&1 || die "Landlock selftests failed to build (log: $out/landlock.log)"
}

case $what in
base | patched | debug)
	rev=$([ "$what" = base ] && echo base || echo "$head")
	out=$CACHE/kern/$(key_for "$rev")$dbg
	# complete: the kernel, and the base's test modules or the selftests
	complete=$out/$([ "$what" = base ] && echo kmods || echo bpf/test_progs)
	[ -e "$complete" ] || lock_work
	# another run may have built it while this one waited for the lock
	if [ ! -e "$complete" ]; then
		log "building $what kernel ($(git -C "$TREE" log -1 --format='%h %s' "$rev"))"
		build_one "$rev"
		install_kernel "$out"
		# a bisect step of the same commit is then known to build
		[ -n "$dbg" ] || { mkdir -p "$CACHE/bisect" && touch "$CACHE/bisect/$(key_for "$rev")"; }
	fi
	echo "$out"
	;;
bisect)
	lock_work
	for rev in $(git -C "$TREE" rev-list --reverse base..HEAD); do
		stamp=$CACHE/bisect/$(key_for "$rev")
		subj=$(git -C "$TREE" log -1 --format='%h %s' "$rev")
		if [ -f "$stamp" ]; then
			echo "ok (cached) $subj"
			continue
		fi
		# A commit that changes only the selftests or the documentation
		# builds the same kernel as its parent: the selftests are built
		# with the patched kernel.
		if ! git -C "$TREE" diff --name-only "$rev^" "$rev" |
			grep -qvE '^(tools/testing/selftests|Documentation)/'; then
			mkdir -p "${stamp%/*}" && touch "$stamp"
			echo "ok (no kernel change) $subj"
			continue
		fi
		# Every built-in object, without the final link and its BTF,
		# which the patched kernel's build does for the last commit.
		build_one "$rev" vmlinux.a
		mkdir -p "${stamp%/*}" && touch "$stamp"
		echo "ok $subj"
	done
	;;
warnings)
	# kernel_c REV: the kernel's .c files that REV changes (not removes),
	# and for a trace event header it changes, the .c files that
	# instantiate it (CREATE_TRACE_POINTS: TP_fast_assign and the like
	# are compiled there only). Other headers are checked through the .c
	# files of the same patch only (NIPA rebuilds every object).
	kernel_c() {
		local f c
		git -C "$TREE" diff --name-only --diff-filter=d "$1^" "$1" |
			grep -vE '^(tools|Documentation|samples)/' |
			while read -r f; do
				case $f in
				*.c) echo "$f" ;;
				include/trace/events/*.h)
					git -C "$TREE" grep -l -e "^#include <${f#include/}>" "$1" -- '*.c' |
						sed 's/^[^:]*://' | while read -r c; do
							! git -C "$TREE" show "$1:$c" | grep -q '^#define CREATE_TRACE_POINTS' ||
								echo "$c"
						done
					;;
				esac
			done | sort -u
	}
	# object FILE: the object that compiles FILE (one the last full build
	# made): its own, or that of the .c file that #includes it (fs/namei.c
	# includes fs/tests/namei_kunit.c); nothing if this configuration
	# builds none.
	object() {
		local d=${1%/*} b=${1##*/} cmd
		if [ -e "$OBJ/$d/.${b%.c}.o.cmd" ]; then
			echo "${1%.c}.o"
			return
		fi
		cmd=$(git -C "$TREE" grep -lE "^#include \"([^\"]*/)?$b\"" HEAD -- "${1%%/*}" |
			sed 's/^HEAD://' | grep '\.c$' | head -n 1 || true)
		[ -z "$cmd" ] || [ ! -e "$OBJ/${cmd%/*}/.$(basename "$cmd" .c).o.cmd" ] || echo "${cmd%.c}.o"
	}
	# warn_objs DIR TOOL OBJ...: build OBJs (make's single targets, W=1,
	# sparse with C=2; the objects removed first, so that each is compiled
	# and checked now) and keep the warning and error lines that each one's
	# build printed, whatever file they are in, in DIR/TOOL/<object, / as
	# %>. --output-sync keeps each object's lines together after kbuild's
	# "CC"/"CHECK" line. CONFIG_WERROR is on: -Wno-error keeps the build
	# going so that every warning is seen.
	warn_objs() {
		local dir=$1 tool=$2 o out check=()
		shift 2
		mkdir -p "$dir.tmp/$tool"
		out=$dir.tmp/$tool.log
		# sparse stops at 100 warnings per file unless told not to
		[ "$tool" != sparse ] || check=(C=2 CHECK="$SPARSE" CF=-fmax-warnings=unlimited)
		for o in "$@"; do rm -f "$OBJ/$o"; done
		make -k -C "$WORK" O="$OBJ" -j"$JOBS" --output-sync=target "${CCARGS[@]}" W=1 \
			KCFLAGS=-Wno-error "${check[@]}" "$@" >"$out" 2>&1 || true
		for o in "$@"; do
			awk -v o="$o" -v c="${o%.o}.c" '
				/^  [A-Z_]+ +(\[M\] +)?[^ ]+$/ { cur = $NF; next }
				(cur == o || cur == c || substr(cur, length(cur) - length(c)) == "/" c) &&
				/(warning|error):/ { print }' "$out" \
				>"$dir.tmp/$tool/${o//\//%}"
			# an object that did not build, or that sparse did not
			# check, is an error of its own
			if [ "$tool" = sparse ]; then
				grep -qxE "  CHECK +${o%.o}\.c" "$out" ||
					echo "$o: error: sparse did not check it (see $tool.log)" >>"$dir.tmp/$tool/${o//\//%}"
			elif [ ! -e "$OBJ/$o" ]; then
				echo "$o: error: not built (see $tool.log)" >>"$dir.tmp/$tool/${o//\//%}"
			fi
		done
	}
	lock_work
	# a sparse that 7.3's scripts/checker-valid.sh accepts (deps.sh)
	SPARSE=$(sparse_cmd)
	sparse_v=$("$SPARSE" --version 2>&1; sha256sum <"$(command -v "$SPARSE")")
	# the results depend on the harness's build code too (this file and
	# lib.sh: configuration, make's arguments) and on sparse: a change of
	# either is a new key
	self=$( (cat "$0" "$TOP/scripts/lib.sh"; echo "$sparse_v") | sha256sum | cut -c1-8)
	for rev in base $(git -C "$TREE" rev-list --reverse base..HEAD); do
		next=$(git -C "$TREE" rev-list --reverse "$rev..HEAD" | sed -n 1p)
		# the objects of REV's files (compared with the parent's), and
		# of the next commit's (its parent's side), if REV has them
		own='' objs=''
		for f in $( ([ "$rev" = base ] || kernel_c "$rev"; [ -z "$next" ] || kernel_c "$next") | sort -u); do
			o=$(object "$f")
			[ -n "$o" ] || die "$f: no object of this configuration compiles it"
			[ "$rev" = base ] || ! kernel_c "$rev" | grep -qxF "$f" || own+=" $o"
			# the object's source at REV (a new file is not there yet)
			! git -C "$TREE" cat-file -e "$rev:${o%.o}.c" 2>/dev/null || objs+="$o"$'\n'
		done
		objs=$(sort -u <<<"$objs" | sed '/^$/d')
		dir=$CACHE/warn/$(key_for "$rev")-$self
		echo "$(git -C "$TREE" rev-parse "$rev") $dir$(tr ' ' '\n' <<<"$own" | sort -u | tr '\n' ' ' | sed 's/ $//')"
		[ -n "$objs" ] || continue
		missing=
		for o in $objs; do
			for t in gcc sparse llvm; do
				[ -e "$dir/$t/${o//\//%}" ] || missing=1
			done
		done
		[ -n "$missing" ] || continue
		log "W=1, sparse and LLVM=-19 W=1 on $(git -C "$TREE" log -1 --format='%h %s' "$rev"): ${objs//$'\n'/ }"
		rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
		checkout "$rev"
		# shellcheck disable=SC2086 # a list of objects
		{
			configure
			warn_objs "$dir" gcc $objs
			warn_objs "$dir" sparse $objs
			(
				CCARGS=(LLVM=-19 CC="ccache clang-19")
				OBJ=$CACHE/obj/$ver-$cfgkey-llvm
				configure
				warn_objs "$dir" llvm $objs
			)
		}
		rm -rf "$dir" && mv "$dir.tmp" "$dir"
	done
	;;
*) die "usage: build.sh base|patched|debug|bisect|warnings" ;;
esac
