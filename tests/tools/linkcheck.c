/* SPDX-License-Identifier: MIT */
/*
 * linkcheck: a test tool that reads every HTML file of a built site with
 * libxml2's HTML parser and checks what the end-to-end tests promise:
 * every internal href and src leads to a file of the site, every
 * #fragment to an id, the language switcher never leads to a missing page,
 * and hreflang alternates are symmetric. Prints one line per problem and
 * "N passed, N failed" (one check per file).
 *
 * Usage: linkcheck SITE_DIR
 */
#include <dirent.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hmap.h"
#include "url.h"
#include "util.h"

struct doc {
	char *rel; /* "en/projects/aup-ii/index.html" */
	htmlDocPtr html;
};

struct state {
	const char *root;
	struct doc *docs;
	size_t ndocs, cap;
	struct hmap by_rel;
	int problems;
};

static void collect(struct state *s, const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		char *r = *rel ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		struct stat st;
		stat(path, &st);
		if (S_ISDIR(st.st_mode)) {
			collect(s, path, r);
		} else if (str_has_suffix(r, ".html")) {
			s->docs = xgrow(s->docs, &s->cap, s->ndocs + 1, sizeof *s->docs);
			struct doc *doc = &s->docs[s->ndocs++];
			doc->rel = xstrdup(r);
			doc->html = htmlReadFile(path, "UTF-8", HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
		}
		free(path);
		free(r);
	}
	closedir(d);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static char *decode(const char *s)
{
	struct buf b = BUF_INIT;
	for (; *s; s++) {
		if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			buf_putc(&b, (char)(hexval(s[1]) * 16 + hexval(s[2])));
			s += 2;
		} else {
			buf_putc(&b, *s);
		}
	}
	return buf_detach(&b);
}

/* The site-relative file that href, written in doc, leads to; NULL if it
 * leaves the site. A sentinel first folder lets "the root itself" be told
 * apart from "outside". */
static char *target_of(const char *doc_rel, const char *href)
{
	char *dir = url_dirname(doc_rel);
	char *base = *dir ? xasprintf("@/%s", dir) : xstrdup("@");
	char *path = xstrndup(href, strcspn(href, "#?"));
	char *res = NULL;
	if (!*path) {
		res = xstrdup(doc_rel);
	} else {
		char *norm = url_resolve_path(base, path);
		if (norm && str_has_prefix(norm, "@")) {
			const char *rest = norm[1] == '/' ? norm + 2 : norm + 1;
			res = (!*rest || str_has_suffix(rest, "/")) ? xasprintf("%sindex.html", rest)
								   : xstrdup(rest);
		}
		free(norm);
	}
	free(dir);
	free(base);
	free(path);
	return res;
}

static bool has_id(xmlNodePtr n, const char *id)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE) {
			xmlChar *v = xmlGetProp(n, (const xmlChar *)"id");
			bool match = v && strcmp((const char *)v, id) == 0;
			xmlFree(v);
			if (match || has_id(n->children, id))
				return true;
		}
	}
	return false;
}

static void problem(struct state *s, const char *doc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct state *s, const char *doc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s: ", doc);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	s->problems++;
}

static void check_link(struct state *s, const struct doc *doc, const char *attr, const char *url)
{
	if (!*url || url_is_external(url))
		return;
	if (url[0] == '/') {
		problem(s, doc->rel, "%s '%s' is not relative", attr, url);
		return;
	}
	char *target = target_of(doc->rel, url);
	struct stat st;
	char *path = target ? xasprintf("%s/%s", s->root, target) : NULL;
	if (!target || stat(path, &st) != 0) {
		problem(s, doc->rel, "%s '%s' leads to no file", attr, url);
	} else {
		const char *hash = strchr(url, '#');
		if (hash && hash[1]) {
			struct doc *t = hmap_get(&s->by_rel, target);
			char *frag = decode(hash + 1);
			if (!t || !t->html || !has_id(xmlDocGetRootElement(t->html), frag))
				problem(s, doc->rel, "%s '%s': no such id in the target", attr, url);
			free(frag);
		}
	}
	free(path);
	free(target);
}

static void walk(struct state *s, const struct doc *doc, xmlNodePtr n, struct hmap *alts)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		static const char *const attrs[] = { "href", "src" };
		for (int i = 0; i < 2; i++) {
			xmlChar *v = xmlGetProp(n, (const xmlChar *)attrs[i]);
			if (v) {
				xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
				xmlChar *hl = xmlGetProp(n, (const xmlChar *)"hreflang");
				if (rel && strcmp((const char *)rel, "alternate") == 0 && hl)
					hmap_put(alts, (const char *)hl, xstrdup((const char *)v));
				else
					check_link(s, doc, attrs[i], (const char *)v);
				xmlFree(rel);
				xmlFree(hl);
			}
			xmlFree(v);
		}
		walk(s, doc, n->children, alts);
	}
}

/* Strips the base URL from an absolute alternate to get the site file. */
static char *alt_file(const char *href, const char *base)
{
	if (!str_has_prefix(href, base))
		return NULL;
	char *dec = decode(href + strlen(base));
	char *f = (!*dec || str_has_suffix(dec, "/")) ? xasprintf("%sindex.html", dec) : xstrdup(dec);
	free(dec);
	return f;
}

static void check_alternates(struct state *s, const struct doc *doc, struct hmap *alts,
			     const char *base)
{
	for (size_t i = 0; i < alts->cap; i++) {
		if (!alts->slots[i].key)
			continue;
		const char *href = alts->slots[i].value;
		char *file = alt_file(href, base);
		struct doc *other = file ? hmap_get(&s->by_rel, file) : NULL;
		if (!other) {
			problem(s, doc->rel, "hreflang %s leads to a missing page %s", alts->slots[i].key, href);
		} else if (strcmp(alts->slots[i].key, "x-default") != 0) {
			/* The other page must list this one among its alternates. */
			struct hmap back;
			hmap_init(&back);
			walk(s, other, xmlDocGetRootElement(other->html), &back);
			bool found = false;
			for (size_t j = 0; j < back.cap; j++) {
				if (back.slots[j].key) {
					char *f = alt_file(back.slots[j].value, base);
					found |= f && strcmp(f, doc->rel) == 0;
					free(f);
					free(back.slots[j].value);
				}
			}
			hmap_free(&back);
			if (!found)
				problem(s, doc->rel, "hreflang is not symmetric: %s does not link back", file);
		}
		free(file);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: linkcheck SITE_DIR [BASE_URL]\n");
		return 2;
	}
	struct state s = { .root = argv[1] };
	hmap_init(&s.by_rel);
	collect(&s, argv[1], "");
	for (size_t i = 0; i < s.ndocs; i++)
		hmap_put(&s.by_rel, s.docs[i].rel, &s.docs[i]);
	int passed = 0, failed = 0;
	for (size_t i = 0; i < s.ndocs; i++) {
		int before = s.problems;
		struct hmap alts;
		hmap_init(&alts);
		if (!s.docs[i].html) {
			problem(&s, s.docs[i].rel, "cannot parse");
		} else if (strcmp(s.docs[i].rel, "404.html") != 0) {
			/* 404.html is served at any URL, so its links start from the root path. */
			walk(&s, &s.docs[i], xmlDocGetRootElement(s.docs[i].html), &alts);
			if (argc > 2)
				check_alternates(&s, &s.docs[i], &alts, argv[2]);
		}
		for (size_t j = 0; j < alts.cap; j++)
			free(alts.slots[j].value);
		hmap_free(&alts);
		if (s.problems > before)
			failed++;
		else
			passed++;
	}
	for (size_t i = 0; i < s.ndocs; i++) {
		free(s.docs[i].rel);
		xmlFreeDoc(s.docs[i].html);
	}
	free(s.docs);
	hmap_free(&s.by_rel);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
