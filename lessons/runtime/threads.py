"""The threads runtime: real threads on the real clock, as the system runs in the wild.

A blocked actor waits on a lock of its own (the way `threading.Condition` does inside),
registered on every primitive it waits for; whoever changes one of those primitives wakes
it, and it checks again. Deadlock detection is event-driven: the actor that blocks runs
the check itself, under the guard, the moment it blocks.
"""
import threading
import time
from _thread import get_ident

from lessons.analysis.waitfor import BLOCKED, FINISHED, IDLE, RUNNING, SLEEPING
from lessons.primitives.errors import Cancelled, Timeout

from .actor import Actor
from .base import Runtime, new_wake_lock

WAITS = (BLOCKED, IDLE)   # states that cannot move by themselves (timers aside)


class ThreadsRuntime(Runtime):
    kind = "threads"

    def __init__(self, seed=None, trace=True):
        super().__init__(seed, trace)
        self.t0 = time.monotonic()

    def now(self):
        return time.monotonic() - self.t0

    def _adopt(self):
        """A thread this runtime did not start (a notebook cell, a view, a benchmark).

        It is outside the system: the runtime cannot know what it will do next, so it must
        not count as running (that would hide every stall). It appears among the actors
        only while it waits, so the wait-for graph still sees it then.
        """
        name = threading.current_thread().name
        actor = Actor(name if name not in self.actors else f"{name}-{get_ident()}", outside=True)
        actor.state = RUNNING
        self._by_ident[get_ident()] = actor
        return actor

    # -- running ---------------------------------------------------------------------
    def start(self):
        for actor in self.actors.values():
            actor.state = RUNNING
        self.t0 = time.monotonic()
        self._start_threads()

    def kick(self):
        if not self.started:
            self.start()

    def _begin(self, actor):
        pass

    def _end(self, actor):
        with self.guard:
            actor.state = FINISHED
            actor.cases = None
            self.settled.notify_all()

    def wait_over(self, max_seconds=60.0):
        """Wait until the run is over (or max_seconds pass), without stopping it."""
        deadline = time.monotonic() + max_seconds
        with self.guard:
            while not self._over():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.settled.wait(remaining)
        return True

    def run_until_over(self, max_seconds=60.0):
        """Start, and wait until the run is over or max_seconds of wall time pass."""
        if not self.started:
            self.start()
        self.wait_over(max_seconds)

    def run(self, max_seconds=60.0):
        """Start, wait until the run is over (or max_seconds pass), stop; return self."""
        if not self.started:
            self.start()
        try:
            self.wait_over(max_seconds)
        finally:
            self.stop()
        return self

    def _over(self):
        actors = [a for a in self.actors.values() if a.thread is not None]
        if self.exit or self.errors or all(a.state == FINISHED for a in actors):
            return True
        quiet = all(a.state in WAITS or a.state == FINISHED for a in actors)
        return quiet and not any(a.deadline is not None for a in actors if a.state == BLOCKED)

    # -- waiting -----------------------------------------------------------------------
    def wait(self, cases, timeout=None):
        """Complete one of `cases`, waiting as needed; return (index, value)."""
        me = self._by_ident.get(get_ident()) or self._adopt()   # self.me(), on the hot path
        with self.guard:
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                if self.stopping:
                    raise Cancelled()
                if len(cases) == 1:
                    prim, op, value = cases[0]
                    if prim.rule_ready(prim.capacity, prim.contents, op):   # prim.ready(op)
                        return 0, prim.commit(op, value, me)
                else:
                    ready = [i for i, (prim, op, _) in enumerate(cases) if prim.ready(op)]
                    if ready:
                        i = ready[0] if len(ready) == 1 else self.rng.choice(ready)
                        prim, op, value = cases[i]
                        return i, prim.commit(op, value, me)
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    self._note(me, "timeout", cases[0][0].name, None)
                    raise Timeout(f"{me.name}: {cases[0][1]} {cases[0][0].name} "
                                  f"timed out after {timeout:g} s")
                self._park(me, BLOCKED, cases, deadline, remaining)

    def _park(self, me, state, cases, deadline, remaining):
        """Wait (guard held on entry and exit) until woken, timed out or stopped."""
        visitor = me.thread is None and me.name not in self.actors
        if visitor:
            # Rebind rather than insert: a reader iterating the old dict must not see it
            # change size.
            self.actors = {**self.actors, me.name: me}
        me.state, me.cases, me.deadline = state, cases, deadline
        for prim, _, _ in cases:
            prim.waiting.append(me)
        if state == BLOCKED:
            self._note(me, "block", "|".join(p.name for p, _, _ in cases),
                       "|".join(op for _, op, _ in cases))
            self._on_block(me)
        self._check_quiet()
        me.wake = new_wake_lock()
        self.guard.release()
        try:
            me.wake.acquire(True, -1 if remaining is None else remaining)
        finally:
            self.guard.acquire()
            me.wake = None
            me.state, me.cases, me.deadline = RUNNING, None, None
            self.final = None
            for prim, _, _ in cases:
                prim.waiting.remove(me)
            if visitor:
                self.actors = {n: a for n, a in self.actors.items() if a is not me}

    def _wake(self, prim):
        for actor in prim.waiting:
            if actor.wake is not None:
                actor.wake.release()
                actor.wake = None
                actor.state = RUNNING   # it may move now: no longer counts as blocked

    def _wake_everyone(self):
        for actor in self.actors.values():
            if actor.wake is not None:
                actor.wake.release()
                actor.wake = None

    def _check_quiet(self):
        if not any(a.state in (RUNNING, SLEEPING) for a in self.actors.values()):
            self._on_quiet()

    def sleep(self, seconds):
        """Sleep on the real clock; a stop ends the sleep with Cancelled."""
        self._pause(SLEEPING, seconds)

    def idle(self):
        """Wait for nothing but the end of the run (a client that never reads)."""
        self._pause(IDLE, None)

    def _pause(self, state, seconds):
        me = self.me()
        with self.guard:
            if self.stopping:
                raise Cancelled()
            self._note(me, "sleep" if state == SLEEPING else "idle", None, seconds)
            deadline = None if seconds is None else time.monotonic() + seconds
            self._park(me, state, (), deadline, seconds)
            if self.stopping:
                raise Cancelled()
