#!/usr/bin/env bash
# sapan new: a page in both languages from templates/new/, for each kind,
# with every key of the kind (the optional ones commented), draft: true and
# today's date; never over an existing file, all or nothing; bad paths
# refused as usage errors; the new pages are skipped as drafts and build
# once draft: true is removed.
source "$(dirname "$0")/lib.bash"
SITE=$WORK/site
mkdir -p "$SITE"
cp -r "$ROOT/content" "$ROOT/templates" "$SITE/"
cd "$SITE" || exit 1
today=$(date +%F)
files() { find content -type f -o -type d | sort; }

page_keys="title summary kind date draft weight menu resources translation_key layout"
declare -A keys=(
	[page]="$page_keys"
	[infosheet]="$page_keys status"
	[news]="$page_keys updated"
	[project]="$page_keys status period location donors previous_phase"
)
for kind in page project infosheet news; do
	"$SAPAN" new "new-$kind" --kind "$kind" >"$WORK/out" 2>"$WORK/err"
	check "$kind: exit status 0" test $? = 0
	printf 'content/en/new-%s.md\ncontent/th/new-%s.md\n' "$kind" "$kind" >"$WORK/want"
	check "$kind: prints the two paths" diff "$WORK/want" "$WORK/out"
	check "$kind: prints nothing else" test ! -s "$WORK/err"
	for lang in en th; do
		f=content/$lang/new-$kind.md
		check "$kind $lang: written" test -f "$f"
		check "$kind $lang: kind" contains "$f" "kind: $kind"
		check "$kind $lang: a draft" grep -qx 'draft: true' "$f"
		check "$kind $lang: dated today" grep -qx "date: $today" "$f"
		check "$kind $lang: a title placeholder" grep -q '^title: "..*"$' "$f"
		for key in ${keys[$kind]}; do
			check "$kind $lang: has key $key" grep -Eq "^(# )?$key:" "$f"
			# The line above a commented key explains it.
			if grep -q "^# $key:" "$f"; then
				check "$kind $lang: $key is explained" \
					grep -B1 "^# $key:" "$f" | head -n 1 | grep -q '^# [^ ]'
			fi
		done
	done
	check "$kind: the Thai file explains in Thai" grep -q '^# .*ลำดับ' "content/th/new-$kind.md"
	check "$kind: the English file explains in English" \
		grep -q '^# The page\|^# A whole number' "content/en/new-$kind.md"
done
check "optional keys are commented" grep -qx '# period: 2024-2026' content/en/new-project.md

# A .md suffix may be given once; a folder is made.
"$SAPAN" new infosheets/new-sheet.md --kind infosheet >"$WORK/out" 2>&1
check "a path with .md is taken" test $? = 0
check "in a folder: en" test -f content/en/infosheets/new-sheet.md
check "in a folder: th" test -f content/th/infosheets/new-sheet.md

# Drafts are skipped, then built when draft: true is removed.
"$SAPAN" build --quiet >"$WORK/out" 2>&1
check "builds with the new drafts" test $? = 0
check "a draft is not built" test ! -e site/en/new-project/index.html
check "a Thai draft is not built" test ! -e site/th/new-project/index.html
sed -i '/^draft: true$/d' content/*/new-*.md content/*/infosheets/new-sheet.md
"$SAPAN" build --quiet >"$WORK/out" 2>&1
check "builds once draft: true is removed" test $? = 0
cat "$WORK/out"
for kind in page project infosheet news; do
	check "$kind en built" contains "site/en/new-$kind/index.html" 'Title of the'
	check "$kind th built" test -f "site/th/new-$kind/index.html"
done
check "the infosheet in a folder is built" test -f site/en/infosheets/new-sheet/index.html
"$SAPAN" check >"$WORK/out" 2>&1
check "sapan check passes" test $? = 0

# Never over an existing file, and then nothing is written.
before=$(files)
"$SAPAN" new new-page >"$WORK/out" 2>"$WORK/err"
check "an existing page: exit status 1" test $? = 1
check "an existing page: says so" contains "$WORK/err" \
	"content/en/new-page.md: error: already exists; sapan new never replaces a page"
check "an existing page: nothing written" test "$before" = "$(files)"
echo "mine" >content/th/only-th.md
"$SAPAN" new only-th >"$WORK/out" 2>"$WORK/err"
check "one language exists: exit status 1" test $? = 1
check "one language exists: the English file is not written" test ! -e content/en/only-th.md
check "one language exists: the Thai file is kept" grep -qx mine content/th/only-th.md
check "one language exists: prints no path" test ! -s "$WORK/out"
rm content/th/only-th.md
# The second file cannot be written (a file where its folder should be):
# the first, and the folder made for it, are taken back.
echo "a file" >content/th/blocked
before=$(files)
"$SAPAN" new blocked/page >"$WORK/out" 2>"$WORK/err"
check "second file fails: exit status 1" test $? = 1
check "second file fails: says why" contains "$WORK/err" "content/th/blocked/page.md: error: cannot write"
check "second file fails: nothing left" test "$before" = "$(files)"

# Bad paths are usage errors and write nothing.
for bad in "" /abs/x ../x a/../b a/./b x.md.md a//b a/ .hidden 'x~' '#x#' x.swp \
	en/x th/projects/x x.markdown; do
	"$SAPAN" new "$bad" >"$WORK/out" 2>"$WORK/err"
	status=$?
	check "bad path '$bad': exit status 2" test "$status" = 2
	check "bad path '$bad': one line" test "$(wc -l <"$WORK/err")" = 1
	check "bad path '$bad': says what" grep -q "^sapan: error: the page path '.*' " "$WORK/err"
	check "bad path '$bad': nothing written" test "$before" = "$(files)"
done
"$SAPAN" new en/projects/x >"$WORK/out" 2>"$WORK/err"
check "a language folder in the path: suggests the path inside" contains "$WORK/err" \
	"starts with the language folder 'en'; give the path inside it ('projects/x')"
"$SAPAN" new x --kind blog >"$WORK/out" 2>"$WORK/err"
check "an unknown kind: exit status 2" test $? = 2
check "an unknown kind: says which" contains "$WORK/err" \
	"sapan: error: --kind 'blog' is not a kind of page (expected page, project, infosheet or news)"
"$SAPAN" new >"$WORK/out" 2>"$WORK/err"
check "no path: exit status 2" test $? = 2
"$SAPAN" new a b >"$WORK/out" 2>"$WORK/err"
check "two paths: exit status 2" test $? = 2
check "usage errors write nothing" test "$before" = "$(files)"

# The starter files are the site's own: a changed one is used, a missing
# one is an error naming it, and the theme does not take them as layouts.
sed -i 's/^Write the page here\.$/Our own starter text./' templates/new/page.en.md
"$SAPAN" new own >"$WORK/out" 2>&1
check "a changed starter file is used" contains content/en/own.md "Our own starter text."
printf '{{#unclosed}}\n' >templates/new/broken.mustache
rm templates/new/infosheet.th.md
before=$(files)
"$SAPAN" new sheet2 --kind infosheet >"$WORK/out" 2>"$WORK/err"
check "a missing starter file: exit status 1" test $? = 1
check "a missing starter file: names it" contains "$WORK/err" \
	"templates/new/infosheet.th.md: error: starter file for a new infosheet in language 'th' not found"
check "a missing starter file: nothing written" test "$before" = "$(files)"
"$SAPAN" build --quiet >"$WORK/out" 2>&1
check "templates/new/ is not read as layouts" test $? = 0
cat "$WORK/out"

# --content and --templates name other folders.
mv content c2
mv templates t2
"$SAPAN" new moved --content c2 --templates t2 >"$WORK/out" 2>&1
check "--content and --templates" test -f c2/th/moved.md
finish
