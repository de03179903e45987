"""The simple form of a system, for learners and the casebook: a *program* is a function
`program(rt)` that makes its primitives and spawns its actors on the runtime it is given.

    from lessons import run_program, explore
    result = run_program(program, runtime="sim", seed=0)
    result.outcome, result.cycle, result.stuck, result.reason, result.schedule
    found = explore(program)        # the explorer makes a fresh runtime per schedule

Outcomes, as DESIGN.md fixes them for the story, on any program:
    completed   every actor finished
    deadlock    some actors can never proceed (a cycle of waits, or a leak: an actor
                blocked forever with nobody left who could release it; `cycle` is empty
                then and `reason` says why in words)
    unfinished  the run reached its own bound (`bound` names it), or it is over with an
                actor waiting on a timer beyond it or idle
"""
import inspect
from dataclasses import dataclass, field

from lessons.analysis import waitfor
from lessons.analysis.waitfor import FINISHED

from .base import run_to_end
from .sim import SimRuntime


@dataclass
class ProgramResult:
    outcome: str
    runtime: str
    seed: object
    cycle: list = field(default_factory=list)
    stuck: list = field(default_factory=list)
    reason: str = ""
    schedule: str | None = None
    bound: str | None = None
    trace: list = field(default_factory=list, repr=False)
    graph: object = field(default=None, repr=False)    # the wait-for graph at the end
    verdict: object = field(default=None, repr=False)  # the deadlock's Verdict, if any

    def to_dict(self):
        return {"outcome": self.outcome, "runtime": self.runtime, "seed": self.seed,
                "cycle": [e._asdict() for e in self.cycle], "stuck": list(self.stuck),
                "reason": self.reason, "schedule": self.schedule, "bound": self.bound,
                "trace": [e._asdict() for e in self.trace]}

    def summary(self):
        lines = [f"outcome: {self.outcome}"]
        if self.outcome == "deadlock":
            lines += [f"why: {self.reason}", f"stuck: {', '.join(self.stuck)}"]
        if self.bound:
            lines.append(f"bound: {self.bound}")
        if self.schedule is not None:
            lines.append(f"schedule: {self.schedule}")
        return "\n".join(lines)


def is_program(target):
    """Does `target` take one argument (program(rt)), rather than build(policy, schedule)?"""
    try:
        params = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return False
    required = [p for p in params if p.default is p.empty
                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(required) == 1


def program_build(program):
    """build(policy, schedule) for the explorer: a fresh sim runtime with `program` on it."""
    def build(policy, schedule):
        rt = SimRuntime.for_run(0, policy, schedule)
        program(rt)
        return rt
    return build


def run_program(program, runtime="sim", seed=0, schedule=None, max_seconds=10.0):
    """Run `program(rt)` once on a fresh runtime (`sim` or `threads`) and say how it ended.
    In sim, `schedule` replays a schedule string (one the explorer or a run reported)."""
    from . import RUNTIMES  # the registry imports this module's neighbours
    if runtime not in ("sim", "threads"):
        raise ValueError(f"runtime must be 'sim' or 'threads' for a program, got {runtime!r}")
    if schedule is not None and runtime != "sim":
        raise ValueError("schedule replays a sim run: set runtime='sim'")
    rt = RUNTIMES[runtime].for_run(seed=seed, schedule=schedule)
    program(rt)
    return run_to_end(rt, lambda: result_of(rt), max_seconds)


def result_of(rt):
    """The ProgramResult of `rt`, whose run is over (its threads not yet stopped)."""
    with rt.guard:
        verdict, graph = rt.deadlock, waitfor.snapshot(rt.views(), rt.now())
        if verdict is None:     # a leak formed when a last partner finished
            found = waitfor.verdict(graph)
            verdict = found if found is not None and found.kind == "deadlock" else None
        finished = all(a.state == FINISHED for a in rt.actors.values())
    if verdict is not None:
        outcome = "deadlock"
    elif finished:
        outcome = "completed"
    else:
        outcome = "unfinished"
    v = verdict or waitfor.Verdict("none")
    return ProgramResult(outcome, rt.kind, rt.seed, list(v.cycle), list(v.stuck), v.reason,
                         rt.schedule(), rt.bound, list(rt.events or ()), graph, verdict)
