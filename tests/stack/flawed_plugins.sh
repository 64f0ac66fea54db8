# shellcheck shell=bash
# Sourced by tests/stack/run.sh: plugins with the flaws of plugins sites
# really run (tests/plugins/hbwrap-flawed, one flaw per name) through
# Pacemaker's tools and pcs. A flaw of a plugin's self-description must
# never leave the agent without metadata, nor make pcs need --force.

FENCE_RNG=/usr/share/cluster/relaxng/metadata.rng
FLAWED_SRC=$HERE/../plugins/hbwrap-flawed
ALL_ACTIONS="list manpage metadata monitor off on reboot start status stop validate-all"

# check_schema NAME RNG FILE: FILE validates against RNG.
check_schema() {
	if xmllint --noout --relaxng "$2" "$3" 2>/dev/null; then
		t_ok "$1"
	else
		t_fail "$1" "$(xmllint --noout --relaxng "$2" "$3" 2>&1 | head -n 1)"
	fi
}

# install_flawed NAME: hbwrap-flawed as plugin hbwrap-NAME, linked.
install_flawed() {
	local dst="$PLUGIN_DIR/hbwrap-$1"
	if [ -e "$dst" ] && ! cmp -s "$FLAWED_SRC" "$dst"; then
		echo "$dst exists and is not this suite's plugin; not touching it" >&2
		return 1
	fi
	CREATED+=("$dst")
	install -o root -g root -m 0755 "$FLAWED_SRC" "$dst" && link_agent "hbwrap-$1"
}

FLAWED_CIB=$TMP/flawed-cib.xml
pm cibadmin --empty >"$FLAWED_CIB"
for n in amp emptyxml hangxml sbdlike; do
	install_flawed "$n" || exit 1
done

for n in amp emptyxml hangxml; do
	agent=fence_hb_hbwrap-$n
	md=$TMP/flawed-$n.xml
	start=$(date +%s%N)
	if pm crm_resource --show-metadata "stonith:$agent" >"$md" 2>"$TMP/err"; then
		t_ok "flawed_${n}_crm_resource_shows_metadata"
	else
		t_fail "flawed_${n}_crm_resource_shows_metadata" "$(head -n 2 "$TMP/err" | paste -sd' ' -)"
	fi
	ms=$((($(date +%s%N) - start) / 1000000))
	echo "note: crm_resource --show-metadata stonith:$agent took $ms ms"
	# pcs checks what crm_resource gives (start and stop added, with
	# timeouts); fence-agents' schema is for what the agent prints.
	echo action=metadata | "/usr/sbin/$agent" >"$md.raw" 2>/dev/null
	check_schema "flawed_${n}_crm_resource_metadata_validates_against_pcs_ocf_rng" \
		"$OCF_RNG" "$md"
	check_schema "flawed_${n}_agent_metadata_validates_against_fence_agents_metadata_rng" \
		"$FENCE_RNG" "$md.raw"
	t_eq "flawed_${n}_metadata_advertises_every_action" "$ALL_ACTIONS" \
		"$(attr_values "$md" '//actions/action/@name' | xargs)"
	pcs_create_warned "flawed_${n}_pcs_create_succeeds_without_force" \
		"*: warning: plugin hbwrap-$n: *" "$FLAWED_CIB" "F-$n" "$agent" "hostlist=$n-1 $n-2"
	o=$(validate "$agent" "hostlist=$n-1")
	t_eq "flawed_${n}_stonith_admin_validate_passes" "0" "$?"
	o=$(/usr/sbin/fence_hbwrap --check "hbwrap-$n" 2>&1)
	orc=$?
	# A getinfo-xml flaw costs the metadata only; one that hangs delays
	# every fence (issue 15, part 3).
	if [ "$n" = hangxml ]; then
		t_match "flawed_${n}_check_fails_saying_why" "1 *problem: getinfo-xml*NOT work*" "$orc $o"
	else
		t_match "flawed_${n}_check_warns_saying_why" "0 *warning: getinfo-xml*will work*" "$orc $o"
	fi
done

# sbd's plugin: its XML marks nothing required, getconfignames lists
# optional names. Only the name it needs is given, as on Debian.
pcs_create_warned pcs_create_sbd_like_with_only_sbd_device_succeeds_without_force \
	"*: warning: plugin hbwrap-sbdlike: getconfignames names parameters not given: crashdump, timeout_bypass" "$FLAWED_CIB" F-sbd fence_hb_hbwrap-sbdlike sbd_device=/dev/sdb
o=$(validate fence_hb_hbwrap-sbdlike sbd_device=/dev/sdb)
t_eq stonith_admin_validate_sbd_like_with_only_sbd_device_passes 0 "$?"
t_match stonith_admin_validate_sbd_like_warns_about_names_not_given \
	"*getconfignames names parameters not given: crashdump, timeout_bypass*" "$o"
