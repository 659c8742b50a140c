#!/bin/bash
# A patch that does not apply: tree.sh fails and names it. Runs on a copy
# of the harness with its own patches/ and build directory.
. "$(dirname "$0")/../../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/patches"
cp -a "$TOP/scripts" "$TOP/config" "$tmp/"
cp "$TOP/patches/BASE" "$tmp/patches/"
cat >"$tmp/patches/0001-harness-bogus.patch" <<'PATCH'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Harness Test <harness@localhost>
Date: Sat, 1 Jan 2000 00:00:00 +0000
Subject: [PATCH] harness: change a line that is not there

---
 Makefile | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/Makefile b/Makefile
--- a/Makefile
+++ b/Makefile
@@ -1,3 +1,3 @@
 # SPDX-License-Identifier: GPL-2.0
-this line is not in the Makefile
+nor is this one
 PATCHLEVEL = 12
--
PATCH
rc=0
BUILD=$tmp/build "$tmp/scripts/tree.sh" >"$tmp/out" 2>&1 || rc=$?
cat "$tmp/out"
[ $rc != 0 ] || die "tree.sh exited 0 with a patch that does not apply"
grep -q '0001-harness-bogus.patch' "$tmp/out" || die "tree.sh did not name the patch"
echo "tree.sh exits $rc and says: $(grep -m1 'bogus' "$tmp/out")"
