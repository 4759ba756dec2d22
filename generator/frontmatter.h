/* SPDX-License-Identifier: MIT */
/*
 * frontmatter: splits a page source into its YAML front matter and Markdown
 * body, and turns the YAML into a typed struct front_matter, checking every
 * key and value and reporting problems at their line and column.
 *
 * struct front_matter owns its strings; body points into the caller's
 * text, which must outlive it.
 */
#ifndef SAPAN_FRONTMATTER_H
#define SAPAN_FRONTMATTER_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "util.h"

enum page_kind { PAGE_KIND_PAGE, PAGE_KIND_PROJECT, PAGE_KIND_INFOSHEET, PAGE_KIND_NEWS };

/*
 * The most aliases a page may have. Each is a file in the output; a page
 * moved a few times has a few old addresses, and a list of hundreds is a
 * mistake (a pasted list of pages, say) better refused than written.
 */
#define FM_ALIASES_MAX 32

struct fm_pos {
	unsigned line, col;
};

struct fm_file {
	char *lang; /* language code the document is written in */
	char *path; /* as written */
	struct fm_pos pos;
};

enum resource_type { RESOURCE_FILES, RESOURCE_PAGE, RESOURCE_URL };

struct fm_resource {
	char *title;
	enum resource_type type;
	char *target; /* page path or URL; NULL for RESOURCE_FILES */
	struct fm_pos pos; /* of the target value, or of the item */
	struct fm_file *files;
	size_t nfiles;
};

struct front_matter {
	char *title;
	char *menu_title; /* shorter title for the menu, or NULL for the title */
	char *summary;
	enum page_kind kind;
	struct fm_pos kind_pos; /* of the kind value; 0:0 when not given */
	bool inactive;
	struct fm_pos status_pos; /* of the status value; 0:0 when not given */
	char *period;
	struct fm_pos period_pos;
	char *location;
	char **donors;
	size_t ndonors;
	struct fm_pos donors_pos; /* of the donors value */
	bool has_date;
	int year, month, day;
	struct fm_pos date_pos; /* of the date value, when has_date */
	bool has_updated; /* updated: the day the page last changed */
	int updated_year, updated_month, updated_day;
	long weight;
	bool has_menu;         /* menu was given */
	bool menu;             /* menu: true puts the page in its language's menu */
	struct fm_pos menu_pos; /* of the menu value, when has_menu */
	bool draft;
	char *previous_phase;
	struct fm_pos previous_phase_pos;
	struct fm_resource *resources;
	size_t nresources;
	char *translation_key;
	struct fm_pos translation_key_pos;
	char *layout;
	struct fm_pos layout_pos;
	char **aliases;            /* old addresses that redirect here, as written */
	struct fm_pos *alias_pos;  /* of each */
	size_t naliases;
	const char *body; /* the Markdown after the closing '---' */
	size_t body_len;
	unsigned body_line; /* line of the file on which body begins */
};

/*
 * Parses text (len bytes of UTF-8 with LF line ends) from file. Fills out
 * and returns 0; on errors returns -1 with every problem in diags, and out
 * holds nothing to free. Warnings (unknown keys, with the nearest known
 * key when one is close) do not fail; a known key written with other
 * letter case ("Status") is an error that names the right spelling.
 */
int frontmatter_parse(const char *file, const char *text, size_t len, struct front_matter *out,
		      struct diag_list *diags);
/*
 * As frontmatter_parse, and when it succeeds and tree is not NULL, appends
 * the YAML tree to tree (ynode_encode), so that a later build can make
 * the same struct with frontmatter_from_tree without parsing the YAML.
 */
int frontmatter_parse_tree(const char *file, const char *text, size_t len,
			   struct front_matter *fm, struct buf *tree, struct diag_list *diags);
/*
 * Makes *fm from a tree that frontmatter_parse_tree gave, with the same
 * diagnostics; body stays NULL, body_line is as given. Returns 0, or -1
 * when the len bytes at tree are not such a tree (nothing is reported:
 * the caller reads the file instead) or the keys have errors.
 */
int frontmatter_from_tree(const char *file, const char *tree, size_t len, unsigned body_line,
			  struct front_matter *fm, struct diag_list *diags);
void frontmatter_free(struct front_matter *fm);
/* The name of a kind as written in front matter: "page", "project"... */
const char *frontmatter_kind_name(enum page_kind kind);

#endif
