/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "identity.h"
#include "test.h"

/* Writes text to a temporary site.yaml, loads it, returns the diagnostics. */
static int load(const char *text, struct config *cfg, struct buf *msgs)
{
	char path[] = "/tmp/sapan-identity-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		return -2;
	close(fd);
	struct diag_list d;
	diag_list_init(&d);
	int rc = config_load(path, cfg, &d);
	for (size_t i = 0; i < d.len; i++)
		buf_printf(msgs, "%u:%u: %s\n", d.items[i].line, d.items[i].col, d.items[i].message);
	diag_list_free(&d);
	unlink(path);
	return rc;
}

#define LANGS "languages:\n  - {code: en, name: English}\n  - {code: th, name: ไทย}\ntitle: T\n"

static void full_identity(void)
{
	struct config cfg;
	struct buf m = BUF_INIT;
	CHECK_INT(load(LANGS "organisation:\n  en: Org\n  th: องค์กร\n"
			     "logo:\n  file: /media/a/../logo.SVG\n  alt: {en: L, th: ล}\n"
			     "contact:\n  address: |\n    1 Road\n    City\n"
			     "  email: mailto:a.b+c@example.org\n"
			     "  phone: {en: \"+66 (2) 123-4567\", th: \"tel:+66 2 765 4321\"}\n"
			     "footer: F\n"
			     "links:\n  - {title: {en: A, th: ก}, url: \"https://a.example/?x=1\"}\n",
		       &cfg, &m), 0);
	CHECK_STR(m.ptr, "");
	CHECK_STR(cfg.languages[0].organisation, "Org");
	CHECK_STR(cfg.languages[1].organisation, "องค์กร");
	CHECK_STR(cfg.logo, "media/logo.SVG");
	CHECK(cfg.logo_svg);
	CHECK_INT(cfg.logo_line, 9);
	CHECK_STR(cfg.languages[1].logo_alt, "ล");
	CHECK_STR(cfg.languages[1].address, "1 Road\nCity\n");
	CHECK_STR(cfg.languages[0].email, "a.b+c@example.org");
	CHECK_STR(cfg.languages[0].phone, "+66 (2) 123-4567");
	CHECK_STR(cfg.languages[0].phone_tel, "tel:+6621234567");
	CHECK_STR(cfg.languages[1].phone, "+66 2 765 4321");
	CHECK_STR(cfg.languages[1].phone_tel, "tel:+6627654321");
	CHECK_STR(cfg.languages[1].footer, "F");
	CHECK_INT(cfg.nlinks, 1);
	CHECK_STR(cfg.links[0].titles[1], "ก");
	CHECK_STR(cfg.links[0].url, "https://a.example/?x=1");
	config_free(&cfg);
	buf_free(&m);
	CHECK_INT(load(LANGS, &cfg, &m), 0);
	CHECK(cfg.logo == NULL && cfg.languages[0].organisation == NULL && cfg.nlinks == 0);
	config_free(&cfg);
	buf_free(&m);
}

static void identity_errors(void)
{
	struct config cfg;
	struct buf m = BUF_INIT;
	CHECK_INT(load(LANGS "organisation: \"  \"\n"
			     "logo: /media/logo.svg\n"
			     "contact:\n  email: [a]\n  phone: {en: \"+1 555 0100 12\", fr: x}\n"
			     "footer: {en: F}\n"
			     "links: {a: b}\n",
		       &cfg, &m), -1);
	CHECK_CONTAINS(m.ptr, "5:15: 'organisation' must not be empty");
	CHECK_CONTAINS(m.ptr, "6:7: 'logo' must be a mapping");
	CHECK_CONTAINS(m.ptr, "8:10: 'email' must be text, or a mapping");
	CHECK_CONTAINS(m.ptr, "9:33: 'phone' names language 'fr'");
	CHECK_CONTAINS(m.ptr, "9:10: 'phone' has no entry for language 'th'");
	CHECK_CONTAINS(m.ptr, "10:9: 'footer' has no entry for language 'th'");
	CHECK_CONTAINS(m.ptr, "11:8: 'links' must be a list");
	buf_free(&m);
	CHECK_INT(load(LANGS "logo: {file: \"https://x.example/l.svg\", alt: A}\n", &cfg, &m), -1);
	CHECK_CONTAINS(m.ptr, "must be a file inside the content folder");
	buf_free(&m);
	CHECK_INT(load(LANGS "logo: {file: ../l.png, alt: A}\n", &cfg, &m), -1);
	CHECK_CONTAINS(m.ptr, "must be a file inside the content folder");
	buf_free(&m);
	CHECK_INT(load(LANGS "logo: {file: l.png}\n", &cfg, &m), -1);
	CHECK_CONTAINS(m.ptr, "'logo' needs both");
	buf_free(&m);
	struct buf big = BUF_INIT;
	buf_puts(&big, LANGS "links:\n");
	for (int i = 0; i <= CONFIG_LINKS_MAX; i++)
		buf_printf(&big, "  - {title: T, url: \"https://e.example/%d\"}\n", i);
	CHECK_INT(load(big.ptr, &cfg, &m), -1);
	CHECK_CONTAINS(m.ptr, "more than 12: every page's footer shows them");
	buf_free(&m);
	buf_free(&big);
	big = (struct buf)BUF_INIT;
	buf_puts(&big, LANGS "footer: \"");
	for (int i = 0; i <= CONFIG_TEXT_MAX; i++)
		buf_putc(&big, 'x');
	buf_puts(&big, "\"\n");
	CHECK_INT(load(big.ptr, &cfg, &m), -1);
	CHECK_CONTAINS(m.ptr, "'footer' is longer than 1000 bytes");
	buf_free(&m);
	buf_free(&big);
}

static void email(void)
{
	static const char *const good[] = { "a@b.org", "mailto:info@example.org",
					    "o'neil&co+{x}@mail.example.co.th", "A.B@X-Y.ORG" };
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		const char *p = identity_email_problem(good[i]);
		if (p) {
			fprintf(stderr, "refused good e-mail '%s': %s\n", good[i], p);
			test_failures_++;
		}
	}
	static const struct {
		const char *s, *why;
	} bad[] = {
		{ "", "such as" },        { "info", "such as" },
		{ "@x.org", "such as" },  { "a b@x.org", "may hold only" },
		{ "a<b>@x.org", "may hold only" }, { ".a@x.org", "begin or end" },
		{ "a..b@x.org", "'..'" }, { "a@localhost", "domain name" },
		{ "a@x..org", "empty part" }, { "a@x.org.", "empty part" },
		{ "a@ตัวอย่าง.th", "xn--" }, { "a@x.org?subject=hi", "may hold only letters" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *p = identity_email_problem(bad[i].s);
		if (!p || !strstr(p, bad[i].why)) {
			fprintf(stderr, "e-mail '%s': got \"%s\", want \"...%s...\"\n", bad[i].s,
				p ? p : "(accepted)", bad[i].why);
			test_failures_++;
		}
	}
}

static void phone(void)
{
	char *tel = NULL;
	CHECK(identity_phone_problem("+66 2 123 4567", &tel) == NULL);
	CHECK_STR(tel, "tel:+6621234567");
	free(tel);
	tel = NULL;
	CHECK(identity_phone_problem("tel:+1-555-010.0123", &tel) == NULL);
	CHECK_STR(tel, "tel:+15550100123");
	free(tel);
	CHECK_CONTAINS(identity_phone_problem("02 123 4567", NULL), "international form");
	CHECK_CONTAINS(identity_phone_problem("+0 123 4567", NULL), "international form");
	CHECK_CONTAINS(identity_phone_problem("+66 2 123 4567 ext 5", NULL), "may hold only");
	CHECK_CONTAINS(identity_phone_problem("+66 12", NULL), "7 to 15 digits");
	CHECK_CONTAINS(identity_phone_problem("+1234567890123456", NULL), "7 to 15 digits");
}

TEST_LIST(T(full_identity), T(identity_errors), T(email), T(phone));
TEST_MAIN()
