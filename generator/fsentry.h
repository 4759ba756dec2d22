/* SPDX-License-Identifier: MIT */
/*
 * fsentry: what a name found in one of the input folders (content/,
 * templates/) is, decided without ever following a symbolic link out of
 * that folder. A link whose target, fully resolved, lies inside the folder
 * is followed; a link that leads outside it, or nowhere, is refused with an
 * error, so a build never reads (or publishes) /etc/passwd or a private
 * file because someone linked it in.
 *
 * A link to a folder is followed at most once per real folder (known by
 * its device and inode): a second link to a folder already reached through
 * a link is refused with an error naming both. Without that, folders that
 * each link twice to the next would make a walk visit 2^depth paths.
 *
 * A struct fsentry_root owns its resolved path and the links it has
 * followed; fsentry_root_free releases them (safe on a zeroed or failed root).
 */
#ifndef SAPAN_FSENTRY_H
#define SAPAN_FSENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "diag.h"
#include "hmap.h"

struct fsentry_root {
	const char *name; /* as the user gave it ("content"), for messages; not owned */
	char *real;       /* realpath of the folder, owned */
	struct hmap linked; /* "dev:ino" of each folder reached through a link ->
			     * the path of that link (owned) */
};

enum fsentry_kind { FSENTRY_FILE, FSENTRY_DIR, FSENTRY_OTHER, FSENTRY_REFUSED };

/* Resolves the folder name. Returns 0, or -1 (errno set) if it does not
 * exist; adds no diagnostic, since callers word "not found" themselves. */
int fsentry_root_open(struct fsentry_root *root, const char *name);
void fsentry_root_free(struct fsentry_root *root);
/* Forgets the folders followed through links, before a new walk of another
 * part of the same root. */
void fsentry_root_forget_links(struct fsentry_root *root);

/*
 * Classifies path, an entry inside root, filling *st as stat() would for a
 * followed link. Returns FSENTRY_REFUSED after adding an error when path
 * cannot be read, or is a symbolic link that leads outside root or to
 * nothing, or is a second link to a folder already reached through a link;
 * FSENTRY_OTHER for FIFOs, sockets, devices and the like, which are never
 * opened (a FIFO would block the reader).
 */
enum fsentry_kind fsentry_check(struct fsentry_root *root, const char *path,
				struct stat *st, struct diag_list *diags);

/* One entry met by fsentry_walk. */
struct fsentry_visit {
	const char *path; /* as it can be opened: "templates/layouts/page.mustache" */
	const char *rel;  /* below the walk's start, '/'-separated: "layouts/page.mustache" */
	const char *name; /* the last part: "page.mustache" */
	int depth;        /* 0 for the entries of the starting folder */
	enum fsentry_kind kind;
	const struct stat *st;
};

/*
 * Walks dir (inside root) in name order, hidden names left out, calling
 * visit for every entry fsentry_check did not refuse. For a folder, visit
 * returns whether to go into it; folders deeper than max_depth are not
 * entered. rel_prefix ("" or "assets") starts every rel. Problems are
 * added to diags.
 */
void fsentry_walk(struct fsentry_root *root, const char *dir, const char *rel_prefix,
		  int max_depth, bool (*visit)(void *ctx, const struct fsentry_visit *v),
		  void *ctx, struct diag_list *diags);

/*
 * What a file's name says it is, by the one rule that decides what is
 * published (docs/content-format.md, "Files that are never published").
 */
enum fsentry_name {
	FSENTRY_NAME_FILE,      /* a file to publish as it is */
	FSENTRY_NAME_PAGE,      /* "x.md": a page */
	FSENTRY_NAME_SCRATCH,   /* an editor's backup, swap or lock file, or a
				 * hidden file: never published, not worth a word */
	FSENTRY_NAME_MARKDOWN,  /* Markdown spelt otherwise ("x.MD", "x.markdown") */
	FSENTRY_NAME_NEAR_PAGE, /* a Markdown name with a second extension
				 * ("x.md.txt"): most likely a page by mistake */
};

/* Classifies a file name (the last part of a path, not the path). */
enum fsentry_name fsentry_name_kind(const char *name);

/*
 * Lists the names in folder dir in byte order, so builds are reproducible.
 * Names starting with '.' are left out unless with_hidden ("." and ".."
 * always are). Returns the array (free with fsentry_list_free) and sets
 * *count, or NULL with *count 0 and errno set when dir cannot be read.
 */
char **fsentry_list(const char *dir, bool with_hidden, size_t *count);
void fsentry_list_free(char **names, size_t count);

#endif
