/* SPDX-License-Identifier: MIT */
#include "site.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alias.h"
#include "fsentry.h"
#include "markdown.h"
#include "namefold.h"
#include "pool.h"
#include "thai.h"
#include "thaitidy.h"
#include "url.h"
#include "alias.h"
#include "collate.h"
#include "util.h"

/* Deeper folders than this are a mistake (or a link loop), not a site. */
#define MAX_DEPTH 32
/* A description longer than this many characters (code points, the
 * ellipsis included) is cut at a word: search engines show about this
 * much, and every byte counts on a slow connection. */
#define DESCRIPTION_MAX_CHARS 160

static void page_free(struct page *p)
{
	if (!p)
		return;
	if (p->resources) {
		for (size_t i = 0; i < p->fm.nresources; i++) {
			free(p->resources[i].files);
			free(p->resources[i].file_langs);
		}
		free(p->resources);
	}
	for (size_t i = 0; p->aliases && i < p->fm.naliases; i++)
		free(p->aliases[i]);
	free(p->aliases);
	free(p->path);
	free(p->rel);
	free(p->dir);
	free(p->url);
	free(p->key);
	buf_free(&p->tree);
	source_free(&p->src);
	frontmatter_free(&p->fm);
	free(p->children);
	free(p->title_rank);
	free(p->translations);
	free(p->html);
	free(p->description);
	for (size_t i = 0; i < p->link_sources.cap; i++) {
		struct link_source *ls = p->link_sources.slots[i].value;
		if (ls) {
			free(ls->written);
			free(ls);
		}
	}
	hmap_free(&p->link_sources);
	free(p);
}

void site_free(struct site *site)
{
	for (size_t i = 0; i < site->npages; i++)
		page_free(site->pages[i]);
	free(site->pages);
	for (size_t i = 0; i < site->nfiles; i++) {
		free(site->files[i].path);
		free(site->files[i].rel);
	}
	free(site->files);
	hmap_free(&site->pages_by_rel);
	hmap_free(&site->files_by_rel);
	hmap_free(&site->drafts_by_rel);
	hmap_free(&site->skipped_by_rel);
	thai_free(site->thai);
	if (site->pages_by_key) {
		for (size_t i = 0; i < site->cfg->nlanguages; i++)
			hmap_free(&site->pages_by_key[i]);
	}
	free(site->pages_by_key);
	free(site->homes);
	memset(site, 0, sizeof *site);
}

struct page *site_translation(const struct page *page, size_t lang)
{
	return page->translations ? page->translations[lang] : NULL;
}

/* The output folder of a page: "en/a/b.md" -> "en/a/b/", "en/a/_index.md" -> "en/a/". */
static char *output_url(const char *rel)
{
	size_t n = strlen(rel) - 3; /* without ".md" */
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	if (strcmp(base, "_index.md") == 0)
		n = (size_t)(base - rel);
	else
		return xasprintf("%.*s/", (int)n, rel);
	return xstrndup(rel, n);
}

static char *translation_key(const struct page *p)
{
	if (p->fm.translation_key)
		return xstrdup(p->fm.translation_key);
	const char *slash = strchr(p->rel, '/');
	const char *rest = slash ? slash + 1 : p->rel;
	return xstrndup(rest, strlen(rest) - 3);
}

/* A page found by the scan, loaded afterwards on the pool. */
struct pending {
	char *path, *rel;
	size_t lang;
	struct page *page;      /* NULL when it could not be read or parsed */
	struct diag_list diags; /* what reading and parsing it reported */
};

struct scan {
	struct site *site;
	size_t text_budget;
	atomic_size_t text_held; /* bytes of bodies kept by load_task */
	struct fsentry_root root;
	struct diag_list *diags;
	struct pending *pending; /* pages in scan (path) order */
	size_t npending, pending_cap;
};

static void status_of(const struct stat *st, struct site_file_status *out)
{
	*out = (struct site_file_status){
		.dev = (uint64_t)st->st_dev, .ino = (uint64_t)st->st_ino,
		.size = (uint64_t)st->st_size,
		.mtime_s = (int64_t)st->st_mtim.tv_sec, .mtime_ns = (int64_t)st->st_mtim.tv_nsec,
		.ctime_s = (int64_t)st->st_ctim.tv_sec, .ctime_ns = (int64_t)st->st_ctim.tv_nsec,
	};
}

/* Loads page p from what an earlier build read of the same file: its front
 * matter is made from the YAML tree (no YAML is parsed), its body read
 * only if it must be rendered (site_load_body). Returns 0, or -1 (nothing
 * reported) when the tree does not give a page: the file is read then. */
static int load_recalled(struct page *p, const struct site_recall *r, struct diag_list *diags)
{
	struct diag_list said;
	diag_list_init(&said);
	int rc = frontmatter_from_tree(p->path, r->tree, r->tree_len, r->body_line, &p->fm, &said);
	if (rc == 0) {
		diag_list_take(diags, &said);
		p->recalled = r->record;
		p->text_key = r->text_key;
		p->body_at = r->body_at;
		p->body_len = r->body_len;
	}
	diag_list_free(&said);
	return rc;
}

/*
 * Reads page p's file into p->src as every stage sees it: decoded, and for
 * a Thai page with its typing faults fixed (thaitidy.h). Errors go to
 * diags, the notes of the fixes to notes. Returns 0 or -1.
 */
static int read_text(const struct site *site, struct page *p, struct diag_list *diags,
		     struct diag_list *notes)
{
	if (source_read(p->path, &p->src, diags) != 0)
		return -1;
	if (strcmp(site->cfg->languages[p->lang].code, "th") == 0) {
		size_t len = 0;
		char *tidy = thaitidy(p->path, p->src.text, p->src.len, &len, notes);
		if (tidy) {
			free(p->src.text);
			p->src.text = tidy;
			p->src.len = len;
		}
	}
	return 0;
}

/*
 * Reads and parses one page; runs on the pool, so it touches only its
 * own pending entry. The file's status is taken before it is read: an
 * edit after that moves its change time, so the next build sees it.
 */
static int load_task(void *ctx, size_t i, unsigned worker)
{
	(void)worker;
	struct scan *sc = ctx;
	const struct site_options *o = &sc->site->opts;
	struct pending *pe = &sc->pending[i];
	struct page *p = xcalloc(1, sizeof *p);
	buf_init(&p->tree);
	p->path = xstrdup(pe->path);
	p->rel = xstrdup(pe->rel);
	p->dir = url_dirname(pe->rel);
	p->lang = pe->lang;
	struct stat st;
	bool known = stat(pe->path, &st) == 0 && S_ISREG(st.st_mode);
	if (known)
		status_of(&st, &p->status);
	struct site_recall r;
	if (known && o->recall && o->recall(o->recall_ctx, pe->rel, &p->status, &r, &pe->diags) &&
	    load_recalled(p, &r, &pe->diags) == 0) {
		if (o->keep_trees)
			buf_put(&p->tree, r.tree, r.tree_len);
		pe->page = p;
		return 0;
	}
	size_t noted = pe->diags.len;
	if (read_text(sc->site, p, &pe->diags, &pe->diags) != 0) {
		page_free(p);
		return 0;
	}
	/* A file changed in the second before the build may be changed again
	 * within the same clock tick, keeping its status: it is read again
	 * next time. So is one whose reading was noted (a legacy encoding, a
	 * Thai typing fault fixed), so that the note is made again. */
	p->settled = known && st.st_mtim.tv_sec < o->started_s - 1 &&
		     st.st_ctim.tv_sec < o->started_s - 1 && pe->diags.len == noted;
	if (frontmatter_parse_tree(pe->path, p->src.text, p->src.len, &p->fm,
				   p->settled || o->keep_trees ? &p->tree : NULL,
				   &pe->diags) != 0) {
		page_free(p);
		return 0;
	}
	p->text_key = cache_key_of(p->src.text, p->src.len);
	p->body_at = p->fm.body ? (size_t)(p->fm.body - p->src.text) : p->src.len;
	p->body_len = p->fm.body_len;
	size_t held = atomic_fetch_add(&sc->text_held, p->src.len) + p->src.len;
	if (held > sc->text_budget) {
		atomic_fetch_sub(&sc->text_held, p->src.len);
		site_drop_source(p);
	}
	pe->page = p;
	return 0;
}

/* Adds a loaded page to the site, in scan order (drafts are only noted). */
static void add_page(struct site *site, struct page *p)
{
	if (p->fm.draft && !site->opts.drafts) {
		hmap_put(&site->drafts_by_rel, p->rel, site);
		page_free(p);
		return;
	}
	const char *base = strrchr(p->rel, '/') + 1;
	p->is_section = strcmp(base, "_index.md") == 0;
	p->is_home = p->is_section && strchr(p->rel, '/') == base - 1;
	p->url = output_url(p->rel);
	p->key = translation_key(p);
	site->pages = xgrow(site->pages, &site->pages_cap, site->npages + 1, sizeof *site->pages);
	p->index = site->npages;
	site->pages[site->npages++] = p;
	hmap_put(&site->pages_by_rel, p->rel, p);
}

/*
 * Reads and parses every page the scan found on opts.jobs threads (reading
 * and decoding 20,000 files is a large part of a build), then adds them in
 * scan order with their diagnostics, so nothing depends on the threads.
 */
static void load_pending(struct scan *sc)
{
	unsigned jobs = sc->site->opts.jobs ? sc->site->opts.jobs : 1;
	struct pool_job job = { .ntasks = sc->npending, .nthreads = jobs, .run = load_task,
				.ctx = sc };
	pool_run(&job, NULL);
	for (size_t i = 0; i < sc->npending; i++) {
		struct pending *pe = &sc->pending[i];
		diag_list_take(sc->diags, &pe->diags);
		diag_list_free(&pe->diags);
		if (pe->page)
			add_page(sc->site, pe->page);
		free(pe->path);
		free(pe->rel);
	}
	free(sc->pending);
}

static void add_file(struct site *site, const char *path, const char *rel, off_t size)
{
	site->files = xgrow(site->files, &site->files_cap, site->nfiles + 1, sizeof *site->files);
	struct static_file *f = &site->files[site->nfiles++];
	f->path = xstrdup(path);
	f->rel = xstrdup(rel);
	f->size = size;
}

/* What one walk of the content folder needs besides the site. */
static void scan_dir(struct scan *sc, const char *dir, const char *rel_dir, int depth);

/* Explains where a page found outside every language folder belongs.
 * folder is the first folder of its path below content/, NULL at the top. */
static void report_outside_language(const struct site *site, const char *path,
				    const char *folder, struct diag_list *diags)
{
	struct buf where = BUF_INIT;
	for (size_t l = 0; l < site->cfg->nlanguages; l++)
		buf_printf(&where, "%s%s/%s/",
			   l == 0 ? "" : l + 1 == site->cfg->nlanguages ? " or " : ", ",
			   site->opts.content_dir, site->cfg->languages[l].code);
	/* A folder named like an ISO 639 code ("fr", "mya") is most likely a
	 * language that site.yaml does not list yet. */
	size_t n = folder ? strlen(folder) : 0;
	bool looks_like_code = n >= 2 && n <= 3 && strspn(folder, "abcdefghijklmnopqrstuvwxyz") == n;
	if (looks_like_code)
		diag_error(diags, path, 0, 0,
			   "'%s' is not a language in site.yaml: pages belong in %s, or add "
			   "'%s' to 'languages'", folder, where.ptr, folder);
	else
		diag_error(diags, path, 0, 0,
			   "Markdown file outside a language folder: pages belong in %s",
			   where.ptr);
	buf_free(&where);
}

/* What a FIFO, socket or device is called in a message. */
static const char *special_kind(const struct stat *st)
{
	if (S_ISFIFO(st->st_mode))
		return "a FIFO";
	if (S_ISSOCK(st->st_mode))
		return "a socket";
	return "a device";
}

/*
 * Decides what a file of the content folder becomes by its name alone
 * (docs/content-format.md, "Files that are never published"). Returns the
 * name's kind; every kind but FSENTRY_NAME_FILE and FSENTRY_NAME_PAGE is
 * recorded as skipped, with an error or warning where the name is most
 * likely a mistake.
 */
static enum fsentry_name classify(struct scan *sc, const char *path, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	const char *name = slash ? slash + 1 : rel;
	enum fsentry_name kind = fsentry_name_kind(name);
	struct hmap *skipped = &sc->site->skipped_by_rel;
	const char *why = NULL;
	switch (kind) {
	case FSENTRY_NAME_FILE:
	case FSENTRY_NAME_PAGE:
		break;
	case FSENTRY_NAME_SCRATCH:
		/* Backups and swap files are a normal part of editing. */
		why = "editors' backup, swap and hidden files are never published";
		break;
	case FSENTRY_NAME_MARKDOWN: {
		const char *dot = strrchr(name, '.');
		diag_error(sc->diags, path, 0, 0,
			   "pages are files ending in '.md' (lower case): rename it to '%.*s.md' "
			   "to publish it as a page, or remove it; it is never copied as it is",
			   (int)(dot - name), name);
		why = "Markdown files not ending in '.md' are never published";
		break;
	}
	case FSENTRY_NAME_NEAR_PAGE:
		diag_warning(sc->diags, path, 0, 0,
			     "looks like a Markdown page with one more extension and is not "
			     "published; rename it to end in '.md' to make it a page, or remove it");
		why = "Markdown files with a second extension are never published";
		break;
	}
	/* The map never writes through its values. */
	if (why)
		hmap_put(skipped, rel, (char *)why);
	return kind;
}

static void scan_entry(struct scan *sc, const char *path, const char *rel, int depth)
{
	struct site *site = sc->site;
	struct diag_list *diags = sc->diags;
	struct stat st;
	enum fsentry_kind kind = fsentry_check(&sc->root, path, &st, diags);
	if (kind == FSENTRY_DIR) {
		scan_dir(sc, path, rel, depth + 1);
		return;
	}
	if (kind == FSENTRY_REFUSED || strcmp(rel, "site.yaml") == 0)
		return;
	enum fsentry_name name = classify(sc, path, rel);
	if (kind == FSENTRY_OTHER) {
		/* Reported here, once: later a link to it would only say "not
		 * found". Checked by lstat/stat alone: opening a FIFO blocks. */
		if (name != FSENTRY_NAME_SCRATCH) {
			diag_error(diags, path, 0, 0,
				   "is not a regular file (it is %s) and cannot be published; "
				   "replace it with a regular file or remove it", special_kind(&st));
			/* The map never writes through its values. */
			hmap_put(&site->skipped_by_rel, rel,
				 (char *)"it is not a regular file (see the error at the file)");
		}
		return;
	}
	if (name == FSENTRY_NAME_FILE) {
		add_file(site, path, rel, st.st_size);
		return;
	}
	if (name != FSENTRY_NAME_PAGE)
		return;
	const char *slash = strchr(rel, '/');
	char *code = slash ? xstrndup(rel, (size_t)(slash - rel)) : NULL;
	int lang = code ? config_language_index(site->cfg, code) : -1;
	if (lang < 0)
		report_outside_language(site, path, code, diags);
	free(code);
	if (lang < 0)
		return;
	sc->pending = xgrow(sc->pending, &sc->pending_cap, sc->npending + 1, sizeof *sc->pending);
	struct pending *pe = &sc->pending[sc->npending++];
	*pe = (struct pending){ xstrdup(path), xstrdup(rel), (size_t)lang, NULL, { 0 } };
	diag_list_init(&pe->diags);
}

/* Walks one folder in name order, so builds are reproducible. */
static void scan_dir(struct scan *sc, const char *dir, const char *rel_dir, int depth)
{
	struct diag_list *diags = sc->diags;
	if (depth > MAX_DEPTH) {
		diag_error(diags, dir, 0, 0, "folders nested more than %d deep", MAX_DEPTH);
		return;
	}
	size_t n;
	/* Hidden files (.DS_Store, editors' backups) are not content. */
	char **names = fsentry_list(dir, false, &n);
	if (!names) {
		diag_error(diags, dir, 0, 0, "cannot read folder: %s", strerror(errno));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *rel = *rel_dir ? xasprintf("%s/%s", rel_dir, names[i]) : xstrdup(names[i]);
		scan_entry(sc, path, rel, depth);
		free(path);
		free(rel);
	}
	fsentry_list_free(names, n);
}

int site_load(struct site *site, const struct config *cfg, const struct site_options *opts,
	      struct diag_list *diags)
{
	memset(site, 0, sizeof *site);
	site->cfg = cfg;
	site->opts = *opts;
	site->thai = thai_new();
	size_t before = diags->errors;
	struct stat st;
	struct scan sc = { .site = site, .diags = diags,
			   .text_budget = opts->text_budget ? opts->text_budget : SITE_TEXT_BUDGET };
	if (stat(opts->content_dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    fsentry_root_open(&sc.root, opts->content_dir) != 0) {
		diag_error(diags, opts->content_dir, 0, 0, "content folder not found");
		return -1;
	}
	scan_dir(&sc, opts->content_dir, "", 0);
	fsentry_root_free(&sc.root);
	load_pending(&sc);
	for (size_t i = 0; i < site->nfiles; i++)
		hmap_put(&site->files_by_rel, site->files[i].rel, &site->files[i]);
	return diags->errors > before ? -1 : 0;
}

/* ---- output paths ---- */

/* Who writes one output path, while outputs are checked. */
struct claim {
	const char *rel;  /* the output path as written */
	const char *what; /* "the page content/en/about.md" */
};

struct claims {
	struct hmap files; /* folded output path -> struct claim */
	struct hmap dirs;  /* folded folder -> the first claim needing it */
	struct claim *all; /* owned; fixed size, so pointers into it stay valid */
	size_t n;
	struct diag_list *diags;
};

/* Where a clash is reported: the user's file, and the line and column of
 * the text that asks for the output (0 when it is the file itself). */
struct claim_at {
	const char *file;
	unsigned line, col;
};

/* Claims rel for what; verb says what it does with it ("writes"); a clash
 * is reported at at. */
static void claim(struct claims *cl, const char *rel, const char *what, const char *verb,
		  struct claim_at at)
{
	struct claim *mine = &cl->all[cl->n++];
	*mine = (struct claim){ rel, what };
	char *key = namefold(rel);
	const struct claim *other = hmap_get(&cl->files, key);
	if (other && strcmp(other->rel, rel) == 0)
		diag_error(cl->diags, at.file, at.line, at.col,
			   "%s %s, which %s also writes; rename or move one of them", verb, rel,
			   other->what);
	else if (other)
		diag_error(cl->diags, at.file, at.line, at.col,
			   "%s %s, which differs only in letter case or Unicode form from %s, "
			   "written for %s; web servers and file systems that do not tell them "
			   "apart would show one for the other: rename one of them",
			   verb, rel, other->rel, other->what);
	else if ((other = hmap_get(&cl->dirs, key)))
		diag_error(cl->diags, at.file, at.line, at.col,
			   "%s %s, but %s needs a folder there (for %s); rename or move one "
			   "of them", verb, rel, other->what, other->rel);
	/* '/' is ASCII, so the folders of the folded path are the folded
	 * folders of the path. */
	for (char *slash = strchr(key, '/'); slash && !other; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if ((other = hmap_get(&cl->files, key)))
			diag_error(cl->diags, at.file, at.line, at.col,
				   "%s %s, but %s writes a file (%s) where this needs a folder; "
				   "rename or move one of them", verb, rel, other->what, other->rel);
		*slash = '/';
	}
	if (other) {
		free(key);
		return;
	}
	hmap_put(&cl->files, key, mine);
	for (char *slash = strchr(key, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (!hmap_get(&cl->dirs, key))
			hmap_put(&cl->dirs, key, mine);
		*slash = '/';
	}
	free(key);
}

int site_check_outputs(const struct site *site, const struct site_output *extra,
		       size_t nextra, struct diag_list *diags)
{
	size_t before = diags->errors;
	struct claims cl = { .diags = diags };
	size_t total = nextra + site->npages + site->nfiles;
	for (size_t i = 0; i < site->npages; i++)
		total += site->pages[i]->fm.naliases;
	cl.all = xcalloc(total ? total : 1, sizeof *cl.all);
	char **owned = xcalloc(2 * total + 1, sizeof *owned);
	size_t nowned = 0;
	for (size_t i = 0; i < nextra; i++)
		claim(&cl, extra[i].rel, extra[i].what, "is copied to", (struct claim_at){ 0 });
	for (size_t i = 0; i < site->npages; i++) {
		const struct page *p = site->pages[i];
		char *rel = owned[nowned++] = xasprintf("%sindex.html", p->url);
		char *what = owned[nowned++] = xasprintf("the page %s", p->path);
		claim(&cl, rel, what, "writes", (struct claim_at){ p->path, 0, 0 });
	}
	for (size_t i = 0; i < site->nfiles; i++) {
		const struct static_file *f = &site->files[i];
		char *what = owned[nowned++] = xasprintf("the file %s", f->path);
		claim(&cl, f->rel, what, "is copied to", (struct claim_at){ f->path, 0, 0 });
	}
	/* After every page and file: a clash is reported at the alias. */
	for (size_t i = 0; i < site->npages; i++) {
		const struct page *p = site->pages[i];
		for (size_t a = 0; a < p->fm.naliases && p->aliases; a++) {
			if (!p->aliases[a])
				continue;
			char *what = owned[nowned++] = xasprintf("the alias '%s' of %s",
								 p->fm.aliases[a], p->path);
			char *verb = owned[nowned++] = xasprintf("the alias '%s' writes",
								 p->fm.aliases[a]);
			claim(&cl, p->aliases[a], what, verb,
			      (struct claim_at){ p->path, p->fm.alias_pos[a].line,
						 p->fm.alias_pos[a].col });
		}
	}
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(owned);
	free(cl.all);
	hmap_free(&cl.files);
	hmap_free(&cl.dirs);
	return diags->errors > before ? -1 : 0;
}

/* ---- linking ---- */

static void index_pages(struct site *site, struct diag_list *diags)
{
	size_t nl = site->cfg->nlanguages;
	site->pages_by_key = xcalloc(nl, sizeof *site->pages_by_key);
	site->homes = xcalloc(nl, sizeof *site->homes);
	struct hmap by_url;
	hmap_init(&by_url);
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = site->pages[i];
		struct page *other = hmap_get(&by_url, p->url);
		if (other)
			diag_error(diags, p->path, 0, 0,
				   "writes the same page as %s (%sindex.html); rename one of them",
				   other->path, p->url);
		else
			hmap_put(&by_url, p->url, p);
		other = hmap_get(&site->pages_by_key[p->lang], p->key);
		if (other) {
			/* Point at a written translation_key when there is one:
			 * that is the line to change. */
			const struct page *at = p->fm.translation_key || !other->fm.translation_key
							? p : other;
			const struct page *by = at == p ? other : p;
			diag_error(diags, at->path, at->fm.translation_key_pos.line,
				   at->fm.translation_key_pos.col,
				   "translation_key '%s' is also used by %s; each page of a "
				   "language needs its own key", p->key, by->path);
		} else {
			hmap_put(&site->pages_by_key[p->lang], p->key, p);
		}
		if (p->is_home)
			site->homes[p->lang] = p;
	}
	hmap_free(&by_url);
	for (size_t l = 0; l < nl; l++) {
		if (site->homes[l])
			continue;
		const char *code = site->cfg->languages[l].code;
		char *rel = xasprintf("%s/_index.md", code);
		if (hmap_get(&site->drafts_by_rel, rel)) {
			char *path = xasprintf("%s/%s", site->opts.content_dir, rel);
			diag_error(diags, path, 0, 0,
				   "the home page of language '%s' is a draft, so the language has "
				   "no home page; remove 'draft: true' or build with --drafts", code);
			free(path);
		} else
			diag_error(diags, site->opts.content_dir, 0, 0,
				   "language '%s' has no home page: create %s/%s",
				   code, site->opts.content_dir, rel);
		free(rel);
	}
}

static void link_translations(struct site *site)
{
	size_t nl = site->cfg->nlanguages;
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = site->pages[i];
		p->translations = xcalloc(nl, sizeof *p->translations);
		for (size_t l = 0; l < nl; l++)
			p->translations[l] = hmap_get(&site->pages_by_key[l], p->key);
		p->translations[p->lang] = p;
	}
}

static void add_child(struct page *parent, struct page *child)
{
	parent->children = xgrow(parent->children, &parent->children_cap, parent->nchildren + 1,
				 sizeof *parent->children);
	parent->children[parent->nchildren++] = child;
}

struct sort_item {
	struct page *page;
	unsigned rank;
	int (*first)(const struct page *, const struct page *);
};

static int compare_items(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	if (x->first) {
		int c = x->first(x->page, y->page);
		if (c)
			return c;
	}
	if (x->page->fm.weight != y->page->fm.weight)
		return x->page->fm.weight < y->page->fm.weight ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	int c = strcmp(x->page->fm.title, y->page->fm.title);
	return c ? c : strcmp(x->page->rel, y->page->rel);
}

void site_sort_pages(struct page **pages, size_t n, size_t lang,
		     int (*first)(const struct page *, const struct page *))
{
	if (n < 2)
		return;
	struct sort_item *items = xcalloc(n, sizeof *items);
	for (size_t i = 0; i < n; i++)
		items[i] = (struct sort_item){ pages[i],
					       pages[i]->title_rank ? pages[i]->title_rank[lang] : 0,
					       first };
	qsort(items, n, sizeof *items, compare_items);
	for (size_t i = 0; i < n; i++)
		pages[i] = items[i].page;
	free(items);
}

/* What ranking the titles in one language needs. */
struct ranking {
	struct site *site;
	const char **titles;
};

/* Ranks every title in language l's order; each language on its own
 * thread, with its own collator, writing only its own slot of each page's
 * ranks. */
static int rank_task(void *ctx, size_t l, unsigned worker)
{
	(void)worker;
	struct ranking *rk = ctx;
	struct site *site = rk->site;
	size_t n = site->npages;
	unsigned *rank = xcalloc(n ? n : 1, sizeof *rank);
	collate_rank(site->cfg->languages[l].code, rk->titles, n, rank);
	for (size_t i = 0; i < n; i++)
		site->pages[i]->title_rank[l] = rank[i];
	free(rank);
	return 0;
}

/* Ranks every title in every language's dictionary order, once, before
 * any list is sorted: lists then sort by a number, and ICU's collators are
 * never shared between threads. */
static void rank_titles(struct site *site)
{
	size_t nl = site->cfg->nlanguages, n = site->npages;
	const char **titles = xcalloc(n ? n : 1, sizeof *titles);
	for (size_t i = 0; i < n; i++) {
		titles[i] = site->pages[i]->fm.title;
		site->pages[i]->title_rank = xcalloc(nl, sizeof *site->pages[i]->title_rank);
	}
	struct ranking rk = { site, titles };
	unsigned jobs = site->opts.jobs ? site->opts.jobs : 1;
	struct pool_job job = { .ntasks = nl, .nthreads = jobs < nl ? jobs : (unsigned)nl,
				.run = rank_task, .ctx = &rk };
	if (nl)
		pool_run(&job, NULL);
	free(titles);
}

/* The parent of a page is the _index.md of the nearest folder above it. */
static void link_parents(struct site *site)
{
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = site->pages[i];
		if (p->is_home)
			continue;
		char *dir = p->is_section ? url_dirname(p->dir) : xstrdup(p->dir);
		while (*dir) {
			char *rel = xasprintf("%s/_index.md", dir);
			struct page *parent = hmap_get(&site->pages_by_rel, rel);
			free(rel);
			if (parent) {
				p->parent = parent;
				add_child(parent, p);
				break;
			}
			char *up = url_dirname(dir);
			free(dir);
			dir = up;
		}
		free(dir);
	}
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = site->pages[i];
		site_sort_pages(p->children, p->nchildren, p->lang, NULL);
	}
}

/* Finds the page that a path written in page p refers to. */
static struct page *find_page(const struct site *site, const struct page *p, const char *path)
{
	char *rel = url_resolve_path(p->dir, path);
	if (!rel)
		return NULL;
	struct page *target = hmap_get(&site->pages_by_rel, rel);
	if (!target && str_has_suffix(rel, "/")) {
		char *index = xasprintf("%s_index.md", rel);
		target = hmap_get(&site->pages_by_rel, index);
		free(index);
	}
	free(rel);
	return target;
}

/* Explains why path does not lead to a page or file, at (line, col). */
static void report_missing(const struct site *site, const struct page *p, const char *what,
			   const char *path, unsigned line, unsigned col, struct diag_list *diags)
{
	char *rel = url_resolve_path(p->dir, path);
	if (!rel)
		diag_error(diags, p->path, line, col, "%s '%s' leads outside the content folder",
			   what, path);
	else if (hmap_get(&site->drafts_by_rel, rel))
		diag_error(diags, p->path, line, col,
			   "%s '%s' is a draft, which is only built with --drafts", what, path);
	else if (hmap_get(&site->skipped_by_rel, rel))
		diag_error(diags, p->path, line, col, "%s '%s' is not published: %s", what, path,
			   (const char *)hmap_get(&site->skipped_by_rel, rel));
	else
		diag_error(diags, p->path, line, col, "%s '%s' not found (no file %s/%s)", what,
			   path, site->opts.content_dir, rel);
	free(rel);
}

/*
 * Each page has at most one previous phase, so the phases form chains, and
 * a chain that loops is found by walking back from every page once: pages
 * seen in the current walk carry its number, so meeting one again is a
 * loop, and meeting one of an earlier walk ends the walk. Linear in pages.
 */
static void report_loops(struct site *site, struct diag_list *diags)
{
	size_t *walk = xcalloc(site->npages, sizeof *walk);
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = site->pages[i];
		while (p && walk[p->index] == 0) {
			walk[p->index] = i + 1;
			p = p->previous;
		}
		if (!p || walk[p->index] != i + 1)
			continue;
		/* p is on a loop found in this walk: report each page of it, then cut it. */
		struct page *q = p;
		do {
			diag_error(diags, q->path, q->fm.previous_phase_pos.line,
				   q->fm.previous_phase_pos.col,
				   "previous_phase chain loops back to this page");
			q = q->previous;
		} while (q != p);
		if (p->previous->next == p)
			p->previous->next = NULL;
		p->previous = NULL;
	}
	free(walk);
}

/*
 * A previous phase is normally in the page's own language. It may be in
 * another language only when the page's language has no version of it (an
 * English-only first phase of a project that goes on in Thai): any other
 * target would lead a reader away from their language for nothing.
 */
static struct page *resolve_phase(struct site *site, struct page *p, struct diag_list *diags)
{
	const char *path = p->fm.previous_phase;
	struct fm_pos pos = p->fm.previous_phase_pos;
	struct page *prev = find_page(site, p, path);
	if (!prev) {
		report_missing(site, p, "previous_phase", path, pos.line, pos.col, diags);
		return NULL;
	}
	if (prev == p) {
		diag_error(diags, p->path, pos.line, pos.col,
			   "previous_phase points at this page itself");
		return NULL;
	}
	const struct page *own = site_translation(prev, p->lang);
	if (own == p) {
		diag_error(diags, p->path, pos.line, pos.col,
			   "previous_phase '%s' is this page in another language", path);
		return NULL;
	}
	if (own && own != prev) {
		diag_error(diags, p->path, pos.line, pos.col,
			   "previous_phase '%s' is in another language folder; point at "
			   "the %s version, '/%s'", path, site->cfg->languages[p->lang].code,
			   own->rel);
		return NULL;
	}
	return prev;
}

static void report_taken(const struct page *p, const struct page *prev,
			 struct diag_list *diags)
{
	diag_error(diags, p->path, p->fm.previous_phase_pos.line, p->fm.previous_phase_pos.col,
		   "'%s' is already the previous phase of %s", p->fm.previous_phase,
		   prev->next->path);
}

/*
 * Links each page to its previous phase, and the previous phase back to the
 * page that continues it ("next"). The continuation shown on a page is the
 * one in its own language when there is one, so the links of a chain stay
 * in one language wherever they can:
 *  1. a previous phase in the same language takes the page as its next;
 *  2. one in another language takes it only when no page of its own
 *     language continues it; versions of one project (one key) continuing
 *     the same page are one continuation, any other is a second and an error;
 *  3. a page still without a next shows the continuation of one of its
 *     translations when that continuation has no version in its language
 *     (a Thai-only later phase of a bilingual project).
 * Each step is one pass over the pages, so the result does not depend on
 * their order.
 */
static void link_phases(struct site *site, struct diag_list *diags)
{
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = site->pages[i];
		struct page *prev = p->fm.previous_phase ? resolve_phase(site, p, diags) : NULL;
		if (!prev || prev->lang != p->lang)
			continue;
		if (prev->next) {
			report_taken(p, prev, diags);
			continue;
		}
		p->previous = prev;
		prev->next = p;
	}
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = site->pages[i];
		struct page *prev = p->fm.previous_phase && !p->previous
					    ? find_page(site, p, p->fm.previous_phase) : NULL;
		if (!prev || prev == p || prev->lang == p->lang ||
		    site_translation(prev, p->lang))
			continue; /* linked above, or reported */
		if (prev->next && strcmp(prev->next->key, p->key) != 0) {
			report_taken(p, prev, diags);
			continue;
		}
		p->previous = prev;
		if (!prev->next)
			prev->next = p;
	}
	report_loops(site, diags);
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = site->pages[i];
		for (size_t l = 0; !p->next && l < site->cfg->nlanguages; l++) {
			const struct page *tr = site_translation(p, l);
			struct page *cont = tr && tr != p ? tr->next : NULL;
			/* Only a continuation tr declared: one filled in by this
			 * pass would make the result depend on the order. */
			if (cont && cont->previous == tr && !site_translation(cont, p->lang))
				p->next = cont;
		}
	}
}

static const struct static_file *find_file(const struct site *site, const struct page *p,
					   const char *path)
{
	char *rel = url_resolve_path(p->dir, path);
	const struct static_file *f = rel ? hmap_get(&site->files_by_rel, rel) : NULL;
	free(rel);
	return f;
}

static void link_resource(struct site *site, struct page *p, size_t i, struct diag_list *diags)
{
	const struct fm_resource *r = &p->fm.resources[i];
	struct resource_link *link = &p->resources[i];
	link->fm = r;
	switch (r->type) {
	case RESOURCE_FILES:
		link->files = xcalloc(r->nfiles, sizeof *link->files);
		link->file_langs = xcalloc(r->nfiles, sizeof *link->file_langs);
		for (size_t f = 0; f < r->nfiles; f++) {
			const struct fm_file *file = &r->files[f];
			int lang = config_language_index(site->cfg, file->lang);
			if (lang < 0) {
				diag_error(diags, p->path, file->pos.line, file->pos.col - 0,
					   "'%s' is not a language of this site", file->lang);
				continue;
			}
			link->file_langs[f] = (size_t)lang;
			if (str_has_suffix(file->path, ".md")) {
				diag_error(diags, p->path, file->pos.line, file->pos.col,
					   "'files' are documents to download; use 'page: %s' "
					   "for a page", file->path);
				continue;
			}
			link->files[f] = find_file(site, p, file->path);
			if (!link->files[f])
				report_missing(site, p, "resource file", file->path,
					       file->pos.line, file->pos.col, diags);
		}
		break;
	case RESOURCE_PAGE:
		link->page = find_page(site, p, r->target);
		if (!link->page)
			report_missing(site, p, "resource page", r->target, r->pos.line,
				       r->pos.col, diags);
		break;
	case RESOURCE_URL:
		if (!str_has_prefix(r->target, "https://") && !str_has_prefix(r->target, "http://"))
			diag_error(diags, p->path, r->pos.line, r->pos.col,
				   "resource url '%s' must start with https:// (for a file or "
				   "page of this site use 'files' or 'page')", r->target);
		break;
	}
}

int site_link(struct site *site, struct diag_list *diags)
{
	size_t before = diags->errors;
	index_pages(site, diags);
	rank_titles(site);
	link_translations(site);
	link_parents(site);
	link_phases(site, diags);
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = site->pages[i];
		p->resources = xcalloc(p->fm.nresources, sizeof *p->resources);
		for (size_t r = 0; r < p->fm.nresources; r++)
			link_resource(site, p, r, diags);
		p->aliases = xcalloc(p->fm.naliases + 1, sizeof *p->aliases);
		for (size_t a = 0; a < p->fm.naliases; a++)
			p->aliases[a] = alias_output(site->cfg, p->lang, p->fm.aliases[a], p->path,
						     p->fm.alias_pos[a].line,
						     p->fm.alias_pos[a].col, diags);
	}
	return diags->errors > before ? -1 : 0;
}

/* ---- lists ---- */

/* Adds p to out unless a version of it is already there. */
static void add_entry(struct page ***out, size_t *n, size_t *cap, struct hmap *seen,
		      struct page *p)
{
	if (hmap_get(seen, p->key))
		return;
	hmap_put(seen, p->key, p);
	*out = xgrow(*out, cap, *n + 1, sizeof **out);
	(*out)[(*n)++] = p;
}

struct page **site_section_entries(const struct site *site, const struct page *section,
				   size_t lang, size_t *count)
{
	struct page **out = NULL;
	size_t n = 0, cap = 0;
	struct hmap seen;
	hmap_init(&seen);
	for (size_t c = 0; c < section->nchildren; c++)
		add_entry(&out, &n, &cap, &seen, section->children[c]);
	for (size_t l = 0; l < site->cfg->nlanguages; l++) {
		const struct page *other = site_translation(section, l);
		if (!other || other == section)
			continue;
		for (size_t c = 0; c < other->nchildren; c++) {
			if (!site_translation(other->children[c], lang))
				add_entry(&out, &n, &cap, &seen, other->children[c]);
		}
	}
	hmap_free(&seen);
	site_sort_pages(out, n, lang, site_news_first);
	*count = n;
	return out;
}

int site_news_first(const struct page *x, const struct page *y)
{
	bool nx = x->fm.kind == PAGE_KIND_NEWS, ny = y->fm.kind == PAGE_KIND_NEWS;
	if (nx != ny)
		return nx ? -1 : 1;
	if (!nx)
		return 0;
	long dx = (long)x->fm.year * 10000 + x->fm.month * 100 + x->fm.day;
	long dy = (long)y->fm.year * 10000 + y->fm.month * 100 + y->fm.day;
	return dx != dy ? (dx > dy ? -1 : 1) : 0;
}

struct page **site_select(const struct site *site, size_t lang,
			  bool (*keep)(const struct page *), size_t *count)
{
	struct page **out = NULL;
	size_t n = 0, cap = 0;
	struct hmap seen;
	hmap_init(&seen);
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = site->pages[i];
		if (p->lang == lang && keep(p))
			add_entry(&out, &n, &cap, &seen, p);
	}
	/* Then pages that exist only in other languages, in language order. */
	for (size_t l = 0; l < site->cfg->nlanguages; l++) {
		for (size_t i = 0; i < site->npages; i++) {
			struct page *p = site->pages[i];
			if (p->lang == l && l != lang && keep(p) && !site_translation(p, lang))
				add_entry(&out, &n, &cap, &seen, p);
		}
	}
	hmap_free(&seen);
	site_sort_pages(out, n, lang, NULL);
	*count = n;
	return out;
}

/* ---- Markdown ---- */

struct link_ctx {
	const struct site *site;
	struct page *page;
	struct diag_list *diags;
	struct hmap *sources; /* where the links are recorded */
};

/* Remembers where the link that renders as href was written, unless an
 * earlier link of the page renders the same. */
static void record_link(struct hmap *sources, const char *written, const char *href,
			unsigned line, unsigned col)
{
	char *key = url_decode(href);
	if (key && !hmap_get(sources, key)) {
		struct link_source *ls = xmalloc(sizeof *ls);
		*ls = (struct link_source){ xstrdup(written), line, col };
		hmap_put(sources, key, ls);
	}
	free(key);
}

static void free_sources(struct hmap *sources)
{
	for (size_t i = 0; i < sources->cap; i++) {
		struct link_source *ls = sources->slots[i].value;
		if (ls)
			free(ls->written);
		free(ls);
	}
	hmap_free(sources);
}

void site_put_link_source(struct page *page, const char *key, const char *written,
			  unsigned line, unsigned col)
{
	if (hmap_get(&page->link_sources, key))
		return;
	struct link_source *ls = xmalloc(sizeof *ls);
	*ls = (struct link_source){ xstrdup(written), line, col };
	hmap_put(&page->link_sources, key, ls);
}

const struct link_source *site_link_source(const struct page *page, const char *href)
{
	char *key = url_decode(href);
	const struct link_source *ls = key ? hmap_get(&page->link_sources, key) : NULL;
	free(key);
	return ls;
}

/* True if url, a path with no scheme, names a page or file of the site. */
static bool names_content(const struct link_ctx *ctx, const char *url)
{
	char *path = xstrndup(url, strcspn(url, "#?"));
	bool found = find_page(ctx->site, ctx->page, path) || find_file(ctx->site, ctx->page, path);
	free(path);
	return found;
}

/* The page whose built address path is ("/en/projects/aup-ii/",
 * "../aup-i/", ".../index.html"), read from the site folder base, or NULL. */
static const struct page *page_at_address(const struct site *site, const char *base,
					  const char *path)
{
	char *file = url_resolve_file(base, path);
	if (!file || !str_has_suffix(file, "index.html")) {
		free(file);
		return NULL;
	}
	size_t dir_len = strlen(file) - strlen("index.html");
	char *rels[2] = { dir_len ? xasprintf("%.*s.md", (int)dir_len - 1, file) : NULL,
			  xasprintf("%.*s_index.md", (int)dir_len, file) };
	const struct page *found = NULL;
	for (size_t i = 0; i < 2 && !found; i++) {
		const struct page *q = rels[i] ? hmap_get(&site->pages_by_rel, rels[i]) : NULL;
		if (q && strncmp(q->url, file, dir_len) == 0 && q->url[dir_len] == '\0')
			found = q;
	}
	free(rels[0]);
	free(rels[1]);
	free(file);
	return found;
}

/* Rewrites one Markdown link: pages become their output URL, files their
 * copied path, both relative to this page; external links stay. A link to
 * a page's built address is an error that names the file to link to. */
static int resolve_link(void *opaque, const char *url, unsigned line, unsigned col,
			struct buf *out)
{
	struct link_ctx *ctx = opaque;
	const struct page *p = ctx->page;
	/* "minutes:2024.pdf" looks like a scheme; it is a link to the file
	 * when the content folder has one by that name. */
	bool external = url_is_external(url) && !names_content(ctx, url);
	if (!*url || url[0] == '#' || url[0] == '?' || external) {
		if (!url_is_external(url))
			record_link(ctx->sources, url, url, line, col);
		buf_puts(out, url);
		return 0;
	}
	size_t path_len = strcspn(url, "#?");
	char *path = xstrndup(url, path_len);
	const char *suffix = url + path_len;
	int rc = 0;
	char *target = NULL;
	const struct page *page = find_page(ctx->site, p, path);
	if (page) {
		target = url_relative(p->url, page->url);
		if (ctx->site->opts.offline) {
			char *file = xasprintf("%sindex.html", target);
			free(target);
			target = file;
		}
	} else {
		const struct static_file *f = find_file(ctx->site, p, path);
		if (f)
			target = url_relative(p->url, f->rel);
	}
	if (target) {
		buf_puts(out, target);
		buf_puts(out, suffix);
		record_link(ctx->sources, url, out->ptr, line, col);
	} else {
		/* Read as a browser would from the page's address, or as the
		 * author may have meant it, from the page's file's folder. */
		char *from = *p->dir ? xasprintf("%s/", p->dir) : xstrdup("");
		const struct page *at = page_at_address(ctx->site, p->url, path);
		if (!at)
			at = page_at_address(ctx->site, from, path);
		if (at) {
			char *md = path[0] == '/' ? xasprintf("/%s", at->rel)
						  : url_relative(from, at->rel);
			diag_error(ctx->diags, p->path, line, col,
				   "link target '%s' is the address of the built page %s: link "
				   "to its file instead, '%s%s'", url, at->path, md, suffix);
			free(md);
		} else {
			report_missing(ctx->site, p, "link target", path, line, col, ctx->diags);
		}
		free(from);
		rc = -1;
	}
	free(target);
	free(path);
	return rc;
}

/* Cuts text to at most max_chars characters, at a word (a Thai word too)
 * and never inside a grapheme, ending it with an ellipsis. */
static char *shorten(const struct site *site, const char *text, size_t max_chars)
{
	size_t n = strlen(text);
	if (thai_cut(NULL, text, n, max_chars) == n)
		return xstrdup(text);
	size_t cut = thai_cut(site->thai, text, n, max_chars - 1);
	return xasprintf("%.*s…", (int)cut, text);
}

/* The Markdown options of page, its links resolved through ctx. */
static struct markdown_options markdown_options_for(const struct site *site,
						    const struct page *page,
						    struct link_ctx *ctx)
{
	return (struct markdown_options){
		.file = page->path,
		.first_line = page->fm.body_line,
		.unsafe_html = site->cfg->unsafe_html,
		.resolve = resolve_link,
		.resolve_ctx = ctx,
		.reserved_ids = site->opts.reserved_ids,
		.thai_typography = strcmp(site->cfg->languages[page->lang].code, "th") == 0,
	};
}

int site_reread_page(struct site *site, struct page *page, struct diag_list *diags)
{
	if (page->tree.len == 0)
		return 0;
	struct page fresh;
	memset(&fresh, 0, sizeof fresh);
	fresh.path = page->path;
	fresh.lang = page->lang;
	buf_init(&fresh.tree);
	/* A page removed, or no longer readable, is for a full build to see
	 * and report. */
	struct stat st;
	if (stat(page->path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    read_text(site, &fresh, diags, diags) != 0) {
		source_free(&fresh.src);
		return 0;
	}
	int same = frontmatter_parse_tree(page->path, fresh.src.text, fresh.src.len, &fresh.fm,
					  &fresh.tree, diags) == 0 &&
		   fresh.tree.len == page->tree.len &&
		   memcmp(fresh.tree.ptr, page->tree.ptr, page->tree.len) == 0 &&
		   fresh.fm.body_line == page->fm.body_line;
	if (same) {
		source_free(&page->src);
		page->src = fresh.src;
		fresh.src = (struct source){ 0 };
		page->fm.body = fresh.fm.body;
		page->fm.body_len = fresh.fm.body_len;
		page->body_at = (size_t)(page->fm.body - page->src.text);
		page->body_len = page->fm.body_len;
		page->text_key = cache_key_of(page->src.text, page->src.len);
		status_of(&st, &page->status);
		page->settled = false; /* just written: the cache must not trust it */
		page->recalled = NULL;
		free(page->html);
		page->html = NULL;
		free_sources(&page->link_sources);
		hmap_init(&page->link_sources);
	}
	frontmatter_free(&fresh.fm);
	buf_free(&fresh.tree);
	source_free(&fresh.src);
	return same;
}

int site_load_body(const struct site *site, struct page *page, struct diag_list *diags)
{
	if (page->src.text)
		return 0;
	/* The notes were made when the page was loaded. */
	struct diag_list notes;
	diag_list_init(&notes);
	int rc = read_text(site, page, diags, &notes);
	diag_list_free(&notes);
	if (rc != 0)
		return -1;
	struct cache_key now = cache_key_of(page->src.text, page->src.len);
	if (!cache_key_equal(&now, &page->text_key)) {
		diag_error(diags, page->path, 0, 0,
			   "the file changed while sapan was building the site; build again");
		site_drop_source(page);
		return -1;
	}
	page->fm.body = page->src.text + page->body_at;
	page->fm.body_len = page->body_len;
	return 0;
}

int site_render_markdown(const struct site *site, struct page *page, struct diag_list *diags)
{
	if (site_load_body(site, page, diags) != 0)
		return -1;
	struct link_ctx ctx = { site, page, diags, &page->link_sources };
	struct markdown_options opts = markdown_options_for(site, page, &ctx);
	struct markdown_result result;
	int rc = markdown_render(page->fm.body, page->fm.body_len, &opts, &result, diags);
	page->html = result.html;
	result.html = NULL;
	/* A page whose Markdown waited for its own render (build.c) was
	 * given its summary as description then; other pages read it. */
	if (!page->description)
		page->description = page->fm.summary ? xstrdup(page->fm.summary)
						     : shorten(site, result.first_paragraph_text,
							       DESCRIPTION_MAX_CHARS);
	markdown_result_free(&result);
	/* The source text is not needed once the body is rendered: freeing it
	 * here keeps a large site from holding its whole text twice. */
	site_drop_source(page);
	return rc;
}

int site_render_markdown_html(const struct site *site, struct page *page,
			      struct diag_list *diags)
{
	if (site_load_body(site, page, diags) != 0)
		return -1;
	struct diag_list ignored;
	diag_list_init(&ignored);
	struct hmap sources;
	hmap_init(&sources);
	struct link_ctx ctx = { site, page, &ignored, &sources };
	struct markdown_options opts = markdown_options_for(site, page, &ctx);
	struct markdown_result result;
	int rc = markdown_render(page->fm.body, page->fm.body_len, &opts, &result, &ignored);
	page->html = result.html;
	result.html = NULL;
	markdown_result_free(&result);
	free_sources(&sources);
	diag_list_free(&ignored);
	return rc;
}

void site_drop_source(struct page *page)
{
	source_free(&page->src);
	page->fm.body = NULL;
	page->fm.body_len = 0;
}
