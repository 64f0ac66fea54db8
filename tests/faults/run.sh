#!/bin/bash
# Faults suite: the shim under bad input, hostile plugins and signals.
#
# Each row runs the shim once and states what must come of it:
#
#   tcase NAME EXIT 'STDERR-GLOB' CHECK [ARG...] <<EOF
#   stdin lines
#   EOF
#
# The shim gets the heredoc on stdin (or ARGs as its command line). Every
# row checks the exit code (EXIT - leaves it to CHECK), that stderr
# matches the glob, that the run took at most $MAXT seconds (default 10)
# and held at most $FAULTS_MAX_RSS_KB of memory, and, for a failure, that
# nothing at all was written on stdout and the shim said exactly one
# "error:" line ($ERRLINES when a row retries).
# CHECK (a function, or -) asserts the rest; it calls `bad REASON`.
#
# Test plugins come from tests/faults/plugins and run from a temporary
# plugin directory (FENCE_HBWRAP_PLUGIN_DIR); they find where to write
# through their parameters (rec_dir=, outputs=).
#
# Binary under test: $HBWRAP, else the installed /usr/sbin/fence_hbwrap,
# else ./fence_hbwrap. FAULTS_MAX_RSS_KB raises the memory bound for
# instrumented builds (tests/sanitizers/run.sh).
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$PWD
# shellcheck disable=SC2034 # read by tests/lib.sh
T_SUITE=faults
. tests/lib.sh

if [ -n "${HBWRAP:-}" ]; then
	BIN=$HBWRAP
elif [ -x /usr/sbin/fence_hbwrap ]; then
	BIN=/usr/sbin/fence_hbwrap
else
	BIN=$top/fence_hbwrap
fi
P=$(basename "$BIN")
MAX_RSS=${FAULTS_MAX_RSS_KB:-32768}

T=$(mktemp -d /tmp/hbwrap-faults.XXXXXX) || exit 1
PLUGINS=$T/plugins
REC=$T/rec
OUTS=$T/outputs
SECRET_FILE=$T/secret.txt
SECRET_TEXT="TOP-SECRET-FILE-CONTENT-4711"
mkdir -p "$PLUGINS" "$REC" "$OUTS"
chmod 0755 "$T"
echo "$SECRET_TEXT" >"$SECRET_FILE"
for f in tests/faults/plugins/*; do
	install -m 0755 "$f" "$PLUGINS/"
done
export FENCE_HBWRAP_PLUGIN_DIR=$PLUGINS
# debug_file=$T/debug rows: $T is the log directory (tests/faults/logging.sh).
export FENCE_HBWRAP_LOG_DIR=$T
# Every row computes metadata afresh (replay changes its output, not its file).
export FENCE_HBWRAP_CACHE_DIR=none
unset HBWRAP_WRAP

# Every process a test plugin reported (pids files) or a background shim.
BG_PIDS=""
cleanup() {
	local p
	for p in $BG_PIDS $(cat "$T"/rec/pids "$T"/*/pids 2>/dev/null); do
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }

# alive PID: the process exists and is not a zombie.
alive() {
	local st
	st=$(sed -n 's/^.*) \([A-Z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# group_alive PGID: some live process is in that process group.
group_alive() {
	ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^[ZX]/ {f = 1} END {exit !f}'
}

# all_gone SECONDS PID...: wait until none of PIDs (nor their groups) is
# alive; fails if some still are after SECONDS.
all_gone() {
	local deadline=$(($(now_ms) + $1 * 1000)) p left
	shift
	while :; do
		left=""
		for p in "$@"; do
			if alive "$p" || group_alive "$p"; then
				left="$left $p"
			fi
		done
		[ -z "$left" ] && return 0
		if [ "$(now_ms)" -ge "$deadline" ]; then
			LEFT=$left
			return 1
		fi
		sleep 0.05
	done
}

# wait_lines FILE N SECONDS: wait until FILE has at least N lines.
wait_lines() {
	local deadline=$(($(now_ms) + $3 * 1000))
	until [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# put OP: the replay plugin prints stdin's content for operation OP.
put() { cat >"$OUTS/$1"; }

REASONS=""
bad() { REASONS="${REASONS:+$REASONS; }$1"; }

# The shim's own error lines in the captured stderr.
error_lines() { grep -c "^$P: error: " "$ERRF"; }

# run_shim IN [ARG...]: run the shim once (with the NAME=value words of
# $SHIM_ENV added to its environment, under the command $SHIM_WRAP,
# called through a link named $AS if that is set); sets RC, OUTF, ERRF, ELAPSED_MS
# and RSS_KB.
run_shim() {
	local in=$1 start
	shift
	OUTF=$T/out
	ERRF=$T/err
	start=$(now_ms)
	local bin=$BIN
	if [ -n "${AS:-}" ]; then
		mkdir -p "$T/bin"
		ln -sf "$BIN" "$T/bin/$AS"
		bin=$T/bin/$AS
	fi
	timeout -s KILL 120 /usr/bin/time -f '%M' -o "$T/rss" \
		${SHIM_WRAP:-} env ${SHIM_ENV:-} "$bin" "$@" <"$in" >"$OUTF" 2>"$ERRF"
	RC=$?
	ELAPSED_MS=$(($(now_ms) - start))
	RSS_KB=$(tail -n 1 "$T/rss" 2>/dev/null)
	case "$RSS_KB" in '' | *[!0-9]*) RSS_KB=0 ;; esac
}

# Kill what a finished case left behind, and empty the shared dirs.
reset_dirs() {
	local p
	for p in $(cat "$REC/pids" 2>/dev/null); do
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$REC" "$OUTS"
	mkdir -p "$REC" "$OUTS"
}

tcase() {
	local name=$1 want_rc=$2 glob=$3 check=$4 in=$T/in
	shift 4
	cat >"$in"
	REASONS=""
	run_shim "$in" "$@"
	[ "$want_rc" = - ] || [ "$RC" -eq "$want_rc" ] ||
		bad "exit $RC, expected $want_rc"
	if [ -n "$glob" ]; then
		# shellcheck disable=SC2254 # a glob on purpose
		case "$(cat "$ERRF")" in
		$glob) ;;
		*) bad "stderr [$(head -c 600 "$ERRF")] does not match [$glob]" ;;
		esac
	fi
	if [ "$want_rc" != - ] && [ "$want_rc" -ne 0 ]; then
		[ ! -s "$OUTF" ] || bad "stdout not empty: [$(head -c 200 "$OUTF")]"
		[ "$(error_lines)" -eq "${ERRLINES:-1}" ] ||
			bad "$(error_lines) error lines, expected ${ERRLINES:-1}"
	fi
	[ "$ELAPSED_MS" -le $((${MAXT:-10} * 1000)) ] ||
		bad "took $ELAPSED_MS ms, more than ${MAXT:-10} s"
	[ "$RSS_KB" -le "$MAX_RSS" ] ||
		bad "max RSS $RSS_KB kB, more than $MAX_RSS kB"
	! grep -q 'Sanitizer\|runtime error:' "$ERRF" ||
		bad "sanitizer report: $(grep -m1 'Sanitizer\|runtime error:' "$ERRF")"
	[ "$check" = - ] || "$check"
	if [ -z "$REASONS" ]; then
		t_ok "$name"
	else
		t_fail "$name" "$REASONS"
	fi
	reset_dirs
}

# ---- checks used by the rows -----------------------------------------

# has_line FILE LINE: FILE holds exactly LINE as one of its lines.
has_line() { grep -qxF -- "$2" "$1" 2>/dev/null; }

chk_group_gone() {
	local pids
	pids=$(cat "$REC/pids" 2>/dev/null)
	[ -n "$pids" ] || {
		bad "the plugin never reported its pids"
		return
	}
	# shellcheck disable=SC2086
	all_gone 3 $pids || bad "still running after the shim exited:$LEFT"
}

chk_timeout_window() {
	[ "$ELAPSED_MS" -ge 2500 ] && [ "$ELAPSED_MS" -le 6000 ] ||
		bad "took $ELAPSED_MS ms; expected about 3 s"
	chk_group_gone
}

chk_grace_window() {
	# SIGTERM at 3 s is ignored; SIGKILL follows after the grace.
	[ "$ELAPSED_MS" -ge 4500 ] && [ "$ELAPSED_MS" -le 9000 ] ||
		bad "took $ELAPSED_MS ms; expected 3 s plus the SIGKILL grace"
	chk_group_gone
}

chk_two_timeouts() {
	[ "$(grep -c '^reset$' "$REC/started" 2>/dev/null)" -eq 2 ] ||
		bad "reset started $(grep -c '^reset$' "$REC/started" 2>/dev/null) times, expected 2 (retry_on=2)"
	chk_group_gone
}

chk_literal_semicolon() {
	[ ! -e "$T/pwned1" ] || bad "the shell ran: $T/pwned1 exists"
	has_line "$REC/call" "target=n1;touch $T/pwned1" ||
		bad "plugin got [$(grep '^target=' "$REC/call")]"
	has_line "$REC/call" "argc=2" || bad "plugin argc: $(grep argc= "$REC/call")"
}

chk_literal_dollar() {
	[ ! -e "$T/pwned2" ] || bad "the shell ran: $T/pwned2 exists"
	has_line "$REC/call" "target=\$(touch $T/pwned2)" ||
		bad "plugin got [$(grep '^target=' "$REC/call")]"
}

chk_literal_env() {
	[ ! -e "$T/pwned3" ] && [ ! -e "$T/pwned4" ] && [ ! -e "$T/pwned5" ] ||
		bad "the shell ran: $(echo "$T"/pwned*)"
	has_line "$REC/env.reset" "hostlist=n1 \$(touch $T/pwned3) \`touch $T/pwned4\`" ||
		bad "hostlist in the plugin's environment: [$(grep '^hostlist=' "$REC/env.reset")]"
	has_line "$REC/env.reset" "userid=a;touch $T/pwned5|x&y>z" ||
		bad "userid in the plugin's environment: [$(grep '^userid=' "$REC/env.reset")]"
}

chk_not_run() {
	[ ! -e "$REC/call" ] || bad "the plugin ran anyway: $(tr '\n' ' ' <"$REC/call")"
}

chk_clean_env() {
	local e=$REC/env.reset v
	[ -s "$e" ] || {
		bad "the plugin recorded no environment"
		return
	}
	for v in HBWRAP_FAULT_LEAK LD_PRELOAD BASH_ENV ENV PYTHONPATH \
		PERL5OPT GCONV_PATH FENCE_HBWRAP_PLUGIN_DIR IFS SHELLOPTS; do
		! grep -q "^$v=" "$e" || bad "$(grep "^$v=" "$e") reached the plugin"
	done
	# The keep-list and the shim's own variables are there.
	has_line "$e" "TZ=Europe/Berlin" || bad "TZ (keep-list) did not reach the plugin"
	has_line "$e" "LANG=C.UTF-8" || bad "LANG (keep-list) did not reach the plugin"
	has_line "$e" "HA_LOGTAG=external/record" || bad "HA_LOGTAG not set"
	grep -q '^PATH=' "$e" || bad "PATH not set"
	has_line "$e" "hostlist=n1" || bad "the parameter hostlist did not reach the plugin"
	[ ! -e "$T/bash_env_ran" ] || bad "BASH_ENV of the caller was run"
}

chk_no_secret_file() {
	! grep -qF "$SECRET_TEXT" "$OUTF" "$ERRF" ||
		bad "the content of $SECRET_FILE came out"
}

chk_xinclude() {
	chk_no_secret_file
	xmllint --noout "$OUTF" 2>/dev/null || bad "metadata is not well-formed"
}

# A plugin's flaw is never a missing agent (issue 10): metadata on
# stdout, well-formed, and warnings instead of an error.
chk_metadata_despite_flaw() {
	chk_no_secret_file
	xmllint --noout "$OUTF" 2>/dev/null || bad "no well-formed metadata on stdout"
	[ "$(error_lines)" -eq 0 ] || bad "$(error_lines) error lines, expected none"
}

chk_fast() {
	[ "$ELAPSED_MS" -le 3000 ] || bad "took $ELAPSED_MS ms, expected under 3 s"
}

chk_stderr_bounded() {
	local n
	n=$(stat -c %s "$ERRF")
	[ "$n" -le $((1024 * 1024 + 65536)) ] ||
		bad "stderr holds $n bytes: the plugin's flood was passed on unbounded"
}

chk_stdin_empty() {
	[ -e "$REC/stdin" ] && [ ! -s "$REC/stdin" ] ||
		bad "the plugin's stdin was not empty /dev/null"
}

chk_pad_received() {
	local got
	got=$(sed -n 's/^pad=//p' "$REC/env.reset" | tr -d '\n' | wc -c)
	[ "$got" -eq 65532 ] || bad "pad reached the plugin with $got bytes, expected 65532"
}

chk_onoff() {
	[ "$(grep '^op=' "$REC/call" | tr '\n' ' ')" = "op=off op=on " ] ||
		bad "plugin calls: $(grep '^op=' "$REC/call" | tr '\n' ' ')"
}

chk_three_attempts() {
	[ "$(grep -c '^op=reset$' "$REC/call")" -eq 3 ] ||
		bad "reset ran $(grep -c '^op=reset$' "$REC/call") times, expected 3"
}

chk_delay() {
	[ "$ELAPSED_MS" -ge 2000 ] || bad "took $ELAPSED_MS ms; delay=2 not honoured"
	has_line "$REC/call" "op=reset" || bad "reset did not run"
}

chk_daemon_left() {
	chk_fast
	[ -s "$REC/pids" ] || bad "the plugin did not start its child"
}

# ======================================================================
# Time: plugin_timeout, SIGTERM then SIGKILL to the plugin's group.
# ======================================================================

MAXT=8 tcase reset_hanging_plugin_times_out_and_leaves_no_process 1 \
	"$P: error: plugin hang: reset n1 timed out after 3 s*" chk_timeout_window <<EOF
plugin=hang
port=n1
plugin_timeout=3
rec_dir=$REC
EOF

MAXT=10 tcase plugin_ignoring_sigterm_is_killed_after_grace 1 \
	"$P: error: plugin hang: reset n1 timed out after 3 s*" chk_grace_window <<EOF
plugin=hang
port=n1
plugin_timeout=3
ignore_term=1
rec_dir=$REC
EOF

MAXT=8 ERRLINES=2 tcase timed_out_reset_is_a_failure_on_every_retry 1 \
	"*reset n1 timed out after 1 s*reset n1 timed out after 1 s*" chk_two_timeouts <<EOF
plugin=hang
port=n1
plugin_timeout=1
retry_on=2
rec_dir=$REC
EOF

chk_metadata_despite_hang() {
	chk_metadata_despite_flaw
	chk_group_gone
}
MAXT=8 tcase metadata_of_hanging_plugin_times_out_into_a_warning 0 \
	"$P: warning: plugin hang: getinfo-xml timed out after 2 s*" chk_metadata_despite_hang <<EOF
plugin=hang
action=metadata
plugin_timeout=2
rec_dir=$REC
EOF

MAXT=8 tcase monitor_of_hanging_plugin_times_out 1 \
	"$P: error: plugin hang: status timed out after 2 s*" chk_group_gone <<EOF
plugin=hang
action=monitor
plugin_timeout=2
rec_dir=$REC
EOF

# ======================================================================
# Signals: the shim killed or asked to stop mid-action.
# ======================================================================

# start_bg IN: the shim in the background, SIGINT at its default (bash
# makes background jobs ignore it); sets BGPID.
start_bg() {
	env --default-signal=INT "$BIN" <"$1" >"$T/bgout" 2>"$T/bgerr" &
	BGPID=$!
	BG_PIDS="$BG_PIDS $BGPID"
}

# sigkill_case [PLUGIN NAME [LINES]]: the shim SIGKILLed mid-reset leaves
# none of the processes PLUGIN reported; LINES are more stdin lines.
sigkill_case() {
	local plugin=${1:-hang} pids
	local name=${2:-shim_killed_by_sigkill_leaves_no_plugin_process}
	{
		printf 'plugin=%s\nport=n1\nplugin_timeout=60\nrec_dir=%s\n' "$plugin" "$REC"
		[ -z "${3:-}" ] || printf '%s\n' "$3"
	} >"$T/in"
	start_bg "$T/in"
	if ! wait_lines "$REC/pids" 2 5; then
		t_fail "$name" "the plugin did not start: $(head -c 300 "$T/bgerr")"
		kill -KILL "$BGPID"
		wait "$BGPID" 2>/dev/null
		reset_dirs
		return
	fi
	pids=$(cat "$REC/pids")
	kill -KILL "$BGPID"
	wait "$BGPID" 2>/dev/null
	# shellcheck disable=SC2086
	if all_gone 5 $pids; then
		t_ok "$name"
	else
		t_fail "$name" "plugin processes still running 5 s after the shim died:$LEFT"
	fi
	reset_dirs
}
sigkill_case

# signal_case SIG NAME: SIG to the shim mid-reset reaches the plugin's
# group; the shim exits 1 saying so, and retries nothing.
signal_case() {
	local sig=$1 name=$2 rc pids
	REASONS=""
	printf 'plugin=sigwatch\nport=n1\nplugin_timeout=60\nretry_on=3\nrec_dir=%s\n' \
		"$REC" >"$T/in"
	start_bg "$T/in"
	if ! wait_lines "$REC/pids" 2 5; then
		t_fail "$name" "the plugin did not start"
		kill -KILL "$BGPID"
		wait "$BGPID" 2>/dev/null
		reset_dirs
		return
	fi
	pids=$(cat "$REC/pids")
	kill -"$sig" "$BGPID"
	local deadline=$(($(now_ms) + 10000))
	while kill -0 "$BGPID" 2>/dev/null && [ "$(now_ms)" -lt "$deadline" ]; do
		sleep 0.05
	done
	if kill -0 "$BGPID" 2>/dev/null; then
		bad "the shim still runs 10 s after SIG$sig (started: $(tr '\n' ' ' <"$REC/started"))"
		kill -KILL "$BGPID"
	fi
	wait "$BGPID"
	rc=$?
	[ "$rc" -eq 1 ] || bad "exit $rc, expected 1"
	has_line "$REC/signals" "$sig" ||
		bad "the plugin got [$(tr '\n' ' ' <"$REC/signals" 2>/dev/null)], not $sig"
	grep -q "^$P: error: plugin sigwatch: reset n1 was stopped" "$T/bgerr" ||
		bad "stderr: [$(head -c 300 "$T/bgerr")]"
	[ "$(grep -c . "$REC/started")" -eq 1 ] ||
		bad "the plugin was started $(grep -c . "$REC/started") times: a stop request must not be retried"
	[ ! -s "$T/bgout" ] || bad "stdout not empty"
	# shellcheck disable=SC2086
	all_gone 3 $pids || bad "plugin processes left:$LEFT"
	if [ -z "$REASONS" ]; then t_ok "$name"; else t_fail "$name" "$REASONS"; fi
	reset_dirs
}
signal_case TERM sigterm_to_shim_reaches_plugin_group_and_is_not_retried
signal_case INT sigint_to_shim_reaches_plugin_group_and_is_not_retried

# ======================================================================
# Parameter values with shell metacharacters reach the plugin literally.
# ======================================================================

tcase port_with_semicolon_reaches_plugin_literally 0 "" chk_literal_semicolon <<EOF
plugin=record
port=n1;touch $T/pwned1
keep_case=1
rec_dir=$REC
EOF

tcase port_with_command_substitution_reaches_plugin_literally 0 "" chk_literal_dollar <<EOF
plugin=record
port=\$(touch $T/pwned2)
keep_case=1
rec_dir=$REC
EOF

tcase parameter_values_with_metacharacters_reach_environment_literally 0 "" chk_literal_env <<EOF
plugin=record
port=n1
hostlist=n1 \$(touch $T/pwned3) \`touch $T/pwned4\`
userid=a;touch $T/pwned5|x&y>z
rec_dir=$REC
EOF

# ======================================================================
# Names that change how the loader, libc or an interpreter behaves are
# never exported: the shim refuses the request and names the parameter.
# ======================================================================

for name in LD_PRELOAD LD_LIBRARY_PATH LD_AUDIT GCONV_PATH PATH IFS ENV \
	BASH_ENV BASH_FUNC_x SHELLOPTS BASHOPTS PS4 PYTHONPATH PYTHONSTARTUP \
	PYTHONHOME PERL5LIB PERL5OPT PERLLIB RUBYOPT RUBYLIB NODE_OPTIONS \
	GLIBC_TUNABLES MALLOC_CHECK_ MALLOC_PERTURB_ HA_LOGTAG HOME TMPDIR \
	LOCPATH NLSPATH HOSTALIASES RES_OPTIONS JAVA_TOOL_OPTIONS \
	OPENSSL_CONF; do
	tcase "stdin_${name}_is_refused_not_exported" 1 \
		"$P: error: parameter '$name' refused*" chk_not_run <<EOF
plugin=record
port=n1
$name=/tmp/evil
rec_dir=$REC
EOF
done

tcase command_line_LD_PRELOAD_is_refused_not_exported 1 \
	"$P: error: parameter 'LD_PRELOAD' refused*" chk_not_run \
	--plugin=record -o reboot -n n1 --LD_PRELOAD=/tmp/evil.so --rec_dir="$REC" </dev/null

tcase bash_function_export_name_is_refused 1 \
	"$P: error: stdin line 3: *not a valid parameter name*" chk_not_run <<EOF
plugin=record
port=n1
BASH_FUNC_echo%%=() { touch /tmp/evil; }
rec_dir=$REC
EOF

echo "touch $T/bash_env_ran" >"$T/bash_env"
SHIM_ENV="HBWRAP_FAULT_LEAK=leaked LD_PRELOAD= BASH_ENV=$T/bash_env \
ENV=$T/bash_env PYTHONPATH=$T PERL5OPT=-d GCONV_PATH=$T IFS=x \
SHELLOPTS=xtrace TZ=Europe/Berlin LANG=C.UTF-8" \
	tcase caller_environment_reaches_plugin_only_through_keep_list 0 "" \
	chk_clean_env <<EOF
plugin=record
port=n1
hostlist=n1
rec_dir=$REC
EOF

# ======================================================================
# Hostile XML from getinfo-xml (the replay plugin prints $OUTS/<op>):
# never read beyond the rules, and never a missing agent (a warning and
# the shim's own parameters instead).
# ======================================================================

put getinfo-xml <<EOF
<?xml version="1.0"?>
<!DOCTYPE parameters [<!ENTITY xxe SYSTEM "file://$SECRET_FILE">]>
<parameters><parameter name="a" unique="0"><content type="string"/>
<shortdesc lang="en">leak: &xxe;</shortdesc></parameter></parameters>
EOF
tcase xml_external_entity_is_refused_and_file_not_read 0 \
	"$P: warning: plugin replay: getinfo-xml*DTD*" chk_metadata_despite_flaw <<EOF
plugin=replay
action=metadata
outputs=$OUTS
EOF

{
	echo '<?xml version="1.0"?>'
	echo '<!DOCTYPE parameters ['
	echo ' <!ENTITY l0 "lolololololololololololololololololololololololololol">'
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		echo " <!ENTITY l$i \"&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));\">"
	done
	echo ']>'
	echo '<parameters><parameter name="a"><shortdesc lang="en">&l15;</shortdesc></parameter></parameters>'
} | put getinfo-xml
MAXT=3 tcase xml_entity_bomb_is_refused_in_bounded_time_and_memory 0 \
	"$P: warning: plugin replay: getinfo-xml*DTD*" chk_metadata_despite_flaw <<EOF
plugin=replay
action=metadata
outputs=$OUTS
EOF

# The same DTD, hidden from a byte search by a declared UTF-7 encoding.
printf '%s\n' '<?xml version="1.0" encoding="UTF-7"?>' \
	"+ADwAIQ-DOCTYPE parameters +AFsAPAAh-ENTITY x SYSTEM +ACI-file://$SECRET_FILE+ACIAPgBd-+AD4-" \
	'<parameters><parameter name="a"><shortdesc lang="en">+ACY-x+ADs-</shortdesc></parameter></parameters>' |
	put getinfo-xml
tcase xml_dtd_in_utf7_is_not_read 0 \
	"$P: warning: plugin replay: getinfo-xml*" chk_metadata_despite_flaw <<EOF
plugin=replay
action=metadata
outputs=$OUTS
EOF

put getinfo-xml <<EOF
<parameters xmlns:xi="http://www.w3.org/2001/XInclude">
<parameter name="a" unique="0"><content type="string"/>
<shortdesc lang="en">x<xi:include href="file://$SECRET_FILE" parse="text"/></shortdesc>
</parameter></parameters>
EOF
tcase xml_xinclude_is_not_processed 0 "" chk_xinclude <<EOF
plugin=replay
action=metadata
outputs=$OUTS
EOF

python3 -c 'import sys; sys.stdout.write("<parameters>" + "<a>" * 100000 + "</a>" * 100000 + "</parameters>")' |
	put getinfo-xml
MAXT=3 tcase xml_nested_100000_deep_is_refused_without_crash 0 \
	"$P: warning: plugin replay: getinfo-xml*not well-formed*" chk_metadata_despite_flaw <<EOF
plugin=replay
action=metadata
outputs=$OUTS
EOF

printf '<parameters>\n<parameter name="a">\n<content type="string"/>\n' | put getinfo-xml
tcase xml_not_well_formed_is_recovered 0 \
	"$P: warning: plugin replay: getinfo-xml*not well-formed*recovery" chk_metadata_despite_flaw <<EOF
plugin=replay
action=metadata
outputs=$OUTS
EOF

printf '<resource-agent><longdesc>no parameters here</longdesc></resource-agent>\n' |
	put getinfo-xml
tcase xml_without_parameters_element_is_refused 0 \
	"$P: warning: plugin replay: getinfo-xml*no <parameters>*" chk_metadata_despite_flaw <<EOF
plugin=replay
action=metadata
outputs=$OUTS
EOF

: | put getinfo-xml
tcase empty_getinfo_xml_is_refused 0 \
	"$P: warning: plugin replay: getinfo-xml*printed nothing*" chk_metadata_despite_flaw <<EOF
plugin=replay
action=metadata
outputs=$OUTS
EOF

printf '<parameters><parameter name="a"><shortdesc lang="en">caf\351 \377</shortdesc></parameter></parameters>\n' |
	put getinfo-xml
tcase non_utf8_getinfo_xml_is_refused 0 \
	"$P: warning: plugin replay: getinfo-xml*not well-formed*UTF-8*" chk_metadata_despite_flaw <<EOF
plugin=replay
action=metadata
outputs=$OUTS
EOF

printf '<parameters><parameter name="a"/>\0<x/></parameters>\n' | put getinfo-xml
tcase nul_byte_in_getinfo_xml_is_refused 0 \
	"$P: warning: plugin replay: getinfo-xml*NUL*" chk_metadata_despite_flaw <<EOF
plugin=replay
action=metadata
outputs=$OUTS
EOF

# Text of the other informational operations goes into the metadata
# too (agent shortdesc, longdesc, vendor-url of fence_hb_<plugin>).
chk_wellformed_or_refused() {
	if [ "$RC" -eq 0 ]; then
		xmllint --noout "$OUTF" 2>"$T/xmllint" ||
			bad "exit 0 with metadata that is not well-formed: $(head -n 1 "$T/xmllint")"
	else
		[ "$RC" -eq 1 ] || bad "exit $RC"
		[ ! -s "$OUTF" ] || bad "exit $RC and something on stdout"
		grep -q "^fence_hb_replay: error: plugin replay: $OP" "$ERRF" ||
			bad "the error does not name $OP: $(head -c 300 "$ERRF")"
	fi
}
for row in "getinfo-devid|Device caf\351 \377\376" \
	"getinfo-devdescr|A device\001 with a control character" \
	"getinfo-devurl|http://example.com/\033[2J\377"; do
	OP=${row%%|*}
	printf '%b\n' "${row#*|}" | put "$OP"
	AS=fence_hb_replay tcase "metadata_never_ill_formed_for_bad_bytes_in_$OP" - "" \
		chk_wellformed_or_refused <<EOF
action=metadata
outputs=$OUTS
EOF
done

# ======================================================================
# Broken plugins: each failure is one line naming plugin, operation and
# cause; exit 1; nothing on stdout.
# ======================================================================

tcase reset_killed_by_signal_is_reported 1 \
	"$P: error: plugin crash: reset n1 was killed by signal 11*" - <<EOF
plugin=crash
port=n1
EOF

tcase metadata_of_plugin_killed_by_signal_is_reported 0 \
	"$P: warning: plugin crash: getinfo-xml was killed by signal 11*" chk_metadata_despite_flaw <<EOF
plugin=crash
action=metadata
EOF

tcase reset_exiting_3_is_reported 1 \
	"*exit3: reset is not possible*$P: error: plugin exit3: reset n1 exited 3" - <<EOF
plugin=exit3
port=n1
EOF

tcase metadata_of_plugin_exiting_3_is_reported 0 \
	"$P: warning: plugin exit3: getinfo-xml exited 3*" chk_metadata_despite_flaw <<EOF
plugin=exit3
action=metadata
EOF

tcase list_of_plugin_exiting_3_is_reported 1 \
	"*$P: error: plugin exit3: gethosts exited 3" - <<EOF
plugin=exit3
action=list
EOF

tcase monitor_of_plugin_exiting_3_is_reported 1 \
	"*$P: error: plugin exit3: status exited 3" - <<EOF
plugin=exit3
action=monitor
EOF

tcase metadata_of_plugin_closing_output_early_is_recovered 0 \
	"$P: warning: plugin earlyclose: getinfo-xml*not well-formed*" chk_metadata_despite_flaw <<EOF
plugin=earlyclose
action=metadata
EOF

MAXT=5 tcase reset_flooding_stdout_is_stopped_with_bounded_memory 1 \
	"$P: error: plugin flood: reset n1 printed more than 1048576 bytes on stdout*" - <<EOF
plugin=flood
port=n1
EOF

MAXT=5 tcase metadata_of_plugin_flooding_stdout_is_stopped 0 \
	"$P: warning: plugin flood: getinfo-xml printed more than 1048576 bytes on stdout*" chk_metadata_despite_flaw <<EOF
plugin=flood
action=metadata
EOF

MAXT=5 tcase list_of_plugin_flooding_stdout_is_stopped 1 \
	"$P: error: plugin flood: gethosts printed more than 1048576 bytes on stdout*" - <<EOF
plugin=flood
action=list
EOF

MAXT=5 tcase reset_flooding_stderr_is_stopped_with_bounded_memory 1 \
	"*$P: error: plugin flood: reset n1 printed more than 1048576 bytes on stderr*" \
	chk_stderr_bounded <<EOF
plugin=flood
port=n1
flood_to=stderr
EOF

tcase plugin_with_missing_interpreter_is_reported 1 \
	"$P: error: plugin badinterp: * could not be executed: No such file or directory*" - <<EOF
plugin=badinterp
port=n1
EOF

tcase plugin_leaving_child_holding_output_does_not_hang_shim 0 "" chk_daemon_left <<EOF
plugin=daemon
port=n1
rec_dir=$REC
EOF

tcase plugin_stdin_is_empty 0 "" chk_stdin_empty <<EOF
plugin=stdin
port=n1
rec_dir=$REC
EOF

# ======================================================================
# The plugin file: the rules cluster-glue applies, and a few more.
# ======================================================================

# file_case NAME SETUP GLOB: SETUP makes $PLUGINS/victim; the shim must
# refuse it with a message matching GLOB, and never run it.
file_case() {
	local name=$1 setup=$2 glob=$3
	rm -rf "$PLUGINS/victim"
	eval "$setup"
	tcase "$name" 1 "$glob" chk_not_run <<EOF
plugin=victim
port=n1
rec_dir=$REC
EOF
	rm -rf "$PLUGINS/victim"
}

file_case group_writable_plugin_is_refused_naming_the_permission \
	'install -m 0775 "$PLUGINS/record" "$PLUGINS/victim"' \
	"$P: error: plugin 'victim' cannot be used: *victim is writable by its group (mode 0775)*"
file_case world_writable_plugin_is_refused_naming_the_permission \
	'install -m 0757 "$PLUGINS/record" "$PLUGINS/victim"' \
	"$P: error: plugin 'victim' cannot be used: *victim is writable by others (mode 0757)*"
file_case non_executable_plugin_is_refused \
	'install -m 0644 "$PLUGINS/record" "$PLUGINS/victim"' \
	"$P: error: plugin 'victim' cannot be used: *victim is not executable*"
file_case directory_as_plugin_is_refused \
	'mkdir -m 0755 "$PLUGINS/victim"' \
	"$P: error: plugin 'victim' cannot be used: *victim is not a regular file*"
file_case fifo_as_plugin_is_refused_without_hanging \
	'mkfifo -m 0755 "$PLUGINS/victim"' \
	"$P: error: plugin 'victim' cannot be used: *victim is not a regular file*"
file_case symlink_leaving_plugin_directory_is_refused \
	'install -m 0755 "$PLUGINS/record" "$T/outside"; ln -s "$T/outside" "$PLUGINS/victim"' \
	"$P: error: plugin 'victim' cannot be used: *symlink that leaves the plugin directory*"
file_case dangling_symlink_is_refused \
	'ln -s "$T/nowhere" "$PLUGINS/victim"' \
	"$P: error: plugin 'victim' cannot be used: *victim*"
file_case plugin_owned_by_another_user_is_refused \
	'install -m 0755 -o nobody "$PLUGINS/record" "$PLUGINS/victim"' \
	"$P: error: plugin 'victim' cannot be used: *owned by uid $(id -u nobody)*"
file_case missing_plugin_is_refused \
	':' \
	"$P: error: plugin 'victim' cannot be used: *No such file or directory*"

ln -s record "$PLUGINS/victim"
tcase symlink_inside_plugin_directory_is_accepted 0 "" - <<EOF
plugin=victim
port=n1
rec_dir=$REC
EOF
rm -f "$PLUGINS/victim"

tcase plugin_name_with_dotdot_is_refused 1 \
	"$P: error: plugin '../plugins/record' refused: *" chk_not_run <<EOF
plugin=../plugins/record
port=n1
rec_dir=$REC
EOF

tcase plugin_name_that_is_a_path_is_refused 1 \
	"$P: error: plugin 'sub/record' refused: *not a path*" chk_not_run <<EOF
plugin=sub/record
port=n1
rec_dir=$REC
EOF

# ======================================================================
# Secrets: masked on stderr, in the debug file and in syslog. Syslog is
# a listener on /dev/log inside a private mount namespace.
# ======================================================================

PW=S3cr3t-Pw-9931
SYSLOG=$T/syslog
SHIM_SYSLOG="unshare -m --propagation private python3 $top/tests/faults/syslog_capture.py --fresh-dev /dev/log $SYSLOG"

chk_masked_by_shim() {
	[ -s "$SYSLOG" ] || {
		bad "nothing reached the syslog listener"
		return
	}
	grep -q "$P\[[0-9]*\]: error: plugin halog: reset n1 exited 1" "$SYSLOG" ||
		bad "the shim's error is not in syslog: $(head -c 300 "$SYSLOG")"
	! grep -qF "$PW" "$SYSLOG" || bad "syslog holds the password: $(grep -F "$PW" "$SYSLOG" | head -n 1)"
	! grep -qF "$PW" "$ERRF" || bad "stderr holds the password: $(grep -F "$PW" "$ERRF" | head -n 1)"
	! grep -qF "$PW" "$T/debug" || bad "the debug file holds the password"
	grep -q "parameter passwd=\*\*\*\*" "$T/debug" ||
		bad "the debug file does not trace passwd masked"
	grep -q "refused password \*\*\*\*" "$ERRF" ||
		bad "the plugin's stderr was not passed on masked"
}

chk_masked_by_ha_log() {
	grep -q "external/halog\[[0-9]*\]: ERROR: cannot log in as admin" "$SYSLOG" ||
		bad "ha_log.sh's message is not in syslog (is ha_log.sh in the helper dir?): $(head -c 300 "$SYSLOG")"
	! grep -qF "$PW" "$SYSLOG" ||
		bad "syslog holds the password: $(grep -F "$PW" "$SYSLOG" | head -n 1)"
	! grep -qF "$PW" "$ERRF" || bad "stderr holds the password"
	! grep -qF "$PW" "$T/halog.log" 2>/dev/null ||
		bad "ha_log.sh's log file (HA_LOGFILE) holds the password"
}

SHIM_WRAP=$SHIM_SYSLOG tcase passwd_masked_in_shim_stderr_debug_file_and_syslog 1 \
	"*$P: error: plugin halog: reset n1 exited 1*" chk_masked_by_shim <<EOF
plugin=halog
port=n1
passwd=$PW
verbose=1
debug_file=$T/debug
EOF
rm -f "$T/debug" "$SYSLOG"

SHIM_WRAP=$SHIM_SYSLOG SHIM_ENV="HA_LOGFILE=$T/halog.log" \
	tcase passwd_masked_in_plugin_logging_through_ha_log_sh 1 \
	"*$P: error: plugin halog: reset n1 exited 1*" chk_masked_by_ha_log <<EOF
plugin=halog
port=n1
passwd=$PW
via_ha_log=1
EOF
rm -f "$SYSLOG" "$T/halog.log"

chk_all_masked() {
	local v
	for v in pw-one pw-two pw-three pw-four pw-five pw-six pw-seven; do
		! grep -qF -- "$v" "$ERRF" "$T/debug" ||
			bad "$(grep -hF -- "$v" "$ERRF" "$T/debug" | head -n 1)"
	done
	[ "$(grep -c '=\*\*\*\*$' "$T/debug")" -eq 7 ] ||
		bad "$(grep -c '=\*\*\*\*$' "$T/debug") masked parameters in the debug file, expected 7"
}
tcase secret_looking_parameters_are_masked_in_traces 0 "" chk_all_masked <<EOF
plugin=record
port=n1
rec_dir=$REC
password=pw-one
community=pw-two
snmp_priv_passwd=pw-three
ilo_password=pw-four
api_token=pw-five
VI_CREDSTORE=pw-six
client_secret=pw-seven
verbose=1
debug_file=$T/debug
EOF
rm -f "$T/debug"

# ======================================================================
# Hostile stdin: a clear message, exit 1, no crash, no hang.
# ======================================================================

python3 -c 'import random, sys; r = random.Random(4); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(65536)))' |
	tcase binary_stdin_is_refused 1 "$P: error: stdin line *" -

printf 'plugin=record\naction=re\0boot\nport=n1\n' |
	tcase nul_byte_on_stdin_is_refused 1 "$P: error: stdin line 2: contains a NUL byte" -

{ printf 'plugin=record\nport=n1\npad='; head -c 65533 /dev/zero | tr '\0' x; echo; } |
	tcase stdin_line_over_65536_bytes_is_refused 1 \
	"$P: error: stdin line 3: longer than 65536 bytes" -

{
	printf 'plugin=record\nport=n1\nrec_dir=%s\npad=' "$REC"
	head -c 65532 /dev/zero | tr '\0' x
	echo
} | tcase stdin_line_of_exactly_65536_bytes_is_accepted 0 "" chk_pad_received

{
	printf 'plugin=record\nport=n1\n'
	for i in $(seq 20); do
		printf 'pad%d=' "$i"
		head -c 60000 /dev/zero | tr '\0' x
		echo
	done
} | tcase stdin_over_1_mib_is_refused 1 "$P: error: stdin: more than 1048576 bytes" -

yes a=1 | head -n 1000000 |
	MAXT=5 tcase million_stdin_lines_are_refused_quickly 1 \
		"$P: error: stdin: more than 1048576 bytes" -

{
	yes '' | head -n 1000000
	printf 'plugin=record\nport=n1\nrec_dir=%s\n' "$REC"
} | MAXT=5 tcase million_blank_stdin_lines_are_read_quickly 0 "" -

seq -f 'p%g=1' 1025 |
	tcase stdin_with_more_than_1024_parameters_is_refused 1 \
		"$P: error: more than 1024 parameters" -

printf 'plugin=record\ngarbage line\n' |
	tcase stdin_line_without_equals_is_refused 1 \
		"$P: error: stdin line 2: expected name=value, got a line starting 'garbage' without '='" -

printf 'plugin=record\n=value\n' |
	tcase stdin_empty_name_is_refused 1 "$P: error: stdin line 2: empty parameter name" -

for bad_name in 1abc a-b 'a b' a.b 'x$y' "$(printf 'caf\303\251')" "$(printf 'a\033[2Jb')"; do
	printf 'plugin=record\n%s=1\n' "$bad_name" |
		tcase "stdin_invalid_name_$(printf '%s' "$bad_name" | od -An -tx1 | tr -d ' \n')_is_refused" \
			1 "$P: error: stdin line 2: '*' is not a valid parameter name*" -
done

# The refusal quotes the name without its control characters.
printf 'plugin=record\na\033[2Jb=1\n' |
	tcase stdin_invalid_name_is_quoted_without_control_characters 1 \
		"$P: error: stdin line 2: 'a\\\\x1b\\[2Jb' is not a valid parameter name*" -

printf 'plugin=record\nhelp=1\n' |
	tcase stdin_command_line_only_option_is_refused 1 \
		"$P: error: stdin line 2: 'help' is a command-line option only" -

# ======================================================================
# Values of the shim's own options, and hostile command lines.
# ======================================================================

for v in 0 -1 abc 3x 99999999999999999999999 ''; do
	printf 'plugin=record\nport=n1\nplugin_timeout=%s\n' "$v" |
		tcase "plugin_timeout_value_[$v]_is_refused" 1 \
			"$P: error: plugin_timeout='$v' is not a whole number from 1 to 86400" -
done
printf 'plugin=record\nport=n1\nretry_on=0\n' |
	tcase retry_on_0_is_refused 1 "$P: error: retry_on='0' is not a whole number*" -
printf 'plugin=record\nport=n1\ndelay=-1\n' |
	tcase negative_delay_is_refused 1 "$P: error: delay='-1' is not a whole number*" -
printf 'plugin=record\nport=n1\nmethod=bogus\n' |
	tcase unknown_method_is_refused 1 "$P: error: method='bogus' is not one of: cycle, onoff" -
printf 'plugin=record\nport=n1\nverbose=maybe\n' |
	tcase non_boolean_verbose_is_refused 1 "$P: error: verbose='maybe' is not a boolean*" -
printf 'plugin=record\nport=n1\naction=explode\n' |
	tcase unknown_action_is_refused 1 "$P: error: unknown action 'explode'*" -
printf 'plugin=record\naction=off\n' |
	tcase fencing_without_target_is_refused 1 "$P: error: action 'off' needs a target*" -

tcase unknown_short_option_is_refused 1 "$P: error: unknown option '-Z'*" - -Z </dev/null
tcase empty_long_option_name_is_refused 1 "$P: error: '--=x' is not a valid option name" - --=x </dev/null
tcase long_option_without_value_is_refused 1 "$P: error: option '--plugin' needs a value*" - --plugin </dev/null
tcase short_option_without_value_is_refused 1 "$P: error: option '-o' needs a value" - -o </dev/null
tcase positional_argument_is_refused 1 "$P: error: unexpected argument 'reboot'*" - reboot </dev/null
tcase invalid_long_option_name_is_refused 1 "$P: error: '--a.b=1' is not a valid option name" - --a.b=1 </dev/null

# ======================================================================
# delay, retry_on and method.
# ======================================================================

tcase method_onoff_runs_off_then_on 0 "" chk_onoff <<EOF
plugin=record
port=n1
method=onoff
rec_dir=$REC
EOF

tcase retry_on_3_succeeds_on_third_attempt 0 "" chk_three_attempts <<EOF
plugin=record
port=n1
retry_on=3
fail_times=2
rec_dir=$REC
EOF

ERRLINES=2 tcase retry_on_2_fails_when_both_attempts_fail 1 \
	"$P: error: plugin record: reset n1 exited 1*$P: error: plugin record: reset n1 exited 1" - <<EOF
plugin=record
port=n1
retry_on=2
fail_times=2
rec_dir=$REC
EOF

tcase delay_2_waits_before_reset 0 "" chk_delay <<EOF
plugin=record
port=n1
delay=2
rec_dir=$REC
EOF

# ======================================================================
# Fifty concurrent fence actions against one plugin: no cross-talk.
# ======================================================================

concurrent_case() {
	local name=fifty_concurrent_reboots_all_succeed_without_cross_talk i rc
	local -a pids
	REASONS=""
	for i in $(seq 50); do
		printf 'plugin=record\nport=node%d\ntag=%d\nhold=0.5\nrec_dir=%s\n' \
			"$i" "$i" "$REC" >"$T/in.$i"
		"$BIN" <"$T/in.$i" >"$T/out.$i" 2>"$T/err.$i" &
		pids[i]=$!
	done
	for i in $(seq 50); do
		wait "${pids[i]}"
		rc=$?
		[ "$rc" -eq 0 ] || bad "call $i exited $rc: $(head -c 200 "$T/err.$i")"
		[ ! -s "$T/out.$i" ] || bad "call $i printed on stdout"
		[ "$(cat "$REC/call.$i" 2>/dev/null | tr '\n' ' ')" = "op=reset argc=2 target=node$i " ] ||
			bad "call $i recorded [$(tr '\n' ' ' <"$REC/call.$i" 2>/dev/null)]"
		has_line "$REC/env.reset.$i" "tag=$i" ||
			bad "call $i's plugin saw tag [$(grep '^tag=' "$REC/env.reset.$i" 2>/dev/null)]"
	done
	local files=("$REC"/call.*)
	[ "${#files[@]}" -eq 50 ] || bad "${#files[@]} record files, expected 50"
	if [ -z "$REASONS" ]; then t_ok "$name"; else t_fail "$name" "$REASONS"; fi
	reset_dirs
}
concurrent_case

. tests/faults/exec_security.sh
. tests/faults/logging.sh
. tests/faults/review2.sh

t_done
