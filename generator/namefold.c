/* SPDX-License-Identifier: MIT */
#include "namefold.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
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

char *namefold_nfc(const char *s, size_t len, size_t *out_len)
{
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
