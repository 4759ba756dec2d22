/* SPDX-License-Identifier: MIT */
#include "sitemap.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

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
