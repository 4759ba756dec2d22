/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "ynode.h"

static struct ynode *parse(const char *text, struct buf *msgs)
{
	struct diag_list d;
	diag_list_init(&d);
	struct ynode_source src = { text, strlen(text), "f.yaml", 5 };
	struct ynode *root = ynode_parse(&src, &d);
	for (size_t i = 0; i < d.len; i++) {
		diag_format(&d.items[i], msgs);
		buf_putc(msgs, '\n');
	}
	diag_list_free(&d);
	return root;
}

static void positions_and_types(void)
{
	struct buf m = BUF_INIT;
	struct ynode *root = parse("a: 1\nb:\n  - x\n  - 'true'\nc: ~\nd: True\n", &m);
	CHECK(root && root->kind == YNODE_MAP);
	const struct ynode *b = ynode_get(root, "b");
	REQUIRE(b && b->kind == YNODE_SEQ && b->len == 2);
	CHECK_INT(b->items[1]->line, 8);
	CHECK_INT(b->items[1]->col, 5);
	long n = 0;
	CHECK(ynode_int(ynode_get(root, "a"), &n) && n == 1);
	bool flag = false;
	CHECK(!ynode_bool(b->items[1], &flag)); /* quoted: text, not a boolean */
	CHECK(ynode_bool(ynode_get(root, "d"), &flag) && flag);
	CHECK(ynode_is_null(ynode_get(root, "c")));
	CHECK_STR(m.ptr, "");
	ynode_free(root);
	buf_free(&m);
}

static void refusals(void)
{
	struct buf m = BUF_INIT;
	CHECK(parse("a: 1\na: 2\n", &m) == NULL);
	CHECK_STR(m.ptr, "f.yaml:6:1: error: duplicate key 'a' (also on line 5); keep one of them\n");
	buf_truncate(&m, 0);
	CHECK(parse("a: &x [1, 2]\nb: [*x, *x]\n", &m) == NULL);
	CHECK_CONTAINS(m.ptr, "f.yaml:6:5: error: YAML aliases");
	buf_truncate(&m, 0);
	CHECK(parse("a: 1\n---\nb: 2\n", &m) == NULL);
	CHECK_CONTAINS(m.ptr, "only one YAML document");
	buf_truncate(&m, 0);
	struct buf deep = BUF_INIT;
	for (int i = 0; i < 100; i++)
		buf_putc(&deep, '[');
	CHECK(parse(deep.ptr, &m) == NULL);
	CHECK_CONTAINS(m.ptr, "nested too deeply");
	buf_free(&deep);
	buf_free(&m);
}

static void empty_document_is_empty_map(void)
{
	struct buf m = BUF_INIT;
	struct ynode *root = parse("", &m);
	CHECK(root && root->kind == YNODE_MAP && root->len == 0);
	ynode_free(root);
	buf_free(&m);
}

/* NUL from an escape is refused at the escape (line 5 is the first). */
static void nul_escapes(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "a: \"x\\0y\"\n", "f.yaml:5:6: error: the escape \"\\0\" makes a NUL" },
		{ "a: ok\nb: \"\\x00\"\n", "f.yaml:6:5: error: the escape \"\\x00\" makes" },
		{ "a: \"ไทย \\u0000\"\n", "f.yaml:5:9: error: the escape \"\\u0000\" makes" },
		{ "a: \"\\U00000000\"\n", "f.yaml:5:5: error: the escape \"\\U00000000\" makes" },
		/* After an escaped backslash, an escaped quote and a line break. */
		{ "a: \"\\\\0 \\\" x\n  y \\\n  z\\0\"\n", "f.yaml:7:4: error: the escape" },
		{ "? \"k\\0\"\n: v\n", "f.yaml:5:5: error: the escape \"\\0\"" },
		{ "[\"a\", \"\\0\"]\n", "f.yaml:5:8: error: the escape" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf m = BUF_INIT;
		CHECK(parse(cases[i].text, &m) == NULL);
		if (strncmp(m.ptr, cases[i].want, strlen(cases[i].want)) != 0) {
			fprintf(stderr, "case %zu: got \"%s\", want \"%s...\"\n", i, m.ptr,
				cases[i].want);
			test_failures_++;
		}
		buf_free(&m);
	}
	/* A backslash and a 0 that are not an escape are text. */
	struct buf m = BUF_INIT;
	struct ynode *root = parse("a: 'x\\0'\nb: x\\0\nc: \"\\\\0\"\n", &m);
	CHECK_STR(m.ptr, "");
	REQUIRE(root);
	CHECK_STR(ynode_get(root, "a")->text, "x\\0");
	CHECK_STR(ynode_get(root, "b")->text, "x\\0");
	CHECK_STR(ynode_get(root, "c")->text, "\\0");
	ynode_free(root);
	buf_free(&m);
}

static void blank(void)
{
	struct buf m = BUF_INIT;
	struct ynode *root = parse("a: ''\nb: \"  \\t \"\nc: \"\\u3000\\u00a0\\u200b\"\n"
				   "d: ' x '\ne:\nf: [x]\n", &m);
	REQUIRE(root);
	CHECK(ynode_is_blank(ynode_get(root, "a")));
	CHECK(ynode_is_blank(ynode_get(root, "b")));
	CHECK(ynode_is_blank(ynode_get(root, "c")));
	CHECK(!ynode_is_blank(ynode_get(root, "d")));
	CHECK(ynode_is_blank(ynode_get(root, "e")));
	CHECK(!ynode_is_blank(ynode_get(root, "f")));
	CHECK(!ynode_is_blank(NULL));
	ynode_free(root);
	buf_free(&m);
}

/* Many keys: the duplicate check is a hash set, and still names the line
 * of the first key. */
static void many_keys(void)
{
	struct buf text = BUF_INIT, m = BUF_INIT;
	for (int i = 0; i < 50000; i++)
		buf_printf(&text, "k%d: v\n", i);
	buf_puts(&text, "k777: again\n");
	CHECK(parse(text.ptr, &m) == NULL);
	CHECK_STR(m.ptr, "f.yaml:50005:1: error: duplicate key 'k777' (also on line 782); keep "
			 "one of them\n");
	buf_free(&text);
	buf_free(&m);
}

/* Two trees are equal: kinds, positions, plainness, texts and children. */
static bool same_tree(const struct ynode *a, const struct ynode *b)
{
	if (a->kind != b->kind || a->line != b->line || a->col != b->col || a->plain != b->plain ||
	    a->len != b->len || (a->text == NULL) != (b->text == NULL) ||
	    (a->text && (a->text_len != b->text_len || memcmp(a->text, b->text, a->text_len))))
		return false;
	for (size_t i = 0; i < a->len; i++)
		if ((a->keys && !same_tree(a->keys[i], b->keys[i])) ||
		    !same_tree(a->items[i], b->items[i]))
			return false;
	return true;
}

/* The binary form gives the same tree back; cut anywhere, it gives none;
 * with any byte changed, a tree or none, never a fault (ASan checks). */
static void encodes_and_decodes(void)
{
	struct buf m = BUF_INIT;
	struct ynode *root = parse("title: \"A: B\"\nweight: 3\ndonors:\n  - EU\n  - 'x'\n"
				   "resources:\n  - title: T\n    files: {en: /m/a.pdf}\nempty:\n", &m);
	REQUIRE(root != NULL);
	struct buf enc = BUF_INIT;
	ynode_encode(root, &enc);
	struct ynode *back = ynode_decode(enc.ptr, enc.len);
	REQUIRE(back != NULL);
	CHECK(same_tree(root, back));
	ynode_free(back);
	size_t cut_ok = 0;
	for (size_t n = 0; n < enc.len; n++) {
		struct ynode *t = ynode_decode(enc.ptr, n);
		cut_ok += t == NULL;
		ynode_free(t);
	}
	CHECK_INT(cut_ok, enc.len);
	struct buf more = BUF_INIT;
	buf_put(&more, enc.ptr, enc.len);
	buf_putc(&more, 0);
	CHECK(ynode_decode(more.ptr, more.len) == NULL);
	for (size_t i = 0; i < enc.len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			enc.ptr[i] ^= (char)(1 << bit);
			ynode_free(ynode_decode(enc.ptr, enc.len));
			enc.ptr[i] ^= (char)(1 << bit);
		}
	}
	buf_free(&more);
	buf_free(&enc);
	buf_free(&m);
	ynode_free(root);
}

TEST_LIST(T(encodes_and_decodes), T(nul_escapes), T(blank), T(many_keys), T(positions_and_types), T(refusals), T(empty_document_is_empty_map));
TEST_MAIN()
