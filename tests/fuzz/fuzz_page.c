/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the whole page pipeline on one Markdown file: the bytes are
 * decoded (source_decode), split into front matter and body
 * (frontmatter_parse), the body is rendered (markdown_render) with a link
 * callback that rewrites links to .md pages into their folder URLs as the
 * site module does, and the page's fields go through a small layout
 * (tmpl_render) into one HTML page.
 *
 * Invariants, beyond those of each stage's diagnostics: the link callback
 * runs once per link the result counts, at a position inside the file; the
 * render fails exactly when a link could not be resolved; the layout always
 * renders; the HTML is UTF-8 and holds no javascript: or vbscript: link.
 * Each page is rendered twice: in safe mode and with markdown.unsafe_html,
 * where raw HTML passes through the script URL filter.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "frontmatter.h"
#include "fuzz.h"
#include "htmlscan.h"
#include "markdown.h"
#include "source.h"
#include "tmpl.h"
#include "url.h"
#include "value.h"

#define FILE_NAME "content/en/projects/fuzz.md"
#define PAGE_DIR "en/projects"      /* the page's content-relative folder */
#define PAGE_URL "en/projects/fuzz/" /* its output folder */

static const char layout[] =
	"<!DOCTYPE html>\n<html lang=\"{{lang}}\">\n<head><title>{{title}}</title>\n"
	"<meta name=\"description\" content=\"{{description}}\"></head>\n<body>\n"
	"<main>\n<h1>{{title}}</h1>\n{{#summary}}<p class=\"summary\">{{.}}</p>{{/summary}}\n"
	"{{#facts.0}}<dl>{{#facts}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/facts}}</dl>{{/facts.0}}\n"
	"{{#donors.0}}<ul>{{#donors}}<li>{{.}}</li>{{/donors}}</ul>{{/donors.0}}\n"
	"{{{body}}}\n{{>resources}}</main>\n</body>\n</html>\n";
static const char resources[] =
	"{{#resources.0}}<aside><h2>Resources</h2><ul>\n{{#resources}}"
	"<li>{{title}}{{#target}} <a href=\"{{.}}\">link</a>{{/target}}</li>\n"
	"{{/resources}}</ul></aside>{{/resources.0}}";

struct link_ctx {
	unsigned first_line, last_line; /* lines of the file the body spans */
	size_t calls, failures;
	struct diag_list *diags;
};

/* Rewrites a link as site.c does for pages: "other.md" and "dir/" (its
 * _index.md) become the page's folder URL relative to this page; other
 * relative paths become the file's path relative to this page; external
 * links and fragments stay. A path that climbs out of content/ fails. */
static int resolve(void *opaque, const char *url, unsigned line, unsigned col, struct buf *out)
{
	struct link_ctx *ctx = opaque;
	ctx->calls++;
	FUZZ_REQUIRE(line >= ctx->first_line && line <= ctx->last_line && col >= 1,
		     "a link's position is inside the body");
	if (!*url || url[0] == '#' || url[0] == '?' || url_is_external(url)) {
		buf_puts(out, url);
		return 0;
	}
	size_t path_len = strcspn(url, "#?");
	char *path = xstrndup(url, path_len);
	char *rel = url_resolve_path(PAGE_DIR, path);
	if (!rel) {
		diag_error(ctx->diags, FILE_NAME, line, col,
			   "link target '%s' leads outside the content folder", path);
		ctx->failures++;
		free(path);
		return -1;
	}
	char *target;
	if (str_has_suffix(rel, "/_index.md"))
		target = xstrndup(rel, strlen(rel) - strlen("_index.md"));
	else if (str_has_suffix(rel, ".md"))
		target = xasprintf("%.*s/", (int)(strlen(rel) - 3), rel);
	else
		target = url_encode_path(rel);
	char *relative = url_relative(PAGE_URL, target);
	buf_puts(out, relative);
	buf_puts(out, url + path_len);
	free(relative);
	free(target);
	free(rel);
	free(path);
	return 0;
}

/* True if a double-quoted href or src attribute of html starts with a
 * script scheme: a check independent of the scanner markdown.c uses. (Text
 * holds '"' only as &quot;, so text never matches.) */
static bool has_script_link(const char *html)
{
	static const char *const attrs[] = { "href=\"", "src=\"" };
	static const char *const schemes[] = { "javascript:", "vbscript:" };
	for (const char *p = html; *p; p++) {
		for (size_t a = 0; a < 2; a++) {
			size_t n = strlen(attrs[a]);
			if (strncasecmp(p, attrs[a], n) != 0)
				continue;
			const char *v = p + n;
			while (*v && (unsigned char)*v <= ' ')
				v++;
			for (size_t s = 0; s < 2; s++) {
				if (strncasecmp(v, schemes[s], strlen(schemes[s])) == 0)
					return true;
			}
		}
	}
	return false;
}

static unsigned count_lines(const char *s, size_t len)
{
	unsigned n = 1;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

/* The template data of a page, as the view module gives a layout. */
static struct value *page_data(const struct front_matter *fm, const struct markdown_result *md)
{
	struct value *page = value_map();
	value_set_str(page, "lang", "en");
	value_set_str(page, "title", fm->title);
	value_set_str(page, "summary", fm->summary);
	value_set_str(page, "description", fm->summary ? fm->summary : md->first_paragraph_text);
	value_set_str(page, "kind", frontmatter_kind_name(fm->kind));
	struct value *facts = value_set(page, "facts", value_list());
	const char *labels[] = { "Period", "Location" };
	const char *values[] = { fm->period, fm->location };
	for (size_t i = 0; i < 2; i++) {
		if (!values[i])
			continue;
		struct value *fact = value_push(facts, value_map());
		value_set_str(fact, "label", labels[i]);
		value_set_str(fact, "value", values[i]);
	}
	struct value *donors = value_set(page, "donors", value_list());
	for (size_t i = 0; i < fm->ndonors; i++)
		value_push(donors, value_string(fm->donors[i]));
	struct value *res = value_set(page, "resources", value_list());
	for (size_t i = 0; i < fm->nresources; i++) {
		struct value *r = value_push(res, value_map());
		value_set_str(r, "title", fm->resources[i].title);
		value_set_str(r, "target", fm->resources[i].target);
	}
	value_set_str(page, "body", md->html);
	return page;
}

/* Renders the page through the layout and checks the HTML. */
static void render_page(const struct front_matter *fm, const struct markdown_result *md,
			bool unsafe)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct tmpl_set *set = tmpl_set_new();
	int rc = tmpl_set_add(set, "page", "page.mustache", layout, sizeof layout - 1, &diags);
	rc |= tmpl_set_add(set, "resources", "resources.mustache", resources,
			   sizeof resources - 1, &diags);
	FUZZ_REQUIRE(rc == 0 && tmpl_set_check(set, &diags) == 0, "the layout is valid");
	struct value *data = page_data(fm, md);
	struct buf html = BUF_INIT;
	rc = tmpl_render(set, "page", data, &html, &diags);
	fuzz_check_diags(rc, &diags);
	FUZZ_REQUIRE(rc == 0, "a parsed page always renders");
	FUZZ_REQUIRE(strstr(html.ptr, md->html) != NULL, "the page holds its body");
	FUZZ_REQUIRE(utf8_valid(html.ptr, html.len), "the page is UTF-8");
	/* Raw HTML may say anything in its text, so with unsafe_html only the
	 * markup is clean, which the caller checks on the body with the
	 * tokenizer (the layout holds it inside <main>, plain HTML). */
	if (!unsafe)
		FUZZ_REQUIRE(!has_script_link(html.ptr), "the page has no script link");
	buf_free(&html);
	value_free(data);
	tmpl_set_free(set);
	diag_list_free(&diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct source src;
	struct front_matter fm;
	if (source_decode(FILE_NAME, (const char *)data, size, &src, &diags) ||
	    frontmatter_parse(FILE_NAME, src.text, src.len, &fm, &diags)) {
		fuzz_check_diags(-1, &diags);
		source_free(&src);
		diag_list_free(&diags);
		return 0;
	}
	fuzz_check_diags(0, &diags);

	/* Both modes: safe (raw HTML omitted) and markdown.unsafe_html. */
	for (int unsafe = 0; unsafe < 2; unsafe++) {
		struct diag_list md_diags;
		diag_list_init(&md_diags);
		struct link_ctx ctx = { fm.body_line, count_lines(src.text, src.len), 0, 0,
					&md_diags };
		struct markdown_options opts = {
			.file = FILE_NAME,
			.first_line = fm.body_line,
			.unsafe_html = unsafe,
			.resolve = resolve,
			.resolve_ctx = &ctx,
		};
		struct markdown_result md;
		int rc = markdown_render(fm.body, fm.body_len, &opts, &md, &md_diags);
		fuzz_check_diags(rc, &md_diags);
		FUZZ_REQUIRE((rc != 0) == (ctx.failures != 0), "the render fails when a link fails");
		FUZZ_REQUIRE(ctx.calls == md.link_count, "the callback runs once per link");
		FUZZ_REQUIRE(utf8_valid(md.html, strlen(md.html)), "the body is UTF-8");
		FUZZ_REQUIRE(!htmlscan_has_script_url(md.html, strlen(md.html)),
			     "the body holds no script URL, whatever the raw HTML");
		render_page(&fm, &md, unsafe);
		markdown_result_free(&md);
		diag_list_free(&md_diags);
	}

	frontmatter_free(&fm);
	source_free(&src);
	diag_list_free(&diags);
	return 0;
}
