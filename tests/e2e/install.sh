#!/usr/bin/env bash
# make install and make uninstall: the program, the manual page and the
# default theme go under DESTDIR+PREFIX; the installed program, run in a
# site that has no templates/ folder outside the repository, builds it with
# the installed theme (and says so in a note), the same site the
# repository's theme makes; uninstall removes exactly what was installed.
# The PREFIX lies in the test's folder, so the compiled-in theme path is real.
source "$(dirname "$0")/lib.bash"
P=$WORK/prefix
DATA=$P/share/sapan/templates
# make install runs with the build folder and flags of the make check that
# runs this test (inherited through MAKEFLAGS), so it compiles only main.c.
make -C "$ROOT" --no-print-directory install PREFIX="$P" DESTDIR= >"$WORK/log" 2>&1
check "make install succeeds" test $? = 0
grep -v '^  \|^install\|^Installed' "$WORK/log"
check "the program" test -x "$P/bin/sapan"
check "the manual page" cmp "$P/share/man/man1/sapan.1" "$ROOT/docs/sapan.1"
check "the theme" diff -r "$ROOT/templates" "$DATA"
check "the starter files of sapan new" test -f "$DATA/new/project.th.md"
MANWIDTH=80 MANPAGER=cat man -l "$P/share/man/man1/sapan.1" >"$WORK/man" 2>&1
check "the installed manual page reads" grep -q 'sapan new' "$WORK/man"

# A site outside the repository, with content only.
SITE=$WORK/site
mkdir -p "$SITE"
cp -r "$ROOT/content" "$SITE/"
cd "$SITE" || exit 1
"$P/bin/sapan" build >"$WORK/out" 2>"$WORK/err"
check "the installed program builds a site without templates/" test $? = 0
check "a note names the installed theme" contains "$WORK/err" \
	"templates: note: no templates folder here; using the installed theme $DATA"
cat "$WORK/err"
check "the site is built" test -f site/en/projects/aup-ii/index.html
"$SAPAN" build --templates "$ROOT/templates" --output "$WORK/ref" --quiet >/dev/null 2>&1
check "the same site as with the repository's theme" diff -r site "$WORK/ref"
"$P/bin/sapan" build --quiet >"$WORK/out" 2>"$WORK/err"
check "--quiet hides the note" test ! -s "$WORK/err"
"$P/bin/sapan" check >"$WORK/out" 2>"$WORK/err"
check "sapan check with the installed theme" test $? = 0
"$P/bin/sapan" new projects/water --kind project >"$WORK/out" 2>"$WORK/err"
check "sapan new with the installed starter files" test $? = 0
check "sapan new wrote the Thai page" contains content/th/projects/water.md "kind: project"
"$P/bin/sapan" build --templates missing >"$WORK/out" 2>"$WORK/err"
check "a --templates folder that does not exist stays an error" test $? = 1
check "it names the folder" contains "$WORK/err" "missing: error: the templates folder was not found"
mkdir -p templates
cp -r "$ROOT/templates/." templates/
sed -i 's/<html/<html data-own-theme/' templates/layouts/base.mustache
"$P/bin/sapan" build >"$WORK/out" 2>"$WORK/err"
check "a site's own templates/ wins" contains site/en/index.html "data-own-theme"
check "and then no note about the installed theme" lacks "$WORK/err" "installed theme"
rm -rf templates site
# A program built in the repository has no installed theme compiled in.
"$SAPAN" build >"$WORK/out" 2>"$WORK/err"
check "build/sapan needs templates/" contains "$WORK/err" "templates: error: the templates folder was not found"
cd "$WORK" || exit 1

# A staged install: the files go under DESTDIR, the program looks in PREFIX.
make -C "$ROOT" --no-print-directory install PREFIX=/opt/sapan-test DESTDIR="$WORK/stage" \
	>"$WORK/log" 2>&1
check "a staged install succeeds" test $? = 0
check "staged under DESTDIR" test -x "$WORK/stage/opt/sapan-test/bin/sapan"
check "the staged program looks in PREFIX" grep -qaF /opt/sapan-test/share/sapan \
	"$WORK/stage/opt/sapan-test/bin/sapan"
check "nothing outside DESTDIR" test ! -e /opt/sapan-test

# Uninstall removes exactly that; a file of the user's own stays.
echo mine >"$DATA/layouts/mine.mustache"
make -C "$ROOT" --no-print-directory uninstall PREFIX="$P" DESTDIR= >"$WORK/log" 2>&1
check "make uninstall succeeds" test $? = 0
check "the user's own file stays" test -f "$DATA/layouts/mine.mustache"
rm "$DATA/layouts/mine.mustache"
make -C "$ROOT" --no-print-directory uninstall PREFIX="$P" DESTDIR= >"$WORK/log" 2>&1
check "uninstall again succeeds" test $? = 0
check "uninstall leaves no file" test -z "$(find "$P" -type f -o -type l)"
check "uninstall leaves no folder of sapan's" test ! -e "$P/share/sapan"
make -C "$ROOT" --no-print-directory uninstall PREFIX=/opt/sapan-test DESTDIR="$WORK/stage" \
	>"$WORK/log" 2>&1
check "a staged uninstall leaves no file" test -z "$(find "$WORK/stage" -type f)"
finish
