/* SPDX-License-Identifier: MIT */
/*
 * fsentry: what a name found in one of the input folders (content/,
 * templates/) is, decided without ever following a symbolic link out of
 * that folder. A link whose target, fully resolved, lies inside the folder
 * is followed; a link that leads outside it, or nowhere, is refused with an
 * error, so a build never reads (or publishes) /etc/passwd or a private
 * file because someone linked it in.
 *
 * A struct fsentry_root owns its resolved path; fsentry_root_free releases
 * it (safe on a zeroed or failed root).
 */
#ifndef SAPAN_FSENTRY_H
#define SAPAN_FSENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "diag.h"

struct fsentry_root {
	const char *name; /* as the user gave it ("content"), for messages; not owned */
	char *real;       /* realpath of the folder, owned */
};

enum fsentry_kind { FSENTRY_FILE, FSENTRY_DIR, FSENTRY_OTHER, FSENTRY_REFUSED };

/* Resolves the folder name. Returns 0, or -1 (errno set) if it does not
 * exist; adds no diagnostic, since callers word "not found" themselves. */
int fsentry_root_open(struct fsentry_root *root, const char *name);
void fsentry_root_free(struct fsentry_root *root);

/*
 * Classifies path, an entry inside root, filling *st as stat() would for a
 * followed link. Returns FSENTRY_REFUSED after adding an error when path
 * cannot be read, or is a symbolic link that leads outside root or to
 * nothing; FSENTRY_OTHER for sockets, devices and the like (skipped).
 */
enum fsentry_kind fsentry_check(const struct fsentry_root *root, const char *path,
				struct stat *st, struct diag_list *diags);

/*
 * Lists the names in folder dir in byte order, so builds are reproducible.
 * Names starting with '.' are left out unless with_hidden ("." and ".."
 * always are). Returns the array (free with fsentry_list_free) and sets
 * *count, or NULL with *count 0 and errno set when dir cannot be read.
 */
char **fsentry_list(const char *dir, bool with_hidden, size_t *count);
void fsentry_list_free(char **names, size_t count);

#endif
