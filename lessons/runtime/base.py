"""The runtimes' contracts, and what the in-process ones share: actors, primitives,
observers, verdicts, exit and stop.

    RuntimeKind    what the `runtime` knob names: class attributes and `for_run`
    ActorRuntime   what actor code calls (now, wait, wait_one, sleep, idle, me,
                   exit_process): every runtime that runs the course's actors
    Runtime        an in-process runtime (sim.py, threads.py): guard, spawn, run, stop
    launched.LaunchedRuntime   a runtime the story launches as processes (processes.py, go.py)

Actors are plain Python functions that call `send`/`recv`/`select`/`acquire`/`sleep` on
the runtime's primitives. Each runtime runs the same actor code its own way (sim.py,
threads.py) and says how to run to the end (`run_until_over`), so nothing above it
branches on which runtime it has.

Either in-process runtime can be stopped at any moment, even mid-deadlock: every waiting actor is woken with
`Cancelled` (a BaseException), its stack unwinds and its thread ends.
"""
import random
import threading
import time
from _thread import allocate_lock
from abc import ABC, abstractmethod

from lessons.analysis import waitfor
from lessons.analysis.waitfor import BLOCKED
from lessons.primitives.chan import After, Chan, Rendezvous
from lessons.primitives.errors import Cancelled, Closed, Misuse, ProcessExit, WouldBlock
from lessons.primitives.rules import KINDS
from lessons.primitives.sync import Cond, Lock, RWLock, Semaphore, WaitGroup

from .actor import Actor, Exit
from .interrupts import checkpoint, held, interruptible
from .observers import Trace

JOIN_SECONDS = 1.0   # how long stop() waits for the run's threads to end

_local = threading.local()   # which runtime the calling actor thread belongs to


def bound_runtime():
    """The runtime of the calling actor thread, or None for a thread no runtime started."""
    return getattr(_local, "rt", None)


def bind_runtime(rt):
    """Make `rt` the calling thread's runtime: what `current()` answers in it from now on."""
    _local.rt = rt


class RuntimeKind(ABC):
    """What the `runtime` knob names (a class in `runtime.RUNTIMES`): what its runs can
    do, said by class attributes, and how one run gets a runtime (`for_run`)."""
    kind = "?"
    virtual_clock = False   # True: time is virtual and jumps (a one-hour timer costs nothing)
    replayable = False      # True: a schedule string replays a run exactly
    separate_processes = False   # True: the story launches its own processes (launched.py)

    @classmethod
    @abstractmethod
    def for_run(cls, seed=0, policy="random", schedule=None):
        """A runtime for one run of a system (the sim takes a policy and a schedule), or a
        ValueError saying how this runtime is run instead."""


class ActorRuntime(RuntimeKind):
    """What actor code calls, whichever runtime runs it: the contract of every runtime
    that runs the course's actors (sim.py and threads.py in this process, processes.py
    in each process of a processes run).

    Override these (the abstract methods below), as queue.Queue lists its own: `now()`
    (the run's clock), `wait(cases, timeout)` (complete one case), `sleep(seconds)`,
    `idle()` (wait for nothing but the end of the run), `me()` (the calling actor, with
    its `.name`), `exit_process(message)` (the calling actor's process exits). Optional:
    `wait_one` (a faster single case, doing exactly what `wait` would).
    """

    @abstractmethod
    def now(self):
        """The run's clock, in seconds since its start (virtual in sim)."""

    @abstractmethod
    def wait(self, cases, timeout=None):
        """Complete one of `cases` (primitive, op, value), waiting as needed; return
        (index, value). Timeout after `timeout` seconds; Cancelled once the run stops."""

    def wait_one(self, prim, op, value, timeout=None):
        """`wait` for a single case (send, recv, acquire); returns only its value. A runtime
        may answer a ready case faster here; it must do exactly what `wait` would."""
        return self.wait(((prim, op, value),), timeout)[1]

    @abstractmethod
    def sleep(self, seconds):
        """The calling actor sleeps `seconds` on the run's clock; Cancelled on stop."""

    @abstractmethod
    def idle(self):
        """The calling actor waits for nothing but the end of the run."""

    @abstractmethod
    def me(self):
        """The calling actor (its `.name` at least)."""

    @abstractmethod
    def exit_process(self, message):
        """The calling actor's process exits (the shim's timer fired): the run ends."""


class Runtime(ActorRuntime):
    """An in-process runtime: what actors call (ActorRuntime), and what primitives and
    whoever runs it use; sim.py and threads.py are the two.

    The contract, for the actors, the primitives and whoever runs it:
    - actors call what ActorRuntime lists (`me` and `exit_process` are written here,
      once), and `note(...)`;
    - primitives call `register(prim)`, `committed(...)`, `now_or_never(case)`,
      `waiters(prim)`, all but `register` with `guard` held, and `wait_one` to wait; a
      primitive's hot path (Primitive.wait_one) reads `at_once`, `stopping`, `observers`
      and `caller.actor` under the guard;
    - whoever runs it calls `for_run(...)`, `spawn(...)`, `start()`,
      `run_until_over(max_seconds)` (or `run()`: that, then `stop()`), `kick()`,
      `set_pace(pace)`, `schedule()`, `stop()`, and reads `deadlock`, `stall`, `final`,
      `exit`, `errors`, `bound`, `events`.

    Override these to make another runtime (the abstract methods), as queue.Queue lists
    its own: `now`, `wait`, `sleep`, `idle` (how an actor waits and what the clock says),
    `start` and `run_until_over` (how a run goes), and the hooks of an actor's thread,
    called with the guard NOT held unless said: `_begin(actor)` before its code,
    `_end(actor)` after it, `_adopt()` for a thread this runtime did not start,
    `_wake_everyone()` (guard held) when the run stops. Optional: `wait_one` (a faster
    single case), `_wake(prim)` (guard held; a primitive changed), `kick`, `set_pace`,
    `schedule`, `for_run`, `at_once`.
    """
    at_once = False   # True: a ready case is no scheduling point, and completes in the
                      # primitive's hot path (threads); the sim schedules every move

    def __init__(self, seed=0, trace=True):
        # `guard` protects every primitive's contents and every actor's state in this
        # runtime. `settled` (same lock) is notified when the run may be over: an actor
        # finished, everything went quiet, a deadlock formed, or the process exited.
        self.guard = threading.Lock()
        self.settled = threading.Condition(self.guard)
        self.actors = {}          # name -> Actor, in spawn order
        self.visitors = {}        # threads runtime: name -> Actor of an adopted thread, while
                                  # it waits (guard held to read or change)
        self.prims = []           # channels, locks, semaphores, in creation order
        self.observers = []
        self.trace = Trace() if trace else None
        if self.trace is not None:
            self.watch(self.trace)
        self.seed = seed
        self.rng = random.Random(seed)
        self.deadlock = None      # the Verdict of the first deadlock, when it formed
        self.stall = None         # the Verdict of the last stall seen
        self.final = None         # the Verdict while the run is quiet now; None once anyone moves
        self.exit = None          # Exit, when a process ended the run
        self.errors = []          # (actor name, exception) for actors that crashed
        self.bound = None         # the run's own bound it reached, in words ("max_steps: ...")
        self.stopping = False
        self.started = False
        # The calling thread's Actor here is `caller.actor`, missing until its actor starts
        # or the runtime adopts it: a thread's own attribute, which Python finds faster than
        # a dict keyed by the thread's ident (the hot path asks on every ready send), and
        # which a new thread reusing a finished one's ident does not inherit.
        self.caller = threading.local()

    @classmethod
    def for_run(cls, seed=0, policy="random", schedule=None):
        """A runtime for one run of a system; the sim takes a policy and a schedule."""
        return cls(seed=seed)

    @property
    def bound_hit(self):
        return self.bound is not None

    @property
    def events(self):
        """The trace's events, or None when this run keeps no trace."""
        return self.trace.events if self.trace is not None else None

    # -- observers ----------------------------------------------------------------------
    def watch(self, observer):
        """Tell `observer` (an observers.Observer) what happens from now on."""
        self.observers.append(observer)
        return observer

    def unwatch(self, observer):
        self.observers.remove(observer)
        if observer is self.trace:
            self.trace = None

    # -- building a system ------------------------------------------------------------
    def chan(self, name, capacity, senders=None, receivers=None):
        """A channel of `capacity` items; 0: unbuffered (a send waits for its receiver)."""
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
            raise ValueError(f"{name} capacity must be a whole number at least 0 (0: "
                             f"unbuffered, as Go's make(chan T)), got {capacity!r}")
        if capacity == 0:
            return Rendezvous(self, name, senders, receivers)
        return Chan(self, name, capacity, senders, receivers)

    def rwlock(self, name):
        return RWLock(self, name)

    def waitgroup(self, name):
        return WaitGroup(self, name)

    def cond(self, name, lock):
        return Cond(self, name, lock)

    def after(self, name, seconds):
        """Go's time.After: a channel that gets one item `seconds` from now."""
        return After(self, name, seconds)

    def lock(self, name):
        return Lock(self, name)

    def semaphore(self, name, capacity):
        return Semaphore(self, name, capacity)

    def register(self, prim):
        """A primitive joins this runtime (its constructor calls this)."""
        if prim.kind not in KINDS:
            raise TypeError(f"a runtime holds channels, locks, semaphores, read-write locks, "
                            f"wait-groups and conditions, not {prim!r}")
        if any(p.name == prim.name for p in self.prims):
            raise ValueError(f"this runtime already has a primitive named {prim.name!r}")
        self.prims.append(prim)

    def spawn(self, name, fn, *, outside=False, code=None):
        """Add an actor; `outside` marks the client, whose waits lead out of the system."""
        if self.started:
            raise Misuse("spawn every actor before the run starts")
        if name in self.actors:
            raise ValueError(f"this runtime already has an actor named {name!r}")
        self.actors[name] = Actor(name, fn, outside, code)

    # -- who is calling ------------------------------------------------------------------
    def me(self):
        try:
            return self.caller.actor
        except AttributeError:
            return self._adopt()

    # -- the override points (see the class docstring) ------------------------------------
    @abstractmethod
    def start(self):
        """Start every actor's thread."""

    @abstractmethod
    def run_until_over(self, max_seconds):
        """Run until nothing more can happen (or this runtime's own bound); no stop."""

    @abstractmethod
    def _adopt(self):
        """The Actor for a calling thread this runtime did not start."""

    @abstractmethod
    def _begin(self, actor):
        """In the actor's own thread, before its code runs."""

    @abstractmethod
    def _end(self, actor):
        """In the actor's own thread, after its code ended (returned, crashed, cancelled)."""

    @abstractmethod
    def _wake_everyone(self):
        """The run stops: wake every waiting actor, which then raises Cancelled (guard held)."""

    def _guarded(self, what):
        """Misuse unless the guard is held: the cheap half of "(guard held)" (it cannot
        tell who holds it)."""
        if not self.guard.locked():
            raise Misuse(f"{what} reads the runtime's state: call it inside `with rt.guard:`")

    def _thread_body(self, actor):
        _local.rt = self
        self.caller.actor = actor
        try:
            self._begin(actor)
            actor.fn()
        except (Cancelled, ProcessExit):
            pass
        except BaseException as exc:  # an actor's bug must surface, not vanish with its thread
            with self.guard:
                self.errors.append((actor.name, exc))
                self._note(actor, "crash", None, repr(exc))
        finally:
            self._end(actor)

    def _start_threads(self):
        # One at a time, so that an interrupt meanwhile leaves every thread that was
        # started recorded (stop() ends those) and no other.
        self.started = True
        for actor in self.actors.values():
            actor.thread = threading.Thread(target=self._thread_body, args=(actor,),
                                            name=f"{self.kind}:{actor.name}", daemon=True)
            with held():   # an interrupt inside Thread.start breaks threading's lock
                actor.thread.start()

    # -- what primitives tell the runtime (guard held) -------------------------------------
    def committed(self, actor, op, prim, item):
        """`prim` changed: wake whoever waits on it, and tell the observers."""
        if prim.waiting:
            self._wake(prim)
        if self.observers:
            depth = prim.rule_depth(prim.contents)
            for observer in self.observers:
                observer.committed(self, actor, op, prim, item, depth)

    def now_or_never(self, case):
        """Complete one case at once or raise WouldBlock; never a scheduling point."""
        prim, op, value = case
        with self.guard:
            try:
                if not prim.ready(op, value):
                    raise WouldBlock(f"{op} on {prim.name} would wait")
                result = prim.commit(op, value, self.me())
            except (WouldBlock, Closed) as exc:
                self._tried(case, exc)
                raise
            self._tried(case, result)
            return result

    def _tried(self, case, result):
        for observer in self.observers:
            observer.tried(self, case, result)

    def _wake(self, prim):
        """Wake the actors waiting on `prim` (the threads runtime; the sim looks afresh)."""

    def waiters(self, prim):
        """{op: [actor names]} of the actors blocked on `prim` (guard held)."""
        self._guarded("waiters()")
        found = {}
        for a in [*self.actors.values(), *self.visitors.values()]:
            if a.state == BLOCKED:
                for p, op, _ in a.cases:
                    if p is prim:
                        found.setdefault(op, []).append(a.name)
        return found

    def _note(self, actor, op, chan, item):
        for observer in self.observers:
            observer.noted(self, actor, op, chan, item)

    def note(self, op, item=None, chan=None):
        """Record a milestone of the calling actor (a harness's own: a meal)."""
        with self.guard:
            self._note(self.me(), op, chan, item)

    def exit_process(self, message):
        """The calling actor's process exits (the shim's timer): the run ends."""
        me = self.me()
        if self.exit is None:
            for observer in self.observers:
                observer.exiting(self, me, message)
        with self.guard:
            if self.exit is None:
                self.exit = Exit(self.now(), me.name, message)
                self._note(me, "exit", None, message)
            self.settled.notify_all()
        raise ProcessExit(message)

    # -- verdicts ----------------------------------------------------------------------
    def views(self):
        """Every actor as plain values for the wait-for analysis (guard held)."""
        self._guarded("views()")
        return [self._view(a) for a in [*self.actors.values(), *self.visitors.values()]]

    @staticmethod
    def _view(a):
        cases = (tuple((p.name, op, p.partners(op)) for p, op, _ in a.cases)
                 if a.state == BLOCKED and a.cases else ())
        return waitfor.ActorView(a.name, a.state, a.outside, a.deadline is not None, cases)

    def graph(self):
        """The wait-for graph now."""
        with self.guard:
            return waitfor.snapshot(self.views(), self.now())

    def _on_block(self, actor):
        """`actor` just blocked: a deadlock can only form now, and must contain it."""
        if self.deadlock is not None or actor.outside:
            return   # an outside actor (the client, a notebook's thread) closes no deadlock
        states = {a.name: a.state for a in [*self.actors.values(), *self.visitors.values()]}
        verdict = waitfor.formed(self._view(actor), states, self.views, self.now())
        if verdict is not None:
            self.deadlock = verdict
            self._note(actor, "deadlock", None, waitfor.describe(verdict))
            self.settled.notify_all()

    def _on_quiet(self):
        """Nothing can move (timers aside): record what the run is waiting for."""
        verdict = waitfor.verdict(waitfor.snapshot(self.views(), self.now()))
        if verdict is not None and verdict.kind == "deadlock":
            if self.deadlock is None:       # formed without a block we saw: keep it anyway
                self.deadlock = verdict
            self.deadlock.stuck = verdict.stuck   # by now everyone behind the cycle is stuck
        if verdict is not None and verdict.kind == "stall":
            if self.stall is None:
                self._note(self.actors[verdict.chain[0].actor], "stall", None,
                           waitfor.describe(verdict))
            self.stall = verdict
        self.final = verdict
        self.settled.notify_all()

    # -- running and ending -----------------------------------------------------------------
    def run(self, max_seconds=60.0):
        """Start, run until over (or max_seconds of wall time, where the runtime keeps that
        bound), stop every thread; return self. A Ctrl-C is never lost (interrupts.py)."""
        with interruptible():
            try:
                self.run_until_over(max_seconds)
            finally:
                try:
                    self.stop()
                except KeyboardInterrupt:   # maybe before stop() began: see its docstring
                    self.stop()
                    raise
        return self

    def schedule(self):
        """The string that replays this run (replayable runtimes), else None."""
        return None

    def set_pace(self, pace):
        """A live run: real seconds per virtual second (a real clock keeps its own pace)."""

    def kick(self):
        """A live run: start if need be, and go on after an outside `*_nowait`."""

    def stop(self):
        """End every thread this run started (within JOIN_SECONDS); safe to call twice.

        A KeyboardInterrupt meanwhile does not cut it short: it is raised once every thread
        has been told to end and waited for. One that lands as the call begins, before
        this body's first line, comes out before anything is stopped: a caller that must
        end every thread (run, run_to_end) calls stop() again when one comes out. It does
        so in its own `finally`, not through a helper, whose own call could be cut short
        the same way."""
        interrupted = None
        while True:
            try:
                ended = self._end_threads()
                break
            except KeyboardInterrupt as exc:
                interrupted = exc
        if interrupted is not None:
            raise interrupted
        return ended

    def _end_threads(self):
        with self.guard:
            self.stopping = True
            self._wake_everyone()
            self.settled.notify_all()
        threads = [a.thread for a in self.actors.values() if a.thread is not None]
        deadline = time.monotonic() + JOIN_SECONDS
        for t in threads:
            if t is not threading.current_thread():
                _join(t, deadline)
        return not any(t.is_alive() for t in threads)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def run_to_end(rt, look, max_seconds=120.0):
    """Run `rt` until nothing more can happen, `look()` at the end, stop every thread.

    Returns what `look` returned. A run still going after max_seconds of wall time is
    stopped where it is. A schedule that does not fit the run raises its ValueError; an
    actor's crash raises RuntimeError naming it, and a Ctrl-C KeyboardInterrupt, each
    after every thread has ended.
    """
    with interruptible():
        try:
            rt.run_until_over(max_seconds)
            checkpoint()
            looked = look()
        finally:
            try:
                rt.stop()
            except KeyboardInterrupt:       # maybe before stop() began: see its docstring
                rt.stop()
                raise
    if rt.errors:
        name, exc = rt.errors[0]
        if name == "schedule":
            raise exc
        raise RuntimeError(f"{name} crashed: {exc!r}") from exc
    return looked


def _join(thread, deadline):
    """Join `thread` by `deadline`. One whose start() was interrupted may not have said yet
    that it began (join() would refuse): wait for it; one never started is skipped."""
    while thread.ident is not None or thread in threading.enumerate():
        try:
            thread.join(max(0.0, deadline - time.monotonic()))
            return
        except RuntimeError:
            if time.monotonic() >= deadline:
                return
            time.sleep(0.001)


def new_wake_lock():
    """A lock created held: its owner thread waits by acquiring it; a waker releases it."""
    lock = allocate_lock()
    lock.acquire()
    return lock
