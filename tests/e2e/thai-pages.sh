#!/usr/bin/env bash
# What a reader of the Thai pages sees, and that the English pages are left
# alone: language names in the page's language, Buddhist Era periods,
# Thai dictionary order, no-break spaces of Thai typography, English-only
# pages in the Thai menu and lists (labelled), menu_title, and the root and
# 404 pages' titles in both languages.
source "$(dirname "$0")/lib.bash"
DIR=$WORK/site
mkdir -p "$DIR"
cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$DIR/"
C=$DIR/content
NB=$'\u00a0'

# Thai titles whose dictionary order differs from code-point order; given
# weights that tie, so the titles decide.
n=0
for t in "เอกสารข้อมูล" "อภิธานศัพท์" "โครงการ" "ความช่วยเหลือ" "คลังโครงการ" "เกี่ยวกับ"; do
	n=$((n + 1))
	printf -- '---\ntitle: "%s"\nkind: infosheet\n---\nข้อความ\n' "$t" >"$C/th/projects/t$n.md"
done
# An English-only page in the menu, an English-only page in the section
# list, and a Thai page whose resource page exists only in English.
printf -- '---\ntitle: Glossary\nmenu: true\n---\nTerms.\n' >"$C/en/glossary.md"
printf -- '---\ntitle: English Only\nkind: project\nperiod: 2013\n---\nText.\n' \
	>"$C/en/projects/english-only.md"
cat >"$C/th/about.md" <<'MD'
---
title: เกี่ยวกับ IOM ประเทศไทยและเว็บไซต์นี้
menu_title: เกี่ยวกับเรา
menu: true
kind: project
period: 2013–2015
resources:
  - title: อภิธานศัพท์
    page: /en/glossary.md
  - title: สรุปโครงการ
    files: {en: /media/summary-en.pdf, th: /media/summary-th.pdf}
---
## ต่าง ๆ

ปี พ.ศ. 2556 ถึง ค.ศ. 2015 กิจกรรมต่าง ๆ และต่างๆ `code ๆ`
MD
cat >"$C/en/about.md" <<'MD'
---
title: About
menu: true
kind: project
period: 2013-2015
resources:
  - title: Summary
    files: {en: /media/summary-en.pdf, th: /media/summary-th.pdf}
---
Text with a space before ๆ and ค.ศ. 2013 stays as written here.
MD

# A UI string with a space before ๆ, in both languages.
sed -i 's/^home: .*/home: "ข้อความสั้น ๆ"/' "$DIR/templates/i18n/th.yaml"
sed -i 's/^home: .*/home: "short ๆ"/' "$DIR/templates/i18n/en.yaml"

(cd "$DIR" && "$SAPAN" build --quiet) >"$WORK/out" 2>&1
check "builds" test $? = 0
cat "$WORK/out"
S=$DIR/site
TA=$S/th/about/index.html
EA=$S/en/about/index.html

# 1. Language labels in the page's language; lang only on text in that language.
check "th: files labelled in Thai" contains "$TA" \
	'สรุปโครงการ (<a href="../../media/summary-en.pdf" hreflang="en">ภาษาอังกฤษ</a> <small>PDF, 3 KB</small>; <a href="../../media/summary-th.pdf" hreflang="th">ภาษาไทย</a> <small>PDF, 293 KB</small>)'
check "en: files labelled in English" contains "$EA" \
	'Summary (<a href="../../media/summary-en.pdf" hreflang="en">English</a> <small>PDF, 3 KB</small>; <a href="../../media/summary-th.pdf" hreflang="th">Thai</a> <small>PDF, 293 KB</small>)'
check "en: no Thai own name as a file label" lacks "$EA" '>ไทย</a> <small>'
check "switcher keeps the own names" contains "$TA" '>English</a></li>'

# 2. Buddhist Era periods on Thai pages only.
check "th: period in BE" contains "$TA" "<dd>พ.ศ.${NB}2556–2558</dd>"
check "en: period as written" contains "$EA" '<dd>2013-2015</dd>'
check "th list: one-year period of an English-only page in BE" \
	contains "$S/th/projects/index.html" "<span>พ.ศ.${NB}2556</span>"
check "en list: one-year period as written" contains "$S/en/projects/index.html" '<span>2013</span>'

# 3. Thai dictionary order in a list (weights tie).
order=$(grep -o '<a href="t[0-9]/">[^<]*' "$S/th/projects/index.html" | sed 's/.*>//' |
	tr '\n' ' ')
check "th list in dictionary order" test "$order" = \
	"เกี่ยวกับ คลังโครงการ ความช่วยเหลือ โครงการ อภิธานศัพท์ เอกสารข้อมูล "

# 4. Typography: no-break spaces in Thai text, as written in code and in English.
check "th: before ๆ in a heading" contains "$TA" "ต่าง${NB}ๆ</h2>"
check "th: heading id from the text as written" contains "$TA" 'id="ต่าง-ๆ"'
check "th: after พ.ศ." contains "$TA" "พ.ศ.${NB}2556"
check "th: after ค.ศ." contains "$TA" "ค.ศ.${NB}2015"
check "th: before ๆ in a paragraph" contains "$TA" "กิจกรรมต่าง${NB}ๆ"
check "th: nothing inserted where no space was" contains "$TA" 'และต่างๆ'
check "th: code as written" contains "$TA" '<code>code ๆ</code>'
check "th: no <wbr>" lacks "$TA" '<wbr'
check "th: UI strings too" contains "$TA" ">ข้อความสั้น${NB}ๆ</a>"
check "en: UI strings untouched" contains "$EA" ">short ๆ</a>"
check "en: untouched" contains "$EA" 'space before ๆ and ค.ศ. 2013 stays'
check "en: no no-break space" lacks "$EA" "$NB"

# 6. English-only pages in the Thai menu and lists, labelled in Thai.
check "th menu: English-only page, labelled" contains "$TA" \
	'<a href="../../en/glossary/" hreflang="en" lang="en">Glossary</a> <small>(ภาษาอังกฤษ)</small></li>'
check "th list: English-only page, labelled" contains "$S/th/projects/index.html" \
	'hreflang="en" lang="en">English Only</a> <small>(ภาษาอังกฤษ)</small>'
check "en list: no label on English pages" lacks "$S/en/projects/index.html" '(English)'
check "th resource: English-only page, labelled, the title in Thai" contains "$TA" \
	'<a href="../../en/glossary/" hreflang="en">อภิธานศัพท์</a> <small>(ภาษาอังกฤษ)</small>'

# 9. menu_title in the menu, title on the page.
check "th menu: menu_title" contains "$S/th/index.html" '>เกี่ยวกับเรา</a></li>'
check "th page: full title" contains "$TA" '<h1>เกี่ยวกับ IOM ประเทศไทยและเว็บไซต์นี้</h1>'
check "root <title> in both languages" contains "$S/index.html" \
	'<title>Choose a language · เลือกภาษา |'
check "404 <title> in both languages" contains "$S/404.html" '<title>Page not found · ไม่พบหน้านี้</title>'

# The same site whatever the number of threads.
cp -r "$S" "$WORK/j1"
(cd "$DIR" && "$SAPAN" build --quiet -j 4 --output "$WORK/j4") >/dev/null 2>&1
check "same site with -j4" diff -r "$WORK/j1" "$WORK/j4"
finish
