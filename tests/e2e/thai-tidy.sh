#!/usr/bin/env bash
# Thai input tidy: typing faults on a Thai page are fixed in what is
# rendered, each reported as a note at its line and column by build and
# by check; the same text on an English page is left as written.
source "$(dirname "$0")/lib.bash"
FIX=$ROOT/tests/fixtures/basic
S=$WORK/site
mkdir -p "$S"
cp -r "$FIX/content" "$ROOT/templates" "$S/"
nikhahit=$'\u0e19\u0e4d\u0e32'   # น + NIKHAHIT + SARA AA
tone_first=$'\u0e01\u0e48\u0e34\u0e07'   # ก + MAI EK + SARA I + ง
zwsp=$'\u0e01\u0e32\u200b\u0e23'   # กา ZWSP ร
doubled=$'\u0e41\u0e01\u0e49\u0e49'   # แก้้
printf -- '---\ntitle: "ข่าว %s"\n---\n\nคำ %s และ %s\n\n%s ดี\n' \
	"$nikhahit" "$tone_first" "$zwsp" "$doubled" >"$S/content/th/news.md"
printf -- '---\ntitle: News\n---\n\nword %s\n' "$nikhahit" >"$S/content/en/news.md"

(cd "$S" && "$SAPAN" build) >"$WORK/out" 2>"$WORK/err"
check "build: exit 0" test $? = 0
want() { check "note: $1" contains "$WORK/err" "$1"; }
want 'content/th/news.md:2:15: note: fixed Thai spelling: SARA AM typed as NIKHAHIT + SARA AA (U+0E4D U+0E32); wrote SARA AM (U+0E33)'
want 'content/th/news.md:5:5: note: fixed Thai spelling: MAI EK (U+0E48) typed before SARA I (U+0E34); put it after'
want 'content/th/news.md:5:15: note: fixed Thai spelling: removed a ZERO WIDTH SPACE (U+200B) inside a Thai word'
want 'content/th/news.md:7:4: note: fixed Thai spelling: MAI THO (U+0E49) typed twice; kept one'
check "four notes, none for English" test "$(grep -c 'fixed Thai spelling' "$WORK/err")" = 4
page=$S/site/th/news/index.html
check "fixed title rendered" contains "$page" $'ข่าว \u0e19\u0e33'
check "fixed tone order rendered" contains "$page" $'\u0e01\u0e34\u0e48\u0e07'
check "zero-width space removed" contains "$page" $'\u0e01\u0e32\u0e23'
check "doubled mark removed" contains "$page" $'\u0e41\u0e01\u0e49 ดี'
check "no fault left" lacks "$page" "$nikhahit"
check "English page as written" contains "$S/site/en/news/index.html" "word $nikhahit"

# --quiet hides the notes; check lists them.
(cd "$S" && "$SAPAN" build --quiet) >/dev/null 2>"$WORK/err"
check "build --quiet: no notes" lacks "$WORK/err" 'fixed Thai spelling'
(cd "$S" && "$SAPAN" check) >"$WORK/out" 2>"$WORK/err"
check "check: exit 0" test $? = 0
check "check lists the notes" test "$(grep -c 'content/th/news.md:[0-9]*:[0-9]*: note: fixed Thai spelling' "$WORK/err")" = 4

# Once the files settle, a rebuild reads none of them again (the cache
# recalls them) except the page whose fixes must be noted again; a page
# whose text is let go and read again is fixed the same way.
sleep 2
(cd "$S" && "$SAPAN" build) >/dev/null 2>&1
(cd "$S" && SAPAN_TEST_RENDER_COUNTS=1 "$SAPAN" build) >"$WORK/out" 2>"$WORK/err"
check "a rebuild notes the fixes again" test "$(grep -c 'fixed Thai spelling' "$WORK/err")" = 4
check "reading only that page again" contains "$WORK/err" 'read: 1 pages'
rm -rf "$WORK/fresh"
(cd "$S" && SAPAN_TEST_TEXT_BUDGET=1 SAPAN_TEST_HTML_BUDGET=0 "$SAPAN" build --no-cache \
	--output "$WORK/fresh") >/dev/null 2>&1
check "read again, the page is fixed the same way" diff -r "$S/site" "$WORK/fresh"
finish
