# shellcheck shell=bash
#
# RHEL-like phase of the one-node cluster suite (sourced by run.sh once the
# main cluster is stopped and checked).  The main phase keeps cluster-glue
# visible, because it compares the shim with Pacemaker's native
# stonith:external road, which needs it.  Here the cluster runs again with
# cluster-glue hidden from pacemakerd and its children (CLUSTER_GLUE=hidden,
# as Pacemaker is built on RHEL), and:
#   - the fencer's world really is RHEL's: external/ipmi has no metadata;
#   - a native stonith:external device cannot fence (nothing to load);
#   - the shim's device fences through the same plugin all the same.

if [ "$shim_ok" = yes ]; then
	CLUSTER_DIR=
	CLUSTER_GLUE=hidden
	if cluster_start; then
		t_ok "rhel: cluster starts with cluster-glue hidden from Pacemaker"
		REC_RHEL=$CLUSTER_DIR/rhel-rec.log
		REC_RHEL_NATIVE=$CLUSTER_DIR/rhel-native.log
		# --root: in a chroot, entering a mount namespace would
		# otherwise leave crm_resource at the namespace's real root.
		if nsenter --target "$CLUSTER_PACEMAKERD_PID" --mount --root \
			crm_resource --show-metadata stonith:external/ipmi >/dev/null 2>&1; then
			t_fail "rhel: stonith:external/ipmi has no metadata in Pacemaker's namespace" "crm_resource succeeded"
		else
			t_ok "rhel: stonith:external/ipmi has no metadata in Pacemaker's namespace"
		fi
		create_device rhel-shim fence_hb_hbwrap-t-record \
			hostlist=ghost7 record_file="$REC_RHEL"
		# pcs runs outside and still sees cluster-glue; cibadmin takes the
		# native device as RHEL's pcs --force would.
		cibadmin --create -o resources -X "<primitive id=\"rhel-native\" class=\"stonith\" type=\"external/hbwrap-t-record\"><instance_attributes id=\"rhel-native-ia\"><nvpair id=\"rhel-native-h\" name=\"hostlist\" value=\"ghost8\"/><nvpair id=\"rhel-native-r\" name=\"record_file\" value=\"$REC_RHEL_NATIVE\"/><nvpair id=\"rhel-native-l\" name=\"pcmk_host_list\" value=\"ghost8\"/><nvpair id=\"rhel-native-c\" name=\"pcmk_host_check\" value=\"static-list\"/></instance_attributes></primitive>"
		if cluster_wait "rhel-shim to register" 30 registered rhel-shim; then
			t_ok "rhel: shim device registered"
		else
			t_fail "rhel: shim device registered" "$(stonith_admin --list-registered 2>&1 | paste -sd' ')"
		fi
		if fence ghost7 && [ -n "$(reset_line "$REC_RHEL" ghost7)" ]; then
			t_ok "rhel: the shim fences ghost7 through the plugin"
		else
			t_fail "rhel: the shim fences ghost7 through the plugin" "$(op_counts "$REC_RHEL")"
		fi
		if fence ghost8; then
			t_fail "rhel: the native stonith:external device cannot fence ghost8" "stonith_admin succeeded"
		else
			t_eq "rhel: the native stonith:external device cannot fence ghost8" "" \
				"$(reset_line "$REC_RHEL_NATIVE" ghost8)"
		fi
		for d in rhel-shim rhel-native; do
			cibadmin --delete -o resources -X "<primitive id=\"$d\"/>" >/dev/null 2>&1
		done
	else
		t_fail "rhel: cluster starts with cluster-glue hidden from Pacemaker" "see the messages above"
	fi
	echo "logs of the RHEL-like phase kept in $CLUSTER_DIR"
	cluster_stop
	if cluster_check_clean; then
		t_ok "rhel: cluster stopped; no daemon left; /etc and cluster state as found"
	else
		t_fail "rhel: cluster stopped; no daemon left; /etc and cluster state as found" "see the messages above"
	fi
	CLUSTER_GLUE=visible
fi
