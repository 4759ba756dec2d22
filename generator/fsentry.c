/* SPDX-License-Identifier: MIT */
#include "fsentry.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int fsentry_root_open(struct fsentry_root *root, const char *name)
{
	root->name = name;
	root->real = realpath(name, NULL);
	return root->real ? 0 : -1;
}

void fsentry_root_free(struct fsentry_root *root)
{
	free(root->real);
	root->real = NULL;
}

/* True if the resolved path real is root itself or below it. */
static bool inside(const char *root, const char *real)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return true;
	return strncmp(real, root, n) == 0 && (real[n] == '\0' || real[n] == '/');
}

/* The target of a symbolic link as written, for messages; caller frees. */
static char *link_text(const char *path)
{
	char text[PATH_MAX];
	ssize_t n = readlink(path, text, sizeof text - 1);
	if (n < 0)
		return xstrdup("?");
	return xstrndup(text, (size_t)n);
}

/* True if the folder real (a link's resolved target) holds the link
 * itself: following it would walk the same folders again and again. */
static bool loops_back(const char *path, const char *real)
{
	const char *slash = strrchr(path, '/');
	char *parent = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	char *parent_real = realpath(parent, NULL);
	bool loops = parent_real && inside(real, parent_real);
	free(parent_real);
	free(parent);
	return loops;
}

static enum fsentry_kind kind_of(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return FSENTRY_DIR;
	return S_ISREG(st->st_mode) ? FSENTRY_FILE : FSENTRY_OTHER;
}

enum fsentry_kind fsentry_check(const struct fsentry_root *root, const char *path,
				struct stat *st, struct diag_list *diags)
{
	if (lstat(path, st) != 0) {
		diag_error(diags, path, 0, 0, "cannot read: %s", strerror(errno));
		return FSENTRY_REFUSED;
	}
	if (!S_ISLNK(st->st_mode))
		return kind_of(st);
	/* realpath resolves every link on the way, so a chain of links that
	 * ends outside, or a link to a folder that is itself a link out, is
	 * judged by where it finally leads. */
	char *real = realpath(path, NULL);
	if (!real || stat(path, st) != 0) {
		char *text = link_text(path);
		diag_error(diags, path, 0, 0,
			   "symbolic link to '%s' leads nowhere (its target does not exist)", text);
		free(text);
		free(real);
		return FSENTRY_REFUSED;
	}
	bool out = !inside(root->real, real);
	bool loops = !out && S_ISDIR(st->st_mode) && loops_back(path, real);
	free(real);
	if (out || loops) {
		char *text = link_text(path);
		if (out)
			diag_error(diags, path, 0, 0,
				   "symbolic link to '%s' leads out of '%s' and is refused; put a "
				   "copy of what it points at inside '%s' instead", text, root->name,
				   root->name);
		else
			diag_error(diags, path, 0, 0,
				   "symbolic link to '%s' loops back to a folder that contains "
				   "it and is refused", text);
		free(text);
		return FSENTRY_REFUSED;
	}
	return kind_of(st);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **fsentry_list(const char *dir, bool with_hidden, size_t *count)
{
	*count = 0;
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		    (name[0] == '.' && !with_hidden))
			continue;
		names = xgrow(names, &cap, n + 1, sizeof *names);
		names[n++] = xstrdup(name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, compare_names);
	*count = n;
	return names ? names : xcalloc(1, sizeof *names);
}

void fsentry_list_free(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}
