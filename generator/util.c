/* SPDX-License-Identifier: MIT */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char buf_empty_[1] = "";

const char *errno_text(int err, char buf[ERRNO_TEXT_MAX])
{
	/* The XSI strerror_r (we do not define _GNU_SOURCE): fills buf. */
	if (strerror_r(err, buf, ERRNO_TEXT_MAX) != 0)
		snprintf(buf, ERRNO_TEXT_MAX, "error %d", err);
	return buf;
}

static void out_of_memory(size_t size)
{
	fprintf(stderr, "sapan: out of memory (asked for %zu bytes)\n", size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory(count * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *xgrow(void *ptr, size_t *cap, size_t need, size_t elem_size)
{
	if (need <= *cap)
		return ptr;
	size_t n = *cap ? *cap : 8;
	while (n < need) {
		if (n > ((size_t)-1) / 2 / elem_size)
			out_of_memory((size_t)-1);
		n *= 2;
	}
	*cap = n;
	return xrealloc(ptr, n * elem_size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t len)
{
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

void buf_init(struct buf *b)
{
	b->ptr = (char *)buf_empty_;
	b->len = 0;
	b->cap = 0;
}

void buf_reserve(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if (b->cap == 0) {
		char *p = xmalloc(cap);
		memcpy(p, b->ptr, b->len + 1);
		b->ptr = p;
	} else {
		b->ptr = xrealloc(b->ptr, cap);
	}
	b->cap = cap;
}

void buf_put(struct buf *b, const char *data, size_t len)
{
	if (len == 0)
		return;
	buf_reserve(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n <= 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_put_html(struct buf *b, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_put(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_put(b, s + start, len - start);
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

char *buf_detach(struct buf *b)
{
	char *p = b->cap ? b->ptr : xstrdup("");
	buf_init(b);
	return p;
}

void buf_free(struct buf *b)
{
	if (b->cap)
		free(b->ptr);
	buf_init(b);
}

bool span_eq(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

bool str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

uint64_t hash_bytes(const void *data, size_t len)
{
	return hash_more(HASH_BASIS, data, len);
}

uint64_t hash_more(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

uint64_t hash_words(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15u ^ len;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t v;
		memcpy(&v, p + i, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	uint64_t v = 0;
	memcpy(&v, p + i, len - i);
	h = (h ^ v) * 0xc4ceb9fe1a85ec53u;
	return h ^ (h >> 29);
}

int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}
