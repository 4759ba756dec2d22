/* SPDX-License-Identifier: MIT */
/*
 * utf8: the one decoder and encoder of code points for the modules that
 * walk text already known to be UTF-8 (source.c checks it on reading):
 * Thai tidying, Thai word breaks and the search index. The decoder is
 * inline: it runs for every character of every page, several times.
 * (markdown.c and source.c validate untrusted bytes, which is another
 * job: they keep their strict decoders.)
 */
#ifndef SAPAN_UTF8_H
#define SAPAN_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Decodes the code point at s, of n > 0 bytes of UTF-8, and sets *len to
 * its length. A stray byte, or a sequence cut short by n, decodes as the
 * byte itself, of length 1, so that a walk over any bytes moves on. */
static inline uint32_t utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	size_t k = s[0] < 0x80 ? 1 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if ((s[0] >= 0x80 && s[0] < 0xc0) || k > n)
		k = 1;
	uint32_t cp = k == 1 ? s[0] : s[0] & (0xffu >> (k + 1));
	for (size_t i = 1; i < k; i++)
		cp = (cp << 6) | (s[i] & 0x3fu);
	*len = k;
	return cp;
}

/* Appends code point cp (at most U+10FFFF) to b as UTF-8. */
void utf8_put(struct buf *b, uint32_t cp);

#endif
