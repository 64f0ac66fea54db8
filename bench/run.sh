#!/bin/bash
#
# Benchmark: the shim against every other road from Pacemaker to a Heartbeat
# plugin, measured side by side on this machine in one run (issue 6).
#
#   make bench        (or, as root, after `make install PREFIX=/usr`:
#                      bench/run.sh)
#
# Writes docs/benchmarks.md (or $BENCH_OUT).  Tools: hyperfine (timings,
# JSON export), python3 (statistics, peak RSS via wait4), Pacemaker's
# crm_resource, fence_legacy and stonith_admin, cluster-glue's plugins.
#
# Comparisons ("paired runs"): each comparison is run as several rounds of
# one hyperfine call holding all of its commands, the order rotated from
# round to round, so that both sides of a ratio share the same minutes of a
# machine other people are using too.  The i-th run of A in a round is
# paired with the i-th run of B; bench/report.py gives medians, quartiles
# and the median of the per-pair ratios.
#
#   1. metadata: crm_resource --show-metadata stonith:fence_hb_ipmi against
#      stonith:external/ipmi (Pacemaker's native LHA road, same Debian
#      plugin); fence_hb_ipmi -o metadata against the plugin's getinfo-*
#      calls run one after another.
#   2. reboot of a trivial plugin (bench/plugins/hbwrap-bench-trivial): the
#      shim against Pacemaker's fence_legacy, against the plugin's "reset"
#      run directly, and against bench/floor.c with the metadata cache warm
#      and cold (the allow-list of declared names read from the cache, or
#      asked of the plugin).
#   3. in a live one-node cluster (tests/cluster/cluster.sh): stonith_admin
#      --reboot through a shim device against a native stonith:external/
#      device, both on the trivial plugin.
#   4. peak RSS of the shim for metadata and for a reboot.
#   5. one reboot through fence_hb_ipmi against one through fence_ipmilan,
#      on the same IPMI LAN BMC (ipmi_sim in a network namespace of its own,
#      tests/bmc.sh).
#
# Installs for the run, and removes on exit: the trivial plugin as
# /usr/lib/stonith/plugins/external/hbwrap-bench-<pid>, the links
# /usr/sbin/fence_hb_hbwrap-bench-<pid> and (if absent) fence_hb_ipmi.  The
# cluster part saves and restores the host's cluster state (cluster.sh) and
# waits (bounded) while another cluster runs on the host.
#
# Knobs (environment): BENCH_OUT (report file), BENCH_SCALE (multiplies the
# number of rounds; default 1), BENCH_CLUSTER=no (skip part 3),
# BENCH_CLUSTER_WAIT (seconds to wait for a foreign cluster to go; 180),
# HBWRAP (the shim binary; default /usr/sbin/fence_hbwrap).

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
SHIM=${HBWRAP:-/usr/sbin/fence_hbwrap}
SBIN=/usr/sbin
PLUGIN_DIR=/usr/lib/stonith/plugins/external
OUT=${BENCH_OUT:-$TOP/docs/benchmarks.md}
SCALE=${BENCH_SCALE:-1}
CLUSTER_WAIT=${BENCH_CLUSTER_WAIT:-180}
T0=$SECONDS

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs a plugin and starts a cluster)"
for t in hyperfine python3 /usr/bin/time cc crm_resource stonith_admin stonith; do
	command -v "$t" >/dev/null || die "$t not found"
done
[ -x "$SBIN/fence_legacy" ] || die "$SBIN/fence_legacy not found (Debian package pacemaker)"
[ -x "$PLUGIN_DIR/ipmi" ] || die "$PLUGIN_DIR/ipmi not found (Debian package cluster-glue)"
[ -x "$SHIM" ] || die "$SHIM not found: run make install PREFIX=/usr first"
SHIM_STATE="same as the build tree's ./fence_hbwrap"
if [ ! -x "$TOP/fence_hbwrap" ]; then
	SHIM_STATE="no build tree binary to compare"
elif ! cmp -s "$TOP/fence_hbwrap" "$SHIM"; then
	SHIM_STATE="DIFFERS from the build tree's ./fence_hbwrap"
	say "warning: $SHIM differs from the build tree's ./fence_hbwrap (make install PREFIX=/usr?)"
fi
case $SCALE in '' | *[!0-9]* | 0) die "BENCH_SCALE must be a positive integer" ;; esac

WORK=$(mktemp -d /tmp/hbwrap-bench.XXXXXX) || die "mktemp failed"
PLUGIN=hbwrap-bench-$$
cp /proc/loadavg "$WORK/loadavg.start"
INSTALLED=()            # files we created, removed on exit
CLUSTER_UP=no

cleanup() {
	local f
	if [ "$CLUSTER_UP" = yes ]; then
		cluster_stop
		cluster_check_clean >&2 || say "warning: the cluster did not leave the host as found (see above)"
		CLUSTER_UP=no
		say "cluster logs kept in $CLUSTER_DIR"
	fi
	for f in "${INSTALLED[@]}"; do
		rm -f -- "$f"
	done
	INSTALLED=()
	rm -rf -- "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# link_shim NAME: make /usr/sbin/fence_hb_NAME point at the shim.  A link
# that already does is used and left in place; anything else is refused.
link_shim() {
	local dst="$SBIN/fence_hb_$1"
	if [ -e "$dst" ] || [ -L "$dst" ]; then
		case $(readlink "$dst") in
		fence_hbwrap | "$SBIN/fence_hbwrap") return 0 ;;
		*) say "$dst exists and is not a link to fence_hbwrap; not touching it"; return 1 ;;
		esac
	fi
	INSTALLED+=("$dst")
	ln -s fence_hbwrap "$dst"
}

# The trivial plugin under a name of its own, mode 0755, owned by root, as
# cluster-glue requires.
INSTALLED+=("$PLUGIN_DIR/$PLUGIN")
install -o root -g root -m 0755 "$HERE/plugins/hbwrap-bench-trivial" "$PLUGIN_DIR/$PLUGIN" ||
	die "cannot install the trivial plugin"
link_shim "$PLUGIN" || die "cannot link fence_hb_$PLUGIN"
link_shim ipmi || die "cannot link fence_hb_ipmi"

# References, to show how much of a figure no wrapper can avoid: a static
# program that only vfork+execve+waitpid's the plugin (bench/floor.c), and
# an RHCS agent that prints the shim's metadata from a file (what
# crm_resource itself costs on the RHCS road).
cc -O2 -static -o "$WORK/floor" "$HERE/floor.c" || die "cannot build bench/floor.c"
"$SBIN/fence_hb_ipmi" -o metadata >"$WORK/ipmi-metadata.xml" ||
	die "fence_hb_ipmi -o metadata fails"
CAT_AGENT=fence_hbbench-cat-$$
INSTALLED+=("$SBIN/$CAT_AGENT")
printf '#!/bin/sh\nexec cat %s\n' "$WORK/ipmi-metadata.xml" >"$SBIN/$CAT_AGENT"
chmod 0755 "$SBIN/$CAT_AGENT"
if [ "$SHIM" != "$SBIN/fence_hbwrap" ]; then
	say "note: the fence_hb_* links point at $SBIN/fence_hbwrap, not $SHIM"
fi

HOSTS="n1 n2"
printf 'action=reboot\nport=n1\nnodename=n1\nhostlist=%s\n' "$HOSTS" >"$WORK/shim.in"
printf 'action=reboot\nnodename=n1\nplugin=external/%s\nhostlist=%s\n' "$PLUGIN" "$HOSTS" >"$WORK/legacy.in"
# The plugin's own calls one after another, in the shell hyperfine starts
# (whose start-up it subtracts).
# shellcheck disable=SC2016 # $PATH and $o are for that shell
GETINFO_SEQ='PATH=/usr/share/cluster-glue:$PATH; for o in devid devname devdescr devurl xml; do '"$PLUGIN_DIR/ipmi"' getinfo-$o; done'

# Each command once, output kept, so that a broken road fails here loudly
# rather than being timed.
check_cmd() {
	local name=$1
	shift
	if ! sh -c "$*" >"$WORK/check.out" 2>&1; then
		say "$name fails: $*"
		sed 's/^/    /' "$WORK/check.out" >&2
		return 1
	fi
}

FAILED=()

# compare ID ROUNDS RUNS WARMUP SHELL NAME CMD [NAME CMD]...: the paired
# comparison ID; SHELL is "sh" (commands that need redirections; hyperfine
# subtracts the shell's own start-up) or "none".  Rounds are scaled by
# BENCH_SCALE and the command order rotates each round.
compare() {
	local id=$1 rounds=$(($2 * SCALE)) runs=$3 warmup=$4 shell=$5
	shift 5
	local names=() cmds=() n r k i args
	while [ $# -ge 2 ]; do
		names+=("$1")
		cmds+=("$2")
		check_cmd "$1" "$2" || { FAILED+=("$id"); return 1; }
		shift 2
	done
	n=${#names[@]}
	printf '%s\n' "${names[@]}" >"$WORK/$id.names"
	say "$id: ${names[*]} ($rounds rounds x $runs runs)"
	for ((r = 0; r < rounds; r++)); do
		args=()
		for ((k = 0; k < n; k++)); do
			i=$(((k + r) % n))
			args+=(-n "${names[i]}" "${cmds[i]}")
		done
		if ! hyperfine --style none -S "$shell" --warmup "$warmup" --runs "$runs" \
			--export-json "$WORK/$id.r$r.json" "${args[@]}" >"$WORK/hf.out" 2>&1; then
			sed 's/^/    /' "$WORK/hf.out" >&2
			FAILED+=("$id")
			return 1
		fi
	done
	python3 "$HERE/report.py" --summary "$WORK" "$id" >&2
}

# ---------------------------------------------------------- 1. metadata

compare meta-crm 6 10 2 none \
	"crm_resource stonith:fence_hb_ipmi (shim)" "crm_resource --show-metadata stonith:fence_hb_ipmi" \
	"crm_resource stonith:external/ipmi (native LHA)" "crm_resource --show-metadata stonith:external/ipmi" \
	"reference: crm_resource, RHCS agent that cats the same metadata (sh + cat)" "crm_resource --show-metadata stonith:$CAT_AGENT" \
	"crm_resource stonith:fence_hb_ipmi (shim, metadata cache off: every call runs the plugin)" "env FENCE_HBWRAP_CACHE_DIR=none crm_resource --show-metadata stonith:fence_hb_ipmi"

compare meta-agent 6 10 2 sh \
	"fence_hb_ipmi -o metadata (shim)" "$SBIN/fence_hb_ipmi -o metadata" \
	"ipmi getinfo-{devid,devname,devdescr,devurl,xml} in sequence" "$GETINFO_SEQ" \
	"fence_hb_ipmi -o metadata (shim, metadata cache off)" "FENCE_HBWRAP_CACHE_DIR=none $SBIN/fence_hb_ipmi -o metadata"

# ------------------------------------------------------------ 2. reboot

compare reboot-direct 6 10 3 sh \
	"fence_hb_trivial reboot (shim)" "$SBIN/fence_hb_$PLUGIN <$WORK/shim.in" \
	"trivial reset n1 (plugin run directly)" "hostlist='$HOSTS' $PLUGIN_DIR/$PLUGIN reset n1" \
	"reference: static vfork+execve+waitpid of the plugin (bench/floor.c)" "hostlist='$HOSTS' $WORK/floor $PLUGIN_DIR/$PLUGIN reset n1"

# The same reboot against the floor: with the metadata cache warm (the
# plugin's declared parameter names read from it), and cold (the cache
# off: the shim asks the plugin's getconfignames and getinfo-xml first).
compare reboot-floor 6 10 3 sh \
	"fence_hb_trivial reboot (shim, warm cache)" "$SBIN/fence_hb_$PLUGIN <$WORK/shim.in" \
	"reference: static vfork+execve+waitpid of the plugin (bench/floor.c)" "hostlist='$HOSTS' $WORK/floor $PLUGIN_DIR/$PLUGIN reset n1" \
	"fence_hb_trivial reboot (shim, cold: cache off, asks the plugin what it declares)" "FENCE_HBWRAP_CACHE_DIR=none $SBIN/fence_hb_$PLUGIN <$WORK/shim.in"

# fence_legacy costs more than a second a run (cluster-glue's sleep): few
# runs, one untimed warm-up call first (check_cmd).
compare reboot-legacy 5 2 0 sh \
	"fence_hb_trivial reboot (shim)" "$SBIN/fence_hb_$PLUGIN <$WORK/shim.in" \
	"fence_legacy reboot (stonith -t external/trivial)" "$SBIN/fence_legacy <$WORK/legacy.in"

# ------------------------------------------------- 5. a real IPMI BMC

# One reboot through fence_hb_ipmi (Debian's external/ipmi: "power status",
# then one "power reset") against one through fence_ipmilan ("power off",
# status until off, "power on", status until on) on the same BMC: OpenIPMI's
# ipmi_sim in a network namespace of its own (tests/bmc.sh), where both
# agents run too.  The BMC's log shows what each sent.
run_ipmi_part() {
	local pw ns
	if ! command -v ipmi_sim >/dev/null || ! command -v ipmitool >/dev/null || [ ! -x "$SBIN/fence_ipmilan" ]; then
		say "ipmi: ipmi_sim, ipmitool or fence_ipmilan missing; part 5 not measured"
		return 1
	fi
	# shellcheck source=../tests/bmc.sh
	. "$TOP/tests/bmc.sh"
	pw="Bench-$$"
	bmc_lan_start "$WORK/bmc" && bmc_start bench 10.213.49.1 admin "$pw" || return 1
	ns="nsenter --net=/proc/$BMC_HOLDER/ns/net"
	printf 'action=reboot\nnodename=n1\nhostname=n1\nipaddr=10.213.49.1\nuserid=admin\npasswd=%s\ninterface=lan\n' \
		"$pw" >"$WORK/ipmi.in"
	printf 'action=reboot\nip=10.213.49.1\nusername=admin\npassword=%s\n' "$pw" >"$WORK/ipmilan.in"
	compare reboot-ipmi 3 2 0 sh \
		"fence_hb_ipmi reboot (shim, external/ipmi, ipmitool -I lan)" "$ns $SBIN/fence_hb_ipmi <$WORK/ipmi.in" \
		"fence_ipmilan reboot (fence-agents, -I lan)" "$ns $SBIN/fence_ipmilan <$WORK/ipmilan.in 2>/dev/null" || {
		bmc_stop_all
		return 1
	}
	# What each sent, once more, from the BMC's log.
	: >"$(bmc_dir bench)/log"
	$ns "$SBIN/fence_hb_ipmi" <"$WORK/ipmi.in" && cp "$(bmc_dir bench)/log" "$WORK/wire.fence_hb_ipmi"
	: >"$(bmc_dir bench)/log"
	$ns "$SBIN/fence_ipmilan" <"$WORK/ipmilan.in" >/dev/null 2>&1 && cp "$(bmc_dir bench)/log" "$WORK/wire.fence_ipmilan"
	bmc_stop_all
}
run_ipmi_part || FAILED+=(reboot-ipmi)

# ------------------------------------------------------- 4. peak memory

say "rss: peak resident set size"
python3 "$HERE/maxrss.py" --runs 5 --out "$WORK/rss.json" \
	"shim: fence_hb_ipmi -o metadata" "$SBIN/fence_hb_ipmi -o metadata" - \
	"shim: fence_hb_ipmi -o metadata, cache off" "env FENCE_HBWRAP_CACHE_DIR=none $SBIN/fence_hb_ipmi -o metadata" - \
	"shim: fence_hb_trivial reboot" "$SBIN/fence_hb_$PLUGIN" "$WORK/shim.in" \
	"shim: fence_hb_trivial reboot, cache off" "env FENCE_HBWRAP_CACHE_DIR=none $SBIN/fence_hb_$PLUGIN" "$WORK/shim.in" \
	"ipmi getinfo-xml alone (the plugin's own share)" "$PLUGIN_DIR/ipmi getinfo-xml" - \
	"fence_legacy reboot (for comparison)" "$SBIN/fence_legacy" "$WORK/legacy.in" \
	>&2 || FAILED+=(rss)

# ----------------------------------------------------- 3. live cluster

# cluster_idle: no corosync or Pacemaker daemon runs on the host.
cluster_idle() {
	[ -z "$(cluster__daemons)" ]
}

# registered ID...: every ID is registered with the fencer.
registered() {
	local list id
	list=$(stonith_admin --list-registered 2>/dev/null) || return 1
	for id in "$@"; do
		grep -qx "$id" <<<"$list" || return 1
	done
}

# add_device ID TYPE HOST: a fence device of TYPE (fence_hb_... or
# external/...) that alone fences the made-up node HOST.  A static host list
# keeps the fencer from asking the device for its hosts, so the timing is
# the reboot alone, on both roads.
add_device() {
	cibadmin --create -o resources -X "<primitive id=\"$1\" class=\"stonith\" type=\"$2\">
  <instance_attributes id=\"$1-ia\">
    <nvpair id=\"$1-hostlist\" name=\"hostlist\" value=\"$3\"/>
    <nvpair id=\"$1-host-list\" name=\"pcmk_host_list\" value=\"$3\"/>
    <nvpair id=\"$1-host-check\" name=\"pcmk_host_check\" value=\"static-list\"/>
  </instance_attributes>
</primitive>"
}

run_cluster_part() {
	local cluster_sh="$TOP/tests/cluster/cluster.sh"
	if [ ! -r "$cluster_sh" ]; then
		say "cluster: $cluster_sh not found; part 3 not measured"
		return 1
	fi
	# shellcheck source=/dev/null # tests/cluster/cluster.sh, another owner's
	. "$cluster_sh"
	if ! cluster_idle; then
		say "cluster: another cluster runs on this host; waiting up to ${CLUSTER_WAIT}s for it to stop"
		cluster_wait "the other cluster to stop" "$CLUSTER_WAIT" cluster_idle || return 1
	fi
	CLUSTER_UP=yes
	cluster_start || return 1
	add_device bench-shim "fence_hb_$PLUGIN" benchghost-shim &&
		add_device bench-native "external/$PLUGIN" benchghost-native || return 1
	cluster_wait "the devices to register" 60 registered bench-shim bench-native || return 1
	compare cluster-reboot 5 2 0 none \
		"stonith_admin --reboot, shim device" "stonith_admin --reboot benchghost-shim --timeout 30" \
		"stonith_admin --reboot, native external/ device" "stonith_admin --reboot benchghost-native --timeout 30" ||
		return 1
	cibadmin --delete -o resources -X '<primitive id="bench-shim"/>' >/dev/null
	cibadmin --delete -o resources -X '<primitive id="bench-native"/>' >/dev/null
	cluster_stop
	CLUSTER_UP=no
	if cluster_check_clean >&2; then
		rm -rf -- "$CLUSTER_DIR"
	else
		say "warning: the cluster did not leave the host as found (see above); logs in $CLUSTER_DIR"
	fi
}

if [ "${BENCH_CLUSTER:-yes}" = no ]; then
	say "cluster: skipped (BENCH_CLUSTER=no)"
elif ! run_cluster_part; then
	FAILED+=(cluster-reboot)
	say "cluster: part 3 not measured"
fi

# ------------------------------------------------------------- report

python3 "$HERE/report.py" --write "$WORK" "$OUT" --shim "$SHIM" --shim-state "$SHIM_STATE" \
	--seconds $((SECONDS - T0)) --failed "${FAILED[*]}" || die "report failed"
[ "${BENCH_CLUSTER:-yes}" = no ] || "$HERE/failover.sh" "$OUT" || FAILED+=(failover)
say "wrote $OUT in $((SECONDS - T0)) s"
cat "$OUT"
[ ${#FAILED[@]} -eq 0 ] || die "not measured: ${FAILED[*]}"
