/* SPDX-License-Identifier: MIT */
/*
 * htmlscan: a small HTML tokenizer for fragments of raw HTML, written after
 * the tokenization chapter of the HTML standard: start and end tags with
 * double-quoted, single-quoted and unquoted attribute values, comments,
 * bogus comments and doctypes, the raw text of <script> (with its escaped
 * states), <style>, <xmp>, <iframe>, <noembed> and <noframes>, the RCDATA of
 * <textarea> and <title>, and <plaintext>. It owns the question "could this
 * HTML make a browser follow a javascript: or vbscript: URL", and lists the
 * attributes of a template's tags for the build.
 *
 * Every function here reads its input once from start to end (a srcdoc
 * attribute is read once more per level of nesting, at most
 * HTMLSCAN_MAX_SRCDOC levels), so time is linear in the input. Nothing is
 * kept between calls; there is no global state.
 */
#ifndef SAPAN_HTMLSCAN_H
#define SAPAN_HTMLSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* How deep an <iframe srcdoc="..."> may hold another srcdoc before the
 * scanner gives up and reports the HTML as unsafe; real pages use none. */
#define HTMLSCAN_MAX_SRCDOC 3

/*
 * Reports whether len bytes of HTML may hold a javascript: or vbscript:
 * URL. Every attribute value is read as a browser reads it (character
 * references such as &#106; and &colon; decoded, ASCII case ignored, tabs,
 * newlines and other control characters skipped). A value that is one URL
 * (href, src, action, formaction, xlink:href, data, poster, background,
 * cite, ...) is refused when it starts with the scheme; any other value
 * when the scheme appears anywhere in it, which covers srcset, style's
 * url(), SVG's values/to/from and a meta refresh alike. A srcdoc value is scanned as the
 * HTML it is. The raw text of <script>, <style>, <iframe>, <textarea> and
 * the like is checked as a whole. Only text between tags, comments, and the
 * values of alt, title, placeholder and aria-label/-description (text shown
 * to people) are exempt.
 *
 * Where a browser's reading depends on the tree around a tag (<style>,
 * <script>, <title> or CDATA inside <svg> or <math>, <noscript>), the
 * scanner cannot tell which reading applies; it then looks for the schemes
 * anywhere in the input, text included, so a mismatch never hides one.
 */
bool htmlscan_has_script_url(const char *html, size_t len);

/* One attribute of a start tag: spans into the input, value as written
 * (character references not decoded; empty when there is no value). */
struct htmlscan_attr {
	struct span tag;   /* the tag name as written */
	struct span name;  /* the attribute name as written */
	struct span value; /* without its quotes */
};

typedef void (*htmlscan_attr_fn)(void *ctx, const struct htmlscan_attr *attr);

/* Calls fn, in document order, for every attribute of every start tag of
 * len bytes of HTML. */
void htmlscan_attrs(const char *html, size_t len, htmlscan_attr_fn fn, void *ctx);

#endif
