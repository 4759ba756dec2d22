/* SPDX-License-Identifier: MIT */
/*
 * diag: the list of diagnostics (errors, warnings, notes) that every stage
 * appends to and only main.c prints. A diagnostic carries its source
 * position so an editor can jump to it. The list owns its strings.
 */
#ifndef SAPAN_DIAG_H
#define SAPAN_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include "util.h"

enum diag_severity { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

struct diag {
	char *file;   /* path as the user should see it; may be NULL */
	unsigned line; /* 1-based; 0 when the whole file is meant */
	unsigned col;  /* 1-based; 0 when unknown */
	enum diag_severity severity;
	char *message;
	size_t seq;    /* its place in the list it was added to: orders equal positions */
};

struct diag_list {
	struct diag *items;
	size_t len, cap;
	size_t errors, warnings;
};

void diag_list_init(struct diag_list *list);
void diag_list_free(struct diag_list *list);
void diag_add(struct diag_list *list, enum diag_severity severity, const char *file,
	      unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* diag_add for callers that take their own format and arguments. */
void diag_vadd(struct diag_list *list, enum diag_severity severity, const char *file,
	       unsigned line, unsigned col, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));
#define diag_error(l, f, ln, c, ...) diag_add((l), DIAG_ERROR, (f), (ln), (c), __VA_ARGS__)
#define diag_warning(l, f, ln, c, ...) diag_add((l), DIAG_WARNING, (f), (ln), (c), __VA_ARGS__)
/* Moves every diagnostic of src to the end of dst, in order, and empties
 * src. A build merges the lists of its pages this way, in page order, so
 * the result does not depend on which thread rendered which page. */
void diag_list_take(struct diag_list *dst, struct diag_list *src);
/* Sorts by file, line and column, keeping the order in which diagnostics
 * at equal positions were added: a total order, so the result is the same
 * whatever qsort does with equal elements. */
void diag_list_sort(struct diag_list *list);
/* Appends "file:line:col: error: message" (no newline) to out. */
void diag_format(const struct diag *d, struct buf *out);

#endif
