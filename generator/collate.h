/* SPDX-License-Identifier: MIT */
/*
 * collate: dictionary order of titles in a language, with ICU's collator
 * (the only user of ICU). Thai order is not code-point order: a word
 * beginning with a leading vowel (เ แ โ ใ ไ) sorts by its consonant, tone
 * marks are secondary differences, and Latin titles in a Thai list sort
 * after the Thai ones (CLDR's Thai tailoring). See docs/HACKING.md for why
 * ICU and not libthai's th_strcoll.
 *
 * Nothing here is kept between calls: the caller owns every array.
 */
#ifndef SAPAN_COLLATE_H
#define SAPAN_COLLATE_H

#include <stddef.h>

/*
 * Fills rank[i] with the position of texts[i] (UTF-8) in the dictionary
 * order of language lang (a BCP 47 code such as "th" or "en"; an unknown
 * one gets the root order, which already handles Thai). Texts the collator
 * finds equal get the same rank. Opens its own collator, so it may run on
 * any thread. Returns 0, or -1 when ICU could not open a collator: the
 * ranks then follow byte order, so the result is still defined.
 */
int collate_rank(const char *lang, const char *const *texts, size_t n, unsigned *rank);

/* Compares two UTF-8 texts in lang's order (<0, 0, >0); for tests and
 * small one-off comparisons. Byte order when ICU fails. */
int collate_compare(const char *lang, const char *a, const char *b);

#endif
