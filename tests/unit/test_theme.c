/* SPDX-License-Identifier: MIT */
/*
 * theme: the templates folder walked into one template set, the required
 * layouts, the ids the templates write, and the layout a page gets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "site_fixture.h"
#include "test.h"
#include "theme.h"

static const char *const theme_files[] = {
	"layouts/page.mustache", "<main id=\"main\">{{>partials/nav}}</main>",
	"layouts/archive.mustache", "<p id='archive-list'>x</p>",
	"layouts/publications.mustache", "<p>publications</p>",
	"layouts/languages.mustache", "<a id=\"na-{{code}}\">x</a>",
	"layouts/404.mustache", "<p>404</p>",
	"layouts/project.mustache", "<p ID=\"facts\">{{title}}</p>",
	"partials/nav.mustache", "<nav id=\"menu\"></nav>",
	"assets/notes.mustache", "<p id=\"not-a-template\"></p>",
	"i18n/x.mustache", "<p id=\"nor-this\"></p>",
	NULL,
};

static void write_theme(const char *dir, const char *const *files, const char *skip)
{
	for (size_t i = 0; files[i]; i += 2) {
		if (!skip || strcmp(files[i], skip) != 0)
			site_fixture_put(dir, files[i], files[i + 1]);
	}
}

static void loads_templates_and_ids(void)
{
	char dir[] = "/tmp/sapan-theme-XXXXXX";
	REQUIRE(mkdtemp(dir) != NULL);
	write_theme(dir, theme_files, NULL);
	struct diag_list d;
	diag_list_init(&d);
	struct theme theme = { 0 };
	CHECK_INT(theme_load(&theme, dir, &d), 0);
	CHECK_INT((int)d.len, 0);
	CHECK(tmpl_set_has(theme.templates, "layouts/project"));
	CHECK(tmpl_set_has(theme.templates, "partials/nav"));
	CHECK(!tmpl_set_has(theme.templates, "assets/notes"));
	CHECK(!tmpl_set_has(theme.templates, "i18n/x"));
	/* Literal ids in any case of the attribute name; not ids made from
	 * data, and not ids of files that are not templates. */
	CHECK(hmap_get(&theme.ids, "main") != NULL);
	CHECK(hmap_get(&theme.ids, "archive-list") != NULL);
	CHECK(hmap_get(&theme.ids, "facts") != NULL);
	CHECK(hmap_get(&theme.ids, "menu") != NULL);
	CHECK(hmap_get(&theme.ids, "na-{{code}}") == NULL);
	CHECK(hmap_get(&theme.ids, "not-a-template") == NULL);
	theme_free(&theme);
	diag_list_free(&d);
	CHECK_INT(output_remove_tree(dir), 0);
}

static void reports_missing_layouts(void)
{
	char dir[] = "/tmp/sapan-theme-XXXXXX";
	REQUIRE(mkdtemp(dir) != NULL);
	write_theme(dir, theme_files, "layouts/404.mustache");
	site_fixture_put(dir, "layouts/page.mustache", "{{>partials/gone}}");
	struct diag_list d;
	diag_list_init(&d);
	struct theme theme = { 0 };
	CHECK_INT(theme_load(&theme, dir, &d), -1);
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < d.len; i++) {
		diag_format(&d.items[i], &all);
		buf_putc(&all, '\n');
	}
	CHECK_CONTAINS(all.ptr, "error: missing template layouts/404.mustache");
	CHECK_CONTAINS(all.ptr, "layouts/page.mustache:1:1: error: partial 'partials/gone' not found");
	buf_free(&all);
	theme_free(&theme);
	diag_list_free(&d);
	CHECK_INT(output_remove_tree(dir), 0);
}

static void chooses_layouts(void)
{
	static const char *const pages[] = {
		"en/projects/_index.md", "---\ntitle: Projects\n---\n",
		"en/projects/one.md", "---\ntitle: One\nkind: project\n---\n",
		"en/sheet.md", "---\ntitle: Sheet\nkind: infosheet\n---\n",
		"en/own.md", "---\ntitle: Own\nlayout: special\n---\n",
		NULL,
	};
	const char *const *lists[] = { pages, NULL };
	struct site_fixture f;
	REQUIRE(site_fixture_setup(&f, lists) == 0);
	char *dir = xasprintf("%s/templates", f.dir);
	write_theme(dir, theme_files, NULL);
	struct theme theme = { 0 };
	CHECK_INT(theme_load(&theme, dir, &f.diags), 0);
	const char *want[][2] = { { "en/projects/one.md", "layouts/project" },
				  { "en/sheet.md", "layouts/page" }, /* no infosheet layout */
				  { "en/projects/_index.md", "layouts/page" },
				  { "en/own.md", "layouts/special" } };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct page *p = hmap_get(&f.site.pages_by_rel, want[i][0]);
		REQUIRE(p != NULL);
		char *owned;
		CHECK_STR(theme_layout(&theme, p, &owned), want[i][1]);
		free(owned);
	}
	/* layouts/special does not exist: reported at the page's layout key. */
	CHECK_INT(theme_check_layouts(&theme, &f.site, &f.diags), -1);
	REQUIRE(f.diags.len == 1);
	CHECK_INT((int)f.diags.items[0].line, 3);
	CHECK_CONTAINS(f.diags.items[0].message, "layout 'special' not found");
	theme_free(&theme);
	free(dir);
	site_fixture_teardown(&f);
}

TEST_LIST(T(loads_templates_and_ids), T(reports_missing_layouts), T(chooses_layouts));
TEST_MAIN()
