/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "paginate.h"
#include "source.h"
#include "util.h"
#include "ynode.h"

void config_free(struct config *cfg)
{
	identity_free(cfg);
	for (size_t i = 0; i < cfg->nlanguages; i++) {
		free(cfg->languages[i].code);
		free(cfg->languages[i].name);
		free(cfg->languages[i].title);
	}
	free(cfg->languages);
	free(cfg->base_url);
	free(cfg->default_language);
	memset(cfg, 0, sizeof *cfg);
}

int config_language_index(const struct config *cfg, const char *code)
{
	for (size_t i = 0; i < cfg->nlanguages; i++) {
		if (strcmp(cfg->languages[i].code, code) == 0)
			return (int)i;
	}
	return -1;
}

static bool valid_code(const char *s)
{
	if (!*s || strlen(s) > 16)
		return false;
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || *s == '-' || (*s >= '0' && *s <= '9')))
			return false;
	}
	return true;
}

/*
 * Returns what is wrong with url as the site's address, or NULL if it is a
 * usable one: http or https, a host name, an optional port and path, no
 * query or fragment (page paths are appended to it), and only printable
 * ASCII (the sitemap and canonical links need it encoded already).
 */
static const char *base_url_problem(const char *url)
{
	const char *rest;
	if (str_has_prefix(url, "https://"))
		rest = url + strlen("https://");
	else if (str_has_prefix(url, "http://"))
		rest = url + strlen("http://");
	else
		return "it must begin with http:// or https://";
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p == ' ')
			return "it contains a space (write %20 for one in a path)";
		if (*p < 0x20 || *p == 0x7F)
			return "it contains a control character";
		if (*p >= 0x80)
			return "it contains a character that is not ASCII; percent-encode it "
			       "(and write a Thai host name in its xn-- form)";
		if (*p == '#')
			return "it has a fragment (#...); remove it";
		if (*p == '?')
			return "it has a query (?...); remove it";
		if (strchr("\"<>\\^`{|}", *p))
			return "it contains a character that is not allowed in a URL";
	}
	size_t host_len = strcspn(rest, "/");
	if (memchr(rest, '@', host_len))
		return "it contains a user name or password (user@); remove it";
	const char *port = NULL;
	if (rest[0] == '[') {
		const char *close = memchr(rest, ']', host_len);
		if (!close)
			return "its IPv6 address has no closing ']'";
		for (const char *p = rest + 1; p < close; p++) {
			if (!strchr("0123456789abcdefABCDEF:.", *p))
				return "its IPv6 address may hold only hexadecimal digits, ':' and '.'";
		}
		if (close == rest + 1)
			return "it has no host name";
		if (close + 1 < rest + host_len) {
			if (close[1] != ':')
				return "its host name is followed by something other than a port";
			port = close + 2;
		}
	} else {
		size_t name_len = strcspn(rest, ":/");
		if (name_len == 0)
			return "it has no host name";
		for (size_t i = 0; i < name_len; i++) {
			char c = rest[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '-' || c == '.'))
				return "its host name may hold only letters, digits, '-' and '.'";
			if (c == '.' && (i == 0 || rest[i - 1] == '.'))
				return "its host name has an empty part between dots";
		}
		if (rest[name_len] == ':')
			port = rest + name_len + 1;
	}
	if (port) {
		size_t digits = strspn(port, "0123456789");
		if (digits == 0 || digits > 5 || (port[digits] && port[digits] != '/'))
			return "its port must be a number";
	}
	return NULL;
}

const char *config_set_base_url(struct config *cfg, const char *url)
{
	const char *problem = base_url_problem(url);
	if (problem)
		return problem;
	free(cfg->base_url);
	/* A trailing slash lets page URLs be appended without thinking. */
	cfg->base_url = str_has_suffix(url, "/") ? xstrdup(url) : xasprintf("%s/", url);
	return NULL;
}

static int read_languages(const struct ynode *list, const char *file, struct config *cfg,
			  struct diag_list *diags)
{
	if (!list || list->kind != YNODE_SEQ || list->len == 0) {
		diag_error(diags, file, list ? list->line : 1, list ? list->col : 1,
			   "'languages' must be a list of {code, name}");
		return -1;
	}
	cfg->languages = xcalloc(list->len, sizeof *cfg->languages);
	int rc = 0;
	for (size_t i = 0; i < list->len; i++) {
		const struct ynode *item = list->items[i];
		if (item->kind != YNODE_MAP) {
			diag_error(diags, file, item->line, item->col,
				   "each language must be a mapping with 'code' and 'name'");
			rc = -1;
			continue;
		}
		const struct ynode *code = ynode_get(item, "code"), *name = ynode_get(item, "name");
		if (!code || !name) {
			diag_error(diags, file, item->line, item->col,
				   "a language needs both 'code' and 'name'");
			rc = -1;
			continue;
		}
		const char *c = ynode_text(code, file, "code", diags);
		const char *n = ynode_text(name, file, "name", diags);
		if (!c || !n) {
			rc = -1;
			continue;
		}
		if (!valid_code(c)) {
			diag_error(diags, file, code->line, code->col,
				   "language code '%s' must be lower-case letters such as 'en'", c);
			rc = -1;
			continue;
		}
		if (config_language_index(cfg, c) >= 0) {
			diag_error(diags, file, code->line, code->col, "language '%s' is listed twice", c);
			rc = -1;
			continue;
		}
		struct config_language *lang = &cfg->languages[cfg->nlanguages++];
		lang->code = xstrdup(c);
		lang->name = xstrdup(n);
	}
	return rc;
}

/* title is either one string for every language or a mapping code -> title. */
static int read_titles(const struct ynode *title, const char *file, struct config *cfg,
		       struct diag_list *diags)
{
	int rc = 0;
	for (size_t i = 0; i < cfg->nlanguages; i++) {
		const struct ynode *t = title;
		if (title && title->kind == YNODE_MAP)
			t = ynode_get(title, cfg->languages[i].code);
		if (!t) {
			diag_error(diags, file, title ? title->line : 1, title ? title->col : 1,
				   "'title' has no entry for language '%s'", cfg->languages[i].code);
			rc = -1;
			continue;
		}
		const char *text = ynode_text(t, file, "title", diags);
		if (!text) {
			rc = -1;
			continue;
		}
		if (ynode_is_blank(t) || ynode_is_null(t)) {
			diag_error(diags, file, t->line, t->col,
				   "the site title for language '%s' must not be empty",
				   cfg->languages[i].code);
			rc = -1;
			continue;
		}
		cfg->languages[i].title = xstrdup(text);
	}
	if (title && title->kind == YNODE_MAP) {
		for (size_t i = 0; i < title->len; i++) {
			if (config_language_index(cfg, title->keys[i]->text) < 0) {
				diag_error(diags, file, title->keys[i]->line, title->keys[i]->col,
					   "'title' names language '%s', which is not in 'languages'",
					   title->keys[i]->text);
				rc = -1;
			}
		}
	}
	return rc;
}

static int read_markdown_options(const struct ynode *md, const char *file, struct config *cfg,
				 struct diag_list *diags)
{
	if (!md)
		return 0;
	const struct ynode *unsafe = ynode_get(md, "unsafe_html");
	if (md->kind != YNODE_MAP || (md->len && !unsafe) || md->len > 1) {
		diag_error(diags, file, md->line, md->col,
			   "'markdown' takes one option: 'unsafe_html: true' or 'false'");
		return -1;
	}
	if (unsafe && !ynode_bool(unsafe, &cfg->unsafe_html)) {
		diag_error(diags, file, unsafe->line, unsafe->col,
			   "'unsafe_html' must be true or false");
		return -1;
	}
	return 0;
}

static int read_list_page_size(const struct ynode *n, const char *file, struct config *cfg,
			       struct diag_list *diags)
{
	cfg->list_page_size = PAGINATE_SIZE_DEFAULT;
	if (!n)
		return 0;
	long size;
	if (!ynode_int(n, &size) || size < 1 || size > PAGINATE_SIZE_MAX) {
		diag_error(diags, file, n->line, n->col,
			   "'list_page_size' must be a whole number from 1 to %d (entries on "
			   "each page of a long list; %d when left out)",
			   PAGINATE_SIZE_MAX, PAGINATE_SIZE_DEFAULT);
		return -1;
	}
	cfg->list_page_size = (size_t)size;
	return 0;
}

static const char *const known_keys[] = { "base_url", "default_language", "languages", "title",
					  "markdown", "list_page_size" };

int config_load(const char *path, struct config *cfg, struct diag_list *diags)
{
	memset(cfg, 0, sizeof *cfg);
	struct source src;
	if (source_read(path, &src, diags))
		return -1;
	struct ynode_source ys = { src.text, src.len, path, 1 };
	struct ynode *root = ynode_parse(&ys, diags);
	int rc = -1;
	if (!root)
		goto out;
	if (root->kind != YNODE_MAP) {
		diag_error(diags, path, root->line, root->col, "site.yaml must be a mapping of keys");
		goto out;
	}
	rc = 0;
	for (size_t i = 0; i < root->len; i++) {
		bool known = false;
		for (size_t k = 0; k < sizeof known_keys / sizeof *known_keys; k++)
			known |= strcmp(root->keys[i]->text, known_keys[k]) == 0;
		for (size_t k = 0; k < identity_nkeys; k++)
			known |= strcmp(root->keys[i]->text, identity_keys[k]) == 0;
		if (!known) {
			diag_error(diags, path, root->keys[i]->line, root->keys[i]->col,
				   "unknown key '%s' in site.yaml", root->keys[i]->text);
			rc = -1;
		}
	}
	if (read_languages(ynode_get(root, "languages"), path, cfg, diags))
		rc = -1;
	if (read_titles(ynode_get(root, "title"), path, cfg, diags))
		rc = -1;
	if (read_markdown_options(ynode_get(root, "markdown"), path, cfg, diags))
		rc = -1;
	if (identity_read(root, path, cfg, diags))
		rc = -1;
	if (read_list_page_size(ynode_get(root, "list_page_size"), path, cfg, diags))
		rc = -1;

	const struct ynode *def = ynode_get(root, "default_language");
	const char *code = def ? ynode_text(def, path, "default_language", diags) : NULL;
	if (def && !code)
		rc = -1;
	if (!code && cfg->nlanguages)
		code = cfg->languages[0].code;
	if (code && config_language_index(cfg, code) < 0 && cfg->nlanguages) {
		diag_error(diags, path, def->line, def->col,
			   "default_language '%s' is not in 'languages'", code);
		rc = -1;
	}
	cfg->default_language = code ? xstrdup(code) : NULL;

	const struct ynode *base = ynode_get(root, "base_url");
	if (base && !ynode_is_null(base)) {
		const char *url = ynode_text(base, path, "base_url", diags);
		if (!url) {
			rc = -1;
		} else {
			const char *problem = config_set_base_url(cfg, url);
			if (problem) {
				diag_error(diags, path, base->line, base->col,
					   "base_url '%s' is not a usable address: %s", url, problem);
				rc = -1;
			}
		}
	}
out:
	ynode_free(root);
	source_free(&src);
	if (rc)
		config_free(cfg);
	return rc;
}
