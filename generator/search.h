/* SPDX-License-Identifier: MIT */
/*
 * search: each language's search index, written at build time under
 * <lang>/search/ for the search page's script (templates/assets/search.js)
 * to read; no server is needed. This is the only module that calls
 * libstemmer (Snowball).
 *
 * What is indexed: every page of the language, and every page of another
 * language that has no version in it (as lists show them), but no draft;
 * of each, what the page shows: its title, summary, body text (headings
 * included) and resource titles.
 *
 * Words: a text is first tidied as a Thai page is (thaitidy.h), then cut
 * into runs. A run of Thai letters is split into words by libthai
 * (thai_words); a run of Latin letters and digits is lower-cased and
 * stemmed with Snowball's English stemmer, unless it is all digits; Thai
 * digits count as the Arabic ones (๒๕๖๗ is 2567). Everything else
 * separates words. The script splits a query the same way, but has no
 * libthai and no stemmer: the vocabulary it is given holds every Thai
 * word (a Thai query is split by longest match against it) and, for each
 * English stem, the words of the pages that gave it.
 *
 * The files (format in docs/HACKING.md, "Search"):
 *  - terms.txt: a header line, then one line per shard with its terms;
 *  - s<k>.txt: shard k, one line per term: the pages it is on, grouped by
 *    weight (in the title, how often), so a query fetches only the shards
 *    of its words;
 *  - d<k>.txt: SEARCH_DOC_CHUNK pages per file: link, title, language,
 *    a text the excerpt is cut from; fetched for the results shown.
 * Everything is sorted by bytes, so the files are the same for any number
 * of threads.
 *
 * Memory: one record per page (its terms' numbers and weights), the
 * interned terms, and while a language is written its postings. The text
 * each page's excerpt is cut from (up to SEARCH_TEXT_BYTES) waits in an
 * unlinked temporary file (tmpfile), not in memory, and the records file
 * (search_save, search_load) is written and read a piece at a time. A
 * struct search owns all of it; search_free releases it.
 *
 * Threads: search_add_page may run on several threads at once, each with
 * its own worker number (below the nworkers given to search_new): the
 * interning of terms sits behind one mutex. Everything else runs on one
 * thread.
 */
#ifndef SAPAN_SEARCH_H
#define SAPAN_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "output.h"
#include "site.h"

/* Pages per d<k>.txt: a result list of ten fetches at most ten such
 * files, and fewer files keep the build quick. */
#define SEARCH_DOC_CHUNK 4
/* A shard is closed once its postings pass this many bytes: a query
 * fetches one shard per word, so the bound keeps a query small. */
#define SEARCH_SHARD_BYTES 6000
/* Longest word indexed, in bytes; longer runs are not words anyone types. */
#define SEARCH_WORD_MAX 64
/* Bytes of the text a page's excerpt is cut from (page_text in search.c):
 * room for the resource titles and the start of the body, and a record
 * file of SEARCH_DOC_CHUNK pages still a few KB compressed. */
#define SEARCH_TEXT_BYTES 2048

struct thai;
struct search;

enum search_kind {
	SEARCH_THAI,   /* a Thai word */
	SEARCH_NUMBER, /* digits, Thai digits written as Arabic */
	SEARCH_STEM,   /* an English stem; surface is the word as written, lower-cased */
};

struct search_token {
	enum search_kind kind;
	const char *term;
	size_t len;
	const char *surface; /* SEARCH_STEM only */
	size_t surface_len;
};

/* A new index for up to nworkers threads; thai may be NULL (a Thai run is
 * then one word). Returns NULL when the stemmer cannot be made. */
struct search *search_new(unsigned nworkers, struct thai *thai);
void search_free(struct search *s);

/* Calls token(ctx, tok) for each word of len bytes of UTF-8 text, in
 * order; tok and its strings live only during the call. */
void search_tokenize(struct search *s, unsigned worker, const char *text, size_t len,
		     void (*token)(void *ctx, const struct search_token *tok), void *ctx);

/* Appends the text of HTML (tags and the contents of script and style
 * elements left out, character references decoded) to out, with a space
 * where a tag was. */
void search_html_text(const char *html, size_t len, struct buf *out);

/* Makes room for the records of npages pages (page->index below it);
 * records kept from before stay. */
void search_reserve(struct search *s, size_t npages);
/* Records page's words (title, summary, html's text, resource titles),
 * replacing its earlier record; html may be NULL. tidied: the page's text
 * was tidied when read (a Thai page: site.c), so it is not tidied again. */
void search_add_page(struct search *s, unsigned worker, const struct page *page,
		     const char *html, bool tidied);
/* True when every page of site that is indexed has a record. */
bool search_complete(const struct search *s, const struct site *site);

/* Whether page has a record. */
bool search_has(const struct search *s, const struct page *page);

/*
 * The records of every page, kept beside the build cache between builds,
 * so that an edit gathers the words of the edited pages only. search_save
 * writes them to path (failures only mean the next build gathers again;
 * it writes nothing when search_load took every record of a whole file and
 * no page was gathered since, for that file is already what it would be);
 * search_load takes those of path whose page has the same text key, for a
 * build whose global key (cache.h) is the one they were saved with, and
 * returns how many. Nothing in the file is trusted: a bad length, number
 * or sum leaves the rest unread.
 */
struct cache_key;
void search_save(const struct search *s, const struct site *site, const struct cache_key *global,
		 const char *path);
size_t search_load(struct search *s, const struct site *site, const struct cache_key *global,
		   const char *path);

/* Whether page is in language lang's index. */
bool search_indexes(const struct page *page, size_t lang);

/*
 * Writes language lang's index files into out, under <code>/search/, and
 * calls wrote(ctx, rel) for each (wrote may be NULL). Returns 0, or -1
 * with an error in diags (the output's).
 */
int search_write(struct search *s, const struct site *site, size_t lang, struct output *out,
		 void (*wrote)(void *ctx, const char *rel), void *ctx, struct diag_list *diags);

/* The name of an index file of language code: "terms" (NULL kind),
 * or shard ('s') or page chunk ('d') k, relative to the output. */
char *search_file(const char *code, char kind, size_t k);

#endif
