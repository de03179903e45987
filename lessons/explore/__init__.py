"""Explore every schedule of a small run, and find the shortest deadlock or prove there is none.

    from lessons import Scenario, explore
    found = explore(Scenario(design="single", client="fast", channel_capacity=1,
                             requests=["get 2", "ping"]))
    found.verdict      # "deadlock", "no-deadlock" or "bound-hit"
    found.schedule     # the shortest deadlocking schedule: run(Scenario(..., schedule=...))
    found.states, found.schedules, found.seconds, found.cycle, found.to_dict()

`explore(build)` takes any sim system: `build(policy, schedule)` returns a fresh, unstarted
SimRuntime with its actors spawned (dining philosophers bring their own).

What a verdict proves
    Testing runs some schedules; this runs all of them. In the sim runtime, every way the
    actors' steps can interleave is a schedule (who moves next at each point where
    someone waits, and which case a select takes). The explorer tries them all, shortest
    first. "deadlock" is a fact: here is a schedule that reaches one, and every replay of
    it deadlocks the same way; no shorter schedule deadlocks. "no-deadlock" is a proof
    *for this configuration only*: these capacities, these requests, this client. It says
    nothing about a bigger buffer, one more request, or real threads' timing outside the
    sim's model (which is every interleaving of the blocking steps, not of single lines).
    "bound-hit" proves nothing: the search stopped at a limit (states, depth or seconds)
    before it had seen everything, and did not find a deadlock in what it saw. Raise the
    bound, or shrink the configuration, before concluding anything.

Why pruning is sound
    The search keeps every state it has seen and does not explore one twice. Two schedules
    reach the same state when they agree on: the contents of every primitive (channel
    items and closed flags, lock owners, semaphore holders), the virtual clock, and, for
    each actor, whether it is ready, blocked, sleeping or finished, what it waits on and
    until when, and its own history: the sequence of results its operations returned
    (what each receive got, whether a wait timed out, what a try-lock said). An actor's
    code is deterministic, so its local variables (a loop counter, the item it will send
    next) are a function of its own history: two actors with the same history are in the
    same place with the same locals. Hence two states with the same identity have exactly
    the same futures, and exploring one of them is enough. (This assumes actors share
    nothing but the runtime's primitives and clock; a plain Python counter that steers
    what an actor does would escape the identity.)

Why the reduction is safe
    Two moves by different actors that touch no primitive in common commute: doing them in
    either order gives the same state, and neither changes whether the other can happen.
    Sleep sets use that: after exploring move A from a state, a sibling branch that starts
    with an independent move B need not try A next, because B-then-A reaches the state
    A-then-B reaches, which the first branch explores. A move stays asleep only while the
    moves made meanwhile commute with it. With state caching, a state revisited with fewer
    moves asleep tries the moves that were asleep before (Godefroid's rule), so no
    reachable state is missed; only redundant orderings are skipped. What a move touches
    is measured, not guessed: every case its actor waited on (a select reads them all),
    and every primitive whose contents changed or that a `*_nowait` tried, while it ran on.

    Persistent sets go further and skip states. A channel declared with one sender and one
    receiver (system.py declares every channel of the story so) is touched by nobody else:
    the runtime refuses any other actor, and the search refuses an outside actor that
    would use an end declared for others, or a close by anyone but a declared sender. A
    send there (room left) and a receive there (an item waiting) commute with each other
    and with every other move, and no other move can disable either. So where an actor
    waits only on such ends and every one of its cases is ready, and its move is *solo*
    (it only parks again or finishes: no `*_nowait`, release, close or exit on the way),
    no sequence of other actors' moves can interfere with its moves: they form a
    persistent set (persistent.py), and trying only them is enough. Other actors' moves
    wait; they stay possible after it. This is the rule SPIN applies to channels declared
    `xs`/`xr`. The same holds for an actor whose sleep is over (each actor's start is
    one), if its move is solo: waking touches nothing, and it stays due whatever others
    do. A timer fires only when nothing else can move, never while such a move is on
    offer, so the clock does not break either.
    Why every deadlock is still found: if a path w from a state reaches a deadlock, either
    w contains a move of the persistent set (move the first one to the front: the others
    before it commute with it, so the same deadlock is reached by a path as long), or it
    contains none, and then w still runs after the set's move, to a state where the same
    actors are deadlocked (a deadlock is stable: its members wait only on each other, so
    nobody else's moves undo it). Each step either shortens w or follows a move; the
    state space is finite, and a move that could close a cycle (to a state seen no deeper)
    turns the persistent set off for that state (the cycle proviso), so no move is put off
    forever. The verdict is therefore exact: "no-deadlock" in the reduced space is
    "no-deadlock" in the full one. Verdicts only: the states a search reports are those it
    explored, fewer than the reachable ones (`explore(..., reduce=False)` counts them all).
    Sleep sets and persistent sets combine (Godefroid, 1996, chapter 6).
    The shortest deadlock: persistent sets keep every deadlock but can lengthen the way to
    it (the deferred moves come first). So once the reduced search finds one, a second
    search with sleep sets only (which keep every state, and a reordering has the same
    length) finds a shortest, at most as long; what a deadlock's exploration reports
    (states, moves, replays) is that second search's.

Why a successor can be computed instead of run
    A move's effect has two parts. The commit (a channel's append or pop, a lock's new
    owner, a semaphore's new holder, or a timeout) is a function of the primitives'
    contents and the clock: the very rules a run uses (lessons/primitives/rules.py and
    lessons/runtime/moves.py), applied to plain values (state.py), as are the scheduler's
    answers after it (which moves are on offer, when the clock jumps, whether a deadlock
    formed: the same wait-for analysis). The rest is the moved actor's *continuation*: it
    runs on until its next wait, and what it does meanwhile (its `*_nowait`s, releases,
    closes, notes, and then its next cases and deadline, or that it finished or ended the
    process) depends, by the same argument as pruning's, only on its history, the move's
    result, the clock it reads, and what its `*_nowait`s return. So it is learned once
    from a real runtime (learn.py) for that (actor, history, result, clock), and replayed
    on plain values wherever its `*_nowait`s (and releases) give what they gave then;
    where one would not, that other path is learned too. Every runtime started to learn
    is also a check: each state it passes through must be the one the rules computed, or
    the search stops with a ValueError rather than explore a model that is not the run
    (actors that share state outside the primitives, say). Only learning runs threads, so
    the search makes many fewer replays than it has states.
"""
import time
from dataclasses import dataclass, field
from functools import partial

from lessons.explore.bounds import DEFAULTS, check_bounds
from lessons.explore.learn import Successors
from lessons.explore.search import Search
from lessons.analysis.waitfor import Edge
from lessons.runtime import RUNTIMES
from lessons.runtime.interrupts import checkpoint, interruptible, seen
from lessons.runtime.schedule import format_schedule, parse_schedule
from lessons.story.scenario import Scenario
from lessons.story.system import System


@dataclass
class Exploration:
    verdict: str                    # "deadlock", "no-deadlock" or "bound-hit"
    states: int                     # distinct states reached
    schedules: int                  # branches that ended: final state, deadlock, or pruned
    transitions: int                # moves made in the search (each a successor computed)
    replays: int                    # fresh runtimes replayed along a path (to learn)
    seconds: float
    schedule: str | None = None     # the shortest deadlocking schedule
    cycle: list[Edge] = field(default_factory=list)   # in order, of that deadlock
    stuck: list[str] = field(default_factory=list)
    bound: str | None = None        # which bound was hit: max_states, max_depth, max_seconds,
                                    # or "interrupted" (Ctrl-C: see explore's docstring)
    limits: dict = field(default_factory=dict)
    # The same search again, as again(reduce=..., record=...) (graph() draws from it), and,
    # when it was asked to record, the search itself: every state and move it made.
    again: object = field(default=None, repr=False, compare=False)
    recorded: object = field(default=None, repr=False, compare=False)

    def to_dict(self):
        return {"verdict": self.verdict, "states": self.states, "schedules": self.schedules,
                "transitions": self.transitions, "replays": self.replays,
                "seconds": round(self.seconds, 3), "schedule": self.schedule,
                "moves": None if self.schedule is None else len(self.schedule_tokens()),
                "cycle": [e._asdict() for e in self.cycle], "stuck": list(self.stuck),
                "bound": self.bound, "limits": dict(self.limits)}

    def schedule_tokens(self):
        return parse_schedule(self.schedule) if self.schedule else []

    def graph(self, path_only=False):
        """Every state this search explored and every move it made, drawn by graphviz (a
        graphviz.Digraph; Jupyter shows it where graphviz's `dot` is installed): deadlock
        states marked, the shortest schedule to a deadlock picked out, and how many states
        and moves the reduction skipped; with `path_only`, that schedule's states and moves
        alone. For tiny configurations: it searches twice more (once recording, once
        without reduction to count what it skipped) and refuses more than
        graph.MAX_DRAWN_STATES states."""
        from lessons.explore.graph import draw
        return draw(self.again(reduce=self.limits["reduce"], record=True),
                    self.again(reduce=False), path_only)

    def summary(self):
        """A few plain lines for people."""
        lines = [f"verdict: {self.verdict}"
                 + {"deadlock": " (a shortest deadlocking schedule below)",
                    "no-deadlock": " within these bounds: every schedule was explored",
                    "bound-hit": f" ({_stopped(self.bound)} before the search was complete:"
                                 " this proves nothing)"}[self.verdict],
                 f"explored: {self.states} states, {self.schedules} "
                 f"{'schedule' if self.schedules == 1 else 'schedules'}, "
                 f"{self.transitions} moves in {self.seconds:.2f} s"]
        if self.schedule is not None:
            hops = "; ".join(f"{e.actor} waits for {e.waits_for} ({e.op} {e.chan})" for e in self.cycle)
            lines += [f"schedule ({len(self.schedule_tokens())} moves): {self.schedule}",
                      f"cycle: {hops}"]
        return "\n".join(lines)


def _stopped(bound):
    return "interrupted" if bound == "interrupted" else f"{bound} reached"


def explore(target, *, max_states=DEFAULTS["max_states"], max_depth=DEFAULTS["max_depth"],
            max_seconds=DEFAULTS["max_seconds"], reduce=True, prune=True):
    """Explore every schedule of `target` (a Scenario, or build(policy, schedule) -> SimRuntime).

    Bounds: `max_states` distinct states, `max_depth` moves in one schedule, `max_seconds`
    of wall time (explore/bounds.py: their ranges); a search that reaches one without
    finding a deadlock says "bound-hit". Memory grows with the states kept, about 1.5 KB
    each (a search stopped at the default 100,000 states peaked at 170 MB, dining
    chandy-misra n=4), so the default bound suits a class hub where each learner has a few
    hundred MB. `prune` skips states already seen; `reduce` skips reorderings of
    independent moves (both on by default; off only to measure what they save). A Ctrl-C
    (KeyboardInterrupt) ends every runtime the search started and reaches the caller with
    what was explored so far as its `exploration` attribute (bound "interrupted").
    """
    return explore_with(Successors, target, max_states=max_states, max_depth=max_depth,
                        max_seconds=max_seconds, reduce=reduce, prune=prune)


def explore_with(successors, target, *, max_states=DEFAULTS["max_states"],
                 max_depth=DEFAULTS["max_depth"], max_seconds=DEFAULTS["max_seconds"],
                 reduce=True, prune=True, record=False):
    """`explore`, with the search's successors from `successors(build)`: Successors
    (computed; the default), or ReplaySuccessors (replay.py: every move run in a
    real runtime, the reference that tests and the benchmark compare with). With
    `record`, the exploration keeps its search, every state and move (`recorded`)."""
    with interruptible():   # from the start: a Ctrl-C is never lost, even before the search
        return _explore(successors, target, max_states, max_depth, max_seconds, reduce,
                        prune, record)


def _explore(successors, target, max_states, max_depth, max_seconds, reduce, prune, record):
    build = target_build(target)
    bounds = check_bounds(max_states=max_states, max_depth=max_depth, max_seconds=max_seconds)
    for name, flag in (("reduce", reduce), ("prune", prune), ("record", record)):
        if not isinstance(flag, bool):
            raise ValueError(f"{name} must be True or False, got {flag!r}")
    limits = {**bounds, "reduce": reduce, "prune": prune}
    began = time.monotonic()
    found = Search(successors(build), bounds["max_states"], bounds["max_depth"],
                   bounds["max_seconds"], reduce, prune, record=record)
    try:
        found.run()
        if found.found is not None and found.reduced:
            # Persistent sets keep every deadlock but not every shortest way to it: search
            # again without them (a deadlock is known to exist, within the found length).
            left = bounds["max_seconds"] - (time.monotonic() - began)
            shortest = Search(successors(build), bounds["max_states"], len(found.found[0]),
                              left, reduce, prune, persistent=False, record=record).run()
            if shortest.found is not None:
                found = shortest
        checkpoint()
    except KeyboardInterrupt as exc:
        seen()
        found.bound = "interrupted"
        exc.exploration = exploration(found, time.monotonic() - began, limits, None, record)
        raise
    again = partial(explore_with, successors, target, max_states=max_states,
                    max_depth=max_depth, max_seconds=max_seconds, prune=prune)
    return exploration(found, time.monotonic() - began, limits, again, record)


def exploration(search, seconds, limits, again, record):
    """The Exploration of a search, finished or not (`again`: how to repeat it)."""
    if search.found is not None:
        path, deadlock = search.found
        verdict, schedule, cycle, stuck = ("deadlock", format_schedule(path),
                                           list(deadlock.cycle), list(deadlock.stuck))
    else:
        verdict = "bound-hit" if search.bound else "no-deadlock"
        schedule, cycle, stuck = None, [], []
    return Exploration(verdict, search.states, search.schedules, search.transitions,
                       search.replays, seconds, schedule, cycle, stuck, search.bound, limits,
                       again, search if record else None)


def target_build(target):
    """build(policy, schedule) for a Scenario or a build function; TypeError for the rest."""
    if isinstance(target, Scenario):
        return scenario_build(target)
    if callable(target):
        return target
    raise TypeError(f"explore takes a Scenario, e.g. explore(Scenario(design='single')), or "
                    f"a function build(policy, schedule) returning a SimRuntime; got {target!r}")


def scenario_build(scenario):
    """The build for the client/shim/engine system of `scenario` (sim runtime)."""
    if not RUNTIMES[scenario.runtime].replayable:
        raise ValueError("explore needs the sim runtime: set runtime='sim'")

    def build(policy, schedule):
        return System(scenario.with_(schedule=schedule), policy=policy).rt
    return build
