/* SPDX-License-Identifier: MIT */
/*
 * identity: the organisation's identity in site.yaml: its name, logo,
 * contact details, footer text and links to its other sites, each given
 * once for every language or per language. Reads them into struct config
 * (config.h), which owns every string; checks each value at its
 * line:col. Pure functions of their arguments: no state.
 */
#ifndef SAPAN_IDENTITY_H
#define SAPAN_IDENTITY_H

#include <stdbool.h>

#include "config.h"
#include "diag.h"
#include "hmap.h"
#include "ynode.h"

/* The site.yaml keys this module reads. */
extern const char *const identity_keys[];
extern const size_t identity_nkeys;

/*
 * Reads the identity keys of site.yaml's root mapping into cfg, whose
 * languages are already read. Returns 0, or -1 after adding an error for
 * every problem to diags (what was read stays in cfg, for config_free).
 */
int identity_read(const struct ynode *root, const char *file, struct config *cfg,
		  struct diag_list *diags);
/*
 * Checks that the logo is one of the files the site publishes (files, the
 * site's files_by_rel: content-relative path -> struct static_file);
 * reports at site.yaml (config_path) otherwise. Returns 0 or -1.
 */
int identity_check_logo(const struct config *cfg, const struct hmap *files,
			const char *content_dir, const char *config_path,
			struct diag_list *diags);
/* Frees what identity_read put into cfg. */
void identity_free(struct config *cfg);

/*
 * What is wrong with s as an e-mail address (a static phrase), or NULL.
 * Exposed for the unit tests.
 */
const char *identity_email_problem(const char *s);
/*
 * What is wrong with s as a phone number in international form, or NULL;
 * when it is fine and tel is not NULL, *tel is the tel: URL ("tel:" '+'
 * and the digits; caller frees).
 */
const char *identity_phone_problem(const char *s, char **tel);

#endif
