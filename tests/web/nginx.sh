#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Publishing as docs/publishing.md says, tested (part of `make check-web`):
# the default site is built, copied with rsync as the guide says (a second
# copy after a one-page edit sends only what changed, and no .sapan-* file),
# and served by a real nginx (Debian's nginx-light) with the repository's
# docs/nginx/sapan.conf on 127.0.0.1 on a free port, as an ordinary
# foreground process with a temporary prefix. curl checks each promise of
# the configuration: status codes, Cache-Control, the redirect of / by
# Accept-Language, the 404 page, pretty URLs, no dot files.
# Installs nginx-light, rsync and curl when missing (needs root).
# Ends with "N passed, N failed".
# Usage: tests/web/nginx.sh BUILD_DIR   (where make built sapan)
build=${1:-build}
case $build in
/*) SAPAN=$build/sapan ;;
*) SAPAN=$(cd "$(dirname "$0")/../.." && pwd)/$build/sapan ;;
esac
# The checks, WORK and the final line, as the end-to-end tests have them.
source "$(dirname "$0")/../e2e/lib.bash"
cd "$ROOT" || exit 1

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v rsync >/dev/null || need+=(rsync)
command -v curl >/dev/null || need+=(curl)
source "$ROOT/tests/web/install.bash"
install_missing "The publishing test needs" "${need[@]}"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

nginx_pid=
cleanup() {
	if [ -n "$nginx_pid" ]; then
		kill "$nginx_pid" 2>/dev/null
		wait "$nginx_pid" 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
# nginx's workers run as an unprivileged user when it starts as root: they
# must be able to read the site.
chmod 755 "$WORK"
umask 022

# ---- build and copy, as docs/publishing.md says -----------------------------
mkdir -p "$WORK/project" "$WORK/www"
cp -r "$ROOT/content" "$ROOT/templates" "$WORK/project/"
publish() { # the guide's command, with --itemize-changes to see what it sent
	rsync -a --delete-after --delay-updates --exclude='.sapan-*' --itemize-changes \
		"$WORK/project/site/" "$WORK/www/site/"
}
(cd "$WORK/project" && "$SAPAN" build --quiet) || fail "the default site builds"
publish >"$WORK/rsync1" 2>&1
check "the first copy succeeds" test $? = 0
check "the site is copied" test -f "$WORK/www/site/en/about/index.html"
check "no .sapan-* file is copied" test -z "$(find "$WORK/www/site" -name '.sapan-*')"
check "the site's other files are all copied" diff -r --exclude='.sapan-*' \
	"$WORK/project/site" "$WORK/www/site"
# A build that changes nothing keeps every file's time, so nothing is sent.
(cd "$WORK/project" && "$SAPAN" build --quiet) || fail "a second build"
publish >"$WORK/rsync2" 2>&1
check "a copy after no change sends nothing" test ! -s "$WORK/rsync2"
cat "$WORK/rsync2"
echo "One more sentence." >>"$WORK/project/content/en/projects/aup-ii.md"
(cd "$WORK/project" && "$SAPAN" build --quiet) || fail "a build after an edit"
publish >"$WORK/rsync3" 2>&1
grep '^[<>]' "$WORK/rsync3" | awk '{print $2}' >"$WORK/sent"
# The search index of the page's language (en/search/) changes with its text.
check "a copy after one edit sends only that page and its language's search index" \
	test "$(grep -v '^en/search/' "$WORK/sent")" = "en/projects/aup-ii/index.html"
cat "$WORK/rsync3"
# A file of the server's own is removed by --delete; a .sapan-* file on the
# server is not (excluded files are left alone).
touch "$WORK/www/site/stray.html" "$WORK/www/site/.sapan-output"
publish >/dev/null 2>&1
check "--delete removes what the site no longer has" test ! -e "$WORK/www/site/stray.html"
rm -f "$WORK/www/site/.sapan-output"
# The dot files the server must not show, even if they were copied.
cp "$WORK/project/site/.sapan-manifest" "$WORK/www/site/"
mkdir -p "$WORK/www/site/.git" && echo secret >"$WORK/www/site/.git/config"
mkdir -p "$WORK/www/site/.well-known" && echo ok >"$WORK/www/site/.well-known/security.txt"
SITE=$WORK/www/site

# ---- nginx with the repository's configuration ------------------------------
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
start_nginx() { # PORT: 0 when nginx serves, 1 when it did not start
	sed -e "s|^\tlisten 80; .*|\tlisten 127.0.0.1:$1;|" \
		-e "s|^\troot /srv/www/site; .*|\troot $SITE;|" \
		"$ROOT/docs/nginx/sapan.conf" >"$WORK/nginx/sapan.conf"
	cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 64; }
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	access_log off;
	client_body_temp_path $WORK/nginx/tmp/body;
	proxy_temp_path $WORK/nginx/tmp/proxy;
	fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
	uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
	scgi_temp_path $WORK/nginx/tmp/scgi;
	include $WORK/nginx/sapan.conf;
}
CONF
	: >"$WORK/nginx/logs/error.log"
	"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' \
		2>>"$WORK/nginx/logs/error.log" &
	nginx_pid=$!
	for _ in $(seq 50); do
		if curl -s -o /dev/null "http://127.0.0.1:$1/"; then return 0; fi
		kill -0 "$nginx_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$nginx_pid" 2>/dev/null
	wait "$nginx_pid" 2>/dev/null
	nginx_pid=
	return 1
}
port=
for _ in $(seq 10); do
	try=$((20000 + RANDOM % 40000))
	if start_nginx "$try"; then port=$try; break; fi
	grep -q 'Address already in use' "$WORK/nginx/logs/error.log" || break
done
if [ -z "$port" ]; then
	echo "FAIL nginx did not start:"
	cat "$WORK/nginx/logs/error.log"
	echo "$passed passed, $((failed + 1)) failed"
	exit 1
fi
URL=http://127.0.0.1:$port
echo "nginx $("$NGINX" -v 2>&1 | sed 's/.*\///') serves $SITE at $URL/"

# fetch PATH [curl options]: the status line and the headers into
# $WORK/head, the body into $WORK/body.
fetch() {
	local path=$1
	shift
	curl -s -o "$WORK/body" -D "$WORK/head" "$@" "$URL$path"
	tr -d '\r' <"$WORK/head" >"$WORK/head.lf" && mv "$WORK/head.lf" "$WORK/head"
}
status() { head -n 1 "$WORK/head" | awk '{print $2}'; }
header() { grep -i "^$1:" "$WORK/head" | head -n 1 | sed 's/^[^:]*: *//'; }
expect() { # NAME PATH STATUS [curl options]
	local name=$1 path=$2 want=$3
	shift 3
	fetch "$path" "$@"
	if [ "$(status)" = "$want" ]; then pass; else
		fail "$name: GET $path gave $(status), not $want"
	fi
}

# Pages, pretty URLs.
expect "a page" /en/about/ 200
check "a page is the built page" cmp "$WORK/body" "$SITE/en/about/index.html"
check "HTML says UTF-8" test "$(header Content-Type)" = "text/html; charset=utf-8"
check "HTML is revalidated" test "$(header Cache-Control)" = "no-cache"
check "HTML has a validator" test -n "$(header Last-Modified)$(header ETag)"
expect "a page without its slash" /en/about 301
check "redirects to the slash" test "$(header Location)" = "/en/about/"
expect "a Thai page" /th/projects/aup-ii/ 200
check "a Thai page is the built page" cmp "$WORK/body" "$SITE/th/projects/aup-ii/index.html"
lm=$(header Last-Modified)
expect "an unchanged page: 304" /th/projects/aup-ii/ 304 -H "If-Modified-Since: $lm"

# The stylesheet: hashed name, kept a year.
css=$(cd "$SITE" && ls assets/style.*.css)
expect "the stylesheet" "/$css" 200
check "the stylesheet is CSS in UTF-8" test "$(header Content-Type)" = "text/css; charset=utf-8"
check "the stylesheet is kept a year, immutable" \
	test "$(header Cache-Control)" = "public, max-age=31536000, immutable"
for f in "$SITE"/media/*; do
	expect "a media file" "/media/$(basename "$f")" 200
	check "a media file is revalidated" test "$(header Cache-Control)" = "no-cache"
	break
done

# 404: the site's page, with the status.
expect "a missing page" /en/no-such-page/ 404
check "the 404 body is the site's 404 page" cmp "$WORK/body" "$SITE/404.html"
check "the 404 is HTML" test "$(header Content-Type)" = "text/html; charset=utf-8"
expect "a missing file deep down" /th/a/b/c.pdf 404
check "the 404 body deep down" cmp "$WORK/body" "$SITE/404.html"
expect "404.html itself is not a page" /404.html 404

# Dot files.
for path in /.sapan-manifest /.git/config /en/.sapan-output /.git/; do
	expect "a dot file" "$path" 404
	check "a dot file gets the 404 page: $path" cmp "$WORK/body" "$SITE/404.html"
done
expect ".well-known stays" /.well-known/security.txt 200

# The root: by Accept-Language, else the page to choose a language.
root_lang() { # NAME ACCEPT-LANGUAGE WANT ("" for the root page)
	if [ -n "$2" ]; then fetch / -H "Accept-Language: $2"; else fetch /; fi
	if [ -n "$3" ]; then
		if [ "$(status)" = 302 ] && [ "$(header Location)" = "/$3/" ]; then pass; else
			fail "$1: Accept-Language '$2' gave $(status) $(header Location), not 302 /$3/"
		fi
	elif [ "$(status)" = 200 ] && cmp -s "$WORK/body" "$SITE/index.html"; then pass; else
		fail "$1: Accept-Language '$2' gave $(status), not the root page"
	fi
	check "$1: Vary: Accept-Language" test "$(header Vary)" = "Accept-Language"
	check "$1: the root is revalidated" test "$(header Cache-Control)" = "no-cache"
}
root_lang "Thai" "th" th
root_lang "Thai first" "th-TH,th;q=0.9,en-US;q=0.8,en;q=0.7" th
root_lang "Thai in capitals" "TH-th" th
root_lang "English" "en" en
root_lang "English first" "en-GB,en;q=0.9,th;q=0.8" en
root_lang "English, Thai later" "en-US, th;q=0.5" en
root_lang "another language, then Thai" "fr-FR,fr;q=0.9,th;q=0.5" th
root_lang "another language, then English" "de-DE,de;q=0.9,en;q=0.5" en
root_lang "Thai refused" "th;q=0, en;q=0.5" en
root_lang "no header" "" ""
root_lang "other languages only" "fr-FR,fr;q=0.9,de;q=0.8" ""
root_lang "a tag that only starts like th" "thx, ent" ""
root_lang "anything" "*" ""
expect "the language home pages" /th/ 200
check "the Thai home page" cmp "$WORK/body" "$SITE/th/index.html"
expect "/index.html" /index.html 200

check "nginx logged no error" test ! -s "$WORK/nginx/logs/error.log"
cat "$WORK/nginx/logs/error.log"
finish
