/* SPDX-License-Identifier: MIT */
/*
 * site: the model of a site and its links. It reads content/ (pages and
 * the other files to copy), parses each page's front matter, and links the
 * pages: output URLs, translations, sections and their children, phase
 * chains, resources, and the Markdown links of every page.
 *
 * The site owns its pages and files; site_free releases everything. After
 * site_link succeeds the model is read-only except for each page's own
 * rendered fields, so pages can be rendered independently.
 */
#ifndef SAPAN_SITE_H
#define SAPAN_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cachekey.h"
#include "config.h"
#include "diag.h"
#include "frontmatter.h"
#include "hmap.h"
#include "source.h"

struct static_file {
	char *path; /* on disk, as the user sees it: "content/media/x.pdf" */
	char *rel;  /* relative to the content folder and the output: "media/x.pdf" */
	off_t size;
};

/* A resource of a page once its paths are resolved. */
struct resource_link {
	const struct fm_resource *fm;
	const struct static_file **files; /* parallel to fm->files */
	size_t *file_langs;               /* language index of each file */
	const struct page *page;          /* RESOURCE_PAGE: the target as written */
};

/* Where a Markdown link of a page was written. sapan check finds it again
 * by the URL the page's HTML carries, to report a broken link there. */
struct link_source {
	char *written;      /* the destination as written: "b.md#x" */
	unsigned line, col; /* of the destination in the page's file */
};

/* The status of a page's file when it was read: equal status, equal file
 * (the change time moves on every write, and cannot be set by hand). */
struct site_file_status {
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
};

/* What an earlier build learnt from reading a page's file, handed back
 * by site_options.recall when the file's status is the same: loading then
 * makes the front matter from its YAML tree and does not read the file. */
struct site_recall {
	struct cache_key text_key;
	size_t body_at, body_len;
	const char *tree; /* the front matter's YAML (frontmatter_parse_tree) */
	size_t tree_len;
	unsigned body_line;
	const void *record; /* the recaller's own, kept in page->recalled */
};

struct page {
	char *path;   /* on disk: "content/en/projects/aup-ii.md" */
	char *rel;    /* relative to content/: "en/projects/aup-ii.md" */
	char *dir;    /* folder of rel: "en/projects" */
	char *url;    /* output folder relative to the site root: "en/projects/aup-ii/" */
	char *key;    /* translation key shared by all language versions */
	size_t lang;  /* index into the config's languages */
	size_t index; /* position in site->pages */
	bool is_section; /* an _index.md */
	bool is_home;    /* <lang>/_index.md */
	struct source src;   /* its text while held: see site_load_body */
	struct front_matter fm;
	struct cache_key text_key; /* of the text as read (cachekey.h) */
	size_t body_at, body_len;  /* where the body is in that text */
	/* For the next build's recall: the file's status, and its front
	 * matter's YAML tree (frontmatter_parse_tree; empty when the
	 * file is too new for its status to tell an edit apart, see load_task
	 * in site.c, or when it was recalled). */
	struct site_file_status status;
	struct buf tree;
	bool settled; /* older than the build by a second, read without notes:
		       * its status can stand for its text (cache_put_source) */
	const void *recalled; /* site_recall.record when it was recalled */
	struct page *parent;     /* nearest section above; NULL for a home page */
	struct page **children;  /* pages whose parent this is, in list order */
	size_t nchildren, children_cap;
	struct page *previous;   /* previous_phase; in another language only when
				  * this one has no version of it */
	struct page *next;       /* the page shown as continuing this one: its
				  * previous_phase is this page or, in another
				  * language, a translation of it (site.c) */
	struct page **translations; /* one per language; [lang] is this page */
	unsigned *title_rank;       /* one per language: the title's place in that
				     * language's dictionary order (site_link) */
	struct resource_link *resources; /* parallel to fm.resources */
	char **aliases; /* parallel to fm.aliases: the output file of each (alias.h) */
	/* Filled by site_render_markdown: */
	char *html;
	char *description; /* summary, or the first paragraph as plain text */
	struct hmap link_sources; /* final URL, percent-decoded -> struct link_source
				   * (owned) of its first occurrence */
};

struct site_options {
	const char *content_dir;
	bool drafts; /* include pages with draft: true */
	const struct hmap *reserved_ids; /* ids the templates use: no heading takes one */
	unsigned jobs; /* threads that read and parse pages; 0 means 1 */
	/* Bytes of page bodies held from loading to rendering; past it a
	 * body is let go at once and read again when its page renders
	 * (site_load_body). 0: SITE_TEXT_BUDGET. */
	size_t text_budget;
	/* May be NULL. Given a page's path under content/ and its file's
	 * status, fills *out and returns true when an earlier build read the
	 * same file (adding what reading it reported to diags); runs on the
	 * loading threads, so it must only read shared state. */
	bool (*recall)(void *ctx, const char *rel, const struct site_file_status *status,
		       struct site_recall *out, struct diag_list *diags);
	void *recall_ctx;
	/* The time the build started: a file changed within a second of it
	 * may change again with the same status, so it is not remembered. */
	int64_t started_s;
	/* Keep every page's front matter tree in page->tree, not only those
	 * the cache remembers: for site_reread_page. */
	bool keep_trees;
	/* An offline copy (build_options.offline): a Markdown link to a page
	 * names its index.html, as links opened from file:// must. */
	bool offline;
};

/* A site of a few thousand pages holds every body and reads each file
 * once; 10,000 pages per language are over 200 MB of text, which the
 * bound keeps out of memory at the cost of reading most files twice. */
#define SITE_TEXT_BUDGET ((size_t)32 << 20)

struct thai;

struct site {
	const struct config *cfg;
	struct site_options opts;
	struct page **pages; /* in path order */
	size_t npages, pages_cap;
	struct static_file *files;
	size_t nfiles, files_cap;
	struct hmap pages_by_rel;  /* "en/projects/aup-ii.md" -> page */
	struct hmap files_by_rel;  /* "media/x.pdf" -> static_file */
	struct hmap drafts_by_rel; /* left-out drafts, for a clear message */
	struct hmap skipped_by_rel; /* files never published -> why (static text) */
	struct hmap *pages_by_key; /* one per language: key -> page */
	struct page **homes;       /* one per language */
	struct thai *thai;         /* word breaker for descriptions; NULL without libthai's dictionary */
};

/*
 * Scans opts->content_dir, reads and parses every page and lists every
 * other file. Returns 0, or -1 when any error was added to diags (all files
 * are still read, so every error is reported in one run).
 */
int site_load(struct site *site, const struct config *cfg, const struct site_options *opts,
	      struct diag_list *diags);
/* A file that the build writes besides pages and copied files. */
struct site_output {
	const char *rel;  /* in the output: "sitemap.xml", "en/archive/index.html" */
	const char *what; /* for messages: "the sitemap" */
};

/*
 * Checks that no two outputs land on one path: the generated files in
 * extra, every page, every copied file and every alias (an error at the
 * alias's line and column). Two paths also collide when
 * they differ only in letter case or Unicode normalisation (servers and
 * file systems that do not tell them apart would show one for the other),
 * and when one needs as a folder a path that the other writes as a file.
 * Each collision is an error at the page or file, naming the other.
 * Returns 0 or -1.
 */
int site_check_outputs(const struct site *site, const struct site_output *extra,
		       size_t nextra, struct diag_list *diags);
/* Links pages to each other (see the top of this file). Returns 0 or -1. */
int site_link(struct site *site, struct diag_list *diags);
/*
 * Makes the page's body available in fm.body: it is there when the text
 * was held since loading; otherwise the file is read again, and must be
 * the text this build loaded (same text_key), or the page would not match
 * its front matter and what other pages show of it: then an error asks to
 * build again. Returns 0 or -1.
 */
int site_load_body(const struct site *site, struct page *page, struct diag_list *diags);
/*
 * Renders the page's Markdown with its links rewritten to output URLs and
 * sets page->html and page->description. Reads only the rest of the site
 * (and the page's file again, when its text was let go). Frees the page's
 * source text (page->src, and with it fm.body), which nothing needs
 * afterwards. Returns 0, or -1 with an error per broken link.
 */
int site_render_markdown(const struct site *site, struct page *page, struct diag_list *diags);
/*
 * Renders the page's Markdown again into page->html only, for a page whose
 * description, link sources and diagnostics the build cache already gave
 * (cache.h): the same text and links give the same HTML, so the
 * diagnostics are dropped. Keeps the source (reading it again when it was
 * let go: site_load_body). Returns 0 or -1.
 */
int site_render_markdown_html(const struct site *site, struct page *page,
			      struct diag_list *diags);
/*
 * For a rebuild that keeps this model (build.c's quick rebuild): reads
 * page's file again as loading does and, when its front matter is the very
 * one the model holds (the same YAML tree and body line; needs
 * site_options.keep_trees), takes its new text and status and lets go of
 * what was rendered from the old text (HTML, link sources), so that
 * site_render_markdown renders it afresh; returns 1. The description is
 * the caller's to compare: site_render_markdown sets it only when NULL. Returns 0,
 * changing nothing, when the front matter differs (the model no longer
 * holds) or the file is gone or cannot be read (a full build reports
 * why); what reading it reported is then the caller's to drop. Otherwise
 * the notes and front matter warnings of reading it are in diags.
 */
int site_reread_page(struct site *site, struct page *page, struct diag_list *diags);
/* Frees the page's source text (and with it fm.body); safe to call twice. */
void site_drop_source(struct page *page);
void site_free(struct site *site);

/*
 * Where the Markdown link that page's HTML carries as href (as in the
 * generated file, percent-encoded or not) was written, or NULL when no
 * Markdown link of the page rendered to that URL (it came from a template).
 * Valid after site_render_markdown; the page owns the result.
 */
const struct link_source *site_link_source(const struct page *page, const char *href);
/* Adds to page's link sources, unless key (a decoded URL) is there:
 * the build cache restores a page's sources with it. */
void site_put_link_source(struct page *page, const char *key, const char *written,
			  unsigned line, unsigned col);
/* The page in language lang that shares page's key, or NULL. */
struct page *site_translation(const struct page *page, size_t lang);
/*
 * The entries a list in language lang shows for section: its own children
 * and, for pages that exist only in another language, that version. The
 * returned array (caller frees) holds *count pages in list order.
 */
struct page **site_section_entries(const struct site *site, const struct page *section,
				   size_t lang, size_t *count);
/* All pages that a list in language lang should show, filtered by keep,
 * with the same fallback rule, in list order. Caller frees the array. */
struct page **site_select(const struct site *site, size_t lang,
			  bool (*keep)(const struct page *), size_t *count);
/*
 * Sorts pages for a list in language lang: by `first` when given (a
 * comparison of two pages, or NULL), then weight, then title in lang's
 * dictionary order (collate.h), then path, so the order never depends on
 * the order pages were read in. Reads only the model: safe on any thread.
 */
void site_sort_pages(struct page **pages, size_t n, size_t lang,
		     int (*first)(const struct page *, const struct page *));
/* For site_sort_pages: news pages before the others, the newest (by
 * date) first. Section lists sort by it, so a news/ section lists its
 * news newest first. */
int site_news_first(const struct page *x, const struct page *y);

#endif
