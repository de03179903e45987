"""Step mode: the learner is the scheduler (in the spirit of The Deadlock Empire).

    s = Stepper(Scenario(design="single"))
    s.choices()        # per actor: can it move, its move(s), or why not
    s.step("engine")   # or a token: "E", "M/1"
    s.undo()           # back one move (the run is rebuilt from the schedule prefix)
    s.schedule         # "E M R C S*2 ..."; Scenario(schedule=...) replays it
    s.close()
    s = Stepper.for_program(program)   # a program(rt) (a casebook case): step(), choices(),
                                       # verdict() and undo() as above; the pictures are
                                       # the story's

The sim runtime runs with the "step" policy: it pauses at every move and waits here.
A timer (a slow client's sleep, the shim's one hour) fires by itself when nothing else
can move, so the schedule holds only the learner's choices.
"""
import random
from collections import namedtuple

from lessons.analysis.waitfor import BLOCKED, FINISHED, IDLE, SLEEPING
from lessons.runtime.interrupts import interruptible
from lessons.runtime.moves import token
from lessons.runtime.schedule import format_schedule, parse_schedule
from lessons.runtime.sim import SimRuntime
from lessons.story.picture import picture, status
from lessons.story.scenario import Scenario, collect
from lessons.story.system import System

Move = namedtuple("Move", "token does")          # 'M/1', 'recv handoff'
Choice = namedtuple("Choice", "actor moves reason")
Choice.__doc__ = "One actor now: its moves on offer, or (when it has none) the reason why."

# What one step can do, in the words the "predict first" prompt offers.
MOVES_ON, BLOCKS, DEADLOCK, OVER = ("it moves on", "it blocks", "a deadlock forms",
                                    "the run is over")
EFFECTS = (MOVES_ON, BLOCKS, DEADLOCK, OVER)


class Stepper:
    """One step-mode run of the system; every method leaves no stray threads behind."""

    program = None      # program(rt), when it steps a program rather than the story

    @interruptible()   # a Ctrl-C anywhere in it is never lost (runtime/interrupts.py)
    def __init__(self, scenario=None):
        sc = (scenario or Scenario()).with_(runtime="sim")
        self.scenario = sc.with_(schedule=None)
        self._build(sc.schedule)

    @classmethod
    def for_program(cls, program, schedule=None):
        """Step a program(rt) instead of the story (its seed is the scenario's, 0)."""
        stepper = cls.__new__(cls)
        stepper.program, stepper.scenario = program, Scenario()
        interruptible()(stepper._build)(schedule)
        return stepper

    def _build(self, schedule):
        if self.program is not None:
            self.system, self.rt = None, SimRuntime(policy="step", schedule=schedule or None)
            self.program(self.rt)
        else:
            self.system = System(self.scenario.with_(schedule=schedule or None), policy="step")
            self.rt = self.system.rt
        try:
            self.rt.resume()   # replays the prefix, then pauses at the first choice
        except BaseException:  # a Ctrl-C while it replays: nobody else could stop it
            self.rt.stop()
            raise
        for name, exc in self.rt.errors:
            if name == "schedule":   # a schedule that does not fit this run: say so
                self.rt.stop()
                raise exc

    # -- looking ------------------------------------------------------------------------
    @property
    def schedule(self):
        """Every move so far as a schedule string."""
        return self.rt.schedule()

    def choices(self):
        """For each actor, in spawn order: its moves on offer, or why it cannot move."""
        rt = self.rt
        over = rt.over()
        with rt.guard:
            moved = {t.partition("/")[0] for t in rt.tokens}
            offer = {}
            for move in rt.offered:
                offer.setdefault(move[0].name, []).append(
                    Move(token(move), does(move, moved, rt.clock)))
            return [Choice(a.name, tuple(offer.get(a.name, ())),
                           None if a.name in offer else why_not(a, rt, over))
                    for a in rt.actors.values()]

    def enabled(self):
        """The names of the actors that can move now."""
        return [c.actor for c in self.choices() if c.moves]

    def over(self):
        return self.rt.over()

    def status(self):
        return status(self.system, self.rt.over())

    def picture(self):
        return picture(self.system, self.rt.over())

    def verdict(self):
        """The deadlock if one formed, else what the run waits on when quiet (or None)."""
        return self.rt.deadlock or self.rt.final

    def result(self):
        return collect(self.system, self.picture())

    # -- moving -------------------------------------------------------------------------
    @interruptible()
    def step(self, what):
        """Make one move, named by token ('E', 'M/1') or actor name; return its effect."""
        rt = self.rt
        move = self._find(what)
        actor, had_deadlock = move[0], rt.deadlock is not None
        rt.step(move)
        with rt.guard:
            state = actor.state
        if rt.deadlock is not None and not had_deadlock:
            return DEADLOCK
        if rt.over():
            return OVER
        return BLOCKS if state in (BLOCKED, IDLE) else MOVES_ON

    @interruptible()
    def play(self, seed=None):
        """Make seeded random moves until a deadlock forms, the run goes quiet, or it ends.

        Stops at the moment worth looking at (drawing the wait-for graph, say), where a
        plain run() would go on to the shim's timer."""
        rng = random.Random(self.scenario.seed if seed is None else seed)
        rt = self.rt
        while rt.deadlock is None and rt.final is None and not rt.over():
            offer = rt.offer()
            rt.step(offer[rng.randrange(len(offer))])
        return self.status()

    def _find(self, what):
        offer = self.rt.offer()
        named = [m for m in offer if token(m) == what or m[0].code == what]
        named = named or [m for m in offer if m[0].name == what]
        if not named:
            on_offer = ", ".join(token(m) for m in offer) or "none (the run is over)"
            raise ValueError(f"{what!r} cannot move now; moves on offer: {on_offer}")
        if len(named) > 1:
            raise ValueError(f"{what!r} has several moves ({', '.join(token(m) for m in named)}); "
                             "name one")
        return named[0]

    @interruptible()
    def undo(self):
        """Take back the last move: rebuild the run from the schedule minus that move."""
        tokens = parse_schedule(self.schedule)
        if not tokens:
            return False
        self.rt.stop()
        self._build(format_schedule(tokens[:-1]))
        return True

    @interruptible()
    def reset(self):
        """Back to the very start."""
        self.rt.stop()
        self._build(None)

    def close(self):
        """End this run's threads."""
        return self.rt.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def does(move, moved, clock):
    """What a move does, in a few words: 'start', 'recv handoff', 'timer fires'."""
    actor, k = move
    cases = actor.cases or ()
    if not cases:
        return "start" if actor.code not in moved else f"wake up (t={clock:g} s)"
    if k is None and not (len(cases) == 1 and cases[0][0].ready(cases[0][1], cases[0][2])):
        return f"timer fires ({cases[0][1]} {cases[0][0].name} gives up)"
    prim, op, _ = cases[k or 0]
    return f"{op} {prim.name}"


def why_not(actor, rt, over=False):
    """Why an actor has no move now, e.g. 'blocked: send notifications (4/4 full)'."""
    if rt.exit is not None:
        return "exited: its timer fired" if rt.exit.actor == actor.name else "the shim exited"
    if actor.state == FINISHED:
        return "finished"
    if actor.state == BLOCKED:
        waits = " or ".join(waiting_on(prim, op) for prim, op, _ in actor.cases)
        timer = f", timer at t={actor.deadline:g} s" if actor.deadline is not None else ""
        return f"blocked: {waits}{timer}"
    if actor.state == SLEEPING:
        return f"sleeping until t={actor.deadline:g} s (wakes when nothing else can move)"
    if actor.state == IDLE:
        return "idle: it waits for nothing (a client that stopped reading)"
    return "the run is over" if over else actor.state


def waiting_on(prim, op):
    """'send notifications (4/4 full)', 'recv stream (0/2 empty)'."""
    capacity = getattr(prim, "capacity", None)
    if capacity is None:
        return f"{op} {prim.name}"
    return f"{op} {prim.name} ({len(prim)}/{capacity} {'full' if op == 'send' else 'empty'})"
