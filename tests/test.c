/* SPDX-License-Identifier: MIT */
#include "test.h"

#include <stdlib.h>

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

double test_time_scale(void)
{
	const char *v = getenv("SAPAN_TEST_TIME_SCALE");
	double scale = v ? atof(v) : 1.0;
	return scale >= 1.0 ? scale : 1.0;
}
