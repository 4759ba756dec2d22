/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
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

/* Writes name (below base) with text, making no folders: the user's hand. */
static void put(const char *base, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", base, name);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(path);
}

static char *read_at(const char *base, const char *name)
{
	char *path = xasprintf("%s/%s", base, name);
	char *text = slurp(path);
	free(path);
	return text;
}

static struct stat stat_at(const char *base, const char *name)
{
	char *path = xasprintf("%s/%s", base, name);
	struct stat st;
	memset(&st, 0, sizeof st);
	CHECK_INT(lstat(path, &st), 0);
	free(path);
	return st;
}

/* One build: writes the n files (name, text), commits, and returns the
 * counts; -1 in written if a step failed. */
static struct output_counts build(const char *site, const char *const *files, size_t n,
				  struct diag_list *d)
{
	struct output_counts c = { (size_t)-1, 0, 0 };
	struct output *out = output_begin(site, d);
	if (!out)
		return c;
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		rc |= output_write(out, files[2 * i], files[2 * i + 1], strlen(files[2 * i + 1]), d);
	if (rc == 0 && output_commit(out, d) == 0)
		output_counts(out, &c);
	output_end(out);
	return c;
}

/* Files that did not change keep their inode and time; changed ones are
 * replaced, new ones added, and the files of the last build that this
 * one does not make are deleted, with the folders that leaves empty. */
static void writes_only_what_changed(void)
{
	char base[] = "/tmp/sapan-out-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct diag_list d;
	diag_list_init(&d);

	const char *first[] = { "en/a/index.html", "one", "old/deep/x.html", "old", "same.css", "s" };
	struct output_counts c = build(site, first, 3, &d);
	CHECK_INT((int)c.written, 3);
	char *text = read_at(site, "en/a/index.html");
	CHECK_STR(text, "one");
	free(text);
	CHECK(exists(site, OUTPUT_MARKER));
	CHECK(exists(site, OUTPUT_MANIFEST));
	struct stat same = stat_at(site, "same.css");
	struct stat manifest = stat_at(site, OUTPUT_MANIFEST);

	const char *second[] = { "en/a/index.html", "two", "same.css", "s", "new/b.html", "b" };
	c = build(site, second, 3, &d);
	CHECK_INT((int)c.written, 2);
	CHECK_INT((int)c.unchanged, 1);
	CHECK_INT((int)c.deleted, 1);
	text = read_at(site, "en/a/index.html");
	CHECK_STR(text, "two");
	free(text);
	struct stat st = stat_at(site, "same.css");
	CHECK(st.st_ino == same.st_ino && st.st_mtim.tv_nsec == same.st_mtim.tv_nsec &&
	      st.st_mtim.tv_sec == same.st_mtim.tv_sec);
	CHECK(!exists(site, "old/deep/x.html"));
	CHECK(!exists(site, "old"));
	text = read_at(site, OUTPUT_MANIFEST);
	CHECK_STR(text, "sapan-manifest 1\nen/a/index.html\nnew/b.html\nsame.css\n");
	free(text);

	/* Nothing changed: nothing is written, not even the manifest. */
	manifest = stat_at(site, OUTPUT_MANIFEST);
	c = build(site, second, 3, &d);
	CHECK_INT((int)c.written, 0);
	CHECK_INT((int)c.unchanged, 3);
	CHECK_INT((int)c.deleted, 0);
	st = stat_at(site, OUTPUT_MANIFEST);
	CHECK(st.st_ino == manifest.st_ino);
	CHECK_INT(d.len, 0);

	CHECK_INT(output_remove_tree(base), 0);
	CHECK(access(base, F_OK) != 0);
	free(site);
	diag_list_free(&d);
}

static void note(void *ctx, const char *rel, bool deleted)
{
	buf_printf(ctx, "%s%s\n", deleted ? "-" : "+", rel);
}

/* The commit names what it put in place and what it deleted, and nothing
 * it left untouched. */
static void names_the_changes(void)
{
	char base[] = "/tmp/sapan-out-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct diag_list d;
	diag_list_init(&d);
	const char *first[] = { "a.html", "a", "b/index.html", "b", "c.css", "c" };
	CHECK_INT((int)build(site, first, 3, &d).written, 3);
	struct output *out = output_begin(site, &d);
	REQUIRE(out != NULL);
	CHECK_INT(output_write(out, "a.html", "a", 1, &d), 0);
	CHECK_INT(output_write(out, "c.css", "C", 1, &d), 0);
	CHECK_INT(output_write(out, "d.html", "d", 1, &d), 0);
	CHECK_INT(output_commit(out, &d), 0);
	struct buf seen = BUF_INIT;
	output_each_change(out, note, &seen);
	output_end(out);
	CHECK_STR(seen.ptr, "+c.css\n+d.html\n-b/index.html\n");
	buf_free(&seen);
	CHECK_INT(d.len, 0);
	CHECK_INT(output_remove_tree(base), 0);
	free(site);
	diag_list_free(&d);
}

/* A build that ends without a commit leaves no trace; a first one leaves
 * not even the folder. */
static void uncommitted_build_changes_nothing(void)
{
	char base[] = "/tmp/sapan-abort-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct diag_list d;
	diag_list_init(&d);
	struct output *out = output_begin(site, &d);
	REQUIRE(out != NULL);
	CHECK_INT(output_write(out, "a.html", "a", 1, &d), 0);
	output_end(out);
	CHECK(!exists(base, "site"));

	const char *files[] = { "a.html", "a" };
	build(site, files, 1, &d);
	out = output_begin(site, &d);
	REQUIRE(out != NULL);
	CHECK_INT(output_write(out, "a.html", "changed", 7, &d), 0);
	CHECK_INT(output_write(out, "new/b.html", "b", 1, &d), 0);
	output_end(out);
	char *text = read_at(site, "a.html");
	CHECK_STR(text, "a");
	free(text);
	CHECK(!exists(site, "new"));
	DIR *dir = opendir(site);
	size_t n = 0;
	for (struct dirent *e; dir && (e = readdir(dir));)
		n++;
	if (dir)
		closedir(dir);
	CHECK_INT((int)n, 5); /* ., .., the marker, the manifest, a.html */
	CHECK_INT(d.len, 0);
	CHECK_INT(output_remove_tree(base), 0);
	free(site);
	diag_list_free(&d);
}

/* A file sapan did not write is never deleted, and never overwritten. */
static void keeps_the_users_files(void)
{
	char base[] = "/tmp/sapan-user-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct diag_list d;
	diag_list_init(&d);
	const char *files[] = { "a.html", "a" };
	build(site, files, 1, &d);
	put(site, "CNAME", "example.org");
	put(site, "b.html", "mine");
	const char *more[] = { "a.html", "a", "c.html", "c" };
	struct output_counts c = build(site, more, 2, &d);
	CHECK_INT((int)c.written, 1);
	CHECK(exists(site, "CNAME"));
	CHECK_INT(d.len, 0);

	const char *clash[] = { "a.html", "a", "b.html", "sapan's" };
	c = build(site, clash, 2, &d);
	CHECK(c.written == (size_t)-1);
	CHECK(d.len == 1 && strstr(d.items[0].message, "which sapan did not write"));
	char *text = read_at(site, "b.html");
	CHECK_STR(text, "mine");
	free(text);
	CHECK(exists(site, "c.html")); /* the failed build deleted nothing */
	CHECK_INT(output_remove_tree(base), 0);
	free(site);
	diag_list_free(&d);
}

/* A marked folder without a manifest is a site of the swapping versions:
 * every file in it is sapan's. A damaged manifest stops the build. */
static void takes_over_a_swapped_site(void)
{
	char base[] = "/tmp/sapan-legacy-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct diag_list d;
	diag_list_init(&d);
	make(base, "site");
	make(base, "site/en");
	put(site, OUTPUT_MARKER, "x");
	put(site, "a.html", "a");
	put(site, "en/gone.html", "g");
	const char *files[] = { "a.html", "a" };
	struct output_counts c = build(site, files, 1, &d);
	CHECK_INT((int)c.unchanged, 1);
	CHECK_INT((int)c.deleted, 1);
	CHECK(!exists(site, "en"));
	CHECK(exists(site, OUTPUT_MANIFEST));
	CHECK_INT(d.len, 0);

	put(site, OUTPUT_MANIFEST, "sapan-manifest 1\na.html\n../../etc/passwd\n");
	c = build(site, files, 1, &d);
	CHECK(c.written == (size_t)-1);
	CHECK(d.len == 1 && d.items[0].line == 3 && strstr(d.items[0].message, "damaged"));
	CHECK_INT(output_remove_tree(base), 0);
	free(site);
	diag_list_free(&d);
}

/* One build at a time; the staging folder a killed build left is removed,
 * and nothing else of that look. */
static void locks_and_cleans_up(void)
{
	char base[] = "/tmp/sapan-lock-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct diag_list d;
	diag_list_init(&d);
	const char *files[] = { "a.html", "a" };
	build(site, files, 1, &d);
	make(site, ".sapan-staging-abc123");
	put(site, ".sapan-staging-abc123/1", "half");
	make(site, ".sapan-staging-mine");
	struct output *out = output_begin(site, &d);
	REQUIRE(out != NULL);
	CHECK(!exists(site, ".sapan-staging-abc123"));
	CHECK(exists(site, ".sapan-staging-mine"));
	CHECK(output_begin(site, &d) == NULL);
	CHECK(d.len == 1 && strstr(d.items[0].message, "another sapan build"));
	output_end(out);
	CHECK_INT(output_remove_tree(base), 0);
	free(site);
	diag_list_free(&d);
}

struct writer {
	struct output *out;
	int id;
	int rc;
};

static void *write_many(void *arg)
{
	struct writer *w = arg;
	struct diag_list d;
	diag_list_init(&d);
	for (int i = 0; i < 200; i++) {
		char rel[64], text[32];
		snprintf(rel, sizeof rel, "t%d/p%d/index.html", w->id, i);
		snprintf(text, sizeof text, "%d.%d", w->id, i % 2 ? i : 0);
		w->rc |= output_write(w->out, rel, text, strlen(text), &d);
	}
	w->rc |= d.len != 0;
	diag_list_free(&d);
	return NULL;
}

/* Threads write different paths at once; the counts add up. */
static void writes_from_threads(void)
{
	char base[] = "/tmp/sapan-threads-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct diag_list d;
	diag_list_init(&d);
	for (int round = 0; round < 2; round++) {
		struct output *out = output_begin(site, &d);
		REQUIRE(out != NULL);
		pthread_t t[4];
		struct writer w[4];
		for (int i = 0; i < 4; i++) {
			w[i] = (struct writer){ out, i + round * 2, 0 };
			CHECK_INT(pthread_create(&t[i], NULL, write_many, &w[i]), 0);
		}
		for (int i = 0; i < 4; i++) {
			pthread_join(t[i], NULL);
			CHECK_INT(w[i].rc, 0);
		}
		CHECK_INT(output_commit(out, &d), 0);
		struct output_counts c;
		output_counts(out, &c);
		output_end(out);
		/* The second round writes t2..t5: t2, t3 the same, t0, t1 gone. */
		CHECK_INT((int)c.written, round ? 400 : 800);
		CHECK_INT((int)c.unchanged, round ? 400 : 0);
		CHECK_INT((int)c.deleted, round ? 400 : 0);
	}
	char *text = read_at(site, "t5/p7/index.html");
	CHECK_STR(text, "5.7");
	free(text);
	CHECK_INT(d.len, 0);
	CHECK_INT(output_remove_tree(base), 0);
	free(site);
	diag_list_free(&d);
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

	struct output *out = output_begin(site, &d);
	CHECK(out != NULL);
	CHECK(!exists(base, "site.new-abc123"));
	CHECK(!exists(base, "site.old-XYZ789"));
	CHECK(exists(base, "site.new-busy01"));
	CHECK(exists(base, "site.new-ab"));
	CHECK(exists(base, "site.newer"));
	CHECK(exists(base, "site.new-abc1234"));
	CHECK(exists(base, "other.new-abc123"));
	CHECK(exists(base, "site"));
	output_end(out);
	close(held);

	/* Without the output, site.old-* may be the only copy of the site. */
	CHECK_INT(rmdir(site), 0);
	make(base, "site.old-qwe123");
	out = output_begin(site, &d);
	CHECK(exists(base, "site.old-qwe123"));
	CHECK(!exists(base, "site.new-busy01")); /* its build has ended */
	output_end(out);
	CHECK(!exists(base, "site")); /* made by a build that did not commit */
	CHECK_INT(d.len, 0);

	CHECK_INT(output_remove_tree(base), 0);
	free(busy);
	free(site);
	diag_list_free(&d);
}


/* The output carries the marker from the start; a leftover of the swap
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
	struct output *out = output_begin(site, &d);
	REQUIRE(out != NULL);
	CHECK(!exists(base, "site.new-marked"));
	CHECK(exists(base, "site.old-backup/index.html"));
	CHECK(exists(base, "site.new-linked")); /* a link is not the marker */
	char *marker = xasprintf("%s/.sapan-output", site);
	struct stat st;
	CHECK(lstat(marker, &st) == 0 && S_ISREG(st.st_mode));
	CHECK_INT(output_commit(out, &d), 0);
	output_end(out);
	CHECK(exists(site, ".sapan-output"));
	CHECK_INT(d.len, 0);
	CHECK_INT(output_remove_tree(base), 0);
	free(marker);
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
	/* /proc is a mount point; what refuses it is that it is not sapan's. */
	CHECK_REFUSED("/proc", "is not empty and was not made by sapan");
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
	make(base, "in");
	char *src = xasprintf("%s/in/big.pdf", base);
	FILE *f = fopen(src, "wb");
	REQUIRE(f != NULL);
	fwrite(big.ptr, 1, big.len, f);
	fclose(f);
	char *site = xasprintf("%s/site", base);
	struct output *out = output_begin(site, &d);
	REQUIRE(out != NULL);
	CHECK_INT(output_copy(out, "out/deep/big.pdf", src, &d), 0);
	CHECK_INT(output_commit(out, &d), 0);
	output_end(out);
	char *dst = xasprintf("%s/out/deep/big.pdf", site);
	char *copied = slurp(dst);
	CHECK(copied && strlen(copied) == big.len && memcmp(copied, big.ptr, big.len) == 0);
	char *fifo = xasprintf("%s/in/pipe.pdf", base);
	CHECK_INT(mkfifo(fifo, 0600), 0);
	out = output_begin(site, &d);
	REQUIRE(out != NULL);
	CHECK_INT(output_copy(out, "out/deep/big.pdf", src, &d), 0); /* unchanged */
	CHECK_INT(output_copy(out, "out/pipe.pdf", fifo, &d), -1);
	struct output_counts c;
	output_counts(out, &c);
	CHECK_INT((int)c.unchanged, 1);
	output_end(out);
	CHECK_INT((int)d.errors, 1);
	CHECK(d.len == 1 && strstr(d.items[0].message, "not a regular file") != NULL);
	struct buf none = BUF_INIT;
	CHECK_INT(output_read_file(fifo, &none, &d), -1);
	buf_free(&none);
	free(copied);
	free(dst);
	free(src);
	free(fifo);
	free(site);
	buf_free(&big);
	diag_list_free(&d);
	CHECK_INT(output_remove_tree(base), 0);
}

/* output_keep keeps a file sapan wrote and nobody touched since its stamp,
 * without its content, so the commit neither deletes nor rewrites it; it
 * refuses a file that changed, is missing, or is not sapan's. */
static void keeps_untouched_files(void)
{
	char base[] = "/tmp/sapan-out-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct diag_list d;
	diag_list_init(&d);
	const char *files[] = { "a/index.html", "one", "b.html", "two" };
	struct output_counts c = build(site, files, 2, &d);
	REQUIRE(c.written == 2);
	put(site, "mine.txt", "the user's");
	struct output *out = output_begin(site, &d);
	REQUIRE(out != NULL);
	struct output_stamp a, b, mine;
	CHECK_INT(output_stamp(out, "a/index.html", &a), 0);
	CHECK_INT(output_stamp(out, "b.html", &b), 0);
	CHECK_INT(output_stamp(out, "mine.txt", &mine), 0);
	CHECK_INT(output_stamp(out, "none.html", &mine), -1);
	CHECK_INT(output_stamp(out, "a", &mine), -1); /* a folder */
	CHECK_INT(output_stamp(out, "mine.txt", &mine), 0);
	struct stat before = stat_at(site, "a/index.html");
	CHECK_INT(output_keep(out, "a/index.html", &a), 0);
	CHECK_INT(output_keep(out, "mine.txt", &mine), -1); /* not sapan's */
	b.mtime_ns ^= 1;
	CHECK_INT(output_keep(out, "b.html", &b), -1); /* touched since */
	CHECK_INT(output_write(out, "b.html", "two", 3, &d), 0);
	CHECK_INT(output_commit(out, &d), 0);
	output_counts(out, &c);
	CHECK_INT((int)c.unchanged, 2);
	CHECK_INT((int)c.written, 0);
	CHECK_INT((int)c.deleted, 0);
	output_end(out);
	struct stat after = stat_at(site, "a/index.html");
	CHECK(after.st_ino == before.st_ino);
	char *text = read_at(site, OUTPUT_MANIFEST);
	CHECK_STR(text, "sapan-manifest 1\na/index.html\nb.html\n");
	free(text);
	/* A kept file that was deleted is not kept. */
	out = output_begin(site, &d);
	REQUIRE(out != NULL);
	char *path = xasprintf("%s/a/index.html", site);
	CHECK_INT(output_stamp(out, "a/index.html", &a), 0);
	CHECK_INT(unlink(path), 0);
	CHECK_INT(output_keep(out, "a/index.html", &a), -1);
	output_end(out);
	free(path);
	CHECK_INT(d.len, 0);
	CHECK_INT(output_remove_tree(base), 0);
	free(site);
	diag_list_free(&d);
}

/* A folder new to the output goes in place whole, with every file below
 * it, next to paths that sort between its files ("d/new-x" and "d/new/");
 * a folder that becomes a file is swapped after the deletions; no staging
 * folder is left. */
static void new_folders_go_in_whole(void)
{
	char base[] = "/tmp/sapan-out-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *site = xasprintf("%s/site", base);
	struct diag_list d;
	diag_list_init(&d);
	const char *first[] = { "x.html", "1", "d/keep.html", "k", "p/index.html", "p" };
	struct output_counts c = build(site, first, 3, &d);
	CHECK_INT((int)c.written, 3);
	const char *second[] = { "x/index.html", "x2", "d/keep.html", "k",
				 "d/new/a.html", "a", "d/new-x.html", "nx",
				 "d/new/deep/c.html", "c", "d/new/b.html", "b",
				 "p", "p2", "q/r/s.html", "s" };
	c = build(site, second, 8, &d);
	CHECK_INT((int)d.errors, 0);
	CHECK_INT((int)c.written, 7);
	CHECK_INT((int)c.unchanged, 1);
	CHECK_INT((int)c.deleted, 2);
	for (size_t i = 0; i < 8; i++) {
		char *text = read_at(site, second[2 * i]);
		CHECK_STR(text, second[2 * i + 1]);
		free(text);
	}
	DIR *dir = opendir(site);
	REQUIRE(dir != NULL);
	size_t staging = 0;
	for (struct dirent *e; (e = readdir(dir));)
		staging += strncmp(e->d_name, OUTPUT_STAGING, strlen(OUTPUT_STAGING)) == 0;
	closedir(dir);
	CHECK_INT((int)staging, 0);
	char *text = read_at(site, OUTPUT_MANIFEST);
	CHECK_STR(text, "sapan-manifest 1\nd/keep.html\nd/new-x.html\nd/new/a.html\n"
			"d/new/b.html\nd/new/deep/c.html\np\nq/r/s.html\nx/index.html\n");
	free(text);
	diag_list_free(&d);
	free(site);
}

TEST_LIST(T(writes_only_what_changed), T(new_folders_go_in_whole), T(names_the_changes), T(keeps_untouched_files), T(uncommitted_build_changes_nothing),
	  T(keeps_the_users_files), T(takes_over_a_swapped_site), T(locks_and_cleans_up),
	  T(writes_from_threads), T(removes_stale_folders), T(removes_only_marked_leftovers),
	  T(refuses_unsafe_places), T(copies_regular_files_only),
	  T(sitemap_is_escaped_xml));
TEST_MAIN()
