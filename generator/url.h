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
 * Resolves the URL path `path` (percent-escapes decoded, "." and ".."
 * applied) from the site folder base_dir to the file a static server sends:
 * a folder ("a/", "..", "") gives its index.html. A leading '/' starts at
 * the site root. Returns the root-relative file ("en/a/index.html"), or
 * NULL if it climbs above the root or holds a NUL byte.
 */
char *url_resolve_file(const char *base_dir, const char *path);
/* True if the file-system path is folder itself or lies below it (both
 * absolute and resolved; "/" contains everything). */
bool url_path_within(const char *path, const char *folder);
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
