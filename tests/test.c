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

size_t test_put_utf8(char *out, unsigned c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | c >> 12);
	out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[2] = (char)(0x80 | (c & 0x3f));
	return 3;
}
