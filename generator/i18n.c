/* SPDX-License-Identifier: MIT */
#include "i18n.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "source.h"
#include "ynode.h"

struct lang {
	char *code;
	char *path;          /* dir/<code>.yaml, for diagnostics */
	struct value *table; /* VALUE_MAP of strings, in file order */
	struct hmap index;   /* key -> struct value * in table (not owned) */
	bool loaded;         /* false if the file had errors */
};

struct i18n {
	struct lang *langs;
	size_t n;
};

/*
 * The UI strings sapan's own code reads (view.c) and the default templates
 * use as {{t.key}}: the one list of them. Each language file must have
 * every one, so that no page shows a blank where a word belongs, even when
 * a string is missing from every language at once. tests/e2e/inputs.sh
 * keeps this list in step with templates/ and view.c.
 */
const char *const i18n_required_keys[] = {
	/* read by the generator */
	"og_locale", "not_available", "archive_nav", "archive_title", "archive_intro",
	"publications_nav", "publications_title", "publications_intro",
	"status_active", "status_inactive", "kind_page", "kind_project", "kind_infosheet",
	"kind_news",
	"moved",
	/* used by the default templates */
	"skip_to_content", "menu", "language", "home", "resources", "kind", "status",
	"period", "location", "donors", "published", "previous_phase", "next_phase", "projects",
	"no_projects", "infosheets", "no_infosheets", "home_all", "archive_empty", "choose_language",
	"not_found_title", "not_found_text", "updated", "news", "all_news", "contact",
	"other_sites", "pages", "page", "previous_page", "next_page", "publications_empty",
	"publications_listed_on", "offline_copy", "search", "search_label", "search_title",
	"search_found_one", "search_found", "search_none", "search_failed", "search_more",
	"search_noscript", "search_site_index", "search_all", "search_offline",
};
const size_t i18n_nrequired = sizeof i18n_required_keys / sizeof *i18n_required_keys;

static bool is_required(const char *key)
{
	for (size_t i = 0; i < i18n_nrequired; i++) {
		if (strcmp(i18n_required_keys[i], key) == 0)
			return true;
	}
	return false;
}

static bool is_language_key(const struct i18n *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++) {
		if (strncmp(key, "language_", 9) == 0 && strcmp(key + 9, t->langs[i].code) == 0)
			return true;
	}
	return false;
}

void i18n_free(struct i18n *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->langs[i].code);
		free(t->langs[i].path);
		value_free(t->langs[i].table);
		hmap_free(&t->langs[i].index);
	}
	free(t->langs);
	free(t);
}

/*
 * Fills lang->table from the mapping at root, reporting every entry that is
 * not text. Any non-null scalar counts as text, quoted or not: a label
 * such as "2" or "No" is a word on the page, not a number or a boolean.
 * Returns 0, or -1 if anything was reported.
 */
static int fill_table(struct lang *lang, const struct ynode *root, struct diag_list *diags)
{
	if (root->kind != YNODE_MAP) {
		diag_error(diags, lang->path, root->line, root->col,
			   "expected a mapping of key: text, got %s", ynode_kind_name(root));
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < root->len; i++) {
		const struct ynode *key = root->keys[i], *val = root->items[i];
		if (val->kind != YNODE_SCALAR || ynode_is_null(val)) {
			diag_error(diags, lang->path, val->line, val->col,
				   "'%s' must be text, got %s", key->text, ynode_kind_name(val));
			rc = -1;
			continue;
		}
		/* ynode refused duplicate keys, so each key is new here. */
		struct value *s = value_append(lang->table, key->text,
					       value_stringn(val->text, val->text_len));
		hmap_put(&lang->index, key->text, s);
	}
	return rc;
}

/* Reads and parses lang->path into lang->table. Returns 0, or -1 after
 * adding errors to diags. */
static int load_lang(struct lang *lang, struct diag_list *diags)
{
	struct source src;
	if (source_read(lang->path, &src, diags))
		return -1;
	const struct ynode_source ys = {
		.text = src.text,
		.len = src.len,
		.file = lang->path,
		.first_line = 1,
	};
	struct ynode *root = ynode_parse(&ys, diags);
	int rc = root ? fill_table(lang, root, diags) : -1;
	ynode_free(root);
	source_free(&src);
	return rc;
}

/*
 * Reports key if a loaded language lacks it, naming a file that has it, or
 * saying that none does. Returns 0, or -1 if anything was reported. The
 * required keys are i18n_required_keys and language_<code> for each
 * language of the site.
 */
static int check_key(const struct i18n *t, const char *key, struct diag_list *diags)
{
	int rc = 0;
	const struct lang *have = NULL;
	for (size_t i = 0; i < t->n && !have; i++) {
		if (t->langs[i].loaded && hmap_get(&t->langs[i].index, key))
			have = &t->langs[i];
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct lang *lang = &t->langs[i];
		if (!lang->loaded || hmap_get(&lang->index, key))
			continue;
		if (have)
			diag_error(diags, lang->path, 0, 0, "missing key '%s' (present in %s)", key,
				   have->path);
		else
			diag_error(diags, lang->path, 0, 0,
				   "missing key '%s', a UI string sapan and the templates "
				   "need; add a line '%s: \"...\"' in this language",
				   key, key);
		rc = -1;
	}
	return rc;
}

static int check_required(const struct i18n *t, struct diag_list *diags)
{
	int rc = 0;
	for (size_t k = 0; k < i18n_nrequired; k++)
		rc |= check_key(t, i18n_required_keys[k], diags);
	/* Every language's name, as written in each language. */
	for (size_t i = 0; i < t->n; i++) {
		char *key = i18n_language_key(t->langs[i].code);
		rc |= check_key(t, key, diags);
		free(key);
	}
	return rc;
}

char *i18n_language_key(const char *code)
{
	return xasprintf("language_%s", code);
}

/*
 * Reports each key that one loaded language has and another lacks, once
 * per file that lacks it, naming the first file that has it. Languages
 * whose file failed are left out: their missing keys would only repeat
 * the error already given. Returns 0, or -1 if anything was reported.
 */
static int check_keys(const struct i18n *t, struct diag_list *diags)
{
	int rc = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct lang *have = &t->langs[i];
		if (!have->loaded)
			continue;
		for (size_t k = 0; k < have->table->as.map.len; k++) {
			const char *key = have->table->as.map.keys[k];
			bool seen_before = false;
			for (size_t j = 0; j < i && !seen_before; j++) {
				const struct lang *earlier = &t->langs[j];
				seen_before = earlier->loaded && hmap_get(&earlier->index, key);
			}
			if (seen_before || is_required(key) || is_language_key(t, key))
				continue; /* reported already */
			for (size_t j = 0; j < t->n; j++) {
				const struct lang *other = &t->langs[j];
				if (j == i || !other->loaded || hmap_get(&other->index, key))
					continue;
				diag_error(diags, other->path, 0, 0,
					   "missing key '%s' (present in %s)", key, have->path);
				rc = -1;
			}
		}
	}
	return rc;
}

struct i18n *i18n_load(const char *dir, const char *const *codes, size_t n,
		       struct diag_list *diags)
{
	struct i18n *t = xcalloc(1, sizeof *t);
	t->langs = xcalloc(n, sizeof *t->langs);
	t->n = n;
	size_t dir_len = strlen(dir);
	const char *sep = dir_len == 0 || dir[dir_len - 1] == '/' ? "" : "/";
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		struct lang *lang = &t->langs[i];
		lang->code = xstrdup(codes[i]);
		lang->path = xasprintf("%s%s%s.yaml", dir, sep, codes[i]);
		lang->table = value_map();
		hmap_init(&lang->index);
		lang->loaded = load_lang(lang, diags) == 0;
		ok = ok && lang->loaded;
	}
	if (check_required(t, diags))
		ok = false;
	if (check_keys(t, diags))
		ok = false;
	if (!ok) {
		i18n_free(t);
		return NULL;
	}
	return t;
}

static const struct lang *find_lang(const struct i18n *t, const char *code)
{
	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->langs[i].code, code) == 0)
			return &t->langs[i];
	}
	return NULL;
}

const char *i18n_get(const struct i18n *t, const char *code, const char *key)
{
	const struct lang *lang = find_lang(t, code);
	const struct value *v = lang ? hmap_get(&lang->index, key) : NULL;
	return v ? v->as.str.ptr : NULL;
}

const struct value *i18n_table(const struct i18n *t, const char *code)
{
	const struct lang *lang = find_lang(t, code);
	return lang ? lang->table : NULL;
}
