/* SPDX-License-Identifier: MIT */
/*
 * build: runs the whole pipeline, in order: configuration, UI strings and
 * templates, the site model and its links, Markdown, views and templates
 * for every page, the special pages (archives, language choice, 404, sitemap),
 * copied files, and the update of the output folder in place (output.h).
 * Nothing in the output folder changes unless every stage succeeded.
 * Pages render on a pool of threads (pool.h); the rest runs on the
 * calling thread.
 */
#ifndef SAPAN_BUILD_H
#define SAPAN_BUILD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct site;

/* Printed by --version, and part of the build cache's key: another version
 * may render the same input differently. */
#define SAPAN_VERSION "0.1.0"

struct build_options {
	const char *content_dir;
	const char *templates_dir;
	const char *output_dir;
	const char *output_shown; /* how messages name the output; NULL: output_dir */
	const char *base_url; /* overrides site.yaml when not NULL */
	bool drafts;
	/* Set (to the signal's number) by main.c's SIGINT/SIGTERM handler; the
	 * build checks it between pages and inside each page's template
	 * render, and stops, leaving the output folder as it was, with the
	 * error "interrupted; <output> was not changed". The Markdown of one
	 * page is converted without a check (libcmark cannot be stopped), about
	 * 50 ms per MB. May be NULL. */
	const atomic_int *interrupted;
	/* Called once a build has succeeded and the site is in output_dir,
	 * before the model is freed; may be NULL. sapan check uses it to
	 * compare the generated files with the pages they came from. */
	void (*inspect)(void *ctx, const struct site *site);
	void *inspect_ctx;
	/* Called, on the thread that called build_run, once a build has
	 * succeeded, for each file it put in the output folder (new or
	 * changed; deleted false) and each file it deleted (deleted true);
	 * rel is relative to the output folder and valid only during the
	 * call. Untouched files are not named. May be NULL. sapan serve uses
	 * it to reload only the pages that changed. */
	void (*changed)(void *ctx, const char *rel, bool deleted);
	void *changed_ctx;
	/* Threads that render pages; 0: one per online CPU. Whatever the
	 * number, the site and the diagnostics are the same, in the same
	 * order. At most POOL_MAX_THREADS (pool.h). */
	unsigned jobs;
	/* Called on the thread that called build_run, about every 100 ms
	 * while pages render and once at the end of each stage, with how many
	 * of total pages the stage ("Markdown", then "pages") has done; never
	 * from a render thread. May be NULL. */
	void (*progress)(void *ctx, const char *stage, size_t done, size_t total);
	void *progress_ctx;
	/* Use the build cache (cache.h): reuse the Markdown and the page
	 * files whose inputs did not change, and write the cache for the next
	 * build. Without it every page is rendered and no cache is read or
	 * written (sapan check builds into a temporary folder without one). */
	bool cache;
	/* With cache: read nothing from the cache, render everything, but
	 * write a fresh cache (sapan build --no-cache). */
	bool cache_refresh;
	/* With cache, may be NULL: another output folder of the same site
	 * whose cache starts this one when this output has none yet
	 * (cache_seed): sapan serve starts from sapan build's work. */
	const char *cache_seed;
	/* May be NULL: called on a render thread for each file a full build
	 * writes, once it is whole in the staging folder, with its path there
	 * (output_on_staged): sapan serve shows its first build's pages as
	 * they come. */
	void (*staged)(void *ctx, const char *rel, const char *path);
	void *staged_ctx;
	/* May be NULL. Keeps the model of the last successful build between
	 * builds of one process (sapan serve): see build_session_new. */
	struct build_session *session;
	/* With session: the files that changed since the last build, nedited
	 * NUL-separated paths as the content and templates folders were given
	 * (watch.h); NULL when that is not known. */
	const char *edited;
	size_t nedited;
	/* An offline copy, for reading from file:// (a USB stick, a ZIP):
	 * every link to a page names its index.html, no absolute link leads
	 * to the site's own pages, there is no 404 page, sitemap or feed, and
	 * every page says it is an offline copy made on offline_date (year,
	 * month, day). */
	bool offline;
	int offline_date[3];
};

#define BUILD_MAX_LANGUAGES 16

struct build_stats {
	size_t nlanguages;
	char language_codes[BUILD_MAX_LANGUAGES][17];
	size_t pages[BUILD_MAX_LANGUAGES]; /* pages written per language */
	size_t files_copied;
	size_t files_written;   /* new or changed files put in the output */
	size_t files_unchanged; /* files left untouched: already the same */
	size_t files_deleted;   /* files of the last build no longer made */
	size_t markdown_rendered; /* pages whose Markdown was converted, not reused */
	size_t pages_rendered;    /* pages whose template ran, not kept from the cache */
	size_t pages_read;        /* pages whose file was read, not recalled from the cache */
	size_t views_built;       /* pages whose view was built: their inputs changed */
	size_t search_written;    /* languages whose search index was written, not kept */
	bool quick;               /* only edited pages were rendered (build_session_new) */
	double seconds;
};

/*
 * A session keeps the whole model of its last successful build (pages,
 * links, templates, strings) so that the next build of the same options,
 * when build_options.edited names only page files whose front matter and
 * description did not change, re-reads and re-renders just those pages
 * and keeps every other file: for a preview server, where the whole
 * build's fixed costs (reading the cache, linking every page, checking
 * every output file) would be most of an edit's wait. Anything else (a
 * template, site.yaml, a new or removed file, a title, an unknown change)
 * makes a full build, which the session then keeps. Such a quick build
 * reports the diagnostics of the pages it rendered. It needs the same
 * options on every build; one thread at a time.
 */
struct build_session *build_session_new(void);
void build_session_free(struct build_session *s);

/*
 * A quick build leaves the search index as it was, so that the edited page
 * is shown without waiting for the whole index to be written again; this
 * writes it, from the records the session keeps, into the options' output
 * folder (the same options as the build's). Call it after each build: it
 * does nothing when no quick build left the index behind. Returns 0, or -1
 * with errors in diags; the pages stay as the build left them either way,
 * and a later call tries again.
 */
int build_session_write_search(struct build_session *s, const struct build_options *opts,
			       struct diag_list *diags);

/*
 * Builds the site. Returns 0 on success; -1 when any error was added to
 * diags, in which case the output folder is as it was before.
 */
int build_run(const struct build_options *opts, struct build_stats *stats,
	      struct diag_list *diags);

#endif
