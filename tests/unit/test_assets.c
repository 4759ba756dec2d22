/* SPDX-License-Identifier: MIT */
/*
 * assets: the theme's files copied into the site, the stylesheet under a
 * name that carries its hash, backups and notes left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assets.h"
#include "output.h"
#include "site_fixture.h"
#include "test.h"

static void copies_and_hashes(void)
{
	char dir[] = "/tmp/sapan-assets-XXXXXX";
	REQUIRE(mkdtemp(dir) != NULL);
	char *templates = xasprintf("%s/templates", dir);
	char *out = xasprintf("%s/out", dir);
	site_fixture_put(templates, "assets/style.css", "body { color: #222; }\n");
	site_fixture_put(templates, "assets/print.css", "nav { display: none; }\n");
	site_fixture_put(templates, "assets/img/logo.svg", "<svg/>");
	site_fixture_put(templates, "assets/style.css~", "old");
	site_fixture_put(templates, "assets/NOTES.md", "# notes");
	site_fixture_put(templates, "assets/.hidden", "x");
	struct fsentry_root root;
	REQUIRE(fsentry_root_open(&root, templates) == 0);
	struct diag_list d;
	diag_list_init(&d);
	struct assets a = { 0 };
	struct output *o = output_begin(out, &d);
	REQUIRE(o != NULL);
	assets_copy(&a, &root, templates, o, &d);
	CHECK_INT(output_commit(o, &d), 0);
	output_end(o);
	CHECK_INT((int)d.len, 0);
	CHECK_INT((int)a.files_copied, 3);
	CHECK_INT((int)a.noutputs, 3);
	/* The name carries the hash of the content, so a change renames it. */
	char want[64];
	snprintf(want, sizeof want, "assets/style.%08llx.css",
		 (unsigned long long)(hash_bytes("body { color: #222; }\n", 22) & 0xffffffffULL));
	CHECK_STR(a.css_path, want);
	char *css = xasprintf("%s/%s", out, want);
	CHECK(access(css, F_OK) == 0);
	char *logo = xasprintf("%s/assets/img/logo.svg", out);
	CHECK(access(logo, F_OK) == 0);
	char *backup = xasprintf("%s/assets/style.css~", out);
	CHECK(access(backup, F_OK) != 0);
	char *notes = xasprintf("%s/assets/NOTES.md", out);
	CHECK(access(notes, F_OK) != 0);
	free(css);
	free(logo);
	free(backup);
	free(notes);
	assets_free(&a);
	assets_free(&a); /* safe twice: the struct is zeroed */
	fsentry_root_free(&root);
	diag_list_free(&d);
	free(templates);
	free(out);
	CHECK_INT(output_remove_tree(dir), 0);
}

TEST_LIST(T(copies_and_hashes));
TEST_MAIN()
