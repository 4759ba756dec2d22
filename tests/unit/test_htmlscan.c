/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "htmlscan.h"
#include "test.h"

static bool unsafe(const char *html)
{
	return htmlscan_has_script_url(html, strlen(html));
}

/* Every way of writing the scheme that a browser still reads as one. */
static void finds_script_urls(void)
{
	static const char *const bad[] = {
		"<a href=\"javascript:alert(1)\">x</a>",
		"<a title=\">\" href=\"javascript:alert(1)\">x</a>",
		"<a title='>' href='javascript:alert(1)'>x</a>",
		"<a href=javascript:alert(1)>x</a>",
		"<a\thref = \"JaVaScRiPt:alert(1)\">",
		"<a href=\"&#106;avascript:alert(1)\">",
		"<a href=\"&#x6A;avascript&colon;alert(1)\">",
		"<a href=\"&#0000106&#0000097vascript:x\">",
		"<a href=\"java&#9;script:x\">",
		"<a href=\"java&Tab;script&COLON;x\">",
		"<a href=\"java&NewLine;script:x\">",
		"<a href=\"  \x01java\nscript:x\">",
		"<a href=\"&#32;javascript:x\">",
		"<a data-href=\"notes/javascript:x\">",
		"<a href=\"vbscript:msgbox\">",
		"<form action=\"javascript:x\"><button formaction=javascript:x>",
		"<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
		"<img srcset=\"a.png 1x, javascript:x 2x\">",
		"<object data=\"javascript:x\"></object>",
		"<video poster=\"javascript:x\"></video>",
		"<table background=\"javascript:x\">",
		"<div style=\"background:url(javascript:x)\">",
		"<meta http-equiv=\"refresh\" content=\"0;url=javascript:x\">",
		"<svg><animate attributeName=\"href\" values=\"javascript:alert(1)\"/></svg>",
		"<svg><set attributeName=\"href\" to=\"javascript:alert(1)\"/></svg>",
		"<iframe srcdoc=\"&lt;a href=&quot;javascript:x&quot;&gt;\"></iframe>",
		"<iframe srcdoc=\"&lt;a href=&quot;&amp;#106;avascript:x&quot;&gt;\"></iframe>",
		"<a title=\"x\"href=\"javascript:x\">",
		"<a/href=\"javascript:x\">",
		/* A script ends at its end tag only outside its double escape. */
		"<script><!--<script></script><a title=\"</script><a href=javascript:x>\">",
		/* <style> inside <svg> is no raw text. */
		"<svg><style><a title=\"</style>\" href=\"javascript:x\"></style></svg>",
		"<math><style></style><a title=\"</style>\" href=javascript:x></math>",
		/* End tags have attributes too, whose quotes hide a '>'. */
		"</a title=\">\"><a href=\"javascript:x\">",
		"<!-- x --><a href=\"javascript:x\">",
		"<!--><a href=\"javascript:x\">",
		"<!---><a href=\"javascript:x\">",
		"<!-- a --!><a href=\"javascript:x\">",
		"<style>a{}</style ><a href=\"javascript:x\">",
		"<textarea><a></textarea><a href=javascript:x>",
		/* Raw text is checked as a whole. */
		"<script>location = 'javascript:x';</script>",
		"<style>a { background: url(javascript:x) }</style>",
		"<iframe src=\"/a\"><a href=\"javascript:x\"></a></iframe>",
		"<plaintext>javascript:x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (!unsafe(bad[i]))
			fprintf(stderr, "  not found in: %s\n", bad[i]);
		CHECK(unsafe(bad[i]));
	}
}

/* Text, comments and raw text are not URLs; harmless embeds pass. */
static void passes_safe_html(void)
{
	static const char *const good[] = {
		"<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"Film\"></iframe>",
		"<p>JavaScript: the basics</p>",
		"<a href=\"https://example.org/javascript\">JavaScript: a guide</a>",
		"<abbr title=\"JavaScript: a language\">JS</abbr>",
		"<img src=\"a.png\" alt=\"javascript: a poster\">",
		"<!-- javascript:alert(1) -->",
		"<script>var a = 1 < 2;</script><style>p { color: red }</style>",
		"<a href=\"/x\">&#106;avascript: text</a>",
		"<a href=\"notes/javascript:intro.md\">",
		"<img src=\"../../../secrevbscript:t\">",
		"<svg viewBox=\"0 0 1 1\"><path d=\"M0 0\"/></svg>",
		"a < b and c > d",
		"",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (unsafe(good[i]))
			fprintf(stderr, "  found in: %s\n", good[i]);
		CHECK(!unsafe(good[i]));
	}
}

/* Where the reading depends on the tree, any mention counts. */
static void ambiguous_reads_everything(void)
{
	CHECK(unsafe("<svg><style>javascript:x</style></svg>"));
	CHECK(unsafe("<svg><![CDATA[ javascript:x ]]></svg>"));
	CHECK(unsafe("<noscript><p title=\"</noscript><a href=javascript:x>\">"));
	CHECK(!unsafe("<svg><style>a{}</style></svg><p>no scheme here</p>"));
}

/* Wraps html in levels of <iframe srcdoc="...">, escaping it each time. */
static char *nest(const char *html, int levels)
{
	char *s = xstrdup(html);
	for (int l = 0; l < levels; l++) {
		struct buf b = BUF_INIT;
		BUF_PUTL(&b, "<iframe srcdoc=\"");
		for (const char *p = s; *p; p++) {
			if (*p == '&')
				BUF_PUTL(&b, "&amp;");
			else if (*p == '"')
				BUF_PUTL(&b, "&quot;");
			else
				buf_putc(&b, *p);
		}
		BUF_PUTL(&b, "\"></iframe>");
		free(s);
		s = buf_detach(&b);
	}
	return s;
}

static void deep_srcdoc_is_refused(void)
{
	char *s = nest("<a href=\"&#106;avascript:x\">", 3);
	CHECK(unsafe(s));
	free(s);
	s = nest("<p>Fish &amp; chips</p>", 3);
	CHECK(!unsafe(s));
	free(s);
	s = nest("<p>Fish &amp; chips</p>", HTMLSCAN_MAX_SRCDOC + 1);
	CHECK(unsafe(s)); /* too deep to read: refused */
	free(s);
	CHECK(!unsafe("<iframe srcdoc=\"&lt;p&gt;hello&lt;/p&gt;\"></iframe>"));
}

/* Truncated input ends inside a construct without reading past it. */
static void truncated_input(void)
{
	static const char *const cut[] = { "<", "</", "<!", "<!-", "<!--", "<a", "<a href",
					   "<a href=", "<a href=\"java", "<script>", "<script><!--",
					   "<style></sty", "&#", "<a href=\"&#", "<a href=&#x" };
	for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++)
		CHECK(!unsafe(cut[i]));
	CHECK(unsafe("<a href=javascript:"));
}

struct seen {
	struct buf b;
};

static void record_attr(void *ctx, const struct htmlscan_attr *a)
{
	struct seen *s = ctx;
	buf_printf(&s->b, "%.*s.%.*s=%.*s;", (int)a->tag.len, a->tag.ptr, (int)a->name.len,
		   a->name.ptr, (int)a->value.len, a->value.ptr);
}

static void lists_attributes(void)
{
	struct seen s = { BUF_INIT };
	const char *t = "<main id=\"main\"><p class=x title='a>b' hidden>"
			"<script>var a = '<b id=\"no\">';</script></p></main id=\"end\">"
			"<h2 id=\"resources\">{{t}}</h2>";
	htmlscan_attrs(t, strlen(t), record_attr, &s);
	CHECK_STR(s.b.ptr, "main.id=main;p.class=x;p.title=a>b;p.hidden=;h2.id=resources;");
	buf_free(&s.b);
}

/* The old scanner took 80 s on a 3 MB inline SVG; this one is linear. */
static void linear_time(void)
{
	struct buf b = BUF_INIT;
	BUF_PUTL(&b, "<svg viewBox=\"0 0 100 100\">");
	while (b.len < 3 * 1024 * 1024)
		BUF_PUTL(&b, "<path d=\"M10 10 L20 20 Z\" fill=\"#abc\" title=\">\"/>");
	BUF_PUTL(&b, "</svg>");
	clock_t start = clock();
	CHECK(!htmlscan_has_script_url(b.ptr, b.len));
	for (int i = 0; i < 100000; i++)
		BUF_PUTL(&b, "<a title='");
	CHECK(!htmlscan_has_script_url(b.ptr, b.len));
	double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
	CHECK(seconds < 1.0 * test_time_scale());
	buf_free(&b);
}

TEST_LIST(T(finds_script_urls), T(passes_safe_html), T(ambiguous_reads_everything),
	  T(deep_srcdoc_is_refused), T(truncated_input), T(lists_attributes), T(linear_time));
TEST_MAIN()
