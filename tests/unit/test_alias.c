/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "alias.h"
#include "test.h"

static char en[] = "en", th[] = "th";
static struct config_language langs[] = { { .code = en }, { .code = th } };

/* The output of alias `written` of an English page, or NULL; *errors
 * counts what was reported. */
static char *out_of(const char *base_url, const char *written, size_t *errors)
{
	struct config cfg = { .base_url = (char *)base_url, .languages = langs, .nlanguages = 2 };
	struct diag_list d;
	diag_list_init(&d);
	char *out = alias_output(&cfg, 0, written, "content/en/x.md", 3, 5, &d);
	*errors = d.errors;
	if (d.len) {
		CHECK_INT(d.items[0].line, 3);
		CHECK_INT(d.items[0].col, 5);
	}
	diag_list_free(&d);
	return out;
}

static void check_out(const char *base_url, const char *written, const char *want)
{
	size_t errors;
	char *got = out_of(base_url, written, &errors);
	if (want) {
		CHECK_STR(got, want);
		CHECK_INT(errors, 0);
	} else {
		CHECK(got == NULL);
		CHECK_INT(errors, 1);
	}
	free(got);
}

static void outputs(void)
{
	const char *base = "https://example.org/aup/";
	check_out(base, "/en/old/", "en/old/index.html");
	check_out(base, "/en/old", "en/old/index.html");
	check_out(base, "/en/a/b.html", "en/a/b.html");
	check_out(base, "/en/a/b.md", "en/a/b/index.html");
	check_out(base, "/en/a/_index.md", "en/a/index.html");
	check_out(base, "/en/%E0%B8%81/", "en/ก/index.html");
	check_out(base, "https://example.org/aup/en/old/", "en/old/index.html");
	check_out(base, "http://example.org/aup/en/old", "en/old/index.html");
	check_out(NULL, "/en/old/", "en/old/index.html");
}

static void refusals(void)
{
	const char *base = "https://example.org/aup/";
	check_out(base, "", NULL);
	check_out(base, "en/old/", NULL);
	check_out(base, "/th/old/", NULL);
	check_out(base, "/english/old/", NULL);
	check_out(base, "/", NULL);
	check_out(base, "https://example.org/en/old/", NULL);
	check_out(base, "https://evil.example/aup/en/old/", NULL);
	check_out(base, "//example.org/aup/en/old/", NULL);
	check_out(base, "ftp://example.org/aup/en/old/", NULL);
	check_out(NULL, "https://example.org/aup/en/old/", NULL);
	check_out(base, "/en/../th/", NULL);
	check_out(base, "/en/%2E%2E/th/", NULL);
	check_out(base, "/en/a//b/", NULL);
	check_out(base, "/en/.git/", NULL);
	check_out(base, "/en/a%00/", NULL);
	check_out(base, "/en/a%0a/", NULL);
	check_out(base, "/en/a?b", NULL);
	check_out(base, "/en/a#b", NULL);
	check_out(base, "/en/a\\b", NULL);
	char *long_one = calloc(ALIAS_MAX_LEN + 2, 1);
	memcpy(long_one, "/en/", 4);
	memset(long_one + 4, 'a', ALIAS_MAX_LEN - 3);
	check_out(base, long_one, NULL);
	free(long_one);
}

static void html(void)
{
	struct alias_page a = { .rel = "en/old/index.html", .target = "en/new page/",
				.canonical = "https://example.org/en/new%20page/", .lang = "en",
				.title = "A <b> & \"c\"", .moved = "Moved to" };
	char *h = alias_html(&a);
	CHECK_CONTAINS(h, "<meta http-equiv=\"refresh\" content=\"0; url=../new%20page/\">");
	CHECK_CONTAINS(h, "<link rel=\"canonical\" href=\"https://example.org/en/new%20page/\">");
	CHECK_CONTAINS(h, "<meta name=\"robots\" content=\"noindex\">");
	CHECK_CONTAINS(h, "<title>A &lt;b&gt; &amp; &quot;c&quot;</title>");
	CHECK_CONTAINS(h, "<p>Moved to <a href=\"../new%20page/\">A &lt;b&gt;");
	free(h);
	a.canonical = NULL;
	a.rel = "en/about.html";
	h = alias_html(&a);
	CHECK_CONTAINS(h, "<link rel=\"canonical\" href=\"new%20page/\">");
	free(h);
}

TEST_LIST(T(outputs), T(refusals), T(html));
TEST_MAIN()
