/* SPDX-License-Identifier: MIT */
/*
 * The menus of view.c: which pages they list, in which order, the entry
 * marked current, and the bound that keeps every page's size independent
 * of the number of pages.
 */
#include <stdio.h>
#include <stdlib.h>

#include "i18n.h"
#include "site_fixture.h"
#include "test.h"
#include "util.h"
#include "value.h"
#include "view.h"

static const char *const pages[] = {
	"en/projects/_index.md", "---\ntitle: Projects\nweight: 10\n---\n",
	"en/projects/deep/_index.md", "---\ntitle: Deep section\n---\n",
	"en/projects/one.md", "---\ntitle: One\nmenu: true\nweight: 30\n---\n",
	"en/about.md", "---\ntitle: About\nmenu: true\nweight: 20\n---\n",
	"en/plain.md", "---\ntitle: Plain\nweight: 1\n---\n",
	"en/hidden/_index.md", "---\ntitle: Hidden\nmenu: false\n---\n",
	"en/zeta.md", "---\ntitle: Zeta\nmenu: true\nweight: 20\n---\n",
	"th/projects/_index.md", "---\ntitle: โครงการ\nweight: 10\n---\n",
	"th/about.md", "---\ntitle: เกี่ยวกับ IOM\nmenu_title: เกี่ยวกับเรา\nmenu: true\nweight: 20\n---\n",
	NULL,
};

/* The UI strings that view.c reads, in both languages. */
static struct i18n *strings(struct site_fixture *f)
{
	site_fixture_put_strings(f->dir, "i18n/en.yaml", "not_available: No.\nog_locale: en_US\n"
				"kind_page: Page\nkind_project: Project\nkind_infosheet: Infosheet\n"
				"status_active: Active\nstatus_inactive: Inactive\narchive_nav: Past\n"
				"publications_nav: Docs\n");
	site_fixture_put_strings(f->dir, "i18n/th.yaml", "not_available: ไม่\nog_locale: th_TH\n"
				"kind_page: หน้า\nkind_project: โครงการ\nkind_infosheet: เอกสาร\n"
				"status_active: ดำเนินการ\nstatus_inactive: สิ้นสุด\narchive_nav: เก่า\n"
				"publications_nav: เอกสาร\n"
				"language_en: ภาษาอังกฤษ\nlanguage_th: ภาษาไทย\n");
	static const char *const codes[] = { "en", "th" };
	char *dir = xasprintf("%s/i18n", f->dir);
	struct i18n *i18n = i18n_load(dir, codes, 2, &f->diags);
	free(dir);
	return i18n;
}

/* The titles of v's menu, joined by commas. */
static char *menu_titles(const struct value *v)
{
	struct buf b = BUF_INIT;
	const struct value *nav = value_get(v, "nav");
	for (size_t i = 0; nav && i < nav->as.list.len; i++) {
		const struct value *title = value_get(nav->as.list.items[i], "title");
		buf_printf(&b, "%s%s", i ? "," : "", title ? title->as.str.ptr : "?");
	}
	return buf_detach(&b);
}

static void menus_choose_and_order(void)
{
	const char *const *lists[] = { pages, NULL };
	struct site_fixture f;
	REQUIRE(site_fixture_setup(&f, lists) == 0);
	struct i18n *i18n = strings(&f);
	REQUIRE(i18n != NULL);
	struct view_env env = { .site = &f.site, .i18n = i18n, .css_path = "style.css" };
	CHECK_INT(view_menus_select(&env, &f.diags), 0);
	REQUIRE(env.menus != NULL);
	/* Top-level sections unless menu: false, and menu: true anywhere; by
	 * weight, then title. Not Plain (a weight is not enough), not the
	 * nested section. */
	CHECK_INT(env.menus[0].len, 4);
	/* The Thai menu: its own entries and the English-only pages, marked. */
	CHECK_INT(env.menus[1].len, 4);
	struct page *one = site_fixture_page(&f, "en/projects/one.md");
	REQUIRE(one != NULL);
	struct value *v = view_page(&env, one);
	char *got = menu_titles(v);
	CHECK_STR(got, "Projects,About,Zeta,One,Past,Docs");
	free(got);
	const struct value *nav = value_get(v, "nav");
	REQUIRE(nav && nav->as.list.len == 6);
	CHECK(value_truthy(value_get(nav->as.list.items[0], "active")));
	CHECK(!value_truthy(value_get(nav->as.list.items[0], "current")));
	CHECK(value_truthy(value_get(nav->as.list.items[3], "current")));
	CHECK_STR(value_get(nav->as.list.items[1], "url")->as.str.ptr, "../../about/");
	CHECK(!value_truthy(value_get(nav->as.list.items[2], "other_lang")));
	value_free(v);

	/* On a Thai page: menu_title stands for the title; at equal weight the
	 * Thai title comes first in Thai order; English-only pages say so in
	 * Thai words. */
	struct page *th = site_fixture_page(&f, "th/about.md");
	REQUIRE(th != NULL);
	v = view_page(&env, th);
	got = menu_titles(v);
	CHECK_STR(got, "โครงการ,เกี่ยวกับเรา,Zeta,One,เก่า,เอกสาร");
	free(got);
	nav = value_get(v, "nav");
	REQUIRE(nav && nav->as.list.len == 6);
	CHECK(!value_truthy(value_get(nav->as.list.items[1], "other_lang")));
	CHECK(value_truthy(value_get(nav->as.list.items[2], "other_lang")));
	CHECK_STR(value_get(nav->as.list.items[2], "lang")->as.str.ptr, "en");
	CHECK_STR(value_get(nav->as.list.items[2], "lang_name")->as.str.ptr, "ภาษาอังกฤษ");
	CHECK_STR(value_get(nav->as.list.items[2], "url")->as.str.ptr, "../../en/zeta/");
	value_free(v);
	view_menus_free(&env);
	CHECK(env.menus == NULL);
	i18n_free(i18n);
	site_fixture_teardown(&f);
}

static void menu_bound(void)
{
	/* VIEW_MENU_MAX pages with menu: true, besides one top-level section:
	 * one entry too many. */
	char *files[2 * VIEW_MENU_MAX + 1];
	for (int i = 0; i < VIEW_MENU_MAX; i++) {
		files[2 * i] = xasprintf("en/m%02d.md", i);
		files[2 * i + 1] = xasprintf("---\ntitle: M%02d\nmenu: true\nweight: %d\n---\n", i, i);
	}
	files[2 * VIEW_MENU_MAX] = NULL;
	static const char *const section[] = { "en/s/_index.md", "---\ntitle: S\nweight: 99\n---\n",
					       NULL };
	const char *const *lists[] = { (const char *const *)files, section, NULL };
	struct site_fixture f;
	REQUIRE(site_fixture_setup(&f, lists) == 0);
	struct view_env env = { .site = &f.site, .css_path = "style.css" };
	CHECK_INT(view_menus_select(&env, &f.diags), -1);
	/* The pages exist only in English, so the Thai menu lists them too:
	 * one error per menu, English first. */
	CHECK_INT(f.diags.errors, 2);
	struct buf msg = BUF_INIT;
	if (f.diags.len)
		diag_format(&f.diags.items[0], &msg);
	char *want = xasprintf("%s/en/s/_index.md: error: the en menu would have 31 entries, more "
			       "than 30: every page carries it; set 'menu: false' on the sections "
			       "and pages it need not show", f.content);
	CHECK_STR(msg.ptr, want);
	free(want);
	buf_free(&msg);
	view_menus_free(&env);
	for (int i = 0; i < 2 * VIEW_MENU_MAX; i++)
		free(files[i]);
	site_fixture_teardown(&f);
}

TEST_LIST(T(menus_choose_and_order), T(menu_bound));
TEST_MAIN()
