/* SPDX-License-Identifier: MIT */
#include "yaml_value.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* True for a plain scalar that YAML reads as a number: an optional sign,
 * digits with at most one decimal point, an optional exponent. */
static bool is_number(const char *s)
{
	bool digits = false;
	if (*s == '-' || *s == '+')
		s++;
	while ((*s >= '0' && *s <= '9') || *s == '.') {
		if (*s == '.' && strchr(s + 1, '.'))
			return false;
		digits |= *s != '.';
		s++;
	}
	if (digits && (*s == 'e' || *s == 'E')) {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return digits && !*s;
}

struct value *yaml_value_from_ynode(const struct ynode *n)
{
	bool b;
	switch (n->kind) {
	case YNODE_SCALAR:
		if (!n->plain)
			return value_stringn(n->text, n->text_len);
		if (ynode_is_null(n))
			return value_null();
		if (ynode_bool(n, &b))
			return value_bool(b);
		if (is_number(n->text))
			return value_number(strtod(n->text, NULL));
		return value_stringn(n->text, n->text_len);
	case YNODE_SEQ: {
		struct value *list = value_list();
		for (size_t i = 0; i < n->len; i++)
			value_push(list, yaml_value_from_ynode(n->items[i]));
		return list;
	}
	case YNODE_MAP: {
		struct value *map = value_map();
		for (size_t i = 0; i < n->len; i++)
			value_set(map, n->keys[i]->text, yaml_value_from_ynode(n->items[i]));
		return map;
	}
	}
	return value_null();
}
