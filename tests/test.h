/* SPDX-License-Identifier: MIT */
/*
 * A minimal unit-test harness: each test is a function; CHECK records a
 * failure and carries on. test_main runs the named tests and prints
 * "N passed, N failed", which tests/run-all sums across programs.
 */
#ifndef SAPAN_TEST_H
#define SAPAN_TEST_H

#include <stdio.h>
#include <string.h>

struct test_case {
	const char *name;
	void (*fn)(void);
};

extern int test_failures_; /* failures in the running test */
extern const char *test_name_;

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, \
				test_name_, #cond);                                      \
			test_failures_++;                                                \
		}                                                                        \
	} while (0)

/* Like CHECK, but ends the test at once: for conditions later checks rely on. */
#define REQUIRE(cond)                                                                    \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "%s:%d: %s: required: %s\n", __FILE__, __LINE__,   \
				test_name_, #cond);                                      \
			test_failures_++;                                                \
			return;                                                          \
		}                                                                        \
	} while (0)

#define CHECK_STR(got, want)                                                             \
	do {                                                                             \
		const char *g_ = (got), *w_ = (want);                                    \
		if (!g_ || !w_ || strcmp(g_, w_) != 0) {                                 \
			fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__,   \
				__LINE__, test_name_, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
			test_failures_++;                                                \
		}                                                                        \
	} while (0)

#define CHECK_INT(got, want)                                                             \
	do {                                                                             \
		long long g_ = (long long)(got), w_ = (long long)(want);                 \
		if (g_ != w_) {                                                          \
			fprintf(stderr, "%s:%d: %s: got %lld, want %lld (%s)\n", __FILE__,  \
				__LINE__, test_name_, g_, w_, #got);                     \
			test_failures_++;                                                \
		}                                                                        \
	} while (0)

#define CHECK_CONTAINS(haystack, needle)                                                 \
	do {                                                                             \
		const char *h_ = (haystack), *n_ = (needle);                             \
		if (!h_ || !strstr(h_, n_)) {                                            \
			fprintf(stderr, "%s:%d: %s: \"%s\" not found in \"%s\"\n", __FILE__, \
				__LINE__, test_name_, n_, h_ ? h_ : "(null)");           \
			test_failures_++;                                                \
		}                                                                        \
	} while (0)

#define TEST_LIST(...) static const struct test_case tests_[] = { __VA_ARGS__ }
#define T(fn) { #fn, fn }

int test_run_all(const struct test_case *tests, size_t count);
/* Writes code point c (below U+10000) as UTF-8 at out; returns its length. */
size_t test_put_utf8(char *out, unsigned c);
/* SAPAN_TEST_TIME_SCALE: how many times longer a time limit of a test may
 * be, for builds that run much slower by design (make check-tsan); 1. */
double test_time_scale(void);

#define TEST_MAIN()                                                        \
	int main(void)                                                     \
	{                                                                  \
		return test_run_all(tests_, sizeof tests_ / sizeof tests_[0]); \
	}

#endif
