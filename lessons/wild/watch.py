"""The verdict from watching live processes: the board, checked against the kernel.

The board says what each actor waits on (its pending cases, since when); lessons/waitfor
turns that into the wait-for graph and its verdict, as in the other runtimes. But no lock
spans three processes, so a look at the board can be stale: an engine whose write just
went through still shows "blocked" for a moment. A verdict is therefore only taken when
the kernel agrees, for every actor it names:
- the thread is asleep in the system call its cases imply: read()/write() on a pipe for
  one case without a timer, poll() otherwise (with the fds it polls, read from /proc);
- none of those pipes could let it go on: nothing to read in one it reads, no room in one
  it writes (the pipe's depth and size, looked up through /proc);
- its board slot did not change meanwhile,
and all of that holds for CONFIRMATIONS looks in a row, LOOK_SECONDS apart. A full pipe
that drains a moment later (a transient block) changes some slot, and starts over.
"""
import select
import time
from types import SimpleNamespace

from .. import waitfor
from . import kernel
from .board import ACTORS

LOOK_SECONDS = 0.02
CONFIRMATIONS = 3
OUTSIDE = ("client.send", "client.recv")


class Ends:
    """A channel as the analysis needs it: its name and who may use each end."""

    def __init__(self, name, senders, receivers):
        self.name, self.senders, self.receivers = name, tuple(senders), tuple(receivers)

    def _partners(self, op):
        return self.receivers if op == "send" else self.senders


def channel_ends(design):
    """Every channel's ends, as lessons/system.py declares them for `design`."""
    caller = design.engine_caller
    ends = [Ends("requests", ["client.send"], ["shim.requests"]),
            Ends("c_buffer", [caller], ["engine"]),
            Ends("replies", ["engine"], [caller]),
            Ends("notifications", ["engine"], ["shim.main"]),
            Ends("stream", ["shim.main"], ["client.recv"])]
    if design.handoff:
        ends.append(Ends("handoff", ["shim.requests"], ["shim.main"]))
    return {e.name: e for e in ends}


def graph(slots, ends, t0):
    """The wait-for graph of one look at the board."""
    actors = []
    for name in ACTORS:
        slot = slots[name][0]
        actors.append(SimpleNamespace(
            name=name, state=slot.state, outside=name in OUTSIDE,
            deadline=slot.deadline or None,
            cases=[(ends[chan], op, None) for chan, op in slot.cases if chan in ends]))
    return waitfor.snapshot(actors, time.monotonic() - t0)


def kernel_agrees(pid, slot):
    """Is `slot`'s thread asleep in the kernel exactly where its cases say, unable to go on?"""
    view = kernel.thread_view(pid, slot.tid)
    if view is None or view.state != "S":
        return False
    if len(slot.cases) == 1 and not slot.deadline:
        op = slot.cases[0][1]
        if view.syscall != ("read" if op == "recv" else "write") or "pipe" not in view.wchan:
            return False
        waits = [(view.fd, select.POLLIN if op == "recv" else select.POLLOUT)]
    else:
        waits = kernel.poll_fds(pid, view) if view.syscall in kernel.POLLS else None
        if not waits:
            return False
    for fd, events in waits:
        state = kernel.pipe_state(pid, fd)
        if state is None:
            return False
        depth, capacity = state
        if (events & select.POLLIN and depth > 0) or (events & select.POLLOUT and depth < capacity):
            return False
    return True


class Watch:
    """Looks at a run again and again; says when a deadlock or a stall is confirmed."""

    def __init__(self, board, pids, design, t0):
        self.board, self.pids, self.t0 = board, pids, t0   # pids: actor name -> its process
        self.ends = channel_ends(design)
        self.streak = None    # (kind, members, seqs) of the verdict the last looks agreed on
        self.count = 0

    def look(self):
        """(graph, verdict or None) of the board now, the verdict only once confirmed."""
        slots = self.board.snapshot()
        g = graph(slots, self.ends, self.t0)
        v = waitfor.verdict(g)
        if v is None or (v.kind == "stall" and in_transit(g)):
            self.streak, self.count = None, 0
            return g, None
        if v.kind == "deadlock":
            members = sorted(waitfor.deadlocked(g))
            watched = members            # the client may do as it likes meanwhile
        else:
            members = [e.actor for e in v.chain if e.actor not in OUTSIDE]
            watched = list(ACTORS)       # a stall is quiet: nobody at all may move
        agreed = all(kernel_agrees(self.pids[m], slots[m][0]) for m in members)
        seqs = tuple(slots[m][1] for m in watched)
        if agreed and seqs == tuple(self.board.read(m)[1] for m in watched):   # none moved meanwhile
            key = (v.kind, tuple(members), seqs)
            self.count = self.count + 1 if key == self.streak else 1
            self.streak = key
        else:
            self.streak, self.count = None, 0
        return g, (v if self.count >= CONFIRMATIONS else None)


def in_transit(g):
    """client.recv waits for the stream while shim.main waits to send on it.

    With channels that is impossible (one is full, the other empty); here gRPC sits in
    between, with threads the board does not show, and is moving items: not quiet.
    """
    def waits(actor, op):
        node = g.nodes.get(actor)
        return node is not None and node.state == waitfor.BLOCKED and (op, "stream") in node.doing
    return waits("client.recv", "recv") and waits("shim.main", "send")
