/* SPDX-License-Identifier: MIT */
/*
 * view: turns the linked site model into the data a template is rendered
 * with (struct value trees), one function per kind of output page. All
 * URLs in a view are relative to the page being rendered and
 * percent-encoded, so the site works under any path prefix. Each function
 * returns a new tree that the caller frees with value_free. docs/templates.md
 * lists every field.
 */
#ifndef SAPAN_VIEW_H
#define SAPAN_VIEW_H

#include <stddef.h>

#include "cachekey.h"
#include "diag.h"
#include "i18n.h"
#include "site.h"
#include "value.h"

/*
 * The most entries a language's menu may have, the archive aside. Every
 * page carries the menu, so its length multiplies the size of the whole
 * site: the bound keeps each page's size independent of the number of
 * pages. A menu longer than this no reader scans, on a phone least of all.
 */
#define VIEW_MENU_MAX 30
/* A home page shows the newest few news pages; the news section lists all. */
#define VIEW_HOME_NEWS 3
/*
 * A home page shows the first this many current projects and infosheets,
 * in list order (weight, then title), and links to the section that lists
 * them all: a site of thousands of projects keeps a home page a phone can
 * load (20 Thai entries are about 10 KB).
 */
#define VIEW_HOME_ITEMS 10

/* The pages of one language's menu, in menu order. */
struct view_menu {
	struct page **items; /* pages of this language, and of others where this one has no version */
	size_t len;
};

struct view_lists;

struct view_env {
	const struct site *site;
	const struct i18n *i18n;
	const char *css_path; /* stylesheet, relative to the site root */
	/* One per language, from view_menus_select; NULL: the menus show only
	 * the archive. */
	struct view_menu *menus;
	/* From view_lists_select; NULL: each view makes the lists it shows. */
	struct view_lists *lists;
	/* An offline copy (build_options.offline): every link to a folder
	 * names its index.html, no absolute link leads to the site's own
	 * pages, and each page says it is an offline copy made on the date
	 * offline_date (year, month, day). */
	bool offline;
	int offline_date[3];
};

/* The folder of each language's publications page: "en/publications/". */
#define VIEW_PUBLICATIONS "publications"
/* The folder of each language's search page. */
#define VIEW_SEARCH "search"

/*
 * Chooses each language's menu, once for the whole site: the sections at
 * the top of the language folder, unless they say menu: false, and every
 * page that says menu: true, ordered by weight, then title. Sets
 * env->menus (free it with view_menus_free). Returns 0, or -1 with an error
 * at the first page past VIEW_MENU_MAX in a language's menu.
 */
int view_menus_select(struct view_env *env, struct diag_list *diags);
void view_menus_free(struct view_env *env);
/*
 * Makes every section's list and every archive once, before the pages
 * render, and sets env->lists (free it with view_lists_free): a long list
 * is split into pages (paginate.h), and each of its pages would otherwise
 * sort the whole list again.
 */
void view_lists_select(struct view_env *env);
void view_lists_free(struct view_env *env);
/* How many pages the list of page p (a section's entries) takes
 * (paginate.h, site.yaml's list_page_size): 1 for any other page, and for
 * a home page, whose layout shows the site's lists rather than its
 * children. */
size_t view_list_count(const struct view_env *env, const struct page *p);
/* How many pages the archive of language lang takes. */
size_t view_archive_count(const struct view_env *env, size_t lang);

/* The output folder of language lang's archive: "en/archive/". */
char *view_archive_url(const struct view_env *env, size_t lang);
/* The output folder of language lang's publications page: "en/publications/". */
char *view_publications_url(const struct view_env *env, size_t lang);
/* The absolute, percent-encoded URL of the site-relative url; needs base_url. */
char *view_absolute_url(const struct view_env *env, const char *url);

/* One hreflang alternate: a language code (or "x-default") and an absolute URL. */
struct view_alternate {
	const char *hreflang; /* owned by the configuration */
	char *href;           /* owned by the array */
};
/*
 * The language versions of page (NULL: the archive of language lang), as
 * absolute URLs, each language that has one in the site's order, then
 * x-default (the default language's version, else the page itself). Pages
 * and the sitemap both use it, so they never disagree. Needs base_url.
 * Returns an array of *n entries; free it with view_alternates_free.
 */
struct view_alternate *view_alternates(const struct view_env *env, const struct page *page,
				       size_t lang, size_t *n);
/* As view_alternates, for page number of the list page (or the archive)
 * shows: each language whose list has that page. */
struct view_alternate *view_alternates_at(const struct view_env *env, const struct page *page,
					  size_t lang, size_t number, size_t *n);
/* As view_alternates; without a page, list names the list page:
 * VIEW_PUBLICATIONS or VIEW_SEARCH, or NULL for the archive. */
struct view_alternate *view_list_alternates(const struct view_env *env, const struct page *page,
					    const char *list, size_t lang, size_t number, size_t *n);
void view_alternates_free(struct view_alternate *alts, size_t n);
/* view_list_page(env, page, 1). */
struct value *view_page(const struct view_env *env, const struct page *page);
/*
 * The view of page number (from 1 to view_list_count) of page's list,
 * written to paginate_url(page->url, number): the page's own fields, the
 * entries of that page of its list as page.children, and "pager" when the
 * list takes more than one page. Its text (page.content) is on the first
 * page only; the switcher and alternates lead to the same page of the
 * other languages' lists, or to their first page when they are shorter.
 */
struct value *view_list_page(const struct view_env *env, const struct page *page, size_t number);
/*
 * Puts into k what view_page(env, page) is made from, besides what the
 * build cache's global and structure keys hold (options, site.yaml, UI
 * strings, templates, and every page's path, URL, translation key and
 * language): the stylesheet's path, the menu, the page's own text and
 * description, and the text and description of every page its view shows
 * (phases, resource pages, list entries), with the sizes of its resource
 * files. Two builds with equal keys build equal views, so the build may
 * keep the page's file without building its view at all. Cheap next to
 * view_page: a few hashes per page, and the lists of sections and homes.
 */
void view_page_inputs(const struct view_env *env, const struct page *page,
		      struct cache_key *k);
/* As view_page_inputs, for view_list_page(env, page, number): only the
 * entries that page shows, how many there are in all, and how many pages
 * the other languages' lists have. */
void view_list_page_inputs(const struct view_env *env, const struct page *page, size_t number,
			   struct cache_key *k);
/* Page number (from 1 to view_archive_count) of language lang's archive,
 * newest period first, paged as view_list_page does. */
struct value *view_archive(const struct view_env *env, size_t lang, size_t number);
/* As view_page_inputs, for view_archive(env, lang, number): the
 * stylesheet, the menu and every page that page of the archive lists. */
void view_archive_inputs(const struct view_env *env, size_t lang, size_t number,
			 struct cache_key *k);
/*
 * Page number (from 1 to view_publications_count) of
 * site/<lang>/publications/: every document the pages of the list in
 * language lang list (publications.h), newest first, each with its title,
 * its files (language named in lang, type, size) and the pages that list
 * it.
 */
struct value *view_publications(const struct view_env *env, size_t lang, size_t number);
/* How many pages language lang's publications page takes (at least 1),
 * paged as view_list_page does. */
size_t view_publications_count(const struct view_env *env, size_t lang);
/* As view_page_inputs, for view_publications(env, lang, number): the
 * stylesheet, the menu, every page that lists a file, with the files'
 * sizes, and how many pages the other languages' publications take. */
void view_publications_inputs(const struct view_env *env, size_t lang, size_t number,
			      struct cache_key *k);
/*
 * The most pages the search page lists under one section when scripts do
 * not run (a site index): past it, a link to the section, which lists
 * them all. The page stays light enough for a phone on a site of
 * thousands of pages.
 */
#define VIEW_SITE_INDEX_MAX 40
/* The output folder of language lang's search page: "en/search/". */
char *view_search_url(const struct view_env *env, size_t lang);
/* <lang>/search/: the search form, and every page of the language grouped
 * by section (up to VIEW_SITE_INDEX_MAX each) for readers without scripts. */
struct value *view_search(const struct view_env *env, size_t lang);

/* site/index.html: the page that offers every language. */
struct value *view_languages(const struct view_env *env);
/* site/404.html: served at any URL, so its links start from the site's
 * root path (the path of base_url, else "/"). */
struct value *view_not_found(const struct view_env *env);

#endif
