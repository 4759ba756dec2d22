/* SPDX-License-Identifier: MIT */
/*
 * tmpl: the Mustache template engine. It owns the parsed templates of a
 * site and renders them with a struct value as the data.
 *
 * A struct tmpl_set is a named collection of templates: partials
 * ({{>name}}) and parents ({{<name}}) are looked up by name in the same set.
 * The set owns everything in it: tmpl_set_add copies the name, the file
 * path and the text, and the parsed tree points only into those copies, so
 * the caller may free its own buffers at once. tmpl_set_free releases it all.
 *
 * The engine follows the Mustache specification (comments, delimiters,
 * interpolation, inverted, partials, sections) with the optional dynamic
 * names ({{>*name}}) and inheritance ({{<parent}}{{$block}}...{{/block}}
 * {{/parent}}) modules; lambdas are not supported. Interpolation escapes
 * &, <, >, " and ' by default; {{{name}}} and {{&name}} do not. Numbers
 * print as JSON would (85, 1.21), booleans as true and false; null, lists
 * and maps print nothing.
 *
 * Rendering only reads the set and keeps all of its state on the stack, so
 * once built, a set may be shared by threads rendering pages in parallel.
 */
#ifndef SAPAN_TMPL_H
#define SAPAN_TMPL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "util.h"
#include "value.h"

/* How deep partials, parents and overriding blocks may nest while
 * rendering. Real layouts use a handful of levels; the cap is what turns a
 * template that includes itself into an error instead of a stack overflow. */
#define TMPL_MAX_DEPTH 64

/* How deep sections, blocks and parents may nest inside one template. The
 * parser, the renderer and tmpl_set_free all recurse once per level, so
 * this bound (times TMPL_MAX_DEPTH) is what bounds their stack use. */
#define TMPL_MAX_NESTING 64

/*
 * The most one render may append, and the most steps (nodes rendered plus
 * list items repeated) it may take. Partials nest TMPL_MAX_DEPTH deep, so
 * thirty partials that each include the next twice expand 2^30 times: the
 * depth cap alone does not bound the work. The largest real pages are far
 * below both: the 10 MB Markdown page of tests/e2e/limits.sh renders to
 * about 16 MB, and an archive of 10,000 projects takes under a million
 * steps. A page past 64 MiB could not be read on the phones the site is
 * written for, and at these bounds a runaway template stops within a
 * fraction of a second and about 128 MiB of memory.
 */
#define TMPL_MAX_OUTPUT ((size_t)64 << 20)
#define TMPL_MAX_STEPS ((size_t)1 << 24)

struct tmpl_set;

/* Returns a new, empty set; free it with tmpl_set_free. */
struct tmpl_set *tmpl_set_new(void);
/* Frees the set and every template in it. Accepts NULL. */
void tmpl_set_free(struct tmpl_set *set);

/*
 * Parses text (len bytes of UTF-8) as template `name`; `file` is the path
 * used in diagnostics (the name is used when it is NULL). Replaces an
 * earlier template of the same name.
 *
 * Returns 0 on success. On a syntax error (unclosed tag, section or block,
 * a closing tag that does not match, an invalid name or delimiter change,
 * nesting deeper than TMPL_MAX_NESTING) adds a "file:line:col" error for
 * the first mistake to diags, leaves the set unchanged and returns -1.
 */
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *file, const char *text,
		 size_t len, struct diag_list *diags);

/* True when the set holds a template called name. */
bool tmpl_set_has(const struct tmpl_set *set, const char *name);

/*
 * The site's strictness check: reports every static partial ({{>name}}) or
 * parent ({{<name}}) reference to a template that is not in the set, as an
 * error at the tag's position in the file that asked for it. Dynamic names
 * ({{>*name}}) depend on the data and cannot be checked here. Returns the
 * number of errors added.
 *
 * tmpl_render itself renders a missing partial as nothing, as the
 * specification requires; call this once after adding every template.
 */
size_t tmpl_set_check(const struct tmpl_set *set, struct diag_list *diags);

/* How one render is bounded; a zero field takes the default. */
struct tmpl_render_opts {
	size_t max_output; /* bytes the render may append; 0: TMPL_MAX_OUTPUT */
	size_t max_steps;  /* 0: TMPL_MAX_STEPS */
	/* Set to non-zero (by a signal handler) to ask the render to stop;
	 * checked before every node, so a render stops within microseconds.
	 * An atomic, not a volatile sig_atomic_t: the render runs on other
	 * threads than the handler, and C11 lets a handler store to a
	 * lock-free atomic. May be NULL. */
	const atomic_int *stop;
	/* Asked every TMPL_CANCEL_EVERY steps whether the render is still
	 * wanted (another page of the build failed, say); returning true
	 * stops it as a stop request does. May be NULL. */
	bool (*cancelled)(void *ctx);
	void *cancel_ctx;
};

/* How many steps pass between calls of tmpl_render_opts.cancelled: often
 * enough to stop within a millisecond, rare enough to cost nothing. */
#define TMPL_CANCEL_EVERY 1024

/*
 * Renders template `name` with data as the root of the context stack (NULL
 * is treated as null), appending the output to out, within the bounds of
 * opts (NULL: the defaults). Does not modify the set.
 *
 * Returns 0 on success. Returns -1 with an error in diags when the template
 * does not exist, when partials, parents or blocks nest deeper than
 * TMPL_MAX_DEPTH, or when the output or the steps pass their bound; the
 * error is at the template position where that happened. Returns 1, with
 * no diagnostic, when *opts->stop was set: the caller reports the stop.
 * On failure out is left as it was before the call.
 */
int tmpl_render_with(const struct tmpl_set *set, const char *name, const struct value *data,
		     const struct tmpl_render_opts *opts, struct buf *out, struct diag_list *diags);

/* tmpl_render_with with the default bounds and no stop request. */
int tmpl_render(const struct tmpl_set *set, const char *name, const struct value *data,
		struct buf *out, struct diag_list *diags);

#endif
