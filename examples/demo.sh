#!/bin/sh
# The demo: fence_hbwrap wrapping examples/myplugin, as Pacemaker and an
# administrator would use it. Everything happens in a temporary directory
# (plugin directory, fence_hb_myplugin link, the plugin's state file);
# nothing is installed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/fence_hbwrap
[ -x "$bin" ] || { echo "demo: build first (make)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/plugins" "$tmp/helpers" "$tmp/bin"
chmod 0755 "$tmp" "$tmp/plugins"
install -m 0755 "$top/examples/myplugin" "$tmp/plugins/myplugin"
ln -s "$tmp/bin/fence_hbwrap" "$tmp/helpers/ha_log.sh"
# A copy, as in /usr/sbin: --link puts links next to the running binary.
cp "$bin" "$tmp/bin/fence_hbwrap"
export FENCE_HBWRAP_PLUGIN_DIR="$tmp/plugins"
export FENCE_HBWRAP_HELPER_DIR="$tmp/helpers"
export FENCE_HBWRAP_CACHE_DIR="$tmp/cache"
export PATH="$tmp/bin:$PATH"
state=$tmp/myplugin.state

step() {
	printf '\n$ %s\n' "$1"
}

step "fence_hbwrap --check myplugin      # will this Heartbeat plugin work?"
fence_hbwrap --check myplugin | sed "s|$tmp|<tmp>|g"

step "fence_hbwrap --link myplugin       # fence_hb_myplugin, as in /usr/sbin"
fence_hbwrap --link myplugin | sed "s|$tmp|<tmp>|g"

step "echo action=metadata | fence_hb_myplugin   # what pcs and crm_resource read"
echo action=metadata | fence_hb_myplugin >"$tmp/meta.xml"
sed -n '1,4p' "$tmp/meta.xml"
echo "   ..."
grep -o '<parameter name="[^"]*"[^>]*>' "$tmp/meta.xml"
for rng in /usr/share/cluster/relaxng/metadata.rng /usr/share/pcs/data/ocf-1.0.rng; do
	if [ -r "$rng" ]; then
		if xmllint --noout --relaxng "$rng" "$tmp/meta.xml" 2>/dev/null; then
			echo "valid against $rng"
		else
			echo "NOT valid against $rng"
		fi
	fi
done

step "printf 'action=reboot\\nport=node2\\nnodename=node2\\nhostlist=node1 node2\\nstate_file=...\\n' | fence_hb_myplugin   # as Pacemaker does it"
rc=0
printf 'action=reboot\nport=node2\nnodename=node2\nhostlist=node1 node2\nstate_file=%s\n' "$state" |
	fence_hb_myplugin || rc=$?
echo "exit $rc; the plugin's state file now says: $(cat "$state")"

step "fence_hb_myplugin -o list --hostlist='node1 node2'"
fence_hb_myplugin -o list --hostlist='node1 node2' --state-file="$state"

step "fence_hb_myplugin -o status -n node9 --hostlist='node1 node2'   # a node it does not control"
fence_hb_myplugin -o status -n node9 --hostlist='node1 node2' --state-file="$state" || echo "exit $?"

step "fence_hb_myplugin -o validate-all                # a required parameter is missing"
fence_hb_myplugin -o validate-all || echo "exit $?"

printf '\nThe demo changed nothing outside %s (now removed).\n' "$tmp"
printf 'Next: make install, fence_hbwrap --link myplugin, pcs stonith create (examples/WALKTHROUGH.md).\n'
