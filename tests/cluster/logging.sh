# Cluster suite, sourced by tests/cluster/run.sh after the shim road has
# rebooted ghost1 (a reset that succeeds and logs through ha_log.sh info)
# and ghost3 (one that fails): pacemaker-fenced logs every stderr line of
# an agent as a warning, so the success must leave none in its log, the
# failure must (issue 10: quiet on success, loud on failure).

# agent_stderr_logged WHAT: the fencer logged an agent stderr line
# holding WHAT.
agent_stderr_logged() {
	grep -q "stderr.*$1" "$CLUSTER_DIR/pacemaker.log" 2>/dev/null
}

if cluster_wait "the fencer's log of ghost3's failed reset" 10 \
	agent_stderr_logged "reset ghost3"; then
	t_ok "shim: a failed reboot's plugin messages are in the fencer's log"
else
	t_fail "shim: a failed reboot's plugin messages are in the fencer's log" \
		"$(grep -c stderr "$CLUSTER_DIR/pacemaker.log") stderr lines, none for ghost3"
fi
t_eq "shim: a successful reboot logs no agent stderr in the fencer's log" "" \
	"$(grep "stderr.*reset ghost1" "$CLUSTER_DIR/pacemaker.log" | head -n 3)"
