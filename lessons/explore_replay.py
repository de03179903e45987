"""The breadth-first search behind `explore` (see explore.py for what it proves).

Work items wait in a queue ordered by depth (moves from the start), so states are
expanded shallowest first and the first deadlock found is a shortest one. A state is
expanded on a probe (explore_probe.py): the runtime that discovered it, kept parked when
the pool allows, else a fresh replay of its path. Each further move from the same state
needs a fresh replay, since a runtime cannot be copied.

Pruning keeps every state seen (by identity); reduction is sleep sets with state caching
(Godefroid's algorithm, 1996): each queued state carries the moves it need not try,
because an equivalent order of the same moves is explored elsewhere.
"""
import heapq
import itertools
import time
from dataclasses import dataclass, field

from .explore_probe import Probe


@dataclass(eq=False)
class Node:
    path: tuple             # the schedule tokens that reach it
    histories: tuple        # each actor's history id, in spawn order
    contents: tuple         # every primitive's contents (to see what a move touched)
    sleep: dict = field(default_factory=dict)   # token -> (actor, primitives it touches)
    expanded: bool = False


class Search:
    def __init__(self, build, max_states, max_depth, max_seconds, reduce, prune, max_live):
        self.build, self.reduce, self.prune = build, reduce, prune
        self.max_states, self.max_depth, self.max_live = max_states, max_depth, max_live
        self.deadline = time.monotonic() + max_seconds
        self.seen = {}          # state identity -> Node
        self.histories = {}     # (history id, results of one move) -> history id
        self.queue = []         # (depth, order, node, tokens to try or None: all, sleep, probe)
        self.order = itertools.count()
        self.live = 0           # probes parked in the queue
        self.running = set()    # every probe not yet stopped (all are, when the search ends)
        self.states = self.transitions = self.schedules = self.replays = 0
        self.bound = None       # the name of the bound that was hit, if any
        self.found = None       # (path, Verdict) of the shortest deadlock so far

    def run(self):
        try:
            root = self._probe(())
            self._arrive(root, (), (0,) * len(root.rt.actors), {})
            while self.queue and self.bound not in ("max_states", "max_seconds"):
                depth, _, node, tokens, sleep, probe = heapq.heappop(self.queue)
                self.live -= probe is not None
                if self.found is not None and depth + 1 >= len(self.found[0]):
                    self._stop(probe)       # its moves cannot find a shorter deadlock
                elif time.monotonic() > self.deadline:
                    self.bound = "max_seconds"
                    self._stop(probe)
                else:
                    self._expand(node, tokens, sleep, probe)
        finally:
            for probe in list(self.running):
                self._stop(probe)
        return self

    def _probe(self, path):
        self.replays += 1
        probe = Probe(self.build, path)
        self.running.add(probe)
        if probe.rt.errors:
            name, exc = probe.rt.errors[0]
            raise RuntimeError(f"explore: {name} failed after {' '.join(path) or 'no moves'}: "
                               f"{exc!r}") from exc
        return probe

    def _expand(self, node, tokens, sleep, probe):
        """Try `tokens` (None: every move not asleep) from `node`; queue what is new."""
        probe = probe or self._probe(node.path)
        offer = probe.offer()
        if tokens is None:
            node.expanded = True
            sleep = node.sleep
            todo = [t for t in offer if t not in sleep]
        else:
            todo = [t for t in offer if t in tokens]
        if todo and len(node.path) >= self.max_depth:
            self.bound = self.bound or "max_depth"
            todo = []
        if not todo:
            self._stop(probe)
            return
        asleep = dict(sleep)
        for i, word in enumerate(todo):
            here = probe if i == len(todo) - 1 else self._probe(node.path)
            actor, results, read = here.step(word)
            self.transitions += 1
            histories = self._histories(node, here, actor, results)
            contents = here.contents()
            touched = frozenset(read).union(
                j for j, (a, b) in enumerate(zip(node.contents, contents)) if a != b)
            # A sleeping move stays asleep after this one only if the two commute:
            # other actors, and no primitive in common.
            child_sleep = {t: (a, f) for t, (a, f) in asleep.items()
                           if a != actor and not f & touched} if self.reduce else {}
            asleep[word] = (actor, touched)
            self._arrive(here, node.path + (word,), histories, child_sleep, contents)
            if self.bound in ("max_states", "max_seconds") and i < len(todo) - 1:
                self._stop(probe)   # it was kept for the last move, which now waits
                return

    def _histories(self, node, probe, actor, results):
        position = list(probe.rt.actors).index(actor)
        ids = list(node.histories)
        ids[position] = self.histories.setdefault((ids[position], results), len(self.histories) + 1)
        return tuple(ids)

    def _arrive(self, probe, path, histories, sleep, contents=None):
        """A move from a queued state led here: note a deadlock, prune, or queue it."""
        rt = probe.rt
        if rt.errors:
            name, exc = rt.errors[0]
            raise RuntimeError(f"explore: {name} failed after {' '.join(path)}: {exc!r}") from exc
        if rt.deadlock is not None:
            self.schedules += 1
            if self.found is None or len(path) < len(self.found[0]):
                self.found = (path, rt.deadlock)
            self._stop(probe)
            return
        contents = contents if contents is not None else probe.contents()
        key = (contents, rt.clock, probe.actors(histories))
        old = self.seen.get(key) if self.prune else None
        if old is not None:
            self.schedules += 1     # the rest of this branch was explored from `old`
            self._stop(probe)
            if self.reduce:
                self._revisit(old, sleep)
            return
        node = Node(path, histories, contents, sleep)
        self.states += 1
        if self.prune:
            self.seen[key] = node
        if self.states >= self.max_states:
            self.bound = "max_states"
        if not probe.offer():
            self.schedules += 1     # a final state: nothing can move
            self._stop(probe)
            return
        if self.live >= self.max_live:
            self._stop(probe)
            probe = None
        self.live += probe is not None
        heapq.heappush(self.queue, (len(path), next(self.order), node, None, None, probe))

    def _revisit(self, old, sleep):
        """Godefroid's rule: moves asleep at the first visit but awake now must be tried."""
        awake = old.sleep.keys() - sleep.keys()
        old.sleep = {t: v for t, v in old.sleep.items() if t in sleep}
        if awake and old.expanded:
            heapq.heappush(self.queue, (len(old.path), next(self.order), old, awake,
                                        dict(old.sleep), None))

    def _stop(self, probe):
        if probe is not None:
            probe.stop()
            self.running.discard(probe)
