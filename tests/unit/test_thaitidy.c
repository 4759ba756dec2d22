/* SPDX-License-Identifier: MIT */
/* thaitidy: each Thai typing fault is fixed and reported where it was. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "thaitidy.h"

/* Tidies in; checks the result (NULL: unchanged) and, when note is not
 * NULL, that the first diagnostic is a note at line:col containing it. */
static void check_tidy(const char *in, const char *want, unsigned line, unsigned col,
		       const char *note)
{
	struct diag_list d;
	diag_list_init(&d);
	size_t len = 0;
	char *got = thaitidy("th/a.md", in, strlen(in), &len, &d);
	if (!want) {
		CHECK(got == NULL);
		CHECK_INT(d.len, 0);
	} else {
		REQUIRE(got != NULL);
		CHECK_STR(got, want);
		CHECK_INT(len, strlen(want));
	}
	if (note) {
		REQUIRE(d.len > 0);
		CHECK_INT(d.items[0].severity, DIAG_NOTE);
		CHECK_INT(d.items[0].line, line);
		CHECK_INT(d.items[0].col, col);
		CHECK_CONTAINS(d.items[0].message, "fixed Thai spelling: ");
		CHECK_CONTAINS(d.items[0].message, note);
	}
	free(got);
	diag_list_free(&d);
}

static void correct_text_is_untouched(void)
{
	check_tidy("title: \u0e19\u0e49\u0e33\n\n\u0e01\u0e34\u0e48\u0e07 \u0e28\u0e31\u0e01\u0e14\u0e34\u0e4c\n",
		   NULL, 0, 0, NULL);
	check_tidy("plain ASCII\n", NULL, 0, 0, NULL);
	check_tidy("", NULL, 0, 0, NULL);
	/* A zero-width space beside Latin text is not inside a Thai word. */
	check_tidy("a\u200bb \u0e01\u200b x\n", NULL, 0, 0, NULL);
}

static void sara_am(void)
{
	/* น + NIKHAHIT + SARA AA -> น้ำ without tone: นำ */
	check_tidy("x\n\u0e19\u0e4d\u0e32\n", "x\n\u0e19\u0e33\n", 2, 2, "SARA AM typed as NIKHAHIT");
	/* With the tone between them: น ํ ้ า -> น ้ ำ */
	check_tidy("\u0e19\u0e4d\u0e49\u0e32", "\u0e19\u0e49\u0e33", 1, 2, "U+0E4D U+0E32");
	/* Tone typed after SARA AM. */
	check_tidy("\u0e19\u0e33\u0e49", "\u0e19\u0e49\u0e33", 1, 3,
		   "MAI THO (U+0E49) typed after SARA AM");
}

static void tone_before_vowel(void)
{
	/* กิ่ง typed ก ่ ิ ง: above vowel */
	check_tidy("ab \u0e01\u0e48\u0e34\u0e07", "ab \u0e01\u0e34\u0e48\u0e07", 1, 5,
		   "MAI EK (U+0E48) typed before SARA I (U+0E34); put it after");
	/* ปู่ typed ป ่ ู: below vowel (NFC would also reorder it) */
	check_tidy("\u0e1b\u0e48\u0e39", "\u0e1b\u0e39\u0e48", 1, 2, "typed before SARA UU");
	/* THANTHAKHAT before SARA I: ดิ์ */
	check_tidy("\u0e14\u0e4c\u0e34", "\u0e14\u0e34\u0e4c", 1, 2, "THANTHAKHAT");
}

static void doubled_marks(void)
{
	check_tidy("\u0e01\u0e48\u0e48\u0e32", "\u0e01\u0e48\u0e32", 1, 3, "MAI EK (U+0E48) typed twice");
	check_tidy("\u0e01\u0e34\u0e34", "\u0e01\u0e34", 1, 3, "SARA I (U+0E34) typed twice");
	/* A consonant twice is a word, not a fault. */
	check_tidy("\u0e01\u0e01", NULL, 0, 0, NULL);
}

static void zero_width_inside_words(void)
{
	check_tidy("\u0e01\u200b\u0e02", "\u0e01\u0e02", 1, 2, "ZERO WIDTH SPACE (U+200B)");
	check_tidy("\u0e01\u200c\u0e02", "\u0e01\u0e02", 1, 2, "U+200C");
	check_tidy("\u0e01\u200d\u0e02", "\u0e01\u0e02", 1, 2, "U+200D");
	check_tidy("\u0e01\u2060\u0e02", "\u0e01\u0e02", 1, 2, "U+2060");
	check_tidy("\u0e01\ufeff\u0e02", "\u0e01\u0e02", 1, 2, "U+FEFF");
	check_tidy("\u0e01\u200b\u200b\u0e02", "\u0e01\u0e02", 1, 2, "U+200B");
}

static void nfc(void)
{
	/* "é" as e + combining acute accent, on a Thai page */
	check_tidy("caf" "e\u0301 x\n", "caf\u00e9 x\n", 1, 4, "composed form (NFC)");
}

/* Columns count characters, and later lines keep their numbers. */
static void positions(void)
{
	struct diag_list d;
	diag_list_init(&d);
	const char *in = "---\ntitle: \u0e01\u0e48\u0e34\n---\n\n\u0e19\u0e4d\u0e32 \u0e01\u200b\u0e02\n";
	size_t len = 0;
	char *got = thaitidy("th/a.md", in, strlen(in), &len, &d);
	REQUIRE(got != NULL);
	CHECK_STR(got, "---\ntitle: \u0e01\u0e34\u0e48\n---\n\n\u0e19\u0e33 \u0e01\u0e02\n");
	REQUIRE(d.len == 3);
	CHECK_INT(d.items[0].line, 2);
	CHECK_INT(d.items[0].col, 9);
	CHECK_INT(d.items[1].line, 5);
	CHECK_INT(d.items[1].col, 2);
	CHECK_INT(d.items[2].line, 5);
	CHECK_INT(d.items[2].col, 6);
	free(got);
	diag_list_free(&d);
}

/* Past THAITIDY_MAX_NOTES fixes, one note sums up the rest. */
static void notes_are_bounded(void)
{
	struct buf in = BUF_INIT;
	for (int i = 0; i < THAITIDY_MAX_NOTES + 10; i++)
		buf_puts(&in, "\u0e19\u0e4d\u0e32\n");
	struct diag_list d;
	diag_list_init(&d);
	size_t len = 0;
	char *got = thaitidy("th/a.md", in.ptr, in.len, &len, &d);
	REQUIRE(got != NULL);
	CHECK_INT(d.len, THAITIDY_MAX_NOTES + 1);
	CHECK_CONTAINS(d.items[d.len - 1].message, "10 more fixes");
	free(got);
	buf_free(&in);
	diag_list_free(&d);
}

/* Tidies s both ways; returns whether they agree on text and notes. */
static bool same_both_ways(const char *s, size_t n)
{
	struct diag_list a, b;
	diag_list_init(&a);
	diag_list_init(&b);
	size_t la = 0, lb = 0;
	char *x = thaitidy("t.md", s, n, &la, &a);
	char *y = thaitidy_every_line("t.md", s, n, &lb, &b);
	bool same = (x == NULL) == (y == NULL) && (!x || (la == lb && memcmp(x, y, la) == 0)) &&
		    a.len == b.len;
	for (size_t i = 0; same && i < a.len; i++)
		same = a.items[i].col == b.items[i].col &&
		       strcmp(a.items[i].message, b.items[i].message) == 0;
	free(x);
	free(y);
	diag_list_free(&a);
	diag_list_free(&b);
	return same;
}

/* The shortcut for lines no rule can change never skips one that a rule
 * or NFC would change: a consonant then every pair of characters from the
 * Thai block, the zero-width characters, Latin-1, punctuation and a
 * combining accent, each way round. */
static void shortcut_changes_nothing(void)
{
	unsigned set[300];
	size_t n = 0;
	for (unsigned c = 0x0e00; c <= 0x0e7f; c++)
		set[n++] = c;
	const unsigned others[] = { 'a', ' ', 0xe9, 0xa0, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff,
				    0x2000, 0x2013, 0x201c, 0x0301, 0x0e01 };
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		set[n++] = others[i];
	size_t differ = 0;
	char s[32];
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			size_t len = test_put_utf8(s, 0x0e01);
			len += test_put_utf8(s + len, set[i]);
			len += test_put_utf8(s + len, set[j]);
			len += test_put_utf8(s + len, 0x0e32);
			differ += !same_both_ways(s, len);
		}
	}
	CHECK_INT(differ, 0);
}

/* Runs of clean lines are copied in one piece between lines that change:
 * every order of clean, changed, Latin and empty lines, with and without
 * a last LF, gives what tidying every line gives. */
static void clean_runs_kept(void)
{
	const char *lines[] = { "\u0e20\u0e32\u0e29\u0e32", "\u0e19\u0e4d\u0e32", "plain", "" };
	size_t differ = 0;
	for (unsigned code = 0; code < 4 * 4 * 4 * 4; code++) {
		for (int last_lf = 0; last_lf < 2; last_lf++) {
			struct buf in = BUF_INIT;
			for (unsigned k = 0, c = code; k < 4; k++, c /= 4) {
				buf_puts(&in, lines[c % 4]);
				if (k < 3 || last_lf)
					buf_putc(&in, '\n');
			}
			differ += !same_both_ways(in.ptr, in.len);
			buf_free(&in);
		}
	}
	CHECK_INT(differ, 0);
}

TEST_LIST(T(shortcut_changes_nothing), T(clean_runs_kept), T(correct_text_is_untouched), T(sara_am), T(tone_before_vowel), T(doubled_marks),
	  T(zero_width_inside_words), T(nfc), T(positions), T(notes_are_bounded));
TEST_MAIN()
