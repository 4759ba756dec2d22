/* SPDX-License-Identifier: MIT */
#include "fsentry.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <limits.h>
#include <stdbool.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform.h"
#include "util.h"

int fsentry_root_open(struct fsentry_root *root, const char *name)
{
	root->name = name;
	hmap_init(&root->linked);
	root->real = platform_realpath(name);
	return root->real ? 0 : -1;
}

void fsentry_root_forget_links(struct fsentry_root *root)
{
	for (size_t i = 0; i < root->linked.cap; i++)
		free(root->linked.slots[i].value);
	hmap_free(&root->linked);
}

void fsentry_root_free(struct fsentry_root *root)
{
	free(root->real);
	root->real = NULL;
	fsentry_root_forget_links(root);
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
	char *parent_real = platform_realpath(parent);
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

/* Records that the folder st, reached through the link at path, is being
 * followed. Returns 0, or -1 after an error if a link was followed to it
 * before. */
static int follow_once(struct fsentry_root *root, const char *path, const struct stat *st,
		       struct diag_list *diags)
{
	char key[64];
	snprintf(key, sizeof key, "%ju:%ju", (uintmax_t)st->st_dev, (uintmax_t)st->st_ino);
	const char *first = hmap_get(&root->linked, key);
	if (first) {
		char *text = link_text(path);
		diag_error(diags, path, 0, 0,
			   "symbolic link to '%s' leads to the folder already reached through "
			   "the symbolic link %s; a folder is followed through one link only: "
			   "remove one of the links, or copy the folder", text, first);
		free(text);
		return -1;
	}
	hmap_put(&root->linked, key, xstrdup(path));
	return 0;
}

enum fsentry_kind fsentry_check(struct fsentry_root *root, const char *path,
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
	char *real = platform_realpath(path);
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
	if (S_ISDIR(st->st_mode) && follow_once(root, path, st, diags) != 0)
		return FSENTRY_REFUSED;
	return kind_of(st);
}

/* The extensions that mark a Markdown file, compared without case. Other
 * tools read all of these as Markdown, so none of them is ever copied raw. */
static const char *const markdown_exts[] = { "md", "markdown", "mdown", "mkd", "mkdn",
					     "mdwn", "mdtxt", "mdtext" };

static bool is_markdown_ext(const char *ext, size_t len)
{
	for (size_t i = 0; i < sizeof markdown_exts / sizeof *markdown_exts; i++) {
		if (strlen(markdown_exts[i]) == len && strncasecmp(ext, markdown_exts[i], len) == 0)
			return true;
	}
	return false;
}

static bool has_suffix_nocase(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

enum fsentry_name fsentry_name_kind(const char *name)
{
	size_t n = strlen(name);
	/* Vim's swap files, Emacs's backups ("x~") and autosaves ("#x#"),
	 * lock files (".#x") and other hidden files. */
	if (n == 0 || name[0] == '.' || name[0] == '#' || name[n - 1] == '~' ||
	    has_suffix_nocase(name, n, ".swp") || has_suffix_nocase(name, n, ".bak") ||
	    has_suffix_nocase(name, n, ".tmp"))
		return FSENTRY_NAME_SCRATCH;
	const char *last = strrchr(name, '.');
	if (!last)
		return FSENTRY_NAME_FILE;
	if (strcmp(last, ".md") == 0 && last > name)
		return FSENTRY_NAME_PAGE;
	if (is_markdown_ext(last + 1, strlen(last + 1)))
		return FSENTRY_NAME_MARKDOWN;
	/* Any earlier extension: "x.md.txt", "x.MD.html". The part before the
	 * first dot is the name itself ("md.txt" is a text file). */
	for (const char *dot = strchr(name + 1, '.'); dot && dot < last;
	     dot = strchr(dot + 1, '.')) {
		const char *end = strchr(dot + 1, '.');
		if (is_markdown_ext(dot + 1, (size_t)(end - dot - 1)))
			return FSENTRY_NAME_NEAR_PAGE;
	}
	return FSENTRY_NAME_FILE;
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

static void walk_in(struct fsentry_root *root, const char *dir, const char *rel, int depth,
		    int max_depth, bool (*visit)(void *ctx, const struct fsentry_visit *v),
		    void *ctx, struct diag_list *diags)
{
	size_t n;
	char **names = fsentry_list(dir, false, &n);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *sub = *rel ? xasprintf("%s/%s", rel, names[i]) : xstrdup(names[i]);
		struct stat st;
		enum fsentry_kind kind = fsentry_check(root, path, &st, diags);
		struct fsentry_visit v = { path, sub, names[i], depth, kind, &st };
		if (kind != FSENTRY_REFUSED && visit(ctx, &v) && kind == FSENTRY_DIR &&
		    depth < max_depth)
			walk_in(root, path, sub, depth + 1, max_depth, visit, ctx, diags);
		free(path);
		free(sub);
	}
	fsentry_list_free(names, n);
}

void fsentry_walk(struct fsentry_root *root, const char *dir, const char *rel_prefix,
		  int max_depth, bool (*visit)(void *ctx, const struct fsentry_visit *v),
		  void *ctx, struct diag_list *diags)
{
	walk_in(root, dir, rel_prefix, 0, max_depth, visit, ctx, diags);
}
