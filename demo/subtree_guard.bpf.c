// SPDX-License-Identifier: GPL-2.0
/*
 * subtree_guard.bpf.c - the BPF side of subtree_guard.c: BPF LSM programs
 * that deny (or only report) operations on files below a set of protected
 * directories.  Each hook walks from the object up to the root and compares
 * each ancestor with the protected directories by identity (s_dev and inode
 * number), so a bind mount, a symlink or a hard-linked directory name makes
 * no difference.  There are two sets of programs, of which subtree_guard.c
 * loads one: sleepable ones (lsm.s/) that walk with the bpf_iter_path
 * kfuncs, which hold a reference on each ancestor, and non-sleepable ones
 * (lsm/) that walk with bpf_iter_path_rcu, which holds none.  Both fail
 * closed: a walk that ended before the root without a match (a bound
 * reached, or a view that renames kept tearing) denies.
 *
 * Hard links are only checked on the side of the new name and on the file
 * itself: the hook does not get the path of the old name.
 */

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "bpf_experimental.h"
#include "subtree_guard.h"

#define EPERM 1
#define EOPNOTSUPP 95

char _license[] SEC("license") = "GPL";

/* Set by subtree_guard.c before loading. */
const volatile struct guard_dir dirs[GUARD_MAX_DIRS];
const volatile int nr_dirs;
const volatile int deny;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* Decisions that could not be reported because the ring buffer was full. */
__u64 lost;

/* The protected directory that @dentry is, or -1. */
static __always_inline int match(struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;
	unsigned int dev;
	__u64 ino;
	int i;

	if (!inode)
		return -1;
	dev = dentry->d_sb->s_dev;
	ino = inode->i_ino;
	for (i = 0; i < GUARD_MAX_DIRS && i < nr_dirs; i++)
		if (dirs[i].dev == dev && dirs[i].ino == ino)
			return i;
	return -1;
}

struct walk {
	int dir;
	int depth;
	int disconnected;
	int err;
};

/*
 * Walk from @start, whose depth is @depth, to the root; stop at the first
 * protected directory.  An ancestor that is its own parent but not its
 * mount's root is a directory moved out of a bind mount: the iterator goes
 * on from the mount's root, and the event says so.  A walk that ended early
 * without a match leaves its error in @w->err.
 */
static __always_inline void walk_ref(const struct path *start, int depth,
				     struct walk *w)
{
	struct bpf_iter_path it;
	struct path *p;

	bpf_iter_path_new(&it, start, 0);
	while ((p = bpf_iter_path_next(&it))) {
		w->dir = match(p->dentry);
		if (w->dir >= 0) {
			w->depth = depth;
			break;
		}
		if (bpf_iter_path_flags(&it) & BPF_ITER_PATH_POS_DISCONNECTED)
			w->disconnected = 1;
		depth++;
	}
	if (w->dir < 0)
		w->err = bpf_iter_path_err(&it);
	bpf_iter_path_destroy(&it);
}

/* The same walk without references, in a non-sleepable program. */
static __always_inline void walk_rcu(const struct path *start, int depth,
				     struct walk *w)
{
	struct bpf_iter_path_rcu it;
	struct dentry *dentry;

	bpf_iter_path_rcu_new(&it, start, 0);
	while ((dentry = bpf_iter_path_rcu_next(&it))) {
		w->dir = match(dentry);
		if (w->dir >= 0) {
			w->depth = depth;
			break;
		}
		if (bpf_iter_path_rcu_flags(&it) & BPF_ITER_PATH_POS_DISCONNECTED)
			w->disconnected = 1;
		depth++;
	}
	if (w->dir < 0)
		w->err = bpf_iter_path_rcu_err(&it);
	/* A pseudo file (a pipe, a socket, a memfd) is below no directory. */
	if (w->err == -EOPNOTSUPP)
		w->err = 0;
	bpf_iter_path_rcu_destroy(&it);
}

static __always_inline void walk(const struct path *start, int depth,
				 struct walk *w, bool rcu)
{
	w->dir = -1;
	w->disconnected = 0;
	w->err = 0;
	if (rcu)
		walk_rcu(start, depth, w);
	else
		walk_ref(start, depth, w);
}

/* Report @w, found from @start (and @name below it), and decide: deny below
 * a protected directory, and when the walk could not tell.
 */
static __always_inline int decide(enum guard_op op, struct walk *w,
				  const struct path *start, struct dentry *name)
{
	struct guard_event *e;

	if (w->dir < 0 && !w->err)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&lost, 1);
		return deny ? -EPERM : 0;
	}
	e->tgid = bpf_get_current_pid_tgid() >> 32;
	e->op = op;
	e->dir = w->dir;
	e->depth = w->depth;
	e->denied = deny;
	e->disconnected = w->disconnected;
	e->err = w->err;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_path_d_path(start, e->path, sizeof(e->path)) < 0)
		e->path[0] = 0;
	e->name[0] = 0;
	if (name)
		bpf_probe_read_kernel_str(e->name, sizeof(e->name),
					  BPF_CORE_READ(name, d_name.name));
	bpf_ringbuf_submit(e, 0);
	return deny ? -EPERM : 0;
}

/* An operation on @dentry in @dir: the entry itself, then @dir upwards. */
static __always_inline int check_entry(enum guard_op op, const struct path *dir,
				       struct dentry *dentry, bool rcu)
{
	struct walk w = {};

	w.dir = match(dentry);
	if (w.dir < 0)
		walk(dir, 1, &w, rcu);
	return decide(op, &w, dir, dentry);
}

static __always_inline int check_open(struct file *file, bool rcu)
{
	struct walk w = {};

	walk(&file->f_path, 0, &w, rcu);
	return decide(GUARD_OPEN, &w, &file->f_path, NULL);
}

static __always_inline int check_rename(const struct path *old_dir,
					struct dentry *old_dentry,
					const struct path *new_dir,
					struct dentry *new_dentry, bool rcu)
{
	int ret;

	ret = check_entry(GUARD_RENAME, old_dir, old_dentry, rcu);
	if (ret)
		return ret;
	return check_entry(GUARD_RENAME, new_dir, new_dentry, rcu);
}

static __always_inline int check_link(struct dentry *old_dentry,
				      const struct path *new_dir,
				      struct dentry *new_dentry, bool rcu)
{
	struct walk w = {};

	w.dir = match(old_dentry);
	if (w.dir >= 0)
		return decide(GUARD_LINK, &w, new_dir, new_dentry);
	return check_entry(GUARD_LINK, new_dir, new_dentry, rcu);
}

/*
 * The programs of one walk: SEC is "lsm.s" or "lsm", SUFFIX names them,
 * RCU chooses the walk.
 */
#define GUARD_PROGS(SEC_PREFIX, SUFFIX, RCU)					\
SEC(SEC_PREFIX "/file_open")							\
int BPF_PROG(guard_open##SUFFIX, struct file *file)				\
{										\
	return check_open(file, RCU);						\
}										\
SEC(SEC_PREFIX "/path_mknod")							\
int BPF_PROG(guard_mknod##SUFFIX, const struct path *dir,			\
	     struct dentry *dentry)						\
{										\
	return check_entry(GUARD_CREATE, dir, dentry, RCU);			\
}										\
SEC(SEC_PREFIX "/path_mkdir")							\
int BPF_PROG(guard_mkdir##SUFFIX, const struct path *dir,			\
	     struct dentry *dentry)						\
{										\
	return check_entry(GUARD_MKDIR, dir, dentry, RCU);			\
}										\
SEC(SEC_PREFIX "/path_unlink")							\
int BPF_PROG(guard_unlink##SUFFIX, const struct path *dir,			\
	     struct dentry *dentry)						\
{										\
	return check_entry(GUARD_UNLINK, dir, dentry, RCU);			\
}										\
SEC(SEC_PREFIX "/path_rmdir")							\
int BPF_PROG(guard_rmdir##SUFFIX, const struct path *dir,			\
	     struct dentry *dentry)						\
{										\
	return check_entry(GUARD_RMDIR, dir, dentry, RCU);			\
}										\
SEC(SEC_PREFIX "/path_rename")							\
int BPF_PROG(guard_rename##SUFFIX, const struct path *old_dir,			\
	     struct dentry *old_dentry, const struct path *new_dir,		\
	     struct dentry *new_dentry)						\
{										\
	return check_rename(old_dir, old_dentry, new_dir, new_dentry, RCU);	\
}										\
SEC(SEC_PREFIX "/path_link")							\
int BPF_PROG(guard_link##SUFFIX, struct dentry *old_dentry,			\
	     const struct path *new_dir, struct dentry *new_dentry)		\
{										\
	return check_link(old_dentry, new_dir, new_dentry, RCU);		\
}

/* Sleepable programs, walking with references: subtree_guard -w ref. */
GUARD_PROGS("lsm.s", , false)
/* Non-sleepable programs, walking without: subtree_guard -w rcu. */
GUARD_PROGS("lsm", _rcu, true)
