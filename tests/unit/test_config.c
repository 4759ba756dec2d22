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
	CHECK_CONTAINS(m.ptr, "1:11: base_url must be an absolute http:// or https:// URL\n");
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
	CHECK_INT(config_set_base_url(&cfg, "https://a.example"), 0);
	CHECK_STR(cfg.base_url, "https://a.example/");
	CHECK_INT(config_set_base_url(&cfg, "ftp://a"), -1);
	config_free(&cfg);
}

TEST_LIST(T(good_config), T(defaults), T(errors), T(base_url_override));
TEST_MAIN()
