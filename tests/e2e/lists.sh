#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Long lists in pages (paginate.c): a section of 2,000 pages and an archive
# are split into pages of list_page_size entries; a home page shows the
# first 10 projects and infosheets and links the section with the rest; every entry is on exactly
# one page, in order; previous and next lead both ways; each page stays
# within the 30 KB page budget; the language switcher of page N leads to
# page N of the other language's list, or to its first page when that
# list is shorter; the sitemap lists every page; -j1/-j2/-j8 give the same
# bytes; the build cache rewrites exactly the pages an edit moves.
source "$(dirname "$0")/lib.bash"
D=$WORK/project
C=$D/content
mkdir -p "$C/en/projects" "$C/th/projects" "$C/en/past" "$C/th/past"
cp -r "$ROOT/templates" "$D/"
cat >"$C/site.yaml" <<'EOF'
base_url: https://example.org/
default_language: en
languages:
  - code: en
    name: English
  - code: th
    name: ไทย
title:
  en: Lists
  th: รายการ
EOF
printf -- '---\ntitle: Home\n---\nWelcome.\n' >"$C/en/_index.md"
printf -- '---\ntitle: หน้าแรก\n---\nยินดีต้อนรับ\n' >"$C/th/_index.md"
printf -- '---\ntitle: Projects\nsummary: Every project.\n---\nAll our projects.\n' \
	>"$C/en/projects/_index.md"
printf -- '---\ntitle: โครงการ\nsummary: ทุกโครงการ\n---\nโครงการทั้งหมด\n' \
	>"$C/th/projects/_index.md"
printf -- '---\ntitle: Past\nmenu: false\n---\nPast work.\n' >"$C/en/past/_index.md"
printf -- '---\ntitle: ที่ผ่านมา\nmenu: false\n---\nงานที่ผ่านมา\n' >"$C/th/past/_index.md"
# 2,000 projects, ordered by weight; each with a summary as long as a
# real one (about 150 characters), the first 200 in Thai too. The home
# page shows the first 10 of them.
for i in $(seq -w 1 2000); do
	printf -- '---\ntitle: Project %s\nkind: project\nweight: %d\nsummary: %s\n---\nText.\n' \
		"$i" "$((10#$i))" \
		"Water, sanitation and hygiene with migrant and host communities in Tak province, year $i, with partners from the district health office" \
		>"$C/en/projects/p$i.md"
	[ "$((10#$i))" -le 200 ] &&
		printf -- '---\ntitle: โครงการ %s\nkind: project\nweight: %d\nsummary: %s\n---\nข้อความ\n' \
			"$i" "$((10#$i))" "น้ำสะอาดและสุขอนามัยกับชุมชนผู้ย้ายถิ่นและชุมชนเจ้าบ้านในจังหวัดตาก ปี $i" \
			>"$C/th/projects/p$i.md"
done
# The archive: 70 past projects in English (3 pages); their 40 Thai
# versions are still running, so the Thai archive has 30 (1 page).
for i in $(seq -w 1 70); do
	printf -- '---\ntitle: Past %s\nstatus: inactive\nperiod: "2001-20%s"\n---\nText.\n' \
		"$i" "$i" >"$C/en/past/q$i.md"
	[ "$((10#$i))" -le 40 ] &&
		printf -- '---\ntitle: อดีต %s\n---\nข้อความ\n' "$i" >"$C/th/past/q$i.md"
done
# 40 top-level pages: the home page's children, which it does not show;
# the first 12 are infosheets, which it does show.
for i in $(seq 40); do
	kind=page
	[ "$i" -le 12 ] && kind=infosheet
	printf -- '---\ntitle: Top %d\nkind: %s\nweight: %d\n---\nText.\n' "$i" "$kind" "$i" \
		>"$C/en/top$i.md"
done
cd "$D" || exit 1
# Files changed in the second before a build are read again by the next.
sleep 2

"$SAPAN" build --quiet -j2 2>"$WORK/err" || { cat "$WORK/err"; fail "the site builds"; }
S=$D/site

# list_pages BASE: the files of a list, first page first.
list_pages() {
	echo "$S/$1index.html"
	local n=2
	while [ -f "$S/$1page/$n/index.html" ]; do
		echo "$S/$1page/$n/index.html"
		n=$((n + 1))
	done
}
# entries FILE: the site-relative paths a list page lists, in order.
entries() {
	local dir
	dir=$(dirname "$1")
	main_of "$1" | sed -n '/<ul class="list">/,/<\/ul>/p' |
		grep -o '^<li><a href="[^"]*"' | sed "s|.*href=\"\\([^\"]*\\)\"|$dir/\\1|" |
		xargs -r realpath -m --relative-to="$S"
}
# link FILE REL: where the link rel="REL" of the pager leads, site-relative.
link() {
	local href
	href=$(grep -o "<a href=\"[^\"]*\" rel=\"$2\"" "$1" | sed 's/<a href="\([^"]*\)".*/\1/')
	[ -n "$href" ] && realpath -m --relative-to="$S" "$(dirname "$1")/$href"
}

mapfile -t pages < <(list_pages en/projects/)
check "2,000 entries at 30 a page take 67 pages (${#pages[@]})" [ "${#pages[@]}" = 67 ]
check "no page 68" test ! -e "$S/en/projects/page/68"
[ "${#pages[@]}" = 67 ] || { finish; exit 1; }
for f in "${pages[@]}"; do entries "$f"; done >"$WORK/listed"
seq -f 'en/projects/p%04g' 1 2000 >"$WORK/want"
check "every entry is on exactly one page, in order" diff "$WORK/want" "$WORK/listed"
check "page 67 holds the last 20" [ "$(entries "${pages[66]}" | wc -l)" = 20 ]
check "the first page keeps the section's address and text" \
	contains "$S/en/projects/index.html" '<p>All our projects.</p>'
check "later pages show the list without the text" \
	lacks "$S/en/projects/page/2/index.html" 'All our projects.'
big=0
for f in $(find "$S" -name index.html); do
	size=$(stat -c %s "$f")
	[ "$size" -gt "$big" ] && big=$size
done
check "every page is within the 30 KB budget (largest: $big bytes)" [ "$big" -le 30720 ]
bad=0
for k in $(seq 0 65); do
	here=$(realpath -m --relative-to="$S" "$(dirname "${pages[$k]}")")
	there=$(realpath -m --relative-to="$S" "$(dirname "${pages[$((k + 1))]}")")
	[ "$(link "${pages[$k]}" next)" = "$there" ] || { bad=1; echo "next of $here"; }
	[ "$(link "${pages[$((k + 1))]}" prev)" = "$here" ] || { bad=1; echo "prev of $there"; }
done
check "previous and next lead both ways on every page" [ "$bad" = 0 ]
check "the first page has no previous" lacks "${pages[0]}" 'rel="prev"'
check "the last page has no next" lacks "${pages[66]}" 'rel="next"'
check "page 5 links page numbers around it" \
	grep -qF '<a href="./" aria-current="page">5</a>' "$S/en/projects/page/5/index.html"
check "and the first and the last" grep -qF '<a href="../67/">67</a>' \
	"$S/en/projects/page/5/index.html"
check "a later page's title says which page it is" \
	contains "$S/en/projects/page/5/index.html" '<title>Projects – Page 5 | Lists</title>'
check "its canonical address is its own" contains "$S/en/projects/page/5/index.html" \
	'<link rel="canonical" href="https://example.org/en/projects/page/5/">'

check "a home page is not split: its layout shows the site's lists, not its children" \
	test ! -e "$S/en/page"
# home_lists FILE: the site-relative paths each list of a home page shows,
# a line per list.
home_lists() {
	local dir
	dir=$(dirname "$1")
	main_of "$1" | awk '/<ul class="list">/ { if (line) print line; line = "" }
		/^<li><a href="/ { sub(/^<li><a href="/, ""); sub(/".*/, ""); line = line " " $0 }
		END { print line }' | sed 's/^ //'
}
seq -f 'projects/p%04g/' -s ' ' 1 10 >"$WORK/want-home"
seq -f 'top%g/' -s ' ' 1 10 >>"$WORK/want-home"
home_lists "$S/en/index.html" >"$WORK/home"
check "the home page shows the first 10 projects and infosheets by weight" \
	diff "$WORK/want-home" "$WORK/home"
check "and the Thai one its first 10 Thai projects" \
	[ "$(home_lists "$S/th/index.html" | head -1)" = "$(head -1 "$WORK/want-home")" ]
check "the cut list of projects links its section" \
	contains "$S/en/index.html" '<p><a href="projects/">See the whole list</a></p>'
check "in Thai too" contains "$S/th/index.html" '<p><a href="projects/">ดูรายการทั้งหมด</a></p>'
check "the infosheets, which no one section holds, get no such link" \
	[ "$(grep -c 'See the whole list' "$S/en/index.html")" = 1 ]

# The switcher: the Thai list has the same 2,000 entries (1,800 fall back
# to English), so page 5 leads to page 5; the Thai archive is shorter.
check "the switcher of page 5 leads to page 5 of the Thai list" \
	grep -qF '<a href="../../../../th/projects/page/5/" hreflang="th">' \
	"$S/en/projects/page/5/index.html"
check "and back" grep -qF '<a href="../../../../en/projects/page/5/" hreflang="en">' \
	"$S/th/projects/page/5/index.html"
check "with hreflang alternates to the same page" \
	contains "$S/en/projects/page/5/index.html" \
	'<link rel="alternate" hreflang="th" href="https://example.org/th/projects/page/5/">'
mapfile -t past < <(list_pages en/archive/)
check "the English archive takes 3 pages" [ "${#past[@]}" = 3 ]
check "the Thai archive 1" [ "$(list_pages th/archive/ | wc -l)" = 1 ]
check "the switcher of archive page 3 leads to the first page of the Thai archive" \
	grep -qF '<a href="../../../../th/archive/" hreflang="th" aria-describedby="na-th">' \
	"$S/en/archive/page/3/index.html"
check "and no Thai alternate is claimed for it" \
	lacks "$S/en/archive/page/3/index.html" 'hreflang="th" href='
for f in "${past[@]}"; do entries "$f"; done >"$WORK/past"
check "the archive lists each past project once" [ "$(sort -u "$WORK/past" | wc -l)" = 70 ]
check "newest first" [ "$(head -1 "$WORK/past")" = en/past/q70 ]

# The sitemap lists every page of every list, and nothing else new.
grep -o '<loc>[^<]*</loc>' "$S/sitemap.xml" | sed 's|<loc>https://example.org/||;s|</loc>||' |
	grep '/page/' | sort >"$WORK/in-sitemap"
(cd "$S" && find . -path '*/page/*' -name index.html | sed 's|^\./||;s|index.html$||' | sort) \
	>"$WORK/written"
check "the sitemap lists every later page of every list" diff "$WORK/written" "$WORK/in-sitemap"
check "there are such pages in both languages" \
	[ "$(grep -c '^th/projects/page/' "$WORK/in-sitemap")" = 66 ]

"$SAPAN" check >"$WORK/check" 2>&1
check "sapan check finds no bad link, alternate or switcher link (the warnings: past projects whose Thai versions still run) ($(tail -1 "$WORK/check"))" \
	grep -q '^check: 0 errors,' "$WORK/check"

# The same bytes whatever the number of threads.
for j in 1 8; do
	"$SAPAN" build --quiet --no-cache -j$j --output "$WORK/j$j" 2>/dev/null
	check "-j$j gives the same site as -j2" diff -r "$WORK/j$j" "$S"
done

# The cache: nothing changed, nothing written.
"$SAPAN" build -j2 >"$WORK/out" 2>&1
check "a rebuild without a change writes nothing ($(tail -1 "$WORK/out"))" \
	grep -q ' 0 files written, [0-9]* unchanged, 0 deleted' "$WORK/out"
# A new first entry moves every entry one place on: every page changes.
cp -r "$S" "$WORK/before"
sleep 1 # a file written in the same second as the last build would be read anyway
printf -- '---\ntitle: Project 0000\nkind: project\nweight: 0\n---\nText.\n' \
	>"$C/en/projects/p0000.md"
"$SAPAN" build --quiet -j2 2>/dev/null
"$SAPAN" build --quiet --no-cache --output "$WORK/fresh" 2>/dev/null
check "after a new first entry, the same site as a build without the cache" \
	diff -r "$WORK/fresh" "$S"
check "page 67 begins with the last entry of page 66" \
	[ "$(entries "$S/en/projects/page/67/index.html" | head -1)" = en/projects/p1980 ]
differs() { ! cmp -s "$1" "$2"; }
check "and changed" differs "$WORK/before/en/projects/page/67/index.html" \
	"$S/en/projects/page/67/index.html"
check "the home page now shows it first" \
	[ "$(home_lists "$S/en/index.html" | head -1 | cut -d' ' -f1)" = projects/p0000/ ]
# An edit to one entry's title changes its page of the list and nothing
# else of the list.
cp -r "$S" "$WORK/before2"
sed -i 's/^title: Project 1500$/title: Project 1500 renamed/' "$C/en/projects/p1500.md"
"$SAPAN" build --quiet -j2 2>/dev/null
(cd "$S" && diff -rq "$WORK/before2" . | grep -o 'en/projects/[^ ]*index.html' | sort -u) \
	>"$WORK/changed"
check "a title edit rewrites the one list page that shows it ($(tr '\n' ' ' <"$WORK/changed"))" \
	[ "$(grep -c '/page/' "$WORK/changed")" = 1 ]
check "the page 51 one" grep -qx 'en/projects/page/51/index.html' "$WORK/changed"
check "and leaves the home page, which does not show it, as it was" \
	cmp "$WORK/before2/en/index.html" "$S/en/index.html"
rm -rf "$WORK/fresh"
"$SAPAN" build --quiet --no-cache --output "$WORK/fresh" 2>/dev/null
check "the same site as a build without the cache" diff -r "$WORK/fresh" "$S"
# A smaller list_page_size makes more pages; removed pages go.
printf 'list_page_size: 100\n' >>"$C/site.yaml"
"$SAPAN" build --quiet -j2 2>/dev/null
check "list_page_size: 100 gives 21 pages" [ "$(list_pages en/projects/ | wc -l)" = 21 ]
check "and the pages past them are gone" test ! -e "$S/en/projects/page/22"
finish
