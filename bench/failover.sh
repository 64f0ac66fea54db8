#!/bin/bash
#
# Failover timings in the three-node cluster of tests/failover (issue 11),
# as a section of the benchmark report.
#
#   bench/failover.sh OUT     (root; bench/run.sh calls it after its report)
#
# Runs tests/failover/run.sh FAILOVER_RUNS times (default 3) and replaces or
# appends the section "## Failover in a three-node cluster" of OUT with the
# median and range, per scenario, of: seconds from the link cut to the
# membership without the victim, the fence request, the victim's death (the
# power controller's word), the fence reported (Pacemaker's log) and the
# Dummy resource started on a survivor; and the milliseconds from the
# shim's start to the plugin's start (the shim's debug file).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: bench/failover.sh OUT}
RUNS=${FAILOVER_RUNS:-3}
WORK=$(mktemp -d /tmp/hbwrap-bench-failover.XXXXXX) || exit 1
trap 'rm -rf -- "$WORK"' EXIT

for ((i = 1; i <= RUNS; i++)); do
	echo "bench: failover run $i of $RUNS" >&2
	t0=$SECONDS
	if ! FAILOVER_TIMINGS=$WORK/timings "$HERE/../tests/failover/run.sh" >"$WORK/run.log" 2>&1; then
		grep -E '^(FAIL|failover:)' "$WORK/run.log" >&2
		echo "bench: tests/failover/run.sh failed; failover timings not written" >&2
		exit 1
	fi
	echo "bench: $(tail -n 1 "$WORK/run.log") in $((SECONDS - t0)) s" >&2
	grep '^timing ' "$WORK/run.log" >&2
done

python3 - "$WORK/timings" "$OUT" "$RUNS" <<'PY'
import re, statistics, sys
timings, out, runs = sys.argv[1], sys.argv[2], sys.argv[3]
rows = {}
for line in open(timings):
    label, *values = line.rstrip("\n").split("\t")
    rows.setdefault(label, []).append(values)
def cell(values):
    xs = [float(v) for v in values if v != "?"]
    if not xs:
        return "?"
    return f"{statistics.median(xs):g} ({min(xs):g}–{max(xs):g})"
head = ["membership without victim (s)", "fence requested (s)", "victim dead (s)",
        "fence reported (s)", "Dummy started (s)", "shim start → plugin start (ms)",
        "fence requested → victim dead (ms)", "shim's share of that (%)"]
def derived(v):
    # The time from the fence request to the power cut (the BMC's or the
    # switch's), and the shim's own part of it.
    try:
        span = (float(v[2]) - float(v[1])) * 1000
    except ValueError:
        return v + ["?", "?"]
    share = "?" if v[5] == "?" or span <= 0 else f"{100 * float(v[5]) / span:.1f}"
    return v + [f"{span:.0f}", share]
rows = {k: [derived(v) for v in vals] for k, vals in rows.items()}
text = [
    "## Failover in a three-node cluster (tests/failover)",
    "",
    f"Written by `bench/failover.sh` (called by `bench/run.sh`): {runs} runs of",
    "`tests/failover/run.sh` (three corosync/Pacemaker nodes in namespaces, cluster-glue",
    "hidden as on RHEL, corosync's default 3 s token). Times from the moment the victim's",
    "link is cut; median (min–max) over the runs. The fences go through each node's BMC",
    "(fence_hb_ipmi -> external/ipmi -> ipmitool -> ipmi_sim; fence_ipmilan for its row;",
    "the test switch for the level-2 rows). \"shim start → plugin start\" is the shim's own",
    "share of a fence: from its first debug line to the plugin's start; the last column",
    "puts it against the time from the fence request to the power cut. This section alone:",
    f"`FAILOVER_RUNS={runs} bench/failover.sh docs/benchmarks.md` (as root).",
    "",
    "| scenario | " + " | ".join(head) + " |",
    "|---|" + "---|" * len(head),
]
for label, vals in rows.items():
    text.append(f"| {label} | " + " | ".join(cell(c) for c in zip(*vals)) + " |")
old = open(out).read()
old = re.sub(r"\n## Failover in a three-node cluster.*?(?=\n## |\Z)", "", old, flags=re.S)
with open(out, "w") as f:
    f.write(old.rstrip("\n") + "\n\n" + "\n".join(text) + "\n")
PY
