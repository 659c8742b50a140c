/* SPDX-License-Identifier: GPL-2.0 */
/*
 * landlock.h - the Landlock domain of bench/openat.c and bench/contend.c:
 * LANDLOCK_ACCESS_FS_READ_FILE handled, and granted on one directory.
 * Include after common.h (die()).
 */
#ifndef BENCH_LANDLOCK_H
#define BENCH_LANDLOCK_H

#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

/* Enters a domain whose one rule grants reading files below @ruled. */
static void restrict_self(const char *const ruled)
{
	const struct landlock_ruleset_attr ruleset_attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE,
	};
	struct landlock_path_beneath_attr path_beneath = {
		.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE,
	};
	int ruleset_fd;

	ruleset_fd = syscall(__NR_landlock_create_ruleset, &ruleset_attr,
			     sizeof(ruleset_attr), 0);
	if (ruleset_fd < 0)
		die("landlock_create_ruleset");
	path_beneath.parent_fd = open(ruled, O_PATH | O_CLOEXEC);
	if (path_beneath.parent_fd < 0)
		die(ruled);
	if (syscall(__NR_landlock_add_rule, ruleset_fd,
		    LANDLOCK_RULE_PATH_BENEATH, &path_beneath, 0))
		die("landlock_add_rule");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("prctl(PR_SET_NO_NEW_PRIVS)");
	if (syscall(__NR_landlock_restrict_self, ruleset_fd, 0))
		die("landlock_restrict_self");
	close(path_beneath.parent_fd);
	close(ruleset_fd);
}

#endif
