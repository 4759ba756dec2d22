/* SPDX-License-Identifier: MIT */
/*
 * util: memory allocation that cannot fail, the growable buffer and the
 * span (a non-owning slice of text).
 *
 * Out-of-memory is the one failure sapan does not pass up: x*alloc print a
 * message and abort, so every caller can treat allocation as infallible.
 * A struct buf owns its bytes; buf_detach hands them to the caller.
 */
#ifndef SAPAN_UTIL_H
#define SAPAN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows an array of count elements of elem_size to at least need elements,
 * doubling; updates *cap. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t elem_size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);
/* Returns a newly allocated formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer: ptr is never NULL and always NUL-terminated. */
struct buf {
	char *ptr;
	size_t len;
	size_t cap; /* 0 while ptr points at the shared empty string */
};

#define BUF_INIT { (char *)buf_empty_, 0, 0 }
extern const char buf_empty_[1];

void buf_init(struct buf *b);
void buf_put(struct buf *b, const char *data, size_t len);
void buf_puts(struct buf *b, const char *s);
/* Makes room for extra more bytes and the NUL after them. */
void buf_reserve(struct buf *b, size_t extra);
/* Inline: the index and the Markdown pass write most of their bytes one
 * by one, and a call per byte cost them a tenth of their time. */
static inline void buf_putc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_reserve(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s with &, <, >, " and ' replaced by entities. */
void buf_put_html(struct buf *b, const char *s, size_t len);
void buf_truncate(struct buf *b, size_t len);
/* Returns the heap string and leaves b empty; the caller frees it. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);

#define BUF_PUTL(b, lit) buf_put((b), (lit), sizeof(lit) - 1)

/* A non-owning view of len bytes; not NUL-terminated. */
struct span {
	const char *ptr;
	size_t len;
};

/* The text strerror gives for the errno value err, written into buf, which
 * it returns. For code that runs on the render threads: strerror may
 * share one static buffer between threads. */
#define ERRNO_TEXT_MAX 128
const char *errno_text(int err, char buf[ERRNO_TEXT_MAX]);
/* Writes all len bytes of data to fd, going on after a signal or a short
 * write. Returns 0, or -1 with errno set. */
int write_all(int fd, const char *data, size_t len);

bool span_eq(struct span s, const char *lit);
bool str_has_prefix(const char *s, const char *prefix);
bool str_has_suffix(const char *s, const char *suffix);
/* FNV-1a (64 bits) of len bytes: the one hash of sapan, for hash tables and
 * the names of hashed assets. Fast and well spread, not cryptographic. */
uint64_t hash_bytes(const void *data, size_t len);
/* The same hash continued from state h (HASH_BASIS to start), so that a
 * stream of pieces hashes as their concatenation; the build cache runs it
 * from two starting states for a 128-bit key. */
#define HASH_BASIS 1469598103934665603ULL
uint64_t hash_more(uint64_t h, const void *data, size_t len);
/* A hash of len bytes taken eight at a time, for the hash tables that every
 * word or path of a build goes through (hmap, the search index's tables):
 * FNV's byte at a time was a tenth of the index's cost. Not stable across
 * byte orders, so never written to a file. */
uint64_t hash_words(const void *data, size_t len);

#endif
