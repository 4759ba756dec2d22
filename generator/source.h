/* SPDX-License-Identifier: MIT */
/*
 * source: reading input text files and decoding them to the one form the
 * rest of sapan works on: UTF-8 without a byte order mark, lines ended by
 * LF, NUL-terminated, no NUL bytes inside. This is the only module that
 * calls iconv; legacy Thai files (Windows-874 / TIS-620) are converted here
 * with a warning, and anything else that is not UTF-8 is refused with the
 * position of the first bad byte.
 *
 * A struct source owns its path and text; source_free releases both (and
 * is safe on a zeroed or failed struct source).
 */
#ifndef SAPAN_SOURCE_H
#define SAPAN_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct source {
	char *path; /* as given, owned */
	char *text; /* UTF-8, LF line ends, NUL-terminated, owned */
	size_t len; /* bytes in text, not counting the final NUL */
};

/*
 * The largest text file sapan reads. Pages, templates and YAML files are
 * written by people; 32 MB is over three times the largest page the limit
 * tests build, and the bound keeps memory and time in proportion (the
 * Markdown tree of a page takes several times its size).
 */
#define SOURCE_MAX_BYTES (32 * 1024 * 1024)

/*
 * Reads the file at path and decodes it as source_decode does. Only a
 * regular file is read: a FIFO, device or folder is refused without
 * waiting on it (it is opened with O_NONBLOCK, then checked with fstat).
 * Returns 0 and fills *out (which the caller frees with source_free), or
 * -1 with *out zeroed after adding an error to diags: "path: cannot read:
 * <strerror>" for a file that cannot be read, "path: is a named pipe
 * (FIFO), not a file; ..." for one that is not a regular file, "file is
 * larger than 32 MB ..." for one over SOURCE_MAX_BYTES, or a decoding
 * error.
 */
int source_read(const char *path, struct source *out, struct diag_list *diags);

/*
 * Decodes len bytes read from path (used only for out->path and for
 * diagnostics):
 *   - a leading UTF-8 byte order mark is dropped;
 *   - CRLF and lone CR become LF;
 *   - valid UTF-8 is kept as it is;
 *   - text that is not UTF-8 but looks like legacy Thai is converted from
 *     Windows-874 with a warning asking the author to save it as UTF-8;
 *   - any other invalid byte, and any NUL byte, is an error at its line
 *     and column (1-based, the column counted in characters).
 * Returns 0 and fills *out, or -1 with *out zeroed. Warnings may be added
 * on success.
 */
int source_decode(const char *path, const char *bytes, size_t len, struct source *out,
		  struct diag_list *diags);

void source_free(struct source *src);

/*
 * Returns true if the len bytes at s are strict UTF-8: no overlong forms,
 * no surrogates, nothing above U+10FFFF, no truncated sequences. NUL bytes
 * are valid UTF-8 (they are refused by source_decode, not here).
 */
bool utf8_valid(const char *s, size_t len);

#endif
