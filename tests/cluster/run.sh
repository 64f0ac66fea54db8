#!/bin/bash
#
# Live cluster suite: a one-node Corosync/Pacemaker cluster fences made-up
# nodes through the shim (fence_hb_<plugin> -> fence_hbwrap) and through
# Pacemaker's native stonith:external/<plugin> road, with recording test
# plugins standing in for the hardware.
#
# Run as root on a host with pacemaker, corosync, pcs and cluster-glue, after
# `make install PREFIX=/usr`.  Nothing else may run a cluster on the host; the
# host's cluster configuration is saved and restored (see cluster.sh).
#
#   tests/cluster/run.sh
#
# Touches, and restores or removes: /etc/corosync, /etc/pacemaker,
# /var/lib/corosync, /var/lib/pacemaker, the test plugins in
# /usr/lib/stonith/plugins/external and the fence_hb_hbwrap-t-* links in
# /usr/sbin.

T_SUITE=cluster
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=cluster.sh
. "$HERE/cluster.sh"

SHIM=/usr/sbin/fence_hbwrap
PLUGIN_DIR=/usr/lib/stonith/plugins/external
PLUGINS="hbwrap-t-record hbwrap-t-failreset"
FENCE_TIMEOUT=30        # seconds stonith_admin waits for one fencing request
INSTALLED=()            # files this suite created, removed on exit

if [ "$(id -u)" -ne 0 ]; then
	echo "tests/cluster/run.sh must run as root" >&2
	exit 2
fi

SUITE_T0=$SECONDS

# ---------------------------------------------------------------- helpers

CHECKED=no              # cluster_check_clean has reported

# cleanup: stop the cluster, restore the host, remove what we installed; on
# an early exit also say whether the host was left as found.
cleanup() {
	local f
	cluster_stop
	if [ -n "$CLUSTER_DIR" ] && [ "$CHECKED" = no ]; then
		CHECKED=yes
		cluster_check_clean && echo "cluster stopped; host left as found"
	fi
	for f in "${INSTALLED[@]}"; do
		rm -f -- "$f"
	done
	INSTALLED=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# install_plugin NAME: copy the test plugin NAME where cluster-glue finds it.
# A file already there is only replaced if it is ours (a leftover of a run
# that was killed); anything else is refused.
install_plugin() {
	local src="$HERE/plugins/$1" dst="$PLUGIN_DIR/$1"
	if [ -e "$dst" ] && ! cmp -s "$src" "$dst"; then
		echo "$dst exists and is not this suite's plugin; not touching it" >&2
		return 1
	fi
	INSTALLED+=("$dst")
	install -o root -g root -m 0755 "$src" "$dst"
}

# link_shim NAME: /usr/sbin/fence_hb_NAME -> fence_hbwrap, the name under
# which Pacemaker finds the shim for plugin NAME.
link_shim() {
	local dst="/usr/sbin/fence_hb_$1"
	if [ -e "$dst" ] || [ -L "$dst" ]; then
		case $(readlink "$dst") in
		fence_hbwrap | "$SHIM") ;;
		*)
			echo "$dst exists and is not this suite's link; not touching it" >&2
			return 1
			;;
		esac
	fi
	INSTALLED+=("$dst")
	ln -sfn fence_hbwrap "$dst"
}

# registered ID...: every ID is registered with the fencer.
registered() {
	local list id
	list=$(stonith_admin --list-registered 2>/dev/null) || return 1
	for id in "$@"; do
		grep -qx "$id" <<<"$list" || return 1
	done
}

# none_registered ID...: no ID is registered with the fencer.
none_registered() {
	local list id
	list=$(stonith_admin --list-registered 2>/dev/null) || return 1
	for id in "$@"; do
		grep -qx "$id" <<<"$list" && return 1
	done
	return 0
}

# create_device ID AGENT PARAM=VALUE... [op ...]: configure a fence device
# with pcs (which runs without pcsd as root and checks the parameters against
# the agent's metadata).  If pcs refuses, the refusal is a failure and the
# device is configured with cibadmin instead so later checks still run.
create_device() {
	local id=$1 agent=$2 out
	shift 2
	if out=$(pcs stonith create "$id" "$agent" "$@" 2>&1); then
		t_ok "pcs stonith create $id ($agent)"
		return 0
	fi
	t_fail "pcs stonith create $id ($agent)" "$out"
	# PARAM=VALUE words become nvpairs; "op NAME KEY=VALUE..." become ops.
	local attrs="" ops="" op="" arg i=0
	for arg in "$@" op; do
		i=$((i + 1))
		if [ "$arg" = op ]; then
			[ -n "$op" ] && ops="$ops$op/>"
			op="<op id=\"$id-op-$i\""
		elif [ -z "$op" ]; then
			attrs="$attrs<nvpair id=\"$id-ia-$i\" name=\"${arg%%=*}\" value=\"${arg#*=}\"/>"
		elif [ "${arg#*=}" = "$arg" ]; then
			op="$op name=\"$arg\""
		else
			op="$op ${arg%%=*}=\"${arg#*=}\""
		fi
	done
	cibadmin --create -o resources -X "<primitive id=\"$id\" class=\"stonith\" type=\"$agent\"><instance_attributes id=\"$id-ia\">$attrs</instance_attributes>${ops:+<operations>$ops</operations>}</primitive>" ||
		t_fail "cibadmin fallback for $id" "cibadmin --create failed"
}

# fence TARGET: ask the fencer to reboot TARGET; prints stonith_admin's
# output, returns its exit status.
fence() {
	local rc
	echo "+ stonith_admin --reboot $1 --timeout $FENCE_TIMEOUT"
	stonith_admin --reboot "$1" --timeout "$FENCE_TIMEOUT" 2>&1
	rc=$?
	echo "  (exit status $rc)"
	return $rc
}

# history_status TARGET: status of TARGET's last recorded fencing
# ("success", "failed", ...), failures included (they need --verbose).
history_status() {
	stonith_admin --history "$1" --verbose --output-as=xml 2>/dev/null |
		sed -n "s/.*<fence_event [^>]*target=\"$1\"[^>]* status=\"\([^\"]*\)\".*/\1/p" |
		head -n 1
}

# field NAME LINE: the value of NAME=... in a record line (quotes removed).
field() {
	sed -n "s/.* $1='\([^']*\)'.*/\1/p; t; s/^\(.* \)\{0,1\}$1=\([^ ]*\).*/\2/p" <<<"$2"
}

# reset_line FILE TARGET: the last record of a reset of TARGET in FILE.
reset_line() {
	grep "^op=reset target=$2 " "$1" 2>/dev/null | tail -n 1
}

# op_counts FILE [FROM_LINE]: "op=count ..." for the records in FILE.
op_counts() {
	tail -n +"${2:-1}" "$1" 2>/dev/null | sed 's/^op=\([^ ]*\) .*/\1/' |
		sort | uniq -c | awk '{ printf "%s%s=%s", sep, $2, $1; sep = " " }'
}

# status_count FILE: how many status calls FILE records (0 if no file yet).
status_count() {
	local n
	n=$(grep -c '^op=status ' "$1" 2>/dev/null)
	echo "${n:-0}"
}

# status_calls_at_least FILE N: FILE records N or more status calls.
status_calls_at_least() {
	[ "$(status_count "$1")" -ge "$2" ]
}

# --------------------------------------------------------- preconditions

shim_ok=no
if [ -x "$SHIM" ]; then
	t_ok "shim installed at $SHIM"
	shim_ok=yes
else
	t_fail "shim installed at $SHIM" "not found; run make install PREFIX=/usr first (shim checks skipped)"
fi
if pacemakerd --features | grep -qw lha; then
	t_ok "pacemaker built with cluster-glue (lha)"
else
	t_fail "pacemaker built with cluster-glue (lha)" "$(pacemakerd --features | tail -n 1)"
fi

for p in $PLUGINS; do
	install_plugin "$p" || exit 1
	if [ "$shim_ok" = yes ]; then
		link_shim "$p" || exit 1
	fi
done

# ----------------------------------------------------------------- start

if ! cluster_start; then
	t_fail "cluster starts" "see the messages above"
	exit 1
fi
t_ok "cluster starts; $CLUSTER_NODE online and DC"

REC_SHIM=$CLUSTER_DIR/shim-rec.log
REC_FAIL=$CLUSTER_DIR/shim-fail.log
REC_CMP=$CLUSTER_DIR/shim-cmp.log
REC_NATIVE=$CLUSTER_DIR/native-rec.log
DEVICES="native-rec"

create_device native-rec external/hbwrap-t-record \
	hostlist=ghost5 record_file="$REC_NATIVE" op monitor interval=5s
if [ "$shim_ok" = yes ]; then
	create_device shim-rec fence_hb_hbwrap-t-record \
		hostlist="ghost1 ghost2" record_file="$REC_SHIM" op monitor interval=5s
	create_device shim-fail fence_hb_hbwrap-t-failreset \
		hostlist=ghost3 record_file="$REC_FAIL"
	create_device shim-cmp fence_hb_hbwrap-t-record \
		hostlist=ghost6 record_file="$REC_CMP"
	DEVICES="$DEVICES shim-rec shim-fail shim-cmp"
fi

# shellcheck disable=SC2086 # one word per device
if cluster_wait "devices to register with the fencer" 30 registered $DEVICES; then
	t_ok "devices registered: $DEVICES"
else
	t_fail "devices registered: $DEVICES" "$(stonith_admin --list-registered 2>&1 | paste -sd' ')"
fi

# ------------------------------------------------------------ shim road

if [ "$shim_ok" = yes ]; then
	if fence ghost1; then
		t_ok "shim: reboot ghost1 succeeds"
	else
		t_fail "shim: reboot ghost1 succeeds" "stonith_admin failed"
	fi
	line=$(reset_line "$REC_SHIM" ghost1)
	if [ -n "$line" ]; then
		t_ok "shim: plugin recorded op=reset target=ghost1"
	else
		t_fail "shim: plugin recorded op=reset target=ghost1" "$(op_counts "$REC_SHIM")"
	fi
	t_eq "shim: history shows ghost1 fenced" success "$(history_status ghost1)"
	t_eq "shim: ha_log.sh ran and exited 0 on reset" 0 "$(field halog "$line")"
	t_eq "shim: plugin got hostlist" "ghost1 ghost2" "$(field hostlist "$line")"

	# Dynamic host list: the shim's "list" runs gethosts; nobody lists ghost9.
	if fence ghost9; then
		t_fail "shim: reboot ghost9 (listed by no device) fails" "stonith_admin succeeded"
	else
		t_ok "shim: reboot ghost9 (listed by no device) fails"
	fi
	if grep -qs -e '^op=reset target=ghost9 ' -e '^op=o[nf]f* target=ghost9 ' \
		"$REC_SHIM" "$REC_FAIL" "$REC_CMP" "$REC_NATIVE"; then
		t_fail "shim: no plugin was asked to act on ghost9" "$(grep -h 'target=ghost9' "$REC_SHIM" "$REC_FAIL" "$REC_CMP" "$REC_NATIVE" | cut -c1-100)"
	else
		t_ok "shim: no plugin was asked to act on ghost9"
	fi
	if grep -qs '^op=gethosts ' "$REC_SHIM"; then
		t_ok "shim: list ran the plugin's gethosts"
	else
		t_fail "shim: list ran the plugin's gethosts" "$(op_counts "$REC_SHIM")"
	fi

	# A failing reset is a failed fencing, never a success.
	if fence ghost3; then
		t_fail "shim: reboot ghost3 with failing reset fails" "stonith_admin succeeded"
	else
		t_ok "shim: reboot ghost3 with failing reset fails"
	fi
	t_eq "shim: history shows ghost3 failed" failed "$(history_status ghost3)"
	. "$HERE/logging.sh"
	n=$(grep -c '^op=reset target=ghost3 ' "$REC_FAIL" 2>/dev/null)
	if [ "${n:-0}" -ge 1 ]; then
		t_ok "shim: failing plugin was tried ($n resets of ghost3)"
	else
		t_fail "shim: failing plugin was tried" "$(op_counts "$REC_FAIL")"
	fi

	# Recurring monitor: the start runs one monitor and the 5 s monitor runs
	# once at once, so a third status call comes from a repetition.
	if cluster_wait "recurring monitors of shim-rec" 30 \
		status_calls_at_least "$REC_SHIM" 3; then
		t_ok "shim: recurring monitor runs the plugin's status ($(status_count "$REC_SHIM") calls)"
	else
		t_fail "shim: recurring monitor runs the plugin's status" "$(op_counts "$REC_SHIM")"
	fi
fi

# ---------------------------------------------------------- native road

native_from=$(($(wc -l <"$REC_NATIVE" 2>/dev/null || echo 0) + 1))
if fence ghost5; then
	t_ok "native: reboot ghost5 via stonith:external/hbwrap-t-record succeeds"
else
	t_fail "native: reboot ghost5 via stonith:external/hbwrap-t-record succeeds" "stonith_admin failed"
fi
native_line=$(reset_line "$REC_NATIVE" ghost5)
if [ -n "$native_line" ]; then
	t_ok "native: plugin recorded op=reset target=ghost5"
else
	t_fail "native: plugin recorded op=reset target=ghost5" "$(op_counts "$REC_NATIVE")"
fi
t_eq "native: ha_log.sh ran and exited 0 on reset" 0 "$(field halog "$native_line")"
if cluster_wait "recurring monitors of native-rec" 30 \
	status_calls_at_least "$REC_NATIVE" 3; then
	t_ok "native: recurring monitor runs the plugin's status ($(status_count "$REC_NATIVE") calls)"
else
	t_fail "native: recurring monitor runs the plugin's status" "$(op_counts "$REC_NATIVE")"
fi

# ------------------------------------------------ both roads, compared

if [ "$shim_ok" = yes ]; then
	cmp_from=$(($(wc -l <"$REC_CMP" 2>/dev/null || echo 0) + 1))
	if fence ghost6; then
		t_ok "shim: reboot ghost6 via shim-cmp succeeds"
	else
		t_fail "shim: reboot ghost6 via shim-cmp succeeds" "stonith_admin failed"
	fi
	shim_line=$(reset_line "$REC_CMP" ghost6)

	echo "--- reset as recorded, native road (native-rec, ghost5):"
	echo "$native_line"
	echo "--- reset as recorded, shim road (shim-cmp, ghost6):"
	echo "$shim_line"

	# Compare what the plugin was given, with host names and record file
	# names (which differ by construction) replaced.
	for f in op target argc hostlist nodename; do
		n=$(field "$f" "$native_line" | sed 's/ghost5/HOST/g')
		s=$(field "$f" "$shim_line" | sed 's/ghost6/HOST/g')
		t_eq "both roads: reset gets the same $f" "$n" "$s"
	done
	n=$(field record_file "$native_line")
	s=$(field record_file "$shim_line")
	t_eq "both roads: reset gets record_file" "$REC_NATIVE $REC_CMP" "$n $s"

	echo "--- comparison of the two roads"
	echo "ha_log.sh:       native halog=$(field halog "$native_line") path=$(field halog_path "$native_line") HA_LOGTAG=$(field halog_tag "$native_line")"
	echo "                 shim   halog=$(field halog "$shim_line") path=$(field halog_path "$shim_line") HA_LOGTAG=$(field halog_tag "$shim_line")"
	field env "$native_line" | tr , '\n' | LC_ALL=C sort >"$CLUSTER_DIR/env.native"
	field env "$shim_line" | tr , '\n' | LC_ALL=C sort >"$CLUSTER_DIR/env.shim"
	echo "env only native: $(LC_ALL=C comm -23 "$CLUSTER_DIR/env.native" "$CLUSTER_DIR/env.shim" | paste -sd, -)"
	echo "env only shim:   $(LC_ALL=C comm -13 "$CLUSTER_DIR/env.native" "$CLUSTER_DIR/env.shim" | paste -sd, -)"
	echo "env in both:     $(LC_ALL=C comm -12 "$CLUSTER_DIR/env.native" "$CLUSTER_DIR/env.shim" | paste -sd, -)"
	echo "all calls, native-rec: $(op_counts "$REC_NATIVE")"
	echo "all calls, shim-rec:   $(op_counts "$REC_SHIM")"
	echo "all calls, shim-cmp:   $(op_counts "$REC_CMP")"
	echo "calls during the ghost5 reboot (native-rec): $(op_counts "$REC_NATIVE" "$native_from")"
	echo "calls during the ghost6 reboot (shim-cmp):   $(op_counts "$REC_CMP" "$cmp_from")"
	echo "---"
fi

# ----------------------------------------- the walkthrough, live part
# examples/WALKTHROUGH.md, steps 6 and 7, as written there: the example
# plugin as a device, started, listed for node2, and a test fence of node2.
WT_STATE=/var/lib/myplugin.state
if [ "$shim_ok" = yes ]; then
	wt_src=$HERE/../../examples/myplugin
	if [ -e "$PLUGIN_DIR/myplugin" ] && ! cmp -s "$wt_src" "$PLUGIN_DIR/myplugin"; then
		t_fail "walkthrough: example plugin installed" "$PLUGIN_DIR/myplugin exists and is not ours"
	elif [ -e "$WT_STATE" ]; then
		t_fail "walkthrough: example plugin installed" "$WT_STATE exists; not touching it"
	else
		INSTALLED+=("$PLUGIN_DIR/myplugin" "$WT_STATE")
		install -o root -g root -m 0755 "$wt_src" "$PLUGIN_DIR/myplugin"
		link_shim myplugin
		out=$(pcs stonith create myfence fence_hb_myplugin hostlist="node1 node2" \
			state_file="$WT_STATE" 2>&1)
		t_eq "walkthrough: pcs stonith create myfence prints nothing" "0:" "$?:$out"
		DEVICES="$DEVICES myfence"
		myfence_started() {
			pcs stonith status 2>/dev/null | grep -q "myfence.*Started"
		}
		cluster_wait "myfence to start" 30 myfence_started
		t_match "walkthrough: pcs stonith status shows myfence started" \
			"*myfence*(stonith:fence_hb_myplugin):*Started $CLUSTER_NODE*" \
			"$(pcs stonith status 2>&1)"
		t_eq "walkthrough: stonith_admin --list node2 finds myfence" \
			"myfence
1 fence device found" "$(stonith_admin --list node2 2>&1)"
		out=$(stonith_admin --reboot node2 2>&1)
		t_eq "walkthrough: stonith_admin --reboot node2 exits 0 and prints nothing" \
			"0:" "$?:$out"
		t_match "walkthrough: stonith_admin --history node2 shows the reboot" \
			"reboot of node2 successful: delegate=$CLUSTER_NODE, client=stonith_admin.*, origin=$CLUSTER_NODE, last-successful=*
1 event found" "$(stonith_admin --history node2 2>&1)"
		t_eq "walkthrough: the plugin's state file says node2 was reset" \
			"node2 on reset" "$(cat "$WT_STATE" 2>&1)"
	fi
fi

. "$HERE/broken_metadata.sh" # a plugin with ill-formed getinfo-xml (issue 10)
# shellcheck source=convert.sh # --convert-cib on the running cluster's CIB
. "$HERE/convert.sh"

# ---------------------------------------------------------------- clean up

for d in $DEVICES; do
	pcs stonith delete "$d" >/dev/null 2>&1 ||
		cibadmin --delete -o resources -X "<primitive id=\"$d\"/>" >/dev/null 2>&1
done
# shellcheck disable=SC2086 # one word per device
if cluster_wait "devices to be removed from the fencer" 30 none_registered $DEVICES; then
	t_ok "all test devices removed"
else
	t_fail "all test devices removed" "$(stonith_admin --list-registered 2>&1 | paste -sd' ')"
fi

echo "logs kept in $CLUSTER_DIR"
cluster_stop
CHECKED=yes
if cluster_check_clean; then
	t_ok "cluster stopped; no daemon left; /etc and cluster state as found"
else
	t_fail "cluster stopped; no daemon left; /etc and cluster state as found" "see the messages above"
fi
# shellcheck source=rhel.sh
. "$HERE/rhel.sh"
cleanup
left=""
for p in $PLUGINS myplugin; do
	for f in "$PLUGIN_DIR/$p" "/usr/sbin/fence_hb_$p"; do
		if [ -e "$f" ] || [ -L "$f" ]; then left="$left $f"; fi
	done
done
t_eq "test plugins and links removed" "" "$left"

echo "cluster suite took $((SECONDS - SUITE_T0))s"
t_done
