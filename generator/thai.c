/* SPDX-License-Identifier: MIT */
#include "thai.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <thai/thbrk.h>
#include <thai/thwbrk.h>
#include <wchar.h>

#include "utf8.h"
#include "util.h"

/* Code points read past the cut so that libthai sees the whole word that
 * the cut falls in: longer than any Thai word in its dictionary. */
#define CONTEXT_CHARS 64

struct thai {
	ThBrk *brk;
};

struct thai *thai_new(void)
{
	ThBrk *brk = th_brk_new(NULL);
	if (!brk)
		return NULL;
	struct thai *t = xmalloc(sizeof *t);
	t->brk = brk;
	return t;
}

void thai_free(struct thai *t)
{
	if (!t)
		return;
	th_brk_delete(t->brk);
	free(t);
}

/* Marks that belong to the character before them. */
static bool is_mark(uint32_t cp)
{
	return cp == 0x0e31 || (cp >= 0x0e33 && cp <= 0x0e3a) || (cp >= 0x0e47 && cp <= 0x0e4e) ||
	       (cp >= 0x0300 && cp <= 0x036f) || cp == 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f);
}

/* Thai vowels written before the consonant they follow in speech. */
static bool is_leading_vowel(uint32_t cp)
{
	return cp >= 0x0e40 && cp <= 0x0e44;
}

static bool is_thai(uint32_t cp)
{
	return cp >= 0x0e00 && cp <= 0x0e7f;
}

/* The text decoded up to some point: code points and where each starts. */
struct decoded {
	wchar_t *cps;
	size_t *at; /* byte offset of each code point, plus one past the last */
	size_t n;
};

static void decode_prefix(const char *text, size_t len, size_t max, struct decoded *d)
{
	d->cps = xmalloc((max + 1) * sizeof *d->cps);
	d->at = xmalloc((max + 1) * sizeof *d->at);
	size_t i = 0, n = 0;
	while (i < len && n < max) {
		size_t k;
		d->cps[n] = (wchar_t)utf8_next((const unsigned char *)text + i, len - i, &k);
		d->at[n++] = i;
		i += k;
	}
	d->cps[n] = 0;
	d->at[n] = i;
	d->n = n;
}

/* True if a cut before code point k splits no grapheme. */
static bool grapheme_boundary(const struct decoded *d, size_t k)
{
	if (k == 0 || k >= d->n)
		return true;
	return !is_mark((uint32_t)d->cps[k]) && !is_leading_vowel((uint32_t)d->cps[k - 1]);
}

/*
 * The last Thai word boundary after code point from and at or before code
 * point limit, or 0. The caller cuts at a space when there is no later
 * boundary, so only the text after the last space before limit is broken:
 * libthai starts afresh after a space, and breaking a whole excerpt's
 * text, most of it Thai, cost about as much as indexing its words.
 */
static size_t last_thai_break(struct thai *t, const struct decoded *d, size_t from,
			      size_t limit)
{
	bool thai = false;
	for (size_t k = 0; k < d->n && !thai; k++)
		thai = is_thai((uint32_t)d->cps[k]);
	if (!t || !thai || d->n - from > INT32_MAX)
		return 0;
	size_t n = d->n - from;
	int *pos = xmalloc(n * sizeof *pos);
	int found = th_brk_wc_find_breaks(t->brk, (const thwchar_t *)d->cps + from, pos, n);
	size_t best = 0;
	for (int i = 0; i < found; i++) {
		size_t at = from + (size_t)pos[i];
		if (pos[i] > 0 && at <= limit && grapheme_boundary(d, at))
			best = at;
	}
	free(pos);
	return best;
}

size_t thai_cut(struct thai *t, const char *text, size_t len, size_t max_chars)
{
	struct decoded d;
	decode_prefix(text, len, max_chars + CONTEXT_CHARS, &d);
	size_t cut;
	if (d.n <= max_chars && d.at[d.n] == len) {
		cut = len;
		goto out;
	}
	size_t limit = max_chars;
	while (limit > 0 && !grapheme_boundary(&d, limit))
		limit--;
	size_t word = 0;
	for (size_t k = limit; k > 0 && !word; k--) {
		if (d.cps[k] == ' ')
			word = k;
	}
	size_t thai_word = last_thai_break(t, &d, word, limit);
	if (thai_word > word)
		word = thai_word;
	size_t k = word >= max_chars / 2 ? word : limit;
	while (k > 0 && d.cps[k - 1] == ' ')
		k--;
	cut = d.at[k];
out:
	free(d.cps);
	free(d.at);
	return cut;
}

/* A piece of a run, whose word offsets are shifted by base. */
struct piece {
	void (*word)(void *ctx, size_t start, size_t n);
	void *ctx;
	size_t base;
};

/* Calls pc's word for each word of at most THAI_RUN_MAX code points of a run. */
static void words_of_piece(struct thai *t, const char *text, size_t len, const struct piece *pc)
{
	struct decoded d;
	decode_prefix(text, len, THAI_RUN_MAX + CONTEXT_CHARS, &d);
	int *pos = xmalloc((d.n + 1) * sizeof *pos);
	int found = t && d.n > 0 ? th_brk_wc_find_breaks(t->brk, (const thwchar_t *)d.cps, pos,
							 d.n)
				 : 0;
	size_t from = 0;
	for (int i = 0; i <= found; i++) {
		size_t to = i < found ? (size_t)pos[i] : d.n;
		if (to <= from || to > d.n || !grapheme_boundary(&d, to))
			continue;
		pc->word(pc->ctx, pc->base + d.at[from], d.at[to] - d.at[from]);
		from = to;
	}
	free(pos);
	free(d.cps);
	free(d.at);
}

void thai_words(struct thai *t, const char *text, size_t len,
		void (*word)(void *ctx, size_t start, size_t n), void *ctx)
{
	size_t at = 0;
	while (at < len) {
		/* The piece ends THAI_RUN_MAX code points on, with the marks
		 * that belong to its last letter. */
		size_t end = at, count = 0, k;
		while (end < len && count < THAI_RUN_MAX) {
			utf8_next((const unsigned char *)text + end, len - end, &k);
			end += k;
			count++;
		}
		while (end < len && is_mark(utf8_next((const unsigned char *)text + end, len - end, &k)))
			end += k;
		struct piece pc = { word, ctx, at };
		words_of_piece(t, text + at, end - at, &pc);
		at = end;
	}
}

#define MAIYAMOK "\u0e46"
#define NBSP "\u00a0"

/* Whether the n bytes before text + at end with an era abbreviation:
 * พ.ศ. (Buddhist Era) or ค.ศ. (Common Era), the last dot optional. */
static bool after_era(const char *text, size_t at)
{
	static const char *const eras[] = { "\u0e1e.\u0e28.", "\u0e04.\u0e28.",
					    "\u0e1e.\u0e28", "\u0e04.\u0e28" };
	for (size_t i = 0; i < sizeof eras / sizeof *eras; i++) {
		size_t n = strlen(eras[i]);
		if (at >= n && memcmp(text + at - n, eras[i], n) == 0)
			return true;
	}
	return false;
}

/* Whether text + at (of len bytes) starts with an Arabic or Thai digit. */
static bool digit_at(const char *text, size_t at, size_t len)
{
	if (at < len && text[at] >= '0' && text[at] <= '9')
		return true;
	/* ๐-๙: U+0E50-U+0E59, E0 B9 90-99 */
	return at + 2 < len && (unsigned char)text[at] == 0xE0 &&
	       (unsigned char)text[at + 1] == 0xB9 && (unsigned char)text[at + 2] >= 0x90 &&
	       (unsigned char)text[at + 2] <= 0x99;
}

void thai_typeset(const char *text, size_t len, struct buf *out)
{
	size_t done = 0;
	for (size_t i = 0; i < len;) {
		if (text[i] != ' ') {
			i++;
			continue;
		}
		size_t end = i;
		while (end < len && text[end] == ' ')
			end++;
		size_t mk = sizeof MAIYAMOK - 1;
		bool before_mk = end + mk <= len && memcmp(text + end, MAIYAMOK, mk) == 0;
		if (before_mk || (after_era(text, i) && digit_at(text, end, len))) {
			buf_put(out, text + done, i - done);
			BUF_PUTL(out, NBSP);
			done = end;
		}
		i = end;
	}
	buf_put(out, text + done, len - done);
}
