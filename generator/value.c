/* SPDX-License-Identifier: MIT */
#include "value.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static struct value *make(enum value_kind kind)
{
	struct value *v = xcalloc(1, sizeof *v);
	v->kind = kind;
	return v;
}

struct value *value_null(void) { return make(VALUE_NULL); }
struct value *value_list(void) { return make(VALUE_LIST); }
struct value *value_map(void) { return make(VALUE_MAP); }

struct value *value_bool(bool b)
{
	struct value *v = make(VALUE_BOOL);
	v->as.boolean = b;
	return v;
}

struct value *value_number(double n)
{
	struct value *v = make(VALUE_NUMBER);
	v->as.number = n;
	return v;
}

struct value *value_stringn(const char *s, size_t len)
{
	struct value *v = make(VALUE_STRING);
	v->as.str.ptr = xstrndup(s, len);
	v->as.str.len = len;
	return v;
}

struct value *value_string(const char *s)
{
	return value_stringn(s, strlen(s));
}

struct value *value_string_own(char *s)
{
	struct value *v = make(VALUE_STRING);
	v->as.str.ptr = s;
	v->as.str.len = strlen(s);
	return v;
}

void value_free(struct value *v)
{
	if (!v)
		return;
	switch (v->kind) {
	case VALUE_STRING:
		free(v->as.str.ptr);
		break;
	case VALUE_LIST:
		for (size_t i = 0; i < v->as.list.len; i++)
			value_free(v->as.list.items[i]);
		free(v->as.list.items);
		break;
	case VALUE_MAP:
		for (size_t i = 0; i < v->as.map.len; i++) {
			free(v->as.map.keys[i]);
			value_free(v->as.map.vals[i]);
		}
		free(v->as.map.keys);
		free(v->as.map.vals);
		break;
	case VALUE_NULL:
	case VALUE_BOOL:
	case VALUE_NUMBER:
		break;
	}
	free(v);
}

struct value *value_push(struct value *list, struct value *item)
{
	list->as.list.items = xgrow(list->as.list.items, &list->as.list.cap,
				    list->as.list.len + 1, sizeof *list->as.list.items);
	list->as.list.items[list->as.list.len++] = item;
	return item;
}

struct value *value_set(struct value *map, const char *key, struct value *val)
{
	for (size_t i = 0; i < map->as.map.len; i++) {
		if (strcmp(map->as.map.keys[i], key) == 0) {
			value_free(map->as.map.vals[i]);
			map->as.map.vals[i] = val;
			return val;
		}
	}
	return value_append(map, key, val);
}

struct value *value_append(struct value *map, const char *key, struct value *val)
{
	size_t cap = map->as.map.cap;
	map->as.map.keys = xgrow(map->as.map.keys, &cap, map->as.map.len + 1, sizeof(char *));
	cap = map->as.map.cap;
	map->as.map.vals = xgrow(map->as.map.vals, &cap, map->as.map.len + 1,
				 sizeof(struct value *));
	map->as.map.cap = cap;
	map->as.map.keys[map->as.map.len] = xstrdup(key);
	map->as.map.vals[map->as.map.len++] = val;
	return val;
}

void value_set_str(struct value *map, const char *key, const char *s)
{
	if (s)
		value_set(map, key, value_string(s));
}

void value_set_bool(struct value *map, const char *key, bool b)
{
	value_set(map, key, value_bool(b));
}

struct value *value_get(const struct value *v, const char *key)
{
	if (!v || v->kind != VALUE_MAP)
		return NULL;
	for (size_t i = 0; i < v->as.map.len; i++) {
		if (strcmp(v->as.map.keys[i], key) == 0)
			return v->as.map.vals[i];
	}
	return NULL;
}

bool value_truthy(const struct value *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case VALUE_NULL: return false;
	case VALUE_BOOL: return v->as.boolean;
	case VALUE_NUMBER: return true;
	case VALUE_STRING: return v->as.str.len > 0;
	case VALUE_LIST: return v->as.list.len > 0;
	case VALUE_MAP: return true;
	}
	return false;
}
