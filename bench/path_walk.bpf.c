// SPDX-License-Identifier: GPL-2.0
/*
 * path_walk.bpf.c - the BPF side of bench/path_walk.c: two sleepable BPF LSM
 * programs on file_open that differ only by the walk.  Both filter on the
 * benchmark's process and count their calls; "walk" then walks from the
 * opened file up to "/" with bpf_iter_path and records how many paths the
 * iterator returned; "no_walk" returns 0 right away.
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
