/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "output.h"
#include "test.h"

static struct cache_key key_of(const char *s)
{
	struct cache_key k;
	cache_key_init(&k);
	cache_key_str(&k, s);
	return k;
}

static size_t count(const struct diag_list *d, enum diag_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < d->len; i++)
		n += d->items[i].severity == sev;
	return n;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

static void spill(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

static const struct output_stamp STAMP = { 7, 3, 1700000000, 5, 1700000001, 6 };
static const struct site_file_status STATUS = { 2049, 77, 40, 1700000000, 11, 1700000002, 12 };

/* Writes a cache for <base>/site with one page of each kind of record. */
static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	for (struct dirent *e; d && (e = readdir(d)) != NULL;)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void write_one(const char *site, struct cache_key global)
{
	struct diag_list d, page_diags;
	diag_list_init(&d);
	diag_list_init(&page_diags);
	struct cache *c = cache_open(site, global, true, &d);
	CHECK(cache_writable(c));
	struct page p;
	memset(&p, 0, sizeof p);
	hmap_init(&p.link_sources);
	p.description = xstrdup("A page.");
	site_put_link_source(&p, "../b/", "b.md", 4, 9);
	diag_warning(&page_diags, "content/en/a.md", 4, 1, "image 'x' has no alt text");
	struct buf rest = BUF_INIT;
	cache_markdown_encode_rest(&rest, &p, &page_diags);
	struct cache_key k = key_of("a's text");
	cache_begin_write(c);
	struct cache_key html = key_of("<p>A</p>");
	cache_put_markdown(c, "en/a.md", &k, &html, &rest);
	struct page src;
	memset(&src, 0, sizeof src);
	src.rel = xstrdup("en/a.md");
	src.status = STATUS;
	src.text_key = key_of("a's text");
	buf_init(&src.tree);
	BUF_PUTL(&src.tree, "a tree");
	src.body_at = 17;
	src.body_len = 12;
	src.fm.body_line = 4;
	src.settled = true;
	cache_put_source(c, &src);
	/* A file too new for its status to stand for it is not remembered. */
	src.settled = false;
	free(src.rel);
	src.rel = xstrdup("en/new.md");
	cache_put_source(c, &src);
	free(src.rel);
	buf_free(&src.tree);
	struct cache_page pg = { key_of("inputs"), key_of("view"), STAMP };
	cache_put_page(c, "en/a/index.html", &pg);
	cache_finish(c, &d);
	cache_free(c);
	CHECK_INT(d.len, 0);
	buf_free(&rest);
	free(p.description);
	const struct link_source *ls = site_link_source(&p, "../b/");
	if (ls)
		free(ls->written);
	free((void *)ls);
	hmap_free(&p.link_sources);
	diag_list_free(&d);
	diag_list_free(&page_diags);
}

/* What a later build reads back is what was written: the HTML's hash, the
 * description, the diagnostics and link sources, the page's record. */
static void reads_back_what_it_wrote(void)
{
	char base[] = "/tmp/sapan-cache-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct cache_key global = key_of("global");
	write_one(site, global);
	char *path = xasprintf("%s/" CACHE_DIR "/site.cache", base);
	CHECK(access(path, F_OK) == 0);

	struct diag_list d;
	diag_list_init(&d);
	struct cache *c = cache_open(site, global, true, &d);
	CHECK_INT(d.len, 0);
	const struct cache_markdown *m = cache_find_markdown(c, "en/a.md");
	REQUIRE(m != NULL);
	struct cache_key k = key_of("a's text");
	CHECK(m->key.a == k.a && m->key.b == k.b);
	struct cache_key html = key_of("<p>A</p>");
	CHECK(m->html_hash.a == html.a && m->html_hash.b == html.b);
	struct page p;
	memset(&p, 0, sizeof p);
	hmap_init(&p.link_sources);
	CHECK_INT(cache_markdown_apply(m, &p, &d), 0);
	CHECK_STR(p.description, "A page.");
	REQUIRE(d.len == 1);
	CHECK_STR(d.items[0].file, "content/en/a.md");
	CHECK_INT(d.items[0].line, 4);
	CHECK(d.items[0].severity == DIAG_WARNING);
	CHECK_STR(d.items[0].message, "image 'x' has no alt text");
	const struct link_source *ls = site_link_source(&p, "../b/");
	REQUIRE(ls != NULL);
	CHECK_STR(ls->written, "b.md");
	CHECK_INT(ls->col, 9);
	const struct cache_page *pg = cache_find_page(c, "en/a/index.html");
	REQUIRE(pg != NULL);
	CHECK(memcmp(&pg->stamp, &STAMP, sizeof STAMP) == 0);
	struct cache_key in = key_of("inputs");
	CHECK(cache_key_equal(&pg->inputs, &in));
	CHECK(cache_find_page(c, "en/b/index.html") == NULL);
	/* A page file is recalled only with the very status it had. */
	struct site_recall r;
	CHECK(cache_recall_source(c, "en/a.md", &STATUS, &r, &d));
	CHECK(cache_key_equal(&r.text_key, &k));
	CHECK_INT(r.body_at, 17);
	CHECK_INT(r.body_len, 12);
	CHECK_INT(r.body_line, 4);
	CHECK(r.tree_len == 6 && memcmp(r.tree, "a tree", 6) == 0);
	CHECK(!cache_recall_source(c, "en/b.md", &STATUS, &r, &d));
	CHECK(!cache_recall_source(c, "en/new.md", &STATUS, &r, &d));
	for (int f = 0; f < 7; f++) {
		struct site_file_status other = STATUS;
		switch (f) {
		case 0: other.dev++; break;
		case 1: other.ino++; break;
		case 2: other.size++; break;
		case 3: other.mtime_s++; break;
		case 4: other.mtime_ns++; break;
		case 5: other.ctime_s++; break;
		default: other.ctime_ns++; break;
		}
		CHECK(!cache_recall_source(c, "en/a.md", &other, &r, &d));
	}
	cache_free(c);
	free(ls->written);
	free((void *)ls);
	hmap_free(&p.link_sources);
	free(p.description);
	diag_list_free(&d);

	/* Another global key, or a refresh: nothing is used, silently. */
	diag_list_init(&d);
	c = cache_open(site, key_of("other"), true, &d);
	CHECK(cache_find_markdown(c, "en/a.md") == NULL);
	CHECK(cache_writable(c));
	cache_free(c);
	c = cache_open(site, global, false, &d);
	CHECK(cache_find_markdown(c, "en/a.md") == NULL);
	cache_free(c);
	CHECK_INT(d.len, 0);
	diag_list_free(&d);
	free(path);
	free(site);
	CHECK_INT(output_remove_tree(base), 0);
}

/* A cache cut at any length, or with any bit flipped, is read without a
 * fault and not used at all; a cut one is reported. */
static void distrusts_damaged_caches(void)
{
	char base[] = "/tmp/sapan-cache-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct cache_key global = key_of("global");
	write_one(site, global);
	char *path = xasprintf("%s/" CACHE_DIR "/site.cache", base);
	size_t len;
	char *good = slurp(path, &len);
	REQUIRE(good != NULL && len > 40);
	for (size_t cut = 0; cut < len; cut++) {
		spill(path, good, cut);
		struct diag_list d;
		diag_list_init(&d);
		struct cache *c = cache_open(site, global, true, &d);
		CHECK(cache_find_markdown(c, "en/a.md") == NULL);
		CHECK(cache_find_page(c, "en/a/index.html") == NULL);
		CHECK_INT(count(&d, DIAG_WARNING), 1);
		/* Only a file without the magic is not sapan's to replace. */
		CHECK(cache_writable(c) == (cut >= strlen("SAPANCACHE")));
		cache_free(c);
		diag_list_free(&d);
	}
	char *bad = xmalloc(len);
	for (size_t at = 0; at < len; at++) {
		for (int bits = 1; bits < 256; bits <<= 1) {
			memcpy(bad, good, len);
			bad[at] = (char)(bad[at] ^ bits);
			spill(path, bad, len);
			struct diag_list d;
			diag_list_init(&d);
			struct cache *c = cache_open(site, global, true, &d);
			CHECK(cache_find_markdown(c, "en/a.md") == NULL);
			CHECK(cache_find_page(c, "en/a/index.html") == NULL);
			cache_free(c);
			diag_list_free(&d);
		}
	}
	free(bad);
	free(good);
	free(path);
	free(site);
	CHECK_INT(output_remove_tree(base), 0);
}

/* A file in the cache's place that is not a cache, or a file where the
 * cache folder goes, is the user's: reported, used for nothing, and never
 * overwritten. */
static void leaves_foreign_files_alone(void)
{
	char base[] = "/tmp/sapan-cache-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	char *dir = xasprintf("%s/" CACHE_DIR, base);
	char *path = xasprintf("%s/site.cache", dir);
	CHECK_INT(mkdir(dir, 0755), 0);
	spill(path, "my notes\n", 9);
	struct diag_list d;
	diag_list_init(&d);
	struct cache *c = cache_open(site, key_of("g"), true, &d);
	CHECK(!cache_writable(c));
	CHECK_INT(count(&d, DIAG_WARNING), 1);
	cache_begin_write(c);
	cache_finish(c, &d);
	cache_free(c);
	size_t len;
	char *text = slurp(path, &len);
	CHECK(text && len == 9 && memcmp(text, "my notes\n", 9) == 0);
	free(text);
	CHECK_INT(unlink(path), 0);
	CHECK_INT(rmdir(dir), 0);
	spill(dir, "a file", 6);
	diag_list_free(&d);
	diag_list_init(&d);
	c = cache_open(site, key_of("g"), true, &d);
	CHECK(!cache_writable(c));
	CHECK_INT(count(&d, DIAG_WARNING), 1);
	cache_free(c);
	diag_list_free(&d);
	free(path);
	free(dir);
	free(site);
	CHECK_INT(output_remove_tree(base), 0);
}

/* The key of a value tree sees every part of it, and two strings never
 * run together. */
static void keys_see_everything(void)
{
	struct value *a = value_map(), *b = value_map();
	value_set_str(a, "title", "ab");
	value_set_str(a, "x", "c");
	value_set_str(b, "title", "a");
	value_set_str(b, "x", "bc");
	struct cache_key ka, kb;
	cache_key_init(&ka);
	cache_key_init(&kb);
	cache_key_value(&ka, a);
	cache_key_value(&kb, b);
	CHECK(ka.a != kb.a && ka.b != kb.b);
	value_set_str(b, "title", "ab");
	value_set_str(b, "x", "c");
	cache_key_init(&kb);
	cache_key_value(&kb, b);
	CHECK(ka.a == kb.a && ka.b == kb.b);
	value_set_bool(b, "flag", false);
	cache_key_init(&kb);
	cache_key_value(&kb, b);
	CHECK(ka.a != kb.a);
	value_free(a);
	value_free(b);
	struct cache_key n, e;
	cache_key_init(&n);
	cache_key_init(&e);
	cache_key_str(&n, NULL);
	cache_key_str(&e, "");
	CHECK(n.a != e.a);
}

/* A cache larger than what is held in memory while it is written (it is
 * written in pieces, summed as it goes) reads back whole. */
static void writes_large_caches_in_pieces(void)
{
	char base[] = "/tmp/sapan-cache-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct cache_key global = key_of("global");
	struct diag_list d;
	diag_list_init(&d);
	struct cache *c = cache_open(site, global, true, &d);
	cache_begin_write(c);
	struct buf rest = BUF_INIT, text = BUF_INIT;
	for (int i = 0; i < 501; i++)
		buf_putc(&text, (char)('a' + i % 26));
	struct page p;
	memset(&p, 0, sizeof p);
	hmap_init(&p.link_sources);
	p.description = text.ptr;
	struct diag_list none;
	diag_list_init(&none);
	cache_markdown_encode_rest(&rest, &p, &none);
	enum { N = 5000 }; /* 5,000 records of over 500 bytes: 2.5 MB */
	for (int i = 0; i < N; i++) {
		char rel[32];
		snprintf(rel, sizeof rel, "en/p%d.md", i);
		struct cache_key k = key_of(rel);
		cache_put_markdown(c, rel, &k, &k, &rest);
	}
	cache_finish(c, &d);
	cache_free(c);
	CHECK_INT(d.len, 0);
	c = cache_open(site, global, true, &d);
	CHECK_INT(d.len, 0);
	size_t found = 0;
	for (int i = 0; i < N; i++) {
		char rel[32];
		snprintf(rel, sizeof rel, "en/p%d.md", i);
		struct cache_key k = key_of(rel);
		const struct cache_markdown *m = cache_find_markdown(c, rel);
		found += m && cache_key_equal(&m->key, &k) && m->rest.len == rest.len;
	}
	CHECK_INT(found, N);
	cache_free(c);
	char *dir = xasprintf("%s/" CACHE_DIR, base);
	CHECK_INT(count_entries(dir), 1); /* the cache, no temporary file */
	free(dir);
	buf_free(&rest);
	buf_free(&text);
	hmap_free(&p.link_sources);
	diag_list_free(&d);
	free(site);
	CHECK_INT(output_remove_tree(base), 0);
}

TEST_LIST(T(writes_large_caches_in_pieces), T(reads_back_what_it_wrote), T(distrusts_damaged_caches),
	  T(leaves_foreign_files_alone), T(keys_see_everything));
TEST_MAIN()
