/* SPDX-License-Identifier: MIT */
#include "url.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decoding before normalising is what makes "%2e%2e/" count as "../". */
static char *percent_decode(const char *s)
{
	struct buf b = BUF_INIT;
	for (; *s; s++) {
		int hi, lo;
		if (*s == '%' && (hi = hex(s[1])) >= 0 && (lo = hex(s[2])) >= 0) {
			char c = (char)(hi * 16 + lo);
			if (c == '\0') {
				buf_free(&b);
				return NULL;
			}
			buf_putc(&b, c);
			s += 2;
		} else {
			buf_putc(&b, *s);
		}
	}
	return buf_detach(&b);
}

/*
 * Applies the "." and ".." segments of the '/'-separated path p and drops
 * empty ones. Sets *folder when the last segment names a folder (a
 * trailing '/', ".", "..", or nothing at all). Returns the normal form (possibly ""), or NULL
 * if a ".." climbs past the start.
 */
static char *normalise(const char *p, bool *folder)
{
	struct buf out = BUF_INIT;
	*folder = true; /* "" is the folder itself */
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			*folder = true;
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (out.len == 0) {
				buf_free(&out);
				return NULL;
			}
			char *slash = strrchr(out.ptr, '/');
			buf_truncate(&out, slash ? (size_t)(slash - out.ptr) : 0);
			*folder = true;
		} else {
			if (out.len)
				buf_putc(&out, '/');
			buf_put(&out, p, n);
			*folder = false;
		}
		p += n;
		if (*p == '/') {
			p++;
			*folder = true;
		}
	}
	return buf_detach(&out);
}

/* base_dir joined with the decoded path; a leading '/' starts at the root. */
static char *join_decoded(const char *base_dir, const char *path)
{
	char *decoded = percent_decode(path);
	if (!decoded)
		return NULL;
	char *joined = decoded[0] != '/' && *base_dir
			       ? xasprintf("%s/%s", base_dir, decoded)
			       : xstrdup(decoded[0] == '/' ? decoded + 1 : decoded);
	free(decoded);
	return joined;
}

char *url_resolve_path(const char *base_dir, const char *path)
{
	char *joined = join_decoded(base_dir, path);
	if (!joined)
		return NULL;
	bool folder;
	char *out = normalise(joined, &folder);
	bool trailing = *joined && joined[strlen(joined) - 1] == '/';
	free(joined);
	if (!out || !*out) {
		free(out);
		return NULL;
	}
	if (trailing) {
		char *with = xasprintf("%s/", out);
		free(out);
		out = with;
	}
	return out;
}

char *url_resolve_file(const char *base_dir, const char *path)
{
	char *joined = join_decoded(base_dir, path);
	if (!joined)
		return NULL;
	bool folder;
	char *out = normalise(joined, &folder);
	free(joined);
	if (out && folder) {
		char *index = xasprintf("%s%sindex.html", out, *out ? "/" : "");
		free(out);
		out = index;
	}
	return out;
}

bool url_path_within(const char *path, const char *folder)
{
	size_t n = strlen(folder);
	if (n > 0 && folder[n - 1] == '/')
		n--; /* the folder is "/" itself */
	return strncmp(path, folder, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

char *url_relative(const char *from_dir, const char *target)
{
	/* Skip the folders both share. */
	size_t common = 0;
	for (size_t i = 0; from_dir[i] && from_dir[i] == target[i]; i++) {
		if (from_dir[i] == '/')
			common = i + 1;
	}
	struct buf b = BUF_INIT;
	for (const char *p = from_dir + common; *p; p++) {
		if (*p == '/')
			BUF_PUTL(&b, "../");
	}
	/* "minutes:2024.pdf" would read as a URL with the scheme "minutes:";
	 * "./minutes:2024.pdf" is the file. */
	const char *rest = target + common;
	if (b.len == 0 && memchr(rest, ':', strcspn(rest, "/?#")))
		BUF_PUTL(&b, "./");
	buf_puts(&b, rest);
	if (b.len == 0)
		BUF_PUTL(&b, "./");
	return buf_detach(&b);
}

char *url_encode_path(const char *path)
{
	static const char digits[] = "0123456789ABCDEF";
	struct buf b = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		unsigned char c = *p;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || strchr("-._~/", c);
		if (plain) {
			buf_putc(&b, (char)c);
		} else {
			char esc[3] = { '%', digits[c >> 4], digits[c & 15] };
			buf_put(&b, esc, 3);
		}
	}
	return buf_detach(&b);
}

bool url_is_external(const char *s)
{
	if (s[0] == '/' && s[1] == '/')
		return true;
	const char *p = s;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	       *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

char *url_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup("");
}

char *url_decode(const char *s)
{
	return percent_decode(s);
}
