/* SPDX-License-Identifier: MIT */
/*
 * alias: redirects for moved pages. A page's `aliases:` lists its old
 * addresses; each becomes a small page at that address that sends the
 * reader on (a meta refresh, a visible link) and tells search engines
 * where the page is now (a canonical link) and not to index it (noindex).
 * No sitemap lists them. site_link resolves each alias to its output file
 * (alias_output), site_check_outputs refuses one that another output
 * writes, and the build writes each with alias_html.
 *
 * Pure functions: every returned string is the caller's to free.
 */
#ifndef SAPAN_ALIAS_H
#define SAPAN_ALIAS_H

#include <stddef.h>

#include "config.h"
#include "diag.h"

/*
 * The longest alias accepted: far past any real address, and short enough
 * that every name of its path fits a file system's (255 bytes).
 */
#define ALIAS_MAX_LEN 1024

/*
 * Resolves the alias `written` of a page in language lang (from the file
 * `file`, the alias at line:col) to the output file it is written to:
 * "en/old/index.html" for "/en/old/", "/en/old", "/en/old.md" (an old
 * content path) or "https://<base_url>en/old/" (an old address of this
 * site), "en/about.html" for "/en/about.html". The path must lie in the
 * page's language folder. Returns NULL with an error at line:col for
 * anything else: a relative path, an address of another site (or any full
 * address without base_url), '?' or '#', '.', '..', an empty name or a name
 * starting with '.', a control character or backslash, %00, past
 * ALIAS_MAX_LEN.
 */
char *alias_output(const struct config *cfg, size_t lang, const char *written, const char *file,
		   unsigned line, unsigned col, struct diag_list *diags);

/* What a redirect page says. */
struct alias_page {
	const char *rel;       /* the alias's output file: "en/old/index.html" */
	const char *target;    /* the page's output folder: "en/new/" */
	const char *canonical; /* the page's absolute address, or NULL without base_url */
	const char *lang;      /* the page's language code */
	const char *title;     /* the page's title, the link's text */
	const char *moved;     /* "This page has moved to:" in that language */
};

/* The HTML of the redirect page, every text escaped. */
char *alias_html(const struct alias_page *a);

#endif
