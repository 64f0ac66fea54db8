#!/bin/bash
# Packaging suite: the tarball and the RPM, make install/uninstall, the man
# pages (lint, and checked against the option table), the admin helpers
# (--list-plugins, --check, --link, --link-all), the example plugin, and
# the walkthrough's commands, re-run and compared with what it shows.
#
# Run as root from the top of the tree, after make and make install
# PREFIX=/usr (as make check does): the man page and the walkthrough are
# checked as installed. It uses $HBWRAP if set, else /usr/sbin/fence_hbwrap.
# The walkthrough puts myplugin in /usr/lib/stonith/plugins/external and
# the link fence_hb_myplugin in /usr/sbin for its duration, and removes
# both; it refuses to start if either is already there.
set -u
export T_SUITE=packaging
cd "$(dirname "$0")/../.." || exit 1
top=$PWD
. tests/lib.sh

HBWRAP=${HBWRAP:-/usr/sbin/fence_hbwrap}
# Absolute, for the links made to it.
HBWRAP=$(cd "$(dirname "$HBWRAP")" && pwd)/$(basename "$HBWRAP")
VERSION=$(sed -n 's/^VERSION *:*= *//p' Makefile)
NAME=fence-heartbeat-wrap
SYS_PLUGIN_DIR=/usr/lib/stonith/plugins/external
tarball=$NAME-$VERSION.tar.gz

tmp=$(mktemp -d)
chmod 0755 "$tmp"
# What this suite creates outside $tmp, removed on exit.
made_tarball=no
made_build_dist=no
made_sys_plugin=no
made_sys_link=no
cleanup() {
	[ "$made_tarball" = yes ] && rm -f "$top/$tarball"
	[ "$made_build_dist" = yes ] && rm -rf "$top/build/dist"
	[ "$made_sys_plugin" = yes ] && rm -f "$SYS_PLUGIN_DIR/myplugin"
	[ "$made_sys_link" = yes ] && rm -f /usr/sbin/fence_hb_myplugin
	rm -rf "$tmp"
}
trap cleanup EXIT

# t_contains NAME NEEDLE HAYSTACK: HAYSTACK holds the fixed string NEEDLE.
t_contains() {
	if grep -qF -- "$2" <<<"$3"; then
		t_ok "$1"
	else
		t_fail "$1" "[$2] not in: $(head -c 600 <<<"$3")"
	fi
}

# ---------------------------------------------------------------------
# The tarball and the RPM.
# ---------------------------------------------------------------------

spec_version=$(sed -n 's/^Version: *//p' fence_heartbeat_wrap.spec)
t_eq spec_version_is_makefile_version "$VERSION" "$spec_version"
t_eq spec_source0_is_dist_tarball '%{name}-%{version}.tar.gz' \
	"$(sed -n 's/^Source0: *//p' fence_heartbeat_wrap.spec)"
breqs=$(sed -n 's/^BuildRequires: *//p' fence_heartbeat_wrap.spec | sort | tr '\n' ' ')
t_eq spec_buildrequires_use_rhel_names \
	"check-devel elfutils file gcc make pkgconfig(libxml-2.0) " "$breqs"

[ -e "$top/$tarball" ] || made_tarball=yes
[ -e "$top/build/dist" ] || made_build_dist=yes
if make -s -C "$top" dist >"$tmp/dist.log" 2>&1 && [ -f "$top/$tarball" ]; then
	t_ok make_dist_makes_versioned_tarball
else
	t_fail make_dist_makes_versioned_tarball "$(tail -n 5 "$tmp/dist.log")"
fi
cp "$top/$tarball" "$tmp/" 2>/dev/null
members=$(tar -tzf "$tmp/$tarball" 2>/dev/null)
missing=
for f in Makefile README LICENSE fence_heartbeat_wrap.spec man/fence_hbwrap.8 \
	examples/myplugin examples/WALKTHROUGH.md src/main.c src/options.c; do
	grep -qx "$NAME-$VERSION/$f" <<<"$members" || missing="$missing $f"
done
t_eq dist_tarball_holds_sources_spec_docs_and_licence "" "$missing"
t_eq dist_tarball_holds_no_build_products "" \
	"$(grep -E '\.(o|a)$|/fence_hbwrap$|/build/' <<<"$members")"

rpmtop=$tmp/rpmbuild
mkdir -p "$rpmtop/SOURCES" "$rpmtop/SPECS"
cp "$tmp/$tarball" "$rpmtop/SOURCES/" 2>/dev/null
# The spec as the tarball carries it.
tar -xzOf "$tmp/$tarball" "$NAME-$VERSION/fence_heartbeat_wrap.spec" \
	>"$rpmtop/SPECS/fence_heartbeat_wrap.spec" 2>/dev/null
if rpmbuild -bb --nodeps --define "_topdir $rpmtop" \
	"$rpmtop/SPECS/fence_heartbeat_wrap.spec" >"$tmp/rpmbuild.log" 2>&1; then
	t_ok rpmbuild_bb_from_dist_tarball_succeeds
else
	t_fail rpmbuild_bb_from_dist_tarball_succeeds \
		"$(tail -n 15 "$tmp/rpmbuild.log")"
fi
if grep -q 'Executing(%check)' "$tmp/rpmbuild.log" &&
	grep -q ' unit$' "$tmp/rpmbuild.log"; then
	t_ok rpmbuild_runs_unit_tests_in_check
else
	t_fail rpmbuild_runs_unit_tests_in_check "no %check running make unit"
fi
rpmfile=
for f in "$rpmtop"/RPMS/*/"$NAME-$VERSION"-*.rpm; do
	[ -f "$f" ] && rpmfile=$f
done
files=$( [ -n "$rpmfile" ] && rpm -qlp "$rpmfile" 2>/dev/null)
for f in /usr/sbin/fence_hbwrap /usr/libexec/fence-heartbeat-wrap/ha_log.sh \
	/usr/share/doc/fence-heartbeat-wrap/README \
	/usr/share/doc/fence-heartbeat-wrap/examples/myplugin \
	/usr/share/doc/fence-heartbeat-wrap/examples/WALKTHROUGH.md; do
	if grep -qx -- "$f" <<<"$files"; then
		t_ok "rpm_lists_$f"
	else
		t_fail "rpm_lists_$f" "not in the RPM: $(tr '\n' ' ' <<<"$files")"
	fi
done
# debuginfo (rpm 4.20 stops on an empty debugfiles.list): where rpm makes
# debug packages, one holds the binary's split debug information.
if [ "$(rpm --eval '%{?_enable_debug_packages}')" = 1 ]; then
	dbg=$(rpm -qlp "$rpmtop"/RPMS/*/"$NAME"-debuginfo-"$VERSION"-*.rpm 2>/dev/null)
	t_match rpm_debuginfo_package_holds_the_binarys_debug_info \
		"*/usr/lib/debug/*fence_hbwrap*.debug*" "$(grep -c '' <<<"$dbg") $(tr '\n' ' ' <<<"$dbg")"
else
	echo "note: this rpm makes no debug packages (_enable_debug_packages unset)"
fi
t_match rpm_lists_man_page "*/usr/share/man/man8/fence_hbwrap.8*" "$files"
t_match rpm_lists_licence "*/usr/share/licenses/*/LICENSE*" "$files"
t_match rpm_ha_log_sh_is_relative_link_to_binary \
	"*ha_log.sh -> ../../sbin/fence_hbwrap*" \
	"$( [ -n "$rpmfile" ] && rpm -qlvp "$rpmfile" 2>/dev/null | grep ha_log.sh)"
t_eq rpm_man_page_is_a_doc_or_man_file "" \
	"$( [ -n "$rpmfile" ] && rpm -qdp "$rpmfile" 2>/dev/null |
		grep -q fence_hbwrap.8 || echo 'man page not marked')"

# ---------------------------------------------------------------------
# make install / make uninstall with DESTDIR.
# ---------------------------------------------------------------------

dest=$tmp/destdir
if make -s -C "$top" install DESTDIR="$dest" PREFIX=/usr >"$tmp/install.log" 2>&1; then
	t_ok make_install_with_destdir_succeeds
else
	t_fail make_install_with_destdir_succeeds "$(tail -n 5 "$tmp/install.log")"
fi
installed=$(cd "$dest" 2>/dev/null && find . ! -type d | sort | tr '\n' ' ')
t_eq make_install_installs_program_helper_man_page_and_docs \
	"./usr/libexec/fence-heartbeat-wrap/ha_log.sh ./usr/sbin/fence_hbwrap ./usr/share/doc/fence-heartbeat-wrap/README ./usr/share/doc/fence-heartbeat-wrap/examples/WALKTHROUGH.md ./usr/share/doc/fence-heartbeat-wrap/examples/myplugin ./usr/share/man/man8/fence_hbwrap.8 " \
	"$installed"
t_eq make_install_helper_link_resolves_to_program_inside_destdir \
	"$dest/usr/sbin/fence_hbwrap" \
	"$(readlink -f "$dest/usr/libexec/fence-heartbeat-wrap/ha_log.sh")"
t_eq man_w_finds_installed_page_under_destdir \
	"$dest/usr/share/man/man8/fence_hbwrap.8" \
	"$(man -M "$dest/usr/share/man" -w fence_hbwrap 2>&1)"
# uninstall also removes fence_hbwrap --link's links, and nothing else.
ln -s fence_hbwrap "$dest/usr/sbin/fence_hb_ours"
ln -s /bin/true "$dest/usr/sbin/fence_hb_foreign"
make -s -C "$top" uninstall DESTDIR="$dest" PREFIX=/usr >"$tmp/uninstall.log" 2>&1
t_eq make_uninstall_removes_what_install_and_link_made \
	"./usr/sbin/fence_hb_foreign " \
	"$(cd "$dest" 2>/dev/null && find . ! -type d | sort | tr '\n' ' ')"

# ---------------------------------------------------------------------
# The man pages.
# ---------------------------------------------------------------------

# lint FILE: mandoc -Tlint's findings (nothing when clean). Its notes
# about an outdated mandoc.db go to stderr and are not findings.
lint() {
	mandoc -Tlint "$1" 2>/dev/null
	local rc=$?
	[ "$rc" -eq 0 ] || echo "mandoc exit $rc"
}
t_eq mandoc_lint_clean_man_fence_hbwrap_8 "" "$(lint man/fence_hbwrap.8)"
t_eq man_w_finds_installed_fence_hbwrap "/usr/share/man/man8/fence_hbwrap.8" \
	"$(man -w fence_hbwrap 2>&1 | sed 's/\.gz$//')"
t_match man_fence_hbwrap_renders "*FENCE_HBWRAP(8)*--list-plugins*" \
	"$(MANWIDTH=80 man -P cat fence_hbwrap 2>&1)"
t_eq installed_man_page_is_this_one "" \
	"$(cmp man/fence_hbwrap.8 /usr/share/man/man8/fence_hbwrap.8 2>&1)"

# The option table, read from the code itself.
cat >"$tmp/dump.c" <<'EOF'
#include <stdio.h>
#include <string.h>

#include "env.h"
#include "options.h"

/* dump: the option table and keep-list; dump NAME...: which are refused */
int
main(int argc, char *argv[])
{
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (env_name_refused(argv[i]) == NULL)
				printf("%s\n", argv[i]);
		return 0;
	}
	for (size_t i = 0; i < option_count; i++)
		printf("option %s %c %u\n", option_table[i].name,
		       option_table[i].letter ? option_table[i].letter : '-',
		       option_table[i].flags);
	for (const char *const *k = env_keep_list; *k; k++)
		printf("keep %s\n", *k);
	return 0;
}
EOF
xml_libs=$(pkg-config --libs libxml-2.0)
# shellcheck disable=SC2086 # one word per flag
if cc -std=c11 -I"$top/src" -o "$tmp/dump" "$tmp/dump.c" "$top/src/libhbwrap.a" \
	$xml_libs >"$tmp/dump.log" 2>&1; then
	table=$("$tmp/dump")
else
	table=
	t_fail option_table_readable "cannot build a reader of src/libhbwrap.a (make first): $(head -n 3 "$tmp/dump.log")"
fi
# Flag values from src/options.h.
flag() { sed -n "s/.*\<$1 = 1 << \([0-9]*\).*/\1/p" src/options.h; }
OF_HIDDEN=$((1 << $(flag OF_HIDDEN)))
OF_CLI_ONLY=$((1 << $(flag OF_CLI_ONLY)))
OF_GENERIC_ONLY=$((1 << $(flag OF_GENERIC_ONLY)))

manpage_text=$(mandoc -Tutf8 -O width=200 man/fence_hbwrap.8 2>/dev/null | col -bx)
options_section=$(sed -n '/^OPTIONS$/,/^FENCING ACTIONS$/p' <<<"$manpage_text")
help_generic=$("$HBWRAP" --help 2>&1)
ln -s "$HBWRAP" "$tmp/fence_hb_someplugin"
help_plugin=$("$tmp/fence_hb_someplugin" --help 2>&1)
man_missing='' help_missing='' plugin_help_wrong='' n=0
while read -r kind name letter flags; do
	[ "$kind" = option ] || continue
	n=$((n + 1))
	(( flags & OF_HIDDEN )) && continue
	dashed=--${name//_/-}
	# --name, -L, and the stdin name=, each as a whole word.
	grep -qE -- "(^|[^a-z-])$dashed([^a-z-]|$)" <<<"$options_section" ||
		man_missing="$man_missing $dashed"
	if [ "$letter" != - ]; then
		grep -qE -- "(^|[ ,])-$letter([ ,]|$)" <<<"$options_section" ||
			man_missing="$man_missing -$letter"
		grep -qE -- "(^|[ ,])-$letter, $dashed" <<<"$help_generic" ||
			help_missing="$help_missing -$letter"
	fi
	if ! (( flags & OF_CLI_ONLY )); then
		grep -qE -- "(^|[ ,])$name=" <<<"$options_section" ||
			man_missing="$man_missing $name="
	fi
	grep -qE -- "(^|[^a-z-])$dashed([^a-z-]|$)" <<<"$help_generic" ||
		help_missing="$help_missing $dashed"
	if (( flags & OF_GENERIC_ONLY )); then
		grep -qE -- "(^|[^a-z-])$dashed([^a-z-]|$)" <<<"$help_plugin" &&
			plugin_help_wrong="$plugin_help_wrong $dashed"
	else
		grep -qE -- "(^|[^a-z-])$dashed([^a-z-]|$)" <<<"$help_plugin" ||
			plugin_help_wrong="$plugin_help_wrong $dashed"
	fi
done <<<"$table"
[ "$n" -gt 10 ] && t_ok "option_table_read ($n options)" ||
	t_fail option_table_read "only $n options read"
t_eq man_page_documents_every_option_of_the_table "" "$man_missing"
t_eq help_lists_every_option_of_the_table "" "$help_missing"
t_eq help_of_plugin_name_lists_its_options_only "" "$plugin_help_wrong"
# The shim never exits 2 (a Heartbeat plugin cannot tell a node is off);
# --help must not promise it.
t_eq help_does_not_promise_exit_2 "" "$(grep -iE 'exit.*\<2\>' <<<"$help_generic")"
# And the man page documents no option the table lacks.
unknown=
for o in $(grep -oE -- '(^|[ ,])--[a-z][a-z-]*' <<<"$options_section" | tr -d ' ,' | sort -u); do
	name=${o#--}
	grep -q "^option ${name//-/_} " <<<"$table" || unknown="$unknown $o"
done
t_eq man_page_documents_no_option_outside_the_table "" "$unknown"

# The environment: the keep-list and the refused names of src/env.c.
plugin_env=$(sed -n '/^WHAT THE PLUGIN RECEIVES$/,/^ENVIRONMENT$/p' <<<"$manpage_text" | tr -s ' \n\t' ' ')
keep_missing=
for k in $(sed -n 's/^keep //p' <<<"$table"); do
	grep -qE "(^|[ ,])${k}[ ,]" <<<"${plugin_env%%Refused parameters*}" ||
		keep_missing="$keep_missing $k"
done
t_eq man_page_lists_the_environment_keep_list "" "$keep_missing"
# Every name in env.c's refused lists is named in the man page...
refused_src=$(sed -n '/shim_names\[\] = {/,/^};/p; /refused_names\[\] = {/,/^};/p; /refused_prefixes\[\] = {/,/^};/p' src/env.c |
	grep -oE '"[A-Za-z_0-9]+"' | tr -d '"' | sort -u)
refused_doc=${plugin_env#*Refused parameters}
refused_doc=${refused_doc%%Standard input*}
ref_missing=
for r in $refused_src; do
	grep -qE "(^|[ ,])${r}[ ,.;)]" <<<"$refused_doc" || ref_missing="$ref_missing $r"
done
[ "$(wc -w <<<"$refused_src")" -gt 20 ] &&
	t_eq man_page_names_every_refused_name_of_env_c "" "$ref_missing" ||
	t_fail man_page_names_every_refused_name_of_env_c "could not read src/env.c's lists"
# ...and every name it gives there as refused is refused by the code.
named=$(grep -oE '\<[A-Z_][A-Z0-9_]*[A-Z0-9_]\>' <<<"$refused_doc" | sort -u | grep -v '^_$')
t_eq man_page_refused_names_are_refused_by_env_c "" \
	"$( [ -x "$tmp/dump" ] && "$tmp/dump" $named | tr '\n' ' ' | sed 's/ $//')"
for v in FENCE_HBWRAP_PLUGIN_DIR FENCE_HBWRAP_HELPER_DIR; do
	t_contains "man_page_environment_documents_$v" "$v" \
		"$(sed -n '/^ENVIRONMENT$/,/^FILES$/p' <<<"$manpage_text")"
done
actions_doc=$(sed -n '/^FENCING ACTIONS$/,/^WHAT THE PLUGIN RECEIVES$/p' <<<"$manpage_text")
act_missing=
for a in on off reboot status list monitor metadata validate-all manpage; do
	grep -qE "^ +$a( |$)" <<<"$actions_doc" || act_missing="$act_missing $a"
done
t_eq man_page_maps_every_action_to_plugin_operations "" "$act_missing"

# Per-plugin man pages, from a plugin directory of our own.
pd=$tmp/plugins
mkdir -p "$pd" "$tmp/helpers" "$tmp/agents"
chmod 0755 "$pd"
ln -s "$HBWRAP" "$tmp/helpers/ha_log.sh"
export FENCE_HBWRAP_HELPER_DIR=$tmp/helpers
export FENCE_HBWRAP_PLUGIN_DIR=$pd
export FENCE_HBWRAP_CACHE_DIR=none

# plugin NAME MODE: a test plugin from stdin.
plugin() {
	cat >"$pd/$1"
	chmod "$2" "$pd/$1"
}
# agent NAME: the fence_hb_NAME link to the program under test.
agent() {
	ln -sf "$HBWRAP" "$tmp/agents/fence_hb_$1"
	echo "$tmp/agents/fence_hb_$1"
}

install -m 0755 examples/myplugin "$pd/myplugin"
plugin good 0755 <<'EOF'
#!/bin/sh
# A plugin that does everything right.
case $1 in
gethosts) for h in $hostlist; do echo "$h"; done ;;
on | off | reset | status) ha_log.sh info "$*" ;;
getconfignames) echo hostlist ;;
getinfo-devid) echo "Good device" ;;
getinfo-devname) echo "good" ;;
getinfo-devdescr) echo "A device that does everything right." ;;
getinfo-devurl) echo "https://example.invalid/good" ;;
getinfo-xml)
	cat <<'XML'
<parameters>
<parameter name="hostlist" unique="1" required="1">
<content type="string"/>
<shortdesc lang="en">Hosts</shortdesc>
<longdesc lang="en">The hosts it controls.</longdesc>
</parameter>
</parameters>
XML
	;;
*) exit 1 ;;
esac
EOF
# Descriptions that are hostile to roff: requests, escapes, macro names,
# quotes, long words, several sentences on a line, UTF-8.
plugin roffhostile 0755 <<'EOF'
#!/bin/sh
case $1 in
getinfo-devid) echo '.TH "No Li Ar' ;;
getinfo-devdescr)
	printf '%s\n' "'quote first. .dot after a sentence. No Ar Fl \"double\" \\\\ back\\\\slash \\fBbold\\fR" \
		"averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword and more! Größe 電源? Yes." ;;
getinfo-devurl) echo 'https://example.invalid/?a="1"&b=\e' ;;
getconfignames) echo a ;;
getinfo-xml)
	cat <<'XML'
<parameters>
<parameter name="a" unique="0" required="1"><content type="string" default=".x \e"/>
<shortdesc lang="en">.Sh FOO
'also. Two. Sentences</shortdesc></parameter>
<parameter name="b"><content type="enum" default="x"><option value="x"/><option value=".y"/></content></parameter>
</parameters>
XML
	;;
*) exit 0 ;;
esac
EOF
plugin ctrlbytes 0755 <<'EOF'
#!/bin/sh
# Control bytes and invalid UTF-8 in what the plugin says of itself.
case $1 in
getinfo-devid) printf 'Dev\001ice\n' ;;
getinfo-devdescr) printf 'Bad \377 bytes \033[1m here.\n' ;;
getinfo-xml) echo '<parameters/>' ;;
*) exit 0 ;;
esac
EOF

for p in myplugin good roffhostile ctrlbytes; do
	a=$(agent "$p")
	if "$a" -o manpage >"$tmp/$p.8" 2>"$tmp/$p.8.err"; then
		t_eq "mandoc_lint_clean_generated_manpage_of_$p" "" "$(lint "$tmp/$p.8")"
	else
		t_fail "mandoc_lint_clean_generated_manpage_of_$p" \
			"-o manpage failed: $(head -n 2 "$tmp/$p.8.err")"
	fi
done
if [ -x "$SYS_PLUGIN_DIR/ipmi" ]; then
	a=$(agent ipmi)
	FENCE_HBWRAP_PLUGIN_DIR=$SYS_PLUGIN_DIR "$a" -o manpage >"$tmp/ipmi.8" 2>&1
	t_eq mandoc_lint_clean_generated_manpage_of_cluster_glue_ipmi "" "$(lint "$tmp/ipmi.8")"
fi
# The page is dated by the plugin file (or SOURCE_DATE_EPOCH), never by
# today: a plugin last changed on the 2nd lints clean on any day, and two
# runs give the same bytes.
touch -d "2026-12-02 12:00 UTC" "$pd/myplugin"
a=$(agent myplugin)
"$a" -o manpage >"$tmp/d1.8" 2>/dev/null
t_eq generated_manpage_of_a_plugin_changed_on_the_2nd_lints_clean "" "$(lint "$tmp/d1.8")"
t_eq generated_manpage_is_dated_by_the_plugin_file ".Dd December 2, 2026" \
	"$(head -n 1 "$tmp/d1.8")"
"$a" -o manpage >"$tmp/d2.8" 2>/dev/null
t_eq generated_manpage_is_the_same_bytes_twice "" "$(cmp "$tmp/d1.8" "$tmp/d2.8" 2>&1)"
t_eq generated_manpage_takes_source_date_epoch ".Dd January 9, 2027" \
	"$(SOURCE_DATE_EPOCH=1799496000 "$a" -o manpage 2>/dev/null | head -n 1)"
t_match generated_manpage_names_agent_and_parameters \
	"*FENCE_HB_MYPLUGIN(8)*hostlist=value*state_file=value*" \
	"$(mandoc -Tutf8 "$tmp/myplugin.8" 2>/dev/null | col -bx)"
rendered=$(mandoc -Tutf8 "$tmp/roffhostile.8" 2>/dev/null | col -bx | tr -s ' \n' '  ')
lost=
for frag in "'quote first." ".dot after a sentence." 'No Ar Fl "double"' \
	'\\ back\\slash \fBbold\fR' 'Größe 電源?' '.Sh FOO' '.TH "No Li Ar'; do
	grep -qF -- "$frag" <<<"$rendered" || lost="$lost [$frag]"
done
t_eq generated_manpage_keeps_hostile_text_literal "" "$lost"
t_eq generated_manpage_renders_without_groff_warnings "" \
	"$(groff -mandoc -ww -z -Tutf8 "$tmp/myplugin.8" "$tmp/good.8" 2>&1)"

# ---------------------------------------------------------------------
# --list-plugins, --check, --link, --link-all.
# ---------------------------------------------------------------------

sed 's/^getinfo-xml)$/getinfo-xml) exit 1 ;;\nnever)/' "$pd/good" >"$tmp/x" && plugin noxml 0755 <"$tmp/x"
sed 's|^<parameters>$|<parameters><unclosed>|' "$pd/good" >"$tmp/x" && plugin badxml 0755 <"$tmp/x"
sed 's|^getinfo-devid) |getinfo-devid) ha_log.sh bogus-level "x"; |' "$pd/good" >"$tmp/x" &&
	plugin badlog 0755 <"$tmp/x"
sed 's|^getinfo-devid) |getinfo-devid) PATH=/nonexistent ha_log.sh info "x"; |' "$pd/good" >"$tmp/x" &&
	plugin nohalog 0755 <"$tmp/x"
sed 's|^getinfo-xml)$|getinfo-xml) ha_log.sh err "an error the plugin reports"|' "$pd/good" >"$tmp/x" &&
	plugin logsok 0755 <"$tmp/x"
grep -v -e '<shortdesc' -e '<longdesc' "$pd/good" >"$tmp/x" && plugin nodesc 0755 <"$tmp/x"
sed 's|name="hostlist"|name="TMPDIR"|; s|^getconfignames) echo hostlist|getconfignames) echo TMPDIR|' \
	"$pd/good" >"$tmp/x" && plugin refusedparam 0755 <"$tmp/x"
sed 's|^getinfo-xml)$|getinfo-xml) sleep 5|' "$pd/good" >"$tmp/x" && plugin slow 0755 <"$tmp/x"
plugin groupwritable 0775 <"$pd/good"
plugin worldwritable 0757 <"$pd/good"
plugin notexecutable 0644 <"$pd/good"
echo '#!/bin/sh' >"$tmp/elsewhere" && chmod 0755 "$tmp/elsewhere"
ln -s "$tmp/elsewhere" "$pd/linkout"
ln -s good "$pd/linkin"
mkdir "$pd/adirectory"

list=$("$HBWRAP" --list-plugins 2>&1)
rc=$?
t_eq list_plugins_exits_0 0 "$rc"
t_eq list_plugins_names_the_directory "plugins in $pd:" "$(head -n 1 <<<"$list")"
t_match list_plugins_marks_good_usable "*"$'\n'"good *usable"$'\n'"*" "$list"
t_match list_plugins_marks_internal_link_usable "*"$'\n'"linkin *usable"$'\n'"*" "$list"
t_match list_plugins_marks_group_writable_unusable_with_reason \
	"*"$'\n'"groupwritable *unusable: *writable by its group (mode 0775)*chmod go-w*" "$list"
t_match list_plugins_marks_world_writable_unusable_with_reason \
	"*"$'\n'"worldwritable *unusable: *writable by others (mode 0757)*" "$list"
t_match list_plugins_marks_non_executable_unusable_with_reason \
	"*"$'\n'"notexecutable *unusable: *is not executable*" "$list"
t_match list_plugins_marks_link_out_of_directory_unusable_with_reason \
	"*"$'\n'"linkout *unusable: *symlink that leaves the plugin directory*" "$list"
t_match list_plugins_marks_directory_unusable_with_reason \
	"*"$'\n'"adirectory *unusable: *not a regular file*" "$list"
t_eq list_plugins_lists_every_entry_once \
	"$(ls -A "$pd" | LC_ALL=C sort | tr '\n' ' ')" \
	"$(tail -n +2 <<<"$list" | awk '{print $1}' | LC_ALL=C sort | tr '\n' ' ')"
out=$(FENCE_HBWRAP_PLUGIN_DIR=$tmp/nonexistent "$HBWRAP" --list-plugins 2>&1)
rc=$?
t_eq list_plugins_fails_on_missing_directory "1 1" "$rc $(grep -c 'error: cannot read the plugin directory' <<<"$out")"

# check NAME [OPTIONS...]: run --check; sets $out and $rc.
check() {
	local p=$1
	shift
	out=$("$HBWRAP" --check "$p" "$@" 2>&1)
	rc=$?
}
check good
t_eq check_passes_good_plugin_exit_0 0 "$rc"
t_eq check_passes_good_plugin_verdict "external/good will work through fence_hbwrap (0 warnings)" \
	"$(tail -n 1 <<<"$out")"
t_eq check_good_plugin_reports_no_problem_or_warning "" "$(grep -E 'problem:|warning:' <<<"$out")"
t_contains check_good_plugin_validates_metadata_against_schema \
	"ok:      the metadata validates against" "$out"
check external/myplugin
t_eq check_passes_example_plugin_given_with_external_prefix 0 "$rc"

# A getinfo-xml flaw costs the metadata, not fencing: a warning.
check noxml
t_eq check_passes_plugin_without_getinfo_xml_exit_0 0 "$rc"
t_contains check_warns_of_plugin_without_getinfo_xml_saying_why \
	"warning: getinfo-xml exited 1: the " "$out"
t_contains check_of_plugin_without_getinfo_xml_verdict \
	"external/noxml will work through fence_hbwrap (" "$out"
check badxml
t_eq check_passes_invalid_xml_exit_0 0 "$rc"
t_contains check_warns_of_invalid_xml_saying_why "warning: getinfo-xml: its XML is not well-formed" "$out"
check badlog
t_eq check_fails_ha_log_error_exit_1 1 "$rc"
t_contains check_fails_ha_log_error_says_why \
	"problem: getinfo-devid: the plugin's logging through ha_log.sh failed" "$out"
t_contains check_fails_ha_log_error_shows_the_error \
	"stderr: ha_log.sh: unrecognized loglevel: bogus-level" "$out"
check nohalog
t_eq check_fails_plugin_not_finding_ha_log_exit_1 1 "$rc"
t_match check_fails_plugin_not_finding_ha_log_shows_the_error \
	"*stderr: *ha_log.sh: *not found*" "$out"
out=$(FENCE_HBWRAP_HELPER_DIR=$tmp/nonexistent "$HBWRAP" --check badlog 2>&1)
t_match check_fails_when_helper_dir_lacks_ha_log \
	"*problem: getinfo-devid: the plugin's logging through ha_log.sh failed*not found*" "$out"
check logsok
t_eq check_accepts_plugin_that_logs_errors_through_ha_log 0 "$rc"
t_contains check_shows_what_the_plugin_logged "stderr: external/logsok[" "$out"
check nodesc
t_eq check_passes_plugin_with_undescribed_parameter 0 "$rc"
t_contains check_warns_of_parameter_without_description \
	"warning: parameter hostlist has no description" "$out"
t_contains check_counts_the_warning "external/nodesc will work through fence_hbwrap (1 warning)" "$out"
check refusedparam
t_eq check_fails_plugin_whose_required_parameter_is_never_passed 1 "$rc"
t_contains check_names_the_parameter_that_is_never_passed \
	"problem: parameter TMPDIR can never be passed to the plugin" "$out"
check groupwritable
t_eq check_fails_group_writable_plugin 1 "$rc"
t_contains check_explains_group_writable_plugin "problem: $pd/groupwritable is writable by its group (mode 0775)" "$out"
check notexecutable
t_eq check_fails_non_executable_plugin 1 "$rc"
t_contains check_explains_non_executable_plugin "problem: $pd/notexecutable is not executable" "$out"
check linkout
t_eq check_fails_link_out_of_plugin_directory 1 "$rc"
check nonexistent
t_eq check_fails_missing_plugin "1 1" "$rc $(grep -c "problem: $pd/nonexistent: No such file or directory" <<<"$out")"
check ../good
t_eq check_refuses_a_path "1 1" "$rc $(grep -c "is not a plugin name" <<<"$out")"
check slow --plugin-timeout=1
t_eq check_fails_plugin_that_hangs "1 1" "$rc $(grep -c 'problem: getinfo-xml timed out after 1 s' <<<"$out")"

# --link: links go next to the running program, so run a copy of it.
sbin=$tmp/sbin
mkdir "$sbin"
cp "$HBWRAP" "$sbin/fence_hbwrap"
link() {
	out=$("$sbin/fence_hbwrap" "$@" 2>&1)
	rc=$?
}
link --link good
t_eq link_creates_link_next_to_program "0 fence_hbwrap" "$rc $(readlink "$sbin/fence_hb_good")"
t_eq link_reports_the_link "$sbin/fence_hb_good -> fence_hbwrap" "$out"
link --link good
t_eq link_is_idempotent "0 fence_hbwrap" "$rc $(readlink "$sbin/fence_hb_good")"
t_eq link_says_when_already_there "$sbin/fence_hb_good -> fence_hbwrap (already there)" "$out"
link --link external/myplugin
t_eq link_accepts_external_prefix "0 fence_hbwrap" "$rc $(readlink "$sbin/fence_hb_myplugin")"
out=$(printf 'action=list\nhostlist=n1 n2\n' | "$sbin/fence_hb_good" 2>&1)
t_eq linked_agent_runs_its_plugin "n1 n2" "$(tr '\n' ' ' <<<"$out" | sed 's/ $//')"
echo "not ours" >"$sbin/fence_hb_nodesc"
link --link nodesc
t_eq link_refuses_to_overwrite_a_file "1 not ours" "$rc $(cat "$sbin/fence_hb_nodesc")"
t_contains link_says_why_it_refuses_a_file "fence_hb_nodesc exists and is not a link: left alone" "$out"
ln -s /bin/true "$sbin/fence_hb_logsok"
link --link logsok
t_eq link_refuses_to_overwrite_a_foreign_link "1 /bin/true" "$rc $(readlink "$sbin/fence_hb_logsok")"
t_contains link_says_why_it_refuses_a_foreign_link "links to /bin/true, not to fence_hbwrap: left alone" "$out"
ln -s "$sbin/fence_hbwrap" "$sbin/fence_hb_badlog"
link --link badlog
t_eq link_accepts_an_absolute_link_to_itself "0 $sbin/fence_hbwrap" "$rc $(readlink "$sbin/fence_hb_badlog")"
link --link groupwritable
t_eq link_refuses_unusable_plugin "1 no link" "$rc $([ -L "$sbin/fence_hb_groupwritable" ] && echo link || echo no link)"
link --link ../good
t_eq link_refuses_a_path "1 1" "$rc $(grep -c "refused" <<<"$out")"
link --link-all
t_eq link_all_fails_when_one_link_is_refused 1 "$rc"
expected_links=
for p in $(ls -A "$pd" | LC_ALL=C sort); do
	case $p in
	groupwritable | worldwritable | notexecutable | linkout | adirectory) ;;
	*) expected_links="$expected_links $p" ;;
	esac
done
ours=
for l in "$sbin"/fence_hb_*; do
	t=$(readlink "$l")
	[ "$t" = fence_hbwrap ] || [ "$t" = "$sbin/fence_hbwrap" ] && ours="$ours ${l##*/fence_hb_}"
done
t_eq link_all_links_every_usable_plugin \
	"$(tr ' ' '\n' <<<"$expected_links" | grep -vx -e nodesc -e logsok | LC_ALL=C sort | tr '\n' ' ')" \
	"$(tr ' ' '\n' <<<"$ours" | LC_ALL=C sort | tr '\n' ' ')"
t_eq link_all_left_file_and_foreign_link_alone "not ours /bin/true" \
	"$(cat "$sbin/fence_hb_nodesc") $(readlink "$sbin/fence_hb_logsok")"
t_contains link_all_lists_skipped_plugins_with_reason \
	"skipped external/notexecutable: $pd/notexecutable is not executable" "$out"
rm -f "$sbin/fence_hb_nodesc" "$sbin/fence_hb_logsok"
link --link-all
first=$(ls -l "$sbin" | awk '{print $9, $10, $11}')
link --link-all
t_eq link_all_is_idempotent "0 $first" "$rc $(ls -l "$sbin" | awk '{print $9, $10, $11}')"

# ---------------------------------------------------------------------
# The example plugin, operation by operation.
# ---------------------------------------------------------------------

ex() {
	out=$(env -i PATH="$tmp/helpers:/usr/bin:/bin" HA_LOGFACILITY=none \
		HA_LOGTAG=external/myplugin \
		hostlist="node1 node2" state_file="$tmp/ex.state" "$@" 2>&1)
	rc=$?
}
ex examples/myplugin gethosts
t_eq example_plugin_gethosts_lists_hostlist "0 node1 node2" "$rc $(tr '\n' ' ' <<<"$out" | sed 's/ $//')"
ex examples/myplugin reset node2
t_eq example_plugin_reset_records_host_on "0 node2 on reset" "$rc $(cat "$tmp/ex.state")"
ex examples/myplugin off node1
t_eq example_plugin_off_records_host_off "0 node2 on reset|node1 off off" "$rc $(paste -sd'|' "$tmp/ex.state")"
ex examples/myplugin on node1
t_eq example_plugin_on_records_host_on "0 node2 on reset|node1 on on" "$rc $(paste -sd'|' "$tmp/ex.state")"
t_match example_plugin_logs_through_ha_log "external/myplugin[[]*]: info: on node1: done, node1 is on" "$out"
ex examples/myplugin off node3
t_eq example_plugin_refuses_host_not_in_hostlist "1 node2 on reset|node1 on on" "$rc $(paste -sd'|' "$tmp/ex.state")"
ex examples/myplugin status
t_eq example_plugin_status_ok_when_state_dir_writable 0 "$rc"
ex env state_file=/nonexistent/x examples/myplugin status
t_eq example_plugin_status_fails_when_state_dir_missing 1 "$rc"
ex env -u hostlist examples/myplugin gethosts
t_eq example_plugin_needs_its_parameters 1 "$rc"
ex examples/myplugin getconfignames
t_eq example_plugin_getconfignames "0 hostlist state_file" "$rc $(tr '\n' ' ' <<<"$out" | sed 's/ $//')"
for op in getinfo-devid getinfo-devname getinfo-devdescr getinfo-devurl; do
	ex examples/myplugin "$op"
	[ "$rc" -eq 0 ] && [ -n "$out" ] && t_ok "example_plugin_$op" ||
		t_fail "example_plugin_$op" "exit $rc, [$out]"
done
ex examples/myplugin getinfo-xml
t_eq example_plugin_getinfo_xml_is_well_formed "0 ok" "$rc $(xmllint --noout - <<<"$out" 2>&1 && echo ok)"
ex examples/myplugin bogus
t_eq example_plugin_fails_unknown_operation 1 "$rc"
t_eq example_plugin_is_mode_0755 755 "$(stat -c %a examples/myplugin)"
if command -v shellcheck >/dev/null; then
	t_eq example_plugin_passes_shellcheck "" "$(shellcheck examples/myplugin 2>&1)"
fi

# ---------------------------------------------------------------------
# The walkthrough: each command of its ```console blocks, run as written
# with the installed program, prints what the walkthrough shows.
# ---------------------------------------------------------------------

unset FENCE_HBWRAP_PLUGIN_DIR FENCE_HBWRAP_HELPER_DIR FENCE_HBWRAP_CACHE_DIR
wt=$tmp/walkthrough
mkdir -p "$wt/work"
awk -v dir="$wt" '
	/^```console[ \t]*$/ { inblock = 1; next }
	inblock && /^```/ { inblock = 0; next }
	!inblock { next }
	cont { print > (dir "/" n ".cmd"); cont = /\\$/; next }
	/^# / {
		n++
		print substr($0, 3) > (dir "/" n ".cmd")
		printf "" > (dir "/" n ".exp")
		cont = /\\$/
		next
	}
	{ print > (dir "/" n ".exp") }
' examples/WALKTHROUGH.md
steps=$(find "$wt" -name '*.cmd' | wc -l)
[ "$steps" -ge 10 ] && t_ok "walkthrough_has_commands ($steps)" ||
	t_fail walkthrough_has_commands "only $steps commands found"

# Volatile parts, in both what is shown and what is printed: process IDs
# in log tags. The state file is kept in $tmp, shown as in the text.
# Pacemaker 3 writes an LHA agent's op values with units (interval=3600s,
# timeout=20s) where 2.1 wrote 3600 and 20: the same values.
normalise() {
	sed -E -e "s|$tmp/myplugin.state|/var/lib/myplugin.state|g" \
		-e 's/\[[0-9]+\]/[PID]/g' \
		-e 's/\b(interval|timeout)=([0-9]+)s\b/\1=\2/g'
}

# describe_gist: what `pcs stonith describe` says, not how: its first line
# (agent - description) and the parameter names, each with its
# "(required)", in the layout of pcs 0.11 ("  name: text") or 0.12
# ("  name", the description on the lines below).
describe_gist() {
	local out
	out=$(cat)
	head -n 1 <<<"$out"
	sed -n 's/^  \([A-Za-z0-9_][A-Za-z0-9_]*\( (required)\)\{0,1\}\)\(: .*\)\{0,1\}$/\1/p' <<<"$out"
}

if [ -e "$SYS_PLUGIN_DIR/myplugin" ] || [ -e /usr/sbin/fence_hb_myplugin ] ||
	[ -L /usr/sbin/fence_hb_myplugin ]; then
	t_fail walkthrough_runs_on_a_clean_machine \
		"$SYS_PLUGIN_DIR/myplugin or /usr/sbin/fence_hb_myplugin already exists; not touching them"
elif [ ! -x /usr/sbin/fence_hbwrap ]; then
	t_fail walkthrough_runs_on_a_clean_machine "fence_hbwrap is not installed (make install PREFIX=/usr)"
else
	made_sys_plugin=yes
	made_sys_link=yes
	for ((i = 1; i <= steps; i++)); do
		cmd=$(cat "$wt/$i.cmd")
		run=${cmd//"/var/lib/myplugin.state"/"$tmp/myplugin.state"}
		(cd "$wt/work" && env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$HOME" \
			LANG=C.UTF-8 HA_LOGFACILITY=none bash -c "$run") >"$wt/$i.out" 2>&1
		# Only myplugin is shown of the plugin directory: this machine
		# may hold cluster-glue's plugins too.
		case $cmd in
		"fence_hbwrap --list-plugins")
			grep -E '^(plugins in |myplugin )' "$wt/$i.out" >"$wt/$i.tmp"
			mv "$wt/$i.tmp" "$wt/$i.out"
			;;
		"pcs stonith describe "*)
			for f in exp out; do
				describe_gist <"$wt/$i.$f" >"$wt/$i.tmp" && mv "$wt/$i.tmp" "$wt/$i.$f"
			done
			;;
		esac
		if [ -n "${WALKTHROUGH_SHOW:-}" ]; then
			printf '# %s\n' "$cmd"
			normalise <"$wt/$i.out"
		fi
		if diff -u <(normalise <"$wt/$i.exp") <(normalise <"$wt/$i.out") >"$wt/$i.diff"; then
			t_ok "walkthrough: $cmd"
		else
			t_fail "walkthrough: $cmd" "output differs (- shown, + printed):
$(tail -n +3 "$wt/$i.diff" | head -n 20)"
		fi
	done
fi

. tests/packaging/hardening.sh
t_done
