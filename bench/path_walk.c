// SPDX-License-Identifier: GPL-2.0
/*
 * path_walk.c - cost of a BPF LSM program on file_open that walks from the
 * opened file up to "/", against the same program without the walk
 * (bench/path_walk.bpf.c), measured as the cost of openat()+close() of files
 * at several depths below a directory: a sleepable program with the
 * bpf_iter_path kfuncs, and a non-sleepable one with bpf_iter_path_rcu.
 * Needs a kernel with both iterators and the BPF LSM, and root.
 *
 * usage: path_walk [-t MS] [-r ROUNDS] [DIR]
 *
 * Builds DIR/d1/d2/.../d30 (DIR: a new directory in the current one, which
 * should be on a tmpfs) and, for each depth N of 1, 10 and 30, a file
 * d1/.../dN/f.  The file is opened through an O_PATH file descriptor of its
 * directory, so that the path lookup costs the same at every depth.
 *
 * The four programs are loaded at once; in each round, one of them is
 * attached, each depth is measured for MS milliseconds (default 300), the
 * program is detached and the same is done with the next one; the order of
 * the programs rotates between rounds, and is reversed every other round.
 * The median over ROUNDS rounds (default 5) is printed, one line per depth
 * and program:
 *
 *   depth=N levels=L walk=W ns_per_op=X
 *
 * W is 0 for no_walk, 1 for walk (sleepable, bpf_iter_path), 2 for
 * no_walk_rcu, 3 for walk_rcu (non-sleepable, bpf_iter_path_rcu).
 * L is the number of paths the walk returned, as the program counted them:
 * the file itself, its N directories, DIR and each of DIR's ancestors up to
 * "/" (N + the depth of DIR below "/" + 2).  Each measurement checks that
 * the attached program ran once per open.  Lines starting with '#' are
 * comments; the last one gives the run's time: "# elapsed_s=S".
 */

#define _GNU_SOURCE
#include <bpf/libbpf.h>

#include "path_walk.skel.h"

#define BENCH_NAME "path_walk"
#include "common.h"

static const int depths[] = { 1, 10, 30 };
#define NR_DEPTHS (sizeof(depths) / sizeof(depths[0]))

#define NR_PROGS 4

static struct path_walk_bpf *skel;

/* The walking programs are the odd ones. */
static bool walks(const int prog)
{
	return prog & 1;
}

/*
 * openat()+close() of "f" in @dir_fd for @ms milliseconds: ns per op.  The
 * attached program must have run once per open.
 */
static double measure(const int dir_fd, const double ms)
{
	const unsigned long long calls = skel->bss->nr_calls;
	unsigned long long iters;
	double ns = open_loop(dir_fd, ms, &iters);

	if (skel->bss->nr_calls - calls != iters) {
		fprintf(stderr,
			"path_walk: the program ran %llu times for %llu opens\n",
			(unsigned long long)skel->bss->nr_calls - calls, iters);
		exit(1);
	}
	return ns;
}

static struct bpf_link *attach(const int prog)
{
	struct bpf_program *const progs[NR_PROGS] = {
		skel->progs.no_walk, skel->progs.walk,
		skel->progs.no_walk_rcu, skel->progs.walk_rcu,
	};
	struct bpf_link *link;

	link = bpf_program__attach(progs[prog]);
	if (!link) {
		fprintf(stderr, "path_walk: attaching %s: %s\n",
			bpf_program__name(progs[prog]), strerror(errno));
		exit(1);
	}
	return link;
}

static void run(const int dir_fd[], const double ms, const int rounds)
{
	double ns[NR_PROGS][NR_DEPTHS][MAX_ROUNDS];
	int levels[NR_DEPTHS] = { 0 };
	struct bpf_link *link;
	int r, i, walk;
	size_t d;

	/* Warms up the caches, the trampolines and the TCG translation blocks. */
	for (walk = 0; walk < NR_PROGS; walk++) {
		link = attach(walk);
		measure(dir_fd[NR_DEPTHS - 1], ms / 5);
		bpf_link__destroy(link);
	}
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < NR_PROGS; i++) {
			/* Rotated, and reversed every other round. */
			walk = (i + r / 2) % NR_PROGS;
			if (r % 2)
				walk = NR_PROGS - 1 - walk;
			link = attach(walk);
			for (d = 0; d < NR_DEPTHS; d++) {
				skel->bss->levels = 0;
				ns[walk][d][r] = measure(dir_fd[d], ms);
				/* 0: no walk concluded (counted in rcu_errors). */
				if (walks(walk) && skel->bss->levels) {
					if (levels[d] &&
					    levels[d] != skel->bss->levels) {
						fprintf(stderr,
							"path_walk: %d then %d levels at depth %d\n",
							levels[d], skel->bss->levels,
							depths[d]);
						exit(1);
					}
					levels[d] = skel->bss->levels;
				}
				printf("# depth=%d walk=%d round=%d ns_per_op=%.1f\n",
				       depths[d], walk, r, ns[walk][d][r]);
			}
			bpf_link__destroy(link);
		}
		fflush(stdout);
	}
	for (walk = 0; walk < NR_PROGS; walk++)
		for (d = 0; d < NR_DEPTHS; d++)
			printf("depth=%d levels=%d walk=%d ns_per_op=%.1f\n",
			       depths[d], levels[d], walk,
			       median(ns[walk][d], rounds));
	fflush(stdout);
}

static int print_warnings(enum libbpf_print_level level, const char *fmt,
			  va_list args)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, args);
}

int main(int argc, char *argv[])
{
	char path[PATH_MAX], top[] = "bench-path-walk.XXXXXX", *dir;
	int dir_fd[NR_DEPTHS], rounds = 5;
	const double start = now_ns();
	double ms = 300;
	size_t len;

	dir = bench_args(argc, argv, &ms, &rounds, top);
	if (realpath(dir, path))
		printf("# directory: %s\n", path);
	len = snprintf(path, sizeof(path), "%s", dir);
	make_tree(path, len, depths, NR_DEPTHS, dir_fd);

	libbpf_set_print(print_warnings);
	skel = path_walk_bpf__open_and_load();
	if (!skel)
		die("loading bench/path_walk.bpf.c");
	skel->bss->target_tgid = getpid();

	printf("# %d rounds of %.0f ms per depth and program, median printed\n",
	       rounds, ms);
	run(dir_fd, ms, rounds);
	printf("# walks without references that did not conclude: %llu\n",
	       (unsigned long long)skel->bss->rcu_errors);
	path_walk_bpf__destroy(skel);
	printf("# elapsed_s=%.1f\n", (now_ns() - start) / 1e9);
	return 0;
}
