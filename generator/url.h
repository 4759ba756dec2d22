/* SPDX-License-Identifier: MIT */
/*
 * url: pure string functions on site paths and URLs: normalising a path
 * written by an author, the relative URL from one output folder to
 * another, and percent-encoding. Nothing here touches the file system.
 * Every function returns a new heap string owned by the caller, or NULL.
 */
#ifndef SAPAN_URL_H
#define SAPAN_URL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Resolves path as written in the page whose content-relative folder is
 * base_dir ("en/projects", "" for the top): a leading '/' means relative to
 * content/. Percent-escapes are decoded first, "." and ".." segments are
 * applied. Returns the content-relative path ("en/infosheets/wash.md"), or
 * NULL if it climbs out of content/ or is empty or holds a NUL byte.
 */
char *url_resolve_path(const char *base_dir, const char *path);
/*
 * Returns the relative URL that leads from a page in folder from_dir to
 * target; both are relative to the site root with '/' separators, and a
 * folder ends in '/' ("en/projects/aup-ii/"). Same folder gives "./". A
 * result whose first segment holds a ':' starts with "./", so that no
 * browser reads it as a scheme.
 */
char *url_relative(const char *from_dir, const char *target);
/* Percent-encodes every byte that is not unreserved or '/'; '%' too. */
char *url_encode_path(const char *path);
/* True if s starts with a URL scheme ("https:", "mailto:") or "//". */
bool url_is_external(const char *s);
/* Returns the folder part of a content-relative path ("en/a/b.md" -> "en/a"). */
char *url_dirname(const char *path);
/* Decodes every %XX escape; returns NULL if one decodes to a NUL byte. */
char *url_decode(const char *s);

#endif
