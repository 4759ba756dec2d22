#!/usr/bin/env bash
# Error cases: each folder in tests/errors/ holds files laid over a copy of
# tests/fixtures/basic (content/ and templates/ overlays), an optional
# "remove" list of paths to delete, the exact diagnostics expected on
# stderr ("expected") and the exit status ("status"). Each case first builds
# the good fixture, so a failing case also proves that the site that was
# there before is left exactly as it was.
#
# What plain files cannot hold (symbolic links, exact bytes such as CR line
# ends or legacy encodings) a case makes with a bash script "setup", run in
# the case's copy after the overlay. A bash script "verify", run there after
# the build, asserts on the built site: it prints what is wrong and fails.
source "$(dirname "$0")/lib.bash"
for case_dir in "$ROOT"/tests/errors/*/; do
	name=$(basename "$case_dir")
	dir=$WORK/$name
	mkdir -p "$dir"
	cp -r "$ROOT/tests/fixtures/basic/content" "$dir/content"
	cp -r "$ROOT/templates" "$dir/templates"
	(cd "$dir" && "$SAPAN" build --quiet) || fail "$name: the good fixture does not build"
	cp -a "$dir/site" "$dir/before"
	for overlay in content templates; do
		[ -d "$case_dir/$overlay" ] && cp -r "$case_dir/$overlay/." "$dir/$overlay/"
	done
	if [ -f "$case_dir/remove" ]; then
		while read -r path; do rm -rf "${dir:?}/$path"; done <"$case_dir/remove"
	fi
	if [ -f "$case_dir/setup" ]; then
		(cd "$dir" && bash "$case_dir/setup") || fail "$name: setup failed"
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
		check "$name: previous site unchanged" diff -r "$dir/before" "$dir/site"
	fi
	check "$name: no temporary folder left" test -z "$(ls -d "$dir"/site.* 2>/dev/null)"
	if [ -f "$case_dir/verify" ]; then
		if (cd "$dir" && bash "$case_dir/verify"); then pass; else fail "$name: verify failed"; fi
	fi
done
finish
