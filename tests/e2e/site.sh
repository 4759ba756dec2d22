#!/usr/bin/env bash
# Builds tests/fixtures/basic with the default templates and checks the site.
source "$(dirname "$0")/lib.bash"
FIX=$ROOT/tests/fixtures/basic
OUT=$WORK/site
"$SAPAN" build --content "$FIX/content" --templates "$ROOT/templates" --output "$OUT" \
	>"$WORK/stdout" 2>"$WORK/stderr"
status=$?
check "build exits 0" test "$status" = 0
check "build prints no diagnostics" test ! -s "$WORK/stderr"
cat "$WORK/stderr"
check "summary counts pages per language" grep -qE 'Built .*: [0-9]+ en pages, [0-9]+ th pages; [0-9]+ files written, [0-9]+ unchanged, [0-9]+ deleted; 0 warnings' "$WORK/stdout"

E=$OUT/en/projects/phase-two/index.html
T=$OUT/th/projects/phase-two/index.html
for f in index.html 404.html sitemap.xml en/index.html th/index.html en/projects/index.html \
	en/projects/phase-one/index.html th/projects/phase-one/index.html en/archive/index.html \
	th/archive/index.html en/guide/index.html media/summary-en.pdf "en/docs/field notes.txt"; do
	check "output has $f" test -f "$OUT/$f"
done
check "no page for the Thai guide" test ! -e "$OUT/th/guide"
check "translation_key pairs renamed pages" contains "$OUT/th/projects/chue-thai/index.html" 'hreflang="en" href="https://example.org/aup/en/projects/renamed/"'
check "no temporary folders left" test -z "$(ls -d "$WORK"/site.* 2>/dev/null)"

# Links: every href and src resolves, fragments exist, hreflang is symmetric.
"$SAPAN" check --content "$FIX/content" --templates "$ROOT/templates" --output "$OUT" \
	>"$WORK/links" 2>"$WORK/links-err"
check "sapan check passes" test $? = 0
check "all links resolve and hreflang is symmetric" grep -qE '^check: 0 errors, 0 warnings, ' "$WORK/links"
grep -v ': note: ' "$WORK/links-err" | head -20

check "html lang" contains "$T" '<html lang="th"'
check "charset" contains "$E" '<meta charset="utf-8">'
check "viewport" contains "$E" 'name="viewport"'
check "description from summary" contains "$E" '<meta name="description" content="The current phase.">'
check "description from first paragraph" contains "$OUT/en/projects/older/index.html" 'content="The first paragraph becomes the description when there is no summary."'
check "canonical" contains "$E" '<link rel="canonical" href="https://example.org/aup/en/projects/phase-two/">'
check "hreflang th" contains "$E" 'hreflang="th" href="https://example.org/aup/th/projects/phase-two/"'
check "hreflang x-default" contains "$T" 'hreflang="x-default" href="https://example.org/aup/en/projects/phase-two/"'
check "relative stylesheet" grep -qE 'href="\.\./\.\./\.\./assets/style\.[0-9a-f]{8}\.css"' "$E"

# Markdown links become relative output URLs; headings get GitHub ids.
check "md link rewritten" contains "$E" 'href="../phase-one/#results"'
check "cross-language link" contains "$E" 'href="../../../th/projects/phase-two/"'
check "file link" contains "$E" 'href="../../../media/summary-en.pdf"'
check "heading id" contains "$E" 'id="how-we-work"'
check "repeated heading id" contains "$E" 'id="how-we-work-1"'
check "Thai heading id" contains "$T" 'id="วิธีการทำงาน"'

# Resources: both languages, file type and size, hreflang on each file.
check "resource en file" contains "$E" 'href="../../../media/summary-en.pdf" hreflang="en"'
check "resource th file" contains "$E" 'href="../../../media/summary-th.pdf" hreflang="th"'
check "resource size en" contains "$E" 'PDF, 3 KB'
check "resource size th" contains "$E" 'PDF, 293 KB'
check "file name with a space is encoded" contains "$E" 'href="../../docs/field%20notes.txt"'
check "external resource" contains "$E" 'href="https://partner.example.net/"'
check "page resource in Thai leads to the English page" contains "$T" 'href="../../../en/guide/"'

# Facts and phases.
check "donors listed" contains "$E" 'Example Fund'
check "previous phase link" contains "$E" 'href="../phase-one/"'
check "next phase computed" contains "$OUT/en/projects/phase-one/index.html" 'href="../phase-two/"'
check "inactive status line" contains "$OUT/en/projects/phase-one/index.html" 'Inactive (Previous Projects)'
check "Thai date" contains "$OUT/th/projects/phase-one/index.html" '1 มิถุนายน 2556'
check "English date" contains "$OUT/en/projects/phase-one/index.html" '1 June 2013'

# Switcher: same page, or nearest translated ancestor with a note.
check "switcher to Thai page" contains "$E" 'href="../../../th/projects/phase-two/"'
G=$OUT/en/guide/index.html
check "switcher falls back to Thai home" grep -q 'href="\.\./\.\./th/"' "$G"
check "switcher says not available" contains "$G" 'หน้านี้ยังไม่มีฉบับภาษาไทย'

# Archive: exactly the inactive pages, newest period first.
main_of "$OUT/en/archive/index.html" >"$WORK/archive"
check "archive lists phase one" contains "$WORK/archive" 'href="../projects/phase-one/"'
check "archive lists older project" contains "$WORK/archive" 'href="../projects/older/"'
check "archive leaves out active pages" lacks "$WORK/archive" 'phase-two'
check "archive newest first" test "$(grep -n 'phase-one/' "$WORK/archive" | head -1 | cut -d: -f1)" -lt "$(grep -n 'older/' "$WORK/archive" | head -1 | cut -d: -f1)"
main_of "$OUT/th/archive/index.html" >"$WORK/archive-th"
check "Thai archive lists English-only inactive page" contains "$WORK/archive-th" 'href="../../en/projects/older/"'

# Lists in Thai reach English-only pages, labelled as English.
main_of "$OUT/th/projects/index.html" >"$WORK/th-projects"
check "Thai section lists English-only page" contains "$WORK/th-projects" 'href="../../en/projects/older/"'
check "English-only entry is labelled" contains "$WORK/th-projects" 'lang="en"'
# Lists show each page's summary, or its first paragraph, whatever the
# order in which pages are built (a section's _index.md comes first).
main_of "$OUT/en/projects/index.html" >"$WORK/en-projects"
check "section list shows a summary" contains "$WORK/en-projects" 'The first phase, in Mae Sot.'
check "section list shows a first paragraph" contains "$WORK/en-projects" 'The first paragraph becomes the description when there is no summary.'
main_of "$OUT/th/index.html" >"$WORK/th-home"
check "Thai home lists the English-only infosheet" contains "$WORK/th-home" 'href="../en/guide/"'
check "Thai home lists active project" contains "$WORK/th-home" 'href="projects/phase-two/"'
check "home leaves out inactive projects" lacks "$WORK/th-home" 'phase-one/'
check "Thai home shows an English-only page's summary" contains "$WORK/th-home" 'A guide that exists only in English.'

# Root page and sitemap.
check "root offers English" contains "$OUT/index.html" 'href="./en/"'
check "root offers Thai" contains "$OUT/index.html" 'href="./th/"'
check "root has no script" lacks "$OUT/index.html" '<script'
check "sitemap lists pages" contains "$OUT/sitemap.xml" '<loc>https://example.org/aup/th/projects/phase-one/</loc>'
check "sitemap alternates" contains "$OUT/sitemap.xml" '<xhtml:link rel="alternate" hreflang="th" href="https://example.org/aup/th/projects/phase-two/"/>'
# The sitemap and the pages take their alternates from one place: for every
# page, the hreflang links in its <head> are the ones of its sitemap entry.
same_alternates() { # site-relative folder of a page
	local page=$1 from_page from_map
	from_page=$(grep -o '<link rel="alternate" hreflang="[^"]*" href="[^"]*"' "$OUT/${page}index.html" |
		sed 's/<link rel="alternate" //')
	from_map=$(awk -v loc="<loc>https://example.org/aup/$page</loc>" '
		index($0, loc) { on = 1; next } on && /<\/url>/ { exit } on' "$OUT/sitemap.xml" |
		grep -o 'hreflang="[^"]*" href="[^"]*"')
	[ -n "$from_page" ] && [ "$from_page" = "$from_map" ]
}
for page in en/projects/phase-two/ th/projects/phase-two/ en/guide/ en/archive/ th/archive/; do
	check "sitemap and page agree on the alternates of $page" same_alternates "$page"
done
check "sitemap is well-formed" xmllint --noout "$OUT/sitemap.xml"
check "sitemap lists the archives" contains "$OUT/sitemap.xml" '<loc>https://example.org/aup/th/archive/</loc>'
# The search pages are not in it: they are a tool, not content.
check "sitemap lists every page of every language" test "$(grep -c '<loc>' "$OUT/sitemap.xml")" = "$(find "$OUT/en" "$OUT/th" -name index.html ! -path '*/search/*' | wc -l)"
check "... but not the search pages" lacks "$OUT/sitemap.xml" '/search/</loc>'

# Without base_url: no canonical or hreflang, and no sitemap, since the
# sitemap protocol allows only absolute URLs; a note says so.
cp -r "$FIX/content" "$WORK/nobase"
sed -i '/^base_url/d' "$WORK/nobase/site.yaml"
"$SAPAN" build --content "$WORK/nobase" --templates "$ROOT/templates" --output "$WORK/nobase-site" >"$WORK/out2" 2>"$WORK/err2"
check "builds without base_url" test $? = 0
check "no canonical without base_url" lacks "$WORK/nobase-site/en/projects/phase-two/index.html" 'rel="canonical"'
check "no alternates without base_url" lacks "$WORK/nobase-site/en/projects/phase-two/index.html" 'hreflang="x-default"'
check "no sitemap without base_url" test ! -e "$WORK/nobase-site/sitemap.xml"
printf '%s\n' "$WORK/nobase/site.yaml: note: no sitemap.xml and no feed.xml were written: a sitemap and Atom feeds need the site's address; set base_url here (or use --base-url) to get them" >"$WORK/want2"
check "a note says why there is no sitemap" diff "$WORK/want2" "$WORK/err2"
check "the summary still counts 0 warnings" grep -q '; 0 warnings, ' "$WORK/out2"
"$SAPAN" build --quiet --content "$WORK/nobase" --templates "$ROOT/templates" --output "$WORK/nobase-q" 2>"$WORK/err3"
check "--quiet leaves the note out" test ! -s "$WORK/err3"
check "--base-url overrides" "$SAPAN" build --quiet --content "$WORK/nobase" --templates "$ROOT/templates" --output "$WORK/cli-site" --base-url https://cli.example/
check "--base-url used" contains "$WORK/cli-site/en/index.html" 'href="https://cli.example/en/"'
check "--base-url gives a sitemap" contains "$WORK/cli-site/sitemap.xml" '<loc>https://cli.example/en/</loc>'
check "every sitemap <loc> is absolute" test "$(grep '<loc>' "$WORK/cli-site/sitemap.xml" | grep -vc '<loc>https://cli.example/')" = 0
check "sitemap <loc> entries are there" test "$(grep -c '<loc>' "$WORK/cli-site/sitemap.xml")" -gt 10

# Drafts are left out unless asked for.
printf -- '---\ntitle: Draft\ndraft: true\n---\nNot yet.\n' >"$WORK/nobase/en/draft.md"
"$SAPAN" build --quiet --content "$WORK/nobase" --templates "$ROOT/templates" --output "$WORK/d1" 2>/dev/null
check "draft left out" test ! -e "$WORK/d1/en/draft/index.html"
"$SAPAN" build --quiet --drafts --content "$WORK/nobase" --templates "$ROOT/templates" --output "$WORK/d2" 2>/dev/null
check "draft built with --drafts" test -f "$WORK/d2/en/draft/index.html"

# The default site builds with no warnings.
(cd "$ROOT" && "$SAPAN" build --output "$WORK/default") >"$WORK/def-out" 2>"$WORK/def-err"
check "default site builds" test $? = 0
check "default site has no warnings" grep -q '; 0 warnings, ' "$WORK/def-out"
check "default site prints only the sitemap note" test "$(grep -vc ': note: no sitemap.xml and no feed.xml were written' "$WORK/def-err")" = 0
cat "$WORK/def-err"
(cd "$ROOT" && "$SAPAN" check --output "$WORK/default") >"$WORK/def-links" 2>"$WORK/def-links-err"
check "sapan check passes on the default site" test $? = 0
check "default site links resolve" grep -qE '^check: 0 errors, 0 warnings, ' "$WORK/def-links"
grep -v ': note: ' "$WORK/def-links-err" | head -20
finish
