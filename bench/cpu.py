"""CPU time per process, read from /proc, for bin/bench's CPU-per-statement figures.

  python3 bench/cpu.py snapshot NAME=PID ... [broker=PORT] [postgres=PORT[:DB]] > before.json
  python3 bench/cpu.py per-statement before.json after.json STATEMENTS   # one line, µs per process

A snapshot holds utime+stime (clock ticks) per name. A service is named by its pid; its JIT compiler threads'
time (threads "C1 CompilerThre…", "C2 CompilerThre…") is also kept apart (NAME_jit), and each service's figure is
printed with and without it, since a phase soon after start-up is mostly compilation. The broker is found by
the port it listens on. PostgreSQL is the whole cluster behind the port: the postmaster's own time plus the
time of the children it has reaped (cutime+cstime: backends that closed during the phase) plus every live
child (backends, parallel workers, checkpointer, WAL writer); with :DB also the share of the live sessions
on that database ("postgres_db"), which leaves out other databases' sessions on a shared server but also
any of the bench's backends that ended during the phase.
"""
import json
import os
import sys

TICK = os.sysconf("SC_CLK_TCK")


def stat(pid):
    """(ppid, utime+stime, cutime+cstime) of a process; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    # After the command: state ppid ... utime (14th field of the line) is index 11 here.
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def listening_pid(port):
    """The pid of the process listening on a TCP port, found through the socket's inode."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(cols[9])
        except FileNotFoundError:
            pass
    targets = {f"socket:[{i}]" for i in inodes}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") in targets:
                    return int(pid)
        except (FileNotFoundError, PermissionError, ProcessLookupError):
            continue
    return None


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def jit_ticks(pid):
    """utime+stime of a JVM's compiler threads (C1, C2): a short phase soon after start-up is mostly these."""
    total = 0
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except (FileNotFoundError, ProcessLookupError):
        return None
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                if not f.read().startswith(("C1 CompilerThre", "C2 CompilerThre")):
                    continue
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total


def postgres(port, db):
    """Ticks of the whole cluster, and of its live sessions on db (process title 'postgres: … USER DB …')."""
    master = listening_pid(port)
    if master is None or stat(master) is None:
        return None, None
    _, own, reaped = stat(master)
    total, sessions = own + reaped, 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        s = stat(pid)
        if s and s[0] == master:
            total += s[1]
            if db and f" {db} " in cmdline(pid):
                sessions += s[1]
    return total, (sessions if db else None)


def snapshot(args):
    out = {}
    for arg in args:
        name, _, value = arg.partition("=")
        if name == "broker":
            pid = listening_pid(int(value))
            s = stat(pid) if pid else None
            out[name] = s[1] if s else None
        elif name == "postgres":
            port, _, db = value.partition(":")
            out["postgres"], sessions = postgres(int(port), db)
            if db:
                out["postgres_db"] = sessions
        else:
            s = stat(int(value))
            out[name] = s[1] if s else None
            out[name + "_jit"] = jit_ticks(int(value)) if s else None
    return out


def per_statement(before, after, statements):
    """µs of CPU per statement for each name present in both snapshots."""
    result = {}
    for name, b in before.items():
        a = after.get(name)
        if a is not None and b is not None and statements > 0:
            result[name] = (a - b) / TICK * 1e6 / statements
    return result


NAMES = {"ingest": "ingest-service", "status": "status-service", "broker": "broker",
         "postgres": "PostgreSQL (cluster)"}


def without_jit(us, name):
    """A JVM's figure without its compiler threads, the part that a longer warm-up would not shrink."""
    jit = us.get(name + "_jit")
    return "" if jit is None else f" ({us[name] - jit:,.0f} without JIT, JIT {jit:,.0f})"


def describe(us):
    """One line: each process's µs per statement, PostgreSQL's bench sessions in brackets."""
    line = " / ".join(f"{label} {us[name]:,.0f} µs" + without_jit(us, name) for name, label in NAMES.items() if name in us)
    if "postgres_db" in us:
        line += f" (its sessions on the bench database {us['postgres_db']:,.0f} µs)"
    return line or "n/a"


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        print(json.dumps(snapshot(sys.argv[2:])))
    elif sys.argv[1] == "per-statement":
        before, after = (json.load(open(p)) for p in sys.argv[2:4])
        print(describe(per_statement(before, after, int(sys.argv[4]))))
    else:
        sys.exit(__doc__)
