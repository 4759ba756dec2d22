/* SPDX-License-Identifier: MIT */
/*
 * config: the site configuration, content/site.yaml: base URL, languages in
 * order (code and the name the language calls itself), the default
 * language, the site title per language and site options. The struct owns
 * all its strings; config_free releases them.
 */
#ifndef SAPAN_CONFIG_H
#define SAPAN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct config_language {
	char *code;  /* "en", "th": the folder name under content/ */
	char *name;  /* as the language names itself: "English", "ไทย" */
	char *title; /* the site title in this language */
};

struct config {
	char *base_url; /* absolute, ends in "/"; NULL when not set */
	char *default_language;
	struct config_language *languages;
	size_t nlanguages;
	bool unsafe_html; /* markdown.unsafe_html: pass raw HTML through */
	size_t list_page_size; /* list_page_size: entries per page of a long list (paginate.h) */
};

/*
 * Reads and validates the file at path. Returns 0, or -1 after adding
 * positioned errors to diags (every problem found is reported).
 */
int config_load(const char *path, struct config *out, struct diag_list *diags);
/*
 * Sets or replaces the base URL (from site.yaml or the command line).
 * Returns NULL, or leaves cfg alone and returns what is wrong with url (a
 * static phrase such as "it has a query (?...); remove it"): it must be
 * http or https with a host name, with no query, fragment, user name,
 * space, control or non-ASCII character.
 */
const char *config_set_base_url(struct config *cfg, const char *url);
void config_free(struct config *cfg);
/* Returns the index of language code, or -1. */
int config_language_index(const struct config *cfg, const char *code);

#endif
