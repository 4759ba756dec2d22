/* SPDX-License-Identifier: MIT */
/*
 * site_fixture: a small bilingual site written to a temporary folder and
 * loaded and linked, for unit tests of the site model and what reads it.
 * The fixture owns its folder and model; site_fixture_teardown removes both.
 */
#ifndef SAPAN_SITE_FIXTURE_H
#define SAPAN_SITE_FIXTURE_H

#include "config.h"
#include "diag.h"
#include "site.h"

struct site_fixture {
	char dir[64];  /* the temporary folder */
	char *content; /* dir/content */
	struct config cfg;
	struct site site;
	struct diag_list diags;
};

/* Writes text to root/rel, creating folders. */
void site_fixture_put(const char *root, const char *rel, const char *text);
/* Writes the UI strings file root/rel: text, plus "key: x" for every UI
 * string the generator requires that text lacks. */
void site_fixture_put_strings(const char *root, const char *rel, const char *text);
/*
 * Writes content/site.yaml (en and th), both home pages and then the
 * NULL-terminated (path, text) pairs of each list in lists (itself
 * NULL-terminated), then loads and links the site. Returns 0, or -1 when
 * loading or linking reported errors (they are in f->diags).
 */
int site_fixture_setup(struct site_fixture *f, const char *const *const *lists);
void site_fixture_teardown(struct site_fixture *f);
/* The page at content-relative path rel, or NULL. */
struct page *site_fixture_page(struct site_fixture *f, const char *rel);

#endif
