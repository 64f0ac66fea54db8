#!/bin/bash
# shellcheck source-path=SCRIPTDIR
#
# Stack suite: Pacemaker's own tools and pcs accept the shim exactly as they
# accept a native RHCS fence agent. No cluster is needed and none is used:
#
#   1. crm_resource --show-metadata, stonith_admin --metadata,
#      --list-installed and --validate on fence_hb_<plugin> and fence_hbwrap;
#   2. pcs -f on a CIB file (stonith create, stonith describe), the way an
#      administrator works, for external/ipmi, for this suite's own plugin
#      and for every real cluster-glue plugin that can describe itself.
#
# Run as root after `make install PREFIX=/usr`:   tests/stack/run.sh
#
# Pacemaker finds fence agents only in /usr/sbin, so the suite creates the
# fence_hb_<plugin> links there (to $HBWRAP, else /usr/sbin/fence_hbwrap)
# and copies its plugins (hbwrap-st-*) into the cluster-glue plugin
# directory; it removes exactly what it created on exit. The Pacemaker tools
# and pcs run in a network namespace of their own when unshare(1) can make
# one: the fencer's IPC sockets are abstract Unix sockets, so there no
# running cluster can answer, and every check proves it needs none.

T_SUITE=stack
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"

SHIM=${HBWRAP:-/usr/sbin/fence_hbwrap}
PLUGIN_DIR=/usr/lib/stonith/plugins/external
GLUE_PATH=/usr/share/cluster-glue       # where cluster-glue's ha_log.sh is
OCF_RNG=/usr/share/pcs/data/ocf-1.0.rng # the schema pcs checks metadata with
OWN_PLUGINS="hbwrap-st-demo"
ABSENT=hbwrap-st-absent                 # a link whose plugin does not exist

if [ "$(id -u)" -ne 0 ]; then
	echo "tests/stack/run.sh must run as root" >&2
	exit 2
fi
for tool in crm_resource stonith_admin cibadmin crm_verify pcs xmllint; do
	if ! command -v "$tool" >/dev/null; then
		echo "tests/stack/run.sh: $tool is missing (run tests/deps.sh)" >&2
		exit 2
	fi
done
if [ ! -x /usr/sbin/fence_hbwrap ] || [ ! -x "$SHIM" ]; then
	echo "tests/stack/run.sh: run 'make install PREFIX=/usr' first" >&2
	exit 2
fi

TMP=$(mktemp -d)
CREATED=()      # links and plugins this suite made, removed on exit

cleanup() {
	local f
	for f in "${CREATED[@]}"; do
		rm -f -- "$f"
	done
	rm -rf -- "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ISOLATE=()
if unshare --net -- true 2>/dev/null; then
	ISOLATE=(unshare --net --)
else
	echo "note: unshare --net is not available; Pacemaker tools run in" \
		"the host's namespace (no cluster must be running)"
fi

# pm CMD...: run a Pacemaker tool or pcs where no fencer can be reached.
pm() {
	"${ISOLATE[@]}" "$@"
}

# ---------------------------------------------------------------- set-up

# link_agent PLUGIN: /usr/sbin/fence_hb_PLUGIN -> the shim. A link to the
# shim under test that is already there (made by an administrator) is used
# and kept; anything else with that name is refused, a link to another
# copy of the shim too (the suite would not test $SHIM through it).
link_agent() {
	local dst="/usr/sbin/fence_hb_$1"
	if [ -e "$dst" ] || [ -L "$dst" ]; then
		if [ "$(readlink -f "$dst")" = "$(readlink -f "$SHIM")" ]; then
			# Links for this suite's own plugins are a leftover of
			# a killed run: remove them this time.
			case $1 in hbwrap-st-*) CREATED+=("$dst") ;; esac
			return 0
		fi
		echo "$dst exists and is not a link to $SHIM" >&2
		return 1
	fi
	ln -s "$SHIM" "$dst" && CREATED+=("$dst")
}

# install_plugin NAME: copy this suite's plugin NAME into the plugin
# directory (mode 0755: cluster-glue and the shim refuse writable ones). A
# file of that name is replaced only if it is this plugin (a leftover of a
# killed run).
install_plugin() {
	local src="$HERE/plugins/$1" dst="$PLUGIN_DIR/$1"
	if [ -e "$dst" ] && ! cmp -s "$src" "$dst"; then
		echo "$dst exists and is not this suite's plugin; not touching it" >&2
		return 1
	fi
	CREATED+=("$dst")
	install -o root -g root -m 0755 "$src" "$dst"
}

# real_plugins: the cluster-glue plugins installed on this host (this
# project's own test plugins, hbwrap-*, excepted).
real_plugins() {
	local f
	for f in "$PLUGIN_DIR"/*; do
		if [ ! -f "$f" ] || [ ! -x "$f" ]; then
			continue
		fi
		case ${f##*/} in
		hbwrap-*) ;;
		*) echo "${f##*/}" ;;
		esac
	done
}

mkdir -p "$PLUGIN_DIR" || exit 1
for p in $OWN_PLUGINS; do
	install_plugin "$p" || exit 1
done
REAL=$(real_plugins)
for p in $REAL $OWN_PLUGINS $ABSENT; do
	link_agent "$p" || exit 1
done

# ---------------------------------------------------------------- helpers

# attr_values FILE XPATH: the values of the attributes XPATH selects in
# FILE, sorted, one a line (nothing if there are none).
attr_values() {
	xmllint --xpath "$2" "$1" 2>/dev/null | grep -o '"[^"]*"' | tr -d '"' |
		LC_ALL=C sort -u
}

# getinfo_xml PLUGIN OUT: the plugin's own getinfo-xml, run the way
# cluster-glue runs it, written to OUT (a <parameters> document).
getinfo_xml() {
	PATH=$GLUE_PATH:$PATH HA_LOGTAG=external/$1 \
		timeout 60 "$PLUGIN_DIR/$1" getinfo-xml >"$2" 2>/dev/null &&
		xmllint --noout "$2" 2>/dev/null
}

# missing WANTED HAVE: the lines of WANTED that HAVE lacks, on one line.
missing() {
	LC_ALL=C comm -23 <(printf '%s\n' "$1" | sed '/^$/d') \
		<(printf '%s\n' "$2" | sed '/^$/d') | paste -sd' ' -
}

# check_lists_all NAME WANTED HAVE: HAVE holds every line of WANTED.
check_lists_all() {
	local lack
	lack=$(missing "$2" "$3")
	if [ -z "$2" ]; then
		t_fail "$1" "nothing to look for"
	elif [ -z "$lack" ]; then
		t_ok "$1"
	else
		t_fail "$1" "missing: $lack"
	fi
}

# check_metadata NAME FILE AGENT: FILE is well-formed metadata of AGENT
# that pcs's schema accepts.
check_metadata() {
	local name=$1 file=$2 agent=$3 why
	if ! why=$(xmllint --noout "$file" 2>&1); then
		t_fail "${name}_is_well_formed_xml" "$(head -n 1 <<<"$why")"
	else
		t_ok "${name}_is_well_formed_xml"
	fi
	if why=$(xmllint --noout --relaxng "$OCF_RNG" "$file" 2>&1); then
		t_ok "${name}_validates_against_pcs_ocf_rng"
	else
		t_fail "${name}_validates_against_pcs_ocf_rng" \
			"$(grep -v validates <<<"$why" | head -n 2 | paste -sd' ' -)"
	fi
	t_eq "${name}_names_the_agent" "$agent" \
		"$(attr_values "$file" '/resource-agent/@name')"
}

# validate AGENT OPTION...: stonith_admin --validate; prints its output.
validate() {
	local agent=$1 o args=()
	shift
	for o in "$@"; do
		args+=(--option "$o")
	done
	pm stonith_admin --validate --agent "$agent" "${args[@]}" 2>&1
}

# check_validate_fails NAME AGENT PARAM OPTION...: validation with OPTIONs
# fails and the error names PARAM.
check_validate_fails() {
	local name=$1 agent=$2 param=$3 out rc
	shift 3
	out=$(validate "$agent" "$@")
	rc=$?
	if [ "$rc" -eq 0 ]; then
		t_fail "$name" "validation passed: $(paste -sd' ' <<<"$out")"
	elif ! grep -i error <<<"$out" | grep -qw -- "$param"; then
		t_fail "$name" "exit $rc, no error naming $param: $(paste -sd' ' <<<"$out")"
	else
		t_ok "$name"
	fi
}

# without NAME OPTION...: the OPTIONs except NAME=...
without() {
	local drop=$1 o
	shift
	for o in "$@"; do
		[ "${o%%=*}" = "$drop" ] || printf '%s\n' "$o"
	done
}

# cib_nvpairs CIB ID: "name=value" of every nvpair of primitive ID, sorted.
cib_nvpairs() {
	local n
	for n in $(attr_values "$1" "//primitive[@id='$2']/instance_attributes/nvpair/@name"); do
		printf '%s=%s\n' "$n" "$(xmllint --xpath \
			"string(//primitive[@id='$2']/instance_attributes/nvpair[@name='$n']/@value)" "$1")"
	done | LC_ALL=C sort
}

# pcs_create NAME CIB ID AGENT OPTION...: `pcs -f CIB stonith create` must
# succeed without --force and print nothing, and the CIB must then hold
# primitive ID of class stonith, type AGENT, with exactly the OPTIONs.
pcs_create() {
	local name=$1 cib=$2 id=$3 agent=$4 out rc
	shift 4
	out=$(pm pcs -f "$cib" stonith create "$id" "$agent" "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ]; then
		t_fail "$name" "exit $rc: $(paste -sd' ' <<<"$out")"
		return
	fi
	if [ -n "$out" ]; then
		t_fail "$name" "succeeded but said: $(paste -sd' ' <<<"$out")"
		return
	fi
	t_ok "$name"
	t_eq "cib_holds_${id}_as_stonith_primitive_of_type_$agent" 1 \
		"$(xmllint --xpath "count(//resources/primitive[@id='$id'][@class='stonith'][@type='$agent'])" "$cib")"
	t_eq "cib_holds_${id}_nvpairs_as_given" \
		"$(printf '%s\n' "$@" | LC_ALL=C sort)" "$(cib_nvpairs "$cib" "$id")"
}

# pcs 0.12 runs the agent's validate-all on every `pcs stonith create` and
# prints what it says as a warning; pcs 0.11 runs none. Detected, never
# assumed.
PCS_VERSION=$(pm pcs --version 2>/dev/null)
case $PCS_VERSION in
0.[0-9].* | 0.1[01].*) PCS_RUNS_VALIDATE=no ;;
*) PCS_RUNS_VALIDATE=yes ;;
esac
echo "note: pcs $PCS_VERSION; runs the agent's validate-all on create: $PCS_RUNS_VALIDATE"

# agent_lines OUT AGENT: the lines of OUT in which AGENT itself speaks
# (pcs 0.12 quotes them after "Validation result from agent:"), without
# pcs's indentation.
agent_lines() {
	sed -n "s/^ *\($2: .*\)/\1/p" <<<"$1"
}

# describe_names OUT: the parameter names `pcs stonith describe` printed:
# each on a line of its own indented by two spaces, followed by ": " and
# its description (pcs 0.11) or by nothing, its description and type on
# the lines below, indented further (pcs 0.12).
describe_names() {
	sed -n 's/^  \([A-Za-z0-9_][A-Za-z0-9_]*\)\( (required)\)\{0,1\}\( (unique)\)\{0,1\}\(: .*\)\{0,1\}$/\1/p' \
		<<<"$1" | LC_ALL=C sort -u
}

# line_matches GLOB TEXT: a line of TEXT matches the shell pattern GLOB.
line_matches() {
	local l
	while IFS= read -r l; do
		# shellcheck disable=SC2053 # GLOB is a pattern
		[[ $l == $1 ]] && return 0
	done <<<"$2"
	return 1
}

# pcs_create_warned NAME GLOB CIB ID AGENT OPTION...: a device the plugin
# can run with but whose validate-all warns (names not given, a flawed
# self-description): pcs creates it without --force; pcs 0.11 says
# nothing, pcs 0.12 nothing or only its agent-validation warning, in
# which every line of the agent is a warning and one matches GLOB.
pcs_create_warned() {
	local name=$1 glob=$2 cib=$3 id=$4 agent=$5 out rc said rest
	shift 5
	out=$(pm pcs -f "$cib" stonith create "$id" "$agent" "$@" 2>&1)
	rc=$?
	said=$(agent_lines "$out" "$agent")
	rest=$(grep -v -e "^ *$agent: " -e '^Warning: Validating resource options using the resource agent' \
		-e '^Warning: Validation result from agent' -e '^ *$' <<<"$out")
	if [ "$rc" -ne 0 ]; then
		t_fail "$name" "exit $rc: $(paste -sd' ' <<<"$out")"
	elif [ "$PCS_RUNS_VALIDATE" = no ] && [ -n "$out" ]; then
		t_fail "$name" "succeeded but said: $(paste -sd' ' <<<"$out")"
	elif [ "$PCS_RUNS_VALIDATE" = yes ] && [ -n "$out" ] && { [ -n "$rest" ] ||
		grep -qv "^$agent: warning: " <<<"$said" || ! line_matches "$glob" "$said"; }; then
		t_fail "$name" "expected only the agent's warning [$glob], got: $(paste -sd' ' <<<"$out")"
	else
		t_ok "$name"
	fi
	t_eq "cib_holds_${id}_as_stonith_primitive_of_type_$agent" 1 \
		"$(xmllint --xpath "count(//resources/primitive[@id='$id'][@class='stonith'][@type='$agent'])" "$cib")"
}

# pcs_refuses NAME CIB GLOB AGENT OPTION...: pcs refuses to create the
# device, says GLOB, and leaves the CIB as it was.
pcs_refuses() {
	local name=$1 cib=$2 glob=$3 agent=$4 out rc
	shift 4
	cp "$cib" "$TMP/before.xml"
	out=$(pm pcs -f "$cib" stonith create REFUSED "$agent" "$@" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		t_fail "$name" "pcs accepted it"
	else
		t_match "$name" "$glob" "$out"
	fi
	if cmp -s "$cib" "$TMP/before.xml"; then
		t_ok "${name}_leaves_cib_unchanged"
	else
		t_fail "${name}_leaves_cib_unchanged" "the CIB file was changed"
		cp "$TMP/before.xml" "$cib"
	fi
}

# -------------------------------------- 1. Pacemaker's tools, per plugin

IPMI_REQUIRED="hostname=n1 ipaddr=10.0.0.1 userid=admin passwd=secret"

# pacemaker_tools PLUGIN REQUIRED OPTION...: part 1 for fence_hb_PLUGIN,
# whose XML marks exactly the names REQUIRED (blank-separated) required;
# the OPTIONs (name=value) are a working configuration. (external/ipmi's
# XML marks nothing required, and only the XML decides: issue 10.)
pacemaker_tools() {
	local p=$1 agent=fence_hb_$1 md=$TMP/$1.crm.xml sa=$TMP/$1.sa.xml
	local raw=$TMP/$1.raw.xml gx=$TMP/$1.getinfo.xml rc o r opts required
	required=$(printf '%s\n' $2 | sed '/^$/d' | LC_ALL=C sort -u)
	shift 2

	pm crm_resource --show-metadata "stonith:$agent" >"$md" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ -s "$md" ]; then
		t_ok "crm_resource_shows_metadata_of_$agent"
	else
		t_fail "crm_resource_shows_metadata_of_$agent" \
			"exit $rc: $(head -n 2 "$TMP/err" | paste -sd' ' -)"
	fi
	check_metadata "crm_resource_metadata_of_$agent" "$md" "$agent"

	getinfo_xml "$p" "$gx" || t_fail "plugin_${p}_describes_itself" \
		"getinfo-xml failed or is not XML"
	check_lists_all "crm_resource_metadata_of_${agent}_lists_every_plugin_parameter" \
		"$(attr_values "$gx" '//parameter/@name')" \
		"$(attr_values "$md" '//parameters/parameter/@name')"
	t_eq "crm_resource_metadata_of_${agent}_marks_exactly_the_required_parameters_required" \
		"$required" \
		"$(attr_values "$md" '//parameters/parameter[@required="1"]/@name')"
	t_eq "crm_resource_metadata_of_${agent}_keeps_action_plug_port_optional" \
		"" "$(attr_values "$md" '//parameter[@name="action" or @name="plug" or @name="port"][@required="1"]/@name')"

	# Pacemaker adds start and stop to what the agent says; nothing the
	# agent advertises may get lost on the way.
	echo action=metadata | "/usr/sbin/$agent" >"$raw" 2>/dev/null
	t_eq "crm_resource_metadata_of_${agent}_keeps_every_agent_action_and_adds_start_stop" \
		"$({ attr_values "$raw" '//actions/action/@name'; printf 'start\nstop\n'; } |
			LC_ALL=C sort -u)" \
		"$(attr_values "$md" '//actions/action/@name')"

	pm stonith_admin --metadata --agent "$agent" >"$sa" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 0 ] && xmllint --noout "$sa" 2>/dev/null; then
		t_ok "stonith_admin_metadata_of_${agent}_is_well_formed_xml"
	else
		t_fail "stonith_admin_metadata_of_${agent}_is_well_formed_xml" \
			"exit $rc: $(head -n 2 "$TMP/err" | paste -sd' ' -)"
	fi
	t_eq "stonith_admin_metadata_of_${agent}_has_the_same_parameters_as_crm_resource" \
		"$(attr_values "$md" '//parameters/parameter/@name')" \
		"$(attr_values "$sa" '//parameters/parameter/@name')"

	o=$(validate "$agent" "$@")
	rc=$?
	if [ "$rc" -eq 0 ]; then
		t_ok "stonith_admin_validate_${agent}_passes_with_its_options"
	else
		t_fail "stonith_admin_validate_${agent}_passes_with_its_options" \
			"exit $rc: $(paste -sd' ' <<<"$o")"
	fi
	for r in $required; do
		mapfile -t opts < <(without "$r" "$@")
		check_validate_fails \
			"stonith_admin_validate_${agent}_without_${r}_fails_naming_it" \
			"$agent" "$r" "${opts[@]}"
	done
}

# shellcheck disable=SC2086  # word splitting wanted: one option a word
pacemaker_tools ipmi "" $IPMI_REQUIRED
pacemaker_tools hbwrap-st-demo "st_hostlist st_token" "st_hostlist=n1 n2" st_token=t0k3n

DEMO_MD=$TMP/hbwrap-st-demo.crm.xml
t_eq crm_resource_metadata_of_fence_hb_hbwrap-st-demo_keeps_integer_type_and_default \
	"integer 4242" \
	"$(xmllint --xpath 'concat(//parameter[@name="st_port"]/content/@type, " ", //parameter[@name="st_port"]/content/@default)' "$DEMO_MD" 2>/dev/null)"
t_eq crm_resource_metadata_of_fence_hb_hbwrap-st-demo_keeps_boolean_type \
	boolean \
	"$(xmllint --xpath 'string(//parameter[@name="st_verify"]/content/@type)' "$DEMO_MD" 2>/dev/null)"
t_match crm_resource_metadata_of_fence_hb_hbwrap-st-demo_folds_multi_line_descriptions \
	"*Space-separated list of the made-up hosts this demo device controls.*" \
	"$(xmllint --xpath 'string(//parameter[@name="st_hostlist"]/shortdesc)' "$DEMO_MD" 2>/dev/null)"

# A link whose plugin is gone: the metadata query must fail, not describe
# an agent with no parameters (the original symptom, seen from the shim).
if pm crm_resource --show-metadata "stonith:fence_hb_$ABSENT" >"$TMP/absent.xml" 2>&1; then
	t_fail "crm_resource_metadata_fails_for_a_link_whose_plugin_is_absent" \
		"it succeeded: $(head -c 200 "$TMP/absent.xml")"
else
	t_ok "crm_resource_metadata_fails_for_a_link_whose_plugin_is_absent"
fi

# The generic agent.
GEN_MD=$TMP/fence_hbwrap.crm.xml
if pm crm_resource --show-metadata stonith:fence_hbwrap >"$GEN_MD" 2>"$TMP/err"; then
	t_ok crm_resource_shows_metadata_of_fence_hbwrap
else
	t_fail crm_resource_shows_metadata_of_fence_hbwrap "$(head -n 2 "$TMP/err" | paste -sd' ' -)"
fi
check_metadata crm_resource_metadata_of_fence_hbwrap "$GEN_MD" fence_hbwrap
t_eq crm_resource_metadata_of_fence_hbwrap_marks_plugin_required 1 \
	"$(xmllint --xpath 'string(//parameters/parameter[@name="plugin"]/@required)' "$GEN_MD" 2>/dev/null)"
check_lists_all crm_resource_metadata_of_fence_hbwrap_lists_ipmi_and_demo_parameters \
	"$(for p in ipmi hbwrap-st-demo; do
		attr_values "$TMP/$p.getinfo.xml" '//parameter/@name'
	done | LC_ALL=C sort -u)" \
	"$(attr_values "$GEN_MD" '//parameters/parameter/@name')"

if pm stonith_admin --metadata --agent fence_hbwrap >"$TMP/gen.sa.xml" 2>"$TMP/err" &&
	xmllint --noout "$TMP/gen.sa.xml" 2>/dev/null; then
	t_ok stonith_admin_metadata_of_fence_hbwrap_is_well_formed_xml
else
	t_fail stonith_admin_metadata_of_fence_hbwrap_is_well_formed_xml \
		"$(head -n 2 "$TMP/err" | paste -sd' ' -)"
fi

# shellcheck disable=SC2086
o=$(validate fence_hbwrap plugin=ipmi $IPMI_REQUIRED)
t_eq stonith_admin_validate_fence_hbwrap_plugin_ipmi_passes_with_the_required_parameters \
	0 "$?"
check_validate_fails stonith_admin_validate_fence_hbwrap_plugin_demo_without_st_token_fails_naming_it \
	fence_hbwrap st_token plugin=hbwrap-st-demo st_hostlist=n1
# shellcheck disable=SC2086
check_validate_fails stonith_admin_validate_fence_hbwrap_without_plugin_fails_naming_it \
	fence_hbwrap plugin $IPMI_REQUIRED
# pcs does not check a select value against its choices; validation must.
# shellcheck disable=SC2086
check_validate_fails stonith_admin_validate_fence_hb_ipmi_rejects_a_method_outside_its_choices \
	fence_hb_ipmi method $IPMI_REQUIRED method=sideways

pm stonith_admin --list-installed >"$TMP/installed" 2>&1
for a in fence_hbwrap fence_hb_ipmi fence_hb_hbwrap-st-demo; do
	if grep -qx -- "$a" "$TMP/installed"; then
		t_ok "stonith_admin_list_installed_lists_$a"
	else
		t_fail "stonith_admin_list_installed_lists_$a" "not among $(wc -l <"$TMP/installed") lines"
	fi
done

# ------------------------------------------------- 2. pcs on a CIB file

CIB=$TMP/cib.xml
pm cibadmin --empty >"$CIB"

# shellcheck disable=SC2086
pcs_create pcs_create_fence_hb_ipmi_succeeds_without_force \
	"$CIB" F1 fence_hb_ipmi $IPMI_REQUIRED
pcs_create pcs_create_fence_hbwrap_plugin_ipmi_succeeds_without_force \
	"$CIB" F2 fence_hbwrap plugin=ipmi hostname=n2 ipaddr=10.0.0.2 \
	userid=admin passwd=secret
pcs_create_warned pcs_create_fence_hb_hbwrap-st-demo_succeeds_without_force \
	"*: warning: plugin *: getconfignames names parameter* not given: *" "$CIB" F3 fence_hb_hbwrap-st-demo "st_hostlist=n1 n2" st_token=t0k3n

# Refusals, each with pcs's own words (values unique, so that pcs's check
# of unique="1" parameters across devices does not get in the way).
# external/ipmi marks nothing required: as on Debian, a device without
# passwd (the plugin reads it from elsewhere, say) can be created.
pcs_create_warned pcs_create_fence_hb_ipmi_without_passwd_succeeds_as_on_debian \
	"*: warning: plugin ipmi: getconfignames names parameter not given: passwd" "$CIB" F6 fence_hb_ipmi hostname=n6 ipaddr=10.0.0.6 userid=admin
pcs_refuses pcs_refuses_fence_hb_ipmi_with_unknown_option_bogus_naming_it "$CIB" \
	"*invalid stonith option 'bogus'*" fence_hb_ipmi \
	hostname=n9 ipaddr=10.0.0.9 userid=admin passwd=secret bogus=1
pcs_refuses pcs_refuses_fence_hbwrap_without_plugin_naming_it "$CIB" \
	"*option 'plugin' is missing*" fence_hbwrap \
	hostname=n9 ipaddr=10.0.0.9 userid=admin passwd=secret
pcs_refuses pcs_refuses_fence_hb_hbwrap-st-demo_without_st_token_naming_it "$CIB" \
	"*option 'st_token' is missing*" fence_hb_hbwrap-st-demo st_hostlist=n9
pcs_refuses pcs_refuses_agent_whose_plugin_is_absent "$CIB" \
	"*fence_hb_$ABSENT*not installed or does not provide valid metadata*" \
	"fence_hb_$ABSENT" hostlist=n9

# pcs 0.12's agent validation (validate-all run by pcs): a device given
# all the plugin names is created silently, with --agent-validation too; a
# device that cannot work is refused, and under --force pcs shows the
# shim's one-line reason, the only line of the agent.
if [ "$PCS_RUNS_VALIDATE" = yes ]; then
	out=$(pm pcs -f "$CIB" stonith create V1 fence_hb_ipmi hostname=v1 \
		ipaddr=10.0.1.1 userid=admin passwd=secret --agent-validation 2>&1)
	t_eq pcs_agent_validation_of_a_fully_configured_device_is_silent "0:" "$?:$out"
	cp "$CIB" "$TMP/before.xml"
	out=$(pm pcs -f "$CIB" stonith create V2 fence_hb_hbwrap-st-demo \
		st_hostlist=v2 --agent-validation 2>&1)
	t_eq pcs_agent_validation_refuses_a_required_parameter_missing 1 "$?"
	t_eq pcs_agent_validation_refusal_leaves_cib_unchanged yes \
		"$(cmp -s "$CIB" "$TMP/before.xml" && echo yes)"
	out=$(pm pcs -f "$CIB" stonith create V3 fence_hb_hbwrap-st-demo \
		st_hostlist=v3 --agent-validation --force 2>&1)
	t_eq pcs_agent_validation_shows_the_shims_reason_for_a_missing_parameter \
		"fence_hb_hbwrap-st-demo: error: plugin hbwrap-st-demo: missing required parameter: st_token" \
		"$(agent_lines "$out" fence_hb_hbwrap-st-demo)"
	out=$(pm pcs -f "$CIB" stonith create V4 fence_hb_ipmi hostname=v4 \
		ipaddr=10.0.1.4 userid=admin passwd=secret bogus=1 --agent-validation --force 2>&1)
	t_match pcs_agent_validation_shows_the_shims_reason_for_an_undeclared_parameter \
		"fence_hb_ipmi: error: parameter 'bogus' refused: plugin ipmi does not declare it*" \
		"$(agent_lines "$out" fence_hb_ipmi)"
	for d in V1 V3 V4; do pm pcs -f "$CIB" stonith delete "$d" >/dev/null 2>&1; done
else
	echo "note: pcs $PCS_VERSION runs no agent validation: its checks skipped"
fi

# The target parameter: plug is the current name, port the deprecated one
# (as in fence-agents); pcs takes both, and warns about port only.
pcs_create pcs_create_fence_hb_ipmi_with_plug_succeeds_silently \
	"$CIB" F4 fence_hb_ipmi hostname=n4 ipaddr=10.0.0.4 userid=admin \
	passwd=secret plug=n4
# Two devices on one BMC address (a plugin serving several hosts): pcs
# takes the second silently, since the metadata marks nothing unique.
pcs_create pcs_create_second_fence_hb_ipmi_on_the_same_bmc_succeeds_silently \
	"$CIB" F7 fence_hb_ipmi hostname=n7 ipaddr=10.0.0.4 userid=admin \
	passwd=secret plug=n7

out=$(pm pcs -f "$CIB" stonith create F5 fence_hb_ipmi hostname=n5 \
	ipaddr=10.0.0.5 userid=admin passwd=secret port=n5 2>&1)
rc=$?
t_match pcs_create_fence_hb_ipmi_with_port_succeeds_warning_port_is_deprecated_for_plug \
	"0 *Warning*'port' is deprecated*'plug'*" "$rc $out"

out=$(pm pcs stonith describe fence_hb_ipmi 2>&1)
rc=$?
t_eq pcs_describe_fence_hb_ipmi_succeeds 0 "$rc"
t_match pcs_describe_fence_hb_ipmi_shows_the_plugin_descriptions \
	"*The IP address of the STONITH device*The username used for logging in*" "$out"
t_eq pcs_describe_fence_hb_ipmi_shows_no_parameter_required "" \
	"$(grep '(required)' <<<"$out")"
out=$(pm pcs stonith describe fence_hbwrap 2>&1)
t_match pcs_describe_fence_hbwrap_shows_plugin_required "*
  plugin (required)*" "$out"
out=$(pm pcs stonith describe fence_hb_hbwrap-st-demo 2>&1)
t_match pcs_describe_fence_hb_hbwrap-st-demo_shows_its_descriptions \
	"*st_hostlist (required)*Space-separated list of the made-up hosts this demo device controls.*The access token of the demo device.*" \
	"$out"

# ------------------------ every real cluster-glue plugin that describes itself

described=0
GLUE_CIB=$TMP/glue-cib.xml
pm cibadmin --empty >"$GLUE_CIB"
all_names=""
for p in $REAL; do
	agent=fence_hb_$p
	gx=$TMP/$p.getinfo.xml
	md=$TMP/$p.crm.xml
	if ! getinfo_xml "$p" "$gx"; then
		echo "note: external/$p cannot describe itself (getinfo-xml); skipped"
		continue
	fi
	described=$((described + 1))
	names=$(attr_values "$gx" '//parameter/@name')
	all_names=$(printf '%s\n%s\n' "$all_names" "$names")

	if ! pm crm_resource --show-metadata "stonith:$agent" >"$md" 2>"$TMP/err"; then
		t_fail "real_${p}_crm_resource_shows_metadata" \
			"$(head -n 2 "$TMP/err" | paste -sd' ' -)"
		continue
	fi
	if xmllint --noout --relaxng "$OCF_RNG" "$md" 2>/dev/null; then
		t_ok "real_${p}_crm_resource_metadata_validates_against_pcs_ocf_rng"
	else
		t_fail "real_${p}_crm_resource_metadata_validates_against_pcs_ocf_rng" \
			"$(xmllint --noout --relaxng "$OCF_RNG" "$md" 2>&1 | head -n 1)"
	fi
	check_lists_all "real_${p}_crm_resource_metadata_lists_every_getinfo_xml_parameter" \
		"$names" "$(attr_values "$md" '//parameters/parameter/@name')"

	out=$(pm pcs stonith describe "$agent" 2>&1)
	rc=$?
	t_match "real_${p}_pcs_describe_succeeds" "0 $agent - *" "$rc $out"
	check_lists_all "real_${p}_pcs_describe_shows_every_getinfo_xml_parameter" \
		"$names" "$(describe_names "$out")"

	# Create it the way an administrator would: every required
	# parameter given (values unique per plugin), nothing forced.
	opts=()
	for r in $(attr_values "$md" '//parameters/parameter[@required="1"]/@name'); do
		opts+=("$r=$p-$r")
	done
	pcs_create_warned "real_${p}_pcs_create_with_its_required_parameters_succeeds_without_force" \
		"*: warning: plugin *: getconfignames names parameter* not given: *" "$GLUE_CIB" "G-$p" "$agent" "${opts[@]}"
done
echo "note: $described real cluster-glue plugins describe themselves"
if [ "$described" -gt 0 ]; then
	t_ok found_real_cluster_glue_plugins_that_describe_themselves
else
	t_fail found_real_cluster_glue_plugins_that_describe_themselves \
		"none in $PLUGIN_DIR (is cluster-glue installed?)"
fi
check_lists_all crm_resource_metadata_of_fence_hbwrap_lists_every_real_plugin_parameter \
	"$(printf '%s\n' "$all_names" | LC_ALL=C sort -u)" \
	"$(attr_values "$GEN_MD" '//parameters/parameter/@name')"

# Plugins with the flaws of real ones (issue 10).
# shellcheck source=flawed_plugins.sh
. "$HERE/flawed_plugins.sh"

# Pacemaker itself accepts the configuration pcs wrote.
for c in "$CIB" "$GLUE_CIB"; do
	if out=$(pm crm_verify --xml-file "$c" 2>&1); then
		t_ok "crm_verify_accepts_the_cib_pcs_wrote_${c##*/}"
	else
		t_fail "crm_verify_accepts_the_cib_pcs_wrote_${c##*/}" "$(head -n 3 <<<"$out" | paste -sd' ' -)"
	fi
done

. "$HERE/ipmi.sh" # fence_hb_ipmi against a real IPMI BMC (ipmi_sim)
# shellcheck source=crmsh.sh
. "$HERE/crmsh.sh"

t_done
