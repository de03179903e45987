"""A probe: one sim runtime parked at one state of a search, and what the search reads off it.

Actors are real threads, which cannot be copied, so a state is reached by replaying its
schedule prefix in a fresh runtime; the probe then makes one more move and reports what
that move did: the results the moved actor got back (the move's own result, and any
`*_nowait` operation it made while running on to its next wait), every operation it made
on a primitive meanwhile (a `*_nowait`, a release, a close), where it parked next, and the
primitives it touched. The searches build state identities, independence and the moved
actor's continuation from those reports.

The probe is an observer of the runtime (lessons/runtime/observers.py): it hears every
move the scheduler makes, every `*_nowait`, release and close, so the runtime runs
unchanged and a replay costs no more than a plain run (the trace is left off).
"""
from collections import namedtuple

from lessons.analysis.waitfor import FINISHED
from lessons.primitives.errors import WouldBlock
from lessons.primitives.rules import CHAN, CHANGE, RENDEZVOUS
from lessons.runtime.moves import token
from lessons.runtime.observers import Observer

Step = namedtuple("Step", "actor results read ops end")
Step.__doc__ = """What one move did. `results`: the move's result, then each `*_nowait`'s;
`read`: primitives its `*_nowait`s tried and its changes used; `ops`: ("nowait",
primitive, op, value, result), ("release", primitive), ("close", primitive) or (change,
primitive, value) for rules.CHANGE, in order; `end`: ("park", cases, deadline),
("finish",) or ("exit",)."""


class Replay:
    """A policy that makes the given moves (by schedule token), then pauses to ask."""

    def __init__(self, tokens):
        self.tokens, self.position = tokens, 0

    def __call__(self, moves, rt):
        if self.position == len(self.tokens):
            return None
        word = self.tokens[self.position]
        self.position += 1
        for move in moves:
            if token(move) == word:
                return move
        raise ValueError(f"explore: replay step {self.position}: {word!r} is not on offer")


class Probe(Observer):
    """A fresh runtime from `build`, to be replayed along `path` (`start`) and paused there."""

    def __init__(self, build, path):
        self.log = []   # the move's result, then ("nowait" | "release" | "close", ...) entries
        self.rt = rt = build(Replay(path), None)
        rt.unwatch(rt.trace)   # the search never reads the trace; recording it costs time
        self.index = {id(p): i for i, p in enumerate(rt.prims)}
        rt.watch(self)

    def start(self):
        """Start the threads and replay the path."""
        self.rt.resume()

    # -- what the runtime tells the probe ----------------------------------------------------
    def moved(self, rt, actor, result):
        self.log.append(_result(result))

    def tried(self, rt, case, result):
        got = "would block" if isinstance(result, WouldBlock) else _result(result)
        self.log.append(("nowait", self.index[id(case[0])], case[1], _hashable(case[2]), got))

    def committed(self, rt, actor, op, prim, item, depth):
        if (prim.kind, op) in CHANGE:
            self.log.append((op, self.index[id(prim)], _hashable(item)))
        elif op in ("release", "close"):
            self.log.append((op, self.index[id(prim)]))

    def offer(self):
        """The schedule tokens of the moves on offer now, in the runtime's order."""
        return [token(m) for m in self.rt.offer()]

    def step(self, word):
        """Make the move named `word`; return the Step it made."""
        rt = self.rt
        move = next(m for m in rt.offer() if token(m) == word)
        actor = move[0]
        # A select reads every one of its cases to see which are ready.
        read = {self.index[id(p)] for p, _, _ in actor.cases}
        self.log.clear()
        rt.step(move)
        result, ops = self.log[0], tuple(self.log[1:])
        nowaits = [op for op in ops if op[0] == "nowait"]
        read.update(op[1] for op in ops)   # a change that changed nothing still read it
        if rt.exit is not None:
            end = ("exit",)
        elif actor.state == FINISHED:
            end = ("finish",)
        else:
            end = ("park", self.cases(actor), actor.deadline)
        return Step(actor.name, (result,) + tuple(op[4] for op in nowaits), read, ops, end)

    def contents(self):
        """Every primitive's contents, in creation order (a channel's items made hashable)."""
        return tuple((tuple(_hashable(i) for i in p.items), p.closed) if p.kind == CHAN
                     else (tuple((w, _hashable(i)) for w, i in p.items), p.closed)
                     if p.kind == RENDEZVOUS else p.contents for p in self.rt.prims)

    def cases(self, actor):
        """An actor's pending cases as (primitive index, op, value)."""
        return tuple((self.index[id(p)], op, _hashable(v)) for p, op, v in actor.cases or ())

    def actors(self, histories):
        """Each actor's state, pending cases, deadline, and its own history's id."""
        return tuple((a.state, self.cases(a), a.deadline, h)
                     for a, h in zip(self.rt.actors.values(), histories))

    def fail_on_errors(self, path):
        """Raise if an actor crashed (its bug, met on `path`)."""
        if self.rt.errors:
            name, exc = self.rt.errors[0]
            raise RuntimeError(f"explore: {name} failed after {' '.join(path) or 'no moves'}: "
                               f"{exc!r}") from exc

    def stop(self):
        self.rt.stop()


class Probes:
    """The probes of one search: starts them (counting replays) and stops every one."""

    def __init__(self, build):
        self.build = build
        self.replays = 0     # runtimes started
        self.running = set()

    def start(self, path):
        """A fresh probe replayed along `path`; an actor's crash on the way is an error."""
        self.replays += 1
        probe = Probe(self.build, path)
        self.running.add(probe)   # before its threads start, so that close() always ends them
        try:
            probe.start()
            probe.fail_on_errors(path)
        except BaseException:
            self.stop(probe)
            raise
        return probe

    def stop(self, probe):
        probe.stop()
        self.running.discard(probe)

    def close(self):
        """Stop every probe still running (after an error)."""
        for probe in list(self.running):
            self.stop(probe)


def _result(result):
    """A move's result as a comparable value (an exception by its kind and message)."""
    if isinstance(result, BaseException):
        return type(result).__name__, str(result)
    return _hashable(result)


def _hashable(value):
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)
