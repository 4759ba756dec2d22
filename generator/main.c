/* SPDX-License-Identifier: MIT */
/*
 * main: the command line. It parses options, runs the build and prints the
 * diagnostics the stages collected and a short summary. Exit status: 0
 * success, 1 content errors, 2 usage errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "diag.h"

#define SAPAN_VERSION "0.1.0"

enum { EXIT_CONTENT = 1, EXIT_USAGE = 2 };

static const char usage[] =
	"Usage: sapan build [options]\n"
	"       sapan --help | --version\n"
	"\n"
	"Builds a bilingual static site from Markdown.\n"
	"\n"
	"Options of build:\n"
	"  --content DIR     the content folder (default: content)\n"
	"  --templates DIR   the templates folder (default: templates)\n"
	"  --output DIR      where the site is written (default: site)\n"
	"  --base-url URL    the site's absolute address, overriding site.yaml\n"
	"  --drafts          also build pages marked draft: true\n"
	"  --quiet           print only errors and warnings\n"
	"\n"
	"Errors are printed as path:line:col: error: message. Exit status:\n"
	"0 built, 1 content errors (the previous site is left as it was), 2 usage errors.\n";

struct cli {
	struct build_options build;
	bool quiet;
};

/* Matches "--name VALUE" or "--name=VALUE"; returns 1 and advances *i. */
static int take_value(int argc, char **argv, int *i, const char *name, const char **out,
		      int *bad)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);
	if (strncmp(arg, name, n) != 0)
		return 0;
	if (arg[n] == '=') {
		*out = arg + n + 1;
		return 1;
	}
	if (arg[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "sapan: error: %s needs a value\n", name);
		*bad = 1;
		return 1;
	}
	*out = argv[++*i];
	return 1;
}

static int parse_build_options(int argc, char **argv, struct cli *cli)
{
	int bad = 0;
	for (int i = 2; i < argc && !bad; i++) {
		const char *arg = argv[i];
		if (take_value(argc, argv, &i, "--content", &cli->build.content_dir, &bad) ||
		    take_value(argc, argv, &i, "--templates", &cli->build.templates_dir, &bad) ||
		    take_value(argc, argv, &i, "--output", &cli->build.output_dir, &bad) ||
		    take_value(argc, argv, &i, "--base-url", &cli->build.base_url, &bad))
			continue;
		if (strcmp(arg, "--drafts") == 0) {
			cli->build.drafts = true;
		} else if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0) {
			cli->quiet = true;
		} else {
			fprintf(stderr, "sapan: error: unknown option '%s' (see sapan --help)\n", arg);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

static void print_diagnostics(struct diag_list *diags)
{
	diag_list_sort(diags);
	struct buf line = BUF_INIT;
	for (size_t i = 0; i < diags->len; i++) {
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
	printf(", %zu files copied, %zu warning%s, %.2f s\n", stats->files_copied,
	       diags->warnings, diags->warnings == 1 ? "" : "s", stats->seconds);
}

static int run_build(int argc, char **argv)
{
	struct cli cli = { .build = { "content", "templates", "site", NULL, false }, .quiet = false };
	if (parse_build_options(argc, argv, &cli))
		return EXIT_USAGE;
	struct diag_list diags;
	diag_list_init(&diags);
	struct build_stats stats;
	int rc = build_run(&cli.build, &stats, &diags);
	print_diagnostics(&diags);
	if (rc == 0 && !cli.quiet)
		print_summary(&stats, &diags, cli.build.output_dir);
	if (rc != 0)
		fprintf(stderr, "sapan: build failed with %zu error%s; %s was not changed\n",
			diags.errors, diags.errors == 1 ? "" : "s", cli.build.output_dir);
	diag_list_free(&diags);
	return rc == 0 ? EXIT_SUCCESS : EXIT_CONTENT;
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
	fprintf(stderr, "sapan: error: unknown command '%s' (see sapan --help)\n", cmd);
	return EXIT_USAGE;
}
