#!/bin/bash
# scene.sh [TAP]: the scene of `make run`, run as root in the patched kernel
# (scripts/run.sh and tests/guest-suites.sh boot it). A directory,
# protected/, is protected three times over: by subtree_guard (BPF LSM
# programs walking ancestors, deny mode) with its two walks, sleepable
# programs with bpf_iter_path (-w ref), then non-sleepable ones with
# bpf_iter_path_rcu (-w rcu); then by a Landlock ruleset doing the same job
# (samples/landlock/sandboxer granting access to everything in the scene
# but protected/). The same steps run under each, and one table shows, per
# step, what each allowed or denied and, for subtree_guard, the hook, the
# depth of the match and whether the walk met a disconnected directory.
#
# With TAP, each step's outcome is also checked against demo/expected.txt,
# and the tool's answers to bad input against what it must say; results
# are written to the file TAP as kselftest TAP. Exits non-zero if a check
# fails (or if the scene cannot be set up).
# shellcheck disable=SC2086 # the steps' commands are split into words
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${PROGS:-$TOP/build/progs}
tap=${1:-}
S=/run/scratch/scene # the scene: a tmpfs
W=/run/scratch/scene-work # outcomes and error messages
fail() { echo "scene.sh: $*" >&2; exit 1; }
[ -x "$bin/subtree_guard" ] && [ -x "$bin/sandboxer" ] ||
	fail "no $bin/subtree_guard or $bin/sandboxer: run scripts/progs-build.sh"

# "what it does|the command, run in $S": each step is one process, so that
# subtree_guard's decisions can be told apart by pid.
steps=(
	"read a file inside|cat protected/file"
	"create a file inside|touch protected/new"
	"rename a file inside|mv protected/file protected/renamed"
	"delete a file inside|rm protected/file"
	"move a file into it|mv beside/tomove protected/"
	"read a file beside it|cat beside/file"
	"create a file beside it|touch beside/new"
	"read it through a bind mount|cat bind/file"
	"read it through a symlink|cat link"
	"moved out, reached through the bind mount|cat /proc/self/fd/9/f"
	"moved out, reached by its new path|cat attic/moved/f"
)

# A fresh scene. protected/moved is opened (fd 9) through the bind mount
# of protected/ on bind/, then moved to attic/: through fd 9 it is now a
# directory disconnected from the bind mount's root.
setup() {
	exec 9<&-
	umount "$S/bind" "$S" 2>/dev/null
	mkdir -p "$S" || fail "cannot create $S"
	mount -t tmpfs scene "$S" || fail "cannot mount a tmpfs on $S"
	mkdir "$S/protected" "$S/protected/moved" "$S/beside" "$S/attic" "$S/bind" &&
		echo secret >"$S/protected/file" && echo moved >"$S/protected/moved/f" &&
		echo hello >"$S/beside/file" && echo x >"$S/beside/tomove" &&
		ln -s protected/file "$S/link" &&
		mount --bind "$S/protected" "$S/bind" &&
		exec 9<"$S/bind/moved" &&
		mv "$S/protected/moved" "$S/attic/moved" || fail "cannot set up the scene in $S"
}

# The steps, in the scene: "STEP N PID STATUS" for each.
run_steps() {
	local i pid rc
	cd "$S" || exit 1
	for i in "${!steps[@]}"; do
		${steps[$i]#*|} >/dev/null 2>"$W/err.$1.$i" &
		pid=$!
		wait $pid
		rc=$?
		echo "STEP $i $pid $rc"
	done
}
[ "$tap" = --steps ] && { run_steps "$2"; exit 0; }

rm -rf "$W" && mkdir -p "$W" || fail "cannot create $W"
for walk in ref rcu; do
	setup
	"$bin/subtree_guard" -m deny -w $walk "$S/protected" -- "$0" --steps $walk >"$W/$walk" 2>"$W/$walk.err" ||
		fail "subtree_guard -w $walk failed: $(tail -n 1 "$W/$walk.err")"
done
setup
LL_FS_RO=/usr:/etc:/proc:$TOP LL_FS_RW=/dev:$W:$S/beside:$S/attic \
	"$bin/sandboxer" "$0" --steps landlock >"$W/landlock" 2>"$W/landlock.err" ||
	fail "sandboxer failed: $(tail -n 1 "$W/landlock.err")"

# subtree_guard's outcome of step I under walk WALK: "allow", or
# "deny:HOOK:DEPTH[:disconnected]" from its decision (DEPTH is
# "incomplete" for a walk that could not conclude), or "error:MESSAGE".
guard_outcome() { # I WALK
	awk -v i="$1" -v gerr="$(head -n 1 "$W/err.$2.$1" 2>/dev/null)" '
		$1 == "STEP" && $2 == i { gpid = "pid=" $3; grc = $4 }
		$1 != "STEP" { ev[++n] = $0 }
		END {
			if (gpid == "") { print "error:no outcome"; exit }
			g = grc == 0 ? "allow" : "error"
			for (k = 1; k <= n; k++) {
				if (index(ev[k], " " gpid " ") == 0) continue
				split(ev[k], f, " "); d = ev[k]
				if (d ~ / incomplete /) d = "incomplete"
				else { sub(/.* depth=/, "", d); sub(/ .*/, "", d) }
				g = (f[1] == "deny" && grc != 0 ? "deny" : f[1] "?rc=" grc) ":" f[2] ":" d (ev[k] ~ / disconnected$/ ? ":disconnected" : "")
				break
			}
			if (g == "error") g = "error:" gerr
			print g
		}' "$W/$2"
}
# One line per step: "N<TAB>what<TAB>ref<TAB>rcu<TAB>landlock<TAB>lerr",
# ref and rcu as guard_outcome gives them, landlock "allow" or "deny"; then
# the readable table.
for i in "${!steps[@]}"; do
	l=$(awk -v i="$i" '$1 == "STEP" && $2 == i { print $4 == 0 ? "allow" : "deny" }' "$W/landlock")
	l=${l:-error:no outcome}
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "${steps[$i]%%|*}" "$(guard_outcome "$i" ref)" \
		"$(guard_outcome "$i" rcu)" "$l" "$(head -n 1 "$W/err.landlock.$i")"
done >"$W/outcomes"

show() { # the readable form of a guard or landlock outcome
	case $1 in
	allow) echo "allowed" ;;
	deny:*) IFS=: read -r _ hook depth disc <<<"$1"
		echo "DENIED ($hook, protected/ at depth $depth${disc:+, disconnected})" ;;
	deny) echo "DENIED" ;;
	*) echo "?? $1" ;;
	esac
}
echo "The scene: /run/scratch/scene holds protected/, beside/, attic/, bind/ (a bind"
echo "mount of protected/) and link (a symlink to protected/file); protected/moved"
echo "was opened through bind/, then moved to attic/."
echo
printf '%-42s %-50s %-10s %s\n' "step" "BPF LSM: subtree_guard -m deny protected/" "-w rcu" "Landlock: all but protected/"
printf '%-42s %-50s %-10s %s\n' "----" "-----------------------------------------" "------" "----------------------------"
while IFS=$'\t' read -r i what g r l lerr; do
	if [ "$r" = "$g" ]; then r=same; else r=$(show "$r"); fi
	printf '%-42s %-50s %-10s %s\n' "$what" "$(show "$g")" "$r" "$(show "$l")${lerr:+ (${lerr##*: })}"
done <"$W/outcomes"
echo
echo "The BPF LSM column is subtree_guard -w ref (sleepable programs walking with"
echo "bpf_iter_path); -w rcu (non-sleepable programs walking with bpf_iter_path_rcu)"
echo "says \"same\" where it gave the same answer."
echo
echo "subtree_guard's own report of its decisions (-w ref):"
grep -v '^STEP' "$W/ref" | sed 's/^/  /'

[ -n "$tap" ] || exit 0

# The checks, as kselftest TAP.
exec 3>"$tap"
n=0 failed=0
check() { # NAME DETAIL STATUS: "ok N NAME # DETAIL" if STATUS is 0
	n=$((n + 1))
	if [ "$3" = 0 ]; then echo "ok $n $1 # $2" >&3; else echo "not ok $n $1 # $2" >&3; failed=1; fi
}
while IFS=$'\t' read -r i what g r l _; do
	want=$(awk -F'\t' -v i="$i" '!/^#/ && $1 == i' "$TOP/demo/expected.txt")
	[ -n "$want" ] || fail "no step $i in demo/expected.txt"
	IFS=$'\t' read -r _ wg wl <<<"$want"
	[ "$g" = "$wg" ]; check "guard: $what" "$g, expected $wg" $?
	[ "$r" = "$wg" ]; check "guard -w rcu: $what" "$r, expected $wg" $?
	[ "$l" = "$wl" ]; check "landlock: $what" "$l, expected $wl" $?
done <"$W/outcomes"
# Bad input: a one-line error and exit status 2, with nothing loaded.
bad() { # NAME MESSAGE ARGS...
	local out rc
	out=$("$bin/subtree_guard" "${@:3}" -- true 2>&1)
	rc=$?
	[ $rc = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] && [[ $out == *"$2"* ]]
	check "bad input: $1" "exit $rc: $out" $?
}
bad "no such directory" "No such file or directory" "$S/nowhere"
bad "a file" "not a directory" "$S/beside/file"
nine=("$S" "$S" "$S" "$S" "$S" "$S" "$S" "$S" "$S")
bad "nine directories" "too many directories" "${nine[@]}"
bad "bad mode" "unknown mode" -m block "$S"
bad "bad walk" "unknown walk" -w fast "$S"
bad "no directory" "usage" -m deny
# No BPF LSM: what the tool reads of the kernel, as a kernel without it shows it.
echo capability,landlock >"$W/lsm"
mount --bind "$W/lsm" /sys/kernel/security/lsm &&
	bad "no BPF LSM" "the BPF LSM is not active" "$S"
umount /sys/kernel/security/lsm
echo "1..$n" >&3
exit $failed
