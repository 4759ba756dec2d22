/* SPDX-License-Identifier: MIT */
#include "theme.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "htmlscan.h"
#include "source.h"
#include "util.h"

/* The layouts a build renders whatever the site holds. */
static const char *const required_layouts[] = { "layouts/page", "layouts/archive",
						"layouts/publications", "layouts/languages",
						"layouts/404" };

/* How deep the templates folder is walked: real themes use two levels;
 * the bound keeps a deep or looping tree from costing anything. */
enum { THEME_MAX_DEPTH = 8 };

static void gather_id(void *ctx, const struct htmlscan_attr *a)
{
	if (a->name.len != 2 || strncasecmp(a->name.ptr, "id", 2) != 0 || a->value.len == 0)
		return;
	char *id = xstrndup(a->value.ptr, a->value.len);
	if (!strstr(id, "{{")) /* an id made from data cannot be known here */
		hmap_put(ctx, id, ctx);
	free(id);
}

/* Everything one load needs, so the walk passes one pointer. */
struct load {
	struct theme *theme;
	struct diag_list *diags;
};

/* Adds each *.mustache file as a template named by its path below the
 * templates folder without the extension ("layouts/page"). */
static bool load_entry(void *ctx, const struct fsentry_visit *v)
{
	struct load *ld = ctx;
	if (v->kind == FSENTRY_DIR)
		return v->depth > 0 || (strcmp(v->name, "assets") != 0 &&
					strcmp(v->name, "i18n") != 0 &&
					strcmp(v->name, "new") != 0);
	if (v->kind != FSENTRY_FILE || !str_has_suffix(v->name, ".mustache"))
		return false;
	struct source src;
	if (source_read(v->path, &src, ld->diags) != 0)
		return false;
	char *name = xstrndup(v->rel, strlen(v->rel) - strlen(".mustache"));
	tmpl_set_add(ld->theme->templates, name, v->path, src.text, src.len, ld->diags);
	htmlscan_attrs(src.text, src.len, gather_id, &ld->theme->ids);
	/* A sum, so the order of the folder walk does not matter. */
	ld->theme->key += hash_more(hash_bytes(name, strlen(name) + 1), src.text, src.len);
	free(name);
	source_free(&src);
	return false;
}

int theme_load(struct theme *theme, const char *dir, struct diag_list *diags)
{
	size_t before = diags->errors;
	theme->dir = dir;
	theme->templates = tmpl_set_new();
	hmap_init(&theme->ids);
	struct stat st;
	if (fsentry_root_open(&theme->root, dir) != 0 || stat(dir, &st) != 0 ||
	    !S_ISDIR(st.st_mode)) {
		diag_error(diags, dir, 0, 0, "templates folder not found");
		return -1;
	}
	struct load ld = { theme, diags };
	fsentry_walk(&theme->root, dir, "", THEME_MAX_DEPTH, load_entry, &ld, diags);
	for (size_t i = 0; i < sizeof required_layouts / sizeof *required_layouts; i++) {
		if (!tmpl_set_has(theme->templates, required_layouts[i]))
			diag_error(diags, dir, 0, 0, "missing template %s.mustache",
				   required_layouts[i]);
	}
	tmpl_set_check(theme->templates, diags);
	return diags->errors > before ? -1 : 0;
}

void theme_free(struct theme *theme)
{
	tmpl_set_free(theme->templates);
	theme->templates = NULL;
	hmap_free(&theme->ids);
	fsentry_root_free(&theme->root);
}

const char *theme_layout(const struct theme *theme, const struct page *p, char **owned)
{
	*owned = NULL;
	if (p->fm.layout) {
		*owned = xasprintf("layouts/%s", p->fm.layout);
		return *owned;
	}
	const char *name = "layouts/page";
	if (p->fm.kind == PAGE_KIND_PROJECT)
		name = "layouts/project";
	else if (p->fm.kind == PAGE_KIND_INFOSHEET)
		name = "layouts/infosheet";
	else if (p->is_home)
		name = "layouts/home";
	else if (p->is_section)
		name = "layouts/section";
	return tmpl_set_has(theme->templates, name) ? name : "layouts/page";
}

int theme_check_layouts(const struct theme *theme, const struct site *site,
			struct diag_list *diags)
{
	int rc = 0;
	for (size_t i = 0; i < site->npages; i++) {
		const struct page *p = site->pages[i];
		char *owned;
		const char *layout = theme_layout(theme, p, &owned);
		if (!tmpl_set_has(theme->templates, layout)) {
			diag_error(diags, p->path, p->fm.layout_pos.line, p->fm.layout_pos.col,
				   "layout '%s' not found (no %s/%s.mustache)", p->fm.layout,
				   theme->dir, layout);
			rc = -1;
		}
		free(owned);
	}
	return rc;
}
