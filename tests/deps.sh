#!/bin/sh
# Install what building and testing need, if it is missing. Run as root.
#
#   tests/deps.sh            everything make check uses
#   tests/deps.sh --build    only what building and the unit tests need
#
# Debian 12 and 13, Ubuntu 22.04 and 24.04 (universe enabled): apt-get.
# Package names that differ between releases (the compiler runtime that
# goes with the release's clang) are probed with apt-cache, never assumed.
# If a needed package has no candidate on this release, nothing at all is
# installed: the script names what is missing and exits 1.
#
# RHEL 9 and 10 and their rebuilds: dnf, with the HighAvailability and
# CRB repositories and EPEL enabled (EPEL: mandoc, hyperfine, debootstrap,
# check-devel on 9). RHEL ships no crmsh and no cluster-glue: the stack
# suite's crmsh checks fail there until crmsh is installed by other means.
set -eu

build_only=no
case ${1:-} in
--build) build_only=yes ;;
"") ;;
*)
	echo "usage: tests/deps.sh [--build]" >&2
	exit 2
	;;
esac

# The unit tests validate metadata against fence-agents' schema
# (/usr/share/cluster/relaxng/metadata.rng: fence-agents-common from
# Debian 13 on, fence-agents before) and pcs's (ocf-1.0.rng).
# rpmbuild's find-debuginfo needs file and eu-strip (elfutils).
# Each word is one need; a|b|c lists alternatives, the first with a
# candidate wins. CLANG_RT is resolved below (libclang-rt-dev where the
# release has the metapackage, else the one of clang's major version).
DEB_BUILD="build-essential clang clang-format pkg-config libxml2-dev \
libxml2-utils check mandoc man-db git fence-agents-common|fence-agents pcs"
DEB_TEST="rpm file elfutils valgrind CLANG_RT hyperfine time iproute2 procps strace \
util-linux python3 debootstrap \
pacemaker pacemaker-cli-utils corosync pcs cluster-glue fence-agents crmsh \
openipmi ipmitool"
RPM_BUILD="gcc clang clang-tools-extra make pkgconfig libxml2-devel libxml2 \
check-devel mandoc man-db git-core"
RPM_TEST="rpm-build elfutils file valgrind compiler-rt hyperfine time iproute procps-ng \
strace util-linux python3 debootstrap \
pacemaker pacemaker-cli corosync pcs fence-agents-common fence-agents-ipmilan \
OpenIPMI-lanserv ipmitool"

if [ "$(id -u)" -ne 0 ]; then
	echo "tests/deps.sh: run as root (it installs packages)" >&2
	exit 1
fi

# installed PKG: PKG is installed (dpkg).
installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# candidate PKG: apt can install PKG on this release.
candidate() {
	apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'
}

# clang_major: the major version of the clang installed, or else of the
# one the clang package would install.
clang_major() {
	if command -v clang >/dev/null 2>&1; then
		clang --version | sed -n 's/.*clang version \([0-9]*\)\..*/\1/p' | head -n 1
	else
		apt-cache depends clang 2>/dev/null |
			sed -n 's/.*Depends: clang-\([0-9][0-9]*\)$/\1/p' | head -n 1
	fi
}

# expand WORD: the alternatives of one need, "|"-separated.
expand() {
	if [ "$1" = CLANG_RT ]; then
		m=$(clang_major)
		echo "libclang-rt-dev${m:+|libclang-rt-$m-dev|libclang-common-$m-dev}"
	else
		echo "$1"
	fi
}

# pick ALTS: the first installed alternative, else the first with a
# candidate; nothing (status 1) if none can be installed.
pick() {
	alts=$(echo "$1" | tr '|' ' ')
	for p in $alts; do
		installed "$p" && { echo "$p"; return 0; }
	done
	for p in $alts; do
		candidate "$p" && { echo "$p"; return 0; }
	done
	return 1
}

deb_install() {
	needs=$DEB_BUILD
	[ "$build_only" = yes ] || needs="$needs $DEB_TEST"
	# Nothing to do (no apt call at all) if every need is installed.
	missing=""
	for w in $needs; do
		ok=no
		for p in $(expand "$w" | tr '|' ' '); do
			installed "$p" && ok=yes && break
		done
		[ "$ok" = yes ] || missing="$missing $w"
	done
	[ -n "$missing" ] || return 0
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	todo="" absent=""
	for w in $missing; do
		alts=$(expand "$w")
		if p=$(pick "$alts"); then
			todo="$todo $p"
		else
			absent="$absent $alts"
		fi
	done
	if [ -n "$absent" ]; then
		echo "tests/deps.sh: no package on this release for:$absent" >&2
		echo "tests/deps.sh: nothing installed (on Ubuntu, enable universe)" >&2
		exit 1
	fi
	echo "tests/deps.sh: installing:$todo"
	# Package scripts must not start the daemons: the tests start their
	# own cluster, by PID.
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 0755 /usr/sbin/policy-rc.d
		trap 'rm -f /usr/sbin/policy-rc.d' EXIT
	fi
	# shellcheck disable=SC2086
	apt-get install -y -qq $todo >/dev/null
}

if command -v apt-get >/dev/null 2>&1; then
	deb_install
elif command -v dnf >/dev/null 2>&1; then
	pkgs=$RPM_BUILD
	[ "$build_only" = yes ] || pkgs="$pkgs $RPM_TEST"
	# dnf installs all of them or none (a name it cannot find fails the
	# whole transaction).
	# shellcheck disable=SC2086
	dnf install -y -q $pkgs || {
		echo "tests/deps.sh: dnf could not install them all (nothing installed);" \
			"enable HighAvailability, CRB and EPEL" >&2
		exit 1
	}
else
	echo "tests/deps.sh: neither apt-get nor dnf found" >&2
	exit 1
fi
echo "tests/deps.sh: all build and test dependencies are installed"
