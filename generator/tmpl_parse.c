/* SPDX-License-Identifier: MIT */
/*
 * The template parser, in four passes over one template:
 *
 *  1. lex: split the text into tokens: text runs, which never cross a
 *     newline, and tags; set-delimiter tags take effect as they are met.
 *  2. mark_lines: find the standalone lines, whose tags print nothing and
 *     whose indentation and newline must vanish with them.
 *  3. parse_list: build the tree, checking that every section is closed by
 *     a matching tag.
 *  4. dedent: strip the indentation of standalone blocks' bodies, which the
 *     renderer adds back, adjusted, wherever the block is expanded.
 *
 * Keeping text runs to one line each is what makes passes 2 and 4 simple:
 * a line is a run of tokens ending with a text token that ends in '\n'.
 */
#include "tmpl_parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl.h"

#define NPOS SIZE_MAX

enum tok_kind {
	TOK_TEXT,
	TOK_VAR,
	TOK_RAW,
	TOK_SECTION,
	TOK_INVERTED,
	TOK_CLOSE,
	TOK_PARTIAL,
	TOK_PARENT,
	TOK_BLOCK,
	TOK_COMMENT,
	TOK_DELIM,
};

struct token {
	enum tok_kind kind;
	struct span text;     /* TEXT: the bytes; tags: the trimmed name */
	unsigned line, col;   /* of the first byte, a tag's opening delimiter */
	bool dynamic;         /* PARTIAL, PARENT: {{>*name}} */
	bool bol;             /* first token of a line that stays in the output */
	bool drop;            /* TEXT: indentation or newline of a standalone line */
	bool standalone;      /* tag alone on its line, or in a pair that is */
	struct span before;   /* standalone tags: whitespace before the tag */
	enum tok_kind closes; /* CLOSE: kind of the tag it closes; TOK_CLOSE when
				 it closes nothing (the parser reports that) */
};

struct tokens {
	struct token *items;
	size_t len, cap;
};

struct lexer {
	const char *src;
	size_t len, pos;
	unsigned line, col;      /* position of src[pos] */
	struct span open, close; /* the current delimiters */
	const char *file;
	struct diag_list *diags;
	struct tokens toks;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
	return is_blank(c) || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Number of spaces and tabs that s starts with. */
static size_t blank_prefix(struct span s)
{
	size_t n = 0;
	while (n < s.len && is_blank(s.ptr[n]))
		n++;
	return n;
}

static bool ends_line(struct span s)
{
	return s.len > 0 && s.ptr[s.len - 1] == '\n';
}

/* True for "\n" or "\r\n" exactly. */
static bool is_newline(const char *p, size_t len)
{
	return (len == 1 && p[0] == '\n') || (len == 2 && p[0] == '\r' && p[1] == '\n');
}

static struct span trim(struct span s)
{
	while (s.len && is_space(s.ptr[0])) {
		s.ptr++;
		s.len--;
	}
	while (s.len && is_space(s.ptr[s.len - 1]))
		s.len--;
	return s;
}

static bool span_same(struct span a, struct span b)
{
	return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

static struct span span_from(size_t skip, struct span s)
{
	if (skip > s.len)
		skip = s.len;
	if (skip == 0)
		return s; /* s.ptr may be NULL, where even + 0 is undefined */
	s.ptr += skip;
	s.len -= skip;
	return s;
}

/* Returns the index of the first needle in s[from, len), or NPOS. */
static size_t find(const char *s, size_t len, size_t from, struct span needle)
{
	while (from + needle.len <= len) {
		const char *p = memchr(s + from, needle.ptr[0], len - from - needle.len + 1);
		if (!p)
			return NPOS;
		size_t at = (size_t)(p - s);
		if (memcmp(p, needle.ptr, needle.len) == 0)
			return at;
		from = at + 1;
	}
	return NPOS;
}

/* Moves the lexer to src[to], keeping line and column: columns count
 * characters, not bytes, as editors do, so UTF-8 continuation bytes do not
 * advance them. */
static void advance_to(struct lexer *lx, size_t to)
{
	for (; lx->pos < to; lx->pos++) {
		unsigned char c = (unsigned char)lx->src[lx->pos];
		if (c == '\n') {
			lx->line++;
			lx->col = 1;
		} else if ((c & 0xC0) != 0x80) {
			lx->col++;
		}
	}
}

static struct token *push_token(struct lexer *lx, enum tok_kind kind)
{
	struct tokens *t = &lx->toks;
	t->items = xgrow(t->items, &t->cap, t->len + 1, sizeof *t->items);
	struct token *tok = &t->items[t->len++];
	memset(tok, 0, sizeof *tok);
	tok->kind = kind;
	tok->line = lx->line;
	tok->col = lx->col;
	tok->closes = TOK_CLOSE;
	return tok;
}

/* Adds src[pos, to) as text tokens, one per line, and moves to `to`. */
static void lex_text(struct lexer *lx, size_t to)
{
	while (lx->pos < to) {
		const char *nl = memchr(lx->src + lx->pos, '\n', to - lx->pos);
		size_t end = nl ? (size_t)(nl - lx->src) + 1 : to;
		struct token *tok = push_token(lx, TOK_TEXT);
		tok->text = (struct span){ lx->src + lx->pos, end - lx->pos };
		advance_to(lx, end);
	}
}

/* Returns the index of `c` immediately followed by the closing delimiter,
 * at or after from, or NPOS: how {{{name}}} and {{=<% %>=}} end. */
static size_t find_close_after(const struct lexer *lx, size_t from, char c)
{
	for (size_t q = from; (q = find(lx->src, lx->len, q, lx->close)) != NPOS; q++) {
		if (q > from && lx->src[q - 1] == c)
			return q - 1;
	}
	return NPOS;
}

static enum tok_kind sigil_kind(char c)
{
	switch (c) {
	case '#': return TOK_SECTION;
	case '^': return TOK_INVERTED;
	case '/': return TOK_CLOSE;
	case '>': return TOK_PARTIAL;
	case '<': return TOK_PARENT;
	case '$': return TOK_BLOCK;
	case '!': return TOK_COMMENT;
	case '=': return TOK_DELIM;
	case '&':
	case '{': return TOK_RAW;
	default: return TOK_VAR;
	}
}

/* True for names looked up in the data: "." or dot-separated parts that
 * are never empty. */
static bool valid_data_name(struct span name)
{
	if (span_eq(name, "."))
		return true;
	if (name.ptr[0] == '.' || name.ptr[name.len - 1] == '.')
		return false;
	for (size_t i = 1; i < name.len; i++) {
		if (name.ptr[i] == '.' && name.ptr[i - 1] == '.')
			return false;
	}
	return true;
}

/* Checks the name of a tag just pushed. Returns 0, or -1 after an error. */
static int check_name(struct lexer *lx, const struct token *tok)
{
	struct span n = tok->text;
	if (n.len == 0) {
		diag_error(lx->diags, lx->file, tok->line, tok->col, "tag has no name");
		return -1;
	}
	for (size_t i = 0; i < n.len; i++) {
		if (is_space(n.ptr[i])) {
			diag_error(lx->diags, lx->file, tok->line, tok->col,
				   "tag name '%.*s' contains whitespace", (int)n.len, n.ptr);
			return -1;
		}
	}
	bool data = tok->kind == TOK_VAR || tok->kind == TOK_RAW || tok->kind == TOK_SECTION ||
		    tok->kind == TOK_INVERTED || tok->dynamic;
	if (data && !valid_data_name(n)) {
		diag_error(lx->diags, lx->file, tok->line, tok->col,
			   "invalid name '%.*s': a dotted name needs a name between its dots",
			   (int)n.len, n.ptr);
		return -1;
	}
	return 0;
}

/* Applies the set-delimiter tag whose content (between "=" and "=") is c.
 * Returns 0, or -1 after an error at the tag. */
static int set_delimiters(struct lexer *lx, const struct token *tok, struct span c)
{
	c = trim(c);
	size_t i = 0;
	while (i < c.len && !is_space(c.ptr[i]))
		i++;
	struct span open = { c.ptr, i };
	struct span close = trim(span_from(i, c));
	bool ok = open.len > 0 && close.len > 0;
	for (size_t k = 0; ok && k < close.len; k++)
		ok = !is_space(close.ptr[k]);
	if (!ok) {
		diag_error(lx->diags, lx->file, tok->line, tok->col,
			   "invalid delimiter change '%.*s': expected two delimiters separated "
			   "by a space, as in {{=<%% %%>=}}",
			   (int)c.len, c.ptr);
		return -1;
	}
	lx->open = open;
	lx->close = close;
	return 0;
}

/* Lexes the tag that starts at src[pos] with the opening delimiter.
 * Returns 0, or -1 after an error at the tag. */
static int lex_tag(struct lexer *lx)
{
	const char *s = lx->src;
	size_t p = lx->pos + lx->open.len;
	while (p < lx->len && is_space(s[p]))
		p++;
	char sigil = p < lx->len ? s[p] : '\0';
	enum tok_kind kind = sigil_kind(sigil);
	if (kind != TOK_VAR)
		p++;

	/* content is s[p, stop); the tag ends at end */
	size_t stop;
	char closer = sigil == '{' ? '}' : kind == TOK_DELIM ? '=' : '\0';
	if (closer) {
		stop = find_close_after(lx, p, closer);
	} else {
		stop = find(s, lx->len, p, lx->close);
	}
	struct token *tok = push_token(lx, kind);
	if (stop == NPOS) {
		const char *extra = closer == '}' ? "}" : closer == '=' ? "=" : "";
		diag_error(lx->diags, lx->file, tok->line, tok->col,
			   "unclosed tag: no '%s%.*s' after this '%.*s%s'", extra,
			   (int)lx->close.len, lx->close.ptr, (int)lx->open.len, lx->open.ptr,
			   closer == '}' ? "{" : extra);
		return -1;
	}
	size_t end = stop + (closer ? 1 : 0) + lx->close.len;
	struct span content = { s + p, stop - p };
	tok->text = trim(content);

	if (kind == TOK_DELIM) {
		advance_to(lx, end);
		return set_delimiters(lx, tok, content);
	}
	if ((kind == TOK_PARTIAL || kind == TOK_PARENT) && tok->text.len &&
	    tok->text.ptr[0] == '*') {
		tok->dynamic = true;
		tok->text = trim(span_from(1, tok->text));
	}
	advance_to(lx, end);
	if (kind == TOK_COMMENT)
		return 0;
	return check_name(lx, tok);
}

/* Splits the template into tokens. Returns 0, or -1 after an error. */
static int lex(struct lexer *lx)
{
	while (lx->pos < lx->len) {
		size_t at = find(lx->src, lx->len, lx->pos, lx->open);
		lex_text(lx, at == NPOS ? lx->len : at);
		if (at == NPOS)
			break;
		if (lex_tag(lx))
			return -1;
	}
	return 0;
}

static bool is_opener(enum tok_kind k)
{
	return k == TOK_SECTION || k == TOK_INVERTED || k == TOK_PARENT || k == TOK_BLOCK;
}

/* True when closing tag `close` matches opening tag `open`. A dynamic
 * parent {{<*name}} is closed by a tag naming "*name" too. */
static bool closes_match(const struct token *open, const struct token *close)
{
	if (!open->dynamic)
		return span_same(open->text, close->text);
	struct span c = close->text;
	return c.len && c.ptr[0] == '*' && span_same(open->text, trim(span_from(1, c)));
}

/* Records what each closing tag closes, for the standalone rules about
 * pairs of tags, which depend on it. Mismatches are left for the parser. */
static void match_closers(struct tokens *t)
{
	size_t *stack = NULL, n = 0, cap = 0;
	for (size_t i = 0; i < t->len; i++) {
		struct token *tok = &t->items[i];
		if (is_opener(tok->kind)) {
			stack = xgrow(stack, &cap, n + 1, sizeof *stack);
			stack[n++] = i;
		} else if (tok->kind == TOK_CLOSE && n && closes_match(&t->items[stack[n - 1]], tok)) {
			tok->closes = t->items[stack[--n]].kind;
		}
	}
	free(stack);
}

/* True for the text that may end a standalone line: blanks, then a
 * newline or the end of the template. */
static bool blank_to_eol(struct span s)
{
	size_t w = blank_prefix(s);
	return w == s.len || is_newline(s.ptr + w, s.len - w);
}

/* Marks tokens t[0, n), one line of the template. A line is standalone when
 * it holds, besides blanks and its newline, only one tag that prints
 * nothing, or one of the pairs of inheritance tags that the inheritance
 * spec treats as standalone together ({{<p}}{{/p}}, {{<p}}{{$b}},
 * {{/b}}{{/p}} and {{$b}}{{/b}}). The whitespace and newline of a
 * standalone line are dropped; every other line's first token is marked as
 * the start of a line, where indentation goes. */
static void mark_line(struct token *t, size_t n)
{
	size_t i = 0, lead = NPOS, trail = NPOS;
	if (t[0].kind == TOK_TEXT && blank_prefix(t[0].text) == t[0].text.len)
		lead = i++;
	size_t first = i;
	while (i < n && t[i].kind != TOK_TEXT)
		i++;
	size_t ntags = i - first;
	bool standalone = false, keep_newline = false;
	if (i < n) {
		if (i == n - 1 && blank_to_eol(t[i].text))
			trail = i;
		else
			ntags = 0;
	}
	if (ntags == 1) {
		standalone = t[first].kind != TOK_VAR && t[first].kind != TOK_RAW;
		t[first].standalone = standalone;
	} else if (ntags == 2) {
		struct token *a = &t[first], *b = &t[first + 1];
		if (a->kind == TOK_PARENT && (b->kind == TOK_BLOCK || b->closes == TOK_PARENT)) {
			standalone = a->standalone = true;
			b->standalone = b->kind == TOK_BLOCK;
		} else if (a->closes == TOK_BLOCK && b->closes == TOK_PARENT) {
			standalone = true;
		} else if (a->kind == TOK_BLOCK && b->closes == TOK_BLOCK) {
			/* The inheritance spec keeps this line's newline, so that an
			 * empty block still ends its line. */
			standalone = keep_newline = a->standalone = true;
		}
	}
	if (!standalone) {
		t[0].bol = true;
		return;
	}
	struct span before = { t[first].text.ptr, 0 };
	if (lead != NPOS) {
		t[lead].drop = true;
		before = t[lead].text;
	}
	if (trail != NPOS && !keep_newline)
		t[trail].drop = true;
	for (size_t k = first; k < first + ntags; k++)
		t[k].before = before;
}

static void mark_lines(struct tokens *toks)
{
	match_closers(toks);
	struct token *t = toks->items;
	size_t a = 0;
	while (a < toks->len) {
		size_t b = a;
		while (b < toks->len && !(t[b].kind == TOK_TEXT && ends_line(t[b].text)))
			b++;
		if (b < toks->len)
			b++;
		mark_line(t + a, b - a);
		a = b;
	}
}

struct parser {
	const struct token *toks;
	size_t len, pos;
	const char *file;
	struct diag_list *diags;
};

static void push_node(struct tmpl_list *list, const struct tmpl_node *node)
{
	list->items = xgrow(list->items, &list->cap, list->len + 1, sizeof *list->items);
	list->items[list->len++] = *node;
}

static void node_free(struct tmpl_node *n)
{
	free(n->ref);
	tmpl_list_free(&n->kids);
}

void tmpl_list_free(struct tmpl_list *list)
{
	for (size_t i = 0; i < list->len; i++)
		node_free(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof *list);
}

static bool line_start(const struct token *t, size_t i)
{
	return i == 0 || (t[i - 1].kind == TOK_TEXT && ends_line(t[i - 1].text));
}

/*
 * Finds the margin of a standalone block's body, the tokens strictly
 * between t[open] and t[close]: the longest run of blanks that starts
 * every line holding more than blanks. Standalone tag lines count, as they
 * do for a reader's eye. Returns false when no line holds anything.
 */
static bool body_margin(const struct token *t, size_t open, size_t close, struct span *margin)
{
	bool found = false;
	for (size_t i = open + 1; i < close; i++) {
		if (!line_start(t, i))
			continue;
		struct span ws = { t[i].text.ptr, 0 };
		if (t[i].kind == TOK_TEXT) {
			ws.len = blank_prefix(t[i].text);
			bool only_blanks = ws.len == t[i].text.len;
			if (only_blanks && i + 1 == close)
				continue; /* the line of the closing tag */
			if (!only_blanks && is_newline(t[i].text.ptr + ws.len, t[i].text.len - ws.len))
				continue; /* a blank line */
		}
		if (!found) {
			*margin = ws;
			found = true;
		} else {
			size_t k = 0;
			while (k < margin->len && k < ws.len && margin->ptr[k] == ws.ptr[k])
				k++;
			margin->len = k;
		}
	}
	return found;
}

static const char *opener_word(enum tok_kind k)
{
	switch (k) {
	case TOK_INVERTED: return "inverted section";
	case TOK_PARENT: return "parent";
	case TOK_BLOCK: return "block";
	default: return "section";
	}
}

static int parse_list(struct parser *p, struct tmpl_list *out, size_t opener, unsigned depth);

/* Parses the body of the section, block or parent opened by toks[i] (just
 * consumed) and appends the node to out. Returns 0, or -1 after an error. */
static int parse_container(struct parser *p, struct tmpl_list *out, size_t i, unsigned depth)
{
	const struct token *t = &p->toks[i];
	if (depth >= TMPL_MAX_NESTING) {
		diag_error(p->diags, p->file, t->line, t->col,
			   "sections, blocks and parents nested more than %d deep", TMPL_MAX_NESTING);
		return -1;
	}
	static const enum tmpl_node_kind kinds[] = {
		[TOK_SECTION] = TMPL_NODE_SECTION,
		[TOK_INVERTED] = TMPL_NODE_INVERTED,
		[TOK_PARENT] = TMPL_NODE_PARENT,
		[TOK_BLOCK] = TMPL_NODE_BLOCK,
	};
	struct tmpl_node n = {
		.kind = kinds[t->kind],
		.line = t->line,
		.col = t->col,
		.text = t->text,
		.standalone = t->standalone,
		.dynamic = t->dynamic,
		.indent = t->before,
	};
	if (parse_list(p, &n.kids, i, depth + 1)) {
		tmpl_list_free(&n.kids);
		return -1;
	}
	if (n.kind == TMPL_NODE_BLOCK && n.standalone) {
		/* p->pos - 1 is the closing tag */
		struct span margin;
		if (body_margin(p->toks, i, p->pos - 1, &margin)) {
			n.indent = margin;
			n.margin = margin.len;
		}
	}
	if (n.kind == TMPL_NODE_PARENT) {
		/* Only blocks mean anything inside a parent tag; the spec has
		 * text there ignored, and so is every other tag. */
		size_t k = 0;
		for (size_t j = 0; j < n.kids.len; j++) {
			if (n.kids.items[j].kind == TMPL_NODE_BLOCK)
				n.kids.items[k++] = n.kids.items[j];
			else
				node_free(&n.kids.items[j]);
		}
		n.kids.len = k;
		if (!n.dynamic)
			n.ref = xstrndup(n.text.ptr, n.text.len);
	}
	push_node(out, &n);
	return 0;
}

/*
 * Parses tokens into out until the closing tag of toks[opener] (consumed)
 * or, for opener NPOS, the end of the template. Returns 0, or -1 after an
 * error; out then holds what was parsed so far, for the caller to free.
 */
static int parse_list(struct parser *p, struct tmpl_list *out, size_t opener, unsigned depth)
{
	while (p->pos < p->len) {
		size_t i = p->pos++;
		const struct token *t = &p->toks[i];
		if (t->kind != TOK_TEXT && t->bol) {
			/* An empty text node carries the line's start, so that
			 * indentation goes before the tag's output. */
			struct tmpl_node bol = { .kind = TMPL_NODE_TEXT, .line = t->line,
						 .col = t->col, .text = { t->text.ptr, 0 }, .bol = true };
			push_node(out, &bol);
		}
		struct tmpl_node n = { .line = t->line, .col = t->col, .text = t->text };
		switch (t->kind) {
		case TOK_TEXT:
			if (t->drop)
				break;
			n.kind = TMPL_NODE_TEXT;
			n.bol = t->bol;
			push_node(out, &n);
			break;
		case TOK_COMMENT:
		case TOK_DELIM:
			break;
		case TOK_VAR:
		case TOK_RAW:
			n.kind = t->kind == TOK_VAR ? TMPL_NODE_VAR : TMPL_NODE_RAW;
			push_node(out, &n);
			break;
		case TOK_PARTIAL:
			n.kind = TMPL_NODE_PARTIAL;
			n.standalone = t->standalone;
			n.dynamic = t->dynamic;
			n.indent = t->before;
			if (!n.dynamic)
				n.ref = xstrndup(n.text.ptr, n.text.len);
			push_node(out, &n);
			break;
		case TOK_SECTION:
		case TOK_INVERTED:
		case TOK_PARENT:
		case TOK_BLOCK:
			if (parse_container(p, out, i, depth))
				return -1;
			break;
		case TOK_CLOSE:
			if (opener == NPOS) {
				diag_error(p->diags, p->file, t->line, t->col,
					   "closing tag '%.*s' has no open section, block or parent",
					   (int)t->text.len, t->text.ptr);
				return -1;
			}
			if (!closes_match(&p->toks[opener], t)) {
				const struct token *o = &p->toks[opener];
				diag_error(p->diags, p->file, t->line, t->col,
					   "closing tag '%.*s' does not match %s '%s%.*s' opened at "
					   "line %u, column %u",
					   (int)t->text.len, t->text.ptr, opener_word(o->kind),
					   o->dynamic ? "*" : "", (int)o->text.len, o->text.ptr,
					   o->line, o->col);
				return -1;
			}
			return 0;
		}
	}
	if (opener != NPOS) {
		const struct token *o = &p->toks[opener];
		diag_error(p->diags, p->file, o->line, o->col, "%s '%s%.*s' is never closed",
			   opener_word(o->kind), o->dynamic ? "*" : "", (int)o->text.len,
			   o->text.ptr);
		return -1;
	}
	return 0;
}

/*
 * Strips `strip` bytes of indentation from the start of each line in a
 * standalone block's body (inside is true there), recursing with each
 * nested standalone block's own margin, and makes the indentation of the
 * standalone tags within relative to the block, as the inheritance spec's
 * reindentation rules require. Lines of blanks only are emptied and take no
 * indentation; body is true for the list that is a block's whole body,
 * whose last line may end without a newline, at the closing tag.
 */
static void dedent(struct tmpl_list *list, size_t strip, bool inside, bool body)
{
	for (size_t i = 0; i < list->len; i++) {
		struct tmpl_node *n = &list->items[i];
		switch (n->kind) {
		case TMPL_NODE_TEXT:
			if (inside && n->bol) {
				size_t w = blank_prefix(n->text);
				bool blank_line = w == n->text.len
							  ? body && i + 1 == list->len
							  : is_newline(n->text.ptr + w, n->text.len - w);
				n->text = span_from(blank_line || w < strip ? w : strip, n->text);
				n->bol = !blank_line;
			}
			break;
		case TMPL_NODE_VAR:
		case TMPL_NODE_RAW:
			break;
		case TMPL_NODE_PARTIAL:
			if (n->standalone)
				n->indent = span_from(strip, n->indent);
			break;
		case TMPL_NODE_PARENT:
			if (n->standalone)
				n->indent = span_from(strip, n->indent);
			dedent(&n->kids, strip, inside, false);
			break;
		case TMPL_NODE_BLOCK:
			if (n->standalone) {
				n->indent = span_from(strip, n->indent);
				dedent(&n->kids, n->margin, true, true);
			} else {
				dedent(&n->kids, strip, inside, false);
			}
			break;
		case TMPL_NODE_SECTION:
		case TMPL_NODE_INVERTED:
			dedent(&n->kids, strip, inside, false);
			break;
		}
	}
}

int tmpl_parse(const char *text, size_t len, const char *file, struct tmpl_list *out,
	       struct diag_list *diags)
{
	struct lexer lx = {
		.src = text,
		.len = len,
		.line = 1,
		.col = 1,
		.open = { "{{", 2 },
		.close = { "}}", 2 },
		.file = file,
		.diags = diags,
	};
	int rc = -1;
	if (lex(&lx))
		goto out;
	mark_lines(&lx.toks);
	struct parser p = {
		.toks = lx.toks.items,
		.len = lx.toks.len,
		.file = file,
		.diags = diags,
	};
	if (parse_list(&p, out, NPOS, 0)) {
		tmpl_list_free(out);
		goto out;
	}
	dedent(out, 0, false, false);
	rc = 0;
out:
	free(lx.toks.items);
	return rc;
}
