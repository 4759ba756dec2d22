/* SPDX-License-Identifier: MIT */
#include "search.h"

#include <fcntl.h>
#include <libstemmer.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cachekey.h"
#include "hmap.h"
#include "pool.h"
#include "thai.h"
#include "thaitidy.h"
#include "url.h"
#include "utf8.h"
#include "util.h"

/* A page's weight for a term: in its title (bit 7), how often (the rest). */
#define W_TITLE 0x80u
#define W_TF_MAX 0x7fu

struct term {
	char *text;
	enum search_kind kind;
};

struct surface {
	char *text;
	uint32_t stem; /* term number */
};

/*
 * A page's record: its terms, their weights, the English words it holds,
 * packed into one allocation: the term numbers in ascending order, each as
 * the LEB128 gap from the one before followed by its weight byte, then the
 * word numbers likewise without weights. Most gaps take one byte, so a
 * term costs about two bytes rather than five, and the records are most of
 * what the index keeps while the pages render.
 */
struct doc {
	unsigned char *packed;
	uint32_t nterms;
	uint32_t nsurfaces;
	/* What its excerpt is cut from (page_text): at text_at in the texts
	 * file, or in text when that file could not be written. */
	char *text;
	uint64_t text_at;
	uint32_t text_len;
	bool set;
};

/* Reads a record's numbers in order. */
struct doc_cursor {
	const unsigned char *p;
	uint32_t last;
};

static uint32_t cursor_next(struct doc_cursor *c)
{
	uint32_t v = 0;
	for (int shift = 0;; shift += 7) {
		unsigned char byte = *c->p++;
		v |= (uint32_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80))
			break;
	}
	c->last += v;
	return c->last;
}

/* A term number and its weight as one key: sorting the keys sorts by term. */
static uint64_t term_weight(uint32_t term, uint8_t weight)
{
	return (uint64_t)term << 8 | weight;
}

/* Sorts a[0..n) (a merge sort from the bottom up, tmp as large as a):
 * qsort's calls through a pointer were most of packing a record. */
static void sort_keys(uint64_t *a, uint64_t *tmp, size_t n)
{
	size_t sorted = 1;
	while (sorted < n && a[sorted - 1] <= a[sorted])
		sorted++;
	if (sorted >= n)
		return; /* a record read back from the records file mostly is */
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = a[j] < a[i] ? a[j++] : a[i++];
			while (i < mid)
				tmp[k++] = a[i++];
			while (j < hi)
				tmp[k++] = a[j++];
		}
		memcpy(a, tmp, n * sizeof *a);
	}
}

static size_t gap_bytes(uint64_t v)
{
	size_t n = 1;
	while (v > 0x7f) {
		v >>= 7;
		n++;
	}
	return n;
}

static unsigned char *put_gap(unsigned char *p, uint64_t v)
{
	do {
		*p++ = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	return p;
}

/* Packs a record: keys holds nt term keys (term_weight) and then ns word
 * numbers; tmp is as large. Both are reordered. */
static struct doc doc_pack(uint64_t *keys, uint64_t *tmp, uint32_t nt, uint32_t ns)
{
	sort_keys(keys, tmp, nt);
	sort_keys(keys + nt, tmp, ns);
	size_t size = nt;
	uint64_t last = 0;
	for (uint32_t k = 0; k < nt; last = keys[k++] >> 8)
		size += gap_bytes((keys[k] >> 8) - last);
	last = 0;
	for (uint32_t k = nt; k < nt + ns; last = keys[k++])
		size += gap_bytes(keys[k] - last);
	struct doc d = { .nterms = nt, .nsurfaces = ns, .set = true };
	d.packed = xmalloc(size ? size : 1);
	unsigned char *p = d.packed;
	last = 0;
	for (uint32_t k = 0; k < nt; last = keys[k++] >> 8) {
		p = put_gap(p, (keys[k] >> 8) - last);
		*p++ = (unsigned char)(keys[k] & 0xff);
	}
	last = 0;
	for (uint32_t k = nt; k < nt + ns; last = keys[k++])
		p = put_gap(p, keys[k] - last);
	return d;
}

/*
 * What one thread remembers of the words it has split: a site repeats its
 * words and phrases, and libthai's breaker and the stemmer are most of
 * the index's cost. Each table holds at most MEMO_MAX entries, then
 * starts again empty.
 */
#define MEMO_MAX 32768
/* Thai runs longer than this (bytes) are split without the memo: a
 * phrase repeats, a paragraph rarely does. */
#define MEMO_RUN_MAX 240

struct split {
	size_t n;
	uint16_t len[]; /* bytes of each word, in order */
};

struct worker {
	struct sb_stemmer *stemmer; /* not reentrant: one per thread */
	struct hmap stems;          /* word -> its stem (owned string) */
	struct hmap runs;           /* Thai run -> struct split (owned) */
};

struct search {
	struct thai *thai;
	unsigned nworkers;
	struct worker *workers;
	/* The texts file: an unlinked temporary file the texts of the records
	 * wait in (2 KB a page, 40 MB at 20,000 pages, read once by
	 * search_write and once by search_save), appended to by several
	 * threads at once; -1 when none could be made (texts then stay in
	 * memory). Space a replaced record leaves is not reused: a session
	 * replaces only the pages edited. */
	int texts_fd;
	atomic_uint_least64_t texts_end;
	/* What search_load found: the records file was read to its end, with
	 * records_read records, records_taken of them taken; and how many
	 * pages search_add_page has gathered since. When every record was
	 * taken and none gathered, search_save has nothing new to write. */
	bool records_whole;
	size_t records_read, records_taken;
	atomic_size_t gathered;
	pthread_mutex_t lock;         /* guards what follows */
	struct hmap term_ids;         /* text -> number + 1 */
	struct hmap surface_ids;
	struct term *terms;
	size_t nterms, terms_cap;
	struct surface *surfaces;
	size_t nsurfaces, surfaces_cap;
	struct doc *docs; /* by page->index */
	size_t ndocs;
};

struct search *search_new(unsigned nworkers, struct thai *thai)
{
	if (nworkers == 0)
		nworkers = 1;
	struct search *s = xcalloc(1, sizeof *s);
	s->thai = thai;
	s->nworkers = nworkers;
	s->workers = xcalloc(nworkers, sizeof *s->workers);
	FILE *texts = tmpfile();
	s->texts_fd = texts ? fcntl(fileno(texts), F_DUPFD_CLOEXEC, 0) : -1;
	if (texts)
		fclose(texts);
	atomic_init(&s->texts_end, 0);
	atomic_init(&s->gathered, 0);
	pthread_mutex_init(&s->lock, NULL);
	hmap_init(&s->term_ids);
	hmap_init(&s->surface_ids);
	for (unsigned i = 0; i < nworkers; i++) {
		hmap_init(&s->workers[i].stems);
		hmap_init(&s->workers[i].runs);
		s->workers[i].stemmer = sb_stemmer_new("english", "UTF_8");
		if (!s->workers[i].stemmer) {
			search_free(s);
			return NULL;
		}
	}
	return s;
}

static void doc_clear(struct doc *d)
{
	free(d->packed);
	free(d->text);
	*d = (struct doc){ 0 };
}

/* Gives d the text its excerpt is cut from (owned): into the texts file
 * where it can, else kept as it is. Safe on several threads at once. */
static void doc_set_text(struct search *s, struct doc *d, char *text)
{
	size_t len = strlen(text);
	d->text_len = (uint32_t)len;
	if (s->texts_fd >= 0 && len > 0) {
		uint64_t at = atomic_fetch_add(&s->texts_end, len);
		size_t done = 0;
		while (done < len) {
			ssize_t n = pwrite(s->texts_fd, text + done, len - done, (off_t)(at + done));
			if (n <= 0)
				break;
			done += (size_t)n;
		}
		if (done == len) {
			d->text_at = at;
			free(text);
			return;
		}
	}
	d->text = text;
}

/* A copy of d's text (free it); a texts file that cannot be read back
 * gives "" (the result then shows no excerpt). */
static char *doc_get_text(const struct search *s, const struct doc *d)
{
	if (d->text || d->text_len == 0)
		return xstrdup(d->text ? d->text : "");
	char *text = xmalloc((size_t)d->text_len + 1);
	size_t done = 0;
	while (done < d->text_len) {
		ssize_t n = pread(s->texts_fd, text + done, d->text_len - done,
				  (off_t)(d->text_at + done));
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	text[done == d->text_len ? done : 0] = '\0';
	return text;
}

/* Empties a memo table, freeing its values. */
static void memo_clear(struct hmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			free(m->slots[i].value);
	hmap_free(m);
	hmap_init(m);
}

void search_free(struct search *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->nworkers; i++) {
		struct worker *w = &s->workers[i];
		if (w->stemmer)
			sb_stemmer_delete(w->stemmer);
		memo_clear(&w->stems);
		memo_clear(&w->runs);
		hmap_free(&w->stems);
		hmap_free(&w->runs);
	}
	free(s->workers);
	if (s->docs) {
		for (size_t i = 0; i < s->ndocs; i++)
			doc_clear(&s->docs[i]);
		free(s->docs);
	}
	for (size_t i = 0; i < s->nterms; i++)
		free(s->terms[i].text);
	free(s->terms);
	for (size_t i = 0; i < s->nsurfaces; i++)
		free(s->surfaces[i].text);
	free(s->surfaces);
	hmap_free(&s->term_ids);
	hmap_free(&s->surface_ids);
	pthread_mutex_destroy(&s->lock);
	if (s->texts_fd >= 0)
		close(s->texts_fd);
	free(s);
}

/* Thai letters, vowels and marks: what libthai splits into words. ฯ
 * (U+0E2F), ๆ (U+0E46), the digits and ๏ ๚ ๛ are not. */
static bool is_thai_letter(uint32_t cp)
{
	return (cp >= 0x0e01 && cp <= 0x0e2e) || (cp >= 0x0e30 && cp <= 0x0e3a) ||
	       (cp >= 0x0e40 && cp <= 0x0e45) || (cp >= 0x0e47 && cp <= 0x0e4e);
}

static bool is_thai_digit(uint32_t cp)
{
	return cp >= 0x0e50 && cp <= 0x0e59;
}

/* Latin letters of ASCII, Latin-1 and Latin Extended-A and B. */
static bool is_latin(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	       (cp >= 0xc0 && cp <= 0x24f && cp != 0xd7 && cp != 0xf7);
}

static bool is_digit(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || is_thai_digit(cp);
}

/* Lower case of a Latin letter: ASCII, Latin-1, and the pairs of Latin
 * Extended-A (even capital, odd small), which is what English text and
 * names in it hold. */
static uint32_t lower(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
		return cp + 32;
	if (cp >= 0x100 && cp <= 0x137 && cp % 2 == 0)
		return cp + 1;
	return cp;
}

struct tokenizer {
	struct search *s;
	struct worker *w;
	/* English words go out unstemmed (term NULL): the page's gathering
	 * stems a word the first time the page has it. */
	bool unstemmed;
	void (*token)(void *ctx, const struct search_token *tok);
	void *ctx;
};

/* The stem of the lower-cased word (len bytes, NUL-terminated), from the
 * thread's memo or Snowball; NULL when the stemmer fails. */
static const char *stem_of(struct worker *w, const char *word, size_t len)
{
	const char *stem = hmap_get(&w->stems, word);
	if (stem)
		return stem;
	const sb_symbol *st = sb_stemmer_stem(w->stemmer, (const sb_symbol *)word, (int)len);
	if (!st)
		return NULL;
	if (w->stems.len >= MEMO_MAX)
		memo_clear(&w->stems);
	char *copy = xstrndup((const char *)st, (size_t)sb_stemmer_length(w->stemmer));
	hmap_put(&w->stems, word, copy);
	return copy;
}

static void thai_word(const struct tokenizer *tk, const char *word, size_t n)
{
	if (n == 0 || n > SEARCH_WORD_MAX)
		return;
	struct search_token tok = { SEARCH_THAI, word, n, NULL, 0 };
	tk->token(tk->ctx, &tok);
}

/* Word lengths as libthai gives them, gathered for the memo. */
struct lengths {
	uint16_t *len;
	size_t n, cap;
};

static void add_length(void *ctx, size_t start, size_t n)
{
	(void)start; /* the words follow each other */
	struct lengths *l = ctx;
	l->len = xgrow(l->len, &l->cap, l->n + 1, sizeof *l->len);
	l->len[l->n++] = (uint16_t)n;
}

struct direct {
	const struct tokenizer *tk;
	const char *run;
};

static void direct_word(void *ctx, size_t start, size_t n)
{
	const struct direct *d = ctx;
	thai_word(d->tk, d->run + start, n);
}

/* The words of a run of Thai letters, from the memo when it was seen. */
static void thai_run(const struct tokenizer *tk, const char *run, size_t len)
{
	if (len > MEMO_RUN_MAX) {
		struct direct d = { tk, run };
		thai_words(tk->s->thai, run, len, direct_word, &d);
		return;
	}
	char key[MEMO_RUN_MAX + 1];
	memcpy(key, run, len);
	key[len] = '\0';
	struct worker *w = tk->w;
	const struct split *sp = hmap_get(&w->runs, key);
	if (!sp) {
		struct lengths l = { 0 };
		thai_words(tk->s->thai, run, len, add_length, &l);
		struct split *made = xmalloc(sizeof *made + (l.n ? l.n : 1) * sizeof *made->len);
		made->n = l.n;
		if (l.n)
			memcpy(made->len, l.len, l.n * sizeof *l.len);
		free(l.len);
		if (w->runs.len >= MEMO_MAX)
			memo_clear(&w->runs);
		hmap_put(&w->runs, key, made);
		sp = made;
	}
	size_t at = 0;
	for (size_t i = 0; i < sp->n; i++) {
		thai_word(tk, run + at, sp->len[i]);
		at += sp->len[i];
	}
}

/* A run of Latin letters and digits, lower-cased in word. */
static void latin_word(const struct tokenizer *tk, const struct buf *word, bool letters)
{
	if (word->len == 0 || word->len > SEARCH_WORD_MAX)
		return;
	struct search_token tok = { SEARCH_NUMBER, word->ptr, word->len, NULL, 0 };
	if (letters) {
		const char *stem = tk->unstemmed ? NULL : stem_of(tk->w, word->ptr, word->len);
		if (!stem && !tk->unstemmed)
			return;
		tok = (struct search_token){ SEARCH_STEM, stem, stem ? strlen(stem) : 0, word->ptr,
					     word->len };
	}
	tk->token(tk->ctx, &tok);
}

/* Whether text holds what the Thai tidying may change: a Thai character,
 * or a zero-width one (U+200B-U+200D, U+2060, U+FEFF). */
static bool may_need_tidying(const char *text, size_t len)
{
	const unsigned char *u = (const unsigned char *)text;
	const unsigned char *end = u + len;
	for (const unsigned char *p = memchr(u, 0xe0, len); p;
	     p = memchr(p + 1, 0xe0, (size_t)(end - p - 1)))
		if (p + 1 < end && (p[1] == 0xb8 || p[1] == 0xb9))
			return true;
	for (size_t i = 0; i + 2 < len; i++) {
		if (u[i] == 0xe2 && ((u[i + 1] == 0x80 && u[i + 2] >= 0x8b && u[i + 2] <= 0x8d) ||
				     (u[i + 1] == 0x81 && u[i + 2] == 0xa0)))
			return true;
		if (u[i] == 0xef && u[i + 1] == 0xbb && u[i + 2] == 0xbf)
			return true;
	}
	return false;
}

static void tokenize(struct search *s, unsigned worker, const char *text, size_t len, bool tidied,
		     bool unstemmed, void (*token)(void *ctx, const struct search_token *tok),
		     void *ctx)
{
	char *tidy = NULL;
	if (!tidied && may_need_tidying(text, len)) {
		struct diag_list ignored;
		diag_list_init(&ignored);
		size_t tidy_len;
		tidy = thaitidy("", text, len, &tidy_len, &ignored);
		diag_list_free(&ignored);
		if (tidy) {
			text = tidy;
			len = tidy_len;
		}
	}
	struct tokenizer tk = { s, &s->workers[worker < s->nworkers ? worker : 0], unstemmed, token,
				ctx };
	const unsigned char *u = (const unsigned char *)text;
	struct buf word = BUF_INIT;
	size_t i = 0;
	while (i < len) {
		size_t k;
		uint32_t cp = utf8_next(u + i, len - i, &k);
		if (is_thai_letter(cp)) {
			size_t start = i;
			while (i < len && is_thai_letter(utf8_next(u + i, len - i, &k)))
				i += k;
			thai_run(&tk, text + start, i - start);
			continue;
		}
		if (!is_latin(cp) && !is_digit(cp)) {
			i += k;
			continue;
		}
		buf_truncate(&word, 0);
		bool letters = false;
		while (i < len) {
			cp = utf8_next(u + i, len - i, &k);
			if (cp < 0x80 && is_latin(cp)) {
				letters = true;
				buf_putc(&word, (char)(cp | 0x20));
			} else if (is_latin(cp)) {
				letters = true;
				utf8_put(&word, lower(cp));
			} else if (is_thai_digit(cp)) {
				buf_putc(&word, (char)('0' + (cp - 0x0e50)));
			} else if (cp >= '0' && cp <= '9') {
				buf_putc(&word, (char)cp);
			} else if ((cp == '\'' || cp == 0x2019) && i + k < len && letters) {
				/* An apostrophe inside a word ("women's") stays
				 * in it: the stemmer knows what to do with it. */
				size_t k2;
				if (!is_latin(utf8_next(u + i + k, len - i - k, &k2)))
					break;
				buf_putc(&word, '\'');
			} else {
				break;
			}
			i += k;
		}
		latin_word(&tk, &word, letters);
	}
	buf_free(&word);
	free(tidy);
}

void search_tokenize(struct search *s, unsigned worker, const char *text, size_t len,
		     void (*token)(void *ctx, const struct search_token *tok), void *ctx)
{
	tokenize(s, worker, text, len, false, false, token, ctx);
}

/* The code point of a character reference's name, or 0. */
static uint32_t named_reference(const char *name, size_t n)
{
	static const struct {
		const char *name;
		uint32_t cp;
	} refs[] = { { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
		     { "apos", '\'' }, { "nbsp", ' ' }, { "rsquo", 0x2019 } };
	for (size_t i = 0; i < sizeof refs / sizeof *refs; i++)
		if (strlen(refs[i].name) == n && memcmp(refs[i].name, name, n) == 0)
			return refs[i].cp;
	return 0;
}

/* Decodes the character reference at html[i] ('&'); returns the bytes it
 * took, or 0 when it is none (the '&' is then text). */
static size_t reference(const char *html, size_t len, size_t i, struct buf *out)
{
	size_t j = i + 1;
	uint32_t cp = 0;
	if (j < len && html[j] == '#') {
		j++;
		bool hex = j < len && (html[j] == 'x' || html[j] == 'X');
		j += hex;
		size_t digits = 0;
		while (j < len && digits < 8) {
			char c = html[j];
			int v = c >= '0' && c <= '9' ? c - '0'
				: hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
				: hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (v < 0)
				break;
			cp = cp * (hex ? 16 : 10) + (uint32_t)v;
			j++;
			digits++;
		}
		if (digits == 0)
			return 0;
	} else {
		size_t start = j;
		while (j < len && j - start < 10 && ((html[j] >= 'a' && html[j] <= 'z') ||
						     (html[j] >= 'A' && html[j] <= 'Z')))
			j++;
		cp = named_reference(html + start, j - start);
		if (!cp)
			return 0;
	}
	if (j < len && html[j] == ';')
		j++;
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = ' ';
	utf8_put(out, cp);
	return j - i;
}

/* Whether the tag at html[i] ('<') opens an element whose contents are
 * not text: script or style. */
static const char *raw_element(const char *html, size_t len, size_t i)
{
	static const char *const names[] = { "script", "style" };
	for (size_t n = 0; n < 2; n++) {
		size_t k = strlen(names[n]);
		if (i + 1 + k < len && strncasecmp(html + i + 1, names[n], k) == 0 &&
		    (html[i + 1 + k] == '>' || html[i + 1 + k] == ' ' || html[i + 1 + k] == '\t' ||
		     html[i + 1 + k] == '\n' || html[i + 1 + k] == '/'))
			return names[n];
	}
	return NULL;
}

void search_html_text(const char *html, size_t len, struct buf *out)
{
	size_t i = 0;
	while (i < len) {
		char c = html[i];
		if (c == '&') {
			size_t n = reference(html, len, i, out);
			if (n) {
				i += n;
				continue;
			}
		}
		if (c != '<') {
			/* The text up to the next tag or reference, at once. */
			size_t j = i + 1;
			while (j < len && html[j] != '<' && html[j] != '&')
				j++;
			buf_put(out, html + i, j - i);
			i = j;
			continue;
		}
		const char *raw = raw_element(html, len, i);
		if (html[i + 1 < len ? i + 1 : i] == '!' && i + 3 < len &&
		    memcmp(html + i, "<!--", 4) == 0) {
			const char *end = strstr(html + i + 4, "-->");
			i = end && (size_t)(end - html) < len ? (size_t)(end - html) + 3 : len;
		} else {
			const char *gt = memchr(html + i, '>', len - i);
			i = gt ? (size_t)(gt - html) + 1 : len;
		}
		if (raw) {
			/* Up to the element's end tag. */
			size_t k = strlen(raw);
			while (i < len && !(html[i] == '<' && i + 2 + k <= len && html[i + 1] == '/' &&
					    strncasecmp(html + i + 2, raw, k) == 0))
				i++;
			const char *gt = i < len ? memchr(html + i, '>', len - i) : NULL;
			i = gt ? (size_t)(gt - html) + 1 : len;
		}
		buf_putc(out, ' ');
	}
}

void search_reserve(struct search *s, size_t npages)
{
	if (npages <= s->ndocs)
		return;
	s->docs = xrealloc(s->docs, npages * sizeof *s->docs);
	memset(s->docs + s->ndocs, 0, (npages - s->ndocs) * sizeof *s->docs);
	s->ndocs = npages;
}

/*
 * A page's distinct words as gathered, before interning: open-addressing
 * tables over the page's own strings, so that a page costs one pass over
 * its words and no sort.
 */
struct gathered {
	uint64_t hash;  /* of the text, kept so that growing rehashes nothing */
	uint32_t text;  /* offset in the strings */
	uint32_t len;   /* of the text, in bytes */
	uint32_t term;  /* surfaces: the gathered term they stem to */
	uint32_t tf;
	enum search_kind kind;
	bool title;
};

struct table {
	uint32_t *slots; /* index + 1 into items, 0 empty */
	size_t cap;      /* a power of two */
	struct gathered *items;
	size_t n, items_cap;
};

struct gather {
	struct buf strings;
	struct table terms, surfaces;
	bool title;
	bool tidied; /* the page's text was tidied when read */
	struct worker *w;
};

/* The item of table t whose text is s (len bytes), added when missing. */
static struct gathered *table_find(struct table *t, struct buf *strings, const char *s,
				   size_t len, bool *added)
{
	if (2 * (t->n + 1) > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		uint32_t *slots = xcalloc(cap, sizeof *slots);
		for (size_t i = 0; i < t->n; i++) {
			size_t h = t->items[i].hash & (cap - 1);
			while (slots[h])
				h = (h + 1) & (cap - 1);
			slots[h] = (uint32_t)i + 1;
		}
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	uint64_t hash = hash_words(s, len);
	size_t h = hash & (t->cap - 1);
	for (; t->slots[h]; h = (h + 1) & (t->cap - 1)) {
		struct gathered *it = &t->items[t->slots[h] - 1];
		if (it->hash == hash && it->len == len &&
		    memcmp(strings->ptr + it->text, s, len) == 0) {
			*added = false;
			return it;
		}
	}
	t->items = xgrow(t->items, &t->items_cap, t->n + 1, sizeof *t->items);
	struct gathered *it = &t->items[t->n];
	*it = (struct gathered){ .hash = hash, .text = (uint32_t)strings->len, .len = (uint32_t)len };
	t->slots[h] = (uint32_t)++t->n;
	buf_put(strings, s, len);
	buf_putc(strings, '\0');
	*added = true;
	return it;
}

static void table_free(struct table *t)
{
	free(t->slots);
	free(t->items);
}

/* Counts a word of the page. An English word comes unstemmed: a word
 * the page had before has its term already. */
static void gather_token(void *ctx, const struct search_token *tok)
{
	struct gather *g = ctx;
	bool added;
	struct gathered *it;
	if (tok->kind == SEARCH_STEM) {
		struct gathered *sf = table_find(&g->surfaces, &g->strings, tok->surface,
						 tok->surface_len, &added);
		if (added) {
			/* The strings may move as the term is added: the word is
			 * copied first. A word Snowball cannot stem (out of
			 * memory in libstemmer) is its own stem. */
			char word[SEARCH_WORD_MAX + 1];
			memcpy(word, tok->surface, tok->surface_len);
			word[tok->surface_len] = '\0';
			const char *stem = stem_of(g->w, word, tok->surface_len);
			struct gathered *t = table_find(&g->terms, &g->strings, stem ? stem : word,
							strlen(stem ? stem : word), &added);
			t->kind = SEARCH_STEM;
			sf->term = (uint32_t)(t - g->terms.items);
		}
		it = &g->terms.items[sf->term];
	} else {
		it = table_find(&g->terms, &g->strings, tok->term, tok->len, &added);
		it->kind = tok->kind;
	}
	it->tf++;
	it->title |= g->title;
}

static uint32_t intern_term(struct search *s, const char *text, enum search_kind kind)
{
	void *v = hmap_get(&s->term_ids, text);
	if (v)
		return (uint32_t)((uintptr_t)v - 1);
	s->terms = xgrow(s->terms, &s->terms_cap, s->nterms + 1, sizeof *s->terms);
	s->terms[s->nterms] = (struct term){ xstrdup(text), kind };
	hmap_put(&s->term_ids, text, (void *)(uintptr_t)(s->nterms + 1));
	return (uint32_t)s->nterms++;
}

static uint32_t intern_surface(struct search *s, const char *text, uint32_t stem)
{
	void *v = hmap_get(&s->surface_ids, text);
	if (v)
		return (uint32_t)((uintptr_t)v - 1);
	s->surfaces = xgrow(s->surfaces, &s->surfaces_cap, s->nsurfaces + 1, sizeof *s->surfaces);
	s->surfaces[s->nsurfaces] = (struct surface){ xstrdup(text), stem };
	hmap_put(&s->surface_ids, text, (void *)(uintptr_t)(s->nsurfaces + 1));
	return (uint32_t)s->nsurfaces++;
}

static void gather_text(struct search *s, unsigned worker, struct gather *g, const char *text,
			bool title)
{
	if (!text)
		return;
	g->title = title;
	tokenize(s, worker, text, strlen(text), g->tidied, true, gather_token, g);
}

/* Appends text to out, each run of white space one space, and at most
 * *room bytes of it (never part of a UTF-8 sequence). */
static void put_squeezed(struct buf *out, const char *text, size_t len, size_t *room)
{
	for (size_t i = 0; i < len && *room > 0; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (out->len > 0 && out->ptr[out->len - 1] != ' ') {
				buf_putc(out, ' ');
				(*room)--;
			}
			continue;
		}
		size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (i + n > len || n > *room) {
			*room = 0;
			return;
		}
		buf_put(out, text + i, n);
		*room -= n;
		i += n - 1;
	}
}

/*
 * The text a result's excerpt is cut from: the description, the resource
 * titles, then the body's text, SEARCH_TEXT_BYTES at most, so that a word
 * found in a resource title or further into the body can be shown (the
 * search page cuts the excerpt around the first word found). The body is
 * skipped where it starts with the description (a description is often
 * the first paragraph). Cut at a Thai word boundary by thai_cut.
 */
static char *page_text(const struct search *s, const struct page *page, const char *body)
{
	struct buf b = BUF_INIT;
	size_t room = SEARCH_TEXT_BYTES;
	const char *desc = page->description ? page->description : "";
	put_squeezed(&b, desc, strlen(desc), &room);
	for (size_t i = 0; i < page->fm.nresources; i++) {
		const char *t = page->fm.resources[i].title;
		if (!t)
			continue;
		if (b.len > 0)
			put_squeezed(&b, " \xC2\xB7 ", 4, &room); /* " · " */
		put_squeezed(&b, t, strlen(t), &room);
	}
	if (body) {
		while (*body == ' ' || *body == '\n' || *body == '\t' || *body == '\r')
			body++;
		size_t d = strlen(desc);
		/* The description as the body starts it, up to where it was cut. */
		size_t same = 0;
		while (same < d && body[same] && body[same] == desc[same])
			same++;
		if (d > 0 && same + 4 >= d)
			body += same;
		while (*body == ' ' || *body == '\n' || *body == '\t' || *body == '\r')
			body++;
		if (b.len > 0 && *body)
			put_squeezed(&b, " \xC2\xB7 ", 4, &room);
		put_squeezed(&b, body, strlen(body), &room);
	}
	size_t n = b.len;
	if (room == 0) { /* cut short: back to the last word boundary */
		size_t chars = 0;
		for (size_t i = 0; i < b.len; i++)
			chars += ((unsigned char)b.ptr[i] & 0xC0) != 0x80;
		n = thai_cut(s->thai, b.ptr, b.len, chars - 1);
	}
	while (n > 0 && b.ptr[n - 1] == ' ')
		n--;
	char *text = xstrndup(b.ptr ? b.ptr : "", n);
	buf_free(&b);
	return text;
}

void search_add_page(struct search *s, unsigned worker, const struct page *page,
		     const char *html, bool tidied)
{
	atomic_fetch_add(&s->gathered, 1);
	struct gather g = { .strings = BUF_INIT, .tidied = tidied,
			    .w = &s->workers[worker < s->nworkers ? worker : 0] };
	gather_text(s, worker, &g, page->fm.title, true);
	gather_text(s, worker, &g, page->fm.summary, false);
	for (size_t i = 0; i < page->fm.nresources; i++)
		gather_text(s, worker, &g, page->fm.resources[i].title, false);
	struct buf text = BUF_INIT;
	if (html) {
		search_html_text(html, strlen(html), &text);
		gather_text(s, worker, &g, text.ptr, false);
	}
	size_t nt = g.terms.n, ns = g.surfaces.n;
	uint64_t *keys = xmalloc((nt + ns + 1) * sizeof *keys);
	uint64_t *tmp = xmalloc((nt + ns + 1) * sizeof *tmp);
	const char *strs = g.strings.ptr;
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < nt; i++) {
		const struct gathered *it = &g.terms.items[i];
		uint32_t term = intern_term(s, strs + it->text, it->kind);
		/* The term's number, by the gathered item, for its words. */
		tmp[i] = term;
		keys[i] = term_weight(term, (uint8_t)((it->title ? W_TITLE : 0) |
						      (it->tf < W_TF_MAX ? it->tf : W_TF_MAX)));
	}
	for (size_t i = 0; i < ns; i++)
		keys[nt + i] = intern_surface(s, strs + g.surfaces.items[i].text,
					      (uint32_t)tmp[g.surfaces.items[i].term]);
	pthread_mutex_unlock(&s->lock);
	struct doc d = doc_pack(keys, tmp, (uint32_t)nt, (uint32_t)ns);
	free(keys);
	free(tmp);
	doc_set_text(s, &d, page_text(s, page, text.ptr));
	buf_free(&text);
	/* Each page's task writes its own record only. */
	struct doc *slot = &s->docs[page->index];
	struct doc old = *slot;
	*slot = d;
	doc_clear(&old);
	table_free(&g.terms);
	table_free(&g.surfaces);
	buf_free(&g.strings);
}

bool search_indexes(const struct page *page, size_t lang)
{
	if (page->fm.draft)
		return false;
	return page->lang == lang || site_translation(page, lang) == NULL;
}

bool search_complete(const struct search *s, const struct site *site)
{
	if (s->ndocs < site->npages)
		return false;
	for (size_t i = 0; i < site->npages; i++) {
		const struct page *p = site->pages[i];
		bool indexed = false;
		for (size_t l = 0; l < site->cfg->nlanguages && !indexed; l++)
			indexed = search_indexes(p, l);
		if (indexed && !s->docs[i].set)
			return false;
	}
	return true;
}

char *search_file(const char *code, char kind, size_t k)
{
	if (!kind)
		return xasprintf("%s/search/terms.txt", code);
	return xasprintf("%s/search/%c%zu.txt", code, kind, k);
}

/* The URL-safe base64 digits the script reads. */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The weight class of a posting: in the title (4-7) or not (0-3), and
 * how often, by powers of two (1, 2-3, 4-7, 8 or more). */
static unsigned weight_class(uint8_t w)
{
	unsigned tf = w & W_TF_MAX, bucket = tf >= 8 ? 3 : tf >= 4 ? 2 : tf >= 2 ? 1 : 0;
	return ((w & W_TITLE) ? 4 : 0) + bucket;
}

/* Room put_postings reuses from one term to the next. */
struct postings_scratch {
	uint32_t *by_class; /* the postings' indexes, grouped by class */
	size_t cap;
	struct buf gaps;
};

/*
 * Appends one term's postings: for each weight class that has pages, its
 * digit, then either 'd' and the gaps between the page numbers (five bits
 * a base64 digit, the sixth set on all but a number's last digit) or 'b'
 * and a bitmap of all pages (six a digit), whichever is shorter. The
 * postings are first grouped by class (in page order within each), so
 * that each is read three times, not once per class.
 */
static void put_postings(struct buf *out, const uint32_t *doc, const uint8_t *weight, size_t n,
			 struct postings_scratch *sc)
{
	size_t from[9] = { 0 };
	for (size_t i = 0; i < n; i++)
		from[weight_class(weight[i]) + 1]++;
	for (unsigned c = 0; c < 8; c++)
		from[c + 1] += from[c];
	sc->by_class = xgrow(sc->by_class, &sc->cap, n ? n : 1, sizeof *sc->by_class);
	size_t fill[8];
	memcpy(fill, from, sizeof fill);
	for (size_t i = 0; i < n; i++)
		sc->by_class[fill[weight_class(weight[i])]++] = (uint32_t)i;
	bool first = true;
	for (unsigned c = 8; c-- > 0;) {
		if (from[c] == from[c + 1])
			continue;
		buf_truncate(&sc->gaps, 0);
		int64_t last = -1;
		for (size_t k = from[c]; k < from[c + 1]; k++) {
			uint32_t d = doc[sc->by_class[k]];
			uint32_t gap = (uint32_t)((int64_t)d - last - 1);
			last = d;
			do {
				unsigned digit = gap & 31u;
				gap >>= 5;
				buf_putc(&sc->gaps, b64[digit | (gap ? 32u : 0u)]);
			} while (gap);
		}
		if (!first)
			buf_putc(out, ' ');
		first = false;
		buf_putc(out, (char)('0' + c));
		size_t bitmap_len = ((size_t)last + 6) / 6;
		if (bitmap_len < sc->gaps.len) {
			buf_putc(out, 'b');
			size_t at = out->len;
			for (size_t i = 0; i < bitmap_len; i++)
				buf_putc(out, 0);
			unsigned *bits = xcalloc(bitmap_len, sizeof *bits);
			for (size_t k = from[c]; k < from[c + 1]; k++) {
				uint32_t d = doc[sc->by_class[k]];
				bits[d / 6] |= 1u << (d % 6);
			}
			for (size_t i = 0; i < bitmap_len; i++)
				out->ptr[at + i] = b64[bits[i]];
			free(bits);
		} else {
			buf_putc(out, 'd');
			buf_put(out, sc->gaps.ptr, sc->gaps.len);
		}
	}
}

static int by_text(const uint32_t *x, const uint32_t *y, const struct search *s)
{
	return strcmp(s->terms[*x].text, s->terms[*y].text);
}

/* Sorts term numbers by their text (a merge sort: no global context). */
static void sort_terms(uint32_t *a, uint32_t *tmp, size_t n, const struct search *s)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	sort_terms(a, tmp, h, s);
	sort_terms(a + h, tmp, n - h, s);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = by_text(&a[j], &a[i], s) < 0 ? a[j++] : a[i++];
	while (i < h)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof *a);
}

static int by_surface(const void *x, const void *y)
{
	const struct surface *a = *(const struct surface *const *)x;
	const struct surface *b = *(const struct surface *const *)y;
	if (a->stem != b->stem)
		return a->stem < b->stem ? -1 : 1;
	return strcmp(a->text, b->text);
}

/* Text with its tabs and line ends made spaces: one field of a line. */
static void put_field(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_putc(out, s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
}

/* The files of one language's index, written on the pool: the shards
 * (made beforehand, in term order), terms.txt, then the d<k>.txt files,
 * each made by its own task. */
struct index_files {
	const struct search *s;
	const struct site *site;
	const char *code;
	char *from; /* the search page's folder, which the links start from */
	struct page **docs;
	size_t ndocs, nshards, ndoc_files;
	struct buf *shards;
	struct buf *terms;
	struct output *out;
	struct diag_list *diags; /* one list per file */
};

static int write_index_file(struct index_files *f, size_t i, char kind, size_t k,
			    const struct buf *b)
{
	char *rel = search_file(f->code, kind, k);
	int rc = output_write(f->out, rel, b->ptr, b->len, &f->diags[i]);
	free(rel);
	return rc;
}

/* d<k>.txt: each page's link from the search page, title, language and
 * excerpt, one line each. */
static int write_doc_file(struct index_files *f, size_t i, size_t k)
{
	struct buf b = BUF_INIT;
	size_t end = (k + 1) * SEARCH_DOC_CHUNK < f->ndocs ? (k + 1) * SEARCH_DOC_CHUNK : f->ndocs;
	for (size_t d = k * SEARCH_DOC_CHUNK; d < end; d++) {
		const struct page *p = f->docs[d];
		char *rel = url_relative(f->from, p->url);
		char *enc = url_encode_path(rel);
		buf_puts(&b, enc);
		free(enc);
		free(rel);
		buf_putc(&b, '\t');
		put_field(&b, p->fm.title, strlen(p->fm.title));
		buf_putc(&b, '\t');
		buf_puts(&b, f->site->cfg->languages[p->lang].code);
		buf_putc(&b, '\t');
		char *ex = doc_get_text(f->s, &f->s->docs[p->index]);
		put_field(&b, ex, strlen(ex));
		free(ex);
		buf_putc(&b, '\n');
	}
	int rc = write_index_file(f, i, 'd', k, &b);
	buf_free(&b);
	return rc;
}

/* Which file task i writes: shard i, terms.txt (kind 0), or a d<k>.txt. */
static void index_file_of(const struct index_files *f, size_t i, char *kind, size_t *k)
{
	*kind = i < f->nshards ? 's' : i == f->nshards ? 0 : 'd';
	*k = i < f->nshards ? i : i == f->nshards ? 0 : i - f->nshards - 1;
}

static int index_file_task(void *ctx, size_t i, unsigned worker)
{
	(void)worker;
	struct index_files *f = ctx;
	char kind;
	size_t k;
	index_file_of(f, i, &kind, &k);
	if (kind == 'd')
		return write_doc_file(f, i, k);
	return write_index_file(f, i, kind, k, kind == 's' ? &f->shards[k] : f->terms);
}

/* Writes the files on nthreads threads, then tells wrote of each in order
 * and gathers the diagnostics in the same order. */
static int write_index_files(struct index_files *f, unsigned nthreads,
			     void (*wrote)(void *ctx, const char *rel), void *ctx,
			     struct diag_list *diags)
{
	size_t n = f->nshards + 1 + f->ndoc_files;
	f->diags = xmalloc(n * sizeof *f->diags);
	for (size_t i = 0; i < n; i++)
		diag_list_init(&f->diags[i]);
	struct pool_job job = { .ntasks = n, .nthreads = nthreads, .run = index_file_task,
				.ctx = f };
	size_t started = n;
	int rc = pool_run(&job, &started);
	for (size_t i = 0; i < n; i++) {
		bool ok = i < started && f->diags[i].errors == 0;
		if (ok && wrote) {
			char kind;
			size_t k;
			index_file_of(f, i, &kind, &k);
			char *rel = search_file(f->code, kind, k);
			wrote(ctx, rel);
			free(rel);
		}
		diag_list_take(diags, &f->diags[i]);
		diag_list_free(&f->diags[i]);
	}
	free(f->diags);
	return rc;
}

/* A term as the vocabulary writes it: a stem with the words it stands for,
 * each "+rest" when it starts with the stem. */
static void put_entry(struct buf *b, const struct search *s, uint32_t t,
		      struct surface **surfs, size_t *next, size_t nsurfs)
{
	const char *text = s->terms[t].text;
	buf_puts(b, text);
	if (s->terms[t].kind != SEARCH_STEM)
		return;
	size_t n = strlen(text);
	/* The usual case, a stem that is its only word, is the stem alone. */
	if (*next + 1 <= nsurfs && surfs[*next]->stem == t && strcmp(surfs[*next]->text, text) == 0 &&
	    (*next + 1 == nsurfs || surfs[*next + 1]->stem != t)) {
		(*next)++;
		return;
	}
	while (*next < nsurfs && surfs[*next]->stem == t) {
		const char *w = surfs[(*next)++]->text;
		buf_putc(b, '|');
		if (strncmp(w, text, n) == 0) {
			buf_putc(b, '+');
			buf_puts(b, w + n);
		} else {
			buf_puts(b, w);
		}
	}
}

int search_write(struct search *s, const struct site *site, size_t lang, struct output *out,
		 void (*wrote)(void *ctx, const char *rel), void *ctx, struct diag_list *diags)
{
	const char *code = site->cfg->languages[lang].code;
	/* The pages of this index, numbered in site order. */
	struct page **docs = xmalloc((site->npages ? site->npages : 1) * sizeof *docs);
	size_t ndocs = 0;
	for (size_t i = 0; i < site->npages; i++)
		if (i < s->ndocs && s->docs[i].set && search_indexes(site->pages[i], lang))
			docs[ndocs++] = site->pages[i];
	/* Postings: counted, then filled in page order. */
	size_t *start = xcalloc(s->nterms + 1, sizeof *start);
	bool *surface_used = xcalloc(s->nsurfaces ? s->nsurfaces : 1, sizeof *surface_used);
	for (size_t i = 0; i < ndocs; i++) {
		const struct doc *d = &s->docs[docs[i]->index];
		struct doc_cursor c = { d->packed, 0 };
		for (uint32_t k = 0; k < d->nterms; k++) {
			start[cursor_next(&c) + 1]++;
			c.p++; /* the weight */
		}
		c.last = 0;
		for (uint32_t k = 0; k < d->nsurfaces; k++)
			surface_used[cursor_next(&c)] = true;
	}
	uint32_t *used = xmalloc((s->nterms ? s->nterms : 1) * sizeof *used);
	size_t nused = 0;
	for (size_t t = 0; t < s->nterms; t++) {
		if (start[t + 1])
			used[nused++] = (uint32_t)t;
		start[t + 1] += start[t];
	}
	/* Two arrays rather than one of structs: a posting is then five bytes,
	 * not eight, and the postings are the largest thing the index holds. */
	uint32_t *post_doc = xmalloc((start[s->nterms] ? start[s->nterms] : 1) * sizeof *post_doc);
	uint8_t *post_weight = xmalloc(start[s->nterms] ? start[s->nterms] : 1);
	size_t *fill = xmalloc((s->nterms ? s->nterms : 1) * sizeof *fill);
	memcpy(fill, start, s->nterms * sizeof *fill);
	for (size_t i = 0; i < ndocs; i++) {
		const struct doc *d = &s->docs[docs[i]->index];
		struct doc_cursor c = { d->packed, 0 };
		for (uint32_t k = 0; k < d->nterms; k++) {
			size_t at = fill[cursor_next(&c)]++;
			post_doc[at] = (uint32_t)i;
			post_weight[at] = *c.p++;
		}
	}
	free(fill);
	uint32_t *tmp = xmalloc((nused ? nused : 1) * sizeof *tmp);
	sort_terms(used, tmp, nused, s);
	free(tmp);
	struct surface **surfs = xmalloc((s->nsurfaces ? s->nsurfaces : 1) * sizeof *surfs);
	size_t nsurfs = 0;
	for (size_t i = 0; i < s->nsurfaces; i++)
		if (surface_used[i])
			surfs[nsurfs++] = &s->surfaces[i];
	qsort(surfs, nsurfs, sizeof *surfs, by_surface);
	/* Each stem's words, found by a binary search in surfs. */
	struct buf vocab = BUF_INIT, line = BUF_INIT;
	struct postings_scratch scratch = { .gaps = BUF_INIT };
	struct buf *shards = NULL;
	size_t nshards = 0, shards_cap = 0;
	for (size_t i = 0; i < nused; i++) {
		uint32_t t = used[i];
		size_t lo = 0, hi = nsurfs;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (surfs[mid]->stem < t)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (i == 0 || shards[nshards - 1].len >= SEARCH_SHARD_BYTES) {
			if (nshards > 0)
				buf_putc(&vocab, '\n');
			shards = xgrow(shards, &shards_cap, nshards + 1, sizeof *shards);
			buf_init(&shards[nshards++]);
		} else {
			buf_putc(&vocab, ' ');
		}
		put_entry(&vocab, s, t, surfs, &lo, nsurfs);
		buf_truncate(&line, 0);
		put_postings(&line, post_doc + start[t], post_weight + start[t],
			     start[t + 1] - start[t], &scratch);
		buf_put(&shards[nshards - 1], line.ptr, line.len);
		buf_putc(&shards[nshards - 1], '\n');
	}
	if (nshards > 0)
		buf_putc(&vocab, '\n');
	struct buf head = BUF_INIT;
	buf_printf(&head, "sapan-search 1 %zu %d %zu\n", ndocs, SEARCH_DOC_CHUNK, nshards);
	buf_put(&head, vocab.ptr, vocab.len);
	struct index_files files = {
		.s = s, .site = site, .code = code, .from = xasprintf("%s/search/", code),
		.docs = docs, .ndocs = ndocs, .nshards = nshards,
		.ndoc_files = (ndocs + SEARCH_DOC_CHUNK - 1) / SEARCH_DOC_CHUNK,
		.shards = shards, .terms = &head, .out = out,
	};
	int rc = write_index_files(&files, s->nworkers, wrote, ctx, diags);
	free(files.from);
	for (size_t i = 0; i < nshards; i++)
		buf_free(&shards[i]);
	free(shards);
	buf_free(&head);
	buf_free(&vocab);
	buf_free(&line);
	buf_free(&scratch.gaps);
	free(scratch.by_class);
	free(surfs);
	free(post_doc);
	free(post_weight);
	free(used);
	free(surface_used);
	free(start);
	free(docs);
	return rc;
}

/*
 * The records file: "sapan-search-records 4\n", the build's global key,
 * the terms (kind, text), the English words (stem, text), then for each
 * page its path, text key, record and text; numbers are LEB128 (seven bits
 * a byte, the high bit set on all but the last: most are one or two
 * bytes), keys 64-bit little-endian, strings a number and bytes; the sum
 * of everything before (cache_key_put from cache_key_init) ends it. It is
 * written and read in pieces, never held whole: at 20,000 pages it is
 * 60 MB.
 */
#define RECORDS_MAGIC "sapan-search-records 4\n"
/* Bytes the records file is written and read by. */
#define RECORDS_PIECE (1u << 20)

static void put_u32(struct buf *b, uint32_t v)
{
	do {
		unsigned char byte = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		buf_putc(b, (char)byte);
		v >>= 7;
	} while (v);
}

static void put_u64(struct buf *b, uint64_t v)
{
	unsigned char u[8];
	for (int i = 0; i < 8; i++)
		u[i] = (unsigned char)(v >> (8 * i));
	buf_put(b, (const char *)u, 8);
}

static void put_str(struct buf *b, const char *s)
{
	put_u32(b, (uint32_t)strlen(s));
	buf_puts(b, s);
}

/* The records file being written: what is not written yet, and the sum of
 * what is. */
struct records_out {
	int fd;
	bool ok;
	struct buf pending;
	struct cache_key sum;
};

/* Writes what is pending in whole 16-byte steps of the sum (all of it when
 * last), once a piece has gathered. */
static void records_spill(struct records_out *o, bool last)
{
	if (!last && o->pending.len < RECORDS_PIECE)
		return;
	size_t n = last ? o->pending.len : o->pending.len & ~(size_t)15;
	if (last)
		cache_key_put(&o->sum, o->pending.ptr, n);
	else
		cache_key_put_words(&o->sum, o->pending.ptr, n);
	if (o->ok && write_all(o->fd, o->pending.ptr, n) != 0)
		o->ok = false;
	memmove(o->pending.ptr, o->pending.ptr + n, o->pending.len - n);
	buf_truncate(&o->pending, o->pending.len - n);
}

static void save_record(const struct search *s, const struct page *p, const struct doc *d,
			struct buf *b)
{
	put_str(b, p->rel);
	put_u64(b, p->text_key.a);
	put_u64(b, p->text_key.b);
	put_u32(b, d->nterms);
	struct doc_cursor c = { d->packed, 0 };
	for (uint32_t k = 0; k < d->nterms; k++) {
		put_u32(b, cursor_next(&c));
		c.p++;
	}
	c = (struct doc_cursor){ d->packed, 0 };
	for (uint32_t k = 0; k < d->nterms; k++) {
		cursor_next(&c);
		buf_putc(b, (char)*c.p++);
	}
	put_u32(b, d->nsurfaces);
	c.last = 0;
	for (uint32_t k = 0; k < d->nsurfaces; k++)
		put_u32(b, cursor_next(&c));
	char *text = doc_get_text(s, d);
	put_str(b, text);
	free(text);
}

void search_save(const struct search *s, const struct site *site, const struct cache_key *global,
		 const char *path)
{
	/* The file it read is the one it would write: the same records in
	 * the same order, its terms numbered as it numbered them. */
	if (s->records_whole && s->records_taken == s->records_read &&
	    atomic_load(&s->gathered) == 0)
		return;
	/* A fixed temporary name: the output's lock keeps other builds of
	 * this output away, and a killed build's is replaced by the next. */
	char *tmp = xasprintf("%s.tmp", path);
	struct records_out o = { open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
				      0666),
				 true, BUF_INIT, { 0, 0 } };
	o.ok = o.fd >= 0;
	cache_key_init(&o.sum);
	struct buf *b = &o.pending;
	BUF_PUTL(b, RECORDS_MAGIC);
	put_u64(b, global->a);
	put_u64(b, global->b);
	put_u32(b, (uint32_t)s->nterms);
	for (size_t i = 0; i < s->nterms; i++) {
		put_u32(b, s->terms[i].kind);
		put_str(b, s->terms[i].text);
		records_spill(&o, false);
	}
	put_u32(b, (uint32_t)s->nsurfaces);
	for (size_t i = 0; i < s->nsurfaces; i++) {
		put_u32(b, s->surfaces[i].stem);
		put_str(b, s->surfaces[i].text);
		records_spill(&o, false);
	}
	for (size_t i = 0; i < site->npages && i < s->ndocs && o.ok; i++) {
		if (s->docs[i].set)
			save_record(s, site->pages[i], &s->docs[i], b);
		records_spill(&o, false);
	}
	records_spill(&o, true);
	put_u64(b, o.sum.a);
	put_u64(b, o.sum.b);
	if (o.ok && write_all(o.fd, b->ptr, b->len) != 0)
		o.ok = false;
	if (o.fd >= 0 && close(o.fd) != 0)
		o.ok = false;
	if (!o.ok || rename(tmp, path) != 0)
		unlink(tmp);
	free(tmp);
	buf_free(b);
}

/* A reader of the records file, a piece at a time, that never reads past
 * the records (the sum after them is read apart). */
struct reader {
	int fd;
	unsigned char *piece;
	size_t at, len;  /* in piece */
	uint64_t unread; /* bytes of records not yet in piece */
	bool bad;
};

/* Bytes of records not yet taken. */
static uint64_t reader_left(const struct reader *r)
{
	return r->unread + (r->len - r->at);
}

static bool reader_fill(struct reader *r)
{
	size_t want = r->unread < RECORDS_PIECE ? (size_t)r->unread : RECORDS_PIECE;
	ssize_t n = want ? read(r->fd, r->piece, want) : 0;
	if (n <= 0) {
		r->bad = true;
		return false;
	}
	r->at = 0;
	r->len = (size_t)n;
	r->unread -= (uint64_t)n;
	return true;
}

static unsigned char get_byte(struct reader *r)
{
	if (r->at == r->len && (r->bad || !reader_fill(r)))
		return 0;
	return r->piece[r->at++];
}

static void get_bytes(struct reader *r, char *to, size_t n)
{
	while (n > 0 && !r->bad) {
		if (r->at == r->len && !reader_fill(r))
			return;
		size_t k = r->len - r->at < n ? r->len - r->at : n;
		memcpy(to, r->piece + r->at, k);
		r->at += k;
		to += k;
		n -= k;
	}
}

static uint32_t get_u32(struct reader *r)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 35 && !r->bad; shift += 7) {
		unsigned char byte = get_byte(r);
		v |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80) && !r->bad)
			return v <= UINT32_MAX ? (uint32_t)v : (r->bad = true, 0);
	}
	r->bad = true;
	return 0;
}

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint64_t get_u64(struct reader *r)
{
	unsigned char u[8];
	get_bytes(r, (char *)u, 8);
	return r->bad ? 0 : le64(u);
}

/* A string of at most max bytes, with no NUL in it. */
static char *get_str(struct reader *r, size_t max)
{
	uint32_t n = get_u32(r);
	if (r->bad || n > max || reader_left(r) < n) {
		r->bad = true;
		return NULL;
	}
	char *s = xmalloc((size_t)n + 1);
	get_bytes(r, s, n);
	s[n] = '\0';
	if (r->bad || strlen(s) != n) {
		r->bad = true;
		free(s);
		return NULL;
	}
	return s;
}

/* Whether the file at fd (size bytes) ends with the sum of what is before
 * it; reads it through once. */
static bool records_sum_holds(int fd, uint64_t size, unsigned char *piece)
{
	struct cache_key sum;
	cache_key_init(&sum);
	uint64_t body = size - 16, done = 0;
	for (;;) {
		size_t want = body - done < RECORDS_PIECE ? (size_t)(body - done) : RECORDS_PIECE;
		size_t got = 0;
		while (got < want) {
			ssize_t n = read(fd, piece + got, want - got);
			if (n <= 0)
				return false;
			got += (size_t)n;
		}
		done += got;
		if (done == body) {
			cache_key_put(&sum, piece, got);
			break;
		}
		cache_key_put_words(&sum, piece, got);
	}
	unsigned char tail[16];
	size_t got = 0;
	while (got < sizeof tail) {
		ssize_t n = read(fd, tail + got, sizeof tail - got);
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return le64(tail) == sum.a && le64(tail + 8) == sum.b;
}

/* Reads the records after the terms and words: each one whose page has the
 * same text key and no record yet becomes that page's record. */
static size_t load_records(struct search *s, const struct site *site, struct reader *r,
			   const uint32_t *term_map, uint32_t nterms, const uint32_t *surf_map,
			   uint32_t nsurf)
{
	/* One page's numbers as read, before they are packed. */
	uint64_t *keys = NULL, *tmp = NULL;
	size_t keys_cap = 0, tmp_cap = 0, taken = 0;
	while (!r->bad && reader_left(r) > 0) {
		char *rel = get_str(r, 4096);
		struct cache_key key;
		key.a = get_u64(r);
		key.b = get_u64(r);
		uint32_t nt = get_u32(r);
		if (r->bad || reader_left(r) / 2 < nt) {
			r->bad = true;
			free(rel);
			break;
		}
		keys = xgrow(keys, &keys_cap, (size_t)nt + 1, sizeof *keys);
		for (uint32_t k = 0; k < nt && !r->bad; k++) {
			uint32_t t = get_u32(r);
			r->bad |= t >= nterms;
			keys[k] = r->bad ? 0 : (uint64_t)term_map[t] << 8;
		}
		for (uint32_t k = 0; k < nt && !r->bad; k++)
			keys[k] |= get_byte(r);
		uint32_t ns = get_u32(r);
		if (r->bad || reader_left(r) < ns)
			r->bad = true;
		keys = xgrow(keys, &keys_cap, (size_t)nt + (r->bad ? 0 : ns) + 1, sizeof *keys);
		for (uint32_t k = 0; k < ns && !r->bad; k++) {
			uint32_t w = get_u32(r);
			r->bad |= w >= nsurf;
			keys[nt + k] = r->bad ? 0 : surf_map[w];
		}
		/* The excerpt's text: page_text cuts it at SEARCH_TEXT_BYTES. */
		char *excerpt = r->bad ? NULL : get_str(r, SEARCH_TEXT_BYTES);
		s->records_read += !r->bad;
		const struct page *p = rel ? hmap_get(&site->pages_by_rel, rel) : NULL;
		if (!r->bad && p && p->index < s->ndocs && !s->docs[p->index].set &&
		    cache_key_equal(&p->text_key, &key)) {
			tmp = xgrow(tmp, &tmp_cap, keys_cap, sizeof *tmp);
			s->docs[p->index] = doc_pack(keys, tmp, nt, ns);
			doc_set_text(s, &s->docs[p->index], excerpt);
			excerpt = NULL;
			taken++;
		}
		free(excerpt);
		free(rel);
	}
	free(keys);
	free(tmp);
	return taken;
}

size_t search_load(struct search *s, const struct site *site, const struct cache_key *global,
		   const char *path)
{
	size_t taken = 0, magic = sizeof RECORDS_MAGIC - 1;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return 0;
	unsigned char *piece = xmalloc(RECORDS_PIECE);
	struct reader r = { fd, piece, 0, 0, 0, false };
	char head[sizeof RECORDS_MAGIC - 1];
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size < magic + 32 ||
	    !records_sum_holds(fd, (uint64_t)st.st_size, piece) || lseek(fd, 0, SEEK_SET) != 0)
		goto out;
	r.unread = (uint64_t)st.st_size - 16;
	get_bytes(&r, head, magic);
	if (r.bad || memcmp(head, RECORDS_MAGIC, magic) != 0 || get_u64(&r) != global->a ||
	    get_u64(&r) != global->b)
		goto out;
	/* The file's term and word numbers, as this build interns them. */
	uint32_t nterms = get_u32(&r);
	if (reader_left(&r) / 2 < nterms)
		goto out;
	uint32_t *term_map = xmalloc(((size_t)nterms + 1) * sizeof *term_map);
	for (uint32_t i = 0; i < nterms && !r.bad; i++) {
		uint32_t kind = get_u32(&r);
		char *t = get_str(&r, SEARCH_WORD_MAX);
		if (t && kind <= SEARCH_STEM)
			term_map[i] = intern_term(s, t, (enum search_kind)kind);
		else
			r.bad = true;
		free(t);
	}
	uint32_t nsurf = r.bad ? 0 : get_u32(&r);
	if (reader_left(&r) / 2 < nsurf)
		r.bad = true;
	uint32_t *surf_map = xmalloc(((size_t)(r.bad ? 0 : nsurf) + 1) * sizeof *surf_map);
	for (uint32_t i = 0; i < nsurf && !r.bad; i++) {
		uint32_t stem = get_u32(&r);
		char *w = get_str(&r, SEARCH_WORD_MAX);
		if (w && stem < nterms)
			surf_map[i] = intern_surface(s, w, term_map[stem]);
		else
			r.bad = true;
		free(w);
	}
	taken = load_records(s, site, &r, term_map, nterms, surf_map, nsurf);
	s->records_taken = taken;
	s->records_whole = !r.bad;
	free(surf_map);
	free(term_map);
out:
	free(piece);
	close(fd);
	return taken;
}

bool search_has(const struct search *s, const struct page *page)
{
	return page->index < s->ndocs && s->docs[page->index].set;
}
