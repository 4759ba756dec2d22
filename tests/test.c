/* SPDX-License-Identifier: MIT */
#include "test.h"

int test_failures_;
const char *test_name_;

int test_run_all(const struct test_case *tests, size_t count)
{
	int passed = 0, failed = 0;
	for (size_t i = 0; i < count; i++) {
		test_name_ = tests[i].name;
		test_failures_ = 0;
		tests[i].fn();
		if (test_failures_) {
			failed++;
			fprintf(stderr, "FAIL %s\n", tests[i].name);
		} else {
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
