/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "cachekey.h"
#include "output.h"
#include "search.h"
#include "site_fixture.h"
#include "test.h"
#include "thai.h"
#include "util.h"

/* Tokens as "term" (Thai, number) or "stem/word" (English), joined by |. */
static void put_token(void *ctx, const struct search_token *tok)
{
	struct buf *b = ctx;
	if (b->len)
		buf_putc(b, '|');
	buf_put(b, tok->term, tok->len);
	if (tok->kind == SEARCH_STEM) {
		buf_putc(b, '/');
		buf_put(b, tok->surface, tok->surface_len);
	}
	if (tok->kind == SEARCH_NUMBER)
		buf_putc(b, '#');
}

static struct search *searcher(struct thai **thai)
{
	*thai = thai_new();
	struct search *s = search_new(1, *thai);
	if (!s)
		abort(); /* the stemmer is part of the build: nothing to test without it */
	return s;
}

#define CHECK_TOKENS(s, text, want)                                                   \
	do {                                                                          \
		struct buf got_ = BUF_INIT;                                           \
		search_tokenize((s), 0, (text), strlen(text), put_token, &got_);      \
		CHECK_STR(got_.ptr, (want));                                          \
		buf_free(&got_);                                                      \
	} while (0)

static void english_is_folded_and_stemmed(void)
{
	struct thai *thai;
	struct search *s = searcher(&thai);
	CHECK_TOKENS(s, "Migrants' Rights, EDUCATION and educational",
		     "migrant/migrants|right/rights|educ/education|and/and|educ/educational");
	CHECK_TOKENS(s, "migrants", "migrant/migrants");
	CHECK_TOKENS(s, "Thailand's women's groups", "thailand/thailand's|women/women's|group/groups");
	CHECK_TOKENS(s, "Café RÉSUMÉ", "café/café|résumé/résumé");
	CHECK_TOKENS(s, "", "");
	CHECK_TOKENS(s, "-- ... !!", "");
	search_free(s);
	thai_free(thai);
}

static void numbers_and_thai_digits(void)
{
	struct thai *thai;
	struct search *s = searcher(&thai);
	/* Thai digits are the Arabic ones; a word with letters is a word. */
	CHECK_TOKENS(s, "2015 ๒๕๕๘ p00042 3.5", "2015#|2558#|p00042/p00042|3#|5#");
	CHECK_TOKENS(s, "พ.ศ.๒๕๕๖", "พ|ศ|2556#");
	CHECK_TOKENS(s, "ปี2556", "ปี|2556#");
	search_free(s);
	thai_free(thai);
}

static void thai_compounds_are_split_into_words(void)
{
	struct thai *thai;
	struct search *s = searcher(&thai);
	REQUIRE(thai != NULL);
	CHECK_TOKENS(s, "ครอบครัวแรงงานข้ามชาติ", "ครอบครัว|แรงงาน|ข้าม|ชาติ");
	/* Again, from what the tokenizer remembers of the run. */
	CHECK_TOKENS(s, "ครอบครัวแรงงานข้ามชาติ", "ครอบครัว|แรงงาน|ข้าม|ชาติ");
	CHECK_TOKENS(s, "อาสาสมัครสาธารณสุขชุมชน", "อาสา|สมัคร|สาธารณสุข|ชุมชน");
	/* ๆ and ฯ are not letters of a word. */
	CHECK_TOKENS(s, "ต่าง ๆ กรุงเทพฯ", "ต่าง|กรุงเทพ");
	search_free(s);
	thai_free(thai);
}

static void mixed_thai_and_english(void)
{
	struct thai *thai;
	struct search *s = searcher(&thai);
	CHECK_TOKENS(s, "โครงการAUP IIในชุมชน", "โครงการ|aup/aup|ii/ii|ใน|ชุมชน");
	CHECK_TOKENS(s, "น้ำสะอาด (clean water)", "น้ำ|สะอาด|clean/clean|water/water");
	search_free(s);
	thai_free(thai);
}

/* What the Thai tidying fixes is the same word as its right spelling. */
static void typing_faults_give_the_right_word(void)
{
	struct thai *thai;
	struct search *s = searcher(&thai);
	/* SARA AM typed as NIKHAHIT + tone + SARA AA. */
	CHECK_TOKENS(s, "\u0e19\u0e4d\u0e49\u0e32", "น้ำ");
	/* A tone mark typed twice. */
	CHECK_TOKENS(s, "\u0e17\u0e35\u0e48\u0e48", "ที่");
	/* A tone typed before the vowel above. */
	CHECK_TOKENS(s, "\u0e17\u0e48\u0e35", "ที่");
	/* A zero-width space inside a Thai phrase. */
	CHECK_TOKENS(s, "ครอบครัว\u200bแรงงาน", "ครอบครัว|แรงงาน");
	search_free(s);
	thai_free(thai);
}

/* Without libthai's dictionary a Thai run is one word. */
static void without_a_breaker(void)
{
	struct search *s = search_new(1, NULL);
	REQUIRE(s != NULL);
	CHECK_TOKENS(s, "ครอบครัวแรงงาน water", "ครอบครัวแรงงาน|water/water");
	search_free(s);
}

static void html_text(void)
{
	static const struct {
		const char *html, *text;
	} cases[] = {
		{ "<h2 id=\"x\">Title</h2><p>a &amp; b</p>", " Title  a & b " },
		{ "x<script>var a = '<p>';</script>y", "x y" },
		{ "x<STYLE type=\"text/css\">p{}</style>y", "x y" },
		{ "x<!-- <p>no</p> -->y", "x y" },
		{ "&#x0E01;&#3585;&lt;&quot;&nbsp;&bogus;&", "กก<\" &bogus;&" },
		{ "<p unclosed", " " },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf b = BUF_INIT;
		search_html_text(cases[i].html, strlen(cases[i].html), &b);
		CHECK_STR(b.ptr, cases[i].text);
		buf_free(&b);
	}
}

static char *read_text(const char *path)
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
	return buf_detach(&b);
}

/* The line of shard text for term in the index at dir: found through
 * terms.txt as the script finds it. NULL when the term is not there. */
static char *postings_of(const char *dir, const char *term)
{
	char *path = xasprintf("%s/terms.txt", dir);
	char *vocab = read_text(path);
	free(path);
	if (!vocab)
		return NULL;
	char *found = NULL;
	size_t shard = 0;
	char *save_line, *line = strtok_r(strchr(vocab, '\n') + 1, "\n", &save_line);
	for (; line && !found; line = strtok_r(NULL, "\n", &save_line), shard++) {
		size_t at = 0;
		char *save, *entry = strtok_r(line, " ", &save);
		for (; entry && !found; entry = strtok_r(NULL, " ", &save), at++) {
			size_t n = strcspn(entry, "|");
			if (n != strlen(term) || strncmp(entry, term, n) != 0)
				continue;
			path = xasprintf("%s/s%zu.txt", dir, shard);
			char *text = read_text(path);
			free(path);
			char *l = text;
			for (size_t k = 0; l && k < at; k++) {
				l = strchr(l, '\n');
				l = l ? l + 1 : NULL;
			}
			if (l)
				found = xstrndup(l, strcspn(l, "\n"));
			free(text);
		}
	}
	free(vocab);
	return found;
}

static const char *const pages[] = {
	"en/water.md", "---\ntitle: Clean water\n---\nWater for schools, and water for homes.\n",
	"th/water.md", "---\ntitle: น้ำสะอาด\n---\nน้ำสะอาดสำหรับโรงเรียน\n",
	"en/only.md", "---\ntitle: Only in English\nresources:\n  - title: Water report\n    "
		      "page: water.md\n---\nA page with no Thai version.\n",
	"en/draft.md", "---\ntitle: Secret water\ndraft: true\n---\nNot published.\n",
	NULL,
};

/* Adds every page of f but the drafts to s; returns how many. */
static size_t index_pages(struct search *s, struct site_fixture *f)
{
	size_t indexed = 0;
	search_reserve(s, f->site.npages);
	for (size_t i = 0; i < f->site.npages; i++) {
		struct page *p = f->site.pages[i];
		if (site_render_markdown(&f->site, p, &f->diags) != 0)
			abort(); /* the fixture's pages are all valid */
		if (!p->fm.draft) {
			search_add_page(s, 0, p, p->html, false);
			indexed++;
		}
	}
	return indexed;
}

/* Writes both languages' index of s into dir. */
static void write_index(struct search *s, struct site_fixture *f, const char *dir)
{
	struct output *out = output_begin(dir, &f->diags);
	REQUIRE(out != NULL);
	for (size_t l = 0; l < 2; l++)
		CHECK_INT(search_write(s, &f->site, l, out, NULL, NULL, &f->diags), 0);
	CHECK_INT(output_commit(out, &f->diags), 0);
	output_end(out);
}

/* The writer: the right pages on a term's list, with their weights; an
 * English-only page in the Thai index; no draft; records with links. */
static void index_files(void)
{
	const char *const *lists[] = { pages, NULL };
	struct site_fixture f;
	REQUIRE(site_fixture_setup(&f, lists) == 0);
	struct thai *thai;
	struct search *s = searcher(&thai);
	index_pages(s, &f);
	CHECK(search_complete(s, &f.site));
	char *out_dir = xasprintf("%s/out", f.dir);
	write_index(s, &f, out_dir);
	CHECK_INT(f.diags.errors, 0);

	/* The English pages in path order: home, only, water (the draft is
	 * not among them). "water" is in the title of water.md (weight class
	 * 4 + 1: twice in its text) and in a resource title of only.md
	 * (class 0). Doc numbers: 0 home, 1 only, 2 water: gaps "B" (1) and
	 * "C" (2, from -1). */
	char *en = xasprintf("%s/en/search", out_dir);
	char *got = postings_of(en, "water");
	CHECK_STR(got, "5dC 0dB");
	free(got);
	CHECK(postings_of(en, "secret") == NULL);
	CHECK(postings_of(en, "publish") == NULL);
	char *path = xasprintf("%s/d0.txt", en);
	char *docs = read_text(path);
	/* The text an excerpt is cut from: the description, then the
	 * resource titles (the body, which starts with the description, adds
	 * nothing more). */
	CHECK_CONTAINS(docs, "../only/\tOnly in English\ten\tA page with no Thai version."
			     " \xC2\xB7 Water report\n");
	CHECK_CONTAINS(docs, "../water/\tClean water\ten\t");
	free(docs);
	free(path);
	/* The Thai index: home, the Thai page, and the English-only page
	 * (its link leads into the English folder). */
	char *th = xasprintf("%s/th/search", out_dir);
	got = postings_of(th, "น้ำ");
	CHECK(got != NULL);
	free(got);
	got = postings_of(th, "english");
	CHECK(got != NULL);
	free(got);
	path = xasprintf("%s/d0.txt", th);
	docs = read_text(path);
	CHECK_CONTAINS(docs, "../../en/only/\tOnly in English\ten\t");
	CHECK(!strstr(docs, "Clean water"));
	free(docs);
	free(path);
	/* An English stem lists the words it stands for. */
	path = xasprintf("%s/terms.txt", en);
	char *vocab = read_text(path);
	CHECK_CONTAINS(vocab, " school|+s");
	CHECK(!strstr(vocab, "secret"));
	free(vocab);
	free(path);
	free(th);
	free(en);
	free(out_dir);
	search_free(s);
	thai_free(thai);
	site_fixture_teardown(&f);
}

/* Whether the index files of two output folders are the same. */
static bool same_index(const char *a, const char *b)
{
	const char *files[] = { "en/search/terms.txt", "en/search/s0.txt", "en/search/d0.txt",
				"th/search/terms.txt", "th/search/s0.txt", "th/search/d0.txt" };
	bool same = true;
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *pa = xasprintf("%s/%s", a, files[i]), *pb = xasprintf("%s/%s", b, files[i]);
		char *ta = read_text(pa), *tb = read_text(pb);
		same &= ta && tb && strcmp(ta, tb) == 0;
		free(ta);
		free(tb);
		free(pa);
		free(pb);
	}
	return same;
}

/* A fresh index that loads the records at path with key. */
static size_t load_into_fresh(struct site_fixture *f, const struct cache_key *key, const char *path,
			      struct search **out, struct thai *thai)
{
	*out = search_new(2, thai);
	if (!*out)
		abort(); /* the stemmer is part of the build */
	search_reserve(*out, f->site.npages);
	return search_load(*out, &f->site, key, path);
}

/* The records file gives back every page's record, and the same index;
 * one that is cut, changed, of another key or not a file gives none. */
static void records_round_trip(void)
{
	const char *const *lists[] = { pages, NULL };
	struct site_fixture f;
	REQUIRE(site_fixture_setup(&f, lists) == 0);
	struct thai *thai;
	struct search *s = searcher(&thai);
	size_t indexed = index_pages(s, &f);
	char *first = xasprintf("%s/first", f.dir), *second = xasprintf("%s/second", f.dir);
	write_index(s, &f, first);
	struct cache_key key = cache_key_of("build", 5), other = cache_key_of("other", 5);
	char *path = xasprintf("%s/records", f.dir);
	search_save(s, &f.site, &key, path);
	search_free(s);

	struct search *again;
	CHECK_INT(load_into_fresh(&f, &key, path, &again, thai), indexed);
	CHECK(search_complete(again, &f.site));
	write_index(again, &f, second);
	CHECK(same_index(first, second));
	/* Every record taken, none gathered: the file is left as it is. */
	struct stat was, now;
	REQUIRE(stat(path, &was) == 0);
	search_save(again, &f.site, &key, path);
	REQUIRE(stat(path, &now) == 0);
	CHECK(now.st_ino == was.st_ino);
	/* A page gathered again: written afresh, and still whole. */
	search_add_page(again, 0, f.site.pages[0], f.site.pages[0]->html, false);
	search_save(again, &f.site, &key, path);
	REQUIRE(stat(path, &now) == 0);
	CHECK(now.st_ino != was.st_ino);
	search_free(again);
	CHECK_INT(load_into_fresh(&f, &key, path, &again, thai), indexed);
	search_free(again);

	CHECK_INT(load_into_fresh(&f, &other, path, &again, thai), 0);
	search_free(again);
	struct stat st;
	REQUIRE(stat(path, &st) == 0);
	char *whole = read_text(path);
	REQUIRE(whole != NULL);
	FILE *w = fopen(path, "r+b");
	REQUIRE(w != NULL);
	fseek(w, (long)st.st_size / 2, SEEK_SET);
	fputc(whole[st.st_size / 2] ^ 1, w);
	fclose(w);
	CHECK_INT(load_into_fresh(&f, &key, path, &again, thai), 0);
	search_free(again);
	REQUIRE(truncate(path, st.st_size - 1) == 0);
	CHECK_INT(load_into_fresh(&f, &key, path, &again, thai), 0);
	search_free(again);
	free(whole);
	/* A FIFO is not waited on. */
	unlink(path);
	REQUIRE(mkfifo(path, 0600) == 0);
	CHECK_INT(load_into_fresh(&f, &key, path, &again, thai), 0);
	search_free(again);

	free(path);
	free(first);
	free(second);
	thai_free(thai);
	site_fixture_teardown(&f);
}

/* Twelve pages with "water" once in their text and one with it in its
 * title: the title's class first, then the others, as a bitmap, which is
 * shorter than their gaps. */
static const char *const many_pages[] = {
	"en/a01.md", "---\ntitle: Page\n---\nWater.\n", "en/a02.md", "---\ntitle: Page\n---\nWater.\n",
	"en/a03.md", "---\ntitle: Page\n---\nWater.\n", "en/a04.md", "---\ntitle: Page\n---\nWater.\n",
	"en/a05.md", "---\ntitle: Page\n---\nWater.\n", "en/a06.md", "---\ntitle: Page\n---\nWater.\n",
	"en/a07.md", "---\ntitle: Page\n---\nWater.\n", "en/a08.md", "---\ntitle: Page\n---\nWater.\n",
	"en/a09.md", "---\ntitle: Page\n---\nWater.\n", "en/a10.md", "---\ntitle: Page\n---\nWater.\n",
	"en/a11.md", "---\ntitle: Page\n---\nWater.\n", "en/a12.md", "---\ntitle: Page\n---\nWater.\n",
	"en/title.md", "---\ntitle: Water\n---\nNothing.\n",
	NULL,
};

static void postings_by_class_and_bitmap(void)
{
	const char *const *lists[] = { many_pages, NULL };
	struct site_fixture f;
	REQUIRE(site_fixture_setup(&f, lists) == 0);
	struct thai *thai;
	struct search *s = searcher(&thai);
	index_pages(s, &f);
	char *out_dir = xasprintf("%s/out", f.dir);
	write_index(s, &f, out_dir);
	char *en = xasprintf("%s/en/search", out_dir);
	char *got = postings_of(en, "water");
	/* Pages: 0 the home page, 1-12 a01-a12, 13 title. Class 4 (in the
	 * title): page 13, gap "N". Class 0: pages 1-12 as six bits a digit:
	 * 1-5 ("-", 62), 6-11 ("_", 63), 12 ("B", 1). */
	CHECK_STR(got, "4dN 0b-_B");
	free(got);
	free(en);
	free(out_dir);
	search_free(s);
	thai_free(thai);
	site_fixture_teardown(&f);
}

TEST_LIST(T(english_is_folded_and_stemmed), T(numbers_and_thai_digits),
	  T(thai_compounds_are_split_into_words), T(mixed_thai_and_english),
	  T(typing_faults_give_the_right_word), T(without_a_breaker), T(html_text),
	  T(index_files), T(records_round_trip), T(postings_by_class_and_bitmap));
TEST_MAIN()
