#!/usr/bin/python3
"""Statistics and the results table for bench/run.sh.

    report.py --summary WORK ID      one comparison, a few lines on stdout
    report.py --write WORK OUT ...   docs/benchmarks.md from everything in WORK

WORK holds, per comparison ID, ID.names (its command names, the shim's
first) and ID.rN.json (hyperfine's export of round N, in which the commands
ran in a rotated order), plus rss.json from maxrss.py and loadavg.start.
Within a round the i-th run of one command is paired with the i-th run of
the other; a comparison's ratio is the median of those per-pair ratios.
"""

import argparse
import datetime
import glob
import json
import os
import platform
import statistics
import subprocess
import sys

MIB = 1024.0
RSS_TARGET_MIB = 8.0

# id -> (part, what is compared, target ratio shim/other or None, target text)
COMPARISONS = [
    ("meta-crm", "1",
     "metadata through Pacemaker: `crm_resource --show-metadata`, "
     "`stonith:fence_hb_ipmi` vs `stonith:external/ipmi` (native LHA road)",
     0.8, "shim ≤ 0.8 × native LHA road"),
    ("meta-agent", "1",
     "metadata at the agent: `fence_hb_ipmi -o metadata` vs the plugin's "
     "`getinfo-devid, -devname, -devdescr, -devurl, -xml` one after another",
     None, "(no target)"),
    ("reboot-legacy", "2",
     "one `reboot` of the trivial plugin: shim vs Pacemaker's `fence_legacy`",
     0.05, "shim ≤ 0.05 × fence_legacy"),
    ("reboot-direct", "2",
     "one `reboot` of the trivial plugin: shim vs the plugin's `reset n1` "
     "run directly",
     1.5, "shim ≤ 1.5 × plugin alone"),
    ("reboot-floor", "2",
     "one `reboot` of the trivial plugin, metadata cache warm: shim vs "
     "`bench/floor.c` (a static vfork+execve+waitpid of the plugin)",
     1.5, "shim ≤ 1.5 × floor"),
    ("reboot-ipmi", "5",
     "one `reboot` through a real IPMI LAN BMC (ipmi_sim, same BMC, "
     "`-I lan`): `fence_hb_ipmi` (external/ipmi: `power status`, then one "
     "`power reset`) vs fence-agents' `fence_ipmilan` (`power off`, polls "
     "status, `power on`, polls status)",
     None, "(no target: different work on the wire)"),
    ("cluster-reboot", "3",
     "live one-node cluster: `stonith_admin --reboot` through a shim device "
     "vs a native `stonith:external/` device (same trivial plugin)",
     0.5, "shim device ≤ 0.5 × native device"),
]


def quartiles(xs):
    """(p25, median, p75) of XS."""
    if len(xs) == 1:
        return xs[0], xs[0], xs[0]
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], q[1], q[2]


def load(work, cid):
    """Names (shim first), all times per name (s), per-pair ratios of the
    first to the second, rounds; and per name, its per-pair ratios to the
    second."""
    names_file = os.path.join(work, cid + ".names")
    if not os.path.exists(names_file):
        return None
    with open(names_file) as f:
        names = [l.rstrip("\n") for l in f if l.strip()]
    rounds = sorted(glob.glob(os.path.join(work, cid + ".r*.json")))
    if not rounds:
        return None
    times = {n: [] for n in names}
    to_second = {n: [] for n in names}
    for path in rounds:
        with open(path) as f:
            res = {r["command"]: r["times"] for r in json.load(f)["results"]}
        for n in names:
            times[n].extend(res[n])
        for n in names:
            to_second[n].extend(x / y for x, y in zip(res[n], res[names[1]])
                                if y > 0)
    return names, times, to_second[names[0]], len(rounds), to_second


def fmt_ms(s):
    ms = s * 1000.0
    if ms >= 100:
        return "%.0f ms" % ms
    if ms >= 10:
        return "%.1f ms" % ms
    return "%.2f ms" % ms


def fmt_ratio(r):
    return "%.3f" % r if r < 0.1 else "%.2f" % r


def summary(work, cid):
    data = load(work, cid)
    if data is None:
        print("  %s: no data" % cid)
        return
    names, times, ratios, _, to_second = data
    for n in names:
        p25, med, p75 = quartiles(times[n])
        print("  %-55s median %9s  IQR %s-%s  (n=%d, %s x second)"
              % (n, fmt_ms(med), fmt_ms(p25), fmt_ms(p75), len(times[n]),
                 fmt_ratio(statistics.median(to_second[n]))))
    p25, med, p75 = quartiles(ratios)
    print("  ratio first/second, median of %d pairs: %s (IQR %s-%s)"
          % (len(ratios), fmt_ratio(med), fmt_ratio(p25), fmt_ratio(p75)))


def run(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return ""


def machine(shim, state):
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    if not model:
        for line in run(["lscpu"]).splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    try:
        with open("/etc/debian_version") as f:
            debian = f.read().strip()
    except OSError:
        debian = "unknown"
    pkgs = run(["dpkg-query", "-W", "-f", "${Package} ${Version}, ",
                "pacemaker", "corosync", "cluster-glue", "hyperfine"])
    return [
        ("CPUs (nproc)", run(["nproc"]) or str(os.cpu_count())),
        ("CPU model", model or "unknown"),
        ("kernel", platform.release()),
        ("Debian", debian),
        ("packages", pkgs.rstrip(", ")),
        ("shim", "%s (%s, %s)" % (run([shim, "--version"]), shim, state)),
    ]


def write(work, out, shim, state, seconds, failed):
    lines = []
    w = lines.append
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        with open(os.path.join(work, "loadavg.start")) as f:
            load_start = " ".join(f.read().split()[:3])
    except OSError:
        load_start = "unknown"

    w("# Benchmarks: fence-heartbeat-wrap against the other roads")
    w("")
    w("Written by `bench/run.sh` (issue 6); do not edit by hand. "
      "Reproduce, as root, with")
    w("")
    w("    make install PREFIX=/usr && make bench")
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("|---|---|")
    for k, v in machine(shim, state):
        w("| %s | %s |" % (k, v))
    w("| load average at start | %s (the machine is shared) |" % load_start)
    w("| run | %s, %d s in all |" % (now.strftime("%Y-%m-%d %H:%M UTC"),
                                    seconds))
    w("")
    w("## Method")
    w("")
    w("Each comparison runs as several rounds of one `hyperfine` call holding "
      "both commands (order rotated every round, `--warmup` runs first); the "
      "i-th run of one command is paired with the i-th run of the other in "
      "the same round. *Median* and *IQR* (25th-75th percentile) are over "
      "all runs; *ratio* is the median of the per-pair ratios shim/other, "
      "with their IQR. Commands that read their request from stdin run "
      "under `sh` with a redirection, and hyperfine subtracts the shell's "
      "own start-up. The trivial plugin (`bench/plugins/hbwrap-bench-"
      "trivial`, `/bin/sh`) answers every operation at once, so a reboot "
      "through it measures the road alone. The cluster devices use a static "
      "host list (`pcmk_host_check=static-list`), so only the reboot is "
      "timed.")
    w("")
    w("## Results")
    w("")
    w("| part | comparison | shim: median (IQR) | other: median (IQR) "
      "| pairs | ratio shim/other (IQR) | target | met |")
    w("|---|---|---|---|---|---|---|---|")
    targets = []
    details = []
    notes = []
    for cid, part, what, target, ttext in COMPARISONS:
        data = load(work, cid)
        if data is None or cid in failed:
            w("| %s | %s | not measured | | | | %s | not measured |"
              % (part, what, ttext))
            if target is not None:
                targets.append((ttext, "not measured"))
            continue
        names, times, ratios, nrounds, to_second = data
        cells = []
        for n in names[:2]:
            p25, med, p75 = quartiles(times[n])
            cells.append("%s (%s-%s)" % (fmt_ms(med), fmt_ms(p25),
                                        fmt_ms(p75)))
        r25, rmed, r75 = quartiles(ratios)
        met = "—" if target is None else ("**met**" if rmed <= target
                                         else "**not met**")
        w("| %s | %s | %s | %s | %d | %s (%s-%s) | %s | %s |"
          % (part, what, cells[0], cells[1], len(ratios), fmt_ratio(rmed),
             fmt_ratio(r25), fmt_ratio(r75), ttext, met))
        if target is not None:
            targets.append((ttext, "%s: %s" % (met.strip("*"),
                                               fmt_ratio(rmed))))
            for n in names[2:]:
                if not n.startswith("reference"):
                    continue
                ref = statistics.median(to_second[n])
                if ref > target:
                    notes.append(
                        "%s: the reference (%s) is already %s × the other "
                        "road, so a wrapper cannot meet %s on this machine."
                        % (cid, n[len("reference: "):], fmt_ratio(ref),
                           ttext))
                else:
                    room = (target * statistics.median(times[names[1]])
                            - statistics.median(times[n]))
                    notes.append(
                        "%s: the reference (%s) is %s × the other road: "
                        "meeting %s leaves the shim %s more than the "
                        "reference takes." % (cid, n[len("reference: "):],
                                              fmt_ratio(ref), ttext,
                                              fmt_ms(room)))
        for n in names:
            p25, med, p75 = quartiles(times[n])
            details.append("| %s | %s | %s | %s-%s | %s-%s | %s | %d×%d |"
                           % (cid, n, fmt_ms(med), fmt_ms(p25), fmt_ms(p75),
                              fmt_ms(min(times[n])), fmt_ms(max(times[n])),
                              fmt_ratio(statistics.median(to_second[n])),
                              nrounds, len(times[n]) // nrounds))

    wire = []
    for agent in ("fence_hb_ipmi", "fence_ipmilan"):
        try:
            with open(os.path.join(work, "wire." + agent)) as f:
                calls = [" ".join(line.split()[1:]) for line in f
                         if line.split()[1:2] in (["get"], ["set"])]
        except OSError:
            continue
        wire.append("| `%s` | %s |" % (agent, ", ".join(
            "`%s`" % c for c in calls)))
    if wire:
        w("")
        w("Part 5 on the wire: the chassis calls the BMC (ipmi_sim) made for one "
          "reboot of each agent, in order (`get power` answers a `power "
          "status`; `set power 0|1` is `power off|on`; `set reset 1` is "
          "`power reset`):")
        w("")
        w("| agent | chassis calls for one reboot |")
        w("|---|---|")
        lines.extend(wire)

    rss_path = os.path.join(work, "rss.json")
    w("")
    w("### Peak memory (part 4)")
    w("")
    if os.path.exists(rss_path) and "rss" not in failed:
        with open(rss_path) as f:
            rss = json.load(f)
        w("`/usr/bin/time -f %M` (`ru_maxrss` from `wait4()`): the largest resident set of the "
          "process and of every child it waited for (the plugin calls), so "
          "for the shim an upper bound of its own peak.")
        w("")
        w("| command | median | max | runs | target | met |")
        w("|---|---|---|---|---|---|")
        for name, kib in rss.items():
            med, top = statistics.median(kib) / MIB, max(kib) / MIB
            if name.startswith("shim"):
                ok = "**met**" if top <= RSS_TARGET_MIB else "**not met**"
                ttext = "≤ %g MiB" % RSS_TARGET_MIB
                targets.append(("peak RSS %s ≤ %g MiB" % (name[6:],
                                                          RSS_TARGET_MIB),
                                "%s: %.2f MiB" % (ok.strip("*"), top)))
            else:
                ok, ttext = "—", "(reference)"
            w("| %s | %.2f MiB | %.2f MiB | %d | %s | %s |"
              % (name, med, top, len(kib), ttext, ok))
    else:
        w("not measured")
        targets.append(("peak RSS ≤ %g MiB" % RSS_TARGET_MIB, "not measured"))

    w("")
    w("### Every command")
    w("")
    w("Ratio: median of the per-pair ratios to the comparison's second "
      "command (the road the shim is measured against). The *reference* "
      "rows show what no wrapper can avoid: `bench/floor.c` is a static "
      "program that only starts the plugin and waits for it; the cat agent "
      "is an RHCS agent (`sh` + `cat`) printing the shim's metadata from a "
      "file, i.e. what `crm_resource` itself costs on the RHCS road.")
    w("")
    w("| comparison | command | median | IQR | min-max | ratio | rounds×runs |")
    w("|---|---|---|---|---|---|---|")
    lines.extend(details)
    w("")
    w("## Targets (issue 6)")
    w("")
    w("| target | result |")
    w("|---|---|")
    for ttext, res in targets:
        w("| %s | %s |" % (ttext, res))
    if notes:
        w("")
        for note in notes:
            w("* " + note)
    if failed:
        w("")
        w("Not measured in this run: %s (see the output of `make bench`)."
          % ", ".join(sorted(failed)))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--summary", nargs=2, metavar=("WORK", "ID"))
    ap.add_argument("--write", nargs=2, metavar=("WORK", "OUT"))
    ap.add_argument("--shim", default="/usr/sbin/fence_hbwrap")
    ap.add_argument("--shim-state", default="")
    ap.add_argument("--seconds", type=int, default=0)
    ap.add_argument("--failed", default="")
    args = ap.parse_args()
    if args.summary:
        summary(*args.summary)
    elif args.write:
        write(args.write[0], args.write[1], args.shim, args.shim_state, args.seconds,
              set(args.failed.split()))
    else:
        ap.error("--summary or --write")
    return 0


if __name__ == "__main__":
    sys.exit(main())
