/* SPDX-License-Identifier: MIT */
/*
 * output: writing the built site into the output folder, in place, so
 * that a rebuild touches only what changed and a publish with rsync
 * uploads only that.
 *
 * Design. Each file a build makes is compared with the file already at
 * its path: a file that is byte for byte the same is left alone (same
 * inode, same modification time); a new or changed one is written to the
 * staging folder OUTPUT_STAGING"XXXXXX" inside the output, at its own path
 * there (with its folders, made on the render threads). Nothing the
 * reader sees changes until output_commit, which the build calls only
 * once every page rendered without error, so:
 *
 *  - a failed or stopped build changes nothing: output_end removes the
 *    staging folder (and a folder or marker this build created);
 *  - every file is whole at every moment, the old or the new one: a
 *    staged file is put in place by one rename(2) in the same file system,
 *    or, when its folder is new to the output, with that whole folder by
 *    one rename (a first build puts each language folder in place at
 *    once); the manifest too is staged and renamed;
 *  - a build killed outright (SIGKILL, or killed during the commit) is
 *    finished by the next one: before the first rename, the commit writes
 *    the manifest as the union of the last build's files and this one's,
 *    so any file the killed build may have put in place is known as
 *    sapan's; the next build compares everything again, writes what
 *    differs and deletes what it no longer makes. It also removes the
 *    staging folder the killed build left (only that exact name pattern,
 *    only inside the locked, marked output);
 *  - two builds never update one folder at once: output_begin holds an
 *    flock(2) on the output folder itself until output_end (the kernel
 *    drops it when a process dies); a second build is refused at once;
 *  - only files sapan wrote are ever deleted or replaced: OUTPUT_MANIFEST
 *    lists the files of the last build; a file not in it is the user's.
 *    It is left in place, silently, when no page needs its path (a CNAME
 *    or a verification file may be meant to be published), and refused
 *    with an error when a page would overwrite it with other content.
 *    A marked folder without a manifest was built by a version of sapan
 *    that replaced the whole folder each time: all its regular files are
 *    taken as sapan's, as that version took them.
 *  - paths are resolved below the output folder without following
 *    symbolic links (openat2 RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS, or
 *    openat with O_NOFOLLOW one component at a time), so a link inside the
 *    output never sends a write, rename or unlink outside it.
 *
 * Memory: no page stays in memory after output_write returns; the build
 * holds one path per file for the manifest. Files are not fsync'ed: the
 * guarantees hold against killed processes, not against power cuts.
 *
 * Every folder sapan creates for a site carries the marker file
 * OUTPUT_MARKER, and sapan writes only into folders that carry it (or are
 * empty): a folder of the user's own files is never taken for a site.
 * output_check_place refuses, before any work, an output folder that
 * would put the user's files at risk.
 *
 * Threads: output_write and output_copy may run at once for different
 * paths; the list of written paths and the counts sit behind one mutex.
 * Paths given to these functions are owned by the caller; returned paths
 * are owned by the caller too.
 */
#ifndef SAPAN_OUTPUT_H
#define SAPAN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "util.h"

/* The marker's name. It is published with the site: it says only that
 * sapan wrote the folder (docs/content-format.md, "The output folder"). */
#define OUTPUT_MARKER ".sapan-output"
/* The list of the files the last build wrote, one path a line. */
#define OUTPUT_MANIFEST ".sapan-manifest"
/* The folder in the output where a build stages changed files, followed
 * by six letters or digits. */
#define OUTPUT_STAGING ".sapan-staging-"

/* The folders a build reads and the one it replaces. */
struct output_place {
	const char *output;    /* as the user gave it; messages name it so */
	const char *content;   /* the content folder */
	const char *templates; /* the templates folder */
};

/*
 * Refuses, with one error naming the reason and the fix, an output folder
 * that is not sapan's to write in: a symbolic link or a file; the root,
 * home or current folder or one that contains it; the content or
 * templates folder, or a folder inside either or containing either; a
 * path ending in "." or ".."; an existing folder that is not empty and has
 * no marker. A mount point is fine: the folder is updated in place, never
 * renamed. Paths are compared as real paths, through
 * the nearest existing ancestor when the output does not exist yet.
 * Returns 0 or -1.
 */
int output_check_place(const struct output_place *place, struct diag_list *diags);

/*
 * Creates a new folder named prefix followed by six random letters or
 * digits (prefix is a path, e.g. "/tmp/sapan-check-"), puts the marker in
 * it and locks it, so that output_remove_leftovers of another process
 * leaves it alone. Returns its path and the lock in *lock (release it with
 * output_unlock), or NULL with errno set.
 */
char *output_make_folder(const char *prefix, int *lock);

/*
 * Removes the folders in dir named name_prefix followed by six letters or
 * digits that a killed process left: only those that belong to this user,
 * that no running process holds locked (see output_make_folder), and that
 * carry the marker or are empty. Nothing else in dir is touched.
 */
void output_remove_leftovers(const char *dir, const char *name_prefix);

/* What a build did to the output folder; see output_counts. */
struct output_counts {
	size_t written;   /* new or changed files put in place */
	size_t unchanged; /* files already there byte for byte, left untouched */
	size_t deleted;   /* files of the last build that this one no longer makes */
};

/* The output folder while a build updates it; opaque. */
struct output;

/*
 * Opens the output folder for a build: creates it (and its marker) if it
 * is missing or empty, locks it, removes the staging folder a killed build
 * left, and reads the list of files the last build wrote (OUTPUT_MANIFEST;
 * without one, every regular file in the marked folder, as the swapping
 * versions of sapan wrote them). Also removes the site.new-* and
 * site.old-* folders such versions left beside it (output_remove_leftovers).
 * Nothing the reader sees changes before output_commit. Returns NULL with
 * an error when the folder is locked by another build, is no longer
 * sapan's, or cannot be read; end it with output_end in every case.
 */
struct output *output_begin(const char *output, struct diag_list *diags);

/*
 * Gives rel (relative to the output, "en/guide/index.html") the content
 * data. If the file there is byte for byte the same it is left untouched;
 * otherwise data is staged and put in place by output_commit. A file in
 * the way that the last build did not write is refused with an error.
 * Safe to call from several threads at once for different rel. Returns 0
 * or -1 with an error.
 */
/*
 * Has staged(ctx, rel, path) called, on the thread that wrote it, each time
 * a new or changed file is whole in the staging folder (path: where it is
 * there, until the commit moves it): sapan serve shows the pages of its
 * first build before that build ends. Call before the first write.
 */
void output_on_staged(struct output *out,
		      void (*staged)(void *ctx, const char *rel, const char *path), void *ctx);
int output_write(struct output *out, const char *rel, const char *data, size_t len,
		 struct diag_list *diags);
/* As output_write, with the content of the file at src, streamed in
 * chunks. Returns 0 or -1 with an error. */
int output_copy(struct output *out, const char *rel, const char *src, struct diag_list *diags);

/* What tells whether a file changed since sapan last saw it. */
struct output_stamp {
	uint64_t ino;
	int64_t size, mtime_s, mtime_ns, ctime_s, ctime_ns;
};
/* Fills *stamp for the regular file at rel (after output_commit, for the
 * build cache). Returns 0, or -1 when there is none. */
int output_stamp(struct output *out, const char *rel, struct output_stamp *stamp);
/*
 * Keeps the file at rel as this build's without reading it: for a file
 * whose content the build cache knows is what this build would write.
 * Succeeds only when the last build wrote rel (it is in the manifest) and
 * the file still has the stamp expect, i.e. nobody touched it since (the
 * change time moves on any write, rename or chmod); it then counts as
 * unchanged. Returns 0, or -1 (nothing recorded: write it). Thread-safe
 * like output_write.
 */
int output_keep(struct output *out, const char *rel, const struct output_stamp *expect);
/*
 * Keeps every file of the last build that this build has not written or
 * kept yet, without looking at them: for a build that knows it changed
 * only the files it wrote (build.c's quick rebuild, whose model is the
 * last build's). Call after the last write, before output_commit.
 */
void output_keep_rest(struct output *out);

/*
 * Makes the output what this build wrote: puts the staged files in place,
 * one rename each, and deletes the files of the last build that this one
 * did not write (then any folder that deleting leaves empty). Call it only
 * when every page was rendered without error. Returns 0, or -1 with an
 * error (then the output is partly updated and the next build completes
 * it).
 */
int output_commit(struct output *out, struct diag_list *diags);
/*
 * Calls fn, on the calling thread, for each file the last output_commit
 * put in place (new or changed; deleted false) and each file it deleted
 * (deleted true), with paths relative to the output. Files left untouched
 * are not named. Call after a successful output_commit, before output_end
 * (rel is valid only during the call).
 */
void output_each_change(const struct output *out,
			void (*fn)(void *ctx, const char *rel, bool deleted), void *ctx);
/* Fills *c; call once no output_write runs. */
void output_counts(const struct output *out, struct output_counts *c);
/* Ends the build's hold on the output: without a commit, removes what the
 * build staged (and the folder or marker it created), so the output is as
 * it was; then releases the lock and frees out. NULL is ignored. */
void output_end(struct output *out);

/* Releases a lock of output_make_folder (-1 is ignored). */
void output_unlock(int lock);
/* Reads a whole file into out (for hashing assets). Returns 0 or -1. */
int output_read_file(const char *path, struct buf *out, struct diag_list *diags);
/* Removes a folder and everything in it; returns 0 or -1. */
int output_remove_tree(const char *path);

#endif
