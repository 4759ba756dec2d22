/* SPDX-License-Identifier: MIT */
/*
 * tmpl_parse: turns the text of one Mustache template into the tree that
 * tmpl.c renders. Private to the tmpl module; nothing else includes it.
 *
 * Every span in the tree points into the template text given to
 * tmpl_parse, which must outlive the tree. Each node owns its children and
 * its ref string; tmpl_list_free releases a whole tree.
 */
#ifndef SAPAN_TMPL_PARSE_H
#define SAPAN_TMPL_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "util.h"

enum tmpl_node_kind {
	TMPL_NODE_TEXT,
	TMPL_NODE_VAR,      /* {{name}}: escaped */
	TMPL_NODE_RAW,      /* {{{name}}} or {{&name}}: not escaped */
	TMPL_NODE_SECTION,  /* {{#name}}...{{/name}} */
	TMPL_NODE_INVERTED, /* {{^name}}...{{/name}} */
	TMPL_NODE_PARTIAL,  /* {{>name}} or {{>*name}} */
	TMPL_NODE_PARENT,   /* {{<name}}...{{/name}} */
	TMPL_NODE_BLOCK,    /* {{$name}}...{{/name}} */
};

struct tmpl_node;

struct tmpl_list {
	struct tmpl_node *items;
	size_t len, cap;
};

struct tmpl_node {
	enum tmpl_node_kind kind;
	unsigned line, col;  /* 1-based position of the tag's opening delimiter */
	struct span text;    /* TEXT: the bytes to output; other kinds: the name */
	bool bol;            /* TEXT: begins a template line, so an enclosing
				standalone partial's indentation goes before it */
	bool standalone;     /* PARTIAL, PARENT, BLOCK: the tag stood alone on its
				line; for a BLOCK, its body has been dedented */
	bool dynamic;        /* PARTIAL, PARENT: text names the data value that
				holds the template's name */
	char *ref;           /* PARTIAL, PARENT with a static name: the name,
				NUL-terminated for the set's hash map */
	struct span indent;  /* standalone PARTIAL, PARENT, BLOCK: indentation to
				put before each line of what they expand to */
	size_t margin;       /* standalone BLOCK: bytes of indentation that were
				stripped from each line of the body */
	struct tmpl_list kids; /* SECTION, INVERTED, BLOCK: the body;
				  PARENT: its overriding BLOCKs, nothing else */
};

/*
 * Parses len bytes of text into out (which must be empty). `file` names the
 * template in diagnostics. Returns 0, or -1 after adding an error at the
 * first syntax mistake to diags, with out left empty.
 */
int tmpl_parse(const char *text, size_t len, const char *file, struct tmpl_list *out,
	       struct diag_list *diags);

/* Frees every node of list and their children, and empties list. */
void tmpl_list_free(struct tmpl_list *list);

#endif
