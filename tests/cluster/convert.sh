# shellcheck shell=bash
#
# Live part of fence_hbwrap --convert-cib, sourced by tests/cluster/run.sh
# once its devices have run: the running cluster's CIB, which holds
# native-rec as stonith:external/hbwrap-t-record (the Debian road), goes
# through --convert-cib and back in with cibadmin --replace; the cluster
# must restart native-rec as fence_hb_hbwrap-t-record and fence through
# it, the plugin now run by the shim.
#
# Uses run.sh's helpers and variables (SHIM, shim_ok, REC_NATIVE, fence,
# reset_line, field, history_status, cluster_wait).

# native_rec_converted: the cluster runs native-rec as the shim's agent.
native_rec_converted() {
	crm_mon -1 2>/dev/null |
		grep -q "native-rec.*(stonith:fence_hb_hbwrap-t-record):.*Started"
}

# convert_live: the whole step (a function, so that its variables stay
# local to it).
convert_live() {
	local cv=$CLUSTER_DIR/convert epoch out rc line
	mkdir -p "$cv" || return 1
	cibadmin --query >"$cv/old.xml"
	"$SHIM" --convert-cib "$cv/old.xml" >"$cv/new.xml" 2>"$cv/report"
	rc=$?
	cat "$cv/report"
	t_eq "convert: the running cluster's CIB converts (exit 0)" 0 "$rc"
	t_match "convert: native-rec becomes fence_hb_hbwrap-t-record" \
		"*primitive native-rec: stonith:external/hbwrap-t-record -> stonith:fence_hb_hbwrap-t-record*" \
		"$(cat "$cv/report")"
	t_eq "convert: only native-rec's type changed" \
		'<       <primitive id="native-rec" class="stonith" type="external/hbwrap-t-record">
---
>       <primitive id="native-rec" class="stonith" type="fence_hb_hbwrap-t-record">' \
		"$(diff "$cv/old.xml" "$cv/new.xml" | tail -n +2)"
	# As pcs cluster cib-push does: the cluster takes a CIB only if it is
	# newer than its own, whose status has moved on since the query.
	epoch=$(xmllint --xpath 'string(/cib/@epoch)' "$cv/new.xml")
	sed -i "1,/<cib /s/ epoch=\"$epoch\"/ epoch=\"$((epoch + 1))\"/" "$cv/new.xml"
	out=$(cibadmin --replace --xml-file "$cv/new.xml" 2>&1)
	t_eq "convert: cibadmin --replace accepts the converted CIB" "0:" "$?:$out"
	if cluster_wait "native-rec to restart as fence_hb_hbwrap-t-record" 60 \
		native_rec_converted; then
		t_ok "convert: the cluster runs native-rec as stonith:fence_hb_hbwrap-t-record"
	else
		t_fail "convert: the cluster runs native-rec as stonith:fence_hb_hbwrap-t-record" \
			"$(crm_mon -1 2>&1 | grep native-rec)"
	fi
	t_eq "convert: crm_verify -L passes on the converted cluster" "" "$(crm_verify -L 2>&1)"
	if fence ghost5; then
		t_ok "convert: reboot ghost5 through the converted device succeeds"
	else
		t_fail "convert: reboot ghost5 through the converted device succeeds" "stonith_admin failed"
	fi
	line=$(reset_line "$REC_NATIVE" ghost5)
	t_eq "convert: the reset of ghost5 ran under the shim (its ha_log.sh)" \
		/usr/libexec/fence-heartbeat-wrap/ha_log.sh "$(field halog_path "$line")"
	t_eq "convert: history shows ghost5 fenced" success "$(history_status ghost5)"
}

if [ "$shim_ok" = yes ]; then
	convert_live
fi
