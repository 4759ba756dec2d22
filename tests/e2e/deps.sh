#!/usr/bin/env bash
# make deps (tools/deps.sh) on each kind of system, with a PATH of stub
# commands that record what they were asked: apt-get installs as root and
# is named otherwise; Homebrew and pkg are only named, with their own
# package names; Homebrew's keg-only ICU and libxml2 reach pkg-config.
source "$(dirname "$0")/lib.bash"
MAKE_BIN=$(command -v make)
LOG=$WORK/asked
DEBIAN='build-essential pkg-config libcmark-dev libyaml-dev libxml2-dev libthai-dev libunistring-dev libicu-dev libmicrohttpd-dev libqrencode-dev libzip-dev libstemmer-dev libgoogle-perftools-dev groff-base curl zbar-tools unzip'
BREW='pkgconf cmark libyaml libxml2 libthai libunistring icu4c libmicrohttpd qrencode libzip snowball gperftools groff zbar'
FREEBSD='gmake bash pkgconf cmark libyaml libxml2 libthai libunistring icu libmicrohttpd libqrencode libzip libstemmer google-perftools groff curl zbar'

# stub NAME BODY: a command in the fake PATH that logs its arguments.
stub() {
	printf '#!/bin/sh\necho "%s $*" >>"%s"\n%s\n' "$1" "$LOG" "$2" >"$BIN/$1"
	chmod +x "$BIN/$1"
}
# system UID UNAME [COMMAND...]: a fresh fake PATH for that system, where
# nothing sapan needs is installed (pkg-config finds no module, no cc).
system() {
	BIN=$WORK/bin-$RANDOM
	mkdir -p "$BIN"
	: >"$LOG"
	stub id "echo $1"
	stub uname "echo $2"
	stub pkg-config 'echo "PKG_CONFIG_PATH=$PKG_CONFIG_PATH" >>'"$LOG"'; exit 1'
	# What the Makefile itself runs on every start (its source sum).
	for c in cat cksum cut; do ln -s "$(command -v $c)" "$BIN/$c"; done
	shift 2
	for c in "$@"; do
		case $c in
		brew) stub brew 'if [ "$1" = --prefix ]; then echo "/opt/homebrew${2:+/opt/$2}"; fi' ;;
		*) stub "$c" 'exit 0' ;;
		esac
	done
}
# The make check that runs this test is not this make's parent.
deps() { PATH=$BIN MAKEFLAGS= MFLAGS= MAKELEVEL= "$MAKE_BIN" -C "$ROOT" --no-print-directory -s deps CC=cc >"$WORK/out" 2>&1; }
said() { grep -qxF -- "$1" "$WORK/out"; }
asked() { grep -qxF -- "$1" "$LOG"; }
never() { ! grep -q "^$1 " "$LOG"; }

# Debian, Ubuntu or WSL as root: apt-get installs.
system 0 Linux apt-get
deps
check "apt-get as root: make deps succeeds" test $? = 0
check "apt-get as root: says what it installs" said "Installing build dependencies: $DEBIAN"
check "apt-get as root: updates the lists" asked "apt-get update -qq"
check "apt-get as root: installs Debian's packages" asked "apt-get install -y -qq $DEBIAN"

# ... not as root: the command to run, nothing installed.
system 1000 Linux apt-get
deps
check "apt-get, not root: make deps stops" test $? != 0
check "apt-get, not root: names the command" said "  sudo apt-get install $DEBIAN"
check "apt-get, not root: installs nothing" never apt-get

# macOS with Homebrew: brew install is named, never run; the keg-only
# ICU and libxml2 are on pkg-config's path.
system 501 Darwin brew
deps
check "Homebrew: make deps stops" test $? != 0
check "Homebrew: the command line tools first" said "  xcode-select --install"
check "Homebrew: names brew install" said "  brew install $BREW"
check "Homebrew: asked where ICU is" asked "brew --prefix icu4c"
check "Homebrew: asked where libxml2 is" asked "brew --prefix libxml2"
check "Homebrew: installs nothing" bash -c "! grep -q '^brew install' '$LOG'"
system 501 Darwin brew cc
deps
check "Homebrew with a compiler: no xcode-select" bash -c "! grep -q xcode-select '$WORK/out'"
check "Homebrew: pkg-config searches the kegs" \
	asked "PKG_CONFIG_PATH=/opt/homebrew/opt/icu4c/lib/pkgconfig:/opt/homebrew/opt/libxml2/lib/pkgconfig"

# macOS without Homebrew: where to get it, then the same command.
system 501 Darwin
deps
check "macOS without Homebrew: says to install it" said \
	"Missing build dependencies. Install Homebrew (https://brew.sh), then run:"
check "macOS without Homebrew: names brew install" said "  brew install $BREW"

# FreeBSD: pkg is named (as root without su), never run.
system 0 FreeBSD pkg
deps
check "pkg as root: make deps stops" test $? != 0
check "pkg as root: names pkg install" said "  pkg install $FREEBSD"
check "pkg as root: installs nothing" never pkg
system 1001 FreeBSD pkg
deps
check "pkg, not root: through su" said "  su -m root -c 'pkg install $FREEBSD'"

# Nothing missing: silent, nothing asked of any package manager.
system 0 Linux apt-get cc groff curl zbarimg unzip
stub pkg-config 'exit 0'
deps
check "nothing missing: make deps succeeds" test $? = 0
check "nothing missing: says nothing" test ! -s "$WORK/out"
check "nothing missing: installs nothing" never apt-get

# An unknown system: Debian's names, as a list to look for.
system 1000 Haiku
deps
check "no package manager: make deps stops" test $? != 0
check "no package manager: lists what is needed" said "  $DEBIAN"
finish
