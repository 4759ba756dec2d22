#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Inputs that are not ordinary files, or not ordinary values, where no
# fixture in tests/errors/ can hold them: a named pipe (FIFO) where sapan
# reads site.yaml, a UI strings file or a page (each must be refused at
# once, not wait forever for a writer; every build runs under `timeout` so
# a hang fails here instead of hanging the suite), a page over the size
# limit, a --base-url that is not a usable address, and content or
# templates folders that are missing.
source "$(dirname "$0")/lib.bash"

# fixture NAME: a fresh copy of tests/fixtures/basic with the default
# templates in $WORK/NAME.
fixture() {
	mkdir -p "$WORK/$1"
	cp -r "$ROOT/tests/fixtures/basic/content" "$WORK/$1/content"
	cp -r "$ROOT/templates" "$WORK/$1/templates"
}

# build_in NAME [OPTIONS...]: builds $WORK/NAME within 5 s; sets status.
build_in() {
	local name=$1
	shift
	(cd "$WORK/$name" && timeout -k 2 5 "$SAPAN" build --quiet "$@" >stdout 2>stderr)
	status=$?
}

# expect NAME TEXT: the build's stderr is exactly TEXT.
expect() {
	printf '%s\n' "$2" >"$WORK/$1/want"
	if diff -u "$WORK/$1/want" "$WORK/$1/stderr"; then pass; else fail "$1: diagnostics differ"; fi
}

# fifo_case NAME PATH: replaces PATH (inside the copy) by a named pipe.
fifo_case() {
	fixture "$1"
	rm -f "$WORK/$1/$2"
	mkfifo "$WORK/$1/$2"
	build_in "$1"
	check "$1: a FIFO at $2 fails at once instead of blocking" test "$status" = 1
	expect "$1" "$2: error: is a named pipe (FIFO), not a file; sapan reads only regular files
sapan: build failed with 1 error; site was not changed"
}
fifo_case fifo-site-yaml content/site.yaml
fifo_case fifo-strings templates/i18n/th.yaml
# A page that is a FIFO is left out by the scan of content/ (which reads
# only regular files); it must not block the build either.
fixture fifo-page
rm "$WORK/fifo-page/content/en/guide.md"
mkfifo "$WORK/fifo-page/content/en/guide.md"
build_in fifo-page
check "a FIFO page does not block the build" test "$status" = 1
check "... and is not read as a page" lacks "$WORK/fifo-page/stderr" "named pipe (FIFO)"

# A page over the 32 MB limit (sparse: it takes no disk) is refused by its
# size before a byte of it is read.
fixture huge
truncate -s 100M "$WORK/huge/content/en/huge.md"
build_in huge
check "a 100 MB page fails the build" test "$status" = 1
expect huge "content/en/huge.md: error: file is larger than 32 MB, the most sapan reads from one text file; split it into several files
sapan: build failed with 1 error; site was not changed"

# --base-url is checked as site.yaml's base_url is, and says what is wrong.
fixture cli-url
build_in cli-url --base-url 'https://example.org/?lang=en'
check "--base-url with a query fails" test "$status" = 1
expect cli-url "error: --base-url 'https://example.org/?lang=en' is not a usable address: it has a query (?...); remove it
sapan: build failed with 1 error; site was not changed"
build_in cli-url --base-url '#x'
expect cli-url "error: --base-url '#x' is not a usable address: it must begin with http:// or https://
sapan: build failed with 1 error; site was not changed"
build_in cli-url --base-url 'https://example.org/aup'
check "a good --base-url builds" test "$status" = 0
check "... with absolute sitemap entries" contains "$WORK/cli-url/site/sitemap.xml" '<loc>https://example.org/aup/en/</loc>'

# A missing content or templates folder (sapan run outside the project
# folder) is one line each, before anything is read.
fixture folders
build_in folders --content nope
check "a missing content folder fails" test "$status" = 1
expect folders "nope: error: the content folder was not found; run sapan in the project folder, or name the folder with --content
sapan: build failed with 1 error; site was not changed"
build_in folders --templates content/site.yaml --content missing
expect folders "content/site.yaml: error: the templates folder is not a folder; run sapan in the project folder, or name the folder with --templates
missing: error: the content folder was not found; run sapan in the project folder, or name the folder with --content
sapan: build failed with 2 errors; site was not changed"

# The one list of required UI strings (generator/i18n.c) names every
# {{t.key}} of the default templates and every string view.c reads, so a
# language file that lacks one is refused rather than built with a blank.
table=$(sed -n '/^const char \*const i18n_required_keys\[\] = {/,/^};/p' "$ROOT/generator/i18n.c")
used=$( { grep -rhoE '\{\{[#^/&{]?[[:space:]]*t\.[a-z_0-9]+' "$ROOT/templates" --include='*.mustache' |
	sed -E 's/.*t\.//'
	grep -hoE '\bt\(env, [^,]+, *"[a-z_]+"' "$ROOT/generator/view.c" | sed -E 's/.*"([a-z_]+)"/\1/'
	grep -hoE 'xasprintf\("kind_%s"' "$ROOT/generator/view.c" >/dev/null &&
		printf '%s\n' kind_page kind_project kind_infosheet; } | sort -u)
check "some UI strings are found in the templates" test "$(echo "$used" | wc -l)" -gt 20
for key in $used; do
	check "UI string '$key' is in the required list" grep -qF "\"$key\"" <<<"$table"
done
finish
