/* SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "test.h"
#include "url.h"

static void check_resolve(const char *base, const char *path, const char *want)
{
	char *got = url_resolve_path(base, path);
	if (want)
		CHECK_STR(got, want);
	else
		CHECK(got == NULL);
	free(got);
}

static void resolve_relative_and_rooted(void)
{
	check_resolve("en/projects", "aup-i.md", "en/projects/aup-i.md");
	check_resolve("en/projects", "./aup-i.md", "en/projects/aup-i.md");
	check_resolve("en/projects", "../infosheets/wash.md", "en/infosheets/wash.md");
	check_resolve("en/projects", "/media/x.pdf", "media/x.pdf");
	check_resolve("", "media//x.pdf", "media/x.pdf");
	check_resolve("en/projects", "../", "en/");
	check_resolve("en", "my%20file.pdf", "en/my file.pdf");
}

static void resolve_refuses_escapes(void)
{
	check_resolve("en/projects", "../../../etc/passwd", NULL);
	check_resolve("en", "/../secret", NULL);
	check_resolve("en", "%2e%2e/%2E%2E/x", NULL);
	check_resolve("en", "..", NULL);
	check_resolve("en", "a%00b", NULL);
	check_resolve("", "", NULL);
}

static void check_relative(const char *from, const char *to, const char *want)
{
	char *got = url_relative(from, to);
	CHECK_STR(got, want);
	free(got);
}

static void relative_urls(void)
{
	check_relative("en/projects/aup-ii/", "en/projects/aup-i/", "../aup-i/");
	check_relative("en/projects/aup-ii/", "en/infosheets/wash/", "../../infosheets/wash/");
	check_relative("en/projects/aup-ii/", "media/x.pdf", "../../../media/x.pdf");
	check_relative("en/", "en/", "./");
	check_relative("en/", "", "../");
	check_relative("", "en/", "en/");
	check_relative("th/projects/", "en/projects/", "../../en/projects/");
	check_relative("en/ab/", "en/abc/", "../abc/");
	/* A first segment with a ':' would read as a scheme. */
	check_relative("en/", "en/minutes:2024.pdf", "./minutes:2024.pdf");
	check_relative("en/", "en/a:b/", "./a:b/");
	check_relative("en/x/", "en/minutes:2024.pdf", "../minutes:2024.pdf");
	check_relative("en/", "en/a/b:c.pdf", "a/b:c.pdf");
}

static void encoding(void)
{
	char *s = url_encode_path("media/my file ไทย.pdf");
	CHECK_STR(s, "media/my%20file%20%E0%B9%84%E0%B8%97%E0%B8%A2.pdf");
	free(s);
	s = url_encode_path("../a-b_c~d.e/");
	CHECK_STR(s, "../a-b_c~d.e/");
	free(s);
}

static void external(void)
{
	CHECK(url_is_external("https://x.org"));
	CHECK(url_is_external("mailto:a@b"));
	CHECK(url_is_external("//cdn"));
	CHECK(!url_is_external("a.md"));
	CHECK(!url_is_external("/media/a:b.pdf"));
	CHECK(!url_is_external("1x:y"));
}

static void check_file(const char *base, const char *path, const char *want)
{
	char *got = url_resolve_file(base, path);
	if (want)
		CHECK_STR(got, want);
	else
		CHECK(got == NULL);
	free(got);
}

/* What a static server sends for a link written in a page of base. */
static void resolve_to_files(void)
{
	check_file("en/projects/aup-ii", "../aup-i/", "en/projects/aup-i/index.html");
	check_file("en/projects/aup-ii", "", "en/projects/aup-ii/index.html");
	check_file("en/projects/aup-ii", ".", "en/projects/aup-ii/index.html");
	check_file("en/projects/aup-ii", "..", "en/projects/index.html");
	check_file("en", "../", "index.html");
	check_file("", "", "index.html");
	check_file("en", "/media/x%20y.pdf", "media/x y.pdf");
	check_file("en/a", "../../assets/style.css", "assets/style.css");
	check_file("en/a", "./minutes:2024.pdf", "en/a/minutes:2024.pdf");
	check_file("en", "../../etc/passwd", NULL);
	check_file("en", "%2e%2e/%2e%2e/x", NULL);
	check_file("en", "a%00b", NULL);
}

static void paths_within(void)
{
	CHECK(url_path_within("/srv/site/content/a.pdf", "/srv/site/content"));
	CHECK(url_path_within("/srv/site/content", "/srv/site/content"));
	CHECK(url_path_within("/srv/site/content/a.pdf", "/srv/site/content/"));
	CHECK(!url_path_within("/srv/site/content2/a.pdf", "/srv/site/content"));
	CHECK(!url_path_within("/srv/site", "/srv/site/content"));
	CHECK(url_path_within("/anything", "/"));
}

TEST_LIST(T(resolve_relative_and_rooted), T(resolve_refuses_escapes), T(relative_urls),
	  T(encoding), T(external), T(resolve_to_files), T(paths_within));
TEST_MAIN()
