// SPDX-License-Identifier: GPL-2.0
/*
 * openat.c - cost of openat()+close() of a file at several depths below a
 * directory that a Landlock rule grants LANDLOCK_ACCESS_FS_READ_FILE on,
 * without and with a Landlock domain.
 *
 * usage: openat [-s] [-d DEPTH] [-t MS] [-r ROUNDS] [DIR]
 *
 * Builds DIR/R/d1/d2/.../d30 (DIR: a new directory in the current one, which
 * should be on a tmpfs) and, for each depth N of 1, 5, 10, 20 and 30, a file
 * R/d1/.../dN/f.  The file is opened through an O_PATH file descriptor of its
 * directory, so that the path lookup costs the same at every depth; with a
 * domain, Landlock walks from the file up to R: N + 2 dentries.
 *
 * This process measures without a domain; a child process, in a domain
 * handling LANDLOCK_ACCESS_FS_READ_FILE with one rule granting it on R,
 * measures with it.  Each measurement repeats openat()+close() for MS
 * milliseconds (default 300); each depth is measured ROUNDS times (default
 * 5) on each side, alternately, and the median is printed, one line per
 * depth and domain:
 *
 *   depth=N domain=0|1 ns_per_op=X
 *
 * With -s, a rename storm runs meanwhile: another process, outside any
 * domain, renames DIR/S/a to DIR/S/b and back in a loop, in a tree that is
 * not an ancestor of the files opened; the lines then start with "storm ",
 * and the renames per second are printed in a comment.
 *
 * With -d DEPTH (one of the five), only that depth is measured: to profile
 * one depth, e.g. with perf record.
 *
 * Lines starting with '#' are comments.
 */

#define _GNU_SOURCE
#include <linux/landlock.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define BENCH_NAME "openat"
#include "common.h"
#include "landlock.h"

static const int depths[] = { 1, 5, 10, 20, 30 };
#define NR_DEPTHS (sizeof(depths) / sizeof(depths[0]))

/* openat()+close() of "f" in @dir_fd for @ms milliseconds: ns per op. */
static double measure(const int dir_fd, const double ms)
{
	unsigned long long iters;

	return open_loop(dir_fd, ms, &iters);
}

/*
 * The sandboxed side: a child process in the Landlock domain measures the
 * depth it reads from @cmd and writes the result to @res, until @cmd closes.
 */
static void serve(const int dir_fd[], const double ms, const int cmd,
		  const int res)
{
	double ns;
	int d;

	while (read(cmd, &d, sizeof(d)) == sizeof(d)) {
		/* A negative depth asks for the warm-up. */
		ns = measure(dir_fd[d < 0 ? 0 : d], d < 0 ? ms / 5 : ms);
		if (write(res, &ns, sizeof(ns)) != sizeof(ns))
			die("write");
	}
	_exit(0);
}

static double remote(const int cmd, const int res, const int d)
{
	double ns;

	if (write(cmd, &d, sizeof(d)) != sizeof(d))
		die("write");
	if (read(res, &ns, sizeof(ns)) != sizeof(ns))
		die("read");
	return ns;
}

/*
 * Measures each depth without a domain (here) and with one (in the child),
 * alternately, @rounds times, so that both see the same conditions.
 */
static void run(const int dir_fd[], const double ms, const int rounds,
		const int cmd, const int res)
{
	double ns[2][NR_DEPTHS][MAX_ROUNDS];
	int r, dom, first;
	size_t d;

	/* Warms up the caches and the TCG translation blocks. */
	measure(dir_fd[0], ms / 5);
	remote(cmd, res, -1);
	for (r = 0; r < rounds; r++) {
		for (d = 0; d < NR_DEPTHS; d++) {
			if (bench_depth && depths[d] != bench_depth)
				continue;
			/* Alternates which side goes first. */
			first = (r + d) % 2;
			for (dom = 0; dom < 2; dom++) {
				const int domain = dom ^ first;

				ns[domain][d][r] =
					domain ? remote(cmd, res, d) :
						 measure(dir_fd[d], ms);
				printf("# depth=%d domain=%d round=%d ns_per_op=%.1f\n",
				       depths[d], domain, r, ns[domain][d][r]);
			}
		}
		fflush(stdout);
	}
	for (dom = 0; dom < 2; dom++)
		for (d = 0; d < NR_DEPTHS; d++)
			if (!bench_depth || depths[d] == bench_depth)
				printf("%sdepth=%d domain=%d ns_per_op=%.1f\n",
				       bench_storm ? "storm " : "", depths[d],
				       dom, median(ns[dom][d], rounds));
	fflush(stdout);
}

/* The rename storm: DIR/S/a to DIR/S/b and back, until killed. */
static pid_t start_storm(const char *const dir, unsigned long long **count)
{
	char a[PATH_MAX], b[PATH_MAX];
	pid_t pid;

	*count = mmap(NULL, sizeof(**count), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (*count == MAP_FAILED)
		die("mmap");
	snprintf(a, sizeof(a), "%s/S", dir);
	if (mkdir(a, 0700))
		die(a);
	snprintf(a, sizeof(a), "%s/S/a", dir);
	snprintf(b, sizeof(b), "%s/S/b", dir);
	if (mkdir(a, 0700))
		die(a);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid)
		return pid;
	for (;;) {
		if (rename(a, b) || rename(b, a))
			die("rename");
		__atomic_add_fetch(*count, 2, __ATOMIC_RELAXED);
	}
}

int main(int argc, char *argv[])
{
	unsigned long long *renames = NULL;
	pid_t storm = 0;
	double t0 = 0;
	char path[PATH_MAX], top[] = "bench-openat.XXXXXX", *dir;
	int dir_fd[NR_DEPTHS], rounds = 5, cmd[2], res[2], status;
	pid_t child;
	double ms = 300;
	size_t len;

	dir = bench_args(argc, argv, &ms, &rounds, top);
	for (len = 0; bench_depth && len < NR_DEPTHS; len++)
		if (depths[len] == bench_depth)
			break;
	if (len == NR_DEPTHS) {
		fprintf(stderr, "openat: -d takes 1, 5, 10, 20 or 30\n");
		rmdir(dir);
		return 2;
	}
	len = snprintf(path, sizeof(path), "%s/R", dir);
	if (mkdir(path, 0700))
		die(path);
	make_tree(path, len, depths, NR_DEPTHS, dir_fd);

	if (pipe(cmd) || pipe(res))
		die("pipe");
	snprintf(path, sizeof(path), "%s/R", dir);
	fflush(stdout);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		close(cmd[1]);
		close(res[0]);
		restrict_self(path);
		serve(dir_fd, ms, cmd[0], res[1]);
	}
	close(cmd[0]);
	close(res[1]);

	printf("# %d rounds of %.0f ms per depth and domain, median printed\n",
	       rounds, ms);
	if (bench_storm) {
		storm = start_storm(dir, &renames);
		t0 = now_ns();
	}
	run(dir_fd, ms, rounds, cmd[1], res[0]);
	if (storm) {
		printf("# storm: %.0f renames per second\n",
		       *renames / ((now_ns() - t0) / 1e9));
		if (kill(storm, SIGKILL) || waitpid(storm, &status, 0) != storm)
			die("the rename storm");
	}
	close(cmd[1]);
	if (waitpid(child, &status, 0) != child || status)
		die("the sandboxed child failed");
	return 0;
}
