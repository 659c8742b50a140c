/* SPDX-License-Identifier: GPL-2.0 */
/*
 * subtree_guard.h - what subtree_guard.bpf.c and subtree_guard.c share: the
 * protected directories and the decisions reported through the ring buffer.
 */
#ifndef SUBTREE_GUARD_H
#define SUBTREE_GUARD_H

#define GUARD_MAX_DIRS 8
#define GUARD_PATH_MAX 256
#define GUARD_NAME_MAX 64

/* A protected directory, by identity: the kernel's s_dev and the inode. */
struct guard_dir {
	unsigned int dev;
	unsigned long long ino;
};

enum guard_op {
	GUARD_OPEN,
	GUARD_CREATE,
	GUARD_MKDIR,
	GUARD_UNLINK,
	GUARD_RMDIR,
	GUARD_RENAME,
	GUARD_LINK,
};

/*
 * One decision: an operation on something below (or equal to) protected
 * directory number @dir.  @path is the path the walk started from (the file
 * for an open, else the directory holding @name); @depth is how many levels
 * above the object the match was found (0: the object itself);
 * @disconnected says the walk met a directory moved out of its mount's
 * root and went on from that root, as vfs_walk_ancestors() does.  @err is
 * the error of a walk that ended before the root without a match (@dir is
 * then -1): the decision fails closed.
 */
struct guard_event {
	unsigned int tgid;
	unsigned int op;
	int dir;
	int depth;
	int denied;
	int disconnected;
	int err;
	char comm[16];
	char path[GUARD_PATH_MAX];
	char name[GUARD_NAME_MAX];
};

#endif
