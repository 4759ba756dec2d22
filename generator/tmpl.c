/* SPDX-License-Identifier: MIT */
/*
 * The template set and the renderer. tmpl_parse.c turns each template into
 * a tree; rendering walks it recursively, with the context stack, the
 * indentation and the inheritance overrides kept as linked frames on the C
 * stack, so that a render allocates nothing but its output and never
 * writes to the shared set.
 */
#include "tmpl.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "tmpl_parse.h"

struct tmpl {
	char *name;
	char *file; /* for diagnostics */
	char *src;  /* the text; the tree's spans point into it */
	struct tmpl_list root;
};

struct tmpl_set {
	struct hmap by_name; /* name -> struct tmpl *; values owned by items */
	struct tmpl **items; /* in the order names were first added, so that
				tmpl_set_check reports in a stable order */
	size_t len, cap;
};

static void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	tmpl_list_free(&t->root);
	free(t->name);
	free(t->file);
	free(t->src);
	free(t);
}

struct tmpl_set *tmpl_set_new(void)
{
	struct tmpl_set *set = xcalloc(1, sizeof *set);
	hmap_init(&set->by_name);
	return set;
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->len; i++)
		tmpl_free(set->items[i]);
	free(set->items);
	hmap_free(&set->by_name);
	free(set);
}

int tmpl_set_add(struct tmpl_set *set, const char *name, const char *file, const char *text,
		 size_t len, struct diag_list *diags)
{
	struct tmpl *t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->file = xstrdup(file ? file : name);
	t->src = xstrndup(text, len);
	if (tmpl_parse(t->src, len, t->file, &t->root, diags)) {
		tmpl_free(t);
		return -1;
	}
	struct tmpl *old = hmap_put(&set->by_name, name, t);
	if (old) {
		for (size_t i = 0; i < set->len; i++) {
			if (set->items[i] == old)
				set->items[i] = t;
		}
		tmpl_free(old);
		return 0;
	}
	set->items = xgrow(set->items, &set->cap, set->len + 1, sizeof *set->items);
	set->items[set->len++] = t;
	return 0;
}

bool tmpl_set_has(const struct tmpl_set *set, const char *name)
{
	return hmap_get(&set->by_name, name) != NULL;
}

static const struct tmpl *find_tmpl(const struct tmpl_set *set, const char *name)
{
	return hmap_get(&set->by_name, name);
}

/* Reports static references in list to templates missing from the set. */
static size_t check_list(const struct tmpl_set *set, const struct tmpl *t,
			 const struct tmpl_list *list, struct diag_list *diags)
{
	size_t errors = 0;
	for (size_t i = 0; i < list->len; i++) {
		const struct tmpl_node *n = &list->items[i];
		if ((n->kind == TMPL_NODE_PARTIAL || n->kind == TMPL_NODE_PARENT) && n->ref &&
		    !find_tmpl(set, n->ref)) {
			diag_error(diags, t->file, n->line, n->col, "%s '%s' not found (included from %s)",
				   n->kind == TMPL_NODE_PARTIAL ? "partial" : "parent template",
				   n->ref, t->file);
			errors++;
		}
		errors += check_list(set, t, &n->kids, diags);
	}
	return errors;
}

size_t tmpl_set_check(const struct tmpl_set *set, struct diag_list *diags)
{
	size_t errors = 0;
	for (size_t i = 0; i < set->len; i++)
		errors += check_list(set, set->items[i], &set->items[i]->root, diags);
	return errors;
}

/* One entry of the context stack; the innermost is searched first. */
struct ctx {
	const struct value *v; /* may be NULL: the root data was NULL */
	const struct ctx *up;
};

/* The indentation of standalone partials, parents and blocks accumulates
 * as they nest: the whole chain goes before each line. */
struct indent {
	struct span s;
	const struct indent *up;
};

/* The overriding blocks of a parent tag being rendered. */
struct ovr {
	const struct tmpl_node *parent;
	const struct tmpl *tmpl;      /* the template holding the parent tag */
	const struct indent *indent;  /* that template's indentation there */
	const struct ovr *up;
};

struct render {
	const struct tmpl_set *set;
	struct buf *out;
	struct diag_list *diags;
	size_t start;       /* out->len when the render began */
	size_t max_output;  /* bytes the render may append */
	size_t steps, max_steps;
	const atomic_int *stop; /* may be NULL */
	bool stopped;       /* *stop was seen; no diagnostic is added */
	bool (*cancelled)(void *ctx); /* may be NULL */
	void *cancel_ctx;
};

/* What changes as rendering descends; copied, not shared, by each level. */
struct scope {
	const struct tmpl *tmpl;      /* holds the nodes being rendered */
	const struct ctx *ctx;
	const struct indent *indent;  /* NULL for none */
	const struct ovr *ovr;        /* innermost parent tag, or NULL */
	unsigned depth;               /* partials, parents and overrides entered */
};

/* Returns the value of key in map v, or NULL when v is not a map or has
 * no such key. Keys are spans of the template, hence not value_get. */
static const struct value *member(const struct value *v, struct span key)
{
	if (!v || v->kind != VALUE_MAP)
		return NULL;
	for (size_t i = 0; i < v->as.map.len; i++) {
		const char *k = v->as.map.keys[i];
		if (strncmp(k, key.ptr, key.len) == 0 && k[key.len] == '\0')
			return v->as.map.vals[i];
	}
	return NULL;
}

/*
 * Resolves a name as the spec says: "." is the top of the stack; otherwise
 * the first part is looked up from the top of the stack down, and each
 * further part only in the value found before. Returns NULL when missing.
 */
static const struct value *lookup(const struct ctx *ctx, struct span name)
{
	if (span_eq(name, "."))
		return ctx->v;
	const char *dot = memchr(name.ptr, '.', name.len);
	size_t end = dot ? (size_t)(dot - name.ptr) : name.len;
	const struct value *v = NULL;
	for (const struct ctx *c = ctx; c && !v; c = c->up)
		v = member(c->v, (struct span){ name.ptr, end });
	while (v && end < name.len) {
		size_t start = end + 1;
		dot = memchr(name.ptr + start, '.', name.len - start);
		end = dot ? (size_t)(dot - name.ptr) : name.len;
		v = member(v, (struct span){ name.ptr + start, end - start });
	}
	return v;
}

/* Writes n as JSON would: integers without a decimal point, other numbers
 * in the fewest digits that read back as the same double (1.21, not
 * 1.2100000000000000). Infinities and NaN, which JSON lacks, print
 * nothing. */
static void format_number(double n, char *s, size_t size)
{
	s[0] = '\0';
	if (!isfinite(n))
		return;
	if (n == 0) {
		snprintf(s, size, "0"); /* also for -0 */
		return;
	}
	if ((n < 0 ? -n : n) < 1e15 && n == (double)(long long)n) {
		snprintf(s, size, "%lld", (long long)n);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(s, size, "%.*g", prec, n);
		if (strtod(s, NULL) == n)
			return;
	}
}

/* Appends v as text: nothing for a missing value, null, a list or a map. */
static void put_value(struct buf *out, const struct value *v, bool escape)
{
	if (!v)
		return;
	char num[40];
	switch (v->kind) {
	case VALUE_NULL:
	case VALUE_LIST:
	case VALUE_MAP:
		return;
	case VALUE_BOOL:
		buf_puts(out, v->as.boolean ? "true" : "false");
		return;
	case VALUE_NUMBER:
		format_number(v->as.number, num, sizeof num);
		buf_puts(out, num);
		return;
	case VALUE_STRING:
		if (escape)
			buf_put_html(out, v->as.str.ptr, v->as.str.len);
		else
			buf_put(out, v->as.str.ptr, v->as.str.len);
		return;
	}
}

static void put_indent(struct buf *out, const struct indent *ind)
{
	if (!ind)
		return;
	put_indent(out, ind->up);
	buf_put(out, ind->s.ptr, ind->s.len);
}

static bool is_bare_newline(struct span s)
{
	return span_eq(s, "\n") || span_eq(s, "\r\n");
}

/* Returns the template a partial or parent tag names, or NULL. A dynamic
 * name is the tag's data value, a string or a number, and when it resolves
 * to anything else the tag renders nothing, as the spec asks. */
static const struct tmpl *resolve(const struct render *r, const struct tmpl_node *n,
				  const struct scope *sc)
{
	if (!n->dynamic)
		return find_tmpl(r->set, n->ref);
	const struct value *v = lookup(sc->ctx, n->text);
	if (v && v->kind == VALUE_STRING)
		return find_tmpl(r->set, v->as.str.ptr);
	if (v && v->kind == VALUE_NUMBER) {
		char num[40];
		format_number(v->as.number, num, sizeof num);
		return find_tmpl(r->set, num);
	}
	return NULL;
}

/* Reports that n would nest templates deeper than the cap; returns -1. */
static int too_deep(const struct render *r, const struct scope *sc, const struct tmpl_node *n,
		    const char *what, const char *name)
{
	diag_error(r->diags, sc->tmpl->file, n->line, n->col,
		   "%s '%s' nested more than %d levels deep: does a template include itself?",
		   what, name, TMPL_MAX_DEPTH);
	return -1;
}

static int render_list(struct render *r, const struct tmpl_list *list,
		       const struct scope *sc);

/*
 * Counts one step of work (a node rendered or a list item repeated) before
 * it is done, and checks the stop and cancel requests and the step budget. Node n of
 * sc's template is where the budget is reported. Returns 0 to go on, or -1
 * to stop, with an error unless a stop request ended the render.
 */
static int step(struct render *r, const struct tmpl_node *n, const struct scope *sc)
{
	bool cancel = r->cancelled && r->steps % TMPL_CANCEL_EVERY == 0 &&
		      r->cancelled(r->cancel_ctx);
	if ((r->stop && *r->stop) || cancel) {
		r->stopped = true;
		return -1;
	}
	if (++r->steps > r->max_steps) {
		diag_error(r->diags, sc->tmpl->file, n->line, n->col,
			   "rendering one page takes more than %zu steps here: a partial included "
			   "several times by partials that are themselves included several times "
			   "multiplies the work; include it less often", r->max_steps);
		return -1;
	}
	return 0;
}

/* Checks the output size after node n appended to it. Returns 0, or -1
 * after an error at n. */
static int check_size(const struct render *r, const struct tmpl_node *n, const struct scope *sc)
{
	if (r->out->len - r->start <= r->max_output)
		return 0;
	diag_error(r->diags, sc->tmpl->file, n->line, n->col,
		   "a rendered page grows past %zu MiB here: a partial included several times "
		   "by partials that are themselves included several times multiplies the "
		   "output; include it less often", r->max_output >> 20);
	return -1;
}

/* Renders a section's body once for each item of a list, or once with the
 * value on the context stack for any other truthy value. Returns 0, or -1
 * after an error. */
static int render_section(struct render *r, const struct tmpl_node *n,
			  const struct scope *sc)
{
	const struct value *v = lookup(sc->ctx, n->text);
	if (!value_truthy(v))
		return 0;
	struct ctx frame = { v, sc->ctx };
	struct scope inner = *sc;
	inner.ctx = &frame;
	if (v->kind != VALUE_LIST)
		return render_list(r, &n->kids, &inner);
	for (size_t i = 0; i < v->as.list.len; i++) {
		frame.v = v->as.list.items[i];
		if (step(r, n, sc) || render_list(r, &n->kids, &inner))
			return -1;
	}
	return 0;
}

/* Renders a partial or, with its overrides pushed, a parent. A standalone
 * tag passes its indentation on; any other gives the template none, as the
 * spec has it. */
static int render_include(struct render *r, const struct tmpl_node *n,
			  const struct scope *sc)
{
	const struct tmpl *t = resolve(r, n, sc);
	if (!t)
		return 0; /* the spec wants nothing; tmpl_set_check reports it */
	bool parent = n->kind == TMPL_NODE_PARENT;
	if (sc->depth >= TMPL_MAX_DEPTH)
		return too_deep(r, sc, n, parent ? "parent template" : "partial", t->name);
	struct indent ind = { n->indent, sc->indent };
	struct ovr ovr = { n, sc->tmpl, sc->indent, sc->ovr };
	struct scope inner = *sc;
	inner.tmpl = t;
	/* An empty indentation adds nothing to the chain: leaving it out keeps
	 * each line's cost from growing with the nesting. */
	inner.indent = !n->standalone ? NULL : n->indent.len ? &ind : sc->indent;
	inner.depth++;
	if (parent)
		inner.ovr = &ovr;
	return render_list(r, &t->root, &inner);
}

/* Returns the block that overrides block `name`, from the outermost parent
 * tag that has one, since the spec gives top-level substitutions
 * precedence; sets *where to that parent's frame. */
static const struct tmpl_node *find_override(const struct ovr *o, struct span name,
					     const struct ovr **where)
{
	const struct tmpl_node *found = NULL;
	for (; o; o = o->up) {
		for (size_t i = 0; i < o->parent->kids.len; i++) {
			const struct tmpl_node *b = &o->parent->kids.items[i];
			if (b->text.len == name.len && memcmp(b->text.ptr, name.ptr, name.len) == 0) {
				found = b;
				*where = o;
				break;
			}
		}
	}
	return found;
}

/*
 * Renders a block: its overriding content if a parent tag gives one, else
 * its own. The content of a standalone block, dedented when parsed, takes
 * the indentation of the block here; that of an inline block keeps the
 * indentation of the template it was written in.
 */
static int render_block(struct render *r, const struct tmpl_node *n,
			const struct scope *sc)
{
	const struct ovr *where = NULL;
	const struct tmpl_node *o = find_override(sc->ovr, n->text, &where);
	struct indent ind = { n->indent, sc->indent };
	struct scope inner = *sc;
	if (n->standalone && n->indent.len)
		inner.indent = &ind;
	if (!o)
		return render_list(r, &n->kids, &inner);
	/* An override may hold a block of its own name, which would find the
	 * same override again: count it as a level. */
	if (sc->depth >= TMPL_MAX_DEPTH) {
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)n->text.len, n->text.ptr);
		return too_deep(r, sc, n, "block", name);
	}
	inner.depth++;
	inner.tmpl = where->tmpl;
	if (!n->standalone)
		inner.indent = o->standalone ? NULL : where->indent;
	return render_list(r, &o->kids, &inner);
}

/* Renders one node; returns 0, or -1 after an error in diags. */
static int render_node(struct render *r, const struct tmpl_node *n, const struct scope *sc)
{
	if (step(r, n, sc))
		return -1;
	switch (n->kind) {
	case TMPL_NODE_TEXT:
		if (n->bol && sc->indent && !is_bare_newline(n->text))
			put_indent(r->out, sc->indent);
		buf_put(r->out, n->text.ptr, n->text.len);
		return check_size(r, n, sc);
	case TMPL_NODE_VAR:
	case TMPL_NODE_RAW:
		put_value(r->out, lookup(sc->ctx, n->text), n->kind == TMPL_NODE_VAR);
		return check_size(r, n, sc);
	case TMPL_NODE_SECTION:
		return render_section(r, n, sc);
	case TMPL_NODE_INVERTED:
		if (value_truthy(lookup(sc->ctx, n->text)))
			return 0;
		return render_list(r, &n->kids, sc);
	case TMPL_NODE_PARTIAL:
	case TMPL_NODE_PARENT:
		return render_include(r, n, sc);
	case TMPL_NODE_BLOCK:
		return render_block(r, n, sc);
	}
	return 0;
}

static int render_list(struct render *r, const struct tmpl_list *list,
		       const struct scope *sc)
{
	for (size_t i = 0; i < list->len; i++) {
		if (render_node(r, &list->items[i], sc))
			return -1;
	}
	return 0;
}

int tmpl_render_with(const struct tmpl_set *set, const char *name, const struct value *data,
		     const struct tmpl_render_opts *opts, struct buf *out, struct diag_list *diags)
{
	const struct tmpl *t = find_tmpl(set, name);
	if (!t) {
		diag_error(diags, NULL, 0, 0, "template '%s' not found", name);
		return -1;
	}
	struct render r = { .set = set, .out = out, .diags = diags, .start = out->len,
			    .max_output = TMPL_MAX_OUTPUT, .max_steps = TMPL_MAX_STEPS };
	if (opts) {
		if (opts->max_output)
			r.max_output = opts->max_output;
		if (opts->max_steps)
			r.max_steps = opts->max_steps;
		r.stop = opts->stop;
		r.cancelled = opts->cancelled;
		r.cancel_ctx = opts->cancel_ctx;
	}
	struct ctx root = { data, NULL };
	struct scope sc = { .tmpl = t, .ctx = &root };
	if (render_list(&r, &t->root, &sc) == 0)
		return 0;
	buf_truncate(out, r.start);
	return r.stopped ? 1 : -1;
}

int tmpl_render(const struct tmpl_set *set, const char *name, const struct value *data,
		struct buf *out, struct diag_list *diags)
{
	return tmpl_render_with(set, name, data, NULL, out, diags);
}
