/* SPDX-License-Identifier: MIT */
#include "ynode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "hmap.h"
#include "util.h"

/* Deeper nesting than this is never meaningful in front matter; the bound
 * keeps the recursive builder's stack small for hostile input. */
#define YNODE_MAX_DEPTH 64

struct builder {
	yaml_parser_t parser;
	const struct ynode_source *src;
	struct diag_list *diags;
};

static struct ynode *node_new(enum ynode_kind kind, const yaml_mark_t *mark,
			      const struct ynode_source *src)
{
	struct ynode *n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->line = (unsigned)mark->line + src->first_line;
	n->col = (unsigned)mark->column + 1;
	return n;
}

void ynode_free(struct ynode *node)
{
	if (!node)
		return;
	for (size_t i = 0; i < node->len; i++) {
		if (node->keys)
			ynode_free(node->keys[i]);
		ynode_free(node->items[i]);
	}
	free(node->keys);
	free(node->items);
	free(node->text);
	free(node);
}

static void error_at(struct builder *b, const yaml_mark_t *mark, const char *msg)
{
	diag_error(b->diags, b->src->file, (unsigned)mark->line + b->src->first_line,
		   (unsigned)mark->column + 1, "%s", msg);
}

static size_t offset_of(const struct ynode_source *src, const yaml_mark_t *mark);

/* The line of src that starts at offset at (up to its LF). */
static struct span line_from(const struct ynode_source *src, size_t at)
{
	const char *nl = memchr(src->text + at, '\n', src->len - at);
	return (struct span){ src->text + at, nl ? (size_t)(nl - (src->text + at)) : src->len - at };
}

/* The first line up to 0-based line `last` indented with a tab: sets *line
 * and *col (1-based in the file) of the tab and returns true. */
static bool find_tab_indent(const struct ynode_source *src, size_t last, unsigned *line,
			    unsigned *col)
{
	size_t i = 0;
	for (size_t l = 0; l <= last && i < src->len; l++) {
		struct span s = line_from(src, i);
		for (size_t k = 0; k < s.len && (s.ptr[k] == ' ' || s.ptr[k] == '\t'); k++) {
			if (s.ptr[k] == '\t') {
				*line = (unsigned)l + src->first_line;
				*col = (unsigned)k + 1;
				return true;
			}
		}
		i += s.len + 1;
	}
	return false;
}

/* The longest piece of a line quoted in a message: enough to recognise it. */
#define QUOTE_MAX 40

/* Appends the line at s, shortened to QUOTE_MAX bytes at a character. */
static void put_quoted_line(struct buf *msg, struct span s)
{
	while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
		s.ptr++;
		s.len--;
	}
	if (s.len <= QUOTE_MAX) {
		buf_put(msg, s.ptr, s.len);
		return;
	}
	size_t n = QUOTE_MAX;
	while (n && ((unsigned char)s.ptr[n] & 0xC0) == 0x80)
		n--;
	buf_put(msg, s.ptr, n);
	BUF_PUTL(msg, "...");
}

/*
 * Says in plain words what the most common mistakes that libyaml reports
 * are, with the fix, at the place to fix: a tab used to indent, a key
 * without ':', a quotation mark never closed, and a value with ': ' in it.
 * Returns false for any other error.
 */
static bool explain_error(struct builder *b)
{
	const yaml_parser_t *p = &b->parser;
	const struct ynode_source *src = b->src;
	const char *problem = p->problem ? p->problem : "";
	const char *context = p->context ? p->context : "";
	unsigned line, col;
	if (find_tab_indent(src, p->problem_mark.line, &line, &col)) {
		diag_error(b->diags, src->file, line, col,
			   "a tab indents this line, and YAML allows only spaces there: "
			   "indent with spaces");
		return true;
	}
	struct buf msg = BUF_INIT;
	const yaml_mark_t *at = NULL;
	if (strcmp(problem, "could not find expected ':'") == 0 &&
	    strcmp(context, "while scanning a simple key") == 0) {
		at = &p->context_mark;
		size_t start = offset_of(src, at);
		BUF_PUTL(&msg, "'");
		put_quoted_line(&msg, line_from(src, start));
		BUF_PUTL(&msg, "' has no ':' after its key: write it as 'key: value' "
			       "(a space after the ':')");
	} else if (strcmp(problem, "found unexpected end of stream") == 0 &&
		   strcmp(context, "while scanning a quoted scalar") == 0) {
		at = &p->context_mark;
		size_t q = offset_of(src, at);
		char quote = q < src->len ? src->text[q] : '"';
		buf_printf(&msg, "this quotation mark (%c) is never closed: add a closing %c at "
			   "the end of the value", quote, quote);
	} else if (strcmp(problem, "mapping values are not allowed in this context") == 0) {
		at = &p->problem_mark;
		size_t colon = offset_of(src, at);
		size_t ls = colon;
		while (ls > 0 && src->text[ls - 1] != '\n')
			ls--;
		struct span whole = line_from(src, ls);
		const char *sep = memchr(whole.ptr, ':', whole.len);
		BUF_PUTL(&msg, "this value contains ': ', which YAML reads as a new key: put "
			       "the whole value in double quotation marks");
		if (sep && sep + 1 < whole.ptr + whole.len && sep[1] == ' ' &&
		    whole.len <= 2 * QUOTE_MAX) {
			struct span key = { whole.ptr, (size_t)(sep - whole.ptr) };
			const char *v = sep + 1, *end = whole.ptr + whole.len;
			while (v < end && *v == ' ')
				v++;
			while (end > v && end[-1] == ' ')
				end--;
			BUF_PUTL(&msg, ", as in ");
			buf_put(&msg, key.ptr, key.len);
			BUF_PUTL(&msg, ": \"");
			for (; v < end; v++) {
				if (*v == '"' || *v == '\\')
					buf_putc(&msg, '\\');
				buf_putc(&msg, *v);
			}
			BUF_PUTL(&msg, "\"");
		}
	}
	if (at)
		error_at(b, at, msg.ptr);
	buf_free(&msg);
	return at != NULL;
}

/* Reports libyaml's own error, at the position it names, in plain words
 * for the common mistakes. */
static void parser_error(struct builder *b)
{
	const yaml_parser_t *p = &b->parser;
	if (explain_error(b))
		return;
	struct buf msg = BUF_INIT;
	buf_printf(&msg, "invalid YAML: %s", p->problem ? p->problem : "syntax error");
	if (p->context)
		buf_printf(&msg, " (%s at line %u)", p->context,
			   (unsigned)p->context_mark.line + b->src->first_line);
	diag_error(b->diags, b->src->file, (unsigned)p->problem_mark.line + b->src->first_line,
		   (unsigned)p->problem_mark.column + 1, "%s", msg.ptr);
	buf_free(&msg);
}

/* Returns the offset in src of the character at a libyaml mark, which
 * counts lines and characters (not bytes), or len if it lies beyond. */
static size_t offset_of(const struct ynode_source *src, const yaml_mark_t *mark)
{
	size_t i = 0;
	for (size_t line = 0; line < mark->line && i < src->len; i++) {
		if (src->text[i] == '\n')
			line++;
	}
	for (size_t col = 0; col < mark->column && i < src->len; col++) {
		i++;
		while (i < src->len && ((unsigned char)src->text[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

/* The length of the escape at s (just after its backslash, n bytes left)
 * when it makes a NUL character: \0, \x00, \u0000 or \U00000000; else 0. */
static size_t nul_escape(const char *s, size_t n)
{
	static const char *const forms[] = { "0", "x00", "u0000", "U00000000" };
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		size_t len = strlen(forms[i]);
		if (n >= len && memcmp(s, forms[i], len) == 0)
			return len;
	}
	return 0;
}

/*
 * Reports the NUL character a double-quoted scalar's escape made: C
 * strings would end there and silently cut the text. The error is at the
 * escape itself when it can be found in the source, else at the scalar.
 */
static void nul_error(struct builder *b, const yaml_mark_t *start)
{
	const struct ynode_source *src = b->src;
	unsigned line = (unsigned)start->line + src->first_line;
	unsigned col = (unsigned)start->column + 1;
	size_t i = offset_of(src, start);
	if (i < src->len && src->text[i] == '"') {
		unsigned l = line, c = col + 1;
		for (i++; i < src->len && src->text[i] != '"'; c++) {
			char ch = src->text[i];
			if (ch == '\\') {
				size_t esc = i + 1 < src->len ? nul_escape(src->text + i + 1,
									   src->len - i - 1) : 0;
				if (esc) {
					diag_error(b->diags, src->file, l, c,
						   "the escape \"\\%.*s\" makes a NUL character, which "
						   "text cannot hold; remove it", (int)esc,
						   src->text + i + 1);
					return;
				}
				i++; /* the escaped character, a line break included */
				if (i < src->len && src->text[i] == '\n') {
					l++;
					c = 0;
				} else {
					c++;
				}
			} else if (ch == '\n') {
				l++;
				c = 0;
			}
			i++;
			while (i < src->len && ((unsigned char)src->text[i] & 0xC0) == 0x80)
				i++;
		}
	}
	diag_error(b->diags, src->file, line, col,
		   "this text holds a NUL character (from an escape such as \"\\0\"), "
		   "which text cannot hold; remove it");
}

static int next_event(struct builder *b, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&b->parser, ev)) {
		parser_error(b);
		return -1;
	}
	return 0;
}

static struct ynode *build(struct builder *b, yaml_event_t *ev, int depth);

static void append(struct ynode *parent, struct ynode *key, struct ynode *item)
{
	size_t cap = parent->cap;
	parent->items = xgrow(parent->items, &cap, parent->len + 1, sizeof *parent->items);
	if (parent->kind == YNODE_MAP) {
		cap = parent->cap;
		parent->keys = xgrow(parent->keys, &cap, parent->len + 1, sizeof *parent->keys);
		parent->keys[parent->len] = key;
	}
	parent->cap = cap;
	parent->items[parent->len++] = item;
}

/*
 * Builds the children of a sequence or mapping up to its end event. A
 * mapping's keys go into a hash set as they come, so the duplicate check
 * stays linear: comparing each key with every earlier one took 20 s for a
 * mapping of 120,000 keys.
 */
static int build_children(struct builder *b, struct ynode *node, yaml_event_type_t end, int depth)
{
	struct hmap seen;
	hmap_init(&seen);
	int rc = -1;
	for (;;) {
		yaml_event_t ev;
		if (next_event(b, &ev))
			goto out;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			rc = 0;
			goto out;
		}
		struct ynode *key = NULL;
		if (node->kind == YNODE_MAP) {
			key = build(b, &ev, depth + 1);
			if (!key)
				goto out;
			if (key->kind != YNODE_SCALAR) {
				diag_error(b->diags, b->src->file, key->line, key->col,
					   "a mapping key must be a plain name");
				ynode_free(key);
				goto out;
			}
			const struct ynode *first = hmap_get(&seen, key->text);
			if (first) {
				diag_error(b->diags, b->src->file, key->line, key->col,
					   "duplicate key '%s' (also on line %u); keep one of them",
					   key->text, first->line);
				ynode_free(key);
				goto out;
			}
			hmap_put(&seen, key->text, key);
			if (next_event(b, &ev)) {
				ynode_free(key);
				goto out;
			}
		}
		struct ynode *item = build(b, &ev, depth + 1);
		if (!item) {
			ynode_free(key);
			goto out;
		}
		append(node, key, item);
	}
out:
	hmap_free(&seen);
	return rc;
}

/* Builds the node that starts with ev (consumed). Returns NULL on error. */
static struct ynode *build(struct builder *b, yaml_event_t *ev, int depth)
{
	struct ynode *node = NULL;
	if (depth > YNODE_MAX_DEPTH) {
		error_at(b, &ev->start_mark, "YAML nested too deeply");
		yaml_event_delete(ev);
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length)) {
			nul_error(b, &ev->start_mark);
			break;
		}
		node = node_new(YNODE_SCALAR, &ev->start_mark, b->src);
		node->text = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		node->text_len = ev->data.scalar.length;
		node->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		yaml_event_delete(ev);
		return node;
	case YAML_SEQUENCE_START_EVENT:
		node = node_new(YNODE_SEQ, &ev->start_mark, b->src);
		yaml_event_delete(ev);
		if (build_children(b, node, YAML_SEQUENCE_END_EVENT, depth)) {
			ynode_free(node);
			return NULL;
		}
		return node;
	case YAML_MAPPING_START_EVENT:
		node = node_new(YNODE_MAP, &ev->start_mark, b->src);
		yaml_event_delete(ev);
		if (build_children(b, node, YAML_MAPPING_END_EVENT, depth)) {
			ynode_free(node);
			return NULL;
		}
		return node;
	case YAML_ALIAS_EVENT:
		error_at(b, &ev->start_mark,
			 "YAML aliases (*name) are not supported; write the value out");
		break;
	default:
		error_at(b, &ev->start_mark, "unexpected YAML structure");
		break;
	}
	yaml_event_delete(ev);
	return NULL;
}

struct ynode *ynode_parse(const struct ynode_source *src, struct diag_list *diags)
{
	struct builder b = { .src = src, .diags = diags };
	struct ynode *root = NULL;
	yaml_event_t ev;
	if (!yaml_parser_initialize(&b.parser))
		abort(); /* libyaml fails here only when malloc does */
	yaml_parser_set_input_string(&b.parser, (const unsigned char *)src->text, src->len);
	yaml_parser_set_encoding(&b.parser, YAML_UTF8_ENCODING);

	/* STREAM-START, then DOCUMENT-START or STREAM-END for empty input. */
	if (next_event(&b, &ev))
		goto out;
	yaml_event_delete(&ev);
	if (next_event(&b, &ev))
		goto out;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_mark_t start = { 0, 0, 0 };
		root = node_new(YNODE_MAP, &start, src);
		yaml_event_delete(&ev);
		goto out;
	}
	yaml_event_delete(&ev);
	if (next_event(&b, &ev))
		goto out;
	root = build(&b, &ev, 0);
	if (!root)
		goto out;
	if (next_event(&b, &ev)) /* DOCUMENT-END */
		goto fail;
	yaml_event_delete(&ev);
	if (next_event(&b, &ev))
		goto fail;
	if (ev.type != YAML_STREAM_END_EVENT) {
		error_at(&b, &ev.start_mark, "only one YAML document is allowed here");
		yaml_event_delete(&ev);
		goto fail;
	}
	yaml_event_delete(&ev);
	goto out;
fail:
	ynode_free(root);
	root = NULL;
out:
	yaml_parser_delete(&b.parser);
	return root;
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->len; i++) {
		if (strcmp(map->keys[i]->text, key) == 0)
			return map->items[i];
	}
	return NULL;
}

bool ynode_is_null(const struct ynode *node)
{
	if (!node || node->kind != YNODE_SCALAR || !node->plain)
		return false;
	const char *t = node->text;
	return !*t || strcmp(t, "~") == 0 || strcmp(t, "null") == 0 ||
	       strcmp(t, "Null") == 0 || strcmp(t, "NULL") == 0;
}

bool ynode_is_blank(const struct ynode *node)
{
	if (!node || node->kind != YNODE_SCALAR)
		return false;
	const unsigned char *s = (const unsigned char *)node->text;
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		else if (s[0] == 0xC2 && s[1] == 0xA0) /* U+00A0 */
			s += 2;
		else if (s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0x80 && s[2] <= 0x8B)
			s += 3; /* U+2000 to U+200B */
		else if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) /* U+3000 */
			s += 3;
		else
			return false;
	}
	return true;
}

int ynode_bool(const struct ynode *node, bool *out)
{
	if (!node || node->kind != YNODE_SCALAR || !node->plain)
		return 0;
	if (strcasecmp(node->text, "true") == 0) {
		*out = true;
		return 1;
	}
	if (strcasecmp(node->text, "false") == 0) {
		*out = false;
		return 1;
	}
	return 0;
}

int ynode_int(const struct ynode *node, long *out)
{
	if (!node || node->kind != YNODE_SCALAR || !node->plain || !*node->text)
		return 0;
	char *end;
	errno = 0;
	long v = strtol(node->text, &end, 10);
	if (*end || errno)
		return 0;
	*out = v;
	return 1;
}

const char *ynode_kind_name(const struct ynode *node)
{
	if (!node)
		return "nothing";
	switch (node->kind) {
	case YNODE_SCALAR: return ynode_is_null(node) ? "an empty value" : "text";
	case YNODE_SEQ: return "a list";
	case YNODE_MAP: return "a mapping";
	}
	return "?";
}

const char *ynode_text(const struct ynode *node, const char *file, const char *key,
		       struct diag_list *diags)
{
	if (node && node->kind == YNODE_SCALAR)
		return node->text;
	diag_error(diags, file, node ? node->line : 0, node ? node->col : 0,
		   "'%s' must be text, not %s", key, ynode_kind_name(node));
	return NULL;
}

/* ---- the binary form the build cache keeps ---- */

/* A number in seven-bit groups, low first, the high bit saying more
 * follow: positions and lengths are small, and the cache holds a tree for
 * every page. */
static void put_u32(struct buf *out, uint32_t v)
{
	while (v >= 0x80) {
		buf_putc(out, (char)(v | 0x80));
		v >>= 7;
	}
	buf_putc(out, (char)v);
}

/* A node: kind and plain in one byte, line, column, then a scalar's text
 * or a collection's length and its children (each key before its value). */
void ynode_encode(const struct ynode *node, struct buf *out)
{
	buf_putc(out, (char)(node->kind | (node->plain ? 0x10 : 0)));
	put_u32(out, node->line);
	put_u32(out, node->col);
	if (node->kind == YNODE_SCALAR) {
		put_u32(out, (uint32_t)node->text_len);
		buf_put(out, node->text, node->text_len);
		return;
	}
	put_u32(out, (uint32_t)node->len);
	for (size_t i = 0; i < node->len; i++) {
		if (node->kind == YNODE_MAP)
			ynode_encode(node->keys[i], out);
		ynode_encode(node->items[i], out);
	}
}

struct decoder {
	const unsigned char *p, *end;
	bool bad;
};

static uint32_t get_u32(struct decoder *d)
{
	uint32_t v = 0;
	for (int shift = 0; !d->bad; shift += 7) {
		if (d->p >= d->end || shift > 28) {
			d->bad = true;
			break;
		}
		unsigned byte = *d->p++;
		if (shift == 28 && byte > 0x0f) {
			d->bad = true; /* more than 32 bits */
			break;
		}
		v |= (uint32_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80))
			return v;
	}
	return 0;
}

static struct ynode *decode(struct decoder *d, int depth)
{
	if (d->bad || d->p >= d->end || depth > YNODE_MAX_DEPTH) {
		d->bad = true;
		return NULL;
	}
	unsigned tag = *d->p++;
	unsigned kind = tag & 0x0f;
	if (kind > YNODE_MAP || (tag & ~0x1fu) != 0) {
		d->bad = true;
		return NULL;
	}
	struct ynode *n = xcalloc(1, sizeof *n);
	n->kind = (enum ynode_kind)kind;
	n->plain = (tag & 0x10) != 0;
	n->line = get_u32(d);
	n->col = get_u32(d);
	uint32_t len = get_u32(d);
	if (n->kind == YNODE_SCALAR) {
		if (d->bad || (size_t)(d->end - d->p) < len || memchr(d->p, '\0', len)) {
			d->bad = true;
			return n;
		}
		n->text = xstrndup((const char *)d->p, len);
		n->text_len = len;
		d->p += len;
		return n;
	}
	/* Each child takes at least 4 bytes: a count beyond what is left
	 * is a damaged record, not a reason to allocate. */
	if (d->bad || len > (size_t)(d->end - d->p) / 4) {
		d->bad = true;
		return n;
	}
	for (uint32_t i = 0; i < len && !d->bad; i++) {
		struct ynode *key = n->kind == YNODE_MAP ? decode(d, depth + 1) : NULL;
		struct ynode *item = d->bad ? NULL : decode(d, depth + 1);
		if (d->bad || (key && key->kind != YNODE_SCALAR)) {
			d->bad = true;
			ynode_free(key);
			ynode_free(item);
			break;
		}
		append(n, key, item);
	}
	return n;
}

struct ynode *ynode_decode(const char *data, size_t len)
{
	struct decoder d = { (const unsigned char *)data, (const unsigned char *)data + len,
			     false };
	struct ynode *root = decode(&d, 0);
	if (d.bad || d.p != d.end) {
		ynode_free(root);
		return NULL;
	}
	return root;
}
