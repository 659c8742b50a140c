// SPDX-License-Identifier: GPL-2.0
/*
 * path_walk.bpf.c - the BPF side of bench/path_walk.c: BPF LSM programs on
 * file_open, in pairs that differ only by the walk.  All filter on the
 * benchmark's process and count their calls.  "walk", sleepable, then walks
 * from the opened file up to "/" with bpf_iter_path and records how many
 * paths the iterator returned; "no_walk", sleepable too, returns 0 right
 * away.  "walk_rcu" and "no_walk_rcu" are the same without sleeping, with
 * bpf_iter_path_rcu, which takes no reference.
 */

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "bpf_experimental.h"

char _license[] SEC("license") = "GPL";

/* Set by user space: the process whose opens are seen. */
int target_tgid;

/* Calls of either program for that process. */
__u64 nr_calls;

/* Paths returned by the last walk: the file itself, then each ancestor. */
int levels;

/* Walks without references that ended early (bpf_iter_path_rcu_err()), not
 * counted in levels.
 */
__u64 rcu_errors;

SEC("lsm.s/file_open")
int BPF_PROG(walk, struct file *file)
{
	struct path *p;
	int n = 0;

	if (bpf_get_current_pid_tgid() >> 32 != target_tgid)
		return 0;
	nr_calls++;
	bpf_for_each(path, p, &file->f_path, 0)
		n++;
	levels = n;
	return 0;
}

SEC("lsm.s/file_open")
int BPF_PROG(no_walk, struct file *file)
{
	if (bpf_get_current_pid_tgid() >> 32 != target_tgid)
		return 0;
	nr_calls++;
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(walk_rcu, struct file *file)
{
	struct bpf_iter_path_rcu it;
	int n = 0;

	if (bpf_get_current_pid_tgid() >> 32 != target_tgid)
		return 0;
	nr_calls++;
	bpf_iter_path_rcu_new(&it, &file->f_path, 0);
	while (bpf_iter_path_rcu_next(&it))
		n++;
	if (bpf_iter_path_rcu_err(&it))
		rcu_errors++;
	else
		levels = n;
	bpf_iter_path_rcu_destroy(&it);
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(no_walk_rcu, struct file *file)
{
	if (bpf_get_current_pid_tgid() >> 32 != target_tgid)
		return 0;
	nr_calls++;
	return 0;
}
