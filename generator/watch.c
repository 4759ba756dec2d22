/* SPDX-License-Identifier: MIT */
/* watch: changes under content/ and templates/, with inotify (watch.h);
 * watch_poll.c is the implementation for systems without it. */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"
#include "util.h"

#if PLATFORM_LINUX
#include <sys/inotify.h>

/* Folders nest no deeper than this below a watched folder: a deeper one
 * (or a loop of bind mounts) is not watched, and the walk stays bounded. */
#define WATCH_MAX_DEPTH 64
/* inotify's own default limit per user is 8192 or more; a site with more
 * folders than this is not watched past it, and serve says so. */
#define WATCH_MAX_FOLDERS 100000

#define WATCH_MASK (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | \
		    IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

struct watch {
	int fd;
	/* The folder of each watch descriptor, indexed by it: the kernel
	 * hands them out in increasing order from 1. */
	char **paths;
	int npaths;
	size_t nfolders;
	/* What changed since watch_forget: "folder/name" NUL-separated, or
	 * unknown when that cannot be told as a short list of files. */
	struct buf changes;
	size_t nchanges;
	bool unknown;
};

static int add_folder(struct watch *w, const char *path, int depth, struct diag_list *diags);

static int add_children(struct watch *w, const char *path, int depth, struct diag_list *diags)
{
	DIR *d = opendir(path);
	if (!d)
		return 0; /* removed meanwhile: its parent's event says so */
	int rc = 0;
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *child = xasprintf("%s/%s", path, e->d_name);
		struct stat st;
		/* lstat: a link to a folder is not followed, as the build does not. */
		if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
			rc = add_folder(w, child, depth + 1, diags);
		free(child);
	}
	closedir(d);
	return rc;
}

static int add_folder(struct watch *w, const char *path, int depth, struct diag_list *diags)
{
	if (depth > WATCH_MAX_DEPTH)
		return 0;
	if (w->nfolders >= WATCH_MAX_FOLDERS) {
		diag_error(diags, path, 0, 0, "more than %d folders to watch", WATCH_MAX_FOLDERS);
		return -1;
	}
	int wd = inotify_add_watch(w->fd, path, WATCH_MASK | IN_DONT_FOLLOW);
	if (wd < 0) {
		if ((errno == ENOENT || errno == ENOTDIR) && depth > 0)
			return 0; /* removed meanwhile: its parent's event says so */
		char why[ERRNO_TEXT_MAX];
		diag_error(diags, path, 0, 0, "cannot watch this folder for changes: %s%s",
			   errno_text(errno, why),
			   errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
		return -1;
	}
	if (wd >= w->npaths) {
		int n = w->npaths ? w->npaths : 64;
		while (n <= wd)
			n *= 2;
		w->paths = xrealloc(w->paths, (size_t)n * sizeof *w->paths);
		memset(w->paths + w->npaths, 0, (size_t)(n - w->npaths) * sizeof *w->paths);
		w->npaths = n;
	}
	if (!w->paths[wd]) {
		w->paths[wd] = xstrdup(path);
		w->nfolders++;
	}
	return add_children(w, path, depth, diags);
}

struct watch *watch_open(const char *const *dirs, size_t ndirs, struct diag_list *diags)
{
	struct watch *w = xcalloc(1, sizeof *w);
	buf_init(&w->changes);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		char why[ERRNO_TEXT_MAX];
		diag_error(diags, dirs[0], 0, 0, "cannot watch for changes: %s",
			   errno_text(errno, why));
		free(w);
		return NULL;
	}
	for (size_t i = 0; i < ndirs; i++) {
		if (add_folder(w, dirs[i], 0, diags)) {
			watch_close(w);
			return NULL;
		}
	}
	return w;
}

int watch_fd(const struct watch *w)
{
	return w->fd;
}

#endif

/* Names editors write while saving and that no build reads: vim's swap
 * files and its "4913" probe, Emacs's lock and backup files. */
bool watch_ignored(const char *name)
{
	size_t n = strlen(name);
	if (n == 0)
		return false;
	if (strcmp(name, "4913") == 0 || strncmp(name, ".#", 2) == 0 || name[n - 1] == '~')
		return true;
	return n > 4 && name[0] == '.' && name[n - 4] == '.' && name[n - 3] == 's' &&
	       name[n - 2] == 'w';
}

#if PLATFORM_LINUX

/* Adds the file an event names to the list of changes; a folder, or
 * more than WATCH_MAX_CHANGES files, make what changed unknown. */
static void note_change(struct watch *w, const struct inotify_event *e, const char *name)
{
	if (w->unknown)
		return;
	if (!*name || (e->mask & IN_ISDIR) || e->wd < 0 || e->wd >= w->npaths ||
	    !w->paths[e->wd] || w->nchanges >= WATCH_MAX_CHANGES) {
		w->unknown = true;
		return;
	}
	buf_printf(&w->changes, "%s/%s", w->paths[e->wd], name);
	buf_putc(&w->changes, '\0');
	w->nchanges++;
}

const char *watch_changes(const struct watch *w, size_t *n)
{
	*n = w->unknown ? 0 : w->nchanges;
	return w->unknown ? NULL : w->changes.ptr;
}

void watch_forget(struct watch *w)
{
	buf_truncate(&w->changes, 0);
	w->nchanges = 0;
	w->unknown = false;
}

int watch_read(struct watch *w)
{
	_Alignas(struct inotify_event) char buf[16384];
	int changed = 0;
	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof buf);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? changed : -1;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (const struct inotify_event *)(void *)p;
			p += sizeof *e + e->len;
			if (e->mask & IN_Q_OVERFLOW) {
				changed = 1; /* events were lost: rebuild anyway */
				w->unknown = true;
				continue;
			}
			if (e->mask & IN_IGNORED) {
				if (e->wd >= 0 && e->wd < w->npaths && w->paths[e->wd]) {
					free(w->paths[e->wd]);
					w->paths[e->wd] = NULL;
					w->nfolders--;
				}
				continue;
			}
			const char *name = e->len ? e->name : "";
			if (watch_ignored(name))
				continue;
			changed = 1;
			note_change(w, e, name);
			if ((e->mask & IN_ISDIR) && (e->mask & (IN_CREATE | IN_MOVED_TO)) &&
			    e->wd >= 0 && e->wd < w->npaths && w->paths[e->wd]) {
				char *path = xasprintf("%s/%s", w->paths[e->wd], name);
				struct diag_list ignore;
				diag_list_init(&ignore);
				/* A folder past the limits stays unwatched; the
				 * next build still reads it. */
				add_folder(w, path, 1, &ignore);
				diag_list_free(&ignore);
				free(path);
			}
		}
	}
}

void watch_close(struct watch *w)
{
	if (!w)
		return;
	close(w->fd);
	buf_free(&w->changes);
	for (int i = 0; i < w->npaths; i++)
		free(w->paths[i]);
	free(w->paths);
	free(w);
}

#endif
