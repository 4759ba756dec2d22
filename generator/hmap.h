/* SPDX-License-Identifier: MIT */
/*
 * hmap: a hash table from NUL-terminated string keys to pointers, with open
 * addressing. The table copies and owns its keys; it never owns values.
 * It exists so that page, path and translation lookups stay O(1) as sites
 * grow.
 */
#ifndef SAPAN_HMAP_H
#define SAPAN_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_slot {
	char *key; /* NULL for an empty slot */
	void *value;
	uint64_t hash; /* of key: compared before the key, kept for growing */
};

struct hmap {
	struct hmap_slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t len;
};

void hmap_init(struct hmap *map);
void hmap_free(struct hmap *map);
/* Returns the value stored under key, or NULL. */
void *hmap_get(const struct hmap *map, const char *key);
/* Stores value under key, replacing any earlier value, which it returns. */
void *hmap_put(struct hmap *map, const char *key, void *value);

#endif
