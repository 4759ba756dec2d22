/* SPDX-License-Identifier: MIT */
/*
 * fsentry: which names are published, and symbolic links to folders
 * followed once per real folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsentry.h"
#include "test.h"

static void name_kinds(void)
{
	static const struct {
		const char *name;
		enum fsentry_name kind;
	} cases[] = {
		{ "about.md", FSENTRY_NAME_PAGE },
		{ "_index.md", FSENTRY_NAME_PAGE },
		{ "summary.pdf", FSENTRY_NAME_FILE },
		{ "notes.v2.txt", FSENTRY_NAME_FILE },
		{ "md.txt", FSENTRY_NAME_FILE },
		{ "README", FSENTRY_NAME_FILE },
		{ "plan.md~", FSENTRY_NAME_SCRATCH },
		{ "#plan.md#", FSENTRY_NAME_SCRATCH },
		{ ".#plan.md", FSENTRY_NAME_SCRATCH },
		{ ".plan.md.swp", FSENTRY_NAME_SCRATCH },
		{ "plan.md.BAK", FSENTRY_NAME_SCRATCH },
		{ "x.Tmp", FSENTRY_NAME_SCRATCH },
		{ ".md", FSENTRY_NAME_SCRATCH },
		{ "plan2.MD", FSENTRY_NAME_MARKDOWN },
		{ "plan.Md", FSENTRY_NAME_MARKDOWN },
		{ "plan.markdown", FSENTRY_NAME_MARKDOWN },
		{ "plan.mdown", FSENTRY_NAME_MARKDOWN },
		{ "plan.MKD", FSENTRY_NAME_MARKDOWN },
		{ "plan3.md.txt", FSENTRY_NAME_NEAR_PAGE },
		{ "plan.MD.html", FSENTRY_NAME_NEAR_PAGE },
		{ "plan.markdown.orig", FSENTRY_NAME_NEAR_PAGE },
		{ "a.mdx", FSENTRY_NAME_FILE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		if (fsentry_name_kind(cases[i].name) != cases[i].kind) {
			fprintf(stderr, "name %s\n", cases[i].name);
			CHECK_INT(fsentry_name_kind(cases[i].name), cases[i].kind);
		}
	}
}

static void folder_linked_once(void)
{
	char dir[] = "/tmp/sapan-fsentry-XXXXXX";
	REQUIRE(mkdtemp(dir));
	char *target = xasprintf("%s/target", dir), *one = xasprintf("%s/one", dir),
	     *two = xasprintf("%s/two", dir);
	REQUIRE(mkdir(target, 0700) == 0);
	REQUIRE(symlink("target", one) == 0 && symlink("target", two) == 0);
	struct fsentry_root root;
	REQUIRE(fsentry_root_open(&root, dir) == 0);
	struct diag_list diags;
	diag_list_init(&diags);
	struct stat st;
	/* The folder itself is no link: reaching it directly counts for nothing. */
	CHECK_INT(fsentry_check(&root, target, &st, &diags), FSENTRY_DIR);
	CHECK_INT(fsentry_check(&root, one, &st, &diags), FSENTRY_DIR);
	CHECK_INT(diags.errors, 0);
	CHECK_INT(fsentry_check(&root, two, &st, &diags), FSENTRY_REFUSED);
	REQUIRE(diags.errors == 1);
	CHECK(strstr(diags.items[0].message, "already reached through the symbolic link") != NULL);
	CHECK(strstr(diags.items[0].message, one) != NULL);
	/* A new walk may follow the folder again. */
	fsentry_root_forget_links(&root);
	CHECK_INT(fsentry_check(&root, two, &st, &diags), FSENTRY_DIR);
	fsentry_root_free(&root);
	diag_list_free(&diags);
	unlink(one);
	unlink(two);
	rmdir(target);
	rmdir(dir);
	free(target);
	free(one);
	free(two);
}

static void fifo_is_other(void)
{
	char dir[] = "/tmp/sapan-fsentry-XXXXXX";
	REQUIRE(mkdtemp(dir));
	char *fifo = xasprintf("%s/page.md", dir);
	REQUIRE(mkfifo(fifo, 0600) == 0);
	struct fsentry_root root;
	REQUIRE(fsentry_root_open(&root, dir) == 0);
	struct diag_list diags;
	diag_list_init(&diags);
	struct stat st;
	/* Classified without opening it: an open would block here. */
	CHECK_INT(fsentry_check(&root, fifo, &st, &diags), FSENTRY_OTHER);
	CHECK_INT(diags.len, 0);
	fsentry_root_free(&root);
	diag_list_free(&diags);
	unlink(fifo);
	rmdir(dir);
	free(fifo);
}

TEST_LIST(T(name_kinds), T(folder_linked_once), T(fifo_is_other));
TEST_MAIN()
