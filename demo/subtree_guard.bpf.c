// SPDX-License-Identifier: GPL-2.0
/*
 * subtree_guard.bpf.c - the BPF side of subtree_guard.c: sleepable BPF LSM
 * programs that deny (or only report) operations on files below a set of
 * protected directories.  Each hook walks from the object up to the root
 * with the bpf_iter_path kfuncs and compares each ancestor with the
 * protected directories by identity (s_dev and inode number), so a bind
 * mount, a symlink or a hard-linked directory name makes no difference.
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
static int match(struct dentry *dentry)
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
};

/*
 * Walk from @start, whose depth is @depth, to the root; stop at the first
 * protected directory.  A dentry that is its own parent but not its mount's
 * root is a directory moved out of a bind mount: the iterator goes on from
 * the mount's root, and the event says so.
 */
static void walk(const struct path *start, int depth, struct walk *w)
{
	struct dentry *dentry;
	struct path *p;

	w->dir = -1;
	w->disconnected = 0;
	bpf_for_each(path, p, start, 0) {
		dentry = p->dentry;
		w->dir = match(dentry);
		if (w->dir >= 0) {
			w->depth = depth;
			break;
		}
		if (dentry == dentry->d_parent && dentry != p->mnt->mnt_root)
			w->disconnected = 1;
		depth++;
	}
}

/* Report @w, found from @start (and @name below it), and decide. */
static int decide(enum guard_op op, struct walk *w, const struct path *start,
		  struct dentry *name)
{
	struct guard_event *e;

	if (w->dir < 0)
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
static int check_entry(enum guard_op op, const struct path *dir,
		       struct dentry *dentry)
{
	struct walk w = { .depth = 0, .disconnected = 0 };

	w.dir = match(dentry);
	if (w.dir < 0)
		walk(dir, 1, &w);
	return decide(op, &w, dir, dentry);
}

SEC("lsm.s/file_open")
int BPF_PROG(guard_open, struct file *file)
{
	struct walk w;

	walk(&file->f_path, 0, &w);
	return decide(GUARD_OPEN, &w, &file->f_path, NULL);
}

SEC("lsm.s/path_mknod")
int BPF_PROG(guard_mknod, const struct path *dir, struct dentry *dentry)
{
	return check_entry(GUARD_CREATE, dir, dentry);
}

SEC("lsm.s/path_mkdir")
int BPF_PROG(guard_mkdir, const struct path *dir, struct dentry *dentry)
{
	return check_entry(GUARD_MKDIR, dir, dentry);
}

SEC("lsm.s/path_unlink")
int BPF_PROG(guard_unlink, const struct path *dir, struct dentry *dentry)
{
	return check_entry(GUARD_UNLINK, dir, dentry);
}

SEC("lsm.s/path_rmdir")
int BPF_PROG(guard_rmdir, const struct path *dir, struct dentry *dentry)
{
	return check_entry(GUARD_RMDIR, dir, dentry);
}

SEC("lsm.s/path_rename")
int BPF_PROG(guard_rename, const struct path *old_dir, struct dentry *old_dentry,
	     const struct path *new_dir, struct dentry *new_dentry)
{
	int ret;

	ret = check_entry(GUARD_RENAME, old_dir, old_dentry);
	if (ret)
		return ret;
	return check_entry(GUARD_RENAME, new_dir, new_dentry);
}

SEC("lsm.s/path_link")
int BPF_PROG(guard_link, struct dentry *old_dentry, const struct path *new_dir,
	     struct dentry *new_dentry)
{
	struct walk w = { .depth = 0, .disconnected = 0 };

	w.dir = match(old_dentry);
	if (w.dir >= 0)
		return decide(GUARD_LINK, &w, new_dir, new_dentry);
	return check_entry(GUARD_LINK, new_dir, new_dentry);
}
