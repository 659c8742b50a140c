/* SPDX-License-Identifier: GPL-2.0 */
/*
 * common.h - what bench/openat.c and bench/path_walk.c share: the options,
 * the tree of directories d1/.../d30 with a file "f" at the measured depths,
 * the timed openat()+close() loop and the median.  Define BENCH_NAME (the
 * program's name in messages) before including it.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#define MAX_DEPTH 30
#define MAX_ROUNDS 25
#define TMPFS_MAGIC 0x01021994

static void die(const char *const what)
{
	fprintf(stderr, BENCH_NAME ": %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * openat()+close() of "f" in @dir_fd for @ms milliseconds: ns per op; the
 * number of opens goes to @iters.
 */
static inline double open_loop(const int dir_fd, const double ms,
			unsigned long long *const iters)
{
	const double start = now_ns();
	double elapsed;
	int i, fd;

	*iters = 0;
	do {
		for (i = 0; i < 256; i++) {
			fd = openat(dir_fd, "f", O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				die("openat");
			close(fd);
		}
		*iters += 256;
		elapsed = now_ns() - start;
	} while (elapsed < ms * 1e6);
	return elapsed / *iters;
}

static int cmp_double(const void *const a, const void *const b)
{
	const double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *const v, const int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * The options -t MS, -r ROUNDS, -s, -p PROCS and -d DEPTH, then the directory to
 * work in: DIR,
 * created, or a new one made from @template in the current directory.
 * Exits with status 2 on a bad option.
 */
/* -s: a rename storm runs during the measurements (openat only). */
static int bench_storm;
/* -p PROCS: the most processes measured at once (contend only). */
static int bench_procs;
/* -d DEPTH: measure this depth only (openat only: for a profile). */
static int bench_depth;

static char *bench_args(int argc, char *argv[], double *const ms,
			int *const rounds, char *const template)
{
	char *dir = template;
	struct statfs sfs;
	int opt;

	while ((opt = getopt(argc, argv, "t:r:sp:d:")) != -1) {
		switch (opt) {
		case 'p':
			bench_procs = atoi(optarg);
			break;
		case 'd':
			bench_depth = atoi(optarg);
			break;
		case 's':
			bench_storm = 1;
			break;
		case 't':
			*ms = atof(optarg);
			break;
		case 'r':
			*rounds = atoi(optarg);
			break;
		default:
			fprintf(stderr,
				"usage: %s [-s] [-p PROCS] [-d DEPTH] [-t MS] [-r ROUNDS] [DIR]\n",
				argv[0]);
			exit(2);
		}
	}
	if (*rounds < 1 || *rounds > MAX_ROUNDS || *ms <= 0) {
		fprintf(stderr, BENCH_NAME ": need 1 to %d rounds of some time\n",
			MAX_ROUNDS);
		exit(2);
	}
	if (optind < argc) {
		dir = argv[optind];
		if (mkdir(dir, 0700))
			die(dir);
	} else if (!mkdtemp(template)) {
		die("mkdtemp");
	}
	if (statfs(dir, &sfs) == 0 && sfs.f_type != TMPFS_MAGIC)
		printf("# warning: %s is not on a tmpfs\n", dir);
	return dir;
}

/*
 * Creates @path/d1/d2/.../dMAX_DEPTH (@path is @len characters long, in a
 * buffer of PATH_MAX) and, at each of the @nr depths of @depths (in
 * increasing order), a file "f", whose directory is opened (O_PATH) into
 * @dir_fd.
 */
static inline void make_tree(char *const path, size_t len, const int depths[],
		      const size_t nr, int dir_fd[])
{
	size_t d = 0;
	int n, fd;

	for (n = 1; n <= MAX_DEPTH; n++) {
		len += snprintf(path + len, PATH_MAX - len, "/d%d", n);
		if (mkdir(path, 0700))
			die(path);
		if (d < nr && depths[d] == n) {
			dir_fd[d] = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (dir_fd[d] < 0)
				die(path);
			fd = openat(dir_fd[d], "f", O_WRONLY | O_CREAT | O_CLOEXEC,
				    0600);
			if (fd < 0)
				die("f");
			close(fd);
			d++;
		}
	}
}

#endif
