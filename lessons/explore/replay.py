"""The reference successors: every move made by a real runtime, replayed along its path.

Plugged into the same search (search.py) instead of learn.Successors, it
gives what the search computes without the model: each successor is a fresh runtime
replayed to the state, the move made, and the state read off it (probe.py).
Cheap to trust, slow to run (a fresh runtime per move), so it is for tests and the
benchmark, which compare the two: same states, same schedules, same verdicts.
"""
from lessons.explore import persistent
from lessons.explore.probe import Probes
from lessons.explore.state import State, World
from lessons.runtime.schedule import token


class ReplaySuccessors(Probes):
    """The successor of a state by a move, run in a real runtime."""

    def __init__(self, build):
        super().__init__(build)
        self.histories = {}  # (history id, results of one move) -> history id
        self.world = None    # the run's fixed part, which persistent sets read

    def root(self):
        """The state a fresh run pauses in, before its first move."""
        probe = self.start(())
        try:
            self.world = World(probe.rt)
            return self._state(probe, [0] * len(probe.rt.actors), 0)
        finally:
            self.stop(probe)

    def successor(self, state, route, i, k):
        """The state that move (i, k) from `state` leads to (`route()`: the moves that reach
        `state`), the primitives the move read (every case its actor waited on, and its
        `*_nowait`s), and whether it was solo (its actor only parked or finished after it)."""
        path = route()
        probe = self.start(path)
        try:
            word = next(w for w, j, c in state.offer if (j, c) == (i, k))
            step = probe.step(word)
            probe.fail_on_errors(path + (word,))
            persistent.check_declared(self.world, i, step.ops,
                                      step.end[1] if step.end[0] == "park" else ())
            histories = [a[3] for a in state.actors]
            histories[i] = self.histories.setdefault((histories[i], step.results),
                                                     len(self.histories) + 1)
            solo = not step.ops and step.end[0] != "exit"
            return self._state(probe, histories, state.depth + 1), step.read, solo
        finally:
            self.stop(probe)

    @staticmethod
    def _state(probe, histories, depth):
        rt = probe.rt
        actors = list(rt.actors.values())
        offer = tuple((token(m), actors.index(m[0]), m[1]) for m in rt.offer())
        return State(probe.contents(), rt.clock, probe.actors(histories), offer, rt.deadlock,
                     depth)
