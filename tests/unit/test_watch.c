/* SPDX-License-Identifier: MIT */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "platform.h"
#include "test.h"
#include "watch.h"

/* Waits up to a second for the watch to say something changed. */
static int changed(struct watch *w)
{
	struct pollfd p = { .fd = watch_fd(w), .events = POLLIN };
	for (int i = 0; i < 20; i++) {
		if (poll(&p, 1, 50) > 0 && watch_read(w) > 0)
			return 1;
	}
	return 0;
}

static void put(const char *path)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
}

/* A file saved in a folder, in a folder made later, and an editor's swap
 * file (which is not a change). */
static void sees_changes_in_every_folder(void)
{
	char base[] = "/tmp/sapan-watch-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *sub = xasprintf("%s/a", base), *later = xasprintf("%s/a/later", base);
	CHECK_INT(mkdir(sub, 0755), 0);
	struct diag_list d;
	diag_list_init(&d);
	const char *dirs[] = { base };
	struct watch *w = watch_open(dirs, 1, &d);
	REQUIRE(w != NULL);
	CHECK_INT(changed(w), 0);
	char *p = xasprintf("%s/page.md", sub);
	put(p);
	free(p);
	CHECK_INT(changed(w), 1);
	CHECK_INT(mkdir(later, 0755), 0);
	CHECK_INT(changed(w), 1);
	p = xasprintf("%s/deep.md", later);
	put(p);
	free(p);
	CHECK_INT(changed(w), 1);
	p = xasprintf("%s/.page.md.swp", sub);
	put(p);
	free(p);
	CHECK_INT(changed(w), 0);
	watch_close(w);
	CHECK_INT(d.len, 0);
	diag_list_free(&d);
	CHECK_INT(output_remove_tree(base), 0);
	free(sub);
	free(later);
}

/* Every name in the list of changes is path. */
static int only(struct watch *w, const char *path)
{
	size_t n;
	const char *list = watch_changes(w, &n);
	if (!list || n == 0)
		return 0;
	for (size_t i = 0, at = 0; i < n; i++, at += strlen(list + at) + 1) {
		if (strcmp(list + at, path) != 0)
			return 0;
	}
	return 1;
}

/* A page edited in place is named; with the polling watch, a page
 * replaced by renaming (a new inode) makes the list unknown, as the
 * temporary file's events do with inotify: serve then builds it all. */
static void names_the_file_edited(void)
{
	char base[] = "/tmp/sapan-watch-XXXXXX";
	REQUIRE(mkdtemp(base) != NULL);
	char *page = xasprintf("%s/page.md", base), *tmp = xasprintf("%s/page.md.new", base);
	put(page);
	struct diag_list d;
	diag_list_init(&d);
	const char *dirs[] = { base };
	struct watch *w = watch_open(dirs, 1, &d);
	REQUIRE(w != NULL);
	FILE *f = fopen(page, "a");
	CHECK(f != NULL);
	if (f) {
		fputs("more\n", f);
		fclose(f);
	}
	CHECK_INT(changed(w), 1);
	CHECK(only(w, page));
	watch_forget(w);
#if !PLATFORM_LINUX
	put(tmp);
	CHECK_INT(rename(tmp, page), 0);
	CHECK_INT(changed(w), 1);
	size_t n;
	CHECK(watch_changes(w, &n) == NULL && n == 0);
#endif
	watch_close(w);
	CHECK_INT(d.len, 0);
	diag_list_free(&d);
	CHECK_INT(output_remove_tree(base), 0);
	free(page);
	free(tmp);
}

static void refuses_a_missing_folder(void)
{
	struct diag_list d;
	diag_list_init(&d);
	const char *dirs[] = { "/nonexistent/sapan-watch" };
	struct watch *w = watch_open(dirs, 1, &d);
	CHECK(w == NULL);
	CHECK_INT((int)d.errors, 1);
	watch_close(w);
	diag_list_free(&d);
}

TEST_LIST(T(sees_changes_in_every_folder), T(names_the_file_edited), T(refuses_a_missing_folder));
TEST_MAIN()
