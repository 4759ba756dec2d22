/* SPDX-License-Identifier: MIT */
/*
 * serve: the preview server of sapan serve. It builds the site into a
 * private folder (never the output folder: that stays what sapan build
 * made), serves it over HTTP (libmicrohttpd, the only user), watches the
 * content and templates folders (watch.h) and rebuilds on a change, and
 * tells every open page to reload itself (Server-Sent Events).
 *
 * The private folder is OUTPUT's output_make_folder "sapan-serve-XXXXXX"
 * under $TMPDIR (or /tmp), marked and locked as sapan's, with the site in
 * site/ and the build cache beside it, so sapan build's cache is never
 * read or written; it is removed when serve_run returns, and a folder a
 * killed server left is removed by the next one.
 *
 * What readers get: the built files, unchanged, with correct types; the
 * site's 404.html with status 404; a folder's URL without its final slash
 * redirected (301) to the one with it; GET and HEAD only (405 otherwise).
 * A path is resolved below the site folder without following symbolic
 * links, and "..", "." and an encoded NUL are refused (400). Files are
 * served by descriptor: a rebuild renames new files into place, so a
 * reader gets the old file or the new one, each whole. HTML responses
 * (never the files) get a small script that listens to /_sapan/events and
 * reloads the page when its own file or a stylesheet changed, and shows
 * the diagnostics of a failed build over the page until a build succeeds.
 *
 * Threads: one per connection (libmicrohttpd), at most SERVE_MAX_CONNECTIONS,
 * each closed after SERVE_TIMEOUT_S idle (libmicrohttpd closes a finished
 * connection's socket when its listening thread next wakes, so up to that
 * many may wait); builds run on the calling thread.
 * No printing: the caller's hooks print.
 */
#ifndef SAPAN_SERVE_H
#define SAPAN_SERVE_H

#include <stdbool.h>

#include "build.h"
#include "diag.h"

#define SERVE_DEFAULT_PORT 8000
/* Connections served at once; more wait in the kernel's queue. */
#define SERVE_MAX_CONNECTIONS 256
/* Pages listening for reloads at once; one more gets 503 (it retries). */
#define SERVE_MAX_LISTENERS 64
/* A connection that sends nothing for this long is closed. */
#define SERVE_TIMEOUT_S 30

struct serve_options {
	/* What each build does; output_dir, cache and changed are set by
	 * serve. build.interrupted stops the server too. */
	struct build_options build;
	const char *address; /* a numeric IPv4 or IPv6 address to listen on */
	unsigned port;       /* 1 to 65535 */
	/* Called once the first build is done and the server listens, with
	 * its URL ("http://127.0.0.1:8000/"); may be NULL. */
	void (*listening)(void *ctx, const char *url);
	/* Called after every build, with build_run's result, its stats and
	 * its diagnostics (which the hook may sort); may be NULL. */
	void (*built)(void *ctx, int rc, const struct build_stats *stats,
		      struct diag_list *diags);
	void *ctx;
};

/*
 * Runs the server until *opts->build.interrupted is set. Returns 0 then;
 * -1 with an error in diags when it could not start (the address cannot
 * be listened on, the private folder cannot be made, the folders cannot
 * be watched). A failed build does not stop it.
 */
int serve_run(const struct serve_options *opts, struct diag_list *diags);

/* Whether text is a numeric IPv4 or IPv6 address (what --bind takes). */
bool serve_is_address(const char *text);

/*
 * Finds the machine's address on the local network: the first IPv4
 * address of an interface that is up and not a loopback. Writes it to
 * out (at least 46 bytes). Returns 0, or -1 when there is none.
 */
int serve_lan_address(char *out, size_t size);

#endif
