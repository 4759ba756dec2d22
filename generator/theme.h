/* SPDX-License-Identifier: MIT */
/*
 * theme: the templates folder as a build sees it. It walks the folder for
 * Mustache files (never following a symbolic link out of it), parses them
 * into one template set, checks that the layouts every site needs are
 * there, collects the ids the templates write (so a Markdown heading never
 * takes one), and decides which layout renders a page.
 *
 * A struct theme owns its template set, its id set and its folder root;
 * theme_free releases them (safe on a zeroed or failed theme). After
 * theme_load the theme is only read, so threads may share it.
 */
#ifndef SAPAN_THEME_H
#define SAPAN_THEME_H

#include <stdint.h>

#include "diag.h"
#include "fsentry.h"
#include "hmap.h"
#include "site.h"
#include "tmpl.h"

struct theme {
	const char *dir;           /* the templates folder, as the user named it */
	struct tmpl_set *templates; /* every *.mustache, named "layouts/page" etc. */
	struct hmap ids;            /* literal id="..." values of the templates */
	struct fsentry_root root;   /* no symbolic link may lead out of it */
	uint64_t key;               /* hash of every template's name and text, in
				     * any order: the build cache's key */
};

/*
 * Loads every *.mustache file under dir (except assets/, i18n/ and new/,
 * the starter files of `sapan new`), at most
 * eight folders deep. Returns 0, or -1 when any error (unreadable folder,
 * syntax error, a missing required layout, a partial that does not exist)
 * was added to diags. dir must outlive the theme.
 */
int theme_load(struct theme *theme, const char *dir, struct diag_list *diags);
void theme_free(struct theme *theme);

/*
 * The template that renders page p: its own `layout:`, else the layout of
 * its kind (project, infosheet, home, section) when the theme has one, else
 * layouts/page. *owned receives a string to free, or NULL.
 */
const char *theme_layout(const struct theme *theme, const struct page *p, char **owned);

/* Reports every page whose `layout:` names a template the theme lacks, at
 * the key's position. Returns 0 or -1. */
int theme_check_layouts(const struct theme *theme, const struct site *site,
			struct diag_list *diags);

#endif
