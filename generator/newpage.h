/* SPDX-License-Identifier: MIT */
/*
 * newpage: `sapan new PATH`, which starts a page in every language of the
 * site at once. For each language of site.yaml it renders the theme's
 * starter file templates/new/<kind>.<lang>.md (a Mustache template given
 * {{date}}, today's date, and {{path}}) and writes it to
 * content/<lang>/PATH.md. It never overwrites a file: every file is
 * created with O_EXCL, and when one cannot be written, the ones already
 * written (and the folders made for them) are removed, so the result is
 * all the files or none.
 *
 * A struct newpage_result owns the paths it lists; newpage_result_free
 * releases them (safe on a zeroed result).
 */
#ifndef SAPAN_NEWPAGE_H
#define SAPAN_NEWPAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* The kinds `--kind` takes, as front matter spells them. */
#define NEWPAGE_KINDS "page, project, infosheet or news"

struct newpage_options {
	const char *content_dir;   /* "content" */
	const char *templates_dir; /* "templates": the starter files are in new/ */
	const char *path;          /* as the user gave it: "projects/water" */
	const char *kind;          /* "page", "project", "infosheet" or "news" */
	int year, month, day;      /* today, in local time */
};

struct newpage_result {
	char **written; /* the files written, in the order of site.yaml's languages */
	size_t len;
};

enum newpage_status {
	NEWPAGE_OK = 0,
	NEWPAGE_FAILED = 1,   /* positioned errors in diags; nothing was written */
	NEWPAGE_BAD_PATH = 2, /* one error in diags, without a file: what is wrong
			       * with the PATH argument (a usage error) */
};

/* True when kind is one of NEWPAGE_KINDS. */
bool newpage_kind_valid(const char *kind);

/*
 * Writes the new page in every language of the site. Returns NEWPAGE_OK
 * with res filled, or another status with nothing written and res empty.
 */
enum newpage_status newpage_run(const struct newpage_options *o, struct newpage_result *res,
				struct diag_list *diags);
void newpage_result_free(struct newpage_result *res);

#endif
