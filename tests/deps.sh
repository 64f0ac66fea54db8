#!/bin/sh
# Install what building and testing need, if it is missing.
# Debian/Ubuntu: apt-get; RHEL and rebuilds: dnf (HA and CRB/EPEL repos
# must be enabled for pacemaker, pcs and check-devel). Run as root.
# crmsh (the stack suite's crmsh checks) is Debian-only here: RHEL and its
# rebuilds ship no crmsh package (pcs is their client), so on them those
# checks fail until crmsh is installed by other means.
set -eu

DEB_PKGS="build-essential clang clang-format pkg-config libxml2-dev libxml2-utils check \
valgrind libclang-rt-14-dev mandoc rpm man-db hyperfine \
pacemaker pacemaker-cli-utils corosync pcs cluster-glue fence-agents crmsh"
RPM_PKGS="gcc clang clang-tools-extra make pkgconfig libxml2-devel libxml2 check-devel \
valgrind mandoc rpm-build man-db pacemaker pacemaker-cli corosync pcs \
fence-agents-common"

if [ "$(id -u)" -ne 0 ]; then
	echo "tests/deps.sh: run as root (it installs packages)" >&2
	exit 1
fi

if command -v apt-get >/dev/null 2>&1; then
	missing=""
	for p in $DEB_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q "install ok installed" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "tests/deps.sh: installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# Package scripts must not start the daemons: the tests start
		# their own cluster, by PID.
		if [ ! -e /usr/sbin/policy-rc.d ]; then
			printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
			chmod 0755 /usr/sbin/policy-rc.d
			trap 'rm -f /usr/sbin/policy-rc.d' EXIT
		fi
		# shellcheck disable=SC2086
		apt-get install -y -qq $missing >/dev/null
	fi
elif command -v dnf >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	dnf install -y -q $RPM_PKGS
else
	echo "tests/deps.sh: neither apt-get nor dnf found" >&2
	exit 1
fi
echo "tests/deps.sh: all build and test dependencies are installed"
