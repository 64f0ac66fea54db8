#!/bin/bash
# The shim against test plugins of our own that record what they get:
# the fence-agents API on the outside, cluster-glue's on the inside.
T_SUITE=integration
. "$(dirname "$0")/common.sh"

add_plugin "$top/tests/plugins/record"
add_plugin "$top/tests/plugins/xmltext"
rec=$tmp/record.log

# args: the arguments of the recorded calls, as "op target|op target|".
args() {
	awk '/^call /{if (s!="") printf "%s|", s; s=""; next}
	     /^arg\[/{a=substr($0,5); sub(/\]$/,"",a); s=(s==""?a:s" "a)}
	     END{if (s!="") printf "%s|", s}' "$rec" 2>/dev/null
}
# env_of NAME: the value the plugin saw for NAME in its last call.
env_of() { grep "^env $1=" "$rec" | tail -n 1 | sed "s/^env $1=//"; }
reset_rec() { rm -f "$rec"; }

# --- stdin: the fence-agents API -----------------------------------------
reset_rec
agent fence_hb_record < <(printf 'action=reboot\nport=n1\nhostlist=n1 n2\nrecord_file=%s\n' "$rec")
t_eq "reboot_on_stdin_exits_0" 0 "$rc"
t_eq "reboot_maps_to_reset_with_target" "reset n1|" "$(args)"
t_eq "parameters_reach_the_plugin_as_environment" "n1 n2" "$(env_of hostlist)"
t_eq "stdout_is_empty_after_reboot" "" "$out"

reset_rec
agent fence_hb_record < <(printf 'port=n1\nhostlist=n1\nrecord_file=%s\n' "$rec")
t_eq "reboot_is_the_default_action" "reset n1|" "$(args)"

reset_rec
agent fence_hb_record < <(printf 'action=off\nplug=n2\nnodename=n1\nhostlist=n1 n2\nrecord_file=%s\n' "$rec")
t_eq "plug_beats_nodename" "off n2|" "$(args)"
t_eq "nodename_is_passed_to_the_plugin" "n1" "$(env_of nodename)"

reset_rec
agent fence_hb_record < <(printf 'action=on\nport=n3\nplug=n2\nhostlist=n2 n3\nrecord_file=%s\n' "$rec")
t_eq "port_beats_plug" "on n3|" "$(args)"

reset_rec
agent fence_hb_record < <(printf 'action=off\nnodename=n1\nhostlist=n1\nrecord_file=%s\n' "$rec")
t_eq "nodename_alone_is_the_target" "off n1|" "$(args)"

reset_rec
agent fence_hb_record < <(printf '# a comment\n\n   \noption=off\nport=n2\n  hostlist = x \nhostlist=n1 n2\nrecord_file=%s\n' "$rec")
t_eq "option_is_the_old_name_of_action" "off n2|" "$(args)"
t_eq "last_value_of_a_repeated_name_wins" "n1 n2" "$(env_of hostlist)"
t_eq "comments_and_blank_lines_are_skipped" 0 "$rc"

reset_rec
agent fence_hb_record < <(printf 'action=off\nport=n1\nhostlist=n1\nrecord_file=%s\n' "$rec")
t_eq "off_runs_off_target" "off n1|" "$(args)"
reset_rec
agent fence_hb_record < <(printf 'action=on\nport=n1\nhostlist=n1\nrecord_file=%s\n' "$rec")
t_eq "on_runs_on_target" "on n1|" "$(args)"

reset_rec
agent fence_hb_record < <(printf 'action=reboot\nport=n1\nhostlist=n1\nfail_ops=reset\nrecord_file=%s\n' "$rec")
t_eq "failed_reset_exits_1" 1 "$rc"
t_match "failed_reset_is_one_line_naming_plugin_op_and_cause" \
	"*fence_hb_record: error: plugin record: reset n1 exited 1" "$err"
t_eq "failed_reset_prints_nothing_on_stdout" "" "$out"

reset_rec
agent fence_hb_record < <(printf 'action=list\nhostlist=n1   n2\tn3\nrecord_file=%s\n' "$rec")
t_eq "list_runs_gethosts" "gethosts|" "$(args)"
t_eq "list_prints_one_host_per_line" "n1
n2
n3" "$out"
agent fence_hb_record < <(printf 'action=list\nfail_ops=gethosts\n')
t_eq "list_fails_when_gethosts_fails" "1:" "$rc:$out"

reset_rec
agent fence_hb_record < <(printf 'action=monitor\nhostlist=n1\nrecord_file=%s\n' "$rec")
t_eq "monitor_runs_status_without_target" "0:status|" "$rc:$(args)"
agent fence_hb_record < <(printf 'action=monitor\nfail_ops=status\n')
t_eq "monitor_fails_when_device_status_fails" 1 "$rc"

agent fence_hb_record < <(printf 'action=status\nport=n2\nhostlist=n1 n2\n')
t_eq "status_of_a_listed_host_is_0" 0 "$rc"
agent fence_hb_record < <(printf 'action=status\nport=n9\nhostlist=n1 n2\n')
t_eq "status_of_an_unlisted_host_is_1" 1 "$rc"
t_match "status_of_an_unlisted_host_says_why" "*'n9' is not one of the hosts*" "$err"
agent fence_hb_record < <(printf 'action=status\nport=n1\nhostlist=n1\nfail_ops=status\n')
t_eq "status_when_the_device_fails_is_1" 1 "$rc"

agent fence_hb_record < <(printf 'action=validate-all\nhostlist=n1\n')
t_eq "validate_all_passes_with_required_parameters" 0 "$rc"
agent fence_hb_record < <(printf 'action=validate-all\n')
t_eq "validate_all_fails_without_a_required_parameter" 1 "$rc"
t_match "validate_all_names_the_missing_parameter" \
	"*missing required parameter: hostlist" "$err"

agent fence_hb_record < <(printf 'action=dance\nport=n1\n')
t_eq "unknown_action_exits_1" 1 "$rc"
t_match "unknown_action_says_so" "*unknown action 'dance'*" "$err"
agent fence_hb_record < <(printf 'action=reboot\nhostlist=n1\n')
t_eq "reboot_without_target_exits_1" 1 "$rc"
t_match "reboot_without_target_says_so" "*needs a target*" "$err"

# --- command line ---------------------------------------------------------
reset_rec
agent fence_hb_record -o reboot -n n1 --hostlist="n1 n2" --record-file="$rec" </dev/null
t_eq "command_line_reboot_maps_to_reset" "0:reset n1|" "$rc:$(args)"
t_eq "command_line_parameter_reaches_the_plugin" "n1 n2" "$(env_of hostlist)"
reset_rec
agent fence_hb_record -oreboot --plug n2 --record_file="$rec" --hostlist=n2 </dev/null
t_eq "command_line_accepts_attached_and_separate_values" "reset n2|" "$(args)"
reset_rec
agent fence_hb_record -o reboot -n n1 --hostlist=n1 --record-file="$rec" < <(printf 'action=off\nport=n7\n')
t_eq "with_arguments_stdin_is_not_read" "reset n1|" "$(args)"
agent fence_hb_record --help </dev/null
t_eq "help_exits_0" 0 "$rc"
t_match "help_lists_the_options_from_the_table" "*--plugin-timeout=seconds*--debug-file=file*" "$out"
agent fence_hb_record -V </dev/null
t_match "version_prints_the_name_and_version" "fence_hb_record (fence-heartbeat-wrap) [0-9]*" "$out"
agent fence_hb_record extra </dev/null
t_eq "positional_argument_exits_1" 1 "$rc"

# --- the generic name -----------------------------------------------------
reset_rec
agent fence_hbwrap < <(printf 'plugin=external/record\nport=n1\nhostlist=n1\nrecord_file=%s\n' "$rec")
t_eq "generic_with_external_prefix_runs_the_plugin" "0:reset n1|" "$rc:$(args)"
reset_rec
agent fence_hbwrap < <(printf 'plugin=record\nport=n1\nhostlist=n1\nrecord_file=%s\n' "$rec")
t_eq "generic_with_bare_name_runs_the_plugin" "0:reset n1|" "$rc:$(args)"
t_eq "plugin_parameter_is_not_exported" "" "$(env_of plugin)"
agent fence_hbwrap < <(printf 'plugin=../x\nport=n1\n')
t_eq "plugin_path_is_refused" 1 "$rc"
t_match "plugin_path_refusal_says_why" "*plugin '../x' refused: *not a path*" "$err"
agent fence_hbwrap < <(printf 'plugin=nosuch\nport=n1\n')
t_eq "missing_plugin_exits_1" 1 "$rc"
t_match "missing_plugin_says_why" "*plugin 'nosuch' cannot be used: */nosuch: No such file or directory" "$err"
agent fence_hbwrap < <(printf 'port=n1\n')
t_match "generic_without_plugin_says_how_to_choose" "*no plugin given*" "$err"
agent fence_hb_record < <(printf 'plugin=xmltext\nport=n1\n')
t_match "plugin_parameter_conflicting_with_the_name_is_refused" "*conflicts with the program name*" "$rc $err"

# --- what the plugin receives ---------------------------------------------
reset_rec
LANG=C.UTF-8 SHIM_OWN_VARIABLE=leak agent fence_hb_record < <(printf 'action=reboot\nport=n1\nplug=n1\nhostlist=n1\nrecord_file=%s\nverbose=0\n' "$rec")
t_eq "callers_environment_does_not_reach_the_plugin" "" "$(env_of SHIM_OWN_VARIABLE)"
t_eq "keep_list_variable_reaches_the_plugin" "C.UTF-8" "$(env_of LANG)"
t_eq "plugin_logtag_is_external_name" "external/record" "$(env_of HA_LOGTAG)"
t_match "plugin_path_starts_with_our_helpers" "$tmp/helpers:*" "$(env_of PATH)"
t_eq "shim_options_are_not_exported" "" "$(grep -E '^env (action|port|plug|verbose)=' "$rec")"
t_eq "plugin_using_ha_log_sh_works" "ha_log.sh exit 0" "$(grep '^ha_log.sh exit' "$rec")"
t_eq "ha_log_sh_info_stays_off_stderr_on_success" "" "$(printf '%s' "$err" | grep 'info: record plugin')"

reset_rec
agent fence_hb_record < <(printf 'action=reboot\nport=n1;touch %s/x\nkeep_case=1\nhostlist=n1\nrecord_file=%s\n' "$tmp" "$rec")
t_eq "shell_metacharacters_in_target_reach_plugin_literally" "reset n1;touch $tmp/x|" "$(args)"
t_eq "shell_metacharacters_in_target_run_nothing" "no" "$([ -e "$tmp/x" ] && echo yes || echo no)"

# --- options of the shim ---------------------------------------------------
reset_rec
agent fence_hb_record < <(printf 'action=reboot\nmethod=onoff\nport=n1\nhostlist=n1\nrecord_file=%s\n' "$rec")
t_eq "method_onoff_reboots_with_off_then_on" "0:off n1|on n1|" "$rc:$(args)"
reset_rec
agent fence_hb_record < <(printf 'action=reboot\nretry_on=3\nport=n1\nhostlist=n1\nfail_ops=reset\nrecord_file=%s\n' "$rec")
t_eq "retry_on_makes_that_many_attempts" "1:reset n1|reset n1|reset n1|" "$rc:$(args)"
start=$(date +%s%N)
agent fence_hb_record < <(printf 'action=reboot\ndelay=1\nport=n1\nhostlist=n1\n')
t_eq "delay_waits_before_the_action" "yes" "$([ $(($(date +%s%N) - start)) -ge 1000000000 ] && echo yes || echo no)"
agent fence_hb_record < <(printf 'action=reboot\nport=n1\nhostlist=n1\nverbose=1\npasswd=S3cr3t-value\nrecord_file=%s\n' "$rec")
t_match "verbose_traces_each_plugin_call" "*plugin record: reset n1 exited 0 after*" "$err"
t_match "verbose_shows_ha_log_sh_messages" "*external/record\[*\]: info: record plugin: reset n1*" "$err"
t_eq "verbose_masks_secret_values" "" "$(printf '%s' "$err" | grep S3cr3t-value)"
FENCE_HBWRAP_LOG_DIR=$tmp agent fence_hb_record < <(printf 'action=reboot\nport=n1\nhostlist=n1\ndebug_file=%s/debug.log\npasswd=S3cr3t-value\n' "$tmp")
t_match "debug_file_records_the_call" "*plugin record: reset n1 exited 0*" "$(cat "$tmp/debug.log")"
t_eq "debug_file_masks_secret_values" "" "$(grep S3cr3t-value "$tmp/debug.log")"

# --- metadata ----------------------------------------------------------------
agent fence_hb_record -o metadata </dev/null
printf '%s\n' "$out" >"$tmp/record.xml"
t_eq "metadata_exits_0" 0 "$rc"
t_eq "metadata_validates_against_both_schemas" yes "$(valid_both "$tmp/record.xml")"
t_eq "metadata_is_named_as_invoked" "fence_hb_record" \
	"$(xmllint --xpath 'string(/resource-agent/@name)' "$tmp/record.xml")"
t_eq "metadata_keeps_required_of_the_plugin" "1" \
	"$(xmllint --xpath 'string(//parameter[@name="hostlist"]/@required)' "$tmp/record.xml")"
t_eq "metadata_folds_long_description_into_shortdesc" \
	"Hosts. The hosts this device controls, separated by blanks." \
	"$(xmllint --xpath 'string(//parameter[@name="hostlist"]/shortdesc)' "$tmp/record.xml")"
t_eq "metadata_offers_reboot_and_port" "reboot port" \
	"$(xmllint --xpath 'string(//action[@name="reboot"]/@name)' "$tmp/record.xml") $(xmllint --xpath 'string(//parameter[@name="port"]/@name)' "$tmp/record.xml")"
t_eq "per_plugin_metadata_has_no_plugin_parameter" "" \
	"$(xmllint --xpath 'string(//parameter[@name="plugin"]/@name)' "$tmp/record.xml")"

agent fence_hb_xmltext < <(printf 'action=metadata\n')
printf '%s\n' "$out" >"$tmp/xmltext.xml"
t_eq "metadata_with_unicode_cdata_entities_validates" yes "$(valid_both "$tmp/xmltext.xml")"
t_eq "utf8_and_whitespace_survive" "Größe of the 電源 unit. Raw <b>bold</b> & stuff then & <tag> café" \
	"$(xmllint --xpath 'string(//parameter[@name="size"]/shortdesc[@lang="en"])' "$tmp/xmltext.xml")"
t_eq "other_languages_are_kept" "Größe. Die Größe." \
	"$(xmllint --xpath 'string(//parameter[@name="size"]/shortdesc[@lang="de"])' "$tmp/xmltext.xml")"
t_eq "device_text_is_escaped_not_pasted" "Fence agent for Tëst <device> & co (Heartbeat plugin external/xmltext)" \
	"$(xmllint --xpath 'string(/resource-agent/@shortdesc)' "$tmp/xmltext.xml")"
t_eq "enum_with_options_becomes_select" "select fast slow" \
	"$(xmllint --xpath 'string(//parameter[@name="mode"]/content/@type)' "$tmp/xmltext.xml") $(xmllint --xpath '//parameter[@name="mode"]/content/option/@value' "$tmp/xmltext.xml" | sed 's/ value="\([^"]*\)"/\1 /g' | xargs)"
t_eq "confignames_never_make_a_parameter_required" "0" \
	"$(xmllint --xpath 'string(//parameter[@name="size"]/@required)' "$tmp/xmltext.xml")"

agent fence_hbwrap < <(printf 'action=metadata\n')
printf '%s\n' "$out" >"$tmp/generic.xml"
t_eq "generic_metadata_validates_against_both_schemas" yes "$(valid_both "$tmp/generic.xml")"
t_eq "generic_metadata_requires_plugin" "1" \
	"$(xmllint --xpath 'string(//parameter[@name="plugin"]/@required)' "$tmp/generic.xml")"
t_eq "generic_metadata_offers_every_plugins_parameters" "hostlist size mode" \
	"$(for p in hostlist size mode; do xmllint --xpath "string(//parameter[@name='$p']/@name)" "$tmp/generic.xml"; echo; done | xargs)"
t_eq "generic_metadata_never_requires_a_plugin_parameter" "0" \
	"$(xmllint --xpath 'string(//parameter[@name="hostlist"]/@required)' "$tmp/generic.xml")"
t_eq "generic_metadata_lists_the_per_plugin_names" "fence_hb_record fence_hb_xmltext" \
	"$(xmllint --xpath '//symlink/@name' "$tmp/generic.xml" | sed 's/ name="\([^"]*\)"/\1 /g' | xargs)"

# --- one mode per invocation ---------------------------------------------------
# Two modes at once are refused in one line (exit 1, nothing on stdout);
# before, the first in a fixed order ran and the other was dropped.
modes_refused() {
	local name=$1
	shift
	agent "$@" </dev/null
	t_eq "${name}_exits_1" 1 "$rc"
	t_eq "${name}_prints_nothing_on_stdout" "" "$out"
	t_match "${name}_says_why_in_one_line" "*ask for two different things*" "$err"
	t_eq "${name}_says_it_in_one_line" 1 "$(printf '%s\n' "$err" | wc -l)"
}
modes_refused list_plugins_with_convert_cib fence_hbwrap --list-plugins --convert-cib "$tmp/none.xml"
modes_refused link_with_check fence_hbwrap --link record --check record
modes_refused check_with_an_action fence_hbwrap --check record -o off
modes_refused check_with_a_target fence_hbwrap --check record -n n1
agent fence_hb_record --list-plugins </dev/null
t_eq fence_hb_name_refuses_an_admin_option "1|" "$rc|$out"
t_match fence_hb_name_names_the_generic_program "*is an option of fence_hbwrap only*" "$err"
agent fence_hbwrap --check record </dev/null
t_eq check_alone_still_runs "0" "$rc"

. "$top/tests/integration/flawed_plugins.sh"

# --- the metadata cache -------------------------------------------------------
cp "$tmp/plugins/record" "$tmp/record.orig"
rm -rf "$tmp/cache"
agent fence_hb_record -o metadata </dev/null
first=$out
t_eq "metadata_cache_is_a_private_directory" "700" "$(stat -c %a "$tmp/cache")"
t_eq "metadata_cache_holds_one_entry_per_agent" 1 "$(ls "$tmp/cache" | wc -l)"
sed -i 's/Recording test device/Edited test device/' "$tmp/plugins/record"
agent fence_hb_record -o metadata </dev/null
t_match "metadata_cache_notices_an_edited_plugin" "*Fence agent for Edited test device*" "$out"
agent fence_hb_record -o metadata --hostlist=n1 </dev/null
t_eq "metadata_with_plugin_parameters_bypasses_the_cache" 2 "$(grep -l '^fence-heartbeat-wrap .* agent=fence_hb_record ' "$tmp"/cache/* | wc -l)"
chmod 0755 "$tmp/cache"
cp "$tmp/record.orig" "$tmp/plugins/record"
echo "<garbage" >"$tmp/cache/$(ls "$tmp/cache" | head -n 1)"
agent fence_hb_record -o metadata </dev/null
t_eq "metadata_cache_not_private_is_not_used" "$first" "$out"
chmod 0700 "$tmp/cache"
for f in "$tmp"/cache/*.xml; do printf 'not the key\n<x/>' >"$f"; done
agent fence_hb_record -o metadata </dev/null
t_eq "metadata_cache_entry_with_another_key_is_a_miss" "$first" "$out"

t_done
