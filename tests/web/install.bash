# SPDX-License-Identifier: MIT
# install_missing WHAT PACKAGE...: installs the Debian packages given (the
# caller lists only those it found missing) with apt-get when run as root;
# otherwise prints the line to run, saying what needs them, and exits 1.
install_missing() {
	local what=$1
	shift
	[ $# -gt 0 ] || return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "Installing $*"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq &&
			apt-get install -y -qq --no-install-recommends "$@" >/dev/null || exit 1
	else
		echo "$what: sudo apt-get install $*"
		exit 1
	fi
}
