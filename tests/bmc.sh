# shellcheck shell=bash
#
# Test BMCs: OpenIPMI's BMC simulator ipmi_sim (Debian package openipmi), a
# real IPMI 1.5/2.0 LAN implementation with real authentication, one per
# node, on a "BMC LAN": a network namespace of its own that this file makes
# (sourced by the suites; bash).
#
#   bmc_lan_start DIR          the BMC LAN namespace (held by a process
#                              started here) and the work directory DIR
#   bmc_start NAME ADDR USER PASSWORD [HOOK]
#                              an ipmi_sim answering on ADDR:623 (ADDR is
#                              added to $BMC_DEV, lo by default, as
#                              ADDR/$BMC_PREFIX) for one user, admin
#                              privilege; its chassis control is
#                              tests/bmc/chassis with DIR/NAME, which runs
#                              HOOK off|on|reset to switch the node
#   bmc_in CMD...              CMD in the BMC LAN's network namespace
#   bmc_dir NAME               the BMC's directory (log, power, lie, delay:
#                              see tests/bmc/chassis)
#   bmc_stop_all               stop every BMC and the LAN's holder, by PID
#
# Nothing listens in the host's network namespace: every ipmi_sim runs in
# the BMC LAN's, which ends with its last process.  ipmi_sim keeps its state
# in DIR, never in /var/lib.

BMC_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BMC_DIR=
BMC_HOLDER=
BMC_PIDS=()
BMC_DEV=${BMC_DEV:-lo}
BMC_PREFIX=${BMC_PREFIX:-32}

# bmc_lan_start DIR: the BMC LAN's namespace, its loopback up.
bmc_lan_start() {
	local n
	BMC_DIR=$1
	mkdir -p "$BMC_DIR" || return 1
	setsid unshare --net sleep infinity </dev/null >/dev/null 2>&1 &
	BMC_HOLDER=$!
	echo "$BMC_HOLDER" >"$BMC_DIR/holder"
	for ((n = 0; n < 100; n++)); do
		[ "$(readlink "/proc/$BMC_HOLDER/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] &&
			bmc_in ip link set lo up && return 0
		sleep 0.05
	done
	return 1
}

bmc_in() {
	nsenter --net="/proc/$BMC_HOLDER/ns/net" "$@"
}

bmc_dir() {
	echo "$BMC_DIR/$1"
}

# bmc__listening ADDR: something answers UDP on ADDR:623 in the BMC LAN.
bmc__listening() {
	bmc_in ss -Hlun "src $1 and sport = :623" 2>/dev/null | grep -q .
}

# bmc_start NAME ADDR USER PASSWORD [HOOK]
bmc_start() {
	local name=$1 addr=$2 user=$3 pass=$4 hook=${5:-} d n pid
	d=$BMC_DIR/$name
	mkdir -p "$d/state" || return 1
	: >"$d/log"
	echo 1 >"$d/power"
	[ -z "$hook" ] || ln -sf "$hook" "$d/hook"
	cat >"$d/lan.conf" <<CONF
# Written by fence-heartbeat-wrap's tests/bmc.sh: BMC $name.
name "$name"
set_working_mc 0x20
  startlan 1
    addr $addr 623
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid $(printf '%s' "$name" | md5sum | cut -c1-32)
  endlan
  chassis_control "$BMC_HERE/bmc/chassis $d"
  user 2 true "$user" "$pass" admin 10 none md2 md5 straight
CONF
	chmod 0600 "$d/lan.conf"
	cat >"$d/cmds" <<'CMDS'
mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
sel_enable 0x20 1000 0x0a
mc_enable 0x20
CMDS
	bmc_in ip addr add "$addr/$BMC_PREFIX" dev "$BMC_DEV" || return 1
	nsenter --net="/proc/$BMC_HOLDER/ns/net" \
		ipmi_sim -n -c "$d/lan.conf" -f "$d/cmds" -s "$d/state" </dev/null >"$d/sim.out" 2>&1 &
	pid=$!
	echo "$pid" >"$d/pid"
	BMC_PIDS+=("$pid")
	for ((n = 0; n < 100; n++)); do
		bmc__listening "$addr" && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "bmc: $name did not start on $addr:623; see $d/sim.out" >&2
	return 1
}

# bmc_stop_all: SIGTERM every BMC, then the holder; SIGKILL what is left
# after 5 s.  Safe to call twice.
bmc_stop_all() {
	local p n left
	for p in "${BMC_PIDS[@]}" $BMC_HOLDER; do kill -TERM "$p" 2>/dev/null; done
	for ((n = 0; n < 50; n++)); do
		left=
		for p in "${BMC_PIDS[@]}" $BMC_HOLDER; do [ -e "/proc/$p" ] && left="$left $p"; done
		[ -z "$left" ] && break
		sleep 0.1
	done
	for p in $left; do kill -KILL "$p" 2>/dev/null; done
	for p in "${BMC_PIDS[@]}" $BMC_HOLDER; do wait "$p" 2>/dev/null; done
	BMC_PIDS=()
	BMC_HOLDER=
}
