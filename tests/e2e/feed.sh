#!/usr/bin/env bash
# Atom feeds: with a base_url each language gets <lang>/feed.xml, well-formed,
# with the required Atom elements, absolute URLs, xml:lang, alternates to the
# other language, the newest SITEMAP_FEED_MAX dated pages newest first, the
# same bytes on every build, and a link in the head of every page of that
# language. Without a base_url: no feed, no link, and a note says why.
source "$(dirname "$0")/lib.bash"
FIX=$ROOT/tests/fixtures/basic
BASE=https://example.org/aup/
S=$WORK/site
mkdir -p "$S"
cp -r "$FIX/content" "$ROOT/templates" "$S/"
# 25 dated English pages: only the 20 newest are listed.
for i in $(seq 1 25); do
	printf -- '---\ntitle: "News %02d <&>"\ndate: 2021-01-%02d\nsummary: Item %d\n---\nText.\n' \
		"$i" "$i" "$i" >"$S/content/en/news-$i.md"
done
(cd "$S" && "$SAPAN" build) >/dev/null 2>"$WORK/err"
check "build: exit 0" test $? = 0
check "no note about feeds with base_url" lacks "$WORK/err" 'feed.xml'

# xpath FILE EXPR: the string value of an XPath expression (Atom's
# namespace is the default one, so names are matched by local-name()).
xpath() { xmllint --xpath "$2" "$1" 2>/dev/null; }
a() { echo "*[local-name()='$1']"; }
for lang in en th; do
	f=$S/site/$lang/feed.xml
	check "$lang: feed written" test -s "$f"
	check "$lang: well-formed" xmllint --noout "$f"
	check "$lang: Atom namespace" contains "$f" '<feed xmlns="http://www.w3.org/2005/Atom"'
	check "$lang: xml:lang" test "$(xpath "$f" "string(/$(a feed)/@xml:lang)")" = "$lang"
	for el in id title updated; do
		check "$lang: feed $el" test -n "$(xpath "$f" "string(/$(a feed)/$(a $el))")"
	done
	check "$lang: feed self link" test "$(xpath "$f" "string(/$(a feed)/$(a link)[@rel='self']/@href)")" = "${BASE}$lang/feed.xml"
	entries=$(xpath "$f" "count(/$(a feed)/$(a entry))")
	check "$lang: has entries" test "$entries" -gt 0
	for el in id title updated link; do
		check "$lang: every entry has $el" test "$(xpath "$f" "count(/$(a feed)/$(a entry)[$(a $el)])")" = "$entries"
	done
	check "$lang: every URL absolute under base_url" test -z "$(
		{ xmllint --xpath "//@href" "$f" | sed -E 's/^ *href="([^"]*)"/\1/'
		  xmllint --xpath "//*[local-name()='id']/text()" "$f"; echo; } 2>/dev/null |
			grep -v '^$' | grep -v "^$BASE")"
	check "$lang: updated is the newest entry's" test \
		"$(xpath "$f" "string(/$(a feed)/$(a updated))")" = "$(xpath "$f" "string(/$(a feed)/$(a entry)[1]/$(a updated))")"
	# Every page of the language links its feed in the head.
	while IFS= read -r page; do
		check "$lang: feed link in $page" grep -qE '<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([.][.]/)*feed.xml">' "$page"
	done < <(find "$S/site/$lang" -name index.html)
done
en=$S/site/en/feed.xml
check "en: 20 entries at most" test "$(xpath "$en" "count(//$(a entry))")" = 20
check "en: newest first" test "$(xpath "$en" "string(//$(a entry)[1]/$(a title))")" = "News 25 <&>"
check "en: 20th newest last" test "$(xpath "$en" "string(//$(a entry)[20]/$(a title))")" = "News 06 <&>"
check "en: title escaped" contains "$en" 'News 25 &lt;&amp;&gt;'
check "en: summary" test "$(xpath "$en" "string(//$(a entry)[1]/$(a summary))")" = "Item 25"
check "en: updated from the newest date" test "$(xpath "$en" "string(/$(a feed)/$(a updated))")" = "2021-01-25T00:00:00Z"
th=$S/site/th/feed.xml
check "th: alternate to the English version" test \
	"$(xpath "$th" "string(//$(a entry)[$(a id)='${BASE}th/projects/phase-two/']/$(a link)[@hreflang='en']/@href)")" = "${BASE}en/projects/phase-two/"
check "th: Thai title" test "$(xpath "$th" "string(//$(a entry)[1]/$(a title))")" = "ระยะที่สอง"
check "no feed link on the language choice page" lacks "$S/site/index.html" 'atom+xml'

# The same site gives the same bytes; a second build rewrites nothing.
cp "$en" "$WORK/en-feed.xml"
(cd "$S" && "$SAPAN" build --no-cache) >"$WORK/out" 2>&1
check "deterministic" cmp "$en" "$WORK/en-feed.xml"
check "feeds not rewritten" grep -q ' 0 files written' "$WORK/out"

# sapan check follows the head links to the feeds.
(cd "$S" && "$SAPAN" check) >/dev/null 2>"$WORK/err"
check "check: exit 0" test $? = 0

# Without base_url: no feed, no link, a note.
sed -i '/^base_url:/d' "$S/content/site.yaml"
rm -rf "$S/site"
(cd "$S" && "$SAPAN" build) >/dev/null 2>"$WORK/err"
check "no base_url: exit 0" test $? = 0
check "no base_url: no feed" test ! -e "$S/site/en/feed.xml" -a ! -e "$S/site/th/feed.xml"
check "no base_url: note says why" contains "$WORK/err" \
	'content/site.yaml: note: no sitemap.xml and no feed.xml were written: a sitemap and Atom feeds need the site'"'"'s address; set base_url here (or use --base-url) to get them'
check "no base_url: no feed link" test -z "$(grep -rl 'atom+xml' "$S/site")"
finish
