/* SPDX-License-Identifier: MIT */
/* namefold: names that servers and file systems may confuse fold to one. */
#include <stdint.h>
#include <stdlib.h>
#include <uninorm.h>

#include "namefold.h"
#include "test.h"

static void check_same(const char *a, const char *b, int same)
{
	char *x = namefold(a), *y = namefold(b);
	CHECK_INT(strcmp(x, y) == 0, same);
	free(x);
	free(y);
}

static void case_and_normal_forms(void)
{
	check_same("About.md", "about.md", 1);
	check_same("en/MEDIA/Summary.PDF", "en/media/summary.pdf", 1);
	/* "café": é as one character, and e plus a combining acute accent. */
	check_same("caf\xc3\xa9", "cafe\xcc\x81", 1);
	check_same("CAF\xc3\x89", "cafe\xcc\x81", 1);
	/* Thai ก with SARA U and MAI EK typed in either order. */
	check_same("\xe0\xb8\x81\xe0\xb8\xb8\xe0\xb9\x88", "\xe0\xb8\x81\xe0\xb9\x88\xe0\xb8\xb8", 1);
	check_same("about.md", "about2.md", 0);
	check_same("cafe", "caf\xc3\xa9", 0);
	char *s = namefold("en/a/b/");
	CHECK_STR(s, "en/a/b/");
	free(s);
}

static void invalid_utf8_is_kept(void)
{
	char *s = namefold("a\xff" "B");
	CHECK_STR(s, "a\xff" "B");
	free(s);
}

/* Whether libunistring's NFC leaves the n bytes at s as they are. */
static bool nfc_unchanged(const char *s, size_t n)
{
	size_t len = 0;
	uint8_t *nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)s, n, NULL, &len);
	bool same = nfc && len == n && memcmp(nfc, s, n) == 0;
	free(nfc);
	return same;
}

/* Whatever namefold_is_nfc calls NFC, libunistring's NFC leaves as it is:
 * every character of its ranges alone, and every Thai consonant followed
 * by every pair of Thai characters (the marks' order is what NFC can
 * change there). */
static void quick_check_agrees_with_nfc(void)
{
	static const unsigned ranges[][2] = {
		{ 0x01, 0x7f }, { 0x80, 0xff }, { 0x0e00, 0x0e7f }, { 0x2000, 0x2060 }
	};
	char s[16];
	size_t wrong = 0, yes = 0, n;
	for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
		for (unsigned c = ranges[r][0]; c <= ranges[r][1]; c++) {
			n = test_put_utf8(s, c);
			bool quick = namefold_is_nfc(s, n);
			yes += quick;
			wrong += quick && !nfc_unchanged(s, n);
		}
	}
	CHECK_INT(wrong, 0);
	CHECK(yes > 400);
	CHECK(!namefold_is_nfc("\xe2\x80\x80", 3)); /* U+2000 becomes U+2002 */
	wrong = 0;
	for (unsigned a = 0x0e00; a <= 0x0e7f; a++) {
		for (unsigned b = 0x0e00; b <= 0x0e7f; b++) {
			n = test_put_utf8(s, 0x0e01);
			n += test_put_utf8(s + n, a);
			n += test_put_utf8(s + n, b);
			if (!namefold_is_nfc(s, n))
				continue;
			wrong += !nfc_unchanged(s, n);
		}
	}
	CHECK_INT(wrong, 0);
	/* MAI EK typed before SARA U: NFC puts the vowel first. */
	CHECK(!namefold_is_nfc("\xe0\xb8\x81\xe0\xb9\x88\xe0\xb8\xb8", 9));
}

TEST_LIST(T(quick_check_agrees_with_nfc), T(case_and_normal_forms), T(invalid_utf8_is_kept));
TEST_MAIN()
