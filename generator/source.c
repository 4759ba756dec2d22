/* SPDX-License-Identifier: MIT */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/*
 * Returns the length of the strict UTF-8 sequence at s (at most len bytes),
 * or 0 if s does not start one. The second-byte ranges after E0, ED, F0 and
 * F4 are what rule out overlong forms, surrogates and code points above
 * U+10FFFF (RFC 3629, table 3-7 of the Unicode standard).
 */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++) {
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	}
	return n;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

/* True if none of the eight bytes at s is NUL or above 0x7F. */
static inline bool plain_ascii8(const unsigned char *s)
{
	uint64_t w;
	memcpy(&w, s, sizeof w);
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	return ((w | ((w - ones) & ~w)) & highs) == 0;
}

/* Returns the offset of the first NUL byte or invalid UTF-8 sequence, or
 * len if there is neither. Every page is checked on every build that reads
 * it, so runs of ASCII are taken eight bytes at a time and the three-byte
 * sequences of Thai (E0 B8 xx, E0 B9 xx) without a call. */
static size_t first_problem(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if (i + 8 <= len && plain_ascii8(s + i)) {
			i += 8;
			continue;
		}
		unsigned char c = s[i];
		if (c == 0)
			break;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c == 0xE0 && i + 3 <= len && (s[i + 1] == 0xB8 || s[i + 1] == 0xB9) &&
		    (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		size_t n = utf8_seq(s + i, len - i);
		if (!n)
			break;
		i += n;
	}
	return i;
}

/*
 * Finds the 1-based line and column of offset off in s, whose first off
 * bytes are valid UTF-8. Lone CRs end lines too, since they become LFs;
 * the column counts characters (bytes that are not continuation bytes), as
 * editors do.
 */
static void position(const char *s, size_t off, unsigned *line, unsigned *col)
{
	unsigned ln = 1, cl = 1;
	for (size_t i = 0; i < off; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n' || (c == '\r' && (i + 1 >= off || s[i + 1] != '\n'))) {
			ln++;
			cl = 1;
		} else if (c != '\r' && (c & 0xC0) != 0x80) {
			cl++;
		}
	}
	*line = ln;
	*col = cl;
}

/* Thai above and below vowels and tone marks in TIS-620: they have no
 * width of their own and sit on the consonant before them. */
static bool tis_mark(unsigned char c)
{
	return c == 0xD1 || (c >= 0xD4 && c <= 0xDA) || (c >= 0xE7 && c <= 0xEE);
}

static bool tis_consonant(unsigned char c)
{
	return c >= 0xA1 && c <= 0xCE;
}

/* The bytes glibc's CP874 table leaves undefined. UTF-8 continuation
 * bytes often fall here, so one of them rules Windows-874 out. */
static bool cp874_undefined(unsigned char c)
{
	return (c >= 0x81 && c <= 0x84) || (c >= 0x86 && c <= 0x90) || (c >= 0x98 && c <= 0x9F) ||
	       (c >= 0xDB && c <= 0xDE) || c >= 0xFC;
}

/*
 * Guesses whether bytes that failed UTF-8 validation are Thai in TIS-620
 * or Windows-874. A byte-range rule alone also matches Latin-1 French
 * (THAI.md), so all of these must hold:
 *   - every byte is defined in Windows-874, or the conversion would fail;
 *   - fewer than 20% of the high bytes are isolated between ASCII bytes:
 *     Thai words are runs of high bytes, accented Latin letters are not;
 *   - more than half of the high bytes are Thai letters (0xA1-0xFB),
 *     which sets it apart from files of C1 punctuation and from the
 *     overlong forms (C0 80, E0 80 80) that broken encoders write;
 *   - at most 1 in 20 combining marks does not sit on a consonant, looking
 *     back over at most two earlier marks (a vowel then a tone mark is the
 *     deepest stack Thai spelling makes); the allowance is for typing
 *     slips, while Cyrillic or Latin text in these bytes fails it widely;
 *   - fewer than 3 in 4 high bytes belong to valid multi-byte UTF-8
 *     sequences. UTF-8 Thai (E0 B8 xx) can pass the tests above, so a
 *     UTF-8 file with one damaged byte must be caught here and get the
 *     error at that byte. In real TIS-620 text about 37% of high bytes
 *     happen to pair up into valid UTF-8 (measured on THAI.md's Thai).
 * Two or three bytes cannot settle it: C0 AF is both an overlong "/" and
 * the Thai letters "ภฏ", and is taken as Thai.
 */
static bool looks_like_thai(const unsigned char *s, size_t len)
{
	size_t high = 0, isolated = 0, letters = 0, marks = 0, stray = 0, in_utf8 = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if (c < 0x80)
			continue;
		if (cp874_undefined(c))
			return false;
		high++;
		bool prev_high = i > 0 && s[i - 1] >= 0x80;
		bool next_high = i + 1 < len && s[i + 1] >= 0x80;
		if (!prev_high && !next_high)
			isolated++;
		if (c >= 0xA1 && c <= 0xFB)
			letters++;
		if (tis_mark(c)) {
			marks++;
			size_t j = i;
			for (int depth = 0; depth < 2 && j > 0 && tis_mark(s[j - 1]); depth++)
				j--;
			if (j == 0 || !tis_consonant(s[j - 1]))
				stray++;
		}
	}
	for (size_t i = 0; i < len;) {
		size_t n = s[i] < 0x80 ? 1 : utf8_seq(s + i, len - i);
		if (n > 1)
			in_utf8 += n;
		i += n ? n : 1;
	}
	return high > 0 && isolated * 5 < high && letters * 2 > high && stray * 20 <= marks &&
	       in_utf8 * 4 < high * 3;
}

/*
 * Converts len bytes of Windows-874 to UTF-8, appending to out. Windows-874
 * rather than TIS-620 because it is the superset Word writes: it adds the
 * euro sign, curly quotes, dashes and a no-break space in 0x80-0xA0.
 * Returns 0, or -1 after adding an error. looks_like_thai has already
 * refused the bytes glibc leaves undefined, so an error here means an
 * iconv with a different CP874 table (another C library); it is still
 * reported at its position in the text converted so far.
 */
static int convert_cp874(const char *path, const char *bytes, size_t len, struct buf *out,
			 struct diag_list *diags)
{
	char why[ERRNO_TEXT_MAX];
	iconv_t cd = iconv_open("UTF-8", "CP874");
	if (cd == (iconv_t)-1) {
		diag_error(diags, path, 0, 0, "cannot convert from Windows-874: %s",
			   errno_text(errno, why));
		return -1;
	}
	char *in = (char *)bytes; /* iconv's prototype lacks const; it only reads */
	size_t in_left = len;
	int rc = 0;
	while (in_left > 0) {
		char chunk[4096];
		char *o = chunk;
		size_t o_left = sizeof chunk;
		size_t r = iconv(cd, &in, &in_left, &o, &o_left);
		int err = errno;
		buf_put(out, chunk, (size_t)(o - chunk));
		if (r == (size_t)-1 && err != E2BIG) {
			unsigned line, col;
			position(out->ptr, out->len, &line, &col);
			diag_error(diags, path, line, col,
				   "byte 0x%02X is not a character in Windows-874 (Thai), the "
				   "encoding this file seems to be in; save the file as UTF-8",
				   (unsigned)(unsigned char)*in);
			rc = -1;
			break;
		}
	}
	iconv_close(cd);
	return rc;
}

/* Turns CRLF and lone CR in the len bytes at s into LF, in place (the
 * text only shrinks); returns the new length. */
static size_t lf_only(char *s, size_t len)
{
	char *cr = memchr(s, '\r', len);
	if (!cr)
		return len;
	size_t n = (size_t)(cr - s);
	for (size_t i = n; i < len; i++) {
		if (s[i] == '\r') {
			s[n++] = '\n';
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
		} else {
			s[n++] = s[i];
		}
	}
	return n;
}

/*
 * Decodes the len bytes of the heap block bytes (with room for one more
 * byte), which it takes over: valid UTF-8 keeps its block, so a page is
 * not copied once more on its way in.
 */
static int decode_owned(const char *path, char *bytes, size_t len, struct source *out,
			struct diag_list *diags)
{
	memset(out, 0, sizeof *out);
	size_t skip = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	const unsigned char *raw = (const unsigned char *)bytes + skip;
	char *text = bytes + skip;
	size_t text_len = len - skip;
	struct buf converted = BUF_INIT;
	unsigned line, col;

	size_t bad = first_problem(raw, text_len);
	if (bad < text_len && raw[bad] != 0) {
		if (!looks_like_thai(raw, text_len)) {
			position(text, bad, &line, &col);
			diag_error(diags, path, line, col,
				   "invalid UTF-8 byte 0x%02X; save the file as UTF-8",
				   (unsigned)raw[bad]);
			free(bytes);
			return -1;
		}
		if (convert_cp874(path, text, text_len, &converted, diags)) {
			buf_free(&converted);
			free(bytes);
			return -1;
		}
		diag_warning(diags, path, 0, 0,
			     "file is in the legacy Thai encoding Windows-874 (TIS-620); "
			     "converted to UTF-8, please save it as UTF-8");
		free(bytes);
		text_len = converted.len;
		text = buf_detach(&converted);
		bytes = text;
		skip = 0;
		const char *nul = memchr(text, '\0', text_len);
		bad = nul ? (size_t)(nul - text) : text_len;
	}
	if (bad < text_len) {
		/* NUL is valid UTF-8, but it would cut every C string built
		 * from this text short. */
		position(text, bad, &line, &col);
		diag_error(diags, path, line, col, "NUL byte in text file");
		free(bytes);
		return -1;
	}
	if (skip)
		memmove(bytes, text, text_len);
	out->len = lf_only(bytes, text_len);
	bytes[out->len] = '\0';
	out->text = bytes;
	out->path = xstrdup(path);
	return 0;
}

int source_decode(const char *path, const char *bytes, size_t len, struct source *out,
		  struct diag_list *diags)
{
	char *copy = xmalloc(len + 1);
	memcpy(copy, bytes, len);
	return decode_owned(path, copy, len, out, diags);
}

/* What a file that is not a regular file is, for the message. */
static const char *kind_name(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a folder";
	if (S_ISFIFO(mode))
		return "a named pipe (FIFO)";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "not a regular file";
}

/* Reports a file larger than SOURCE_MAX_BYTES. */
static void too_big(const char *path, struct diag_list *diags)
{
	diag_error(diags, path, 0, 0,
		   "file is larger than %d MB, the most sapan reads from one text file; "
		   "split it into several files",
		   SOURCE_MAX_BYTES / (1024 * 1024));
}

/* Reads fd to its end into one heap block of the size fstat gave, with
 * room for a NUL, grown only if the file grew meanwhile (a one-byte read
 * tells). Returns 0, an errno value, or EFBIG past SOURCE_MAX_BYTES. */
static int read_whole(int fd, size_t size, char **out, size_t *out_len)
{
	size_t cap = size + 1, len = 0;
	char *p = xmalloc(cap);
	*out = p;
	for (;;) {
		char probe;
		bool full = len + 1 == cap;
		ssize_t n = full ? read(fd, &probe, 1) : read(fd, p + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			break;
		if (full) {
			cap = cap > SOURCE_MAX_BYTES / 2 ? SOURCE_MAX_BYTES + 2 : cap * 2;
			p = *out = xrealloc(p, cap);
			p[len] = probe;
		}
		len += (size_t)n;
		if (len > SOURCE_MAX_BYTES)
			return EFBIG;
	}
	*out_len = len;
	return 0;
}

int source_read(const char *path, struct source *out, struct diag_list *diags)
{
	char why[ERRNO_TEXT_MAX];
	memset(out, 0, sizeof *out);
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer forever. fstat on the open file, not stat before it, so the
	 * file checked is the file read. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		diag_error(diags, path, 0, 0, "cannot read: %s", errno_text(errno, why));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		diag_error(diags, path, 0, 0, "cannot read: %s", errno_text(errno, why));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(diags, path, 0, 0, "is %s, not a file; sapan reads only regular files",
			   kind_name(st.st_mode));
		close(fd);
		return -1;
	}
	if (st.st_size > SOURCE_MAX_BYTES) {
		too_big(path, diags);
		close(fd);
		return -1;
	}
	size_t len = 0;
	char *bytes = NULL;
	int err = read_whole(fd, (size_t)st.st_size, &bytes, &len);
	close(fd);
	if (err == EFBIG)
		too_big(path, diags);
	else if (err)
		diag_error(diags, path, 0, 0, "cannot read: %s", errno_text(err, why));
	if (err) {
		free(bytes);
		return -1;
	}
	return decode_owned(path, bytes, len, out, diags);
}

void source_free(struct source *src)
{
	free(src->path);
	free(src->text);
	src->path = NULL;
	src->text = NULL;
	src->len = 0;
}
