/* SPDX-License-Identifier: MIT */
/*
 * build: runs the whole pipeline, in order: configuration, UI strings and
 * templates, the site model and its links, Markdown, views and templates
 * for every page, the special pages (archives, language choice, 404, sitemap),
 * copied files, and the swap of the new site into place. Nothing is
 * written to the output folder unless every stage succeeded.
 */
#ifndef SAPAN_BUILD_H
#define SAPAN_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct build_options {
	const char *content_dir;
	const char *templates_dir;
	const char *output_dir;
	const char *base_url; /* overrides site.yaml when not NULL */
	bool drafts;
};

#define BUILD_MAX_LANGUAGES 16

struct build_stats {
	size_t nlanguages;
	char language_codes[BUILD_MAX_LANGUAGES][17];
	size_t pages[BUILD_MAX_LANGUAGES]; /* pages written per language */
	size_t files_copied;
	double seconds;
};

/*
 * Builds the site. Returns 0 on success; -1 when any error was added to
 * diags, in which case the output folder is as it was before.
 */
int build_run(const struct build_options *opts, struct build_stats *stats,
	      struct diag_list *diags);

#endif
