/* SPDX-License-Identifier: MIT */
/*
 * date: calendar dates as authors write them (YYYY-MM-DD) and as readers
 * read them in each language. Thai dates use the Buddhist Era and month
 * names written out here, never glibc locales, which are often absent and
 * then silently wrong. Pure functions: no state, safe in any thread.
 */
#ifndef SAPAN_DATE_H
#define SAPAN_DATE_H

#include "util.h"

/*
 * Appends a calendar date in the long form of language code to out:
 * "en" gives "1 June 2013", "th" gives "1 มิถุนายน 2556" (Buddhist Era,
 * year + 543), any other language the ISO form "2013-06-01". A month
 * outside 1-12 also gives the ISO form rather than reading past the table
 * of names.
 */
void date_format(const char *code, int year, int month, int day, struct buf *out);

/*
 * Appends a project's period, as shown on a page in language code, to out.
 * On Thai pages a period of Gregorian years, "2013", "2013-2015" or
 * "2013–2015" (hyphen, en dash or em dash, spaces allowed around it),
 * becomes Buddhist Era years after "พ.ศ." and a no-break space, joined by
 * an en dash: "พ.ศ. 2556–2558". Anything else ("ongoing", "2013-15",
 * "2015-2013") and every other language get the text as written.
 */
void date_period(const char *code, const char *period, struct buf *out);

/*
 * Parses a date written exactly as "YYYY-MM-DD" (four, two and two digits)
 * that names a real day of the Gregorian calendar. Returns 0 and fills
 * *year, *month and *day, or -1 and leaves them alone.
 */
int date_parse(const char *s, int *year, int *month, int *day);

#endif
