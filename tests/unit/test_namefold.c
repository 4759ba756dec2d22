/* SPDX-License-Identifier: MIT */
/* namefold: names that servers and file systems may confuse fold to one. */
#include <stdlib.h>

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

TEST_LIST(T(case_and_normal_forms), T(invalid_utf8_is_kept));
TEST_MAIN()
