/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the template engine beyond the Mustache spec: escaping and
 * number output, positioned syntax errors, the site's missing-partial
 * check, the recursion cap, the bounds on a render's output and work, stop
 * requests, and inheritance used for page layouts.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "diag.h"
#include "test.h"
#include "tmpl.h"
#include "util.h"
#include "value.h"

/* Adds a template that must parse, with file "templates/<name>.mustache". */
static void add(struct tmpl_set *set, const char *name, const char *text)
{
	struct diag_list diags;
	diag_list_init(&diags);
	char *file = xasprintf("templates/%s.mustache", name);
	CHECK_INT(tmpl_set_add(set, name, file, text, strlen(text), &diags), 0);
	CHECK_INT(diags.len, 0);
	free(file);
	diag_list_free(&diags);
}

/* Renders name; returns the output, or NULL when rendering failed. */
static char *render(const struct tmpl_set *set, const char *name, const struct value *data)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct buf out = BUF_INIT;
	int rc = tmpl_render(set, name, data, &out, &diags);
	CHECK_INT(rc, 0);
	for (size_t i = 0; i < diags.len; i++)
		fprintf(stderr, "  unexpected diagnostic: %s\n", diags.items[i].message);
	diag_list_free(&diags);
	if (rc) {
		buf_free(&out);
		return NULL;
	}
	return buf_detach(&out);
}

/* Renders text as a one-template set; the caller frees the result. */
static char *render_text(const char *text, const struct value *data)
{
	struct tmpl_set *set = tmpl_set_new();
	add(set, "t", text);
	char *out = render(set, "t", data);
	tmpl_set_free(set);
	return out;
}

/* Adds text, which must not parse, to a fresh set; returns its one
 * diagnostic formatted as "file:line:col: error: message". */
static char *parse_error(const char *text)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct tmpl_set *set = tmpl_set_new();
	CHECK_INT(tmpl_set_add(set, "bad", "templates/bad.mustache", text, strlen(text), &diags),
		  -1);
	CHECK(!tmpl_set_has(set, "bad"));
	CHECK_INT(diags.len, 1);
	CHECK_INT(diags.errors, 1);
	struct buf msg = BUF_INIT;
	if (diags.len)
		diag_format(&diags.items[0], &msg);
	tmpl_set_free(set);
	diag_list_free(&diags);
	return buf_detach(&msg);
}

static void check_render(const char *text, const struct value *data, const char *want)
{
	char *got = render_text(text, data);
	CHECK_STR(got, want);
	free(got);
}

static void check_error(const char *text, const char *want)
{
	char *got = parse_error(text);
	CHECK_STR(got, want);
	free(got);
}

static void test_escaping(void)
{
	struct value *d = value_map();
	value_set_str(d, "x", "<a href=\"/?a=1&b=2\">it's</a>");
	check_render("{{x}}", d, "&lt;a href=&quot;/?a=1&amp;b=2&quot;&gt;it&#39;s&lt;/a&gt;");
	check_render("{{{x}}}", d, "<a href=\"/?a=1&b=2\">it's</a>");
	check_render("{{& x }}", d, "<a href=\"/?a=1&b=2\">it's</a>");
	/* Escaping applies to values, never to the template's own text. */
	check_render("<b>&amp;</b>{{x}}", d,
		     "<b>&amp;</b>&lt;a href=&quot;/?a=1&amp;b=2&quot;&gt;it&#39;s&lt;/a&gt;");
	/* Thai text passes through untouched. */
	value_set_str(d, "th", "สวัสดี <ครับ>");
	check_render("{{th}}", d, "สวัสดี &lt;ครับ&gt;");
	value_free(d);
}

static void test_scalars(void)
{
	struct value *d = value_map();
	value_set(d, "int", value_number(85));
	value_set(d, "neg", value_number(-3));
	value_set(d, "dec", value_number(1.210));
	value_set(d, "tenth", value_number(0.1));
	value_set(d, "big", value_number(1e21));
	value_set(d, "zero", value_number(-0.0));
	value_set_bool(d, "yes", true);
	value_set(d, "nil", value_null());
	value_set(d, "list", value_list());
	check_render("{{int}} {{neg}} {{dec}} {{tenth}} {{big}} {{zero}}", d,
		     "85 -3 1.21 0.1 1e+21 0");
	check_render("[{{yes}}][{{nil}}][{{missing}}][{{list}}]", d, "[true][][][]");
	check_render("{{#zero}}zero is truthy{{/zero}}", d, "zero is truthy");
	value_free(d);
	/* No data at all is an empty context, not a crash. */
	check_render("a{{x}}b{{#x}}c{{/x}}{{^x}}d{{/x}}{{.}}", NULL, "abd");
}

static void test_context(void)
{
	struct value *d = value_map();
	struct value *site = value_set(d, "site", value_map());
	value_set_str(site, "title", "Sapan");
	struct value *pages = value_set(d, "pages", value_list());
	struct value *p1 = value_push(pages, value_map());
	value_set_str(p1, "title", "One");
	struct value *p2 = value_push(pages, value_map());
	value_set_str(p2, "title", "Two");
	value_set_str(p2, "site", "shadowed");
	/* Outer names stay visible in a section; inner ones shadow them. */
	check_render("{{#pages}}{{title}}/{{site.title}};{{/pages}}", d, "One/Sapan;Two/;");
	value_free(d);
}

static void test_partial_indentation(void)
{
	struct tmpl_set *set = tmpl_set_new();
	add(set, "list", "<ul>\n{{#items}}\n  <li>{{.}}</li>\n{{/items}}\n</ul>\n");
	add(set, "nav", "<nav>\n  {{>list}}\n</nav>\n");
	struct value *d = value_map();
	struct value *items = value_set(d, "items", value_list());
	value_push(items, value_string("a\nb"));
	value_push(items, value_string("c"));
	char *got = render(set, "nav", d);
	/* Each template line is indented; the value's own newline is not. */
	CHECK_STR(got, "<nav>\n  <ul>\n    <li>a\nb</li>\n    <li>c</li>\n  </ul>\n</nav>\n");
	free(got);
	value_free(d);
	tmpl_set_free(set);
}

static void test_syntax_errors(void)
{
	check_error("a\n  {{b", "templates/bad.mustache:2:3: error: unclosed tag: no '}}' after "
			       "this '{{'");
	check_error("{{{b}}", "templates/bad.mustache:1:1: error: unclosed tag: no '}}}' after "
			      "this '{{{'");
	check_error("x\n{{#items}}\n<li>", "templates/bad.mustache:2:1: error: section 'items' "
					   "is never closed");
	check_error("{{$title}}", "templates/bad.mustache:1:1: error: block 'title' is never "
				  "closed");
	check_error("{{#a}}\n {{^b}}{{/a}}",
		    "templates/bad.mustache:2:8: error: closing tag 'a' does not match inverted "
		    "section 'b' opened at line 2, column 2");
	check_error("x {{/a}}", "templates/bad.mustache:1:3: error: closing tag 'a' has no open "
				"section, block or parent");
	check_error("{{=<%=}}", "templates/bad.mustache:1:1: error: invalid delimiter change "
				"'<%': expected two delimiters separated by a space, as in "
				"{{=<% %>=}}");
	check_error("{{=<% %>=}}\n<%x", "templates/bad.mustache:2:1: error: unclosed tag: no "
					"'%>' after this '<%'");
	check_error("{{first name}}", "templates/bad.mustache:1:1: error: tag name 'first name' "
				      "contains whitespace");
	check_error("{{#}}{{/}}", "templates/bad.mustache:1:1: error: tag has no name");
	check_error("{{a..b}}", "templates/bad.mustache:1:1: error: invalid name 'a..b': a "
				"dotted name needs a name between its dots");
	/* Columns count characters, so positions in Thai text are right. */
	check_error("สวัสดี {{x", "templates/bad.mustache:1:8: error: unclosed tag: no '}}' "
				"after this '{{'");
}

static void test_nesting_cap(void)
{
	struct buf text = BUF_INIT;
	for (int i = 0; i <= TMPL_MAX_NESTING; i++)
		BUF_PUTL(&text, "{{#a}}");
	char *got = parse_error(text.ptr);
	CHECK_CONTAINS(got, ":1:385: error: sections, blocks and parents nested more than 64");
	free(got);
	buf_free(&text);
}

static void test_failed_add_keeps_old(void)
{
	struct tmpl_set *set = tmpl_set_new();
	add(set, "t", "old");
	struct diag_list diags;
	diag_list_init(&diags);
	CHECK_INT(tmpl_set_add(set, "t", NULL, "{{#x}}", 6, &diags), -1);
	CHECK_CONTAINS(diags.len ? diags.items[0].file : NULL, "t");
	char *got = render(set, "t", NULL);
	CHECK_STR(got, "old");
	free(got);
	add(set, "t", "new");
	got = render(set, "t", NULL);
	CHECK_STR(got, "new");
	free(got);
	diag_list_free(&diags);
	tmpl_set_free(set);
}

static void test_missing_template(void)
{
	struct tmpl_set *set = tmpl_set_new();
	struct diag_list diags;
	diag_list_init(&diags);
	struct buf out = BUF_INIT;
	CHECK(!tmpl_set_has(set, "page"));
	CHECK_INT(tmpl_render(set, "page", NULL, &out, &diags), -1);
	CHECK_INT(diags.errors, 1);
	CHECK_STR(diags.len ? diags.items[0].message : NULL, "template 'page' not found");
	CHECK_STR(out.ptr, "");
	diag_list_free(&diags);
	tmpl_set_free(set);
}

static void test_check_missing_partials(void)
{
	struct tmpl_set *set = tmpl_set_new();
	add(set, "base", "<body>\n{{#page}}\n    {{>footer}}\n{{/page}}\n{{>*dynamic}}{{>header}}\n");
	add(set, "header", "<header>");
	add(set, "page", "x\n  {{<layout}}{{$main}}{{/main}}{{/layout}}");
	struct diag_list diags;
	diag_list_init(&diags);
	CHECK_INT(tmpl_set_check(set, &diags), 2);
	CHECK_INT(diags.errors, 2);
	struct buf msg = BUF_INIT;
	for (size_t i = 0; i < diags.len; i++) {
		diag_format(&diags.items[i], &msg);
		buf_putc(&msg, '\n');
	}
	CHECK_STR(msg.ptr,
		  "templates/base.mustache:3:5: error: partial 'footer' not found (included from "
		  "templates/base.mustache)\n"
		  "templates/page.mustache:2:3: error: parent template 'layout' not found "
		  "(included from templates/page.mustache)\n");
	buf_free(&msg);
	diag_list_free(&diags);

	/* The spec's rule still holds when rendering: a missing partial is
	 * empty. */
	struct value *d = value_map();
	value_set_bool(d, "page", true);
	char *got = render(set, "base", d);
	CHECK_STR(got, "<body>\n<header>\n");
	free(got);
	value_free(d);

	add(set, "footer", "</body>");
	add(set, "layout", "");
	diag_list_init(&diags);
	CHECK_INT(tmpl_set_check(set, &diags), 0);
	CHECK_INT(diags.len, 0);
	diag_list_free(&diags);
	tmpl_set_free(set);
}

/* Renders name, which must fail on the recursion cap. */
static void check_too_deep(const struct tmpl_set *set, const char *name,
			   const struct value *data, const char *want)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct buf out = BUF_INIT;
	BUF_PUTL(&out, "kept");
	CHECK_INT(tmpl_render(set, name, data, &out, &diags), -1);
	CHECK_STR(out.ptr, "kept"); /* the partial output is taken back */
	CHECK_INT(diags.len, 1);
	struct buf msg = BUF_INIT;
	if (diags.len)
		diag_format(&diags.items[0], &msg);
	CHECK_STR(msg.ptr, want);
	buf_free(&msg);
	buf_free(&out);
	diag_list_free(&diags);
}

static void test_depth_limit(void)
{
	struct tmpl_set *set = tmpl_set_new();
	add(set, "self", "x{{>self}}");
	add(set, "ping", "{{>pong}}");
	add(set, "pong", "\n  {{>ping}}");
	add(set, "layout", "{{<layout}}{{/layout}}");
	add(set, "block", "{{<frame}}{{$b}}{{$b}}{{/b}}{{/b}}{{/frame}}");
	add(set, "frame", "{{$b}}{{/b}}");
	check_too_deep(set, "self", NULL, "templates/self.mustache:1:2: error: partial 'self' nested "
				    "more than 64 levels deep: does a template include itself?");
	check_too_deep(set, "pong", NULL, "templates/pong.mustache:2:3: error: partial 'ping' nested "
				    "more than 64 levels deep: does a template include itself?");
	check_too_deep(set, "layout", NULL, "templates/layout.mustache:1:1: error: parent template "
				      "'layout' nested more than 64 levels deep: does a template "
				      "include itself?");
	check_too_deep(set, "block", NULL, "templates/block.mustache:1:17: error: block 'b' nested "
				     "more than 64 levels deep: does a template include itself?");

	/* Recursion that the data ends is fine, up to the cap: a tree of
	 * TMPL_MAX_DEPTH + 1 levels takes that many nested partials. */
	add(set, "tree", "{{name}}({{#kids}}{{>tree}}{{/kids}})");
	struct value *root = value_map(), *node = root;
	for (int i = 0; i <= TMPL_MAX_DEPTH; i++) {
		value_set_str(node, "name", "n");
		struct value *kids = value_set(node, "kids", value_list());
		if (i < TMPL_MAX_DEPTH)
			node = value_push(kids, value_map());
	}
	char *got = render(set, "tree", root);
	CHECK(got && strlen(got) == 3 * (TMPL_MAX_DEPTH + 1));
	free(got);
	/* One level more is too many. */
	struct value *leaf = value_push(value_get(node, "kids"), value_map());
	value_set(leaf, "kids", value_list());
	check_too_deep(set, "tree", root, "templates/tree.mustache:1:19: error: partial 'tree' nested "
				    "more than 64 levels deep: does a template include itself?");
	value_free(root);
	tmpl_set_free(set);
}

/* Renders name with opts; it must fail with the one error want (NULL:
 * stop, with no error). Returns the seconds the render took. */
static double check_bounded(const struct tmpl_set *set, const char *name,
			    const struct value *data, const struct tmpl_render_opts *opts,
			    const char *want)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct buf out = BUF_INIT;
	BUF_PUTL(&out, "kept");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = tmpl_render_with(set, name, data, opts, &out, &diags);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK_INT(rc, want ? -1 : 1);
	CHECK_STR(out.ptr, "kept");
	CHECK_INT(diags.len, want ? 1 : 0);
	struct buf msg = BUF_INIT;
	if (diags.len)
		diag_format(&diags.items[0], &msg);
	if (want)
		CHECK_STR(msg.ptr, want);
	buf_free(&msg);
	buf_free(&out);
	diag_list_free(&diags);
	return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

/* Adds 30 partials b0..b29 that each include the next twice, around text
 * per, and b30 = leaf: 2^30 expansions, within the depth cap. */
static void add_bomb(struct tmpl_set *set, const char *per, const char *leaf)
{
	for (int i = 0; i < 30; i++) {
		char name[16], *text = xasprintf("%s{{>b%d}}{{>b%d}}", per, i + 1, i + 1);
		snprintf(name, sizeof name, "b%d", i);
		add(set, name, text);
		free(text);
	}
	add(set, "b30", leaf);
}

static void test_expansion_bounds(void)
{
	struct tmpl_set *set = tmpl_set_new();
	struct value *d = value_map();
	struct value *items = value_set(d, "items", value_list());
	for (int i = 0; i < 5; i++)
		value_push(items, value_string("ab"));
	add(set, "list", "<ul>\n{{#items}}<li>{{.}}</li>{{/items}}\n</ul>\n");
	/* "<ul>\n" is 5 bytes; each item adds 11: the third item's "<li>"
	 * passes 30. */
	struct tmpl_render_opts small = { .max_output = 30 };
	check_bounded(set, "list", d, &small, "templates/list.mustache:2:11: error: a rendered "
		      "page grows past 0 MiB here: a partial included several times by partials "
		      "that are themselves included several times multiplies the output; include "
		      "it less often");
	small.max_output = 5 + 5 * 11 + 7; /* the whole output */
	char *got = NULL;
	{
		struct diag_list diags;
		diag_list_init(&diags);
		struct buf out = BUF_INIT;
		CHECK_INT(tmpl_render_with(set, "list", d, &small, &out, &diags), 0);
		CHECK_INT(out.len, small.max_output); /* exactly at the bound is fine */
		got = buf_detach(&out);
		diag_list_free(&diags);
	}
	free(got);
	/* Each node rendered and each item repeated is a step: the ninth is
	 * the second item's "<li>", so the second value is one too many. */
	struct tmpl_render_opts few = { .max_steps = 9 };
	check_bounded(set, "list", d, &few, "templates/list.mustache:2:15: error: rendering one "
		      "page takes more than 9 steps here: a partial included several times by "
		      "partials that are themselves included several times multiplies the work; "
		      "include it less often");

	/* With the default bounds, 2^30 expansions end quickly in an error:
	 * at the output bound when the partials print, else at the step
	 * bound. */
	struct tmpl_set *bomb = tmpl_set_new();
	add_bomb(bomb, "<p>Forty bytes of text on every level.</p>\n", "leaf\n");
	double s = check_bounded(bomb, "b0", NULL, NULL, "templates/b28.mustache:1:1: error: a "
				 "rendered page grows past 64 MiB here: a partial included several "
				 "times by partials that are themselves included several times "
				 "multiplies the output; include it less often");
	CHECK(s < 5 * test_time_scale());
	tmpl_set_free(bomb);
	bomb = tmpl_set_new();
	add_bomb(bomb, "", "");
	s = check_bounded(bomb, "b0", NULL, NULL, "templates/b29.mustache:1:9: error: rendering "
			  "one page takes more than 16777216 steps here: a partial included "
			  "several times by partials that are themselves included several times "
			  "multiplies the work; include it less often");
	CHECK(s < 5 * test_time_scale());
	tmpl_set_free(bomb);
	value_free(d);
	tmpl_set_free(set);
}

static atomic_int stop_flag;

static void on_alarm(int sig)
{
	stop_flag = sig;
}

static void test_stop_request(void)
{
	struct tmpl_set *set = tmpl_set_new();
	add_bomb(set, "", "");
	/* A flag already set stops the render before its first node. */
	stop_flag = 1;
	struct tmpl_render_opts opts = { .stop = &stop_flag };
	check_bounded(set, "b0", NULL, &opts, NULL);
	/* A flag set by a signal while rendering stops it at once. Without the
	 * step bound this render takes minutes; the alarm comes after 50 ms. */
	stop_flag = 0;
	opts.max_steps = SIZE_MAX;
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	struct itimerval it = { .it_value = { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	double s = check_bounded(set, "b0", NULL, &opts, NULL);
	CHECK(stop_flag == SIGALRM);
	CHECK(s < 1);
	sigaction(SIGALRM, &old, NULL);
	tmpl_set_free(set);
}

/* Says "cancel" on its tenth question, as a build does once another
 * page has failed. */
static bool cancel_on_tenth(void *ctx)
{
	int *asked = ctx;
	return ++*asked >= 10;
}

static void test_cancel(void)
{
	struct tmpl_set *set = tmpl_set_new();
	add_bomb(set, "", "");
	int asked = 0;
	struct tmpl_render_opts opts = { .max_steps = SIZE_MAX, .cancelled = cancel_on_tenth,
					 .cancel_ctx = &asked };
	/* Without the step bound this render takes minutes; cancelled, it
	 * stops quietly (no diagnostic) after about ten thousand steps. */
	double s = check_bounded(set, "b0", NULL, &opts, NULL);
	CHECK_INT(asked, 10);
	CHECK(s < 1);
	tmpl_set_free(set);
}

static const char base_layout[] =
	"<!doctype html>\n"
	"<html lang=\"{{lang}}\">\n"
	"<head>\n"
	"  <title>{{$title}}{{site.title}}{{/title}}</title>\n"
	"</head>\n"
	"<body>\n"
	"  {{$content}}\n"
	"  <p>No content.</p>\n"
	"  {{/content}}\n"
	"  {{>footer}}\n"
	"</body>\n"
	"</html>\n";

static void test_layouts(void)
{
	struct tmpl_set *set = tmpl_set_new();
	add(set, "base", base_layout);
	add(set, "footer", "<footer>{{site.title}}</footer>\n");
	add(set, "page", "{{<base}}\n"
			 "{{$title}}{{page.title}} · {{site.title}}{{/title}}\n"
			 "{{$content}}\n"
			 "<article>\n"
			 "  {{{page.html}}}\n"
			 "</article>\n"
			 "{{/content}}\n"
			 "{{/base}}\n");
	add(set, "empty", "{{<base}}{{/base}}\n");
	/* Two levels: a section layout fills base's content and has a body
	 * block of its own, which the page fills. */
	add(set, "listing", "{{<base}}{{$content}}\n"
			    "<section>\n"
			    "  {{$body}}\n"
			    "  {{/body}}\n"
			    "</section>\n"
			    "{{/content}}{{/base}}\n");
	add(set, "projects", "{{<listing}}\n"
			     "  {{$body}}\n"
			     "  <ul>\n"
			     "  {{#pages}}\n"
			     "    <li>{{title}}</li>\n"
			     "  {{/pages}}\n"
			     "  </ul>\n"
			     "  {{/body}}\n"
			     "{{/listing}}\n");
	struct diag_list diags;
	diag_list_init(&diags);
	CHECK_INT(tmpl_set_check(set, &diags), 0);
	diag_list_free(&diags);

	struct value *d = value_map();
	value_set_str(d, "lang", "th");
	value_set_str(value_set(d, "site", value_map()), "title", "Sapan & Co");
	struct value *page = value_set(d, "page", value_map());
	value_set_str(page, "title", "หน้าแรก");
	value_set_str(page, "html", "<p>Hi</p>");
	struct value *pages = value_set(d, "pages", value_list());
	value_set_str(value_push(pages, value_map()), "title", "AUP I");
	value_set_str(value_push(pages, value_map()), "title", "AUP II");

	char *got = render(set, "page", d);
	CHECK_STR(got, "<!doctype html>\n"
		       "<html lang=\"th\">\n"
		       "<head>\n"
		       "  <title>หน้าแรก · Sapan &amp; Co</title>\n"
		       "</head>\n"
		       "<body>\n"
		       "  <article>\n"
		       "    <p>Hi</p>\n"
		       "  </article>\n"
		       "  <footer>Sapan &amp; Co</footer>\n"
		       "</body>\n"
		       "</html>\n");
	free(got);

	got = render(set, "empty", d);
	CHECK_STR(got, "<!doctype html>\n"
		       "<html lang=\"th\">\n"
		       "<head>\n"
		       "  <title>Sapan &amp; Co</title>\n"
		       "</head>\n"
		       "<body>\n"
		       "  <p>No content.</p>\n"
		       "  <footer>Sapan &amp; Co</footer>\n"
		       "</body>\n"
		       "</html>\n");
	free(got);

	got = render(set, "projects", d);
	CHECK_STR(got, "<!doctype html>\n"
		       "<html lang=\"th\">\n"
		       "<head>\n"
		       "  <title>Sapan &amp; Co</title>\n"
		       "</head>\n"
		       "<body>\n"
		       "  <section>\n"
		       "    <ul>\n"
		       "      <li>AUP I</li>\n"
		       "      <li>AUP II</li>\n"
		       "    </ul>\n"
		       "  </section>\n"
		       "  <footer>Sapan &amp; Co</footer>\n"
		       "</body>\n"
		       "</html>\n");
	free(got);

	/* Rendering leaves the set as it was: the same page renders again
	 * the same way. */
	char *again = render(set, "page", d);
	got = render(set, "page", d);
	CHECK_STR(got, again);
	free(got);
	free(again);
	value_free(d);
	tmpl_set_free(set);
}

static void test_dynamic_partials(void)
{
	struct tmpl_set *set = tmpl_set_new();
	add(set, "list", "{{#items}}{{>*kind}};{{/items}}");
	add(set, "text", "T:{{content}}");
	add(set, "image", "<img src=\"{{url}}\">");
	add(set, "1", "one");
	struct value *d = value_map();
	struct value *items = value_set(d, "items", value_list());
	struct value *a = value_push(items, value_map());
	value_set_str(a, "kind", "text");
	value_set_str(a, "content", "hello");
	struct value *b = value_push(items, value_map());
	value_set_str(b, "kind", "image");
	value_set_str(b, "url", "/a.jpg");
	struct value *c = value_push(items, value_map());
	value_set(c, "kind", value_number(1));
	struct value *e = value_push(items, value_map());
	value_set_str(e, "kind", "nothing-by-this-name");
	char *got = render(set, "list", d);
	CHECK_STR(got, "T:hello;<img src=\"/a.jpg\">;one;;");
	free(got);
	value_free(d);
	tmpl_set_free(set);
}

static void test_dynamic_parent(void)
{
	struct tmpl_set *set = tmpl_set_new();
	add(set, "wide", "<main class=wide>{{$body}}{{/body}}</main>");
	add(set, "narrow", "<main>{{$body}}{{/body}}</main>");
	add(set, "page", "{{<*layout}}{{$body}}{{text}}{{/body}}{{/*layout}}");
	struct value *d = value_map();
	value_set_str(d, "layout", "narrow");
	value_set_str(d, "text", "hi");
	char *got = render(set, "page", d);
	CHECK_STR(got, "<main>hi</main>");
	free(got);
	value_set_str(d, "layout", "wide");
	got = render(set, "page", d);
	CHECK_STR(got, "<main class=wide>hi</main>");
	free(got);
	value_free(d);
	tmpl_set_free(set);
	check_error("{{<*layout}}{{/layout}}", "templates/bad.mustache:1:13: error: closing tag "
					       "'layout' does not match parent '*layout' opened at "
					       "line 1, column 1");
}

static void test_standalone_lines(void)
{
	struct value *d = value_map();
	value_set_bool(d, "on", true);
	/* Tags that print nothing take their whole line with them... */
	check_render("a\n  {{#on}}\n  b\n  {{/on}}\n  {{! note }}\nc\n", d, "a\n  b\nc\n");
	/* ...but not when they share it with text or another tag. */
	check_render("a {{#on}}\nb{{/on}} c\n", d, "a \nb c\n");
	check_render("{{#on}}{{/on}}\nx", d, "\nx");
	/* "\r\n" ends a line as well as "\n" does. */
	check_render("a\r\n{{#on}}\r\nb\r\n{{/on}}\r\n", d, "a\r\nb\r\n");
	value_free(d);
}

TEST_LIST(T(test_escaping), T(test_scalars), T(test_context), T(test_partial_indentation),
	  T(test_syntax_errors), T(test_nesting_cap), T(test_failed_add_keeps_old),
	  T(test_missing_template), T(test_check_missing_partials), T(test_depth_limit),
	  T(test_layouts), T(test_dynamic_partials), T(test_dynamic_parent),
	  T(test_standalone_lines), T(test_expansion_bounds), T(test_stop_request),
	  T(test_cancel));

TEST_MAIN()
