/* SPDX-License-Identifier: MIT */
/*
 * The publications page: which documents, in what order, each once with
 * all its pages, in both languages; and its view (labels in the page's
 * language, types and sizes, offline links).
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "publications.h"
#include "site_fixture.h"
#include "test.h"
#include "value.h"
#include "view.h"

static const char *const pages[] = {
	"en/old.md", "---\ntitle: Old\ndate: 2010-01-01\nresources:\n"
		     "  - title: Old report\n    files: {en: /m/old.pdf}\n---\n",
	"en/new.md", "---\ntitle: New\ndate: 2020-05-05\nresources:\n"
		     "  - title: Shared\n    files: {en: /m/s-en.pdf, th: /m/s-th.docx}\n"
		     "  - title: New only\n    files: {en: /m/n.pdf}\n---\n",
	"th/new.md", "---\ntitle: ใหม่\ndate: 2020-05-05\nresources:\n"
		     "  - title: ร่วม\n    files: {en: /m/s-en.pdf, th: /m/s-th.docx}\n---\n",
	"en/mid.md", "---\ntitle: Mid\nperiod: 2012-2015\nresources:\n"
		     "  - title: Shared again\n    files: {en: /m/s-en.pdf}\n---\n",
	"en/none.md", "---\ntitle: Undated\nresources:\n"
		      "  - title: Zed\n    files: {en: /m/z.pdf}\n---\n",
	"en/plain.md", "---\ntitle: Plain\n---\n",
	"m/old.pdf", "old",
	"m/s-en.pdf", "shared",
	"m/s-th.docx", "shared in Thai",
	"m/n.pdf", "new",
	"m/z.pdf", "zed",
	NULL,
};

/* "title<page,page>|title<page>": the entries, in order. */
static char *outline(const struct publication *list, size_t n)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		buf_printf(&b, "%s%s<", i ? "|" : "", list[i].link->fm->title);
		for (size_t p = 0; p < list[i].npages; p++)
			buf_printf(&b, "%s%s", p ? "," : "", list[i].pages[p]->rel);
		buf_puts(&b, ">");
		for (size_t f = 0; f < list[i].nfiles; f++)
			buf_printf(&b, " %s", list[i].files[f].file->rel);
	}
	return buf_detach(&b);
}

static void lists_each_file_once_newest_first(void)
{
	const char *const *lists[] = { pages, NULL };
	struct site_fixture f;
	REQUIRE(site_fixture_setup(&f, lists) == 0);
	size_t n;
	struct publication *list = publications_of(&f.site, 0, &n);
	char *got = outline(list, n);
	/* The shared document once, with both English pages that list it
	 * (newest first); a period's end year places Mid between New and
	 * Old; the undated page last; the page without files nowhere. */
	CHECK_STR(got, "Shared<en/new.md,en/mid.md> m/s-en.pdf m/s-th.docx|"
		       "New only<en/new.md> m/n.pdf|Old report<en/old.md> m/old.pdf|"
		       "Zed<en/none.md> m/z.pdf");
	free(got);
	publications_free(list, n);

	/* In Thai: the Thai page's title; English-only pages too; and the
	 * file only the English version of a Thai page lists, under it. */
	list = publications_of(&f.site, 1, &n);
	got = outline(list, n);
	CHECK_STR(got, "ร่วม<th/new.md,en/mid.md> m/s-en.pdf m/s-th.docx|"
		       "New only<en/new.md> m/n.pdf|Old report<en/old.md> m/old.pdf|"
		       "Zed<en/none.md> m/z.pdf");
	free(got);
	publications_free(list, n);
	site_fixture_teardown(&f);
}

static const char *str(const struct value *v, const char *key)
{
	const struct value *s = value_get(v, key);
	return s && s->kind == VALUE_STRING ? s->as.str.ptr : "";
}

static void view_labels_in_the_page_language(void)
{
	const char *const *lists[] = { pages, NULL };
	struct site_fixture f;
	REQUIRE(site_fixture_setup(&f, lists) == 0);
	site_fixture_put_strings(f.dir, "i18n/en.yaml",
				 "language_en: English\nlanguage_th: Thai\n");
	site_fixture_put_strings(f.dir, "i18n/th.yaml",
				 "language_en: ภาษาอังกฤษ\nlanguage_th: ภาษาไทย\n");
	static const char *const codes[] = { "en", "th" };
	char *dir = xasprintf("%s/i18n", f.dir);
	struct i18n *i18n = i18n_load(dir, codes, 2, &f.diags);
	free(dir);
	REQUIRE(i18n != NULL);
	struct view_env env = { .site = &f.site, .i18n = i18n, .css_path = "style.css" };
	REQUIRE(view_menus_select(&env, &f.diags) == 0);
	struct value *v = view_publications(&env, 1, 1);
	const struct value *items = value_get(value_get(v, "publications"), "items");
	REQUIRE(items && items->as.list.len == 4);
	const struct value *first = items->as.list.items[0];
	CHECK_STR(str(first, "title"), "ร่วม");
	const struct value *files = value_get(first, "files");
	REQUIRE(files && files->as.list.len == 2);
	CHECK_STR(str(files->as.list.items[0], "name"), "ภาษาอังกฤษ");
	CHECK_STR(str(files->as.list.items[1], "name"), "ภาษาไทย");
	CHECK_STR(str(files->as.list.items[1], "type"), "DOCX");
	CHECK_STR(str(files->as.list.items[1], "size"), "1 KB");
	CHECK_STR(str(files->as.list.items[0], "url"), "../../m/s-en.pdf");
	const struct value *on = value_get(first, "pages");
	REQUIRE(on && on->as.list.len == 2);
	CHECK_STR(str(on->as.list.items[0], "url"), "../new/");
	CHECK_STR(str(on->as.list.items[1], "url"), "../../en/mid/");
	CHECK_STR(str(on->as.list.items[1], "lang_name"), "ภาษาอังกฤษ");
	/* A title from an English page keeps its language. */
	CHECK_STR(str(items->as.list.items[1], "title_lang"), "en");
	CHECK_STR(str(v, "publications_url"), "./");
	value_free(v);

	/* Offline, every link to a folder names its file; files stay. */
	env.offline = true;
	env.offline_date[0] = 2026, env.offline_date[1] = 1, env.offline_date[2] = 2;
	v = view_publications(&env, 1, 1);
	items = value_get(value_get(v, "publications"), "items");
	first = items->as.list.items[0];
	on = value_get(first, "pages");
	CHECK_STR(str(on->as.list.items[0], "url"), "../new/index.html");
	CHECK_STR(str(value_get(first, "files")->as.list.items[0], "url"), "../../m/s-en.pdf");
	CHECK_STR(str(value_get(v, "page"), "url"), "./index.html");
	CHECK_STR(str(v, "home_url"), "../index.html");
	CHECK_STR(str(value_get(v, "offline"), "date_text"), "2 มกราคม 2569");
	CHECK(value_get(v, "canonical") == NULL);
	value_free(v);
	view_menus_free(&env);
	i18n_free(i18n);
	site_fixture_teardown(&f);
}

TEST_LIST(T(lists_each_file_once_newest_first), T(view_labels_in_the_page_language));
TEST_MAIN()
