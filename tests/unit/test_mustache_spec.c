/* SPDX-License-Identifier: MIT */
/*
 * The Mustache specification conformance test: runs every case of the
 * spec's YAML files through tmpl and reports each failure by file and case
 * name, with what was expected and what came out. Each case counts as one
 * test in the closing "N passed, N failed" line.
 *
 * The spec is read in place from $MUSTACHE_SPEC_DIR or, by default,
 * ../shared/mustache-spec relative to the current directory (tests run from
 * the repository root). Without it the test is skipped, not failed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "tmpl.h"
#include "util.h"
#include "value.h"
#include "yaml_value.h"
#include "ynode.h"

#define DEFAULT_SPEC_DIR "../shared/mustache-spec"

/* The name the case's own template gets in the set; the spec's partial
 * names are words, so it cannot collide with one. */
#define MAIN_NAME "(template)"

struct tally {
	int passed, failed;
};

/* Prints s quoted, with newlines, returns and tabs made visible. */
static void show(const char *label, const char *s)
{
	printf("    %-9s \"", label);
	for (; *s; s++) {
		switch (*s) {
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case '"': fputs("\\\"", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		default: putchar(*s); break;
		}
	}
	puts("\"");
}

static void print_diags(const struct diag_list *diags)
{
	for (size_t i = 0; i < diags->len; i++) {
		struct buf line = BUF_INIT;
		diag_format(&diags->items[i], &line);
		printf("    %s\n", line.ptr);
		buf_free(&line);
	}
}

static const char *scalar(const struct ynode *map, const char *key)
{
	const struct ynode *n = ynode_get(map, key);
	return n && n->kind == YNODE_SCALAR ? n->text : NULL;
}

/* Runs one test case; returns true when it passes. */
static bool run_case(const char *file, const struct ynode *tc)
{
	const char *name = scalar(tc, "name");
	const char *template = scalar(tc, "template");
	const char *expected = scalar(tc, "expected");
	const struct ynode *data = ynode_get(tc, "data");
	const struct ynode *partials = ynode_get(tc, "partials");
	if (!name)
		name = "(unnamed)";
	if (!template || !expected) {
		printf("FAIL %s: %s: the case has no template or expected output\n", file, name);
		return false;
	}

	struct diag_list diags;
	diag_list_init(&diags);
	struct tmpl_set *set = tmpl_set_new();
	struct value *root = data ? yaml_value_from_ynode(data) : value_null();
	struct buf out = BUF_INIT;
	char *where = xasprintf("%s: %s", file, name);
	bool ok = tmpl_set_add(set, MAIN_NAME, where, template, strlen(template), &diags) == 0;
	for (size_t i = 0; ok && partials && partials->kind == YNODE_MAP && i < partials->len; i++) {
		const struct ynode *p = partials->items[i];
		const char *pname = partials->keys[i]->text;
		if (p->kind != YNODE_SCALAR)
			continue;
		char *pwhere = xasprintf("%s: partial %s", where, pname);
		ok = tmpl_set_add(set, pname, pwhere, p->text, p->text_len, &diags) == 0;
		free(pwhere);
	}
	if (ok)
		ok = tmpl_render(set, MAIN_NAME, root, &out, &diags) == 0;
	bool pass = ok && strcmp(out.ptr, expected) == 0;
	if (!pass) {
		printf("FAIL %s: %s\n", file, name);
		show("template", template);
		show("expected", expected);
		if (ok)
			show("got", out.ptr);
		print_diags(&diags);
	}
	free(where);
	buf_free(&out);
	value_free(root);
	tmpl_set_free(set);
	diag_list_free(&diags);
	return pass;
}

/* Reads a whole file into out. Returns 0, or -1 with errno set. */
static int read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(out, chunk, n);
	int rc = ferror(f) ? -1 : 0;
	fclose(f);
	return rc;
}

/* Runs every case of one spec file; a file that cannot be read or parsed
 * counts as one failure. */
static void run_file(const char *dir, const char *file, struct tally *tally)
{
	char *path = xasprintf("%s/%s", dir, file);
	struct buf text = BUF_INIT;
	struct diag_list diags;
	diag_list_init(&diags);
	struct ynode *root = NULL;
	if (read_file(path, &text)) {
		printf("FAIL %s: cannot read %s\n", file, path);
		tally->failed++;
		goto out;
	}
	struct ynode_source src = { text.ptr, text.len, path, 1 };
	root = ynode_parse(&src, &diags);
	const struct ynode *tests = root ? ynode_get(root, "tests") : NULL;
	if (!tests || tests->kind != YNODE_SEQ) {
		printf("FAIL %s: not a spec file (no list of tests)\n", file);
		print_diags(&diags);
		tally->failed++;
		goto out;
	}
	for (size_t i = 0; i < tests->len; i++) {
		if (run_case(file, tests->items[i]))
			tally->passed++;
		else
			tally->failed++;
	}
out:
	ynode_free(root);
	diag_list_free(&diags);
	buf_free(&text);
	free(path);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	if (!dir || !*dir)
		dir = DEFAULT_SPEC_DIR;
	DIR *d = opendir(dir);
	if (!d) {
		printf("mustache spec not found in %s: conformance test skipped "
		       "(set MUSTACHE_SPEC_DIR to run it)\n",
		       dir);
		printf("0 passed, 0 failed\n");
		return 0;
	}
	char **names = NULL;
	size_t len = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!str_has_suffix(e->d_name, ".yml"))
			continue;
		/* Lambdas need a host-language evaluator, which sapan has not. */
		if (str_has_prefix(e->d_name, "~lambdas")) {
			printf("skipping %s: lambdas are not supported\n", e->d_name);
			continue;
		}
		names = xgrow(names, &cap, len + 1, sizeof *names);
		names[len++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (len)
		qsort(names, len, sizeof *names, compare_names);

	struct tally tally = { 0, 0 };
	for (size_t i = 0; i < len; i++) {
		struct tally before = tally;
		run_file(dir, names[i], &tally);
		printf("%-22s %d passed, %d failed\n", names[i], tally.passed - before.passed,
		       tally.failed - before.failed);
		free(names[i]);
	}
	free(names);
	if (len == 0)
		printf("no .yml files in %s\n", dir);
	printf("%d passed, %d failed\n", tally.passed, tally.failed);
	return tally.failed ? 1 : 0;
}
