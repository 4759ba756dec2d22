/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the raw-HTML scanner on its own (htmlscan_has_script_url and
 * htmlscan_attrs), with arbitrary bytes as a fragment of HTML.
 *
 * Invariants: no read outside the input (the sanitizers see it); every
 * attribute span lies inside the input, in document order; a script URL is
 * only ever found in input that spells "script" in some way (the letters
 * themselves, or a character reference); and the scan stays linear (the
 * replay and libFuzzer time limits catch a slow input).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "htmlscan.h"

struct order {
	const char *start, *end, *last;
};

static bool inside(const struct order *o, struct span s)
{
	return s.ptr >= o->start && s.ptr + s.len <= o->end;
}

static void visit(void *ctx, const struct htmlscan_attr *a)
{
	struct order *o = ctx;
	FUZZ_REQUIRE(inside(o, a->tag) && inside(o, a->name) && inside(o, a->value),
		     "attribute spans lie inside the input");
	FUZZ_REQUIRE(a->name.ptr >= o->last && a->name.ptr > a->tag.ptr,
		     "attributes come in document order, after their tag name");
	FUZZ_REQUIRE(a->name.len > 0, "an attribute has a name");
	o->last = a->name.ptr + a->name.len;
}

/* True if the bytes could spell "script" to a browser: written out, with
 * control characters between the letters (browsers skip some), or with a
 * character reference. */
static bool may_spell_script(const char *s, size_t n)
{
	if (memchr(s, '&', n))
		return true;
	static const char word[] = "script";
	size_t matched = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			continue;
		char l = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : (char)c;
		matched = l == word[matched] ? matched + 1 : l == word[0];
		if (matched == sizeof word - 1)
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	bool found = htmlscan_has_script_url(s, size);
	if (found)
		FUZZ_REQUIRE(may_spell_script(s, size), "a script URL is found only where one is written");
	struct order o = { s, s + size, s };
	htmlscan_attrs(s, size, visit, &o);
	return 0;
}
