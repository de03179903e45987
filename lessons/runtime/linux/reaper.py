"""The processes a run starts, how they all end, and a census of what is left behind.

`Children` starts each child in a process group of its own (so a Ctrl-C at the terminal
reaches only the caller, which then ends the run in order) and the child asks for
SIGKILL when its parent dies (prctl.die_with_parent). Leaving the `with` block, for any
reason (the end of the run, an error, KeyboardInterrupt), kills every child still alive,
reaps it and closes our ends of its pipes.

`census()` counts what this process and its descendants hold: child processes, threads
(Python's, and the OS's but gRPC's own pool), pipe fds, sockets and listening TCP ports.
A test takes one before and one after a run and asserts they are equal
(tests/wild_census.py waits for them to settle).
"""
import os
import signal
import subprocess
import threading
from collections import namedtuple

from ..interrupts import held
from .kernel import thread_names

REAP_SECONDS = 5.0   # a SIGKILLed process is gone in milliseconds; this only bounds a wait

Census = namedtuple("Census", "processes threads os_threads pipe_fds sockets listening")

# gRPC's C core keeps a pool of threads of its own (these names, as the kernel cuts them
# to 15 characters) and grows and shrinks it on its own schedule: on a busy machine more
# of them stay, for longer, after the calls that needed them have ended (a census once
# counted 5 OS threads where it had counted 3, 5 s after the last call). They belong to
# no run and no client, so the census leaves them out; a channel left open still shows,
# by its socket.
GRPC_POOL = frozenset({"grpc_global_tim", "event_engine", "lifeguard"})


class Children:
    """The child processes of one run."""

    def __init__(self):
        self.procs = []

    def start(self, argv, **popen):
        """Start a child (subprocess.Popen keywords) in a new process group; return its Popen."""
        with held():   # a Ctrl-C inside Popen would lose the child's pid
            proc = subprocess.Popen(argv, start_new_session=True, **popen)
            self.procs.append(proc)
        return proc

    def end(self):
        """Kill every child still running, reap them all and close our ends of the pipes
        to them (a Ctrl-C can come out of start() before its caller has the Popen);
        safe to call twice."""
        for proc in self.procs:
            if proc.poll() is None:   # reaped ones are skipped: their pid may be reused
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for proc in self.procs:
            try:
                proc.wait(REAP_SECONDS)
            except subprocess.TimeoutExpired:   # in uninterruptible sleep: report, never hang
                pass
        for pipe in (p for proc in self.procs for p in (proc.stdin, proc.stdout, proc.stderr)):
            if pipe is not None:
                pipe.close()
        return [p.pid for p in self.procs if p.poll() is None]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.end()


def descendants(pid=None):
    """The pids of every live descendant of `pid` (this process by default)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rpartition(")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid or os.getpid()]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return sorted(found)


def _links(pid):
    try:
        names = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return []
    links = []
    for fd in names:
        try:
            links.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            pass   # closed while we looked (os.listdir's own fd, for one)
    return links


def listening_inodes():
    """Socket inodes of every TCP socket in LISTEN state on this machine."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == "0A":   # TCP_LISTEN
                inodes.add(fields[9])
    return inodes


def _os_threads():
    """This process's OS threads, gRPC's pool left out."""
    return sum(name not in GRPC_POOL for name in thread_names(os.getpid()))


def census(children=True):
    """What this process (and its descendants, unless children=False) holds now."""
    pids = [os.getpid()] + (descendants() if children else [])
    links = [link for pid in pids for link in _links(pid)]
    sockets = [link[8:-1] for link in links if link.startswith("socket:[")]
    listening = listening_inodes()
    return Census(processes=len(descendants()), threads=threading.active_count(),
                  os_threads=_os_threads(),
                  pipe_fds=sum(link.startswith("pipe:[") for link in links),
                  sockets=len(sockets), listening=sum(s in listening for s in sockets))
