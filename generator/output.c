/* SPDX-License-Identifier: MIT */
/* renameat2 (Linux) swaps two folders in one step: the served site is
 * never missing, not even for a moment. */
#define _GNU_SOURCE
#include "output.h"

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

#include "util.h"

static const char marker_text[] =
	"This folder was written by sapan, a static site generator. Each build\n"
	"replaces it as a whole: keep no other files in it.\n";

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static char *sibling_name(const char *output, const char *tag)
{
	size_t n = strlen(output);
	while (n > 1 && output[n - 1] == '/')
		n--;
	return xasprintf("%.*s.%s-", (int)n, output, tag);
}

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

char *output_begin(const char *output, int *lock, struct diag_list *diags)
{
	*lock = -1;
	remove_stale(output);
	char *prefix = sibling_name(output, "new");
	char *tmp = output_make_folder(prefix, lock);
	free(prefix);
	if (!tmp)
		diag_error(diags, output, 0, 0, "cannot create a build folder beside it: %s",
			   strerror(errno));
	return tmp;
}

void output_end(int lock)
{
	if (lock >= 0)
		close(lock);
}

/* Creates every folder on the way to the file at path. */
static int make_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0755);
		int err = errno;
		*p = '/';
		if (rc != 0 && err != EEXIST) {
			errno = err;
			return -1;
		}
	}
	return 0;
}

int output_write(const char *root, const char *rel, const char *data, size_t len,
		 struct diag_list *diags)
{
	char *path = xasprintf("%s/%s", root, rel);
	int rc = -1;
	int fd = -1;
	if (make_parents(path) == 0)
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0 && write_all(fd, data, len) == 0)
		rc = 0;
	if (fd >= 0 && close(fd) != 0)
		rc = -1;
	if (rc) {
		char why[ERRNO_TEXT_MAX];
		diag_error(diags, path, 0, 0, "cannot write: %s", errno_text(errno, why));
	}
	free(path);
	return rc;
}

/*
 * Opens path for reading, refusing anything but a regular file. O_NONBLOCK
 * makes opening a FIFO return at once instead of waiting for a writer, so
 * a file swapped for a FIFO after the content scan cannot hang the build.
 * Returns the descriptor, or -1 with an error.
 */
static int open_regular(const char *path, struct diag_list *diags)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		diag_error(diags, path, 0, 0, "cannot read: %s", strerror(errno));
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
	int fd = open_regular(path, diags);
	if (fd < 0)
		return -1;
	int rc = read_chunks(fd, put_buf, out);
	if (rc != 0)
		diag_error(diags, path, 0, 0, "cannot read: %s", strerror(errno));
	close(fd);
	return rc;
}

/* Streams the file in chunks, so a large PDF or video costs no memory. */
int output_copy(const char *root, const char *rel, const char *src, struct diag_list *diags)
{
	int in = open_regular(src, diags);
	if (in < 0)
		return -1;
	char *path = xasprintf("%s/%s", root, rel);
	int out = -1;
	int rc = -1;
	if (make_parents(path) == 0)
		out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out >= 0)
		rc = read_chunks(in, put_fd, &out);
	if (out >= 0 && close(out) != 0)
		rc = -1;
	if (rc)
		diag_error(diags, src, 0, 0, "cannot copy to the new site: %s", strerror(errno));
	close(in);
	free(path);
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

/* True if the folder at path is sapan's to replace: marked or empty. */
static bool is_ours(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool ours = fd >= 0 && has_marker_at(fd);
	if (fd >= 0)
		close(fd);
	return ours || is_empty(path) == 1;
}

int output_commit(const char *tmp, const char *output, struct diag_list *diags)
{
	struct stat st;
	char *old = NULL;
	if (lstat(output, &st) == 0) {
		/* output_check_place looked before the build; this looks again
		 * in case the folder changed while the site was being built. */
		if (!S_ISDIR(st.st_mode) || !is_ours(output)) {
			diag_error(diags, output, 0, 0,
				   "the output folder changed during the build and is no longer "
				   "sapan's (no %s file in it); build again", OUTPUT_MARKER);
			return -1;
		}
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, output, RENAME_EXCHANGE) == 0) {
			output_remove_tree(tmp); /* now holds the previous site */
			return 0;
		}
		char *prefix = sibling_name(output, "old");
		old = xasprintf("%sXXXXXX", prefix);
		free(prefix);
		/* mkdtemp reserves a unique name; rename then replaces the empty folder. */
		if (!mkdtemp(old) || rename(output, old) != 0) {
			int err = errno;
			rmdir(old); /* removes it only if it is the empty one mkdtemp made */
			diag_error(diags, output, 0, 0, "cannot move the previous site aside: %s",
				   strerror(err));
			free(old);
			return -1;
		}
	}
	if (rename(tmp, output) != 0) {
		diag_error(diags, output, 0, 0, "cannot put the new site in place: %s",
			   strerror(errno));
		if (old)
			rename(old, output);
		free(old);
		return -1;
	}
	if (old)
		output_remove_tree(old);
	free(old);
	return 0;
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
		real = realpath(head, NULL);
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

/* True if the existing folder real is the root of a mounted file system,
 * which rename cannot move ("Device or resource busy"). */
static bool is_mount_point(const char *real)
{
	struct statx sx;
	if (statx(AT_FDCWD, real, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) == 0 &&
	    (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
		return (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
	/* Kernels before 5.8: a different device than the parent's. */
	char *parent = xasprintf("%s/..", real);
	struct stat a, b;
	bool mount = stat(real, &a) == 0 && stat(parent, &b) == 0 &&
		     (a.st_dev != b.st_dev || a.st_ino == b.st_ino);
	free(parent);
	return mount;
}

/* The real path of path, or NULL when it does not exist or is empty. */
static char *real_or_null(const char *path)
{
	return path && *path ? realpath(path, NULL) : NULL;
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
			   strerror(errno));
		goto out;
	}
	if (exists && S_ISLNK(st.st_mode)) {
		diag_error(diags, given, 0, 0,
			   "the output folder is a symbolic link; sapan replaces the output "
			   "folder as a whole and would replace the link: give the folder itself "
			   "with --output");
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
			   strerror(errno));
		goto out;
	}
	char *why = where_refused(real, place);
	if (why) {
		diag_error(diags, given, 0, 0,
			   "the output folder %s; sapan replaces the output folder as a whole: "
			   "choose a folder of its own with --output, e.g. --output site", why);
		free(why);
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
	if (exists && is_mount_point(real)) {
		diag_error(diags, given, 0, 0,
			   "the output folder is a mount point, which sapan cannot replace: "
			   "choose a folder inside it, e.g. --output %s/site", path);
		goto out;
	}
	if (exists && !is_ours(path)) {
		diag_error(diags, given, 0, 0,
			   "the output folder is not empty and was not made by sapan (it has "
			   "no %s file); sapan replaces the output folder as a whole: choose "
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
