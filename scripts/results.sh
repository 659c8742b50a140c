# Parse and judge the results that tests/guest-suites.sh leaves in a VM's
# out directory; sourced by test.sh and run.sh.
# shellcheck shell=bash
#
# Results are lines "SUITE<TAB>TEST<TAB>STATUS<TAB>NOTE", STATUS ok, fail or
# skip, one per individual test case: a test_progs subtest (or a test
# without subtests), a kselftest TAP test, a KUnit case. A suite that did
# not run to its end gives an "error" line of its own.

# parse_out DIR SUITE...: the results of one VM run; a SUITE without any
# result is a failure.
parse_out() {
	local res s
	res=$(parse_files "$1")
	[ -z "$res" ] || echo "$res"
	for s in "${@:2}"; do
		grep -q "^$s	" <<<"$res" || printf '%s\t(all)\terror\tno results\n' "$s"
	done
}

parse_files() { # DIR
	local dir=$1 f b
	if [ -f "$dir/bpf.out" ]; then
		awk -v rc="$(cat "$dir/bpf.rc" 2>/dev/null)" '
			# "#12 name:OK", "#12/3 name/sub:FAIL", "#5 name:OK (SKIP: 1/3)"
			/^#[0-9]+(\/[0-9]+)? +.*:(OK|SKIP|FAIL)( \(SKIP: [0-9\/]+\))?$/ {
				num = $1; sub(/^#/, "", num)
				line = $0; sub(/^#[0-9\/]+ +/, "", line); sub(/ \(SKIP: [0-9\/]+\)$/, "", line)
				st = line; sub(/.*:/, "", st); name = line; sub(/:[A-Z]+$/, "", name)
				st = st == "OK" ? "ok" : st == "SKIP" ? "skip" : "fail"
				if (num ~ /\//) { split(num, n, "/"); has_sub[n[1]] = 1; if (st == "fail") sub_failed[n[1]] = 1 }
				nums[++cnt] = num; names[num] = name; sts[num] = st
				if (st == "fail") nfail++
			}
			/^Summary: / { summary = 1 }
			END {
				for (i = 1; i <= cnt; i++) {
					num = nums[i]
					# a test with subtests counts through them, unless it
					# failed outside of them (in its set-up, say)
					if (has_sub[num] && !(sts[num] == "fail" && !sub_failed[num])) continue
					print "bpf\t" names[num] "\t" sts[num] "\t"
				}
				if (!summary) print "bpf\t(test_progs)\terror\tno summary line: test_progs did not finish"
				# exit status 2 (EXIT_NO_TEST): no test matched, which is no failure
				else if (rc != 0 && !nfail && !(rc == 2 && !cnt)) print "bpf\t(test_progs)\terror\texit status " rc " without a failed test"
			}' "$dir/bpf.out"
	fi
	# kselftest TAP: Landlock's test binaries, the demo's scene, the stress
	# programs and kmemleak
	for f in "$dir"/landlock/*.tap "$dir"/demo/*.tap "$dir"/stress/*.tap "$dir"/kmemleak/*.tap; do
		[ -f "$f" ] || continue
		b=${f##*/}
		b=${b%.tap}
		s=${f%/*}
		s=${s##*/}
		awk -v suite="$s" -v bin="$b" -v rc="$(cat "${f%.tap}.rc" 2>/dev/null)" '
			/^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0 }
			# the kselftest harness killed the test at its timeout
			/^# [^ ]+: Test terminated by timeout$/ { timedout = 1 }
			/^(not )?ok [0-9]+ / {
				st = /^not / ? "fail" : / # SKIP/ ? "skip" : "ok"
				name = $0; sub(/^(not )?ok [0-9]+ /, "", name); sub(/ # .*/, "", name)
				why = $0; if (!sub(/.* # SKIP */, "", why)) why = ""
				if (st == "fail" && timedout) why = "timeout"
				timedout = 0
				print suite "\t" bin ":" name "\t" st "\t" why
				n++; if (st == "fail") nfail++
			}
			END {
				if (plan == "" || n != plan) print suite "\t" bin "\terror\t" n + 0 " results for a plan of " plan + 0 ": did not finish"
				else if (rc != 0 && !nfail) print suite "\t" bin "\terror\texit status " rc " without a failed test"
			}' "$f"
	done
	# KUnit: the suites of the modules in tests/kunit-modules.txt are the
	# series' own ("kunit-modules"); the built-in ones are "kunit".
	for f in "$dir"/kunit/*.ktap; do
		[ -f "$f" ] || continue
		b=${f##*/}
		b=${b%.ktap}
		awk -v suite="$b" -v label="$(grep -qsx "$b" "$dir"/kunit/*.suites && echo kunit-modules || echo kunit)" '
			/^    1\.\.[0-9]+$/ { plan = $1; sub(/^1\.\./, "", plan) }
			/^    (not )?ok [0-9]+ / {
				st = /^    not / ? "fail" : / # SKIP/ ? "skip" : "ok"
				name = $0; sub(/^    (not )?ok [0-9]+ /, "", name); sub(/ # .*/, "", name)
				why = $0; if (!sub(/.* # SKIP */, "", why)) why = ""
				print label "\t" suite "." name "\t" st "\t" why
				n++; if (st == "fail") nfail++
			}
			/^not ok 1 / { suite_failed = 1 }
			END {
				if (plan == "" || n != plan + 0) print label "\t" suite "\terror\t" n + 0 " results for a plan of " plan + 0
				else if (suite_failed && !nfail) print label "\t" suite "\terror\tsuite failed outside its cases"
			}' "$f"
	done
	for f in "$dir"/kunit/*.skip "$dir"/kunit/*.error; do
		[ -f "$f" ] || continue
		b=${f##*/}
		case $f in
		*.skip) printf 'kunit-modules\t%s\tskip\t%s\n' "${b%.skip}" "$(cat "$f")" ;;
		*) printf 'kunit-modules\t%s\terror\tmodprobe: %s\n' "${b%.error}" "$(tr '\n' ' ' <"$f")" ;;
		esac
	done
}

# new_tests BASE PATCHED: the test_progs tests and subtests that fail on
# both kernels but that the base tree does not have (no test_NAME function
# in its prog_tests, or no such subtest name in its BPF selftests): the
# series' own, which the base kernel, running the same test_progs, cannot
# pass. One "TEST" or "TEST/SUBTEST" per line.
new_tests() {
	local t name sub
	awk -F'\t' 'FILENAME == ARGV[1] { if ($1 == "bpf" && $3 == "fail") f[$2] = 1; next }
		$1 == "bpf" && $3 == "fail" && ($2 in f) { print $2 }' "$1" "$2" | sort -u |
		while IFS= read -r t; do
			name=${t%%/*} sub=${t#"$name"}
			if ! git -C "$TREE" grep -qw -e "test_$name" base -- tools/testing/selftests/bpf/prog_tests ||
				{ [ -n "$sub" ] && ! git -C "$TREE" grep -qwF -e "${sub#/}" base -- tools/testing/selftests/bpf; }; then
				echo "$t"
			fi
		done
}

# TIMEOUTS (make test-debug): a file of "SUITE TEST REASON" lines, tests
# that the debug kernel may run past the kselftest harness's timeout; such
# a test that failed by its timeout, and passes on the base, is a skip
# with its reason. Any other failure of it fails.
#
# judge BASE PATCHED [NEW]: each result of PATCHED (files from parse_out)
# judged against BASE, as "SUITE<TAB>TEST<TAB>pass|fail|skip<TAB>NOTE":
# - a suite that broke ("error") fails, whatever the base did;
# - a test that fails on the base too is not the series' doing: "skip",
#   noted "fails on base too", so it is listed but does not fail the run;
# - unless it belongs to the series' own tests (the test_progs tests listed
#   in the file NEW, from new_tests, and kunit-modules): those must pass;
# - a test that passes on the base must pass: skipped or missing is a fail;
# - every name of tests/bpf-tests.txt must match a test here: the selftests
#   are built with BPF_STRICT_BUILD=0, which drops a test whose BPF program
#   does not build.
judge() {
	awk -F'\t' -v OFS='\t' -v timeouts="${TIMEOUTS:-}" -v names="$(grep -v '^#' "$TOP/tests/bpf-tests.txt" | grep . | paste -sd' ')" '
		function own(s, t) { return (s == "bpf" && (t in new)) || s == "kunit-modules" }
		FILENAME == ARGV[1] { base[$1 FS $2] = $3; next }
		$3 == "fail" && $4 == "timeout" && base[$1 FS $2] == "ok" && (($1 FS $2) in slow) {
			print $1, $2, "skip", "timed out under the debug kernel: " slow[$1 FS $2]; seen[$1 FS $2] = 1; next
		}
		$1 == "bpf" { for (i in want) if (index($2, want[i])) matched[i] = 1 }
		{
			k = $1 FS $2; seen[k] = 1; b = base[k]
			why = b == "ok" ? "passes on base" : b == "skip" ? "skipped on base" : b == "fail" ? "fails on base too" : "not on base"
			if ($1 == "bpf" && ($2 in new)) why = "new in the series"
			if ($3 == "error") print $1, $2, "fail", $4
			else if ($3 == "ok") print $1, $2, "pass", $4
			else if ($3 == "fail" && b == "fail" && !own($1, $2)) print $1, $2, "skip", why
			else if ($3 == "fail") print $1, $2, "fail", ($4 != "" ? $4 "; " : "") why
			else if (b == "ok") print $1, $2, "fail", "skipped here; " why
			else print $1, $2, "skip", $4
		}
		BEGIN {
			nw = split(names, want, " ")
			if (ARGV[3] != "") { while ((getline l < ARGV[3]) > 0) new[l] = 1; ARGV[3] = "" }
			if (timeouts != "") while ((getline l < timeouts) > 0) {
				if (l ~ /^#/ || split(l, f, " ") < 3) continue
				r = l; sub(/^[^ ]+ +[^ ]+ +/, "", r); slow[f[1] FS f[2]] = r
			}
		}
		END {
			for (k in base) if (!(k in seen) && base[k] == "ok") print k, "fail", "passes on base, missing here"
			for (i = 1; i <= nw; i++) if (!matched[i]) print "bpf", want[i], "fail", "no test of this name ran (not built? SKIP-BPF in bpf.log)"
		}
	' "$1" "$2" "${3:-}"
}

# report JUDGED: one line per suite, "PASS|FAIL|SKIP SUITE: counts", each
# test that did not pass listed under it; counts go to the file $COUNTS
# ("passed failed skipped") when it is set.
report() {
	awk -F'\t' -v counts="${COUNTS:-}" '
		BEGIN { known["bpf"] = known["landlock"] = known["kunit"] = known["kunit-modules"] = 1 }
		{ n[$1, $3]++; suites[$1] = 1; if ($3 != "pass") bad[$1] = bad[$1] sprintf("    %s %s%s\n", toupper($3), $2, $4 != "" ? " (" $4 ")" : "") }
		END {
			# the known suites in a fixed order, then any other
			m = split("bpf landlock kunit kunit-modules", order, " ")
			for (s in suites) if (!(s in known)) order[++m] = s
			for (i = 1; i <= m; i++) {
				s = order[i]
				if (!(s in suites)) continue
				v = n[s, "fail"] ? "FAIL" : n[s, "pass"] ? "PASS" : "SKIP"
				printf "%s %s: %d passed, %d failed, %d skipped\n%s", v, s, n[s, "pass"], n[s, "fail"], n[s, "skip"], bad[s]
				p += n[s, "pass"]; f += n[s, "fail"]; k += n[s, "skip"]
			}
			if (counts != "") print p + 0, f + 0, k + 0 > counts
		}' "$1"
}
