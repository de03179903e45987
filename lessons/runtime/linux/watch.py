"""The verdict from watching live processes: the board, checked against the kernel.

The board says what each actor waits on (its pending cases, since when); analysis/waitfor
turns that into the wait-for graph and its verdict, as in the other runtimes. But no lock
spans three processes, so a look at the board can be stale: an engine whose write just
went through still shows "blocked" for a moment. A verdict is therefore only taken when
the kernel agrees, for every actor it names:
- the thread is asleep in the system call its cases imply: read()/write() on a pipe for
  one case without a timer, poll() otherwise (with the fds it polls, read from its
  memory through /proc where the ptrace rules allow; where not, poll() alone counts);
- none of those pipes could let it go on: nothing to read in one it reads, no room in one
  it writes (the pipe's depth and size, looked up through /proc);
- its board slot did not change meanwhile,
and all of that holds for CONFIRMATIONS looks in a row, LOOK_SECONDS apart. A full pipe
that drains a moment later (a transient block) changes some slot, and starts over.

A confirmed deadlock's time `t` is when it formed: when the last actor of its loop began
the wait it is stuck in (each slot says since when). The report keeps when it was
first confirmed.
"""
import select
import time
from dataclasses import replace

from lessons.analysis import waitfor
from lessons.analysis.waitfor import ActorView

from . import kernel
from .records import Watching

LOOK_SECONDS = 0.02
CONFIRMATIONS = 3


def graph(slots, ends, outside, t):
    """The wait-for graph of one look at the board; `ends`: channel -> op -> partner names."""
    views = []
    for name, (slot, _) in slots.items():
        cases = tuple((chan, op, ends[chan][op]) for chan, op in slot.cases)
        views.append(ActorView(name, slot.state, name in outside, bool(slot.deadline), cases))
    return waitfor.snapshot(views, t)


def disagreement(pid, slot):
    """Why the kernel does not back `slot` (its thread is not asleep exactly where its
    cases say, unable to go on), or None when it does."""
    view = kernel.thread_view(pid, slot.tid)
    if view is None:
        return f"{slot.actor}: thread {slot.tid} is gone"
    if not kernel.asleep(view):
        return f"{slot.actor}: state {view.state} (wchan {view.wchan or 0}), not asleep"
    if len(slot.cases) == 1 and not slot.deadline:
        op = slot.cases[0][1]
        if view.syscall != ("read" if op == "recv" else "write") or "pipe" not in view.wchan:
            return f"{slot.actor}: in {view.syscall} ({view.wchan}), not in a pipe {op}"
        waits = [(view.fd, select.POLLIN if op == "recv" else select.POLLOUT)]
    else:
        restarted = view.syscall == "restart_syscall" and "poll" in view.wchan
        if view.syscall not in kernel.POLLS and not restarted:
            return f"{slot.actor}: in {view.syscall} ({view.wchan}), not in poll"
        waits = kernel.poll_fds(pid, view)
        if waits is None:   # its memory may not be read here, or a restarted poll hides
            return None     # its arguments: poll() itself must do
    for fd, events in waits:
        state = kernel.pipe_state(pid, fd)
        if state is None:
            return f"{slot.actor}: fd {fd} is no pipe"
        depth, capacity = state
        if (events & select.POLLIN and depth > 0) or (events & select.POLLOUT and depth < capacity):
            return f"{slot.actor}: fd {fd} holds {depth}/{capacity}, it could go on"
    return None


def in_transit(g):
    """Someone outside and one of the system wait on the two ends of the same channel.

    Between channels that is impossible (one would be full, the other empty); here a
    transport the board does not show (gRPC's threads) sits in between and is moving
    items: the run is not quiet, whatever the board says.
    """
    ends = {(chan, op, n.outside) for n in g.nodes.values() if n.state == waitfor.BLOCKED
            for op, chan in n.doing}
    other = {"send": "recv", "recv": "send"}
    return any((chan, other[op], False) in ends for chan, op, outside in ends if outside)


class Watch:
    """Looks at a run again and again; says when a deadlock or a stall is confirmed.

    `pids`: actor -> the pid of its process; `ends`: channel -> op -> the names that
    could complete that op there; `outside`: the actors outside the system (the client).
    """

    def __init__(self, board, pids, ends, outside, t0):
        self.board, self.pids, self.ends, self.outside, self.t0 = board, pids, ends, outside, t0
        self.streak = None    # (kind, members, seqs) of the verdict the last looks agreed on
        self.count = 0
        self.looks = 0
        self.doubted = None   # the kernel's last objection to a verdict the board suggested
        self.confirmed_at = None   # when a verdict was first confirmed (the watch's clock)

    def look(self):
        """(graph, verdict or None) of the board now, the verdict only once confirmed."""
        self.looks += 1
        slots = self.board.snapshot()
        g = graph(slots, self.ends, self.outside, time.monotonic() - self.t0)
        v = waitfor.verdict(g)
        if v is None or (v.kind == "stall" and in_transit(g)):
            self.streak, self.count = None, 0
            return g, None
        if v.kind == "deadlock":
            members = sorted(waitfor.deadlocked(g))
            watched = members            # the client may do as it likes meanwhile
        else:
            members = [e.actor for e in v.chain if e.actor not in self.outside]
            watched = list(slots)        # a stall is quiet: nobody at all may move
        objection = next(filter(None, (disagreement(self.pids[m], slots[m][0]) for m in members)),
                         None)
        if objection is not None:
            self.doubted = f"t={g.t:.3f} s, {v.kind}: {objection}"
        seqs = tuple(slots[m][1] for m in watched)
        if objection is None and seqs == tuple(self.board.read(m)[1] for m in watched):   # none moved meanwhile
            key = (v.kind, tuple(members), seqs)
            self.count = self.count + 1 if key == self.streak else 1
            self.streak = key
        else:
            self.streak, self.count = None, 0
        if self.count < CONFIRMATIONS:
            return g, None
        if self.confirmed_at is None:
            self.confirmed_at = g.t
        if v.kind == "deadlock":   # it formed when the last actor of its loop began to wait
            v = replace(v, t=max(slots[e.actor][0].since for e in v.cycle) - self.t0)
        return g, v

    def report(self):
        """How the watching went, for the evidence."""
        confirmed = None if self.confirmed_at is None else round(self.confirmed_at, 6)
        return Watching(self.looks, LOOK_SECONDS, confirmed, CONFIRMATIONS, self.doubted)
