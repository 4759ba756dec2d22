/* SPDX-License-Identifier: MIT */
/*
 * i18n: the words of the user interface in each language of the site
 * (templates/i18n/<code>.yaml: nav_home, resources, ...), and the one list
 * of the strings every language must have. Dates are in date.h.
 *
 * A struct i18n owns every table and string it holds; pointers returned by
 * i18n_get and i18n_table stay valid until i18n_free.
 */
#ifndef SAPAN_I18N_H
#define SAPAN_I18N_H

#include <stddef.h>

#include "diag.h"
#include "util.h"
#include "value.h"

struct i18n;

/*
 * The UI strings that every language file must have: the ones sapan's own
 * code reads and the ones the default templates use as {{t.key}}. This is
 * the one list of them (defined in i18n.c).
 */
extern const char *const i18n_required_keys[];
extern const size_t i18n_nrequired;

/*
 * Loads dir/<code>.yaml for each of the n language codes. Each file is a
 * flat YAML mapping of key: text. Every language must have the same keys,
 * and every key of the fixed list of UI strings that sapan and the default
 * templates use (i18n_required_keys), so that no page silently shows
 * a blank where a word belongs.
 * Returns the tables (freed with i18n_free), or NULL after adding every
 * error found to diags: a file that cannot be read or parsed, a file that
 * is not a mapping, a value that is not text, a key missing in one language
 * but present in another, a required key missing.
 */
struct i18n *i18n_load(const char *dir, const char *const *codes, size_t n,
		       struct diag_list *diags);

void i18n_free(struct i18n *t);

/* The key of language code's name, "language_th": every language file
 * names every language of the site in its own words (ภาษาอังกฤษ, English),
 * for labels of links and files in another language. Caller frees. */
char *i18n_language_key(const char *code);

/* Returns the string for key in language code, or NULL if either is
 * unknown. */
const char *i18n_get(const struct i18n *t, const char *code, const char *key);

/* Returns the whole table of language code as a VALUE_MAP of strings, for
 * templates ({{t.resources}}), or NULL for an unknown code. */
const struct value *i18n_table(const struct i18n *t, const char *code);

#endif
