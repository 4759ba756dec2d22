/* SPDX-License-Identifier: MIT */
/*
 * sitemap: the files that list a site's pages for machines, sitemap.xml
 * and each language's Atom feed, written with libxml2's text writer (the
 * only module that calls libxml2 for writing), so the XML is well-formed
 * and escaped whatever the URLs and titles hold. The caller owns the
 * entries; the returned text is the caller's to free.
 */
#ifndef SAPAN_SITEMAP_H
#define SAPAN_SITEMAP_H

#include <stddef.h>

#include "cachekey.h"

struct sitemap_alternate {
	const char *hreflang;
	const char *href; /* absolute */
};

struct sitemap_entry {
	const char *loc;     /* absolute URL: the protocol allows no other */
	const char *lastmod; /* YYYY-MM-DD or NULL */
	const struct sitemap_alternate *alternates;
	size_t nalternates;
};

/* Returns the sitemap document, or NULL if libxml2 failed. */
char *sitemap_render(const struct sitemap_entry *entries, size_t n);

struct view_env;
/*
 * The sitemap of a whole site: one entry per page and per archive, and
 * per later page of a long list (paginate.h), each
 * with its language versions as alternates (view_alternates, as the pages
 * themselves link them) and a page's date as lastmod. Needs base_url: the
 * protocol allows only absolute URLs. Returns the document for the caller
 * to free, or NULL if libxml2 failed.
 */
char *sitemap_of_site(const struct view_env *env);
/*
 * Puts into k what sitemap_of_site reads besides the build cache's global
 * and structure keys (which hold base_url and every page's URL and
 * translations): each page's date and updated date (its lastmod is the
 * updated date when given, else the date), and how many pages each list
 * takes. Equal keys, equal sitemaps.
 */
void sitemap_inputs(const struct view_env *env, struct cache_key *k);

/*
 * How many pages a feed lists: the newest ones. Feed readers poll the file
 * often, so it stays small whatever the size of the site; twenty covers
 * years of a project site's news.
 */
#define SITEMAP_FEED_MAX 20

/*
 * The Atom feed of language lang ("<lang>/feed.xml"): the
 * SITEMAP_FEED_MAX most recently changed pages of that language that have
 * a date, news included (by updated when given, else date, newest first;
 * equal dates in path order), each with its title, description as
 * summary, that day as updated (and its date as published when it has
 * both), and its versions in other languages as alternate links. The feed's updated is its newest entry's date (the epoch
 * when it has none), never the time of the build, so the same site gives
 * the same file. Needs base_url: Atom ids and links are absolute. Returns
 * the document for the caller to free, or NULL if libxml2 failed.
 */
char *sitemap_feed(const struct view_env *env, size_t lang);

#endif
