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

/* Reads a year of exactly four digits at *s, and moves *s past it.
 * Returns the year, or -1 and leaves *s alone. */
static int year_at(const char **s)
{
	const char *p = *s;
	for (int i = 0; i < 4; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
	}
	if (p[4] >= '0' && p[4] <= '9')
		return -1;
	*s = p + 4;
	return (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
}

static const char *skip_spaces(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* Moves *s past a hyphen, en dash or em dash; false if none is there. */
static bool dash_at(const char **s)
{
	static const char *const dashes[] = { "-", "\u2013", "\u2014" };
	for (size_t i = 0; i < sizeof dashes / sizeof *dashes; i++) {
		size_t n = strlen(dashes[i]);
		if (strncmp(*s, dashes[i], n) == 0) {
			*s += n;
			return true;
		}
	}
	return false;
}

void date_period(const char *code, const char *period, struct buf *out)
{
	const char *s = skip_spaces(period);
	int from = strcmp(code, "th") == 0 ? year_at(&s) : -1;
	int to = from;
	bool range = false;
	s = skip_spaces(s);
	if (from >= 0 && dash_at(&s)) {
		range = true;
		s = skip_spaces(s);
		to = year_at(&s);
		s = skip_spaces(s);
	}
	if (from < 0 || to < from || *s) {
		buf_puts(out, period);
		return;
	}
	/* A no-break space, so that a line never ends between พ.ศ. and its year. */
	buf_printf(out, "พ.ศ.\u00a0%d", from + BUDDHIST_ERA_OFFSET);
	if (range)
		buf_printf(out, "\u2013%d", to + BUDDHIST_ERA_OFFSET);
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
