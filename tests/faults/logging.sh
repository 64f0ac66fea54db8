# Faults suite, sourced by tests/faults/run.sh: what the shim logs and
# where (issue 9: the debug file, masking; issue 10: quiet on success).
# Uses run.sh's tcase, bad, has_line, $T, $P and the chatty plugin.

# ======================================================================
# debug_file from stdin: only in the log directory, never a reason not
# to fence. The log directory is $FENCE_HBWRAP_LOG_DIR here.
# ======================================================================

LOGDIR=$T/logging-dir
OUTSIDE=$T/logging-outside
mkdir -m 0755 "$LOGDIR" "$OUTSIDE"
LOG_ENV="FENCE_HBWRAP_LOG_DIR=$LOGDIR"

# chk_one_warning: stderr holds one warning about the debug file.
chk_one_warning() {
	[ "$(grep -c "^$P: warning: debug_file '" "$ERRF")" -eq 1 ] ||
		bad "expected one debug_file warning: [$(head -c 400 "$ERRF")]"
}

chk_nothing_outside() {
	chk_one_warning
	[ -z "$(ls -A "$OUTSIDE")" ] || bad "created outside the log directory: $(ls -A "$OUTSIDE")"
}
SHIM_ENV=$LOG_ENV tcase request_debug_file_outside_log_dir_creates_nothing_and_fences 0 \
	"$P: warning: debug_file '$OUTSIDE/x' ignored: from stdin, only a file directly in $LOGDIR is accepted*" \
	chk_nothing_outside <<EOF
plugin=chatty
port=n1
debug_file=$OUTSIDE/x
EOF

SHIM_ENV=$LOG_ENV tcase request_debug_file_dotdot_out_of_log_dir_creates_nothing 0 \
	"$P: warning: debug_file '$LOGDIR/../logging-outside/x' ignored: *" chk_nothing_outside <<EOF
plugin=chatty
port=n1
debug_file=$LOGDIR/../logging-outside/x
EOF

# refused_case NAME FILE WHY: FILE, in the log directory, is refused
# as debug_file because WHY; the fence goes on at once, nothing is
# written to FILE or created outside the log directory.
refused_case() {
	REFUSED=$2
	SHIM_ENV=$LOG_ENV MAXT=30 tcase "$1" 0 \
		"$P: warning: debug_file '$2' ignored: $3*" chk_refused <<EOF
plugin=chatty
port=n1
debug_file=$2
EOF
}
chk_refused() {
	chk_nothing_outside
	[ "$ELAPSED_MS" -le 3000 ] || bad "took $ELAPSED_MS ms: the debug file delayed the action"
	[ ! -f "$REFUSED" ] || [ ! -s "$REFUSED" ] ||
		bad "$REFUSED was written: $(head -c 200 "$REFUSED")"
}

mkfifo -m 0600 "$LOGDIR/fifo"
refused_case request_debug_file_fifo_does_not_delay_the_fence \
	"$LOGDIR/fifo" "it is a FIFO"
ln -s "$OUTSIDE/target" "$LOGDIR/dangling"
refused_case request_debug_file_dangling_symlink_is_a_warning_and_fences \
	"$LOGDIR/dangling" "it is a symbolic link"
install -m 0666 /dev/null "$LOGDIR/open.log"
refused_case request_debug_file_writable_by_others_is_a_warning_and_fences \
	"$LOGDIR/open.log" "its group or others may write to it"
install -m 0600 -o nobody /dev/null "$LOGDIR/nobody.log"
refused_case request_debug_file_of_another_user_is_a_warning_and_fences \
	"$LOGDIR/nobody.log" "it belongs to another user"

DPW=Dbg-S3cret-77
chk_log_in_logdir() {
	local f=$LOGDIR/fence.log
	[ "$(stat -c '%a %U' "$f" 2>/dev/null)" = "600 root" ] ||
		bad "$f: $(stat -c '%a %U' "$f" 2>&1), expected mode 600 owned by root"
	grep -q "plugin chatty: reset n1 exited 0" "$f" || bad "$f lacks the trace of reset"
	! grep -qF "$DPW" "$f" || bad "$f holds the password: $(grep -F "$DPW" "$f" | head -n 1)"
}
SHIM_ENV=$LOG_ENV tcase request_debug_file_in_log_dir_gets_the_traces_masked 0 "" \
	chk_log_in_logdir <<EOF
plugin=chatty
port=n1
passwd=$DPW
debug_file=$LOGDIR/fence.log
EOF

chk_cli_log() {
	grep -q "plugin chatty: reset n1 exited 0" "$OUTSIDE/cli.log" 2>/dev/null ||
		bad "the command line's debug file $OUTSIDE/cli.log lacks the trace"
	rm -f "$OUTSIDE/cli.log"
}
SHIM_ENV=$LOG_ENV tcase command_line_debug_file_may_be_anywhere 0 "" chk_cli_log \
	--plugin=chatty -n n1 -D "$OUTSIDE/cli.log" </dev/null

# ======================================================================
# Masking: one pass, no limit on the number of secrets, whole words.
# ======================================================================

# 512 KiB of stderr holding a one-character secret: all of it masked,
# within the row's time bound (it took 193 s when masking was quadratic).
chk_half_mib_masked() {
	local n
	n=$(grep -cx 'Q' "$ERRF")
	[ "$n" -eq 0 ] || bad "$n lines still show the secret"
	n=$(grep -cx '\*\*\*\*' "$ERRF")
	[ "$n" -eq 262144 ] || bad "$n masked lines, expected 262144"
}
MAXT=5 tcase half_mib_of_stderr_with_a_one_character_secret_is_masked 1 \
	"*$P: error: plugin chatty: reset n1 exited 1" chk_half_mib_masked <<EOF
plugin=chatty
port=n1
passwd=Q
repeat=262144
fail=1
EOF

chk_65th_secret_masked() {
	! grep -qF RealS3cret "$ERRF" || bad "shown in clear: $(grep -F RealS3cret "$ERRF" | head -n 1)"
	grep -q "^$P: parameter passwd=\*\*\*\*$" "$ERRF" || bad "the trace of passwd is not masked"
	grep -qx '\*\*\*\*' "$ERRF" || bad "the plugin's line holding passwd is not masked"
}
{
	for i in $(seq 64); do echo "password$i=extra-secret-$i"; done
	printf 'plugin=chatty\nport=n1\npasswd=RealS3cret\nrepeat=1\nfail=1\nverbose=1\n'
} | tcase secret_after_64_others_is_still_masked 1 \
	"*$P: error: plugin chatty: reset n1 exited 1" chk_65th_secret_masked

# A one-character password leaves the words that hold that letter alone.
for short in a x; do
	tcase "one_character_secret_${short}_does_not_garble_messages" 1 \
		"*chatty: the device refused reset n1*$P: error: plugin chatty: reset n1 exited 1" - <<EOF
plugin=chatty
port=n1
passwd=$short
fail=1
EOF
done

# ======================================================================
# Quiet on success, loud on failure (issue 10): pacemaker-fenced logs
# every stderr line of an agent as a warning. Syslog is a listener on
# /dev/log in a private mount namespace (syslog_capture.py).
# ======================================================================

QSYSLOG=$T/quiet-syslog
QUIET_WRAP="unshare -m --propagation private python3 $top/tests/faults/syslog_capture.py --fresh-dev /dev/log $QSYSLOG"

chk_quiet_success() {
	[ ! -s "$ERRF" ] || bad "stderr not empty: [$(head -c 400 "$ERRF")]"
	grep -q "external/chatty\[[0-9]*\]: info: chatty: reset n1 under way" "$QSYSLOG" ||
		bad "ha_log.sh's info is not in syslog: [$(head -c 400 "$QSYSLOG")]"
	grep -q "$P\[[0-9]*\]: plugin chatty: reset n1: chatty: working on reset n1" "$QSYSLOG" ||
		bad "the plugin's stderr line is not in syslog: [$(head -c 400 "$QSYSLOG")]"
	rm -f "$QSYSLOG"
}
SHIM_WRAP=$QUIET_WRAP tcase successful_reboot_prints_nothing_on_stderr 0 "" chk_quiet_success <<EOF
plugin=chatty
port=n1
EOF

chk_loud_failure() {
	local last
	last=$(tail -n 1 "$ERRF")
	[ "$last" = "$P: error: plugin chatty: reset n1 exited 1" ] ||
		bad "the last line is [$last], not the shim's error"
	rm -f "$QSYSLOG"
}
SHIM_WRAP=$QUIET_WRAP tcase failed_reboot_shows_the_plugin_messages_then_one_error 1 \
	"external/chatty\[*\]: info: chatty: reset n1 under way
chatty: working on reset n1
chatty: the device refused reset n1
$P: error: plugin chatty: reset n1 exited 1" chk_loud_failure <<EOF
plugin=chatty
port=n1
fail=1
EOF

tcase ha_log_sh_err_stays_on_stderr_on_success 0 \
	"external/chatty\[[0-9]*\]: ERROR: chatty: the device is slow" - <<EOF
plugin=chatty
port=n1
log_err=1
EOF

tcase verbose_success_keeps_plugin_messages_on_stderr 0 \
	"$P: parameter *external/chatty\[*\]: info: chatty: reset n1 under way
chatty: working on reset n1
$P: plugin chatty: reset n1 exited 0 after *" - <<EOF
plugin=chatty
port=n1
verbose=1
EOF

chk_quiet_debug_file() {
	grep -q "plugin chatty: reset n1: chatty: working on reset n1" "$LOGDIR/quiet.log" ||
		bad "the plugin's stderr is not in the debug file"
	grep -q "plugin chatty: reset n1: external/chatty\[[0-9]*\]: info: chatty: reset n1 under way" \
		"$LOGDIR/quiet.log" || bad "ha_log.sh's message is not in the debug file"
}
SHIM_ENV=$LOG_ENV tcase successful_reboot_keeps_plugin_messages_in_the_debug_file 0 "" \
	chk_quiet_debug_file <<EOF
plugin=chatty
port=n1
debug_file=$LOGDIR/quiet.log
EOF

# ha_log.sh flattens line breaks: a plugin cannot add an error line of
# the shim's to the log (the row counts exactly one).
tcase ha_log_sh_message_cannot_forge_a_shim_error_line 1 \
	"*external/chatty\[*\]: info: note $P: error: forged*$P: error: plugin chatty: reset n1 exited 1" - <<EOF
plugin=chatty
port=n1
forge_as=$P
fail=1
EOF

# The same plugin under cluster-glue's own stonith: its ha_log.sh sends
# the message to syslog with the same tag and never to stderr; through
# the shim, a successful reset gives the same syslog line and an empty
# stderr. (cluster-glue passes the plugin's own stderr lines through as
# they come; the shim, having to be quiet, sends them to syslog.)
glue_compare_case() {
	local name=successful_reset_logs_ha_log_sh_like_cluster_glue_stonith
	local glue=/usr/lib/stonith/plugins/external/hbwrap-t-chatty gsys=$T/glue-syslog
	local want="external/hbwrap-t-chatty\[[0-9]*\]: info: chatty: reset n1 under way"
	REASONS=""
	install -m 0755 "$PLUGINS/chatty" "$glue"
	install -m 0755 "$PLUGINS/chatty" "$PLUGINS/hbwrap-t-chatty"
	unshare -m --propagation private python3 "$top/tests/faults/syslog_capture.py" \
		--fresh-dev /dev/log "$gsys" stonith -t external/hbwrap-t-chatty log_err=0 -T reset n1 \
		</dev/null >/dev/null 2>"$T/glue-err" || bad "stonith's reset failed: $(head -c 300 "$T/glue-err")"
	rm -f "$glue"
	grep -q "$want" "$gsys" || bad "not in cluster-glue's syslog: [$(head -c 300 "$gsys")]"
	! grep -q "info: chatty" "$T/glue-err" || bad "cluster-glue's ha_log.sh wrote on stderr"
	printf 'plugin=hbwrap-t-chatty\nport=n1\n' >"$T/in"
	SHIM_WRAP=$QUIET_WRAP run_shim "$T/in"
	[ "$RC" -eq 0 ] || bad "the shim exited $RC"
	[ ! -s "$ERRF" ] || bad "the shim's stderr is not empty: [$(head -c 300 "$ERRF")]"
	grep -q "$want" "$QSYSLOG" || bad "not in the shim's syslog: [$(head -c 300 "$QSYSLOG")]"
	rm -f "$PLUGINS/hbwrap-t-chatty" "$QSYSLOG" "$gsys"
	if [ -z "$REASONS" ]; then t_ok "$name"; else t_fail "$name" "$REASONS"; fi
}
glue_compare_case

# A chatty success is bounded in syslog: 100 lines, then how many more.
chk_syslog_bounded() {
	local n
	[ ! -s "$ERRF" ] || bad "stderr not empty: [$(head -c 200 "$ERRF")]"
	n=$(grep -c "$P\[[0-9]*\]: plugin chatty: reset n1: " "$QSYSLOG")
	[ "$n" -eq 101 ] || bad "$n syslog lines from the plugin, expected 100 and a summary"
	grep -q "plugin chatty: reset n1: 901 more lines of stderr, not sent to syslog" "$QSYSLOG" ||
		bad "no summary of the lines left out: [$(tail -n 1 "$QSYSLOG")]"
	rm -f "$QSYSLOG"
}
SHIM_WRAP=$QUIET_WRAP tcase successful_chatty_reboot_sends_at_most_100_lines_to_syslog 0 "" \
	chk_syslog_bounded <<EOF
plugin=chatty
port=n1
passwd=Q
repeat=1000
EOF
