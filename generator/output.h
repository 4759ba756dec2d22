/* SPDX-License-Identifier: MIT */
/*
 * output: writing the built site. A build writes into a new folder beside
 * the output folder and output_commit swaps it into place only when the
 * whole build succeeded, so a failed build leaves the previous site exactly
 * as it was, and files of removed pages never linger.
 *
 * Paths given to these functions are owned by the caller; returned paths
 * are owned by the caller too.
 */
#ifndef SAPAN_OUTPUT_H
#define SAPAN_OUTPUT_H

#include <stddef.h>

#include "diag.h"

/*
 * Creates an empty folder beside output ("site.new-XXXXXX") and returns its
 * path, or NULL with an error. *lock receives a descriptor holding a lock
 * on the folder, which tells other builds it is in use; pass it to
 * output_end once the folder is committed or removed. First removes the
 * stale site.new-* and site.old-* folders of builds that were killed (no
 * process holds their lock any more); nothing else beside output is touched.
 */
char *output_begin(const char *output, int *lock, struct diag_list *diags);
/* Releases the lock output_begin took (-1 is ignored). */
void output_end(int lock);
/* Writes data to root/rel, creating folders as needed. Returns 0 or -1. */
int output_write(const char *root, const char *rel, const char *data, size_t len,
		 struct diag_list *diags);
/* Copies the file at src to root/rel. Returns 0 or -1. */
int output_copy(const char *root, const char *rel, const char *src, struct diag_list *diags);
/* Reads a whole file into out (for hashing assets). Returns 0 or -1. */
int output_read_file(const char *path, struct buf *out, struct diag_list *diags);
/* Puts the finished folder tmp in the place of output and removes the old
 * site. Returns 0, or -1 with an error (then output is untouched). */
int output_commit(const char *tmp, const char *output, struct diag_list *diags);
/* Removes a folder and everything in it; returns 0 or -1. */
int output_remove_tree(const char *path);

#endif
