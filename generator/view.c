/* SPDX-License-Identifier: MIT */
#include "view.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "paginate.h"
#include "publications.h"
#include "thai.h"
#include "url.h"
#include "util.h"

/* Where the page being rendered sits: its language, its output folder, and
 * the page itself (NULL for the archive and the publications page), and
 * which page of its list it is (paginate.h; 0 or 1: the first). */
struct place {
	size_t lang;
	const char *url;
	const struct page *page;
	size_t number;
	const char *list; /* without a page: VIEW_PUBLICATIONS, or NULL for the archive */
};

/* Every list the views show, made once for the whole site. */
struct view_lists {
	struct page ***sections; /* by page index: a section's entries, else NULL */
	size_t *nsections;
	struct page ***archives; /* by language: its archive's entries */
	size_t *narchives;
	/* By language: its publications page's documents. Every page of
	 * that list and every switcher that leads to one reads them, so a
	 * site of thousands of documents would otherwise collect them once
	 * per page of the list, a cost quadratic in their number. */
	struct publication **publications;
	size_t *npublications;
	struct cache_key publications_shown; /* put_publications_shown, once */
};

static const char *code_of(const struct view_env *env, size_t lang)
{
	return env->site->cfg->languages[lang].code;
}

static const char *t(const struct view_env *env, size_t lang, const char *key)
{
	return i18n_get(env->i18n, code_of(env, lang), key);
}

/* Sets key to text s written in language lang: Thai text gets the no-break
 * spaces of Thai typography (thai_typeset), as the Markdown body does. */
static void set_text(const struct view_env *env, struct value *m, const char *key,
		     size_t lang, const char *s)
{
	if (!s)
		return;
	if (strcmp(code_of(env, lang), "th") != 0) {
		value_set_str(m, key, s);
		return;
	}
	struct buf b = BUF_INIT;
	thai_typeset(s, strlen(s), &b);
	value_set(m, key, value_string_own(buf_detach(&b)));
}

/* Sets key to the encoded URL that leads from place to target. */
static void set_url(struct value *map, const char *key, const char *from, const char *target)
{
	char *rel = url_relative(from, target);
	value_set(map, key, value_string_own(url_encode_path(rel)));
	free(rel);
}

static char *absolute_url(const struct view_env *env, const char *url)
{
	char *enc = url_encode_path(url);
	char *abs = xasprintf("%s%s", env->site->cfg->base_url, enc);
	free(enc);
	return abs;
}

char *view_archive_url(const struct view_env *env, size_t lang)
{
	return xasprintf("%s/archive/", code_of(env, lang));
}

char *view_publications_url(const struct view_env *env, size_t lang)
{
	return xasprintf("%s/" VIEW_PUBLICATIONS "/", code_of(env, lang));
}

char *view_search_url(const struct view_env *env, size_t lang)
{
	return xasprintf("%s/" VIEW_SEARCH "/", code_of(env, lang));
}

/* The output folder of the list page pl is (the archive, the publications
 * page, the search page) in language lang. */
static char *list_url(const struct view_env *env, const struct place *pl, size_t lang)
{
	if (!pl->list)
		return view_archive_url(env, lang);
	return xasprintf("%s/%s/", code_of(env, lang), pl->list);
}

/* The version of the place in language lang, or where to go instead:
 * the nearest ancestor that has one, ending at that language's home. */
static const char *counterpart(const struct view_env *env, const struct place *pl, size_t lang,
			       bool *available, char **owned)
{
	*owned = NULL;
	*available = true;
	if (!pl->page) {
		char *first = list_url(env, pl, lang);
		*owned = first;
		if (pl->number <= 1)
			return first;
		/* The same page of that language's list, else its first. */
		size_t count = !pl->list ? view_archive_count(env, lang)
			       : strcmp(pl->list, VIEW_PUBLICATIONS) == 0
				       ? view_publications_count(env, lang)
				       : 1;
		if (pl->number <= count) {
			*owned = paginate_url(first, pl->number);
			free(first);
		} else {
			*available = false;
		}
		return *owned;
	}
	for (const struct page *p = pl->page; p; p = p->parent) {
		const struct page *tr = site_translation(p, lang);
		if (tr && p == pl->page && pl->number > 1) {
			/* The same page of that version's list, else its first. */
			if (pl->number > view_list_count(env, tr)) {
				*available = false;
				return tr->url;
			}
			*owned = paginate_url(tr->url, pl->number);
			return *owned;
		}
		if (tr)
			return tr->url;
		*available = false;
	}
	return env->site->homes[lang]->url;
}

static struct value *switcher(const struct view_env *env, const struct place *pl)
{
	const struct config *cfg = env->site->cfg;
	struct value *list = value_list();
	for (size_t l = 0; l < cfg->nlanguages; l++) {
		struct value *item = value_push(list, value_map());
		bool available;
		char *owned;
		const char *target = counterpart(env, pl, l, &available, &owned);
		value_set_str(item, "code", cfg->languages[l].code);
		value_set_str(item, "name", cfg->languages[l].name);
		set_url(item, "url", pl->url, target);
		value_set_bool(item, "current", l == pl->lang);
		value_set_bool(item, "available", available);
		value_set_str(item, "not_available_text", t(env, l, "not_available"));
		free(owned);
	}
	return list;
}

char *view_absolute_url(const struct view_env *env, const char *url)
{
	return absolute_url(env, url);
}

static struct view_alternate *alternates_at(const struct view_env *env,
					    const struct place *at, size_t *n);

struct view_alternate *view_alternates(const struct view_env *env, const struct page *page,
				       size_t lang, size_t *n)
{
	return view_alternates_at(env, page, lang, 1, n);
}

struct view_alternate *view_alternates_at(const struct view_env *env, const struct page *page,
					  size_t lang, size_t number, size_t *n)
{
	char *archive = page ? NULL : view_archive_url(env, lang);
	char *here = paginate_url(page ? page->url : archive, number);
	struct place pl = { lang, here, page, number, NULL };
	struct view_alternate *alts = alternates_at(env, &pl, n);
	free(here);
	free(archive);
	return alts;
}

struct view_alternate *view_list_alternates(const struct view_env *env, const struct page *page,
					    const char *list, size_t lang, size_t number, size_t *n)
{
	struct place pl = { lang, NULL, page, number, list };
	char *first = page ? NULL : list_url(env, &pl, lang);
	char *here = page ? NULL : paginate_url(first, number);
	pl.url = page ? page->url : here;
	struct view_alternate *alts = alternates_at(env, &pl, n);
	free(here);
	free(first);
	return alts;
}

static struct view_alternate *alternates_at(const struct view_env *env,
					    const struct place *at, size_t *n)
{
	const struct config *cfg = env->site->cfg;
	struct place pl = *at;
	struct view_alternate *alts = xcalloc(cfg->nlanguages + 1, sizeof *alts);
	*n = 0;
	char *x_default = NULL;
	for (size_t l = 0; l < cfg->nlanguages; l++) {
		bool available;
		char *owned;
		const char *url = counterpart(env, &pl, l, &available, &owned);
		if (available) {
			alts[*n].hreflang = cfg->languages[l].code;
			alts[(*n)++].href = absolute_url(env, url);
			if (strcmp(cfg->languages[l].code, cfg->default_language) == 0)
				x_default = alts[*n - 1].href;
		}
		free(owned);
	}
	alts[*n].hreflang = "x-default";
	alts[*n].href = x_default ? xstrdup(x_default) : absolute_url(env, pl.url);
	(*n)++;
	return alts;
}

void view_alternates_free(struct view_alternate *alts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(alts[i].href);
	free(alts);
}

static void set_alternates(const struct view_env *env, const struct place *pl, struct value *v)
{
	const struct config *cfg = env->site->cfg;
	struct value *og = value_set(v, "og_alternate_locales", value_list());
	for (size_t l = 0; l < cfg->nlanguages; l++) {
		bool available;
		char *owned;
		counterpart(env, pl, l, &available, &owned);
		if (available && l != pl->lang) {
			struct value *o = value_push(og, value_map());
			value_set_str(o, "locale", t(env, l, "og_locale"));
		}
		free(owned);
	}
	/* hreflang and canonical links must be absolute; an offline copy
	 * has no absolute link to the site's own pages. */
	if (!cfg->base_url || env->offline)
		return;
	struct value *list = value_set(v, "alternates", value_list());
	size_t n;
	struct view_alternate *alts = alternates_at(env, pl, &n);
	for (size_t i = 0; i < n; i++) {
		struct value *a = value_push(list, value_map());
		value_set_str(a, "hreflang", alts[i].hreflang);
		value_set_str(a, "href", alts[i].href);
	}
	view_alternates_free(alts, n);
	value_set(v, "canonical", value_string_own(absolute_url(env, pl->url)));
}

static bool in_menu(const struct site *site, const struct page *p)
{
	if (p->fm.has_menu)
		return p->fm.menu;
	return p->is_section && p->parent && p->parent == site->homes[p->lang];
}

int view_menus_select(struct view_env *env, struct diag_list *diags)
{
	const struct site *site = env->site;
	size_t nl = site->cfg->nlanguages;
	struct view_menu *menus = xcalloc(nl, sizeof *menus);
	size_t *caps = xcalloc(nl, sizeof *caps);
	/* A page that exists only in another language is in this language's
	 * menu too (marked as that language), so every page stays reachable;
	 * the first version found, in language order, stands for the others. */
	for (size_t l = 0; l < nl; l++) {
		for (size_t i = 0; i < site->npages; i++) {
			struct page *p = site->pages[i];
			if (!in_menu(site, p) || (p->lang != l && site_translation(p, l)))
				continue;
			bool first = true;
			for (size_t o = 0; o < p->lang && first && p->lang != l; o++)
				first = o == l || !site_translation(p, o);
			if (!first)
				continue;
			struct view_menu *m = &menus[l];
			m->items = xgrow(m->items, &caps[l], m->len + 1, sizeof *m->items);
			m->items[m->len++] = p;
		}
	}
	free(caps);
	env->menus = menus;
	int rc = 0;
	for (size_t l = 0; l < nl; l++) {
		struct view_menu *m = &menus[l];
		site_sort_pages(m->items, m->len, l, NULL);
		if (m->len <= VIEW_MENU_MAX)
			continue;
		const struct page *p = m->items[VIEW_MENU_MAX];
		diag_error(diags, p->path, p->fm.menu_pos.line, p->fm.menu_pos.col,
			   "the %s menu would have %zu entries, more than %d: every page carries "
			   "it; set 'menu: false' on the sections and pages it need not show",
			   site->cfg->languages[l].code, m->len, VIEW_MENU_MAX);
		rc = -1;
	}
	return rc;
}

void view_menus_free(struct view_env *env)
{
	if (!env->menus)
		return;
	for (size_t l = 0; l < env->site->cfg->nlanguages; l++)
		free(env->menus[l].items);
	free(env->menus);
	env->menus = NULL;
}

/* The name of language `named` as written in language `in` ("ภาษาอังกฤษ"). */
static const char *language_name(const struct view_env *env, size_t in, size_t named)
{
	char *key = i18n_language_key(code_of(env, named));
	const char *name = t(env, in, key);
	free(key);
	return name ? name : env->site->cfg->languages[named].name;
}

/* Marks a link from a page in language `shown` to page p: readers and
 * search engines are told when it leads to another language (a page that
 * exists only there), as lists, resources and phase links show it. */
static void set_link_lang(const struct view_env *env, struct value *m, size_t shown,
			  const struct page *p)
{
	value_set_bool(m, "other_lang", p->lang != shown);
	value_set_str(m, "lang", code_of(env, p->lang));
	if (p->lang != shown) /* the title shown is that page's own */
		value_set_str(m, "title_lang", code_of(env, p->lang));
	value_set_str(m, "lang_name", language_name(env, shown, p->lang));
}

/* The menu: the entries view_menus_select chose, then the archive. */
static struct value *nav(const struct view_env *env, const struct place *pl)
{
	struct value *list = value_list();
	const struct view_menu *menu = env->menus ? &env->menus[pl->lang] : NULL;
	for (size_t i = 0; menu && i < menu->len; i++) {
		const struct page *c = menu->items[i];
		struct value *item = value_push(list, value_map());
		set_text(env, item, "title", c->lang, c->fm.menu_title ? c->fm.menu_title : c->fm.title);
		set_link_lang(env, item, pl->lang, c);
		set_url(item, "url", pl->url, c->url);
		bool current = pl->page == c;
		bool within = false;
		for (const struct page *p = pl->page; p && !within; p = p->parent)
			within = p == c;
		value_set_bool(item, "current", current);
		value_set_bool(item, "active", within);
	}
	char *archive = view_archive_url(env, pl->lang);
	struct value *item = value_push(list, value_map());
	value_set_str(item, "title", t(env, pl->lang, "archive_nav"));
	set_url(item, "url", pl->url, archive);
	value_set_bool(item, "current", pl->page == NULL && !pl->list);
	value_set_bool(item, "active", pl->page == NULL && !pl->list);
	free(archive);
	char *publications = view_publications_url(env, pl->lang);
	item = value_push(list, value_map());
	value_set_str(item, "title", t(env, pl->lang, "publications_nav"));
	set_url(item, "url", pl->url, publications);
	value_set_bool(item, "current", pl->page == NULL && pl->list != NULL);
	value_set_bool(item, "active", pl->page == NULL && pl->list != NULL);
	free(publications);
	return list;
}

/* Adds the address's lines to m as address_lines: [{line, last}]. */
static void set_address(const struct view_env *env, struct value *m, size_t lang,
			const char *address)
{
	struct value *lines = value_set(m, "address_lines", value_list());
	struct value *last = NULL;
	for (const char *s = address; *s;) {
		size_t len = strcspn(s, "\n");
		size_t end = len;
		while (end && (s[end - 1] == ' ' || s[end - 1] == '\t'))
			end--;
		if (end) {
			char *line = xstrndup(s, end);
			last = value_push(lines, value_map());
			set_text(env, last, "line", lang, line);
			value_set_bool(last, "last", false);
			free(line);
		}
		s += len + (s[len] == '\n');
	}
	if (last)
		value_set_bool(last, "last", true);
}

/*
 * The organisation's identity in language lang (site.yaml): name, logo,
 * contact, footer text, links to its other sites; into m. logo_url is
 * the logo's URL as seen from the page (already encoded).
 */
static void set_identity(const struct view_env *env, struct value *m, size_t lang,
			 char *logo_url)
{
	const struct config *cfg = env->site->cfg;
	const struct config_language *cl = &cfg->languages[lang];
	set_text(env, m, "organisation", lang, cl->organisation);
	if (logo_url) {
		value_set(m, "logo_url", value_string_own(logo_url));
		set_text(env, m, "logo_alt", lang, cl->logo_alt);
		value_set_bool(m, "logo_svg", cfg->logo_svg);
	}
	set_text(env, m, "footer", lang, cl->footer);
	if (cl->address)
		set_address(env, m, lang, cl->address);
	if (cl->email) {
		value_set_str(m, "email", cl->email);
		value_set(m, "email_url", value_string_own(xasprintf("mailto:%s", cl->email)));
	}
	if (cl->phone) {
		value_set_str(m, "phone", cl->phone);
		value_set_str(m, "phone_url", cl->phone_tel);
	}
	value_set_bool(m, "has_contact", cl->address || cl->email || cl->phone);
	value_set_bool(m, "has_brand", logo_url || cl->organisation);
	value_set_bool(m, "has_links", cfg->nlinks > 0);
	if (cfg->nlinks) {
		struct value *links = value_set(m, "links", value_list());
		for (size_t i = 0; i < cfg->nlinks; i++) {
			struct value *item = value_push(links, value_map());
			set_text(env, item, "title", lang, cfg->links[i].titles[lang]);
			value_set_str(item, "url", cfg->links[i].url);
		}
	}
}

/* An offline copy says so, with the day it was made, on every page. */
static void set_offline(const struct view_env *env, struct value *v, size_t lang)
{
	if (!env->offline)
		return;
	const int *d = env->offline_date;
	struct value *m = value_set(v, "offline", value_map());
	struct buf b = BUF_INIT;
	date_format(code_of(env, lang), d[0], d[1], d[2], &b);
	value_set(m, "date_text", value_string_own(buf_detach(&b)));
	value_set(m, "date_iso", value_string_own(xasprintf("%04d-%02d-%02d", d[0], d[1], d[2])));
}

/* Whether a URL of a view leads to a folder of this site: relative, with
 * an empty path or a path that ends in '/'. */
static bool names_folder(const char *url)
{
	if (url_is_external(url) || url[0] == '/' || url[0] == '#')
		return false;
	size_t path = strcspn(url, "#?");
	return path == 0 || url[path - 1] == '/';
}

/*
 * An offline copy is opened from file://, where a link to a folder opens a
 * listing of it, not its page: every "url" and "..._url" of the view that
 * leads to a folder gets its index.html. Done once over the finished view,
 * so that every link a view function sets, and any it comes to set,
 * follows the rule ("root" is a prefix templates add paths to: it stays).
 */
static void offline_links(struct value *v)
{
	if (v->kind == VALUE_LIST) {
		for (size_t i = 0; i < v->as.list.len; i++)
			offline_links(v->as.list.items[i]);
		return;
	}
	if (v->kind != VALUE_MAP)
		return;
	for (size_t i = 0; i < v->as.map.len; i++) {
		const char *key = v->as.map.keys[i];
		struct value *val = v->as.map.vals[i];
		size_t klen = strlen(key);
		bool is_url = strcmp(key, "url") == 0 ||
			      (klen > 4 && strcmp(key + klen - 4, "_url") == 0);
		if (!is_url || val->kind != VALUE_STRING) {
			offline_links(val);
			continue;
		}
		const char *url = val->as.str.ptr;
		if (!names_folder(url))
			continue;
		size_t path = strcspn(url, "#?");
		char *with = xasprintf("%.*sindex.html%s", (int)path, url, url + path);
		v->as.map.vals[i] = value_string_own(with);
		value_free(val);
	}
}

/* Every view function ends with this. */
static struct value *finish(const struct view_env *env, struct value *v)
{
	if (env->offline)
		offline_links(v);
	return v;
}

/* Fields every page shares: language, strings, switcher, navigation. */
static struct value *common(const struct view_env *env, const struct place *pl)
{
	const struct config *cfg = env->site->cfg;
	struct value *v = value_map();
	const char *code = code_of(env, pl->lang);
	value_set_str(v, "lang", code);
	value_set(v, "t", value_null());
	const struct value *table = i18n_table(env->i18n, code);
	if (table) {
		/* Templates read strings as {{t.key}}; a copy keeps ownership
		 * simple, and gives Thai strings Thai typography. */
		struct value *copy = value_set(v, "t", value_map());
		for (size_t i = 0; i < table->as.map.len; i++)
			set_text(env, copy, table->as.map.keys[i], pl->lang,
				 table->as.map.vals[i]->as.str.ptr);
	}
	struct value *site = value_set(v, "site", value_map());
	value_set_str(site, "title", cfg->languages[pl->lang].title);
	/* An offline copy has no link to the site's address. */
	value_set_str(site, "base_url", env->offline ? NULL : cfg->base_url);
	char *logo = cfg->logo ? url_relative(pl->url, cfg->logo) : NULL;
	set_identity(env, site, pl->lang, logo ? url_encode_path(logo) : NULL);
	/* Browsers load no icon from file:// (Chromium aborts the request,
	 * a failed load): an offline copy keeps the empty icon. */
	if (logo && cfg->logo_svg && !env->offline)
		value_set(v, "icon_url", value_string_own(url_encode_path(logo)));
	free(logo);
	set_url(v, "root", pl->url, "");
	set_url(v, "home_url", pl->url, env->site->homes[pl->lang]->url);
	char *archive = view_archive_url(env, pl->lang);
	set_url(v, "archive_url", pl->url, archive);
	free(archive);
	char *publications = view_publications_url(env, pl->lang);
	set_url(v, "publications_url", pl->url, publications);
	free(publications);
	char *search = view_search_url(env, pl->lang);
	set_url(v, "search_url", pl->url, search);
	free(search);
	set_url(v, "css_url", pl->url, env->css_path);
	set_offline(env, v, pl->lang);
	if (cfg->base_url && !env->offline) {
		/* build.c writes a feed per language only with a base_url. */
		char *feed = xasprintf("%s/feed.xml", code);
		set_url(v, "feed_url", pl->url, feed);
		free(feed);
	}
	value_set(v, "languages", switcher(env, pl));
	value_set(v, "nav", nav(env, pl));
	set_alternates(env, pl, v);
	return v;
}

/* Sets key to fm's period as written for a page in language lang. */
static void set_period(const struct view_env *env, struct value *m, const char *key,
		       size_t lang, const char *period)
{
	if (!period)
		return;
	struct buf b = BUF_INIT;
	date_period(code_of(env, lang), period, &b);
	value_set(m, key, value_string_own(buf_detach(&b)));
}

static void set_date(const struct view_env *env, struct value *m, size_t lang,
		     const struct front_matter *fm)
{
	if (!fm->has_date)
		return;
	struct buf b = BUF_INIT;
	date_format(code_of(env, lang), fm->year, fm->month, fm->day, &b);
	value_set(m, "date_text", value_string_own(buf_detach(&b)));
	value_set(m, "date_iso", value_string_own(
					 xasprintf("%04d-%02d-%02d", fm->year, fm->month, fm->day)));
}

static void set_updated(const struct view_env *env, struct value *m, size_t lang,
			const struct front_matter *fm)
{
	if (!fm->has_updated)
		return;
	struct buf b = BUF_INIT;
	date_format(code_of(env, lang), fm->updated_year, fm->updated_month, fm->updated_day, &b);
	value_set(m, "updated_text", value_string_own(buf_detach(&b)));
	value_set(m, "updated_iso",
		  value_string_own(xasprintf("%04d-%02d-%02d", fm->updated_year,
					     fm->updated_month, fm->updated_day)));
}

static void set_kind(const struct view_env *env, struct value *m, size_t lang,
		     const struct page *p)
{
	const char *kind = frontmatter_kind_name(p->fm.kind);
	char *key = xasprintf("kind_%s", kind);
	value_set_str(m, "kind", kind);
	value_set_str(m, "kind_label", t(env, lang, key));
	free(key);
	value_set_bool(m, "inactive", p->fm.inactive);
}

/* A page as an item of a list shown in language lang. */
static struct value *list_item(const struct view_env *env, const struct place *pl,
			       const struct page *p)
{
	struct value *m = value_map();
	set_text(env, m, "title", p->lang, p->fm.title);
	set_url(m, "url", pl->url, p->url);
	set_text(env, m, "summary", p->lang, p->description);
	set_period(env, m, "period", pl->lang, p->fm.period);
	set_kind(env, m, pl->lang, p);
	set_date(env, m, pl->lang, &p->fm);
	set_updated(env, m, pl->lang, &p->fm);
	set_link_lang(env, m, pl->lang, p);
	return m;
}

static struct value *list_of(const struct view_env *env, const struct place *pl,
			     struct page **pages, size_t n)
{
	struct value *list = value_list();
	for (size_t i = 0; i < n; i++)
		value_push(list, list_item(env, pl, pages[i]));
	free(pages);
	return list;
}

/* The entries of section p's list, in list order; *owned is what the
 * caller frees (NULL when view_lists_select made the list). */
static struct page **section_list(const struct view_env *env, const struct page *p, size_t *n,
				  struct page ***owned)
{
	if (env->lists) {
		*owned = NULL;
		*n = env->lists->nsections[p->index];
		return env->lists->sections[p->index];
	}
	*owned = site_section_entries(env->site, p, p->lang, n);
	return *owned;
}

static struct page **archive_list(const struct view_env *env, size_t lang, size_t *n,
				  struct page ***owned);

/*
 * Entries per page of the list of page p (NULL: an archive). A home page
 * is not split: its layout shows the site's projects and infosheets, not
 * its children, so its later pages would repeat it (a site of thousands
 * of top-level pages would get hundreds of copies of its home page).
 */
static size_t list_size(const struct view_env *env, const struct page *p)
{
	return p && p->is_home ? SIZE_MAX : env->site->cfg->list_page_size;
}

size_t view_list_count(const struct view_env *env, const struct page *p)
{
	if (!p->is_section || p->is_home)
		return 1;
	size_t n;
	struct page **owned;
	section_list(env, p, &n, &owned);
	free(owned);
	return paginate_count(n, list_size(env, p));
}

size_t view_archive_count(const struct view_env *env, size_t lang)
{
	size_t n;
	struct page **owned;
	archive_list(env, lang, &n, &owned);
	free(owned);
	return paginate_count(n, list_size(env, NULL));
}

/*
 * Shows page pl->number of the list of n entries at base: the entries it
 * holds as `key` (and has_`key`) in into, and the pager, when the list
 * takes more than one page, as "pager" in v.
 */
static void set_list_page(const struct view_env *env, const struct place *pl, struct page **pages,
			  size_t n, const char *base, struct value *into, const char *key,
			  struct value *v)
{
	struct paginate pg;
	paginate_at(&pg, n, list_size(env, pl->page), pl->number ? pl->number : 1);
	struct value *list = value_set(into, key, value_list());
	for (size_t i = pg.first; i < pg.end; i++)
		value_push(list, list_item(env, pl, pages[i]));
	char *has = xasprintf("has_%s", key);
	value_set_bool(into, has, pg.end > pg.first);
	free(has);
	struct value *pager = paginate_view(&pg, base);
	if (pager)
		value_set(v, "pager", pager);
}

static struct value *phase(const struct view_env *env, const struct place *pl,
			   const struct page *p)
{
	struct value *m = value_map();
	set_text(env, m, "title", p->lang, p->fm.title);
	set_url(m, "url", pl->url, p->url);
	set_period(env, m, "period", pl->lang, p->fm.period);
	set_link_lang(env, m, pl->lang, p);
	return m;
}

/* "PDF", "DOCX": what a reader's phone will have to open. */
static char *file_type(const char *rel)
{
	const char *dot = strrchr(rel, '.');
	const char *slash = strrchr(rel, '/');
	if (!dot || (slash && dot < slash) || !dot[1])
		return xstrdup("");
	char *type = xstrdup(dot + 1);
	for (char *c = type; *c; c++) {
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A');
	}
	return type;
}

/* "240 KB", "1.2 MB": rounded up, so a reader never pays more than shown. */
static char *file_size(off_t size)
{
	if (size < 1024 * 1024) {
		long kb = (long)((size + 1023) / 1024);
		return xasprintf("%ld KB", kb ? kb : 1);
	}
	long tenths = (long)((size * 10 + 1024 * 1024 - 1) / (1024 * 1024));
	return xasprintf("%ld.%ld MB", tenths / 10, tenths % 10);
}

static struct value *resource(const struct view_env *env, const struct place *pl,
			      const struct resource_link *link)
{
	const struct config *cfg = env->site->cfg;
	struct value *m = value_map();
	set_text(env, m, "title", pl->lang, link->fm->title);
	switch (link->fm->type) {
	case RESOURCE_FILES: {
		struct value *files = value_set(m, "files", value_list());
		for (size_t f = 0; f < link->fm->nfiles; f++) {
			const struct static_file *file = link->files[f];
			size_t lang = link->file_langs[f];
			struct value *item = value_push(files, value_map());
			value_set_str(item, "lang", cfg->languages[lang].code);
			value_set_str(item, "name", language_name(env, pl->lang, lang));
			set_url(item, "url", pl->url, file->rel);
			value_set(item, "type", value_string_own(file_type(file->rel)));
			value_set(item, "size", value_string_own(file_size(file->size)));
			value_set_bool(item, "last", f + 1 == link->fm->nfiles);
		}
		break;
	}
	case RESOURCE_PAGE: {
		const struct page *target = site_translation(link->page, pl->lang);
		if (!target)
			target = link->page;
		set_url(m, "url", pl->url, target->url);
		value_set_bool(m, "page", true);
		/* The title is the resource's, written in this page's language:
		 * no title_lang. */
		value_set_bool(m, "other_lang", target->lang != pl->lang);
		value_set_str(m, "lang", code_of(env, target->lang));
		value_set_str(m, "lang_name", language_name(env, pl->lang, target->lang));
		break;
	}
	case RESOURCE_URL:
		value_set_str(m, "url", link->fm->target);
		value_set_bool(m, "external", true);
		break;
	}
	return m;
}

/* UI string key of language lang with n in place of its "{n}". */
static struct value *with_number(const struct view_env *env, size_t lang, const char *key,
				 size_t n)
{
	const char *text = t(env, lang, key);
	const char *at = text ? strstr(text, "{n}") : NULL;
	if (!at)
		return value_string(text ? text : "");
	return value_string_own(xasprintf("%.*s%zu%s", (int)(at - text), text, n, at + 3));
}

static bool is_home_listed(const struct page *p)
{
	return !p->fm.inactive && !p->is_section &&
	       (p->fm.kind == PAGE_KIND_PROJECT || p->fm.kind == PAGE_KIND_INFOSHEET);
}

static bool is_active_project(const struct page *p)
{
	return is_home_listed(p) && p->fm.kind == PAGE_KIND_PROJECT;
}

static bool is_infosheet(const struct page *p)
{
	return is_home_listed(p) && p->fm.kind == PAGE_KIND_INFOSHEET;
}

static bool is_news(const struct page *p)
{
	return p->fm.kind == PAGE_KIND_NEWS;
}

/* What a home page in language lang shows of one of its lists. */
struct home_list {
	struct page **pages; /* the first n of them; caller frees */
	size_t n, total;
	/* When the list is cut: the section of lang that holds every page of
	 * it in lang, where "all of them" leads; NULL when there is none. */
	const struct page *section;
};

static struct home_list home_list(const struct view_env *env, size_t lang,
				  bool (*keep)(const struct page *))
{
	struct home_list h = { .section = NULL };
	h.pages = site_select(env->site, lang, keep, &h.total);
	h.n = h.total;
	if (h.total <= VIEW_HOME_ITEMS)
		return h;
	h.n = VIEW_HOME_ITEMS;
	const struct page *shared = NULL;
	for (size_t i = 0; i < h.total; i++) {
		const struct page *p = h.pages[i];
		if (p->lang != lang)
			continue; /* listed by the section of its own language */
		if (!p->parent || p->parent->is_home || (shared && p->parent != shared))
			return h;
		shared = p->parent;
	}
	h.section = shared;
	return h;
}

/* Sets name (the first entries) and name_more ({url, text}: the section
 * that lists them all) in pv. */
static void set_home_list(const struct view_env *env, const struct place *pl,
			  struct value *pv, const char *name, bool (*keep)(const struct page *))
{
	struct home_list h = home_list(env, pl->lang, keep);
	value_set(pv, name, list_of(env, pl, h.pages, h.n));
	if (!h.section)
		return;
	char *more = xasprintf("%s_more", name);
	struct value *m = value_set(pv, more, value_map());
	set_url(m, "url", pl->url, h.section->url);
	value_set(m, "text", with_number(env, pl->lang, "home_all", h.total));
	free(more);
}

/* The news a home page in language lang shows: the newest few. Caller
 * frees. */
static struct page **latest_news(const struct view_env *env, size_t lang, size_t *n)
{
	struct page **news = site_select(env->site, lang, is_news, n);
	site_sort_pages(news, *n, lang, site_news_first);
	if (*n > VIEW_HOME_NEWS)
		*n = VIEW_HOME_NEWS;
	return news;
}

/* The news section of language lang, <lang>/news/_index.md, or NULL. */
static const struct page *news_section(const struct view_env *env, size_t lang)
{
	char *rel = xasprintf("%s/news/_index.md", code_of(env, lang));
	const struct page *p = hmap_get(&env->site->pages_by_rel, rel);
	free(rel);
	return p;
}

static void set_facts(const struct view_env *env, struct value *pv, const struct page *p)
{
	const struct front_matter *fm = &p->fm;
	/* Projects always say where they stand; any other page only when it is
	 * a previous one, as the seed's "Status: Inactive (Previous Projects)". */
	if (fm->kind == PAGE_KIND_PROJECT || fm->inactive)
		value_set_str(pv, "status_label",
			      t(env, p->lang, fm->inactive ? "status_inactive" : "status_active"));
	set_period(env, pv, "period", p->lang, fm->period);
	value_set_str(pv, "location", fm->location);
	value_set_bool(pv, "has_donors", fm->ndonors > 0);
	if (fm->ndonors) {
		struct value *donors = value_set(pv, "donors", value_list());
		for (size_t i = 0; i < fm->ndonors; i++)
			value_set_str(value_push(donors, value_map()), "name", fm->donors[i]);
	}
	value_set_bool(pv, "has_facts", fm->kind == PAGE_KIND_PROJECT || fm->inactive ||
						fm->period || fm->location || fm->ndonors);
}

struct value *view_page(const struct view_env *env, const struct page *p)
{
	return view_list_page(env, p, 1);
}

struct value *view_list_page(const struct view_env *env, const struct page *p, size_t number)
{
	if (number > view_list_count(env, p))
		number = 1;
	char *url = paginate_url(p->url, number);
	struct place pl = { p->lang, url, p, number, NULL };
	struct value *v = common(env, &pl);
	struct value *pv = value_set(v, "page", value_map());
	set_text(env, pv, "title", p->lang, p->fm.title);
	set_text(env, pv, "summary", p->lang, p->fm.summary);
	set_text(env, pv, "description", p->lang, p->description);
	/* The text introduces the list: shown once, above its first page. */
	if (number <= 1)
		value_set_str(pv, "content", p->html);
	value_set_str(pv, "url", "./");
	set_kind(env, pv, p->lang, p);
	value_set_bool(pv, "is_home", p->is_home);
	value_set_bool(pv, "is_section", p->is_section);
	value_set_bool(pv, "is_project", p->fm.kind == PAGE_KIND_PROJECT);
	value_set_bool(pv, "is_infosheet", p->fm.kind == PAGE_KIND_INFOSHEET);
	set_date(env, pv, p->lang, &p->fm);
	set_updated(env, pv, p->lang, &p->fm);
	set_facts(env, pv, p);
	if (p->previous)
		value_set(pv, "previous_phase", phase(env, &pl, p->previous));
	if (p->next)
		value_set(pv, "next_phase", phase(env, &pl, p->next));
	struct value *res = value_set(pv, "resources", value_list());
	for (size_t i = 0; i < p->fm.nresources; i++)
		value_push(res, resource(env, &pl, &p->resources[i]));
	value_set_bool(pv, "has_resources", p->fm.nresources > 0);
	size_t n;
	if (p->is_section) {
		struct page **owned;
		struct page **entries = section_list(env, p, &n, &owned);
		set_list_page(env, &pl, entries, n, p->url, pv, "children", v);
		free(owned);
	}
	if (p->is_home) {
		set_home_list(env, &pl, pv, "projects", is_active_project);
		set_home_list(env, &pl, pv, "infosheets", is_infosheet);
		struct page **sel = latest_news(env, p->lang, &n);
		value_set_bool(pv, "has_news", n > 0);
		value_set(pv, "news", list_of(env, &pl, sel, n));
		const struct page *section = news_section(env, p->lang);
		if (section)
			set_url(pv, "news_url", pl.url, section->url);
	}
	free(url);
	return finish(env, v);
}

/* What a view shows of page p when it lists or links it: anything in
 * its text (title, dates, kind...) and its description. */
static void put_shown(struct cache_key *k, const struct page *p)
{
	if (!p) {
		cache_key_u64(k, 0);
		return;
	}
	cache_key_str(k, p->rel);
	cache_key_u64(k, p->text_key.a);
	cache_key_u64(k, p->text_key.b);
	cache_key_str(k, p->description);
}

static void put_shown_list(struct cache_key *k, struct page **pages, size_t n)
{
	cache_key_u64(k, n);
	for (size_t i = 0; i < n; i++)
		put_shown(k, pages[i]);
	free(pages);
}

/* The entries shown pick themselves from the whole list, so they, the
 * count and where the rest are say all that a home list shows. */
static void put_home_list(const struct view_env *env, size_t lang, struct cache_key *k,
			  bool (*keep)(const struct page *))
{
	struct home_list h = home_list(env, lang, keep);
	cache_key_u64(k, h.total);
	cache_key_str(k, h.section ? h.section->url : "");
	put_shown_list(k, h.pages, h.n);
}

static void put_menu(const struct view_env *env, size_t lang, struct cache_key *k)
{
	const struct view_menu *menu = env->menus ? &env->menus[lang] : NULL;
	cache_key_u64(k, menu ? menu->len : 0);
	for (size_t i = 0; menu && i < menu->len; i++)
		put_shown(k, menu->items[i]);
}

/*
 * What page `number` of the list of n entries of page p (NULL: an archive)
 * shows of it: its entries, and the number of entries in all (the pager).
 */
static void put_list_page(const struct view_env *env, const struct page *p, struct cache_key *k,
			  struct page **pages, size_t n, size_t number)
{
	struct paginate pg;
	paginate_at(&pg, n, list_size(env, p), number ? number : 1);
	cache_key_u64(k, n);
	cache_key_u64(k, pg.number);
	for (size_t i = pg.first; i < pg.end; i++)
		put_shown(k, pages[i]);
}

void view_page_inputs(const struct view_env *env, const struct page *p, struct cache_key *k)
{
	view_list_page_inputs(env, p, 1, k);
}

/* Keep in step with view_list_page and what it calls: every page it reads
 * beyond the structure must be put here. */
void view_list_page_inputs(const struct view_env *env, const struct page *p, size_t number,
			   struct cache_key *k)
{
	if (number > view_list_count(env, p))
		number = 1;
	cache_key_u64(k, number);
	cache_key_str(k, env->css_path);
	put_menu(env, p->lang, k);
	put_shown(k, p);
	put_shown(k, p->previous);
	put_shown(k, p->next);
	for (size_t i = 0; i < p->fm.nresources; i++) {
		const struct resource_link *link = &p->resources[i];
		if (link->fm->type == RESOURCE_PAGE) {
			put_shown(k, link->page);
			put_shown(k, site_translation(link->page, p->lang));
		}
		for (size_t f = 0; link->fm->type == RESOURCE_FILES && f < link->fm->nfiles; f++)
			cache_key_u64(k, (uint64_t)link->files[f]->size);
	}
	size_t n;
	struct page **list;
	if (p->is_section) {
		struct page **owned;
		list = section_list(env, p, &n, &owned);
		put_list_page(env, p, k, list, n, number);
		free(owned);
		/* Where the switcher of a later page leads. */
		for (size_t l = 0; number > 1 && l < env->site->cfg->nlanguages; l++) {
			const struct page *tr = site_translation(p, l);
			cache_key_u64(k, tr ? view_list_count(env, tr) : 0);
		}
	}
	if (p->is_home) {
		put_home_list(env, p->lang, k, is_active_project);
		put_home_list(env, p->lang, k, is_infosheet);
		list = latest_news(env, p->lang, &n);
		put_shown_list(k, list, n);
	}
}

static bool is_inactive(const struct page *p)
{
	return p->fm.inactive;
}

/* The year a period ends: the last run of four digits ("2013-2015" -> 2015). */
static int period_end(const struct page *p)
{
	int year = 0;
	for (const char *s = p->fm.period; s && *s; s++) {
		if (s[0] >= '0' && s[0] <= '9' && sscanf(s, "%4d", &year) == 1)
			s += strspn(s, "0123456789") - 1;
	}
	return year;
}

static int compare_newest(const struct page *x, const struct page *y)
{
	int ex = period_end(x), ey = period_end(y);
	return ex != ey ? (ex > ey ? -1 : 1) : 0;
}

static struct page **archive_list(const struct view_env *env, size_t lang, size_t *n,
				  struct page ***owned)
{
	if (env->lists) {
		*owned = NULL;
		*n = env->lists->narchives[lang];
		return env->lists->archives[lang];
	}
	struct page **pages = site_select(env->site, lang, is_inactive, n);
	site_sort_pages(pages, *n, lang, compare_newest);
	*owned = pages;
	return pages;
}

struct value *view_archive(const struct view_env *env, size_t lang, size_t number)
{
	if (number > view_archive_count(env, lang))
		number = 1;
	char *base = view_archive_url(env, lang);
	char *url = paginate_url(base, number);
	struct place pl = { lang, url, NULL, number, NULL };
	struct value *v = common(env, &pl);
	size_t n;
	struct page **owned;
	struct page **pages = archive_list(env, lang, &n, &owned);
	struct value *archive = value_set(v, "archive", value_map());
	set_list_page(env, &pl, pages, n, base, archive, "items", v);
	free(owned);
	value_set_bool(archive, "empty", n == 0);
	struct value *page = value_set(v, "page", value_map());
	value_set_str(page, "title", t(env, lang, "archive_title"));
	value_set_str(page, "description", t(env, lang, "archive_intro"));
	value_set_str(page, "url", "./");
	free(url);
	free(base);
	return finish(env, v);
}

/* Keep in step with view_archive. */
void view_archive_inputs(const struct view_env *env, size_t lang, size_t number,
			 struct cache_key *k)
{
	if (number > view_archive_count(env, lang))
		number = 1;
	cache_key_str(k, env->css_path);
	put_menu(env, lang, k);
	size_t n;
	struct page **owned;
	struct page **pages = archive_list(env, lang, &n, &owned);
	put_list_page(env, NULL, k, pages, n, number);
	free(owned);
	/* Where the switcher of a later page leads. */
	for (size_t l = 0; number > 1 && l < env->site->cfg->nlanguages; l++)
		cache_key_u64(k, view_archive_count(env, l));
}

/* What every publications page reads of the pages: those that list
 * files, and the files' sizes. The same for every page of every language. */
static void put_publications_shown(const struct site *site, struct cache_key *k)
{
	for (size_t i = 0; i < site->npages; i++) {
		const struct page *p = site->pages[i];
		if (!publications_lists_files(p))
			continue;
		put_shown(k, p);
		for (size_t r = 0; r < p->fm.nresources; r++) {
			const struct resource_link *link = &p->resources[r];
			for (size_t f = 0; link->fm->type == RESOURCE_FILES && f < link->fm->nfiles;
			     f++)
				cache_key_u64(k, (uint64_t)link->files[f]->size);
		}
	}
}

void view_lists_select(struct view_env *env)
{
	const struct site *site = env->site;
	size_t nl = site->cfg->nlanguages;
	struct view_lists *lists = xcalloc(1, sizeof *lists);
	size_t np = site->npages ? site->npages : 1;
	lists->sections = xcalloc(np, sizeof *lists->sections);
	lists->nsections = xcalloc(np, sizeof *lists->nsections);
	for (size_t i = 0; i < site->npages; i++) {
		const struct page *p = site->pages[i];
		if (p->is_section)
			lists->sections[i] =
				site_section_entries(site, p, p->lang, &lists->nsections[i]);
	}
	lists->archives = xcalloc(nl, sizeof *lists->archives);
	lists->narchives = xcalloc(nl, sizeof *lists->narchives);
	lists->publications = xcalloc(nl, sizeof *lists->publications);
	lists->npublications = xcalloc(nl, sizeof *lists->npublications);
	for (size_t l = 0; l < nl; l++) {
		lists->archives[l] = site_select(site, l, is_inactive, &lists->narchives[l]);
		site_sort_pages(lists->archives[l], lists->narchives[l], l, compare_newest);
		lists->publications[l] = publications_of(site, l, &lists->npublications[l]);
	}
	cache_key_init(&lists->publications_shown);
	put_publications_shown(site, &lists->publications_shown);
	env->lists = lists;
}

void view_lists_free(struct view_env *env)
{
	struct view_lists *lists = env->lists;
	if (!lists)
		return;
	for (size_t i = 0; i < env->site->npages; i++)
		free(lists->sections[i]);
	for (size_t l = 0; l < env->site->cfg->nlanguages; l++) {
		free(lists->archives[l]);
		publications_free(lists->publications[l], lists->npublications[l]);
	}
	free(lists->sections);
	free(lists->nsections);
	free(lists->archives);
	free(lists->narchives);
	free(lists->publications);
	free(lists->npublications);
	free(lists);
	env->lists = NULL;
}

/* One file of a document, as the publications page shows it in language
 * lang. */
static struct value *publication_file(const struct view_env *env, const struct place *pl,
				      const struct publication_file *pf, bool last)
{
	struct value *item = value_map();
	value_set_str(item, "lang", code_of(env, pf->lang));
	value_set_str(item, "name", language_name(env, pl->lang, pf->lang));
	set_url(item, "url", pl->url, pf->file->rel);
	value_set(item, "type", value_string_own(file_type(pf->file->rel)));
	value_set(item, "size", value_string_own(file_size(pf->file->size)));
	value_set_bool(item, "last", last);
	return item;
}

/* One entry of the publications page: a document, its files, its pages. */
static struct value *publication(const struct view_env *env, const struct place *pl,
				 const struct publication *e)
{
	struct value *m = value_map();
	set_text(env, m, "title", e->page->lang, e->link->fm->title);
	if (e->page->lang != pl->lang) /* the title is that page's own */
		value_set_str(m, "title_lang", code_of(env, e->page->lang));
	struct value *files = value_set(m, "files", value_list());
	for (size_t f = 0; f < e->nfiles; f++)
		value_push(files, publication_file(env, pl, &e->files[f], f + 1 == e->nfiles));
	struct value *pages = value_set(m, "pages", value_list());
	for (size_t i = 0; i < e->npages; i++) {
		const struct page *p = e->pages[i];
		struct value *item = value_push(pages, value_map());
		set_text(env, item, "title", p->lang, p->fm.title);
		set_url(item, "url", pl->url, p->url);
		set_link_lang(env, item, pl->lang, p);
		value_set_bool(item, "last", i + 1 == e->npages);
	}
	set_date(env, m, pl->lang, &e->page->fm);
	set_period(env, m, "period", pl->lang, e->page->fm.period);
	return m;
}

/* The documents of language lang's publications page; *owned is what the
 * caller frees (with publications_free; NULL when view_lists_select made
 * the list). */
static const struct publication *publication_list(const struct view_env *env, size_t lang,
						  size_t *n, struct publication **owned)
{
	if (env->lists) {
		*owned = NULL;
		*n = env->lists->npublications[lang];
		return env->lists->publications[lang];
	}
	*owned = publications_of(env->site, lang, n);
	return *owned;
}

size_t view_publications_count(const struct view_env *env, size_t lang)
{
	size_t n;
	struct publication *owned;
	publication_list(env, lang, &n, &owned);
	publications_free(owned, owned ? n : 0);
	return paginate_count(n, list_size(env, NULL));
}

struct value *view_publications(const struct view_env *env, size_t lang, size_t number)
{
	size_t n;
	struct publication *owned;
	const struct publication *list = publication_list(env, lang, &n, &owned);
	struct paginate pg;
	paginate_at(&pg, n, list_size(env, NULL), number ? number : 1);
	char *base = view_publications_url(env, lang);
	char *url = paginate_url(base, pg.number);
	struct place pl = { lang, url, NULL, pg.number, VIEW_PUBLICATIONS };
	struct value *v = common(env, &pl);
	struct value *pubs = value_set(v, "publications", value_map());
	struct value *items = value_set(pubs, "items", value_list());
	for (size_t i = pg.first; i < pg.end; i++)
		value_push(items, publication(env, &pl, &list[i]));
	publications_free(owned, owned ? n : 0);
	value_set_bool(pubs, "empty", n == 0);
	struct value *pager = paginate_view(&pg, base);
	if (pager)
		value_set(v, "pager", pager);
	free(base);
	struct value *page = value_set(v, "page", value_map());
	value_set_str(page, "title", t(env, lang, "publications_title"));
	value_set_str(page, "description", t(env, lang, "publications_intro"));
	value_set_str(page, "url", "./");
	free(url);
	return finish(env, v);
}

/* Keep in step with view_publications: which pages list files, and what
 * they show of them, is in their texts (titles, dates, resources). */
void view_publications_inputs(const struct view_env *env, size_t lang, size_t number,
			      struct cache_key *k)
{
	cache_key_u64(k, number);
	/* Where the switcher of a later page leads. */
	for (size_t l = 0; number > 1 && l < env->site->cfg->nlanguages; l++)
		cache_key_u64(k, view_publications_count(env, l));
	cache_key_str(k, env->css_path);
	put_menu(env, lang, k);
	struct cache_key shown;
	if (env->lists) {
		shown = env->lists->publications_shown;
	} else {
		cache_key_init(&shown);
		put_publications_shown(env->site, &shown);
	}
	cache_key_u64(k, shown.a);
	cache_key_u64(k, shown.b);
}

static bool is_section(const struct page *p)
{
	return p->is_section;
}

/* An entry of the site index: a link, marked when in another language. */
static struct value *index_item(const struct view_env *env, const struct place *pl,
				const struct page *p)
{
	struct value *m = value_map();
	set_text(env, m, "title", p->lang, p->fm.title);
	set_url(m, "url", pl->url, p->url);
	set_link_lang(env, m, pl->lang, p);
	return m;
}

struct value *view_search(const struct view_env *env, size_t lang)
{
	char *url = view_search_url(env, lang);
	struct place pl = { lang, url, NULL, 1, VIEW_SEARCH };
	struct value *v = common(env, &pl);
	struct value *page = value_set(v, "page", value_map());
	set_text(env, page, "title", lang, t(env, lang, "search_title"));
	value_set_str(page, "url", "./");
	struct value *langs = value_set(v, "search_langs", value_list());
	for (size_t l = 0; l < env->site->cfg->nlanguages; l++) {
		struct value *item = value_push(langs, value_map());
		value_set_str(item, "code", code_of(env, l));
		value_set_str(item, "name", language_name(env, lang, l));
	}
	struct value *groups = value_set(v, "sections", value_list());
	size_t nsections;
	struct page **sections = site_select(env->site, lang, is_section, &nsections);
	/* The home page's group first, then the sections in list order. */
	for (size_t s = 0; s < nsections; s++) {
		if (sections[s] == env->site->homes[lang] && s > 0) {
			memmove(sections + 1, sections, s * sizeof *sections);
			sections[0] = env->site->homes[lang];
		}
	}
	for (size_t s = 0; s < nsections; s++) {
		size_t n;
		struct page **entries = site_section_entries(env->site, sections[s], lang, &n);
		struct value *g = value_push(groups, index_item(env, &pl, sections[s]));
		struct value *items = value_set(g, "pages", value_list());
		for (size_t i = 0; i < n && i < VIEW_SITE_INDEX_MAX; i++)
			value_push(items, index_item(env, &pl, entries[i]));
		value_set_bool(g, "has_pages", n > 0);
		/* "All {n} pages of this section" with its number. */
		if (n > VIEW_SITE_INDEX_MAX)
			value_set(g, "more_text", with_number(env, lang, "search_all", n));
		free(entries);
	}
	free(sections);
	free(url);
	return finish(env, v);
}

/* Shared by the two pages outside any language: root is where links start. */
static struct value *language_choice(const struct view_env *env, const char *root)
{
	const struct config *cfg = env->site->cfg;
	struct value *v = value_map();
	int def = config_language_index(cfg, cfg->default_language);
	value_set_str(v, "lang", cfg->default_language);
	value_set_str(v, "root", root);
	char *css = url_encode_path(env->css_path);
	value_set(v, "css_url", value_string_own(xasprintf("%s%s", root, css)));
	free(css);
	value_set_str(v, "title", cfg->languages[def].title);
	/* The identity in the default language, as the page's own language. */
	struct value *site = value_set(v, "site", value_map());
	if (cfg->logo) {
		char *logo = url_encode_path(cfg->logo);
		set_identity(env, site, (size_t)def, xasprintf("%s%s", root, logo));
		if (cfg->logo_svg)
			value_set(v, "icon_url", value_string_own(xasprintf("%s%s", root, logo)));
		free(logo);
	} else {
		set_identity(env, site, (size_t)def, NULL);
	}
	const struct value *table = i18n_table(env->i18n, cfg->default_language);
	struct value *langs = value_set(v, "languages", value_list());
	for (size_t l = 0; l < cfg->nlanguages; l++) {
		struct value *item = value_push(langs, value_map());
		value_set_str(item, "code", cfg->languages[l].code);
		value_set_str(item, "name", cfg->languages[l].name);
		char *enc = url_encode_path(env->site->homes[l]->url);
		value_set(item, "url", value_string_own(xasprintf("%s%s", root, enc)));
		free(enc);
		value_set_str(item, "site_title", cfg->languages[l].title);
		set_text(env, item, "organisation", l, cfg->languages[l].organisation);
		value_set_bool(item, "default", (int)l == def);
		value_set_bool(item, "last", l + 1 == cfg->nlanguages);
		const struct value *lt = i18n_table(env->i18n, cfg->languages[l].code);
		struct value *copy = value_set(item, "t", value_map());
		for (size_t i = 0; lt && i < lt->as.map.len; i++)
			value_set_str(copy, lt->as.map.keys[i], lt->as.map.vals[i]->as.str.ptr);
	}
	struct value *copy = value_set(v, "t", value_map());
	for (size_t i = 0; table && i < table->as.map.len; i++)
		value_set_str(copy, table->as.map.keys[i], table->as.map.vals[i]->as.str.ptr);
	set_offline(env, v, (size_t)def);
	return finish(env, v);
}

struct value *view_languages(const struct view_env *env)
{
	struct value *v = language_choice(env, "./");
	if (env->site->cfg->base_url && !env->offline)
		value_set_str(v, "canonical", env->site->cfg->base_url);
	return v;
}

struct value *view_not_found(const struct view_env *env)
{
	const char *base = env->site->cfg->base_url;
	/* The path part of base_url: "https://x.org/aup/" -> "/aup/". */
	const char *root = "/";
	if (base) {
		const char *host = strstr(base, "://") + 3;
		const char *path = strchr(host, '/');
		root = path ? path : "/";
	}
	return language_choice(env, root);
}
