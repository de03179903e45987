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

from .errors import Cancelled, Closed, Misuse, Timeout
from .runtime import Actor, Runtime, new_wake_lock
from .schedule import format_schedule, make_policy, token
from .waitfor import BLOCKED, FINISHED, IDLE, READY, RUNNING, SLEEPING

OUTSIDE = "outside"
PACED_WAIT_MAX = 2.0   # real seconds: a one-hour timer in a live run still ends soon


class SimRuntime(Runtime):
    kind = "sim"

    def __init__(self, seed=0, trace=True, policy="random", schedule=None, max_steps=200_000,
                 pace=None):
        super().__init__(seed, trace)
        self.pace = pace          # None: time jumps; else real seconds per virtual second
        self.policy = make_policy(policy, seed, schedule)
        self.clock = 0.0
        self.max_steps = max_steps
        self.tokens = []          # the schedule so far, one token per move
        self.offered = ()         # the moves on offer while paused for a chooser
        self.bound_hit = False    # the run reached max_steps
        self.paused = threading.Event()
        self._outsider = Actor(OUTSIDE, outside=True)

    def now(self):
        return self.clock

    def _adopt(self):
        # The notebook or a view may poke a primitive without waiting (an outside input);
        # only the run's own actors may block, or the one-at-a-time rule would break.
        return self._outsider

    # -- the scheduler, run by whichever thread holds the baton -------------------------
    def _moves(self):
        """The moves on offer, in spawn order; updates states and notes new blocks."""
        moves, newly_blocked = [], []
        clock = self.clock
        for a in self.actors.values():
            if not a.parked:
                continue
            cases = a.cases
            ready = [(a, k) for k, (prim, op, _) in enumerate(cases) if prim._ready(op)]
            if not ready and a.deadline is not None and a.deadline <= clock:
                ready = [(a, None)]
            if ready:
                a.state = READY
                moves.extend(ready if len(ready) > 1 or len(cases) > 1 else [(a, None)])
                continue
            state = BLOCKED if cases else (SLEEPING if a.deadline is not None else IDLE)
            if state == BLOCKED and a.state != BLOCKED:
                self._note(a, "block", "|".join(p.name for p, _, _ in cases),
                           "|".join(op for _, op, _ in cases), None)
                newly_blocked.append(a)
            a.state = state
        return moves, newly_blocked

    def _schedule(self):
        """Pick and perform the next move (guard held); return its actor, or None to pause."""
        while not (self.stopping or self.exit or self.errors):
            moves, newly_blocked = self._moves()
            for a in newly_blocked:
                self._on_block(a)
            if not moves:
                self._on_quiet()
                timers = [a.deadline for a in self.actors.values()
                          if a.parked and a.deadline is not None]
                if not timers:
                    break
                self._advance(min(timers))
                continue
            if len(self.tokens) >= self.max_steps:
                self.bound_hit = True
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
        self.paused.set()
        return None

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
        if k is None and len(cases) == 1 and cases[0][0]._ready(cases[0][1]):
            k = 0
        if k is None:
            if cases:
                self._note(actor, "timeout", cases[0][0].name, None, None)
                actor.result = Timeout(f"{actor.name}: {cases[0][1]} {cases[0][0].name} "
                                       f"timed out at t={self.clock:g} s")
            else:
                actor.result = None
        else:
            prim, op, value = cases[k]
            try:
                actor.result = (k, prim._commit(op, value, actor))
            except Closed as exc:
                actor.result = exc
        actor.cases, actor.deadline, actor.state = None, None, RUNNING
        return actor

    def _release(self, actor):
        if actor.parked:
            actor.parked = False
            actor.wake.release()

    def _wake(self, prim):
        pass   # the scheduler looks at every primitive afresh at each step

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
            self._note(self.me(), op, None, seconds, None)

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
        self.paused.wait()
        return self

    def run(self):
        """Run to the end, stop every thread, and return self."""
        try:
            self.resume()
        finally:
            self.stop()
        return self

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
        self.paused.wait()
        return self

    def over(self):
        """True when no move can ever be made again (or the run ended another way)."""
        with self.guard:
            return bool(self.stopping or self.exit or self.errors or self.bound_hit
                        or (not self.offered and self.paused.is_set()))

    def schedule(self):
        """The schedule string of every move so far: give it back to replay this run."""
        return format_schedule(self.tokens)
