/* SPDX-License-Identifier: MIT */
#include "publications.h"

#include <stdint.h>
#include <stdlib.h>

#include "hmap.h"
#include "util.h"

bool publications_lists_files(const struct page *p)
{
	for (size_t i = 0; i < p->fm.nresources; i++)
		if (p->fm.resources[i].type == RESOURCE_FILES && p->fm.resources[i].nfiles)
			return true;
	return false;
}

/* How new a page is, as YYYYMMDD: its date, else the end of the last year
 * its period names ("2013-2015" -> 20151231), else 0. */
static long newness(const struct page *p)
{
	if (p->fm.has_date)
		return (long)p->fm.year * 10000 + p->fm.month * 100 + p->fm.day;
	long year = 0;
	for (const char *s = p->fm.period ? p->fm.period : ""; *s;) {
		if (*s < '0' || *s > '9') {
			s++;
			continue;
		}
		long run = 0;
		int digits = 0;
		for (; *s >= '0' && *s <= '9'; s++, digits++)
			if (digits < 9)
				run = run * 10 + (*s - '0');
		if (digits == 4)
			year = run;
	}
	return year ? year * 10000 + 1231 : 0;
}

static int compare_newest(const struct page *x, const struct page *y)
{
	long nx = newness(x), ny = newness(y);
	return nx != ny ? (nx > ny ? -1 : 1) : 0;
}

static void add_page(struct publication *e, const struct page *p)
{
	for (size_t i = e->npages; i-- > 0;)
		if (e->pages[i] == p)
			return; /* a page's documents come together: this is short */
	e->pages = xgrow(e->pages, &e->pages_cap, e->npages + 1, sizeof *e->pages);
	e->pages[e->npages++] = p;
}

static void add_file(struct publication *e, const struct static_file *f, size_t lang)
{
	e->files = xgrow(e->files, &e->files_cap, e->nfiles + 1, sizeof *e->files);
	e->files[e->nfiles++] = (struct publication_file){ f, lang };
}

/* The lists being built: entries, and each file's entry. */
struct collect {
	struct publication *list;
	size_t len, cap;
	struct hmap entry_of; /* file's rel -> its entry's index + 1 */
};

/*
 * Adds the documents of page p: a resource that shares a file with an
 * entry joins it, else it starts one. With only_new (a page of another
 * language, whose version in the list's language was read first), files
 * already listed are passed over, and the page is named only by the
 * entries it adds files to.
 */
static void collect_page(struct collect *c, const struct page *p, bool only_new)
{
	for (size_t r = 0; r < p->fm.nresources; r++) {
		const struct resource_link *link = &p->resources[r];
		if (link->fm->type != RESOURCE_FILES || link->fm->nfiles == 0)
			continue;
		size_t at = 0;
		for (size_t f = 0; f < link->fm->nfiles && !at; f++)
			at = (size_t)(uintptr_t)hmap_get(&c->entry_of, link->files[f]->rel);
		for (size_t f = 0; f < link->fm->nfiles; f++) {
			const struct static_file *file = link->files[f];
			size_t other = (size_t)(uintptr_t)hmap_get(&c->entry_of, file->rel);
			if (other && only_new)
				continue;
			if (!other) {
				if (!at) {
					c->list = xgrow(c->list, &c->cap, c->len + 1, sizeof *c->list);
					c->list[c->len++] = (struct publication){ .page = p,
										  .link = link };
					at = c->len;
				}
				add_file(&c->list[at - 1], file, link->file_langs[f]);
				hmap_put(&c->entry_of, file->rel, (void *)(uintptr_t)at);
				other = at;
			}
			add_page(&c->list[other - 1], p);
		}
	}
}

static bool in_other_language(const struct page *p, size_t lang)
{
	return p->lang != lang && publications_lists_files(p) && site_translation(p, lang);
}

struct publication *publications_of(const struct site *site, size_t lang, size_t *n)
{
	struct collect c = { 0 };
	hmap_init(&c.entry_of);
	/* First the pages the list of this language shows, then the other
	 * versions of its pages, for the files only they list: every file of
	 * the site is on every language's page. */
	size_t np;
	struct page **pages = site_select(site, lang, publications_lists_files, &np);
	site_sort_pages(pages, np, lang, compare_newest);
	for (size_t i = 0; i < np; i++)
		collect_page(&c, pages[i], false);
	free(pages);
	size_t own = c.len;
	pages = NULL;
	np = 0;
	size_t cap = 0;
	for (size_t i = 0; i < site->npages; i++) {
		if (!in_other_language(site->pages[i], lang))
			continue;
		pages = xgrow(pages, &cap, np + 1, sizeof *pages);
		pages[np++] = site->pages[i];
	}
	site_sort_pages(pages, np, lang, compare_newest);
	for (size_t i = 0; i < np; i++)
		collect_page(&c, pages[i], true);
	free(pages);
	hmap_free(&c.entry_of);
	/* Both runs are newest first: merged, the language's own first
	 * among equally new ones. */
	struct publication *merged = xcalloc(c.len ? c.len : 1, sizeof *merged);
	size_t a = 0, b = own;
	for (size_t i = 0; i < c.len; i++) {
		bool take_b = b < c.len &&
			      (a == own || compare_newest(c.list[b].page, c.list[a].page) < 0);
		merged[i] = c.list[take_b ? b++ : a++];
	}
	free(c.list);
	*n = c.len;
	return merged;
}

void publications_free(struct publication *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].files);
		free(list[i].pages);
	}
	free(list);
}
