"""What every runtime shares: actors, primitives, the trace, verdicts, exit and stop.

Actors are plain Python functions that call `send`/`recv`/`select`/`acquire`/`sleep` on
the runtime's primitives. Two runtimes run the same actor code:
- `ThreadsRuntime` (threads.py): real threads on the real clock, as in the wild.
- `SimRuntime` (sim.py): the same threads, but one runs at a time and a scheduler picks
  who moves at every blocking point, on a virtual clock. Same seed, same trace.

Either can be stopped at any moment, even mid-deadlock: every waiting actor is woken with
`Cancelled` (a BaseException), its stack unwinds and its thread ends.
"""
import random
import threading
import time
from _thread import allocate_lock, get_ident
from collections import namedtuple

from . import waitfor
from .chan import Chan
from .errors import Cancelled, Misuse, ProcessExit, WouldBlock
from .sync import Lock, Semaphore
from .waitfor import BLOCKED, FINISHED, READY

Event = namedtuple("Event", "t actor op chan item depth")
Event.__doc__ = "One thing that happened: at time t, actor did op on chan; depth after it."
Exit = namedtuple("Exit", "t actor message")

JOIN_SECONDS = 1.0   # how long stop() waits for the run's threads to end

_local = threading.local()   # which runtime the calling actor thread belongs to


class Actor:
    """One thread of control and what it is doing now (read by the wait-for analysis)."""
    __slots__ = ("name", "code", "fn", "outside", "thread", "state", "cases", "deadline",
                 "result", "wake", "parked")

    def __init__(self, name, fn=None, outside=False, code=None):
        self.name, self.fn, self.outside = name, fn, outside
        self.code = code or name       # its token in schedule strings
        self.thread = None
        self.state = READY
        self.cases = None              # the pending (primitive, op, value) cases while waiting
        self.deadline = None           # when its timeout or sleep ends (runtime clock)
        self.result = None             # sim: what the scheduler's commit gave back
        self.wake = None               # the lock its thread waits on while parked
        self.parked = False            # sim: waiting on `wake` for the scheduler

    def __repr__(self):
        return f"<Actor {self.name} {self.state}>"


class Runtime:
    """The shared part of both runtimes; subclasses say how actors wait and run."""
    kind = "?"

    def __init__(self, seed=0, trace=True):
        # `guard` protects every primitive's state and every actor's state in this
        # runtime. `settled` (same lock) is notified when the run may be over: an actor
        # finished, everything went quiet, a deadlock formed, or the process exited.
        self.guard = threading.Lock()
        self.settled = threading.Condition(self.guard)
        self.actors = {}          # name -> Actor, in spawn order
        self.prims = []           # channels, locks, semaphores, in creation order
        self.events = [] if trace else None
        self.seed = seed
        self.rng = random.Random(seed)
        self.deadlock = None      # the Verdict of the first deadlock, when it formed
        self.stall = None         # the Verdict of the last stall seen
        self.final = None         # the Verdict while the run is quiet now; None once anyone moves
        self.exit = None          # Exit, when a process ended the run
        self.errors = []          # (actor name, exception) for actors that crashed
        self.stopping = False
        self.started = False
        self._by_ident = {}

    # -- building a system ------------------------------------------------------------
    def chan(self, name, capacity, senders=None, receivers=None):
        return Chan(self, name, capacity, senders, receivers)

    def lock(self, name):
        return Lock(self, name)

    def semaphore(self, name, capacity):
        return Semaphore(self, name, capacity)

    def _register(self, prim):
        if any(p.name == prim.name for p in self.prims):
            raise ValueError(f"this runtime already has a primitive named {prim.name!r}")
        self.prims.append(prim)

    def prim(self, name):
        return next(p for p in self.prims if p.name == name)

    def spawn(self, name, fn, *, outside=False, code=None):
        """Add an actor; `outside` marks the client, whose waits lead out of the system."""
        if self.started:
            raise Misuse("spawn every actor before the run starts")
        if name in self.actors:
            raise ValueError(f"this runtime already has an actor named {name!r}")
        self.actors[name] = Actor(name, fn, outside, code)

    # -- who is calling ------------------------------------------------------------------
    def me(self):
        actor = self._by_ident.get(get_ident())
        return actor if actor is not None else self._adopt()

    def _adopt(self):
        raise NotImplementedError

    def _thread_body(self, actor):
        _local.rt = self
        self._by_ident[get_ident()] = actor
        try:
            self._begin(actor)
            actor.fn()
        except (Cancelled, ProcessExit):
            pass
        except BaseException as exc:  # an actor's bug must surface, not vanish with its thread
            with self.guard:
                self.errors.append((actor.name, exc))
                self._note(actor, "crash", None, repr(exc), None)
        finally:
            self._end(actor)

    def _start_threads(self):
        self.started = True
        for actor in self.actors.values():
            actor.thread = threading.Thread(target=self._thread_body, args=(actor,),
                                            name=f"{self.kind}:{actor.name}", daemon=True)
        for actor in self.actors.values():
            actor.thread.start()

    # -- operations every primitive uses --------------------------------------------------
    def now_or_never(self, case):
        """Complete one case at once or raise WouldBlock; never a scheduling point."""
        prim, op, value = case
        with self.guard:
            if not prim._ready(op):
                raise WouldBlock(f"{op} on {prim.name} would wait")
            return prim._commit(op, value, self.me())

    def waiters(self, prim):
        """{op: [actor names]} of the actors blocked on `prim` (guard held)."""
        found = {}
        for a in self.actors.values():
            if a.state == BLOCKED:
                for p, op, _ in a.cases:
                    if p is prim:
                        found.setdefault(op, []).append(a.name)
        return found

    def _record(self, actor, op, chan, item, depth):
        self.events.append(Event(self.now(), actor.name, op, chan, item, depth))

    def _note(self, actor, op, chan, item, depth):
        """Record an event if this run keeps a trace."""
        if self.events is not None:
            self._record(actor, op, chan, item, depth)

    def note(self, op, item=None, chan=None):
        """Record a milestone of the calling actor in the trace (a harness's own: a meal)."""
        with self.guard:
            self._note(self.me(), op, chan, item, None)

    def exit_process(self, message):
        """The calling actor's process exits (the shim's timer): the run ends."""
        with self.guard:
            me = self.me()
            if self.exit is None:
                self.exit = Exit(self.now(), me.name, message)
                self._note(me, "exit", None, message, None)
            self.settled.notify_all()
        raise ProcessExit(message)

    # -- verdicts ----------------------------------------------------------------------
    def graph(self):
        """The wait-for graph now."""
        with self.guard:
            return waitfor.snapshot(list(self.actors.values()), self.now())

    def _on_block(self, actor):
        """`actor` just blocked: a deadlock can only form now, and must contain it."""
        if self.deadlock is not None or actor.outside:
            return
        live = [a for a in self.actors.values() if a.state != FINISHED]
        for prim, op, _ in actor.cases:
            for name in waitfor.partners(prim, op, actor, live):
                if self.actors[name].state != BLOCKED:
                    return   # someone who could release it can still move
        g = waitfor.snapshot(list(self.actors.values()), self.now())
        members = waitfor.deadlocked(g)
        if members:
            self.deadlock = waitfor.Verdict("deadlock", waitfor.cycle(g, members, actor.name),
                                            waitfor.ordered(g, waitfor.stuck(g)), t=g.t)
            self._note(actor, "deadlock", None, waitfor.describe(self.deadlock), None)
            self.settled.notify_all()

    def _on_quiet(self):
        """Nothing can move (timers aside): record what the run is waiting for."""
        g = waitfor.snapshot(list(self.actors.values()), self.now())
        verdict = waitfor.verdict(g)
        if verdict is not None and verdict.kind == "deadlock":
            if self.deadlock is None:       # formed without a block we saw: keep it anyway
                self.deadlock = verdict
            self.deadlock.stuck = verdict.stuck   # by now everyone behind the cycle is stuck
        if verdict is not None and verdict.kind == "stall":
            if self.stall is None:
                self._note(self.actors[verdict.chain[0].actor], "stall", None,
                           waitfor.describe(verdict), None)
            self.stall = verdict
        self.final = verdict
        self.settled.notify_all()

    # -- ending ------------------------------------------------------------------------
    def stop(self):
        """End every thread this run started (within JOIN_SECONDS); safe to call twice."""
        with self.guard:
            self.stopping = True
            self._wake_everyone()
            self.settled.notify_all()
        threads = [a.thread for a in self.actors.values() if a.thread is not None]
        deadline = time.monotonic() + JOIN_SECONDS
        for t in threads:
            if t is not threading.current_thread():
                t.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in threads)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def run_to_end(rt, look, max_seconds=120.0):
    """Run `rt` until nothing more can happen, `look()` at the end, stop every thread.

    Returns what `look` returned. A threads run still going after max_seconds is stopped
    where it is. A schedule that does not fit the run raises its ValueError; an actor's
    crash raises RuntimeError naming it, after every thread has ended.
    """
    try:
        if rt.kind == "sim":
            rt.resume()
        else:
            rt.start()
            rt.wait_over(max_seconds)
        seen = look()
    finally:
        rt.stop()
    if rt.errors:
        name, exc = rt.errors[0]
        if name == "schedule":
            raise exc
        raise RuntimeError(f"{name} crashed: {exc!r}") from exc
    return seen


def new_wake_lock():
    """A lock created held: its owner thread waits by acquiring it; a waker releases it."""
    lock = allocate_lock()
    lock.acquire()
    return lock


_default = None


def current():
    """The calling actor's runtime, or the process-wide threads runtime for plain threads."""
    rt = getattr(_local, "rt", None)
    if rt is not None:
        return rt
    global _default
    if _default is None:
        from .threads import ThreadsRuntime
        _default = ThreadsRuntime(trace=False)
    return _default


def sleep(seconds):
    """Sleep in the caller's runtime (virtual seconds in sim: costs no wall time)."""
    current().sleep(seconds)


def now():
    """The caller's runtime clock, in seconds since its start."""
    return current().now()
