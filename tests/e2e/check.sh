#!/usr/bin/env bash
# sapan check: the default site and the basic fixture pass; a stale
# translation warns (and fails with --strict); a broken link written by a
# template names the generated file; a missing #fragment written in
# Markdown names the Markdown file, line and column; a resource that climbs
# out of content/ fails; a duplicate id is an error, at any nesting depth.
# check never creates or touches the output folder
# and leaves no temporary folder behind.
source "$(dirname "$0")/lib.bash"
FIX=$ROOT/tests/fixtures/basic
export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR"
SUMMARY='^check: [0-9]+ errors?, [0-9]+ warnings?, [0-9]+ notes?; [0-9]+ pages? checked, [0-9]+ links? checked$'

# run DIR ARGS...: sapan check in DIR; sets status, out, err.
run() {
	local dir=$1
	shift
	(cd "$dir" && "$SAPAN" check "$@") >"$WORK/out" 2>"$WORK/err"
	status=$?
	out=$WORK/out err=$WORK/err
	check "no temporary folder left ($dir $*)" test -z "$(ls -A "$TMPDIR")"
}

# setup NAME: a copy of the basic fixture and the default templates.
setup() {
	rm -rf "${WORK:?}/$1"
	mkdir -p "$WORK/$1"
	cp -r "$FIX/content" "$WORK/$1/content"
	cp -r "$ROOT/templates" "$WORK/$1/templates"
}

# The default site: no errors, the English-only page in the report, no site/.
mkdir -p "$WORK/default"
cp -r "$ROOT/content" "$ROOT/templates" "$WORK/default/"
run "$WORK/default"
check "default site: exit 0" test "$status" = 0
check "default site: zero errors" grep -qE '^check: 0 errors, 0 warnings, [0-9]+ notes?; ' "$out"
check "default site: summary is the last line" grep -qE "$SUMMARY" <(tail -n 1 "$out")
check "default site: English-only page reported" contains "$err" 'content/en/glossary.md: note: no th translation'
check "default site: nothing but notes" test -z "$(grep -v ': note: ' "$err")"
check "default site: pages counted" test "$(sed -E 's/.*; ([0-9]+) pages checked.*/\1/' "$out")" -gt 20
check "default site: links counted" test "$(sed -E 's/.* ([0-9]+) links checked$/\1/' "$out")" -gt 100
check "site/ is not created" test ! -e "$WORK/default/site"

# An existing output folder is left exactly as it was.
mkdir -p "$WORK/default/site/en"
echo old >"$WORK/default/site/en/index.html"
touch -d '2001-01-01 00:00' "$WORK/default/site/en/index.html" "$WORK/default/site/en" "$WORK/default/site"
listing() { find "$WORK/default/site" -printf '%p %s %T@\n' | sort; }
before=$(listing)
run "$WORK/default" --output site
check "existing site/ untouched" test "$before" = "$(listing)"
check "nothing beside site/" test "$(ls -A "$WORK/default")" = "$(printf 'content\nsite\ntemplates')"
run "$WORK/default" --quiet
check "--quiet: exit 0" test "$status" = 0
check "--quiet: no notes, no summary" test ! -s "$err" -a ! -s "$out"

# The basic fixture passes.
run "$FIX" --content "$FIX/content" --templates "$ROOT/templates"
check "fixture: exit 0" test "$status" = 0
check "fixture: zero errors and warnings" grep -qE '^check: 0 errors, 0 warnings, 2 notes; 20 pages checked, [0-9]+ links checked$' "$out"
check "fixture: English-only pages reported" contains "$err" "$FIX/content/en/projects/older.md: note: no th translation"

# A stale translation: a warning at the date; exit 0, or 1 with --strict.
setup stale
sed -i 's/^date: 2013-06-01$/date: 2012-01-01/' "$WORK/stale/content/th/projects/phase-one.md"
run "$WORK/stale"
check "stale: exit 0" test "$status" = 0
check "stale: warning at the date" contains "$err" 'content/th/projects/phase-one.md:8:7: warning: translation is older than content/en/projects/phase-one.md (2012-01-01 < 2013-06-01)'
check "stale: counted" grep -qE '^check: 0 errors, 1 warning, 2 notes; ' "$out"
run "$WORK/stale" --strict
check "stale --strict: exit 1" test "$status" = 1
check "stale --strict: same warning" contains "$err" 'content/th/projects/phase-one.md:8:7: warning: translation is older than'

# A template that writes a broken link: reported in the generated file.
setup tpl
sed -i 's|<a class="brand" href="{{home_url}}">|<a class="brand" href="{{home_url}}nowhere/">|' \
	"$WORK/tpl/templates/partials/header.mustache"
run "$WORK/tpl"
check "template link: exit 1" test "$status" = 1
check "template link: names the generated file" grep -qE "^site/en/projects/phase-two/index.html:[0-9]+: error: href '../../nowhere/' leads to no file of the built site \(en/nowhere/index.html\); a template wrote it, in the page built from content/en/projects/phase-two.md$" "$err"
check "template link: archive page too" grep -qE "^site/th/archive/index.html:[0-9]+: error: href '../nowhere/' leads to no file of the built site \(th/nowhere/index.html\)$" "$err"
check "template link: summary counts errors" grep -qE '^check: [1-9][0-9]* errors, ' "$out"

# A Markdown link to an existing page with a missing #fragment.
setup frag
sed -i 's/(phase-one.md#results)/(phase-one.md#nothing)/' "$WORK/frag/content/en/projects/phase-two.md"
run "$WORK/frag"
check "fragment: exit 1" test "$status" = 1
check "fragment: at the Markdown line and column" contains "$err" "content/en/projects/phase-two.md:25:33: error: link 'phase-one.md#nothing' leads to content/en/projects/phase-one.md, which has no heading or id 'nothing'"
check "fragment: one error" grep -qE '^check: 1 error, 0 warnings, ' "$out"

# A resource that climbs out of content/ fails the build, and so the check.
setup climb
sed -i 's|en: /media/summary-en.pdf|en: ../../../../etc/passwd|' "$WORK/climb/content/en/projects/phase-two.md"
run "$WORK/climb"
check "climbing resource: exit 1" test "$status" = 1
check "climbing resource: reported" grep -qE "^content/en/projects/phase-two.md:[0-9]+:[0-9]+: error: resource file '../../../../etc/passwd' leads outside the content folder$" "$err"
check "climbing resource: nothing checked" contains "$err" 'sapan: build failed with 1 error; nothing was checked'
check "climbing resource: summary still printed" grep -qE "$SUMMARY" "$out"

# A check stopped by Ctrl-C while it builds still removes its temporary
# folder (SAPAN_TEST_PAGE_DELAY_MS is the build's test hook that slows it).
(cd "$WORK/default" && SAPAN_TEST_PAGE_DELAY_MS=150 exec "$SAPAN" check >"$WORK/out" 2>"$WORK/err") &
pid=$!
for _ in $(seq 200); do
	[ -n "$(ls -d "$TMPDIR"/sapan-check-*/site 2>/dev/null)" ] && break
	sleep 0.05
done
check "SIGINT: the check was building" test -n "$(ls -d "$TMPDIR"/sapan-check-*/site 2>/dev/null)"
kill -INT "$pid"
wait "$pid"
status=$?
check "SIGINT: exit 130 (got $status)" test "$status" = 130
check "SIGINT: no temporary folder left" test -z "$(ls -A "$TMPDIR")"
check "SIGINT: no summary" test ! -s "$WORK/out"
check "SIGINT: names the user's output folder" grep -qx 'error: interrupted; site was not changed' "$WORK/err"

# Headings never take an id the templates use: "## Main" and "## Resources"
# become main-1 and resources-1, and the page has no duplicate id.
setup ids
cat >"$WORK/ids/content/en/ids.md" <<'PAGE'
---
title: Ids
resources:
  - title: A link
    url: https://example.org/
---
## Main

## Resources

[to main](#main-1)
PAGE
run "$WORK/ids"
check "reserved ids: exit 0" test "$status" = 0
check "reserved ids: no error" grep -qE '^check: 0 errors, ' "$out"
(cd "$WORK/ids" && "$SAPAN" build --quiet)
IDS=$WORK/ids/site/en/ids/index.html
check "reserved ids: one id=main" test "$(grep -o 'id="main"' "$IDS" | wc -l)" = 1
check "reserved ids: one id=resources" test "$(grep -o 'id="resources"' "$IDS" | wc -l)" = 1
check "reserved ids: ## Main is main-1" contains "$IDS" '<h2 id="main-1">Main</h2>'
check "reserved ids: ## Resources is resources-1" contains "$IDS" '<h2 id="resources-1">Resources</h2>'

# A template's new id is reserved too.
sed -i 's|<main id="main">|<main id="main"><span id="ids"></span>|' "$WORK/ids/templates/layouts/base.mustache"
printf '\n## Ids\n' >>"$WORK/ids/content/en/ids.md"
(cd "$WORK/ids" && "$SAPAN" build --quiet)
check "reserved ids: a template's own id is reserved" contains "$IDS" '<h2 id="ids-1">Ids</h2>'

# Any duplicate id in a generated page is an error at its file and line.
setup dup
printf 'markdown:\n  unsafe_html: true\n' >>"$WORK/dup/content/site.yaml"
printf -- '---\ntitle: Dup\n---\n<p id="twice">a</p>\n\nText.\n\n<p id="twice">b</p>\n' >"$WORK/dup/content/en/dup.md"
run "$WORK/dup"
check "duplicate id: exit 1" test "$status" = 1
check "duplicate id: at the generated file and line" grep -qE "^site/en/dup/index.html:[0-9]+: error: duplicate id 'twice' \(first on line [0-9]+\); an id must be unique in a page \(the page built from content/en/dup.md\)$" "$err"
check "duplicate id: one error" grep -qE '^check: 1 error, ' "$out"

# A broken fragment link nested deeper than libxml2's default limit of 256
# elements is still found.
setup deep
printf 'markdown:\n  unsafe_html: true\n' >>"$WORK/deep/content/site.yaml"
{
	printf -- '---\ntitle: Deep\n---\n'
	for i in $(seq 300); do printf '<div>'; done
	printf '\n\n[deep link](#nowhere)\n'
} >"$WORK/deep/content/en/deep.md"
run "$WORK/deep"
check "deep nesting: exit 1" test "$status" = 1
check "deep nesting: the broken link is found" contains "$err" "content/en/deep.md:6:13: error: link '#nowhere' leads to content/en/deep.md, which has no heading or id 'nowhere'"

# A link to a file whose name looks like a scheme is written with "./".
setup colon
touch "$WORK/colon/content/en/minutes:2024.pdf"
printf '\nThe [minutes](minutes:2024.pdf).\n' >>"$WORK/colon/content/en/_index.md"
(cd "$WORK/colon" && "$SAPAN" build --quiet)
check "scheme-like file: written with ./" contains "$WORK/colon/site/en/index.html" 'href="./minutes:2024.pdf"'
run "$WORK/colon"
check "scheme-like file: check passes" test "$status" = 0

# Usage errors.
(cd "$WORK/default" && "$SAPAN" check --bogus) 2>/dev/null
check "unknown option: exit 2" test $? = 2
(cd "$WORK/default" && "$SAPAN" build --strict --output "$WORK/x") 2>/dev/null
check "--strict belongs to check only" test $? = 2
check "help mentions check" grep -q 'sapan check' <("$SAPAN" --help)
finish
