#!/bin/bash
# shellcheck source-path=SCRIPTDIR
#
# Convert suite: fence_hbwrap --convert-cib on CIBs that the real tools
# build the way a Debian/Ubuntu cluster holds them (cibadmin --empty, then
# pcs -f ... stonith create ... external/ipmi and external/<plugin>, which
# pcs accepts here because cluster-glue is installed; crm configure ...
# stonith:external/ssh; stonith:null and fence_ipmilan; a pcmk_host_map,
# fencing levels, a Dummy resource and a constraint), checked with the
# real tools: crm_verify -x, crm configure verify, pcs stonith config,
# diff; the --pcs commands run
# against an empty CIB file; every kind of bad input.
#
# Run as root after `make install PREFIX=/usr`:   tests/convert/run.sh
#
# It installs its plugin (hbwrap-cv-power) in the cluster-glue plugin
# directory and makes the fence_hb_ links it needs with the command the
# report prints (fence_hbwrap --link); it removes exactly what it created.
# No cluster is used: every tool works on a CIB file.

T_SUITE=convert
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"

SHIM=/usr/sbin/fence_hbwrap
PLUGIN_DIR=/usr/lib/stonith/plugins/external
PLUGIN=hbwrap-cv-power
SECRET='Pw0rd-of-the-ipmi-board'
SECRET2="sw'itch pass"
# shellcheck disable=SC2016 # a literal $ in the secret, on purpose
SECRET3='fence-agents $ecret'

if [ "$(id -u)" -ne 0 ]; then
	echo "tests/convert/run.sh must run as root" >&2
	exit 2
fi
for tool in cibadmin crm crm_verify pcs xmllint; do
	command -v "$tool" >/dev/null || {
		echo "tests/convert/run.sh: $tool is missing (run tests/deps.sh)" >&2
		exit 2
	}
done
[ -x "$SHIM" ] || {
	echo "tests/convert/run.sh: run 'make install PREFIX=/usr' first" >&2
	exit 2
}

TMP=$(mktemp -d)
CREATED=()
cleanup() {
	local f
	for f in "${CREATED[@]}"; do
		rm -f -- "$f"
	done
	rm -rf -- "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$TMP" || exit 1

dst=$PLUGIN_DIR/$PLUGIN
if [ -e "$dst" ] && ! cmp -s "$HERE/plugins/$PLUGIN" "$dst"; then
	echo "$dst exists and is not this suite's plugin; not touching it" >&2
	exit 1
fi
CREATED+=("$dst")
install -o root -g root -m 0755 "$HERE/plugins/$PLUGIN" "$dst" || exit 1
# A link of our plugin left by a killed run is removed, so that the report
# below sees it missing.
rm -f "/usr/sbin/fence_hb_$PLUGIN"

# empty_cib FILE: a new CIB file as cibadmin --query shows a fresh
# cluster's: quorate, nodes node1 and node2 online, no resources.
empty_cib() {
	local n
	cibadmin --empty >"$1" &&
		CIB_file=$1 cibadmin --modify -X '<cib have-quorum="1"/>' || return 1
	for n in 1 2; do
		CIB_file=$1 cibadmin --create -o nodes -X "<node id=\"$n\" uname=\"node$n\"/>" &&
			CIB_file=$1 cibadmin --create -o status -X "<node_state id=\"$n\" uname=\"node$n\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"/>" ||
			return 1
	done
}

# old_cib FILE: a Debian/Ubuntu CIB with stonith:external devices; its
# status section knows FI by its old type, as a running cluster's does.
old_cib() {
	empty_cib "$1" &&
		pcs -f "$1" stonith create FI external/ipmi hostname=node1 \
			ipaddr=192.0.2.1 userid=admin passwd="$SECRET" \
			interface=lanplus 'pcmk_host_map=node1:Port1;node2:Port2' &&
		pcs -f "$1" stonith create FP "external/$PLUGIN" \
			'hostlist=node1 node2' passwd="$SECRET2" \
			op monitor interval=120s meta priority=3 &&
		pcs -f "$1" stonith create FN null hostlist=node2 &&
		pcs -f "$1" stonith create FA fence_ipmilan ip=192.0.2.9 \
			username=admin password="$SECRET3" pcmk_host_list=node2 &&
		pcs -f "$1" stonith level add 1 node1 FI &&
		pcs -f "$1" stonith level add 2 node1 FP &&
		pcs -f "$1" stonith level add 1 node2 FP FA &&
		pcs -f "$1" resource create D1 ocf:pacemaker:Dummy &&
		pcs -f "$1" constraint location D1 prefers node1 &&
		CIB_file=$1 crm configure primitive FC stonith:external/ssh \
			params hostlist=node2 >/dev/null 2>&1 &&
		CIB_file=$1 cibadmin --modify -X '<node_state id="1"><lrm id="1"><lrm_resources><lrm_resource id="FI" class="stonith" type="external/ipmi"/></lrm_resources></lrm></node_state>'
}

# devices CIB: every fencing device's id, type and nvpairs, and every
# fencing level, one per line, sorted: what must survive a conversion.
devices() {
	local id n
	for id in $(xmllint --xpath '//primitive[@class="stonith"]/@id' "$1" 2>/dev/null |
		grep -o '"[^"]*"' | tr -d '"'); do
		echo "$id $(xmllint --xpath "string(//primitive[@id='$id']/@type)" "$1")"
		for n in $(xmllint --xpath "//primitive[@id='$id']/instance_attributes/nvpair/@name" "$1" 2>/dev/null |
			grep -o '"[^"]*"' | tr -d '"'); do
			echo "$id $n=$(xmllint --xpath "string(//primitive[@id='$id']/instance_attributes/nvpair[@name='$n']/@value)" "$1")"
		done
	done
	xmllint --xpath '//fencing-level' "$1" 2>/dev/null | grep -o '<fencing-level[^>]*>' |
		sed 's/ id="[^"]*"//'
} 2>/dev/null

# one_line_refusal NAME FILE: --convert-cib FILE exits 1, says one line
# naming the cause (GLOB), prints nothing on stdout.
one_line_refusal() {
	local name=$1 file=$2 glob=$3 rc
	"$SHIM" --convert-cib "$file" >out 2>err </dev/null
	rc=$?
	t_eq "${name}_exits_1" 1 "$rc"
	t_eq "${name}_prints_nothing_on_stdout" 0 "$(wc -c <out)"
	t_eq "${name}_says_one_line" 1 "$(wc -l <err)"
	t_match "${name}_names_the_cause" "$glob" "$(cat err)"
}

# ------------------------------------------------ an old-style CIB, converted

if old_cib old.xml >build.log 2>&1; then
	t_ok "pcs_builds_a_debian_cib_with_external_devices_a_level_and_a_dummy"
else
	t_fail "pcs_builds_a_debian_cib_with_external_devices_a_level_and_a_dummy" \
		"$(tail -n 3 build.log | paste -sd' ' -)"
fi
t_eq old_cib_passes_crm_verify "" "$(crm_verify -x old.xml 2>&1)"

"$SHIM" --convert-cib old.xml >new.xml 2>report
t_eq convert_exits_0 0 "$?"
report=$(cat report)
t_match report_names_ipmi_conversion "*primitive FI: stonith:external/ipmi -> stonith:fence_hb_ipmi*" "$report"
t_match report_names_plugin_conversion "*primitive FP: stonith:external/$PLUGIN -> stonith:fence_hb_$PLUGIN*" "$report"
t_match report_names_null_as_not_converted "*primitive FN: stonith:null is NOT converted*" "$report"
t_match report_gives_check_verdict "*check:     external/$PLUGIN will work through fence_hbwrap*" "$report"
t_match report_names_missing_link_and_its_command \
	"*/usr/sbin/fence_hb_$PLUGIN is missing: run \`fence_hbwrap --link $PLUGIN\`*" "$report"
t_match report_names_pcmk_host_map_change "*pcmk_host_map changes meaning*" "$report"
t_match report_keeps_a_fence_agent "*primitive FA: stonith:fence_ipmilan: a fence agent already, kept*" "$report"
t_eq report_prints_no_secret "" "$(grep -F -e "$SECRET" -e "$SECRET2" -e "$SECRET3" report)"

# The command the report gives makes the link; ipmi's and ssh's too if
# missing.
for p in "$PLUGIN" ipmi ssh; do
	if [ ! -e "/usr/sbin/fence_hb_$p" ]; then
		CREATED+=("/usr/sbin/fence_hb_$p")
		"$SHIM" --link "$p" >/dev/null
	fi
done
"$SHIM" --convert-cib old.xml >new.xml 2>report
t_match report_sees_the_link_made "*/usr/sbin/fence_hb_$PLUGIN is installed*" "$(cat report)"
t_match report_finds_every_parameter_known \
	"*params:    all 2 known to fence_hb_$PLUGIN, none missing*" "$(cat report)"

t_eq converted_cib_passes_crm_verify "" "$(crm_verify -x new.xml 2>&1)"
t_eq converted_cib_passes_crmsh_verify "" "$(CIB_file=$TMP/new.xml crm configure verify 2>&1)"
t_eq converted_cib_differs_only_in_the_three_type_attributes "" \
	"$(sed -e '/<primitive /s|type="external/\(ipmi\)"|type="fence_hb_\1"|' \
		-e '/<primitive /s|type="external/\(ssh\)"|type="fence_hb_\1"|' \
		-e "/<primitive /s|type=\"external/$PLUGIN\"|type=\"fence_hb_$PLUGIN\"|" old.xml |
		cmp - new.xml 2>&1)"
t_eq diff_shows_three_changed_lines 3 "$(diff old.xml new.xml | grep -c '^>')"
t_eq status_section_keeps_the_old_type 1 \
	"$(xmllint --xpath 'count(//status//lrm_resource[@id="FI"][@type="external/ipmi"])' new.xml)"
t_eq converted_cib_keeps_every_parameter_and_level \
	"$(devices old.xml | sed -e 's| external/| fence_hb_|')" "$(devices new.xml)"

config=$(pcs -f new.xml stonith config 2>&1)
t_match pcs_stonith_config_shows_fence_hb_ipmi "*Resource: FI (class=stonith type=fence_hb_ipmi)*" "$config"
t_match pcs_stonith_config_shows_fence_hb_plugin "*Resource: FP (class=stonith type=fence_hb_$PLUGIN)*" "$config"
missing=
for p in $(devices old.xml | sed -n 's/^F[IP] \([^=]*\)=.*/\1/p'); do
	grep -q "^    $p=" <<<"$config" || missing="$missing $p"
done
t_eq pcs_stonith_config_shows_every_parameter "" "$missing"

# ------------------------------------------------ --pcs, on an empty CIB file

# run_pcs CMDS CIB: run the commands of file CMDS with pcs working on CIB.
run_pcs() {
	CIB=$2 sh -c 'pcs() { command pcs -f "$CIB" "$@"; }; . "$1"' sh "$PWD/$1"
}

# recreated: what devices() says of new.xml, without FN (not converted,
# so not recreated).
recreated() {
	devices new.xml | grep -v '^FN '
}

"$SHIM" --convert-cib old.xml --pcs >cmds.sh 2>pcs-report
t_eq pcs_exits_0 0 "$?"
t_eq pcs_commands_hold_no_secret "" "$(grep -F -e "$SECRET" -e "$SECRET2" -e "$SECRET3" cmds.sh pcs-report)"
t_match pcs_notes_name_the_secret_variables "*set SECRET_FI_PASSWD to the secret passwd*" "$(cat pcs-report)"
empty_cib fresh.xml
out=$(run_pcs cmds.sh fresh.xml 2>&1)
t_match pcs_commands_refuse_to_run_without_the_secret "*SECRET_FI_PASSWD*" "$out"
t_eq pcs_commands_create_nothing_without_the_secret "" \
	"$(xmllint --xpath '//primitive' fresh.xml 2>/dev/null)"

empty_cib fresh.xml
out=$(SECRET_FI_PASSWD=$SECRET SECRET_FP_PASSWD=$SECRET2 SECRET_FA_PASSWORD=$SECRET3 \
	run_pcs cmds.sh fresh.xml 2>&1)
t_eq pcs_commands_run_with_the_secrets_set 0 "$?"
t_eq pcs_commands_recreate_devices_parameters_and_levels \
	"$(recreated)" "$(devices fresh.xml)"
t_eq pcs_commands_keep_the_monitor_interval 120s \
	"$(xmllint --xpath 'string(//primitive[@id="FP"]/operations/op[@name="monitor"]/@interval)' fresh.xml)"
t_eq pcs_commands_keep_meta_attributes 3 \
	"$(xmllint --xpath 'string(//primitive[@id="FP"]/meta_attributes/nvpair[@name="priority"]/@value)' fresh.xml)"
t_eq pcs_recreated_cib_passes_crm_verify "" "$(crm_verify -x fresh.xml 2>&1)"

"$SHIM" --convert-cib - --pcs --show-secrets <old.xml >cmds-secrets.sh 2>/dev/null
t_match show_secrets_puts_the_secret_in "*$SECRET*" "$(cat cmds-secrets.sh)"
empty_cib fresh2.xml
run_pcs cmds-secrets.sh fresh2.xml >/dev/null 2>&1
t_eq show_secrets_commands_recreate_the_devices "$(recreated)" "$(devices fresh2.xml)"

# ------------------------------------------------ comments, CDATA, PIs

# comments FILE: FILE with comments around and inside the devices, each
# on a line of its own; the first is the issue's "<!--->", which is no
# whole comment but runs on to the next "-->".
comments() {
	sed -e '/<resources>/i\
<!---> <primitive class="stonith" type="external/ipmi" id="X"/> -->' \
		-e '/<primitive id="F[IP]"/a\
<!-- type="external/ipmi" --><!---><primitive type="external/ssh"/>-->' "$1"
}
# pis FILE: FILE with processing instructions that look like devices
# (Pacemaker 2.1 keeps no PI: crm_verify complains of them).
pis() {
	sed -e '/<resources>/i\
<?hbwrap <primitive class="stonith" type="external/ipmi"/> ?>' \
		-e '/<primitive id="F[IP]"/a\
<?pi type="external/ssh" ?>' "$1"
}
# cdata FILE: FILE with a CDATA section inside FI that looks like a device.
cdata() {
	sed '/<primitive id="FI"/a\
<![CDATA[<primitive class="stonith" type="external/ssh" id="Y"/> -->]]>' "$1"
}

for kind in comments pis cdata; do
	"$kind" old.xml >"$kind.xml"
	"$kind" new.xml >"$kind-expected.xml"
	"$SHIM" --convert-cib "$kind.xml" >"$kind-new.xml" 2>/dev/null
	t_eq "${kind}_cib_converts" 0 "$?"
	t_eq "${kind}_cib_converts_as_it_does_without_them" "" \
		"$(cmp "$kind-expected.xml" "$kind-new.xml" 2>&1)"
	t_eq "${kind}_diff_shows_only_the_three_type_attributes" "3 3" \
		"$(diff "$kind.xml" "$kind-new.xml" | grep -c '^>') $(diff "$kind.xml" "$kind-new.xml" |
			grep '^>' | grep -c 'type="fence_hb_')"
done
t_eq comments_converted_cib_passes_crm_verify "" "$(crm_verify -x comments-new.xml 2>&1)"

# ------------------------------------------------ --pcs: no CIB word is an option

# pcs_refusal NAME FILE PATH: --convert-cib FILE --pcs refuses in one line
# (pcs would read a word as an option), and nothing is created: not PATH,
# not a device when what it printed runs.
pcs_refusal() {
	"$SHIM" --convert-cib "$2" --pcs >out 2>err </dev/null
	t_eq "${1}_is_refused_exit_1_one_line_nothing_on_stdout" "1 0 1" \
		"$? $(wc -c <out) $(wc -l <err)"
	t_match "${1}_refusal_names_the_option_pcs_would_read" \
		"*pcs would read it as an option*" "$(cat err)"
	empty_cib fresh.xml
	run_pcs out fresh.xml >/dev/null 2>&1
	t_eq "${1}_creates_nothing" "0 no" \
		"$(xmllint --xpath 'count(//primitive)' fresh.xml) $([ -e "$3" ] && echo yes || echo no)"
}

sed "/<instance_attributes id=\"FP-instance_attributes\">/a\\
<nvpair id=\"FP-evil\" name=\"-f$TMP/evil-nvpair\" value=\"x\"/>" old.xml >evil-nvpair.xml
t_eq evil_nvpair_cib_is_a_valid_cib "" "$(crm_verify -x evil-nvpair.xml 2>&1)"
pcs_refusal nvpair_named_dash_f evil-nvpair.xml "$TMP/evil-nvpair=x"
sed "s|target=\"node1\"|target=\"-f$TMP/evil-level\"|" old.xml >evil-level.xml
pcs_refusal level_target_dash_f evil-level.xml "$TMP/evil-level"
"$SHIM" --convert-cib old.xml --pcs >cmds.sh 2>/dev/null
t_eq pcs_commands_end_pcs_options_before_the_cib_words "" \
	"$(grep -v -e '^pcs stonith create -- ' -e '^pcs stonith level add -- ' cmds.sh)"

# ------------------------------------------------ one variable per secret

# f-1 and f.1 both fold to SECRET_F_1_PASSWD: each gets its own.
empty_cib twins.xml
pcs -f twins.xml stonith create f-1 "external/$PLUGIN" hostlist=node1 passwd=one >/dev/null 2>&1
pcs -f twins.xml stonith create f.1 "external/$PLUGIN" hostlist=node2 passwd=two >/dev/null 2>&1
"$SHIM" --convert-cib twins.xml --pcs >twins.sh 2>twins-report
t_match secret_variables_of_ids_folding_together_are_numbered \
	"*f-1: set SECRET_F_1_PASSWD_1 to*f.1: set SECRET_F_1_PASSWD_2 to*" "$(cat twins-report)"
empty_cib fresh3.xml
SECRET_F_1_PASSWD_1=one SECRET_F_1_PASSWD_2=two run_pcs twins.sh fresh3.xml >/dev/null 2>&1
t_eq each_device_gets_its_own_secret "one two" \
	"$(xmllint --xpath "string(//primitive[@id='f-1']//nvpair[@name='passwd']/@value)" fresh3.xml) $(xmllint --xpath "string(//primitive[@id='f.1']//nvpair[@name='passwd']/@value)" fresh3.xml)"

# ------------------------------------------------ 100000 nvpairs in one device

awk -v n=100000 -v p="$PLUGIN" 'BEGIN {
	print "<cib epoch=\"1\" num_updates=\"0\" admin_epoch=\"0\"><configuration>"
	print "<crm_config/><nodes/><resources>"
	print "<primitive id=\"F1\" class=\"stonith\" type=\"external/" p "\">"
	print "<instance_attributes id=\"F1-ia\">"
	for (i = 0; i < n; i++)
		printf "<nvpair id=\"F1-ia-p%d\" name=\"p%d\" value=\"v%d\"/>\n", i, i, i
	print "</instance_attributes></primitive>"
	print "</resources><constraints/></configuration><status/></cib>"
}' >big100k.xml
# Measured and shown, not asserted (a shared machine's load is no test).
secs=$( { TIMEFORMAT=%R; time "$SHIM" --convert-cib big100k.xml >big100k-new.xml 2>big100k-report; } 2>&1)
echo "convert: 100000 nvpairs in one device: converted in $secs s (issue 15: under 1 s)"
t_eq big_device_converts_only_its_type "1 1" \
	"$(diff big100k.xml big100k-new.xml | grep -c '^>') $(grep -c "^<primitive id=\"F1\" class=\"stonith\" type=\"fence_hb_$PLUGIN\">" big100k-new.xml)"
t_eq big_device_report_names_each_unknown_parameter 100000 \
	"$(grep -c 'is not a parameter of' big100k-report)"
secs=$( { TIMEFORMAT=%R; time "$SHIM" --convert-cib big100k.xml --pcs >big100k.sh 2>/dev/null; } 2>&1)
echo "convert: 100000 nvpairs in one device: pcs commands in $secs s"
t_eq big_device_pcs_command_holds_every_pair 100000 "$(grep -o ' p[0-9]*=v[0-9]*' big100k.sh | wc -l)"

# ------------------------------------------------ nothing left running

# The report runs --check on each plugin: what a timed-out plugin leaves
# (in a session of its own) must not outlive the conversion.
LINGER=hbwrap-cv-linger
MARK="HBWRAP_CV_LINGER=cv-$$-end"
linger_dst=$PLUGIN_DIR/$LINGER
if [ -e "$linger_dst" ] && ! grep -q "^# $LINGER: " "$linger_dst"; then
	echo "$linger_dst exists and is not this suite's plugin; not touching it" >&2
	exit 1
fi
CREATED+=("$linger_dst")
sed -e "s|@MARK@|$MARK|" -e "s|@ONCE@|$TMP/linger-once|" "$HERE/plugins/$LINGER" >linger
install -o root -g root -m 0755 linger "$linger_dst"
sed "s|type=\"external/$PLUGIN\"|type=\"external/$LINGER\"|" old.xml >linger.xml
survivors() {
	grep -lsaF -e "$MARK" /proc/[0-9]*/environ
}
FENCE_HBWRAP_CACHE_DIR=$TMP/cache "$SHIM" --convert-cib linger.xml --plugin-timeout=1 \
	>linger-new.xml 2>linger-report
t_eq linger_cib_converts 0 "$?"
t_match linger_check_timed_out "*getinfo-devurl timed out*" "$(cat linger-report)"
left=$(survivors)
t_eq nothing_a_timed_out_plugin_left_survives_the_conversion "" "$left"
for f in $left; do
	f=${f#/proc/}
	kill -9 "${f%/environ}" 2>/dev/null
done

# ------------------------------------------------ nothing to convert

empty_cib plain.xml
"$SHIM" --convert-cib plain.xml >out 2>err
t_eq nothing_to_convert_exits_0 0 "$?"
t_eq nothing_to_convert_prints_the_cib_unchanged "" "$(cmp plain.xml out 2>&1)"
t_match nothing_to_convert_is_reported "*nothing to convert*" "$(cat err)"

# ------------------------------------------------ bad input

printf '<cib><configuration>' >truncated.xml
one_line_refusal not_xml truncated.xml "*not well-formed XML*"
cibadmin --empty | sed 's/cib/cob/g' >cob.xml
one_line_refusal not_a_cib cob.xml "*not a CIB*"
{ echo '<!DOCTYPE cib SYSTEM "http://192.0.2.1/cib.dtd">'; cat old.xml; } >dtd.xml
one_line_refusal dtd dtd.xml "*DTD*"
sed 's|<configuration>|<!ENTITY e "x"><configuration>|' old.xml >entity.xml
one_line_refusal entities entity.xml "*entities*"
cp old.xml big.xml
head -c $((33 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >>big.xml
one_line_refusal over_size_bound big.xml "*larger than 32 MiB*"
one_line_refusal missing_file "$TMP/no-such.xml" "*cannot open*No such file*"
one_line_refusal directory "$TMP" "*cannot read*directory*"
"$SHIM" --convert-cib - <truncated.xml >out 2>err
t_eq stdin_not_xml_exits_1_one_line_nothing_out "1 0 1" "$? $(wc -c <out) $(wc -l <err)"
"$SHIM" --pcs >out 2>err
t_eq pcs_without_convert_cib_is_refused_in_one_line "1 0 1" "$? $(wc -c <out) $(wc -l <err)"
"$SHIM" --convert-cib old.xml --show-secrets >out 2>err
t_eq show_secrets_without_pcs_is_refused_in_one_line "1 0 1" "$? $(wc -c <out) $(wc -l <err)"

t_done
