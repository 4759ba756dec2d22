/* SPDX-License-Identifier: MIT */
/*
 * assets: the theme's own files (templates/assets/: the stylesheet, fonts,
 * images) copied into the site's assets/ folder. A stylesheet's name
 * carries a hash of its content ("style.1a2b3c4d.css"), so servers may
 * cache it for a year and a changed theme still reaches every reader at
 * once. Backups and Markdown notes in the folder are the designer's, not
 * the site's, and are not copied.
 *
 * A struct assets owns the list of what it wrote and the stylesheet's
 * path; assets_free releases them (safe on a zeroed struct).
 */
#ifndef SAPAN_ASSETS_H
#define SAPAN_ASSETS_H

#include <stddef.h>

#include "diag.h"
#include "fsentry.h"
#include "output.h"
#include "site.h"

struct assets {
	struct site_output *outputs; /* every file written, for the collision check */
	size_t noutputs, outputs_cap;
	char *css_path; /* "assets/style.1a2b3c4d.css", or NULL without a stylesheet */
	size_t files_copied;
};

/*
 * Copies every publishable file under templates_dir/assets into the
 * output's assets/ folder, at most eight folders deep, never following a
 * symbolic link out of root (the templates folder). Problems are added to
 * diags; the caller checks diags->errors.
 */
void assets_copy(struct assets *assets, struct fsentry_root *root, const char *templates_dir,
		 struct output *out, struct diag_list *diags);
void assets_free(struct assets *assets);

#endif
