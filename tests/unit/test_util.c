/* SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "diag.h"
#include "hmap.h"
#include "test.h"
#include "value.h"

static void buffers(void)
{
	struct buf b = BUF_INIT;
	CHECK_STR(b.ptr, "");
	BUF_PUTL(&b, "a<b>");
	buf_printf(&b, "%d", 42);
	buf_put_html(&b, "&\"'", 3);
	CHECK_STR(b.ptr, "a<b>42&amp;&quot;&#39;");
	buf_truncate(&b, 1);
	char *s = buf_detach(&b);
	CHECK_STR(s, "a");
	CHECK_STR(b.ptr, "");
	free(s);
	buf_free(&b);
}

static void hash_table_grows(void)
{
	struct hmap m;
	hmap_init(&m);
	char key[32];
	static int values[5000];
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		CHECK(hmap_put(&m, key, &values[i]) == NULL);
	}
	CHECK_INT(m.len, 5000);
	CHECK(hmap_get(&m, "k4999") == &values[4999]);
	CHECK(hmap_get(&m, "nope") == NULL);
	CHECK(hmap_put(&m, "k1", &values[0]) == &values[1]);
	hmap_free(&m);
}

static void values(void)
{
	struct value *m = value_map();
	value_set_str(m, "a", "x");
	value_set_str(m, "skip", NULL);
	value_set(m, "a", value_string("y"));
	struct value *l = value_set(m, "l", value_list());
	CHECK(!value_truthy(l));
	value_push(l, value_null());
	CHECK(value_truthy(l));
	CHECK_STR(value_get(m, "a")->as.str.ptr, "y");
	CHECK(value_get(m, "skip") == NULL);
	CHECK_INT(m->as.map.len, 2);
	value_free(m);
}

static void diagnostics_format_and_sort(void)
{
	struct diag_list d;
	diag_list_init(&d);
	diag_warning(&d, "b.md", 2, 1, "second");
	diag_error(&d, "a.md", 10, 3, "first %s", "one");
	diag_error(&d, "c.md", 0, 0, "whole file");
	diag_list_sort(&d);
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < d.len; i++) {
		diag_format(&d.items[i], &out);
		buf_putc(&out, '\n');
	}
	CHECK_STR(out.ptr, "a.md:10:3: error: first one\nb.md:2:1: warning: second\n"
			   "c.md: error: whole file\n");
	CHECK_INT(d.errors, 2);
	CHECK_INT(d.warnings, 1);
	buf_free(&out);
	diag_list_free(&d);
}

/*
 * Diagnostics at one position keep the order they were added in, through a
 * merge of per-page lists (as a parallel build does) and a sort: many
 * equal elements among others, where a sort that compared addresses would
 * have put them in whatever order qsort moved them to.
 */
static void diagnostics_sort_is_stable(void)
{
	struct diag_list all, page;
	diag_list_init(&all);
	for (int p = 0; p < 50; p++) {
		diag_list_init(&page);
		for (int k = 0; k < 40; k++) {
			diag_warning(&page, (p + k) % 3 ? "b.md" : "a.md", (unsigned)(k % 2 + 1), 1,
				     "%d", p * 40 + k);
		}
		diag_list_take(&all, &page);
	}
	diag_list_sort(&all);
	REQUIRE(all.len == 2000);
	int last = -1;
	for (size_t i = 0; i < all.len; i++) {
		const struct diag *d = &all.items[i];
		if (i > 0) {
			const struct diag *prev = &all.items[i - 1];
			if (strcmp(prev->file, d->file) == 0 && prev->line == d->line)
				CHECK(atoi(prev->message) < atoi(d->message));
			else
				last = -1;
		}
		CHECK(atoi(d->message) > last);
		last = atoi(d->message);
	}
	CHECK_INT(all.warnings, 2000);
	diag_list_free(&all);
}

TEST_LIST(T(buffers), T(hash_table_grows), T(values), T(diagnostics_format_and_sort),
	  T(diagnostics_sort_is_stable));
TEST_MAIN()
