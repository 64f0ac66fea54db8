#!/bin/bash
#
# Where the shim's time goes (issue 6): the measurements behind the
# suggestions in the benchmark's report.  Not part of `make bench`; run as
# root, from the repository top, after `make`:
#
#   bench/profile.sh                 profiles the installed /usr/sbin/fence_hbwrap
#   HBWRAP=./fence_hbwrap bench/profile.sh    the build tree's binary
#
#   1. what the binary loads before main: ldd, LD_DEBUG=statistics
#   2. start-up cost: `--version` against hello-world programs built here
#      (static, libc only, libc + libxml2), hyperfine medians
#   3. syscalls of one reboot of the trivial plugin: before main / after,
#      the shim alone and with its child (strace -c, strace -f)
#   4. instructions of the shim alone (callgrind, children not traced): the
#      dynamic loader's share, main's share, for a reboot and for metadata
#   5. metadata: how many processes one `-o metadata` of external/ipmi runs
#
# Uses: strace, valgrind, hyperfine, cc.  Installs the trivial plugin as
# /usr/lib/stonith/plugins/external/hbwrap-prof-<pid> and removes it on exit;
# its fence_hb_* links live in a temporary directory.

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
SHIM=$(realpath "${HBWRAP:-/usr/sbin/fence_hbwrap}")
PLUGIN_DIR=/usr/lib/stonith/plugins/external
PLUGIN=hbwrap-prof-$$

[ "$(id -u)" -eq 0 ] || { echo "profile.sh: run as root" >&2; exit 1; }
for t in strace valgrind callgrind_annotate hyperfine cc python3; do
	command -v "$t" >/dev/null || { echo "profile.sh: $t not found" >&2; exit 1; }
done
[ -x "$SHIM" ] || { echo "profile.sh: $SHIM not found" >&2; exit 1; }

WORK=$(mktemp -d /tmp/hbwrap-prof.XXXXXX) || exit 1
trap 'rm -f -- "$PLUGIN_DIR/$PLUGIN"; rm -rf -- "$WORK"' EXIT
trap 'exit 130' INT TERM

install -o root -g root -m 0755 "$HERE/plugins/hbwrap-bench-trivial" "$PLUGIN_DIR/$PLUGIN" || exit 1
ln -s "$SHIM" "$WORK/fence_hb_$PLUGIN"
ln -s "$SHIM" "$WORK/fence_hb_ipmi"
REBOOT=$WORK/fence_hb_$PLUGIN
META=$WORK/fence_hb_ipmi
printf 'action=reboot\nport=n1\nnodename=n1\nhostlist=n1 n2\n' >"$WORK/reboot.in"
"$REBOOT" <"$WORK/reboot.in" || { echo "profile.sh: the reboot fails" >&2; exit 1; }
"$META" -o metadata >/dev/null || { echo "profile.sh: the metadata fails" >&2; exit 1; }

echo "== profiling $SHIM ($("$SHIM" --version))"

echo
echo "== 1. loaded before main"
echo "libraries (ldd): $(ldd "$SHIM" | grep -c '=>') -- $(ldd "$SHIM" | awk '/=>/ { printf "%s ", $1 }')"
LD_DEBUG=statistics "$SHIM" --version 2>&1 >/dev/null |
	sed -n 's/^[[:space:]]*[0-9]*:[[:space:]]*//; /total startup time\|number of relocations:\|relative relocations\|time needed for relocation/p' |
	sed 's/^/    /'

echo
echo "== 2. start-up, hyperfine medians (-N, 200 runs)"
printf '#include <stdio.h>\nint main(void) { puts("x"); return 0; }\n' >"$WORK/hello.c"
cc -O2 -static -o "$WORK/hello-static" "$WORK/hello.c" &&
	cc -O2 -o "$WORK/hello-libc" "$WORK/hello.c" &&
	cc -O2 -o "$WORK/hello-libxml2" "$WORK/hello.c" -Wl,--no-as-needed -lxml2 || exit 1
hyperfine -N --style none --warmup 20 --runs 200 --export-json "$WORK/start.json" \
	-n "hello, static" "$WORK/hello-static" \
	-n "hello, libc" "$WORK/hello-libc" \
	-n "hello, libc + libxml2 (and what it pulls in)" "$WORK/hello-libxml2" \
	-n "fence_hbwrap --version" "$SHIM --version" \
	-n "trivial plugin reset n1 (/bin/sh script)" "$PLUGIN_DIR/$PLUGIN reset n1" >/dev/null 2>&1 || exit 1
python3 - "$WORK/start.json" <<'EOF'
import json, statistics, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("    %-48s %.3f ms" % (r["command"], statistics.median(r["times"]) * 1000))
EOF

echo
echo "== 3. syscalls of one reboot of the trivial plugin"
strace -o "$WORK/reboot.strace" "$REBOOT" <"$WORK/reboot.in"
total=$(grep -vc '^+++\|^---' "$WORK/reboot.strace")
first_read=$(grep -n '^read(0,' "$WORK/reboot.strace" | head -n 1 | cut -d: -f1)
echo "    the shim alone: $total syscalls; $((first_read - 1)) before it reads stdin (loader and libc start-up)"
printf '    %s\n' "$(grep -c '^openat(' "$WORK/reboot.strace") openat, $(grep -c '^mmap(' "$WORK/reboot.strace") mmap, $(grep -c '^mprotect(' "$WORK/reboot.strace") mprotect, $(grep -c '^clone' "$WORK/reboot.strace") clone/clone3, i.e. processes started (with CLONE_VFORK: $(grep -c 'CLONE_VFORK' "$WORK/reboot.strace"))"
echo "    after it reads stdin: $(tail -n +"$first_read" "$WORK/reboot.strace" | grep -v '^+++\|^---' | sed 's/(.*//' | sort | uniq -c | sort -rn | awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')"
strace -f -o "$WORK/reboot-f.strace" "$REBOOT" <"$WORK/reboot.in"
child=$(sed -n 's|^\([0-9]*\) *execve("'"$PLUGIN_DIR/$PLUGIN"'".*|\1|p' "$WORK/reboot-f.strace" | head -n 1)
echo "    shim + plugin: $(grep -vc '+++\|---' "$WORK/reboot-f.strace") syscalls; in the child between fork and execve: $(awk -v p="$child" '$1 == p && /execve\(/ { exit } $1 == p && !/resumed>/ { n++ } END { print n + 0 }' "$WORK/reboot-f.strace") (of which rt_sigaction: $(awk -v p="$child" '$1 == p && /execve\(/ { exit } $1 == p && /rt_sigaction/ && !/resumed>/ { n++ } END { print n + 0 }' "$WORK/reboot-f.strace"))"

echo
echo "== 4. instructions of the shim alone (callgrind)"
# cg_share FILE FUNCTION: inclusive instruction count of FUNCTION.
cg_share() {
	callgrind_annotate --inclusive=yes "$1" 2>/dev/null |
		awk -v f="$2" 'index($0, f) { gsub(",", "", $1); print $1; exit }'
}
# The shim forks; a child is profiled until its execve, into its own file.
for what in reboot metadata; do
	if [ "$what" = reboot ]; then
		valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.$what.%p" \
			"$REBOOT" <"$WORK/reboot.in" >/dev/null 2>"$WORK/cg.$what.log"
	else
		valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.$what.%p" \
			"$META" -o metadata >/dev/null 2>"$WORK/cg.$what.log"
	fi
	pid=$(sed -n 's/^==\([0-9]*\)==.*/\1/p' "$WORK/cg.$what.log" | head -n 1)
	all=$(sed -n "s/^==$pid== Collected : *//p" "$WORK/cg.$what.log")
	ld=$(cg_share "$WORK/cg.$what.$pid" ":_dl_start ")
	mn=$(cg_share "$WORK/cg.$what.$pid" ":main ")
	dl=$(cg_share "$WORK/cg.$what.$pid" "dlopen.c:dlopen@")
	python3 -c 'import sys; a, l, m, d = map(int, sys.argv[2:]); print("    %-8s %9d instructions: dynamic loader %9d (%2.0f%%), main %9d (%2.0f%%), of which dlopen() %9d (%2.0f%%)" % (sys.argv[1], a, l, 100.0 * l / a, m, 100.0 * m / a, d, 100.0 * d / a))' \
		"$what" "${all:-0}" "${ld:-0}" "${mn:-0}" "${dl:-0}"
done

echo
echo "== 5. metadata of external/ipmi: processes run"
strace -f -e trace=execve -o "$WORK/meta.strace" "$META" -o metadata >/dev/null
echo "    $(grep -c "execve(\"$PLUGIN_DIR/ipmi\"" "$WORK/meta.strace") plugin calls ($(grep -o "$PLUGIN_DIR/ipmi\", \[[^]]*\]" "$WORK/meta.strace" | grep -o '"[a-z-]*"\]' | tr -d '"]' | paste -sd' ')), $(grep -c 'execve(' "$WORK/meta.strace") execve in all (the plugin's own children included)"
