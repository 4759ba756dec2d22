/* SPDX-License-Identifier: MIT */
#include "namefold.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "util.h"

char *namefold(const char *s)
{
	size_t n = strlen(s), len = 0;
	/* libunistring would replace bad bytes with U+FFFD, which would make
	 * two different bad names equal. */
	if (u8_check((const uint8_t *)s, n))
		return xstrdup(s);
	/* u8_casefold normalises its result to NFC as it folds, so one call
	 * gives both. */
	uint8_t *folded = u8_casefold((const uint8_t *)s, n, NULL, UNINORM_NFC, NULL, &len);
	if (!folded)
		return xstrdup(s);
	char *out = xstrndup((const char *)folded, len);
	free(folded);
	return out;
}

/*
 * Whether code point c, alone, is in NFC and nothing before or after it
 * can compose with it: ASCII, Latin-1, the Thai block and the general
 * punctuation after U+2001 (U+2000 and U+2001 are singletons that NFC
 * replaces). Thai has no compositions; its marks only reorder by combining
 * class, which namefold_is_nfc checks. tests/unit/test_namefold.c checks
 * these ranges against libunistring itself.
 */
static bool nfc_stable(ucs4_t c)
{
	return c < 0x100 || (c >= 0x0e00 && c <= 0x0e7f) || (c >= 0x2002 && c <= 0x205f);
}

bool namefold_is_nfc(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + len;
	int last_class = 0;
	while (p < end) {
		if (*p < 0x80) {
			p++;
			last_class = 0;
			continue;
		}
		ucs4_t c;
		int n = u8_mbtoucr(&c, p, (size_t)(end - p));
		if (n < 0 || !nfc_stable(c))
			return false;
		int cls = uc_combining_class(c);
		if (cls != 0 && cls < last_class)
			return false; /* marks out of canonical order: NFC reorders */
		last_class = cls;
		p += n;
	}
	return true;
}

char *namefold_nfc(const char *s, size_t len, size_t *out_len)
{
	/* Most Thai text is already NFC, and a full normalisation of every
	 * line costs more than the rest of reading a page. */
	if (namefold_is_nfc(s, len))
		return NULL;
	if (u8_check((const uint8_t *)s, len))
		return NULL;
	size_t n = 0;
	uint8_t *nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)s, len, NULL, &n);
	if (!nfc)
		return NULL;
	char *out = NULL;
	if (n != len || memcmp(nfc, s, len) != 0) {
		out = xstrndup((const char *)nfc, n);
		*out_len = n;
	}
	free(nfc);
	return out;
}
