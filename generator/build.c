/* SPDX-License-Identifier: MIT */
#include "build.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "config.h"
#include "fsentry.h"
#include "hmap.h"
#include "htmlscan.h"
#include "i18n.h"
#include "output.h"
#include "site.h"
#include "sitemap.h"
#include "source.h"
#include "tmpl.h"
#include "url.h"
#include "util.h"
#include "view.h"

/* Everything one build holds; freed together in build_run. */
struct build {
	const struct build_options *opts;
	struct build_stats *stats;
	struct diag_list *diags;
	struct config cfg;
	struct i18n *i18n;
	struct tmpl_set *templates;
	struct hmap template_ids; /* literal id="..." values of the templates */
	struct site site;
	struct output *out; /* the output folder while the build updates it */
	char *css_path; /* "assets/style.1a2b3c4d.css" */
	struct fsentry_root templates_root; /* no symbolic link may lead out of it */
	long page_delay_ms;  /* SAPAN_TEST_PAGE_DELAY_MS; 0 normally */
	bool unbounded_render; /* SAPAN_TEST_UNBOUNDED_RENDER; false normally */
	bool stopped;        /* "interrupted" has been reported */
	/* What copy_assets_in wrote, so no content file can land on it: */
	struct site_output *asset_outputs; /* rel and what owned */
	size_t nasset_outputs, asset_outputs_cap;
};

/*
 * True once a signal asked the build to stop (opts->interrupted is set by
 * main.c's handler); reports it the first time. Checked between pages and
 * before the swap, so a stopped build never replaces the site.
 */
static bool interrupted(struct build *b)
{
	if (!b->opts->interrupted || !*b->opts->interrupted)
		return false;
	if (!b->stopped)
		diag_error(b->diags, NULL, 0, 0, "interrupted; %s was not changed",
			   b->opts->output_shown ? b->opts->output_shown : b->opts->output_dir);
	b->stopped = true;
	return true;
}

/*
 * TEST HOOK ONLY: SAPAN_TEST_PAGE_DELAY_MS=N makes the build sleep N ms
 * after each page, so tests/e2e/atomic.sh can send a signal while a build
 * is surely running. It changes no output and is not a user setting.
 */
static long test_page_delay_ms(void)
{
	const char *v = getenv("SAPAN_TEST_PAGE_DELAY_MS");
	long ms = v ? strtol(v, NULL, 10) : 0;
	return ms > 0 && ms <= 60000 ? ms : 0;
}

static void test_page_delay(const struct build *b)
{
	if (b->page_delay_ms <= 0)
		return;
	struct timespec ts = { b->page_delay_ms / 1000, (b->page_delay_ms % 1000) * 1000000L };
	nanosleep(&ts, NULL); /* a signal cuts it short, which is what we want */
}

static void gather_id(void *ctx, const struct htmlscan_attr *a)
{
	if (a->name.len != 2 || strncasecmp(a->name.ptr, "id", 2) != 0 || a->value.len == 0)
		return;
	char *id = xstrndup(a->value.ptr, a->value.len);
	if (!strstr(id, "{{")) /* an id made from data cannot be known here */
		hmap_put(ctx, id, ctx);
	free(id);
}

/*
 * TEST HOOK ONLY: SAPAN_TEST_UNBOUNDED_RENDER=1 lifts the bounds on a
 * page's template expansion, so that tests/e2e/limits.sh can show that a
 * signal stops a render that would otherwise never end. Not a user setting.
 */
static bool test_unbounded_render(void)
{
	const char *v = getenv("SAPAN_TEST_UNBOUNDED_RENDER");
	return v && strcmp(v, "1") == 0;
}

/* Adds every *.mustache file under dir as a template named by its path
 * below the templates folder without the extension ("layouts/page"). */
static void load_templates_in(struct build *b, const char *dir, const char *prefix, int depth)
{
	size_t n;
	char **names = fsentry_list(dir, false, &n);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *name = xasprintf("%s%s", prefix, names[i]);
		struct stat st;
		enum fsentry_kind kind = fsentry_check(&b->templates_root, path, &st, b->diags);
		if (kind == FSENTRY_DIR) {
			bool skip = depth == 0 && (strcmp(names[i], "assets") == 0 ||
						   strcmp(names[i], "i18n") == 0);
			char *sub = xasprintf("%s/", name);
			if (!skip && depth < 8)
				load_templates_in(b, path, sub, depth + 1);
			free(sub);
		} else if (kind == FSENTRY_FILE && str_has_suffix(names[i], ".mustache")) {
			struct source src;
			if (source_read(path, &src, b->diags) == 0) {
				name[strlen(name) - strlen(".mustache")] = '\0';
				tmpl_set_add(b->templates, name, path, src.text, src.len, b->diags);
				htmlscan_attrs(src.text, src.len, gather_id, &b->template_ids);
				source_free(&src);
			}
		}
		free(path);
		free(name);
	}
	fsentry_list_free(names, n);
}

static int load_templates(struct build *b)
{
	size_t before = b->diags->errors;
	b->templates = tmpl_set_new();
	struct stat st;
	if (stat(b->opts->templates_dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    !b->templates_root.real) {
		diag_error(b->diags, b->opts->templates_dir, 0, 0, "templates folder not found");
		return -1;
	}
	load_templates_in(b, b->opts->templates_dir, "", 0);
	static const char *const required[] = { "layouts/page", "layouts/archive",
						"layouts/languages", "layouts/404" };
	for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
		if (!tmpl_set_has(b->templates, required[i]))
			diag_error(b->diags, b->opts->templates_dir, 0, 0,
				   "missing template %s.mustache", required[i]);
	}
	tmpl_set_check(b->templates, b->diags);
	return b->diags->errors > before ? -1 : 0;
}

/*
 * Refuses the file at path, inside the folder root_dir, if it is a symbolic
 * link that leads out of that folder. Files read by a fixed name (site.yaml,
 * the UI strings) are not found by a scan, so they are checked here; a
 * missing file is left to the loader to report. Returns 0 or -1.
 */
static int refuse_link_out(struct build *b, const char *root_dir, const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return 0;
	struct fsentry_root root;
	if (fsentry_root_open(&root, root_dir) != 0)
		return 0;
	int rc = fsentry_check(&root, path, &st, b->diags) == FSENTRY_REFUSED ? -1 : 0;
	fsentry_root_free(&root);
	return rc;
}

static int load_strings(struct build *b)
{
	const char *codes[BUILD_MAX_LANGUAGES];
	int refused = 0;
	for (size_t i = 0; i < b->cfg.nlanguages; i++) {
		codes[i] = b->cfg.languages[i].code;
		char *path = xasprintf("%s/i18n/%s.yaml", b->opts->templates_dir, codes[i]);
		refused |= refuse_link_out(b, b->opts->templates_dir, path);
		free(path);
	}
	if (refused)
		return -1;
	char *dir = xasprintf("%s/i18n", b->opts->templates_dir);
	b->i18n = i18n_load(dir, codes, b->cfg.nlanguages, b->diags);
	free(dir);
	return b->i18n ? 0 : -1;
}

static uint64_t fnv1a(const char *data, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)data[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void add_asset_output(struct build *b, const char *rel, const char *path)
{
	b->asset_outputs = xgrow(b->asset_outputs, &b->asset_outputs_cap, b->nasset_outputs + 1,
				 sizeof *b->asset_outputs);
	b->asset_outputs[b->nasset_outputs++] =
		(struct site_output){ xstrdup(rel), xasprintf("the asset %s", path) };
}

/*
 * Checks that no page or content file lands on another output: a page, an
 * asset, or a file the build itself writes. Call after copy_assets_in.
 * Returns 0 or -1.
 */
static int check_outputs(struct build *b, const struct view_env *env)
{
	size_t nl = b->cfg.nlanguages, n = 0;
	struct site_output *extra = xcalloc(nl + 3 + b->nasset_outputs, sizeof *extra);
	char **owned = xcalloc(2 * nl + 1, sizeof *owned);
	extra[n++] = (struct site_output){ "index.html", "the language choice page" };
	extra[n++] = (struct site_output){ "404.html", "the 404 page" };
	extra[n++] = (struct site_output){ "sitemap.xml", "the sitemap" };
	for (size_t l = 0; l < nl; l++) {
		char *url = view_archive_url(env, l);
		owned[2 * l] = xasprintf("%sindex.html", url);
		owned[2 * l + 1] = xasprintf("the archive of '%s'", b->cfg.languages[l].code);
		extra[n++] = (struct site_output){ owned[2 * l], owned[2 * l + 1] };
		free(url);
	}
	for (size_t i = 0; i < b->nasset_outputs; i++)
		extra[n++] = b->asset_outputs[i];
	int rc = site_check_outputs(&b->site, extra, n, b->diags);
	for (size_t i = 0; i < 2 * nl; i++)
		free(owned[i]);
	free(owned);
	free(extra);
	return rc;
}

/* Copies templates/assets to assets/. A stylesheet's name carries a hash
 * of its content, so servers may cache it for a year and a changed theme
 * still reaches every reader at once. */
static void copy_assets_in(struct build *b, const char *dir, const char *rel, int depth)
{
	size_t n;
	char **names = fsentry_list(dir, false, &n);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *out = xasprintf("%s/%s", rel, names[i]);
		struct stat st;
		enum fsentry_kind kind = fsentry_check(&b->templates_root, path, &st, b->diags);
		enum fsentry_name name = kind == FSENTRY_FILE ? fsentry_name_kind(names[i])
							      : FSENTRY_NAME_FILE;
		if (kind == FSENTRY_DIR) {
			if (depth < 8)
				copy_assets_in(b, path, out, depth + 1);
		} else if (kind != FSENTRY_FILE) {
			/* refused (reported) or not a regular file */
		} else if (name != FSENTRY_NAME_FILE) {
			/* Backups and notes in Markdown are the designers', not the site's. */
		} else if (str_has_suffix(names[i], ".css")) {
			struct buf data = BUF_INIT;
			if (output_read_file(path, &data, b->diags) == 0) {
				char *hashed = xasprintf("%.*s.%08llx.css",
							 (int)(strlen(out) - 4), out,
							 (unsigned long long)(fnv1a(data.ptr, data.len) & 0xffffffffULL));
				if (output_write(b->out, hashed, data.ptr, data.len, b->diags) == 0)
					b->stats->files_copied++;
				add_asset_output(b, hashed, path);
				if (strcmp(out, "assets/style.css") == 0) {
					free(b->css_path);
					b->css_path = hashed;
					hashed = NULL;
				}
				free(hashed);
			}
			buf_free(&data);
		} else {
			if (output_copy(b->out, out, path, b->diags) == 0)
				b->stats->files_copied++;
			add_asset_output(b, out, path);
		}
		free(path);
		free(out);
	}
	fsentry_list_free(names, n);
}

static const char *layout_of(const struct build *b, const struct page *p, char **owned)
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
	return tmpl_set_has(b->templates, name) ? name : "layouts/page";
}

static int check_layouts(struct build *b)
{
	int rc = 0;
	for (size_t i = 0; i < b->site.npages; i++) {
		const struct page *p = b->site.pages[i];
		char *owned;
		const char *layout = layout_of(b, p, &owned);
		if (!tmpl_set_has(b->templates, layout)) {
			diag_error(b->diags, p->path, p->fm.layout_pos.line, p->fm.layout_pos.col,
				   "layout '%s' not found (no %s/%s.mustache)", p->fm.layout,
				   b->opts->templates_dir, layout);
			rc = -1;
		}
		free(owned);
	}
	return rc;
}

/* Renders template name with view into root/rel. The render stops as soon
 * as a signal asks the build to stop, however long the page. */
static int emit(struct build *b, const char *name, struct value *view, const char *rel)
{
	struct buf html = BUF_INIT;
	struct tmpl_render_opts ro = { .stop = b->opts->interrupted };
	if (b->unbounded_render)
		ro.max_output = ro.max_steps = SIZE_MAX;
	int rc = tmpl_render_with(b->templates, name, view, &ro, &html, b->diags);
	if (rc == 0)
		rc = output_write(b->out, rel, html.ptr, html.len, b->diags);
	buf_free(&html);
	value_free(view);
	return rc;
}

/*
 * Renders every page's Markdown first: a list shows other pages'
 * descriptions, which exist only once those pages are rendered, so all
 * bodies must be ready before the first view is built.
 */
static int render_markdown(struct build *b)
{
	int rc = 0;
	for (size_t i = 0; i < b->site.npages; i++) {
		if (interrupted(b))
			return -1;
		if (site_render_markdown(&b->site, b->site.pages[i], b->diags))
			rc = -1;
	}
	return rc;
}

static int write_pages(struct build *b, const struct view_env *env)
{
	if (render_markdown(b))
		return -1;
	int rc = 0;
	for (size_t i = 0; i < b->site.npages; i++) {
		struct page *p = b->site.pages[i];
		if (interrupted(b))
			return -1;
		char *owned;
		const char *layout = layout_of(b, p, &owned);
		char *rel = xasprintf("%sindex.html", p->url);
		if (emit(b, layout, view_page(env, p), rel) == 0)
			b->stats->pages[p->lang]++;
		else
			rc = -1;
		free(rel);
		free(owned);
		/* Every page shares the templates, so an error in one (a runaway
		 * partial, say) would repeat, at its full cost, on every page. */
		if (rc)
			return -1;
		test_page_delay(b);
	}
	for (size_t l = 0; l < b->cfg.nlanguages; l++) {
		char *url = view_archive_url(env, l);
		char *rel = xasprintf("%sindex.html", url);
		const struct page *clash = NULL;
		for (size_t i = 0; i < b->site.npages && !clash; i++) {
			if (strcmp(b->site.pages[i]->url, url) == 0)
				clash = b->site.pages[i];
		}
		if (clash) {
			diag_error(b->diags, clash->path, 0, 0,
				   "writes the same page as the archive (%sindex.html); rename it",
				   url);
			rc = -1;
		} else if (emit(b, "layouts/archive", view_archive(env, l), rel) == 0) {
			b->stats->pages[l]++;
		} else {
			rc = -1;
		}
		free(rel);
		free(url);
	}
	if (emit(b, "layouts/languages", view_languages(env), "index.html"))
		rc = -1;
	if (emit(b, "layouts/404", view_not_found(env), "404.html"))
		rc = -1;
	return rc;
}

static char *absolute(const struct config *cfg, const char *url)
{
	char *enc = url_encode_path(url);
	char *abs = xasprintf("%s%s", cfg->base_url, enc);
	free(enc);
	return abs;
}

/* The sitemap being assembled; it owns the strings its entries point to. */
struct sitemap_parts {
	const struct config *cfg;
	struct sitemap_entry *entries;
	struct sitemap_alternate *alts; /* nlanguages + 1 per entry */
	size_t n;
	char **strings;
	size_t nstrings, strings_cap;
};

static const char *keep(struct sitemap_parts *sp, char *s)
{
	sp->strings = xgrow(sp->strings, &sp->strings_cap, sp->nstrings + 1, sizeof *sp->strings);
	return sp->strings[sp->nstrings++] = s;
}

/* Adds the page at url; versions[l] is its URL in language l, or NULL. */
static void sitemap_add(struct sitemap_parts *sp, const char *url, char *lastmod,
			const char *const *versions)
{
	const struct config *cfg = sp->cfg;
	struct sitemap_entry *e = &sp->entries[sp->n];
	e->loc = keep(sp, absolute(cfg, url));
	e->lastmod = lastmod ? keep(sp, lastmod) : NULL;
	struct sitemap_alternate *a = &sp->alts[sp->n * (cfg->nlanguages + 1)];
	e->alternates = a;
	const char *x_default = url;
	for (size_t l = 0; l < cfg->nlanguages; l++) {
		if (!versions[l])
			continue;
		if (strcmp(cfg->languages[l].code, cfg->default_language) == 0)
			x_default = versions[l];
		a[e->nalternates].hreflang = cfg->languages[l].code;
		a[e->nalternates++].href = keep(sp, absolute(cfg, versions[l]));
	}
	a[e->nalternates].hreflang = "x-default";
	a[e->nalternates++].href = keep(sp, absolute(cfg, x_default));
	sp->n++;
}

/*
 * One sitemap entry per page and per archive, with every language version
 * as alternates. The sitemap protocol allows only absolute URLs, so
 * without a base_url there is no sitemap, and a note says why.
 */
static int write_sitemap(struct build *b, const struct view_env *env)
{
	if (!b->cfg.base_url) {
		char *path = xasprintf("%s/site.yaml", b->opts->content_dir);
		diag_add(b->diags, DIAG_NOTE, path, 0, 0,
			 "no sitemap.xml was written: a sitemap needs the site's address; "
			 "set base_url here (or use --base-url) to get one");
		free(path);
		return 0;
	}
	const struct site *site = &b->site;
	size_t nl = b->cfg.nlanguages, total = site->npages + nl;
	struct sitemap_parts sp = { .cfg = &b->cfg };
	sp.entries = xcalloc(total, sizeof *sp.entries);
	sp.alts = xcalloc(total * (nl + 1), sizeof *sp.alts);
	const char *versions[BUILD_MAX_LANGUAGES];
	for (size_t i = 0; i < site->npages; i++) {
		const struct page *p = site->pages[i];
		for (size_t l = 0; l < nl; l++) {
			const struct page *tr = site_translation(p, l);
			versions[l] = tr ? tr->url : NULL;
		}
		char *lastmod = p->fm.has_date ? xasprintf("%04d-%02d-%02d", p->fm.year,
							    p->fm.month, p->fm.day) : NULL;
		sitemap_add(&sp, p->url, lastmod, versions);
	}
	char *archives[BUILD_MAX_LANGUAGES];
	for (size_t l = 0; l < nl; l++)
		versions[l] = archives[l] = view_archive_url(env, l);
	for (size_t l = 0; l < nl; l++)
		sitemap_add(&sp, archives[l], NULL, versions);
	for (size_t l = 0; l < nl; l++)
		free(archives[l]);
	char *xml = sitemap_render(sp.entries, sp.n);
	int rc = -1;
	if (!xml)
		diag_error(b->diags, "sitemap.xml", 0, 0, "cannot write the sitemap (libxml2 failed)");
	else
		rc = output_write(b->out, "sitemap.xml", xml, strlen(xml), b->diags);
	free(xml);
	for (size_t i = 0; i < sp.nstrings; i++)
		free(sp.strings[i]);
	free(sp.strings);
	free(sp.alts);
	free(sp.entries);
	return rc;
}

/* Stops early on a stop request: run() checks it again before the swap. */
static void copy_content_files(struct build *b)
{
	for (size_t i = 0; i < b->site.nfiles && !interrupted(b); i++) {
		const struct static_file *f = &b->site.files[i];
		if (output_copy(b->out, f->rel, f->path, b->diags) == 0)
			b->stats->files_copied++;
	}
}

static int load_config(struct build *b)
{
	char *path = xasprintf("%s/site.yaml", b->opts->content_dir);
	int rc = refuse_link_out(b, b->opts->content_dir, path);
	if (rc == 0)
		rc = config_load(path, &b->cfg, b->diags);
	const char *problem = rc == 0 && b->opts->base_url
				      ? config_set_base_url(&b->cfg, b->opts->base_url) : NULL;
	if (problem) {
		diag_error(b->diags, NULL, 0, 0, "--base-url '%s' is not a usable address: %s",
			   b->opts->base_url, problem);
		rc = -1;
	}
	if (rc == 0 && b->cfg.nlanguages > BUILD_MAX_LANGUAGES) {
		diag_error(b->diags, path, 0, 0, "at most %d languages are supported",
			   BUILD_MAX_LANGUAGES);
		rc = -1;
	}
	free(path);
	return rc;
}

/*
 * The content and templates folders must be folders before anything is
 * read: one clear line beats an error for every file sapan then misses
 * (the usual cause is running sapan outside the project folder).
 */
static int check_input_folders(struct build *b)
{
	const struct {
		const char *path, *what, *option;
	} folders[] = {
		{ b->opts->content_dir, "content", "--content" },
		{ b->opts->templates_dir, "templates", "--templates" },
	};
	int rc = 0;
	for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++) {
		struct stat st;
		const char *why = "is not a folder";
		if (stat(folders[i].path, &st) != 0)
			why = errno == ENOENT || errno == ENOTDIR ? "was not found" : strerror(errno);
		else if (S_ISDIR(st.st_mode))
			continue;
		diag_error(b->diags, folders[i].path, 0, 0,
			   "the %s folder %s; run sapan in the project folder, or name the "
			   "folder with %s", folders[i].what, why, folders[i].option);
		rc = -1;
	}
	return rc;
}

static int run(struct build *b)
{
	/* Before anything is read: a refused output folder costs no time. */
	struct output_place place = { b->opts->output_dir, b->opts->content_dir,
				      b->opts->templates_dir };
	if (check_input_folders(b) || output_check_place(&place, b->diags) || load_config(b))
		return -1;
	b->stats->nlanguages = b->cfg.nlanguages;
	for (size_t l = 0; l < b->cfg.nlanguages; l++)
		snprintf(b->stats->language_codes[l], sizeof b->stats->language_codes[l], "%s",
			 b->cfg.languages[l].code);
	/* A folder that cannot be resolved is reported by load_templates. */
	fsentry_root_open(&b->templates_root, b->opts->templates_dir);
	/* Each stage reports every error it finds before the build stops. */
	int rc = load_strings(b);
	rc |= load_templates(b);
	struct site_options so = { b->opts->content_dir, b->opts->drafts, &b->template_ids };
	rc |= site_load(&b->site, &b->cfg, &so, b->diags);
	if (rc || site_link(&b->site, b->diags) || check_layouts(b) || interrupted(b))
		return -1;
	b->out = output_begin(b->opts->output_dir, b->diags);
	if (!b->out)
		return -1;
	char *assets = xasprintf("%s/assets", b->opts->templates_dir);
	/* The assets are a walk of their own: a folder linked from the
	 * layouts may be linked from the assets too. */
	fsentry_root_forget_links(&b->templates_root);
	copy_assets_in(b, assets, "assets", 0);
	free(assets);
	struct view_env env = { .site = &b->site, .i18n = b->i18n,
				.css_path = b->css_path ? b->css_path : "" };
	if (check_outputs(b, &env))
		return -1;
	rc = view_menus_select(&env, b->diags);
	if (rc == 0)
		rc = write_pages(b, &env);
	copy_content_files(b);
	rc |= write_sitemap(b, &env);
	view_menus_free(&env);
	if (rc || b->diags->errors || interrupted(b))
		return -1;
	rc = output_commit(b->out, b->diags);
	struct output_counts counts;
	output_counts(b->out, &counts);
	b->stats->files_written = counts.written;
	b->stats->files_unchanged = counts.unchanged;
	b->stats->files_deleted = counts.deleted;
	if (rc)
		return -1;
	if (b->opts->inspect)
		b->opts->inspect(b->opts->inspect_ctx, &b->site);
	return 0;
}

int build_run(const struct build_options *opts, struct build_stats *stats,
	      struct diag_list *diags)
{
	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	memset(stats, 0, sizeof *stats);
	struct build b = { .opts = opts, .stats = stats, .diags = diags,
			   .page_delay_ms = test_page_delay_ms(),
			   .unbounded_render = test_unbounded_render() };
	size_t errors_before = diags->errors;
	int rc = run(&b);
	if (rc == 0 && diags->errors > errors_before)
		rc = -1;
	if (rc != 0)
		interrupted(&b); /* a signal during loading is reported too */
	output_end(b.out); /* without a commit, the output is left as it was */
	free(b.css_path);
	for (size_t i = 0; i < b.nasset_outputs; i++) {
		free((char *)b.asset_outputs[i].rel);
		free((char *)b.asset_outputs[i].what);
	}
	free(b.asset_outputs);
	fsentry_root_free(&b.templates_root);
	site_free(&b.site);
	if (b.templates)
		tmpl_set_free(b.templates);
	hmap_free(&b.template_ids);
	if (b.i18n)
		i18n_free(b.i18n);
	config_free(&b.cfg);
	clock_gettime(CLOCK_MONOTONIC, &end);
	stats->seconds = (double)(end.tv_sec - start.tv_sec) +
			 (double)(end.tv_nsec - start.tv_nsec) / 1e9;
	return rc;
}
