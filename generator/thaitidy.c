/* SPDX-License-Identifier: MIT */
#include "thaitidy.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "namefold.h"
#include "utf8.h"
#include "util.h"

/* A code point of the line being tidied, with its column in the file. */
struct ch {
	uint32_t cp;
	unsigned col;
};

struct tidy {
	const char *path;
	struct diag_list *diags;
	size_t notes;
	unsigned line;
	bool changed;
	bool shortcut; /* copy clean lines (line_is_clean) as they are */
};

static bool is_thai(uint32_t cp)
{
	return cp >= 0x0e01 && cp <= 0x0e5b;
}

/* Marks written above or below the consonant before them. */
static bool is_thai_mark(uint32_t cp)
{
	return cp == 0x0e31 || (cp >= 0x0e33 && cp <= 0x0e3a) || (cp >= 0x0e47 && cp <= 0x0e4e);
}

/* Tone marks and THANTHAKHAT: they sit on top, after any vowel. */
static bool is_tone(uint32_t cp)
{
	return cp >= 0x0e48 && cp <= 0x0e4c;
}

/* Vowels above or below the consonant, which come before a tone mark. */
static bool is_vowel_mark(uint32_t cp)
{
	return cp == 0x0e31 || (cp >= 0x0e34 && cp <= 0x0e3a);
}

static bool is_zero_width(uint32_t cp)
{
	return cp == 0x200b || cp == 0x200c || cp == 0x200d || cp == 0x2060 || cp == 0xfeff;
}

static const char *name_of(uint32_t cp)
{
	switch (cp) {
	case 0x0e31: return "MAI HAN-AKAT";
	case 0x0e33: return "SARA AM";
	case 0x0e34: return "SARA I";
	case 0x0e35: return "SARA II";
	case 0x0e36: return "SARA UE";
	case 0x0e37: return "SARA UEE";
	case 0x0e38: return "SARA U";
	case 0x0e39: return "SARA UU";
	case 0x0e3a: return "PHINTHU";
	case 0x0e47: return "MAITAIKHU";
	case 0x0e48: return "MAI EK";
	case 0x0e49: return "MAI THO";
	case 0x0e4a: return "MAI TRI";
	case 0x0e4b: return "MAI CHATTAWA";
	case 0x0e4c: return "THANTHAKHAT";
	case 0x0e4d: return "NIKHAHIT";
	case 0x0e4e: return "YAMAKKAN";
	case 0x200b: return "ZERO WIDTH SPACE";
	case 0x200c: return "ZERO WIDTH NON-JOINER";
	case 0x200d: return "ZERO WIDTH JOINER";
	case 0x2060: return "WORD JOINER";
	case 0xfeff: return "ZERO WIDTH NO-BREAK SPACE";
	default: return "mark";
	}
}

static void note(struct tidy *t, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(struct tidy *t, unsigned col, const char *fmt, ...)
{
	t->changed = true;
	if (t->notes++ >= THAITIDY_MAX_NOTES)
		return;
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	diag_add(t->diags, DIAG_NOTE, t->path, t->line, col, "fixed Thai spelling: %s", msg.ptr);
	buf_free(&msg);
}

/* The Thai rules over one line's code points, appended to out. */
static void tidy_chars(struct tidy *t, const struct ch *c, size_t n, struct buf *out)
{
	uint32_t last = 0; /* the last code point written */
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = c[i].cp;
		uint32_t next = i + 1 < n ? c[i + 1].cp : 0;
		if (is_zero_width(cp) && is_thai(last)) {
			size_t j = i + 1;
			while (j < n && is_zero_width(c[j].cp))
				j++;
			if (j < n && is_thai(c[j].cp)) {
				note(t, c[i].col, "removed a %s (U+%04X) inside a Thai word",
				     name_of(cp), (unsigned)cp);
				continue;
			}
		}
		if (cp == 0x0e4d && (next == 0x0e32 ||
				     (is_tone(next) && i + 2 < n && c[i + 2].cp == 0x0e32))) {
			note(t, c[i].col, "SARA AM typed as NIKHAHIT + SARA AA (U+0E4D U+0E32); "
			     "wrote SARA AM (U+0E33)");
			if (next != 0x0e32) {
				utf8_put(out, next);
				i++;
			}
			utf8_put(out, 0x0e33);
			last = 0x0e33;
			i++;
			continue;
		}
		if (is_tone(cp) && is_vowel_mark(next)) {
			note(t, c[i].col, "%s (U+%04X) typed before %s (U+%04X); put it after",
			     name_of(cp), (unsigned)cp, name_of(next), (unsigned)next);
			utf8_put(out, next);
			utf8_put(out, cp);
			last = cp;
			i++;
			continue;
		}
		if (cp == 0x0e33 && is_tone(next)) {
			note(t, c[i + 1].col, "%s (U+%04X) typed after SARA AM (U+0E33); "
			     "put it before", name_of(next), (unsigned)next);
			utf8_put(out, next);
			utf8_put(out, cp);
			last = cp;
			i++;
			continue;
		}
		if (is_thai_mark(cp) && cp == last) {
			note(t, c[i].col, "%s (U+%04X) typed twice; kept one", name_of(cp),
			     (unsigned)cp);
			continue;
		}
		utf8_put(out, cp);
		last = cp;
	}
}

/*
 * True when no rule can change the line and it is in NFC already, found in
 * one pass: no zero-width character and no NIKHAHIT, and no Thai mark right
 * after another but a tone mark after a vowel mark (every rule but those
 * two needs another such pair, SARA AM counted as a mark, and so does any
 * reordering NFC could make of Thai: a vowel's combining class is below a
 * tone's),
 * and only characters NFC keeps as they are (namefold_is_nfc's ranges).
 * Most lines of a Thai page are like this, and are copied as they are.
 */
static bool line_is_clean(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t last = 0;
	for (size_t i = 0, k; i < len; i += k) {
		uint32_t cp;
		if (p[i] < 0x80) {
			k = 1;
			last = p[i];
			continue;
		}
		/* The Thai block, E0 B8 80 to E0 B9 BF, is most of a Thai page. */
		if (p[i] == 0xe0 && (p[i + 1] == 0xb8 || p[i + 1] == 0xb9)) {
			k = 3;
			cp = (uint32_t)(p[i + 1] & 0x3f) << 6 | (p[i + 2] & 0x3fu);
		} else {
			cp = utf8_next(p + i, len - i, &k);
			bool stable = cp < 0x100 || (cp >= 0x0e00 && cp <= 0x0e7f) ||
				      (cp >= 0x2002 && cp <= 0x205f);
			if (!stable || is_zero_width(cp))
				return false;
		}
		if (cp == 0x0e4d)
			return false;
		/* A vowel above or below, then a tone mark, is the right order,
		 * and the commonest pair of marks by far. */
		if (is_thai_mark(cp) && is_thai_mark(last) && !(is_vowel_mark(last) && is_tone(cp)))
			return false;
		last = cp;
	}
	return true;
}

/* Tidies one line (without its LF) into out. */
static void tidy_line(struct tidy *t, const char *s, size_t len, struct ch **chars,
		      size_t *cap, struct buf *out)
{
	if (t->shortcut && line_is_clean(s, len)) {
		buf_put(out, s, len);
		return;
	}
	if (*cap < len) {
		*cap = len;
		*chars = xrealloc(*chars, len * sizeof **chars);
	}
	size_t n = 0;
	unsigned col = 1;
	for (size_t i = 0, k; i < len; i += k)
		(*chars)[n++] = (struct ch){ utf8_next((const unsigned char *)s + i, len - i, &k), col++ };
	size_t start = out->len;
	tidy_chars(t, *chars, n, out);
	size_t nfc_len = 0;
	char *nfc = namefold_nfc(out->ptr + start, out->len - start, &nfc_len);
	if (!nfc)
		return;
	/* The column of the first character NFC changed, counted in the
	 * line as the rules left it. */
	const char *line = out->ptr + start;
	size_t same = 0;
	while (same < nfc_len && same < out->len - start && line[same] == nfc[same])
		same++;
	unsigned at = 1;
	for (size_t i = 0; i < same; i++)
		at += ((unsigned char)line[i] & 0xc0) != 0x80;
	note(t, at, "changed to Unicode's composed form (NFC)");
	buf_truncate(out, start);
	buf_put(out, nfc, nfc_len);
	free(nfc);
}

static char *tidy_text(const char *path, const char *text, size_t len, size_t *out_len,
		       struct diag_list *diags, bool shortcut)
{
	struct tidy t = { path, diags, 0, 0, false, shortcut };
	struct buf out = BUF_INIT;
	struct ch *chars = NULL;
	size_t cap = 0;
	/* Clean lines are not copied one by one: text[clean_from, i) is a run
	 * of them, copied in one piece before the next line that changes, and
	 * not at all when none does (the common case). */
	size_t clean_from = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t next = end + (nl != NULL);
		t.line++;
		if (shortcut && line_is_clean(text + i, end - i)) {
			i = next;
			continue;
		}
		buf_put(&out, text + clean_from, i - clean_from);
		tidy_line(&t, text + i, end - i, &chars, &cap, &out);
		if (nl)
			buf_putc(&out, '\n');
		i = clean_from = next;
	}
	if (t.changed)
		buf_put(&out, text + clean_from, len - clean_from);
	free(chars);
	if (t.notes > THAITIDY_MAX_NOTES)
		diag_add(diags, DIAG_NOTE, path, 0, 0,
			 "fixed Thai spelling: %zu more fixes in this file not listed",
			 t.notes - THAITIDY_MAX_NOTES);
	if (!t.changed) {
		buf_free(&out);
		return NULL;
	}
	*out_len = out.len;
	return buf_detach(&out);
}

char *thaitidy(const char *path, const char *text, size_t len, size_t *out_len,
	       struct diag_list *diags)
{
	return tidy_text(path, text, len, out_len, diags, true);
}

char *thaitidy_every_line(const char *path, const char *text, size_t len, size_t *out_len,
			  struct diag_list *diags)
{
	return tidy_text(path, text, len, out_len, diags, false);
}
