# Shared helpers for the end-to-end tests: each check prints FAIL lines and
# the script ends with "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SAPAN=${SAPAN:-$ROOT/build/sapan}
passed=0
failed=0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# check NAME COMMAND...: one test that passes when the command succeeds.
check() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then pass; else fail "$name"; fi
}

# contains FILE TEXT: the file holds the text (fixed string).
contains() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }

# main_of FILE: the <main> element of a page, for assertions that must not
# see the header, navigation or switcher.
main_of() { sed -n '/<main/,/<\/main>/p' "$1"; }

# serve_project: for the tests of sapan serve, a copy of the basic fixture
# (content and templates) in $WORK/site-dir made the current folder, serve's
# private folders under $WORK/tmp, and scale, the factor the sanitizers
# stretch time limits by.
serve_project() {
	mkdir -p "$WORK/site-dir" "$WORK/tmp"
	cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$WORK/site-dir/"
	cd "$WORK/site-dir" || exit 1
	export TMPDIR=$WORK/tmp
	scale=${SAPAN_TEST_TIME_SCALE:-1}
}
# free_port: a loopback port nobody listens on now.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
