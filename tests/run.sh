#!/bin/bash
# make check: every suite, in order, then one summary line.
#
# Suites that talk to Pacemaker need the shim in /usr/sbin (the only
# place Pacemaker looks for fence agents), so as root this installs it
# there first (make install PREFIX=/usr). Each suite prints its own
# "N passed, N failed" line; the last line here is the total.
set -u
cd "$(dirname "$0")/.." || exit 1
top=$PWD
export HBWRAP_TOP=$top

passed=0
failed=0
failed_suites=""

# count NAME LOGFILE STATUS: add a suite's counts to the totals.
count() {
	local name=$1 log=$2 status=$3 p f line
	line=$(grep -E '^[A-Za-z_]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
		f=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
	else
		line=$(grep -E 'Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" | tail -n 1)
		if [ -n "$line" ]; then
			local c fl er
			c=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
			fl=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
			er=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
			f=$((fl + er))
			p=$((c - f))
		else
			p=0
			f=1
		fi
	fi
	# A suite that exits non-zero has failed, whatever it counted.
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -eq 0 ] || failed_suites="$failed_suites $name"
}

# suite NAME COMMAND...: run one suite, show its output, count it.
suite() {
	local name=$1 log status start
	shift
	log=$(mktemp)
	start=$(date +%s)
	echo "=== suite $name: $*"
	"$@" >"$log" 2>&1
	status=$?
	cat "$log"
	echo "=== suite $name: exit $status after $(($(date +%s) - start)) s"
	count "$name" "$log" "$status"
	rm -f "$log"
}

suite lint make -s lint
for t in tests/unit/test_*; do
	[ -x "$t" ] && [ "${t%.c}" = "$t" ] || continue
	suite "unit-$(basename "$t")" env CK_FORK=yes "$t"
done
suite integration tests/integration/run.sh
suite real_plugins tests/integration/real_plugins.sh

if [ "$(id -u)" -eq 0 ]; then
	make -s install PREFIX=/usr >/dev/null || { echo "make install failed"; exit 1; }
	for s in stack convert packaging faults sanitizers fuzz cluster failover newstack; do
		suite "$s" "tests/$s/run.sh"
	done
else
	echo "make check: not root: the suites that need the shim installed in"
	echo "/usr/sbin and a live cluster (stack, packaging, faults, sanitizers,"
	echo "fuzz, cluster) need root; run make check as root."
	failed=$((failed + 1))
fi

[ -z "$failed_suites" ] || echo "failed suites:$failed_suites"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
