/* SPDX-License-Identifier: MIT */
#include "assets.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output.h"
#include "util.h"

/* Real themes nest one or two folders; the bound keeps a deep tree cheap. */
enum { ASSETS_MAX_DEPTH = 8 };

/* Everything one copy needs, so the walk passes one pointer. */
struct walk {
	struct assets *assets;
	struct fsentry_root *root;
	struct output *out;
	struct diag_list *diags;
};

static void add_output(struct assets *a, const char *rel, const char *path)
{
	a->outputs = xgrow(a->outputs, &a->outputs_cap, a->noutputs + 1, sizeof *a->outputs);
	a->outputs[a->noutputs++] =
		(struct site_output){ xstrdup(rel), xasprintf("the asset %s", path) };
}

/* Writes the stylesheet at path under a name that carries its hash. */
static void copy_stylesheet(struct walk *w, const char *path, const char *out)
{
	struct buf data = BUF_INIT;
	if (output_read_file(path, &data, w->diags) == 0) {
		unsigned long long h = hash_bytes(data.ptr, data.len) & 0xffffffffULL;
		char *hashed = xasprintf("%.*s.%08llx.css", (int)(strlen(out) - 4), out, h);
		if (output_write(w->out, hashed, data.ptr, data.len, w->diags) == 0)
			w->assets->files_copied++;
		add_output(w->assets, hashed, path);
		if (strcmp(out, "assets/style.css") == 0) {
			free(w->assets->css_path);
			w->assets->css_path = hashed;
		} else {
			free(hashed);
		}
	}
	buf_free(&data);
}

static void copy_in(struct walk *w, const char *dir, const char *rel, int depth)
{
	size_t n;
	char **names = fsentry_list(dir, false, &n);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *out = xasprintf("%s/%s", rel, names[i]);
		struct stat st;
		enum fsentry_kind kind = fsentry_check(w->root, path, &st, w->diags);
		if (kind == FSENTRY_DIR) {
			if (depth < ASSETS_MAX_DEPTH)
				copy_in(w, path, out, depth + 1);
		} else if (kind != FSENTRY_FILE || fsentry_name_kind(names[i]) != FSENTRY_NAME_FILE) {
			/* refused (reported), not a regular file, or a backup or note */
		} else if (str_has_suffix(names[i], ".css")) {
			copy_stylesheet(w, path, out);
		} else {
			if (output_copy(w->out, out, path, w->diags) == 0)
				w->assets->files_copied++;
			add_output(w->assets, out, path);
		}
		free(path);
		free(out);
	}
	fsentry_list_free(names, n);
}

void assets_copy(struct assets *assets, struct fsentry_root *root, const char *templates_dir,
		 struct output *out, struct diag_list *diags)
{
	struct walk w = { assets, root, out, diags };
	char *dir = xasprintf("%s/assets", templates_dir);
	/* The assets are a walk of their own: a folder linked from the
	 * layouts may be linked from the assets too. */
	fsentry_root_forget_links(root);
	copy_in(&w, dir, "assets", 0);
	free(dir);
}

void assets_free(struct assets *assets)
{
	for (size_t i = 0; i < assets->noutputs; i++) {
		free((char *)assets->outputs[i].rel);
		free((char *)assets->outputs[i].what);
	}
	free(assets->outputs);
	free(assets->css_path);
	memset(assets, 0, sizeof *assets);
}
