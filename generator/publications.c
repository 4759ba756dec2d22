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
	for (const char *s = p->fm.period; s && *s;) {
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

struct publication *publications_of(const struct site *site, size_t lang, size_t *n)
{
	size_t np;
	struct page **pages = site_select(site, lang, publications_lists_files, &np);
	site_sort_pages(pages, np, lang, compare_newest);
	struct publication *list = NULL;
	size_t len = 0, cap = 0;
	/* file's rel -> its entry's index + 1 (a pointer would move with
	 * the array). */
	struct hmap entry_of;
	hmap_init(&entry_of);
	for (size_t i = 0; i < np; i++) {
		const struct page *p = pages[i];
		for (size_t r = 0; r < p->fm.nresources; r++) {
			const struct resource_link *link = &p->resources[r];
			if (link->fm->type != RESOURCE_FILES || link->fm->nfiles == 0)
				continue;
			/* The entry of its first file already listed, if any. */
			size_t at = 0;
			for (size_t f = 0; f < link->fm->nfiles && !at; f++)
				at = (size_t)(uintptr_t)hmap_get(&entry_of, link->files[f]->rel);
			if (!at) {
				list = xgrow(list, &cap, len + 1, sizeof *list);
				list[len++] = (struct publication){ .page = p, .link = link };
				at = len;
			}
			for (size_t f = 0; f < link->fm->nfiles; f++) {
				const struct static_file *file = link->files[f];
				size_t other = (size_t)(uintptr_t)hmap_get(&entry_of, file->rel);
				if (!other) {
					add_file(&list[at - 1], file, link->file_langs[f]);
					hmap_put(&entry_of, file->rel, (void *)(uintptr_t)at);
					other = at;
				}
				add_page(&list[other - 1], p);
			}
		}
	}
	hmap_free(&entry_of);
	free(pages);
	*n = len;
	return list;
}

void publications_free(struct publication *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].files);
		free(list[i].pages);
	}
	free(list);
}
