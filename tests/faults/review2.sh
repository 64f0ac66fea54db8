# Faults rows for the second security review (issue 15, part 2 items 2
# to 6, 8 and 9): the guardian's mark, the plugin directory through a
# link, the log directory through a link, a dead guardian, the target's
# case for status, nodename's checks, a plugin that cannot be started.
# Sourced by tests/faults/run.sh (uses its tcase, bad, $REC, $PLUGINS).

# ---- item 2: the mark survives any length of declared parameters -------

# bigenv_sigkill_case: two declared parameters of 64,000 bytes each
# before the mark used to push it out of what the guardian read; the
# setsid'd descendant of a plugin must still go when the shim is killed.
bigenv_sigkill_case() {
	local pad
	pad=$(head -c 64000 /dev/zero | tr '\0' x)
	sigkill_case escape shim_killed_with_128k_of_parameters_leaves_no_escaped_descendant \
		"$(printf 'pad1=%s\npad2=%s' "$pad" "$pad")"
}
bigenv_sigkill_case

# ---- item 3: the plugin directory spelled through another user's link ---

# A link owned by nobody in a root-owned sticky directory can be
# re-pointed by nobody at any time: the shim must execute the resolved
# path it checked, never the path through the link.
STICKY=$T/sticky
mkdir -m 1777 "$STICKY"
ln -s "$PLUGINS" "$STICKY/plugins"
chown -h nobody "$STICKY/plugins"
chk_ran_resolved_path() {
	has_line "$REC/argv0" "$(realpath "$PLUGINS")/record" ||
		bad "the plugin ran as [$(cat "$REC/argv0" 2>/dev/null)], not through the checked directory"
}
SHIM_ENV="FENCE_HBWRAP_PLUGIN_DIR=$STICKY/plugins" \
	tcase plugin_dir_through_a_link_of_another_user_runs_the_checked_path 0 "" \
	chk_ran_resolved_path <<EOF
plugin=record
port=n1
rec_dir=$REC
EOF

# ---- item 4: the log directory through a symbolic link -----------------

LINKTARGET=$T/log-link-target
mkdir -m 0755 "$LINKTARGET"
ln -s "$LINKTARGET" "$T/log-link"
chk_log_link_refused() {
	[ "$(grep -c "^$P: warning: debug_file '" "$ERRF")" -eq 1 ] ||
		bad "expected one debug_file warning: [$(head -c 400 "$ERRF")]"
	[ -z "$(ls -A "$LINKTARGET")" ] || bad "written through the link: $(ls -A "$LINKTARGET")"
	has_line "$REC/call" "op=reset" || bad "the fence did not run"
}
SHIM_ENV="FENCE_HBWRAP_LOG_DIR=$T/log-link" \
	tcase log_dir_that_is_a_symlink_is_a_warning_and_the_fence_runs 0 \
	"$P: warning: debug_file '$T/log-link/debug' ignored: *" chk_log_link_refused <<EOF
plugin=record
port=n1
rec_dir=$REC
debug_file=$T/log-link/debug
EOF

# ---- item 5: a guardian killed during a reset --------------------------

# dead_guardian_case: the gate plugin's reset waits on a FIFO; meanwhile
# the guardian (found by its argv, a child of the shim) is killed and
# seen dead; then the reset is let through. The shim must report the
# reset done (exit 0), with a warning, not die of SIGPIPE.
dead_guardian_case() {
	local name=dead_guardian_is_a_warning_and_the_reset_is_reported_done g="" st rc
	local deadline
	REASONS=""
	mkfifo "$REC/gate"
	printf 'plugin=gate\nport=n1\nplugin_timeout=60\nrec_dir=%s\n' "$REC" >"$T/in"
	start_bg "$T/in"
	deadline=$(($(now_ms) + 5000))
	while [ -z "$g" ] && [ "$(now_ms)" -lt "$deadline" ]; do
		g=$(ps -e -o pid=,ppid=,args= |
			awk -v s="$BGPID" '$2 == s && $3 == "fence_hbwrap-guardian" {print $1}')
		[ -n "$g" ] || sleep 0.05
	done
	if [ -z "$g" ] || ! wait_lines "$REC/pids" 1 5; then
		t_fail "$name" "no guardian or no plugin: $(head -c 300 "$T/bgerr")"
		kill -KILL "$BGPID"
		echo go >"$REC/gate" &
		wait "$BGPID" 2>/dev/null
		reset_dirs
		return
	fi
	kill -KILL "$g"
	# Dead (a zombie the shim has not reaped) before the reset ends.
	deadline=$(($(now_ms) + 5000))
	while :; do
		st=$(sed -n 's/^.*) \([A-Z]\).*/\1/p' "/proc/$g/stat" 2>/dev/null)
		{ [ -z "$st" ] || [ "$st" = Z ]; } && break
		[ "$(now_ms)" -ge "$deadline" ] && break
		sleep 0.05
	done
	echo go >"$REC/gate"
	wait "$BGPID"
	rc=$?
	[ "$rc" -eq 0 ] || bad "exit $rc, expected 0: $(head -c 300 "$T/bgerr")"
	has_line "$REC/done" "reset n1" || bad "the reset did not complete"
	grep -q "^$P: warning: .*guardian" "$T/bgerr" ||
		bad "no warning about the guardian: [$(head -c 300 "$T/bgerr")]"
	! grep -q "^$P: error:" "$T/bgerr" || bad "an error line: $(grep "^$P: error:" "$T/bgerr")"
	if [ -z "$REASONS" ]; then t_ok "$name"; else t_fail "$name" "$REASONS"; fi
	reset_dirs
}
dead_guardian_case

# ---- item 6: status lowercases the target as reboot does ---------------

tcase status_lowercases_a_mixed_case_target_like_reboot 0 "" - <<EOF
plugin=record
action=status
port=Node2
hostlist=node1 node2
rec_dir=$REC
EOF

tcase status_with_keep_case_compares_the_target_as_given 1 \
	"$P: error: plugin record: 'Node2' is not one of the hosts gethosts lists*" - <<EOF
plugin=record
action=status
port=Node2
keep_case=1
hostlist=node1 node2
rec_dir=$REC
EOF

# ---- item 8: nodename gets the target's checks even beside a port ------

tcase nodename_starting_with_dash_is_refused_beside_a_port 1 \
	"$P: error: target '-oProxyCommand=x' refused: *" chk_not_run <<EOF
plugin=record
port=n1
nodename=-oProxyCommand=x
rec_dir=$REC
EOF

printf 'plugin=record\nport=n1\nnodename=n1\033[2Jforged\nrec_dir=%s\n' "$REC" >"$T/nodename-ctl"
tcase nodename_with_a_control_character_is_refused_beside_a_port 1 \
	"$P: error: target '*' refused: it holds a control character*" chk_not_run <"$T/nodename-ctl"

tcase nodename_with_dash_on_the_command_line_is_refused_beside_a_port 1 \
	"$P: error: target '-x' refused: *" chk_not_run \
	--plugin=record -o reboot --port=n1 --nodename=-x --rec_dir="$REC" </dev/null

# ---- item 9: the deny-list, and a plugin that cannot be started --------

for name in CURL_HOME CURL_CA_BUNDLE WGETRC SYSTEM_WGETRC SNMPCONFPATH MIBDIRS \
	TCL_LIBRARY TK_LIBRARY INPUTRC GIT_SSH_COMMAND; do
	tcase "declared_${name}_is_refused_not_exported" 1 \
		"$P: error: parameter '$name' refused: it is never passed to a plugin*" \
		chk_not_run <<EOF
plugin=toolcfg
port=n1
rec_dir=$REC
$name=$T/evil
EOF
done

# Under `ulimit -n 6` no plugin call can start: that is "could not run
# the plugin", one error, never "the plugin declares none".
printf '#!/bin/sh\nulimit -n 6\nexec "$@"\n' >"$T/lowfd6"
chmod 0755 "$T/lowfd6"
chk_no_declares_none() {
	! grep -q "declares: none" "$ERRF" || bad "said the plugin declares none: $(cat "$ERRF")"
	chk_not_run
}
SHIM_WRAP=$T/lowfd6 tcase plugin_that_cannot_be_started_is_could_not_run_not_declares_none 1 \
	"$P: error: could not run the plugin *" chk_no_declares_none <<EOF
plugin=record
port=n1
hostlist=n1
rec_dir=$REC
EOF
