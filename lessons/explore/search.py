"""The breadth-first search behind `explore` (see explore/__init__.py for what it proves).

Work items wait in a queue ordered by depth (moves from the start), so states are
expanded shallowest first and the first deadlock found is a shortest one. Successors come
from `successors`: computed, not run (explore_learn.Successors: threads run only to learn
what an actor does after a move the first time it is needed), or, for reference, run in a
real runtime each (explore_replay.ReplaySuccessors).

Pruning keeps every state seen (by identity); reduction is persistent sets and sleep
sets with state caching (Godefroid's algorithm, 1996): where one actor's moves form a
persistent set (persistent.py) only they are tried, and each queued state carries the
moves it need not try, because an equivalent order of the same moves is explored
elsewhere. A state whose persistent set would lead back to a state no deeper than itself
tries every move instead (the cycle proviso), so no move is put off around a cycle.
"""
import gc
import heapq
import itertools
import time
from dataclasses import dataclass, field

from lessons.explore import persistent
from lessons.explore.state import State
from lessons.runtime.interrupts import checkpoint


@dataclass(eq=False)
class Visit:
    parent: "Visit"         # the visit it was first reached from (None: the start)
    word: str               # the move that reached it from there
    depth: int              # moves from the start
    state: State
    sleep: dict = field(default_factory=dict)   # token -> (actor, primitives it touches)
    expanded: bool = False
    only: frozenset = None  # the tokens of its persistent set, if it was reduced to one

    def path(self):
        """The schedule tokens that reach it. Kept as a link to the parent, not a copy of
        the path: a path per state would cost memory in proportion to its depth."""
        words, visit = [], self
        while visit.parent is not None:
            words.append(visit.word)
            visit = visit.parent
        return tuple(reversed(words))


class Search:
    def __init__(self, successors, max_states, max_depth, max_seconds, reduce, prune,
                 persistent=True, record=False):
        self.reduce, self.prune = reduce, prune
        self.persistent = reduce and persistent
        self.max_states, self.max_depth = max_states, max_depth
        self.deadline = time.monotonic() + max_seconds
        self.successors = successors
        self.seen = {}          # state identity -> Visit
        self.queue = []         # (depth, order, node, tokens to try or None: all, sleep)
        self.order = itertools.count()
        self.states = self.transitions = self.schedules = 0
        self.reduced = 0        # states where only a persistent set was tried
        self.bound = None       # the name of the bound that was hit, if any
        self.found = None       # (path, Verdict) of the shortest deadlock so far
        # With `record`: every move made, (state identity, token, state reached), and the
        # states reached, by identity (the drawing of the explored space, graph.py).
        self.moves, self.reached = ([], {}) if record else (None, None)

    @property
    def replays(self):
        return self.successors.replays

    def run(self):
        # Python's cyclic collector would walk every state kept, again and again as they
        # pile up (a tenth of a large search's time); the states form no cycles, and the
        # few runtimes replayed meanwhile are collected once it is back on.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._arrive(self.successors.root(), None, None, {})
            while self.queue and self.bound not in ("max_states", "max_seconds"):
                checkpoint()
                depth, _, node, tokens, sleep = heapq.heappop(self.queue)
                if self.found is not None and depth + 1 >= len(self.found[0]):
                    continue    # its moves cannot find a shorter deadlock
                if time.monotonic() > self.deadline:
                    self.bound = "max_seconds"
                else:
                    self._expand(node, tokens, sleep)
        finally:
            self.successors.close()
            if collecting:
                gc.enable()
        return self

    def _expand(self, node, tokens, sleep):
        """Try `tokens` (None: every move not asleep) from `node`; queue what is new."""
        offer = node.state.offer
        if tokens is None:
            node.expanded = True
            sleep = node.sleep
            todo = [m for m in offer if m[0] not in sleep]
        else:
            todo = [m for m in offer if m[0] in tokens
                    and (node.only is None or m[0] in node.only)]
        if todo and node.depth >= self.max_depth:
            self.bound = self.bound or "max_depth"
            return
        made = {}   # token -> successor, already computed while choosing a persistent set
        if tokens is None and self.persistent and len(todo) > 1:
            todo = self._persistent(node, todo, made)
        asleep = dict(sleep)
        for n, (word, actor, k) in enumerate(todo):
            state, read, _ = (made.get(word)
                              or self.successors.successor(node.state, node.path, actor, k))
            if self.moves is not None:
                self.moves.append((node.state[:3], word, state[:3]))
            self.transitions += 1
            # What a move touches: what it read, and every primitive whose contents changed.
            touched = frozenset(read).union(j for j, (a, b) in enumerate(
                zip(node.state.contents, state.contents)) if a != b)
            # A sleeping move stays asleep after this one only if the two commute:
            # other actors, and no primitive in common.
            child_sleep = {t: (a, f) for t, (a, f) in asleep.items()
                           if a != actor and not f & touched} if self.reduce else {}
            asleep[word] = (actor, touched)
            self._arrive(state, node, word, child_sleep)
            if self.bound in ("max_states", "max_seconds") and n < len(todo) - 1:
                return

    def _persistent(self, node, todo, made):
        """The moves of the first actor whose moves form a persistent set here (not asleep),
        or `todo` when none does. Each successor computed to decide goes into `made`."""
        state = node.state
        for i, moves in persistent.candidates(self.successors.world, state):
            for word, _, k in moves:
                if word not in made:
                    made[word] = self.successors.successor(state, node.path, i, k)
            if all(made[word][2] and not self._closes_cycle(made[word][0], node)
                   for word, _, _ in moves):
                node.only = frozenset(word for word, _, _ in moves)
                self.reduced += 1
                return [m for m in moves if m[0] not in node.sleep]
        return todo

    def _closes_cycle(self, state, node):
        """Has `state` been seen no deeper than `node`? Only such a move can close a cycle
        (in a breadth-first search, depth rises by one along every other move)."""
        old = self.seen.get(state[:3])
        return old is not None and old.depth <= node.depth

    def _arrive(self, state, parent, word, sleep):
        """Move `word` from `parent` (None: the start) led here: note a deadlock, prune, or
        queue it."""
        depth = 0 if parent is None else parent.depth + 1
        key = state[:3]
        if self.reached is not None:
            self.reached.setdefault(key, state)
        if state.deadlock is not None:
            self.schedules += 1
            if self.found is None or depth < len(self.found[0]):
                path = () if parent is None else parent.path() + (word,)
                self.found = (path, state.deadlock)
            return
        old = self.seen.get(key) if self.prune else None
        if old is not None:
            self.schedules += 1     # the rest of this branch was explored from `old`
            if self.reduce:
                self._revisit(old, sleep)
            return
        node = Visit(parent, word, depth, state, sleep)
        self.states += 1
        if self.prune:
            self.seen[key] = node
        if self.states >= self.max_states:
            self.bound = "max_states"
        if not state.offer:
            self.schedules += 1     # a final state: nothing can move
            return
        heapq.heappush(self.queue, (depth, next(self.order), node, None, None))

    def _revisit(self, old, sleep):
        """Godefroid's rule: moves asleep at the first visit but awake now must be tried."""
        awake = old.sleep.keys() - sleep.keys()
        old.sleep = {t: v for t, v in old.sleep.items() if t in sleep}
        if awake and old.expanded:
            heapq.heappush(self.queue, (old.depth, next(self.order), old, awake,
                                        dict(old.sleep)))
