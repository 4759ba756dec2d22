#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make check-web`: proves the default theme in a real browser. Installs what
# it needs (Debian: chromium, fonts-noto-core, a Java runtime; npm: the pinned
# packages of tests/web/package-lock.json), builds the default site and every
# fixture, serves them on 127.0.0.1 and runs the Nu HTML Checker, axe-core,
# the page-weight and overflow checks, screenshots, the offline copy from
# file:// (tests/web/offline.mjs), the search test (the query table
# search-queries.tsv on the default site and on a 1,000-page corpus from
# ../shared/bench/make-corpus.py, beside Pagefind; its tables go to
# build/search-compare.md) and Lighthouse; then
# tests/web/nginx.sh publishes the site with rsync and serves it with nginx
# and docs/nginx/sapan.conf (it installs nginx-light and rsync).
# Ends with "N passed, N failed".
# Usage: tests/web/check-web.sh BUILD_DIR   (where make built sapan)
set -u
start=$SECONDS
build=${1:-build}
cd "$(dirname "$0")/../.."
ROOT=$PWD
case $build in
/*) SAPAN=$build/sapan ;;
*) SAPAN=$ROOT/$build/sapan ;;
esac
WEB=$ROOT/tests/web
OUT=$ROOT/build/web          # the served folder: the site, fixtures under fixtures/
SHOTS=$ROOT/build/screenshots
export CHROME_PATH=/usr/bin/chromium
passed=0 failed=0

# tally NAME LOG: adds the "N passed, N failed" line that ends LOG.
tally() {
	local last p f
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1)
	if [ -z "$last" ]; then
		echo "FAIL $1: no result line"
		failed=$((failed + 1))
		return
	fi
	p=${last%% passed*}
	f=${last#*, }
	f=${f%% failed*}
	passed=$((passed + p))
	failed=$((failed + f))
	printf '%-12s %s\n' "$1" "$last"
}

# ---- what the checks need ---------------------------------------------------
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# dpkg -s also succeeds for a removed package whose configuration remains.
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
installed fonts-noto-core || need+=(fonts-noto-core)
command -v java >/dev/null || need+=(default-jre-headless)
command -v npm >/dev/null || need+=(nodejs npm)
command -v python3 >/dev/null || need+=(python3)
source "$ROOT/tests/web/install.bash"
install_missing "The web checks need" "${need[@]}"
# Exactly the versions of package-lock.json. No install scripts: vnu-jar's
# would download a Java runtime, and nothing may fetch a browser.
(cd "$WEB" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || exit 1
echo "Installed: $(cd "$WEB" && npm ls --depth=0 2>/dev/null | tail -n +2 | tr -d '\n')"

# ---- the server -------------------------------------------------------------
rm -rf "$OUT" "$SHOTS"
mkdir -p "$OUT" "$SHOTS"
log=$(mktemp -d)
node "$WEB/serve.mjs" "$OUT" >"$log/port" 2>"$log/serve.err" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$log"' EXIT
for _ in $(seq 100); do
	[ -s "$log/port" ] && break
	sleep 0.1
done
port=$(head -n 1 "$log/port")
if [ -z "$port" ]; then
	echo "FAIL the server did not start: $(cat "$log/serve.err")"
	echo "0 passed, 1 failed"
	exit 1
fi
ORIGIN=http://127.0.0.1:$port/
echo "Serving $OUT at $ORIGIN"

# ---- the sites --------------------------------------------------------------
# The default site gets the server's origin as base_url, so that canonical
# and hreflang URLs are absolute and real, as Lighthouse wants them.
build_site() { # NAME CONTENT OUTPUT BASE_URL
	if "$SAPAN" build --content "$2" --templates "$ROOT/templates" --output "$3" \
		--base-url "$4" >"$log/build" 2>&1; then
		passed=$((passed + 1))
		cat "$log/build"
	else
		failed=$((failed + 1))
		echo "FAIL building $1:"
		cat "$log/build"
	fi
}
build_site "the default site" "$ROOT/content" "$OUT" "$ORIGIN"
fixtures=()
mkdir -p "$OUT/fixtures"
for fx in "$ROOT"/tests/fixtures/*/content; do
	name=$(basename "$(dirname "$fx")")
	build_site "fixture $name" "$fx" "$OUT/fixtures/$name" "${ORIGIN}fixtures/$name/"
	fixtures+=("$OUT/fixtures/$name")
done

# ---- the checks -------------------------------------------------------------
echo "== Nu HTML Checker: every page of the site and of the fixtures"
node "$WEB/vnu.mjs" "$OUT" >"$log/vnu" 2>&1
cat "$log/vnu"
tally vnu "$log/vnu"

echo "== Chromium 390x844: axe-core, weight, screenshots; 320 px: overflow"
node "$WEB/browse.mjs" "$ORIGIN" "$OUT" "$SHOTS" "${fixtures[@]}" >"$log/browse" 2>&1
cat "$log/browse"
tally browser "$log/browse"

echo "== The offline copy from file:// at 390x844: every link of three pages, the switcher"
OFFLINE=$ROOT/build/web-offline
rm -rf "$OFFLINE"
if "$SAPAN" build --quiet --offline --content "$ROOT/content" --templates "$ROOT/templates" \
	--output "$OFFLINE" >"$log/offline-build" 2>&1; then
	node "$WEB/offline.mjs" "$OFFLINE" >"$log/offline" 2>&1
	grep -v '^\[: ' "$log/offline"
	tally offline "$log/offline"
else
	failed=$((failed + 1))
	echo "FAIL building the offline copy:"
	cat "$log/offline-build"
fi

echo "== Search: the query table in Chromium, sapan beside Pagefind"
# The corpus is the benchmark's (../shared/bench, beside the repository);
# the table's corpus queries are written for its 1,000-page output.
SEARCH=$ROOT/build/search
CORPUS_GEN=${CORPUS_GEN:-$ROOT/../shared/bench/make-corpus.py}
sites=("default=$OUT")
rm -rf "$SEARCH"
mkdir -p "$SEARCH"
if [ ! -f "$CORPUS_GEN" ]; then
	failed=$((failed + 1))
	echo "FAIL no corpus generator at $CORPUS_GEN (set CORPUS_GEN to make-corpus.py of the benchmark)"
elif ! python3 "$CORPUS_GEN" 1000 "$SEARCH/n1000" >"$log/corpus" 2>&1; then
	failed=$((failed + 1))
	echo "FAIL $CORPUS_GEN 1000: $(cat "$log/corpus")"
else
	build_site "the 1,000-page corpus" "$SEARCH/n1000/content" "$SEARCH/corpus" https://example.org/
	sites+=("corpus=$SEARCH/corpus")
fi
node "$WEB/search.mjs" "$WEB/search-queries.tsv" "$ROOT/build/search-compare.md" "$SEARCH/work" \
	"${sites[@]}" >"$log/search" 2>&1
cat "$log/search"
tally search "$log/search"

echo "== Lighthouse (mobile): the root page; home, a project, an infosheet and the search page with results in each language"
urls=("$ORIGIN")
for lang in en th; do
	for p in "" projects/aup-ii/ infosheets/aup-ii-wash/; do
		urls+=("$ORIGIN$lang/$p")
	done
done
# hygiene; สุขาภิบาล (sanitation)
urls+=("${ORIGIN}en/search/?q=hygiene"
	"${ORIGIN}th/search/?q=%E0%B8%AA%E0%B8%B8%E0%B8%82%E0%B8%B2%E0%B8%A0%E0%B8%B4%E0%B8%9A%E0%B8%B2%E0%B8%A5")
node "$WEB/lighthouse.mjs" "${urls[@]}" >"$log/lh" 2>&1
grep -v '^\[: ' "$log/lh" # Debian's chromium wrapper prints a harmless shell warning
tally lighthouse "$log/lh"

echo "== Publishing: rsync as docs/publishing.md says, nginx with docs/nginx/sapan.conf"
bash "$WEB/nginx.sh" "$build" >"$log/nginx" 2>&1
cat "$log/nginx"
tally nginx "$log/nginx"

echo "check-web took $((SECONDS - start)) s; screenshots in build/screenshots/"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
