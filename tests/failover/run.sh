#!/bin/bash
#
# Failover suite: three corosync/Pacemaker nodes in Linux namespaces on this
# host lose a node, fence it through the shim and recover (nodes.sh has the
# machinery).  Every node has a BMC (bmcs.sh: OpenIPMI's ipmi_sim on a BMC
# LAN), and the fence devices are what a Debian site has: fence_hb_ipmi ->
# the build tree's fence_hbwrap -> Debian's unchanged external/ipmi (copied
# into the plugin directory as an admin on RHEL would) -> ipmitool -I lan
# -> the node's BMC -> its chassis control (tests/bmc/chassis, bmc-power)
# -> the node's power.
#
#   tests/failover/run.sh        (root; no other cluster may run on the host)
#
# Scenarios, fencing through the BMC:
#   the node running a Dummy resource loses its link and is fenced;
#   the same with the DC as the victim;
#   the same node again through fence-agents' fence_ipmilan on the same BMC
#     (side by side: what each sent, from the BMC's log);
#   level 1 fails (the BMC refuses the password), level 2 fences;
#   the BMC LAN is down: level 1 times out within plugin_timeout, level 2
#     fences;
#   a mutation: a BMC that reports the power off but leaves the node running
#     must be caught by the suite's own check of the victim's processes.
# The test power switch (fence_hb_hbwrap-t-power -> plugins/hbwrap-t-power
# -> a controller outside the nodes) is level 2 only: it proves what no BMC
# can, that the next level fences when the BMC is unreachable or refuses.
# By default every node hides cluster-glue (FAILOVER_GLUE=hidden, Pacemaker
# as RHEL builds it); FAILOVER_GLUE=visible runs the same with cluster-glue
# in sight.  The timings of each fence are printed, and appended to
# $FAILOVER_TIMINGS if set (bench/failover.sh).
#
# Touches nothing on the host outside its work directory in /tmp (removed
# at the end) and the namespaces it creates; checks that at the end.

T_SUITE=failover
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=../cluster/cluster.sh
. "$HERE/../cluster/cluster.sh"
# shellcheck source=nodes.sh
. "$HERE/nodes.sh"
# shellcheck source=../bmc.sh
. "$HERE/../bmc.sh"
# shellcheck source=bmcs.sh
. "$HERE/bmcs.sh"

PLUGIN=hbwrap-t-power
AGENT=fence_hb_$PLUGIN
# The device failover() expects to fence (@ is the victim) and the plugin
# whose reset shim_share times.
FO_DEVICE=ipmi-@
FO_SHIM_PLUGIN=ipmi
# shellcheck disable=SC2034 # nodes.sh reads these
FO_HERE=$HERE
# shellcheck disable=SC2034
FO_PLUGIN_SRC=$HERE/plugins/$PLUGIN
FO_GLUE=${FAILOVER_GLUE:-hidden}
DEBUG_FILE=/var/log/cluster/fence_hbwrap.debug
SUITE_T0=$SECONDS

if [ "$(id -u)" -ne 0 ]; then
	echo "tests/failover/run.sh must run as root" >&2
	exit 2
fi
case $FO_GLUE in hidden | visible) ;; *) echo "FAILOVER_GLUE must be hidden or visible" >&2; exit 2 ;; esac

# ---------------------------------------------------------------- helpers

# ns_of PID: "host" if PID is in this shell's PID namespace, else its inode.
ns_of() {
	local ns
	ns=$(readlink "/proc/$1/ns/pid" 2>/dev/null) || return 0
	if [ "$ns" = "$(readlink /proc/self/ns/pid)" ]; then echo host; else echo "$ns"; fi
}

# foreign_daemons: corosync/Pacemaker daemons already running, each with
# the PID namespace it runs in ("host": the one-node tests/cluster suite or
# a real cluster; another namespace: a failover run still going).
foreign_daemons() {
	local p
	for p in $(cluster__daemons); do
		echo "$p $(ns_of "$p") $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
	done
}

# crm_xml NODE: crm_mon's XML as NODE sees the cluster.
crm_xml() {
	fo_x "$1" crm_mon -1 --output-as=xml 2>/dev/null
}

# dc_of NODE: the DC's name as NODE sees it.
dc_of() {
	crm_xml "$1" | sed -n 's/.*<current_dc present="true"[^>]* name="\([^"]*\)".*/\1/p'
}

# online_all NODE NAME...: NODE sees every NAME online, and a DC.
online_all() {
	local xml n
	xml=$(crm_xml "$1")
	shift
	grep -q '<current_dc present="true"' <<<"$xml" || return 1
	for n in "$@"; do
		grep -q "<node name=\"$n\"[^>]* online=\"true\"" <<<"$xml" || return 1
	done
}

# started_on NODE RSC: the nodes on which RSC is Started, as NODE sees it.
started_on() {
	crm_xml "$1" | awk -v r="$2" '
		$0 ~ "<resource id=\"" r "\"" { f = ($0 ~ /role="Started"/) }
		f && /<node name=/ { sub(/.*<node name="/, ""); sub(/".*/, ""); print }
		/<\/resource>/ { f = 0 }' | sort -u | paste -sd' ' -
}

# dummy_files: the nodes whose /run holds Dummy's state file, i.e. where
# the resource really runs (each node has its own tmpfs /run).
dummy_files() {
	local n p out=""
	for n in $FO_NODES; do
		p=$(fo_init_pid "$n") || continue
		[ -e "/proc/$p/root/run/Dummy-dummy.state" ] && out="$out $n"
	done
	echo "${out# }"
}

# dummy_on VIEWER NODE: Dummy runs on NODE and only there, by Pacemaker's
# word and by its state files.
dummy_on() {
	[ "$(started_on "$1" dummy)" = "$2" ] && [ "$(dummy_files)" = "$2" ]
}

# check_dummy_once LABEL VIEWER: Dummy runs on exactly one node.
check_dummy_once() {
	local where files
	where=$(started_on "$2" dummy)
	files=$(dummy_files)
	if [ -n "$where" ] && [ "$where" = "$files" ] && [ "${where#* }" = "$where" ]; then
		t_ok "$1: Dummy runs on exactly one node ($where)"
	else
		t_fail "$1: Dummy runs on exactly one node" "crm_mon: [$where], state files: [$files]"
	fi
}

# place_dummy VIEWER NODE: move Dummy to NODE, then drop the constraint
# (stickiness keeps it there).
place_dummy() {
	if [ "$(started_on "$1" dummy)" != "$2" ]; then
		fo_x "$1" crm_resource --move --resource dummy --node "$2" >/dev/null 2>&1
		fo_wait "Dummy to start on $2" 30 dummy_on "$1" "$2" || return 1
		fo_x "$1" crm_resource --clear --resource dummy >/dev/null 2>&1
	fi
	return 0
}

# pick NOT...: the first node that is none of NOT.
pick() {
	local n
	for n in $FO_NODES; do
		[[ " $* " == *" $n "* ]] || { echo "$n"; return; }
	done
}

# fenced_since VIEWER VICTIM T: VIEWER's history has a successful fencing
# of VICTIM completed at T or later (the history has whole seconds; without
# --verbose it shows one success per target, not always the latest).
fenced_since() {
	local c
	for c in $(fo_x "$1" stonith_admin --history "$2" --verbose --output-as=xml 2>/dev/null |
		sed -n "s/.*<fence_event [^>]*target=\"$2\"[^>]* status=\"success\"[^>]* completed=\"\([^\"]*\)\".*/\1/p" |
		tr ' ' '_'); do
		[ "$(date -d "${c/_/ }" +%s)" -ge "${3%.*}" ] && return 0
	done
	return 1
}

# last_delegate VIEWER VICTIM: the delegate of VICTIM's latest success.
last_delegate() {
	fo_x "$1" stonith_admin --history "$2" --verbose --output-as=xml 2>/dev/null |
		grep "<fence_event [^>]*target=\"$2\"[^>]* status=\"success\"" |
		sed -n 's/.* delegate="\([^"]*\)".* completed="\([^"]*\)".*/\2 \1/p' |
		sort | tail -n 1 | awk '{ print $NF }'
}

# logtime LINE: the epoch time of a corosync/Pacemaker log line.
logtime() {
	date -d "$(cut -d' ' -f1-3 <<<"$1")" +%s.%N 2>/dev/null
}

# debugtime LINE: the epoch time of a line of the shim's debug file.
debugtime() {
	date -d "$(cut -d' ' -f1-2 <<<"$1")" +%s.%N 2>/dev/null
}

# first_after T FILE PATTERN: the first line of FILE matching PATTERN
# (grep -E) whose log time is T or later.
first_after() {
	local line
	grep -E "$3" "$2" 2>/dev/null | while read -r line; do
		if awk -v a="$(logtime "$line")" -v b="$1" 'BEGIN { exit !(a >= b) }'; then
			echo "$line"
			break
		fi
	done
}

# power_after T WHAT NODE: epoch of the controller's first WHAT event for
# NODE at or after T ("dead", "on"; "refused" and "request" match the op's
# NODE field too).
power_after() {
	awk -v t="$1" -v w="$2" -v n="$3" '$1 >= t && $2 == w && ($3 == n || $4 == n) { print $1; exit }' \
		"$FO_DIR/power/log"
}

# span A B: B - A in seconds, or "?" if either is unknown.
span() {
	if [ -n "$1" ] && [ -n "$2" ]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; else echo "?"; fi
}

# shim_share DELEGATE VICTIM T: "shim_start plugin_start" of the shim's
# reset of VICTIM on DELEGATE at or after T, from its debug file.
shim_share() {
	local f=$FO_DIR/nodes/$1/root$DEBUG_FILE line pid first
	line=$(grep -E "started [^ ]*/$FO_SHIM_PLUGIN reset $2 " "$f" 2>/dev/null | while read -r l; do
		awk -v a="$(debugtime "$l")" -v b="$3" 'BEGIN { exit !(a >= b) }' && { echo "$l"; break; }
	done)
	[ -n "$line" ] || return 0
	pid=$(sed -n 's/^[^ ]* [^ ]* [^[]*\[\([0-9]*\)\]:.*/\1/p' <<<"$line")
	# The shim's first line is its "parameter action=" line: the last one
	# of that PID before the plugin's start (a node that rebooted uses its
	# PIDs again).
	first=$(awk -v p="[$pid]: " -v l="$line" '$0 == l { print f; exit }
		index($0, p) && /parameter action=/ { f = $0 }' "$f")
	[ -n "$first" ] || return 0
	echo "$(debugtime "$first") $(debugtime "$line")"
}

# ---------------------------------------------------------------- failover

# failover LABEL VICTIM: cut VICTIM's link, check that it is fenced through
# the shim only once it is really dead and that Dummy recovers; print the
# timings.  Leaves VICTIM back online.
failover() {
	local label=$1 victim=$2 viewer old_ns t_cut t_dead t_member \
		t_req t_done t_start share delegate line where dev
	viewer=$(pick "$victim")
	old_ns=$(cat "$FO_DIR/nodes/$victim/pidns")
	echo "--- $label: $victim loses its link (viewer $viewer, Dummy on $(started_on "$viewer" dummy))"
	t_cut=$(fo_now)
	fo_link "$victim" down
	if ! await_fenced "$viewer" "$victim" "$t_cut" "$old_ns"; then
		t_fail "$label: $victim reported fenced" "no success in the history after 60 s: $(fo_x "$viewer" stonith_admin --history "$victim" --verbose --output-as=xml 2>&1 | grep fence_event | paste -sd' ' -)"
		return 1
	fi
	t_ok "$label: $victim reported fenced"
	t_eq "$label: no process of $victim left when the fence is reported" "" "$LEFT"
	# Pacemaker's own stamp of the result (its log, in milliseconds) must
	# come after the switch saw the last process die.
	line=$(first_after "$t_cut" "$FO_DIR/nodes/$viewer/root/var/log/pacemaker/pacemaker.log" \
		"Operation 'reboot' targeting $victim by [^ ]+ for .*: OK")
	t_done=$(logtime "$line")
	t_dead=$(power_after "$t_cut" dead "$victim")
	if [ -n "$t_dead" ] && awk -v a="$t_dead" -v b="${t_done:-$t_seen}" 'BEGIN { exit !(a <= b) }'; then
		t_ok "$label: the power switch or BMC saw $victim dead before Pacemaker reported it"
	else
		t_fail "$label: the power switch or BMC saw $victim dead before Pacemaker reported it" "dead=[$t_dead] reported=${t_done:-$t_seen}"
	fi
	delegate=$(last_delegate "$viewer" "$victim")
	if [ -n "$delegate" ] && [ "$delegate" != "$victim" ]; then
		t_ok "$label: a survivor fenced $victim (delegate $delegate)"
	else
		t_fail "$label: a survivor fenced $victim" "delegate [$delegate]"
	fi
	dev=${FO_DEVICE//@/$victim}
	line=$(first_after "$t_cut" "$FO_DIR/nodes/$delegate/root/var/log/pacemaker/pacemaker.log" \
		"Operation 'reboot' \[[0-9]+\] targeting $victim using $dev returned 0")
	if [ -n "$line" ]; then
		t_ok "$label: $delegate fenced $victim with device $dev"
	else
		t_fail "$label: $delegate fenced $victim with device $dev" "no such line in $delegate's pacemaker.log"
	fi

	if fo_wait "Dummy to run on a survivor" 60 dummy_runs_on_survivor "$viewer" "$victim"; then
		where=$(started_on "$viewer" dummy)
		t_ok "$label: Dummy recovered on survivor $where"
	else
		where=
		t_fail "$label: Dummy recovered on a survivor" "crm_mon [$(started_on "$viewer" dummy)] files [$(dummy_files)]"
	fi
	check_dummy_once "$label, after recovery" "$viewer"

	# Timings, from the logs (millisecond stamps) where they exist.
	line=$(first_after "$t_cut" "$FO_DIR/nodes/$viewer/root/var/log/corosync/corosync.log" \
		"A new membership .* was formed. Members left: .*\b$(fo_num "$victim")\b")
	t_member=$(logtime "$line")
	line=$(cat "$FO_DIR"/nodes/*/root/var/log/pacemaker/pacemaker.log 2>/dev/null | sort |
		first_after "$t_cut" /dev/stdin "Client [^ ]+ wants to fence \(reboot\) $victim ")
	t_req=$(logtime "$line")
	t_start=
	[ -n "$where" ] && t_start=$(stat -c %.9Y "/proc/$(fo_init_pid "$where")/root/run/Dummy-dummy.state" 2>/dev/null)
	share=$(shim_share "$delegate" "$victim" "$t_cut")
	timing "$label" "$t_cut" "$t_member" "$t_req" "$t_dead" "$t_done" "$t_start" "$share"

	# shellcheck disable=SC2086 # one word per node
	if fo_wait "$victim to rejoin" 60 online_all "$viewer" $FO_NODES; then
		t_ok "$label: $victim powered back on and rejoined"
	else
		t_fail "$label: $victim powered back on and rejoined" "$(started_on "$viewer" dummy)"
	fi
	# Wait for the rejoined node's probe of Dummy, then check it stayed.
	fo_wait "the cluster to settle" 30 settled "$viewer"
	t_eq "$label: Dummy stays on $where after $victim is back" "$where" "$(started_on "$viewer" dummy)"
	check_dummy_once "$label, after $victim is back" "$viewer"
}

# await_fenced VIEWER VICTIM T OLD_NS: poll Pacemaker's word until it says
# VICTIM fenced since T (60 s at most); at that very moment no process of
# the victim's boot (PID namespace OLD_NS) may be left: sets t_seen to that
# moment and LEFT to those processes.  The node is watched, never the
# BMC's word.
await_fenced() {
	local n
	t_seen='' LEFT=''
	for ((n = 0; n < 300; n++)); do
		if fenced_since "$1" "$2" "$3"; then
			t_seen=$(fo_now)
			LEFT=$(fo_ns_pids "$4" | paste -sd, -)
			return 0
		fi
		sleep 0.2
	done
	return 1
}

# dummy_runs_on_survivor VIEWER VICTIM: Dummy is Started on one node that
# is not VICTIM, and its state file is there.
dummy_runs_on_survivor() {
	local w
	w=$(started_on "$1" dummy)
	[ -n "$w" ] && [ "$w" != "$2" ] && [ "${w#* }" = "$w" ] && [ "$(dummy_files)" = "$w" ]
}

# settled VIEWER: the DC has no transition in progress.
settled() {
	fo_x "$1" crmadmin --quiet --status="$(dc_of "$1")" 2>&1 | grep -q S_IDLE
}

# timing LABEL CUT MEMBER REQUESTED DEAD REPORTED STARTED "SHIM PLUGIN"
timing() {
	local shim plugin text ms
	read -r shim plugin <<<"$8"
	ms=$(awk -v a="$shim" -v b="$plugin" 'BEGIN { if (a == "" || b == "") print "?"; else printf "%.0f", (b - a) * 1000 }')
	text=$(printf '%s: link cut -> membership without victim %s s -> fence requested %s s -> victim dead %s s -> fence reported %s s -> Dummy started %s s; shim start -> plugin start %s ms' \
		"$1" "$(span "$2" "$3")" "$(span "$2" "$4")" "$(span "$2" "$5")" "$(span "$2" "$6")" \
		"$(span "$2" "$7")" "$ms")
	echo "timing $text"
	# For bench/failover.sh: label, then the same figures, tab-separated.
	[ -z "${FAILOVER_TIMINGS:-}" ] ||
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$(span "$2" "$3")" "$(span "$2" "$4")" \
			"$(span "$2" "$5")" "$(span "$2" "$6")" "$(span "$2" "$7")" "$ms" >>"$FAILOVER_TIMINGS"
}

# ------------------------------------------------------- host, before

# host_state DIR NAME: what must be the same after the suite: /etc and the
# cluster trees (cluster.sh's listings), the host's interfaces, mounts and
# /dev/shm.
host_state() {
	cluster__etc_listing >"$1/$2.etc"
	cluster__tree_listing >"$1/$2.trees"
	ip -o link show | sed 's/^[0-9]*: //; s/[:@].*//' | sort >"$1/$2.links"
	# Mounts a node makes, were one to leak: its binds (whose root is in the
	# work directory) and the paths it mounts over.  Other suites may mount
	# elsewhere meanwhile.
	cut -d' ' -f4,5 /proc/self/mountinfo | grep -E "$FO_MOUNT_RE" | sort >"$1/$2.mounts"
	ls -A /dev/shm >"$1/$2.shm"
	find /tmp -maxdepth 1 -name 'hbwrap-failover.*' | sort >"$1/$2.tmp"
}

CLUSTER_TREES="/etc/corosync /etc/pacemaker /var/lib/corosync /var/lib/pacemaker"
FO_MOUNT_RE='hbwrap-failover| /(run|dev/shm|etc/(corosync|pacemaker)|var/lib/(corosync|pacemaker|pcsd|heartbeat)|var/log|usr/(sbin|libexec)|usr/lib/stonith/plugins/external|usr/share/cluster-glue)$|libstonith|/usr/sbin/(stonith|fence_legacy)$'
SNAP=$(mktemp -d /tmp/hbwrap-failover-host.XXXXXX) || exit 1
CLUSTER_SAVED_AT=$(date '+%F %T')
running=$(foreign_daemons)
if [ -n "$running" ]; then
	echo "failover: cluster daemons already run on this host (PID, PID namespace, command);" >&2
	echo "failover: refusing to start next to them:" >&2
	echo "$running" >&2
	t_fail "no other cluster runs on the host" "$(wc -l <<<"$running") daemons"
	rm -rf "$SNAP"
	t_done
	exit 1
fi
host_state "$SNAP" before

CLEANED=no
cleanup() {
	[ "$CLEANED" = yes ] && return
	CLEANED=yes
	bmc_stop_all
	fo_teardown
	check_clean
	rm -rf "$SNAP"
}
trap 'cleanup; t_done || exit 1' EXIT
trap 'exit 130' INT TERM

# check_clean: after fo_teardown, nothing of the suite is left.
check_clean() {
	local left="" ino f
	if [ -n "$FO_DIR" ]; then
		for ino in $(sort -u "$FO_DIR/pidns" 2>/dev/null); do
			left="$left$(fo_ns_pids "$ino" | paste -sd' ' -)"
		done
		for f in "$FO_DIR"/bridge.holder "$FO_DIR"/nodes/*/net.holder "$FO_DIR"/bmc/holder "$FO_DIR"/bmc/*/pid; do
			[ -e "/proc/$(cat "$f" 2>/dev/null)" ] && left="$left $(cat "$f")"
		done
		t_eq "no process of the nodes, BMCs, holders or controller left" "" "${left# }"
		fo_release_ns
		if [ "${FAILOVER_KEEP:-no}" = yes ] || grep -q '^fail$' "$T_RESULTS"; then
			FAILOVER_KEEP=yes
			echo "failover: logs kept in $FO_DIR (a check failed, or FAILOVER_KEEP=yes)"
		else
			rm -rf -- "$FO_DIR"
		fi
	fi
	host_state "$SNAP" after
	t_eq "no interface added to the host's network namespace" "" \
		"$(comm -13 "$SNAP/before.links" "$SNAP/after.links" | paste -sd' ' -)"
	t_eq "no mount left in the host's mount namespace" "" \
		"$(diff "$SNAP/before.mounts" "$SNAP/after.mounts" | grep '^[<>]' | paste -sd' ' -)"
	t_eq "no file left in /dev/shm" "" "$(comm -13 "$SNAP/before.shm" "$SNAP/after.shm" | paste -sd' ' -)"
	if [ "${FAILOVER_KEEP:-no}" != yes ]; then
		t_eq "work directory removed" "" "$(comm -13 "$SNAP/before.tmp" "$SNAP/after.tmp" | paste -sd' ' -)"
	fi
	t_eq "cluster trees as found ($CLUSTER_TREES)" "" \
		"$(diff "$SNAP/before.trees" "$SNAP/after.trees" | grep '^[<>]' | head -n 5 | paste -sd' ' -)"
	local path ours="" dpkg_paths
	dpkg_paths=$(cluster__dpkg_paths)
	while read -r path; do
		cluster__dpkg_owns "$path" "$dpkg_paths" || ours="$ours $path"
	done < <(cluster__changed_paths "$SNAP/before.etc" "$SNAP/after.etc")
	t_eq "/etc as found (changes by dpkg aside)" "" "${ours# }"
}

# ------------------------------------------------------------ the nodes

echo "failover: cluster-glue $FO_GLUE inside the nodes"
make -s -C "$TOP" all >/dev/null || { t_fail "build" "make all failed"; exit 1; }
if ! fo_setup "$TOP" "$PLUGIN"; then
	t_fail "work directory, network and node trees set up" "see above"
	exit 1
fi
echo "failover: work directory $FO_DIR"
for n in $FO_NODES; do
	fo_node_start "$n" || { t_fail "$n powers on" "see $FO_DIR/nodes/$n/init.out"; exit 1; }
done
fo_controller &
FO_CONTROLLER=$!
if fo_bmcs_start; then
	t_ok "a BMC for each node on the BMC LAN ($(for n in $FO_NODES; do fo_bmc_addr "$n"; done | paste -sd' ' -))"
else
	t_fail "a BMC for each node on the BMC LAN" "see $FO_DIR/bmc/*/sim.out"
	exit 1
fi
# shellcheck disable=SC2086 # one word per node
if fo_wait "three nodes online with a DC" 90 online_all n1 $FO_NODES; then
	t_ok "three nodes online with a DC ($(dc_of n1)) after $((SECONDS - SUITE_T0)) s"
else
	t_fail "three nodes online with a DC" "$(fo_x n1 crm_mon -1 2>&1 | tail -n 5 | paste -sd' ' -)"
	exit 1
fi

if ! out=$( (cluster_start) 2>&1) && grep -q 'already running' <<<"$out"; then
	t_ok "the one-node cluster suite refuses to start while the nodes run"
else
	t_fail "the one-node cluster suite refuses to start while the nodes run" "$out"
fi

# A second run of this suite must refuse too, before touching anything.
out=$("$HERE/run.sh" 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -q 'refusing to start next to them' <<<"$out"; then
	t_ok "a second failover run refuses to start while these nodes run"
else
	t_fail "a second failover run refuses to start while these nodes run" "exit $rc: $(tail -n 3 <<<"$out" | paste -sd' ' -)"
fi

# ------------------------------------------------- RHEL-like: no glue

if [ "$FO_GLUE" = hidden ]; then
	if crm_resource --show-metadata stonith:external/ipmi >/dev/null 2>&1; then
		t_ok "host (cluster-glue visible): stonith:external/ipmi has metadata"
	else
		t_fail "host (cluster-glue visible): stonith:external/ipmi has metadata" "crm_resource failed on the host"
	fi
	if out=$(fo_x n1 crm_resource --show-metadata stonith:external/ipmi 2>&1); then
		t_fail "node (RHEL-like): stonith:external/ipmi has no metadata" "crm_resource succeeded"
	else
		t_ok "node (RHEL-like): stonith:external/ipmi has no metadata"
	fi
	out=$(fo_x n1 pcs stonith create x external/ipmi hostname=h ipaddr=10.213.47.99 \
		userid=u passwd=p interface=lan 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && grep -q 'is not installed or does not provide valid metadata' <<<"$out"; then
		t_ok "node (RHEL-like): pcs refuses stonith:external/ipmi as not installed"
	else
		t_fail "node (RHEL-like): pcs refuses stonith:external/ipmi as not installed" "exit $rc: $out"
	fi
fi
if fo_x n1 crm_resource --show-metadata "stonith:$AGENT" | grep -q "<resource-agent name=\"$AGENT\""; then
	t_ok "node: stonith:$AGENT has metadata"
else
	t_fail "node: stonith:$AGENT has metadata" "crm_resource failed in n1"
fi

# ---------------------------------------------------- configuration

# cfg CMD...: one configuration command in n1; its label masks passwords.
cfg() {
	local out
	if out=$(fo_x n1 "$@" 2>&1); then
		t_ok "configure: $(mask "$*")"
	else
		t_fail "configure: $(mask "$*")" "$out"
		return 1
	fi
}

mask() {
	sed -E 's/(passw(or)?d=)[^ ]*/\1****/g' <<<"$1"
}

# set_levels NODE DEVICE...: NODE's fencing topology, level i the i-th DEVICE.
set_levels() {
	local n=$1 i=1 d
	shift
	fo_x n1 pcs stonith level delete "$i" target "$n" >/dev/null 2>&1
	fo_x n1 pcs stonith level clear "$n" >/dev/null 2>&1
	for d in "$@"; do
		cfg pcs stonith level add "$i" "$n" "$d" || return 1
		i=$((i + 1))
	done
}

# The devices a Debian site has, one per node: fence_hb_ipmi with exactly
# external/ipmi's parameters (the password reaches the shim on its stdin,
# from the CIB); fence-agents' fence_ipmilan on the same BMC, for the side
# by side; the test power switch, level 2 behind each BMC.
# A refused password costs ipmitool ~8 s a call, two calls a reset, and
# Pacemaker tries a failed device twice: ~33 s before level 2, within
# stonith-timeout.
IPMI_TIMEOUT=25
cfg pcs property set stonith-enabled=true stonith-timeout=60s &&
	cfg pcs resource defaults update resource-stickiness=100 &&
	cfg pcs stonith create power "$AGENT" power_dir="$FO_DIR/power" \
		hostlist="$FO_NODES" debug_file="$DEBUG_FILE" || exit 1
devices=power
for n in $FO_NODES; do
	cfg pcs stonith create "ipmi-$n" fence_hb_ipmi hostname="$n" ipaddr="$(fo_bmc_addr "$n")" \
		userid="$(fo_bmc_user "$n")" passwd="$(fo_bmc_pass "$n")" interface=lan \
		debug_file="$DEBUG_FILE" plugin_timeout=$IPMI_TIMEOUT op monitor interval=3600s &&
		cfg pcs stonith create "ipmilan-$n" fence_ipmilan ip="$(fo_bmc_addr "$n")" \
			username="$(fo_bmc_user "$n")" password="$(fo_bmc_pass "$n")" \
			pcmk_host_list="$n" op monitor interval=3600s &&
		set_levels "$n" "ipmi-$n" power || exit 1
	devices="$devices ipmi-$n ipmilan-$n"
done
cfg pcs resource create dummy ocf:pacemaker:Dummy op monitor interval=10s || exit 1

# started VIEWER RSC...: every RSC is Started somewhere.
started() {
	local v=$1 r
	shift
	for r in "$@"; do
		[ -n "$(started_on "$v" "$r")" ] || return 1
	done
}
# shellcheck disable=SC2086 # one word per device
if fo_wait "the fence devices and dummy to start" 90 started n1 $devices dummy; then
	t_ok "fence devices ($devices) and Dummy started"
else
	t_fail "fence devices and Dummy started" "$(fo_x n1 crm_mon -1 2>&1 | tail -n 12 | paste -sd' ' -)"
	exit 1
fi
check_dummy_once "configured" n1

# all_logs: every node's pacemaker.log, in time order.
all_logs() {
	cat "$FO_DIR"/nodes/*/root/var/log/pacemaker/pacemaker.log 2>/dev/null | sort
}

# fence_line T VICTIM DEVICE RC_RE: the first log line, on any node (the
# fencer may run each level on another peer), of DEVICE's reboot of VICTIM
# since T with an exit code matching RC_RE.
fence_line() {
	all_logs | first_after "$1" /dev/stdin \
		"Operation 'reboot' \[[0-9]+\] targeting $2 using $3 returned $4"
}

# no_secret_in_logs LABEL SECRET...: no log of any node (Pacemaker's, the
# shim's debug file, corosync's) holds a SECRET, but for pacemaker-based's
# record of the CIB change that created the device (Pacemaker logs every
# new nvpair, a password too, whatever the agent).
no_secret_in_logs() {
	local label=$1 s hits=""
	shift
	for s in "$@"; do
		hits="$hits$(grep -rF -- "$s" "$FO_DIR"/nodes/*/root/var/log 2>/dev/null |
			grep -Ev 'pacemaker-based +\[[0-9]+\] \(cib_perform_op\)' | cut -d: -f1 | sort -u | paste -sd' ' -)"
	done
	t_eq "$label: the password appears in no log of any node (but the CIB change that set it)" "" "$hits"
}

# ------------------------------------------------------------ scenarios

# 1. A node that is not the DC, running Dummy, loses its link; its BMC
# resets it (fence_hb_ipmi -> external/ipmi -> ipmitool).
dc=$(dc_of n1)
victim=$(pick "$dc")
place_dummy "$dc" "$victim" || t_fail "Dummy placed on $victim" "$(started_on "$dc" dummy)"
t1=$(fo_now)
failover "BMC, non-DC victim" "$victim"
wire_hb=$(fo_bmc_ops "$victim" "$t1")
t_match "BMC, non-DC victim: $victim's BMC got a reset from external/ipmi" "*set reset 1*" "$wire_hb"
echo "wire fence_hb_ipmi (external/ipmi) reboot, as $victim's BMC saw it: $wire_hb"
first=$victim

# 1b. The DC, running Dummy, loses its link.
viewer=$(pick "$victim")
dc=$(dc_of "$viewer")
place_dummy "$viewer" "$dc" || t_fail "Dummy placed on $dc" "$(started_on "$viewer" dummy)"
failover "BMC, DC victim" "$dc"

# 2. Side by side: the first victim again, through fence_ipmilan on the
# same BMC.
victim=$first
set_levels "$victim" "ipmilan-$victim" power
viewer=$(pick "$victim")
place_dummy "$viewer" "$victim" || t_fail "Dummy placed on $victim" "$(started_on "$viewer" dummy)"
FO_DEVICE=ipmilan-@
t2=$(fo_now)
failover "BMC through fence_ipmilan, same victim" "$victim"
wire_lan=$(fo_bmc_ops "$victim" "$t2")
t_match "BMC through fence_ipmilan: $victim's BMC got off, then on" "*set power 0*set power 1*" "$wire_lan"
echo "wire fence_ipmilan reboot, as $victim's BMC saw it: $wire_lan"
FO_DEVICE=ipmi-@
set_levels "$victim" "ipmi-$victim" power

# 3. Level 1 fails: the BMC's password was changed behind the CIB's back
# (the BMC refuses the session); level 2, the test switch, fences.
viewer=$(pick "$(started_on n1 dummy)")
victim=$(started_on "$viewer" dummy)
old_pw=$(fo_bmc_pass "$victim")
new_pw="Rotated-$(cut -c1-8 "$FO_DIR/bmc.secret")"
if bmc_in ipmitool -I lan -H "$(fo_bmc_addr "$victim")" -U "$(fo_bmc_user "$victim")" -P "$old_pw" \
	user set password 2 "$new_pw" >/dev/null 2>&1; then
	t_ok "wrong password: $victim's BMC password changed behind the CIB's back"
else
	t_fail "wrong password: $victim's BMC password changed" "ipmitool user set password failed"
fi
FO_DEVICE=power
t3=$(fo_now)
failover "level 2 after the BMC refuses level 1's password" "$victim"
line=$(fence_line "$t3" "$victim" "ipmi-$victim" "[1-9]")
t_match "wrong password: Pacemaker saw ipmi-$victim fail" "*returned*" "$line"
line=$(all_logs | first_after "$t3" /dev/stdin "ipmi.*(Unable to establish|error executing ipmitool)")
echo "wrong password: error line: $line"
t_match "wrong password: an error line names the plugin and the refused session" "*ipmi*" "$line"
t_eq "wrong password: the BMC switched nothing" "" "$(fo_bmc_ops "$victim" "$t3" | tr ',' '\n' | grep set)"
no_secret_in_logs "wrong password" "$old_pw" "$new_pw"
bmc_in ipmitool -I lan -H "$(fo_bmc_addr "$victim")" -U "$(fo_bmc_user "$victim")" -P "$new_pw" \
	user set password 2 "$old_pw" >/dev/null 2>&1 || t_fail "wrong password: password restored" "ipmitool failed"

# 4. The BMC LAN is down: level 1 times out within plugin_timeout, level 2
# fences.
viewer=$(pick "$(started_on n1 dummy)")
victim=$(started_on "$viewer" dummy)
cfg pcs stonith update "ipmi-$victim" plugin_timeout=5
fo_bmc_link down
t4=$(fo_now)
failover "level 2 after the BMC LAN went down" "$victim"
fo_bmc_link up
line=$(fence_line "$t4" "$victim" "ipmi-$victim" "[1-9]")
req=$(all_logs | first_after "$t4" /dev/stdin "Client [^ ]+ wants to fence \(reboot\) $victim ")
took=$(span "$(logtime "$req")" "$(logtime "$line")")
echo "BMC unreachable: fence request -> level 1 failed: $took s (plugin_timeout=5, Pacemaker tries twice)"
# Pacemaker tries a failed device twice (pcmk_reboot_retries=2); each try
# must end within plugin_timeout + 3 s (the shim's SIGTERM, then SIGKILL),
# where ipmitool alone would spend ~10 s a call, two calls a reset.
if [ -n "$line" ] && awk -v t="$took" 'BEGIN { exit !(t != "?" && t <= 2 * (5 + 3) + 1) }'; then
	t_ok "BMC unreachable: level 1 failed within plugin_timeout, twice ($took s)"
else
	t_fail "BMC unreachable: level 1 failed within plugin_timeout, twice" "took [$took] line [$line]"
fi
line=$(all_logs | first_after "$t4" /dev/stdin "fence_hb_ipmi.*timed out after 5 s \(plugin_timeout\)")
t_match "BMC unreachable: the error line names the plugin and plugin_timeout" "*ipmi*plugin_timeout*" "$line"
cfg pcs stonith update "ipmi-$victim" plugin_timeout=$IPMI_TIMEOUT
FO_DEVICE=ipmi-@

# 5. The mutation: a BMC that says it cut the power but leaves the node
# running.  Pacemaker believes it; the suite's check of the victim's
# processes must not.
viewer=$(pick "$(started_on n1 dummy)")
victim=$(started_on "$viewer" dummy)
touch "$(bmc_dir "$victim")/lie"
old_ns=$(cat "$FO_DIR/nodes/$victim/pidns")
t5=$(fo_now)
fo_link "$victim" down
if await_fenced "$viewer" "$victim" "$t5" "$old_ns" && [ -n "$LEFT" ]; then
	t_ok "mutation: a lying BMC is caught: $victim reported fenced with $(tr ',' '\n' <<<"$LEFT" | wc -l) processes running"
else
	t_fail "mutation: a lying BMC is caught" "reported fenced: $t_seen; processes left: [$LEFT]"
fi
rm -f "$(bmc_dir "$victim")/lie"
fo_power_cut "$victim" && fo_node_start "$victim"
# shellcheck disable=SC2086 # one word per node
fo_wait "$victim to rejoin" 60 online_all "$viewer" $FO_NODES ||
	t_fail "mutation: $victim powered back on and rejoined" "$(fo_x "$viewer" crm_mon -1 2>&1 | tail -n 4 | paste -sd' ' -)"
fo_wait "the cluster to settle" 30 settled "$viewer"
check_dummy_once "mutation, after $victim is back" "$viewer"

echo "failover suite took $((SECONDS - SUITE_T0)) s before teardown"
