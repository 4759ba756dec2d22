#!/usr/bin/env bash
# The Containerfile (which cannot be built here) installs only Debian
# packages that the Makefile names too, so the container and `make` on
# Debian need the same; it installs sapan with make install and serves on
# serve's port.
source "$(dirname "$0")/lib.bash"
CF=$ROOT/Containerfile
check "there is a Containerfile" test -f "$CF"
check "on Debian 12" grep -qE '^FROM ([a-z.]+/)*(library/)?debian:12(-slim)?$' "$CF"
# The words of its apt-get install command, options and shell words left out.
awk '/apt-get install/,/rm -rf/' "$CF" | tr ' \t\\' '\n\n\n' |
	grep -vE '^$|^-|^&&$|^apt-get$|^install$|^rm$|^/|^DEBIAN_FRONTEND=' >"$WORK/packages"
check "it installs packages" test -s "$WORK/packages"
MAKEFLAGS= MFLAGS= MAKELEVEL= make -C "$ROOT" --no-print-directory -s -f Makefile -f - print-debian-packages <<'MK' |
print-debian-packages:
	@echo $(DEBIAN_PACKAGES)
MK
	tr ' ' '\n' >"$WORK/named"
check "the Makefile names its Debian packages" test -s "$WORK/named"
while read -r p; do
	check "the Containerfile's $p is in the Makefile's DEBIAN_PACKAGES" grep -qxF "$p" "$WORK/named"
done <"$WORK/packages"
check "it installs sapan with make install" grep -q 'make .*install' "$CF"
check "it shows serve's default port" grep -qx "EXPOSE $(sed -n 's/^#define SERVE_DEFAULT_PORT \([0-9]*\)$/\1/p' "$ROOT/generator/serve.h")" "$CF"
finish
