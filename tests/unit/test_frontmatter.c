/* SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "diag.h"
#include "frontmatter.h"
#include "test.h"

/* Parses text and returns the diagnostics as "L:C: severity: message" lines. */
static int parse(const char *text, struct front_matter *fm, struct buf *out)
{
	struct diag_list d;
	diag_list_init(&d);
	int rc = frontmatter_parse("p.md", text, strlen(text), fm, &d);
	for (size_t i = 0; i < d.len; i++) {
		diag_format(&d.items[i], out);
		buf_putc(out, '\n');
	}
	diag_list_free(&d);
	return rc;
}

static void full_page(void)
{
	struct front_matter fm;
	struct buf msg = BUF_INIT;
	const char *text = "---\n"
			   "title: AUP II\n"
			   "summary: A project\n"
			   "kind: project\n"
			   "status: inactive\n"
			   "period: 2013-2015\n"
			   "location: Mae Sot\n"
			   "donors:\n  - EU\n  - Australia\n"
			   "date: 2013-06-01\n"
			   "weight: -3\n"
			   "draft: false\n"
			   "previous_phase: aup-i.md\n"
			   "translation_key: aup\n"
			   "layout: wide\n"
			   "resources:\n"
			   "  - title: Summary\n    files:\n      en: /media/a.pdf\n      th: /media/b.pdf\n"
			   "  - title: Wash\n    page: ../wash.md\n"
			   "  - title: Site\n    url: https://example.org/\n"
			   "---\n"
			   "Body *text*\n";
	CHECK_INT(parse(text, &fm, &msg), 0);
	CHECK_STR(msg.ptr, "");
	CHECK_STR(fm.title, "AUP II");
	CHECK_INT(fm.kind, PAGE_KIND_PROJECT);
	CHECK(fm.inactive);
	CHECK_INT(fm.ndonors, 2);
	CHECK_STR(fm.donors[1], "Australia");
	CHECK(fm.has_date && fm.year == 2013 && fm.month == 6 && fm.day == 1);
	CHECK_INT(fm.weight, -3);
	CHECK_STR(fm.previous_phase, "aup-i.md");
	CHECK_INT(fm.previous_phase_pos.line, 14);
	CHECK_INT(fm.previous_phase_pos.col, 17);
	CHECK_INT(fm.nresources, 3);
	CHECK_INT(fm.resources[0].type, RESOURCE_FILES);
	CHECK_INT(fm.resources[0].nfiles, 2);
	CHECK_STR(fm.resources[0].files[1].lang, "th");
	CHECK_INT(fm.resources[1].type, RESOURCE_PAGE);
	CHECK_STR(fm.resources[1].target, "../wash.md");
	CHECK_INT(fm.resources[2].type, RESOURCE_URL);
	CHECK_INT(fm.body_line, 27);
	CHECK(fm.body_len == strlen("Body *text*\n") && strncmp(fm.body, "Body", 4) == 0);
	frontmatter_free(&fm);
	buf_free(&msg);
}

/* menu_title: a shorter title for the menu; NULL when not given. */
static void menu_title(void)
{
	struct front_matter fm;
	struct buf msg = BUF_INIT;
	CHECK_INT(parse("---\ntitle: เกี่ยวกับ IOM ประเทศไทยและเว็บไซต์นี้\nmenu_title: เกี่ยวกับเรา\n---\n",
			&fm, &msg), 0);
	CHECK_STR(msg.ptr, "");
	CHECK_STR(fm.menu_title, "เกี่ยวกับเรา");
	frontmatter_free(&fm);
	CHECK_INT(parse("---\ntitle: About\n---\n", &fm, &msg), 0);
	CHECK(fm.menu_title == NULL);
	frontmatter_free(&fm);
	buf_free(&msg);
}

static void expect_error(const char *text, const char *want)
{
	struct front_matter fm;
	struct buf msg = BUF_INIT;
	CHECK_INT(parse(text, &fm, &msg), -1);
	CHECK_CONTAINS(msg.ptr, want);
	frontmatter_free(&fm);
	buf_free(&msg);
}

static void errors_have_positions(void)
{
	expect_error("---\nsummary: x\n---\n", "p.md:2:1: error: missing required key 'title'");
	expect_error("---\ntitle: x\n", "p.md:1:1: error: front matter is not closed");
	expect_error("", "p.md:1:1: error: empty file");
	expect_error("# Hello\n", "p.md:1:1: error: a page must begin with front matter");
	expect_error("---\ntitle: x\nweight: ten\n---\n",
		     "p.md:3:9: error: 'weight' must be a whole number");
	expect_error("---\ntitle: x\ndonors: \"EU\"\n---\n",
		     "p.md:3:9: error: 'donors' must be a list, not text");
	expect_error("---\ntitle: x\ndate: 2015-02-29\n---\n",
		     "p.md:3:7: error: invalid date '2015-02-29'");
	expect_error("---\ntitle: x\nkind: blog\n---\n",
		     "p.md:3:7: error: unknown kind 'blog' (expected page, project, infosheet or news)");
	expect_error("---\ntitle: x\nstatus: old\n---\n",
		     "p.md:3:9: error: unknown status 'old' (expected active or inactive)");
	expect_error("---\ntitle: x\ntitle: y\n---\n", "p.md:3:1: error: duplicate key 'title'");
	expect_error("---\ntitle: x\nStatus: inactive\n---\n",
		     "p.md:3:1: error: key 'Status' must be written 'status' (front matter keys are lower case)");
	expect_error("---\ntitle: x\nDONORS: [EU]\n---\n",
		     "p.md:3:1: error: key 'DONORS' must be written 'donors'");
	expect_error("---\ntitle: [x\n---\n", "p.md:3:1: error: invalid YAML");
	expect_error("---\ntitle: x\nresources:\n  - title: a\n---\n",
		     "p.md:4:5: error: a resource needs exactly one of");
	expect_error("---\ntitle: &a x\nsummary: *a\n---\n", "p.md:3:10: error: YAML aliases");
	expect_error("---\ntitle: x\nmenu_title: \"  \"\n---\n",
		     "p.md:3:13: error: 'menu_title' must not be empty");
	expect_error("---\ntitle: x\nkind: news\n---\n",
		     "p.md:3:7: error: a news page needs a 'date'");
	expect_error("---\ntitle: x\nkind: news\ndate:\n---\n",
		     "p.md:3:7: error: a news page needs a 'date'");
	expect_error("---\ntitle: x\nupdated: 2024-13-01\n---\n",
		     "p.md:3:10: error: invalid date '2024-13-01' in 'updated'");
	expect_error("---\ntitle: x\ndate: 2024-03-01\nupdated: 2024-02-29\n---\n",
		     "p.md:4:10: error: 'updated' (2024-02-29) is before the page's 'date'");
}

/* kind: news with its date; updated beside the date, on or after it. */
static void news_and_updated(void)
{
	static const char text[] = "---\ntitle: x\nkind: news\ndate: 2024-02-29\n"
				   "updated: 2024-02-29\n---\n";
	struct front_matter fm;
	struct diag_list d;
	diag_list_init(&d);
	REQUIRE(frontmatter_parse("p.md", text, strlen(text), &fm, &d) == 0);
	CHECK_INT(fm.kind, PAGE_KIND_NEWS);
	CHECK_STR(frontmatter_kind_name(fm.kind), "news");
	CHECK(fm.has_date && fm.has_updated);
	CHECK_INT(fm.updated_year, 2024);
	CHECK_INT(fm.updated_month, 2);
	CHECK_INT(fm.updated_day, 29);
	CHECK_INT(d.len, 0);
	frontmatter_free(&fm);
	diag_list_free(&d);
}

static void unknown_key_warns_with_nearest(void)
{
	struct front_matter fm;
	struct buf msg = BUF_INIT;
	CHECK_INT(parse("---\ntitle: x\nsumary: y\ncolour: red\n---\nbody\n", &fm, &msg), 0);
	CHECK_CONTAINS(msg.ptr, "p.md:3:1: warning: unknown key 'sumary' (did you mean 'summary'?)\n");
	CHECK_CONTAINS(msg.ptr, "p.md:4:1: warning: unknown key 'colour'\n");
	frontmatter_free(&fm);
	buf_free(&msg);
	msg = (struct buf)BUF_INIT;
	CHECK_INT(parse("---\ntitle: x\ndonor:\n  - EU\n---\n", &fm, &msg), 0);
	CHECK_CONTAINS(msg.ptr, "p.md:3:1: warning: unknown key 'donor' (did you mean 'donors'?)\n");
	frontmatter_free(&fm);
	buf_free(&msg);
}

static void front_matter_only(void)
{
	struct front_matter fm;
	struct buf msg = BUF_INIT;
	CHECK_INT(parse("---\ntitle: x\n---", &fm, &msg), 0);
	CHECK_INT(fm.body_len, 0);
	frontmatter_free(&fm);
	buf_free(&msg);
}

/* The YAML tree kept for the build cache makes the same front matter,
 * with the same warnings, as parsing the text. */
static void same_from_tree(void)
{
	const char *text = "---\ntitle: \"IOM: Thailand\"\nkind: project\nstatus: inactive\n"
			   "donors:\n  - EU\ndate: 2013-06-01\nprevious_phase: a.md\n"
			   "donor: X\nresources:\n  - title: S\n    files:\n      en: /m/a.pdf\n"
			   "---\nBody\n";
	struct front_matter a, b;
	struct diag_list da, db;
	diag_list_init(&da);
	diag_list_init(&db);
	struct buf tree = BUF_INIT;
	REQUIRE(frontmatter_parse_tree("p.md", text, strlen(text), &a, &tree, &da) == 0);
	CHECK(tree.len > 0);
	REQUIRE(frontmatter_from_tree("p.md", tree.ptr, tree.len, a.body_line, &b, &db) == 0);
	CHECK_STR(b.title, a.title);
	CHECK_INT(b.kind, a.kind);
	CHECK(b.inactive == a.inactive);
	CHECK_INT(b.ndonors, 1);
	CHECK(b.year == 2013 && b.day == 1);
	CHECK_INT(b.previous_phase_pos.line, a.previous_phase_pos.line);
	CHECK_INT(b.previous_phase_pos.col, a.previous_phase_pos.col);
	CHECK_STR(b.resources[0].files[0].path, "/m/a.pdf");
	CHECK_INT(b.body_line, a.body_line);
	CHECK(b.body == NULL);
	REQUIRE(da.len == 1 && db.len == 1);
	struct buf ma = BUF_INIT, mb = BUF_INIT;
	diag_format(&da.items[0], &ma);
	diag_format(&db.items[0], &mb);
	CHECK_STR(mb.ptr, ma.ptr);
	CHECK(strstr(ma.ptr, "donor") != NULL);
	/* A damaged tree makes nothing, and says nothing: the file is read. */
	struct diag_list dc;
	diag_list_init(&dc);
	struct front_matter c;
	CHECK(frontmatter_from_tree("p.md", tree.ptr, tree.len - 1, 3, &c, &dc) == -1);
	CHECK_INT(dc.len, 0);
	frontmatter_free(&a);
	frontmatter_free(&b);
	buf_free(&ma);
	buf_free(&mb);
	buf_free(&tree);
	diag_list_free(&da);
	diag_list_free(&db);
	diag_list_free(&dc);
}

TEST_LIST(T(same_from_tree), T(full_page), T(menu_title), T(errors_have_positions),
	  T(unknown_key_warns_with_nearest), T(front_matter_only), T(news_and_updated));
TEST_MAIN()
