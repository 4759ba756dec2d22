#!/usr/bin/env bash
# Translations that stay in step: sapan check warns, in both files, when
# language versions differ in kind, status, the years of their period, the
# number of donors, previous phase or resource files; a Buddhist Era period
# with the same years agrees; `check --translations` prints the table of
# every page's languages; a key in the wrong letter case is an error naming
# the right key; an unknown key is a warning, counted, that fails --strict.
source "$(dirname "$0")/lib.bash"
FIX=$ROOT/tests/fixtures/basic
S=$WORK/site
mkdir -p "$S"
cp -r "$FIX/content" "$ROOT/templates" "$S/"
run() { (cd "$S" && "$SAPAN" check "$@") >"$WORK/out" 2>"$WORK/err"; status=$?; }
want() { check "$1" contains "$WORK/err" "$2"; }
EN=content/en/projects/phase-one.md
TH=content/th/projects/phase-one.md

# The fixture agrees, with a Thai period in the Buddhist Era.
sed -i 's/^period: 2013-2015$/period: พ.ศ. 2556–2558/' "$S/$TH"
run
check "agreeing versions: exit 0" test "$status" = 0
check "agreeing versions: no warning" grep -qE '^check: 0 errors, 0 warnings, ' "$WORK/out"

# Every field differs in the Thai version of phase one.
cat >"$S/$TH" <<'MD'
---
title: ระยะที่หนึ่ง
kind: page
status: active
period: 2012-2015
donors:
  - สหภาพยุโรป
previous_phase: /en/projects/older.md
resources:
  - title: สรุป
    files:
      th: /media/summary-th.pdf
---
## ผลการดำเนินงาน
MD
run
check "mismatches: exit 0 (warnings)" test "$status" = 0
want "kind, English side" "$EN:4:7: warning: kind differs from the th version: 'project' here, 'page' at $TH:3:7; make the language versions agree"
want "kind, Thai side" "$TH:3:7: warning: kind differs from the en version: 'page' here, 'project' at $EN:4:7; make the language versions agree"
want "status, English side" "$EN:5:9: warning: status differs from the th version: 'inactive' here, 'active' at $TH:4:9;"
want "status, Thai side" "$TH:4:9: warning: status differs from the en version: 'active' here, 'inactive' at $EN:5:9;"
want "period, English side" "$EN:6:9: warning: period (its years) differs from the th version: '2013-2015' here, '2012-2015' at $TH:5:9;"
want "period, Thai side" "$TH:5:9: warning: period (its years) differs from the en version: '2012-2015' here, '2013-2015' at $EN:6:9;"
want "donors, English side (none written)" "$EN: warning: the number of donors differs from the th version: '0 donors' here, '1 donor' at $TH:7:3;"
want "donors, Thai side" "$TH:7:3: warning: the number of donors differs from the en version: '1 donor' here, '0 donors' at $EN;"
want "previous_phase, Thai side" "$TH:8:17: warning: previous_phase differs from the en version: '/en/projects/older.md' here, '(none)' at $EN;"
want "previous_phase, English side" "$EN: warning: previous_phase differs from the th version: '(none)' here, '/en/projects/older.md' at $TH:8:17;"
want "resources, Thai side" "$TH:10:5: warning: the resource files differ from the en version: 'content/media/summary-th.pdf' is listed here, not at $EN;"
want "resources, English side" "$EN: warning: the resource files differ from the th version: 'content/media/summary-th.pdf' is listed at $TH:10:5, not here;"
check "twelve mismatch warnings" test "$(grep -c 'make the language versions agree' "$WORK/err")" = 12
run --strict
check "mismatches fail --strict" test "$status" = 1

# Previous phases that are translations of each other agree.
cp "$FIX/$TH" "$S/$TH"
sed -i 's/^weight: 2$/weight: 2\nprevious_phase: older.md/' "$S/$EN"
sed -i 's/^weight: 2$/weight: 2\nprevious_phase: older.md/' "$S/$TH"
printf -- '---\ntitle: โครงการเก่า\nkind: project\nstatus: inactive\nperiod: 2009-2011\n---\nข้อความ\n' >"$S/content/th/projects/older.md"
run
check "same previous phase in two languages: no warning" grep -qE '^check: 0 errors, 0 warnings, ' "$WORK/out"
# ... and pages that are not: a warning.
printf -- '---\ntitle: อื่น\n---\nข้อความ\n' >"$S/content/th/projects/other.md"
sed -i 's/^previous_phase: older.md$/previous_phase: other.md/' "$S/$TH"
run
want "different previous phases" "$TH:10:17: warning: previous_phase differs from the en version: 'other.md' here, 'older.md' at $EN:10:17;"
rm "$S/content/th/projects/other.md"
sed -i 's/^previous_phase: other.md$/previous_phase: older.md/' "$S/$TH"

# The table.
printf -- '---\ntitle: เฉพาะภาษาไทย\n---\nข้อความ\n' >"$S/content/th/thai-only.md"
touch -d '2001-01-01' "$S/content/th/projects/older.md"
sed -i 's/^date: 2013-06-01$/date: 2013-05-01/' "$S/$TH"
run --translations
check "table: exit 0" test "$status" = 0
check "table: header" grep -qE '^page +en +th$' "$WORK/out"
check "table: outdated" grep -qE '^en/projects/phase-one\.md +ok +outdated$' "$WORK/out"
check "table: both" grep -qE '^en/projects/older\.md +ok +ok$' "$WORK/out"
check "table: missing in Thai" grep -qE '^en/guide\.md +ok +missing$' "$WORK/out"
check "table: Thai only" grep -qE '^th/thai-only\.md +missing +ok$' "$WORK/out"
check "table: one row per page" test "$(grep -c 'older\.md' "$WORK/out")" = 1
check "table: summary still last" grep -qE '^check: ' <(tail -n 1 "$WORK/out")
run
check "no table without --translations" lacks "$WORK/out" 'phase-one.md'
(cd "$S" && "$SAPAN" build --translations) >/dev/null 2>"$WORK/err"
check "build has no --translations" test $? = 2
sed -i 's/^date: 2013-05-01$/date: 2013-06-01/' "$S/$TH"

# Keys: wrong case is an error naming the key; a misspelling is a
# warning naming the likely key, counted, and fails --strict.
sed -i 's/^status: inactive$/Status: inactive/' "$S/$TH"
run
check "Status: fails" test "$status" = 1
want "Status: names the key" "$TH:5:1: error: key 'Status' must be written 'status' (front matter keys are lower case)"
sed -i 's/^Status: inactive$/status: inactive\ndonor:\n  - EU/' "$S/$TH"
run
check "donor: exit 0" test "$status" = 0
want "donor: suggests donors" "$TH:6:1: warning: unknown key 'donor' (did you mean 'donors'?)"
check "donor: counted in the summary" grep -qE '^check: 0 errors, 1 warning, ' "$WORK/out"
run --strict
check "donor: fails --strict" test "$status" = 1
finish
