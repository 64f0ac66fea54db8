# Live one-node Corosync/Pacemaker cluster for the test suites (bash; sourced,
# not executed).
#
#   cluster_start        save the host's cluster state, start corosync and
#                        pacemakerd, wait until this node is online and DC,
#                        set the test properties
#   cluster_stop         stop both daemons by PID and put everything back;
#                        safe to call twice, meant for a trap on EXIT INT TERM
#   cluster_check_clean  after cluster_stop: no daemon left, /etc and the
#                        saved trees exactly as found (prints each problem)
#   cluster_wait         poll a command until it succeeds, with a deadline
#   cluster_property     set a cluster option
#
# The daemons' logs go to $CLUSTER_DIR, which is kept after the run; the
# caller may put its own files there too.  The host's state is recorded before
# anything is touched and restored byte for byte (content, mode, owner) after
# the daemons are gone, so a host that had never run a cluster is left as one.
# The copy (it holds /etc/pacemaker/authkey) lives in $CLUSTER_DIR/saved, mode
# 0700, and is deleted once restored.

CLUSTER_NODE=${CLUSTER_NODE:-hbwrap-node1}
# visible: Debian as installed.  hidden: pacemakerd and its children run in
# a private mount namespace without cluster-glue, as Pacemaker is on RHEL
# (tests/failover/hide-glue); the tools run outside still see it.
CLUSTER_GLUE=${CLUSTER_GLUE:-visible}
CLUSTER_HIDE_GLUE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../failover" && pwd)/hide-glue
CLUSTER_START_TIMEOUT=${CLUSTER_START_TIMEOUT:-120}
CLUSTER_STOP_TIMEOUT=${CLUSTER_STOP_TIMEOUT:-60}

# Trees the daemons write to.  /etc/corosync/corosync.conf is ours; corosync
# keeps its ring id in /var/lib/corosync; Pacemaker keeps the CIB, scheduler
# inputs and blackboxes in /var/lib/pacemaker, and /etc/pacemaker holds its
# authkey.  Each is saved whole and restored whole.
CLUSTER_TREES="/etc/corosync /etc/pacemaker /var/lib/corosync /var/lib/pacemaker"

CLUSTER_DIR=
CLUSTER_COROSYNC_PID=
CLUSTER_PACEMAKERD_PID=
CLUSTER_CHILD_PIDS=
CLUSTER_PACEMAKERD_PID_STOPPED=
CLUSTER_COROSYNC_PID_STOPPED=
CLUSTER_SAVED_AT=       # when the host's state was saved, as dpkg.log writes time
CLUSTER_SAVED=no        # yes while the host's trees are saved and not restored

# Full command lines of Pacemaker's daemons (pacemakerd and the pacemaker-*
# subdaemons it spawns).  Matched against the whole command line because the
# kernel truncates process names to 15 characters ("pacemaker-sched"), and
# anchored so that our own shells and greps mentioning "pacemaker-" never match.
CLUSTER_PCMK_RE='^(/usr/(s?bin|lib/pacemaker)/)?pacemaker(d|-(based|fenced|execd|attrd|schedulerd|controld))( |$)'

cluster_log() {
	printf 'cluster: %s\n' "$*" >&2
}

# cluster__daemons: PIDs of every corosync or Pacemaker daemon on the host.
cluster__daemons() {
	{ pgrep -x corosync; pgrep -f "$CLUSTER_PCMK_RE"; } | sort -n
}

# cluster__alive PID: true if PID is a live (not zombie) process.
cluster__alive() {
	local state
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
	state=$(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

# cluster__etc_listing: every file's checksum plus every entry's type, mode,
# owner and link target under /etc.  Nothing is excluded: nothing else runs in
# this container that would change /etc while the suite runs.
cluster__etc_listing() {
	find /etc -xdev -type f -print0 | sort -z | xargs -0 sha256sum
	find /etc -xdev -printf '%y %m %u:%g %p -> %l\n' | LC_ALL=C sort
}

# cluster__tree_listing: the same for the saved trees (those that exist).
cluster__tree_listing() {
	local t
	for t in $CLUSTER_TREES; do
		[ -e "$t" ] || { echo "absent $t"; continue; }
		find "$t" -type f -print0 | sort -z | xargs -0 -r sha256sum
		find "$t" -printf '%y %m %u:%g %p -> %l\n' | LC_ALL=C sort
	done
}

# cluster__save: record and save the host's state before anything changes.
cluster__save() {
	local t present=""
	mkdir -m 0700 "$CLUSTER_DIR/saved" || return 1
	CLUSTER_SAVED_AT=$(date '+%F %T')
	cluster__etc_listing >"$CLUSTER_DIR/saved/etc.before" || return 1
	cluster__tree_listing >"$CLUSTER_DIR/saved/trees.before" || return 1
	ls -A /dev/shm >"$CLUSTER_DIR/saved/shm.before" || return 1
	for t in $CLUSTER_TREES; do
		[ -e "$t" ] && present="$present ${t#/}"
	done
	# shellcheck disable=SC2086 # one word per tree
	tar -C / --numeric-owner --xattrs --acls -cpf "$CLUSTER_DIR/saved/trees.tar" \
		$present || return 1
	CLUSTER_SAVED=yes
}

# cluster__restore: put the saved trees back exactly (extra files removed).
cluster__restore() {
	local t
	[ "$CLUSTER_SAVED" = yes ] || return 0
	tar -tf "$CLUSTER_DIR/saved/trees.tar" >/dev/null || {
		cluster_log "backup $CLUSTER_DIR/saved/trees.tar unreadable; NOT restoring $CLUSTER_TREES"
		return 1
	}
	# Empty the trees that existed (keeping the directories, so their
	# parents' timestamps do not change) and remove those that did not.
	for t in $CLUSTER_TREES; do
		if tar -tf "$CLUSTER_DIR/saved/trees.tar" "${t#/}" >/dev/null 2>&1; then
			find "$t" -mindepth 1 -delete
		else
			rm -rf -- "$t"
		fi
	done
	tar -C / --numeric-owner --xattrs --acls -xpf "$CLUSTER_DIR/saved/trees.tar" || return 1
	# libqb leaves its shared-memory files behind when a daemon is killed.
	comm -13 "$CLUSTER_DIR/saved/shm.before" <(ls -A /dev/shm) | grep '^qb-' |
		while read -r f; do rm -f -- "/dev/shm/$f"; done
	rm -f "$CLUSTER_DIR/saved/trees.tar"
	CLUSTER_SAVED=no
}

cluster__write_corosync_conf() {
	cat >/etc/corosync/corosync.conf <<EOF
# Written by fence-heartbeat-wrap tests/cluster/cluster.sh; the original is
# restored when the test cluster stops.
totem {
	version: 2
	cluster_name: hbwrap-test
	transport: knet
	crypto_cipher: none
	crypto_hash: none
}

nodelist {
	node {
		name: $CLUSTER_NODE
		nodeid: 1
		ring0_addr: 127.0.0.1
	}
}

quorum {
	provider: corosync_votequorum
	two_node: 0
	expected_votes: 1
}

logging {
	to_stderr: no
	to_syslog: no
	to_logfile: yes
	logfile: $CLUSTER_DIR/corosync.log
	timestamp: on
}
EOF
}

# cluster__seed_cib: start from an empty CIB whose dc-deadtime is short.  A
# lone controller otherwise waits the default 20 s for other nodes before it
# elects itself.  Pacemaker accepts a cib.xml without a .sig digest file.
cluster__seed_cib() {
	local cib=/var/lib/pacemaker/cib
	mkdir -p "$cib" && find "$cib" -mindepth 1 -delete || return 1
	cibadmin --empty | sed 's|<crm_config/>|<crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-dc-deadtime" name="dc-deadtime" value="2s"/></cluster_property_set></crm_config>|' \
		>"$cib/cib.xml" || return 1
	grep -q dc-deadtime "$cib/cib.xml" || return 1
	chown hacluster:haclient "$cib/cib.xml" && chmod 0600 "$cib/cib.xml"
}

# cluster__daemon_env: the environment the daemons start with, as systemd
# would give it: nothing inherited from whoever runs the tests, so the plugin
# records see what a real cluster passes.
cluster__daemon_env() {
	printf '%s\n' PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		LANG=C.UTF-8 \
		"PCMK_logfile=$CLUSTER_DIR/pacemaker.log" \
		PCMK_logfacility=none
}

# cluster_wait DESCRIPTION TIMEOUT COMMAND...: run COMMAND every 0.3 s until
# it succeeds; fail (with a message) if TIMEOUT seconds pass or one of our
# daemons dies.
cluster_wait() {
	local what=$1 timeout=$2 deadline
	shift 2
	deadline=$((SECONDS + timeout))
	until "$@"; do
		if [ -n "$CLUSTER_COROSYNC_PID" ] && ! cluster__alive "$CLUSTER_COROSYNC_PID"; then
			cluster_log "corosync (PID $CLUSTER_COROSYNC_PID) died while waiting for $what; see $CLUSTER_DIR/corosync.log"
			tail -n 20 "$CLUSTER_DIR/corosync.log" "$CLUSTER_DIR/corosync.out" >&2 2>/dev/null
			return 1
		fi
		if [ -n "$CLUSTER_PACEMAKERD_PID" ] && ! cluster__alive "$CLUSTER_PACEMAKERD_PID"; then
			cluster_log "pacemakerd (PID $CLUSTER_PACEMAKERD_PID) died while waiting for $what; see $CLUSTER_DIR/pacemaker.log"
			tail -n 20 "$CLUSTER_DIR/pacemakerd.out" >&2 2>/dev/null
			return 1
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			cluster_log "timed out after ${timeout}s waiting for $what"
			return 1
		fi
		sleep 0.3
	done
}

# cluster__is_online_dc: this node is online and the DC, per crm_mon.
cluster__is_online_dc() {
	local xml
	xml=$(crm_mon -1 --output-as=xml 2>/dev/null) || return 1
	grep -q "<current_dc present=\"true\"[^>]* name=\"$CLUSTER_NODE\"" <<<"$xml" &&
		grep -q "<node name=\"$CLUSTER_NODE\"[^>]* online=\"true\"" <<<"$xml"
}

cluster__corosync_ready() {
	corosync-quorumtool -s >/dev/null 2>&1
}

# cluster__is_daemon PID NAME: PID runs NAME (the PID we stop later is
# really the daemon, not a wrapper).
cluster__is_daemon() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] && return 0
	cluster_log "PID $1 is not $2 but $(cat "/proc/$1/comm" 2>/dev/null)"
	return 1
}

# cluster_property NAME VALUE: set a cluster option.
cluster_property() {
	crm_attribute --type crm_config --name "$1" --update "$2" >/dev/null
}

cluster_start() {
	local running t0=$SECONDS
	running=$(cluster__daemons)
	if [ -n "$running" ]; then
		cluster_log "a cluster is already running on this host; refusing to touch it:"
		ps -o pid=,args= -p "$(paste -sd, <<<"$running")" >&2
		return 1
	fi
	[ -z "$CLUSTER_DIR" ] || { cluster_log "cluster_start called twice"; return 1; }
	CLUSTER_DIR=$(mktemp -d /tmp/hbwrap-cluster.XXXXXX) || return 1
	# Pacemaker's subdaemons run as hacluster and write to the log in here.
	chmod 0755 "$CLUSTER_DIR"
	touch "$CLUSTER_DIR/pacemaker.log"
	chown hacluster:haclient "$CLUSTER_DIR/pacemaker.log"
	cluster_log "work directory $CLUSTER_DIR"

	cluster__save || { cluster_log "could not save the host's state"; return 1; }
	mkdir -p /etc/corosync
	cluster__write_corosync_conf || return 1
	cluster__seed_cib || { cluster_log "could not write the initial CIB"; return 1; }

	# Each daemon gets a session of its own: both handle SIGINT, and a ^C
	# meant for the suite must reach the suite's trap, not kill them
	# behind its back.  setsid does not fork here (a background job of a
	# script is no process group leader), so $! is the daemon itself.
	local env
	mapfile -t env < <(cluster__daemon_env)
	setsid env -i "${env[@]}" corosync -f </dev/null >"$CLUSTER_DIR/corosync.out" 2>&1 &
	CLUSTER_COROSYNC_PID=$!
	cluster_wait "corosync" 30 cluster__corosync_ready || return 1
	cluster__is_daemon "$CLUSTER_COROSYNC_PID" corosync || return 1

	local wrap=()
	if [ "$CLUSTER_GLUE" = hidden ]; then
		mkdir "$CLUSTER_DIR/empty" || return 1
		wrap=(unshare --mount --propagation private
			env HBWRAP_PRIVATE_MNT=yes "$CLUSTER_HIDE_GLUE" "$CLUSTER_DIR/empty")
	fi
	setsid "${wrap[@]}" env -i "${env[@]}" pacemakerd -f </dev/null >"$CLUSTER_DIR/pacemakerd.out" 2>&1 &
	CLUSTER_PACEMAKERD_PID=$!
	cluster_wait "$CLUSTER_NODE to be online and DC" "$CLUSTER_START_TIMEOUT" \
		cluster__is_online_dc || return 1
	cluster__is_daemon "$CLUSTER_PACEMAKERD_PID" pacemakerd || return 1
	CLUSTER_CHILD_PIDS=$(pgrep -P "$CLUSTER_PACEMAKERD_PID" | tr '\n' ' ')
	cluster_log "online and DC after $((SECONDS - t0))s (corosync $CLUSTER_COROSYNC_PID, pacemakerd $CLUSTER_PACEMAKERD_PID, children $CLUSTER_CHILD_PIDS)"

	# Fencing on, and quick: a failing device must not hold a test for the
	# default 60 s.  A single node has quorum with expected_votes 1; ignoring
	# quorum anyway keeps a slow membership update from blocking fencing.
	cluster_property stonith-enabled true &&
		cluster_property stonith-timeout 20s &&
		cluster_property no-quorum-policy ignore
}

# cluster__stop_pid NAME PID TIMEOUT [EXTRA_PIDS]: SIGTERM PID, wait for it and
# EXTRA_PIDS to exit, SIGKILL what is left (after checking the PID still
# belongs to a cluster daemon).
cluster__stop_pid() {
	local name=$1 pid=$2 timeout=$3 extra=${4:-} p left deadline
	[ -n "$pid" ] || return 0
	cluster__alive "$pid" && kill -TERM "$pid" 2>/dev/null
	deadline=$((SECONDS + timeout))
	while :; do
		left=
		for p in $pid $extra; do
			cluster__alive "$p" && left="$left $p"
		done
		[ -z "$left" ] && break
		if [ "$SECONDS" -ge "$deadline" ]; then
			cluster_log "$name did not stop within ${timeout}s; killing$left"
			for p in $left; do
				grep -qE 'corosync|pacemaker' "/proc/$p/cmdline" 2>/dev/null &&
					kill -KILL "$p" 2>/dev/null
			done
			sleep 0.5
			break
		fi
		sleep 0.3
	done
	wait "$pid" 2>/dev/null
	return 0
}

cluster_stop() {
	if [ -n "$CLUSTER_PACEMAKERD_PID" ]; then
		# Children spawned after start (a respawned subdaemon) count too.
		CLUSTER_CHILD_PIDS="$CLUSTER_CHILD_PIDS $(pgrep -P "$CLUSTER_PACEMAKERD_PID" | tr '\n' ' ')"
		cluster__stop_pid pacemakerd "$CLUSTER_PACEMAKERD_PID" \
			"$CLUSTER_STOP_TIMEOUT" "$CLUSTER_CHILD_PIDS"
		CLUSTER_PACEMAKERD_PID_STOPPED=$CLUSTER_PACEMAKERD_PID
		CLUSTER_PACEMAKERD_PID=
	fi
	if [ -n "$CLUSTER_COROSYNC_PID" ]; then
		cluster__stop_pid corosync "$CLUSTER_COROSYNC_PID" 30
		CLUSTER_COROSYNC_PID_STOPPED=$CLUSTER_COROSYNC_PID
		CLUSTER_COROSYNC_PID=
	fi
	cluster__restore
}

# cluster__changed_paths BEFORE AFTER: the paths that differ between two
# listings made by cluster__etc_listing.
cluster__changed_paths() {
	diff "$1" "$2" | sed -n -e 's/^[<>] [0-9a-f]\{64\}  //p' \
		-e 's/^[<>] [a-z] [0-7]* [^ ]* \(.*\) -> .*/\1/p' | sort -u
}

# cluster__dpkg_paths: what dpkg wrote under /etc since the state was saved.
# The suite may share its host with someone installing packages; such
# changes are not the cluster's and must not hide, nor be blamed on, it.  That
# is the files of every package dpkg.log names since then, the rc?.d links of
# their init scripts, and ld.so.cache (dpkg's ldconfig trigger).
cluster__dpkg_paths() {
	local pkgs p f l
	pkgs=$(awk -v t="$CLUSTER_SAVED_AT" '$1 " " $2 >= t && $3 ~ /^(install|upgrade|remove|purge)$/ { sub(/:.*/, "", $4); print $4 }' \
		/var/log/dpkg.log 2>/dev/null | sort -u)
	[ -n "$pkgs" ] || return 0
	echo /etc/ld.so.cache
	for p in $pkgs; do
		dpkg-query -L "$p" 2>/dev/null | grep '^/etc/'
	done | sort -u | while read -r f; do
		echo "$f"
		case $f in
		/etc/init.d/*)
			for l in 0 1 2 3 4 5 6 S; do echo "/etc/rc$l.d/${f##*/}"; done
			;;
		esac
	done
}

# cluster__dpkg_owns PATH DPKG_PATHS: PATH is one of DPKG_PATHS, or an rc?.d
# link (S01name, K01name) to one of their init scripts.
cluster__dpkg_owns() {
	local link=${1%/*}/${1##*/[SK][0-9][0-9]}
	grep -qxF -e "$1" -e "$link" <<<"$2"
}

# cluster_check_clean: after cluster_stop, report anything not as found.
cluster_check_clean() {
	local rc=0 p left
	[ -n "$CLUSTER_DIR" ] || { cluster_log "cluster was never started"; return 1; }
	for p in ${CLUSTER_PACEMAKERD_PID_STOPPED:-} $CLUSTER_CHILD_PIDS \
		${CLUSTER_COROSYNC_PID_STOPPED:-}; do
		if cluster__alive "$p"; then
			cluster_log "PID $p still alive: $(tr '\0' ' ' <"/proc/$p/cmdline")"
			rc=1
		fi
	done
	left=$(cluster__daemons)
	if [ -n "$left" ]; then
		cluster_log "cluster daemons still running:"
		ps -o pid=,args= -p "$(paste -sd, <<<"$left")" >&2
		rc=1
	fi
	if [ "$CLUSTER_SAVED" = yes ]; then
		cluster_log "host state was not restored"
		rc=1
	fi
	cluster__etc_listing >"$CLUSTER_DIR/saved/etc.after"
	if ! cmp -s "$CLUSTER_DIR/saved/etc.before" "$CLUSTER_DIR/saved/etc.after"; then
		local path dpkg_paths ours=""
		dpkg_paths=$(cluster__dpkg_paths)
		while read -r path; do
			if cluster__dpkg_owns "$path" "$dpkg_paths"; then
				cluster_log "changed by dpkg during the run, not by the cluster: $path"
			else
				ours="$ours $path"
			fi
		done < <(cluster__changed_paths "$CLUSTER_DIR/saved/etc.before" "$CLUSTER_DIR/saved/etc.after")
		if [ -n "$ours" ]; then
			cluster_log "/etc differs from before the cluster started:"
			diff "$CLUSTER_DIR/saved/etc.before" "$CLUSTER_DIR/saved/etc.after" >&2
			rc=1
		fi
	fi
	cluster__tree_listing >"$CLUSTER_DIR/saved/trees.after"
	if ! cmp -s "$CLUSTER_DIR/saved/trees.before" "$CLUSTER_DIR/saved/trees.after"; then
		cluster_log "$CLUSTER_TREES differ from before the cluster started:"
		diff "$CLUSTER_DIR/saved/trees.before" "$CLUSTER_DIR/saved/trees.after" >&2
		rc=1
	fi
	return $rc
}
