/* SPDX-License-Identifier: MIT */
#include "cachekey.h"

#include <string.h>

#include "util.h"

/*
 * The cache hashes every page's text and view on every build, so it takes
 * sixteen bytes a step: util.h's byte-wise FNV took a quarter of a
 * rebuild, and eight bytes a step still a tenth of a cold one. Each half
 * folds both words in with a 64x64->128-bit multiply (as wyhash does), with
 * its own constants, and keeps a rotation of its old state so that no word
 * can cancel the history. Words are read little-endian on every machine.
 * Not cryptographic: the cache guards against accidental change, like the
 * file system's own checks.
 */
#define K1 0xa0761d6478bd642fULL
#define K2 0xe7037ed1a0b428dbULL
#define K3 0x8ebc6af09c88c6e3ULL
#define K4 0x589965cc75374cc3ULL

static inline uint64_t mix(uint64_t x, uint64_t y)
{
	__extension__ unsigned __int128 r = (unsigned __int128)x * y;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t rotl(uint64_t x, int n)
{
	return x << n | x >> (64 - n);
}

static inline void step(struct cache_key *k, uint64_t w0, uint64_t w1)
{
	uint64_t a = mix(k->a ^ K1 ^ w0, K2 ^ w1) + rotl(k->a, 29);
	uint64_t b = mix(k->b ^ K3 ^ w1, K4 ^ w0) + rotl(k->b, 31);
	k->a = a;
	k->b = b;
}

void cache_key_init(struct cache_key *k)
{
	k->a = HASH_BASIS;
	k->b = K1;
}

/* One load, not eight: the compiler does not always merge the bytes. */
static inline uint64_t word_at(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

void cache_key_put_words(struct cache_key *k, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i + 16 <= len; i += 16)
		step(k, word_at(p + i), word_at(p + i + 8));
}

void cache_key_put(struct cache_key *k, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t whole = len & ~(size_t)15;
	cache_key_put_words(k, p, whole);
	/* The tail, with its length, so that "a" and "a\0" differ. */
	unsigned char tail[16] = { 0 };
	memcpy(tail, p + whole, len - whole);
	tail[15] = (unsigned char)(len - whole);
	step(k, word_at(tail), word_at(tail + 8));
}

void cache_key_u64(struct cache_key *k, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	cache_key_put(k, b, sizeof b);
}

void cache_key_str(struct cache_key *k, const char *s)
{
	cache_key_u64(k, s ? strlen(s) : UINT64_MAX);
	if (s)
		cache_key_put(k, s, strlen(s));
}

struct cache_key cache_key_of(const void *data, size_t len)
{
	struct cache_key k;
	cache_key_init(&k);
	cache_key_u64(&k, len);
	cache_key_put(&k, data, len);
	return k;
}

bool cache_key_equal(const struct cache_key *x, const struct cache_key *y)
{
	return x->a == y->a && x->b == y->b;
}
