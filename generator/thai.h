/* SPDX-License-Identifier: MIT */
/*
 * thai: where a text may be cut short, and where a Thai line must not
 * break (thai_typeset, a pure function that needs no breaker). Thai is written without spaces
 * between words, so its word boundaries come from libthai's dictionary
 * breaker; this is the only module that calls libthai. A cut never falls
 * inside a grapheme: Thai vowel and tone marks (U+0E31, U+0E33-U+0E3A,
 * U+0E47-U+0E4E) and other combining marks stay with their consonant, and a
 * leading vowel (U+0E40-U+0E44) with the consonant after it.
 *
 * A struct thai owns one breaker (loading its dictionary takes about 5 ms,
 * so make one per build). thai_cut may be called on one struct thai from
 * several threads at once: since libthai 0.1.25 a ThBrk is read-only once
 * made and each th_brk_wc_find_breaks call keeps its search state in a
 * BrkEnv of its own ("Implement a new thread-safe interface for word
 * break", libthai's ChangeLog). thai_new and thai_free must not run while
 * another thread uses the breaker.
 */
#ifndef SAPAN_THAI_H
#define SAPAN_THAI_H

#include <stddef.h>

#include "util.h"

struct thai;

/* Returns a new breaker, or NULL when libthai's dictionary cannot be
 * loaded (thai_cut then cuts Thai at a grapheme). Free with thai_free. */
struct thai *thai_new(void);
void thai_free(struct thai *t);

/*
 * Where to cut len bytes of UTF-8 text so that at most max_chars code
 * points are kept: returns len when the text is that short already; else
 * the byte offset of the last space or Thai word boundary within the first
 * max_chars code points, with the spaces before it left out; when there is
 * none in the second half of them, the last grapheme boundary. t may be
 * NULL (no Thai word boundaries). Reads at most about max_chars + 64 code
 * points of the text.
 */
size_t thai_cut(struct thai *t, const char *text, size_t len, size_t max_chars);

/*
 * Where libthai's dictionary breaker splits a run of Thai letters (len
 * bytes of UTF-8, no spaces): calls word(ctx, start, n) for each word, in
 * order, with its byte offset and length in text. Without a breaker (t
 * NULL) the run is one word. A run longer than THAI_RUN_MAX code points
 * is split there first (no Thai word is that long), so the work stays
 * linear. Safe on one struct thai from several threads (see above).
 */
#define THAI_RUN_MAX 1024
void thai_words(struct thai *t, const char *text, size_t len,
		void (*word)(void *ctx, size_t start, size_t n), void *ctx);

/*
 * Appends len bytes of Thai text to out with the no-break spaces Thai
 * typography asks for, so that a line never starts with ๆ and "พ.ศ." is
 * never parted from its year: a run of spaces before ๆ (U+0E46), and a run
 * of spaces after พ.ศ. or ค.ศ. (with or without the final dot) before a
 * digit (0-9 or ๐-๙), each become one U+00A0. Everything else is copied
 * as written: nothing is inserted where the author wrote no space (a word
 * joiner or zero-width character would hurt copying and search).
 * Linear; safe in any thread.
 */
void thai_typeset(const char *text, size_t len, struct buf *out);

#endif
