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

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
