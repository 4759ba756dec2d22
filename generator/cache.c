/* SPDX-License-Identifier: MIT */
#include "cache.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hmap.h"

/* The file starts with this, then the format version and the global key.
 * A new format changes the version: an old cache is then replaced. */
#define CACHE_MAGIC "SAPANCACHE"
#define CACHE_FORMAT 7u
/* A string's length that stands for NULL. */
#define NO_STRING 0xffffffffu
/* Record tags. */
#define TAG_MARKDOWN 'M'
#define TAG_PAGE 'P'
#define TAG_SOURCE 'S'
#define TAG_END 'E'

void cache_key_value(struct cache_key *k, const struct value *v)
{
	unsigned char kind = (unsigned char)v->kind;
	cache_key_put(k, &kind, 1);
	switch (v->kind) {
	case VALUE_NULL:
		break;
	case VALUE_BOOL:
		cache_key_u64(k, v->as.boolean);
		break;
	case VALUE_NUMBER: {
		uint64_t bits;
		memcpy(&bits, &v->as.number, sizeof bits);
		cache_key_u64(k, bits);
		break;
	}
	case VALUE_STRING:
		cache_key_u64(k, v->as.str.len);
		cache_key_put(k, v->as.str.ptr, v->as.str.len);
		break;
	case VALUE_LIST:
		cache_key_u64(k, v->as.list.len);
		for (size_t i = 0; i < v->as.list.len; i++)
			cache_key_value(k, v->as.list.items[i]);
		break;
	case VALUE_MAP:
		cache_key_u64(k, v->as.map.len);
		for (size_t i = 0; i < v->as.map.len; i++) {
			cache_key_str(k, v->as.map.keys[i]);
			cache_key_value(k, v->as.map.vals[i]);
		}
		break;
	}
}

/* What a build learnt from reading a page's file (site.h, site_recall). */
struct cache_source {
	struct site_file_status status;
	struct cache_key text_key;
	size_t body_at, body_len;
	unsigned body_line;
	struct span tree;
	struct span record; /* the whole record, copied as is to the next cache */
};

struct cache {
	char *dir;  /* the cache folder */
	char *path; /* the cache file */
	bool writable;
	struct buf file; /* the old cache's bytes */
	struct cache_markdown *md;
	size_t nmd, md_cap;
	char **md_rel;
	struct cache_page *pages;
	char **page_rel;
	size_t npages, pages_cap;
	struct cache_source *sources;
	char **source_rel;
	size_t nsources, sources_cap;
	struct hmap md_by_rel, pages_by_rel, sources_by_rel;
	struct cache_key global;
	/* The next cache, written as it is made to a temporary file (tmp,
	 * fd), in pieces of about CACHE_SPILL bytes, with the sum of what was
	 * written so far; cache_finish puts it in place. */
	bool writing;
	struct buf next;
	char *tmp;
	int fd;
	int write_errno; /* the first error writing it, 0 while none */
	bool tmp_made;   /* tmp is a file this build made */
	struct cache_key sum;
};

/* The most of the next cache held in memory: a large site's cache is tens
 * of megabytes, which the build need not hold on top of the old one. */
#define CACHE_SPILL ((size_t)1 << 20)

/* ---- reading: every length is checked against the bytes left ---- */

struct reader {
	const char *p, *end;
	bool bad;
};

static uint64_t get_u(struct reader *r, int bytes)
{
	if (r->bad || r->end - r->p < bytes) {
		r->bad = true;
		return 0;
	}
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)(unsigned char)r->p[i] << (8 * i);
	r->p += bytes;
	return v;
}

/* A string: its span, or ptr NULL for a NULL string. */
static struct span get_str(struct reader *r)
{
	uint64_t len = get_u(r, 4);
	if (r->bad || len == NO_STRING)
		return (struct span){ NULL, 0 };
	if ((uint64_t)(r->end - r->p) < len) {
		r->bad = true;
		return (struct span){ NULL, 0 };
	}
	struct span s = { r->p, (size_t)len };
	r->p += len;
	return s;
}

static struct cache_key get_key(struct reader *r)
{
	struct cache_key k;
	k.a = get_u(r, 8);
	k.b = get_u(r, 8);
	return k;
}

static char *span_dup(struct span s)
{
	return s.ptr ? xstrndup(s.ptr, s.len) : NULL;
}

/* Reads (and, with page and diags, applies) the part of a Markdown record
 * after its HTML. A string with a NUL inside is malformed. */
static void read_rest(struct reader *r, struct page *page, struct diag_list *diags)
{
	struct span desc = get_str(r);
	if (page)
		page->description = span_dup(desc);
	uint64_t ndiags = get_u(r, 4);
	for (uint64_t i = 0; i < ndiags && !r->bad; i++) {
		unsigned sev = (unsigned)get_u(r, 1);
		struct span file = get_str(r);
		unsigned line = (unsigned)get_u(r, 4), col = (unsigned)get_u(r, 4);
		struct span msg = get_str(r);
		if (sev > DIAG_ERROR || !msg.ptr)
			r->bad = true;
		if (r->bad || !diags)
			continue;
		char *f = span_dup(file);
		diag_add(diags, (enum diag_severity)sev, f, line, col, "%.*s", (int)msg.len,
			 msg.ptr);
		free(f);
	}
	uint64_t nlinks = get_u(r, 4);
	for (uint64_t i = 0; i < nlinks && !r->bad; i++) {
		struct span key = get_str(r), written = get_str(r);
		unsigned line = (unsigned)get_u(r, 4), col = (unsigned)get_u(r, 4);
		if (!key.ptr || !written.ptr)
			r->bad = true;
		if (r->bad || !page)
			continue;
		char *k = span_dup(key), *w = span_dup(written);
		site_put_link_source(page, k, w, line, col);
		free(k);
		free(w);
	}
}

static bool has_nul(struct span s)
{
	return s.ptr && memchr(s.ptr, '\0', s.len) != NULL;
}

static void read_markdown(struct cache *c, struct reader *r)
{
	const char *start = r->p - 1;
	struct span rel = get_str(r);
	struct cache_markdown m;
	m.key = get_key(r);
	m.html_hash = get_key(r);
	m.rest.ptr = r->p;
	read_rest(r, NULL, NULL);
	if (r->bad || !rel.ptr || has_nul(rel)) {
		r->bad = true;
		return;
	}
	m.rest.len = (size_t)(r->p - m.rest.ptr);
	m.record = (struct span){ start, (size_t)(r->p - start) };
	c->md = xgrow(c->md, &c->md_cap, c->nmd + 1, sizeof *c->md);
	c->md_rel = xrealloc(c->md_rel, c->md_cap * sizeof *c->md_rel);
	c->md[c->nmd] = m;
	c->md_rel[c->nmd++] = span_dup(rel);
}

static void read_page(struct cache *c, struct reader *r)
{
	struct span rel = get_str(r);
	struct cache_page pg;
	pg.inputs = get_key(r);
	pg.view = get_key(r);
	pg.stamp.ino = get_u(r, 8);
	pg.stamp.size = (int64_t)get_u(r, 8);
	pg.stamp.mtime_s = (int64_t)get_u(r, 8);
	pg.stamp.mtime_ns = (int64_t)get_u(r, 8);
	pg.stamp.ctime_s = (int64_t)get_u(r, 8);
	pg.stamp.ctime_ns = (int64_t)get_u(r, 8);
	if (r->bad || !rel.ptr || has_nul(rel)) {
		r->bad = true;
		return;
	}
	c->pages = xgrow(c->pages, &c->pages_cap, c->npages + 1, sizeof *c->pages);
	c->page_rel = xrealloc(c->page_rel, c->pages_cap * sizeof *c->page_rel);
	c->pages[c->npages] = pg;
	c->page_rel[c->npages++] = span_dup(rel);
}

static void read_source(struct cache *c, struct reader *r)
{
	const char *start = r->p - 1;
	struct span rel = get_str(r);
	struct cache_source src = { .body_line = 0 };
	struct site_file_status *st = &src.status;
	st->dev = get_u(r, 8);
	st->ino = get_u(r, 8);
	st->size = get_u(r, 8);
	st->mtime_s = (int64_t)get_u(r, 8);
	st->mtime_ns = (int64_t)get_u(r, 8);
	st->ctime_s = (int64_t)get_u(r, 8);
	st->ctime_ns = (int64_t)get_u(r, 8);
	src.text_key = get_key(r);
	src.body_at = (size_t)get_u(r, 8);
	src.body_len = (size_t)get_u(r, 8);
	src.body_line = (unsigned)get_u(r, 4);
	src.tree = get_str(r);
	/* The body fits in the file; the tree is checked as it is decoded
	 * (ynode_decode), and a file whose tree does not decode is read. */
	if (r->bad || !rel.ptr || has_nul(rel) || !src.tree.ptr || src.body_len > st->size ||
	    src.body_at > st->size) {
		r->bad = true;
		return;
	}
	src.record = (struct span){ start, (size_t)(r->p - start) };
	c->sources = xgrow(c->sources, &c->sources_cap, c->nsources + 1, sizeof *c->sources);
	c->source_rel = xrealloc(c->source_rel, c->sources_cap * sizeof *c->source_rel);
	c->sources[c->nsources] = src;
	c->source_rel[c->nsources++] = span_dup(rel);
}

static void forget(struct cache *c)
{
	for (size_t i = 0; i < c->nmd; i++)
		free(c->md_rel[i]);
	for (size_t i = 0; i < c->npages; i++)
		free(c->page_rel[i]);
	free(c->md_rel);
	free(c->md);
	free(c->page_rel);
	free(c->pages);
	for (size_t i = 0; i < c->nsources; i++)
		free(c->source_rel[i]);
	free(c->source_rel);
	free(c->sources);
	c->md_rel = c->page_rel = c->source_rel = NULL;
	c->md = NULL;
	c->pages = NULL;
	c->sources = NULL;
	c->nmd = c->md_cap = c->npages = c->pages_cap = c->nsources = c->sources_cap = 0;
	buf_free(&c->file);
}

/* Parses c->file. Returns 0, 1 when the global key differs, -1 when the
 * file is malformed, -2 when it is not a sapan cache. */
static int parse(struct cache *c)
{
	struct reader r = { c->file.ptr, c->file.ptr + c->file.len, false };
	size_t mlen = sizeof CACHE_MAGIC - 1;
	if (c->file.len < mlen || memcmp(c->file.ptr, CACHE_MAGIC, mlen) != 0)
		return -2;
	r.p += mlen;
	uint64_t format = get_u(&r, 4);
	struct cache_key global = get_key(&r);
	if (r.bad)
		return -1;
	if (format != CACHE_FORMAT || global.a != c->global.a || global.b != c->global.b)
		return 1;
	for (;;) {
		int tag = (int)get_u(&r, 1);
		if (r.bad)
			return -1;
		if (tag == TAG_END) {
			/* The sum of every byte before the end: a flipped bit in an
			 * HTML body would otherwise be published. */
			struct cache_key sum;
			cache_key_init(&sum);
			cache_key_put(&sum, c->file.ptr, (size_t)(r.p - 1 - c->file.ptr));
			struct cache_key stored = get_key(&r);
			return !r.bad && r.p == r.end && stored.a == sum.a && stored.b == sum.b
				       ? 0 : -1;
		}
		if (tag == TAG_MARKDOWN)
			read_markdown(c, &r);
		else if (tag == TAG_PAGE)
			read_page(c, &r);
		else if (tag == TAG_SOURCE)
			read_source(c, &r);
		else
			return -1;
		if (r.bad)
			return -1;
	}
}

/* The cache folder and file for output: beside it, named after it. */
static void place(struct cache *c, const char *output)
{
	size_t n = strlen(output);
	while (n > 1 && output[n - 1] == '/')
		n--;
	size_t slash = n;
	while (slash > 0 && output[slash - 1] != '/')
		slash--;
	const char *name = output + slash;
	size_t name_len = n - slash;
	if (slash == 0)
		c->dir = xstrdup(CACHE_DIR);
	else
		c->dir = xasprintf("%.*s%s", (int)slash, output, CACHE_DIR);
	c->path = xasprintf("%s/%.*s.cache", c->dir, (int)name_len, name);
}

char *cache_side_path(const struct cache *c, const char *suffix)
{
	size_t n = strlen(c->path) - strlen(".cache");
	return xasprintf("%.*s.%s", (int)n, c->path, suffix);
}

/* Removes the temporary files a killed build left in the cache folder:
 * only regular files named exactly as cache_finish names them for this
 * cache (the cache's path, ".new-" and six letters or digits); the output
 * folder's lock keeps a running build of the same output away. */
static void remove_leftovers(const struct cache *c)
{
	DIR *d = opendir(c->dir);
	if (!d)
		return;
	const char *base = c->path + strlen(c->dir) + 1;
	char *prefix = xasprintf("%s.new-", base);
	size_t n = strlen(prefix);
	int fd = dirfd(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, n) != 0 || strlen(e->d_name) != n + 6)
			continue;
		bool plain = true;
		for (size_t i = n; i < n + 6; i++)
			plain &= isalnum((unsigned char)e->d_name[i]) != 0;
		struct stat st;
		if (plain && fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && st.st_uid == geteuid())
			unlinkat(fd, e->d_name, 0);
	}
	free(prefix);
	closedir(d);
}

static void index_records(struct cache *c)
{
	for (size_t i = 0; i < c->nmd; i++)
		hmap_put(&c->md_by_rel, c->md_rel[i], &c->md[i]);
	for (size_t i = 0; i < c->npages; i++)
		hmap_put(&c->pages_by_rel, c->page_rel[i], &c->pages[i]);
	for (size_t i = 0; i < c->nsources; i++)
		hmap_put(&c->sources_by_rel, c->source_rel[i], &c->sources[i]);
}

struct cache *cache_open(const char *output, struct cache_key global, bool use_old,
			 struct diag_list *diags)
{
	struct cache *c = xcalloc(1, sizeof *c);
	c->global = global;
	buf_init(&c->file);
	buf_init(&c->next);
	c->fd = -1;
	hmap_init(&c->md_by_rel);
	hmap_init(&c->pages_by_rel);
	hmap_init(&c->sources_by_rel);
	place(c, output);
	struct stat st;
	if (lstat(c->dir, &st) != 0) {
		if (errno != ENOENT || (mkdir(c->dir, 0777) != 0 && errno != EEXIST)) {
			char why[ERRNO_TEXT_MAX];
			diag_warning(diags, c->dir, 0, 0,
				     "cannot make the build cache folder (%s); building without "
				     "a cache", errno_text(errno, why));
			return c;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		diag_warning(diags, c->dir, 0, 0,
			     "is not a folder, so sapan keeps no build cache; move it away to "
			     "make rebuilds faster");
		return c;
	}
	int fd = open(c->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		c->writable = true;
		return c;
	}
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		diag_warning(diags, c->path, 0, 0,
			     "is not a sapan build cache; it is left alone and the site is "
			     "built without a cache");
		return c;
	}
	char chunk[65536];
	ssize_t got;
	while ((got = read(fd, chunk, sizeof chunk)) > 0)
		buf_put(&c->file, chunk, (size_t)got);
	int rc = got < 0 ? -1 : parse(c);
	close(fd);
	if (rc == -2) {
		diag_warning(diags, c->path, 0, 0,
			     "is not a sapan build cache; it is left alone and the site is "
			     "built without a cache");
		forget(c);
		return c;
	}
	c->writable = true;
	if (rc == -1)
		diag_warning(diags, c->path, 0, 0,
			     "the build cache is damaged; it is ignored and rebuilt");
	if (rc != 0 || !use_old) {
		forget(c);
		return c;
	}
	index_records(c);
	return c;
}

void cache_seed(struct cache *c, const char *output)
{
	if (!c->writable || c->file.len || c->nmd || c->npages || c->nsources)
		return;
	struct cache seed = { 0 };
	place(&seed, output);
	int fd = open(seed.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		char chunk[65536];
		ssize_t got;
		while ((got = read(fd, chunk, sizeof chunk)) > 0)
			buf_put(&c->file, chunk, (size_t)got);
		if (got < 0 || parse(c) != 0)
			forget(c);
		else
			index_records(c);
	}
	if (fd >= 0)
		close(fd);
	free(seed.dir);
	free(seed.path);
}

bool cache_writable(const struct cache *c)
{
	return c->writable;
}

const struct cache_markdown *cache_find_markdown(const struct cache *c, const char *rel)
{
	return hmap_get(&c->md_by_rel, rel);
}

const struct cache_page *cache_find_page(const struct cache *c, const char *rel)
{
	return hmap_get(&c->pages_by_rel, rel);
}

bool cache_recall_source(void *cache, const char *rel, const struct site_file_status *status,
			 struct site_recall *out, struct diag_list *diags)
{
	(void)diags; /* a file whose reading was noted is never remembered */
	const struct cache *c = cache;
	const struct cache_source *src = hmap_get(&c->sources_by_rel, rel);
	if (!src || memcmp(&src->status, status, sizeof *status) != 0)
		return false;
	*out = (struct site_recall){ .text_key = src->text_key, .body_at = src->body_at,
				     .body_len = src->body_len, .tree = src->tree.ptr,
				     .tree_len = src->tree.len, .body_line = src->body_line,
				     .record = src };
	return true;
}

int cache_markdown_apply(const struct cache_markdown *m, struct page *page,
			 struct diag_list *diags)
{
	struct reader r = { m->rest.ptr, m->rest.ptr + m->rest.len, false };
	read_rest(&r, page, diags);
	return r.bad ? -1 : 0;
}

/* ---- writing ---- */

static void put_u(struct buf *b, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		buf_putc(b, (char)(v >> (8 * i)));
}

static void put_str(struct buf *b, const char *s, size_t len)
{
	if (!s) {
		put_u(b, NO_STRING, 4);
		return;
	}
	put_u(b, len, 4);
	buf_put(b, s, len);
}

static void put_cstr(struct buf *b, const char *s)
{
	put_str(b, s, s ? strlen(s) : 0);
}

void cache_markdown_encode_rest(struct buf *out, const struct page *page,
				const struct diag_list *diags)
{
	put_cstr(out, page->description);
	put_u(out, diags->len, 4);
	for (size_t i = 0; i < diags->len; i++) {
		const struct diag *d = &diags->items[i];
		put_u(out, (uint64_t)d->severity, 1);
		put_cstr(out, d->file);
		put_u(out, d->line, 4);
		put_u(out, d->col, 4);
		put_cstr(out, d->message);
	}
	put_u(out, page->link_sources.len, 4);
	for (size_t i = 0; i < page->link_sources.cap; i++) {
		const struct hmap_slot *s = &page->link_sources.slots[i];
		if (!s->key)
			continue;
		const struct link_source *ls = s->value;
		put_cstr(out, s->key);
		put_cstr(out, ls->written);
		put_u(out, ls->line, 4);
		put_u(out, ls->col, 4);
	}
}

/* Writes out what the next cache holds beyond CACHE_SPILL bytes (all of
 * it with everything), in whole 16-byte steps, so that the running sum is the sum
 * of the file (cache_key_put_words). */
static void spill(struct cache *c, bool everything)
{
	if (!c->writing || (!everything && c->next.len < CACHE_SPILL))
		return;
	size_t n = everything ? c->next.len : c->next.len & ~(size_t)15;
	if (!everything)
		cache_key_put_words(&c->sum, c->next.ptr, n);
	if (c->write_errno == 0 && write_all(c->fd, c->next.ptr, n) != 0)
		c->write_errno = errno ? errno : EIO;
	memmove(c->next.ptr, c->next.ptr + n, c->next.len - n);
	buf_truncate(&c->next, c->next.len - n);
}

static void emit_bytes(struct cache *c, const char *data, size_t len)
{
	if (!c->writing)
		return;
	buf_put(&c->next, data, len);
	spill(c, false);
}

static void emit(struct cache *c, const struct buf *b)
{
	emit_bytes(c, b->ptr, b->len);
}

void cache_begin_write(struct cache *c)
{
	if (!c->writable)
		return;
	/* Only now, under the output folder's lock: cache_open runs before
	 * it, when another build of the same output may be writing. */
	remove_leftovers(c);
	/* A temporary name, then one rename (cache_finish): a killed build
	 * leaves either cache whole. Named after the cache, so nothing else
	 * is touched. */
	c->tmp = xasprintf("%s.new-XXXXXX", c->path);
	c->fd = mkstemp(c->tmp);
	c->write_errno = c->fd < 0 ? errno : 0;
	c->tmp_made = c->fd >= 0;
	cache_key_init(&c->sum);
	c->writing = true;
	buf_truncate(&c->next, 0);
	BUF_PUTL(&c->next, CACHE_MAGIC);
	put_u(&c->next, CACHE_FORMAT, 4);
	put_u(&c->next, c->global.a, 8);
	put_u(&c->next, c->global.b, 8);
}

void cache_put_markdown(struct cache *c, const char *rel, const struct cache_key *key,
			const struct cache_key *html_hash, const struct buf *rest)
{
	if (!c->writing)
		return;
	struct buf *b = &c->next;
	buf_putc(b, TAG_MARKDOWN);
	put_cstr(b, rel);
	put_u(b, key->a, 8);
	put_u(b, key->b, 8);
	put_u(b, html_hash->a, 8);
	put_u(b, html_hash->b, 8);
	emit(c, rest);
}

void cache_put_source(struct cache *c, const struct page *p)
{
	if (!c->writing)
		return;
	if (p->recalled) {
		const struct cache_source *src = p->recalled;
		emit_bytes(c, src->record.ptr, src->record.len);
		return;
	}
	if (p->tree.len == 0 || !p->settled)
		return;
	struct buf *b = &c->next;
	const struct site_file_status *st = &p->status;
	buf_putc(b, TAG_SOURCE);
	put_cstr(b, p->rel);
	put_u(b, st->dev, 8);
	put_u(b, st->ino, 8);
	put_u(b, st->size, 8);
	put_u(b, (uint64_t)st->mtime_s, 8);
	put_u(b, (uint64_t)st->mtime_ns, 8);
	put_u(b, (uint64_t)st->ctime_s, 8);
	put_u(b, (uint64_t)st->ctime_ns, 8);
	put_u(b, p->text_key.a, 8);
	put_u(b, p->text_key.b, 8);
	put_u(b, p->body_at, 8);
	put_u(b, p->body_len, 8);
	put_u(b, p->fm.body_line, 4);
	put_str(b, p->tree.ptr, p->tree.len);
	spill(c, false);
}

void cache_put_markdown_record(struct cache *c, const struct cache_markdown *m)
{
	emit_bytes(c, m->record.ptr, m->record.len);
}

void cache_put_page(struct cache *c, const char *rel, const struct cache_page *p)
{
	if (!c->writing)
		return;
	struct buf *b = &c->next;
	buf_putc(b, TAG_PAGE);
	put_cstr(b, rel);
	put_u(b, p->inputs.a, 8);
	put_u(b, p->inputs.b, 8);
	put_u(b, p->view.a, 8);
	put_u(b, p->view.b, 8);
	put_u(b, p->stamp.ino, 8);
	put_u(b, (uint64_t)p->stamp.size, 8);
	put_u(b, (uint64_t)p->stamp.mtime_s, 8);
	put_u(b, (uint64_t)p->stamp.mtime_ns, 8);
	put_u(b, (uint64_t)p->stamp.ctime_s, 8);
	put_u(b, (uint64_t)p->stamp.ctime_ns, 8);
	spill(c, false);
}


/* Closes and removes the temporary file of a next cache not put in place. */
static void drop_next(struct cache *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->tmp_made)
		unlink(c->tmp);
	c->tmp_made = false;
	c->fd = -1;
	free(c->tmp);
	c->tmp = NULL;
	c->writing = false;
}

void cache_finish(struct cache *c, struct diag_list *diags)
{
	if (!c->writing)
		return;
	cache_key_put(&c->sum, c->next.ptr, c->next.len);
	buf_putc(&c->next, TAG_END);
	put_u(&c->next, c->sum.a, 8);
	put_u(&c->next, c->sum.b, 8);
	spill(c, true);
	int err = c->write_errno;
	if (err == 0 && close(c->fd) != 0)
		err = errno;
	else if (err == 0)
		c->fd = -1;
	if (err == 0 && rename(c->tmp, c->path) != 0)
		err = errno;
	if (err == 0)
		c->tmp_made = false; /* it is the cache now */
	if (err != 0) {
		char why[ERRNO_TEXT_MAX];
		diag_warning(diags, c->path, 0, 0, "cannot write the build cache: %s",
			     errno_text(err, why));
	}
	drop_next(c);
	buf_free(&c->next);
}

void cache_free(struct cache *c)
{
	if (!c)
		return;
	drop_next(c);
	buf_free(&c->next);
	forget(c);
	hmap_free(&c->md_by_rel);
	hmap_free(&c->pages_by_rel);
	hmap_free(&c->sources_by_rel);
	free(c->dir);
	free(c->path);
	free(c);
}
