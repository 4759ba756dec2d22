/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "i18n.h"
#include "test.h"
#include "util.h"
#include "value.h"

/* A scratch directory of language files, removed by tmp_done. */
struct tmp {
	char dir[64];
	char *files[8];
	size_t n;
};

static void tmp_start(struct tmp *t)
{
	memset(t, 0, sizeof *t);
	strcpy(t->dir, "/tmp/sapan-test-i18n-XXXXXX");
	CHECK(mkdtemp(t->dir) != NULL);
}

static void tmp_write(struct tmp *t, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", t->dir, name);
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		CHECK(fwrite(text, 1, strlen(text), f) == strlen(text));
		fclose(f);
	}
	if (t->n < sizeof t->files / sizeof t->files[0])
		t->files[t->n++] = path;
	else
		free(path);
}

/* Like tmp_write, with a line "key: x" appended for every required UI
 * string that text does not have but skip, so a test can look at other
 * things. */
static void tmp_write_ui_but(struct tmp *t, const char *name, const char *text, const char *skip)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, text);
	for (size_t i = 0; i < i18n_nrequired; i++) {
		char *line = xasprintf("\n%s:", i18n_required_keys[i]);
		bool skipped = skip && strcmp(skip, i18n_required_keys[i]) == 0;
		if (!skipped && !str_has_prefix(text, line + 1) && !strstr(text, line))
			buf_printf(&b, "%s x\n", line + 1);
		free(line);
	}
	/* Every language's name (i18n_language_key), for the languages the
	 * tests use. */
	static const char *const names[] = { "language_en", "language_th", "language_lo" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char *line = xasprintf("\n%s:", names[i]);
		if (!str_has_prefix(text, line + 1) && !strstr(text, line))
			buf_printf(&b, "%s x\n", line + 1);
		free(line);
	}
	tmp_write(t, name, b.ptr);
	buf_free(&b);
}

static void tmp_write_ui(struct tmp *t, const char *name, const char *text)
{
	tmp_write_ui_but(t, name, text, NULL);
}

static void tmp_done(struct tmp *t)
{
	for (size_t i = 0; i < t->n; i++) {
		unlink(t->files[i]);
		free(t->files[i]);
	}
	rmdir(t->dir);
}

static const char *const en_th[] = { "en", "th" };

/* Formats diagnostic i of d into a reusable buffer. */
static const char *diag_text(const struct diag_list *d, size_t i, struct buf *b)
{
	buf_truncate(b, 0);
	if (i < d->len)
		diag_format(&d->items[i], b);
	return b->ptr;
}

static void test_load_good(void)
{
	struct tmp t;
	tmp_start(&t);
	tmp_write_ui(&t, "en.yaml",
		     "nav_home: Home\nresources: Resources\nstatus_inactive: \"Inactive\"\n"
		     "count: 2\n");
	/* Saved by a Windows editor: a byte order mark and CRLF line ends. */
	tmp_write_ui(&t, "th.yaml",
		     "\xEF\xBB\xBFnav_home: หน้าแรก\r\nresources: แหล่งข้อมูล\r\n"
		     "status_inactive: 'ไม่ใช้งาน'\r\ncount: \"๒\"\r\n");
	struct diag_list d;
	diag_list_init(&d);
	struct i18n *tr = i18n_load(t.dir, en_th, 2, &d);
	CHECK(tr != NULL);
	CHECK_INT(d.len, 0);
	if (tr) {
		CHECK_STR(i18n_get(tr, "en", "nav_home"), "Home");
		CHECK_STR(i18n_get(tr, "en", "status_inactive"), "Inactive");
		CHECK_STR(i18n_get(tr, "en", "count"), "2");
		CHECK_STR(i18n_get(tr, "th", "nav_home"), "หน้าแรก");
		CHECK_STR(i18n_get(tr, "th", "status_inactive"), "ไม่ใช้งาน");
		CHECK(i18n_get(tr, "th", "nope") == NULL);
		CHECK(i18n_get(tr, "fr", "nav_home") == NULL);

		const struct value *table = i18n_table(tr, "th");
		CHECK(table != NULL && table->kind == VALUE_MAP);
		if (table) {
			/* and the helper's three language names */
			CHECK_INT(table->as.map.len, 4 + i18n_nrequired - 2 + 3);
			CHECK_STR(table->as.map.keys[0], "nav_home");
			const struct value *v = value_get(table, "resources");
			CHECK(v != NULL && v->kind == VALUE_STRING);
			if (v)
				CHECK_STR(v->as.str.ptr, "แหล่งข้อมูล");
		}
		CHECK(i18n_table(tr, "fr") == NULL);
	}
	i18n_free(tr);
	diag_list_free(&d);
	tmp_done(&t);
}

static void test_trailing_slash_dir(void)
{
	struct tmp t;
	tmp_start(&t);
	tmp_write_ui(&t, "en.yaml", "a: b\n");
	char *dir = xasprintf("%s/", t.dir);
	struct diag_list d;
	diag_list_init(&d);
	struct i18n *tr = i18n_load(dir, en_th, 1, &d);
	CHECK(tr != NULL);
	if (tr)
		CHECK_STR(i18n_get(tr, "en", "a"), "b");
	i18n_free(tr);
	diag_list_free(&d);
	free(dir);
	tmp_done(&t);
}

static void test_missing_key(void)
{
	struct tmp t;
	tmp_start(&t);
	tmp_write_ui(&t, "en.yaml", "nav_home: Home\n");
	tmp_write_ui_but(&t, "th.yaml", "nav_home: หน้าแรก\nextra_note: ค้นหา\n", "archive_title");
	struct diag_list d;
	diag_list_init(&d);
	struct buf b = BUF_INIT;
	CHECK(i18n_load(t.dir, en_th, 2, &d) == NULL);
	CHECK_INT(d.errors, 2);
	char *want = xasprintf("%s/th.yaml: error: missing key 'archive_title' "
			       "(present in %s/en.yaml)",
			       t.dir, t.dir);
	CHECK_STR(diag_text(&d, 0, &b), want);
	free(want);
	want = xasprintf("%s/en.yaml: error: missing key 'extra_note' (present in %s/th.yaml)", t.dir,
			 t.dir);
	CHECK_STR(diag_text(&d, 1, &b), want);
	free(want);
	diag_list_free(&d);

	/* With three languages a key in only one is reported once per file
	 * that lacks it. */
	static const char *const three[] = { "en", "th", "lo" };
	tmp_write_ui_but(&t, "lo.yaml", "nav_home: ໜ້າຫຼັກ\n", "archive_title");
	diag_list_init(&d);
	CHECK(i18n_load(t.dir, three, 3, &d) == NULL);
	CHECK_INT(d.errors, 4); /* archive_title: th, lo; extra_note: en, lo */
	for (size_t i = 0; i < d.len; i++)
		CHECK_CONTAINS(d.items[i].message, "missing key '");
	diag_list_free(&d);
	buf_free(&b);
	tmp_done(&t);
}

static void test_not_text(void)
{
	struct tmp t;
	tmp_start(&t);
	tmp_write_ui(&t, "en.yaml", "nav_home: Home\nresources:\n  - a\n  - b\nempty:\nok: yes\n");
	tmp_write_ui(&t, "th.yaml", "nav_home: หน้าแรก\nresources: แหล่งข้อมูล\nempty: ''\nok: ใช่\n");
	struct diag_list d;
	diag_list_init(&d);
	struct buf b = BUF_INIT;
	CHECK(i18n_load(t.dir, en_th, 2, &d) == NULL);
	/* Both entries are reported; keys left out of en.yaml by the errors
	 * are not reported again as missing. */
	CHECK_INT(d.errors, 2);
	CHECK_INT(d.len, 2);
	char *want =
		xasprintf("%s/en.yaml:3:3: error: 'resources' must be text, got a list", t.dir);
	CHECK_STR(diag_text(&d, 0, &b), want);
	free(want);
	CHECK(d.len > 1 && d.items[1].line == 5);
	CHECK_CONTAINS(diag_text(&d, 1, &b), "'empty' must be text, got an empty value");
	diag_list_free(&d);
	buf_free(&b);
	tmp_done(&t);
}

static void test_not_mapping(void)
{
	struct tmp t;
	tmp_start(&t);
	tmp_write(&t, "en.yaml", "- Home\n- Resources\n");
	tmp_write(&t, "th.yaml", "just some text\n");
	struct diag_list d;
	diag_list_init(&d);
	struct buf b = BUF_INIT;
	CHECK(i18n_load(t.dir, en_th, 2, &d) == NULL);
	CHECK_INT(d.errors, 2);
	char *want = xasprintf("%s/en.yaml:1:1: error: expected a mapping of key: text, got a list",
			       t.dir);
	CHECK_STR(diag_text(&d, 0, &b), want);
	free(want);
	CHECK_CONTAINS(diag_text(&d, 1, &b),
		       "th.yaml:1:1: error: expected a mapping of key: text, got text");
	diag_list_free(&d);
	buf_free(&b);
	tmp_done(&t);
}

static void test_missing_file_and_bad_yaml(void)
{
	struct tmp t;
	tmp_start(&t);
	tmp_write_ui(&t, "en.yaml", "nav_home: Home\n");
	struct diag_list d;
	diag_list_init(&d);
	struct buf b = BUF_INIT;
	CHECK(i18n_load(t.dir, en_th, 2, &d) == NULL);
	/* Only the unreadable file: no "missing key" noise about it. */
	CHECK_INT(d.len, 1);
	char *want = xasprintf("%s/th.yaml: error: cannot read: No such file or directory", t.dir);
	CHECK_STR(diag_text(&d, 0, &b), want);
	free(want);
	diag_list_free(&d);

	tmp_write(&t, "th.yaml", "nav_home: [unclosed\n");
	diag_list_init(&d);
	CHECK(i18n_load(t.dir, en_th, 2, &d) == NULL);
	CHECK_INT(d.errors, 1);
	CHECK(d.len > 0 && d.items[0].line > 0);
	CHECK_CONTAINS(diag_text(&d, 0, &b), "th.yaml:");
	diag_list_free(&d);

	/* A file that is not UTF-8 is refused by source_read. */
	tmp_write(&t, "th.yaml", "nav_home: caf\xE9\n");
	diag_list_init(&d);
	CHECK(i18n_load(t.dir, en_th, 2, &d) == NULL);
	CHECK_CONTAINS(diag_text(&d, 0, &b), "th.yaml:1:14: error: invalid UTF-8 byte 0xE9");
	diag_list_free(&d);
	buf_free(&b);
	tmp_done(&t);
}

/* A required UI string missing from every language is still an error:
 * there is no other file to compare with, the list says it is needed. */
static void test_required_everywhere(void)
{
	struct tmp t;
	tmp_start(&t);
	tmp_write_ui_but(&t, "en.yaml", "", "archive_nav");
	tmp_write_ui_but(&t, "th.yaml", "", "archive_nav");
	struct diag_list d;
	diag_list_init(&d);
	struct buf b = BUF_INIT;
	CHECK(i18n_load(t.dir, en_th, 2, &d) == NULL);
	CHECK_INT(d.errors, 2);
	char *want = xasprintf("%s/en.yaml: error: missing key 'archive_nav', a UI string sapan "
			       "and the templates need; add a line 'archive_nav: \"...\"' in this "
			       "language", t.dir);
	CHECK_STR(diag_text(&d, 0, &b), want);
	free(want);
	CHECK_CONTAINS(diag_text(&d, 1, &b), "th.yaml: error: missing key 'archive_nav', a UI");
	diag_list_free(&d);
	buf_free(&b);
	tmp_done(&t);
}

/* Each file must name every language of the site in its own words. */
static void test_language_names(void)
{
	struct tmp t;
	tmp_start(&t);
	tmp_write_ui(&t, "en.yaml", "language_en: English\nlanguage_th: Thai\n");
	tmp_write_ui(&t, "th.yaml", "language_en: ภาษาอังกฤษ\nlanguage_th: ภาษาไทย\n");
	struct diag_list d;
	diag_list_init(&d);
	struct i18n *tr = i18n_load(t.dir, en_th, 2, &d);
	REQUIRE(tr != NULL);
	CHECK_STR(i18n_get(tr, "th", "language_en"), "ภาษาอังกฤษ");
	CHECK_STR(i18n_get(tr, "en", "language_th"), "Thai");
	i18n_free(tr);
	char *key = i18n_language_key("th");
	CHECK_STR(key, "language_th");
	free(key);
	/* A language of the site that no file names is an error in each. */
	static const char *const three[] = { "en", "th", "km" };
	tmp_write_ui(&t, "km.yaml", "");
	CHECK(i18n_load(t.dir, three, 3, &d) == NULL);
	CHECK_INT(d.errors, 3);
	struct buf b = BUF_INIT;
	CHECK_CONTAINS(diag_text(&d, 0, &b), "en.yaml: error: missing key 'language_km', a UI "
					     "string sapan and the templates need");
	buf_free(&b);
	diag_list_free(&d);
	tmp_done(&t);
}

static void test_empty_files(void)
{
	struct tmp t;
	tmp_start(&t);
	tmp_write(&t, "en.yaml", "");
	tmp_write(&t, "th.yaml", "# nothing yet\n");
	struct diag_list d;
	diag_list_init(&d);
	/* Empty files parse, and then lack every required string and the
	 * name of each of the two languages. */
	CHECK(i18n_load(t.dir, en_th, 2, &d) == NULL);
	CHECK_INT(d.errors, 2 * (i18n_nrequired + 2));
	for (size_t i = 0; i < d.len; i++)
		CHECK_CONTAINS(d.items[i].message, "a UI string sapan and the templates need");
	diag_list_free(&d);
	tmp_done(&t);
}

TEST_LIST(T(test_load_good), T(test_trailing_slash_dir), T(test_missing_key), T(test_not_text),
	  T(test_not_mapping), T(test_missing_file_and_bad_yaml), T(test_empty_files),
	  T(test_required_everywhere), T(test_language_names));
TEST_MAIN()
