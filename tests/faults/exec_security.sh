# Faults rows for the execution path (issue 9 items 1, 3, 5; issue 10
# items 3, 4): what reaches the plugin, how it is run, what is left.
# Sourced by tests/faults/run.sh (uses its tcase, bad, $REC, $PLUGINS).

# ---- only declared parameters reach the plugin ------------------------

# Each of these made a real plugin misbehave as root (issue 9 item 1);
# hostlsit is a typo that used to pass unnoticed.
for name in CURL_HOME WGETRC TCL_LIBRARY LANGUAGE SNMP_PERSISTENT_DIR hostlsit; do
	tcase "undeclared_${name}_never_reaches_the_plugin" 1 \
		"$P: error: parameter '$name' refused: plugin record does not declare it (it declares: *rec_dir*)" \
		chk_not_run <<EOF2
plugin=record
port=n1
rec_dir=$REC
$name=$T/evil
EOF2
done

chk_declared_reach() {
	has_line "$REC/env.reset" "hostlist=n1 n2" || bad "hostlist did not reach the plugin"
	has_line "$REC/env.reset" "passwd=pw" || bad "passwd did not reach the plugin"
	has_line "$REC/env.reset" "nodename=n1" || bad "nodename did not reach the plugin"
}
tcase declared_parameters_and_nodename_still_reach_the_plugin 0 "" chk_declared_reach <<EOF2
plugin=record
nodename=n1
rec_dir=$REC
hostlist=n1 n2
passwd=pw
EOF2

tcase validate_all_names_an_undeclared_parameter 1 \
	"$P: error: parameter 'hostlsit' refused: plugin record does not declare it*" - <<EOF2
plugin=record
action=validate-all
rec_dir=$REC
hostlsit=n1
EOF2

tcase plugin_declaring_nothing_refuses_any_parameter 1 \
	"$P: error: parameter 'hostlist' refused: plugin nothing does not declare it (it declares: none)" - <<EOF2
plugin=nothing
port=n1
hostlist=n1
EOF2

tcase plugin_declaring_nothing_still_fences_with_nodename 0 "" - <<EOF2
plugin=nothing
nodename=n1
EOF2

# The real cluster-glue plugin that posted its credentials with CURL_HOME.
if [ -x /usr/lib/stonith/plugins/external/hetzner ]; then
	install -m 0755 /usr/lib/stonith/plugins/external/hetzner "$PLUGINS/hetzner"
	tcase real_hetzner_plugin_never_gets_CURL_HOME 1 \
		"$P: error: parameter 'CURL_HOME' refused: plugin hetzner does not declare it (it declares: hostname, remote_ip)" - <<EOF2
plugin=hetzner
port=n1
hostname=n1
remote_ip=192.0.2.1
CURL_HOME=$T
EOF2
fi

# ---- what cluster-glue gives a plugin, the shim gives too -------------

# The hybrid plugin records "op=OP target=T port=P tool=found|missing".
mkdir -p "$T/localbin"
printf '#!/bin/sh\nexit 0\n' >"$T/localbin/hbwrap-devtool"
chmod 0755 "$T/localbin/hbwrap-devtool"

chk_hybrid() {
	has_line "$REC/calls" "$1" || bad "plugin recorded [$(cat "$REC/calls" 2>/dev/null)], expected [$1]"
}
chk_port_is_target() { chk_hybrid "op=reset target=node2 port=node2 tool=missing"; }
tcase declared_port_gets_the_target_and_the_target_is_lowercased 0 "" chk_port_is_target <<EOF2
plugin=hybrid
plug=Node2
rec_dir=$REC
EOF2

chk_keep_case() { chk_hybrid "op=off target=Node2 port=Node2 tool=missing"; }
tcase keep_case_passes_the_target_as_given 0 "" chk_keep_case <<EOF2
plugin=hybrid
action=off
port=Node2
keep_case=1
rec_dir=$REC
EOF2

chk_tool_found() { chk_hybrid "op=reset target=node1 port=node1 tool=found"; }
SHIM_ENV="PATH=:.:relative:$T/localbin:/usr/bin:/bin" \
	tcase device_tool_on_the_callers_path_is_found 0 "" chk_tool_found <<EOF2
plugin=hybrid
port=node1
rec_dir=$REC
EOF2

tcase path_from_a_request_stays_refused 1 "$P: error: parameter 'PATH' refused*" chk_not_run <<EOF2
plugin=hybrid
port=node1
rec_dir=$REC
PATH=$T/localbin
EOF2

# The same plugin through cluster-glue's own stonith command: the roads
# must agree on the target's case and on PATH (the plugin has to be in
# cluster-glue's plugin directory for that, so as root only).
CG_DIR=/usr/lib/stonith/plugins/external
if [ "$(id -u)" -eq 0 ] && command -v stonith >/dev/null && [ -d "$CG_DIR" ]; then
	install -m 0755 "$PLUGINS/hybrid" "$CG_DIR/hbwrap-t-hybrid"
	PATH="$T/localbin:$PATH" stonith -t external/hbwrap-t-hybrid \
		port=ignored rec_dir="$REC" -T reset Node2 >/dev/null 2>&1
	cg=$(sed 's/ port=[^ ]*//' "$REC/calls" 2>/dev/null)
	reset_dirs
	SHIM_ENV="PATH=$T/localbin:/usr/bin:/bin" run_shim /dev/stdin <<EOF2
plugin=hybrid
port=Node2
rec_dir=$REC
EOF2
	t_eq shim_and_cluster_glue_give_the_plugin_the_same_target_and_path \
		"$cg" "$(sed 's/ port=[^ ]*//' "$REC/calls" 2>/dev/null)"
	rm -f "$CG_DIR/hbwrap-t-hybrid"
	reset_dirs
fi

# ---- nothing outlives a timeout, and the shim always returns ----------

# Bound: plugin_timeout 2 s + the 2 s kill grace + 1 s.
chk_escape_bounded() {
	[ "$ELAPSED_MS" -le 5500 ] || bad "took $ELAPSED_MS ms, more than timeout + grace + 1 s"
	chk_group_gone
}
MAXT=8 tcase escaping_plugin_times_out_in_bounded_time_and_leaves_nothing 1 \
	"$P: error: plugin escape: reset n1 timed out after 2 s*" chk_escape_bounded <<EOF2
plugin=escape
port=n1
plugin_timeout=2
rec_dir=$REC
EOF2

# The guardian covers what left the plugin's group and session too.
sigkill_case escape shim_killed_by_sigkill_leaves_no_escaped_descendant

# A failed start (no descriptor left) signals only what was started:
# never kill(0, ...), which would end the shim's own process group.
printf '#!/bin/sh\nulimit -n 7\nexec "$@"\n' >"$T/lowfd"
chmod 0755 "$T/lowfd"
SHIM_WRAP=$T/lowfd tcase failed_start_is_an_error_not_a_kill_of_our_group 1 \
	"*cannot create a pipe*" - <<EOF2
plugin=record
action=status
port=n1
EOF2

# An inherited SIGCHLD=SIG_IGN made every wait fail: reset at start-up.
cat >"$T/ignchld" <<'EOF2'
#!/usr/bin/python3
import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execvp(sys.argv[1], sys.argv[1:])
EOF2
chmod 0755 "$T/ignchld"
MAXT=5 SHIM_WRAP=$T/ignchld tcase inherited_ignored_sigchld_does_not_stall_the_shim 0 "" - <<EOF2
plugin=record
port=n1
rec_dir=$REC
EOF2

# Secrets on a command line are visible in ps: the guardian shows none.
guardian_argv_case() {
	local name=guardian_argv_shows_no_parameters g args
	start_bg_argv() {
		env --default-signal=INT "$BIN" --plugin=hang --port=n1 \
			--plugin-timeout=60 --rec-dir="$REC" --ignore-term=S3cretArg \
			</dev/null >"$T/bgout" 2>"$T/bgerr" &
		BGPID=$!
		BG_PIDS="$BG_PIDS $BGPID"
	}
	start_bg_argv
	if ! wait_lines "$REC/pids" 2 5; then
		t_fail "$name" "the plugin did not start: $(head -c 300 "$T/bgerr")"
	else
		g=$(ps -e -o pid=,sid=,args= | awk -v s="$BGPID" '$1 != s && $3 ~ /fence_hbwrap/ {print $1}' | head -n 20)
		args=$(for p in $g; do tr '\0' ' ' <"/proc/$p/cmdline"; echo; done)
		case "$args" in
		*S3cretArg*) t_fail "$name" "a process shows the parameter: [$args]" ;;
		*fence_hbwrap-guardian*) t_ok "$name" ;;
		*) t_fail "$name" "no guardian found: [$args]" ;;
		esac
	fi
	kill -TERM "$BGPID"
	wait "$BGPID" 2>/dev/null
	reset_dirs
}
guardian_argv_case

# ---- smaller items -----------------------------------------------------

tcase target_starting_with_a_dash_is_refused 1 \
	"$P: error: target '--help' refused: a node name never starts with '-'" chk_not_run <<EOF2
plugin=record
port=--help
rec_dir=$REC
EOF2

tcase target_like_an_ssh_option_is_refused 1 \
	"$P: error: target '-oProxyCommand=touch *' refused: a node name never starts with '-'" chk_not_run <<EOF2
plugin=record
port=-oProxyCommand=touch $T/pwned6
rec_dir=$REC
EOF2

printf 'plugin=record\nport=n1\rfence_hbwrap: error: forged\nrec_dir=%s\n' "$REC" >"$T/cr.in"
tcase target_with_a_control_character_is_refused 1 \
	"$P: error: target 'n1\\\\x0dfence_hbwrap: error: forged' refused: it holds a control character" \
	chk_not_run <"$T/cr.in"

tcase action_then_option_with_another_value_is_refused 1 \
	"$P: error: option 'action' given twice with different values ('reboot', then 'on')" chk_not_run <<EOF2
plugin=record
action=reboot
port=n1
option=on
rec_dir=$REC
EOF2

# A plugin directory another user owns: that user could swap the file
# between its check and its execution, so it is refused outright.
if [ "$(id -u)" -eq 0 ]; then
	mkdir -p "$T/userdir"
	install -m 0755 "$PLUGINS/record" "$T/userdir/record"
	chown nobody "$T/userdir"
	SHIM_ENV="FENCE_HBWRAP_PLUGIN_DIR=$T/userdir" \
		tcase plugin_directory_owned_by_another_user_is_refused 1 \
		"$P: error: plugin 'record' cannot be used: directory $T/userdir is owned by uid $(id -u nobody)*" \
		chk_not_run <<EOF2
plugin=record
port=n1
rec_dir=$REC
EOF2
fi
chmod 0775 "$PLUGINS"
tcase group_writable_plugin_directory_is_refused 1 \
	"$P: error: plugin 'record' cannot be used: directory $PLUGINS is writable by its group*" \
	chk_not_run <<EOF2
plugin=record
port=n1
rec_dir=$REC
EOF2
chmod 0755 "$PLUGINS"

# ---- the declared names and the metadata cache ------------------------

# The rows above run with the cache off (every call asks the plugin);
# these use one: a hit, an edited plugin (a new key: asked again), and a
# garbled entry (a miss: asked again) all give the plugin's own answer.
cache_case() {
	local name=declared_names_follow_the_plugin_file_not_a_stale_cache c=$T/cache
	REASONS=""
	rm -rf "$c"
	install -m 0755 "$PLUGINS/record" "$PLUGINS/evolving"
	printf 'plugin=evolving\nport=n1\nrec_dir=%s\nlate=1\n' "$REC" >"$T/in"
	SHIM_ENV="FENCE_HBWRAP_CACHE_DIR=$c" run_shim "$T/in"
	[ "$RC" -eq 1 ] || bad "undeclared late= accepted (exit $RC)"
	[ -n "$(ls "$c" 2>/dev/null)" ] || bad "nothing was kept in the cache"
	sed -i 's/^\techo VI_CREDSTORE client_secret$/&\n\techo late/' "$PLUGINS/evolving"
	SHIM_ENV="FENCE_HBWRAP_CACHE_DIR=$c" run_shim "$T/in"
	[ "$RC" -eq 0 ] || bad "after the plugin declared late=, exit $RC: $(head -c 300 "$ERRF")"
	for f in "$c"/*; do echo garbage >"$f"; done
	SHIM_ENV="FENCE_HBWRAP_CACHE_DIR=$c" run_shim "$T/in"
	[ "$RC" -eq 0 ] || bad "with a garbled cache, exit $RC: $(head -c 300 "$ERRF")"
	has_line "$REC/env.reset" "late=1" || bad "late= did not reach the plugin"
	rm -f "$PLUGINS/evolving"
	if [ -z "$REASONS" ]; then t_ok "$name"; else t_fail "$name" "$REASONS"; fi
	reset_dirs
}
cache_case
