# shellcheck shell=bash
#
# crmsh, the other client administrators configure with (SUSE, Debian):
# sourced by tests/stack/run.sh after its set-up, so the fence_hb_ links and
# the suite's plugin hbwrap-st-demo are in place and pm() isolates the tools
# from any cluster.  Each check runs for the shim's agent and, for
# comparison, for fence-agents' fence_ipmilan:
#
#   crm ra list stonith       lists the agent
#   crm ra info stonith:X     a parameter table whose required marks (*) are
#                             exactly the metadata's required parameters
#   crm configure primitive   a missing required parameter and an unknown
#                             one refused in crmsh's own words, the CIB file
#                             left without them; a complete one accepted
#   crm configure verify      clean
#
# Everything works offline on a CIB file (CIB_file=).

CRM_AGENTS="fence_hb_hbwrap-st-demo fence_ipmilan"

# crm_q CIB ARG...: crm on CIB with colours stripped; exit status kept.
crm_q() {
	local cib=$1 out rc
	shift
	out=$(CIB_file=$cib pm crm "$@" 2>&1)
	rc=$?
	sed 's/\x1b\[[0-9;]*m//g' <<<"$out"
	return $rc
}

# crm_required AGENT: the required parameters crm ra info marks with "*".
crm_required() {
	crm_q "$CRM_CIB" ra info "stonith:$1" |
		sed -n 's/^\([A-Za-z0-9_-]*\)\*.*/\1/p' | LC_ALL=C sort | paste -sd' ' -
}

# md_required AGENT: the parameters its metadata says are required.
md_required() {
	pm crm_resource --show-metadata "stonith:$1" 2>/dev/null |
		sed -n 's/.*<parameter name="\([^"]*\)"[^>]* required="1".*/\1/p' |
		LC_ALL=C sort | paste -sd' ' -
}

# crm_has_primitive ID: the CIB file holds primitive ID.
crm_has_primitive() {
	grep -q "<primitive [^>]*id=\"$1\"" "$CRM_CIB"
}

# crm_refused NAME ID GLOB PRIMITIVE_ARGS...: crm configure primitive ID
# fails, says GLOB, and the CIB file does not get ID.
crm_refused() {
	local name=$1 id=$2 glob=$3 out rc
	shift 3
	out=$(crm_q "$CRM_CIB" configure primitive "$id" "$@")
	rc=$?
	out=$(grep -v 'WARNING: (cluster_status)' <<<"$out" | paste -sd' ' -)
	t_match "$name" "1 $glob" "$rc $out"
	if crm_has_primitive "$id"; then
		t_fail "${name}_leaves_no_primitive" "the CIB file has $id"
	else
		t_ok "${name}_leaves_no_primitive"
	fi
}

CRM_CIB=$TMP/crmsh-cib.xml
if ! command -v crm >/dev/null; then
	t_fail crmsh_installed "crm not found (run tests/deps.sh)"
elif ! cibadmin --empty >"$CRM_CIB"; then
	t_fail crmsh_empty_cib "cibadmin --empty failed"
else
	crm_list=$(crm_q "$CRM_CIB" ra list stonith | tr -s ' \t' '\n\n')
	for a in $CRM_AGENTS; do
		if grep -qx "$a" <<<"$crm_list"; then
			t_ok "crmsh_ra_list_stonith_lists_$a"
		else
			t_fail "crmsh_ra_list_stonith_lists_$a" "$(grep -c . <<<"$crm_list") agents, not $a"
		fi
		info=$(crm_q "$CRM_CIB" ra info "stonith:$a")
		t_match "crmsh_ra_info_${a}_shows_a_parameter_table" \
			"*Parameters (\*: required, \[\]: default):*" "$info"
		t_eq "crmsh_ra_info_${a}_marks_exactly_the_required_parameters" \
			"$(md_required "$a")" "$(crm_required "$a")"
	done
	t_eq crmsh_ra_info_marks_the_demo_plugins_required_parameters \
		"st_hostlist st_token" "$(crm_required fence_hb_hbwrap-st-demo)"

	# The shim's agent: both required parameters of the plugin, then one.
	crm_refused crmsh_refuses_fence_hb_without_required_st_token C-missing \
		'*ERROR: C-missing: required parameter "st_token" not defined*' \
		stonith:fence_hb_hbwrap-st-demo params st_hostlist=n1
	crm_refused crmsh_refuses_fence_hb_unknown_parameter C-unknown \
		'*ERROR: C-unknown: parameter "no_such_param" is not known*' \
		stonith:fence_hb_hbwrap-st-demo params st_hostlist=n1 st_token=t no_such_param=1
	crm_refused crmsh_refuses_fence_ipmilan_unknown_parameter C-ipmi-unknown \
		'*ERROR: C-ipmi-unknown: parameter "no_such_param" is not known*' \
		stonith:fence_ipmilan params ip=192.0.2.1 no_such_param=1
	if out=$(crm_q "$CRM_CIB" configure primitive C-demo stonith:fence_hb_hbwrap-st-demo \
		params st_hostlist="n1 n2" st_token=t st_port=4243) && crm_has_primitive C-demo; then
		t_ok crmsh_accepts_fence_hb_with_its_required_parameters
	else
		t_fail crmsh_accepts_fence_hb_with_its_required_parameters "$out"
	fi
	if out=$(crm_q "$CRM_CIB" configure primitive C-ipmi stonith:fence_ipmilan \
		params ip=192.0.2.1 username=u password=p lanplus=1) && crm_has_primitive C-ipmi; then
		t_ok crmsh_accepts_fence_ipmilan_with_its_parameters
	else
		t_fail crmsh_accepts_fence_ipmilan_with_its_parameters "$out"
	fi
	# verify sees no cluster (no status section): its warnings are about
	# that (crmsh 4: "(cluster_status)"; crmsh 5 adds "disabled due to
	# lack of quorum"), not about the configuration.
	out=$(crm_q "$CRM_CIB" configure verify)
	rc=$?
	t_eq crmsh_configure_verify_is_clean "0 " \
		"$rc $(grep -v -e '(cluster_status)' -e 'Cluster is not running' -e 'due to lack of quorum' <<<"$out" | paste -sd' ' -)"
fi
