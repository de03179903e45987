"""Observers: whatever watches a run (the trace, the stacks at exit, the explorer's probe,
the live views) registers on the runtime and is told what happens; nothing is patched.

The runtime calls each observer, in the order they were registered, with its guard held
(so an observer sees one consistent state and must not wait), except `exiting`, which
comes before the guard is taken so that an observer may read the whole run.
"""
from .actor import Event


class Observer:
    """Override what you need; every announcement does nothing by default."""

    def committed(self, rt, actor, op, prim, item, depth):
        """A case completed (send, recv, acquire), or a release or close; `depth` after it."""

    def noted(self, rt, actor, op, chan, item):
        """A milestone: block, timeout, sleep, idle, deadlock, stall, exit, crash, or a
        harness's own (a meal)."""

    def moved(self, rt, actor, result):
        """Sim: the scheduler made `actor`'s move; `result` is what its wait gives back."""

    def tried(self, rt, case, result):
        """A `*_nowait` on `case`: the value it gave, or the WouldBlock or Closed it raised."""

    def exiting(self, rt, actor, message):
        """`actor`'s process is about to exit (its stack is still whole); guard not held."""


class Trace(Observer):
    """The run's trace: every commit and milestone as an Event, in order."""

    def __init__(self):
        self.events = []

    def committed(self, rt, actor, op, prim, item, depth):
        self.events.append(Event(rt.now(), actor.name, op, prim.name, item, depth))

    def noted(self, rt, actor, op, chan, item):
        self.events.append(Event(rt.now(), actor.name, op, chan, item, None))
