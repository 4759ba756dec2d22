#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Atomic output: a build updates the site completely or not at all. A
# failed build and a build stopped by SIGINT or SIGTERM leave the previous
# site exactly as it was; a build killed outright leaves every file whole
# and its staging folder, which the next build removes; files of removed
# pages do not linger. (tests/e2e/incremental.sh: what a build rewrites.)
source "$(dirname "$0")/lib.bash"
D=$WORK/site-dir
mkdir -p "$D"
cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$D/"
cd "$D" || exit 1

build() { "$SAPAN" build --quiet >out 2>err; }
no_staging() { test -z "$(ls -d site/.sapan-staging-* 2>/dev/null)"; }
no_temporary() { test -z "$(ls -d site.new-* site.old-* site/.sapan-staging-* 2>/dev/null)"; }

check "a good site builds" build
check "the sitemap lists the older project" contains site/sitemap.xml "en/projects/older/"
cp -a site before

# A broken file: the build fails and the site is byte for byte the same.
cp content/en/guide.md guide.md.good
printf -- '---\ntitle: [unclosed\n---\n' >content/en/guide.md
build
check "a broken build exits 1" test $? = 1
check "a broken build leaves the site as it was" diff -r before site
check "a broken build leaves no temporary folder" no_temporary
cp guide.md.good content/en/guide.md

# A removed page: its folder is gone after the next build.
mv content/en/projects/older.md older.md
check "the site builds without the older project" build
check "the removed page's folder is gone" test ! -e site/en/projects/older
check "the removed page is not in the sitemap" lacks site/sitemap.xml "en/projects/older/"
check "other pages stay" test -f site/en/projects/phase-two/index.html
mv older.md content/en/projects/older.md
check "the older project comes back" build
check "... with its folder" test -f site/en/projects/older/index.html
rm -rf before
cp -a site before

# Starts a build that sleeps after each page (SAPAN_TEST_PAGE_DELAY_MS, a
# test hook) and waits until it has staged its first changed file.
start_slow_build() {
	SAPAN_TEST_PAGE_DELAY_MS=150 "$SAPAN" build --quiet >out 2>err &
	pid=$!
	for _ in $(seq 200); do
		[ -n "$(ls -d site/.sapan-staging-* 2>/dev/null)" ] && return 0
		sleep 0.05
	done
	return 1
}

# A build stopped by a signal: a changed page shows that nothing new was
# put in place, and the diff that the old site was not touched.
sed -i 's/^title: Guide$/title: Guide, changed/' content/en/guide.md
for sig in INT TERM; do
	want=$((128 + $(kill -l "$sig")))
	check "SIG$sig: the build is running" start_slow_build
	kill -"$sig" "$pid"
	wait "$pid"
	status=$?
	check "SIG$sig: exit status $want (got $status)" test "$status" = "$want"
	check "SIG$sig: says it was interrupted" diff - err <<<"error: interrupted; site was not changed"
	check "SIG$sig: the old site is intact" diff -r before site
	check "SIG$sig: no temporary folder is left" no_temporary
done

# A build killed with SIGKILL cannot clean up: its staging folder stays
# until the next build, which removes it. Beside the output, the folders
# that the swapping versions of sapan left are removed too: only folders
# of that exact pattern that carry sapan's marker (or are empty).
check "SIGKILL: the build is running" start_slow_build
kill -KILL "$pid"
wait "$pid" 2>/dev/null
check "SIGKILL: the old site is intact" diff -r -x '.sapan-staging-*' before site
check "SIGKILL: its staging folder is left behind" test -n "$(ls -d site/.sapan-staging-* 2>/dev/null)"
mkdir site.new-zyx987
echo x >site.new-zyx987/.sapan-output
mkdir site.new-notes site.old-12345 keep.new-abcdef site.old-backup site.new-abc123
echo "my backup" >site.old-backup/index.html
echo "mine" >site.new-abc123/notes.txt
check "the next build succeeds" build
check "the next build removes the killed build's staging folder" no_staging
check "the next build removes a swapping version's folder" test "$(ls -d site.new-?????? 2>/dev/null)" = site.new-abc123
check "folders of another pattern stay (site.new-notes)" test -d site.new-notes
check "folders of another pattern stay (site.old-12345)" test -d site.old-12345
check "folders of another site stay" test -d keep.new-abcdef
check "a folder of the pattern without the marker stays (site.old-backup)" \
	contains site.old-backup/index.html "my backup"
check "... and site.new-abc123" contains site.new-abc123/notes.txt "mine"
check "the new site is in place" contains site/en/guide/index.html "<h1>Guide, changed</h1>"
finish
