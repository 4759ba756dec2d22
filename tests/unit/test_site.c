/* SPDX-License-Identifier: MIT */
/*
 * The site model and the views built from it, on a small site written to a
 * temporary folder: translations, sections and their fallback entries,
 * phases, resources, link rewriting, the switcher and the list data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "i18n.h"
#include "output.h"
#include "site.h"
#include "site_fixture.h"
#include "test.h"
#include "value.h"
#include "view.h"

/* Pages of every test here, besides the two homes of site_fixture. */
static const char *const standard[] = {
	"en/p/_index.md", "---\ntitle: Projects\n---\n",
	"th/p/_index.md", "---\ntitle: โครงการ\n---\n",
	"en/p/b.md", "---\ntitle: B\nweight: 2\nprevious_phase: a.md\n"
		     "resources:\n  - title: S\n    files: {en: /m/s.pdf}\n---\n"
		     "See [a](a.md#x), [home](../_index.md) and [file](/m/s.pdf).\n",
	"th/p/b.md", "---\ntitle: บี\nweight: 2\n---\n",
	"en/p/a.md", "---\ntitle: A\nweight: 2\nstatus: inactive\nperiod: 2013-2015\n---\n",
	"en/p/c.md", "---\ntitle: C\nweight: 1\nkind: infosheet\n---\nOnly English.\n",
	"m/s.pdf", "%PDF-1.4 tiny",
	NULL,
};

static int setup(struct site_fixture *f, const char *const *extra)
{
	const char *const *lists[] = { standard, extra, NULL };
	return site_fixture_setup(f, lists);
}

static void model_links(void)
{
	struct site_fixture f;
	CHECK_INT(setup(&f, NULL), 0);
	CHECK_INT(f.diags.len, 0);
	struct page *b = site_fixture_page(&f, "en/p/b.md"), *a = site_fixture_page(&f, "en/p/a.md");
	struct page *tb = site_fixture_page(&f, "th/p/b.md"), *sec = site_fixture_page(&f, "en/p/_index.md");
	REQUIRE(b && a && tb && sec);
	CHECK_STR(b->url, "en/p/b/");
	CHECK_STR(sec->url, "en/p/");
	CHECK(sec->is_section && !sec->is_home);
	CHECK(site_fixture_page(&f, "en/_index.md")->is_home);
	CHECK(site_translation(b, 1) == tb && site_translation(tb, 0) == b);
	CHECK(site_translation(a, 1) == NULL);
	CHECK(b->parent == sec && sec->parent == f.site.homes[0]);
	CHECK(b->previous == a && a->next == b);
	/* Children by weight, then title: C (1), A (2), B (2). */
	CHECK_INT(sec->nchildren, 3);
	CHECK_STR(sec->children[0]->fm.title, "C");
	CHECK_STR(sec->children[1]->fm.title, "A");
	CHECK(b->resources[0].files[0] && b->resources[0].files[0]->size == 13);
	site_fixture_teardown(&f);
}

static void thai_lists_fall_back_to_english(void)
{
	struct site_fixture f;
	CHECK_INT(setup(&f, NULL), 0);
	size_t n;
	struct page **entries = site_section_entries(&f.site, site_fixture_page(&f, "th/p/_index.md"), 1, &n);
	/* บี in Thai, plus A and C, which exist only in English. */
	CHECK_INT(n, 3);
	int english = 0;
	for (size_t i = 0; i < n; i++)
		english += entries[i]->lang == 0;
	CHECK_INT(english, 2);
	free(entries);
	site_fixture_teardown(&f);
}

static void markdown_links_become_relative(void)
{
	struct site_fixture f;
	CHECK_INT(setup(&f, NULL), 0);
	struct page *b = site_fixture_page(&f, "en/p/b.md");
	CHECK_INT(site_render_markdown(&f.site, b, &f.diags), 0);
	CHECK_CONTAINS(b->html, "href=\"../a/#x\"");
	CHECK_CONTAINS(b->html, "href=\"../../\"");
	CHECK_CONTAINS(b->html, "href=\"../../../m/s.pdf\"");
	CHECK_STR(b->description, "See a, home and file.");
	site_fixture_teardown(&f);
}

static void structure_errors(void)
{
	static const char *const extra[] = {
		"en/p/b/_index.md", "---\ntitle: Clash\n---\n",
		"en/p/d.md", "---\ntitle: D\nprevious_phase: /th/p/b.md\n---\n[x](nowhere.md)\n",
		"en/p/e.md", "---\ntitle: E\ntranslation_key: p/c\n---\n",
		NULL,
	};
	struct site_fixture f;
	CHECK_INT(setup(&f, extra), -1);
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < f.diags.len; i++) {
		diag_format(&f.diags.items[i], &all);
		buf_putc(&all, '\n');
	}
	CHECK_CONTAINS(all.ptr, "writes the same page as");
	CHECK_CONTAINS(all.ptr, "is in another language folder");
	CHECK_CONTAINS(all.ptr, "translation_key 'p/c' is also used by");
	buf_free(&all);
	site_fixture_teardown(&f);
}

/* Formats every diagnostic of f, one per line; caller frees. */
static char *all_diags(const struct site_fixture *f)
{
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < f->diags.len; i++) {
		diag_format(&f->diags.items[i], &all);
		buf_putc(&all, '\n');
	}
	return buf_detach(&all);
}

static void output_collisions(void)
{
	static const char *const extra[] = {
		"en/p/a/index.html", "<p>stale</p>",
		"en/p/C.md", "---\ntitle: C again\n---\n",
		"en/p/b", "no extension",
		"M/S.pdf", "%PDF-1.4 tiny",
		"sitemap.xml/x.txt", "x",
		NULL,
	};
	struct site_fixture f;
	CHECK_INT(setup(&f, extra), 0);
	const struct site_output gen[] = { { "sitemap.xml", "the sitemap" } };
	CHECK_INT(site_check_outputs(&f.site, gen, 1, &f.diags), -1);
	char *all = all_diags(&f);
	CHECK_CONTAINS(all, "/en/p/a/index.html: error: is copied to en/p/a/index.html, which "
			    "the page ");
	CHECK_CONTAINS(all, "error: writes en/p/c/index.html, which differs only in letter case "
			    "or Unicode form from en/p/C/index.html");
	CHECK_CONTAINS(all, "/en/p/b: error: is copied to en/p/b, but the page ");
	CHECK_CONTAINS(all, "/m/s.pdf: error: is copied to m/s.pdf, which differs only in letter "
			    "case or Unicode form from M/S.pdf");
	CHECK_CONTAINS(all, "error: is copied to sitemap.xml/x.txt, but the sitemap writes a file "
			    "(sitemap.xml) where this needs a folder");
	CHECK_INT(f.diags.errors, 5);
	free(all);
	site_fixture_teardown(&f);
}

static void no_collisions_in_a_good_site(void)
{
	struct site_fixture f;
	CHECK_INT(setup(&f, NULL), 0);
	const struct site_output gen[] = { { "sitemap.xml", "the sitemap" },
					   { "index.html", "the language choice page" } };
	CHECK_INT(site_check_outputs(&f.site, gen, 2, &f.diags), 0);
	CHECK_INT(f.diags.len, 0);
	site_fixture_teardown(&f);
}

/* Entry l of v's language switcher. */
static const struct value *switcher_entry(const struct value *v, size_t l)
{
	return value_get(v, "languages")->as.list.items[l];
}

static void view_switcher_and_resources(void)
{
	struct site_fixture f;
	CHECK_INT(setup(&f, NULL), 0);
	site_fixture_put_strings(f.dir, "i18n/en.yaml", "not_available: Not in English.\nog_locale: en_US\n"
			   "kind_page: Page\nkind_project: Project\nkind_infosheet: Infosheet\n"
			   "status_active: Active\nstatus_inactive: Inactive\narchive_nav: Archive\n"
			   "archive_title: Archive\narchive_intro: Old.\n"
			   "language_en: English\nlanguage_th: Thai\n");
	site_fixture_put_strings(f.dir, "i18n/th.yaml", "not_available: ไม่มีภาษาไทย\nog_locale: th_TH\n"
			   "kind_page: หน้า\nkind_project: โครงการ\nkind_infosheet: เอกสาร\n"
			   "status_active: ดำเนินการ\nstatus_inactive: สิ้นสุด\narchive_nav: คลัง\n"
			   "archive_title: คลัง\narchive_intro: เก่า\n"
			   "language_en: ภาษาอังกฤษ\nlanguage_th: ภาษาไทย\n");
	static const char *const codes[] = { "en", "th" };
	char *dir = xasprintf("%s/i18n", f.dir);
	struct i18n *i18n = i18n_load(dir, codes, 2, &f.diags);
	free(dir);
	REQUIRE(i18n != NULL);
	struct view_env env = { .site = &f.site, .i18n = i18n, .css_path = "assets/style.css" };
	struct page *c = site_fixture_page(&f, "en/p/c.md");
	site_render_markdown(&f.site, c, &f.diags);
	struct value *v = view_page(&env, c);
	const struct value *langs = value_get(v, "languages");
	REQUIRE(langs && langs->as.list.len == 2);
	const struct value *th = langs->as.list.items[1];
	/* C has no Thai version and its section has: the switcher leads there. */
	CHECK_STR(value_get(th, "url")->as.str.ptr, "../../../th/p/");
	CHECK(!value_truthy(value_get(th, "available")));
	CHECK_STR(value_get(th, "not_available_text")->as.str.ptr, "ไม่มีภาษาไทย");
	CHECK_STR(value_get(v, "css_url")->as.str.ptr, "../../../assets/style.css");
	CHECK(value_get(v, "canonical") == NULL);
	value_free(v);

	struct page *b = site_fixture_page(&f, "en/p/b.md");
	site_render_markdown(&f.site, b, &f.diags);
	v = view_page(&env, b);
	const struct value *res = value_get(value_get(v, "page"), "resources");
	const struct value *file = value_get(res->as.list.items[0], "files")->as.list.items[0];
	CHECK_STR(value_get(file, "type")->as.str.ptr, "PDF");
	CHECK_STR(value_get(file, "size")->as.str.ptr, "1 KB");
	/* Named in the page's language; the own name is for the switcher. */
	CHECK_STR(value_get(file, "name")->as.str.ptr, "English");
	CHECK_STR(value_get(switcher_entry(v, 1), "name")->as.str.ptr, "ไทย");
	CHECK_STR(value_get(value_get(value_get(v, "page"), "previous_phase"), "url")->as.str.ptr,
		  "../a/");
	value_free(v);

	v = view_archive(&env, 1, 1);
	const struct value *items = value_get(value_get(v, "archive"), "items");
	REQUIRE(items && items->as.list.len == 1);
	CHECK(value_truthy(value_get(items->as.list.items[0], "other_lang")));
	CHECK_STR(value_get(items->as.list.items[0], "lang_name")->as.str.ptr, "ภาษาอังกฤษ");
	CHECK_STR(value_get(items->as.list.items[0], "title_lang")->as.str.ptr, "en");
	CHECK_STR(value_get(items->as.list.items[0], "url")->as.str.ptr, "../../en/p/a/");
	value_free(v);
	i18n_free(i18n);
	site_fixture_teardown(&f);
}

TEST_LIST(T(model_links), T(thai_lists_fall_back_to_english), T(markdown_links_become_relative),
	  T(structure_errors), T(output_collisions), T(no_collisions_in_a_good_site),
	  T(view_switcher_and_resources));
TEST_MAIN()
