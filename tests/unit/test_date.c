/* SPDX-License-Identifier: MIT */
/* date: the long forms of a date in English and Thai (Buddhist Era), and
 * the strict YYYY-MM-DD reader. */
#include <stdio.h>
#include <stdlib.h>

#include "date.h"
#include "test.h"

static const char *fmt(const char *code, int y, int m, int d, struct buf *b)
{
	buf_truncate(b, 0);
	date_format(code, y, m, d, b);
	return b->ptr;
}

static void test_format_date(void)
{
	struct buf b = BUF_INIT;
	CHECK_STR(fmt("en", 2013, 6, 1, &b), "1 June 2013");
	CHECK_STR(fmt("th", 2013, 6, 1, &b), "1 มิถุนายน 2556");
	CHECK_STR(fmt("en", 2016, 2, 29, &b), "29 February 2016");
	CHECK_STR(fmt("th", 2016, 2, 29, &b), "29 กุมภาพันธ์ 2559");
	CHECK_STR(fmt("th", 2024, 1, 15, &b), "15 มกราคม 2567");
	CHECK_STR(fmt("th", 1999, 12, 31, &b), "31 ธันวาคม 2542");
	CHECK_STR(fmt("en", 1999, 12, 31, &b), "31 December 1999");
	CHECK_STR(fmt("fr", 2013, 6, 1, &b), "2013-06-01");
	CHECK_STR(fmt("", 987, 6, 1, &b), "0987-06-01");
	/* A month outside 1-12 must not index the name tables. */
	CHECK_STR(fmt("th", 2013, 13, 1, &b), "2013-13-01");
	CHECK_STR(fmt("en", 2013, 0, 1, &b), "2013-00-01");

	/* Every Thai month name is there and in order. */
	static const char *const th[] = { "มกราคม",  "กุมภาพันธ์", "มีนาคม",   "เมษายน",
					  "พฤษภาคม",   "มิถุนายน",  "กรกฎาคม", "สิงหาคม",
					  "กันยายน", "ตุลาคม",   "พฤศจิกายน", "ธันวาคม" };
	for (int m = 1; m <= 12; m++) {
		char *want = xasprintf("2 %s 2563", th[m - 1]);
		CHECK_STR(fmt("th", 2020, m, 2, &b), want);
		free(want);
	}

	/* It appends. */
	buf_truncate(&b, 0);
	BUF_PUTL(&b, "on ");
	date_format("en", 2013, 6, 1, &b);
	CHECK_STR(b.ptr, "on 1 June 2013");
	buf_free(&b);
}

static void test_parse_date(void)
{
	int y = -1, m = -1, d = -1;
	CHECK_INT(date_parse("2013-06-01", &y, &m, &d), 0);
	CHECK(y == 2013 && m == 6 && d == 1);
	CHECK_INT(date_parse("2016-02-29", &y, &m, &d), 0);
	CHECK(y == 2016 && m == 2 && d == 29);
	CHECK_INT(date_parse("2000-02-29", &y, &m, &d), 0);
	CHECK_INT(date_parse("2013-12-31", &y, &m, &d), 0);
	CHECK_INT(date_parse("0001-01-01", &y, &m, &d), 0);

	static const char *const bad[] = {
		"2015-02-29", /* not a leap year */
		"1900-02-29", /* divisible by 100 but not 400 */
		"2013-13-01", "2013-00-10", "2013-06-00", "2013-06-31", "2013-04-31",
		"2013-6-1",   "2013-06-1",  "13-06-01",   "2013-06-01x", "2013-06-01 ",
		" 2013-06-01", "2013/06/01", "20130601",  "",           "2013",
		"2013-",      "2013-06",    "2013-06-",   "0000-01-01", "+013-06-01",
		"2013-0a-01", "2013-06-3\xD9\xA1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		y = m = d = -7;
		if (date_parse(bad[i], &y, &m, &d) != -1) {
			fprintf(stderr, "accepted bad date \"%s\"\n", bad[i]);
			test_failures_++;
		}
		CHECK(y == -7 && m == -7 && d == -7);
	}
}

static void check_period(const char *code, const char *in, const char *want)
{
	struct buf b = BUF_INIT;
	date_period(code, in, &b);
	CHECK_STR(b.ptr, want);
	buf_free(&b);
}

/* Thai pages show periods of years in the Buddhist Era, after พ.ศ. and a
 * no-break space, with an en dash; anything else stays as written. */
static void test_period(void)
{
	check_period("th", "2013-2015", "พ.ศ.\u00a02556\u20132558");
	check_period("th", "2013\u20132015", "พ.ศ.\u00a02556\u20132558");
	check_period("th", "2013 \u2014 2015", "พ.ศ.\u00a02556\u20132558");
	check_period("th", " 2013 - 2015 ", "พ.ศ.\u00a02556\u20132558");
	check_period("th", "2013", "พ.ศ.\u00a02556");
	check_period("th", "2013-2013", "พ.ศ.\u00a02556\u20132556");
	/* Not a period of years: as written. */
	check_period("th", "2013-15", "2013-15");
	check_period("th", "2015-2013", "2015-2013");
	check_period("th", "20130", "20130");
	check_period("th", "2013-", "2013-");
	check_period("th", "2013 onwards", "2013 onwards");
	check_period("th", "ตั้งแต่ปี 2556", "ตั้งแต่ปี 2556");
	check_period("th", "", "");
	/* Other languages: as written. */
	check_period("en", "2013-2015", "2013-2015");
	check_period("en", "2013", "2013");
}

TEST_LIST(T(test_format_date), T(test_parse_date), T(test_period));
TEST_MAIN()
