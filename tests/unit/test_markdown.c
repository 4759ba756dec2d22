/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "markdown.h"
#include "test.h"

/* ---- helpers ------------------------------------------------------------ */

struct call {
	char *url;
	unsigned line, col;
};

/* What the resolve callback saw, and how it answers: "x.md" becomes
 * "../x/"; a URL starting with "missing" fails with a diagnostic; "evil"
 * becomes a javascript: URL; anything else is kept. */
struct recorder {
	struct call calls[64];
	size_t len;
	struct diag_list *diags;
	const char *file;
};

static int record(void *ctx, const char *url, unsigned line, unsigned col, struct buf *out)
{
	struct recorder *rec = ctx;
	if (rec->len < sizeof rec->calls / sizeof rec->calls[0])
		rec->calls[rec->len++] = (struct call){ xstrdup(url), line, col };
	if (strncmp(url, "missing", 7) == 0) {
		diag_error(rec->diags, rec->file, line, col, "broken link: %s", url);
		return -1;
	}
	if (strcmp(url, "evil") == 0) {
		buf_puts(out, "javascript:alert(1)");
		return 0;
	}
	size_t n = strlen(url);
	if (n > 3 && strcmp(url + n - 3, ".md") == 0) {
		BUF_PUTL(out, "../");
		buf_put(out, url, n - 3);
		buf_putc(out, '/');
		return 0;
	}
	buf_puts(out, url);
	return 0;
}

static void recorder_free(struct recorder *rec)
{
	for (size_t i = 0; i < rec->len; i++)
		free(rec->calls[i].url);
	rec->len = 0;
}

/* Renders s with the recorder; returns markdown_render's result. */
static int render(const char *s, bool unsafe, unsigned first_line, struct recorder *rec,
		  struct markdown_result *out, struct diag_list *diags)
{
	struct markdown_options opts = {
		.file = "page.md",
		.first_line = first_line,
		.unsafe_html = unsafe,
		.resolve = record,
		.resolve_ctx = rec,
	};
	rec->diags = diags;
	rec->file = "page.md";
	return markdown_render(s, strlen(s), &opts, out, diags);
}

static char *slug(const char *s)
{
	struct buf b = BUF_INIT;
	markdown_slug(s, strlen(s), &b);
	return buf_detach(&b);
}

#define CHECK_SLUG(text, want)                  \
	do {                                    \
		char *s_ = slug(text);          \
		CHECK_STR(s_, want);            \
		free(s_);                       \
	} while (0)

#define CHECK_CALL(rec, i, want_url, want_line, want_col)                    \
	do {                                                                 \
		CHECK((rec).len > (i));                                      \
		if ((rec).len > (i)) {                                       \
			CHECK_STR((rec).calls[i].url, want_url);             \
			CHECK_INT((rec).calls[i].line, want_line);           \
			CHECK_INT((rec).calls[i].col, want_col);             \
		}                                                            \
	} while (0)

/* ---- slugs --------------------------------------------------------------- */

static void test_slug_english(void)
{
	CHECK_SLUG("How we work", "how-we-work");
	CHECK_SLUG("What's new?", "whats-new");
	CHECK_SLUG("Hello, World!", "hello-world");
	CHECK_SLUG("snake_case and kebab-case", "snake_case-and-kebab-case");
	CHECK_SLUG("C++ & C#", "c--c");
	CHECK_SLUG("Version 2.0 (beta)", "version-20-beta");
	CHECK_SLUG("“Curly” quotes — and dashes", "curly-quotes--and-dashes");
	CHECK_SLUG("Café © 2024", "café--2024");
	CHECK_SLUG("🚀 Launch", "-launch");
	CHECK_SLUG("", "");
	CHECK_SLUG("???", "");
}

static void test_slug_thai(void)
{
	/* Every consonant, vowel and tone mark is kept. */
	CHECK_SLUG("วิธีการทำงาน", "วิธีการทำงาน");
	CHECK_SLUG("ไม้เอก ไม้โท ไม้ตรี ไม้จัตวา", "ไม้เอก-ไม้โท-ไม้ตรี-ไม้จัตวา");
	CHECK_SLUG("ภาษาไทย (Thai)", "ภาษาไทย-thai");
	CHECK_SLUG("ราคา ฿๑๐๐", "ราคา-๑๐๐"); /* the baht sign goes, Thai digits stay */
	CHECK_SLUG("ๆ ฯ", "ๆ-ฯ");
	CHECK_SLUG("๏ บทนำ ๚ะ", "-บทนำ-ะ");
}

static void test_slug_invalid_utf8(void)
{
	CHECK_SLUG("a\xff" "b\xc3", "ab");
	CHECK_SLUG("\xc0\xaf", ""); /* overlong '/' */
}

/* ---- headings ------------------------------------------------------------- */

static void test_heading_ids(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	CHECK_INT(render("# How we work\n\n## How we work\n\nHow we work\n---\n\n"
			 "## The *big* plan\n\n### What's new?\n\n## วิธีการทำงาน\n\n"
			 "## `code` and [a link](x.md)\n\n# ???\n",
			 false, 1, &rec, &res, &diags),
		  0);
	CHECK_CONTAINS(res.html, "<h1 id=\"how-we-work\">How we work</h1>\n");
	CHECK_CONTAINS(res.html, "<h2 id=\"how-we-work-1\">How we work</h2>\n");
	CHECK_CONTAINS(res.html, "<h2 id=\"how-we-work-2\">How we work</h2>\n");
	CHECK_CONTAINS(res.html, "<h2 id=\"the-big-plan\">The <em>big</em> plan</h2>\n");
	CHECK_CONTAINS(res.html, "<h3 id=\"whats-new\">What's new?</h3>\n");
	CHECK_CONTAINS(res.html, "<h2 id=\"วิธีการทำงาน\">วิธีการทำงาน</h2>\n");
	CHECK_CONTAINS(res.html,
		       "<h2 id=\"code-and-a-link\"><code>code</code> and <a href=\"../x/\">a link</a></h2>");
	CHECK_CONTAINS(res.html, "<h1 id=\"section\">\?\?\?</h1>");
	CHECK_INT(diags.len, 0);
	markdown_result_free(&res);
	recorder_free(&rec);
	diag_list_free(&diags);
}

static void test_heading_repeats_skip_taken(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	render("# a\n# a\n# a-1\n# a\n", false, 1, &rec, &res, &diags);
	CHECK_STR(res.html, "<h1 id=\"a\">a</h1>\n<h1 id=\"a-1\">a</h1>\n"
			    "<h1 id=\"a-1-1\">a-1</h1>\n<h1 id=\"a-2\">a</h1>\n");
	markdown_result_free(&res);
	diag_list_free(&diags);
}

static void test_heading_ids_in_containers(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	render("> # Quoted\n\n- ## Listed\n", false, 1, &rec, &res, &diags);
	CHECK_STR(res.html, "<blockquote>\n<h1 id=\"quoted\">Quoted</h1>\n</blockquote>\n"
			    "<ul>\n<li>\n<h2 id=\"listed\">Listed</h2>\n</li>\n</ul>\n");
	markdown_result_free(&res);
	diag_list_free(&diags);
}

/* Raw HTML headings are left alone; Markdown headings still get ids. */
static void test_heading_ids_unsafe(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	const char *doc = "<h2>Raw</h2>\n\n## Raw\n\n## <em>Inline</em> html\n";
	render(doc, true, 1, &rec, &res, &diags);
	CHECK_STR(res.html, "<h2>Raw</h2>\n<h2 id=\"raw\">Raw</h2>\n"
			    "<h2 id=\"inline-html\"><em>Inline</em> html</h2>\n");
	markdown_result_free(&res);

	render(doc, false, 1, &rec, &res, &diags);
	CHECK_STR(res.html, "<!-- raw HTML omitted -->\n<h2 id=\"raw\">Raw</h2>\n"
			    "<h2 id=\"inline-html\"><!-- raw HTML omitted -->Inline<!-- raw HTML "
			    "omitted --> html</h2>\n");
	markdown_result_free(&res);
	diag_list_free(&diags);
}

/* Headings never take an id the templates use: "## Main" beside the
 * template's <main id="main"> becomes "main-1". */
static void test_heading_ids_reserved(void)
{
	struct hmap reserved;
	hmap_init(&reserved);
	hmap_put(&reserved, "main", &reserved);
	hmap_put(&reserved, "resources", &reserved);
	struct diag_list diags;
	diag_list_init(&diags);
	struct markdown_options opts = { .file = "page.md", .reserved_ids = &reserved };
	struct markdown_result res;
	const char *doc = "## Main\n\n## Resources\n\n## Main\n\n## Other\n";
	CHECK_INT(markdown_render(doc, strlen(doc), &opts, &res, &diags), 0);
	CHECK_STR(res.html, "<h2 id=\"main-1\">Main</h2>\n<h2 id=\"resources-1\">Resources</h2>\n"
			    "<h2 id=\"main-2\">Main</h2>\n<h2 id=\"other\">Other</h2>\n");
	markdown_result_free(&res);
	diag_list_free(&diags);
	hmap_free(&reserved);
}

/* Thai typography: no-break spaces in text (headings, links, emphasis
 * too), code and raw HTML as written, heading ids from the text as
 * written, and nothing changed without the option (English pages). */
static void test_thai_typography(void)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct markdown_options opts = { .file = "page.md", .thai_typography = true };
	struct markdown_result res;
	const char *doc = "## ต่าง ๆ\n\nปี พ.ศ. 2556 *เล็ก ๆ* [ค.ศ. 2013](x) `ต่าง ๆ`\n";
	CHECK_INT(markdown_render(doc, strlen(doc), &opts, &res, &diags), 0);
	CHECK_STR(res.html, "<h2 id=\"ต่าง-ๆ\">ต่าง\u00a0ๆ</h2>\n"
			    "<p>ปี พ.ศ.\u00a02556 <em>เล็ก\u00a0ๆ</em> <a href=\"x\">ค.ศ.\u00a02013</a> "
			    "<code>ต่าง ๆ</code></p>\n");
	markdown_result_free(&res);
	opts.thai_typography = false;
	CHECK_INT(markdown_render(doc, strlen(doc), &opts, &res, &diags), 0);
	CHECK_STR(res.html, "<h2 id=\"ต่าง-ๆ\">ต่าง ๆ</h2>\n"
			    "<p>ปี พ.ศ. 2556 <em>เล็ก ๆ</em> <a href=\"x\">ค.ศ. 2013</a> "
			    "<code>ต่าง ๆ</code></p>\n");
	markdown_result_free(&res);
	diag_list_free(&diags);
}

/* ---- safety -------------------------------------------------------------- */

static void test_safe_mode(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	CHECK_INT(render("<script>alert(1)</script>\n\n"
			 "Text <b onclick=\"x()\">bold</b>.\n\n"
			 "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) "
			 "[c](vbscript:x) [d](file:///etc/passwd) "
			 "![e](data:text/html,<x>) ![f](data:image/png;base64,AAAA) "
			 "<javascript:alert(3)>\n",
			 false, 1, &rec, &res, &diags),
		  0);
	CHECK(!strstr(res.html, "<script"));
	CHECK(!strstr(res.html, "<b "));
	CHECK(!strstr(res.html, "onclick"));
	CHECK_CONTAINS(res.html, "<!-- raw HTML omitted -->");
	CHECK(!strstr(res.html, "href=\"javascript"));
	CHECK(!strstr(res.html, "href=\"JaVaScRiPt"));
	CHECK(!strstr(res.html, "vbscript:x"));
	CHECK(!strstr(res.html, "file:"));
	CHECK(!strstr(res.html, "data:text"));
	CHECK_CONTAINS(res.html, "<a href=\"\">a</a>");
	CHECK_CONTAINS(res.html, "<img src=\"data:image/png;base64,AAAA\" alt=\"f\" />");
	CHECK_INT(rec.len, 7); /* the callback still sees every link */
	CHECK_INT(diags.warnings, 6);
	CHECK_INT(diags.errors, 0);
	markdown_result_free(&res);
	recorder_free(&rec);
	diag_list_free(&diags);
}

static void test_unsafe_mode(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	CHECK_INT(render("<div class=\"note\">\nraw *block*\n</div>\n\n"
			 "Text <b>bold</b> [a](javascript:alert(1)) ![i](JAVASCRIPT:x) "
			 "<javascript:alert(3)> [t](<java\tscript:alert(4)>) "
			 "[n](java&#10;script:alert(5)) [e](evil)\n",
			 true, 1, &rec, &res, &diags),
		  0);
	CHECK_CONTAINS(res.html, "<div class=\"note\">\nraw *block*\n</div>\n");
	CHECK_CONTAINS(res.html, "Text <b>bold</b> ");
	CHECK(!strstr(res.html, "href=\"javascript"));
	CHECK(!strstr(res.html, "href=\"java"));
	CHECK(!strstr(res.html, "src=\"JAVASCRIPT"));
	CHECK(!strstr(res.html, "src=\"java"));
	CHECK_CONTAINS(res.html, "<a href=\"\">a</a>");
	CHECK_CONTAINS(res.html, "<img src=\"\" alt=\"i\" />");
	CHECK_CONTAINS(res.html, "<a href=\"\">e</a>"); /* the resolver's URL is checked too */
	CHECK_INT(diags.warnings, 6);
	markdown_result_free(&res);
	recorder_free(&rec);
	diag_list_free(&diags);
}

/* A quoted '>' does not end a tag, and pieces of raw HTML that are
 * harmless alone are read together, as a browser reads the page. */
static void test_unsafe_script_html_bypasses(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	render("Text <a title=\">\" href=\"javascript:alert(1)\">x</a>.\n", true, 1, &rec, &res,
	       &diags);
	CHECK(!strstr(res.html, "javascript:"));
	CHECK_CONTAINS(res.html, "Text <!-- raw HTML omitted -->x</a>.");
	CHECK_INT(diags.warnings, 1);
	markdown_result_free(&res);

	render("<div title='x\n\n</div>' href='javascript:alert(1)'>\n\n<b>kept alone</b>\n", true,
	       5, &rec, &res, &diags);
	CHECK(!strstr(res.html, "javascript:"));
	CHECK(!strstr(res.html, "<b>"));
	CHECK_INT(diags.warnings, 2);
	struct buf all = BUF_INIT;
	diag_format(&diags.items[1], &all);
	CHECK_CONTAINS(all.ptr, "page.md:5: warning: the raw HTML of this page, read together");
	buf_free(&all);
	markdown_result_free(&res);
	recorder_free(&rec);
	diag_list_free(&diags);
}

/* Unsafe mode passes raw HTML through, but not HTML with a script URL in
 * a tag, however it is spelt; text that merely says "JavaScript:" stays. */
static void test_unsafe_script_html(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	CHECK_INT(render("<iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>\n\n"
			 "<div onclick=\"x\">\n<a href=\"JaVa\tScRiPt:alert(1)\">a</a>\n</div>\n\n"
			 "Text <a href=\"&#106;avascript&colon;alert(2)\">b</a> and "
			 "<img src=\"&#x76;bscript:x\"> here.\n\n"
			 "<p>JavaScript: the basics</p>\n",
			 true, 10, &rec, &res, &diags),
		  0);
	CHECK_CONTAINS(res.html, "<iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>");
	CHECK_CONTAINS(res.html, "<p>JavaScript: the basics</p>");
	CHECK(!strstr(res.html, "ScRiPt:"));
	CHECK(!strstr(res.html, "&#106;"));
	CHECK(!strstr(res.html, "&#x76;"));
	CHECK_CONTAINS(res.html, "Text <!-- raw HTML omitted -->b</a> and <!-- raw HTML omitted --> here.");
	CHECK_INT(diags.warnings, 3);
	CHECK_INT(diags.errors, 0);
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < diags.len; i++) {
		diag_format(&diags.items[i], &all);
		buf_putc(&all, '\n');
	}
	CHECK_CONTAINS(all.ptr, "page.md:12: warning: raw HTML with a javascript:");
	CHECK_CONTAINS(all.ptr, "page.md:16: warning: raw HTML with a javascript:");
	buf_free(&all);
	markdown_result_free(&res);
	recorder_free(&rec);
	diag_list_free(&diags);
}

/* ---- links ---------------------------------------------------------------- */

static void test_link_rewriting(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	CHECK_INT(render("See [other](other.md \"Title\"), [site](https://example.com/) and "
			 "<https://example.org/a?b=1&amp;c=2>, mail <me@example.com>, "
			 "[empty]() and [x](a\\_b.md).\n",
			 false, 1, &rec, &res, &diags),
		  0);
	CHECK_CONTAINS(res.html, "<a href=\"../other/\" title=\"Title\">other</a>");
	CHECK_CONTAINS(res.html, "<a href=\"https://example.com/\">site</a>");
	CHECK_CONTAINS(res.html, "<a href=\"mailto:me@example.com\">me@example.com</a>");
	CHECK_CONTAINS(res.html, "<a href=\"../a_b/\">x</a>");
	CHECK_INT(res.link_count, 6);
	CHECK_INT(rec.len, 6);
	CHECK_CALL(rec, 0, "other.md", 1, 13);
	CHECK_CALL(rec, 1, "https://example.com/", 1, 39);
	CHECK_CALL(rec, 2, "https://example.org/a?b=1&c=2", 1, 66);
	CHECK_CALL(rec, 3, "mailto:me@example.com", 1, 108);
	CHECK_CALL(rec, 4, "", 1, 133);
	CHECK_CALL(rec, 5, "a_b.md", 1, 143);
	markdown_result_free(&res);
	recorder_free(&rec);
	diag_list_free(&diags);
}

static void test_link_positions(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	/* Body line 3, '[' in column 10; with first_line 5 that is file line 7,
	 * and the destination starts in column 14. */
	render("Intro.\n"
	       "\n"
	       "Read the [x](other.md) now.\n"
	       "Second line,\n"
	       "   indented [y](y.md) continuation.\n"
	       "> quote [q](q.md)\n"
	       "lazy [l](l.md)\n"
	       "\n"
	       "ภาษาไทย [t](t.md)\n"
	       "\n"
	       "[link\n"
	       "text](\n"
	       "  split.md)\n",
	       false, 5, &rec, &res, &diags);
	CHECK_CALL(rec, 0, "other.md", 7, 14);
	CHECK_CALL(rec, 1, "y.md", 9, 17);
	CHECK_CALL(rec, 2, "q.md", 10, 13);
	CHECK_CALL(rec, 3, "l.md", 11, 10);
	CHECK_CALL(rec, 4, "t.md", 13, 13); /* columns count code points */
	CHECK_CALL(rec, 5, "split.md", 17, 3);
	markdown_result_free(&res);
	recorder_free(&rec);
	diag_list_free(&diags);
}

static void test_reference_positions(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	render("```\n"
	       "[r]: wrong.md\n"
	       "```\n"
	       "\n"
	       "[r]: ref.md\n"
	       "[s]:\n"
	       "    <next line.md>\n"
	       "after the definitions [z](z.md)\n"
	       "\n"
	       "Use [r], [text][s] and [R][].\n"
	       "\n"
	       "> [q]: quoted.md\n"
	       "\n"
	       "- [see][q]\n",
	       false, 1, &rec, &res, &diags);
	CHECK_CALL(rec, 0, "z.md", 8, 27);
	CHECK_CALL(rec, 1, "ref.md", 5, 6);
	CHECK_CALL(rec, 2, "next line.md", 7, 6);
	CHECK_CALL(rec, 3, "ref.md", 5, 6);
	CHECK_CALL(rec, 4, "quoted.md", 12, 8);
	CHECK_CONTAINS(res.html, "<a href=\"../ref/\">r</a>");
	markdown_result_free(&res);
	recorder_free(&rec);
	diag_list_free(&diags);
}

static void test_images(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	render("![A *cat*](cat.png \"Cat\") and [![logo](logo.png)](home.md)\n", false, 1,
	       &rec, &res, &diags);
	CHECK_CONTAINS(res.html, "<img src=\"cat.png\" alt=\"A cat\" title=\"Cat\" />");
	CHECK_CONTAINS(res.html, "<a href=\"../home/\"><img src=\"logo.png\" alt=\"logo\" /></a>");
	CHECK_INT(res.link_count, 3);
	CHECK_CALL(rec, 0, "cat.png", 1, 12);
	CHECK_CALL(rec, 1, "home.md", 1, 51); /* document order: the link opens first */
	CHECK_CALL(rec, 2, "logo.png", 1, 40);
	markdown_result_free(&res);
	recorder_free(&rec);
	diag_list_free(&diags);
}

static void test_image_without_alt(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	/* Line 4 of the file: ok, empty, blank alt after Thai text (columns
	 * count code points), pointy destination, reference image. */
	CHECK_INT(render("![ok](a.png) ![](b.png)\n\nภาษา ![  ](c.png) x ![](<d e.png>)\n\n"
			 "![][r]\n\n[r]: r.png\n",
			 false, 4, &rec, &res, &diags),
		  0);
	CHECK_INT(diags.errors, 0);
	CHECK_INT(diags.warnings, 4);
	unsigned want[][2] = { { 4, 14 }, { 6, 6 }, { 6, 21 }, { 8, 1 } };
	const char *urls[] = { "b.png", "c.png", "d e.png", "r.png" };
	for (size_t i = 0; i < 4 && i < diags.len; i++) {
		CHECK_INT(diags.items[i].severity, DIAG_WARNING);
		CHECK_INT(diags.items[i].line, want[i][0]);
		CHECK_INT(diags.items[i].col, want[i][1]);
		CHECK_CONTAINS(diags.items[i].message, urls[i]);
		CHECK_CONTAINS(diags.items[i].message, "no alt text");
	}
	/* Still rendered, with its (empty) alt attribute. */
	CHECK_CONTAINS(res.html, "<img src=\"b.png\" alt=\"\" />");
	CHECK_CALL(rec, 1, "b.png", 4, 18);
	markdown_result_free(&res);
	recorder_free(&rec);
	diag_list_free(&diags);
}

static void test_resolve_failure(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	CHECK_INT(render("[a](missing-a.md) [b](b.md)\n\n[c](missing-c.md)\n", false, 3, &rec,
			 &res, &diags),
		  -1);
	CHECK_INT(diags.errors, 2); /* every failure is reported */
	CHECK_INT(rec.len, 3);
	CHECK_CONTAINS(res.html, "<a href=\"missing-a.md\">a</a>"); /* left as written */
	CHECK_CONTAINS(res.html, "<a href=\"../b/\">b</a>");
	CHECK_CONTAINS(res.html, "<a href=\"missing-c.md\">c</a>");
	if (diags.len == 2) {
		struct buf b = BUF_INIT;
		diag_format(&diags.items[1], &b);
		CHECK_STR(b.ptr, "page.md:5:5: error: broken link: missing-c.md");
		buf_free(&b);
	}
	markdown_result_free(&res);
	recorder_free(&rec);
	diag_list_free(&diags);
}

static void test_crlf_positions(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	render("one\r\n\r\ntwo [a](a.md)\r\nthree\r[b](b.md)\n", false, 1, &rec, &res, &diags);
	CHECK_CALL(rec, 0, "a.md", 3, 9);
	CHECK_CALL(rec, 1, "b.md", 5, 5);
	markdown_result_free(&res);
	recorder_free(&rec);
	diag_list_free(&diags);
}

static void test_no_resolver(void)
{
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	const char *doc = "[a](a.md) and [j](javascript:x)\n";
	CHECK_INT(markdown_render(doc, strlen(doc), NULL, &res, &diags), 0);
	CHECK_STR(res.html, "<p><a href=\"a.md\">a</a> and <a href=\"\">j</a></p>\n");
	CHECK_INT(res.link_count, 2);
	CHECK_INT(diags.warnings, 1);
	if (diags.len == 1) {
		CHECK(diags.items[0].file == NULL);
		CHECK_INT(diags.items[0].line, 1);
		CHECK_INT(diags.items[0].col, 19);
	}
	markdown_result_free(&res);
	markdown_result_free(&res);
	diag_list_free(&diags);
}

/* ---- text ------------------------------------------------------------------- */

static void test_first_paragraph(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	render("# Title\n\n- a list item\n\nFirst *para*   with\n`code`, <b>html</b> and\n"
	       "[a **link**](x.md) ![img](i.png).\n\nSecond.\n",
	       true, 1, &rec, &res, &diags);
	CHECK_STR(res.first_paragraph_text, "First para with code, html and a link img.");
	markdown_result_free(&res);

	render("สวัสดีครับ  ยินดีต้อนรับ\nสู่เว็บไซต์\n", false, 1, &rec, &res, &diags);
	CHECK_STR(res.first_paragraph_text, "สวัสดีครับ ยินดีต้อนรับ สู่เว็บไซต์");
	markdown_result_free(&res);

	render("# Only a heading\n\n> a quote\n", false, 1, &rec, &res, &diags);
	CHECK_STR(res.first_paragraph_text, "");
	markdown_result_free(&res);
	recorder_free(&rec);
	diag_list_free(&diags);
}

static void test_empty_document(void)
{
	struct recorder rec = { 0 };
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	CHECK_INT(render("", false, 1, &rec, &res, &diags), 0);
	CHECK_STR(res.html, "");
	CHECK_STR(res.first_paragraph_text, "");
	CHECK_INT(res.link_count, 0);
	CHECK_INT(rec.len, 0);
	markdown_result_free(&res);

	CHECK_INT(markdown_render(NULL, 0, NULL, &res, &diags), 0);
	CHECK_STR(res.html, "");
	markdown_result_free(&res);

	CHECK_INT(render("\n\n   \n", false, 1, &rec, &res, &diags), 0);
	CHECK_STR(res.html, "");
	markdown_result_free(&res);
	CHECK_INT(diags.len, 0);
	diag_list_free(&diags);
}

/* ---- pathological --------------------------------------------------------- */

struct counter {
	size_t calls;
	unsigned last_line, last_col;
};

static int count_link(void *ctx, const char *url, unsigned line, unsigned col, struct buf *out)
{
	struct counter *c = ctx;
	c->calls++;
	c->last_line = line;
	c->last_col = col;
	buf_puts(out, url);
	return 0;
}

static double render_timed(const char *doc, struct counter *c, struct markdown_result *res,
			   struct diag_list *diags)
{
	struct markdown_options opts = { .resolve = count_link, .resolve_ctx = c };
	clock_t t0 = clock();
	CHECK_INT(markdown_render(doc, strlen(doc), &opts, res, diags), 0);
	return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

/* 10,000 links in one paragraph, on 10,000 lines, all to one URL, all
 * through one reference, in headings, as images inside links, and inline
 * links interleaved with references: each must stay far from quadratic. The limit is
 * generous because sanitizers slow everything down. */
static void test_many_links(void)
{
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	enum { N = 10000 };
	for (int f = 0; f < 7; f++) {
		struct buf doc = BUF_INIT;
		if (f == 3 || f == 6)
			BUF_PUTL(&doc, "[r]: ref.md\n\n");
		for (int i = 0; i < (f >= 5 ? N / 2 : N); i++) {
			switch (f) {
			case 0: buf_printf(&doc, "[l%d](p%d.md) ", i, i); break;
			case 1: buf_printf(&doc, "[l%d](p%d.md)\n", i, i); break;
			case 2: BUF_PUTL(&doc, "[l](same.md) "); break;
			case 3: BUF_PUTL(&doc, "[l][r] "); break;
			case 4: buf_printf(&doc, "# [h](h%d.md)\n", i); break;
			case 5: buf_printf(&doc, "[![a](x%d.png)](y%d.md) ", i, i); break;
			default: buf_printf(&doc, "[l](p%d.md) [l][r] ", i); break;
			}
		}
		struct counter c = { 0 };
		double secs = render_timed(doc.ptr, &c, &res, &diags);
		CHECK(secs < 3.0);
		CHECK_INT(res.link_count, N);
		CHECK_INT(c.calls, N);
		if (f == 1)
			CHECK_INT(c.last_line, N);
		if (f == 3)
			CHECK_INT(c.last_line, 1);
		markdown_result_free(&res);
		buf_free(&doc);
	}
	CHECK_INT(diags.len, 0);
	diag_list_free(&diags);
}

static void test_deep_nesting(void)
{
	struct diag_list diags;
	struct markdown_result res;
	diag_list_init(&diags);
	struct buf doc = BUF_INIT;
	for (int i = 0; i < 5000; i++)
		BUF_PUTL(&doc, "> ");
	BUF_PUTL(&doc, "[x](y.md)\n");
	for (int i = 0; i < 5000; i++)
		BUF_PUTL(&doc, "*a [b](c) ");
	struct counter c = { 0 };
	double secs = render_timed(doc.ptr, &c, &res, &diags);
	CHECK(secs < 3.0);
	CHECK_INT(c.calls, 5001);
	markdown_result_free(&res);
	buf_free(&doc);
	diag_list_free(&diags);
}

TEST_LIST(T(test_slug_english), T(test_slug_thai), T(test_slug_invalid_utf8),
	  T(test_heading_ids), T(test_heading_repeats_skip_taken),
	  T(test_heading_ids_in_containers), T(test_heading_ids_unsafe), T(test_heading_ids_reserved),
	  T(test_thai_typography), T(test_unsafe_script_html_bypasses), T(test_safe_mode),
	  T(test_unsafe_mode), T(test_unsafe_script_html), T(test_link_rewriting), T(test_link_positions),
	  T(test_reference_positions), T(test_images), T(test_image_without_alt),
	  T(test_resolve_failure),
	  T(test_crlf_positions), T(test_no_resolver), T(test_first_paragraph),
	  T(test_empty_document), T(test_many_links), T(test_deep_nesting));
TEST_MAIN()
