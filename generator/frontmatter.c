/* SPDX-License-Identifier: MIT */
#include "frontmatter.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "util.h"
#include "ynode.h"

static const char *const known_keys[] = {
	"title", "summary", "kind", "status", "period", "location", "donors", "date",
	"weight", "draft", "previous_phase", "resources", "translation_key", "layout", "menu",
	"menu_title", "updated", "aliases",
};
#define NKEYS (sizeof known_keys / sizeof *known_keys)

const char *frontmatter_kind_name(enum page_kind kind)
{
	switch (kind) {
	case PAGE_KIND_PROJECT: return "project";
	case PAGE_KIND_INFOSHEET: return "infosheet";
	case PAGE_KIND_NEWS: return "news";
	case PAGE_KIND_PAGE: break;
	}
	return "page";
}

static void free_resource(struct fm_resource *r)
{
	free(r->title);
	free(r->target);
	for (size_t i = 0; i < r->nfiles; i++) {
		free(r->files[i].lang);
		free(r->files[i].path);
	}
	free(r->files);
}

void frontmatter_free(struct front_matter *fm)
{
	free(fm->title);
	free(fm->menu_title);
	free(fm->summary);
	free(fm->period);
	free(fm->location);
	for (size_t i = 0; i < fm->ndonors; i++)
		free(fm->donors[i]);
	free(fm->donors);
	free(fm->previous_phase);
	for (size_t i = 0; i < fm->nresources; i++)
		free_resource(&fm->resources[i]);
	free(fm->resources);
	free(fm->translation_key);
	free(fm->layout);
	for (size_t i = 0; i < fm->naliases; i++)
		free(fm->aliases[i]);
	free(fm->aliases);
	free(fm->alias_pos);
	memset(fm, 0, sizeof *fm);
}

/* Edit distance, for "did you mean"; keys are short, so O(n*m) is nothing. */
static size_t distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 40 || m > 40)
		return (size_t)-1;
	size_t row[41];
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[m];
}

static const char *nearest_key(const char *key)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < NKEYS; i++) {
		size_t d = distance(key, known_keys[i]);
		if (d < best_d) {
			best_d = d;
			best = known_keys[i];
		}
	}
	/* Beyond a third of the word, a suggestion is more noise than help. */
	return best_d <= 1 + strlen(key) / 3 ? best : NULL;
}

/* Finds the line that closes the front matter. Returns its offset or -1. */
static long find_close(const char *text, size_t len, size_t from, unsigned *line)
{
	size_t i = from;
	while (i < len) {
		size_t end = i;
		while (end < len && text[end] != '\n')
			end++;
		size_t e = end;
		while (e > i && (text[e - 1] == ' ' || text[e - 1] == '\t'))
			e--;
		if ((e - i == 3 && (memcmp(text + i, "---", 3) == 0 || memcmp(text + i, "...", 3) == 0)))
			return (long)i;
		(*line)++;
		i = end + 1;
	}
	return -1;
}

struct ctx {
	const char *file;
	struct diag_list *diags;
	int rc;
};

static void fail_at(struct ctx *c, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail_at(struct ctx *c, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(c->diags, DIAG_ERROR, c->file, n->line, n->col, fmt, ap);
	va_end(ap);
	c->rc = -1;
}

/* Returns a copy of the node's text, NULL for an empty value, or NULL with
 * an error for a list or mapping. */
static char *text_of(struct ctx *c, const struct ynode *n, const char *key)
{
	if (ynode_is_null(n))
		return NULL;
	const char *t = ynode_text(n, c->file, key, c->diags);
	if (!t) {
		c->rc = -1;
		return NULL;
	}
	return xstrdup(t);
}

static void read_donors(struct ctx *c, const struct ynode *n, struct front_matter *fm)
{
	if (ynode_is_null(n))
		return;
	if (n->kind != YNODE_SEQ) {
		diag_error(c->diags, c->file, n->line, n->col,
			   "'donors' must be a list, not %s (write each donor on its own line, "
			   "starting with '- ')", ynode_kind_name(n));
		c->rc = -1;
		return;
	}
	fm->donors = xcalloc(n->len, sizeof *fm->donors);
	for (size_t i = 0; i < n->len; i++) {
		char *d = text_of(c, n->items[i], "donors");
		if (d)
			fm->donors[fm->ndonors++] = d;
	}
}

static void read_aliases(struct ctx *c, const struct ynode *n, struct front_matter *fm)
{
	if (ynode_is_null(n))
		return;
	if (n->kind != YNODE_SEQ) {
		fail_at(c, n, "'aliases' must be a list of old addresses, one per line starting "
			      "with '- ', e.g. '- /en/old-name/'");
		return;
	}
	if (n->len > FM_ALIASES_MAX) {
		fail_at(c, n->items[FM_ALIASES_MAX], "a page may have at most %d aliases",
			FM_ALIASES_MAX);
		return;
	}
	fm->aliases = xcalloc(n->len ? n->len : 1, sizeof *fm->aliases);
	fm->alias_pos = xcalloc(n->len ? n->len : 1, sizeof *fm->alias_pos);
	for (size_t i = 0; i < n->len; i++) {
		char *a = text_of(c, n->items[i], "aliases");
		if (!a) {
			if (ynode_is_null(n->items[i]))
				fail_at(c, n->items[i], "an alias must not be empty");
			continue;
		}
		fm->alias_pos[fm->naliases] = (struct fm_pos){ n->items[i]->line, n->items[i]->col };
		fm->aliases[fm->naliases++] = a;
	}
}

static void read_files(struct ctx *c, const struct ynode *n, struct fm_resource *r)
{
	if (n->kind != YNODE_MAP || n->len == 0) {
		diag_error(c->diags, c->file, n->line, n->col,
			   "'files' must map language codes to paths, e.g. 'en: /media/x.pdf'");
		c->rc = -1;
		return;
	}
	r->files = xcalloc(n->len, sizeof *r->files);
	for (size_t i = 0; i < n->len; i++) {
		char *path = text_of(c, n->items[i], "files");
		if (!path) {
			if (ynode_is_null(n->items[i]))
				fail_at(c, n->items[i], "'%s' in 'files' needs a path", n->keys[i]->text);
			continue;
		}
		struct fm_file *f = &r->files[r->nfiles++];
		f->lang = xstrdup(n->keys[i]->text);
		f->path = path;
		f->pos = (struct fm_pos){ n->items[i]->line, n->items[i]->col };
	}
}

static void read_resource(struct ctx *c, const struct ynode *n, struct fm_resource *r)
{
	r->pos = (struct fm_pos){ n->line, n->col };
	if (n->kind != YNODE_MAP) {
		fail_at(c, n, "each resource must be a mapping with 'title' and one of "
			      "'files', 'page' or 'url'");
		return;
	}
	const struct ynode *title = ynode_get(n, "title");
	if (!title || !(r->title = text_of(c, title, "title")))
		fail_at(c, n, "resource has no 'title'");
	else if (ynode_is_blank(title))
		fail_at(c, title, "a resource's 'title' must not be empty");
	int targets = 0;
	for (size_t i = 0; i < n->len; i++) {
		const char *key = n->keys[i]->text;
		const struct ynode *v = n->items[i];
		if (strcmp(key, "title") == 0)
			continue;
		if (strcmp(key, "files") == 0) {
			r->type = RESOURCE_FILES;
			read_files(c, v, r);
		} else if (strcmp(key, "page") == 0 || strcmp(key, "url") == 0) {
			r->type = key[0] == 'p' ? RESOURCE_PAGE : RESOURCE_URL;
			/* Both 'page' and 'url' is an error below; the first
			 * target must not leak. */
			free(r->target);
			r->target = text_of(c, v, key);
			r->pos = (struct fm_pos){ v->line, v->col };
			if (!r->target)
				fail_at(c, v, "'%s' needs a value", key);
		} else {
			fail_at(c, n->keys[i],
				"unknown resource key '%s' (a resource has 'title' and one of "
				"'files', 'page' or 'url')", key);
			continue;
		}
		targets++;
	}
	if (targets != 1)
		fail_at(c, n, "a resource needs exactly one of 'files', 'page' or 'url'");
}

static void read_resources(struct ctx *c, const struct ynode *n, struct front_matter *fm)
{
	if (ynode_is_null(n))
		return;
	if (n->kind != YNODE_SEQ) {
		fail_at(c, n, "'%s' must be a list of resources", "resources");
		return;
	}
	fm->resources = xcalloc(n->len, sizeof *fm->resources);
	for (size_t i = 0; i < n->len; i++)
		read_resource(c, n->items[i], &fm->resources[fm->nresources++]);
}

static void read_choice(struct ctx *c, const struct ynode *n, const char *key,
			const char *const *names, size_t count, int *out)
{
	char *t = text_of(c, n, key);
	if (!t)
		return;
	for (size_t i = 0; i < count; i++) {
		if (strcmp(t, names[i]) == 0) {
			*out = (int)i;
			free(t);
			return;
		}
	}
	struct buf msg = BUF_INIT;
	buf_printf(&msg, "unknown %s '%s' (expected ", key, t);
	for (size_t i = 0; i < count; i++)
		buf_printf(&msg, "%s%s", i == 0 ? "" : i + 1 == count ? " or " : ", ", names[i]);
	buf_putc(&msg, ')');
	fail_at(c, n, "%s", msg.ptr);
	buf_free(&msg);
	free(t);
}

static void read_key(struct ctx *c, const char *key, const struct ynode *v,
		     struct front_matter *fm)
{
	static const char *const kinds[] = { "page", "project", "infosheet", "news" };
	static const char *const statuses[] = { "active", "inactive" };
	if (strcmp(key, "title") == 0) {
		fm->title = text_of(c, v, key);
	} else if (strcmp(key, "menu_title") == 0) {
		fm->menu_title = text_of(c, v, key);
		if (fm->menu_title && ynode_is_blank(v))
			fail_at(c, v, "'menu_title' must not be empty (leave it out to show the title)");
	} else if (strcmp(key, "summary") == 0) {
		fm->summary = text_of(c, v, key);
	} else if (strcmp(key, "kind") == 0) {
		int k = PAGE_KIND_PAGE;
		read_choice(c, v, key, kinds, 4, &k);
		fm->kind = (enum page_kind)k;
		fm->kind_pos = (struct fm_pos){ v->line, v->col };
	} else if (strcmp(key, "status") == 0) {
		int s = 0;
		read_choice(c, v, key, statuses, 2, &s);
		fm->inactive = s == 1;
		fm->status_pos = (struct fm_pos){ v->line, v->col };
	} else if (strcmp(key, "period") == 0) {
		fm->period = text_of(c, v, key);
		fm->period_pos = (struct fm_pos){ v->line, v->col };
	} else if (strcmp(key, "location") == 0) {
		fm->location = text_of(c, v, key);
	} else if (strcmp(key, "donors") == 0) {
		read_donors(c, v, fm);
		fm->donors_pos = (struct fm_pos){ v->line, v->col };
	} else if (strcmp(key, "date") == 0) {
		char *d = text_of(c, v, key);
		if (d && date_parse(d, &fm->year, &fm->month, &fm->day) == 0) {
			fm->has_date = true;
			fm->date_pos = (struct fm_pos){ v->line, v->col };
		} else if (d) {
			fail_at(c, v, "invalid date '%s' (write it as YYYY-MM-DD, e.g. 2013-06-01)", d);
		}
		free(d);
	} else if (strcmp(key, "updated") == 0) {
		char *d = text_of(c, v, key);
		if (d && date_parse(d, &fm->updated_year, &fm->updated_month, &fm->updated_day) == 0)
			fm->has_updated = true;
		else if (d)
			fail_at(c, v, "invalid date '%s' in 'updated' (write it as YYYY-MM-DD, e.g. "
				"2024-03-01)", d);
		free(d);
	} else if (strcmp(key, "weight") == 0) {
		if (!ynode_int(v, &fm->weight))
			fail_at(c, v, "'%s' must be a whole number, e.g. 'weight: 10'", key);
	} else if (strcmp(key, "menu") == 0) {
		if (!ynode_bool(v, &fm->menu))
			fail_at(c, v, "'%s' must be true or false", key);
		fm->has_menu = true;
		fm->menu_pos = (struct fm_pos){ v->line, v->col };
	} else if (strcmp(key, "draft") == 0) {
		if (!ynode_bool(v, &fm->draft))
			fail_at(c, v, "'%s' must be true or false", key);
	} else if (strcmp(key, "previous_phase") == 0) {
		fm->previous_phase = text_of(c, v, key);
		fm->previous_phase_pos = (struct fm_pos){ v->line, v->col };
	} else if (strcmp(key, "resources") == 0) {
		read_resources(c, v, fm);
	} else if (strcmp(key, "translation_key") == 0) {
		fm->translation_key = text_of(c, v, key);
		fm->translation_key_pos = (struct fm_pos){ v->line, v->col };
	} else if (strcmp(key, "aliases") == 0) {
		read_aliases(c, v, fm);
	} else if (strcmp(key, "layout") == 0) {
		fm->layout = text_of(c, v, key);
		fm->layout_pos = (struct fm_pos){ v->line, v->col };
	}
}

static void read_keys(struct ctx *c, const struct ynode *root, struct front_matter *fm)
{
	for (size_t i = 0; i < root->len; i++) {
		const struct ynode *k = root->keys[i];
		bool known = false;
		for (size_t j = 0; j < NKEYS && !known; j++)
			known = strcmp(k->text, known_keys[j]) == 0;
		if (known) {
			read_key(c, k->text, root->items[i], fm);
			continue;
		}
		const char *cased = NULL;
		for (size_t j = 0; j < NKEYS && !cased; j++)
			if (strcasecmp(k->text, known_keys[j]) == 0)
				cased = known_keys[j];
		if (cased) {
			/* YAML keys are case-sensitive: read as unknown, the value
			 * would vanish from the page without a word. */
			fail_at(c, k, "key '%s' must be written '%s' (front matter keys are "
				"lower case)", k->text, cased);
			continue;
		}
		const char *near = nearest_key(k->text);
		if (near)
			diag_warning(c->diags, c->file, k->line, k->col,
				     "unknown key '%s' (did you mean '%s'?)", k->text, near);
		else
			diag_warning(c->diags, c->file, k->line, k->col, "unknown key '%s'", k->text);
	}
}

/*
 * When the YAML between the first '---' and a later one fails, the
 * closing '---' may be missing and the later one a rule in the page text.
 * Front matter has no blank lines in practice, so if the lines up to the
 * first blank one are valid front matter, that is where the '---' belongs:
 * reports that at the blank line and returns true.
 */
static bool report_unclosed(const struct ynode_source *ys, unsigned close_line,
			    struct diag_list *diags)
{
	size_t i = 0;
	unsigned line = ys->first_line;
	while (i < ys->len) {
		const char *nl = memchr(ys->text + i, '\n', ys->len - i);
		size_t end = nl ? (size_t)(nl - ys->text) : ys->len, k = i;
		while (k < end && (ys->text[k] == ' ' || ys->text[k] == '\t'))
			k++;
		if (k == end)
			break;
		i = end + 1;
		line++;
	}
	if (i == 0 || i >= ys->len)
		return false;
	struct ynode_source head = { ys->text, i, ys->file, ys->first_line };
	struct diag_list scratch;
	diag_list_init(&scratch);
	struct ynode *root = ynode_parse(&head, &scratch);
	bool unclosed = root && root->kind == YNODE_MAP && root->len > 0 && scratch.errors == 0;
	ynode_free(root);
	diag_list_free(&scratch);
	if (unclosed)
		diag_error(diags, ys->file, line, 1,
			   "front matter is not closed: add a line '---' here, before the page "
			   "text (the '---' on line %u was read as its end)", close_line);
	return unclosed;
}

/* A news item is listed by its date; an update cannot come before it. */
static void check_dates(struct ctx *c, const struct ynode *root, const struct front_matter *fm)
{
	const struct ynode *date_node = ynode_get(root, "date");
	if (fm->kind == PAGE_KIND_NEWS && !fm->has_date && (!date_node || ynode_is_null(date_node)))
		fail_at(c, ynode_get(root, "kind"),
			"a news page needs a 'date' (YYYY-MM-DD): lists show news newest first");
	long date = (long)fm->year * 10000 + fm->month * 100 + fm->day;
	long updated = (long)fm->updated_year * 10000 + fm->updated_month * 100 + fm->updated_day;
	if (fm->has_date && fm->has_updated && updated < date)
		fail_at(c, ynode_get(root, "updated"),
			"'updated' (%04d-%02d-%02d) is before the page's 'date' (%04d-%02d-%02d); "
			"correct one of them", fm->updated_year, fm->updated_month, fm->updated_day,
			fm->year, fm->month, fm->day);
}

/* Reads the keys of the YAML tree root into fm and checks the title.
 * Returns 0 or -1 (fm freed). */
static int read_tree(const char *file, const struct ynode *root, struct front_matter *fm,
		     struct diag_list *diags)
{
	struct ctx c = { file, diags, 0 };
	if (root->kind != YNODE_MAP) {
		fail_at(&c, root, "front matter must be a list of 'key: value' lines");
	} else {
		read_keys(&c, root, fm);
		const struct ynode *title = ynode_get(root, "title");
		if (!title)
			fail_at(&c, root, "missing required key '%s'", "title");
		else if (ynode_is_null(title) || (title->kind == YNODE_SCALAR && !*title->text))
			fail_at(&c, title, "'%s' must not be empty", "title");
		else if (ynode_is_blank(title))
			fail_at(&c, title, "'%s' must not be empty (it holds only spaces)", "title");
		check_dates(&c, root, fm);
	}
	if (c.rc)
		frontmatter_free(fm);
	return c.rc;
}

int frontmatter_parse(const char *file, const char *text, size_t len, struct front_matter *fm,
		      struct diag_list *diags)
{
	return frontmatter_parse_tree(file, text, len, fm, NULL, diags);
}

int frontmatter_parse_tree(const char *file, const char *text, size_t len,
			   struct front_matter *fm, struct buf *tree, struct diag_list *diags)
{
	memset(fm, 0, sizeof *fm);
	if (len == 0) {
		diag_error(diags, file, 1, 1, "empty file: a page needs front matter with a title");
		return -1;
	}
	if (len < 4 || memcmp(text, "---", 3) != 0 || (text[3] != '\n' && text[3] != ' ')) {
		diag_error(diags, file, 1, 1,
			   "a page must begin with front matter: a line '---', 'title: ...', "
			   "then '---'");
		return -1;
	}
	const char *first_nl = memchr(text, '\n', len);
	size_t start = first_nl ? (size_t)(first_nl - text) + 1 : len;
	unsigned close_line = 2;
	long close = find_close(text, len, start, &close_line);
	if (close < 0) {
		diag_error(diags, file, 1, 1, "front matter is not closed: add a line '---' after it");
		return -1;
	}
	struct ynode_source ys = { text + start, (size_t)close - start, file, 2 };
	struct diag_list yaml_diags;
	diag_list_init(&yaml_diags);
	struct ynode *root = ynode_parse(&ys, &yaml_diags);
	if (!root && report_unclosed(&ys, close_line, diags)) {
		diag_list_free(&yaml_diags);
		return -1;
	}
	diag_list_take(diags, &yaml_diags);
	diag_list_free(&yaml_diags);
	if (!root)
		return -1;
	int rc = read_tree(file, root, fm, diags);
	if (rc == 0 && tree)
		ynode_encode(root, tree);
	ynode_free(root);
	const char *body = memchr(text + close, '\n', len - (size_t)close);
	fm->body = body ? body + 1 : text + len;
	fm->body_len = (size_t)(text + len - fm->body);
	fm->body_line = close_line + 1;
	return rc;
}

int frontmatter_from_tree(const char *file, const char *tree, size_t len, unsigned body_line,
			  struct front_matter *fm, struct diag_list *diags)
{
	memset(fm, 0, sizeof *fm);
	struct ynode *root = ynode_decode(tree, len);
	if (!root)
		return -1;
	int rc = read_tree(file, root, fm, diags);
	ynode_free(root);
	fm->body_line = body_line;
	return rc;
}
