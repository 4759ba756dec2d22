/* SPDX-License-Identifier: MIT */
#include "build.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "assets.h"
#include "cache.h"
#include "config.h"
#include "fsentry.h"
#include "i18n.h"
#include "markdown.h"
#include "output.h"
#include "pool.h"
#include "site.h"
#include "sitemap.h"
#include "theme.h"
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
	struct theme theme; /* the templates folder */
	struct site site;
	struct output *out; /* the output folder while the build updates it */
	long page_delay_ms;  /* SAPAN_TEST_PAGE_DELAY_MS; 0 normally */
	bool unbounded_render; /* SAPAN_TEST_UNBOUNDED_RENDER; false normally */
	size_t html_budget;    /* see BUILD_HTML_BUDGET */
	bool stopped;        /* "interrupted" has been reported */
	unsigned jobs;       /* render threads */
	struct assets assets; /* what the theme's assets/ folder wrote */
	struct cache *cache;  /* NULL without opts->cache */
	struct cache_key global;    /* what invalidates the whole cache */
	struct cache_key structure; /* what a page's links resolve against */
	struct memo *memo;          /* one per page, with the cache */
};

/* What the cache needs of one page; written only by that page's tasks. */
struct memo {
	const struct cache_markdown *hit; /* its Markdown came from the cache */
	struct cache_key markdown;        /* the key of its Markdown */
	size_t body_at, body_len;         /* where the body is in the page's text */
	struct buf rest;                  /* a fresh result's record, after its keys */
	struct cache_key body;            /* the hash of its body's HTML */
	struct cache_page page;           /* its output file's record */
	bool has_page;
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

/*
 * Checks that no page or content file lands on another output: a page, an
 * asset, or a file the build itself writes. Call after assets_copy.
 * Returns 0 or -1.
 */
static int check_outputs(struct build *b, const struct view_env *env)
{
	size_t nl = b->cfg.nlanguages, n = 0;
	struct site_output *extra = xcalloc(nl + 3 + b->assets.noutputs, sizeof *extra);
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
	for (size_t i = 0; i < b->assets.noutputs; i++)
		extra[n++] = b->assets.outputs[i];
	int rc = site_check_outputs(&b->site, extra, n, b->diags);
	for (size_t i = 0; i < 2 * nl; i++)
		free(owned[i]);
	free(owned);
	free(extra);
	return rc;
}

/* Renders template name with view into root/rel, reporting to diags. The
 * render stops as soon as a signal asks the build to stop, however long
 * the page, or when cancel (may be NULL) says it is no longer wanted. Runs
 * on the render threads for pages: it reads only shared state, and
 * output_write is called for distinct rel paths only. */
static int emit(const struct build *b, const char *name, struct value *view, const char *rel,
		const struct tmpl_render_opts *cancel, struct diag_list *diags)
{
	struct buf html = BUF_INIT;
	struct tmpl_render_opts ro = { .stop = b->opts->interrupted };
	if (cancel) {
		ro.cancelled = cancel->cancelled;
		ro.cancel_ctx = cancel->cancel_ctx;
	}
	if (b->unbounded_render)
		ro.max_output = ro.max_steps = SIZE_MAX;
	int rc = tmpl_render_with(b->theme.templates, name, view, &ro, &html, diags);
	if (rc == 0)
		rc = output_write(b->out, rel, html.ptr, html.len, diags);
	buf_free(&html);
	value_free(view);
	return rc;
}

/* What one page's task produced; the driver merges these in page order,
 * so diagnostics and counts do not depend on the number of threads. */
struct page_result {
	struct diag_list diags;
	int rc;
	bool rendered; /* not taken from the cache */
};

/* One render phase over every page, run on the pool. */
struct render_phase {
	struct build *b;
	const struct view_env *env;
	struct page_result *results; /* one per page */
	const char *stage;           /* named in the progress line */
	/* The lowest index of a page that failed, SIZE_MAX while none has.
	 * Pages after it are cancelled: with one thread they would never
	 * have started, and a runaway template would otherwise burn every
	 * core at once. Pages before it run to the end, so the first failure
	 * in page order, and its diagnostics, are the same for any -j. */
	atomic_size_t first_failed;
	atomic_size_t html_held; /* bytes of body HTML kept for the page phase */
};

/* The page a render belongs to, for its cancel check. */
struct page_probe {
	struct render_phase *ph;
	size_t index;
};

static bool page_cancelled(void *ctx)
{
	const struct page_probe *probe = ctx;
	return atomic_load(&probe->ph->first_failed) < probe->index;
}

static void note_failure(struct render_phase *ph, size_t i)
{
	size_t seen = atomic_load(&ph->first_failed);
	while (i < seen && !atomic_compare_exchange_weak(&ph->first_failed, &seen, i))
		;
}

/* Takes page p's Markdown result from the cache when its key matches:
 * the page's text and everything its links resolve against. */
static bool markdown_from_cache(const struct build *b, struct page *p, struct memo *m,
				struct diag_list *diags)
{
	m->markdown = b->structure;
	cache_key_u64(&m->markdown, p->src.len);
	cache_key_put(&m->markdown, p->src.text, p->src.len);
	/* Where the body is, for read_again: a page rendered now may still be
	 * read again later, if its HTML is let go (keep_within_budget). */
	m->body_at = p->fm.body ? (size_t)(p->fm.body - p->src.text) : p->src.len;
	m->body_len = p->fm.body_len;
	const struct cache_markdown *hit = cache_find_markdown(b->cache, p->rel);
	if (!hit || hit->key.a != m->markdown.a || hit->key.b != m->markdown.b ||
	    cache_markdown_apply(hit, p, diags) != 0)
		return false;
	m->hit = hit;
	m->body = hit->html_hash;
	/* Most such pages are not rendered at all: their text goes now, and
	 * the few that are read it again (read_again). */
	site_drop_source(p);
	return true;
}

/* Reads again the text of a page whose Markdown came from the cache, or
 * whose HTML was let go, to render it; the text must be the one this build read, or the HTML would
 * not match the description and warnings already taken. Returns 0 or -1. */
static int read_again(const struct build *b, struct page *p, const struct memo *m,
		      struct diag_list *diags)
{
	if (source_read(p->path, &p->src, diags) != 0)
		return -1;
	struct cache_key k = b->structure;
	cache_key_u64(&k, p->src.len);
	cache_key_put(&k, p->src.text, p->src.len);
	if (k.a != m->markdown.a || k.b != m->markdown.b) {
		diag_error(diags, p->path, 0, 0,
			   "the file changed while sapan was building the site; build again");
		site_drop_source(p);
		return -1;
	}
	p->fm.body = p->src.text + m->body_at;
	p->fm.body_len = m->body_len;
	return 0;
}

/*
 * Every page's Markdown is rendered before any page (lists need every
 * description), so on a large site the bodies would all be held at once.
 * Past b->html_budget bytes a body is let go; the page phase reads the
 * page again (checking it against its cache key) and renders it once more,
 * which gives the same bytes. Only with the cache, which holds that key.
 */
static void keep_within_budget(struct render_phase *ph, struct page *p, size_t len)
{
	size_t held = atomic_fetch_add(&ph->html_held, len) + len;
	if (held <= ph->b->html_budget)
		return;
	atomic_fetch_sub(&ph->html_held, len);
	free(p->html);
	p->html = NULL;
}

static int markdown_task(void *ctx, size_t i, unsigned worker)
{
	(void)worker;
	struct render_phase *ph = ctx;
	struct page_result *r = &ph->results[i];
	const struct build *b = ph->b;
	struct page *p = b->site.pages[i];
	struct memo *m = b->cache ? &b->memo[i] : NULL;
	if (m && markdown_from_cache(b, p, m, &r->diags))
		return 0;
	r->rendered = true;
	r->rc = site_render_markdown(&b->site, p, &r->diags);
	if (m) {
		size_t len = strlen(p->html);
		cache_markdown_encode_rest(&m->rest, p, &r->diags);
		cache_key_init(&m->body);
		cache_key_put(&m->body, p->html, len);
		keep_within_budget(ph, p, len);
	}
	/* A broken link is reported and the build goes on: every page's
	 * links are checked in one run. */
	return 0;
}

/*
 * With the cache: builds page p's view without its body, and keys it by the
 * view, the body's hash, the layout and the output path. When the last
 * build wrote that very view to that file and the file is untouched, keeps
 * the file and returns 1. Otherwise returns 0 with the full view in *view,
 * to render, or -1 with an error. No dependency tracking is needed: an
 * edit changes the views of exactly the pages that show what was edited.
 */
static int page_from_cache(const struct build *b, const struct view_env *env, struct page *p,
			   struct memo *m, const char *layout, const char *rel,
			   struct value **view, struct diag_list *diags)
{
	char *html = p->html;
	p->html = NULL;
	struct value *v = view_page(env, p);
	p->html = html;
	struct cache_key *k = &m->page.view;
	cache_key_init(k);
	cache_key_str(k, layout);
	cache_key_str(k, rel);
	cache_key_u64(k, m->body.a);
	cache_key_u64(k, m->body.b);
	cache_key_value(k, v);
	m->has_page = true;
	const struct cache_page *old = cache_find_page(b->cache, rel);
	if (old && old->view.a == k->a && old->view.b == k->b &&
	    output_keep(b->out, rel, &old->stamp) == 0) {
		value_free(v);
		return 1;
	}
	if (!p->html && (read_again(b, p, m, diags) != 0 ||
			 site_render_markdown_html(&b->site, p) != 0)) {
		value_free(v);
		return -1;
	}
	value_set_str(value_get(v, "page"), "content", p->html);
	*view = v;
	return 0;
}

static int page_task(void *ctx, size_t i, unsigned worker)
{
	(void)worker;
	struct render_phase *ph = ctx;
	const struct build *b = ph->b;
	struct page *p = b->site.pages[i];
	struct page_result *r = &ph->results[i];
	char *owned;
	const char *layout = theme_layout(&b->theme, p, &owned);
	char *rel = xasprintf("%sindex.html", p->url);
	r->rc = 0;
	struct page_probe probe = { ph, i };
	struct tmpl_render_opts cancel = { .cancelled = page_cancelled, .cancel_ctx = &probe };
	struct value *view = NULL;
	int cached = b->cache ? page_from_cache(b, ph->env, p, &b->memo[i], layout, rel, &view,
						&r->diags)
			      : 0;
	if (cached < 0) {
		r->rc = -1;
	} else if (cached) {
		r->rendered = false;
	} else {
		r->rendered = true;
		r->rc = emit(b, layout, view ? view : view_page(ph->env, p), rel, &cancel,
			     &r->diags);
	}
	if (r->rc < 0)
		note_failure(ph, i);
	/* Only this page shows its body (lists show descriptions), so the
	 * body's HTML goes as soon as the page is written. */
	free(p->html);
	p->html = NULL;
	site_drop_source(p);
	free(rel);
	free(owned);
	test_page_delay(b);
	/* Every page shares the templates, so an error in one (a runaway
	 * partial, say) would repeat, at its full cost, on every page. */
	return r->rc;
}

static void report_progress(void *ctx, size_t done)
{
	const struct render_phase *ph = ctx;
	const struct build_options *o = ph->b->opts;
	o->progress(o->progress_ctx, ph->stage, done, ph->b->site.npages);
}

/*
 * Runs task on every page on the pool, then merges the pages' diagnostics
 * into the build's in page order. A task that fails stops the phase: the
 * pages after the first failed one are left out of the merge, because
 * with one thread they would not have run. Returns 0, or -1 when a page
 * failed or a stop was asked.
 */
static int render_all(struct build *b, const struct view_env *env, const char *stage,
		      int (*task)(void *ctx, size_t i, unsigned worker))
{
	size_t n = b->site.npages;
	struct render_phase ph = { b, env, xcalloc(n, sizeof *ph.results), stage, SIZE_MAX, 0 };
	for (size_t i = 0; i < n; i++)
		diag_list_init(&ph.results[i].diags);
	struct pool_job job = {
		.ntasks = n, .nthreads = b->jobs, .run = task, .ctx = &ph,
		.stop = b->opts->interrupted,
		.tick = b->opts->progress ? report_progress : NULL, .tick_ctx = &ph,
		.tick_ms = 100,
	};
	size_t started = n;
	int rc = pool_run(&job, &started);
	bool failed = false;
	for (size_t i = 0; i < n; i++) {
		struct page_result *r = &ph.results[i];
		if (!failed && i < started) {
			diag_list_take(b->diags, &r->diags);
			if (r->rc)
				rc = -1;
			else if (task == page_task)
				b->stats->pages[b->site.pages[i]->lang]++;
			if (r->rendered && task == page_task)
				b->stats->pages_rendered++;
			else if (r->rendered)
				b->stats->markdown_rendered++;
			failed = r->rc && task == page_task;
		}
		diag_list_free(&r->diags);
	}
	free(ph.results);
	if (interrupted(b))
		rc = -1;
	return rc;
}

/* Writes every page's Markdown record into the next cache. */
static void cache_markdown_results(struct build *b)
{
	cache_begin_write(b->cache);
	for (size_t i = 0; i < b->site.npages; i++) {
		const struct page *p = b->site.pages[i];
		struct memo *m = &b->memo[i];
		if (m->hit)
			cache_put_markdown_record(b->cache, m->hit);
		else
			cache_put_markdown(b->cache, p->rel, &m->markdown, &m->body, &m->rest);
		buf_free(&m->rest);
	}
}

/* After the commit: the stamp of every page's file, so that the next build
 * can tell that nobody touched it. */
static void cache_page_results(struct build *b)
{
	for (size_t i = 0; i < b->site.npages; i++) {
		const struct page *p = b->site.pages[i];
		struct memo *m = &b->memo[i];
		char *rel = xasprintf("%sindex.html", p->url);
		if (m->has_page && output_stamp(b->out, rel, &m->page.stamp) == 0)
			cache_put_page(b->cache, rel, &m->page);
		free(rel);
	}
	cache_finish(b->cache, b->diags);
}

/*
 * Renders every page's Markdown first: a list shows other pages'
 * descriptions, which exist only once those pages are rendered, so all
 * bodies must be ready before the first view is built. After that the
 * model is read-only, and each page's view and template render on any
 * thread.
 */
static int write_pages(struct build *b, const struct view_env *env)
{
	if (render_all(b, env, "Markdown", markdown_task))
		return -1;
	if (b->cache)
		cache_markdown_results(b);
	if (render_all(b, env, "pages", page_task))
		return -1;
	int rc = 0;
	for (size_t l = 0; l < b->cfg.nlanguages; l++) {
		char *url = view_archive_url(env, l);
		char *rel = xasprintf("%sindex.html", url);
		if (emit(b, "layouts/archive", view_archive(env, l), rel, NULL, b->diags) == 0) {
			b->stats->pages[l]++;
		} else {
			rc = -1;
		}
		free(rel);
		free(url);
	}
	if (emit(b, "layouts/languages", view_languages(env), "index.html", NULL, b->diags))
		rc = -1;
	if (emit(b, "layouts/404", view_not_found(env), "404.html", NULL, b->diags))
		rc = -1;
	return rc;
}

/* The sitemap protocol allows only absolute URLs, so without a base_url
 * there is no sitemap, and a note says why. */
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
	char *xml = sitemap_of_site(env);
	int rc = -1;
	if (!xml)
		diag_error(b->diags, "sitemap.xml", 0, 0, "cannot write the sitemap (libxml2 failed)");
	else
		rc = output_write(b->out, "sitemap.xml", xml, strlen(xml), b->diags);
	free(xml);
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

/* Adds the bytes of the file at path (or that there is none). */
static void key_file(struct cache_key *k, const char *path)
{
	struct buf text = BUF_INIT;
	struct diag_list ignored;
	diag_list_init(&ignored);
	bool read = output_read_file(path, &text, &ignored) == 0;
	cache_key_u64(k, read);
	cache_key_u64(k, text.len);
	cache_key_put(k, text.ptr, text.len);
	buf_free(&text);
	diag_list_free(&ignored);
}

/* A hash of keys that does not depend on the order of a table. */
static uint64_t key_set(const struct hmap *set, bool with_text)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < set->cap; i++) {
		const struct hmap_slot *s = &set->slots[i];
		if (!s->key)
			continue;
		uint64_t h = hash_bytes(s->key, strlen(s->key) + 1);
		sum += with_text ? hash_more(h, s->value, strlen(s->value)) : h;
	}
	return sum;
}

/*
 * The keys of the cache. The global one: everything that may change any
 * output. The structure: everything a page's Markdown links resolve
 * against, and the messages about them name (site.c resolve_link and
 * report_missing): every page's path, URL, language and key, every file,
 * the drafts left out, the files not published, the reserved ids, and
 * whether Thai descriptions can be cut at words.
 */
static void open_cache(struct build *b)
{
	struct cache_key *g = &b->global;
	cache_key_init(g);
	cache_key_str(g, SAPAN_VERSION);
	cache_key_str(g, markdown_engine_version());
	cache_key_u64(g, b->opts->drafts);
	cache_key_str(g, b->opts->base_url);
	cache_key_str(g, b->opts->content_dir);
	cache_key_str(g, b->opts->templates_dir);
	char *path = xasprintf("%s/site.yaml", b->opts->content_dir);
	key_file(g, path);
	free(path);
	for (size_t l = 0; l < b->cfg.nlanguages; l++) {
		path = xasprintf("%s/i18n/%s.yaml", b->opts->templates_dir,
				 b->cfg.languages[l].code);
		key_file(g, path);
		free(path);
	}
	cache_key_u64(g, b->theme.key);
	struct cache_key *s = &b->structure;
	*s = *g;
	cache_key_u64(s, b->site.thai != NULL);
	cache_key_u64(s, b->site.npages);
	for (size_t i = 0; i < b->site.npages; i++) {
		const struct page *p = b->site.pages[i];
		cache_key_str(s, p->rel);
		cache_key_str(s, p->url);
		cache_key_str(s, p->key);
		cache_key_u64(s, p->lang);
	}
	cache_key_u64(s, b->site.nfiles);
	for (size_t i = 0; i < b->site.nfiles; i++)
		cache_key_str(s, b->site.files[i].rel);
	cache_key_u64(s, key_set(&b->site.drafts_by_rel, false));
	cache_key_u64(s, key_set(&b->site.skipped_by_rel, true));
	cache_key_u64(s, key_set(&b->theme.ids, false));
	b->cache = cache_open(b->opts->output_dir, b->global, !b->opts->cache_refresh, b->diags);
	b->memo = xcalloc(b->site.npages ? b->site.npages : 1, sizeof *b->memo);
	for (size_t i = 0; i < b->site.npages; i++)
		buf_init(&b->memo[i].rest);
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
	/* Each stage reports every error it finds before the build stops. */
	int rc = load_strings(b);
	rc |= theme_load(&b->theme, b->opts->templates_dir, b->diags);
	struct site_options so = { b->opts->content_dir, b->opts->drafts, &b->theme.ids,
				   b->jobs };
	rc |= site_load(&b->site, &b->cfg, &so, b->diags);
	if (rc || site_link(&b->site, b->diags) ||
	    theme_check_layouts(&b->theme, &b->site, b->diags) || interrupted(b))
		return -1;
	b->out = output_begin(b->opts->output_dir, b->diags);
	if (!b->out)
		return -1;
	/* Under the output's lock: one build at a time writes its cache. */
	if (b->opts->cache)
		open_cache(b);
	assets_copy(&b->assets, &b->theme.root, b->opts->templates_dir, b->out, b->diags);
	b->stats->files_copied += b->assets.files_copied;
	struct view_env env = { .site = &b->site, .i18n = b->i18n,
				.css_path = b->assets.css_path ? b->assets.css_path : "" };
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
	if (rc == 0 && b->cache)
		cache_page_results(b);
	struct output_counts counts;
	output_counts(b->out, &counts);
	b->stats->files_written = counts.written;
	b->stats->files_unchanged = counts.unchanged;
	b->stats->files_deleted = counts.deleted;
	if (rc)
		return -1;
	if (b->opts->changed)
		output_each_change(b->out, b->opts->changed, b->opts->changed_ctx);
	if (b->opts->inspect)
		b->opts->inspect(b->opts->inspect_ctx, &b->site);
	return 0;
}

static unsigned online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > POOL_MAX_THREADS ? POOL_MAX_THREADS : (unsigned)n;
}

/*
 * How much body HTML the Markdown phase may hold for the page phase. A
 * site of a few thousand pages stays well within it, and so renders each
 * body once; 10,000 pages per language hold about 200 MB of bodies, which
 * is what the bound keeps out of memory.
 */
#define BUILD_HTML_BUDGET ((size_t)64 << 20)

/*
 * TEST HOOK ONLY: SAPAN_TEST_HTML_BUDGET=N sets that budget to N bytes, so
 * tests/e2e/cache.sh can show that bodies let go and rendered again give
 * the same site. Not a user setting.
 */
static size_t test_html_budget(void)
{
	const char *v = getenv("SAPAN_TEST_HTML_BUDGET");
	if (!v || !*v)
		return BUILD_HTML_BUDGET;
	char *end;
	unsigned long long n = strtoull(v, &end, 10);
	return *end ? BUILD_HTML_BUDGET : (size_t)n;
}

int build_run(const struct build_options *opts, struct build_stats *stats,
	      struct diag_list *diags)
{
	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	memset(stats, 0, sizeof *stats);
	struct build b = { .opts = opts, .stats = stats, .diags = diags,
			   .page_delay_ms = test_page_delay_ms(),
			   .unbounded_render = test_unbounded_render(),
			   .html_budget = test_html_budget() };
	b.jobs = opts->jobs ? opts->jobs : online_cpus();
	if (b.jobs > POOL_MAX_THREADS)
		b.jobs = POOL_MAX_THREADS;
	size_t errors_before = diags->errors;
	int rc = run(&b);
	if (rc == 0 && diags->errors > errors_before)
		rc = -1;
	if (rc != 0)
		interrupted(&b); /* a signal during loading is reported too */
	output_end(b.out); /* without a commit, the output is left as it was */
	if (b.memo)
		for (size_t i = 0; i < b.site.npages; i++)
			buf_free(&b.memo[i].rest);
	free(b.memo);
	cache_free(b.cache); /* without cache_finish, the old cache stays */
	assets_free(&b.assets);
	theme_free(&b.theme);
	site_free(&b.site);
	if (b.i18n)
		i18n_free(b.i18n);
	config_free(&b.cfg);
	clock_gettime(CLOCK_MONOTONIC, &end);
	stats->seconds = (double)(end.tv_sec - start.tv_sec) +
			 (double)(end.tv_nsec - start.tv_nsec) / 1e9;
	return rc;
}
