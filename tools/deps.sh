#!/bin/sh
# SPDX-License-Identifier: MIT
# What `make deps` runs: finds whether sapan's build dependencies are
# there and, when they are not, installs them (apt-get, as root) or prints
# the one command that installs them on this system (apt-get on Debian,
# Ubuntu and Windows' WSL; Homebrew on macOS; pkg on FreeBSD).
#
#   tools/deps.sh              check, then install or say what to run
#   tools/deps.sh pkg-config-path
#                              the folders pkg-config must also search:
#                              Homebrew's keg-only ICU and libxml2
#
# The Makefile passes the names in the environment: CC, PKGS (pkg-config
# modules), COMMANDS (programs the tests run), DEBIAN_PACKAGES,
# BREW_PACKAGES, FREEBSD_PACKAGES. tests/e2e/deps.sh runs it with stub
# apt-get, brew, pkg, id and uname.
set -u

if [ "${1-}" = pkg-config-path ]; then
	command -v brew >/dev/null 2>&1 || exit 0
	path=
	for keg in icu4c libxml2; do
		prefix=$(brew --prefix "$keg" 2>/dev/null) || continue
		[ -n "$prefix" ] && path=$path${path:+:}$prefix/lib/pkgconfig
	done
	printf '%s\n' "$path"
	exit 0
fi

have_all() {
	command -v "$CC" >/dev/null 2>&1 || return 1
	pkg-config --exists $PKGS 2>/dev/null || return 1
	# libunistring has no pkg-config file: its header is looked for.
	printf '#include <uninorm.h>\n' | "$CC" -E -x c - >/dev/null 2>&1 || return 1
	for c in $COMMANDS; do
		command -v "$c" >/dev/null 2>&1 || return 1
	done
}

have_all && exit 0

root=false
[ "$(id -u)" = 0 ] && root=true
if command -v apt-get >/dev/null 2>&1; then
	if $root; then
		echo "Installing build dependencies: $DEBIAN_PACKAGES"
		apt-get update -qq || exit 1
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $DEBIAN_PACKAGES >/dev/null || exit 1
		exit 0
	fi
	echo "Missing build dependencies. Run:"
	echo "  sudo apt-get install $DEBIAN_PACKAGES"
elif command -v brew >/dev/null 2>&1; then
	echo "Missing build dependencies. Run:"
	command -v "$CC" >/dev/null 2>&1 || echo "  xcode-select --install"
	echo "  brew install $BREW_PACKAGES"
elif command -v pkg >/dev/null 2>&1; then
	echo "Missing build dependencies. Run:"
	if $root; then
		echo "  pkg install $FREEBSD_PACKAGES"
	else
		echo "  su -m root -c 'pkg install $FREEBSD_PACKAGES'"
	fi
elif [ "$(uname -s)" = Darwin ]; then
	echo "Missing build dependencies. Install Homebrew (https://brew.sh), then run:"
	command -v "$CC" >/dev/null 2>&1 || echo "  xcode-select --install"
	echo "  brew install $BREW_PACKAGES"
else
	echo "Missing build dependencies, and no apt-get, Homebrew or pkg was found."
	echo "Install these with your system's packages (Debian's names):"
	echo "  $DEBIAN_PACKAGES"
fi
exit 1
