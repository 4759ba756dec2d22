/* SPDX-License-Identifier: MIT */
/*
 * markdown: turns a page body written in CommonMark into HTML. This is the
 * only module that calls libcmark; it owns the choice of cmark options, the
 * safety policy for raw HTML and dangerous URLs, the heading ids, and the
 * source position of every link and image, which it hands to a caller's
 * callback so the site module can rewrite `other.md` into `../other/` and
 * report broken links where they are written.
 *
 * Memory: every object has one owner. markdown_render fills a struct
 * markdown_result whose strings the caller owns and releases with
 * markdown_result_free. Nothing is kept between calls and there is no
 * global or static mutable state, so pages may be rendered in parallel.
 *
 * Positions: lines and columns are 1-based and refer to the file, not the
 * body; a column counts Unicode code points (a tab is one), as the YAML
 * front matter diagnostics do.
 */
#ifndef SAPAN_MARKDOWN_H
#define SAPAN_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "hmap.h"
#include "util.h"

/*
 * Called once for every link destination and image source, including
 * autolinks, reference links and empty destinations, in document order.
 * `url` is the destination as cmark decoded it (angle brackets, backslash
 * escapes and entities resolved; "mailto:" prefixed to an e-mail autolink).
 * line/col point at the destination where it is written: in the inline link,
 * the autolink, or the reference definition `[x]: dest`; when it cannot be
 * found, at the link itself. The callback appends the URL to render to
 * `out` (empty on entry) and returns 0, or adds its own diagnostic and
 * returns -1, which leaves the link as written.
 */
typedef int (*markdown_link_fn)(void *ctx, const char *url, unsigned line, unsigned col,
				struct buf *out);

struct markdown_options {
	const char *file;         /* path for diagnostics; may be NULL */
	unsigned first_line;      /* file line of the body's first line; 0 counts as 1 */
	bool unsafe_html;         /* pass raw HTML through (default: omit it) */
	markdown_link_fn resolve; /* may be NULL: links are left as written */
	void *resolve_ctx;
	/* Ids the page's templates already use ("main"), as keys; no heading
	 * gets one. May be NULL. */
	const struct hmap *reserved_ids;
	/* Thai typography on the text (not code, not raw HTML): see
	 * thai_typeset. For pages in Thai; headings keep the ids their text
	 * as written gives. */
	bool thai_typography;
};

struct markdown_result {
	char *html;                 /* the rendered body */
	char *first_paragraph_text; /* plain text of the first top-level paragraph,
				     * markup stripped, whitespace collapsed; "" if none */
	size_t link_count;          /* links and images, each counted once */
};

/*
 * Renders len bytes of UTF-8 Markdown into out, which the caller releases
 * with markdown_result_free whatever the return value.
 *
 * Raw HTML is omitted unless opts->unsafe_html. Whatever the mode, a
 * Markdown link or image whose final URL uses the javascript:, vbscript:
 * or file: scheme, or data: other than data:image/png, gif, jpeg or webp,
 * is rendered with an empty URL and a warning (raw HTML let through by
 * unsafe_html is not inspected). An image whose alt text is empty or only
 * white space gets a warning at its '!' (screen readers have nothing to
 * say for it); it is still rendered. Headings get GitHub-style ids from their
 * plain text (see markdown_slug; "section" when that is empty), made unique
 * within the document and apart from opts->reserved_ids by appending -1,
 * -2, ... as GitHub does. Plain text
 * keeps code spans and image alt text and drops raw HTML tags.
 *
 * Returns 0, or -1 when any resolve call failed; every link is still
 * resolved and the document fully rendered, so all errors are reported in
 * one run. opts may be NULL for the defaults.
 */
int markdown_render(const char *text, size_t len, const struct markdown_options *opts,
		    struct markdown_result *out, struct diag_list *diags);

/* Frees the strings of r and leaves it empty; safe to call twice. */
void markdown_result_free(struct markdown_result *r);

/*
 * Appends to out the GitHub-style anchor of heading text: ASCII letters
 * lower-cased, each space turned into '-', ASCII punctuation and the common
 * non-ASCII punctuation, symbol and emoji blocks dropped; letters, digits,
 * '-', '_' and every other non-ASCII character (so Thai consonants, vowels
 * and tone marks) kept. Does not make the result unique and may append
 * nothing.
 */
/* The version of the Markdown engine (libcmark), for the build cache:
 * another version may render the same text differently. */
const char *markdown_engine_version(void);
void markdown_slug(const char *text, size_t len, struct buf *out);

#endif
