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

#include "alias.h"
#include "assets.h"
#include "cache.h"
#include "config.h"
#include "fsentry.h"
#include "i18n.h"
#include "identity.h"
#include "markdown.h"
#include "output.h"
#include "paginate.h"
#include "pool.h"
#include "search.h"
#include "site.h"
#include "sitemap.h"
#include "theme.h"
#include "tmpl.h"
#include "url.h"
#include "util.h"
#include "view.h"

/* A sum of sapan's source files, set by the Makefile: part of the cache's
 * key, so that a cache never outlives a change to the code that renders. */
#ifndef SAPAN_SOURCE_ID
#define SAPAN_SOURCE_ID ""
#endif

/* A file made from the whole site (an archive page, the sitemap), with its
 * inputs and whether it was kept, for the next build's cache. */
struct generated {
	char *rel;
	struct cache_page page;
	bool kept;
};

struct generated_list {
	struct generated *items;
	size_t len, cap;
};

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
	int64_t started_s;          /* wall-clock time the build started */
	/* One per page: its Markdown is rendered in the page phase, with its
	 * template (markdown_task says when); NULL to render none so. */
	bool *deferred;
	/* With the cache: the files made from the whole site (archives, the
	 * sitemap), each with its inputs and whether it was kept. */
	struct generated_list generated;
	struct cache_key outputs_checked; /* see outputs_checked_before */
	/* Whether the theme has layouts/search: each language's search page. */
	bool search_page;
	/* The search index (search.h); NULL without a search page, and in an
	 * offline copy, whose page cannot fetch it from file:// (it is a
	 * site index there). A session keeps it with the model. */
	struct search *search;
	bool search_gather; /* this build gathers the pages' words */
	/* By language: what its index is made from, and whether the last
	 * build's files of it are kept as they are. */
	struct cache_key search_inputs[BUILD_MAX_LANGUAGES];
	bool search_kept[BUILD_MAX_LANGUAGES];
	char *search_records; /* with the cache: the pages' records (search_save) */
	struct cache_key records_key; /* what every record depends on */
};

/* What the cache needs of one page; written only by that page's tasks. */
struct memo {
	const struct cache_markdown *hit; /* its Markdown came from the cache */
	struct cache_key markdown;        /* the key of its Markdown */
	struct buf rest;                  /* a fresh result's record, after its keys */
	struct cache_key body;            /* the hash of its body's HTML */
	struct cache_page page;           /* its output file's record */
	bool has_page;
	bool view_built;                  /* its inputs changed: the view was built */
	bool kept;                        /* its file was kept: page.stamp is its stamp */
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
 * How much body HTML the Markdown phase may hold for the page phase. A
 * site of a few thousand pages stays well within it, and so renders each
 * body once; 10,000 pages per language hold about 200 MB of bodies, which
 * is what the bound keeps out of memory.
 */
#define BUILD_HTML_BUDGET ((size_t)64 << 20)

/*
 * TEST HOOK ONLY: SAPAN_TEST_HTML_BUDGET=N sets that budget to N bytes, and
 * SAPAN_TEST_TEXT_BUDGET=N the site's (site.h), so tests/e2e/edits.sh can
 * show that bodies let go and rendered or read again give the same site.
 * Not user settings.
 */
static size_t test_budget(const char *name, size_t otherwise)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return otherwise;
	char *end;
	unsigned long long n = strtoull(v, &end, 10);
	return *end ? otherwise : (size_t)n;
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
 * The check of output paths is a pure function of the paths: every page's
 * and file's (the structure key) and extra's. With the cache, returns true
 * when the last successful build checked the very same paths (its record
 * under the name "", which no output has); records them for the next.
 */
static bool outputs_checked_before(struct build *b, const struct site_output *extra, size_t n)
{
	if (!b->cache)
		return false;
	struct cache_key *k = &b->outputs_checked;
	*k = b->structure;
	cache_key_u64(k, n);
	for (size_t i = 0; i < n; i++) {
		cache_key_str(k, extra[i].rel);
		cache_key_str(k, extra[i].what);
	}
	/* Aliases come from front matter, which the structure key leaves out. */
	for (size_t i = 0; i < b->site.npages; i++) {
		const struct page *p = b->site.pages[i];
		cache_key_u64(k, p->fm.naliases);
		for (size_t a = 0; a < p->fm.naliases; a++) {
			cache_key_str(k, p->fm.aliases[a]);
			cache_key_str(k, p->aliases[a]);
			cache_key_u64(k, p->fm.alias_pos[a].line);
			cache_key_u64(k, p->fm.alias_pos[a].col);
		}
	}
	const struct cache_page *old = cache_find_page(b->cache, "");
	return old && cache_key_equal(&old->inputs, k);
}

/*
 * The later pages of every long list (paginate.h), after *n entries left
 * for the caller to fill: returns the array, *n its new length; the
 * entries it adds own their strings.
 */
static struct site_output *list_outputs(const struct build *b, const struct view_env *env,
					size_t *n)
{
	size_t len = *n, cap = 0;
	struct site_output *out = xgrow(NULL, &cap, len ? len : 1, sizeof *out);
	for (size_t i = 0; i < b->site.npages + b->cfg.nlanguages; i++) {
		const struct page *p = i < b->site.npages ? b->site.pages[i] : NULL;
		size_t lang = p ? p->lang : i - b->site.npages;
		char *base = p ? xstrdup(p->url) : view_archive_url(env, lang);
		size_t count = p ? view_list_count(env, p) : view_archive_count(env, lang);
		for (size_t number = 2; number <= count; number++) {
			out = xgrow(out, &cap, len + 1, sizeof *out);
			char *url = paginate_url(base, number);
			out[len].rel = xasprintf("%sindex.html", url);
			out[len++].what = p ? xasprintf("page %zu of the list of %s", number, p->path)
					    : xasprintf("page %zu of the archive of '%s'", number,
							b->cfg.languages[lang].code);
			free(url);
		}
		free(base);
	}
	for (size_t lang = 0; lang < b->cfg.nlanguages; lang++) {
		char *base = view_publications_url(env, lang);
		size_t count = view_publications_count(env, lang);
		for (size_t number = 2; number <= count; number++) {
			out = xgrow(out, &cap, len + 1, sizeof *out);
			char *url = paginate_url(base, number);
			out[len].rel = xasprintf("%sindex.html", url);
			out[len++].what = xasprintf("page %zu of the publications of '%s'", number,
						    b->cfg.languages[lang].code);
			free(url);
		}
		free(base);
	}
	*n = len;
	return out;
}

/*
 * Checks that no page or content file lands on another output: a page, an
 * asset, or a file the build itself writes. Call after assets_copy.
 * Returns 0 or -1.
 */
static int check_outputs(struct build *b, const struct view_env *env)
{
	size_t nl = b->cfg.nlanguages, n = 0;
	struct site_output *extra = xcalloc(4 * nl + 3 + b->assets.noutputs, sizeof *extra);
	char **owned = xcalloc(8 * nl + 1, sizeof *owned);
	extra[n++] = (struct site_output){ "index.html", "the language choice page" };
	extra[n++] = (struct site_output){ "404.html", "the 404 page" };
	extra[n++] = (struct site_output){ "sitemap.xml", "the sitemap" };
	for (size_t l = 0; l < nl; l++) {
		char *url = view_archive_url(env, l);
		owned[2 * l] = xasprintf("%sindex.html", url);
		owned[2 * l + 1] = xasprintf("the archive of '%s'", b->cfg.languages[l].code);
		extra[n++] = (struct site_output){ owned[2 * l], owned[2 * l + 1] };
		free(url);
		if (b->cfg.base_url) {
			const char *code = b->cfg.languages[l].code;
			owned[2 * nl + 2 * l] = xasprintf("%s/feed.xml", code);
			owned[2 * nl + 2 * l + 1] = xasprintf("the feed of '%s'", code);
			extra[n++] = (struct site_output){ owned[2 * nl + 2 * l],
							   owned[2 * nl + 2 * l + 1] };
		}
		url = view_publications_url(env, l);
		owned[4 * nl + 2 * l] = xasprintf("%sindex.html", url);
		owned[4 * nl + 2 * l + 1] = xasprintf("the publications page of '%s'",
						      b->cfg.languages[l].code);
		extra[n++] = (struct site_output){ owned[4 * nl + 2 * l], owned[4 * nl + 2 * l + 1] };
		free(url);
		if (b->search_page) {
			url = view_search_url(env, l);
			owned[6 * nl + 2 * l] = xasprintf("%sindex.html", url);
			owned[6 * nl + 2 * l + 1] =
				xasprintf("the search page of '%s'", b->cfg.languages[l].code);
			extra[n++] = (struct site_output){ owned[6 * nl + 2 * l],
							   owned[6 * nl + 2 * l + 1] };
			free(url);
		}
	}
	for (size_t i = 0; i < b->assets.noutputs; i++)
		extra[n++] = b->assets.outputs[i];
	size_t nlists = n;
	struct site_output *lists = list_outputs(b, env, &nlists);
	memcpy(lists, extra, n * sizeof *extra);
	int rc = 0;
	if (!outputs_checked_before(b, lists, nlists))
		rc = site_check_outputs(&b->site, lists, nlists, b->diags);
	for (size_t i = n; i < nlists; i++) {
		free((char *)lists[i].rel);
		free((char *)lists[i].what);
	}
	free(lists);
	for (size_t i = 0; i < 8 * nl; i++)
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
	/* The page phase: its Markdown, deferred (markdown_task), was
	 * rendered with it, and failed (broken links: the build fails, but
	 * later pages go on, so that every page's links are checked). */
	bool markdown_rendered, markdown_failed;
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
	cache_key_u64(&m->markdown, p->text_key.a);
	cache_key_u64(&m->markdown, p->text_key.b);
	const struct cache_markdown *hit = cache_find_markdown(b->cache, p->rel);
	if (!hit || !cache_key_equal(&hit->key, &m->markdown) ||
	    cache_markdown_apply(hit, p, diags) != 0)
		return false;
	m->hit = hit;
	m->body = hit->html_hash;
	/* Most such pages are not rendered at all: their text goes now, and
	 * the few that are read it again (site_load_body). */
	site_drop_source(p);
	return true;
}

/*
 * The Markdown of a page without a summary is rendered before any page
 * (its first paragraph is the description lists show), so on a large site
 * such bodies would all be held at once. Past b->html_budget bytes a body
 * is let go; the page phase reads the page again (site_load_body checks
 * the text is the one loaded) and renders it once more, which gives the
 * same bytes. Only with the cache: page_from_cache is what renders again.
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

/* Renders page p's Markdown; with the cache, keeps what the cache needs. */
static int render_markdown(const struct build *b, struct page *p, struct memo *m,
			   struct diag_list *diags)
{
	size_t before = diags->len;
	int rc = site_render_markdown(&b->site, p, diags);
	if (m && p->html) {
		/* The record holds the page's own diagnostics only. */
		struct diag_list own = { .items = diags->items + before, .len = diags->len - before };
		cache_markdown_encode_rest(&m->rest, p, &own);
		cache_key_init(&m->body);
		cache_key_put(&m->body, p->html, strlen(p->html));
	}
	return rc;
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
	/* A page with a summary shows it in lists, not its first paragraph:
	 * nothing of its body is needed before its own page renders, so its
	 * Markdown waits for that, and its HTML is never held meanwhile. */
	if (b->deferred && p->fm.summary) {
		p->description = xstrdup(p->fm.summary);
		b->deferred[i] = true;
		return 0;
	}
	r->rendered = true;
	r->rc = render_markdown(b, p, m, &r->diags);
	if (m)
		keep_within_budget(ph, p, strlen(p->html));
	/* A broken link is reported and the build goes on: every page's
	 * links are checked in one run. */
	return 0;
}

/*
 * With the cache: keeps page p's file when the last build wrote it from
 * the same inputs (view_page_inputs) or the same view, and the file is
 * untouched since: returns 1. The inputs are checked first, as they cost
 * a few hashes where building and hashing the view costs a large part of
 * a rebuild. Otherwise returns 0 with the full view in *view, to render,
 * or -1 with an error.
 */
static int page_from_cache(const struct build *b, const struct view_env *env, struct page *p,
			   struct memo *m, const char *layout, const char *rel,
			   struct value **view, struct diag_list *diags)
{
	struct cache_key *in = &m->page.inputs;
	*in = b->structure;
	cache_key_str(in, layout);
	cache_key_str(in, rel);
	view_page_inputs(env, p, in);
	m->has_page = true;
	const struct cache_page *old = cache_find_page(b->cache, rel);
	if (old && cache_key_equal(&old->inputs, in) &&
	    output_keep(b->out, rel, &old->stamp) == 0) {
		m->page.view = old->view;
		m->page.stamp = old->stamp;
		m->kept = true;
		return 1;
	}
	char *html = p->html;
	p->html = NULL;
	struct value *v = view_page(env, p);
	p->html = html;
	m->view_built = true;
	struct cache_key *k = &m->page.view;
	cache_key_init(k);
	cache_key_str(k, layout);
	cache_key_str(k, rel);
	cache_key_u64(k, m->body.a);
	cache_key_u64(k, m->body.b);
	cache_key_value(k, v);
	if (old && cache_key_equal(&old->view, k) && output_keep(b->out, rel, &old->stamp) == 0) {
		m->page.stamp = old->stamp;
		m->kept = true;
		value_free(v);
		return 1;
	}
	if (!p->html && site_render_markdown_html(&b->site, p, diags) != 0) {
		value_free(v);
		return -1;
	}
	value_set_str(value_get(v, "page"), "content", p->html);
	*view = v;
	return 0;
}

/* Gathers page p's words for the search index, rendering its Markdown
 * again when its file was kept and its HTML let go. Returns 0 or -1. */
static int gather_words(const struct build *b, struct page *p, unsigned worker,
			struct diag_list *diags)
{
	if (!b->search_gather || p->fm.draft || search_has(b->search, p))
		return 0;
	if (!p->html && site_render_markdown_html(&b->site, p, diags) != 0)
		return -1;
	search_add_page(b->search, worker, p, p->html,
			strcmp(b->cfg.languages[p->lang].code, "th") == 0);
	return 0;
}

static int page_task(void *ctx, size_t i, unsigned worker)
{
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
	if (b->deferred && b->deferred[i]) {
		r->markdown_rendered = true;
		r->markdown_failed =
			render_markdown(b, p, b->cache ? &b->memo[i] : NULL, &r->diags) != 0;
	}
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
	if (r->rc == 0)
		r->rc = gather_words(b, p, worker, &r->diags);
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

/* After a failed Markdown phase: the Markdown of the pages whose
 * Markdown waited for their page, only for its diagnostics. */
static int markdown_deferred_task(void *ctx, size_t i, unsigned worker)
{
	(void)worker;
	struct render_phase *ph = ctx;
	struct page *p = ph->b->site.pages[i];
	struct page_result *r = &ph->results[i];
	if (!ph->b->deferred[i])
		return 0;
	r->rc = site_render_markdown(&ph->b->site, p, &r->diags);
	return 0;
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
			if (task == page_task && (!b->memo || b->memo[i].view_built))
				b->stats->views_built++;
			if (r->rendered && task == page_task)
				b->stats->pages_rendered++;
			else if (r->rendered)
				b->stats->markdown_rendered++;
			b->stats->markdown_rendered += r->markdown_rendered;
			if (r->markdown_failed)
				rc = -1;
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
	for (size_t i = 0; i < b->site.npages; i++)
		cache_put_source(b->cache, b->site.pages[i]);
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
		/* A kept file is as it was: the commit touches only new files. */
		if (m->has_page && (m->kept || output_stamp(b->out, rel, &m->page.stamp) == 0))
			cache_put_page(b->cache, rel, &m->page);
		free(rel);
	}
	for (size_t i = 0; i < b->generated.len; i++) {
		struct generated *g = &b->generated.items[i];
		if (g->kept || output_stamp(b->out, g->rel, &g->page.stamp) == 0)
			cache_put_page(b->cache, g->rel, &g->page);
	}
	struct cache_page checked = { .inputs = b->outputs_checked };
	cache_put_page(b->cache, "", &checked);
	cache_finish(b->cache, b->diags);
}

/* The key of a file made from the whole site, from its inputs. */
static struct cache_key generated_key(const struct build *b, const struct cache_key *inputs)
{
	struct cache_key k = b->structure;
	cache_key_u64(&k, inputs->a);
	cache_key_u64(&k, inputs->b);
	return k;
}

/* Records in list the file rel, made from the whole site with inputs, for
 * the next build's cache; returns its record. */
static struct generated *note_generated(const struct build *b, struct generated_list *list,
					const char *rel, const struct cache_key *inputs)
{
	list->items = xgrow(list->items, &list->cap, list->len + 1, sizeof *list->items);
	struct generated *g = &list->items[list->len++];
	*g = (struct generated){ .rel = xstrdup(rel) };
	g->page.inputs = generated_key(b, inputs);
	return g;
}

static void generated_free(struct generated_list *list)
{
	for (size_t i = 0; i < list->len; i++)
		free(list->items[i].rel);
	free(list->items);
	*list = (struct generated_list){ NULL, 0, 0 };
}

/*
 * With the cache: keeps the file rel, made from the whole site, when the
 * last build wrote it from the same inputs (view_archive_inputs,
 * sitemap_inputs, with the structure key) and nobody touched it since;
 * returns true then. Either way, records the inputs for the next build.
 */
static bool keep_generated(const struct build *b, struct generated_list *list, const char *rel,
			   const struct cache_key *inputs)
{
	if (!b->cache)
		return false;
	struct generated *g = note_generated(b, list, rel, inputs);
	const struct cache_page *old = cache_find_page(b->cache, rel);
	if (old && cache_key_equal(&old->inputs, &g->page.inputs) &&
	    output_keep(b->out, rel, &old->stamp) == 0) {
		g->page.stamp = old->stamp;
		g->kept = true;
	}
	return g->kept;
}

/*
 * One of the writers of files made from the whole site, which run side by
 * side after the page phase (write_whole_site). Each keeps what it makes
 * to itself, and the driver merges the parts in their fixed order, so
 * that diagnostics, counts and the cache's records do not depend on which
 * one ran first.
 */
struct part {
	int (*write)(struct part *pt);
	const struct build *b;
	const struct view_env *env;
	struct diag_list diags;
	struct generated_list generated;
	size_t pages[BUILD_MAX_LANGUAGES]; /* pages written per language */
	size_t search_written;             /* languages whose index it wrote */
	int rc;
};

/* Whether a signal asked the build to stop; run() reports it. */
static bool stop_asked(const struct build *b)
{
	return b->opts->interrupted && *b->opts->interrupted;
}

/* Writes page rel of layout, or keeps it when its inputs are the last
 * build's; counts it for lang. Returns 0 or -1. */
static int write_generated(struct part *pt, const char *layout, const char *rel,
			   const struct cache_key *inputs, struct value *(*view)(void *ctx),
			   void *ctx, size_t lang)
{
	const struct build *b = pt->b;
	int rc = 0;
	if (!keep_generated(b, &pt->generated, rel, inputs))
		rc = emit(b, layout, view(ctx), rel, NULL, &pt->diags);
	if (rc == 0)
		pt->pages[lang]++;
	return rc;
}

/*
 * The later pages of every long section list (the first is the section's
 * own page, which page_task writes): they show no body, only entries,
 * so they are written after the page phase, each kept when its inputs
 * (view_list_page_inputs) are those of the last build. Returns 0 or -1.
 */
struct list_page {
	const struct view_env *env;
	const struct page *page;
	size_t number;
};

static struct value *list_page_view(void *ctx)
{
	const struct list_page *lp = ctx;
	return view_list_page(lp->env, lp->page, lp->number);
}

static int write_list_pages(struct part *pt)
{
	const struct build *b = pt->b;
	const struct view_env *env = pt->env;
	int rc = 0;
	for (size_t i = 0; i < b->site.npages && !stop_asked(b); i++) {
		const struct page *p = b->site.pages[i];
		size_t count = view_list_count(env, p);
		if (count <= 1)
			continue;
		char *owned;
		const char *layout = theme_layout(&b->theme, p, &owned);
		for (size_t number = 2; number <= count; number++) {
			char *url = paginate_url(p->url, number);
			char *rel = xasprintf("%sindex.html", url);
			struct cache_key in;
			cache_key_init(&in);
			cache_key_str(&in, layout);
			view_list_page_inputs(env, p, number, &in);
			struct list_page lp = { env, p, number };
			rc |= write_generated(pt, layout, rel, &in, list_page_view, &lp, p->lang);
			free(rel);
			free(url);
		}
		free(owned);
	}
	return rc;
}

/* A list page of each language that the site makes, not a content page:
 * where it is, how many pages it takes, what it shows. */
struct numbered_list {
	const char *layout;
	char *(*url)(const struct view_env *env, size_t lang);
	size_t (*count)(const struct view_env *env, size_t lang);
	void (*inputs)(const struct view_env *env, size_t lang, size_t number,
		       struct cache_key *k);
	struct value *(*view)(const struct view_env *env, size_t lang, size_t number);
};

struct numbered_page {
	const struct view_env *env;
	const struct numbered_list *list;
	size_t lang, number;
};

static struct value *numbered_view(void *ctx)
{
	const struct numbered_page *np = ctx;
	return np->list->view(np->env, np->lang, np->number);
}

/* Writes every page of list in language lang, each kept when its inputs
 * did not change. Returns 0 or -1. */
static int write_numbered(struct part *pt, const struct numbered_list *list, size_t lang)
{
	const struct view_env *env = pt->env;
	int rc = 0;
	char *base = list->url(env, lang);
	size_t count = list->count(env, lang);
	for (size_t number = 1; number <= count; number++) {
		char *url = paginate_url(base, number);
		char *rel = xasprintf("%sindex.html", url);
		struct cache_key in;
		cache_key_init(&in);
		list->inputs(env, lang, number, &in);
		struct numbered_page np = { env, list, lang, number };
		rc |= write_generated(pt, list->layout, rel, &in, numbered_view, &np, lang);
		free(rel);
		free(url);
	}
	free(base);
	return rc;
}

/* The archives and lists of publications of every language, the root
 * page that chooses a language, and the 404 page. */
static int write_site_lists(struct part *pt)
{
	const struct build *b = pt->b;
	const struct view_env *env = pt->env;
	static const struct numbered_list lists[] = {
		{ "layouts/archive", view_archive_url, view_archive_count, view_archive_inputs,
		  view_archive },
		{ "layouts/publications", view_publications_url, view_publications_count,
		  view_publications_inputs, view_publications },
	};
	int rc = 0;
	for (size_t l = 0; l < b->cfg.nlanguages; l++) {
		for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
			rc |= write_numbered(pt, &lists[i], l);
	}
	if (emit(b, "layouts/languages", view_languages(env), "index.html", NULL, &pt->diags))
		rc = -1;
	/* Opened from file://, no server ever shows a 404 page. */
	if (!b->opts->offline &&
	    emit(b, "layouts/404", view_not_found(env), "404.html", NULL, &pt->diags))
		rc = -1;
	return rc;
}

/*
 * The redirect page at each alias of every page (alias.h). They are a few
 * hundred bytes each, made from the page's title and address: written
 * every build, and left untouched when the same (output_write).
 */
static int write_aliases(struct build *b, const struct view_env *env)
{
	int rc = 0;
	for (size_t i = 0; i < b->site.npages && !interrupted(b); i++) {
		const struct page *p = b->site.pages[i];
		const char *code = b->cfg.languages[p->lang].code;
		char *canonical = b->cfg.base_url ? view_absolute_url(env, p->url) : NULL;
		for (size_t a = 0; a < p->fm.naliases; a++) {
			struct alias_page ap = { .rel = p->aliases[a], .target = p->url,
						 .canonical = canonical, .lang = code,
						 .title = p->fm.title,
						 .moved = i18n_get(b->i18n, code, "moved") };
			char *html = alias_html(&ap);
			rc |= output_write(b->out, ap.rel, html, strlen(html), b->diags);
			free(html);
		}
		free(canonical);
	}
	return rc;
}

/*
 * Renders the Markdown of every page without a summary first: a list
 * shows other pages' descriptions, and such a page's is its first
 * paragraph, so it must exist before the first view is built (a page with
 * a summary renders its Markdown with its template: markdown_task). After
 * that the model is read-only but for each page's own rendered fields, and
 * each page's view and template render on any thread.
 */
static int write_pages(struct build *b, const struct view_env *env)
{
	b->deferred = xcalloc(b->site.npages ? b->site.npages : 1, sizeof *b->deferred);
	if (render_all(b, env, "Markdown", markdown_task)) {
		/* The pages will not render: render the Markdown that waited for
		 * them now, so that every broken link is reported in one run. */
		render_all(b, env, "Markdown", markdown_deferred_task);
		return -1;
	}
	if (render_all(b, env, "pages", page_task))
		return -1;
	if (b->cache)
		cache_markdown_results(b);
	/* An offline copy keeps no old addresses: nothing outside it links
	 * into it, and a redirect would lead to a folder and to the site. */
	return b->opts->offline ? 0 : write_aliases(b, env);
}

/* The sitemap protocol allows only absolute URLs, so without a base_url
 * there is no sitemap (and no feeds), and a note says why. */
static int write_sitemap(struct part *pt)
{
	const struct build *b = pt->b;
	if (b->opts->offline)
		return 0; /* search engines never read an offline copy */
	if (!b->cfg.base_url) {
		char *path = xasprintf("%s/site.yaml", b->opts->content_dir);
		diag_add(&pt->diags, DIAG_NOTE, path, 0, 0,
			 "no sitemap.xml and no feed.xml were written: a sitemap and Atom "
			 "feeds need the site's address; set base_url here (or use "
			 "--base-url) to get them");
		free(path);
		return 0;
	}
	struct cache_key in;
	cache_key_init(&in);
	sitemap_inputs(pt->env, &in);
	if (keep_generated(b, &pt->generated, "sitemap.xml", &in))
		return 0;
	char *xml = sitemap_of_site(pt->env);
	int rc = -1;
	if (!xml)
		diag_error(&pt->diags, "sitemap.xml", 0, 0,
			   "cannot write the sitemap (libxml2 failed)");
	else
		rc = output_write(b->out, "sitemap.xml", xml, strlen(xml), &pt->diags);
	free(xml);
	return rc;
}

/* Atom ids and links are absolute, so without a base_url there are no
 * feeds (write_sitemap's note says so). */
static int write_feeds(struct part *pt)
{
	const struct build *b = pt->b;
	if (!b->cfg.base_url || b->opts->offline)
		return 0;
	int rc = 0;
	for (size_t l = 0; l < b->cfg.nlanguages; l++) {
		char *rel = xasprintf("%s/feed.xml", b->cfg.languages[l].code);
		char *xml = sitemap_feed(pt->env, l);
		if (!xml) {
			diag_error(&pt->diags, rel, 0, 0, "cannot write the feed (libxml2 failed)");
			rc = -1;
		} else if (output_write(b->out, rel, xml, strlen(xml), &pt->diags)) {
			rc = -1;
		}
		free(xml);
		free(rel);
	}
	return rc;
}

/*
 * With the cache: true when the last build wrote every file of language
 * lang's search index from the same inputs (the text of every page it
 * indexes, with the structure) and nobody touched them since; they are
 * then kept. The files are named in order (search_file), so the last
 * build's are found by their records.
 */
static bool search_files_kept(struct build *b, size_t lang)
{
	static const char kinds[] = { 0, 's', 'd' };
	const struct cache_key *inputs = &b->search_inputs[lang];
	struct cache_key want = generated_key(b, inputs);
	const char *code = b->cfg.languages[lang].code;
	for (int keep = 0; keep < 2; keep++) {
		for (size_t i = 0; i < sizeof kinds; i++) {
			for (size_t k = 0;; k++) {
				char *rel = search_file(code, kinds[i], k);
				const struct cache_page *old = cache_find_page(b->cache, rel);
				struct output_stamp now;
				bool same = old && cache_key_equal(&old->inputs, &want) &&
					    output_stamp(b->out, rel, &now) == 0 &&
					    memcmp(&now, &old->stamp, sizeof now) == 0;
				if (keep && same)
					same = keep_generated(b, &b->generated, rel, inputs);
				free(rel);
				if (!old && kinds[i])
					break;
				if (!same)
					return false;
				if (!kinds[i])
					break;
			}
		}
	}
	return true;
}

/*
 * Before the pages render: whether their words are gathered for the
 * search index. Without the cache, or in a session (whose quick rebuilds
 * update the index from the pages' records), always; with the cache, only
 * when some language's index cannot be kept as it is. Each language's is
 * kept apart: an edit to a page that has a version in every language
 * changes one language's index only.
 */
static void search_begin(struct build *b)
{
	if (!b->search)
		return;
	search_reserve(b->search, b->site.npages);
	b->search_gather = true;
	memset(b->search_kept, 0, sizeof b->search_kept);
	if (!b->cache)
		return;
	bool all_kept = !b->opts->session;
	for (size_t l = 0; l < b->cfg.nlanguages; l++) {
		struct cache_key *k = &b->search_inputs[l];
		cache_key_init(k);
		cache_key_str(k, "search");
		cache_key_str(k, b->cfg.languages[l].code);
		for (size_t i = 0; i < b->site.npages; i++) {
			const struct page *p = b->site.pages[i];
			if (!search_indexes(p, l))
				continue;
			cache_key_str(k, p->rel);
			cache_key_u64(k, p->text_key.a);
			cache_key_u64(k, p->text_key.b);
		}
		b->search_kept[l] = !b->opts->session && search_files_kept(b, l);
		all_kept &= b->search_kept[l];
	}
	if (all_kept) {
		b->search_gather = false;
		return;
	}
	/* Each page's words depend on its text, sapan and its options, and
	 * whether libthai's dictionary was there. */
	b->records_key = b->global;
	cache_key_u64(&b->records_key, b->site.thai != NULL);
	b->search_records = cache_side_path(b->cache, "search");
	if (!b->opts->cache_refresh)
		search_load(b->search, &b->site, &b->records_key, b->search_records);
}

/* The part writing language lang's index. */
struct search_part {
	struct part *pt;
	size_t lang;
};

static void search_wrote(void *ctx, const char *rel)
{
	const struct search_part *sp = ctx;
	const struct build *b = sp->pt->b;
	if (b->cache)
		note_generated(b, &sp->pt->generated, rel, &b->search_inputs[sp->lang]);
}

/* Each language's search page, and its index unless it was kept. */
static int write_search(struct part *pt)
{
	const struct build *b = pt->b;
	int rc = 0;
	for (size_t l = 0; b->search_page && l < b->cfg.nlanguages; l++) {
		char *url = view_search_url(pt->env, l);
		char *rel = xasprintf("%sindex.html", url);
		if (emit(b, "layouts/search", view_search(pt->env, l), rel, NULL, &pt->diags))
			rc = -1;
		free(rel);
		free(url);
		struct search_part sp = { pt, l };
		if (rc == 0 && b->search && b->search_gather && !b->search_kept[l]) {
			pt->search_written++;
			if (search_write(b->search, &b->site, l, b->out, search_wrote, &sp,
					 &pt->diags))
				rc = -1;
		}
	}
	return rc;
}

static int write_sitemap_and_feeds(struct part *pt)
{
	int rc = write_sitemap(pt);
	return write_feeds(pt) | rc;
}

static int part_task(void *ctx, size_t i, unsigned worker)
{
	(void)worker;
	struct part *pt = (struct part *)ctx + i;
	pt->rc = pt->write(pt);
	return 0;
}

/*
 * The files made from the whole site once every page is rendered: the
 * later pages of long lists, the archives and lists of publications, the
 * sitemap and the feeds, then the search index. They read only the model,
 * so the first run side by side on the pool. The index is written on the
 * pool by itself (search_write) and after them: beside them, it would
 * add its postings to their memory at the build's peak. With
 * pages_failed, only the sitemap and feeds run, for their notes.
 * Returns 0 or -1.
 */
static int write_whole_site(struct build *b, const struct view_env *env, bool pages_failed)
{
	/* In the order their diagnostics are reported. Without the pages
	 * there are no lists and no index; the sitemap still says why it
	 * would be missing. */
	int (*writers[4])(struct part *);
	size_t n = 0;
	if (!pages_failed) {
		writers[n++] = write_list_pages;
		writers[n++] = write_site_lists;
	}
	writers[n++] = write_sitemap_and_feeds;
	size_t beside = n;
	if (!pages_failed)
		writers[n++] = write_search;
	struct part parts[4];
	for (size_t i = 0; i < n; i++) {
		parts[i] = (struct part){ .write = writers[i], .b = b, .env = env };
		diag_list_init(&parts[i].diags);
	}
	struct pool_job job = { .ntasks = beside, .nthreads = b->jobs, .run = part_task,
				.ctx = parts };
	pool_run(&job, NULL);
	for (size_t i = beside; i < n; i++)
		part_task(parts, i, 0);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct part *pt = &parts[i];
		rc |= pt->rc;
		diag_list_take(b->diags, &pt->diags);
		diag_list_free(&pt->diags);
		for (size_t l = 0; l < BUILD_MAX_LANGUAGES; l++)
			b->stats->pages[l] += pt->pages[l];
		b->stats->search_written += pt->search_written;
		struct generated_list *all = &b->generated;
		for (size_t g = 0; g < pt->generated.len; g++) {
			all->items = xgrow(all->items, &all->cap, all->len + 1, sizeof *all->items);
			all->items[all->len++] = pt->generated.items[g];
		}
		free(pt->generated.items);
	}
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
 * The global key of the cache: everything that may change any output.
 * The cache is read before the content, whose files it may spare reading
 * (cache_recall_source); it is written only under the output's lock.
 */
static void open_cache(struct build *b)
{
	struct cache_key *g = &b->global;
	cache_key_init(g);
	cache_key_str(g, SAPAN_VERSION);
	cache_key_str(g, SAPAN_SOURCE_ID);
	cache_key_str(g, markdown_engine_version());
	cache_key_u64(g, b->opts->drafts);
	cache_key_u64(g, b->opts->offline);
	for (int i = 0; i < 3 && b->opts->offline; i++)
		cache_key_u64(g, (uint64_t)b->opts->offline_date[i]);
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
	b->cache = cache_open(b->opts->output_dir, b->global, !b->opts->cache_refresh, b->diags);
	if (b->opts->cache_seed && !b->opts->cache_refresh)
		cache_seed(b->cache, b->opts->cache_seed);
}

/*
 * The structure key: everything a page's Markdown links resolve against,
 * and the messages about them name (site.c resolve_link and
 * report_missing): every page's path, URL, language and key, every file,
 * the drafts left out, the files not published, the reserved ids, and
 * whether Thai descriptions can be cut at words.
 */
static void key_structure(struct build *b)
{
	struct cache_key *s = &b->structure;
	*s = b->global;
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
	if (rc == 0 && b->opts->cache)
		open_cache(b);
	struct site_options so = {
		.content_dir = b->opts->content_dir, .drafts = b->opts->drafts,
		.reserved_ids = &b->theme.ids, .jobs = b->jobs,
		.text_budget = test_budget("SAPAN_TEST_TEXT_BUDGET", 0),
		.recall = b->cache ? cache_recall_source : NULL, .recall_ctx = b->cache,
		.started_s = b->started_s, .keep_trees = b->opts->session != NULL,
		.offline = b->opts->offline,
	};
	rc |= site_load(&b->site, &b->cfg, &so, b->diags);
	if (rc == 0) {
		char *cfg_path = xasprintf("%s/site.yaml", b->opts->content_dir);
		rc |= identity_check_logo(&b->cfg, &b->site.files_by_rel, b->opts->content_dir,
					  cfg_path, b->diags);
		free(cfg_path);
	}
	for (size_t i = 0; i < b->site.npages; i++)
		b->stats->pages_read += b->site.pages[i]->recalled == NULL;
	if (rc || site_link(&b->site, b->diags) ||
	    theme_check_layouts(&b->theme, &b->site, b->diags) || interrupted(b))
		return -1;
	b->out = output_begin(b->opts->output_dir, b->diags);
	if (!b->out)
		return -1;
	if (b->opts->staged)
		output_on_staged(b->out, b->opts->staged, b->opts->staged_ctx);
	if (b->cache)
		key_structure(b);
	b->search_page = tmpl_set_has(b->theme.templates, "layouts/search");
	if (b->search_page && !b->opts->offline) {
		b->search = search_new(b->jobs, b->site.thai);
		if (!b->search) {
			diag_error(b->diags, NULL, 0, 0,
				   "cannot start the English stemmer (libstemmer) for the search index");
			return -1;
		}
	}
	assets_copy(&b->assets, &b->theme.root, b->opts->templates_dir, b->out, b->diags);
	b->stats->files_copied += b->assets.files_copied;
	struct view_env env = { .site = &b->site, .i18n = b->i18n,
				.css_path = b->assets.css_path ? b->assets.css_path : "",
				.offline = b->opts->offline };
	memcpy(env.offline_date, b->opts->offline_date, sizeof env.offline_date);
	/* The long lists, once: the output check counts their pages. */
	view_lists_select(&env);
	if (check_outputs(b, &env)) {
		view_lists_free(&env);
		return -1;
	}
	search_begin(b);
	rc = view_menus_select(&env, b->diags);
	if (rc == 0)
		rc = write_pages(b, &env);
	rc |= write_whole_site(b, &env, rc != 0);
	copy_content_files(b);
	view_lists_free(&env);
	view_menus_free(&env);
	if (rc || b->diags->errors || interrupted(b))
		return -1;
	rc = output_commit(b->out, b->diags);
	if (rc == 0 && b->cache)
		cache_page_results(b);
	if (rc == 0 && b->search_records && cache_writable(b->cache))
		search_save(b->search, &b->site, &b->records_key, b->search_records);
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

/* Frees what a build holds that a session does not keep. */
static void release_run(struct build *b)
{
	output_end(b->out); /* without a commit, the output is left as it was */
	b->out = NULL;
	if (b->memo)
		for (size_t i = 0; i < b->site.npages; i++)
			buf_free(&b->memo[i].rest);
	free(b->memo);
	b->memo = NULL;
	free(b->deferred);
	b->deferred = NULL;
	free(b->search_records);
	b->search_records = NULL;
	generated_free(&b->generated);
	cache_free(b->cache); /* without cache_finish, the old cache stays */
	b->cache = NULL;
}

/* Frees the whole build, its model too. */
static void release(struct build *b)
{
	if (!b)
		return;
	release_run(b);
	assets_free(&b->assets);
	theme_free(&b->theme);
	search_free(b->search);
	site_free(&b->site);
	if (b->i18n)
		i18n_free(b->i18n);
	config_free(&b->cfg);
	free(b);
}

struct build_session {
	struct build *kept; /* the last successful build; NULL after a failed one */
	struct build_stats stats;
	bool search_behind; /* a quick build changed records the index does not show */
};

struct build_session *build_session_new(void)
{
	return xcalloc(1, sizeof(struct build_session));
}

void build_session_free(struct build_session *s)
{
	if (!s)
		return;
	release(s->kept);
	free(s);
}

/* The page of the model a path of build_options.edited names, or NULL
 * when it names anything else (a template, site.yaml, a new file). */
static struct page *edited_page(const struct build *b, const char *path)
{
	const char *dir = b->opts->content_dir;
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (strncmp(path, dir, n) != 0 || path[n] != '/')
		return NULL;
	const char *rel = path + n;
	while (*rel == '/')
		rel++;
	return hmap_get(&b->site.pages_by_rel, rel);
}

enum quick { QUICK_DONE, QUICK_FAILED, QUICK_NOT_HERE };

/* The most edited pages a quick rebuild takes on; more make a full one. */
#define BUILD_EDITED_MAX 64

/*
 * The quick rebuild of a session (build_session_new): re-reads the edited
 * pages, and when each has the front matter and description the model
 * holds, renders their Markdown and template and keeps every other file.
 * Returns QUICK_NOT_HERE when a full build is needed (the model may then
 * hold some of the new texts: the full build replaces it).
 */
static enum quick quick_rebuild(struct build *k, struct diag_list *diags)
{
	const struct build_options *o = k->opts;
	struct page *pages[BUILD_EDITED_MAX];
	size_t n = 0;
	const char *e = o->edited;
	for (size_t i = 0; i < o->nedited; i++, e += strlen(e) + 1) {
		struct page *p = edited_page(k, e);
		if (!p || n == BUILD_EDITED_MAX)
			return QUICK_NOT_HERE;
		bool seen = false;
		for (size_t j = 0; j < n && !seen; j++)
			seen = pages[j] == p;
		if (!seen)
			pages[n++] = p;
	}
	if (n == 0)
		return QUICK_NOT_HERE;
	struct diag_list found;
	diag_list_init(&found);
	enum quick q = QUICK_DONE;
	for (size_t i = 0; i < n && q == QUICK_DONE; i++) {
		struct diag_list read;
		diag_list_init(&read);
		if (site_reread_page(&k->site, pages[i], &read) == 1)
			diag_list_take(&found, &read);
		else
			q = QUICK_NOT_HERE;
		diag_list_free(&read);
	}
	for (size_t i = 0; i < n && q == QUICK_DONE; i++) {
		struct page *p = pages[i];
		char *was = p->description;
		p->description = NULL;
		if (site_render_markdown(&k->site, p, &found) != 0)
			q = QUICK_FAILED;
		else if (strcmp(was ? was : "", p->description ? p->description : "") != 0)
			q = QUICK_NOT_HERE; /* lists show it: the model no longer holds */
		free(was);
		k->stats->markdown_rendered++;
	}
	if (q == QUICK_DONE) {
		k->out = output_begin(o->output_dir, &found);
		if (!k->out)
			q = QUICK_FAILED;
	}
	struct view_env env = { .site = &k->site, .i18n = k->i18n,
				.css_path = k->assets.css_path ? k->assets.css_path : "",
				.offline = o->offline };
	memcpy(env.offline_date, o->offline_date, sizeof env.offline_date);
	if (q == QUICK_DONE && view_menus_select(&env, &found) != 0)
		q = QUICK_FAILED;
	for (size_t i = 0; i < n && q == QUICK_DONE; i++) {
		struct page *p = pages[i];
		char *owned;
		const char *layout = theme_layout(&k->theme, p, &owned);
		char *rel = xasprintf("%sindex.html", p->url);
		if (emit(k, layout, view_page(&env, p), rel, NULL, &found) != 0)
			q = QUICK_FAILED;
		if (k->search && !p->fm.draft)
			search_add_page(k->search, 0, p, p->html,
					strcmp(k->cfg.languages[p->lang].code, "th") == 0);
		free(p->html);
		p->html = NULL;
		site_drop_source(p);
		free(rel);
		free(owned);
		k->stats->pages_rendered++;
		k->stats->views_built++;
		k->stats->pages_read++;
	}
	view_menus_free(&env);
	if (q == QUICK_DONE) {
		output_keep_rest(k->out);
		if (interrupted(k) || output_commit(k->out, &found) != 0)
			q = QUICK_FAILED;
	}
	if (q != QUICK_NOT_HERE || found.errors) {
		diag_list_take(diags, &found);
		if (q == QUICK_NOT_HERE)
			q = QUICK_FAILED;
	}
	diag_list_free(&found);
	if (k->out && q == QUICK_DONE) {
		struct output_counts counts;
		output_counts(k->out, &counts);
		k->stats->files_written = counts.written;
		k->stats->files_unchanged = counts.unchanged;
		k->stats->files_deleted = counts.deleted;
		if (o->changed)
			output_each_change(k->out, o->changed, o->changed_ctx);
	}
	output_end(k->out);
	k->out = NULL;
	return q;
}

/* A session's build: the quick one when it can be, else a full one that
 * the session keeps. Returns 0, or -1 (the session then keeps nothing). */
static int session_build(struct build_session *ss, struct build *b, int (*full)(struct build *),
			 bool *ran_full)
{
	*ran_full = false;
	if (ss->kept && b->opts->edited) {
		struct build *k = ss->kept;
		k->opts = b->opts;
		k->stats = b->stats;
		k->diags = b->diags;
		k->stopped = false;
		struct build_stats was = ss->stats;
		*b->stats = was;
		b->stats->markdown_rendered = b->stats->pages_rendered = 0;
		b->stats->views_built = b->stats->pages_read = 0;
		b->stats->files_copied = 0;
		enum quick q = quick_rebuild(k, b->diags);
		b->stats->quick = q == QUICK_DONE;
		if (q == QUICK_DONE) {
			ss->search_behind |= k->search != NULL;
			return 0;
		}
		release(ss->kept);
		ss->kept = NULL;
		if (q == QUICK_FAILED)
			return -1;
		memset(b->stats, 0, sizeof *b->stats);
	}
	release(ss->kept);
	ss->kept = NULL;
	ss->search_behind = false; /* a full build writes the index */
	*ran_full = true;
	return full(b);
}

int build_session_write_search(struct build_session *ss, const struct build_options *opts,
			       struct diag_list *diags)
{
	struct build *k = ss->kept;
	if (!ss->search_behind || !k || !k->search)
		return 0;
	/* The index holds every page's record: written again whole, only
	 * what the edits changed differs. */
	k->opts = opts;
	struct diag_list found;
	diag_list_init(&found);
	k->out = output_begin(opts->output_dir, &found);
	int rc = k->out ? 0 : -1;
	for (size_t l = 0; rc == 0 && l < k->cfg.nlanguages; l++)
		rc = search_write(k->search, &k->site, l, k->out, NULL, NULL, &found);
	if (rc == 0) {
		output_keep_rest(k->out);
		rc = output_commit(k->out, &found);
	}
	if (rc == 0 && opts->changed)
		output_each_change(k->out, opts->changed, opts->changed_ctx);
	if (k->out)
		output_end(k->out);
	k->out = NULL;
	if (rc == 0)
		ss->search_behind = false;
	diag_list_take(diags, &found);
	diag_list_free(&found);
	return rc;
}

int build_run(const struct build_options *opts, struct build_stats *stats,
	      struct diag_list *diags)
{
	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	memset(stats, 0, sizeof *stats);
	/* On the heap: a session keeps it whole, and the model points into it. */
	struct build *b = xcalloc(1, sizeof *b);
	*b = (struct build){ .opts = opts, .stats = stats, .diags = diags,
			     .page_delay_ms = test_page_delay_ms(),
			     .unbounded_render = test_unbounded_render(),
			     .html_budget = test_budget("SAPAN_TEST_HTML_BUDGET", BUILD_HTML_BUDGET) };
	b->jobs = opts->jobs ? opts->jobs : online_cpus();
	b->started_s = (int64_t)time(NULL);
	if (b->jobs > POOL_MAX_THREADS)
		b->jobs = POOL_MAX_THREADS;
	size_t errors_before = diags->errors;
	struct build_session *ss = opts->session;
	bool ran_full = true;
	int rc = ss ? session_build(ss, b, run, &ran_full) : run(b);
	if (rc == 0 && diags->errors > errors_before)
		rc = -1;
	if (rc != 0 && ss && ss->kept) {
		release(ss->kept); /* a quick build that failed: the model is stale */
		ss->kept = NULL;
	}
	if (rc != 0 && ran_full)
		interrupted(b); /* a signal during loading is reported too */
	if (!ran_full) {
		free(b); /* the quick build used the session's */
		b = NULL;
	} else if (ss && rc == 0) {
		/* A full build that succeeded: the session keeps its model. */
		release_run(b);
		ss->kept = b;
		ss->stats = *stats;
		b = NULL;
	}
	release(b);
	clock_gettime(CLOCK_MONOTONIC, &end);
	stats->seconds = (double)(end.tv_sec - start.tv_sec) +
			 (double)(end.tv_nsec - start.tv_nsec) / 1e9;
	return rc;
}
