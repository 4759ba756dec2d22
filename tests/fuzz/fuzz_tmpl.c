/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the Mustache engine with a template and its data. The input is
 *
 *     template NUL partial NUL data
 *
 * where the template is added as "main", the partial as "p", and the data
 * is a YAML document (JSON is YAML too) turned into template data as the
 * spec test does. Missing parts are empty. A few fixed partials are in the
 * set as well, so inputs can include them: "item", "list", "base" (a parent
 * with blocks) and "tree" (recursive over "children").
 *
 * Invariants: a syntax error is one positioned error and leaves the set
 * as it was; tmpl_set_check reports as many errors as it says; a render
 * that fails leaves the output as it was and says why, one that succeeds
 * says nothing; UTF-8 templates and data give UTF-8 output.
 */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "source.h"
#include "tmpl.h"
#include "yaml_value.h"
#include "ynode.h"

/* Output can grow exponentially with sections nested over one list
 * ({{#l}}{{#l}}{{#l}}...), which is Mustache working as specified, not a
 * bug; inputs whose estimated output passes this many bytes are skipped so
 * that such inputs are not reported as timeouts. */
#define WORK_BUDGET ((size_t)1 << 22)

static const struct {
	const char *name, *text;
} fixed[] = {
	{ "item", "<li>{{title}}{{#url}} <a href=\"{{url}}\">{{.}}</a>{{/url}}</li>\n" },
	{ "list", "{{#items.0}}<ul>\n{{#items}}\n{{>item}}\n{{/items}}\n</ul>{{/items.0}}\n" },
	{ "base", "<main>{{$body}}default{{/body}}</main>{{$foot}}{{/foot}}\n" },
	{ "tree", "{{name}}{{#children}}({{>tree}}){{/children}}" },
};
#define NFIXED (sizeof fixed / sizeof *fixed)

struct part {
	const char *ptr;
	size_t len;
};

/* Splits the input at its first two NUL bytes. */
static void split(const uint8_t *data, size_t size, struct part parts[3])
{
	const char *p = (const char *)data, *end = p + size;
	for (int i = 0; i < 3; i++) {
		const char *nul = i < 2 ? memchr(p, '\0', (size_t)(end - p)) : NULL;
		const char *stop = nul ? nul : end;
		parts[i] = (struct part){ p, (size_t)(stop - p) };
		p = nul ? nul + 1 : end;
	}
}

static size_t count_sections(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '#' || s[i] == '^';
	return n;
}

/* The longest list anywhere in v, and whether every string is UTF-8. */
static void survey(const struct value *v, size_t *longest, bool *utf8)
{
	switch (v->kind) {
	case VALUE_STRING:
		*utf8 = *utf8 && utf8_valid(v->as.str.ptr, v->as.str.len);
		break;
	case VALUE_LIST:
		if (v->as.list.len > *longest)
			*longest = v->as.list.len;
		for (size_t i = 0; i < v->as.list.len; i++)
			survey(v->as.list.items[i], longest, utf8);
		break;
	case VALUE_MAP:
		for (size_t i = 0; i < v->as.map.len; i++)
			survey(v->as.map.vals[i], longest, utf8);
		break;
	case VALUE_NULL:
	case VALUE_BOOL:
	case VALUE_NUMBER:
		break;
	}
}

/* An estimate of the output size: every section may run once per item of
 * the longest list, nested. */
static bool within_budget(size_t size, size_t sections, size_t longest)
{
	size_t work = size + 1;
	for (size_t i = 0; i < sections && longest > 1; i++) {
		if (work > WORK_BUDGET / longest)
			return false;
		work *= longest;
	}
	return true;
}

/* Adds one template; a syntax error must be exactly one positioned error
 * and must leave the set without the template. */
static void add(struct tmpl_set *set, const char *name, struct part text)
{
	struct diag_list diags;
	diag_list_init(&diags);
	bool had = tmpl_set_has(set, name);
	int rc = tmpl_set_add(set, name, name, text.ptr, text.len, &diags);
	fuzz_check_diags(rc, &diags);
	if (rc) {
		FUZZ_REQUIRE(diags.len == 1, "a syntax error is reported once");
		FUZZ_REQUIRE(diags.items[0].line >= 1 && diags.items[0].col >= 1,
			     "a syntax error has a line and column");
		FUZZ_REQUIRE(tmpl_set_has(set, name) == had, "a failed add leaves the set");
	} else {
		FUZZ_REQUIRE(tmpl_set_has(set, name), "an added template is in the set");
	}
	diag_list_free(&diags);
}

/* Builds the set and renders every entry point with root as the data;
 * utf8 says whether the templates and the data are all UTF-8. */
static void render_all(struct part parts[3], const struct value *root, bool utf8)
{
	struct tmpl_set *set = tmpl_set_new();
	for (size_t i = 0; i < NFIXED; i++)
		add(set, fixed[i].name, (struct part){ fixed[i].text, strlen(fixed[i].text) });
	add(set, "main", parts[0]);
	add(set, "p", parts[1]);

	struct diag_list check;
	diag_list_init(&check);
	size_t missing = tmpl_set_check(set, &check);
	FUZZ_REQUIRE(missing == check.errors && missing == check.len,
		     "tmpl_set_check counts the errors it adds");
	fuzz_check_diags(missing ? -1 : 0, &check);
	diag_list_free(&check);

	static const char *const names[] = { "main", "p", "base" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		struct diag_list diags;
		diag_list_init(&diags);
		struct buf out = BUF_INIT;
		BUF_PUTL(&out, "before:");
		int rc = tmpl_render(set, names[i], root, &out, &diags);
		fuzz_check_diags(rc, &diags);
		if (rc)
			FUZZ_REQUIRE(strcmp(out.ptr, "before:") == 0,
				     "a failed render leaves the output as it was");
		else if (utf8)
			FUZZ_REQUIRE(utf8_valid(out.ptr, out.len), "UTF-8 in, UTF-8 out");
		buf_free(&out);
		diag_list_free(&diags);
	}
	tmpl_set_free(set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct part parts[3];
	split(data, size, parts);

	struct diag_list diags;
	diag_list_init(&diags);
	struct ynode_source ys = { parts[2].ptr, parts[2].len, "data.yaml", 1 };
	struct ynode *doc = ynode_parse(&ys, &diags);
	fuzz_check_diags(doc ? 0 : -1, &diags);
	struct value *root = doc ? yaml_value_from_ynode(doc) : value_null();
	ynode_free(doc);
	diag_list_free(&diags);

	size_t longest = 0, sections = 0;
	bool utf8 = true, includes = false;
	survey(root, &longest, &utf8);
	for (int i = 0; i < 2; i++) {
		sections += count_sections(parts[i].ptr, parts[i].len);
		utf8 = utf8 && utf8_valid(parts[i].ptr, parts[i].len);
		includes = includes || memchr(parts[i].ptr, '>', parts[i].len) ||
			   memchr(parts[i].ptr, '<', parts[i].len);
	}
	for (size_t i = 0; includes && i < NFIXED; i++)
		sections += count_sections(fixed[i].text, strlen(fixed[i].text));
	if (within_budget(size, sections, longest))
		render_all(parts, root, utf8);
	value_free(root);
	return 0;
}
