/* SPDX-License-Identifier: MIT */
/*
 * thaitidy: the typing faults of Thai text fixed before a Thai page is
 * parsed, each one reported as a note at its line and column, so that what
 * is rendered (and searched, and copied) is spelt as a reader expects:
 *
 *  - SARA AM typed as NIKHAHIT + SARA AA (U+0E4D U+0E32, also with a tone
 *    mark between them) becomes SARA AM (U+0E33), after the tone mark;
 *  - a tone mark or THANTHAKHAT (U+0E48-U+0E4C) typed before a vowel above
 *    or below (U+0E31, U+0E34-U+0E3A) is put after it, and one typed after
 *    SARA AM is put before it: the order fonts and search expect;
 *  - a Thai mark typed twice in a row is kept once;
 *  - a zero-width space, joiner or non-joiner, word joiner or byte order
 *    mark (U+200B, U+200C, U+200D, U+2060, U+FEFF) between two Thai
 *    characters is removed (browsers find Thai word breaks themselves);
 *  - then the text is put in Unicode NFC (namefold_nfc, libunistring).
 *
 * NFC alone fixes none of these but a tone typed before a below vowel, and
 * libthai's th_wnormalize drops characters without saying so, so the rules
 * are written here. One pass over the text: the work is linear.
 */
#ifndef SAPAN_THAITIDY_H
#define SAPAN_THAITIDY_H

#include <stddef.h>

#include "diag.h"

/*
 * Notes past this many in one file are summed up in one last note: a file
 * typed with a broken keyboard layout would otherwise bury every other
 * diagnostic.
 */
#define THAITIDY_MAX_NOTES 50

/*
 * Tidies len bytes of valid UTF-8 text with LF line ends read from path.
 * Returns the tidied text (NUL-terminated, caller frees) and its length in
 * *out_len, with a note "fixed Thai spelling: ..." in diags for each fix at
 * its 1-based line and column (in characters) in text; returns NULL, adding
 * nothing, when the text needs no fix.
 */
char *thaitidy(const char *path, const char *text, size_t len, size_t *out_len,
	       struct diag_list *diags);
/*
 * The same without the shortcut that copies a line no rule can change
 * without looking at its characters one by one: the tests show that both
 * give the same text and notes.
 */
char *thaitidy_every_line(const char *path, const char *text, size_t len, size_t *out_len,
			  struct diag_list *diags);

#endif
