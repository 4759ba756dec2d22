/* SPDX-License-Identifier: MIT */
#include "markdown.h"

#include <cmark.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "htmlscan.h"
#include "thai.h"

/*
 * cmark keeps sizes in 32-bit ints and aborts the process when a buffer
 * would pass 1 GiB. Escaping can make HTML several times longer than its
 * source ('"' becomes "&quot;"), so a body is refused well before that.
 */
#define MARKDOWN_MAX_LEN ((size_t)128 << 20)

/* hmap stores pointers; indexes are stored as index + 1 so that NULL keeps
 * meaning "absent". */
#define IDX_PTR(i) ((void *)(uintptr_t)((size_t)(i) + 1))
#define PTR_IDX(p) ((size_t)(uintptr_t)(p) - 1)

/* One line of the body, without its line ending. */
struct line {
	size_t start; /* byte offset in the body */
	size_t len;
};

/* A place in the body. */
struct spot {
	unsigned line; /* 1-based line of the body */
	size_t byte;   /* offset within that line */
	unsigned col;  /* 1-based column in code points; 0 until counted */
};

/* The last column counted, so that the next count on the same line starts
 * from there: counting every link from the start of its line would be
 * quadratic in a long one-line paragraph of links. */
struct col_cache {
	unsigned line; /* 0: empty */
	size_t byte;
	unsigned col;
};

/* A link destination found by reading the source text. */
struct dest {
	struct spot at;
	char *key;   /* the URL cmark makes of it */
	size_t next; /* index + 1 of the next dest with the same key; 0: none */
};

/* Destinations in source order, looked up by URL. */
struct dest_set {
	struct dest *items;
	size_t len, cap;
	struct hmap first; /* key -> index + 1 of its first unused dest */
	struct hmap last;  /* key -> index + 1 of its last dest */
};

/* A link or image node and the paragraph or heading that holds it. */
struct link_ref {
	cmark_node *node;
	cmark_node *block;
};

struct render {
	const struct markdown_options *opts;
	struct diag_list *diags;
	int cmark_opts;
	const char *text;
	struct line *lines;
	size_t nlines;
	bool *in_code;         /* by line, 1-based: inside a code or HTML block */
	struct dest_set defs;  /* reference definitions, the first per URL */
	bool defs_scanned;
	cmark_node *block;     /* the block whose destinations `dests` holds */
	struct dest_set dests;
	struct col_cache cols;
	struct buf url;        /* the resolve callback's output */
	bool failed;
};

enum dest_kind { DEST_LINK, DEST_URI_AUTOLINK, DEST_EMAIL_AUTOLINK };

static bool is_space_or_tab(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_ascii_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_ascii_punct(unsigned char c)
{
	return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) ||
	       (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* ---- source lines ---------------------------------------------------- */

/* Splits the body into lines as cmark counts them: "\n", "\r\n" and a lone
 * "\r" each end a line. A page's body has only LFs (source.h), so those
 * are found with memchr; any CR takes the byte-wise way. */
static void split_lines(struct render *r, const char *text, size_t len)
{
	size_t cap = 0, start = 0;
	if (!memchr(text, '\r', len)) {
		while (start < len) {
			const char *nl = memchr(text + start, '\n', len - start);
			size_t end = nl ? (size_t)(nl - text) : len;
			r->lines = xgrow(r->lines, &cap, r->nlines + 1, sizeof *r->lines);
			r->lines[r->nlines++] = (struct line){ start, end - start };
			start = end + 1;
		}
		return;
	}
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n' && text[i] != '\r')
			continue;
		if (i == len && start == len)
			break; /* no empty line after a final line ending */
		r->lines = xgrow(r->lines, &cap, r->nlines + 1, sizeof *r->lines);
		r->lines[r->nlines++] = (struct line){ start, i - start };
		if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
			i++;
		start = i + 1;
	}
}

static const char *line_text(const struct render *r, unsigned ln, size_t *len)
{
	const struct line *l = &r->lines[ln - 1];
	*len = l->len;
	return r->text + l->start;
}

static bool is_utf8_lead(char c)
{
	return ((unsigned char)c & 0xc0) != 0x80;
}

/* Returns the 1-based column, in code points, of byte offset `byte` of
 * line ln, counting from the cached column when it is on the same line. */
static unsigned count_col(struct render *r, unsigned ln, size_t byte)
{
	size_t n;
	const char *s = line_text(r, ln, &n);
	if (byte > n)
		byte = n;
	struct col_cache *c = &r->cols;
	if (c->line != ln)
		*c = (struct col_cache){ ln, 0, 1 };
	for (; c->byte < byte; c->byte++)
		c->col += is_utf8_lead(s[c->byte]);
	for (; c->byte > byte; c->byte--)
		c->col -= is_utf8_lead(s[c->byte - 1]);
	return c->col;
}

/* Converts a spot to a file line and a column in code points. */
static void spot_to_file(struct render *r, struct spot at, unsigned *line, unsigned *col)
{
	unsigned first = r->opts->first_line ? r->opts->first_line : 1;
	*line = first + at.line - 1;
	if (at.col)
		*col = at.col;
	else if (at.line >= 1 && at.line <= r->nlines)
		*col = count_col(r, at.line, at.byte);
	else
		*col = 1;
}

/* Clamps a block's cmark line range to the body; false if it is empty. */
static bool block_lines(const struct render *r, cmark_node *block, unsigned *first,
			unsigned *last)
{
	int a = cmark_node_get_start_line(block), b = cmark_node_get_end_line(block);
	if (a < 1)
		a = 1;
	if (b < a || (size_t)b > r->nlines)
		b = (int)r->nlines;
	*first = (unsigned)a;
	*last = (unsigned)b;
	return a <= b;
}

/* ---- destination sets ------------------------------------------------ */

static void dest_set_init(struct dest_set *s)
{
	memset(s, 0, sizeof *s);
	hmap_init(&s->first);
	hmap_init(&s->last);
}

static void dest_set_free(struct dest_set *s)
{
	for (size_t i = 0; i < s->len; i++)
		free(s->items[i].key);
	free(s->items);
	hmap_free(&s->first);
	hmap_free(&s->last);
	dest_set_init(s);
}

/* Appends a destination; the set takes key. */
static void dest_set_add(struct dest_set *s, struct spot at, char *key)
{
	size_t i = s->len;
	s->items = xgrow(s->items, &s->cap, i + 1, sizeof *s->items);
	s->items[i] = (struct dest){ at, key, 0 };
	s->len++;
	void *tail = hmap_get(&s->last, key);
	if (tail)
		s->items[PTR_IDX(tail)].next = i + 1;
	else
		hmap_put(&s->first, key, IDX_PTR(i));
	hmap_put(&s->last, key, IDX_PTR(i));
}

/* Finds the first unused destination whose URL is key and marks it used. */
static bool dest_set_take(struct dest_set *s, const char *key, struct spot *at)
{
	void *p = hmap_get(&s->first, key);
	if (!p)
		return false;
	struct dest *d = &s->items[PTR_IDX(p)];
	*at = d->at;
	hmap_put(&s->first, key, d->next ? IDX_PTR(d->next - 1) : NULL);
	return true;
}

/* ---- reading destinations from the source ------------------------------ */

/*
 * Returns the URL cmark makes of a destination written as raw, newly
 * allocated. Most destinations are plain and copied; one with an entity or
 * a backslash escape is decoded by cmark itself, so the key matches the
 * node's URL exactly.
 */
static char *decode_dest(const char *raw, size_t len, bool pointy, enum dest_kind kind)
{
	bool plain = !memchr(raw, '&', len) && (kind != DEST_LINK || !memchr(raw, '\\', len));
	struct buf b = BUF_INIT;
	if (plain) {
		if (kind == DEST_EMAIL_AUTOLINK)
			BUF_PUTL(&b, "mailto:");
		buf_put(&b, raw, len);
		return buf_detach(&b);
	}
	if (kind == DEST_LINK) {
		BUF_PUTL(&b, "[x](");
		buf_put(&b, pointy ? "<" : "", pointy);
		buf_put(&b, raw, len);
		buf_put(&b, pointy ? ">" : "", pointy);
		buf_putc(&b, ')');
	} else {
		buf_putc(&b, '<');
		buf_put(&b, raw, len);
		buf_putc(&b, '>');
	}
	cmark_node *doc = cmark_parse_document(b.ptr, b.len, CMARK_OPT_DEFAULT);
	cmark_node *para = cmark_node_first_child(doc);
	cmark_node *link = para ? cmark_node_first_child(para) : NULL;
	buf_truncate(&b, 0);
	if (link && cmark_node_get_type(link) == CMARK_NODE_LINK)
		buf_puts(&b, cmark_node_get_url(link));
	else
		buf_put(&b, raw, len);
	cmark_node_free(doc);
	return buf_detach(&b);
}

/*
 * Reads a link destination at s[pos] the way cmark does: <...> up to the
 * first unescaped '>' on the line, or a run without spaces or control
 * characters in which parentheses balance. Sets *raw to the text without
 * angle brackets; returns false if there is no destination.
 */
static bool read_dest(const char *s, size_t n, size_t pos, struct span *raw, bool *pointy)
{
	size_t i = pos;
	if (i < n && s[i] == '<') {
		for (i++; i < n && s[i] != '>' && s[i] != '<'; i++) {
			if (s[i] == '\\' && i + 1 < n)
				i++;
		}
		if (i >= n || s[i] != '>')
			return false;
		*raw = (struct span){ s + pos + 1, i - pos - 1 };
		*pointy = true;
		return true;
	}
	size_t depth = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' && i + 1 < n && is_ascii_punct((unsigned char)s[i + 1])) {
			i += 2;
		} else if (c == '(') {
			depth++;
			i++;
		} else if (c == ')') {
			if (depth == 0)
				break;
			depth--;
			i++;
		} else if (c <= 0x20 || c == 0x7f) {
			break;
		} else {
			i++;
		}
	}
	if (depth)
		return false;
	*raw = (struct span){ s + pos, i - pos };
	*pointy = false;
	return true;
}

/* Skips spaces, tabs and the markers of block quotes and list items that
 * may start a line inside a container. */
static size_t skip_container_prefix(const char *s, size_t n, size_t p)
{
	for (;;) {
		while (p < n && is_space_or_tab(s[p]))
			p++;
		if (p < n && s[p] == '>') {
			p++;
			continue;
		}
		if (p + 1 < n && (s[p] == '-' || s[p] == '*' || s[p] == '+') &&
		    is_space_or_tab(s[p + 1])) {
			p += 2;
			continue;
		}
		size_t q = p;
		while (q < n && q - p < 9 && s[q] >= '0' && s[q] <= '9')
			q++;
		if (q > p && q + 1 < n && (s[q] == '.' || s[q] == ')') && is_space_or_tab(s[q + 1])) {
			p = q + 2;
			continue;
		}
		return p;
	}
}

/* Records the destination of an inline link whose "](" ends just before
 * byte pos of line ln; it may start on the next line of the block. */
static void add_inline_dest(struct render *r, unsigned ln, size_t pos, unsigned last)
{
	size_t n;
	const char *s = line_text(r, ln, &n);
	while (pos < n && is_space_or_tab(s[pos]))
		pos++;
	if (pos == n && ln < last) {
		s = line_text(r, ++ln, &n);
		pos = skip_container_prefix(s, n, 0);
	}
	struct span raw;
	bool pointy;
	if (!read_dest(s, n, pos, &raw, &pointy))
		return;
	struct spot at = { ln, pointy ? pos + 1 : pos, 0 };
	dest_set_add(&r->dests, at, decode_dest(raw.ptr, raw.len, pointy, DEST_LINK));
}

/*
 * Returns the length of the autolink text after the '<' at s[i] (a URI with
 * a scheme of 2 to 32 characters, or an e-mail address, as CommonMark
 * defines them), or 0 if there is none.
 */
static size_t autolink_len(const char *s, size_t n, size_t i, enum dest_kind *kind)
{
	static const char email_chars[] = ".!#$%&'*+/=?^_`{|}~-";
	size_t j = i + 1, k = j;
	if (k < n && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z'))) {
		for (k++; k < n && (is_ascii_alnum((unsigned char)s[k]) || s[k] == '+' ||
				    s[k] == '.' || s[k] == '-');
		     k++)
			;
		if (k - j >= 2 && k - j <= 32 && k < n && s[k] == ':') {
			for (k++; k < n && (unsigned char)s[k] > 0x20 && s[k] != '<' && s[k] != '>';
			     k++)
				;
			if (k < n && s[k] == '>') {
				*kind = DEST_URI_AUTOLINK;
				return k - j;
			}
		}
	}
	for (k = j; k < n && (is_ascii_alnum((unsigned char)s[k]) || strchr(email_chars, s[k]));
	     k++)
		;
	if (k == j || k >= n || s[k] != '@')
		return 0;
	size_t d = ++k;
	while (k < n && (is_ascii_alnum((unsigned char)s[k]) || s[k] == '.' || s[k] == '-'))
		k++;
	if (k == d || k >= n || s[k] != '>')
		return 0;
	*kind = DEST_EMAIL_AUTOLINK;
	return k - j;
}

/*
 * Loads into r->dests the destinations written in a paragraph or heading:
 * those of inline links ("](dest") and of autolinks, in source order.
 * cmark's own positions for inline nodes drift (see markdown_render), so
 * the source is read again; a false find only matters if its URL equals
 * a real link's, and then it points at the same text.
 */
static void load_block(struct render *r, cmark_node *block)
{
	dest_set_free(&r->dests);
	r->block = block;
	unsigned first, last;
	if (!block || !block_lines(r, block, &first, &last))
		return;
	for (unsigned ln = first; ln <= last; ln++) {
		size_t n;
		const char *s = line_text(r, ln, &n);
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '\\') {
				i++;
			} else if (s[i] == ']' && i + 1 < n && s[i + 1] == '(') {
				add_inline_dest(r, ln, i + 2, last);
				i++;
			} else if (s[i] == '<') {
				enum dest_kind kind;
				size_t len = autolink_len(s, n, i, &kind);
				if (len) {
					struct spot at = { ln, i + 1, 0 };
					dest_set_add(&r->dests, at,
						     decode_dest(s + i + 1, len, false, kind));
					i += len + 1;
				}
			}
		}
	}
}

/*
 * Loads into r->defs the destination of every line that looks like a
 * reference definition ("[label]: dest", perhaps inside a block quote or
 * list item, the destination perhaps on the next line), outside code and
 * HTML blocks. cmark keeps no trace of definitions in its tree.
 */
static void load_definitions(struct render *r)
{
	r->defs_scanned = true;
	for (unsigned ln = 1; ln <= r->nlines; ln++) {
		if (r->in_code[ln])
			continue;
		size_t n;
		const char *s = line_text(r, ln, &n);
		size_t p = skip_container_prefix(s, n, 0);
		if (p >= n || s[p] != '[')
			continue;
		size_t q = p + 1;
		while (q < n && s[q] != ']' && s[q] != '[')
			q += s[q] == '\\' && q + 1 < n ? 2 : 1;
		if (q >= n || s[q] != ']' || q == p + 1 || q + 1 >= n || s[q + 1] != ':')
			continue;
		q += 2;
		unsigned dl = ln;
		while (q < n && is_space_or_tab(s[q]))
			q++;
		if (q == n) {
			if (ln == r->nlines || r->in_code[ln + 1])
				continue;
			s = line_text(r, ++dl, &n);
			q = skip_container_prefix(s, n, 0);
		}
		struct span raw;
		bool pointy;
		if (!read_dest(s, n, q, &raw, &pointy) || (!pointy && raw.len == 0))
			continue;
		char *key = decode_dest(raw.ptr, raw.len, pointy, DEST_LINK);
		if (hmap_get(&r->defs.first, key)) {
			free(key);
			continue;
		}
		/* Counted now, once per line: links to one definition may be
		 * interleaved with others on a long line. */
		struct spot at = { dl, pointy ? q + 1 : q, 0 };
		at.col = count_col(r, dl, at.byte);
		dest_set_add(&r->defs, at, key);
	}
}

/* Where to point when the destination cannot be found: cmark's start of
 * the link if it lies inside the block, else the block's first line. */
static struct spot fallback_spot(const struct render *r, const struct link_ref *l)
{
	unsigned first, last;
	if (!l->block || !block_lines(r, l->block, &first, &last))
		return (struct spot){ 1, 0, 0 };
	int line = cmark_node_get_start_line(l->node), col = cmark_node_get_start_column(l->node);
	if (line >= (int)first && line <= (int)last && col >= 1 &&
	    (size_t)col - 1 <= r->lines[line - 1].len)
		return (struct spot){ (unsigned)line, (size_t)col - 1, 0 };
	return (struct spot){ first, 0, 0 };
}

/* Finds where the destination of a link is written. Sets *inline_dest when
 * it is an inline destination in the link's own block. */
static struct spot locate(struct render *r, const struct link_ref *l, const char *url,
			  bool *inline_dest)
{
	struct spot at;
	*inline_dest = false;
	if (l->block != r->block)
		load_block(r, l->block);
	if (dest_set_take(&r->dests, url, &at)) {
		*inline_dest = true;
		return at;
	}
	if (!r->defs_scanned)
		load_definitions(r);
	void *p = hmap_get(&r->defs.first, url);
	if (p)
		return r->defs.items[PTR_IDX(p)].at;
	return fallback_spot(r, l);
}

/* ---- URL safety ---------------------------------------------------------- */

static bool has_prefix_nocase(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++) {
		if (ascii_lower(*s) != *prefix)
			return false;
	}
	return true;
}

/*
 * Reports whether url uses a scheme that could run script or read local
 * files: javascript:, vbscript:, file:, or data: other than the image types
 * cmark allows. Browsers skip tabs, newlines and leading controls inside a
 * scheme, so bytes up to space are skipped here too. Copies the scheme,
 * lower-cased, into scheme.
 */
static bool url_is_dangerous(const char *url, char scheme[static 12])
{
	size_t n = 0;
	const char *p = url;
	for (; *p && *p != ':'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20)
			continue;
		if (!is_ascii_alnum(c) && c != '+' && c != '-' && c != '.')
			return false; /* a '/', '?' or '#' first: a relative URL */
		if (n == 11)
			return false; /* longer than every scheme refused below */
		scheme[n++] = ascii_lower((char)c);
	}
	scheme[n] = '\0';
	if (*p != ':')
		return false;
	if (!strcmp(scheme, "javascript") || !strcmp(scheme, "vbscript") ||
	    !strcmp(scheme, "file"))
		return true;
	if (strcmp(scheme, "data") != 0)
		return false;
	for (p++; *p && (unsigned char)*p <= 0x20; p++)
		;
	return !has_prefix_nocase(p, "image/png") && !has_prefix_nocase(p, "image/gif") &&
	       !has_prefix_nocase(p, "image/jpeg") && !has_prefix_nocase(p, "image/webp");
}

/*
 * With unsafe_html, raw HTML is passed through, except HTML that carries a
 * javascript: or vbscript: URL: it is replaced by the comment cmark's safe
 * mode writes, with a warning at its block, so no page ever holds one.
 */
static void drop_script_html(struct render *r, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_node *block = NULL;
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING ||
		    type == CMARK_NODE_HTML_BLOCK)
			block = n;
		if (type != CMARK_NODE_HTML_BLOCK && type != CMARK_NODE_HTML_INLINE)
			continue;
		const char *html = cmark_node_get_literal(n);
		if (!html || !htmlscan_has_script_url(html, strlen(html)))
			continue;
		/* Inline positions drift (see below), so the block's line is given. */
		unsigned first = r->opts->first_line ? r->opts->first_line : 1;
		unsigned line = block ? (unsigned)cmark_node_get_start_line(block) + first - 1 : first;
		diag_warning(r->diags, r->opts->file, line, 0,
			     "raw HTML with a javascript: or vbscript: URL is not allowed; it is "
			     "left out of the page");
		cmark_node_set_literal(n, type == CMARK_NODE_HTML_BLOCK
						  ? "<!-- raw HTML omitted -->\n"
						  : "<!-- raw HTML omitted -->");
	}
	cmark_iter_free(it);
}

/* Replaces every raw HTML node by cmark's placeholder. */
static void drop_all_html(cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER && type == CMARK_NODE_HTML_BLOCK)
			cmark_node_set_literal(n, "<!-- raw HTML omitted -->\n");
		else if (ev == CMARK_EVENT_ENTER && type == CMARK_NODE_HTML_INLINE)
			cmark_node_set_literal(n, "<!-- raw HTML omitted -->");
	}
	cmark_iter_free(it);
}

/* Applies thai_typeset to every text node below node. */
static void typeset_thai(cmark_node *node)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	struct buf b = BUF_INIT;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_TEXT)
			continue;
		const char *lit = cmark_node_get_literal(n);
		if (!lit || !strchr(lit, ' '))
			continue;
		buf_truncate(&b, 0);
		thai_typeset(lit, strlen(lit), &b);
		if (strcmp(b.ptr, lit) != 0)
			cmark_node_set_literal(n, b.ptr);
	}
	buf_free(&b);
	cmark_iter_free(it);
}

/* ---- links ----------------------------------------------------------------- */

static void plain_text(cmark_node *node, struct buf *out);

/* Reports whether an image's alt text (its children as plain text) is empty
 * or only white space. */
static bool image_lacks_alt(cmark_node *image)
{
	struct buf alt = BUF_INIT;
	plain_text(image, &alt);
	bool empty = true;
	for (size_t i = 0; i < alt.len && empty; i++)
		empty = strchr(" \t\n\r\f\v", alt.ptr[i]) != NULL;
	buf_free(&alt);
	return empty;
}

/*
 * Returns where an image with empty alt text starts: the '!' of "![](",
 * read backwards from its inline destination at `dest` on the same line.
 * When the image is not written that way on one line (a reference image,
 * a destination on the next line), cmark's own start of the image.
 */
static struct spot image_spot(const struct render *r, const struct link_ref *l,
			      struct spot dest, bool inline_dest)
{
	if (inline_dest && dest.line >= 1 && dest.line <= r->nlines) {
		size_t n;
		const char *s = line_text(r, dest.line, &n);
		size_t i = dest.byte <= n ? dest.byte : n;
		if (i > 0 && s[i - 1] == '<')
			i--;
		while (i > 0 && is_space_or_tab(s[i - 1]))
			i--;
		if (i >= 2 && s[i - 1] == '(' && s[i - 2] == ']') {
			i -= 2;
			while (i > 0 && is_space_or_tab(s[i - 1]))
				i--;
			if (i >= 2 && s[i - 1] == '[' && s[i - 2] == '!')
				return (struct spot){ dest.line, i - 2, 0 };
		}
	}
	return fallback_spot(r, l);
}

/* Passes one link to the resolve callback and sets its final URL; warns
 * about an image without alt text. */
static void resolve_link(struct render *r, const struct link_ref *l)
{
	const char *url = cmark_node_get_url(l->node);
	if (!url)
		url = "";
	bool inline_dest;
	struct spot at = locate(r, l, url, &inline_dest);
	unsigned line, col;
	if (cmark_node_get_type(l->node) == CMARK_NODE_IMAGE && image_lacks_alt(l->node)) {
		spot_to_file(r, image_spot(r, l, at, inline_dest), &line, &col);
		diag_warning(r->diags, r->opts->file, line, col,
			     "image '%s' has no alt text; say what it shows inside the "
			     "brackets: ![what it shows](%s)",
			     url, url);
	}
	spot_to_file(r, at, &line, &col);
	if (r->opts->resolve) {
		buf_truncate(&r->url, 0);
		if (r->opts->resolve(r->opts->resolve_ctx, url, line, col, &r->url) == 0)
			cmark_node_set_url(l->node, r->url.ptr);
		else
			r->failed = true;
	}
	url = cmark_node_get_url(l->node);
	char scheme[12];
	if (url && url_is_dangerous(url, scheme)) {
		diag_warning(r->diags, r->opts->file, line, col,
			     "%s: URLs are not allowed in links; the link is rendered without it",
			     scheme);
		cmark_node_set_url(l->node, "");
	}
}

/* ---- text and headings ----------------------------------------------------- */

/* Appends the text of node's inlines with the markup stripped; a line
 * break becomes a space and raw HTML is dropped. */
static void plain_text(cmark_node *node, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			buf_puts(out, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/* Returns s with runs of ASCII white space made one space and trimmed. */
static char *collapse_space(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	bool space = false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = false;
		buf_putc(&b, c);
	}
	return buf_detach(&b);
}

/* True if an id is taken: by an earlier heading or by the templates. */
static bool slug_taken(const struct hmap *seen, const struct hmap *reserved, const char *slug)
{
	return hmap_get(seen, slug) || (reserved && hmap_get(reserved, slug));
}

/*
 * Makes slug unique among those in seen and the ids the templates use
 * (reserved, may be NULL), and records it, the way GitHub does: a repeat
 * of "a" becomes "a-1", then "a-2", skipping any suffix already taken, and
 * "main", the id of the template's <main>, becomes "main-1". seen maps a
 * slug to its count of repeats, plus one.
 */
static void unique_slug(struct hmap *seen, const struct hmap *reserved, struct buf *slug)
{
	if (!slug_taken(seen, reserved, slug->ptr)) {
		hmap_put(seen, slug->ptr, IDX_PTR(0));
		return;
	}
	void *p = hmap_get(seen, slug->ptr);
	char *base = xstrndup(slug->ptr, slug->len);
	size_t base_len = slug->len, count = p ? PTR_IDX(p) : 0;
	do {
		count++;
		buf_truncate(slug, base_len);
		buf_printf(slug, "-%zu", count);
	} while (slug_taken(seen, reserved, slug->ptr));
	hmap_put(seen, base, IDX_PTR(count));
	hmap_put(seen, slug->ptr, IDX_PTR(0));
	free(base);
}

/*
 * Gives a heading its id. The heading is rendered on its own by cmark with
 * the document's options, the id is written into its open tag, and the
 * heading is replaced by a custom block holding that HTML. Working on the
 * node rather than on the finished page keeps raw HTML that happens to
 * contain <h2> (unsafe mode) out of the way. Returns the block, or NULL
 * when the heading stays; the caller frees the heading it replaced.
 */
static cmark_node *add_heading_id(struct render *r, cmark_node *heading, struct hmap *seen)
{
	cmark_node *block = NULL;
	struct buf text = BUF_INIT, slug = BUF_INIT, html = BUF_INIT;
	plain_text(heading, &text);
	markdown_slug(text.ptr, text.len, &slug);
	if (slug.len == 0)
		BUF_PUTL(&slug, "section"); /* an id may not be empty */
	unique_slug(seen, r->opts->reserved_ids, &slug);

	if (r->opts->thai_typography)
		typeset_thai(heading);
	char *h = cmark_render_html(heading, r->cmark_opts);
	if (h[0] == '<' && h[1] == 'h' && h[2] >= '1' && h[2] <= '6' && h[3] == '>') {
		buf_put(&html, h, 3);
		BUF_PUTL(&html, " id=\"");
		buf_put_html(&html, slug.ptr, slug.len);
		buf_putc(&html, '"');
		buf_puts(&html, h + 3);
		block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
		cmark_node_set_on_enter(block, html.ptr);
		cmark_node_set_on_exit(block, "");
		if (!cmark_node_replace(heading, block)) {
			cmark_node_free(block);
			block = NULL;
		}
	}
	free(h);
	buf_free(&text);
	buf_free(&slug);
	buf_free(&html);
	return block;
}

/* ---- the walk -------------------------------------------------------------- */

struct collected {
	struct link_ref *links;
	size_t nlinks, links_cap;
	cmark_node **headings;
	size_t nheadings, headings_cap;
	cmark_node **blocks; /* by heading: the custom block that replaced it, or NULL */
	cmark_node *first_paragraph;
};

static void mark_code_lines(struct render *r, cmark_node *block)
{
	unsigned first, last;
	if (!block_lines(r, block, &first, &last))
		return;
	for (unsigned ln = first; ln <= last; ln++)
		r->in_code[ln] = true;
}

/* Walks the tree once, in document order, collecting what later passes
 * change; the tree is not modified during the walk. */
static void collect(struct render *r, cmark_node *root, struct collected *c)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_node *block = NULL;
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_PARAGRAPH:
			/* Inlines live only in paragraphs and headings, so the
			 * last one entered holds the links that follow. */
			block = n;
			if (!c->first_paragraph && cmark_node_parent(n) == root)
				c->first_paragraph = n;
			break;
		case CMARK_NODE_HEADING:
			block = n;
			c->headings = xgrow(c->headings, &c->headings_cap, c->nheadings + 1,
					    sizeof *c->headings);
			c->headings[c->nheadings++] = n;
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			c->links = xgrow(c->links, &c->links_cap, c->nlinks + 1, sizeof *c->links);
			c->links[c->nlinks++] = (struct link_ref){ n, block };
			break;
		case CMARK_NODE_CODE_BLOCK:
		case CMARK_NODE_HTML_BLOCK:
			mark_code_lines(r, n);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

static void add_heading_ids(struct render *r, struct collected *c, struct hmap *seen)
{
	for (size_t i = 0; i < c->nheadings; i++)
		c->blocks[i] = add_heading_id(r, c->headings[i], seen);
}

/*
 * A browser reads the page as one stream, so pieces of raw HTML that are
 * each harmless can still make a script URL together: a tag left open at
 * the end of one HTML block goes on over the Markdown after it. When the
 * finished body holds a script URL that no single piece did, every piece
 * of raw HTML of the page is left out, with one warning, and the body is
 * rendered again (headings too, which may hold raw HTML). Returns it.
 */
static char *render_without_html(struct render *r, cmark_node *root, struct collected *c,
				 struct hmap *seen)
{
	diag_warning(r->diags, r->opts->file, r->opts->first_line ? r->opts->first_line : 1, 0,
		     "the raw HTML of this page, read together, makes a javascript: or "
		     "vbscript: URL; all of its raw HTML is left out of the page");
	for (size_t i = 0; i < c->nheadings; i++) {
		if (c->blocks[i] && cmark_node_replace(c->blocks[i], c->headings[i])) {
			cmark_node_free(c->blocks[i]);
			c->blocks[i] = NULL;
		}
	}
	drop_all_html(root);
	hmap_free(seen);
	hmap_init(seen);
	add_heading_ids(r, c, seen);
	return cmark_render_html(root, r->cmark_opts);
}

/*
 * Implementation notes. cmark 0.30 does give inline nodes positions, but
 * they drift: a continuation line's leading spaces are not counted, the
 * lines of reference definitions removed from a paragraph's start are not
 * counted, a link's line is that of its closing ']', and autolinks ignore
 * the block's indentation. So the only positions trusted are those of
 * paragraphs and headings, and each destination is found again by reading
 * their source lines (load_block, load_definitions).
 */
int markdown_render(const char *text, size_t len, const struct markdown_options *opts,
		    struct markdown_result *out, struct diag_list *diags)
{
	const struct markdown_options defaults = { 0 };
	struct render r = { 0 };
	struct collected c = { 0 };
	struct hmap seen;

	memset(out, 0, sizeof *out);
	r.opts = opts ? opts : &defaults;
	r.diags = diags;
	if (!text)
		text = "";
	if (len > MARKDOWN_MAX_LEN) {
		diag_error(diags, r.opts->file, r.opts->first_line, 0,
			   "the Markdown body is %zu bytes; the limit is %zu", len,
			   MARKDOWN_MAX_LEN);
		out->html = xstrdup("");
		out->first_paragraph_text = xstrdup("");
		return -1;
	}

	r.cmark_opts = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
	if (r.opts->unsafe_html)
		r.cmark_opts |= CMARK_OPT_UNSAFE;
	r.text = text;
	split_lines(&r, text, len);
	r.in_code = xcalloc(r.nlines + 2, sizeof *r.in_code);
	dest_set_init(&r.defs);
	dest_set_init(&r.dests);
	buf_init(&r.url);
	hmap_init(&seen);

	cmark_node *root = cmark_parse_document(text, len, r.cmark_opts);
	collect(&r, root, &c);

	/* Links first: a heading is rendered with its final URLs. */
	for (size_t i = 0; i < c.nlinks; i++)
		resolve_link(&r, &c.links[i]);
	out->link_count = c.nlinks;
	if (r.opts->unsafe_html)
		drop_script_html(&r, root);

	struct buf para = BUF_INIT;
	if (c.first_paragraph)
		plain_text(c.first_paragraph, &para);
	out->first_paragraph_text = collapse_space(para.ptr, para.len);
	buf_free(&para);

	c.blocks = xcalloc(c.nheadings + 1, sizeof *c.blocks);
	add_heading_ids(&r, &c, &seen);
	if (r.opts->thai_typography)
		typeset_thai(root);
	char *html = cmark_render_html(root, r.cmark_opts);
	if (r.opts->unsafe_html && htmlscan_has_script_url(html, strlen(html))) {
		free(html);
		html = render_without_html(&r, root, &c, &seen);
	}
	out->html = xstrdup(html);
	free(html);

	cmark_node_free(root);
	for (size_t i = 0; i < c.nheadings; i++) {
		if (c.blocks[i])
			cmark_node_free(c.headings[i]);
	}
	free(c.blocks);
	free(c.links);
	free(c.headings);
	hmap_free(&seen);
	buf_free(&r.url);
	dest_set_free(&r.dests);
	dest_set_free(&r.defs);
	free(r.in_code);
	free(r.lines);
	return r.failed ? -1 : 0;
}

void markdown_result_free(struct markdown_result *r)
{
	free(r->html);
	free(r->first_paragraph_text);
	memset(r, 0, sizeof *r);
}

/* ---- slugs ------------------------------------------------------------------- */

/* Decodes one UTF-8 sequence; returns its length, or 0 if it is malformed,
 * overlong, a surrogate or beyond U+10FFFF. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t min;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2, min = 0x80, *cp = s[0] & 0x1fu;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, min = 0x800, *cp = s[0] & 0x0fu;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, min = 0x10000, *cp = s[0] & 0x07u;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3fu);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * Non-ASCII code points a slug drops: punctuation, symbols, spaces,
 * format characters, emoji and private use, block by block. GitHub asks
 * Unicode's general category; sapan has no Unicode database, and these
 * blocks cover what authors type. Everything else, letters and combining
 * marks of every script included, is kept. Sorted, for binary search.
 */
static const struct {
	uint32_t lo, hi;
} slug_dropped[] = {
	{ 0x0080, 0x00a9 },   { 0x00ab, 0x00b1 },   { 0x00b4, 0x00b4 },   { 0x00b6, 0x00b8 },
	{ 0x00bb, 0x00bb },   { 0x00bf, 0x00bf },   { 0x00d7, 0x00d7 },   { 0x00f7, 0x00f7 },
	{ 0x02c2, 0x02c5 },   { 0x02d2, 0x02df },   { 0x02e5, 0x02eb },   { 0x02ed, 0x02ed },
	{ 0x02ef, 0x02ff },   { 0x037e, 0x037e },   { 0x0384, 0x0385 },   { 0x0387, 0x0387 },
	{ 0x055a, 0x055f },   { 0x0589, 0x058a },   { 0x05be, 0x05be },   { 0x05c0, 0x05c0 },
	{ 0x05c3, 0x05c3 },   { 0x05c6, 0x05c6 },   { 0x05f3, 0x05f4 },   { 0x0600, 0x060f },
	{ 0x061b, 0x061b },   { 0x061d, 0x061f },   { 0x066a, 0x066d },   { 0x06d4, 0x06d4 },
	{ 0x0964, 0x0965 },   { 0x0970, 0x0970 },   { 0x0e3f, 0x0e3f },   { 0x0e4f, 0x0e4f },
	{ 0x0e5a, 0x0e5b },   { 0x2000, 0x206f },   { 0x20a0, 0x20cf },   { 0x2190, 0x245f },
	{ 0x2500, 0x2775 },   { 0x2794, 0x2bff },   { 0x2e00, 0x2e7f },   { 0x3000, 0x3004 },
	{ 0x3008, 0x3020 },   { 0x3030, 0x3030 },   { 0x303d, 0x303f },   { 0xe000, 0xf8ff },
	{ 0xfe10, 0xfe19 },   { 0xfe30, 0xfe6f },   { 0xfeff, 0xfeff },   { 0xff01, 0xff0f },
	{ 0xff1a, 0xff20 },   { 0xff3b, 0xff40 },   { 0xff5b, 0xff65 },   { 0xffe0, 0xffee },
	{ 0xfff0, 0xffff },   { 0x1f000, 0x1faff }, { 0xe0000, 0xe007f }, { 0xf0000, 0x10ffff },
};

static bool slug_drops(uint32_t cp)
{
	size_t lo = 0, hi = sizeof slug_dropped / sizeof slug_dropped[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < slug_dropped[mid].lo)
			hi = mid;
		else if (cp > slug_dropped[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

void markdown_slug(const char *text, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {
			if (is_ascii_alnum(c) || c == '-' || c == '_')
				buf_putc(out, ascii_lower((char)c));
			else if (c == ' ')
				buf_putc(out, '-');
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			i++; /* not UTF-8: drop the byte */
			continue;
		}
		if (!slug_drops(cp))
			buf_put(out, text + i, n);
		i += n;
	}
}

const char *markdown_engine_version(void)
{
	return cmark_version_string();
}
