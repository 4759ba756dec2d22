#!/usr/bin/env bash
# The manual page, docs/sapan.1: groff renders it with every warning on
# (-ww) and says nothing, man -l shows it, and every command and option
# that `sapan --help` lists is in it, so the two cannot drift apart.
source "$(dirname "$0")/lib.bash"
PAGE=$ROOT/docs/sapan.1

groff -ww -mandoc -Tutf8 "$PAGE" >"$WORK/utf8" 2>"$WORK/err"
check "groff -ww renders it" test $? = 0
check "groff -ww gives no warning" test ! -s "$WORK/err"
cat "$WORK/err"
check "the rendering is not empty" test "$(wc -l <"$WORK/utf8")" -gt 100
MANWIDTH=80 MANPAGER=cat PAGER=cat man --warnings=w -l "$PAGE" >"$WORK/man" 2>"$WORK/err"
check "man -l renders it" test $? = 0
check "man -l gives no warning" test ! -s "$WORK/err"
cat "$WORK/err"
check "man -l shows the name" grep -q 'build a bilingual English and Thai static site' "$WORK/man"

# The plain-text rendering, without bold and underline, to compare with
# the help.
groff -mandoc -Tascii "$PAGE" 2>/dev/null | col -b >"$WORK/text"
for section in NAME SYNOPSIS DESCRIPTION ENVIRONMENT FILES 'EXIT STATUS' EXAMPLES; do
	check "has the section $section" grep -qx "$section" "$WORK/text"
done
"$SAPAN" --help >"$WORK/help"
# Every command of the usage lines.
commands=$(sed -n 's/^\(Usage:\)\? *sapan \([a-z][a-z]*\).*/\2/p' "$WORK/help" | sort -u)
check "the help lists build, check and new" test "$(echo "$commands" | grep -c 'build\|check\|new')" = 3
for cmd in $commands; do
	check "the command $cmd is described" grep -qE "^     $cmd( |$)" "$WORK/text"
done
# Every option (--name, -x) the help names anywhere.
options=$(grep -oE -- '(^|[ [,(])--?[a-z][a-z-]*' "$WORK/help" | sed 's/^[ [,(]//' | sort -u)
check "the help names at least ten options" test "$(echo "$options" | wc -l)" -ge 10
for opt in $options; do
	if grep -qE -- "(^|[^a-z-])$opt([^a-z-]|$)" "$WORK/text"; then pass; else
		fail "the option $opt of sapan --help is not in docs/sapan.1"
	fi
done
# And the options of serve that the issue names, with build's.
for opt in --port --bind --lan --drafts --kind; do
	check "the option $opt is in the page" grep -qE -- "(^|[^a-z-])$opt([^a-z-]|$)" "$WORK/text"
done
finish
