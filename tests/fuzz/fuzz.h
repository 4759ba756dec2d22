/* SPDX-License-Identifier: MIT */
/*
 * The fuzz harnesses' common parts. Each harness defines
 * LLVMFuzzerTestOneInput, which libFuzzer calls with generated inputs
 * (`make fuzz`) and tests/fuzz/replay.c calls with the committed corpus and
 * regression inputs (`make check`). A harness returns 0 for every input;
 * a broken invariant aborts, which both count as a failure.
 */
#ifndef SAPAN_TESTS_FUZZ_H
#define SAPAN_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints "fuzz invariant broken: what" to stderr and aborts unless cond. */
#define FUZZ_REQUIRE(cond, what) fuzz_require((cond), (what), __FILE__, __LINE__)
void fuzz_require(int cond, const char *what, const char *file, int line);

/*
 * The invariants every stage's diagnostics keep: a stage that failed (rc
 * nonzero) added at least one error, one that succeeded added none, every
 * diagnostic with a line names a file, and every one has a message.
 */
void fuzz_check_diags(int rc, const struct diag_list *diags);

#endif
