#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every kind of edit a user makes, rebuilt in place, gives the same site as
# a build from scratch into a fresh folder, with one thread and with
# several: a body, a title, a summary, a resource file added or deleted, a
# page deleted, renamed or translated, a template, site.yaml and a UI
# string changed. Whatever a rebuild keeps from the last one (the files it
# leaves untouched, the build cache) must never show in the result: each
# edit is rebuilt with the cache, then without it (--no-cache), and
# compared with a build from scratch without the cache.
source "$(dirname "$0")/lib.bash"
D=$WORK/project
mkdir -p "$D"
cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$D/"
cd "$D" || exit 1
C=content
# Let the copies settle, so that rebuilds recall the files they need not
# read (a file changed in the second before a build is always read).
sleep 2

# same_after NAME -j N: rebuilds site/ in place, then compares it with a
# fresh build of the same sources.
same_after() {
	local name=$1
	shift
	if ! "$SAPAN" build --quiet "$@" >out 2>err; then
		fail "$name: the rebuild fails: $(head -n 3 err)"
		return
	fi
	rm -rf "$WORK/fresh"
	"$SAPAN" build --quiet --no-cache --output "$WORK/fresh" "$@" >/dev/null 2>&1
	check "$name ($*): the same site as a build from scratch" diff -r "$WORK/fresh" site
}

# edit NAME COMMAND...: makes an edit, then checks the rebuild with the
# cache (-j1, then -j2), then without it.
edit() {
	local name=$1
	shift
	"$@" || { fail "$name: the edit itself failed"; return; }
	same_after "$name" -j1
	same_after "$name" -j2
	same_after "$name" -j2 --no-cache
	# Bodies let go after the Markdown phase and rendered again (what a
	# large site does past its memory budget) give the same site.
	SAPAN_TEST_HTML_BUDGET=0 same_after "$name (no body held)" -j2
	# Texts let go after loading and read again when their page renders
	# (what a large site does past the site's text budget).
	SAPAN_TEST_TEXT_BUDGET=1 SAPAN_TEST_HTML_BUDGET=0 same_after "$name (no text held)" -j2
}

sub() { sed -i "$1" "$2"; }
"$SAPAN" build --quiet -j2 || fail "the first build"

edit "body edited" sub 's/^Phase two continues/Phase two goes on from/' $C/en/projects/phase-two.md
edit "title edited" sub 's/^title: Phase One$/title: The First Phase/' $C/en/projects/phase-one.md
edit "summary edited" sub 's/^summary: The current phase.$/summary: Now under way./' \
	$C/en/projects/phase-two.md
edit "resource file added" eval "printf '%%PDF-1.4 extra\n' >$C/media/extra-en.pdf &&
	sed -i 's|^resources:$|resources:\n  - title: Extra\n    files:\n      en: /media/extra-en.pdf|' \
	$C/en/projects/phase-two.md"
edit "resource file deleted" eval "rm $C/media/extra-en.pdf &&
	sed -i '/^  - title: Extra$/,/^      en: \/media\/extra-en.pdf$/d' $C/en/projects/phase-two.md"
edit "page deleted" rm $C/en/projects/older.md
edit "page renamed" eval "git mv -f $C/en/guide.md $C/en/handbook.md 2>/dev/null ||
	mv $C/en/guide.md $C/en/handbook.md; grep -rl 'guide.md' $C | xargs -r sed -i 's/guide\.md/handbook.md/g'"
edit "translation added" eval "printf -- '---\ntitle: คู่มือ\nkind: infosheet\nsummary: คู่มือฉบับภาษาไทย\ndate: 2020-02-01\n---\nภาษาไทย\n' \
	>$C/th/handbook.md"
# Edits that change what other pages show of a page, each through one
# path of view_page_inputs: a menu entry, a "next phase" link, a file's size.
edit "menu title edited" sub 's/^title: Projects$/title: Our Projects/' $C/en/projects/_index.md
edit "next phase title edited" sub 's/^title: Phase Two$/title: The Second Phase/' \
	$C/en/projects/phase-two.md
edit "resource file grew" eval "head -c 3000 /dev/zero >>$C/media/summary-en.pdf"
edit "resource title edited" sub 's/^  - title: Phase Two Summary$/  - title: Summary of Phase Two/' \
	$C/en/projects/phase-two.md
edit "template changed" sub 's|</footer>|<p>Printed copies on request.</p></footer>|' \
	templates/partials/footer.mustache
edit "site.yaml changed" sub 's/^  en: Fixture Site$/  en: Fixture Site, Renamed/' $C/site.yaml
edit "UI string changed" sub 's/^resources: .*/resources: "Documents"/' templates/i18n/en.yaml
# News on the home page: the newest three, by date, with their summaries.
edit "news added" eval "mkdir -p $C/en/news && for i in 1 2 3 4; do
	printf -- '---\ntitle: News %s\nkind: news\ndate: 2020-0%s-01\nsummary: Item %s.\n---\nText.\n' \
		\$i \$i \$i >$C/en/news/n\$i.md; done &&
	printf -- '---\ntitle: News\n---\n' >$C/en/news/_index.md"
edit "news date edited" sub 's/^date: 2020-01-01$/date: 2021-01-01/' $C/en/news/n1.md
edit "news summary edited" sub 's/^summary: Item 3.$/summary: Item two./' $C/en/news/n3.md
edit "updated added" sub 's/^location: Tak province$/location: Tak province\nupdated: 2024-03-09/' \
	$C/en/projects/phase-two.md
edit "logo added" eval "printf '<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n' >$C/media/logo.svg &&
	printf 'logo:\n  file: /media/logo.svg\n  alt: Logo\norganisation: Org\n' >>$C/site.yaml"

# A whole build with no body held between the phases (the cache is
# removed, so every page renders) gives the same site.
rm -rf site .sapan-cache
SAPAN_TEST_HTML_BUDGET=0 same_after "cold, no body held" -j2
rm -rf site .sapan-cache
SAPAN_TEST_TEXT_BUDGET=1 same_after "cold, no text held" -j2
rm -rf site .sapan-cache
SAPAN_TEST_TEXT_BUDGET=1 same_after "cold, no text held, no cache" -j1 --no-cache

# The edits above really changed the site (a test that compares two equal
# sites built from untouched sources would prove nothing).
check "the title edit shows" grep -rqF 'The First Phase' site/en
check "the menu edit shows on every page" \
	[ "$(grep -rlF '>Our Projects<' site/en | wc -l)" -eq "$(find site/en -name index.html | wc -l)" ]
check "the next phase's new title shows on phase one" \
	grep -qF 'The Second Phase' site/en/projects/phase-one/index.html
check "the renamed page is there" test -f site/en/handbook/index.html
check "the old name is gone" test ! -e site/en/guide
check "the translation is there" test -f site/th/handbook/index.html
check "the template edit shows" grep -qF 'Printed copies on request.' site/en/index.html
check "the UI string shows" grep -rqF 'Documents' site/en/projects/phase-two/index.html
check "the news date edit shows on the home page" \
	test "$(grep -oE 'href="news/n[0-9]/"' site/en/index.html | tr -d '\n')" = 'href="news/n1/"href="news/n4/"href="news/n3/"'
check "the news summary edit shows on the home page" grep -qF 'Item two.' site/en/index.html
check "the updated date shows" grep -qF '9 March 2024' site/en/projects/phase-two/index.html
check "the logo shows" grep -qF 'alt="Logo"' site/en/index.html
finish
