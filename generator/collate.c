/* SPDX-License-Identifier: MIT */
#include "collate.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>

#include "util.h"

struct keyed {
	unsigned char *key; /* ICU sort key: NUL-terminated, no NUL inside */
	size_t index;
};

static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp((const char *)x->key, (const char *)y->key);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The sort key of a UTF-8 text (caller frees), or NULL on an ICU error. */
static unsigned char *sort_key(const UCollator *coll, const char *text)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t n16 = 0;
	u_strFromUTF8(NULL, 0, &n16, text, -1, &err);
	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
		return NULL;
	UChar *u = xcalloc((size_t)n16 + 1, sizeof *u);
	err = U_ZERO_ERROR;
	u_strFromUTF8(u, n16 + 1, NULL, text, -1, &err);
	unsigned char *key = NULL;
	if (U_SUCCESS(err)) {
		int32_t len = ucol_getSortKey(coll, u, n16, NULL, 0);
		if (len > 0) {
			key = xmalloc((size_t)len);
			ucol_getSortKey(coll, u, n16, key, len);
		}
	}
	free(u);
	return key;
}

int collate_rank(const char *lang, const char *const *texts, size_t n, unsigned *rank)
{
	UErrorCode err = U_ZERO_ERROR;
	UCollator *coll = ucol_open(lang, &err);
	int rc = U_FAILURE(err) ? -1 : 0;
	struct keyed *k = xcalloc(n ? n : 1, sizeof *k);
	for (size_t i = 0; i < n; i++) {
		k[i].index = i;
		k[i].key = rc ? NULL : sort_key(coll, texts[i]);
		if (!k[i].key) {
			rc = -1;
			break;
		}
	}
	if (rc) {
		for (size_t i = 0; i < n; i++) {
			free(k[i].key);
			k[i].key = (unsigned char *)xstrdup(texts[i]);
			k[i].index = i;
		}
	}
	qsort(k, n, sizeof *k, by_key);
	unsigned r = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && strcmp((const char *)k[i].key, (const char *)k[i - 1].key))
			r = (unsigned)i;
		rank[k[i].index] = r;
	}
	for (size_t i = 0; i < n; i++)
		free(k[i].key);
	free(k);
	if (coll)
		ucol_close(coll);
	return rc;
}

int collate_compare(const char *lang, const char *a, const char *b)
{
	const char *texts[2] = { a, b };
	unsigned rank[2];
	collate_rank(lang, texts, 2, rank);
	return rank[0] < rank[1] ? -1 : rank[0] > rank[1];
}
