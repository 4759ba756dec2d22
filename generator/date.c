/* SPDX-License-Identifier: MIT */
#include "date.h"

#include <stdbool.h>
#include <string.h>

static const char *const en_months[12] = {
	"January", "February", "March",     "April",   "May",      "June",
	"July",    "August",   "September", "October", "November", "December",
};

/* Written out from THAI.md rather than taken from glibc's th_TH locale. */
static const char *const th_months[12] = {
	"มกราคม",  "กุมภาพันธ์", "มีนาคม",   "เมษายน",  "พฤษภาคม",   "มิถุนายน",
	"กรกฎาคม", "สิงหาคม",   "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
};

/* The Buddhist Era starts 543 years before the Common Era. */
#define BUDDHIST_ERA_OFFSET 543

void date_format(const char *code, int year, int month, int day, struct buf *out)
{
	bool known_month = month >= 1 && month <= 12;
	if (known_month && strcmp(code, "en") == 0)
		buf_printf(out, "%d %s %d", day, en_months[month - 1], year);
	else if (known_month && strcmp(code, "th") == 0)
		buf_printf(out, "%d %s %d", day, th_months[month - 1], year + BUDDHIST_ERA_OFFSET);
	else
		buf_printf(out, "%04d-%02d-%02d", year, month, day);
}

static bool is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Reads n ASCII digits at s; returns the number, or -1 if one is not a
 * digit (the NUL ending a short string included). */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int date_parse(const char *s, int *year, int *month, int *day)
{
	static const int month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	/* digits() stops at a NUL, so no byte past a short string is read. */
	int y = digits(s, 4);
	if (y < 0 || s[4] != '-')
		return -1;
	int m = digits(s + 5, 2);
	if (m < 0 || s[7] != '-')
		return -1;
	int d = digits(s + 8, 2);
	if (d < 0 || s[10] != '\0')
		return -1;
	/* The Gregorian calendar counts from year 1; there is no year 0. */
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return -1;
	int last = month_days[m - 1] + (m == 2 && is_leap(y));
	if (d > last)
		return -1;
	*year = y;
	*month = m;
	*day = d;
	return 0;
}
