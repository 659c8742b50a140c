#!/bin/bash
# test.sh: the body of `make test`. Every suite prints one line
# "PASS|FAIL|SKIP <suite>: ...", every stage its wall time, and the run ends
# with "N passed, N failed, N skipped"; the exit status is non-zero if
# anything failed.
#
# What is counted: each individual check once. A suite that reports test
# cases counts its cases: checkpatch one per patch, the harness self-tests
# one each, and the VM suites of the patched kernel one per test_progs
# subtest (or test without subtests), kselftest TAP test and KUnit case,
# judged against the base kernel (scripts/results.sh: judge). The base
# kernel's own results are the reference, not counted again. Every other
# suite counts as one: deps, tree, ..., and each VM run (vm-base,
# vm-patched: a clean boot whose suites all ran).
# Results and logs of the run are kept in build/test/.
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/results.sh"

RES=$BUILD/test
rm -rf "$RES" && mkdir -p "$RES"
passed=0 failed=0 skipped=0

# result PASS|FAIL|SKIP SUITE TEXT [N]: print a suite's line, count it N
# times (default 1).
result() {
	echo "$1 $2: $3"
	case $1 in
	PASS) passed=$((passed + ${4:-1})) ;;
	FAIL) failed=$((failed + ${4:-1})) ;;
	SKIP) skipped=$((skipped + ${4:-1})) ;;
	esac
}

# count P F S: add counts that a suite's own lines already reported.
count() { passed=$((passed + $1)) failed=$((failed + $2)) skipped=$((skipped + $3)); }

finish() {
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ]
}

# logged FILE CMD...: run CMD with its output in FILE.
logged() { "${@:2}" >"$1" 2>&1; }

# check SUITE TEXT CMD...: run CMD as a stage, its output in $RES/SUITE.log;
# the suite passes if CMD does. Its line says the log's last line (or TEXT
# if CMD said nothing); a failure also shows the log's end.
check() {
	local suite=$1 text=$2 last
	shift 2
	if stage "$suite" logged "$RES/$suite.log" "$@"; then
		last=$(tail -n 1 "$RES/$suite.log" | sed 's/^\[[0-9:]*\] //')
		result PASS "$suite" "${last:-$text}"
	else
		result FAIL "$suite" "$(tail -n 1 "$RES/$suite.log")"
		tail -n 20 "$RES/$suite.log" | sed 's/^/    /'
		return 1
	fi
}

# checkpatch as the BPF patchwork runs it: --strict, codespell, 80 columns,
# and its list of ignored types; then ours, per patch, each with its reason
# in patches/checkpatch-exceptions.
CODESPELL_DICT=/usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt
NIPA_IGNORE=COMMIT_LOG_LONG_LINE,MACRO_ARG_REUSE,ALLOC_SIZEOF_STRUCT,NO_AUTHOR_SIGN_OFF,GIT_COMMIT_ID,CAMELCASE,FILE_PATH_CHANGES,BAD_REPORTED_BY_LINK
checkpatch() {
	local p ex n=0 bad=0 ignore why='' exc=''
	ex=$TOP/patches/checkpatch-exceptions
	for p in $(series); do
		n=$((n + 1))
		# exceptions: "<patch file name> <checkpatch TYPE> <reason>"
		ignore=$(awk -v p="${p##*/}" '$1 == p { print $2 }' "$ex" 2>/dev/null | paste -sd, || true)
		exc+=${ignore:+, ${p##*/} ignoring $ignore}
		# Debian's python3 (codespell's dictionary, spdxcheck.py's
		# modules), not whatever python3 comes first in PATH; a check
		# that could not run fails the patch
		if ! (cd "$TREE" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict \
			--codespell --codespellfile "$CODESPELL_DICT" \
			--max-line-length=80 --show-types -q \
			--ignore "$NIPA_IGNORE${ignore:+,$ignore}" "$p") >"$RES/checkpatch.log" 2>&1 ||
			grep -qE 'No codespell typos|Traceback' "$RES/checkpatch.log"; then
			bad=$((bad + 1))
			why+="    ${p##*/}:"$'\n'$(sed 's/^/        /' "$RES/checkpatch.log")$'\n'
		fi
	done
	if [ $n = 0 ]; then
		result SKIP checkpatch "the series is empty"
	elif [ $bad = 0 ]; then
		result PASS checkpatch "$n patches clean with --strict --codespell --max-line-length=80${exc:+ (exceptions in patches/checkpatch-exceptions: ${exc#, })}" $n
	else
		result FAIL checkpatch "$bad of $n patches not clean" $bad
		printf '%s' "$why"
		count $((n - bad)) 0 0
		return 1
	fi
}

# run_vm LABEL KDIR SUITE...: the test suites in one boot of KDIR; results
# in $RES/LABEL.tsv. $BPF_DIR: where test_progs is, if not in KDIR/bpf.
run_vm() {
	local label=$1 kdir=$2 dir=$RES/$1 rc=0 times
	mkdir -p "$dir"
	VM_OUT=$dir/out "$TOP/scripts/vm.sh" "$kdir" "$dir/console.log" \
		"KLABEL=$label ${BPF_DIR:+BPF_DIR=$BPF_DIR }$TOP/tests/guest-suites.sh ${*:3}" \
		>"$dir/output.log" 2>"$dir/vm.log" || rc=$?
	parse_out "$dir/out" "${@:3}" >"$RES/$label.tsv"
	times=$(grep -v / "$dir/out/times" 2>/dev/null | awk '{ printf ", %s %ss", $1, $2 }')
	if [ $rc = 0 ]; then
		result PASS "vm-$label" "$(sed -n 's/.*\] vm: \([0-9]*s in QEMU\).*reached the command at \([0-9.?]*\)s.*/\1, boot \2s/p' "$dir/vm.log")$times"
	elif grep -q '^vm: FAIL' "$dir/vm.log"; then
		result FAIL "vm-$label" "$(grep -m1 '^vm: FAIL' "$dir/vm.log")"
		sed 's/^/    /' "$dir/vm.log" | tail -n 60
	else
		result FAIL "vm-$label" "tests/guest-suites.sh exited $rc in the guest"
		sed 's/^/    /' "$dir/output.log" | tail -n 20
	fi
	# the raw counts of this kernel, before any judgement
	awk -F'\t' '{ n[$1] = 1; c[$1, $3]++ }
		END { for (s in n) printf "    %s: %d ok, %d fail, %d skip, %d error\n", s, c[s, "ok"], c[s, "fail"], c[s, "skip"], c[s, "error"] }' \
		"$RES/$label.tsv" | sort
	[ $rc = 0 ]
}

# base_vm BPF_SRC SUITES...: boot the base kernel in the background with the
# test_progs of BPF_SRC (a kernel's bpf/ dir), its own test modules put in
# place of that kernel's (a copy of hard links), running SUITES; its lines
# go to $RES/vm-base.txt and its pid to $bpid.
base_vm() {
	local src=$1 bbpf=$RES/base-bpf
	shift
	cp -al "$src" "$bbpf" 2>/dev/null || cp -a "$src" "$bbpf"
	cp --remove-destination "$base"/kmods/*.ko "$bbpf/"
	BPF_DIR=$bbpf stage vm-base run_vm base "$base" "$@" >"$RES/vm-base.txt" 2>&1 &
	bpid=$!
}

# show_vm FILE: the lines of a background boot, and their counts.
show_vm() {
	cat "$1"
	count "$(grep -c '^PASS ' "$1")" "$(grep -c '^FAIL ' "$1")" "$(grep -c '^SKIP ' "$1")"
}

# make test-debug (test.sh --debug): the debug kernel (build.sh debug), one
# boot running every suite of the patched kernel, the stress programs and
# a kmemleak scan, and the console must show no splat, WARN, KASAN or
# lockdep report. The base kernel (not a debug one) runs the same BPF and
# Landlock tests at the same time, on the other core, as in make test: a
# test that fails there too (e.g. one that needs a config option the
# BPF selftests' config does not set in 7.3) is reported as such; any other
# must pass.
if [ "${1:-}" = --debug ]; then
	check deps "the Debian packages are installed" "$TOP/scripts/deps.sh" || { finish; exit 1; }
	check tree "" "$TOP/scripts/tree.sh" || { finish; exit 1; }
	check build-base "" "$TOP/scripts/build.sh" base && base=$(tail -n 1 "$RES/build-base.log")
	check build-debug "" "$TOP/scripts/build.sh" debug && debug=$(tail -n 1 "$RES/build-debug.log")
	if [ -n "${debug:-}" ] && check build-progs "" "$TOP/scripts/progs-build.sh" "$debug"; then
		bpid=
		[ -z "${base:-}" ] || base_vm "$debug/bpf" bpf landlock
		VM_TIMEOUT=${VM_TIMEOUT:-3600} stage vm-debug run_vm debug "$debug" \
			bpf landlock kunit demo stress kmemleak || true
		if [ -n "$bpid" ]; then
			wait "$bpid" || true
			show_vm "$RES/vm-base.txt"
		fi
	fi
	if [ -f "$RES/debug.tsv" ]; then
		base_tsv=/dev/null
		[ -f "$RES/base.tsv" ] && base_tsv=$RES/base.tsv
		new_tests "$base_tsv" "$RES/debug.tsv" >"$RES/new-tests.txt"
		TIMEOUTS=$TOP/tests/debug-timeouts.txt judge "$base_tsv" "$RES/debug.tsv" "$RES/new-tests.txt" >"$RES/judged.tsv"
		COUNTS=$RES/counts report "$RES/judged.tsv"
		# shellcheck disable=SC2046 # three numbers
		count $(cat "$RES/counts")
		echo "stress (tests/stress/walk_stress, ${STRESS_SECONDS:-10}s per scenario):"
		sed -n 's/^\(not \)\{0,1\}ok [0-9]* \([a-z]*\) # /    \2: /p' "$RES/debug/out/stress/walk_stress.tap" 2>/dev/null
		[ ! -s "$RES/debug/out/kmemleak/reports.txt" ] || head -n 40 "$RES/debug/out/kmemleak/reports.txt"
	fi
	finish
	exit
fi

# stage 1: the tools and the tree
check deps "the Debian packages are installed" "$TOP/scripts/deps.sh" || { finish; exit 1; }
check tree "" "$TOP/scripts/tree.sh" || { finish; exit 1; }
check export "patches/ equals the tree's commits" "$TOP/scripts/export.sh" --check || true
stage checkpatch checkpatch || true

bisect() { # build.sh bisect, and a last line that counts its commits
	local out
	out=$("$TOP/scripts/build.sh" bisect) || { echo "$out"; return 1; }
	echo "$out"
	echo "each of the $(grep -c '^ok' <<<"$out") commits compiles when applied in order (vmlinux.a); build-patched links the last"
}

# stage 2: builds. The base first: from a cold cache, the series' commits
# and the patched kernel then build incrementally on top of it.
check build-base "" "$TOP/scripts/build.sh" base && base=$(tail -n 1 "$RES/build-base.log")
if [ -z "$(series)" ]; then
	result SKIP bisect "the series is empty"
else
	check bisect "" bisect || true
fi
check build-patched "" "$TOP/scripts/build.sh" patched && patched=$(tail -n 1 "$RES/build-patched.log")
# the harness's programs (the demo, run in the patched kernel's boot)
demo=
if [ -n "${patched:-}" ]; then
	check build-progs "" "$TOP/scripts/progs-build.sh" "$patched" && demo=demo
fi

# the BPF patchwork's other per-patch checks: sign-off, kernel-doc, and
# new W=1 warnings of gcc and clang and of sparse (scripts/patchwork.sh,
# one line per check, each counting the patches it checked)
if [ -z "$(series)" ]; then
	result SKIP patchwork "the series is empty"
else
	plog=$RES/patchwork.log
	stage patchwork logged "$plog" "$TOP/scripts/patchwork.sh" || true
	grep -E '^(PASS|FAIL|SKIP) |^    ' "$plog" || true
	pcounts=$(sed -n 's/^counts //p' "$plog")
	if [ -n "$pcounts" ]; then
		# shellcheck disable=SC2086 # three numbers
		count $pcounts
	else
		result FAIL patchwork "scripts/patchwork.sh stopped: $(tail -n 1 "$plog")"
	fi
fi

# stage 3: the harness's own tests (they boot the base kernel)
if [ -n "${base:-}" ]; then
	hlog=$RES/harness.log
	stage harness logged "$hlog" env KDIR="$base" "$TOP/scripts/check-harness.sh" ||
		grep -q '^FAIL ' "$hlog" || result FAIL harness "check-harness.sh failed: $(tail -n 1 "$hlog")"
	grep -v '^\[' "$hlog" # its lines, without the stage times
	count "$(grep -c '^PASS ' "$hlog")" "$(grep -c '^FAIL ' "$hlog")" "$(grep -c '^SKIP ' "$hlog")"
else
	result SKIP harness "the base kernel did not build"
fi

# stage 4: the test suites in the VM, the base and the patched kernel at
# the same time: QEMU's TCG runs a guest on one host thread, so each boot
# has a core of its own. Their lines are printed base first, and counted
# from there (a background run_vm cannot count).
if [ -n "${base:-}" ] && [ -n "${patched:-}" ]; then
	# The base runs the patched kernel's test_progs with its own modules
	# (scripts/build.sh).
	base_vm "$patched/bpf" bpf landlock kunit
	(stage vm-patched run_vm patched "$patched" bpf landlock kunit $demo) >"$RES/vm-patched.txt" 2>&1 || true
	wait "$bpid" || true
	show_vm "$RES/vm-base.txt"
	show_vm "$RES/vm-patched.txt"
	new_tests "$RES/base.tsv" "$RES/patched.tsv" >"$RES/new-tests.txt"
	judge "$RES/base.tsv" "$RES/patched.tsv" "$RES/new-tests.txt" >"$RES/judged.tsv"
	COUNTS=$RES/counts report "$RES/judged.tsv"
	# shellcheck disable=SC2046 # three numbers
	count $(cat "$RES/counts")
else
	result SKIP vm "a kernel did not build"
fi
finish
