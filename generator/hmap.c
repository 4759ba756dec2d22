/* SPDX-License-Identifier: MIT */
#include "hmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static uint64_t hash(const char *s)
{
	return hash_words(s, strlen(s));
}

void hmap_init(struct hmap *map)
{
	memset(map, 0, sizeof *map);
}

void hmap_free(struct hmap *map)
{
	for (size_t i = 0; i < map->cap; i++)
		free(map->slots[i].key);
	free(map->slots);
	hmap_init(map);
}

/* The slot of key (whose hash is h), or the empty slot where it goes. */
static struct hmap_slot *find(const struct hmap *map, const char *key, uint64_t h)
{
	size_t mask = map->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct hmap_slot *s = &map->slots[i];
		if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
	}
}

void *hmap_get(const struct hmap *map, const char *key)
{
	if (map->cap == 0)
		return NULL;
	struct hmap_slot *s = find(map, key, hash(key));
	return s->key ? s->value : NULL;
}

static void grow(struct hmap *map)
{
	struct hmap old = *map;
	map->cap = old.cap ? old.cap * 2 : 16;
	map->slots = xcalloc(map->cap, sizeof *map->slots);
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.slots[i].key)
			continue;
		size_t mask = map->cap - 1, at = old.slots[i].hash & mask;
		while (map->slots[at].key)
			at = (at + 1) & mask;
		map->slots[at] = old.slots[i];
	}
	free(old.slots);
}

void *hmap_put(struct hmap *map, const char *key, void *value)
{
	/* Keep the load below 3/4 so probe sequences stay short. */
	if ((map->len + 1) * 4 > map->cap * 3)
		grow(map);
	uint64_t h = hash(key);
	struct hmap_slot *s = find(map, key, h);
	if (s->key) {
		void *old = s->value;
		s->value = value;
		return old;
	}
	s->key = xstrdup(key);
	s->value = value;
	s->hash = h;
	map->len++;
	return NULL;
}
