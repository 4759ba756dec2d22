#!/usr/bin/env bash
# Phase chains across languages: a previous phase that exists only in
# another language is linked there, marked with hreflang, lang and the
# language's name in the words of the page's language ("(ภาษาอังกฤษ)" on a
# Thai page), in both directions of the chain; where a version in the
# reader's language exists, the links stay in it. `sapan check` passes on
# the result.
source "$(dirname "$0")/lib.bash"
DIR=$WORK/site
mkdir -p "$DIR"
cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$DIR/"
C=$DIR/content

# page FILE TITLE [PREVIOUS]: a project page.
page() {
	{
		printf -- '---\ntitle: "%s"\nkind: project\nperiod: 2020-2022\n' "$2"
		[ -n "${3:-}" ] && printf 'previous_phase: %s\n' "$3"
		printf -- '---\nText.\n'
	} >"$C/$1"
}

# 1. English-only first phase, continued in Thai only.
page en/projects/en-first.md "English First"
page th/projects/th-later.md "ระยะภาษาไทย" /en/projects/en-first.md
# 2. English-only first phase, continued in both languages.
page en/projects/solo.md "Solo Start"
page en/projects/both.md "Both Next" solo.md
page th/projects/both.md "ระยะสองภาษา" /en/projects/solo.md
# 3. A bilingual chain (the fixture's phase-one, phase-two) continued in Thai only.
page th/projects/phase-three.md "ระยะที่สาม" phase-two.md

(cd "$DIR" && "$SAPAN" build --quiet) >"$WORK/out" 2>&1
check "builds" test $? = 0
cat "$WORK/out"
S=$DIR/site

# phase FILE: the phase paragraphs of a built page.
phase() { grep '<p class="phase">' "$S/$1/index.html"; }

# 1. Both directions, each marked with the other language.
check "th-later: previous phase in English, marked" contains <(phase th/projects/th-later) \
	'โครงการระยะก่อนหน้า: <a href="../../../en/projects/en-first/" hreflang="en" lang="en">English First</a> <small>(ภาษาอังกฤษ)</small>'
check "en-first: continued in Thai, marked" contains <(phase en/projects/en-first) \
	'Continued by: <a href="../../../th/projects/th-later/" hreflang="th" lang="th">ระยะภาษาไทย</a> <small>(Thai)</small>'

# 2. The English page is continued by the English version, unmarked; the
# Thai version's previous phase is the English page, marked.
check "solo: continued by the English version" contains <(phase en/projects/solo) \
	'Continued by: <a href="../both/">Both Next</a>'
check "solo: no Thai continuation" test "$(phase en/projects/solo | wc -l)" = 1
check "th both: previous phase in English, marked" contains <(phase th/projects/both) \
	'<a href="../../../en/projects/solo/" hreflang="en" lang="en">Solo Start</a> <small>(ภาษาอังกฤษ)</small>'
check "en both: previous phase in English, unmarked" contains <(phase en/projects/both) \
	'Previous phase: <a href="../solo/">Solo Start</a>'

# 3. A Thai-only later phase shows on both versions of the page it continues.
check "th phase-two: continued in Thai, unmarked" contains <(phase th/projects/phase-two) \
	'โครงการระยะถัดมา: <a href="../phase-three/">ระยะที่สาม</a>'
check "en phase-two: continued in Thai, marked" contains <(phase en/projects/phase-two) \
	'Continued by: <a href="../../../th/projects/phase-three/" hreflang="th" lang="th">ระยะที่สาม</a> <small>(Thai)</small>'
check "en phase-two: its previous phase stays English" contains <(phase en/projects/phase-two) \
	'Previous phase: <a href="../phase-one/">Phase One</a>'
check "phase-three: previous phase in Thai" contains <(phase th/projects/phase-three) \
	'โครงการระยะก่อนหน้า: <a href="../phase-two/">ระยะที่สอง</a>'

# No link of the site leads astray, hreflang included.
(cd "$DIR" && "$SAPAN" check --strict) >"$WORK/check" 2>&1
check "sapan check --strict passes" test $? = 0
grep -v ': note: ' "$WORK/check" | grep -v '^check: ' || true
finish
