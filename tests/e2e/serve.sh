#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sapan serve on a free loopback port: pages with their types, the 404
# page, redirects, HEAD and 405, traversal refused, a change visible at
# once, reload and failure events, the last good site kept, a load of 200
# connections while 20 rebuilds run, --lan's address and QR code (never
# connected to), and Ctrl-C: exit 130, no folder, no process left.
# Requests go to 127.0.0.1 only.
source "$(dirname "$0")/lib.bash"
serve_project
# Under AddressSanitizer, freed memory is held back (256 MB by default),
# which would hide whether the server's own memory stays bounded.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8
# until SECONDS COMMAND...: runs the command every 50 ms until it succeeds.
until_ok() {
	local limit=$(($1 * 20 * scale))
	shift
	for _ in $(seq "$limit"); do "$@" 2>/dev/null && return 0; sleep 0.05; done
	return 1
}
port=$(free_port)
URL=http://127.0.0.1:$port
SAPAN_TEST_RENDER_COUNTS=1 "$SAPAN" serve --port "$port" >out 2>err &
pid=$!
check "the server prints its address" until_ok 20 grep -qF "Serving the site at $URL/" out
private=$(ls -d "$TMPDIR"/sapan-serve-*/site)
check "the site is built into a private folder" until_ok 20 test -f "$private/en/index.html"
until_ok 20 grep -q '^rendered:' err
check "site/ is not made" test ! -e site

# status URL [curl options]: the status code of a request.
status() { curl -s -o /dev/null -w '%{http_code}' "${@:2}" "$URL$1"; }
fetch() { curl -s -D head -o body "${@:2}" "$URL$1"; }

fetch /en/
check "a page is served" grep -q '^HTTP/1.1 200' head
check "HTML is served as UTF-8" grep -qi '^Content-Type: text/html; charset=utf-8' head
check "the page is whole" contains body '</html>'
check "the page gets the reload script" contains body '/_sapan/events'
check "the built file has no script" lacks "$private/en/index.html" '_sapan'
"$SAPAN" build --quiet --output "$WORK/ref" 2>/dev/null
check "the built files are those of sapan build" diff -r -x .sapan-manifest "$WORK/ref" "$private"
css=$(cd "$private" && ls assets/*.css style*.css 2>/dev/null | head -1)
fetch "/$css"
check "a stylesheet is served as UTF-8 CSS" grep -qi '^Content-Type: text/css; charset=utf-8' head
check "a stylesheet is served as it is" cmp body "$private/$css"
fetch /sitemap.xml
check "the sitemap is XML" grep -qi '^Content-Type: application/xml' head
printf '%%PDF-1.4\n' >content/en/doc.pdf
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >content/en/pic.svg
check "a PDF is built" until_ok 3 test -f "$private/en/doc.pdf"
check "a PDF is served as one" test "$(curl -s -o /dev/null -w '%{content_type}' "$URL/en/doc.pdf")" = application/pdf
check "an SVG is served as one" test "$(curl -s -o /dev/null -w '%{content_type}' "$URL/en/pic.svg")" = image/svg+xml

fetch /no/such/page/
check "a missing page is 404" grep -q '^HTTP/1.1 404' head
check "... with the site's 404 page" contains body "$(grep -o '<title>[^<]*</title>' "$private/404.html")"
fetch /en
check "a folder without its slash is redirected" grep -q '^HTTP/1.1 301' head
check "... to the one with it" grep -qi '^Location: /en/' head
check "HEAD is answered" test "$(status /en/ -I)" = 200
check "HEAD sends no body" test -z "$(curl -s -X HEAD -m 2 "$URL/en/" 2>/dev/null)"
check "HEAD gives the length of GET" test "$(curl -sI "$URL/en/" | grep -i '^Content-Length' | tr -d '\r')" = \
	"$(curl -s -D - -o /dev/null "$URL/en/" | grep -i '^Content-Length' | tr -d '\r')"
for m in POST PUT DELETE OPTIONS; do
	check "$m is refused with 405" test "$(status /en/ -X "$m")" = 405
done
fetch /en/ -X POST -d x=1
check "405 says what is allowed" grep -qi '^Allow: GET, HEAD' head

# Traversal: nothing outside the site's folder, whatever the spelling.
echo "SECRET-OUTSIDE" >"$WORK/secret.txt"
mkdir -p "$WORK/outside" && cp "$WORK/secret.txt" "$WORK/outside/"
for u in /../secret.txt /en/../../secret.txt /%2e%2e/secret.txt /en/%2E%2E/%2e%2e/secret.txt \
	/en/%2e%2e%2f%2e%2e%2fsecret.txt /en/%00 /index.html%00.css /.sapan-manifest /.sapan-output \
	/en/./index.html; do
	code=$(status "$u" --path-as-is)
	check "$u is refused ($code)" test "$code" = 400 -o "$code" = 404
done
ln -s "$WORK/outside" "$private/out-link"
ln -s "$WORK/secret.txt" "$private/secret-link.txt"
check "a link in the site folder is not followed" test "$(status /out-link/secret.txt)" = 404
check "a link to a file is not followed" test "$(status /secret-link.txt)" = 404
ln -s "$WORK/outside" content/en/outside
ln -s "$WORK/secret.txt" content/en/secret.txt
sleep 0.5
for u in /en/outside/secret.txt /en/secret.txt; do
	check "a link in content is not served: $u" test "$(curl -s "$URL$u" | grep -c SECRET-OUTSIDE)" = 0
done
rm content/en/outside content/en/secret.txt "$private/out-link" "$private/secret-link.txt"

# A change: visible within 2 s, and announced to listening pages.
curl -sN -m $((30 * scale)) "$URL/_sapan/events" >events &
sse=$!
until_ok 5 grep -q '^retry:' events
echo "EDIT-ONE-$$" >>content/en/guide.md
check "an edit is served within 2 s" until_ok 2 bash -c "curl -s $URL/en/guide/ | grep -q EDIT-ONE-$$"
check "a listener hears the reload" until_ok 3 grep -qx 'event: reload' events
check "... naming the page's file" until_ok 3 grep -qx 'data: /en/guide/index.html' events
check "... and not an untouched page" lacks events 'data: /en/index.html'

# A broken page: the last good site stays, the diagnostics reach the page.
cp content/en/guide.md guide.good
printf -- '---\ntitle: Guide\ndate: "<b>x"\n---\nBROKEN-BODY\n' >content/en/guide.md
diag='content/en/guide.md:3:7: error: invalid date'
check "a listener hears the failure" until_ok 3 grep -q "^data: $diag '<b>x'" events
check "the terminal shows it" until_ok 3 grep -q "^$diag" err
fetch /en/guide/
check "the last good page is still served" contains body "EDIT-ONE-$$"
check "... not the broken one" lacks body BROKEN-BODY
check "... with the diagnostics, escaped" contains body "$diag &#39;&lt;b&gt;x&#39;"
check "... in the overlay" contains body 'id="sapan-failed"'
cp guide.good content/en/guide.md
echo "FIXED-$$" >>content/en/guide.md
check "the fix is served" until_ok 3 bash -c "curl -s $URL/en/guide/ | grep -q FIXED-$$"
check "a listener hears the fix" until_ok 3 bash -c '[ "$(grep -c "^event: reload" events)" -ge 2 ]'
fetch /en/guide/
check "the overlay is gone" lacks body 'id="sapan-failed"'
kill "$sse" 2>/dev/null
wait "$sse" 2>/dev/null

# Quick rebuilds: an edit of one page's body, written in place as most
# editors do, renders that page alone (the model of the last build is kept
# in the server); an edit that other pages show (a title, the first
# paragraph of a page without summary), a file saved by renaming, or a
# broken link makes a full build or a failed one. Each time the preview is
# the site sapan build makes.
quicks() { grep -c '^quick: 1' err; }
builds() { grep -c '^quick: ' err; }
same_as_build() {
	rm -rf "$WORK/ref"
	"$SAPAN" build --quiet --output "$WORK/ref" 2>/dev/null
	# The search index of a quick build is written just after the page
	# is shown, so it may come a moment later.
	check "$1: the preview is the site sapan build makes" \
		until_ok 3 diff -r -x .sapan-manifest "$WORK/ref" "$private"
}
# in_place FILE SED-SCRIPT: edits FILE without replacing it (same inode).
in_place() { sed "$2" "$1" >"$WORK/edit.tmp" && cat "$WORK/edit.tmp" >"$1"; }
# edited NAME URL TEXT QUICK: waits for TEXT at URL, then checks that the
# build was quick (1) or full (0), and the whole preview.
edited() {
	check "$1: served" until_ok 3 bash -c "curl -s $URL$2 | grep -qF '$3'"
	until_ok 3 test "$(builds)" -gt "$n_builds"
	check "$1: a $([ "$4" = 1 ] && echo quick || echo full) rebuild" \
		test "$(quicks)" = $((n_quick + $4))
	same_as_build "$1"
	n_builds=$(builds) n_quick=$(quicks)
}
n_builds=$(builds) n_quick=$(quicks)
printf 'QUICK-BODY-%s\n' $$ >>content/en/projects/phase-two.md
edited "a body edit" /en/projects/phase-two/ "QUICK-BODY-$$" 1
printf 'พ.ศ. 2556 ปีนั้น QUICK-TH-%s\n' $$ >>content/th/projects/phase-two.md
edited "a Thai body edit" /th/projects/phase-two/ "QUICK-TH-$$" 1
in_place content/en/projects/phase-two.md 's/^title: Phase Two$/title: Phase Two Renamed/'
edited "a title edit" /en/projects/phase-one/ "Phase Two Renamed" 0
in_place content/en/projects/older.md 's/^The first paragraph becomes/QUICK-DESC The first paragraph becomes/'
edited "a first paragraph that is a description" /en/archive/ "QUICK-DESC" 0
printf 'QUICK-AGAIN-%s\n' $$ >>content/en/projects/phase-two.md
edited "after a full build, a body edit" /en/projects/phase-two/ "QUICK-AGAIN-$$" 1
sed -i 's/^QUICK-AGAIN/QUICK-RENAMED/' content/en/projects/phase-two.md
edited "a body edit saved by renaming" /en/projects/phase-two/ "QUICK-RENAMED" 0
printf '[lost](nowhere-%s.md)\n' $$ >>content/en/projects/phase-two.md
check "a broken link fails the quick build" \
	until_ok 3 grep -q "error: link target 'nowhere-$$.md'" err
check "... and the last good page is served" \
	bash -c "curl -s $URL/en/projects/phase-two/ | grep -qF QUICK-RENAMED"
n_builds=$(builds)
in_place content/en/projects/phase-two.md "/nowhere-$$/d"
printf 'QUICK-FIXED-%s\n' $$ >>content/en/projects/phase-two.md
edited "the fix, after a failed quick build" /en/projects/phase-two/ "QUICK-FIXED-$$" 0

# A page removed is a full build, not an error: it goes from the preview.
n_builds=$(builds) n_quick=$(quicks) n_failed=$(grep -c 'build failed' err)
gone() { test "$(status /en/projects/older/)" = 404; }
rm content/en/projects/older.md
check "a removed page: gone from the preview" until_ok 3 gone
until_ok 3 test "$(builds)" -gt "$n_builds"
check "a removed page: a full rebuild, not a failure" \
	bash -c "test \"\$(grep -c '^quick: 1' err)\" = $n_quick && test \"\$(grep -c 'build failed' err)\" = $n_failed"
same_as_build "a removed page"

# Load: 200 connections fetching pages while 20 rebuilds run.
fds() { ls "/proc/$pid/fd" | wc -l; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }
fds_before=$(fds) rss_before=$(rss)
python3 - "$port" >load.out 2>&1 <<'PY' &
import http.client, sys, threading, time
port = int(sys.argv[1])
paths = ["/en/", "/en/guide/", "/th/", "/en/projects/", "/sitemap.xml", "/no/such/"]
bad, done = [], [0]
lock = threading.Lock()
stop = time.time() + 6
def worker(k):
    while time.time() < stop:
        p = paths[k % len(paths)]
        k += 1
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            c.request("GET", p)
            r = c.getresponse()
            body = r.read()
            n = r.getheader("Content-Length")
            ok = r.status in (200, 404) and n is not None and int(n) == len(body)
            if ok and p != "/sitemap.xml":
                t = body.decode()
                ok = t.startswith("<!doctype html>") and t.rstrip().endswith("</html>")
            c.close()
        except Exception as e:
            ok, r = False, e
        with lock:
            done[0] += 1
            if not ok:
                bad.append((p, str(getattr(r, "status", r))))
ts = [threading.Thread(target=worker, args=(i,)) for i in range(200)]
for t in ts: t.start()
for t in ts: t.join()
print("requests", done[0], "bad", len(bad), bad[:5])
PY
load=$!
for i in $(seq 20); do
	echo "LOAD-$i" >>content/en/guide.md
	until_ok 5 bash -c "curl -s $URL/en/guide/ | grep -q LOAD-$i"
done
wait "$load"
check "20 rebuilds ran under load" test "$(grep -c '^Built the preview' out)" -ge 22
check "no request failed or was cut short" grep -q ' bad 0 ' load.out
grep -q ' bad 0 ' load.out || cat load.out
# libmicrohttpd closes the sockets of finished connections when its
# listening thread next wakes (at most SERVE_MAX_CONNECTIONS wait): one
# more request wakes it.
fds_settled() {
	curl -s -o /dev/null "$URL/en/"
	sleep 0.1
	test "$(fds)" -le $((fds_before + 8))
}
until_ok 10 fds_settled
check "open files are bounded ($fds_before, then $(fds))" test "$(fds)" -le $((fds_before + 8))
test "$(fds)" -le $((fds_before + 8)) || ls -l "/proc/$pid/fd"
check "memory is bounded (${rss_before} KiB, then $(rss) KiB)" test "$(rss)" -le $((rss_before + 65536))

# At most 64 pages listen at once; Ctrl-C still stops with them open.
listeners=()
for i in $(seq 64); do
	curl -sN -m $((30 * scale)) "$URL/_sapan/events" >"listen.$i" &
	listeners+=($!)
done
all_listening() { test "$(grep -l '^retry:' listen.* | wc -l)" = 64; }
until_ok 10 all_listening
check "the 65th listener is turned away" test "$(status /_sapan/events -m 5)" = 503

# Ctrl-C: exit 130, the private folder is gone, no process is left.
kill -INT "$pid"
wait "$pid"
check "Ctrl-C exits 130" test $? = 130
check "the private folder is removed" test -z "$(ls "$TMPDIR")"
check "no process is left" test ! -e "/proc/$pid"
wait "${listeners[@]}"
check "the listeners were let go" test -z "$(jobs -r)"

# --lan: the address it chooses is this machine's first non-loopback IPv4;
# its QR code says the URL. Nothing connects to it.
port=$(free_port)
"$SAPAN" serve --lan --port "$port" >lan.out 2>lan.err &
pid=$!
until_ok 20 grep -q '^Serving' lan.out
lan_url=$(sed -n 's/^Serving the site at \([^ ]*\) .*/\1/p' lan.out)
addr=${lan_url#http://}
addr=${addr%%:*}
check "--lan does not choose the loopback ($addr)" test "${addr#127.}" = "$addr"
check "--lan chooses an address of this machine" bash -c "ip -4 -o addr show up 2>/dev/null | grep -qF ' $addr/' || hostname -I | grep -qw '$addr'"
check "--lan says who can see the site" grep -q 'local network' lan.out
python3 - lan.out qr.pbm <<'PY'
import sys
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
lines = [l for l in lines if l and set(l) <= set("\u2588\u2580\u2584 ")]
w = max(len(l) for l in lines)
rows = []
for l in lines:
    l = l.ljust(w)
    top = ["0" if c in "\u2588\u2580" else "1" for c in l]
    bot = ["0" if c in "\u2588\u2584" else "1" for c in l]
    rows += [top, bot]
s = 8  # pixels a module
with open(sys.argv[2], "w") as f:
    f.write("P1\n%d %d\n" % (w * s, len(rows) * s))
    for r in rows:
        line = " ".join(v for v in r for _ in range(s))
        for _ in range(s):
            f.write(line + "\n")
PY
check "the QR code gives the URL" test "$(zbarimg -q --raw qr.pbm 2>/dev/null)" = "$lan_url"
kill -INT "$pid"
wait "$pid"
check "--lan stops on Ctrl-C" test $? = 130

# A site that does not build at first: a page with the diagnostics, then
# the site once it is fixed, and every open page told to reload.
port=$(free_port)
URL=http://127.0.0.1:$port
cp content/en/guide.md guide.good
printf -- '---\ntitle: [unclosed\n---\n' >content/en/guide.md
"$SAPAN" serve --port "$port" >first.out 2>first.err &
pid=$!
until_ok 20 grep -q '^Serving' first.out
fetch /en/
check "before any good build, pages get 503" grep -q '^HTTP/1.1 503' head
check "... with the diagnostics" contains body 'content/en/guide.md:3:1: error:'
curl -sN -m $((10 * scale)) "$URL/_sapan/events" >events2 &
sse=$!
until_ok 5 grep -q '^retry:' events2
cp guide.good content/en/guide.md
served() { test "$(status /en/)" = 200; }
check "the first good build is served" until_ok 3 served
check "... and every page reloads" until_ok 3 grep -qx 'data: \*' events2
kill "$sse" 2>/dev/null
kill -INT "$pid"
wait "$pid"
check "it stops on Ctrl-C" test $? = 130

check "--bind and --lan together are refused" bash -c "'$SAPAN' serve --lan --bind 127.0.0.1 2>&1 | grep -q 'sapan: error: --bind and --lan'"
"$SAPAN" serve --bind localhost 2>err.bind
check "--bind takes a numeric address" test $? = 2
check "... and says so" grep -q "^sapan: error: --bind 'localhost' is not a numeric IP address" err.bind
port=$(free_port)
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(5)' "$port" &
holder=$!
# Under load python may take long to start: serve must not get the port first.
until_ok 20 bash -c "echo >/dev/tcp/127.0.0.1/$port"
"$SAPAN" serve --port "$port" 2>err.port
check "a port in use stops serve with 1" test $? = 1
check "... saying so" grep -q "^127.0.0.1: error: cannot listen on port $port: Address already in use" err.port
kill "$holder"
"$SAPAN" serve --port 0 2>/dev/null
check "a bad port is a usage error" test $? = 2
"$SAPAN" serve --output x 2>/dev/null
check "--output is refused" test $? = 2
finish
