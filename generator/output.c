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

static char *sibling_name(const char *output, const char *tag)
{
	size_t n = strlen(output);
	while (n > 1 && output[n - 1] == '/')
		n--;
	return xasprintf("%.*s.%s-XXXXXX", (int)n, output, tag);
}

/* True if name is base + ".new-" or ".old-" + the six letters or digits
 * mkdtemp puts in place of XXXXXX: only such names are ever removed. */
static bool is_build_folder(const char *name, const char *base, size_t base_len)
{
	if (strncmp(name, base, base_len) != 0)
		return false;
	const char *tag = name + base_len;
	if (strncmp(tag, ".new-", 5) != 0 && strncmp(tag, ".old-", 5) != 0)
		return false;
	const char *x = tag + 5;
	size_t n = strspn(x, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	return n == 6 && x[6] == '\0';
}

/*
 * Removes the site.new-XXXXXX and site.old-XXXXXX folders beside output
 * that builds killed with SIGKILL (or by a power cut) left behind. A build
 * in progress holds a lock on its folder, so one running at the same time
 * keeps its own. A site.old-* folder is the previous site moved aside by
 * the fallback in output_commit; it is removed only while output exists,
 * since otherwise it may be the only copy of the site.
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
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!is_build_folder(e->d_name, base, strlen(base)))
			continue;
		if (e->d_name[strlen(base) + 1] == 'o' && !output_exists)
			continue;
		char *stale = xasprintf("%s/%s", dir, e->d_name);
		int fd = open(stale, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
			output_remove_tree(stale);
		if (fd >= 0)
			close(fd);
		free(stale);
	}
	if (d)
		closedir(d);
	free(dir);
	free(path);
}

char *output_begin(const char *output, int *lock, struct diag_list *diags)
{
	*lock = -1;
	remove_stale(output);
	char *tmp = sibling_name(output, "new");
	if (!mkdtemp(tmp)) {
		diag_error(diags, output, 0, 0, "cannot create a build folder beside it: %s",
			   strerror(errno));
		free(tmp);
		return NULL;
	}
	/* mkdtemp makes the folder private; a site is meant to be served. */
	chmod(tmp, 0755);
	/* The lock tells other builds that this folder is in use; the kernel
	 * drops it when this process ends, however it ends. */
	*lock = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*lock < 0 || flock(*lock, LOCK_EX | LOCK_NB) != 0) {
		diag_error(diags, tmp, 0, 0, "cannot lock the build folder: %s", strerror(errno));
		if (*lock >= 0)
			close(*lock);
		*lock = -1;
		rmdir(tmp);
		free(tmp);
		return NULL;
	}
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
	if (rc)
		diag_error(diags, path, 0, 0, "cannot write: %s", strerror(errno));
	free(path);
	return rc;
}

int output_read_file(const char *path, struct buf *out, struct diag_list *diags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		diag_error(diags, path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_error(diags, path, 0, 0, "cannot read: %s", strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		buf_put(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

int output_copy(const char *root, const char *rel, const char *src, struct diag_list *diags)
{
	struct buf data = BUF_INIT;
	int rc = output_read_file(src, &data, diags);
	if (rc == 0)
		rc = output_write(root, rel, data.ptr, data.len, diags);
	buf_free(&data);
	return rc;
}

int output_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *child = xasprintf("%s/%s", path, e->d_name);
		if (output_remove_tree(child) != 0)
			rc = -1;
		free(child);
	}
	closedir(d);
	if (rmdir(path) != 0)
		rc = -1;
	return rc;
}

int output_commit(const char *tmp, const char *output, struct diag_list *diags)
{
	struct stat st;
	char *old = NULL;
	if (lstat(output, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			diag_error(diags, output, 0, 0, "output exists and is not a folder");
			return -1;
		}
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, output, RENAME_EXCHANGE) == 0) {
			output_remove_tree(tmp); /* now holds the previous site */
			return 0;
		}
		old = sibling_name(output, "old");
		/* mkdtemp reserves a unique name; rename then replaces the empty folder. */
		if (!mkdtemp(old) || rename(output, old) != 0) {
			diag_error(diags, output, 0, 0, "cannot move the previous site aside: %s",
				   strerror(errno));
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
