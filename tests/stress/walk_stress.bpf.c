// SPDX-License-Identifier: GPL-2.0
/*
 * walk_stress.bpf.c - the BPF side of walk_stress.c.
 *
 * Counters of vfs_walk_ancestors() walks that may sleep (those of
 * bpf_iter_path_rcu may not), from fentry/fexit on it and kprobes on
 * the callbacks it calls (Landlock's two and bpf_iter_path's): walks, walks
 * that started again after a torn lockless pass (a call with a NULL
 * ancestor), walks that ran in reference mode (a call with
 * WALK_ANCESTORS_MAY_SLEEP), walks that ended at the bound (-ELOOP), the
 * longest walk, and walks that started again more than once (never, by
 * design).
 *
 * A sleepable BPF LSM program on file_open that, for the stress program's
 * opens of the files it names, walks to the root with bpf_iter_path and
 * checks that the walk meets the directory that the file must be under.
 */

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "bpf_experimental.h"

char _license[] SEC("license") = "GPL";

/* vfs_walk_ancestors() counters, of every caller whose walk may sleep. */
__u64 walks, restarts, ref_walks, eloop, max_walk_ns, over_bound;

struct walk_state {
	__u64 start;
	__u32 restarts;
	__u32 ref;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct walk_state);
} in_walk SEC(".maps");

SEC("fentry/vfs_walk_ancestors")
int BPF_PROG(walk_enter)
{
	struct walk_state st = { .start = bpf_ktime_get_ns() };
	__u64 id = bpf_get_current_pid_tgid();

	bpf_map_update_elem(&in_walk, &id, &st, BPF_ANY);
	return 0;
}

/* The flag of a walk that may sleep (include/linux/namei.h, not in BTF). */
#define WALK_ANCESTORS_MAY_SLEEP 0x1

SEC("fexit/vfs_walk_ancestors")
int BPF_PROG(walk_exit, const struct path *start, const struct path *root,
	     void *cb, void *data, unsigned int flags, int ret)
{
	__u64 id = bpf_get_current_pid_tgid(), ns;
	struct walk_state *st;

	st = bpf_map_lookup_elem(&in_walk, &id);
	if (!st)
		return 0;
	/* Walks that may sleep only: one that may not never takes
	 * references, and may take up to WALK_ANCESTORS_RCU_PASSES passes.
	 */
	if (!(flags & WALK_ANCESTORS_MAY_SLEEP)) {
		bpf_map_delete_elem(&in_walk, &id);
		return 0;
	}
	ns = bpf_ktime_get_ns() - st->start;
	__sync_fetch_and_add(&walks, 1);
	if (st->restarts)
		__sync_fetch_and_add(&restarts, 1);
	if (st->restarts > 1)
		__sync_fetch_and_add(&over_bound, 1);
	if (st->ref)
		__sync_fetch_and_add(&ref_walks, 1);
	if (ret == -40 /* -ELOOP */)
		__sync_fetch_and_add(&eloop, 1);
	if (ns > max_walk_ns)
		max_walk_ns = ns; /* racy, but only ever grows by a little */
	bpf_map_delete_elem(&in_walk, &id);
	return 0;
}

/* Attached by walk_stress.c to each callback of vfs_walk_ancestors() (its
 * symbol may carry a compiler suffix such as .isra.0).
 */
SEC("kprobe")
int BPF_KPROBE(walk_cb, const struct path *ancestor, void *data,
	       unsigned int flags)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct walk_state *st;

	st = bpf_map_lookup_elem(&in_walk, &id);
	if (!st)
		return 0;
	if (!ancestor)
		st->restarts++;
	else if (flags & 1 /* WALK_ANCESTORS_MAY_SLEEP */)
		st->ref = 1;
	return 0;
}

/* Set by walk_stress.c: its process, the device of its tmpfs, and the
 * directories (inode numbers) that every walk from a file on that tmpfs
 * must meet: the stress tree's two sides, and the sources of its bind
 * mounts (a lazily unmounted bind mount ends its walks at its source).
 */
int target_tgid;
__u32 dev;
#define NR_DIRS 4
__u64 dir_ino[NR_DIRS];

/* bpf_iter_path walks from the stress program's opens, the levels they
 * returned, and the walks that met none of dir_ino.
 */
__u64 bpf_walks, bpf_levels, bpf_wrong;

SEC("lsm.s/file_open")
int BPF_PROG(check_open, struct file *file)
{
	struct dentry *d;
	struct path *p;
	int i, n = 0, seen = 0;
	__u64 ino;

	if (bpf_get_current_pid_tgid() >> 32 != target_tgid ||
	    file->f_inode->i_sb->s_dev != dev)
		return 0;
	bpf_for_each(path, p, &file->f_path, 0) {
		n++;
		d = p->dentry;
		if (!d->d_inode || d->d_sb->s_dev != dev)
			continue;
		ino = d->d_inode->i_ino;
		for (i = 0; i < NR_DIRS; i++)
			if (dir_ino[i] == ino)
				seen = 1;
	}
	__sync_fetch_and_add(&bpf_walks, 1);
	__sync_fetch_and_add(&bpf_levels, n);
	if (!seen)
		__sync_fetch_and_add(&bpf_wrong, 1);
	return 0;
}
