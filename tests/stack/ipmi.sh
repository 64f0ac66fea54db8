# shellcheck shell=bash
#
# Stack suite, part 3 (sourced by tests/stack/run.sh): fence_hb_ipmi with
# Debian's unchanged external/ipmi against a real IPMI LAN BMC (OpenIPMI's
# ipmi_sim, tests/bmc.sh), no cluster: crm_resource --show-metadata, pcs -f
# stonith create without --force, stonith_admin --validate, and actions by
# hand on stdin as an admin tests a new device.  The BMC and every tool run
# in a private network namespace (the BMC LAN), where no fencer answers.

# shellcheck source=../bmc.sh
. "$HERE/../bmc.sh"

if ! command -v ipmi_sim >/dev/null || ! command -v ipmitool >/dev/null; then
	t_fail ipmi_bmc_tools_installed "ipmi_sim or ipmitool missing (packages openipmi, ipmitool)"
	return 0
fi
IPMI_ADDR=10.213.48.1
IPMI_USER="admin"
IPMI_PASS="Bmc-$(head -c 32 /dev/urandom | md5sum | cut -c1-10)"
IPMI_LOG=$TMP/bmc/bmc1/log
ipmi_cleanup() {
	bmc_stop_all
	cleanup
}
trap ipmi_cleanup EXIT
if bmc_lan_start "$TMP/bmc" && bmc_start bmc1 "$IPMI_ADDR" "$IPMI_USER" "$IPMI_PASS"; then
	t_ok ipmi_bmc_answers_in_a_private_network_namespace
else
	t_fail ipmi_bmc_answers_in_a_private_network_namespace "see $TMP/bmc/bmc1/sim.out"
	return 0
fi
t_eq ipmi_bmc_listens_nowhere_in_the_hosts_network_namespace "" \
	"$(ss -Hlun 'sport = :623' 2>/dev/null)"

IPMI_DEVICE=(hostname=node1 "ipaddr=$IPMI_ADDR" "userid=$IPMI_USER" "passwd=$IPMI_PASS" interface=lan)

md=$(bmc_in crm_resource --show-metadata stonith:fence_hb_ipmi 2>&1)
t_match ipmi_bmc_crm_resource_shows_fence_hb_ipmi_metadata \
	'*<resource-agent name="fence_hb_ipmi"*name="passwd"*' "$md"

cib=$TMP/ipmi-cib.xml
bmc_in cibadmin --empty >"$cib"
if out=$(bmc_in pcs -f "$cib" stonith create bmc1 fence_hb_ipmi "${IPMI_DEVICE[@]}" 2>&1); then
	t_ok ipmi_bmc_pcs_create_the_debian_device_without_force
else
	t_fail ipmi_bmc_pcs_create_the_debian_device_without_force "$out"
fi

args=()
for o in "${IPMI_DEVICE[@]}"; do args+=(--option "$o"); done
out=$(bmc_in stonith_admin --validate --agent fence_hb_ipmi "${args[@]}" 2>&1)
t_eq ipmi_bmc_stonith_admin_validates_the_debian_device 0 "$?"

# by_hand ACTION [NAME=VALUE...]: the device's parameters and ACTION on
# fence_hb_ipmi's stdin, as an admin tests a device; sets OUT and RC.
by_hand() {
	local action=$1
	shift
	OUT=$( { printf '%s\n' "action=$action" nodename=node1 "${IPMI_DEVICE[@]}" "$@"; } |
		bmc_in fence_hb_ipmi 2>&1)
	RC=$?
}

# ops_since N: the chassis calls of the BMC after its log's first N lines.
ops_since() {
	tail -n +"$(($1 + 1))" "$IPMI_LOG" | awk '$2 == "get" || $2 == "set" { $1 = ""; sub(/^ /, ""); print }' |
		paste -sd, -
}

n=$(wc -l <"$IPMI_LOG")
by_hand status
t_eq ipmi_bmc_status_by_hand_exits_0 "0 []" "$RC [$OUT]"
n=$(wc -l <"$IPMI_LOG")
by_hand reboot
t_eq ipmi_bmc_reboot_by_hand_exits_0_silently "0 []" "$RC [$OUT]"
t_eq ipmi_bmc_reboot_by_hand_is_one_status_and_one_reset_on_the_wire \
	"get power,set reset 1" "$(ops_since "$n")"
n=$(wc -l <"$IPMI_LOG")
by_hand off
t_eq ipmi_bmc_off_by_hand_exits_0 0 "$RC"
t_eq ipmi_bmc_off_by_hand_is_one_power_off_on_the_wire "set power 0" "$(ops_since "$n")"
n=$(wc -l <"$IPMI_LOG")
by_hand on passwd_method=env
t_eq ipmi_bmc_on_by_hand_with_the_password_in_the_environment_exits_0 0 "$RC"
t_eq ipmi_bmc_on_by_hand_is_one_power_on_on_the_wire "set power 1" "$(ops_since "$n")"

# A wrong password: the BMC refuses the session, the shim says so in one
# line naming the plugin, and never echoes either password.
n=$(wc -l <"$IPMI_LOG")
by_hand reboot passwd=Wrong-"${IPMI_PASS#Bmc-}"
t_eq ipmi_bmc_wrong_password_fails 1 "$RC"
t_match ipmi_bmc_wrong_password_error_names_the_plugin_and_the_refused_session \
	'*ipmi*Unable to establish*' "$OUT"
case $OUT in
*"${IPMI_PASS#Bmc-}"*) t_fail ipmi_bmc_wrong_password_error_shows_no_password "$OUT" ;;
*) t_ok ipmi_bmc_wrong_password_error_shows_no_password ;;
esac
t_eq ipmi_bmc_wrong_password_switches_nothing "" "$(ops_since "$n" | tr ',' '\n' | grep set)"
echo "note: wrong password by hand: $(head -n 3 <<<"$OUT" | paste -sd' ' -)"

# A BMC that hangs (its process stopped: the packets queue, nothing
# answers): failure within plugin_timeout (+ 3 s for the shim's SIGTERM and
# SIGKILL), not after ipmitool's own retries.
kill -STOP "$(cat "$TMP/bmc/bmc1/pid")"
t0=$SECONDS
by_hand reboot plugin_timeout=3
kill -CONT "$(cat "$TMP/bmc/bmc1/pid")"
t_eq ipmi_bmc_unreachable_fails 1 "$RC"
if [ $((SECONDS - t0)) -le 7 ]; then
	t_ok "ipmi_bmc_unreachable_fails_within_plugin_timeout ($((SECONDS - t0)) s)"
else
	t_fail ipmi_bmc_unreachable_fails_within_plugin_timeout "took $((SECONDS - t0)) s"
fi
echo "note: BMC unreachable by hand: $(head -n 2 <<<"$OUT" | paste -sd' ' -)"

# settled: every set the BMC received has finished (its chassis control
# blocks ipmi_sim while it runs).
settled() {
	[ "$(grep -c ' set ' "$IPMI_LOG")" -eq "$(grep -c ' done ' "$IPMI_LOG")" ]
}
await_settled() {
	local n
	for ((n = 0; n < 200; n++)); do settled && return 0; sleep 0.1; done
	return 1
}

# A slow BMC: ipmi_sim answers a set only once its chassis control is
# done.  Half a second is within ipmitool's patience and the shim's
# plugin_timeout; 8 s is beyond both: ipmitool sends the reset again, and
# the shim gives up at plugin_timeout with a line that says so.
dir=$(bmc_dir bmc1)
echo 0.5 >"$dir/delay"
n=$(wc -l <"$IPMI_LOG")
t0=$(date +%s%N)
by_hand reboot
ms=$((($(date +%s%N) - t0) / 1000000))
t_eq "ipmi_bmc_slow_bmc_within_the_timeout_fences (${ms} ms)" "0 []" "$RC [$OUT]"
if [ "$ms" -ge 500 ]; then
	t_ok ipmi_bmc_slow_bmc_within_the_timeout_waited_for_the_bmc
else
	t_fail ipmi_bmc_slow_bmc_within_the_timeout_waited_for_the_bmc "returned after $ms ms"
fi
t_eq ipmi_bmc_slow_bmc_within_the_timeout_reset_once "get power,set reset 1" "$(ops_since "$n")"
echo 8 >"$dir/delay"
n=$(wc -l <"$IPMI_LOG")
t0=$SECONDS
by_hand reboot plugin_timeout=3
t_eq ipmi_bmc_slow_bmc_beyond_the_timeout_fails 1 "$RC"
if [ $((SECONDS - t0)) -le 7 ]; then
	t_ok "ipmi_bmc_slow_bmc_beyond_the_timeout_fails_within_plugin_timeout ($((SECONDS - t0)) s)"
else
	t_fail ipmi_bmc_slow_bmc_beyond_the_timeout_fails_within_plugin_timeout "took $((SECONDS - t0)) s"
fi
t_match ipmi_bmc_slow_bmc_beyond_the_timeout_error_names_plugin_timeout '*plugin_timeout*' "$OUT"
rm -f "$dir/delay"
await_settled || t_fail ipmi_bmc_slow_bmc_settles "the chassis control is still running"
echo "note: slow BMC (8 s) by hand: the BMC got $(ops_since "$n"); the shim said: $(head -n 2 <<<"$OUT" | paste -sd' ' -)"
bmc_stop_all
