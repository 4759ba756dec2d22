/* SPDX-License-Identifier: MIT */
#include "htmlscan.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

struct scan {
	const char *s;
	size_t n;
	unsigned svg, math;   /* <svg> and <math> start tags not yet closed */
	unsigned srcdoc;      /* nesting of srcdoc values being scanned */
	bool ambiguous;       /* a reading depended on the tree: check all text */
	bool found;           /* a script URL was seen */
	htmlscan_attr_fn fn;  /* NULL: only look for script URLs */
	void *ctx;
};

/* Recognises "javascript:" and "vbscript:" in a stream of characters in
 * constant time per character: the last ten letters are kept in a ring,
 * and compared only when a ':' arrives. */
struct matcher {
	char ring[10];
	size_t len;  /* characters pushed so far */
	bool prefix; /* only a scheme at the start counts (one URL) */
	bool found;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* True if the last k letters pushed spell word. */
static bool ends_with(const struct matcher *m, const char *word, size_t k)
{
	if (m->len < k)
		return false;
	for (size_t i = 0; i < k; i++) {
		if (m->ring[(m->len - k + i) % sizeof m->ring] != word[i])
			return false;
	}
	return true;
}

/* Pushes one decoded code point. Browsers drop tabs and newlines anywhere
 * in a URL and leading controls; every control is skipped here, which can
 * only find more. */
static void matcher_push(struct matcher *m, uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f || (m->prefix && cp == ' '))
		return;
	if (cp == ':') {
		m->found = m->found || (ends_with(m, "javascript", 10) && (!m->prefix || m->len == 10)) ||
			   (ends_with(m, "vbscript", 8) && (!m->prefix || m->len == 8));
		cp = ' ';
	}
	m->ring[m->len++ % sizeof m->ring] = cp < 0x80 ? lower((char)cp) : '?';
}

static bool has_prefix_nocase(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);
	return n >= k && strncasecmp(s, word, k) == 0;
}

/*
 * Decodes the character reference at s[0] == '&'. Numeric references are
 * read with or without their ';' and with any number of leading zeros, as
 * browsers read them; of the named ones only those that spell a character
 * that matters to a scheme (':', tab, newline) or to markup in a srcdoc
 * (< > " ' &) are decoded, in any case and without the ';' too, which can
 * only find more. Returns the bytes
 * used and sets *cp, or returns 0 when there is no reference.
 */
static size_t char_ref(const char *s, size_t n, uint32_t *cp)
{
	size_t i = 1;
	if (i < n && s[i] == '#') {
		i++;
		bool hex = i < n && (s[i] == 'x' || s[i] == 'X');
		i += hex;
		size_t start = i;
		uint32_t v = 0;
		for (; i < n; i++) {
			char c = s[i];
			unsigned d;
			if (c >= '0' && c <= '9')
				d = (unsigned)(c - '0');
			else if (hex && lower(c) >= 'a' && lower(c) <= 'f')
				d = (unsigned)(lower(c) - 'a' + 10);
			else
				break;
			v = v * (hex ? 16 : 10) + d;
			if (v > 0x10ffff)
				v = 0x110000; /* stays out of range, never overflows */
		}
		if (i == start)
			return 0;
		*cp = v > 0x10ffff || v == 0 ? 0xfffd : v;
		return i + (i < n && s[i] == ';');
	}
	static const struct {
		const char *name;
		uint32_t cp;
	} named[] = { { "colon", ':' }, { "tab", '\t' },	 { "newline", '\n' }, { "lt", '<' },
		      { "gt", '>' },	{ "quot", '"' }, { "apos", '\'' },	{ "amp", '&' } };
	for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
		if (has_prefix_nocase(s + 1, n - 1, named[k].name)) {
			i = 1 + strlen(named[k].name);
			*cp = named[k].cp;
			return i + (i < n && s[i] == ';');
		}
	}
	return 0;
}

/* Feeds len bytes to m with character references decoded. */
static void match_text(struct matcher *m, const char *s, size_t len)
{
	for (size_t i = 0; i < len && !m->found;) {
		uint32_t cp;
		size_t used = s[i] == '&' ? char_ref(s + i, len - i, &cp) : 0;
		if (used) {
			matcher_push(m, cp);
			i += used;
		} else {
			matcher_push(m, (unsigned char)s[i]);
			i++;
		}
	}
}

static void scan_html(struct scan *sc);

static bool scan_document(const char *html, size_t len, unsigned srcdoc);

/* Scans a srcdoc value, decoded, as the document it is. Past the nesting
 * limit, any value that still holds a reference counts as unsafe. */
static void scan_srcdoc(struct scan *sc, struct span v)
{
	if (sc->srcdoc >= HTMLSCAN_MAX_SRCDOC && memchr(v.ptr, '&', v.len)) {
		sc->found = true;
		return;
	}
	struct buf doc = BUF_INIT;
	for (size_t i = 0; i < v.len;) {
		uint32_t cp;
		size_t used = v.ptr[i] == '&' ? char_ref(v.ptr + i, v.len - i, &cp) : 0;
		if (used && cp < 0x80) {
			buf_putc(&doc, (char)cp);
			i += used;
		} else if (used) {
			buf_putc(&doc, '?'); /* only ASCII spells a scheme */
			i += used;
		} else {
			buf_putc(&doc, v.ptr[i++]);
		}
	}
	sc->found = sc->found || scan_document(doc.ptr, doc.len, sc->srcdoc + 1);
	buf_free(&doc);
}

static bool span_is(struct span s, const char *word)
{
	return s.len == strlen(word) && strncasecmp(s.ptr, word, s.len) == 0;
}

/* Attributes whose whole value is one URL: only its scheme matters
 * ("notes/javascript:intro" is a path). Any other attribute may hold URLs
 * anywhere (srcset, style, content, SVG values), so all of it is read. */
static bool is_url_attr(struct span name)
{
	static const char *const names[] = { "href",	   "src",	  "action",  "formaction",
					     "xlink:href", "data",	  "poster",  "background",
					     "cite",	   "longdesc",	  "codebase", "manifest",
					     "icon",	   "usemap",	  "lowsrc",  "dynsrc",
					     "classid" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (span_is(name, names[i]))
			return true;
	}
	return false;
}

/* Attributes whose value is text shown to people, never a URL. */
static bool is_text_attr(struct span name)
{
	return span_is(name, "alt") || span_is(name, "title") || span_is(name, "placeholder") ||
	       span_is(name, "aria-label") || span_is(name, "aria-description");
}

static void attribute(struct scan *sc, struct span tag, struct span name, struct span value,
		      bool end_tag)
{
	if (sc->fn && !end_tag) {
		struct htmlscan_attr a = { tag, name, value };
		sc->fn(sc->ctx, &a);
	}
	if (sc->fn || is_text_attr(name))
		return;
	if (span_is(name, "srcdoc")) {
		scan_srcdoc(sc, value);
		return;
	}
	struct matcher m = { .prefix = is_url_attr(name) };
	match_text(&m, value.ptr, value.len);
	sc->found = sc->found || m.found;
}

/* Reads one attribute value starting at s[i] (after '=' and spaces);
 * returns the index after it. */
static size_t attr_value(const struct scan *sc, size_t i, struct span *value)
{
	const char *s = sc->s;
	size_t n = sc->n;
	if (i < n && (s[i] == '"' || s[i] == '\'')) {
		const char *close = memchr(s + i + 1, s[i], n - i - 1);
		size_t end = close ? (size_t)(close - s) : n;
		*value = (struct span){ s + i + 1, end - i - 1 };
		return close ? end + 1 : n;
	}
	size_t start = i;
	while (i < n && !is_space(s[i]) && s[i] != '>')
		i++;
	*value = (struct span){ s + start, i - start };
	return i;
}

/*
 * Reads the attributes of a tag from s[i] (just after its name) to its '>'
 * following the tokenizer's attribute states. Returns the index after the
 * '>', or n when the input ends inside the tag (a browser drops it).
 * Sets *self_closing when the tag ends with "/>".
 */
static size_t attributes(struct scan *sc, struct span tag, size_t i, bool end_tag,
			 bool *self_closing)
{
	const char *s = sc->s;
	size_t n = sc->n;
	*self_closing = false;
	while (i < n) {
		if (is_space(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '/') {
			i++;
			if (i < n && s[i] == '>') {
				*self_closing = true;
				return i + 1;
			}
			continue;
		}
		if (s[i] == '>')
			return i + 1;
		/* The first character belongs to the name, even '=' or a quote. */
		size_t start = i++;
		while (i < n && !is_space(s[i]) && s[i] != '/' && s[i] != '>' && s[i] != '=')
			i++;
		struct span name = { s + start, i - start };
		while (i < n && is_space(s[i]))
			i++;
		struct span value = { s + i, 0 };
		if (i < n && s[i] == '=') {
			i++;
			while (i < n && is_space(s[i]))
				i++;
			i = attr_value(sc, i, &value);
		}
		attribute(sc, tag, name, value, end_tag);
		if (sc->found)
			return n;
	}
	return n;
}

/* Finds "</name" followed by a space, '/' or '>' from s[i], the end tag
 * that closes raw text; returns the index of its '<', or n. */
static size_t raw_text_end(const struct scan *sc, size_t i, struct span name)
{
	const char *s = sc->s;
	size_t n = sc->n;
	while (i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		if (!lt)
			return n;
		i = (size_t)(lt - s);
		size_t after = i + 2 + name.len;
		if (i + 1 < n && s[i + 1] == '/' && after < n &&
		    strncasecmp(s + i + 2, name.ptr, name.len) == 0 &&
		    (is_space(s[after]) || s[after] == '/' || s[after] == '>'))
			return i;
		i++;
	}
	return n;
}

/* True if s[i] starts "<script" or "</script" (per slash) followed by a
 * space, '/' or '>'. */
static bool script_tag_at(const struct scan *sc, size_t i, bool slash)
{
	size_t k = i + 1 + slash;
	if (k + 6 >= sc->n || (slash && sc->s[i + 1] != '/'))
		return false;
	return strncasecmp(sc->s + k, "script", 6) == 0 &&
	       (is_space(sc->s[k + 6]) || sc->s[k + 6] == '/' || sc->s[k + 6] == '>');
}

/*
 * Finds the end tag of a <script> from s[i], through the script data
 * states: "<!--" escapes, inside which "<script" double-escapes so that
 * "</script>" does not end the script until "-->" or a matching
 * "</script>" undoes it. Returns the index of the closing '<', or n.
 */
static size_t script_end(const struct scan *sc, size_t i)
{
	enum { DATA, ESCAPED, DOUBLE } state = DATA;
	size_t dashes = 0; /* '-' just before i */
	const char *s = sc->s;
	for (; i < sc->n; i++) {
		char c = s[i];
		if (c == '-') {
			dashes++;
			continue;
		}
		if (c == '>' && dashes >= 2 && state != DATA) {
			state = DATA;
		} else if (c == '<') {
			if (state != DOUBLE && script_tag_at(sc, i, true))
				return i;
			if (state == DATA && i + 3 < sc->n && memcmp(s + i, "<!--", 4) == 0) {
				state = ESCAPED;
				i += 3;
				dashes = 2; /* "<!-->" ends the escape at once */
				continue;
			}
			if (state == ESCAPED && script_tag_at(sc, i, false))
				state = DOUBLE;
			else if (state == DOUBLE && script_tag_at(sc, i, true))
				state = ESCAPED;
		}
		dashes = 0;
	}
	return sc->n;
}

/* Returns the index after the first '>' from s[i], or n. */
static size_t skip_to_gt(const struct scan *sc, size_t i)
{
	const char *gt = i < sc->n ? memchr(sc->s + i, '>', sc->n - i) : NULL;
	return gt ? (size_t)(gt - sc->s) + 1 : sc->n;
}

/* Returns the index after the comment starting with "<!--" at s[i]. */
static size_t comment_end(const struct scan *sc, size_t i)
{
	const char *s = sc->s;
	size_t n = sc->n;
	i += 4;
	if (i < n && s[i] == '>')
		return i + 1; /* "<!-->" */
	if (i + 1 < n && s[i] == '-' && s[i + 1] == '>')
		return i + 2; /* "<!--->" */
	for (size_t dashes = 0; i < n; i++) {
		if (s[i] == '-') {
			dashes++;
		} else if (s[i] == '>' && dashes >= 2) {
			return i + 1;
		} else if (s[i] == '!' && dashes >= 2 && i + 1 < n && s[i + 1] == '>') {
			return i + 2; /* "--!>" */
		} else {
			dashes = 0;
		}
	}
	return n;
}

static bool in_foreign(const struct scan *sc)
{
	return sc->svg || sc->math;
}

/* After a start or end tag: follows <svg> and <math>, and skips the raw
 * text a start tag opens. Returns where tokenizing goes on. */
static size_t after_tag(struct scan *sc, struct span name, size_t i, bool end_tag,
			bool self_closing)
{
	unsigned *foreign = span_is(name, "svg") ? &sc->svg : span_is(name, "math") ? &sc->math
										   : NULL;
	if (foreign) {
		if (end_tag && *foreign)
			(*foreign)--;
		else if (!end_tag && !self_closing)
			(*foreign)++;
		return i;
	}
	if (end_tag)
		return i;
	static const char *const raw[] = { "script", "style",	 "xmp",	 "iframe",    "noembed",
					   "noframes", "textarea", "title", "plaintext", "noscript" };
	bool is_raw = false;
	for (size_t k = 0; k < sizeof raw / sizeof raw[0] && !is_raw; k++)
		is_raw = span_is(name, raw[k]);
	if (!is_raw)
		return i;
	/* Inside <svg> or <math> these are ordinary elements unless the tree
	 * has left foreign content again; <noscript> depends on scripting. */
	if (in_foreign(sc) || span_is(name, "noscript")) {
		sc->ambiguous = true;
		return i;
	}
	size_t end = span_is(name, "plaintext") ? sc->n
		     : span_is(name, "script")  ? script_end(sc, i)
						: raw_text_end(sc, i, name);
	/* Raw text is no markup, but it is still written into the page, and
	 * a script or a reader that parses it differently could follow a URL
	 * in it: it is checked as a whole. */
	if (!sc->fn) {
		struct matcher m = { .len = 0 };
		match_text(&m, sc->s + i, end - i);
		sc->found = sc->found || m.found;
	}
	return end;
}

/* Reads a start or end tag whose name starts at s[i]. */
static size_t tag(struct scan *sc, size_t i, bool end_tag)
{
	size_t start = i;
	while (i < sc->n && !is_space(sc->s[i]) && sc->s[i] != '/' && sc->s[i] != '>')
		i++;
	struct span name = { sc->s + start, i - start };
	bool self_closing;
	i = attributes(sc, name, i, end_tag, &self_closing);
	if (i >= sc->n)
		return sc->n;
	return after_tag(sc, name, i, end_tag, self_closing);
}

/* Reads the markup that starts with the '<' at s[i]; returns the index
 * after it. */
static size_t markup(struct scan *sc, size_t i)
{
	const char *s = sc->s + i;
	size_t left = sc->n - i;
	if (left >= 4 && memcmp(s, "<!--", 4) == 0)
		return comment_end(sc, i);
	if (left >= 2 && s[1] == '!') {
		/* CDATA is a section in foreign content, a bogus comment
		 * elsewhere: the two end differently. */
		if (in_foreign(sc) && left >= 9 && memcmp(s, "<![CDATA[", 9) == 0)
			sc->ambiguous = true;
		return skip_to_gt(sc, i + 2);
	}
	if (left >= 2 && s[1] == '?')
		return skip_to_gt(sc, i + 2);
	if (left >= 3 && s[1] == '/' && is_alpha(s[2]))
		return tag(sc, i + 2, true);
	if (left >= 2 && s[1] == '/')
		return skip_to_gt(sc, i + 2); /* "</>" is dropped, "</1" a bogus comment */
	if (left >= 2 && is_alpha(s[1]))
		return tag(sc, i + 1, false);
	return i + 1; /* a '<' that starts nothing is text */
}

static void scan_html(struct scan *sc)
{
	size_t i = 0;
	while (i < sc->n && !sc->found) {
		const char *lt = memchr(sc->s + i, '<', sc->n - i);
		if (!lt)
			break;
		i = markup(sc, (size_t)(lt - sc->s));
	}
}

static bool scan_document(const char *html, size_t len, unsigned srcdoc)
{
	struct scan sc = { .s = html, .n = len, .srcdoc = srcdoc };
	scan_html(&sc);
	if (!sc.found && sc.ambiguous) {
		struct matcher m = { .len = 0 };
		match_text(&m, html, len);
		sc.found = m.found;
	}
	return sc.found;
}

bool htmlscan_has_script_url(const char *html, size_t len)
{
	return scan_document(html, len, 0);
}

void htmlscan_attrs(const char *html, size_t len, htmlscan_attr_fn fn, void *ctx)
{
	struct scan sc = { .s = html, .n = len, .fn = fn, .ctx = ctx };
	scan_html(&sc);
}
