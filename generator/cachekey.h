/* SPDX-License-Identifier: MIT */
/*
 * cachekey: the 128-bit hash that the build cache keys on and that the
 * site model keeps of each page's text (site.h), so that a page whose text
 * was let go can be read again and shown to be the same. Fast, sixteen
 * bytes a step, not cryptographic: it guards against accidental change, like
 * the file system's own checks. A pure function of its input, so a key
 * may be computed on any thread.
 */
#ifndef SAPAN_CACHEKEY_H
#define SAPAN_CACHEKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cache_key {
	uint64_t a, b;
};

void cache_key_init(struct cache_key *k);
void cache_key_put(struct cache_key *k, const void *data, size_t len);
/* Puts len bytes, a multiple of 16, so that a stream of such pieces and a
 * last cache_key_put hash as one cache_key_put of them all. */
void cache_key_put_words(struct cache_key *k, const void *data, size_t len);
/* Puts a string with its length (NULL differs from ""), so that two
 * fields never run together. */
void cache_key_str(struct cache_key *k, const char *s);
void cache_key_u64(struct cache_key *k, uint64_t v);
/* The key of len bytes with their length: what a page's text is known by. */
struct cache_key cache_key_of(const void *data, size_t len);
bool cache_key_equal(const struct cache_key *x, const struct cache_key *y);

#endif
