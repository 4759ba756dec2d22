/* SPDX-License-Identifier: MIT */
#include "check.h"

#include <errno.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "fsentry.h"
#include "hmap.h"
#include "output.h"
#include "url.h"
#include "platform.h"
#include "util.h"

/* A generated site is as deep as its content folder, which the site model
 * caps at 32; deeper folders here mean something other than a build. */
#define MAX_DEPTH 40

enum link_kind {
	LINK_PLAIN,     /* any other href or src */
	LINK_ALTERNATE, /* <link rel="alternate" hreflang="..." href="..."> */
	LINK_SWITCHER,  /* <a hreflang="..."> inside a <nav>: the language switcher */
};

struct link {
	char *url;        /* the attribute value, entities decoded */
	const char *attr; /* "href" or "src" */
	char *hreflang;   /* LINK_ALTERNATE and LINK_SWITCHER only */
	enum link_kind kind;
	unsigned line;    /* of the element in the generated file */
	char *target;     /* LINK_ALTERNATE: the generated file it leads to, once known */
};

struct gen_file {
	char *rel;               /* relative to the site: "en/a/index.html" */
	bool is_html;
	bool read;               /* its ids and links are known */
	char *lang;              /* of <html lang="...">, or NULL */
	const struct page *page; /* the page built into this file, or NULL */
	struct hmap ids;         /* every id and <a name> -> this file */
	struct link *links;      /* LINK_PLAIN and LINK_SWITCHER not yet checked */
	size_t nlinks, links_cap;
	struct link *alts;       /* LINK_ALTERNATE */
	size_t nalts, alts_cap;
};

struct checker {
	const struct check_site *s;
	const char *shown;     /* how diagnostics name the site folder */
	const char *root_path; /* path part of base_url ("/aup/"), or "/" */
	struct gen_file **files;
	size_t nfiles, files_cap;
	struct hmap by_rel;    /* rel of every generated file -> struct gen_file */
	struct check_stats *stats;
	struct diag_list *diags;
};

static void free_link(struct link *l)
{
	free(l->url);
	free(l->hreflang);
	free(l->target);
}

static void free_file(struct gen_file *f)
{
	for (size_t i = 0; i < f->nlinks; i++)
		free_link(&f->links[i]);
	for (size_t i = 0; i < f->nalts; i++)
		free_link(&f->alts[i]);
	free(f->links);
	free(f->alts);
	hmap_free(&f->ids);
	free(f->lang);
	free(f->rel);
	free(f);
}

/* Lists every file under dir (relative names below rel) in name order. */
static void collect(struct checker *c, const char *dir, const char *rel, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	size_t n;
	char **names = fsentry_list(dir, true, &n);
	if (!names) {
		diag_error(c->diags, dir, 0, 0, "cannot read folder: %s", strerror(errno));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *r = *rel ? xasprintf("%s/%s", rel, names[i]) : xstrdup(names[i]);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			collect(c, path, r, depth + 1);
		} else {
			struct gen_file *f = xcalloc(1, sizeof *f);
			f->rel = r;
			r = NULL;
			f->is_html = str_has_suffix(f->rel, ".html");
			c->files = xgrow(c->files, &c->files_cap, c->nfiles + 1, sizeof *c->files);
			c->files[c->nfiles++] = f;
			hmap_put(&c->by_rel, f->rel, f);
		}
		free(r);
		free(path);
	}
	fsentry_list_free(names, n);
}

/* ---- reading one page ---- */

static char *prop(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

static bool is(xmlNodePtr n, const char *name)
{
	return strcmp((const char *)n->name, name) == 0;
}

/* True if the space-separated list value holds word (ASCII case ignored). */
static bool has_token(const char *value, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = value; *p;) {
		p += strspn(p, " \t\n\f\r");
		size_t len = strcspn(p, " \t\n\f\r");
		if (len == n && strncasecmp(p, word, n) == 0)
			return true;
		p += len;
	}
	return false;
}

static bool inside_nav(xmlNodePtr n)
{
	for (n = n->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
		if (is(n, "nav"))
			return true;
	}
	return false;
}

static unsigned line_of(xmlNodePtr n)
{
	long line = xmlGetLineNo(n);
	return line > 0 && line < (long)UINT_MAX ? (unsigned)line : 0;
}

static void add_link(struct gen_file *f, xmlNodePtr n, const char *attr, char *url)
{
	struct link l = { .url = url, .attr = attr, .kind = LINK_PLAIN };
	l.line = line_of(n);
	char *hreflang = prop(n, "hreflang");
	if (hreflang && is(n, "link")) {
		char *rel = prop(n, "rel");
		if (rel && has_token(rel, "alternate"))
			l.kind = LINK_ALTERNATE;
		free(rel);
	} else if (hreflang && is(n, "a") && inside_nav(n)) {
		l.kind = LINK_SWITCHER;
	}
	if (l.kind == LINK_PLAIN) {
		free(hreflang);
	} else {
		l.hreflang = hreflang;
	}
	if (l.kind == LINK_ALTERNATE) {
		f->alts = xgrow(f->alts, &f->alts_cap, f->nalts + 1, sizeof *f->alts);
		f->alts[f->nalts++] = l;
	} else {
		f->links = xgrow(f->links, &f->links_cap, f->nlinks + 1, sizeof *f->links);
		f->links[f->nlinks++] = l;
	}
}

/* f->ids holds an id's line as ID_LINE_PTR(line), always even and never
 * NULL, and a <a name> not also an id as NAME_PTR, odd. */
#define ID_LINE_PTR(line) ((void *)(uintptr_t)(((uintptr_t)(line) + 1) * 2))
#define PTR_ID_LINE(p) ((unsigned)((uintptr_t)(p) / 2 - 1))
#define NAME_PTR ((void *)(uintptr_t)1)

/* Records an id of generated file f; a second element with the same id is
 * an error at its line (a fragment could lead to either). */
static void add_id(struct checker *c, struct gen_file *f, xmlNodePtr n, const char *id)
{
	void *seen = hmap_get(&f->ids, id);
	if (!seen || seen == NAME_PTR) {
		hmap_put(&f->ids, id, ID_LINE_PTR(line_of(n)));
		return;
	}
	char *file = xasprintf("%s/%s", c->shown, f->rel);
	if (f->page)
		diag_error(c->diags, file, line_of(n), 0,
			   "duplicate id '%s' (first on line %u); an id must be unique in a page "
			   "(the page built from %s)",
			   id, PTR_ID_LINE(seen), f->page->path);
	else
		diag_error(c->diags, file, line_of(n), 0,
			   "duplicate id '%s' (first on line %u); an id must be unique in a page", id,
			   PTR_ID_LINE(seen));
	free(file);
}

static void visit(struct checker *c, struct gen_file *f, xmlNodePtr n)
{
	if (is(n, "html") && !f->lang)
		f->lang = prop(n, "lang");
	char *id = prop(n, "id");
	if (id)
		add_id(c, f, n, id);
	free(id);
	if (is(n, "a")) {
		char *name = prop(n, "name");
		if (name && !hmap_get(&f->ids, name))
			hmap_put(&f->ids, name, NAME_PTR);
		free(name);
	}
	static const char *const attrs[] = { "href", "src" };
	for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
		char *url = prop(n, attrs[i]);
		if (url)
			add_link(f, n, attrs[i], url);
	}
}

/* Visits every element in document order, without recursion (a page may
 * nest deeply; the walk must not run out of stack). */
static void walk(struct checker *c, struct gen_file *f, htmlDocPtr doc)
{
	xmlNodePtr n = doc->children;
	while (n) {
		if (n->type == XML_ELEMENT_NODE) {
			visit(c, f, n);
			if (n->children) {
				n = n->children;
				continue;
			}
		}
		while (n && !n->next)
			n = n->parent;
		if (n)
			n = n->next;
	}
}

/* Parses one generated page and keeps only its ids and links. */
static void read_page(struct checker *c, struct gen_file *f)
{
	char *path = xasprintf("%s/%s", c->s->dir, f->rel);
	char *shown = xasprintf("%s/%s", c->shown, f->rel);
	struct buf data = BUF_INIT;
	struct diag_list ignored;
	diag_list_init(&ignored);
	if (output_read_file(path, &data, &ignored) != 0) {
		diag_error(c->diags, shown, 0, 0, "cannot read the generated page");
	} else if (data.len > INT_MAX) {
		diag_error(c->diags, shown, 0, 0, "too large to check (over 2 GB)");
	} else {
		/* Without XML_PARSE_HUGE, libxml2 stops reading at 256 nested
		 * elements and drops the rest of the page unseen, links and all;
		 * with it there is no depth limit (the walk is iterative). Should
		 * the parser still stop early, that is reported, never ignored. */
		htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
		htmlDocPtr doc = ctxt ? htmlCtxtReadMemory(ctxt, data.ptr, (int)data.len, f->rel,
							   "UTF-8",
							   HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
								   HTML_PARSE_NONET | XML_PARSE_HUGE)
				      : NULL;
		const xmlError *e = ctxt ? xmlCtxtGetLastError(ctxt) : NULL;
		if (!doc) {
			diag_error(c->diags, shown, 0, 0, "cannot parse the generated page");
		} else {
			if (e && e->code == XML_ERR_INTERNAL_ERROR) {
				const char *m = e->message ? e->message : "the HTML parser stopped";
				diag_error(c->diags, shown, e->line > 0 ? (unsigned)e->line : 0, 0,
					   "the rest of the page cannot be checked: %.*s",
					   (int)strcspn(m, "\n"), m);
			}
			walk(c, f, doc);
			xmlFreeDoc(doc);
		}
		if (ctxt)
			htmlFreeParserCtxt(ctxt);
	}
	diag_list_free(&ignored);
	buf_free(&data);
	free(shown);
	free(path);
}

/* ---- where a link leads ---- */

enum reach {
	REACH_EXTERNAL,   /* another site, mailto: and such: not checked */
	REACH_FILE,       /* a generated file */
	REACH_NO_FILE,    /* no such generated file */
	REACH_OUTSIDE,    /* climbs above the site's root folder */
	REACH_OFF_ROOT,   /* starts with '/' but not with the root path */
	REACH_NOT_ROOTED, /* a relative link in 404.html */
};

/*
 * Where url, found in the generated file from, leads. Sets *target to the
 * generated file (REACH_FILE) or the one looked for (REACH_NO_FILE), and
 * *fragment to the percent-decoded fragment, or NULL when there is none.
 * The caller frees both.
 */
static enum reach reach(const struct checker *c, const struct gen_file *from, const char *url,
			struct gen_file **target, char **looked_for, char **fragment)
{
	*target = NULL;
	*looked_for = NULL;
	*fragment = NULL;
	const char *base = c->s->base_url;
	const char *rest;
	char *dir;
	if (base && str_has_prefix(url, base)) {
		rest = url + strlen(base);
		dir = xstrdup("");
	} else if (url_is_external(url)) {
		return REACH_EXTERNAL;
	} else if (url[0] == '/') {
		if (!str_has_prefix(url, c->root_path))
			return REACH_OFF_ROOT;
		rest = url + strlen(c->root_path);
		dir = xstrdup("");
	} else if (strcmp(from->rel, "404.html") == 0 && url[0] && url[0] != '#' &&
		   url[0] != '?') {
		/* 404.html is sent for any missing URL, at any depth. */
		return REACH_NOT_ROOTED;
	} else {
		rest = url;
		dir = url_dirname(from->rel);
	}
	const char *hash = strchr(rest, '#');
	if (hash && hash[1]) {
		*fragment = url_decode(hash + 1);
		if (!*fragment)
			*fragment = xstrdup(hash + 1);
	}
	char *path = xstrndup(rest, strcspn(rest, "?#"));
	char *rel = NULL;
	if (!*path && rest == url)
		rel = xstrdup(from->rel); /* "", "#x", "?q": this page */
	else
		rel = url_resolve_file(dir, path);
	free(path);
	free(dir);
	if (!rel)
		return REACH_OUTSIDE;
	*target = hmap_get(&c->by_rel, rel);
	if (!*target && !str_has_suffix(rel, "/index.html")) {
		/* A folder named without its slash: servers redirect to it. */
		char *index = xasprintf("%s/index.html", rel);
		*target = hmap_get(&c->by_rel, index);
		free(index);
	}
	if (*target) {
		free(rel);
		return REACH_FILE;
	}
	*looked_for = rel;
	return REACH_NO_FILE;
}

/* ---- reporting ---- */

/* What the diagnostics call a generated file: its page's source when known. */
static char *describe(const struct checker *c, const struct gen_file *f)
{
	if (f->page)
		return xstrdup(f->page->path);
	return xasprintf("%s/%s", c->shown, f->rel);
}

/*
 * Reports a broken link of generated file f. A link that a Markdown file of
 * the page wrote is reported there, with the link as written; any other
 * names the generated file and line, and the page it was built for.
 */
static void broken(struct checker *c, const struct gen_file *f, const struct link *l,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void broken(struct checker *c, const struct gen_file *f, const struct link *l,
		   const char *fmt, ...)
{
	struct buf why = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&why, fmt, ap);
	va_end(ap);
	const struct link_source *ls = f->page ? site_link_source(f->page, l->url) : NULL;
	if (ls) {
		diag_error(c->diags, f->page->path, ls->line, ls->col, "link '%s' %s", ls->written,
			   why.ptr);
	} else {
		char *file = xasprintf("%s/%s", c->shown, f->rel);
		if (f->page)
			diag_error(c->diags, file, l->line, 0,
				   "%s '%s' %s; a template wrote it, in the page built from %s",
				   l->attr, l->url, why.ptr, f->page->path);
		else
			diag_error(c->diags, file, l->line, 0, "%s '%s' %s", l->attr, l->url,
				   why.ptr);
		free(file);
	}
	buf_free(&why);
}

/* Reports a problem of a hreflang link at the generated file's line. */
static void misled(struct checker *c, const struct gen_file *f, const struct link *l,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void misled(struct checker *c, const struct gen_file *f, const struct link *l,
		   const char *fmt, ...)
{
	char *file = xasprintf("%s/%s", c->shown, f->rel);
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(c->diags, DIAG_ERROR, file, l->line, 0, fmt, ap);
	va_end(ap);
	free(file);
}

/* The "top" fragment needs no id: it means the top of the page (HTML). */
static bool has_fragment(const struct gen_file *t, const char *fragment)
{
	return hmap_get(&t->ids, fragment) || strcasecmp(fragment, "top") == 0;
}

/*
 * Checks one link of f, unless it needs a page that has not been read yet
 * (for its ids or its language): then returns false and the caller keeps
 * the link for later. Returns true when the link is done with.
 */
static bool check_link(struct checker *c, const struct gen_file *f, const struct link *l)
{
	struct gen_file *t;
	char *looked_for, *fragment;
	enum reach r = reach(c, f, l->url, &t, &looked_for, &fragment);
	if (r == REACH_EXTERNAL)
		return true;
	if (r == REACH_FILE && t->is_html && !t->read && (fragment || l->kind == LINK_SWITCHER)) {
		free(fragment);
		return false;
	}
	c->stats->links++;
	switch (r) {
	case REACH_EXTERNAL:
		break;
	case REACH_FILE:
		if (l->kind == LINK_SWITCHER && !t->is_html) {
			misled(c, f, l, "language switcher link '%s' for '%s' leads to %s, which is "
					"not a page", l->url, l->hreflang, t->rel);
		} else if (l->kind == LINK_SWITCHER && t->lang &&
			   strcasecmp(t->lang, l->hreflang) != 0) {
			misled(c, f, l, "language switcher link '%s' for '%s' leads to a page in "
					"'%s' (%s)", l->url, l->hreflang, t->lang, t->rel);
		} else if (fragment && t->is_html && !has_fragment(t, fragment)) {
			char *name = describe(c, t);
			broken(c, f, l, "leads to %s, which has no heading or id '%s'", name,
			       fragment);
			free(name);
		}
		break;
	case REACH_NO_FILE:
		broken(c, f, l, "leads to no file of the built site (%s)", looked_for);
		break;
	case REACH_OUTSIDE:
		broken(c, f, l, "leads outside the site");
		break;
	case REACH_OFF_ROOT:
		broken(c, f, l, "starts outside the site's root path %s", c->root_path);
		break;
	case REACH_NOT_ROOTED:
		broken(c, f, l, "is relative, but 404.html is served at every missing URL; "
				"start the link at the site's root path %s", c->root_path);
		break;
	}
	free(looked_for);
	free(fragment);
	return true;
}

/*
 * Checks the links of f that can be checked now and keeps only the others,
 * so that memory holds the links waiting for a page, not every link of
 * the site.
 */
static void check_links(struct checker *c, struct gen_file *f)
{
	size_t kept = 0;
	for (size_t i = 0; i < f->nlinks; i++) {
		if (check_link(c, f, &f->links[i]))
			free_link(&f->links[i]);
		else
			f->links[kept++] = f->links[i];
	}
	f->nlinks = kept;
	if (kept == 0) {
		free(f->links);
		f->links = NULL;
		f->links_cap = 0;
	}
}

/* Finds where each hreflang alternate leads; reports the ones that lead
 * nowhere. */
static void resolve_alternates(struct checker *c, struct gen_file *f)
{
	const char *base = c->s->base_url;
	for (size_t i = 0; i < f->nalts; i++) {
		struct link *l = &f->alts[i];
		c->stats->links++;
		if (!base || !str_has_prefix(l->url, base)) {
			if (base)
				misled(c, f, l, "hreflang '%s' alternate '%s' must be an absolute URL "
						"under base_url %s", l->hreflang, l->url, base);
			else
				misled(c, f, l, "hreflang '%s' alternate '%s' needs a base_url: "
						"alternates must be absolute URLs", l->hreflang, l->url);
			continue;
		}
		struct gen_file *t;
		char *looked_for, *fragment;
		reach(c, f, l->url, &t, &looked_for, &fragment);
		if (!t || !t->is_html)
			misled(c, f, l, "hreflang '%s' alternate %s leads to no page of the built site",
			       l->hreflang, l->url);
		else if (t->lang && strcmp(l->hreflang, "x-default") != 0 &&
			 strcasecmp(t->lang, l->hreflang) != 0)
			misled(c, f, l, "hreflang '%s' alternate %s leads to a page in '%s'",
			       l->hreflang, l->url, t->lang);
		else
			l->target = xstrdup(t->rel);
		free(looked_for);
		free(fragment);
	}
}

/* Each language version a page names must name the page in return. */
static void check_symmetry(struct checker *c, const struct gen_file *f)
{
	for (size_t i = 0; i < f->nalts; i++) {
		const struct link *l = &f->alts[i];
		if (!l->target || strcmp(l->hreflang, "x-default") == 0)
			continue;
		const struct gen_file *t = hmap_get(&c->by_rel, l->target);
		bool back = false;
		for (size_t j = 0; j < t->nalts && !back; j++) {
			const struct link *m = &t->alts[j];
			back = m->target && strcmp(m->hreflang, "x-default") != 0 &&
			       strcmp(m->target, f->rel) == 0;
		}
		if (!back)
			misled(c, f, l, "hreflang '%s' alternate %s does not name this page in "
					"return (hreflang links must be symmetric)", l->hreflang, l->url);
	}
}

static void match_pages(struct checker *c)
{
	const struct site *site = c->s->site;
	if (!site)
		return;
	for (size_t i = 0; i < site->npages; i++) {
		char *rel = xasprintf("%sindex.html", site->pages[i]->url);
		struct gen_file *f = hmap_get(&c->by_rel, rel);
		if (f)
			f->page = site->pages[i];
		free(rel);
	}
}

int check_output(const struct check_site *s, struct check_stats *stats,
		 struct diag_list *diags)
{
	size_t before = diags->errors;
	struct checker c = { .s = s, .shown = s->shown_as ? s->shown_as : s->dir,
			     .root_path = "/", .stats = stats, .diags = diags };
	if (s->base_url) {
		/* The path part of base_url: "https://x.org/aup/" -> "/aup/". */
		const char *host = strstr(s->base_url, "://");
		const char *path = host ? strchr(host + 3, '/') : NULL;
		c.root_path = path ? path : "/";
	}
	hmap_init(&c.by_rel);
	collect(&c, s->dir, "", 0);
	match_pages(&c);
	/* Each page is parsed once; a link that needs a page not read yet
	 * waits for the second loop, when every page has been read. */
	for (size_t i = 0; i < c.nfiles; i++) {
		if (c.files[i]->is_html) {
			read_page(&c, c.files[i]);
			c.files[i]->read = true;
			stats->pages++;
			check_links(&c, c.files[i]);
		}
	}
	for (size_t i = 0; i < c.nfiles; i++) {
		check_links(&c, c.files[i]);
		resolve_alternates(&c, c.files[i]);
	}
	for (size_t i = 0; i < c.nfiles; i++)
		check_symmetry(&c, c.files[i]);
	for (size_t i = 0; i < c.nfiles; i++)
		free_file(c.files[i]);
	free(c.files);
	hmap_free(&c.by_rel);
	return diags->errors > before ? -1 : 0;
}

/* ---- the model ---- */

static int compare_dates(const struct front_matter *a, const struct front_matter *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	return a->day < b->day ? -1 : a->day > b->day;
}

/* "path:line:col" of a field of a page, or the path alone when the field
 * is not written. */
static char *where(const struct page *p, struct fm_pos pos)
{
	return pos.line ? xasprintf("%s:%u:%u", p->path, pos.line, pos.col) : xstrdup(p->path);
}

/* A field that differs between two language versions: a warning in each
 * file, at the field, naming the other's position and value. */
struct mismatch {
	const char *what;    /* "status" */
	struct fm_pos a_pos, b_pos;
	const char *a_value, *b_value; /* as shown in quotes */
};

static void report_mismatch(const struct site *site, const struct page *a, const struct page *b,
			    const struct mismatch *m, struct diag_list *diags)
{
	const struct config *cfg = site->cfg;
	char *at_b = where(b, m->b_pos), *at_a = where(a, m->a_pos);
	diag_warning(diags, a->path, m->a_pos.line, m->a_pos.col,
		     "%s differs from the %s version: '%s' here, '%s' at %s; make the language "
		     "versions agree", m->what, cfg->languages[b->lang].code, m->a_value,
		     m->b_value, at_b);
	diag_warning(diags, b->path, m->b_pos.line, m->b_pos.col,
		     "%s differs from the %s version: '%s' here, '%s' at %s; make the language "
		     "versions agree", m->what, cfg->languages[a->lang].code, m->b_value,
		     m->a_value, at_a);
	free(at_a);
	free(at_b);
}

/* The most years a period is compared by: "2013-2015" names two. */
#define PERIOD_YEARS 4

/* The years a period names, in order, as Western years: a Thai period may
 * be written in the Buddhist Era ("พ.ศ. 2556–2558"), so a year from 2400
 * on is taken as one and 543 subtracted. Returns how many (at most
 * PERIOD_YEARS). */
static size_t period_years(const char *s, int *years)
{
	size_t n = 0;
	if (!s)
		return 0;
	for (const char *c = s; *c && n < PERIOD_YEARS;) {
		if (*c < '0' || *c > '9') {
			c++;
			continue;
		}
		int y = 0, digits = 0;
		while (*c >= '0' && *c <= '9') {
			if (digits < 6)
				y = y * 10 + (*c - '0');
			digits++;
			c++;
		}
		if (digits == 4)
			years[n++] = y >= 2400 ? y - 543 : y;
	}
	return n;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The content files a page lists as resources, sorted; *n of them. */
static const char **resource_files(const struct page *p, size_t *n)
{
	size_t cap = 0;
	for (size_t r = 0; r < p->fm.nresources; r++)
		cap += p->fm.resources[r].nfiles;
	const char **out = xcalloc(cap + 1, sizeof *out);
	*n = 0;
	for (size_t r = 0; r < p->fm.nresources && p->resources; r++)
		for (size_t f = 0; f < p->fm.resources[r].nfiles; f++)
			if (p->resources[r].files && p->resources[r].files[f])
				out[(*n)++] = p->resources[r].files[f]->rel;
	qsort(out, *n, sizeof *out, compare_strings);
	return out;
}

static struct fm_pos resources_pos(const struct page *p)
{
	return p->fm.nresources ? p->fm.resources[0].pos : (struct fm_pos){ 0, 0 };
}

/* The first file one list has and the other has not (both sorted), or
 * NULL; *in_a says which list has it. */
static const char *first_difference(const char **a, size_t na, const char **b, size_t nb,
				    bool *in_a)
{
	size_t i = 0, j = 0;
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);
		if (c == 0) {
			i++;
			j++;
			while (i < na && strcmp(a[i], a[i - 1]) == 0)
				i++;
			while (j < nb && strcmp(b[j], b[j - 1]) == 0)
				j++;
			continue;
		}
		*in_a = c < 0;
		return c < 0 ? a[i] : b[j];
	}
	return NULL;
}

/* Compares what must be the same in every language version of a page:
 * kind, status, the years of the period, the number of donors, the
 * previous phase (as pages: translations of each other count as the same)
 * and the resource files. */
static void compare_versions(const struct site *site, const struct page *a, const struct page *b,
			     struct diag_list *diags)
{
	const struct front_matter *fa = &a->fm, *fb = &b->fm;
	if (fa->kind != fb->kind)
		report_mismatch(site, a, b, &(struct mismatch){ "kind", fa->kind_pos, fb->kind_pos,
				frontmatter_kind_name(fa->kind), frontmatter_kind_name(fb->kind) },
				diags);
	if (fa->inactive != fb->inactive)
		report_mismatch(site, a, b, &(struct mismatch){ "status", fa->status_pos,
				fb->status_pos, fa->inactive ? "inactive" : "active",
				fb->inactive ? "inactive" : "active" }, diags);
	int ya[PERIOD_YEARS], yb[PERIOD_YEARS];
	size_t nya = period_years(fa->period, ya), nyb = period_years(fb->period, yb);
	if ((fa->period || fb->period) &&
	    (nya != nyb || memcmp(ya, yb, nya * sizeof *ya) != 0 || (!fa->period != !fb->period)))
		report_mismatch(site, a, b, &(struct mismatch){ "period (its years)", fa->period_pos,
				fb->period_pos, fa->period ? fa->period : "(none)",
				fb->period ? fb->period : "(none)" }, diags);
	if (fa->ndonors != fb->ndonors) {
		char na[32], nb[32];
		snprintf(na, sizeof na, "%zu donor%s", fa->ndonors, fa->ndonors == 1 ? "" : "s");
		snprintf(nb, sizeof nb, "%zu donor%s", fb->ndonors, fb->ndonors == 1 ? "" : "s");
		report_mismatch(site, a, b, &(struct mismatch){ "the number of donors",
				fa->donors_pos, fb->donors_pos, na, nb }, diags);
	}
	const struct page *pa = a->previous, *pb = b->previous;
	bool same_prev = pa == pb || (pa && pb && site_translation(pa, pb->lang) == pb);
	if (!same_prev)
		report_mismatch(site, a, b, &(struct mismatch){ "previous_phase",
				fa->previous_phase_pos, fb->previous_phase_pos,
				fa->previous_phase ? fa->previous_phase : "(none)",
				fb->previous_phase ? fb->previous_phase : "(none)" }, diags);
	size_t nra, nrb;
	const char **ra = resource_files(a, &nra), **rb = resource_files(b, &nrb);
	bool in_a = false;
	const char *diff = first_difference(ra, nra, rb, nrb, &in_a);
	if (diff) {
		const struct page *has = in_a ? a : b, *lacks = in_a ? b : a;
		struct fm_pos hp = resources_pos(has), lp = resources_pos(lacks);
		char *at_has = where(has, hp), *at_lacks = where(lacks, lp);
		const char *content = site->opts.content_dir;
		diag_warning(diags, has->path, hp.line, hp.col,
			     "the resource files differ from the %s version: '%s/%s' is listed "
			     "here, not at %s; make the language versions agree",
			     site->cfg->languages[lacks->lang].code, content, diff, at_lacks);
		diag_warning(diags, lacks->path, lp.line, lp.col,
			     "the resource files differ from the %s version: '%s/%s' is listed "
			     "at %s, not here; make the language versions agree",
			     site->cfg->languages[has->lang].code, content, diff, at_has);
		free(at_has);
		free(at_lacks);
	}
	free(ra);
	free(rb);
}

void check_translations(const struct site *site, struct diag_list *diags)
{
	const struct config *cfg = site->cfg;
	int def = config_language_index(cfg, cfg->default_language);
	for (size_t i = 0; i < site->npages; i++) {
		const struct page *p = site->pages[i];
		for (size_t l = 0; l < cfg->nlanguages; l++) {
			if (l != p->lang && !site_translation(p, l))
				diag_add(diags, DIAG_NOTE, p->path, 0, 0, "no %s translation",
					 cfg->languages[l].code);
		}
		const struct page *src = def >= 0 && p->lang != (size_t)def
						 ? site_translation(p, (size_t)def) : NULL;
		if (src && p->fm.has_date && src->fm.has_date && compare_dates(&p->fm, &src->fm) < 0)
			diag_warning(diags, p->path, p->fm.date_pos.line, p->fm.date_pos.col,
				     "translation is older than %s (%04d-%02d-%02d < %04d-%02d-%02d)",
				     src->path, p->fm.year, p->fm.month, p->fm.day, src->fm.year,
				     src->fm.month, src->fm.day);
		/* Each version is compared with the first one in the site's
		 * language order: every pair that differs is found once. */
		const struct page *first = NULL;
		for (size_t l = 0; l < cfg->nlanguages && !first; l++)
			first = site_translation(p, l);
		if (first && first != p)
			compare_versions(site, first, p, diags);
	}
}

static void check_resource_file(const struct page *p, const struct fm_file *ff,
				const struct static_file *sf, const char *content,
				const char *dir, struct diag_list *diags)
{
	if (!sf) {
		diag_error(diags, p->path, ff->pos.line, ff->pos.col,
			   "resource file '%s' is not a file of the content folder", ff->path);
		return;
	}
	char *real = platform_realpath(sf->path);
	struct stat st;
	char *copy = xasprintf("%s/%s", dir, sf->rel);
	if (!real)
		diag_error(diags, p->path, ff->pos.line, ff->pos.col,
			   "resource file '%s' cannot be read: %s", ff->path, strerror(errno));
	else if (!url_path_within(real, content))
		diag_error(diags, p->path, ff->pos.line, ff->pos.col,
			   "resource file '%s' lies outside the content folder (it leads to %s)",
			   ff->path, real);
	else if (stat(copy, &st) != 0 || !S_ISREG(st.st_mode))
		diag_error(diags, p->path, ff->pos.line, ff->pos.col,
			   "resource file '%s' was not copied into the site", ff->path);
	free(copy);
	free(real);
}

int check_resources(const struct site *site, const char *dir, struct diag_list *diags)
{
	size_t before = diags->errors;
	char *content = platform_realpath(site->opts.content_dir);
	if (!content) {
		diag_error(diags, site->opts.content_dir, 0, 0, "cannot read the content folder: %s",
			   strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < site->npages; i++) {
		const struct page *p = site->pages[i];
		for (size_t r = 0; r < p->fm.nresources; r++) {
			const struct fm_resource *fr = &p->fm.resources[r];
			if (fr->type != RESOURCE_FILES)
				continue;
			const struct resource_link *rl = p->resources ? &p->resources[r] : NULL;
			for (size_t k = 0; k < fr->nfiles; k++)
				check_resource_file(p, &fr->files[k],
						    rl && rl->files ? rl->files[k] : NULL, content,
						    dir, diags);
		}
	}
	free(content);
	return diags->errors > before ? -1 : 0;
}

/* Appends s padded with spaces to width characters (code points). */
static void put_cell(struct buf *out, const char *s, size_t width)
{
	size_t chars = 0;
	for (const char *c = s; *c; c++)
		chars += ((unsigned char)*c & 0xc0) != 0x80;
	buf_puts(out, s);
	for (; chars < width; chars++)
		buf_putc(out, ' ');
}

static size_t text_width(const char *s)
{
	size_t chars = 0;
	for (const char *c = s; *c; c++)
		chars += ((unsigned char)*c & 0xc0) != 0x80;
	return chars;
}

void check_translation_table(const struct site *site, struct buf *out)
{
	const struct config *cfg = site->cfg;
	int def = config_language_index(cfg, cfg->default_language);
	size_t width = text_width("page");
	for (size_t i = 0; i < site->npages; i++)
		if (text_width(site->pages[i]->rel) > width)
			width = text_width(site->pages[i]->rel);
	put_cell(out, "page", width + 2);
	for (size_t l = 0; l < cfg->nlanguages; l++) {
		if (l + 1 < cfg->nlanguages)
			put_cell(out, cfg->languages[l].code, 10);
		else
			buf_puts(out, cfg->languages[l].code);
	}
	buf_putc(out, '\n');
	for (size_t i = 0; i < site->npages; i++) {
		const struct page *p = site->pages[i], *first = NULL;
		for (size_t l = 0; l < cfg->nlanguages && !first; l++)
			first = site_translation(p, l);
		if (first && first != p)
			continue; /* its row is the first version's */
		const struct page *src = def >= 0 ? site_translation(p, (size_t)def) : NULL;
		put_cell(out, p->rel, width + 2);
		for (size_t l = 0; l < cfg->nlanguages; l++) {
			const struct page *v = site_translation(p, l);
			if (!v && l == p->lang)
				v = p;
			const char *state = !v ? "missing"
					    : src && v != src && v->fm.has_date && src->fm.has_date &&
							      compare_dates(&v->fm, &src->fm) < 0
						    ? "outdated"
						    : "ok";
			if (l + 1 < cfg->nlanguages)
				put_cell(out, state, 10);
			else
				buf_puts(out, state);
		}
		buf_putc(out, '\n');
	}
}

/* ---- the command ---- */

struct run {
	const struct build_options *opts;
	const char *dir; /* where the build writes */
	struct check_stats *stats;
	struct diag_list found; /* kept apart so the build does not count them */
	struct buf *table;      /* the translation table, when asked for */
	bool built;
};

static void inspect(void *ctx, const struct site *site)
{
	struct run *run = ctx;
	run->built = true;
	if (run->opts->interrupted && *run->opts->interrupted)
		return; /* stopped by a signal: the caller removes the folder at once */
	struct check_site s = { .dir = run->dir, .shown_as = run->opts->output_dir,
				.base_url = site->cfg->base_url, .site = site };
	check_output(&s, run->stats, &run->found);
	check_resources(site, run->dir, &run->found);
	check_translations(site, &run->found);
	if (run->table)
		check_translation_table(site, run->table);
}

int check_run(const struct build_options *opts, struct check_stats *stats, struct buf *table,
	      struct diag_list *diags)
{
	memset(stats, 0, sizeof *stats);
	const char *tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	/* A check killed outright cannot remove its folder; the next one
	 * does (only marked folders of this name that no check holds). */
	output_remove_leftovers(tmpdir, "sapan-check-");
	char *prefix = xasprintf("%s/sapan-check-", tmpdir);
	int lock;
	char *tmp = output_make_folder(prefix, &lock);
	free(prefix);
	if (!tmp) {
		diag_error(diags, tmpdir, 0, 0, "cannot create a temporary folder: %s",
			   strerror(errno));
		return -1;
	}
	char *dir = xasprintf("%s/site", tmp);
	struct run run = { .opts = opts, .dir = dir, .stats = stats, .table = table };
	diag_list_init(&run.found);
	struct build_options bo = *opts;
	bo.output_dir = dir;
	/* The user's output folder is what a stopped check leaves alone. */
	bo.output_shown = opts->output_dir;
	bo.inspect = inspect;
	bo.inspect_ctx = &run;
	struct build_stats bs;
	int rc = build_run(&bo, &bs, diags);
	output_remove_tree(tmp);
	output_unlock(lock);
	diag_list_take(diags, &run.found);
	diag_list_free(&run.found);
	free(dir);
	free(tmp);
	return rc == 0 && run.built ? 0 : -1;
}
