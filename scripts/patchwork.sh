#!/bin/bash
# patchwork.sh: the per-patch checks the BPF patchwork (NIPA) runs on a
# series, besides checkpatch and the build of each commit (test.sh's
# checkpatch and bisect suites):
#   signoff     a Signed-off-by from the patch's author
#   kernel-doc  no new "scripts/kernel-doc -none -Wall" warnings in the
#               files the patch touches, counted against its parent
#   build-gcc   no new gcc W=1 warning or error in building the objects
#               of the .c files the patch touches (whatever file the
#               warning is in: a header the object includes too)
#   sparse      no new sparse (C=2) warnings in them
#   build-llvm  no new clang W=1 (LLVM=-19) warnings in them
# A warning is new if the parent has fewer of the same text (file, message;
# line numbers left out, since a patch moves them). Prints one
# "PASS|FAIL <suite>: ..." line per suite, the new warnings under a failing
# one, and last "counts P F S": a suite counts one per patch it checked.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no kernel tree: run scripts/tree.sh first"
revs=$(git -C "$TREE" rev-list --reverse base..HEAD)
[ -n "$revs" ] || { echo "counts 0 0 0"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0 skipped=0

# suite NAME CHECKED BAD TEXT DETAILS: print a suite's line and count it.
suite() {
	if [ "$2" = 0 ]; then
		echo "SKIP $1: no patch to check"
		skipped=$((skipped + 1))
	elif [ "$3" = 0 ]; then
		echo "PASS $1: $2 patches, $4"
		passed=$((passed + $2))
	else
		echo "FAIL $1: $3 of $2 patches, $4"
		printf '%s' "$5" | awk '!seen[$0]++' | sed 's/^/    /'
		passed=$((passed + $2 - $3)) failed=$((failed + $3))
	fi
}

# new_lines BEFORE AFTER: the lines of AFTER that BEFORE has fewer of,
# line and column numbers and the build's source directory removed.
new_lines() {
	norm() {
		sed -E "s|$CACHE/work/||g"'; s/(\.[ch]):[0-9]+(:[0-9]+)?/\1/g; s/ line [0-9]+/ line N/g' "$1" | sort
	}
	comm -13 <(norm "$1") <(norm "$2")
}

# kfunc_decl REV: drop from stdin sparse's "symbol 'X' was not declared"
# where X is a kfunc of REV (defined with __bpf_kfunc), counting them in
# $tmp/kfuncs: kfuncs are global without a declaration, called from BPF
# programs only (__bpf_kfunc_start_defs() turns gcc's and clang's
# -Wmissing-prototypes off for them; sparse has no such switch, and warns
# for every kfunc the base has too).
kfunc_decl() {
	local l sym src
	while IFS= read -r l; do
		sym=$(sed -nE "s/.*: warning: symbol '([A-Za-z0-9_]+)' was not declared\. Should it be static\?$/\1/p" <<<"$l")
		# in the file that warned (its path is the line's first field)
		if [ -n "$sym" ] && src=$(git -C "$TREE" show "$1:${l%%:*}" 2>/dev/null) &&
			grep -qE "^__bpf_kfunc .*[^A-Za-z0-9_]$sym\(" <<<"$src"; then
			echo "$sym" >>"$tmp/kfuncs"
		else
			printf '%s\n' "$l"
		fi
	done
}

# files REV: what REV changes in the kernel (not removed; tools/, samples/
# and Documentation/ have their own checks).
files() {
	git -C "$TREE" diff --name-only --diff-filter=d "$1^" "$1" |
		grep -vE '^(tools|Documentation|samples)/' || true
}

short() { git -C "$TREE" log -1 --format='%h ("%s")' "$1"; }

# signoff
n=0 bad=0 why=''
for rev in $revs; do
	n=$((n + 1))
	who=$(git -C "$TREE" log -1 --format='%an <%ae>' "$rev")
	git -C "$TREE" log -1 --format=%B "$rev" | grep -qxF "Signed-off-by: $who" || {
		bad=$((bad + 1))
		why+="$(short "$rev"): no Signed-off-by: $who"$'\n'
	}
done
suite signoff $n $bad "each signed off by its author" "$why"

# kernel-doc on each version of a file, in a directory of its own, with
# Debian's python3 (not whatever python3 comes first in PATH). It exits
# non-zero when it warns: a crash is told apart by a Traceback.
kdoc() { # REV FILE
	local d=$tmp/$1 out
	mkdir -p "$d/${2%/*}"
	git -C "$TREE" show "$1:$2" >"$d/$2" 2>/dev/null || return 0
	out=$(cd "$d" && PATH=/usr/bin:$PATH "$TREE/scripts/kernel-doc" -none -Wall "$2" 2>&1) || true
	! grep -q Traceback <<<"$out" || die "kernel-doc failed on $2 at $1: $(tail -n 1 <<<"$out")"
	grep -i 'warning\|error' <<<"$out" || true
}
# the canary: kernel-doc must warn about a comment that is wrong
mkdir -p "$tmp/canary"
printf '/**\n * f() - canary\n * @x: not a parameter\n */\nint f(int y);\n' >"$tmp/canary/c.c"
(cd "$tmp/canary" && PATH=/usr/bin:$PATH "$TREE/scripts/kernel-doc" -none -Wall c.c 2>&1) |
	grep -q "Excess function parameter 'x'" || die "kernel-doc does not warn about a wrong comment: it cannot check"
n=0 bad=0 why='' nf=0
for rev in $revs; do
	fs=$(files "$rev" | grep -E '\.[ch]$' || true)
	[ -n "$fs" ] || continue
	n=$((n + 1))
	: >"$tmp/new"
	for f in $fs; do
		nf=$((nf + 1))
		kdoc "$rev^" "$f" >"$tmp/before"
		kdoc "$rev" "$f" >"$tmp/after"
		new_lines "$tmp/before" "$tmp/after" >>"$tmp/new"
	done
	new=$(cat "$tmp/new")
	[ -z "$new" ] || {
		bad=$((bad + 1))
		why+="$(short "$rev"):"$'\n'"$new"$'\n'
	}
done
suite kernel-doc $n $bad "no new warnings of 'kernel-doc -none -Wall' in the $nf .c and .h files they touch" "$why"

# the compilers' and sparse's warnings, from build.sh warnings: for each
# patch, the objects of the .c files it touches, built at the patch and at
# its parent
out=$("$TOP/scripts/build.sh" warnings) || die "build.sh warnings failed"
declare -A dir own
while read -r rev d objs; do dir[$rev]=$d own[$rev]=$objs; done <<<"$out"
for tool in gcc sparse llvm; do
	name=$(case $tool in gcc) echo build-gcc ;; llvm) echo build-llvm ;; *) echo sparse ;; esac)
	what=$(case $tool in gcc) echo "gcc W=1" ;; llvm) echo "clang W=1 (LLVM=-19)" ;; *) echo "sparse (C=2)" ;; esac)
	n=0 bad=0 why='' no=0 extra=''
	: >"$tmp/kfuncs"
	for rev in $revs; do
		[ -n "${own[$rev]:-}" ] || continue
		n=$((n + 1))
		parent=$(git -C "$TREE" rev-parse "$rev^")
		: >"$tmp/new"
		for o in ${own[$rev]}; do
			no=$((no + 1))
			after=${dir[$rev]}/$tool/${o//\//%}
			before=${dir[$parent]}/$tool/${o//\//%}
			[ -e "$after" ] || die "no $tool warnings of $o at $(short "$rev")"
			[ -e "$before" ] || before=/dev/null
			new_lines "$before" "$after" >>"$tmp/new"
		done
		# the sparse run compiles too: its gcc lines are build-gcc's
		[ $tool != sparse ] || {
			{ grep -vE '\[-W[^]]+\]$' "$tmp/new" || [ $? = 1 ]; } | kfunc_decl "$rev" >"$tmp/new.k"
			mv "$tmp/new.k" "$tmp/new"
		}
		# an object that was not built or checked, or did not compile,
		# fails whatever its parent did
		for o in ${own[$rev]}; do
			grep -E '(^|: )error:' "${dir[$rev]}/$tool/${o//\//%}" >>"$tmp/new" || true
		done
		new=$(cat "$tmp/new")
		[ -z "$new" ] || {
			bad=$((bad + 1))
			why+="$(short "$rev"):"$'\n'"$new"$'\n'
		}
	done
	k=$(sort -u "$tmp/kfuncs" | wc -l)
	[ "$k" = 0 ] || extra=" (not counted: sparse's \"not declared\" for the $k new kfuncs, global by design)"
	suite "$name" $n $bad "no new $what warnings in the $no objects of the .c files they touch$extra" "$why"
done
echo "counts $passed $failed $skipped"
