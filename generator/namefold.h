/* SPDX-License-Identifier: MIT */
/*
 * namefold: the one form of a file name in which two names that a file
 * system or a web server may treat as the same compare equal: Unicode
 * normalisation form C (so "é" typed as one character or as "e" plus an
 * accent, and Thai marks typed in either order, are one name) and case
 * folding ("About" and "about"). The only user of libunistring, so it also
 * gives the NFC form of page text (thaitidy).
 */

#include <stdbool.h>
#include <stddef.h>
#ifndef SAPAN_NAMEFOLD_H
#define SAPAN_NAMEFOLD_H

/*
 * Returns the folded form of the UTF-8 string s (caller frees). Bytes that
 * are not valid UTF-8 cannot be folded, so such a name is returned as it
 * is: it then only equals itself.
 */
char *namefold(const char *s);

/*
 * The NFC form of the len bytes of valid UTF-8 at s, as a new
 * NUL-terminated string (caller frees) of *out_len bytes; NULL when s is
 * already in NFC or is not valid UTF-8. Never NFKC: that would take Thai
 * SARA AM apart.
 */
char *namefold_nfc(const char *s, size_t len, size_t *out_len);
/*
 * True when the len bytes at s are surely in NFC, found in one pass without
 * normalising: every character is one that NFC keeps and none composes
 * with (ASCII, Latin-1, Thai, general punctuation), and combining marks
 * are in canonical order. False means "maybe not" (or not UTF-8).
 */
bool namefold_is_nfc(const char *s, size_t len);

#endif
