"""A run's state as plain values, and the runtime's own rules applied to it.

A `State` is what the search's identity of a state holds: every primitive's contents, the
clock, and each actor's (state, pending cases, deadline, history id), plus the moves on
offer and the deadlock that formed there, if any. `World` knows what never changes in one
run (the primitives' kinds, capacities and declared ends; the actors' names, codes and
whether they are outside) and applies to a State the same rules a run uses: the
primitives' (lessons/primitives/rules.py), the scheduler's (lessons/runtime/moves.py) and
the wait-for analysis (lessons/analysis/waitfor.py). Only how the scheduler *chooses*
differs: a run asks its policy, a search tries every move. What the moved actor does
between its move and its next wait is not computed here: it comes from learn.py.
"""
from collections import namedtuple

from lessons.analysis import waitfor
from lessons.analysis.waitfor import FINISHED
from lessons.primitives import rules
from lessons.primitives.errors import Closed, Misuse
from lessons.runtime.moves import case_taken, next_timer, offer, timeout_message, token_of

State = namedtuple("State", "contents clock actors offer deadlock depth")
State.__doc__ = """`actors`: (state, cases, deadline, history id) each, in spawn order;
`offer`: (token, actor index, case or None) of each move on offer, in the runtime's order;
`depth`: moves made to get here. Its identity (for pruning) is its first three fields."""


class World:
    """The fixed part of one run, read off a fresh runtime, and the rules on its states."""

    def __init__(self, rt):
        self.prims = [(p.kind, p.name, p.capacity, p) for p in rt.prims]
        # Each primitive's ready rule and capacity, looked up once: the search asks them
        # for every case of every actor in every state it settles.
        self.readies = [(rules.READY[p.kind], p.capacity) for p in rt.prims]
        self.names = [a.name for a in rt.actors.values()]
        self.codes = [a.code for a in rt.actors.values()]
        self.outside = [a.outside for a in rt.actors.values()]
        self.max_steps = rt.max_steps

    def ready(self, contents, where, op, value=None):
        rule, capacity = self.readies[where]
        return rule(capacity, contents[where], op, value)

    def commit(self, contents, where, op, value, me):
        """Perform a case that is ready (in `contents`, a list); return (True, what it gives
        the actor) or (False, ("Closed", message)) for a closed channel."""
        kind, name, _, prim = self.prims[where]
        try:
            contents[where], got = rules.commit(kind, name, prim.ends_of.get(op), contents[where],
                                                op, value, self.names[me], self.outside[me])
        except Closed as exc:
            return False, ("Closed", str(exc))
        return True, got

    def move(self, contents, clock, actors, i, k):
        """The commit of move (i, k) into `contents` (a list); return the result as the
        search keeps it: (case, value), ("Timeout" | "Closed", message), or None."""
        cases = actors[i][1]
        k = case_taken(cases, k, lambda case: self.ready(contents, *case))
        if k is None:
            if not cases:
                return None
            where, op, _ = cases[0]
            return "Timeout", timeout_message(self.names[i], op, self.prims[where][1], clock)
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
                       if self.ready(contents, where, op[2], op[3]) else "would block")
                if got != op[4]:
                    return None
                results.append(got)
            elif op[0] == "close":
                contents[where] = rules.close(contents[where])
            elif (self.prims[where][0], op[0]) in rules.CHANGE:   # (op, primitive, value)
                kind, name, _, prim = self.prims[where]
                try:
                    contents[where] = rules.change(kind, name, prim.ends_of.get(op[0]),
                                                   contents[where], op[0], op[2], self.names[me],
                                                   self.outside[me])
                except (Misuse, Closed):
                    return None
            else:
                kind, name = self.prims[where][:2]
                try:
                    contents[where] = rules.release(kind, name, contents[where], self.names[me])
                except Misuse:
                    return None
        return tuple(results)

    # -- the scheduler ---------------------------------------------------------------------
    def settle(self, contents, clock, actors, depth):
        """What the sim scheduler does up to asking its policy: the State the run pauses in.
        `actors`: [state, cases, deadline, history id] lists (updated in place)."""
        deadlock = None
        readies = self.readies

        def ready(case):
            rule, capacity = readies[case[0]]
            return rule(capacity, contents[case[0]], case[1], case[2])
        while True:
            moves, states, newly_blocked = offer(
                [None if a[0] == FINISHED else (a[0], a[1], a[2]) for a in actors], ready, clock)
            for a, state in zip(actors, states):
                if state is not None:
                    a[0] = state
            for i in newly_blocked:
                deadlock = deadlock or waitfor.formed(
                    self.view(contents, actors, i), dict(zip(self.names, (a[0] for a in actors))),
                    lambda: self.views(contents, actors), clock)
            if not moves:
                verdict = waitfor.verdict(self.graph(contents, clock, actors))
                if verdict is not None and verdict.kind == "deadlock":
                    deadlock = deadlock or verdict
                    deadlock.stuck = verdict.stuck
                timer = next_timer(a[2] for a in actors if a[0] != FINISHED)
                if timer is None:
                    break
                clock = max(clock, timer)
                continue
            if depth >= self.max_steps:
                moves = []
            break
        offered = tuple((token_of(self.codes[i], k, len(actors[i][1])), i, k) for i, k in moves)
        return State(tuple(contents), clock, tuple(map(tuple, actors)), offered, deadlock, depth)

    # -- the wait-for analysis ---------------------------------------------------------------
    def views(self, contents, actors):
        """Each actor as the analysis takes it (Runtime.views, on this state)."""
        return [self.view(contents, actors, i) for i in range(len(actors))]

    def view(self, contents, actors, i):
        state, cases, deadline, _ = actors[i]
        waits = ()
        if state == waitfor.BLOCKED:
            waits = tuple((self.prims[w][1], op, self.partners(contents, w, op))
                          for w, op, _ in cases)
        return waitfor.ActorView(self.names[i], state, self.outside[i], deadline is not None,
                                 waits)

    def partners(self, contents, where, op):
        kind, _, _, prim = self.prims[where]
        return rules.partners(kind, prim.other_end(op), contents[where], op)

    def graph(self, contents, clock, actors):
        return waitfor.snapshot(self.views(contents, actors), clock)
