"""The sim runtime's rules, applied to a state held as plain values (explore's successors).

A `State` is what the search's identity of a state already holds: every primitive's
contents, the clock, and each actor's (state, pending cases, deadline, history id), plus
the moves on offer and the deadlock that formed there, if any. `World` knows what never
changes in one run (the primitives' kinds, capacities and declared ends; the actors'
names, codes and whether they are outside) and applies SimRuntime's rules to a State:
which cases are ready, what a commit does, what a `*_nowait`, a release or a close does,
and how the scheduler settles after a move (the moves on offer, clock jumps to the next
timer, a deadlock formed by a block or seen when all is quiet), each mirroring sim.py,
chan.py, sync.py and runtime.py line for line. What the moved actor does between its
move and its next wait is not computed here: it comes from explore_learn.py.
"""
from collections import namedtuple

from . import waitfor
from .chan import SEND
from .errors import Misuse
from .explore_probe import kind
from .waitfor import BLOCKED, FINISHED, IDLE, READY, SLEEPING

CHAN, LOCK, SEMAPHORE = "chan", "lock", "semaphore"

State = namedtuple("State", "contents clock actors offer deadlock depth")
State.__doc__ = """`actors`: (state, cases, deadline, history id) each, in spawn order;
`offer`: (token, actor index, case or None) of each move on offer, in the runtime's order;
`depth`: moves made to get here. Its identity (for pruning) is its first three fields."""


class World:
    """The fixed part of one run, read off a fresh runtime, and the rules on its states."""

    def __init__(self, probe):
        rt = probe.rt
        self.prims = [(kind(p), p.name, getattr(p, "capacity", None), p) for p in rt.prims]
        self.names = [a.name for a in rt.actors.values()]
        self.position = {name: i for i, name in enumerate(self.names)}
        self.codes = [a.code for a in rt.actors.values()]
        self.outside = [a.outside for a in rt.actors.values()]
        self.max_steps = rt.max_steps

    def root(self, probe):
        """The state a fresh run pauses in, before its first move."""
        rt = probe.rt
        actors = [[a.state, probe.cases(a), a.deadline, 0] for a in rt.actors.values()]
        return self.settle(probe.contents(), rt.clock, actors, 0)

    # -- primitives ----------------------------------------------------------------------
    def ready(self, contents, where, op):
        kind, _, capacity, _ = self.prims[where]
        held = contents[where]
        if kind == CHAN:
            items, closed = held
            return closed or (len(items) < capacity if op == SEND else bool(items))
        if kind == LOCK:
            return held is None
        return len(held) < capacity

    def commit(self, contents, where, op, value, me):
        """Perform a case that is ready (in `contents`, a list); return (True, what it gives
        the actor) or (False, ("Closed", message)) for a closed channel."""
        kind, name, _, prim = self.prims[where]
        held, who = contents[where], self.names[me]
        if kind == LOCK:
            contents[where] = who
            return True, True
        if kind == SEMAPHORE:
            contents[where] = held + (who,)
            return True, True
        items, closed = held
        ends = prim.senders if op == SEND else prim.receivers
        if ends is not None and who not in ends and not self.outside[me]:
            raise Misuse(f"{who} tried to {op} on {name}, whose {op} end belongs "
                         f"to {', '.join(ends) or 'nobody'}; declare it there, or the "
                         "wait-for analysis would be wrong")
        if op == SEND:
            if closed:
                return False, ("Closed", f"{who} sent on {name} after it was closed")
            contents[where] = items + (value,), closed
            return True, None
        if not items:
            return False, ("Closed", f"{name} is closed and empty")
        contents[where] = items[1:], closed
        return True, items[0]

    def move(self, contents, clock, actors, i, k):
        """SimRuntime._commit of move (i, k) into `contents` (a list); return the result as
        the search keeps it: (case, value), ("Timeout" | "Closed", message), or None."""
        cases = actors[i][1]
        if k is None and len(cases) == 1 and self.ready(contents, cases[0][0], cases[0][1]):
            k = 0
        if k is None:
            if not cases:
                return None
            where, op, _ = cases[0]
            return "Timeout", (f"{self.names[i]}: {op} {self.prims[where][1]} "
                               f"timed out at t={clock:g} s")
        where, op, value = cases[k]
        ok, got = self.commit(contents, where, op, value, i)
        return (k, got) if ok else got

    def apply(self, contents, me, ops):
        """Replay a learned continuation's operations on `contents` (a list); return the
        results its `*_nowait`s get now, or None if one differs from what was learned (or
        a release would be refused): then this continuation does not apply here."""
        results = []
        for op in ops:
            where = op[1]
            if op[0] == "nowait":
                got = (self.commit(contents, where, op[2], op[3], me)[1]
                       if self.ready(contents, where, op[2]) else "would block")
                if got != op[4]:
                    return None
                results.append(got)
            elif op[0] == "close":
                contents[where] = contents[where][0], True
            else:
                kind, held, name = self.prims[where][0], contents[where], self.names[me]
                if kind == LOCK and held == name:
                    contents[where] = None
                elif kind == SEMAPHORE and name in held:
                    i = held.index(name)
                    contents[where] = held[:i] + held[i + 1:]
                else:
                    return None
        return tuple(results)

    # -- the scheduler ---------------------------------------------------------------------
    def settle(self, contents, clock, actors, depth):
        """SimRuntime._schedule up to asking the policy: the State the run pauses in.
        `actors`: [state, cases, deadline, history id] lists (updated in place)."""
        deadlock = None
        while True:
            moves, newly_blocked = [], []
            for i, a in enumerate(actors):
                state, cases, deadline, _ = a
                if state == FINISHED:
                    continue
                ready = [k for k, (where, op, _) in enumerate(cases)
                         if self.ready(contents, where, op)]
                if not ready and deadline is not None and deadline <= clock:
                    ready = [None]
                if ready:
                    a[0] = READY
                    if len(ready) > 1 or len(cases) > 1:
                        moves.extend((i, k) for k in ready)
                    else:
                        moves.append((i, None))
                    continue
                now = BLOCKED if cases else (SLEEPING if deadline is not None else IDLE)
                if now == BLOCKED and state != BLOCKED:
                    newly_blocked.append(i)
                a[0] = now
            for i in newly_blocked:
                deadlock = deadlock or self.on_block(contents, clock, actors, i)
            if not moves:
                verdict = waitfor.verdict(self.graph(contents, clock, actors))
                if verdict is not None and verdict.kind == "deadlock":
                    deadlock = deadlock or verdict
                    deadlock.stuck = verdict.stuck
                timers = [a[2] for a in actors if a[0] != FINISHED and a[2] is not None]
                if not timers:
                    break
                clock = max(clock, min(timers))
                continue
            if depth >= self.max_steps:
                moves = []
            break
        offer = tuple((self.token(actors, i, k), i, k) for i, k in moves)
        return State(tuple(contents), clock, tuple(map(tuple, actors)), offer, deadlock, depth)

    def token(self, actors, i, k):
        return self.codes[i] if k is None or len(actors[i][1]) < 2 else f"{self.codes[i]}/{k}"

    # -- deadlock ----------------------------------------------------------------------------
    def on_block(self, contents, clock, actors, i):
        """Runtime._on_block: actor i just blocked; the deadlock it closes, if any."""
        if self.outside[i]:
            return None
        live = [j for j, a in enumerate(actors) if a[0] != FINISHED]
        for where, op, _ in actors[i][1]:
            for j in self.partners(contents, where, op, i, live):
                if actors[j][0] != BLOCKED:
                    return None   # someone who could release it can still move
        g = self.graph(contents, clock, actors)
        members = waitfor.deadlocked(g)
        if not members:
            return None
        return waitfor.Verdict("deadlock", waitfor.cycle(g, members, self.names[i]),
                               waitfor.ordered(g, waitfor.stuck(g)), t=clock)

    def partners(self, contents, where, op, i, live):
        """waitfor.partners: the live actors (indices, not i) who could complete this case."""
        kind, _, _, prim = self.prims[where]
        held = contents[where]
        if kind == CHAN:
            names = prim._partners(op)
        elif kind == LOCK:
            names = (held,) if held is not None else ()
        else:
            names = tuple(dict.fromkeys(held))
        if names is None:
            return [j for j in live if j != i]
        found = (self.position.get(n) for n in names)
        return [j for j in found if j is not None and j != i and j in live]

    def graph(self, contents, clock, actors):
        """waitfor.snapshot of this state."""
        live = [j for j, a in enumerate(actors) if a[0] != FINISHED]
        nodes, edges = {}, []
        for i, (state, cases, deadline, _) in enumerate(actors):
            name = self.names[i]
            cases = cases if state == BLOCKED else ()
            nodes[name] = waitfor.Node(name, state, self.outside[i],
                                       deadline is not None and bool(cases),
                                       tuple((op, self.prims[w][1]) for w, op, _ in cases))
            for where, op, _ in cases:
                for j in self.partners(contents, where, op, i, live):
                    edges.append(waitfor.Edge(name, self.names[j], self.prims[where][1], op))
        return waitfor.WaitFor(nodes, edges, clock)
