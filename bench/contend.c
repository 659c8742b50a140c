// SPDX-License-Identifier: GPL-2.0
/*
 * contend.c - openat()+close() throughput of processes that open different
 * files in one shared directory at the same time, without and with a
 * Landlock domain whose rule is on "/": every check then walks all the
 * ancestors the processes share (the directory, its parents, the mount
 * crossing of the tmpfs, "/"), where the base kernel takes and drops a
 * reference on each.
 *
 * usage: contend [-t MS] [-r ROUNDS] [-p PROCS] [DIR]
 *
 * Builds DIR/R/s (DIR: a new directory in the current one, which should be
 * on a tmpfs) with files f0 .. f<PROCS-1>.  For each N of 1 .. PROCS and each
 * side (domain 0 or 1), N processes, forked for the measurement and started
 * together, each repeat openat()+close() of their own file for MS
 * milliseconds (default 300); the total throughput is the sum of each
 * process's opens over its own time.  Each point is measured ROUNDS times
 * (default 5), the sides alternately; the median is printed:
 *
 *   procs=N domain=0|1 ops_per_s=X
 *
 * Lines starting with '#' are comments.
 */

#define _GNU_SOURCE
#include <sys/wait.h>

#define BENCH_NAME "contend"
#include "common.h"
#include "landlock.h"

#define MAX_PROCS 64

/*
 * One process of a measurement: waits for @start to close, opens its file
 * for @ms milliseconds and writes its opens per second to @res.
 */
static void worker(const int dir_fd, const int i, const int domain,
		   const double ms, const int start, const int res)
{
	unsigned long long n = 0;
	double begin, elapsed, ops;
	char name[16], c;
	int k, fd;

	if (domain)
		restrict_self("/");
	snprintf(name, sizeof(name), "f%d", i);
	if (read(start, &c, 1) != 0)
		die("start");
	begin = now_ns();
	do {
		for (k = 0; k < 256; k++) {
			fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				die("openat");
			close(fd);
		}
		n += 256;
		elapsed = now_ns() - begin;
	} while (elapsed < ms * 1e6);
	ops = n / (elapsed / 1e9);
	if (write(res, &ops, sizeof(ops)) != sizeof(ops))
		die("write");
	_exit(0);
}

/* @procs processes at once, in a domain or not: their total opens/s. */
static double measure(const int dir_fd, const int procs, const int domain,
		      const double ms)
{
	int start[2], res[2], i, status;
	double total = 0, ops;
	pid_t pid;

	if (pipe(start) || pipe(res))
		die("pipe");
	for (i = 0; i < procs; i++) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			close(start[1]);
			close(res[0]);
			worker(dir_fd, i, domain, ms, start[0], res[1]);
		}
	}
	close(start[0]);
	close(res[1]);
	/* every worker is forked (and sandboxed): go */
	usleep(20000);
	close(start[1]);
	for (i = 0; i < procs; i++) {
		if (read(res[0], &ops, sizeof(ops)) != sizeof(ops))
			die("a worker failed");
		total += ops;
	}
	close(res[0]);
	for (i = 0; i < procs; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			die("a worker failed");
	return total;
}

int main(int argc, char *argv[])
{
	double ops[MAX_PROCS + 1][2][MAX_ROUNDS], ms = 300;
	char path[PATH_MAX], top[] = "bench-contend.XXXXXX", *dir;
	int rounds = 5, procs, n, r, dom, first, dir_fd, fd, i;

	dir = bench_args(argc, argv, &ms, &rounds, top);
	procs = bench_procs ? bench_procs : 2;
	if (procs < 1 || procs > MAX_PROCS || bench_storm) {
		fprintf(stderr, "contend: -p takes 1 to %d processes; no -s\n",
			MAX_PROCS);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/R", dir);
	if (mkdir(path, 0700))
		die(path);
	snprintf(path, sizeof(path), "%s/R/s", dir);
	if (mkdir(path, 0700))
		die(path);
	dir_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		die(path);
	for (i = 0; i < procs; i++) {
		char name[16];

		snprintf(name, sizeof(name), "f%d", i);
		fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			die(name);
		close(fd);
	}

	printf("# %d rounds of %.0f ms per point, median printed\n", rounds,
	       ms);
	fflush(stdout);
	/* Warms up the caches and the TCG translation blocks. */
	measure(dir_fd, procs, 0, ms / 5);
	measure(dir_fd, procs, 1, ms / 5);
	for (r = 0; r < rounds; r++) {
		for (n = 1; n <= procs; n++) {
			/* Alternates which side goes first. */
			first = (r + n) % 2;
			for (dom = 0; dom < 2; dom++) {
				const int domain = dom ^ first;

				ops[n][domain][r] =
					measure(dir_fd, n, domain, ms);
				printf("# procs=%d domain=%d round=%d ops_per_s=%.0f\n",
				       n, domain, r, ops[n][domain][r]);
			}
		}
		fflush(stdout);
	}
	for (n = 1; n <= procs; n++)
		for (dom = 0; dom < 2; dom++)
			printf("procs=%d domain=%d ops_per_s=%.0f\n", n, dom,
			       median(ops[n][dom], rounds));
	return 0;
}
