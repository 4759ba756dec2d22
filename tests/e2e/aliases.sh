#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Redirects for moved pages (aliases:, alias.c): each old address gets a
# small page that sends the reader on with a meta refresh, a canonical link
# and a visible link, is never indexed and is in no sitemap; every form of
# old address lands where a static server looks for it; removing an alias
# removes its page. Refused aliases and collisions: tests/errors/alias-*.
source "$(dirname "$0")/lib.bash"
D=$WORK/project
mkdir -p "$D"
cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$D/"
cd "$D" || exit 1
C=content
# base_url is https://example.org/aup/
cat >$C/en/moved.md <<'EOF'
---
title: Moved <here> & "there"
aliases:
  - /en/old-name/
  - /en/older-name
  - /en/about.html
  - /en/projects/was-here.md
  - /en/gone/_index.md
  - https://example.org/aup/en/full/
  - http://example.org/aup/en/plain-http/
  - /en/%E0%B8%81/
---
Moved here.
EOF
cat >$C/th/moved.md <<'EOF'
---
title: ย้ายมาแล้ว
aliases:
  - /th/เก่า/
---
ย้ายมาที่นี่
EOF
"$SAPAN" build --quiet 2>"$WORK/err" || { cat "$WORK/err"; fail "the site builds"; }
S=site
for f in en/old-name/index.html en/older-name/index.html en/about.html \
	en/projects/was-here/index.html en/gone/index.html en/full/index.html \
	en/plain-http/index.html en/ก/index.html th/เก่า/index.html; do
	check "an alias is written at $f" test -f "$S/$f"
done
A=$S/en/old-name/index.html
check "it sends the reader on at once" \
	contains $A '<meta http-equiv="refresh" content="0; url=../moved/">'
check "its canonical link is the new address" \
	contains $A '<link rel="canonical" href="https://example.org/aup/en/moved/">'
check "it is never indexed" contains $A '<meta name="robots" content="noindex">'
check "it shows a link with the page's title, escaped" \
	contains $A '<p>This page has moved to <a href="../moved/">Moved &lt;here&gt; &amp; &quot;there&quot;</a></p>'
check "its title is escaped" contains $A '<title>Moved &lt;here&gt; &amp; &quot;there&quot;</title>'
check "it is in the page's language" contains $A '<html lang="en">'
check "an .html alias links from its own folder" \
	contains $S/en/about.html '<meta http-equiv="refresh" content="0; url=moved/">'
check "a deeper one climbs" \
	contains $S/en/projects/was-here/index.html 'content="0; url=../../moved/"'
T="$S/th/เก่า/index.html"
check "a Thai alias speaks Thai" contains "$T" '<p>หน้านี้ย้ายไปที่ <a href="../moved/">ย้ายมาแล้ว</a></p>'
check "and its canonical address is percent-encoded" \
	contains "$T" '<link rel="canonical" href="https://example.org/aup/th/moved/">'
check "no alias is in the sitemap" lacks $S/sitemap.xml 'old-name'
check "nor any other" [ "$(grep -c 'about.html\|was-here\|/full/\|plain-http\|%E0%B8%81' $S/sitemap.xml)" = 0 ]
check "the moved page is" contains $S/sitemap.xml '<loc>https://example.org/aup/en/moved/</loc>'
"$SAPAN" check >"$WORK/check" 2>&1
check "sapan check finds no broken link in them ($(tail -1 "$WORK/check"))" \
	grep -q '^check: 0 errors' "$WORK/check"

# The cache: nothing changed, nothing written; a removed alias goes.
"$SAPAN" build >"$WORK/out" 2>&1
check "a rebuild without a change writes nothing ($(tail -1 "$WORK/out"))" \
	grep -q ' 0 files written, [0-9]* unchanged, 0 deleted' "$WORK/out"
sed -i '/older-name/d' $C/en/moved.md
"$SAPAN" build --quiet 2>/dev/null
check "a removed alias's page is deleted" test ! -e $S/en/older-name
check "the others stay" test -f $A
sed -i 's/^title: Moved.*/title: Renamed/' $C/en/moved.md
"$SAPAN" build --quiet 2>/dev/null
check "a new title shows at the old addresses" contains $A '<a href="../moved/">Renamed</a>'
"$SAPAN" build --quiet --no-cache --output "$WORK/fresh" 2>/dev/null
check "the same site as a build without the cache" diff -r "$WORK/fresh" $S
for j in 1 8; do
	"$SAPAN" build --quiet --no-cache -j$j --output "$WORK/j$j" 2>/dev/null
	check "-j$j gives the same site" diff -r "$WORK/j$j" $S
done

# Without base_url the canonical link is the relative new address.
sed -i '/^base_url:/d' $C/site.yaml
sed -i '/http/d' $C/en/moved.md # full addresses need base_url (tests/errors/alias-no-base-url)
"$SAPAN" build --quiet 2>/dev/null
check "without base_url, the canonical link is relative" \
	contains $A '<link rel="canonical" href="../moved/">'
finish
