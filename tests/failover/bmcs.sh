# shellcheck shell=bash
#
# The failover suite's BMCs (sourced by tests/failover/run.sh after
# nodes.sh and ../bmc.sh): one ipmi_sim per node on the BMC LAN, a
# namespace of its own joined to the nodes' bridge by one veth, so a node
# reaches every BMC but its own link going down cuts it from them all.
#
#   fo_bmcs_start          BMC of node nI at $FO_NET.10I, user admin-nI
#   fo_bmc_addr NODE       its address
#   fo_bmc_user NODE / fo_bmc_pass NODE
#   fo_bmc_link up|down    the BMC LAN's cable to the bridge
#   fo_bmc_ops NODE T      the chassis calls NODE's BMC got at or after T

# IPMI 1.5 passwords hold 16 bytes at most.  They are secrets: they reach the shim only on its stdin (from
# the CIB), and the suite checks that no log holds them.
fo_bmc_addr() { echo "$FO_NET.10$(fo_num "$1")"; }
fo_bmc_user() { echo "admin-$1"; }
fo_bmc_pass() { echo "Pw-$1-$(cut -c1-8 "$FO_DIR/bmc.secret")"; }

fo_bmcs_start() {
	local n h
	head -c 64 /dev/urandom | md5sum | cut -c1-12 >"$FO_DIR/bmc.secret"
	bmc_lan_start "$FO_DIR/bmc" || return 1
	echo "$BMC_HOLDER" >>"$FO_DIR/bmc/holders"
	fo_in_net "$FO_BR_HOLDER" ip link add vbmc type veth peer name eth0 netns "$BMC_HOLDER" &&
		fo_in_net "$FO_BR_HOLDER" ip link set vbmc master br0 up &&
		bmc_in ip link set eth0 up || return 1
	# shellcheck disable=SC2034 # bmc_start reads them
	BMC_DEV=eth0 BMC_PREFIX=24
	for n in $FO_NODES; do
		h=$FO_DIR/bmc/$n.hook
		printf '#!/bin/sh\nexec %s %s %s "$@"\n' "$FO_HERE/bmc-power" "$FO_DIR" "$n" >"$h" &&
			chmod 0755 "$h" || return 1
		bmc_start "$n" "$(fo_bmc_addr "$n")" "$(fo_bmc_user "$n")" "$(fo_bmc_pass "$n")" "$h" || return 1
	done
}

fo_bmc_link() {
	fo_in_net "$FO_BR_HOLDER" ip link set vbmc "$1"
}

# fo_bmc_ops NODE T: "get power", "set reset 1" ... the BMC got since T.
fo_bmc_ops() {
	awk -v t="$2" '$1 >= t && ($2 == "set" || $2 == "get") { $1 = ""; sub(/^ /, ""); print }' "$(bmc_dir "$1")/log" |
		paste -sd, -
}
