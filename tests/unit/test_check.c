/* SPDX-License-Identifier: MIT */
/*
 * sapan check's verification, on small generated sites written by hand to
 * a temporary folder: broken hrefs and srcs, missing and Thai fragments,
 * hreflang symmetry, language switcher links, the links of 404.html; and,
 * on a small site model, where Markdown links are reported, the
 * translation report and resource files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "output.h"
#include "site.h"
#include "site_fixture.h"
#include "test.h"

/* A page of a generated site: lang, then the <head> and <body> contents. */
static void page_at(const char *root, const char *rel, const char *lang, const char *head,
		    const char *body)
{
	char *html = xasprintf("<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
			       "%s\n</head>\n<body>\n%s\n</body>\n</html>\n",
			       lang, head, body);
	site_fixture_put(root, rel, html);
	free(html);
}

static char *all_diags(const struct diag_list *diags)
{
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < diags->len; i++) {
		diag_format(&diags->items[i], &all);
		buf_putc(&all, '\n');
	}
	return buf_detach(&all);
}

struct out {
	char dir[64];
	struct diag_list diags;
	struct check_stats stats;
	char *text; /* every diagnostic, one a line */
};

static void out_begin(struct out *o)
{
	memset(o, 0, sizeof *o);
	strcpy(o->dir, "/tmp/sapan-check-test-XXXXXX");
	if (!mkdtemp(o->dir))
		abort();
	diag_list_init(&o->diags);
}

/* Checks o->dir, shown as "site", and keeps the diagnostics as text. */
static int out_check(struct out *o, const char *base_url)
{
	struct check_site s = { .dir = o->dir, .shown_as = "site", .base_url = base_url };
	int rc = check_output(&s, &o->stats, &o->diags);
	diag_list_sort(&o->diags);
	free(o->text);
	o->text = all_diags(&o->diags);
	return rc;
}

static void out_end(struct out *o)
{
	output_remove_tree(o->dir);
	diag_list_free(&o->diags);
	free(o->text);
}

static void good_site_passes(void)
{
	struct out o;
	out_begin(&o);
	page_at(o.dir, "index.html", "en", "<link rel=\"stylesheet\" href=\"assets/s.css\">",
		"<a href=\"./en/\">English</a> <a href=\"en\">folder without slash</a>");
	page_at(o.dir, "en/index.html", "en", "<link rel=\"stylesheet\" href=\"../assets/s.css\">",
		"<h2 id=\"how-we-work\">How</h2><a href=\"a/#how\">a</a> <a href=\"#how-we-work\">here</a> "
		"<a href=\"#top\">top</a> <a href=\"\">self</a> <img src=\"../m/x.png\" alt=\"\"> "
		"<a href=\"https://example.net/\">out</a> <a href=\"mailto:a@example.org\">mail</a>");
	page_at(o.dir, "en/a/index.html", "en", "", "<p id=\"how\">x</p><a href=\"../../m/x.png?v=2\">png</a>");
	site_fixture_put(o.dir, "assets/s.css", "body{}");
	site_fixture_put(o.dir, "m/x.png", "png");
	CHECK_INT(out_check(&o, NULL), 0);
	CHECK_STR(o.text, "");
	CHECK_INT(o.stats.pages, 3);
	/* Internal only: 2 + 7 + 1; the https: and mailto: links are not counted. */
	CHECK_INT(o.stats.links, 10);
	out_end(&o);
}

static void broken_href_and_src(void)
{
	struct out o;
	out_begin(&o);
	page_at(o.dir, "en/index.html", "en", "",
		"<a href=\"missing/\">x</a>\n<img src=\"../m/none.png\" alt=\"\">\n"
		"<a href=\"../../etc/passwd\">up</a>");
	CHECK_INT(out_check(&o, NULL), -1);
	CHECK_INT(o.diags.errors, 3);
	CHECK_CONTAINS(o.text, "site/en/index.html:8: error: href 'missing/' leads to no file "
			       "of the built site (en/missing/index.html)\n");
	CHECK_CONTAINS(o.text, "site/en/index.html:9: error: src '../m/none.png' leads to no "
			       "file of the built site (m/none.png)\n");
	CHECK_CONTAINS(o.text, "site/en/index.html:10: error: href '../../etc/passwd' leads "
			       "outside the site\n");
	out_end(&o);
}

static void missing_fragment(void)
{
	struct out o;
	out_begin(&o);
	page_at(o.dir, "en/index.html", "en", "",
		"<h2 id=\"results\">R</h2>\n<a href=\"a/#results\">x</a> <a href=\"#result\">y</a>");
	page_at(o.dir, "en/a/index.html", "en", "", "<p>no ids</p>");
	CHECK_INT(out_check(&o, NULL), -1);
	CHECK_INT(o.diags.errors, 2);
	CHECK_CONTAINS(o.text, "site/en/index.html:9: error: href 'a/#results' leads to "
			       "site/en/a/index.html, which has no heading or id 'results'\n");
	CHECK_CONTAINS(o.text, "href '#result' leads to site/en/index.html, which has no "
			       "heading or id 'result'\n");
	out_end(&o);
}

/* A second element with an id already used is an error at its line; an
 * <a name> equal to an id is not. */
static void duplicate_ids(void)
{
	struct out o;
	out_begin(&o);
	page_at(o.dir, "en/index.html", "en", "",
		"<main id=\"main\">\n<h2 id=\"main\">Main</h2>\n<a name=\"x\"></a><p id=\"x\">x</p>\n"
		"<p id=\"main\">again</p></main>");
	CHECK_INT(out_check(&o, NULL), -1);
	CHECK_INT(o.diags.errors, 2);
	CHECK_CONTAINS(o.text, "site/en/index.html:9: error: duplicate id 'main' (first on line 8); "
			       "an id must be unique in a page\n");
	CHECK_CONTAINS(o.text, "site/en/index.html:11: error: duplicate id 'main' (first on line 8)");
	out_end(&o);
}

/* libxml2 stops at 256 nested elements unless told otherwise; links below
 * that depth are checked too. */
static void deep_nesting(void)
{
	struct out o;
	out_begin(&o);
	struct buf body = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		BUF_PUTL(&body, "<div>");
	BUF_PUTL(&body, "\n<a href=\"missing/\">x</a>");
	for (int i = 0; i < 1000; i++)
		BUF_PUTL(&body, "</div>");
	page_at(o.dir, "en/index.html", "en", "", body.ptr);
	buf_free(&body);
	CHECK_INT(out_check(&o, NULL), -1);
	CHECK_CONTAINS(o.text, "site/en/index.html:9: error: href 'missing/' leads to no file");
	out_end(&o);
}

static void thai_fragments(void)
{
	struct out o;
	out_begin(&o);
	/* The id วิธีการทำงาน, linked percent-encoded (as cmark writes it) and raw. */
	page_at(o.dir, "th/index.html", "th", "",
		"<h2 id=\"วิธีการทำงาน\">วิธีการทำงาน</h2>\n"
		"<a href=\"#%E0%B8%A7%E0%B8%B4%E0%B8%98%E0%B8%B5%E0%B8%81%E0%B8%B2%E0%B8%A3"
		"%E0%B8%97%E0%B8%B3%E0%B8%87%E0%B8%B2%E0%B8%99\">a</a>\n"
		"<a href=\"./#วิธีการทำงาน\">b</a>\n<a href=\"#%E0%B8%9C%E0%B8%A5\">c</a>");
	CHECK_INT(out_check(&o, NULL), -1);
	CHECK_INT(o.diags.errors, 1);
	CHECK_CONTAINS(o.text, "which has no heading or id 'ผล'\n");
	out_end(&o);
}

#define BASE "https://example.org/aup/"

static void hreflang_symmetry(void)
{
	struct out o;
	out_begin(&o);
	page_at(o.dir, "en/p/index.html", "en",
		"<link rel=\"alternate\" hreflang=\"en\" href=\"" BASE "en/p/\">\n"
		"<link rel=\"alternate\" hreflang=\"th\" href=\"" BASE "th/p/\">\n"
		"<link rel=\"alternate\" hreflang=\"x-default\" href=\"" BASE "en/p/\">", "");
	/* The Thai page names only itself: not symmetric. */
	page_at(o.dir, "th/p/index.html", "th",
		"<link rel=\"alternate\" hreflang=\"th\" href=\"" BASE "th/p/\">", "");
	page_at(o.dir, "en/q/index.html", "en",
		"<link rel=\"alternate\" hreflang=\"th\" href=\"" BASE "th/q/\">\n"
		"<link rel=\"alternate\" hreflang=\"th\" href=\"/aup/th/p/\">\n"
		"<link rel=\"alternate\" hreflang=\"th\" href=\"" BASE "en/p/\">", "");
	CHECK_INT(out_check(&o, BASE), -1);
	CHECK_CONTAINS(o.text, "site/en/p/index.html:6: error: hreflang 'th' alternate " BASE
			       "th/p/ does not name this page in return (hreflang links must be "
			       "symmetric)\n");
	CHECK_CONTAINS(o.text, "site/en/q/index.html:5: error: hreflang 'th' alternate " BASE
			       "th/q/ leads to no page of the built site\n");
	CHECK_CONTAINS(o.text, "site/en/q/index.html:6: error: hreflang 'th' alternate "
			       "'/aup/th/p/' must be an absolute URL under base_url " BASE "\n");
	CHECK_CONTAINS(o.text, "site/en/q/index.html:7: error: hreflang 'th' alternate " BASE
			       "en/p/ leads to a page in 'en'\n");
	CHECK_INT(o.diags.errors, 4);
	out_end(&o);

	/* Once the Thai page names the English one too, all is well. */
	out_begin(&o);
	page_at(o.dir, "en/p/index.html", "en",
		"<link rel=\"alternate\" hreflang=\"en\" href=\"" BASE "en/p/\">\n"
		"<link rel=\"alternate\" hreflang=\"th\" href=\"" BASE "th/p/\">", "");
	page_at(o.dir, "th/p/index.html", "th",
		"<link rel=\"alternate\" hreflang=\"en\" href=\"" BASE "en/p/\">\n"
		"<link rel=\"alternate\" hreflang=\"th\" href=\"" BASE "th/p/\">", "");
	CHECK_INT(out_check(&o, BASE), 0);
	CHECK_STR(o.text, "");
	CHECK_INT(o.stats.links, 4);
	out_end(&o);
}

static void switcher_links(void)
{
	struct out o;
	out_begin(&o);
	page_at(o.dir, "en/p/index.html", "en", "",
		"<nav class=\"langs\"><ul>\n<li><a href=\"./\" hreflang=\"en\">English</a></li>\n"
		"<li><a href=\"../../th/\" hreflang=\"th\">ไทย</a></li>\n"
		"<li><a href=\"../../m/x.pdf\" hreflang=\"th\">PDF</a></li>\n</ul></nav>\n"
		"<a href=\"../../m/x.pdf\" hreflang=\"th\">a resource, not the switcher</a>");
	page_at(o.dir, "th/index.html", "en", "", "");
	site_fixture_put(o.dir, "m/x.pdf", "%PDF");
	CHECK_INT(out_check(&o, NULL), -1);
	CHECK_INT(o.diags.errors, 2);
	CHECK_CONTAINS(o.text, "site/en/p/index.html:10: error: language switcher link "
			       "'../../th/' for 'th' leads to a page in 'en' (th/index.html)\n");
	CHECK_CONTAINS(o.text, "site/en/p/index.html:11: error: language switcher link "
			       "'../../m/x.pdf' for 'th' leads to m/x.pdf, which is not a page\n");
	out_end(&o);
}

static void links_of_404(void)
{
	struct out o;
	out_begin(&o);
	/* Served at any URL: root-relative links work, relative ones do not. */
	page_at(o.dir, "404.html", "en", "<link rel=\"stylesheet\" href=\"/aup/assets/s.css\">",
		"<a href=\"#main\">skip</a><main id=\"main\"></main>\n<a href=\"/aup/en/\">English</a>\n"
		"<a href=\"/aup/th/\">ไทย</a>\n<a href=\"en/\">relative</a>\n"
		"<a href=\"/en/\">outside the root</a>");
	page_at(o.dir, "en/index.html", "en", "", "<main id=\"main\"></main>");
	site_fixture_put(o.dir, "assets/s.css", "body{}");
	CHECK_INT(out_check(&o, BASE), -1);
	CHECK_INT(o.diags.errors, 3);
	CHECK_CONTAINS(o.text, "site/404.html:10: error: href '/aup/th/' leads to no file of the "
			       "built site (th/index.html)\n");
	CHECK_CONTAINS(o.text, "site/404.html:11: error: href 'en/' is relative, but 404.html is "
			       "served at every missing URL; start the link at the site's root "
			       "path /aup/\n");
	CHECK_CONTAINS(o.text, "site/404.html:12: error: href '/en/' starts outside the site's "
			       "root path /aup/\n");
	out_end(&o);

	/* Without base_url the root path is "/". */
	out_begin(&o);
	page_at(o.dir, "404.html", "en", "", "<a href=\"/en/\">English</a> <a href=\"/th/\">ไทย</a>");
	page_at(o.dir, "en/index.html", "en", "", "");
	page_at(o.dir, "th/index.html", "th", "", "");
	CHECK_INT(out_check(&o, NULL), 0);
	CHECK_STR(o.text, "");
	CHECK_INT(o.stats.links, 2);
	out_end(&o);
}

/* ---- with a site model ---- */

/* The standard two homes plus files, loaded and linked. */
static int setup(struct site_fixture *f, const char *const *files)
{
	const char *const *lists[] = { files, NULL };
	return site_fixture_setup(f, lists);
}

static void markdown_links_are_reported_where_written(void)
{
	static const char *const files[] = {
		"en/a.md", "---\ntitle: A\n---\n## Results\n\nSee\n  [b](b.md#nowhere), [b](b.md#facts) "
			   "and [here](#results) and [no](#none).\n",
		"en/b.md", "---\ntitle: B\n---\n## Facts\n",
		NULL,
	};
	struct site_fixture f;
	CHECK_INT(setup(&f, files), 0);
	struct page *a = site_fixture_page(&f, "en/a.md"), *b = site_fixture_page(&f, "en/b.md");
	REQUIRE(a && b);
	CHECK_INT(site_render_markdown(&f.site, a, &f.diags), 0);
	CHECK_INT(site_render_markdown(&f.site, b, &f.diags), 0);
	const struct link_source *ls = site_link_source(a, "../b/#nowhere");
	CHECK(ls && ls->line == 7 && ls->col == 7);
	CHECK_STR(ls ? ls->written : NULL, "b.md#nowhere");
	CHECK(site_link_source(a, "../b/") == NULL);

	/* The generated pages: each page's HTML inside a template that adds a
	 * broken link of its own. */
	char *out = xasprintf("%s/site", f.dir);
	char *body = xasprintf("<a href=\"../gone/\">template</a>\n%s", a->html);
	page_at(out, "en/a/index.html", "en", "", body);
	free(body);
	page_at(out, "en/b/index.html", "en", "", b->html);
	struct check_site s = { .dir = out, .shown_as = "site", .site = &f.site };
	struct check_stats stats = { 0 };
	CHECK_INT(check_output(&s, &stats, &f.diags), -1);
	diag_list_sort(&f.diags);
	char *text = all_diags(&f.diags);
	CHECK_CONTAINS(text, "/content/en/a.md:7:7: error: link 'b.md#nowhere' leads to ");
	CHECK_CONTAINS(text, "/content/en/b.md, which has no heading or id 'nowhere'\n");
	CHECK_CONTAINS(text, "/content/en/a.md:7:68: error: link '#none' leads to ");
	CHECK_CONTAINS(text, "site/en/a/index.html:8: error: href '../gone/' leads to no file of "
			     "the built site (en/gone/index.html); a template wrote it, in the "
			     "page built from ");
	CHECK_INT(f.diags.errors, 3);
	free(text);
	free(out);
	site_fixture_teardown(&f);
}

static void translation_report(void)
{
	static const char *const files[] = {
		"en/glossary.md", "---\ntitle: Glossary\n---\n",
		"th/only.md", "---\ntitle: เฉพาะไทย\n---\n",
		"en/x.md", "---\ntitle: X\ndate: 2017-03-01\n---\n",
		"th/x.md", "---\ntitle: เอ็กซ์\nkind: page\n\n\ndate:   2016-01-01\n---\n",
		"en/y.md", "---\ntitle: Y\ndate: 2017-03-01\n---\n",
		"th/y.md", "---\ntitle: วาย\ndate: 2017-03-02\n---\n",
		NULL,
	};
	struct site_fixture f;
	CHECK_INT(setup(&f, files), 0);
	struct diag_list d;
	diag_list_init(&d);
	check_translations(&f.site, &d);
	diag_list_sort(&d);
	char *text = all_diags(&d);
	char *want = xasprintf("%s/en/glossary.md: note: no th translation\n"
			       "%s/th/only.md: note: no en translation\n"
			       "%s/th/x.md:6:9: warning: translation is older than %s/en/x.md "
			       "(2016-01-01 < 2017-03-01)\n",
			       f.content, f.content, f.content, f.content);
	CHECK_STR(text, want);
	CHECK_INT(d.warnings, 1);
	CHECK_INT(d.errors, 0);
	free(want);
	free(text);
	diag_list_free(&d);
	site_fixture_teardown(&f);
}

static void resource_files(void)
{
	static const char *const files[] = {
		"en/p.md", "---\ntitle: P\nresources:\n  - title: R\n    files:\n"
			   "      en: /m/a.pdf\n      th: /m/b.pdf\n---\n",
		"m/a.pdf", "%PDF a",
		"m/b.pdf", "%PDF b",
		NULL,
	};
	struct site_fixture f;
	CHECK_INT(setup(&f, files), 0);
	char *out = xasprintf("%s/site", f.dir);
	site_fixture_put(out, "m/a.pdf", "%PDF a");
	site_fixture_put(out, "m/b.pdf", "%PDF b");
	struct diag_list d;
	diag_list_init(&d);
	CHECK_INT(check_resources(&f.site, out, &d), 0);
	CHECK_INT(d.len, 0);

	/* After the site was read, b.pdf became a link to a file outside the
	 * content folder, and a.pdf was not copied. */
	char *b = xasprintf("%s/m/b.pdf", f.content);
	char *outside = xasprintf("%s/secret.pdf", f.dir);
	site_fixture_put(f.dir, "secret.pdf", "secret");
	CHECK_INT(unlink(b), 0);
	CHECK_INT(symlink(outside, b), 0);
	char *copied = xasprintf("%s/m/a.pdf", out);
	unlink(copied);
	CHECK_INT(check_resources(&f.site, out, &d), -1);
	diag_list_sort(&d);
	char *text = all_diags(&d);
	CHECK_CONTAINS(text, "/content/en/p.md:6:11: error: resource file '/m/a.pdf' was not "
			     "copied into the site\n");
	CHECK_CONTAINS(text, "/content/en/p.md:7:11: error: resource file '/m/b.pdf' lies "
			     "outside the content folder (it leads to ");
	CHECK_CONTAINS(text, "/secret.pdf)\n");
	CHECK_INT(d.errors, 2);
	free(text);
	free(copied);
	free(outside);
	free(b);
	free(out);
	diag_list_free(&d);
	site_fixture_teardown(&f);
}

TEST_LIST(T(good_site_passes), T(broken_href_and_src), T(missing_fragment), T(duplicate_ids),
	  T(deep_nesting), T(thai_fragments),
	  T(hreflang_symmetry), T(switcher_links), T(links_of_404),
	  T(markdown_links_are_reported_where_written), T(translation_report),
	  T(resource_files));
TEST_MAIN()
