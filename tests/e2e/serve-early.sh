#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sapan serve listens before its first build ends: each page is served as
# soon as that build has made it whole (the home pages come first), a page
# not made yet is answered once it is, and what was served is what the
# finished build gives. SAPAN_TEST_PAGE_DELAY_MS makes each page take a
# while, so the first build is still running while the pages are fetched.
source "$(dirname "$0")/lib.bash"
serve_project
port=$(free_port)
URL=http://127.0.0.1:$port
SAPAN_TEST_RENDER_COUNTS=1 SAPAN_TEST_PAGE_DELAY_MS=$((250 * scale)) \
	"$SAPAN" serve --port "$port" >out 2>err &
pid=$!
for _ in $(seq $((200 * scale))); do
	curl -s -o /dev/null "$URL/en/" && break
	sleep 0.05
done
curl -s -D head -o home "$URL/en/"
building=$(grep -c '^rendered:' err)
private=$(ls -d "$TMPDIR"/sapan-serve-*/site 2>/dev/null)
check "the address is printed before the first build ends" grep -q "^Serving the site at $URL/" out
check "the home page is served during the first build" grep -q '^HTTP/1.1 200' head
check "... while that build is still running" test "$building" = 0
check "... before the site is in place" test ! -e "$private/en/index.html"
check "... the site's own page" grep -q '<title>Fixture Site' home
check "... whole, with the reload script" bash -c "grep -q '</html>' home && grep -q '/_sapan/events' home"
curl -s -o guide "$URL/en/guide/"
check "a later page is answered once it is made" grep -q '</html>' guide
check "... the page itself" grep -q 'id="main"' guide
check "a folder without its slash is sent to it" \
	test "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$URL/th")" = "301 $URL/th/"
for _ in $(seq $((600 * scale))); do
	grep -q '^rendered:' err && break
	sleep 0.05
done
check "the first build ends" grep -q '^rendered:' err
check "what was served early is the page the build made" \
	bash -c "curl -s '$URL/en/' | cmp -s - home"
check "a page that does not exist is not found" \
	test "$(curl -s -o /dev/null -w '%{http_code}' "$URL/en/no-such-page/")" = 404
kill -INT "$pid"
wait "$pid"
check "Ctrl-C stops it" test $? = 130
finish
