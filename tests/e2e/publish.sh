#!/usr/bin/env bash
# What is published: editors' backups, swap, lock and hidden files beside a
# draft, and Markdown with a second extension, never reach the site, in
# content/ or in templates/assets/; the draft's text is found nowhere in
# site/. Ordinary files are still copied, a near-page name is warned about,
# sapan check agrees with build, and a link to a skipped file says why.
source "$(dirname "$0")/lib.bash"
DRAFT='SECRET DRAFT TEXT'
FIX=$WORK/fix
mkdir -p "$FIX"
cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$FIX/"
page() { printf -- '---\ntitle: "Plan"\ndraft: true\n---\n%s %s\n' "$DRAFT" "$1"; }
page draft >"$FIX/content/en/plan.md"
page backup >"$FIX/content/en/plan.md~"
page autosave >"$FIX/content/en/#plan.md#"
page lock >"$FIX/content/en/.#plan.md"
page swap >"$FIX/content/en/.plan.md.swp"
page bak >"$FIX/content/en/plan.md.BAK"
page tmp >"$FIX/content/en/plan.tmp"
page text >"$FIX/content/en/plan3.md.txt"
page orig >"$FIX/content/media/plan4.Markdown.orig"
printf '%s css backup\n' "$DRAFT" >"$FIX/templates/assets/style.css~"
printf '%s designer notes\n' "$DRAFT" >"$FIX/templates/assets/README.md"
printf 'kept\n' >"$FIX/content/media/notes.v2.txt"

(cd "$FIX" && "$SAPAN" build --quiet) >"$WORK/out" 2>"$WORK/err"
status=$?
check "build succeeds" test "$status" = 0
check "the draft text is nowhere in the site" test -z "$(grep -rlF "$DRAFT" "$FIX/site")"
for name in 'plan.md~' '#plan.md#' '.#plan.md' '.plan.md.swp' 'plan.md.BAK' 'plan.tmp' \
	'plan3.md.txt'; do
	check "not copied: en/$name" test ! -e "$FIX/site/en/$name"
done
check "not copied: media/plan4.Markdown.orig" test ! -e "$FIX/site/media/plan4.Markdown.orig"
check "not copied: assets/README.md" test ! -e "$FIX/site/assets/README.md"
check "not copied: assets/style.css~" test -z "$(ls "$FIX/site/assets" | grep '~')"
check "an ordinary file with two dots is copied" cmp "$FIX/site/media/notes.v2.txt" \
	"$FIX/content/media/notes.v2.txt"
cat >"$WORK/want" <<'EOF'
content/en/plan3.md.txt: warning: looks like a Markdown page with one more extension and is not published; rename it to end in '.md' to make it a page, or remove it
content/media/plan4.Markdown.orig: warning: looks like a Markdown page with one more extension and is not published; rename it to end in '.md' to make it a page, or remove it
EOF
check "only the near-page names are warned about" diff -u "$WORK/want" "$WORK/err"
diff -u "$WORK/want" "$WORK/err"

# sapan check sees the same files: the same warnings and no error.
(cd "$FIX" && "$SAPAN" check) >"$WORK/out" 2>"$WORK/err"
check "check succeeds" test "$?" = 0
check "check gives the same warnings" diff "$WORK/want" <(grep -v ': note: ' "$WORK/err")

# A link to a skipped file says why it is not there, not "not found".
printf -- '---\ntitle: "Links"\n---\n[old](plan.md~)\n' >"$FIX/content/en/links.md"
(cd "$FIX" && "$SAPAN" build --quiet) >"$WORK/out" 2>"$WORK/err"
check "a link to a backup fails the build" test "$?" = 1
check "the link to a backup says why" contains "$WORK/err" \
	"content/en/links.md:4:7: error: link target 'plan.md~' is not published: editors' backup, swap and hidden files are never published"
finish
