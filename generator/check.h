/* SPDX-License-Identifier: MIT */
/*
 * check: `sapan check`, the verification a content editor runs before
 * publishing. It builds the site into a temporary folder (the output folder
 * is never touched) and verifies what was generated:
 *
 *  - no id appears twice in an HTML file (an error at the second);
 *  - every internal href and src of every HTML file leads to a generated
 *    file, and every #fragment to an id of its target page; 404.html, which
 *    is served at any URL, must use links that start at the site's root;
 *  - hreflang alternates are absolute URLs under base_url, lead to existing
 *    pages in the language they name, and are symmetric; the language
 *    switcher's links lead to existing pages in the language they name;
 *  - the translation report: pages missing in a language (notes),
 *    translations dated before their source in the default language
 *    (warnings), and language versions that differ in kind, status, the
 *    years of their period, the number of donors, previous phase or
 *    resource files (a warning in each file, naming the other);
 *  - every resource file exists, lies inside the content folder (symbolic
 *    links resolved) and was copied.
 *
 * A broken link that a Markdown file wrote is reported at that file's line
 * and column; one that a template wrote names the generated file.
 *
 * This is the only module that calls libxml2's HTML parser. Every object
 * has one owner and nothing outlives a call: each generated page is parsed
 * once, its ids and links kept in hash tables and arrays, and the parsed
 * document freed at once.
 */
#ifndef SAPAN_CHECK_H
#define SAPAN_CHECK_H

#include <stddef.h>

#include "build.h"
#include "diag.h"
#include "site.h"

struct check_stats {
	size_t pages; /* HTML files checked */
	size_t links; /* internal href and src values checked */
};

/* A generated site to verify. */
struct check_site {
	const char *dir;         /* the folder the site was built into */
	const char *shown_as;    /* how diagnostics name that folder ("site"); NULL: dir */
	const char *base_url;    /* absolute, ending in '/'; NULL when the site has none */
	const struct site *site; /* the model it was built from, or NULL */
};

/*
 * Verifies links, fragments, hreflang alternates and language switcher
 * links of every HTML file under s->dir, adding one diagnostic per problem
 * and counting into stats (which it does not reset). Returns 0, or -1 when
 * an error was added.
 */
int check_output(const struct check_site *s, struct check_stats *stats,
		 struct diag_list *diags);

/*
 * The translation report of a linked site: a note on each page for each
 * language it has no version in, and a warning at the date of each page
 * whose date is earlier than the date of its version in the default
 * language.
 */
void check_translations(const struct site *site, struct diag_list *diags);

/*
 * Appends to out the translation table of a linked site: a header line
 * ("page" and each language code), then one line per page (named by its
 * first version's path under content/) with, for each language, "ok",
 * "missing" or "outdated" (dated before the default language's version).
 */
void check_translation_table(const struct site *site, struct buf *out);

/*
 * Verifies that every file a page lists under resources exists, lies
 * inside the content folder once symbolic links are resolved, and was
 * copied into dir. Returns 0, or -1 when an error was added.
 */
int check_resources(const struct site *site, const char *dir, struct diag_list *diags);

/*
 * Runs `sapan check`: builds the site as opts says, but into a new folder
 * under $TMPDIR (or /tmp) instead of opts->output_dir, runs every check
 * above on the result, and removes the folder whatever happens. Build
 * problems and check findings all go to diags; when table is not NULL, the
 * translation table is appended to it. Returns 0 when the site was
 * built and checked (look at diags for what was found), -1 when the build
 * failed and nothing was checked.
 */
int check_run(const struct build_options *opts, struct check_stats *stats, struct buf *table,
	      struct diag_list *diags);

#endif
