#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The output folder is sapan's, provably. sapan refuses, before any work and
# with one error, an output folder that would put the user's files at risk;
# the user's folders survive byte for byte. It writes a marker
# (.sapan-output) into every folder it makes, and removes leftover folders
# only when they carry it (or are empty) and match the name pattern.
source "$(dirname "$0")/lib.bash"
# fresh NAME: a new project folder $WORK/home/NAME (content, templates and
# folders of the user's own files), made the current folder as $P.
fresh() {
	P=$WORK/home/$1
	mkdir -p "$P"
	cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$P/"
	mkdir -p "$P/docs/sub" "$P/linked"
	echo "my notes" >"$P/docs/notes.md"
	head -c 3000 /dev/urandom >"$P/docs/sub/photo.bin"
	echo "plan" >"$P/plan.txt"
	ln -s linked "$P/link"
	cd "$P" || exit 1
}
fresh project

# A listing of every file, folder and link below a folder, with each file's
# checksum: equal listings mean equal trees, byte for byte.
snapshot() {
	(cd "$1" && find . -printf '%y %p %l %m\n' | sort &&
		find . -type f -exec sha256sum {} + | sort)
}
no_build_folders() { test -z "$(find "$WORK" -name '*.new-*' -o -name '*.old-*')"; }

# refused NAME WANT OUTPUT [OPTIONS...]: the build exits 1 with exactly the
# error WANT (for OUTPUT) and the closing line, and every folder of the
# user is as it was.
refused() {
	local name=$1 want=$2 out=$3
	shift 3
	local before
	before=$(snapshot "$WORK/home")
	"$SAPAN" build --quiet --output "$out" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
	local status=$?
	check "$name: exit 1 (got $status)" test "$status" = 1
	check "$name: the reason, before any work" diff - "$WORK/stderr" <<EOF
$out: error: $want
sapan: build failed with 1 error; $out was not changed
EOF
	check "$name: every file survives" test "$before" = "$(snapshot "$WORK/home")"
	check "$name: no build folder is left" no_build_folders
}
OWN="sapan writes and deletes files in its output folder: choose a folder of its own with --output, e.g. --output site"

refused "--output content" "the output folder is the content folder 'content'; $OWN" content
refused "--output content/site" \
	"the output folder is inside the content folder 'content'; $OWN" content/site
check "--output content/site: nothing is created in content" test ! -e content/site
refused "--output templates/assets/x" \
	"the output folder is inside the templates folder 'templates'; $OWN" templates/assets/x
refused "--output ." "the output folder is the current folder; $OWN" .
refused "--output .." "the output folder contains the current folder; $OWN" ..
HOME=$WORK/home refused "--output ~" "the output folder is your home folder; $OWN" "$WORK/home" \
	--content "$P/content" --templates "$P/templates"
cd "$WORK/home" || exit 1
refused "--output project (holds the content folder)" \
	"the output folder contains the content folder 'project/content'; $OWN" project \
	--content project/content --templates project/templates
cd "$P" || exit 1
refused "--output docs (a folder of the user's files)" \
	"the output folder is not empty and was not made by sapan (it has no .sapan-output file); sapan writes and deletes files in its output folder: choose an empty or new folder with --output, or delete this one yourself" docs
refused "--output plan.txt (a file)" \
	"the output folder is a file, not a folder: choose another folder with --output, or delete the file yourself" plan.txt
refused "--output link (a symbolic link)" \
	"the output folder is a symbolic link; sapan writes and deletes files in its output folder and does not follow a link to it: give the folder itself with --output" link
check "--output link: still a link" test -L link
refused "--output linked/. (not by its name)" \
	"the output folder must be given by its name, not by '.': write --output $P/linked" linked/.

# Refused before any work: a broken page is not even read.
printf -- '---\ntitle: [unclosed\n---\n' >content/en/broken.md
refused "before any work" "the output folder is inside the content folder 'content'; $OWN" \
	content/site
rm content/en/broken.md

# A mount point (a USB stick, a container's volume) is updated in place:
# sapan never renames the output folder itself, so it builds there, and
# again. (It once failed with "Device or resource busy" after the whole
# build.) Needs a mount namespace.
if unshare -rm true 2>/dev/null; then
	mkdir mnt
	unshare -rm bash -c 'mount -t tmpfs none mnt && "$0" build --quiet --output mnt &&
		"$0" build --quiet --output mnt && test -f mnt/en/index.html &&
		test -f mnt/.sapan-output' "$SAPAN" >/dev/null 2>"$WORK/mount-err"
	check "mount point: builds, twice" test $? = 0
	check "mount point: nothing said" test ! -s "$WORK/mount-err"
	check "mount point: no build folder is left" no_build_folders
	rmdir mnt
else
	echo "note: no mount namespace here; the mount point case is not tested"
fi

# Empty option values are usage errors.
for opt in --output --content --templates; do
	"$SAPAN" build "$opt" '' >/dev/null 2>"$WORK/err"
	check "$opt '': exit 2" test $? = 2
	check "$opt '': says so" diff - "$WORK/err" <<<"sapan: error: $opt is empty; give a folder's name, or leave the option out"
done
"$SAPAN" build --base-url= >/dev/null 2>"$WORK/err"
check "--base-url=: exit 2" test $? = 2
check "--base-url=: says so" diff - "$WORK/err" <<<"sapan: error: --base-url is empty; give the site's address, e.g. --base-url https://example.org/, or leave the option out"
check "empty values: no build folder is left" no_build_folders

# Each part below starts from a new project, so that it fails on its own.
fresh old-site
# A site built by an older sapan has no marker: refused, with the way out.
mkdir -p site/en
echo "<p>old</p>" >site/index.html
refused "an unmarked old site" \
	"the output folder is not empty and was not made by sapan (it has no .sapan-output file); sapan writes and deletes files in its output folder: choose an empty or new folder with --output, or delete this one yourself" site
rm -r site

fresh marker
# The marker: in the site, kept through the swap, and an empty folder is
# accepted as output.
mkdir site
check "an empty folder is accepted" "$SAPAN" build --quiet
check "the site carries the marker" test -f site/.sapan-output
check "the marker explains itself" contains site/.sapan-output "written by sapan"
check "a second build succeeds" "$SAPAN" build --quiet
check "the marker survives the swap" test -f site/.sapan-output

fresh leftovers
check "a first build succeeds" "$SAPAN" build --quiet
# Leftovers beside the output: removed only if marked (or empty) and named
# exactly as sapan names them.
mkdir site.old-backup site.old-abc123 site.new-mine01 site.new-zzz999 site.new-empty1
echo "backup" >site.old-backup/index.html
echo "mine" >site.old-abc123/keep.txt
echo "mine" >site.new-mine01/keep.txt
echo "left" >site.new-zzz999/index.html
echo "written by sapan" >site.new-zzz999/.sapan-output
before=$(snapshot "$P/site.old-backup"; snapshot "$P/site.old-abc123"; snapshot "$P/site.new-mine01")
check "a build with leftovers beside it succeeds" "$SAPAN" build --quiet
check "site.old-backup and other unmarked folders survive" \
	test "$before" = "$(snapshot "$P/site.old-backup"; snapshot "$P/site.old-abc123"; snapshot "$P/site.new-mine01")"
check "a marked leftover is removed" test ! -e site.new-zzz999
check "an empty leftover is removed" test ! -e site.new-empty1
rm -r site.old-backup site.old-abc123 site.new-mine01

fresh check
# sapan check: its temporary folder carries the marker; one left by a
# check killed outright is removed by the next check, and only such.
export TMPDIR=$WORK/tmp
mkdir "$TMPDIR" "$TMPDIR/sapan-check-other1" "$TMPDIR/sapan-check-busy01"
echo "not sapan's" >"$TMPDIR/sapan-check-other1/file"
echo "written by sapan" >"$TMPDIR/sapan-check-busy01/.sapan-output"
# A running check holds its folder locked; flock(1) plays that check.
flock "$TMPDIR/sapan-check-busy01" sleep 30 &
holder=$!
# Go on only once it holds the lock: on a busy machine the check below
# could otherwise look before flock(1) has taken it.
for _ in $(seq 200); do
	flock -n "$TMPDIR/sapan-check-busy01" true || break
	sleep 0.05
done
SAPAN_TEST_PAGE_DELAY_MS=150 "$SAPAN" check >/dev/null 2>&1 &
pid=$!
for _ in $(seq 200); do
	[ -n "$(ls -d "$TMPDIR"/sapan-check-*/site 2>/dev/null)" ] && break
	sleep 0.05
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null
killed=$(ls -d "$TMPDIR"/sapan-check-*/site 2>/dev/null | head -n 1)
killed=${killed%/site}
check "a killed check leaves its folder" test -n "$killed"
check "... and the folder carries the marker" test -f "$killed/.sapan-output"
check "the next check succeeds" "$SAPAN" check --quiet
check "the next check removes the killed one's folder" test ! -e "$killed"
check "a folder without the marker stays" test -f "$TMPDIR/sapan-check-other1/file"
check "a folder a running check holds stays" test -d "$TMPDIR/sapan-check-busy01"
check "nothing else is left" test "$(ls "$TMPDIR")" = "$(printf 'sapan-check-busy01\nsapan-check-other1')"
kill "$holder"
wait "$holder" 2>/dev/null
finish
