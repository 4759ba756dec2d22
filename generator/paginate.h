/* SPDX-License-Identifier: MIT */
/*
 * paginate: splits a long list of entries into numbered pages. It knows
 * how many pages a list has, which entries each shows, where each page is
 * written ("en/projects/" for the first, "en/projects/page/2/" after it)
 * and the pager a template shows (previous, next and page-number links).
 * It knows nothing of what the entries are: any list page (sections, the
 * archive, ...) uses it the same way; docs/HACKING.md says how.
 *
 * Pure functions: every returned string or value is the caller's to free.
 */
#ifndef SAPAN_PAGINATE_H
#define SAPAN_PAGINATE_H

#include <stddef.h>

#include "value.h"

/* Entries per page when site.yaml does not say (list_page_size). */
#define PAGINATE_SIZE_DEFAULT 30
/*
 * The most entries per page site.yaml may ask for. An entry of the default
 * theme is 300-600 bytes of HTML; past 100 a list page no longer fits the
 * 30 KB page budget, and a phone reader scrolls through a list he cannot
 * scan.
 */
#define PAGINATE_SIZE_MAX 100

/* One page of a list. */
struct paginate {
	size_t size;   /* entries per page */
	size_t total;  /* entries in the whole list */
	size_t count;  /* pages of the list: at least 1, also when it is empty */
	size_t number; /* this page, from 1 to count */
	size_t first;  /* the entries this page shows: [first, end) */
	size_t end;
};

/* How many pages a list of total entries takes at size per page (0 means
 * PAGINATE_SIZE_DEFAULT): at least 1. */
size_t paginate_count(size_t total, size_t size);
/*
 * Fills *pg for page number (from 1) of a list of total entries, size per
 * page (0: PAGINATE_SIZE_DEFAULT). Returns 0, or -1 when the list has no
 * such page (*pg then describes its first page).
 */
int paginate_at(struct paginate *pg, size_t total, size_t size, size_t number);
/*
 * The output folder of page number of the list whose first page is the
 * folder base ("en/projects/"): base itself for page 1, else
 * "<base>page/<number>/". Caller frees.
 */
char *paginate_url(const char *base, size_t number);
/*
 * The pager of page pg of the list at base, for templates, with URLs
 * relative to that page's own folder and percent-encoded: number, count,
 * first (true on page 1), previous_url and next_url (left out on the first and the last page),
 * and pages, the page-number links: the first, the last and the two on
 * each side of this one, in order, each {number, url, current}, with
 * {gap: true} where numbers are skipped (at most 9 items whatever the
 * count, so the pager's size never grows with the list). NULL when the
 * list fits on one page: templates show no pager then.
 */
struct value *paginate_view(const struct paginate *pg, const char *base);

#endif
