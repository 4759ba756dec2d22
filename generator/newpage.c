/* SPDX-License-Identifier: MIT */
#include "newpage.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fsentry.h"
#include "source.h"
#include "tmpl.h"
#include "util.h"
#include "value.h"

/* The content walk enters at most 32 folders (site.c's MAX_DEPTH), and a
 * web address of more than a few hundred bytes is no address to give a
 * reader; the bounds refuse a PATH the build would not take anyway. */
enum { MAX_PARTS = 32, MAX_PATH_BYTES = 1024 };

bool newpage_kind_valid(const char *kind)
{
	return strcmp(kind, "page") == 0 || strcmp(kind, "project") == 0 ||
	       strcmp(kind, "infosheet") == 0 || strcmp(kind, "news") == 0;
}

static bool is_scratch(const char *part, size_t len)
{
	char *bare = xstrndup(part, len);
	bool scratch = fsentry_name_kind(bare) == FSENTRY_NAME_SCRATCH;
	free(bare);
	return scratch;
}

/* What is wrong with one '/'-separated part of the PATH (a folder, or the
 * page's name without ".md"), or NULL. */
static const char *part_error(const char *part, size_t len, bool last)
{
	if (len == 0)
		return "has an empty part (two '/' in a row, or a '/' at an end)";
	if ((len == 1 && part[0] == '.') || (len == 2 && part[0] == '.' && part[1] == '.'))
		return "has a '.' or '..' part; give the path inside the language folders";
	char *name = xasprintf("%.*s%s", (int)len, part, last ? ".md" : "");
	enum fsentry_name kind = fsentry_name_kind(name);
	free(name);
	if (kind == FSENTRY_NAME_SCRATCH || (last && is_scratch(part, len)))
		return "names a hidden file or an editor's backup (a part starts with '.' or '#', "
		       "or ends in '~', '.swp', '.bak' or '.tmp'), which is never published";
	if (last && kind != FSENTRY_NAME_PAGE)
		return "does not name a page";
	if (last) {
		char *bare = xstrndup(part, len);
		kind = fsentry_name_kind(bare);
		free(bare);
		if (kind == FSENTRY_NAME_MARKDOWN || kind == FSENTRY_NAME_NEAR_PAGE)
			return "ends in another Markdown extension; give the path without it "
			       "(sapan adds '.md')";
	}
	return NULL;
}

/*
 * Checks the PATH argument and returns it without a final ".md" (to free),
 * or NULL with *why set to a phrase saying what is wrong.
 */
static char *page_stem(const char *path, const char **why)
{
	size_t n = strlen(path);
	*why = NULL;
	if (n == 0) {
		*why = "is empty; give the page's path inside the language folders, e.g. 'projects/water'";
		return NULL;
	}
	if (n > MAX_PATH_BYTES) {
		*why = "is longer than 1024 bytes";
		return NULL;
	}
	if (path[0] == '/') {
		*why = "is absolute; give the page's path inside the language folders, "
		       "e.g. 'projects/water'";
		return NULL;
	}
	for (const char *c = path; *c; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '\\') {
			*why = "holds a control character or a backslash";
			return NULL;
		}
	}
	if (str_has_suffix(path, ".md"))
		n -= strlen(".md");
	char *stem = xstrndup(path, n);
	if (str_has_suffix(stem, ".md")) {
		*why = "ends in '.md' twice; give it once, or not at all";
		free(stem);
		return NULL;
	}
	size_t parts = 0;
	for (const char *p = stem;; parts++) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (parts == MAX_PARTS) {
			*why = "has more than 32 parts";
			break;
		}
		if ((*why = part_error(p, len, !slash)))
			break;
		if (!slash)
			break;
		p = slash + 1;
	}
	if (*why) {
		free(stem);
		return NULL;
	}
	return stem;
}

/* Folders made for the new files, removed again when a file fails. */
struct made_dirs {
	char **paths;
	size_t len, cap;
};

/* Makes every missing folder on the way to the file at path, recording the
 * ones it made. Returns 0, or -1 with errno set. */
static int make_parents(const char *path, struct made_dirs *made)
{
	char *dir = xstrdup(path);
	int rc = 0;
	for (char *slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0777) == 0) {
			made->paths = xgrow(made->paths, &made->cap, made->len + 1, sizeof *made->paths);
			made->paths[made->len++] = xstrdup(dir);
		} else if (errno != EEXIST) {
			rc = -1;
			break;
		}
		*slash = '/';
	}
	free(dir);
	return rc;
}

/* Writes text to path, which must not exist (a symbolic link there is not
 * followed). Returns 0, or -1 with errno set and no file left behind. */
static int create_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		done += (size_t)w;
	}
	int saved = errno;
	if (close(fd) != 0 && done == len) {
		saved = errno;
		done = 0;
	}
	if (done != len) {
		unlink(path);
		errno = saved;
		return -1;
	}
	return 0;
}

/* Renders the starter file of kind in lang into out. Returns 0, or -1 with
 * an error in diags. */
static int render_starter(const struct newpage_options *o, const char *stem, const char *lang,
			  struct buf *out, struct diag_list *diags)
{
	char *file = xasprintf("%s/new/%s.%s.md", o->templates_dir, o->kind, lang);
	int rc = -1;
	struct stat st;
	if (stat(file, &st) != 0 && errno == ENOENT) {
		diag_error(diags, file, 0, 0,
			   "starter file for a new %s in language '%s' not found; sapan new needs "
			   "one per kind and language (see docs/templates.md)",
			   o->kind, lang);
		free(file);
		return -1;
	}
	struct source src;
	if (source_read(file, &src, diags) != 0) {
		free(file);
		return -1;
	}
	struct tmpl_set *set = tmpl_set_new();
	struct value *data = value_map();
	value_set(data, "date", value_string_own(xasprintf("%04d-%02d-%02d", o->year, o->month,
							   o->day)));
	value_set_str(data, "path", stem);
	value_set_str(data, "lang", lang);
	if (tmpl_set_add(set, "starter", file, src.text, src.len, diags) == 0 &&
	    tmpl_set_check(set, diags) == 0)
		rc = tmpl_render(set, "starter", data, out, diags);
	value_free(data);
	tmpl_set_free(set);
	source_free(&src);
	free(file);
	return rc;
}

enum newpage_status newpage_run(const struct newpage_options *o, struct newpage_result *res,
				struct diag_list *diags)
{
	memset(res, 0, sizeof *res);
	const char *why;
	char *stem = page_stem(o->path, &why);
	if (!stem) {
		diag_error(diags, NULL, 0, 0, "the page path '%s' %s", o->path, why);
		return NEWPAGE_BAD_PATH;
	}
	struct config cfg;
	char *site_yaml = xasprintf("%s/site.yaml", o->content_dir);
	int loaded = config_load(site_yaml, &cfg, diags);
	free(site_yaml);
	if (loaded != 0) {
		config_free(&cfg);
		free(stem);
		return NEWPAGE_FAILED;
	}
	enum newpage_status status = NEWPAGE_OK;
	size_t first_len = strcspn(stem, "/");
	for (size_t l = 0; l < cfg.nlanguages; l++) {
		if (stem[first_len] == '/' && strlen(cfg.languages[l].code) == first_len &&
		    strncmp(stem, cfg.languages[l].code, first_len) == 0) {
			diag_error(diags, NULL, 0, 0,
				   "the page path '%s' starts with the language folder '%s'; give the "
				   "path inside it ('%s'): sapan new writes the page in every language",
				   o->path, cfg.languages[l].code, stem + first_len + 1);
			status = NEWPAGE_BAD_PATH;
			break;
		}
	}
	size_t n = cfg.nlanguages;
	struct buf *texts = xcalloc(n ? n : 1, sizeof *texts);
	char **targets = xcalloc(n ? n : 1, sizeof *targets);
	for (size_t l = 0; l < n; l++)
		buf_init(&texts[l]);
	for (size_t l = 0; l < n && status == NEWPAGE_OK; l++) {
		const char *lang = cfg.languages[l].code;
		targets[l] = xasprintf("%s/%s/%s.md", o->content_dir, lang, stem);
		struct stat st;
		if (lstat(targets[l], &st) == 0)
			diag_error(diags, targets[l], 0, 0,
				   "already exists; sapan new never replaces a page: edit it, or choose "
				   "another path");
		render_starter(o, stem, lang, &texts[l], diags);
	}
	if (status == NEWPAGE_OK && diags->errors > 0)
		status = NEWPAGE_FAILED;
	struct made_dirs made = { 0 };
	size_t written = 0;
	for (; status == NEWPAGE_OK && written < n; written++) {
		if (make_parents(targets[written], &made) != 0 ||
		    create_file(targets[written], texts[written].ptr, texts[written].len) != 0) {
			char err[ERRNO_TEXT_MAX];
			diag_error(diags, targets[written], 0, 0, "cannot write: %s%s",
				   errno_text(errno, err),
				   errno == EEXIST ? " (it was made while sapan new ran)" : "");
			status = NEWPAGE_FAILED;
			break;
		}
	}
	if (status != NEWPAGE_OK) {
		/* All or nothing: take back the files already written, then the
		 * folders made for them, deepest first. */
		for (size_t i = 0; i < written; i++)
			unlink(targets[i]);
		for (size_t i = made.len; i-- > 0;)
			rmdir(made.paths[i]);
	} else {
		res->written = targets;
		res->len = n;
		targets = NULL;
	}
	for (size_t i = 0; i < made.len; i++)
		free(made.paths[i]);
	free(made.paths);
	for (size_t l = 0; l < n; l++) {
		buf_free(&texts[l]);
		if (targets)
			free(targets[l]);
	}
	free(texts);
	free(targets);
	config_free(&cfg);
	free(stem);
	return status;
}

void newpage_result_free(struct newpage_result *res)
{
	for (size_t i = 0; i < res->len; i++)
		free(res->written[i]);
	free(res->written);
	res->written = NULL;
	res->len = 0;
}
