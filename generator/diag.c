/* SPDX-License-Identifier: MIT */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

void diag_list_init(struct diag_list *list)
{
	memset(list, 0, sizeof *list);
}

void diag_list_free(struct diag_list *list)
{
	for (size_t i = 0; i < list->len; i++) {
		free(list->items[i].file);
		free(list->items[i].message);
	}
	free(list->items);
	diag_list_init(list);
}

static void push(struct diag_list *list, struct diag d)
{
	list->items = xgrow(list->items, &list->cap, list->len + 1, sizeof *list->items);
	d.seq = list->len;
	list->items[list->len++] = d;
	if (d.severity == DIAG_ERROR)
		list->errors++;
	else if (d.severity == DIAG_WARNING)
		list->warnings++;
}

void diag_add(struct diag_list *list, enum diag_severity severity, const char *file,
	      unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(list, severity, file, line, col, fmt, ap);
	va_end(ap);
}

void diag_vadd(struct diag_list *list, enum diag_severity severity, const char *file,
	       unsigned line, unsigned col, const char *fmt, va_list ap)
{
	struct buf msg = BUF_INIT;
	buf_vprintf(&msg, fmt, ap);
	struct diag d = {
		.file = file ? xstrdup(file) : NULL,
		.line = line,
		.col = col,
		.severity = severity,
		.message = buf_detach(&msg),
	};
	push(list, d);
}

void diag_list_take(struct diag_list *dst, struct diag_list *src)
{
	for (size_t i = 0; i < src->len; i++)
		push(dst, src->items[i]);
	free(src->items);
	diag_list_init(src);
}

static int compare(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	/* Not the addresses: qsort may compare copies, and moves the items. */
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

void diag_list_sort(struct diag_list *list)
{
	if (list->len > 1)
		qsort(list->items, list->len, sizeof *list->items, compare);
}

void diag_format(const struct diag *d, struct buf *out)
{
	static const char *const names[] = { "note", "warning", "error" };
	if (d->file) {
		buf_puts(out, d->file);
		if (d->line) {
			buf_printf(out, ":%u", d->line);
			if (d->col)
				buf_printf(out, ":%u", d->col);
		}
		BUF_PUTL(out, ": ");
	}
	buf_printf(out, "%s: %s", names[d->severity], d->message);
}
