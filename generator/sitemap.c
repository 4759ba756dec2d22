/* SPDX-License-Identifier: MIT */
#include "sitemap.h"

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "paginate.h"
#include "util.h"
#include "view.h"

#define NS_SITEMAP "http://www.sitemaps.org/schemas/sitemap/0.9"
#define NS_XHTML "http://www.w3.org/1999/xhtml"
#define NS_ATOM "http://www.w3.org/2005/Atom"

static const xmlChar *X(const char *s)
{
	return (const xmlChar *)s;
}

static int write_entry(xmlTextWriterPtr w, const struct sitemap_entry *e)
{
	int rc = 0;
	rc |= xmlTextWriterStartElement(w, X("url")) < 0;
	rc |= xmlTextWriterWriteElement(w, X("loc"), X(e->loc)) < 0;
	if (e->lastmod)
		rc |= xmlTextWriterWriteElement(w, X("lastmod"), X(e->lastmod)) < 0;
	for (size_t i = 0; i < e->nalternates; i++) {
		rc |= xmlTextWriterStartElement(w, X("xhtml:link")) < 0;
		rc |= xmlTextWriterWriteAttribute(w, X("rel"), X("alternate")) < 0;
		rc |= xmlTextWriterWriteAttribute(w, X("hreflang"), X(e->alternates[i].hreflang)) < 0;
		rc |= xmlTextWriterWriteAttribute(w, X("href"), X(e->alternates[i].href)) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	rc |= xmlTextWriterEndElement(w) < 0;
	return rc ? -1 : 0;
}

/* A writer into a new buffer, indented, its document started; NULL when
 * libxml2 fails. close_document gives the text. */
static pthread_once_t xml_ready = PTHREAD_ONCE_INIT;

static xmlTextWriterPtr open_document(xmlBufferPtr *xb)
{
	/* The sitemap is written on a worker thread (build.c), and libxml2
	 * sets up its global state once, before any thread uses it. */
	pthread_once(&xml_ready, xmlInitParser);
	*xb = xmlBufferCreate();
	xmlTextWriterPtr w = *xb ? xmlNewTextWriterMemory(*xb, 0) : NULL;
	if (w && (xmlTextWriterSetIndent(w, 1) < 0 ||
		  xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0)) {
		xmlFreeTextWriter(w);
		w = NULL;
	}
	if (!w && *xb) {
		xmlBufferFree(*xb);
		*xb = NULL;
	}
	return w;
}

/* Ends the document and frees the writer; returns its text (caller
 * frees), or NULL when rc or libxml2 says it failed. */
static char *close_document(xmlTextWriterPtr w, xmlBufferPtr xb, int rc)
{
	rc |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	char *out = rc ? NULL : xstrdup((const char *)xmlBufferContent(xb));
	xmlBufferFree(xb);
	return out;
}

char *sitemap_render(const struct sitemap_entry *entries, size_t n)
{
	xmlBufferPtr xb;
	xmlTextWriterPtr w = open_document(&xb);
	if (!w)
		return NULL;
	int rc = 0;
	rc |= xmlTextWriterStartElement(w, X("urlset")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("xmlns"), X(NS_SITEMAP)) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("xmlns:xhtml"), X(NS_XHTML)) < 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc |= write_entry(w, &entries[i]);
	return close_document(w, xb, rc);
}

/* One entry's parts, kept until the document is written. */
struct entry_parts {
	struct view_alternate *alts;
	size_t nalts;
	struct sitemap_alternate *out;
};

/* The entry of page number of page's list; without a page, of the list
 * page named list (see view_list_alternates). */
static void fill_entry(const struct view_env *env, const struct page *page, const char *list,
		       size_t lang, size_t number, struct sitemap_entry *e,
		       struct entry_parts *parts)
{
	parts->alts = list ? view_list_alternates(env, page, list, lang, number, &parts->nalts)
			   : view_alternates_at(env, page, lang, number, &parts->nalts);
	parts->out = xcalloc(parts->nalts, sizeof *parts->out);
	for (size_t i = 0; i < parts->nalts; i++)
		parts->out[i] = (struct sitemap_alternate){ parts->alts[i].hreflang,
							    parts->alts[i].href };
	char *archive = page ? NULL
			     : list ? view_publications_url(env, lang) : view_archive_url(env, lang);
	char *url = paginate_url(page ? page->url : archive, number);
	e->loc = view_absolute_url(env, url);
	free(url);
	free(archive);
	e->lastmod = NULL;
	if (page && page->fm.has_updated)
		e->lastmod = xasprintf("%04d-%02d-%02d", page->fm.updated_year,
				       page->fm.updated_month, page->fm.updated_day);
	else if (page && page->fm.has_date)
		e->lastmod = xasprintf("%04d-%02d-%02d", page->fm.year, page->fm.month,
				       page->fm.day);
	e->alternates = parts->out;
	e->nalternates = parts->nalts;
}

char *sitemap_of_site(const struct view_env *env)
{
	const struct site *site = env->site;
	size_t nl = site->cfg->nlanguages, n = 0;
	/* Every page of every list: a page, then its list's later pages; then
	 * each language's publications pages. */
	size_t *counts = xcalloc(site->npages + 2 * nl, sizeof *counts);
	for (size_t i = 0; i < site->npages + 2 * nl; i++) {
		counts[i] = i < site->npages	       ? view_list_count(env, site->pages[i])
			    : i < site->npages + nl ? view_archive_count(env, i - site->npages)
						    : view_publications_count(env, i - site->npages - nl);
		n += counts[i];
	}
	struct sitemap_entry *entries = xcalloc(n ? n : 1, sizeof *entries);
	struct entry_parts *parts = xcalloc(n ? n : 1, sizeof *parts);
	size_t at = 0;
	for (size_t i = 0; i < site->npages + nl; i++) {
		const struct page *p = i < site->npages ? site->pages[i] : NULL;
		size_t lang = p ? p->lang : i - site->npages;
		for (size_t number = 1; number <= counts[i]; number++, at++)
			fill_entry(env, p, NULL, lang, number, &entries[at], &parts[at]);
	}
	for (size_t l = 0; l < nl; l++) {
		for (size_t number = 1; number <= counts[site->npages + nl + l]; number++, at++)
			fill_entry(env, NULL, VIEW_PUBLICATIONS, l, number, &entries[at], &parts[at]);
	}
	free(counts);
	char *xml = sitemap_render(entries, n);
	for (size_t i = 0; i < n; i++) {
		free((char *)entries[i].loc);
		free((char *)entries[i].lastmod);
		free(parts[i].out);
		view_alternates_free(parts[i].alts, parts[i].nalts);
	}
	free(parts);
	free(entries);
	return xml;
}

/* Keep in step with fill_entry. */
void sitemap_inputs(const struct view_env *env, struct cache_key *k)
{
	const struct site *site = env->site;
	cache_key_u64(k, site->npages);
	for (size_t i = 0; i < site->npages; i++) {
		const struct front_matter *fm = &site->pages[i]->fm;
		cache_key_u64(k, fm->has_date ? (uint64_t)(fm->year * 10000 + fm->month * 100 + fm->day)
					      : UINT64_MAX);
		cache_key_u64(k, fm->has_updated ? (uint64_t)(fm->updated_year * 10000 +
							       fm->updated_month * 100 +
							       fm->updated_day)
						 : UINT64_MAX);
		cache_key_u64(k, view_list_count(env, site->pages[i]));
	}
	for (size_t l = 0; l < site->cfg->nlanguages; l++) {
		cache_key_u64(k, view_archive_count(env, l));
		cache_key_u64(k, view_publications_count(env, l));
	}
}

/* The day a page last changed: its updated date, else its date. */
static long changed_on(const struct page *p)
{
	const struct front_matter *fm = &p->fm;
	if (fm->has_updated)
		return (long)fm->updated_year * 10000 + fm->updated_month * 100 + fm->updated_day;
	return (long)fm->year * 10000 + fm->month * 100 + fm->day;
}

/* Most recently changed first; equal dates in path order, so the feed is
 * the same whatever order the pages come in. */
static int newer_first(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a, *y = *(const struct page *const *)b;
	long dx = changed_on(x), dy = changed_on(y);
	if (dx != dy)
		return dx < dy ? 1 : -1;
	return strcmp(x->rel, y->rel);
}

static char *atom_date(const struct page *p)
{
	long d = changed_on(p);
	return xasprintf("%04ld-%02ld-%02ldT00:00:00Z", d / 10000, d / 100 % 100, d % 100);
}

static int write_link(xmlTextWriterPtr w, const char *rel, const char *type,
		      const char *hreflang, const char *href)
{
	int rc = 0;
	rc |= xmlTextWriterStartElement(w, X("link")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("rel"), X(rel)) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("type"), X(type)) < 0;
	if (hreflang)
		rc |= xmlTextWriterWriteAttribute(w, X("hreflang"), X(hreflang)) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("href"), X(href)) < 0;
	rc |= xmlTextWriterEndElement(w) < 0;
	return rc;
}

static int write_feed_entry(xmlTextWriterPtr w, const struct view_env *env, const struct page *p)
{
	const struct config *cfg = env->site->cfg;
	char *url = view_absolute_url(env, p->url), *updated = atom_date(p);
	int rc = 0;
	rc |= xmlTextWriterStartElement(w, X("entry")) < 0;
	rc |= xmlTextWriterWriteElement(w, X("id"), X(url)) < 0;
	rc |= xmlTextWriterWriteElement(w, X("title"), X(p->fm.title)) < 0;
	rc |= xmlTextWriterWriteElement(w, X("updated"), X(updated)) < 0;
	if (p->fm.has_date && p->fm.has_updated) {
		char *published = xasprintf("%04d-%02d-%02dT00:00:00Z", p->fm.year,
					    p->fm.month, p->fm.day);
		rc |= xmlTextWriterWriteElement(w, X("published"), X(published)) < 0;
		free(published);
	}
	rc |= write_link(w, "alternate", "text/html", NULL, url);
	for (size_t l = 0; l < cfg->nlanguages; l++) {
		const struct page *tr = site_translation(p, l);
		if (l == p->lang || !tr)
			continue;
		char *href = view_absolute_url(env, tr->url);
		rc |= write_link(w, "alternate", "text/html", cfg->languages[l].code, href);
		free(href);
	}
	if (p->description && *p->description)
		rc |= xmlTextWriterWriteElement(w, X("summary"), X(p->description)) < 0;
	rc |= xmlTextWriterEndElement(w) < 0;
	free(url);
	free(updated);
	return rc;
}

char *sitemap_feed(const struct view_env *env, size_t lang)
{
	const struct site *site = env->site;
	const struct config *cfg = site->cfg;
	const struct page **pages = xcalloc(site->npages + 1, sizeof *pages);
	size_t n = 0;
	for (size_t i = 0; i < site->npages; i++)
		if (site->pages[i]->lang == lang && site->pages[i]->fm.has_date)
			pages[n++] = site->pages[i];
	qsort(pages, n, sizeof *pages, newer_first);
	if (n > SITEMAP_FEED_MAX)
		n = SITEMAP_FEED_MAX;

	xmlBufferPtr xb;
	xmlTextWriterPtr w = open_document(&xb);
	if (!w) {
		free(pages);
		return NULL;
	}
	const char *code = cfg->languages[lang].code;
	char *home = view_absolute_url(env, site->homes[lang]->url);
	char *feed_rel = xasprintf("%s/feed.xml", code);
	char *self = view_absolute_url(env, feed_rel);
	char *updated = n ? atom_date(pages[0]) : xstrdup("1970-01-01T00:00:00Z");
	const char *title = cfg->languages[lang].title ? cfg->languages[lang].title : code;
	int rc = 0;
	rc |= xmlTextWriterStartElement(w, X("feed")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("xmlns"), X(NS_ATOM)) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("xml:lang"), X(code)) < 0;
	rc |= xmlTextWriterWriteElement(w, X("id"), X(self)) < 0;
	rc |= xmlTextWriterWriteElement(w, X("title"), X(title)) < 0;
	rc |= xmlTextWriterWriteElement(w, X("updated"), X(updated)) < 0;
	rc |= write_link(w, "self", "application/atom+xml", NULL, self);
	rc |= write_link(w, "alternate", "text/html", NULL, home);
	/* Atom requires an author on the feed when its entries have none. */
	rc |= xmlTextWriterStartElement(w, X("author")) < 0;
	rc |= xmlTextWriterWriteElement(w, X("name"), X(title)) < 0;
	rc |= xmlTextWriterEndElement(w) < 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc |= write_feed_entry(w, env, pages[i]);
	char *out = close_document(w, xb, rc);
	free(home);
	free(feed_rel);
	free(self);
	free(updated);
	free(pages);
	return out;
}
