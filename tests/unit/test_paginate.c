/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "paginate.h"
#include "test.h"
#include "util.h"

static void counts_and_ranges(void)
{
	CHECK_INT(paginate_count(0, 30), 1);
	CHECK_INT(paginate_count(30, 30), 1);
	CHECK_INT(paginate_count(31, 30), 2);
	CHECK_INT(paginate_count(2000, 30), 67);
	CHECK_INT(paginate_count(2000, 0), 67); /* 0: the default size */
	struct paginate pg;
	CHECK_INT(paginate_at(&pg, 2000, 30, 67), 0);
	CHECK_INT(pg.first, 1980);
	CHECK_INT(pg.end, 2000);
	CHECK_INT(paginate_at(&pg, 2000, 30, 2), 0);
	CHECK_INT(pg.first, 30);
	CHECK_INT(pg.end, 60);
	CHECK_INT(paginate_at(&pg, 0, 30, 1), 0);
	CHECK_INT(pg.end - pg.first, 0);
	/* No such page: the first page is described. */
	CHECK_INT(paginate_at(&pg, 31, 30, 3), -1);
	CHECK_INT(pg.number, 1);
	CHECK_INT(paginate_at(&pg, 31, 30, 0), -1);
	/* Every entry on exactly one page, in order. */
	size_t next = 0;
	for (size_t n = 1; n <= paginate_count(1001, 7); n++) {
		REQUIRE(paginate_at(&pg, 1001, 7, n) == 0);
		CHECK_INT(pg.first, next);
		next = pg.end;
	}
	CHECK_INT(next, 1001);
}

static void urls(void)
{
	char *u = paginate_url("en/projects/", 1);
	CHECK_STR(u, "en/projects/");
	free(u);
	u = paginate_url("en/projects/", 12);
	CHECK_STR(u, "en/projects/page/12/");
	free(u);
	u = paginate_url("", 2);
	CHECK_STR(u, "page/2/");
	free(u);
}

/* The page numbers the pager shows, "." for a gap, "*" after the current. */
static char *numbers(size_t count, size_t number)
{
	struct paginate pg;
	paginate_at(&pg, count * 10, 10, number);
	struct value *v = paginate_view(&pg, "en/p/");
	struct buf b = BUF_INIT;
	const struct value *pages = value_get(v, "pages");
	for (size_t i = 0; pages && i < pages->as.list.len; i++) {
		const struct value *item = pages->as.list.items[i];
		if (value_truthy(value_get(item, "gap")))
			buf_puts(&b, ". ");
		else
			buf_printf(&b, "%g%s ", value_get(item, "number")->as.number,
				   value_truthy(value_get(item, "current")) ? "*" : "");
	}
	value_free(v);
	return buf_detach(&b);
}

static void pager(void)
{
	struct paginate pg;
	paginate_at(&pg, 30, 30, 1);
	CHECK(paginate_view(&pg, "en/p/") == NULL); /* one page: no pager */
	char *s = numbers(67, 1);
	CHECK_STR(s, "1* 2 3 . 67 ");
	free(s);
	s = numbers(67, 30);
	CHECK_STR(s, "1 . 28 29 30* 31 32 . 67 ");
	free(s);
	s = numbers(67, 4); /* one number is shown, not a gap */
	CHECK_STR(s, "1 2 3 4* 5 6 . 67 ");
	free(s);
	s = numbers(67, 65);
	CHECK_STR(s, "1 . 63 64 65* 66 67 ");
	free(s);
	s = numbers(3, 2);
	CHECK_STR(s, "1 2* 3 ");
	free(s);
	paginate_at(&pg, 670, 10, 30);
	struct value *v = paginate_view(&pg, "en/p/");
	CHECK_STR(value_get(v, "previous_url")->as.str.ptr, "../29/");
	CHECK_STR(value_get(v, "next_url")->as.str.ptr, "../31/");
	const struct value *first = value_get(v, "pages")->as.list.items[0];
	CHECK_STR(value_get(first, "url")->as.str.ptr, "../../");
	value_free(v);
	paginate_at(&pg, 670, 10, 2);
	v = paginate_view(&pg, "en/p/");
	CHECK_STR(value_get(v, "previous_url")->as.str.ptr, "../../");
	value_free(v);
	paginate_at(&pg, 670, 10, 67);
	v = paginate_view(&pg, "en/p/");
	CHECK(value_get(v, "next_url") == NULL);
	value_free(v);
}

TEST_LIST(T(counts_and_ranges), T(urls), T(pager));
TEST_MAIN()
