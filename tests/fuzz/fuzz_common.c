/* SPDX-License-Identifier: MIT */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

void fuzz_require(int cond, const char *what, const char *file, int line)
{
	if (cond)
		return;
	fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, what);
	abort();
}

void fuzz_check_diags(int rc, const struct diag_list *diags)
{
	if (rc)
		FUZZ_REQUIRE(diags->errors > 0, "a failure comes with an error");
	else
		FUZZ_REQUIRE(diags->errors == 0, "a success comes without errors");
	for (size_t i = 0; i < diags->len; i++) {
		const struct diag *d = &diags->items[i];
		/* Only a diagnostic about no place in particular (a template
		 * asked for by a name the set lacks) may have no file. */
		FUZZ_REQUIRE((d->file && *d->file) || d->line == 0,
			     "every positioned diagnostic names its file");
		FUZZ_REQUIRE(d->message && *d->message, "every diagnostic has a message");
	}
}
