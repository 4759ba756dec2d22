/* SPDX-License-Identifier: MIT */
#include "output.h"

#include <pthread.h>
#include <time.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hmap.h"
#include "platform.h"
#include "util.h"

/* The folder of the staging folder where files are staged at their paths. */
#define STAGED_FILES "files"

static const char marker_text[] =
	"This folder was written by sapan, a static site generator. Each build\n"
	"updates it; .sapan-manifest lists the files sapan wrote. Keep your own\n"
	"files in the content folder: sapan copies them here.\n";

/* True if name is prefix followed by the six letters or digits mkdtemp
 * puts in place of XXXXXX: only such names are ever removed. */
static bool is_leftover_name(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(name, prefix, n) != 0)
		return false;
	const char *x = name + n;
	size_t len = strspn(x, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	return len == 6 && x[6] == '\0';
}

/* True if the folder open as dir holds the marker as a regular file. */
static bool has_marker_at(int dir)
{
	struct stat st;
	return fstatat(dir, OUTPUT_MARKER, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/* 1 if the folder at path holds nothing, 0 if it holds something, -1 if
 * it cannot be read. Reads at most three entries. */
static int is_empty(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int empty = 1;
	struct dirent *e;
	while (empty && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = 0;
	}
	closedir(d);
	return empty;
}

void output_remove_leftovers(const char *dir, const char *name_prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!is_leftover_name(e->d_name, name_prefix))
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		/* Another user's folder in a shared /tmp is not ours to judge. */
		bool ours = fd >= 0 && fstat(fd, &st) == 0 && st.st_uid == geteuid();
		if (ours && flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (has_marker_at(fd))
				output_remove_tree(path);
			else
				rmdir(path); /* removes it only if it is empty */
		}
		if (fd >= 0)
			close(fd);
		free(path);
	}
	if (d)
		closedir(d);
}

/*
 * Removes the site.new-XXXXXX and site.old-XXXXXX folders beside output
 * that builds killed with SIGKILL (or by a power cut) left behind. A
 * site.old-* folder is the previous site moved aside by the fallback in
 * output_commit; it is removed only while output exists, since otherwise
 * it may be the only copy of the site.
 */
static void remove_stale(const char *output)
{
	size_t n = strlen(output);
	while (n > 1 && output[n - 1] == '/')
		n--;
	char *path = xstrndup(output, n);
	char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	struct stat st;
	bool output_exists = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	char *prefix = xasprintf("%s.new-", base);
	output_remove_leftovers(dir, prefix);
	free(prefix);
	if (output_exists) {
		prefix = xasprintf("%s.old-", base);
		output_remove_leftovers(dir, prefix);
		free(prefix);
	}
	free(dir);
	free(path);
}

/* Writes the marker into the folder open as dir. Returns 0 or -1 (errno). */
static int write_marker(int dir)
{
	int fd = openat(dir, OUTPUT_MARKER, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, marker_text, sizeof marker_text - 1);
	int err = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	errno = err;
	return rc;
}

char *output_make_folder(const char *prefix, int *lock)
{
	*lock = -1;
	char *tmp = xasprintf("%sXXXXXX", prefix);
	if (!mkdtemp(tmp)) {
		free(tmp);
		return NULL;
	}
	/* mkdtemp makes the folder private; a site is meant to be served. */
	chmod(tmp, 0755);
	/* The lock tells other processes that this folder is in use; the
	 * kernel drops it when this process ends, however it ends. The marker
	 * comes next, so a folder left by a killed run is always either empty
	 * or marked, and so removable by a later one. */
	int fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 && write_marker(fd) == 0) {
		*lock = fd;
		return tmp;
	}
	int err = errno;
	if (fd >= 0)
		close(fd);
	output_remove_tree(tmp);
	free(tmp);
	errno = err;
	return NULL;
}

void output_unlock(int lock)
{
	if (lock >= 0)
		close(lock);
}

/*
 * Opens path for reading, refusing anything but a regular file. O_NONBLOCK
 * makes opening a FIFO return at once instead of waiting for a writer, so
 * a file swapped for a FIFO after the content scan cannot hang the build.
 * Returns the descriptor, or -1 with an error.
 */
static int open_regular(const char *path, struct diag_list *diags)
{
	char why[ERRNO_TEXT_MAX];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		diag_error(diags, path, 0, 0, "cannot read: %s", errno_text(errno, why));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(diags, path, 0, 0, "is not a regular file and cannot be copied");
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads from fd until its end, handing each chunk to put. Returns 0, or -1
 * with errno set by read or put. */
static int read_chunks(int fd, int (*put)(void *ctx, const char *data, size_t len), void *ctx)
{
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (int)n;
		if (put(ctx, chunk, (size_t)n) != 0)
			return -1;
	}
}

static int put_buf(void *ctx, const char *data, size_t len)
{
	buf_put(ctx, data, len);
	return 0;
}

static int put_fd(void *ctx, const char *data, size_t len)
{
	return write_all(*(int *)ctx, data, len);
}

int output_read_file(const char *path, struct buf *out, struct diag_list *diags)
{
	char why[ERRNO_TEXT_MAX];
	int fd = open_regular(path, diags);
	if (fd < 0)
		return -1;
	int rc = read_chunks(fd, put_buf, out);
	if (rc != 0)
		diag_error(diags, path, 0, 0, "cannot read: %s", errno_text(errno, why));
	close(fd);
	return rc;
}

/*
 * Removes name (in the folder parent) and everything below it. Each folder is
 * opened with O_NOFOLLOW and read through its descriptor, so a folder
 * replaced by a symbolic link while this runs is unlinked, never followed.
 */
static int remove_at(int parent, const char *name)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOTDIR || errno == ELOOP)
			return unlinkat(parent, name, 0);
		return errno == ENOENT ? 0 : -1;
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (remove_at(dirfd(d), e->d_name) != 0)
			rc = -1;
	}
	closedir(d);
	if (unlinkat(parent, name, AT_REMOVEDIR) != 0)
		rc = -1;
	return rc;
}

int output_remove_tree(const char *path)
{
	return remove_at(AT_FDCWD, path);
}

/* True if the folder at path is sapan's to write into: marked or empty. */
static bool is_ours(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool ours = fd >= 0 && has_marker_at(fd);
	if (fd >= 0)
		close(fd);
	return ours || is_empty(path) == 1;
}

/* ---- updating the output in place ---- */

/* A manifest is read whole; this bounds it (some 1.5 million paths). */
#define MANIFEST_MAX (64u << 20)
/* Folders deeper than this are not walked when a folder without a
 * manifest is taken over: a site is a few levels deep, and the bound
 * keeps a crafted tree from exhausting descriptors. */
#define WALK_MAX_DEPTH 32

static const char manifest_header[] = "sapan-manifest 1\n";

/* One file this build gives the output. */
struct entry {
	char *rel;
	bool staged; /* at STAGED_FILES/rel in the staging folder; false: unchanged */
};

struct output {
	char *path;           /* as given, without trailing slashes */
	int root;             /* the output folder; holds the lock */
	bool created_root;    /* this build made the folder */
	bool wrote_marker;    /* ... or put the marker in an empty one */
	bool committed;
	bool had_manifest;    /* old came from OUTPUT_MANIFEST, not a walk */
	long commit_delay_ms; /* SAPAN_TEST_COMMIT_DELAY_MS; 0 normally */
	struct hmap old;      /* the last build's files (value: the map itself) */
	pthread_mutex_t mutex; /* guards everything below */
	int staging;          /* the staging folder, -1 until a file differs */
	int staged_files;     /* its STAGED_FILES folder */
	char staging_name[sizeof OUTPUT_STAGING + 6];
	unsigned long seq;    /* the last staged manifest's name */
	void (*staged)(void *ctx, const char *rel, const char *path); /* may be NULL */
	void *staged_ctx;
	struct entry *entries;
	size_t nentries, entries_cap;
	struct output_counts counts;
	char **gone;          /* after the commit: the files it deleted (keys of old) */
	size_t ngone;
};

/*
 * Opens the folder that holds rel (below root), one component at a time
 * and never through a symbolic link, creating missing folders when create
 * is set. *base receives rel's last component. Returns a descriptor (root
 * itself is duplicated), or -1 with errno set.
 */
static int open_parent(int root, const char *rel, bool create, const char **base)
{
	int dir = dup(root);
	const char *p = rel;
	for (;;) {
		const char *slash = strchr(p, '/');
		if (!slash || dir < 0)
			break;
		char *name = xstrndup(p, (size_t)(slash - p));
		if (create && mkdirat(dir, name, 0755) != 0 && errno != EEXIST) {
			int err = errno;
			free(name);
			close(dir);
			errno = err;
			return -1;
		}
		int next = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int err = errno;
		free(name);
		close(dir);
		errno = err;
		dir = next;
		p = slash + 1;
	}
	*base = p;
	return dir;
}

/* Opens rel below root for reading without following a symbolic link.
 * Returns a descriptor or -1 with errno set (ELOOP: a link is in the way). */
static int open_beneath(int root, const char *rel)
{
	int flags = O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC;
	int fd = platform_open_beneath(root, rel, flags, 0);
	if (fd >= 0 || errno != ENOSYS)
		return fd;
	const char *base;
	int dir = open_parent(root, rel, false, &base);
	if (dir < 0)
		return -1;
	fd = openat(dir, base, flags);
	int err = errno;
	close(dir);
	errno = err;
	return fd;
}

/* What is at a path the build writes. */
enum existing { EXISTING_NONE, EXISTING_SAME, EXISTING_OTHER, EXISTING_FOLDER };

/* Reads exactly len bytes into p. Returns 0, or -1 at the end or on error. */
static int read_full(int fd, char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Compares the file at rel with data (or, when data is NULL, with the
 * open regular file src of size len), reading both in chunks.
 */
static enum existing compare(const struct output *out, const char *rel, const char *data,
			     int src, size_t len)
{
	int fd = open_beneath(out->root, rel);
	if (fd < 0)
		return errno == ENOENT ? EXISTING_NONE : EXISTING_OTHER;
	struct stat st;
	enum existing e = EXISTING_OTHER;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len) {
		if (S_ISDIR(st.st_mode))
			e = EXISTING_FOLDER;
		close(fd);
		return e;
	}
	char mine[65536], theirs[65536];
	size_t done = 0;
	while (done < len) {
		size_t n = len - done < sizeof mine ? len - done : sizeof mine;
		if (read_full(fd, mine, n) != 0)
			break;
		if (data ? memcmp(mine, data + done, n) != 0
			 : read_full(src, theirs, n) != 0 || memcmp(mine, theirs, n) != 0)
			break;
		done += n;
	}
	/* One byte more would mean the file grew since fstat. */
	if (done == len && read(fd, mine, 1) == 0)
		e = EXISTING_SAME;
	close(fd);
	return e;
}

static void add_entry(struct output *out, const char *rel, bool staged)
{
	out->entries = xgrow(out->entries, &out->entries_cap, out->nentries + 1,
			     sizeof *out->entries);
	out->entries[out->nentries++] = (struct entry){ xstrdup(rel), staged };
	if (staged)
		out->counts.written++;
	else
		out->counts.unchanged++;
}

/* Creates the staging folder and its STAGED_FILES folder on first use;
 * returns the staging folder's descriptor, or -1. Takes the mutex. */
static int staging_folder(struct output *out)
{
	pthread_mutex_lock(&out->mutex);
	if (out->staging < 0) {
		char *tmp = xasprintf("%s/%sXXXXXX", out->path, OUTPUT_STAGING);
		if (mkdtemp(tmp)) {
			memcpy(out->staging_name, strrchr(tmp, '/') + 1, sizeof out->staging_name);
			out->staging = openat(out->root, out->staging_name,
					      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (out->staging >= 0 && mkdirat(out->staging, STAGED_FILES, 0755) == 0)
				out->staged_files = openat(out->staging, STAGED_FILES,
							   O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
								   O_CLOEXEC);
		}
		free(tmp);
	}
	int dir = out->staged_files >= 0 ? out->staging : -1;
	pthread_mutex_unlock(&out->mutex);
	return dir;
}

/* Creates a new manifest in the staging folder and returns it open for
 * writing, its name in *seq; -1 with errno. */
static int stage_manifest(struct output *out, unsigned long *seq)
{
	int dir = staging_folder(out);
	if (dir < 0)
		return -1;
	pthread_mutex_lock(&out->mutex);
	*seq = ++out->seq;
	pthread_mutex_unlock(&out->mutex);
	char name[24];
	snprintf(name, sizeof name, "%lu", *seq);
	return openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
}

/*
 * Creates rel in the staging folder's STAGED_FILES tree, with the folders
 * on its way, and returns it open for writing; -1 with errno. Files are
 * staged at their own paths so that a folder new to the output goes in
 * place whole, with one rename (place), and its folders are made here,
 * on the render threads, rather than one by one in the commit. The
 * staging folder is this build's own (mkdtemp, mode 0700), so nothing in
 * it is a link; its folders are still opened without following any.
 */
static int stage_file(struct output *out, const char *rel)
{
	if (staging_folder(out) < 0)
		return -1;
	const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	int fd = platform_open_beneath(out->staged_files, rel, flags, 0644);
	if (fd >= 0 || (errno != ENOENT && errno != ENOSYS))
		return fd;
	/* Mostly only the file's own folder is missing (a page's folder):
	 * one mkdirat makes it; else each folder on the way is made. */
	const char *slash = strrchr(rel, '/');
	if (slash && errno == ENOENT) {
		char *parent = xstrndup(rel, (size_t)(slash - rel));
		int made = mkdirat(out->staged_files, parent, 0755);
		free(parent);
		if (made == 0) {
			fd = platform_open_beneath(out->staged_files, rel, flags, 0644);
			if (fd >= 0 || errno != ENOENT)
				return fd;
		}
	}
	const char *base;
	int dir = open_parent(out->staged_files, rel, true, &base);
	if (dir < 0)
		return -1;
	fd = openat(dir, base, flags, 0644);
	int err = errno;
	close(dir);
	errno = err;
	return fd;
}

/* Records rel as unchanged, or refuses a file of the user's in its way,
 * or stages a new file through put. */
static int give(struct output *out, const char *rel, enum existing e,
		int (*put)(int fd, void *ctx), void *ctx, const char *what,
		struct diag_list *diags)
{
	char why[ERRNO_TEXT_MAX];
	if (e == EXISTING_SAME) {
		pthread_mutex_lock(&out->mutex);
		add_entry(out, rel, false);
		pthread_mutex_unlock(&out->mutex);
		return 0;
	}
	if (e == EXISTING_OTHER && !hmap_get(&out->old, rel)) {
		diag_error(diags, what, 0, 0,
			   "would replace %s/%s, which sapan did not write; move that file "
			   "out of the output folder, then build again", out->path, rel);
		return -1;
	}
	int fd = stage_file(out, rel);
	int rc = fd >= 0 ? put(fd, ctx) : -1;
	int err = errno;
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	if (rc) {
		diag_error(diags, what, 0, 0, "cannot write %s/%s: %s", out->path, rel,
			   errno_text(err, why));
		return -1;
	}
	pthread_mutex_lock(&out->mutex);
	add_entry(out, rel, true);
	pthread_mutex_unlock(&out->mutex);
	if (out->staged) {
		char *path = xasprintf("%s/%s/%s/%s", out->path, out->staging_name, STAGED_FILES, rel);
		out->staged(out->staged_ctx, rel, path);
		free(path);
	}
	return 0;
}

void output_on_staged(struct output *out,
		      void (*staged)(void *ctx, const char *rel, const char *path), void *ctx)
{
	out->staged = staged;
	out->staged_ctx = ctx;
}

struct data {
	const char *ptr;
	size_t len;
};

static int put_data(int fd, void *ctx)
{
	const struct data *d = ctx;
	return write_all(fd, d->ptr, d->len);
}

int output_write(struct output *out, const char *rel, const char *data, size_t len,
		 struct diag_list *diags)
{
	struct data d = { data, len };
	char *what = xasprintf("%s/%s", out->path, rel);
	int rc = give(out, rel, compare(out, rel, data, -1, len), put_data, &d, what, diags);
	free(what);
	return rc;
}

static int put_copy(int fd, void *ctx)
{
	int in = *(int *)ctx;
	if (lseek(in, 0, SEEK_SET) != 0)
		return -1;
	return read_chunks(in, put_fd, &fd);
}

/* Streams the file in chunks, so a large PDF or video costs no memory. */
int output_stamp(struct output *out, const char *rel, struct output_stamp *stamp)
{
	int fd = open_beneath(out->root, rel);
	if (fd < 0)
		return -1;
	struct stat st;
	int rc = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? 0 : -1;
	close(fd);
	if (rc == 0)
		*stamp = (struct output_stamp){ (uint64_t)st.st_ino, (int64_t)st.st_size,
						(int64_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
						(int64_t)st.st_ctim.tv_sec, st.st_ctim.tv_nsec };
	return rc;
}

int output_keep(struct output *out, const char *rel, const struct output_stamp *expect)
{
	struct output_stamp now;
	if (!hmap_get(&out->old, rel) || output_stamp(out, rel, &now) != 0 ||
	    memcmp(&now, expect, sizeof now) != 0)
		return -1;
	pthread_mutex_lock(&out->mutex);
	add_entry(out, rel, 0);
	pthread_mutex_unlock(&out->mutex);
	return 0;
}

void output_keep_rest(struct output *out)
{
	struct hmap mine;
	hmap_init(&mine);
	pthread_mutex_lock(&out->mutex);
	for (size_t i = 0; i < out->nentries; i++)
		hmap_put(&mine, out->entries[i].rel, out);
	for (size_t i = 0; i < out->old.cap; i++) {
		const char *rel = out->old.slots[i].key;
		if (rel && !hmap_get(&mine, rel))
			add_entry(out, rel, false);
	}
	pthread_mutex_unlock(&out->mutex);
	hmap_free(&mine);
}

int output_copy(struct output *out, const char *rel, const char *src, struct diag_list *diags)
{
	int in = open_regular(src, diags);
	struct stat st;
	if (in < 0)
		return -1;
	enum existing e = EXISTING_OTHER;
	if (fstat(in, &st) == 0)
		e = compare(out, rel, NULL, in, (size_t)st.st_size);
	int rc = give(out, rel, e, put_copy, &in, src, diags);
	close(in);
	return rc;
}

void output_counts(const struct output *out, struct output_counts *c)
{
	*c = out->counts;
}

/* ---- the manifest ---- */

/* True if rel may name a file sapan writes: relative, no empty, "." or
 * ".." component, and not one of sapan's own files in the output root. */
static bool is_plain_rel(const char *rel)
{
	if (!*rel || str_has_prefix(rel, ".sapan-"))
		return false;
	for (const char *p = rel;;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!p[n])
			return true;
		p += n + 1;
	}
}

/* Parses the manifest text into out->old. A path may hold any byte but
 * NUL: "\\" and a newline are written "\\\\" and "\\n". Returns 0, or the
 * number of the first bad line. */
static size_t parse_manifest(struct output *out, char *text, size_t len)
{
	size_t hl = sizeof manifest_header - 1;
	if (len < hl || memcmp(text, manifest_header, hl) != 0 || memchr(text, '\0', len))
		return 1;
	size_t line = 1;
	char *p = text + hl, *end = text + len;
	struct buf rel = BUF_INIT;
	size_t bad = 0;
	while (p < end && !bad) {
		line++;
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			bad = line;
			break;
		}
		buf_truncate(&rel, 0);
		for (char *c = p; c < nl && !bad; c++) {
			if (*c != '\\')
				buf_putc(&rel, *c);
			else if (c + 1 < nl && (c[1] == '\\' || c[1] == 'n'))
				buf_putc(&rel, *++c == 'n' ? '\n' : '\\');
			else
				bad = line;
		}
		if (!bad && !is_plain_rel(rel.ptr))
			bad = line;
		if (!bad)
			hmap_put(&out->old, rel.ptr, &out->old);
		p = nl + 1;
	}
	buf_free(&rel);
	return bad;
}

static void manifest_put(struct buf *b, const char *rel)
{
	for (const char *c = rel; *c; c++) {
		if (*c == '\\')
			buf_puts(b, "\\\\");
		else if (*c == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *c);
	}
	buf_putc(b, '\n');
}

/* Adds every regular file below the folder dir (rel is its path in the
 * output, "" for the root) to out->old: the files of a folder built by a
 * version of sapan without a manifest. */
static void walk_old(struct output *out, int dir, const char *rel, int depth)
{
	DIR *d = fdopendir(dir);
	if (!d) {
		close(dir);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    (depth == 0 && str_has_prefix(e->d_name, ".sapan-")))
			continue;
		char *path = xasprintf("%s%s", rel, e->d_name);
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			/* gone meanwhile */
		} else if (S_ISREG(st.st_mode)) {
			hmap_put(&out->old, path, &out->old);
		} else if (S_ISDIR(st.st_mode) && depth < WALK_MAX_DEPTH) {
			int sub = openat(dirfd(d), e->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0) {
				char *subrel = xasprintf("%s/", path);
				walk_old(out, sub, subrel, depth + 1);
				free(subrel);
			}
		}
		free(path);
	}
	closedir(d);
}

/* Reads the last build's list of files into out->old. Returns 0 or -1
 * with an error. */
static int load_old(struct output *out, struct diag_list *diags)
{
	char why[ERRNO_TEXT_MAX];
	int fd = openat(out->root, OUTPUT_MANIFEST, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		int dir = openat(out->root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir >= 0)
			walk_old(out, dir, "", 0);
		return 0;
	}
	char *name = xasprintf("%s/%s", out->path, OUTPUT_MANIFEST);
	struct stat st;
	struct buf text = BUF_INIT;
	size_t bad = 0;
	int rc = -1;
	if (fd < 0 || fstat(fd, &st) != 0) {
		diag_error(diags, name, 0, 0, "cannot read: %s", errno_text(errno, why));
	} else if (!S_ISREG(st.st_mode) || st.st_size > (off_t)MANIFEST_MAX) {
		bad = 1;
	} else if (read_chunks(fd, put_buf, &text) != 0) {
		diag_error(diags, name, 0, 0, "cannot read: %s", errno_text(errno, why));
	} else {
		bad = parse_manifest(out, text.ptr, text.len);
		rc = bad ? -1 : 0;
		out->had_manifest = true;
	}
	if (bad) {
		diag_error(diags, name, bad, 0,
			   "this list of the files sapan wrote is damaged, so sapan cannot tell "
			   "its files from yours; delete it, and sapan will take every file in "
			   "the folder as its own");
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	buf_free(&text);
	free(name);
	return rc;
}

/* Removes the staging folders that killed builds left in the root. */
static void remove_staging_leftovers(struct output *out)
{
	int dir = openat(out->root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dir >= 0 ? fdopendir(dir) : NULL;
	if (!d) {
		if (dir >= 0)
			close(dir);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (is_leftover_name(e->d_name, OUTPUT_STAGING))
			remove_at(out->root, e->d_name);
	}
	closedir(d);
}

/*
 * TEST HOOK ONLY: SAPAN_TEST_COMMIT_DELAY_MS=N makes output_commit sleep
 * N ms after each file it puts in place or deletes, so that
 * tests/e2e/incremental.sh can kill a build in the middle of a commit. It
 * changes no output and is not a user setting.
 */
static long test_commit_delay_ms(void)
{
	const char *v = getenv("SAPAN_TEST_COMMIT_DELAY_MS");
	long ms = v ? strtol(v, NULL, 10) : 0;
	return ms > 0 && ms <= 60000 ? ms : 0;
}

static void test_commit_delay(const struct output *out)
{
	if (out->commit_delay_ms <= 0)
		return;
	struct timespec ts = { out->commit_delay_ms / 1000,
			       (out->commit_delay_ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

struct output *output_begin(const char *output, struct diag_list *diags)
{
	char why[ERRNO_TEXT_MAX];
	remove_stale(output);
	struct output *out = xcalloc(1, sizeof *out);
	size_t n = strlen(output);
	while (n > 1 && output[n - 1] == '/')
		n--;
	out->path = xstrndup(output, n);
	out->root = out->staging = out->staged_files = -1;
	out->commit_delay_ms = test_commit_delay_ms();
	hmap_init(&out->old);
	pthread_mutex_init(&out->mutex, NULL);
	if (mkdir(out->path, 0755) == 0)
		out->created_root = true;
	else if (errno != EEXIST)
		goto fail;
	out->root = open(out->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (out->root < 0)
		goto fail;
	if (flock(out->root, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK)
			goto fail;
		diag_error(diags, output, 0, 0,
			   "another sapan build is writing this folder; wait until it ends, "
			   "then build again");
		goto refused;
	}
	/* output_check_place looked before the build; this looks again, under
	 * the lock, in case the folder changed meanwhile. */
	if (!has_marker_at(out->root)) {
		if (is_empty(out->path) != 1) {
			diag_error(diags, output, 0, 0,
				   "the output folder changed during the build and is no longer "
				   "sapan's (no %s file in it); build again", OUTPUT_MARKER);
			goto refused;
		}
		if (write_marker(out->root) != 0)
			goto fail;
		out->wrote_marker = true;
	}
	remove_staging_leftovers(out);
	if (load_old(out, diags) == 0)
		return out;
	goto refused;
fail:
	diag_error(diags, output, 0, 0, "cannot open the output folder: %s", errno_text(errno, why));
refused:
	output_end(out);
	return NULL;
}

static int by_rel(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->rel, ((const struct entry *)b)->rel);
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Writes the manifest listing the sorted paths (NULL entries skipped)
 * through the staging folder. Returns 0 or -1 with errno set. */
static int write_manifest(struct output *out, char **rels, size_t n)
{
	unsigned long seq;
	int fd = stage_manifest(out, &seq);
	if (fd < 0)
		return -1;
	struct buf text = BUF_INIT;
	buf_puts(&text, manifest_header);
	for (size_t i = 0; i < n; i++) {
		if (rels[i] && (i == 0 || !rels[i - 1] || strcmp(rels[i], rels[i - 1]) != 0))
			manifest_put(&text, rels[i]);
	}
	int rc = write_all(fd, text.ptr, text.len);
	buf_free(&text);
	if (close(fd) != 0)
		rc = -1;
	char name[24];
	snprintf(name, sizeof name, "%lu", seq);
	if (rc == 0)
		rc = renameat(out->staging, name, out->root, OUTPUT_MANIFEST);
	return rc;
}

/*
 * The folders open on the way to the last file put in place. Entries are
 * placed in sorted order, so the next file mostly shares them: this saves
 * a mkdirat and an openat per folder level and file on a first build.
 */
struct way {
	int fd[WALK_MAX_DEPTH + 1]; /* fd[0] is the root, not owned */
	size_t end[WALK_MAX_DEPTH + 1]; /* length of the path to fd[i] */
	size_t depth;
	const char *path; /* the rel whose folders these are */
};

static void way_close(struct way *w, size_t depth)
{
	while (w->depth > depth)
		close(w->fd[w->depth--]);
}

/*
 * Puts the staged file of e in place. The first of rel's folders that the
 * output does not have is put in place whole, by renaming its staged
 * folder, which holds every staged file below it (and only those: a file
 * left unchanged is in a folder the output has). *moved is then the length
 * of that folder's path, so that the caller skips the entries it held;
 * else 0. Returns 0 or -1 with errno set.
 */
static int place(struct output *out, struct way *w, const struct entry *e, size_t *moved)
{
	const char *rel = e->rel;
	*moved = 0;
	/* Keep the folders rel shares with the last path, whole names only. */
	size_t keep = 0;
	while (keep < w->depth && w->path && strncmp(rel, w->path, w->end[keep + 1]) == 0 &&
	       rel[w->end[keep + 1]] == '/')
		keep++;
	way_close(w, keep);
	w->path = rel;
	size_t at = w->depth ? w->end[w->depth] + 1 : 0;
	const char *slash;
	while ((slash = strchr(rel + at, '/'))) {
		if (w->depth == WALK_MAX_DEPTH) {
			errno = ENAMETOOLONG;
			return -1;
		}
		char *name = xstrndup(rel + at, (size_t)(slash - rel - at));
		int dir = w->fd[w->depth];
		int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT) {
			char *staged = xstrndup(rel, (size_t)(slash - rel));
			int rc = renameat(out->staged_files, staged, dir, name);
			free(staged);
			free(name);
			if (rc == 0)
				*moved = (size_t)(slash - rel);
			return rc;
		}
		free(name);
		if (fd < 0)
			return -1;
		w->fd[++w->depth] = fd;
		w->end[w->depth] = (size_t)(slash - rel);
		at = w->end[w->depth] + 1;
	}
	return renameat(out->staged_files, rel, w->fd[w->depth], rel + at);
}

/* True if rel is below the folder named by the first n bytes of dir. */
static bool is_below(const char *rel, const char *dir, size_t n)
{
	return n && strncmp(rel, dir, n) == 0 && rel[n] == '/';
}

/* Deletes the file rel, then each folder on its way that this leaves
 * empty. Returns 1 if a file was deleted. */
static int delete_old(struct output *out, const char *rel)
{
	const char *base;
	int dir = open_parent(out->root, rel, false, &base);
	if (dir < 0)
		return 0;
	int done = unlinkat(dir, base, 0) == 0;
	close(dir);
	char *path = xstrdup(rel);
	for (char *slash; done && (slash = strrchr(path, '/'));) {
		*slash = '\0';
		dir = open_parent(out->root, path, false, &base);
		if (dir < 0 || unlinkat(dir, base, AT_REMOVEDIR) != 0) {
			if (dir >= 0)
				close(dir);
			break;
		}
		close(dir);
	}
	free(path);
	return done;
}

int output_commit(struct output *out, struct diag_list *diags)
{
	char why[ERRNO_TEXT_MAX];
	if (out->nentries)
		qsort(out->entries, out->nentries, sizeof *out->entries, by_rel);
	struct hmap now;
	hmap_init(&now);
	bool grew = !out->had_manifest;
	for (size_t i = 0; i < out->nentries; i++) {
		hmap_put(&now, out->entries[i].rel, &now);
		grew |= !hmap_get(&out->old, out->entries[i].rel);
	}
	char **gone = xcalloc(out->old.len + 1, sizeof *gone);
	size_t ngone = 0;
	for (size_t i = 0; i < out->old.cap; i++) {
		const char *rel = out->old.slots[i].key;
		if (rel && !hmap_get(&now, rel))
			gone[ngone++] = out->old.slots[i].key;
	}
	qsort(gone, ngone, sizeof *gone, by_string);
	int rc = 0;
	/* First the union of both builds' files: whatever happens next, the
	 * manifest knows every file of sapan's that may be in the folder. */
	if (grew) {
		size_t n = out->nentries + ngone;
		char **all = xcalloc(n + 1, sizeof *all);
		for (size_t i = 0; i < out->nentries; i++)
			all[i] = out->entries[i].rel;
		memcpy(all + out->nentries, gone, ngone * sizeof *gone);
		qsort(all, n, sizeof *all, by_string);
		rc = write_manifest(out, all, n);
		free(all);
	}
	/* New files first, then deletions: the site links only to files that
	 * are there. A rename that a deleted file or folder blocks (a page
	 * that became a folder, say) is retried after the deletions. */
	size_t *retry = xcalloc(out->nentries + 1, sizeof *retry);
	size_t nretry = 0;
	struct way way = { .fd = { out->root } };
	const char *failed = NULL;
	int err = 0;
	for (size_t i = 0; rc == 0 && i < out->nentries; i++) {
		const struct entry *e = &out->entries[i];
		if (!e->staged)
			continue;
		test_commit_delay(out);
		size_t moved;
		if (place(out, &way, e, &moved) == 0) {
			/* Entries are sorted, so those below a folder are together. */
			while (i + 1 < out->nentries && is_below(out->entries[i + 1].rel, e->rel, moved))
				i++;
			continue;
		}
		if (errno == EISDIR || errno == ENOTDIR || errno == ENOTEMPTY || errno == EEXIST)
			retry[nretry++] = i;
		else if (!failed)
			failed = e->rel, err = errno;
	}
	/* Deletions may remove the folders the way holds open. */
	way_close(&way, 0);
	way.path = NULL;
	if (rc == 0) {
		for (size_t i = 0; i < ngone; i++) {
			test_commit_delay(out);
			if (delete_old(out, gone[i]))
				gone[out->counts.deleted++] = gone[i];
		}
	}
	for (size_t i = 0; rc == 0 && i < nretry; i++) {
		const struct entry *e = &out->entries[retry[i]];
		size_t moved;
		if (place(out, &way, e, &moved) != 0 && !failed)
			failed = e->rel, err = errno;
		while (i + 1 < nretry && is_below(out->entries[retry[i + 1]].rel, e->rel, moved))
			i++;
	}
	if (rc != 0) {
		diag_error(diags, out->path, 0, 0, "cannot write the list of files %s: %s",
			   OUTPUT_MANIFEST, errno_text(errno, why));
	} else if (failed) {
		diag_error(diags, out->path, 0, 0,
			   "cannot put %s in place: %s; the site is partly updated, and the "
			   "next build completes it", failed, errno_text(err, why));
		rc = -1;
	} else if (ngone || grew) {
		char **all = xcalloc(out->nentries + 1, sizeof *all);
		for (size_t i = 0; i < out->nentries; i++)
			all[i] = out->entries[i].rel;
		if (write_manifest(out, all, out->nentries) != 0) {
			diag_error(diags, out->path, 0, 0, "cannot write the list of files %s: %s",
				   OUTPUT_MANIFEST, errno_text(errno, why));
			rc = -1;
		}
		free(all);
	}
	way_close(&way, 0);
	free(retry);
	out->gone = gone;
	out->ngone = out->counts.deleted;
	hmap_free(&now);
	out->committed = true;
	return rc;
}

void output_each_change(const struct output *out,
			void (*fn)(void *ctx, const char *rel, bool deleted), void *ctx)
{
	for (size_t i = 0; i < out->nentries; i++)
		if (out->entries[i].staged)
			fn(ctx, out->entries[i].rel, false);
	for (size_t i = 0; i < out->ngone; i++)
		fn(ctx, out->gone[i], true);
}

void output_end(struct output *out)
{
	if (!out)
		return;
	if (out->staged_files >= 0)
		close(out->staged_files);
	if (out->staging >= 0) {
		close(out->staging);
		remove_at(out->root, out->staging_name);
	}
	if (!out->committed && out->wrote_marker)
		unlinkat(out->root, OUTPUT_MARKER, 0);
	if (out->root >= 0)
		close(out->root);
	if (!out->committed && out->created_root)
		rmdir(out->path);
	for (size_t i = 0; i < out->nentries; i++)
		free(out->entries[i].rel);
	free(out->entries);
	free(out->gone);
	hmap_free(&out->old);
	pthread_mutex_destroy(&out->mutex);
	free(out->path);
	free(out);
}

/* ---- where the output may be ---- */

/* True if path is strictly inside the folder dir (both real paths). */
static bool is_inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (strcmp(dir, "/") == 0)
		return strcmp(path, "/") != 0;
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/*
 * Returns the absolute real path of path, which need not exist: its
 * nearest existing ancestor is resolved by realpath and the missing rest
 * appended, with "." and ".." taken as written. *nmissing receives the
 * number of missing components. NULL (errno set) if no ancestor resolves.
 */
static char *resolve(const char *path, size_t *nmissing)
{
	size_t end = strlen(path);
	char *real;
	for (;;) {
		char *head = end ? xstrndup(path, end) : xstrdup(path[0] == '/' ? "/" : ".");
		real = platform_realpath(head);
		free(head);
		if (real || end == 0 || (errno != ENOENT && errno != ENOTDIR))
			break;
		while (end > 0 && path[end - 1] != '/')
			end--;
		while (end > 1 && path[end - 1] == '/')
			end--;
		if (end == 1 && path[0] == '/')
			end = 0;
	}
	*nmissing = 0;
	if (!real)
		return NULL;
	struct buf out = BUF_INIT;
	buf_puts(&out, real);
	free(real);
	const char *p = path + end;
	while (*p) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* nothing to add */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(out.ptr, '/');
			buf_truncate(&out, slash && slash != out.ptr ? (size_t)(slash - out.ptr) : 1);
			if (*nmissing)
				(*nmissing)--;
		} else {
			if (strcmp(out.ptr, "/") != 0)
				buf_putc(&out, '/');
			buf_put(&out, p, n);
			(*nmissing)++;
		}
		p += n;
	}
	return buf_detach(&out);
}

/* The real path of path, or NULL when it does not exist or is empty. */
static char *real_or_null(const char *path)
{
	return path && *path ? platform_realpath(path) : NULL;
}

/* Why the folder at the real path out may not be the output because of
 * where it is ("is the current folder"), or NULL; the caller frees it. */
static char *where_refused(const char *out, const struct output_place *place)
{
	char *home = real_or_null(getenv("HOME"));
	char *cwd = real_or_null(".");
	char *why = NULL;
	if (strcmp(out, "/") == 0)
		why = xstrdup("is the root folder '/'");
	else if (home && strcmp(out, home) == 0)
		why = xstrdup("is your home folder");
	else if (home && is_inside(home, out))
		why = xstrdup("contains your home folder");
	else if (cwd && strcmp(out, cwd) == 0)
		why = xstrdup("is the current folder");
	else if (cwd && is_inside(cwd, out))
		why = xstrdup("contains the current folder");
	const char *names[] = { "content", "templates" };
	const char *dirs[] = { place->content, place->templates };
	for (size_t i = 0; i < 2 && !why; i++) {
		char *real = real_or_null(dirs[i]);
		const char *how = NULL;
		if (real && strcmp(out, real) == 0)
			how = "is";
		else if (real && is_inside(real, out))
			how = "contains";
		else if (real && is_inside(out, real))
			how = "is inside";
		if (how)
			why = xasprintf("%s the %s folder '%s'", how, names[i], dirs[i]);
		free(real);
	}
	free(home);
	free(cwd);
	return why;
}

int output_check_place(const struct output_place *place, struct diag_list *diags)
{
	char why[ERRNO_TEXT_MAX];
	const char *given = place->output;
	size_t len = strlen(given);
	while (len > 1 && given[len - 1] == '/')
		len--;
	/* Without its trailing slashes, lstat sees a link itself. */
	char *path = xstrndup(given, len);
	char *real = NULL;
	int rc = -1;
	struct stat st;
	bool exists = lstat(path, &st) == 0;
	if (!exists && errno != ENOENT) {
		diag_error(diags, given, 0, 0, "cannot examine the output folder: %s",
			   errno_text(errno, why));
		goto out;
	}
	if (exists && S_ISLNK(st.st_mode)) {
		diag_error(diags, given, 0, 0,
			   "the output folder is a symbolic link; sapan writes and deletes files "
			   "in its output folder and does not follow a link to it: give the "
			   "folder itself with --output");
		goto out;
	}
	if (exists && !S_ISDIR(st.st_mode)) {
		diag_error(diags, given, 0, 0,
			   "the output folder is a file, not a folder: choose another folder "
			   "with --output, or delete the file yourself");
		goto out;
	}
	size_t nmissing;
	real = resolve(path, &nmissing);
	if (!real) {
		diag_error(diags, given, 0, 0, "cannot examine the output folder: %s",
			   errno_text(errno, why));
		goto out;
	}
	char *refused = where_refused(real, place);
	if (refused) {
		diag_error(diags, given, 0, 0,
			   "the output folder %s; sapan writes and deletes files in its output folder: "
			   "choose a folder of its own with --output, e.g. --output site", refused);
		free(refused);
		goto out;
	}
	const char *last = strrchr(path, '/');
	last = last ? last + 1 : path;
	if (strcmp(last, ".") == 0 || strcmp(last, "..") == 0) {
		diag_error(diags, given, 0, 0,
			   "the output folder must be given by its name, not by '%s': "
			   "write --output %s", last, real);
		goto out;
	}
	if (nmissing > 1) {
		diag_error(diags, given, 0, 0,
			   "the folder that would hold the output folder does not exist: "
			   "create it first, or choose another folder with --output");
		goto out;
	}
	if (exists && !is_ours(path)) {
		diag_error(diags, given, 0, 0,
			   "the output folder is not empty and was not made by sapan (it has "
			   "no %s file); sapan writes and deletes files in its output folder: choose "
			   "an empty or new folder with --output, or delete this one yourself",
			   OUTPUT_MARKER);
		goto out;
	}
	rc = 0;
out:
	free(real);
	free(path);
	return rc;
}
