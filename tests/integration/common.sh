# Set-up shared by the integration suites (sourced).
#
# The binary under test is $HBWRAP (default: the build tree's). It runs
# from links in a temporary bin/ (fence_hbwrap, fence_hb_<plugin>) with a
# temporary plugin directory and its own ha_log.sh, so nothing outside
# the temporary directory is touched. $HBWRAP_WRAP, if set, is a command
# that every run goes through (the sanitizer suite sets valgrind).

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib.sh"
bin=${HBWRAP:-$top/fence_hbwrap}
wrap=${HBWRAP_WRAP:-}
FENCE_RNG=/usr/share/cluster/relaxng/metadata.rng
PCS_RNG=/usr/share/pcs/data/ocf-1.0.rng

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/plugins" "$tmp/helpers" "$tmp/bin"
chmod 0755 "$tmp" "$tmp/plugins"
ln -s "$bin" "$tmp/helpers/ha_log.sh"
ln -s "$bin" "$tmp/bin/fence_hbwrap"
export FENCE_HBWRAP_PLUGIN_DIR="$tmp/plugins"
export FENCE_HBWRAP_HELPER_DIR="$tmp/helpers"
export FENCE_HBWRAP_CACHE_DIR="$tmp/cache"

# add_plugin FILE: install a test plugin and its fence_hb_ link.
add_plugin() {
	local name
	name=$(basename "$1")
	install -m 0755 "$1" "$tmp/plugins/$name"
	ln -sf "$bin" "$tmp/bin/fence_hb_$name"
}

# agent NAME [ARG...] (stdin as given): run the agent; sets rc, out, err.
agent() {
	local a=$1
	shift
	$wrap "$tmp/bin/$a" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# valid_both FILE: "yes" if FILE validates against both schemas.
valid_both() {
	if xmllint --noout --relaxng "$FENCE_RNG" "$1" 2>/dev/null &&
		xmllint --noout --relaxng "$PCS_RNG" "$1" 2>/dev/null; then
		echo yes
	else
		echo no
	fi
}
