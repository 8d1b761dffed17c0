"""CPU seconds used so far by a process tree and by a PostgreSQL cluster: "web,db".

``python bench/cpu.py <gunicorn master pid> <postgres port>``: the web figure sums the
master and its children (the workers); the database figure every postgres process whose
postmaster listens on that port (its backends included). Linux /proc only.
"""

import os
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid):
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    # After the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15), 0-based from state.
    return int(fields[1]), sum(int(value) for value in fields[11:15]) / TICKS


def _processes():
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid, cpu = _stat(entry)
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            yield int(entry), ppid, cpu


def tree_cpu(root, processes):
    children = {}
    cpu = {}
    for pid, ppid, used in processes:
        children.setdefault(ppid, []).append(pid)
        cpu[pid] = used
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        total += cpu.get(pid, 0.0)
        stack.extend(children.get(pid, []))
    return total


def postmaster(port):
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                args = handle.read().split(b"\0")
        except OSError:
            continue
        if args and args[0].endswith(b"postgres") and f"-p {port}".encode() in b" ".join(args):
            return int(entry)
    return None


def main():
    web_root, port = int(sys.argv[1]), sys.argv[2]
    processes = list(_processes())
    db_root = postmaster(port)
    db = tree_cpu(db_root, processes) if db_root else 0.0
    print(f"{tree_cpu(web_root, processes):.2f},{db:.2f}")


if __name__ == "__main__":
    main()
