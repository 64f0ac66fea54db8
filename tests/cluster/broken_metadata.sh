# shellcheck shell=bash
# Sourced by tests/cluster/run.sh in the live cluster (issue 10, item 1):
# a plugin whose getinfo-xml holds an unescaped & in a description.
#
# Before, the shim's metadata failed for it; pcs needed --force, and the
# fencer then registered the device without metadata: it used the device
# for ANY node (no list, so no host check) and remapped reboot to off.
# Now the device is created without --force and behaves as described:
# it fences only the hosts gethosts lists, and a reboot is the plugin's
# reset. Pacemaker's native road (cluster-glue) refuses the same plugin.
#
# Uses run.sh's helpers: install_plugin, link_shim, create_device, fence,
# cluster_wait, registered, history_status; adds its device to DEVICES.

AMP=hbwrap-amp
AMP_REC=$CLUSTER_DIR/amp-rec.log
AMP_SRC=$HERE/../plugins/hbwrap-flawed

if [ "$shim_ok" = yes ]; then
	if [ -e "$PLUGIN_DIR/$AMP" ] && ! cmp -s "$AMP_SRC" "$PLUGIN_DIR/$AMP"; then
		t_fail "broken metadata: $AMP installed" "$PLUGIN_DIR/$AMP exists and is not ours"
	else
		INSTALLED+=("$PLUGIN_DIR/$AMP")
		install -o root -g root -m 0755 "$AMP_SRC" "$PLUGIN_DIR/$AMP"
		link_shim "$AMP"

		# The native road: cluster-glue's metadata is the plugin's XML
		# as it is, and pcs refuses it.
		out=$(pcs stonith create amp-native "external/$AMP" hostlist=ghost21 2>&1)
		t_match "broken metadata: native road: pcs refuses external/$AMP" \
			"*does not provide valid metadata*xmlParseEntityRef*" "$? $out"
		# cluster-glue's stonith itself runs the plugin's reset.
		stonith -t "external/$AMP" hostlist=ghost21 record_file="$AMP_REC.glue" \
			-T reset ghost21 >/dev/null 2>&1
		t_eq "broken metadata: cluster-glue stonith gives the plugin reset ghost21" \
			"reset ghost21" "$(grep '^reset' "$AMP_REC.glue" 2>/dev/null)"

		# The shim road: no --force needed. pcs 0.12 runs validate-all
		# and shows its warnings (the flaw, read by recovery): nothing
		# else may be said; pcs 0.11 says nothing.
		out=$(pcs stonith create amp-shim "fence_hb_$AMP" hostlist=ghost21 \
			record_file="$AMP_REC" 2>&1)
		rc=$?
		out=$(grep -v -e '^Warning: Validating resource options using the resource agent' \
			-e '^Warning: Validation result from agent:' \
			-e "^ *fence_hb_$AMP: warning: plugin $AMP: " <<<"$out")
		t_eq "broken metadata: shim road: pcs stonith create without --force prints nothing but the agent's warnings" \
			"0:" "$rc:$out"
		DEVICES="$DEVICES amp-shim"
		if cluster_wait "amp-shim to register" 30 registered amp-shim; then
			t_ok "broken metadata: amp-shim registered"
		else
			t_fail "broken metadata: amp-shim registered" "$(stonith_admin --list-registered 2>&1 | paste -sd' ')"
		fi
		t_eq "broken metadata: amp-shim is the device for ghost21" \
			"amp-shim" "$(stonith_admin --list ghost21 2>/dev/null | grep -x amp-shim)"
		t_eq "broken metadata: amp-shim is no device for ghost22 (gethosts does not list it)" \
			"" "$(stonith_admin --list ghost22 2>/dev/null | grep -x amp-shim)"

		if fence ghost21; then
			t_ok "broken metadata: reboot ghost21 succeeds"
		else
			t_fail "broken metadata: reboot ghost21 succeeds" "stonith_admin failed"
		fi
		t_eq "broken metadata: reboot stays the plugin's reset (not off)" \
			"reset ghost21" "$(grep -E '^(reset|off|on) ' "$AMP_REC" 2>/dev/null | paste -sd' ' -)"
		t_eq "broken metadata: history shows ghost21 fenced" success "$(history_status ghost21)"

		if fence ghost22; then
			t_fail "broken metadata: reboot ghost22 (not listed) fails" "stonith_admin succeeded"
		else
			t_ok "broken metadata: reboot ghost22 (not listed) fails"
		fi
		t_eq "broken metadata: the plugin was never asked to act on ghost22" "" \
			"$(grep -E '^(reset|off|on) ghost22' "$AMP_REC" "$AMP_REC.glue" 2>/dev/null)"
		if grep -q "Could not retrieve metadata for fencing agent fence_hb_$AMP" \
			"$CLUSTER_DIR"/*.log 2>/dev/null; then
			t_fail "broken metadata: the fencer got the agent's metadata" "pacemaker's log says it could not"
		else
			t_ok "broken metadata: the fencer got the agent's metadata"
		fi
	fi
fi
