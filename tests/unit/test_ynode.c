/* SPDX-License-Identifier: MIT */
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

TEST_LIST(T(positions_and_types), T(refusals), T(empty_document_is_empty_map));
TEST_MAIN()
