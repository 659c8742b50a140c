#!/bin/bash
# bench.sh: the body of `make bench`. Cost of openat() at depths 1 to 30
# below a ruled directory, with and without a Landlock domain
# (bench/openat.c), on the base and the patched kernel: both are booted
# alternately (base, patched, base, ...), BENCH_REPS times each, with the
# same QEMU settings. The figure of merit is the Landlock overhead (ns per
# openat()+close() with a domain minus without), median over the boots, and
# the ratio patched/base per depth.
#
# Writes results/bench-openat.raw (kernel rep depth domain ns_per_op),
# results/bench-openat.md (the table) and results/bench-openat.png (the
# plot); prints the table. Boot logs stay in build/bench/.
# The patched kernel's boots also run bench/path_walk.c: the cost of a
# BPF LSM program on file_open that walks to "/", against the same program
# without the walk, at depths 1, 10 and 30, for both iterators: sleepable
# with bpf_iter_path, non-sleepable with bpf_iter_path_rcu;
# results/bench-path-walk.{raw,md,png}.
# Both kernels' boots then run Landlock's own fs_bench (selftests) without
# and with Landlock; results/bench-fs.{raw,md,png}.
# Then the rename storm: both kernels booted alternately again, with
# BENCH_STORM_SMP vCPUs under multi-threaded TCG, run bench/openat.c
# without and with (-s) a process renaming a directory back and forth in an
# unrelated tree; results/bench-storm.{raw,md,png}; and bench/contend.c,
# 1 to BENCH_STORM_SMP processes opening files in one shared directory at
# once, without and with a domain; results/bench-contend.{raw,md,png}.
# Env: BENCH_REPS (boots of each kernel, default 5), BENCH_SMP (vCPUs,
# default 1), BENCH_MS (ms per measurement, default 300), BENCH_ROUNDS
# (measurements per point in a boot, median kept, default 5),
# BENCH_STORM_SMP (vCPUs of the storm boots, default 2), BENCH_FS_DEPTH and
# BENCH_FS_ITER (fs_bench's -d and -n, default 1000 and 4000), BENCH_ICOUNT
# (see below; empty: the host's time).
#
# The boots of BENCH_SMP vCPUs (openat, path walk, fs_bench) run with QEMU's
# -icount shift=BENCH_ICOUNT (default 0; it needs BENCH_SMP=1): the guest's
# clock counts the instructions the guest executes, 2^BENCH_ICOUNT ns each,
# so at shift 0 their "ns" are instructions, nearly the same in every boot
# whatever the host's load; timed by the host's clock, TCG's cost of a
# guest instruction varies from boot to boot, and the per-boot spread of
# the overhead reached 5x (results/runs/). An instruction count does not
# weigh a cache miss or an atomic operation more than any other
# instruction: what the references cost beyond their instructions, the
# contention boots measure, in the host's time, with the vCPUs running in
# parallel. As the spread under -icount is a few instructions in
# thousands, its measurements are shorter: BENCH_ICOUNT_MS (default 50 ms
# of the guest's clock) and BENCH_ICOUNT_ROUNDS (default 3) replace
# BENCH_MS and BENCH_ROUNDS there.
. "$(dirname "$0")/lib.sh"

reps=${BENCH_REPS:-5} smp=${BENCH_SMP:-1} ms=${BENCH_MS:-300} rounds=${BENCH_ROUNDS:-5}
icount=${BENCH_ICOUNT-0}
if [ -n "$icount" ]; then
	[[ $icount =~ ^([0-9]|10)$ ]] || die "BENCH_ICOUNT must be empty or a shift from 0 to 10, not '$icount'"
	[ "$smp" = 1 ] || die "BENCH_ICOUNT needs BENCH_SMP=1 (the clock would count the instructions of all vCPUs)"
	clock="QEMU's -icount shift=$icount: the guest's clock counts its instructions,"
	clock+=" $((1 << icount)) ns each, so the ns here are guest instructions"
	[ "$icount" = 0 ] || clock+=" times $((1 << icount))"
	clock+=", nearly the same in every boot whatever the host's load (an instruction"
	clock+=" is an instruction: neither a cache miss nor an atomic operation weighs more)"
else
	clock="timed by the guest's clock, which follows the host's time: TCG's cost of an instruction varies between boots"
fi
ms1=$ms rounds1=$rounds
[ -z "$icount" ] || ms1=${BENCH_ICOUNT_MS:-50} rounds1=${BENCH_ICOUNT_ROUNDS:-3}
t0=$(date +%s)
load=$(cut -d' ' -f1-3 /proc/loadavg)
RES=$TOP/results
dir=$BUILD/bench
rm -rf "$dir" && mkdir -p "$dir" "$RES"

base=$(stage build-base "$TOP/scripts/build.sh" base | tail -n 1)
patched=$(stage build-patched "$TOP/scripts/build.sh" patched | tail -n 1)
for k in "$base" "$patched"; do
	[ -f "$k/bzImage" ] || die "no kernel in '$k'"
done
bin=$dir/openat
gcc -O2 -Wall -isystem "$base/usr/include" -o "$bin" "$TOP/bench/openat.c" ||
	die "bench/openat.c does not build"
# The BPF program, its skeleton and loader, with the patched kernel's
# selftests' bpftool, libbpf and vmlinux.h, and bpf_experimental.h.
pw=$dir/path_walk tools=$patched/bpf/tools
{ bpf_clang "$tools" -c "$TOP/bench/path_walk.bpf.c" -o "$pw.bpf.o" &&
	llvm-strip-19 -g "$pw.bpf.o" &&
	"$tools/sbin/bpftool" gen skeleton "$pw.bpf.o" name path_walk_bpf >"$pw.skel.h" &&
	gcc -O2 -Wall -I"$dir" -I"$tools/include" -isystem "$patched/usr/include" -o "$pw" \
		"$TOP/bench/path_walk.c" "$tools/build/libbpf/libbpf.a" -lelf -lz; } ||
	die "bench/path_walk.c or bench/path_walk.bpf.c does not build"
grep -q VM_SMP "$TOP/scripts/vm.sh" || log "warning: vm.sh has no VM_SMP, BENCH_SMP ignored"
# The kernel's own Landlock benchmark (the series leaves it as it is), and
# the contention benchmark.
fsb=$dir/fs_bench cbin=$dir/contend
gcc -O2 -Wall -isystem "$base/usr/include" -o "$fsb" \
	"$TREE/tools/testing/selftests/landlock/fs_bench.c" ||
	die "tools/testing/selftests/landlock/fs_bench.c does not build"
gcc -O2 -Wall -isystem "$base/usr/include" -o "$cbin" "$TOP/bench/contend.c" ||
	die "bench/contend.c does not build"
fsd=${BENCH_FS_DEPTH:-1000} fsn=${BENCH_FS_ITER:-4000}

raw=$dir/raw
echo "# kernel rep depth domain ns_per_op" >"$raw"
pwraw=$dir/path-walk.raw
echo "# rep depth levels walk ns_per_op" >"$pwraw"
fsraw=$dir/fs.raw
echo "# kernel rep landlock system_clocks" >"$fsraw"
for rep in $(seq "$reps"); do
	for k in base patched; do
		# fs_bench -L leaves the file it created in the deepest directory,
		# and then fails to remove the tree: its exit status is printed,
		# its numbers are checked below
		kdir=$base cmd=("$bin" -t "$ms1" -r "$rounds1"
			"&&" "{ mkdir fsL && cd fsL && $fsb -L -d $fsd -n $fsn;"
			"echo \"# fs_bench -L: exit status \$?\"; cd ..; }"
			"&&" "$fsb" -d "$fsd" -n "$fsn")
		[ $k = base ] || kdir=$patched cmd+=("&&" "$pw" -t "$ms1" -r "$rounds1")
		VM_SMP=$smp VM_ICOUNT=$icount stage "vm-$k-$rep" "$TOP/scripts/vm.sh" "$kdir" "$dir/$k-$rep.console" \
			"${cmd[@]}" >"$dir/$k-$rep.out" 2>"$dir/$k-$rep.vm" || {
			tail -n 20 "$dir/$k-$rep.vm" "$dir/$k-$rep.out" >&2
			die "the benchmark failed in the $k kernel (rep $rep)"
		}
		awk -v k=$k -v rep="$rep" -F'[= ]' '/^depth=.* domain=/ { print k, rep, $2, $4, $6 }' \
			"$dir/$k-$rep.out" >>"$raw"
		n=$(grep -c "^$k $rep " "$raw")
		[ "$n" = 10 ] || die "the $k kernel (rep $rep) gave $n results instead of 10 (see $dir/$k-$rep.out)"
		# fs_bench: "N dirs, M iterations, with(out) Landlock" then
		# "System: X clocks" (ticks of times(): USER_HZ)
		awk -v k=$k -v rep="$rep" '
			/ dirs, .* iterations, with Landlock/ { l = 1 }
			/ dirs, .* iterations, without Landlock/ { l = 0 }
			/^System: [0-9]+ clocks/ { print k, rep, l, $2 }' "$dir/$k-$rep.out" >>"$fsraw"
		n=$(grep -c "^$k $rep " "$fsraw")
		[ "$n" = 2 ] || die "fs_bench in the $k kernel (rep $rep) gave $n results instead of 2 (see $dir/$k-$rep.out)"
		[ $k = base ] && continue
		awk -v rep="$rep" -F'[= ]' '/^depth=.* walk=/ { print rep, $2, $4, $6, $8 }' \
			"$dir/$k-$rep.out" >>"$pwraw"
		n=$(grep -c "^$rep " "$pwraw")
		[ "$n" = 12 ] || die "path_walk (rep $rep) gave $n results instead of 12 (see $dir/$k-$rep.out)"
	done
done
cp "$raw" "$RES/bench-openat.raw"
cp "$fsraw" "$RES/bench-fs.raw"

# median("a b c"): the median of a space-separated list, for both tables.
AWK_MEDIAN='
function median(list,    v, n, i, j, t) {
	n = split(list, v, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
'

# Per kernel and depth, medians over the boots of: the overhead, the cost
# without a domain, the cost with one. One line per depth:
# depth base_ovh patched_ovh ratio base_ns0 base_ns1 patched_ns0 patched_ns1
# base_ovh_list patched_ovh_list
awk "$AWK_MEDIAN"'
/^#/ { next }
{ ns[$1, $3, $4, $2] = $5; depth[$3] = 1; if ($2 > reps) reps = $2 }
END {
	for (d in depth) {
		for (r = 1; r <= reps; r++)
			for (k = 0; k < 2; k++) {
				kn = k ? "patched" : "base"
				o[kn] = o[kn] " " sprintf("%.1f", ns[kn, d, 1, r] - ns[kn, d, 0, r])
				a[kn] = a[kn] " " ns[kn, d, 0, r]
				b[kn] = b[kn] " " ns[kn, d, 1, r]
			}
		bo = median(o["base"]); po = median(o["patched"])
		printf "%d %.1f %.1f %.3f %.1f %.1f %.1f %.1f |%s |%s\n", d, bo, po,
			(bo > 0 ? po / bo : 0), median(a["base"]), median(b["base"]),
			median(a["patched"]), median(b["patched"]), o["base"], o["patched"]
		delete o; delete a; delete b
	}
}' "$raw" | sort -n >"$dir/table"

ratio_at() { awk -v d="$1" '$1 == d { print $4 }' "$dir/table"; }
verdict() { # RATIO MAX
	awk -v r="$1" -v m="$2" 'BEGIN { print (r != "" && r <= m) ? "met" : "not met" }'
}
r30=$(ratio_at 30) r1=$(ratio_at 1)
secs=$(($(date +%s) - t0))
{
	echo "# Landlock overhead of openat(): base vs patched kernel"
	echo
	echo "Made by \`make bench\` (scripts/bench.sh, bench/openat.c) on $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo
	echo "- Kernels: base \`${base##*/}\`, patched \`${patched##*/}\`" \
		"(series: $(git -C "$TREE" log --reverse --format=%s base..HEAD | paste -sd';' | sed 's/;/; /g'))."
	echo "- QEMU TCG, $smp vCPU(s), same settings for both kernels (scripts/vm.sh);" \
		"$reps boots of each kernel, alternately (base, patched, base, ...)."
	echo "- Clock: $clock."
	echo "- In each boot, each point is the median of $rounds1 measurements of ${ms1} ms of" \
		"openat(dirfd, \"f\", O_RDONLY)+close() in a loop, through an O_PATH fd of the" \
		"file's directory; the file is at R/d1/.../dN/f on a tmpfs. The measurements" \
		"with a domain (one rule granting LANDLOCK_ACCESS_FS_READ_FILE on R) run in a" \
		"child process, alternating with those without."
	echo "- Overhead = ns per op with the domain minus without, per boot;" \
		"the table gives its median over the boots, and the ratio patched/base of the medians."
	echo "- Time of the one-vCPU boots, all included: ${secs} s of the host's clock (host load average at the start: $load)."
	echo
	echo "| depth | base overhead (ns) | patched overhead (ns) | ratio patched/base | base, no domain (ns) | base, domain (ns) | patched, no domain (ns) | patched, domain (ns) |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	awk '{ printf "| %d | %.1f | %.1f | %.3f | %.1f | %.1f | %.1f | %.1f |\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$dir/table"
	echo
	echo "Targets (issue 4): ratio ≤ 0.35 at depth 30: ${r30:-?} ($(verdict "$r30" 0.35));" \
		"ratio ≤ 1.0 at depth 1: ${r1:-?} ($(verdict "$r1" 1.0))."
	echo
	echo "Overhead of each boot (ns), in the order of the boots:"
	echo
	echo "| depth | base | patched |"
	echo "| ---: | --- | --- |"
	awk -F'|' '{ split($1, f, " "); printf "| %d |%s|%s |\n", f[1], $2, $3 }' "$dir/table"
	echo
	echo "Raw numbers: bench-openat.raw (kernel, boot, depth, domain, ns per op); plot: bench-openat.png."
} >"$RES/bench-openat.md"

term=pngcairo
gnuplot -e 'set terminal pngcairo' 2>/dev/null || term=png
# plot_overhead PNG TITLE PLOT: Landlock's overhead over the depths, for
# bench-openat.png and bench-storm.png; PLOT is gnuplot's plot command.
plot_overhead() {
	gnuplot <<EOF || die "gnuplot failed"
set terminal $term size 800,500
set output "$1"
set title "$2"
set xlabel "depth of the file below the ruled directory"
set ylabel "overhead (ns per op, with domain - without)"
set key left top
set grid
set xrange [0:31]
set yrange [0:*]
set xtics (1, 5, 10, 20, 30)
$3
EOF
}
awk '{ print $1, $2, $3 }' "$dir/table" >"$dir/plot.dat"
plot_overhead "$RES/bench-openat.png" \
	"Landlock overhead of openat()+close() (QEMU TCG, median of $reps boots)" \
	"plot \"$dir/plot.dat\" using 1:2 with linespoints lw 2 pt 7 title \"base\", \\
     \"$dir/plot.dat\" using 1:3 with linespoints lw 2 pt 5 title \"patched\""

# Both iterators: per boot, the walk's cost at each depth (ns per op with
# the walk minus without: programs 1 - 0 for bpf_iter_path, 3 - 2 for
# bpf_iter_path_rcu) and that per level; the slope and intercept of the cost
# over the levels (least squares over the depths). Medians over the boots.
# Lines: iterator depth levels ns_without ns_with cost per_level
# |per_level_list, then "fit iterator slope intercept |slope_list".
cp "$pwraw" "$RES/bench-path-walk.raw"
awk "$AWK_MEDIAN"'
/^#/ { next }
{ ns[$1, $2, $4] = $5; lv[$2] = $3; if ($1 > reps) reps = $1 }
END {
	name[0] = "bpf_iter_path"; name[1] = "bpf_iter_path_rcu"
	for (it = 0; it < 2; it++) {
		delete a0; delete a1; delete cost; delete per
		slope = icpt = ""
		for (r = 1; r <= reps; r++) {
			n = sx = sy = sxx = sxy = 0
			for (d in lv) {
				c = ns[r, d, 2 * it + 1] - ns[r, d, 2 * it]
				a0[d] = a0[d] " " ns[r, d, 2 * it]
				a1[d] = a1[d] " " ns[r, d, 2 * it + 1]
				cost[d] = cost[d] " " c
				per[d] = per[d] " " sprintf("%.1f", c / lv[d])
				n++; sx += lv[d]; sy += c; sxx += lv[d] * lv[d]; sxy += lv[d] * c
			}
			k = (n * sxy - sx * sy) / (n * sxx - sx * sx)
			slope = slope " " sprintf("%.1f", k); icpt = icpt " " ((sy - k * sx) / n)
		}
		for (d in lv)
			printf "%s %d %d %.1f %.1f %.1f %.1f |%s\n", name[it], d, lv[d],
				median(a0[d]), median(a1[d]), median(cost[d]),
				median(per[d]), per[d]
		printf "fit %s %.1f %.1f |%s\n", name[it], median(slope), median(icpt), slope
	}
}' "$pwraw" | sort -k1,1 -k2,2n >"$dir/pw-table"
fit_ref=$(grep '^fit bpf_iter_path ' "$dir/pw-table")
fit_rcu=$(grep '^fit bpf_iter_path_rcu ' "$dir/pw-table")
slope_ref=$(echo "$fit_ref" | cut -d' ' -f3) slope_rcu=$(echo "$fit_rcu" | cut -d' ' -f3)
pwsecs=$(cat "$dir"/patched-*.out | awk -F= '/^# elapsed_s=/ { s += $2 } END { printf "%.0f", s }')
{
	echo "# Cost of walking a path to \"/\" in a BPF LSM program: bpf_iter_path and bpf_iter_path_rcu"
	echo
	echo "Made by \`make bench\` (scripts/bench.sh, bench/path_walk.c, bench/path_walk.bpf.c) on $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo
	echo "- Kernel: patched \`${patched##*/}\` (the only one with the iterators)."
	echo "- QEMU TCG, $smp vCPU(s) (scripts/vm.sh); run in each of the $reps boots of the" \
		"patched kernel of the Landlock benchmark, after it (same boots)."
	echo "- Clock: $clock."
	echo "- Four BPF LSM programs on \`file_open\`, all filtering on the benchmark's process:" \
		"\`walk\` (\`SEC(\"lsm.s/file_open\")\`, sleepable) counts the paths that" \
		"\`bpf_for_each(path, p, &file->f_path, 0)\` returns, \`no_walk\` (sleepable too)" \
		"returns 0 without walking; \`walk_rcu\` and \`no_walk_rcu\` are the same in" \
		"\`SEC(\"lsm/file_open\")\` (non-sleepable), with \`bpf_for_each(path_rcu, d," \
		"&file->f_path, 0)\`, which takes no reference. One is attached at a time; the" \
		"order rotates between rounds, reversed every other round."
	echo "- In each boot, each point is the median of $rounds1 measurements of ${ms1} ms of" \
		"openat(dirfd, \"f\", O_RDONLY)+close() in a loop, through an O_PATH fd of the" \
		"file's directory; the file is at D/d1/.../dN/f, D a new directory in the guest's" \
		"/run/scratch (a tmpfs mounted on the /run tmpfs, on the 9p root)."
	echo "- Levels: the paths the walk returned, as the program counted them: the file," \
		"its N directories, D, /run/scratch, /run and / (N + 5)."
	echo "- Walk cost = ns per op with the walk minus without (same iterator's pair), per" \
		"boot; per level = walk cost / levels. Slope = least-squares fit of the walk cost" \
		"over the levels (depths 1, 10, 30) in each boot: the cost of one more level;" \
		"intercept: the fixed cost of a walk. Medians over the boots."
	echo "- Time: ${pwsecs} s of the guests' clock for these measurements, in the ${secs} s of the host's clock of the one-vCPU boots."
	echo
	echo "**Per-level cost: bpf_iter_path ${slope_ref} ns, bpf_iter_path_rcu ${slope_rcu} ns" \
		"per level (slopes; ratio rcu/ref $(awk -v a="$slope_rcu" -v b="$slope_ref" \
		'BEGIN { printf "%.2f", b ? a / b : 0 }')); fixed cost of a walk:" \
		"$(echo "$fit_ref" | cut -d' ' -f4) and $(echo "$fit_rcu" | cut -d' ' -f4) ns (intercepts).**"
	echo
	echo "| iterator | depth | levels | no walk (ns) | walk (ns) | walk cost (ns) | per level (ns) |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	grep -v '^fit ' "$dir/pw-table" |
		awk '{ printf "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f |\n", $1, $2, $3, $4, $5, $6, $7 }'
	echo
	echo "Per boot, in the order of the boots:"
	echo
	echo "| | per boot |"
	echo "| --- | --- |"
	awk -F'|' '{ split($1, f, " ") }
		f[1] == "fit" { printf "| %s: slope (ns per level) |%s |\n", f[2], $2; next }
		{ printf "| %s: depth %d, per level (ns) |%s |\n", f[1], f[2], $2 }' "$dir/pw-table"
	echo
	echo "Raw numbers: bench-path-walk.raw (boot, depth, levels, program 0-3 as above: no_walk," \
		"walk, no_walk_rcu, walk_rcu, ns per op); plot: bench-path-walk.png."
} >"$RES/bench-path-walk.md"

grep '^bpf_iter_path ' "$dir/pw-table" | cut -d'|' -f1 | cut -d' ' -f2- >"$dir/pw-plot-ref.dat"
grep '^bpf_iter_path_rcu ' "$dir/pw-table" | cut -d'|' -f1 | cut -d' ' -f2- >"$dir/pw-plot-rcu.dat"
gnuplot <<EOF || die "gnuplot failed"
set terminal $term size 800,500
set output "$RES/bench-path-walk.png"
set termoption noenhanced
set title "file_open: cost of a walk to / with each iterator (QEMU TCG, median of $reps boots)"
set xlabel "levels walked (paths returned: the file, its directories, up to /; depth + 5)"
set ylabel "ns per openat()+close(), with the walk minus without"
set key left top
set grid
set xrange [0:40]
set yrange [0:*]
plot "$dir/pw-plot-ref.dat" using 2:5 with linespoints lw 2 pt 7 title "bpf_iter_path (lsm.s, references)", \
     "$dir/pw-plot-rcu.dat" using 2:5 with linespoints lw 2 pt 5 title "bpf_iter_path_rcu (lsm, no references)"
EOF
# The rename storm, in boots of their own: BENCH_STORM_SMP vCPUs that really
# run in parallel (multi-threaded TCG; a boot that fails is tried once more,
# for the rare oops vm.sh describes).
ssmp=${BENCH_STORM_SMP:-2}
# The patched kernel's storm boots also run walk_stress (tests/stress/),
# which counts the walks that started again, under this storm and under
# renames of the walks' own ancestors.
progs=$(stage build-progs "$TOP/scripts/progs-build.sh" "$patched" | tail -n 1)
[ -x "$progs/walk_stress" ] || die "no walk_stress in '$progs'"
sraw=$dir/storm.raw craw=$dir/contend.raw
echo "# kernel rep storm depth domain ns_per_op" >"$sraw"
echo "# kernel rep procs domain ops_per_s" >"$craw"
: >"$dir/storm-renames"
for rep in $(seq "$reps"); do
	for k in base patched; do
		kdir=$base cmd=("$bin" -t "$ms" -r "$rounds" "&&" "$bin" -s -t "$ms" -r "$rounds"
			"&&" "$cbin" -p "$ssmp" -t "$ms" -r "$rounds")
		[ $k = base ] || kdir=$patched cmd+=("&&" "$progs/walk_stress" storm 5
			"&&" "$progs/walk_stress" rename 5)
		for try in 1 2; do
			if VM_SMP=$ssmp VM_TCG_THREAD=multi VM_ICOUNT= stage "vm-storm-$k-$rep" "$TOP/scripts/vm.sh" \
				"$kdir" "$dir/storm-$k-$rep.console" "${cmd[@]}" \
				>"$dir/storm-$k-$rep.out" 2>"$dir/storm-$k-$rep.vm"; then
				break
			fi
			tail -n 20 "$dir/storm-$k-$rep.vm" "$dir/storm-$k-$rep.out" >&2
			[ $try = 1 ] || die "the storm benchmark failed in the $k kernel (rep $rep)"
			log "the storm boot of the $k kernel (rep $rep) failed: once more"
		done
		awk -v k=$k -v rep="$rep" -F'[= ]' '
			/^depth=.* domain=/ { print k, rep, 0, $2, $4, $6 }
			/^storm depth=.* domain=/ { print k, rep, 1, $3, $5, $7 }' \
			"$dir/storm-$k-$rep.out" >>"$sraw"
		n=$(grep -c "^$k $rep " "$sraw")
		[ "$n" = 20 ] || die "the $k storm boot (rep $rep) gave $n results instead of 20 (see $dir/storm-$k-$rep.out)"
		sed -n "s/^# storm: \([0-9]*\) renames per second/$k $rep \1/p" "$dir/storm-$k-$rep.out" >>"$dir/storm-renames"
		awk -v k=$k -v rep="$rep" -F'[= ]' '/^procs=.* domain=/ { print k, rep, $2, $4, $6 }' \
			"$dir/storm-$k-$rep.out" >>"$craw"
		n=$(grep -c "^$k $rep " "$craw")
		[ "$n" = $((2 * ssmp)) ] || die "contend in the $k kernel (rep $rep) gave $n results instead of $((2 * ssmp)) (see $dir/storm-$k-$rep.out)"
	done
done
cp "$sraw" "$RES/bench-storm.raw"
cp "$craw" "$RES/bench-contend.raw"
# Per depth, medians over the boots: the overhead of each kernel without and
# with the storm and their ratios, then the cost with a domain under the
# storm. Line: depth b0 p0 r0 b1 p1 r1 bdom1 pdom1 |b1 per boot |p1 per boot
awk "$AWK_MEDIAN"'
/^#/ { next }
{ ns[$1, $3, $4, $5, $2] = $6; depth[$4] = 1; if ($2 > reps) reps = $2 }
END {
	for (d in depth) {
		line = d
		for (s = 0; s < 2; s++) {
			for (r = 1; r <= reps; r++)
				for (k = 0; k < 2; k++) {
					kn = k ? "patched" : "base"
					o[kn] = o[kn] " " sprintf("%.1f", ns[kn, s, d, 1, r] - ns[kn, s, d, 0, r])
					w[kn] = w[kn] " " ns[kn, s, d, 1, r]
				}
			bo = median(o["base"]); po = median(o["patched"])
			line = line sprintf(" %.1f %.1f %.3f", bo, po, (bo > 0 ? po / bo : 0))
			if (s)
				line = line sprintf(" %.1f %.1f |%s |%s", median(w["base"]),
					median(w["patched"]), o["base"], o["patched"])
			delete o; delete w
		}
		print line
	}
}' "$sraw" | sort -n >"$dir/storm-table"
renames() { awk -v k="$1" '$1 == k { printf " %s", $3 }' "$dir/storm-renames"; }
# walk_stress SCENARIO: its walks, restarts and reference-mode walks summed
# over the patched storm boots.
stress_sum() {
	cat "$dir"/storm-patched-*.out | awk -v s="$1" '
		$1 == "scenario=" s {
			for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2] }
		}
		END {
			printf "%d walks, %d started again with references (%.3f%%), %d in reference mode, %d at the bound",
				v["walks"], v["restarts"], v["walks"] ? 100 * v["restarts"] / v["walks"] : 0,
				v["ref_walks"], v["eloop"]
		}'
}
secs=$(($(date +%s) - t0))
{
	echo "# Landlock overhead of openat() under a rename storm: base vs patched kernel"
	echo
	echo "Made by \`make bench\` (scripts/bench.sh, bench/openat.c -s) on $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo
	echo "- Kernels: base \`${base##*/}\`, patched \`${patched##*/}\`."
	echo "- QEMU TCG, $ssmp vCPUs running in parallel (multi-threaded TCG), $reps boots of" \
		"each kernel, alternately, apart from the boots of bench-openat.md."
	echo "- In each boot, bench/openat.c runs twice, as for bench-openat.md (median of $rounds" \
		"measurements of ${ms} ms per point): without the storm, then with it: a process" \
		"outside the domain renames DIR/S/a to DIR/S/b and back in a loop, in a directory" \
		"that is not an ancestor of the files opened, during the whole run."
	echo "- Renames per second of the storm, per boot: base$(renames base); patched$(renames patched)."
	echo "- Overhead = ns per op with the domain minus without, per boot; medians over the" \
		"boots; ratio = patched / base."
	echo "- Walks of vfs_walk_ancestors() counted by tests/stress/walk_stress (5 s per" \
		"scenario, after the measurements, in each boot of the patched kernel; every walk of" \
		"the machine counts, Landlock's and bpf_iter_path's): under a rename storm outside the" \
		"walks' trees (\`storm\`): $(stress_sum storm); under renames of the walks' own" \
		"ancestors (\`rename\`): $(stress_sum rename)."
	echo
	echo "| depth | base overhead (ns) | patched overhead (ns) | ratio | base overhead, storm (ns) | patched overhead, storm (ns) | ratio, storm | base, domain, storm (ns) | patched, domain, storm (ns) |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	awk '{ printf "| %d | %.1f | %.1f | %.3f | %.1f | %.1f | %.3f | %.1f | %.1f |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$dir/storm-table"
	echo
	echo "Overhead under the storm, per boot (ns), in the order of the boots:"
	echo
	echo "| depth | base | patched |"
	echo "| ---: | --- | --- |"
	awk -F'|' '{ split($1, f, " "); printf "| %d |%s|%s |\n", f[1], $2, $3 }' "$dir/storm-table"
	echo
	echo "Raw numbers: bench-storm.raw (kernel, boot, storm, depth, domain, ns per op); plot: bench-storm.png."
} >"$RES/bench-storm.md"
awk '{ print $1, $2, $3, $5, $6 }' "$dir/storm-table" >"$dir/storm-plot.dat"
sp=$dir/storm-plot.dat
plot_overhead "$RES/bench-storm.png" \
	"Landlock overhead of openat()+close(), $ssmp vCPUs, without and with a rename storm (median of $reps boots)" \
	"plot \"$sp\" using 1:2 with linespoints lw 2 pt 7 title \"base\", \\
     \"$sp\" using 1:3 with linespoints lw 2 pt 5 title \"patched\", \\
     \"$sp\" using 1:4 with linespoints lw 2 dt 2 pt 7 title \"base, storm\", \\
     \"$sp\" using 1:5 with linespoints lw 2 dt 2 pt 5 title \"patched, storm\""
# fs_bench: per kernel, medians over the boots of the system time of the
# run without Landlock (-L) and with it, in us per iteration. Line:
# kernel without with |without per boot |with per boot
hz=$(getconf CLK_TCK)
awk "$AWK_MEDIAN"'
/^#/ { next }
{ us = $4 * 1e6 / hz / n; v[$1, $3] = v[$1, $3] " " sprintf("%.1f", us) }
END {
	for (k = 0; k < 2; k++) {
		kn = k ? "patched" : "base"
		printf "%s %.1f %.1f |%s |%s\n", kn, median(v[kn, 0]), median(v[kn, 1]), v[kn, 0], v[kn, 1]
	}
}' hz="$hz" n="$fsn" "$fsraw" >"$dir/fs-table"
fs_at() { awk -v k="$1" -v c="$2" '$1 == k { print $c }' "$dir/fs-table"; }
fs_ratio() {
	awk -v a="$(fs_at patched "$1")" -v b="$(fs_at base "$1")" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'
}
{
	echo "# Landlock's fs_bench: base vs patched kernel"
	echo
	echo "Made by \`make bench\` (scripts/bench.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'), with the kernel's" \
		"own benchmark, tools/testing/selftests/landlock/fs_bench.c (unchanged by the series)."
	echo
	echo "- Kernels: base \`${base##*/}\`, patched \`${patched##*/}\`."
	echo "- In the $reps boots of each kernel of bench-openat.md (QEMU TCG, $smp vCPU), after" \
		"bench/openat.c: \`fs_bench -L -d $fsd -n $fsn\` (no Landlock), then" \
		"\`fs_bench -d $fsd -n $fsn\`: $fsd nested directories, each with a rule," \
		"and $fsn openat(O_CREAT|O_WRONLY) of a file in the deepest one, which Landlock" \
		"denies after walking to the root (without Landlock they succeed: the two runs do" \
		"different work, so compare each row across the kernels, not the rows)."
	echo "- fs_bench prints the process's system time in ticks of times() (USER_HZ, $hz per" \
		"second here, whatever its \"Clocks per second\" line says), the building of the" \
		"tree included; the table gives it per iteration. fs_bench's default depth, 10000," \
		"is beyond the series' bound on a walk (WALK_ANCESTORS_MAX_STEPS, 8192 steps," \
		"after which Landlock denies without walking on), so a smaller one is used."
	echo "- Clock: $clock; the ticks of times() follow it."
	echo "- Medians over the boots; ratio = patched / base."
	echo
	echo "| | base (us per iteration) | patched (us per iteration) | ratio |"
	echo "| --- | ---: | ---: | ---: |"
	echo "| without Landlock (-L) | $(fs_at base 2) | $(fs_at patched 2) | $(fs_ratio 2) |"
	echo "| with Landlock | $(fs_at base 3) | $(fs_at patched 3) | $(fs_ratio 3) |"
	echo
	echo "Per boot (us per iteration), in the order of the boots:"
	echo
	echo "| kernel | without Landlock | with Landlock |"
	echo "| --- | --- | --- |"
	awk -F'|' '{ split($1, f, " "); printf "| %s |%s|%s |\n", f[1], $2, $3 }' "$dir/fs-table"
	echo
	echo "Raw numbers: bench-fs.raw (kernel, boot, landlock, system time in ticks); plot: bench-fs.png."
} >"$RES/bench-fs.md"
printf '%s %s %s\n' without "$(fs_at base 2)" "$(fs_at patched 2)" \
	with "$(fs_at base 3)" "$(fs_at patched 3)" >"$dir/fs-plot.dat"
gnuplot <<PLOT || die "gnuplot failed"
set terminal $term size 700,450
set output "$RES/bench-fs.png"
set termoption noenhanced
set title "Landlock fs_bench, depth $fsd (QEMU TCG, median of $reps boots)"
set ylabel "system time (us per iteration)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set yrange [0:*]
set grid ytics
set key left top
plot "$dir/fs-plot.dat" using 2:xtic(1) title "base", "" using 3 title "patched"
PLOT

# contend: per number of processes, medians over the boots of the total
# opens per second without and with a domain, per kernel; Landlock's cost
# per open (ns of a vCPU: N processes on N vCPUs) = N * (1/with - 1/without).
# Line: procs b0 b1 p0 p1 ratio_with bcost pcost ratio_cost |b1 per boot |p1 per boot
awk "$AWK_MEDIAN"'
/^#/ { next }
{ v[$1, $3, $4] = v[$1, $3, $4] " " $5; procs[$3] = 1 }
END {
	for (n in procs) {
		b0 = median(v["base", n, 0]); b1 = median(v["base", n, 1])
		p0 = median(v["patched", n, 0]); p1 = median(v["patched", n, 1])
		bc = n * 1e9 * (1 / b1 - 1 / b0); pc = n * 1e9 * (1 / p1 - 1 / p0)
		printf "%d %.0f %.0f %.0f %.0f %.3f %.1f %.1f %.3f |%s |%s\n", n, b0, b1, p0, p1,
			p1 / b1, bc, pc, (bc > 0 ? pc / bc : 0), v["base", n, 1], v["patched", n, 1]
	}
}' "$craw" | sort -n >"$dir/contend-table"
{
	echo "# Contention on shared ancestors: openat() throughput, base vs patched kernel"
	echo
	echo "Made by \`make bench\` (scripts/bench.sh, bench/contend.c) on $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo
	echo "- Kernels: base \`${base##*/}\`, patched \`${patched##*/}\`."
	echo "- In the $reps storm boots of each kernel (QEMU TCG, $ssmp vCPUs running in parallel:" \
		"multi-threaded TCG), after bench/openat.c -s: \`contend -p $ssmp -t $ms -r $rounds\`:" \
		"N processes (N = 1 .. $ssmp), started together, each open and close a file of its" \
		"own in one shared directory (DIR/R/s on the guest's tmpfs) for ${ms} ms; without" \
		"a domain, and with one whose only rule (READ_FILE) is on \"/\", so that each check" \
		"walks every shared ancestor up to the root, across the tmpfs mount. Each point is" \
		"the median of $rounds measurements, the two sides alternately."
	echo "- Throughput = the sum of each process's opens per second. Landlock's cost per open" \
		"= N x (1/throughput with - 1/throughput without), in ns of one vCPU."
	echo "- Medians over the boots; ratio = patched / base."
	echo
	echo "| processes | base, no domain (ops/s) | base, domain (ops/s) | patched, no domain (ops/s) | patched, domain (ops/s) | ratio, domain | base cost (ns per open) | patched cost (ns per open) | ratio, cost |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	awk '{ printf "| %d | %d | %d | %d | %d | %.3f | %.1f | %.1f | %.3f |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' \
		"$dir/contend-table"
	echo
	echo "Throughput with the domain, per boot (ops/s), in the order of the boots:"
	echo
	echo "| processes | base | patched |"
	echo "| ---: | --- | --- |"
	awk -F'|' '{ split($1, f, " "); printf "| %d |%s|%s |\n", f[1], $2, $3 }' "$dir/contend-table"
	echo
	echo "Raw numbers: bench-contend.raw (kernel, boot, processes, domain, opens per second); plot: bench-contend.png."
} >"$RES/bench-contend.md"
ct=$dir/contend-table
gnuplot <<PLOT || die "gnuplot failed"
set terminal $term size 800,500
set output "$RES/bench-contend.png"
set title "openat()+close() of N processes in one directory, $ssmp vCPUs (median of $reps boots)"
set xlabel "processes"
set ylabel "total opens per second"
set key left top
set grid
set xrange [0.5:$ssmp.5]
set yrange [0:*]
set xtics 1
plot "$ct" using 1:2 with linespoints lw 2 dt 2 pt 7 title "base, no domain", \\
     "$ct" using 1:4 with linespoints lw 2 dt 2 pt 5 title "patched, no domain", \\
     "$ct" using 1:3 with linespoints lw 2 pt 7 title "base, domain", \\
     "$ct" using 1:5 with linespoints lw 2 pt 5 title "patched, domain"
PLOT

cat "$RES/bench-openat.md"
echo
cat "$RES/bench-path-walk.md"
echo
cat "$RES/bench-storm.md"
echo
cat "$RES/bench-fs.md"
echo
cat "$RES/bench-contend.md"
log "bench: ${secs}s"
