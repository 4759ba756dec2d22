/* SPDX-License-Identifier: MIT */
#include "paginate.h"

#include <stdlib.h>

#include "url.h"
#include "util.h"

static size_t size_or_default(size_t size)
{
	return size ? size : PAGINATE_SIZE_DEFAULT;
}

size_t paginate_count(size_t total, size_t size)
{
	size = size_or_default(size);
	return total ? (total - 1) / size + 1 : 1;
}

int paginate_at(struct paginate *pg, size_t total, size_t size, size_t number)
{
	size = size_or_default(size);
	size_t count = paginate_count(total, size);
	int rc = 0;
	if (number < 1 || number > count) {
		number = 1;
		rc = -1;
	}
	size_t first = (number - 1) * size;
	size_t end = total - first < size ? total : first + size;
	*pg = (struct paginate){ size, total, count, number, first, end };
	return rc;
}

char *paginate_url(const char *base, size_t number)
{
	if (number <= 1)
		return xstrdup(base);
	return xasprintf("%spage/%zu/", base, number);
}

/* Sets key to the encoded URL from page `from` of the list at base to
 * page `to`. */
static void set_page_url(struct value *m, const char *key, const char *base, size_t from,
			 size_t to)
{
	char *here = paginate_url(base, from), *there = paginate_url(base, to);
	char *rel = url_relative(here, there);
	value_set(m, key, value_string_own(url_encode_path(rel)));
	free(rel);
	free(there);
	free(here);
}

/* How many page numbers the pager shows on each side of the current one. */
#define PAGINATE_AROUND 2

struct value *paginate_view(const struct paginate *pg, const char *base)
{
	if (pg->count <= 1)
		return NULL;
	struct value *v = value_map();
	value_set(v, "number", value_number((double)pg->number));
	value_set(v, "count", value_number((double)pg->count));
	value_set_bool(v, "first", pg->number == 1);
	if (pg->number > 1)
		set_page_url(v, "previous_url", base, pg->number, pg->number - 1);
	if (pg->number < pg->count)
		set_page_url(v, "next_url", base, pg->number, pg->number + 1);
	struct value *pages = value_set(v, "pages", value_list());
	size_t lo = pg->number > PAGINATE_AROUND ? pg->number - PAGINATE_AROUND : 1;
	size_t hi = pg->number + PAGINATE_AROUND < pg->count ? pg->number + PAGINATE_AROUND
							    : pg->count;
	/* A gap stands for two numbers at least: one number is shown itself. */
	if (lo == 3)
		lo = 2;
	if (hi + 2 == pg->count)
		hi = pg->count - 1;
	for (size_t n = 1; n <= pg->count; n++) {
		if (n != 1 && n != pg->count && (n < lo || n > hi)) {
			/* Jump over the run of numbers not shown, with one gap. */
			size_t next = n < lo ? lo : pg->count;
			value_set_bool(value_push(pages, value_map()), "gap", true);
			n = next - 1;
			continue;
		}
		struct value *item = value_push(pages, value_map());
		value_set(item, "number", value_number((double)n));
		set_page_url(item, "url", base, pg->number, n);
		value_set_bool(item, "current", n == pg->number);
	}
	return v;
}
