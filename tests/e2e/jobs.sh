#!/usr/bin/env bash
# Render threads: the default site, the fixtures and a generated site of a
# few hundred pages built with -j1, -j2 and -j8 are the same byte for byte
# and print the same diagnostics in the same order, whether the build
# succeeds with warnings on many pages or fails with errors on many pages.
# Invalid --jobs values are usage errors.
source "$(dirname "$0")/lib.bash"

# same_with_jobs NAME DIR [OPTIONS...]: builds the project in DIR with 1, 2
# and 8 threads and compares the sites, the diagnostics and the status.
same_with_jobs() {
	local name=$1 dir=$2 j
	shift 2
	for j in 1 2 8; do
		(cd "$dir" && "$SAPAN" build -j "$j" --output "$WORK/out-$name-$j" "$@" \
			>/dev/null 2>"$WORK/err-$name-$j"
		 echo $? >"$WORK/status-$name-$j")
		# Each build writes into a folder of its own name: say which.
		sed -i "s#out-$name-$j#out-$name#g" "$WORK/err-$name-$j"
	done
	for j in 2 8; do
		check "$name: -j$j exits as -j1" cmp "$WORK/status-$name-1" "$WORK/status-$name-$j"
		check "$name: -j$j prints what -j1 prints" cmp "$WORK/err-$name-1" "$WORK/err-$name-$j"
		if [ -d "$WORK/out-$name-1" ]; then
			check "$name: -j$j writes what -j1 writes" \
				diff -r "$WORK/out-$name-1" "$WORK/out-$name-$j"
		fi
	done
}

same_with_jobs default "$ROOT"
for f in "$ROOT"/tests/fixtures/*/; do
	f=${f%/}
	mkdir -p "$WORK/${f##*/}"
	cp -r "$f/content" "$WORK/${f##*/}/content"
	cp -r "$ROOT/templates" "$WORK/${f##*/}/templates"
	same_with_jobs "${f##*/}" "$WORK/${f##*/}"
done

# A generated site: 150 pages per language linking to each other, with
# images without alt text and javascript: links (warnings) on many pages,
# several on one line, so that the order of equal positions shows.
gen=$WORK/gen
cp -r "$ROOT/tests/fixtures/basic" "$gen"
cp -r "$ROOT/templates" "$gen/templates"
for lang in en th; do
	mkdir -p "$gen/content/$lang/notes"
	printf -- '---\ntitle: Notes\n---\nAll notes.\n' >"$gen/content/$lang/notes/_index.md"
	for i in $(seq 1 150); do
		{
			# Every third note has a summary: its Markdown waits for its
			# page (build.c), the others' is rendered before any page.
			summary=
			[ $((i % 3)) = 0 ] && summary="summary: Note $i in short."$'\n'
			printf -- '---\ntitle: "Note %d"\nweight: %d\n%s---\n' "$i" "$i" "$summary"
			printf 'Note %d of the %s notes, after [note %d](n%d.md).\n\n' \
				"$i" "$lang" $((i % 150 + 1)) $((i % 150 + 1))
			if [ $((i % 7)) = 0 ]; then
				printf '![](/media/summary-en.pdf) ![](/media/summary-th.pdf) [x](javascript:alert(1))\n\n'
				printf 'Text.\n\n![](/media/summary-en.pdf)\n'
			fi
		} >"$gen/content/$lang/notes/n$i.md"
	done
done
same_with_jobs generated "$gen"
check "generated: the warnings are there" grep -q "has no alt text" "$WORK/err-generated-1"
check "generated: 300 pages are built" test -f "$WORK/out-generated-1/th/notes/n150/index.html"

# Broken links only on pages whose Markdown waits for their page: every
# one is reported, though the first fails in the page phase.
for i in $(seq 15 15 150); do
	printf 'And [a lost one](lost-%d.md).\n' "$i" >>"$gen/content/th/notes/n$i.md"
done
same_with_jobs broken-late "$gen"
check "broken-late: the build fails" grep -qx 1 "$WORK/status-broken-late-1"
check "broken-late: every broken link is reported" \
	test "$(grep -c "error: link target 'lost-" "$WORK/err-broken-late-1")" = 10
for i in $(seq 15 15 150); do
	sed -i '/lost-/d' "$gen/content/th/notes/n$i.md"
done

# The same site with a broken link on every fifth page (a third of them
# with a summary): the build fails, with the same errors in the same order.
for i in $(seq 5 5 150); do
	printf 'And [a lost one](lost-%d.md).\n' "$i" >>"$gen/content/en/notes/n$i.md"
done
same_with_jobs broken "$gen"
check "broken: the build fails" grep -qx 1 "$WORK/status-broken-1"
check "broken: every broken link is reported" \
	test "$(grep -c "error: link target 'lost-" "$WORK/err-broken-1")" = 30

# Pages are read and parsed on the threads too: front matter mistakes in
# many pages (and a page that is not UTF-8) come out the same, in order.
for i in $(seq 3 9 150); do
	sed -i 's/^weight: \(.*\)$/weight: "heavy \1"/' "$gen/content/th/notes/n$i.md"
done
printf -- '---\ntitle: "Caf\xe9"\n---\n' >"$gen/content/en/notes/latin1.md"
same_with_jobs parse "$gen"
check "parse: the build fails" grep -qx 1 "$WORK/status-parse-1"
check "parse: every front matter mistake is reported" \
	test "$(grep -c "error: 'weight' must be a whole number" "$WORK/err-parse-1")" = 17
check "parse: the encoding error is reported" grep -q "latin1.md:2:12: error: invalid UTF-8" "$WORK/err-parse-1"

# Invalid values are usage errors (exit status 2) that name the problem.
for bad in -j0 "-j 0" -j257 "--jobs=" "--jobs=2x" "--jobs -1" "-j" "--jobs" "-jx"; do
	# shellcheck disable=SC2086
	(cd "$ROOT" && "$SAPAN" build $bad --output "$WORK/never" >/dev/null 2>"$WORK/bad-err")
	status=$?
	check "'$bad' is a usage error" test "$status" = 2
	check "'$bad' names --jobs or -j" grep -qE -- '(--jobs|-j)' "$WORK/bad-err"
done
check "no invalid value built anything" test ! -e "$WORK/never"
for good in -j1 "-j 3" --jobs=256 "--jobs 2"; do
	# shellcheck disable=SC2086
	check "'$good' builds" sh -c "cd '$ROOT' && '$SAPAN' build $good --quiet --output '$WORK/good'"
done
check "a build whose stderr is not a terminal shows no progress line" \
	sh -c "! grep -q \$'\\r' '$WORK/err-generated-1'"

finish
