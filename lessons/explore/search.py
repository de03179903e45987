"""The breadth-first search behind `explore` (see explore/__init__.py for what it proves).

Work items wait in a queue ordered by depth (moves from the start), so states are
expanded shallowest first and the first deadlock found is a shortest one. Successors come
from `successors`: computed, not run (explore_learn.Successors: threads run only to learn
what an actor does after a move the first time it is needed), or, for reference, run in a
real runtime each (explore_replay.ReplaySuccessors).

Pruning keeps every state seen (by identity); reduction is sleep sets with state caching
(Godefroid's algorithm, 1996): each queued state carries the moves it need not try,
because an equivalent order of the same moves is explored elsewhere.
"""
import heapq
import itertools
import time
from dataclasses import dataclass, field

from lessons.explore.state import State


@dataclass(eq=False)
class Visit:
    path: tuple             # the schedule tokens that reach it
    state: State
    sleep: dict = field(default_factory=dict)   # token -> (actor, primitives it touches)
    expanded: bool = False


class Search:
    def __init__(self, successors, max_states, max_depth, max_seconds, reduce, prune):
        self.reduce, self.prune = reduce, prune
        self.max_states, self.max_depth = max_states, max_depth
        self.deadline = time.monotonic() + max_seconds
        self.successors = successors
        self.seen = {}          # state identity -> Visit
        self.queue = []         # (depth, order, node, tokens to try or None: all, sleep)
        self.order = itertools.count()
        self.states = self.transitions = self.schedules = 0
        self.bound = None       # the name of the bound that was hit, if any
        self.found = None       # (path, Verdict) of the shortest deadlock so far

    @property
    def replays(self):
        return self.successors.replays

    def run(self):
        try:
            self._arrive(self.successors.root(), (), {})
            while self.queue and self.bound not in ("max_states", "max_seconds"):
                depth, _, node, tokens, sleep = heapq.heappop(self.queue)
                if self.found is not None and depth + 1 >= len(self.found[0]):
                    continue    # its moves cannot find a shorter deadlock
                if time.monotonic() > self.deadline:
                    self.bound = "max_seconds"
                else:
                    self._expand(node, tokens, sleep)
        finally:
            self.successors.close()
        return self

    def _expand(self, node, tokens, sleep):
        """Try `tokens` (None: every move not asleep) from `node`; queue what is new."""
        offer = node.state.offer
        if tokens is None:
            node.expanded = True
            sleep = node.sleep
            todo = [m for m in offer if m[0] not in sleep]
        else:
            todo = [m for m in offer if m[0] in tokens]
        if todo and len(node.path) >= self.max_depth:
            self.bound = self.bound or "max_depth"
            return
        asleep = dict(sleep)
        for n, (word, actor, k) in enumerate(todo):
            state, read = self.successors.successor(node.state, node.path, actor, k)
            self.transitions += 1
            # What a move touches: what it read, and every primitive whose contents changed.
            touched = frozenset(read).union(j for j, (a, b) in enumerate(
                zip(node.state.contents, state.contents)) if a != b)
            # A sleeping move stays asleep after this one only if the two commute:
            # other actors, and no primitive in common.
            child_sleep = {t: (a, f) for t, (a, f) in asleep.items()
                           if a != actor and not f & touched} if self.reduce else {}
            asleep[word] = (actor, touched)
            self._arrive(state, node.path + (word,), child_sleep)
            if self.bound in ("max_states", "max_seconds") and n < len(todo) - 1:
                return

    def _arrive(self, state, path, sleep):
        """A move from a queued state led here: note a deadlock, prune, or queue it."""
        if state.deadlock is not None:
            self.schedules += 1
            if self.found is None or len(path) < len(self.found[0]):
                self.found = (path, state.deadlock)
            return
        key = state[:3]
        old = self.seen.get(key) if self.prune else None
        if old is not None:
            self.schedules += 1     # the rest of this branch was explored from `old`
            if self.reduce:
                self._revisit(old, sleep)
            return
        node = Visit(path, state, sleep)
        self.states += 1
        if self.prune:
            self.seen[key] = node
        if self.states >= self.max_states:
            self.bound = "max_states"
        if not state.offer:
            self.schedules += 1     # a final state: nothing can move
            return
        heapq.heappush(self.queue, (len(path), next(self.order), node, None, None))

    def _revisit(self, old, sleep):
        """Godefroid's rule: moves asleep at the first visit but awake now must be tried."""
        awake = old.sleep.keys() - sleep.keys()
        old.sleep = {t: v for t, v in old.sleep.items() if t in sleep}
        if awake and old.expanded:
            heapq.heappush(self.queue, (len(old.path), next(self.order), old, awake,
                                        dict(old.sleep)))
