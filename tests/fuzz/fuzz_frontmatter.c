/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes reading a page's source: arbitrary bytes are decoded as
 * source_read would (BOM, line ends, UTF-8 or legacy Thai), and what
 * decodes is parsed as front matter plus body.
 *
 * Invariants: decoded text is strict UTF-8 with LF line ends, no NUL inside
 * and a NUL after it, and equal to the input when that needed no decoding; the body lies inside the text and starts on a line
 * of it (or just after it); failures and only failures carry errors.
 */
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "fuzz.h"
#include "source.h"

#define FILE_NAME "content/en/fuzz.md"

static unsigned count_lines(const char *s, size_t len)
{
	unsigned n = 1;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct source src;
	int rc = source_decode(FILE_NAME, (const char *)data, size, &src, &diags);
	fuzz_check_diags(rc, &diags);
	if (rc) {
		FUZZ_REQUIRE(!src.text, "a failed decode leaves nothing to free");
		diag_list_free(&diags);
		return 0;
	}
	FUZZ_REQUIRE(src.text[src.len] == '\0', "decoded text is NUL-terminated");
	FUZZ_REQUIRE(!memchr(src.text, '\0', src.len), "decoded text holds no NUL");
	FUZZ_REQUIRE(!memchr(src.text, '\r', src.len), "decoded text has LF line ends");
	FUZZ_REQUIRE(utf8_valid(src.text, src.len), "decoded text is UTF-8");
	/* Text that needs no decoding comes out as it went in, less a leading
	 * byte order mark. */
	if (utf8_valid((const char *)data, size) && !memchr(data, '\r', size) &&
	    !memchr(data, '\0', size)) {
		size_t skip = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		FUZZ_REQUIRE(src.len == size - skip && memcmp(src.text, data + skip, src.len) == 0,
			     "UTF-8 with LF line ends is kept as it is, less a BOM");
	}

	struct diag_list fm_diags;
	diag_list_init(&fm_diags);
	struct front_matter fm;
	rc = frontmatter_parse(FILE_NAME, src.text, src.len, &fm, &fm_diags);
	fuzz_check_diags(rc, &fm_diags);
	if (rc == 0) {
		FUZZ_REQUIRE(fm.title != NULL, "a parsed page has a title");
		FUZZ_REQUIRE(fm.body >= src.text && fm.body + fm.body_len <= src.text + src.len,
			     "the body lies inside the text");
		/* One past the last line when the file ends at the closing '---'. */
		FUZZ_REQUIRE(fm.body_line >= 1 && fm.body_line <= count_lines(src.text, src.len) + 1,
			     "the body starts on a line of the file");
		FUZZ_REQUIRE(utf8_valid(fm.title, strlen(fm.title)), "the title is UTF-8");
		frontmatter_free(&fm);
	}
	diag_list_free(&fm_diags);
	diag_list_free(&diags);
	source_free(&src);
	return 0;
}
