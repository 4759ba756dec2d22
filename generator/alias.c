/* SPDX-License-Identifier: MIT */
#include "alias.h"

#include <stdlib.h>
#include <string.h>

#include "url.h"
#include "util.h"

/* The part of an http(s) address after its scheme: "example.org/aup/". */
static const char *after_scheme(const char *url)
{
	if (str_has_prefix(url, "https://"))
		return url + strlen("https://");
	if (str_has_prefix(url, "http://"))
		return url + strlen("http://");
	return NULL;
}

/*
 * The site path of written, from the site's root and without its leading
 * '/' ("en/old/"), or NULL with an error. An old address may have been
 * served over http or https: either matches base_url.
 */
static const char *site_path(const struct config *cfg, const char *written, const char *file,
			     unsigned line, unsigned col, struct diag_list *diags)
{
	if (!url_is_external(written)) {
		if (written[0] == '/')
			return written + 1;
		diag_error(diags, file, line, col,
			   "the alias '%s' must start with '/': write the old address from the "
			   "site's root, as '/%s' (or the full old address of this site)",
			   written, written);
		return NULL;
	}
	if (!cfg->base_url) {
		diag_error(diags, file, line, col,
			   "the alias '%s' is a full address, but site.yaml has no base_url to "
			   "tell this site's addresses from others; write the old address from "
			   "the site's root instead, starting with '/'", written);
		return NULL;
	}
	const char *rest = after_scheme(written), *base = after_scheme(cfg->base_url);
	size_t n = base ? strlen(base) : 0;
	if (!rest || !base || strncmp(rest, base, n) != 0) {
		diag_error(diags, file, line, col,
			   "the alias '%s' is not an address of this site (%s): an alias names "
			   "an old address of this page on this site", written, cfg->base_url);
		return NULL;
	}
	return rest + n;
}

/* Checks each name of the decoded path; returns what is wrong, or NULL. */
static const char *path_problem(const char *path)
{
	for (const char *c = path; *c; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return "holds a control character";
		if (*c == '\\')
			return "holds a backslash ('\\'); names are separated by '/'";
	}
	const char *name = path;
	for (;;) {
		size_t len = strcspn(name, "/");
		bool last = name[len] == '\0';
		if (len == 0 && !last)
			return "has an empty name ('//')";
		if (len > 0 && name[0] == '.')
			return "has a name starting with '.' ('.', '..' or a hidden name); write "
			       "the address as it is, without '.' or '..'";
		if (last)
			return NULL;
		name += len + 1;
	}
}

/* The file a server sends for the site path: "en/old/" -> "en/old/index.html". */
static char *file_of(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strcmp(base, "_index.md") == 0) /* an old section's content path */
		return xasprintf("%.*sindex.html", (int)(base - path), path);
	if (str_has_suffix(path, ".md")) /* an old page's content path */
		return xasprintf("%.*s/index.html", (int)(strlen(path) - 3), path);
	if (str_has_suffix(path, ".html") || str_has_suffix(path, ".htm"))
		return xstrdup(path);
	if (!*base)
		return xasprintf("%sindex.html", path);
	return xasprintf("%s/index.html", path);
}

char *alias_output(const struct config *cfg, size_t lang, const char *written, const char *file,
		   unsigned line, unsigned col, struct diag_list *diags)
{
	const char *code = cfg->languages[lang].code;
	if (!*written) {
		diag_error(diags, file, line, col, "an alias must not be empty");
		return NULL;
	}
	if (strlen(written) > ALIAS_MAX_LEN) {
		diag_error(diags, file, line, col, "an alias may be at most %d bytes long",
			   ALIAS_MAX_LEN);
		return NULL;
	}
	const char *path = site_path(cfg, written, file, line, col, diags);
	if (!path)
		return NULL;
	if (strpbrk(path, "?#")) {
		diag_error(diags, file, line, col,
			   "the alias '%s' has a query or fragment ('?' or '#'): an alias is a "
			   "path only, which a static server can answer with a file; remove it",
			   written);
		return NULL;
	}
	char *decoded = url_decode(path);
	const char *problem = decoded ? path_problem(decoded) : "holds %00";
	if (problem) {
		diag_error(diags, file, line, col, "the alias '%s' %s", written, problem);
		free(decoded);
		return NULL;
	}
	size_t n = strlen(code);
	if (strncmp(decoded, code, n) != 0 || (decoded[n] != '/' && decoded[n] != '\0')) {
		diag_error(diags, file, line, col,
			   "the alias '%s' is outside this page's language folder: an alias of "
			   "a page in content/%s/ is an old address under '/%s/'",
			   written, code, code);
		free(decoded);
		return NULL;
	}
	char *out = file_of(decoded);
	free(decoded);
	return out;
}

char *alias_html(const struct alias_page *a)
{
	/* The folder of the alias's file: "en/old/index.html" -> "en/old/". */
	const char *slash = strrchr(a->rel, '/');
	char *from = xstrndup(a->rel, slash ? (size_t)(slash - a->rel) + 1 : 0);
	char *rel = url_relative(from, a->target);
	char *href = url_encode_path(rel);
	struct buf b = BUF_INIT;
	buf_puts(&b, "<!doctype html>\n<html lang=\"");
	buf_put_html(&b, a->lang, strlen(a->lang));
	buf_puts(&b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
		     "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
		     "<meta name=\"robots\" content=\"noindex\">\n");
	buf_printf(&b, "<meta http-equiv=\"refresh\" content=\"0; url=%s\">\n", href);
	buf_puts(&b, "<link rel=\"canonical\" href=\"");
	if (a->canonical)
		buf_put_html(&b, a->canonical, strlen(a->canonical));
	else
		buf_puts(&b, href);
	buf_puts(&b, "\">\n<link rel=\"icon\" href=\"data:,\">\n<title>");
	buf_put_html(&b, a->title, strlen(a->title));
	buf_puts(&b, "</title>\n</head>\n<body>\n<p>");
	buf_put_html(&b, a->moved, strlen(a->moved));
	buf_printf(&b, " <a href=\"%s\">", href);
	buf_put_html(&b, a->title, strlen(a->title));
	buf_puts(&b, "</a></p>\n</body>\n</html>\n");
	free(href);
	free(rel);
	free(from);
	return buf_detach(&b);
}
