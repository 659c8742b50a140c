// SPDX-License-Identifier: GPL-2.0
/*
 * subtree_guard.c - protect directory subtrees with BPF LSM programs that
 * walk each file's ancestors (subtree_guard.bpf.c), and report each
 * decision.
 *
 * usage: subtree_guard [-m audit|deny] [-w ref|rcu] DIR... [-- CMD [ARG...]]
 *
 * Opening, creating, linking, renaming or removing anything below (or equal
 * to) one of the DIRs is denied with EPERM (-m deny, the default) or only
 * reported (-m audit), for every process.  Directories are matched by
 * identity, not by name.  -w chooses the walk: ref (the default), sleepable
 * programs walking with the bpf_iter_path kfuncs, which hold a reference on
 * each ancestor; rcu, non-sleepable programs walking with bpf_iter_path_rcu,
 * which holds none.  Both give the same answers.  With a CMD, it runs it and
 * exits with its status once its decisions are printed; without, it runs
 * until SIGINT or SIGTERM.
 *
 * Each decision is one line on stdout:
 *
 *   VERDICT OP PATH dir=N depth=D pid=PID comm=COMM [disconnected]
 *   VERDICT OP PATH incomplete err=E pid=PID comm=COMM [disconnected]
 *
 * VERDICT is deny or audit, OP one of open, create, mkdir, unlink, rmdir,
 * rename, link; PATH the file, or the directory and name of the entry; N
 * the index of the DIR that matched (from 0, in the order given); D the
 * number of levels from the object up to that DIR (0: the object itself);
 * "disconnected" means the walk met a directory moved out of a bind mount
 * and went on from the mount's root.  "incomplete" is a walk that ended
 * before the root without a match, with the error E it ended with: -ELOOP
 * at the bound of a walk, -EAGAIN when renames kept tearing the view of a
 * walk without references; it is denied (fails closed).  Errors are one line
 * on stderr, with exit status 2.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
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
	fail("usage: subtree_guard [-m audit|deny] [-w ref|rcu] DIR... [-- CMD [ARG...]]");
}

static int print_event(void *ctx, void *data, size_t size)
{
	const struct guard_event *e = data;

	if (size < sizeof(*e) || e->op >= sizeof(op_names) / sizeof(op_names[0]))
		return 0;
	printf("%s %s %s%s%s ", e->denied ? "deny" : "audit", op_names[e->op],
	       e->path, e->name[0] ? "/" : "", e->name);
	if (e->err)
		printf("incomplete err=%d", e->err);
	else
		printf("dir=%d depth=%d", e->dir, e->depth);
	printf(" pid=%u comm=%.16s%s\n", e->tgid, e->comm,
	       e->disconnected ? " disconnected" : "");
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

/*
 * Fail with a reason if this kernel cannot run the programs.  libbpf
 * resolves the kfuncs of both walks, whichever is loaded.
 */
static void check_kernel(void)
{
	static const char *const kfuncs[] = {
		"bpf_iter_path_new", "bpf_iter_path_rcu_new",
	};
	unsigned int i;
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
	for (i = 0; i < sizeof(kfuncs) / sizeof(kfuncs[0]); i++)
		if (btf__find_by_name_kind(btf, kfuncs[i], BTF_KIND_FUNC) < 0)
			fail("this kernel has no %s kfunc (is the series applied?)",
			     kfuncs[i]);
	btf__free(btf);
}

int main(int argc, char *argv[])
{
	struct subtree_guard_bpf *skel;
	struct bpf_program *prog;
	struct ring_buffer *rb;
	bool rcu = false;
	char **cmd = NULL;
	int deny = 1, nr = 0, i, err, status = 0;
	pid_t child = 0;

	while ((i = getopt(argc, argv, "+m:w:h")) != -1) {
		if (i == 'm' && !strcmp(optarg, "deny"))
			deny = 1;
		else if (i == 'm' && !strcmp(optarg, "audit"))
			deny = 0;
		else if (i == 'm')
			fail("unknown mode '%s': audit or deny", optarg);
		else if (i == 'w' && !strcmp(optarg, "ref"))
			rcu = false;
		else if (i == 'w' && !strcmp(optarg, "rcu"))
			rcu = true;
		else if (i == 'w')
			fail("unknown walk '%s': ref or rcu", optarg);
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
	/* The programs of the chosen walk only: the others end in "_rcu". */
	bpf_object__for_each_program(prog, skel->obj) {
		const char *name = bpf_program__name(prog);
		size_t len = strlen(name);
		bool is_rcu = len > 4 && !strcmp(name + len - 4, "_rcu");

		bpf_program__set_autoload(prog, is_rcu == rcu);
	}
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

	fprintf(stderr, "subtree_guard: %s mode, %s walk, %d director%s protected\n",
		deny ? "deny" : "audit", rcu ? "rcu" : "ref", nr,
		nr == 1 ? "y" : "ies");
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
