/* SPDX-License-Identifier: MIT */
/*
 * value: the data a template is rendered with: null, booleans, numbers,
 * strings, lists and maps, as in JSON. Each value owns its children;
 * value_free releases a whole tree. Maps keep insertion order and are
 * searched linearly: they hold a page's few dozen fields, not site-wide
 * indexes (those live in hmap).
 */
#ifndef SAPAN_VALUE_H
#define SAPAN_VALUE_H

#include <stdbool.h>
#include <stddef.h>

enum value_kind { VALUE_NULL, VALUE_BOOL, VALUE_NUMBER, VALUE_STRING, VALUE_LIST, VALUE_MAP };

struct value {
	enum value_kind kind;
	union {
		bool boolean;
		double number;
		struct {
			char *ptr;
			size_t len;
		} str;
		struct {
			struct value **items;
			size_t len, cap;
		} list;
		struct {
			char **keys;
			struct value **vals;
			size_t len, cap;
		} map;
	} as;
};

struct value *value_null(void);
struct value *value_bool(bool b);
struct value *value_number(double n);
struct value *value_string(const char *s);
struct value *value_stringn(const char *s, size_t len);
/* Takes ownership of a heap string. */
struct value *value_string_own(char *s);
struct value *value_list(void);
struct value *value_map(void);
void value_free(struct value *v);

/* Appends item to a list, taking ownership; returns item. */
struct value *value_push(struct value *list, struct value *item);
/* Sets key in a map, taking ownership of val and replacing any old value;
 * returns val. */
struct value *value_set(struct value *map, const char *key, struct value *val);
/* Adds key to a map without looking for an earlier entry, for a caller
 * that knows the key is new (the keys of a parsed YAML mapping are), so
 * that filling a large map stays linear. Takes ownership of val; returns
 * val. */
struct value *value_append(struct value *map, const char *key, struct value *val);
/* Shorthands for value_set with a new string or boolean. A NULL string sets
 * nothing, so optional fields stay absent (falsey) in templates. */
void value_set_str(struct value *map, const char *key, const char *s);
void value_set_bool(struct value *map, const char *key, bool b);
/* Returns the value of key in a map, or NULL (also when v is not a map). */
struct value *value_get(const struct value *v, const char *key);
/* Mustache truthiness: null, false, empty lists and empty strings are false. */
bool value_truthy(const struct value *v);

#endif
