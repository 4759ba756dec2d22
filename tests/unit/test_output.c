/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "sitemap.h"
#include "test.h"

static char *slurp(const char *path)
{
	struct buf b = BUF_INIT;
	struct diag_list d;
	diag_list_init(&d);
	if (output_read_file(path, &b, &d) != 0) {
		buf_free(&b);
		diag_list_free(&d);
		return NULL;
	}
	diag_list_free(&d);
	return buf_detach(&b);
}

static void writes_and_swaps(void)
{
	char base[] = "/tmp/sapan-out-XXXXXX";
	CHECK(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct diag_list d;
	diag_list_init(&d);

	/* First build: nothing there yet. */
	int lock;
	char *tmp = output_begin(site, &lock, &d);
	CHECK(tmp != NULL);
	CHECK(lock >= 0);
	CHECK_INT(output_write(tmp, "en/a/index.html", "one", 3, &d), 0);
	CHECK_INT(output_write(tmp, "old.html", "old", 3, &d), 0);
	CHECK_INT(output_commit(tmp, site, &d), 0);
	output_end(lock);
	free(tmp);
	char *path = xasprintf("%s/en/a/index.html", site);
	char *text = slurp(path);
	CHECK_STR(text, "one");
	free(text);

	/* Second build replaces the whole folder: old.html does not linger. */
	tmp = output_begin(site, &lock, &d);
	CHECK_INT(output_write(tmp, "en/a/index.html", "two", 3, &d), 0);
	CHECK_INT(output_commit(tmp, site, &d), 0);
	output_end(lock);
	free(tmp);
	text = slurp(path);
	CHECK_STR(text, "two");
	free(text);
	char *old = xasprintf("%s/old.html", site);
	CHECK(access(old, F_OK) != 0);
	CHECK_INT(d.len, 0);

	CHECK_INT(output_remove_tree(base), 0);
	CHECK(access(base, F_OK) != 0);
	free(old);
	free(path);
	free(site);
	diag_list_free(&d);
}

static bool exists(const char *base, const char *name)
{
	char *path = xasprintf("%s/%s", base, name);
	bool found = access(path, F_OK) == 0;
	free(path);
	return found;
}

static void make(const char *base, const char *name)
{
	char *path = xasprintf("%s/%s", base, name);
	CHECK_INT(mkdir(path, 0755), 0);
	free(path);
}

/* Folders left by killed builds are removed by the next one; a folder
 * another build holds locked, folders of other names, and a moved-aside
 * old site while the output is missing are kept. */
static void removes_stale_folders(void)
{
	char base[] = "/tmp/sapan-stale-XXXXXX";
	CHECK(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct diag_list d;
	diag_list_init(&d);
	const char *names[] = { "site", "site.new-abc123", "site.old-XYZ789", "site.new-busy01",
				"site.new-ab", "site.newer", "site.new-abc1234", "other.new-abc123" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		make(base, names[i]);
	char *busy = xasprintf("%s/site.new-busy01", base);
	int held = open(busy, O_RDONLY | O_DIRECTORY);
	CHECK(held >= 0 && flock(held, LOCK_EX) == 0);

	int lock;
	char *tmp = output_begin(site, &lock, &d);
	CHECK(tmp != NULL);
	CHECK(!exists(base, "site.new-abc123"));
	CHECK(!exists(base, "site.old-XYZ789"));
	CHECK(exists(base, "site.new-busy01"));
	CHECK(exists(base, "site.new-ab"));
	CHECK(exists(base, "site.newer"));
	CHECK(exists(base, "site.new-abc1234"));
	CHECK(exists(base, "other.new-abc123"));
	CHECK(exists(base, "site"));
	CHECK_INT(output_remove_tree(tmp), 0);
	output_end(lock);
	free(tmp);
	close(held);

	/* Without the output, site.old-* may be the only copy of the site. */
	CHECK_INT(rmdir(site), 0);
	make(base, "site.old-qwe123");
	tmp = output_begin(site, &lock, &d);
	CHECK(exists(base, "site.old-qwe123"));
	CHECK(!exists(base, "site.new-busy01")); /* its build has ended */
	CHECK_INT(output_remove_tree(tmp), 0);
	output_end(lock);
	CHECK_INT(d.len, 0);

	CHECK_INT(output_remove_tree(base), 0);
	free(tmp);
	free(busy);
	free(site);
	diag_list_free(&d);
}

static void sitemap_is_escaped_xml(void)
{
	struct sitemap_alternate alts[] = { { "en", "https://x.org/en/a&b/" },
					    { "x-default", "https://x.org/en/a&b/" } };
	struct sitemap_entry e[] = { { "https://x.org/en/a&b/", "2013-06-01", alts, 2 },
				     { "th/", NULL, NULL, 0 } };
	char *xml = sitemap_render(e, 2);
	CHECK_CONTAINS(xml, "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
			    "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">");
	CHECK_CONTAINS(xml, "<loc>https://x.org/en/a&amp;b/</loc>");
	CHECK_CONTAINS(xml, "<lastmod>2013-06-01</lastmod>");
	CHECK_CONTAINS(xml, "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" "
			    "href=\"https://x.org/en/a&amp;b/\"/>");
	CHECK_CONTAINS(xml, "<loc>th/</loc>");
	free(xml);
}

TEST_LIST(T(writes_and_swaps), T(removes_stale_folders), T(sitemap_is_escaped_xml));
TEST_MAIN()
