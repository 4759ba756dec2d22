/* SPDX-License-Identifier: MIT */
#include "offline.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "output.h"
#include "platform.h"
#include "util.h"

/* How deep the output folder is walked: a site's pages sit a few levels
 * down; the bound keeps a looping or absurd tree from costing anything. */
enum { OFFLINE_MAX_DEPTH = 32 };

/* The most files an archive takes: the ZIP64 limit is far above, but a
 * copy meant for a USB stick or a phone holds a site, not millions. */
#define OFFLINE_MAX_FILES ((size_t)1 << 20)

struct walk {
	char **paths; /* relative to the folder */
	size_t len, cap;
	bool too_many;
};

static bool bookkeeping(const char *name)
{
	return strcmp(name, OUTPUT_MARKER) == 0 || strcmp(name, OUTPUT_MANIFEST) == 0 ||
	       strncmp(name, OUTPUT_STAGING, strlen(OUTPUT_STAGING)) == 0;
}

/* Adds the regular files below root/rel to w. Returns 0 or -1 (errno). */
static int walk_folder(struct walk *w, const char *root, const char *rel, int depth)
{
	if (depth > OFFLINE_MAX_DEPTH)
		return 0;
	char *dir = *rel ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	DIR *d = opendir(dir);
	if (!d) {
		free(dir);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		    (depth == 0 && bookkeeping(name)))
			continue;
		char *child = *rel ? xasprintf("%s/%s", rel, name) : xstrdup(name);
		char *path = xasprintf("%s/%s", root, child);
		struct stat st;
		if (lstat(path, &st) != 0) {
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk_folder(w, root, child, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			if (w->len == OFFLINE_MAX_FILES) {
				w->too_many = true;
			} else {
				w->paths = xgrow(w->paths, &w->cap, w->len + 1, sizeof *w->paths);
				w->paths[w->len++] = child;
				child = NULL;
			}
		}
		free(path);
		free(child);
	}
	int saved = errno;
	closedir(d);
	free(dir);
	errno = saved;
	return rc;
}

/* index.html first: the page an archive viewer shows on top; then byte order. */
static int compare_paths(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	bool xi = strcmp(x, "index.html") == 0, yi = strcmp(y, "index.html") == 0;
	if (xi != yi)
		return xi ? -1 : 1;
	return strcmp(x, y);
}

/*
 * Whether zip_path may be written: it does not exist, or it is a ZIP
 * whose comment says sapan wrote it. Returns 0 or -1 with an error.
 */
static int check_target(const char *zip_path, struct diag_list *diags)
{
	struct stat st;
	if (lstat(zip_path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		diag_error(diags, zip_path, 0, 0, "cannot read the ZIP file's place: %s",
			   strerror(errno));
		return -1;
	}
	const char *what = S_ISLNK(st.st_mode)	 ? "a symbolic link"
			   : S_ISDIR(st.st_mode) ? "a folder"
			   : !S_ISREG(st.st_mode) ? "a special file"
						  : NULL;
	if (!what) {
		int err = 0;
		zip_t *za = zip_open(zip_path, ZIP_RDONLY, &err);
		int len = 0;
		const char *comment = za ? zip_get_archive_comment(za, &len, ZIP_FL_ENC_RAW) : NULL;
		bool ours = comment && (size_t)len == strlen(OFFLINE_ZIP_COMMENT) &&
			    memcmp(comment, OFFLINE_ZIP_COMMENT, (size_t)len) == 0;
		if (za)
			zip_discard(za);
		if (ours)
			return 0;
		what = "a file that is not an offline copy sapan wrote";
	}
	diag_error(diags, zip_path, 0, 0,
		   "there is already %s here; sapan replaces only a ZIP file it wrote "
		   "itself: remove it, or give --zip another name", what);
	return -1;
}

/* The real path of the folder that holds path (which may not exist yet). */
static char *real_folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? (slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path)))
			  : xstrdup(".");
	char *real = platform_realpath(dir);
	free(dir);
	return real;
}

/* Refuses a ZIP inside a folder a build reads or replaces: it would be
 * published as content, or taken for a stray file of the site. */
static int check_place(const struct build_options *opts, const char *zip_path,
		       struct diag_list *diags)
{
	char *where = real_folder_of(zip_path);
	if (!where) {
		diag_error(diags, zip_path, 0, 0, "the folder of the ZIP file cannot be used: %s",
			   strerror(errno));
		return -1;
	}
	const struct {
		const char *path, *what;
	} folders[] = {
		{ opts->content_dir, "content" },
		{ opts->templates_dir, "templates" },
		{ opts->output_dir, "output" },
	};
	int rc = 0;
	for (size_t i = 0; i < sizeof folders / sizeof folders[0] && rc == 0; i++) {
		char *real = folders[i].path ? platform_realpath(folders[i].path) : NULL;
		size_t n = real ? strlen(real) : 0;
		if (real && strncmp(where, real, n) == 0 &&
		    (where[n] == '\0' || where[n] == '/' || n == 1)) {
			diag_error(diags, zip_path, 0, 0,
				   "the ZIP file would be inside the %s folder %s; write it "
				   "somewhere else", folders[i].what, folders[i].path);
			rc = -1;
		}
		free(real);
	}
	free(where);
	return rc;
}

/* Adds every file of w, below folder, to za. Returns 0 or -1 with an error. */
static int add_files(zip_t *za, const char *folder, const struct walk *w, int64_t made_at,
		     const char *zip_path, struct diag_list *diags)
{
	for (size_t i = 0; i < w->len; i++) {
		char *path = xasprintf("%s/%s", folder, w->paths[i]);
		zip_source_t *src = zip_source_file(za, path, 0, -1);
		zip_int64_t at = src ? zip_file_add(za, w->paths[i], src, ZIP_FL_ENC_UTF_8) : -1;
		if (at < 0) {
			if (src)
				zip_source_free(src);
			diag_error(diags, zip_path, 0, 0, "cannot add %s to the ZIP file: %s",
				   w->paths[i], zip_strerror(za));
			free(path);
			return -1;
		}
		free(path);
		zip_file_set_mtime(za, (zip_uint64_t)at, (time_t)made_at, 0);
	}
	return 0;
}

int offline_zip_folder(const char *folder, const char *zip_path, int64_t made_at,
		       struct diag_list *diags)
{
	if (check_target(zip_path, diags))
		return -1;
	struct walk w = { 0 };
	if (walk_folder(&w, folder, "", 0) != 0 || w.too_many) {
		if (w.too_many)
			diag_error(diags, folder, 0, 0, "more than %zu files: too many for one ZIP file",
				   OFFLINE_MAX_FILES);
		else
			diag_error(diags, folder, 0, 0, "cannot read the built site: %s",
				   strerror(errno));
		for (size_t i = 0; i < w.len; i++)
			free(w.paths[i]);
		free(w.paths);
		return -1;
	}
	qsort(w.paths, w.len, sizeof *w.paths, compare_paths);
	char *tmp = xasprintf("%s.sapan-XXXXXX", zip_path);
	int fd = mkstemp(tmp);
	int rc = -1;
	zip_t *za = NULL;
	if (fd < 0) {
		diag_error(diags, zip_path, 0, 0, "cannot write the ZIP file: %s",
			   strerror(errno));
	} else {
		close(fd);
		int err = 0;
		za = zip_open(tmp, ZIP_CREATE | ZIP_TRUNCATE, &err);
		if (!za) {
			zip_error_t ze;
			zip_error_init_with_code(&ze, err);
			diag_error(diags, zip_path, 0, 0, "cannot write the ZIP file: %s",
				   zip_error_strerror(&ze));
			zip_error_fini(&ze);
		}
	}
	if (za && add_files(za, folder, &w, made_at, zip_path, diags) == 0 &&
	    zip_set_archive_comment(za, OFFLINE_ZIP_COMMENT,
				    (zip_uint16_t)strlen(OFFLINE_ZIP_COMMENT)) == 0) {
		if (zip_close(za) == 0)
			rc = 0;
		else
			diag_error(diags, zip_path, 0, 0, "cannot write the ZIP file: %s",
				   zip_strerror(za));
		if (rc != 0)
			zip_discard(za);
		za = NULL;
	}
	if (za)
		zip_discard(za);
	/* The target is checked again just before the rename: a file put
	 * there during the build is not replaced. */
	if (rc == 0 && check_target(zip_path, diags) != 0) {
		rc = -1;
	} else if (rc == 0 && rename(tmp, zip_path) != 0) {
		diag_error(diags, zip_path, 0, 0, "cannot put the ZIP file in place: %s",
			   strerror(errno));
		rc = -1;
	}
	if (rc != 0 && fd >= 0)
		unlink(tmp);
	free(tmp);
	for (size_t i = 0; i < w.len; i++)
		free(w.paths[i]);
	free(w.paths);
	return rc;
}

int offline_zip_run(const struct build_options *opts, const char *zip_path, int64_t made_at,
		    struct build_stats *stats, struct diag_list *diags)
{
	memset(stats, 0, sizeof *stats);
	if (check_place(opts, zip_path, diags) || check_target(zip_path, diags))
		return -1;
	struct build_options o = *opts;
	char *tmp = NULL;
	int lock = -1;
	if (!o.output_dir) {
		const char *tmpdir = getenv("TMPDIR");
		if (!tmpdir || !*tmpdir)
			tmpdir = "/tmp";
		/* One killed outright cannot remove its folder; the next does. */
		output_remove_leftovers(tmpdir, "sapan-offline-");
		char *prefix = xasprintf("%s/sapan-offline-", tmpdir);
		tmp = output_make_folder(prefix, &lock);
		free(prefix);
		if (!tmp) {
			diag_error(diags, tmpdir, 0, 0, "cannot create a temporary folder: %s",
				   strerror(errno));
			return -1;
		}
		o.output_dir = xasprintf("%s/site", tmp);
		o.output_shown = zip_path;
		o.cache = false;
	}
	int rc = build_run(&o, stats, diags);
	if (rc == 0 && !(o.interrupted && *o.interrupted))
		rc = offline_zip_folder(o.output_dir, zip_path, made_at, diags);
	if (tmp) {
		output_remove_tree(tmp);
		output_unlock(lock);
		free((char *)o.output_dir);
		free(tmp);
	}
	return rc;
}
