/* SPDX-License-Identifier: MIT */
#include "identity.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "url.h"
#include "util.h"

const char *const identity_keys[] = { "organisation", "logo", "contact", "footer", "links" };
const size_t identity_nkeys = sizeof identity_keys / sizeof *identity_keys;

void identity_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->nlanguages; i++) {
		struct config_language *l = &cfg->languages[i];
		free(l->organisation);
		free(l->logo_alt);
		free(l->address);
		free(l->email);
		free(l->phone);
		free(l->phone_tel);
		free(l->footer);
	}
	for (size_t i = 0; i < cfg->nlinks; i++) {
		for (size_t l = 0; l < cfg->nlanguages; l++)
			free(cfg->links[i].titles[l]);
		free(cfg->links[i].titles);
		free(cfg->links[i].url);
	}
	free(cfg->links);
	cfg->links = NULL;
	cfg->nlinks = 0;
	free(cfg->logo);
	cfg->logo = NULL;
}

/* The characters RFC 5322 allows in the local part without quotes. */
static bool local_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+/=?^_`{|}~.-", c));
}

const char *identity_email_problem(const char *s)
{
	if (str_has_prefix(s, "mailto:"))
		s += strlen("mailto:");
	const char *at = strrchr(s, '@');
	if (!at || at == s)
		return "it must be an address such as 'info@example.org'";
	if (strlen(s) > 254)
		return "it is longer than 254 characters";
	for (const char *p = s; p < at; p++) {
		if (!local_char((unsigned char)*p))
			return "the part before '@' may hold only letters, digits and ! # $ % & ' "
			       "* + / = ? ^ _ ` { | } ~ . -";
		if (p[0] == '.' && (p == s || p[1] == '.' || p + 1 == at))
			return "the part before '@' must not begin or end with '.', nor hold '..'";
	}
	const char *domain = at + 1;
	size_t len = strlen(domain);
	if (len == 0 || !strchr(domain, '.'))
		return "the part after '@' must be a domain name such as 'example.org'";
	for (size_t i = 0; i < len; i++) {
		char c = domain[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.'))
			return "the domain may hold only letters, digits, '-' and '.' (write a "
			       "Thai domain in its xn-- form)";
		if (c == '.' && (i == 0 || domain[i - 1] == '.' || i + 1 == len))
			return "the domain has an empty part between dots";
	}
	return NULL;
}

const char *identity_phone_problem(const char *s, char **tel)
{
	static const char *const form =
		"write it in international form: '+', the country code, then the number, "
		"e.g. '+66 2 123 4567'";
	if (str_has_prefix(s, "tel:"))
		s += strlen("tel:");
	if (s[0] != '+' || s[1] < '1' || s[1] > '9')
		return form;
	struct buf b = BUF_INIT;
	buf_puts(&b, "tel:+");
	size_t digits = 0;
	for (const char *p = s + 1; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			buf_putc(&b, *p);
			digits++;
		} else if (!strchr(" -.()", *p)) {
			buf_free(&b);
			return "it may hold only '+' first, then digits, spaces and - . ( )";
		}
	}
	/* E.164: at most 15 digits with the country code; none is shorter
	 * than 7 in practice. */
	if (digits < 7 || digits > 15) {
		buf_free(&b);
		return "an international number has 7 to 15 digits, the country code included";
	}
	if (tel)
		*tel = buf_detach(&b);
	else
		buf_free(&b);
	return NULL;
}

/* What is wrong with s as a link to another site, or NULL. */
static const char *link_problem(const char *s)
{
	const char *rest;
	if (str_has_prefix(s, "https://"))
		rest = s + strlen("https://");
	else if (str_has_prefix(s, "http://"))
		rest = s + strlen("http://");
	else
		return "it must begin with https:// or http://";
	if (!*rest || *rest == '/')
		return "it has no host name";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p == 0x7F)
			return "it contains a space or a control character (write %20 for a space)";
		if (*p >= 0x80)
			return "it contains a character that is not ASCII; percent-encode it "
			       "(and write a Thai host name in its xn-- form)";
		if (strchr("\"<>\\^`{|}", *p))
			return "it contains a character that is not allowed in a URL";
	}
	return NULL;
}

#define STR_(x) #x
#define STR(x) STR_(x)

struct ctx {
	const char *file;
	struct config *cfg;
	struct diag_list *diags;
	int rc;
	/* A text given once for every language is checked for each: its
	 * mistake is reported once. */
	const struct ynode *reported;
};

static void fail_once(struct ctx *c, const struct ynode *at, const char *what,
		      const char *text, const char *problem)
{
	c->rc = -1;
	if (c->reported == at)
		return;
	c->reported = at;
	diag_error(c->diags, c->file, at->line, at->col, "%s '%s' is not usable: %s", what, text,
		   problem);
}

/* Checks one text of a field; returns it, or NULL after an error. */
static const char *one_text(struct ctx *c, const struct ynode *n, const char *what)
{
	const char *text = ynode_text(n, c->file, what, c->diags);
	if (!text) {
		c->rc = -1;
		return NULL;
	}
	const char *problem = NULL;
	if (ynode_is_null(n) || ynode_is_blank(n))
		problem = "must not be empty (leave the key out instead)";
	else if (strlen(text) > CONFIG_TEXT_MAX)
		problem = "is longer than " STR(CONFIG_TEXT_MAX) " bytes: every page shows it";
	if (problem) {
		c->rc = -1;
		if (c->reported != n)
			diag_error(c->diags, c->file, n->line, n->col, "'%s' %s", what, problem);
		c->reported = n;
		return NULL;
	}
	return text;
}

/*
 * Reads n, one text for every language or a mapping from every language's
 * code to its text, calling put for each language with its text and node.
 */
static void read_texts(struct ctx *c, const struct ynode *n, const char *what,
		       void (*put)(struct ctx *, size_t lang, const char *text,
				   const struct ynode *at, void *arg),
		       void *arg)
{
	const struct config *cfg = c->cfg;
	if (n->kind == YNODE_MAP) {
		for (size_t i = 0; i < n->len; i++) {
			if (config_language_index(cfg, n->keys[i]->text) < 0) {
				diag_error(c->diags, c->file, n->keys[i]->line, n->keys[i]->col,
					   "'%s' names language '%s', which is not in 'languages'",
					   what, n->keys[i]->text);
				c->rc = -1;
			}
		}
	} else if (n->kind != YNODE_SCALAR) {
		diag_error(c->diags, c->file, n->line, n->col,
			   "'%s' must be text, or a mapping from each language's code to its "
			   "text", what);
		c->rc = -1;
		return;
	}
	for (size_t l = 0; l < cfg->nlanguages; l++) {
		const struct ynode *t = n;
		if (n->kind == YNODE_MAP && !(t = ynode_get(n, cfg->languages[l].code))) {
			diag_error(c->diags, c->file, n->line, n->col,
				   "'%s' has no entry for language '%s'", what,
				   cfg->languages[l].code);
			c->rc = -1;
			continue;
		}
		const char *text = one_text(c, t, what);
		if (text)
			put(c, l, text, t, arg);
	}
}

/* Puts a copy of the text into the language's field at the offset arg. */
static void put_field(struct ctx *c, size_t lang, const char *text, const struct ynode *at,
		      void *arg)
{
	(void)at;
	size_t offset = *(const size_t *)arg;
	char **slot = (char **)((char *)&c->cfg->languages[lang] + offset);
	free(*slot);
	*slot = xstrdup(text);
}

static void read_field(struct ctx *c, const struct ynode *n, const char *what, size_t offset)
{
	if (n)
		read_texts(c, n, what, put_field, &offset);
}

static void put_email(struct ctx *c, size_t lang, const char *text, const struct ynode *at,
		      void *arg)
{
	(void)arg;
	const char *problem = identity_email_problem(text);
	if (problem) {
		fail_once(c, at, "e-mail address", text, problem);
		return;
	}
	if (str_has_prefix(text, "mailto:"))
		text += strlen("mailto:");
	c->cfg->languages[lang].email = xstrdup(text);
}

static void put_phone(struct ctx *c, size_t lang, const char *text, const struct ynode *at,
		      void *arg)
{
	(void)arg;
	char *tel = NULL;
	const char *problem = identity_phone_problem(text, &tel);
	if (problem) {
		fail_once(c, at, "phone number", text, problem);
		return;
	}
	if (str_has_prefix(text, "tel:"))
		text += strlen("tel:");
	struct config_language *l = &c->cfg->languages[lang];
	l->phone = xstrdup(text);
	l->phone_tel = tel;
}

/* Reports the keys of mapping n that are not among names (count of them). */
static void only_keys(struct ctx *c, const struct ynode *n, const char *what,
		      const char *const *names, size_t count)
{
	for (size_t i = 0; i < n->len; i++) {
		bool known = false;
		for (size_t k = 0; k < count; k++)
			known |= strcmp(n->keys[i]->text, names[k]) == 0;
		if (known)
			continue;
		struct buf msg = BUF_INIT;
		for (size_t k = 0; k < count; k++)
			buf_printf(&msg, "%s'%s'", k == 0 ? "" : k + 1 == count ? " or " : ", ",
				   names[k]);
		diag_error(c->diags, c->file, n->keys[i]->line, n->keys[i]->col,
			   "unknown key '%s' in '%s' (expected %s)", n->keys[i]->text, what,
			   msg.ptr);
		buf_free(&msg);
		c->rc = -1;
	}
}

static bool is_map(struct ctx *c, const struct ynode *n, const char *what, const char *example)
{
	if (n->kind == YNODE_MAP)
		return true;
	diag_error(c->diags, c->file, n->line, n->col, "'%s' must be a mapping: %s", what,
		   example);
	c->rc = -1;
	return false;
}

static void read_logo(struct ctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "file", "alt" };
	static const char *const example = "'file: /media/logo.svg' and 'alt:' text";
	if (!is_map(c, n, "logo", example))
		return;
	only_keys(c, n, "logo", keys, 2);
	const struct ynode *file = ynode_get(n, "file"), *alt = ynode_get(n, "alt");
	if (!file || !alt) {
		diag_error(c->diags, c->file, n->line, n->col, "'logo' needs both %s", example);
		c->rc = -1;
		return;
	}
	read_field(c, alt, "alt", offsetof(struct config_language, logo_alt));
	const char *path = one_text(c, file, "file");
	if (!path)
		return;
	const char *dot = strrchr(path, '.');
	bool svg = dot && strcasecmp(dot, ".svg") == 0;
	if (!svg && !(dot && strcasecmp(dot, ".png") == 0)) {
		diag_error(c->diags, c->file, file->line, file->col,
			   "the logo '%s' must be an SVG or PNG file (ending in .svg or .png)",
			   path);
		c->rc = -1;
		return;
	}
	char *rel = url_is_external(path) ? NULL : url_resolve_path("", path);
	if (!rel) {
		diag_error(c->diags, c->file, file->line, file->col,
			   "the logo '%s' must be a file inside the content folder, such as "
			   "'/media/logo.svg'", path);
		free(rel);
		c->rc = -1;
		return;
	}
	c->cfg->logo = rel;
	c->cfg->logo_svg = svg;
	c->cfg->logo_line = file->line;
	c->cfg->logo_col = file->col;
}

static void read_contact(struct ctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "address", "email", "phone" };
	if (!is_map(c, n, "contact", "'address', 'email' and 'phone', each optional"))
		return;
	only_keys(c, n, "contact", keys, 3);
	read_field(c, ynode_get(n, "address"), "address",
		   offsetof(struct config_language, address));
	const struct ynode *email = ynode_get(n, "email"), *phone = ynode_get(n, "phone");
	if (email)
		read_texts(c, email, "email", put_email, NULL);
	if (phone)
		read_texts(c, phone, "phone", put_phone, NULL);
}

static void put_link_title(struct ctx *c, size_t lang, const char *text,
			   const struct ynode *at, void *arg)
{
	(void)c;
	(void)at;
	struct config_link *link = arg;
	link->titles[lang] = xstrdup(text);
}

static void read_links(struct ctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "title", "url" };
	if (n->kind != YNODE_SEQ) {
		diag_error(c->diags, c->file, n->line, n->col,
			   "'links' must be a list of 'title' and 'url' pairs");
		c->rc = -1;
		return;
	}
	if (n->len > CONFIG_LINKS_MAX) {
		diag_error(c->diags, c->file, n->items[CONFIG_LINKS_MAX]->line,
			   n->items[CONFIG_LINKS_MAX]->col,
			   "'links' has %zu entries, more than %d: every page's footer shows them",
			   n->len, CONFIG_LINKS_MAX);
		c->rc = -1;
		return;
	}
	struct config *cfg = c->cfg;
	cfg->links = xcalloc(n->len ? n->len : 1, sizeof *cfg->links);
	for (size_t i = 0; i < n->len; i++) {
		const struct ynode *item = n->items[i];
		if (!is_map(c, item, "links", "each link has a 'title' and a 'url'"))
			continue;
		only_keys(c, item, "links", keys, 2);
		const struct ynode *title = ynode_get(item, "title"), *url = ynode_get(item, "url");
		if (!title || !url) {
			diag_error(c->diags, c->file, item->line, item->col,
				   "a link needs both a 'title' and a 'url'");
			c->rc = -1;
			continue;
		}
		struct config_link *link = &cfg->links[cfg->nlinks++];
		link->titles = xcalloc(cfg->nlanguages, sizeof *link->titles);
		read_texts(c, title, "title", put_link_title, link);
		const char *u = one_text(c, url, "url");
		const char *problem = u ? link_problem(u) : NULL;
		if (problem) {
			diag_error(c->diags, c->file, url->line, url->col,
				   "link '%s' is not usable: %s", u, problem);
			c->rc = -1;
		} else if (u) {
			link->url = xstrdup(u);
		}
	}
}

int identity_check_logo(const struct config *cfg, const struct hmap *files,
			const char *content_dir, const char *config_path,
			struct diag_list *diags)
{
	if (!cfg->logo || hmap_get(files, cfg->logo))
		return 0;
	diag_error(diags, config_path, cfg->logo_line, cfg->logo_col,
		   "the logo %s/%s is not a file the site publishes: put the file there, or "
		   "correct the path", content_dir, cfg->logo);
	return -1;
}

int identity_read(const struct ynode *root, const char *file, struct config *cfg,
		  struct diag_list *diags)
{
	struct ctx c = { file, cfg, diags, 0, NULL };
	if (cfg->nlanguages == 0)
		return 0; /* 'languages' is wrong, and reported */
	read_field(&c, ynode_get(root, "organisation"), "organisation",
		   offsetof(struct config_language, organisation));
	read_field(&c, ynode_get(root, "footer"), "footer",
		   offsetof(struct config_language, footer));
	const struct ynode *n;
	if ((n = ynode_get(root, "logo")))
		read_logo(&c, n);
	if ((n = ynode_get(root, "contact")))
		read_contact(&c, n);
	if ((n = ynode_get(root, "links")))
		read_links(&c, n);
	return c.rc;
}
