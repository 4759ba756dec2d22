/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "test.h"

/* Writes text to a temporary site.yaml, loads it, returns the diagnostics. */
static int load(const char *text, struct config *cfg, struct buf *msgs)
{
	char path[] = "/tmp/sapan-config-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		return -2;
	close(fd);
	struct diag_list d;
	diag_list_init(&d);
	int rc = config_load(path, cfg, &d);
	for (size_t i = 0; i < d.len; i++) {
		/* Positions only: the temporary name changes every run. */
		buf_printf(msgs, "%u:%u: %s\n", d.items[i].line, d.items[i].col, d.items[i].message);
	}
	diag_list_free(&d);
	unlink(path);
	return rc;
}

static void good_config(void)
{
	struct config cfg;
	struct buf m = BUF_INIT;
	CHECK_INT(load("base_url: https://example.org/x\n"
		       "default_language: th\n"
		       "languages:\n  - code: en\n    name: English\n  - code: th\n    name: ไทย\n"
		       "title:\n  en: Site\n  th: เว็บไซต์\n"
		       "markdown:\n  unsafe_html: true\n", &cfg, &m), 0);
	CHECK_STR(m.ptr, "");
	CHECK_STR(cfg.base_url, "https://example.org/x/");
	CHECK_STR(cfg.default_language, "th");
	CHECK_INT(cfg.nlanguages, 2);
	CHECK_STR(cfg.languages[1].name, "ไทย");
	CHECK_STR(cfg.languages[1].title, "เว็บไซต์");
	CHECK(cfg.unsafe_html);
	CHECK_INT(config_language_index(&cfg, "th"), 1);
	CHECK_INT(config_language_index(&cfg, "fr"), -1);
	config_free(&cfg);
	buf_free(&m);
}

static void defaults(void)
{
	struct config cfg;
	struct buf m = BUF_INIT;
	CHECK_INT(load("languages:\n  - {code: en, name: English}\ntitle: One title\n", &cfg, &m), 0);
	CHECK(cfg.base_url == NULL);
	CHECK_STR(cfg.default_language, "en");
	CHECK_STR(cfg.languages[0].title, "One title");
	CHECK(!cfg.unsafe_html);
	config_free(&cfg);
	buf_free(&m);
}

static void errors(void)
{
	struct config cfg;
	struct buf m = BUF_INIT;
	CHECK_INT(load("base_url: example.org\n"
		       "languages:\n  - code: EN\n    name: English\n  - code: th\n    name: ไทย\n"
		       "title:\n  th: x\n  fr: y\n"
		       "colour: red\n", &cfg, &m), -1);
	CHECK_CONTAINS(m.ptr, "1:11: base_url 'example.org' is not a usable address: it must "
			      "begin with http:// or https://\n");
	CHECK_CONTAINS(m.ptr, "3:11: language code 'EN' must be lower-case");
	CHECK_CONTAINS(m.ptr, "9:3: 'title' names language 'fr', which is not in 'languages'\n");
	CHECK_CONTAINS(m.ptr, "10:1: unknown key 'colour' in site.yaml\n");
	buf_free(&m);
	CHECK_INT(load("languages: en\n", &cfg, &m), -1);
	CHECK_CONTAINS(m.ptr, "1:12: 'languages' must be a list of {code, name}");
	buf_free(&m);
}

static void base_url_override(void)
{
	struct config cfg = { 0 };
	CHECK(config_set_base_url(&cfg, "https://a.example") == NULL);
	CHECK_STR(cfg.base_url, "https://a.example/");
	CHECK_STR(config_set_base_url(&cfg, "ftp://a"), "it must begin with http:// or https://");
	CHECK_STR(cfg.base_url, "https://a.example/"); /* left as it was */
	config_free(&cfg);
}

/* What base_url accepts, and what it says about what it refuses. */
static void base_url_validation(void)
{
	static const char *const good[] = {
		"http://example.org", "https://example.org/", "https://www.example.org/aup/",
		"https://example.org:8443/a/b/", "http://localhost:8000", "http://127.0.0.1/",
		"https://[2001:db8::1]:443/x/", "https://example.org/%E0%B8%81/", "https://a-b.example.",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		struct config cfg = { 0 };
		const char *problem = config_set_base_url(&cfg, good[i]);
		if (problem) {
			fprintf(stderr, "refused good base_url '%s': %s\n", good[i], problem);
			test_failures_++;
		}
		config_free(&cfg);
	}
	static const struct {
		const char *url, *why;
	} bad[] = {
		{ "example.org", "begin with http://" },
		{ "HTTPS://example.org/", "begin with http://" },
		{ "https://", "no host name" },
		{ "https:///path/", "no host name" },
		{ "http://:80/", "no host name" },
		{ "https://#x", "fragment" },
		{ "https://example.org/#top", "fragment" },
		{ "https://example.org/?a=1", "query" },
		{ "https://exa mple.org/", "space" },
		{ "https://example.org/a b/", "space" },
		{ "https://example.org/\t", "control character" },
		{ "https://example.org/\x7f", "control character" },
		{ "https://ตัวอย่าง.th/", "not ASCII" },
		{ "https://user:pw@example.org/", "user name" },
		{ "https://exa_mple.org/", "only letters, digits" },
		{ "https://a..b/", "empty part" },
		{ "https://.a/", "empty part" },
		{ "https://example.org:http/", "port" },
		{ "https://example.org:/", "port" },
		{ "https://example.org:123456/", "port" },
		{ "https://[::1/", "no closing ']'" },
		{ "https://[zz]/", "hexadecimal" },
		{ "https://[::1]x/", "other than a port" },
		{ "https://example.org/<b>", "not allowed in a URL" },
		{ "https://example.org\\x", "not allowed in a URL" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct config cfg = { 0 };
		const char *problem = config_set_base_url(&cfg, bad[i].url);
		if (!problem || !strstr(problem, bad[i].why)) {
			fprintf(stderr, "base_url '%s': got \"%s\", want \"...%s...\"\n", bad[i].url,
				problem ? problem : "(accepted)", bad[i].why);
			test_failures_++;
		}
		CHECK(cfg.base_url == NULL);
		config_free(&cfg);
	}
}

TEST_LIST(T(good_config), T(defaults), T(errors), T(base_url_override),
	  T(base_url_validation));
TEST_MAIN()
