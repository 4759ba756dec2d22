/* SPDX-License-Identifier: MIT */
/*
 * publications: the documents of a site, for each language's publications
 * page. A document is a resource of a page that lists files (fm_resource
 * of RESOURCE_FILES); the page lists every such document once, however
 * many pages list it, with all those pages. Two resources are one document
 * when they share a file: every file is listed once. The entries form one
 * ordered array, newest first, so that a list can be cut into pages.
 *
 * The array and each entry's arrays belong to the caller
 * (publications_free); pages, files and titles point into the site, which
 * must outlive them.
 */
#ifndef SAPAN_PUBLICATIONS_H
#define SAPAN_PUBLICATIONS_H

#include <stddef.h>

#include "site.h"

struct publication_file {
	const struct static_file *file;
	size_t lang; /* the language the file is written in */
};

struct publication {
	/* The newest page that lists it, and its resource: the title shown
	 * is that resource's, in that page's language. */
	const struct page *page;
	const struct resource_link *link;
	struct publication_file *files; /* in the order first listed */
	size_t nfiles, files_cap;
	const struct page **pages;        /* every page that lists it, newest first */
	size_t npages, pages_cap;
};

/*
 * Every document of the site, for language lang's page, newest first.
 * The pages a list in lang shows (its own pages, and pages that exist
 * only in another language: site_select) come first: a document takes its
 * title from the newest of them that lists it, and names them all. Then
 * the other languages' versions of lang's pages add the files only they
 * list, naming themselves. A page's date says how new it is, else the end
 * of the last year its period names, else it comes last; equally new
 * pages come in list order (site_sort_pages), lang's own first, and one
 * page's documents in its order. Returns the array of *n entries (free it
 * with publications_free). Linear in the pages' resources.
 */
struct publication *publications_of(const struct site *site, size_t lang, size_t *n);
void publications_free(struct publication *list, size_t n);

/* Whether page p lists any file: the pages publications_of reads. */
bool publications_lists_files(const struct page *p);

#endif
