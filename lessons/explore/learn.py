"""Successors without running threads: the rules on plain values, and learned continuations.

A move's successor is its commit and the scheduler's rules (state.py), plus the
moved actor's *continuation*: what it does after the move until its next wait (its
`*_nowait`s, releases and closes, then its next cases and deadline, or that it finished or
ended the process). That depends only on the actor's own history, the move's result, the
clock, and what its `*_nowait`s return (see explore/__init__.py), so it is learned from a real
runtime (a probe replayed to the state, probe.py) the first time the search meets
that (actor, history, result, clock), and kept. A kept continuation is reused where its
`*_nowait`s (and releases) give what they gave when it was learned; where one would not,
the actor would go another way, and that variant is learned too.

A replay costs a fresh runtime (five threads), so a probe that has learned one move runs
ahead: while a move on offer where it stands has an unknown continuation, it makes that
move and learns it too (up to RUN_AHEAD moves). Every probe is also a check: each state
it stands in must be the one the rules computed, or the search stops with a ValueError
instead of exploring a model that is not the run.
"""
from lessons.analysis.waitfor import FINISHED, RUNNING
from lessons.explore import persistent
from lessons.explore.probe import Probes
from lessons.explore.state import State, World

# At most this many moves learned by one probe. A replay costs time in proportion to its
# path, so where persistent sets leave one long line of moves, one probe should learn it
# all: a hundred at a time made the replays' cost grow with the square of the path.
RUN_AHEAD = 10_000


class Successors(Probes):
    """The successor of a state by a move, learning continuations as needed."""

    def __init__(self, build):
        super().__init__(build)
        self.known = {}      # (actor, history id, result, clock) -> [(ops, end), ...]
        self.histories = {}  # (history id, results of one move) -> history id
        self.world = None

    def root(self):
        """The state a fresh run pauses in, before its first move."""
        probe = self.start(())
        try:
            self.world = World(probe.rt)
            actors = [[a.state, probe.cases(a), a.deadline, 0] for a in probe.rt.actors.values()]
            for i, actor in enumerate(actors):
                persistent.check_declared(self.world, i, cases=actor[1])
            state = self.world.settle(list(probe.contents()), probe.rt.clock, actors, 0)
            self._check(probe, (), state)
        finally:
            self.stop(probe)
        return state

    def successor(self, state, route, i, k):
        """The state that move (i, k) from `state` leads to, the primitives the move read
        (every case its actor waited on, and its `*_nowait`s), and whether it was solo (its
        actor only parked or finished after it: persistent.py). `route()` gives the moves
        that reach `state`, asked for only when a replay must learn this move."""
        found = self._follow(state, i, k)
        if found is None:
            path = route()
            self._learn(state, path, i, k)
            found = self._follow(state, i, k)
            if found is None:
                raise RuntimeError(f"explore: after {' '.join(path)}, the move {i, k} does "
                                   "not do what was just learned")
        return found

    def _commit(self, state, i, k):
        """The contents after move (i, k) commits, and the key of its continuation."""
        committed = list(state.contents)
        result = self.world.move(committed, state.clock, state.actors, i, k)
        return committed, (i, state.actors[i][3], result, state.clock)

    def _follow(self, state, i, k):
        """The successor, if the moved actor's continuation is known; else None."""
        world, actor = self.world, state.actors[i]
        committed, key = self._commit(state, i, k)
        result = key[2]
        for ops, end in self.known.get(key, ()):
            contents = list(committed)
            results = world.apply(contents, i, ops)
            if results is not None:
                break
        else:
            return None
        history = self.histories.setdefault((actor[3], (result,) + results),
                                            len(self.histories) + 1)
        actors = [list(a) for a in state.actors]
        actors[i] = ([RUNNING, end[1], end[2], history] if end[0] == "park"
                     else [FINISHED, (), None, history])
        if end[0] == "exit":    # the process ended: nobody is scheduled again
            child = State(tuple(contents), state.clock, tuple(map(tuple, actors)), (), None,
                          state.depth + 1)
        else:
            child = world.settle(contents, state.clock, actors, state.depth + 1)
        read = {where for where, _, _ in actor[1]}
        # Every primitive its continuation used: a change that changed nothing (a lost
        # signal) must still not commute with a wait it would have woken.
        read.update(op[1] for op in ops)
        return child, read, not ops and end[0] != "exit"

    def _learn(self, state, path, i, k):
        """Replay a probe to `state`, make move (i, k) and learn its continuation; then run
        ahead, learning each next move on offer whose continuation is still unknown."""
        probe = self.start(path)
        try:
            self._check(probe, path, state)
            for _ in range(RUN_AHEAD):
                word = next(w for w, j, c in state.offer if (j, c) == (i, k))
                step = probe.step(word)
                path = path + (word,)
                probe.fail_on_errors(path)
                persistent.check_declared(self.world, i, step.ops,
                                          step.end[1] if step.end[0] == "park" else ())
                self.known.setdefault(self._commit(state, i, k)[1], []).append(
                    (step.ops, step.end))
                found = self._follow(state, i, k)
                if found is None:
                    return
                state = found[0]
                self._check(probe, path, state)
                if state.deadlock is not None:
                    return
                i, k = next(((j, c) for _, j, c in state.offer
                             if self._follow(state, j, c) is None), (None, None))
                if i is None:
                    return
        finally:
            self.stop(probe)

    def _check(self, probe, path, state):
        """Raise unless the runtime in `probe` is in `state` (history ids aside)."""
        rt = probe.rt
        actors = probe.actors([None] * len(state.actors))
        real = (probe.contents(), rt.clock, tuple(a[:3] for a in actors),
                tuple(probe.offer()), _cycle(rt.deadlock))
        model = (state.contents, state.clock, tuple(a[:3] for a in state.actors),
                 tuple(word for word, _, _ in state.offer), _cycle(state.deadlock))
        if real != model:
            raise ValueError(f"explore: after {' '.join(path) or 'no moves'}, the run is not "
                             f"in the state the search computed, so it cannot be explored "
                             f"(do its actors share state outside the runtime's "
                             f"primitives?):\n  run:    {real}\n"
                             f"  search: {model}")


def _cycle(deadlock):
    return None if deadlock is None else (tuple(deadlock.cycle), tuple(deadlock.stuck))
