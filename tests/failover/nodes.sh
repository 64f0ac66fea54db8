# shellcheck shell=bash
#
# Three cluster nodes in Linux namespaces on this one host, and the power
# switch that cuts them (bash; sourced by tests/failover/run.sh).
#
#   fo_setup               work directory, network, node trees; no process yet
#   fo_node_start NODE     power NODE on (its init: tests/failover/node-init)
#   fo_power_cut NODE      SIGKILL NODE's init; returns once no process of
#                          NODE is left
#   fo_x NODE CMD...       run CMD inside NODE (all of its namespaces)
#   fo_controller          the power controller's loop (run in background)
#   fo_teardown            stop everything by PID; safe to call twice
#   fo_release_ns          drop the references that keep each boot's PID
#                          namespace number its own (after the last check)
#   fo_check_clean         after fo_teardown: report anything left
#
# Network: one namespace holds a bridge, each node has a namespace with a
# veth to it; the addresses (FO_NET) exist only inside those namespaces.
# Each namespace is held by a holder process started here, so that nothing
# (no /run/netns file, no mount) is created in the host's namespaces; the
# namespaces end with their last process.  Nothing is routed anywhere.
#
# Power: the test plugin (plugins/hbwrap-t-power) runs inside a node and
# writes request files to $FO_DIR/power/req; fo_controller, outside the
# nodes, answers them.  Its log, $FO_DIR/power/log, has one line per event:
#   EPOCH request OP NODE SWITCH PLUGIN_START | EPOCH refused OP NODE SWITCH
#   EPOCH dead NODE | EPOCH on NODE
# A node's BMC (bmcs.sh, bmc-power) cuts the power itself, logs "dead" the
# same way and asks the controller to boot the node ("on", "boot": on after
# FO_RESET_DELAY).

FO_NODES="n1 n2 n3"
FO_NET=10.213.47           # /24 inside the namespaces only
FO_RESET_DELAY=3           # seconds a reset leaves a node off

FO_DIR=
FO_BR_HOLDER=
FO_CONTROLLER=

fo_log() {
	printf 'failover: %s\n' "$*" >&2
}

fo_now() {
	date +%s.%N
}

# fo_num NODE: the node's number (n2 -> 2).
fo_num() {
	echo "${1#n}"
}

# fo__holder: start a process that holds a new network namespace; prints
# its PID.
fo__holder() {
	setsid unshare --net sleep infinity </dev/null >/dev/null 2>&1 &
	echo $!
}

# fo__netns_ready PID: PID is in a network namespace of its own.
fo__netns_ready() {
	[ "$(readlink "/proc/$1/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] &&
		[ -n "$(readlink "/proc/$1/ns/net" 2>/dev/null)" ]
}

# fo_wait DESCRIPTION TIMEOUT COMMAND...: poll COMMAND every 0.2 s until it
# succeeds; fail (with a message) after TIMEOUT seconds.
fo_wait() {
	local what=$1 timeout=$2 deadline=$((SECONDS + $2))
	shift 2
	until "$@"; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			fo_log "timed out after ${timeout}s waiting for $what"
			return 1
		fi
		sleep 0.2
	done
}

# fo_in_net PID CMD...: CMD in the network namespace PID holds.
fo_in_net() {
	local pid=$1
	shift
	nsenter --net="/proc/$pid/ns/net" "$@"
}

# fo__network: the bridge namespace and one veth per node.
fo__network() {
	local n i h
	FO_BR_HOLDER=$(fo__holder)
	echo "$FO_BR_HOLDER" >"$FO_DIR/bridge.holder"
	fo_wait "the bridge namespace" 10 fo__netns_ready "$FO_BR_HOLDER" || return 1
	fo_in_net "$FO_BR_HOLDER" ip link add br0 type bridge || return 1
	fo_in_net "$FO_BR_HOLDER" ip link set br0 up || return 1
	for n in $FO_NODES; do
		i=$(fo_num "$n")
		h=$(fo__holder)
		echo "$h" >"$FO_DIR/nodes/$n/net.holder"
		fo_wait "$n's network namespace" 10 fo__netns_ready "$h" || return 1
		fo_in_net "$FO_BR_HOLDER" ip link add "v$i" type veth peer name eth0 netns "$h" &&
			fo_in_net "$FO_BR_HOLDER" ip link set "v$i" master br0 up &&
			fo_in_net "$h" ip addr add "$FO_NET.$i/24" dev eth0 &&
			fo_in_net "$h" ip link set lo up || return 1
	done
}

# fo__corosync_conf: the same corosync.conf for every node.
fo__corosync_conf() {
	local n
	cat <<EOF
# Written by fence-heartbeat-wrap tests/failover; one node's copy.
totem {
	version: 2
	cluster_name: hbwrap-failover
	transport: knet
	crypto_cipher: none
	crypto_hash: none
}
nodelist {
EOF
	for n in $FO_NODES; do
		printf '\tnode {\n\t\tname: %s\n\t\tnodeid: %s\n\t\tring0_addr: %s\n\t}\n' \
			"$n" "$(fo_num "$n")" "$FO_NET.$(fo_num "$n")"
	done
	cat <<EOF
}
quorum {
	provider: corosync_votequorum
}
logging {
	to_stderr: no
	to_syslog: no
	to_logfile: yes
	logfile: /var/log/corosync/corosync.log
	timestamp: hires
}
EOF
}

# fo__node_tree NODE: NODE's own copies of what the daemons write, owned
# as Debian's packages own them.
fo__node_tree() {
	local r=$FO_DIR/nodes/$1/root
	install -d -m 0755 "$r/etc/corosync" "$r/var/lib/corosync" "$r/var/lib/pcsd" \
		"$r/var/lib/heartbeat" "$r/var/log/corosync" "$r/var/log/pcsd" \
		"$FO_DIR/nodes/$1/empty" || return 1
	install -d -m 0700 "$r/var/log/cluster" || return 1
	install -d -o root -g haclient -m 0750 "$r/etc/pacemaker" || return 1
	install -d -o hacluster -g haclient -m 0770 "$r/var/log/pacemaker" || return 1
	install -d -o hacluster -g haclient -m 0750 "$r/var/lib/pacemaker" \
		"$r/var/lib/pacemaker/cib" "$r/var/lib/pacemaker/pengine" \
		"$r/var/lib/pacemaker/blackbox" "$r/var/lib/pacemaker/cores" || return 1
	install -o root -g haclient -m 0640 "$FO_DIR/authkey" "$r/etc/pacemaker/authkey" &&
		fo__corosync_conf >"$r/etc/corosync/corosync.conf" || return 1
	# A short dc-deadtime: the nodes start together, no need to wait 20 s.
	cibadmin --empty | sed 's|<crm_config/>|<crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-dc-deadtime" name="dc-deadtime" value="5s"/></cluster_property_set></crm_config>|' \
		>"$r/var/lib/pacemaker/cib/cib.xml" &&
		chown hacluster:haclient "$r/var/lib/pacemaker/cib/cib.xml" &&
		chmod 0600 "$r/var/lib/pacemaker/cib/cib.xml"
}

# fo__layer TOP PLUGIN: what the nodes see above the host's /usr/sbin,
# /usr/libexec and plugin directory: the build tree's shim installed as a
# package would, its fence_hb_PLUGIN link and the test plugin, and
# fence_hb_ipmi with Debian's external/ipmi.  Never the
# host's installed shim, which another suite may be replacing meanwhile.
fo__layer() {
	local l=$FO_DIR/layer
	make -s -C "$1" install DESTDIR="$l" PREFIX=/usr >"$FO_DIR/install.out" 2>&1 || {
		cat "$FO_DIR/install.out" >&2
		return 1
	}
	ln -s fence_hbwrap "$l/usr/sbin/fence_hb_$2" &&
		install -d "$l/usr/lib/stonith/plugins/external" &&
		install -m 0755 "$FO_PLUGIN_SRC" "$l/usr/lib/stonith/plugins/external/$2" || return 1
	# Debian's own external/ipmi, unchanged, copied in as an admin on RHEL
	# copies it, with its fence_hb_ipmi link.
	ln -s fence_hbwrap "$l/usr/sbin/fence_hb_ipmi" &&
		install -m 0755 /usr/lib/stonith/plugins/external/ipmi "$l/usr/lib/stonith/plugins/external/ipmi"
}

# fo_setup TOP PLUGIN: everything but the processes of the nodes.
fo_setup() {
	local n
	FO_DIR=$(mktemp -d /tmp/hbwrap-failover.XXXXXX) || return 1
	chmod 0755 "$FO_DIR"
	mkdir -p "$FO_DIR/power/req" && chmod 0777 "$FO_DIR/power/req"
	: >"$FO_DIR/power/log"
	: >"$FO_DIR/pidns"
	head -c 4096 /dev/urandom >"$FO_DIR/authkey" && chmod 0600 "$FO_DIR/authkey"
	for n in $FO_NODES; do
		mkdir -p "$FO_DIR/nodes/$n" && fo__node_tree "$n" || return 1
		# One read-only layer serves every node.
		ln -s ../../layer "$FO_DIR/nodes/$n/layer" || return 1
	done
	fo__layer "$1" "$2" || return 1
	fo__network
}

# fo_init_pid NODE: the host PID of NODE's init, if NODE is on.
fo_init_pid() {
	local p
	p=$(cat "$FO_DIR/nodes/$1/init.pid" 2>/dev/null) || return 1
	[ -n "$p" ] && [ -e "/proc/$p" ] && echo "$p"
}

# fo_ns_pids INODE: host PIDs of every process in PID namespace INODE.
fo_ns_pids() {
	find /proc -mindepth 3 -maxdepth 3 -path '/proc/[0-9]*/ns/pid' \
		-lname "pid:\[$1\]" 2>/dev/null | cut -d/ -f3
}

# fo_node_pids NODE: host PIDs of NODE's processes (its current boot).
fo_node_pids() {
	local ino
	ino=$(cat "$FO_DIR/nodes/$1/pidns" 2>/dev/null) || return 0
	fo_ns_pids "$ino"
}

# fo_node_off NODE: no process of NODE is left.
fo_node_off() {
	[ -z "$(fo_node_pids "$1")" ]
}

# fo__init_of UNSHARE_PID NODE: record the init unshare forked for NODE.
fo__init_of() {
	local p ns
	p=$(pgrep -P "$1" | head -n 1)
	[ -n "$p" ] || return 1
	ns=$(readlink "/proc/$p/ns/pid") || return 1
	[ "$ns" != "$(readlink /proc/self/ns/pid)" ] || return 1
	ns=${ns#pid:[}
	# A namespace's inode number is used again once the namespace ends
	# (another program's namespace then has it): hold a reference to this
	# one until the suite ends, so that its number stays this boot's.
	sleep infinity 9<"/proc/$p/ns/pid" >/dev/null 2>&1 &
	echo "$!" >>"$FO_DIR/nsrefs"
	echo "${ns%]}" >"$FO_DIR/nodes/$2/pidns"
	echo "${ns%]}" >>"$FO_DIR/pidns"
	echo "$p" >"$FO_DIR/nodes/$2/init.pid"
}

# fo_release_ns: drop the references fo__init_of took (after the last look
# at the nodes' namespaces).
fo_release_ns() {
	local p refs=()
	[ -n "$FO_DIR" ] && [ -f "$FO_DIR/nsrefs" ] || return 0
	while read -r p; do refs+=("$p"); done <"$FO_DIR/nsrefs"
	[ ${#refs[@]} -eq 0 ] || fo__stop_pids 5 "${refs[@]}"
	: >"$FO_DIR/nsrefs"
}

# fo_node_start NODE: power NODE on.  Its link comes up with it (the cable
# was mended while it was off).
fo_node_start() {
	local n=$1 d=$FO_DIR/nodes/$1 holder up
	holder=$(cat "$d/net.holder") || return 1
	fo_in_net "$holder" ip link set eth0 up || return 1
	rm -f "$d/init.pid" "$d/pidns"
	setsid nsenter --net="/proc/$holder/ns/net" \
		unshare --pid --fork --kill-child --mount --uts --ipc --mount-proc \
		"$FO_HERE/node-init" "$n" "$d" "$FO_GLUE" </dev/null >>"$d/init.out" 2>&1 &
	up=$!
	fo_wait "$n's init" 10 fo__init_of "$up" "$n"
}

# fo_power_cut NODE: SIGKILL NODE's init (the kernel then kills every
# process of NODE); returns once none is left.
fo_power_cut() {
	local p
	p=$(fo_init_pid "$1") && kill -KILL "$p" 2>/dev/null
	fo_wait "every process of $1 to end" 20 fo_node_off "$1"
}

# fo_link NODE up|down: NODE's network link.
fo_link() {
	fo_in_net "$(cat "$FO_DIR/nodes/$1/net.holder")" ip link set eth0 "$2"
}

# fo_x NODE CMD...: run CMD inside NODE with a daemon's environment.
fo_x() {
	local p
	p=$(fo_init_pid "$1") || { fo_log "$1 is off"; return 1; }
	shift
	nsenter --target "$p" --all env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LANG=C.UTF-8 HOME=/root "$@"
}

# fo__answer ID STATUS [TEXT]: answer request ID.
fo__answer() {
	printf '%s\n' "${3:-}" >"$FO_DIR/power/req/$1.tmp.$2"
	mv "$FO_DIR/power/req/$1.tmp.$2" "$FO_DIR/power/req/$1.$2"
}

# fo__request FILE: carry out one request of the test plugin.
fo__request() {
	local f=$1 id op node switch started
	id=$(basename "$f" .req)
	read -r op node switch started <"$f" || return 0
	rm -f "$f"
	echo "$(fo_now) request $op $node $switch $started" >>"$FO_DIR/power/log"
	# A broken switch answers status (its management port works) but
	# switches no outlet.
	if [ "$switch" = broken ] && [ "$op" != status ]; then
		echo "$(fo_now) refused $op $node $switch" >>"$FO_DIR/power/log"
		fo__answer "$id" fail "switch $switch refuses every request"
		return 0
	fi
	if [ "$op" != status ] && ! [[ " $FO_NODES " == *" $node "* ]]; then
		fo__answer "$id" fail "no outlet for $node"
		return 0
	fi
	case $op in
	status) ;;
	off | reset)
		fo_power_cut "$node" || { fo__answer "$id" fail "$node would not die"; return 0; }
		echo "$(fo_now) dead $node" >>"$FO_DIR/power/log"
		[ "$op" = reset ] && echo $((SECONDS + FO_RESET_DELAY)) >"$FO_DIR/power/on.$node"
		;;
	on) echo "$SECONDS" >"$FO_DIR/power/on.$node" ;;
	# A BMC's reset (bmc-power) has cut the power itself.
	boot) echo $((SECONDS + FO_RESET_DELAY)) >"$FO_DIR/power/on.$node" ;;
	*) fo__answer "$id" fail "unknown operation $op"; return 0 ;;
	esac
	fo__answer "$id" "done"
}

# fo__due: power on the nodes whose time has come.
fo__due() {
	local f n
	for f in "$FO_DIR"/power/on.*; do
		[ -e "$f" ] || continue
		[ "$SECONDS" -ge "$(cat "$f")" ] || continue
		n=${f##*/on.}
		rm -f "$f"
		fo_node_off "$n" || continue
		fo_node_start "$n" && echo "$(fo_now) on $n" >>"$FO_DIR/power/log"
	done
}

# fo_controller: answer power requests until $FO_DIR/power/stop appears.
fo_controller() {
	local f
	trap - EXIT
	trap 'exit 0' TERM
	while [ ! -e "$FO_DIR/power/stop" ]; do
		for f in "$FO_DIR"/power/req/*.req; do
			[ -e "$f" ] && fo__request "$f"
		done
		fo__due
		sleep 0.1
	done
}

# fo__stop_pids TIMEOUT PID...: SIGTERM each PID, wait, SIGKILL what is left.
fo__stop_pids() {
	local timeout=$1 p deadline left
	shift
	for p in "$@"; do kill -TERM "$p" 2>/dev/null; done
	deadline=$((SECONDS + timeout))
	while :; do
		left=
		for p in "$@"; do [ -e "/proc/$p" ] && left="$left $p"; done
		[ -z "$left" ] && return 0
		[ "$SECONDS" -lt "$deadline" ] || break
		sleep 0.2
	done
	for p in $left; do kill -KILL "$p" 2>/dev/null; done
}

# fo_teardown: controller, nodes, holders, in that order, each by PID.
fo_teardown() {
	local n p inits=() holders=()
	[ -n "$FO_DIR" ] && [ -d "$FO_DIR" ] || return 0
	touch "$FO_DIR/power/stop"
	if [ -n "$FO_CONTROLLER" ]; then
		fo__stop_pids 5 "$FO_CONTROLLER"
		wait "$FO_CONTROLLER" 2>/dev/null
		FO_CONTROLLER=
	fi
	for n in $FO_NODES; do
		p=$(fo_init_pid "$n") && inits+=("$p")
		p=$(cat "$FO_DIR/nodes/$n/net.holder" 2>/dev/null) && holders+=("$p")
	done
	[ ${#inits[@]} -eq 0 ] || fo__stop_pids 20 "${inits[@]}"
	for n in $FO_NODES; do
		fo_wait "$n to stop" 10 fo_node_off "$n"
	done
	[ -n "$FO_BR_HOLDER" ] && holders+=("$FO_BR_HOLDER")
	[ ${#holders[@]} -eq 0 ] || fo__stop_pids 5 "${holders[@]}"
}
