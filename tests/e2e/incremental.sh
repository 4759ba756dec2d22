#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A build writes only what changed: an unchanged file keeps its inode and
# modification time, an edit rewrites exactly the files whose content
# changes, the files of a deleted page go, a file of the user's stays. A
# build killed at any point (SIGKILL) is finished by the next one, which
# gives the same site as a build into a fresh folder.
source "$(dirname "$0")/lib.bash"
D=$WORK/project
mkdir -p "$D"
cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$D/"
cd "$D" || exit 1

build() { "$SAPAN" build "$@" >out 2>err; }
# Inode, modification time (to the nanosecond) and path of every file.
stamps() { (cd site && find . -type f -printf '%i %T@ %P\n' | sort -k3); }
# Files whose inode or time changed between two stamps listings.
touched() { diff <(echo "$1") <(echo "$2") | sed -n 's/^> [0-9]* [0-9.]* //p' | sort; }
# Sets every file's time to 2001, so a rewrite cannot keep it by chance.
age() { find site -type f -exec touch -d 2001-01-01 {} +; }
# The same site built from scratch into a fresh folder.
same_as_fresh() {
	rm -rf "$WORK/fresh"
	"$SAPAN" build --quiet --output "$WORK/fresh" && diff -r "$WORK/fresh" site
}
no_staging() { test -z "$(find site -name '.sapan-staging-*')"; }

check "a first build" build
check "it lists its files" test -f site/.sapan-manifest
age
before=$(stamps)
check "a rebuild with nothing changed" build
check "nothing changed: every file keeps its inode and time" test "$before" = "$(stamps)"
n=$(find site -type f ! -name '.sapan-*' | wc -l)
check "nothing changed: the summary says so" grep -q "; 0 files written, $n unchanged, 0 deleted; " out

# A body edit rewrites exactly its page.
cp -a site "$WORK/old"
printf '\nA second paragraph.\n' >>content/en/guide.md
age
before=$(stamps)
check "a body edit builds" build
# Its words are in the search index: the index files whose content changes
# are rewritten too, and nothing else.
touched "$before" "$(stamps)" >"$WORK/touched"
idx=$(grep -c '^[a-z]*/search/[a-z0-9]*\.txt$' "$WORK/touched")
check "a body edit rewrites exactly its page" \
	test "$(grep -v '^[a-z]*/search/[a-z0-9]*\.txt$' "$WORK/touched")" = "en/guide/index.html"
check "... and the search index's terms" grep -qx 'en/search/terms.txt' "$WORK/touched"
check "... which says the new text" contains site/en/guide/index.html "A second paragraph."
check "... and the summary counts them" \
	grep -q "; $((idx + 1)) files written, $((n - 1 - idx)) unchanged, 0 deleted; " out
check "a body edit gives the site a fresh build gives" same_as_fresh

# A title edit rewrites exactly the files whose content changes (every
# page that shows the title), compared byte for byte with the old site.
rm -rf "$WORK/old"
cp -a site "$WORK/old"
sed -i 's/^title: Guide$/title: Field guide/' content/en/guide.md
age
before=$(stamps)
check "a title edit builds" build
differ=$(diff -rq "$WORK/old" site | sed -n "s|^Files $WORK/old/\(.*\) and site/.* differ$|\1|p" | sort)
check "a title edit changes several files" test "$(echo "$differ" | wc -l)" -gt 2
check "a title edit rewrites exactly the files that differ" test "$(touched "$before" "$(stamps)")" = "$differ"
check "a title edit gives the site a fresh build gives" same_as_fresh

# A deleted page: its files and folder go, nothing else.
age
before=$(stamps)
mv content/en/projects/older.md "$WORK/older.md"
check "a build without a page" build
check "the page's folder is gone" test ! -e site/en/projects/older
check "... and it was the only file deleted" grep -q " 1 deleted; " out
check "a deletion gives the site a fresh build gives" same_as_fresh

# The user's own files in the output: never deleted; a page that would
# overwrite one is refused, and the build changes nothing.
echo "example.org" >site/CNAME
mkdir -p site/en/mine
echo "mine" >site/en/mine/notes.txt
mv "$WORK/older.md" content/en/projects/older.md
check "a build with the user's files in the output" build
check "the user's file stays" contains site/CNAME "example.org"
check "... in its own folder too" contains site/en/mine/notes.txt "mine"
mkdir -p site/en/new-page
echo "my page" >site/en/new-page/index.html
printf -- '---\ntitle: New page\n---\nNew.\n' >content/en/new-page.md
rm -rf "$WORK/old"
cp -a site "$WORK/old"
build
check "a page in the way of the user's file: exit 1" test $? = 1
check "... says whose file it is" grep -q "site/en/new-page/index.html, which sapan did not write" err
check "... and changes nothing" diff -r "$WORK/old" site
rm -r site/en/new-page site/CNAME site/en/mine

# A folder built by an earlier sapan, which swapped in a whole new folder
# each time: marked, with no list of files. Its files are sapan's.
check "the new page builds" build
rm site/.sapan-manifest
mkdir -p site/en/stale
echo "old page" >site/en/stale/index.html
age
before=$(stamps)
check "a swapped site is updated in place" build
check "... its stale page is deleted" test ! -e site/en/stale
check "... its other files are kept as they are" test "$(touched "$before" "$(stamps)")" = ".sapan-manifest"
check "... and it gives the site a fresh build gives" same_as_fresh

# Two builds at once: the second is refused while the first runs.
sed -i 's/^title: New page$/title: Newer page/' content/en/new-page.md
SAPAN_TEST_PAGE_DELAY_MS=100 "$SAPAN" build --quiet >/dev/null 2>&1 &
pid=$!
sleep 0.5
build --quiet
check "a second build at once: exit 1" test $? = 1
check "... says why" grep -q "another sapan build is writing this folder" err
wait "$pid"
check "the first build ends well" test $? = 0

# Killed outright at several points of a build (the test hooks slow
# rendering and the commit down), then built again: the same site as a
# fresh build, and no staging folder left.
edit=0
for hook in SAPAN_TEST_PAGE_DELAY_MS=40 SAPAN_TEST_COMMIT_DELAY_MS=100; do
	for after in 0.2 0.5 0.9; do
		edit=$((edit + 1))
		# Changes, adds and deletes pages, so the commit has work of each kind.
		sed -i "s/^title: .*/title: Field guide $edit/" content/en/guide.md
		if [ $((edit % 2)) = 1 ]; then
			mv content/en/projects/older.md "$WORK/older.md"
		else
			mv "$WORK/older.md" content/en/projects/older.md
		fi
		env "$hook" "$SAPAN" build --quiet >/dev/null 2>&1 &
		pid=$!
		sleep "$after"
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		whole=yes
		for f in site/en/guide/index.html site/index.html site/en/index.html; do
			[ ! -e "$f" ] || grep -q '</html>' "$f" || whole=no
		done
		check "SIGKILL ($hook, after $after s): every page is whole" test "$whole" = yes
		check "SIGKILL ($hook, after $after s): the next build succeeds" build --quiet
		check "SIGKILL ($hook, after $after s): same site as a fresh build" same_as_fresh
		check "SIGKILL ($hook, after $after s): no staging folder left" no_staging
	done
done
[ -f "$WORK/older.md" ] && mv "$WORK/older.md" content/en/projects/older.md

# SIGTERM in the middle of the commit: the commit completes; every file is
# whole and the site is the one a fresh build gives.
sed -i 's/^title: .*/title: Field guide, stopped/' content/en/guide.md
SAPAN_TEST_COMMIT_DELAY_MS=100 "$SAPAN" build --quiet >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do
	[ -n "$(ls -d site/.sapan-staging-* 2>/dev/null)" ] && break
	sleep 0.05
done
sleep 0.5
kill -TERM "$pid"
wait "$pid"
check "SIGTERM during the commit: the commit completes" same_as_fresh
check "SIGTERM during the commit: no staging folder left" no_staging
finish
