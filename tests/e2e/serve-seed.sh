#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sapan serve starts from the cache of the last `sapan build` into site/
# (the same content and options): its first build converts no Markdown,
# gives the files sapan build gave, and leaves site/ and its cache as they
# were. A cache made with other options, or none, is not used.
source "$(dirname "$0")/lib.bash"
serve_project

# first_build [OPTIONS]: starts serve, waits for its first build, stops it;
# leaves its stderr in err and a copy of its private folder in served/.
first_build() {
	local port
	port=$(free_port)
	rm -rf served
	SAPAN_TEST_RENDER_COUNTS=1 "$SAPAN" serve --port "$port" "$@" >out 2>err &
	local pid=$!
	for _ in $(seq $((600 * scale))); do
		grep -q "^rendered:" err 2>/dev/null && break
		sleep 0.05
	done
	grep -q "^rendered:" err || { echo "serve $*: no first build:"; cat err; }
	cp -r "$(ls -d "$TMPDIR"/sapan-serve-*/site)" served 2>/dev/null
	kill -INT "$pid"
	wait "$pid"
}

"$SAPAN" build --quiet 2>/dev/null
cp -r site built
cp .sapan-cache/site.cache cache.before
first_build
check "serve starts" test -d served
check "its first build converts no Markdown with sapan build's cache" \
	grep -qx "rendered: 0 markdown, [0-9]* pages" err
check "... and gives the files sapan build gave" diff -r -x .sapan-manifest built served
check "site/ is left as it was" diff -r built site
check "... and its cache too" cmp cache.before .sapan-cache/site.cache

first_build --drafts
check "a cache made without --drafts is not used by serve --drafts" \
	grep -qx "rendered: [1-9][0-9]* markdown, [0-9]* pages" err

printf 'not a cache' >.sapan-cache/site.cache
first_build
check "a damaged cache is not used" grep -qx "rendered: [1-9][0-9]* markdown, [0-9]* pages" err
check "... and not reported" lacks err "cache"
check "... and not changed" test "$(cat .sapan-cache/site.cache)" = "not a cache"

rm -rf .sapan-cache
first_build
check "without one every page is converted" grep -qx "rendered: [1-9][0-9]* markdown, [0-9]* pages" err
check "... and none is made beside site/" test ! -e .sapan-cache
finish
