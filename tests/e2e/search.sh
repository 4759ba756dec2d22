#!/usr/bin/env bash
# The search index and page on the basic fixture: every language has its
# search page and index files; every page's header has the search form; a
# draft is not indexed; a term's shard lists the right pages; the index
# is the same for any number of threads and with or without the cache, and
# a rebuild with no change rewrites nothing. With node, the page's own
# script (templates/assets/search.js) answers Thai and English queries
# against the built index (tests/search/query.mjs).
source "$(dirname "$0")/lib.bash"
cp -r "$ROOT/tests/fixtures/basic" "$WORK/site"
cd "$WORK/site" || exit 1
cp -r "$ROOT/templates" templates
C=content
printf -- '---\ntitle: Hidden plans\ndraft: true\n---\nZanzibarite secrets.\n' >$C/en/hidden.md
cat >>$C/en/projects/phase-two.md <<'MD'

Phase two teaches hygiene at schools. The water committees meet monthly.
MD
cat >>$C/th/projects/phase-two.md <<'MD'

ครอบครัวแรงงานข้ามชาติได้รับน้ำสะอาด ปี ๒๕๕๘
MD
build() { "$SAPAN" build --quiet "$@" >"$WORK/out" 2>"$WORK/err"; }
check "a build" build -j2

for l in en th; do
	check "$l: the search page" test -f site/$l/search/index.html
	check "$l: the vocabulary" test -f site/$l/search/terms.txt
	check "$l: a shard" test -f site/$l/search/s0.txt
	check "$l: the page records" test -f site/$l/search/d0.txt
	check "$l: the results list" contains site/$l/search/index.html '<ol id="search-results"'
	check "$l: the live region" contains site/$l/search/index.html 'role="status"'
	check "$l: its script" contains site/$l/search/index.html 'src="../../assets/search.js"'
done
check "the script is published" test -f site/assets/search.js
check "the Thai page labels English results in Thai" \
	contains site/th/search/index.html 'data-lang-en="ภาษาอังกฤษ"'
check "without scripts: a note" contains site/th/search/index.html '<noscript><p>การค้นหาต้องใช้'
check "without scripts: the site index lists a page" \
	contains site/en/search/index.html '<a href="../projects/phase-two/">'
check "... and an English-only page in the Thai one, marked" \
	grep -qF '<a href="../../en/guide/" lang="en">Guide</a> <small>' site/th/search/index.html

# Every page's header: one GET form to its language's search page.
pages=$(find site -name index.html -path 'site/*/*' | sort)
forms=0
for p in $pages; do
	n=$(grep -c '<form role="search" class="find" action="\(\.\./\)*\(search/\|\./\)" method="get">' "$p")
	[ "$n" = 1 ] && forms=$((forms + 1))
done
check "every page has one search form ($forms of $(echo "$pages" | wc -l))" \
	test "$forms" = "$(echo "$pages" | wc -l)"
check "the form from a project page" contains site/th/projects/phase-one/index.html \
	'action="../../search/" method="get">'
check "... with its input" contains site/th/projects/phase-one/index.html \
	'<input type="search" id="search-q" name="q" aria-label="ค้นหาในเว็บไซต์นี้"'
check "no other page loads a script" test -z "$(grep -l '<script' $pages | grep -v /search/)"

# Drafts: not indexed, not even with --drafts.
check "a draft's words are not in the index" test -z "$(grep -rl zanzibarit site/*/search)"
check "nor its title" test -z "$(grep -rl 'Hidden plans' site/*/search)"
rm -rf "$WORK/drafts"
check "a build with drafts" build --drafts --output "$WORK/drafts"
check "... still leaves the draft out" test -z "$(grep -rl -i 'zanzibarit\|Hidden plans' "$WORK/drafts"/*/search/*.txt)"

# A term's shard: the line of "hygien" (hygiene) lists phase two only, in
# its text once (class 0); the page is the records' fifth line (d1.txt, the
# second of four a file). Pages in path order: _index, guide, projects/
# _index, older, phase-one, phase-two, renamed.
shard_line() { # DIR TERM: the term's postings line
	awk -v t="$2" -v dir="$1" 'NR > 1 { n = split($0, e, " "); for (i = 1; i <= n; i++) {
		split(e[i], p, "|"); if (p[1] == t) { print NR - 2, i; exit } } }' "$1/terms.txt" |
	{ read -r s i && sed -n "${i}p" "$1/s$s.txt"; }
}
check "hygiene: a stem with its word" grep -qE '(^| )hygien\|\+e( |$)' site/en/search/terms.txt
check "hygiene: the right page" test "$(shard_line site/en/search hygien)" = "0dF"
check "... which is phase two" test "$(sed -n 2p site/en/search/d1.txt | cut -f1,2)" = \
	"$(printf '../projects/phase-two/\tPhase Two')"
check "water: phase two" test "$(shard_line site/en/search water)" = "0dF"
check "a Thai word: its page" test -n "$(shard_line site/th/search แรงงาน)"
check "Thai digits as Arabic" grep -qE '(^| )2558( |$)' site/th/search/terms.txt

# The same index for any number of threads, and from the cache.
for j in 1 8; do
	rm -rf "$WORK/j$j"
	build -j$j --output "$WORK/j$j"
	check "-j$j: the same index as -j2" diff -r site/en/search "$WORK/j$j/en/search"
	check "-j$j: the same Thai index" diff -r site/th/search "$WORK/j$j/th/search"
done
rm -rf "$WORK/fresh"
build --no-cache --output "$WORK/fresh"
check "--no-cache: the same index" diff -r -x .sapan-manifest site "$WORK/fresh"
sleep 1.1
stamps() { find site -type f -printf '%p %i %T@\n' | sort; }
before=$(stamps)
"$SAPAN" build -j2 >"$WORK/out" 2>&1
check "a rebuild" test $? = 0
check "a rebuild with no change rewrites nothing" test "$before" = "$(stamps)"
check "... and says so" grep -q " 0 files written" "$WORK/out"
echo 'Monthly meetings of the sanitation board.' >>$C/en/guide.md
sleep 1.1
check "an edit" build
check "its new word is in the index" grep -q 'sanit' site/en/search/terms.txt
check "... as a fresh build has it" bash -c "'$SAPAN' build --quiet --no-cache --output '$WORK/fresh2' && diff -r site/en/search '$WORK/fresh2/en/search'"

# The pages' records beside the cache: an edit gathers the edited page
# only; a damaged records file is not trusted, and the index is still
# the one a fresh build makes.
check "the records are kept beside the cache" test -s .sapan-cache/site.search
head -c 300 .sapan-cache/site.search >"$WORK/cut" && cp "$WORK/cut" .sapan-cache/site.search
echo 'Boreholes too.' >>$C/en/guide.md
sleep 1.1
check "a build with cut records" build
rm -rf "$WORK/fresh3"
"$SAPAN" build --quiet --no-cache --output "$WORK/fresh3" 2>/dev/null
check "... gives the fresh index" diff -r site/en/search "$WORK/fresh3/en/search"
check "... and the fresh Thai one" diff -r site/th/search "$WORK/fresh3/th/search"
printf 'x' | dd of=.sapan-cache/site.search bs=1 seek=200 conv=notrunc 2>/dev/null
echo 'Wells as well.' >>$C/en/guide.md
sleep 1.1
check "a build with garbled records" build
rm -rf "$WORK/fresh4"
"$SAPAN" build --quiet --no-cache --output "$WORK/fresh4" 2>/dev/null
check "... gives the fresh index" diff -r site/en/search "$WORK/fresh4/en/search"

# The page's script, run by node against the built index.
if command -v node >/dev/null; then
	q() { node "$ROOT/tests/search/query.mjs" "$ROOT/templates/assets/search.js" "site/$1/search" "${@:2}"; }
	q en hygiene water Hygi zzzqqq "phase two" >"$WORK/en.txt" 2>&1
	q th แรงงาน ครอบครัวแรงงานข้ามชาติ "ครอบครัว แรงงาน" ๒๕๕๘ 2558 "ครอบค" guide ระยะ >"$WORK/th.txt" 2>&1
	first() { awk -F'\t' -v q="$2" '$1 == q { split($3, u, " "); print u[1] }' "$1"; }
	count() { awk -F'\t' -v q="$2" '$1 == q { print $2 }' "$1"; }
	check "node: hygiene" test "$(first "$WORK/en.txt" hygiene)" = "../projects/phase-two/"
	check "node: water finds phase two" test "$(first "$WORK/en.txt" water)" = "../projects/phase-two/"
	check "node: a prefix as typed" test "$(first "$WORK/en.txt" Hygi)" = "../projects/phase-two/"
	check "node: nothing for a word no page has" test "$(count "$WORK/en.txt" zzzqqq)" = 0
	check "node: a title first" test "$(first "$WORK/en.txt" "phase two")" = "../projects/phase-two/"
	check "node: a Thai word" test "$(first "$WORK/th.txt" แรงงาน)" = "../projects/phase-two/"
	check "node: a Thai phrase without spaces" \
		test "$(first "$WORK/th.txt" ครอบครัวแรงงานข้ามชาติ)" = "../projects/phase-two/"
	check "node: a Thai phrase with a space" \
		test "$(first "$WORK/th.txt" "ครอบครัว แรงงาน")" = "../projects/phase-two/"
	check "node: Thai digits" test "$(first "$WORK/th.txt" ๒๕๕๘)" = "../projects/phase-two/"
	check "node: Arabic digits find them" test "$(first "$WORK/th.txt" 2558)" = "../projects/phase-two/"
	check "node: a Thai prefix" test "$(first "$WORK/th.txt" ครอบค)" = "../projects/phase-two/"
	check "node: an English-only page from the Thai search" \
		test "$(first "$WORK/th.txt" guide)" = "../../en/guide/"
	check "node: a Thai title word ranks its page first" \
		grep -qE $'^ระยะ\t[0-9]+\t../projects/phase-(one|two)/' "$WORK/th.txt"
else
	echo "note: node is not installed: the search script's queries were not run"
fi
finish
