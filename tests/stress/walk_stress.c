// SPDX-License-Identifier: GPL-2.0
/*
 * walk_stress.c - concurrent renames, mounts and removals against the
 * ancestor walks of Landlock and of bpf_iter_path, with every answer
 * checked.
 *
 * usage: walk_stress SCENARIO SECONDS    (run as root, in a scratch directory)
 *
 * Builds DIR=./walk-stress (a tmpfs) holding the same tree twice, in
 * allowed/ and in denied/.  Walker threads restrict themselves with a
 * Landlock ruleset that grants reading below allowed/ (and below
 * allowed/src, the source of its bind mounts) and nothing else, and open
 * files in both trees while a churn thread changes the trees under them:
 *
 *   rename  a chain of 4 directories rotated into each other (the bottom one
 *           moved out, the top one moved into it) with the file 10 levels
 *           below, opened through a held descriptor of its directory;
 *   mount   src bind-mounted on m, a tmpfs mounted over it, then both
 *           unmounted, the bind lazily (MNT_DETACH); files opened as m/f;
 *   moved   src/sub, opened through a held descriptor taken through a bind
 *           mount of src, moved out of src and back (disconnected half of
 *           the time);
 *   rmdir   t/x/y/z created, held by a descriptor, removed bottom-up while
 *           the walkers open it through that descriptor;
 *   storm   the tree of rename, standing still, while a directory outside
 *           both trees is renamed back and forth (a rename storm elsewhere:
 *           the walks should not start again because of it).
 *
 * Every open below allowed/ must succeed, every open below denied/ must
 * fail with EACCES (ENOENT is accepted where the path can vanish).  A BPF
 * LSM program walks from each of these opens to the root with
 * bpf_iter_path and checks that the walk meets allowed/, denied/ or a bind
 * source.  fentry/fexit and kprobes count vfs_walk_ancestors() calls, those
 * that started again in reference mode after a torn lockless pass, those
 * that ran in reference mode, those that reached the bound, and the longest.
 *
 * Prints one line, "scenario=... key=value...", and exits 1 if an answer
 * was wrong, if a walk started again more than once, or if no check ran at
 * all.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/landlock.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "walk_stress.skel.h"

#define TOPDIR "walk-stress"
#define NR_WALKERS 2
#define CHAIN 4
#define DEEP 10

static const char *const sides[] = { "allowed", "denied" };
static const char *scenario;
static atomic_int stop;
static atomic_long checks, wrong, enoent, busy;
/* rmdir: the last directory per side, which walkers dup() under the lock */
static int zfd[2] = { -1, -1 };
static pthread_mutex_t zlock[2] = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER };
static int heldfd[2];        /* rename, moved: the held directory per side */

static void die(const char *what)
{
	fprintf(stderr, "walk_stress: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void xmkdir(const char *fmt, const char *side)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), fmt, side);
	if (mkdir(p, 0755) && errno != EEXIST)
		die(p);
}

static void xfile(const char *fmt, const char *side)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), fmt, side);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	if (fd < 0)
		die(p);
	close(fd);
}

static ino_t ino_of(const char *fmt, const char *side)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), fmt, side);
	if (stat(p, &st))
		die(p);
	return st.st_ino;
}

/* The rename scenario's chain: names top to bottom, and their path. */
static const char *chain[2][CHAIN];

static void chain_path(char *p, size_t size, int s, int upto)
{
	int n = snprintf(p, size, "%s/%s", TOPDIR, sides[s]);

	for (int i = 0; i <= upto; i++)
		n += snprintf(p + n, size - n, "/%s", chain[s][i]);
}

/* The scenarios whose walkers open the chain's file through a held fd. */
static int chain_scenario(void)
{
	return !strcmp(scenario, "rename") || !strcmp(scenario, "storm");
}

static void setup(void)
{
	static const char *const names[CHAIN] = { "n0", "n1", "n2", "n3" };
	char p[PATH_MAX];
	int s, i, n;

	if (mkdir(TOPDIR, 0755) && errno != EEXIST)
		die(TOPDIR);
	if (mount("stress", TOPDIR, "tmpfs", 0, NULL))
		die("mount tmpfs");
	for (s = 0; s < 2; s++) {
		xmkdir(TOPDIR "/%s", sides[s]);
		xmkdir(TOPDIR "/%s/src", sides[s]);
		if (chain_scenario()) {
			for (i = 0; i < CHAIN; i++)
				chain[s][i] = names[i];
			chain_path(p, sizeof(p), s, CHAIN - 1);
			for (i = 0; i < CHAIN; i++) {
				chain_path(p, sizeof(p), s, i);
				if (mkdir(p, 0755))
					die(p);
			}
			/* The file, DEEP levels below the bottom of the chain. */
			n = strlen(p);
			for (i = 0; i < DEEP; i++) {
				n += snprintf(p + n, sizeof(p) - n, "/e%d", i);
				if (mkdir(p, 0755))
					die(p);
			}
			heldfd[s] = open(p, O_PATH | O_DIRECTORY);
			snprintf(p + n, sizeof(p) - n, "/f");
			xfile("%s", p);
		} else if (!strcmp(scenario, "mount")) {
			xmkdir(TOPDIR "/%s/m", sides[s]);
			xfile(TOPDIR "/%s/src/f", sides[s]);
		} else if (!strcmp(scenario, "moved")) {
			xmkdir(TOPDIR "/%s/src/sub", sides[s]);
			xfile(TOPDIR "/%s/src/sub/f", sides[s]);
			xmkdir(TOPDIR "/%s/other", sides[s]);
			xmkdir(TOPDIR "/%s/bm", sides[s]);
			snprintf(p, sizeof(p), TOPDIR "/%s/src", sides[s]);
			char q[PATH_MAX];

			snprintf(q, sizeof(q), TOPDIR "/%s/bm", sides[s]);
			if (mount(p, q, NULL, MS_BIND, NULL))
				die("bind mount");
			snprintf(q, sizeof(q), TOPDIR "/%s/bm/sub", sides[s]);
			heldfd[s] = open(q, O_PATH | O_DIRECTORY);
		} else if (!strcmp(scenario, "rmdir")) {
			xmkdir(TOPDIR "/%s/t", sides[s]);
		} else {
			errno = EINVAL;
			die(scenario);
		}
		if ((chain_scenario() || !strcmp(scenario, "moved")) && heldfd[s] < 0)
			die("held directory");
	}
	if (!strcmp(scenario, "storm"))
		xmkdir(TOPDIR "/%s", "elsewhere");
}

static void churn_rename(int s)
{
	char from[PATH_MAX], to[PATH_MAX];
	const char *bot = chain[s][CHAIN - 1];

	/* Move the bottom out, then the top into it. */
	chain_path(from, sizeof(from), s, CHAIN - 1);
	snprintf(to, sizeof(to), TOPDIR "/%s/%s", sides[s], bot);
	if (rename(from, to))
		die("rename bottom out");
	snprintf(from, sizeof(from), TOPDIR "/%s/%s", sides[s], chain[s][0]);
	snprintf(to, sizeof(to), TOPDIR "/%s/%s/%s", sides[s], bot, chain[s][0]);
	if (rename(from, to))
		die("rename top in");
	memmove(&chain[s][1], &chain[s][0], (CHAIN - 1) * sizeof(chain[s][0]));
	chain[s][0] = bot;
}

static void churn_mount(int s)
{
	char src[PATH_MAX], m[PATH_MAX];

	snprintf(src, sizeof(src), TOPDIR "/%s/src", sides[s]);
	snprintf(m, sizeof(m), TOPDIR "/%s/m", sides[s]);
	if (mount(src, m, NULL, MS_BIND, NULL))
		die("bind mount");
	if (mount("over", m, "tmpfs", 0, NULL))
		die("overmount");
	/* A walker's lookup of m/f holds the mount for a moment: EBUSY. */
	while (umount(m)) {
		if (errno != EBUSY)
			die("umount overmount");
		atomic_fetch_add(&busy, 1);
		sched_yield();
	}
	if (umount2(m, MNT_DETACH))
		die("lazy umount");
}

static void churn_moved(int s)
{
	char a[PATH_MAX], b[PATH_MAX];

	snprintf(a, sizeof(a), TOPDIR "/%s/src/sub", sides[s]);
	snprintf(b, sizeof(b), TOPDIR "/%s/other/sub", sides[s]);
	if (rename(a, b) || rename(b, a))
		die("move out and back");
}

static void churn_rmdir(int s)
{
	char p[PATH_MAX];
	int fd, old;

	snprintf(p, sizeof(p), TOPDIR "/%s/t/x", sides[s]);
	if (mkdir(p, 0755))
		die(p);
	strcat(p, "/y");
	if (mkdir(p, 0755))
		die(p);
	strcat(p, "/z");
	if (mkdir(p, 0755))
		die(p);
	fd = open(p, O_PATH | O_DIRECTORY);
	if (fd < 0)
		die(p);
	pthread_mutex_lock(&zlock[s]);
	old = zfd[s];
	zfd[s] = fd;
	pthread_mutex_unlock(&zlock[s]);
	/* Emptied behind the walkers, bottom-up. */
	for (int i = 0; i < 3; i++) {
		if (rmdir(p))
			die(p);
		*strrchr(p, '/') = 0;
	}
	if (old >= 0)
		close(old);
}

static void churn_storm(void)
{
	if (rename(TOPDIR "/elsewhere", TOPDIR "/elsewhere2") ||
	    rename(TOPDIR "/elsewhere2", TOPDIR "/elsewhere"))
		die("rename elsewhere");
}

static void *churn(void *arg)
{
	while (!atomic_load(&stop)) {
		for (int s = 0; s < 2; s++) {
			if (!strcmp(scenario, "rename"))
				churn_rename(s);
			else if (!strcmp(scenario, "storm"))
				churn_storm();
			else if (!strcmp(scenario, "mount"))
				churn_mount(s);
			else if (!strcmp(scenario, "moved"))
				churn_moved(s);
			else
				churn_rmdir(s);
		}
	}
	return NULL;
}

static void landlock_self(void)
{
	struct landlock_ruleset_attr ra = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR,
	};
	struct landlock_path_beneath_attr pb = { .allowed_access = ra.handled_access_fs };
	static const char *const granted[] = { TOPDIR "/allowed", TOPDIR "/allowed/src" };
	int rs, i;

	rs = syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra), 0);
	if (rs < 0)
		die("landlock_create_ruleset");
	for (i = 0; i < 2; i++) {
		pb.parent_fd = open(granted[i], O_PATH | O_DIRECTORY);
		if (pb.parent_fd < 0 ||
		    syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0))
			die(granted[i]);
		close(pb.parent_fd);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_landlock_restrict_self, rs, 0))
		die("landlock_restrict_self");
	close(rs);
}

/* One open below side @s: its answer must match the side. */
static void try_open(int s, int dirfd, const char *name, int flags, int may_vanish)
{
	int fd = openat(dirfd, name, flags), err = errno;

	if (fd >= 0)
		close(fd);
	if (fd < 0 && err == ENOENT && may_vanish) {
		atomic_fetch_add(&enoent, 1);
		return;
	}
	atomic_fetch_add(&checks, 1);
	if (s == 0 ? fd < 0 : !(fd < 0 && err == EACCES)) {
		if (atomic_fetch_add(&wrong, 1) < 5)
			fprintf(stderr, "walk_stress: %s: open %s/%s below %s: %s\n", scenario,
				dirfd == AT_FDCWD ? "." : "(held)", name, sides[s],
				fd < 0 ? strerror(err) : "allowed");
	}
}

static void *walker(void *arg)
{
	char p[PATH_MAX];
	int fd;

	landlock_self();
	while (!atomic_load(&stop)) {
		for (int s = 0; s < 2; s++) {
			if (chain_scenario() || !strcmp(scenario, "moved")) {
				try_open(s, heldfd[s], "f", O_RDONLY, 0);
			} else if (!strcmp(scenario, "mount")) {
				snprintf(p, sizeof(p), TOPDIR "/%s/m/f", sides[s]);
				try_open(s, AT_FDCWD, p, O_RDONLY, 1);
			} else {
				/* A descriptor of this side's last z, not a reused number. */
				pthread_mutex_lock(&zlock[s]);
				fd = zfd[s] < 0 ? -1 : dup(zfd[s]);
				pthread_mutex_unlock(&zlock[s]);
				if (fd < 0)
					continue;
				try_open(s, fd, ".", O_RDONLY | O_DIRECTORY, 1);
				close(fd);
			}
		}
	}
	return NULL;
}

static struct bpf_link *attach_kprobe(struct bpf_program *prog,
				      const char *prefix)
{
	struct bpf_link *link;
	char line[256], name[200], found[200] = "";
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		die("/proc/kallsyms");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %199s", name) != 1)
			continue;
		if (!strncmp(name, prefix, strlen(prefix)) &&
		    (name[strlen(prefix)] == 0 || name[strlen(prefix)] == '.')) {
			strcpy(found, name);
			break;
		}
	}
	fclose(f);
	if (!found[0]) {
		errno = ENOENT;
		die(prefix);
	}
	link = bpf_program__attach_kprobe(prog, false, found);
	if (!link)
		die(found);
	return link;
}

int main(int argc, char *argv[])
{
	pthread_t churner, walkers[NR_WALKERS];
	struct walk_stress_bpf *skel;
	struct timespec t0, t1;
	struct stat st;
	double secs;
	int i, bad;

	if (argc != 3)
		fprintf(stderr, "usage: walk_stress rename|mount|moved|rmdir|storm SECONDS\n"), exit(2);
	scenario = argv[1];
	setup();

	skel = walk_stress_bpf__open();
	if (!skel)
		die("open BPF object");
	skel->bss->target_tgid = getpid();
	if (stat(TOPDIR, &st))
		die(TOPDIR);
	skel->bss->dev = major(st.st_dev) << 20 | minor(st.st_dev);
	skel->bss->dir_ino[0] = ino_of(TOPDIR "/%s", "allowed");
	skel->bss->dir_ino[1] = ino_of(TOPDIR "/%s", "denied");
	skel->bss->dir_ino[2] = ino_of(TOPDIR "/%s/src", "allowed");
	skel->bss->dir_ino[3] = ino_of(TOPDIR "/%s/src", "denied");
	if (walk_stress_bpf__load(skel))
		die("load BPF programs");
	if (walk_stress_bpf__attach(skel))
		die("attach BPF programs");
	attach_kprobe(skel->progs.walk_cb, "path_walk_cb");
	attach_kprobe(skel->progs.walk_cb, "collect_walk_cb");
	attach_kprobe(skel->progs.walk_cb, "bpf_iter_path_step_cb");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (pthread_create(&churner, NULL, churn, NULL))
		die("pthread_create");
	for (i = 0; i < NR_WALKERS; i++)
		if (pthread_create(&walkers[i], NULL, walker, NULL))
			die("pthread_create");
	sleep(atoi(argv[2]));
	atomic_store(&stop, 1);
	pthread_join(churner, NULL);
	for (i = 0; i < NR_WALKERS; i++)
		pthread_join(walkers[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	struct walk_stress_bpf__bss *b = skel->bss;

	bad = atomic_load(&wrong) || b->bpf_wrong || b->over_bound ||
	      !atomic_load(&checks) || !b->bpf_walks;
	printf("scenario=%s seconds=%.1f walks=%llu restarts=%llu ref_walks=%llu eloop=%llu "
	       "longest_us=%llu over_bound=%llu landlock_checks=%ld landlock_wrong=%ld vanished=%ld "
	       "bpf_walks=%llu bpf_levels=%llu bpf_wrong=%llu umount_busy=%ld result=%s\n",
	       scenario, secs, b->walks, b->restarts, b->ref_walks, b->eloop,
	       b->max_walk_ns / 1000, b->over_bound, atomic_load(&checks), atomic_load(&wrong),
	       atomic_load(&enoent), b->bpf_walks, b->bpf_levels, b->bpf_wrong,
	       atomic_load(&busy), bad ? "FAIL" : "ok");
	walk_stress_bpf__destroy(skel);
	return bad;
}
