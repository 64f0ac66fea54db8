#!/usr/bin/python3
"""Peak resident set size of commands, for bench/run.sh.

    maxrss.py --runs N --out FILE  NAME COMMAND STDIN  [NAME COMMAND STDIN]...

COMMAND is split like a shell word list (no shell runs: the figure is the
command's own process tree); STDIN is a file to read, or "-" for /dev/null.
Each command runs N times under GNU time (/usr/bin/time -f %M): its peak RSS
is ru_maxrss from wait4(), which on Linux is the largest of the process
itself and every descendant it waited for (the plugin calls of the shim), so
it bounds the shim's own peak from above.  The command is not started from
this Python process: a child's ru_maxrss also counts the memory of the
process it was forked from until exec, ~15 MiB for Python, ~1 MiB for
time.  Writes {"NAME": [kib, ...], ...} to FILE and a summary to stdout.
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile

TIME = "/usr/bin/time"


def peak_kib(argv, stdin_path):
    """Run ARGV once; return its ru_maxrss in KiB (exit status must be 0)."""
    with open(stdin_path if stdin_path != "-" else os.devnull, "rb") as fin, \
            tempfile.NamedTemporaryFile("r") as out:
        rc = subprocess.call([TIME, "-f", "%M", "-o", out.name] + argv,
                             stdin=fin, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        if rc != 0:
            raise RuntimeError("%s exited %d" % (" ".join(argv), rc))
        return int(out.read().split()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", required=True)
    ap.add_argument("spec", nargs="+")
    args = ap.parse_args()
    if len(args.spec) % 3:
        ap.error("arguments come in threes: NAME COMMAND STDIN")
    result = {}
    for i in range(0, len(args.spec), 3):
        name, command, stdin_path = args.spec[i:i + 3]
        argv = shlex.split(command)
        try:
            kib = [peak_kib(argv, stdin_path) for _ in range(args.runs)]
        except (OSError, RuntimeError) as e:
            print("rss: %s: %s" % (name, e), file=sys.stderr)
            return 1
        result[name] = kib
        print("  %-50s median %6.2f MiB, max %6.2f MiB (%d runs)"
              % (name, statistics.median(kib) / 1024, max(kib) / 1024,
                 len(kib)))
    with open(args.out, "w") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
