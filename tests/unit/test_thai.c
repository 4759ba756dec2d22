/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "thai.h"

/* Code points in the first n bytes of s. */
static size_t chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

static void short_text_is_kept(void)
{
	const char *s = "สวัสดี world";
	CHECK_INT(thai_cut(NULL, s, strlen(s), 12), strlen(s));
	CHECK_INT(thai_cut(NULL, "", 0, 5), 0);
}

static void latin_is_cut_at_a_space(void)
{
	const char *s = "The quick brown fox jumps over the lazy dog";
	size_t cut = thai_cut(NULL, s, strlen(s), 22);
	CHECK_INT(cut, strlen("The quick brown fox"));
	/* No space in the second half: cut at the character. */
	s = "a supercalifragilisticexpialidocious word";
	CHECK_INT(thai_cut(NULL, s, strlen(s), 20), 20);
}

/* The code point of the UTF-8 sequence at s (Thai: three bytes). */
static unsigned thai_cp(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	return (u[0] & 0x0fu) << 12 | (u[1] & 0x3fu) << 6 | (u[2] & 0x3fu);
}

/* Without word boundaries, a cut still never separates a consonant from
 * its vowel and tone marks, nor a leading vowel from its consonant. */
static void marks_stay_with_their_consonant(void)
{
	static const char *const texts[] = { "ที่นี่ที่นี่ที่นี่", "เมียเมียเมียเมีย", "น้ำใจน้ำใจน้ำใจ" };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		const char *s = texts[i];
		for (size_t max = 1; max < 14; max++) {
			size_t cut = thai_cut(NULL, s, strlen(s), max);
			CHECK(chars(s, cut) <= max);
			unsigned after = thai_cp(s + cut), before = cut ? thai_cp(s + cut - 3) : 0;
			CHECK(after != 0x0e31 && !(after >= 0x0e33 && after <= 0x0e3a) &&
			      !(after >= 0x0e47 && after <= 0x0e4e));
			CHECK(!(before >= 0x0e40 && before <= 0x0e44));
		}
	}
	/* "ที่" is one grapheme: with room for two code points, nothing is kept. */
	CHECK_INT(thai_cut(NULL, "ที่นี่", strlen("ที่นี่"), 2), 0);
}

/* With libthai, Thai is cut between words. */
static void thai_is_cut_at_a_word(void)
{
	struct thai *t = thai_new();
	REQUIRE(t != NULL); /* libthai-data provides the dictionary */
	const char *s = "โครงการส่งเสริมเสถียรภาพความเป็นอยู่ที่ดี";
	/* Words: โครงการ|ส่งเสริม|เสถียรภาพ|ความ|เป็น|อยู่|ที่|ดี */
	size_t cut = thai_cut(t, s, strlen(s), 20);
	CHECK_INT(cut, strlen("โครงการส่งเสริม"));
	cut = thai_cut(t, s, strlen(s), 27);
	CHECK_INT(cut, strlen("โครงการส่งเสริมเสถียรภาพ"));
	/* Mixed with spaces: the later boundary wins. */
	const char *m = "AUP II โครงการส่งเสริมเสถียรภาพ";
	CHECK_INT(thai_cut(t, m, strlen(m), 20), strlen("AUP II โครงการ"));
	thai_free(t);
	thai_free(NULL);
}

/* The ends of the words of a phrase, in code points from the text's start. */
struct word_ends {
	const char *text;
	size_t base; /* the phrase's byte offset in text */
	size_t end[64];
	size_t n;
};

static void note_end(void *ctx, size_t start, size_t n)
{
	struct word_ends *w = ctx;
	if (w->n < 64)
		w->end[w->n++] = chars(w->text, w->base + start + n);
}

/* thai_cut breaks only the text after the last space before the cut:
 * at every length, its cut is the last end of a word as libthai finds it
 * in each phrase alone. */
static void thai_cut_breaks_from_the_last_space(void)
{
	struct thai *t = thai_new();
	REQUIRE(t != NULL);
	const char *s = "ความเป็นอยู่ที่ดี ของชุมชนผู้ย้ายถิ่น และชุมชนเจ้าบ้าน "
			"ในจังหวัดตากและอำเภอแม่สอด";
	struct word_ends w = { .text = s };
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, " ");
		w.base = (size_t)(p - s);
		thai_words(t, p, n, note_end, &w);
		p += n + (p[n] == ' ');
	}
	REQUIRE(w.n > 10);
	size_t total = chars(s, strlen(s)), checked = 0;
	for (size_t max = 1; max < total; max++) {
		size_t want = 0;
		for (size_t i = 0; i < w.n; i++)
			if (w.end[i] <= max)
				want = w.end[i];
		if (2 * want < max)
			continue; /* then cut at a grapheme: marks_stay_with_... */
		CHECK_INT(chars(s, thai_cut(t, s, strlen(s), max)), want);
		checked++;
	}
	CHECK(checked > total / 2);
	thai_free(t);
}

/* One breaker shared by render threads (thai.h says why that is safe):
 * every thread finds the same cuts as one thread alone. */
struct shared_cut {
	struct thai *t;
	const char *text;
	size_t want[40];
	int wrong;
};

static void *cut_many(void *arg)
{
	struct shared_cut *sc = arg;
	size_t len = strlen(sc->text);
	for (int round = 0; round < 30; round++) {
		for (size_t max = 1; max < 40; max++) {
			if (thai_cut(sc->t, sc->text, len, max) != sc->want[max])
				sc->wrong++;
		}
	}
	return NULL;
}

static void one_breaker_serves_threads(void)
{
	struct thai *t = thai_new();
	REQUIRE(t != NULL);
	const char *s = "โครงการส่งเสริมเสถียรภาพความเป็นอยู่ที่ดีของชุมชนริมน้ำ";
	struct shared_cut sc[4];
	for (int k = 0; k < 4; k++) {
		sc[k] = (struct shared_cut){ .t = t, .text = s };
		for (size_t max = 1; max < 40; max++)
			sc[k].want[max] = thai_cut(t, s, strlen(s), max);
	}
	pthread_t th[4];
	for (int k = 0; k < 4; k++)
		REQUIRE(pthread_create(&th[k], NULL, cut_many, &sc[k]) == 0);
	for (int k = 0; k < 4; k++) {
		pthread_join(th[k], NULL);
		CHECK_INT(sc[k].wrong, 0);
	}
	thai_free(t);
}

static void check_typeset(const char *in, const char *want)
{
	struct buf b = BUF_INIT;
	thai_typeset(in, strlen(in), &b);
	CHECK_STR(b.ptr, want);
	buf_free(&b);
}

/* A no-break space before ๆ and after พ.ศ./ค.ศ. before a year; all else
 * as written. */
static void typeset_rules(void)
{
	check_typeset("ต่าง ๆ กัน", "ต่าง\u00a0ๆ กัน");
	check_typeset("ต่าง   ๆ", "ต่าง\u00a0ๆ");
	check_typeset("ต่างๆ", "ต่างๆ"); /* nothing inserted where no space was written */
	check_typeset(" ๆ", "\u00a0ๆ");
	check_typeset("ปี พ.ศ. 2556", "ปี พ.ศ.\u00a02556");
	check_typeset("พ.ศ 2556", "พ.ศ\u00a02556");
	check_typeset("ค.ศ.  2013", "ค.ศ.\u00a02013");
	check_typeset("พ.ศ. ๒๕๕๖", "พ.ศ.\u00a0๒๕๕๖");
	check_typeset("พ.ศ.2556", "พ.ศ.2556");
	check_typeset("พ.ศ. นี้", "พ.ศ. นี้"); /* not before a year */
	check_typeset("ค.ศ. ", "ค.ศ. ");
	check_typeset("In 2013 ๆ", "In 2013\u00a0ๆ");
	check_typeset("plain English text", "plain English text");
	check_typeset("", "");
}

TEST_LIST(T(typeset_rules), T(short_text_is_kept), T(latin_is_cut_at_a_space), T(marks_stay_with_their_consonant),
	  T(thai_is_cut_at_a_word), T(thai_cut_breaks_from_the_last_space),
	  T(one_breaker_serves_threads));
TEST_MAIN()
