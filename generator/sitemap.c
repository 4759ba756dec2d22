/* SPDX-License-Identifier: MIT */
#include "sitemap.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "view.h"

#define NS_SITEMAP "http://www.sitemaps.org/schemas/sitemap/0.9"
#define NS_XHTML "http://www.w3.org/1999/xhtml"

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

char *sitemap_render(const struct sitemap_entry *entries, size_t n)
{
	xmlBufferPtr xb = xmlBufferCreate();
	if (!xb)
		return NULL;
	xmlTextWriterPtr w = xmlNewTextWriterMemory(xb, 0);
	if (!w) {
		xmlBufferFree(xb);
		return NULL;
	}
	int rc = 0;
	rc |= xmlTextWriterSetIndent(w, 1) < 0;
	rc |= xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0;
	rc |= xmlTextWriterStartElement(w, X("urlset")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("xmlns"), X(NS_SITEMAP)) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("xmlns:xhtml"), X(NS_XHTML)) < 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc |= write_entry(w, &entries[i]);
	rc |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	char *out = rc ? NULL : xstrdup((const char *)xmlBufferContent(xb));
	xmlBufferFree(xb);
	return out;
}

/* One entry's parts, kept until the document is written. */
struct entry_parts {
	struct view_alternate *alts;
	size_t nalts;
	struct sitemap_alternate *out;
};

static void fill_entry(const struct view_env *env, const struct page *page, size_t lang,
		       struct sitemap_entry *e, struct entry_parts *parts)
{
	parts->alts = view_alternates(env, page, lang, &parts->nalts);
	parts->out = xcalloc(parts->nalts, sizeof *parts->out);
	for (size_t i = 0; i < parts->nalts; i++)
		parts->out[i] = (struct sitemap_alternate){ parts->alts[i].hreflang,
							    parts->alts[i].href };
	char *archive = page ? NULL : view_archive_url(env, lang);
	e->loc = view_absolute_url(env, page ? page->url : archive);
	free(archive);
	e->lastmod = page && page->fm.has_date ? xasprintf("%04d-%02d-%02d", page->fm.year,
							   page->fm.month, page->fm.day)
					       : NULL;
	e->alternates = parts->out;
	e->nalternates = parts->nalts;
}

char *sitemap_of_site(const struct view_env *env)
{
	const struct site *site = env->site;
	size_t nl = site->cfg->nlanguages, n = site->npages + nl;
	struct sitemap_entry *entries = xcalloc(n, sizeof *entries);
	struct entry_parts *parts = xcalloc(n, sizeof *parts);
	for (size_t i = 0; i < site->npages; i++)
		fill_entry(env, site->pages[i], site->pages[i]->lang, &entries[i], &parts[i]);
	for (size_t l = 0; l < nl; l++)
		fill_entry(env, NULL, l, &entries[site->npages + l], &parts[site->npages + l]);
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
