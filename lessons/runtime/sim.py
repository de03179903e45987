"""The sim runtime: real threads, but exactly one runs at a time, on a virtual clock.

Every blocking operation (send, recv, select, acquire, sleep) is a scheduling point: the
actor parks with its pending cases and the thread holding the baton runs the scheduler,
which lists the moves on offer, asks the policy for one, performs that move's operation
(so the state changes at one well-defined step) and wakes that actor. Nothing else runs
meanwhile, so the same policy and seed give the same trace, byte for byte.

Virtual time: when no move is on offer but a sleep or a timeout is pending, the clock
jumps to the earliest one. The story's one-hour timer costs nothing.

Step mode: with a policy that does not choose (AskPolicy), the run pauses whenever a move
is due and `step(move)` from outside makes it; `offer()` lists the moves.

Live runs (a learner clicking while it runs): with `pace`, the clock does not jump but
waits out each gap in real time (`pace` real seconds per virtual second, a long gap
compressed to PACED_WAIT_MAX), so a click can land while an answer streams; after an
outside `*_nowait`, `kick()` lets the run go on.
"""
import threading
import time

from lessons.analysis.waitfor import FINISHED, READY, RUNNING
from lessons.primitives.errors import Cancelled, Closed, Misuse, Timeout

from .actor import Actor
from .base import Runtime, new_wake_lock
from .interrupts import wait_for
from .moves import case_taken, next_timer, offer, timeout_message, token
from .schedule import MAX_MOVES, format_schedule, make_policy

OUTSIDE = "outside"
PACED_WAIT_MAX = 2.0   # real seconds: a one-hour timer in a live run still ends soon


class SimRuntime(Runtime):
    kind = "sim"
    virtual_clock = True
    replayable = True

    def __init__(self, seed=0, trace=True, policy="random", schedule=None, max_steps=None,
                 pace=None):
        super().__init__(seed, trace)
        # The step bound: MAX_MOVES unless given, looked up now (a test lowers it to reach it).
        max_steps = MAX_MOVES if max_steps is None else max_steps
        self.pace = pace          # None: time jumps; else real seconds per virtual second
        self.policy = make_policy(policy, seed, schedule, max_steps)
        self.clock = 0.0
        self.max_steps = max_steps
        self.tokens = []          # the schedule so far, one token per move
        self.offered = ()         # the moves on offer while paused for a chooser
        self.paused = threading.Event()
        self._outsider = Actor(OUTSIDE, outside=True)

    @classmethod
    def for_run(cls, seed=0, policy="random", schedule=None):
        return cls(seed=seed, policy=policy, schedule=schedule)

    def now(self):
        return self.clock

    def _adopt(self):
        # The notebook or a view may poke a primitive without waiting (an outside input);
        # only the run's own actors may block, or the one-at-a-time rule would break.
        return self._outsider

    # -- the scheduler, run by whichever thread holds the baton -------------------------
    def _moves(self):
        """The moves on offer, in spawn order; updates states and notes new blocks."""
        actors = list(self.actors.values())
        moves, states, newly_blocked = offer(
            [(a.state, a.cases, a.deadline) if a.parked else None for a in actors],
            _ready, self.clock)
        for a, state in zip(actors, states):
            if state is not None:
                a.state = state
        for i in newly_blocked:
            a = actors[i]
            self._note(a, "block", "|".join(p.name for p, _, _ in a.cases),
                       "|".join(op for _, op, _ in a.cases))
        return [(actors[i], k) for i, k in moves], [actors[i] for i in newly_blocked]

    def _schedule(self):
        """Pick and perform the next move (guard held); return its actor, or None to pause."""
        while not (self.stopping or self.exit or self.errors):
            moves, newly_blocked = self._moves()
            for a in newly_blocked:
                self._on_block(a)
            if not moves:
                self._on_quiet()
                timer = next_timer(a.deadline for a in self.actors.values() if a.parked)
                if timer is None:
                    self._check_schedule_used()
                    break
                self._advance(timer)
                continue
            if len(self.tokens) >= self.max_steps:
                self.bound = f"max_steps: the sim's bound of {self.max_steps:,} moves"
                break
            try:
                move = self.policy.choose(moves, self)
            except ValueError as exc:   # a schedule that does not fit this run
                self.errors.append(("schedule", exc))
                break
            if move is None:
                self.offered = tuple(moves)
                break
            return self._commit(move)
        if self.exit:
            self._check_schedule_used()
        self.paused.set()
        return None

    def _check_schedule_used(self):
        """The run is over: a schedule with moves left over does not fit it (an error)."""
        leftover = getattr(self.policy, "leftover", None)
        error = leftover(len(self.tokens)) if leftover else None
        if error is not None and not self.errors:
            self.errors.append(("schedule", error))

    def _advance(self, deadline):
        """Move the clock to the next timer; when paced, first wait it out (guard held).

        The wait releases the guard, so the outside can send and `kick()` (which notifies
        `settled`); the clock then stops where real time got to and the caller looks again.
        """
        start = self.clock
        if self.pace is not None and deadline > start:
            wait = min((deadline - start) * self.pace, PACED_WAIT_MAX)
            began = time.monotonic()
            if self.settled.wait(wait):
                done = min(1.0, (time.monotonic() - began) / wait)
                deadline = start + (deadline - start) * done
        self.clock = max(start, deadline)

    def _commit(self, move):
        actor, k = move
        self.tokens.append(token(move))
        self.offered = ()
        self.final = None
        cases = actor.cases
        k = case_taken(cases, k, _ready)
        if k is None:
            if cases:
                prim, op, _ = cases[0]
                self._note(actor, "timeout", prim.name, None)
                actor.result = Timeout(timeout_message(actor.name, op, prim.name, self.clock))
            else:
                actor.result = None
        else:
            prim, op, value = cases[k]
            try:
                actor.result = (k, prim.commit(op, value, actor))
            except Closed as exc:
                actor.result = exc
        actor.cases, actor.deadline, actor.state = None, None, RUNNING
        for observer in self.observers:
            observer.moved(self, actor, actor.result)
        return actor

    def _release(self, actor):
        if actor.parked:
            actor.parked = False
            actor.wake.release()

    def _wake_everyone(self):
        for a in self.actors.values():
            self._release(a)

    # -- actors' side ---------------------------------------------------------------------
    def _park(self, me, cases, deadline):
        """Park with these cases, pass the baton, and return what the chosen move gave."""
        if me is self._outsider:
            raise Misuse("only the run's own actors can wait in the sim runtime; "
                         "use a *_nowait operation from outside")
        with self.guard:
            me.cases, me.deadline, me.parked = cases, deadline, True
            nxt = self._schedule()
            if nxt is me:
                me.parked = False
            elif nxt is not None:
                self._release(nxt)
            if self.stopping and me.parked:
                me.parked = False
                raise Cancelled()
        if nxt is not me:
            me.wake.acquire()
            if self.stopping:
                raise Cancelled()
        result = me.result
        me.result = None
        if isinstance(result, BaseException):
            raise result
        return result

    def wait(self, cases, timeout=None):
        return self._park(self.me(), cases, None if timeout is None else self.clock + timeout)

    def sleep(self, seconds):
        self._note_pause("sleep", seconds)
        self._park(self.me(), (), self.clock + max(0.0, seconds))

    def idle(self):
        self._note_pause("idle", None)
        self._park(self.me(), (), None)

    def _note_pause(self, op, seconds):
        with self.guard:
            self._note(self.me(), op, None, seconds)

    def _begin(self, actor):
        actor.wake.acquire()      # wait for the scheduler to pick this actor's start
        if self.stopping:
            raise Cancelled()

    def _end(self, actor):
        with self.guard:
            actor.state, actor.cases, actor.parked = FINISHED, None, False
            nxt = None if self.stopping else self._schedule()
            if nxt is not None:
                self._release(nxt)
            self.settled.notify_all()

    # -- the controller's side -------------------------------------------------------------
    def start(self):
        """Start the actor threads; each waits to be scheduled (its start is a move)."""
        for a in self.actors.values():
            a.wake = new_wake_lock()
            a.cases, a.deadline, a.parked, a.state = (), 0.0, True, READY
        self._start_threads()

    def resume(self):
        """Run until the run is over or the policy asks for a chooser."""
        if not self.started:
            self.start()
        self.paused.clear()
        with self.guard:
            nxt = self._schedule()
            if nxt is not None:
                self._release(nxt)
        wait_for(self.paused)
        return self

    def run_until_over(self, max_seconds=None):
        """Run until nothing can move or the step bound (max_steps) is reached."""
        self.resume()

    def run(self):
        """Run to the end, stop every thread, and return self."""
        try:
            self.resume()
        finally:
            self.stop()
        return self

    def set_pace(self, pace):
        self.pace = pace

    def kick(self):
        """Let the run go on after an outside `*_nowait` (live runs); never waits.

        Starts the run if needed. If it paused because nothing could move, schedule from
        here; if an actor holds the baton (perhaps waiting out a paced timer), wake it to
        look again. A run paused for a chooser (step mode) is left to its chooser.
        """
        if not self.started:
            self.start()
            self.paused.set()          # nobody holds the baton yet
        with self.guard:
            if not self.paused.is_set() or self.offered:
                self.settled.notify_all()
                return
            self.paused.clear()
            nxt = self._schedule()
            if nxt is not None:
                self._release(nxt)

    def offer(self):
        """The moves a chooser may make now (empty when the run is over)."""
        with self.guard:
            return self.offered

    def step(self, move):
        """Make one move from the offer (step mode), then run until the next choice."""
        with self.guard:
            if move not in self.offered:
                raise ValueError(f"{token(move)} is not on offer now")
            self.paused.clear()
            self._release(self._commit(move))
        wait_for(self.paused)
        return self

    def over(self):
        """True when no move can ever be made again (or the run ended another way)."""
        with self.guard:
            return bool(self.stopping or self.exit or self.errors or self.bound
                        or (not self.offered and self.paused.is_set()))

    def schedule(self):
        """The schedule string of every move so far: give it back to replay this run."""
        return format_schedule(self.tokens)


def _ready(case):
    return case[0].ready(case[1])
