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

static bool copy_entry(void *ctx, const struct fsentry_visit *v)
{
	struct walk *w = ctx;
	if (v->kind == FSENTRY_DIR)
		return true;
	if (v->kind != FSENTRY_FILE || fsentry_name_kind(v->name) != FSENTRY_NAME_FILE)
		return false; /* not a regular file, or a backup or note */
	if (str_has_suffix(v->name, ".css")) {
		copy_stylesheet(w, v->path, v->rel);
	} else {
		if (output_copy(w->out, v->rel, v->path, w->diags) == 0)
			w->assets->files_copied++;
		add_output(w->assets, v->rel, v->path);
	}
	return false;
}

void assets_copy(struct assets *assets, struct fsentry_root *root, const char *templates_dir,
		 struct output *out, struct diag_list *diags)
{
	struct walk w = { assets, root, out, diags };
	char *dir = xasprintf("%s/assets", templates_dir);
	/* The assets are a walk of their own: a folder linked from the
	 * layouts may be linked from the assets too. */
	fsentry_root_forget_links(root);
	fsentry_walk(root, dir, "assets", ASSETS_MAX_DEPTH, copy_entry, &w, diags);
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
