#!/bin/bash
# guest-suites.sh SUITE...: run test suites inside the VM (see vm.sh) and
# leave their raw output in the out share for scripts/results.sh to parse.
#   bpf       test_progs -t <tests/bpf-tests.txt, or $BPF_TESTS>  -> bpf.out
#   landlock  every Landlock selftest binary                       -> landlock/<bin>.tap
#   kunit     built-in KUnit suites, then the modules of
#             tests/kunit-modules.txt, each loaded with modprobe    -> kunit/<suite>.ktap
#   demo      demo/scene.sh, its outcomes checked                  -> demo/scene.tap
#   stress    tests/stress/walk_stress, each scenario (test-debug)  -> stress/walk_stress.tap
#   kmemleak  a kmemleak scan, last (test-debug)                    -> kmemleak/kmemleak.tap
# Every suite also leaves <name>.rc (exit status) and a line in times.
# KLABEL (base, patched) names the kernel in messages.
. "$(dirname "$0")/../scripts/lib.sh"

out=/run/out
scratch=/run/scratch

# timed NAME CMD...: run CMD, record its status in NAME.rc and its time.
timed() {
	local name=$1 t0 rc=0
	shift
	t0=$(date +%s.%N)
	"$@" || rc=$?
	echo "$rc" >"$out/$name.rc"
	printf '%s %.1f\n' "$name" "$(echo "$(date +%s.%N) - $t0" | bc)" >>"$out/times"
	echo "vm: $name done (rc=$rc)" >/dev/kmsg
	return $rc
}

names() { grep -v '^#' "$1" | grep . || true; }

run_bpf() {
	local list=${BPF_TESTS:-$(names "$TOP/tests/bpf-tests.txt" | paste -sd,)}
	cd "${BPF_DIR:-$KDIR/bpf}" || return
	./test_progs -t "$list" >"$out/bpf.out" 2>&1
}

run_landlock() {
	local bin rc=0
	# fs_test builds its layouts under ./tmp and runs ./true: run from a
	# writable tmpfs copy of the binaries, not from the read-only 9p root.
	cp -a "$KDIR/landlock" "$scratch/landlock" || return
	cd "$scratch/landlock" || return
	mkdir -p "$out/landlock"
	for bin in *_test; do
		timed "landlock/$bin" landlock_bin "$bin" || rc=1
	done
	return $rc
}
landlock_bin() { "./$1" >"$out/landlock/$1.tap" 2>&1; }

# KTAP of each suite is in debugfs (CONFIG_KUNIT_DEBUGFS) while it is loaded.
save_kunit() { # SUITE...
	local s
	for s in "$@"; do
		cp "/sys/kernel/debug/kunit/$s/results" "$out/kunit/$s.ktap"
	done
}
suites() { ls /sys/kernel/debug/kunit 2>/dev/null || true; }

run_kunit() {
	local mod before rc=0
	mkdir -p "$out/kunit"
	# shellcheck disable=SC2046 # suite names are plain words
	save_kunit $(suites) # built-in suites ran at boot
	for mod in $(names "$TOP/tests/kunit-modules.txt"); do
		if ! modinfo -n "$mod" >/dev/null 2>&1; then
			echo "not built on ${KLABEL:-this kernel}" >"$out/kunit/$mod.skip"
			continue
		fi
		before=$(suites)
		if ! modprobe "$mod" >"$out/kunit/$mod.error" 2>&1; then
			rc=1
			continue
		fi
		comm -13 <(echo "$before") <(suites) >"$out/kunit/$mod.suites"
		# shellcheck disable=SC2046 # suite names are plain words
		save_kunit $(cat "$out/kunit/$mod.suites")
		modprobe -r "$mod" >"$out/kunit/$mod.error" 2>&1 || { rc=1; continue; }
		rm "$out/kunit/$mod.error"
	done
	return $rc
}

# The scene of `make run`, its outcomes checked (demo/scene.sh).
run_demo() {
	mkdir -p "$out/demo"
	timed demo/scene "$TOP/demo/scene.sh" "$out/demo/scene.tap" >"$out/demo/transcript" 2>&1
}

# make test-debug's stress programs: each scenario of walk_stress for
# $STRESS_SECONDS (default 10), its report line kept in the TAP.
run_stress() {
	local s n=0 line
	for s in rename mount moved rmdir storm; do
		n=$((n + 1))
		if line=$("$TOP/build/progs/walk_stress" $s "${STRESS_SECONDS:-10}" 2>"$out/stress/$s.err"); then
			echo "ok $n $s # $line"
		else
			echo "not ok $n $s # $line $(head -n 5 "$out/stress/$s.err" | tr '\n' ' ')"
		fi
	done
	echo "1..$n"
}

# kmemleak, last: two scans (an object is reported once it has stayed
# unreferenced across scans), then every report it has.
run_kmemleak() {
	local k=/sys/kernel/debug/kmemleak n
	[ -w $k ] || { printf "ok 1 kmemleak # SKIP no %s\n1..1\n" $k; return; }
	echo scan >$k && sleep 6 && echo scan >$k
	cat $k >"$out/kmemleak/reports.txt"
	n=$(grep -c '^unreferenced object' "$out/kmemleak/reports.txt")
	if [ "$n" = 0 ]; then echo "ok 1 no leak reported"; else echo "not ok 1 $n leaks reported (kmemleak/reports.txt)"; fi
	echo "1..1"
}

for suite in "$@"; do
	case $suite in
	bpf) timed bpf run_bpf || true ;;
	landlock) timed landlock run_landlock || true ;;
	kunit) timed kunit run_kunit || true ;;
	demo) run_demo || true ;;
	stress) mkdir -p "$out/stress" && timed stress/walk_stress eval 'run_stress >"$out/stress/walk_stress.tap"' || true ;;
	kmemleak) mkdir -p "$out/kmemleak" && timed kmemleak/kmemleak eval 'run_kmemleak >"$out/kmemleak/kmemleak.tap"' || true ;;
	*) die "unknown suite $suite" ;;
	esac
	cd "$scratch" || die "no $scratch"
done
