/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "source.h"
#include "test.h"
#include "util.h"

/* Decodes a byte string (length given, so NULs may be in it); returns the
 * result code and leaves the first diagnostic formatted in *first. */
static int decode(const char *bytes, size_t len, struct source *src, struct diag_list *diags,
		  struct buf *first)
{
	diag_list_init(diags);
	int rc = source_decode("in.md", bytes, len, src, diags);
	if (diags->len)
		diag_format(&diags->items[0], first);
	return rc;
}

#define DECODE_LIT(lit, src, diags, first) decode((lit), sizeof(lit) - 1, (src), (diags), (first))

static void test_plain_ascii(void)
{
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	CHECK_INT(DECODE_LIT("hello\nworld\n", &src, &d, &msg), 0);
	CHECK_STR(src.text, "hello\nworld\n");
	CHECK_INT(src.len, 12);
	CHECK_STR(src.path, "in.md");
	CHECK_INT(d.len, 0);
	source_free(&src);
	diag_list_free(&d);
	buf_free(&msg);
}

static void test_bom_dropped(void)
{
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	CHECK_INT(DECODE_LIT("\xEF\xBB\xBFtitle: x\n", &src, &d, &msg), 0);
	CHECK_STR(src.text, "title: x\n");
	CHECK_INT(src.len, 9);
	CHECK_INT(d.len, 0);
	source_free(&src);
	diag_list_free(&d);

	/* A BOM alone is an empty file; one that is not at the start stays. */
	CHECK_INT(DECODE_LIT("\xEF\xBB\xBF", &src, &d, &msg), 0);
	CHECK_STR(src.text, "");
	CHECK_INT(src.len, 0);
	source_free(&src);
	diag_list_free(&d);
	CHECK_INT(DECODE_LIT("a\xEF\xBB\xBF", &src, &d, &msg), 0);
	CHECK_STR(src.text, "a\xEF\xBB\xBF");
	source_free(&src);
	diag_list_free(&d);
	buf_free(&msg);
}

static void test_line_ends(void)
{
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	CHECK_INT(DECODE_LIT("a\r\nb\rc\n\r\nd\r", &src, &d, &msg), 0);
	CHECK_STR(src.text, "a\nb\nc\n\nd\n");
	CHECK_INT(src.len, 9);
	source_free(&src);
	diag_list_free(&d);

	/* CR CR LF is a lone CR then a CRLF: two line ends. */
	CHECK_INT(DECODE_LIT("x\r\r\ny\r\n", &src, &d, &msg), 0);
	CHECK_STR(src.text, "x\n\ny\n");
	source_free(&src);
	diag_list_free(&d);
	buf_free(&msg);
}

static void test_thai_utf8_kept(void)
{
	static const char thai[] = "ภาษาไทย ที่นี่ “คำ” €\nบรรทัดสอง\n";
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	CHECK_INT(DECODE_LIT(thai, &src, &d, &msg), 0);
	CHECK_STR(src.text, thai);
	CHECK_INT(src.len, sizeof thai - 1);
	CHECK_INT(d.len, 0);
	source_free(&src);
	diag_list_free(&d);
	buf_free(&msg);
}

static void test_tis620_converted(void)
{
	/* "ภาษาไทย" in TIS-620, as `iconv -t TIS-620` writes it. */
	static const char word[] = "\xC0\xD2\xC9\xD2\xE4\xB7\xC2";
	/* A paragraph with CRLF line ends: "ภาษาไทย ที่นี่\r\nสวัสดีครับ 2556\r\n".
	 * ที่ and นี่ stack a vowel and a tone mark on one consonant. */
	static const char para[] = "\xC0\xD2\xC9\xD2\xE4\xB7\xC2 \xB7\xD5\xE8\xB9\xD5\xE8\r\n"
				   "\xCA\xC7\xD1\xCA\xB4\xD5\xA4\xC3\xD1\xBA 2556\r\n";
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;

	CHECK_INT(DECODE_LIT(word, &src, &d, &msg), 0);
	CHECK_STR(src.text, "ภาษาไทย");
	CHECK_INT(d.len, 1);
	CHECK_INT(d.warnings, 1);
	CHECK_INT(d.errors, 0);
	CHECK_STR(msg.ptr, "in.md: warning: file is in the legacy Thai encoding Windows-874 "
			   "(TIS-620); converted to UTF-8, please save it as UTF-8");
	source_free(&src);
	diag_list_free(&d);
	buf_truncate(&msg, 0);

	CHECK_INT(DECODE_LIT(para, &src, &d, &msg), 0);
	CHECK_STR(src.text, "ภาษาไทย ที่นี่\nสวัสดีครับ 2556\n");
	CHECK(utf8_valid(src.text, src.len));
	CHECK_INT(d.warnings, 1);
	CHECK_INT(d.errors, 0);
	source_free(&src);
	diag_list_free(&d);
	buf_free(&msg);
}

static void test_cp874_quotes(void)
{
	/* Word writes curly quotes and an ellipsis as CP874 0x93, 0x94 and
	 * 0x85, which TIS-620 lacks: "“ภาษาไทย” ที่นี่…" */
	static const char bytes[] = "\x93\xC0\xD2\xC9\xD2\xE4\xB7\xC2\x94 "
				    "\xB7\xD5\xE8\xB9\xD5\xE8\x85";
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	CHECK_INT(DECODE_LIT(bytes, &src, &d, &msg), 0);
	CHECK_STR(src.text, "“ภาษาไทย” ที่นี่…");
	CHECK_INT(d.warnings, 1);
	source_free(&src);
	diag_list_free(&d);
	buf_free(&msg);
}

static void test_cp874_undefined_byte(void)
{
	/* Thai, then 0xFC, which Windows-874 leaves undefined: not Thai after
	 * all, so the error is at the first byte that is not UTF-8. */
	static const char bytes[] = "ok\n\xC0\xD2\xC9\xD2\xE4\xB7\xC2\n\xB7\xD5\xE8\xFC";
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	CHECK_INT(DECODE_LIT(bytes, &src, &d, &msg), -1);
	CHECK_INT(d.errors, 1);
	CHECK_INT(d.warnings, 0);
	CHECK_STR(msg.ptr, "in.md:2:1: error: invalid UTF-8 byte 0xC0; save the file as UTF-8");
	CHECK(src.text == NULL);
	source_free(&src);
	diag_list_free(&d);
	buf_free(&msg);
}

static void test_damaged_utf8_thai(void)
{
	/* UTF-8 "ภาษา" with the first two bytes of the last า lost: every byte
	 * is defined in Windows-874 and the runs look Thai, but nearly all of
	 * them pair up as UTF-8. */
	static const char bytes[] = "ภาษา\nภาษ\xB2\n";
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	CHECK_INT(DECODE_LIT(bytes, &src, &d, &msg), -1);
	CHECK_STR(msg.ptr, "in.md:2:4: error: invalid UTF-8 byte 0xB2; save the file as UTF-8");
	source_free(&src);
	diag_list_free(&d);
	buf_free(&msg);
}

static void test_latin1_rejected(void)
{
	static const char latin1[] = "hello\nworld\nle caf\xE9 r\xE9sum\xE9\n";
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	CHECK_INT(DECODE_LIT(latin1, &src, &d, &msg), -1);
	CHECK_INT(d.len, 1);
	CHECK_STR(msg.ptr, "in.md:3:7: error: invalid UTF-8 byte 0xE9; save the file as UTF-8");
	CHECK(src.text == NULL && src.path == NULL);
	source_free(&src);
	diag_list_free(&d);
	buf_free(&msg);
}

static void test_column_counts_characters(void)
{
	/* "ไทย é" in UTF-8 is 11 bytes before the bad byte but 5 characters,
	 * and a CRLF and a lone CR before it each end one line. */
	static const char bytes[] = "a\r\nb\rไทย é\xFF";
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	CHECK_INT(DECODE_LIT(bytes, &src, &d, &msg), -1);
	CHECK_STR(msg.ptr, "in.md:3:6: error: invalid UTF-8 byte 0xFF; save the file as UTF-8");
	source_free(&src);
	diag_list_free(&d);
	buf_free(&msg);
}

static void test_overlong_and_friends(void)
{
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	/* The overlong NUL that Java's "modified UTF-8" writes. */
	CHECK_INT(DECODE_LIT("ab\xC0\x80\n", &src, &d, &msg), -1);
	CHECK_STR(msg.ptr, "in.md:1:3: error: invalid UTF-8 byte 0xC0; save the file as UTF-8");
	source_free(&src);
	diag_list_free(&d);
	buf_truncate(&msg, 0);

	/* An overlong euro sign after a valid one. */
	CHECK_INT(DECODE_LIT("\xE2\x82\xAC 5\n\xF0\x82\x82\xAC 5\n", &src, &d, &msg), -1);
	CHECK_STR(msg.ptr, "in.md:2:1: error: invalid UTF-8 byte 0xF0; save the file as UTF-8");
	source_free(&src);
	diag_list_free(&d);
	buf_truncate(&msg, 0);

	/* A surrogate written as UTF-8 (CESU-8), in otherwise ASCII text. */
	CHECK_INT(DECODE_LIT("say \xED\xA0\xBD\xED\xB8\x80\n", &src, &d, &msg), -1);
	CHECK_STR(msg.ptr, "in.md:1:5: error: invalid UTF-8 byte 0xED; save the file as UTF-8");
	source_free(&src);
	diag_list_free(&d);
	buf_free(&msg);

	CHECK(utf8_valid("", 0));
	CHECK(utf8_valid("\xC2\x80\xDF\xBF", 4));
	CHECK(utf8_valid("\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF", 11));
	CHECK(!utf8_valid("\xC0\xAF", 2));             /* overlong "/" */
	CHECK(!utf8_valid("\xC1\xBF", 2));             /* overlong */
	CHECK(!utf8_valid("\xE0\x9F\xBF", 3));         /* overlong 3-byte */
	CHECK(!utf8_valid("\xF0\x8F\xBF\xBF", 4));     /* overlong 4-byte */
	CHECK(!utf8_valid("\xED\xA0\x80", 3));         /* surrogate U+D800 */
	CHECK(!utf8_valid("\xED\xBF\xBF", 3));         /* surrogate U+DFFF */
	CHECK(utf8_valid("\xED\x9F\xBF", 3));          /* U+D7FF */
	CHECK(!utf8_valid("\xF4\x90\x80\x80", 4));     /* U+110000 */
	CHECK(!utf8_valid("\xF5\x80\x80\x80", 4));
	CHECK(!utf8_valid("\xE0\xB8", 2));             /* truncated */
	CHECK(!utf8_valid("\x80", 1));                 /* lone continuation */
	CHECK(!utf8_valid("\xC2\x41", 2));
	CHECK(utf8_valid("a\0b", 3));
}

/* Two bytes cannot tell TIS-620 from a broken UTF-8 sequence: C0 AF is an
 * overlong "/" and also the Thai letters "ภฏ". Pin down that such short
 * runs decode as Thai (with the warning), as THAI.md leads us to expect. */
static void test_short_ambiguous_is_thai(void)
{
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	CHECK_INT(DECODE_LIT("ab\xC0\xAF", &src, &d, &msg), 0);
	CHECK_STR(src.text, "abภฏ");
	CHECK_INT(d.warnings, 1);
	source_free(&src);
	diag_list_free(&d);
	buf_free(&msg);
}

/* Validation takes ASCII eight bytes at a time and Thai three: a fault at
 * any offset in such runs is still found, at its own column. */
static void test_fault_at_every_offset(void)
{
	for (size_t k = 0; k < 40; k++) {
		char ascii[41];
		memset(ascii, 'a', sizeof ascii);
		ascii[k] = '\0';
		struct source src;
		struct diag_list d;
		struct buf msg = BUF_INIT;
		CHECK_INT(decode(ascii, sizeof ascii, &src, &d, &msg), -1);
		char *want = xasprintf("in.md:1:%zu: error: NUL byte in text file", k + 1);
		CHECK_STR(msg.ptr, want);
		free(want);
		diag_list_free(&d);
		buf_free(&msg);
	}
	for (size_t k = 0; k < 14; k++) {
		char thai[14 * 3 + 1];
		for (size_t i = 0; i < 14; i++)
			memcpy(thai + 3 * i, "\xE0\xB8\x81", 3); /* ก */
		thai[3 * k + 2] = 'x';
		thai[42] = '\n';
		struct source src;
		struct diag_list d;
		struct buf msg = BUF_INIT;
		CHECK_INT(decode(thai, sizeof thai, &src, &d, &msg), -1);
		char *want = xasprintf("in.md:1:%zu: error: invalid UTF-8 byte 0xE0; save the file as UTF-8",
				       k + 1);
		CHECK_STR(msg.ptr, want);
		free(want);
		diag_list_free(&d);
		buf_free(&msg);
	}
}

static void test_nul_byte(void)
{
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	CHECK_INT(DECODE_LIT("one\ntwo\0three", &src, &d, &msg), -1);
	CHECK_STR(msg.ptr, "in.md:2:4: error: NUL byte in text file");
	CHECK(src.text == NULL);
	diag_list_free(&d);
	buf_truncate(&msg, 0);

	/* In a converted Thai file the position is in the converted text. */
	CHECK_INT(DECODE_LIT("\xC0\xD2\xC9\xD2\xE4\xB7\xC2\0", &src, &d, &msg), -1);
	CHECK_INT(d.errors, 1);
	CHECK_STR(d.items[d.len - 1].message, "NUL byte in text file");
	CHECK_INT(d.items[d.len - 1].line, 1);
	CHECK_INT(d.items[d.len - 1].col, 8);
	diag_list_free(&d);
	buf_free(&msg);
}

static void test_empty(void)
{
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	CHECK_INT(decode("", 0, &src, &d, &msg), 0);
	CHECK_STR(src.text, "");
	CHECK_INT(src.len, 0);
	CHECK_INT(d.len, 0);
	source_free(&src);
	diag_list_free(&d);
	buf_free(&msg);
}

static void test_read_file(void)
{
	char path[] = "/tmp/sapan-test-source-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	static const char bytes[] = "\xEF\xBB\xBFtitle: ไทย\r\n";
	CHECK(write(fd, bytes, sizeof bytes - 1) == (ssize_t)(sizeof bytes - 1));
	close(fd);

	struct source src;
	struct diag_list d;
	diag_list_init(&d);
	CHECK_INT(source_read(path, &src, &d), 0);
	CHECK_STR(src.text, "title: ไทย\n");
	CHECK_STR(src.path, path);
	CHECK_INT(d.len, 0);
	source_free(&src);

	/* An empty file. */
	CHECK(truncate(path, 0) == 0);
	CHECK_INT(source_read(path, &src, &d), 0);
	CHECK_STR(src.text, "");
	CHECK_INT(src.len, 0);
	source_free(&src);
	unlink(path);
	diag_list_free(&d);
}

static void test_read_missing(void)
{
	struct source src;
	struct diag_list d;
	struct buf msg = BUF_INIT;
	diag_list_init(&d);
	CHECK_INT(source_read("/nonexistent/sapan/in.md", &src, &d), -1);
	CHECK_INT(d.errors, 1);
	if (d.len)
		diag_format(&d.items[0], &msg);
	CHECK_STR(msg.ptr,
		  "/nonexistent/sapan/in.md: error: cannot read: No such file or directory");
	CHECK(src.text == NULL && src.path == NULL);
	source_free(&src);
	diag_list_free(&d);
	buf_truncate(&msg, 0);

	/* A folder is refused before it is read. */
	diag_list_init(&d);
	CHECK_INT(source_read("/tmp", &src, &d), -1);
	if (d.len)
		diag_format(&d.items[0], &msg);
	CHECK_STR(msg.ptr, "/tmp: error: is a folder, not a file; sapan reads only regular files");
	diag_list_free(&d);
	buf_truncate(&msg, 0);

	/* A device too; reading /dev/zero would never end. */
	diag_list_init(&d);
	CHECK_INT(source_read("/dev/zero", &src, &d), -1);
	if (d.len)
		diag_format(&d.items[0], &msg);
	CHECK_STR(msg.ptr,
		  "/dev/zero: error: is a device, not a file; sapan reads only regular files");
	diag_list_free(&d);
	buf_free(&msg);
}

/* A FIFO is refused at once instead of waiting for a writer forever, and a
 * file over the size limit is refused with the limit named. */
static void test_read_fifo_and_big(void)
{
	char dir[] = "/tmp/sapan-test-source-XXXXXX";
	REQUIRE(mkdtemp(dir) != NULL);
	char *fifo = xasprintf("%s/site.yaml", dir);
	char *big = xasprintf("%s/big.md", dir);
	struct diag_list d;
	struct source src;
	struct buf msg = BUF_INIT;
	CHECK_INT(mkfifo(fifo, 0600), 0);
	diag_list_init(&d);
	CHECK_INT(source_read(fifo, &src, &d), -1);
	if (d.len)
		diag_format(&d.items[0], &msg);
	CHECK_CONTAINS(msg.ptr, "site.yaml: error: is a named pipe (FIFO), not a file;");
	diag_list_free(&d);
	buf_truncate(&msg, 0);

	FILE *f = fopen(big, "wb");
	REQUIRE(f != NULL);
	/* A sparse file: its size is what counts, and it costs no disk. */
	CHECK_INT(fseek(f, SOURCE_MAX_BYTES, SEEK_SET), 0);
	CHECK_INT(fputc('x', f), 'x');
	fclose(f);
	diag_list_init(&d);
	CHECK_INT(source_read(big, &src, &d), -1);
	if (d.len)
		diag_format(&d.items[0], &msg);
	CHECK_CONTAINS(msg.ptr, "big.md: error: file is larger than 32 MB, the most sapan reads");
	diag_list_free(&d);
	buf_truncate(&msg, 0);

	/* A file of exactly the limit is read (its NULs are the error). */
	CHECK_INT(truncate(big, SOURCE_MAX_BYTES), 0);
	diag_list_init(&d);
	CHECK_INT(source_read(big, &src, &d), -1);
	if (d.len)
		diag_format(&d.items[0], &msg);
	CHECK_CONTAINS(msg.ptr, "big.md:1:1: error: NUL byte in text file");
	diag_list_free(&d);
	buf_free(&msg);
	unlink(fifo);
	unlink(big);
	rmdir(dir);
	free(fifo);
	free(big);
}

TEST_LIST(T(test_plain_ascii), T(test_bom_dropped), T(test_line_ends), T(test_thai_utf8_kept),
	  T(test_tis620_converted), T(test_cp874_quotes), T(test_cp874_undefined_byte),
	  T(test_damaged_utf8_thai), T(test_latin1_rejected), T(test_column_counts_characters),
	  T(test_overlong_and_friends), T(test_short_ambiguous_is_thai), T(test_fault_at_every_offset),
	  T(test_nul_byte),
	  T(test_empty), T(test_read_file), T(test_read_missing), T(test_read_fifo_and_big));
TEST_MAIN()
