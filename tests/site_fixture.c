/* SPDX-License-Identifier: MIT */
#include "site_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "output.h"
#include "util.h"

/* Writes root/rel, making the folders on the way. */
void site_fixture_put(const char *root, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", root, rel);
	for (char *p = path + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(path);
}

/* Writes a language file of the given strings, plus "key: x" for every
 * other UI string the generator requires. */
void site_fixture_put_strings(const char *dir, const char *name, const char *text)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, text);
	for (size_t i = 0; i < i18n_nrequired; i++) {
		char *line = xasprintf("\n%s:", i18n_required_keys[i]);
		if (!str_has_prefix(text, line + 1) && !strstr(text, line))
			buf_printf(&b, "%s x\n", line + 1);
		free(line);
	}
	/* Every language's name (i18n_language_key), for the languages the
	 * tests use. */
	static const char *const names[] = { "language_en", "language_th" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char *line = xasprintf("\n%s:", names[i]);
		if (!str_has_prefix(text, line + 1) && !strstr(text, line))
			buf_printf(&b, "%s x\n", line + 1);
		free(line);
	}
	site_fixture_put(dir, name, b.ptr);
	buf_free(&b);
}

int site_fixture_setup(struct site_fixture *f, const char *const *const *lists)
{
	memset(f, 0, sizeof *f);
	diag_list_init(&f->diags);
	strcpy(f->dir, "/tmp/sapan-site-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	f->content = xasprintf("%s/content", f->dir);
	site_fixture_put(f->content, "site.yaml",
			 "default_language: en\nlanguages:\n  - {code: en, name: English}\n"
			 "  - {code: th, name: ไทย}\ntitle: {en: Site, th: ไซต์}\n");
	site_fixture_put(f->content, "en/_index.md", "---\ntitle: Home\n---\nHi.\n");
	site_fixture_put(f->content, "th/_index.md", "---\ntitle: หน้าแรก\n---\nสวัสดี\n");
	for (size_t l = 0; lists && lists[l]; l++) {
		for (size_t i = 0; lists[l][i]; i += 2)
			site_fixture_put(f->content, lists[l][i], lists[l][i + 1]);
	}
	char *yaml = xasprintf("%s/site.yaml", f->content);
	int rc = config_load(yaml, &f->cfg, &f->diags);
	free(yaml);
	if (rc)
		return -1;
	struct site_options opts = { .content_dir = f->content };
	rc = site_load(&f->site, &f->cfg, &opts, &f->diags);
	if (rc == 0)
		rc = site_link(&f->site, &f->diags);
	return rc;
}

void site_fixture_teardown(struct site_fixture *f)
{
	site_free(&f->site);
	config_free(&f->cfg);
	diag_list_free(&f->diags);
	output_remove_tree(f->dir);
	free(f->content);
}

struct page *site_fixture_page(struct site_fixture *f, const char *rel)
{
	return hmap_get(&f->site.pages_by_rel, rel);
}
