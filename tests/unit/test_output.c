/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static void put(const char *base, const char *name, const char *text)
{
	struct diag_list d;
	diag_list_init(&d);
	CHECK_INT(output_write(base, name, text, strlen(text), &d), 0);
	diag_list_free(&d);
}

/* The build folder carries the marker from the start; a leftover of the
 * name pattern is removed only when it is marked or empty. */
static void removes_only_marked_leftovers(void)
{
	char base[] = "/tmp/sapan-mark-XXXXXX";
	CHECK(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	make(base, "site.new-marked");
	put(base, "site.new-marked/.sapan-output", "x");
	put(base, "site.new-marked/index.html", "old");
	make(base, "site.old-backup");
	put(base, "site.old-backup/index.html", "mine");
	make(base, "site.new-linked");
	char *link = xasprintf("%s/site.new-linked/.sapan-output", base);
	CHECK_INT(symlink("/nowhere", link), 0);
	free(link);
	struct diag_list d;
	diag_list_init(&d);
	int lock;
	char *tmp = output_begin(site, &lock, &d);
	CHECK(tmp != NULL);
	CHECK(!exists(base, "site.new-marked"));
	CHECK(exists(base, "site.old-backup/index.html"));
	CHECK(exists(base, "site.new-linked")); /* a link is not the marker */
	char *marker = xasprintf("%s/.sapan-output", tmp);
	struct stat st;
	CHECK(lstat(marker, &st) == 0 && S_ISREG(st.st_mode));
	CHECK_INT(output_commit(tmp, site, &d), 0);
	output_end(lock);
	CHECK(exists(site, ".sapan-output"));
	CHECK_INT(d.len, 0);
	CHECK_INT(output_remove_tree(base), 0);
	free(marker);
	free(tmp);
	free(site);
	diag_list_free(&d);
}

/* Runs output_check_place and returns the message of its error, or "" if
 * it accepted the place. */
static char *refusal(const char *output, const char *content, const char *templates)
{
	struct diag_list d;
	diag_list_init(&d);
	struct output_place place = { output, content, templates };
	int rc = output_check_place(&place, &d);
	char *msg = xstrdup(rc == 0 ? "" : d.len ? d.items[0].message : "(no message)");
	if ((rc == 0) != (d.len == 0))
		msg[0] = '?';
	diag_list_free(&d);
	return msg;
}

#define CHECK_REFUSED(output, want)                                                      \
	do {                                                                             \
		char *m_ = refusal((output), content, templates);                        \
		CHECK_CONTAINS(m_, (want));                                              \
		free(m_);                                                                \
	} while (0)
#define CHECK_ACCEPTED(output)                                                           \
	do {                                                                             \
		char *m_ = refusal((output), content, templates);                        \
		CHECK_STR(m_, "");                                                       \
		free(m_);                                                                \
	} while (0)

static void refuses_unsafe_places(void)
{
	char base[] = "/tmp/sapan-place-XXXXXX";
	CHECK(mkdtemp(base) != NULL);
	char *content = xasprintf("%s/content", base);
	char *templates = xasprintf("%s/templates", base);
	make(base, "content");
	make(base, "templates");
	make(base, "empty");
	make(base, "mine");
	put(base, "mine/a.txt", "a");
	make(base, "ours");
	put(base, "ours/.sapan-output", "x");
	put(base, "ours/index.html", "x");
	char *p;

	CHECK_REFUSED("/", "is the root folder");
	CHECK_REFUSED(".", "is the current folder");
	CHECK_REFUSED(content, "is the content folder");
	CHECK_REFUSED(p = xasprintf("%s/content/", base), "is the content folder");
	free(p);
	CHECK_REFUSED(p = xasprintf("%s/content/a/b/c", base), "is inside the content folder");
	free(p);
	/* Through a folder that does not exist yet, ".." is taken as written. */
	CHECK_REFUSED(p = xasprintf("%s/new/../templates/x", base), "is inside the templates folder");
	free(p);
	CHECK_REFUSED(base, "contains the content folder");
	CHECK_REFUSED(p = xasprintf("%s/mine", base), "is not empty and was not made by sapan");
	free(p);
	CHECK_REFUSED(p = xasprintf("%s/mine/a.txt", base), "is a file");
	free(p);
	CHECK_REFUSED(p = xasprintf("%s/a/b", base), "does not exist");
	free(p);
	CHECK_REFUSED(p = xasprintf("%s/ours/.", base), "not by '.'");
	free(p);
	CHECK_REFUSED("/proc", "is a mount point");
	CHECK_ACCEPTED(p = xasprintf("%s/empty", base));
	free(p);
	CHECK_ACCEPTED(p = xasprintf("%s/ours/", base));
	free(p);
	CHECK_ACCEPTED(p = xasprintf("%s/site", base));
	free(p);
	CHECK_INT(output_remove_tree(base), 0);
	free(content);
	free(templates);
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

/* Copies stream in chunks and come out byte for byte; a FIFO swapped in
 * where a file was is refused at once, never waited on. */
static void copies_regular_files_only(void)
{
	char base[] = "/tmp/sapan-copy-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	struct diag_list d;
	diag_list_init(&d);
	struct buf big = BUF_INIT;
	for (size_t i = 0; i < 300000; i++)
		buf_putc(&big, (char)('a' + i % 26));
	CHECK_INT(output_write(base, "in/big.pdf", big.ptr, big.len, &d), 0);
	char *src = xasprintf("%s/in/big.pdf", base);
	CHECK_INT(output_copy(base, "out/deep/big.pdf", src, &d), 0);
	char *dst = xasprintf("%s/out/deep/big.pdf", base);
	char *copied = slurp(dst);
	CHECK(copied && strlen(copied) == big.len && memcmp(copied, big.ptr, big.len) == 0);
	char *fifo = xasprintf("%s/in/pipe.pdf", base);
	CHECK_INT(mkfifo(fifo, 0600), 0);
	CHECK_INT(output_copy(base, "out/pipe.pdf", fifo, &d), -1);
	CHECK_INT((int)d.errors, 1);
	CHECK(d.len == 1 && strstr(d.items[0].message, "not a regular file") != NULL);
	struct buf none = BUF_INIT;
	CHECK_INT(output_read_file(fifo, &none, &d), -1);
	buf_free(&none);
	free(copied);
	free(dst);
	free(src);
	free(fifo);
	buf_free(&big);
	diag_list_free(&d);
	CHECK_INT(output_remove_tree(base), 0);
}

TEST_LIST(T(writes_and_swaps), T(removes_stale_folders), T(removes_only_marked_leftovers),
	  T(refuses_unsafe_places), T(copies_regular_files_only),
	  T(sitemap_is_escaped_xml));
TEST_MAIN()
