#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The build cache: a rebuild redoes exactly the work whose inputs changed,
# gives the same site as a build without the cache, repeats the warnings of
# pages it did not render again, and never trusts a damaged, foreign or
# mismatching cache. The counts come from the SAPAN_TEST_RENDER_COUNTS hook.
source "$(dirname "$0")/lib.bash"
D=$WORK/project
mkdir -p "$D"
cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$D/"
cd "$D" || exit 1
C=content
CACHE=.sapan-cache/site.cache
export SAPAN_TEST_RENDER_COUNTS=1
# Files changed in the second before a build are read again by the next
# (their status may not show a second change): let the copies settle.
sleep 2

# build ARGS...: rebuilds site/; the counts line goes to $WORK/counts.
build() {
	"$SAPAN" build --quiet "$@" >"$WORK/out" 2>"$WORK/err"
	local rc=$?
	grep '^rendered: ' "$WORK/err" >"$WORK/counts"
	sed -n 's/^views: \([0-9]*\) built$/\1/p' "$WORK/err" >"$WORK/views"
	sed -n 's/^read: \([0-9]*\) pages$/\1/p' "$WORK/err" >"$WORK/read"
	sed -n 's/^search: \([0-9]*\) written$/\1/p' "$WORK/err" >"$WORK/search"
	grep -v '^rendered: \|^views: \|^read: \|^quick: \|^search: ' "$WORK/err" >"$WORK/diags"
	return $rc
}
counts() { cat "$WORK/counts"; }
views() { cat "$WORK/views"; }
reads() { cat "$WORK/read"; }
indexes() { cat "$WORK/search"; }
# same_as_fresh NAME: site/ equals a build from scratch without the cache.
same_as_fresh() {
	rm -rf "$WORK/fresh"
	"$SAPAN" build --quiet --no-cache --output "$WORK/fresh" >/dev/null 2>"$WORK/fresh-err"
	grep -v '^rendered: \|^views: \|^read: \|^quick: \|^search: ' "$WORK/fresh-err" >"$WORK/fresh-diags"
	check "$1: the same site as a build without the cache" diff -r "$WORK/fresh" site
	check "$1: the same diagnostics as a build without the cache" \
		diff "$WORK/fresh-diags" "$WORK/diags"
}

build -j2 || fail "the first build"
total=$(sed -n 's/^rendered: \([0-9]*\) markdown.*/\1/p' "$WORK/counts")
check "the first build renders every page" [ "$total" -gt 5 ]
check "and builds every page's view" [ "$(views)" = "$total" ]
check "and writes both languages' search indexes" [ "$(indexes)" = 2 ]
check "and reads every page's file" [ "$(reads)" = "$total" ]
check "the cache sits beside the output" test -f "$CACHE"
check "the cache is not published" test ! -e site/.sapan-cache
check "nor put in the content folder" test ! -e $C/.sapan-cache

build -j2
check "a rebuild with no change renders nothing" [ "$(counts)" = "rendered: 0 markdown, 0 pages" ]
check "nor builds any view" [ "$(views)" = 0 ]
check "nor reads any page's file" [ "$(reads)" = 0 ]
check "nor writes a search index" [ "$(indexes)" = 0 ]
same_as_fresh "no change"

sed -i 's/^Phase two continues/Phase two goes on from/' $C/en/projects/phase-two.md
build -j2
check "a body edit renders one page" [ "$(counts)" = "rendered: 1 markdown, 1 pages" ]
# Its view, and those that list or link it (its section, the English
# home's list of active projects, phase one's "next phase"), are built,
# to find that only its own changed; no other view is.
check "and builds the views of the pages that show it, and no other ($(views))" \
	[ "$(views)" = 4 ]
check "and reads only the edited file: it changed just now" [ "$(reads)" = 1 ]
check "and writes the English search index only: the page has a Thai version" \
	[ "$(indexes)" = 1 ]
check "the body edit shows" grep -qF 'Phase two goes on from' site/en/projects/phase-two/index.html
same_as_fresh "body edited"
# An English-only page is in the Thai index too.
printf '\nA word: zanzibarite.\n' >>$C/en/guide.md
build -j2
check "a body edit of an English-only page writes both indexes" [ "$(indexes)" = 2 ]
check "... and the Thai one finds its new word" grep -q 'zanzibarit' site/th/search/terms.txt
same_as_fresh "English-only page edited"

cp -r site "$WORK/before"
sed -i 's/^title: Phase One$/title: The First Phase/' $C/en/projects/phase-one.md
build -j1
changed=$(diff -rq "$WORK/before" site | grep -c 'index.html differ' || true)
pages=$(sed -n 's/^rendered: 1 markdown, \([0-9]*\) pages$/\1/p' "$WORK/counts")
# The archives, the search pages and the language page are written by
# every build and are not counted; every other changed file is a page that
# shows the title.
archives=$(diff -rq "$WORK/before" site | grep -cE '(archive|search)/index.html differ' || true)
check "a title edit renders its own Markdown only" [ -n "$pages" ]
check "a title edit renders the pages that show the title ($pages) and no more" \
	[ "${pages:-0}" -eq $((changed - archives)) ]
check "and fewer than all" [ "${pages:-99}" -lt "$total" ]
same_as_fresh "title edited"

# Warnings of a page that is not rendered again are still reported.
printf -- '---\ntitle: Pictures\n---\n![](https://example.org/x.png)\n' >$C/en/pics.md
build -j2
check "a page with a warning builds" grep -q 'warning' "$WORK/diags"
cp "$WORK/diags" "$WORK/diags-first"
build -j2
check "the warning is reported again from the cache" diff "$WORK/diags-first" "$WORK/diags"
check "without rendering the page again" [ "$(counts)" = "rendered: 0 markdown, 0 pages" ]
same_as_fresh "warnings"

# A file of the site edited by hand is put back, though its page is cached.
echo "edited by hand" >>site/en/guide/index.html
build -j2
same_as_fresh "an output file edited by hand"
rm site/en/guide/index.html
build -j2
same_as_fresh "an output file deleted by hand"

# Other options do not use the cache of these.
build -j2 --drafts
check "--drafts renders everything" grep -q "^rendered: $((total + 1)) markdown" "$WORK/counts"
build -j2
check "and back without it, everything again" grep -q "^rendered: $((total + 1)) markdown" "$WORK/counts"
build -j2 --no-cache
check "--no-cache renders everything" grep -q "^rendered: $((total + 1)) markdown" "$WORK/counts"
build -j2
check "and writes a fresh cache" [ "$(counts)" = "rendered: 0 markdown, 0 pages" ]

# A damaged cache is ignored with a warning, and replaced.
size=$(stat -c %s $CACHE)
truncate -s $((size / 2)) $CACHE
build -j2
check "a cut cache: a warning" grep -qF "$CACHE: warning: the build cache is damaged" "$WORK/diags"
check "a cut cache: everything rendered" grep -q "^rendered: $((total + 1)) markdown" "$WORK/counts"
sed -i '/build cache is damaged/d' "$WORK/diags"
same_as_fresh "a cut cache"
build -j2
check "a replaced cache is used again" [ "$(counts)" = "rendered: 0 markdown, 0 pages" ]
# Flip bytes in the middle: lengths and tags become garbage.
printf '\377\377\377\377\377\377\377\377' | dd of=$CACHE bs=1 seek=$((size / 3)) conv=notrunc 2>/dev/null
build -j2
check "a garbled cache: built" test -f site/index.html
rm -rf "$WORK/fresh"
"$SAPAN" build --quiet --no-cache --output "$WORK/fresh" >/dev/null 2>&1
check "a garbled cache: the same site" diff -r "$WORK/fresh" site
# A file that is not a cache is not sapan's: it is left alone.
echo "my notes" >$CACHE
build -j2
check "a foreign file: a warning" grep -qF "$CACHE: warning: is not a sapan build cache" "$WORK/diags"
check "a foreign file is left as it was" [ "$(cat $CACHE)" = "my notes" ]
check "a foreign file: the site is built" diff -r "$WORK/fresh" site
rm $CACHE

# A failed build leaves the cache as it was.
build -j2
cp $CACHE "$WORK/cache-before"
printf -- '---\ntitle: [broken\n---\n' >$C/en/broken.md
build -j2 && fail "a broken page fails the build"
check "a failed build leaves the cache" cmp "$WORK/cache-before" $CACHE
check "and no temporary file" test "$(ls .sapan-cache | tr '\n' ' ')" = "site.cache site.search "
rm $C/en/broken.md
build -j2
check "after the fix, nothing to render" [ "$(counts)" = "rendered: 0 markdown, 0 pages" ]

# A page whose Markdown came from the cache but whose file must be rendered
# again is read again: if it changed since this build read it, the build
# stops rather than publish a body that does not match its description.
sed -i 's/^title: The First Phase$/title: Phase One Again/' $C/en/projects/phase-one.md
cp -a site "$WORK/before-race"
SAPAN_TEST_PAGE_DELAY_MS=500 "$SAPAN" build --quiet -j1 >"$WORK/out" 2>"$WORK/err" &
pid=$!
for _ in $(seq 200); do
	[ -n "$(ls -d site/.sapan-staging-* 2>/dev/null)" ] && break
	sleep 0.05
done
# phase-two shows phase one's title, so it is rendered again, after
# phase-one.md and older.md, each followed by the half-second delay.
sed -i 's/^Phase two goes on from/Phase two, edited during the build, goes on from/' \
	$C/en/projects/phase-two.md
wait $pid
check "a page changed during the build stops it" \
	grep -qF "content/en/projects/phase-two.md: error: the file changed while sapan was building the site; build again" "$WORK/err"
check "and changes nothing" diff -r "$WORK/before-race" site
build -j2
same_as_fresh "the build after"

# A file rewritten in place (same inode) to the same size, with its
# modification time set back (as copying tools do), is still read: its
# change time moved. Let it settle first, so that only the status can tell.
sleep 2
build -j2
build -j2
check "settled files are not read" [ "$(reads)" = 0 ]
f=$C/en/projects/phase-one.md
cp -p "$f" "$WORK/ref"
ino=$(stat -c %i "$f")
sed 's/^Eight communities took part.$/Seven communities took part./' "$f" >"$WORK/same-size"
cat "$WORK/same-size" >"$f"
touch -m -r "$WORK/ref" "$f"
check "the edit kept the inode, size and modification time" \
	[ "$(stat -c %i.%s.%y "$f")" = "$ino.$(stat -c %s.%y "$WORK/ref")" ]
sleep 2
build -j2
check "a same-size edit with its time set back is read again" [ "$(reads)" = 1 ]
check "and shows" grep -qF 'Seven communities' site/en/projects/phase-one/index.html
same_as_fresh "same-size edit"
build -j2
check "once settled and built, it is not read again" [ "$(reads)" = 0 ]

# The check that no two outputs share a path is skipped only for the very
# paths checked before: a new page on an existing page's path is refused.
mkdir -p $C/en/projects/phase-two
printf -- '---\ntitle: Clash\n---\n' >$C/en/projects/phase-two/_index.md
build -j2 && fail "a page on another page's output path builds"
check "a new clash of output paths is found with the cache" \
	grep -qF 'writes the same page as' "$WORK/diags"
rm -r $C/en/projects/phase-two
build -j2 || fail "the build after the clash"

# sapan check builds into a temporary folder without a cache.
mkdir -p "$WORK/tmp"
TMPDIR=$WORK/tmp "$SAPAN" check >/dev/null 2>&1
check "sapan check keeps no cache" test -z "$(ls -A "$WORK/tmp")"

# A cache that a killed build left half-written (under its temporary name)
# is removed by the next build; other files in the cache folder are not.
echo partial >.sapan-cache/site.cache.new-AbC123
echo mine >.sapan-cache/site.cache.new-notes
build -j2
check "a half-written cache is removed" test ! -e .sapan-cache/site.cache.new-AbC123
check "a file that only looks like one is kept" test -e .sapan-cache/site.cache.new-notes
finish
