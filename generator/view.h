/* SPDX-License-Identifier: MIT */
/*
 * view: turns the linked site model into the data a template is rendered
 * with (struct value trees), one function per kind of output page. All
 * URLs in a view are relative to the page being rendered and
 * percent-encoded, so the site works under any path prefix. Each function
 * returns a new tree that the caller frees with value_free. docs/templates.md
 * lists every field.
 */
#ifndef SAPAN_VIEW_H
#define SAPAN_VIEW_H

#include <stddef.h>

#include "i18n.h"
#include "site.h"
#include "value.h"

struct view_env {
	const struct site *site;
	const struct i18n *i18n;
	const char *css_path; /* stylesheet, relative to the site root */
};

/* The output folder of language lang's archive: "en/archive/". */
char *view_archive_url(const struct view_env *env, size_t lang);
struct value *view_page(const struct view_env *env, const struct page *page);
struct value *view_archive(const struct view_env *env, size_t lang);
/* site/index.html: the page that offers every language. */
struct value *view_languages(const struct view_env *env);
/* site/404.html: served at any URL, so its links start from the site's
 * root path (the path of base_url, else "/"). */
struct value *view_not_found(const struct view_env *env);

#endif
