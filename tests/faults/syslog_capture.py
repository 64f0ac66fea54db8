#!/usr/bin/env python3
"""syslog_capture.py [--fresh-dev] SOCKET OUTFILE COMMAND...

Bind a unix datagram socket at SOCKET (as a syslog daemon listens on
/dev/log), run COMMAND with this process's stdin, stdout and stderr,
collect every datagram sent until COMMAND has ended, and write them to
OUTFILE one per line. Exits with COMMAND's exit status.

With --fresh-dev (run it in a private mount namespace: unshare -m
--propagation private) it first mounts a tmpfs on /dev holding only the
usual character devices, so the machine's own /dev is never touched.
"""
import os
import select
import socket
import stat
import subprocess
import sys


DEVICES = {"null": (1, 3), "zero": (1, 5), "full": (1, 7),
           "random": (1, 8), "urandom": (1, 9), "tty": (5, 0)}


def fresh_dev():
    # Never over the machine's own /dev: only in a namespace of our own.
    parent = "/proc/%d/ns/mnt" % os.getppid()
    if os.readlink("/proc/self/ns/mnt") == os.readlink(parent):
        sys.exit("syslog_capture.py: --fresh-dev needs a private mount "
                 "namespace (unshare -m --propagation private)")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0755",
                    "hbwrap-faults-dev", "/dev"], check=True)
    for name, (major, minor) in DEVICES.items():
        os.mknod("/dev/" + name, 0o666 | stat.S_IFCHR,
                 os.makedev(major, minor))
        os.chmod("/dev/" + name, 0o666)
    os.symlink("/proc/self/fd", "/dev/fd")
    for i, name in enumerate(("stdin", "stdout", "stderr")):
        os.symlink("/proc/self/fd/%d" % i, "/dev/" + name)


def main():
    args = sys.argv[1:]
    if args[0] == "--fresh-dev":
        fresh_dev()
        args = args[1:]
    sock_path, out_path, cmd = args[0], args[1], args[2:]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(sock_path)
    os.chmod(sock_path, 0o666)
    sock.setblocking(False)
    got = []

    def drain():
        while True:
            try:
                got.append(sock.recv(65536))
            except BlockingIOError:
                return

    child = subprocess.Popen(cmd)
    while child.poll() is None:
        select.select([sock], [], [], 0.05)
        drain()
    # Whatever the command sent before it ended is queued by now.
    drain()
    with open(out_path, "wb") as out:
        for msg in got:
            out.write(msg.replace(b"\n", b" ") + b"\n")
    return child.returncode if child.returncode >= 0 else 128 - child.returncode


if __name__ == "__main__":
    sys.exit(main())
