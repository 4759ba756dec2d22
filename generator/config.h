/* SPDX-License-Identifier: MIT */
/*
 * config: the site configuration, content/site.yaml: base URL, languages in
 * order (code and the name the language calls itself), the default
 * language, the site title per language, the organisation's identity
 * (name, logo, contact, footer text, links to its other sites) and site
 * options. The struct owns all its strings; config_free releases them.
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
	/* The identity in this language; each NULL when not given. */
	char *organisation; /* the organisation's name */
	char *logo_alt;     /* the logo's alternative text; set when there is a logo */
	char *address;      /* postal address, lines separated by '\n' */
	char *email;        /* as written, without "mailto:" */
	char *phone;        /* as written, "+66 2 123 4567" */
	char *phone_tel;    /* the same as a tel: URL, "tel:+6621234567" */
	char *footer;       /* footer text */
};

/* A link to another site of the organisation. */
struct config_link {
	char **titles; /* one per language, in the order of languages */
	char *url;     /* absolute http or https URL */
};

/* Identity texts are shown on every page, within its 30 KB budget. */
#define CONFIG_TEXT_MAX 1000
/* Links to other sites: every page's footer carries them. */
#define CONFIG_LINKS_MAX 12

struct config {
	char *base_url; /* absolute, ends in "/"; NULL when not set */
	char *default_language;
	struct config_language *languages;
	size_t nlanguages;
	bool unsafe_html; /* markdown.unsafe_html: pass raw HTML through */
	char *logo; /* the logo's path under content/ ("media/logo.svg"), or NULL */
	bool logo_svg;                  /* the logo is an SVG file (else PNG) */
	unsigned logo_line, logo_col;   /* of the logo's file in site.yaml */
	struct config_link *links;
	size_t nlinks;
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
