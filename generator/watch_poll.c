/* SPDX-License-Identifier: MIT */
/* watch: changes under content/ and templates/ found by looking again
 * (watch.h), for systems without inotify (platform.h). */
#include "watch.h"

#include "platform.h"

#if !PLATFORM_LINUX

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* Folders nest no deeper than this below a watched folder, as in watch.c. */
#define WATCH_MAX_DEPTH 64
/* Files and folders one look remembers: about 100 bytes each, and two
 * looks are held while they are compared, so a watch takes at most some
 * 20 MB. A site with more is watched up to this many, and serve says so. */
#define WATCH_MAX_ENTRIES 100000
/* The pause between two looks: at least WATCH_POLL_MIN_MS, so a save
 * shows in the browser within a quarter second; WATCH_POLL_RATIO times
 * what the last look took, so looking takes at most a fifth of one core
 * on a large site; and never more than WATCH_POLL_MAX_MS. */
#define WATCH_POLL_MIN_MS 250
#define WATCH_POLL_MAX_MS 2000
#define WATCH_POLL_RATIO 4
/* After a look that found a change, the next comes this soon, and the
 * change is told when it finds nothing more, or WATCH_SETTLE_MAX_MS after
 * the first change for a program that writes all the time. */
#define WATCH_SETTLE_MS 50
#define WATCH_SETTLE_MAX_MS 1000

/* What one look saw of a file or folder. */
struct entry {
	size_t at; /* its path in look.names */
	uint64_t ino;
	int64_t size, mtime_s, mtime_ns, ctime_s, ctime_ns;
	bool dir;
};

/* Everything below the watched folders at one moment, sorted by path. */
struct look {
	struct buf names; /* the paths, NUL-terminated one after another */
	struct entry *e;
	size_t n, cap;
	bool full; /* more than WATCH_MAX_ENTRIES: the rest was not seen */
};

/* What changed: "folder/name" NUL-separated, or unknown (see watch.h). */
struct changes {
	struct buf list;
	size_t n;
	bool any, unknown;
};

struct watch {
	char **dirs;
	size_t ndirs;
	struct look last; /* the looking thread's only */
	int pipe[2];      /* a byte in it says that pending has something */
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;              /* under lock */
	struct changes pending; /* under lock: found since the last watch_read */
	struct changes seen;    /* the caller's: since watch_forget */
};

static void changes_clear(struct changes *c)
{
	buf_truncate(&c->list, 0);
	c->n = 0;
	c->any = c->unknown = false;
}

/* Adds what src holds to dst; past WATCH_MAX_CHANGES files, dst's list
 * becomes unknown. */
static void changes_add(struct changes *dst, const struct changes *src)
{
	dst->any |= src->any;
	if (dst->unknown || src->unknown || dst->n + src->n > WATCH_MAX_CHANGES) {
		dst->unknown = true;
		return;
	}
	buf_put(&dst->list, src->list.ptr, src->list.len);
	dst->n += src->n;
}

static void add_entry(struct look *l, const char *path, const struct stat *st)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->e = xrealloc(l->e, l->cap * sizeof *l->e);
	}
	l->e[l->n++] = (struct entry){
		.at = l->names.len,
		.ino = (uint64_t)st->st_ino,
		.size = (int64_t)st->st_size,
		.mtime_s = (int64_t)st->st_mtim.tv_sec,
		.mtime_ns = (int64_t)st->st_mtim.tv_nsec,
		.ctime_s = (int64_t)st->st_ctim.tv_sec,
		.ctime_ns = (int64_t)st->st_ctim.tv_nsec,
		.dir = S_ISDIR(st->st_mode),
	};
	buf_put(&l->names, path, strlen(path) + 1);
}

static void look_folder(struct look *l, const char *path, int depth)
{
	if (depth > WATCH_MAX_DEPTH)
		return;
	DIR *d = opendir(path);
	if (!d)
		return; /* removed meanwhile: its entry is gone from the look */
	for (struct dirent *e; !l->full && (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    watch_ignored(e->d_name))
			continue;
		if (l->n >= WATCH_MAX_ENTRIES) {
			l->full = true;
			break;
		}
		char *child = xasprintf("%s/%s", path, e->d_name);
		struct stat st;
		/* lstat: a link to a folder is not followed, as the build does not. */
		if (lstat(child, &st) == 0) {
			add_entry(l, child, &st);
			if (S_ISDIR(st.st_mode))
				look_folder(l, child, depth + 1);
		}
		free(child);
	}
	closedir(d);
}

static const char *path_of(const struct look *l, size_t i)
{
	return l->names.ptr + l->e[i].at;
}

/* Sorts e[0..n) by path with a merge sort (POSIX has no qsort_r, and
 * qsort could not be given the names); tmp holds n entries. */
static void sort_entries(struct entry *e, struct entry *tmp, size_t n, const char *names)
{
	if (n < 2)
		return;
	size_t half = n / 2;
	sort_entries(e, tmp, half, names);
	sort_entries(e + half, tmp, n - half, names);
	size_t i = 0, j = half, k = 0;
	while (i < half && j < n)
		tmp[k++] = strcmp(names + e[j].at, names + e[i].at) < 0 ? e[j++] : e[i++];
	while (i < half)
		tmp[k++] = e[i++];
	memcpy(e, tmp, k * sizeof *e);
}

/* Looks at every folder of w. Returns 0, or -1 with errno when a watched
 * folder itself cannot be read, its index in *bad. */
static int look_take(const struct watch *w, struct look *l, size_t *bad)
{
	*l = (struct look){ .full = false };
	buf_init(&l->names);
	int rc = 0, err = 0;
	for (size_t i = 0; i < w->ndirs; i++) {
		struct stat st;
		bool found = stat(w->dirs[i], &st) == 0;
		if (found && S_ISDIR(st.st_mode)) {
			add_entry(l, w->dirs[i], &st);
			look_folder(l, w->dirs[i], 0);
		} else if (rc == 0) {
			err = found ? ENOTDIR : errno;
			*bad = i;
			rc = -1;
		}
	}
	struct entry *tmp = xmalloc((l->n ? l->n : 1) * sizeof *tmp);
	sort_entries(l->e, tmp, l->n, l->names.ptr);
	free(tmp);
	errno = err;
	return rc;
}

static void look_free(struct look *l)
{
	buf_free(&l->names);
	free(l->e);
}

static bool same_stamp(const struct entry *a, const struct entry *b)
{
	return a->ino == b->ino && a->size == b->size && a->mtime_s == b->mtime_s &&
	       a->mtime_ns == b->mtime_ns && a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

/* A file that appeared, went or changed; a folder that appeared or went
 * makes the list unknown, as in watch.c. */
static void note(struct changes *c, const struct look *l, size_t i)
{
	c->any = true;
	if (l->e[i].dir || c->n >= WATCH_MAX_CHANGES) {
		c->unknown = true;
		return;
	}
	buf_puts(&c->list, path_of(l, i));
	buf_putc(&c->list, '\0');
	c->n++;
}

/* A file replaced by another (a new inode: saved by writing a temporary
 * file and renaming it over) makes the list unknown, as inotify's events
 * naming the temporary file do in watch.c: serve behaves the same with
 * either watch. */
static void note_unknown(struct changes *c)
{
	c->any = c->unknown = true;
}

/* What differs between two looks, in one pass over both sorted lists.
 * A folder's own times change whenever a name in it does: only its names
 * count. */
static void compare(const struct look *a, const struct look *b, struct changes *c)
{
	size_t i = 0, j = 0;
	while (i < a->n || j < b->n) {
		int order = i == a->n ? 1 : j == b->n ? -1 : strcmp(path_of(a, i), path_of(b, j));
		if (order < 0) {
			note(c, a, i++);
		} else if (order > 0) {
			note(c, b, j++);
		} else {
			if (a->e[i].dir != b->e[j].dir)
				note(c, a->e[i].dir ? a : b, a->e[i].dir ? i : j);
			else if (!a->e[i].dir && a->e[i].ino != b->e[j].ino)
				note_unknown(c);
			else if (!a->e[i].dir && !same_stamp(&a->e[i], &b->e[j]))
				note(c, b, j);
			i++, j++;
		}
	}
	/* A look cut short may have seen other names than the last one. */
	if (c->any && (a->full || b->full))
		c->unknown = true;
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The looking thread: a look every pause, what changed into pending, and
 * a byte into the pipe so that the caller's poll wakes. */
static void *look_again(void *arg)
{
	struct watch *w = arg;
	unsigned pause_ms = WATCH_POLL_MIN_MS;
	struct changes found = { .any = false }, held = { .any = false };
	buf_init(&found.list);
	buf_init(&held.list);
	long held_since = 0;
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		struct timespec until = platform_deadline(pause_ms);
		int rc = 0;
		while (!w->stop && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&w->wake, &w->lock, &until);
		if (w->stop)
			break;
		pthread_mutex_unlock(&w->lock);
		long start = now_ms();
		struct look next;
		size_t bad;
		/* A watched folder gone (renamed while saving) is seen as
		 * every name in it gone: the build then says what is wrong. */
		look_take(w, &next, &bad);
		changes_clear(&found);
		compare(&w->last, &next, &found);
		look_free(&w->last);
		w->last = next;
		if (found.any && !held.any)
			held_since = start;
		changes_add(&held, &found);
		long took = now_ms() - start;
		long pause = took * WATCH_POLL_RATIO;
		if (pause < WATCH_POLL_MIN_MS)
			pause = WATCH_POLL_MIN_MS;
		if (pause > WATCH_POLL_MAX_MS)
			pause = WATCH_POLL_MAX_MS;
		/* A change is told once a look soon after finds nothing more:
		 * a file caught half written (a copy, an editor's several
		 * steps) then makes one build, not two. */
		bool settled = !found.any || start - held_since >= WATCH_SETTLE_MAX_MS;
		if (held.any && !settled)
			pause = WATCH_SETTLE_MS;
		pause_ms = (unsigned)pause;
		pthread_mutex_lock(&w->lock);
		if (held.any && settled) {
			changes_add(&w->pending, &held);
			changes_clear(&held);
			/* Full means a byte is already waiting: nothing is lost. */
			ssize_t n = write(w->pipe[1], "", 1);
			(void)n;
		}
	}
	pthread_mutex_unlock(&w->lock);
	buf_free(&found.list);
	buf_free(&held.list);
	return NULL;
}

static int set_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0)
		return -1;
	return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

struct watch *watch_open(const char *const *dirs, size_t ndirs, struct diag_list *diags)
{
	struct watch *w = xcalloc(1, sizeof *w);
	w->pipe[0] = w->pipe[1] = -1;
	buf_init(&w->pending.list);
	buf_init(&w->seen.list);
	w->dirs = xcalloc(ndirs ? ndirs : 1, sizeof *w->dirs);
	w->ndirs = ndirs;
	for (size_t i = 0; i < ndirs; i++)
		w->dirs[i] = xstrdup(dirs[i]);
	pthread_mutex_init(&w->lock, NULL);
	platform_cond_init(&w->wake);
	char why[ERRNO_TEXT_MAX];
	size_t bad = 0;
	if (look_take(w, &w->last, &bad) != 0) {
		diag_error(diags, dirs[bad], 0, 0, "cannot watch this folder for changes: %s",
			   errno_text(errno, why));
		watch_close(w);
		return NULL;
	}
	if (w->last.full) {
		diag_error(diags, dirs[0], 0, 0, "more than %d files and folders to watch",
			   WATCH_MAX_ENTRIES);
		watch_close(w);
		return NULL;
	}
	if (pipe(w->pipe) != 0 || set_flags(w->pipe[0]) != 0 || set_flags(w->pipe[1]) != 0) {
		diag_error(diags, dirs[0], 0, 0, "cannot watch for changes: %s",
			   errno_text(errno, why));
		watch_close(w);
		return NULL;
	}
	/* The looking thread takes no asynchronous signal: SIGINT and
	 * SIGTERM reach serve's thread, which stops the watch. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&w->thread, NULL, look_again, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		diag_error(diags, dirs[0], 0, 0, "cannot watch for changes: %s",
			   errno_text(rc, why));
		watch_close(w);
		return NULL;
	}
	w->started = true;
	return w;
}

int watch_fd(const struct watch *w)
{
	return w->pipe[0];
}

int watch_read(struct watch *w)
{
	char drain[64];
	while (read(w->pipe[0], drain, sizeof drain) > 0)
		;
	pthread_mutex_lock(&w->lock);
	int changed = w->pending.any;
	changes_add(&w->seen, &w->pending);
	changes_clear(&w->pending);
	pthread_mutex_unlock(&w->lock);
	return changed;
}

const char *watch_changes(const struct watch *w, size_t *n)
{
	*n = w->seen.unknown ? 0 : w->seen.n;
	return w->seen.unknown ? NULL : w->seen.list.ptr;
}

void watch_forget(struct watch *w)
{
	changes_clear(&w->seen);
}

void watch_close(struct watch *w)
{
	if (!w)
		return;
	if (w->started) {
		pthread_mutex_lock(&w->lock);
		w->stop = true;
		pthread_cond_signal(&w->wake);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
	}
	for (int i = 0; i < 2; i++) {
		if (w->pipe[i] >= 0)
			close(w->pipe[i]);
	}
	look_free(&w->last);
	buf_free(&w->pending.list);
	buf_free(&w->seen.list);
	for (size_t i = 0; i < w->ndirs; i++)
		free(w->dirs[i]);
	free(w->dirs);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

#endif
