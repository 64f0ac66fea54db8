# Plugins as sites really wrote them (issue 10), sourced by run.sh: a
# flaw of a plugin's self-description never leaves the agent without
# metadata, and only the plugin's XML says what is required.
# tests/plugins/hbwrap-flawed picks its flaw by the name it is given.

# add_flawed NAME...: install hbwrap-flawed as each hbwrap-NAME.
add_flawed() {
	local n
	for n in "$@"; do
		install -m 0755 "$top/tests/plugins/hbwrap-flawed" "$tmp/plugins/hbwrap-$n"
		ln -sf "$bin" "$tmp/bin/fence_hb_hbwrap-$n"
	done
}
add_flawed amp emptyxml hangxml noxml badid sbdlike runon port devurl3 silent
ACTIONS="list manpage metadata monitor off on reboot status validate-all"

# actions_of FILE: the advertised actions, sorted, on one line.
actions_of() {
	xmllint --xpath '//actions/action/@name' "$1" 2>/dev/null |
		sed 's/ name="\([^"]*\)"/\1 /g' | xargs -n1 | LC_ALL=C sort | xargs
}
# params_of FILE: the parameter names, on one line, in order.
params_of() {
	xmllint --xpath '//parameters/parameter/@name' "$1" 2>/dev/null |
		sed 's/ name="\([^"]*\)"/\1 /g' | xargs
}
# warnings: the shim's warning lines in $err.
warnings() { grep -c "^fence_hb_[^:]*: warning: " <<<"$err"; }

# --- 1. metadata for every runnable plugin, whatever its flaw ------------
for row in "amp|*getinfo-xml: its XML is not well-formed (line 15: *): read with libxml2's recovery" \
	"emptyxml|*getinfo-xml: it printed nothing: the parameters are the names getconfignames prints" \
	"hangxml|*getinfo-xml timed out after 5 s*: the parameters are the names getconfignames prints"; do
	n=${row%%|*}
	start=$(date +%s%N)
	agent "fence_hb_hbwrap-$n" -o metadata </dev/null
	ms=$((($(date +%s%N) - start) / 1000000))
	printf '%s\n' "$out" >"$tmp/flawed-$n.xml"
	t_eq "flawed_${n}_metadata_exits_0" 0 "$rc"
	t_eq "flawed_${n}_metadata_validates_against_both_schemas" yes "$(valid_both "$tmp/flawed-$n.xml")"
	t_eq "flawed_${n}_metadata_advertises_every_action" "$ACTIONS" "$(actions_of "$tmp/flawed-$n.xml")"
	t_match "flawed_${n}_metadata_offers_the_plugin_parameters" "*hostlist record_file*" \
		"$(params_of "$tmp/flawed-$n.xml")"
	t_eq "flawed_${n}_metadata_warns_once" 1 "$(warnings)"
	t_match "flawed_${n}_metadata_warning_says_why" "${row#*|}" "$err"
	# pacemaker-fenced gives metadata 10 s in all.
	t_eq "flawed_${n}_metadata_within_pacemakers_10_s" yes "$([ "$ms" -lt 8000 ] && echo yes || echo "no: $ms ms")"
	agent fence_hbwrap --check "hbwrap-$n" </dev/null
	# Fencing works whatever getinfo-xml says: a warning, with its
	# cost; but a getinfo-xml that hangs delays every fence.
	if [ "$n" = hangxml ]; then
		t_eq "flawed_${n}_check_fails" 1 "$rc"
		t_match "flawed_${n}_check_says_why" "*problem: ${row#*|\*}*every fence action waits*" "$out"
	else
		t_eq "flawed_${n}_check_passes_as_fencing_works" 0 "$rc"
		t_match "flawed_${n}_check_warns_saying_the_cost" \
			"*warning: ${row#*|\*}*pcs cannot check required parameters*will work*" "$out"
	fi
done
t_eq "flawed_amp_recovery_keeps_the_parameter_after_the_ampersand" "1" \
	"$(xmllint --xpath 'string(//parameter[@name="outlet"]/content/@default)' "$tmp/flawed-amp.xml")"
t_eq "flawed_amp_recovery_keeps_required" "1" \
	"$(xmllint --xpath 'string(//parameter[@name="hostlist"]/@required)' "$tmp/flawed-amp.xml")"
t_eq "metadata_made_despite_a_flaw_is_not_cached" "" \
	"$(grep -l hbwrap-amp "$tmp"/cache/* 2>/dev/null)"

agent fence_hb_hbwrap-noxml -o metadata </dev/null
printf '%s\n' "$out" >"$tmp/flawed-noxml.xml"
t_eq "plugin_describing_nothing_gets_metadata" "0 yes" "$rc $(valid_both "$tmp/flawed-noxml.xml")"
t_eq "plugin_describing_nothing_gets_the_shims_parameters" \
	"action plug port plugin_timeout delay retry_on method keep_case verbose debug_file" \
	"$(params_of "$tmp/flawed-noxml.xml")"
t_eq "plugin_describing_nothing_gets_every_action" "$ACTIONS" "$(actions_of "$tmp/flawed-noxml.xml")"
t_eq "plugin_describing_nothing_warns_once_per_problem" 2 "$(warnings)"

agent fence_hb_hbwrap-badid -o metadata </dev/null
t_eq "failed_getinfo_dev_operations_still_give_metadata" 0 "$rc"
t_match "failed_getinfo_dev_operations_warn_each" \
	"*warning: plugin hbwrap-badid: getinfo-devid exited 1: the metadata does without it*warning: plugin hbwrap-badid: getinfo-devurl exited 1*" "$err"
agent fence_hbwrap --check hbwrap-badid </dev/null
t_match "check_warns_of_failed_getinfo_dev_operations" "*warning: getinfo-devid exited 1*will work*" "$out"
t_eq "check_passes_despite_failed_getinfo_dev_operations" 0 "$rc"

# --check answers "will fencing work": flaws that only make the metadata
# poorer are warnings that say what they cost (issue 15, part 3).
agent fence_hbwrap --check hbwrap-devurl3 </dev/null
t_match "check_of_plugin_whose_devurl_exits_3_passes_with_a_warning" \
	"0:*warning: getinfo-devurl exited 3*fencing works*will work through fence_hbwrap (1 warning)*" "$rc:$out"
agent fence_hbwrap --check hbwrap-silent </dev/null
t_match "check_of_plugin_describing_nothing_passes_with_warnings" \
	"0:*warning: getinfo-xml*pcs cannot check required parameters*will work through fence_hbwrap*" "$rc:$out"
t_eq "check_of_plugin_describing_nothing_says_no_problem" "" "$(grep '^  problem:' <<<"$out")"

# A plugin that cannot be run at all has no metadata (and nothing else):
# pcs must refuse it rather than configure a device that cannot fence.
# (Under valgrind, $wrap, the child's failed execve is valgrind's own
# exit 101, not a failed execve: these run with ASan instead.)
if [ -z "$wrap" ]; then
	printf '#!/nonexistent/interpreter\n' >"$tmp/plugins/hbwrap-cannotrun"
	chmod 0755 "$tmp/plugins/hbwrap-cannotrun"
	ln -sf "$bin" "$tmp/bin/fence_hb_hbwrap-cannotrun"
	agent fence_hb_hbwrap-cannotrun -o metadata </dev/null
	t_match "plugin_that_cannot_run_has_no_metadata" \
		"1::*error: plugin hbwrap-cannotrun: getinfo-xml could not be executed*" "$rc:$out:$err"
	# (issue 9: this path leaked the plugin_info; the sanitizers suite
	# runs this suite under ASan.)
	agent fence_hb_hbwrap-cannotrun -o validate-all </dev/null
	t_match "validate_all_of_a_plugin_that_cannot_run_fails_in_one_line" \
		"1:*error: plugin hbwrap-cannotrun: getinfo-xml could not be executed*" "$rc:$err"
	agent fence_hbwrap --check hbwrap-cannotrun </dev/null
	t_match "check_of_a_plugin_that_cannot_run_says_will_not_work" \
		"1:*problem: the plugin cannot be run: *could not be executed*will NOT work*" "$rc:$out"
fi

# --- 2. required means what the plugin says ----------------------------
agent fence_hb_hbwrap-sbdlike -o metadata </dev/null
printf '%s\n' "$out" >"$tmp/sbdlike.xml"
t_eq "sbd_like_metadata_requires_nothing_the_xml_does_not" "" \
	"$(xmllint --xpath '//parameter[@required="1"]/@name' "$tmp/sbdlike.xml" 2>/dev/null)"
t_eq "sbd_like_metadata_has_no_warning" "" "$err"
agent fence_hb_hbwrap-sbdlike < <(printf 'action=validate-all\nsbd_device=/dev/sdb\n')
t_eq "sbd_like_validate_all_passes_with_only_sbd_device" 0 "$rc"
t_eq "sbd_like_validate_all_warns_about_listed_names_not_given" \
	"fence_hb_hbwrap-sbdlike: warning: plugin hbwrap-sbdlike: getconfignames names parameters not given: crashdump, timeout_bypass" "$err"
agent fence_hb_hbwrap-sbdlike < <(printf 'action=validate-all\nsbd_device=/dev/sdb\ncrashdump=1\ntimeout_bypass=1\n')
t_eq "sbd_like_validate_all_with_every_name_is_silent" "0:" "$rc:$err"
# A required parameter missing is the one line validate-all prints (pcs
# 0.12 --agent-validation refuses with it): the names getconfignames lists
# and the request lacks are not added to it.
# (hbwrap-badid: its XML and getconfignames are sound; record_file is
# listed, optional, without default.)
agent fence_hb_hbwrap-badid < <(printf 'action=validate-all\n')
t_eq "validate_all_missing_a_required_parameter_says_it_in_one_line" \
	"1:fence_hb_hbwrap-badid: error: plugin hbwrap-badid: missing required parameter: hostlist" "$rc:$err"
agent fence_hb_hbwrap-badid < <(printf 'action=validate-all\nhostlist=n1\n')
t_eq "validate_all_warns_in_one_line_about_listed_names_not_given" \
	"0:fence_hb_hbwrap-badid: warning: plugin hbwrap-badid: getconfignames names parameter not given: record_file" "$rc:$err"
agent fence_hbwrap --check hbwrap-sbdlike </dev/null
t_eq "sbd_like_check_passes" 0 "$rc"
t_match "sbd_like_check_says_the_listed_names_are_not_required" \
	"*info:    getconfignames names sbd_device crashdump timeout_bypass; the XML does not mark them required*" "$out"

agent fence_hb_hbwrap-runon -o metadata </dev/null
printf '%s\n' "$out" >"$tmp/runon.xml"
t_eq "names_run_together_are_not_a_parameter" "" \
	"$(xmllint --xpath 'string(//parameter[@name="ipaddrloginpassword"]/@name)' "$tmp/runon.xml")"
t_eq "names_run_together_keep_the_xml_parameters" "ipaddr login password" \
	"$(xmllint --xpath '//parameter[@required="1"]/@name' "$tmp/runon.xml" | sed 's/ name="\([^"]*\)"/\1 /g' | xargs)"
agent fence_hbwrap --check hbwrap-runon </dev/null
t_match "check_reports_names_run_together" \
	"*warning: getconfignames output is not a list of parameter names ('ipaddrloginpassword' is parameter names run together without a separator): ignored*" "$out"

# --- 4. validate-all runs only what validation needs ---------------------
rm -f "$tmp/runs.log"
agent fence_hb_hbwrap-sbdlike < <(printf 'action=validate-all\nsbd_device=x\ncrashdump=1\ntimeout_bypass=1\nrecord_file=%s\n' "$tmp/runs.log")
t_eq "validate_all_runs_getinfo_xml_and_getconfignames_only" "getconfignames getinfo-xml" \
	"$(LC_ALL=C sort -u "$tmp/runs.log" | xargs)"
t_eq "validate_all_runs_fewer_plugin_calls_than_metadata" yes \
	"$([ "$(wc -l <"$tmp/runs.log")" -le 4 ] && echo yes || echo "no: $(xargs <"$tmp/runs.log")")"
rm -f "$tmp/runs.log"
agent fence_hb_hbwrap-amp < <(printf 'action=metadata\nrecord_file=%s\n' "$tmp/runs.log")
t_eq "metadata_runs_five_informational_operations" 5 "$(wc -l <"$tmp/runs.log")"

# --- 3. a plugin parameter with the name of a shim option ---------------
agent fence_hbwrap --check hbwrap-port </dev/null
t_match "check_says_port_gets_the_target" \
	"*info:    parameter port gets the target (the node to act on) as its value*" "$out"
t_eq "check_of_port_plugin_prints_no_hidden_warning" "" "$(grep -i 'hidden\|warning:' <<<"$out$err")"
t_eq "check_of_port_plugin_passes" 0 "$rc"
# Every warning printed is counted in the summary.
for n in amp emptyxml noxml badid sbdlike runon port; do
	agent fence_hbwrap --check "hbwrap-$n" </dev/null
	w=$(grep -c '^  warning: ' <<<"$out")
	p=$(grep -c '^  problem: ' <<<"$out")
	if [ "$p" -eq 0 ]; then
		want="external/hbwrap-$n will work through fence_hbwrap ($w warning*)"
	else
		want="external/hbwrap-$n will NOT work through fence_hbwrap: $p problem*, $w warning*"
	fi
	t_match "check_summary_counts_every_line_of_hbwrap_$n" "$want" "$(tail -n 1 <<<"$out")"
done
