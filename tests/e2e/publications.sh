#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The publications page of each language: every document the pages list,
# each once with all the pages that list it, newest first, labelled in the
# page's language; in the menu; and kept or rewritten by the build cache
# exactly when what it shows changes.
source "$(dirname "$0")/lib.bash"
D=$WORK/project
mkdir -p "$D"
cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$D/"
cd "$D" || exit 1
C=content
# Older lists the Phase Two summary again, and a report of its own; a
# newer page lists a plan; a page without a date lists a note.
sed -i 's/^period: 2009-2011$/period: 2009-2011\nresources:\n  - title: Old summary\n    files:\n      en: \/media\/summary-en.pdf\n  - title: Final report\n    files:\n      en: \/media\/report.pdf/' \
	$C/en/projects/older.md
printf -- '---\ntitle: Plans\ndate: 2021-01-01\nresources:\n  - title: Plan 2021\n    files:\n      en: /media/plan.pdf\n      th: /media/plan-th.pdf\n---\nPlans.\n' >$C/en/plans.md
printf -- '---\ntitle: Notes\nresources:\n  - title: A note\n    files:\n      en: /media/note.txt\n---\nNotes.\n' >$C/en/notes.md
printf '%%PDF report\n' >$C/media/report.pdf
head -c 5000 /dev/zero >$C/media/plan.pdf
printf '%%PDF plan\n' >$C/media/plan-th.pdf
printf 'note\n' >$C/media/note.txt
sleep 2

"$SAPAN" build --quiet >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "the build"; }
EN=site/en/publications/index.html
TH=site/th/publications/index.html
check "a publications page in English" test -f $EN
check "and in Thai" test -f $TH

# titles FILE: the documents' titles, in order.
titles() { main_of "$1" | sed -n 's/^<li><span[^>]*>\([^<]*\)<\/span>.*/\1/p' | paste -sd'|'; }
check "newest first, each document once: English" \
	test "$(titles $EN)" = "Plan 2021|Phase Two Summary|Field notes|Final report|A note"
check "newest first, each document once: Thai titles where there is a Thai page" \
	test "$(titles $TH)" = "Plan 2021|สรุประยะที่สอง|บันทึกภาคสนาม|Final report|A note"
count() { main_of "$1" | grep -o "href=\"[^\"]*$2\"" | wc -l; }
check "a file shared by two pages is listed once" test "$(count $EN summary-en.pdf)" = 1
check "... with both pages" \
	main_of $EN | grep -F 'Phase Two Summary' | grep -qF 'Listed on: <a href="../projects/phase-two/">Phase Two</a>; <a href="../projects/older/">Older Project</a>'
line_of() { main_of "$1" | grep -F "$2"; }
check "languages, types and sizes, in English" \
	sh -c "grep -F 'Plan 2021' $EN | grep -qF '>English</a> <small>PDF, 5 KB</small>; <a href=\"../../media/plan-th.pdf\" hreflang=\"th\">Thai</a> <small>PDF, 1 KB</small>'"
check "... and in Thai" \
	sh -c "grep -F 'Plan 2021' $TH | grep -qF '>ภาษาอังกฤษ</a> <small>PDF, 5 KB</small>; <a href=\"../../media/plan-th.pdf\" hreflang=\"th\">ภาษาไทย</a>'"
check "an English title on the Thai page says its language" grep -qF '<li><span lang="en">Plan 2021</span>' $TH
check "the English pages a Thai page names say so" grep -qF '(ภาษาอังกฤษ)' $TH
check "every file of the English page is on the Thai one" \
	test "$(main_of $EN | grep -o 'href="../../media/[^"]*"' | sort)" = \
	"$(main_of $TH | grep -o 'href="../../media/[^"]*"' | sort)"
check "the menu links it" grep -qF '<a href="../publications/">Publications</a>' site/en/guide/index.html
check "on its own page, as the current entry" grep -qF '<a href="./" aria-current="page">Publications</a>' $EN
check "the Thai menu in Thai" grep -qF '>เอกสารเผยแพร่</a>' site/th/index.html
check "the switcher leads to the other language's page" grep -qF 'href="../../th/publications/" hreflang="th"' $EN

# The cache: nothing changed, nothing written; a change it shows rewrites it.
"$SAPAN" build >"$WORK/out" 2>&1
check "a rebuild with no change writes nothing" grep -q '; 0 files written, ' "$WORK/out"
stamp() { stat -c %Y.%i "$1"; }
before=$(stamp $EN)
printf 'more\n' >>$C/media/note.txt
"$SAPAN" build --quiet
check "a file that grows rewrites the page" grep -qF '<small>TXT, 1 KB</small>' $EN
printf 'more\n' >>$C/media/plan-th.pdf
sed -i 's/^  - title: Final report$/  - title: Closing report/' $C/en/projects/older.md
before=$(stamp $EN)
sleep 1
"$SAPAN" build --quiet
check "a resource title edited rewrites the page" grep -qF '<span>Closing report</span>' $EN
check "... as a new file" test "$before" != "$(stamp $EN)"
rm -rf "$WORK/fresh"
"$SAPAN" build --quiet --no-cache --output "$WORK/fresh" 2>/dev/null
check "the same site as a build without the cache" diff -r "$WORK/fresh" site

# A long publications page is split like any list: two documents a page.
docs() { grep -ho '<li><span[^>]*>[^<]*</span>' "$@" | sed 's/<[^>]*>//g'; }
all=$(docs $EN)
n=$(printf '%s\n' "$all" | wc -l)
printf 'list_page_size: 2\n' >>$C/site.yaml
"$SAPAN" build --quiet
pages=$(( (n + 1) / 2 ))
check "$n documents take $pages pages" test -f site/en/publications/page/$pages/index.html -a \
	! -e site/en/publications/page/$((pages + 1))
got=$(docs $EN $(for i in $(seq 2 $pages); do echo site/en/publications/page/$i/index.html; done))
check "every document on exactly one page, in order" test "$got" = "$all"
check "page 2 leads back to the first" grep -qF 'href="../../"' site/en/publications/page/2/index.html
check "the first leads on to page 2" grep -qF 'href="page/2/"' $EN
check "the sitemap lists page 2" grep -qF '<loc>https://example.org/aup/en/publications/page/2/</loc>' site/sitemap.xml
check "the switcher of page 2 leads to page 2 in Thai, or to its first" \
	grep -qE 'href="../../../../th/publications/(page/2/)?"' site/en/publications/page/2/index.html
rm -rf "$WORK/fresh"
"$SAPAN" build --quiet --no-cache --output "$WORK/fresh" 2>/dev/null
check "the same pages as a build without the cache" diff -r "$WORK/fresh" site
finish
