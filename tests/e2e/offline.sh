#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The offline copy (sapan build --offline, --zip): every link names a file
# that exists, none leads to the site's address, there is no 404 page,
# sitemap, feed or search index (its search page is a site index), every
# page says it is an offline copy of its day in its language; the ZIP holds the same files, the language page at its root,
# and is written only where it replaces nothing of the user's.
source "$(dirname "$0")/lib.bash"
D=$WORK/project
mkdir -p "$D"
cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$D/"
cd "$D" || exit 1
# A fixed day, as a reproducible build gives it: 2 January 2026.
export SOURCE_DATE_EPOCH=1767312000
BASE=https://example.org/aid/

"$SAPAN" build --quiet --offline --base-url $BASE --output off 2>err
check "an offline build succeeds" test $? = 0
check "... quietly" test ! -s err

# links DIR: every href and src of every page, as "page<TAB>link".
links() {
	python3 - "$1" <<'PY'
import html.parser, os, sys
root = sys.argv[1]
class P(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src") and v is not None:
                print(f"{self.page}\t{v}")
for d, _, files in os.walk(root):
    for f in files:
        if f.endswith(".html"):
            p = P()
            p.page = os.path.relpath(os.path.join(d, f), root)
            p.feed(open(os.path.join(d, f), encoding="utf-8").read())
PY
}
links off >"$WORK/links"
check "the pages have links" test "$(wc -l <"$WORK/links")" -gt 200
# Each link: a fragment of the page itself, data:, another site, or a
# relative path naming a file that exists.
bad=$(while IFS=$'\t' read -r page link; do
	case $link in
	'#'* | data:* | mailto:* | tel:*) continue ;;
	https://example.org/* | http://example.org/*) echo "$page: $link (the site's address)"; continue ;;
	http://* | https://*) continue ;;
	/*) echo "$page: $link (absolute path)"; continue ;;
	esac
	path=${link%%#*}
	path=${path%%\?*}
	case $path in
	'' | */) echo "$page: $link (a folder)"; continue ;;
	esac
	file=$(dirname "off/$page")/$(printf '%b' "${path//%/\\x}")
	[ -f "$file" ] || echo "$page: $link (no such file)"
done <"$WORK/links")
check "every link names a file that exists, none the site's address" test -z "$bad"
[ -z "$bad" ] || echo "$bad" | head -n 10
check "the language switcher names its file" \
	grep -qF 'href="../../../th/projects/phase-two/index.html" hreflang="th"' off/en/projects/phase-two/index.html
check "the stylesheet is relative" grep -q '<link rel="stylesheet" href="../../../assets/style\.[0-9a-f]*\.css">' \
	off/en/projects/phase-two/index.html
check "a Markdown link names its file" grep -qF 'href="../phase-one/index.html' off/en/projects/phase-two/index.html
check "the root page's languages name their files" grep -qF 'href="./en/index.html"' off/index.html
check "no canonical, hreflang or feed link" \
	test -z "$(grep -l 'rel="canonical"\|rel="alternate"' -r off --include=*.html)"
check "no 404 page" test ! -e off/404.html
check "no sitemap" test ! -e off/sitemap.xml
check "no feeds" test -z "$(find off -name feed.xml)"
# A page opened from file:// cannot fetch the search index: there is none,
# and the search page says so and lists every page.
check "no search index" test -z "$(find off -path '*/search/*' ! -name index.html)"
check "the search page says it cannot search" \
	contains off/en/search/index.html '<p>This offline copy cannot search. Every page of the site is listed below.</p>'
check "... in Thai too" contains off/th/search/index.html '<p>สำเนาออฟไลน์นี้ค้นหาไม่ได้'
check "... loads no search script" lacks off/en/search/index.html 'search.js'
check "... and lists the pages" contains off/en/search/index.html '<a href="../guide/index.html">'
"$SAPAN" build --quiet --base-url $BASE --output online 2>/dev/null
check "the site itself keeps its index and script" \
	test -f online/en/search/terms.txt -a -n "$(grep -l 'search.js' online/en/search/index.html)"
check "the English pages say it is an offline copy, with the day" \
	grep -qF 'Offline copy of this site, made on <time datetime="2026-01-02">2 January 2026</time>' off/en/guide/index.html
check "... the Thai pages in Thai, with the Buddhist Era" \
	grep -qF 'จัดทำเมื่อ <time datetime="2026-01-02">2 มกราคม 2569</time>' off/th/index.html
check "... and the root page" grep -qF 'Offline copy of this site' off/index.html
total=$(find off -name '*.html' | wc -l)
check "... every page" test "$(grep -l 'class="offline"' -r off --include=*.html | wc -l)" = "$total"
"$SAPAN" build --quiet --base-url $BASE --output online
check "an ordinary build says nothing of it" test -z "$(grep -l 'class="offline"' -r online)"
check "... and keeps its folder links" grep -qF 'href="../phase-one/"' online/en/projects/phase-two/index.html

# A rebuild with no change writes nothing.
"$SAPAN" build --offline --base-url $BASE --output off >out 2>&1
check "an offline rebuild with no change writes nothing" grep -q '; 0 files written, ' out
# Another day changes every page's note.
SOURCE_DATE_EPOCH=1767398400 "$SAPAN" build --quiet --offline --base-url $BASE --output off
check "another day rewrites the note" grep -qF '3 January 2026' off/en/guide/index.html
"$SAPAN" build --quiet --offline --base-url $BASE --output off
"$SAPAN" build --offline --zip bad --base-url $BASE --output off >/dev/null 2>&1
SOURCE_DATE_EPOCH=x "$SAPAN" build --offline 2>err
check "a SOURCE_DATE_EPOCH that is no number is a usage error" test $? = 2
check "... saying so" grep -q "^sapan: error: SOURCE_DATE_EPOCH 'x' is not a number" err
rm -f bad

# The ZIP: the same files, the language page at its root.
"$SAPAN" build --quiet --zip copy.zip --base-url $BASE 2>err
check "--zip alone writes the ZIP" test -f copy.zip
check "... and no folder" test ! -e site
check "... nor leaves its temporary folder" test -z "$(ls -d "${TMPDIR:-/tmp}"/sapan-offline-* 2>/dev/null)"
unzip -Z1 copy.zip >list
check "the language page first, at the root" test "$(head -n 1 list)" = index.html
(cd off && find . -type f ! -name .sapan-output ! -name .sapan-manifest | sed 's|^\./||' | sort) >want
check "the ZIP lists the offline folder's files" diff <(sort list) want
mkdir unzipped
(cd unzipped && unzip -q ../copy.zip)
check "unzipped, it is the offline folder byte for byte" \
	diff -r -x .sapan-output -x .sapan-manifest off unzipped
check "its entries carry the build's day" test "$(TZ=UTC unzip -l copy.zip | awk '$4 == "index.html" { print $2 }')" = 2026-01-02
cp copy.zip first.zip
"$SAPAN" build --quiet --zip copy.zip --base-url $BASE
check "the same sources give the same ZIP" cmp copy.zip first.zip
"$SAPAN" build --quiet --zip both.zip --output both --base-url $BASE
check "--zip with --output writes both" test -f both.zip -a -f both/index.html
check "... the same copy" diff -r -x .sapan-output -x .sapan-manifest off both

# FILE exists: only sapan's own ZIP is replaced.
echo "my notes" >notes.zip
"$SAPAN" build --quiet --zip notes.zip 2>err
check "a file of the user's is refused" test $? = 1
check "... saying why" grep -qF "notes.zip: error: there is already a file that is not an offline copy sapan wrote here" err
check "... and left as it was" test "$(cat notes.zip)" = "my notes"
check "... with nothing beside it" test -z "$(ls notes.zip.* 2>/dev/null)"
python3 -m zipfile -c other.zip unzipped/index.html
cp other.zip other.before
"$SAPAN" build --quiet --zip other.zip 2>err
check "another ZIP is refused too" test $? = 1
check "... and left as it was" cmp other.zip other.before
mkdir folder.zip
"$SAPAN" build --quiet --zip folder.zip 2>err
check "a folder is refused" grep -qF "folder.zip: error: there is already a folder here" err
ln -s notes.zip link.zip
"$SAPAN" build --quiet --zip link.zip 2>err
check "a symbolic link is refused" grep -qF "link.zip: error: there is already a symbolic link here" err
check "... and what it leads to kept" test "$(cat notes.zip)" = "my notes"
"$SAPAN" build --quiet --zip content/copy.zip 2>err
check "a ZIP inside the content folder is refused" \
	grep -qF "content/copy.zip: error: the ZIP file would be inside the content folder content" err
check "... before anything is written" test ! -e content/copy.zip
"$SAPAN" build --quiet --zip off/copy.zip --output off 2>err
check "a ZIP inside the output folder is refused" \
	grep -qF "the ZIP file would be inside the output folder off" err
# A build that fails leaves the ZIP as it was.
printf -- '---\ntitle: [unclosed\n---\n' >content/en/broken.md
"$SAPAN" build --quiet --zip copy.zip 2>err
check "a failed build exits 1" test $? = 1
check "... and says the ZIP was not changed" grep -qF "copy.zip was not changed" err
check "... and it was not" cmp copy.zip first.zip
check "... with nothing beside it" test -z "$(ls copy.zip.* 2>/dev/null)"
rm content/en/broken.md

# The output folder's rules hold offline too.
mkdir mine && echo keep >mine/notes.txt
"$SAPAN" build --quiet --offline --output mine 2>err
check "an offline build refuses a folder of the user's" test $? = 1
check "... which keeps its file" test "$(cat mine/notes.txt)" = keep
"$SAPAN" build --quiet --offline --output content 2>err
check "... and refuses the content folder" test $? = 1
check "--offline is for build only" bash -c "'$SAPAN' check --offline 2>&1 | grep -q \"unknown option '--offline'\""
check "--zip is for build only" bash -c "'$SAPAN' serve --zip x.zip 2>&1 | grep -q \"unknown option '--zip'\""
# Browsers load no icon from file:// (a failed load): an offline copy of a
# site with an SVG logo keeps the empty icon; the site itself links it.
"$SAPAN" build --quiet --offline --content "$ROOT/content" --templates "$ROOT/templates" \
	--output logo-off 2>/dev/null
"$SAPAN" build --quiet --content "$ROOT/content" --templates "$ROOT/templates" \
	--output logo-on 2>/dev/null
check "an offline copy links no icon file" grep -qF '<link rel="icon" href="data:,">' logo-off/en/index.html
check "... while the site links its SVG logo" grep -qF 'type="image/svg+xml"' logo-on/en/index.html
# An offline copy keeps no old addresses (aliases:): a redirect page would
# lead to a folder and name the site's address.
sed -i '0,/^title:/s//aliases: [\/en\/old-guide\/]\ntitle:/' $D/content/en/guide.md
"$SAPAN" build --quiet --offline --output alias-off 2>/dev/null
"$SAPAN" build --quiet --output alias-on 2>/dev/null
check "an offline copy writes no redirect page" test ! -e alias-off/en/old-guide
check "... which the site has" test -f alias-on/en/old-guide/index.html
finish
