#!/bin/bash
# profile.sh: the body of `make profile`. Where a Landlock-checked openat()
# spends its time at depth 30, base and patched kernel: each is booted
# (QEMU TCG, one vCPU) to run bench/openat.c -d 30 under `perf record`
# (Debian's perf, from the host root; cpu-clock sampling, as TCG has no
# PMU), with call graphs, and `perf report` runs in the guest, where
# /proc/kallsyms names the kernel's symbols.
# Writes results/profile-depth30.md: per kernel, the functions with the
# most samples of their own (self), and the share of the samples that fell
# under Landlock's hook (children of hook_file_open). Logs stay in
# build/profile/.
# The guests run with QEMU's -icount shift=PROFILE_ICOUNT (default 0; empty:
# the host's time), as in make bench: the guest's clock counts instructions,
# and QEMU stops the guest at the instruction where the sampling timer
# expires, so the samples are spread over the instructions executed (but
# for code that runs with interrupts off, whose samples go to where it
# turns them on; and one every so many instructions, which a loop of that
# length would alias); with the host's time, TCG takes interrupts only at
# the start of blocks of translated code, which gather the samples.
# Env: PROFILE_MS (ms per measurement, default 300), PROFILE_ROUNDS
# (default 5), PROFILE_TOP (functions listed, default 25), PROFILE_ICOUNT.
. "$(dirname "$0")/lib.sh"

ms=${PROFILE_MS:-300} rounds=${PROFILE_ROUNDS:-5} top=${PROFILE_TOP:-25} icount=${PROFILE_ICOUNT-0}
command -v perf >/dev/null || die "missing command perf (Debian package linux-perf)"
[[ $icount =~ ^([0-9]|10)?$ ]] || die "PROFILE_ICOUNT must be empty or a shift from 0 to 10, not '$icount'"
dir=$BUILD/profile
rm -rf "$dir" && mkdir -p "$dir" "$TOP/results"
base=$(stage build-base "$TOP/scripts/build.sh" base | tail -n 1)
patched=$(stage build-patched "$TOP/scripts/build.sh" patched | tail -n 1)
bin=$dir/openat
gcc -O2 -Wall -isystem "$base/usr/include" -o "$bin" "$TOP/bench/openat.c" ||
	die "bench/openat.c does not build"

for k in base patched; do
	kdir=$base
	[ $k = base ] || kdir=$patched
	# perf.data on the guest's tmpfs; the reports to stdout, between markers
	cmd="perf record -q -a -g -e cpu-clock -F 2999 -o perf.data -- $bin -d 30 -t $ms -r $rounds &&
		echo '=== self' && perf report -i perf.data --stdio --no-children --sort symbol \
			--percent-limit 0.5 -g none 2>/dev/null | grep -v '^#' | grep . &&
		echo '=== children' && perf report -i perf.data --stdio --children --sort symbol \
			--percent-limit 0.5 -g none 2>/dev/null | grep -v '^#' | grep . &&
		echo '=== end'"
	VM_SMP=1 VM_ICOUNT=$icount stage "vm-$k" "$TOP/scripts/vm.sh" "$kdir" "$dir/$k.console" "$cmd" \
		>"$dir/$k.out" 2>"$dir/$k.vm" || {
		tail -n 20 "$dir/$k.vm" "$dir/$k.out" >&2
		die "the profile failed in the $k kernel"
	}
	grep -q '^=== end' "$dir/$k.out" || die "no report from the $k kernel (see $dir/$k.out)"
done

# section KERNEL NAME: the lines of one report, without perf's empty
# trailing columns
section() {
	awk -v s="=== $2" '/^=== / { on = ($0 == s); next } on' "$dir/$1.out" |
		sed -E 's/( +-)+ *$//'
}
# share KERNEL SYMBOL: the children's share of a symbol (a compiler suffix
# such as .isra.0 allowed), or 0%
share() {
	section "$1" children | awk -v s="$2" '
		{ for (i = 1; i < NF; i++) if ($i == "[k]") break; sym = $(i + 1); sub(/\..*/, "", sym) }
		sym == s { print $1; f = 1; exit }
		END { if (!f) print "0%" }'
}
{
	echo "# Profile of openat() at depth 30 in a Landlock domain: base vs patched kernel"
	echo
	echo "Made by \`make profile\` (scripts/profile.sh) on $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo
	echo "- Kernels: base \`${base##*/}\`, patched \`${patched##*/}\`."
	echo "- QEMU TCG, 1 vCPU, one boot per kernel: \`perf record -a -g -e cpu-clock -F 2999\`" \
		"(Debian's perf $(perf version 2>/dev/null | awk '{ print $3 }'), the host's, in the guest)" \
		"of \`bench/openat.c -d 30 -t $ms -r $rounds\`: openat()+close() of R/d1/.../d30/f" \
		"for ${ms} ms at a time, without a domain and, in a child, with one ruled on R, alternately;" \
		"so about half of the samples are in the domain."
	if [ -n "$icount" ]; then
		echo "- The sampling clock is the guest's, which counts instructions (QEMU's" \
			"-icount shift=$icount): the shares are shares of the instructions executed," \
			"not of cycles: a cache miss or an atomic operation weighs as one instruction."
	else
		echo "- The sampling clock is the guest's: under TCG, time is that of emulated code, and" \
			"the profile shows shares, not nanoseconds."
	fi
	for k in base patched; do
		echo
		echo "## $k"
		echo
		echo "Share of all samples (children included) under hook_file_open, Landlock's" \
			"hook: $(share $k hook_file_open); is_access_to_paths_allowed, its walk:" \
			"$(share $k is_access_to_paths_allowed); dget_parent: $(share $k dget_parent);" \
			"dput: $(share $k dput); vfs_walk_ancestors: $(share $k vfs_walk_ancestors);" \
			"walk_ancestors_rcu, its lockless pass: $(share $k walk_ancestors_rcu);" \
			"path_walk_cb, Landlock's callback: $(share $k path_walk_cb)," \
			"and path_walk_check, where it hands over the ancestors with more to do" \
			"(from patch 17; perf counts it apart, as path_walk_cb jumps to it):" \
			"$(share $k path_walk_check)."
		echo
		echo "Functions by their own samples (self), at least 0.5%, the first $top:"
		echo
		echo '```'
		section $k self | sed -n "1,${top}p"
		echo '```'
	done
	echo
	echo "Logs: build/profile/{base,patched}.out (the whole reports, with the children's shares)."
} >"$TOP/results/profile-depth30.md"
cat "$TOP/results/profile-depth30.md"
