#!/usr/bin/env bash
# The organisation's identity (site.yaml: organisation, logo, contact, footer,
# links) on the header, footer and root page in both languages, every field
# escaped; the SVG logo as the icon, a PNG logo or none leaving the empty
# icon; "Last updated" (Thai in the Buddhist Era), the sitemap's lastmod and
# the feeds' updated from `updated:`; news pages: the three newest on each
# home page with their dates, the news section newest first, news in the
# feeds; and the cache keeping the home page in step with the news.
source "$(dirname "$0")/lib.bash"
FIX=$ROOT/tests/fixtures/basic
# tests/fixtures/identity: every identity key, a news section with four news
# items (2022-12-31 to 2024-02-29) and an updated date, in both languages.
S=$WORK/site
mkdir -p "$S"
cp -r "$ROOT/tests/fixtures/identity/content" "$ROOT/templates" "$S/"
C=$S/content
(cd "$S" && "$SAPAN" build --quiet) 2>"$WORK/err"
check "build: exit 0" test $? = 0
check "build: no diagnostics" test ! -s "$WORK/err"
O=$S/site

# Header: logo and name on every page of each language.
for lang in en th; do
	[ $lang = en ] && name="Example Organisation" alt="Example logo" || { name="องค์กรตัวอย่าง"; alt="ตราองค์กรตัวอย่าง"; }
	while IFS= read -r page; do
		rel=${page#"$O/"}
		check "$rel: header logo" grep -qE "<a class=\"brand\" href=\"[^\"]*\"><img src=\"([.][.]/)+media/logo.svg\" alt=\"$alt\" width=\"48\" height=\"48\">" "$page"
		check "$rel: header name" contains "$page" "<span class=\"org\">$name</span>"
		check "$rel: SVG icon" grep -qE '<link rel="icon" href="([.][.]/)+media/logo.svg" type="image/svg\+xml">' "$page"
		check "$rel: no empty icon" lacks "$page" 'href="data:,"'
	done < <(find "$O/$lang" -name index.html)
done
# Footer: contact, links and footer text, in each language.
en=$O/en/index.html th=$O/th/index.html
check "en footer: address lines" contains "$en" '<span>1 Example Road</span><span>Bangkok 10100</span>'
check "th footer: address lines" contains "$th" '<span>1 ถนนตัวอย่าง</span><span>กรุงเทพฯ 10100</span>'
for f in "$en" "$th"; do
	check "${f#"$O/"} footer: e-mail" contains "$f" '<a href="mailto:info@example.org">info@example.org</a>'
	check "${f#"$O/"} footer: phone in international form" contains "$f" '<a href="tel:+6621234567">+66 2 123 4567</a>'
done
check "en footer: text" contains "$en" '<p>Footer words in English.</p>'
check "th footer: text" contains "$th" '<p>ข้อความท้ายหน้าภาษาไทย</p>'
check "en footer: other sites" contains "$en" '<nav class="links" aria-label="Our other sites"><ul><li><a href="https://www.example.com/">Head office</a></li></ul></nav>'
check "en footer: link" contains "$en" '<li><a href="https://www.example.com/">Head office</a></li>'
check "th footer: link" contains "$th" '<li><a href="https://www.example.com/">สำนักงานใหญ่</a></li>'
check "en footer: contact label" contains "$en" '<address aria-label="Contact">'
check "th footer: contact label" contains "$th" '<address aria-label="ติดต่อเรา">'
check "footer: no developer words" lacks "$en" 'Pages on this site are kept small'
# Root page: logo and the name in every language above the choice.
r=$O/index.html
check "root: logo" contains "$r" '<img src="./media/logo.svg" alt="Example logo" width="96" height="96">'
check "root: names" contains "$r" '<p class="org"><span lang="en">Example Organisation</span><span lang="th">องค์กรตัวอย่าง</span></p>'
check "root: names above the choice" test "$(grep -n 'class="org"' "$r" | cut -d: -f1)" -lt "$(grep -n '<h1>' "$r" | cut -d: -f1)"
check "root: SVG icon" contains "$r" '<link rel="icon" href="./media/logo.svg" type="image/svg+xml">'
check "404: SVG icon from the root" contains "$O/404.html" '<link rel="icon" href="/aup/media/logo.svg" type="image/svg+xml">'

# Last updated, in each language's calendar.
check "en: last updated" contains "$O/en/news/index.html" '<p>Last updated: <time datetime="2024-03-09">9 March 2024</time></p>'
check "th: last updated in the Buddhist Era" contains "$O/th/news/index.html" '<p>ปรับปรุงล่าสุด: <time datetime="2024-03-09">9 มีนาคม 2567</time></p>'
check "no last updated without updated:" lacks "$en" 'Last updated'
check "sitemap: lastmod from updated" grep -qzE '<loc>https://example.org/aup/en/news/</loc>\s*<lastmod>2024-03-09</lastmod>' "$O/sitemap.xml"
check "sitemap: lastmod from date" grep -qzE '<loc>https://example.org/aup/en/news/third/</loc>\s*<lastmod>2024-02-29</lastmod>' "$O/sitemap.xml"

# News: the three newest on each home page, newest first, with dates.
for lang in en th; do
	h=$O/$lang/index.html
	order=$(main_of "$h" | grep -oE 'href="news/[a-z]+/"' | tr '\n' ' ')
	check "$lang home: three newest news, newest first" test "$order" = 'href="news/third/" href="news/second/" href="news/first/" '
	check "$lang home: link to all news" grep -qE '<p><a href="news/">(All news|ข่าวทั้งหมด)</a></p>' "$h"
	list=$(main_of "$O/$lang/news/index.html" | grep -oE 'href="[a-z]+/"' | tr '\n' ' ')
	check "$lang news section: every item, newest first" test "$list" = 'href="third/" href="second/" href="first/" href="fourth/" '
	feed=$O/$lang/feed.xml
	check "$lang feed: news entries" test "$(grep -c "<id>https://example.org/aup/$lang/news/" "$feed")" = 4
done
check "en home: news dates" contains "$en" '<small class="m"><span>29 February 2024</span></small>'
check "th home: news dates in the Buddhist Era" contains "$th" '<small class="m"><span>29 กุมภาพันธ์ 2567</span></small>'
check "en home: news heading" contains "$en" '<h2>News</h2>'

# The cache: a news item made the newest reaches the home page, as without it.
sed -i 's/^date: 2022-12-31/date: 2025-01-01/' "$C/en/news/fourth.md" "$C/th/news/fourth.md"
(cd "$S" && "$SAPAN" build --quiet) 2>/dev/null
check "cache: rebuild exit 0" test $? = 0
cp -r "$S" "$WORK/fresh"
rm -rf "$WORK/fresh/site"
(cd "$WORK/fresh" && "$SAPAN" build --quiet --no-cache) 2>/dev/null
check "cache: same site as a build without the cache" diff -r -x .sapan-manifest "$O" "$WORK/fresh/site"
check "cache: home shows the new newest" test "$(main_of "$en" | grep -oE 'href="news/[a-z]+/"' | head -1)" = 'href="news/fourth/"'
sed -i 's/^title: "Second en"/title: "Second, renamed"/' "$C/en/news/second.md"
(cd "$S" && "$SAPAN" build --quiet) 2>/dev/null
check "cache: a news title edit reaches the home page" contains "$en" '>Second, renamed</a>'

# Every identity field with hostile text is escaped.
H=$WORK/hostile
mkdir -p "$H"
cp -r "$FIX/content" "$ROOT/templates" "$H/"
cp "$C/media/logo.svg" "$H/content/media/"
cat >>"$H/content/site.yaml" <<'EOF'
organisation: "<script>alert('o')</script>&amp;\"O"
logo:
  file: /media/logo.svg
  alt: "\"><script>alert('a')</script>"
contact:
  address: "<b>A</b> & \"B\"\n<i>C</i>"
  email: "o'neil&co+{x}@example.org"
  phone: "+66 (2) 123-4567"
footer: "<script>alert('f')</script> & 'F'"
links:
  - title: "<img src=x onerror=alert(1)>"
    url: "https://example.com/?a=1&b='2'"
EOF
(cd "$H" && "$SAPAN" build --quiet) 2>"$WORK/herr"
check "hostile: builds" test $? = 0
for f in "$H/site/en/index.html" "$H/site/th/index.html" "$H/site/index.html"; do
	n=${f#"$H/site/"}
	check "$n: no raw script" lacks "$f" '<script'
	check "$n: no raw img" lacks "$f" '<img src=x'
	check "$n: no raw b or i" lacks "$f" '<b>A'
done
f=$H/site/en/index.html
check "hostile: organisation escaped" contains "$f" '&lt;script&gt;alert(&#39;o&#39;)&lt;/script&gt;&amp;amp;&quot;O'
check "hostile: alt escaped" contains "$f" 'alt="&quot;&gt;&lt;script&gt;alert(&#39;a&#39;)&lt;/script&gt;"'
check "hostile: address escaped" contains "$f" '<span>&lt;b&gt;A&lt;/b&gt; &amp; &quot;B&quot;</span><span>&lt;i&gt;C&lt;/i&gt;</span>'
check "hostile: e-mail escaped" contains "$f" '<a href="mailto:o&#39;neil&amp;co+{x}@example.org">o&#39;neil&amp;co+{x}@example.org</a>'
check "hostile: phone" contains "$f" '<a href="tel:+6621234567">+66 (2) 123-4567</a>'
check "hostile: footer escaped" contains "$f" '<p>&lt;script&gt;alert(&#39;f&#39;)&lt;/script&gt; &amp; &#39;F&#39;</p>'
check "hostile: link escaped" contains "$f" '<a href="https://example.com/?a=1&amp;b=&#39;2&#39;">&lt;img src=x onerror=alert(1)&gt;</a>'
check "hostile: root page escaped" contains "$H/site/index.html" '<span lang="en">&lt;script&gt;alert(&#39;o&#39;)&lt;/script&gt;'
check "hostile: the site passes sapan check" bash -c "cd '$H' && '$SAPAN' check --quiet"

# A PNG logo is shown but is no icon; no logo at all: the empty icon stays.
P=$WORK/png
mkdir -p "$P"
cp -r "$FIX/content" "$ROOT/templates" "$P/"
printf '\x89PNG\r\n\x1a\n' >"$P/content/media/logo.png"
printf 'logo:\n  file: media/logo.png\n  alt: "Logo"\n' >>"$P/content/site.yaml"
(cd "$P" && "$SAPAN" build --quiet) 2>/dev/null
check "png: builds" test $? = 0
check "png: shown in the header" contains "$P/site/en/index.html" '<img src="../media/logo.png" alt="Logo" width="48" height="48">'
check "png: empty icon" contains "$P/site/en/index.html" '<link rel="icon" href="data:,">'
check "png: not an icon" lacks "$P/site/en/index.html" 'image/svg+xml'
check "no logo: empty icon" contains "$WORK/fresh/site/index.html" 'href="./media/logo.svg"'
N=$WORK/plain
mkdir -p "$N"
cp -r "$FIX/content" "$ROOT/templates" "$N/"
(cd "$N" && "$SAPAN" build --quiet) 2>/dev/null
for f in "$N/site/index.html" "$N/site/en/index.html" "$N/site/404.html"; do
	check "no identity: ${f#"$N/site/"} keeps the empty icon" contains "$f" '<link rel="icon" href="data:,">'
	check "no identity: ${f#"$N/site/"} has no logo" lacks "$f" '<img'
done
check "no identity: header shows the site title" contains "$N/site/en/index.html" '<a class="brand" href="./"><span>Fixture Site</span></a>'
check "no identity: no empty footer parts" lacks "$N/site/en/index.html" '<address'
check "no identity: no root header" lacks "$N/site/index.html" 'class="root"'
finish
