"""The threads runtime: real threads on the real clock, as the system runs in the wild.

A blocked actor waits on a lock of its own (the way `threading.Condition` does inside),
registered on every primitive it waits for; whoever changes one of those primitives wakes
it, and it checks again. Deadlock detection is event-driven: the actor that blocks runs
the check itself, under the guard, the moment it blocks.

A run's own bound is wall time (`run_until_over(max_seconds)`). A timer due after that
bound (a one-day timeout, a request sent at t=86400) cannot fire within the run, so a run
whose only way on is such a timer ends at once rather than sit out its bound, and
`bound` says which timer it would have waited for: the verdict (a deadlock, say) is known
now; the exit is hours away.
"""
import threading
import time
from _thread import get_ident

from lessons.analysis.waitfor import BLOCKED, FINISHED, IDLE, RUNNING, SLEEPING
from lessons.primitives.errors import Cancelled, Timeout

from .actor import Actor
from .base import Runtime, new_wake_lock
from .interrupts import LOOK_EVERY, checkpoint, wait_briefly


class ThreadsRuntime(Runtime):
    kind = "threads"
    at_once = True

    def __init__(self, seed=None, trace=True):
        super().__init__(seed, trace)
        self.t0 = time.monotonic()
        self.horizon = float("inf")   # monotonic time when the run's wall-clock bound ends

    def now(self):
        return time.monotonic() - self.t0

    def _adopt(self):
        """A thread this runtime did not start (a notebook cell, a view, a benchmark).

        It is outside the system: the runtime cannot know what it will do next, so it must
        not count as running (that would hide every stall). It is among the `visitors`
        only while it waits, so the wait-for graph still sees it then, and `actors` (which
        views read without the guard) never changes after the start.
        """
        name = threading.current_thread().name
        actor = Actor(name if name not in self.actors else f"{name}-{get_ident()}", outside=True)
        actor.state = RUNNING
        self.caller.actor = actor
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
        """Wait until the run is over (or max_seconds pass), without stopping it.

        Over also means that nothing can happen before max_seconds pass: everyone waits,
        and every timer is due later (see `late_timer`)."""
        deadline = time.monotonic() + max_seconds
        with self.guard:
            self.horizon = deadline
            while not self._over():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                wait_briefly(self.settled, min(remaining, LOOK_EVERY))
                checkpoint()
        return True

    def run_until_over(self, max_seconds=60.0):
        """Start, and wait until the run is over or max_seconds of wall time pass; a run
        cut off by that bound, or left waiting for a timer due after it, says so in `bound`."""
        if not self.started:
            self.start()
        if not self.wait_over(max_seconds):
            self.bound = f"max_seconds: the threads run's bound of {max_seconds:g} s of wall time"
            return
        with self.guard:
            late = self.late_timer()
        if late is not None:
            actor, at = late
            self.bound = (f"max_seconds: {actor}'s timer would fire at t={at:g} s, after "
                          f"the threads run's bound of {max_seconds:g} s; the run ended at "
                          f"t={self.now():.3f} s instead of waiting for it")

    def _over(self):
        actors = [a for a in self.actors.values() if a.thread is not None]
        if self.exit or self.errors or all(a.state == FINISHED for a in actors):
            return True
        if any(a.state == RUNNING for a in actors):
            return False
        timers = [a.deadline for a in actors if a.deadline is not None and a.state != FINISHED]
        return not timers or min(timers) > self.horizon

    def late_timer(self):
        """(actor name, runtime time) of the timer the run would wait for, when the run is
        over but for timers due after its bound; else None (guard held)."""
        self._guarded("late_timer()")
        if self.exit or self.errors:
            return None
        timed = [a for a in self.actors.values()
                 if a.thread is not None and a.deadline is not None and a.state != FINISHED]
        if not timed:
            return None
        first = min(timed, key=lambda a: a.deadline)
        return first.name, first.deadline - self.t0

    # -- waiting -----------------------------------------------------------------------
    def wait(self, cases, timeout=None):
        """Complete one of `cases`, waiting as needed; return (index, value)."""
        me = self.me()
        with self.guard:
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                if self.stopping:
                    raise Cancelled()
                if len(cases) == 1:
                    prim, op, value = cases[0]
                    if prim.rule_ready(prim.capacity, prim.contents, op, value):   # prim.ready
                        return 0, prim.commit(op, value, me)
                else:
                    ready = [i for i, (prim, op, v) in enumerate(cases) if prim.ready(op, v)]
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
        visitor = me.thread is None
        if visitor:
            self.visitors[me.name] = me
        me.state, me.cases, me.deadline = state, cases, deadline
        for prim, _, _ in cases:
            prim.waiting.append(me)
        if state == BLOCKED:
            if self.observers:
                self._note(me, "block", "|".join(p.name for p, _, _ in cases),
                           "|".join(op for _, op, _ in cases))
            self._on_block(me)
        self._check_quiet()
        # A local name: a waker may release the lock and clear `me.wake` as soon as the
        # guard is free, before this thread gets to acquire it.
        wake = me.wake = new_wake_lock()
        try:
            # Inside the try: a Ctrl-C in the main thread (a visitor) is raised only after
            # a call returns, so once release() has run the finally takes the guard back.
            self.guard.release()
            wake.acquire(True, -1 if remaining is None else remaining)
        finally:
            self.guard.acquire()
            me.wake = None
            me.state, me.cases, me.deadline = RUNNING, None, None
            self.final = None
            for prim, _, _ in cases:
                prim.waiting.remove(me)
            if visitor:
                del self.visitors[me.name]

    # Both record the wake before they release the lock: a Ctrl-C raised in the main
    # thread right after a release must not leave a lock that looks still to be released.
    def _wake(self, prim):
        for actor in prim.waiting:
            wake = actor.wake
            if wake is not None:
                actor.wake, actor.state = None, RUNNING   # it may move now: not blocked
                wake.release()

    def _wake_everyone(self):
        for actor in [*self.actors.values(), *self.visitors.values()]:
            wake = actor.wake
            if wake is not None:
                actor.wake = None
                wake.release()

    def _check_quiet(self):
        """Nobody runs: record the verdict if nobody sleeps either, and tell a waiting
        controller, whose bound may lie before every timer still due."""
        sleeping = False
        for actors in (self.actors, self.visitors):
            for a in actors.values():
                if a.state == RUNNING:
                    return
                sleeping = sleeping or a.state == SLEEPING
        if sleeping:
            self.settled.notify_all()
        else:
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
