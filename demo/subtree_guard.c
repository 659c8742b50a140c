// SPDX-License-Identifier: GPL-2.0
/*
 * subtree_guard.c - protect directory subtrees with a BPF LSM program that
 * walks each file's ancestors with the bpf_iter_path kfuncs
 * (subtree_guard.bpf.c), and report each decision.
 *
 * usage: subtree_guard [-m audit|deny] DIR... [-- CMD [ARG...]]
 *
 * Opening, creating, linking, renaming or removing anything below (or equal
 * to) one of the DIRs is denied with EPERM (-m deny, the default) or only
 * reported (-m audit), for every process.  Directories are matched by
 * identity, not by name.  With a CMD, it runs it and exits with its status
 * once its decisions are printed; without, it runs until SIGINT or SIGTERM.
 *
 * Each decision is one line on stdout:
 *
 *   VERDICT OP PATH dir=N depth=D pid=PID comm=COMM [disconnected]
 *
 * VERDICT is deny or audit, OP one of open, create, mkdir, unlink, rmdir,
 * rename, link; PATH the file, or the directory and name of the entry; N
 * the index of the DIR that matched (from 0, in the order given); D the
 * number of levels from the object up to that DIR (0: the object itself);
 * "disconnected" means the walk met a directory moved out of a bind mount
 * and went on from the mount's root.  Errors are one line on stderr, with
 * exit status 2.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "subtree_guard.h"
#include "subtree_guard.skel.h"

static const char *const op_names[] = {
	[GUARD_OPEN] = "open",	   [GUARD_CREATE] = "create",
	[GUARD_MKDIR] = "mkdir",   [GUARD_UNLINK] = "unlink",
	[GUARD_RMDIR] = "rmdir",   [GUARD_RENAME] = "rename",
	[GUARD_LINK] = "link",
};

static volatile sig_atomic_t stop;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("subtree_guard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void usage(void)
{
	fail("usage: subtree_guard [-m audit|deny] DIR... [-- CMD [ARG...]]");
}

static int print_event(void *ctx, void *data, size_t size)
{
	const struct guard_event *e = data;

	if (size < sizeof(*e) || e->op >= sizeof(op_names) / sizeof(op_names[0]))
		return 0;
	printf("%s %s %s%s%s dir=%d depth=%d pid=%u comm=%.16s%s\n",
	       e->denied ? "deny" : "audit", op_names[e->op], e->path,
	       e->name[0] ? "/" : "", e->name, e->dir, e->depth, e->tgid,
	       e->comm, e->disconnected ? " disconnected" : "");
	fflush(stdout);
	return 0;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN && getenv("SUBTREE_GUARD_DEBUG") ?
		vfprintf(stderr, fmt, ap) : 0;
}

static void on_signal(int sig)
{
	stop = 1;
}

/* Fail with a reason if this kernel cannot run the program. */
static void check_kernel(void)
{
	char lsms[256] = "";
	struct btf *btf;
	FILE *f;

	f = fopen("/sys/kernel/security/lsm", "r");
	if (!f)
		fail("cannot read /sys/kernel/security/lsm: %s", strerror(errno));
	if (!fgets(lsms, sizeof(lsms), f))
		lsms[0] = 0;
	fclose(f);
	if (!strstr(lsms, "bpf"))
		fail("the BPF LSM is not active in this kernel (active: %s); boot with lsm=...,bpf",
		     strtok(lsms, "\n") ?: "none");
	btf = btf__load_vmlinux_btf();
	if (!btf)
		fail("this kernel has no BTF (/sys/kernel/btf/vmlinux)");
	if (btf__find_by_name_kind(btf, "bpf_iter_path_new", BTF_KIND_FUNC) < 0)
		fail("this kernel has no bpf_iter_path kfuncs (is the series applied?)");
	btf__free(btf);
}

int main(int argc, char *argv[])
{
	struct subtree_guard_bpf *skel;
	struct ring_buffer *rb;
	char **cmd = NULL;
	int deny = 1, nr = 0, i, err, status = 0;
	pid_t child = 0;

	while ((i = getopt(argc, argv, "+m:h")) != -1) {
		if (i == 'm' && !strcmp(optarg, "deny"))
			deny = 1;
		else if (i == 'm' && !strcmp(optarg, "audit"))
			deny = 0;
		else if (i == 'm')
			fail("unknown mode '%s': audit or deny", optarg);
		else
			usage();
	}
	/* getopt() takes a "--" that comes before any DIR: no DIR then. */
	if (optind > 1 && !strcmp(argv[optind - 1], "--"))
		usage();
	for (i = optind; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			argv[i] = NULL;
			cmd = argv + i + 1;
			if (!*cmd)
				fail("no command after --");
			break;
		}
	}
	nr = (cmd ? cmd - 1 : argv + argc) - (argv + optind);
	if (nr < 1)
		usage();
	if (nr > GUARD_MAX_DIRS)
		fail("too many directories: %d, at most %d", nr, GUARD_MAX_DIRS);

	/* Check everything before changing anything. */
	struct guard_dir dirs[GUARD_MAX_DIRS];

	for (i = 0; i < nr; i++) {
		const char *dir = argv[optind + i];
		struct stat st;

		if (stat(dir, &st))
			fail("%s: %s", dir, strerror(errno));
		if (!S_ISDIR(st.st_mode))
			fail("%s: not a directory", dir);
		/* The kernel's dev_t: MKDEV() with 20 bits of minor. */
		dirs[i].dev = major(st.st_dev) << 20 | minor(st.st_dev);
		dirs[i].ino = st.st_ino;
	}
	check_kernel();

	libbpf_set_print(quiet);
	skel = subtree_guard_bpf__open();
	if (!skel)
		fail("cannot open the BPF object: %s", strerror(errno));
	memcpy((void *)skel->rodata->dirs, dirs, nr * sizeof(dirs[0]));
	skel->rodata->nr_dirs = nr;
	skel->rodata->deny = deny;
	err = subtree_guard_bpf__load(skel);
	if (err)
		fail("cannot load the BPF programs: %s (SUBTREE_GUARD_DEBUG=1 shows the verifier log)",
		     strerror(-err));
	err = subtree_guard_bpf__attach(skel);
	if (err)
		fail("cannot attach the BPF programs: %s", strerror(-err));
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), print_event, NULL, NULL);
	if (!rb)
		fail("cannot set up the ring buffer: %s", strerror(errno));

	fprintf(stderr, "subtree_guard: %s mode, %d director%s protected\n",
		deny ? "deny" : "audit", nr, nr == 1 ? "y" : "ies");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (cmd) {
		signal(SIGCHLD, on_signal);
		child = fork();
		if (child < 0)
			fail("fork: %s", strerror(errno));
		if (!child) {
			execvp(cmd[0], cmd);
			fprintf(stderr, "subtree_guard: %s: %s\n", cmd[0], strerror(errno));
			_exit(127);
		}
	}
	while (!stop) {
		err = ring_buffer__poll(rb, 100);
		if (err < 0 && err != -EINTR)
			fail("ring buffer: %s", strerror(-err));
		if (child && waitpid(child, &status, WNOHANG) == child)
			break;
	}
	ring_buffer__consume(rb);
	if (skel->bss->lost)
		fprintf(stderr, "subtree_guard: %llu decisions not reported (ring buffer full)\n",
			(unsigned long long)skel->bss->lost);
	ring_buffer__free(rb);
	subtree_guard_bpf__destroy(skel);
	if (!child)
		return 0;
	if (waitpid(child, &status, 0) < 0 && errno != ECHILD)
		fail("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
