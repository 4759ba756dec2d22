/* SPDX-License-Identifier: MIT */
/*
 * output: writing the built site. A build writes into a new folder beside
 * the output folder and output_commit swaps it into place only when the
 * whole build succeeded, so a failed build leaves the previous site exactly
 * as it was, and files of removed pages never linger.
 *
 * Every folder sapan creates for a site carries the marker file
 * OUTPUT_MARKER, and sapan replaces or removes only folders that carry it
 * (or are empty): a folder of the user's own files is never taken for a
 * site. output_check_place refuses, before any work, an output folder that
 * would put the user's files at risk.
 *
 * Paths given to these functions are owned by the caller; returned paths
 * are owned by the caller too.
 */
#ifndef SAPAN_OUTPUT_H
#define SAPAN_OUTPUT_H

#include <stddef.h>

#include "diag.h"

/* The marker's name. It is published with the site: it says only that
 * sapan wrote the folder (docs/content-format.md, "The output folder"). */
#define OUTPUT_MARKER ".sapan-output"

/* The folders a build reads and the one it replaces. */
struct output_place {
	const char *output;    /* as the user gave it; messages name it so */
	const char *content;   /* the content folder */
	const char *templates; /* the templates folder */
};

/*
 * Refuses, with one error naming the reason and the fix, an output folder
 * that sapan may not replace as a whole: a symbolic link or a file; the
 * root, home or current folder or one that contains it; the content or
 * templates folder, or a folder inside either or containing either; a
 * mount point; a path ending in "." or ".."; an existing folder that is
 * not empty and has no marker. Paths are compared as real paths, through
 * the nearest existing ancestor when the output does not exist yet.
 * Returns 0 or -1.
 */
int output_check_place(const struct output_place *place, struct diag_list *diags);

/*
 * Creates a new folder named prefix followed by six random letters or
 * digits (prefix is a path, e.g. "/tmp/sapan-check-"), puts the marker in
 * it and locks it, so that output_remove_leftovers of another process
 * leaves it alone. Returns its path and the lock in *lock (release it with
 * output_end), or NULL with errno set.
 */
char *output_make_folder(const char *prefix, int *lock);

/*
 * Removes the folders in dir named name_prefix followed by six letters or
 * digits that a killed process left: only those that belong to this user,
 * that no running process holds locked (see output_make_folder), and that
 * carry the marker or are empty. Nothing else in dir is touched.
 */
void output_remove_leftovers(const char *dir, const char *name_prefix);

/*
 * Creates a folder beside output ("site.new-XXXXXX"), holding only the
 * marker, and returns its path, or NULL with an error. *lock receives a descriptor holding a lock
 * on the folder, which tells other builds it is in use; pass it to
 * output_end once the folder is committed or removed. First removes the
 * site.new-* and site.old-* folders that builds which were killed left
 * (see output_remove_leftovers); nothing else beside output is touched.
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
 * site, after checking again that output is still sapan's (a marked or an
 * empty folder, or nothing). Returns 0, or -1 with an error (then output
 * is untouched). */
int output_commit(const char *tmp, const char *output, struct diag_list *diags);
/* Removes a folder and everything in it; returns 0 or -1. */
int output_remove_tree(const char *path);

#endif
