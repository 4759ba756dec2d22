/* SPDX-License-Identifier: MIT */
/*
 * ynode: YAML documents as a tree of positioned nodes. This is the only
 * module that calls libyaml; front matter, site.yaml and the i18n files
 * are all read through it, so every key and value keeps the line and column
 * it came from for diagnostics.
 *
 * Aliases are refused: front matter never needs them, and expanding them
 * is how a few bytes of YAML exhaust memory. Duplicate keys in a mapping are
 * an error at the second key. Each node owns its children.
 */
#ifndef SAPAN_YNODE_H
#define SAPAN_YNODE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "util.h"

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_kind kind;
	unsigned line, col; /* 1-based position in the file */
	char *text;         /* scalar text, NUL-terminated; NULL otherwise */
	size_t text_len;
	bool plain;          /* an unquoted scalar, so null/true/numbers apply */
	struct ynode **keys; /* mapping keys (scalars), parallel to items */
	struct ynode **items; /* sequence items or mapping values */
	size_t len, cap;
};

struct ynode_source {
	const char *text; /* UTF-8, need not be NUL-terminated */
	size_t len;
	const char *file; /* for diagnostics */
	unsigned first_line; /* line number in file of text's first line */
};

/*
 * Parses one YAML document. An empty document gives an empty mapping.
 * Returns the root, owned by the caller, or NULL after adding an error to
 * diags.
 */
struct ynode *ynode_parse(const struct ynode_source *src, struct diag_list *diags);
void ynode_free(struct ynode *node);
/*
 * Appends node's tree to out in a compact binary form, which the build
 * cache keeps so that a later build need not parse the same YAML again.
 */
void ynode_encode(const struct ynode *node, struct buf *out);
/*
 * The tree that ynode_encode wrote into the len bytes at data, or NULL
 * when they are not one: every count and length is checked against the
 * bytes left, the depth is bounded, and nothing else may follow.
 */
struct ynode *ynode_decode(const char *data, size_t len);

/* Returns the value under key in a mapping, or NULL. */
struct ynode *ynode_get(const struct ynode *map, const char *key);
/* True for a plain scalar that YAML reads as null: "", "~", "null". */
bool ynode_is_null(const struct ynode *node);
/*
 * True for a scalar whose text is empty or only white space: ASCII spaces,
 * tabs and line breaks, the no-break space, the Unicode spaces U+2000 to
 * U+200B and the ideographic space. A title like that shows as nothing.
 */
bool ynode_is_blank(const struct ynode *node);
/* Returns 1 and sets *out for a plain true/false (any case), else 0. */
int ynode_bool(const struct ynode *node, bool *out);
/* Returns 1 and sets *out for a plain integer, else 0. */
int ynode_int(const struct ynode *node, long *out);
/* A short English name of the node's type, for "expected X, got Y". */
const char *ynode_kind_name(const struct ynode *node);
/*
 * Returns the text of a scalar node, or NULL after adding an error
 * "'key' must be text, not a list" at the node's position in file.
 */
const char *ynode_text(const struct ynode *node, const char *file, const char *key,
		       struct diag_list *diags);

#endif
