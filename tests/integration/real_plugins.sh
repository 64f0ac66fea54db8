#!/bin/bash
# Every real plugin of Debian's cluster-glue through the shim: its
# metadata validates against fence-agents' and pcs's schemas and keeps
# every parameter the plugin declares. Plugins run from a copy of the
# plugin directory with our own ha_log.sh (as on RHEL, where
# cluster-glue does not exist).
T_SUITE=real_plugins
. "$(dirname "$0")/common.sh"

glue=/usr/lib/stonith/plugins/external
if [ ! -d "$glue" ] || [ -z "$(ls "$glue")" ]; then
	t_fail "cluster_glue_plugins_are_installed" "$glue is empty: install cluster-glue (tests/deps.sh)"
	t_done
	exit 1
fi

# attrs XPATH [FILE]: the values of attribute XPATH, sorted, on one line.
attrs() {
	xmllint --xpath "$1" "${2:--}" 2>/dev/null |
		sed 's/ [a-z]*="\([^"]*\)"/\1 /g' | xargs -n1 | LC_ALL=C sort | xargs
}

n=0
for p in "$glue"/*; do
	name=$(basename "$p")
	case $name in hbwrap-*) continue ;; esac # other suites' test plugins
	add_plugin "$p"
	n=$((n + 1))
	# What the plugin itself declares, asked the cluster-glue way.
	PATH=/usr/share/cluster-glue:$PATH "$p" getinfo-xml >"$tmp/$name.own" 2>/dev/null
	want=$(attrs '//parameter/@name' "$tmp/$name.own")
	want_required=$(attrs '//parameter[@required="1"]/@name' "$tmp/$name.own")
	agent "fence_hb_$name" -o metadata </dev/null
	printf '%s\n' "$out" >"$tmp/$name.xml"
	t_eq "${name}_metadata_exits_0" 0 "$rc"
	t_eq "${name}_metadata_validates_against_both_schemas" yes "$(valid_both "$tmp/$name.xml")"
	t_eq "${name}_metadata_has_no_warning" "" "$err"
	got=$(attrs '//parameter/@name' "$tmp/$name.xml")
	missing=""
	for w in $want; do
		case " $got " in *" $w "*) ;; *) missing="$missing $w" ;; esac
	done
	t_eq "${name}_metadata_keeps_every_parameter" "" "$missing"
	# Required is what the plugin's XML says, nothing more (issue 10).
	t_eq "${name}_metadata_requires_what_the_xml_requires" "$want_required" \
		"$(attrs '//parameter[@required="1"]/@name' "$tmp/$name.xml")"
done
t_eq "every_cluster_glue_plugin_was_tried" yes "$([ "$n" -ge 15 ] && echo yes || echo "only $n")"

t_eq "ipmi_metadata_holds_its_eight_parameters" \
	"hostname interface ipaddr ipmitool passwd passwd_method priv userid" \
	"$(for x in hostname interface ipaddr ipmitool passwd passwd_method priv userid; do
		xmllint --xpath "string(//parameter[@name='$x']/@name)" "$tmp/ipmi.xml"
		echo
	done | xargs)"
# external/ipmi's XML marks nothing required; its getconfignames lists
# hostname ipaddr userid passwd interface. Like cluster-glue and
# Pacemaker's native road, the metadata requires none of them.
t_eq "ipmi_getconfignames_names_make_nothing_required" "" \
	"$(attrs '//parameter[@required="1"]/@name' "$tmp/ipmi.xml")"

# The generic agent offers the union of every plugin's parameters.
agent fence_hbwrap -o metadata </dev/null
printf '%s\n' "$out" >"$tmp/generic.xml"
t_eq "generic_metadata_over_real_plugins_validates" yes "$(valid_both "$tmp/generic.xml")"
t_eq "generic_metadata_offers_ipmi_and_vcenter_parameters" "ipaddr VI_SERVER" \
	"$(xmllint --xpath 'string(//parameter[@name="ipaddr"]/@name)' "$tmp/generic.xml") $(xmllint --xpath 'string(//parameter[@name="VI_SERVER"]/@name)' "$tmp/generic.xml")"

t_done
