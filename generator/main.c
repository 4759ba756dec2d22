/* SPDX-License-Identifier: MIT */
/*
 * main: the command line. It parses options, runs the build (or the check,
 * or the preview server) and prints the diagnostics the stages collected
 * and a short summary. Exit status: 0 success, 1 content errors (serve: it
 * could not start), 2 usage errors, 128 + the signal's number (130 for
 * SIGINT, 143 for SIGTERM) for a build or a server stopped by a signal.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "check.h"
#include "diag.h"
#include "newpage.h"
#include "offline.h"
#include "pool.h"
#include "qr.h"
#include "serve.h"


enum { EXIT_CONTENT = 1, EXIT_USAGE = 2, EXIT_SIGNAL_BASE = 128 };

/*
 * The one piece of global mutable state in sapan, because a signal handler
 * can reach nothing else: the number of the SIGINT or SIGTERM that asked
 * the build to stop, 0 until then. The handler only sets it; the build
 * reads it through build_options.interrupted between pages, on the render
 * threads too: hence a lock-free atomic (C11 7.14.1.1 allows a handler
 * to store to one), where a volatile sig_atomic_t would be a data race.
 */
static atomic_int interrupted_by;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "a signal handler may store only to a lock-free atomic");

static void on_stop_signal(int sig)
{
	int saved = errno;
	atomic_store(&interrupted_by, sig);
	errno = saved;
}

/* SA_RESETHAND: a second Ctrl-C kills at once; the next build then removes
 * the files this one staged (see output_begin). */
static void catch_stop_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static const char usage[] =
	"Usage: sapan build [options]\n"
	"       sapan check [options] [--strict] [--translations]\n"
	"       sapan serve [options] [--port N] [--bind ADDR | --lan]\n"
	"       sapan new PATH [--kind page|project|infosheet|news] [--content DIR]\n"
	"                 [--templates DIR]\n"
	"       sapan --help | --version\n"
	"\n"
	"Builds a bilingual static site from Markdown.\n"
	"\n"
	"check builds the site into a temporary folder (the output folder is not\n"
	"touched) and verifies it: links and #fragments, hreflang and language\n"
	"switcher links, resource files, missing or outdated translations, and\n"
	"language versions that differ in kind, status, period, donors, previous\n"
	"phase or resource files. With --strict, warnings fail the check too.\n"
	"With --translations, it also prints a table of every page's languages.\n"
	"\n"
	"new starts a page in every language: it writes content/LANG/PATH.md for\n"
	"each language of site.yaml from templates/new/KIND.LANG.md, as a draft\n"
	"dated today, and prints their paths. It never replaces a file.\n"
	"  --kind KIND       page (the default), project, infosheet or news\n"
	"\n"
	"serve builds the site into a private temporary folder (site/ is not\n"
	"touched), serves it at http://127.0.0.1:8000/ and rebuilds it when a file\n"
	"in the content or templates folder changes; open pages reload themselves,\n"
	"and show the errors of a failed build until it is fixed. Ctrl-C stops it.\n"
	"  --port N          the port to listen on (default: 8000)\n"
	"  --bind ADDR       the numeric IP address to listen on (default: 127.0.0.1,\n"
	"                    this computer only)\n"
	"  --lan             listen on this computer's address on the local network\n"
	"                    and print it with a QR code for a phone. This shows the\n"
	"                    unpublished site, drafts too with --drafts, to everyone\n"
	"                    on the local network while serve runs.\n"
	"\n"
	"Options of build, check and serve:\n"
	"  --content DIR     the content folder (default: content)\n"
	"  --templates DIR   the templates folder (default: templates, or the\n"
	"                    installed theme when there is no templates folder)\n"
	"  --output DIR      (build, check) where the site is written (default: site);\n"
	"                    a folder of sapan's own: it must be empty, new, or built\n"
	"                    by sapan\n"
	"  --base-url URL    the site's absolute address, overriding site.yaml\n"
	"  --drafts          also build pages marked draft: true\n"
	"  -j, --jobs N      render pages on N threads, 1 to 256 (default: one per\n"
	"                    online CPU); the site is the same whatever N is\n"
	"  --quiet           print only errors and warnings (and no progress line)\n"
	"  --no-cache        (build) render every page, ignoring the build cache in\n"
	"                    .sapan-cache/ beside the output, and write it afresh\n"
	"  --offline         (build) an offline copy, to open from a USB stick or a\n"
	"                    folder without a server: every link names its file\n"
	"                    (.../index.html), no 404 page, sitemap or feed, and\n"
	"                    every page says it is an offline copy of that day\n"
	"                    (SOURCE_DATE_EPOCH sets the day, for repeatable copies)\n"
	"  --zip FILE        (build) the offline copy as one ZIP file, written in\n"
	"                    place of FILE only when FILE is missing or an offline\n"
	"                    copy sapan wrote; with --output, the folder is written\n"
	"                    too\n"
	"\n"
	"Errors are printed as path:line:col: error: message. Exit status:\n"
	"0 built, 1 content errors (the previous site is left as it was), 2 usage errors,\n"
	"130 or 143 stopped by SIGINT (Ctrl-C) or SIGTERM (the site is left as it was).\n"
	"check: 0 no errors, 1 errors (or warnings with --strict), 2 usage errors.\n"
	"serve: 130 or 143 when stopped, 1 when it cannot start, 2 usage errors.\n"
	"new: 0 written, 1 errors (nothing was written), 2 usage errors.\n";

struct cli {
	struct build_options build;
	bool quiet;
	bool check;  /* sapan check: --strict is allowed */
	bool strict; /* warnings fail the check */
	bool translations; /* check prints the translation table */
	bool serve;  /* sapan serve: --port, --bind and --lan are allowed */
	const char *port;
	const char *bind;
	bool lan;
	const char *zip; /* build --zip FILE */
};

/* Matches "--name VALUE" or "--name=VALUE"; returns 1 and advances *i.
 * An empty value is refused: "--output ''" would otherwise name the
 * current folder, and messages would name an empty path. */
static int take_value(int argc, char **argv, int *i, const char *name, const char **out,
		      int *bad)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);
	if (strncmp(arg, name, n) != 0)
		return 0;
	if (arg[n] == '=') {
		*out = arg + n + 1;
	} else if (arg[n] != '\0') {
		return 0;
	} else if (*i + 1 >= argc) {
		fprintf(stderr, "sapan: error: %s needs a value\n", name);
		*bad = 1;
		return 1;
	} else {
		*out = argv[++*i];
	}
	if (**out == '\0') {
		bool url = strcmp(name, "--base-url") == 0, jobs = strcmp(name, "--jobs") == 0;
		fprintf(stderr, "sapan: error: %s is empty; give %s, or leave the option out\n",
			name, url ? "the site's address, e.g. --base-url https://example.org/"
			      : jobs ? "a number of threads, e.g. --jobs 2"
				     : "a folder's name");
		*bad = 1;
	}
	return 1;
}

/* Reads the value of -j/--jobs: a whole number from 1 to POOL_MAX_THREADS. */
static int parse_jobs(const char *value, unsigned *jobs)
{
	unsigned long n = 0;
	const char *c = value;
	while (*c >= '0' && *c <= '9' && n <= POOL_MAX_THREADS)
		n = n * 10 + (unsigned long)(*c++ - '0');
	if (c == value || *c != '\0' || n < 1 || n > POOL_MAX_THREADS) {
		fprintf(stderr, "sapan: error: --jobs '%s' is not a number of threads from 1 to %d\n",
			value, POOL_MAX_THREADS);
		return -1;
	}
	*jobs = (unsigned)n;
	return 0;
}

/* Matches -j N, -jN, --jobs N and --jobs=N; returns 1 and advances *i. */
static int take_jobs(int argc, char **argv, int *i, unsigned *jobs, int *bad)
{
	const char *arg = argv[*i], *value = NULL;
	if (strncmp(arg, "-j", 2) == 0 && arg[2] != '\0') {
		value = arg + 2;
	} else if (strcmp(arg, "-j") == 0) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "sapan: error: -j needs a value\n");
			*bad = 1;
			return 1;
		}
		value = argv[++*i];
	} else if (!take_value(argc, argv, i, "--jobs", &value, bad)) {
		return 0;
	}
	if (!*bad && parse_jobs(value, jobs))
		*bad = 1;
	return 1;
}

/*
 * The templates folder: the one --templates names (NULL when not given),
 * else ./templates, else the theme `make install` put in
 * SAPAN_DATADIR/templates (compiled in from PREFIX), with a note saying
 * so. A --templates folder that does not exist stays an error (the build
 * reports it), so a typing mistake never silently picks another theme.
 */
static const char *templates_folder(const char *given, struct diag_list *diags)
{
	if (given)
		return given;
	struct stat st;
	if (lstat("templates", &st) == 0 || errno != ENOENT)
		return "templates";
#ifdef SAPAN_DATADIR
	static const char installed[] = SAPAN_DATADIR "/templates";
	if (stat(installed, &st) == 0 && S_ISDIR(st.st_mode)) {
		diag_add(diags, DIAG_NOTE, "templates", 0, 0,
			 "no templates folder here; using the installed theme %s", installed);
		return installed;
	}
#else
	(void)diags;
#endif
	return "templates";
}

static int parse_build_options(int argc, char **argv, struct cli *cli)
{
	int bad = 0;
	for (int i = 2; i < argc && !bad; i++) {
		const char *arg = argv[i];
		if (take_value(argc, argv, &i, "--content", &cli->build.content_dir, &bad) ||
		    take_value(argc, argv, &i, "--templates", &cli->build.templates_dir, &bad) ||
		    take_value(argc, argv, &i, "--output", &cli->build.output_dir, &bad) ||
		    take_value(argc, argv, &i, "--base-url", &cli->build.base_url, &bad) ||
		    take_jobs(argc, argv, &i, &cli->build.jobs, &bad))
			continue;
		if (!cli->check && !cli->serve && take_value(argc, argv, &i, "--zip", &cli->zip, &bad))
			continue;
		if (cli->serve && (take_value(argc, argv, &i, "--port", &cli->port, &bad) ||
				   take_value(argc, argv, &i, "--bind", &cli->bind, &bad)))
			continue;
		if (strcmp(arg, "--drafts") == 0) {
			cli->build.drafts = true;
		} else if (cli->serve && strcmp(arg, "--lan") == 0) {
			cli->lan = true;
		} else if (!cli->check && !cli->serve && strcmp(arg, "--no-cache") == 0) {
			cli->build.cache_refresh = true;
		} else if (!cli->check && !cli->serve && strcmp(arg, "--offline") == 0) {
			cli->build.offline = true;
		} else if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0) {
			cli->quiet = true;
		} else if (cli->check && strcmp(arg, "--strict") == 0) {
			cli->strict = true;
		} else if (cli->check && strcmp(arg, "--translations") == 0) {
			cli->translations = true;
		} else {
			fprintf(stderr, "sapan: error: unknown option '%s' (see sapan --help)\n", arg);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

/* A build shorter than this shows no progress line: it would only flicker. */
#define PROGRESS_AFTER_MS 500

/* The progress line on a terminal: "sapan: pages 1200/19500", redrawn in
 * place and erased when the build ends, before any diagnostic. */
struct progress {
	struct timespec start;
	bool shown;
};

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - since->tv_sec) * 1000 +
	       (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* build_options.progress: the build calls it on this thread only. */
static void show_progress(void *ctx, const char *stage, size_t done, size_t total)
{
	struct progress *pr = ctx;
	if (!pr->shown && elapsed_ms(&pr->start) < PROGRESS_AFTER_MS)
		return;
	/* \033[K erases what a longer previous line left. */
	fprintf(stderr, "\r\033[Ksapan: %s %zu/%zu", stage, done, total);
	pr->shown = true;
}

/* Shows progress only on a terminal, and never with --quiet: a log file
 * or a pipe gets no carriage returns. */
static void start_progress(struct cli *cli, struct progress *pr)
{
	clock_gettime(CLOCK_MONOTONIC, &pr->start);
	pr->shown = false;
	if (cli->quiet || !isatty(STDERR_FILENO))
		return;
	cli->build.progress = show_progress;
	cli->build.progress_ctx = pr;
}

static void end_progress(const struct progress *pr)
{
	if (pr->shown)
		fputs("\r\033[K", stderr);
}

static void print_diagnostics(struct diag_list *diags, bool notes)
{
	diag_list_sort(diags);
	struct buf line = BUF_INIT;
	for (size_t i = 0; i < diags->len; i++) {
		if (!notes && diags->items[i].severity == DIAG_NOTE)
			continue;
		buf_truncate(&line, 0);
		diag_format(&diags->items[i], &line);
		fprintf(stderr, "%s\n", line.ptr);
	}
	buf_free(&line);
}

static void print_summary(const struct build_stats *stats, const struct diag_list *diags,
			  const char *output)
{
	printf("Built %s:", output);
	for (size_t l = 0; l < stats->nlanguages; l++)
		printf("%s %zu %s pages", l ? "," : "", stats->pages[l], stats->language_codes[l]);
	printf("; %zu file%s written, %zu unchanged, %zu deleted; %zu warning%s, %.2f s\n",
	       stats->files_written, stats->files_written == 1 ? "" : "s",
	       stats->files_unchanged, stats->files_deleted, diags->warnings,
	       diags->warnings == 1 ? "" : "s", stats->seconds);
}

/*
 * TEST HOOK ONLY: SAPAN_TEST_RENDER_COUNTS=1 prints how many pages had
 * their Markdown converted and their template run (not taken from the
 * build cache), how many pages' views were built (their inputs
 * changed: view_page_inputs) and how many pages' files were read (not
 * recalled from the cache) and how many languages' search indexes were
 * written, so tests/e2e/cache.sh can check that an edit redoes exactly the
 * work it must. Not a user setting.
 */
static void print_render_counts(const struct build_stats *stats)
{
	const char *v = getenv("SAPAN_TEST_RENDER_COUNTS");
	if (v && strcmp(v, "1") == 0)
		fprintf(stderr, "rendered: %zu markdown, %zu pages\nviews: %zu built\nread: %zu pages\n"
				"quick: %d\nsearch: %zu written\n",
			stats->markdown_rendered, stats->pages_rendered, stats->views_built,
			stats->pages_read, stats->quick, stats->search_written);
}

/*
 * The day an offline copy says it was made, and the time its ZIP entries
 * carry: SOURCE_DATE_EPOCH when set (the reproducible-builds convention:
 * seconds since 1970, read as UTC), else now, in local time. Returns 0,
 * or -1 after printing why.
 */
static int offline_date(struct build_options *o, int64_t *made_at)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t now = time(NULL);
	struct tm tm;
	if (epoch && *epoch) {
		char *end;
		errno = 0;
		long long v = strtoll(epoch, &end, 10);
		if (errno || *end || v < 0 || v > 253402300799LL) {
			fprintf(stderr, "sapan: error: SOURCE_DATE_EPOCH '%s' is not a number of "
					"seconds since 1970 before the year 10000\n", epoch);
			return -1;
		}
		now = (time_t)v;
		gmtime_r(&now, &tm);
	} else {
		localtime_r(&now, &tm);
	}
	o->offline_date[0] = tm.tm_year + 1900;
	o->offline_date[1] = tm.tm_mon + 1;
	o->offline_date[2] = tm.tm_mday;
	*made_at = (int64_t)now;
	return 0;
}

static int run_build(int argc, char **argv)
{
	struct cli cli = { .build = { .content_dir = "content" } };
	if (parse_build_options(argc, argv, &cli))
		return EXIT_USAGE;
	/* --zip alone builds into a private folder; the ZIP is the result. */
	if (!cli.build.output_dir && !cli.zip)
		cli.build.output_dir = "site";
	int64_t made_at = 0;
	if (cli.zip)
		cli.build.offline = true;
	if (cli.build.offline && offline_date(&cli.build, &made_at))
		return EXIT_USAGE;
	cli.build.cache = true;
	struct diag_list diags;
	diag_list_init(&diags);
	cli.build.templates_dir = templates_folder(cli.build.templates_dir, &diags);
	struct build_stats stats;
	cli.build.interrupted = &interrupted_by;
	catch_stop_signals();
	struct progress progress;
	start_progress(&cli, &progress);
	int rc = cli.zip ? offline_zip_run(&cli.build, cli.zip, made_at, &stats, &diags)
			 : build_run(&cli.build, &stats, &diags);
	end_progress(&progress);
	int stopped_by = atomic_load(&interrupted_by);
	/* What the summary and the failure name: the folder, the ZIP, or both. */
	char both[4096];
	const char *shown = cli.build.output_dir ? cli.build.output_dir : cli.zip;
	if (cli.zip && cli.build.output_dir) {
		snprintf(both, sizeof both, "%s and %s", cli.build.output_dir, cli.zip);
		shown = both;
	}
	/* --quiet promises only errors and warnings. */
	print_diagnostics(&diags, !cli.quiet);
	if (rc == 0 && !cli.quiet)
		print_summary(&stats, &diags, shown);
	print_render_counts(&stats);
	if (rc != 0 && !stopped_by)
		fprintf(stderr, "sapan: build failed with %zu error%s; %s %s not changed\n",
			diags.errors, diags.errors == 1 ? "" : "s", shown,
			shown == both ? "were" : "was");
	diag_list_free(&diags);
	if (rc != 0 && stopped_by)
		return EXIT_SIGNAL_BASE + stopped_by;
	return rc == 0 ? EXIT_SUCCESS : EXIT_CONTENT;
}

/* Writes "1 error", "2 errors". */
static void plural(size_t n, const char *word, char *out, size_t size)
{
	snprintf(out, size, "%zu %s%s", n, word, n == 1 ? "" : "s");
}

static int run_check(int argc, char **argv)
{
	struct cli cli = { .build = { .content_dir = "content", .output_dir = "site" },
			   .check = true };
	if (parse_build_options(argc, argv, &cli))
		return EXIT_USAGE;
	struct diag_list diags;
	diag_list_init(&diags);
	cli.build.templates_dir = templates_folder(cli.build.templates_dir, &diags);
	struct check_stats stats;
	cli.build.interrupted = &interrupted_by;
	catch_stop_signals();
	struct progress progress;
	start_progress(&cli, &progress);
	struct buf table = BUF_INIT;
	int rc = check_run(&cli.build, &stats, cli.translations ? &table : NULL, &diags);
	end_progress(&progress);
	int stopped_by = atomic_load(&interrupted_by);
	print_diagnostics(&diags, !cli.quiet);
	if (stopped_by) {
		diag_list_free(&diags);
		buf_free(&table);
		return EXIT_SIGNAL_BASE + stopped_by;
	}
	fputs(table.ptr, stdout);
	buf_free(&table);
	if (rc != 0)
		fprintf(stderr, "sapan: build failed with %zu error%s; nothing was checked\n",
			diags.errors, diags.errors == 1 ? "" : "s");
	size_t notes = diags.len - diags.errors - diags.warnings;
	char e[32], w[32], n[32], p[32], l[32];
	plural(diags.errors, "error", e, sizeof e);
	plural(diags.warnings, "warning", w, sizeof w);
	plural(notes, "note", n, sizeof n);
	plural(stats.pages, "page", p, sizeof p);
	plural(stats.links, "link", l, sizeof l);
	if (!cli.quiet)
		printf("check: %s, %s, %s; %s checked, %s checked\n", e, w, n, p, l);
	bool failed = rc != 0 || diags.errors > 0 || (cli.strict && diags.warnings > 0);
	diag_list_free(&diags);
	return failed ? EXIT_CONTENT : EXIT_SUCCESS;
}

/* Reads the options of sapan new. Returns 0, or -1 after printing why. */
static int parse_new_options(int argc, char **argv, struct newpage_options *o)
{
	int bad = 0;
	const char *path = NULL;
	for (int i = 2; i < argc && !bad; i++) {
		const char *arg = argv[i];
		if (take_value(argc, argv, &i, "--content", &o->content_dir, &bad) ||
		    take_value(argc, argv, &i, "--templates", &o->templates_dir, &bad) ||
		    take_value(argc, argv, &i, "--kind", &o->kind, &bad))
			continue;
		if (arg[0] == '-' && arg[1] != '\0') {
			fprintf(stderr, "sapan: error: unknown option '%s' (see sapan --help)\n", arg);
			bad = 1;
		} else if (path) {
			fprintf(stderr, "sapan: error: new takes one page path, not '%s' too\n", arg);
			bad = 1;
		} else {
			path = arg;
		}
	}
	if (bad)
		return -1;
	if (!path) {
		fprintf(stderr, "sapan: error: new needs the page's path, e.g. "
				"sapan new projects/water --kind project\n");
		return -1;
	}
	if (!newpage_kind_valid(o->kind)) {
		fprintf(stderr, "sapan: error: --kind '%s' is not a kind of page (expected %s)\n",
			o->kind, NEWPAGE_KINDS);
		return -1;
	}
	o->path = path;
	return 0;
}

static int run_new(int argc, char **argv)
{
	struct newpage_options o = { .content_dir = "content", .kind = "page" };
	if (parse_new_options(argc, argv, &o))
		return EXIT_USAGE;
	struct diag_list diags;
	diag_list_init(&diags);
	o.templates_dir = templates_folder(o.templates_dir, &diags);
	/* "Today" is the writer's day: local time, not UTC. */
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	o.year = tm.tm_year + 1900;
	o.month = tm.tm_mon + 1;
	o.day = tm.tm_mday;
	struct newpage_result res;
	enum newpage_status st = newpage_run(&o, &res, &diags);
	int rc = EXIT_SUCCESS;
	if (st == NEWPAGE_BAD_PATH) {
		/* A bad PATH is a usage error: the one error has no file. */
		for (size_t i = 0; i < diags.len; i++)
			if (diags.items[i].severity == DIAG_ERROR)
				fprintf(stderr, "sapan: error: %s\n", diags.items[i].message);
		rc = EXIT_USAGE;
	} else {
		print_diagnostics(&diags, true);
		for (size_t i = 0; i < res.len; i++)
			printf("%s\n", res.written[i]);
		if (st != NEWPAGE_OK) {
			fprintf(stderr, "sapan: new failed with %zu error%s; no file was written\n",
				diags.errors, diags.errors == 1 ? "" : "s");
			rc = EXIT_CONTENT;
		}
	}
	newpage_result_free(&res);
	diag_list_free(&diags);
	return rc;
}

/* Reads --port: a whole number from 1 to 65535. */
static int parse_port(const char *value, unsigned *port)
{
	unsigned long n = 0;
	const char *c = value;
	while (*c >= '0' && *c <= '9' && n <= 65535)
		n = n * 10 + (unsigned long)(*c++ - '0');
	if (c == value || *c != '\0' || n < 1 || n > 65535) {
		fprintf(stderr, "sapan: error: --port '%s' is not a port number from 1 to 65535\n",
			value);
		return -1;
	}
	*port = (unsigned)n;
	return 0;
}

struct serve_cli {
	bool quiet;
	bool lan;
};

/* serve_options.listening: the address, and for --lan its QR code. */
static void show_address(void *ctx, const char *url)
{
	const struct serve_cli *sc = ctx;
	printf("Serving the site at %s (Ctrl-C stops)\n", url);
	if (sc->lan) {
		printf("Anyone on the local network can open it while this runs:\n");
		struct buf qr = BUF_INIT;
		if (qr_terminal(url, &qr) == 0)
			fputs(qr.ptr, stdout);
		buf_free(&qr);
	}
	fflush(stdout);
}

/* serve_options.built: what build prints, after each build. */
static void show_build(void *ctx, int rc, const struct build_stats *stats,
		       struct diag_list *diags)
{
	const struct serve_cli *sc = ctx;
	if (atomic_load(&interrupted_by))
		return;
	print_diagnostics(diags, !sc->quiet);
	if (rc == 0 && !sc->quiet)
		print_summary(stats, diags, "the preview");
	print_render_counts(stats);
	if (rc != 0)
		fprintf(stderr, "sapan: build failed with %zu error%s; serving the last good site\n",
			diags->errors, diags->errors == 1 ? "" : "s");
	fflush(stdout);
}

static int run_serve(int argc, char **argv)
{
	struct cli cli = { .build = { .content_dir = "content" }, .serve = true };
	if (parse_build_options(argc, argv, &cli))
		return EXIT_USAGE;
	if (cli.build.output_dir) {
		fprintf(stderr, "sapan: error: serve writes no output folder (it builds into a "
				"private one); leave --output out\n");
		return EXIT_USAGE;
	}
	/* The folder sapan build writes by default: its cache, when it was
	 * made from the same content, spares the first build most of its
	 * work (site/ itself is never touched). */
	cli.build.cache_seed = "site";
	struct serve_options so = { .address = "127.0.0.1", .port = SERVE_DEFAULT_PORT };
	if (cli.port && parse_port(cli.port, &so.port))
		return EXIT_USAGE;
	if (cli.bind && cli.lan) {
		fprintf(stderr, "sapan: error: --bind and --lan both choose the address; give one\n");
		return EXIT_USAGE;
	}
	char lan[64];
	if (cli.lan) {
		if (serve_lan_address(lan, sizeof lan)) {
			fprintf(stderr, "sapan: error: --lan found no network address of this "
					"computer (no interface is up with an IPv4 address)\n");
			return EXIT_CONTENT;
		}
		so.address = lan;
	} else if (cli.bind) {
		if (!serve_is_address(cli.bind)) {
			fprintf(stderr, "sapan: error: --bind '%s' is not a numeric IP address; give "
					"e.g. 127.0.0.1 or ::1 (or --lan)\n", cli.bind);
			return EXIT_USAGE;
		}
		so.address = cli.bind;
	}
	struct diag_list diags;
	diag_list_init(&diags);
	cli.build.templates_dir = templates_folder(cli.build.templates_dir, &diags);
	print_diagnostics(&diags, !cli.quiet);
	diag_list_free(&diags);
	diag_list_init(&diags);
	so.build = cli.build;
	so.build.interrupted = &interrupted_by;
	struct serve_cli sc = { .quiet = cli.quiet, .lan = cli.lan };
	so.listening = show_address;
	so.built = show_build;
	so.ctx = &sc;
	catch_stop_signals();
	/* A reader that goes away mid-response must not stop the server. */
	signal(SIGPIPE, SIG_IGN);
	int rc = serve_run(&so, &diags);
	print_diagnostics(&diags, true);
	diag_list_free(&diags);
	int stopped_by = atomic_load(&interrupted_by);
	if (rc != 0)
		return EXIT_CONTENT;
	return stopped_by ? EXIT_SIGNAL_BASE + stopped_by : EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return EXIT_SUCCESS;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("sapan %s\n", SAPAN_VERSION);
		return EXIT_SUCCESS;
	}
	if (strcmp(cmd, "build") == 0)
		return run_build(argc, argv);
	if (strcmp(cmd, "check") == 0)
		return run_check(argc, argv);
	if (strcmp(cmd, "new") == 0)
		return run_new(argc, argv);
	if (strcmp(cmd, "serve") == 0)
		return run_serve(argc, argv);
	fprintf(stderr, "sapan: error: unknown command '%s' (see sapan --help)\n", cmd);
	return EXIT_USAGE;
}
