#!/usr/bin/env bash
# Error cases: each folder in tests/errors/ holds files laid over a copy of
# tests/fixtures/basic (content/ and templates/ overlays), an optional
# "remove" list of paths to delete, the exact diagnostics expected on
# stderr ("expected") and the exit status ("status").
source "$(dirname "$0")/lib.bash"
for case_dir in "$ROOT"/tests/errors/*/; do
	name=$(basename "$case_dir")
	dir=$WORK/$name
	mkdir -p "$dir"
	cp -r "$ROOT/tests/fixtures/basic/content" "$dir/content"
	cp -r "$ROOT/templates" "$dir/templates"
	for overlay in content templates; do
		[ -d "$case_dir/$overlay" ] && cp -r "$case_dir/$overlay/." "$dir/$overlay/"
	done
	if [ -f "$case_dir/remove" ]; then
		while read -r path; do rm -rf "${dir:?}/$path"; done <"$case_dir/remove"
	fi
	(cd "$dir" && "$SAPAN" build --quiet >/dev/null 2>stderr)
	status=$?
	want_status=$(cat "$case_dir/status")
	if [ "$status" = "$want_status" ]; then pass; else fail "$name: exit status $status, want $want_status"; fi
	if diff -u "$case_dir/expected" "$dir/stderr" >"$dir/diff"; then
		pass
	else
		fail "$name: diagnostics differ"
		cat "$dir/diff"
	fi
	if [ "$want_status" != 0 ]; then
		check "$name: no site written" test ! -e "$dir/site"
	fi
done
finish
