/* SPDX-License-Identifier: MIT */
/*
 * cache: the build cache, one file per output folder, so that a rebuild
 * does not redo work whose inputs did not change (and beside it, the
 * search index's records of each page: search.h, cache_side_path). It lives beside the
 * output, never in it (it is not published) and never in content/:
 * <parent of output>/CACHE_DIR/<name of output>.cache.
 *
 * It holds three kinds of records, each used only when its key is equal:
 *  - what reading a page's file gave (its text's key, the text before the
 *    body, where the body is), keyed by the file's status: device, inode,
 *    size, modification and change times. The change time moves on any
 *    write and cannot be set back by hand, so an equal status is an
 *    unchanged file (files changed in the second before a build are not
 *    remembered: see site_load); such a page is not read at all unless
 *    it must be rendered, and then its text must have the same key;
 *  - a page's Markdown result (the hash of its body HTML, description, the
 *    diagnostics it produced, the link sources), keyed by the page's text
 *    and a hash of everything its links resolve against (the build
 *    computes both). The HTML itself is not kept: the cache would be as
 *    large as the site, read and written whole by every build; a page
 *    whose file must be rendered again converts its Markdown again
 *    (site_render_markdown_html), which is cheap next to the template;
 *  - for each page's output file, the hash of the page's view and layout
 *    and the stamp the file had when the build wrote it (output.h): an
 *    equal view renders to equal bytes, so an untouched file is kept.
 * Every record also depends on the global key in the header (sapan's
 * version and a sum of its source files, the options, site.yaml, the templates, the UI strings): any
 * change there ignores the whole file.
 *
 * Trust: nothing read is trusted. The file ends with a 128-bit sum of
 * all its bytes, checked before any record is used; every length and
 * count is bounded by the bytes left; a file that does not start with the magic and format is
 * not sapan's (a warning, and it is left alone: the build runs without a
 * cache); a cache that is cut short or malformed is ignored with a
 * warning and replaced; one with another global key is replaced silently.
 *
 * Writing: the new cache is gathered in memory (about 600 bytes a page)
 * and written, once the output was committed, to a temporary name in the
 * cache folder renamed over the old one, so a failed build leaves the old
 * cache (which still matches the old output), and a killed one leaves
 * one cache whole; the temporary file a killed build leaves is removed by
 * the next (cache_open), and nothing else in the folder is ever touched.
 *
 * Threads: cache_find_* and cache_markdown_apply only read the cache and
 * may run at once; everything else runs on the build's thread. A struct
 * cache owns its file's bytes; the spans it hands out live until
 * cache_free.
 */
#ifndef SAPAN_CACHE_H
#define SAPAN_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cachekey.h"
#include "diag.h"
#include "output.h"
#include "site.h"
#include "util.h"
#include "value.h"

#define CACHE_DIR ".sapan-cache"

/* Puts a whole value tree: kinds, map keys in order, and contents. */
void cache_key_value(struct cache_key *k, const struct value *v);

/* A page's Markdown result in the cache. */
struct cache_markdown {
	struct cache_key key;
	struct cache_key html_hash; /* stands for the HTML in the page's view key */
	struct span record; /* the whole record, copied as is to the next cache */
	struct span rest;   /* description, diagnostics, link sources */
};

/* An output file's record in the cache. */
struct cache_page {
	struct cache_key inputs; /* view_page_inputs, with the structure */
	struct cache_key view;
	struct output_stamp stamp;
};

struct cache;

/*
 * Opens the cache of the output folder output for a build with global key
 * global. Always returns a cache (empty when there is none, it does not
 * match, or it cannot be used, with a warning for a bad or foreign file;
 * empty too without use_old, to render everything and write it afresh).
 * When the cache folder cannot be made or the file is not sapan's, the
 * cache is not written either (cache_writable says so).
 */
struct cache *cache_open(const char *output, struct cache_key global, bool use_old,
			 struct diag_list *diags);
bool cache_writable(const struct cache *c);
/*
 * When c found no cache of its own (a new output folder), takes the
 * records of the cache of another output folder of the same site, read
 * only, if its global key matches: sapan serve, whose folder is new each
 * time, starts from the work of the last sapan build. Its page records
 * name files of that other folder, so no page is kept by them (their
 * stamps match no file here); its sources and Markdown serve as they are.
 * Says nothing when that cache is missing, foreign or damaged.
 */
void cache_seed(struct cache *c, const char *output);
/* The path of another file of this cache, beside it: "<name>.<suffix>"
 * in the cache folder (the search index's records: search.h). */
char *cache_side_path(const struct cache *c, const char *suffix);
/* The record of the page at rel (content-relative), or NULL. */
const struct cache_markdown *cache_find_markdown(const struct cache *c, const char *rel);
/* The record of the output file at rel, or NULL. */
const struct cache_page *cache_find_page(const struct cache *c, const char *rel);
/*
 * site_options.recall for a struct cache *: the record of the page file at
 * rel when its status is still status (site.h). Only reads the cache.
 */
bool cache_recall_source(void *cache, const char *rel, const struct site_file_status *status,
			 struct site_recall *out, struct diag_list *diags);
/* Sets page's description and link sources and adds its diagnostics to
 * diags, as rendering its Markdown did; the HTML is not in the cache.
 * Returns 0, or -1 when the record does not decode. */
int cache_markdown_apply(const struct cache_markdown *m, struct page *page,
			 struct diag_list *diags);
/* Encodes what follows the HTML in a Markdown record: page's description
 * and link sources, and diags (the page's own). */
void cache_markdown_encode_rest(struct buf *out, const struct page *page,
				const struct diag_list *diags);

/* Writing the next cache, in order: begin (under the output folder's
 * lock), every source and Markdown record, every page record, finish. Failures only drop the cache (a warning). */
void cache_begin_write(struct cache *c);
void cache_put_markdown(struct cache *c, const char *rel, const struct cache_key *key,
			const struct cache_key *html_hash, const struct buf *rest);
void cache_put_markdown_record(struct cache *c, const struct cache_markdown *m);
/* Remembers what reading page p's file gave, for cache_recall_source:
 * the record it was recalled from, or a new one when it was read and its
 * front matter tree kept (site.h); nothing otherwise. */
void cache_put_source(struct cache *c, const struct page *p);
void cache_put_page(struct cache *c, const char *rel, const struct cache_page *p);
/* Puts the new cache in place of the old; without a call, nothing is
 * written. */
void cache_finish(struct cache *c, struct diag_list *diags);
void cache_free(struct cache *c);

#endif
