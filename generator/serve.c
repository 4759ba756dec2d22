/* SPDX-License-Identifier: MIT */
/* serve: the preview server, with libmicrohttpd (serve.h). */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hmap.h"
#include "output.h"
#include "platform.h"
#include "util.h"
#include "watch.h"

/* After a change, a build waits for this long without another one
 * (editors save in several steps: a temporary file, a rename, a chmod)... */
#define SERVE_QUIET_MS 100
/* ... but never longer than this after the first, so that a program that
 * writes all the time still gets its pages rebuilt. */
#define SERVE_MAX_WAIT_MS 1000
/* A listener with nothing to hear gets a comment this often, which keeps
 * its connection within SERVE_TIMEOUT_S and shows a closed one. */
#define SERVE_KEEPALIVE_S 10
/* An HTML file larger than this is served as it is, without the script:
 * no page the build makes comes near it. */
#define SERVE_MAX_HTML ((off_t)64 << 20)
/* The names of the files in the site that are sapan's bookkeeping. */
#define SERVE_HIDDEN_PREFIX ".sapan-"
#define SERVE_EVENTS "/_sapan/events"
/* A build that changed more files than this is announced as "reload
 * everything": every page would reload anyway (a template changed), and
 * each listener is spared a list of the whole site. */
#define SERVE_MAX_EVENT_PATHS 1000

/* The state HTTP threads read and the build thread changes. */
struct server {
	const struct serve_options *opts;
	char *dir;    /* the site in the private folder */
	atomic_int root; /* the site folder, once a build made it; -1 before */
	pthread_mutex_t mutex; /* guards everything below */
	pthread_cond_t changed;
	unsigned long generation; /* counts builds */
	struct buf event;         /* the last build's event, as sent */
	struct buf failed;        /* the last build's diagnostics, HTML-escaped; "" if it succeeded */
	bool stopping;
	/* While the first build runs: the files it has staged (rel -> their
	 * path in its staging folder), so that a page is served as soon as it
	 * is whole; staged_cond is signalled for each and at the build's end. */
	bool first_building;
	struct hmap staged;
	pthread_cond_t staged_cond;
	unsigned listeners;
	struct buf paths;  /* during a build: the changed files, as event data lines */
	size_t npaths;     /* ... how many */
	/* Only the building thread's: the model kept between builds, and the
	 * files the watch saw change since the last build (build_options). */
	struct build_session *session;
	struct buf edited;
	size_t nedited;
	bool edited_known;
};

/* ---- Reading the site ---------------------------------------------- */

/* Opens rel below root without following any symbolic link and without
 * leaving root: openat2 where the kernel has it (5.6), else one component
 * at a time with O_NOFOLLOW (rel has no "." or ".." component). */
static int open_beneath(int root, const char *rel)
{
	int fd = platform_open_beneath(root, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
	if (fd >= 0 || errno != ENOSYS)
		return fd;
	int dir = dup(root);
	char *copy = xstrdup(rel);
	char *save = NULL;
	for (char *name = strtok_r(copy, "/", &save); name && dir >= 0;) {
		char *next = strtok_r(NULL, "/", &save);
		int next_fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		close(dir);
		dir = next_fd;
		name = next;
	}
	free(copy);
	return dir;
}

/*
 * Decodes the percent escapes of an URL's path into out. Returns 0, or -1
 * for a path sapan never makes and that could leave the site: a bad
 * escape, an encoded NUL, a "." or ".." component, an empty one, or one
 * of sapan's hidden names.
 */
static int decode_path(const char *url, struct buf *out)
{
	if (url[0] != '/')
		return -1;
	for (const char *c = url + 1; *c; c++) {
		if (*c != '%') {
			buf_putc(out, *c);
			continue;
		}
		int v = 0;
		for (int k = 1; k <= 2; k++) {
			char h = c[k];
			int d = h >= '0' && h <= '9' ? h - '0'
				: h >= 'a' && h <= 'f' ? h - 'a' + 10
				: h >= 'A' && h <= 'F' ? h - 'A' + 10
						       : -1;
			if (d < 0)
				return -1;
			v = v * 16 + d;
		}
		if (v == 0)
			return -1;
		buf_putc(out, (char)v);
		c += 2;
	}
	/* Every component: not empty (but the last), not "." or "..". */
	const char *p = out->ptr;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if ((n == 0 && slash) || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.') ||
		    strncmp(p, SERVE_HIDDEN_PREFIX, strlen(SERVE_HIDDEN_PREFIX)) == 0)
			return -1;
		p += n + (slash ? 1 : 0);
	}
	return 0;
}

static const char *mime_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ "html", "text/html; charset=utf-8" },
		{ "htm", "text/html; charset=utf-8" },
		{ "css", "text/css; charset=utf-8" },
		{ "js", "text/javascript; charset=utf-8" },
		{ "mjs", "text/javascript; charset=utf-8" },
		{ "json", "application/json" },
		{ "xml", "application/xml" },
		{ "txt", "text/plain; charset=utf-8" },
		{ "md", "text/markdown; charset=utf-8" },
		{ "svg", "image/svg+xml" },
		{ "png", "image/png" },
		{ "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" },
		{ "gif", "image/gif" },
		{ "webp", "image/webp" },
		{ "avif", "image/avif" },
		{ "ico", "image/vnd.microsoft.icon" },
		{ "pdf", "application/pdf" },
		{ "woff", "font/woff" },
		{ "woff2", "font/woff2" },
		{ "ttf", "font/ttf" },
		{ "otf", "font/otf" },
		{ "mp3", "audio/mpeg" },
		{ "ogg", "audio/ogg" },
		{ "mp4", "video/mp4" },
		{ "webm", "video/webm" },
		{ "zip", "application/zip" },
		{ "csv", "text/csv; charset=utf-8" },
	};
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	if (dot) {
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0)
				return types[i].type;
	}
	return "application/octet-stream";
}

/* The script every HTML response gets: it listens for builds, reloads the
 * page when its own file (or a stylesheet, or everything: "*") changed,
 * and shows a failed build's diagnostics (sent as lines of text, set with
 * textContent) over the page, with a heading in the page's language. */
static const char reload_script[] =
	"<script>/* added by sapan serve; not in the built site */\n"
	"(function(){\n"
	"var T={en:'The site did not build',th:'\\u0e2a\\u0e23\\u0e49\\u0e32\\u0e07"
	"\\u0e40\\u0e27\\u0e47\\u0e1a\\u0e44\\u0e0b\\u0e15\\u0e4c\\u0e44\\u0e21\\u0e48"
	"\\u0e2a\\u0e33\\u0e40\\u0e23\\u0e47\\u0e08'};\n"
	"function here(){var p=location.pathname;try{p=decodeURIComponent(p)}catch(e){}"
	"return p.slice(-1)=='/'?p+'index.html':p}\n"
	"function clear(){var o=document.getElementById('sapan-overlay');if(o)o.remove()}\n"
	"function show(text){clear();var l=(document.documentElement.lang||'en').slice(0,2);"
	"var d=document.createElement('div');d.id='sapan-overlay';d.setAttribute('role','alert');"
	"d.style.cssText='position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:1.5em;"
	"background:#fff;color:#900;font:14px/1.5 monospace;white-space:pre-wrap';"
	"var h=document.createElement('h2');h.textContent=T[l]||T.en;"
	"var p=document.createElement('pre');p.textContent=text;"
	"d.appendChild(h);d.appendChild(p);document.body.appendChild(d)}\n"
	"var f=document.getElementById('sapan-failed');if(f)show(f.textContent);\n"
	"var es=new EventSource('" SERVE_EVENTS "');\n"
	"es.addEventListener('reload',function(e){var ps=e.data.split('\\n'),p=here();"
	"for(var i=0;i<ps.length;i++){var q=ps[i];"
	"if(q=='*'||q==p||/\\.css$/.test(q)){location.reload();return}}clear()});\n"
	"es.addEventListener('failed',function(e){show(e.data)});\n"
	"})();</script>\n";

/* Finds the last "</body" (any case) in html, or returns len. */
static size_t body_end(const char *html, size_t len)
{
	for (size_t i = len; i >= 6; i--) {
		if (html[i - 6] == '<' && html[i - 5] == '/' && strncasecmp(html + i - 4, "body", 4) == 0)
			return i - 6;
	}
	return len;
}

/* The HTML file at fd (size bytes) with the script and, after a failed
 * build, its diagnostics, added before </body>. Returns 0 or -1. */
static int html_with_script(struct server *s, int fd, size_t size, struct buf *out)
{
	struct buf file = BUF_INIT;
	char chunk[65536];
	size_t got = 0;
	while (got < size) {
		ssize_t n = pread(fd, chunk, sizeof chunk, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_put(&file, chunk, (size_t)n);
		got += (size_t)n;
	}
	if (got != size) {
		buf_free(&file);
		return -1;
	}
	size_t at = body_end(file.ptr, file.len);
	buf_put(out, file.ptr, at);
	pthread_mutex_lock(&s->mutex);
	if (s->failed.len) {
		BUF_PUTL(out, "<pre id=\"sapan-failed\" hidden>");
		buf_put(out, s->failed.ptr, s->failed.len);
		BUF_PUTL(out, "</pre>\n");
	}
	pthread_mutex_unlock(&s->mutex);
	BUF_PUTL(out, reload_script);
	buf_put(out, file.ptr + at, file.len - at);
	buf_free(&file);
	return 0;
}

/* ---- Responses ----------------------------------------------------- */

static enum MHD_Result send_response(struct MHD_Connection *c, unsigned status,
				     struct MHD_Response *r, const char *type)
{
	if (!r)
		return MHD_NO;
	if (type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	/* A preview is never to be cached: the next build changes it. */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	return send_response(c, status, r, "text/plain; charset=utf-8");
}

/* Sends the open file fd (owned: closed in every case) with status. */
static enum MHD_Result send_file(struct server *s, struct MHD_Connection *c, unsigned status,
				 int fd, const struct stat *st, const char *name)
{
	const char *type = mime_type(name);
	if (strncmp(type, "text/html", 9) == 0 && st->st_size <= SERVE_MAX_HTML) {
		struct buf html = BUF_INIT;
		int rc = html_with_script(s, fd, (size_t)st->st_size, &html);
		close(fd);
		if (rc) {
			buf_free(&html);
			return send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot read the file\n");
		}
		size_t len = html.len;
		struct MHD_Response *r = MHD_create_response_from_buffer(
			len, buf_detach(&html), MHD_RESPMEM_MUST_FREE);
		return send_response(c, status, r, type);
	}
	struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st->st_size, fd);
	if (!r)
		close(fd);
	return send_response(c, status, r, type);
}

static enum MHD_Result send_not_found(struct server *s, struct MHD_Connection *c)
{
	int fd = s->root >= 0 ? open_beneath(s->root, "404.html") : -1;
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		return send_file(s, c, MHD_HTTP_NOT_FOUND, fd, &st, "404.html");
	if (fd >= 0)
		close(fd);
	return send_text(c, MHD_HTTP_NOT_FOUND, "Not found\n");
}

/* Before the first build succeeded: a page that shows its diagnostics
 * and reloads once a build succeeds. */
static enum MHD_Result send_no_site(struct server *s, struct MHD_Connection *c)
{
	struct buf html = BUF_INIT;
	BUF_PUTL(&html, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			"<title>sapan serve</title></head><body>\n");
	pthread_mutex_lock(&s->mutex);
	BUF_PUTL(&html, "<pre id=\"sapan-failed\" hidden>");
	buf_put(&html, s->failed.ptr, s->failed.len);
	BUF_PUTL(&html, "</pre>\n");
	pthread_mutex_unlock(&s->mutex);
	BUF_PUTL(&html, reload_script);
	BUF_PUTL(&html, "</body></html>\n");
	size_t len = html.len;
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, buf_detach(&html), MHD_RESPMEM_MUST_FREE);
	return send_response(c, MHD_HTTP_SERVICE_UNAVAILABLE, r, "text/html; charset=utf-8");
}

/* ---- Server-Sent Events -------------------------------------------- */

struct listener {
	struct server *s;
	unsigned long seen; /* the generation of the last event sent */
	struct buf pending;
	size_t sent;
};

/* libmicrohttpd's content reader, on the connection's own thread: waits
 * for the next build (or the keep-alive interval) and sends its event. A
 * listener that missed builds gets "reload everything". */
static ssize_t listener_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct listener *l = cls;
	struct server *s = l->s;
	if (l->sent == l->pending.len) {
		buf_truncate(&l->pending, 0);
		l->sent = 0;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += SERVE_KEEPALIVE_S;
		pthread_mutex_lock(&s->mutex);
		int rc = 0;
		while (!s->stopping && s->generation == l->seen && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&s->changed, &s->mutex, &until);
		if (s->stopping) {
			pthread_mutex_unlock(&s->mutex);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		if (s->generation == l->seen)
			BUF_PUTL(&l->pending, ": keep-alive\n\n");
		else if (s->generation == l->seen + 1 || s->failed.len)
			buf_put(&l->pending, s->event.ptr, s->event.len);
		else
			BUF_PUTL(&l->pending, "event: reload\ndata: *\n\n");
		l->seen = s->generation;
		pthread_mutex_unlock(&s->mutex);
	}
	size_t n = l->pending.len - l->sent;
	if (n > max)
		n = max;
	memcpy(out, l->pending.ptr + l->sent, n);
	l->sent += n;
	return (ssize_t)n;
}

static void listener_free(void *cls)
{
	struct listener *l = cls;
	pthread_mutex_lock(&l->s->mutex);
	l->s->listeners--;
	pthread_mutex_unlock(&l->s->mutex);
	buf_free(&l->pending);
	free(l);
}

static enum MHD_Result send_events(struct server *s, struct MHD_Connection *c)
{
	pthread_mutex_lock(&s->mutex);
	bool full = s->listeners >= SERVE_MAX_LISTENERS;
	if (!full)
		s->listeners++;
	unsigned long generation = s->generation;
	pthread_mutex_unlock(&s->mutex);
	if (full)
		return send_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "too many pages listening\n");
	struct listener *l = xcalloc(1, sizeof *l);
	l->s = s;
	l->seen = generation;
	buf_init(&l->pending);
	/* The browser's EventSource reconnects after this many ms. */
	BUF_PUTL(&l->pending, "retry: 1000\n\n");
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024,
								  listener_read, l, listener_free);
	if (!r) {
		listener_free(l);
		return MHD_NO;
	}
	return send_response(c, MHD_HTTP_OK, r, "text/event-stream");
}

/* ---- Requests ------------------------------------------------------ */

/* A folder asked for without its final slash: sent to it, so that the
 * page's relative links resolve. */
static enum MHD_Result send_to_folder(struct MHD_Connection *c, const char *url)
{
	char *to = xasprintf("%s/", url);
	struct MHD_Response *r =
		MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, to);
	free(to);
	return send_response(c, MHD_HTTP_MOVED_PERMANENTLY, r, NULL);
}

static void forget_staged(struct server *s)
{
	for (size_t i = 0; i < s->staged.cap; i++)
		if (s->staged.slots[i].key)
			free(s->staged.slots[i].value);
	hmap_free(&s->staged);
}

/* build_options.staged for the first build: a file is whole. */
static void note_staged(void *ctx, const char *rel, const char *path)
{
	struct server *s = ctx;
	pthread_mutex_lock(&s->mutex);
	free(hmap_put(&s->staged, rel, xstrdup(path)));
	pthread_cond_broadcast(&s->staged_cond);
	pthread_mutex_unlock(&s->mutex);
}

/*
 * While the first build runs: path (decoded, below the site) is served
 * from the build's staging folder once the build has made it whole (the
 * home pages are among the first files), and a request for a file not
 * made yet waits for it or for the build's end. Returns false, having
 * sent nothing, when the build ended first: the request is then answered
 * from the site as usual.
 */
static bool send_staged(struct server *s, struct MHD_Connection *c, const char *url,
			const struct buf *path, enum MHD_Result *ret)
{
	bool folder = path->len == 0 || path->ptr[path->len - 1] == '/';
	char *want = xasprintf("%s%s", path->ptr, folder ? "index.html" : "");
	char *as_folder = folder ? NULL : xasprintf("%s/index.html", path->ptr);
	char *file = NULL;
	bool redirect = false;
	pthread_mutex_lock(&s->mutex);
	while (s->first_building && !file && !redirect) {
		const char *staged = hmap_get(&s->staged, want);
		if (staged)
			file = xstrdup(staged);
		else if (as_folder && hmap_get(&s->staged, as_folder))
			redirect = true;
		else
			pthread_cond_wait(&s->staged_cond, &s->mutex);
	}
	pthread_mutex_unlock(&s->mutex);
	bool sent = false;
	if (redirect) {
		*ret = send_to_folder(c, url);
		sent = true;
	} else if (file) {
		/* The commit may have moved it since: then the site has it. */
		int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		struct stat st;
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
			*ret = send_file(s, c, MHD_HTTP_OK, fd, &st, want);
			sent = true;
		} else if (fd >= 0) {
			close(fd);
		}
	}
	if (!sent) { /* wait for the build's end, then answer from the site */
		pthread_mutex_lock(&s->mutex);
		while (s->first_building)
			pthread_cond_wait(&s->staged_cond, &s->mutex);
		pthread_mutex_unlock(&s->mutex);
	}
	free(file);
	free(as_folder);
	free(want);
	return sent;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	(void)version, (void)upload_data, (void)req_cls;
	struct server *s = cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		*upload_data_size = 0; /* a body is not read */
		struct MHD_Response *r = MHD_create_response_from_buffer(
			sizeof "Method not allowed\n" - 1, (void *)"Method not allowed\n",
			MHD_RESPMEM_PERSISTENT);
		if (r)
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return send_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r, "text/plain; charset=utf-8");
	}
	if (strcmp(url, SERVE_EVENTS) == 0)
		return send_events(s, c);
	struct buf path = BUF_INIT;
	if (decode_path(url, &path)) {
		buf_free(&path);
		return send_text(c, MHD_HTTP_BAD_REQUEST, "Bad request\n");
	}
	enum MHD_Result staged;
	if (s->root < 0 && send_staged(s, c, url, &path, &staged)) {
		buf_free(&path);
		return staged;
	}
	if (s->root < 0) {
		buf_free(&path);
		return send_no_site(s, c);
	}
	int fd = path.len ? open_beneath(s->root, path.ptr) : dup(s->root);
	struct stat st;
	enum MHD_Result ret;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (path.len && path.ptr[path.len - 1] != '/') {
			close(fd);
			buf_free(&path);
			return send_to_folder(c, url);
		}
		int page = openat(fd, "index.html", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		close(fd);
		fd = page;
		BUF_PUTL(&path, "index.html");
		if (fd >= 0 && fstat(fd, &st) != 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0 && S_ISREG(st.st_mode))
		ret = send_file(s, c, MHD_HTTP_OK, fd, &st, path.ptr);
	else {
		if (fd >= 0)
			close(fd);
		ret = send_not_found(s, c);
	}
	buf_free(&path);
	return ret;
}

/* The URL as received: its escapes are decoded by decode_path, which
 * refuses what libmicrohttpd's own decoding would let through (%00). */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *uri)
{
	(void)cls, (void)c;
	return strlen(uri);
}

/* ---- Builds -------------------------------------------------------- */

static void note_change(void *ctx, const char *rel, bool deleted)
{
	(void)deleted;
	struct server *s = ctx;
	if (++s->npaths > SERVE_MAX_EVENT_PATHS)
		return;
	BUF_PUTL(&s->paths, "data: /");
	buf_puts(&s->paths, rel);
	buf_putc(&s->paths, '\n');
}

/* Appends text to an event's data lines: a line break in a message would
 * end the event early. */
static void put_data(struct buf *event, const char *text)
{
	BUF_PUTL(event, "data: ");
	for (const char *c = text; *c; c++)
		buf_putc(event, *c == '\n' || *c == '\r' ? ' ' : *c);
	buf_putc(event, '\n');
}

/*
 * The one place serve builds: into the private folder, with its own cache,
 * noting the files that changed. Then tells the listeners.
 */
static int rebuild(struct server *s)
{
	struct build_options bo = s->opts->build;
	bo.output_dir = s->dir;
	bo.cache = true;
	bo.changed = note_change;
	bo.changed_ctx = s;
	bo.session = s->session;
	bo.edited = s->edited_known ? s->edited.ptr : NULL;
	bo.nedited = s->edited_known ? s->nedited : 0;
	struct build_stats stats;
	struct diag_list diags;
	diag_list_init(&diags);
	buf_truncate(&s->paths, 0);
	s->npaths = 0;
	/* Pages opened before the first good build show no page of the site. */
	bool first = s->root < 0;
	if (first) {
		bo.staged = note_staged;
		bo.staged_ctx = s;
		pthread_mutex_lock(&s->mutex);
		s->first_building = true;
		pthread_mutex_unlock(&s->mutex);
	}
	int rc = build_run(&bo, &stats, &diags);
	if (s->opts->built)
		s->opts->built(s->opts->ctx, rc, &stats, &diags);
	if (rc == 0 && s->root < 0)
		s->root = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (first) { /* what waits for a staged file now reads the site */
		pthread_mutex_lock(&s->mutex);
		s->first_building = false;
		forget_staged(s);
		pthread_cond_broadcast(&s->staged_cond);
		pthread_mutex_unlock(&s->mutex);
	}
	bool stopped = bo.interrupted && atomic_load(bo.interrupted);
	if (!stopped) {
		pthread_mutex_lock(&s->mutex);
		buf_truncate(&s->event, 0);
		buf_truncate(&s->failed, 0);
		if (rc == 0) {
			BUF_PUTL(&s->event, "event: reload\n");
			if (first || s->npaths > SERVE_MAX_EVENT_PATHS)
				BUF_PUTL(&s->event, "data: *\n");
			else if (s->paths.len)
				buf_put(&s->event, s->paths.ptr, s->paths.len);
			else
				BUF_PUTL(&s->event, "data:\n");
		} else {
			BUF_PUTL(&s->event, "event: failed\n");
			diag_list_sort(&diags);
			struct buf line = BUF_INIT;
			for (size_t i = 0; i < diags.len; i++) {
				if (diags.items[i].severity == DIAG_NOTE)
					continue;
				buf_truncate(&line, 0);
				diag_format(&diags.items[i], &line);
				put_data(&s->event, line.ptr);
				buf_put_html(&s->failed, line.ptr, line.len);
				buf_putc(&s->failed, '\n');
			}
			buf_free(&line);
			if (!s->failed.len)
				BUF_PUTL(&s->failed, "?\n");
		}
		buf_putc(&s->event, '\n');
		s->generation++;
		pthread_cond_broadcast(&s->changed);
		pthread_mutex_unlock(&s->mutex);
	}
	diag_list_free(&diags);
	/* Only now, with the edited page shown: the search index a quick
	 * build left behind. Its files need no reload of any page. */
	bo.changed = NULL;
	diag_list_init(&diags);
	if (rc == 0 && !stopped && build_session_write_search(s->session, &bo, &diags) != 0 &&
	    s->opts->built)
		s->opts->built(s->opts->ctx, -1, &stats, &diags);
	diag_list_free(&diags);
	return rc;
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static bool stop_asked(const struct serve_options *o)
{
	return o->build.interrupted && atomic_load(o->build.interrupted);
}

/* Waits for a change, then for SERVE_QUIET_MS without one (at most
 * SERVE_MAX_WAIT_MS). Returns 1 for a change, 0 when asked to stop. */
static int wait_for_change(struct server *s, struct watch *w)
{
	struct pollfd p = { .fd = watch_fd(w), .events = POLLIN };
	long first = -1, last = 0;
	for (;;) {
		if (stop_asked(s->opts))
			return 0;
		int timeout = 200;
		if (first >= 0) {
			long t = now_ms();
			long quiet = last + SERVE_QUIET_MS - t, cap = first + SERVE_MAX_WAIT_MS - t;
			long left = quiet < cap ? quiet : cap;
			if (left <= 0)
				return 1;
			timeout = (int)left;
		}
		int n = poll(&p, 1, timeout);
		if (n > 0 && watch_read(w) > 0) {
			last = now_ms();
			if (first < 0)
				first = last;
		}
	}
}

/* A socket bound to address:port, not yet listening: a wrong address or a
 * port in use is reported before anything else is made. Returns it, or -1
 * with an error. */
static int bind_socket(const struct serve_options *o, struct diag_list *diags)
{
	struct sockaddr_storage sa;
	memset(&sa, 0, sizeof sa);
	socklen_t len;
	struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)&sa;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)&sa;
	if (inet_pton(AF_INET, o->address, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)o->port);
		len = sizeof *v4;
	} else if (inet_pton(AF_INET6, o->address, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)o->port);
		len = sizeof *v6;
	} else {
		diag_error(diags, o->address, 0, 0, "not a numeric IPv4 or IPv6 address");
		return -1;
	}
	int fd = platform_socket(sa.ss_family);
	int on = 1;
	char why[ERRNO_TEXT_MAX];
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, len) != 0) {
		int err = errno;
		diag_error(diags, o->address, 0, 0, "cannot listen on port %u: %s%s", o->port,
			   errno_text(err, why),
			   err == EADDRINUSE ? "; choose another with --port" : "");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static struct MHD_Daemon *start_daemon(struct server *s, int sock, struct diag_list *diags)
{
	char why[ERRNO_TEXT_MAX];
	if (listen(sock, 128) != 0) {
		diag_error(diags, s->opts->address, 0, 0, "cannot listen: %s",
			   errno_text(errno, why));
		return NULL;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
		0, NULL, NULL, on_request, s, MHD_OPTION_LISTEN_SOCKET, sock,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_MAX_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_TIMEOUT_S,
		MHD_OPTION_THREAD_STACK_SIZE, (size_t)(256 << 10),
		MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL, MHD_OPTION_END);
	if (!d)
		diag_error(diags, s->opts->address, 0, 0, "cannot start the HTTP server");
	return d;
}

int serve_run(const struct serve_options *o, struct diag_list *diags)
{
	const char *tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	int sock = bind_socket(o, diags);
	if (sock < 0)
		return -1;
	/* A server killed outright cannot remove its folder; the next does. */
	output_remove_leftovers(tmpdir, "sapan-serve-");
	char *prefix = xasprintf("%s/sapan-serve-", tmpdir);
	int lock;
	char *tmp = output_make_folder(prefix, &lock);
	free(prefix);
	if (!tmp) {
		char why[ERRNO_TEXT_MAX];
		diag_error(diags, tmpdir, 0, 0, "cannot create a temporary folder: %s",
			   errno_text(errno, why));
		close(sock);
		return -1;
	}
	struct server s = { .opts = o, .root = -1 };
	s.dir = xasprintf("%s/site", tmp);
	pthread_mutex_init(&s.mutex, NULL);
	pthread_cond_init(&s.changed, NULL);
	pthread_cond_init(&s.staged_cond, NULL);
	hmap_init(&s.staged);
	buf_init(&s.event);
	buf_init(&s.failed);
	buf_init(&s.paths);
	buf_init(&s.edited);
	s.session = build_session_new();
	/* Watching starts before the first build: a save during it counts. */
	const char *dirs[] = { o->build.content_dir, o->build.templates_dir };
	struct watch *w = watch_open(dirs, 2, diags);
	struct MHD_Daemon *d = NULL;
	int rc = -1;
	/* Listening before the first build: its pages are served as they are
	 * made (send_staged). */
	if (w)
		d = start_daemon(&s, sock, diags);
	if (d) {
		sock = -1; /* libmicrohttpd's now: MHD_stop_daemon closes it */
		rc = 0;
		char host[64];
		snprintf(host, sizeof host, strchr(o->address, ':') ? "[%s]" : "%s", o->address);
		char *url = xasprintf("http://%s:%u/", host, o->port);
		if (o->listening)
			o->listening(o->ctx, url);
		free(url);
		rebuild(&s);
		while (!stop_asked(o) && wait_for_change(&s, w)) {
			size_t n;
			const char *changes = watch_changes(w, &n);
			buf_truncate(&s.edited, 0);
			s.edited_known = changes != NULL;
			s.nedited = n;
			for (size_t i = 0, at = 0; changes && i < n; i++) {
				size_t len = strlen(changes + at) + 1;
				buf_put(&s.edited, changes + at, len);
				at += len;
			}
			watch_forget(w);
			rebuild(&s);
		}
		pthread_mutex_lock(&s.mutex);
		s.stopping = true;
		pthread_cond_broadcast(&s.changed);
		pthread_mutex_unlock(&s.mutex);
		MHD_stop_daemon(d);
	} else if (w && stop_asked(o)) {
		rc = 0;
	}
	if (sock >= 0)
		close(sock);
	watch_close(w);
	if (s.root >= 0)
		close(s.root);
	output_remove_tree(tmp);
	output_unlock(lock);
	free(tmp);
	free(s.dir);
	buf_free(&s.event);
	buf_free(&s.failed);
	buf_free(&s.paths);
	buf_free(&s.edited);
	build_session_free(s.session);
	forget_staged(&s);
	pthread_cond_destroy(&s.staged_cond);
	pthread_cond_destroy(&s.changed);
	pthread_mutex_destroy(&s.mutex);
	return rc;
}

bool serve_is_address(const char *text)
{
	unsigned char addr[sizeof(struct in6_addr)];
	return inet_pton(AF_INET, text, addr) == 1 || inet_pton(AF_INET6, text, addr) == 1;
}

int serve_lan_address(char *out, size_t size)
{
	return platform_lan_address(out, size);
}
