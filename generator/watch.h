/* SPDX-License-Identifier: MIT */
/*
 * watch: tells sapan serve that something changed under the folders it
 * builds from (content/ and templates/, with every folder inside them).
 *
 * This is the only module that knows how changes are noticed. On Linux
 * (watch.c) it uses inotify, one watch per folder, added for folders that
 * appear later too. Elsewhere, and in `make PORTABLE=1` (platform.h),
 * watch_poll.c compares the size, modification and change time, inode and
 * type of every file and folder with the last look, every
 * WATCH_POLL_MIN_MS to WATCH_POLL_MAX_MS from a thread of its own;
 * nothing else in sapan knows which one runs.
 *
 * It says that something changed and, when it can, which files: serve
 * passes them to the build (build_options.edited), which re-renders only
 * an edited page when nothing else changed; otherwise the build cache
 * decides what to redo. Owns its descriptor and its list of folders; free with
 * watch_close.
 */
#ifndef SAPAN_WATCH_H
#define SAPAN_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct watch;

/*
 * Starts watching each folder of dirs (ndirs of them) and every folder
 * inside them. Returns the watch, or NULL with an error (a folder that
 * cannot be read, or the system's limit of watches reached).
 */
struct watch *watch_open(const char *const *dirs, size_t ndirs, struct diag_list *diags);

/* A descriptor that becomes readable when something changed (for poll). */
int watch_fd(const struct watch *w);

/*
 * Reads what the kernel queued, without waiting, and watches the folders
 * that appeared. Returns 1 when something changed under a watched folder,
 * 0 when nothing did (or only names sapan ignores changed: editors'
 * swap and backup files), -1 on a read error.
 */
int watch_read(struct watch *w);

/*
 * The files that changed since watch_forget (or watch_open), as *n
 * NUL-separated paths "folder/name", the folder as watch_open was given it
 * or a folder below it; the same file may come more than once. NULL (*n 0)
 * when that is not known as such a list: events were lost, a folder was
 * made, moved or removed, or more than WATCH_MAX_CHANGES files changed.
 * Valid until the next watch_read or watch_forget.
 */
#define WATCH_MAX_CHANGES 64
const char *watch_changes(const struct watch *w, size_t *n);
void watch_forget(struct watch *w);
void watch_close(struct watch *w);

/* True for a name editors write while saving and no build reads (swap,
 * lock and backup files): a change to it is no change. */
bool watch_ignored(const char *name);

#endif
